package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"assetpool/models"
)

// previewListLimit caps each list a preview keeps (new, changed, unchanged, missing); the
// summary still counts everything.
const previewListLimit = 2000

// previewErrorLimit caps the errors a preview keeps; the error workbook has them all.
const previewErrorLimit = 1000

// rowBatch is how many rows travel together from the reader to the importer and into one
// INSERT: large enough to keep channel and statement overhead negligible, small enough for
// SQLite's limit on bound parameters (32766).
const rowBatch = 256

// ImportIssue is one problem in an uploaded file, named the way the clerk's own file shows it.
type ImportIssue struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// String formats the issue as the command line and logs print it.
func (i ImportIssue) String() string {
	switch {
	case i.Row > 0 && i.Column != "":
		return fmt.Sprintf("第 %d 行「%s」：%s", i.Row, i.Column, i.Message)
	case i.Row > 0:
		return fmt.Sprintf("第 %d 行：%s", i.Row, i.Message)
	}
	return i.Message
}

// PreviewColumn is one column of the uploaded sheet and the field it maps to.
type PreviewColumn struct {
	Index     int    `json:"index"`
	Letter    string `json:"letter"`
	Header    string `json:"header"`
	Field     string `json:"field"`
	RowNumber bool   `json:"row_number,omitempty"`
}

// PreviewAsset is a row of the upload that is new or unchanged.
type PreviewAsset struct {
	Row           int          `json:"row"`
	AssetID       uint         `json:"asset_id,omitempty"`
	AssetNo       string       `json:"asset_no"`
	Name          string       `json:"name"`
	CategoryCode  string       `json:"category_code,omitempty"`
	Quantity      int          `json:"quantity,omitempty"`
	OriginalValue models.Money `json:"original_value"`
}

// FieldChange is one field of an asset card that an upload changes.
type FieldChange struct {
	Field string `json:"field"`
	Label string `json:"label"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// PreviewChange is a row of the upload that changes a card of the register.
type PreviewChange struct {
	Row     int           `json:"row"`
	AssetID uint          `json:"asset_id"`
	AssetNo string        `json:"asset_no"`
	Name    string        `json:"name"`
	Changes []FieldChange `json:"changes"`
}

// PreviewMissing is a card of the register that the upload does not list.
type PreviewMissing struct {
	AssetID     uint               `json:"asset_id"`
	AssetNo     string             `json:"asset_no"`
	Name        string             `json:"name"`
	UsageStatus models.UsageStatus `json:"usage_status"`
}

// ImportPreview is what one pass over an upload found, with its lists capped.
type ImportPreview struct {
	Sheets          []string         `json:"sheets"`
	Columns         []PreviewColumn  `json:"columns"`
	Errors          []ImportIssue    `json:"errors"`
	ErrorsTruncated bool             `json:"errors_truncated"`
	New             []PreviewAsset   `json:"new"`
	Changed         []PreviewChange  `json:"changed"`
	Unchanged       []PreviewAsset   `json:"unchanged"`
	Missing         []PreviewMissing `json:"missing"`
	ListLimit       int              `json:"list_limit"`
}

// importPass is one read of an upload against a unit's register: a preview when tx is nil,
// otherwise the commit, writing through tx as it goes.
type importPass struct {
	a      *App
	actor  *models.User
	unitID uint
	today  models.Date
	now    time.Time
	layout tableLayout
	// date1904 is the workbook's date system, for date serial numbers.
	date1904 bool
	opts     ImportOptions
	cats     *categoryIndex
	// catNames names categories for the diff: "A02010105 台式计算机".
	catNames map[string]string
	byField  map[importField]column
	// existing is the unit's register by asset number.
	existing map[string]*models.Asset
	seen     map[string]int
	summary  models.ImportSummary
	preview  ImportPreview
	// issues collects every problem by row, for the error workbook; nil when not wanted.
	issues map[int][]cellIssue
	rows   *atomic.Int64
	limit  int

	tx       *gorm.DB
	importID uint
	inserts  []*models.Asset
	// unchanged are the ids of stored cards the file lists unchanged, since the last flush.
	unchanged []uint
	// The writing pass's prepared statements, reused argument slice and audit actor.
	ins, aud  multiInsert
	args      []any
	actorID   *uint
	actorName string
}

// rowItem is one row as read from the sheet.
type rowItem struct {
	num   int
	cells []string
}

// run streams the sheet's rows after the header through the pass. Reading (XML decoding, the
// expensive part) happens on its own goroutine while this one normalises, compares and writes.
func (p *importPass) run(ctx context.Context, ss *spreadsheet, sheet string) error {
	rows, err := ss.Rows(sheet)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer p.ins.close()
	defer p.aud.close()
	batches := make(chan []rowItem, 8)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		defer rows.Close()
		batch := make([]rowItem, 0, rowBatch)
		for rows.Next() {
			if rows.Row() <= p.layout.HeaderRow {
				continue
			}
			batch = append(batch, rowItem{rows.Row(), rows.Cells()})
			if len(batch) == rowBatch {
				select {
				case batches <- batch:
				case <-ctx.Done():
					readErr <- ctx.Err()
					return
				}
				batch = make([]rowItem, 0, rowBatch)
			}
		}
		if len(batch) > 0 {
			select {
			case batches <- batch:
			case <-ctx.Done():
			}
		}
		readErr <- rows.Err()
	}()
	for batch := range batches {
		for _, r := range batch {
			if err := p.row(r.num, r.cells); err != nil {
				return err
			}
		}
		if p.rows != nil {
			p.rows.Add(int64(len(batch)))
		}
		if err := p.flush(ctx); err != nil {
			return err
		}
		if p.tx != nil && p.a.commitWrote != nil {
			p.a.commitWrote(ctx)
		}
	}
	if err := <-readErr; err != nil {
		if errors.Is(err, context.Canceled) {
			return err
		}
		return &models.Error{Code: models.EInvalid, Message: fmt.Sprintf("读取工作表「%s」时出错：文件可能已损坏", sheet), Err: err}
	}
	p.finish()
	return nil
}

// addIssue records a problem of a row; col is nil for the whole row.
func (p *importPass) addIssue(row int, col *column, msg string) {
	p.summary.Errors++
	header, idx := "", -1
	if col != nil {
		header, idx = col.Header, col.Index
	}
	if len(p.preview.Errors) < previewErrorLimit {
		p.preview.Errors = append(p.preview.Errors, ImportIssue{Row: row, Column: header, Message: msg})
	} else {
		p.preview.ErrorsTruncated = true
	}
	if p.issues != nil {
		m := msg
		if header != "" {
			m = "「" + header + "」" + msg
		}
		p.issues[row] = append(p.issues[row], cellIssue{Col: idx, Message: m})
	}
}

// cellValue is what a row holds for one field: its text and the column it came from.
type cellValue struct {
	text string
	col  *column
}

// row reads one data row: parses every mapped cell, checks the card and compares it with the
// register.
func (p *importPass) row(num int, cells []string) error {
	if p.layout.skipRow(cells) {
		return nil
	}
	p.summary.Rows++
	if p.limit > 0 && p.summary.Rows > p.limit {
		return models.Errorf(models.EInvalid, "文件超过 %d 行数据，请拆分成几个文件分别导入", p.limit)
	}
	get := func(f importField) cellValue {
		c, ok := p.byField[f]
		if !ok {
			return cellValue{}
		}
		v := cellValue{col: &c}
		if c.Index < len(cells) {
			v.text = strings.TrimSpace(cells[c.Index])
		}
		return v
	}
	bad := false
	fail := func(v cellValue, msg string) {
		bad = true
		p.addIssue(num, v.col, msg)
	}

	noCell := get(fieldAssetNo)
	assetNo := cleanText(noCell.text)
	switch {
	case noCell.col == nil:
		// Reported once for the whole file by checkLayout.
		p.summary.InvalidRows++
		return nil
	case assetNo == "":
		p.addIssue(num, noCell.col, "资产编号为空：每一行都需要本单位内唯一的资产编号")
		p.summary.InvalidRows++
		return nil
	case len(assetNo) > 64:
		p.addIssue(num, noCell.col, "资产编号过长（最多 64 个字符）")
		p.summary.InvalidRows++
		return nil
	}
	if first, dup := p.seen[assetNo]; dup {
		p.addIssue(num, noCell.col, fmt.Sprintf("资产编号「%s」与第 %d 行重复：同一单位的资产编号只能出现一次", assetNo, first))
		p.summary.InvalidRows++
		return nil
	}
	p.seen[assetNo] = num

	old := p.existing[assetNo]
	var card models.Asset
	if old != nil {
		card = *old
	} else {
		card = models.Asset{UnitID: p.unitID, AssetNo: assetNo, Quantity: 1, Condition: models.ConditionUsable}
	}

	// text applies a text cell: blank keeps the stored value unless blank clears it.
	text := func(f importField, dst *string, max int) {
		v := get(f)
		if v.col == nil {
			return
		}
		s := cleanText(v.text)
		if s == "" {
			if f == fieldName {
				if old == nil {
					fail(v, "资产名称为空：请填写资产名称，如 台式计算机")
				} else if p.opts.BlankClears {
					fail(v, "资产名称是必填项，不能清空")
				}
				return
			}
			if p.opts.BlankClears {
				*dst = ""
			}
			return
		}
		if n := len([]rune(s)); n > max {
			fail(v, fmt.Sprintf("内容过长（%d 个字，最多 %d 个字）", n, max))
			return
		}
		*dst = s
	}
	text(fieldName, &card.Name, 200)
	text(fieldMeasureUnit, &card.MeasureUnit, 16)
	text(fieldAcquisitionMethod, &card.AcquisitionMethod, 32)
	text(fieldDepartment, &card.Department, 100)
	text(fieldCustodian, &card.Custodian, 100)
	text(fieldLocation, &card.Location, 200)
	text(fieldModel, &card.Model, 200)
	text(fieldBrand, &card.Brand, 100)
	text(fieldSerialNo, &card.SerialNo, 100)
	text(fieldFundingSource, &card.FundingSource, 100)
	text(fieldRemarks, &card.Remarks, 500)

	// required reports a blank required cell: for a new card it is an error, for a stored card
	// the stored value stays (and blank-clears cannot clear what is required).
	required := func(v cellValue, what, how string) {
		if old == nil {
			fail(v, fmt.Sprintf("%s为空：%s", what, how))
		} else if p.opts.BlankClears {
			fail(v, what+"是必填项，不能清空")
		}
	}

	if v := get(fieldCategory); v.col != nil {
		if strings.TrimSpace(v.text) == "" {
			required(v, "资产分类", "请填写分类代码（如 A02010105）或分类名称（如 台式计算机）")
		} else if code, err := p.cats.resolve(v.text); err != nil {
			fail(v, models.ErrorMessage(err))
		} else {
			card.CategoryCode = code
		}
	}

	if v := get(fieldQuantity); v.col != nil {
		if q, err := parseQuantityCell(v.text); err == nil {
			card.Quantity = q
		} else if !errors.Is(err, errBlankCell) {
			fail(v, models.ErrorMessage(err))
		}
	}

	money := func(f importField, what string) (models.Money, bool, bool) {
		v := get(f)
		if v.col == nil {
			return 0, false, true
		}
		scale := v.col.Scale
		if scale == 0 {
			scale = p.layout.Scale
		}
		if scale == 0 {
			scale = 1
		}
		m, err := parseMoneyCell(v.text, scale)
		if errors.Is(err, errBlankCell) {
			return 0, false, true
		}
		if err != nil {
			fail(v, models.ErrorMessage(err))
			return 0, false, false
		}
		if m < 0 {
			fail(v, fmt.Sprintf("%s不能为负数（%s）", what, m.Yuan()))
			return 0, false, false
		}
		return m, true, true
	}
	if m, ok, valid := money(fieldOriginalValue, "原值"); ok {
		card.OriginalValue = m
	} else if valid {
		if price, ok, _ := money(fieldUnitPrice, "单价"); ok {
			card.OriginalValue = price * models.Money(card.Quantity)
		} else if v := get(fieldOriginalValue); v.col != nil {
			required(v, "原值", "请填写金额，如 4999.00")
		} else if v := get(fieldUnitPrice); v.col != nil {
			required(v, "单价", "请填写金额，如 4999.00")
		}
	}
	book := func(f importField, what string, dst **models.Money) {
		if m, ok, valid := money(f, what); ok {
			*dst = &m
		} else if valid && p.opts.BlankClears && get(f).col != nil {
			*dst = nil
		}
	}
	book(fieldDepreciation, "累计折旧", &card.BookDepreciation)
	book(fieldNetValue, "净值", &card.BookNetValue)

	if v := get(fieldAcquiredOn); v.col != nil {
		d, err := parseDateCell(v.text, p.date1904)
		switch {
		case errors.Is(err, errBlankCell):
			required(v, "取得日期", "请填写日期，如 2019-05-01")
		case err != nil:
			fail(v, models.ErrorMessage(err))
		case p.today.Before(d):
			fail(v, fmt.Sprintf("取得日期 %s 晚于今天（%s），请核对", d, p.today))
		default:
			card.AcquiredOn = d
		}
	}

	if v := get(fieldUsageStatus); v.col != nil {
		s, err := parseUsageCell(v.text)
		switch {
		case errors.Is(err, errBlankCell):
			required(v, "使用状况", "请填写 在用、闲置、出租、出借、待处置 或 维修中")
		case err != nil:
			fail(v, models.ErrorMessage(err))
		default:
			card.UsageStatus = s
		}
	}
	if v := get(fieldCondition); v.col != nil {
		c, err := parseConditionCell(v.text)
		switch {
		case errors.Is(err, errBlankCell):
			if p.opts.BlankClears {
				card.Condition = models.ConditionUsable
			}
		case err != nil:
			fail(v, models.ErrorMessage(err))
		default:
			card.Condition = c
		}
	}

	if old == nil && !bad {
		// Columns missing from the whole file are reported once by checkLayout; a new card
		// still cannot be made without them.
		for _, f := range []importField{fieldName, fieldCategory, fieldAcquiredOn, fieldUsageStatus} {
			if _, ok := p.byField[f]; !ok {
				bad = true
			}
		}
		_, hasValue := p.byField[fieldOriginalValue]
		_, hasPrice := p.byField[fieldUnitPrice]
		if !hasValue && !hasPrice {
			bad = true
		}
	}
	if bad {
		p.summary.InvalidRows++
		return nil
	}

	switch card.UsageStatus {
	case models.UsageIdle:
		if card.IdleSince.IsZero() {
			card.IdleSince = p.today
		}
	default:
		card.IdleSince = models.Date{}
	}

	if old == nil {
		p.summary.New++
		if len(p.preview.New) < previewListLimit {
			p.preview.New = append(p.preview.New, PreviewAsset{Row: num, AssetNo: card.AssetNo, Name: card.Name, CategoryCode: card.CategoryCode, Quantity: card.Quantity, OriginalValue: card.OriginalValue})
		}
		if p.tx != nil {
			c := card
			c.Version, c.CreatedAt, c.UpdatedAt = 1, p.now, p.now
			p.inserts = append(p.inserts, &c)
		}
		return nil
	}
	changes := p.diff(old, &card)
	if len(changes) == 0 {
		p.summary.Unchanged++
		if len(p.preview.Unchanged) < previewListLimit {
			p.preview.Unchanged = append(p.preview.Unchanged, PreviewAsset{Row: num, AssetID: old.ID, AssetNo: old.AssetNo, Name: old.Name, CategoryCode: old.CategoryCode, Quantity: old.Quantity, OriginalValue: old.OriginalValue})
		}
		if p.tx != nil {
			p.unchanged = append(p.unchanged, old.ID)
		}
		return nil
	}
	p.summary.Changed++
	if len(p.preview.Changed) < previewListLimit {
		p.preview.Changed = append(p.preview.Changed, PreviewChange{Row: num, AssetID: old.ID, AssetNo: old.AssetNo, Name: card.Name, Changes: changes})
	}
	if p.tx != nil {
		if err := p.update(old, &card, changes); err != nil {
			return err
		}
	}
	return nil
}

// diff lists the fields in which card differs from the stored old card, for the preview and
// the audit log.
func (p *importPass) diff(old, card *models.Asset) []FieldChange {
	var out []FieldChange
	add := func(f importField, o, n string) {
		if o != n {
			def, _ := fieldByKey(f)
			out = append(out, FieldChange{Field: string(f), Label: strings.TrimSuffix(def.Header, "（元）"), Old: o, New: n})
		}
	}
	money := func(m *models.Money) string {
		if m == nil {
			return ""
		}
		return m.String()
	}
	add(fieldName, old.Name, card.Name)
	add(fieldCategory, p.catLabel(old.CategoryCode), p.catLabel(card.CategoryCode))
	add(fieldQuantity, strconv.Itoa(old.Quantity), strconv.Itoa(card.Quantity))
	add(fieldMeasureUnit, old.MeasureUnit, card.MeasureUnit)
	add(fieldOriginalValue, old.OriginalValue.String(), card.OriginalValue.String())
	add(fieldAcquiredOn, old.AcquiredOn.String(), card.AcquiredOn.String())
	add(fieldAcquisitionMethod, old.AcquisitionMethod, card.AcquisitionMethod)
	add(fieldDepreciation, money(old.BookDepreciation), money(card.BookDepreciation))
	add(fieldNetValue, money(old.BookNetValue), money(card.BookNetValue))
	add(fieldUsageStatus, old.UsageStatus.Label(), card.UsageStatus.Label())
	add(fieldCondition, old.Condition.Label(), card.Condition.Label())
	add(fieldDepartment, old.Department, card.Department)
	add(fieldCustodian, old.Custodian, card.Custodian)
	add(fieldLocation, old.Location, card.Location)
	add(fieldModel, old.Model, card.Model)
	add(fieldBrand, old.Brand, card.Brand)
	add(fieldSerialNo, old.SerialNo, card.SerialNo)
	add(fieldFundingSource, old.FundingSource, card.FundingSource)
	add(fieldRemarks, old.Remarks, card.Remarks)
	return out
}

func (p *importPass) catLabel(code string) string {
	if code == "" {
		return ""
	}
	if n, ok := p.catNames[code]; ok {
		return code + " " + n
	}
	return code
}

// finish lists the cards of the register that the file did not mention.
func (p *importPass) finish() {
	var missing []*models.Asset
	for no, a := range p.existing {
		if _, ok := p.seen[no]; !ok {
			missing = append(missing, a)
		}
	}
	slices.SortFunc(missing, func(x, y *models.Asset) int { return strings.Compare(x.AssetNo, y.AssetNo) })
	p.summary.Missing = len(missing)
	for _, a := range missing[:min(len(missing), previewListLimit)] {
		p.preview.Missing = append(p.preview.Missing, PreviewMissing{AssetID: a.ID, AssetNo: a.AssetNo, Name: a.Name, UsageStatus: a.UsageStatus})
	}
}

// assetColumns are the columns a new card is inserted with, in the order insertValues gives them.
const assetColumns = "unit_id, asset_no, name, category_code, quantity, measure_unit, original_value, acquired_on, " +
	"acquisition_method, book_depreciation, book_net_value, usage_status, condition, department, custodian, " +
	"location, model, brand, serial_no, funding_source, remarks, idle_since, version, created_at, updated_at"

const assetColumnCount = 25

func insertValues(a *models.Asset, args []any) []any {
	var dep, net any
	if a.BookDepreciation != nil {
		dep = int64(*a.BookDepreciation)
	}
	if a.BookNetValue != nil {
		net = int64(*a.BookNetValue)
	}
	idle, _ := a.IdleSince.Value()
	acquired, _ := a.AcquiredOn.Value()
	return append(args, a.UnitID, a.AssetNo, a.Name, a.CategoryCode, a.Quantity, a.MeasureUnit,
		int64(a.OriginalValue), acquired, a.AcquisitionMethod, dep, net, string(a.UsageStatus),
		string(a.Condition), a.Department, a.Custodian, a.Location, a.Model, a.Brand, a.SerialNo,
		a.FundingSource, a.Remarks, idle, a.Version, a.CreatedAt, a.UpdatedAt)
}

// flush inserts the new cards collected so far, with one audit event each, in multi-row
// statements prepared once per pass: GORM's per-row reflection would cost more than reading
// the file.
func (p *importPass) flush(ctx context.Context) error {
	if p.tx == nil {
		return nil
	}
	if err := p.countUnchanged(ctx); err != nil {
		return err
	}
	if len(p.inserts) == 0 {
		return nil
	}
	batch := p.inserts
	p.inserts = p.inserts[:0]
	args := p.args[:0]
	for _, a := range batch {
		args = insertValues(a, args)
	}
	p.args = args
	res, err := p.ins.exec(ctx, p.tx, len(batch), args)
	if err != nil {
		return internal(err, "insert imported assets")
	}
	// One INSERT statement in a write transaction gives its rows consecutive rowids in VALUES
	// order (AUTOINCREMENT takes max+1 per row, and no other writer can interleave).
	last, err := res.LastInsertId()
	if err != nil {
		return internal(err, "insert imported assets")
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(len(batch)) {
		return internal(fmt.Errorf("inserted %d of %d rows: %v", n, len(batch), err), "insert imported assets")
	}
	first := uint(last) - uint(len(batch)) + 1
	args = p.args[:0]
	for i, a := range batch {
		a.ID = first + uint(i)
		after, err := json.Marshal(importedCard{ImportID: p.importID, Row: p.seen[a.AssetNo], AssetNo: a.AssetNo, Name: a.Name})
		if err != nil {
			return internal(err, "encode audit record")
		}
		args = append(args, p.now, p.actorID, p.actorName, "asset.import", "asset", strconv.FormatUint(uint64(a.ID), 10), p.unitID, "", string(after))
	}
	p.args = args
	if _, err := p.aud.exec(ctx, p.tx, len(batch), args); err != nil {
		return internal(err, "write audit events")
	}
	return nil
}

// countUnchanged adds one to the unchanged-upload count of the cards listed unchanged since the
// last flush, in one statement per batch. The count is bookkeeping for the worth-checking list,
// not an edit: version and updated_at stay as they are, and no audit event is written.
func (p *importPass) countUnchanged(ctx context.Context) error {
	if len(p.unchanged) == 0 {
		return nil
	}
	err := p.tx.WithContext(ctx).Exec("UPDATE assets SET unchanged_imports = unchanged_imports + 1 WHERE id IN ?", p.unchanged).Error
	p.unchanged = p.unchanged[:0]
	return internal(err, "count unchanged imports")
}

// multiInsert is an INSERT of up to rowBatch rows: one statement prepared for full batches,
// built afresh for the last, shorter one.
type multiInsert struct {
	head    string // "INSERT INTO t (a, b) VALUES "
	columns int
	full    *sql.Stmt
}

func (m *multiInsert) sql(rows int) string {
	var sb strings.Builder
	sb.WriteString(m.head)
	tuple := "(?" + strings.Repeat(",?", m.columns-1) + ")"
	for i := range rows {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(tuple)
	}
	return sb.String()
}

func (m *multiInsert) exec(ctx context.Context, tx *gorm.DB, rows int, args []any) (sql.Result, error) {
	conn, ok := tx.Statement.ConnPool.(interface {
		PrepareContext(context.Context, string) (*sql.Stmt, error)
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	})
	if !ok {
		return nil, fmt.Errorf("transaction has no prepare: %T", tx.Statement.ConnPool)
	}
	if rows != rowBatch {
		return conn.ExecContext(ctx, m.sql(rows), args...)
	}
	if m.full == nil {
		st, err := conn.PrepareContext(ctx, m.sql(rowBatch))
		if err != nil {
			return nil, err
		}
		m.full = st
	}
	return m.full.ExecContext(ctx, args...)
}

func (m *multiInsert) close() {
	if m.full != nil {
		m.full.Close()
	}
}

// importedCard is the audit record of a card an import created or changed: which import and
// row made it, and for a change the fields before. A created card's values are the import's
// file row (the file is kept with the import), so they are not copied into the log.
type importedCard struct {
	ImportID uint          `json:"import_id"`
	Row      int           `json:"row,omitempty"`
	AssetNo  string        `json:"asset_no,omitempty"`
	Name     string        `json:"name,omitempty"`
	Changes  []FieldChange `json:"changes,omitempty"`
}

// update writes the changed fields of a stored card, guarded by its version so that an edit
// made meanwhile is not overwritten silently.
func (p *importPass) update(old, card *models.Asset, changes []FieldChange) error {
	card.Version = old.Version + 1
	card.UpdatedAt = p.now
	// A changed card is being looked after: the run of unchanged uploads starts again.
	card.UnchangedImports = 0
	res := p.tx.Model(&models.Asset{}).Where("id = ? AND version = ?", old.ID, old.Version).Select("*").Omit("id", "unit_id", "asset_no", "created_at").Updates(card)
	if res.Error != nil {
		return internal(res.Error, "update imported asset")
	}
	if res.RowsAffected != 1 {
		return models.Errorf(models.EConflict, "资产 %s 在导入期间被他人修改，请重新预览后再导入", old.AssetNo)
	}
	return p.a.audit(p.tx, p.actor, "asset.import", "asset", old.ID, &p.unitID, importedCard{ImportID: p.importID, Row: p.seen[old.AssetNo], Changes: changes}, card)
}

// startWriting makes the pass a commit that writes through tx.
func (p *importPass) startWriting(tx *gorm.DB) {
	p.tx = tx
	p.ins = multiInsert{head: "INSERT INTO assets (" + assetColumns + ") VALUES ", columns: assetColumnCount}
	p.aud = multiInsert{head: "INSERT INTO audit_events (at, actor_id, actor, action, entity, entity_id, unit_id, \"before\", \"after\") VALUES ", columns: 9}
	p.actorName = "system"
	if p.actor != nil {
		p.actorID, p.actorName = &p.actor.ID, p.actor.Username
	}
}
