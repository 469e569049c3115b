package models

import "testing"

func day(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// six is the class life of computers and office equipment: depreciated, 6 years.
var six = ClassLife{Depreciated: true, Years: 6}

func card(original Money, acquired string, lifeMonths int) Asset {
	return Asset{OriginalValue: original, AcquiredOn: day(acquired), LifeMonths: lifeMonths, Quantity: 1}
}

func money(m Money) *Money { return &m }

// Hand-computed cases: 财会〔2017〕4号 — monthly straight-line, no residual value, the month of
// acquisition is the first month, nothing after the life is used up; the charge is fixed per
// card (what remains ÷ months, rounded to the fen) and the last month takes the remainder.
// Each figure below was worked out by hand from those rules, not by running the code.
func TestScheduleHandComputedCases(t *testing.T) {
	cases := []struct {
		name        string
		original    Money
		acquired    string
		years       int
		asOf        string
		months      int
		monthly     Money
		accumulated Money
		fully       bool
	}{
		// ¥6,000.00 over 72 months: ¥83.333… rounds to ¥83.33 a month.
		{"month of acquisition counts", 600000, "2020-01-15", 6, "2020-01-31", 1, 8333, 8333, false},
		{"acquired on the last day, next day is month two", 600000, "2020-01-31", 6, "2020-02-01", 2, 8333, 16666, false},
		{"one year: twelve fixed charges", 600000, "2020-01-15", 6, "2020-12-01", 12, 8333, 99996, false},
		{"last month but one", 600000, "2020-01-15", 6, "2025-11-30", 71, 8333, 591643, false},
		// The 72nd month charges 600000 − 591643 = 8357.
		{"the last month takes the remainder", 600000, "2020-01-15", 6, "2025-12-01", 72, 8333, 600000, true},
		{"stops when fully depreciated", 600000, "2020-01-15", 6, "2031-06-01", 72, 8333, 600000, true},
		{"before acquisition", 600000, "2020-01-15", 6, "2019-12-31", 0, 8333, 0, false},
		// ¥1,200.00 over 60 months is exactly ¥20.00.
		{"December to January", 120000, "2021-12-31", 5, "2022-01-01", 2, 2000, 4000, false},
		// 20 chairs, ¥16,000.00 over 180 months: ¥88.888… → ¥88.89; 105 months × 8889 = 933345.
		{"quantity card", 1600000, "2018-03-10", 15, "2026-11-29", 105, 8889, 933345, false},
		// 150 fen over 12 months is 12.5 → 13 fen; 11 months charge 143.
		{"half a fen rounds up", 150, "2020-01-01", 1, "2020-11-30", 11, 13, 143, false},
		{"and the twelfth takes 7", 150, "2020-01-01", 1, "2020-12-31", 12, 13, 150, true},
		// 50 fen over 72 months is 0.69 → 1 fen a month: the value runs out in month 50.
		{"a charge that would overrun stops at the original", 50, "2020-01-01", 6, "2024-06-30", 54, 1, 50, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := card(c.original, c.acquired, 0)
			d := a.Schedule(ClassLife{Depreciated: true, Years: c.years}, day(c.asOf))
			if !d.Applies || d.Months != c.months || d.Monthly != c.monthly || d.Accumulated != c.accumulated || d.Fully != c.fully {
				t.Fatalf("got months %d monthly %s accumulated %s fully %v, want %d %s %s %v",
					d.Months, d.Monthly.Yuan(), d.Accumulated.Yuan(), d.Fully, c.months, c.monthly.Yuan(), c.accumulated.Yuan(), c.fully)
			}
			if d.Net != c.original-c.accumulated {
				t.Errorf("net %s", d.Net.Yuan())
			}
			if want := c.years*12 - c.months; !c.fully && d.RemainingMonths != want {
				t.Errorf("remaining %d, want %d", d.RemainingMonths, want)
			}
		})
	}
}

func TestScheduleClassesThatAreNotDepreciatedOrHaveNoLife(t *testing.T) {
	a := card(500000, "2001-05-01", 0)
	if d := a.Schedule(ClassLife{}, day("2026-11-29")); d.Applies || d.Accumulated != 0 || d.Net != 500000 {
		t.Fatalf("a class that is not depreciated must not depreciate: %+v", d)
	}
	d := a.Schedule(ClassLife{Depreciated: true}, day("2026-11-29"))
	if !d.Applies || !d.Undetermined || d.Accumulated != 0 || d.Net != 500000 {
		t.Fatalf("a depreciated class without a life is 年限未定, not 不折旧: %+v", d)
	}
	// The card's own life settles it.
	a.LifeMonths = 120
	if d := a.Schedule(ClassLife{Depreciated: true}, day("2026-11-29")); d.Undetermined || !d.Fully {
		t.Fatalf("with its own life of ten years a 2001 card is fully depreciated: %+v", d)
	}
}

// A unit may use a life longer than the minimum: ¥6,000.00 over 8 years is ¥62.50 a month.
func TestScheduleOwnLongerLife(t *testing.T) {
	a := card(600000, "2023-03-10", 96)
	d := a.Schedule(six, day("2026-11-30"))
	// March 2023 to November 2026 is 45 months: 45 × 6250 = 281250.
	if d.LifeMonths != 96 || d.Monthly != 6250 || d.Months != 45 || d.Accumulated != 281250 || d.RemainingMonths != 51 {
		t.Fatalf("%+v", d)
	}
}

// The case: the unit's ledger says 累计折旧 ¥500.00 on 2026-11-30 where the schedule says
// far more. The books are the ledger's figures rolled forward; the schedule is the check.
func TestBooksRollTheStatedFiguresForward(t *testing.T) {
	a := card(600000, "2023-03-10", 0)
	a.BookDepreciation, a.BookNetValue, a.BookDate = money(50000), money(550000), day("2026-11-30")
	// On the day they were stated they are the books.
	b := a.Books(six, day("2026-11-30"))
	// The schedule: 45 months × 8333 = 374985.
	if !b.Stated || b.Accumulated != 50000 || b.Net != 550000 || b.Schedule.Accumulated != 374985 {
		t.Fatalf("on the stated day: %+v", b)
	}
	if b.Difference != 50000-374985 || !b.Disagrees {
		t.Errorf("difference %s disagrees %v", b.Difference.Yuan(), b.Disagrees)
	}
	// Three months on (December, January, February): 50000 + 3 × 8333 = 74999.
	b = a.Books(six, day("2027-02-15"))
	if b.Accumulated != 74999 || b.Net != 525001 || b.Schedule.Accumulated != 48*8333 || b.Months != 48 || b.RemainingMonths != 24 {
		t.Fatalf("three months on: %+v", b)
	}
	// The life's last month (February 2029, the 72nd from March 2023) takes what remains.
	b = a.Books(six, day("2029-01-31"))
	if want := Money(50000 + 26*8333); b.Accumulated != want || b.Fully {
		t.Fatalf("the month before the last: %s, want %s", b.Accumulated.Yuan(), want.Yuan())
	}
	if b = a.Books(six, day("2029-02-28")); b.Accumulated != 600000 || !b.Fully || b.RemainingMonths != 0 {
		t.Fatalf("the last month: %+v", b)
	}
	// Only the net value stated reads the same.
	a.BookDepreciation = nil
	if b := a.Books(six, day("2027-02-15")); b.Accumulated != 74999 {
		t.Fatalf("from the net value alone: %+v", b)
	}
}

func TestBooksAgreeWithinOneMonthsCharge(t *testing.T) {
	a := card(600000, "2023-03-10", 0)
	// The ledger stated at the end of October what the schedule says for October (44 × 8333),
	// less 8 fen of the unit's own rounding: in November the two differ by those 8 fen only.
	a.BookDepreciation, a.BookDate = money(44*8333-8), day("2026-10-31")
	b := a.Books(six, day("2026-11-29"))
	if b.Accumulated != 45*8333-8 || b.Difference != -8 || b.Disagrees {
		t.Fatalf("%+v", b)
	}
	// One month's charge and a fen is a disagreement.
	a.BookDepreciation = money(44*8333 - 8334)
	if b := a.Books(six, day("2026-11-29")); !b.Disagrees {
		t.Fatalf("%+v", b)
	}
	// Figures that do not add up to the original value disagree whatever the schedule says.
	a.BookDepreciation, a.BookNetValue = money(44*8333), money(600000-44*8333+100)
	if b := a.Books(six, day("2026-10-31")); !b.Disagrees {
		t.Fatalf("%+v", b)
	}
}

// A card without stated figures keeps its schedule as its books.
func TestBooksWithoutStatedFiguresAreTheSchedule(t *testing.T) {
	a := card(600000, "2023-03-10", 0)
	b := a.Books(six, day("2026-11-30"))
	if b.Stated || b.Accumulated != 374985 || b.Difference != 0 || b.Disagrees {
		t.Fatalf("%+v", b)
	}
}

// A card received fully depreciated was booked at its original value with equal depreciation:
// the receiver charged nothing and says so.
func TestBooksOfACardReceivedFullyDepreciated(t *testing.T) {
	a := card(600000, "2026-11-20", 0)
	a.OpeningDepreciation = 600000
	b := a.Books(six, day("2026-12-31"))
	if !b.Fully || b.Months != 0 || b.Accumulated != 600000 || b.Net != 0 || b.Disagrees {
		t.Fatalf("%+v", b)
	}
}

// Splitting 3 chairs off 20: every figure of the two parts adds up to the card's, in every
// month from the split to long after the end of the life, with and without stated figures.
func TestSplitAddsUpInEveryMonth(t *testing.T) {
	fifteen := ClassLife{Depreciated: true, Years: 15}
	a := card(1600000, "2018-03-10", 0)
	a.Quantity = 20
	part, rest := a.Split(3, fifteen)
	// 3/20 of ¥16,000.00 is ¥2,400.00; of the charge 8889, 1333 (rounded down) and 7556.
	if part.OriginalValue != 240000 || rest.OriginalValue != 1360000 || part.MonthlyCharge != 1333 || rest.MonthlyCharge != 7556 ||
		part.Quantity != 3 || rest.Quantity != 17 {
		t.Fatalf("part %+v\nrest %+v", part, rest)
	}
	stated := a
	stated.BookDepreciation, stated.BookNetValue, stated.BookDate = money(100001), money(1499999), day("2026-10-31")
	sp, sr := stated.Split(7, fifteen)
	if *sp.BookDepreciation+*sr.BookDepreciation != 100001 || *sp.BookNetValue+*sr.BookNetValue != 1499999 ||
		*sp.BookDepreciation+*sp.BookNetValue != sp.OriginalValue {
		t.Fatalf("stated figures split: %v %v %v %v", *sp.BookDepreciation, *sr.BookDepreciation, *sp.BookNetValue, *sr.BookNetValue)
	}
	for _, c := range []struct {
		whole, part, rest Asset
	}{{a, part, rest}, {stated, sp, sr}} {
		for m := 0; m < 160; m++ {
			asOf := DateOf(day("2026-11-30").Time().AddDate(0, m, 0))
			w, p, r := c.whole.Books(fifteen, asOf), c.part.Books(fifteen, asOf), c.rest.Books(fifteen, asOf)
			if p.Accumulated+r.Accumulated != w.Accumulated || p.Net+r.Net != w.Net || p.Schedule.Accumulated+r.Schedule.Accumulated != w.Schedule.Accumulated {
				t.Fatalf("%s: parts %s + %s, card %s (schedule %s + %s, card %s)", asOf, p.Accumulated.Yuan(), r.Accumulated.Yuan(), w.Accumulated.Yuan(),
					p.Schedule.Accumulated.Yuan(), r.Schedule.Accumulated.Yuan(), w.Schedule.Accumulated.Yuan())
			}
			if p.Disagrees != w.Disagrees && !w.Disagrees {
				t.Fatalf("%s: the split part disagrees where the card does not: %+v", asOf, p)
			}
		}
	}
}

// The figures a transfer books are the source's books at the end of last month.
func TestBooksOfTransferCarryTheSourcesBooks(t *testing.T) {
	a := card(600000, "2023-03-10", 0)
	a.BookDepreciation, a.BookNetValue, a.BookDate = money(50000), money(550000), day("2026-11-30")
	// Approved on 2027-01-05: the books at 2026-12-31 are 50000 + 8333.
	b := BooksOfTransfer(&a, 1, six, day("2027-01-05"))
	if b.AsOf != day("2026-12-31") || b.Accumulated != 58333 || b.NetValue != 541667 || b.BookedValue != 541667 ||
		b.ScheduleAccumulated != 46*8333 || !b.Disagrees || !b.Stated || b.LifeMonths != 72-46 {
		t.Fatalf("%+v", b)
	}
	// Fully depreciated: booked at original value with equal depreciation.
	old := card(600000, "2015-03-10", 0)
	if b := BooksOfTransfer(&old, 1, six, day("2027-01-05")); b.NetValue != 0 || b.BookedValue != 600000 || b.BookedDepreciation != 600000 || b.LifeMonths != 0 {
		t.Fatalf("%+v", b)
	}
	// Not depreciated: booked at original value.
	if b := BooksOfTransfer(&old, 1, ClassLife{}, day("2027-01-05")); b.BookedValue != 600000 || b.Accumulated != 0 || b.LifeMonths != 0 {
		t.Fatalf("%+v", b)
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
