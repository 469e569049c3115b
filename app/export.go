package app

import (
	"context"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"assetpool/models"
)

// Export is a register or idle-pool workbook whose scope and filter have been checked and
// whose rows are still to be written: an HTTP handler makes it first, so that a refused or
// bad filter is still answered with an error, then streams it.
type Export struct {
	// FileName is the name to download it as: 资产台账-JFJ-2026-11-29.xlsx.
	FileName string
	write    func(ctx context.Context, w io.Writer) error
}

// Stream writes the workbook to w a page of cards at a time, so that memory does not grow
// with the register.
func (e *Export) Stream(ctx context.Context, w io.Writer) error { return e.write(ctx, w) }

// exportBatch is how many register rows wait for their book values: one query per batch.
const exportBatch = 1000

// exportDistrict names the whole district in file names and scope lines.
const exportDistrict = "全区"

// registerExtra are the columns the filtered register adds after the template's. Their
// headers name no import field ("系统计算…" is not a variant of 累计折旧 or 净值), so that the
// file still imports with zero changes; the template's 累计折旧（元）/净值（元） carry the unit's
// own book figures, these the figures assetpool computes.
var registerExtra = []wbExtraColumn{
	{Header: "单位代码", Width: 10},
	{Header: "单位名称", Width: 20},
	{Header: "系统计算累计折旧（元）", Money: true, Width: 18},
	{Header: "系统计算净值（元）", Money: true, Width: 18},
}

// exportScope checks a filter as the list would and returns the unit it is limited to (nil
// for the whole district): a clerk's register is always their own unit.
func (a *App) exportScope(ctx context.Context, actor *models.User, f AssetFilter) (*models.Unit, error) {
	// Exports start from the first row, whatever page the list was on.
	f.After, f.Limit = "", 0
	if err := a.scope(ctx, actor, &f); err != nil {
		return nil, err
	}
	if _, err := a.buildList(&f); err != nil { // the sort key and category prefix
		return nil, err
	}
	if f.unitID == nil {
		return nil, nil
	}
	return a.Unit(ctx, *f.unitID)
}

// exportFileName is "<what>-<unit name or 全区>-<date>.xlsx": the name the clerk knows the unit by.
func exportFileName(what string, unit *models.Unit, day models.Date) string {
	scope := exportDistrict
	if unit != nil {
		scope = unit.Name
	}
	return what + "-" + scope + "-" + day.String() + ".xlsx"
}

// AssetRegisterExport checks the register export of a filter: the template layout, so that a
// file filtered to one unit imports back into it with zero changes, plus the unit and the
// computed depreciation after the template's columns.
func (a *App) AssetRegisterExport(ctx context.Context, actor *models.User, f AssetFilter) (*Export, error) {
	unit, err := a.exportScope(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	return &Export{FileName: exportFileName("资产台账", unit, a.Today()), write: func(ctx context.Context, w io.Writer) error {
		cats, err := a.ListCategories(ctx)
		if err != nil {
			return err
		}
		err = writeAssetBook(w, cats, registerExtra, func(b *wbAssetBook) error {
			batch := make([]AssetItem, 0, exportBatch)
			flush := func() error {
				err := a.writeRegisterBatch(ctx, b, batch)
				batch = batch[:0]
				return err
			}
			err := a.EachAsset(ctx, actor, f, func(it *AssetItem) error {
				batch = append(batch, *it)
				if len(batch) == exportBatch {
					return flush()
				}
				return nil
			})
			if err != nil {
				return err
			}
			return flush()
		})
		if err != nil {
			return fmt.Errorf("write asset register: %w", err)
		}
		return nil
	}}, nil
}

// WriteAssetRegister writes the register of a filter as the actor may see it (see
// AssetRegisterExport).
func (a *App) WriteAssetRegister(ctx context.Context, actor *models.User, f AssetFilter, w io.Writer) error {
	e, err := a.AssetRegisterExport(ctx, actor, f)
	if err != nil {
		return err
	}
	return e.Stream(ctx, w)
}

// writeRegisterBatch writes list rows to the register. The list does not read the unit's
// book depreciation and net value, which the template columns must carry for the round trip,
// so they are read here for the whole batch at once.
func (a *App) writeRegisterBatch(ctx context.Context, b *wbAssetBook, items []AssetItem) error {
	if len(items) == 0 {
		return nil
	}
	ids := make([]uint, len(items))
	for i := range items {
		ids[i] = items[i].ID
	}
	var books []struct {
		ID               uint
		BookDepreciation *models.Money
		BookNetValue     *models.Money
	}
	err := a.read.WithContext(ctx).Model(&models.Asset{}).Select("id", "book_depreciation", "book_net_value").
		Where("id IN ?", ids).Scan(&books).Error
	if err != nil {
		return internal(err, "read book values")
	}
	byID := make(map[uint]int, len(books))
	for i := range books {
		byID[books[i].ID] = i
	}
	for i := range items {
		it := &items[i]
		as := models.Asset{AssetNo: it.AssetNo, Name: it.Name, CategoryCode: it.CategoryCode,
			Quantity: it.Quantity, MeasureUnit: it.MeasureUnit, OriginalValue: it.OriginalValue,
			AcquiredOn: it.AcquiredOn, AcquisitionMethod: it.acquisition, UsageStatus: it.UsageStatus,
			Condition: it.Condition, Department: it.Department, Custodian: it.Custodian, Location: it.Location,
			Model: it.Model, Brand: it.Brand, SerialNo: it.serialNo, FundingSource: it.funding, Remarks: it.remarks}
		if j, ok := byID[it.ID]; ok {
			as.BookDepreciation, as.BookNetValue = books[j].BookDepreciation, books[j].BookNetValue
		}
		if err := b.writeAsset(&as, it.UnitCode, it.UnitName, wbYuan(it.schedule.Accumulated), wbYuan(it.schedule.Net)); err != nil {
			return err
		}
	}
	return nil
}

// PoolRegisterExport checks the export of the idle asset register (闲置资产登记册): the pool
// items of one unit (f.UnitCode) or of the district, with what another unit needs to ask for
// them and nothing of the owner's insides. Any signed-in user may export it.
func (a *App) PoolRegisterExport(ctx context.Context, actor *models.User, f AssetFilter) (*Export, error) {
	f.Pool, f.poolView = true, true
	if f.Sort == "" {
		f.Sort = "unit"
	}
	unit, err := a.exportScope(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	today := a.Today()
	scope := "范围：" + exportDistrict
	if unit != nil {
		scope = "单位：" + unit.Name + "（" + unit.Code + "）"
	}
	return &Export{FileName: exportFileName("闲置资产登记册", unit, today), write: func(ctx context.Context, w io.Writer) error {
		err := writePoolRegister(w, scope, today, func(fn func(*PoolItem) error) error {
			return a.EachPoolItem(ctx, actor, f, fn)
		})
		if err != nil {
			return fmt.Errorf("write idle register: %w", err)
		}
		return nil
	}}, nil
}

// Sheet and rows of the idle asset register.
const (
	poolSheet     = "闲置资产登记册"
	poolHeaderRow = 3
)

// Kinds of pool register columns, for their number formats.
const (
	poolText = iota
	poolInt
	poolMoney
	poolDate
)

// poolColumn is one column of the idle asset register; total, when set, fills the 合计 row.
type poolColumn struct {
	header string
	kind   int
	width  float64
	value  func(*PoolItem) any
	total  func(*poolTotals) any
}

// poolTotals are what the 合计 row adds up; the only thing the register keeps while streaming.
type poolTotals struct {
	items         int
	quantity      int64
	original, net models.Money
}

// poolColumns are the idle register's columns after 序号. The owner's custodian, department,
// location and remarks are not among them: PoolItem does not carry them.
var poolColumns = []poolColumn{
	{"单位", poolText, 20, func(p *PoolItem) any { return wbText(p.UnitName) }, nil},
	{"街道/片区", poolText, 12, func(p *PoolItem) any { return wbText(p.Area) }, nil},
	{"资产编号", poolText, 18, func(p *PoolItem) any { return wbText(p.AssetNo) }, nil},
	{"资产名称", poolText, 22, func(p *PoolItem) any { return wbText(p.Name) }, nil},
	{"资产分类代码", poolText, 13, func(p *PoolItem) any { return wbText(p.CategoryCode) }, nil},
	{"资产分类", poolText, 16, func(p *PoolItem) any { return wbText(p.CategoryName) }, nil},
	{"规格型号", poolText, 20, func(p *PoolItem) any { return wbText(p.Model) }, nil},
	{"品牌", poolText, 12, func(p *PoolItem) any { return wbText(p.Brand) }, nil},
	{"完好程度", poolText, 9, func(p *PoolItem) any { return wbText(p.Condition.Label()) }, nil},
	{"可调剂数量", poolInt, 10, func(p *PoolItem) any { return p.Quantity }, func(t *poolTotals) any { return t.quantity }},
	{"计量单位", poolText, 8, func(p *PoolItem) any { return wbText(p.MeasureUnit) }, nil},
	{"取得日期", poolDate, 12, func(p *PoolItem) any { return wbDate(p.AcquiredOn) }, nil},
	{"已使用（月）", poolInt, 10, func(p *PoolItem) any { return p.AgeMonths }, nil},
	{"剩余使用年限（月）", poolInt, 12, func(p *PoolItem) any {
		if p.RemainingMonths == nil {
			return nil // not depreciated: no useful life to run out
		}
		return *p.RemainingMonths
	}, nil},
	{"原值（元）", poolMoney, 16, func(p *PoolItem) any { return wbYuan(p.OriginalValue) }, func(t *poolTotals) any { return wbYuan(t.original) }},
	{"净值（元）", poolMoney, 16, func(p *PoolItem) any { return wbYuan(p.NetValue) }, func(t *poolTotals) any { return wbYuan(t.net) }},
	{"闲置起始日", poolDate, 12, func(p *PoolItem) any { return wbDate(p.IdleSince) }, nil},
}

// poolStyles are the cell styles of the idle register.
type poolStyles struct {
	title, scope, date, header, text, money, datecol, total, totalMoney int
}

func newPoolStyles(f *excelize.File) (*poolStyles, error) {
	dateFmt := "yyyy-mm-dd"
	totalBorder := []excelize.Border{{Type: "top", Color: "000000", Style: 1}}
	bold := &excelize.Font{Bold: true}
	var s poolStyles
	for _, st := range []struct {
		dst   *int
		style *excelize.Style
	}{
		{&s.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&s.scope, &excelize.Style{Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&s.date, &excelize.Style{Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}}},
		{&s.header, wbHeaderStyle("1F3864")},
		{&s.text, &excelize.Style{NumFmt: 49}},
		{&s.money, &excelize.Style{NumFmt: 4}}, // #,##0.00
		{&s.datecol, &excelize.Style{CustomNumFmt: &dateFmt}},
		{&s.total, &excelize.Style{Font: bold, Border: totalBorder}},
		{&s.totalMoney, &excelize.Style{Font: bold, Border: totalBorder, NumFmt: 4}},
	} {
		id, err := f.NewStyle(st.style)
		if err != nil {
			return nil, err
		}
		*st.dst = id
	}
	return &s, nil
}

// writePoolRegister streams the idle asset register: the title, the scope line with the
// date, the header, one row per item from each, and the 合计 row. Only the totals are kept.
func writePoolRegister(w io.Writer, scope string, today models.Date, each func(func(*PoolItem) error) error) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), poolSheet); err != nil {
		return err
	}
	st, err := newPoolStyles(f)
	if err != nil {
		return err
	}
	ncol := len(poolColumns) + 1
	lastCol, err := excelize.ColumnNumberToName(ncol)
	if err != nil {
		return err
	}
	// A4 landscape, one page wide, the title and header repeated on every page. The page setup
	// must be on the sheet before the stream starts: the stream writes <sheetPr> first.
	a4, landscape, wide, tall, fit := 9, "landscape", 1, 0, true
	if err := f.SetPageLayout(poolSheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return err
	}
	if err := f.SetSheetProps(poolSheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: poolSheet,
		RefersTo: fmt.Sprintf("'%s'!$1:$%d", poolSheet, poolHeaderRow)}); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(poolSheet)
	if err != nil {
		return err
	}
	header := make([]any, ncol)
	// Right to left, see wbNewAssetBook.
	for i := len(poolColumns) - 1; i >= 0; i-- {
		c, col := poolColumns[i], i+2
		style := map[int]int{poolText: st.text, poolMoney: st.money, poolDate: st.datecol}[c.kind]
		if style != 0 {
			if err := sw.SetColStyle(col, col, style); err != nil {
				return err
			}
		}
		if err := sw.SetColWidth(col, col, c.width); err != nil {
			return err
		}
		header[col-1] = excelize.Cell{StyleID: st.header, Value: c.header}
	}
	if err := sw.SetColWidth(1, 1, 6); err != nil {
		return err
	}
	header[0] = excelize.Cell{StyleID: st.header, Value: "序号"}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: poolHeaderRow, TopLeftCell: fmt.Sprintf("A%d", poolHeaderRow+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	// The scope on the left half of row 2, the date on the right half.
	half := ncol / 2
	halfCol, _ := excelize.ColumnNumberToName(half)
	dateCol, _ := excelize.ColumnNumberToName(half + 1)
	for _, m := range [][2]string{{"A1", lastCol + "1"}, {"A2", halfCol + "2"}, {dateCol + "2", lastCol + "2"}} {
		if err := sw.MergeCell(m[0], m[1]); err != nil {
			return err
		}
	}
	line := make([]any, half+1)
	line[0] = excelize.Cell{StyleID: st.scope, Value: scope}
	line[half] = excelize.Cell{StyleID: st.date, Value: "导出日期：" + today.String() + "　金额单位：元"}
	heads := [][]any{{excelize.Cell{StyleID: st.title, Value: poolSheet}}, line, header}
	for i, h := range []float64{30, 20, 30} {
		if err := sw.SetRow(fmt.Sprintf("A%d", i+1), heads[i], excelize.RowOpts{Height: h}); err != nil {
			return err
		}
	}

	row := poolHeaderRow
	var sum poolTotals
	vals := make([]any, ncol)
	err = each(func(p *PoolItem) error {
		sum.items++
		sum.quantity += int64(p.Quantity)
		sum.original += p.OriginalValue
		sum.net += p.NetValue
		row++
		vals[0] = sum.items
		for i, c := range poolColumns {
			vals[i+1] = c.value(p)
		}
		return sw.SetRow(fmt.Sprintf("A%d", row), vals)
	})
	if err != nil {
		return err
	}
	// The totals are values, not SUM formulas: a streamed formula has no cached value, which
	// some viewers and every script reading the file would show as empty.
	total := make([]any, ncol)
	total[0] = excelize.Cell{StyleID: st.total, Value: "合计"}
	total[1] = excelize.Cell{StyleID: st.total, Value: fmt.Sprintf("共 %d 项", sum.items)}
	for i, c := range poolColumns[1:] { // the 单位 column holds the count
		cell := excelize.Cell{StyleID: st.total}
		if c.kind == poolMoney {
			cell.StyleID = st.totalMoney
		}
		if c.total != nil {
			cell.Value = c.total(&sum)
		}
		total[i+2] = cell
	}
	if err := sw.SetRow(fmt.Sprintf("A%d", row+1), total); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return wbWrite(f, w)
}
