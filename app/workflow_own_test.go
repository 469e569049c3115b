package app

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"assetpool/models"
)

// The own-unit flow: a unit's own idle item proposed for its own request goes back in use on
// its clerk's confirmation (确认再利用), with no hand-over, no transfer order and no approval.

// ownProposal files a request of unit A and returns its only proposal, which must be of unit
// A's own item.
func (fx *matchFixture) ownProposal(t *testing.T, in RequestInput) (*RequestView, ProposalView) {
	t.Helper()
	r, p := fx.proposeOne(t, fx.clerkA, in)
	if p.SourceUnitID != fx.unitA.ID || p.RequestUnitID != fx.unitA.ID || p.Flow != models.FlowOwnUnit {
		t.Fatalf("not an own-unit proposal: %+v", p)
	}
	return r, p
}

func countRows(t *testing.T, a *App, model any, where string, args ...any) int64 {
	t.Helper()
	var n int64
	q := a.db.Model(model)
	if where != "" {
		q = q.Where(where, args...)
	}
	if err := q.Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestOwnItemConfirmedGoesBackInUse: the clerk's 确认再利用 puts the unit's own desktop back in
// use at once: the card keeps its number, books, custodian and location; the request is met;
// no transfer is written; the saving is recorded without one; the history has it all; nothing
// waits for anyone.
func TestOwnItemConfirmedGoesBackInUse(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	ctx := context.Background()
	own := fx.idle(t, fx.unitA, models.Asset{AssetNo: "JF-1", OriginalValue: 600000, AcquiredOn: models.Date{Year: 2023, Month: 5, Day: 15},
		Custodian: "张三", Location: "库房", Remarks: "原办公室电脑"})
	r, p := fx.ownProposal(t, RequestInput{UnitPrice: 550000})
	if got := actionsOf(p); got != "accept decline cancel" {
		t.Errorf("own clerk may %q", got)
	}
	if p.Actions[0].Label != "确认再利用" {
		t.Errorf("accept is offered as %q", p.Actions[0].Label)
	}
	if v, err := fx.a.Proposal(ctx, fx.finance, p.ID); err != nil || len(v.Actions) != 0 || v.Books != nil {
		t.Errorf("finance on an own-unit proposal: %+v %v", v, err)
	}
	for _, act := range []models.ProposalAction{models.ActionObject, models.ActionHandover} {
		if _, err := fx.a.ActOnProposal(ctx, fx.clerkA, p.ID, act, ProposalInput{Reason: "本单位要用"}); models.ErrorCode(err) != models.EForbidden {
			t.Errorf("%s against oneself: %v", act, err)
		}
	}
	if _, err := fx.a.ActOnProposal(ctx, fx.finance, p.ID, models.ActionObject, ProposalInput{Reason: "x"}); models.ErrorCode(err) != models.EForbidden {
		t.Errorf("finance objects: %v", err)
	}

	v := fx.act(t, fx.clerkA, p.ID, models.ActionAccept, ProposalInput{})
	if v.Status != models.ProposalReceived || v.TransferID != nil || len(v.Actions) != 0 {
		t.Fatalf("after 确认再利用: %+v", v)
	}
	card := loadCard(t, fx.a, own.ID)
	if card.UnitID != fx.unitA.ID || card.AssetNo != "JF-1" || card.OriginalValue != 600000 || card.OpeningDepreciation != 0 || card.LifeMonths != 0 ||
		card.AcquiredOn != (models.Date{Year: 2023, Month: 5, Day: 15}) || card.UsageStatus != models.UsageInUse || !card.IdleSince.IsZero() ||
		card.Custodian != "张三" || card.Location != "库房" || card.Remarks != "原办公室电脑" || card.InPool(false) {
		t.Errorf("own card after reuse: %+v", card)
	}
	req, _ := fx.a.Request(ctx, fx.clerkA, r.ID)
	if req.FulfilledQuantity != 1 || req.ProposedQuantity != 0 || req.Status != models.RequestFulfilled {
		t.Errorf("request after reuse: %+v", req.PurchaseRequest)
	}
	if n := countRows(t, fx.a, &models.Transfer{}, ""); n != 0 {
		t.Errorf("%d transfers written for a unit's own item", n)
	}
	// Reusing its own desktop spared unit A a purchase: budget 5,500.00 capped at 5,000.00.
	sv, err := fx.a.ListSavings(ctx, fx.clerkA, "")
	if err != nil || len(sv.Items) != 1 {
		t.Fatalf("savings: %+v %v", sv, err)
	}
	if s := sv.Items[0]; s.TransferID != nil || s.ProposalID != p.ID || s.Avoided != 500000 || s.TransferCost != 0 || s.Amount != 500000 ||
		!strings.HasPrefix(s.Method, "本单位闲置资产再利用") {
		t.Errorf("saving: %+v", s)
	}
	for _, c := range []struct {
		entity, action string
		id             uint
	}{{"asset", "asset.reuse", own.ID}, {"proposal", "proposal.reuse", p.ID}, {"saving", "saving.create", sv.Items[0].ID}} {
		evs, err := fx.a.ListAudit(ctx, AuditFilter{Entity: c.entity, EntityID: strconv.FormatUint(uint64(c.id), 10), Action: c.action})
		if err != nil || len(evs) != 1 || evs[0].Actor != "jingfa" {
			t.Errorf("%s history lacks %s: %+v %v", c.entity, c.action, evs, err)
		}
	}
	for _, who := range []*models.User{fx.clerkA, fx.finance} {
		box, err := fx.a.Inbox(ctx, who)
		if err != nil || box.Total != 0 {
			t.Errorf("%s inbox after reuse: %+v %v", who.Username, box, err)
		}
	}
	// The confirmation is final: a second one is a conflict, and nothing can undo it.
	for _, act := range []models.ProposalAction{models.ActionAccept, models.ActionCancel, models.ActionReceive} {
		if _, err := fx.a.ActOnProposal(ctx, fx.clerkA, p.ID, act, ProposalInput{}); models.ErrorCode(err) != models.EConflict {
			t.Errorf("%s after reuse: %v", act, err)
		}
	}
}

// TestOwnPartOfAQuantityCardGoesBackInUse: 4 of 10 chairs of unit A's own card are reused. The
// card is not split — the unit's ledger has one card of 10 chairs and keeps it — it offers the
// 6 left; when the rest are reused too, the card is back in use.
func TestOwnPartOfAQuantityCardGoesBackInUse(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	chairs := fx.idle(t, fx.unitA, models.Asset{AssetNo: "CH", Name: "办公椅", CategoryCode: "A05010301", Quantity: 10,
		OriginalValue: 800000, AcquiredOn: models.Date{Year: 2020, Month: 1, Day: 1}})
	r, p := fx.ownProposal(t, RequestInput{CategoryCode: "A05010301", Name: "办公椅", Quantity: 4, UnitPrice: 80000})
	if p.Quantity != 4 {
		t.Fatalf("proposal of %d chairs", p.Quantity)
	}
	fx.act(t, fx.clerkA, p.ID, models.ActionAccept, ProposalInput{})
	card := loadCard(t, fx.a, chairs.ID)
	if card.Quantity != 10 || card.OriginalValue != 800000 || card.OfferedQuantity != 6 || card.UsageStatus != models.UsageIdle || card.Offered() != 6 {
		t.Errorf("the card after 4 reused: %+v", card)
	}
	if n := countRows(t, fx.a, &models.Asset{}, "unit_id = ?", fx.unitA.ID); n != 1 {
		t.Errorf("unit A has %d cards; the card was split", n)
	}
	req, _ := fx.a.Request(context.Background(), fx.clerkA, r.ID)
	if req.FulfilledQuantity != 4 || req.Status != models.RequestFulfilled {
		t.Errorf("request: %+v", req.PurchaseRequest)
	}
	// The other 6 for a second request: the whole card is back in use.
	_, p2 := fx.ownProposal(t, RequestInput{CategoryCode: "A05010301", Name: "办公椅", Quantity: 6, UnitPrice: 80000})
	fx.act(t, fx.clerkA, p2.ID, models.ActionAccept, ProposalInput{})
	card = loadCard(t, fx.a, chairs.ID)
	if card.Quantity != 10 || card.OfferedQuantity != 0 || card.UsageStatus != models.UsageInUse || !card.IdleSince.IsZero() {
		t.Errorf("the card after all reused: %+v", card)
	}
	if n := countRows(t, fx.a, &models.Transfer{}, ""); n != 0 {
		t.Errorf("%d transfers", n)
	}
	if n := countRows(t, fx.a, &models.Saving{}, "unit_id = ? AND transfer_id IS NULL", fx.unitA.ID); n != 2 {
		t.Errorf("%d savings without transfer; want 2", n)
	}
}

// TestRequestPartlyMetByOwnItemsStays: a request met in part by the unit's own items (4 of 6
// chairs reused) can no longer be withdrawn, as after any approval; its status says how far.
func TestRequestPartlyMetByOwnItemsStays(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	ctx := context.Background()
	fx.idle(t, fx.unitA, models.Asset{AssetNo: "CH", Name: "办公椅", CategoryCode: "A05010301", Quantity: 4,
		OriginalValue: 320000, AcquiredOn: models.Date{Year: 2020, Month: 1, Day: 1}})
	r, p := fx.ownProposal(t, RequestInput{CategoryCode: "A05010301", Name: "办公椅", Quantity: 6, UnitPrice: 80000})
	fx.act(t, fx.clerkA, p.ID, models.ActionAccept, ProposalInput{})
	req, _ := fx.a.Request(ctx, fx.clerkA, r.ID)
	if req.FulfilledQuantity != 4 || !req.Status.Open() {
		t.Fatalf("request: %+v", req.PurchaseRequest)
	}
	if _, err := fx.a.WithdrawRequest(ctx, fx.clerkA, r.ID); models.ErrorCode(err) != models.EConflict {
		t.Errorf("a request met in part withdrawn: %v", err)
	}
}

// TestOwnItemDeclinedCancelledOrExpired: the three ways an own-unit proposal ends without
// reuse all leave the item idle in the pool and free it; a declined item is not offered to
// the same request again.
func TestOwnItemDeclinedCancelledOrExpired(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, c := range []struct {
		name string
		end  func(fx *matchFixture, p ProposalView) error
		want models.ProposalStatus
	}{
		{"decline", func(fx *matchFixture, p ProposalView) error {
			if _, err := fx.a.ActOnProposal(ctx, fx.clerkA, p.ID, models.ActionDecline, ProposalInput{}); models.ErrorCode(err) != models.EInvalid {
				t.Errorf("decline without a reason: %v", err)
			}
			_, err := fx.a.ActOnProposal(ctx, fx.clerkA, p.ID, models.ActionDecline, ProposalInput{Reason: "配置太低"})
			return err
		}, models.ProposalDeclined},
		{"cancel", func(fx *matchFixture, p ProposalView) error {
			_, err := fx.a.ActOnProposal(ctx, fx.clerkA, p.ID, models.ActionCancel, ProposalInput{Reason: "留作备用"})
			return err
		}, models.ProposalCancelled},
		{"expiry", func(fx *matchFixture, p ProposalView) error {
			fx.clk.advance(10*24*time.Hour + time.Minute)
			n, err := fx.a.ReleaseExpiredHolds(ctx)
			if n != 1 {
				t.Errorf("%d holds released", n)
			}
			fx.a.WaitBackground()
			if err == nil {
				if _, err := fx.a.ActOnProposal(ctx, fx.clerkA, p.ID, models.ActionAccept, ProposalInput{}); models.ErrorCode(err) != models.EConflict {
					t.Errorf("reuse after expiry: %v", err)
				}
			}
			return err
		}, models.ProposalExpired},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fx := newMatchFixture(t)
			own := fx.idle(t, fx.unitA, models.Asset{AssetNo: "JF-1"})
			r, p := fx.ownProposal(t, RequestInput{UnitPrice: 500000})
			if err := c.end(fx, p); err != nil {
				t.Fatal(err)
			}
			fx.a.WaitBackground()
			var got models.Proposal
			fx.a.db.First(&got, p.ID)
			if got.Status != c.want {
				t.Errorf("status %s, want %s", got.Status, c.want)
			}
			card := loadCard(t, fx.a, own.ID)
			if card.UsageStatus != models.UsageIdle || !card.InPool(false) {
				t.Errorf("card after %s: %+v", c.name, card)
			}
			req, _ := fx.a.Request(ctx, fx.clerkA, r.ID)
			if req.FulfilledQuantity != 0 {
				t.Errorf("request after %s: %+v", c.name, req.PurchaseRequest)
			}
			if c.want == models.ProposalDeclined {
				if n := countRows(t, fx.a, &models.Proposal{}, "request_id = ? AND asset_id = ? AND status = ?", r.ID, own.ID, models.ProposalProposed); n != 0 {
					t.Errorf("the declined item was offered again")
				}
			}
			if n := countRows(t, fx.a, &models.Transfer{}, ""); n != 0 {
				t.Errorf("%d transfers", n)
			}
			if n := countRows(t, fx.a, &models.Saving{}, ""); n != 0 {
				t.Errorf("%d savings", n)
			}
		})
	}
}

// TestOwnUnitProposalsOfTheOldFlow: own-unit proposals left by the old flow finish. One
// accepted waits for finance, whose approval returns the item to use (or whose rejection frees
// it); one approved stands 已批准·待移交 with a transfer from the unit to itself: the transfer
// stays readable, is on no hand-over list, and the clerk's 确认再利用 closes it.
func TestOwnUnitProposalsOfTheOldFlow(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	ctx := context.Background()
	r := fx.request(t, fx.clerkA, RequestInput{UnitPrice: 500000, Quantity: 3})
	fx.a.WaitBackground()
	legacy := func(no string, status models.ProposalStatus) (*models.Asset, models.Proposal) {
		t.Helper()
		card := fx.idle(t, fx.unitA, models.Asset{AssetNo: no})
		fx.a.WaitBackground()
		fx.a.db.Where("asset_id = ?", card.ID).Delete(&models.Proposal{})
		p := models.Proposal{RequestID: r.ID, AssetID: card.ID, SourceUnitID: fx.unitA.ID, RequestUnitID: fx.unitA.ID, Quantity: 1,
			SelfMatch: true, Status: status, HoldUntil: testNow.Add(24 * time.Hour), Version: 1}
		if err := fx.a.db.Create(&p).Error; err != nil {
			t.Fatal(err)
		}
		return card, p
	}
	fx.a.db.Model(&models.PurchaseRequest{}).Where("id = ?", r.ID).Update("proposed_quantity", 2)

	// Accepted under the old flow: finance approves, and the item is back in use.
	acc, pa := legacy("JF-A", models.ProposalAccepted)
	box, _ := fx.a.Inbox(ctx, fx.finance)
	if sectionCount(box, "to_approve") != 1 {
		t.Errorf("finance inbox: %+v", box)
	}
	if d, err := fx.a.Proposal(ctx, fx.finance, pa.ID); err != nil || actionsOf(d.ProposalView) != "approve reject" || d.Actions[0].Label != "批准再利用" || d.Books != nil {
		t.Errorf("finance on an old accepted own proposal: %+v %v", d, err)
	}
	v := fx.act(t, fx.finance, pa.ID, models.ActionApprove, ProposalInput{Comment: "同意本单位再利用"})
	if v.Status != models.ProposalReceived || v.TransferID != nil || v.Comment != "同意本单位再利用" {
		t.Errorf("approved: %+v", v)
	}
	if c := loadCard(t, fx.a, acc.ID); c.UsageStatus != models.UsageInUse || c.AssetNo != "JF-A" {
		t.Errorf("card: %+v", c)
	}

	// Another, rejected by finance: the item stays in the pool.
	rej, pr := legacy("JF-R", models.ProposalAccepted)
	fx.act(t, fx.finance, pr.ID, models.ActionReject, ProposalInput{Comment: "该电脑另有安排"})
	if c := loadCard(t, fx.a, rej.ID); c.UsageStatus != models.UsageIdle {
		t.Errorf("rejected card: %+v", c)
	}

	// Approved under the old flow: its card is back in use already, a transfer from unit A to
	// itself was written, and the proposal was stuck.
	app, pp := legacy("JF-P", models.ProposalApproved)
	fx.a.db.Model(&models.Asset{}).Where("id = ?", app.ID).Updates(map[string]any{"usage_status": models.UsageInUse, "idle_since": nil})
	old := models.Transfer{No: "DB2026-0001", ProposalID: pp.ID, RequestID: r.ID, SourceUnitID: fx.unitA.ID, ReceivingUnitID: fx.unitA.ID,
		SourceAssetID: app.ID, AssetID: app.ID, AssetNo: "JF-P", NewAssetNo: "JF-P", Name: "台式计算机", Quantity: 1,
		OriginalValue: 500000, Accumulated: 473611, NetValue: 26389, BookedValue: 500000, Date: testDate(), ApproverName: "caizheng"}
	if err := fx.a.db.Create(&old).Error; err != nil {
		t.Fatal(err)
	}
	fx.a.db.Model(&models.Proposal{}).Where("id = ?", pp.ID).Update("transfer_id", old.ID)
	box, _ = fx.a.Inbox(ctx, fx.clerkA)
	if sectionCount(box, "to_hand_over") != 0 || sectionCount(box, "to_receive") != 1 {
		t.Errorf("clerk inbox with an old approved own proposal: %+v", box)
	}
	var buf bytes.Buffer
	if err := fx.a.WriteHandoverListHTML(ctx, fx.clerkA, "", &buf); err != nil || strings.Contains(buf.String(), "JF-P") {
		t.Errorf("the hand-over list holds a transfer to the unit itself (%v)", err)
	}
	if tv, err := fx.a.Transfer(ctx, fx.clerkA, old.ID); err != nil || tv.No != "DB2026-0001" || tv.SourceUnit != "JF" || tv.ReceivingUnit != "JF" {
		t.Errorf("old own transfer: %+v %v", tv, err)
	}
	buf.Reset()
	if err := fx.a.WriteTransferOrderHTML(ctx, fx.clerkA, old.ID, &buf); err != nil || !strings.Contains(buf.String(), "DB2026-0001") {
		t.Errorf("old own transfer order: %v", err)
	}
	d, err := fx.a.Proposal(ctx, fx.clerkA, pp.ID)
	if err != nil || actionsOf(d.ProposalView) != "receive" || d.Actions[0].Label != "确认再利用" {
		t.Fatalf("clerk on an old approved own proposal: %+v %v", d, err)
	}
	v = fx.act(t, fx.clerkA, pp.ID, models.ActionReceive, ProposalInput{})
	if v.Status != models.ProposalReceived {
		t.Errorf("closed: %+v", v)
	}
	var tr models.Transfer
	fx.a.db.First(&tr, old.ID)
	if tr.HandedOverAt == nil || tr.ReceivedAt == nil {
		t.Errorf("old transfer not closed: %+v", tr)
	}
	var sv models.Saving
	if err := fx.a.db.Where("proposal_id = ?", pp.ID).First(&sv).Error; err != nil || sv.TransferID == nil || *sv.TransferID != old.ID {
		t.Errorf("saving of the old transfer: %+v %v", sv, err)
	}
	req, _ := fx.a.Request(ctx, fx.clerkA, r.ID)
	if req.FulfilledQuantity != 1 {
		t.Errorf("request: %+v", req.PurchaseRequest)
	}
}

// TestOldSavingsTableTakesSavingsWithoutTransfer: a database written before own-unit reuse has
// a savings table whose transfer_id is NOT NULL; opening it makes the column nullable, keeps
// the rows and links them to their proposals.
func TestOldSavingsTableTakesSavingsWithoutTransfer(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TABLE `transfers` (`id` integer PRIMARY KEY AUTOINCREMENT,`no` text NOT NULL,`proposal_id` integer NOT NULL,`request_id` integer NOT NULL,`source_unit_id` integer NOT NULL,`receiving_unit_id` integer NOT NULL,`source_asset_id` integer NOT NULL,`asset_id` integer NOT NULL,`asset_no` text,`new_asset_no` text,`name` text,`model` text,`category_code` text,`measure_unit` text,`quantity` integer,`original_value` integer,`accumulated` integer,`net_value` integer,`booked_value` integer,`booked_depreciation` integer,`life_months` integer,`date` date,`approved_by_id` integer,`approver_name` text,`comment` text,`handed_over_at` datetime,`received_at` datetime,`created_at` datetime)",
		"INSERT INTO transfers (id, no, proposal_id, request_id, source_unit_id, receiving_unit_id, source_asset_id, asset_id) VALUES (7, 'DB2026-0001', 42, 3, 1, 1, 5, 5)",
		"CREATE TABLE `savings` (`id` integer PRIMARY KEY AUTOINCREMENT,`transfer_id` integer NOT NULL,`request_id` integer NOT NULL,`unit_id` integer NOT NULL,`quantity` integer,`unit_price` integer,`cap` integer,`avoided` integer,`transfer_cost` integer,`amount` integer,`method` text,`created_at` datetime)",
		"CREATE UNIQUE INDEX `idx_savings_transfer_id` ON `savings`(`transfer_id`)",
		"INSERT INTO savings (transfer_id, request_id, unit_id, quantity, amount) VALUES (7, 3, 1, 1, 480000)",
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()
	cfg := DefaultConfig()
	cfg.DB = path
	a, err := Open(context.Background(), cfg, WithClock(func() time.Time { return testNow }))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var old models.Saving
	if err := a.db.First(&old).Error; err != nil || old.TransferID == nil || *old.TransferID != 7 || old.ProposalID != 42 || old.Amount != 480000 {
		t.Errorf("old saving: %+v %v", old, err)
	}
	for range 2 {
		if err := a.db.Create(&models.Saving{ProposalID: 43, RequestID: 3, UnitID: 1, Quantity: 1}).Error; err != nil {
			t.Fatalf("a saving without transfer: %v", err)
		}
	}
	if err := a.db.Create(&models.Saving{TransferID: old.TransferID, RequestID: 3, UnitID: 1}).Error; err == nil {
		t.Error("a second saving of one transfer was written")
	}
}
