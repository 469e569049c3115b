package app

import (
	"errors"
	"math/big"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"assetpool/models"
)

// errBlankCell is returned by the cell parsers for a cell that is empty after trimming, so that
// the caller decides what blank means (usually: keep the stored value).
var errBlankCell = errors.New("blank cell")

// normDateHow is how every date error ends: what to write instead.
const normDateHow = "请写成 2019-05-01、2019/5/1 或 2019年5月1日"

// Plausible acquisition years. Serial numbers are held to a narrower range because any
// number in a date column converts to some day: 1234 would be 1903-05-18.
const (
	normMinYear       = 1900
	normMaxYear       = 2100
	normMinSerialYear = 1950
)

// normMaxFen is the largest amount accepted, 10 trillion yuan: beyond any asset a unit holds,
// and far enough below int64 that sums of many cards cannot overflow.
const normMaxFen = 1_000_000_000_000_000

// normMaxQuantity caps a card's quantity, so that unit price × quantity stays far from overflow.
const normMaxQuantity = 1_000_000

// normZeroWidth reports the invisible characters that copy-paste from web pages and Word leaves
// in cells.
func normZeroWidth(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad':
		return true
	}
	return false
}

// normIsSpace reports white space including the full-width space U+3000 and NBSP.
func normIsSpace(r rune) bool { return unicode.IsSpace(r) || normZeroWidth(r) }

// normWidthRune maps a full-width ASCII variant (０-９, Ａ-Ｚ, ，．（）：／－ …) to ASCII and the
// ideographic space to a space.
func normWidthRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000:
		return ' '
	case r == '\u2212': // minus sign
		return '-'
	case r == '【', r == '〔':
		return '['
	case r == '】', r == '〕':
		return ']'
	}
	return r
}

// normCell prepares a value cell for parsing: zero-width characters removed, full-width forms
// mapped to ASCII, surrounding space trimmed.
func normCell(s string) string {
	s = strings.Map(func(r rune) rune {
		if normZeroWidth(r) {
			return -1
		}
		return normWidthRune(r)
	}, s)
	return strings.TrimFunc(s, normIsSpace)
}

// normQuote shortens a cell for an error message: a whole paragraph pasted into an amount cell
// should not flood the error list.
func normQuote(s string) string {
	s = cleanText(s)
	if utf8.RuneCountInString(s) <= 30 {
		return s
	}
	r := []rune(s)
	return string(r[:30]) + "…"
}

// cleanText normalises a text cell for storage: trims (incl. full-width spaces U+3000, NBSP,
// zero-width chars), turns line breaks and runs of whitespace inside into one space and drops
// control characters. Full-width letters and digits are kept as the clerk wrote them.
func cleanText(s string) string {
	if normIsClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case normZeroWidth(r):
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// normIsClean reports whether cleanText would return s unchanged; nearly every cell is, and
// the import calls cleanText on every cell of every row.
func normIsClean(s string) bool {
	prevSpace := true // a leading space is not clean
	for i, r := range s {
		if r == utf8.RuneError {
			return false
		}
		if r == ' ' {
			if prevSpace || i == len(s)-1 {
				return false
			}
			prevSpace = true
			continue
		}
		if normZeroWidth(r) || unicode.IsSpace(r) || unicode.IsControl(r) {
			return false
		}
		prevSpace = false
	}
	return true
}

// normInvalid builds the user-facing error of a cell.
func normInvalid(format string, args ...any) error {
	return models.Errorf(models.EInvalid, format, args...)
}

// parseDateCell reads a date cell: an Excel serial number as the raw cell value ("43586",
// "43586.5"), counted in the 1904 date system when date1904 says the workbook uses it,
// "2019-05-01", "2019/5/1", "2019.5.1", "2019年5月1日", a month alone ("2019年5月", "2019.05",
// "2019-05", "201905": the 1st of the month), "20190501", with full-width digits and
// separators, with a time after a space or a T ("2019-05-01 00:00:00", "2023/1/9 8:30"), and
// an ISO 8601 instant with a UTC offset ("2023-01-08T16:00:00.000Z"), dated in the district.
func parseDateCell(s string, date1904 bool) (models.Date, error) {
	quoted := normQuote(s)
	t := normCell(s)
	if t == "" {
		return models.Date{}, errBlankCell
	}
	if d, ok := normZonedDate(t); ok {
		return normMakeDate(d.Year, int(d.Month), d.Day, quoted)
	}
	t = normStripTime(t)
	if normIsNumber(t) {
		return normNumericDate(t, date1904, quoted)
	}
	y, m, d, sep, ok := normSplitDate(t)
	if !ok {
		return models.Date{}, normInvalid("「%s」不是有效日期，%s", quoted, normDateHow)
	}
	if sep == '.' && d == "" && m == "1" {
		// Excel stores a number typed as 2019.10 as 2019.1: the month cannot be told.
		return models.Date{}, normInvalid("「%s」无法确定月份（Excel 会把 2019.10 存成 2019.1），请写成 2019-01 或 2019-10", quoted)
	}
	if d == "" {
		d = "1"
	}
	return normMakeDate(normAtoi(y), normAtoi(m), normAtoi(d), quoted)
}

// districtZone is where the books' calendar runs (Asia/Shanghai, domain.md). China has kept
// UTC+8 all year since 1992; the fixed zone stands in where the system has no zone database.
var districtZone = sync.OnceValue(func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*60*60)
})

// normZonedLayouts are the ISO 8601 date-times with a UTC offset that web systems write in
// date cells (.xlsx cell type d) and exports: "Z", "+08:00", "+0800" or "+08", extended or
// basic format. Fractional seconds (".000" or ",000") need no layout of their own.
var normZonedLayouts = []string{
	"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05Z07",
	"2006-01-02T15:04Z07:00", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05Z0700",
	"2006-01-02 15:04:05Z07", "20060102T150405Z0700", "20060102T150405Z07",
}

// normZonedDate reads an instant written with its UTC offset and returns its day in the
// district: 2023-01-08T16:00:00.000Z is midnight of 9 January in Shanghai (a web system that
// stored local midnight as UTC), and 2023-01-09T00:00:00Z is 08:00 of the same day. A
// date-time without an offset names a local time and is left to normStripTime.
func normZonedDate(t string) (models.Date, bool) {
	i := strings.IndexAny(t, "T ")
	if i < 8 || !strings.ContainsAny(t[i:], "Z+-") {
		return models.Date{}, false
	}
	for _, layout := range normZonedLayouts {
		if tm, err := time.Parse(layout, t); err == nil {
			return models.DateOf(tm.In(districtZone())), true
		}
	}
	return models.Date{}, false
}

// normStripTime drops a time of day after a space or a T: "2019-05-01 00:00:00" is a day.
func normStripTime(t string) string {
	i := strings.LastIndexAny(t, " T")
	if i <= 0 {
		return t
	}
	rest := strings.TrimSpace(t[i+1:])
	if !normIsClock(rest) {
		return t
	}
	return strings.TrimSpace(t[:i])
}

// normIsClock reports "8:30", "08:30:00" or "08:30:00.000".
func normIsClock(s string) bool {
	h, rest, ok := strings.Cut(s, ":")
	if !ok || len(h) < 1 || len(h) > 2 || !normDigits(h) {
		return false
	}
	mm, sec, hasSec := strings.Cut(rest, ":")
	if len(mm) != 2 || !normDigits(mm) {
		return false
	}
	if !hasSec {
		return true
	}
	ss, frac, hasFrac := strings.Cut(sec, ".")
	return len(ss) == 2 && normDigits(ss) && (!hasFrac || frac != "" && normDigits(frac))
}

// normDigits reports whether s is non-empty and all ASCII digits.
func normDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// normIsNumber reports "43586", "43586.5", "201905" or "2019.05": digits with at most one point.
func normIsNumber(t string) bool {
	i, f, hasPoint := strings.Cut(t, ".")
	return normDigits(i) && (!hasPoint || normDigits(f))
}

// normAtoi converts a short run of ASCII digits.
func normAtoi(s string) int {
	n := 0
	for i := 0; i < len(s) && i < 9; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// normNumericDate reads a date written as one number: an Excel serial (in the 1904 date
// system when date1904), YYYYMMDD, YYYYMM or YYYY.MM.
func normNumericDate(t string, date1904 bool, quoted string) (models.Date, error) {
	intPart, frac, hasPoint := strings.Cut(t, ".")
	switch {
	case len(intPart) == 4 && hasPoint && len(frac) <= 2:
		if frac == "1" {
			return models.Date{}, normInvalid("「%s」无法确定月份（Excel 会把 2019.10 存成 2019.1），请写成 2019-01 或 2019-10", quoted)
		}
		return normMakeDate(normAtoi(intPart), normAtoi(frac), 1, quoted)
	case len(intPart) == 8 && !hasPoint:
		return normMakeDate(normAtoi(intPart[:4]), normAtoi(intPart[4:6]), normAtoi(intPart[6:]), quoted)
	case len(intPart) == 6 && !hasPoint:
		return normMakeDate(normAtoi(intPart[:4]), normAtoi(intPart[4:]), 1, quoted)
	case len(intPart) == 4 && !hasPoint:
		return models.Date{}, normInvalid("「%s」只有年份，请写出完整日期，如 2019-05-01；只知道月份时写 2019-05", quoted)
	case len(intPart) <= 5 && len(strings.TrimLeft(intPart, "0")) > 0:
		// An Excel serial in the 1900 date system. Day 60 is Lotus's non-existent 1900-02-29,
		// so from day 61 on, day n is 1899-12-30 plus n days; the plausible range starts long
		// after that. In the 1904 system of older Mac Excel day n is 1904-01-01 plus n days:
		// the same day has a serial 1,462 smaller.
		n := normAtoi(intPart)
		epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
		if date1904 {
			epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		d := models.DateOf(epoch.AddDate(0, 0, n))
		if (n > 60 || date1904) && d.Year >= normMinSerialYear && d.Year <= normMaxYear {
			return d, nil
		}
	}
	return models.Date{}, normInvalid("「%s」不是有效日期（作为 Excel 日期它不在 %d 至 %d 年之间），%s", quoted, normMinSerialYear, normMaxYear, normDateHow)
}

// normSplitDate splits "2019-5-1", "2019/05/01", "2019.5.1", "2019年5月1日", "2019年5月", "2019-05"
// into year, month and day ("" for a month alone) and the separator after the year.
func normSplitDate(t string) (y, m, d string, sep rune, ok bool) {
	t = strings.ReplaceAll(t, " ", "")
	y, rest := normLeadDigits(t)
	if len(y) != 4 || rest == "" {
		return "", "", "", 0, false
	}
	sep, size := utf8.DecodeRuneInString(rest)
	if !strings.ContainsRune("-/.年", sep) {
		return "", "", "", 0, false
	}
	m, rest = normLeadDigits(rest[size:])
	if len(m) < 1 || len(m) > 2 {
		return "", "", "", 0, false
	}
	if sep == '年' {
		switch {
		case rest == "" || rest == "月" || rest == "份" || rest == "月份":
			return y, m, "", sep, true
		case !strings.HasPrefix(rest, "月"):
			return "", "", "", 0, false
		}
		d, rest = normLeadDigits(strings.TrimPrefix(rest, "月"))
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, "日"), "号")
	} else {
		if rest == "" {
			return y, m, "", sep, true
		}
		if r, n := utf8.DecodeRuneInString(rest); r != sep {
			return "", "", "", 0, false
		} else {
			d, rest = normLeadDigits(rest[n:])
		}
	}
	if len(d) < 1 || len(d) > 2 || rest != "" {
		return "", "", "", 0, false
	}
	return y, m, d, sep, true
}

// normLeadDigits splits s after its leading ASCII digits.
func normLeadDigits(s string) (digits, rest string) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i], s[i:]
}

// normMakeDate checks that year, month and day make a real, plausible day.
func normMakeDate(y, m, d int, quoted string) (models.Date, error) {
	if y < normMinYear || y > normMaxYear {
		return models.Date{}, normInvalid("「%s」的年份不在 %d 至 %d 年之间，请核对年份，如 2019-05-01", quoted, normMinYear, normMaxYear)
	}
	if m < 1 || m > 12 {
		return models.Date{}, normInvalid("「%s」不是有效日期（没有 %d 月），%s", quoted, m, normDateHow)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if d < 1 || t.Day() != d {
		return models.Date{}, normInvalid("「%s」不是有效日期（%d年%d月没有%d日），%s", quoted, y, m, d, normDateHow)
	}
	return models.DateOf(t), nil
}

// normDecimal is a number as written in a cell: ±mant × 10^exp, exactly.
type normDecimal struct {
	mant *big.Int
	exp  int
}

// normParseDecimal reads a plain number: digits with thousands separators ("1,234.50"), an
// optional fraction and an optional exponent as raw xlsx values carry them ("1.2E+5"). The
// sign is handled by the caller. reason says what is wrong when ok is false.
func normParseDecimal(s string) (d normDecimal, reason string, ok bool) {
	mantissa, expPart, hasExp := strings.Cut(strings.ToUpper(s), "E")
	intPart, frac, hasPoint := strings.Cut(mantissa, ".")
	if intPart == "" && frac == "" || hasPoint && frac == "" && intPart == "" {
		return d, "", false
	}
	if strings.Contains(intPart, ",") {
		if hasExp || !normThousands(intPart) {
			return d, "comma", false
		}
		intPart = strings.ReplaceAll(intPart, ",", "")
	}
	if intPart != "" && !normDigits(intPart) || frac != "" && !normDigits(frac) {
		return d, "", false
	}
	digits := strings.TrimLeft(intPart+frac, "0")
	if len(digits) > 40 {
		return d, "", false
	}
	exp := -len(frac)
	if hasExp {
		sign := 1
		switch {
		case strings.HasPrefix(expPart, "+"):
			expPart = expPart[1:]
		case strings.HasPrefix(expPart, "-"):
			sign, expPart = -1, expPart[1:]
		}
		if !normDigits(expPart) || len(expPart) > 3 {
			return d, "", false
		}
		exp += sign * normAtoi(expPart)
	}
	mant, _ := new(big.Int).SetString("0"+digits, 10)
	return normDecimal{mant: mant, exp: exp}, "", true
}

// normThousands reports whether s groups its digits by threes: "1,234", "12,345,678".
func normThousands(s string) bool {
	groups := strings.Split(s, ",")
	if len(groups[0]) < 1 || len(groups[0]) > 3 || !normDigits(groups[0]) {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !normDigits(g) {
			return false
		}
	}
	return true
}

// scaled returns the value × mul × 10^shift, rounded half away from zero, and whether no
// rounding was needed.
func (d normDecimal) scaled(mul int64, shift int) (*big.Int, bool) {
	v := new(big.Int).Mul(d.mant, big.NewInt(mul))
	e := d.exp + shift
	switch {
	case v.Sign() == 0:
		return v, true
	case e >= 0:
		if e > 40 {
			e = 40 // already far beyond every limit; keeps big numbers small
		}
		return v.Mul(v, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(e)), nil)), true
	case e < -100:
		// mant has at most 40 digits and mul at most 19: the value rounds to zero.
		return new(big.Int), false
	}
	div := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-e)), nil)
	q, r := new(big.Int).QuoRem(v, div, new(big.Int))
	exact := r.Sign() == 0
	if r.Lsh(r, 1).Cmp(div) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	return q, exact
}

// normMoneyHow is how money errors end.
const normMoneyHow = "请只写一个数字，如 4999.00、4,999.00 或 ¥4,999.00"

// parseMoneyCell reads an amount into fen exactly (decimal arithmetic, never float64):
// thousands separators, ￥/¥/RMB, a trailing 元 or 万元, full-width forms, negatives as "-12.5" or
// "(12.50)", a lone dash as zero, scientific notation as raw xlsx values carry it; more than two
// decimals are rounded half away from zero. scale is the column's unit: 1 for 元, 10000 for 万元;
// a unit written in the cell itself (元, 万元) overrides it.
func parseMoneyCell(s string, scale int64) (models.Money, error) {
	quoted := normQuote(s)
	t := normCell(s)
	if t == "" {
		return 0, errBlankCell
	}
	if normIsDash(t) {
		return 0, nil
	}
	if scale <= 0 {
		scale = 1
	}
	var neg, signed, paren, currency, unit bool
	for changed := true; changed; {
		changed = false
		t = strings.TrimSpace(t)
		if !unit {
			for _, u := range []struct {
				word  string
				scale int64
			}{{"万元", 10000}, {"元整", 1}, {"元", 1}, {"万", 10000}} {
				if strings.HasSuffix(t, u.word) {
					t, scale, unit, changed = strings.TrimSuffix(t, u.word), u.scale, true, true
					break
				}
			}
		}
		if !currency {
			if rest, ok := normCutCurrency(t); ok {
				t, currency, changed = rest, true, true
				continue
			}
		}
		if !signed && !paren && len(t) > 0 && (t[0] == '-' || t[0] == '+') {
			neg, signed, changed = t[0] == '-', true, true
			t = t[1:]
			continue
		}
		if !paren && !signed && len(t) >= 2 && t[0] == '(' && t[len(t)-1] == ')' {
			neg, paren, changed = true, true, true
			t = t[1 : len(t)-1]
		}
	}
	d, reason, ok := normParseDecimal(t)
	if !ok {
		switch {
		case reason == "comma":
			return 0, normInvalid("「%s」的千位分隔符位置不对，请写成 12345.00 或 12,345.00", quoted)
		case normSeveralNumbers(t):
			return 0, normInvalid("「%s」包含多个数字，一个单元格只能写一个金额，如 4999.00", quoted)
		}
		return 0, normInvalid("「%s」不是有效金额，%s", quoted, normMoneyHow)
	}
	fen, _ := d.scaled(scale, 2)
	if fen.CmpAbs(big.NewInt(normMaxFen)) > 0 {
		return 0, normInvalid("「%s」金额过大（超过 10 万亿元），请核对数字和单位（元或万元）", quoted)
	}
	v := fen.Int64()
	if neg {
		v = -v
	}
	return models.Money(v), nil
}

// normIsDash reports a cell holding only a dash, which registers use for "nothing": zero.
func normIsDash(t string) bool {
	switch t {
	case "-", "--", "—", "——", "–":
		return true
	}
	return false
}

// normCutCurrency removes a leading currency sign or code.
func normCutCurrency(t string) (string, bool) {
	for _, c := range []string{"￥", "¥", "RMB", "CNY", "人民币"} {
		if len(t) >= len(c) && strings.EqualFold(t[:len(c)], c) {
			return t[len(c):], true
		}
	}
	return t, false
}

// normSeveralNumbers reports a cell with two runs of digits apart: "100 200", "100/200".
func normSeveralNumbers(t string) bool {
	runs, in := 0, false
	for _, r := range t {
		num := r >= '0' && r <= '9' || r == '.' || r == ','
		if num && !in {
			runs++
		}
		in = num
	}
	return runs > 1
}

// parseQuantityCell reads a positive whole count: "20", "20.0", "２０", "1,000", "20台", "20 把".
func parseQuantityCell(s string) (int, error) {
	quoted := normQuote(s)
	t := normCell(s)
	if t == "" {
		return 0, errBlankCell
	}
	t = normCutMeasureWord(t)
	neg := false
	switch {
	case strings.HasPrefix(t, "-"):
		neg, t = true, t[1:]
	case strings.HasPrefix(t, "+"):
		t = t[1:]
	}
	d, _, ok := normParseDecimal(t)
	if !ok {
		return 0, normInvalid("「%s」不是有效数量，请写正整数，如 1 或 20", quoted)
	}
	n, exact := d.scaled(1, 0)
	switch {
	case !exact:
		return 0, normInvalid("「%s」不是整数：数量必须是正整数，如 1 或 20", quoted)
	case n.Sign() == 0:
		return 0, normInvalid("「%s」不是有效数量：数量至少为 1", quoted)
	case neg:
		return 0, normInvalid("「%s」是负数：数量必须是正整数，如 1 或 20", quoted)
	case n.Cmp(big.NewInt(normMaxQuantity)) > 0:
		return 0, normInvalid("「%s」数量过大（超过 %d），请核对", quoted, normMaxQuantity)
	}
	return int(n.Int64()), nil
}

// normCutMeasureWord removes a measure word after the count ("20台", "20 把"): one to three Han
// characters following a digit.
func normCutMeasureWord(t string) string {
	i := len(t)
	n := 0
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(t[:i])
		if !unicode.Is(unicode.Han, r) {
			break
		}
		i -= size
		n++
	}
	if n == 0 || n > 3 {
		return t
	}
	head := strings.TrimRight(t[:i], " ")
	if head == "" || head[len(head)-1] < '0' || head[len(head)-1] > '9' {
		return t
	}
	return head
}

// normWord folds a word for comparison: full-width forms to ASCII, every space and control
// character removed, so that "在 用", "闲置　" and "合　计" read as the words they are.
func normWord(s string) string {
	return strings.Map(func(r rune) rune {
		r = normWidthRune(r)
		if normIsSpace(r) || unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// parseUsageCell reads a usage status (使用状况): a label, a synonym or a code.
func parseUsageCell(s string) (models.UsageStatus, error) {
	t := normWord(s)
	if t == "" {
		return "", errBlankCell
	}
	if v, ok := models.ParseUsageStatus(t); ok {
		return v, nil
	}
	return "", normInvalid("「%s」不是有效的使用状况，请填写 在用、闲置、出租、出借、待处置、维修中 或 其他", normQuote(s))
}

// parseConditionCell reads a condition (完好程度): a label, a synonym or a code.
func parseConditionCell(s string) (models.Condition, error) {
	t := normWord(s)
	if t == "" {
		return "", errBlankCell
	}
	if v, ok := models.ParseCondition(t); ok {
		return v, nil
	}
	return "", normInvalid("「%s」不是有效的完好程度，请填写 全新、完好、需维修、仅残值 或 报废", normQuote(s))
}

// categoryIndex resolves category cells against the category table by code or by name.
type categoryIndex struct {
	// codes maps normCodeKey(code) to the code as stored.
	codes map[string]string
	// names maps normNameKey(name) to the codes bearing that name, in table order.
	names map[string][]string
}

// newCategoryIndex indexes the category table.
func newCategoryIndex(cats []models.Category) *categoryIndex {
	ix := &categoryIndex{codes: make(map[string]string, len(cats)), names: make(map[string][]string, len(cats))}
	for _, c := range cats {
		ix.codes[normCodeKey(c.Code)] = c.Code
		k := normNameKey(c.Name)
		ix.names[k] = append(ix.names[k], c.Code)
	}
	return ix
}

// normCodeKey folds a code for lookup: "a020 10105" and "Ａ02010105" are A02010105.
func normCodeKey(s string) string { return strings.ToUpper(normWord(s)) }

// normNameKey folds a name for lookup the same way.
func normNameKey(s string) string { return strings.ToUpper(normWord(s)) }

// normCategoryHow is how every category error ends.
const normCategoryHow = "请填写分类表中的分类代码（如 A02010105）或分类名称（如 台式计算机）；如果分类表缺少这一分类，请管理员导入完整的分类表"

// resolve returns the category code a cell names: a code ("A02010105", "a020 10105"), a name
// ("台式计算机") or both as exports write them ("A02010105 台式计算机", "A02010105-台式计算机",
// "台式计算机(A02010105)").
func (ix *categoryIndex) resolve(s string) (string, error) {
	t := normCell(s)
	if t == "" {
		return "", errBlankCell
	}
	quoted := normQuote(s)
	if code, ok := ix.codes[normCodeKey(t)]; ok {
		return code, nil
	}
	if codes := ix.names[normNameKey(t)]; len(codes) > 0 {
		return ix.one(codes, quoted)
	}
	if code, name, ok := normSplitCategory(t, ix.codes); ok {
		if c, ok := ix.codes[normCodeKey(code)]; ok {
			return c, nil
		}
		// An old or unknown code beside a name the table knows: the name is what we would
		// ask the clerk to write anyway.
		if codes := ix.names[normNameKey(name)]; len(codes) == 1 {
			return codes[0], nil
		}
		return "", normUnknownCode(code)
	}
	if normLooksLikeCode(t) {
		return "", normUnknownCode(t)
	}
	return "", normInvalid("「%s」不是分类表中的分类代码或名称，%s", quoted, normCategoryHow)
}

// one returns the only code of a name, or an error listing the candidates.
func (ix *categoryIndex) one(codes []string, quoted string) (string, error) {
	if len(codes) == 1 {
		return codes[0], nil
	}
	return "", normInvalid("「%s」对应多个分类（%s），请改填其中一个分类代码", quoted, strings.Join(codes, "、"))
}

// normUnknownCode explains a code the table does not hold; a 7-digit code is most likely from
// the 2010 edition of GB/T 14885.
func normUnknownCode(code string) error {
	key := normCodeKey(code)
	if len(key) == 7 && normDigits(key) {
		return normInvalid("分类代码「%s」不在分类表中：这像是 2010 版的 7 位代码，请改用 2022 版代码（如 A02010105）或分类名称（如 台式计算机）；如果分类表缺少这一分类，请管理员导入完整的分类表", normQuote(code))
	}
	return normInvalid("分类代码「%s」不在分类表中，%s", normQuote(code), normCategoryHow)
}

// normLooksLikeCode reports a classification code: up to two letters, then at least four digits.
func normLooksLikeCode(s string) bool {
	k := normCodeKey(s)
	i := 0
	for i < len(k) && i < 2 && k[i] >= 'A' && k[i] <= 'Z' {
		i++
	}
	return len(k)-i >= 4 && normDigits(k[i:])
}

// normSplitCategory splits "A02010105 台式计算机", "A02010105-台式计算机", "A020 10105 台式计算机"
// and "台式计算机(A02010105)" into code and name.
func normSplitCategory(t string, codes map[string]string) (code, name string, ok bool) {
	if strings.HasSuffix(t, ")") {
		if i := strings.LastIndexByte(t, '('); i > 0 {
			inner := t[i+1 : len(t)-1]
			if normLooksLikeCode(inner) {
				return inner, strings.TrimSpace(t[:i]), true
			}
		}
	}
	// The code is the leading letters and digits; when spaces split it ("A020 10105"), the
	// longer reading is taken only if the table knows it.
	letters := 0
	for letters < len(t) && letters < 2 && (t[letters]|0x20 >= 'a' && t[letters]|0x20 <= 'z') {
		letters++
	}
	strict, _ := normLeadDigits(t[letters:])
	end := letters + len(strict)
	spaced := end
	for spaced < len(t) && (t[spaced] == ' ' || t[spaced] >= '0' && t[spaced] <= '9') {
		spaced++
	}
	if spaced > end {
		if cand := strings.TrimRight(t[:spaced], " "); cand != t[:end] {
			if _, known := codes[normCodeKey(cand)]; known {
				end = len(cand)
			}
		}
	}
	code = t[:end]
	name = strings.TrimLeft(t[end:], " -—–_:|/")
	if !normLooksLikeCode(code) || name == "" {
		return "", "", false
	}
	return code, name, true
}
