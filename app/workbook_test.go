package app

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"assetpool/models"
)

// wbOpen opens a written workbook the way the import reads uploads: raw cell values.
func wbOpen(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("open written workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// wbRows reads every row of a sheet with excelize's streaming reader, keyed by row number.
func wbRows(t *testing.T, f *excelize.File, sheet string) map[int][]string {
	t.Helper()
	rows, err := f.Rows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int][]string{}
	for n := 1; rows.Next(); n++ {
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		if len(cols) > 0 {
			out[n] = cols
		}
	}
	return out
}

// wbPart returns the raw XML of a part of a written workbook, e.g. "xl/worksheets/sheet1.xml".
func wbPart(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var wbColMin = regexp.MustCompile(`<col min="(\d+)"`)

// wbCheckColsAscending fails unless the sheet's <col> elements are in ascending order, as Excel
// requires.
func wbCheckColsAscending(t *testing.T, data []byte, part string) {
	t.Helper()
	prev := 0
	ms := wbColMin.FindAllStringSubmatch(wbPart(t, data, part), -1)
	if len(ms) == 0 {
		t.Errorf("%s has no column widths", part)
	}
	for _, m := range ms {
		n, _ := strconv.Atoi(m[1])
		if n <= prev {
			t.Errorf("%s: <col min=%d> after <col min=%d>", part, n, prev)
		}
		prev = n
	}
}

// wbColLetter is the column letter of a field in the template layout.
func wbColLetter(t *testing.T, k importField) string {
	t.Helper()
	for i, c := range wbColumns() {
		if c.Key == k {
			name, _ := excelize.ColumnNumberToName(i + 1)
			return name
		}
	}
	t.Fatalf("field %s not in the template", k)
	return ""
}

func wbTestCategories(n int) []models.Category {
	cats := []models.Category{
		{Code: "A02010105", Name: "台式计算机", Level: 4},
		{Code: "A05010301", Name: "办公椅", Level: 4},
	}
	for i := range n {
		cats = append(cats, models.Category{Code: fmt.Sprintf("A0999%04d", i), Name: fmt.Sprintf("测试分类%d", i), Level: 4})
	}
	return cats
}

func TestWriteTemplate(t *testing.T) {
	cats := wbTestCategories(100) // far beyond what an inline list could hold
	var buf bytes.Buffer
	if err := writeTemplate(&buf, cats); err != nil {
		t.Fatal(err)
	}
	f := wbOpen(t, buf.Bytes())

	if got, want := f.GetSheetList(), []string{wbSheetAssets, wbSheetInstructions, wbSheetCategories}; !slices.Equal(got, want) {
		t.Fatalf("sheets = %v, want %v", got, want)
	}
	rows := wbRows(t, f, wbSheetAssets)
	var want []string
	for _, c := range importFields {
		if c.Key != fieldUnitPrice {
			want = append(want, c.Header)
		}
	}
	if !slices.Equal(rows[1], want) || len(rows) != 1 {
		t.Fatalf("template rows = %v, want only the header %v", rows, want)
	}
	if s, _ := f.GetCellStyle(wbSheetAssets, "A1"); s == 0 {
		t.Error("header cell has no style")
	} else if st, _ := f.GetStyle(s); st.Font == nil || !st.Font.Bold || len(st.Fill.Color) == 0 {
		t.Errorf("header style = %+v, want bold and filled", st)
	}
	if p, _ := f.GetPanes(wbSheetAssets); !p.Freeze || p.YSplit != 1 {
		t.Errorf("panes = %+v, want the header row frozen", p)
	}
	for k, numFmt := range map[importField]string{fieldAcquiredOn: "yyyy-mm-dd", fieldOriginalValue: "#,##0.00", fieldNetValue: "#,##0.00"} {
		s, err := f.GetColStyle(wbSheetAssets, wbColLetter(t, k))
		if err != nil || s == 0 {
			t.Errorf("column %s has no style (%v)", k, err)
			continue
		}
		st, _ := f.GetStyle(s)
		got := ""
		if st.CustomNumFmt != nil {
			got = *st.CustomNumFmt
		} else if st.NumFmt == 4 {
			got = "#,##0.00"
		}
		if got != numFmt {
			t.Errorf("column %s number format = %q (NumFmt %d), want %q", k, got, st.NumFmt, numFmt)
		}
	}

	dvs, err := f.GetDataValidations(wbSheetAssets)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, dv := range dvs {
		if dv.Type != "list" {
			t.Errorf("validation %s has type %q", dv.Sqref, dv.Type)
		}
		got[dv.Sqref] = dv.Formula1
	}
	usage := wbColLetter(t, fieldUsageStatus)
	cond := wbColLetter(t, fieldCondition)
	cat := wbColLetter(t, fieldCategory)
	wantDV := map[string]string{
		usage + "2:" + usage + "10000": `"在用,闲置,出租,出借,待处置,维修中,其他"`,
		cond + "2:" + cond + "10000":   `"全新,完好,需维修,仅残值,报废"`,
		cat + "2:" + cat + "10000":     "'分类代码'!$A$1:$A$102",
	}
	if len(got) != len(wantDV) {
		t.Errorf("validations = %v, want %v", got, wantDV)
	}
	for sqref, formula := range wantDV {
		if got[sqref] != formula {
			t.Errorf("validation %s = %q, want %q", sqref, got[sqref], formula)
		}
	}

	if visible, _ := f.GetSheetVisible(wbSheetCategories); visible {
		t.Error("分类代码 sheet is visible")
	}
	catRows := wbRows(t, f, wbSheetCategories)
	if len(catRows) != 102 || catRows[1][0] != "A02010105 台式计算机" || catRows[102][0] != "A09990099 测试分类99" {
		t.Errorf("分类代码 sheet: %d rows, first %v, last %v", len(catRows), catRows[1], catRows[102])
	}

	for _, part := range []string{"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"} {
		wbCheckColsAscending(t, buf.Bytes(), part)
	}

	text := fmt.Sprint(wbRows(t, f, wbSheetInstructions))
	for _, c := range wbColumns() {
		if !strings.Contains(text, c.Header) {
			t.Errorf("填写说明 does not explain %s", c.Header)
		}
	}
	for _, s := range []string{"必填", "选填", "唯一", "空白", "2019-05-01", "元", "一物一卡", "GXQ-2019-0001"} {
		if !strings.Contains(text, s) {
			t.Errorf("填写说明 does not mention %q", s)
		}
	}
}

func TestWriteTemplateWithoutCategories(t *testing.T) {
	var buf bytes.Buffer
	if err := writeTemplate(&buf, nil); err != nil {
		t.Fatal(err)
	}
	f := wbOpen(t, buf.Bytes())
	dvs, _ := f.GetDataValidations(wbSheetAssets)
	if len(dvs) != 2 {
		t.Errorf("got %d validations, want the two fixed lists (no empty category range)", len(dvs))
	}
}

func wbMoney(m models.Money) *models.Money { return &m }

func TestWriteRegister(t *testing.T) {
	assets := []models.Asset{
		{AssetNo: "001", Name: "台式计算机", CategoryCode: "A02010105", Quantity: 1, MeasureUnit: "台",
			OriginalValue: 499999, AcquiredOn: models.Date{Year: 2019, Month: 5, Day: 1}, AcquisitionMethod: "新购",
			BookDepreciation: wbMoney(1), BookNetValue: wbMoney(499998), UsageStatus: models.UsageIdle, Condition: models.ConditionUsable,
			Department: "办公室", Custodian: "张三", Location: "302室", Model: "ThinkCentre M720", Brand: "联想",
			SerialNo: "0012345", FundingSource: "财政拨款", Remarks: " 前后空格 "},
		{AssetNo: "GXQ-2019-0002", Name: "办公椅", CategoryCode: "A05010301", Quantity: 20, MeasureUnit: "把",
			OriginalValue: 1, AcquiredOn: models.Date{Year: 2020, Month: 12, Day: 31},
			UsageStatus: models.UsageInUse, Condition: models.ConditionNew},
		{AssetNo: "X-3", Name: "未知分类", CategoryCode: "Z99", Quantity: 2, OriginalValue: 123456789012,
			AcquiredOn: models.Date{Year: 2024, Month: 2, Day: 29}, UsageStatus: models.UsagePendingDisposal, Condition: models.ConditionScrap,
			BookDepreciation: wbMoney(0)},
	}
	var buf bytes.Buffer
	err := writeAssetBook(&buf, wbTestCategories(0), nil, func(b *wbAssetBook) error {
		for i := range assets {
			if err := b.writeAsset(&assets[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f := wbOpen(t, buf.Bytes())
	rows := wbRows(t, f, wbSheetAssets)
	// Exactly the texts the importer parses: numbers as plain decimals, the date as its serial.
	want := map[int][]string{
		2: {"001", "台式计算机", "A02010105 台式计算机", "1", "台", "4999.99", "43586", "新购", "0.01", "4999.98", "闲置", "完好",
			"办公室", "张三", "302室", "ThinkCentre M720", "联想", "0012345", "财政拨款", " 前后空格 "},
		3: {"GXQ-2019-0002", "办公椅", "A05010301 办公椅", "20", "把", "0.01", "44196", "", "", "", "在用", "全新"},
		4: {"X-3", "未知分类", "Z99", "2", "", "1234567890.12", "45351", "", "0", "", "待处置", "报废"},
	}
	for r, w := range want {
		if !slices.Equal(rows[r], w) {
			t.Errorf("row %d =\n%q\nwant\n%q", r, rows[r], w)
		}
	}
	if len(rows) != 4 || !slices.Equal(rows[1], wbRows(t, wbTemplateFile(t), wbSheetAssets)[1]) {
		t.Errorf("register has %d rows / header %v, want 4 rows and the template header", len(rows), rows[1])
	}

	// Cell types: the asset number is text (leading zeros), money and dates are numbers.
	for ref, want := range map[string]excelize.CellType{
		"A2": excelize.CellTypeInlineString, "R2": excelize.CellTypeInlineString,
		"D3": excelize.CellTypeUnset, "F2": excelize.CellTypeUnset, "G2": excelize.CellTypeUnset,
	} {
		if got, _ := f.GetCellType(wbSheetAssets, ref); got != want {
			t.Errorf("%s cell type = %v, want %v", ref, got, want)
		}
	}
	// What the clerk sees.
	shown, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer shown.Close()
	for ref, want := range map[string]string{"G2": "2019-05-01", "F2": "4,999.99", "F4": "1,234,567,890.12"} {
		if got, _ := shown.GetCellValue(wbSheetAssets, ref); got != want {
			t.Errorf("%s shows %q, want %q", ref, got, want)
		}
	}
	dvs, _ := f.GetDataValidations(wbSheetAssets)
	if len(dvs) != 3 || !strings.HasSuffix(dvs[0].Sqref, "10000") {
		t.Errorf("register validations = %d (first %+v), want 3 reaching row 10000", len(dvs), dvs[0])
	}
	if got := f.GetSheetList(); !slices.Equal(got, []string{wbSheetAssets, wbSheetInstructions, wbSheetCategories}) {
		t.Errorf("register sheets = %v", got)
	}
}

func wbTemplateFile(t *testing.T) *excelize.File {
	var buf bytes.Buffer
	if err := writeTemplate(&buf, nil); err != nil {
		t.Fatal(err)
	}
	return wbOpen(t, buf.Bytes())
}

func TestWriteRegisterStopsOnError(t *testing.T) {
	boom := errors.New("database gone")
	err := writeRegister(&bytes.Buffer{}, nil, func() (*models.Asset, error) { return nil, boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
}

// TestWriteRegisterMemory writes a 200,000-row register and checks that the heap stays flat:
// rows go through excelize's StreamWriter (spilled to a temporary file) and the zip goes straight
// to the output, so nothing proportional to the row count stays in memory.
func TestWriteRegisterMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 200,000 rows")
	}
	const n = 200_000
	const limit = 150 << 20
	a := models.Asset{Name: "台式计算机", CategoryCode: "A02010105", Quantity: 1, MeasureUnit: "台",
		AcquiredOn: models.Date{Year: 2019, Month: 5, Day: 1}, UsageStatus: models.UsageInUse, Condition: models.ConditionUsable,
		Department: "办公室", Custodian: "张三", Location: "302室", Model: "ThinkCentre M720", Brand: "联想", FundingSource: "财政拨款"}
	out, err := os.Create(filepath.Join(t.TempDir(), "register.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	var ms runtime.MemStats
	var peak uint64
	sample := func() {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	start := time.Now()
	i := 0
	err = writeRegister(out, wbTestCategories(0), func() (*models.Asset, error) {
		if i%10_000 == 0 {
			sample()
		}
		if i == n {
			return nil, nil
		}
		i++
		a.AssetNo = fmt.Sprintf("GXQ-%07d", i)
		a.SerialNo = strconv.Itoa(i * 7919)
		a.OriginalValue = models.Money(i)
		return &a, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sample()
	st, _ := out.Stat()
	t.Logf("%d rows in %v, file %d KB, peak HeapInuse %d MB", n, time.Since(start), st.Size()>>10, peak>>20)
	if peak > limit {
		t.Errorf("peak HeapInuse %d MB, want at most %d MB", peak>>20, limit>>20)
	}
}

func TestWriteErrorWorkbook(t *testing.T) {
	rows := []struct {
		n     int
		cells []string
	}{
		{1, []string{"XX局固定资产清查明细表"}},
		{2, []string{"填报单位：经济发展局", "", "", "金额单位：元"}},
		{4, []string{"序号", "资产编号", "资产名称", "原值", "取得日期"}},
		{5, []string{"1", "001", "台式计算机", "4999.5", "2019-05-01"}},
		{6, []string{"2", "002", "打印机", "abc", ""}},
		{8, []string{"3", "001", "办公椅", "100", "43586", ""}}, // row 7 is blank in the upload
		{10, []string{"合计", "", "", "5099.5"}},
		{12, []string{"填表人：张三", "", "", "", "", "", "审核人：李四"}}, // the widest row comes last
	}
	issues := map[int][]cellIssue{
		6: {{Col: 3, Message: "「abc」不是金额"}, {Col: 4, Message: "取得日期不能为空"}},
		8: {{Col: -1, Message: "资产编号 001 重复（第 5 行）"}, {Col: 4, Message: "取得日期晚于今天"}},
	}
	i := 0
	next := func() (int, []string, bool) {
		if i == len(rows) {
			return 0, nil, false
		}
		i++
		return rows[i-1].n, rows[i-1].cells, true
	}
	var buf bytes.Buffer
	if err := writeErrorWorkbook(&buf, "清查表[2024]", 4, false, next, issues); err != nil {
		t.Fatal(err)
	}
	f := wbOpen(t, buf.Bytes())
	const sheet = "清查表_2024_"
	if got := f.GetSheetList(); !slices.Equal(got, []string{sheet}) {
		t.Fatalf("sheets = %v, want [%s]", got, sheet)
	}
	got := wbRows(t, f, sheet)
	// The widest row has 7 cells, so 错误说明 is column H (index 7).
	want := map[int][]string{
		1:  {"XX局固定资产清查明细表"},
		2:  {"填报单位：经济发展局", "", "", "金额单位：元"},
		4:  {"序号", "资产编号", "资产名称", "原值", "取得日期", "", "", "错误说明"},
		5:  {"1", "001", "台式计算机", "4999.5", "2019-05-01"},
		6:  {"2", "002", "打印机", "abc", "", "", "", "「abc」不是金额；取得日期不能为空"},
		8:  {"3", "001", "办公椅", "100", "43586", "", "", "资产编号 001 重复（第 5 行）；取得日期晚于今天"},
		10: {"合计", "", "", "5099.5"},
		12: {"填表人：张三", "", "", "", "", "", "审核人：李四"},
	}
	if len(got) != len(want) {
		t.Errorf("rows %v, want %v", slices.Sorted(wbKeys(got)), slices.Sorted(wbKeys(want)))
	}
	for r, w := range want {
		if !slices.Equal(got[r], w) {
			t.Errorf("row %d = %q, want %q", r, got[r], w)
		}
	}
	for ref, want := range map[string]excelize.CellType{
		"B5": excelize.CellTypeInlineString, // "001" keeps its zeros
		"D5": excelize.CellTypeUnset,        // amounts stay numbers
		"A5": excelize.CellTypeUnset,
		"E5": excelize.CellTypeInlineString,
		"D6": excelize.CellTypeInlineString,
	} {
		if got, _ := f.GetCellType(sheet, ref); got != want {
			t.Errorf("%s cell type = %v, want %v", ref, got, want)
		}
	}
	style := func(ref string) int {
		s, err := f.GetCellStyle(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	clean := style("D5")
	for _, ref := range []string{"D6", "E6", "E8"} { // E6 is blank but required: filled too
		s := style(ref)
		st, _ := f.GetStyle(s)
		if s == clean || len(st.Fill.Color) == 0 {
			t.Errorf("%s style %d (%+v) not highlighted (clean cell style %d)", ref, s, st.Fill, clean)
		}
	}
	for _, ref := range []string{"C6", "B8", "D8"} {
		if s := style(ref); s != clean {
			t.Errorf("%s style %d, want untouched like a clean cell (%d)", ref, s, clean)
		}
	}
	if st, _ := f.GetStyle(style("H4")); st.Font == nil || !st.Font.Bold {
		t.Errorf("错误说明 header not bold: %+v", st.Font)
	}
	comments, err := f.GetComments(sheet)
	if err != nil {
		t.Fatal(err)
	}
	byCell := map[string]string{}
	for _, c := range comments {
		byCell[c.Cell] = c.Text
		for _, p := range c.Paragraph {
			byCell[c.Cell] += p.Text
		}
	}
	if len(byCell) != 3 || !strings.Contains(byCell["D6"], "不是金额") || !strings.Contains(byCell["E6"], "取得日期") || !strings.Contains(byCell["E8"], "晚于今天") {
		t.Errorf("comments = %v, want D6, E6 and E8", byCell)
	}
	// The serial in the 取得日期 column shows as a date, as it did in the upload.
	shown, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer shown.Close()
	for ref, want := range map[string]string{"E8": "2019-05-01", "E5": "2019-05-01", "D5": "4999.5", "A8": "3"} {
		if got, _ := shown.GetCellValue(sheet, ref); got != want {
			t.Errorf("%s shows %q, want %q", ref, got, want)
		}
	}
	if p, _ := f.GetPanes(sheet); !p.Freeze || p.YSplit != 4 {
		t.Errorf("panes = %+v, want frozen below the header row", p)
	}
	xml := wbPart(t, buf.Bytes(), "xl/worksheets/sheet1.xml")
	if !strings.Contains(xml, `<legacyDrawing r:id="rId`) || strings.Contains(xml, "xmlns:relationships") {
		t.Errorf("comments are not linked with the root's r: prefix: %s", xml[strings.Index(xml, "</sheetData>"):])
	}
	wbCheckColsAscending(t, buf.Bytes(), "xl/worksheets/sheet1.xml")
}

func TestWorkbookRelsFixer(t *testing.T) {
	in := `<c/></sheetData><legacyDrawing ` + string(wbInlineRels) + `:id="rId1"></legacyDrawing></worksheet>`
	want := `<c/></sheetData><legacyDrawing r:id="rId1"></legacyDrawing></worksheet>`
	for _, chunk := range []int{1, 7, 64, len(in)} {
		var out bytes.Buffer
		z := &wbZip{Writer: zip.NewWriter(&out)}
		w, err := z.Create("xl/worksheets/sheet1.xml")
		if err != nil {
			t.Fatal(err)
		}
		for s := in; s != ""; {
			n := min(chunk, len(s))
			if _, err := w.Write([]byte(s[:n])); err != nil {
				t.Fatal(err)
			}
			s = s[n:]
		}
		if err := z.Close(); err != nil {
			t.Fatal(err)
		}
		if got := wbPart(t, out.Bytes(), "xl/worksheets/sheet1.xml"); got != want {
			t.Errorf("chunk %d: got %s", chunk, got)
		}
	}
}

func wbKeys(m map[int][]string) func(func(int) bool) {
	return func(yield func(int) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestWriteErrorWorkbookIssueRows checks issues on rows the reader never returned (blank rows
// and a header row missing a required column): they are written with their messages.
func TestWriteErrorWorkbookIssueRows(t *testing.T) {
	rows := [][]string{{"资产编号", "资产名称"}, {"A-1", "台式计算机"}}
	i := 0
	next := func() (int, []string, bool) {
		if i == len(rows) {
			return 0, nil, false
		}
		i++
		return i, rows[i-1], true
	}
	issues := map[int][]cellIssue{
		1: {{Col: -1, Message: "缺少必填列「原值（元）」"}},
		3: {{Col: 1, Message: "资产名称不能为空"}},
	}
	var buf bytes.Buffer
	if err := writeErrorWorkbook(&buf, "", 1, false, next, issues); err != nil {
		t.Fatal(err)
	}
	f := wbOpen(t, buf.Bytes())
	got := wbRows(t, f, "Sheet1")
	want := map[int][]string{
		1: {"资产编号", "资产名称", "错误说明：缺少必填列「原值（元）」"},
		2: {"A-1", "台式计算机"},
		3: {"", "", "资产名称不能为空"},
	}
	for r, w := range want {
		if !slices.Equal(got[r], w) {
			t.Errorf("row %d = %q, want %q", r, got[r], w)
		}
	}
}

func TestWriteErrorWorkbookRowOrder(t *testing.T) {
	rows := []int{2, 2}
	i := 0
	next := func() (int, []string, bool) {
		if i == len(rows) {
			return 0, nil, false
		}
		i++
		return rows[i-1], []string{"x"}, true
	}
	if err := writeErrorWorkbook(&bytes.Buffer{}, "S", 1, false, next, nil); err == nil {
		t.Fatal("rows out of order accepted")
	}
}

// TestWriteErrorWorkbookManyIssues checks that a large upload with an issue on every row stays
// fast: comments are capped, fills and messages are not.
func TestWriteErrorWorkbookManyIssues(t *testing.T) {
	const n = 20_000
	i := 0
	next := func() (int, []string, bool) {
		if i == n {
			return 0, nil, false
		}
		i++
		return i, []string{strconv.Itoa(i), "资产", "abc"}, true
	}
	issues := map[int][]cellIssue{}
	for r := 2; r <= n; r++ {
		issues[r] = []cellIssue{{Col: 2, Message: "「abc」不是金额"}}
	}
	start := time.Now()
	var buf bytes.Buffer
	if err := writeErrorWorkbook(&buf, "Sheet1", 1, false, next, issues); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rows with issues in %v, %d KB", n, time.Since(start), buf.Len()>>10)
	f := wbOpen(t, buf.Bytes())
	comments, _ := f.GetComments("Sheet1")
	if len(comments) != wbMaxComments {
		t.Errorf("%d comments, want the cap %d", len(comments), wbMaxComments)
	}
	if v, _ := f.GetCellValue("Sheet1", "D"+strconv.Itoa(n)); v != "「abc」不是金额" {
		t.Errorf("last row message = %q", v)
	}
}

func TestWorkbookNumber(t *testing.T) {
	for _, tc := range []struct {
		in  string
		num bool
	}{
		{"0", true}, {"1", true}, {"4999.5", true}, {"-12.25", true}, {"0.01", true}, {"43586", true},
		{"13812345678", true}, {"123456789012", false}, // beyond 11 digits Excel shows 1.23457E+11
		{"001", false}, {"00.5", false}, {"1.50", false}, {"1.", false}, {".5", false}, {"+1", false},
		{"-0", false}, {"1e5", false}, {"1,000", false}, {"", false}, {"-", false}, {"１２", false},
		{"Inf", false}, {"NaN", false}, {" 1", false}, {"A-1", false},
	} {
		v, ok := wbNumber(tc.in)
		if ok != tc.num {
			t.Errorf("wbNumber(%q) = %v, want %v", tc.in, ok, tc.num)
			continue
		}
		if ok && strconv.FormatFloat(v, 'f', -1, 64) != tc.in {
			t.Errorf("wbNumber(%q) = %v, which is written differently", tc.in, v)
		}
	}
}

func TestWorkbookSheetName(t *testing.T) {
	for in, want := range map[string]string{
		"资产清单":                        "资产清单",
		"":                            "Sheet1",
		"a[b]c:d*e?f/g\\h":            "a_b_c_d_e_f_g_h",
		"'quoted'":                    "quoted",
		"History":                     "History_",
		strings.Repeat("表", 40):       strings.Repeat("表", 31),
		strings.Repeat("a", 30) + "😀": strings.Repeat("a", 30), // a surrogate pair is never split
	} {
		if got := wbSheetName(in); got != want {
			t.Errorf("wbSheetName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestWorkbookYuan checks that every amount written from fen reads back as exactly its two
// decimals: the shortest text of fen/100 is the amount itself.
func TestWorkbookYuan(t *testing.T) {
	check := func(m models.Money) {
		s := strconv.FormatFloat(wbYuan(m), 'f', -1, 64)
		want := strings.TrimSuffix(strings.TrimRight(m.Yuan(), "0"), ".")
		if s != want {
			t.Fatalf("fen %d written as %q, want %q", m, s, want)
		}
	}
	for m := models.Money(-10_000); m <= 2_000_000; m++ {
		check(m)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1_000_000 {
		check(models.Money(r.Int64N(1_000_000_000_000_000))) // up to 10 trillion yuan
	}
}

// writeRegister streams cards from next() (until it returns nil, nil) into a workbook in the
// template layout, as the register export does with the cards of a filter.
func writeRegister(w io.Writer, cats []models.Category, next func() (*models.Asset, error)) error {
	return writeAssetBook(w, cats, nil, func(b *wbAssetBook) error {
		for {
			a, err := next()
			if err != nil || a == nil {
				return err
			}
			if err := b.writeAsset(a); err != nil {
				return err
			}
		}
	})
}
