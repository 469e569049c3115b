//go:build ignore

// make_dates_headers writes the files for dates as web systems and older Mac Excel store them,
// Boolean cells and a two-row header (see README.md): web_dates.xlsx, web_dates.csv,
// mac_1904.xlsx and two_row_header.xlsx. LibreOffice then converts some of them to .xls and
// CSV. Run it here with `go run make_dates_headers.go`.
package main

import (
	"archive/zip"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

func main() {
	webDatesXLSX()
	webDatesCSV()
	mac1904()
	twoRowHeader()
}

// webRows are the rows of web_dates: the header, then five cards acquired on 2023-01-09, the
// date written five ways, and Booleans in the 备注 column of the first two.
var webRows = [][]string{
	{"资产编号", "资产名称", "资产分类", "数量", "原值（元）", "取得日期", "使用状况", "备注"},
	{"WEB-001", "台式计算机", "A02010105", "1", "4999", "2023-01-09T00:00:00.000Z", "在用", "TRUE"},
	{"WEB-002", "笔记本电脑", "A02010108", "1", "6800", "2023-01-08T16:00:00.000Z", "在用", "FALSE"},
	{"WEB-003", "办公椅", "A05010301", "20", "12800", "2023-01-09T08:30:00", "闲置", ""},
	{"WEB-004", "文件柜", "A05010502", "2", "2000", "2023-01-09 00:00:00", "在用", ""},
	{"WEB-005", "彩色打印机", "A02021004", "1", "3200", "2023/1/9 8:30", "在用", ""},
}

// webDatesXLSX writes web_dates.xlsx by hand, as a web system exports it: the first three dates
// as ISO 8601 date cells (t="d", two of them instants in UTC), the other two as text in the
// shared string table, numbers as numbers and the remarks TRUE and FALSE as Boolean cells
// (t="b"). Neither Excel nor excelize writes date cells, so the XML is written here.
func webDatesXLSX() {
	var sst []string
	index := map[string]int{}
	shared := func(s string) int {
		if i, ok := index[s]; ok {
			return i
		}
		index[s] = len(sst)
		sst = append(sst, s)
		return len(sst) - 1
	}
	var sheet strings.Builder
	for r, row := range webRows {
		fmt.Fprintf(&sheet, `<row r="%d">`, r+1)
		for c, v := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			switch {
			case v == "":
			case r > 0 && (c == 3 || c == 4):
				fmt.Fprintf(&sheet, `<c r="%s"><v>%s</v></c>`, ref, v)
			case r > 0 && c == 5 && r <= 3:
				fmt.Fprintf(&sheet, `<c r="%s" s="1" t="d"><v>%s</v></c>`, ref, v)
			case r > 0 && c == 7:
				b := map[string]string{"TRUE": "1", "FALSE": "0"}[v]
				fmt.Fprintf(&sheet, `<c r="%s" t="b"><v>%s</v></c>`, ref, b)
			default:
				fmt.Fprintf(&sheet, `<c r="%s" t="s"><v>%d</v></c>`, ref, shared(v))
			}
		}
		sheet.WriteString(`</row>`)
	}
	var sis strings.Builder
	for _, s := range sst {
		fmt.Fprintf(&sis, `<si><t>%s</t></si>`, s)
	}
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook ` + ns + ` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="资产导出" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet ` + ns + `><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`},
		{"xl/sharedStrings.xml", fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst %s count="%d" uniqueCount="%d">%s</sst>`, ns, len(sst), len(sst), sis.String())},
		{"xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ` + ns + `><dimension ref="A1:H6"/><sheetData>` + sheet.String() + `</sheetData></worksheet>`},
	}
	out, err := os.Create("web_dates.xlsx")
	if err != nil {
		log.Fatal(err)
	}
	zw := zip.NewWriter(out)
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			log.Fatal(err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			log.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := out.Close(); err != nil {
		log.Fatal(err)
	}
}

// webDatesCSV writes the same rows as a web system's CSV export: every value as text.
func webDatesCSV() {
	var b strings.Builder
	for _, row := range webRows {
		b.WriteString(strings.Join(row, ",") + "\n")
	}
	if err := os.WriteFile("web_dates.csv", []byte(b.String()), 0o644); err != nil {
		log.Fatal(err)
	}
}

// mac1904 writes mac_1904.xlsx, a workbook in the 1904 date system as older Mac Excel saves
// it: its date cells hold serial numbers counted from 1904-01-01 (2019-05-01 is 42124, where
// the 1900 system has 43586), and its remarks hold Boolean cells.
func mac1904() {
	f := excelize.NewFile()
	defer f.Close()
	yes := true
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
		log.Fatal(err)
	}
	const sh = "资产清单"
	f.SetSheetName("Sheet1", sh)
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		log.Fatal(err)
	}
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	rows := [][]any{
		{"资产编号", "资产名称", "资产分类", "数量", "原值（元）", "取得日期", "使用状况", "备注"},
		{"MAC-001", "台式计算机", "A02010105", 1, 4999, day(2019, 5, 1), "在用", true},
		{"MAC-002", "笔记本电脑", "A02010108", 1, 6800, day(2020, 3, 15), "闲置", false},
		{"MAC-003", "办公椅", "A05010301", 20, 12800, day(2017, 12, 20), "在用", "单价640元"},
	}
	for r, row := range rows {
		for c, v := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			switch v := v.(type) {
			case time.Time: // excelize counts the serial in the workbook's date system
				if err := f.SetCellValue(sh, ref, v); err != nil {
					log.Fatal(err)
				}
				f.SetCellStyle(sh, ref, ref, dateStyle)
			case bool:
				f.SetCellBool(sh, ref, v)
			default:
				f.SetCellValue(sh, ref, v)
			}
		}
	}
	if err := f.SaveAs("mac_1904.xlsx"); err != nil {
		log.Fatal(err)
	}
}

// twoRowHeader writes two_row_header.xlsx: a title, a note row and a header on rows 3–4 whose
// group titles 价值（元） (over 原值, 累计折旧, 净值) and 使用信息 (over 使用部门, 使用人) are
// merged across the top of their sub-columns, the other headers merged down both rows, except
// 存放地点, written in row 3 only; three cards on rows 5–7 and a total row.
func twoRowHeader() {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "资产清查"
	f.SetSheetName("Sheet1", sh)
	rows := [][]any{
		{"经济发展局固定资产清查明细表"},
		{"填报单位：经济发展局", nil, nil, nil, nil, nil, nil, nil, nil, nil, "金额单位：元"},
		{"序号", "资产编号", "资产名称", "资产分类", "数量", "价值（元）", nil, nil, "取得日期", "使用状况", "使用信息", nil, "存放地点"},
		{nil, nil, nil, nil, nil, "原值", "累计折旧", "净值", nil, nil, "使用部门", "使用人"},
		{1, "JF-2019-001", "台式计算机", "A02010105", 1, 4999, 3000, 1999, "2019-05-01", "在用", "办公室", "张伟", "302室"},
		{2, "JF-2019-002", "笔记本电脑", "A02010108", 1, 6800, 4000, 2800, "2019/5/1", "在用", "综合科", "李娜", "305室"},
		{3, "JF-2019-003", "办公椅", "A05010301", 20, 12800, 5000, 7800, "2018.06", "闲置", "业务科", "王芳", "库房"},
		{"合计", nil, nil, nil, 22, 24599, 12000, 12599},
	}
	for r, row := range rows {
		for c, v := range row {
			if v == nil {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := f.SetCellValue(sh, ref, v); err != nil {
				log.Fatal(err)
			}
		}
	}
	for _, m := range [][2]string{{"A1", "M1"}, {"A3", "A4"}, {"B3", "B4"}, {"C3", "C4"}, {"D3", "D4"}, {"E3", "E4"},
		{"F3", "H3"}, {"I3", "I4"}, {"J3", "J4"}, {"K3", "L3"}} {
		if err := f.MergeCell(sh, m[0], m[1]); err != nil {
			log.Fatal(err)
		}
	}
	if err := f.SaveAs("two_row_header.xlsx"); err != nil {
		log.Fatal(err)
	}
}
