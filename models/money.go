package models

import (
	"strconv"
	"strings"
)

// Money is an amount in fen (分), the only way money is held inside assetpool, so that sums
// never drift the way floating-point yuan do.
type Money int64

// Yuan formats m as yuan with exactly two decimals, e.g. "-1234.50".
func (m Money) Yuan() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign = "-"
		v = -v
	}
	return sign + strconv.FormatInt(v/100, 10) + "." + twoDigits(v%100)
}

// String formats m the way tables show it: ¥12,345.67.
func (m Money) String() string {
	s := m.Yuan()
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return sign + "¥" + b.String() + "." + frac
}

// MarshalJSON writes m as a JSON number of yuan with two decimals, computed from fen.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(m.Yuan()), nil }

// UnmarshalJSON reads a JSON number or string of yuan into fen without going through float64.
func (m *Money) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	v, err := ParseYuan(s)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// ParseYuan parses a plain decimal amount of yuan ("1234", "-12.5", "0.07") into fen exactly.
// More than two decimals are rounded half away from zero.
func ParseYuan(s string) (Money, error) {
	s = strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	} else if strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) || len(intPart) > 15 {
		return 0, Errorf(EInvalid, "金额 %q 不是有效的数字", s)
	}
	var v int64
	if intPart != "" {
		v, _ = strconv.ParseInt(intPart, 10, 64)
	}
	v *= 100
	frac += "000"
	cents, _ := strconv.ParseInt(frac[:2], 10, 64)
	v += cents
	if frac[2] >= '5' {
		v++
	}
	if neg {
		v = -v
	}
	return Money(v), nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func twoDigits(v int64) string {
	if v < 10 {
		return "0" + strconv.FormatInt(v, 10)
	}
	return strconv.FormatInt(v, 10)
}
