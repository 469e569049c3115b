package app

import (
	"context"
	"testing"

	"assetpool/models"
)

// districtBooks is the district's book value: every card's net value by its books as of the
// end of last month — what a transfer writes off at the source and books at the receiver.
func districtBooks(t *testing.T, a *App) (net models.Money, cards []models.Asset) {
	t.Helper()
	cats, err := a.categoryTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := a.db.Order("id").Find(&cards).Error; err != nil {
		t.Fatal(err)
	}
	asOf := models.PrevMonthEnd(a.Today())
	for i := range cards {
		b := cards[i].Books(cats[cards[i].CategoryCode].life(), asOf)
		if b.Accumulated+b.Net != cards[i].OriginalValue {
			t.Errorf("card %s: accumulated %s + net %s ≠ original %s", cards[i].AssetNo, b.Accumulated, b.Net, cards[i].OriginalValue)
		}
		net += b.Net
	}
	return net, cards
}

// TestDistrictBooksChangeOnlyByCapitalisedCosts runs a sequence of transfers — a card whose
// books disagree with the schedule, part of a quantity card, a fully depreciated item, receipts
// with costs, and a card received and passed on again in the same month — and checks after each
// step that the district's book value changed by exactly the costs capitalised, no more, no
// less, to the fen. The figures in the comments are worked out by hand.
func TestDistrictBooksChangeOnlyByCapitalisedCosts(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	ctx := context.Background()
	stated := models.Money(50000)
	// ¥6,000.00 desktop of May 2023 whose ledger says only ¥500.00 charged by 2026-10-31; the
	// schedule says 42 × 83.33 = 3,499.86.
	pc := fx.idle(t, fx.unitB, models.Asset{AssetNo: "PC", OriginalValue: 600000, AcquiredOn: models.Date{Year: 2023, Month: 5, Day: 15},
		BookDepreciation: &stated, BookDate: models.Date{Year: 2026, Month: 10, Day: 31}})
	old := fx.idle(t, fx.unitB, models.Asset{AssetNo: "OLD", OriginalValue: 450000, AcquiredOn: models.Date{Year: 2015, Month: 3, Day: 1}})
	chairs := fx.idle(t, fx.unitC, models.Asset{AssetNo: "CH", Name: "办公椅", CategoryCode: "A05010301", Quantity: 20, OfferedQuantity: 12,
		OriginalValue: 1600001, AcquiredOn: models.Date{Year: 2018, Month: 3, Day: 10}})
	fx.card(t, fx.unitA, models.Asset{AssetNo: "KEEP", Name: "台式计算机", OriginalValue: 123457, AcquiredOn: models.Date{Year: 2024, Month: 2, Day: 2}, UsageStatus: models.UsageInUse})
	start, _ := districtBooks(t, fx.a)
	step := func(what string, want models.Money) {
		t.Helper()
		got, _ := districtBooks(t, fx.a)
		if got != want {
			t.Fatalf("%s: the district's books are %s, want %s (a difference of %s)", what, got, want, got-want)
		}
	}

	// Unit A takes both desktops; the one whose books disagree needs the acknowledgement.
	r, err := fx.a.CreateRequest(ctx, fx.clerkA, RequestInput{CategoryCode: "A02010105", Name: "台式计算机", Quantity: 2, UnitPrice: 500000})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.a.SubmitRequest(ctx, fx.clerkA, r.ID); err != nil {
		t.Fatal(err)
	}
	ps := fx.proposals(t, fx.clerkA, r.ID)
	if len(ps) != 2 {
		t.Fatalf("proposals: %+v", ps)
	}
	byAsset := map[uint]ProposalView{}
	for _, p := range ps {
		byAsset[p.AssetID] = p
		fx.act(t, fx.clerkA, p.ID, models.ActionAccept, ProposalInput{})
	}
	if _, err := fx.a.ActOnProposal(ctx, fx.finance, byAsset[pc.ID].ID, models.ActionApprove, ProposalInput{}); models.ErrorCode(err) != models.EConflict {
		t.Fatalf("approving books that disagree without acknowledging them: %v", err)
	}
	v := fx.act(t, fx.finance, byAsset[pc.ID].ID, models.ActionApprove, ProposalInput{BooksAcknowledged: true})
	fx.act(t, fx.finance, byAsset[old.ID].ID, models.ActionApprove, ProposalInput{})
	step("after approving the desktops", start)
	var tr models.Transfer
	if err := fx.a.db.First(&tr, *v.TransferID).Error; err != nil {
		t.Fatal(err)
	}
	// The order carries the ledger's figures, not the schedule's.
	if tr.Accumulated != 50000 || tr.NetValue != 550000 || tr.BookedValue != 550000 || tr.LifeMonths != 30 ||
		!tr.BooksStated || !tr.BooksDisagree || !tr.BooksAcknowledged || tr.ScheduleAccumulated != 349986 || tr.FirstAcquiredOn != pc.AcquiredOn {
		t.Fatalf("transfer of the disagreeing desktop: %+v", tr)
	}

	// Hand-over and receipt with costs: ¥200.00 raises the desktop's cost (550,000 + 20,000
	// over 30 months: 19,000.00 a month from this month); ¥50.00 on the fully depreciated one is
	// an expense.
	for asset, cost := range map[uint]models.Money{pc.ID: 20000, old.ID: 5000} {
		fx.act(t, fx.clerkB, byAsset[asset].ID, models.ActionHandover, ProposalInput{})
		fx.act(t, fx.clerkA, byAsset[asset].ID, models.ActionReceive, ProposalInput{TransferCost: cost})
	}
	step("after the receipts", start+20000)
	received := loadCard(t, fx.a, pc.ID)
	six := models.ClassLife{Depreciated: true, Years: 6}
	if d := received.Schedule(six, fx.a.Today()); received.OriginalValue != 570000 || d.Monthly != 19000 || d.Accumulated != 19000 {
		t.Fatalf("the received desktop: original %s, schedule %+v", received.OriginalValue, d)
	}
	var oldTr models.Transfer
	if err := fx.a.db.Where("source_asset_id = ?", old.ID).First(&oldTr).Error; err != nil {
		t.Fatal(err)
	}
	if oldTr.CostExpensed != 5000 || oldTr.CostCapitalised != 0 || loadCard(t, fx.a, old.ID).OriginalValue != 450000 {
		t.Fatalf("the fully depreciated desktop's cost: %+v", oldTr)
	}

	// The same month, unit A finds it has no use for the desktop after all and unit C takes it:
	// it leaves at the value it arrived with, cost included.
	if _, err := fx.a.MarkAssets(ctx, fx.clerkA, []uint{pc.ID}, models.UsageIdle); err != nil {
		t.Fatal(err)
	}
	fx.a.WaitBackground()
	_, again := fx.proposeOne(t, fx.clerkC, RequestInput{UnitPrice: 500000})
	if again.AssetID != pc.ID {
		t.Fatalf("proposal of the passed-on desktop: %+v", again)
	}
	fx.act(t, fx.clerkC, again.ID, models.ActionAccept, ProposalInput{})
	v = fx.act(t, fx.finance, again.ID, models.ActionApprove, ProposalInput{})
	step("after passing it on", start+20000)
	tr = models.Transfer{}
	if err := fx.a.db.First(&tr, *v.TransferID).Error; err != nil {
		t.Fatal(err)
	}
	if tr.OriginalValue != 570000 || tr.Accumulated != 0 || tr.NetValue != 570000 || tr.LifeMonths != 30 || tr.FirstAcquiredOn != pc.AcquiredOn || tr.BooksDisagree {
		t.Fatalf("passed on in the month it arrived: %+v", tr)
	}

	// Part of the chairs: 5 of the 12 offered go to unit A.
	_, p := fx.proposeOne(t, fx.clerkA, RequestInput{CategoryCode: "A05010301", Name: "办公椅", Quantity: 5, UnitPrice: 80000})
	fx.act(t, fx.clerkA, p.ID, models.ActionAccept, ProposalInput{})
	fx.act(t, fx.finance, p.ID, models.ActionApprove, ProposalInput{})
	fx.act(t, fx.clerkC, p.ID, models.ActionHandover, ProposalInput{})
	fx.act(t, fx.clerkA, p.ID, models.ActionReceive, ProposalInput{TransferCost: 3000})
	step("after the chairs", start+20000+3000)

	// A month later every unit has charged a month, but the district's books still change only
	// by depreciation: each card's accumulated and net add up to its original value.
	fx.clk.advance(31 * 24 * 60 * 60 * 1e9)
	districtBooks(t, fx.a)
	if rest := loadCard(t, fx.a, chairs.ID); rest.Quantity != 15 || rest.OfferedQuantity != 7 {
		t.Errorf("the chairs left: %+v", rest)
	}
}
