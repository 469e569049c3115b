package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"assetpool/models"
)

// AssetFilter selects asset cards for the register, the pool and their exports. Zero fields
// select everything; the caller's role narrows it further (see scope).
type AssetFilter struct {
	// UnitCode selects one unit; a clerk may only name their own.
	UnitCode string
	// Category is a category code prefix: "A0201" or "A02010000" select the whole branch.
	Category   string
	Statuses   []models.UsageStatus
	Conditions []models.Condition
	// Department, Location and Custodian match anywhere in the field.
	Department, Location, Custodian string
	YearFrom, YearTo                int
	ValueMin, ValueMax              *models.Money
	IdleFrom, IdleTo                models.Date
	// Q is the text search over asset number, name, model, brand and location.
	Q string
	// IDs selects given cards (label sheets, bulk actions).
	IDs []uint
	// Pool keeps only cards offered in the idle pool.
	Pool bool
	// Sort is a sort key, "-" first for descending; After is the cursor of the previous page.
	Sort  string
	After string
	Limit int

	unitID *uint
	// poolView is set by the pool's own lists, totals and export: they show every unit's
	// offered items, without the fields poolHidden names, and add up the offered part of each
	// card. Pool alone is a filter of the register and keeps the register's scope.
	poolView bool
	// walk finds a search's page by walking the sort order's index and testing each card
	// against the matches, instead of fetching every match and sorting (see listPage).
	walk bool
}

// ParseAssetFilter reads a filter from query parameters, get returning "" for absent ones. The
// messages name the parameter as the UI shows it.
func ParseAssetFilter(get func(string) string) (AssetFilter, error) {
	f := AssetFilter{
		UnitCode: strings.TrimSpace(get("unit")), Category: strings.TrimSpace(get("category")),
		Department: strings.TrimSpace(get("department")), Location: strings.TrimSpace(get("location")),
		Custodian: strings.TrimSpace(get("custodian")), Q: strings.TrimSpace(get("q")),
		Sort: strings.TrimSpace(get("sort")), After: get("after"),
	}
	for _, s := range splitList(get("status")) {
		v, ok := models.ParseUsageStatus(s)
		if !ok {
			return f, models.Errorf(models.EInvalid, "使用状况 %q 无效", s)
		}
		f.Statuses = append(f.Statuses, v)
	}
	for _, s := range splitList(get("condition")) {
		v, ok := models.ParseCondition(s)
		if !ok {
			return f, models.Errorf(models.EInvalid, "完好程度 %q 无效", s)
		}
		f.Conditions = append(f.Conditions, v)
	}
	for _, s := range splitList(get("ids")) {
		id, err := strconv.ParseUint(s, 10, 64)
		if err != nil || id == 0 {
			return f, models.Errorf(models.EInvalid, "资产编号列表中的 %q 无效", s)
		}
		f.IDs = append(f.IDs, uint(id))
	}
	ints := []struct {
		key, label string
		dst        *int
	}{{"year_from", "取得年份（起）", &f.YearFrom}, {"year_to", "取得年份（止）", &f.YearTo}, {"limit", "每页条数", &f.Limit}}
	for _, p := range ints {
		if s := strings.TrimSpace(get(p.key)); s != "" {
			v, err := strconv.Atoi(s)
			if err != nil || v < 0 {
				return f, models.Errorf(models.EInvalid, "%s %q 不是有效的数字", p.label, s)
			}
			*p.dst = v
		}
	}
	money := []struct {
		key, label string
		dst        **models.Money
	}{{"value_min", "原值下限", &f.ValueMin}, {"value_max", "原值上限", &f.ValueMax}}
	for _, p := range money {
		if s := strings.TrimSpace(get(p.key)); s != "" {
			v, err := models.ParseYuan(s)
			if err != nil {
				return f, models.Errorf(models.EInvalid, "%s %q 不是有效的金额", p.label, s)
			}
			*p.dst = &v
		}
	}
	dates := []struct {
		key, label string
		dst        *models.Date
	}{{"idle_from", "闲置起始日（起）", &f.IdleFrom}, {"idle_to", "闲置起始日（止）", &f.IdleTo}}
	for _, p := range dates {
		if s := strings.TrimSpace(get(p.key)); s != "" {
			v, err := models.ParseDate(s)
			if err != nil {
				return f, models.Errorf(models.EInvalid, "%s %q 应为 YYYY-MM-DD", p.label, s)
			}
			*p.dst = v
		}
	}
	if get("pool") == "1" || get("pool") == "true" {
		f.Pool = true
	}
	return f, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// AssetItem is one row of the register as lists and exports show it. Amounts are computed from
// integer fen; depreciation is as of the day the list was made.
type AssetItem struct {
	ID            uint               `json:"id"`
	UnitID        uint               `json:"unit_id"`
	UnitCode      string             `json:"unit_code"`
	UnitName      string             `json:"unit_name"`
	AssetNo       string             `json:"asset_no"`
	Name          string             `json:"name"`
	CategoryCode  string             `json:"category_code"`
	CategoryName  string             `json:"category_name"`
	Model         string             `json:"model"`
	Brand         string             `json:"brand"`
	Quantity      int                `json:"quantity"`
	MeasureUnit   string             `json:"measure_unit"`
	OriginalValue models.Money       `json:"original_value"`
	AcquiredOn    models.Date        `json:"acquired_on"`
	UsageStatus   models.UsageStatus `json:"usage_status"`
	Condition     models.Condition   `json:"condition"`
	Department    string             `json:"department"`
	Custodian     string             `json:"custodian"`
	Location      string             `json:"location"`
	// AccumulatedDepreciation and NetValue are the card's books today (the unit's figures
	// rolled forward, or the schedule); BooksDisagree flags books that differ from the
	// schedule by more than a month's charge (账账不符), by BookDifference.
	AccumulatedDepreciation models.Money `json:"accumulated_depreciation"`
	NetValue                models.Money `json:"net_value"`
	BooksDisagree           bool         `json:"books_disagree"`
	BookDifference          models.Money `json:"book_difference"`
	IdleSince               models.Date  `json:"idle_since"`
	OfferedQuantity         int          `json:"offered_quantity"`
	InPool                  bool         `json:"in_pool"`
	Version                 int          `json:"version"`

	// For the pool view, which shows age and remaining life rather than the card's insides.
	unitArea        string
	remainingMonths int
	lifeMonths      int
	offeredNet      models.Money
	schedule        models.Depreciation
	ageMonths       int
	remarks         string
	serialNo        string
	acquisition     string
	funding         string
}

// FilterTotals are the totals of a filter: how many cards, pieces and yuan it selects.
type FilterTotals struct {
	Cards    int64        `json:"cards"`
	Quantity int64        `json:"quantity"`
	Value    models.Money `json:"original_value"`
}

// AssetPage is one page of a list: the rows, how many cards the whole filter selects and the
// cursor of the next page ("" on the last). The pieces and value of the filter come from
// CountAssets: they read every selected card, which a page (and the next, and the one after)
// should not wait for.
type AssetPage struct {
	Items []AssetItem
	Total int64
	Next  string
}

// sortKey is one way to order the register. Every order ends with the card id, so that keyset
// pagination has a strict order to resume from even where values repeat.
type sortKey struct {
	exprs []string
	value func(*AssetItem) []any
}

var sortKeys = map[string]sortKey{
	"":               {[]string{"a.unit_id", "a.asset_no"}, func(r *AssetItem) []any { return []any{int64(r.UnitID), r.AssetNo} }},
	"unit":           {[]string{"a.unit_id", "a.asset_no"}, func(r *AssetItem) []any { return []any{int64(r.UnitID), r.AssetNo} }},
	"asset_no":       {[]string{"a.asset_no"}, func(r *AssetItem) []any { return []any{r.AssetNo} }},
	"name":           {[]string{"a.name"}, func(r *AssetItem) []any { return []any{r.Name} }},
	"category_code":  {[]string{"a.category_code"}, func(r *AssetItem) []any { return []any{r.CategoryCode} }},
	"model":          {[]string{"a.model"}, func(r *AssetItem) []any { return []any{r.Model} }},
	"brand":          {[]string{"a.brand"}, func(r *AssetItem) []any { return []any{r.Brand} }},
	"quantity":       {[]string{"a.quantity"}, func(r *AssetItem) []any { return []any{int64(r.Quantity)} }},
	"original_value": {[]string{"a.original_value"}, func(r *AssetItem) []any { return []any{int64(r.OriginalValue)} }},
	"acquired_on":    {[]string{"a.acquired_on"}, func(r *AssetItem) []any { return []any{r.AcquiredOn.String()} }},
	"usage_status":   {[]string{"a.usage_status"}, func(r *AssetItem) []any { return []any{string(r.UsageStatus)} }},
	"condition":      {[]string{"a.condition"}, func(r *AssetItem) []any { return []any{string(r.Condition)} }},
	"department":     {[]string{"a.department"}, func(r *AssetItem) []any { return []any{r.Department} }},
	"custodian":      {[]string{"a.custodian"}, func(r *AssetItem) []any { return []any{r.Custodian} }},
	"location":       {[]string{"a.location"}, func(r *AssetItem) []any { return []any{r.Location} }},
	"idle_since":     {[]string{"COALESCE(a.idle_since, '')"}, func(r *AssetItem) []any { return []any{r.IdleSince.String()} }},
}

// poolHidden are the sort keys and filters the pool refuses: they would reveal who holds an
// item and where inside the unit, which only the unit and finance see.
var poolHidden = map[string]bool{"custodian": true, "department": true, "location": true}

// cursor is the position after the last row of a page.
type cursor struct {
	Sort string `json:"s"`
	Vals []any  `json:"v"`
	ID   uint   `json:"id"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s, sort string, n int) (*cursor, error) {
	bad := models.Errorf(models.EInvalid, "翻页位置无效，请回到第一页重新查询")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var c cursor
	if err := d.Decode(&c); err != nil || c.Sort != sort || len(c.Vals) != n {
		return nil, bad
	}
	for i, v := range c.Vals {
		switch x := v.(type) {
		case json.Number:
			n, err := x.Int64()
			if err != nil {
				return nil, bad
			}
			c.Vals[i] = n
		case string:
		default:
			return nil, bad
		}
	}
	return &c, nil
}

// sqlQuery is SQL text and its arguments, built up clause by clause.
type sqlQuery struct {
	where []string
	args  []any
}

func (q *sqlQuery) add(cond string, args ...any) {
	q.where = append(q.where, cond)
	q.args = append(q.args, args...)
}

// addIn adds "expr IN (…)" with one placeholder per value, so that the SQL runs as it is on
// database/sql too (the benchmark prepares it directly), not only through GORM's expansion.
func addIn[T any](q *sqlQuery, expr string, vals []T) {
	ph := strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ")
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	q.add(expr+" IN ("+ph+")", args...)
}

func (q *sqlQuery) whereSQL() string {
	if len(q.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.where, " AND ")
}

// likeContains is a LIKE pattern for "contains s", with LIKE's wildcards escaped.
func likeContains(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// categoryPrefix turns a category code or prefix into the prefix of its branch: the trailing
// "00" levels of a class code select everything below it.
func categoryPrefix(code string) (string, error) {
	for _, r := range code {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return "", models.Errorf(models.EInvalid, "资产分类 %q 无效", code)
		}
	}
	p := code
	for len(p) > 3 && strings.HasSuffix(p, "00") {
		p = p[:len(p)-2]
	}
	return p, nil
}

// scope applies what the actor may see: a clerk only their own unit, however the filter reads.
// The pool is open to every signed-in user, minus the fields it hides.
func (a *App) scope(ctx context.Context, actor *models.User, f *AssetFilter) error {
	if f.UnitCode != "" {
		u, err := a.UnitByCode(ctx, f.UnitCode)
		if err != nil {
			return err
		}
		if !f.poolView && !actor.CanReadUnit(u.ID) {
			return models.Errorf(models.EForbidden, "您只能查看本单位的资产")
		}
		f.unitID = &u.ID
	}
	if !f.poolView && actor.Role == models.RoleClerk {
		if actor.UnitID == nil {
			return models.Errorf(models.EForbidden, "您的账号还没有指定所属单位")
		}
		f.unitID = actor.UnitID
	}
	if f.poolView {
		key := strings.TrimPrefix(f.Sort, "-")
		if f.Department != "" || f.Custodian != "" || f.Location != "" || poolHidden[key] {
			return models.Errorf(models.EInvalid, "闲置资产库不能按使用部门、使用人或存放地点查询")
		}
	}
	return nil
}

// conditions builds the WHERE clause of a scoped filter over assets aliased a.
func (a *App) conditions(f *AssetFilter) (*sqlQuery, error) {
	q := &sqlQuery{}
	// Within one unit the (unit_id, asset_no) index is the way in; SQLite's planner would
	// rather range over a category branch or a status across every unit, which at a million
	// cards reads hundreds of times more rows. A unary + keeps those columns off their indexes
	// then; across units they keep them.
	idx := ""
	if f.unitID != nil {
		q.add("a.unit_id = ?", *f.unitID)
		idx = "+"
	}
	if f.Category != "" {
		p, err := categoryPrefix(f.Category)
		if err != nil {
			return nil, err
		}
		q.add(idx+"a.category_code GLOB ?", p+"*")
	}
	if len(f.Statuses) > 0 {
		addIn(q, idx+"a.usage_status", f.Statuses)
	}
	if len(f.Conditions) > 0 {
		addIn(q, "a.condition", f.Conditions)
	}
	for _, t := range []struct{ col, v string }{{"a.department", f.Department}, {"a.location", f.Location}, {"a.custodian", f.Custodian}} {
		if t.v != "" {
			q.add(t.col+` LIKE ? ESCAPE '\'`, likeContains(t.v))
		}
	}
	if f.YearFrom > 0 {
		q.add("a.acquired_on >= ?", fmt.Sprintf("%04d-01-01", f.YearFrom))
	}
	if f.YearTo > 0 {
		q.add("a.acquired_on < ?", fmt.Sprintf("%04d-01-01", f.YearTo+1))
	}
	if f.ValueMin != nil {
		q.add("a.original_value >= ?", int64(*f.ValueMin))
	}
	if f.ValueMax != nil {
		q.add("a.original_value <= ?", int64(*f.ValueMax))
	}
	if !f.IdleFrom.IsZero() {
		q.add("a.idle_since >= ?", f.IdleFrom.String())
	}
	if !f.IdleTo.IsZero() {
		q.add("a.idle_since <= ?", f.IdleTo.String())
	}
	if len(f.IDs) > 0 {
		addIn(q, "a.id", f.IDs)
	}
	if f.Pool {
		q.add("a.usage_status = ?", models.UsageIdle)
		addIn(q, "a.condition", a.poolConditions())
	}
	if f.Q != "" {
		m := searchMatch(f.Q)
		if m == "" {
			q.add("0")
		} else {
			in := "a.id IN (SELECT docid FROM asset_search WHERE asset_search MATCH ?)"
			if f.walk {
				in = "+" + in
			}
			q.add(in, m)
		}
	}
	return q, nil
}

// poolConditions are the conditions an idle item may be in to be offered.
func (a *App) poolConditions() []models.Condition {
	var out []models.Condition
	for _, c := range models.Conditions {
		if models.PoolConditionOK(c, a.cfg.PoolRepairable) {
			out = append(out, c)
		}
	}
	return out
}

// listColumns are the columns a list row reads, joined with its unit and category.
const listColumns = `a.id, a.unit_id, u.code AS unit_code, u.name AS unit_name, u.area AS unit_area,
	a.asset_no, a.name, a.category_code, COALESCE(c.name, '') AS category_name, a.model, a.brand,
	a.quantity, a.measure_unit, a.original_value, a.acquired_on, a.usage_status, a.condition,
	a.department, a.custodian, a.location, a.idle_since, a.offered_quantity, a.version,
	a.remarks, a.serial_no, a.acquisition_method, a.funding_source, a.life_months, a.opening_depreciation,
	a.monthly_charge, a.book_depreciation, a.book_net_value, a.book_date, a.first_acquired_on`

// listSQL is the page query and the totals query of a scoped filter: what the API runs, and
// what the benchmark prepares directly to measure the API's own overhead.
type listSQL struct {
	page, count, totals  string
	pageArgs, filterArgs []any
	// searchOnly is set when the search is the filter's only condition: the search index
	// then counts the cards by itself.
	searchOnly bool
	key        sortKey
	sortName   string
	limit      int
}

func (a *App) buildList(f *AssetFilter) (*listSQL, error) {
	name := strings.TrimPrefix(f.Sort, "-")
	desc := strings.HasPrefix(f.Sort, "-")
	key, ok := sortKeys[name]
	if !ok {
		return nil, models.Errorf(models.EInvalid, "不能按 %q 排序", f.Sort)
	}
	q, err := a.conditions(f)
	if err != nil {
		return nil, err
	}
	l := &listSQL{key: key, sortName: f.Sort, limit: f.Limit}
	if l.limit <= 0 {
		l.limit = 50
	}
	l.limit = min(l.limit, 1000)
	// The totals add up what the rows show: a pool row is the offered part of its card.
	pieces, value := "a.quantity", "a.original_value"
	if f.poolView {
		pieces, value = poolOfferedSQL, poolOfferedValueSQL
	}
	l.totals = "SELECT COUNT(*) AS cards, COALESCE(SUM(" + pieces + "), 0) AS quantity, COALESCE(SUM(" + value + "), 0) AS value FROM assets a" + q.whereSQL()
	l.count = "SELECT COUNT(*) FROM assets a" + q.whereSQL()
	l.filterArgs = append([]any(nil), q.args...)
	l.searchOnly = f.Q != "" && len(q.where) == 1

	cols := append(append([]string(nil), key.exprs...), "a.id")
	if f.After != "" {
		c, err := decodeCursor(f.After, f.Sort, len(key.exprs))
		if err != nil {
			return nil, err
		}
		op := ">"
		if desc {
			op = "<"
		}
		q.add("("+strings.Join(cols, ", ")+") "+op+" ("+strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")+")", append(c.Vals, c.ID)...)
	}
	order := make([]string, len(cols))
	for i, c := range cols {
		order[i] = c
		if desc {
			order[i] += " DESC"
		}
	}
	l.page = "SELECT " + listColumns + ` FROM assets a JOIN units u ON u.id = a.unit_id
		LEFT JOIN categories c ON c.code = a.category_code` + q.whereSQL() +
		" ORDER BY " + strings.Join(order, ", ") + fmt.Sprintf(" LIMIT %d", l.limit+1)
	l.pageArgs = q.args
	return l, nil
}

// assetRow is what the list query scans into.
type assetRow struct {
	ID                  uint
	UnitID              uint
	UnitCode            string
	UnitName            string
	UnitArea            string
	AssetNo             string
	Name                string
	CategoryCode        string
	CategoryName        string
	Model               string
	Brand               string
	Quantity            int
	MeasureUnit         string
	OriginalValue       models.Money
	AcquiredOn          models.Date
	UsageStatus         models.UsageStatus
	Condition           models.Condition
	Department          string
	Custodian           string
	Location            string
	IdleSince           models.Date
	OfferedQuantity     int
	Version             int
	Remarks             string
	SerialNo            string
	AcquisitionMethod   string
	FundingSource       string
	LifeMonths          int
	OpeningDepreciation models.Money
	MonthlyCharge       models.Money
	BookDepreciation    *models.Money
	BookNetValue        *models.Money
	BookDate            models.Date
	FirstAcquiredOn     models.Date
}

// card is the part of a row's card its books are computed from.
func (r *assetRow) card() models.Asset {
	return models.Asset{OriginalValue: r.OriginalValue, OpeningDepreciation: r.OpeningDepreciation, AcquiredOn: r.AcquiredOn,
		LifeMonths: r.LifeMonths, MonthlyCharge: r.MonthlyCharge, Quantity: r.Quantity, OfferedQuantity: r.OfferedQuantity,
		BookDepreciation: r.BookDepreciation, BookNetValue: r.BookNetValue, BookDate: r.BookDate}
}

// item turns a scanned row into a list row with depreciation as of today.
func (a *App) item(r *assetRow, cats map[string]categoryInfo, today models.Date) AssetItem {
	cat := cats[r.CategoryCode]
	c := r.card()
	d := c.Books(cat.life(), today)
	it := AssetItem{
		ID: r.ID, UnitID: r.UnitID, UnitCode: r.UnitCode, UnitName: r.UnitName, AssetNo: r.AssetNo,
		Name: r.Name, CategoryCode: r.CategoryCode, CategoryName: r.CategoryName, Model: r.Model,
		Brand: r.Brand, Quantity: r.Quantity, MeasureUnit: r.MeasureUnit, OriginalValue: r.OriginalValue,
		AcquiredOn: r.AcquiredOn, UsageStatus: r.UsageStatus, Condition: r.Condition,
		Department: r.Department, Custodian: r.Custodian, Location: r.Location,
		AccumulatedDepreciation: d.Accumulated, NetValue: d.Net, BooksDisagree: d.Disagrees, BookDifference: d.Difference, IdleSince: r.IdleSince,
		schedule:        d.Schedule,
		OfferedQuantity: r.OfferedQuantity, Version: r.Version,
		unitArea: r.UnitArea, remainingMonths: d.RemainingMonths, lifeMonths: d.LifeMonths,
		remarks: r.Remarks, serialNo: r.SerialNo, acquisition: r.AcquisitionMethod, funding: r.FundingSource,
	}
	it.InPool = r.UsageStatus == models.UsageIdle && models.PoolConditionOK(r.Condition, a.cfg.PoolRepairable)
	// The offered part of a quantity card has its share of the books, as a transfer of it
	// would book them.
	it.offeredNet = d.Net
	if k := c.Offered(); k < c.Quantity {
		part, _ := c.Split(k, cat.life())
		it.offeredNet = part.Books(cat.life(), today).Net
	}
	// Age counts from the item's first acquisition, not from a transfer.
	first := r.AcquiredOn
	if !r.FirstAcquiredOn.IsZero() {
		first = r.FirstAcquiredOn
	}
	if !first.IsZero() && !today.Before(first) {
		it.ageMonths = (today.Year-first.Year)*12 + int(today.Month-first.Month)
	}
	return it
}

// ListAssets returns one page of the register as the actor may see it, with the totals of the
// whole filter.
func (a *App) ListAssets(ctx context.Context, actor *models.User, f AssetFilter) (*AssetPage, error) {
	if err := a.scope(ctx, actor, &f); err != nil {
		return nil, err
	}
	return a.listPage(ctx, &f, true)
}

func (a *App) listPage(ctx context.Context, f *AssetFilter, withTotal bool) (*AssetPage, error) {
	l, err := a.buildList(f)
	if err != nil {
		return nil, err
	}
	cats, err := a.categoryTable(ctx)
	if err != nil {
		return nil, err
	}
	db := a.read.WithContext(ctx)
	page := &AssetPage{}
	counted := false
	if m := searchMatch(f.Q); m != "" && withTotal {
		var n struct{ Matches, Cards int64 }
		err := db.Raw("SELECT (SELECT COUNT(*) FROM asset_search WHERE asset_search MATCH ?) AS matches, (SELECT COALESCE(MAX(id), 0) FROM assets) AS cards", m).Scan(&n).Error
		if err != nil {
			return nil, internal(err, "count matches")
		}
		if l.searchOnly {
			page.Total, counted = n.Matches, true
		}
		// SQLite drives a search by its matches: it fetches every matching card and sorts
		// them, which for a common term ("电脑" in a district) is thousands of lookups for 50
		// rows. When the sort order has an index and the matches are dense enough, walking
		// that index and testing each card against the matches reaches 50 rows much sooner:
		// about 50·N/m index steps against m lookups, so the walk wins once m² > 16·N. The
		// index alone counts the matches, without reading a card.
		if a.indexOrdered(f) && n.Matches*n.Matches > 16*n.Cards {
			w := *f
			w.walk = true
			wl, err := a.buildList(&w)
			if err != nil {
				return nil, err
			}
			l.page, l.pageArgs = wl.page, wl.pageArgs
		}
	}
	if withTotal && !counted {
		if err := db.Raw(l.count, l.filterArgs...).Scan(&page.Total).Error; err != nil {
			return nil, internal(err, "count assets")
		}
	}
	var rows []assetRow
	if err := db.Raw(l.page, l.pageArgs...).Scan(&rows).Error; err != nil {
		return nil, internal(err, "list assets")
	}
	page.Items = make([]AssetItem, 0, min(len(rows), l.limit))
	today := a.Today()
	for i := range rows {
		if i == l.limit {
			last := &page.Items[len(page.Items)-1]
			page.Next = encodeCursor(cursor{Sort: l.sortName, Vals: l.key.value(last), ID: last.ID})
			break
		}
		page.Items = append(page.Items, a.item(&rows[i], cats, today))
	}
	return page, nil
}

// indexOrdered reports whether the filter's order is that of the (unit_id, asset_no) index.
func (a *App) indexOrdered(f *AssetFilter) bool {
	name := strings.TrimPrefix(f.Sort, "-")
	return name == "" || name == "unit" || (name == "asset_no" && f.unitID != nil)
}

// EachAsset calls fn for every card the filter selects, in the filter's order, a page at a
// time, so that an export of a million cards never holds them all. It stops at fn's first
// error.
func (a *App) EachAsset(ctx context.Context, actor *models.User, f AssetFilter, fn func(*AssetItem) error) error {
	if err := a.scope(ctx, actor, &f); err != nil {
		return err
	}
	f.Limit, f.After = 1000, ""
	for {
		page, err := a.listPage(ctx, &f, false)
		if err != nil {
			return err
		}
		for i := range page.Items {
			if err := fn(&page.Items[i]); err != nil {
				return err
			}
		}
		if page.Next == "" {
			return nil
		}
		f.After = page.Next
	}
}

// CountAssets returns the totals of a filter without listing it: cards, pieces and value.
func (a *App) CountAssets(ctx context.Context, actor *models.User, f AssetFilter) (FilterTotals, error) {
	var t FilterTotals
	if err := a.scope(ctx, actor, &f); err != nil {
		return t, err
	}
	f.After = ""
	l, err := a.buildList(&f)
	if err != nil {
		return t, err
	}
	err = a.read.WithContext(ctx).Raw(l.totals, l.filterArgs...).Scan(&t).Error
	return t, internal(err, "sum assets")
}

// loadAsset reads one card in db (the read pool or a transaction).
func loadAsset(db *gorm.DB, id uint) (*models.Asset, error) {
	var as models.Asset
	err := db.First(&as, id).Error
	if err == gorm.ErrRecordNotFound {
		return nil, models.Errorf(models.ENotFound, "资产卡片 %d 不存在", id)
	}
	if err != nil {
		return nil, internal(err, fmt.Sprintf("load asset %d", id))
	}
	return &as, nil
}

// assetFor returns a card the actor may read, or may change when write is set: a clerk reads
// and changes their own unit's cards, finance and admin read every card.
func (a *App) assetFor(ctx context.Context, actor *models.User, id uint, write bool) (*models.Asset, error) {
	as, err := loadAsset(a.read.WithContext(ctx), id)
	if err != nil {
		return nil, err
	}
	// Another unit's card is "not found" to a clerk, so that ids cannot be probed.
	if !actor.CanReadUnit(as.UnitID) {
		return nil, models.Errorf(models.ENotFound, "资产卡片 %d 不存在", id)
	}
	if write && !actor.CanWriteUnit(as.UnitID) {
		return nil, models.Errorf(models.EForbidden, "只有本单位的资产管理员可以修改这张资产卡片")
	}
	return as, nil
}
