package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"assetpool/models"
)

func TestSeededCategories(t *testing.T) {
	a, _ := openTest(t)
	c, err := a.Category(context.Background(), "A02010105")
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "台式计算机" || c.MinYears != 6 || c.Level != 4 || c.ParentCode != "A02010100" {
		t.Fatalf("A02010105 = %+v", c)
	}
	top, _ := a.Category(context.Background(), "A05000000")
	if top.Level != 1 || top.ParentCode != "" {
		t.Fatalf("top class = %+v", top)
	}
}

func importFile(t *testing.T, a *App, path string) (*CategoryImport, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return a.ImportCategories(context.Background(), nil, f)
}

func TestImportCategoriesFromGBKAndBOMFiles(t *testing.T) {
	for _, file := range []string{"categories_gbk.csv", "categories_bom_semicolon.csv"} {
		t.Run(file, func(t *testing.T) {
			a, _ := openTest(t)
			res, err := importFile(t, a, filepath.Join("testdata", file))
			if err != nil {
				t.Fatal(err)
			}
			all, _ := a.ListCategories(context.Background())
			seed := bytes.Count(seedCategoriesCSV, []byte("\n")) - 1
			if len(all) != 8 || res.Added != 0 || res.Updated+res.Unchanged != 8 || res.Removed != seed-8 {
				t.Fatalf("after import: %d categories, result %+v", len(all), res)
			}
			c, err := a.Category(context.Background(), "A05010301")
			if err != nil || c.Name != "办公椅" || c.MinYears != 15 || c.Level != 3 {
				t.Fatalf("A05010301 = %+v, %v", c, err)
			}
			// Importing the same file again changes nothing.
			res, err = importFile(t, a, filepath.Join("testdata", file))
			if err != nil || res.Unchanged != 8 || res.Added+res.Updated+res.Removed != 0 {
				t.Fatalf("second import: %+v %v", res, err)
			}
		})
	}
}

func TestImportCategoriesFromXLSX(t *testing.T) {
	a, _ := openTest(t)
	x := excelize.NewFile()
	rows := [][]any{
		{"code", "name", "parent", "min_years"},
		{"A02000000", "设备", "", ""},
		{"A02010105", "台式计算机", "A02000000", 6},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		x.SetSheetRow("Sheet1", cell, &r)
	}
	path := filepath.Join(t.TempDir(), "cats.xlsx")
	if err := x.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	x.Close()
	if _, err := importFile(t, a, path); err != nil {
		t.Fatal(err)
	}
	c, err := a.Category(context.Background(), "A02010105")
	if err != nil || c.Level != 2 || c.MinYears != 6 {
		t.Fatalf("A02010105 = %+v %v", c, err)
	}
}

func TestImportCategoriesRejectsBadFilesWhole(t *testing.T) {
	cases := map[string]struct{ file, want string }{
		"missing parent": {"code,name,parent\nA1,甲,\nA2,乙,A9\n", "第 3 行：上级分类 A9 不在文件中"},
		"duplicate":      {"code,name\nA1,甲\nA1,乙\n", "第 3 行：分类代码 A1 与第 2 行重复"},
		"bad years":      {"code,name,min_years\nA1,甲,六\n", "第 2 行“最低使用年限”列"},
		"no header":      {"a,b\n1,2\n", "缺少表头"},
		"no name":        {"code,name\nA1,\n", "第 2 行：分类 A1 缺少名称"},
		"cycle":          {"code,name,parent\nA1,甲,A2\nA2,乙,A1\n", "循环"},
		"truncated xls":  {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", "已损坏"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			a, _ := openTest(t)
			before, _ := a.ListCategories(context.Background())
			_, err := a.ImportCategories(context.Background(), nil, strings.NewReader(c.file))
			if models.ErrorCode(err) != models.EInvalid || !strings.Contains(models.ErrorMessage(err), c.want) {
				t.Fatalf("error = %v, want invalid containing %q", err, c.want)
			}
			after, _ := a.ListCategories(context.Background())
			if len(after) != len(before) {
				t.Fatalf("table changed by a rejected file: %d → %d", len(before), len(after))
			}
		})
	}
}

func TestImportCategoriesKeepsCodesInUse(t *testing.T) {
	a, _ := openTest(t)
	ctx := context.Background()
	unit := &models.Unit{Code: "A", Name: "甲局"}
	a.CreateUnit(ctx, nil, unit)
	asset := models.Asset{UnitID: unit.ID, AssetNo: "1", Name: "电脑", CategoryCode: "A02010108", Quantity: 1,
		OriginalValue: 500000, AcquiredOn: models.Date{Year: 2020, Month: 1, Day: 1}, UsageStatus: models.UsageInUse, Condition: models.ConditionUsable}
	if err := a.db.Create(&asset).Error; err != nil {
		t.Fatal(err)
	}
	_, err := a.ImportCategories(ctx, nil, bytes.NewReader([]byte("code,name\nA02010105,台式计算机\n")))
	if models.ErrorCode(err) != models.EConflict || !strings.Contains(models.ErrorMessage(err), "A02010108") {
		t.Fatalf("error = %v", err)
	}
	if _, err := a.Category(ctx, "A02010108"); err != nil {
		t.Fatalf("category in use was removed: %v", err)
	}
}

func TestSniffDelimiterAndFormat(t *testing.T) {
	cases := map[string]rune{"a,b,c\n1,2,3": ',', "a;b;c\n": ';', "a\tb\tc\n": '\t', "\n\na;b\n": ';', "名称，数量\n": ','}
	for in, want := range cases {
		if got := sniffDelimiter([]byte(in)); got != want {
			t.Errorf("sniffDelimiter(%q) = %q, want %q", in, got, want)
		}
	}
	if sniffFormat([]byte("PK\x03\x04....")) != formatXLSX || sniffFormat([]byte("a,b")) != formatCSV {
		t.Error("sniffFormat is wrong")
	}
}

// TestCategoryCacheKeepsNoTableAnImportReplaced interleaves a load of the category table with an
// import: the load reads the old table, the import commits a new one and clears the cache, then
// the load finishes. The next reader must get the new table (depreciation runs on its lives),
// not the old one the late load would otherwise have stored.
func TestCategoryCacheKeepsNoTableAnImportReplaced(t *testing.T) {
	a, _ := openTest(t)
	ctx := context.Background()
	if got := mustCategoryTable(t, a)["A05010301"].LifeYears; got != 15 {
		t.Fatalf("办公椅 lives %d years in the seed table", got)
	}
	// An earlier import clears the cache, so that the next reader loads it.
	if _, err := a.ImportCategories(ctx, nil, bytes.NewReader(seedCategoriesCSV)); err != nil {
		t.Fatal(err)
	}
	read, resume := make(chan struct{}), make(chan struct{})
	var first atomic.Bool
	a.catsRead = func() {
		if first.CompareAndSwap(false, true) {
			close(read)
			<-resume
		}
	}
	loaded := make(chan map[string]categoryInfo, 1)
	go func() {
		tab, err := a.categoryTable(ctx)
		if err != nil {
			t.Error(err)
		}
		loaded <- tab
	}()
	select {
	case <-read:
	case <-time.After(10 * time.Second):
		t.Fatal("the load never read the table")
	}
	// The load holds the old table; the import commits 10 years for 办公椅 meanwhile.
	newTable := bytes.Replace(seedCategoriesCSV, []byte("A05010301,办公椅,A05010000,15,"), []byte("A05010301,办公椅,A05010000,10,"), 1)
	if bytes.Equal(newTable, seedCategoriesCSV) {
		t.Fatal("the seed table has no 办公椅 line to change")
	}
	if _, err := a.ImportCategories(ctx, nil, bytes.NewReader(newTable)); err != nil {
		t.Fatal(err)
	}
	close(resume)
	if got := (<-loaded)["A05010301"].LifeYears; got != 15 {
		t.Fatalf("the interleaved load read %d years: it did not read before the import", got)
	}
	if got := mustCategoryTable(t, a)["A05010301"].LifeYears; got != 10 {
		t.Errorf("after the import, the cached table gives 办公椅 %d years, want 10", got)
	}
}

func mustCategoryTable(t *testing.T, a *App) map[string]categoryInfo {
	t.Helper()
	m, err := a.categoryTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return m
}
