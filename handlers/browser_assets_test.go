package handlers

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"assetpool/app"
	"assetpool/models"
)

// registerCard adds a card to a unit's register through the app, as an import would, so that
// the search index knows it.
func registerCard(t *testing.T, f *fixture, unitID uint, as models.Asset) *app.AssetCard {
	t.Helper()
	if as.AcquiredOn.IsZero() {
		as.AcquiredOn, _ = models.ParseDate("2023-03-15")
	}
	c, err := f.app.CreateAsset(context.Background(), nil, unitID, as)
	if err != nil {
		t.Fatalf("create asset %s: %v", as.AssetNo, err)
	}
	return c
}

// printerCard is unit A's colour printer, in use: the card the register tests look for.
func printerCard(t *testing.T, f *fixture) *app.AssetCard {
	return registerCard(t, f, f.unitA.ID, models.Asset{
		AssetNo: "UA-2023-0007", Name: "A4彩色打印机", CategoryCode: "A02021004", Quantity: 1, MeasureUnit: "台",
		OriginalValue: 368000, UsageStatus: models.UsageInUse, Condition: models.ConditionUsable,
		Brand: "惠普", Model: "M479fdw", Department: "办公室", Custodian: "赵六", Location: "综合办公室"})
}

// hashOf returns the page's hash, decoded.
func (b *browser) hashOf() string {
	b.t.Helper()
	return eval[string](b, `decodeURIComponent(location.hash)`)
}

// TestBrowserRegisterIdleReachesPool is the journey of issue 4: a clerk of unit A finds the
// printer by searching 打印, opens its card and marks it idle; the card shows 闲置 and that it
// stands in the idle pool, the list keeps its filter through the card and a reload, bulk
// marking works from the list, and a clerk of unit B then finds the printer in the pool.
func TestBrowserRegisterIdleReachesPool(t *testing.T) {
	f := newFixture(t)
	printer := printerCard(t, f)
	registerCard(t, f, f.unitA.ID, models.Asset{
		AssetNo: "UA-2022-0031", Name: "台式计算机", CategoryCode: "A02010105", Quantity: 2, MeasureUnit: "台",
		OriginalValue: 1160000, UsageStatus: models.UsageInUse, Condition: models.ConditionUsable, Brand: "联想", Model: "启天M437",
		Location: "302室"})
	registerCard(t, f, f.unitB.ID, models.Asset{
		AssetNo: "UB-2021-0100", Name: "黑白激光打印机", CategoryCode: "A02021004", Quantity: 1, OriginalValue: 150000,
		UsageStatus: models.UsageInUse, Condition: models.ConditionUsable})

	b := newBrowser(t, f)
	b.login("clerkA", testPassword)
	b.click(`#sidenav a[data-page="assets"]`)
	b.waitText("#page h1", "资产台账")
	b.waitText("#asset-list", "台式计算机")
	b.waitText("#asset-list .table-footer", "共 2 张卡片，3 件，原值合计 ¥15,280.00")
	if s := b.text("#asset-list"); strings.Contains(s, "黑白激光打印机") {
		t.Errorf("clerk A's register lists unit B's card: %q", s)
	}
	b.shot("register-list")

	// Search: only the printer is left, and the hash carries the filter.
	b.fill("#asset-search", "打印")
	b.waitText("#asset-list .table-footer", "共 1 张卡片")
	if s := b.text("#asset-list tbody"); !strings.Contains(s, "A4彩色打印机") || strings.Contains(s, "台式计算机") {
		t.Errorf("search 打印 lists %q; want only the printer", s)
	}
	if h := b.hashOf(); h != "#/assets?q=打印" {
		t.Errorf("hash after searching = %q; want #/assets?q=打印", h)
	}

	// Sorting by a column header: descending on the second click, and the hash says so.
	b.click(`#asset-list th button[data-sort="original_value"]`)
	b.waitVisible(`#asset-list th[aria-sort="ascending"] button[data-sort="original_value"]`)
	b.click(`#asset-list th button[data-sort="original_value"]`)
	b.waitVisible(`#asset-list th[aria-sort="descending"] button[data-sort="original_value"]`)
	if h := b.hashOf(); h != "#/assets?q=打印&sort=-original_value" {
		t.Errorf("hash after sorting = %q", h)
	}

	// The card: number and name, tags, value, history.
	b.click(`#asset-list a.asset-link`)
	b.waitText("#page h1", "UA-2023-0007")
	b.waitText("#page h1", "A4彩色打印机")
	b.waitText("#asset-tags", "在用")
	b.waitText("#asset-info", "综合办公室")
	b.waitText("#asset-value", "累计折旧")
	b.waitText("#asset-value", "¥3,680.00")
	b.waitText("#asset-history", "新增资产卡片")
	b.shot("register-card")

	b.click(`button[data-action="mark-idle"]`)
	b.waitText("#asset-tags", "闲置")
	b.waitText("#asset-tags", "在闲置资产库中")
	b.waitText("#asset-info", "闲置起始日")
	b.waitText("#asset-history", "变更使用状况")
	b.waitText("#asset-history", "使用状况：在用 → 闲置")
	b.waitVisible(`button[data-action="mark-in-use"]`)
	b.shot("register-card-idle")

	// Back to the list: the search is still there, and the printer shows 闲置.
	b.click(`a[data-action="back"]`)
	b.waitText("#asset-list .table-footer", "共 1 张卡片")
	if v := eval[string](b, `document.querySelector('#asset-search').value`); v != "打印" {
		t.Errorf("search box after coming back = %q; want 打印", v)
	}
	b.waitText("#asset-list tbody", "闲置")

	// A reload keeps the filters too.
	b.do("reload", chromedp.Reload())
	b.waitText("#asset-list .table-footer", "共 1 张卡片")
	if v := eval[string](b, `document.querySelector('#asset-search').value`); v != "打印" {
		t.Errorf("search box after reload = %q; want 打印", v)
	}

	// Bulk marking from the list: clear the filters, tick the computer, mark it idle.
	b.click(`button[data-action="clear-filters"]`)
	b.waitText("#asset-list .table-footer", "共 2 张卡片")
	if h := b.hashOf(); h != "#/assets?sort=-original_value" {
		t.Errorf("hash after clearing the filters = %q; want only the sort", h)
	}
	b.choose("#asset-status", "idle")
	b.waitText("#asset-list .table-footer", "共 1 张卡片")
	b.waitText("#asset-list thead", "闲置起始日")
	b.choose("#asset-status", "")
	b.waitText("#asset-list .table-footer", "共 2 张卡片")
	computer := eval[string](b, `(() => { const tr = [...document.querySelectorAll('#asset-list tbody tr')].find((tr) => tr.innerText.includes('台式计算机')); return tr ? tr.dataset.key : ''; })()`)
	if computer == "" {
		b.fatalf("no row for the computer")
	}
	b.click(fmt.Sprintf(`#asset-list input.row-check[data-id="%s"]`, computer))
	b.waitText(".select-bar", "已选 1 张卡片")
	if href := eval[string](b, `document.querySelector('a[data-action="print-labels"]').getAttribute('href')`); href != "/api/v1/labels.html?ids="+computer {
		t.Errorf("label link = %q", href)
	}
	b.click(`button[data-action="mark-idle"]`)
	b.waitText(".notices", "已将 1 张卡片标记为闲置")
	b.choose("#asset-status", "idle")
	b.waitText("#asset-list .table-footer", "共 2 张卡片")
	b.shot("register-list-idle")

	// An empty result says so and offers to clear the filters.
	b.fill("#asset-search", "不存在的资产")
	b.waitText("#asset-list", "没有符合条件的资产")
	b.click(`button[data-action="clear-filters-empty"]`)
	b.waitText("#asset-list .table-footer", "共 2 张卡片")

	b.click(`button[data-action="logout"]`)
	b.waitVisible("#login-form")

	// Unit B's clerk finds the printer in the idle pool.
	resp, body := f.do(request{method: "GET", path: "/api/v1/pool?q=" + "%E6%89%93%E5%8D%B0", as: "clerkB"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /pool as clerkB: %d %s", resp.StatusCode, body)
	}
	pool := decode[struct {
		Items []app.PoolItem `json:"items"`
	}](t, body)
	found := false
	for _, it := range pool.Items {
		if it.ID == printer.ID {
			found = true
		}
	}
	if !found {
		t.Errorf("the idle printer is not in clerk B's pool: %s", body)
	}

	b.login("clerkB", testPassword)
	if eval[bool](b, `!!document.querySelector('#sidenav a[data-page="pool"]')`) {
		b.click(`#sidenav a[data-page="pool"]`)
		b.waitText("#page", "A4彩色打印机")
		b.shot("pool-clerkB")
	} else {
		t.Log("the pool page (#/pool) is not in the navigation yet: checked the pool through the API only")
	}

	// Clerk B cannot open unit A's card: it does not exist for them.
	b.open("/#/assets/" + itoa(printer.ID))
	b.waitText("#page", "不存在")
}

// TestBrowserCardEditConflict edits a card while the same card is changed behind the
// browser's back: saving says that someone else changed it and keeps what was typed; loading
// the latest version takes the other change where the clerk left the field alone, and saving
// again writes the clerk's change on top.
func TestBrowserCardEditConflict(t *testing.T) {
	f := newFixture(t)
	card := printerCard(t, f)
	b := newBrowser(t, f)
	b.login("clerkA", testPassword)

	// A card added by hand: a missing field is named next to it, a taken number by the server.
	b.open("/#/assets")
	b.waitText("#asset-list .table-footer", "共 1 张卡片")
	b.click(`button[data-action="create-asset"]`)
	dlg := `form[data-form="create-asset"]`
	b.waitVisible(dlg)
	b.fill(dlg+` input[name="asset_no"]`, "UA-2023-0007")
	b.fill(dlg+` input[name="name"]`, "办公椅")
	b.click(dlg + ` button[type="submit"]`)
	b.waitText(dlg+` [data-field="category_code"] .field-error`, "请填写资产分类")
	b.waitText(dlg+` [data-field="original_value"] .field-error`, "请填写原值")
	b.choose(dlg+` select[name="category_code"]`, "A02010105")
	b.fill(dlg+` input[name="original_value"]`, "1,280.5")
	b.choose(dlg+` input[name="acquired_on"]`, "2024-05-01")
	b.click(dlg + ` button[type="submit"]`)
	b.waitText(dlg+` [data-field="asset_no"] .field-error`, "已有资产编号为 UA-2023-0007")
	b.fill(dlg+` input[name="asset_no"]`, "UA-2024-0001")
	b.click(dlg + ` button[type="submit"]`)
	b.waitGone(dlg)
	b.waitText("#page h1", "UA-2024-0001")
	b.waitText("#asset-info", "¥1,280.50")

	b.open("/#/assets/" + itoa(card.ID))
	b.waitText("#page h1", "UA-2023-0007")

	// A check in the page: a bad amount is refused next to its field.
	b.click(`button[data-action="edit"]`)
	form := `form[data-form="asset-edit"]`
	b.waitVisible(form)
	b.fill(form+` input[name="original_value"]`, "三千")
	b.click(form + ` button[data-action="save"]`)
	b.waitText(form+` [data-field="original_value"] .field-error`, "原值应为金额")
	b.fill(form+` input[name="original_value"]`, "3680")
	b.fill(form+` input[name="location"]`, "三楼档案室")

	// Someone else changes the card meanwhile.
	resp, body := f.do(request{method: "PATCH", path: "/api/v1/assets/" + itoa(card.ID), as: "clerkA",
		body: map[string]any{"version": card.Version, "custodian": "钱七", "original_value": "4000.00"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PATCH behind the browser's back: %d %s", resp.StatusCode, body)
	}

	b.click(form + ` button[data-action="save"]`)
	b.waitText(form+" .conflict", "已被他人修改")
	if v := eval[string](b, `document.querySelector('form[data-form="asset-edit"] input[name="location"]').value`); v != "三楼档案室" {
		t.Errorf("location after the conflict = %q; the clerk's input must stay", v)
	}
	b.shot("card-conflict")

	b.click(`button[data-action="load-latest"]`)
	b.waitText(form+" .conflict", "已载入最新的第 2 版")
	b.waitText(form+` [data-field="custodian"] .field-note`, "钱七")
	b.waitText(form+` [data-field="original_value"] .field-note`, "¥4,000.00")
	if v := eval[string](b, `document.querySelector('form[data-form="asset-edit"] input[name="custodian"]').value`); v != "钱七" {
		t.Errorf("custodian after loading the latest = %q; want the other change 钱七", v)
	}
	if v := eval[string](b, `document.querySelector('form[data-form="asset-edit"] input[name="location"]').value`); v != "三楼档案室" {
		t.Errorf("location after loading the latest = %q; the clerk's input must stay", v)
	}
	b.shot("card-conflict-merged")

	b.click(form + ` button[data-action="save"]`)
	b.waitGone(form)
	b.waitText("#asset-info", "三楼档案室")
	b.waitText("#asset-info", "钱七")
	b.waitText("#asset-info", "¥4,000.00")
	b.waitText("#asset-history", "存放地点：综合办公室 → 三楼档案室")
	b.waitText("#asset-history", "原值：¥3,680.00 → ¥4,000.00")

	got, err := f.app.Asset(context.Background(), f.users["clerkA"], card.ID, models.Date{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 3 || got.Location != "三楼档案室" || got.Custodian != "钱七" || got.OriginalValue != 400000 {
		t.Errorf("card after the merge = v%d %q %q %d; want v3 三楼档案室 钱七 400000", got.Version, got.Location, got.Custodian, got.OriginalValue)
	}
}

// TestBrowserRegisterFinance: finance sees every unit's cards with a unit column and a unit
// filter, exports what the filter selects, and reads a card without being offered to edit it.
func TestBrowserRegisterFinance(t *testing.T) {
	f := newFixture(t)
	printer := printerCard(t, f)
	registerCard(t, f, f.unitB.ID, models.Asset{
		AssetNo: "UB-2021-0100", Name: "黑白激光打印机", CategoryCode: "A02021004", Quantity: 1, OriginalValue: 150000,
		UsageStatus: models.UsageInUse, Condition: models.ConditionUsable})

	b := newBrowser(t, f)
	b.login("finance", testPassword)
	b.open("/#/assets")
	b.waitText("#asset-list .table-footer", "共 2 张卡片")
	b.waitText("#asset-list thead", "单位")
	b.waitText("#asset-list tbody", "兴仁街道")
	if n := eval[int](b, `document.querySelectorAll('#asset-list input.row-check').length`); n != 0 {
		t.Errorf("finance gets %d row checkboxes; marking is the clerk's", n)
	}
	b.choose("#asset-unit", "UB")
	b.waitText("#asset-list .table-footer", "共 1 张卡片")
	b.waitText("#asset-list tbody", "黑白激光打印机")
	href := eval[string](b, `document.querySelector('a[data-action="export"]').getAttribute('href')`)
	if href != "/api/v1/assets.xlsx?unit=UB" {
		t.Errorf("export link = %q; want the unit filter", href)
	}
	status, ctype, _ := b.fetchFromPage(href)
	if status != http.StatusOK || !strings.Contains(ctype, "spreadsheet") {
		t.Errorf("export: %d %s", status, ctype)
	}

	b.open("/#/assets/" + itoa(printer.ID))
	b.waitText("#page h1", "UA-2023-0007")
	b.waitText("#asset-value", "按取得日期计算")
	if n := eval[int](b, `document.querySelectorAll('button[data-action="edit"], button[data-action="mark-idle"], #asset-photo-file').length`); n != 0 {
		t.Errorf("finance is offered %d editing controls on a unit's card", n)
	}
	b.waitVisible(`a[data-action="print-label"]`)
}

// TestBrowserCardPhotosAndValue: the clerk uploads a photo, sees its thumbnail, enlarges and
// deletes it; a file that is no photo is refused with the server's message; the value panel
// recomputes depreciation for another day and warns when the spreadsheet's figures disagree.
func TestBrowserCardPhotosAndValue(t *testing.T) {
	f := newFixture(t)
	bookDep := models.Money(100000)
	card := registerCard(t, f, f.unitA.ID, models.Asset{
		AssetNo: "UA-2020-0002", Name: "会议桌", CategoryCode: "A02021004", Quantity: 1, OriginalValue: 720000,
		UsageStatus: models.UsageInUse, Condition: models.ConditionUsable, BookDepreciation: &bookDep})

	dir := t.TempDir()
	photo := filepath.Join(dir, "会议桌.png")
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		for y := range 30 {
			img.Set(x, y, color.RGBA{R: uint8(x * 6), G: 120, B: uint8(y * 8), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(photo, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	notPhoto := filepath.Join(dir, "清单.png")
	if err := os.WriteFile(notPhoto, []byte("这不是照片"), 0o644); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, f)
	b.login("clerkA", testPassword)
	b.open("/#/assets/" + itoa(card.ID))
	b.waitText("#page h1", "UA-2020-0002")

	// The spreadsheet said ¥1,000.00 of depreciation; the computed figure is far more.
	b.waitText("#asset-book-warning", "账账不符")
	b.waitText("#asset-book-warning", "少")
	// As of the month of acquisition one month has been charged: 7200 / 72 = 100.
	b.fill("#asset-as-of", "")
	b.choose("#asset-as-of", "2023-03-31")
	b.waitText("#asset-value", "1 个月，剩余 71 个月")
	b.waitText("#asset-value", "¥100.00")

	b.waitText("#asset-photos", "还没有照片")
	b.upload("#asset-photo-file", notPhoto)
	b.waitText("#asset-photos .alert-error", "不是 JPEG 或 PNG")
	b.upload("#asset-photo-file", photo)
	b.waitVisible("#asset-photos .photo-thumb img")
	b.waitText("#asset-history", "上传照片")
	if ok := eval[bool](b, `(() => { const i = document.querySelector('#asset-photos .photo-thumb img'); return !!i && i.complete && i.naturalWidth === 40; })()`); !ok {
		// the image may still be loading; wait for it
		if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`(() => { const i = document.querySelector('#asset-photos .photo-thumb img'); return !!i && i.naturalWidth === 40; })()`)); err != nil {
			b.fatalf("the thumbnail does not load: %v", err)
		}
	}
	b.click("#asset-photos .photo-thumb")
	b.waitVisible("dialog.dialog-photo img")
	b.shot("card-photo")
	b.click("dialog.dialog-photo .dialog-close")
	b.waitGone("dialog.dialog-photo")

	b.click(`#asset-photos button[data-action="delete-photo"]`)
	b.waitVisible(`form[data-form="confirm"]`)
	b.click(`form[data-form="confirm"] button[type="submit"]`)
	b.waitText("#asset-photos", "还没有照片")
	b.waitText("#asset-history", "删除照片")
}
