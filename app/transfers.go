package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"assetpool/models"
)

// TransferView is a transfer as the API shows it: the transfer's own fields, both units by
// code and name, the category by name and where the hand-over stands.
type TransferView struct {
	models.Transfer
	SourceUnit        string                `json:"source_unit"`
	SourceUnitName    string                `json:"source_unit_name"`
	ReceivingUnit     string                `json:"receiving_unit"`
	ReceivingUnitName string                `json:"receiving_unit_name"`
	CategoryName      string                `json:"category_name"`
	Status            models.ProposalStatus `json:"status"`
	StatusLabel       string                `json:"status_label"`
}

// TransferFilter selects transfers: those touching one unit (as source or receiver), a page
// after a transfer id.
type TransferFilter struct {
	UnitCode string
	After    uint
	Limit    int
}

// TransferPage is one page of transfers, newest first.
type TransferPage struct {
	Items []TransferView `json:"items"`
	Total int64          `json:"total"`
	Next  *string        `json:"next"`
}

// transferStatus is where a transfer's hand-over stands, in the proposal's words: approved
// (待移交) until the source hands it over, then handed over (待接收) until the receiver books it.
func transferStatus(t *models.Transfer) models.ProposalStatus {
	switch {
	case t.ReceivedAt != nil:
		return models.ProposalReceived
	case t.HandedOverAt != nil:
		return models.ProposalHandedOver
	}
	return models.ProposalApproved
}

// canSeeTransfer reports whether the actor may read a transfer: the clerks of both units,
// finance and admin.
func canSeeTransfer(actor *models.User, t *models.Transfer) bool {
	return actor.CanReadUnit(t.SourceUnitID) || actor.CanReadUnit(t.ReceivingUnitID)
}

// loadTransfer reads a transfer the actor may see; another unit's transfer is "not found" to
// a clerk, as its requests are.
func (a *App) loadTransfer(db *gorm.DB, actor *models.User, id uint) (*models.Transfer, error) {
	var t models.Transfer
	err := db.First(&t, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !canSeeTransfer(actor, &t)) {
		return nil, models.Errorf(models.ENotFound, "调拨单 %d 不存在", id)
	}
	if err != nil {
		return nil, internal(err, "load transfer")
	}
	return &t, nil
}

// transferViews dresses transfers for the API.
func (a *App) transferViews(ctx context.Context, ts []models.Transfer) ([]TransferView, error) {
	out := make([]TransferView, 0, len(ts))
	if len(ts) == 0 {
		return out, nil
	}
	units, err := a.unitsByID(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := a.categoryTable(ctx)
	if err != nil {
		return nil, err
	}
	for i := range ts {
		t := &ts[i]
		v := TransferView{Transfer: *t, CategoryName: cats[t.CategoryCode].Name, Status: transferStatus(t)}
		v.StatusLabel = v.Status.Label()
		if u := units[t.SourceUnitID]; u != nil {
			v.SourceUnit, v.SourceUnitName = u.Code, u.Name
		}
		if u := units[t.ReceivingUnitID]; u != nil {
			v.ReceivingUnit, v.ReceivingUnitName = u.Code, u.Name
		}
		out = append(out, v)
	}
	return out, nil
}

// Transfer returns one transfer as the actor may see it.
func (a *App) Transfer(ctx context.Context, actor *models.User, id uint) (*TransferView, error) {
	t, err := a.loadTransfer(a.read.WithContext(ctx), actor, id)
	if err != nil {
		return nil, err
	}
	vs, err := a.transferViews(ctx, []models.Transfer{*t})
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

// ListTransfers returns a page of transfers, newest first: a clerk those their unit gives or
// receives, finance and admin every unit's. A unit filter narrows that to the transfers the
// unit is on either side of.
func (a *App) ListTransfers(ctx context.Context, actor *models.User, f TransferFilter) (*TransferPage, error) {
	q := a.read.WithContext(ctx).Model(&models.Transfer{})
	if actor.Role == models.RoleClerk {
		if actor.UnitID == nil {
			return nil, models.Errorf(models.EForbidden, "您的账号还没有指定所属单位")
		}
		q = q.Where("(source_unit_id = ? OR receiving_unit_id = ?)", *actor.UnitID, *actor.UnitID)
	}
	if f.UnitCode != "" {
		u, err := a.UnitByCode(ctx, f.UnitCode)
		if err != nil {
			return nil, err
		}
		q = q.Where("(source_unit_id = ? OR receiving_unit_id = ?)", u.ID, u.ID)
	}
	page := &TransferPage{Items: []TransferView{}}
	ts, err := newestFirst(q, f.After, f.Limit, &page.Total, &page.Next, func(t *models.Transfer) uint { return t.ID })
	if err != nil {
		return nil, internal(err, "list transfers")
	}
	views, err := a.transferViews(ctx, ts)
	if err != nil {
		return nil, err
	}
	page.Items = views
	return page, nil
}

// Documents of a transfer: the transfer order (资产调拨单), one per approved transfer, and the
// source unit's hand-over list (移交资产清单) of what it still has to hand over.

// transferDocTitle and handoverDocTitle are the documents' titles, also their sheet and file
// names.
const (
	transferDocTitle = "资产调拨单"
	handoverDocTitle = "移交资产清单"
)

// docItem is one row of a document's item table.
type docItem struct {
	Seq int
	// Handover adds the hand-over list's own columns, the order number and the receiver.
	Handover                                bool
	No, ReceivingUnit                       string
	AssetNo, Name, Model, MeasureUnit       string
	Quantity                                int
	Original, Accumulated, Net, BookedValue models.Money
	// FirstAcquired is the day the item was first acquired (原始取得日期).
	FirstAcquired      string
	bookedDepreciation models.Money
	lifeMonths         int
}

// Life is the life left after the transfer, in months, as the order writes it: the months
// the receiver depreciates over, 0 for an item fully depreciated, — where nothing is
// depreciated (a class that is not, or one whose life is not set).
func (it *docItem) Life() any {
	switch {
	case it.lifeMonths > 0:
		return it.lifeMonths
	case it.bookedDepreciation > 0:
		return 0
	}
	return "—"
}

// docTotals is a table's 合计 row.
type docTotals struct {
	Items                                   int
	Quantity                                int64
	Original, Accumulated, Net, BookedValue models.Money
}

func (t *docTotals) add(it *docItem) {
	t.Items++
	t.Quantity += int64(it.Quantity)
	t.Original += it.Original
	t.Accumulated += it.Accumulated
	t.Net += it.Net
	t.BookedValue += it.BookedValue
}

func docItemOf(t *models.Transfer, seq int) docItem {
	return docItem{Seq: seq, No: t.No, AssetNo: t.AssetNo, Name: t.Name, Model: t.Model, MeasureUnit: t.MeasureUnit,
		Quantity: t.Quantity, Original: t.OriginalValue, Accumulated: t.Accumulated, Net: t.NetValue,
		BookedValue: t.BookedValue, FirstAcquired: t.FirstAcquiredOn.String(), bookedDepreciation: t.BookedDepreciation, lifeMonths: t.LifeMonths}
}

// unitLabel names a unit on paper: its name with its code, or the code alone.
func unitLabel(u *models.Unit) string {
	if u == nil {
		return ""
	}
	if u.Name == "" || u.Name == u.Code {
		return u.Code
	}
	return u.Name + "（" + u.Code + "）"
}

// transferOrder is what the transfer order shows, on paper and in the workbook alike.
type transferOrder struct {
	No, Date              string
	SourceUnit, Receiving string
	// AsOf is the day of the source's books the order carries: the end of the month before
	// the transfer.
	AsOf              string
	Items             []docItem
	Total             docTotals
	Approver, Comment string
	BookingNote       string
	// BooksCheck compares the source's books with the schedule where they disagree, and says
	// that finance acknowledged it; CostNote says how the receiver booked what moving the
	// item cost. Each is empty when it has nothing to say.
	BooksCheck string
	CostNote   string
}

// bookingNote says how the receiving unit books the item (政府会计准则第3号): at the source's
// net book value over the remaining life, or, fully depreciated, at original value with the
// same accumulated depreciation.
func bookingNote(it *docItem) string {
	if it.bookedDepreciation > 0 {
		return fmt.Sprintf("调入单位按原值 %s 入账，同时登记累计折旧 %s（该资产已提足折旧）。", it.BookedValue, it.bookedDepreciation)
	}
	if it.lifeMonths > 0 {
		return fmt.Sprintf("调入单位按调出单位账面净值 %s 入账，在剩余使用年限 %d 个月内按月计提折旧。", it.BookedValue, it.lifeMonths)
	}
	return fmt.Sprintf("调入单位按调出单位账面净值 %s 入账。", it.BookedValue)
}

// booksCheck says, where the source's books disagreed with the schedule, both figures, the
// difference, and that the approver acknowledged it before approving.
func booksCheck(t *models.Transfer) string {
	if !t.BooksDisagree {
		return ""
	}
	diff, more := t.Accumulated-t.ScheduleAccumulated, "多"
	if diff < 0 {
		diff, more = -diff, "少"
	}
	s := fmt.Sprintf("调出单位账面累计折旧 %s、净值 %s；按取得日期计算累计折旧 %s、净值 %s，账面%s计提 %s。",
		t.Accumulated, t.NetValue, t.ScheduleAccumulated, t.ScheduleNet, more, diff)
	if t.BooksAcknowledged {
		s += "财政审批人已核对账面差异，按调出单位账面价值入账。"
	}
	return s
}

// costNote says how the receiving unit booked the cost of moving the item (准则第3号 第十条):
// into the item's cost, or, for an item booked fully depreciated, as an expense.
func costNote(t *models.Transfer) string {
	switch {
	case t.CostCapitalised > 0:
		s := fmt.Sprintf("运输等费用 %s 计入调入资产成本：入账价值 %s + %s = %s", t.CostCapitalised, t.BookedValue, t.CostCapitalised, t.BookedValue+t.CostCapitalised)
		if t.LifeMonths > 0 {
			s += fmt.Sprintf("，在剩余使用年限 %d 个月内按月计提折旧", t.LifeMonths)
		}
		return s + "。"
	case t.CostExpensed > 0 && t.NetValue == 0:
		return fmt.Sprintf("调入资产已提足折旧，运输等费用 %s 计入当期费用（其他费用）。", t.CostExpensed)
	case t.CostExpensed > 0:
		return fmt.Sprintf("运输等费用 %s 计入当期费用（其他费用）：接收时调入资产已不在本单位台账。", t.CostExpensed)
	}
	return ""
}

// transferOrderOf reads a transfer the actor may see and lays out its order.
func (a *App) transferOrderOf(ctx context.Context, actor *models.User, id uint) (*transferOrder, error) {
	t, err := a.loadTransfer(a.read.WithContext(ctx), actor, id)
	if err != nil {
		return nil, err
	}
	units, err := a.unitsByID(ctx)
	if err != nil {
		return nil, err
	}
	it := docItemOf(t, 1)
	o := &transferOrder{No: t.No, Date: t.Date.String(), SourceUnit: unitLabel(units[t.SourceUnitID]),
		Receiving: unitLabel(units[t.ReceivingUnitID]), Items: []docItem{it}, Approver: t.ApproverName,
		Comment: t.Comment, BookingNote: bookingNote(&it), AsOf: models.PrevMonthEnd(t.Date).String(),
		BooksCheck: booksCheck(t), CostNote: costNote(t)}
	o.Total.add(&it)
	return o, nil
}

// transferOrderFileName is 资产调拨单-DB2026-0001.xlsx; characters a file system refuses are
// replaced.
func transferOrderFileName(no string) string {
	no = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' {
			return '_'
		}
		return r
	}, no)
	return transferDocTitle + "-" + no + ".xlsx"
}

// WriteTransferOrderXLSX writes the transfer order (资产调拨单) of a transfer the actor may see
// as a workbook laid out for A4 and returns the name to download it as. Amounts are numbers
// in yuan with two decimals.
func (a *App) WriteTransferOrderXLSX(ctx context.Context, actor *models.User, id uint, w io.Writer) (string, error) {
	o, err := a.transferOrderOf(ctx, actor, id)
	if err != nil {
		return "", err
	}
	if err := writeTransferOrderBook(w, o); err != nil {
		return "", internal(err, "write transfer order")
	}
	return transferOrderFileName(o.No), nil
}

// orderColumns are the item table's columns in the workbook: header, width, and whether the
// column holds money.
var orderColumns = []struct {
	header string
	width  float64
	money  bool
}{
	{"序号", 6, false}, {"资产编号", 16, false}, {"资产名称", 20, false}, {"规格型号", 18, false},
	{"原始取得日期", 12, false}, {"数量", 7, false}, {"计量单位", 8, false}, {"原值（元）", 14, true},
	{"累计折旧（元）", 14, true}, {"净值（元）", 14, true}, {"剩余使用年限（月）", 10, false},
	{"调入后入账价值（元）", 16, true},
}

// orderStyles are the cell styles of the transfer order workbook.
type orderStyles struct {
	title, left, right, header, cell, num, money, total, totalMoney, label, sign int
}

func newOrderStyles(f *excelize.File) (*orderStyles, error) {
	thin := func(side string) excelize.Border { return excelize.Border{Type: side, Color: "000000", Style: 1} }
	grid := []excelize.Border{thin("left"), thin("right"), thin("top"), thin("bottom")}
	bold := &excelize.Font{Bold: true}
	middle := func(h string) *excelize.Alignment {
		return &excelize.Alignment{Horizontal: h, Vertical: "center", WrapText: true}
	}
	var s orderStyles
	for _, st := range []struct {
		dst   *int
		style *excelize.Style
	}{
		{&s.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 18}, Alignment: middle("center")}},
		{&s.left, &excelize.Style{Alignment: middle("left")}},
		{&s.right, &excelize.Style{Alignment: middle("right")}},
		{&s.header, &excelize.Style{Font: bold, Border: grid, Alignment: middle("center")}},
		{&s.cell, &excelize.Style{Border: grid, Alignment: middle("left"), NumFmt: 49}},
		{&s.num, &excelize.Style{Border: grid, Alignment: middle("right")}},
		{&s.money, &excelize.Style{Border: grid, Alignment: middle("right"), NumFmt: 4}}, // #,##0.00
		{&s.total, &excelize.Style{Font: bold, Border: grid, Alignment: middle("center")}},
		{&s.totalMoney, &excelize.Style{Font: bold, Border: grid, Alignment: middle("right"), NumFmt: 4}},
		{&s.label, &excelize.Style{Border: grid, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}}},
		{&s.sign, &excelize.Style{Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"}}},
	} {
		id, err := f.NewStyle(st.style)
		if err != nil {
			return nil, err
		}
		*st.dst = id
	}
	return &s, nil
}

// writeTransferOrderBook lays the order out on one A4 landscape sheet: title, number and date,
// the two units, the item table with its 合计 row, the approval and the three signature
// blocks. An order has a row or two, so it is built in memory rather than streamed.
func writeTransferOrderBook(w io.Writer, o *transferOrder) error {
	f := excelize.NewFile()
	defer f.Close()
	sh := transferDocTitle
	if err := f.SetSheetName(f.GetSheetName(0), sh); err != nil {
		return err
	}
	st, err := newOrderStyles(f)
	if err != nil {
		return err
	}
	a4, landscape, wide, tall, fit := 9, "landscape", 1, 1, true
	if err := f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(orderColumns))
	for i, c := range orderColumns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, col, col, c.width); err != nil {
			return err
		}
	}
	// cell sets one cell, merge a range with its value and style.
	var errs []error
	cell := func(ref string, v any, style int) {
		errs = append(errs, f.SetCellValue(sh, ref, v), f.SetCellStyle(sh, ref, ref, style))
	}
	merge := func(from, to string, v any, style int) {
		errs = append(errs, f.MergeCell(sh, from, to))
		cell(from, v, style)
		errs = append(errs, f.SetCellStyle(sh, from, to, style))
	}
	rowHeight := func(row int, h float64) { errs = append(errs, f.SetRowHeight(sh, row, h)) }
	at := func(col, row int) string { ref, _ := excelize.CoordinatesToCellName(col, row); return ref }

	merge("A1", last+"1", transferDocTitle, st.title)
	rowHeight(1, 36)
	merge("A2", "F2", "调拨单号："+o.No, st.left)
	merge("G2", last+"2", "调拨日期："+o.Date+"　账面截至："+o.AsOf+"　金额单位：元", st.right)
	merge("A3", "F3", "调出单位："+o.SourceUnit, st.left)
	merge("G3", last+"3", "调入单位："+o.Receiving, st.left)
	rowHeight(3, 22)

	row := 4
	for i, c := range orderColumns {
		cell(at(i+1, row), c.header, st.header)
	}
	rowHeight(row, 30)
	for i := range o.Items {
		it := &o.Items[i]
		row++
		vals := []any{it.Seq, it.AssetNo, it.Name, it.Model, it.FirstAcquired, it.Quantity, it.MeasureUnit,
			wbYuan(it.Original), wbYuan(it.Accumulated), wbYuan(it.Net), it.Life(), wbYuan(it.BookedValue)}
		for j, v := range vals {
			style := st.cell
			switch {
			case orderColumns[j].money:
				style = st.money
			case j == 0 || j == 5 || j == 10:
				style = st.num
			}
			cell(at(j+1, row), v, style)
		}
		rowHeight(row, 24)
	}
	// The totals are values, not SUM formulas: a formula written here has no cached value,
	// which viewers and scripts reading the file would show as empty.
	row++
	merge(at(1, row), at(5, row), fmt.Sprintf("合计（共 %d 项）", o.Total.Items), st.total)
	cell(at(6, row), o.Total.Quantity, st.total)
	cell(at(7, row), "", st.total)
	for j, m := range []models.Money{o.Total.Original, o.Total.Accumulated, o.Total.Net} {
		cell(at(8+j, row), wbYuan(m), st.totalMoney)
	}
	cell(at(11, row), "", st.total)
	cell(at(12, row), wbYuan(o.Total.BookedValue), st.totalMoney)
	rowHeight(row, 24)

	for _, note := range [][2]string{{"入账说明", o.BookingNote}, {"账面核对", o.BooksCheck}, {"调剂费用", o.CostNote}} {
		if note[1] == "" {
			continue
		}
		row++
		merge(at(1, row), at(2, row), note[0], st.label)
		merge(at(3, row), at(len(orderColumns), row), note[1], st.label)
		rowHeight(row, 36)
	}
	row++
	merge(at(1, row), at(2, row), "审批人", st.label)
	merge(at(3, row), at(len(orderColumns), row), o.Approver, st.label)
	rowHeight(row, 24)
	row++
	merge(at(1, row), at(2, row), "审批意见", st.label)
	merge(at(3, row), at(len(orderColumns), row), o.Comment, st.label)
	rowHeight(row, 42)

	// Three signature blocks side by side: columns A–D, E–H and I–L.
	row += 2
	blocks := [][2]int{{1, 4}, {5, 8}, {9, 12}}
	for i, lines := range orderSignatures {
		for k, line := range lines {
			merge(at(blocks[i][0], row+k), at(blocks[i][1], row+k), line, st.sign)
		}
	}
	for k := range orderSignatures[0] {
		rowHeight(row+k, 30)
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return wbWrite(f, w)
}

// orderSignatures are the transfer order's signature blocks: the giving unit, the receiving
// unit and the finance department that approved, each with its seal, its person and a date.
var orderSignatures = [][]string{
	{"调出单位（盖章）：", "经办人：", "日期：　　　　年　　月　　日"},
	{"调入单位（盖章）：", "经办人：", "日期：　　　　年　　月　　日"},
	{"财政部门（盖章）：", "审批人：", "日期：　　　　年　　月　　日"},
}

// WriteTransferOrderHTML writes the transfer order (资产调拨单) of a transfer the actor may see
// as a page that prints on A4 from the browser.
func (a *App) WriteTransferOrderHTML(ctx context.Context, actor *models.User, id uint, w io.Writer) error {
	o, err := a.transferOrderOf(ctx, actor, id)
	if err != nil {
		return err
	}
	return renderDoc(w, "order", o)
}

// handoverGroup is the part of a hand-over list that goes to one receiving unit: it signs for
// its own items.
type handoverGroup struct {
	Receiving string
	Items     []docItem
	Total     docTotals
}

// handoverList is what the hand-over list shows.
type handoverList struct {
	Unit, Date string
	Groups     []handoverGroup
	Total      docTotals
}

// WriteHandoverListHTML writes the hand-over list (移交资产清单) of a source unit: its approved
// transfers not yet handed over, one section per receiving unit with that unit's signature
// blocks, as a page that prints on A4. The unit's clerk, finance and admin may open it; an
// empty unitCode means the clerk's own unit.
func (a *App) WriteHandoverListHTML(ctx context.Context, actor *models.User, unitCode string, w io.Writer) error {
	unitCode = strings.TrimSpace(unitCode)
	if unitCode == "" {
		if actor.Role != models.RoleClerk || actor.UnitID == nil {
			return models.Errorf(models.EInvalid, "请指定移交单位（参数 unit）")
		}
		u, err := a.Unit(ctx, *actor.UnitID)
		if err != nil {
			return err
		}
		unitCode = u.Code
	}
	u, err := a.UnitByCode(ctx, unitCode)
	if err != nil {
		return err
	}
	if !actor.CanReadUnit(u.ID) {
		return models.Errorf(models.EForbidden, "您只能打印本单位的移交资产清单")
	}
	var ts []models.Transfer
	// A transfer from the unit to itself (an own idle item approved before the own-unit flow)
	// hands nothing over.
	err = a.read.WithContext(ctx).Where("source_unit_id = ? AND receiving_unit_id <> source_unit_id AND handed_over_at IS NULL", u.ID).
		Order("receiving_unit_id, no, id").Find(&ts).Error
	if err != nil {
		return internal(err, "list transfers to hand over")
	}
	units, err := a.unitsByID(ctx)
	if err != nil {
		return err
	}
	l := &handoverList{Unit: unitLabel(u), Date: a.Today().String()}
	for i := range ts {
		t := &ts[i]
		if i == 0 || t.ReceivingUnitID != ts[i-1].ReceivingUnitID {
			l.Groups = append(l.Groups, handoverGroup{Receiving: unitLabel(units[t.ReceivingUnitID])})
		}
		g := &l.Groups[len(l.Groups)-1]
		it := docItemOf(t, len(g.Items)+1)
		it.Handover, it.ReceivingUnit = true, g.Receiving
		g.Items = append(g.Items, it)
		g.Total.add(&it)
		l.Total.add(&it)
	}
	return renderDoc(w, "handover", l)
}

// renderDoc renders a whole document page before writing it, so that a failure never leaves
// half a page in the browser.
func renderDoc(w io.Writer, name string, data any) error {
	var buf bytes.Buffer
	if err := docTemplates.ExecuteTemplate(&buf, name, data); err != nil {
		return internal(err, "render "+name)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// docTemplates are the printable documents. Their style sheet is a file of the web UI
// (/transfer.css): the server's Content-Security-Policy forbids inline styles and scripts,
// so the page has neither, and printing is the browser's own (the hint says how).
var docTemplates = template.Must(template.New("docs").Funcs(template.FuncMap{
	"inc": func(i int) int { return i + 1 },
}).Parse(`
{{- define "head"}}<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.}} · 公物仓</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/transfer.css">
</head>
{{- end}}

{{- define "hint"}}
<aside class="print-hint" role="note">
  <p><strong>打印</strong>：按 Ctrl+P（Mac 上按 ⌘+P），纸张选 A4，缩放选「100%」或「实际大小」，并关闭「页眉和页脚」。本提示不会打印出来。</p>
  <p>{{.}}</p>
</aside>
{{- end}}

{{- define "itemhead"}}
    <tr>
      <th class="seq">序号</th>
      {{- if .}}
      <th>调拨单号</th>
      <th>调入单位</th>
      {{- end}}
      <th>资产编号</th>
      <th>资产名称</th>
      <th>规格型号</th>
      {{- if not .}}
      <th class="date">原始取得日期</th>
      {{- end}}
      <th class="num">数量</th>
      <th class="unit">计量单位</th>
      <th class="money">原值（元）</th>
      <th class="money">累计折旧（元）</th>
      <th class="money">净值（元）</th>
      {{- if not .}}
      <th class="life">剩余使用年限（月）</th>
      {{- end}}
      <th class="money">调入后入账价值（元）</th>
    </tr>
{{- end}}

{{- define "itemrow"}}
    <tr>
      <td class="seq">{{.Seq}}</td>
      {{- if .Handover}}
      <td class="code">{{.No}}</td>
      <td>{{.ReceivingUnit}}</td>
      {{- end}}
      <td class="code">{{.AssetNo}}</td>
      <td>{{.Name}}</td>
      <td>{{.Model}}</td>
      {{- if not .Handover}}
      <td class="date">{{.FirstAcquired}}</td>
      {{- end}}
      <td class="num">{{.Quantity}}</td>
      <td class="unit">{{.MeasureUnit}}</td>
      <td class="money">{{.Original.String}}</td>
      <td class="money">{{.Accumulated.String}}</td>
      <td class="money">{{.Net.String}}</td>
      {{- if not .Handover}}
      <td class="num life">{{.Life}}</td>
      {{- end}}
      <td class="money">{{.BookedValue.String}}</td>
    </tr>
{{- end}}

{{- define "totalcells"}}
      <td class="num">{{.Quantity}}</td>
      <td></td>
      <td class="money">{{.Original.String}}</td>
      <td class="money">{{.Accumulated.String}}</td>
      <td class="money">{{.Net.String}}</td>
      <td class="money">{{.BookedValue.String}}</td>
{{- end}}

{{- define "order"}}{{template "head" (print "资产调拨单 " .No)}}
<body class="doc-order">
{{- template "hint" "调拨单一式三份：调出单位、调入单位和财政部门各执一份。"}}
<main class="paper">
  <h1>资产调拨单</h1>
  <p class="doc-meta"><span>调拨单号：<strong class="code">{{.No}}</strong></span><span>调拨日期：{{.Date}}</span><span>账面截至：{{.AsOf}}（调拨前一月末）</span><span>金额单位：元</span></p>
  <table class="parties">
    <tr><th>调出单位</th><td>{{.SourceUnit}}</td><th>调入单位</th><td>{{.Receiving}}</td></tr>
  </table>
  <table class="items">
    <thead>
{{- template "itemhead" false}}
    </thead>
    <tbody>
    {{- range .Items}}
{{- template "itemrow" .}}
    {{- end}}
    </tbody>
    <tfoot>
    <tr>
      <th colspan="5" class="total-label">合计（共 {{.Total.Items}} 项）</th>
      <td class="num">{{.Total.Quantity}}</td>
      <td></td>
      <td class="money">{{.Total.Original.String}}</td>
      <td class="money">{{.Total.Accumulated.String}}</td>
      <td class="money">{{.Total.Net.String}}</td>
      <td></td>
      <td class="money">{{.Total.BookedValue.String}}</td>
    </tr>
    </tfoot>
  </table>
  <table class="approval">
    <tr><th>入账说明</th><td>{{.BookingNote}}</td></tr>
    {{- if .BooksCheck}}
    <tr class="books-check"><th>账面核对</th><td>{{.BooksCheck}}</td></tr>
    {{- end}}
    {{- if .CostNote}}
    <tr class="cost-note"><th>调剂费用</th><td>{{.CostNote}}</td></tr>
    {{- end}}
    <tr><th>审批人</th><td>{{.Approver}}</td></tr>
    <tr><th>审批意见</th><td class="comment">{{.Comment}}</td></tr>
  </table>
  <div class="signatures">
    <section class="signature"><p>调出单位（盖章）：</p><p>经办人：</p><p>日期：<span class="date-blank">年　　月　　日</span></p></section>
    <section class="signature"><p>调入单位（盖章）：</p><p>经办人：</p><p>日期：<span class="date-blank">年　　月　　日</span></p></section>
    <section class="signature"><p>财政部门（盖章）：</p><p>审批人：</p><p>日期：<span class="date-blank">年　　月　　日</span></p></section>
  </div>
</main>
</body>
</html>
{{end}}

{{- define "handover"}}{{template "head" (print "移交资产清单 " .Unit)}}
<body class="doc-handover">
{{- template "hint" "每个调入单位一页：移交时双方在本页签字，调出单位再在系统中确认移交。"}}
{{- if not .Groups}}
<main class="paper">
  <h1>移交资产清单</h1>
  <p class="doc-meta"><span>移交单位：{{.Unit}}</span><span>打印日期：{{.Date}}</span></p>
  <p class="empty">没有待移交的资产：本单位已批准的调拨都已移交。财政部门批准新的调拨后，待移交的资产会列在这里。</p>
</main>
{{- end}}
{{- $unit := .Unit}}{{$date := .Date}}{{$count := len .Groups}}
{{- range $i, $g := .Groups}}
<main class="paper">
  <h1>移交资产清单</h1>
  <p class="doc-meta"><span>移交单位：{{$unit}}</span><span>接收单位：{{$g.Receiving}}</span><span>打印日期：{{$date}}</span><span>金额单位：元</span>{{if gt $count 1}}<span>第 {{inc $i}} / {{$count}} 页</span>{{end}}</p>
  <table class="items">
    <thead>
{{- template "itemhead" true}}
    </thead>
    <tbody>
    {{- range $g.Items}}
{{- template "itemrow" .}}
    {{- end}}
    </tbody>
    <tfoot>
    <tr>
      <th colspan="6" class="total-label">合计（共 {{$g.Total.Items}} 项）</th>
{{- template "totalcells" $g.Total}}
    </tr>
    </tfoot>
  </table>
  <div class="signatures signatures-2">
    <section class="signature"><p>移交单位（盖章）：</p><p>移交人：</p><p>日期：<span class="date-blank">年　　月　　日</span></p></section>
    <section class="signature"><p>接收单位（盖章）：</p><p>接收人：</p><p>日期：<span class="date-blank">年　　月　　日</span></p></section>
  </div>
</main>
{{- end}}
</body>
</html>
{{end}}
`))
