package models

import "time"

// ClassLife is what the category table says of a class's depreciation: whether it is
// depreciated at all (文物和陈列品, 图书档案, 动植物 and land are not) and its minimum life in
// years. A depreciated class without a life is 年限未定: its cards need a life set by the
// clerk, and are never silently left undepreciated.
type ClassLife struct {
	Depreciated bool
	Years       int
}

// Depreciation is an asset's depreciation as of one day, by the government accounting rules
// (政府会计准则第3号 and 财会〔2017〕4号): monthly straight-line over the card's useful life, no
// residual value, starting in the month of acquisition (当月增加当月计提), stopping when the asset
// is fully depreciated. The monthly charge is fixed per card — what remains to depreciate ÷
// months, rounded to the fen — and the last month of the life takes the remainder, as unit
// finance software books it, so that charge × months charged equals the accumulated
// depreciation until the final month.
type Depreciation struct {
	// Applies is false for a class that is not depreciated.
	Applies bool `json:"applies"`
	// Undetermined is set for a depreciated class with no life, where the card has none of its
	// own either (年限未定): nothing is charged until the clerk sets one.
	Undetermined bool `json:"undetermined"`
	// LifeMonths is the card's useful life in months; Months of it are charged by AsOf, by this
	// unit (a card booked fully depreciated on transfer has charged none).
	LifeMonths int `json:"life_months"`
	Months     int `json:"months"`
	// Monthly is the card's fixed monthly charge (月折旧额).
	Monthly     Money `json:"monthly"`
	Accumulated Money `json:"accumulated"`
	Net         Money `json:"net"`
	// RemainingMonths is the useful life left; zero once fully depreciated.
	RemainingMonths int  `json:"remaining_months"`
	Fully           bool `json:"fully_depreciated"`
	AsOf            Date `json:"as_of"`
}

// monthIndex numbers months consecutively, so that differences count months.
func monthIndex(d Date) int { return d.Year*12 + int(d.Month) - 1 }

// MonthEnd is the last day of d's month.
func MonthEnd(d Date) Date {
	return DateOf(time.Date(d.Year, d.Month+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1))
}

// PrevMonthEnd is the last day of the month before d's.
func PrevMonthEnd(d Date) Date {
	return DateOf(time.Date(d.Year, d.Month, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1))
}

// life is the card's useful life in months under its class: its own where it has one, else
// the class's minimum; applies is false for a class that is not depreciated.
func (a *Asset) life(cl ClassLife) (months int, applies bool) {
	if a.LifeMonths > 0 {
		return a.LifeMonths, true
	}
	if !cl.Depreciated {
		return 0, false
	}
	return cl.Years * 12, true
}

// Charge is the card's fixed monthly charge over a life of months: the stored charge where a
// split fixed it, else what remains to depreciate ÷ months, rounded to the fen.
func (a *Asset) charge(months int) Money {
	if a.MonthlyCharge > 0 {
		return a.MonthlyCharge
	}
	return roundDiv(int64(a.OriginalValue-a.OpeningDepreciation), int64(months))
}

// accumulated is depreciation after n of L months charged at c from base: the final month
// takes the remainder, and nothing goes past the original value.
func accumulated(original, base, c Money, n, lifeMonths int) Money {
	if n >= lifeMonths {
		return original
	}
	v := base + c*Money(n)
	return max(0, min(original, v))
}

// Schedule computes the card's depreciation from its acquisition date and life, as of asOf:
// the check beside the unit's own figures, and the card's books where it states none.
func (a *Asset) Schedule(cl ClassLife, asOf Date) Depreciation {
	o, op := a.OriginalValue, a.OpeningDepreciation
	L, applies := a.life(cl)
	if !applies {
		return Depreciation{AsOf: asOf, Net: o}
	}
	d := Depreciation{AsOf: asOf, Applies: true, Accumulated: op, Net: o - op, LifeMonths: L}
	switch {
	case L == 0:
		d.Undetermined = true
		return d
	case op >= o:
		// Booked fully depreciated (a transfer of a fully depreciated item): nothing to charge.
		d.Accumulated, d.Net, d.Fully = o, 0, true
		return d
	case a.AcquiredOn.IsZero():
		return d
	}
	d.Monthly = a.charge(L)
	n := 0
	if !asOf.IsZero() {
		n = max(0, min(L, monthIndex(asOf)-monthIndex(a.AcquiredOn)+1))
	}
	d.Months = n
	d.Accumulated = accumulated(o, op, d.Monthly, n, L)
	d.Net = o - d.Accumulated
	d.RemainingMonths = L - n
	d.Fully = d.Net == 0
	if d.Fully {
		d.RemainingMonths = 0
	}
	return d
}

// Books are a card's book figures (账面) as of one day, beside the schedule that checks them.
// The unit's accounting ledger is the record (账账相符): where the card carries the unit's stated
// accumulated depreciation (from its spreadsheet or a correction), the books are those figures
// rolled forward month by month from the day they were stated at the card's monthly charge,
// the last month of the life taking the remainder; a card that states none keeps the schedule
// as its books.
type Books struct {
	Depreciation
	// Stated is set when the books come from the unit's stated figures, stated on StatedOn.
	Stated   bool `json:"stated"`
	StatedOn Date `json:"stated_on"`
	// Schedule is computed from the acquisition date: the check.
	Schedule Depreciation `json:"schedule"`
	// Difference is the books' accumulated depreciation less the schedule's; Disagrees is set
	// when it is more than one month's charge, or when the stated figures do not add up to the
	// original value (账账不符).
	Difference Money `json:"difference"`
	Disagrees  bool  `json:"disagrees"`
}

// stated is the accumulated depreciation the unit states for the card, if it states any:
// its 累计折旧, else original value less its 净值.
func (a *Asset) stated() (Money, bool) {
	switch {
	case a.BookDepreciation != nil:
		return *a.BookDepreciation, true
	case a.BookNetValue != nil:
		return a.OriginalValue - *a.BookNetValue, true
	}
	return 0, false
}

// Books computes the card's book figures as of asOf under its class's life.
func (a *Asset) Books(cl ClassLife, asOf Date) Books {
	s := a.Schedule(cl, asOf)
	b := Books{Depreciation: s, Schedule: s}
	ds, ok := a.stated()
	if !ok {
		return b
	}
	b.Stated, b.StatedOn = true, a.BookDate
	o := a.OriginalValue
	book := s
	switch {
	case !s.Applies || s.Undetermined || s.Monthly == 0 && !s.Fully:
		// Nothing to roll forward with: the stated figures stand as they are.
		book.Accumulated = ds
	case s.Fully && s.Months == 0:
		// Booked fully depreciated on arrival.
		book.Accumulated = o
	default:
		// Rolled at the card's charge, the books keep the difference they had from the schedule
		// on the day they were stated — forward, and back to earlier days — until the life's
		// last month takes what remains; figures stated after the life ended stand.
		on := a.BookDate
		if on.IsZero() {
			on = asOf
		}
		end := monthIndex(a.AcquiredOn) + s.LifeMonths - 1
		if monthIndex(on) < end && monthIndex(asOf) >= end {
			book.Accumulated = o
		} else {
			book.Accumulated = max(0, min(o, s.Accumulated+ds-a.Schedule(cl, on).Accumulated))
		}
	}
	book.Net = o - book.Accumulated
	if s.Applies && !s.Undetermined {
		book.Fully = book.Net == 0
		if book.Fully {
			book.RemainingMonths = 0
		}
	}
	b.Depreciation = book
	b.Difference = book.Accumulated - s.Accumulated
	diff := b.Difference
	if diff < 0 {
		diff = -diff
	}
	b.Disagrees = diff > s.Monthly
	if a.BookDepreciation != nil && a.BookNetValue != nil && *a.BookDepreciation+*a.BookNetValue != o {
		b.Disagrees = true
	}
	return b
}

// Split divides a quantity card into the first k pieces and the rest, so that every figure
// of the two adds up to the card's to the fen, today and in every later month: original
// value, opening and stated depreciation are shared out, and so is the monthly charge (the
// part's share rounded down, the rest keeping the remainder), which both then keep fixed.
func (a *Asset) Split(k int, cl ClassLife) (part, rest Asset) {
	part, rest = *a, *a
	q := int64(max(1, a.Quantity))
	share := func(m Money) Money { return Money(int64(m) * int64(k) / q) }
	part.Quantity, rest.Quantity = k, a.Quantity-k
	part.OriginalValue, rest.OriginalValue = share(a.OriginalValue), a.OriginalValue-share(a.OriginalValue)
	part.OpeningDepreciation, rest.OpeningDepreciation = share(a.OpeningDepreciation), a.OpeningDepreciation-share(a.OpeningDepreciation)
	if L, applies := a.life(cl); applies && L > 0 {
		c := a.charge(L)
		part.MonthlyCharge, rest.MonthlyCharge = share(c), c-share(c)
	}
	if a.BookDepreciation != nil {
		p, r := share(*a.BookDepreciation), *a.BookDepreciation-share(*a.BookDepreciation)
		part.BookDepreciation, rest.BookDepreciation = &p, &r
	}
	if a.BookNetValue != nil {
		p, r := share(*a.BookNetValue), *a.BookNetValue-share(*a.BookNetValue)
		if a.BookDepreciation != nil {
			p, r = part.OriginalValue-*part.BookDepreciation, rest.OriginalValue-*rest.BookDepreciation
		}
		part.BookNetValue, rest.BookNetValue = &p, &r
	}
	if part.OfferedQuantity > 0 {
		part.OfferedQuantity = 0
	}
	return part, rest
}

// Acquired is the day the item was first acquired, before any transfer: age and the
// minimum-life checks count from it.
func (a *Asset) Acquired() Date {
	if !a.FirstAcquiredOn.IsZero() {
		return a.FirstAcquiredOn
	}
	return a.AcquiredOn
}

// roundDiv divides and rounds half away from zero, as fen amounts are rounded on paper.
func roundDiv(a, b int64) Money {
	if b == 0 {
		return 0
	}
	neg := (a < 0) != (b < 0)
	if a < 0 {
		a = -a
	}
	if b < 0 {
		b = -b
	}
	q := (a + b/2) / b
	if neg {
		q = -q
	}
	return Money(q)
}
