package app

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"assetpool/models"
)

// standardsFixture is unit A with 10 staff, unit B with none, the seeded central standards
// and an administrator.
type standardsFixture struct {
	*registerFixture
	clk   *clock
	admin *models.User
}

func newStandardsFixture(t *testing.T) *standardsFixture {
	t.Helper()
	a, clk := openTest(t)
	ctx := context.Background()
	fx := &standardsFixture{registerFixture: &registerFixture{a: a}, clk: clk}
	fx.unitA = &models.Unit{Code: "JF", Name: "经济发展局", Staff: 10}
	fx.unitB = &models.Unit{Code: "XR", Name: "兴仁街道"}
	for _, u := range []*models.Unit{fx.unitA, fx.unitB} {
		if err := a.CreateUnit(ctx, nil, u); err != nil {
			t.Fatal(err)
		}
	}
	fx.clerkA = &models.User{Username: "jingfa", Role: models.RoleClerk, UnitID: &fx.unitA.ID, Active: true}
	fx.finance = &models.User{Username: "caizheng", Role: models.RoleFinance, Active: true}
	fx.admin = &models.User{Username: "admin", Role: models.RoleAdmin, Active: true}
	for _, u := range []*models.User{fx.clerkA, fx.finance, fx.admin} {
		if err := a.CreateUser(ctx, nil, u, "password-123"); err != nil {
			t.Fatal(err)
		}
	}
	return fx
}

// check runs the standards check of a request of unit.
func (fx *standardsFixture) check(t *testing.T, unit *models.Unit, r models.PurchaseRequest) *models.StandardsCheck {
	t.Helper()
	r.UnitID = unit.ID
	if r.Name == "" {
		r.Name = "台式计算机"
	}
	if r.CategoryCode == "" {
		r.CategoryCode = "A02010105"
	}
	if r.Quantity == 0 {
		r.Quantity = 1
	}
	c, err := fx.a.checkStandards(fx.a.read.WithContext(context.Background()), &r, unit)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// load imports a standards CSV as the administrator.
func (fx *standardsFixture) load(t *testing.T, csv string) *StandardImport {
	t.Helper()
	res, err := fx.a.ImportStandards(context.Background(), fx.admin, strings.NewReader(csv))
	if err != nil {
		t.Fatalf("import standards: %v", err)
	}
	return res
}

func findingCodes(c *models.StandardsCheck) []string {
	out := []string{}
	for _, f := range c.Findings {
		out = append(out, f.Code)
	}
	return out
}

func findingMessage(c *models.StandardsCheck, code string) string {
	for _, f := range c.Findings {
		if f.Code == code {
			return f.Message
		}
	}
	return ""
}

func TestStandardsPriceCap(t *testing.T) {
	t.Parallel()
	fx := newStandardsFixture(t)
	if c := fx.check(t, fx.unitA, models.PurchaseRequest{UnitPrice: 500000}); !c.OK || len(c.Findings) != 0 || c.Standard == nil || c.Standard.Jurisdiction != "中央" {
		t.Errorf("at the cap: %+v", c)
	}
	c := fx.check(t, fx.unitA, models.PurchaseRequest{UnitPrice: 520000})
	if c.OK || !slices.Equal(findingCodes(c), []string{models.FindingPriceOverCap}) ||
		!strings.Contains(findingMessage(c, models.FindingPriceOverCap), "¥5,200.00 超过配置标准上限 ¥5,000.00") {
		t.Errorf("over the cap: %+v", c)
	}
}

// TestStandardsQuantityCapByStaffPercent: idle stock counts, stock awaiting disposal does not,
// and the cards a request replaces leave the stock.
func TestStandardsQuantityCapByStaffPercent(t *testing.T) {
	t.Parallel()
	fx := newStandardsFixture(t)
	fx.card(t, fx.unitA, models.Asset{AssetNo: "D-1", Name: "台式计算机", Quantity: 6})
	fx.card(t, fx.unitA, models.Asset{AssetNo: "D-2", Name: "台式计算机", Quantity: 2, UsageStatus: models.UsageIdle})
	fx.card(t, fx.unitA, models.Asset{AssetNo: "D-3", Name: "台式计算机", Quantity: 5, UsageStatus: models.UsagePendingDisposal})
	fx.card(t, fx.unitA, models.Asset{AssetNo: "L-1", Name: "便携式计算机", CategoryCode: "A02010108", Quantity: 9})
	// 100% of 10 staff: 8 desktops + 2 fit, + 3 do not.
	if c := fx.check(t, fx.unitA, models.PurchaseRequest{Quantity: 2}); !c.OK {
		t.Errorf("up to the cap: %+v", c)
	}
	c := fx.check(t, fx.unitA, models.PurchaseRequest{Quantity: 3})
	if msg := findingMessage(c, models.FindingQuantityOverCap); c.OK || !strings.Contains(msg, "现有台式计算机 8 件（含闲置）加本次 3 件，超过按编制 10 人核定的上限 10 件") {
		t.Errorf("over the cap: %+v", c)
	}
	// Replacing two cards of one piece each: the stock stays within the cap.
	old1 := fx.card(t, fx.unitA, models.Asset{AssetNo: "D-4", Name: "台式计算机", AcquiredOn: models.Date{Year: 2016, Month: 1, Day: 1}})
	old2 := fx.card(t, fx.unitA, models.Asset{AssetNo: "D-5", Name: "台式计算机", AcquiredOn: models.Date{Year: 2016, Month: 1, Day: 1}})
	if c := fx.check(t, fx.unitA, models.PurchaseRequest{Quantity: 2, Replaces: []uint{old1.ID, old2.ID}}); !c.OK {
		t.Errorf("replacing at the cap: %+v", c)
	}
	c = fx.check(t, fx.unitA, models.PurchaseRequest{Quantity: 3, Replaces: []uint{old1.ID}})
	if msg := findingMessage(c, models.FindingQuantityOverCap); !strings.Contains(msg, "现有台式计算机 10 件（含闲置）加本次 3 件、减去拟替换的 1 件") {
		t.Errorf("replacing over the cap: %+v", c)
	}
}

func TestStandardsQuantityCapByStaffPerItem(t *testing.T) {
	t.Parallel()
	fx := newStandardsFixture(t)
	fx.load(t, "jurisdiction,category_code,item_name,price_cap,staff_per_item\n中央,A02021301,碎纸机,800,5\n")
	fx.card(t, fx.unitA, models.Asset{AssetNo: "S-1", Name: "碎纸机", CategoryCode: "A02021301"})
	// One per 5 of 10 staff: 2 in all.
	if c := fx.check(t, fx.unitA, models.PurchaseRequest{Name: "碎纸机", CategoryCode: "A02021301", Quantity: 1, UnitPrice: 60000}); !c.OK {
		t.Errorf("within: %+v", c)
	}
	c := fx.check(t, fx.unitA, models.PurchaseRequest{Name: "碎纸机", CategoryCode: "A02021301", Quantity: 2, UnitPrice: 90000})
	if !slices.Equal(findingCodes(c), []string{models.FindingPriceOverCap, models.FindingQuantityOverCap}) ||
		!strings.Contains(findingMessage(c, models.FindingQuantityOverCap), "上限 2 件") {
		t.Errorf("over: %+v", c)
	}
}

func TestStandardsWithoutStaff(t *testing.T) {
	t.Parallel()
	fx := newStandardsFixture(t)
	fx.card(t, fx.unitB, models.Asset{AssetNo: "D-1", Name: "台式计算机", Quantity: 3})
	c := fx.check(t, fx.unitB, models.PurchaseRequest{})
	if c.OK || !slices.Equal(findingCodes(c), []string{models.FindingNoStaff}) || !strings.Contains(c.Findings[0].Message, "现有 3 件") {
		t.Errorf("no staff: %+v", c)
	}
}

func TestStandardsReplacingYoungCards(t *testing.T) {
	t.Parallel()
	fx := newStandardsFixture(t)
	young := fx.card(t, fx.unitA, models.Asset{AssetNo: "D-1", Name: "台式计算机", AcquiredOn: models.Date{Year: 2022, Month: 1, Day: 5}})
	old := fx.card(t, fx.unitA, models.Asset{AssetNo: "D-2", Name: "台式计算机", AcquiredOn: models.Date{Year: 2019, Month: 11, Day: 1}})
	c := fx.check(t, fx.unitA, models.PurchaseRequest{Replaces: []uint{young.ID, old.ID}})
	if !slices.Equal(findingCodes(c), []string{models.FindingReplacesYoung}) ||
		!strings.Contains(c.Findings[0].Message, "D-1 台式计算机 已使用 4 年 10 个月，未满最低使用年限 6 年") {
		t.Errorf("young card: %+v", c)
	}
	// Without a standard the category's own minimum life applies (A02091001 电视机: 5 years).
	tv := fx.card(t, fx.unitA, models.Asset{AssetNo: "TV-1", Name: "电视机", CategoryCode: "A02091001", AcquiredOn: models.Date{Year: 2023, Month: 1, Day: 1}})
	c = fx.check(t, fx.unitA, models.PurchaseRequest{Name: "电视机", CategoryCode: "A02091001", Replaces: []uint{tv.ID}})
	if !slices.Equal(findingCodes(c), []string{models.FindingReplacesYoung, models.FindingNoStandard}) || !strings.Contains(c.Findings[0].Message, "最低使用年限 5 年") {
		t.Errorf("young card without a standard: %+v", c)
	}
}

// TestStandardsNoStandard: a category no standard covers, and a standard of another
// jurisdiction than the configured one, are reported as no standard.
func TestStandardsNoStandard(t *testing.T) {
	t.Parallel()
	fx := newStandardsFixture(t)
	fx.load(t, "适用地区,分类代码,品目名称,价格上限（元）\n某省,A02091001,电视机,3000\n")
	c := fx.check(t, fx.unitA, models.PurchaseRequest{Name: "电视机", CategoryCode: "A02091001", UnitPrice: 900000})
	if c.OK || c.Standard != nil || !slices.Equal(findingCodes(c), []string{models.FindingNoStandard}) || !strings.Contains(c.Findings[0].Message, "（中央）") {
		t.Errorf("no standard: %+v", c)
	}
}

// TestStandardsNewestVersionInForceWins: a new version replaces the old at once; one dated
// ahead waits for its day.
func TestStandardsNewestVersionInForceWins(t *testing.T) {
	t.Parallel()
	fx := newStandardsFixture(t)
	fx.load(t, "适用地区,分类代码,品目名称,价格上限（元）,数量上限（占编制人数%）\n中央,A02010105,台式计算机,6000,100%\n")
	fx.load(t, "适用地区,分类代码,品目名称,价格上限（元）,数量上限（占编制人数%）,执行日期\n中央,A02010105,台式计算机,4000,100,2027-01-01\n")
	c := fx.check(t, fx.unitA, models.PurchaseRequest{UnitPrice: 550000})
	if !c.OK || c.Standard.Version != 2 {
		t.Errorf("version 2 should apply: %+v", c)
	}
	fx.clk.advance(40 * 24 * time.Hour) // 2027-01-08
	c = fx.check(t, fx.unitA, models.PurchaseRequest{UnitPrice: 550000})
	if c.OK || c.Standard.Version != 3 || !strings.Contains(findingMessage(c, models.FindingPriceOverCap), "¥4,000.00") {
		t.Errorf("version 3 should apply: %+v", c)
	}
}

// TestStandardsClassCoversItsItems: the printer class standard covers every printer and counts
// them all; an item's own standard comes before its class's.
func TestStandardsClassCoversItsItems(t *testing.T) {
	t.Parallel()
	fx := newStandardsFixture(t)
	fx.card(t, fx.unitA, models.Asset{AssetNo: "P-1", Name: "打印机", CategoryCode: "A02021000", Quantity: 4})
	fx.card(t, fx.unitA, models.Asset{AssetNo: "P-2", Name: "A4彩色打印机", CategoryCode: "A02021004", Quantity: 3})
	// 80% of 10 staff: 8 printers; 7 held.
	c := fx.check(t, fx.unitA, models.PurchaseRequest{Name: "A4彩色打印机", CategoryCode: "A02021004", Quantity: 2, UnitPrice: 100000})
	if c.Standard == nil || c.Standard.CategoryCode != "A02021000" || !slices.Equal(findingCodes(c), []string{models.FindingQuantityOverCap}) ||
		!strings.Contains(c.Findings[0].Message, "现有打印机（A4黑白） 7 件") {
		t.Errorf("class standard: %+v", c)
	}
	fx.load(t, "jurisdiction,category_code,item_name,price_cap\n中央,A02021004,A4彩色打印机,2500\n")
	c = fx.check(t, fx.unitA, models.PurchaseRequest{Name: "A4彩色打印机", CategoryCode: "A02021004", Quantity: 2, UnitPrice: 200000})
	if !c.OK || c.Standard.CategoryCode != "A02021004" {
		t.Errorf("item standard: %+v", c)
	}
}

func TestImportStandardsAddsVersions(t *testing.T) {
	t.Parallel()
	fx := newStandardsFixture(t)
	ctx := context.Background()
	csv := "说明：配置标准（金额单位：元）\n" +
		"适用地区,分类代码,品目名称,价格上限（元）,最低使用年限,数量上限（占编制人数%）,数量上限（每N人一台）,执行日期,依据,备注\n" +
		"中央,A02010105,台式计算机,\"5,500\",6年,100%,,2026/1/1,财资〔2016〕27号,调整\n" +
		"\n" +
		"某省,a0201 0108,便携式计算机,0.65万元,6,50,,,,\n" +
		"中央,A05010502,文件柜,1000,20,,1,,,\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	res, err := fx.a.ImportStandards(ctx, fx.admin, bytes.NewReader(gbk))
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 3 {
		t.Fatalf("added %d", res.Added)
	}
	want := []models.Standard{
		{Jurisdiction: "中央", CategoryCode: "A02010105", ItemName: "台式计算机", Version: 2, PriceCap: 550000, MinYears: 6, StaffPercent: 100,
			EffectiveFrom: models.Date{Year: 2026, Month: 1, Day: 1}, Source: "财资〔2016〕27号", Note: "调整"},
		{Jurisdiction: "某省", CategoryCode: "A02010108", ItemName: "便携式计算机", Version: 1, PriceCap: 650000, MinYears: 6, StaffPercent: 50},
		{Jurisdiction: "中央", CategoryCode: "A05010502", ItemName: "文件柜", Version: 2, PriceCap: 100000, MinYears: 20, StaffPerItem: 1},
	}
	for i, w := range want {
		g := res.Items[i]
		w.ID, w.CreatedAt = g.ID, g.CreatedAt
		if g != w || g.ID == 0 {
			t.Errorf("standard %d = %+v, want %+v", i, g, w)
		}
	}
	evs, err := fx.a.ListAudit(ctx, AuditFilter{Entity: "standard"})
	if err != nil || len(evs) != 1 || evs[0].Action != "standard.import" || evs[0].Actor != "admin" {
		t.Errorf("audit: %+v %v", evs, err)
	}

	// The list: the configured jurisdiction first, newest version first, with its status.
	list, err := fx.a.ListStandards(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if list.Jurisdiction != "中央" || list.Total != 8 {
		t.Fatalf("list: %s, %d items", list.Jurisdiction, list.Total)
	}
	var got []string
	for _, s := range list.Items {
		got = append(got, fmt.Sprintf("%s %s v%d %s", s.Jurisdiction, s.CategoryCode, s.Version, s.StatusLabel))
	}
	wantList := []string{
		"中央 A02010105 v2 现行", "中央 A02010105 v1 已替代", "中央 A02010108 v1 现行", "中央 A02021000 v1 现行",
		"中央 A05010301 v1 现行", "中央 A05010502 v2 现行", "中央 A05010502 v1 已替代", "某省 A02010108 v1 现行",
	}
	if !slices.Equal(got, wantList) {
		t.Errorf("list:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantList, "\n"))
	}
	if s := list.Items[0]; !s.InForce || !s.Applied || s.CategoryName != "台式计算机" {
		t.Errorf("first item: %+v", s)
	}
	if s := list.Items[7]; !s.InForce || s.Applied {
		t.Errorf("another jurisdiction's: %+v", s)
	}

	// A version dated ahead is 未生效 and the one before stays in force.
	fx.load(t, "jurisdiction,category_code,item_name,price_cap,effective_from\n中央,A02010105,台式计算机,4500,2027-07-01\n")
	list, _ = fx.a.ListStandards(ctx)
	if s := list.Items[:3]; s[0].Status != StandardPending || s[0].Version != 3 || s[1].Status != StandardInForce || s[2].Status != StandardSuperseded {
		t.Errorf("pending version: %+v", s)
	}
}

// TestImportStandardsAllOrNothing: every bad row is named with its row number and column;
// nothing is stored.
func TestImportStandardsAllOrNothing(t *testing.T) {
	t.Parallel()
	fx := newStandardsFixture(t)
	ctx := context.Background()
	csv := "适用地区,分类代码,品目名称,价格上限（元）,最低使用年限,数量上限（占编制人数%）,数量上限（每N人一台）,执行日期\n" +
		"中央,A02010105,台式计算机,5000,6,100,,\n" +
		",Z9999,未知,abc,六,,,\n" +
		"中央,A02010108,便携式计算机,7000,6,50,2,2026-13-01\n" +
		"中央,A02010105,台式计算机,5200,6,100,,\n"
	_, err := fx.a.ImportStandards(ctx, fx.admin, strings.NewReader(csv))
	msg := models.ErrorMessage(err)
	if models.ErrorCode(err) != models.EInvalid {
		t.Fatalf("bad file: %v", err)
	}
	for _, want := range []string{
		"有 6 处错误，整个文件未导入",
		"第 3 行“适用地区”列：适用地区为空",
		"第 3 行“分类代码”列：分类代码「Z9999」不在分类表中",
		"第 3 行“价格上限（元）”列：「abc」不是有效金额",
		"第 3 行“最低使用年限”列：「六」不是有效的数字",
		"第 4 行“执行日期”列：「2026-13-01」",
		"第 5 行：中央的分类 A02010105 与第 2 行重复",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	// Row 4 also gives both quantity caps: rows that read cleanly are validated as a whole.
	csv2 := "jurisdiction,category_code,item_name,staff_percent,staff_per_item\n中央,A02010108,便携式计算机,50,2\n"
	_, err = fx.a.ImportStandards(ctx, fx.admin, strings.NewReader(csv2))
	if !strings.Contains(models.ErrorMessage(err), "第 2 行：数量上限只能按编制人数比例或每若干人一台中的一种填写") {
		t.Errorf("both caps: %v", err)
	}
	list, _ := fx.a.ListStandards(ctx)
	if list.Total != len(centralStandards) {
		t.Errorf("%d standards after failed imports", list.Total)
	}
	for _, c := range []struct {
		csv, want string
	}{
		{"名称,代码\n台式,A02010105\n", "缺少表头"},
		{"category_code,item_name\nA02010105,台式计算机\n", "缺少“适用地区”"},
		{"jurisdiction,category_code,item_name\n", "没有数据行"},
	} {
		if _, err := fx.a.ImportStandards(ctx, fx.admin, strings.NewReader(c.csv)); !strings.Contains(models.ErrorMessage(err), c.want) {
			t.Errorf("%q: %v, want %q", c.csv, err, c.want)
		}
	}
}

func TestImportStandardsIsForAdministrators(t *testing.T) {
	t.Parallel()
	fx := newStandardsFixture(t)
	csv := "jurisdiction,category_code,item_name\n中央,A02010105,台式计算机\n"
	for _, who := range []*models.User{fx.clerkA, fx.finance} {
		if _, err := fx.a.ImportStandards(context.Background(), who, strings.NewReader(csv)); models.ErrorCode(err) != models.EForbidden {
			t.Errorf("%s: %v", who.Username, err)
		}
	}
}

// TestImportStandardsFromXLSX reads the English headers from a workbook, amounts as numbers.
func TestImportStandardsFromXLSX(t *testing.T) {
	t.Parallel()
	fx := newStandardsFixture(t)
	data := xlsxFile(t, sheetSpec{name: "标准", rows: [][]any{
		{"Jurisdiction", "Category_Code", "Item_Name", "Price_Cap", "Min_Years", "Staff_Percent", "Staff_Per_Item", "Effective_From", "Source", "Note"},
		{"中央", "A05010301", "办公椅", 800, 15, 100, nil, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "财资〔2016〕27号", "其他人员"},
	}})
	res, err := fx.a.ImportStandards(context.Background(), fx.admin, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	s := res.Items[0]
	if res.Added != 1 || s.Version != 2 || s.PriceCap != 80000 || s.MinYears != 15 || s.StaffPercent != 100 || s.EffectiveFrom != (models.Date{Year: 2026, Month: 1, Day: 1}) || s.Note != "其他人员" {
		t.Errorf("imported: %+v", s)
	}
}
