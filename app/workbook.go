package app

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"assetpool/models"
)

// Sheets of the inventory template and of exported registers.
const (
	wbSheetAssets       = "资产清单"
	wbSheetInstructions = "填写说明"
	wbSheetCategories   = "分类代码"
)

const (
	// wbTemplateRows is how far down the dropdowns reach on an empty template or a short register.
	wbTemplateRows = 10000
	// wbMaxComments bounds the cell comments of an error workbook: excelize scans the sheet's
	// existing comments on every insertion, so thousands of them would make the download quadratic.
	// The fill and the 错误说明 column still mark every issue.
	wbMaxComments = 1000
	// wbErrorHeader is the header of the column an error workbook appends.
	wbErrorHeader = "错误说明"
)

// wbColumns returns the columns the template and the register write: every field but the unit
// price, which is only read from sheets that have no total value.
func wbColumns() []fieldDef {
	cols := make([]fieldDef, 0, len(importFields))
	for _, f := range importFields {
		if f.Key != fieldUnitPrice {
			cols = append(cols, f)
		}
	}
	return cols
}

// writeTemplate writes the empty inventory template: sheet 资产清单 with the header row, dropdowns
// for 使用状况, 完好程度 and 资产分类 (listed on the hidden sheet 分类代码), and the 填写说明 sheet.
func writeTemplate(w io.Writer, cats []models.Category) error {
	return writeAssetBook(w, cats, nil, func(*wbAssetBook) error { return nil })
}

// writeAssetBook streams a workbook in the template layout, with the extra columns after the
// template's, whose rows fill writes in order.
func writeAssetBook(w io.Writer, cats []models.Category, extra []wbExtraColumn, fill func(*wbAssetBook) error) error {
	f := excelize.NewFile()
	defer f.Close()
	b, err := wbNewAssetBook(f, cats, extra)
	if err != nil {
		return err
	}
	if err := fill(b); err != nil {
		return err
	}
	if err := b.finish(); err != nil {
		return err
	}
	return wbWrite(f, w)
}

// wbWrite writes f straight to w. excelize's own Write first builds the whole zip in a
// bytes.Buffer, which for a million-row register means tens of megabytes held at once.
// (Write would also patch zip64 local headers for parts over 4 GB; a register never gets near.)
func wbWrite(f *excelize.File, w io.Writer) error {
	z := &wbZip{Writer: zip.NewWriter(w)}
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return z })
	if err := f.Write(io.Discard); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// wbZip is the zip writer of wbWrite. It passes worksheets through wbRelsFixer.
type wbZip struct {
	*zip.Writer
	fixer *wbRelsFixer
}

// Create starts the next part, after flushing the previous worksheet's held-back bytes.
func (z *wbZip) Create(name string) (io.Writer, error) {
	if err := z.flush(); err != nil {
		return nil, err
	}
	w, err := z.Writer.Create(name)
	if err != nil || !strings.HasPrefix(name, "xl/worksheets/") {
		return w, err
	}
	z.fixer = &wbRelsFixer{w: w}
	return z.fixer, nil
}

// Close ends the archive.
func (z *wbZip) Close() error {
	if err := z.flush(); err != nil {
		return err
	}
	return z.Writer.Close()
}

func (z *wbZip) flush() error {
	if z.fixer == nil {
		return nil
	}
	_, err := z.fixer.w.Write(z.fixer.tail)
	z.fixer = nil
	return err
}

// wbInlineRels is how excelize's StreamWriter marshals the r:id of <legacyDrawing> (the cell
// comments): with an inline namespace declaration. excelize rewrites it to the root's r: prefix
// for normal sheets because some readers reject the inline form; streamed sheets skip that step.
var wbInlineRels = []byte(`xmlns:relationships="http://schemas.openxmlformats.org/officeDocument/2006/relationships" relationships`)

// wbRelsFixer rewrites wbInlineRels to "r" on the fly, holding back the last bytes of each
// write in case the pattern straddles two writes.
type wbRelsFixer struct {
	w    io.Writer
	tail []byte
}

func (x *wbRelsFixer) Write(p []byte) (int, error) {
	data := make([]byte, 0, len(x.tail)+len(p))
	data = append(data, x.tail...)
	data = append(data, p...)
	data = bytes.ReplaceAll(data, wbInlineRels, []byte("r"))
	keep := min(len(data), len(wbInlineRels)-1)
	x.tail = append(x.tail[:0], data[len(data)-keep:]...)
	if _, err := x.w.Write(data[:len(data)-keep]); err != nil {
		return 0, err
	}
	return len(p), nil
}

// wbExtraColumn is a column a register export adds after the template's columns: information
// for the reader (the unit, computed values) whose header the import maps to nothing.
type wbExtraColumn struct {
	Header string
	Money  bool
	Width  float64
}

// wbAssetBook is a template or register whose 资产清单 sheet is being streamed.
type wbAssetBook struct {
	f     *excelize.File
	sw    *excelize.StreamWriter
	cols  []fieldDef
	extra []wbExtraColumn
	// catNames maps category codes to names, to write categories as "CODE 名称".
	catNames map[string]string
	catCount int
	row      int
	vals     []any
}

// wbNewAssetBook prepares the three sheets and writes the header row of 资产清单. The 填写说明
// and 分类代码 sheets are complete when it returns; the asset rows follow.
func wbNewAssetBook(f *excelize.File, cats []models.Category, extra []wbExtraColumn) (*wbAssetBook, error) {
	b := &wbAssetBook{f: f, cols: wbColumns(), extra: extra, catNames: make(map[string]string, len(cats))}
	b.vals = make([]any, len(b.cols)+len(extra))
	if err := f.SetSheetName(f.GetSheetName(0), wbSheetAssets); err != nil {
		return nil, err
	}
	for _, name := range []string{wbSheetInstructions, wbSheetCategories} {
		if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
	}
	// Hidden before streaming: SetSheetVisible touches the sheet views, which a flushed
	// stream no longer has.
	if err := f.SetSheetVisible(wbSheetCategories, false); err != nil {
		return nil, err
	}
	var catLabels []string
	for _, c := range cats {
		if c.Code == "" {
			continue
		}
		b.catNames[c.Code] = c.Name
		catLabels = append(catLabels, wbCategoryLabel(c.Code, c.Name))
	}
	b.catCount = len(catLabels)
	if err := wbWriteCategorySheet(f, catLabels); err != nil {
		return nil, err
	}
	if err := wbWriteInstructions(f, b.cols); err != nil {
		return nil, err
	}

	headStyle, err := f.NewStyle(wbHeaderStyle("1F3864"))
	if err != nil {
		return nil, err
	}
	requiredStyle, err := f.NewStyle(wbHeaderStyle("C00000"))
	if err != nil {
		return nil, err
	}
	textStyle, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": typed asset numbers keep leading zeros
	if err != nil {
		return nil, err
	}
	moneyStyle, err := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	if err != nil {
		return nil, err
	}
	dateFmt := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return nil, err
	}

	sw, err := f.NewStreamWriter(wbSheetAssets)
	if err != nil {
		return nil, err
	}
	b.sw = sw
	header := make([]any, len(b.cols)+len(extra))
	// Right to left: the StreamWriter writes <col> elements in reverse order of setting, and
	// Excel wants them ascending.
	if len(extra) > 0 {
		// Grey headers: shown for the reader, not imported.
		extraStyle, err := f.NewStyle(wbHeaderStyle("7F7F7F"))
		if err != nil {
			return nil, err
		}
		for i := len(extra) - 1; i >= 0; i-- {
			c := extra[i]
			col := len(b.cols) + i + 1
			style := textStyle
			if c.Money {
				style = moneyStyle
			}
			if err := sw.SetColStyle(col, col, style); err != nil {
				return nil, err
			}
			if err := sw.SetColWidth(col, col, c.Width); err != nil {
				return nil, err
			}
			header[len(b.cols)+i] = excelize.Cell{StyleID: extraStyle, Value: c.Header}
		}
	}
	for i := len(b.cols) - 1; i >= 0; i-- {
		c := b.cols[i]
		col := i + 1
		style := textStyle
		switch {
		case c.Money:
			style = moneyStyle
		case c.Key == fieldAcquiredOn:
			style = dateStyle
		case c.Key == fieldQuantity:
			style = 0
		}
		if style != 0 {
			if err := sw.SetColStyle(col, col, style); err != nil {
				return nil, err
			}
		}
		if err := sw.SetColWidth(col, col, wbColumnWidth(c)); err != nil {
			return nil, err
		}
		hs := headStyle
		if c.Required {
			hs = requiredStyle
		}
		header[i] = excelize.Cell{StyleID: hs, Value: c.Header}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 22}); err != nil {
		return nil, err
	}
	b.row = 1
	return b, nil
}

// writeAsset appends one asset card as a row, with the values of the extra columns.
func (b *wbAssetBook) writeAsset(a *models.Asset, extra ...any) error {
	for i, c := range b.cols {
		b.vals[i] = b.cellOf(a, c.Key)
	}
	for i := range b.extra {
		b.vals[len(b.cols)+i] = nil
		if i < len(extra) {
			b.vals[len(b.cols)+i] = extra[i]
		}
	}
	b.row++
	cell, err := excelize.CoordinatesToCellName(1, b.row)
	if err != nil {
		return err
	}
	if err := b.sw.SetRow(cell, b.vals); err != nil {
		return fmt.Errorf("write register row %d: %w", b.row, err)
	}
	return nil
}

// cellOf returns the cell value of one field of a: nil leaves the cell blank, which the import
// reads as "keep the stored value", so blank text and absent book values survive a round trip.
func (b *wbAssetBook) cellOf(a *models.Asset, k importField) any {
	switch k {
	case fieldAssetNo:
		return wbText(a.AssetNo)
	case fieldName:
		return wbText(a.Name)
	case fieldCategory:
		if a.CategoryCode == "" {
			return nil
		}
		return wbCategoryLabel(a.CategoryCode, b.catNames[a.CategoryCode])
	case fieldQuantity:
		return a.Quantity
	case fieldMeasureUnit:
		return wbText(a.MeasureUnit)
	case fieldOriginalValue:
		return wbYuan(a.OriginalValue)
	case fieldAcquiredOn:
		return wbDate(a.AcquiredOn)
	case fieldAcquisitionMethod:
		return wbText(a.AcquisitionMethod)
	case fieldDepreciation:
		if a.BookDepreciation == nil {
			return nil
		}
		return wbYuan(*a.BookDepreciation)
	case fieldNetValue:
		if a.BookNetValue == nil {
			return nil
		}
		return wbYuan(*a.BookNetValue)
	case fieldUsageStatus:
		return wbText(a.UsageStatus.Label())
	case fieldCondition:
		return wbText(a.Condition.Label())
	case fieldDepartment:
		return wbText(a.Department)
	case fieldCustodian:
		return wbText(a.Custodian)
	case fieldLocation:
		return wbText(a.Location)
	case fieldModel:
		return wbText(a.Model)
	case fieldBrand:
		return wbText(a.Brand)
	case fieldSerialNo:
		return wbText(a.SerialNo)
	case fieldFundingSource:
		return wbText(a.FundingSource)
	case fieldRemarks:
		return wbText(a.Remarks)
	}
	return nil
}

// finish adds the dropdowns, now that the last row is known, and ends the stream. Validations
// live on the worksheet object, which the StreamWriter writes out at Flush.
func (b *wbAssetBook) finish() error {
	last := max(b.row, wbTemplateRows)
	for i, c := range b.cols {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		dv := excelize.NewDataValidation(true)
		dv.Sqref = col + "2:" + col + strconv.Itoa(last)
		switch c.Key {
		case fieldUsageStatus:
			labels := make([]string, len(models.UsageStatuses))
			for j, s := range models.UsageStatuses {
				labels[j] = s.Label()
			}
			if err := dv.SetDropList(labels); err != nil {
				return err
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, c.Header, "请从下拉列表中选择："+strings.Join(labels, "、"))
		case fieldCondition:
			labels := make([]string, len(models.Conditions))
			for j, s := range models.Conditions {
				labels[j] = s.Label()
			}
			if err := dv.SetDropList(labels); err != nil {
				return err
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, c.Header, "请从下拉列表中选择："+strings.Join(labels, "、"))
		case fieldCategory:
			if b.catCount == 0 {
				continue
			}
			// A sheet range, not an inline list: inline lists stop at 255 characters.
			dv.SetSqrefDropList(fmt.Sprintf("'%s'!$A$1:$A$%d", wbSheetCategories, b.catCount))
			// Only a warning: the import also accepts a bare code or a category name.
			dv.SetError(excelize.DataValidationErrorStyleWarning, c.Header, "不在分类表中。可从下拉列表选择，或填写分类代码、分类名称。")
		default:
			continue
		}
		if err := b.f.AddDataValidation(wbSheetAssets, dv); err != nil {
			return err
		}
	}
	return b.sw.Flush()
}

// wbWriteCategorySheet lists every category as "CODE 名称" in column A, the source of the
// 资产分类 dropdown.
func wbWriteCategorySheet(f *excelize.File, labels []string) error {
	sw, err := f.NewStreamWriter(wbSheetCategories)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, 40); err != nil {
		return err
	}
	for i, l := range labels {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, []any{l}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// wbRules are the rules printed under the column list of the 填写说明 sheet.
var wbRules = []string{
	"每张资产卡片（一物一卡）填一行；一张卡片有多件时填写数量，如 20 把同样的椅子填一行、数量 20。",
	"资产编号在本单位内必须唯一，是导入时识别卡片的依据：编号已存在的行更新该卡片，新编号新增卡片。",
	"再次导入时，空白单元格保留系统中已有的值，不会清空原值。",
	"日期写成 2019-05-01、2019/5/1 或 2019年5月1日，也可以直接使用 Excel 日期格式。",
	"金额单位为元，最多两位小数，如 4999.00；不要填写“万元”。",
	"资产分类可从下拉列表选择（代码 名称），也可只填分类代码或分类名称。",
	"使用状况、完好程度请从下拉列表选择。",
	"红色表头为必填列。请保留第一行表头文字；不认识的列不会导入。",
}

// wbWriteInstructions writes the 填写说明 sheet: one line per column, then the rules.
func wbWriteInstructions(f *excelize.File, cols []fieldDef) error {
	titleStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	headStyle, err := f.NewStyle(wbHeaderStyle("1F3864"))
	if err != nil {
		return err
	}
	wrapStyle, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	boldStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(wbSheetInstructions)
	if err != nil {
		return err
	}
	widths := []float64{18, 10, 50, 60}
	for col := len(widths); col >= 1; col-- { // right to left, see wbNewAssetBook
		if err := sw.SetColWidth(col, col, widths[col-1]); err != nil {
			return err
		}
	}
	rows := [][]any{
		{excelize.Cell{StyleID: titleStyle, Value: "资产清单填写说明"}},
		nil,
		{excelize.Cell{StyleID: headStyle, Value: "列名"}, excelize.Cell{StyleID: headStyle, Value: "是否必填"},
			excelize.Cell{StyleID: headStyle, Value: "填写要求"}, excelize.Cell{StyleID: headStyle, Value: "也能识别的列名"}},
	}
	for _, c := range cols {
		required := "选填"
		if c.Required {
			required = "必填"
		}
		hint := c.Hint
		if hint == "" {
			hint = "文字，可空"
		}
		rows = append(rows, []any{c.Header, required, excelize.Cell{StyleID: wrapStyle, Value: hint},
			excelize.Cell{StyleID: wrapStyle, Value: strings.Join(c.Variants, "、")}})
	}
	rows = append(rows, nil, []any{excelize.Cell{StyleID: boldStyle, Value: "填写规则"}})
	for i, r := range wbRules {
		rows = append(rows, []any{fmt.Sprintf("%d. %s", i+1, r)})
	}
	for i, vals := range rows {
		if err := sw.SetRow("A"+strconv.Itoa(i+1), vals); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// wbHeaderStyle is the bold, filled, bordered style of header cells in the given font colour.
func wbHeaderStyle(color string) *excelize.Style {
	border := func(side string) excelize.Border {
		return excelize.Border{Type: side, Color: "8EA9DB", Style: 1}
	}
	return &excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: color},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Border:    []excelize.Border{border("left"), border("right"), border("top"), border("bottom")},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		NumFmt:    49,
	}
}

// wbColumnWidth is a column's width in characters, wide enough for typical content.
func wbColumnWidth(c fieldDef) float64 {
	switch c.Key {
	case fieldName, fieldModel, fieldLocation:
		return 24
	case fieldCategory:
		return 28
	case fieldAssetNo, fieldSerialNo:
		return 20
	case fieldRemarks:
		return 30
	case fieldQuantity, fieldMeasureUnit:
		return 10
	}
	if c.Money {
		return 16
	}
	return 14
}

// wbCategoryLabel is how the template's dropdown and the register show a category.
func wbCategoryLabel(code, name string) string {
	if name == "" {
		return code
	}
	return code + " " + name
}

// wbText returns s as a cell value, nil for an empty string so the cell stays blank.
func wbText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// wbYuan converts fen to a numeric cell value in yuan. Dividing by 100 (not multiplying by 0.01)
// gives the double nearest to the two-decimal amount, and excelize writes the shortest text that
// reads back as that double, so the file holds "4999.99", never "4999.9899999999998". This holds
// while the amount has at most 15 significant digits (below 10 trillion yuan).
func wbYuan(m models.Money) float64 { return float64(m) / 100 }

// wbDate returns d as a date cell value; Excel's 1900 date system cannot hold earlier days, so
// they are written as text, and the zero Date leaves the cell blank.
func wbDate(d models.Date) any {
	switch {
	case d.IsZero():
		return nil
	case d.Year < 1901:
		return d.String()
	}
	return d.Time()
}

// cellIssue is one problem found in an uploaded row; Col is the 0-based column in the uploaded
// sheet, or -1 when the problem concerns the whole row (e.g. a duplicate asset number that has no
// single cell, or a missing required column).
type cellIssue struct {
	Col     int
	Message string
}

// writeErrorWorkbook writes the uploaded sheet back as .xlsx so the clerk can fix it in place and
// upload it again: every row at its original row number, cell texts as read, the offending cells
// highlighted (with a comment, for the first wbMaxComments of them) and, after the last used
// column, a 错误说明 column holding each bad row's messages. headerRow is the header's last
// row; date1904 keeps the upload's date system, so that its date serial numbers name the same
// days. next returns successive rows (1-based row number, cells) and ok=false at the end.
func writeErrorWorkbook(w io.Writer, sheet string, headerRow int, date1904 bool, next func() (row int, cells []string, ok bool), issues map[int][]cellIssue) error {
	// The 错误说明 column goes after the widest row, which is only known at the end, and a
	// streamed row cannot be revisited: spool the rows to a temporary file and write them in a
	// second pass, so that a million-row upload never sits in memory.
	spool, err := os.CreateTemp("", "assetpool-errors-*")
	if err != nil {
		return fmt.Errorf("error workbook spool: %w", err)
	}
	defer func() {
		spool.Close()
		os.Remove(spool.Name())
	}()
	width, err := wbSpoolRows(spool, next)
	if err != nil {
		return err
	}
	for _, list := range issues {
		for _, is := range list {
			width = max(width, is.Col+1)
		}
	}
	errCol := width // 0-based index of the 错误说明 column

	f := excelize.NewFile()
	defer f.Close()
	name := wbSheetName(sheet)
	if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
		return err
	}
	if date1904 {
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}); err != nil {
			return err
		}
	}
	var st wbErrorStyles
	dateFmt := "yyyy-mm-dd"
	badFill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}}
	badFont := &excelize.Font{Color: "9C0006"}
	if st.bad, err = f.NewStyle(&excelize.Style{Fill: badFill, Font: badFont}); err != nil {
		return err
	}
	if st.badDate, err = f.NewStyle(&excelize.Style{Fill: badFill, Font: badFont, CustomNumFmt: &dateFmt}); err != nil {
		return err
	}
	if st.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt}); err != nil {
		return err
	}
	if st.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}}); err != nil {
		return err
	}
	if st.message, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "C00000"}}); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	// Right to left, see wbNewAssetBook.
	if err := sw.SetColWidth(errCol+1, errCol+1, 60); err != nil {
		return err
	}
	if errCol > 0 {
		if err := sw.SetColWidth(1, errCol, 14); err != nil {
			return err
		}
	}
	if headerRow >= 1 {
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: "A" + strconv.Itoa(headerRow+1), ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}

	// Rows that must be written even if the upload had no cells there (excelize skips empty rows):
	// the header row for the 错误说明 title and every row an issue points at.
	var forced []int
	for r := range issues {
		if r >= 1 {
			forced = append(forced, r)
		}
	}
	if headerRow >= 1 && issues[headerRow] == nil {
		forced = append(forced, headerRow)
	}
	slices.Sort(forced)

	ew := &wbErrorWriter{f: f, sw: sw, sheet: name, headerRow: headerRow, errCol: errCol, issues: issues, st: st}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("error workbook spool: %w", err)
	}
	rd := bufio.NewReader(spool)
	for {
		row, cells, err := wbReadSpooled(rd)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("error workbook spool: %w", err)
		}
		for len(forced) > 0 && forced[0] < row {
			if err := ew.writeRow(forced[0], nil); err != nil {
				return err
			}
			forced = forced[1:]
		}
		if len(forced) > 0 && forced[0] == row {
			forced = forced[1:]
		}
		if err := ew.writeRow(row, cells); err != nil {
			return err
		}
	}
	for _, r := range forced {
		if err := ew.writeRow(r, nil); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return wbWrite(f, w)
}

// wbErrorStyles are the style IDs of an error workbook.
type wbErrorStyles struct{ bad, badDate, date, header, message int }

// wbErrorWriter writes the rows of an error workbook.
type wbErrorWriter struct {
	f         *excelize.File
	sw        *excelize.StreamWriter
	sheet     string
	headerRow int
	errCol    int
	issues    map[int][]cellIssue
	st        wbErrorStyles
	comments  int
	// dateCols are the columns whose header names the acquisition date: their serial numbers
	// get a date format, or the clerk would see 43586 where the upload showed 2019-05-01.
	dateCols map[int]bool
}

// writeRow writes one row with its cells as read, its bad cells filled and its messages.
func (ew *wbErrorWriter) writeRow(row int, cells []string) error {
	iss := ew.issues[row]
	isHeader := row == ew.headerRow
	n := len(cells)
	if len(iss) > 0 || isHeader {
		n = ew.errCol + 1
	}
	vals := make([]any, n)
	for i, s := range cells {
		// The header's rows: a two-row header may name the date in its top row.
		if row <= ew.headerRow && wbIsDateHeader(s) {
			if ew.dateCols == nil {
				ew.dateCols = map[int]bool{}
			}
			ew.dateCols[i] = true
		}
		switch {
		case s == "":
		case isHeader:
			vals[i] = s
		default:
			v := wbCellValue(s)
			if f, ok := v.(float64); ok && f >= 1 && ew.dateCols[i] {
				v = excelize.Cell{StyleID: ew.st.date, Value: f}
			}
			vals[i] = v
		}
	}
	var msgs []string
	cellMsgs := map[int][]string{}
	var badCols []int
	for _, is := range iss {
		msgs = append(msgs, is.Message)
		if is.Col < 0 {
			continue
		}
		if cellMsgs[is.Col] == nil {
			badCols = append(badCols, is.Col)
		}
		cellMsgs[is.Col] = append(cellMsgs[is.Col], is.Message)
	}
	for _, c := range badCols {
		// A Cell with a nil value still carries the fill, so a blank required cell shows too.
		switch v := vals[c].(type) {
		case excelize.Cell:
			vals[c] = excelize.Cell{StyleID: ew.st.badDate, Value: v.Value}
		default:
			vals[c] = excelize.Cell{StyleID: ew.st.bad, Value: v}
		}
		if ew.comments < wbMaxComments {
			ref, err := excelize.CoordinatesToCellName(c+1, row)
			if err != nil {
				return err
			}
			if err := ew.f.AddComment(ew.sheet, excelize.Comment{Author: "assetpool", Cell: ref, Text: strings.Join(cellMsgs[c], "；")}); err != nil {
				return fmt.Errorf("error workbook comment %s: %w", ref, err)
			}
			ew.comments++
		}
	}
	msg := strings.Join(msgs, "；")
	switch {
	case isHeader && msg != "":
		vals[ew.errCol] = excelize.Cell{StyleID: ew.st.header, Value: wbErrorHeader + "：" + msg}
	case isHeader:
		vals[ew.errCol] = excelize.Cell{StyleID: ew.st.header, Value: wbErrorHeader}
	case msg != "":
		vals[ew.errCol] = excelize.Cell{StyleID: ew.st.message, Value: msg}
	}
	if err := ew.sw.SetRow("A"+strconv.Itoa(row), vals); err != nil {
		return fmt.Errorf("error workbook row %d: %w", row, err)
	}
	return nil
}

// wbIsDateHeader reports whether an uploaded header names the acquisition date.
func wbIsDateHeader(h string) bool {
	f, _ := fieldByKey(fieldAcquiredOn)
	h = strings.TrimSpace(h)
	return h == f.Header || slices.Contains(f.Variants, h)
}

// wbSpoolRows copies the rows from next to spool and returns the width of the widest row,
// not counting trailing empty cells.
func wbSpoolRows(spool io.Writer, next func() (int, []string, bool)) (int, error) {
	bw := bufio.NewWriter(spool)
	var rec []byte
	width, last := 0, 0
	for {
		row, cells, ok := next()
		if !ok {
			break
		}
		if row <= last {
			return 0, fmt.Errorf("error workbook: row %d after row %d", row, last)
		}
		last = row
		n := len(cells)
		for n > 0 && cells[n-1] == "" {
			n--
		}
		width = max(width, n)
		rec = binary.AppendUvarint(rec[:0], uint64(row))
		rec = binary.AppendUvarint(rec, uint64(n))
		for _, c := range cells[:n] {
			rec = binary.AppendUvarint(rec, uint64(len(c)))
			rec = append(rec, c...)
		}
		if _, err := bw.Write(rec); err != nil {
			return 0, fmt.Errorf("error workbook spool: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return 0, fmt.Errorf("error workbook spool: %w", err)
	}
	return width, nil
}

// wbReadSpooled reads back one row written by wbSpoolRows; io.EOF at the end.
func wbReadSpooled(rd *bufio.Reader) (int, []string, error) {
	row, err := binary.ReadUvarint(rd)
	if err != nil {
		return 0, nil, err
	}
	n, err := binary.ReadUvarint(rd)
	if err != nil {
		return 0, nil, io.ErrUnexpectedEOF
	}
	cells := make([]string, n)
	for i := range cells {
		l, err := binary.ReadUvarint(rd)
		if err != nil {
			return 0, nil, io.ErrUnexpectedEOF
		}
		b := make([]byte, l)
		if _, err := io.ReadFull(rd, b); err != nil {
			return 0, nil, io.ErrUnexpectedEOF
		}
		cells[i] = string(b)
	}
	return int(row), cells, nil
}

// wbCellValue returns an uploaded cell's text as a number when writing it as one keeps what the
// clerk sees (amounts stay summable), and as text otherwise.
func wbCellValue(s string) any {
	if v, ok := wbNumber(s); ok {
		return v
	}
	return s
}

// wbNumber reports whether s is a plain decimal that a numeric cell shows unchanged: no leading
// zeros ("001" is an asset number), no trailing fractional zeros, no sign but "-", no exponent,
// and at most 11 integer digits, beyond which Excel shows scientific notation and longer codes
// (ID or serial numbers) would lose digits.
func wbNumber(s string) (float64, bool) {
	digits := strings.TrimPrefix(s, "-")
	intPart, frac, hasDot := strings.Cut(digits, ".")
	switch {
	case s == "-0",
		intPart == "" || len(intPart) > 11 || !wbDigits(intPart),
		len(intPart) > 1 && intPart[0] == '0',
		hasDot && (frac == "" || !wbDigits(frac) || frac[len(frac)-1] == '0'):
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

func wbDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// wbSheetName makes name a valid Excel sheet name: none of []:*?/\, no apostrophe at either
// end, at most 31 UTF-16 units, not empty and not the reserved "History".
func wbSheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, name)
	name = strings.Trim(name, "'")
	if u := utf16.Encode([]rune(name)); len(u) > 31 {
		u = u[:31]
		if utf16.IsSurrogate(rune(u[30])) && u[30] < 0xDC00 { // never cut a surrogate pair in half
			u = u[:30]
		}
		name = strings.TrimRight(string(utf16.Decode(u)), "'")
	}
	switch {
	case strings.TrimSpace(name) == "":
		return "Sheet1"
	case strings.EqualFold(name, "History"):
		return name + "_"
	}
	return name
}
