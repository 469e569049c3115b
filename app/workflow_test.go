package app

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"assetpool/models"
)

// proposeOne files a request of clerk for in and returns its only proposal.
func (fx *matchFixture) proposeOne(t *testing.T, clerk *models.User, in RequestInput) (*RequestView, ProposalView) {
	t.Helper()
	r := fx.request(t, clerk, in)
	ps := fx.proposals(t, clerk, r.ID)
	if len(ps) != 1 {
		t.Fatalf("want one proposal, got %+v", ps)
	}
	return r, ps[0]
}

func (fx *matchFixture) act(t *testing.T, who *models.User, id uint, action models.ProposalAction, in ProposalInput) *ProposalView {
	t.Helper()
	v, err := fx.a.ActOnProposal(context.Background(), who, id, action, in)
	if err != nil {
		t.Fatalf("%s by %s: %v", action, who.Username, err)
	}
	return v
}

func loadCard(t *testing.T, a *App, id uint) models.Asset {
	t.Helper()
	var as models.Asset
	if err := a.db.First(&as, id).Error; err != nil {
		t.Fatal(err)
	}
	return as
}

// TestWholePathMovesTheCardWithItsBooks: a mid-life desktop of unit B goes to unit A. The
// source's books stop at the end of last month (42 of 72 months: 3,500.00 of 6,000.00), unit A
// books the net 2,500.00 over the 30 months left, from this month.
func TestWholePathMovesTheCardWithItsBooks(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	ctx := context.Background()
	item := fx.idle(t, fx.unitB, models.Asset{AssetNo: "XR-1", OriginalValue: 600000, AcquiredOn: models.Date{Year: 2023, Month: 5, Day: 15},
		Custodian: "钱七", Location: "3楼库房"})
	r, p := fx.proposeOne(t, fx.clerkA, RequestInput{UnitPrice: 550000})
	if got := actionsOf(p); got != "accept decline cancel" {
		t.Errorf("requester may %q", got)
	}
	fx.act(t, fx.clerkA, p.ID, models.ActionAccept, ProposalInput{})
	v := fx.act(t, fx.finance, p.ID, models.ActionApprove, ProposalInput{Comment: "同意调剂"})
	if v.Status != models.ProposalApproved || v.TransferID == nil || v.Comment != "同意调剂" {
		t.Fatalf("approved: %+v", v)
	}
	card := loadCard(t, fx.a, item.ID)
	// 42 of 72 months at 83.33 (3,499.86) by the end of October leave 2,500.14 over 30 months.
	if card.UnitID != fx.unitA.ID || card.UsageStatus != models.UsageInUse || card.OriginalValue != 250014 || card.LifeMonths != 30 ||
		card.OpeningDepreciation != 0 || card.AcquiredOn != testDate() || card.AcquisitionMethod != "调拨" || card.Custodian != "" || !card.IdleSince.IsZero() {
		t.Fatalf("moved card: %+v", card)
	}
	// The receiver charges 2,500.14 ÷ 30 = 83.338 → 83.34 a month, from this month.
	d := card.Schedule(models.ClassLife{Depreciated: true, Years: 6}, testDate())
	if d.Accumulated != 8334 || d.Net != 241680 || d.RemainingMonths != 29 {
		t.Errorf("receiver's depreciation this month: %+v", d)
	}
	var tr models.Transfer
	if err := fx.a.db.First(&tr, *v.TransferID).Error; err != nil {
		t.Fatal(err)
	}
	if tr.No != "DB2026-0001" || tr.OriginalValue != 600000 || tr.Accumulated != 349986 || tr.NetValue != 250014 ||
		tr.BookedValue != 250014 || tr.LifeMonths != 30 || tr.SourceUnitID != fx.unitB.ID || tr.ReceivingUnitID != fx.unitA.ID {
		t.Errorf("transfer: %+v", tr)
	}
	req, _ := fx.a.Request(ctx, fx.clerkA, r.ID)
	if req.FulfilledQuantity != 1 || req.ProposedQuantity != 0 || req.Status != models.RequestFulfilled {
		t.Errorf("request after approval: %+v", req.PurchaseRequest)
	}
	fx.act(t, fx.clerkB, p.ID, models.ActionHandover, ProposalInput{})
	fx.act(t, fx.clerkA, p.ID, models.ActionReceive, ProposalInput{TransferCost: 20000})
	sv, err := fx.a.ListSavings(ctx, fx.finance, "")
	if err != nil || len(sv.Items) != 1 {
		t.Fatalf("savings: %+v %v", sv, err)
	}
	// Budget 5,500.00 is capped by the central standard for desktops, 5,000.00; less 200.00.
	s := sv.Items[0]
	if s.Avoided != 500000 || s.Cap != 500000 || s.Amount != 480000 || !strings.Contains(s.Method, "配置标准上限") || s.UnitName != "经济发展局" {
		t.Errorf("saving: %+v", s)
	}
	// Both units' histories show the transfer.
	for _, u := range []*models.Unit{fx.unitA, fx.unitB} {
		evs, err := fx.a.ListAudit(ctx, AuditFilter{UnitID: &u.ID, Action: "asset.transfer"})
		if err != nil || len(evs) == 0 {
			t.Errorf("unit %s history lacks the transfer: %v", u.Code, err)
		}
	}
	hist, err := fx.a.Proposal(ctx, fx.clerkB, p.ID)
	if err != nil || len(hist.History) < 4 {
		t.Errorf("proposal history: %v %v", hist, err)
	}
	// The card is now unit A's: its clerk edits it, unit B's no longer reads it.
	if _, err := fx.a.Asset(ctx, fx.clerkB, item.ID, models.Date{}); models.ErrorCode(err) != models.ENotFound {
		t.Errorf("the source still reads the moved card: %v", err)
	}
}

func testDate() models.Date { return models.DateOf(testNow) }

func actionsOf(p ProposalView) string {
	var out []string
	for _, a := range p.Actions {
		out = append(out, string(a.Action))
	}
	return strings.Join(out, " ")
}

// TestPartOfAQuantityCardMoves: 4 of 10 chairs (8,000.00, 15 years from January 2020) move;
// 82 of 180 months are charged on the moved share of 3,200.00 by the end of October.
func TestPartOfAQuantityCardMoves(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	chairs := fx.idle(t, fx.unitB, models.Asset{AssetNo: "CH", Name: "办公椅", CategoryCode: "A05010301", Quantity: 10, OfferedQuantity: 6,
		OriginalValue: 800000, AcquiredOn: models.Date{Year: 2020, Month: 1, Day: 1}})
	_, p := fx.proposeOne(t, fx.clerkA, RequestInput{CategoryCode: "A05010301", Name: "办公椅", Quantity: 4, UnitPrice: 80000})
	fx.act(t, fx.clerkA, p.ID, models.ActionAccept, ProposalInput{})
	v := fx.act(t, fx.finance, p.ID, models.ActionApprove, ProposalInput{})
	rest := loadCard(t, fx.a, chairs.ID)
	// The card's charge, 8,000.00 ÷ 180 → 44.44, is shared: 4/10 is 17.776 → 17.77 for the moved
	// chairs, and the rest keeps 26.67.
	if rest.UnitID != fx.unitB.ID || rest.Quantity != 6 || rest.OriginalValue != 480000 || rest.MonthlyCharge != 2667 ||
		rest.OfferedQuantity != 2 || rest.UsageStatus != models.UsageIdle {
		t.Errorf("the rest of the card: %+v", rest)
	}
	var tr models.Transfer
	fx.a.db.First(&tr, *v.TransferID)
	// 82 months × 17.77 = 1,457.14 charged on the moved 3,200.00.
	if tr.Quantity != 4 || tr.OriginalValue != 320000 || tr.Accumulated != 145714 || tr.NetValue != 174286 || tr.LifeMonths != 98 {
		t.Errorf("transfer: %+v", tr)
	}
	// What stays and what left add up to the card as it was: 82 × 4444 = 3,644.08.
	if d := rest.Schedule(models.ClassLife{Depreciated: true, Years: 15}, models.Date{Year: 2026, Month: 10, Day: 31}); d.Accumulated+tr.Accumulated != 82*4444 {
		t.Errorf("rest %s + moved %s, want %s", d.Accumulated, tr.Accumulated, models.Money(82*4444))
	}
	moved := loadCard(t, fx.a, tr.AssetID)
	if moved.ID == chairs.ID || moved.UnitID != fx.unitA.ID || moved.Quantity != 4 || moved.OriginalValue != 174286 || moved.AssetNo != "CH" ||
		moved.FirstAcquiredOn != chairs.AcquiredOn {
		t.Errorf("the moved card: %+v", moved)
	}
}

// TestFullyDepreciatedItemIsBookedAtOriginalValue: a desktop bought in 2015 (6 years) is booked
// by the receiver at its original value with equal accumulated depreciation.
func TestFullyDepreciatedItemIsBookedAtOriginalValue(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	old := fx.idle(t, fx.unitB, models.Asset{AssetNo: "OLD", OriginalValue: 450000, AcquiredOn: models.Date{Year: 2015, Month: 3, Day: 1}})
	_, p := fx.proposeOne(t, fx.clerkA, RequestInput{UnitPrice: 500000})
	fx.act(t, fx.clerkA, p.ID, models.ActionAccept, ProposalInput{})
	fx.act(t, fx.finance, p.ID, models.ActionApprove, ProposalInput{})
	card := loadCard(t, fx.a, old.ID)
	d := card.Schedule(models.ClassLife{Depreciated: true, Years: 6}, testDate())
	if card.OriginalValue != 450000 || card.OpeningDepreciation != 450000 || d.Accumulated != 450000 || d.Net != 0 || !d.Fully || d.Months != 0 {
		t.Errorf("booked %+v, depreciation %+v", card, d)
	}
}

// TestParallelApprovalsGiveTheItemOnce: two finance users approve two accepted proposals of
// the same single item at the same moment; exactly one succeeds.
func TestParallelApprovalsGiveTheItemOnce(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	ctx := context.Background()
	item := fx.idle(t, fx.unitB, models.Asset{AssetNo: "XR-1"})
	_, p := fx.proposeOne(t, fx.clerkA, RequestInput{UnitPrice: 500000})
	fx.act(t, fx.clerkA, p.ID, models.ActionAccept, ProposalInput{})
	// A competing proposal for the same piece, as a stale run or a hand-made one could leave.
	rc := fx.request(t, fx.clerkC, RequestInput{UnitPrice: 500000})
	rival := models.Proposal{RequestID: rc.ID, AssetID: item.ID, SourceUnitID: fx.unitB.ID, RequestUnitID: fx.unitC.ID, Quantity: 1,
		Status: models.ProposalAccepted, HoldUntil: testNow.Add(24 * time.Hour), Version: 1}
	if err := fx.a.db.Create(&rival).Error; err != nil {
		t.Fatal(err)
	}
	fin2 := &models.User{Username: "caizheng2", Role: models.RoleFinance, Active: true}
	if err := fx.a.CreateUser(ctx, nil, fin2, "password-123"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, job := range []struct {
		who *models.User
		id  uint
	}{{fx.finance, p.ID}, {fin2, rival.ID}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = fx.a.ActOnProposal(ctx, job.who, job.id, models.ActionApprove, ProposalInput{})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case models.ErrorCode(err) != models.EConflict:
			t.Errorf("the losing approval: %v", err)
		}
	}
	var transfers int64
	fx.a.db.Model(&models.Transfer{}).Count(&transfers)
	if ok != 1 || transfers != 1 {
		t.Fatalf("%d approvals succeeded, %d transfers (errors %v)", ok, transfers, errs)
	}
}

// TestAcceptRacingExpiry: the clerk accepts just as the hold runs out and the hourly release
// runs; the proposal ends expired once, and the acceptance is refused.
func TestAcceptRacingExpiry(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	ctx := context.Background()
	fx.idle(t, fx.unitB, models.Asset{AssetNo: "XR-1"})
	_, p := fx.proposeOne(t, fx.clerkA, RequestInput{UnitPrice: 500000})
	fx.clk.advance(10*24*time.Hour + time.Minute)
	var wg sync.WaitGroup
	var acceptErr, releaseErr error
	wg.Add(2)
	go func() {
		defer wg.Done()
		_, acceptErr = fx.a.ActOnProposal(ctx, fx.clerkA, p.ID, models.ActionAccept, ProposalInput{})
	}()
	go func() { defer wg.Done(); _, releaseErr = fx.a.ReleaseExpiredHolds(ctx) }()
	wg.Wait()
	fx.a.WaitBackground()
	if models.ErrorCode(acceptErr) != models.EConflict || releaseErr != nil {
		t.Fatalf("accept: %v; release: %v", acceptErr, releaseErr)
	}
	var got models.Proposal
	fx.a.db.First(&got, p.ID)
	if got.Status != models.ProposalExpired {
		t.Errorf("status %s", got.Status)
	}
	n, _ := fx.a.ListAudit(ctx, AuditFilter{Entity: "proposal", EntityID: strconv.FormatUint(uint64(p.ID), 10), Action: "proposal.expired"})
	if len(n) != 1 {
		t.Errorf("%d expiry events", len(n))
	}
}

// TestDeclineOffersTheNextCandidate: the requester declines the best item with a reason; the
// freed item is not offered back, the next one is.
func TestDeclineOffersTheNextCandidate(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	ctx := context.Background()
	first := fx.idle(t, fx.unitB, models.Asset{AssetNo: "XR-1", Condition: models.ConditionNew, AcquiredOn: models.Date{Year: 2026, Month: 1, Day: 1}})
	second := fx.idle(t, fx.unitC, models.Asset{AssetNo: "XRS-1", AcquiredOn: models.Date{Year: 2020, Month: 1, Day: 1}})
	fx.a.WaitBackground()
	r, p := fx.proposeOne(t, fx.clerkA, RequestInput{UnitPrice: 500000})
	if p.AssetID != first.ID {
		t.Fatalf("first proposal %+v", p)
	}
	if _, err := fx.a.ActOnProposal(ctx, fx.clerkA, p.ID, models.ActionDecline, ProposalInput{}); models.ErrorCode(err) != models.EInvalid {
		t.Errorf("decline without a reason: %v", err)
	}
	v := fx.act(t, fx.clerkA, p.ID, models.ActionDecline, ProposalInput{Reason: "需要台式机带独立显卡"})
	if v.Status != models.ProposalDeclined || v.Reason != "需要台式机带独立显卡" {
		t.Errorf("declined: %+v", v)
	}
	fx.a.WaitBackground()
	var live []models.Proposal
	fx.a.db.Where("request_id = ? AND status = ?", r.ID, models.ProposalProposed).Find(&live)
	if len(live) != 1 || live[0].AssetID != second.ID {
		t.Fatalf("after the decline: %+v", live)
	}
}

// TestObjectionReachesFinanceAndScoping: the source's clerk objects; finance sees it; the
// wrong side is refused and a third unit's clerk does not see the proposal at all.
func TestObjectionReachesFinanceAndScoping(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	ctx := context.Background()
	fx.idle(t, fx.unitB, models.Asset{AssetNo: "XR-1"})
	_, p := fx.proposeOne(t, fx.clerkA, RequestInput{UnitPrice: 500000})
	if _, err := fx.a.ActOnProposal(ctx, fx.clerkB, p.ID, models.ActionAccept, ProposalInput{}); models.ErrorCode(err) != models.EForbidden {
		t.Errorf("the source accepted: %v", err)
	}
	if _, err := fx.a.ActOnProposal(ctx, fx.clerkC, p.ID, models.ActionAccept, ProposalInput{}); models.ErrorCode(err) != models.ENotFound {
		t.Errorf("a third unit accepted: %v", err)
	}
	if _, err := fx.a.ActOnProposal(ctx, fx.finance, p.ID, models.ActionApprove, ProposalInput{}); models.ErrorCode(err) != models.EConflict {
		t.Errorf("approval before acceptance: %v", err)
	}
	box, err := fx.a.Inbox(ctx, fx.clerkB)
	if err != nil || sectionCount(box, "chosen") != 1 {
		t.Errorf("source inbox: %+v %v", box, err)
	}
	fx.act(t, fx.clerkB, p.ID, models.ActionObject, ProposalInput{Reason: "该电脑已安排给新入职人员"})
	fx.act(t, fx.clerkA, p.ID, models.ActionAccept, ProposalInput{})
	box, err = fx.a.Inbox(ctx, fx.finance)
	if err != nil || sectionCount(box, "to_approve") != 1 || sectionCount(box, "objections") != 1 {
		t.Fatalf("finance inbox: %+v %v", box, err)
	}
	for _, s := range box.Sections {
		if s.Key == "objections" && s.Items[0].Objection != "该电脑已安排给新入职人员" {
			t.Errorf("objection: %+v", s.Items[0])
		}
	}
	v := fx.act(t, fx.finance, p.ID, models.ActionReject, ProposalInput{Comment: "尊重资产所属单位意见"})
	if v.Status != models.ProposalRejected {
		t.Errorf("rejected: %+v", v)
	}
}

func sectionCount(b *Inbox, key string) int {
	for _, s := range b.Sections {
		if s.Key == key {
			return s.Count
		}
	}
	return -1
}

// TestPurchaseDecisionNeedsASearchRecord: finance decides on buying only what reuse could not
// supply, having seen the record; the decision and who made it are kept.
func TestPurchaseDecisionNeedsASearchRecord(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	ctx := context.Background()
	draft, err := fx.a.CreateRequest(ctx, fx.clerkA, RequestInput{CategoryCode: "A02010105", Name: "台式计算机", Quantity: 2, UnitPrice: 500000})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.a.DecidePurchase(ctx, fx.finance, draft.ID, true, ""); models.ErrorCode(err) != models.EConflict {
		t.Errorf("a draft's purchase: %v", err)
	}
	r := fx.request(t, fx.clerkA, RequestInput{UnitPrice: 500000, Quantity: 2})
	if _, err := fx.a.DecidePurchase(ctx, fx.clerkA, r.ID, true, ""); models.ErrorCode(err) != models.EForbidden {
		t.Errorf("a clerk decided: %v", err)
	}
	if _, err := fx.a.DecidePurchase(ctx, fx.finance, r.ID, false, ""); models.ErrorCode(err) != models.EInvalid {
		t.Errorf("a rejection without comment: %v", err)
	}
	box, _ := fx.a.Inbox(ctx, fx.finance)
	if sectionCount(box, "purchases") != 1 {
		t.Errorf("finance inbox purchases: %+v", box)
	}
	v, err := fx.a.DecidePurchase(ctx, fx.finance, r.ID, true, "闲置资产库无可调剂资产，同意购置")
	if err != nil || v.Status != models.RequestPurchaseApproved || v.Purchase == nil || v.Purchase.Quantity != 2 || v.Purchase.RecordID == 0 || v.Purchase.ByID != fx.finance.ID {
		t.Fatalf("decision: %+v %v", v, err)
	}
	if _, err := fx.a.DecidePurchase(ctx, fx.finance, r.ID, true, ""); models.ErrorCode(err) != models.EConflict {
		t.Errorf("deciding twice: %v", err)
	}
}

// TestLastOfferedPiecesMoving: when the pieces a unit offered have all gone, the pieces it kept
// back stay with it, in use, and leave the pool.
func TestLastOfferedPiecesMoving(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	chairs := fx.idle(t, fx.unitB, models.Asset{AssetNo: "CH", Name: "办公椅", CategoryCode: "A05010301", Quantity: 10, OfferedQuantity: 4,
		OriginalValue: 800000, AcquiredOn: models.Date{Year: 2020, Month: 1, Day: 1}})
	_, p := fx.proposeOne(t, fx.clerkA, RequestInput{CategoryCode: "A05010301", Name: "办公椅", Quantity: 4, UnitPrice: 80000})
	fx.act(t, fx.clerkA, p.ID, models.ActionAccept, ProposalInput{})
	fx.act(t, fx.finance, p.ID, models.ActionApprove, ProposalInput{})
	rest := loadCard(t, fx.a, chairs.ID)
	if rest.Quantity != 6 || rest.UsageStatus != models.UsageInUse || rest.OfferedQuantity != 0 || !rest.IdleSince.IsZero() || rest.InPool(false) {
		t.Errorf("the kept pieces: %+v", rest)
	}
}

// TestApprovalPreviewIsWhatApprovalBooks: what finance sees before approving (the proposal's
// books and net value) is, to the fen, what the transfer order then carries — for a mid-life
// card, part of a quantity card whose share does not divide evenly, and a fully depreciated
// one. Clerks are not shown the preview.
func TestApprovalPreviewIsWhatApprovalBooks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, c := range []struct {
		name string
		card models.Asset
		in   RequestInput
	}{
		{"mid-life", models.Asset{AssetNo: "XR-1", OriginalValue: 600000, AcquiredOn: models.Date{Year: 2023, Month: 5, Day: 15}},
			RequestInput{UnitPrice: 550000}},
		{"part of a quantity card", models.Asset{AssetNo: "CH", Name: "办公椅", CategoryCode: "A05010301", Quantity: 7,
			OriginalValue: 799999, AcquiredOn: models.Date{Year: 2019, Month: 8, Day: 25}},
			RequestInput{CategoryCode: "A05010301", Name: "办公椅", Quantity: 3, UnitPrice: 80000}},
		{"fully depreciated", models.Asset{AssetNo: "OLD", OriginalValue: 450000, AcquiredOn: models.Date{Year: 2015, Month: 3, Day: 1}},
			RequestInput{UnitPrice: 500000}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fx := newMatchFixture(t)
			fx.idle(t, fx.unitB, c.card)
			_, p := fx.proposeOne(t, fx.clerkA, c.in)
			fx.act(t, fx.clerkA, p.ID, models.ActionAccept, ProposalInput{})
			for _, clerk := range []*models.User{fx.clerkA, fx.clerkB} {
				if d, err := fx.a.Proposal(ctx, clerk, p.ID); err != nil || d.Books != nil {
					t.Errorf("%s is shown the books: %+v %v", clerk.Username, d, err)
				}
			}
			d, err := fx.a.Proposal(ctx, fx.finance, p.ID)
			if err != nil || d.Books == nil {
				t.Fatalf("finance's preview: %+v %v", d, err)
			}
			pre := *d.Books
			v := fx.act(t, fx.finance, p.ID, models.ActionApprove, ProposalInput{})
			var tr models.Transfer
			if err := fx.a.db.First(&tr, *v.TransferID).Error; err != nil {
				t.Fatal(err)
			}
			if tr.Quantity != pre.Quantity || tr.Date != pre.Date || tr.OriginalValue != pre.OriginalValue ||
				tr.Accumulated != pre.Accumulated || tr.NetValue != pre.NetValue || tr.BookedValue != pre.BookedValue ||
				tr.BookedDepreciation != pre.BookedDepreciation || tr.LifeMonths != pre.LifeMonths ||
				tr.ScheduleAccumulated != pre.ScheduleAccumulated || tr.BooksDisagree != pre.Disagrees {
				t.Errorf("the transfer books\n%+v\nthe preview showed\n%+v", tr, pre)
			}
			if pre.AsOf != (models.Date{Year: 2026, Month: 10, Day: 31}) || pre.Date != testDate() {
				t.Errorf("preview dated %s as of %s", pre.Date, pre.AsOf)
			}
			// The value every list showed before approval is the one booked, too.
			if d.NetValue != tr.NetValue || d.OriginalValue != tr.OriginalValue {
				t.Errorf("listed net %s / original %s; booked %s / %s", d.NetValue, d.OriginalValue, tr.NetValue, tr.OriginalValue)
			}
			// The receiver's card carries the booked figures.
			card := loadCard(t, fx.a, tr.AssetID)
			if card.OriginalValue != pre.BookedValue || card.OpeningDepreciation != pre.BookedDepreciation || card.LifeMonths != pre.LifeMonths {
				t.Errorf("receiver's card %+v; preview %+v", card, pre)
			}
		})
	}
}
