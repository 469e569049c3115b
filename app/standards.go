package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"assetpool/models"
)

// centralStandards are the central figures of 财资〔2016〕27号 as domain.md gives them, seeded
// into an empty standards table so that requests are checked from the first day. The codes
// follow the sample category table; an administrator replaces them with a jurisdiction's own.
var centralStandards = []models.Standard{
	{CategoryCode: "A02010105", ItemName: "台式计算机", PriceCap: 500000, MinYears: 6, StaffPercent: 100},
	{CategoryCode: "A02010108", ItemName: "便携式计算机", PriceCap: 700000, MinYears: 6, StaffPercent: 50},
	{CategoryCode: "A02021000", ItemName: "打印机（A4黑白）", PriceCap: 120000, MinYears: 6, StaffPercent: 80,
		Note: "数量上限适用于全部打印机"},
	{CategoryCode: "A05010301", ItemName: "办公椅", PriceCap: 80000, MinYears: 15, StaffPercent: 100,
		Note: "其他人员标准；司局级 1500 元"},
	{CategoryCode: "A05010502", ItemName: "文件柜", PriceCap: 100000, MinYears: 20, StaffPercent: 100,
		Note: "其他人员标准；司局级 2000 元"},
}

// seedStandards loads the central standards into an empty table.
func (a *App) seedStandards(ctx context.Context) error {
	var n int64
	if err := a.db.WithContext(ctx).Model(&models.Standard{}).Count(&n).Error; err != nil {
		return fmt.Errorf("count standards: %w", err)
	}
	if n > 0 {
		return nil
	}
	seed := make([]models.Standard, len(centralStandards))
	for i, s := range centralStandards {
		s.Jurisdiction, s.Version, s.Source = "中央", 1, "财资〔2016〕27号"
		seed[i] = s
	}
	if err := a.db.WithContext(ctx).Create(&seed).Error; err != nil {
		return fmt.Errorf("seed standards: %w", err)
	}
	return nil
}

// standardFor returns the newest standard of the configured jurisdiction in force on today
// that covers category code: the item's own, else the closest class above it.
func (a *App) standardFor(tx *gorm.DB, code string) (*models.Standard, error) {
	var all []models.Standard
	err := tx.Where("jurisdiction = ? AND (effective_from IS NULL OR effective_from <= ?)", a.cfg.Jurisdiction, a.Today()).
		Order("version DESC").Find(&all).Error
	if err != nil {
		return nil, internal(err, "load standards")
	}
	var best *models.Standard
	bestLen := -1
	for i := range all {
		s := &all[i]
		p, err := categoryPrefix(s.CategoryCode)
		if err != nil || !strings.HasPrefix(code, p) {
			continue
		}
		// A longer prefix is a closer class; among versions of one the first (newest) wins.
		if len(p) > bestLen {
			best, bestLen = s, len(p)
		}
	}
	return best, nil
}

// checkStandards checks a request against the configuration standards: its unit price
// against the price cap, its quantity with the unit's stock of the standard's branch (idle
// stock included, cards awaiting disposal and the cards the request replaces left out)
// against the quantity cap, and the cards it replaces against the minimum service life. The
// result informs; it never blocks a submission.
func (a *App) checkStandards(tx *gorm.DB, r *models.PurchaseRequest, unit *models.Unit) (*models.StandardsCheck, error) {
	c := &models.StandardsCheck{CheckedAt: a.now().UTC(), Findings: []models.Finding{}}
	s, err := a.standardFor(tx, r.CategoryCode)
	if err != nil {
		return nil, err
	}
	if s != nil {
		c.Standard = &models.StandardRef{ID: s.ID, Jurisdiction: s.Jurisdiction, CategoryCode: s.CategoryCode, ItemName: s.ItemName, Version: s.Version}
		if s.PriceCap > 0 && r.UnitPrice > s.PriceCap {
			c.Findings = append(c.Findings, models.Finding{Code: models.FindingPriceOverCap,
				Message: fmt.Sprintf("预算单价 %s 超过配置标准上限 %s（%s，%s）", r.UnitPrice, s.PriceCap, s.ItemName, s.Jurisdiction)})
		}
		if _, caps := s.QuantityCap(0); caps {
			f, err := a.checkQuantity(tx, r, unit, s)
			if err != nil {
				return nil, err
			}
			if f != nil {
				c.Findings = append(c.Findings, *f)
			}
		}
	}
	if len(r.Replaces) > 0 {
		var olds []models.Asset
		if err := tx.Where("id IN ? AND unit_id = ?", r.Replaces, r.UnitID).Order("id").Find(&olds).Error; err != nil {
			return nil, internal(err, "load replaced assets")
		}
		cats, err := a.categoryTable(tx.Statement.Context)
		if err != nil {
			return nil, err
		}
		today := a.Today()
		for _, o := range olds {
			years := cats[o.CategoryCode].LifeYears
			if s != nil && s.MinYears > 0 {
				years = s.MinYears
			}
			// Service counts from the item's first acquisition: a card received by transfer
			// is dated the transfer.
			first := o.Acquired()
			if years == 0 || first.IsZero() {
				continue
			}
			months := (today.Year-first.Year)*12 + int(today.Month-first.Month)
			if months < years*12 {
				c.Findings = append(c.Findings, models.Finding{Code: models.FindingReplacesYoung,
					Message: fmt.Sprintf("拟替换的 %s %s 已使用 %d 年 %d 个月，未满最低使用年限 %d 年", o.AssetNo, o.Name, months/12, months%12, years)})
			}
		}
	}
	if s == nil {
		c.Findings = append(c.Findings, models.Finding{Code: models.FindingNoStandard,
			Message: fmt.Sprintf("%s没有适用的配置标准（%s），未核对单价和数量上限", r.Name, a.cfg.Jurisdiction)})
	}
	c.OK = s != nil && len(c.Findings) == 0
	return c, nil
}

// checkQuantity measures the unit's stock of the standard's branch after the request against
// the standard's quantity cap: every card counts but those awaiting disposal (待处置), idle ones
// included; the cards the request replaces leave, so they do not count.
func (a *App) checkQuantity(tx *gorm.DB, r *models.PurchaseRequest, unit *models.Unit, s *models.Standard) (*models.Finding, error) {
	p, _ := categoryPrefix(s.CategoryCode)
	stockOf := func(q *gorm.DB) (int, error) {
		var n int64
		err := q.Table("assets").Where("unit_id = ? AND category_code GLOB ? AND usage_status <> ?", unit.ID, p+"*", models.UsagePendingDisposal).
			Select("COALESCE(SUM(quantity), 0)").Scan(&n).Error
		return int(n), internal(err, "count stock")
	}
	stock, err := stockOf(tx.Session(&gorm.Session{NewDB: true}))
	if err != nil {
		return nil, err
	}
	replaced := 0
	if len(r.Replaces) > 0 {
		if replaced, err = stockOf(tx.Session(&gorm.Session{NewDB: true}).Where("id IN ?", r.Replaces)); err != nil {
			return nil, err
		}
	}
	if unit.Staff == 0 {
		return &models.Finding{Code: models.FindingNoStaff,
			Message: fmt.Sprintf("本单位未填写编制人数，无法核对%s的数量上限（现有 %d 件）", s.ItemName, stock)}, nil
	}
	limit, _ := s.QuantityCap(unit.Staff)
	if stock-replaced+r.Quantity <= limit {
		return nil, nil
	}
	msg := fmt.Sprintf("现有%s %d 件（含闲置）加本次 %d 件，超过按编制 %d 人核定的上限 %d 件", s.ItemName, stock, r.Quantity, unit.Staff, limit)
	if replaced > 0 {
		msg = fmt.Sprintf("现有%s %d 件（含闲置）加本次 %d 件、减去拟替换的 %d 件，超过按编制 %d 人核定的上限 %d 件", s.ItemName, stock, r.Quantity, replaced, unit.Staff, limit)
	}
	return &models.Finding{Code: models.FindingQuantityOverCap, Message: msg}, nil
}

// Standard statuses as ListStandards reports them.
const (
	StandardInForce    = "in_force"   // the version requests are checked against
	StandardPending    = "pending"    // newer, but its 执行日期 has not come
	StandardSuperseded = "superseded" // a newer version is in force
)

var standardStatusLabels = map[string]string{StandardInForce: "现行", StandardPending: "未生效", StandardSuperseded: "已替代"}

// StandardView is one version of a standard with where it stands today.
type StandardView struct {
	models.Standard
	CategoryName string `json:"category_name"`
	Status       string `json:"status"`
	StatusLabel  string `json:"status_label"`
	InForce      bool   `json:"in_force"`
	// Applied is true for the standards of the jurisdiction requests are checked against.
	Applied bool `json:"applied"`
}

// StandardList is every version of every standard: the configured jurisdiction first, then by
// jurisdiction and category code, newest version first.
type StandardList struct {
	Jurisdiction string         `json:"jurisdiction"`
	Items        []StandardView `json:"items"`
	Total        int            `json:"total"`
}

// ListStandards returns every version of every configuration standard with which is in force.
func (a *App) ListStandards(ctx context.Context) (*StandardList, error) {
	var all []models.Standard
	if err := a.read.WithContext(ctx).Find(&all).Error; err != nil {
		return nil, internal(err, "list standards")
	}
	cats, err := a.categoryTable(ctx)
	if err != nil {
		return nil, err
	}
	own := a.cfg.Jurisdiction
	sort.Slice(all, func(i, j int) bool {
		x, y := all[i], all[j]
		switch {
		case x.Jurisdiction != y.Jurisdiction && (x.Jurisdiction == own || y.Jurisdiction == own):
			return x.Jurisdiction == own
		case x.Jurisdiction != y.Jurisdiction:
			return x.Jurisdiction < y.Jurisdiction
		case x.CategoryCode != y.CategoryCode:
			return x.CategoryCode < y.CategoryCode
		}
		return x.Version > y.Version
	})
	today := a.Today()
	out := &StandardList{Jurisdiction: own, Items: make([]StandardView, 0, len(all)), Total: len(all)}
	found := false // whether the current item's version in force has been seen
	for i, s := range all {
		if i == 0 || s.Jurisdiction != all[i-1].Jurisdiction || s.CategoryCode != all[i-1].CategoryCode {
			found = false
		}
		v := StandardView{Standard: s, CategoryName: cats[s.CategoryCode].Name, Applied: s.Jurisdiction == own}
		switch {
		case found:
			v.Status = StandardSuperseded
		case !s.EffectiveFrom.IsZero() && today.Before(s.EffectiveFrom):
			v.Status = StandardPending
		default:
			v.Status, v.InForce, found = StandardInForce, true, true
		}
		v.StatusLabel = standardStatusLabels[v.Status]
		out.Items = append(out.Items, v)
	}
	return out, nil
}

// StandardImport reports what ImportStandards added: one new version per row.
type StandardImport struct {
	Added int               `json:"added"`
	Items []models.Standard `json:"items"`
}

// standardImportMaxErrors is how many row errors one message lists.
const standardImportMaxErrors = 20

// ImportStandards adds the configuration standards of r (CSV or .xlsx, one standard per row;
// the columns are listed in standardHeaders). Each row becomes a new version (the highest so
// far plus one) of its jurisdiction × category. It is all or nothing: every bad row is
// reported with its row number and column, and nothing is stored.
func (a *App) ImportStandards(ctx context.Context, actor *models.User, r io.Reader) (*StandardImport, error) {
	if actor != nil && actor.Role != models.RoleAdmin {
		return nil, models.Errorf(models.EForbidden, "只有系统管理员可以导入配置标准")
	}
	rows, date1904, err := readTable(r)
	if err != nil {
		return nil, err
	}
	cats, err := a.categoryTable(ctx)
	if err != nil {
		return nil, err
	}
	ss, err := parseStandardRows(rows, date1904, cats)
	if err != nil {
		return nil, err
	}
	res := &StandardImport{Items: ss}
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for i := range ss {
			s := &ss[i]
			var top int
			if err := tx.Model(&models.Standard{}).Where("jurisdiction = ? AND category_code = ?", s.Jurisdiction, s.CategoryCode).
				Select("COALESCE(MAX(version), 0)").Scan(&top).Error; err != nil {
				return internal(err, "read standard version")
			}
			s.Version = top + 1
			if err := tx.Create(s).Error; err != nil {
				return internal(err, "save standard")
			}
		}
		res.Added = len(ss)
		return a.audit(tx, actor, "standard.import", "standard", "*", nil, nil, res)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// Fields of a standards file.
const (
	stdJurisdiction  = "jurisdiction"
	stdCategoryCode  = "category_code"
	stdItemName      = "item_name"
	stdPriceCap      = "price_cap"
	stdMinYears      = "min_years"
	stdStaffPercent  = "staff_percent"
	stdStaffPerItem  = "staff_per_item"
	stdEffectiveFrom = "effective_from"
	stdSource        = "source"
	stdNote          = "note"
)

// standardHeaders maps the headers of a standards file, folded by standardHeaderKey, to its
// fields: the English column names and the Chinese ones with their variants. The two quantity
// caps differ only inside their brackets, so brackets are kept here; other headers are also
// tried without their bracketed units ("价格上限（万元）").
var standardHeaders = map[string]string{
	"JURISDICTION": stdJurisdiction, "适用地区": stdJurisdiction, "地区": stdJurisdiction, "适用范围": stdJurisdiction, "标准制定地区": stdJurisdiction,
	"CATEGORY_CODE": stdCategoryCode, "分类代码": stdCategoryCode, "资产分类代码": stdCategoryCode, "分类编码": stdCategoryCode,
	"ITEM_NAME": stdItemName, "品目名称": stdItemName, "品目": stdItemName, "资产名称": stdItemName, "名称": stdItemName,
	"PRICE_CAP": stdPriceCap, "价格上限": stdPriceCap, "单价上限": stdPriceCap, "价格标准": stdPriceCap,
	"MIN_YEARS": stdMinYears, "最低使用年限": stdMinYears, "使用年限": stdMinYears,
	"STAFF_PERCENT": stdStaffPercent, "数量上限(占编制人数%)": stdStaffPercent, "占编制人数%": stdStaffPercent,
	"占编制人数比例": stdStaffPercent, "占编制人数比例(%)": stdStaffPercent,
	"STAFF_PER_ITEM": stdStaffPerItem, "数量上限(每N人一台)": stdStaffPerItem, "每N人一台": stdStaffPerItem, "每N人一件": stdStaffPerItem,
	"EFFECTIVE_FROM": stdEffectiveFrom, "执行日期": stdEffectiveFrom, "生效日期": stdEffectiveFrom, "实施日期": stdEffectiveFrom,
	"SOURCE": stdSource, "依据": stdSource, "文件依据": stdSource, "来源": stdSource,
	"NOTE": stdNote, "备注": stdNote, "说明": stdNote,
}

// standardHeaderKey folds a header for standardHeaders: full-width forms to ASCII, spaces and
// asterisks removed, letters upper-cased.
func standardHeaderKey(s string) string {
	return strings.ToUpper(strings.ReplaceAll(normWord(s), "*", ""))
}

// standardColumn is one mapped column of a standards file.
type standardColumn struct {
	index  int
	header string
	scale  int64
}

// parseStandardRows reads a standards file (rows[i] is sheet row i+1; the header within the
// first 10 rows; date1904 the workbook's date system) into standards without versions, checked
// against the category table. Every problem is collected; any makes the whole file an error
// that lists them.
func parseStandardRows(rows [][]string, date1904 bool, cats map[string]categoryInfo) ([]models.Standard, error) {
	hdr := -1
	var cols map[string]standardColumn
	for i := 0; i < len(rows) && i < 10; i++ {
		cols = map[string]standardColumn{}
		for j, cell := range rows[i] {
			field, ok := standardHeaders[standardHeaderKey(cell)]
			bare, scale := normalizeHeader(cell)
			if !ok {
				field, ok = standardHeaders[bare]
			}
			if _, dup := cols[field]; ok && !dup {
				cols[field] = standardColumn{index: j, header: cleanText(cell), scale: scale}
			}
		}
		_, code := cols[stdCategoryCode]
		_, name := cols[stdItemName]
		if code && name {
			hdr = i
			break
		}
	}
	if hdr < 0 {
		return nil, models.Errorf(models.EInvalid, "配置标准文件缺少表头：需要“适用地区”(jurisdiction)、“分类代码”(category_code) 和“品目名称”(item_name) 等列")
	}
	if _, ok := cols[stdJurisdiction]; !ok {
		return nil, models.Errorf(models.EInvalid, "配置标准文件第 %d 行表头缺少“适用地区”(jurisdiction) 列：请写明标准适用的地区，如 中央", hdr+1)
	}
	var problems []string
	problem := func(row int, col standardColumn, format string, args ...any) {
		where := fmt.Sprintf("第 %d 行", row)
		if col.header != "" {
			where += "“" + col.header + "”列"
		}
		problems = append(problems, where+"："+fmt.Sprintf(format, args...))
	}
	var out []models.Standard
	first := map[[2]string]int{}
	for i := hdr + 1; i < len(rows); i++ {
		row, n := rows[i], i+1
		if strings.TrimSpace(strings.Join(row, "")) == "" {
			continue
		}
		cell := func(field string) (string, standardColumn) {
			c, ok := cols[field]
			if !ok || c.index >= len(row) {
				return "", c
			}
			return row[c.index], c
		}
		bad := len(problems)
		text := func(field string, limit int) string {
			v, c := cell(field)
			v = cleanText(v)
			if k := utf8.RuneCountInString(v); k > limit {
				problem(n, c, "内容过长（%d 个字，最多 %d 个字）", k, limit)
			}
			return v
		}
		s := models.Standard{Jurisdiction: text(stdJurisdiction, 64), ItemName: text(stdItemName, 200),
			Source: text(stdSource, 200), Note: text(stdNote, 500)}
		if s.Jurisdiction == "" {
			_, c := cell(stdJurisdiction)
			problem(n, c, "适用地区为空：请填写标准适用的地区，如 中央 或 某某省")
		}
		if s.ItemName == "" {
			_, c := cell(stdItemName)
			problem(n, c, "品目名称为空")
		}
		if v, c := cell(stdCategoryCode); normWord(v) == "" {
			problem(n, c, "分类代码为空：请填写分类表中的代码，如 A02010105")
		} else if code, ok := lookupCategory(cats, v); !ok {
			problem(n, c, "分类代码「%s」不在分类表中：请改用分类表中的代码，或先导入包含它的分类表", normQuote(v))
		} else {
			s.CategoryCode = code
		}
		if v, c := cell(stdPriceCap); c.header != "" {
			m, err := parseMoneyCell(v, c.scale)
			switch {
			case errors.Is(err, errBlankCell):
			case err != nil:
				problem(n, c, "%s", models.ErrorMessage(err))
			case m < 0:
				problem(n, c, "价格上限不能为负数；没有价格上限时留空")
			default:
				s.PriceCap = m
			}
		}
		whole := func(field, unit string, dst *int) {
			v, c := cell(field)
			k, err := parseCountCell(v, unit)
			switch {
			case errors.Is(err, errBlankCell):
			case err != nil:
				problem(n, c, "%s", models.ErrorMessage(err))
			default:
				*dst = k
			}
		}
		whole(stdMinYears, "年", &s.MinYears)
		whole(stdStaffPercent, "%", &s.StaffPercent)
		whole(stdStaffPerItem, "人", &s.StaffPerItem)
		if v, c := cell(stdEffectiveFrom); c.header != "" {
			d, err := parseDateCell(v, date1904)
			switch {
			case errors.Is(err, errBlankCell):
			case err != nil:
				problem(n, c, "%s", models.ErrorMessage(err))
			default:
				s.EffectiveFrom = d
			}
		}
		if len(problems) > bad {
			continue
		}
		if err := s.Validate(); err != nil {
			problem(n, standardColumn{}, "%s", models.ErrorMessage(err))
			continue
		}
		key := [2]string{s.Jurisdiction, s.CategoryCode}
		if f, dup := first[key]; dup {
			problem(n, standardColumn{}, "%s的分类 %s 与第 %d 行重复：同一地区的同一分类每次只能导入一行", s.Jurisdiction, s.CategoryCode, f)
			continue
		}
		first[key] = n
		out = append(out, s)
	}
	if len(problems) > 0 {
		shown := problems[:min(len(problems), standardImportMaxErrors)]
		more := ""
		if len(problems) > len(shown) {
			more = fmt.Sprintf("；另有 %d 处错误未列出", len(problems)-len(shown))
		}
		return nil, models.Errorf(models.EInvalid, "配置标准文件有 %d 处错误，整个文件未导入：%s%s", len(problems), strings.Join(shown, "；"), more)
	}
	if len(out) == 0 {
		return nil, models.Errorf(models.EInvalid, "配置标准文件中没有数据行")
	}
	return out, nil
}

// lookupCategory finds a code in the category table, folding case and width ("a0201 0105").
func lookupCategory(cats map[string]categoryInfo, s string) (string, bool) {
	code := normCodeKey(s)
	_, ok := cats[code]
	return code, ok
}

// parseCountCell reads a whole number that may be zero, with an optional unit after it
// ("6", "6年", "100%", "20人"); blank gives errBlankCell.
func parseCountCell(s, unit string) (int, error) {
	t := normCell(s)
	if t == "" {
		return 0, errBlankCell
	}
	t = strings.TrimSpace(strings.TrimSuffix(t, unit))
	t = strings.TrimSuffix(t, ".0") // a whole number as a spreadsheet stores it
	v, err := strconv.Atoi(t)
	if err != nil || v < 0 || v > 100000 {
		return 0, normInvalid("「%s」不是有效的数字：请填写 0 或正整数，如 6；不适用时留空", normQuote(s))
	}
	return v, nil
}
