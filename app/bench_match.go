package app

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"assetpool/models"
)

// MatchBenchResult is what `assetpool bench match` measures on one database: the per-request
// greedy baseline and the optimal allocation, each end to end from loading the pool and the
// requests to storing the proposals, with their objectives (total score × pieces).
type MatchBenchResult struct {
	Items            int     `json:"items"`
	Requests         int     `json:"requests"`
	Units            int     `json:"units"`
	LoadSeconds      float64 `json:"load_seconds"`
	GreedySeconds    float64 `json:"greedy_seconds"`
	OptimalSeconds   float64 `json:"optimal_seconds"`
	TimeRatio        float64 `json:"time_ratio"`
	GreedyObjective  float64 `json:"greedy_objective"`
	OptimalObjective float64 `json:"optimal_objective"`
	GreedyProposals  int     `json:"greedy_proposals"`
	OptimalProposals int     `json:"optimal_proposals"`
	PeakMB           float64 `json:"peak_mb"`
	PeakMethod       string  `json:"peak_method"`
	// RerunSeconds times a second full run straight after the optimal one: it reopens every
	// proposal that run made and must keep them all (RerunChanged counts those it changed).
	RerunSeconds float64 `json:"rerun_seconds"`
	RerunChanged int     `json:"rerun_changed"`
}

// benchRequirements are what synthetic requests ask for, by category.
var benchRequirements = map[string][]string{
	"A02010105": {"", "联想 i5 16G 512G", "戴尔 OptiPlex"},
	"A02010108": {"", "ThinkPad 14寸", "华为 MateBook"},
	"A02021004": {"", "彩色激光 双面", "惠普 M454dn"},
	"A05010301": {"", "网背 可升降", "震旦"},
}

// LoadBenchMatch fills an empty database with 50 units in 8 areas, items idle pool cards
// (the benchmark register's kinds, some cards holding several pieces) and requests submitted
// purchase requests, deterministically.
func (a *App) LoadBenchMatch(ctx context.Context, items, requests int) (int, error) {
	if items < 1 || requests < 1 {
		return 0, models.Errorf(models.EInvalid, "--items 和 --requests 必须大于 0")
	}
	const units = 50
	rng := rand.New(rand.NewPCG(5, uint64(items)<<20|uint64(requests)))
	var unitIDs []uint
	for i := range units {
		u := &models.Unit{Code: fmt.Sprintf("U%03d", i+1), Name: fmt.Sprintf("第%d单位", i+1), Area: fmt.Sprintf("第%d街道", i%8+1), Staff: 20 + rng.IntN(100)}
		if err := a.CreateUnit(ctx, nil, u); err != nil {
			return 0, err
		}
		unitIDs = append(unitIDs, u.ID)
	}
	total := 0
	for _, it := range benchItems {
		total += it.weight
	}
	pick := func() benchItem {
		w := rng.IntN(total)
		for _, c := range benchItems {
			if w < c.weight {
				return c
			}
			w -= c.weight
		}
		return benchItems[0]
	}
	conds := []models.Condition{models.ConditionUsable, models.ConditionUsable, models.ConditionUsable, models.ConditionNew}
	now := a.now()
	const perTx = 20000
	for start := 0; start < items; start += perTx {
		err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			ins := multiInsert{head: "INSERT INTO assets (" + assetColumns + ") VALUES ", columns: assetColumnCount}
			defer ins.close()
			var batch []any
			rows := 0
			for i := start; i < min(items, start+perTx); i++ {
				it := pick()
				unit := rng.IntN(units)
				q := 1
				if it.category[:3] == "A05" && rng.IntN(4) == 0 {
					q = 2 + rng.IntN(10)
				}
				as := models.Asset{UnitID: unitIDs[unit], AssetNo: fmt.Sprintf("ZC%03d-%07d", unit+1, i), Name: it.names[rng.IntN(len(it.names))],
					CategoryCode: it.category, Quantity: q, MeasureUnit: "台", OriginalValue: models.Money(int64(q) * (it.price + int64(rng.IntN(int(it.price/5))))),
					AcquiredOn:  models.Date{Year: 2014 + rng.IntN(12), Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)},
					UsageStatus: models.UsageIdle, Condition: conds[rng.IntN(len(conds))], Location: "库房",
					IdleSince: models.Date{Year: 2025, Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)},
					Model:     it.models[rng.IntN(len(it.models))], Brand: it.brands[rng.IntN(len(it.brands))], Version: 1, CreatedAt: now, UpdatedAt: now}
				batch = insertValues(&as, batch)
				rows++
				if rows == rowBatch {
					if _, err := ins.exec(ctx, tx, rows, batch); err != nil {
						return internal(err, "insert bench pool")
					}
					batch, rows = batch[:0], 0
				}
			}
			if rows > 0 {
				if _, err := ins.exec(ctx, tx, rows, batch); err != nil {
					return internal(err, "insert bench pool")
				}
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	submitted := now.UTC()
	rs := make([]models.PurchaseRequest, 0, requests)
	for i := range requests {
		it := pick()
		reqs := benchRequirements[it.category]
		if reqs == nil {
			reqs = []string{""}
		}
		min := models.ConditionUsable
		if rng.IntN(5) == 0 {
			min = models.ConditionNew
		}
		r := models.PurchaseRequest{UnitID: unitIDs[rng.IntN(units)], CategoryCode: it.category, Name: it.names[0],
			Requirements: reqs[rng.IntN(len(reqs))], Quantity: 1 + rng.IntN(3), UnitPrice: models.Money(it.price),
			MinCondition: min, Status: models.RequestSubmitted, SubmittedAt: &submitted, Version: 1}
		if rng.IntN(3) > 0 {
			r.NeededBy = models.Date{Year: 2027, Month: time.Month(1 + rng.IntN(12)), Day: 1}
		}
		if i%10 == 0 {
			r.UnitPrice = 0
		}
		rs = append(rs, r)
	}
	if err := a.db.WithContext(ctx).CreateInBatches(&rs, 500).Error; err != nil {
		return 0, internal(err, "insert bench requests")
	}
	a.refreshStats(ctx)
	return units, nil
}

// resetMatching forgets every proposal and run, so that the next run starts from the same
// state as the first.
func (a *App) resetMatching(ctx context.Context) error {
	return a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, s := range []string{"DELETE FROM proposals", "DELETE FROM no_match_records", "DELETE FROM match_runs",
			"UPDATE purchase_requests SET proposed_quantity = 0, status = 'submitted'"} {
			if err := tx.Exec(s).Error; err != nil {
				return internal(err, "reset matching")
			}
		}
		return nil
	})
}

// BenchMatch runs the greedy baseline and the optimal allocation on the loaded database, one
// after the other from the same state, and compares them.
func (a *App) BenchMatch(ctx context.Context) (*MatchBenchResult, error) {
	res := &MatchBenchResult{}
	db := a.read.WithContext(ctx)
	var n int64
	if err := db.Model(&models.Asset{}).Count(&n).Error; err != nil {
		return nil, internal(err, "count pool")
	}
	res.Items = int(n)
	if err := db.Model(&models.PurchaseRequest{}).Count(&n).Error; err != nil {
		return nil, internal(err, "count requests")
	}
	res.Requests = int(n)
	if err := db.Model(&models.Unit{}).Count(&n).Error; err != nil {
		return nil, internal(err, "count units")
	}
	res.Units = int(n)
	var greedy, optimal *MatchResult
	var err error
	// One untimed run first, so that both timed runs find the file in the page cache.
	if _, err := a.runMatching(ctx, nil, models.TriggerCLI, nil, true); err != nil {
		return nil, err
	}
	if err := a.resetMatching(ctx); err != nil {
		return nil, err
	}
	res.GreedySeconds, _, _ = measure(func() { greedy, err = a.runMatching(ctx, nil, models.TriggerCLI, nil, true) })
	if err != nil {
		return nil, err
	}
	if err := a.resetMatching(ctx); err != nil {
		return nil, err
	}
	res.OptimalSeconds, res.PeakMB, res.PeakMethod = measure(func() { optimal, err = a.runMatching(ctx, nil, models.TriggerCLI, nil, false) })
	if err != nil {
		return nil, err
	}
	res.RerunSeconds, _, _ = measure(func() { _, err = a.runMatching(ctx, nil, models.TriggerCLI, nil, false) })
	if err != nil {
		return nil, err
	}
	var changed int64
	if err := db.Model(&models.Proposal{}).Where("reason LIKE ?", rematchPrefix+"%").Count(&changed).Error; err != nil {
		return nil, internal(err, "count changed proposals")
	}
	res.RerunChanged = int(changed)
	res.GreedySeconds, res.OptimalSeconds, res.RerunSeconds = round3(res.GreedySeconds), round3(res.OptimalSeconds), round3(res.RerunSeconds)
	res.TimeRatio = round2(res.OptimalSeconds / res.GreedySeconds)
	res.GreedyObjective, res.OptimalObjective = greedy.Objective, optimal.Objective
	res.GreedyProposals, res.OptimalProposals = greedy.Proposals, optimal.Proposals
	return res, nil
}
