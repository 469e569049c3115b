package handlers

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the plain driver, to write a proposal the API only makes by matching

	"assetpool/app"
	"assetpool/models"
)

// scratchProposal makes a proposal of an idle card of unit B for a draft request of unit A and
// brings it to status through the workflow where it can (acceptance, approval, hand-over).
func scratchProposal(t *testing.T, f *fixture, status models.ProposalStatus) uint {
	t.Helper()
	ctx := context.Background()
	acq, _ := models.ParseDate("2022-03-01")
	card, err := f.app.CreateAsset(ctx, nil, f.unitB.ID, models.Asset{AssetNo: "WF-" + strconv.FormatInt(scratchSeq.Add(1), 10),
		Name: "会议椅", CategoryCode: scratchCategory(f), Quantity: 1, OriginalValue: 60000, AcquiredOn: acq,
		UsageStatus: models.UsageIdle, Condition: models.ConditionUsable})
	if err != nil {
		t.Fatalf("create scratch card: %v", err)
	}
	reqID := scratchRequest(t, f)
	db, err := sql.Open("sqlite3", "file:"+f.dbPath+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now().UTC()
	start := models.ProposalProposed
	if status != models.ProposalProposed {
		start = models.ProposalAccepted
	}
	res, err := db.Exec(`INSERT INTO proposals (request_id, asset_id, source_unit_id, request_unit_id, quantity, score, breakdown, reasons,
		self_match, status, hold_until, run_id, version, created_at, updated_at, objection, reason, comment)
		VALUES (?, ?, ?, ?, 1, 60, '[]', '同类：会议椅', 0, ?, ?, 0, 1, ?, ?, '', '', '')`,
		reqID, card.ID, f.unitB.ID, f.unitA.ID, start, now.Add(240*time.Hour), now, now)
	if err != nil {
		t.Fatalf("insert scratch proposal: %v", err)
	}
	id64, _ := res.LastInsertId()
	id := uint(id64)
	steps := map[models.ProposalStatus][]struct {
		who    string
		action models.ProposalAction
	}{
		models.ProposalApproved:   {{"finance", models.ActionApprove}},
		models.ProposalHandedOver: {{"finance", models.ActionApprove}, {"clerkB", models.ActionHandover}},
	}
	for _, s := range steps[status] {
		if _, err := f.app.ActOnProposal(ctx, f.users[s.who], id, s.action, app.ProposalInput{}); err != nil {
			t.Fatalf("bring scratch proposal to %s: %s: %v", status, s.action, err)
		}
	}
	return id
}

// actionRoute is a proposal step's expectation: the one side that may take it gets status,
// everyone else signed in 403.
func actionRoute(allowed map[string]int) map[string]int {
	want := map[string]int{anonymousCaller: http.StatusUnauthorized, "clerkA": http.StatusForbidden, "clerkB": http.StatusForbidden,
		"finance": http.StatusForbidden, "admin": http.StatusForbidden}
	for k, v := range allowed {
		want[k] = v
	}
	return want
}

// addWorkflowCases adds the reassignment workflow's routes to the authz table: each step only
// for its side (unit A requests, unit B's card is proposed), from the state it needs.
func addWorkflowCases(table map[string]authzCase) {
	step := func(from models.ProposalStatus, action string, body map[string]any) func(*testing.T, *fixture, string) request {
		return func(t *testing.T, f *fixture, _ string) request {
			return request{method: "POST", path: "/api/v1/proposals/" + itoa(scratchProposal(t, f, from)) + "/" + action, body: body}
		}
	}
	ok := http.StatusOK
	table["GET /proposals/:id"] = authzCase{
		build: func(t *testing.T, f *fixture, _ string) request {
			return request{method: "GET", path: "/api/v1/proposals/" + itoa(scratchProposal(t, f, models.ProposalProposed))}
		},
		want: signedInRoute(ok),
	}
	table["POST /proposals/:id/accept"] = authzCase{build: step(models.ProposalProposed, "accept", nil), want: actionRoute(map[string]int{"clerkA": ok})}
	table["POST /proposals/:id/decline"] = authzCase{build: step(models.ProposalProposed, "decline", map[string]any{"reason": "型号不合适"}), want: actionRoute(map[string]int{"clerkA": ok})}
	table["POST /proposals/:id/object"] = authzCase{build: step(models.ProposalProposed, "object", map[string]any{"reason": "仍在使用"}), want: actionRoute(map[string]int{"clerkB": ok})}
	table["POST /proposals/:id/approve"] = authzCase{build: step(models.ProposalAccepted, "approve", map[string]any{"comment": "同意"}), want: actionRoute(map[string]int{"finance": ok})}
	table["POST /proposals/:id/reject"] = authzCase{build: step(models.ProposalAccepted, "reject", map[string]any{"comment": "不同意"}), want: actionRoute(map[string]int{"finance": ok})}
	table["POST /proposals/:id/handover"] = authzCase{build: step(models.ProposalApproved, "handover", nil), want: actionRoute(map[string]int{"clerkB": ok})}
	table["POST /proposals/:id/receive"] = authzCase{build: step(models.ProposalHandedOver, "receive", map[string]any{"transfer_cost": 50}), want: actionRoute(map[string]int{"clerkA": ok})}
	table["POST /proposals/:id/cancel"] = authzCase{build: step(models.ProposalProposed, "cancel", nil), want: actionRoute(map[string]int{"clerkA": ok, "clerkB": ok})}
	table["POST /requests/:id/purchase"] = authzCase{
		build: func(t *testing.T, f *fixture, _ string) request {
			// A thousand chairs: more than the pool holds, so matching leaves a search record.
			v, err := f.app.CreateRequest(context.Background(), f.users["clerkA"], app.RequestInput{
				CategoryCode: scratchCategory(f), Name: "会议椅", Quantity: 1000, UnitPrice: 40000})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.app.SubmitRequest(context.Background(), f.users["clerkA"], v.ID); err != nil {
				t.Fatal(err)
			}
			return request{method: "POST", path: "/api/v1/requests/" + itoa(v.ID) + "/purchase", body: map[string]any{"decision": "approve", "comment": "同意购置"}}
		},
		want: actionRoute(map[string]int{"finance": ok}),
	}
	table["GET /inbox"] = authzCase{build: getRequest("/api/v1/inbox"), want: signedInRoute(ok)}
	table["GET /savings"] = authzCase{build: getRequest("/api/v1/savings"), want: signedInRoute(ok)}
	table["GET /audit"] = authzCase{build: getRequest("/api/v1/audit?entity=proposal"),
		want: actionRoute(map[string]int{"finance": ok, "admin": ok})}
}
