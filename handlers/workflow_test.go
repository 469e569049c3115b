package handlers

import (
	"bytes"
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"assetpool/app"
	"assetpool/models"
)

// TestWorkflowOverHTTP walks a proposal from acceptance to receipt through the API with the
// three roles, and checks the moved card, the transfer order and the saving.
func TestWorkflowOverHTTP(t *testing.T) {
	f := newFixture(t)
	id := scratchProposal(t, f, models.ProposalProposed)
	post := func(as, action string, body any, want int) app.ProposalView {
		t.Helper()
		resp, out := f.do(request{method: "POST", path: "/api/v1/proposals/" + itoa(id) + "/" + action, as: as, body: body})
		if resp.StatusCode != want {
			t.Fatalf("%s by %s: %d %s", action, as, resp.StatusCode, out)
		}
		return decode[app.ProposalView](t, out)
	}
	post("clerkB", "accept", nil, http.StatusForbidden)
	post("clerkA", "accept", nil, http.StatusOK)
	post("clerkA", "accept", nil, http.StatusConflict)
	resp, out := f.do(request{method: "GET", path: "/api/v1/inbox", as: "finance"})
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(out), `"key":"to_approve","title":"待审批的调剂","count":1`) {
		t.Fatalf("finance inbox: %s", out)
	}
	// Finance, who may approve, reads the figures approval will book; the clerks do not.
	for _, who := range []string{"clerkA", "clerkB"} {
		if _, out := f.do(request{method: "GET", path: "/api/v1/proposals/" + itoa(id), as: who}); strings.Contains(string(out), `"books"`) {
			t.Errorf("%s reads the approval's books: %s", who, out)
		}
	}
	_, out = f.do(request{method: "GET", path: "/api/v1/proposals/" + itoa(id), as: "finance"})
	pre := decode[struct {
		Books *models.TransferBooks `json:"books"`
	}](t, out)
	if pre.Books == nil {
		t.Fatalf("finance's proposal lacks books: %s", out)
	}
	v := post("finance", "approve", map[string]any{"comment": "同意"}, http.StatusOK)
	if v.TransferID == nil || v.Status != models.ProposalApproved {
		t.Fatalf("approved: %+v", v)
	}
	_, out = f.do(request{method: "GET", path: "/api/v1/transfers/" + itoa(*v.TransferID), as: "finance"})
	tr := decode[app.TransferView](t, out)
	if b := pre.Books; b.OriginalValue != tr.OriginalValue || b.Accumulated != tr.Accumulated || b.NetValue != tr.NetValue ||
		b.BookedValue != tr.BookedValue || b.BookedDepreciation != tr.BookedDepreciation || b.LifeMonths != tr.LifeMonths || b.Date != tr.Date {
		t.Errorf("finance saw %+v; the transfer books %+v", *b, tr.Transfer)
	}
	post("clerkB", "handover", nil, http.StatusOK)
	v = post("clerkA", "receive", map[string]any{"transfer_cost": 30}, http.StatusOK)
	if v.Status != models.ProposalReceived {
		t.Fatalf("received: %+v", v)
	}
	resp, out = f.do(request{method: "GET", path: "/api/v1/transfers/" + itoa(*v.TransferID) + "/order.html", as: "clerkA"})
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(out), "资产调拨单") || !strings.Contains(string(out), "DB") {
		t.Errorf("transfer order: %d %.300s", resp.StatusCode, out)
	}
	resp, out = f.do(request{method: "GET", path: "/api/v1/savings", as: "clerkA"})
	sv := decode[app.Savings](t, out)
	if resp.StatusCode != http.StatusOK || len(sv.Items) != 1 || sv.Items[0].TransferCost != 3000 {
		t.Errorf("savings: %s", out)
	}
	resp, out = f.do(request{method: "GET", path: "/api/v1/proposals/" + itoa(id), as: "clerkB"})
	if resp.StatusCode != http.StatusOK || strings.Count(string(out), `"action":"proposal.`) < 4 {
		t.Errorf("history: %s", out)
	}
	resp, out = f.do(request{method: "GET", path: "/api/v1/audit?action=proposal.&entity_id=" + itoa(id), as: "finance"})
	if resp.StatusCode != http.StatusOK || strings.Count(string(out), `"action":"proposal.`) < 4 {
		t.Errorf("audit: %s", out)
	}
}

// TestParallelApprovalsOverHTTP: two finance users approve competing proposals for the same
// item at the same moment, through the API against the real database file; exactly one wins.
func TestParallelApprovalsOverHTTP(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	first := scratchProposal(t, f, models.ProposalAccepted)
	db, err := sql.Open("sqlite3", "file:"+f.dbPath+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// A rival proposal, accepted too, for the same card and another request of unit A.
	reqID := scratchRequest(t, f)
	now := time.Now().UTC()
	res, err := db.Exec(`INSERT INTO proposals (request_id, asset_id, source_unit_id, request_unit_id, quantity, score, breakdown, reasons,
		self_match, status, hold_until, run_id, version, created_at, updated_at, objection, reason, comment)
		SELECT ?, asset_id, source_unit_id, request_unit_id, 1, 60, '[]', '', 0, 'accepted', ?, 0, 1, ?, ?, '', '', '' FROM proposals WHERE id = ?`,
		reqID, now.Add(240*time.Hour), now, now, first)
	if err != nil {
		t.Fatal(err)
	}
	rival, _ := res.LastInsertId()
	fin2 := &models.User{Username: "finance2", DisplayName: "孙科员", Role: models.RoleFinance, Active: true}
	if err := f.app.CreateUser(ctx, nil, fin2, testPassword); err != nil {
		t.Fatal(err)
	}
	tok2, _, err := f.app.CreateAPIToken(ctx, "finance2", "test")
	if err != nil {
		t.Fatal(err)
	}
	codes := make([]int, 2)
	var wg sync.WaitGroup
	for i, job := range []struct {
		token string
		id    uint
	}{{f.tokens["finance"], first}, {tok2, uint(rival)}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptest.NewRequest("POST", "/api/v1/proposals/"+itoa(job.id)+"/approve", bytes.NewReader([]byte(`{}`)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+job.token)
			resp, err := f.srv.Test(req, -1)
			if err == nil {
				codes[i] = resp.StatusCode
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	ok, conflict := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusOK:
			ok++
		case http.StatusConflict:
			conflict++
		}
	}
	var transfers int
	if err := db.QueryRow("SELECT COUNT(*) FROM transfers").Scan(&transfers); err != nil {
		t.Fatal(err)
	}
	if ok != 1 || conflict != 1 || transfers != 1 {
		t.Fatalf("statuses %v, %d transfers: want one 200, one 409, one transfer", codes, transfers)
	}
}

// TestApprovalOfDisagreeingBooksOverHTTP: the source's clerk records the unit's ledger for a
// card already chosen (nothing depreciated by the end of last month, against the schedule's
// 50 months); finance's approval without books_acknowledged gets 409 naming both figures and
// what to do, the proposal's books say so, and with the acknowledgement the approval goes
// through and the transfer keeps it.
func TestApprovalOfDisagreeingBooksOverHTTP(t *testing.T) {
	f := newFixture(t)
	id := scratchProposal(t, f, models.ProposalAccepted)
	_, out := f.do(request{method: "GET", path: "/api/v1/proposals/" + itoa(id), as: "finance"})
	p := decode[app.ProposalView](t, out)
	resp, out := f.do(request{method: "GET", path: "/api/v1/assets/" + itoa(p.AssetID), as: "clerkB"})
	card := decode[app.AssetCard](t, out)
	if resp.StatusCode != http.StatusOK || card.Book.Disagrees {
		t.Fatalf("card: %d %s", resp.StatusCode, out)
	}
	resp, out = f.do(request{method: "POST", path: "/api/v1/assets/" + itoa(p.AssetID) + "/books", as: "clerkB",
		body: map[string]any{"version": card.Version, "mode": "stated", "accumulated_depreciation": 0, "reason": "单位财务账未计提折旧"}})
	if card = decode[app.AssetCard](t, out); resp.StatusCode != http.StatusOK || !card.Book.Disagrees || card.BookDepreciation == nil || *card.BookDepreciation != 0 {
		t.Fatalf("correction: %d %s", resp.StatusCode, out)
	}
	_, out = f.do(request{method: "GET", path: "/api/v1/proposals/" + itoa(id), as: "finance"})
	pre := decode[struct {
		Books *models.TransferBooks `json:"books"`
	}](t, out)
	if b := pre.Books; b == nil || !b.Disagrees || !b.Stated || b.Accumulated != 0 || b.ScheduleAccumulated <= 0 || b.Difference != -b.ScheduleAccumulated {
		t.Fatalf("books of the proposal: %s", out)
	}
	approve := func(body map[string]any) (*http.Response, []byte) {
		return f.do(request{method: "POST", path: "/api/v1/proposals/" + itoa(id) + "/approve", as: "finance", body: body})
	}
	resp, out = approve(map[string]any{"comment": "同意"})
	msg := decode[struct {
		Error struct{ Message string } `json:"error"`
	}](t, out).Error.Message
	for _, want := range []string{card.AssetNo, "账面累计折旧 ¥0.00", "按取得日期计算的 " + pre.Books.ScheduleAccumulated.String(), "已核对账面差异"} {
		if resp.StatusCode != http.StatusConflict || !strings.Contains(msg, want) {
			t.Errorf("approval without the acknowledgement: %d %s; want 409 saying %q", resp.StatusCode, out, want)
		}
	}
	resp, out = approve(map[string]any{"comment": "同意", "books_acknowledged": true})
	v := decode[app.ProposalView](t, out)
	if resp.StatusCode != http.StatusOK || v.TransferID == nil {
		t.Fatalf("acknowledged approval: %d %s", resp.StatusCode, out)
	}
	_, out = f.do(request{method: "GET", path: "/api/v1/transfers/" + itoa(*v.TransferID), as: "clerkA"})
	tr := decode[app.TransferView](t, out)
	if !tr.BooksDisagree || !tr.BooksAcknowledged || tr.Accumulated != 0 || tr.ScheduleAccumulated != pre.Books.ScheduleAccumulated || tr.NetValue != tr.OriginalValue {
		t.Errorf("transfer: %s", out)
	}
}
