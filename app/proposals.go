package app

import (
	"context"
	"errors"
	"slices"
	"strings"

	"gorm.io/gorm"

	"assetpool/models"
)

// ProposalView is a proposal as the API shows it: the request, the item and both units by
// name, labels and the score's reasons.
type ProposalView struct {
	models.Proposal
	RequestName     string           `json:"request_name"`
	RequestUnit     string           `json:"request_unit"`
	RequestUnitName string           `json:"request_unit_name"`
	AssetNo         string           `json:"asset_no"`
	AssetName       string           `json:"asset_name"`
	CategoryCode    string           `json:"category_code"`
	CategoryName    string           `json:"category_name"`
	Model           string           `json:"model"`
	Brand           string           `json:"brand"`
	Condition       models.Condition `json:"condition"`
	ConditionLabel  string           `json:"condition_label"`
	SourceUnit      string           `json:"source_unit"`
	SourceUnitName  string           `json:"source_unit_name"`
	SourceArea      string           `json:"source_area"`
	OriginalValue   models.Money     `json:"original_value"`
	NetValue        models.Money     `json:"net_value"`
	StatusLabel     string           `json:"status_label"`
	// Flow is the procedure the proposal follows: a reassignment between two units, or the
	// unit's own idle item put back in use for its own request (own_unit).
	Flow models.Flow `json:"flow"`
	// Actions are what the viewer may do now.
	Actions []ActionOffer `json:"actions"`
	// books are what approving it now would book, while its card still offers the pieces.
	books *models.TransferBooks
}

// ProposalFilter selects proposals: of one request, touching one unit (as requester or
// source), in some statuses.
type ProposalFilter struct {
	RequestID uint
	UnitCode  string
	Statuses  []models.ProposalStatus
	After     uint
	Limit     int
}

// ProposalPage is a page of proposals, newest first.
type ProposalPage struct {
	Items []ProposalView `json:"items"`
	Total int64          `json:"total"`
	Next  *string        `json:"next"`
}

// ListProposals returns proposals the actor may see: a clerk those whose request or item
// belongs to their unit, finance and admin all.
func (a *App) ListProposals(ctx context.Context, actor *models.User, f ProposalFilter) (*ProposalPage, error) {
	db := a.read.WithContext(ctx)
	q := db.Model(&models.Proposal{})
	if actor.Role == models.RoleClerk {
		if actor.UnitID == nil {
			return nil, models.Errorf(models.EForbidden, "您的账号还没有指定所属单位")
		}
		q = q.Where("(request_unit_id = ? OR source_unit_id = ?)", *actor.UnitID, *actor.UnitID)
	}
	if f.UnitCode != "" {
		u, err := a.UnitByCode(ctx, f.UnitCode)
		if err != nil {
			return nil, err
		}
		q = q.Where("(request_unit_id = ? OR source_unit_id = ?)", u.ID, u.ID)
	}
	if f.RequestID > 0 {
		q = q.Where("request_id = ?", f.RequestID)
	}
	q, err := whereStatus(q, f.Statuses, "调剂建议状态")
	if err != nil {
		return nil, err
	}
	page := &ProposalPage{Items: []ProposalView{}}
	ps, err := newestFirst(q, f.After, f.Limit, &page.Total, &page.Next, func(p *models.Proposal) uint { return p.ID })
	if err != nil {
		return nil, internal(err, "list proposals")
	}
	views, err := a.proposalViewsFor(ctx, actor, ps)
	if err != nil {
		return nil, err
	}
	page.Items = views
	return page, nil
}

// RequestProposals returns every proposal made for a request the actor may see, self matches
// and the best scores first.
func (a *App) RequestProposals(ctx context.Context, actor *models.User, id uint) ([]ProposalView, error) {
	db := a.read.WithContext(ctx)
	if _, err := a.loadRequest(db, actor, id); err != nil {
		return nil, err
	}
	var ps []models.Proposal
	if err := db.Where("request_id = ?", id).Order("self_match DESC, score DESC, id").Find(&ps).Error; err != nil {
		return nil, internal(err, "list proposals")
	}
	return a.proposalViewsFor(ctx, actor, ps)
}

// SearchRecord returns the latest no-match record (调剂查询记录) of a request, or nil.
func (a *App) SearchRecord(ctx context.Context, actor *models.User, id uint) (*models.NoMatchRecord, error) {
	db := a.read.WithContext(ctx)
	if _, err := a.loadRequest(db, actor, id); err != nil {
		return nil, err
	}
	var rec models.NoMatchRecord
	err := db.Where("request_id = ?", id).Order("id DESC").First(&rec).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, internal(err, "load search record")
	}
	return &rec, nil
}

// proposalViewsFor dresses proposals for the API, with what actor may do to each.
func (a *App) proposalViewsFor(ctx context.Context, actor *models.User, ps []models.Proposal) ([]ProposalView, error) {
	out := make([]ProposalView, 0, len(ps))
	if len(ps) == 0 {
		return out, nil
	}
	db := a.read.WithContext(ctx)
	reqIDs := make([]uint, 0, len(ps))
	assetIDs := make([]uint, 0, len(ps))
	for _, p := range ps {
		reqIDs = append(reqIDs, p.RequestID)
		assetIDs = append(assetIDs, p.AssetID)
	}
	var rs []models.PurchaseRequest
	if err := db.Select("id, name, unit_id").Where("id IN ?", reqIDs).Find(&rs).Error; err != nil {
		return nil, internal(err, "load requests")
	}
	reqs := make(map[uint]*models.PurchaseRequest, len(rs))
	for i := range rs {
		reqs[rs[i].ID] = &rs[i]
	}
	var as []models.Asset
	if err := db.Where("id IN ?", assetIDs).Find(&as).Error; err != nil {
		return nil, internal(err, "load assets")
	}
	assets := make(map[uint]*models.Asset, len(as))
	for i := range as {
		assets[as[i].ID] = &as[i]
	}
	units, err := a.unitsByID(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := a.categoryTable(ctx)
	if err != nil {
		return nil, err
	}
	// Once approved, a proposal's figures are the transfer's: the card has moved and been
	// booked anew by then.
	var tids []uint
	for _, p := range ps {
		if p.TransferID != nil {
			tids = append(tids, *p.TransferID)
		}
	}
	transfers := map[uint]*models.Transfer{}
	if len(tids) > 0 {
		var ts []models.Transfer
		if err := db.Where("id IN ?", tids).Find(&ts).Error; err != nil {
			return nil, internal(err, "load transfers")
		}
		for i := range ts {
			transfers[ts[i].ID] = &ts[i]
		}
	}
	today := a.Today()
	for _, p := range ps {
		v := ProposalView{Proposal: p, StatusLabel: p.Status.Label(), Flow: p.Flow(), Actions: offers(actor, &p)}
		if v.Breakdown == nil {
			v.Breakdown = []models.ScorePart{}
		}
		if r := reqs[p.RequestID]; r != nil {
			v.RequestName = r.Name
		}
		if u := units[p.RequestUnitID]; u != nil {
			v.RequestUnit, v.RequestUnitName = u.Code, u.Name
		}
		if u := units[p.SourceUnitID]; u != nil {
			v.SourceUnit, v.SourceUnitName, v.SourceArea = u.Code, u.Name, u.Area
		}
		if as := assets[p.AssetID]; as != nil {
			v.AssetNo, v.AssetName, v.CategoryCode, v.Model, v.Brand = as.AssetNo, as.Name, as.CategoryCode, as.Model, as.Brand
			v.CategoryName = cats[as.CategoryCode].Name
			v.Condition, v.ConditionLabel = as.Condition, as.Condition.Label()
			// Until approval the value shown is the one approval would book (as of the end of
			// last month), from the same computation, so that no list, dialog or order differs.
			b := models.BooksOfTransfer(as, p.Quantity, cats[as.CategoryCode].life(), today)
			v.OriginalValue, v.NetValue = b.OriginalValue, b.NetValue
			if as.UnitID == p.SourceUnitID && as.InPool(a.cfg.PoolRepairable) && as.Offered() >= p.Quantity {
				v.books = &b
			}
		}
		if p.TransferID != nil {
			if t := transfers[*p.TransferID]; t != nil {
				v.OriginalValue, v.NetValue, v.AssetNo = t.OriginalValue, t.NetValue, t.AssetNo
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// endProposal moves a live proposal to an end state (expired, cancelled, declined, rejected),
// freeing its item: the request's proposed quantity shrinks and its status follows.
func (a *App) endProposal(tx *gorm.DB, actor *models.User, p *models.Proposal, to models.ProposalStatus, why string) error {
	before := *p
	set := map[string]any{"status": to, "version": p.Version + 1, "updated_at": a.now().UTC(), "reason": why}
	if to == models.ProposalRejected {
		set["comment"] = why
	}
	res := tx.Model(&models.Proposal{}).Where("id = ? AND version = ?", p.ID, p.Version).Updates(set)
	if res.Error != nil {
		return internal(res.Error, "end proposal")
	}
	if res.RowsAffected != 1 {
		return models.Errorf(models.EConflict, "调剂建议 %d 已被他人处理，请刷新后再试", p.ID)
	}
	p.Status, p.Version, p.Reason = to, p.Version+1, why
	var r models.PurchaseRequest
	if err := tx.First(&r, p.RequestID).Error; err != nil {
		return internal(err, "load request")
	}
	r.ProposedQuantity = max(0, r.ProposedQuantity-p.Quantity)
	upd := map[string]any{"proposed_quantity": r.ProposedQuantity, "version": gorm.Expr("version + 1")}
	if r.Status.Open() {
		upd["status"] = requestState(&r)
	}
	if err := tx.Model(&models.PurchaseRequest{}).Where("id = ?", r.ID).Updates(upd).Error; err != nil {
		return internal(err, "update request")
	}
	return a.audit(tx, actor, "proposal."+string(to), "proposal", p.ID, &p.RequestUnitID, &before,
		map[string]any{"status": to, "reason": why})
}

// matchAfterSubmit matches newly submitted requests at once, over their major classes only
// (the rest of the pool cannot meet them). A failure is logged: the request stands submitted
// and the next run matches it.
func (a *App) matchAfterSubmit(ctx context.Context, actor *models.User, rs []models.PurchaseRequest) {
	prefixes := majorPrefixes(func(yield func(string)) {
		for _, r := range rs {
			yield(r.CategoryCode)
		}
	})
	if len(prefixes) == 0 {
		return
	}
	if _, err := a.runMatching(ctx, nil, models.TriggerRequest, prefixes, false); err != nil {
		a.log.Error("match submitted requests", "err", err)
	}
}

// majorPrefixes collects the distinct major classes of category codes, sorted.
func majorPrefixes(each func(yield func(string))) []string {
	seen := map[string]bool{}
	var out []string
	each(func(code string) {
		if code == "" {
			return
		}
		if m := majorOf(code); !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	})
	slices.Sort(out)
	return out
}

// matchSoon matches, in the background, the open requests of the major classes of the given
// categories: items entered the pool or were freed there. It does nothing when no request of
// those classes is open.
func (a *App) matchSoon(trigger models.MatchTrigger, categories ...string) {
	prefixes := majorPrefixes(func(yield func(string)) {
		for _, c := range categories {
			yield(c)
		}
	})
	if len(prefixes) == 0 {
		return
	}
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		ctx := a.bgCtx
		conds := make([]string, len(prefixes))
		args := []any{[]models.RequestStatus{models.RequestSubmitted, models.RequestPartlyMatched}}
		for i, p := range prefixes {
			conds[i] = "category_code GLOB ?"
			args = append(args, p+"*")
		}
		var n int64
		if err := a.read.WithContext(ctx).Model(&models.PurchaseRequest{}).
			Where("status IN ? AND ("+strings.Join(conds, " OR ")+")", args...).Count(&n).Error; err != nil || n == 0 {
			return
		}
		if _, err := a.runMatching(ctx, nil, trigger, prefixes, false); err != nil && ctx.Err() == nil {
			a.log.Error("match after a pool change", "err", err)
		}
	}()
}

// poolChanged matches, in the background, the classes of a unit's pool items after items of
// the unit entered the pool (an import, a bulk mark).
func (a *App) poolChanged(ctx context.Context, unitID uint) {
	var codes []string
	if err := a.read.WithContext(ctx).Model(&models.Asset{}).Distinct().
		Where("unit_id = ? AND usage_status = ? AND condition IN ?", unitID, models.UsageIdle, a.poolConditions()).
		Pluck("category_code", &codes).Error; err != nil {
		a.log.Error("find pool classes", "err", err)
		return
	}
	a.matchSoon(models.TriggerPool, codes...)
}

// ReleaseExpiredHolds ends the proposals whose hold ran out and offers their items again to
// the open requests of their classes; serve calls it every hour, runs do it too. It returns how
// many holds it released.
func (a *App) ReleaseExpiredHolds(ctx context.Context) (int, error) {
	var codes []string
	err := a.read.WithContext(ctx).Table("proposals p").Joins("JOIN assets a ON a.id = p.asset_id").Distinct().
		Where("p.status IN ? AND p.hold_until < ?", []models.ProposalStatus{models.ProposalProposed, models.ProposalAccepted}, a.now().UTC()).
		Pluck("a.category_code", &codes).Error
	if err != nil {
		return 0, internal(err, "find expired holds")
	}
	if len(codes) == 0 {
		return 0, nil
	}
	res, err := a.runMatching(ctx, nil, models.TriggerExpiry, majorPrefixes(func(yield func(string)) {
		for _, c := range codes {
			yield(c)
		}
	}), false)
	if err != nil {
		return 0, err
	}
	return res.Expired, nil
}

// WaitBackground waits for background work (imports, matching) started so far; tests and the
// CLI use it.
func (a *App) WaitBackground() { a.bg.Wait() }

// MatchRuns returns the latest runs, newest first.
func (a *App) MatchRuns(ctx context.Context, actor *models.User, limit int) ([]models.MatchRun, error) {
	if actor.Role == models.RoleClerk {
		return nil, models.Errorf(models.EForbidden, "只有财政审批人和系统管理员可以查看匹配记录")
	}
	if limit <= 0 || limit > 100 {
		limit = 10
	}
	runs := []models.MatchRun{}
	if err := a.read.WithContext(ctx).Order("id DESC").Limit(limit).Find(&runs).Error; err != nil {
		return nil, internal(err, "list runs")
	}
	for i := range runs {
		runs[i].TriggerLabel = runs[i].Trigger.Label()
	}
	return runs, nil
}
