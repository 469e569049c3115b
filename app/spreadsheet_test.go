package app

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"assetpool/models"
)

// sheetTestRead opens data and reads a whole sheet into row number → cells.
func sheetTestRead(t testing.TB, s *spreadsheet, sheet string) (map[int][]string, []int) {
	t.Helper()
	rows, err := s.Rows(sheet)
	if err != nil {
		t.Fatalf("Rows(%q): %v", sheet, err)
	}
	defer rows.Close()
	got := map[int][]string{}
	var order []int
	for rows.Next() {
		got[rows.Row()] = rows.Cells()
		order = append(order, rows.Row())
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("Rows(%q): %v", sheet, err)
	}
	return got, order
}

// sheetTestCell returns the text of cell ref ("H5") in rows read by sheetTestRead.
func sheetTestCell(t testing.TB, rows map[int][]string, ref string) string {
	t.Helper()
	col, row, err := excelize.CellNameToCoordinates(ref)
	if err != nil {
		t.Fatal(err)
	}
	if cells := rows[row]; col <= len(cells) {
		return cells[col-1]
	}
	return ""
}

// sheetTestInvalid checks that err is a Chinese user-facing EInvalid error containing want.
func sheetTestInvalid(t testing.TB, err error, want string) {
	t.Helper()
	if models.ErrorCode(err) != models.EInvalid {
		t.Fatalf("error = %v, want an EInvalid error", err)
	}
	msg := models.ErrorMessage(err)
	if !strings.Contains(msg, want) {
		t.Fatalf("message %q does not contain %q", msg, want)
	}
	for _, r := range msg {
		if r >= 0x4E00 && r <= 0x9FFF {
			return
		}
	}
	t.Fatalf("message %q is not Chinese", msg)
}

// The messy inventory of testdata/import in every format a clerk uploads: same rows, same
// row numbers (title 1–2, header 4, data 5–14, total 15, signatures 17), Chinese intact.
func TestSpreadsheetTestdata(t *testing.T) {
	// What every format must agree on: text cells.
	common := map[string]string{
		"A1": "经济发展局固定资产清查明细表", "A2": "填报单位：经济发展局", "G2": "金额单位：元",
		"A4": "序号", "H4": "原值（元）", "N4": "备注", "B5": "JF-2019-001", "C6": "笔记本电脑",
		"D8": "A05010301", "E9": "钢制 1850×900×400", "J9": "自用", "B14": "JF-2019-010",
		"A15": "合计", "A17": "填表人：张三", "D17": "审核人：李四", "I17": "填表日期：2026年11月20日",
	}
	// LibreOffice (zh-CN) turned amounts into numbers, and 2019-05-01, 2019/5/1, 2020年3月15日
	// into date cells (serial numbers); 2018.06 and 201705 became plain numbers.
	lo := map[string]string{
		"A5": "1", "F8": "20", "H5": "4999", "H6": "6800", "H7": "3200", "H9": "1280.5", "H15": "86617.5",
		"I5": "43586", "I6": "43586", "I7": "43905", "I8": "2018.06", "I9": "201705", "I12": "44503",
	}
	text := map[string]string{
		"A5": "1", "F8": "20", "H5": "4,999.00", "H6": "￥6,800", "H7": "￥3,200", "H9": "1,280.5", "H15": "86,617.50",
		"I5": "2019-05-01", "I6": "2019/5/1", "I7": "2020年3月15日", "I8": "2018.06", "I9": "201705", "I12": "2021年11月3日",
	}
	inventoryRows := []int{1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17}
	cases := []struct {
		file   string
		format fileFormat
		sheets []string
		sheet  string
		cells  map[string]string
	}{
		{"messy_lo.xlsx", formatXLSX, []string{"资产清查"}, "资产清查", lo},
		{"messy_lo.xls", formatXLS, []string{"资产清查"}, "资产清查", lo},
		{"messy_utf8.csv", formatCSV, []string{"CSV"}, "CSV", text},
		{"messy_gbk.csv", formatCSV, []string{"CSV"}, "CSV", text},
		{"messy_bom_semicolon.csv", formatCSV, []string{"CSV"}, "CSV", text},
		{"messy_tab.csv", formatCSV, []string{"CSV"}, "CSV", text},
		// The hidden sheet is left out; the excelize chart sheet became an empty worksheet.
		{"multisheet_lo.xls", formatXLS, []string{"说明", "资产清单"}, "资产清单", map[string]string{
			"H5": "4999", "H15": "86617.5", // H15 is =SUM(H5:H14): its cached value
			"I5": "43586", "I7": "43905", "I11": "2017/8/9", "I8": "2018.06",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "import", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			s, err := openSpreadsheet(data)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if s.Format() != tc.format {
				t.Errorf("Format = %s, want %s", s.Format(), tc.format)
			}
			if !slices.Equal(s.Sheets(), tc.sheets) {
				t.Errorf("Sheets = %q, want %q", s.Sheets(), tc.sheets)
			}
			if n := s.EstimateRows(tc.sheet); n != 17 {
				t.Errorf("EstimateRows = %d, want 17", n)
			}
			rows, order := sheetTestRead(t, s, tc.sheet)
			if !slices.Equal(order, inventoryRows) {
				t.Errorf("row numbers = %v, want %v", order, inventoryRows)
			}
			for _, want := range []map[string]string{common, tc.cells} {
				for ref, w := range want {
					if got := sheetTestCell(t, rows, ref); got != w {
						t.Errorf("%s = %q, want %q", ref, got, w)
					}
				}
			}
			// A second pass over the same sheet sees the same rows.
			again, _ := sheetTestRead(t, s, tc.sheet)
			if fmt.Sprint(again) != fmt.Sprint(rows) {
				t.Error("second pass differs from the first")
			}
			if _, err := s.Rows("没有这个表"); err == nil {
				t.Error("Rows of a missing sheet: no error")
			}
		})
	}
}

func TestSpreadsheetXLSHiddenSheet(t *testing.T) {
	data, err := os.ReadFile("testdata/import/multisheet_lo.xls")
	if err != nil {
		t.Fatal(err)
	}
	s, err := openSpreadsheet(data)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Not offered, but readable by name.
	rows, _ := sheetTestRead(t, s, "隐藏备查")
	if got := sheetTestCell(t, rows, "A1"); got != "不应导入" {
		t.Errorf("A1 = %q", got)
	}
	rows, _ = sheetTestRead(t, s, "说明")
	if got := sheetTestCell(t, rows, "A2"); got != "1. 资产清单见第二个工作表；金额单位为元。" {
		t.Errorf("说明!A2 = %q", got)
	}
}

// An .xlsx built with excelize: several sheets, sparse rows, shared and inline strings,
// formulas with cached values, a hidden sheet and a chart sheet.
func TestSpreadsheetXLSXBuilt(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "清单")
	for ref, v := range map[string]any{"A1": "资产编号", "B1": "名称", "C1": "原值", "A3": "X-1", "B3": "台式计算机",
		"C3": 4999.99, "D3": 0.0015, "A10": "X-2", "C10": 12800, "E1000": "远处"} {
		if err := f.SetCellValue("清单", ref, v); err != nil { // strings go to the shared string table
			t.Fatal(err)
		}
	}
	f.SetCellFormula("清单", "F3", "C3*2") // no cached value: the cell is empty
	f.NewSheet("隐藏")
	f.SetCellValue("隐藏", "A1", "x")
	f.SetSheetVisible("隐藏", false)
	f.NewSheet("流式")
	sw, err := f.NewStreamWriter("流式")
	if err != nil {
		t.Fatal(err)
	}
	sw.SetRow("A2", []any{"内联文字", 3.5, excelize.Cell{Formula: "B2*2", Value: 7}, excelize.Cell{Formula: `"第"&B2`, Value: "第3.5"}})
	sw.SetRow("B7", []any{"第七行"})
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.AddChartSheet("图表", &excelize.Chart{Type: excelize.Col,
		Series: []excelize.ChartSeries{{Name: "清单!$C$1", Categories: "清单!$A$3:$A$10", Values: "清单!$C$3:$C$10"}}}); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	s, err := openSpreadsheet(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if want := []string{"清单", "流式"}; !slices.Equal(s.Sheets(), want) {
		t.Errorf("Sheets = %q, want %q", s.Sheets(), want)
	}
	if n := s.EstimateRows("清单"); n != 1000 {
		t.Errorf("EstimateRows(清单) = %d, want 1000", n)
	}
	rows, order := sheetTestRead(t, s, "清单")
	if want := []int{1, 3, 10, 1000}; !slices.Equal(order, want) {
		t.Errorf("row numbers = %v, want %v", order, want)
	}
	for ref, want := range map[string]string{"B1": "名称", "B3": "台式计算机", "C3": "4999.99", "D3": "0.0015",
		"C10": "12800", "E1000": "远处", "F3": ""} {
		if got := sheetTestCell(t, rows, ref); got != want {
			t.Errorf("清单!%s = %q, want %q", ref, got, want)
		}
	}
	rows, order = sheetTestRead(t, s, "流式")
	if want := []int{2, 7}; !slices.Equal(order, want) {
		t.Errorf("流式 row numbers = %v, want %v", order, want)
	}
	for ref, want := range map[string]string{"A2": "内联文字", "B2": "3.5", "C2": "7", "D2": "第3.5", "B7": "第七行", "A7": ""} {
		if got := sheetTestCell(t, rows, ref); got != want {
			t.Errorf("流式!%s = %q, want %q", ref, got, want)
		}
	}
	if n := s.EstimateRows("流式"); n != 7 {
		t.Errorf("EstimateRows(流式) = %d, want 7", n)
	}
}

// sheetTestPart is one part of a hand-made .xlsx.
type sheetTestPart struct{ name, body string }

// sheetTestXLSX zips a workbook whose sheets are given as sheetData XML, plus extra parts.
func sheetTestXLSX(t testing.TB, sheets []string, extra ...sheetTestPart) []byte {
	t.Helper()
	var wb, rels, types strings.Builder
	for i := range sheets {
		fmt.Fprintf(&wb, `<sheet name="S%d" sheetId="%d" r:id="rId%d"/>`, i+1, i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
	}
	parts := []sheetTestPart{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` + types.String() + `</Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` + wb.String() + `</sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels.String() + `</Relationships>`},
	}
	for i, data := range sheets {
		parts = append(parts, sheetTestPart{fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1),
			`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + data + `</worksheet>`})
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range append(parts, extra...) {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(p.body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Cell types as Excel writes them, by hand: what reaches the normalisers is the stored text.
func TestSpreadsheetXLSXCellTexts(t *testing.T) {
	sheet := `<dimension ref="A1:H5"/><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t xml:space="preserve"> 内联 </t></is></c></row>
<row r="3"><c r="A3"><v>4999.99</v></c><c r="B3" s="1"><v>43586</v></c><c r="C3"><v>1.5E-3</v></c><c r="D3" t="b"><v>1</v></c><c r="E3"><f>A3*2</f><v>9999.98</v></c><c r="F3" t="str"><f>"编号"&amp;A3</f><v>编号4999.99</v></c><c r="G3" t="e"><v>#N/A</v></c><c r="H3" t="s"><v>2</v></c></row>
<row><c><v>7</v></c><c><v>8</v></c><c t='b'><v>0</v></c><c t="b"><f>A4&gt;B4</f><v>0</v></c><c><v>1</v></c><c t="d"><v>2023-01-08T16:00:00.000Z</v></c></row>
</sheetData>`
	sst := sheetTestPart{"xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>资产编号</t></si><si><r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r></si><si><t xml:space="preserve">  前后空格  </t></si></sst>`}
	s, err := openSpreadsheet(sheetTestXLSX(t, []string{sheet}, sst))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, order := sheetTestRead(t, s, "S1")
	if want := []int{1, 3, 4}; !slices.Equal(order, want) {
		t.Errorf("row numbers = %v, want %v", order, want)
	}
	for ref, want := range map[string]string{
		"A1": "资产编号", "B1": "富文本", "C1": " 内联 ", "A3": "4999.99", "B3": "43586", "C3": "1.5E-3",
		// Booleans as Excel shows them (their stored value is 1 or 0), beside a number 1.
		"D3": "TRUE", "C4": "FALSE", "D4": "FALSE", "E4": "1",
		"E3": "9999.98", "F3": "编号4999.99", "G3": "#N/A", "H3": "  前后空格  ", "A4": "7", "B4": "8",
		"F4": "2023-01-08T16:00:00.000Z", // an ISO 8601 date cell: its text, for the date parser
	} {
		if got := sheetTestCell(t, rows, ref); got != want {
			t.Errorf("%s = %q, want %q", ref, got, want)
		}
	}
	if n := s.EstimateRows("S1"); n != 5 {
		t.Errorf("EstimateRows = %d, want 5 (the dimension)", n)
	}
}

func TestSpreadsheetCSV(t *testing.T) {
	csvText := "标题\n\n名称,备注,原值\n\"打印机\",\"第一行\n第二行\",\"1,200\"\n\n办公椅,,800\r\n"
	s, err := openSpreadsheet([]byte(csvText))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, order := sheetTestRead(t, s, "CSV")
	// The quoted cell spans lines 4–5: its record is row 4, and the next record is on line 7.
	if want := []int{1, 3, 4, 7}; !slices.Equal(order, want) {
		t.Errorf("row numbers = %v, want %v", order, want)
	}
	if got := rows[4]; !slices.Equal(got, []string{"打印机", "第一行\n第二行", "1,200"}) {
		t.Errorf("row 4 = %q", got)
	}
	if got := rows[7]; !slices.Equal(got, []string{"办公椅", "", "800"}) {
		t.Errorf("row 7 = %q", got)
	}
	if n := s.EstimateRows("CSV"); n != 7 {
		t.Errorf("EstimateRows = %d, want 7", n)
	}
	if n := (&spreadsheet{format: formatCSV, csvText: []byte("a\nb")}).EstimateRows("CSV"); n != 2 {
		t.Errorf("EstimateRows without a final newline = %d, want 2", n)
	}
}

// Excel's "Unicode text": UTF-16LE with a byte-order mark, tab-separated.
func TestSpreadsheetCSVUTF16(t *testing.T) {
	data := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune("资产编号\t名称\r\nJF-1\t台式计算机\r\n")) {
		data = append(data, byte(u), byte(u>>8))
	}
	s, err := openSpreadsheet(data)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, _ := sheetTestRead(t, s, "CSV")
	if !slices.Equal(rows[1], []string{"资产编号", "名称"}) || !slices.Equal(rows[2], []string{"JF-1", "台式计算机"}) {
		t.Errorf("rows = %v", rows)
	}
}

func TestSpreadsheetRejectsGarbage(t *testing.T) {
	xlsx, err := os.ReadFile("testdata/import/messy_lo.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	xls, err := os.ReadFile("testdata/import/messy_lo.xls")
	if err != nil {
		t.Fatal(err)
	}
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i*7 + i/13)
	}
	damagedSheet := bytes.Clone(xls)
	copy(damagedSheet[len(damagedSheet)-2048:], bytes.Repeat([]byte{0xFF}, 512))
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "空"},
		{"binary garbage", garbage, "无法读取"},
		{"PDF", append([]byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00\x01\x02"), garbage...), "无法读取"},
		{"truncated xlsx", xlsx[:len(xlsx)/2], "无法读取 Excel 文件"},
		{"zip header only", []byte("PK\x03\x04garbage"), "无法读取 Excel 文件"},
		{"truncated xls", xls[:len(xls)/2], "无法读取 Excel 文件"},
		{"xls header only", xls[:512], "无法读取 Excel 文件"},
		{"OLE magic then garbage", append(bytes.Clone(xls[:8]), garbage...), "无法读取 Excel 文件"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := openSpreadsheet(tc.data)
			if err == nil {
				s.Close()
			}
			sheetTestInvalid(t, err, tc.want)
		})
	}
	// A .xls damaged inside: an error when opening or when reading, never a panic or silence.
	t.Run("damaged xls", func(t *testing.T) {
		s, err := openSpreadsheet(damagedSheet)
		if err != nil {
			sheetTestInvalid(t, err, "无法读取 Excel 文件")
			return
		}
		defer s.Close()
		for _, sh := range s.Sheets() {
			rows, err := s.Rows(sh)
			if err != nil {
				continue
			}
			for rows.Next() {
			}
			rows.Close()
		}
	})
}

// A password-protected .xlsx is an OLE2 file like .xls: say what is wrong with it.
func TestSpreadsheetEncryptedXLSX(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetCellValue("Sheet1", "A1", "机密")
	path := filepath.Join(t.TempDir(), "locked.xlsx")
	if err := f.SaveAs(path, excelize.Options{Password: "123456"}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = openSpreadsheet(data)
	sheetTestInvalid(t, err, "密码")
}

// Every prefix of a real .xls either opens or fails with a Chinese error.
func TestXLSTruncatedEverywhere(t *testing.T) {
	data, err := os.ReadFile("testdata/import/messy_lo.xls")
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(data); n += 97 {
		s, err := openSpreadsheet(data[:n])
		if err != nil {
			if models.ErrorCode(err) != models.EInvalid {
				t.Fatalf("prefix %d: %v", n, err)
			}
			continue
		}
		for _, sh := range s.Sheets() {
			if rows, err := s.Rows(sh); err == nil {
				for rows.Next() {
				}
				rows.Close()
			}
		}
		s.Close()
	}
}

func TestTableReadsEveryFormat(t *testing.T) {
	for _, name := range []string{"messy_lo.xlsx", "messy_lo.xls", "messy_gbk.csv", "multisheet_lo.xls"} {
		f, err := os.Open(filepath.Join("testdata", "import", name))
		if err != nil {
			t.Fatal(err)
		}
		rows, _, err := readTable(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// First offered sheet; rows[i] is row i+1 with trimmed cells.
		switch {
		case name == "multisheet_lo.xls":
			if len(rows) != 3 || rows[0][0] != "填表说明" {
				t.Errorf("%s: %q", name, rows)
			}
		case len(rows) != 17 || rows[3][1] != "资产编号" || len(rows[2]) != 0 || rows[16][0] != "填表人：张三":
			t.Errorf("%s: %d rows, row 4 = %q", name, len(rows), rows[3])
		}
	}
}

// sheetTestBombXLSX is an .xlsx whose one worksheet inflates to repeats MiB of filler inside
// a row, with the size its zip header states. Deflate blocks ending in a sync flush are
// byte-aligned and self-contained, so one compressed MiB of filler repeated is a valid stream:
// the file is small and quick to make whatever it inflates to. The CRC is left zero: the
// reader must refuse long before it could check it.
func sheetTestBombXLSX(t testing.TB, filler string, repeats int, stated uint64) []byte {
	t.Helper()
	deflate := func(p []byte, final bool) []byte {
		var b bytes.Buffer
		w, _ := flate.NewWriter(&b, flate.BestCompression)
		w.Write(p)
		if final {
			w.Close()
		} else {
			w.Flush()
		}
		return b.Bytes()
	}
	head := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">`
	var body bytes.Buffer
	body.Write(deflate([]byte(head), false))
	chunk := deflate(bytes.Repeat([]byte(filler), (1<<20)/len(filler)), false)
	for range repeats {
		body.Write(chunk)
	}
	body.Write(deflate([]byte(`</row></sheetData></worksheet>`), true))
	good := sheetTestXLSX(t, []string{"<sheetData/>"})
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate,
				CompressedSize64: uint64(body.Len()), UncompressedSize64: stated})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(body.Bytes())
			continue
		}
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	zw.Close()
	return buf.Bytes()
}

// sheetTestMeasure runs fn and returns the bytes it allocated and how long it took.
func sheetTestMeasure(fn func()) (uint64, time.Duration) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	fn()
	d := time.Since(start)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, d
}

// sheetTestOpenAndRead opens data and reads every sheet through, returning the first error.
func sheetTestOpenAndRead(data []byte) error {
	s, err := openSpreadsheet(data)
	if err != nil {
		return err
	}
	defer s.Close()
	for _, sh := range s.Sheets() {
		rows, err := s.Rows(sh)
		if err != nil {
			return err
		}
		for rows.Next() {
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func TestZipBombRefused(t *testing.T) {
	const gib = 1 << 30
	cases := []struct {
		name    string
		filler  string
		repeats int    // MiB of filler the sheet really inflates to
		stated  uint64 // what the zip header says
		want    string
	}{
		// 3 GiB, stated honestly: refused from the zip directory before anything is inflated.
		{"3 GiB stated", " ", 3 << 10, 3 * gib, "解压后超过"},
		// 400 MiB of spaces, within the total limit, but a ratio no worksheet has: refused
		// from the zip directory.
		{"400 MiB of spaces", " ", 400, 400 << 20, "压缩比异常"},
		// 15 MiB of spaces, too small for the ratio rule: inflated once, and the endless run
		// of spaces (one XML token) refused after 1 MiB.
		{"15 MiB of spaces", " ", 15, 15 << 20, "超长"},
		// The header lies: 3 GiB of data claims 1 KB. Go's zip reader fails the part once it
		// passes the stated size; excelize alone ignores that error and keeps 1 KB of it.
		{"3 GiB stated as 1 KB", "<c/>", 3 << 10, 1024, "已损坏"},
		// 20 MiB (streamed from a temp file) said to be 17 MiB: the ratio gives it away.
		{"20 MiB stated as 17 MiB", "<c/>", 20, 17 << 20, "压缩比异常"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("TMPDIR", t.TempDir())
			data := sheetTestBombXLSX(t, tc.filler, tc.repeats, tc.stated)
			var err error
			alloc, took := sheetTestMeasure(func() { err = sheetTestOpenAndRead(data) })
			t.Logf("%d KB file: %v after %v, %d MB allocated", len(data)>>10, err, took.Round(time.Millisecond), alloc>>20)
			sheetTestInvalid(t, err, tc.want)
			if alloc > 300<<20 {
				t.Errorf("allocated %d MB", alloc>>20)
			}
			if took > 10*time.Second {
				t.Errorf("took %v", took)
			}
			if left, _ := os.ReadDir(os.Getenv("TMPDIR")); len(left) > 0 {
				t.Errorf("temp files left: %v", left)
			}
		})
	}
}

// What excelize does alone with a header that lies: it opens the file and shows a truncated
// sheet without any error. This is why xlsxCheckZip inflates such parts itself first.
func TestZipLyingHeaderExcelizeAlone(t *testing.T) {
	data := sheetTestBombXLSX(t, "<c/>", 3<<10, 1024)
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzippedBytes, UnzipXMLSizeLimit: sheetXMLMemLimit})
	if err != nil {
		t.Skipf("excelize now refuses it itself: %v", err)
	}
	defer f.Close()
	rows, err := f.Rows("S1")
	if err != nil {
		t.Skipf("excelize now refuses it itself: %v", err)
	}
	n := 0
	for rows.Next() {
		n++
	}
	rows.Close()
	t.Logf("excelize alone: no error, %d rows, error %v", n, rows.Error())
}

// sheetTestBigXLSX builds a rows × cols workbook with excelize's StreamWriter: asset-like text
// and numbers, inline strings as StreamWriter writes them.
func sheetTestBigXLSX(t testing.TB, rows, cols int) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	row := make([]any, cols)
	for r := 1; r <= rows; r++ {
		for c := range row {
			switch c % 5 {
			case 0:
				row[c] = fmt.Sprintf("JF-%d-%06d", 2000+c, r)
			case 1:
				row[c] = "台式计算机 联想启天M428"
			case 2:
				row[c] = float64(r%9000) + 0.5
			case 3:
				row[c] = 43000 + r%3000
			default:
				row[c] = "在用"
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A sheet above 16 MB of XML is streamed from a temp file; Close removes every temp file.
func TestSpreadsheetTempFilesRemoved(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 20 MB sheet")
	}
	data := sheetTestBigXLSX(t, 60000, 10)
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	s, err := openSpreadsheet(data)
	if err != nil {
		t.Fatal(err)
	}
	temps, _ := filepath.Glob(filepath.Join(dir, "excelize-*"))
	if len(temps) == 0 {
		t.Error("the big sheet was not unzipped to a temp file: is it above 16 MB?")
	}
	if n := s.EstimateRows("Sheet1"); n < 50000 || n > 70000 {
		t.Errorf("EstimateRows = %d, want about 60000", n)
	}
	for pass := 0; pass < 2; pass++ {
		rows, err := s.Rows("Sheet1")
		if err != nil {
			t.Fatal(err)
		}
		n, last := 0, 0
		for rows.Next() {
			n, last = n+1, rows.Row()
		}
		if err := rows.Close(); err != nil || rows.Err() != nil || n != 60000 || last != 60000 {
			t.Fatalf("pass %d: %d rows, last %d, %v %v", pass, n, last, err, rows.Err())
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("temp files left after Close: %v", left)
	}
}

var sheetBench struct {
	once sync.Once
	data []byte
}

// sheetBenchData is the 100,000 × 15 workbook of the benchmarks, built once.
func sheetBenchData(b *testing.B) []byte {
	sheetBench.once.Do(func() { sheetBench.data = sheetTestBigXLSX(b, 100000, 15) })
	return sheetBench.data
}

// BenchmarkSpreadsheetRows opens and streams 100,000 rows × 15 columns through our wrapper;
// compare with BenchmarkExcelizeRows, the bare excelize loop.
func BenchmarkSpreadsheetRows(b *testing.B) {
	data := sheetBenchData(b)
	b.ResetTimer()
	for range b.N {
		s, err := openSpreadsheet(data)
		if err != nil {
			b.Fatal(err)
		}
		rows, err := s.Rows("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			n += len(rows.Cells())
		}
		rows.Close()
		s.Close()
		if n != 1500000 {
			b.Fatalf("%d cells", n)
		}
	}
}

func BenchmarkExcelizeRows(b *testing.B) {
	data := sheetBenchData(b)
	b.ResetTimer()
	for range b.N {
		f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true,
			UnzipSizeLimit: maxUnzippedBytes, UnzipXMLSizeLimit: sheetXMLMemLimit})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			cells, err := rows.Columns()
			if err != nil {
				b.Fatal(err)
			}
			n += len(cells)
		}
		rows.Close()
		f.Close()
		if n != 1500000 {
			b.Fatalf("%d cells", n)
		}
	}
}

// FuzzOpenSpreadsheet: whatever the bytes, opening and reading never panics, and failures are
// user-facing errors. The seeds are the testdata files and testdata/fuzz/FuzzOpenSpreadsheet.
func FuzzOpenSpreadsheet(f *testing.F) {
	files, _ := filepath.Glob("testdata/import/*")
	for _, name := range files {
		if ext := filepath.Ext(name); ext == ".xls" || ext == ".xlsx" || ext == ".csv" {
			if data, err := os.ReadFile(name); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := openSpreadsheet(data)
		if err != nil {
			if models.ErrorCode(err) != models.EInvalid {
				t.Fatalf("not a user-facing error: %v", err)
			}
			return
		}
		defer s.Close()
		for _, sh := range s.all {
			s.EstimateRows(sh)
			rows, err := s.Rows(sh)
			if err != nil {
				continue
			}
			for n := 0; rows.Next() && n < 100000; n++ {
				rows.Cells()
			}
			rows.Close()
			if err := rows.Err(); err != nil && models.ErrorCode(err) != models.EInvalid {
				t.Fatalf("not a user-facing error: %v", err)
			}
		}
	})
}

// The date system and Boolean cells of real files (testdata/import/README.md): a workbook in
// the 1904 date system says so, its date cells stay serial numbers of that system, and Boolean
// cells read as Excel shows them, whichever program wrote the file.
func TestSpreadsheetDateSystemAndBooleans(t *testing.T) {
	for _, c := range []struct {
		file  string
		d1904 bool
		cells map[string]string
	}{
		{"mac_1904.xlsx", true, map[string]string{"F2": "42124", "F3": "42443", "H2": "TRUE", "H3": "FALSE", "D2": "1"}},
		{"mac_1904_lo.xls", true, map[string]string{"F2": "42124", "F3": "42443", "H2": "TRUE", "H3": "FALSE", "D2": "1"}},
		{"mac_1904_xlwt.xls", true, map[string]string{"F2": "42124", "F3": "42443", "H2": "TRUE", "H3": "FALSE", "D2": "1"}},
		{"web_dates.xlsx", false, map[string]string{"F2": "2023-01-09T00:00:00.000Z", "F4": "2023-01-09T08:30:00", "F5": "2023-01-09 00:00:00", "H2": "TRUE", "H3": "FALSE", "D2": "1"}},
		{"messy_lo.xlsx", false, map[string]string{"I5": "43586"}},
		{"messy_lo.xls", false, map[string]string{"I5": "43586"}},
	} {
		data, err := os.ReadFile(filepath.Join("testdata/import", c.file))
		if err != nil {
			t.Fatal(err)
		}
		s, err := openSpreadsheet(data)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if s.Date1904() != c.d1904 {
			t.Errorf("%s: Date1904 = %v, want %v", c.file, s.Date1904(), c.d1904)
		}
		rows, _ := sheetTestRead(t, s, s.Sheets()[0])
		for ref, want := range c.cells {
			if got := sheetTestCell(t, rows, ref); got != want {
				t.Errorf("%s %s = %q, want %q", c.file, ref, got, want)
			}
		}
		// Only a sheet with Booleans is read a second time for them.
		if s.format == formatXLSX && s.xlsxBools[s.Sheets()[0]] != (c.file != "messy_lo.xlsx") {
			t.Errorf("%s: read for Booleans: %v", c.file, s.xlsxBools[s.Sheets()[0]])
		}
		s.Close()
	}
}

// The attribute of a Boolean cell is found wherever the reads of a part split it (64 KB each).
func TestXLSXCheckPartFindsBooleans(t *testing.T) {
	for _, at := range []int{0, 65530, 65531, 65532, 65533, 65534, 65535, 65536, 131068, 131071} {
		for _, attr := range []string{`t="b"`, `t='b'`, `t="s"`} {
			body := strings.Repeat("x", at) + attr + strings.Repeat("y", 70000)
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Store})
			w.Write([]byte(body))
			zw.Close()
			zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
			if err != nil {
				t.Fatal(err)
			}
			got, err := xlsxCheckPart(zr.File[0], true)
			if want := attr != `t="s"`; err != nil || got != want {
				t.Errorf("%s at %d: %v, %v; want %v", attr, at, got, err, want)
			}
		}
	}
}
