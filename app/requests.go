package app

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"assetpool/models"
)

// RequestInput is a purchase request as a clerk files or edits it. Unit is the unit's code.
type RequestInput struct {
	Unit         string           `json:"unit"`
	CategoryCode string           `json:"category_code"`
	Name         string           `json:"name"`
	Requirements string           `json:"requirements"`
	Quantity     int              `json:"quantity"`
	UnitPrice    models.Money     `json:"unit_price"`
	NeededBy     models.Date      `json:"needed_by"`
	Reason       string           `json:"reason"`
	MinCondition models.Condition `json:"min_condition"`
	Replaces     []uint           `json:"replaces"`
}

// RequestPatch changes a draft; absent fields stay. Version must be the one the clerk read.
type RequestPatch struct {
	Version      int               `json:"version"`
	CategoryCode *string           `json:"category_code"`
	Name         *string           `json:"name"`
	Requirements *string           `json:"requirements"`
	Quantity     *int              `json:"quantity"`
	UnitPrice    *models.Money     `json:"unit_price"`
	NeededBy     *models.Date      `json:"needed_by"`
	Reason       *string           `json:"reason"`
	MinCondition *models.Condition `json:"min_condition"`
	Replaces     *[]uint           `json:"replaces"`
}

// RequestView is a request as the API shows it: its fields, its unit and category by name,
// labels, and what the viewer may do with it.
type RequestView struct {
	models.PurchaseRequest
	UnitCode          string `json:"unit"`
	UnitName          string `json:"unit_name"`
	UnitArea          string `json:"unit_area"`
	CategoryName      string `json:"category_name"`
	StatusLabel       string `json:"status_label"`
	MinConditionLabel string `json:"min_condition_label"`
	Outstanding       int    `json:"outstanding"`
	CanEdit           bool   `json:"can_edit"`
	CanSubmit         bool   `json:"can_submit"`
	CanWithdraw       bool   `json:"can_withdraw"`
}

// RequestFilter selects requests: a unit by code, statuses, a page after a request id.
type RequestFilter struct {
	UnitCode string
	Statuses []models.RequestStatus
	After    uint
	Limit    int
}

// RequestPage is one page of requests, newest first.
type RequestPage struct {
	Items []RequestView `json:"items"`
	Total int64         `json:"total"`
	Next  *string       `json:"next"`
}

func (a *App) requestView(r *models.PurchaseRequest, u *models.Unit, cats map[string]categoryInfo, actor *models.User) RequestView {
	v := RequestView{PurchaseRequest: *r, CategoryName: cats[r.CategoryCode].Name, StatusLabel: r.Status.Label(),
		MinConditionLabel: r.MinCondition.Label(), Outstanding: r.Outstanding()}
	if v.Replaces == nil {
		v.Replaces = []uint{}
	}
	if u != nil {
		v.UnitCode, v.UnitName, v.UnitArea = u.Code, u.Name, u.Area
	}
	if actor != nil && actor.CanWriteUnit(r.UnitID) {
		v.CanEdit = r.Status.Editable()
		v.CanSubmit = r.Status == models.RequestDraft
		v.CanWithdraw = r.Status.Withdrawable()
	}
	return v
}

// checkRequestFields validates a request's fields against the category table and, for
// replaced cards, the unit's own register.
func (a *App) checkRequestFields(tx *gorm.DB, r *models.PurchaseRequest) error {
	if r.MinCondition == "" {
		r.MinCondition = models.ConditionUsable
	}
	if err := r.Validate(); err != nil {
		return err
	}
	cats, err := a.categoryTable(tx.Statement.Context)
	if err != nil {
		return err
	}
	if _, ok := cats[r.CategoryCode]; !ok {
		return models.Errorf(models.EInvalid, "资产分类 %s 不在分类表中", r.CategoryCode)
	}
	if len(r.Replaces) > 0 {
		seen := uniqueIDs(r.Replaces)
		var n int64
		if err := tx.Model(&models.Asset{}).Where("id IN ? AND unit_id = ?", r.Replaces, r.UnitID).Count(&n).Error; err != nil {
			return internal(err, "check replaced assets")
		}
		if int(n) != len(seen) {
			return models.Errorf(models.EInvalid, "拟替换的资产必须是本单位的资产卡片")
		}
	}
	return nil
}

// CreateRequest files a draft purchase request for the clerk's own unit.
func (a *App) CreateRequest(ctx context.Context, actor *models.User, in RequestInput) (*RequestView, error) {
	unit, err := a.requestUnit(ctx, actor, in.Unit)
	if err != nil {
		return nil, err
	}
	rs, err := a.CreateRequests(ctx, actor, unit.ID, []models.PurchaseRequest{in.request()}, false)
	if err != nil {
		return nil, err
	}
	return &rs[0], nil
}

func (in RequestInput) request() models.PurchaseRequest {
	return models.PurchaseRequest{CategoryCode: strings.TrimSpace(in.CategoryCode), Name: in.Name,
		Requirements: strings.TrimSpace(in.Requirements), Quantity: in.Quantity, UnitPrice: in.UnitPrice,
		NeededBy: in.NeededBy, Reason: strings.TrimSpace(in.Reason), MinCondition: in.MinCondition, Replaces: in.Replaces}
}

// requestUnit is the unit a clerk files for: their own, named or not.
func (a *App) requestUnit(ctx context.Context, actor *models.User, code string) (*models.Unit, error) {
	if actor.Role != models.RoleClerk || actor.UnitID == nil {
		return nil, models.Errorf(models.EForbidden, "只有单位资产管理员可以为本单位填报购置需求")
	}
	if code == "" {
		return a.Unit(ctx, *actor.UnitID)
	}
	u, err := a.UnitByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if !actor.CanWriteUnit(u.ID) {
		return nil, models.Errorf(models.EForbidden, "您只能为本单位填报购置需求")
	}
	return u, nil
}

// CreateRequests files several requests for one unit at once, all or nothing (an .xlsx of
// requests goes through here); with submit they are submitted too. Errors name the request by
// its position, counted from 1.
func (a *App) CreateRequests(ctx context.Context, actor *models.User, unitID uint, rs []models.PurchaseRequest, submit bool) ([]RequestView, error) {
	if actor == nil || !actor.CanWriteUnit(unitID) {
		return nil, models.Errorf(models.EForbidden, "只有本单位的资产管理员可以填报购置需求")
	}
	unit, err := a.Unit(ctx, unitID)
	if err != nil {
		return nil, err
	}
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for i := range rs {
			r := &rs[i]
			r.ID, r.UnitID, r.Status, r.Version = 0, unitID, models.RequestDraft, 1
			r.ProposedQuantity, r.FulfilledQuantity, r.Standards, r.SubmittedAt = 0, 0, nil, nil
			r.CreatedByID = &actor.ID
			if err := a.checkRequestFields(tx, r); err != nil {
				if len(rs) > 1 {
					var de *models.Error
					if errors.As(err, &de) {
						return models.Errorf(de.Code, "第 %d 条需求：%s", i+1, de.Message)
					}
				}
				return err
			}
			if submit {
				if err := a.markSubmitted(tx, r, unit); err != nil {
					return err
				}
			}
			if err := tx.Create(r).Error; err != nil {
				return internal(err, "create request")
			}
			action := "request.create"
			if submit {
				action = "request.submit"
			}
			if err := a.audit(tx, actor, action, "request", r.ID, &unitID, nil, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if submit {
		a.matchAfterSubmit(ctx, actor, rs)
		for i := range rs {
			if err := a.db.WithContext(ctx).First(&rs[i], rs[i].ID).Error; err != nil {
				return nil, internal(err, "reload request")
			}
		}
	}
	cats, err := a.categoryTable(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]RequestView, len(rs))
	for i := range rs {
		out[i] = a.requestView(&rs[i], unit, cats, actor)
	}
	return out, nil
}

// markSubmitted checks a request against the standards and marks it submitted.
func (a *App) markSubmitted(tx *gorm.DB, r *models.PurchaseRequest, unit *models.Unit) error {
	check, err := a.checkStandards(tx, r, unit)
	if err != nil {
		return err
	}
	now := a.now().UTC()
	r.Standards, r.Status, r.SubmittedAt = check, models.RequestSubmitted, &now
	return nil
}

// loadRequest reads a request the actor may see; another unit's request is "not found" to a
// clerk.
func (a *App) loadRequest(db *gorm.DB, actor *models.User, id uint) (*models.PurchaseRequest, error) {
	var r models.PurchaseRequest
	err := db.First(&r, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !actor.CanReadUnit(r.UnitID)) {
		return nil, models.Errorf(models.ENotFound, "购置需求 %d 不存在", id)
	}
	if err != nil {
		return nil, internal(err, "load request")
	}
	return &r, nil
}

// Request returns one request as the actor may see it.
func (a *App) Request(ctx context.Context, actor *models.User, id uint) (*RequestView, error) {
	r, err := a.loadRequest(a.read.WithContext(ctx), actor, id)
	if err != nil {
		return nil, err
	}
	return a.viewOf(ctx, actor, r)
}

func (a *App) viewOf(ctx context.Context, actor *models.User, r *models.PurchaseRequest) (*RequestView, error) {
	u, err := a.Unit(ctx, r.UnitID)
	if err != nil {
		return nil, err
	}
	cats, err := a.categoryTable(ctx)
	if err != nil {
		return nil, err
	}
	v := a.requestView(r, u, cats, actor)
	return &v, nil
}

// ListRequests returns a page of requests, newest first: a clerk's own unit's, every unit's
// for finance and admin.
func (a *App) ListRequests(ctx context.Context, actor *models.User, f RequestFilter) (*RequestPage, error) {
	q := a.read.WithContext(ctx).Model(&models.PurchaseRequest{})
	if f.UnitCode != "" {
		u, err := a.UnitByCode(ctx, f.UnitCode)
		if err != nil {
			return nil, err
		}
		if !actor.CanReadUnit(u.ID) {
			return nil, models.Errorf(models.EForbidden, "您只能查看本单位的购置需求")
		}
		q = q.Where("unit_id = ?", u.ID)
	}
	if actor.Role == models.RoleClerk {
		if actor.UnitID == nil {
			return nil, models.Errorf(models.EForbidden, "您的账号还没有指定所属单位")
		}
		q = q.Where("unit_id = ?", *actor.UnitID)
	}
	q, err := whereStatus(q, f.Statuses, "需求状态")
	if err != nil {
		return nil, err
	}
	page := &RequestPage{Items: []RequestView{}}
	rs, err := newestFirst(q, f.After, f.Limit, &page.Total, &page.Next, func(r *models.PurchaseRequest) uint { return r.ID })
	if err != nil {
		return nil, internal(err, "list requests")
	}
	units, err := a.unitsByID(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := a.categoryTable(ctx)
	if err != nil {
		return nil, err
	}
	for i := range rs {
		page.Items = append(page.Items, a.requestView(&rs[i], units[rs[i].UnitID], cats, actor))
	}
	return page, nil
}

// whereStatus keeps the rows in one of statuses (all when there are none), refusing an
// unknown status by its label.
func whereStatus[S interface {
	~string
	Valid() bool
}](q *gorm.DB, statuses []S, label string) (*gorm.DB, error) {
	for _, s := range statuses {
		if !s.Valid() {
			return nil, models.Errorf(models.EInvalid, "%s %q 无效", label, string(s))
		}
	}
	if len(statuses) > 0 {
		q = q.Where("status IN ?", statuses)
	}
	return q, nil
}

// newestFirst reads one page of q newest first: the rows with an id below after (when
// given), at most limit of them (50 when 0, at most 500), the whole count into total and the
// cursor of the next page into next (nil on the last).
func newestFirst[T any](q *gorm.DB, after uint, limit int, total *int64, next **string, id func(*T) uint) ([]T, error) {
	if err := q.Count(total).Error; err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	if after > 0 {
		q = q.Where("id < ?", after)
	}
	var rows []T
	if err := q.Order("id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) > limit {
		rows = rows[:limit]
		cur := strconv.FormatUint(uint64(id(&rows[limit-1])), 10)
		*next = &cur
	}
	return rows, nil
}

// unitsByID returns every unit by id.
func (a *App) unitsByID(ctx context.Context) (map[uint]*models.Unit, error) {
	us, err := a.ListUnits(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[uint]*models.Unit, len(us))
	for i := range us {
		m[us[i].ID] = &us[i]
	}
	return m, nil
}

// changeRequest runs fn on the request inside a transaction, after checking that the actor is
// its unit's clerk and that version (when not zero) is current, and records the change.
func (a *App) changeRequest(ctx context.Context, actor *models.User, id uint, version int, action string, fn func(tx *gorm.DB, r *models.PurchaseRequest) error) (*models.PurchaseRequest, error) {
	var out models.PurchaseRequest
	err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := a.loadRequest(tx, actor, id)
		if err != nil {
			return err
		}
		if !actor.CanWriteUnit(r.UnitID) {
			return models.Errorf(models.EForbidden, "只有本单位的资产管理员可以办理这项购置需求")
		}
		if version != 0 && version != r.Version {
			return models.Errorf(models.EConflict, "这项购置需求已被他人修改，请刷新后再试")
		}
		before := *r
		if err := fn(tx, r); err != nil {
			return err
		}
		// fn may have moved the version on already (ending proposals does); the writer's
		// transaction holds the row, so the stored version is the one to follow.
		var cur int
		if err := tx.Model(&models.PurchaseRequest{}).Where("id = ?", r.ID).Select("version").Scan(&cur).Error; err != nil {
			return internal(err, "read request version")
		}
		r.Version = cur + 1
		if err := tx.Model(&models.PurchaseRequest{}).Where("id = ?", r.ID).Select("*").Updates(r).Error; err != nil {
			return internal(err, "save request")
		}
		out = *r
		return a.audit(tx, actor, action, "request", r.ID, &r.UnitID, &before, r)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateRequest changes a draft request.
func (a *App) UpdateRequest(ctx context.Context, actor *models.User, id uint, p RequestPatch) (*RequestView, error) {
	if p.Version == 0 {
		return nil, models.Errorf(models.EInvalid, "缺少版本号 version")
	}
	r, err := a.changeRequest(ctx, actor, id, p.Version, "request.update", func(tx *gorm.DB, r *models.PurchaseRequest) error {
		if !r.Status.Editable() {
			return models.Errorf(models.EConflict, "购置需求%s后不能再修改；如需变更请撤回后重新填报", r.Status.Label())
		}
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = strings.TrimSpace(*v)
			}
		}
		set(&r.CategoryCode, p.CategoryCode)
		set(&r.Name, p.Name)
		set(&r.Requirements, p.Requirements)
		set(&r.Reason, p.Reason)
		if p.Quantity != nil {
			r.Quantity = *p.Quantity
		}
		if p.UnitPrice != nil {
			r.UnitPrice = *p.UnitPrice
		}
		if p.NeededBy != nil {
			r.NeededBy = *p.NeededBy
		}
		if p.MinCondition != nil {
			r.MinCondition = *p.MinCondition
		}
		if p.Replaces != nil {
			r.Replaces = *p.Replaces
		}
		return a.checkRequestFields(tx, r)
	})
	if err != nil {
		return nil, err
	}
	return a.viewOf(ctx, actor, r)
}

// SubmitRequest submits a draft: it is checked against the configuration standards and
// matched against the pool at once.
func (a *App) SubmitRequest(ctx context.Context, actor *models.User, id uint) (*RequestView, error) {
	r, err := a.changeRequest(ctx, actor, id, 0, "request.submit", func(tx *gorm.DB, r *models.PurchaseRequest) error {
		if r.Status != models.RequestDraft {
			return models.Errorf(models.EConflict, "购置需求已是“%s”，不能再次提交", r.Status.Label())
		}
		var u models.Unit
		if err := tx.First(&u, r.UnitID).Error; err != nil {
			return internal(err, "load unit")
		}
		return a.markSubmitted(tx, r, &u)
	})
	if err != nil {
		return nil, err
	}
	a.matchAfterSubmit(ctx, actor, []models.PurchaseRequest{*r})
	return a.Request(ctx, actor, id)
}

// WithdrawRequest withdraws a request that nothing has been approved for yet; its pending
// proposals are cancelled and their items freed.
func (a *App) WithdrawRequest(ctx context.Context, actor *models.User, id uint) (*RequestView, error) {
	r, err := a.changeRequest(ctx, actor, id, 0, "request.withdraw", func(tx *gorm.DB, r *models.PurchaseRequest) error {
		if !r.Status.Withdrawable() {
			return models.Errorf(models.EConflict, "购置需求已是“%s”，不能撤回", r.Status.Label())
		}
		// Received counts too: a unit's own item put back in use for the request is received
		// at once, without an approval step.
		var n int64
		if err := tx.Model(&models.Proposal{}).Where("request_id = ? AND status IN ?", r.ID,
			[]models.ProposalStatus{models.ProposalApproved, models.ProposalHandedOver, models.ProposalReceived}).Count(&n).Error; err != nil {
			return internal(err, "check proposals")
		}
		if n > 0 {
			return models.Errorf(models.EConflict, "已有调剂获批准，不能撤回这项购置需求")
		}
		var ps []models.Proposal
		if err := tx.Where("request_id = ? AND status IN ?", r.ID, models.LiveProposalStatuses).Find(&ps).Error; err != nil {
			return internal(err, "load proposals")
		}
		for i := range ps {
			if err := a.endProposal(tx, actor, &ps[i], models.ProposalCancelled, "需求已撤回"); err != nil {
				return err
			}
		}
		r.Status, r.ProposedQuantity = models.RequestWithdrawn, 0
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The items its proposals held are free again for the other requests of their class.
	a.matchSoon(models.TriggerPool, r.CategoryCode)
	return a.viewOf(ctx, actor, r)
}
