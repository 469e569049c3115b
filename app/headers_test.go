package app

import (
	"slices"
	"testing"
)

func TestNormalizeHeader(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in    string
		bare  string
		scale int64
	}{
		{"资产编号", "资产编号", 0},
		{" 资产 名称 ", "资产名称", 0},
		{"原值（元）", "原值", 1},
		{"原值(元)", "原值", 1},
		{"原值\n（元）", "原值", 1},
		{"原值\r\n(元)", "原值", 1},
		{"价值(万元)", "价值", 10000},
		{"价值（万元）", "价值", 10000},
		{"资产原值（单位：万元）", "资产原值", 10000},
		{"金额(人民币元)", "金额", 1},
		{"单价（元/台）", "单价", 1},
		{"原值单位：元", "原值", 1},
		{"原值/万元", "原值", 10000},
		{"原值-元", "原值", 1},
		{"原值万元", "原值", 10000},
		{"数量(台/套)", "数量", 0},
		{"数量（台/套）", "数量", 0},
		{"*资产编号", "资产编号", 0},
		{"【必填】资产编号", "资产编号", 0},
		{"资产名称：", "资产名称", 0},
		{"ＳＮ", "SN", 0},
		{"sn", "SN", 0},
		{"所属单元", "所属单元", 0},
		{"计量单位", "计量单位", 0},
		{"取得日期(年-月-日)", "取得日期", 0},
		{"原值(元", "原值", 1},
		{"\u3000使用\u3000状况\u3000", "使用状况", 0},
		{"", "", 0},
	}
	for _, c := range cases {
		bare, scale := normalizeHeader(c.in)
		if bare != c.bare || scale != c.scale {
			t.Errorf("normalizeHeader(%q) = %q, %d; want %q, %d", c.in, bare, scale, c.bare, c.scale)
		}
	}
}

// TestFieldNamesAreDistinct guards fields.go: a name shared by two fields would make the
// header finder's choice arbitrary.
func TestFieldNamesAreDistinct(t *testing.T) {
	t.Parallel()
	seen := map[string]importField{}
	for _, f := range importFields {
		for _, n := range append([]string{f.Header}, f.Variants...) {
			bare, _ := normalizeHeader(n)
			if other, ok := seen[bare]; ok && other != f.Key {
				t.Errorf("%q names both %s and %s", n, other, f.Key)
			}
			seen[bare] = f.Key
		}
	}
}

// hdrFields lists each column's field ("" for none) in order, for compact comparisons.
func hdrFields(l tableLayout) []importField {
	var out []importField
	for _, c := range l.Columns {
		out = append(out, c.Field)
	}
	return out
}

// hdrColumn returns the column with the given header.
func hdrColumn(t *testing.T, l tableLayout, header string) column {
	t.Helper()
	for _, c := range l.Columns {
		if c.Header == header {
			return c
		}
	}
	t.Fatalf("no column %q in %+v", header, l.Columns)
	return column{}
}

// hdrRealisticSheet is a register as units send them: a merged title, a unit line with the
// money unit, a blank row, a 序号 column, a two-line header and a column nobody knows.
func hdrRealisticSheet(unit string) [][]string {
	return [][]string{
		{"高新区经济发展局固定资产清查明细表"},
		{"填报单位：高新区经济发展局", "", "", "", "", "金额单位：" + unit},
		{},
		{"序号", "资产编号", "资产名称", "资产分类代码", "数量", "原值\n（元）", "购置日期", "使用状况", "存放地点", "", "备用"},
		{"1", "JF-2019-0001", "台式计算机", "A02010105", "1", "4999", "43586", "在用", "302室"},
		{"2", "JF-2019-0002", "办公椅", "A05010301", "20", "8,000.00", "2019/5/1", "闲置", "库房"},
		{"合计", "", "", "", "21", "12999.00"},
		{},
		{"填表人：张三", "", "", "审核人：李四", "", "填表日期：2024年1月5日"},
	}
}

func TestFindTableRealisticSheet(t *testing.T) {
	t.Parallel()
	l, ok := findTable(hdrRealisticSheet("元"), nil, nil)
	if !ok {
		t.Fatal("no table found")
	}
	if l.HeaderRow != 4 || l.Scale != 1 {
		t.Errorf("header row %d scale %d", l.HeaderRow, l.Scale)
	}
	want := []importField{"", fieldAssetNo, fieldName, fieldCategory, fieldQuantity, fieldOriginalValue, fieldAcquiredOn, fieldUsageStatus, fieldLocation, ""}
	if got := hdrFields(l); !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	if c := hdrColumn(t, l, "序号"); !c.RowNumber || c.Index != 0 {
		t.Errorf("序号 column %+v", c)
	}
	if c := hdrColumn(t, l, "原值 （元）"); c.Index != 5 || c.Scale != 1 {
		t.Errorf("原值 column %+v", c)
	}
	if c := hdrColumn(t, l, "备用"); c.Index != 10 || c.Field != "" {
		t.Errorf("备用 column %+v", c)
	}
	if l.Score == 0 {
		t.Error("score 0")
	}

	// Rows numbered by the sheet: the blank row 3 was not passed.
	rows := hdrRealisticSheet("元")
	rows = append(rows[:2], rows[3:]...)
	l2, ok := findTable(rows, []int{1, 2, 4, 5, 6, 7, 8, 10}, nil)
	if !ok || l2.HeaderRow != 4 {
		t.Errorf("with row numbers: header row %d, %v", l2.HeaderRow, ok)
	}
}

func TestFindTableMoneyUnits(t *testing.T) {
	t.Parallel()
	l, ok := findTable(hdrRealisticSheet("万元"), nil, nil)
	if !ok || l.Scale != 10000 {
		t.Fatalf("万元 in the title: scale %d, %v", l.Scale, ok)
	}
	// The header's own unit wins over the title's.
	if c := hdrColumn(t, l, "原值 （元）"); c.Scale != 1 {
		t.Errorf("原值（元） under a 万元 title: scale %d", c.Scale)
	}

	l, ok = findTable([][]string{
		{"资产清单（单位：万元）"},
		{"资产编号", "资产名称", "价值", "累计折旧", "净值（元）"},
	}, nil, nil)
	if !ok || l.Scale != 10000 {
		t.Fatalf("单位：万元 in a title: scale %d, %v", l.Scale, ok)
	}
	if c := hdrColumn(t, l, "价值"); c.Field != fieldOriginalValue || c.Scale != 10000 {
		t.Errorf("价值 %+v", c)
	}
	if c := hdrColumn(t, l, "净值（元）"); c.Field != fieldNetValue || c.Scale != 1 {
		t.Errorf("净值（元） %+v", c)
	}

	l, ok = findTable([][]string{{"资产编号", "资产名称", "价值(万元)", "单价", "总价"}}, nil, nil)
	if !ok || l.Scale != 1 {
		t.Fatalf("no title: scale %d, %v", l.Scale, ok)
	}
	if c := hdrColumn(t, l, "价值(万元)"); c.Field != fieldOriginalValue || c.Scale != 10000 {
		t.Errorf("价值(万元) %+v", c)
	}
	if c := hdrColumn(t, l, "单价"); c.Field != fieldUnitPrice || c.Scale != 1 {
		t.Errorf("单价 %+v", c)
	}
	// 总价 also means original value; the first of equals keeps it.
	if c := hdrColumn(t, l, "总价"); c.Field != "" {
		t.Errorf("总价 %+v", c)
	}
}

func TestFindTableHeaderVariants(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		header []string
		want   []importField
	}{
		{"standard template", []string{"资产编号", "资产名称", "资产分类", "数量", "计量单位", "原值（元）", "取得日期", "取得方式", "累计折旧（元）", "净值（元）", "使用状况", "完好程度", "使用部门", "使用人", "存放地点", "规格型号", "品牌", "出厂编号", "经费来源", "备注"},
			[]importField{fieldAssetNo, fieldName, fieldCategory, fieldQuantity, fieldMeasureUnit, fieldOriginalValue, fieldAcquiredOn, fieldAcquisitionMethod, fieldDepreciation, fieldNetValue, fieldUsageStatus, fieldCondition, fieldDepartment, fieldCustodian, fieldLocation, fieldModel, fieldBrand, fieldSerialNo, fieldFundingSource, fieldRemarks}},
		{"contains a variant", []string{"固定资产卡片编号", "资产名称", "资产原值（元）", "设备购置日期", "实际使用人", "累计折旧额"},
			[]importField{fieldAssetNo, fieldName, fieldOriginalValue, fieldAcquiredOn, fieldCustodian, fieldDepreciation}},
		{"ambiguous contains is left alone", []string{"资产编号", "资产名称/规格型号", "使用单位", "设备名称"},
			[]importField{fieldAssetNo, "", "", fieldName}},
		{"category code beats category name", []string{"资产编号", "名称", "资产分类名称", "资产分类代码"},
			[]importField{fieldAssetNo, fieldName, "", fieldCategory}},
		{"category code by contains beats exact name", []string{"卡片编号", "设备名称", "类别名称", "资产类别编码"},
			[]importField{fieldAssetNo, fieldName, "", fieldCategory}},
		{"exact beats contains", []string{"资产编号", "资产名称", "账面原值金额", "资产原值"},
			[]importField{fieldAssetNo, fieldName, "", fieldOriginalValue}},
		{"编号 alone is the asset number", []string{"序号", "编号", "名称", "单位", "金额"},
			[]importField{"", fieldAssetNo, fieldName, fieldMeasureUnit, fieldOriginalValue}},
		{"编号 yields to 资产编号", []string{"编号", "资产编号", "资产名称"},
			[]importField{"", fieldAssetNo, fieldName}},
		{"full-width and spaced", []string{"资　产　编　号", "资产 名称", "ＳＮ", "S/N"},
			[]importField{fieldAssetNo, fieldName, fieldSerialNo, ""}},
	}
	for _, c := range cases {
		l, ok := findTable([][]string{c.header}, nil, nil)
		if !ok {
			t.Errorf("%s: no table", c.name)
			continue
		}
		if got := hdrFields(l); !slices.Equal(got, c.want) {
			t.Errorf("%s: fields %v, want %v", c.name, got, c.want)
		}
	}
}

func TestFindTableChoosesHeaderRow(t *testing.T) {
	t.Parallel()
	// A group row above the real header names fewer fields.
	l, ok := findTable([][]string{
		{"资产清查表"},
		{"基本信息", "", "", "价值信息", "", "使用信息"},
		{"资产编号", "资产名称", "分类代码", "原值", "净值", "使用状况", "使用部门"},
		{"A-1", "台式计算机", "A02010105", "4999", "0", "在用", "办公室"},
		{"资产编号", "资产名称", "分类代码", "原值", "净值", "使用状况", "使用部门"},
	}, nil, nil)
	if !ok || l.HeaderRow != 3 {
		t.Errorf("header row %d, %v", l.HeaderRow, ok)
	}

	// Beyond the first 30 rows nothing is looked for.
	rows := make([][]string, 31)
	rows = append(rows, []string{"资产编号", "资产名称", "原值"})
	if _, ok := findTable(rows, nil, nil); ok {
		t.Error("header found below row 30")
	}
}

func TestFindTableNoTable(t *testing.T) {
	t.Parallel()
	sheets := map[string][][]string{
		"empty":        nil,
		"blank rows":   {{}, {"", ""}},
		"instructions": {{"填表说明"}, {"1. 资产编号为本单位内唯一编号"}, {"2. 原值以元为单位"}},
		"one field":    {{"资产编号", "这一列", "那一列"}},
		"no key field": {{"原值", "数量", "使用状况", "存放地点"}},
		"title only":   {{"XX局固定资产清查明细表"}, {"填报单位：XX局", "金额单位：元"}},
	}
	for name, rows := range sheets {
		if l, ok := findTable(rows, nil, nil); ok || l.Score != 0 {
			t.Errorf("%s: found %+v", name, l)
		}
	}
}

func TestFindTableRemembered(t *testing.T) {
	t.Parallel()
	header := []string{"资产编号", "资产名称", "放在哪", "备注", "序号"}
	remembered := map[string]importField{
		"放在哪":  fieldLocation,
		"备注":   "",
		"序号":   fieldSerialNo,
		"资产名称": "bogus", // an unknown key is ignored
	}
	l, ok := findTable([][]string{header}, nil, remembered)
	if !ok {
		t.Fatal("no table")
	}
	want := []importField{fieldAssetNo, fieldName, fieldLocation, "", fieldSerialNo}
	if got := hdrFields(l); !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	if c := hdrColumn(t, l, "序号"); c.RowNumber {
		t.Errorf("remembered 序号 still a row number: %+v", c)
	}
	// A remembered choice counts towards finding the header.
	l, ok = findTable([][]string{{"标题"}, {"编码", "品名", "放在哪"}}, nil, map[string]importField{"编码": fieldAssetNo, "品名": fieldName})
	if !ok || l.HeaderRow != 2 {
		t.Errorf("remembered headers: row %d, %v", l.HeaderRow, ok)
	}
}

func TestTableLayoutWithMapping(t *testing.T) {
	t.Parallel()
	l, _ := findTable(hdrRealisticSheet("元"), nil, nil)
	m := l.withMapping(map[int]importField{
		10: fieldRemarks,  // 备用 → 备注
		0:  fieldAssetNo,  // the clerk's 序号 is the asset number
		8:  "",            // 存放地点 not imported
		3:  "no_such_key", // unknown key: not imported
		99: fieldBrand,    // no such column
	})
	want := []importField{fieldAssetNo, "", fieldName, "", fieldQuantity, fieldOriginalValue, fieldAcquiredOn, fieldUsageStatus, "", fieldRemarks}
	if got := hdrFields(m); !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	if m.Columns[0].RowNumber {
		t.Error("序号 mapped to a field is still skipped as a row number")
	}
	if got := hdrFields(l); got[1] != fieldAssetNo || l.Columns[0].Field != "" {
		t.Errorf("withMapping changed the original layout: %v", got)
	}
	// Two manual choices of one field: the leftmost keeps it.
	m = l.withMapping(map[int]importField{4: fieldName, 5: fieldName})
	if f := hdrFields(m); f[2] != "" || f[4] != fieldName || f[5] != "" {
		t.Errorf("duplicate manual choice: %v", f)
	}
}

func TestTableLayoutSkipRow(t *testing.T) {
	t.Parallel()
	l, _ := findTable(hdrRealisticSheet("元"), nil, nil)
	cases := []struct {
		name  string
		cells []string
		skip  bool
	}{
		{"data row", []string{"1", "JF-1", "台式计算机", "A02010105", "1", "4999", "43586", "在用", "302室"}, false},
		{"data row without row number", []string{"", "JF-1", "台式计算机"}, false},
		{"row with only a blank asset number", []string{"3", "", "台式计算机", "A02010105", "1", "4999"}, false},
		{"name that starts with 累计", []string{"4", "JF-4", "累计流量计", "A02010105", "1", "4999"}, false},
		{"remark that starts with 负责人", []string{"5", "JF-5", "办公椅", "", "", "", "", "", "", "", "负责人已签字"}, false},
		{"name 合计器 is an asset", []string{"6", "HJ-1", "合计器"}, false},
		{"empty", []string{}, true},
		{"blank cells", []string{"", " ", "\u3000", "\n"}, true},
		{"pre-numbered empty template row", []string{"17", "", "", "", "", "", "", "", "", "", ""}, true},
		{"unmapped cells only", []string{"", "", "", "", "", "", "", "", "", "以下空白"}, true},
		{"合计 in the row-number column", []string{"合计", "", "", "", "21", "12999.00"}, true},
		{"spaced 合 计", []string{"", "合 计", "", "", "21", "12999.00"}, true},
		{"本页小计", []string{"本页小计", "", "", "", "2", "100"}, true},
		{"总计 with a count", []string{"", "", "总计（共25项）", "", "25", "99999"}, true},
		{"累计: with colon", []string{"累计：", "", "", "", "", "1"}, true},
		{"signature line", []string{"填表人：张三", "", "", "审核人：李四", "", "填表日期：2024年1月5日"}, true},
		{"signature in a later cell", []string{"", "", "", "", "单位负责人：王五", "", "", "制表人：赵六"}, true},
		{"seal", []string{"", "", "", "单位（盖章）", "", "2024-01-05"}, true},
		{"footnote", []string{"注：原值以元为单位", "", "", "", "", "1"}, true},
		{"repeated header", []string{"序号", "资产编号", "资产名称", "资产分类代码", "数量", "原值\n（元）", "购置日期", "使用状况", "存放地点", "", "备用"}, true},
		{"repeated header, part", []string{"", "资产编号", "资产名称", "", "", "原值（元）"}, true},
		{"sub-header row", []string{"", "", "", "", "数量", "金额"}, true},
		{"column numbers", []string{"甲", "1", "2", "3", "4", "5", "6", "7", "8"}, true},
	}
	for _, c := range cases {
		if got := l.skipRow(c.cells); got != c.skip {
			t.Errorf("%s: skipRow(%q) = %v, want %v", c.name, c.cells, got, c.skip)
		}
	}
	// Before any column is mapped, only blank rows are empty.
	var none tableLayout
	if none.skipRow([]string{"x"}) || !none.skipRow([]string{" "}) {
		t.Error("layout without columns")
	}
}

// A header on two rows: group titles merged across the top of their sub-columns, the other
// headers merged down both rows (a merged cell keeps its text in its first cell) or written in
// the top row only. Each sub-column maps by its own name, and the group titles are no columns.
func TestFindTableTwoRowHeader(t *testing.T) {
	t.Parallel()
	rows := [][]string{
		{"经济发展局固定资产清查明细表"},
		{"填报单位：经济发展局", "", "", "", "", "", "", "", "", "", "金额单位：元"},
		{"序号", "资产编号", "资产名称", "资产分类", "数量", "价值（元）", "", "", "取得日期", "使用状况", "使用信息", "", "存放地点"},
		{"", "", "", "", "", "原值", "累计折旧", "净值", "", "", "使用部门", "使用人"},
		{"1", "JF-2019-001", "台式计算机", "A02010105", "1", "4999", "3000", "1999", "2019-05-01", "在用", "办公室", "张伟", "302室"},
	}
	l, ok := findTable(rows, nil, nil)
	if !ok || l.HeaderRow != 4 {
		t.Fatalf("header row %d, %v; want 4 (the lower row of the header)", l.HeaderRow, ok)
	}
	want := []importField{"", fieldAssetNo, fieldName, fieldCategory, fieldQuantity, fieldOriginalValue, fieldDepreciation, fieldNetValue,
		fieldAcquiredOn, fieldUsageStatus, fieldDepartment, fieldCustodian, fieldLocation}
	if got := hdrFields(l); !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	for _, h := range []string{"价值（元）", "使用信息"} {
		for _, c := range l.Columns {
			if c.Header == h {
				t.Errorf("the group title %q is a column: %+v", h, c)
			}
		}
	}
	if c := hdrColumn(t, l, "原值"); c.Index != 5 || c.Scale != 1 {
		t.Errorf("原值 column %+v", c)
	}
	if c := hdrColumn(t, l, "使用人"); c.Index != 11 {
		t.Errorf("使用人 column %+v", c)
	}

	// Row numbers as the sheet shows them; a group stating 万元 gives it to its sub-columns
	// that state no unit of their own.
	wan := slices.Clone(rows)
	wan[2] = slices.Clone(rows[2])
	wan[2][5] = "价值（万元）"
	wan[3] = []string{"", "", "", "", "", "原值", "累计折旧（元）", "净值"}
	l, ok = findTable(wan, []int{1, 2, 6, 7, 8}, nil)
	if !ok || l.HeaderRow != 7 {
		t.Fatalf("header row %d, %v; want 7", l.HeaderRow, ok)
	}
	if c := hdrColumn(t, l, "原值"); c.Scale != 10000 {
		t.Errorf("原值 under 价值（万元）: scale %d, want 10000", c.Scale)
	}
	if c := hdrColumn(t, l, "累计折旧（元）"); c.Scale != 1 {
		t.Errorf("累计折旧（元） under 价值（万元）: scale %d, want 1", c.Scale)
	}

	// The key columns may sit under a group too: the lower row is still the header's.
	l, ok = findTable([][]string{
		{"资产信息", "", "", "价值", "", "使用状况"},
		{"资产编号", "资产名称", "分类代码", "原值", "累计折旧"},
		{"A-1", "台式计算机", "A02010105", "4999", "0", "在用"},
	}, nil, nil)
	if want := []importField{fieldAssetNo, fieldName, fieldCategory, fieldOriginalValue, fieldDepreciation, fieldUsageStatus}; !ok || l.HeaderRow != 2 || !slices.Equal(hdrFields(l), want) {
		t.Errorf("key columns under a group: header row %d, fields %v; want 2, %v", l.HeaderRow, hdrFields(l), want)
	}

	// Rows that are not next to each other in the sheet are not one header.
	if l, ok := findTable(rows, []int{1, 2, 3, 5, 6}, nil); !ok || l.HeaderRow != 3 || hdrColumn(t, l, "价值（元）").Field != fieldOriginalValue {
		t.Errorf("rows 3 and 5 taken as one header: %+v", l)
	}
}

// What is not a two-row header stays a one-row header: a title line with a note above the
// header (单位：元 would pass for 计量单位), a header above a data row, a row of group titles
// above a complete header, a unit written under a header.
func TestFindTableOneRowHeaderStays(t *testing.T) {
	t.Parallel()
	header := []string{"资产编号", "资产名称", "资产分类", "原值", "取得日期", "使用状况"}
	cases := map[string]struct {
		rows [][]string
		row  int
	}{
		"title above":        {[][]string{{"固定资产清查明细表", "", "", "", "", "", "", "单位：元"}, header, {"A-1", "台式计算机", "A02010105", "4999", "2019-05-01", "在用"}}, 2},
		"data row below":     {[][]string{header, {"A-1", "台式计算机", "A02010105", "4999", "2019-05-01", "在用"}}, 1},
		"wordy data below":   {[][]string{header, {"甲", "台式计算机", "电脑", "", "", "在用"}}, 1},
		"group titles above": {[][]string{{"基本信息", "", "", "价值信息", "", "使用信息"}, header}, 2},
		"sub-header 元 below": {[][]string{header, {"", "", "", "元"}}, 1},
	}
	for name, c := range cases {
		l, ok := findTable(c.rows, nil, nil)
		if !ok || l.HeaderRow != c.row || !slices.Equal(hdrFields(l), []importField{fieldAssetNo, fieldName, fieldCategory, fieldOriginalValue, fieldAcquiredOn, fieldUsageStatus}) {
			t.Errorf("%s: header row %d, fields %v; want row %d and the six fields", name, l.HeaderRow, hdrFields(l), c.row)
		}
	}
}
