package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"assetpool/models"
)

// importFixture is an app with one unit and its clerk.
type importFixture struct {
	a     *App
	clk   *clock
	unit  *models.Unit
	clerk *models.User
}

func newImportFixture(t *testing.T) *importFixture {
	t.Helper()
	a, clk := openTest(t)
	ctx := context.Background()
	u := &models.Unit{Code: "JF", Name: "经济发展局"}
	if err := a.CreateUnit(ctx, nil, u); err != nil {
		t.Fatal(err)
	}
	clerk := &models.User{Username: "jingfa", DisplayName: "王会计", Role: models.RoleClerk, UnitID: &u.ID, Active: true}
	if err := a.CreateUser(ctx, nil, clerk, "password-123"); err != nil {
		t.Fatal(err)
	}
	return &importFixture{a: a, clk: clk, unit: u, clerk: clerk}
}

// xlsxFile builds a workbook with one sheet per entry; rows are written from row 1 and a nil
// row leaves an empty row.
func xlsxFile(t *testing.T, sheets ...sheetSpec) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellValue(s.name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type sheetSpec struct {
	name string
	rows [][]any
}

var stdHeader = []any{"资产编号", "资产名称", "资产分类", "数量", "原值（元）", "取得日期", "使用状况", "存放地点", "使用人"}

// inventory is a clean sheet with title rows above the header (row 3) and a total row below.
func inventory(rows ...[]any) sheetSpec {
	all := [][]any{{"经济发展局固定资产清查明细表"}, {"填报单位：经济发展局", nil, nil, nil, "金额单位：元"}, stdHeader}
	all = append(all, rows...)
	all = append(all, []any{"合计", nil, nil, nil, 0}, nil, []any{"填表人：张三", nil, "审核人：李四"})
	return sheetSpec{name: "资产清单", rows: all}
}

func (fx *importFixture) upload(t *testing.T, name string, data []byte) *ImportView {
	t.Helper()
	v, err := fx.a.CreateImport(context.Background(), fx.clerk, fx.unit.Code, name, data)
	if err != nil {
		t.Fatalf("upload %s: %v", name, err)
	}
	return v
}

func (fx *importFixture) commit(t *testing.T, id uint, opts ImportOptions) *ImportView {
	t.Helper()
	v, err := fx.a.CommitImport(context.Background(), fx.clerk, id, opts)
	if err != nil {
		t.Fatalf("commit %d: %v", id, err)
	}
	return v
}

func (fx *importFixture) assets(t *testing.T) map[string]models.Asset {
	t.Helper()
	var as []models.Asset
	if err := fx.a.read.Where("unit_id = ?", fx.unit.ID).Find(&as).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]models.Asset{}
	for _, a := range as {
		out[a.AssetNo] = a
	}
	return out
}

func sum(rows, nw, changed, unchanged, missing, errs int) models.ImportSummary {
	return models.ImportSummary{Rows: rows, New: nw, Changed: changed, Unchanged: unchanged, Missing: missing, Errors: errs}
}

func checkSummary(t *testing.T, what string, got models.ImportSummary, want models.ImportSummary) {
	t.Helper()
	got.InvalidRows = 0
	if got != want {
		t.Errorf("%s: summary %+v, want %+v", what, got, want)
	}
}

func TestImportPreviewCommitAndReimport(t *testing.T) {
	fx := newImportFixture(t)
	file := xlsxFile(t, inventory(
		[]any{"JF-001", "台式计算机", "A02010105", 1, "4,999.00", "2019-05-01", "在用", "302室", "张三"},
		[]any{"JF-002", "办公椅", "办公椅", 20, "￥3,200", "2019年5月1日", "闲置", "库房", ""},
		[]any{"JF-003", "A4彩色打印机", "A02021004 A4彩色打印机", nil, 1280.5, 43586, "自用", "", ""},
	))
	v := fx.upload(t, "清查表.xlsx", file)
	if v.Status != models.ImportPreview || v.Sheet != "资产清单" || v.HeaderRow != 3 || v.Format != "xlsx" {
		t.Fatalf("preview: status %s sheet %q header row %d format %s", v.Status, v.Sheet, v.HeaderRow, v.Format)
	}
	checkSummary(t, "first preview", v.Summary, sum(3, 3, 0, 0, 0, 0))
	if n := len(fx.assets(t)); n != 0 {
		t.Fatalf("preview stored %d assets", n)
	}
	if v.New[1].AssetNo != "JF-002" || v.New[1].Row != 5 || v.New[1].OriginalValue != 320000 || v.New[1].Quantity != 20 {
		t.Errorf("new list: %+v", v.New[1])
	}

	c := fx.commit(t, v.ID, ImportOptions{})
	if c.Status != models.ImportCommitted || c.CommittedAt == nil {
		t.Fatalf("commit: %s", c.Status)
	}
	got := fx.assets(t)
	want := map[string]struct {
		name, cat string
		qty       int
		value     models.Money
		acquired  string
		status    models.UsageStatus
		idleSince string
	}{
		"JF-001": {"台式计算机", "A02010105", 1, 499900, "2019-05-01", models.UsageInUse, ""},
		"JF-002": {"办公椅", "A05010301", 20, 320000, "2019-05-01", models.UsageIdle, "2026-11-29"},
		"JF-003": {"A4彩色打印机", "A02021004", 1, 128050, "2019-05-01", models.UsageInUse, ""},
	}
	for no, w := range want {
		a := got[no]
		if a.Name != w.name || a.CategoryCode != w.cat || a.Quantity != w.qty || a.OriginalValue != w.value ||
			a.AcquiredOn.String() != w.acquired || a.UsageStatus != w.status || a.IdleSince.String() != w.idleSince || a.Version != 1 {
			t.Errorf("%s stored as %+v", no, a)
		}
	}
	var events int64
	fx.a.read.Model(&models.AuditEvent{}).Where("action = ? AND entity = ?", "asset.import", "asset").Count(&events)
	if events != 3 {
		t.Errorf("%d asset audit events, want 3", events)
	}

	// The same file again changes nothing.
	again := fx.upload(t, "清查表.xlsx", file)
	checkSummary(t, "same file", again.Summary, sum(3, 0, 0, 3, 0, 0))
	fx.commit(t, again.ID, ImportOptions{})
	for no, a := range fx.assets(t) {
		if a.Version != 1 || !a.UpdatedAt.Equal(got[no].UpdatedAt) {
			t.Errorf("%s changed by re-importing the same file: version %d", no, a.Version)
		}
	}

	// A changed file: one card changes, one is gone from the file, one is new.
	fx.clk.advance(24 * time.Hour)
	changed := xlsxFile(t, inventory(
		[]any{"JF-001", "台式计算机", "A02010105", 1, "4,999.00", "2019-05-01", "闲置", "库房", "张三"},
		[]any{"JF-003", "A4彩色打印机", "A02021004", 1, 1280.5, "2019/5/1", "在用", "", ""},
		[]any{"JF-004", "文件柜", "A05010502", 2, "1200", "2020.03", "在用", "档案室", ""},
	))
	p := fx.upload(t, "清查表-2.xlsx", changed)
	checkSummary(t, "changed file", p.Summary, sum(3, 1, 1, 1, 1, 0))
	if len(p.Changed) != 1 || p.Changed[0].AssetNo != "JF-001" || len(p.Changed[0].Changes) != 2 {
		t.Fatalf("changed list: %+v", p.Changed)
	}
	if ch := p.Changed[0].Changes[0]; ch.Field != "usage_status" || ch.Old != "在用" || ch.New != "闲置" {
		t.Errorf("first change: %+v", ch)
	}
	if len(p.Missing) != 1 || p.Missing[0].AssetNo != "JF-002" {
		t.Errorf("missing list: %+v", p.Missing)
	}
	fx.commit(t, p.ID, ImportOptions{})
	after := fx.assets(t)
	if a := after["JF-001"]; a.UsageStatus != models.UsageIdle || a.Location != "库房" || a.Version != 2 || a.IdleSince.String() != "2026-11-30" {
		t.Errorf("JF-001 after change: %+v", a)
	}
	if _, ok := after["JF-002"]; !ok {
		t.Error("a card missing from the file was deleted")
	}
	if a := after["JF-004"]; a.AcquiredOn.String() != "2020-03-01" || a.Quantity != 2 {
		t.Errorf("JF-004: %+v", a)
	}
	hist, err := fx.a.ListAudit(context.Background(), AuditFilter{Entity: "asset", EntityID: fmt.Sprint(after["JF-001"].ID)})
	if err != nil || len(hist) != 2 || !strings.Contains(hist[0].Before, "usage_status") {
		t.Errorf("history of JF-001: %v %+v", err, hist)
	}
}

func TestImportErrorsNameRowAndColumnAndNothingIsHalfWritten(t *testing.T) {
	fx := newImportFixture(t)
	file := xlsxFile(t, inventory(
		[]any{"JF-001", "台式计算机", "A02010105", 1, "4999", "2019-05-01", "在用"},
		[]any{"JF-002", "办公椅", "A05010301", 1, "abc", "2019-05-01", "在用"},
		[]any{"JF-003", "打印机", "A02021004", 0, "100", "2030-01-01", "坏了"},
		[]any{"JF-001", "重复", "A02010105", 1, "1", "2019-05-01", "在用"},
		[]any{"", "没有编号", "A02010105", 1, "1", "2019-05-01", "在用"},
		[]any{"JF-006", "未知分类", "Z99", 1, "1", "2019-02-30", "在用"},
		[]any{"JF-007", "负数", "A02010105", 1, "-5", "2019-05-01", "在用"},
	))
	v := fx.upload(t, "bad.xlsx", file)
	if v.Summary.New != 1 || v.Summary.InvalidRows != 6 {
		t.Fatalf("summary %+v", v.Summary)
	}
	want := []struct {
		row    int
		column string
		has    string
	}{
		{5, "原值（元）", "abc"},
		{6, "数量", ""},
		{6, "取得日期", "晚于今天"},
		{6, "使用状况", "坏了"},
		{7, "资产编号", "与第 4 行重复"},
		{8, "资产编号", "为空"},
		{9, "资产分类", "Z99"},
		{9, "取得日期", "2019-02-30"},
		{10, "原值（元）", "负数"},
	}
	if len(v.Errors) != len(want) {
		t.Fatalf("errors: %+v", v.Errors)
	}
	for i, w := range want {
		e := v.Errors[i]
		if e.Row != w.row || e.Column != w.column || !strings.Contains(e.Message, w.has) {
			t.Errorf("error %d = %+v, want row %d column %s containing %q", i, e, w.row, w.column, w.has)
		}
	}
	_, err := fx.a.CommitImport(context.Background(), fx.clerk, v.ID, ImportOptions{})
	if models.ErrorCode(err) != models.EUnprocessable {
		t.Fatalf("commit with errors: %v", err)
	}
	if n := len(fx.assets(t)); n != 0 {
		t.Fatalf("refused commit stored %d assets", n)
	}
	c := fx.commit(t, v.ID, ImportOptions{SkipInvalid: true})
	if c.Summary.New != 1 || len(fx.assets(t)) != 1 {
		t.Errorf("skip_invalid committed %+v", c.Summary)
	}

	// The error workbook carries every message on its row, at the file's own row numbers.
	var buf bytes.Buffer
	if err := fx.a.ImportErrorWorkbook(context.Background(), fx.clerk, v.ID, &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(f.GetSheetName(0))
	if len(rows) < 10 || rows[0][0] != "经济发展局固定资产清查明细表" || rows[4][0] != "JF-002" {
		t.Fatalf("error workbook rows: %q", rows)
	}
	errCol := -1
	for i, h := range rows[2] {
		if h == "错误说明" {
			errCol = i
		}
	}
	if errCol < 0 || len(rows[4]) <= errCol || !strings.Contains(rows[4][errCol], "abc") || len(rows[3]) > errCol && rows[3][errCol] != "" {
		t.Errorf("error column %d: header %q row 5 %q", errCol, rows[2], rows[4])
	}
}

func TestImportFailsAtomicallyWhenALateRowIsBad(t *testing.T) {
	fx := newImportFixture(t)
	rows := [][]any{}
	for i := range 600 {
		rows = append(rows, []any{fmt.Sprintf("JF-%04d", i), "办公椅", "A05010301", 1, "500", "2019-05-01", "在用"})
	}
	rows = append(rows, []any{"JF-BAD", "办公椅", "A05010301", 1, "500", "2019-05-01", "不知道"})
	file := xlsxFile(t, inventory(rows...))
	_, err := fx.a.ImportInventory(context.Background(), nil, "JF", "big.xlsx", file, ImportOptions{}, false, nil)
	if models.ErrorCode(err) != models.EUnprocessable {
		t.Fatalf("import with a bad last row: %v", err)
	}
	if n := len(fx.assets(t)); n != 0 {
		t.Fatalf("%d assets stored by a failed import", n)
	}
	var events int64
	fx.a.read.Model(&models.AuditEvent{}).Where("action = ?", "asset.import").Count(&events)
	if events != 0 {
		t.Errorf("%d audit events left by a failed import", events)
	}
}

func TestImportBlankCellsKeepOrClear(t *testing.T) {
	fx := newImportFixture(t)
	fx.commit(t, fx.upload(t, "a.xlsx", xlsxFile(t, inventory(
		[]any{"JF-001", "台式计算机", "A02010105", 1, "4999", "2019-05-01", "在用", "302室", "张三"},
	))).ID, ImportOptions{})
	blank := xlsxFile(t, inventory([]any{"JF-001", "", "", nil, nil, nil, "在用", "", ""}))
	v := fx.upload(t, "b.xlsx", blank)
	checkSummary(t, "blank keeps", v.Summary, sum(1, 0, 0, 1, 0, 0))

	v = fx.upload(t, "c.xlsx", blank)
	bc := true
	v, err := fx.a.UpdateImport(context.Background(), fx.clerk, v.ID, ImportPatch{BlankClears: &bc})
	if err != nil {
		t.Fatal(err)
	}
	// Required fields cannot be cleared; the optional ones can.
	if v.Summary.Errors == 0 {
		t.Fatalf("blank clears on required fields gave no error: %+v", v.Summary)
	}
	blankOptional := xlsxFile(t, inventory([]any{"JF-001", "台式计算机", "A02010105", 1, "4999", "2019-05-01", "在用", "", ""}))
	v, err = fx.a.ImportInventory(context.Background(), fx.clerk, "JF", "d.xlsx", blankOptional, ImportOptions{BlankClears: true}, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkSummary(t, "blank clears optional", v.Summary, sum(1, 0, 1, 0, 0, 0))
	if a := fx.assets(t)["JF-001"]; a.Location != "" || a.Custodian != "" || a.Name != "台式计算机" {
		t.Errorf("after blank clears: %+v", a)
	}
}

func TestImportMappingIsRememberedAndSheetChosen(t *testing.T) {
	fx := newImportFixture(t)
	odd := []any{"编号", "名称", "类别代码", "数量", "价值(万元)", "购置日期", "状态", "放在哪"}
	data := xlsxFile(t,
		sheetSpec{name: "说明", rows: [][]any{{"本表为 2026 年资产清查结果"}, {"请勿修改"}}},
		sheetSpec{name: "明细", rows: [][]any{{"清查明细"}, odd, {"JF-9", "投影仪", "A02010105", 1, "1.2", "2019-05-01", "在用", "会议室"}}},
	)
	v := fx.upload(t, "odd.xlsx", data)
	if v.Sheet != "明细" || len(v.Sheets) != 2 {
		t.Fatalf("sheet %q of %q", v.Sheet, v.Sheets)
	}
	if v.New[0].OriginalValue != 1200000 {
		t.Errorf("1.2 万元 read as %d fen", v.New[0].OriginalValue)
	}
	var locCol = -1
	for _, c := range v.Columns {
		if c.Header == "放在哪" {
			locCol = c.Index
			if c.Field != "" {
				t.Errorf("放在哪 mapped to %q", c.Field)
			}
		}
	}
	v, err := fx.a.UpdateImport(context.Background(), fx.clerk, v.ID, ImportPatch{Mapping: map[string]string{fmt.Sprint(locCol): "location"}})
	if err != nil {
		t.Fatal(err)
	}
	if v.Columns[locCol].Field != "location" {
		t.Errorf("after mapping: %+v", v.Columns[locCol])
	}
	// The next upload of the unit maps the column by itself.
	next := fx.upload(t, "odd-2.xlsx", data)
	if next.Columns[locCol].Field != "location" {
		t.Errorf("remembered mapping not applied: %+v", next.Columns[locCol])
	}
	// The clerk can point the preview at the other sheet; it has no table.
	other := "说明"
	if _, err := fx.a.UpdateImport(context.Background(), fx.clerk, next.ID, ImportPatch{Sheet: &other}); models.ErrorCode(err) != models.EInvalid {
		t.Errorf("sheet without a table: %v", err)
	}
}

func TestImportRealFilesFromOtherPrograms(t *testing.T) {
	files, _ := filepath.Glob("testdata/import/messy_*")
	if len(files) == 0 {
		t.Skip("no testdata/import files")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			fx := newImportFixture(t)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			v := fx.upload(t, filepath.Base(path), data)
			if v.HeaderRow != 4 || v.Summary.Rows != 10 || v.Summary.Errors != 0 {
				t.Fatalf("header row %d, summary %+v, errors %+v", v.HeaderRow, v.Summary, v.Errors)
			}
			fx.commit(t, v.ID, ImportOptions{})
			as := fx.assets(t)
			if len(as) != 10 {
				t.Fatalf("%d assets", len(as))
			}
			for no, a := range as {
				if a.Name == "" || a.CategoryCode == "" || a.OriginalValue <= 0 || a.AcquiredOn.IsZero() || !a.UsageStatus.Valid() {
					t.Errorf("%s: %+v", no, a)
				}
			}
		})
	}
}

func TestRegisterExportReimportsWithZeroChanges(t *testing.T) {
	fx := newImportFixture(t)
	fx.commit(t, fx.upload(t, "a.xlsx", xlsxFile(t, inventory(
		[]any{"001", "台式计算机", "A02010105", 1, "4999.99", "2019-05-01", "在用", "302室", "张三"},
		[]any{"002", "办公椅", "A05010301", 20, "0.01", "2019年5月", "闲置", "库房", ""},
	))).ID, ImportOptions{})
	var buf bytes.Buffer
	e, err := fx.a.AssetRegisterExport(context.Background(), fx.clerk, AssetFilter{UnitCode: fx.unit.Code})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Stream(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	v := fx.upload(t, "register.xlsx", buf.Bytes())
	checkSummary(t, "round trip", v.Summary, sum(2, 0, 0, 2, 0, 0))
	if len(v.Changed) > 0 {
		t.Errorf("changes: %+v", v.Changed)
	}
	var tpl bytes.Buffer
	if err := fx.a.WriteTemplate(context.Background(), &tpl); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.a.CreateImport(context.Background(), fx.clerk, "JF", "tpl.xlsx", tpl.Bytes()); err != nil {
		t.Errorf("the empty template does not upload: %v", err)
	}
}

func TestImportInBackgroundReportsProgress(t *testing.T) {
	fx := newImportFixture(t)
	fx.a.cfg.ImportBackgroundRows = 10
	rows := [][]any{}
	for i := range 300 {
		rows = append(rows, []any{fmt.Sprintf("JF-%04d", i), "办公椅", "A05010301", 1, "500", "2019-05-01", "在用"})
	}
	v := fx.upload(t, "bg.xlsx", xlsxFile(t, inventory(rows...)))
	if v.Status != models.ImportRunning && v.Status != models.ImportPreview {
		t.Fatalf("status %s", v.Status)
	}
	v = waitImport(t, fx, v.ID)
	if v.Status != models.ImportPreview || v.Summary.New != 300 {
		t.Fatalf("background preview: %s %+v %s", v.Status, v.Summary, v.Failure)
	}
	c := fx.commit(t, v.ID, ImportOptions{})
	if c.Status != models.ImportRunning && c.Status != models.ImportCommitted {
		t.Fatalf("commit status %s", c.Status)
	}
	c = waitImport(t, fx, v.ID)
	if c.Status != models.ImportCommitted || len(fx.assets(t)) != 300 {
		t.Fatalf("background commit: %s, %d assets, %s", c.Status, len(fx.assets(t)), c.Failure)
	}
}

func waitImport(t *testing.T, fx *importFixture, id uint) *ImportView {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		v, err := fx.a.Import(context.Background(), fx.clerk, id)
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != models.ImportRunning {
			return v
		}
		if v.Progress == nil {
			t.Fatal("a running import without progress")
		}
		if time.Now().After(deadline) {
			t.Fatalf("import %d still running", id)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestImportRefusesOtherUnitsAndBigFiles(t *testing.T) {
	fx := newImportFixture(t)
	ctx := context.Background()
	other := &models.Unit{Code: "XR", Name: "兴仁街道"}
	if err := fx.a.CreateUnit(ctx, nil, other); err != nil {
		t.Fatal(err)
	}
	file := xlsxFile(t, inventory([]any{"JF-1", "台式计算机", "A02010105", 1, "1", "2019-05-01", "在用"}))
	if _, err := fx.a.CreateImport(ctx, fx.clerk, "XR", "x.xlsx", file); models.ErrorCode(err) != models.EForbidden {
		t.Errorf("clerk importing for another unit: %v", err)
	}
	fx.a.cfg.UploadLimit = 1 << 20
	big := make([]byte, 1<<20+1)
	if _, err := fx.a.CreateImport(ctx, fx.clerk, "JF", "big.csv", big); models.ErrorCode(err) != models.ETooLarge {
		t.Errorf("too big: %v", err)
	}
	if _, err := fx.a.CreateImport(ctx, fx.clerk, "JF", "../../etc/passwd", []byte("not,a,table\n")); err == nil {
		t.Error("a CSV without a header was accepted")
	} else if !strings.Contains(models.ErrorMessage(err), "表头") {
		t.Errorf("no-header message: %v", err)
	}
	v := fx.upload(t, "../../etc/清查表.xlsx", file)
	if v.FileName != "清查表.xlsx" {
		t.Errorf("file name kept as %q", v.FileName)
	}
	if err := fx.a.DiscardImport(ctx, fx.clerk, v.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.a.CommitImport(ctx, fx.clerk, v.ID, ImportOptions{}); models.ErrorCode(err) != models.EConflict {
		t.Errorf("commit after discard: %v", err)
	}
	// A preview older than the last commit of the unit is void: it cannot overwrite it.
	older := fx.upload(t, "older.xlsx", file)
	newer := fx.upload(t, "newer.xlsx", file)
	fx.commit(t, newer.ID, ImportOptions{})
	if _, err := fx.a.CommitImport(ctx, fx.clerk, older.ID, ImportOptions{}); models.ErrorCode(err) != models.EConflict {
		t.Errorf("committing a stale preview: %v", err)
	}
	if o, _ := fx.a.Import(ctx, fx.clerk, older.ID); o.Status != models.ImportDiscarded || !strings.Contains(o.Failure, "作废") {
		t.Errorf("older preview after a commit: %s %q", o.Status, o.Failure)
	}
	var de *models.Error
	if _, err := fx.a.Import(ctx, &models.User{Role: models.RoleClerk, UnitID: &other.ID}, v.ID); !errors.As(err, &de) || de.Code != models.ENotFound {
		t.Errorf("another unit's clerk reading the import: %v", err)
	}
}

func TestRecoverImportsAfterARestart(t *testing.T) {
	fx := newImportFixture(t)
	ctx := context.Background()
	file := xlsxFile(t, inventory([]any{"JF-1", "台式计算机", "A02010105", 1, "1", "2019-05-01", "在用"}))
	committing := fx.upload(t, "a.xlsx", file)
	previewing := fx.upload(t, "b.xlsx", file)
	// As a crash leaves them: marked running, with no job in this process.
	fx.a.db.Model(&models.Import{}).Where("id = ?", committing.ID).Updates(map[string]any{"status": models.ImportRunning, "phase": "commit"})
	fx.a.db.Model(&models.Import{}).Where("id = ?", previewing.ID).Updates(map[string]any{"status": models.ImportRunning, "phase": "preview"})
	if err := fx.a.RecoverImports(ctx); err != nil {
		t.Fatal(err)
	}
	c, _ := fx.a.Import(ctx, fx.clerk, committing.ID)
	p, _ := fx.a.Import(ctx, fx.clerk, previewing.ID)
	if c.Status != models.ImportPreview || !strings.Contains(c.Failure, "重新确认") || p.Status != models.ImportFailed {
		t.Errorf("after recovery: commit %s %q, preview %s", c.Status, c.Failure, p.Status)
	}
	fx.commit(t, committing.ID, ImportOptions{})
}

// TestImportStoppedMidCommitLeavesNothing closes the app while a background commit is half
// way — a batch of rows written inside its transaction, more to come — and holds the commit
// there until the app stops. The register then holds none of the file, and the import stands
// as its preview again, saying that nothing was written.
func TestImportStoppedMidCommitLeavesNothing(t *testing.T) {
	clk := &clock{t: testNow}
	cfg := DefaultConfig()
	cfg.DB = filepath.Join(t.TempDir(), "stop.db")
	cfg.ImportBackgroundRows = 10
	ctx := context.Background()
	a, err := Open(ctx, cfg, WithClock(clk.now))
	if err != nil {
		t.Fatal(err)
	}
	fx := &importFixture{a: a, clk: clk}
	fx.unit = &models.Unit{Code: "JF", Name: "经济发展局"}
	if err := a.CreateUnit(ctx, nil, fx.unit); err != nil {
		t.Fatal(err)
	}
	fx.clerk = &models.User{Username: "jingfa", Role: models.RoleClerk, UnitID: &fx.unit.ID, Active: true}
	if err := a.CreateUser(ctx, nil, fx.clerk, "password-123"); err != nil {
		t.Fatal(err)
	}
	const total = 3*rowBatch + 10
	rows := [][]any{}
	for i := range total {
		rows = append(rows, []any{fmt.Sprintf("JF-%05d", i), "办公椅", "A05010301", 1, "500", "2019-05-01", "在用"})
	}
	v := waitImport(t, fx, fx.upload(t, "big.xlsx", xlsxFile(t, inventory(rows...))).ID)
	// The commit's first batch is written: the commit waits there for the app to stop. Should
	// the stop never reach it, it goes on after a while, commits, and the test fails below.
	wrote := make(chan struct{})
	var first atomic.Bool
	a.commitWrote = func(ctx context.Context) {
		if first.CompareAndSwap(false, true) {
			close(wrote)
			select {
			case <-ctx.Done():
			case <-time.After(10 * time.Second):
			}
		}
	}
	if _, err := a.CommitImport(ctx, fx.clerk, v.ID, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-wrote:
	case <-time.After(30 * time.Second):
		t.Fatal("the commit wrote no batch")
	}
	if n := len(fx.assets(t)); n != 0 {
		t.Fatalf("%d cards visible outside the commit's transaction before it ended", n)
	}
	a.Close()

	a, err = Open(ctx, cfg, WithClock(clk.now))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	fx.a = a
	got, err := a.Import(ctx, fx.clerk, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(fx.assets(t)); got.Status != models.ImportPreview || n != 0 || !strings.Contains(got.Failure, "没有写入任何数据") {
		t.Errorf("after a stop mid-commit: status %s (%q) with %d of %d assets; want the preview, none written", got.Status, got.Failure, n, total)
	}
}

// Dates as web systems export them (ISO 8601 date cells and text, instants in UTC, date-time
// text) and as older Mac Excel stores them (the 1904 date system), and Boolean cells, in each
// format the files come in: see testdata/import/README.md.
func TestImportDatesAndBooleansFromOtherSystems(t *testing.T) {
	web := map[string]string{"WEB-001": "2023-01-09", "WEB-002": "2023-01-09", "WEB-003": "2023-01-09", "WEB-004": "2023-01-09", "WEB-005": "2023-01-09"}
	webRemarks := map[string]string{"WEB-001": "TRUE", "WEB-002": "FALSE", "WEB-003": ""}
	mac := map[string]string{"MAC-001": "2019-05-01", "MAC-002": "2020-03-15", "MAC-003": "2017-12-20"}
	macRemarks := map[string]string{"MAC-001": "TRUE", "MAC-002": "FALSE", "MAC-003": "单价640元"}
	for _, c := range []struct {
		file           string
		dates, remarks map[string]string
	}{
		{"web_dates.xlsx", web, webRemarks},
		{"web_dates.csv", web, webRemarks},
		{"web_dates_lo.xls", web, webRemarks},
		{"mac_1904.xlsx", mac, macRemarks},
		{"mac_1904_lo.xls", mac, macRemarks},
		{"mac_1904_xlwt.xls", mac, macRemarks},
	} {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel()
			fx := newImportFixture(t)
			data, err := os.ReadFile(filepath.Join("testdata/import", c.file))
			if err != nil {
				t.Fatal(err)
			}
			v := fx.upload(t, c.file, data)
			if v.Summary.Errors != 0 || v.Summary.New != len(c.dates) {
				t.Fatalf("summary %+v, errors %+v", v.Summary, v.Errors)
			}
			fx.commit(t, v.ID, ImportOptions{})
			as := fx.assets(t)
			for no, want := range c.dates {
				if got := as[no].AcquiredOn.String(); got != want {
					t.Errorf("%s acquired on %s, want %s", no, got, want)
				}
			}
			for no, want := range c.remarks {
				if got := as[no].Remarks; got != want {
					t.Errorf("%s remarks %q, want %q", no, got, want)
				}
			}
		})
	}
}

// The error workbook of an upload in the 1904 date system is in that system too: the dates the
// clerk fixes and uploads again are the days the upload named.
func TestImportErrorWorkbookKeeps1904Dates(t *testing.T) {
	fx := newImportFixture(t)
	f := excelize.NewFile()
	defer f.Close()
	yes := true
	if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
		t.Fatal(err)
	}
	f.SetSheetRow("Sheet1", "A1", &stdHeader)
	f.SetSheetRow("Sheet1", "A2", &[]any{"MAC-1", "台式计算机", "A02010105", 1, 4999, 42124, "在用"})
	f.SetSheetRow("Sheet1", "A3", &[]any{"MAC-2", "办公椅", "A05010301", 1, "四千", 42443, "在用"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	v, err := fx.a.ImportInventory(context.Background(), fx.clerk, fx.unit.Code, "mac.xlsx", buf.Bytes(), ImportOptions{}, true, nil)
	if err != nil || v.Summary.Errors != 1 {
		t.Fatalf("preview: %v, %+v", err, v)
	}
	var out bytes.Buffer
	if err := fx.a.ImportErrorWorkbook(context.Background(), fx.clerk, v.ID, &out); err != nil {
		t.Fatal(err)
	}
	s, err := openSpreadsheet(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, _ := sheetTestRead(t, s, s.Sheets()[0])
	for ref, want := range map[string]string{"F2": "2019-05-01", "F3": "2020-03-15"} {
		d, err := parseDateCell(sheetTestCell(t, rows, ref), s.Date1904())
		if err != nil || d.String() != want {
			t.Errorf("error workbook %s reads as %v, %v; want %s", ref, d, err, want)
		}
	}
}

// A header on two rows (see testdata/import/README.md), as .xlsx with merged cells and as
// LibreOffice saves it as .xls and CSV: every sub-column maps by its own name, the group titles
// are no columns, and the data starts below the lower row.
func TestImportTwoRowHeader(t *testing.T) {
	for _, file := range []string{"two_row_header.xlsx", "two_row_header_lo.xls", "two_row_header_lo.csv"} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			fx := newImportFixture(t)
			data, err := os.ReadFile(filepath.Join("testdata/import", file))
			if err != nil {
				t.Fatal(err)
			}
			v := fx.upload(t, file, data)
			if v.HeaderRow != 4 || v.Summary.Rows != 3 || v.Summary.Errors != 0 {
				t.Fatalf("header row %d, summary %+v, errors %+v", v.HeaderRow, v.Summary, v.Errors)
			}
			got := map[string]string{}
			for _, c := range v.Columns {
				got[c.Letter] = c.Header + "=" + c.Field
			}
			want := map[string]string{"A": "序号=", "B": "资产编号=asset_no", "C": "资产名称=name", "D": "资产分类=category",
				"E": "数量=quantity", "F": "原值=original_value", "G": "累计折旧=accumulated_depreciation", "H": "净值=net_value",
				"I": "取得日期=acquired_on", "J": "使用状况=usage_status", "K": "使用部门=department", "L": "使用人=custodian",
				"M": "存放地点=location"}
			if !maps.Equal(got, want) {
				t.Errorf("columns %v, want %v", got, want)
			}
			fx.commit(t, v.ID, ImportOptions{})
			a := fx.assets(t)["JF-2019-001"]
			if a.OriginalValue != 499900 || a.BookDepreciation == nil || *a.BookDepreciation != 300000 || a.BookNetValue == nil ||
				*a.BookNetValue != 199900 || a.Department != "办公室" || a.Custodian != "张伟" || a.Location != "302室" {
				t.Errorf("JF-2019-001: %+v", a)
			}
		})
	}
}

// Under a two-row header, errors still name the row and the column as the clerk's file shows
// them, and the error workbook keeps both header rows above the data.
func TestImportTwoRowHeaderErrors(t *testing.T) {
	fx := newImportFixture(t)
	data := xlsxFile(t, sheetSpec{name: "资产清查", rows: [][]any{
		{"资产编号", "资产名称", "资产分类", "价值（万元）", nil, "取得日期", "使用状况", "使用信息"},
		{nil, nil, nil, "原值", "累计折旧", nil, nil, "使用部门", "使用人"},
		{"JF-1", "台式计算机", "A02010105", 0.4999, 0.3, "2019-05-01", "在用", "办公室", "张伟"},
		{"JF-2", "办公椅", "A05010301", "四千", -1, "2019-05-01", "在用", "业务科", "王芳"},
	}})
	v, err := fx.a.ImportInventory(context.Background(), fx.clerk, fx.unit.Code, "两行表头.xlsx", data, ImportOptions{}, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range v.Errors {
		got = append(got, e.String())
	}
	want := []string{"第 4 行「原值」：「四千」不是有效金额", "第 4 行「累计折旧」：累计折旧不能为负数"}
	if len(got) != len(want) {
		t.Fatalf("errors %q, want %q", got, want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("error %q, want it to start with %q", got[i], want[i])
		}
	}
	if v.HeaderRow != 2 || v.New[0].OriginalValue != 499900 {
		t.Errorf("header row %d, new %+v: want 2 and 原值 in 万元 as its group states", v.HeaderRow, v.New)
	}
	var out bytes.Buffer
	if err := fx.a.ImportErrorWorkbook(context.Background(), fx.clerk, v.ID, &out); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	for ref, want := range map[string]string{"D1": "价值（万元）", "D2": "原值", "J2": wbErrorHeader, "J4": "「原值」"} {
		if got, _ := f.GetCellValue(sheet, ref); !strings.HasPrefix(got, want) {
			t.Errorf("error workbook %s = %q, want %q…", ref, got, want)
		}
	}
	// The date column, named in the top row, still shows dates.
	if got, _ := f.GetCellValue(sheet, "F3"); got != "2019-05-01" {
		t.Errorf("error workbook F3 = %q, want 2019-05-01", got)
	}
}

// A CSV file has no sheets: the import names none.
func TestImportCSVNamesNoSheet(t *testing.T) {
	fx := newImportFixture(t)
	v := fx.upload(t, "清查.csv", []byte("资产编号,资产名称,资产分类,数量,原值（元）,取得日期,使用状况\nJF-1,台式计算机,A02010105,1,4999,2019-05-01,在用\n"))
	if v.Sheet != "" || len(v.Sheets) != 0 || v.Summary.New != 1 {
		t.Errorf("sheet %q, sheets %q, summary %+v", v.Sheet, v.Sheets, v.Summary)
	}
	v = fx.commit(t, v.ID, ImportOptions{})
	list, err := fx.a.ListImports(context.Background(), fx.clerk, "")
	if err != nil {
		t.Fatal(err)
	}
	if v.Sheet != "" || len(v.Sheets) != 0 || list[0].Sheet != "" {
		t.Errorf("after commit: sheet %q, sheets %q, listed sheet %q", v.Sheet, v.Sheets, list[0].Sheet)
	}
}

// A Boolean cell in a number column is an error, not a quantity of 1.
func TestImportBooleanIsNoNumber(t *testing.T) {
	fx := newImportFixture(t)
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetRow("Sheet1", "A1", &stdHeader)
	f.SetSheetRow("Sheet1", "A2", &[]any{"B-1", "台式计算机", "A02010105", true, 4999, "2019-05-01", "在用"})
	f.SetCellBool("Sheet1", "D2", true)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	v := fx.upload(t, "bool.xlsx", buf.Bytes())
	if len(v.Errors) != 1 || v.Errors[0].String() != "第 2 行「数量」：「TRUE」不是有效数量，请写正整数，如 1 或 20" {
		t.Errorf("errors %+v", v.Errors)
	}
}
