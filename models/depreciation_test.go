package models

import "testing"

func day(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Hand-computed cases: 财会〔2017〕4号 — monthly straight-line, no residual value, the month of
// acquisition is the first month, nothing after the life is used up.
func TestDepreciateHandComputedCases(t *testing.T) {
	cases := []struct {
		name        string
		original    Money
		acquired    string
		life        int
		asOf        string
		months      int
		accumulated Money
		fully       bool
	}{
		// ¥6,000.00 over 72 months is ¥83.333… a month.
		{"month of acquisition counts", 600000, "2020-01-15", 6, "2020-01-31", 1, 8333, false},
		{"acquired on the last day, next day is month two", 600000, "2020-01-31", 6, "2020-02-01", 2, 16667, false},
		{"one year", 600000, "2020-01-15", 6, "2020-12-01", 12, 100000, false},
		{"last month but one", 600000, "2020-01-15", 6, "2025-11-30", 71, 591667, false},
		{"exactly fully depreciated", 600000, "2020-01-15", 6, "2025-12-01", 72, 600000, true},
		{"stops when fully depreciated", 600000, "2020-01-15", 6, "2031-06-01", 72, 600000, true},
		{"before acquisition", 600000, "2020-01-15", 6, "2019-12-31", 0, 0, false},
		{"December to January", 120000, "2021-12-31", 5, "2022-01-01", 2, 4000, false},
		// A card of 20 chairs worth ¥16,000.00 together, 15 years: 105 months by 2026-11-29.
		{"quantity card", 1600000, "2018-03-10", 15, "2026-11-29", 105, 933333, false},
		{"odd fen rounds half up", 1, "2020-01-01", 1, "2020-06-30", 6, 1, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := Depreciate(c.original, day(c.acquired), c.life, day(c.asOf))
			if !d.Applies || d.Months != c.months || d.Accumulated != c.accumulated || d.Fully != c.fully {
				t.Fatalf("got months %d accumulated %s fully %v, want %d %s %v", d.Months, d.Accumulated.Yuan(), d.Fully, c.months, c.accumulated.Yuan(), c.fully)
			}
			if d.Net != c.original-c.accumulated || d.RemainingMonths != c.life*12-c.months {
				t.Errorf("net %s remaining %d", d.Net.Yuan(), d.RemainingMonths)
			}
		})
	}
}

func TestDepreciateNotDepreciatedCategories(t *testing.T) {
	d := Depreciate(500000, day("2001-05-01"), 0, day("2026-11-29"))
	if d.Applies || d.Accumulated != 0 || d.Net != 500000 {
		t.Fatalf("a category without a life must not depreciate: %+v", d)
	}
}

func TestOfferedQuantity(t *testing.T) {
	a := Asset{Quantity: 20, UsageStatus: UsageIdle, Condition: ConditionRepairable}
	if a.Offered() != 20 {
		t.Errorf("whole card offered by default, got %d", a.Offered())
	}
	a.OfferedQuantity = 15
	if a.Offered() != 15 {
		t.Errorf("offered part, got %d", a.Offered())
	}
	if a.InPool(false) || !a.InPool(true) {
		t.Errorf("repairable items are in the pool only when the setting says so")
	}
}
