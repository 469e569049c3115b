package app

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"gorm.io/gorm"

	"assetpool/models"
)

// APIBenchResult is what `assetpool bench api` measures, all in one run on one database:
// the register API against the same SQL run directly, a deep keyset page against the first,
// and the bigram search against a LIKE scan. Times are milliseconds.
type APIBenchResult struct {
	Assets      int     `json:"assets"`
	Units       int     `json:"units"`
	LoadSeconds float64 `json:"load_seconds"`
	Samples     int     `json:"samples"`
	LikeSamples int     `json:"like_samples"`

	// The filtered first page (one unit, a category branch, one status) with its count.
	FilterQuery   string  `json:"filter_query"`
	FilterMatches int64   `json:"filter_matches"`
	APIP50        float64 `json:"api_p50_ms"`
	APIP99        float64 `json:"api_p99_ms"`
	SQLP50        float64 `json:"sql_p50_ms"`
	SQLP99        float64 `json:"sql_p99_ms"`

	// The whole district's register in its default order, through the API.
	FirstPageP50 float64 `json:"first_page_p50_ms"`
	FirstPageP99 float64 `json:"first_page_p99_ms"`
	DeepPageP50  float64 `json:"deep_page_p50_ms"`
	DeepPageP99  float64 `json:"deep_page_p99_ms"`
	DeepPage     int     `json:"deep_page"`
	// The same two pages' row query alone, without the count every API page carries.
	FirstRowsP99 float64 `json:"first_rows_p99_ms"`
	DeepRowsP99  float64 `json:"deep_rows_p99_ms"`

	// A Chinese substring search over the whole district: the API (page and count) against
	// the same page and count found by LIKE '%…%' over the five searched columns; and the
	// search's sums (pieces and value), which the page asks for on its own.
	SearchTerm      string  `json:"search_term"`
	SearchMatches   int64   `json:"search_matches"`
	SearchP50       float64 `json:"search_p50_ms"`
	SearchP99       float64 `json:"search_p99_ms"`
	LikeP50         float64 `json:"like_p50_ms"`
	LikeP99         float64 `json:"like_p99_ms"`
	SearchTotalsP50 float64 `json:"search_totals_p50_ms"`
	SearchTotalsP99 float64 `json:"search_totals_p99_ms"`

	APISQLP99Ratio  float64 `json:"api_sql_p99_ratio"`
	DeepFirstRatio  float64 `json:"deep_first_ratio"`
	LikeSearchRatio float64 `json:"like_search_ratio"`
}

// benchItem is one kind of thing a district owns, with how common it is.
type benchItem struct {
	category string
	names    []string
	brands   []string
	models   []string
	price    int64 // fen
	weight   int
}

var benchItems = []benchItem{
	{"A02010105", []string{"台式计算机", "台式电脑", "计算机主机"}, []string{"联想", "戴尔", "惠普", "华为"}, []string{"ThinkCentre M720t", "OptiPlex 7090", "ProDesk 400 G7", "启天M430", "擎云B730"}, 520000, 22},
	{"A02010108", []string{"便携式计算机", "笔记本电脑"}, []string{"联想", "华为", "戴尔"}, []string{"ThinkPad E14", "MateBook D14", "Latitude 5420", "昭阳K4e"}, 650000, 8},
	{"A02010104", []string{"服务器", "机架式服务器"}, []string{"浪潮", "华为", "曙光"}, []string{"NF5280M6", "FusionServer 2288H V5", "I620-G30"}, 4800000, 1},
	{"A02021004", []string{"A4彩色打印机", "彩色激光打印机"}, []string{"惠普", "佳能", "奔图"}, []string{"LaserJet Pro M454dn", "LBP7100Cn", "CP2506DN"}, 260000, 6},
	{"A02021000", []string{"黑白激光打印机", "A4黑白打印机"}, []string{"惠普", "兄弟", "奔图"}, []string{"LaserJet M1136", "HL-2260D", "P3305DN"}, 120000, 7},
	{"A02021301", []string{"碎纸机"}, []string{"得力", "科密"}, []string{"9916", "C-838"}, 90000, 1},
	{"A02061804", []string{"空调机", "壁挂式空调", "柜式空调"}, []string{"格力", "美的", "海尔"}, []string{"KFR-35GW", "KFR-72LW", "KFR-26GW"}, 420000, 10},
	{"A02091001", []string{"电视机", "液晶电视"}, []string{"海信", "TCL", "创维"}, []string{"65E3F", "55V8E", "50A3"}, 380000, 2},
	{"A05010301", []string{"办公椅", "职员椅", "转椅"}, []string{"震旦", "圣奥", "美时"}, []string{"ACT-1201", "SA-C302", "MS-880"}, 80000, 20},
	{"A05010303", []string{"会议椅", "培训椅"}, []string{"震旦", "圣奥"}, []string{"HY-18", "SA-H01"}, 45000, 8},
	{"A05010501", []string{"书柜", "书架"}, []string{"震旦", "圣奥"}, []string{"SG-1800", "BK-900"}, 150000, 6},
	{"A05010502", []string{"文件柜", "铁皮文件柜"}, []string{"震旦", "得力"}, []string{"WJG-01", "FC-1850"}, 100000, 9},
}

// benchSearchTerm is a Chinese substring the bench searches for: part of one item's name,
// about 1% of the cards.
const benchSearchTerm = "碎纸"

// LoadBenchAssets fills an empty database with units and n synthetic cards of realistic
// names, models, brands and locations (deterministic), and returns a finance user to query
// them as. Cards go in through the same multi-row INSERT as imports, so the search index
// triggers run for every card.
func (a *App) LoadBenchAssets(ctx context.Context, n int) (*models.User, int, error) {
	if n < 1 {
		return nil, 0, models.Errorf(models.EInvalid, "--assets 必须大于 0")
	}
	units := max(1, min(50, n/1000))
	rng := rand.New(rand.NewPCG(4, uint64(n)))
	var unitIDs []uint
	for i := range units {
		u := &models.Unit{Code: fmt.Sprintf("U%03d", i+1), Name: fmt.Sprintf("第%d单位", i+1), Area: fmt.Sprintf("第%d街道", i%8+1)}
		if err := a.CreateUnit(ctx, nil, u); err != nil {
			return nil, 0, err
		}
		unitIDs = append(unitIDs, u.ID)
	}
	fin := &models.User{Username: "bench-finance", DisplayName: "基准测试", Role: models.RoleFinance, Active: true}
	if err := a.CreateUser(ctx, nil, fin, "bench-password-1"); err != nil {
		return nil, 0, err
	}
	total := 0
	for _, it := range benchItems {
		total += it.weight
	}
	statuses := []models.UsageStatus{models.UsageInUse, models.UsageInUse, models.UsageInUse, models.UsageInUse, models.UsageInUse,
		models.UsageInUse, models.UsageInUse, models.UsageIdle, models.UsageUnderRepair, models.UsagePendingDisposal}
	rooms := []string{"办公室", "会议室", "库房", "档案室", "值班室", "接待室"}
	now := a.now()
	const perTx = 20000
	for start := 0; start < n; start += perTx {
		err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			ins := multiInsert{head: "INSERT INTO assets (" + assetColumns + ") VALUES ", columns: assetColumnCount}
			defer ins.close()
			var batch []any
			rows := 0
			for i := start; i < min(n, start+perTx); i++ {
				w := rng.IntN(total)
				it := benchItems[0]
				for _, c := range benchItems {
					if w < c.weight {
						it = c
						break
					}
					w -= c.weight
				}
				unit := i % units
				acq := models.Date{Year: 2010 + rng.IntN(16), Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)}
				as := models.Asset{UnitID: unitIDs[unit], AssetNo: fmt.Sprintf("ZC%03d-%07d", unit+1, i), Name: it.names[rng.IntN(len(it.names))],
					CategoryCode: it.category, Quantity: 1, MeasureUnit: "台", OriginalValue: models.Money(it.price + int64(rng.IntN(int(it.price/5)))),
					AcquiredOn: acq, UsageStatus: statuses[rng.IntN(len(statuses))], Condition: models.ConditionUsable,
					Department: rooms[rng.IntN(2)], Custodian: fmt.Sprintf("职工%04d", rng.IntN(5000)),
					Location: fmt.Sprintf("%d楼%d%02d%s", 1+rng.IntN(6), 1+rng.IntN(6), 1+rng.IntN(30), rooms[rng.IntN(len(rooms))]),
					Model:    it.models[rng.IntN(len(it.models))], Brand: it.brands[rng.IntN(len(it.brands))], Version: 1, CreatedAt: now, UpdatedAt: now}
				if as.UsageStatus == models.UsageIdle {
					as.IdleSince = models.Date{Year: 2025, Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)}
				}
				batch = insertValues(&as, batch)
				rows++
				if rows == rowBatch {
					if _, err := ins.exec(ctx, tx, rows, batch); err != nil {
						return internal(err, "insert bench assets")
					}
					batch, rows = batch[:0], 0
				}
			}
			if rows > 0 {
				if _, err := ins.exec(ctx, tx, rows, batch); err != nil {
					return internal(err, "insert bench assets")
				}
			}
			return nil
		})
		if err != nil {
			return nil, 0, err
		}
	}
	// Statistics as after an import (see refreshStats).
	a.refreshStats(ctx)
	return fin, units, nil
}

// BenchAPI measures the register API on a database filled by LoadBenchAssets. get performs one
// GET of an API path (below /api/v1) over HTTP as finance and fails on any status but 200.
func (a *App) BenchAPI(ctx context.Context, finance *models.User, units, samples int, get func(path string) error) (*APIBenchResult, error) {
	res := &APIBenchResult{Units: units, Samples: samples, LikeSamples: max(5, samples/20), SearchTerm: benchSearchTerm, DeepPage: 10000}
	if err := a.read.WithContext(ctx).Raw("SELECT COUNT(*) FROM assets").Scan(&res.Assets).Error; err != nil {
		return nil, internal(err, "count assets")
	}
	sqlDB, err := a.read.DB()
	if err != nil {
		return nil, err
	}
	mid := fmt.Sprintf("U%03d", units/2+1)

	// 1. A filtered first page: the API against its own two statements prepared directly.
	res.FilterQuery = "unit=" + mid + "&category=A02&status=in_use&limit=50"
	f := AssetFilter{UnitCode: mid, Category: "A02", Statuses: []models.UsageStatus{models.UsageInUse}, Limit: 50}
	if err := a.scope(ctx, finance, &f); err != nil {
		return nil, err
	}
	l, err := a.buildList(&f)
	if err != nil {
		return nil, err
	}
	direct, closeDirect, err := preparedList(ctx, sqlDB, l)
	if err != nil {
		return nil, err
	}
	defer closeDirect()
	if err := sqlDB.QueryRowContext(ctx, l.count, l.filterArgs...).Scan(&res.FilterMatches); err != nil {
		return nil, internal(err, "count filter")
	}
	apiT, err := sample(samples, func() error { return get("/assets?" + res.FilterQuery) })
	if err != nil {
		return nil, err
	}
	sqlT, err := sample(samples, direct)
	if err != nil {
		return nil, err
	}
	res.APIP50, res.APIP99 = pct(apiT, 50), pct(apiT, 99)
	res.SQLP50, res.SQLP99 = pct(sqlT, 50), pct(sqlT, 99)

	// 2. Page 10,000 against page 1 of the district's register in its default order. The
	// cursor of page 10,000 is the position after row 499,950 (or as deep as the data goes).
	deepRow := min(res.DeepPage*50-50, res.Assets-50)
	res.DeepPage = deepRow/50 + 1
	var key struct {
		UnitID  int64
		AssetNo string
		ID      uint
	}
	if err := a.read.WithContext(ctx).Raw("SELECT unit_id, asset_no, id FROM assets ORDER BY unit_id, asset_no, id LIMIT 1 OFFSET ?", max(deepRow-1, 0)).Scan(&key).Error; err != nil {
		return nil, internal(err, "find deep page")
	}
	after := encodeCursor(cursor{Sort: "", Vals: []any{key.UnitID, key.AssetNo}, ID: key.ID})
	first, err := sample(samples, func() error { return get("/assets?limit=50") })
	if err != nil {
		return nil, err
	}
	deep, err := sample(samples, func() error { return get("/assets?limit=50&after=" + after) })
	if err != nil {
		return nil, err
	}
	res.FirstPageP50, res.FirstPageP99 = pct(first, 50), pct(first, 99)
	res.DeepPageP50, res.DeepPageP99 = pct(deep, 50), pct(deep, 99)
	for i, after := range []string{"", after} {
		f := AssetFilter{Limit: 50, After: after}
		if err := a.scope(ctx, finance, &f); err != nil {
			return nil, err
		}
		l, err := a.buildList(&f)
		if err != nil {
			return nil, err
		}
		rowsOnly, closeRows, err := preparedList(ctx, sqlDB, &listSQL{page: l.page, pageArgs: l.pageArgs})
		if err != nil {
			return nil, err
		}
		t, err := sample(samples, rowsOnly)
		closeRows()
		if err != nil {
			return nil, err
		}
		if i == 0 {
			res.FirstRowsP99 = pct(t, 99)
		} else {
			res.DeepRowsP99 = pct(t, 99)
		}
	}

	// 3. The search against LIKE '%…%' giving the same page and count, and the search's sums.
	sf := AssetFilter{Q: benchSearchTerm, Limit: 50}
	if err := a.scope(ctx, finance, &sf); err != nil {
		return nil, err
	}
	sl, err := a.buildList(&sf)
	if err != nil {
		return nil, err
	}
	if err := sqlDB.QueryRowContext(ctx, sl.count, sl.filterArgs...).Scan(&res.SearchMatches); err != nil {
		return nil, internal(err, "count search")
	}
	search, err := sample(samples, func() error { return get("/assets?limit=50&q=" + benchSearchTerm) })
	if err != nil {
		return nil, err
	}
	pat := likeContains(benchSearchTerm)
	where := ` WHERE (a.asset_no LIKE ? OR a.name LIKE ? OR a.model LIKE ? OR a.brand LIKE ? OR a.location LIKE ?)`
	likeArgs := []any{pat, pat, pat, pat, pat}
	like := &listSQL{
		page: "SELECT " + listColumns + ` FROM assets a JOIN units u ON u.id = a.unit_id
		LEFT JOIN categories c ON c.code = a.category_code` + where + " ORDER BY a.unit_id, a.asset_no, a.id LIMIT 51",
		pageArgs: likeArgs,
		count:    "SELECT COUNT(*) FROM assets a" + where, filterArgs: likeArgs,
	}
	var likeCount int64
	if err := sqlDB.QueryRowContext(ctx, like.count, likeArgs...).Scan(&likeCount); err != nil {
		return nil, internal(err, "count like")
	}
	if likeCount != res.SearchMatches {
		return nil, fmt.Errorf("search found %d cards, LIKE %d: the two must agree", res.SearchMatches, likeCount)
	}
	likeRun, closeLike, err := preparedList(ctx, sqlDB, like)
	if err != nil {
		return nil, err
	}
	defer closeLike()
	likeT, err := sample(res.LikeSamples, likeRun)
	if err != nil {
		return nil, err
	}
	sums, err := sample(samples, func() error { return get("/assets/totals?q=" + benchSearchTerm) })
	if err != nil {
		return nil, err
	}
	res.SearchP50, res.SearchP99 = pct(search, 50), pct(search, 99)
	res.LikeP50, res.LikeP99 = pct(likeT, 50), pct(likeT, 99)
	res.SearchTotalsP50, res.SearchTotalsP99 = pct(sums, 50), pct(sums, 99)

	res.APISQLP99Ratio = round2(res.APIP99 / res.SQLP99)
	res.DeepFirstRatio = round2(res.DeepPageP99 / res.FirstPageP99)
	res.LikeSearchRatio = round2(res.LikeP99 / res.SearchP99)
	return res, nil
}

// preparedList prepares a list's page (and count, when it has one) on the read pool and
// returns a function that runs them and reads every row, as the API does.
func preparedList(ctx context.Context, db *sql.DB, l *listSQL) (func() error, func(), error) {
	page, err := db.PrepareContext(ctx, l.page)
	if err != nil {
		return nil, nil, internal(err, "prepare page")
	}
	var count *sql.Stmt
	if l.count != "" {
		if count, err = db.PrepareContext(ctx, l.count); err != nil {
			page.Close()
			return nil, nil, internal(err, "prepare count")
		}
	}
	run := func() error {
		if count != nil {
			var n int64
			if err := count.QueryRowContext(ctx, l.filterArgs...).Scan(&n); err != nil {
				return err
			}
		}
		return readAll(page.QueryContext(ctx, l.pageArgs...))
	}
	closeAll := func() {
		page.Close()
		if count != nil {
			count.Close()
		}
	}
	return run, closeAll, nil
}

// readAll reads every row of a query, as the API scans them.
func readAll(rows *sql.Rows, err error) error {
	if err != nil {
		return err
	}
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	for i := range vals {
		vals[i] = new(any)
	}
	for rows.Next() {
		if err := rows.Scan(vals...); err != nil {
			rows.Close()
			return err
		}
	}
	return rows.Close()
}

// sample runs fn a tenth as many times again to warm up, then n times, and returns the
// durations in milliseconds, sorted.
func sample(n int, fn func() error) ([]float64, error) {
	for range max(2, n/10) {
		if err := fn(); err != nil {
			return nil, err
		}
	}
	out := make([]float64, n)
	for i := range out {
		start := time.Now()
		if err := fn(); err != nil {
			return nil, err
		}
		out[i] = float64(time.Since(start).Microseconds()) / 1000
	}
	slices.Sort(out)
	return out, nil
}

// pct is the p-th percentile of sorted durations (nearest rank).
func pct(sorted []float64, p int) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return round2(sorted[max(0, min(len(sorted)-1, i-1))])
}
