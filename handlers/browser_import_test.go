package handlers

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// inventoryHeader is the header of the test inventories: a 序号 column first, as real sheets
// have, and the template's headers after it.
var inventoryHeader = []any{"序号", "资产编号", "资产名称", "资产分类", "数量", "原值（元）", "取得日期", "使用状况", "存放地点"}

// writeInventory saves rows as the first sheet, 资产清单, of a new workbook at path.
func writeInventory(t *testing.T, path string, rows [][]any) {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", "资产清单"); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if err := x.SetSheetRow("资产清单", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.SaveAs(path); err != nil {
		t.Fatalf("save %s: %v", path, err)
	}
}

// importIDFromHash returns the import the page shows, from #/imports/{id}.
func (b *browser) importIDFromHash() string {
	b.t.Helper()
	expr := `(() => { const m = location.hash.match(/^#\/imports\/(\d+)$/); return m ? m[1] : ''; })()`
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](expr+` !== ''`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		b.fatalf("no import opened: %v", err)
	}
	id, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		b.fatalf("read hash: %v", err)
	}
	return id
}

// eval runs a JavaScript expression in the page and returns its value.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// fetchFromPage downloads path with the page's own session, as the browser would on a click,
// and returns the status, the content type and the body.
func (b *browser) fetchFromPage(path string) (int, string, []byte) {
	b.t.Helper()
	expr := fmt.Sprintf(`(async () => {
		const r = await fetch(%s, { credentials: 'same-origin' });
		const bytes = new Uint8Array(await r.arrayBuffer());
		let s = '';
		for (const x of bytes) s += String.fromCharCode(x);
		return JSON.stringify({ status: r.status, type: r.headers.get('content-type') || '', body: btoa(s) });
	})()`, js(path))
	out, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fatalf("fetch %s: %v", path, err)
	}
	res := decode[struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
		Body   string `json:"body"`
	}](b.t, []byte(out))
	body, err := base64.StdEncoding.DecodeString(res.Body)
	if err != nil {
		b.t.Fatalf("decode body of %s: %v", path, err)
	}
	return res.Status, res.Type, body
}

// clickCentered scrolls the element matching sel to the middle of the window and clicks it:
// near the top it would be under the sticky top bar, where a click lands on the bar.
func (b *browser) clickCentered(sel string) {
	b.t.Helper()
	if !eval[bool](b, fmt.Sprintf(`(() => { const el = document.querySelector(%s); if (el) el.scrollIntoView({block: 'center'}); return !!el; })()`, js(sel))) {
		b.fatalf("no %s to click", sel)
	}
	b.click(sel)
}

// errorRow returns the cells of the error table's row for file row n, joined by " | ".
func (b *browser) errorRow(n string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(() => {
		const tr = [...document.querySelectorAll('#page .import-table-errors tbody tr')].find((tr) => tr.cells[0].innerText.trim() === %s);
		return tr ? [...tr.cells].map((c) => c.innerText.trim()).join(' | ') : ''; })()`, js(n)))
}

// TestBrowserClerkImportsInventory is the journey of issue 3: a clerk uploads an inventory
// with one bad row, sees the error with its row and column, downloads the error workbook,
// fixes the row, uploads again, commits, and finds the result and the history entry; the
// assets are then in the register.
func TestBrowserClerkImportsInventory(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	title := []any{"经济发展局固定资产清查明细表"}
	good1 := []any{1, "UA-001", "台式计算机", "A02010105", 1, "4999.00", "2020-05-01", "在用", "302室"}
	good3 := []any{3, "UA-003", "办公椅", "A05010301", 6, "3600", "2019-09-01", "闲置", "库房"}
	bad := filepath.Join(dir, "清查表.xlsx")
	writeInventory(t, bad, [][]any{title, inventoryHeader, good1,
		{2, "UA-002", "A4彩色打印机", "A02021004", 1, "abc", "2021-03-15", "在用", "302室"}, good3})
	fixed := filepath.Join(dir, "清查表（改正）.xlsx")
	writeInventory(t, fixed, [][]any{title, inventoryHeader, good1,
		{2, "UA-002", "A4彩色打印机", "A02021004", 1, "2350.00", "2021-03-15", "在用", "302室"}, good3})

	b := newBrowser(t, f)
	b.login("clerkA", testPassword)
	// The overview's empty state leads to the import page.
	b.waitText("#page", "还没有导入资产台账")
	b.click(`#page a[data-action="go-import"]`)
	b.waitText("#page h1", "资产台账导入")
	b.waitText("#sidenav a.active", "导入")
	b.waitText("#import-unit", "经济发展局（UA）")
	b.waitText("#import-history", "还没有导入资产台账")
	b.waitText("#import-drop", "拖入或选择清查表：.xlsx、.xls、.csv，最大 50 MB")
	if href := eval[string](b, `document.querySelector('a[data-action="download-template"]').getAttribute('href')`); href != "/api/v1/templates/assets.xlsx" {
		t.Errorf("template link = %q", href)
	}
	if n := eval[int](b, `document.querySelectorAll('#import-unit select, select#import-unit').length`); n != 0 {
		t.Errorf("a clerk is offered a unit select")
	}
	b.shot("import-empty")

	// A file that is not a spreadsheet is refused next to the drop zone, before any upload.
	notSheet := filepath.Join(dir, "说明.txt")
	writeFile(t, notSheet, "不是表格")
	b.upload("#import-file", notSheet)
	b.waitText(".import-drop-col .form-error", "请上传 .xlsx、.xls 或 .csv 格式的清查表")
	// One the server cannot read: its Chinese reason is shown in the same place.
	noHeader := filepath.Join(dir, "坏文件.xlsx")
	writeFile(t, noHeader, "这不是表格")
	b.upload("#import-file", noHeader)
	b.waitText(".import-drop-col .form-error", "没有找到表头")
	if h := eval[string](b, `location.hash`); h != "#/imports" {
		t.Errorf("a refused upload left the page for %s", h)
	}

	// The bad file: a preview with one error, named by the row and column of the clerk's file.
	b.upload("#import-file", bad)
	firstID := b.importIDFromHash()
	b.waitText("#import-current .panel-title", "预览：清查表.xlsx")
	b.waitText("#import-current .import-stats", "错误")
	b.waitText("#import-current .import-table-errors", "原值（元）")
	row := b.errorRow("4")
	if !strings.Contains(row, "原值（元）") || !strings.Contains(row, "abc") {
		t.Errorf("error row for file row 4 = %q; want the column 原值（元） and the bad value", row)
	}
	if !eval[bool](b, `document.querySelector('button[data-action="commit-import"]').disabled`) {
		t.Errorf("commit is enabled while the preview has errors")
	}
	b.waitText("#import-current .import-actions", "仅导入无错误的行")
	b.waitText("#import-current .mapping summary", "列对应")
	b.shot("import-preview-errors")

	// The error workbook: the upload back, with the problem named in its 错误说明 column.
	href := eval[string](b, `document.querySelector('a[data-action="download-errors"]').getAttribute('href')`)
	if want := "/api/v1/imports/" + firstID + "/errors.xlsx"; href != want {
		t.Errorf("error workbook link = %q; want %q", href, want)
	}
	status, ctype, body := b.fetchFromPage(href)
	if status != 200 || !strings.Contains(ctype, "spreadsheetml") {
		t.Fatalf("error workbook: %d %s", status, ctype)
	}
	checkErrorWorkbook(t, body)

	// Fixed and uploaded again: no errors, and the commit shows what it did.
	b.upload("#import-file", fixed)
	b.waitText("#import-current .panel-title", "预览：清查表（改正）.xlsx")
	secondID := b.importIDFromHash()
	if secondID == firstID {
		t.Fatalf("the second upload reopened import %s", firstID)
	}
	b.waitText("#import-current .import-tabs", "新增")
	if s := b.text("#import-current .import-stats"); !regexp.MustCompile(`新增\s*3`).MatchString(s) || !regexp.MustCompile(`错误\s*0`).MatchString(s) {
		t.Errorf("preview figures = %q; want 新增 3 and 错误 0", s)
	}
	if eval[int](b, `document.querySelectorAll('#import-current a[data-action="download-errors"]').length`) != 0 {
		t.Errorf("an error workbook is offered for a preview without errors")
	}
	b.waitText("#import-current .import-table-new", "A4彩色打印机")
	b.waitText("#import-current .import-table-new", "¥2,350.00")
	b.shot("import-preview-clean")
	b.clickCentered(`button[data-action="commit-import"]`)
	b.waitVisible(`form[data-form="confirm-import"]`)
	b.waitText(`form[data-form="confirm-import"]`, "新增 3 张卡片")
	b.click(`form[data-form="confirm-import"] button[type="submit"]`)
	b.waitGone(`form[data-form="confirm-import"]`)
	b.waitText("#import-current .import-result", "已导入：新增 3，变更 0，未变 0")
	b.waitText(`#import-history tr[data-key="`+secondID+`"]`, "已导入")
	b.waitText(`#import-history tr[data-key="`+secondID+`"]`, "清查表（改正）.xlsx")
	b.waitText(`#import-history tr[data-key="`+firstID+`"]`, "清查表.xlsx")
	b.waitText(".import-downloads", "本单位现有台账（3 张卡片）")
	b.shot("import-committed")

	// The register holds the assets as the file gave them.
	db, err := sql.Open("sqlite3", "file:"+f.dbPath+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var name, location string
	var value int64
	err = db.QueryRow(`SELECT name, original_value, location FROM assets WHERE unit_id = ? AND asset_no = 'UA-002'`, f.unitA.ID).Scan(&name, &value, &location)
	if err != nil {
		t.Fatalf("asset UA-002 not in the register: %v", err)
	}
	if name != "A4彩色打印机" || value != 235000 || location != "302室" {
		t.Errorf("UA-002 = %s, %d fen, %s; want A4彩色打印机, 235000 fen, 302室", name, value, location)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM assets WHERE unit_id = ?`, f.unitA.ID).Scan(&n); err != nil || n != 3 {
		t.Errorf("unit A has %d assets (%v); want 3", n, err)
	}

	// The first (bad) upload was voided by the commit; opening it from the history says so.
	b.click(`#import-history tr[data-key="` + firstID + `"] a`)
	b.waitText("#import-current .panel-title", "已放弃：清查表.xlsx")
	b.waitText("#import-current .alert", "已作废")
	b.waitText(`#import-history tr.row-current`, "清查表.xlsx")
}

// checkErrorWorkbook opens the error workbook and looks for the problem of file row 4 in its
// 错误说明 column.
func checkErrorWorkbook(t *testing.T, data []byte) {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("error workbook is not an .xlsx: %v", err)
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if len(sheets) == 0 {
		t.Fatal("error workbook has no sheet")
	}
	rows, err := x.GetRows(sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for _, r := range rows {
		if i := slices.Index(r, "错误说明"); i >= 0 {
			col = i
			break
		}
	}
	if col < 0 {
		t.Fatalf("error workbook has no 错误说明 column: %q", rows)
	}
	if len(rows) < 4 || len(rows[3]) <= col || !strings.Contains(rows[3][col], "原值") {
		t.Fatalf("error workbook row 4 does not name the 原值 problem: %q", rows)
	}
	for i, r := range rows {
		if i != 3 && len(r) > col && strings.TrimSpace(r[col]) != "" && r[col] != "错误说明" {
			t.Errorf("error workbook marks row %d, which is fine: %q", i+1, r[col])
		}
	}
}

// TestBrowserFinanceImportsForAUnit: finance chooses the unit, sees what would change in its
// register (field by field) and what the file leaves out, then discards the preview.
func TestBrowserFinanceImportsForAUnit(t *testing.T) {
	f := newFixture(t)
	insertAsset(t, f, f.unitB.ID, "UB-001", "A02010105")
	insertAsset(t, f, f.unitB.ID, "UB-009", "A02010105")
	path := filepath.Join(t.TempDir(), "兴仁街道.xlsx")
	writeInventory(t, path, [][]any{inventoryHeader,
		{1, "UB-001", "台式计算机", "A02010105", 1, "5000.00", "2020-03-01", "在用", "二楼"}})

	b := newBrowser(t, f)
	b.login("finance", testPassword)
	b.open("/#/imports")
	b.waitVisible("select#import-unit")
	b.chooseLabel("select#import-unit", "兴仁街道")
	b.waitText(".import-downloads", "该单位现有台账（2 张卡片）")
	if href := eval[string](b, `document.querySelector('a[data-action="download-register"]').getAttribute('href')`); href != "/api/v1/units/UB/assets.xlsx" {
		t.Errorf("register link = %q; want UB's", href)
	}
	b.waitText("#import-history", "还没有导入记录")

	b.upload("#import-file", path)
	b.importIDFromHash()
	b.waitText("#import-current .panel-title", "预览：兴仁街道.xlsx")
	b.waitText("#import-current .panel-text", "兴仁街道（UB）")
	b.click(`#import-current button[data-tab="changed"]`)
	b.waitText("#import-current .import-table-changed", "UB-001")
	b.waitText("#import-current .import-table-changed", "闲置 → 在用")
	b.click(`#import-current button[data-tab="missing"]`)
	b.waitText("#import-current .import-list", "系统不会自动删除")
	b.waitText("#import-current .import-table-missing", "UB-009")
	// The unit select follows the open import, and stays after a reload.
	if v := eval[string](b, `document.querySelector('select#import-unit').value`); v != "UB" {
		t.Errorf("unit select = %q; want UB", v)
	}
	b.shot("import-finance-preview")

	b.clickCentered(`button[data-action="discard-import"]`)
	b.waitVisible(`form[data-form="confirm"]`)
	b.click(`form[data-form="confirm"] button[type="submit"]`)
	b.waitText("#import-history", "已放弃")
	if got := b.text("#import-current"); got != "" {
		t.Errorf("a discarded import stays open: %q", got)
	}
	// Nothing changed in the register.
	var usage string
	db, err := sql.Open("sqlite3", "file:"+f.dbPath+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRowContext(context.Background(), `SELECT usage_status FROM assets WHERE unit_id = ? AND asset_no = 'UB-001'`, f.unitB.ID).Scan(&usage); err != nil || usage != "idle" {
		t.Errorf("UB-001 usage = %q (%v); want idle, untouched", usage, err)
	}
}

// TestBrowserClerkMapsColumnsAndSkipsBadRows: a sheet whose name column has a header the
// import does not know is mapped by hand, another sheet can be chosen, and a preview with a
// bad row is committed without it once the clerk asks for that.
func TestBrowserClerkMapsColumnsAndSkipsBadRows(t *testing.T) {
	f := newFixture(t)
	path := filepath.Join(t.TempDir(), "盘点.xlsx")
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", "盘点"); err != nil {
		t.Fatal(err)
	}
	if _, err := x.NewSheet("去年"); err != nil {
		t.Fatal(err)
	}
	header := []any{"资产编号", "品名", "资产分类", "数量", "原值（元）", "取得日期", "使用状况"}
	sheets := map[string][][]any{
		"盘点": {header,
			{"UA-101", "台式计算机", "A02010105", 1, "5200", "2022-01-10", "在用"},
			{"UA-102", "文件柜", "A05010502", 2, "1800", "不详", "在用"},
			{"UA-103", "办公椅", "A05010301", 4, "2400", "2022-01-10", "在用"}},
		"去年": {header, {"UA-101", "台式计算机", "A02010105", 1, "5200", "2022-01-10", "在用"}},
	}
	for name, rows := range sheets {
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := x.SetSheetRow(name, cell, &r); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, f)
	b.login("clerkA", testPassword)
	b.open("/#/imports")
	b.upload("#import-file", path)
	b.waitText("#import-current .panel-title", "预览：盘点.xlsx")
	// 品名 is not a header the import knows: the clerk is told and maps it.
	b.waitText("#import-current .import-reading", "资产名称")
	b.waitVisible(`#import-current select[data-col="B"]`)
	b.shot("import-mapping")
	b.chooseLabel(`#import-current select[data-col="B"]`, "资产名称")
	b.waitText("#import-current .mapping summary", "导入 7 列")
	if v := eval[string](b, `document.querySelector('#import-current select[data-col="B"]').value`); v != "name" {
		t.Errorf("column B maps to %q after choosing 资产名称", v)
	}
	b.waitText("#import-current .import-table-errors", "取得日期")
	if row := b.errorRow("3"); !strings.Contains(row, "取得日期") {
		t.Errorf("error of file row 3 = %q; want the 取得日期 column", row)
	}

	// Another sheet, and back.
	b.choose(`#import-current select[name="sheet"]`, "去年")
	b.waitText("#import-current .panel-text", "工作表“去年”")
	b.waitText("#import-current .import-stats", "1")
	b.choose(`#import-current select[name="sheet"]`, "盘点")
	b.waitText("#import-current .panel-text", "工作表“盘点”")

	// Commit without the bad row.
	b.waitVisible(`#import-current input[name="skip_invalid"]`)
	b.clickCentered(`#import-current input[name="skip_invalid"]`)
	if eval[bool](b, `document.querySelector('button[data-action="commit-import"]').disabled`) {
		t.Fatalf("commit still disabled after choosing to skip the bad rows")
	}
	b.clickCentered(`button[data-action="commit-import"]`)
	b.waitText(`form[data-form="confirm-import"]`, "有错误的 1 行不会导入")
	b.click(`form[data-form="confirm-import"] button[type="submit"]`)
	b.waitText("#import-current .import-result", "已导入：新增 2，变更 0，未变 0；跳过有错误的 1 行")
	b.shot("import-committed-skipping")

	db, err := sql.Open("sqlite3", "file:"+f.dbPath+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var nos []string
	rows, err := db.Query(`SELECT asset_no FROM assets WHERE unit_id = ? ORDER BY asset_no`, f.unitA.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var no string
		if err := rows.Scan(&no); err != nil {
			t.Fatal(err)
		}
		nos = append(nos, no)
	}
	if !slices.Equal(nos, []string{"UA-101", "UA-103"}) {
		t.Errorf("register of UA = %v; want UA-101 and UA-103 without the bad row", nos)
	}
}

// TestBrowserBigImportRunsInBackground: a file above the background threshold is read and
// committed by background jobs; the page shows their progress and then the preview and the
// result without the clerk doing anything.
func TestBrowserBigImportRunsInBackground(t *testing.T) {
	f := newFixture(t)
	const rows = 12000
	var sb strings.Builder
	sb.WriteString("资产编号,资产名称,资产分类,数量,原值（元）,取得日期,使用状况\n")
	for i := 1; i <= rows; i++ {
		fmt.Fprintf(&sb, "UA-%06d,办公椅,A05010301,1,%d.00,2021-06-01,在用\n", i, 300+i%50)
	}
	path := filepath.Join(t.TempDir(), "全部资产.csv")
	writeFile(t, path, sb.String())

	b := newBrowser(t, f)
	b.login("clerkA", testPassword)
	b.open("/#/imports")
	b.waitVisible("#import-drop")
	// Remember whether a progress bar was ever shown: the jobs may be quicker than any check.
	_ = eval[bool](b, `(() => { window.sawProgress = 0;
		new MutationObserver(() => { if (document.querySelector('#import-current progress')) window.sawProgress++; })
			.observe(document.body, { subtree: true, childList: true }); return true; })()`)
	b.upload("#import-file", path)
	b.importIDFromHash()
	b.waitText("#import-current .panel-title", "预览：全部资产.csv")
	b.waitText("#import-current .import-stats", groupThousands(rows))
	b.clickCentered(`button[data-action="commit-import"]`)
	b.click(`form[data-form="confirm-import"] button[type="submit"]`)
	b.waitText("#import-current .import-result", "已导入：新增 "+groupThousands(rows))
	// The commit of so many rows answers 202 "running", which always draws the progress.
	if eval[int](b, `window.sawProgress`) == 0 {
		t.Errorf("no progress bar was shown while the background jobs ran")
	}

	db, err := sql.Open("sqlite3", "file:"+f.dbPath+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM assets WHERE unit_id = ?`, f.unitA.ID).Scan(&n); err != nil || n != rows {
		t.Errorf("unit A has %d assets (%v); want %d", n, err, rows)
	}
}

// TestBrowserDropInventory drops a file on the drop zone, as a clerk drags one from the desktop.
func TestBrowserDropInventory(t *testing.T) {
	b := newBrowser(t, newFixture(t))
	b.login("clerkA", testPassword)
	b.open("/#/imports")
	b.waitVisible("#import-drop")
	csv := "资产编号,资产名称,资产分类,数量,原值（元）,取得日期,使用状况\nUA-900,碎纸机,A02021301,1,680,2023-02-01,在用\n"
	dropped := eval[bool](b, fmt.Sprintf(`(() => {
		const dt = new DataTransfer();
		dt.items.add(new File([%s], '拖入的清查表.csv', { type: 'text/csv' }));
		const zone = document.querySelector('#import-drop');
		zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
		const active = zone.classList.contains('drop-active');
		zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
		return active; })()`, js(csv)))
	if !dropped {
		t.Errorf("the drop zone does not show that a file is over it")
	}
	b.waitText("#import-current .panel-title", "预览：拖入的清查表.csv")
	b.waitText("#import-current .import-table-new", "碎纸机")
	// A CSV file has no sheets: the preview names none.
	if text := eval[string](b, `document.querySelector('#import-current').innerText`); strings.Contains(text, "工作表") {
		t.Errorf("the preview of a CSV file speaks of sheets: %q", text)
	}
}
