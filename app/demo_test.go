package app

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"assetpool/models"
)

// demoNow is "today" for the demo tests.
var demoNow = time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)

func openDemoTest(t *testing.T) *App {
	t.Helper()
	cfg := DefaultConfig()
	cfg.DB = filepath.Join(t.TempDir(), "demo.db")
	a, err := Open(context.Background(), cfg, WithClock(func() time.Time { return demoNow }))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func loadDemo(t *testing.T, a *App) *DemoResult {
	t.Helper()
	start := time.Now()
	res, err := a.LoadDemo(context.Background())
	if err != nil {
		t.Fatalf("LoadDemo: %v", err)
	}
	t.Logf("LoadDemo took %s: %d units, %d assets, %d idle", time.Since(start).Round(time.Millisecond), res.Units, res.Assets, res.IdleAssets)
	return res
}

func demoAssetsOf(t *testing.T, a *App) []models.Asset {
	t.Helper()
	var as []models.Asset
	if err := a.read.Order("id").Find(&as).Error; err != nil {
		t.Fatal(err)
	}
	return as
}

func TestDemoLoadsADistrict(t *testing.T) {
	t.Parallel()
	a := openDemoTest(t)
	ctx := context.Background()
	// The demo must load beside the admin created on first start.
	if _, err := a.EnsureAdmin(ctx); err != nil {
		t.Fatal(err)
	}
	res := loadDemo(t, a)
	today := a.Today()

	// Units: the zone on top, every other unit below it, with area and staff.
	top, err := a.UnitByCode(ctx, "GXQ")
	if err != nil || top.Name != "高新区管委会" {
		t.Fatalf("top unit: %v %v", top, err)
	}
	units, err := a.ListUnits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(units) != res.Units {
		t.Errorf("%d units in the database, result says %d", len(units), res.Units)
	}
	byName := map[string]models.Unit{}
	for _, u := range units {
		byName[u.Name] = u
		if u.ID == top.ID {
			continue
		}
		if u.ParentID == nil || *u.ParentID != top.ID {
			t.Errorf("unit %s: parent %v, want the zone %d", u.Name, u.ParentID, top.ID)
		}
		if u.Area == "" || u.Staff < 15 || u.Staff > 80 {
			t.Errorf("unit %s: area %q staff %d", u.Name, u.Area, u.Staff)
		}
	}
	for _, name := range []string{"经济发展局", "投资促进局", "财政金融局", "国土住建局", "行政审批局", "社会事务综合服务中心",
		"兴仁街道", "兴城街道", "张范街道", "党政办公室", "综合执法局", "科技创新局", "应急管理局"} {
		if _, ok := byName[name]; !ok {
			t.Errorf("unit %s missing", name)
		}
	}
	if u := byName["兴仁街道"]; u.Area != "兴仁街道" {
		t.Errorf("兴仁街道 sits in %q", u.Area)
	}
	if u := byName["经济发展局"]; u.Area != "管委会机关" || u.Code != "GXQ-JFJ" {
		t.Errorf("经济发展局: code %q area %q", u.Code, u.Area)
	}

	// Accounts: one active clerk per unit below the zone, who can sign in; one finance approver.
	clerks := map[uint]int{}
	if len(res.Accounts) != len(units) { // the zone has no clerk, finance has no unit
		t.Errorf("%d accounts for %d units", len(res.Accounts), len(units))
	}
	for _, acc := range res.Accounts {
		u, err := a.UserByUsername(ctx, acc.Username)
		if err != nil {
			t.Fatalf("account %s: %v", acc.Username, err)
		}
		if !u.Active || u.Role != acc.Role || u.DisplayName == "" {
			t.Errorf("account %s: active %v role %s name %q", acc.Username, u.Active, u.Role, u.DisplayName)
		}
		if u.Role == models.RoleClerk {
			if u.Unit == nil || u.Unit.Name != acc.Unit {
				t.Errorf("clerk %s: unit %v, result says %s", acc.Username, u.Unit, acc.Unit)
			} else {
				clerks[u.Unit.ID]++
			}
		}
	}
	for _, u := range units {
		if want := map[bool]int{true: 0, false: 1}[u.ID == top.ID]; clerks[u.ID] != want {
			t.Errorf("unit %s has %d clerks, want %d", u.Name, clerks[u.ID], want)
		}
	}
	fin, err := a.UserByUsername(ctx, "caizheng")
	if err != nil || fin.Role != models.RoleFinance || fin.UnitID != nil || !fin.Active {
		t.Fatalf("finance account: %+v %v", fin, err)
	}
	for _, name := range []string{"jingfa", "xingren", "caizheng"} {
		if _, _, err := a.Login(ctx, name, res.Password, "127.0.0.1", "test"); err != nil {
			t.Errorf("login %s: %v", name, err)
		}
	}
	if admin, err := a.UserByUsername(ctx, "admin"); err != nil || admin.Role != models.RoleAdmin {
		t.Errorf("admin after demo: %v %v", admin, err)
	}

	// Assets.
	assets := demoAssetsOf(t, a)
	if len(assets) != res.Assets || len(assets) < 2500 || len(assets) > 4000 {
		t.Fatalf("%d assets, result says %d, want 2,500–4,000", len(assets), res.Assets)
	}
	var idle int64
	a.read.Model(&models.Asset{}).Where("usage_status = ?", models.UsageIdle).Count(&idle)
	if int(idle) != res.IdleAssets {
		t.Errorf("result says %d idle, database has %d", res.IdleAssets, idle)
	}
	if share := float64(idle) / float64(len(assets)); share < 0.08 || share > 0.20 {
		t.Errorf("idle share %.1f%%, want 8–20%%", 100*share)
	}
	var unknown, notLeaf int64
	a.read.Model(&models.Asset{}).Where("category_code NOT IN (SELECT code FROM categories)").Count(&unknown)
	a.read.Model(&models.Asset{}).Where("category_code IN (SELECT parent_code FROM categories)").Count(&notLeaf)
	if unknown > 0 || notLeaf > 0 {
		t.Errorf("%d assets with unknown categories, %d filed under a class rather than an item", unknown, notLeaf)
	}

	// Per piece value bounds in yuan, by category: a guard on the item table.
	bounds := map[string][2]int64{
		demoCatDesktop: {3500, 7000}, demoCatLaptop: {4500, 8000}, demoCatColorPrinter: {1200, 5000}, demoCatShredder: {300, 1500},
		demoCatAirCon: {2000, 17000}, demoCatTV: {3000, 13000}, demoCatServer: {30000, 80000}, demoCatOfficeChair: {300, 900},
		demoCatMeetingChair: {150, 600}, demoCatBookcase: {800, 2000}, demoCatFileCabinet: {600, 2000},
	}
	// Own idle items the demo put back in use for their own unit's request: changed once, by
	// the reuse.
	var reused []uint
	a.read.Model(&models.Proposal{}).Where("source_unit_id = request_unit_id AND status = ?", models.ProposalReceived).Pluck("asset_id", &reused)
	seen := map[uint]map[string]bool{}
	units2 := map[uint]bool{}
	statuses := map[models.UsageStatus]int{}
	methods := map[string]int{}
	var batched, withBook, transferred int
	for _, as := range assets {
		units2[as.UnitID] = true
		statuses[as.UsageStatus]++
		methods[as.AcquisitionMethod]++
		if err := as.Validate(today); err != nil {
			t.Errorf("asset %s: %v", as.AssetNo, err)
		}
		if seen[as.UnitID] == nil {
			seen[as.UnitID] = map[string]bool{}
		}
		if seen[as.UnitID][as.AssetNo] {
			t.Errorf("asset number %s twice in unit %d", as.AssetNo, as.UnitID)
		}
		seen[as.UnitID][as.AssetNo] = true
		if strings.Contains(as.Remarks, "（调拨单 ") {
			// Received from another unit in the demo's workflow: booked today at the
			// source's net value, placed by its new clerk later.
			transferred++
			if as.AcquiredOn != today || as.UsageStatus != models.UsageInUse || as.AcquisitionMethod != "调拨" {
				t.Errorf("transferred asset %s: %+v", as.AssetNo, as)
			}
			continue
		}
		if today.Before(as.AcquiredOn) || as.AcquiredOn.Year < 2012 {
			t.Errorf("asset %s acquired on %s", as.AssetNo, as.AcquiredOn)
		}
		if idle := as.UsageStatus == models.UsageIdle; idle == as.IdleSince.IsZero() {
			t.Errorf("asset %s: status %s, idle since %q", as.AssetNo, as.UsageStatus, as.IdleSince)
		}
		if !as.IdleSince.IsZero() && (today.Before(as.IdleSince) || as.IdleSince.Before(as.AcquiredOn)) {
			t.Errorf("asset %s acquired %s, idle since %s", as.AssetNo, as.AcquiredOn, as.IdleSince)
		}
		b, ok := bounds[as.CategoryCode]
		if per := int64(as.OriginalValue) / 100 / int64(as.Quantity); !ok || per < b[0] || per > b[1] {
			t.Errorf("asset %s (%s %s): ¥%d a piece", as.AssetNo, as.CategoryCode, as.Name, per)
		}
		if as.Quantity > 1 {
			batched++
		}
		if (as.BookDepreciation == nil) != (as.BookNetValue == nil) {
			t.Errorf("asset %s: only one of the book figures", as.AssetNo)
		}
		if as.BookNetValue != nil {
			withBook++
			if *as.BookDepreciation+*as.BookNetValue != as.OriginalValue || *as.BookNetValue < 0 {
				t.Errorf("asset %s: value %d, depreciation %d, net %d", as.AssetNo, as.OriginalValue, *as.BookDepreciation, *as.BookNetValue)
			}
		}
		version := 1
		if slices.Contains(reused, as.ID) {
			version = 2
		}
		if as.Name == "" || as.Brand == "" || as.Model == "" || as.Department == "" || as.Location == "" || as.MeasureUnit == "" || as.Version != version {
			t.Errorf("asset %s lacks a field: %+v", as.AssetNo, as)
		}
	}
	if transferred == 0 {
		t.Error("no asset was received by transfer in the demo")
	}
	// The demo's proposals stand at every stage of the procedure.
	var stages []models.ProposalStatus
	a.read.Model(&models.Proposal{}).Distinct().Order("status").Pluck("status", &stages)
	for _, want := range models.ProposalStatuses {
		if !slices.Contains(stages, want) {
			t.Errorf("no demo proposal is %s (stages %v)", want, stages)
		}
	}
	var savings int64
	a.read.Model(&models.Saving{}).Count(&savings)
	if savings == 0 {
		t.Error("the demo records no saving")
	}
	// Own-unit proposals follow their own flow: some put back in use (a whole card and part of
	// a quantity card), with their saving and no transfer; others wait for their clerk; none
	// is stuck at a stage a unit cannot leave, and no transfer goes from a unit to itself.
	var ownStages []models.ProposalStatus
	a.read.Model(&models.Proposal{}).Where("source_unit_id = request_unit_id").Distinct().Order("status").Pluck("status", &ownStages)
	if !slices.Equal(ownStages, []models.ProposalStatus{models.ProposalProposed, models.ProposalReceived}) {
		t.Errorf("the demo's own-unit proposals stand %v; want proposed and received", ownStages)
	}
	var selfTransfers, ownSavings, partReused int64
	a.read.Model(&models.Transfer{}).Where("source_unit_id = receiving_unit_id").Count(&selfTransfers)
	a.read.Model(&models.Saving{}).Where("transfer_id IS NULL").Count(&ownSavings)
	a.read.Model(&models.Asset{}).Where("id IN ? AND usage_status = ? AND offered_quantity > 0", reused, models.UsageIdle).Count(&partReused)
	if selfTransfers != 0 || len(reused) != 2 || ownSavings != 2 || partReused != 1 {
		t.Errorf("%d transfers from a unit to itself, %d own items reused (%d in part), %d savings without transfer", selfTransfers, len(reused), partReused, ownSavings)
	}
	if len(units2) != len(units)-1 {
		t.Errorf("assets in %d units, want every unit but the zone (%d)", len(units2), len(units)-1)
	}
	if statuses[models.UsageInUse] < len(assets)*7/10 || statuses[models.UsagePendingDisposal] == 0 || statuses[models.UsageUnderRepair] == 0 ||
		statuses[models.UsageLent] == 0 || statuses[models.UsageLeased] == 0 {
		t.Errorf("usage statuses %v", statuses)
	}
	if methods["新购"] < len(assets)*8/10 || methods["调拨"] == 0 || methods["接受捐赠"] == 0 {
		t.Errorf("acquisition methods %v", methods)
	}
	if batched == 0 || withBook == 0 || withBook > len(assets)/2 {
		t.Errorf("%d cards with several pieces, %d with book figures", batched, withBook)
	}
	t.Logf("statuses %v, methods %v, %d batched, %d with book figures", statuses, methods, batched, withBook)

	evs, err := a.ListAudit(ctx, AuditFilter{Entity: "demo"})
	if err != nil || len(evs) != 1 || evs[0].Action != "demo.load" {
		t.Errorf("audit: %v %v", evs, err)
	}
}

func TestDemoRefusesToLoadTwice(t *testing.T) {
	t.Parallel()
	a := openDemoTest(t)
	ctx := context.Background()
	loadDemo(t, a)
	count := func() [4]int64 {
		var n [4]int64
		for i, m := range []any{&models.Unit{}, &models.User{}, &models.Asset{}, &models.AuditEvent{}} {
			a.read.Model(m).Count(&n[i])
		}
		return n
	}
	before := count()
	res, err := a.LoadDemo(ctx)
	if models.ErrorCode(err) != models.EConflict || res != nil {
		t.Fatalf("second load: %v %v, want a conflict", res, err)
	}
	t.Logf("second load: %s", models.ErrorMessage(err))
	if after := count(); after != before {
		t.Errorf("rows (units, users, assets, audit) %v before the second load, %v after", before, after)
	}
}

// A user who already holds a demo username blocks the load, which then changes nothing.
func TestDemoRefusesTakenUsername(t *testing.T) {
	t.Parallel()
	a := openDemoTest(t)
	ctx := context.Background()
	if err := a.CreateUser(ctx, nil, &models.User{Username: "caizheng", Role: models.RoleFinance, Active: true}, "password123"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.LoadDemo(ctx); models.ErrorCode(err) != models.EConflict {
		t.Fatalf("load over a taken username: %v", err)
	}
	var n int64
	a.read.Model(&models.Unit{}).Count(&n)
	if n != 0 {
		t.Errorf("%d units after a refused load", n)
	}
}

func TestDemoIsDeterministic(t *testing.T) {
	t.Parallel()
	a, b := openDemoTest(t), openDemoTest(t)
	ra, rb := loadDemo(t, a), loadDemo(t, b)
	if ra.Password == rb.Password {
		t.Error("two loads share a password")
	}
	ra.Password, rb.Password = "", ""
	if !reflect.DeepEqual(ra, rb) {
		t.Errorf("results differ:\n%+v\n%+v", ra, rb)
	}
	x, y := demoAssetsOf(t, a), demoAssetsOf(t, b)
	if len(x) != len(y) {
		t.Fatalf("%d assets, then %d", len(x), len(y))
	}
	for i := range x {
		if !reflect.DeepEqual(x[i], y[i]) {
			t.Fatalf("asset %d differs:\n%+v\n%+v", i, x[i], y[i])
		}
	}
}

// The demo shows the register and pool features: idle items in several units, batches of which
// only part is offered, repairable idle items kept out of the pool, a card for every rule of
// the worth-checking list, and a card whose book figures disagree.
func TestDemoShowsRegisterPoolAndChecks(t *testing.T) {
	t.Parallel()
	a := openDemoTest(t)
	ctx := context.Background()
	loadDemo(t, a)
	fin, err := a.UserByUsername(ctx, demoFinanceUser)
	if err != nil {
		t.Fatal(err)
	}
	assets := demoAssetsOf(t, a)
	// Some pool items carry a photo, as the pool page shows them.
	page, err := a.ListPool(ctx, fin, AssetFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	photos := 0
	for _, it := range page.Items {
		if len(it.Photos) > 0 {
			photos++
			if _, data, err := a.Photo(ctx, fin, it.ID, it.Photos[0].ID); err != nil || len(data) < 100 {
				t.Errorf("demo photo of %s: %v", it.AssetNo, err)
			}
		}
	}
	if photos != demoPhotoCount {
		t.Errorf("%d pool items with photos, want %d", photos, demoPhotoCount)
	}
	// Every card's history starts with its creation.
	for _, as := range []models.Asset{assets[0], assets[len(assets)-1]} {
		hist, err := a.AssetHistory(ctx, fin, as.ID)
		if err != nil || len(hist) != 1 || hist[0].Action != "asset.create" || hist[0].UnitID == nil || *hist[0].UnitID != as.UnitID {
			t.Errorf("history of demo card %s: %v %+v", as.AssetNo, err, hist)
		}
	}
	idleUnits := map[uint]bool{}
	var partial, repairable, reported []models.Asset
	for _, as := range assets {
		if as.UsageStatus == models.UsageIdle && !as.IdleSince.IsZero() {
			idleUnits[as.UnitID] = true
		}
		if as.InPool(false) && as.OfferedQuantity > 0 && as.OfferedQuantity < as.Quantity {
			partial = append(partial, as)
		}
		if as.UsageStatus == models.UsageIdle && as.Condition == models.ConditionRepairable {
			repairable = append(repairable, as)
		}
		if as.UsageStatus == models.UsageInUse && as.UnchangedImports >= 2 {
			reported = append(reported, as)
		}
	}
	if len(idleUnits) < 5 {
		t.Errorf("idle items in %d units, want several", len(idleUnits))
	}
	big := false
	for _, as := range partial {
		big = big || as.Quantity >= 10
	}
	if len(partial) < 3 || !big {
		t.Errorf("%d idle batches offered in part (one of 10 pieces or more: %v)", len(partial), big)
	}
	if len(repairable) == 0 || len(reported) == 0 {
		t.Fatalf("%d repairable idle items, %d cards reported unused", len(repairable), len(reported))
	}

	// The pool offers the offered part of a batch, and no repairable item by default.
	page, err = a.ListPool(ctx, fin, AssetFilter{IDs: []uint{partial[0].ID, repairable[0].ID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.Items[0].ID != partial[0].ID || page.Items[0].Quantity != partial[0].OfferedQuantity {
		t.Errorf("pool of a partial batch (%d of %d) and a repairable item: %+v", partial[0].OfferedQuantity, partial[0].Quantity, page.Items)
	}

	// Every rule of the worth-checking list finds cards, unit by unit.
	reasons := map[models.IdleReason]int{}
	units, err := a.ListUnits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		list, total, err := a.IdleCandidates(ctx, fin, u.Code, idleCheckLimit)
		if err != nil {
			t.Fatal(err)
		}
		if total > len(list) {
			t.Errorf("unit %s: %d cards worth checking, more than a page", u.Code, total)
		}
		for _, c := range list {
			for _, r := range c.Reasons {
				reasons[r.Code]++
			}
		}
	}
	for _, r := range models.IdleReasons {
		if reasons[r] == 0 {
			t.Errorf("no demo card is worth checking for %s (%s)", r, r.Label())
		}
	}
	t.Logf("worth checking: %v", reasons)

	// Book figures: a register drawn up at the end of last month agrees with assetpool, except
	// where a bookkeeper erred; those cards show the flag.
	cats, err := a.categoryTable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lagged, err := a.UnitByCode(ctx, "GXQ-XCJD")
	if err != nil {
		t.Fatal(err)
	}
	var flagged []models.Asset
	for _, as := range assets {
		if as.BookDepreciation == nil || as.UnitID == lagged.ID {
			continue
		}
		if b := as.Books(cats[as.CategoryCode].life(), a.Today()); b.Disagrees {
			flagged = append(flagged, as)
			if b.Difference > -12*b.Monthly {
				t.Errorf("asset %s: book depreciation off by %s only", as.AssetNo, b.Difference)
			}
		}
	}
	if len(flagged) == 0 || len(flagged) > 4 {
		t.Fatalf("%d cards with disagreeing book figures, want one or two per unit that erred", len(flagged))
	}
	card, err := a.Asset(ctx, fin, flagged[0].ID, models.Date{})
	if err != nil || !card.Book.Disagrees {
		t.Errorf("card %s does not flag its book figures: %+v %v", flagged[0].AssetNo, card.Book, err)
	}
}

// TestDemoOwnMeetingChairsComeFirst is what a reviewer saw on the demo: 兴仁街道 asks for 2
// 会议椅 and must be offered its own idle 会议椅, flagged as such, not another unit's nor its
// own 职员椅; and a full run afterwards keeps that proposal.
func TestDemoOwnMeetingChairsComeFirst(t *testing.T) {
	t.Parallel()
	a := openDemoTest(t)
	ctx := context.Background()
	loadDemo(t, a)
	a.WaitBackground()
	clerk, err := a.UserByUsername(ctx, "xingren")
	if err != nil {
		t.Fatal(err)
	}
	var own []models.Asset
	if err := a.read.Where("unit_id = ? AND category_code = ? AND usage_status = ?", *clerk.UnitID, "A05010303", models.UsageIdle).
		Find(&own).Error; err != nil || len(own) == 0 {
		t.Fatalf("the demo gives 兴仁街道 no idle 会议椅 of its own (%v)", err)
	}
	r, err := a.CreateRequest(ctx, clerk, RequestInput{CategoryCode: "A05010303", Name: "会议椅", Quantity: 2, MinCondition: models.ConditionUsable})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SubmitRequest(ctx, clerk, r.ID); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		ps, err := a.RequestProposals(ctx, clerk, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for _, p := range ps {
			if p.Status != models.ProposalProposed {
				continue
			}
			if p.SourceUnitID != *clerk.UnitID || p.CategoryCode != "A05010303" || !p.SelfMatch {
				t.Errorf("%s: proposed %s %s of unit %s (self %v), not the unit's own 会议椅", when, p.AssetNo, p.AssetName, p.SourceUnitName, p.SelfMatch)
			}
			got += p.Quantity
		}
		if got != 2 {
			t.Errorf("%s: %d pieces proposed, want 2: %+v", when, got, ps)
		}
	}
	check("at submit")
	fin, err := a.UserByUsername(ctx, demoFinanceUser)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.RunMatching(ctx, fin, models.TriggerManual); err != nil {
		t.Fatal(err)
	}
	check("after a full run")
}
