package app

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"assetpool/models"
)

// checkFixture is the import fixture with a second unit and its clerk, and a finance user.
type checkFixture struct {
	*importFixture
	unitB   *models.Unit
	clerkB  *models.User
	finance *models.User
}

func newCheckFixture(t *testing.T) *checkFixture {
	t.Helper()
	fx := &checkFixture{importFixture: newImportFixture(t)}
	ctx := context.Background()
	fx.unitB = &models.Unit{Code: "XR", Name: "兴仁街道"}
	if err := fx.a.CreateUnit(ctx, nil, fx.unitB); err != nil {
		t.Fatal(err)
	}
	fx.clerkB = &models.User{Username: "xingren", DisplayName: "李会计", Role: models.RoleClerk, UnitID: &fx.unitB.ID, Active: true}
	fx.finance = &models.User{Username: "caizheng", DisplayName: "周敏", Role: models.RoleFinance, Active: true}
	for _, u := range []*models.User{fx.clerkB, fx.finance} {
		if err := fx.a.CreateUser(ctx, nil, u, "password-123"); err != nil {
			t.Fatal(err)
		}
	}
	return fx
}

// card creates an in-use desktop computer in unit with the given custodian, location and
// acquisition day, changed by edit first.
func (fx *checkFixture) card(t *testing.T, unitID uint, no, custodian, location, acquired string, edit func(*models.Asset)) models.Asset {
	t.Helper()
	d, err := models.ParseDate(acquired)
	if err != nil {
		t.Fatal(err)
	}
	as := models.Asset{AssetNo: no, Name: "台式计算机", CategoryCode: "A02010105", OriginalValue: 500000, AcquiredOn: d,
		UsageStatus: models.UsageInUse, Department: "综合科", Custodian: custodian, Location: location}
	if edit != nil {
		edit(&as)
	}
	c, err := fx.a.CreateAsset(context.Background(), nil, unitID, as)
	if err != nil {
		t.Fatalf("create %s: %v", no, err)
	}
	return c.Asset
}

// reasonsByNo lists candidates as asset number → reason codes, in the list's order.
func reasonsByNo(list []IdleCandidate) (map[string]string, []string) {
	m := map[string]string{}
	var order []string
	for _, c := range list {
		codes := make([]models.IdleReason, len(c.Reasons))
		for i, r := range c.Reasons {
			codes[i] = r.Code
			if r.Label != r.Code.Label() || r.Label == string(r.Code) {
				m["bad label "+c.AssetNo] = r.Label
			}
		}
		m[c.AssetNo] = models.JoinIdleReasons(codes)
		order = append(order, c.AssetNo)
	}
	return m, order
}

func TestIdleCandidatesFollowEachRule(t *testing.T) {
	t.Parallel()
	fx := newCheckFixture(t)
	ctx := context.Background()
	a, unit := fx.a, fx.unit.ID
	// Today is 2026-11-29: a desktop (6 years) bought in December 2020 has had its 72nd month.
	fx.card(t, unit, "C-OK", "张三", "302室", "2023-03-01", nil)
	fx.card(t, unit, "C-NOBODY", "", "302室", "2023-03-01", nil)
	fx.card(t, unit, "C-BLANKS", " \u3000", "302室", "2023-03-01", nil)
	fx.card(t, unit, "C-STORE", "李四", "1楼库房", "2023-03-01", nil)
	fx.card(t, unit, "C-WAREHOUSE", "李四", "地下仓库", "2023-03-01", nil)
	unused := fx.card(t, unit, "C-UNUSED", "王五", "305室", "2023-03-01", func(as *models.Asset) { as.Remarks = "长期未使用" })
	once := fx.card(t, unit, "C-UNUSED-ONCE", "王五", "305室", "2023-03-01", func(as *models.Asset) { as.Remarks = "长期未使用" })
	quiet := fx.card(t, unit, "C-QUIET", "王五", "305室", "2023-03-01", func(as *models.Asset) { as.Remarks = "含显示器" })
	fx.card(t, unit, "C-OLD", "赵六", "301室", "2020-12-31", nil)
	fx.card(t, unit, "C-NOT-OLD", "赵六", "301室", "2021-01-01", nil)
	fx.card(t, unit, "C-OLD-CHAIR", "赵六", "301室", "2012-01-05", func(as *models.Asset) { as.Name, as.CategoryCode = "办公椅", "A05010301" })
	fx.card(t, unit, "C-MANY", "", "仓库", "2015-06-01", nil)
	fx.card(t, unit, "C-IDLE", "", "库房", "2015-06-01", func(as *models.Asset) { as.UsageStatus = models.UsageIdle })
	fx.card(t, unit, "C-LENT", "", "库房", "2015-06-01", func(as *models.Asset) { as.UsageStatus = models.UsageLent })
	other := fx.card(t, fx.unitB.ID, "B-NOBODY", "", "办公室", "2024-01-01", nil)
	for id, n := range map[uint]int{unused.ID: 2, once.ID: 1, quiet.ID: 3} {
		if err := a.db.Model(&models.Asset{}).Where("id = ?", id).Update("unchanged_imports", n).Error; err != nil {
			t.Fatal(err)
		}
	}

	list, total, err := a.IdleCandidates(ctx, fx.clerk, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	got, order := reasonsByNo(list)
	want := map[string]string{
		"C-NOBODY":    "no_custodian",
		"C-BLANKS":    "no_custodian",
		"C-STORE":     "store_room",
		"C-WAREHOUSE": "store_room",
		"C-UNUSED":    "reported_unused",
		"C-OLD":       "past_life",
		"C-MANY":      "no_custodian,store_room,past_life",
	}
	if len(got) != len(want) || total != len(want) {
		t.Errorf("list %v (total %d), want %v", got, total, want)
	}
	for no, w := range want {
		if got[no] != w {
			t.Errorf("%s: reasons %q, want %q", no, got[no], w)
		}
	}
	if order[0] != "C-MANY" || !slices.IsSorted(order[1:]) {
		t.Errorf("order %v: most reasons first, then by asset number", order)
	}
	c := list[0]
	if c.Name != "台式计算机" || c.CategoryName != "台式计算机" || c.Department != "综合科" || c.Location != "仓库" ||
		c.AcquiredOn.String() != "2015-06-01" || c.Version != 1 || c.UnitCode != "JF" || c.AssetID == 0 {
		t.Errorf("candidate fields: %+v", c)
	}
	if !strings.Contains(c.Reasons[0].Label, "使用人") {
		t.Errorf("labels: %+v", c.Reasons)
	}

	// The same rules in Go, on every card: the SQL and models.CheckIdle agree.
	cats, _ := a.categoryTable(ctx)
	var all []models.Asset
	a.read.Where("unit_id = ?", unit).Find(&all)
	for _, as := range all {
		if g := models.JoinIdleReasons(models.CheckIdle(&as, cats[as.CategoryCode].LifeYears, a.Today())); g != got[as.AssetNo] {
			t.Errorf("%s: CheckIdle says %q, the list %q", as.AssetNo, g, got[as.AssetNo])
		}
	}

	// The limit cuts the list, not the total.
	if l, n, err := a.IdleCandidates(ctx, fx.clerk, "JF", 2); err != nil || len(l) != 2 || n != len(want) {
		t.Errorf("limit 2: %d items, total %d, %v", len(l), n, err)
	}

	// Unit scoping: a clerk sees only their own unit; finance any unit, or all of them.
	if _, _, err := a.IdleCandidates(ctx, fx.clerk, "XR", 0); models.ErrorCode(err) != models.EForbidden {
		t.Errorf("clerk of JF asking for XR: %v", err)
	}
	if l, _, err := a.IdleCandidates(ctx, fx.clerkB, "", 0); err != nil || len(l) != 1 || l[0].AssetID != other.ID || l[0].UnitCode != "XR" {
		t.Errorf("clerk of XR: %+v %v", l, err)
	}
	if _, n, err := a.IdleCandidates(ctx, fx.finance, "JF", 0); err != nil || n != len(want) {
		t.Errorf("finance for JF: %d %v", n, err)
	}
	if _, n, err := a.IdleCandidates(ctx, fx.finance, "", 0); err != nil || n != len(want)+1 {
		t.Errorf("finance for the district: %d %v", n, err)
	}
}

func TestIdleCheckDecisionsAreRemembered(t *testing.T) {
	t.Parallel()
	fx := newCheckFixture(t)
	ctx := context.Background()
	a, unit := fx.a, fx.unit.ID
	shared := fx.card(t, unit, "D-SHARED", "", "302室", "2023-03-01", nil)
	stored := fx.card(t, unit, "D-STORED", "李四", "1楼库房", "2023-03-01", nil)
	fx.card(t, unit, "D-OLD", "赵六", "301室", "2018-05-01", nil)
	other := fx.card(t, fx.unitB.ID, "B-NOBODY", "", "办公室", "2024-01-01", nil)
	numbers := func(a *App) []string {
		t.Helper()
		l, _, err := a.IdleCandidates(ctx, fx.clerk, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		_, order := reasonsByNo(l)
		return order
	}
	if got := numbers(a); !slices.Equal(got, []string{"D-OLD", "D-SHARED", "D-STORED"}) {
		t.Fatalf("list %v", got)
	}

	// Only the owning unit's clerk decides; another unit's card does not exist for a clerk.
	if err := a.DecideIdleCheck(ctx, fx.clerkB, shared.ID, "dismiss"); models.ErrorCode(err) != models.ENotFound {
		t.Errorf("clerk of XR deciding for JF: %v", err)
	}
	if err := a.DecideIdleCheck(ctx, fx.finance, shared.ID, "dismiss"); models.ErrorCode(err) != models.EForbidden {
		t.Errorf("finance deciding: %v", err)
	}
	if err := a.DecideIdleCheck(ctx, fx.clerk, other.ID, "confirm"); models.ErrorCode(err) != models.ENotFound {
		t.Errorf("clerk of JF deciding for XR: %v", err)
	}
	if err := a.DecideIdleCheck(ctx, fx.clerk, shared.ID, "maybe"); models.ErrorCode(err) != models.EInvalid {
		t.Errorf("decision maybe: %v", err)
	}

	// Dismissed: still in use, out of the list, and the record says why it was proposed.
	if err := a.DecideIdleCheck(ctx, fx.clerk, shared.ID, "dismiss"); err != nil {
		t.Fatal(err)
	}
	var ic models.IdleCheck
	if err := a.read.Where("asset_id = ?", shared.ID).First(&ic).Error; err != nil {
		t.Fatal(err)
	}
	if ic.Decision != models.IdleDismissed || ic.Reasons != "no_custodian" || ic.UnitID != unit || ic.DecidedByID == nil ||
		*ic.DecidedByID != fx.clerk.ID || !ic.DecidedAt.Equal(testNow) {
		t.Errorf("idle check: %+v", ic)
	}
	if as, _ := loadAsset(a.read, shared.ID); as.UsageStatus != models.UsageInUse || as.Version != 1 {
		t.Errorf("dismissed card: %s version %d", as.UsageStatus, as.Version)
	}
	if got := numbers(a); !slices.Equal(got, []string{"D-OLD", "D-STORED"}) {
		t.Errorf("after dismissing: %v", got)
	}

	// Confirmed: marked idle today, out of the list.
	if err := a.DecideIdleCheck(ctx, fx.clerk, stored.ID, "confirm"); err != nil {
		t.Fatal(err)
	}
	as, _ := loadAsset(a.read, stored.ID)
	if as.UsageStatus != models.UsageIdle || as.IdleSince != a.Today() || as.Version != 2 {
		t.Errorf("confirmed card: %s idle since %s version %d", as.UsageStatus, as.IdleSince, as.Version)
	}
	if got := numbers(a); !slices.Equal(got, []string{"D-OLD"}) {
		t.Errorf("after confirming: %v", got)
	}
	evs, err := a.ListAudit(ctx, AuditFilter{Entity: "asset"})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]string{}
	for _, ev := range evs {
		if ev.Action == "asset.check_confirm" || ev.Action == "asset.check_dismiss" {
			actions[ev.Action] = ev.EntityID + " " + ev.Before + " " + ev.After
		}
	}
	if s := actions["asset.check_confirm"]; !strings.Contains(s, `"usage_status":"idle"`) || !strings.Contains(s, "store_room") {
		t.Errorf("confirm audit: %q", s)
	}
	if s := actions["asset.check_dismiss"]; !strings.Contains(s, `"dismissed"`) || !strings.Contains(s, "no_custodian") {
		t.Errorf("dismiss audit: %q", s)
	}

	// Back in use by hand: the decision is remembered, the list does not propose it again.
	if _, err := a.MarkAssets(ctx, fx.clerk, []uint{stored.ID}, models.UsageInUse); err != nil {
		t.Fatal(err)
	}
	// Deciding again replaces the record.
	if err := a.DecideIdleCheck(ctx, fx.clerk, shared.ID, "confirm"); err != nil {
		t.Fatal(err)
	}
	var n int64
	a.read.Model(&models.IdleCheck{}).Where("asset_id = ?", shared.ID).Count(&n)
	if err := a.read.Where("asset_id = ?", shared.ID).First(&ic).Error; err != nil || n != 1 || ic.Decision != models.IdleConfirmed {
		t.Errorf("decided again: %d records, %+v %v", n, ic, err)
	}

	// After a restart the decisions still hold.
	b, err := Open(ctx, a.cfg, WithClock(fx.clk.now))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got := numbers(b); !slices.Equal(got, []string{"D-OLD"}) {
		t.Errorf("after reopening: %v", got)
	}
}

// Each committed upload that lists a card unchanged counts once; a preview never counts, and
// a change starts the count again. The count is bookkeeping: version and updated_at stay.
func TestImportCountsUnchangedUploads(t *testing.T) {
	t.Parallel()
	fx := newCheckFixture(t)
	header := []any{"资产编号", "资产名称", "资产分类", "数量", "原值（元）", "取得日期", "使用状况", "存放地点", "使用人", "备注"}
	file := func(secondName string) []byte {
		return xlsxFile(t, sheetSpec{name: "资产清单", rows: [][]any{header,
			{"U-001", "台式计算机", "A02010105", 1, "4999", "2023-05-01", "在用", "302室", "张三", "长期未使用"},
			{"U-002", secondName, "A02010105", 1, "4999", "2023-05-01", "在用", "303室", "李四", ""},
		}})
	}
	same := file("台式计算机")
	counts := func() map[string]models.Asset { return fx.assets(t) }
	for range 3 {
		v := fx.upload(t, "清查表.xlsx", same)
		fx.commit(t, v.ID, ImportOptions{})
	}
	first := counts()
	for no, as := range first {
		if as.UnchangedImports != 2 || as.Version != 1 {
			t.Errorf("%s after three uploads: unchanged %d version %d, want 2 and 1", no, as.UnchangedImports, as.Version)
		}
	}
	l, _, err := fx.a.IdleCandidates(context.Background(), fx.clerk, "", 0)
	if err != nil || len(l) != 1 || l[0].AssetNo != "U-001" || l[0].Reasons[0].Code != models.ReasonReportedUnused {
		t.Errorf("worth checking after three uploads: %+v %v", l, err)
	}

	// A preview changes nothing.
	fx.upload(t, "清查表.xlsx", same)
	for no, as := range counts() {
		if as.UnchangedImports != 2 {
			t.Errorf("%s after a preview: unchanged %d", no, as.UnchangedImports)
		}
	}

	// U-002 changes: its count starts again, U-001 counts on; updated_at moves only for U-002.
	fx.clk.advance(time.Hour)
	v := fx.upload(t, "清查表-2.xlsx", file("笔记本电脑"))
	fx.commit(t, v.ID, ImportOptions{})
	after := counts()
	if as := after["U-001"]; as.UnchangedImports != 3 || as.Version != 1 || !as.UpdatedAt.Equal(first["U-001"].UpdatedAt) {
		t.Errorf("U-001: unchanged %d version %d updated %s (was %s)", as.UnchangedImports, as.Version, as.UpdatedAt, first["U-001"].UpdatedAt)
	}
	if as := after["U-002"]; as.UnchangedImports != 0 || as.Version != 2 || as.Name != "笔记本电脑" {
		t.Errorf("U-002: unchanged %d version %d name %s", as.UnchangedImports, as.Version, as.Name)
	}
}
