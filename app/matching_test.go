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
	// The second request scores the item as the first does: a full run keeps the hold.
	r2 := fx.request(t, fx.clerkA, RequestInput{UnitPrice: 500000})
	if len(fx.proposals(t, fx.clerkA, r2.ID)) != 0 {
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
	// The runs list names every way a run started in words, the hourly release included.
	runs, err := fx.a.MatchRuns(ctx, fx.finance, 100)
	if err != nil {
		t.Fatal(err)
	}
	labels := map[models.MatchTrigger]string{}
	for _, r := range runs {
		labels[r.Trigger] = r.TriggerLabel
	}
	if labels[models.TriggerExpiry] != "保留期到期" || labels[models.TriggerManual] != "手动运行" || labels[models.TriggerRequest] != "需求提交" {
		t.Errorf("run labels: %v", labels)
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
// tie-break's total (rank bonuses and kept proposals) among allocations of that score. The
// instances mix the shapes that prune: a unit's own stock of the very item beside its larger,
// better-scoring stock of neighbouring items, several items under one major class, many
// higher-scoring candidates of other items, and proposals a full run may keep or move.
func TestAllocationIsOptimal(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 11))
	units := map[uint]*models.Unit{1: {ID: 1, Area: "甲"}, 2: {ID: 2, Area: "甲"}, 3: {ID: 3, Area: "乙"}, 4: {ID: 4}}
	cats := map[string]categoryInfo{"A02010105": {Name: "台式计算机", LifeYears: 6}, "A02010108": {Name: "便携式计算机", LifeYears: 6},
		"A02010104": {Name: "服务器", LifeYears: 6}, "A02020100": {Name: "复印机", LifeYears: 6},
		"A05010301": {Name: "办公椅", LifeYears: 15}, "A05010303": {Name: "会议椅", LifeYears: 15}, "A05010502": {Name: "文件柜", LifeYears: 15}}
	majors := [][]string{{"A02010105", "A02010108", "A02010104", "A02020100"}, {"A05010303", "A05010301", "A05010502"}}
	conds := []models.Condition{models.ConditionNew, models.ConditionUsable, models.ConditionRepairable}
	names := []string{"联想 M720t", "戴尔 OptiPlex", "华为 擎云"}
	scored, own, kept := 0, 0, 0
	for iter := range 1200 {
		codes := majors[iter%2]
		in := &matchInput{today: models.Date{Year: 2026, Month: 11, Day: 29}, cats: cats, units: units, weights: DefaultWeights}
		var rows []poolRow
		pieces := 0
		// Every third instance gives unit 1 its own old stock of the very item asked for and a
		// newer, better-matching stock of a neighbouring item, besides whatever else is drawn.
		shaped := iter%3 == 0
		if shaped {
			rows = append(rows,
				poolRow{ID: 1, UnitID: 1, AssetNo: "own", Name: "旧", CategoryCode: codes[0], Condition: models.ConditionUsable,
					AcquiredOn: models.Date{Year: 2016, Month: 3, Day: 1}, OriginalValue: 100000, Quantity: 1},
				poolRow{ID: 2, UnitID: 1, AssetNo: "near", Name: "新", Model: names[0], CategoryCode: codes[1], Condition: models.ConditionNew,
					AcquiredOn: models.Date{Year: 2026, Month: 1, Day: 1}, OriginalValue: 900000, Quantity: 3})
			pieces = 4
		}
		for i := len(rows); i < 6; i++ {
			q := 1 + rng.IntN(2)
			if pieces+q > 7 || rng.IntN(4) == 0 {
				break
			}
			pieces += q
			rows = append(rows, poolRow{ID: uint(i + 1), UnitID: uint(1 + rng.IntN(4)), AssetNo: fmt.Sprint(i), Name: "物品",
				Model: names[rng.IntN(len(names))], CategoryCode: codes[rng.IntN(len(codes))], Condition: conds[rng.IntN(3)],
				AcquiredOn:    models.Date{Year: 2015 + rng.IntN(11), Month: time.Month(1 + rng.IntN(12)), Day: 1},
				OriginalValue: models.Money(q * (200000 + rng.IntN(5)*100000)), Quantity: q})
		}
		var rs []models.PurchaseRequest
		// Few distinct requirements and prices, so that requests of one type from several units
		// and areas share the network's type nodes.
		for i := range 1 + rng.IntN(4) {
			r := models.PurchaseRequest{ID: uint(i + 1), UnitID: uint(1 + rng.IntN(4)), CategoryCode: codes[rng.IntN(2)],
				Requirements: names[rng.IntN(2)], Quantity: 1 + rng.IntN(2), UnitPrice: models.Money(rng.IntN(2) * 500000),
				MinCondition: conds[rng.IntN(3)], NeededBy: models.Date{Year: 2027, Month: time.Month(1 + rng.IntN(2)), Day: 1},
				Status: models.RequestSubmitted}
			if shaped && i == 0 {
				r.UnitID, r.CategoryCode, r.Quantity, r.MinCondition = 1, codes[0], 1, models.ConditionUsable
			}
			rs = append(rs, r)
		}
		// Some pieces are held by proposals a full run may keep or move.
		for i := range rs {
			if len(rows) > 0 && rng.IntN(3) == 0 {
				row := &rows[rng.IntN(len(rows))]
				q := min(rs[i].Quantity, row.Quantity)
				held := 0
				for _, p := range in.reopt {
					if p.assetID == row.ID {
						held += p.qty
					}
				}
				if held+q <= row.Quantity {
					in.reopt = append(in.reopt, reoptProposal{id: uint(len(in.reopt) + 1), requestID: rs[i].ID, assetID: row.ID, qty: q})
					rs[i].ProposedQuantity = q
				}
			}
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
		if wantScore > selfBonus {
			own++
		}
		if len(in.reopt) > 0 {
			kept++
		}
		if gotScore != wantScore || gotBonus != wantBonus {
			t.Fatalf("instance %d: flow gives (%d, %d), brute force (%d, %d)\ncards %+v\nrequests %+v\nreopened %+v\nallocs %+v",
				iter, gotScore, gotBonus, wantScore, wantBonus, rows, rs, in.reopt, allocs)
		}
		if g := in.greedy(); len(in.reopt) > 0 {
			if s, _ := judge(in, g); s < 0 {
				t.Fatalf("instance %d: greedy is infeasible: %+v", iter, g)
			}
		}
	}
	t.Logf("scored %d own %d kept %d", scored, own, kept)
	if scored < 600 || own < 200 || kept < 200 {
		t.Errorf("of 1200 instances %d allocate anything, %d give a unit its own item, %d hold proposals: the comparison proves little", scored, own, kept)
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

// keptPieces is how many pieces of card k request i's reopened proposals held.
func keptPieces(in *matchInput, i, k int) int {
	n := 0
	for _, pi := range in.keeps[i] {
		if in.reopt[pi].card == k {
			n += in.reopt[pi].qty
		}
	}
	return n
}

// judge checks allocations are feasible and returns their score total and tie-break total:
// each piece's rank bonus, and the keep bonus for a piece its request's proposal held.
func judge(in *matchInput, allocs []allocation) (int64, int64) {
	used := make([]int, len(in.cards))
	got := make([]int, len(in.requests))
	given := map[[2]int]int{}
	var score, bonus int64
	n := int64(len(in.requests))
	for _, al := range allocs {
		v, ok := pieceScore(in, al.request, al.card)
		if !ok {
			return -1, -1
		}
		used[al.card] += al.qty
		got[al.request] += al.qty
		score += v * int64(al.qty)
		bonus += (n - int64(in.requests[al.request].rank)) * int64(al.qty)
		given[[2]int{al.request, al.card}] += al.qty
	}
	for k, q := range given {
		bonus += n * int64(min(q, keptPieces(in, k[0], k[1])))
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
	given := map[[2]int]int{}
	best := [2]int64{0, 0}
	n := int64(len(in.requests))
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
			k := [2]int{i, pieces[p]}
			b := n - int64(in.requests[i].rank)
			if given[k] < keptPieces(in, i, pieces[p]) {
				b += n
			}
			got[i]++
			given[k]++
			rec(p+1, score+v, bonus+b)
			given[k]--
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

// TestOwnStockOfTheVeryItemBeatsAPlentifulNeighbour is the demo's 兴仁街道 case: a request for
// 会议椅 from a unit that holds its own old 会议椅 and many newer 办公椅 (a neighbouring item
// that scores higher) must get its own 会议椅, not another unit's nor its own 办公椅.
func TestOwnStockOfTheVeryItemBeatsAPlentifulNeighbour(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	own := fx.idle(t, fx.unitB, models.Asset{AssetNo: "XRJD-2015-0006", Name: "会议室座椅", CategoryCode: "A05010303", Quantity: 22,
		OriginalValue: 22 * 30000, AcquiredOn: models.Date{Year: 2015, Month: 6, Day: 1}})
	fx.idle(t, fx.unitB, models.Asset{AssetNo: "XRJD-2026-0001", Name: "职员椅", CategoryCode: "A05010301", Quantity: 30,
		Condition: models.ConditionNew, OriginalValue: 30 * 60000, AcquiredOn: models.Date{Year: 2026, Month: 5, Day: 1}})
	fx.idle(t, fx.unitA, models.Asset{AssetNo: "JF-2025-0003", Name: "会议椅", CategoryCode: "A05010303", Quantity: 4,
		Condition: models.ConditionNew, OriginalValue: 4 * 50000, AcquiredOn: models.Date{Year: 2025, Month: 9, Day: 1}})
	r := fx.request(t, fx.clerkB, RequestInput{CategoryCode: "A05010303", Name: "会议椅", Quantity: 2, MinCondition: models.ConditionUsable})
	ps := fx.proposals(t, fx.clerkB, r.ID)
	if len(ps) != 1 || ps[0].AssetID != own.ID || ps[0].Quantity != 2 || !ps[0].SelfMatch || !strings.Contains(ps[0].Reasons, "本单位已有闲置同类资产") {
		t.Fatalf("proposals: %+v", ps)
	}
}

// TestSelfTagOnlyForTheVeryItem: a unit's own idle item of a neighbouring class may be
// proposed for being near, but it is not "本单位已有闲置同类资产".
func TestSelfTagOnlyForTheVeryItem(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	chair := fx.idle(t, fx.unitB, models.Asset{AssetNo: "XR-ZYY", Name: "职员椅", CategoryCode: "A05010301", Quantity: 5, OriginalValue: 5 * 60000})
	r := fx.request(t, fx.clerkB, RequestInput{CategoryCode: "A05010303", Name: "会议椅", Quantity: 2})
	ps := fx.proposals(t, fx.clerkB, r.ID)
	if len(ps) != 1 || ps[0].AssetID != chair.ID {
		t.Fatalf("proposals: %+v", ps)
	}
	if p := ps[0]; p.SelfMatch || strings.Contains(p.Reasons, "本单位已有闲置同类资产") || !strings.Contains(p.Reasons, "本单位闲置") {
		t.Errorf("a neighbouring item of the unit's own is tagged as the very item: self %v, reasons %q", p.SelfMatch, p.Reasons)
	}
}

// TestFullRunImprovesWhatSubmitHeld: a request submitted first holds the only 全新 item, which
// a later request that accepts nothing else needs. Submit-time matching cannot move it; a full
// run does, says why in the moved proposal's history and in the clerk's 待办, and a second run
// changes nothing.
func TestFullRunImprovesWhatSubmitHeld(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	ctx := context.Background()
	brandNew := fx.idle(t, fx.unitC, models.Asset{AssetNo: "XRS-NEW", Condition: models.ConditionNew, AcquiredOn: models.Date{Year: 2026, Month: 6, Day: 1}})
	usable := fx.idle(t, fx.unitC, models.Asset{AssetNo: "XRS-OLD", AcquiredOn: models.Date{Year: 2022, Month: 6, Day: 1}})
	first := fx.request(t, fx.clerkA, RequestInput{Quantity: 1})
	ps := fx.proposals(t, fx.clerkA, first.ID)
	if len(ps) != 1 || ps[0].AssetID != brandNew.ID {
		t.Fatalf("the first request should hold the new item at submit: %+v", ps)
	}
	held := ps[0]
	second := fx.request(t, fx.clerkB, RequestInput{Quantity: 1, MinCondition: models.ConditionNew})
	if got := fx.proposals(t, fx.clerkB, second.ID); len(got) != 0 {
		t.Fatalf("submit-time matching moved a held item: %+v", got)
	}
	if _, err := fx.a.RunMatching(ctx, fx.finance, "manual"); err != nil {
		t.Fatal(err)
	}
	ps = fx.proposals(t, fx.clerkB, second.ID)
	if len(ps) != 1 || ps[0].AssetID != brandNew.ID || ps[0].Status != models.ProposalProposed {
		t.Fatalf("the full run should give the new item to the request that takes nothing else: %+v", ps)
	}
	var firstLive []ProposalView
	for _, p := range fx.proposals(t, fx.clerkA, first.ID) {
		if p.Status == models.ProposalProposed {
			firstLive = append(firstLive, p)
		}
	}
	if len(firstLive) != 1 || firstLive[0].AssetID != usable.ID {
		t.Fatalf("the first request should now be offered the usable item: %+v", firstLive)
	}
	moved, err := fx.a.Proposal(ctx, fx.clerkA, held.ID)
	if err != nil {
		t.Fatal(err)
	}
	if moved.Status != models.ProposalCancelled || !strings.HasPrefix(moved.Reason, "全局匹配调整：") ||
		!strings.Contains(moved.Reason, fmt.Sprintf("需求 #%d", second.ID)) || !strings.Contains(moved.Reason, "XRS-OLD") {
		t.Fatalf("replaced proposal: status %s, reason %q", moved.Status, moved.Reason)
	}
	inHistory := false
	for _, ev := range moved.History {
		inHistory = inHistory || strings.Contains(string(ev.After), "全局匹配调整：")
	}
	if !inHistory {
		t.Errorf("the history does not say why: %+v", moved.History)
	}
	box, err := fx.a.Inbox(ctx, fx.clerkA)
	if err != nil {
		t.Fatal(err)
	}
	var seen bool
	for _, sec := range box.Sections {
		for _, it := range sec.Items {
			seen = seen || sec.Key == "adjusted" && it.ID == held.ID
		}
	}
	if !seen {
		t.Errorf("the clerk's 待办 does not show the adjusted proposal: %+v", box.Sections)
	}
	for _, r := range []*RequestView{first, second} {
		v, err := fx.a.Request(ctx, fx.finance, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.ProposedQuantity != 1 || v.Status != models.RequestMatched {
			t.Errorf("request %d: proposed %d, status %s", r.ID, v.ProposedQuantity, v.Status)
		}
	}
	// A second run finds nothing to improve and moves nothing.
	before := liveProposals(t, fx)
	if _, err := fx.a.RunMatching(ctx, fx.finance, "manual"); err != nil {
		t.Fatal(err)
	}
	if after := liveProposals(t, fx); !slices.Equal(before, after) {
		t.Errorf("a second run churned:\nbefore %v\nafter  %v", before, after)
	}
}

// liveProposals lists the live proposals as id:request:asset:quantity:version.
func liveProposals(t *testing.T, fx *matchFixture) []string {
	t.Helper()
	var ps []models.Proposal
	if err := fx.a.db.Where("status IN ?", models.LiveProposalStatuses).Order("id").Find(&ps).Error; err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%d:%d:%d:%d:%d", p.ID, p.RequestID, p.AssetID, p.Quantity, p.Version))
	}
	return out
}

// TestFullRunKeepsWhatIsAsGoodAndWhatWasActedOn: a full run leaves a proposal where moving it
// would only serve the tie-break (the same score, an earlier needed-by date elsewhere), and
// never touches a proposal its clerk accepted or its source objected to, though the unit that
// owns those items would now score them higher for a request of its own.
func TestFullRunKeepsWhatIsAsGoodAndWhatWasActedOn(t *testing.T) {
	t.Parallel()
	fx := newMatchFixture(t)
	ctx := context.Background()
	fx.idle(t, fx.unitA, models.Asset{AssetNo: "JF-PC"})
	chair := models.Asset{CategoryCode: "A05010303", Name: "会议椅", OriginalValue: 40000}
	chair.AssetNo = "JF-HYY1"
	fx.idle(t, fx.unitA, chair)
	chair.AssetNo = "JF-HYY2"
	fx.idle(t, fx.unitA, chair)
	// Two requests from two units of one area, alike but for the date: the later one is needed
	// sooner, which would win the tie from scratch.
	held := fx.request(t, fx.clerkB, RequestInput{Quantity: 1})
	fx.request(t, fx.clerkC, RequestInput{Quantity: 1, NeededBy: models.Date{Year: 2027, Month: 1, Day: 1}})
	// The chairs go to unit B's and unit C's requests; B accepts, unit A objects to C's.
	nb := RequestInput{Quantity: 1, CategoryCode: "A05010303", Name: "会议椅"}
	acc := fx.proposals(t, fx.clerkB, fx.request(t, fx.clerkB, nb).ID)
	obj := fx.proposals(t, fx.clerkC, fx.request(t, fx.clerkC, nb).ID)
	if len(acc) != 1 || len(obj) != 1 {
		t.Fatalf("chair proposals: %+v %+v", acc, obj)
	}
	if _, err := fx.a.ActOnProposal(ctx, fx.clerkB, acc[0].ID, models.ActionAccept, ProposalInput{}); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.a.ActOnProposal(ctx, fx.clerkA, obj[0].ID, models.ActionObject, ProposalInput{Reason: "本单位仍需使用"}); err != nil {
		t.Fatal(err)
	}
	// Unit A's own request would take its own chairs first, from scratch.
	own := fx.request(t, fx.clerkA, RequestInput{Quantity: 2, CategoryCode: "A05010303", Name: "会议椅"})
	heldBefore := fx.proposals(t, fx.clerkB, held.ID)
	before := liveProposals(t, fx)
	if len(before) != 3 {
		t.Fatalf("live proposals before the run: %v", before)
	}
	if _, err := fx.a.RunMatching(ctx, fx.finance, "manual"); err != nil {
		t.Fatal(err)
	}
	if after := liveProposals(t, fx); !slices.Equal(before, after) {
		t.Errorf("a full run changed proposals it should keep:\nbefore %v\nafter  %v", before, after)
	}
	if got := fx.proposals(t, fx.clerkB, held.ID); len(got) != 1 || got[0].AssetID != heldBefore[0].AssetID || got[0].Status != models.ProposalProposed {
		t.Errorf("the held proposal moved: %+v", got)
	}
	if got := fx.proposals(t, fx.clerkA, own.ID); len(got) != 0 {
		t.Errorf("the unit's own request took items others' clerks acted on: %+v", got)
	}
}
