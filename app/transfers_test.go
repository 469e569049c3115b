package app

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"assetpool/models"
)

// transferFixture is three units (经济发展局 JF gives, 兴仁街道 XR and 社会事业局 SS receive), a
// clerk of each, finance and admin, as actors in memory (access depends on role and unit).
type transferFixture struct {
	a                         *App
	jf, xr, ss                *models.Unit
	clerkJF, clerkXR, clerkSS *models.User
	finance, admin            *models.User
}

func newTransferFixture(t *testing.T) *transferFixture {
	t.Helper()
	a, _ := openTest(t)
	fx := &transferFixture{a: a,
		jf: &models.Unit{Code: "JF", Name: "经济发展局"},
		xr: &models.Unit{Code: "XR", Name: "兴仁街道"},
		ss: &models.Unit{Code: "SS", Name: "社会事业局"}}
	for _, u := range []*models.Unit{fx.jf, fx.xr, fx.ss} {
		if err := a.CreateUnit(context.Background(), nil, u); err != nil {
			t.Fatal(err)
		}
	}
	clerk := func(id, unit uint) *models.User {
		return &models.User{ID: id, Username: fmt.Sprintf("clerk%d", id), Role: models.RoleClerk, UnitID: &unit, Active: true}
	}
	fx.clerkJF, fx.clerkXR, fx.clerkSS = clerk(101, fx.jf.ID), clerk(102, fx.xr.ID), clerk(103, fx.ss.ID)
	fx.finance = &models.User{ID: 104, Username: "caizheng", DisplayName: "王科长", Role: models.RoleFinance, Active: true}
	fx.admin = &models.User{ID: 105, Username: "admin", Role: models.RoleAdmin, Active: true}
	return fx
}

// transferSeq numbers the fixture's transfers.
var transferSeq atomic.Int64

// addTransfer stores an approved transfer from one unit to another, as the approval would:
// a desktop computer worth ¥12,345.67 with ¥5,678.90 depreciated, unless change says otherwise.
func (fx *transferFixture) addTransfer(t *testing.T, from, to *models.Unit, change func(*models.Transfer)) *models.Transfer {
	t.Helper()
	n := transferSeq.Add(1)
	tr := &models.Transfer{No: fmt.Sprintf("DB2026-%04d", n), ProposalID: uint(9000 + n), RequestID: 1,
		SourceUnitID: from.ID, ReceivingUnitID: to.ID, SourceAssetID: 1, AssetID: 1,
		AssetNo: fmt.Sprintf("JF-%03d", n), Name: "台式计算机", Model: "ThinkCentre M720", CategoryCode: "A02010105",
		MeasureUnit: "台", Quantity: 1, OriginalValue: 1234567, Accumulated: 567890, NetValue: 666677,
		BookedValue: 666677, LifeMonths: 33, Date: models.Date{Year: 2026, Month: 11, Day: 29},
		ApprovedByID: fx.finance.ID, ApproverName: "王科长", Comment: "同意调剂，请于 11 月底前完成移交。"}
	if change != nil {
		change(tr)
	}
	if err := fx.a.db.Create(tr).Error; err != nil {
		t.Fatalf("create transfer: %v", err)
	}
	return tr
}

func TestTransferIsReadByBothUnitsFinanceAndAdmin(t *testing.T) {
	t.Parallel()
	fx := newTransferFixture(t)
	ctx := context.Background()
	tr := fx.addTransfer(t, fx.jf, fx.xr, nil)
	for _, actor := range []*models.User{fx.clerkJF, fx.clerkXR, fx.finance, fx.admin} {
		v, err := fx.a.Transfer(ctx, actor, tr.ID)
		if err != nil {
			t.Fatalf("%s: %v", actor.Username, err)
		}
		if v.No != tr.No || v.SourceUnit != "JF" || v.SourceUnitName != "经济发展局" || v.ReceivingUnit != "XR" ||
			v.ReceivingUnitName != "兴仁街道" || v.NetValue != 666677 || v.CategoryName == "" ||
			v.Status != models.ProposalApproved || v.StatusLabel != "已批准·待移交" {
			t.Errorf("%s sees %+v", actor.Username, v)
		}
	}
	// Another unit's clerk is told it does not exist, as for an id that does not.
	for _, id := range []uint{tr.ID, tr.ID + 100} {
		if _, err := fx.a.Transfer(ctx, fx.clerkSS, id); models.ErrorCode(err) != models.ENotFound ||
			!strings.Contains(models.ErrorMessage(err), "不存在") {
			t.Errorf("clerk of another unit, transfer %d: %v, want not found", id, err)
		}
	}
	// The status follows the hand-over and the receipt.
	now := testNow
	fx.a.db.Model(tr).Update("handed_over_at", now)
	if v, _ := fx.a.Transfer(ctx, fx.finance, tr.ID); v.Status != models.ProposalHandedOver || v.StatusLabel != "已移交·待接收" {
		t.Errorf("handed over: %s %s", v.Status, v.StatusLabel)
	}
	fx.a.db.Model(tr).Update("received_at", now.Add(time.Hour))
	if v, _ := fx.a.Transfer(ctx, fx.finance, tr.ID); v.Status != models.ProposalReceived || v.StatusLabel != "已接收" {
		t.Errorf("received: %s %s", v.Status, v.StatusLabel)
	}
}

func TestListTransfersScope(t *testing.T) {
	t.Parallel()
	fx := newTransferFixture(t)
	ctx := context.Background()
	jfToXR := fx.addTransfer(t, fx.jf, fx.xr, nil)
	xrToSS := fx.addTransfer(t, fx.xr, fx.ss, nil)
	ssToJF := fx.addTransfer(t, fx.ss, fx.jf, nil)
	list := func(actor *models.User, f TransferFilter) *TransferPage {
		t.Helper()
		p, err := fx.a.ListTransfers(ctx, actor, f)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	ids := func(p *TransferPage) []uint {
		var out []uint
		for _, v := range p.Items {
			out = append(out, v.ID)
		}
		return out
	}
	for _, c := range []struct {
		name  string
		actor *models.User
		unit  string
		want  []uint
	}{
		{"clerk JF: gives one, receives one", fx.clerkJF, "", []uint{ssToJF.ID, jfToXR.ID}},
		{"clerk XR", fx.clerkXR, "", []uint{xrToSS.ID, jfToXR.ID}},
		{"clerk SS", fx.clerkSS, "", []uint{ssToJF.ID, xrToSS.ID}},
		{"finance: all", fx.finance, "", []uint{ssToJF.ID, xrToSS.ID, jfToXR.ID}},
		{"admin: all", fx.admin, "", []uint{ssToJF.ID, xrToSS.ID, jfToXR.ID}},
		{"finance, unit XR on either side", fx.finance, "XR", []uint{xrToSS.ID, jfToXR.ID}},
		{"clerk JF asking for XR: only what JF shares with it", fx.clerkJF, "XR", []uint{jfToXR.ID}},
	} {
		p, err := fx.a.ListTransfers(ctx, c.actor, TransferFilter{UnitCode: c.unit})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := ids(p); fmt.Sprint(got) != fmt.Sprint(c.want) || p.Total != int64(len(c.want)) || p.Next != nil {
			t.Errorf("%s: %v (total %d), want %v", c.name, got, p.Total, c.want)
		}
	}
	for _, v := range list(fx.clerkJF, TransferFilter{}).Items {
		if v.SourceUnitName == "" || v.ReceivingUnitName == "" {
			t.Errorf("transfer %d without unit names", v.ID)
		}
	}
	// Keyset pages, newest first.
	p1 := list(fx.finance, TransferFilter{Limit: 2})
	if fmt.Sprint(ids(p1)) != fmt.Sprint([]uint{ssToJF.ID, xrToSS.ID}) || p1.Next == nil || p1.Total != 3 {
		t.Fatalf("page 1: %v next %v total %d", ids(p1), p1.Next, p1.Total)
	}
	p2 := list(fx.finance, TransferFilter{Limit: 2, After: xrToSS.ID})
	if fmt.Sprint(ids(p2)) != fmt.Sprint([]uint{jfToXR.ID}) || p2.Next != nil {
		t.Errorf("page 2: %v next %v", ids(p2), p2.Next)
	}
	if _, err := fx.a.ListTransfers(ctx, fx.finance, TransferFilter{UnitCode: "NOPE"}); models.ErrorCode(err) != models.ENotFound {
		t.Errorf("unknown unit: %v", err)
	}
	noUnit := &models.User{ID: 200, Role: models.RoleClerk}
	if _, err := fx.a.ListTransfers(ctx, noUnit, TransferFilter{}); models.ErrorCode(err) != models.EForbidden {
		t.Errorf("clerk without a unit: %v", err)
	}
}

// sheetCells returns every non-empty cell of a workbook's first sheet by reference, as
// formatted and raw.
func sheetCells(t *testing.T, data []byte) (sheet string, formatted, raw map[string]string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("open workbook: %v", err)
	}
	defer f.Close()
	sheet = f.GetSheetName(0)
	formatted, raw = map[string]string{}, map[string]string{}
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for c, v := range row {
			if v == "" {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			raw[ref] = v
			formatted[ref], _ = f.GetCellValue(sheet, ref)
		}
	}
	return sheet, formatted, raw
}

// rowOf returns the row number of the cell whose text is s, or 0.
func rowOf(cells map[string]string, s string) (ref string, row int) {
	for k, v := range cells {
		if v == s {
			_, r, _ := excelize.CellNameToCoordinates(k)
			return k, r
		}
	}
	return "", 0
}

func TestWriteTransferOrderXLSX(t *testing.T) {
	t.Parallel()
	fx := newTransferFixture(t)
	ctx := context.Background()
	tr := fx.addTransfer(t, fx.jf, fx.xr, func(tr *models.Transfer) {
		tr.Quantity, tr.MeasureUnit, tr.Name, tr.Model, tr.AssetNo = 4, "把", "办公椅", "人体工学 T1", "0012"
		// First bought in 2019; the source's books (5,678.90) are 321.10 short of the schedule,
		// which finance acknowledged; the receiver's 200.00 of transport raised its cost.
		tr.FirstAcquiredOn = models.Date{Year: 2019, Month: 4, Day: 8}
		tr.BooksStated, tr.ScheduleAccumulated, tr.ScheduleNet, tr.BooksDisagree, tr.BooksAcknowledged = true, 600000, 634567, true, true
		tr.CostCapitalised = 20000
	})
	var buf bytes.Buffer
	name, err := fx.a.WriteTransferOrderXLSX(ctx, fx.clerkXR, tr.ID, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if name != "资产调拨单-"+tr.No+".xlsx" {
		t.Errorf("file name %q", name)
	}
	sheet, cells, raw := sheetCells(t, buf.Bytes())
	if sheet != "资产调拨单" || cells["A1"] != "资产调拨单" {
		t.Errorf("sheet %q, title %q", sheet, cells["A1"])
	}
	all := fmt.Sprint(cells)
	for _, want := range []string{"调拨单号：" + tr.No, "调拨日期：2026-11-29", "调出单位：经济发展局（JF）", "调入单位：兴仁街道（XR）",
		"王科长", "同意调剂，请于 11 月底前完成移交。", "调出单位（盖章）：", "调入单位（盖章）：", "财政部门（盖章）：", "经办人：", "审批人：",
		"按调出单位账面净值 ¥6,666.77 入账，在剩余使用年限 33 个月内按月计提折旧", "账面截至：2026-10-31",
		"账面核对", "调出单位账面累计折旧 ¥5,678.90、净值 ¥6,666.77；按取得日期计算累计折旧 ¥6,000.00、净值 ¥6,345.67，账面少计提 ¥321.10。财政审批人已核对账面差异",
		"调剂费用", "运输等费用 ¥200.00 计入调入资产成本：入账价值 ¥6,666.77 + ¥200.00 = ¥6,866.77，在剩余使用年限 33 个月内按月计提折旧。"} {
		if !strings.Contains(all, want) {
			t.Errorf("order lacks %q", want)
		}
	}
	// The header, then the item row under it, every figure a number with two decimals.
	headers := []string{"序号", "资产编号", "资产名称", "规格型号", "原始取得日期", "数量", "计量单位", "原值（元）", "累计折旧（元）", "净值（元）",
		"剩余使用年限（月）", "调入后入账价值（元）"}
	_, hr := rowOf(cells, "序号")
	if hr == 0 {
		t.Fatal("no header row")
	}
	for i, h := range headers {
		ref, _ := excelize.CoordinatesToCellName(i+1, hr)
		if cells[ref] != h {
			t.Errorf("header %s = %q, want %q", ref, cells[ref], h)
		}
	}
	item := []struct{ raw, formatted string }{{"1", "1"}, {"0012", "0012"}, {"办公椅", "办公椅"}, {"人体工学 T1", "人体工学 T1"},
		{"2019-04-08", "2019-04-08"}, {"4", "4"}, {"把", "把"}, {"12345.67", "12,345.67"}, {"5678.9", "5,678.90"}, {"6666.77", "6,666.77"},
		{"33", "33"}, {"6666.77", "6,666.77"}}
	for i, want := range item {
		ref, _ := excelize.CoordinatesToCellName(i+1, hr+1)
		if raw[ref] != want.raw || cells[ref] != want.formatted {
			t.Errorf("item %s = %q (shown %q), want %q (%q)", ref, raw[ref], cells[ref], want.raw, want.formatted)
		}
	}
	// The 合计 row: pieces and every amount.
	tot := hr + 2
	if cells[fmt.Sprintf("A%d", tot)] != "合计（共 1 项）" {
		t.Errorf("total row label %q", cells[fmt.Sprintf("A%d", tot)])
	}
	for col, want := range map[string]string{"F": "4", "H": "12,345.67", "I": "5,678.90", "J": "6,666.77", "L": "6,666.77"} {
		if got := cells[fmt.Sprintf("%s%d", col, tot)]; got != want {
			t.Errorf("total %s%d = %q, want %q", col, tot, got, want)
		}
	}
	if raw[fmt.Sprintf("H%d", tot)] != "12345.67" {
		t.Errorf("total original value is %q, want the number 12345.67", raw[fmt.Sprintf("H%d", tot)])
	}
	// The money cells are numbers (not text) formatted #,##0.00.
	f, _ := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	defer f.Close()
	for _, ref := range []string{fmt.Sprintf("H%d", hr+1), fmt.Sprintf("L%d", tot)} {
		if typ, _ := f.GetCellType(sheet, ref); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s has type %v, want a number", ref, typ)
		}
		id, _ := f.GetCellStyle(sheet, ref)
		if st, err := f.GetStyle(id); err != nil || st.NumFmt != 4 {
			t.Errorf("%s number format %v (%v), want 4 (#,##0.00)", ref, st, err)
		}
	}

	// Another unit's clerk: not found, and nothing written.
	buf.Reset()
	if _, err := fx.a.WriteTransferOrderXLSX(ctx, fx.clerkSS, tr.ID, &buf); models.ErrorCode(err) != models.ENotFound || buf.Len() > 0 {
		t.Errorf("clerk SS: %v, %d bytes", err, buf.Len())
	}
}

func TestTransferOrderBooksAFullyDepreciatedItemAtOriginalValue(t *testing.T) {
	t.Parallel()
	fx := newTransferFixture(t)
	tr := fx.addTransfer(t, fx.jf, fx.xr, func(tr *models.Transfer) {
		tr.Accumulated, tr.NetValue, tr.BookedValue, tr.BookedDepreciation, tr.LifeMonths = 1234567, 0, 1234567, 1234567, 0
	})
	var buf bytes.Buffer
	if err := fx.a.WriteTransferOrderHTML(context.Background(), fx.finance, tr.ID, &buf); err != nil {
		t.Fatal(err)
	}
	if page := buf.String(); !strings.Contains(page, "调入单位按原值 ¥12,345.67 入账，同时登记累计折旧 ¥12,345.67") ||
		!strings.Contains(page, "¥0.00") {
		t.Errorf("booking note of a fully depreciated item:\n%s", page)
	}
}

func TestWriteTransferOrderHTML(t *testing.T) {
	t.Parallel()
	fx := newTransferFixture(t)
	ctx := context.Background()
	tr := fx.addTransfer(t, fx.jf, fx.xr, func(tr *models.Transfer) {
		tr.Comment = "同意<b>调剂</b>"
	})
	var buf bytes.Buffer
	if err := fx.a.WriteTransferOrderHTML(ctx, fx.clerkJF, tr.ID, &buf); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{"<!doctype html>", `href="/transfer.css"`, "<h1>资产调拨单</h1>", tr.No, "2026-11-29",
		"经济发展局（JF）", "兴仁街道（XR）", tr.AssetNo, "台式计算机", "ThinkCentre M720", "台",
		"¥12,345.67", "¥5,678.90", "¥6,666.77", "合计（共 1 项）", "王科长", "同意&lt;b&gt;调剂&lt;/b&gt;",
		"原值（元）", "累计折旧（元）", "净值（元）", "调入后入账价值（元）", "规格型号", "计量单位",
		"调出单位（盖章）", "调入单位（盖章）", "财政部门（盖章）", "经办人", "审批人", "打印", `class="print-hint"`} {
		if !strings.Contains(page, want) {
			t.Errorf("order page lacks %q", want)
		}
	}
	// Once in the item row and once in the total row.
	if n := strings.Count(page, "¥12,345.67"); n != 2 {
		t.Errorf("original value shown %d times, want 2 (item and total)", n)
	}
	// The CSP forbids inline scripts and styles: the page has neither.
	if regexp.MustCompile(`<script|<style|style=|onclick`).MatchString(page) {
		t.Error("the page carries inline script or style")
	}
	if err := fx.a.WriteTransferOrderHTML(ctx, fx.clerkSS, tr.ID, &bytes.Buffer{}); models.ErrorCode(err) != models.ENotFound {
		t.Errorf("clerk SS: %v, want not found", err)
	}
}

// TestTransferOrderPageCarriesTheBooksCheckAndTheCost: the printed order of a fully
// depreciated item whose books disagreed says both figures, the acknowledgement, the first
// acquisition date and the cost expensed; an order whose books agreed says nothing of a check.
func TestTransferOrderPageCarriesTheBooksCheckAndTheCost(t *testing.T) {
	t.Parallel()
	fx := newTransferFixture(t)
	ctx := context.Background()
	old := fx.addTransfer(t, fx.jf, fx.xr, func(tr *models.Transfer) {
		tr.FirstAcquiredOn = models.Date{Year: 2015, Month: 3, Day: 1}
		tr.Accumulated, tr.NetValue, tr.BookedValue, tr.BookedDepreciation, tr.LifeMonths = 1234567, 0, 1234567, 1234567, 0
		tr.ScheduleAccumulated, tr.ScheduleNet, tr.BooksDisagree, tr.BooksAcknowledged = 1200000, 34567, true, true
		tr.CostExpensed = 15000
	})
	plain := fx.addTransfer(t, fx.jf, fx.xr, nil)
	page := func(id uint) string {
		var buf bytes.Buffer
		if err := fx.a.WriteTransferOrderHTML(ctx, fx.clerkXR, id, &buf); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	p := page(old.ID)
	for _, want := range []string{"原始取得日期", "<td class=\"date\">2015-03-01</td>", "剩余使用年限（月）", "<td class=\"num life\">0</td>",
		"账面截至：2026-10-31（调拨前一月末）",
		"按取得日期计算累计折旧 ¥12,000.00、净值 ¥345.67，账面多计提 ¥345.67。财政审批人已核对账面差异，按调出单位账面价值入账。",
		"调入资产已提足折旧，运输等费用 ¥150.00 计入当期费用（其他费用）。"} {
		if !strings.Contains(p, want) {
			t.Errorf("order of the fully depreciated item lacks %q", want)
		}
	}
	p = page(plain.ID)
	for _, not := range []string{"账面核对", "核对账面差异", "调剂费用", "运输等费用"} {
		if strings.Contains(p, not) {
			t.Errorf("an order whose books agree, without a cost, says %q", not)
		}
	}
	if !strings.Contains(p, "<td class=\"num life\">33</td>") {
		t.Error("the order lacks the 33 months left")
	}
}

func TestWriteHandoverListHTML(t *testing.T) {
	t.Parallel()
	fx := newTransferFixture(t)
	ctx := context.Background()
	toXR := fx.addTransfer(t, fx.jf, fx.xr, nil)
	toSS := fx.addTransfer(t, fx.jf, fx.ss, func(tr *models.Transfer) {
		tr.Name, tr.Quantity, tr.MeasureUnit, tr.OriginalValue, tr.Accumulated, tr.NetValue, tr.BookedValue = "文件柜", 3, "组", 300000, 100000, 200000, 200000
	})
	handed := fx.addTransfer(t, fx.jf, fx.xr, func(tr *models.Transfer) { tr.AssetNo = "JF-HANDED" })
	now := testNow
	fx.a.db.Model(handed).Update("handed_over_at", now)
	other := fx.addTransfer(t, fx.xr, fx.jf, func(tr *models.Transfer) { tr.AssetNo = "XR-GIVES" })

	for _, c := range []struct {
		actor *models.User
		unit  string
	}{{fx.clerkJF, "JF"}, {fx.clerkJF, ""}, {fx.finance, "JF"}, {fx.admin, "JF"}} {
		var buf bytes.Buffer
		if err := fx.a.WriteHandoverListHTML(ctx, c.actor, c.unit, &buf); err != nil {
			t.Fatalf("%s unit %q: %v", c.actor.Username, c.unit, err)
		}
		page := buf.String()
		for _, want := range []string{"移交资产清单", `href="/transfer.css"`, "移交单位：经济发展局（JF）", "打印日期：2026-11-29",
			toXR.No, toXR.AssetNo, toSS.No, toSS.AssetNo, "文件柜", "兴仁街道（XR）", "社会事业局（SS）",
			"调拨单号", "调入单位", "资产编号", "资产名称", "规格型号", "数量", "计量单位", "原值（元）", "累计折旧（元）", "净值（元）", "调入后入账价值（元）",
			"¥12,345.67", "¥3,000.00", "¥2,000.00", "¥6,666.77",
			"移交单位（盖章）", "移交人", "接收单位（盖章）", "接收人", "第 1 / 2 页"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: hand-over list lacks %q", c.actor.Username, want)
			}
		}
		// What was handed over already, and what JF receives, are not on JF's list.
		for _, not := range []string{"JF-HANDED", "XR-GIVES", other.No} {
			if strings.Contains(page, not) {
				t.Errorf("%s: hand-over list shows %q", c.actor.Username, not)
			}
		}
		// One sheet per receiving unit, each with its 合计 and signature blocks.
		if n := strings.Count(page, `<main class="paper">`); n != 2 {
			t.Errorf("%d sheets, want one per receiving unit (2)", n)
		}
		if n := strings.Count(page, "合计（共 1 项）"); n != 2 {
			t.Errorf("%d total rows, want 2", n)
		}
		if n := strings.Count(page, "接收人："); n != 2 {
			t.Errorf("%d receiver signatures, want 2", n)
		}
		if regexp.MustCompile(`<script|<style|style=`).MatchString(page) {
			t.Error("the page carries inline script or style")
		}
	}

	// Another unit's clerk may not print it.
	err := fx.a.WriteHandoverListHTML(ctx, fx.clerkXR, "JF", &bytes.Buffer{})
	if models.ErrorCode(err) != models.EForbidden || !strings.Contains(models.ErrorMessage(err), "本单位") {
		t.Errorf("clerk XR, unit JF: %v, want forbidden", err)
	}
	if err := fx.a.WriteHandoverListHTML(ctx, fx.finance, "", &bytes.Buffer{}); models.ErrorCode(err) != models.EInvalid {
		t.Errorf("finance without a unit: %v, want invalid", err)
	}
	if err := fx.a.WriteHandoverListHTML(ctx, fx.finance, "NOPE", &bytes.Buffer{}); models.ErrorCode(err) != models.ENotFound {
		t.Errorf("unknown unit: %v, want not found", err)
	}
	// A unit with nothing to hand over gets a page that says so.
	var buf bytes.Buffer
	if err := fx.a.WriteHandoverListHTML(ctx, fx.clerkSS, "", &buf); err != nil {
		t.Fatal(err)
	}
	if page := buf.String(); !strings.Contains(page, "没有待移交的资产") || strings.Contains(page, "<table") {
		t.Errorf("empty hand-over list:\n%s", page)
	}
}

func TestTransferOrderFileName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"DB2026-0001": "资产调拨单-DB2026-0001.xlsx",
		"DB/2026:7":   "资产调拨单-DB_2026_7.xlsx",
	} {
		if got := transferOrderFileName(in); got != want {
			t.Errorf("transferOrderFileName(%q) = %q, want %q", in, got, want)
		}
	}
}
