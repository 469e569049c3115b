//go:build ignore

// make_multisheet writes multisheet.xlsx, which LibreOffice then converts to multisheet_lo.xls
// (see README.md): a 说明 sheet first, the inventory of messy_utf8.csv second with numbers,
// real dates and a SUM formula, a hidden sheet and a chart sheet that the import must not offer.
package main

import (
	"encoding/csv"
	"io"
	"log"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

func main() {
	in, err := os.Open("messy_utf8.csv")
	if err != nil {
		log.Fatal(err)
	}
	r := csv.NewReader(in)
	r.FieldsPerRecord = -1
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "说明")
	f.SetCellStr("说明", "A1", "填表说明")
	f.SetCellStr("说明", "A2", "1. 资产清单见第二个工作表；金额单位为元。")
	f.SetCellStr("说明", "A3", "2. 取得日期按“年-月-日”填写。")
	f.NewSheet("资产清单")
	f.NewSheet("隐藏备查")
	f.SetCellStr("隐藏备查", "A1", "不应导入")
	f.SetSheetVisible("隐藏备查", false)
	dates := map[string]time.Time{
		"2019-05-01": time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC), "2019/5/1": time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC),
		"2020年3月15日": time.Date(2020, 3, 15, 0, 0, 0, 0, time.UTC), "2017-12-20": time.Date(2017, 12, 20, 0, 0, 0, 0, time.UTC),
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			log.Fatal(err)
		}
		row, _ := r.FieldPos(0) // the line number: blank lines stay blank rows
		for j, v := range rec {
			cell, _ := excelize.CoordinatesToCellName(j+1, row)
			if v == "" {
				continue
			}
			if row >= 5 && row <= 14 {
				if d, ok := dates[v]; ok && j == 8 {
					f.SetCellValue("资产清单", cell, d)
					continue
				}
				if j == 0 || j == 5 || j == 7 {
					if n, err := strconv.ParseFloat(strings.NewReplacer(",", "", "￥", "").Replace(v), 64); err == nil {
						f.SetCellFloat("资产清单", cell, n, -1, 64)
						continue
					}
				}
			}
			if row == 15 && j == 7 {
				f.SetCellFormula("资产清单", cell, "SUM(H5:H14)")
				continue
			}
			f.SetCellStr("资产清单", cell, v)
		}
	}
	if err := f.AddChartSheet("图表", &excelize.Chart{
		Type:   excelize.Col,
		Series: []excelize.ChartSeries{{Name: "资产清单!$H$4", Categories: "资产清单!$C$5:$C$14", Values: "资产清单!$H$5:$H$14"}},
	}); err != nil {
		log.Fatal(err)
	}
	if err := f.SaveAs("multisheet.xlsx"); err != nil {
		log.Fatal(err)
	}
}
