package models

// Depreciation is an asset's depreciation as of one day, by the government accounting rules
// (政府会计准则第3号 and 财会〔2017〕4号): monthly straight-line over the category's minimum
// useful life, no residual value, starting in the month of acquisition, stopping when the
// asset is fully depreciated.
type Depreciation struct {
	// Applies is false for categories that are not depreciated (cultural relics, books and
	// archives, animals and plants) or have no minimum life in the category table.
	Applies bool `json:"applies"`
	// LifeMonths is the minimum useful life in months; Months of it have elapsed by AsOf.
	LifeMonths int `json:"life_months"`
	Months     int `json:"months"`
	// Monthly is one month's charge, for display; Accumulated is computed from the whole
	// months so that rounding never drifts and the last month lands exactly on the original.
	Monthly     Money `json:"monthly"`
	Accumulated Money `json:"accumulated"`
	Net         Money `json:"net"`
	// RemainingMonths is the useful life left; zero once fully depreciated.
	RemainingMonths int  `json:"remaining_months"`
	Fully           bool `json:"fully_depreciated"`
	AsOf            Date `json:"as_of"`
}

// Depreciate computes the depreciation of an asset with the given original value (the whole
// card), acquisition day and minimum life in years, as of asOf. A life of 0 means the category
// is not depreciated.
func Depreciate(original Money, acquired Date, lifeYears int, asOf Date) Depreciation {
	d := Depreciation{AsOf: asOf, Net: original}
	if lifeYears <= 0 || acquired.IsZero() {
		return d
	}
	d.Applies = true
	d.LifeMonths = lifeYears * 12
	d.Monthly = roundDiv(int64(original), int64(d.LifeMonths))
	if !asOf.IsZero() && !asOf.Before(acquired) {
		// The month of acquisition counts as the first month (当月增加当月计提).
		d.Months = (asOf.Year-acquired.Year)*12 + int(asOf.Month-acquired.Month) + 1
	}
	d.Months = min(d.Months, d.LifeMonths)
	d.Accumulated = roundDiv(int64(original)*int64(d.Months), int64(d.LifeMonths))
	d.Net = original - d.Accumulated
	d.RemainingMonths = d.LifeMonths - d.Months
	d.Fully = d.Months == d.LifeMonths
	return d
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
