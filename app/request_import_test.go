package app

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"assetpool/models"
)

// requestImportFixture is a unit (staff 40) with a clerk and three old cards the sheets of
// testdata/requests replace, a second unit with its clerk, finance and an administrator.
type requestImportFixture struct {
	*registerFixture
	admin    *models.User
	replaced map[string]uint // asset number → id
}

func newRequestImportFixture(t *testing.T) *requestImportFixture {
	t.Helper()
	fx := &requestImportFixture{registerFixture: newRegisterFixture(t), replaced: map[string]uint{}}
	ctx := context.Background()
	fx.unitA.Staff = 40
	if err := fx.a.db.Save(fx.unitA).Error; err != nil {
		t.Fatal(err)
	}
	fx.admin = &models.User{Username: "admin", Role: models.RoleAdmin, Active: true}
	if err := fx.a.CreateUser(ctx, nil, fx.admin, "password-123"); err != nil {
		t.Fatal(err)
	}
	for _, as := range []models.Asset{
		{AssetNo: "JF-2015-001", Name: "台式计算机", AcquiredOn: models.Date{Year: 2015, Month: 6, Day: 1}},
		{AssetNo: "JF-2015-002", Name: "台式计算机", AcquiredOn: models.Date{Year: 2015, Month: 6, Day: 1}},
		{AssetNo: "JF-2016-007", Name: "A4彩色打印机", CategoryCode: "A02021004", AcquiredOn: models.Date{Year: 2016, Month: 2, Day: 1}},
	} {
		fx.replaced[as.AssetNo] = fx.card(t, fx.unitA, as).ID
	}
	// Unit B holds a card with a number unit A's sheets could mistake for their own.
	fx.card(t, fx.unitB, models.Asset{AssetNo: "JF-404", Name: "台式计算机"})
	return fx
}

func (fx *requestImportFixture) requests(t *testing.T) []models.PurchaseRequest {
	t.Helper()
	var rs []models.PurchaseRequest
	if err := fx.a.db.Order("id").Find(&rs).Error; err != nil {
		t.Fatal(err)
	}
	return rs
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/requests/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestImportRequestsRealFiles reads the messy sheet as .xlsx and as a GBK CSV: title rows, a
// 序号 column, header variants, amounts, counts and dates written every which way, a 合计 row
// and signatures. A dry run saves nothing; the commit saves every request.
func TestImportRequestsRealFiles(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"requests_messy.xlsx", "requests_messy_gbk.csv"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fx := newRequestImportFixture(t)
			ctx := context.Background()
			data := readTestdata(t, name)
			res, err := fx.a.ImportRequests(ctx, fx.clerkA, "JF", name, data, true, false)
			if err != nil {
				t.Fatal(err)
			}
			if res.Rows != 4 || len(res.Errors) != 0 || res.Saved || res.HeaderRow != 3 || len(res.Ignored) != 0 {
				t.Fatalf("preview: rows %d header %d saved %v ignored %v errors %+v", res.Rows, res.HeaderRow, res.Saved, res.Ignored, res.Errors)
			}
			if n := len(fx.requests(t)); n != 0 {
				t.Fatalf("a dry run saved %d requests", n)
			}
			want := []struct {
				row      int
				code     string
				name     string
				qty      int
				price    models.Money
				needed   models.Date
				cond     models.Condition
				replaces []uint
			}{
				{4, "A02010105", "台式计算机", 3, 480000, models.Date{Year: 2027, Month: 3, Day: 1}, models.ConditionUsable,
					[]uint{fx.replaced["JF-2015-001"], fx.replaced["JF-2015-002"]}},
				{5, "A05010301", "办公椅", 10, 65000, models.Date{Year: 2027, Month: 4, Day: 1}, models.ConditionNew, []uint{}},
				{6, "A02010108", "笔记本电脑", 1, 650000, models.Date{Year: 2027, Month: 5, Day: 1}, models.ConditionUsable, []uint{}},
				{7, "A02021004", "彩色打印机", 1, 120000, models.Date{}, models.ConditionUsable, []uint{fx.replaced["JF-2016-007"]}},
			}
			check := func(stage string, got []RequestImportItem) {
				t.Helper()
				if len(got) != len(want) {
					t.Fatalf("%s: %d requests, want %d", stage, len(got), len(want))
				}
				for i, w := range want {
					g := got[i]
					if g.Row != w.row || g.CategoryCode != w.code || g.Name != w.name || g.Quantity != w.qty || g.UnitPrice != w.price ||
						g.NeededBy != w.needed || g.MinCondition != w.cond || !slices.Equal(g.Replaces, w.replaces) || g.UnitCode != "JF" {
						t.Errorf("%s row %d: %+v", stage, w.row, g)
					}
				}
			}
			check("preview", res.Requests)
			if s := res.Requests[0].Standards; s == nil || s.Standard == nil || s.Standard.CategoryCode != "A02010105" {
				t.Errorf("the preview is not checked against the standards: %+v", s)
			}

			res, err = fx.a.ImportRequests(ctx, fx.clerkA, "JF", name, data, false, false)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Saved || res.Submitted || len(res.Errors) != 0 {
				t.Fatalf("commit: %+v", res)
			}
			check("commit", res.Requests)
			stored := fx.requests(t)
			if len(stored) != 4 {
				t.Fatalf("%d requests stored", len(stored))
			}
			for i, r := range stored {
				if r.ID != res.Requests[i].ID || r.Status != models.RequestDraft || r.UnitID != fx.unitA.ID || r.CreatedByID == nil || *r.CreatedByID != fx.clerkA.ID {
					t.Errorf("stored %d: %+v", i, r)
				}
			}
			if stored[0].Requirements != "i5/16G/512G SSD" || stored[0].Reason != "旧机故障频繁" {
				t.Errorf("texts: %q %q", stored[0].Requirements, stored[0].Reason)
			}
		})
	}
}

// TestImportRequestsReportsEveryProblem: every problem of every row, with the row number and
// the header as the file shows them; nothing is saved.
func TestImportRequestsReportsEveryProblem(t *testing.T) {
	t.Parallel()
	fx := newRequestImportFixture(t)
	data := readTestdata(t, "requests_errors.xlsx")
	for _, dry := range []bool{true, false} {
		res, err := fx.a.ImportRequests(context.Background(), fx.clerkA, "JF", "requests_errors.xlsx", data, dry, false)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			row      int
			column   string
			contains string
		}{
			{4, "分类代码", "Z99999999」不在分类表中"},
			{5, "品目名称", "品目名称为空"},
			{5, "数量", "「两台」不是有效数量"},
			{5, "预算单价（万元）", "「abc」不是有效金额"},
			{5, "需要日期", "2027-13-45"},
			{5, "最低成色", "「报废」不能作为最低成色"},
			{6, "数量", "数量至少为 1"},
			{6, "预算单价（万元）", "不能为负数"},
			{6, "替换资产编号", "「JF-9999-999」不在本单位台账中"},
			{7, "分类代码", "2010 版的 7 位代码"},
			{8, "最低成色", "「仅残值」不能作为最低成色"},
			{8, "替换资产编号", "「JF-404」不在本单位台账中"},
		}
		if len(res.Errors) != len(want) {
			t.Fatalf("dry %v: %d errors, want %d: %+v", dry, len(res.Errors), len(want), res.Errors)
		}
		for i, w := range want {
			e := res.Errors[i]
			if e.Row != w.row || e.Column != w.column || !strings.Contains(e.Message, w.contains) {
				t.Errorf("error %d = %+v, want row %d column %q containing %q", i, e, w.row, w.column, w.contains)
			}
		}
		// The good row is previewed, in 万元 as the header says.
		if res.Saved || res.Rows != 6 || len(res.Requests) != 1 || res.Requests[0].Row != 3 || res.Requests[0].UnitPrice != 480000 {
			t.Errorf("dry %v: saved %v rows %d requests %+v", dry, res.Saved, res.Rows, res.Requests)
		}
	}
	if n := len(fx.requests(t)); n != 0 {
		t.Errorf("%d requests saved from a file with errors", n)
	}
}

// TestImportRequestsAllOrNothing: one bad row keeps the good ones out too; fixed, all go in.
func TestImportRequestsAllOrNothing(t *testing.T) {
	t.Parallel()
	fx := newRequestImportFixture(t)
	ctx := context.Background()
	sheet := func(bad string) []byte {
		return xlsxFile(t, sheetSpec{name: "需求", rows: [][]any{
			{"分类代码", "品目名称", "数量", "预算单价"},
			{"A02010105", "台式计算机", 2, 4800},
			{"A05010301", "办公椅", bad, 650},
			{"A05010502", "文件柜", 1, 900},
		}})
	}
	res, err := fx.a.ImportRequests(ctx, fx.clerkA, "", "a.xlsx", sheet("-3"), false, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Saved || len(res.Errors) != 1 || res.Errors[0].Row != 3 || res.Errors[0].Column != "数量" {
		t.Fatalf("bad row: %+v", res)
	}
	if n := len(fx.requests(t)); n != 0 {
		t.Fatalf("%d requests saved beside a bad row", n)
	}
	res, err = fx.a.ImportRequests(ctx, fx.clerkA, "", "a.xlsx", sheet("4"), false, true)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Saved || !res.Submitted || len(res.Requests) != 3 {
		t.Fatalf("fixed: %+v", res)
	}
	for _, r := range fx.requests(t) {
		if r.Status == models.RequestDraft || r.SubmittedAt == nil || r.Standards == nil {
			t.Errorf("submitted request %d: status %s standards %+v", r.ID, r.Status, r.Standards)
		}
	}
}

// TestImportRequestsScoping: only the unit's own clerk files its requests.
func TestImportRequestsScoping(t *testing.T) {
	t.Parallel()
	fx := newRequestImportFixture(t)
	data := readTestdata(t, "requests_messy.xlsx")
	for _, c := range []struct {
		who  *models.User
		unit string
		code string
	}{
		{fx.clerkB, "JF", models.EForbidden},
		{fx.finance, "JF", models.EForbidden},
		{fx.admin, "JF", models.EForbidden},
		{fx.finance, "", models.EForbidden},
		{fx.clerkA, "NOPE", models.ENotFound},
	} {
		for _, dry := range []bool{true, false} {
			_, err := fx.a.ImportRequests(context.Background(), c.who, c.unit, "x.xlsx", data, dry, false)
			if models.ErrorCode(err) != c.code {
				t.Errorf("%s for %q (dry %v): %v, want %s", c.who.Username, c.unit, dry, err, c.code)
			}
		}
	}
	// Unit B's clerk files for unit B: the numbers of unit A's cards are not theirs.
	res, err := fx.a.ImportRequests(context.Background(), fx.clerkB, "XR", "x.xlsx", data, false, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Saved || len(res.Errors) != 3 || res.Errors[0].Column != "拟替换资产" {
		t.Errorf("unit B with unit A's card numbers: %+v", res.Errors)
	}
	if n := len(fx.requests(t)); n != 0 {
		t.Errorf("%d requests saved", n)
	}
}

// TestRequestTemplateRoundTrip: the template's header is read back, its example row is not;
// a filled template imports.
func TestRequestTemplateRoundTrip(t *testing.T) {
	t.Parallel()
	fx := newRequestImportFixture(t)
	ctx := context.Background()
	var buf bytes.Buffer
	if err := fx.a.WriteRequestTemplate(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	// As downloaded: nothing to import.
	res, err := fx.a.ImportRequests(ctx, fx.clerkA, "", "模板.xlsx", buf.Bytes(), true, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 0 || len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Message, "表头下面没有需求") || res.HeaderRow != 1 {
		t.Fatalf("empty template: %+v", res)
	}

	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(requestTemplateSheet)
	if err != nil {
		t.Fatal(err)
	}
	header := []string{"序号"}
	for _, c := range requestFields {
		header = append(header, c.Header)
	}
	if len(rows) != 2 || !slices.Equal(rows[0], header) || rows[1][0] != requestExampleMark {
		t.Fatalf("template rows: %q", rows)
	}
	if !slices.Contains(f.GetSheetList(), wbSheetInstructions) {
		t.Errorf("no %s sheet: %v", wbSheetInstructions, f.GetSheetList())
	}
	fill := [][]any{
		{1, "A02010105 台式计算机", "台式计算机", "i5", 2, 4800, "2027-03-01", "新增编制", "全新", "JF-2015-001"},
		{2, "A05010301", "办公椅", "", 6, "650.00", "", "", "需维修", ""},
	}
	for r, vals := range fill {
		if err := f.SetSheetRow(requestTemplateSheet, fmt.Sprintf("A%d", r+3), &vals); err != nil {
			t.Fatal(err)
		}
	}
	var filled bytes.Buffer
	if err := f.Write(&filled); err != nil {
		t.Fatal(err)
	}
	res, err = fx.a.ImportRequests(ctx, fx.clerkA, "", "模板.xlsx", filled.Bytes(), false, false)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Saved || res.Rows != 2 || len(res.Requests) != 2 {
		t.Fatalf("filled template: %+v", res)
	}
	a, b := res.Requests[0], res.Requests[1]
	if a.Row != 3 || a.CategoryCode != "A02010105" || a.Quantity != 2 || a.UnitPrice != 480000 || a.MinCondition != models.ConditionNew ||
		!slices.Equal(a.Replaces, []uint{fx.replaced["JF-2015-001"]}) || a.NeededBy != (models.Date{Year: 2027, Month: 3, Day: 1}) {
		t.Errorf("row 3: %+v", a)
	}
	if b.Row != 4 || b.CategoryCode != "A05010301" || b.Quantity != 6 || b.UnitPrice != 65000 || b.MinCondition != models.ConditionRepairable {
		t.Errorf("row 4: %+v", b)
	}
}

// TestRequestHeaderVariants: every header variant maps to its field, units scale the price,
// and an inventory's header is not taken for one of requests.
func TestRequestHeaderVariants(t *testing.T) {
	t.Parallel()
	m := newFieldMatcher(requestFields, nil)
	for _, f := range requestFields {
		for _, h := range append([]string{f.Header}, f.Variants...) {
			// A second, different column makes the row a header.
			other := "品目名称"
			if f.Key == fieldName {
				other = "数量"
			}
			l, ok := m.findTable([][]string{{"标题"}, {h, other}}, nil)
			if !ok || l.HeaderRow != 2 || l.Columns[0].Field != f.Key {
				t.Errorf("header %q: %+v (ok %v), want %s", h, l.Columns, ok, f.Key)
			}
		}
	}
	l, ok := m.findTable([][]string{{"分类代码", "品目名称", "数量", "单价（万元）", "预算单价\n（元）"}}, nil)
	if !ok || l.Columns[3].Field != "" || l.Columns[4].Field != fieldUnitPrice || l.Columns[4].Scale != 1 {
		t.Errorf("two price columns: %+v", l.Columns)
	}
	l, _ = m.findTable([][]string{{"分类代码", "品目名称", "数量", "单价（万元）"}}, nil)
	if l.Columns[3].Field != fieldUnitPrice || l.Columns[3].Scale != 10000 {
		t.Errorf("单价（万元）: %+v", l.Columns[3])
	}
	// "编号" names an asset number only in an inventory.
	l, _ = m.findTable([][]string{{"编号", "分类代码", "品目名称"}}, nil)
	if l.Columns[0].Field != "" {
		t.Errorf("编号 in a request sheet: %+v", l.Columns[0])
	}
}

// TestParseRequestRows covers what the files do not: conditions in English, several
// separators between replaced numbers, the example row, a missing required column.
func TestParseRequestRows(t *testing.T) {
	t.Parallel()
	cats := newCategoryIndex([]models.Category{{Code: "A02010105", Name: "台式计算机"}})
	m := newFieldMatcher(requestFields, nil)
	l, ok := m.findTable([][]string{{"序号", "分类代码", "品目名称", "数量", "最低成色", "拟替换资产编号"}}, nil)
	if !ok {
		t.Fatal("no header")
	}
	rows := []rowItem{
		{2, []string{"示例", "A02010105", "台式计算机", "1", "完好", ""}},
		{3, []string{"1", "a020 10105", "台式机", "2", "new", "ZC-1, ZC-2；ZC-3;ZC-1\nZC-4，ZC-5、ZC-6"}},
		{4, []string{"2", "台式计算机", "台式机", "1", "repairable", ""}},
		{5, []string{"3", "A02010105", "台式机", "1", "", ""}},
		{6, []string{"合计", "", "", "4", "", ""}},
	}
	parsed, issues, n := parseRequestRows(l, rows, cats, false)
	if n != 3 || len(issues) != 0 || len(parsed) != 3 {
		t.Fatalf("n %d, issues %+v, parsed %+v", n, issues, parsed)
	}
	if !slices.Equal(parsed[0].replaces, []string{"ZC-1", "ZC-2", "ZC-3", "ZC-4", "ZC-5", "ZC-6"}) {
		t.Errorf("replaced numbers: %q", parsed[0].replaces)
	}
	for i, want := range []models.Condition{models.ConditionNew, models.ConditionRepairable, models.ConditionUsable} {
		if p := parsed[i]; !p.ok || p.req.MinCondition != want || p.req.CategoryCode != "A02010105" {
			t.Errorf("row %d: %+v", p.row, p)
		}
	}

	l, _ = m.findTable([][]string{{"分类代码", "品目名称", "预算单价"}}, nil)
	parsed, issues, _ = parseRequestRows(l, []rowItem{{2, []string{"A02010105", "台式机", "100"}}}, cats, false)
	if len(issues) != 1 || issues[0].Row != 1 || !strings.Contains(issues[0].Message, "没有找到必填列「数量」") || parsed[0].ok {
		t.Errorf("no 数量 column: %+v %+v", issues, parsed)
	}
}

// TestImportRequestsRowLimit: a sheet of requests is not an inventory.
func TestImportRequestsRowLimit(t *testing.T) {
	t.Parallel()
	fx := newRequestImportFixture(t)
	var b strings.Builder
	b.WriteString("分类代码,品目名称,数量\n")
	for range requestImportMaxRows + 1 {
		b.WriteString("A02010105,台式计算机,1\n")
	}
	_, err := fx.a.ImportRequests(context.Background(), fx.clerkA, "", "big.csv", []byte(b.String()), true, false)
	if models.ErrorCode(err) != models.EInvalid || !strings.Contains(models.ErrorMessage(err), "超过 1000 行") {
		t.Errorf("big file: %v", err)
	}
	_, err = fx.a.ImportRequests(context.Background(), fx.clerkA, "", "x.csv", []byte("资产编号,资产名称,原值\nA-1,桌子,100\n"), true, false)
	if models.ErrorCode(err) != models.EInvalid || !strings.Contains(models.ErrorMessage(err), "没有找到购置需求的表头") {
		t.Errorf("an inventory: %v", err)
	}
}

// A sheet of requests with a two-row header, as .xlsx with merged group titles and as its
// CSV: the sub-columns map by their own names (单价 takes 万元 from the group above it), the
// group titles are no columns, and errors name the row and the sub-column as the file shows
// them.
func TestImportRequestsTwoRowHeader(t *testing.T) {
	t.Parallel()
	fx := newRequestImportFixture(t)
	rows := [][]any{
		{"经济发展局2027年度资产购置需求表"},
		{"序号", "分类代码", "需求信息", nil, "数量", "预算（万元）", nil, "需要日期"},
		{nil, nil, "品目名称", "配置要求", nil, "单价", "总价"},
		{1, "A02010105", "台式计算机", "i5/16G", 2, 0.48, 0.96, "2027-03-01"},
		{2, "A05010301", "办公椅", nil, 10, "abc", nil, "2027/4/1"},
	}
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		for c, v := range row {
			if v != nil {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				f.SetCellValue("Sheet1", ref, v)
			}
		}
	}
	for _, m := range [][2]string{{"A2", "A3"}, {"B2", "B3"}, {"C2", "D2"}, {"E2", "E3"}, {"F2", "G2"}, {"H2", "H3"}} {
		if err := f.MergeCell("Sheet1", m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	var xlsx bytes.Buffer
	if err := f.Write(&xlsx); err != nil {
		t.Fatal(err)
	}
	csvText := "经济发展局2027年度资产购置需求表\n序号,分类代码,需求信息,,数量,预算（万元）,,需要日期\n,,品目名称,配置要求,,单价,总价,\n" +
		"1,A02010105,台式计算机,i5/16G,2,0.48,0.96,2027-03-01\n2,A05010301,办公椅,,10,abc,,2027/4/1\n"
	for name, data := range map[string][]byte{"需求.xlsx": xlsx.Bytes(), "需求.csv": []byte(csvText)} {
		res, err := fx.a.ImportRequests(context.Background(), fx.clerkA, "JF", name, data, true, false)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.HeaderRow != 3 || res.Rows != 2 || !slices.Equal(res.Ignored, []string{"总价"}) {
			t.Errorf("%s: header row %d, rows %d, ignored %q; want 3, 2, [总价]", name, res.HeaderRow, res.Rows, res.Ignored)
		}
		if len(res.Errors) != 1 || res.Errors[0].Row != 5 || res.Errors[0].Column != "单价" || !strings.Contains(res.Errors[0].Message, "「abc」不是有效金额") {
			t.Errorf("%s: errors %+v, want row 5 column 单价", name, res.Errors)
		}
		if len(res.Requests) != 1 || res.Requests[0].Name != "台式计算机" || res.Requests[0].Requirements != "i5/16G" || res.Requests[0].UnitPrice != 480000 ||
			res.Requests[0].NeededBy.String() != "2027-03-01" {
			t.Errorf("%s: requests %+v", name, res.Requests)
		}
		if name == "需求.csv" && res.Sheet != "" {
			t.Errorf("a CSV file names sheet %q", res.Sheet)
		}
	}
}
