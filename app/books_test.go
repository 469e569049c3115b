package app

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"assetpool/models"
)

// TestCorrectBooksOntoStatedFiguresAndBack: a desktop of 7,200.00 bought in January 2024
// charges 100.00 a month over 72 months; by November 2026 the schedule stands at 35 months,
// 3,500.00. The clerk records the unit's ledger, 2,000.00 at the end of June 2026, when the
// schedule stood at 30 months (3,000.00): the books keep that 1,000.00 less, 2,500.00 today, and
// disagree. Moving the card back onto the schedule clears the stated figures. Both are in the
// card's history with their reasons.
func TestCorrectBooksOntoStatedFiguresAndBack(t *testing.T) {
	t.Parallel()
	fx := newRegisterFixture(t)
	ctx := context.Background()
	card := fx.card(t, fx.unitA, models.Asset{AssetNo: "D-1", Name: "台式计算机", OriginalValue: 720000,
		AcquiredOn: models.Date{Year: 2024, Month: 1, Day: 10}, UsageStatus: models.UsageInUse})
	acc := models.Money(200000)
	june := models.Date{Year: 2026, Month: 6, Day: 30}
	c, err := fx.a.CorrectBooks(ctx, fx.clerkA, card.ID, BooksCorrection{Version: 1, Mode: BooksToStated,
		AccumulatedDepreciation: &acc, AsOf: &june, Reason: "  按单位财务账 6 月末数更正  "})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Book.Stated || c.Book.StatedOn != june || c.BookDepreciation == nil || *c.BookDepreciation != 200000 ||
		c.BookNetValue == nil || *c.BookNetValue != 520000 || c.Version != 2 {
		t.Fatalf("stated: book %+v, asset %+v", c.Book, c.Asset)
	}
	if c.Depreciation.Accumulated != 250000 || c.Depreciation.Net != 470000 || c.Schedule.Accumulated != 350000 ||
		c.Book.Difference != -100000 || !c.Book.Disagrees || c.Depreciation.Monthly != 10000 {
		t.Errorf("books %+v, schedule %+v, check %+v", c.Depreciation, c.Schedule, c.Book)
	}
	// The card as read later says the same.
	if again, err := fx.a.Asset(ctx, fx.clerkA, card.ID, models.Date{}); err != nil || again.Depreciation.Accumulated != 250000 || !again.Book.Disagrees {
		t.Errorf("card read again: %+v %v", again, err)
	}

	// A stale version is refused, and nothing changes.
	zero := models.Money(0)
	_, err = fx.a.CorrectBooks(ctx, fx.clerkA, card.ID, BooksCorrection{Version: 1, Mode: BooksToStated, AccumulatedDepreciation: &zero, Reason: "再改"})
	if models.ErrorCode(err) != models.EConflict || !strings.Contains(models.ErrorMessage(err), "已被他人修改") {
		t.Errorf("stale version: %v", err)
	}
	if got := loadCard(t, fx.a, card.ID); got.Version != 2 || *got.BookDepreciation != 200000 {
		t.Errorf("after the stale correction: %+v", got)
	}

	c, err = fx.a.CorrectBooks(ctx, fx.clerkA, card.ID, BooksCorrection{Version: 2, Mode: BooksToSchedule, Reason: "清查核实，按取得日期计算"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Book.Stated || c.BookDepreciation != nil || c.BookNetValue != nil || !c.BookDate.IsZero() || c.Book.Disagrees ||
		c.Depreciation.Accumulated != 350000 || c.Version != 3 {
		t.Errorf("onto the schedule: book %+v, books %+v, asset %+v", c.Book, c.Depreciation, c.Asset)
	}
	// Nothing left to clear.
	if _, err := fx.a.CorrectBooks(ctx, fx.clerkA, card.ID, BooksCorrection{Version: 3, Mode: BooksToSchedule, Reason: "再次"}); models.ErrorCode(err) != models.EInvalid {
		t.Errorf("schedule again: %v", err)
	}

	hist, err := fx.a.AssetHistory(ctx, fx.clerkA, card.ID)
	if err != nil {
		t.Fatal(err)
	}
	var adjust []models.AuditEvent
	for _, ev := range hist {
		if ev.Action == "asset.books_adjust" {
			adjust = append(adjust, ev)
		}
	}
	if len(adjust) != 2 {
		t.Fatalf("history: %+v", hist)
	}
	var before, after booksRecord
	if err := json.Unmarshal([]byte(adjust[1].Before), &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(adjust[1].After), &after); err != nil {
		t.Fatal(err)
	}
	if before.BookDepreciation != nil || before.Accumulated != 350000 || after.Accumulated != 250000 || after.BookDate != june ||
		*after.BookDepreciation != 200000 || after.Mode != BooksToStated || after.Reason != "按单位财务账 6 月末数更正" || !after.Disagrees ||
		adjust[1].Actor != fx.clerkA.Username {
		t.Errorf("the stated correction recorded %s → %s", adjust[1].Before, adjust[1].After)
	}
	if !strings.Contains(adjust[0].After, `"mode":"schedule"`) || !strings.Contains(adjust[0].After, "清查核实，按取得日期计算") ||
		!strings.Contains(adjust[0].Before, `"book_depreciation":2000.00`) {
		t.Errorf("the schedule correction recorded %s → %s", adjust[0].Before, adjust[0].After)
	}
}

// TestCorrectBooksDefaultsToLastMonthEnd: without a day the stated figures are the end of last
// month's, 3,300.00 on 31 October 2026 when the schedule stood at 3,400.00; 100.00 is one
// month's charge, so the books agree.
func TestCorrectBooksDefaultsToLastMonthEnd(t *testing.T) {
	t.Parallel()
	fx := newRegisterFixture(t)
	ctx := context.Background()
	card := fx.card(t, fx.unitA, models.Asset{AssetNo: "D-1", Name: "台式计算机", OriginalValue: 720000,
		AcquiredOn: models.Date{Year: 2024, Month: 1, Day: 10}, UsageStatus: models.UsageInUse})
	acc := models.Money(330000)
	c, err := fx.a.CorrectBooks(ctx, fx.clerkA, card.ID, BooksCorrection{Version: 1, Mode: BooksToStated, AccumulatedDepreciation: &acc, Reason: "按财务账"})
	if err != nil {
		t.Fatal(err)
	}
	if c.BookDate != (models.Date{Year: 2026, Month: 10, Day: 31}) || c.Depreciation.Accumulated != 340000 || c.Book.Difference != -10000 || c.Book.Disagrees {
		t.Errorf("book %+v, books %+v", c.Book, c.Depreciation)
	}
}

// TestCorrectBooksIsTheOwningClerks: another unit's clerk is told the card does not exist,
// finance is refused, and bad input is refused in Chinese; nothing is written.
func TestCorrectBooksIsTheOwningClerks(t *testing.T) {
	t.Parallel()
	fx := newRegisterFixture(t)
	ctx := context.Background()
	card := fx.card(t, fx.unitA, models.Asset{AssetNo: "D-1", Name: "台式计算机", OriginalValue: 720000,
		AcquiredOn: models.Date{Year: 2024, Month: 1, Day: 10}, UsageStatus: models.UsageInUse})
	acc := models.Money(100000)
	ok := BooksCorrection{Version: 1, Mode: BooksToStated, AccumulatedDepreciation: &acc, Reason: "按财务账"}
	if _, err := fx.a.CorrectBooks(ctx, fx.clerkB, card.ID, ok); models.ErrorCode(err) != models.ENotFound {
		t.Errorf("clerk of another unit: %v", err)
	}
	if _, err := fx.a.CorrectBooks(ctx, fx.finance, card.ID, ok); models.ErrorCode(err) != models.EForbidden {
		t.Errorf("finance: %v", err)
	}
	tooMuch := models.Money(720001)
	tomorrow := models.Date{Year: 2026, Month: 11, Day: 30}
	early := models.Date{Year: 2023, Month: 12, Day: 31}
	for name, c := range map[string]struct {
		in   BooksCorrection
		want string
	}{
		"no reason":      {BooksCorrection{Version: 1, Mode: BooksToStated, AccumulatedDepreciation: &acc, Reason: "  "}, "请填写调整原因"},
		"no figure":      {BooksCorrection{Version: 1, Mode: BooksToStated, Reason: "按财务账"}, "请填写账面累计折旧"},
		"unknown mode":   {BooksCorrection{Version: 1, Mode: "guess", Reason: "按财务账"}, "调整方式"},
		"no version":     {BooksCorrection{Mode: BooksToStated, AccumulatedDepreciation: &acc, Reason: "按财务账"}, "版本号"},
		"over original":  {BooksCorrection{Version: 1, Mode: BooksToStated, AccumulatedDepreciation: &tooMuch, Reason: "按财务账"}, "应在 0 到原值 ¥7,200.00 之间"},
		"after today":    {BooksCorrection{Version: 1, Mode: BooksToStated, AccumulatedDepreciation: &acc, AsOf: &tomorrow, Reason: "按财务账"}, "晚于今天"},
		"before bought":  {BooksCorrection{Version: 1, Mode: BooksToStated, AccumulatedDepreciation: &acc, AsOf: &early, Reason: "按财务账"}, "早于取得日期"},
		"nothing stated": {BooksCorrection{Version: 1, Mode: BooksToSchedule, Reason: "按财务账"}, "无需调整"},
	} {
		_, err := fx.a.CorrectBooks(ctx, fx.clerkA, card.ID, c.in)
		if models.ErrorCode(err) != models.EInvalid || !strings.Contains(models.ErrorMessage(err), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	if got := loadCard(t, fx.a, card.ID); got.Version != 1 || got.BookDepreciation != nil {
		t.Errorf("after the refusals: %+v", got)
	}
}

// receive takes a proposal through acceptance, approval and hand-over to receipt with cost.
func (fx *matchFixture) receiveWithCost(t *testing.T, p ProposalView, cost models.Money) models.Transfer {
	t.Helper()
	fx.act(t, fx.clerkA, p.ID, models.ActionAccept, ProposalInput{})
	v := fx.act(t, fx.finance, p.ID, models.ActionApprove, ProposalInput{})
	fx.act(t, fx.clerkB, p.ID, models.ActionHandover, ProposalInput{})
	fx.act(t, fx.clerkA, p.ID, models.ActionReceive, ProposalInput{TransferCost: cost})
	var tr models.Transfer
	if err := fx.a.db.First(&tr, *v.TransferID).Error; err != nil {
		t.Fatal(err)
	}
	return tr
}

// savingOf is the saving written for a transfer.
func (fx *matchFixture) savingOf(t *testing.T, tr *models.Transfer) models.Saving {
	t.Helper()
	var sv models.Saving
	if err := fx.a.db.Where("transfer_id = ?", tr.ID).First(&sv).Error; err != nil {
		t.Fatal(err)
	}
	return sv
}

// TestReceiptCostRaisesTheReceiversCharge: the desktop of TestWholePathMovesTheCardWithItsBooks
// is booked at 2,500.14 over 30 months; 300.00 of transport raises its original value to
// 2,800.14, and its monthly charge from 83.34 to 2,800.14 ÷ 30 = 93.338 → 93.34. The saving is
// still min(budget 5,500.00, cap 5,000.00) − 300.00.
func TestReceiptCostRaisesTheReceiversCharge(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	fx.idle(t, fx.unitB, models.Asset{AssetNo: "XR-1", OriginalValue: 600000, AcquiredOn: models.Date{Year: 2023, Month: 5, Day: 15}})
	_, p := fx.proposeOne(t, fx.clerkA, RequestInput{UnitPrice: 550000})
	tr := fx.receiveWithCost(t, p, 30000)
	if tr.CostCapitalised != 30000 || tr.CostExpensed != 0 || tr.BookedValue != 250014 || tr.LifeMonths != 30 {
		t.Fatalf("transfer: %+v", tr)
	}
	card := loadCard(t, fx.a, tr.AssetID)
	if card.OriginalValue != 280014 || card.OpeningDepreciation != 0 || card.FirstAcquiredOn != (models.Date{Year: 2023, Month: 5, Day: 15}) {
		t.Errorf("received card: %+v", card)
	}
	life := models.ClassLife{Depreciated: true, Years: 6}
	if d := card.Schedule(life, testDate()); d.Monthly != 9334 || d.Accumulated != 9334 || d.Net != 270680 || d.RemainingMonths != 29 {
		t.Errorf("this month: %+v", d)
	}
	// Six months on, 6 × 93.34; in the 30th month (April 2029) the last month takes the rest.
	if d := card.Schedule(life, models.Date{Year: 2027, Month: 4, Day: 30}); d.Accumulated != 56004 {
		t.Errorf("April 2027: %+v", d)
	}
	if d := card.Schedule(life, models.Date{Year: 2029, Month: 4, Day: 30}); d.Accumulated != 280014 || !d.Fully {
		t.Errorf("April 2029: %+v", d)
	}
	if sv := fx.savingOf(t, &tr); sv.Avoided != 500000 || sv.TransferCost != 30000 || sv.Amount != 470000 {
		t.Errorf("saving: %+v", sv)
	}
	hist, _ := fx.a.AssetHistory(context.Background(), fx.clerkA, card.ID)
	if !slices.ContainsFunc(hist, func(ev models.AuditEvent) bool { return ev.Action == "asset.capitalise_cost" }) {
		t.Errorf("the card's history lacks the capitalised cost")
	}
}

// TestReceiptCostOfAFullyDepreciatedItemIsAnExpense: a desktop of 2015 is booked at 4,500.00
// with 4,500.00 depreciation; 200.00 of transport is an expense, the card is unchanged, and it
// has charged nothing at the receiver.
func TestReceiptCostOfAFullyDepreciatedItemIsAnExpense(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	fx.idle(t, fx.unitB, models.Asset{AssetNo: "OLD", OriginalValue: 450000, AcquiredOn: models.Date{Year: 2015, Month: 3, Day: 1}})
	_, p := fx.proposeOne(t, fx.clerkA, RequestInput{UnitPrice: 500000})
	tr := fx.receiveWithCost(t, p, 20000)
	if tr.CostExpensed != 20000 || tr.CostCapitalised != 0 || tr.NetValue != 0 {
		t.Fatalf("transfer: %+v", tr)
	}
	card := loadCard(t, fx.a, tr.AssetID)
	d := card.Schedule(models.ClassLife{Depreciated: true, Years: 6}, testDate())
	if card.OriginalValue != 450000 || card.OpeningDepreciation != 450000 || d.Net != 0 || d.Months != 0 || !d.Fully ||
		card.FirstAcquiredOn != (models.Date{Year: 2015, Month: 3, Day: 1}) || card.AcquisitionMethod != "调拨" {
		t.Errorf("received card %+v, depreciation %+v", card, d)
	}
	if sv := fx.savingOf(t, &tr); sv.Amount != 480000 {
		t.Errorf("saving: %+v", sv)
	}
}

// TestReceiptCostOfAnUndepreciatedClassIsItsCost: an exhibit (文物和陈列品, not depreciated) keeps
// its net value, its original value; what moving it cost is part of its cost, not an expense.
func TestReceiptCostOfAnUndepreciatedClassIsItsCost(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	item := fx.idle(t, fx.unitB, models.Asset{AssetNo: "WW-1", Name: "陈列柜展品", CategoryCode: "A03000000", OriginalValue: 300000,
		AcquiredOn: models.Date{Year: 2010, Month: 1, Day: 1}})
	r := fx.request(t, fx.clerkA, RequestInput{CategoryCode: "A03000000", Name: "陈列展品", UnitPrice: 400000})
	// Matching need not offer a whole 门类; the proposal is made by hand, as a clerk's own pick.
	p := models.Proposal{RequestID: r.ID, AssetID: item.ID, SourceUnitID: fx.unitB.ID, RequestUnitID: fx.unitA.ID, Quantity: 1,
		Status: models.ProposalProposed, HoldUntil: testNow.AddDate(0, 0, 7), Version: 1}
	if ps := fx.proposals(t, fx.clerkA, r.ID); len(ps) > 0 {
		p.ID = ps[0].ID
	} else if err := fx.a.db.Create(&p).Error; err != nil {
		t.Fatal(err)
	}
	tr := fx.receiveWithCost(t, ProposalView{Proposal: p}, 15000)
	if tr.CostCapitalised != 15000 || tr.CostExpensed != 0 || tr.NetValue != 300000 {
		t.Fatalf("transfer: %+v", tr)
	}
	if card := loadCard(t, fx.a, tr.AssetID); card.OriginalValue != 315000 {
		t.Errorf("received card: %+v", card)
	}
}

// TestFirstAcquisitionDateCountsForAge: a desktop first bought in March 2015 and received by
// transfer this month is nine years old, not a month: replacing it meets the minimum life, the
// worth-checking list finds it past its life, and the pool gives its age from 2015.
func TestFirstAcquisitionDateCountsForAge(t *testing.T) {
	t.Parallel()
	fx := newStandardsFixture(t)
	ctx := context.Background()
	moved := fx.card(t, fx.unitA, models.Asset{AssetNo: "DB-1", Name: "台式计算机", AcquiredOn: models.Date{Year: 2026, Month: 11, Day: 2},
		FirstAcquiredOn: models.Date{Year: 2015, Month: 3, Day: 1}, AcquisitionMethod: "调拨", OriginalValue: 450000,
		OpeningDepreciation: 450000, UsageStatus: models.UsageInUse, Custodian: "张三", Location: "302室"})
	young := fx.card(t, fx.unitA, models.Asset{AssetNo: "NEW-1", Name: "台式计算机", AcquiredOn: models.Date{Year: 2024, Month: 11, Day: 2},
		UsageStatus: models.UsageInUse, Custodian: "李四", Location: "303室"})
	c := fx.check(t, fx.unitA, models.PurchaseRequest{Quantity: 2, Replaces: []uint{moved.ID, young.ID}})
	var msgs []string
	for _, f := range c.Findings {
		if f.Code == models.FindingReplacesYoung {
			msgs = append(msgs, f.Message)
		}
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0], "NEW-1") {
		t.Errorf("minimum-life findings %q: only NEW-1 is young", msgs)
	}

	list, _, err := fx.a.IdleCandidates(ctx, fx.clerkA, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := reasonsByNo(list)
	if got["DB-1"] != "past_life" || got["NEW-1"] != "" {
		t.Errorf("worth checking: %v", got)
	}
	cats, _ := fx.a.categoryTable(ctx)
	if r := models.CheckIdle(moved, cats[moved.CategoryCode].LifeYears, fx.a.Today()); !slices.Equal(r, []models.IdleReason{models.ReasonPastLife}) {
		t.Errorf("CheckIdle: %v", r)
	}

	if _, err := fx.a.MarkAssets(ctx, fx.clerkA, []uint{moved.ID}, models.UsageIdle); err != nil {
		t.Fatal(err)
	}
	fx.a.WaitBackground()
	pool, err := fx.a.ListPool(ctx, fx.clerkA, AssetFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pool.Items) != 1 || pool.Items[0].AgeMonths != 140 {
		t.Errorf("pool: %+v", pool.Items)
	}
}
