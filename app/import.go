package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"assetpool/models"
)

// ImportOptions are the clerk's choices for an upload.
type ImportOptions struct {
	// SkipInvalid commits the valid rows of a preview that has errors; without it such a
	// preview is refused and nothing is stored.
	SkipInvalid bool `json:"skip_invalid"`
	// BlankClears makes a blank cell clear the stored value instead of keeping it.
	BlankClears bool `json:"blank_clears"`
}

// ImportPatch changes how a preview reads its file; nil fields stay as they are.
type ImportPatch struct {
	Sheet *string `json:"sheet"`
	// Mapping assigns fields to columns by 0-based column index ("3": "name"); "" means the
	// column is not imported. The choices are remembered for the unit's next upload.
	Mapping     map[string]string `json:"mapping"`
	BlankClears *bool             `json:"blank_clears"`
}

// ImportProgress is how far a background job has got.
type ImportProgress struct {
	RowsRead      int64   `json:"rows_read"`
	RowsTotal     int     `json:"rows_total"`
	Percent       float64 `json:"percent"`
	RowsPerSecond float64 `json:"rows_per_second"`
}

// ImportActor names who uploaded a file.
type ImportActor struct {
	ID          uint   `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
}

// FieldChoice is a field a column can be mapped to.
type FieldChoice struct {
	Key      string `json:"key"`
	Header   string `json:"header"`
	Required bool   `json:"required"`
}

// ImportView is an import as the API and the command line show it. The preview's lists are
// present only when one import is asked for, not in lists.
type ImportView struct {
	*models.Import
	Unit      *models.Unit    `json:"unit"`
	CreatedBy ImportActor     `json:"created_by"`
	Progress  *ImportProgress `json:"progress,omitempty"`
	Options   ImportOptions   `json:"options"`
	Fields    []FieldChoice   `json:"fields,omitempty"`
	*ImportPreview
}

// importJob is a running background pass.
type importJob struct {
	total   int
	started time.Time
	rows    atomic.Int64
}

// ImportProgressFunc is told how many rows have been read, for progress bars.
type ImportProgressFunc func(read int64, total int)

// CreateImport stores an upload for a unit and previews it: nothing changes in the register.
// A big file is previewed in the background; the returned import then has status running.
func (a *App) CreateImport(ctx context.Context, actor *models.User, unitCode, fileName string, data []byte) (*ImportView, error) {
	imp, ss, err := a.newImport(ctx, actor, unitCode, fileName, data, ImportOptions{})
	if err != nil {
		return nil, err
	}
	defer ss.Close()
	if err := a.preview(ctx, actor, imp, ss, data); err != nil {
		return nil, err
	}
	return a.Import(ctx, actor, imp.ID)
}

// newImport checks an upload and who sends it, opens the file, finds its inventory table and
// stores the upload; a file without a table is refused before anything is stored. The caller
// closes the returned spreadsheet.
func (a *App) newImport(ctx context.Context, actor *models.User, unitCode, fileName string, data []byte, opts ImportOptions) (*models.Import, *spreadsheet, error) {
	if int64(len(data)) > a.cfg.UploadLimit {
		return nil, nil, models.Errorf(models.ETooLarge, "文件 %.1f MB，超过上传上限 %d MB：请拆分后分别上传", float64(len(data))/(1<<20), a.cfg.UploadLimit>>20)
	}
	if len(data) == 0 {
		return nil, nil, models.Errorf(models.EInvalid, "上传的文件是空的")
	}
	if strings.TrimSpace(unitCode) == "" {
		return nil, nil, models.Errorf(models.EInvalid, "请选择导入到哪个单位")
	}
	unit, err := a.UnitByCode(ctx, unitCode)
	if err != nil {
		return nil, nil, err
	}
	// A nil actor is the command line, which may import for any unit.
	var by *uint
	if actor != nil {
		if !actor.CanImportUnit(unit.ID) {
			return nil, nil, models.Errorf(models.EForbidden, "只能导入本单位的资产清单")
		}
		by = &actor.ID
	}
	ss, err := openSpreadsheet(data)
	if err != nil {
		return nil, nil, err
	}
	sum := sha256.Sum256(data)
	imp := &models.Import{
		UnitID: unit.ID, CreatedByID: by, FileName: displayFileName(fileName),
		SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data)), Format: string(ss.Format()),
		Status: models.ImportPreview, SkipInvalid: opts.SkipInvalid, BlankClears: opts.BlankClears,
	}
	if err := a.chooseSheet(ctx, imp, ss); err != nil {
		ss.Close()
		return nil, nil, err
	}
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(imp).Error; err != nil {
			return internal(err, "create import")
		}
		if err := tx.Create(&models.ImportFile{ImportID: imp.ID, Data: data}).Error; err != nil {
			return internal(err, "store uploaded file")
		}
		return a.audit(tx, actor, "import.upload", "import", imp.ID, &imp.UnitID, nil, imp)
	})
	if err != nil {
		ss.Close()
		return nil, nil, err
	}
	return imp, ss, nil
}

// displayFileName keeps only the base name of an upload, for showing: it is never used as a path.
func displayFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" || !utf8.ValidString(name) {
		name = ""
	}
	if r := []rune(name); len(r) > 200 {
		name = string(r[len(r)-200:])
	}
	return name
}

// preview reads the upload once without writing to the register and stores what it found;
// in the background when the sheet is big.
func (a *App) preview(ctx context.Context, actor *models.User, imp *models.Import, ss *spreadsheet, data []byte) error {
	total := ss.EstimateRows(imp.Sheet)
	if total <= a.cfg.ImportBackgroundRows {
		p, err := a.runPreview(ctx, actor, imp, ss, nil)
		if err != nil {
			return err
		}
		return a.savePreview(ctx, imp, p)
	}
	if err := a.setRunning(ctx, imp, "preview"); err != nil {
		return err
	}
	id := imp.ID
	a.startJob(id, "preview", total, func(ctx context.Context, rows *atomic.Int64) error {
		ss, err := openSpreadsheet(data)
		if err != nil {
			return err
		}
		defer ss.Close()
		imp, err := a.loadImport(ctx, id)
		if err != nil {
			return err
		}
		p, err := a.runPreview(ctx, actor, imp, ss, rows)
		if err != nil {
			return err
		}
		return a.savePreview(ctx, imp, p)
	})
	return nil
}

// chooseSheet picks the sheet (the one the clerk chose, else the one that best looks like an
// inventory) and records where its header is.
func (a *App) chooseSheet(ctx context.Context, imp *models.Import, ss *spreadsheet) error {
	remembered, err := a.rememberedMapping(ctx, a.read, imp.UnitID)
	if err != nil {
		return err
	}
	sheet, layout, err := findLayout(ss, imp.Sheet, remembered)
	if err != nil {
		return err
	}
	imp.Sheet, imp.HeaderRow = sheet, layout.HeaderRow
	return nil
}

// findLayout finds the inventory table: in the named sheet, or in whichever sheet fits best.
func findLayout(ss *spreadsheet, sheet string, remembered map[string]importField) (string, tableLayout, error) {
	sheets := ss.Sheets()
	if sheet != "" {
		if !slices.Contains(sheets, sheet) {
			return "", tableLayout{}, models.Errorf(models.EInvalid, "文件中没有工作表「%s」", sheet)
		}
		sheets = []string{sheet}
	}
	var best tableLayout
	bestSheet := ""
	for _, name := range sheets {
		head, nums, err := sheetHead(ss, name, 30)
		if err != nil {
			return "", tableLayout{}, err
		}
		if l, ok := findTable(head, nums, remembered); ok && l.Score > best.Score {
			best, bestSheet = l, name
		}
	}
	if bestSheet == "" {
		where := "文件"
		if sheet != "" {
			where = "工作表「" + sheet + "」"
		}
		return "", tableLayout{}, models.Errorf(models.EInvalid, "%s的前 30 行中没有找到表头：请确认有「资产编号」「资产名称」「原值」等列标题，或下载模板按模板填写", where)
	}
	return bestSheet, best, nil
}

// sheetHead reads the first n rows of a sheet.
func sheetHead(ss *spreadsheet, sheet string, n int) ([][]string, []int, error) {
	rows, err := ss.Rows(sheet)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var head [][]string
	var nums []int
	for rows.Next() && rows.Row() <= n {
		head = append(head, rows.Cells())
		nums = append(nums, rows.Row())
	}
	return head, nums, rows.Err()
}

// rememberedMapping loads a unit's manual column choices.
func (a *App) rememberedMapping(ctx context.Context, db *gorm.DB, unitID uint) (map[string]importField, error) {
	var ms []models.ColumnMapping
	if err := db.WithContext(ctx).Where("unit_id = ?", unitID).Find(&ms).Error; err != nil {
		return nil, internal(err, "load column mapping")
	}
	out := make(map[string]importField, len(ms))
	for _, m := range ms {
		out[m.Header] = importField(m.Field)
	}
	return out, nil
}

// newPass prepares a pass over imp's file: its layout with the clerk's mapping, the category
// table and the unit's register, all read through db (the transaction when committing).
func (a *App) newPass(ctx context.Context, db *gorm.DB, actor *models.User, imp *models.Import, ss *spreadsheet) (*importPass, error) {
	remembered, err := a.rememberedMapping(ctx, db, imp.UnitID)
	if err != nil {
		return nil, err
	}
	sheet, layout, err := findLayout(ss, imp.Sheet, remembered)
	if err != nil {
		return nil, err
	}
	imp.Sheet, imp.HeaderRow = sheet, layout.HeaderRow
	if imp.Mapping != "" {
		var manual map[string]string
		if err := json.Unmarshal([]byte(imp.Mapping), &manual); err != nil {
			return nil, internal(err, "decode column mapping")
		}
		m := make(map[int]importField, len(manual))
		for k, v := range manual {
			i, err := strconv.Atoi(k)
			if err != nil {
				continue
			}
			m[i] = importField(v)
		}
		layout = layout.withMapping(m)
	}
	var cats []models.Category
	if err := db.WithContext(ctx).Find(&cats).Error; err != nil {
		return nil, internal(err, "load categories")
	}
	names := make(map[string]string, len(cats))
	for _, c := range cats {
		names[c.Code] = c.Name
	}
	var existing []*models.Asset
	if err := db.WithContext(ctx).Where("unit_id = ?", imp.UnitID).Find(&existing).Error; err != nil {
		return nil, internal(err, "load register")
	}
	byNo := make(map[string]*models.Asset, len(existing))
	for _, e := range existing {
		byNo[e.AssetNo] = e
	}
	now := a.now()
	p := &importPass{
		a: a, actor: actor, unitID: imp.UnitID, today: models.DateOf(now), now: now.UTC(), layout: layout, date1904: ss.Date1904(),
		opts: ImportOptions{SkipInvalid: imp.SkipInvalid, BlankClears: imp.BlankClears},
		cats: newCategoryIndex(cats), catNames: names, byField: map[importField]column{},
		existing: byNo, seen: map[string]int{}, limit: a.cfg.ImportMaxRows, importID: imp.ID,
	}
	p.preview = ImportPreview{Sheets: ss.Sheets(), ListLimit: previewListLimit, Columns: []PreviewColumn{}, Errors: []ImportIssue{},
		New: []PreviewAsset{}, Changed: []PreviewChange{}, Unchanged: []PreviewAsset{}, Missing: []PreviewMissing{}}
	for _, c := range layout.Columns {
		name, _ := excelize.ColumnNumberToName(c.Index + 1)
		p.preview.Columns = append(p.preview.Columns, PreviewColumn{Index: c.Index, Letter: name, Header: c.Header, Field: string(c.Field), RowNumber: c.RowNumber})
		if c.Field != "" && !c.RowNumber {
			p.byField[c.Field] = c
		}
	}
	p.checkLayout()
	return p, nil
}

// checkLayout reports required columns the file lacks, once, at the header row.
func (p *importPass) checkLayout() {
	if _, ok := p.byField[fieldAssetNo]; !ok {
		p.addIssue(p.layout.HeaderRow, nil, "没有找到「资产编号」列：资产编号用来对应台账中的卡片，请在表头添加，或在预览中指定哪一列是资产编号")
	}
	if len(p.existing) > 0 {
		// Updating stored cards needs only the asset number; the other required columns are
		// needed for new cards and reported when a new card lacks them.
		return
	}
	for _, f := range importFields {
		if !f.Required || f.Key == fieldAssetNo {
			continue
		}
		if _, ok := p.byField[f.Key]; ok {
			continue
		}
		if _, ok := p.byField[fieldUnitPrice]; ok && f.Key == fieldOriginalValue {
			continue
		}
		p.addIssue(p.layout.HeaderRow, nil, fmt.Sprintf("没有找到必填列「%s」：请在表头添加，或在预览中指定哪一列是%s", strings.TrimSuffix(f.Header, "（元）"), strings.TrimSuffix(f.Header, "（元）")))
	}
}

// runPreview is one pass without writes.
func (a *App) runPreview(ctx context.Context, actor *models.User, imp *models.Import, ss *spreadsheet, rows *atomic.Int64) (*importPass, error) {
	p, err := a.newPass(ctx, a.read, actor, imp, ss)
	if err != nil {
		return nil, err
	}
	p.rows = rows
	if err := p.run(ctx, ss, imp.Sheet); err != nil {
		return nil, err
	}
	return p, nil
}

// savePreview stores what a preview found.
func (a *App) savePreview(ctx context.Context, imp *models.Import, p *importPass) error {
	b, err := json.Marshal(&p.preview)
	if err != nil {
		return internal(err, "encode preview")
	}
	imp.Preview, imp.Summary, imp.Status, imp.Phase, imp.Failure = string(b), p.summary, models.ImportPreview, "", ""
	// Only a preview, or this preview's own background job, is overwritten: a commit that
	// won a race with a change of mapping keeps its result.
	res := a.db.WithContext(ctx).Model(&models.Import{}).
		Where("id = ? AND (status = ? OR (status = ? AND phase = ?))", imp.ID, models.ImportPreview, models.ImportRunning, "preview").
		Select("preview", "sum_rows", "sum_new", "sum_changed", "sum_unchanged", "sum_missing", "sum_errors", "sum_invalid_rows", "status", "phase", "failure", "sheet", "header_row", "updated_at").
		Updates(imp)
	if res.Error != nil {
		return internal(res.Error, "save preview")
	}
	if res.RowsAffected == 0 {
		return errNotPreview
	}
	return nil
}

// errNotPreview answers a change to an import that meanwhile stopped being a preview.
var errNotPreview = models.Errorf(models.EConflict, "这次导入已不在预览中（可能刚被确认或放弃），请刷新后查看")

func (a *App) setRunning(ctx context.Context, imp *models.Import, phase string) error {
	imp.Status, imp.Phase, imp.Failure = models.ImportRunning, phase, ""
	res := a.db.WithContext(ctx).Model(&models.Import{}).Where("id = ? AND status = ?", imp.ID, models.ImportPreview).
		Select("status", "phase", "failure", "sheet", "header_row", "updated_at").Updates(imp)
	if res.Error != nil {
		return internal(res.Error, "start import job")
	}
	if res.RowsAffected == 0 {
		return errNotPreview
	}
	return nil
}

// startJob runs fn in the background. A failure is recorded on the import in Chinese: a
// commit that fails leaves the preview standing (its transaction rolled back), anything else
// fails the import.
func (a *App) startJob(id uint, phase string, total int, fn func(ctx context.Context, rows *atomic.Int64) error) {
	job := &importJob{total: total, started: a.now()}
	a.jobsMu.Lock()
	a.jobs[id] = job
	a.jobsMu.Unlock()
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		defer func() {
			a.jobsMu.Lock()
			delete(a.jobs, id)
			a.jobsMu.Unlock()
		}()
		err := fn(a.bgCtx, &job.rows)
		if err == nil {
			return
		}
		// A commit's transaction rolled back, whatever stopped it, so its preview stands.
		status := models.ImportFailed
		if phase == "commit" {
			status = models.ImportPreview
		}
		msg := models.ErrorMessage(err)
		switch {
		case errors.Is(err, context.Canceled) && phase == "commit":
			msg = "服务停止，导入中断：没有写入任何数据，请重新确认导入"
		case errors.Is(err, context.Canceled):
			msg = "服务停止，导入中断：请重新上传"
		case phase == "commit" && models.ErrorCode(err) == models.EInternal:
			msg = "导入时出错，没有写入任何数据：请稍后重新确认导入"
		}
		if models.ErrorCode(err) == models.EInternal {
			a.log.Error("import job failed", "import", id, "phase", phase, "err", err)
		}
		// The job's own context may be cancelled: record the outcome regardless.
		if err := a.db.Model(&models.Import{}).Where("id = ? AND status = ? AND phase = ?", id, models.ImportRunning, phase).
			Updates(map[string]any{"status": status, "phase": "", "failure": msg, "updated_at": a.now().UTC()}).Error; err != nil {
			a.log.Error("record import failure", "import", id, "err", err)
		}
	}()
}

// Import returns one import with its preview.
func (a *App) Import(ctx context.Context, actor *models.User, id uint) (*ImportView, error) {
	imp, err := a.loadImport(ctx, id)
	if err != nil {
		return nil, err
	}
	if actor != nil && !actor.CanReadUnit(imp.UnitID) {
		return nil, models.Errorf(models.ENotFound, "导入记录 %d 不存在", id)
	}
	v := a.view(imp)
	v.ImportPreview = &ImportPreview{Sheets: []string{}, Columns: []PreviewColumn{}, Errors: []ImportIssue{},
		New: []PreviewAsset{}, Changed: []PreviewChange{}, Unchanged: []PreviewAsset{}, Missing: []PreviewMissing{}}
	if imp.Preview != "" {
		if err := json.Unmarshal([]byte(imp.Preview), v.ImportPreview); err != nil {
			return nil, internal(err, "decode preview")
		}
	}
	if imp.Format == string(formatCSV) {
		v.Sheets = []string{} // see view
	}
	for _, f := range importFields {
		v.Fields = append(v.Fields, FieldChoice{Key: string(f.Key), Header: f.Header, Required: f.Required})
	}
	return v, nil
}

func (a *App) loadImport(ctx context.Context, id uint) (*models.Import, error) {
	var imp models.Import
	err := a.read.WithContext(ctx).Preload("Unit").Preload("CreatedBy").First(&imp, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.Errorf(models.ENotFound, "导入记录 %d 不存在", id)
	}
	return &imp, internal(err, "load import")
}

// view shapes an import for the API, with the live progress of a running job.
func (a *App) view(imp *models.Import) *ImportView {
	v := &ImportView{Import: imp, Unit: imp.Unit, Options: ImportOptions{SkipInvalid: imp.SkipInvalid, BlankClears: imp.BlankClears}}
	if imp.Format == string(formatCSV) {
		// A CSV file is one table without a name; the reader's name for it is no sheet of the
		// clerk's file, so the API names none.
		shown := *imp
		shown.Sheet = ""
		v.Import = &shown
	}
	if imp.CreatedBy != nil {
		v.CreatedBy = ImportActor{ID: imp.CreatedBy.ID, Username: imp.CreatedBy.Username, DisplayName: imp.CreatedBy.DisplayName}
	} else {
		v.CreatedBy = ImportActor{Username: "cli", DisplayName: "命令行"}
	}
	a.jobsMu.Lock()
	job := a.jobs[imp.ID]
	a.jobsMu.Unlock()
	if imp.Status == models.ImportRunning && job == nil {
		// The job is just starting or just finishing; its next state is a moment away.
		v.Progress = &ImportProgress{RowsTotal: imp.Summary.Rows}
	}
	if job != nil && imp.Status == models.ImportRunning {
		read := job.rows.Load()
		p := &ImportProgress{RowsRead: read, RowsTotal: max(job.total, int(read))}
		if p.RowsTotal > 0 {
			p.Percent = float64(int(1000*float64(read)/float64(p.RowsTotal))) / 10
		}
		if secs := a.now().Sub(job.started).Seconds(); secs > 0 {
			p.RowsPerSecond = float64(int(10*float64(read)/secs)) / 10
		}
		v.Progress = p
	}
	return v
}

// ListImports returns a unit's imports, newest first: a clerk's own unit, or for finance and
// administrators the given unit or every unit.
func (a *App) ListImports(ctx context.Context, actor *models.User, unitCode string) ([]*ImportView, error) {
	q := a.read.WithContext(ctx).Preload("Unit").Preload("CreatedBy").Omit("preview").Order("id DESC").Limit(500)
	switch {
	case unitCode != "":
		u, err := a.UnitByCode(ctx, unitCode)
		if err != nil {
			return nil, err
		}
		if !actor.CanReadUnit(u.ID) {
			return nil, models.Errorf(models.EForbidden, "只能查看本单位的导入记录")
		}
		q = q.Where("unit_id = ?", u.ID)
	case actor.Role == models.RoleClerk:
		if actor.UnitID == nil {
			return nil, models.Errorf(models.EForbidden, "账号未关联单位")
		}
		q = q.Where("unit_id = ?", *actor.UnitID)
	}
	var imps []*models.Import
	if err := q.Find(&imps).Error; err != nil {
		return nil, internal(err, "list imports")
	}
	out := make([]*ImportView, len(imps))
	for i, imp := range imps {
		out[i] = a.view(imp)
	}
	return out, nil
}

// editableImport loads an import that actor may change and that is still a preview.
func (a *App) editableImport(ctx context.Context, actor *models.User, id uint) (*models.Import, error) {
	imp, err := a.loadImport(ctx, id)
	if err != nil {
		return nil, err
	}
	if !actor.CanReadUnit(imp.UnitID) {
		return nil, models.Errorf(models.ENotFound, "导入记录 %d 不存在", id)
	}
	if !actor.CanImportUnit(imp.UnitID) {
		return nil, models.Errorf(models.EForbidden, "只能处理本单位的导入")
	}
	if imp.Status != models.ImportPreview {
		return nil, models.Errorf(models.EConflict, "这次导入%s，不能再修改或确认", imp.Status.Label())
	}
	return imp, nil
}

// importFile loads the stored upload of an import.
func (a *App) importFile(ctx context.Context, id uint) ([]byte, error) {
	var f models.ImportFile
	if err := a.read.WithContext(ctx).First(&f, "import_id = ?", id).Error; err != nil {
		return nil, internal(err, "load uploaded file")
	}
	return f.Data, nil
}

// UpdateImport reads a preview again with another sheet, column mapping or blank-cell rule.
// Mapping choices are remembered for the unit's next upload.
func (a *App) UpdateImport(ctx context.Context, actor *models.User, id uint, patch ImportPatch) (*ImportView, error) {
	imp, err := a.editableImport(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	data, err := a.importFile(ctx, id)
	if err != nil {
		return nil, err
	}
	ss, err := openSpreadsheet(data)
	if err != nil {
		return nil, err
	}
	defer ss.Close()
	if patch.Sheet != nil && *patch.Sheet != imp.Sheet {
		remembered, err := a.rememberedMapping(ctx, a.read, imp.UnitID)
		if err != nil {
			return nil, err
		}
		if _, _, err := findLayout(ss, *patch.Sheet, remembered); err != nil {
			return nil, err
		}
		imp.Sheet, imp.Mapping = *patch.Sheet, ""
	}
	if patch.BlankClears != nil {
		imp.BlankClears = *patch.BlankClears
	}
	remember := map[string]string{}
	if len(patch.Mapping) > 0 {
		remembered, err := a.rememberedMapping(ctx, a.read, imp.UnitID)
		if err != nil {
			return nil, err
		}
		_, layout, err := findLayout(ss, imp.Sheet, remembered)
		if err != nil {
			return nil, err
		}
		manual := map[string]string{}
		if imp.Mapping != "" {
			if err := json.Unmarshal([]byte(imp.Mapping), &manual); err != nil {
				return nil, internal(err, "decode column mapping")
			}
		}
		for k, v := range patch.Mapping {
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 {
				return nil, models.Errorf(models.EInvalid, "列号 %q 无效", k)
			}
			if _, ok := fieldByKey(importField(v)); v != "" && !ok {
				return nil, models.Errorf(models.EInvalid, "没有字段 %q", v)
			}
			var header string
			for _, c := range layout.Columns {
				if c.Index == i {
					header = c.Header
				}
			}
			if header == "" {
				return nil, models.Errorf(models.EInvalid, "第 %d 列没有表头，不能指定字段", i+1)
			}
			manual[k] = v
			bare, _ := normalizeHeader(header)
			remember[bare] = v
		}
		b, _ := json.Marshal(manual)
		imp.Mapping = string(b)
	}
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&models.Import{}).Where("id = ? AND status = ?", imp.ID, models.ImportPreview).
			Updates(map[string]any{"sheet": imp.Sheet, "mapping": imp.Mapping, "blank_clears": imp.BlankClears})
		if res.Error != nil {
			return internal(res.Error, "update import")
		}
		if res.RowsAffected == 0 {
			return errNotPreview
		}
		for h, f := range remember {
			m := models.ColumnMapping{UnitID: imp.UnitID, Header: h, Field: f, UpdatedAt: a.now()}
			if err := tx.Save(&m).Error; err != nil {
				return internal(err, "remember column mapping")
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := a.preview(ctx, actor, imp, ss, data); err != nil {
		return nil, err
	}
	return a.Import(ctx, actor, id)
}

// CommitImport applies a preview to the register in one transaction: all or nothing. A preview
// with errors is refused unless opts.SkipInvalid, which commits its valid rows only. A big
// file is committed in the background.
func (a *App) CommitImport(ctx context.Context, actor *models.User, id uint, opts ImportOptions) (*ImportView, error) {
	imp, err := a.editableImport(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	imp.SkipInvalid = opts.SkipInvalid
	imp.BlankClears = imp.BlankClears || opts.BlankClears
	if imp.Summary.Errors > 0 && !opts.SkipInvalid {
		return nil, models.Errorf(models.EUnprocessable, "预览中有 %d 处错误（%d 行）：请修正后重新上传，或选择「仅导入无错误的行」", imp.Summary.Errors, imp.Summary.InvalidRows)
	}
	data, err := a.importFile(ctx, id)
	if err != nil {
		return nil, err
	}
	if imp.Summary.Rows <= a.cfg.ImportBackgroundRows {
		if _, err := a.commit(ctx, actor, imp, data, nil); err != nil {
			return nil, err
		}
		return a.Import(ctx, actor, id)
	}
	res := a.db.WithContext(ctx).Model(&models.Import{}).Where("id = ? AND status = ?", id, models.ImportPreview).
		Updates(map[string]any{"status": models.ImportRunning, "phase": "commit", "failure": "", "skip_invalid": imp.SkipInvalid, "blank_clears": imp.BlankClears})
	if res.Error != nil {
		return nil, internal(res.Error, "start commit")
	}
	if res.RowsAffected == 0 {
		return nil, errNotPreview
	}
	a.startJob(id, "commit", imp.Summary.Rows, func(ctx context.Context, rows *atomic.Int64) error {
		_, err := a.commit(ctx, actor, imp, data, rows)
		return err
	})
	return a.Import(ctx, actor, id)
}

// commit is the writing pass. The whole file is applied inside one transaction, so a failure
// half-way (a bad row without skip_invalid, a crash, a cancelled job) leaves the register as
// it was.
func (a *App) commit(ctx context.Context, actor *models.User, imp *models.Import, data []byte, rows *atomic.Int64) (*importPass, error) {
	ss, err := openSpreadsheet(data)
	if err != nil {
		return nil, err
	}
	defer ss.Close()
	return a.commitOpen(ctx, actor, imp, ss, rows)
}

// commitOpen is commit on a file already opened.
func (a *App) commitOpen(ctx context.Context, actor *models.User, imp *models.Import, ss *spreadsheet, rows *atomic.Int64) (*importPass, error) {
	var p *importPass
	err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var cur models.Import
		if err := tx.First(&cur, imp.ID).Error; err != nil {
			return internal(err, "load import")
		}
		if cur.Status != models.ImportPreview && !(cur.Status == models.ImportRunning && cur.Phase == "commit") {
			return models.Errorf(models.EConflict, "这次导入%s，不能再确认", cur.Status.Label())
		}
		// A preview older than the unit's last committed import would write older data over
		// newer: the clerk uploads again instead.
		var newer int64
		if err := tx.Model(&models.Import{}).Where("unit_id = ? AND status = ? AND id <> ? AND (id > ? OR committed_at > ?)",
			cur.UnitID, models.ImportCommitted, cur.ID, cur.ID, cur.CreatedAt).Count(&newer).Error; err != nil {
			return internal(err, "check newer imports")
		}
		if newer > 0 {
			return models.Errorf(models.EConflict, "这份预览生成之后，本单位又导入过一次清查表：为免旧数据覆盖新数据，请重新上传后再确认")
		}
		var err error
		p, err = a.newPass(ctx, tx, actor, imp, ss)
		if err != nil {
			return err
		}
		p.startWriting(tx)
		p.rows = rows
		if err := p.run(ctx, ss, imp.Sheet); err != nil {
			return err
		}
		if p.summary.Errors > 0 && !imp.SkipInvalid {
			return models.Errorf(models.EUnprocessable, "文件中有 %d 处错误（%d 行），没有导入任何数据：请修正后重新上传，或选择「仅导入无错误的行」", p.summary.Errors, p.summary.InvalidRows)
		}
		b, err := json.Marshal(&p.preview)
		if err != nil {
			return internal(err, "encode import result")
		}
		now := a.now().UTC()
		imp.Preview, imp.Summary, imp.Status, imp.Phase, imp.Failure, imp.CommittedAt = string(b), p.summary, models.ImportCommitted, "", "", &now
		if err := tx.Model(&models.Import{}).Where("id = ?", imp.ID).
			Select("preview", "sum_rows", "sum_new", "sum_changed", "sum_unchanged", "sum_missing", "sum_errors", "sum_invalid_rows",
				"status", "phase", "failure", "committed_at", "skip_invalid", "blank_clears", "updated_at").
			Updates(imp).Error; err != nil {
			return internal(err, "record import result")
		}
		// Other previews of the unit were computed against the register as it was: they are
		// void now, and the history says why.
		if err := tx.Model(&models.Import{}).Where("unit_id = ? AND status = ? AND id <> ?", imp.UnitID, models.ImportPreview, imp.ID).
			Updates(map[string]any{"status": models.ImportDiscarded, "preview": "", "failure": "本单位已确认了另一次导入，这份预览已作废；如仍需导入，请重新上传"}).Error; err != nil {
			return internal(err, "void other previews")
		}
		return a.audit(tx, actor, "import.commit", "import", imp.ID, &imp.UnitID, nil, map[string]any{
			"file_name": imp.FileName, "sha256": imp.SHA256, "summary": p.summary,
			"skip_invalid": imp.SkipInvalid, "blank_clears": imp.BlankClears,
		})
	})
	if err == nil {
		a.refreshStats(ctx)
		a.poolChanged(ctx, imp.UnitID)
	}
	return p, err
}

// ImportInventory imports a file for a unit in one pass, as the command line does: with
// dryRun it only previews; otherwise it commits at once, all or nothing, and when the file
// has errors (and opts.SkipInvalid is off) it stores the preview with them and returns the
// view together with an EUnprocessable error. A nil actor is the command line itself.
func (a *App) ImportInventory(ctx context.Context, actor *models.User, unitCode, fileName string, data []byte, opts ImportOptions, dryRun bool, progress ImportProgressFunc) (*ImportView, error) {
	imp, ss, err := a.newImport(ctx, actor, unitCode, fileName, data, opts)
	if err != nil {
		return nil, err
	}
	defer ss.Close()
	var rows atomic.Int64
	if progress != nil {
		total := ss.EstimateRows(imp.Sheet)
		done := make(chan struct{})
		defer close(done)
		go func() {
			t := time.NewTicker(200 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-done:
					return
				case <-t.C:
					progress(rows.Load(), total)
				}
			}
		}()
	}
	var p *importPass
	if dryRun {
		p, err = a.runPreview(ctx, actor, imp, ss, &rows)
	} else {
		p, err = a.commitOpen(ctx, actor, imp, ss, &rows)
	}
	if progress != nil {
		progress(rows.Load(), int(rows.Load()))
	}
	if p != nil && (dryRun || models.ErrorCode(err) == models.EUnprocessable) {
		if serr := a.savePreview(ctx, imp, p); serr != nil {
			return nil, serr
		}
	}
	if err != nil && models.ErrorCode(err) != models.EUnprocessable {
		return nil, err
	}
	v, verr := a.Import(ctx, actor, imp.ID)
	if verr != nil {
		return nil, verr
	}
	return v, err
}

// DiscardImport drops a preview; its file is deleted, its record stays in the history.
func (a *App) DiscardImport(ctx context.Context, actor *models.User, id uint) error {
	imp, err := a.editableImport(ctx, actor, id)
	if err != nil {
		return err
	}
	return a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&models.Import{}).Where("id = ? AND status = ?", id, models.ImportPreview).
			Updates(map[string]any{"status": models.ImportDiscarded, "preview": ""})
		if res.Error != nil {
			return internal(res.Error, "discard import")
		}
		if res.RowsAffected == 0 {
			return models.Errorf(models.EConflict, "这次导入已不在预览中")
		}
		if err := tx.Delete(&models.ImportFile{}, "import_id = ?", id).Error; err != nil {
			return internal(err, "delete uploaded file")
		}
		return a.audit(tx, actor, "import.discard", "import", id, &imp.UnitID, nil, nil)
	})
}

// ImportErrorWorkbook writes the upload back as .xlsx with an error column and the offending
// cells highlighted, so that the clerk can fix the file in place and upload it again.
func (a *App) ImportErrorWorkbook(ctx context.Context, actor *models.User, id uint, w io.Writer) error {
	imp, err := a.loadImport(ctx, id)
	if err != nil {
		return err
	}
	if !actor.CanReadUnit(imp.UnitID) {
		return models.Errorf(models.ENotFound, "导入记录 %d 不存在", id)
	}
	if imp.Status == models.ImportDiscarded || imp.Status == models.ImportRunning {
		return models.Errorf(models.EConflict, "这次导入%s，没有错误标注表", imp.Status.Label())
	}
	data, err := a.importFile(ctx, id)
	if err != nil {
		return err
	}
	ss, err := openSpreadsheet(data)
	if err != nil {
		return err
	}
	defer ss.Close()
	p, err := a.newPass(ctx, a.read, actor, imp, ss)
	if err != nil {
		return err
	}
	p.issues = map[int][]cellIssue{}
	for _, is := range p.preview.Errors {
		p.issues[is.Row] = append(p.issues[is.Row], cellIssue{Col: -1, Message: is.Message})
	}
	if err := p.run(ctx, ss, imp.Sheet); err != nil {
		return err
	}
	rows, err := ss.Rows(imp.Sheet)
	if err != nil {
		return err
	}
	defer rows.Close()
	next := func() (int, []string, bool) {
		if !rows.Next() {
			return 0, nil, false
		}
		return rows.Row(), rows.Cells(), true
	}
	if err := writeErrorWorkbook(w, imp.Sheet, p.layout.HeaderRow, ss.Date1904(), next, p.issues); err != nil {
		return fmt.Errorf("write error workbook: %w", err)
	}
	return rows.Err()
}

// UploadLimit is the largest inventory file accepted, in bytes.
func (a *App) UploadLimit() int64 { return a.cfg.UploadLimit }

// WriteTemplate writes the empty inventory template.
func (a *App) WriteTemplate(ctx context.Context, w io.Writer) error {
	cats, err := a.ListCategories(ctx)
	if err != nil {
		return err
	}
	if err := writeTemplate(w, cats); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	return nil
}

// RecoverImports settles imports that were running when the server stopped: a commit's
// transaction never finished, so its preview stands; a preview has to be read again. Only the
// server calls it, at start: a command run beside a live server must not touch its jobs.
func (a *App) RecoverImports(ctx context.Context) error {
	msg := "服务重启，导入中断："
	err := a.db.WithContext(ctx).Model(&models.Import{}).Where("status = ? AND phase = ?", models.ImportRunning, "commit").
		Updates(map[string]any{"status": models.ImportPreview, "phase": "", "failure": msg + "没有写入任何数据，请重新确认导入"}).Error
	if err != nil {
		return internal(err, "recover imports")
	}
	err = a.db.WithContext(ctx).Model(&models.Import{}).Where("status = ?", models.ImportRunning).
		Updates(map[string]any{"status": models.ImportFailed, "phase": "", "failure": msg + "请重新上传"}).Error
	return internal(err, "recover imports")
}
