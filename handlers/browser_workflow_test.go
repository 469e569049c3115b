package handlers

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"assetpool/app"
	"assetpool/models"
)

// TestBrowserWorkflowReassignDesktop is the whole reassignment in the browser with three
// accounts: unit A has an idle desktop; clerk B files a request for one and submits it, and
// matching proposes A's item; clerk B accepts it on the request's page; clerk A sees it chosen
// in 待办, with the count in the navigation; finance approves it in 待办 and the transfer order
// exists; clerk A hands it over; clerk B receives it with a transfer cost; the item is in B's
// register, the order page shows its number and figures, and 调拨单 shows the saving.
func TestBrowserWorkflowReassignDesktop(t *testing.T) {
	f := newFixture(t)
	poolTestCard(t, f, f.unitA, models.Asset{AssetNo: "UA-D01", Name: "台式计算机", CategoryCode: "A02010105",
		MeasureUnit: "台", OriginalValue: 480000, UsageStatus: models.UsageIdle, Condition: models.ConditionUsable,
		Brand: "联想", Model: "启天M437"})

	b := newBrowser(t, f)
	b.login("clerkB", testPassword)
	nav := b.text("#sidenav")
	for _, want := range []string{"待办", "调剂", "调拨单"} {
		if !strings.Contains(nav, want) {
			t.Errorf("clerk navigation = %q; want %s", nav, want)
		}
	}
	if strings.Contains(nav, "审计日志") {
		t.Errorf("clerk navigation offers 审计日志: %q", nav)
	}

	// Clerk B files and submits a request: matching proposes unit A's desktop at once.
	b.open("/#/requests")
	form := `form[data-form="create-request"]`
	b.click(`button[data-action="create-request"]`)
	b.waitVisible(form)
	b.choose(form+` select[name="category_code"]`, "A02010105")
	b.fill(form+` input[name="quantity"]`, "1")
	b.fill(form+` input[name="unit_price"]`, "4500")
	b.click(form + ` button[data-action="submit"]`)
	b.waitGone(form)
	b.waitText("#request-status", "已匹配")
	b.waitText("#request-proposals", "UA-D01")
	b.waitText("#request-proposals", "待确认")
	b.waitVisible(`#request-proposals button[data-action="proposal-decline"]`)
	b.shot("workflow-request-proposed")

	// 确认接收 on the request's page.
	b.click(`#request-proposals button[data-action="proposal-accept"]`)
	b.waitText("#request-proposals", "已确认·待审批")
	b.waitGone(`#request-proposals button[data-action="proposal-accept"]`)
	b.waitText(".notices", "已确认接收")

	// Clerk A sees the item chosen in 待办, counted in the navigation.
	b.relogin("clerkA")
	b.waitText(`#sidenav a[data-page="inbox"] .nav-count`, "1")
	b.click(`#sidenav a[data-page="inbox"]`)
	b.waitText("#page h1", "待办")
	b.waitText("#inbox-chosen", "UA-D01")
	b.waitText("#inbox-chosen", "已确认·待审批")
	b.waitText("#inbox-chosen", "台式计算机")
	b.waitVisible(`#inbox-chosen button[data-action="proposal-object"]`)
	b.shot("workflow-clerk-a-inbox")

	// Finance approves in 待办: the dialog takes a comment; the transfer order is made.
	b.relogin("finance")
	nav = b.text("#sidenav")
	for _, want := range []string{"待办", "调拨单", "审计日志"} {
		if !strings.Contains(nav, want) {
			t.Errorf("finance navigation = %q; want %s", nav, want)
		}
	}
	b.waitText(`#sidenav a[data-page="inbox"] .nav-count`, "1")
	b.open("/#/inbox")
	b.waitText("#inbox-to_approve", "UA-D01")
	b.waitText("#inbox-to_approve", "经济发展局")
	b.click(`#inbox-to_approve button[data-action="proposal-approve"]`)
	dlg := `form[data-form="proposal-approve"]`
	b.waitVisible(dlg)
	b.waitText(dlg, "兴仁街道")
	b.fill(dlg+` textarea[name="text"]`, "同意调剂")
	b.shot("workflow-approve-dialog")
	b.click(dlg + ` button[data-action="submit"]`)
	b.waitGone(dlg)
	b.waitText("#inbox-to_approve", "没有待审批的调剂")

	// On 调剂 the proposal stands approved, with its transfer order; its page has the history.
	b.open("/#/matching")
	b.waitText("#proposal-list", "已批准·待移交")
	href := eval[string](b, `(document.querySelector('#proposal-list a[data-action="open-order"]') || {}).getAttribute?.('href') || ''`)
	if !regexp.MustCompile(`^/api/v1/transfers/\d+/order\.html$`).MatchString(href) {
		t.Errorf("transfer order link = %q", href)
	}
	if target := eval[string](b, `document.querySelector('#proposal-list a[data-action="open-order"]').target`); target != "_blank" {
		t.Errorf("transfer order opens in %q; want a new tab", target)
	}
	b.click(`#proposal-list a[data-action="open-proposal"]`)
	b.waitText("#proposal-status", "已批准·待移交")
	b.waitText(".proposal-history", "批准调剂")
	b.waitText(".proposal-history", "确认接收调剂建议")
	b.waitText(".proposal-history", "同意调剂")
	b.shot("workflow-proposal-page")

	// Clerk A hands the item over from 待办, with the hand-over list at hand.
	b.relogin("clerkA")
	b.open("/#/inbox")
	b.waitText("#inbox-to_hand_over", "UA-D01")
	if h := eval[string](b, `document.querySelector('.inbox-to_hand_over a[data-action="handover-list"]').getAttribute('href')`); h != "/api/v1/transfers/handover.html?unit=UA" {
		t.Errorf("hand-over list link = %q", h)
	}
	b.click(`#inbox-to_hand_over button[data-action="proposal-handover"]`)
	dlg = `form[data-form="proposal-handover"]`
	b.waitVisible(dlg)
	b.click(dlg + ` button[data-action="submit"]`)
	b.waitGone(dlg)
	b.waitText("#inbox-to_hand_over", "没有待移交的资产")

	// Clerk B receives it with a transfer cost; a bad amount is named in the dialog.
	b.relogin("clerkB")
	b.waitText(`#sidenav a[data-page="inbox"] .nav-count`, "1")
	b.open("/#/inbox")
	b.waitText("#inbox-to_receive", "UA-D01")
	b.click(`#inbox-to_receive button[data-action="proposal-receive"]`)
	dlg = `form[data-form="proposal-receive"]`
	b.waitVisible(dlg)
	// The item still has life left: what moving it costs is part of its cost.
	b.waitText(dlg+" #receive-cost-booking", "计入调入资产的成本")
	b.fill(dlg+` input[name="transfer_cost"]`, "两百")
	b.click(dlg + ` button[data-action="submit"]`)
	b.waitText(dlg+" .form-error", "调剂费用应为金额")
	b.fill(dlg+` input[name="transfer_cost"]`, "200")
	b.click(dlg + ` button[data-action="submit"]`)
	b.waitGone(dlg)
	b.waitText("#inbox-to_receive", "没有待接收的资产")
	b.waitText("#inbox-summary", "暂无待办事项")
	b.waitGone(`#sidenav a[data-page="inbox"] .nav-count:not([hidden])`)

	// The item is in unit B's register now.
	b.open("/#/assets")
	b.waitText("#asset-list", "台式计算机")
	b.waitText("#asset-list .table-footer", "共 1 张卡片")

	// 调拨单: the transfer, received, and the saving of this reassignment.
	b.click(`#sidenav a[data-page="transfers"]`)
	b.waitText("#page h1", "调拨单")
	b.waitText("#transfer-list", "已接收")
	b.waitText("#transfer-list", "¥4,800.00")
	b.waitText("#transfer-list", "王科长")
	b.waitText("#transfer-list .table-footer", "共 1 张调拨单")
	b.waitText("#savings", "¥4,300.00")
	b.waitText("#savings", "¥200.00")
	no := strings.TrimSpace(b.text("#transfer-list a.transfer-no"))
	if no == "" {
		t.Fatalf("no transfer number on 调拨单")
	}
	if h := eval[string](b, `document.querySelector('#transfer-list a[data-action="order-xlsx"]').getAttribute('href')`); !strings.HasSuffix(h, "/order.xlsx") {
		t.Errorf("Excel link = %q", h)
	}
	b.shot("workflow-transfers")

	// The printable transfer order shows its number and the figures.
	order := eval[string](b, `document.querySelector('#transfer-list a[data-action="order-html"]').getAttribute('href')`)
	b.open(order)
	b.waitText("body", no)
	b.waitText("body", "4,800.00")
	b.waitText("body", "经济发展局")
	b.waitText("body", "兴仁街道")
	b.waitText("body", "运输等费用 ¥200.00 计入调入资产成本")
	b.shot("workflow-order")
}

// TestBrowserWorkflowDecline is the other way a proposal ends: clerk A objects to giving the
// chosen chairs (finance finds the objection in 待办), then clerk B declines the offered item
// with a reason, which is required, and the proposal shows it declined with the reason.
func TestBrowserWorkflowDecline(t *testing.T) {
	f := newFixture(t)
	poolTestCard(t, f, f.unitA, models.Asset{AssetNo: "UA-C01", Name: "办公椅", CategoryCode: "A05010301",
		Quantity: 2, MeasureUnit: "把", OriginalValue: 120000, UsageStatus: models.UsageIdle, Condition: models.ConditionUsable})

	b := newBrowser(t, f)
	b.login("clerkB", testPassword)
	b.open("/#/requests")
	form := `form[data-form="create-request"]`
	b.click(`button[data-action="create-request"]`)
	b.waitVisible(form)
	b.choose(form+` select[name="category_code"]`, "A05010301")
	b.fill(form+` input[name="quantity"]`, "2")
	b.fill(form+` input[name="unit_price"]`, "600")
	b.click(form + ` button[data-action="submit"]`)
	b.waitGone(form)
	b.waitText("#request-proposals", "UA-C01")
	id := eval[string](b, `document.querySelector('#request-detail').dataset.request`)

	// Clerk A objects on 调剂; the objection stands on the proposal as a warning.
	b.relogin("clerkA")
	b.open("/#/matching")
	b.waitText("#proposals-from-us", "UA-C01")
	b.click(`#proposals-from-us button[data-action="proposal-object"]`)
	dlg := `form[data-form="proposal-object"]`
	b.waitVisible(dlg)
	b.fill(dlg+` textarea[name="text"]`, "这两把椅子已安排给新进人员")
	b.click(dlg + ` button[data-action="submit"]`)
	b.waitGone(dlg)
	b.waitText("#proposals-from-us", "来源单位有异议")
	b.waitText("#proposals-from-us", "这两把椅子已安排给新进人员")

	b.relogin("finance")
	b.open("/#/inbox")
	b.waitText("#inbox-objections", "这两把椅子已安排给新进人员")
	b.waitText("#inbox-objections", "UA-C01")
	b.shot("workflow-objection")

	b.relogin("clerkB")
	b.open("/#/requests/" + id)
	b.waitText("#request-proposals", "来源单位有异议")
	b.click(`#request-proposals button[data-action="proposal-decline"]`)
	dlg = `form[data-form="proposal-decline"]`
	b.waitVisible(dlg)
	b.waitText(dlg, "谢绝理由")
	b.click(dlg + ` button[data-action="submit"]`)
	b.waitText(dlg+" .form-error", "请填写谢绝理由")
	b.fill(dlg+` textarea[name="text"]`, "颜色与会议室不配套")
	b.click(dlg + ` button[data-action="submit"]`)
	b.waitGone(dlg)
	b.waitText("#request-proposals", "已谢绝")
	b.waitText("#request-proposals", "颜色与会议室不配套")
	b.shot("workflow-declined")

	// The proposal's page tells what happened, and no action is left on it.
	b.click(`#request-proposals a[data-action="open-proposal"]`)
	b.waitText("#proposal-status", "已谢绝")
	b.waitText(".proposal-history", "谢绝调剂建议")
	b.waitText(".proposal-history", "颜色与会议室不配套")
	if n := eval[int](b, `document.querySelectorAll('#proposal-detail button[data-action^="proposal-"]').length`); n != 0 {
		t.Errorf("a declined proposal still offers %d actions", n)
	}
}

// TestBrowserWorkflowPurchaseDecision is finance deciding on a purchase: a request the pool
// cannot meet shows its 调剂查询记录, finance approves buying with a comment, and the decision
// stands on the request's page with who made it.
func TestBrowserWorkflowPurchaseDecision(t *testing.T) {
	f := newFixture(t)
	b := newBrowser(t, f)
	b.login("clerkB", testPassword)
	b.open("/#/requests")
	form := `form[data-form="create-request"]`
	b.click(`button[data-action="create-request"]`)
	b.waitVisible(form)
	b.choose(form+` select[name="category_code"]`, "A05010502")
	b.fill(form+` input[name="quantity"]`, "2")
	b.fill(form+` input[name="unit_price"]`, "900")
	b.click(form + ` button[data-action="submit"]`)
	b.waitGone(form)
	b.waitText("#request-status", "已提交")
	b.waitText(".request-nomatch", "调剂查询记录")
	if n := eval[int](b, `document.querySelectorAll('button[data-action="purchase-approve"]').length`); n != 0 {
		t.Errorf("a clerk is offered 批准购置")
	}
	id := eval[string](b, `document.querySelector('#request-detail').dataset.request`)

	b.relogin("finance")
	b.open("/#/inbox")
	b.waitText("#inbox-purchases", "文件柜")
	b.open("/#/requests/" + id)
	b.waitText(".request-purchase", "批准购置")
	b.click(`.request-purchase button[data-action="purchase-reject"]`)
	dlg := `form[data-form="purchase-reject"]`
	b.waitVisible(dlg)
	b.click(dlg + ` button[data-action="submit"]`)
	b.waitText(dlg+" .form-error", "请填写不批准的理由")
	b.click(dlg + ` button[data-action="cancel"]`)
	b.waitGone(dlg)

	b.click(`.request-purchase button[data-action="purchase-approve"]`)
	dlg = `form[data-form="purchase-approve"]`
	b.waitVisible(dlg)
	b.fill(dlg+` textarea[name="comment"]`, "闲置资产库中没有同类资产，同意购置")
	b.click(dlg + ` button[data-action="submit"]`)
	b.waitGone(dlg)
	b.waitText("#purchase-decision", "已批准购置")
	b.waitText("#purchase-decision", "王科长")
	b.waitText("#purchase-decision", "同意购置")
	b.waitText("#request-status", "已批准购置")
	b.waitGone(`.request-purchase button[data-action="purchase-approve"]`)
	b.waitGone(`#sidenav a[data-page="inbox"] .nav-count:not([hidden])`)
	b.shot("workflow-purchase-decision")

	// The audit log has it, and a row unfolds to the record.
	b.click(`#sidenav a[data-page="audit"]`)
	b.waitText("#page h1", "审计日志")
	b.waitText("#audit-list", "提交购置需求")
	b.choose("#audit-entity", "request")
	b.waitText("#audit-list", "clerkB")
	b.click(`#audit-list button[data-action="toggle-record"]`)
	b.waitVisible("#audit-list .audit-detail pre.record-json")
	b.shot("workflow-audit")
}

// TestBrowserWorkflowOwnUnitReuse is a unit's own idle desktop proposed for its own request:
// clerk A files the request, is offered the unit's own item and confirms 确认再利用 in a
// dialog that says what follows; the proposal is 已接收 at once, the request met, the card in
// use with its number and books, nothing waits in anyone's 待办, 调拨单 lists no transfer and
// the saving stands without one.
func TestBrowserWorkflowOwnUnitReuse(t *testing.T) {
	f := newFixture(t)
	card := poolTestCard(t, f, f.unitA, models.Asset{AssetNo: "UA-D09", Name: "台式计算机", CategoryCode: "A02010105",
		MeasureUnit: "台", OriginalValue: 520000, UsageStatus: models.UsageIdle, Condition: models.ConditionUsable,
		Custodian: "赵六", Location: "二楼库房"})

	b := newBrowser(t, f)
	b.login("clerkA", testPassword)
	b.open("/#/requests")
	form := `form[data-form="create-request"]`
	b.click(`button[data-action="create-request"]`)
	b.waitVisible(form)
	b.choose(form+` select[name="category_code"]`, "A02010105")
	b.fill(form+` input[name="quantity"]`, "1")
	b.fill(form+` input[name="unit_price"]`, "4800")
	b.click(form + ` button[data-action="submit"]`)
	b.waitGone(form)
	b.waitText("#request-proposals", "UA-D09")
	b.waitText("#request-proposals", "本单位已有闲置同类资产")
	if n := eval[int](b, `document.querySelectorAll('#request-proposals button[data-action="proposal-object"], #request-proposals button[data-action="proposal-handover"]').length`); n != 0 {
		t.Errorf("the own clerk is offered %d objection or hand-over buttons", n)
	}
	if label := b.text(`#request-proposals button[data-action="proposal-accept"]`); label != "确认再利用" {
		t.Errorf("accept button reads %q; want 确认再利用", label)
	}
	b.click(`#request-proposals button[data-action="proposal-accept"]`)
	dlg := `form[data-form="proposal-accept"]`
	b.waitVisible(dlg)
	b.waitText(dlg, "不需要财政审批")
	b.waitText(dlg, "不生成调拨单")
	b.shot("workflow-own-reuse-dialog")
	b.click(dlg + ` button[data-action="submit"]`)
	b.waitGone(dlg)
	b.waitText(".notices", "已确认再利用")
	b.waitText("#request-proposals", "已接收")
	b.waitText("#request-status", "已调剂满足")
	b.waitGone(`#request-proposals button[data-action^="proposal-"]`)

	// The proposal's page says it is done, and its history names the step.
	b.click(`#request-proposals a[data-action="open-proposal"]`)
	b.waitText("#proposal-status", "已接收")
	b.waitText(".proposal-next", "本单位闲置资产已恢复在用")
	b.waitText(".proposal-history", "确认本单位再利用")
	if n := eval[int](b, `document.querySelectorAll('#proposal-detail a[data-action="open-order"]').length`); n != 0 {
		t.Errorf("an own-unit reuse links %d transfer orders", n)
	}
	b.shot("workflow-own-reuse-proposal")

	// The card is back in use, unchanged otherwise.
	b.open("/#/assets/" + itoa(card.ID))
	b.waitText("#page", "UA-D09")
	b.waitText("#page", "在用")
	b.waitText("#page", "二楼库房")

	// 调拨单: no transfer order; the saving of the reuse, without one.
	b.click(`#sidenav a[data-page="transfers"]`)
	b.waitText("#transfer-list", "还没有调拨单")
	b.waitText("#savings", "¥4,800.00")
	b.waitText("#savings", "本单位再利用")
	b.waitText("#savings", "本单位闲置资产再利用")
	b.waitGone(`#sidenav a[data-page="inbox"] .nav-count:not([hidden])`)

	// Finance has nothing to approve, and the proposal offers it nothing.
	b.relogin("finance")
	b.open("/#/inbox")
	b.waitText("#inbox-to_approve", "没有待审批的调剂")
	resp, body := f.do(request{method: "GET", path: "/api/v1/transfers", as: "finance"})
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"total":0`) {
		t.Errorf("transfers after an own-unit reuse: %d %s", resp.StatusCode, body)
	}
}

// TestBrowserWorkflowApproveDialogShowsTheBookedFigures: finance's approval dialog shows the
// figures approval books — original value, accumulated depreciation and net value at the end
// of last month, what the receiver books and the months left — with the sentence why it is
// last month's figure; the transfer order then carries exactly those figures.
func TestBrowserWorkflowApproveDialogShowsTheBookedFigures(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Bought 20 months ago: well inside its 6-year life, so this month's charge would show.
	now := f.app.Today()
	acquired := models.DateOf(time.Date(now.Year, now.Month-20, 15, 12, 0, 0, 0, time.UTC))
	poolTestCard(t, f, f.unitA, models.Asset{AssetNo: "UA-D07", Name: "台式计算机", CategoryCode: "A02010105",
		MeasureUnit: "台", OriginalValue: 599999, AcquiredOn: acquired, UsageStatus: models.UsageIdle, Condition: models.ConditionUsable})
	f.app.WaitBackground()
	clerkB := f.users["clerkB"]
	r, err := f.app.CreateRequest(ctx, clerkB, app.RequestInput{CategoryCode: "A02010105", Name: "台式计算机", Quantity: 1, UnitPrice: 500000})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.SubmitRequest(ctx, clerkB, r.ID); err != nil {
		t.Fatal(err)
	}
	ps, err := f.app.RequestProposals(ctx, clerkB, r.ID)
	if err != nil || len(ps) != 1 {
		t.Fatalf("proposals: %+v %v", ps, err)
	}
	if _, err := f.app.ActOnProposal(ctx, clerkB, ps[0].ID, models.ActionAccept, app.ProposalInput{}); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, f)
	b.login("finance", testPassword)
	b.open("/#/inbox")
	b.waitText("#inbox-to_approve", "UA-D07")
	b.click(`#inbox-to_approve button[data-action="proposal-approve"]`)
	dlg := `form[data-form="proposal-approve"]`
	b.waitVisible(dlg + " #approve-books")
	b.waitText(dlg, "当月减少当月不提")
	b.waitText(dlg, "当月增加当月计提")
	lastMonthEnd := models.DateOf(time.Date(now.Year, now.Month, 1, 12, 0, 0, 0, time.UTC).AddDate(0, 0, -1)).String()
	b.waitText(dlg+" #approve-books", "截至 "+lastMonthEnd)
	figures := map[string]string{}
	for _, k := range []string{"original_value", "accumulated_depreciation", "net_value", "booked_value", "life_months"} {
		figures[k] = strings.TrimSpace(b.text(dlg + ` #approve-books dd[data-figure="` + k + `"]`))
	}
	b.shot("workflow-approve-books")
	b.click(dlg + ` button[data-action="submit"]`)
	b.waitGone(dlg)
	b.waitText("#inbox-to_approve", "没有待审批的调剂")

	var tr app.TransferView
	resp, body := f.do(request{method: "GET", path: "/api/v1/transfers", as: "finance"})
	page := decode[app.TransferPage](t, body)
	if resp.StatusCode != 200 || len(page.Items) != 1 {
		t.Fatalf("transfers: %d %s", resp.StatusCode, body)
	}
	tr = page.Items[0]
	want := map[string]string{"original_value": tr.OriginalValue.String(), "accumulated_depreciation": tr.Accumulated.String(),
		"net_value": tr.NetValue.String(), "booked_value": tr.BookedValue.String(),
		"life_months": fmt.Sprintf("%d 个月（自本月起计提折旧）", tr.LifeMonths)}
	for k, v := range want {
		if figures[k] != v {
			t.Errorf("the dialog showed %s %q; the transfer order carries %q", k, figures[k], v)
		}
	}
	// The month's own charge is not in it: as of today the net value would be one month less.
	card := models.Asset{OriginalValue: 599999, AcquiredOn: acquired, Quantity: 1}
	if today := card.Schedule(models.ClassLife{Depreciated: true, Years: 6}, now); today.Net.String() == figures["net_value"] {
		t.Errorf("the dialog's net value %s is today's, not last month's", figures["net_value"])
	}
	// The printed order has the same figures.
	b.open("/api/v1/transfers/" + itoa(tr.ID) + "/order.html")
	b.waitText("body", tr.No)
	cells := eval[[]string](b, `[...document.querySelectorAll('table.items tbody td.money')].map((td) => td.textContent.trim())`)
	if len(cells) != 4 || cells[0] != figures["original_value"] || cells[1] != figures["accumulated_depreciation"] ||
		cells[2] != figures["net_value"] || cells[3] != figures["booked_value"] {
		t.Errorf("order figures %q; the dialog showed %v", cells, figures)
	}
}

// relogin signs the current user out and username in.
func (b *browser) relogin(username string) {
	b.t.Helper()
	b.click(`button[data-action="logout"]`)
	b.waitVisible("#login-form")
	b.login(username, testPassword)
}

// TestBrowserWorkflowAdminPages is the administrator's share: 调拨单 and 审计日志 in the
// navigation (no 待办, no counts), the empty transfer list saying what fills it, and the audit
// log filtered by unit and action.
func TestBrowserWorkflowAdminPages(t *testing.T) {
	b := newBrowser(t, newFixture(t))
	b.login("admin", testPassword)
	nav := b.text("#sidenav")
	if !strings.Contains(nav, "调拨单") || !strings.Contains(nav, "审计日志") || strings.Contains(nav, "待办") {
		t.Errorf("admin navigation = %q; want 调拨单 and 审计日志 without 待办", nav)
	}
	b.click(`#sidenav a[data-page="transfers"]`)
	b.waitText("#transfer-list", "还没有调拨单")
	b.waitText("#savings", "还没有节约记录")

	b.click(`#sidenav a[data-page="audit"]`)
	b.waitText("#audit-list", "新增用户")
	b.chooseLabel("#audit-unit", "兴仁街道")
	b.waitText("#audit-list .table-footer", "已显示 2 条记录")
	b.fill("#audit-action", "unit.create")
	b.waitText("#audit-list .table-footer", "已显示 1 条记录")
	b.waitText("#audit-list", "新增单位")
	if s := b.text("#audit-list tbody"); strings.Contains(s, "新增用户") {
		t.Errorf("filtered by unit.create the log still lists 新增用户: %q", s)
	}
	b.click(`button[data-action="clear-filters"]`)
	b.waitText("#audit-list", "新增用户")
}

// TestBrowserWorkflowApproveBooksThatDisagree: unit A's ledger says its desktop, bought 20
// months ago, has no depreciation at the end of last month — far from the schedule. Finance's
// approval dialog shows both figures and the difference; 批准 stays disabled until finance
// ticks that they checked them; the printed order then says so, with the schedule's figures.
func TestBrowserWorkflowApproveBooksThatDisagree(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	now := f.app.Today()
	acquired := models.DateOf(time.Date(now.Year, now.Month-20, 15, 12, 0, 0, 0, time.UTC))
	card := poolTestCard(t, f, f.unitA, models.Asset{AssetNo: "UA-D21", Name: "台式计算机", CategoryCode: "A02010105",
		MeasureUnit: "台", OriginalValue: 600000, AcquiredOn: acquired, UsageStatus: models.UsageIdle, Condition: models.ConditionUsable})
	zero := models.Money(0)
	if _, err := f.app.CorrectBooks(ctx, f.users["clerkA"], card.ID, app.BooksCorrection{Version: card.Version, Mode: app.BooksToStated,
		AccumulatedDepreciation: &zero, Reason: "单位财务账未计提折旧"}); err != nil {
		t.Fatal(err)
	}
	f.app.WaitBackground()
	clerkB := f.users["clerkB"]
	r, err := f.app.CreateRequest(ctx, clerkB, app.RequestInput{CategoryCode: "A02010105", Name: "台式计算机", Quantity: 1, UnitPrice: 500000})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.SubmitRequest(ctx, clerkB, r.ID); err != nil {
		t.Fatal(err)
	}
	ps, err := f.app.RequestProposals(ctx, clerkB, r.ID)
	if err != nil || len(ps) != 1 {
		t.Fatalf("proposals: %+v %v", ps, err)
	}
	if _, err := f.app.ActOnProposal(ctx, clerkB, ps[0].ID, models.ActionAccept, app.ProposalInput{}); err != nil {
		t.Fatal(err)
	}
	pre, err := f.app.Proposal(ctx, f.users["finance"], ps[0].ID)
	if err != nil || pre.Books == nil || !pre.Books.Disagrees {
		t.Fatalf("the proposal's books: %+v %v", pre, err)
	}
	bk := pre.Books

	b := newBrowser(t, f)
	b.login("finance", testPassword)
	b.open("/#/inbox")
	b.waitText("#inbox-to_approve", "UA-D21")
	b.click(`#inbox-to_approve button[data-action="proposal-approve"]`)
	dlg := `form[data-form="proposal-approve"]`
	b.waitVisible(dlg + " #approve-books-check")
	b.waitText(dlg+" #approve-books-check", "账账不符")
	b.waitText(dlg+" #approve-books-check", "截至 "+bk.AsOf.String())
	for k, want := range map[string]string{"books-accumulated": "¥0.00", "schedule-accumulated": bk.ScheduleAccumulated.String(),
		"books-net": bk.NetValue.String(), "schedule-net": bk.ScheduleNet.String(), "difference": (-bk.Difference).String()} {
		if got := strings.TrimSpace(b.text(dlg + ` [data-figure="` + k + `"]`)); got != want {
			t.Errorf("the dialog shows %s %q, want %q", k, got, want)
		}
	}
	b.waitText(dlg+" #approve-books-check", "少")
	submit := dlg + ` button[data-action="submit"]`
	if !eval[bool](b, `document.querySelector(`+js(submit)+`).disabled`) {
		t.Errorf("批准 is enabled before the difference is acknowledged")
	}
	b.shot("workflow-approve-disagree")
	b.click(dlg + " #approve-books-ack")
	if eval[bool](b, `document.querySelector(`+js(submit)+`).disabled`) {
		t.Fatalf("批准 stays disabled after the box is ticked")
	}
	b.click(submit)
	b.waitGone(dlg)
	b.waitText("#inbox-to_approve", "没有待审批的调剂")

	_, body := f.do(request{method: "GET", path: "/api/v1/transfers", as: "finance"})
	page := decode[app.TransferPage](t, body)
	if len(page.Items) != 1 || !page.Items[0].BooksDisagree || !page.Items[0].BooksAcknowledged || page.Items[0].Accumulated != 0 {
		t.Fatalf("transfers: %s", body)
	}
	tr := page.Items[0]
	b.click(`#sidenav a[data-page="transfers"]`)
	b.waitText("#transfer-list", "账账不符·已核对")
	b.open("/api/v1/transfers/" + itoa(tr.ID) + "/order.html")
	b.waitText("body", tr.No)
	b.waitText("body", "财政审批人已核对账面差异")
	b.waitText("body", "按取得日期计算累计折旧 "+bk.ScheduleAccumulated.String())
	b.waitText("body", "账面截至："+bk.AsOf.String())
	b.waitText("body", acquired.String())
	b.shot("workflow-order-disagree")
}

// TestBrowserCardBooksCorrection: the clerk records the unit's ledger on a card (1,000.00 of
// depreciation at the end of last month, against the schedule's 20 months of 100.00): the card
// shows the books rolled forward beside the schedule, 账账不符 and the difference, and the
// correction and its reason in the history; moving it back onto the schedule clears them. A
// card received fully depreciated says so instead of months charged, with its first
// acquisition date.
func TestBrowserCardBooksCorrection(t *testing.T) {
	f := newFixture(t)
	now := f.app.Today()
	acquired := models.DateOf(time.Date(now.Year, now.Month-20, 15, 12, 0, 0, 0, time.UTC))
	card := poolTestCard(t, f, f.unitA, models.Asset{AssetNo: "UA-D31", Name: "台式计算机", CategoryCode: "A02010105",
		OriginalValue: 720000, AcquiredOn: acquired, UsageStatus: models.UsageInUse, Condition: models.ConditionUsable})
	first := models.Date{Year: 2015, Month: 3, Day: 1}
	old := poolTestCard(t, f, f.unitA, models.Asset{AssetNo: "UA-D32", Name: "台式计算机", CategoryCode: "A02010105",
		OriginalValue: 450000, OpeningDepreciation: 450000, AcquiredOn: now, FirstAcquiredOn: first, AcquisitionMethod: "调拨",
		UsageStatus: models.UsageInUse, Condition: models.ConditionUsable})
	lastMonthEnd := models.PrevMonthEnd(now)

	b := newBrowser(t, f)
	b.login("clerkA", testPassword)
	b.open("/#/assets/" + itoa(card.ID))
	b.waitText("#asset-books", "单位未填报账面数")
	b.waitText("#asset-schedule", "¥2,100.00")
	b.click(`button[data-action="books-adjust"]`)
	dlg := `form[data-form="books-adjust"]`
	b.waitVisible(dlg)
	b.fill(dlg+` input[name="accumulated"]`, "1000")
	b.waitText(dlg+" #books-adjust-net", "¥6,200.00")
	b.click(dlg + ` button[data-action="submit"]`)
	b.waitText(dlg+" .form-error", "请填写调整原因")
	b.fill(dlg+` textarea[name="reason"]`, "按单位财务账上月末数更正")
	b.click(dlg + ` button[data-action="submit"]`)
	b.waitGone(dlg)
	// The books keep the 1,000.00 they were short of the schedule at the end of last month.
	b.waitText("#asset-book-warning", "账账不符")
	b.waitText("#asset-book-warning", "少 ¥1,000.00")
	b.waitText("#asset-books", "截至 "+lastMonthEnd.String()+" 单位账面数，按月折旧额滚动")
	if got := b.text(`#asset-books [data-figure="accumulated"]`); got != "¥1,100.00" {
		t.Errorf("books accumulated %q, want ¥1,100.00", got)
	}
	b.waitText("#asset-history", "账务调整")
	b.waitText("#asset-history", "按单位财务账上月末数更正")
	b.shot("card-books-corrected")

	b.click(`button[data-action="books-adjust"]`)
	b.waitVisible(dlg)
	b.click(dlg + ` input[name="mode"][value="schedule"]`)
	b.fill(dlg+` textarea[name="reason"]`, "清查核实，按取得日期计算")
	b.click(dlg + ` button[data-action="submit"]`)
	b.waitGone(dlg)
	b.waitText("#asset-books", "单位未填报账面数")
	b.waitGone("#asset-book-warning")
	b.waitText("#asset-history", "清查核实，按取得日期计算")
	if n := eval[int](b, `document.querySelectorAll('#asset-history li[data-action="asset.books_adjust"]').length`); n != 2 {
		t.Errorf("%d corrections in the history, want 2", n)
	}

	b.open("/#/assets/" + itoa(old.ID))
	b.waitText("#asset-info", "原始取得日期")
	b.waitText("#asset-info", first.String())
	b.waitText("#asset-books", "接收时已提足折旧")
	if s := b.text("#asset-books"); strings.Contains(s, "已计提") {
		t.Errorf("a card received fully depreciated says %q", s)
	}
}
