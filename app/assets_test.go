package app

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"assetpool/models"
)

// registerFixture is two units with a clerk each, a finance user, and a handful of cards.
type registerFixture struct {
	a              *App
	unitA, unitB   *models.Unit
	clerkA, clerkB *models.User
	finance        *models.User
}

func newRegisterFixture(t *testing.T) *registerFixture {
	t.Helper()
	a, _ := openTest(t)
	ctx := context.Background()
	fx := &registerFixture{a: a, unitA: &models.Unit{Code: "JF", Name: "经济发展局", Area: "管委会机关"},
		unitB: &models.Unit{Code: "XR", Name: "兴仁街道", Area: "兴仁街道"}}
	for _, u := range []*models.Unit{fx.unitA, fx.unitB} {
		if err := a.CreateUnit(ctx, nil, u); err != nil {
			t.Fatal(err)
		}
	}
	fx.clerkA = &models.User{Username: "jingfa", DisplayName: "王会计", Role: models.RoleClerk, UnitID: &fx.unitA.ID, Active: true}
	fx.clerkB = &models.User{Username: "xingren", DisplayName: "李会计", Role: models.RoleClerk, UnitID: &fx.unitB.ID, Active: true}
	fx.finance = &models.User{Username: "caizheng", DisplayName: "赵科长", Role: models.RoleFinance, Active: true}
	for _, u := range []*models.User{fx.clerkA, fx.clerkB, fx.finance} {
		if err := a.CreateUser(ctx, nil, u, "password-123"); err != nil {
			t.Fatal(err)
		}
	}
	return fx
}

// card creates a card; fields not given get plausible values.
func (fx *registerFixture) card(t *testing.T, unit *models.Unit, as models.Asset) *models.Asset {
	t.Helper()
	if as.CategoryCode == "" {
		as.CategoryCode = "A02010105"
	}
	if as.AcquiredOn.IsZero() {
		as.AcquiredOn = models.Date{Year: 2021, Month: 3, Day: 1}
	}
	if as.OriginalValue == 0 {
		as.OriginalValue = 500000
	}
	c, err := fx.a.CreateAsset(context.Background(), nil, unit.ID, as)
	if err != nil {
		t.Fatalf("create %s: %v", as.AssetNo, err)
	}
	return &c.Asset
}

func assetNos(items []AssetItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.AssetNo
	}
	return out
}

func (fx *registerFixture) list(t *testing.T, who *models.User, f AssetFilter) *AssetPage {
	t.Helper()
	p, err := fx.a.ListAssets(context.Background(), who, f)
	if err != nil {
		t.Fatalf("list %+v: %v", f, err)
	}
	return p
}

func TestSearchFindsChineseSubstringsAndFollowsEdits(t *testing.T) {
	t.Parallel()
	fx := newRegisterFixture(t)
	ctx := context.Background()
	pr := fx.card(t, fx.unitA, models.Asset{AssetNo: "ZC-2019-0001", Name: "A4彩色打印机", CategoryCode: "A02021004", Model: "HP LaserJet M454dn", Brand: "惠普", Location: "3楼库房", UsageStatus: models.UsageInUse})
	fx.card(t, fx.unitA, models.Asset{AssetNo: "ZC-2019-0002", Name: "台式计算机", Model: "ThinkCentre M720t", Brand: "联想", Location: "2楼201室", UsageStatus: models.UsageInUse})
	fx.card(t, fx.unitA, models.Asset{AssetNo: "ZC-2020-0003", Name: "打印纸柜", CategoryCode: "A05010502", Location: "1楼", UsageStatus: models.UsageInUse})

	cases := map[string][]string{
		"打印":          {"ZC-2019-0001", "ZC-2020-0003"},
		"彩色打印":        {"ZC-2019-0001"},
		"打印机":         {"ZC-2019-0001"},
		"机":           {"ZC-2019-0001", "ZC-2019-0002"},
		"库房":          {"ZC-2019-0001"},
		"m454":        {"ZC-2019-0001"},
		"ＨＰ":          {"ZC-2019-0001"}, // full-width letters fold to half width
		"2019":        {"ZC-2019-0001", "ZC-2019-0002"},
		"0003":        {"ZC-2020-0003"},
		"联想 M720":     {"ZC-2019-0002"},
		"印彩":          nil, // characters present but not next to each other
		"复印机":         nil,
		"%":           nil,
		"thinkcentre": {"ZC-2019-0002"},
		"A4彩色":        {"ZC-2019-0001"},
		"zc-2019":     {"ZC-2019-0001", "ZC-2019-0002"},
		"laser":       {"ZC-2019-0001"}, // letters and digits match from the start of a word
		"aserjet":     nil,
	}
	for q, want := range cases {
		got := assetNos(fx.list(t, fx.clerkA, AssetFilter{Q: q, Sort: "asset_no"}).Items)
		if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("search %q: got %v, want %v", q, got, want)
		}
	}

	// An edit re-indexes the card: the old name is no longer found, the new one is.
	_, err := fx.a.UpdateAsset(ctx, fx.clerkA, pr.ID, AssetPatch{Version: pr.Version, Name: ptr("激光复印机")})
	if err != nil {
		t.Fatal(err)
	}
	if got := assetNos(fx.list(t, fx.clerkA, AssetFilter{Q: "彩色"}).Items); len(got) != 0 {
		t.Errorf("old name still found after rename: %v", got)
	}
	if got := assetNos(fx.list(t, fx.clerkA, AssetFilter{Q: "复印"}).Items); !slices.Equal(got, []string{"ZC-2019-0001"}) {
		t.Errorf("new name not found after rename: %v", got)
	}
}

func ptr[T any](v T) *T { return &v }

func TestFiltersSortAndTotals(t *testing.T) {
	t.Parallel()
	fx := newRegisterFixture(t)
	fx.card(t, fx.unitA, models.Asset{AssetNo: "A1", Name: "台式计算机", CategoryCode: "A02010105", OriginalValue: 480000, AcquiredOn: models.Date{Year: 2018, Month: 5, Day: 1}, UsageStatus: models.UsageInUse, Department: "办公室", Custodian: "张三"})
	fx.card(t, fx.unitA, models.Asset{AssetNo: "A2", Name: "便携式计算机", CategoryCode: "A02010108", OriginalValue: 650000, AcquiredOn: models.Date{Year: 2022, Month: 7, Day: 9}, UsageStatus: models.UsageIdle, Department: "财务科", Location: "仓库"})
	fx.card(t, fx.unitA, models.Asset{AssetNo: "A3", Name: "办公椅", CategoryCode: "A05010301", Quantity: 20, OriginalValue: 1600000, AcquiredOn: models.Date{Year: 2019, Month: 1, Day: 3}, UsageStatus: models.UsageIdle, Condition: models.ConditionRepairable})
	fx.card(t, fx.unitB, models.Asset{AssetNo: "B1", Name: "台式计算机", CategoryCode: "A02010105", OriginalValue: 500000, UsageStatus: models.UsageIdle})

	cases := []struct {
		name string
		who  *models.User
		f    AssetFilter
		want []string
	}{
		{"clerk sees own unit", fx.clerkA, AssetFilter{}, []string{"A1", "A2", "A3"}},
		{"finance sees all", fx.finance, AssetFilter{}, []string{"A1", "A2", "A3", "B1"}},
		{"finance picks a unit", fx.finance, AssetFilter{UnitCode: "XR"}, []string{"B1"}},
		{"category branch by prefix", fx.finance, AssetFilter{Category: "A0201"}, []string{"A1", "A2", "B1"}},
		{"category branch by class code", fx.finance, AssetFilter{Category: "A02010100"}, []string{"A1", "A2", "B1"}},
		{"one category item", fx.finance, AssetFilter{Category: "A02010108"}, []string{"A2"}},
		{"status", fx.clerkA, AssetFilter{Statuses: []models.UsageStatus{models.UsageIdle}}, []string{"A2", "A3"}},
		{"condition", fx.clerkA, AssetFilter{Conditions: []models.Condition{models.ConditionRepairable}}, []string{"A3"}},
		{"department contains", fx.clerkA, AssetFilter{Department: "财务"}, []string{"A2"}},
		{"location contains", fx.clerkA, AssetFilter{Location: "仓"}, []string{"A2"}},
		{"custodian", fx.clerkA, AssetFilter{Custodian: "张三"}, []string{"A1"}},
		{"year range", fx.clerkA, AssetFilter{YearFrom: 2019, YearTo: 2022}, []string{"A2", "A3"}},
		{"value range", fx.clerkA, AssetFilter{ValueMin: ptr(models.Money(500000)), ValueMax: ptr(models.Money(700000))}, []string{"A2"}},
		{"idle since", fx.clerkA, AssetFilter{IdleFrom: models.Date{Year: 2026, Month: 11, Day: 29}}, []string{"A2", "A3"}},
		{"pool leaves out repairable", fx.clerkB, AssetFilter{Pool: true}, []string{"A2", "B1"}},
		{"sort by value descending", fx.finance, AssetFilter{Sort: "-original_value"}, []string{"A3", "A2", "B1", "A1"}},
		// Text sorts by code point (SQLite has no pinyin collation): 便 < 办 < 台.
		{"sort by name", fx.clerkA, AssetFilter{Sort: "name"}, []string{"A2", "A3", "A1"}},
	}
	for _, c := range cases {
		var got []string
		if c.f.Pool {
			p, err := fx.a.ListPool(context.Background(), c.who, c.f)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range p.Items {
				got = append(got, it.AssetNo)
			}
			slices.Sort(got)
		} else {
			got = assetNos(fx.list(t, c.who, c.f).Items)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
	idle := AssetFilter{Statuses: []models.UsageStatus{models.UsageIdle}}
	if p := fx.list(t, fx.clerkA, idle); p.Total != 2 {
		t.Errorf("the idle filter counts %d cards", p.Total)
	}
	sums, err := fx.a.CountAssets(context.Background(), fx.clerkA, idle)
	if err != nil || sums != (FilterTotals{Cards: 2, Quantity: 21, Value: 2250000}) {
		t.Errorf("totals of the idle filter: %+v, %v", sums, err)
	}
}

func TestClerkCannotReachAnotherUnit(t *testing.T) {
	t.Parallel()
	fx := newRegisterFixture(t)
	ctx := context.Background()
	b := fx.card(t, fx.unitB, models.Asset{AssetNo: "B1", Name: "台式计算机", UsageStatus: models.UsageInUse, Custodian: "钱七"})
	if _, err := fx.a.ListAssets(ctx, fx.clerkA, AssetFilter{UnitCode: "XR"}); models.ErrorCode(err) != models.EForbidden {
		t.Errorf("naming another unit: %v", err)
	}
	for _, f := range []AssetFilter{{Q: "台式"}, {IDs: []uint{b.ID}}, {Custodian: "钱七"}, {Sort: "-custodian"}, {Category: "A02"}} {
		if p := fx.list(t, fx.clerkA, f); len(p.Items) != 0 || p.Total != 0 {
			t.Errorf("filter %+v reaches unit B: %v", f, assetNos(p.Items))
		}
		if sums, err := fx.a.CountAssets(ctx, fx.clerkA, f); err != nil || sums != (FilterTotals{}) {
			t.Errorf("filter %+v sums unit B: %+v, %v", f, sums, err)
		}
	}
	if _, err := fx.a.Asset(ctx, fx.clerkA, b.ID, models.Date{}); models.ErrorCode(err) != models.ENotFound {
		t.Errorf("another unit's card: %v", err)
	}
	if _, err := fx.a.AssetHistory(ctx, fx.clerkA, b.ID); models.ErrorCode(err) != models.ENotFound {
		t.Errorf("another unit's history: %v", err)
	}
	if _, err := fx.a.UpdateAsset(ctx, fx.clerkA, b.ID, AssetPatch{Version: 1, Name: ptr("x")}); models.ErrorCode(err) != models.ENotFound {
		t.Errorf("editing another unit's card: %v", err)
	}
	if _, err := fx.a.MarkAssets(ctx, fx.clerkA, []uint{b.ID}, models.UsageIdle); models.ErrorCode(err) != models.EForbidden {
		t.Errorf("marking another unit's card: %v", err)
	}
	if _, err := fx.a.UpdateAsset(ctx, fx.finance, b.ID, AssetPatch{Version: 1, Name: ptr("x")}); models.ErrorCode(err) != models.EForbidden {
		t.Errorf("finance edits a card: %v", err)
	}
	// The pool is everyone's, but refuses to be searched by who holds an item.
	if _, err := fx.a.ListPool(ctx, fx.clerkA, AssetFilter{Custodian: "钱七"}); models.ErrorCode(err) != models.EInvalid {
		t.Errorf("pool by custodian: %v", err)
	}
}

// TestRegisterPoolFilterKeepsTheRegisterScope: the register's pool filter (?pool=1) selects the
// offered cards of the register the actor may read; it does not open other units' cards, with
// their custodians and locations, the way the pool's own view of them does not show them.
func TestRegisterPoolFilterKeepsTheRegisterScope(t *testing.T) {
	t.Parallel()
	fx := newRegisterFixture(t)
	ctx := context.Background()
	fx.card(t, fx.unitA, models.Asset{AssetNo: "A1", Name: "办公椅", UsageStatus: models.UsageIdle, Custodian: "张三"})
	fx.card(t, fx.unitB, models.Asset{AssetNo: "B1", Name: "办公椅", UsageStatus: models.UsageIdle, Custodian: "钱七", Location: "3楼库房"})
	pool := AssetFilter{Pool: true}
	if got := assetNos(fx.list(t, fx.clerkA, pool).Items); !slices.Equal(got, []string{"A1"}) {
		t.Errorf("clerk A's register, pool filter: %v", got)
	}
	if sums, err := fx.a.CountAssets(ctx, fx.clerkA, pool); err != nil || sums.Cards != 1 {
		t.Errorf("clerk A's register totals, pool filter: %+v, %v", sums, err)
	}
	if _, err := fx.a.ListAssets(ctx, fx.clerkA, AssetFilter{Pool: true, UnitCode: "XR"}); models.ErrorCode(err) != models.EForbidden {
		t.Errorf("clerk A's register, pool filter of unit B: %v", err)
	}
	var seen []string
	if err := fx.a.EachAsset(ctx, fx.clerkA, pool, func(it *AssetItem) error { seen = append(seen, it.AssetNo+" "+it.Custodian); return nil }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seen, []string{"A1 张三"}) {
		t.Errorf("clerk A's register export, pool filter: %v", seen)
	}
	if got := assetNos(fx.list(t, fx.finance, pool).Items); !slices.Equal(got, []string{"A1", "B1"}) {
		t.Errorf("finance's register, pool filter: %v", got)
	}
	// The pool itself shows both units' items to the clerk.
	p, err := fx.a.ListPool(ctx, fx.clerkA, AssetFilter{})
	if err != nil || len(p.Items) != 2 {
		t.Errorf("clerk A's pool: %+v, %v", p, err)
	}
}

func TestKeysetPagesLoseAndRepeatNothingWhileCardsAreAdded(t *testing.T) {
	t.Parallel()
	fx := newRegisterFixture(t)
	ctx := context.Background()
	for i := range 120 {
		fx.card(t, fx.unitA, models.Asset{AssetNo: fmt.Sprintf("P%04d", i*2), Name: "办公椅", CategoryCode: "A05010301",
			OriginalValue: models.Money(1000 * (i % 7)), UsageStatus: models.UsageInUse})
	}
	for _, sort := range []string{"", "asset_no", "-original_value", "name", "-acquired_on", "idle_since"} {
		seen := map[string]int{}
		f := AssetFilter{Sort: sort, Limit: 25}
		var mu sync.Mutex
		added := map[string]bool{}
		for page := 0; ; page++ {
			p := fx.list(t, fx.clerkA, f)
			for _, it := range p.Items {
				seen[it.AssetNo]++
			}
			// Between pages, another clerk session adds cards that sort anywhere.
			mu.Lock()
			for j := range 3 {
				no := fmt.Sprintf("P%04d-%s-%d-%d", page*37%240, sort, page, j)
				fx.card(t, fx.unitA, models.Asset{AssetNo: no, Name: "办公椅", CategoryCode: "A05010301", OriginalValue: models.Money(1000 * j), UsageStatus: models.UsageInUse})
				added[no] = true
			}
			mu.Unlock()
			if p.Next == "" {
				break
			}
			f.After = p.Next
		}
		for i := range 120 {
			if no := fmt.Sprintf("P%04d", i*2); seen[no] != 1 {
				t.Errorf("sort %q: card %s seen %d times", sort, no, seen[no])
			}
		}
		for no, n := range seen {
			if n > 1 {
				t.Errorf("sort %q: card %s repeated %d times", sort, no, n)
			}
		}
	}
	if _, err := fx.a.ListAssets(ctx, fx.clerkA, AssetFilter{Sort: "name", After: "garbage"}); models.ErrorCode(err) != models.EInvalid {
		t.Errorf("a bad cursor: %v", err)
	}
	p := fx.list(t, fx.clerkA, AssetFilter{Sort: "name", Limit: 5})
	if _, err := fx.a.ListAssets(ctx, fx.clerkA, AssetFilter{Sort: "asset_no", After: p.Next}); models.ErrorCode(err) != models.EInvalid {
		t.Errorf("a cursor of another sort: %v", err)
	}
}

func TestStaleEditIsRefusedAndNothingWritten(t *testing.T) {
	t.Parallel()
	fx := newRegisterFixture(t)
	ctx := context.Background()
	c := fx.card(t, fx.unitA, models.Asset{AssetNo: "A1", Name: "台式计算机", UsageStatus: models.UsageInUse, Location: "201室"})
	first, err := fx.a.UpdateAsset(ctx, fx.clerkA, c.ID, AssetPatch{Version: 1, Location: ptr("库房")})
	if err != nil || first.Version != 2 {
		t.Fatalf("first edit: %v %+v", err, first)
	}
	_, err = fx.a.UpdateAsset(ctx, fx.clerkA, c.ID, AssetPatch{Version: 1, Location: ptr("302室")})
	if models.ErrorCode(err) != models.EConflict {
		t.Fatalf("stale edit: %v", err)
	}
	card, _ := fx.a.Asset(ctx, fx.clerkA, c.ID, models.Date{})
	if card.Location != "库房" || card.Version != 2 {
		t.Errorf("the stale edit wrote something: %+v", card.Asset)
	}
	// Two editors at once from the same version: exactly one wins.
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = fx.a.UpdateAsset(ctx, fx.clerkA, c.ID, AssetPatch{Version: 2, Remarks: ptr(fmt.Sprint("编辑 ", i))})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case models.ErrorCode(err) != models.EConflict:
			t.Errorf("concurrent edit: %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d concurrent edits from one version succeeded, want 1", ok)
	}
	hist, err := fx.a.AssetHistory(ctx, fx.clerkA, c.ID)
	if err != nil || len(hist) != 3 || hist[2].Action != "asset.create" || hist[1].Action != "asset.update" {
		t.Errorf("history: %v %+v", err, hist)
	}
}

func TestIdleMarkingDatesAndOffers(t *testing.T) {
	t.Parallel()
	fx := newRegisterFixture(t)
	ctx := context.Background()
	chairs := fx.card(t, fx.unitA, models.Asset{AssetNo: "C20", Name: "办公椅", CategoryCode: "A05010301", Quantity: 20, OriginalValue: 1600000, AcquiredOn: models.Date{Year: 2018, Month: 3, Day: 10}, UsageStatus: models.UsageInUse, Custodian: "张三"})
	pc := fx.card(t, fx.unitA, models.Asset{AssetNo: "PC1", Name: "台式计算机", UsageStatus: models.UsageInUse})
	n, err := fx.a.MarkAssets(ctx, fx.clerkA, []uint{chairs.ID, pc.ID}, models.UsageIdle)
	if err != nil || n != 2 {
		t.Fatalf("mark idle: %d %v", n, err)
	}
	card, _ := fx.a.Asset(ctx, fx.clerkA, chairs.ID, models.Date{})
	if card.IdleSince != (models.Date{Year: 2026, Month: 11, Day: 29}) || !card.InPool {
		t.Errorf("idle card: idle_since %s in pool %v", card.IdleSince, card.InPool)
	}
	// Offer 5 of the 20 chairs: the pool shows 5 and their share of the value.
	if _, err := fx.a.UpdateAsset(ctx, fx.clerkA, chairs.ID, AssetPatch{Version: card.Version, OfferedQuantity: ptr(5)}); err != nil {
		t.Fatal(err)
	}
	it, err := fx.a.PoolAsset(ctx, fx.clerkB, chairs.ID)
	if err != nil {
		t.Fatal(err)
	}
	// 105 of 180 months used; the 5 offered chairs carry a quarter of the value (¥4,000.00) and
	// of the monthly charge 8889 (2222, rounded down): 105 × 2222 = 2,333.10 charged.
	if it.Quantity != 5 || it.OriginalValue != 400000 || it.NetValue != 166690 || it.AgeMonths != 104 || *it.RemainingMonths != 75 {
		t.Errorf("pool item: %+v", it)
	}
	if _, err := fx.a.UpdateAsset(ctx, fx.clerkA, chairs.ID, AssetPatch{Version: card.Version + 1, OfferedQuantity: ptr(21)}); models.ErrorCode(err) != models.EInvalid {
		t.Errorf("offering more than the card holds: %v", err)
	}
	// Back in use: out of the pool, date and offer cleared.
	if _, err := fx.a.MarkAssets(ctx, fx.clerkA, []uint{chairs.ID}, models.UsageInUse); err != nil {
		t.Fatal(err)
	}
	card, _ = fx.a.Asset(ctx, fx.clerkA, chairs.ID, models.Date{})
	if !card.IdleSince.IsZero() || card.OfferedQuantity != 0 || card.InPool {
		t.Errorf("back in use: %+v", card.Asset)
	}
	if _, err := fx.a.PoolAsset(ctx, fx.clerkB, chairs.ID); models.ErrorCode(err) != models.ENotFound {
		t.Errorf("a card back in use is still in the pool: %v", err)
	}
	// A bulk mark with one card of another unit changes nothing.
	other := fx.card(t, fx.unitB, models.Asset{AssetNo: "B1", Name: "台式计算机", UsageStatus: models.UsageInUse})
	if _, err := fx.a.MarkAssets(ctx, fx.clerkA, []uint{pc.ID, other.ID}, models.UsageInUse); err == nil {
		t.Fatal("mark with another unit's card succeeded")
	}
	if c, _ := fx.a.Asset(ctx, fx.clerkA, pc.ID, models.Date{}); c.UsageStatus != models.UsageIdle {
		t.Errorf("a refused bulk mark changed a card")
	}
}

func TestCardComparesBookFiguresWithComputedDepreciation(t *testing.T) {
	t.Parallel()
	fx := newRegisterFixture(t)
	ctx := context.Background()
	right, wrong := models.Money(600000), models.Money(100000)
	stated := models.Date{Year: 2026, Month: 10, Day: 31}
	// ¥6,000.00 computer from 2020-01-15: fully depreciated by 2025-12.
	a := fx.card(t, fx.unitA, models.Asset{AssetNo: "OK", Name: "台式计算机", OriginalValue: 600000, AcquiredOn: models.Date{Year: 2020, Month: 1, Day: 15}, UsageStatus: models.UsageInUse, BookDepreciation: &right, BookDate: stated})
	b := fx.card(t, fx.unitA, models.Asset{AssetNo: "BAD", Name: "台式计算机", OriginalValue: 600000, AcquiredOn: models.Date{Year: 2020, Month: 1, Day: 15}, UsageStatus: models.UsageInUse, BookDepreciation: &wrong, BookDate: stated})
	ca, _ := fx.a.Asset(ctx, fx.clerkA, a.ID, models.Date{})
	cb, _ := fx.a.Asset(ctx, fx.clerkA, b.ID, models.Date{})
	if !ca.Depreciation.Fully || ca.Book.Disagrees || cb.Book.Disagrees != true || cb.Book.Difference != -500000 {
		t.Errorf("book check: %+v / %+v", ca.Book, cb.Book)
	}
	// As of an earlier day the same card is half way: 36 charges of ¥83.33.
	mid, err := fx.a.Asset(ctx, fx.clerkA, a.ID, models.Date{Year: 2022, Month: 12, Day: 31})
	if err != nil || mid.Depreciation.Months != 36 || mid.Depreciation.Accumulated != 299988 || mid.Schedule.Accumulated != 299988 {
		t.Errorf("as of 2022-12-31: %+v", mid.Depreciation)
	}
}

func TestListRowsCarryComputedValues(t *testing.T) {
	t.Parallel()
	fx := newRegisterFixture(t)
	fx.card(t, fx.unitA, models.Asset{AssetNo: "A1", Name: "办公椅", CategoryCode: "A05010301", Quantity: 20, OriginalValue: 1600000, AcquiredOn: models.Date{Year: 2018, Month: 3, Day: 10}, UsageStatus: models.UsageInUse})
	it := fx.list(t, fx.clerkA, AssetFilter{}).Items[0]
	// ¥16,000.00 over 180 months at ¥88.89, 105 months by 2026-11-29.
	if it.AccumulatedDepreciation != 933345 || it.NetValue != 666655 || it.CategoryName != "办公椅" || it.UnitCode != "JF" {
		t.Errorf("row: %+v", it)
	}
	if _, err := fx.a.ListAssets(context.Background(), fx.clerkA, AssetFilter{Sort: "password"}); models.ErrorCode(err) != models.EInvalid {
		t.Errorf("unknown sort: %v", err)
	}
}

func TestPoolTakesRepairableItemsWhenTheDistrictSaysSo(t *testing.T) {
	t.Parallel()
	fx := newRegisterFixture(t)
	ctx := context.Background()
	c := fx.card(t, fx.unitA, models.Asset{AssetNo: "R1", Name: "会议椅", CategoryCode: "A05010303", UsageStatus: models.UsageIdle, Condition: models.ConditionRepairable})
	if _, err := fx.a.PoolAsset(ctx, fx.clerkB, c.ID); models.ErrorCode(err) != models.ENotFound {
		t.Fatalf("a repairable item is in the pool by default: %v", err)
	}
	fx.a.cfg.PoolRepairable = true
	if it, err := fx.a.PoolAsset(ctx, fx.clerkB, c.ID); err != nil || it.Condition != models.ConditionRepairable {
		t.Errorf("with the setting on, the repairable item is not offered: %v", err)
	}
}

// A common search term is paged by walking the index (see listPage); the pages must be those
// of the plain plan: every match once, in order.
func TestDenseSearchPagesWalkTheIndex(t *testing.T) {
	t.Parallel()
	fx := newRegisterFixture(t)
	var want []string
	for i := range 60 {
		no := fmt.Sprintf("C%03d", (i*37)%60)
		name := "台式计算机"
		if i%3 != 0 {
			name = "办公椅"
			want = append(want, no)
		}
		fx.card(t, fx.unitA, models.Asset{AssetNo: no, Name: name, CategoryCode: "A05010301", UsageStatus: models.UsageInUse})
	}
	slices.Sort(want)
	// One card of another unit matches too: the clerk's count leaves it out, finance's (the
	// search index's own count, as the search is finance's only condition) takes it in.
	fx.card(t, fx.unitB, models.Asset{AssetNo: "B1", Name: "办公椅", CategoryCode: "A05010301", UsageStatus: models.UsageInUse})
	for _, sort := range []string{"", "asset_no", "-unit"} {
		if p := fx.list(t, fx.finance, AssetFilter{Q: "椅", Sort: sort, Limit: 7}); p.Total != int64(len(want)+1) {
			t.Fatalf("finance counts %d matches", p.Total)
		}
		var got []string
		f := AssetFilter{Q: "椅", Sort: sort, Limit: 7}
		for {
			p := fx.list(t, fx.clerkA, f)
			if p.Total != int64(len(want)) {
				t.Fatalf("the clerk counts %d matches", p.Total)
			}
			got = append(got, assetNos(p.Items)...)
			if p.Next == "" {
				break
			}
			f.After = p.Next
		}
		w := slices.Clone(want)
		if sort == "-unit" {
			slices.Reverse(w)
		}
		if !slices.Equal(got, w) {
			t.Errorf("sort %q: %v, want %v", sort, got, w)
		}
	}
}
