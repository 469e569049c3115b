package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"assetpool/models"
)

// The columns of a sheet of purchase requests beside those it shares with inventories
// (fieldCategory, fieldName, fieldQuantity, fieldUnitPrice).
const (
	fieldRequirements importField = "requirements"
	fieldNeededBy     importField = "needed_by"
	fieldReason       importField = "reason"
	fieldMinCondition importField = "min_condition"
	fieldReplaces     importField = "replaces"
)

// requestFields are the columns of a sheet of purchase requests, in the template's order.
var requestFields = []fieldDef{
	{Key: fieldCategory, Header: "分类代码", Required: true, Variants: []string{"资产分类代码", "资产分类", "分类", "分类编码", "类别代码", "资产类别", "分类名称", "资产分类名称"}, Hint: "分类表中的分类代码（如 A02010105）或分类名称（如 台式计算机）"},
	{Key: fieldName, Header: "品目名称", Required: true, Variants: []string{"资产名称", "名称", "品名", "品目", "物品名称", "设备名称", "需求名称"}, Hint: "要购置的物品，如 台式计算机"},
	{Key: fieldRequirements, Header: "配置要求", Variants: []string{"技术参数", "规格要求", "需求说明", "技术要求", "配置", "规格型号", "主要参数"}, Hint: "规格、型号、最低配置，可空"},
	{Key: fieldQuantity, Header: "数量", Required: true, Variants: []string{"需求数量", "购置数量", "申请数量", "计划数量"}, Hint: "正整数，如 2"},
	{Key: fieldUnitPrice, Header: "预算单价（元）", Money: true, Variants: []string{"预算单价", "单价", "预算价格", "单价预算"}, Hint: "数字，如 4800.00；表头写（万元）时按万元读"},
	{Key: fieldNeededBy, Header: "需要日期", Variants: []string{"需求日期", "计划使用日期", "需用日期", "需要时间", "使用日期"}, Hint: "如 2027-03-01、2027/3/1 或 2027年3月1日，可空"},
	{Key: fieldReason, Header: "购置理由", Variants: []string{"理由", "申请理由", "购置原因", "需求理由", "用途"}, Hint: "为什么需要，可空"},
	{Key: fieldMinCondition, Header: "最低成色", Variants: []string{"可接受成色", "最低可接受成色", "成色要求", "成色"}, Hint: "全新、完好 或 需维修：调剂来的物品至少要这样；空白视为 完好"},
	{Key: fieldReplaces, Header: "拟替换资产编号", Variants: []string{"替换资产编号", "拟替换资产", "被替换资产编号", "替换资产"}, Hint: "本单位台账中要被替换的资产编号，多个用 、 或 , 分隔，可空"},
}

// requestImportMaxRows caps a sheet of requests: a unit files tens at a time, not thousands.
const requestImportMaxRows = 1000

// requestExampleMark in the 序号 column marks the template's example row, which is never imported.
const requestExampleMark = "示例"

// requestTemplateSheet is the sheet of the request template.
const requestTemplateSheet = "购置需求"

// RequestImportError is one problem of a sheet of requests: the row number and the column
// header as the clerk's own file shows them ("" for the whole row), and what to do.
type RequestImportError struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// RequestImportItem is one request read from a sheet, with the row it came from.
type RequestImportItem struct {
	Row int `json:"row"`
	RequestView
}

// RequestImport is what ImportRequests read from a sheet of requests: the requests (created,
// when Saved) and every problem found.
type RequestImport struct {
	FileName string `json:"file_name"`
	// Sheet is the sheet read; "" for a CSV file, which has none.
	Sheet     string `json:"sheet"`
	HeaderRow int    `json:"header_row"`
	// Rows counts the data rows read (title, total and signature rows left out).
	Rows     int                  `json:"rows"`
	Errors   []RequestImportError `json:"errors"`
	Requests []RequestImportItem  `json:"requests"`
	// Ignored lists the headers of columns that map to nothing.
	Ignored   []string `json:"ignored_columns"`
	Saved     bool     `json:"saved"`
	Submitted bool     `json:"submitted"`
}

// ImportRequests files the purchase requests of a spreadsheet (.xlsx, .xls or CSV, one
// request per row) for the clerk's unit. Every row is read and every problem reported with
// its row and column; when there is one, or with dryRun, nothing is saved and the result is a
// preview (each request already checked against the configuration standards). Otherwise all
// requests are created in one transaction, and submitted too with submit.
func (a *App) ImportRequests(ctx context.Context, actor *models.User, unitCode, fileName string, data []byte, dryRun, submit bool) (*RequestImport, error) {
	unit, err := a.requestUnit(ctx, actor, unitCode)
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > a.cfg.UploadLimit {
		return nil, models.Errorf(models.ETooLarge, "文件 %.1f MB，超过上传上限 %d MB", float64(len(data))/(1<<20), a.cfg.UploadLimit>>20)
	}
	ss, err := openSpreadsheet(data)
	if err != nil {
		return nil, err
	}
	defer ss.Close()
	sheet, layout, err := findRequestTable(ss)
	if err != nil {
		return nil, err
	}
	items, err := requestSheetRows(ss, sheet, layout.HeaderRow)
	if err != nil {
		return nil, err
	}
	cats, err := a.ListCategories(ctx)
	if err != nil {
		return nil, err
	}
	parsed, issues, n := parseRequestRows(layout, items, newCategoryIndex(cats), ss.Date1904())
	res := &RequestImport{FileName: displayFileName(fileName), Sheet: sheet, HeaderRow: layout.HeaderRow, Rows: n,
		Errors: issues, Requests: []RequestImportItem{}, Ignored: []string{}}
	if ss.Format() == formatCSV {
		res.Sheet = "" // a CSV file has no sheets
	}
	for _, c := range layout.Columns {
		if c.Field == "" && !c.RowNumber {
			res.Ignored = append(res.Ignored, c.Header)
		}
	}
	if n == 0 && len(res.Errors) == 0 {
		res.Errors = append(res.Errors, RequestImportError{Row: layout.HeaderRow,
			Message: fmt.Sprintf("第 %d 行表头下面没有需求：请每行填写一项需求后重新上传", layout.HeaderRow)})
	}
	if err := a.resolveReplaced(ctx, unit.ID, parsed, &res.Errors); err != nil {
		return nil, err
	}
	// Only the rows read without a problem become requests; the others are in the errors.
	var good []requestRow
	var rs []models.PurchaseRequest
	for _, p := range parsed {
		if !p.ok {
			continue
		}
		p.req.UnitID = unit.ID
		if err := p.req.Validate(); err != nil {
			res.Errors = append(res.Errors, RequestImportError{Row: p.row, Message: models.ErrorMessage(err)})
			continue
		}
		good, rs = append(good, p), append(rs, p.req)
	}
	sortRequestErrors(res.Errors)

	if len(res.Errors) > 0 || dryRun {
		return res, a.previewRequests(ctx, actor, unit, good, res)
	}
	views, err := a.CreateRequests(ctx, actor, unit.ID, rs, submit)
	if err != nil {
		return nil, err
	}
	for i, v := range views {
		res.Requests = append(res.Requests, RequestImportItem{Row: good[i].row, RequestView: v})
	}
	res.Saved, res.Submitted = true, submit
	return res, nil
}

// previewRequests lists the requests of a sheet as they would be filed, each checked against
// the configuration standards, without saving anything.
func (a *App) previewRequests(ctx context.Context, actor *models.User, unit *models.Unit, parsed []requestRow, res *RequestImport) error {
	table, err := a.categoryTable(ctx)
	if err != nil {
		return err
	}
	db := a.read.WithContext(ctx)
	for i := range parsed {
		r := parsed[i].req
		r.Status, r.Version = models.RequestDraft, 1
		if r.CategoryCode != "" {
			if r.Standards, err = a.checkStandards(db, &r, unit); err != nil {
				return err
			}
		}
		res.Requests = append(res.Requests, RequestImportItem{Row: parsed[i].row, RequestView: a.requestView(&r, unit, table, actor)})
	}
	return nil
}

// findRequestTable finds the table of requests in whichever sheet fits best.
func findRequestTable(ss *spreadsheet) (string, tableLayout, error) {
	m := newFieldMatcher(requestFields, nil)
	var best tableLayout
	bestSheet := ""
	for _, name := range ss.Sheets() {
		head, nums, err := sheetHead(ss, name, hdrScanRows)
		if err != nil {
			return "", tableLayout{}, err
		}
		if l, ok := m.findTable(head, nums); ok && l.Score > best.Score {
			best, bestSheet = l, name
		}
	}
	if bestSheet == "" {
		return "", tableLayout{}, models.Errorf(models.EInvalid, "文件的前 %d 行中没有找到购置需求的表头：请确认有「分类代码」「品目名称」「数量」等列标题，或下载模板按模板填写", hdrScanRows)
	}
	return bestSheet, best, nil
}

// requestSheetRows reads the rows below the header.
func requestSheetRows(ss *spreadsheet, sheet string, headerRow int) ([]rowItem, error) {
	rows, err := ss.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rowItem
	for rows.Next() {
		if rows.Row() <= headerRow {
			continue
		}
		if len(out) == requestImportMaxRows {
			return nil, models.Errorf(models.EInvalid, "文件中的需求超过 %d 行：请拆分成几个文件分别导入", requestImportMaxRows)
		}
		out = append(out, rowItem{num: rows.Row(), cells: rows.Cells()})
	}
	if err := rows.Err(); err != nil {
		return nil, &models.Error{Code: models.EInvalid, Message: fmt.Sprintf("读取工作表「%s」时出错：文件可能已损坏", sheet), Err: err}
	}
	return out, nil
}

// requestRow is one request read from a sheet, before the cards it replaces are looked up.
type requestRow struct {
	row      int
	req      models.PurchaseRequest
	replaces []string // asset numbers as written
	replCol  *column
	ok       bool // read without a problem
}

// parseRequestRows reads the data rows of a sheet of requests: every mapped cell is parsed and
// every problem recorded with its row and the column's header; date1904 is the workbook's date
// system. It returns the data rows (ok when read without a problem), the problems and how many
// data rows there were. It touches no database.
func parseRequestRows(l tableLayout, rows []rowItem, cats *categoryIndex, date1904 bool) ([]requestRow, []RequestImportError, int) {
	byField := map[importField]*column{}
	var rowNumCol *column
	for i := range l.Columns {
		c := &l.Columns[i]
		switch {
		case c.RowNumber:
			rowNumCol = c
		case c.Field != "":
			byField[c.Field] = c
		}
	}
	var issues []RequestImportError
	complete := true
	for _, f := range requestFields {
		if _, ok := byField[f.Key]; f.Required && !ok {
			complete = false
			issues = append(issues, RequestImportError{Row: l.HeaderRow,
				Message: fmt.Sprintf("没有找到必填列「%s」：请在第 %d 行表头添加这一列（也可写作 %s）", f.Header, l.HeaderRow, strings.Join(f.Variants[:min(3, len(f.Variants))], "、"))})
		}
	}
	var out []requestRow
	n := 0
	for _, item := range rows {
		cells := item.cells
		if l.skipRow(cells) {
			continue
		}
		if rowNumCol != nil && rowNumCol.Index < len(cells) && normWord(cells[rowNumCol.Index]) == requestExampleMark {
			continue
		}
		n++
		bad := false
		fail := func(c *column, format string, args ...any) {
			bad = true
			issues = append(issues, RequestImportError{Row: item.num, Column: c.Header, Message: fmt.Sprintf(format, args...)})
		}
		// get returns a field's cell and its column; a field the sheet lacks gives nil.
		get := func(f importField) (string, *column) {
			c := byField[f]
			if c == nil {
				return "", nil
			}
			if c.Index < len(cells) {
				return cells[c.Index], c
			}
			return "", c
		}
		text := func(f importField, dst *string, what string, limit int) {
			s, c := get(f)
			if c == nil {
				return
			}
			*dst = cleanText(s)
			if k := utf8.RuneCountInString(*dst); k > limit {
				fail(c, "%s过长（%d 个字，最多 %d 个字）", what, k, limit)
			}
		}
		r := requestRow{row: item.num, req: models.PurchaseRequest{MinCondition: models.ConditionUsable}}
		if s, c := get(fieldCategory); c != nil {
			code, err := cats.resolve(s)
			switch {
			case errors.Is(err, errBlankCell):
				fail(c, "分类代码为空：%s", normCategoryHow)
			case err != nil:
				fail(c, "%s", models.ErrorMessage(err))
			default:
				r.req.CategoryCode = code
			}
		}
		text(fieldName, &r.req.Name, "品目名称", 200)
		if _, c := get(fieldName); c != nil && r.req.Name == "" {
			fail(c, "品目名称为空：请填写要购置的物品，如 台式计算机")
		}
		text(fieldRequirements, &r.req.Requirements, "配置要求", 2000)
		text(fieldReason, &r.req.Reason, "购置理由", 1000)
		if s, c := get(fieldQuantity); c != nil {
			q, err := parseQuantityCell(s)
			switch {
			case errors.Is(err, errBlankCell):
				fail(c, "数量为空：请填写需要的件数，如 2")
			case err != nil:
				fail(c, "%s", models.ErrorMessage(err))
			case q > 100000:
				fail(c, "数量 %d 过大（最多 100000）：请核对", q)
			default:
				r.req.Quantity = q
			}
		}
		if s, c := get(fieldUnitPrice); c != nil {
			p, err := parseMoneyCell(s, c.Scale)
			switch {
			case errors.Is(err, errBlankCell):
			case err != nil:
				fail(c, "%s", models.ErrorMessage(err))
			case p < 0:
				fail(c, "预算单价不能为负数：请填写一件的预算金额，如 4800.00")
			default:
				r.req.UnitPrice = p
			}
		}
		if s, c := get(fieldNeededBy); c != nil {
			d, err := parseDateCell(s, date1904)
			switch {
			case errors.Is(err, errBlankCell):
			case err != nil:
				fail(c, "%s", models.ErrorMessage(err))
			default:
				r.req.NeededBy = d
			}
		}
		if s, c := get(fieldMinCondition); c != nil {
			cond, err := parseConditionCell(s)
			switch {
			case errors.Is(err, errBlankCell):
			case err != nil || cond.Rank() > models.ConditionRepairable.Rank():
				fail(c, "「%s」不能作为最低成色：请填写 全新、完好 或 需维修（空白视为 完好）", normQuote(s))
			default:
				r.req.MinCondition = cond
			}
		}
		if s, c := get(fieldReplaces); c != nil {
			r.replaces, r.replCol = splitAssetNumbers(s), c
		}
		// Without a required column no row is a request; the header's problem says why.
		r.ok = !bad && complete
		out = append(out, r)
	}
	return out, issues, n
}

// splitAssetNumbers splits a cell listing asset numbers ("ZC-001、ZC-002", "ZC-001, ZC-002;
// ZC-003", one per line) into the numbers, each once.
func splitAssetNumbers(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune("、,，;；\n\r", r)
	})
	var out []string
	seen := map[string]bool{}
	for _, p := range parts {
		if p = cleanText(p); p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// resolveReplaced turns the asset numbers each request replaces into the ids of the unit's
// cards; a number the unit's register does not hold is a problem of its row, which is then
// not ok.
func (a *App) resolveReplaced(ctx context.Context, unitID uint, parsed []requestRow, issues *[]RequestImportError) error {
	var nos []string
	for _, p := range parsed {
		nos = append(nos, p.replaces...)
	}
	ids := map[string]uint{}
	for i := 0; i < len(nos); i += 500 {
		var found []struct {
			ID      uint
			AssetNo string
		}
		err := a.read.WithContext(ctx).Model(&models.Asset{}).Select("id, asset_no").
			Where("unit_id = ? AND asset_no IN ?", unitID, nos[i:min(i+500, len(nos))]).Scan(&found).Error
		if err != nil {
			return internal(err, "look up replaced assets")
		}
		for _, f := range found {
			ids[f.AssetNo] = f.ID
		}
	}
	for i := range parsed {
		p := &parsed[i]
		p.req.Replaces = []uint{}
		for _, no := range p.replaces {
			id, ok := ids[no]
			if !ok {
				*issues = append(*issues, RequestImportError{Row: p.row, Column: p.replCol.Header,
					Message: fmt.Sprintf("资产编号「%s」不在本单位台账中：请填写本单位资产卡片的编号，多个用 、 分隔", normQuote(no))})
				p.ok = false
				continue
			}
			p.req.Replaces = append(p.req.Replaces, id)
		}
	}
	return nil
}

// sortRequestErrors orders problems by row, keeping each row's in the order found.
func sortRequestErrors(es []RequestImportError) {
	slices.SortStableFunc(es, func(a, b RequestImportError) int { return a.Row - b.Row })
}

// WriteRequestTemplate writes the request template: sheet 购置需求 with the header row and one
// example row (序号 示例, never imported), a dropdown for 最低成色 and for the category, and a
// 填写说明 sheet.
func (a *App) WriteRequestTemplate(ctx context.Context, w io.Writer) error {
	cats, err := a.ListCategories(ctx)
	if err != nil {
		return err
	}
	if err := writeRequestTemplate(w, cats, a.Today()); err != nil {
		return fmt.Errorf("write request template: %w", err)
	}
	return nil
}

// writeRequestTemplate writes the template; today dates the example row.
func writeRequestTemplate(w io.Writer, cats []models.Category, today models.Date) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := requestTemplateSheet
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	for _, name := range []string{wbSheetInstructions, wbSheetCategories} {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
	}
	if err := f.SetSheetVisible(wbSheetCategories, false); err != nil {
		return err
	}
	labels := make([]string, 0, len(cats))
	for _, c := range cats {
		labels = append(labels, wbCategoryLabel(c.Code, c.Name))
	}
	if err := wbWriteCategorySheet(f, labels); err != nil {
		return err
	}
	headStyle, err := f.NewStyle(wbHeaderStyle("1F3864"))
	if err != nil {
		return err
	}
	requiredStyle, err := f.NewStyle(wbHeaderStyle("C00000"))
	if err != nil {
		return err
	}
	exampleStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "7F7F7F"}})
	if err != nil {
		return err
	}
	dateFmt := "yyyy-mm-dd"
	exampleDate, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "7F7F7F"}, CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	exampleMoney, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "7F7F7F"}, NumFmt: 4})
	if err != nil {
		return err
	}
	if err := f.SetCellValue(sheet, "A1", "序号"); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "A", "A", 8); err != nil {
		return err
	}
	needed := today.Time().AddDate(0, 3, 0)
	example := map[importField]any{
		fieldCategory: wbCategoryLabel("A02010105", "台式计算机"), fieldName: "台式计算机",
		fieldRequirements: "i5 处理器，16G 内存，512G 固态硬盘，23.8 英寸显示器", fieldQuantity: 2,
		fieldUnitPrice: 4800, fieldNeededBy: needed, fieldReason: "新增编制 2 人，办公用",
		fieldMinCondition: models.ConditionUsable.Label(),
	}
	if err := f.SetCellValue(sheet, "A2", requestExampleMark); err != nil {
		return err
	}
	for i, c := range requestFields {
		col, err := excelize.ColumnNumberToName(i + 2)
		if err != nil {
			return err
		}
		style := headStyle
		if c.Required {
			style = requiredStyle
		}
		if err := f.SetCellValue(sheet, col+"1", c.Header); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, col+"1", col+"1", style); err != nil {
			return err
		}
		width := 14.0
		switch c.Key {
		case fieldCategory:
			width = 28
		case fieldRequirements, fieldReason:
			width = 36
		case fieldName, fieldReplaces:
			width = 20
		case fieldQuantity:
			width = 8
		}
		if err := f.SetColWidth(sheet, col, col, width); err != nil {
			return err
		}
		if v, ok := example[c.Key]; ok {
			if err := f.SetCellValue(sheet, col+"2", v); err != nil {
				return err
			}
		}
		es := exampleStyle
		switch {
		case c.Key == fieldNeededBy:
			es = exampleDate
		case c.Money:
			es = exampleMoney
		}
		if err := f.SetCellStyle(sheet, col+"2", col+"2", es); err != nil {
			return err
		}
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s3:%s%d", col, col, requestImportMaxRows+1)
		switch c.Key {
		case fieldMinCondition:
			choices := []string{models.ConditionNew.Label(), models.ConditionUsable.Label(), models.ConditionRepairable.Label()}
			if err := dv.SetDropList(choices); err != nil {
				return err
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, c.Header, "请从下拉列表中选择："+strings.Join(choices, "、"))
		case fieldCategory:
			if len(labels) == 0 {
				continue
			}
			dv.SetSqrefDropList(fmt.Sprintf("'%s'!$A$1:$A$%d", wbSheetCategories, len(labels)))
			dv.SetError(excelize.DataValidationErrorStyleWarning, c.Header, "不在分类表中。可从下拉列表选择，或填写分类代码、分类名称。")
		default:
			continue
		}
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sheet, "A1", "A1", headStyle); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A2", "A2", exampleStyle); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := writeRequestInstructions(f); err != nil {
		return err
	}
	return wbWrite(f, w)
}

// requestRules are the rules printed under the column list of the template's 填写说明 sheet.
var requestRules = []string{
	"每行填写一项需求：同一物品要几件就在“数量”中写几，不要拆成几行。",
	"序号为“示例”的第 2 行是填写示例，导入时不会读取；可以直接在它下面填写，也可以删除它。",
	"“分类代码”可从下拉列表选择，也可只填分类代码或分类名称；分类表中没有的分类不能导入。",
	"预算单价按元填写一件的价格，最多两位小数；提交后会对照配置标准核对单价和数量上限。",
	"“拟替换资产编号”填写本单位台账中将被替换的资产卡片编号，多个用 、 分隔；不是本单位的编号不能导入。",
	"任何一行有误时整个文件都不会导入：请按错误提示（第几行、哪一列）修改后重新上传。",
	"提交前系统会先在闲置资产库中查找可调剂的物品：调剂优先，无法调剂时才批准购置。",
}

// writeRequestInstructions writes the 填写说明 sheet of the request template.
func writeRequestInstructions(f *excelize.File) error {
	sheet := wbSheetInstructions
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	head, err := f.NewStyle(wbHeaderStyle("1F3864"))
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	rows := [][]any{{"购置需求填写说明"}, nil, {"列名", "是否必填", "填写要求", "也能识别的列名"}}
	for _, c := range requestFields {
		required := "选填"
		if c.Required {
			required = "必填"
		}
		rows = append(rows, []any{c.Header, required, c.Hint, strings.Join(c.Variants, "、")})
	}
	rows = append(rows, nil, []any{"填写规则"})
	for i, r := range requestRules {
		rows = append(rows, []any{fmt.Sprintf("%d. %s", i+1, r)})
	}
	for i, vals := range rows {
		cell := "A" + strconv.Itoa(i+1)
		if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sheet, "A1", "A1", title); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A3", "D3", head); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "C4", "D"+strconv.Itoa(3+len(requestFields)), wrap); err != nil {
		return err
	}
	for col, w := range map[string]float64{"A": 18, "B": 10, "C": 50, "D": 40} {
		if err := f.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	return nil
}
