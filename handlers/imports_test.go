package handlers

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"assetpool/app"
	"assetpool/models"
)

// importXLSXType is the Content-Type of every .xlsx download.
const importXLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// importHeader is the header row of the test inventories, as the template writes it.
var importHeader = []any{"资产编号", "资产名称", "资产分类", "数量", "原值（元）", "取得日期", "使用状况", "存放地点"}

// importRows are three cards of unit A, with codes from the seeded category table.
var importRows = [][]any{
	{"A-1", "台式计算机", "A02010105", 1, "4999.00", "2020-03-01", "在用", "302室"},
	{"A-2", "A4彩色打印机", "A02021004", 2, "1,200.50", "2019/5/1", "闲置", "库房"},
	{"A-3", "办公椅", "A05010301", 20, 800, "2018年6月1日", "在用", "会议室"},
}

// testSheet is one sheet of a workbook built by xlsxBook.
type testSheet struct {
	name string
	rows [][]any
}

// xlsxBook builds an .xlsx file in memory with the given sheets, in order.
func xlsxBook(t *testing.T, sheets ...testSheet) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := x.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := x.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for j, r := range s.rows {
			cell, err := excelize.CoordinatesToCellName(1, j+1)
			if err != nil {
				t.Fatal(err)
			}
			if err := x.SetSheetRow(s.name, cell, &r); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatalf("write workbook: %v", err)
	}
	return buf.Bytes()
}

// inventory builds a one-sheet inventory (资产清单) with importHeader above rows.
func inventory(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	return xlsxBook(t, testSheet{"资产清单", append([][]any{importHeader}, rows...)})
}

// uploadForm is the multipart body of POST /imports, and its content type.
func uploadForm(t *testing.T, unit, filename string, data []byte) ([]byte, string) {
	t.Helper()
	return multipartForm(t, map[string]string{"unit": unit}, "file", filename, data)
}

// uploadImport posts a file for unit as the user as.
func uploadImport(f *fixture, as, unit, filename string, data []byte) (*http.Response, []byte) {
	f.t.Helper()
	body, ctype := uploadForm(f.t, unit, filename, data)
	return f.do(request{method: "POST", path: "/api/v1/imports", as: as, body: body, contentType: ctype})
}

// previewImport uploads a file and fails unless it is previewed at once (201, status preview).
func previewImport(f *fixture, as, unit string, data []byte) app.ImportView {
	f.t.Helper()
	resp, body := uploadImport(f, as, unit, "清查表.xlsx", data)
	if resp.StatusCode != http.StatusCreated {
		f.t.Fatalf("upload as %s for %s: %d %s", as, unit, resp.StatusCode, body)
	}
	v := decode[app.ImportView](f.t, body)
	if v.Import == nil || v.Status != models.ImportPreview {
		f.t.Fatalf("upload as %s for %s: not a preview: %s", as, unit, body)
	}
	return v
}

// importPath is the API path of an import, with an optional suffix such as "/commit".
func importPath(id uint, suffix string) string { return "/api/v1/imports/" + itoa(id) + suffix }

// getImport reads an import as the user as.
func getImport(f *fixture, as string, id uint) app.ImportView {
	f.t.Helper()
	resp, body := f.do(request{method: "GET", path: importPath(id, ""), as: as})
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("GET import %d as %s: %d %s", id, as, resp.StatusCode, body)
	}
	return decode[app.ImportView](f.t, body)
}

// commitImport commits an import with opts (nil: no body) and wants 200 with status committed.
func commitImport(f *fixture, as string, id uint, opts any) app.ImportView {
	f.t.Helper()
	resp, body := f.do(request{method: "POST", path: importPath(id, "/commit"), as: as, body: opts})
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("commit %d as %s: %d %s", id, as, resp.StatusCode, body)
	}
	v := decode[app.ImportView](f.t, body)
	if v.Status != models.ImportCommitted || v.CommittedAt == nil {
		f.t.Fatalf("commit %d: status %q, committed_at %v: %s", id, v.Status, v.CommittedAt, body)
	}
	return v
}

// patchImport changes a preview and wants 200.
func patchImport(f *fixture, as string, id uint, patch map[string]any) app.ImportView {
	f.t.Helper()
	resp, body := f.do(request{method: "PATCH", path: importPath(id, ""), as: as, body: patch})
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("PATCH import %d %v: %d %s", id, patch, resp.StatusCode, body)
	}
	return decode[app.ImportView](f.t, body)
}

// seedImport previews an inventory of unit A without errors, as the command line does, for a
// call that acts on an import of unit A. Its rows use a category of the table as it stands, since
// other calls on the same fixture may have replaced the seeded table.
func seedImport(t *testing.T, f *fixture) uint {
	t.Helper()
	ctx := context.Background()
	cats, err := f.app.ListCategories(ctx)
	if err != nil || len(cats) == 0 {
		t.Fatalf("list categories: %v (%d)", err, len(cats))
	}
	code := cats[len(cats)-1].Code
	if slices.ContainsFunc(cats, func(c models.Category) bool { return c.Code == "A02010105" }) {
		code = "A02010105"
	}
	rows := make([][]any, len(importRows))
	for i, r := range importRows {
		rows[i] = slices.Clone(r)
		rows[i][2] = code
	}
	v, err := f.app.CreateImport(ctx, nil, f.unitA.Code, "清查表.xlsx", inventory(t, rows...))
	if err != nil {
		t.Fatalf("seed import: %v", err)
	}
	if v.Status != models.ImportPreview || v.Summary.Errors != 0 {
		t.Fatalf("seed import: status %s, summary %+v", v.Status, v.Summary)
	}
	return v.ID
}

// storedAsset is an asset card as the database holds it.
type storedAsset struct {
	Name, Category, Location, Usage, Acquired, UpdatedAt string
	Quantity, Version                                    int
	Fen                                                  int64
}

// storedAssets reads a unit's cards straight from the database, by asset number.
func storedAssets(t *testing.T, f *fixture, unitID uint) map[string]storedAsset {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+f.dbPath+"?_busy_timeout=10000&mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT asset_no, name, category_code, COALESCE(location, ''), usage_status, CAST(acquired_on AS TEXT),
		CAST(updated_at AS TEXT), quantity, version, original_value FROM assets WHERE unit_id = ?`, unitID)
	if err != nil {
		t.Fatalf("read assets: %v", err)
	}
	defer rows.Close()
	out := map[string]storedAsset{}
	for rows.Next() {
		var no string
		var a storedAsset
		if err := rows.Scan(&no, &a.Name, &a.Category, &a.Location, &a.Usage, &a.Acquired, &a.UpdatedAt, &a.Quantity, &a.Version, &a.Fen); err != nil {
			t.Fatalf("read assets: %v", err)
		}
		out[no] = a
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read assets: %v", err)
	}
	return out
}

// withConfig returns a copy of f whose app and server use the same database with cfg changed,
// for the limits newFixture leaves at their defaults.
func withConfig(t *testing.T, f *fixture, change func(*app.Config)) *fixture {
	t.Helper()
	cfg := app.DefaultConfig()
	cfg.DB = f.dbPath
	change(&cfg)
	a, err := app.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open app with %+v: %v", cfg, err)
	}
	t.Cleanup(func() { a.Close() })
	g := *f
	g.t, g.app, g.srv = t, a, New(a, slog.New(slog.DiscardHandler))
	return &g
}

// summaryOf is the part of a summary the tests compare.
func summaryOf(v app.ImportView) string {
	s := v.Summary
	return fmt.Sprintf("rows %d new %d changed %d unchanged %d missing %d errors %d", s.Rows, s.New, s.Changed, s.Unchanged, s.Missing, s.Errors)
}

func TestImportPreviewCommitAndReimportSameFile(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	file := inventory(t, importRows...)

	resp, body := uploadImport(f, "clerkA", "UA", "清查表.xlsx", file)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d %s", resp.StatusCode, body)
	}
	// The shape the web UI relies on, read as plain JSON rather than through the Go types.
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "unit", "file_name", "sha256", "size", "format", "status", "created_at", "created_by",
		"committed_at", "summary", "errors", "errors_truncated", "sheet", "sheets", "header_row", "columns", "fields",
		"options", "new", "changed", "unchanged", "missing", "list_limit"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("import has no %q: %s", k, body)
		}
	}
	v := decode[app.ImportView](t, body)
	if v.Status != models.ImportPreview || v.Unit == nil || v.Unit.Code != "UA" || v.Unit.Name != "经济发展局" ||
		v.FileName != "清查表.xlsx" || v.Format != "xlsx" || v.Size != int64(len(file)) || len(v.SHA256) != 64 ||
		v.CreatedBy.Username != "clerkA" || v.CommittedAt != nil || v.Sheet != "资产清单" || v.HeaderRow != 1 {
		t.Errorf("preview = %s", body)
	}
	if got, want := summaryOf(v), "rows 3 new 3 changed 0 unchanged 0 missing 0 errors 0"; got != want {
		t.Errorf("summary %s, want %s", got, want)
	}
	wantFields := []string{"asset_no", "name", "category", "quantity", "original_value", "acquired_on", "usage_status", "location"}
	var fields []string
	for i, c := range v.Columns {
		fields = append(fields, c.Field)
		if c.Index != i || c.Header != importHeader[i] {
			t.Errorf("column %d = %+v, want header %s", i, c, importHeader[i])
		}
	}
	if !slices.Equal(fields, wantFields) {
		t.Errorf("columns map to %v, want %v", fields, wantFields)
	}
	if v.Columns[1].Letter != "B" {
		t.Errorf("column 1 letter %q, want B", v.Columns[1].Letter)
	}
	if len(v.New) != 3 || v.New[0].Row != 2 || v.New[0].AssetNo != "A-1" || v.New[0].CategoryCode != "A02010105" ||
		v.New[0].OriginalValue != 499900 || v.New[1].OriginalValue != 120050 || v.New[2].Quantity != 20 {
		t.Errorf("new = %+v", v.New)
	}
	if len(v.Fields) == 0 || v.Fields[0].Key != "asset_no" || !v.Fields[0].Required {
		t.Errorf("fields = %+v", v.Fields)
	}

	if got := getImport(f, "clerkA", v.ID); summaryOf(got) != summaryOf(v) || len(got.New) != 3 || len(got.Columns) != 8 || got.Status != models.ImportPreview {
		t.Errorf("GET shows %s with %d new, %d columns; upload showed %s", summaryOf(got), len(got.New), len(got.Columns), summaryOf(v))
	}
	if n := len(storedAssets(t, f, f.unitA.ID)); n != 0 {
		t.Fatalf("a preview stored %d assets", n)
	}

	done := commitImport(f, "clerkA", v.ID, nil)
	if got, want := summaryOf(done), "rows 3 new 3 changed 0 unchanged 0 missing 0 errors 0"; got != want {
		t.Errorf("committed summary %s, want %s", got, want)
	}
	stored := storedAssets(t, f, f.unitA.ID)
	want := map[string]storedAsset{
		"A-1": {Name: "台式计算机", Category: "A02010105", Location: "302室", Usage: "in_use", Acquired: "2020-03-01", Quantity: 1, Version: 1, Fen: 499900},
		"A-2": {Name: "A4彩色打印机", Category: "A02021004", Location: "库房", Usage: "idle", Acquired: "2019-05-01", Quantity: 2, Version: 1, Fen: 120050},
		"A-3": {Name: "办公椅", Category: "A05010301", Location: "会议室", Usage: "in_use", Acquired: "2018-06-01", Quantity: 20, Version: 1, Fen: 80000},
	}
	if len(stored) != len(want) {
		t.Fatalf("stored %v, want %v", stored, want)
	}
	for no, w := range want {
		got := stored[no]
		w.UpdatedAt = got.UpdatedAt
		if !strings.HasPrefix(got.Acquired, w.Acquired) {
			t.Errorf("%s acquired on %q, want %s", no, got.Acquired, w.Acquired)
		}
		w.Acquired = got.Acquired
		if got != w {
			t.Errorf("%s stored as %+v, want %+v", no, got, w)
		}
	}
	if n := len(storedAssets(t, f, f.unitB.ID)); n != 0 {
		t.Errorf("unit B got %d assets from unit A's import", n)
	}
	// Committing twice is a conflict.
	resp, body = f.do(request{method: "POST", path: importPath(v.ID, "/commit"), as: "clerkA"})
	wantError(t, resp, body, http.StatusConflict, models.EConflict, "已导入")

	// The same file again changes nothing, down to versions and timestamps.
	again := previewImport(f, "clerkA", "UA", file)
	if got, want := summaryOf(again), "rows 3 new 0 changed 0 unchanged 3 missing 0 errors 0"; got != want {
		t.Errorf("same file again: %s, want %s", got, want)
	}
	if len(again.Unchanged) != 3 || again.Unchanged[0].AssetID == 0 {
		t.Errorf("unchanged = %+v", again.Unchanged)
	}
	if got := commitImport(f, "clerkA", again.ID, nil); summaryOf(got) != summaryOf(again) {
		t.Errorf("committing the same file: %s", summaryOf(got))
	}
	if after := storedAssets(t, f, f.unitA.ID); !maps.Equal(after, stored) {
		t.Errorf("committing the same file changed the register:\nbefore %+v\nafter  %+v", stored, after)
	}
}

func TestImportBadRowSkipInvalidAndErrorWorkbook(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := previewImport(f, "clerkA", "UA", inventory(t,
		importRows[0],
		[]any{"A-2", "A4彩色打印机", "A02021004", 1, "abc", "2019-05-01", "在用", "库房"},
		importRows[2]))
	if got, want := summaryOf(v), "rows 3 new 2 changed 0 unchanged 0 missing 0 errors 1"; got != want {
		t.Errorf("summary %s, want %s", got, want)
	}
	if v.Summary.InvalidRows != 1 || len(v.Errors) != 1 || v.ErrorsTruncated {
		t.Fatalf("errors = %+v (invalid rows %d)", v.Errors, v.Summary.InvalidRows)
	}
	if e := v.Errors[0]; e.Row != 3 || e.Column != "原值（元）" || !strings.Contains(e.Message, "abc") || !containsHan(e.Message) {
		t.Errorf("error = %+v, want row 3, column 原值（元）, a Chinese message quoting abc", e)
	}

	// All or nothing: a preview with errors is refused and nothing is stored.
	resp, body := f.do(request{method: "POST", path: importPath(v.ID, "/commit"), as: "clerkA"})
	wantError(t, resp, body, http.StatusUnprocessableEntity, models.EUnprocessable, "1 处错误")
	resp, body = f.do(request{method: "POST", path: importPath(v.ID, "/commit"), as: "clerkA", body: map[string]any{"skip_invalid": false}})
	wantError(t, resp, body, http.StatusUnprocessableEntity, models.EUnprocessable, "错误")
	if n := len(storedAssets(t, f, f.unitA.ID)); n != 0 {
		t.Fatalf("a refused commit stored %d assets", n)
	}
	if got := getImport(f, "clerkA", v.ID); got.Status != models.ImportPreview {
		t.Fatalf("after a refused commit the import is %s, want still preview", got.Status)
	}

	// The error workbook: the upload back with a 错误说明 column on the bad row.
	resp, body = f.do(request{method: "GET", path: importPath(v.ID, "/errors.xlsx"), as: "clerkA"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("errors.xlsx: %d %s", resp.StatusCode, body)
	}
	checkDownload(t, resp, "错误标注")
	rows := sheetRows(t, body)
	col := slices.Index(rows[0], "错误说明")
	if col < 0 {
		t.Fatalf("error workbook header %q has no 错误说明", rows[0])
	}
	if len(rows) < 4 {
		t.Fatalf("error workbook has %d rows: %q", len(rows), rows)
	}
	for i, r := range rows[1:] {
		note := ""
		if col < len(r) {
			note = r[col]
		}
		switch {
		case i+2 == 3 && (!strings.Contains(note, "原值") || !strings.Contains(note, "abc")):
			t.Errorf("row 3 note %q does not name the 原值 problem", note)
		case i+2 != 3 && strings.TrimSpace(note) != "":
			t.Errorf("row %d is fine but noted %q", i+2, note)
		}
	}
	if rows[2][0] != "A-2" {
		t.Errorf("error workbook row 3 = %q, want the uploaded row A-2", rows[2])
	}

	done := commitImport(f, "clerkA", v.ID, map[string]any{"skip_invalid": true})
	if done.Summary.New != 2 || !done.Options.SkipInvalid {
		t.Errorf("commit with skip_invalid: %s, options %+v", summaryOf(done), done.Options)
	}
	stored := storedAssets(t, f, f.unitA.ID)
	if len(stored) != 2 || stored["A-1"].Name != "台式计算机" || stored["A-3"].Name != "办公椅" {
		t.Errorf("stored %+v, want A-1 and A-3 only", stored)
	}
}

// checkDownload checks the headers of an .xlsx download whose file name contains name.
func checkDownload(t *testing.T, resp *http.Response, name string) {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != importXLSXType {
		t.Errorf("Content-Type %q, want %s", ct, importXLSXType)
	}
	cd := resp.Header.Get("Content-Disposition")
	_, encoded, ok := strings.Cut(cd, "filename*=UTF-8''")
	if !strings.HasPrefix(cd, "attachment;") || !ok {
		t.Fatalf("Content-Disposition %q, want attachment with filename*=UTF-8''…", cd)
	}
	decoded, err := url.PathUnescape(encoded)
	if err != nil || !strings.Contains(decoded, name) || !strings.HasSuffix(decoded, ".xlsx") {
		t.Errorf("download named %q (%v), want a .xlsx name containing %s", decoded, err, name)
	}
}

// sheetRows opens an .xlsx and returns the rows of its first sheet.
func sheetRows(t *testing.T, data []byte) [][]string {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not an .xlsx: %v", err)
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatal("first sheet is empty")
	}
	return rows
}

func TestImportMappingIsChangedAndRemembered(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	commitImport(f, "clerkA", previewImport(f, "clerkA", "UA", inventory(t, importRows[0], importRows[1])).ID, nil)

	// 房间号 means nothing to the importer: shown, not imported, so the locations stay.
	header := []any{"资产编号", "资产名称", "资产分类", "数量", "原值（元）", "取得日期", "使用状况", "房间号"}
	moved := xlsxBook(t, testSheet{"资产清单", [][]any{header,
		{"A-1", "台式计算机", "A02010105", 1, "4999.00", "2020-03-01", "在用", "501室"},
		{"A-2", "A4彩色打印机", "A02021004", 2, "1200.50", "2019-05-01", "闲置", "库房"},
	}})
	v := previewImport(f, "clerkA", "UA", moved)
	if c := v.Columns[7]; c.Header != "房间号" || c.Field != "" {
		t.Fatalf("column H = %+v, want 房间号 not imported", c)
	}
	if got, want := summaryOf(v), "rows 2 new 0 changed 0 unchanged 2 missing 0 errors 0"; got != want {
		t.Errorf("before mapping: %s, want %s", got, want)
	}

	v = patchImport(f, "clerkA", v.ID, map[string]any{"mapping": map[string]string{"7": "location"}})
	if c := v.Columns[7]; c.Field != "location" {
		t.Errorf("after mapping column H = %+v", c)
	}
	if got, want := summaryOf(v), "rows 2 new 0 changed 1 unchanged 1 missing 0 errors 0"; got != want {
		t.Errorf("after mapping: %s, want %s", got, want)
	}
	if len(v.Changed) != 1 || v.Changed[0].AssetNo != "A-1" || len(v.Changed[0].Changes) != 1 ||
		v.Changed[0].Changes[0] != (app.FieldChange{Field: "location", Label: "存放地点", Old: "302室", New: "501室"}) {
		t.Errorf("changed = %+v", v.Changed)
	}

	// Not importing a column that was recognised: its values stop counting.
	v = patchImport(f, "clerkA", v.ID, map[string]any{"mapping": map[string]string{"7": ""}})
	if v.Columns[7].Field != "" || v.Summary.Changed != 0 {
		t.Errorf("after un-mapping: column %+v, %s", v.Columns[7], summaryOf(v))
	}
	v = patchImport(f, "clerkA", v.ID, map[string]any{"mapping": map[string]string{"7": "location"}})
	if v.Summary.Changed != 1 {
		t.Errorf("after mapping again: %s", summaryOf(v))
	}

	for _, bad := range []map[string]any{
		{"mapping": map[string]string{"7": "no_such_field"}},
		{"mapping": map[string]string{"x": "name"}},
		{"mapping": map[string]string{"42": "name"}},
		{"sheet": "没有这个表"},
	} {
		resp, body := f.do(request{method: "PATCH", path: importPath(v.ID, ""), as: "clerkA", body: bad})
		if resp.StatusCode != http.StatusBadRequest || errorCode(t, body) != models.EInvalid || !containsHan(string(body)) {
			t.Errorf("PATCH %v: %d %s, want 400 invalid in Chinese", bad, resp.StatusCode, body)
		}
	}

	// The next upload of unit A with the same header is read the same way.
	next := previewImport(f, "finance", "UA", moved)
	if c := next.Columns[7]; c.Field != "location" {
		t.Errorf("next upload of unit A: column H = %+v, want the remembered location", c)
	}
	if next.Summary.Changed != 1 {
		t.Errorf("next upload of unit A: %s", summaryOf(next))
	}
	// Another unit has its own habits.
	other := previewImport(f, "clerkB", "UB", moved)
	if c := other.Columns[7]; c.Field != "" {
		t.Errorf("unit B's upload: column H = %+v, want not imported", c)
	}

	// A workbook with two inventories: the clerk picks the sheet.
	book := xlsxBook(t,
		testSheet{"2023年", [][]any{importHeader, importRows[0]}},
		testSheet{"2024年", [][]any{importHeader, importRows[0], importRows[1], importRows[2]}})
	v = previewImport(f, "clerkA", "UA", book)
	if !slices.Equal(v.Sheets, []string{"2023年", "2024年"}) {
		t.Errorf("sheets = %v", v.Sheets)
	}
	other2 := "2024年"
	if v.Sheet == "2024年" {
		other2 = "2023年"
	}
	before := v.Summary.Rows
	v = patchImport(f, "clerkA", v.ID, map[string]any{"sheet": other2})
	if v.Sheet != other2 || v.Summary.Rows == before {
		t.Errorf("after choosing sheet %s: sheet %s, %s (was %d rows)", other2, v.Sheet, summaryOf(v), before)
	}
	v = patchImport(f, "clerkA", v.ID, map[string]any{"sheet": "2024年"})
	if got, want := summaryOf(v), "rows 3 new 1 changed 0 unchanged 2 missing 0 errors 0"; v.Sheet != "2024年" || got != want {
		t.Errorf("sheet 2024年: %s %s, want %s", v.Sheet, got, want)
	}
	if got := getImport(f, "clerkA", v.ID); got.Sheet != "2024年" || got.Summary != v.Summary {
		t.Errorf("GET after PATCH shows sheet %s, %s", got.Sheet, summaryOf(got))
	}
	done := commitImport(f, "clerkA", v.ID, nil)
	if done.Summary.New != 1 || len(storedAssets(t, f, f.unitA.ID)) != 3 {
		t.Errorf("commit of sheet 2024年: %s", summaryOf(done))
	}
	resp, body := f.do(request{method: "PATCH", path: importPath(v.ID, ""), as: "clerkA", body: map[string]any{"sheet": "2023年"}})
	wantError(t, resp, body, http.StatusConflict, models.EConflict, "已导入")
}

func TestImportBlankCellsKeepOrClear(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	commitImport(f, "clerkA", previewImport(f, "clerkA", "UA", inventory(t, importRows[0], importRows[1])).ID, nil)
	blank := inventory(t,
		[]any{"A-1", "台式计算机", "A02010105", 1, "4999.00", "2020-03-01", "在用", ""},
		[]any{"A-2", "A4彩色打印机", "A02021004", 2, "1200.50", "2019-05-01", "闲置", ""})

	// By default a blank cell keeps what the register holds.
	v := previewImport(f, "clerkA", "UA", blank)
	if got, want := summaryOf(v), "rows 2 new 0 changed 0 unchanged 2 missing 0 errors 0"; got != want {
		t.Errorf("blank locations: %s, want %s", got, want)
	}
	if v.Options.BlankClears {
		t.Error("blank_clears is on by default")
	}
	commitImport(f, "clerkA", v.ID, nil)
	if s := storedAssets(t, f, f.unitA.ID); s["A-1"].Location != "302室" || s["A-2"].Location != "库房" || s["A-1"].Version != 1 {
		t.Fatalf("blank cells changed the register: %+v", s)
	}

	// With blank_clears chosen in the preview, the preview shows what will be cleared.
	v = previewImport(f, "clerkA", "UA", blank)
	v = patchImport(f, "clerkA", v.ID, map[string]any{"blank_clears": true})
	if got, want := summaryOf(v), "rows 2 new 0 changed 2 unchanged 0 missing 0 errors 0"; got != want || !v.Options.BlankClears {
		t.Errorf("blank_clears preview: %s (options %+v), want %s", got, v.Options, want)
	}
	if len(v.Changed) != 2 || v.Changed[0].Changes[0] != (app.FieldChange{Field: "location", Label: "存放地点", Old: "302室", New: ""}) {
		t.Errorf("changed = %+v", v.Changed)
	}
	// Discard that one and clear through the commit option instead.
	if resp, body := f.do(request{method: "DELETE", path: importPath(v.ID, ""), as: "clerkA"}); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("discard: %d %s", resp.StatusCode, body)
	}
	v = previewImport(f, "clerkA", "UA", blank)
	done := commitImport(f, "clerkA", v.ID, map[string]any{"blank_clears": true})
	if done.Summary.Changed != 2 || !done.Options.BlankClears {
		t.Errorf("commit with blank_clears: %s, options %+v", summaryOf(done), done.Options)
	}
	s := storedAssets(t, f, f.unitA.ID)
	if s["A-1"].Location != "" || s["A-2"].Location != "" || s["A-1"].Version != 2 || s["A-1"].Name != "台式计算机" {
		t.Errorf("after blank_clears: %+v", s)
	}

	// A required field cannot be cleared.
	v = previewImport(f, "clerkA", "UA", inventory(t, []any{"A-1", "", "A02010105", 1, "4999.00", "2020-03-01", "在用", ""}))
	if v.Summary.Errors != 0 {
		t.Errorf("blank name without blank_clears: %+v", v.Errors)
	}
	v = patchImport(f, "clerkA", v.ID, map[string]any{"blank_clears": true})
	if len(v.Errors) != 1 || v.Errors[0].Column != "资产名称" || v.Errors[0].Row != 2 {
		t.Errorf("blank name with blank_clears: errors %+v", v.Errors)
	}
}

func TestImportDiscard(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := previewImport(f, "clerkA", "UA", inventory(t, importRows...))
	resp, body := f.do(request{method: "DELETE", path: importPath(v.ID, ""), as: "clerkA"})
	if resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("discard: %d %s", resp.StatusCode, body)
	}
	if got := getImport(f, "clerkA", v.ID); got.Status != models.ImportDiscarded {
		t.Errorf("after discard status %s", got.Status)
	}
	for _, tc := range []struct {
		method, suffix string
		body           any
		want           int
	}{
		{"POST", "/commit", nil, http.StatusConflict},
		{"POST", "/commit", map[string]any{"skip_invalid": true}, http.StatusConflict},
		{"PATCH", "", map[string]any{"blank_clears": true}, http.StatusConflict},
		{"DELETE", "", nil, http.StatusConflict},
		{"GET", "/errors.xlsx", nil, http.StatusConflict},
	} {
		resp, body := f.do(request{method: tc.method, path: importPath(v.ID, tc.suffix), as: "clerkA", body: tc.body})
		if resp.StatusCode != tc.want || errorCode(t, body) != models.EConflict || !containsHan(string(body)) {
			t.Errorf("%s %s after discard: %d %s, want %d", tc.method, tc.suffix, resp.StatusCode, body, tc.want)
		}
	}
	if n := len(storedAssets(t, f, f.unitA.ID)); n != 0 {
		t.Errorf("a discarded import stored %d assets", n)
	}
	// Unknown ids and bad ids.
	resp, body = f.do(request{method: "GET", path: importPath(9999, ""), as: "admin"})
	wantError(t, resp, body, http.StatusNotFound, models.ENotFound, "不存在")
	resp, body = f.do(request{method: "GET", path: "/api/v1/imports/abc", as: "admin"})
	wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, "无效")
}

func TestImportUploadRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	small := withConfig(t, f, func(c *app.Config) { c.UploadLimit = 1 << 20 })
	big := make([]byte, 1536<<10)
	if _, err := rand.Read(big); err != nil {
		t.Fatal(err)
	}
	resp, body := uploadImport(small, "clerkA", "UA", "清查表.xlsx", big)
	wantError(t, resp, body, http.StatusRequestEntityTooLarge, models.ETooLarge, "1 MB")
	if !strings.Contains(string(body), "1.5 MB") {
		t.Errorf("413 does not give the file's size: %s", body)
	}

	form := func(fields map[string]string, file []byte) ([]byte, string) {
		return multipartForm(t, fields, "file", "清查表.xlsx", file)
	}
	good := inventory(t, importRows...)
	for _, tc := range []struct {
		name   string
		as     string
		fields map[string]string
		file   []byte
		status int
		code   string
	}{
		{"no file", "clerkA", map[string]string{"unit": "UA"}, nil, http.StatusBadRequest, models.EInvalid},
		{"empty file", "clerkA", map[string]string{"unit": "UA"}, []byte{}, http.StatusBadRequest, models.EInvalid},
		{"no unit", "finance", nil, good, http.StatusBadRequest, models.EInvalid},
		{"unknown unit", "finance", map[string]string{"unit": "NOPE"}, good, http.StatusNotFound, models.ENotFound},
		{"another unit", "clerkA", map[string]string{"unit": "UB"}, good, http.StatusForbidden, models.EForbidden},
		{"not a spreadsheet", "clerkA", map[string]string{"unit": "UA"}, []byte("PK\x03\x04 not really a zip"), http.StatusBadRequest, models.EInvalid},
		{"no header", "clerkA", map[string]string{"unit": "UA"}, xlsxBook(t, testSheet{"Sheet1", [][]any{{"甲", "乙"}, {1, 2}}}), http.StatusBadRequest, models.EInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, ctype := form(tc.fields, tc.file)
			ft := *f
			ft.t = t
			resp, out := ft.do(request{method: "POST", path: "/api/v1/imports", as: tc.as, body: body, contentType: ctype})
			if resp.StatusCode != tc.status || errorCode(t, out) != tc.code || !containsHan(string(out)) {
				t.Errorf("%d %s, want %d %s in Chinese", resp.StatusCode, out, tc.status, tc.code)
			}
		})
	}
}

func TestImportBigFileInTheBackground(t *testing.T) {
	t.Parallel()
	f := withConfig(t, newFixture(t), func(c *app.Config) { c.ImportBackgroundRows = 10 })
	rows := make([][]any, 200)
	for i := range rows {
		rows[i] = []any{fmt.Sprintf("B-%03d", i+1), "办公椅", "A05010301", 1, 800 + i, "2018-06-01", "在用", "会议室"}
	}
	resp, body := uploadImport(f, "clerkA", "UA", "大表.xlsx", inventory(t, rows...))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d %s", resp.StatusCode, body)
	}
	v := decode[app.ImportView](t, body)
	if v.Status != models.ImportRunning && v.Status != models.ImportPreview {
		t.Fatalf("upload status %s: %s", v.Status, body)
	}
	v = pollImport(f, v, "preview")
	if got, want := summaryOf(v), "rows 200 new 200 changed 0 unchanged 0 missing 0 errors 0"; v.Status != models.ImportPreview || got != want {
		t.Fatalf("background preview: %s %s (%s), want %s", v.Status, got, v.Failure, want)
	}
	if n := len(storedAssets(t, f, f.unitA.ID)); n != 0 {
		t.Fatalf("a background preview stored %d assets", n)
	}

	resp, body = f.do(request{method: "POST", path: importPath(v.ID, "/commit"), as: "clerkA"})
	if resp.StatusCode != http.StatusAccepted && resp.StatusCode != http.StatusOK {
		t.Fatalf("commit: %d %s", resp.StatusCode, body)
	}
	c := decode[app.ImportView](t, body)
	if resp.StatusCode == http.StatusAccepted && c.Status != models.ImportRunning {
		t.Errorf("202 with status %s", c.Status)
	}
	if resp.StatusCode == http.StatusOK && c.Status != models.ImportCommitted {
		t.Errorf("200 with status %s", c.Status)
	}
	if c.Status == models.ImportRunning {
		// A second commit while the first runs is a conflict, not a second write.
		if resp, body := f.do(request{method: "POST", path: importPath(v.ID, "/commit"), as: "clerkA"}); resp.StatusCode != http.StatusConflict {
			t.Errorf("commit while running: %d %s, want 409", resp.StatusCode, body)
		}
	}
	c = pollImport(f, c, "commit")
	if c.Status != models.ImportCommitted || c.CommittedAt == nil || c.Summary.New != 200 {
		t.Fatalf("background commit ended %s (%s): %s", c.Status, c.Failure, summaryOf(c))
	}
	if n := len(storedAssets(t, f, f.unitA.ID)); n != 200 {
		t.Errorf("stored %d assets, want 200", n)
	}
}

// pollImport reads an import until it is no longer running (30 s at most); while it runs it
// must say what it is doing and how far it has got.
func pollImport(f *fixture, v app.ImportView, phase string) app.ImportView {
	f.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for v.Status == models.ImportRunning {
		if v.Progress == nil || v.Phase != phase || v.Progress.RowsTotal <= 0 || v.Progress.Percent < 0 || v.Progress.Percent > 100 {
			f.t.Fatalf("running import without %s progress: phase %q, progress %+v", phase, v.Phase, v.Progress)
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("import %d still running after 30 s: %+v", v.ID, v.Progress)
		}
		time.Sleep(20 * time.Millisecond)
		v = getImport(f, "clerkA", v.ID)
	}
	return v
}

func TestImportTemplateAndRegisterRoundTrip(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	resp, body := f.do(request{method: "GET", path: "/api/v1/templates/assets.xlsx", as: "clerkB"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("template: %d %s", resp.StatusCode, body)
	}
	checkDownload(t, resp, "模板")
	rows := sheetRows(t, body)
	header := -1
	for i, r := range rows {
		if slices.Contains(r, "资产编号") {
			header = i
			break
		}
	}
	if header < 0 {
		t.Fatalf("template has no header row: %q", rows)
	}
	for _, h := range []string{"资产编号", "资产名称", "资产分类", "数量", "原值（元）", "取得日期", "使用状况", "存放地点"} {
		if !slices.Contains(rows[header], h) {
			t.Errorf("template header %q lacks %s", rows[header], h)
		}
	}
	// The empty template imports as an empty inventory, not as an error.
	empty := previewImport(f, "clerkB", "UB", body)
	if empty.Summary.Rows != 0 || empty.Summary.Errors != 0 {
		t.Errorf("empty template: %s %+v", summaryOf(empty), empty.Errors)
	}

	full := [][]any{
		{"资产编号", "资产名称", "资产分类", "数量", "计量单位", "原值（元）", "取得日期", "取得方式", "累计折旧（元）", "使用状况", "完好程度", "使用部门", "使用人", "存放地点", "规格型号", "品牌", "出厂编号", "经费来源", "备注"},
		{"A-1", "台式计算机", "A02010105", 1, "台", "4999.00", "2020-03-01", "新购", "3000.10", "在用", "完好", "办公室", "张三", "302室", "OptiPlex 7090", "戴尔", "SN-001", "财政拨款", ""},
		{"A-2", "A4彩色打印机", "A02021004", 2, "台", "1200.55", "2019-05-01", "调拨", "", "闲置", "需维修", "", "", "库房", "", "", "", "", "硒鼓坏"},
		{"00123", "办公椅", "A05010301", 20, "把", "16000", "2018-06-01", "", "", "在用", "全新", "", "", "会议室", "", "", "", "", ""},
	}
	v := previewImport(f, "clerkA", "UA", xlsxBook(t, testSheet{"资产清单", full}))
	if v.Summary.Errors != 0 {
		t.Fatalf("full inventory has errors: %+v", v.Errors)
	}
	commitImport(f, "clerkA", v.ID, nil)
	before := storedAssets(t, f, f.unitA.ID)

	for _, who := range []string{"clerkA", "finance", "admin"} {
		resp, body = f.do(request{method: "GET", path: "/api/v1/units/UA/assets.xlsx", as: who})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("register as %s: %d %s", who, resp.StatusCode, body)
		}
	}
	checkDownload(t, resp, "经济发展局")
	again := previewImport(f, "clerkA", "UA", body)
	if got, want := summaryOf(again), "rows 3 new 0 changed 0 unchanged 3 missing 0 errors 0"; got != want {
		t.Errorf("register re-imported: %s, want %s; changed %+v, errors %+v", got, want, again.Changed, again.Errors)
	}
	commitImport(f, "clerkA", again.ID, nil)
	if after := storedAssets(t, f, f.unitA.ID); !maps.Equal(before, after) {
		t.Errorf("re-importing the register changed it:\nbefore %+v\nafter  %+v", before, after)
	}

	resp, body = f.do(request{method: "GET", path: "/api/v1/units/UA/assets.xlsx", as: "clerkB"})
	wantError(t, resp, body, http.StatusForbidden, models.EForbidden, "本单位")
	resp, body = f.do(request{method: "GET", path: "/api/v1/units/NOPE/assets.xlsx", as: "finance"})
	wantError(t, resp, body, http.StatusNotFound, models.ENotFound, "不存在")
}

// importList is the body of GET /api/v1/imports.
type importList struct {
	Items []app.ImportView `json:"items"`
	Total int              `json:"total"`
}

func TestImportListNewestFirstAndScoped(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	file := inventory(t, importRows...)
	a1 := previewImport(f, "clerkA", "UA", file).ID
	b1 := previewImport(f, "clerkB", "UB", file).ID
	a2 := previewImport(f, "finance", "UA", file).ID
	a3 := previewImport(f, "admin", "UA", file).ID

	list := func(as, query string) (int, importList, []byte) {
		resp, body := f.do(request{method: "GET", path: "/api/v1/imports" + query, as: as})
		if resp.StatusCode != http.StatusOK {
			return resp.StatusCode, importList{}, body
		}
		return resp.StatusCode, decode[importList](t, body), body
	}
	ids := func(l importList) []uint {
		var out []uint
		for _, v := range l.Items {
			out = append(out, v.ID)
		}
		return out
	}
	for _, tc := range []struct {
		as, query string
		want      []uint
	}{
		{"clerkA", "?unit=UA", []uint{a3, a2, a1}},
		{"clerkA", "", []uint{a3, a2, a1}},
		{"clerkB", "", []uint{b1}},
		{"finance", "?unit=UB", []uint{b1}},
		{"admin", "?unit=UA", []uint{a3, a2, a1}},
		{"finance", "", []uint{a3, a2, b1, a1}},
	} {
		status, l, body := list(tc.as, tc.query)
		if status != http.StatusOK || !slices.Equal(ids(l), tc.want) || l.Total != len(tc.want) {
			t.Errorf("%s GET /imports%s: %d %v (total %d), want %v", tc.as, tc.query, status, ids(l), l.Total, tc.want)
			continue
		}
		raw := decode[struct {
			Items []map[string]json.RawMessage `json:"items"`
		}](t, body)
		for _, item := range raw.Items {
			for _, k := range []string{"columns", "fields", "errors", "new", "changed", "unchanged", "missing"} {
				if _, ok := item[k]; ok {
					t.Errorf("list item carries the preview's %q", k)
				}
			}
		}
		for _, v := range l.Items {
			if v.Unit == nil || v.Summary.Rows != 3 || v.Status != models.ImportPreview {
				t.Errorf("list item %+v", v)
			}
		}
	}
	if _, l, _ := list("clerkA", ""); len(l.Items) == 3 && (l.Items[1].CreatedBy.Username != "finance" || l.Items[2].CreatedBy.Username != "clerkA") {
		t.Errorf("items created by %+v and %+v, want finance and clerkA", l.Items[1].CreatedBy, l.Items[2].CreatedBy)
	}
	resp, body := f.do(request{method: "GET", path: "/api/v1/imports?unit=UA", as: "clerkB"})
	wantError(t, resp, body, http.StatusForbidden, models.EForbidden, "本单位")
	resp, body = f.do(request{method: "GET", path: "/api/v1/imports?unit=NOPE", as: "finance"})
	wantError(t, resp, body, http.StatusNotFound, models.ENotFound, "不存在")
}

// TestImportOfAnotherUnitIsNotFound: a clerk cannot tell another unit's import from one that
// does not exist, and their attempts change nothing.
func TestImportOfAnotherUnitIsNotFound(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := previewImport(f, "clerkA", "UA", inventory(t,
		importRows[0], []any{"A-2", "打印机", "A02021004", 1, "abc", "2019-05-01", "在用", "库房"}))
	for _, tc := range []struct {
		method, suffix string
		body           any
	}{
		{"GET", "", nil},
		{"PATCH", "", map[string]any{"blank_clears": true}},
		{"DELETE", "", nil},
		{"POST", "/commit", map[string]any{"skip_invalid": true}},
		{"GET", "/errors.xlsx", nil},
	} {
		resp, body := f.do(request{method: tc.method, path: importPath(v.ID, tc.suffix), as: "clerkB", body: tc.body})
		_, missing := f.do(request{method: tc.method, path: importPath(v.ID+1000, tc.suffix), as: "clerkB", body: tc.body})
		wantError(t, resp, body, http.StatusNotFound, models.ENotFound, "不存在")
		if strings.ReplaceAll(string(body), itoa(v.ID), "N") != strings.ReplaceAll(string(missing), itoa(v.ID+1000), "N") {
			t.Errorf("%s %s: another unit's import answers %s, a missing one %s", tc.method, tc.suffix, body, missing)
		}
	}
	if got := getImport(f, "clerkA", v.ID); got.Status != models.ImportPreview || got.Options.BlankClears {
		t.Errorf("clerk B's calls changed the import: status %s, options %+v", got.Status, got.Options)
	}
	if n := len(storedAssets(t, f, f.unitA.ID)); n != 0 {
		t.Errorf("clerk B's commit stored %d assets", n)
	}
	// Finance may act for any unit: it commits the valid row.
	if done := commitImport(f, "finance", v.ID, map[string]any{"skip_invalid": true}); done.Summary.New != 1 {
		t.Errorf("finance commit: %s", summaryOf(done))
	}
	if n := len(storedAssets(t, f, f.unitA.ID)); n != 1 {
		t.Errorf("finance commit stored %d assets, want 1", n)
	}
}

// TestImportUnknownSheetLeavesThePreviewAsItWas: choosing a sheet the file lacks is refused
// and the preview stays usable.
func TestImportUnknownSheetLeavesThePreviewAsItWas(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := previewImport(f, "clerkA", "UA", inventory(t, importRows...))
	resp, body := f.do(request{method: "PATCH", path: importPath(v.ID, ""), as: "clerkA", body: map[string]any{"sheet": "没有这个表"}})
	wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, "没有这个表")
	if got := getImport(f, "clerkA", v.ID); got.Sheet != "资产清单" || got.Status != models.ImportPreview {
		t.Errorf("after a refused PATCH the import reads sheet %q (%s), want 资产清单", got.Sheet, got.Status)
	}
	resp, body = f.do(request{method: "POST", path: importPath(v.ID, "/commit"), as: "clerkA"})
	if resp.StatusCode != http.StatusOK {
		t.Errorf("commit after a refused PATCH: %d %s, want 200", resp.StatusCode, body)
	}
}

// TestImportChangeRacingCommitNeverUndoesTheCommit: a PATCH that arrives while the same
// preview is being committed either happens before the commit or is refused; it never turns a
// committed import back into a preview.
func TestImportChangeRacingCommitNeverUndoesTheCommit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	file := inventory(t, importRows...)
	for trial := range 10 {
		v := previewImport(f, "clerkA", "UA", file)
		var patched, committed int
		var wg sync.WaitGroup
		wg.Go(func() {
			resp, _ := f.do(request{method: "PATCH", path: importPath(v.ID, ""), as: "clerkA", body: map[string]any{"blank_clears": false}})
			patched = resp.StatusCode
		})
		wg.Go(func() {
			resp, _ := f.do(request{method: "POST", path: importPath(v.ID, "/commit"), as: "clerkA"})
			committed = resp.StatusCode
		})
		wg.Wait()
		got := getImport(f, "clerkA", v.ID)
		if committed == http.StatusOK && got.Status != models.ImportCommitted {
			t.Errorf("trial %d: commit answered 200 (PATCH %d) but the import is now %q with committed_at %v",
				trial, patched, got.Status, got.CommittedAt)
		}
	}
}
