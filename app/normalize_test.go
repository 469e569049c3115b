package app

import (
	"errors"
	"strings"
	"testing"

	"assetpool/models"
)

// checkCellError asserts a parser's error: a *models.Error with code EInvalid whose message
// contains every wanted part.
func checkCellError(t *testing.T, in string, err error, want ...string) {
	t.Helper()
	var e *models.Error
	if !errors.As(err, &e) || e.Code != models.EInvalid {
		t.Errorf("%q: error %v, want *models.Error invalid", in, err)
		return
	}
	for _, w := range want {
		if !strings.Contains(e.Message, w) {
			t.Errorf("%q: message %q lacks %q", in, e.Message, w)
		}
	}
}

func TestParseDateCell(t *testing.T) {
	t.Parallel()
	valid := []struct{ in, want string }{
		{"43586", "2019-05-01"},
		{"43586.5", "2019-05-01"},
		{"43586.999988426", "2019-05-01"},
		{"18264", "1950-01-01"},
		{"73415", "2100-12-31"},
		{"43890", "2020-02-29"},
		{"2019-05-01", "2019-05-01"},
		{"2019/5/1", "2019-05-01"},
		{"2019-5-1", "2019-05-01"},
		{"2019.5.1", "2019-05-01"},
		{"2019.05.01", "2019-05-01"},
		{"2019年5月1日", "2019-05-01"},
		{"2019年05月01日", "2019-05-01"},
		{"2019年5月1号", "2019-05-01"},
		{"2019 年 5 月 1 日", "2019-05-01"},
		{"2019年5月", "2019-05-01"},
		{"2019年12月份", "2019-12-01"},
		{"2019.05", "2019-05-01"},
		{"2019.10", "2019-10-01"},
		{"2019.5", "2019-05-01"},
		{"2019-05", "2019-05-01"},
		{"2019/5", "2019-05-01"},
		{"201905", "2019-05-01"},
		{"20190501", "2019-05-01"},
		{"２０１９／５／１", "2019-05-01"},
		{"２０１９－０５－０１", "2019-05-01"},
		{"２０１９年５月１日", "2019-05-01"},
		{"  2019-05-01 ", "2019-05-01"},
		{"\u30002019-05-01\u00a0", "2019-05-01"},
		{"\u200b2019-05-01", "2019-05-01"},
		{"2019-05-01 00:00:00", "2019-05-01"},
		{"2019/5/1 8:30", "2019-05-01"},
		{"2019-05-01 00:00:00.000", "2019-05-01"},
		{"2019-05-01T00:00:00", "2019-05-01"},
		{"2023/1/9 8:30", "2023-01-09"},
		{"2023-01-09 23:59:59", "2023-01-09"},
		{"2023-01-09T08:30:00", "2023-01-09"},
		// An instant with its UTC offset is dated in the district (UTC+8): midnight UTC is
		// 08:00 the same day, and local midnight stored as UTC is 16:00 of the day before.
		{"2023-01-09T00:00:00.000Z", "2023-01-09"},
		{"2023-01-08T16:00:00.000Z", "2023-01-09"},
		{"2023-01-08T15:59:59.999Z", "2023-01-08"},
		{"2023-01-09T00:00:00Z", "2023-01-09"},
		{"2023-01-09T00:00Z", "2023-01-09"},
		{"2023-01-08T16:00:00,000Z", "2023-01-09"},
		{"2023-01-09T00:00:00+08:00", "2023-01-09"},
		{"2023-01-09T07:00:00+0800", "2023-01-09"},
		{"2023-01-08T23:00:00-05:00", "2023-01-09"},
		{"2023-01-08 16:00:00+00", "2023-01-09"},
		{"20230108T160000Z", "2023-01-09"},
		{"２０２３－０１－０８Ｔ１６：００：００Ｚ", "2023-01-09"},
		{"1991-06-30T16:00:00Z", "1991-07-01"}, // China kept summer time until 1991: 01:00 local
		{"2020-02-29", "2020-02-29"},
		{"1949-10-01", "1949-10-01"},
		{"19491001", "1949-10-01"},
	}
	for _, c := range valid {
		d, err := parseDateCell(c.in, false)
		if err != nil || d.String() != c.want {
			t.Errorf("parseDateCell(%q) = %v, %v; want %s", c.in, d, err, c.want)
		}
	}
	invalid := []struct {
		in   string
		want []string
	}{
		{"2019-02-30", []string{"「2019-02-30」不是有效日期", "2019年2月没有30日", "请写成 2019-05-01、2019/5/1 或 2019年5月1日"}},
		{"2019", []string{"「2019」只有年份", "2019-05"}},
		{"2019.1", []string{"无法确定月份", "2019-10"}},
		{"2019. 1", []string{"无法确定月份"}},
		{"12345", []string{"不是有效日期", "1950"}},
		{"73416", []string{"不是有效日期"}},
		{"abc", []string{"「abc」不是有效日期", "请写成"}},
		{"2019-13-01", []string{"没有 13 月"}},
		{"201913", []string{"没有 13 月"}},
		{"20190230", []string{"没有30日"}},
		{"1800-01-01", []string{"年份不在 1900 至 2100 年之间"}},
		{"2019年", nil},
		{"19-5-1", nil},
		{"5/1/2019", nil},
		{"2019/5-1", nil},
		{"2019-05-01-02", nil},
		{"2019-05-01 上午", nil},
		{"-43586", nil},
		{"0", nil},
		{"0.5", nil},
		{"2019-0-1", nil},
		{"2019-5-0", nil},
		{"2019-5-123", nil},
		{"2019.05.01.", nil},
		{"2019-05-01 是购入日", nil},
		{"2019-05-01、2019-06-01", nil},
		{"2023-01-09T25:00:00Z", []string{"不是有效日期"}},
		{"1800-01-01T00:00:00Z", []string{"年份不在 1900 至 2100 年之间"}},
		{"2023-01-09T00:00:00+", nil},
		{"2023-01-09Z", nil},
	}
	for _, c := range invalid {
		d, err := parseDateCell(c.in, false)
		if err == nil {
			t.Errorf("parseDateCell(%q) = %v, want an error", c.in, d)
			continue
		}
		checkCellError(t, c.in, err, c.want...)
	}
	for _, in := range []string{"", "   ", "\u3000", "\u200b", "\n"} {
		if _, err := parseDateCell(in, false); !errors.Is(err, errBlankCell) {
			t.Errorf("parseDateCell(%q): %v, want errBlankCell", in, err)
		}
	}
}

// A workbook in the 1904 date system (older Mac Excel) counts serial days from 1904-01-01:
// the same number is a day 1,462 days later than in the 1900 system, and text dates do not
// depend on the system.
func TestParseDateCell1904(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"42124": "2019-05-01", "42124.75": "2019-05-01", "16802": "1950-01-01", "71953": "2100-12-31",
		"0": "", "59": "", "16801": "", "71954": "",
		"2019-05-01": "2019-05-01", "2019年5月1日": "2019-05-01", "201905": "2019-05-01", "20190501": "2019-05-01",
	} {
		d, err := parseDateCell(in, true)
		switch {
		case want == "" && err == nil:
			t.Errorf("parseDateCell(%q, 1904) = %v, want an error", in, d)
		case want == "":
			checkCellError(t, in, err, "不是有效日期")
		case err != nil || d.String() != want:
			t.Errorf("parseDateCell(%q, 1904) = %v, %v; want %s", in, d, err, want)
		}
	}
	if d, err := parseDateCell("42124", false); err != nil || d.String() != "2015-04-30" {
		t.Errorf("parseDateCell(42124, 1900) = %v, %v; want 2015-04-30", d, err)
	}
}

func TestParseMoneyCell(t *testing.T) {
	t.Parallel()
	valid := []struct {
		in    string
		scale int64
		want  models.Money
	}{
		{"4999", 1, 499900},
		{"4999.00", 1, 499900},
		{"4,999.00", 1, 499900},
		{"1,234,567.89", 1, 123456789},
		{"￥4,999.00", 1, 499900},
		{"¥4999", 1, 499900},
		{"RMB 4999", 1, 499900},
		{"rmb4999", 1, 499900},
		{"4999元", 1, 499900},
		{"4999 元", 1, 499900},
		{"4999元整", 1, 499900},
		{"0.1", 1, 10},
		{"0.2", 1, 20},
		{"0.3", 1, 30},
		{"4999.9899999999998", 1, 499999},
		{"0.30000000000000004", 1, 30},
		{"1.2", 10000, 1200000},
		{"1.2万元", 1, 1200000},
		{"1.2万", 1, 1200000},
		{"1.23456", 10000, 1234560},
		{"0.000001", 10000, 1},
		{"5000元", 10000, 500000},
		{"(1,234.50)", 1, -123450},
		{"（12.50）", 1, -1250},
		{"(12.50)", 1, -1250},
		{"(¥12.50)", 1, -1250},
		{"¥(12.50)", 1, -1250},
		{"-12.5", 1, -1250},
		{"-¥12", 1, -1200},
		{"¥-12", 1, -1200},
		{"+12", 1, 1200},
		{"－12.5", 1, -1250},
		{"−12.5", 1, -1250},
		{"-", 1, 0},
		{"—", 1, 0},
		{"——", 1, 0},
		{"－", 1, 0},
		{"1.2E+5", 1, 12000000},
		{"1.2e5", 1, 12000000},
		{"4.99999E3", 1, 499999},
		{"1E-2", 1, 1},
		{"5E-3", 1, 1},
		{"1E-300", 1, 0},
		{"１２，３４５．６７元", 1, 1234567},
		{"￥１２，３４５．６７", 1, 1234567},
		{"0.005", 1, 1},
		{"0.0049", 1, 0},
		{"-0.005", 1, -1},
		{"2.675", 1, 268},
		{"12.", 1, 1200},
		{".5", 1, 50},
		{"-0", 1, 0},
		{"00012", 1, 1200},
		{"10000000000000", 1, 1_000_000_000_000_000},
		{"1000000000", 10000, 1_000_000_000_000_000},
		{" 4999.00 ", 1, 499900},
		{"\u30004999\u00a0", 1, 499900},
		{"4999", 0, 499900},
	}
	for _, c := range valid {
		m, err := parseMoneyCell(c.in, c.scale)
		if err != nil || m != c.want {
			t.Errorf("parseMoneyCell(%q, %d) = %d, %v; want %d", c.in, c.scale, m, err, c.want)
		}
	}
	// Exact decimal arithmetic: amounts add up the way the clerk's ledger does.
	a, _ := parseMoneyCell("0.1", 1)
	b, _ := parseMoneyCell("0.2", 1)
	if a+b != 30 {
		t.Errorf("0.1 + 0.2 = %d fen", a+b)
	}

	invalid := []struct {
		in   string
		want []string
	}{
		{"abc", []string{"「abc」不是有效金额", "4,999.00"}},
		{"12a", []string{"不是有效金额"}},
		{"12 34", []string{"「12 34」包含多个数字"}},
		{"100/200", []string{"包含多个数字"}},
		{"100、200", []string{"包含多个数字"}},
		{"1,2345", []string{"千位分隔符"}},
		{"1,23", []string{"千位分隔符"}},
		{"1,234.5,6", nil},
		{"10000000000000.01", []string{"金额过大"}},
		{"1E20", []string{"金额过大"}},
		{"1E999", nil},
		{"10000000000001", []string{"金额过大"}},
		{"１０００００００００００００１", []string{"金额过大"}},
		{"(-12)", nil},
		{"--12", nil},
		{"¥", nil},
		{"元", nil},
		{"1e", nil},
		{"1.2.3", nil},
		{"NaN", nil},
		{"Inf", nil},
		{"0x10", nil},
		{"12%", nil},
		{"约5000", nil},
		{"(12.50", nil},
		{strings.Repeat("9", 50), nil},
	}
	for _, c := range invalid {
		m, err := parseMoneyCell(c.in, 1)
		if err == nil {
			t.Errorf("parseMoneyCell(%q) = %d, want an error", c.in, m)
			continue
		}
		checkCellError(t, c.in, err, c.want...)
	}
	for _, in := range []string{"", "  ", "\u3000\u200b"} {
		if _, err := parseMoneyCell(in, 1); !errors.Is(err, errBlankCell) {
			t.Errorf("parseMoneyCell(%q): %v, want errBlankCell", in, err)
		}
	}
}

func TestParseQuantityCell(t *testing.T) {
	t.Parallel()
	valid := []struct {
		in   string
		want int
	}{
		{"20", 20}, {"20.0", 20}, {"20.00", 20}, {"２０", 20}, {"20台", 20}, {"20 把", 20},
		{"20台套", 20}, {"1,000", 1000}, {"+3", 3}, {"1", 1}, {" 7 ", 7}, {"2E1", 20},
		{"1000000", 1000000},
	}
	for _, c := range valid {
		n, err := parseQuantityCell(c.in)
		if err != nil || n != c.want {
			t.Errorf("parseQuantityCell(%q) = %d, %v; want %d", c.in, n, err, c.want)
		}
	}
	invalid := []struct {
		in   string
		want []string
	}{
		{"0", []string{"「0」", "至少为 1"}},
		{"-3", []string{"「-3」是负数", "正整数"}},
		{"1.5", []string{"「1.5」不是整数"}},
		{"abc", []string{"「abc」不是有效数量"}},
		{"台", nil},
		{"一台", nil},
		{"20台套件组", nil},
		{"20 30", nil},
		{"2000000", []string{"数量过大"}},
		{"99999999999999999999", []string{"数量过大"}},
	}
	for _, c := range invalid {
		n, err := parseQuantityCell(c.in)
		if err == nil {
			t.Errorf("parseQuantityCell(%q) = %d, want an error", c.in, n)
			continue
		}
		checkCellError(t, c.in, err, c.want...)
	}
	if _, err := parseQuantityCell(" "); !errors.Is(err, errBlankCell) {
		t.Errorf("blank quantity: %v", err)
	}
}

func TestParseUsageAndConditionCell(t *testing.T) {
	t.Parallel()
	usage := map[string]models.UsageStatus{
		"在用": models.UsageInUse, " 闲置 ": models.UsageIdle, "在 用": models.UsageInUse,
		"闲\u3000置": models.UsageIdle, "ｉｄｌｅ": models.UsageIdle, "IDLE": models.UsageIdle,
		"使用中": models.UsageInUse, "出租": models.UsageLeased, "待报废": models.UsagePendingDisposal,
		"维修中\n": models.UsageUnderRepair, "其他": models.UsageOther,
	}
	for in, want := range usage {
		if got, err := parseUsageCell(in); err != nil || got != want {
			t.Errorf("parseUsageCell(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	_, err := parseUsageCell("坏了")
	checkCellError(t, "坏了", err, "「坏了」不是有效的使用状况", "在用、闲置、出租、出借、待处置、维修中 或 其他")
	if _, err := parseUsageCell("\u3000"); !errors.Is(err, errBlankCell) {
		t.Errorf("blank usage: %v", err)
	}

	cond := map[string]models.Condition{
		"全新": models.ConditionNew, "完好": models.ConditionUsable, " 需维修": models.ConditionRepairable,
		"仅残值": models.ConditionSalvage, "报 废": models.ConditionScrap, "良好": models.ConditionUsable,
		"ＳＣＲＡＰ": models.ConditionScrap,
	}
	for in, want := range cond {
		if got, err := parseConditionCell(in); err != nil || got != want {
			t.Errorf("parseConditionCell(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	_, err = parseConditionCell("八成新")
	checkCellError(t, "八成新", err, "「八成新」不是有效的完好程度", "全新、完好、需维修、仅残值 或 报废")
	if _, err := parseConditionCell(""); !errors.Is(err, errBlankCell) {
		t.Errorf("blank condition: %v", err)
	}
}

func TestCleanText(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"台式计算机", "台式计算机"},
		{" a  b ", "a b"},
		{"原值\n（元）", "原值 （元）"},
		{"\u3000张三\u00a0", "张三"},
		{"\u200b资产\u200b编号\ufeff", "资产编号"},
		{"ＡＢＣ１２３", "ＡＢＣ１２３"},
		{"a\tb\r\nc", "a b c"},
		{"a\u3000\u3000b", "a b"},
		{"a\x00b\x07", "ab"},
		{"", ""},
		{" ", ""},
		{"Dell OptiPlex 7090", "Dell OptiPlex 7090"},
	}
	for _, c := range cases {
		if got := cleanText(c.in); got != c.want {
			t.Errorf("cleanText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// normTestCategories is a slice of the 2022 table with one name shared by two codes.
func normTestCategories() []models.Category {
	return []models.Category{
		{Code: "A02010000", Name: "信息化设备"},
		{Code: "A02010100", Name: "计算机"},
		{Code: "A02010105", Name: "台式计算机"},
		{Code: "A02010108", Name: "便携式计算机"},
		{Code: "A02021004", Name: "A4彩色打印机"},
		{Code: "A05010301", Name: "办公椅"},
		{Code: "A05010399", Name: "办公椅"},
	}
}

func TestCategoryIndexResolve(t *testing.T) {
	t.Parallel()
	ix := newCategoryIndex(normTestCategories())
	valid := []struct{ in, want string }{
		{"A02010105", "A02010105"},
		{"a02010105", "A02010105"},
		{"A020 10105", "A02010105"},
		{"Ａ０２０１０１０５", "A02010105"},
		{" A02010105\u3000", "A02010105"},
		{"台式计算机", "A02010105"},
		{" 台式 计算机 ", "A02010105"},
		{"A02010105 台式计算机", "A02010105"},
		{"A02010105-台式计算机", "A02010105"},
		{"A02010105—台式计算机", "A02010105"},
		{"A02010105台式计算机", "A02010105"},
		{"A020 10105 台式计算机", "A02010105"},
		{"台式计算机(A02010105)", "A02010105"},
		{"台式计算机（A02010105）", "A02010105"},
		{"A4彩色打印机", "A02021004"},
		{"a4彩色打印机", "A02021004"},
		{"A02021004 A4彩色打印机", "A02021004"},
		{"2010000 台式计算机", "A02010105"}, // old code, known name
		{"A02010105 电脑", "A02010105"},  // the code decides
		{"计算机", "A02010100"},
		{"A05010301 办公椅", "A05010301"},
	}
	for _, c := range valid {
		got, err := ix.resolve(c.in)
		if err != nil || got != c.want {
			t.Errorf("resolve(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	invalid := []struct {
		in   string
		want []string
	}{
		{"2010000", []string{"「2010000」不在分类表中", "2010 版", "2022 版代码", "分类名称", "管理员导入"}},
		{"2010000 计算机设备及软件", []string{"「2010000」不在分类表中", "2010 版"}},
		{"A09999999", []string{"「A09999999」不在分类表中", "管理员导入"}},
		{"A09999999 电脑", []string{"「A09999999」不在分类表中"}},
		{"电脑", []string{"「电脑」不是分类表中的分类代码或名称", "A02010105"}},
		{"办公椅", []string{"「办公椅」对应多个分类", "A05010301、A05010399", "分类代码"}},
		{"电脑(A02)", nil},
	}
	for _, c := range invalid {
		got, err := ix.resolve(c.in)
		if err == nil {
			t.Errorf("resolve(%q) = %q, want an error", c.in, got)
			continue
		}
		checkCellError(t, c.in, err, c.want...)
	}
	if _, err := ix.resolve(" "); !errors.Is(err, errBlankCell) {
		t.Errorf("blank category: %v", err)
	}
	if _, err := newCategoryIndex(nil).resolve("A02010105"); err == nil {
		t.Error("empty table resolved a code")
	}
}
