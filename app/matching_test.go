package app

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"assetpool/models"
)

// matchFixture is the register fixture with its clock and a third unit in unit B's area.
type matchFixture struct {
	*registerFixture
	clk    *clock
	unitC  *models.Unit
	clerkC *models.User
}

func newMatchFixture(t *testing.T) *matchFixture {
	t.Helper()
	a, clk := openTest(t)
	ctx := context.Background()
	fx := &matchFixture{registerFixture: &registerFixture{a: a}, clk: clk}
	fx.unitA = &models.Unit{Code: "JF", Name: "经济发展局", Area: "管委会机关", Staff: 40}
	fx.unitB = &models.Unit{Code: "XR", Name: "兴仁街道", Area: "兴仁街道", Staff: 60}
	fx.unitC = &models.Unit{Code: "XRS", Name: "兴仁社区服务中心", Area: "兴仁街道", Staff: 20}
	for _, u := range []*models.Unit{fx.unitA, fx.unitB, fx.unitC} {
		if err := a.CreateUnit(ctx, nil, u); err != nil {
			t.Fatal(err)
		}
	}
	fx.clerkA = &models.User{Username: "jingfa", Role: models.RoleClerk, UnitID: &fx.unitA.ID, Active: true}
	fx.clerkB = &models.User{Username: "xingren", Role: models.RoleClerk, UnitID: &fx.unitB.ID, Active: true}
	fx.clerkC = &models.User{Username: "shequ", Role: models.RoleClerk, UnitID: &fx.unitC.ID, Active: true}
	fx.finance = &models.User{Username: "caizheng", Role: models.RoleFinance, Active: true}
	for _, u := range []*models.User{fx.clerkA, fx.clerkB, fx.clerkC, fx.finance} {
		if err := a.CreateUser(ctx, nil, u, "password-123"); err != nil {
			t.Fatal(err)
		}
	}
	return fx
}

// idle creates an idle card in the pool.
func (fx *matchFixture) idle(t *testing.T, unit *models.Unit, as models.Asset) *models.Asset {
	t.Helper()
	as.UsageStatus = models.UsageIdle
	if as.Condition == "" {
		as.Condition = models.ConditionUsable
	}
	if as.Name == "" {
		as.Name = "台式计算机"
	}
	c := fx.card(t, unit, as)
	// The item entering the pool starts background matching; let it finish here, so that it
	// never runs after a test moves the clock on.
	fx.a.WaitBackground()
	return c
}

// request files and submits a request as clerk.
func (fx *matchFixture) request(t *testing.T, clerk *models.User, in RequestInput) *RequestView {
	t.Helper()
	if in.CategoryCode == "" {
		in.CategoryCode = "A02010105"
	}
	if in.Name == "" {
		in.Name = "台式计算机"
	}
	if in.Quantity == 0 {
		in.Quantity = 1
	}
	ctx := context.Background()
	v, err := fx.a.CreateRequest(ctx, clerk, in)
	if err != nil {
		t.Fatalf("create request: %v", err)
	}
	if v, err = fx.a.SubmitRequest(ctx, clerk, v.ID); err != nil {
		t.Fatalf("submit request: %v", err)
	}
	return v
}

func (fx *matchFixture) proposals(t *testing.T, who *models.User, requestID uint) []ProposalView {
	t.Helper()
	ps, err := fx.a.RequestProposals(context.Background(), who, requestID)
	if err != nil {
		t.Fatalf("proposals of %d: %v", requestID, err)
	}
	return ps
}

func TestSubmittedRequestIsMatchedWithReasons(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	item := fx.idle(t, fx.unitB, models.Asset{AssetNo: "XR-1", Brand: "联想", Model: "ThinkCentre M720t", AcquiredOn: models.Date{Year: 2023, Month: 5, Day: 1}})
	r := fx.request(t, fx.clerkA, RequestInput{Requirements: "联想 ThinkCentre i5", UnitPrice: 500000, Quantity: 1})
	if r.Status != models.RequestMatched || r.ProposedQuantity != 1 {
		t.Fatalf("request after submit: status %s, proposed %d", r.Status, r.ProposedQuantity)
	}
	if r.Standards == nil || r.Standards.Standard == nil || r.Standards.Standard.ItemName != "台式计算机" {
		t.Errorf("standards check: %+v", r.Standards)
	}
	ps := fx.proposals(t, fx.clerkA, r.ID)
	if len(ps) != 1 || ps[0].AssetID != item.ID || ps[0].Status != models.ProposalProposed || ps[0].Quantity != 1 {
		t.Fatalf("proposals: %+v", ps)
	}
	p := ps[0]
	for _, want := range []string{"同类：台式计算机", "成色：完好", "剩余使用年限约 2 年", "区内调剂（兴仁街道）"} {
		if !strings.Contains(p.Reasons, want) {
			t.Errorf("reasons %q lack %q", p.Reasons, want)
		}
	}
	if p.SelfMatch || p.SourceUnitName != "兴仁街道" || p.Score <= 0 || p.Score > 100 || len(p.Breakdown) != 6 {
		t.Errorf("proposal: %+v", p)
	}
	var sum float64
	for _, part := range p.Breakdown {
		sum += part.Points
	}
	if d := sum - p.Score; d > 0.5 || d < -0.5 {
		t.Errorf("breakdown sums to %.1f, score %.1f", sum, p.Score)
	}
	if !p.HoldUntil.Equal(testNow.Add(10 * 24 * time.Hour)) {
		t.Errorf("hold until %v", p.HoldUntil)
	}
	// The source unit's clerk sees the proposal too; a third unit does not.
	for who, want := range map[*models.User]int{fx.clerkB: 1, fx.clerkC: 0, fx.finance: 1} {
		page, err := fx.a.ListProposals(context.Background(), who, ProposalFilter{})
		if err != nil || len(page.Items) != want {
			t.Errorf("%s sees %d proposals (%v), want %d", who.Username, len(page.Items), err, want)
		}
	}
	if _, err := fx.a.RequestProposals(context.Background(), fx.clerkC, r.ID); models.ErrorCode(err) != models.ENotFound {
		t.Errorf("another unit's request: %v", err)
	}
}

func TestOwnIdleItemsComeFirstAndAreFlagged(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	// The other unit's item is newer and fits the requirements better; the unit's own still
	// comes first.
	fx.idle(t, fx.unitB, models.Asset{AssetNo: "XR-1", Condition: models.ConditionNew, Brand: "联想", Model: "M720t", AcquiredOn: models.Date{Year: 2026, Month: 1, Day: 1}})
	own := fx.idle(t, fx.unitA, models.Asset{AssetNo: "JF-9", Brand: "戴尔", Model: "OptiPlex", AcquiredOn: models.Date{Year: 2019, Month: 1, Day: 1}})
	r := fx.request(t, fx.clerkA, RequestInput{Requirements: "联想 M720t", UnitPrice: 500000})
	ps := fx.proposals(t, fx.clerkA, r.ID)
	if len(ps) != 1 || ps[0].AssetID != own.ID || !ps[0].SelfMatch || !strings.Contains(ps[0].Reasons, "本单位已有闲置同类资产") {
		t.Fatalf("proposals: %+v", ps)
	}
}

func TestCategoryHierarchyDecidesCandidates(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	// A laptop (same minor class) and a server (same minor class too in the sample table),
	// a printer (other major class) and a chair (other top class).
	laptop := fx.idle(t, fx.unitB, models.Asset{AssetNo: "L1", Name: "笔记本电脑", CategoryCode: "A02010108"})
	fx.idle(t, fx.unitB, models.Asset{AssetNo: "P1", Name: "打印机", CategoryCode: "A02021004"})
	fx.idle(t, fx.unitB, models.Asset{AssetNo: "C1", Name: "办公椅", CategoryCode: "A05010301", OriginalValue: 80000})
	fx.a.WaitBackground()
	r := fx.request(t, fx.clerkA, RequestInput{Quantity: 3, UnitPrice: 500000})
	ps := fx.proposals(t, fx.clerkA, r.ID)
	if len(ps) != 1 || ps[0].AssetID != laptop.ID || !strings.Contains(ps[0].Reasons, "同属计算机：便携式计算机") {
		t.Fatalf("proposals: %+v", ps)
	}
	// A desktop entering the pool is proposed for what the request still lacks.
	desk := fx.idle(t, fx.unitC, models.Asset{AssetNo: "D1"})
	fx.a.WaitBackground()
	got := fx.proposals(t, fx.clerkA, r.ID)
	if len(got) != 2 || got[0].AssetID != desk.ID || !strings.Contains(got[0].Reasons, "同类：台式计算机") {
		t.Fatalf("after a desktop entered the pool: %+v", got)
	}
	// The no-match record of the first request lists what it considered and why.
	rec, err := fx.a.SearchRecord(context.Background(), fx.finance, r.ID)
	if err != nil || rec == nil {
		t.Fatalf("search record: %v %v", rec, err)
	}
	if rec.Wanted != 2 || rec.Proposed != 1 || rec.Considered != 2 || !strings.Contains(rec.Summary, "仍缺 1 件") {
		t.Errorf("record: %+v", rec)
	}
	for _, c := range rec.Candidates {
		if c.Outcome != "proposed" {
			t.Errorf("candidate %s: %s %s", c.AssetNo, c.Outcome, c.Reason)
		}
	}
}

func TestConditionBelowTheRequestIsRejectedInTheRecord(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	fx.a.cfg.PoolRepairable = true
	fx.idle(t, fx.unitB, models.Asset{AssetNo: "R1", Condition: models.ConditionRepairable})
	r := fx.request(t, fx.clerkA, RequestInput{MinCondition: models.ConditionUsable, UnitPrice: 400000})
	if ps := fx.proposals(t, fx.clerkA, r.ID); len(ps) != 0 {
		t.Fatalf("a repairable item was proposed for a request wanting usable: %+v", ps)
	}
	rec, err := fx.a.SearchRecord(context.Background(), fx.clerkA, r.ID)
	if err != nil || rec == nil || len(rec.Candidates) != 1 || rec.Candidates[0].Outcome != "rejected" ||
		!strings.Contains(rec.Candidates[0].Reason, "成色为需维修") {
		t.Fatalf("record: %+v, %v", rec, err)
	}
}

func TestQuantityCardSplitsAcrossRequests(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	chairs := fx.idle(t, fx.unitB, models.Asset{AssetNo: "CH", Name: "办公椅", CategoryCode: "A05010301", Quantity: 20, OfferedQuantity: 12, OriginalValue: 20 * 80000})
	ra := fx.request(t, fx.clerkA, RequestInput{CategoryCode: "A05010301", Name: "办公椅", Quantity: 8, UnitPrice: 80000})
	rc := fx.request(t, fx.clerkC, RequestInput{CategoryCode: "A05010301", Name: "办公椅", Quantity: 6, UnitPrice: 80000})
	pa, pc := fx.proposals(t, fx.clerkA, ra.ID), fx.proposals(t, fx.clerkC, rc.ID)
	if len(pa) != 1 || pa[0].Quantity != 8 || pa[0].AssetID != chairs.ID {
		t.Fatalf("A: %+v", pa)
	}
	// Only 4 of the 12 offered remain for C, submitted second.
	if len(pc) != 1 || pc[0].Quantity != 4 {
		t.Fatalf("C: %+v", pc)
	}
	v, _ := fx.a.Request(context.Background(), fx.clerkC, rc.ID)
	if v.Status != models.RequestPartlyMatched || v.Outstanding != 2 {
		t.Errorf("C: status %s outstanding %d", v.Status, v.Outstanding)
	}
	if pa[0].NetValue <= 0 || pa[0].OriginalValue != 8*80000 {
		t.Errorf("proposal values: original %v net %v", pa[0].OriginalValue, pa[0].NetValue)
	}
}

func TestHoldsExpireAndFreeTheItem(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	fx.idle(t, fx.unitB, models.Asset{AssetNo: "XR-1"})
	// Background matching started by the new item must not run after the clock moves on.
	fx.a.WaitBackground()
	r1 := fx.request(t, fx.clerkA, RequestInput{UnitPrice: 500000})
	r2 := fx.request(t, fx.clerkC, RequestInput{UnitPrice: 500000})
	if len(fx.proposals(t, fx.clerkC, r2.ID)) != 0 {
		t.Fatal("a held item was proposed twice")
	}
	ctx := context.Background()
	fx.clk.advance(9 * 24 * time.Hour)
	res, err := fx.a.RunMatching(ctx, fx.finance, "manual")
	if err != nil || res.Expired != 0 || res.Proposals != 0 {
		t.Fatalf("before the hold ends: %+v %v", res, err)
	}
	fx.clk.advance(2 * 24 * time.Hour)
	if res, err = fx.a.RunMatching(ctx, fx.finance, "manual"); err != nil || res.Expired != 1 {
		t.Fatalf("after the hold ends: %+v %v", res, err)
	}
	p1 := fx.proposals(t, fx.clerkA, r1.ID)
	if len(p1) < 1 || p1[0].Status != models.ProposalExpired {
		t.Fatalf("the first hold: %+v", p1)
	}
	// The freed item goes to a request again; r1 still ranks first (earlier request), so it is
	// offered to r1 anew rather than lost.
	live := 0
	for _, rid := range []uint{r1.ID, r2.ID} {
		for _, p := range fx.proposals(t, fx.finance, rid) {
			if p.Status == models.ProposalProposed {
				live++
			}
		}
	}
	if live != 1 {
		t.Errorf("after expiry %d live proposals, want 1", live)
	}
	if _, err := fx.a.RunMatching(ctx, fx.clerkA, "manual"); models.ErrorCode(err) != models.EForbidden {
		t.Errorf("a clerk ran matching: %v", err)
	}
	// Without anyone running matching, the hourly release ends the new hold once it runs out.
	if n, err := fx.a.ReleaseExpiredHolds(ctx); err != nil || n != 0 {
		t.Errorf("release before expiry: %d %v", n, err)
	}
	fx.clk.advance(11 * 24 * time.Hour)
	if n, err := fx.a.ReleaseExpiredHolds(ctx); err != nil || n != 1 {
		t.Errorf("release after expiry: %d %v", n, err)
	}
}

func TestTieBreakPrefersBudgetThenDateThenAge(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	ctx := context.Background()
	// Three identical requests of unit A compete for one item of unit B (equal scores): the
	// one with a budget wins; among budgeted ones the earlier needed-by date; then the
	// earlier request. Drafts are filed first and matched together by one run.
	var ids []uint
	for _, in := range []RequestInput{
		{Quantity: 1, UnitPrice: 0, NeededBy: models.Date{Year: 2026, Month: 12, Day: 1}},
		{Quantity: 1, UnitPrice: 500000},
		{Quantity: 1, UnitPrice: 500000, NeededBy: models.Date{Year: 2027, Month: 3, Day: 1}},
		{Quantity: 1, UnitPrice: 500000, NeededBy: models.Date{Year: 2027, Month: 2, Day: 1}},
	} {
		in.CategoryCode, in.Name = "A02010105", "台式计算机"
		v, err := fx.a.CreateRequest(ctx, fx.clerkA, in)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.ID)
	}
	for _, id := range ids {
		if _, err := fx.a.SubmitRequest(ctx, fx.clerkA, id); err != nil {
			t.Fatal(err)
		}
	}
	// Each submission matched at once; withdraw the proposals' effect by expiring them all and
	// matching everything in one run instead.
	fx.clk.advance(11 * 24 * time.Hour)
	fx.idle(t, fx.unitB, models.Asset{AssetNo: "XR-1"})
	fx.a.WaitBackground()
	winner := func() uint {
		t.Helper()
		if _, err := fx.a.RunMatching(ctx, fx.finance, "manual"); err != nil {
			t.Fatal(err)
		}
		var live []models.Proposal
		fx.a.db.Where("status = ?", models.ProposalProposed).Find(&live)
		if len(live) != 1 {
			t.Fatalf("%d live proposals", len(live))
		}
		return live[0].RequestID
	}
	if got := winner(); got != ids[3] {
		t.Errorf("winner %d, want %d (budget, needed 2027-02-01)", got, ids[3])
	}
}

func TestMatchingIsDeterministic(t *testing.T) {
	t.Parallel()
	run := func() []string {
		fx := newMatchFixture(t)
		ctx := context.Background()
		for i := range 6 {
			fx.idle(t, []*models.Unit{fx.unitA, fx.unitB, fx.unitC}[i%3], models.Asset{AssetNo: fmt.Sprintf("D%d", i), Quantity: 1 + i%2, OriginalValue: models.Money(400000 + 10000*i)})
		}
		for i, clerk := range []*models.User{fx.clerkA, fx.clerkB, fx.clerkC, fx.clerkA} {
			if _, err := fx.a.CreateRequest(ctx, clerk, RequestInput{CategoryCode: "A02010105", Name: "台式计算机", Quantity: 2 + i%2, UnitPrice: 500000}); err != nil {
				t.Fatal(err)
			}
		}
		var rs []models.PurchaseRequest
		fx.a.db.Order("id").Find(&rs)
		for _, r := range rs {
			fx.a.db.Model(&r).Updates(map[string]any{"status": models.RequestSubmitted})
		}
		if _, err := fx.a.RunMatching(ctx, fx.finance, "manual"); err != nil {
			t.Fatal(err)
		}
		var ps []models.Proposal
		fx.a.db.Order("id").Find(&ps)
		var out []string
		for _, p := range ps {
			out = append(out, fmt.Sprintf("%d:%d:%d:%.1f", p.RequestID, p.AssetID, p.Quantity, p.Score))
		}
		return out
	}
	a, b := run(), run()
	if len(a) == 0 || !slices.Equal(a, b) {
		t.Errorf("two runs differ:\n%v\n%v", a, b)
	}
}

// TestAllocationIsOptimal compares the layered, pooled and pruned flow with a brute force
// over every way of giving each free piece to a request or to none, on many small random
// instances: the total score (with the own-unit bonus) must be the same, and so must the
// tie-break's total among allocations of that score.
func TestAllocationIsOptimal(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 11))
	units := map[uint]*models.Unit{1: {ID: 1, Area: "甲"}, 2: {ID: 2, Area: "甲"}, 3: {ID: 3, Area: "乙"}, 4: {ID: 4}}
	cats := map[string]categoryInfo{"A02010105": {Name: "台式计算机", LifeYears: 6}, "A02010108": {Name: "便携式计算机", LifeYears: 6},
		"A02010104": {Name: "服务器", LifeYears: 6}, "A02020100": {Name: "复印机", LifeYears: 6}}
	codes := []string{"A02010105", "A02010108", "A02010104", "A02020100"}
	conds := []models.Condition{models.ConditionNew, models.ConditionUsable, models.ConditionRepairable}
	names := []string{"联想 M720t", "戴尔 OptiPlex", "华为 擎云"}
	scored := 0
	for iter := range 400 {
		in := &matchInput{today: models.Date{Year: 2026, Month: 11, Day: 29}, cats: cats, units: units, weights: DefaultWeights}
		var rows []poolRow
		pieces := 0
		for i := range 1 + rng.IntN(4) {
			q := 1 + rng.IntN(2)
			if pieces+q > 7 {
				break
			}
			pieces += q
			rows = append(rows, poolRow{ID: uint(i + 1), UnitID: uint(1 + rng.IntN(4)), AssetNo: fmt.Sprint(i), Name: "计算机",
				Model: names[rng.IntN(len(names))], CategoryCode: codes[rng.IntN(len(codes))], Condition: conds[rng.IntN(3)],
				AcquiredOn:    models.Date{Year: 2018 + rng.IntN(8), Month: time.Month(1 + rng.IntN(12)), Day: 1},
				OriginalValue: models.Money(q * (200000 + rng.IntN(5)*100000)), Quantity: q})
		}
		var rs []models.PurchaseRequest
		// Few distinct requirements and prices, so that requests of one type from several units
		// and areas share the network's type nodes.
		for i := range 1 + rng.IntN(4) {
			rs = append(rs, models.PurchaseRequest{ID: uint(i + 1), UnitID: uint(1 + rng.IntN(4)), CategoryCode: codes[rng.IntN(2)],
				Requirements: names[rng.IntN(2)], Quantity: 1 + rng.IntN(2), UnitPrice: models.Money(rng.IntN(2) * 500000),
				MinCondition: conds[rng.IntN(3)], NeededBy: models.Date{Year: 2027, Month: time.Month(1 + rng.IntN(2)), Day: 1},
				Status: models.RequestSubmitted})
		}
		in.build(rows, map[uint]int{}, map[uint][]uint{}, rs)
		allocs, err := in.allocate()
		if err != nil {
			t.Fatal(err)
		}
		gotScore, gotBonus := judge(in, allocs)
		wantScore, wantBonus := bruteForce(in)
		if wantScore > 0 {
			scored++
		}
		if gotScore != wantScore || gotBonus != wantBonus {
			t.Fatalf("instance %d: flow gives (%d, %d), brute force (%d, %d)\ncards %+v\nrequests %+v\nallocs %+v",
				iter, gotScore, gotBonus, wantScore, wantBonus, rows, rs, allocs)
		}
	}
	if scored < 200 {
		t.Errorf("only %d of 400 instances allocate anything: the comparison proves little", scored)
	}
}

// pieceScore is what one piece of card k gives request i (and ok false when it may not).
func pieceScore(in *matchInput, i, k int) (int64, bool) {
	r := &in.requests[i]
	g := &in.groups[r.group]
	t := &in.types[g.typ]
	card := &in.cards[k]
	if card.class < 0 || !candidate(t, &in.classes[card.class]) {
		return 0, false
	}
	level := in.levelOf(g, card.unitID)
	c := &in.classes[card.class]
	v := int64(in.weights.score(in.parts(t, c, level)))
	if level == levelUnit && closeness(t.category, c.category) == 3 {
		v += selfBonus
	}
	return v, true
}

// judge checks allocations are feasible and returns their score total and tie-break total.
func judge(in *matchInput, allocs []allocation) (int64, int64) {
	used := make([]int, len(in.cards))
	got := make([]int, len(in.requests))
	var score, bonus int64
	for _, al := range allocs {
		v, ok := pieceScore(in, al.request, al.card)
		if !ok {
			return -1, -1
		}
		used[al.card] += al.qty
		got[al.request] += al.qty
		score += v * int64(al.qty)
		bonus += int64(len(in.requests)-in.requests[al.request].rank) * int64(al.qty)
	}
	for k := range used {
		if used[k] > max(0, in.cards[k].free) {
			return -2, -2
		}
	}
	for i := range got {
		if got[i] > in.requests[i].want {
			return -3, -3
		}
	}
	return score, bonus
}

// bruteForce tries every assignment of every free piece to a request or none.
func bruteForce(in *matchInput) (int64, int64) {
	var pieces []int // card index per piece
	for k := range in.cards {
		for range max(0, in.cards[k].free) {
			pieces = append(pieces, k)
		}
	}
	got := make([]int, len(in.requests))
	best := [2]int64{0, 0}
	var rec func(p int, score, bonus int64)
	rec = func(p int, score, bonus int64) {
		if p == len(pieces) {
			if score > best[0] || score == best[0] && bonus > best[1] {
				best = [2]int64{score, bonus}
			}
			return
		}
		rec(p+1, score, bonus)
		for i := range in.requests {
			if got[i] >= in.requests[i].want {
				continue
			}
			v, ok := pieceScore(in, i, pieces[p])
			if !ok {
				continue
			}
			got[i]++
			rec(p+1, score+v, bonus+int64(len(in.requests)-in.requests[i].rank))
			got[i]--
		}
	}
	rec(0, 0, 0)
	return best[0], best[1]
}

func TestRequestLifecycleAndScoping(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	ctx := context.Background()
	old := fx.card(t, fx.unitA, models.Asset{AssetNo: "OLD", Name: "台式计算机", AcquiredOn: models.Date{Year: 2024, Month: 1, Day: 1}})
	v, err := fx.a.CreateRequest(ctx, fx.clerkA, RequestInput{CategoryCode: "A02010105", Name: "台式计算机", Quantity: 50,
		UnitPrice: 650000, Replaces: []uint{old.ID}, MinCondition: models.ConditionUsable})
	if err != nil || v.Status != models.RequestDraft || !v.CanSubmit || v.UnitCode != "JF" {
		t.Fatalf("create: %+v %v", v, err)
	}
	if _, err := fx.a.CreateRequest(ctx, fx.finance, RequestInput{Unit: "JF", CategoryCode: "A02010105", Name: "x", Quantity: 1}); models.ErrorCode(err) != models.EForbidden {
		t.Errorf("finance filed a request: %v", err)
	}
	if _, err := fx.a.CreateRequest(ctx, fx.clerkB, RequestInput{Unit: "JF", CategoryCode: "A02010105", Name: "x", Quantity: 1}); models.ErrorCode(err) != models.EForbidden {
		t.Errorf("clerk B filed for unit A: %v", err)
	}
	if _, err := fx.a.CreateRequest(ctx, fx.clerkB, RequestInput{CategoryCode: "A02010105", Name: "x", Quantity: 1, Replaces: []uint{old.ID}}); models.ErrorCode(err) != models.EInvalid {
		t.Errorf("clerk B replaces unit A's card: %v", err)
	}
	if _, err := fx.a.Request(ctx, fx.clerkB, v.ID); models.ErrorCode(err) != models.ENotFound {
		t.Errorf("clerk B reads unit A's request: %v", err)
	}
	if _, err := fx.a.SubmitRequest(ctx, fx.clerkB, v.ID); models.ErrorCode(err) != models.ENotFound {
		t.Errorf("clerk B submits unit A's request: %v", err)
	}
	n := 2
	if _, err := fx.a.UpdateRequest(ctx, fx.clerkA, v.ID, RequestPatch{Version: v.Version + 1, Quantity: &n}); models.ErrorCode(err) != models.EConflict {
		t.Errorf("stale edit: %v", err)
	}
	s, err := fx.a.SubmitRequest(ctx, fx.clerkA, v.ID)
	if err != nil || s.Status != models.RequestSubmitted {
		t.Fatalf("submit: %+v %v", s, err)
	}
	codes := map[string]bool{}
	for _, f := range s.Standards.Findings {
		codes[f.Code] = true
	}
	for _, c := range []string{models.FindingPriceOverCap, models.FindingQuantityOverCap, models.FindingReplacesYoung} {
		if !codes[c] {
			t.Errorf("standards check lacks %s: %+v", c, s.Standards.Findings)
		}
	}
	if _, err := fx.a.UpdateRequest(ctx, fx.clerkA, v.ID, RequestPatch{Version: s.Version, Quantity: &n}); models.ErrorCode(err) != models.EConflict {
		t.Errorf("edit after submit: %v", err)
	}
	page, err := fx.a.ListRequests(ctx, fx.clerkB, RequestFilter{})
	if err != nil || page.Total != 0 {
		t.Errorf("clerk B lists %d requests (%v)", page.Total, err)
	}
	if page, err = fx.a.ListRequests(ctx, fx.finance, RequestFilter{Statuses: []models.RequestStatus{models.RequestSubmitted}}); err != nil || page.Total != 1 {
		t.Errorf("finance lists %+v (%v)", page, err)
	}
	w, err := fx.a.WithdrawRequest(ctx, fx.clerkA, v.ID)
	if err != nil || w.Status != models.RequestWithdrawn {
		t.Fatalf("withdraw: %+v %v", w, err)
	}
	if _, err := fx.a.WithdrawRequest(ctx, fx.clerkA, v.ID); models.ErrorCode(err) != models.EConflict {
		t.Errorf("withdraw twice: %v", err)
	}
}

func TestWithdrawFreesHeldItemsForOthers(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	ctx := context.Background()
	item := fx.idle(t, fx.unitB, models.Asset{AssetNo: "XR-1"})
	r1 := fx.request(t, fx.clerkA, RequestInput{UnitPrice: 500000})
	r2 := fx.request(t, fx.clerkC, RequestInput{UnitPrice: 500000})
	if _, err := fx.a.WithdrawRequest(ctx, fx.clerkA, r1.ID); err != nil {
		t.Fatal(err)
	}
	fx.a.WaitBackground()
	ps := fx.proposals(t, fx.clerkC, r2.ID)
	if len(ps) != 1 || ps[0].AssetID != item.ID {
		t.Fatalf("after the withdrawal: %+v", ps)
	}
}

func TestItemEnteringThePoolIsMatched(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	ctx := context.Background()
	r := fx.request(t, fx.clerkA, RequestInput{UnitPrice: 500000})
	if r.Status != models.RequestSubmitted {
		t.Fatalf("status %s with an empty pool", r.Status)
	}
	c := fx.card(t, fx.unitB, models.Asset{AssetNo: "XR-1", Name: "台式计算机"})
	if _, err := fx.a.MarkAssets(ctx, fx.clerkB, []uint{c.ID}, models.UsageIdle); err != nil {
		t.Fatal(err)
	}
	fx.a.WaitBackground()
	if ps := fx.proposals(t, fx.clerkA, r.ID); len(ps) != 1 || ps[0].AssetID != c.ID {
		t.Fatalf("after the item became idle: %+v", ps)
	}
}
