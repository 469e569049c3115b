package models

import "testing"

// PastLife and the cutoff a query compares with say exactly what the schedule says, on every
// acquisition day around the boundary, for every life and a few todays.
func TestPastLifeAgreesWithDepreciate(t *testing.T) {
	t.Parallel()
	for _, today := range []Date{{2026, 11, 29}, {2026, 1, 1}, {2026, 12, 31}, {2024, 2, 29}} {
		for _, life := range []int{1, 5, 6, 8, 10, 15, 20} {
			start := today.Time().AddDate(-life, -2, 0)
			for d := start; d.Before(today.Time().AddDate(-life, 2, 0)); d = d.AddDate(0, 0, 1) {
				acq := DateOf(d)
				c := Asset{OriginalValue: 100000, AcquiredOn: acq, Quantity: 1}
				want := c.Schedule(ClassLife{Depreciated: true, Years: life}, today).Fully
				if got := PastLife(acq, life, today); got != want {
					t.Errorf("today %s, life %d, acquired %s: PastLife %v, Depreciate says fully %v", today, life, acq, got, want)
				}
				if got := acq.Before(PastLifeBefore(life, today)); got != want {
					t.Errorf("today %s, life %d, acquired %s: before cutoff %s is %v, want %v", today, life, acq, PastLifeBefore(life, today), got, want)
				}
			}
		}
	}
	if PastLife(Date{2000, 1, 1}, 0, Date{2026, 11, 29}) {
		t.Error("a category without a minimum life is never past it")
	}
}

func TestCheckIdleRules(t *testing.T) {
	t.Parallel()
	today := Date{2026, 11, 29}
	base := Asset{UsageStatus: UsageInUse, Custodian: "张三", Location: "302室", AcquiredOn: Date{2024, 3, 1}}
	for _, tc := range []struct {
		name string
		edit func(*Asset)
		want string
	}{
		{"in use and looked after", func(*Asset) {}, ""},
		{"nobody", func(a *Asset) { a.Custodian = " " }, "no_custodian"},
		{"store room", func(a *Asset) { a.Location = "B座储藏室" }, "store_room"},
		{"reported unused", func(a *Asset) { a.Remarks, a.UnchangedImports = "已停用", 2 }, "reported_unused"},
		{"unused remark, one upload", func(a *Asset) { a.Remarks, a.UnchangedImports = "已停用", 1 }, ""},
		{"old", func(a *Asset) { a.AcquiredOn = Date{2019, 1, 1} }, "past_life"},
		{"idle already", func(a *Asset) { a.UsageStatus, a.Custodian, a.Location = UsageIdle, "", "库房" }, ""},
		{"everything", func(a *Asset) {
			a.Custodian, a.Location, a.Remarks, a.UnchangedImports, a.AcquiredOn = "", "仓库", "闲置", 5, Date{2012, 1, 1}
		}, "no_custodian,store_room,reported_unused,past_life"},
	} {
		a := base
		tc.edit(&a)
		if got := JoinIdleReasons(CheckIdle(&a, 6, today)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	for _, r := range IdleReasons {
		if r.Label() == string(r) {
			t.Errorf("reason %s has no label", r)
		}
	}
}
