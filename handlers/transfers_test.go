package handlers

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"assetpool/app"
	"assetpool/models"
)

// scratchTransfer stores an approved transfer of a desktop computer (¥12,345.67, ¥5,678.90
// depreciated) from one unit to another straight into the fixture's database, as the approval
// would; a nil receiver means a scratch unit, so that the fixture's other clerk is on neither
// side.
func scratchTransfer(t *testing.T, f *fixture, from, to *models.Unit) *models.Transfer {
	t.Helper()
	if to == nil {
		to = scratchUnit(t, f, "transfer")
	}
	db, err := gorm.Open(sqlite.Open("file:"+f.dbPath+"?_busy_timeout=10000&_txlock=immediate"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	if sqlDB, err := db.DB(); err == nil {
		defer sqlDB.Close()
	}
	n := scratchSeq.Add(1)
	tr := &models.Transfer{No: fmt.Sprintf("DB2026-%04d", n), ProposalID: uint(100000 + n), RequestID: 1,
		SourceUnitID: from.ID, ReceivingUnitID: to.ID, SourceAssetID: 1, AssetID: 1,
		AssetNo: fmt.Sprintf("TR-%d", n), Name: "台式计算机", Model: "ThinkCentre M720", CategoryCode: "A02010105",
		MeasureUnit: "台", Quantity: 1, OriginalValue: 1234567, Accumulated: 567890, NetValue: 666677, BookedValue: 666677,
		LifeMonths: 33, Date: models.Date{Year: 2026, Month: 11, Day: 29}, ApproverName: "王科长", Comment: "同意调剂"}
	if err := db.Create(tr).Error; err != nil {
		t.Fatalf("create transfer: %v", err)
	}
	return tr
}

// transferRoute: both units' clerks (clerk A gives), finance and admin read a transfer from
// unit A to a scratch unit; clerk B, on neither side, is told it does not exist.
func transferRoute() map[string]int {
	return importRoute(http.StatusOK, http.StatusNotFound)
}

// transferAuthz are the authzTable entries of the transfer routes.
func transferAuthz() map[string]authzCase {
	byPath := func(suffix string) func(*testing.T, *fixture, string) request {
		return func(t *testing.T, f *fixture, _ string) request {
			return request{method: "GET", path: "/api/v1/transfers/" + itoa(scratchTransfer(t, f, f.unitA, nil).ID) + suffix}
		}
	}
	return map[string]authzCase{
		"GET /transfers": {
			build: func(t *testing.T, f *fixture, _ string) request {
				scratchTransfer(t, f, f.unitA, nil)
				scratchTransfer(t, f, f.unitB, f.unitA)
				return request{method: "GET", path: "/api/v1/transfers"}
			},
			want: signedInRoute(http.StatusOK),
			check: func(t *testing.T, f *fixture, caller string, body []byte) {
				list := decode[app.TransferPage](t, body)
				if len(list.Items) == 0 {
					t.Errorf("%s sees no transfer", caller)
				}
				for _, v := range list.Items {
					if own := f.users[caller].UnitID; own != nil && v.SourceUnitID != *own && v.ReceivingUnitID != *own {
						t.Errorf("%s sees transfer %s between units %d and %d", caller, v.No, v.SourceUnitID, v.ReceivingUnitID)
					}
				}
			},
		},
		"GET /transfers/handover.html": {
			build: func(t *testing.T, f *fixture, _ string) request {
				scratchTransfer(t, f, f.unitA, f.unitB)
				return request{method: "GET", path: "/api/v1/transfers/handover.html?unit=UA"}
			},
			// Only the giving unit's clerk, finance and admin print its hand-over list.
			want: importRoute(http.StatusOK, http.StatusForbidden),
			check: func(t *testing.T, _ *fixture, caller string, body []byte) {
				if page := string(body); !strings.Contains(page, "移交资产清单") || !strings.Contains(page, "兴仁街道（UB）") {
					t.Errorf("hand-over list for %s: %.300s", caller, page)
				}
			},
		},
		"GET /transfers/:id": {build: byPath(""), want: transferRoute(),
			check: func(t *testing.T, _ *fixture, caller string, body []byte) {
				if v := decode[app.TransferView](t, body); v.SourceUnit != "UA" || v.SourceUnitName != "经济发展局" || v.NetValue != 666677 {
					t.Errorf("transfer for %s: %s", caller, body)
				}
			}},
		"GET /transfers/:id/order.xlsx": {build: byPath("/order.xlsx"), want: transferRoute(),
			check: func(t *testing.T, _ *fixture, caller string, body []byte) {
				if !strings.Contains(xlsxText(t, body), "资产调拨单") {
					t.Errorf("order for %s is not a transfer order", caller)
				}
			}},
		"GET /transfers/:id/order.html": {build: byPath("/order.html"), want: transferRoute(),
			check: func(t *testing.T, _ *fixture, caller string, body []byte) {
				if !strings.Contains(string(body), "¥12,345.67") {
					t.Errorf("order page for %s: %.300s", caller, body)
				}
			}},
	}
}

func TestTransferRoutes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tr := scratchTransfer(t, f, f.unitA, f.unitB)
	other := scratchTransfer(t, f, f.unitB, nil)
	base := "/api/v1/transfers/" + itoa(tr.ID)

	// One transfer, for either side.
	for _, who := range []string{"clerkA", "clerkB", "finance"} {
		resp, body := f.do(request{method: "GET", path: base, as: who})
		v := decode[app.TransferView](t, body)
		if resp.StatusCode != http.StatusOK || v.No != tr.No || v.ReceivingUnit != "UB" || v.ReceivingUnitName != "兴仁街道" ||
			v.StatusLabel != "已批准·待移交" || !strings.Contains(string(body), `"net_value":6666.77`) {
			t.Errorf("%s: %d %s", who, resp.StatusCode, body)
		}
	}
	resp, body := f.do(request{method: "GET", path: "/api/v1/transfers/" + itoa(other.ID), as: "clerkA"})
	if resp.StatusCode != http.StatusNotFound || errorCode(t, body) != models.ENotFound {
		t.Errorf("another units' transfer for clerk A: %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.do(request{method: "GET", path: "/api/v1/transfers/abc", as: "finance"}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("GET /transfers/abc: %d, want 400", resp.StatusCode)
	}

	// The list: clerk A sees the transfer it gives, not unit B's to elsewhere.
	for who, want := range map[string][]string{"clerkA": {tr.No}, "clerkB": {other.No, tr.No}, "finance": {other.No, tr.No}} {
		_, body := f.do(request{method: "GET", path: "/api/v1/transfers", as: who})
		var got []string
		for _, v := range decode[app.TransferPage](t, body).Items {
			got = append(got, v.No)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s lists %v, want %v", who, got, want)
		}
	}
	_, body = f.do(request{method: "GET", path: "/api/v1/transfers?unit=UA&limit=1", as: "finance"})
	if p := decode[app.TransferPage](t, body); len(p.Items) != 1 || p.Items[0].No != tr.No || p.Total != 1 || p.Next != nil {
		t.Errorf("finance, unit UA: %s", body)
	}
	if resp, _ := f.do(request{method: "GET", path: "/api/v1/transfers?after=x", as: "finance"}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("after=x: %d, want 400", resp.StatusCode)
	}

	// The order as a workbook: named after its number, every figure a number.
	resp, body = f.do(request{method: "GET", path: base + "/order.xlsx", as: "clerkB"})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != xlsxType {
		t.Fatalf("order.xlsx: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, url.PathEscape("资产调拨单-"+tr.No+".xlsx")) {
		t.Errorf("Content-Disposition %q", cd)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, _ := wb.GetRows("资产调拨单")
	text := fmt.Sprint(rows)
	for _, want := range []string{"资产调拨单", tr.No, "调出单位：经济发展局（UA）", "调入单位：兴仁街道（UB）", "12,345.67", "5,678.90", "6,666.77",
		"合计（共 1 项）", "王科长", "同意调剂", "财政部门（盖章）："} {
		if !strings.Contains(text, want) {
			t.Errorf("order.xlsx lacks %q", want)
		}
	}

	// The order as a page to print.
	resp, body = f.do(request{method: "GET", path: base + "/order.html", as: "clerkA"})
	page := string(body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("order.html: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{"资产调拨单", tr.No, "¥12,345.67", "¥5,678.90", "¥6,666.77", "调出单位（盖章）", "调入单位（盖章）",
		"财政部门（盖章）", `href="/transfer.css"`} {
		if !strings.Contains(page, want) {
			t.Errorf("order.html lacks %q", want)
		}
	}
	if strings.Contains(resp.Header.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Error("the page needs a CSP that allows inline code")
	}
	for _, path := range []string{"/order.html", "/order.xlsx"} {
		resp, body := f.do(request{method: "GET", path: "/api/v1/transfers/" + itoa(other.ID) + path, as: "clerkA"})
		if resp.StatusCode != http.StatusNotFound || errorCode(t, body) != models.ENotFound {
			t.Errorf("another unit's %s for clerk A: %d %s", path, resp.StatusCode, body)
		}
	}

	// The hand-over list: the giving unit's, not a parameter taken for an id.
	resp, body = f.do(request{method: "GET", path: "/api/v1/transfers/handover.html", as: "clerkA"})
	if page := string(body); resp.StatusCode != http.StatusOK || !strings.Contains(page, "移交资产清单") || !strings.Contains(page, tr.No) ||
		!strings.Contains(page, "移交人") || !strings.Contains(page, "接收人") || strings.Contains(page, other.No) {
		t.Errorf("clerk A's hand-over list: %d %.400s", resp.StatusCode, page)
	}
	resp, body = f.do(request{method: "GET", path: "/api/v1/transfers/handover.html?unit=UA", as: "clerkB"})
	if resp.StatusCode != http.StatusForbidden || errorCode(t, body) != models.EForbidden || !strings.Contains(string(body), "本单位") {
		t.Errorf("unit A's hand-over list for clerk B: %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.do(request{method: "GET", path: "/api/v1/transfers/handover.html", as: "finance"}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("finance without a unit: %d, want 400", resp.StatusCode)
	}
}

func TestTransferStyleSheetIsServed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	resp, body := f.do(request{method: "GET", path: "/transfer.css"})
	css := string(body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "text/css") {
		t.Fatalf("/transfer.css: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{"@page", "size: A4", "@media print", ".print-hint"} {
		if !strings.Contains(css, want) {
			t.Errorf("transfer.css lacks %q", want)
		}
	}
}
