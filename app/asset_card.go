package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"assetpool/models"
)

// AssetCard is one asset card with everything the card page shows: the stored fields, its
// unit and category, the depreciation assetpool computes beside the figures the unit's own
// spreadsheet gave, and the photos.
type AssetCard struct {
	models.Asset
	UnitCode     string `json:"unit_code"`
	UnitName     string `json:"unit_name"`
	CategoryName string `json:"category_name"`
	// Depreciation is the card's books as of the day asked: the unit's stated figures rolled
	// forward, or the schedule where it states none; Schedule is the check computed from the
	// acquisition date.
	Depreciation models.Depreciation `json:"depreciation"`
	Schedule     models.Depreciation `json:"schedule"`
	// Book says where the books come from and how far they are from the schedule.
	Book    BookCheck  `json:"book"`
	InPool  bool       `json:"in_pool"`
	Offered int        `json:"offered"`
	CanEdit bool       `json:"can_edit"`
	Photos  []PhotoRef `json:"photos"`
}

// BookCheck is what the unit states of the card's books — its 累计折旧 and 净值 and the day they
// are stated at, nil when it states none — and how the books, rolled forward, differ from the
// schedule: Disagrees (账账不符) when by more than one month's charge.
type BookCheck struct {
	Stated       bool          `json:"stated"`
	StatedOn     models.Date   `json:"stated_on"`
	Depreciation *models.Money `json:"depreciation"`
	NetValue     *models.Money `json:"net_value"`
	Disagrees    bool          `json:"disagrees"`
	Difference   models.Money  `json:"difference"`
}

func bookCheck(as *models.Asset, b models.Books) BookCheck {
	return BookCheck{Stated: b.Stated, StatedOn: b.StatedOn, Depreciation: as.BookDepreciation, NetValue: as.BookNetValue,
		Disagrees: b.Disagrees, Difference: b.Difference}
}

// Asset returns the card of an asset the actor may read, with depreciation as of asOf
// (today when zero).
func (a *App) Asset(ctx context.Context, actor *models.User, id uint, asOf models.Date) (*AssetCard, error) {
	as, err := a.assetFor(ctx, actor, id, false)
	if err != nil {
		return nil, err
	}
	return a.card(ctx, actor, as, asOf)
}

func (a *App) card(ctx context.Context, actor *models.User, as *models.Asset, asOf models.Date) (*AssetCard, error) {
	if asOf.IsZero() {
		asOf = a.Today()
	}
	cats, err := a.categoryTable(ctx)
	if err != nil {
		return nil, err
	}
	unit, err := a.Unit(ctx, as.UnitID)
	if err != nil {
		return nil, err
	}
	cat := cats[as.CategoryCode]
	c := &AssetCard{Asset: *as, UnitCode: unit.Code, UnitName: unit.Name, CategoryName: cat.Name,
		InPool: as.InPool(a.cfg.PoolRepairable), Offered: as.Offered(), CanEdit: actor.CanWriteUnit(as.UnitID)}
	b := as.Books(cat.life(), asOf)
	c.Depreciation, c.Schedule, c.Book = b.Depreciation, b.Schedule, bookCheck(as, b)
	refs, err := a.photoRefs(ctx, []uint{as.ID})
	if err != nil {
		return nil, err
	}
	c.Photos = refs[as.ID]
	if c.Photos == nil {
		c.Photos = []PhotoRef{}
	}
	return c, nil
}

// AssetPatch changes a card. Version must be the version the editor saw: a card changed
// since then is not overwritten (optimistic locking).
type AssetPatch struct {
	Version           int                 `json:"version"`
	AssetNo           *string             `json:"asset_no"`
	Name              *string             `json:"name"`
	CategoryCode      *string             `json:"category_code"`
	Quantity          *int                `json:"quantity"`
	MeasureUnit       *string             `json:"measure_unit"`
	OriginalValue     *models.Money       `json:"original_value"`
	AcquiredOn        *models.Date        `json:"acquired_on"`
	AcquisitionMethod *string             `json:"acquisition_method"`
	UsageStatus       *models.UsageStatus `json:"usage_status"`
	Condition         *models.Condition   `json:"condition"`
	Department        *string             `json:"department"`
	Custodian         *string             `json:"custodian"`
	Location          *string             `json:"location"`
	Model             *string             `json:"model"`
	Brand             *string             `json:"brand"`
	SerialNo          *string             `json:"serial_no"`
	FundingSource     *string             `json:"funding_source"`
	Remarks           *string             `json:"remarks"`
	OfferedQuantity   *int                `json:"offered_quantity"`
	IdleSince         *models.Date        `json:"idle_since"`
}

func (p *AssetPatch) apply(as *models.Asset) {
	str := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	str(&as.AssetNo, p.AssetNo)
	str(&as.Name, p.Name)
	str(&as.CategoryCode, p.CategoryCode)
	str(&as.MeasureUnit, p.MeasureUnit)
	str(&as.AcquisitionMethod, p.AcquisitionMethod)
	str(&as.Department, p.Department)
	str(&as.Custodian, p.Custodian)
	str(&as.Location, p.Location)
	str(&as.Model, p.Model)
	str(&as.Brand, p.Brand)
	str(&as.SerialNo, p.SerialNo)
	str(&as.FundingSource, p.FundingSource)
	str(&as.Remarks, p.Remarks)
	if p.Quantity != nil {
		as.Quantity = *p.Quantity
	}
	if p.OriginalValue != nil {
		as.OriginalValue = *p.OriginalValue
	}
	if p.AcquiredOn != nil {
		as.AcquiredOn = *p.AcquiredOn
	}
	if p.UsageStatus != nil {
		as.UsageStatus = *p.UsageStatus
	}
	if p.Condition != nil {
		as.Condition = *p.Condition
	}
	if p.OfferedQuantity != nil {
		as.OfferedQuantity = *p.OfferedQuantity
	}
	if p.IdleSince != nil {
		as.IdleSince = *p.IdleSince
	}
}

// settleIdle keeps the idle bookkeeping right after a change: an item that becomes idle is
// dated today unless a day was given, and one that leaves idle loses its date and its offer.
func settleIdle(before, after *models.Asset, today models.Date) {
	if after.UsageStatus != models.UsageIdle {
		after.IdleSince, after.OfferedQuantity = models.Date{}, 0
		return
	}
	if after.IdleSince.IsZero() || (before.UsageStatus != models.UsageIdle && after.IdleSince == before.IdleSince) {
		after.IdleSince = today
	}
}

// UpdateAsset changes a card of the actor's own unit. A stale version gets a conflict that
// says someone else changed the card; nothing is written then.
func (a *App) UpdateAsset(ctx context.Context, actor *models.User, id uint, p AssetPatch) (*AssetCard, error) {
	if _, err := a.assetFor(ctx, actor, id, true); err != nil {
		return nil, err
	}
	var saved *models.Asset
	err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old, err := loadAsset(tx, id)
		if err != nil {
			return err
		}
		if p.Version != old.Version {
			return models.Errorf(models.EConflict, "这张资产卡片已被他人修改（您看到的是第 %d 版，现在是第 %d 版），请刷新后重新修改", p.Version, old.Version)
		}
		as := *old
		p.apply(&as)
		if p.CategoryCode != nil && as.CategoryCode != old.CategoryCode {
			var n int64
			if err := tx.Model(&models.Category{}).Where("code = ?", as.CategoryCode).Count(&n).Error; err != nil {
				return internal(err, "check category")
			}
			if n == 0 {
				return models.Errorf(models.EInvalid, "资产分类 %s 不在分类表中", as.CategoryCode)
			}
		}
		settleIdle(old, &as, a.Today())
		if err := as.Validate(a.Today()); err != nil {
			return err
		}
		changes := cardChanges(old, &as)
		if changes == nil {
			saved = old
			return nil
		}
		as.Version = old.Version + 1
		as.UnchangedImports = 0
		res := tx.Model(&models.Asset{}).Where("id = ? AND version = ?", id, old.Version).Select("*").Omit("id", "created_at").Updates(&as)
		if res.Error != nil {
			if errors.Is(res.Error, gorm.ErrDuplicatedKey) {
				return models.Errorf(models.EConflict, "本单位已有资产编号为 %s 的卡片", as.AssetNo)
			}
			return internal(res.Error, "update asset")
		}
		if res.RowsAffected != 1 {
			return models.Errorf(models.EConflict, "这张资产卡片已被他人修改，请刷新后重新修改")
		}
		saved = &as
		action := "asset.update"
		if old.UsageStatus != as.UsageStatus {
			action = "asset.status"
		}
		return a.audit(tx, actor, action, "asset", id, &as.UnitID, changes.before, changes.after)
	})
	if err != nil {
		return nil, err
	}
	if saved.InPool(a.cfg.PoolRepairable) {
		a.matchSoon(models.TriggerPool, saved.CategoryCode)
	}
	return a.card(ctx, actor, saved, models.Date{})
}

// cardDiff holds the fields that differ between two versions of a card, for the audit log.
type cardDiff struct{ before, after map[string]any }

func cardChanges(old, as *models.Asset) *cardDiff {
	d := cardDiff{before: map[string]any{}, after: map[string]any{}}
	add := func(k string, o, n any) {
		if fmt.Sprint(o) != fmt.Sprint(n) {
			d.before[k], d.after[k] = o, n
		}
	}
	add("asset_no", old.AssetNo, as.AssetNo)
	add("name", old.Name, as.Name)
	add("category_code", old.CategoryCode, as.CategoryCode)
	add("quantity", old.Quantity, as.Quantity)
	add("measure_unit", old.MeasureUnit, as.MeasureUnit)
	add("original_value", old.OriginalValue, as.OriginalValue)
	add("acquired_on", old.AcquiredOn, as.AcquiredOn)
	add("acquisition_method", old.AcquisitionMethod, as.AcquisitionMethod)
	add("usage_status", old.UsageStatus, as.UsageStatus)
	add("condition", old.Condition, as.Condition)
	add("department", old.Department, as.Department)
	add("custodian", old.Custodian, as.Custodian)
	add("location", old.Location, as.Location)
	add("model", old.Model, as.Model)
	add("brand", old.Brand, as.Brand)
	add("serial_no", old.SerialNo, as.SerialNo)
	add("funding_source", old.FundingSource, as.FundingSource)
	add("remarks", old.Remarks, as.Remarks)
	add("offered_quantity", old.OfferedQuantity, as.OfferedQuantity)
	add("idle_since", old.IdleSince, as.IdleSince)
	if len(d.after) == 0 {
		return nil
	}
	return &d
}

// MarkAssets sets the usage status of several cards of the actor's own unit at once — the
// clerk's "mark idle" and "back in use" — in one transaction: all of them change or none.
// Cards already in that status are left as they are. It returns how many changed.
func (a *App) MarkAssets(ctx context.Context, actor *models.User, ids []uint, status models.UsageStatus) (int, error) {
	if !status.Valid() {
		return 0, models.Errorf(models.EInvalid, "使用状况 %q 无效", string(status))
	}
	if len(ids) == 0 || len(ids) > 1000 {
		return 0, models.Errorf(models.EInvalid, "请选择 1 到 1000 张资产卡片")
	}
	changed := 0
	err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var cards []models.Asset
		if err := tx.Where("id IN ?", ids).Find(&cards).Error; err != nil {
			return internal(err, "load assets")
		}
		if len(cards) != len(uniqueIDs(ids)) {
			return models.Errorf(models.ENotFound, "所选资产卡片中有的已不存在，请刷新后重试")
		}
		for i := range cards {
			old := cards[i]
			if !actor.CanWriteUnit(old.UnitID) {
				return models.Errorf(models.EForbidden, "只能标记本单位的资产（%s 不属于本单位）", old.AssetNo)
			}
			if old.UsageStatus == status {
				continue
			}
			d, err := a.markCard(tx, &old, status)
			if err != nil {
				return err
			}
			if err := a.audit(tx, actor, "asset.status", "asset", old.ID, &old.UnitID, d.before, d.after); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	if err == nil && changed > 0 && status == models.UsageIdle && actor.UnitID != nil {
		a.poolChanged(ctx, *actor.UnitID)
	}
	return changed, err
}

// markCard sets the usage status of one stored card inside tx, with the idle bookkeeping of
// settleIdle, and returns what changed for the caller's audit event. The card must not be in
// that status already.
func (a *App) markCard(tx *gorm.DB, old *models.Asset, status models.UsageStatus) (*cardDiff, error) {
	as := *old
	as.UsageStatus = status
	settleIdle(old, &as, a.Today())
	as.Version++
	err := tx.Model(&models.Asset{}).Where("id = ?", as.ID).Updates(map[string]any{
		"usage_status": as.UsageStatus, "idle_since": as.IdleSince, "offered_quantity": as.OfferedQuantity,
		"version": as.Version, "unchanged_imports": 0, "updated_at": a.now(),
	}).Error
	if err != nil {
		return nil, internal(err, "mark asset")
	}
	return cardChanges(old, &as), nil
}

func uniqueIDs(ids []uint) map[uint]bool {
	m := make(map[uint]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// AssetHistory returns a card's audit events, newest first: imports, edits, status changes
// and transfers.
func (a *App) AssetHistory(ctx context.Context, actor *models.User, id uint) ([]models.AuditEvent, error) {
	if _, err := a.assetFor(ctx, actor, id, false); err != nil {
		return nil, err
	}
	var evs []models.AuditEvent
	err := a.read.WithContext(ctx).Where("entity = ? AND entity_id = ?", "asset", fmt.Sprint(id)).Order("id DESC").Limit(500).Find(&evs).Error
	return evs, internal(err, "load asset history")
}

// CreateAsset adds one card to a unit's register by hand (a purchase made between two
// inventories). A clerk adds to their own unit only.
func (a *App) CreateAsset(ctx context.Context, actor *models.User, unitID uint, as models.Asset) (*AssetCard, error) {
	if actor != nil && !actor.CanWriteUnit(unitID) {
		return nil, models.Errorf(models.EForbidden, "只有本单位的资产管理员可以新增资产卡片")
	}
	as.ID, as.UnitID, as.Version, as.UnchangedImports = 0, unitID, 1, 0
	if as.Quantity == 0 {
		as.Quantity = 1
	}
	if as.Condition == "" {
		as.Condition = models.ConditionUsable
	}
	if as.UsageStatus == "" {
		as.UsageStatus = models.UsageInUse
	}
	settleIdle(&models.Asset{}, &as, a.Today())
	if err := as.Validate(a.Today()); err != nil {
		return nil, err
	}
	err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&models.Category{}).Where("code = ?", as.CategoryCode).Count(&n).Error; err != nil {
			return internal(err, "check category")
		}
		if n == 0 {
			return models.Errorf(models.EInvalid, "资产分类 %s 不在分类表中", as.CategoryCode)
		}
		if err := tx.Create(&as).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return models.Errorf(models.EConflict, "本单位已有资产编号为 %s 的卡片", as.AssetNo)
			}
			return internal(err, "create asset")
		}
		return a.audit(tx, actor, "asset.create", "asset", as.ID, &as.UnitID, nil, &as)
	})
	if err != nil {
		return nil, err
	}
	if as.InPool(a.cfg.PoolRepairable) {
		a.matchSoon(models.TriggerPool, as.CategoryCode)
	}
	if actor == nil {
		return &AssetCard{Asset: as}, nil
	}
	return a.card(ctx, actor, &as, models.Date{})
}
