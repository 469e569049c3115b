package app

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"assetpool/models"
)

// seedCategoriesCSV is the sample category table (codes seen in public use of GB/T 14885-2022
// with their minimum useful lives), loaded into an empty database; administrators replace it.
//
//go:embed categories.csv
var seedCategoriesCSV []byte

func (a *App) seedCategories(ctx context.Context) error {
	var n int64
	if err := a.db.WithContext(ctx).Model(&models.Category{}).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	_, err := a.ImportCategories(ctx, nil, bytes.NewReader(seedCategoriesCSV))
	return err
}

// ListCategories returns the whole category table ordered by code.
func (a *App) ListCategories(ctx context.Context) ([]models.Category, error) {
	var cs []models.Category
	return cs, internal(a.read.WithContext(ctx).Order("code").Find(&cs).Error, "list categories")
}

// CategoryImport reports what ImportCategories changed.
type CategoryImport struct {
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Removed   int `json:"removed"`
}

// categoryHeaders maps the header names accepted in a category file to fields.
var categoryHeaders = map[string]string{
	"code": "code", "分类代码": "code", "代码": "code", "编码": "code", "分类编码": "code",
	"name": "name", "名称": "name", "分类名称": "name",
	"parent": "parent", "parent_code": "parent", "上级": "parent", "上级代码": "parent", "上级分类": "parent", "上级编码": "parent",
	"min_years": "min_years", "最低使用年限": "min_years", "使用年限": "min_years", "年限": "min_years",
	"note": "note", "备注": "note", "说明": "note",
}

// ImportCategories replaces the category table with the one in r (CSV or .xlsx with the columns
// code, name, parent, min_years, note or their Chinese names). It is all or nothing: a bad row,
// a parent missing from the file, or a code still used by an asset card but absent from the
// file rejects the whole file with the row number.
func (a *App) ImportCategories(ctx context.Context, actor *models.User, r io.Reader) (*CategoryImport, error) {
	rows, _, err := readTable(r)
	if err != nil {
		return nil, err
	}
	cats, err := parseCategoryRows(rows)
	if err != nil {
		return nil, err
	}
	res := &CategoryImport{}
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old []models.Category
		if err := tx.Find(&old).Error; err != nil {
			return internal(err, "load categories")
		}
		oldByCode := make(map[string]models.Category, len(old))
		for _, c := range old {
			oldByCode[c.Code] = c
		}
		newCodes := make(map[string]bool, len(cats))
		for _, c := range cats {
			newCodes[c.Code] = true
			if o, ok := oldByCode[c.Code]; !ok {
				res.Added++
			} else if o == c {
				res.Unchanged++
			} else {
				res.Updated++
			}
		}
		var gone []string
		for code := range oldByCode {
			if !newCodes[code] {
				gone = append(gone, code)
			}
		}
		sort.Strings(gone)
		if len(gone) > 0 {
			var used []string
			if err := tx.Model(&models.Asset{}).Distinct().Where("category_code IN ?", gone).Order("category_code").Pluck("category_code", &used).Error; err != nil {
				return internal(err, "check category use")
			}
			if len(used) > 0 {
				return models.Errorf(models.EConflict, "新分类表缺少仍被资产卡片使用的分类：%s。请在文件中保留这些分类后重新导入", strings.Join(used, "、"))
			}
			if err := tx.Where("code IN ?", gone).Delete(&models.Category{}).Error; err != nil {
				return internal(err, "delete categories")
			}
			res.Removed = len(gone)
		}
		for i := 0; i < len(cats); i += 500 {
			batch := cats[i:min(i+500, len(cats))]
			if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&batch).Error; err != nil {
				return internal(err, "save categories")
			}
		}
		return a.audit(tx, actor, "category.import", "category", "*", nil, nil, res)
	})
	if err != nil {
		return nil, err
	}
	a.dropCategoryTable()
	return res, nil
}

// parseCategoryRows turns table rows (a header row first) into categories with levels computed
// from the parent chain.
func parseCategoryRows(rows [][]string) ([]models.Category, error) {
	hdr := -1
	cols := map[string]int{}
	for i, row := range rows {
		cols = map[string]int{}
		for j, cell := range row {
			if f, ok := categoryHeaders[strings.ToLower(strings.ReplaceAll(cell, " ", ""))]; ok {
				cols[f] = j
			}
		}
		if _, ok := cols["code"]; ok {
			if _, ok := cols["name"]; ok {
				hdr = i
				break
			}
		}
		if i >= 10 {
			break
		}
	}
	if hdr < 0 {
		return nil, models.Errorf(models.EInvalid, "分类表缺少表头：需要“分类代码”(code) 和“名称”(name) 两列")
	}
	cell := func(row []string, field string) string {
		if j, ok := cols[field]; ok && j < len(row) {
			return strings.TrimSpace(row[j])
		}
		return ""
	}
	var cats []models.Category
	line := map[string]int{}
	for i := hdr + 1; i < len(rows); i++ {
		row, n := rows[i], i+1
		if strings.Join(row, "") == "" {
			continue
		}
		c := models.Category{Code: cell(row, "code"), Name: cell(row, "name"), ParentCode: cell(row, "parent"), Note: cell(row, "note")}
		if y := cell(row, "min_years"); y != "" {
			v, err := strconv.Atoi(y)
			if err != nil {
				return nil, models.Errorf(models.EInvalid, "第 %d 行“最低使用年限”列：%q 不是整数", n, y)
			}
			c.MinYears = v
		}
		if err := c.Validate(); err != nil {
			return nil, models.Errorf(models.EInvalid, "第 %d 行：%s", n, models.ErrorMessage(err))
		}
		if first, dup := line[c.Code]; dup {
			return nil, models.Errorf(models.EInvalid, "第 %d 行：分类代码 %s 与第 %d 行重复", n, c.Code, first)
		}
		line[c.Code] = n
		cats = append(cats, c)
	}
	if len(cats) == 0 {
		return nil, models.Errorf(models.EInvalid, "分类表中没有数据行")
	}
	byCode := make(map[string]*models.Category, len(cats))
	for i := range cats {
		byCode[cats[i].Code] = &cats[i]
	}
	for i := range cats {
		c := &cats[i]
		level := 1
		for p := c.ParentCode; p != ""; level++ {
			parent, ok := byCode[p]
			if !ok {
				return nil, models.Errorf(models.EInvalid, "第 %d 行：上级分类 %s 不在文件中", line[c.Code], p)
			}
			if level > len(cats) {
				return nil, models.Errorf(models.EInvalid, "第 %d 行：分类 %s 的上级形成了循环", line[c.Code], c.Code)
			}
			p = parent.ParentCode
		}
		c.Level = level
	}
	return cats, nil
}

// Category returns one category by code.
func (a *App) Category(ctx context.Context, code string) (*models.Category, error) {
	var c models.Category
	err := a.read.WithContext(ctx).Where("code = ?", code).First(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.Errorf(models.ENotFound, "分类 %s 不存在", code)
	}
	return &c, internal(err, fmt.Sprintf("load category %s", code))
}

// categoryInfo is what lists and cards need of a category: its name and its minimum useful life,
// inherited from the nearest ancestor that gives one.
type categoryInfo struct {
	Name      string
	LifeYears int
}

// life is what the table says of the class's depreciation.
func (c categoryInfo) life() models.ClassLife {
	return models.ClassLife{Depreciated: c.LifeYears > 0, Years: c.LifeYears}
}

// categoryCache is one generation of the cached category table; its table is nil until a
// load fills it. An import that commits a new table starts a new generation (a new entry), and
// a load stores what it read only into the entry it started from (compare-and-swap): a load
// that began before the import, and may have read the old table, can no longer store it once
// the import has moved on. The entry's address is the generation counter.
type categoryCache struct {
	table map[string]categoryInfo
}

// dropCategoryTable starts a new, empty generation of the cache after the table changed.
func (a *App) dropCategoryTable() { a.cats.Store(&categoryCache{}) }

// categoryTable returns every category by code. The table is small and changes only when the
// administrator loads a new one, so it is kept in memory and dropped on import.
func (a *App) categoryTable(ctx context.Context) (map[string]categoryInfo, error) {
	start := a.cats.Load()
	if start != nil && start.table != nil {
		return start.table, nil
	}
	cs, err := a.ListCategories(ctx)
	if err != nil {
		return nil, err
	}
	if a.catsRead != nil {
		a.catsRead()
	}
	byCode := make(map[string]models.Category, len(cs))
	for _, c := range cs {
		byCode[c.Code] = c
	}
	t := make(map[string]categoryInfo, len(cs))
	for _, c := range cs {
		life := c.MinYears
		for p, depth := c.ParentCode, 0; life == 0 && p != "" && depth < 32; depth++ {
			parent, ok := byCode[p]
			if !ok {
				break
			}
			life, p = parent.MinYears, parent.ParentCode
		}
		t[c.Code] = categoryInfo{Name: c.Name, LifeYears: life}
	}
	// When an import has started a new generation since start, this table may be the old one:
	// this caller, whose read began before the import committed, gets it, the cache does not.
	a.cats.CompareAndSwap(start, &categoryCache{table: t})
	return t, nil
}
