package app

import (
	"context"
	"maps"
	"slices"
	"strings"

	"gorm.io/gorm"

	"assetpool/models"
)

// IdleCandidate is one card of the worth-checking list (值得核实): registered as in use, but
// likely idle for the reasons given. The clerk confirms (the card is marked idle) or dismisses
// it (it is in use after all); either decision is remembered.
type IdleCandidate struct {
	AssetID      uint            `json:"asset_id"`
	UnitCode     string          `json:"unit_code"`
	UnitName     string          `json:"unit_name"`
	AssetNo      string          `json:"asset_no"`
	Name         string          `json:"name"`
	CategoryCode string          `json:"category_code"`
	CategoryName string          `json:"category_name"`
	Quantity     int             `json:"quantity"`
	MeasureUnit  string          `json:"measure_unit"`
	Department   string          `json:"department"`
	Custodian    string          `json:"custodian"`
	Location     string          `json:"location"`
	Remarks      string          `json:"remarks"`
	AcquiredOn   models.Date     `json:"acquired_on"`
	Reasons      []IdleReasonRef `json:"reasons"`
	Version      int             `json:"version"`
}

// IdleReasonRef is a reason of the worth-checking list with its label.
type IdleReasonRef struct {
	Code  models.IdleReason `json:"code"`
	Label string            `json:"label"`
}

func idleReasonRefs(rs []models.IdleReason) []IdleReasonRef {
	out := make([]IdleReasonRef, len(rs))
	for i, r := range rs {
		out[i] = IdleReasonRef{Code: r, Label: r.Label()}
	}
	return out
}

// idleCheckLimit caps one page of the worth-checking list: it is worked through from the top,
// and what the clerk decides leaves it.
const idleCheckLimit = 500

// IdleCandidates returns the worth-checking list, most reasons first, then by asset number,
// and how many cards it holds in all. A clerk sees their own unit (unitCode empty or their
// own); finance and administrators name any unit, or leave unitCode empty for the whole
// district. Cards with a decision are never proposed again.
func (a *App) IdleCandidates(ctx context.Context, actor *models.User, unitCode string, limit int) ([]IdleCandidate, int, error) {
	var unitID *uint
	switch {
	case unitCode != "":
		u, err := a.UnitByCode(ctx, unitCode)
		if err != nil {
			return nil, 0, err
		}
		if !actor.CanReadUnit(u.ID) {
			return nil, 0, models.Errorf(models.EForbidden, "您只能核实本单位的资产")
		}
		unitID = &u.ID
	case actor.Role == models.RoleClerk:
		if actor.UnitID == nil {
			return nil, 0, models.Errorf(models.EForbidden, "您的账号还没有指定所属单位")
		}
		unitID = actor.UnitID
	}
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, idleCheckLimit)
	cats, err := a.categoryTable(ctx)
	if err != nil {
		return nil, 0, err
	}
	db := a.read.WithContext(ctx)
	q, err := idleCheckQuery(db, unitID, cats, a.Today())
	if err != nil {
		return nil, 0, err
	}
	var total int64
	if err := db.Raw("WITH cand AS ("+q.sql+") SELECT COUNT(*) FROM cand a WHERE "+idleReasonSum+" > 0", q.args...).Scan(&total).Error; err != nil {
		return nil, 0, internal(err, "count idle candidates")
	}
	var rows []idleRow
	err = db.Raw(`WITH cand AS (`+q.sql+`)
		SELECT a.*, u.code AS unit_code, u.name AS unit_name, COALESCE(c.name, '') AS category_name
		FROM cand a JOIN units u ON u.id = a.unit_id LEFT JOIN categories c ON c.code = a.category_code
		WHERE `+idleReasonSum+` > 0 ORDER BY `+idleReasonSum+` DESC, a.asset_no, a.id LIMIT ?`,
		append(q.args, limit)...).Scan(&rows).Error
	if err != nil {
		return nil, 0, internal(err, "list idle candidates")
	}
	out := make([]IdleCandidate, len(rows))
	for i, r := range rows {
		out[i] = IdleCandidate{AssetID: r.ID, UnitCode: r.UnitCode, UnitName: r.UnitName, AssetNo: r.AssetNo, Name: r.Name,
			CategoryCode: r.CategoryCode, CategoryName: r.CategoryName, Quantity: r.Quantity, MeasureUnit: r.MeasureUnit,
			Department: r.Department, Custodian: r.Custodian, Location: r.Location, Remarks: r.Remarks,
			AcquiredOn: r.AcquiredOn, Reasons: idleReasonRefs(r.reasons()), Version: r.Version}
	}
	return out, int(total), nil
}

// idleRow is what the candidate query scans into: the card, and one flag per rule.
type idleRow struct {
	ID              uint
	UnitID          uint
	UnitCode        string
	UnitName        string
	AssetNo         string
	Name            string
	CategoryCode    string
	CategoryName    string
	Quantity        int
	MeasureUnit     string
	Department      string
	Custodian       string
	Location        string
	Remarks         string
	AcquiredOn      models.Date
	Version         int
	RNoCustodian    bool `gorm:"column:r_no_custodian"`
	RStoreRoom      bool `gorm:"column:r_store_room"`
	RReportedUnused bool `gorm:"column:r_reported_unused"`
	RPastLife       bool `gorm:"column:r_past_life"`
}

func (r *idleRow) reasons() []models.IdleReason {
	var out []models.IdleReason
	for i, ok := range []bool{r.RNoCustodian, r.RStoreRoom, r.RReportedUnused, r.RPastLife} {
		if ok {
			out = append(out, models.IdleReasons[i])
		}
	}
	return out
}

// idleReasonSum is how many rules a row of the candidate query matches.
const idleReasonSum = "(a.r_no_custodian + a.r_store_room + a.r_reported_unused + a.r_past_life)"

// idleSQL is the candidate query: every undecided in-use card of the scope with one 0/1
// column per rule, the same rules as models.CheckIdle, written in SQL so that only the
// candidates leave the database.
type idleSQL struct {
	sql  string
	args []any
}

// idleCheckQuery builds the candidate query over db's view of the register; unitID nil is
// every unit. Past life needs each category's minimum life, which the category table
// inherits down its tree: the query compares the acquisition date with a cutoff per life,
// for the categories the scope's in-use cards actually use.
func idleCheckQuery(db *gorm.DB, unitID *uint, cats map[string]categoryInfo, today models.Date) (*idleSQL, error) {
	scope, scopeArgs := "a.usage_status = ?", []any{models.UsageInUse}
	if unitID != nil {
		scope, scopeArgs = "a.unit_id = ? AND "+scope, append([]any{*unitID}, scopeArgs...)
	}
	var codes []string
	if err := db.Raw("SELECT DISTINCT a.category_code FROM assets a WHERE "+scope, scopeArgs...).Scan(&codes).Error; err != nil {
		return nil, internal(err, "list categories in use")
	}
	byCutoff := map[string][]string{}
	for _, c := range codes {
		if life := cats[c].LifeYears; life > 0 {
			k := models.PastLifeBefore(life, today).String()
			byCutoff[k] = append(byCutoff[k], c)
		}
	}
	var args []any
	// TRIM drops what strings.TrimSpace would: spaces, tabs, line breaks, no-break and
	// full-width spaces.
	noCustodian := "(TRIM(COALESCE(a.custodian, ''), char(32, 9, 10, 11, 12, 13, 160, 12288)) = '')"
	contains := func(col string, words []string) string {
		parts := make([]string, len(words))
		for i, w := range words {
			parts[i] = "instr(COALESCE(" + col + ", ''), ?) > 0"
			args = append(args, w)
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	}
	storeRoom := contains("a.location", models.StoreRoomWords)
	args = append(args, models.UnchangedImportsToCheck)
	reported := "(a.unchanged_imports >= ? AND " + contains("a.remarks", models.UnusedRemarkWords) + ")"
	pastLife := "0"
	if len(byCutoff) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(byCutoff)) {
			// An item received by transfer is as old as its first acquisition.
			parts = append(parts, "(a.category_code IN ? AND COALESCE(a.first_acquired_on, a.acquired_on) < ?)")
			args = append(args, byCutoff[k], k)
		}
		pastLife = "(" + strings.Join(parts, " OR ") + ")"
	}
	// The flags are computed first, so their arguments come before the scope's.
	sql := "SELECT a.id, a.unit_id, a.asset_no, a.name, a.category_code, a.quantity, a.measure_unit, a.department, " +
		"a.custodian, a.location, a.remarks, a.acquired_on, a.version, " +
		noCustodian + " AS r_no_custodian, " + storeRoom + " AS r_store_room, " +
		reported + " AS r_reported_unused, " + pastLife + " AS r_past_life " +
		"FROM assets a WHERE " + scope +
		" AND NOT EXISTS (SELECT 1 FROM idle_checks ic WHERE ic.asset_id = a.id AND ic.unit_id = a.unit_id)"
	return &idleSQL{sql: sql, args: append(args, scopeArgs...)}, nil
}

// ParseIdleDecision reads a decision as the API gives it: "confirm" or "dismiss" (or the
// stored words "confirmed" and "dismissed").
func ParseIdleDecision(s string) (models.IdleDecision, error) {
	switch strings.TrimSpace(s) {
	case "confirm", string(models.IdleConfirmed):
		return models.IdleConfirmed, nil
	case "dismiss", string(models.IdleDismissed):
		return models.IdleDismissed, nil
	}
	return "", models.Errorf(models.EInvalid, "核实结果应为 confirm（确认闲置）或 dismiss（仍在使用）")
}

// DecideIdleCheck records the clerk's decision on a card of the worth-checking list: confirm
// marks the card idle (as MarkAssets does, in the same transaction) and dismiss keeps it in
// use; either way the list does not propose the card again. Deciding again replaces the
// earlier decision. Only the owning unit's clerk decides.
func (a *App) DecideIdleCheck(ctx context.Context, actor *models.User, assetID uint, decision string) error {
	d, err := ParseIdleDecision(decision)
	if err != nil {
		return err
	}
	if _, err := a.assetFor(ctx, actor, assetID, true); err != nil {
		return err
	}
	cats, err := a.categoryTable(ctx)
	if err != nil {
		return err
	}
	today := a.Today()
	return a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old, err := loadAsset(tx, assetID)
		if err != nil {
			return err
		}
		if !actor.CanWriteUnit(old.UnitID) {
			return models.Errorf(models.EForbidden, "只有本单位的资产管理员可以核实这张资产卡片")
		}
		reasons := models.CheckIdle(old, cats[old.CategoryCode].LifeYears, today)
		codes := make([]string, len(reasons))
		for i, r := range reasons {
			codes[i] = string(r)
		}
		var before any
		after := map[string]any{"decision": d, "reasons": codes}
		action := "asset.check_dismiss"
		if d == models.IdleConfirmed {
			action = "asset.check_confirm"
			switch old.UsageStatus {
			case models.UsageIdle:
				// Marked idle meanwhile, by the register or an import: the decision stands.
			case models.UsageInUse:
				diff, err := a.markCard(tx, old, models.UsageIdle)
				if err != nil {
					return err
				}
				before = diff.before
				maps.Copy(after, diff.after)
			default:
				return models.Errorf(models.EConflict, "资产 %s 现在的使用状况是「%s」，不是在用：请刷新后重新核实", old.AssetNo, old.UsageStatus.Label())
			}
		}
		var ic models.IdleCheck
		if err := tx.Where("asset_id = ?", old.ID).Limit(1).Find(&ic).Error; err != nil {
			return internal(err, "load idle check")
		}
		ic.AssetID, ic.UnitID, ic.Decision, ic.Reasons = old.ID, old.UnitID, d, models.JoinIdleReasons(reasons)
		ic.DecidedByID, ic.DecidedAt = &actor.ID, a.now()
		if err := tx.Omit("Asset").Save(&ic).Error; err != nil {
			return internal(err, "save idle check")
		}
		return a.audit(tx, actor, action, "asset", old.ID, &old.UnitID, before, after)
	})
}
