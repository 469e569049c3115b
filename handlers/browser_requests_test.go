package handlers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"assetpool/models"
)

// TestBrowserRequestsMatchIdleDesktop is the journey of purchase requests and matching: unit B
// has an idle desktop computer in the pool; clerk A files a request for one desktop through
// the form, replacing an old card found in the register, and submits it; the request's page
// shows it matched, the proposed item with its reasons and source unit, and the standards
// check. Clerk B sees the item chosen on 调剂, and finance runs matching and finds the proposal.
func TestBrowserRequestsMatchIdleDesktop(t *testing.T) {
	f := newFixture(t)
	desk := poolTestCard(t, f, f.unitB, models.Asset{AssetNo: "UB-D01", Name: "台式计算机", CategoryCode: "A02010105",
		MeasureUnit: "台", OriginalValue: 480000, UsageStatus: models.UsageIdle, Condition: models.ConditionUsable,
		Brand: "联想", Model: "启天M437"})
	old := poolTestCard(t, f, f.unitA, models.Asset{AssetNo: "UA-D09", Name: "旧台式计算机", CategoryCode: "A02010105",
		OriginalValue: 520000, UsageStatus: models.UsageInUse, Condition: models.ConditionRepairable,
		AcquiredOn: mustDate(t, "2015-06-01")})

	b := newBrowser(t, f)
	b.login("clerkA", testPassword)
	nav := b.text("#sidenav")
	if !(strings.Index(nav, "闲置资产库") < strings.Index(nav, "购置需求") && strings.Index(nav, "购置需求") < strings.Index(nav, "调剂")) {
		t.Errorf("navigation = %q; want 闲置资产库 · 购置需求 · 调剂 in that order", nav)
	}
	b.click(`#sidenav a[data-page="requests"]`)
	b.waitText("#page h1", "购置需求")
	b.waitText("#request-list", "还没有购置需求")
	b.shot("requests-empty")

	// The form: category from the tree (it names the item), quantity, price, reason, and the
	// old card to replace, found by searching the register.
	form := `form[data-form="create-request"]`
	b.click(`button[data-action="create-request"]`)
	b.waitVisible(form)
	b.choose(form+` select[name="category_code"]`, "A02010105")
	if v := eval[string](b, `document.querySelector('`+form+` input[name="name"]').value`); v != "台式计算机" {
		t.Errorf("name after choosing the category = %q; want 台式计算机", v)
	}
	b.fill(form+` input[name="quantity"]`, "1")
	b.fill(form+` input[name="unit_price"]`, "4500")
	b.fill(form+` textarea[name="requirements"]`, "i5 处理器，8G 内存，能运行办公软件")
	b.fill(form+` textarea[name="reason"]`, "原计算机老化，经常死机")
	b.fill("#request-replace-search", "UA-D09")
	b.waitText(form+" .pick-found", "旧台式计算机")
	b.click(form + ` .pick-found li[data-id="` + itoa(old.ID) + `"] button[data-action="add-replace"]`)
	b.waitText("#request-replaces", "UA-D09")
	b.waitText(form+` button[data-action="submit"]`, "提交需求")
	b.shot("request-form")

	// A mistake is named next to its field and nothing is sent.
	b.fill(form+` input[name="unit_price"]`, "四千五")
	b.click(form + ` button[data-action="submit"]`)
	b.waitText(form+` [data-field="unit_price"] .field-error`, "预算单价应为金额")
	b.fill(form+` input[name="unit_price"]`, "4500")
	b.click(form + ` button[data-action="submit"]`)
	b.waitGone(form)

	// The request's page: matched at once on submit, with the proposal and its reasons.
	b.waitText("#page h1", "台式计算机")
	b.waitText("#request-status", "已匹配")
	b.waitText("#request-proposals", "同类：台式计算机")
	b.waitText("#request-proposals", "兴仁街道")
	b.waitText("#request-proposals", "UB-D01")
	b.waitText("#request-proposals", "待确认")
	b.waitText("#request-proposals", "得分构成")
	b.waitText(".request-standards", "符合配置标准")
	b.waitText(".request-standards", "台式计算机")
	b.waitText(".request-info", "UA-D09")
	b.waitText(".request-info", "¥4,500.00")
	b.waitText(".request-info", "完好及以上")
	b.waitText(".request-progress", "尚缺")
	if n := eval[int](b, `document.querySelectorAll('.request-nomatch').length`); n != 0 {
		t.Errorf("a fully matched request shows the 调剂查询记录")
	}
	if n := eval[int](b, `document.querySelectorAll('button[data-action="submit-request"], button[data-action="edit-request"]').length`); n != 0 {
		t.Errorf("a submitted request still offers 提交 or 编辑")
	}
	b.waitVisible(`button[data-action="withdraw-request"]`)
	b.shot("request-detail")

	// The list shows it with its figures.
	b.click(`a[data-action="back"]`)
	b.waitText("#request-list", "台式计算机")
	b.waitText("#request-list", "已匹配")
	b.waitText("#request-list .table-footer", "共 1 项需求")
	b.waitText("#request-list .table-footer", "预算合计 ¥4,500.00")
	b.shot("requests-list")

	// Clerk B sees its idle desktop chosen for unit A's request.
	b.click(`button[data-action="logout"]`)
	b.waitVisible("#login-form")
	b.login("clerkB", testPassword)
	b.open("/#/matching")
	b.waitText("#page h1", "调剂")
	b.waitText("#proposals-from-us", "UB-D01")
	b.waitText("#proposals-from-us", "经济发展局")
	b.waitText("#proposals-for-us", "本单位的需求还没有获得调剂建议")
	if href := eval[string](b, `document.querySelector('#proposals-from-us a.proposal-asset-name').getAttribute('href')`); href != "#/assets/"+itoa(desk.ID) {
		t.Errorf("clerk B's item links to %q; want its card", href)
	}
	b.shot("matching-clerk-b")

	// Finance runs matching and finds the proposal listed with its reasons.
	b.click(`button[data-action="logout"]`)
	b.waitVisible("#login-form")
	b.login("finance", testPassword)
	b.click(`#sidenav a[data-page="matching"]`)
	b.waitText("#page h1", "调剂")
	b.waitText("#proposal-list", "台式计算机")
	b.click(`button[data-action="run-matching"]`)
	b.waitText("#match-result", "条调剂建议")
	b.waitText("#match-result", "项需求获得匹配")
	b.waitText("#match-result", "过期释放")
	b.waitText("#match-runs", "手动运行")
	b.waitText("#proposal-list", "经济发展局")
	b.waitText("#proposal-list", "同类：台式计算机")
	b.waitText("#proposal-list .table-footer", "共 1 条调剂建议")
	b.shot("matching-finance")

	// Filtered by status the proposal leaves the list, and comes back with the filter cleared.
	b.choose("#proposal-status", "received")
	b.waitText("#proposal-list", "没有符合条件的调剂建议")
	b.click(`button[data-action="clear-filters-empty"]`)
	b.waitText("#proposal-list .table-footer", "共 1 条调剂建议")

	// Finance reads every unit's requests and opens this one.
	b.click(`#sidenav a[data-page="requests"]`)
	b.waitText("#request-list", "经济发展局")
	b.click(`#request-list a[data-action="open-request"]`)
	b.waitText("#request-status", "已匹配")
	b.waitVisible(`a[data-action="go-matching"]`)
	if n := eval[int](b, `document.querySelectorAll('button[data-action="withdraw-request"]').length`); n != 0 {
		t.Errorf("finance is offered 撤回 on a unit's request")
	}
}

// TestBrowserRequestsNoMatch is a draft filed, edited and submitted when the pool holds nothing
// of its kind: the page shows 已提交, what is still lacking and the 调剂查询记录.
func TestBrowserRequestsNoMatch(t *testing.T) {
	f := newFixture(t)
	b := newBrowser(t, f)
	b.login("clerkA", testPassword)
	b.open("/#/requests")
	b.click(`button[data-action="create-request"]`)
	form := `form[data-form="create-request"]`
	b.waitVisible(form)
	b.choose(form+` select[name="category_code"]`, "A05010502")
	b.fill(form+` input[name="quantity"]`, "2")
	b.fill(form+` input[name="unit_price"]`, "900")
	b.click("#request-submit-now")
	b.waitText(form+` button[data-action="submit"]`, "保存草稿")
	b.click(form + ` button[data-action="submit"]`)
	b.waitGone(form)
	b.waitText("#request-status", "草稿")
	b.waitText(".request-standards", "提交时会自动对照配置标准")

	// A draft is edited in place: the price goes over the cap.
	b.click(`button[data-action="edit-request"]`)
	edit := `form[data-form="edit-request"]`
	b.waitVisible(edit)
	b.fill(edit+` input[name="unit_price"]`, "1500")
	b.click(edit + ` button[data-action="submit"]`)
	b.waitGone(edit)
	b.waitText(".request-info", "¥1,500.00")
	b.waitText(".request-info", "¥3,000.00")

	b.click(`button[data-action="submit-request"]`)
	b.waitText("#request-status", "已提交")
	b.waitText(".request-standards", "单价超标")
	b.waitText(".request-nomatch", "调剂查询记录")
	b.waitText(".request-progress", "2 件")
	b.waitText("#request-proposals", "暂无调剂建议")
	b.shot("request-no-match")

	b.click(`button[data-action="withdraw-request"]`)
	b.waitVisible(`form[data-form="confirm"]`)
	b.click(`form[data-form="confirm"] button[data-action="submit"]`)
	b.waitText("#request-status", "已撤回")
}

// TestBrowserRequestsImport files requests from a spreadsheet: the preview names a mistake by
// the row and the column of the clerk's own file and saves nothing; the corrected file is
// previewed, then imported and submitted.
func TestBrowserRequestsImport(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	head := "分类代码,品目名称,数量,预算单价（元）,购置理由,最低成色\n"
	bad := filepath.Join(dir, "需求-有误.csv")
	good := filepath.Join(dir, "需求.csv")
	if err := os.WriteFile(bad, []byte(head+"A02010105,台式计算机,2,4500,新进人员,完好\nA05010301,办公椅,两把,700,,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte(head+"A02010105,台式计算机,2,4500,新进人员,完好\nA05010301,办公椅,2,700,,\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, f)
	b.login("clerkA", testPassword)
	b.open("/#/requests")
	b.waitText("#request-list", "还没有购置需求")
	b.click(`button[data-action="import-requests"]`)
	dlg := `form[data-form="import-requests"]`
	b.waitVisible(dlg)
	if href := eval[string](b, `document.querySelector('a[data-action="download-request-template"]').getAttribute('href')`); href != "/api/v1/templates/requests.xlsx" {
		t.Errorf("template link = %q", href)
	}
	b.upload("#request-import-file", bad)
	b.waitText("#request-import-preview", "1 处错误")
	b.waitText("#request-import-preview .import-error-table", "数量")
	b.waitText("#request-import-preview .import-error-table", "3")
	if ok := eval[bool](b, `document.querySelector('button[data-action="confirm-import"]').disabled`); !ok {
		t.Errorf("确认导入 is enabled for a file with mistakes")
	}
	b.shot("requests-import-errors")

	b.upload("#request-import-file", good)
	b.waitText("#request-import-preview", "可导入 2 项购置需求")
	b.waitText("#request-import-preview .import-request-table", "办公椅")
	b.waitText("#request-import-preview .import-request-table", "¥4,500.00")
	b.shot("requests-import-preview")
	b.click(`button[data-action="confirm-import"]`)
	b.waitGone(dlg)
	b.waitText("#request-list .table-footer", "共 2 项需求")
	b.waitText("#request-list", "办公椅")
	if s := b.text("#request-list"); strings.Contains(s, "草稿") {
		t.Errorf("imported requests were not submitted: %q", s)
	}
}

// mustDate parses a YYYY-MM-DD date or fails the test.
func mustDate(t *testing.T, s string) models.Date {
	t.Helper()
	d, err := models.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
