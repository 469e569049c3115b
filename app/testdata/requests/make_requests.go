//go:build ignore

// make_requests writes the request sheets of this directory (see README.md): run it here with
// `go run make_requests.go`.
package main

import (
	"bytes"
	"encoding/csv"
	"log"
	"os"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// messy is a unit's sheet of requests as a clerk writes it: a title and a note row above the
// header (row 3, with header variants), four requests on rows 4–7, a 合计 row and signatures.
var messy = [][]any{
	{"经济发展局2027年度资产购置需求表"},
	{"填报单位：经济发展局", nil, nil, nil, nil, "金额单位：元"},
	{"序号", "资产分类", "名称", "技术参数", "需求数量", "单价（元）", "计划使用日期", "申请理由", "可接受成色", "拟替换资产"},
	{1, "A02010105", "台式计算机", "i5/16G/512G SSD", "3台", "4,800.00", time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), "旧机故障频繁", "完好", "JF-2015-001、JF-2015-002"},
	{2, "A05010301 办公椅", "办公椅", "", 10, "￥650", "2027/4/1", "新增编制", "全新", ""},
	{3, "便携式计算机", "笔记本电脑", "14 英寸，16G 内存", "1", 6500, "2027年5月", "外勤办公", "usable", nil},
	{4, "A02021004", "彩色打印机", "A4 彩色激光", 1, "1,200", "", "", "", "JF-2016-007"},
	{"合计", nil, nil, nil, 15, nil},
	nil,
	{"填表人：王会计", nil, nil, "审核人：李科长", nil, "填表日期：2026-11-20"},
}

// withErrors has a problem in nearly every column: rows 3–8.
var withErrors = [][]any{
	{"购置需求表"},
	{"分类代码", "品目名称", "配置要求", "数量", "预算单价（万元）", "需要日期", "购置理由", "最低成色", "替换资产编号"},
	{"A02010105", "台式计算机", "", 2, 0.48, "2027-03-01", "", "完好", ""},
	{"Z99999999", "不存在的分类", "", 1, 0.1, "", "", "", ""},
	{"A02010105", "", "", "两台", "abc", "2027-13-45", "", "报废", ""},
	{"A05010301", "办公椅", "", 0, -0.1, "", "", "", "JF-9999-999"},
	{"2010000", "计算机", "", 1, "", "", "", "", ""},
	{"A02010108", "笔记本电脑", "", 1, 0.65, "", "", "仅残值", "JF-2015-001；JF-404"},
}

func main() {
	writeXLSX("requests_messy.xlsx", "购置需求", messy)
	writeXLSX("requests_errors.xlsx", "Sheet1", withErrors)

	// The messy sheet as Excel saves a CSV on a Chinese Windows: GBK, every value as text.
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	for _, row := range messy {
		rec := make([]string, len(row))
		for i, v := range row {
			switch x := v.(type) {
			case nil:
			case time.Time:
				rec[i] = x.Format("2006/1/2")
			case string:
				rec[i] = x
			default:
				rec[i] = toString(x)
			}
		}
		if err := w.Write(rec); err != nil {
			log.Fatal(err)
		}
	}
	w.Flush()
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(buf.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("requests_messy_gbk.csv", gbk, 0o644); err != nil {
		log.Fatal(err)
	}
}

func toString(v any) string {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	log.Fatalf("unexpected value %v", v)
	return ""
}

func writeXLSX(name, sheet string, rows [][]any) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		log.Fatal(err)
	}
	dateFmt := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		log.Fatal(err)
	}
	for r, row := range rows {
		for c, v := range row {
			if v == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := f.SetCellValue(sheet, cell, v); err != nil {
				log.Fatal(err)
			}
			if _, ok := v.(time.Time); ok {
				if err := f.SetCellStyle(sheet, cell, cell, dateStyle); err != nil {
					log.Fatal(err)
				}
			}
		}
	}
	if err := f.MergeCell(sheet, "A1", "J1"); err != nil {
		log.Fatal(err)
	}
	if err := f.SaveAs(name); err != nil {
		log.Fatal(err)
	}
}
