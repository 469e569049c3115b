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
	if lifeYears <= 0 {
		return Depreciation{AsOf: asOf, Net: original}
	}
	return DepreciateFrom(original, 0, acquired, lifeYears*12, asOf)
}

// DepreciateFrom is Depreciate for a card booked with opening depreciation already charged
// (a transferred card), whose remaining value original − opening is charged over lifeMonths
// from the month of acquisition.
func DepreciateFrom(original, opening Money, acquired Date, lifeMonths int, asOf Date) Depreciation {
	d := Depreciation{AsOf: asOf, Net: original - opening, Accumulated: opening}
	if acquired.IsZero() {
		return d
	}
	d.Applies = true
	if opening >= original {
		// Booked fully depreciated: nothing left to charge.
		d.Accumulated, d.Net, d.Fully = original, 0, true
		d.LifeMonths, d.Months = lifeMonths, lifeMonths
		return d
	}
	if lifeMonths <= 0 {
		return Depreciation{AsOf: asOf, Net: original}
	}
	rest := original - opening
	d.LifeMonths = lifeMonths
	d.Monthly = roundDiv(int64(rest), int64(lifeMonths))
	if !asOf.IsZero() && !asOf.Before(acquired) {
		// The month of acquisition counts as the first month (当月增加当月计提).
		d.Months = (asOf.Year-acquired.Year)*12 + int(asOf.Month-acquired.Month) + 1
	}
	d.Months = min(d.Months, lifeMonths)
	d.Accumulated = opening + roundDiv(int64(rest)*int64(d.Months), int64(lifeMonths))
	d.Net = original - d.Accumulated
	d.RemainingMonths = lifeMonths - d.Months
	d.Fully = d.Months == lifeMonths
	return d
}

// Depreciation of the card as of asOf, lifeYears being its category's minimum life: a card's
// own life and opening depreciation (a transferred card) take precedence.
func (a *Asset) Depreciation(lifeYears int, asOf Date) Depreciation {
	return CardDepreciation(a.OriginalValue, a.OpeningDepreciation, a.AcquiredOn, a.LifeMonths, lifeYears, asOf)
}

// CardDepreciation is Asset.Depreciation from the card's columns, for rows read without a
// whole card.
func CardDepreciation(original, opening Money, acquired Date, lifeMonths, lifeYears int, asOf Date) Depreciation {
	if lifeMonths == 0 && opening == 0 {
		return Depreciate(original, acquired, lifeYears, asOf)
	}
	if lifeMonths == 0 {
		lifeMonths = lifeYears * 12
	}
	return DepreciateFrom(original, opening, acquired, lifeMonths, asOf)
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
