package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"assetpool/models"
)

// UnitPatch holds the fields of a unit to change; nil fields stay as they are.
type UnitPatch struct {
	Code *string `json:"code"`
	Name *string `json:"name"`
	// ParentID 0 removes the parent.
	ParentID *uint   `json:"parent_id"`
	Area     *string `json:"area"`
	Staff    *int    `json:"staff"`
}

// ListUnits returns every unit ordered by code.
func (a *App) ListUnits(ctx context.Context) ([]models.Unit, error) {
	var us []models.Unit
	return us, internal(a.read.WithContext(ctx).Order("code").Find(&us).Error, "list units")
}

// Unit returns one unit by id.
func (a *App) Unit(ctx context.Context, id uint) (*models.Unit, error) {
	return findUnit(a.read.WithContext(ctx), "id = ?", id)
}

// UnitByCode returns one unit by its code.
func (a *App) UnitByCode(ctx context.Context, code string) (*models.Unit, error) {
	return findUnit(a.read.WithContext(ctx), "code = ?", strings.TrimSpace(code))
}

func findUnit(db *gorm.DB, cond string, arg any) (*models.Unit, error) {
	var u models.Unit
	err := db.Where(cond, arg).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.Errorf(models.ENotFound, "单位 %v 不存在", arg)
	}
	return &u, internal(err, "load unit")
}

// CreateUnit adds a unit.
func (a *App) CreateUnit(ctx context.Context, actor *models.User, u *models.Unit) error {
	u.ID, u.CreatedAt, u.UpdatedAt = 0, time.Time{}, time.Time{}
	if u.ParentID != nil && *u.ParentID == 0 {
		u.ParentID = nil
	}
	u.Code, u.Name, u.Area = strings.TrimSpace(u.Code), strings.TrimSpace(u.Name), strings.TrimSpace(u.Area)
	if err := u.Validate(); err != nil {
		return err
	}
	return a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := checkParent(tx, u); err != nil {
			return err
		}
		if err := tx.Create(u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return models.Errorf(models.EConflict, "单位代码 %s 已存在", u.Code)
			}
			return internal(err, "create unit")
		}
		return a.audit(tx, actor, "unit.create", "unit", u.ID, &u.ID, nil, u)
	})
}

// UpdateUnit changes a unit and returns it as stored.
func (a *App) UpdateUnit(ctx context.Context, actor *models.User, id uint, p UnitPatch) (*models.Unit, error) {
	var out *models.Unit
	err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := findUnit(tx, "id = ?", id)
		if err != nil {
			return err
		}
		before := *u
		if p.Code != nil {
			u.Code = strings.TrimSpace(*p.Code)
		}
		if p.Name != nil {
			u.Name = strings.TrimSpace(*p.Name)
		}
		if p.ParentID != nil {
			u.ParentID = p.ParentID
			if *p.ParentID == 0 {
				u.ParentID = nil
			}
		}
		if p.Area != nil {
			u.Area = strings.TrimSpace(*p.Area)
		}
		if p.Staff != nil {
			u.Staff = *p.Staff
		}
		if err := u.Validate(); err != nil {
			return err
		}
		if err := checkParent(tx, u); err != nil {
			return err
		}
		if err := tx.Select("*").Omit("created_at").Save(u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return models.Errorf(models.EConflict, "单位代码 %s 已存在", u.Code)
			}
			return internal(err, "update unit")
		}
		out = u
		return a.audit(tx, actor, "unit.update", "unit", u.ID, &u.ID, before, u)
	})
	return out, err
}

// checkParent makes sure the parent exists and that the parent chain has no cycle.
func checkParent(tx *gorm.DB, u *models.Unit) error {
	seen := map[uint]bool{u.ID: true}
	for pid := u.ParentID; pid != nil; {
		if seen[*pid] {
			return models.Errorf(models.EInvalid, "上级单位形成了循环")
		}
		seen[*pid] = true
		p, err := findUnit(tx, "id = ?", *pid)
		if err != nil {
			if models.ErrorCode(err) == models.ENotFound {
				return models.Errorf(models.EInvalid, "上级单位 %d 不存在", *pid)
			}
			return err
		}
		pid = p.ParentID
	}
	return nil
}

// DeleteUnit removes a unit that nothing refers to: no users, assets or subordinate units.
func (a *App) DeleteUnit(ctx context.Context, actor *models.User, id uint) error {
	return a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := findUnit(tx, "id = ?", id)
		if err != nil {
			return err
		}
		for _, ref := range []struct {
			model any
			cond  string
			what  string
		}{
			{&models.User{}, "unit_id = ?", "用户"},
			{&models.Asset{}, "unit_id = ?", "资产卡片"},
			{&models.Unit{}, "parent_id = ?", "下级单位"},
		} {
			var n int64
			if err := tx.Model(ref.model).Where(ref.cond, id).Count(&n).Error; err != nil {
				return internal(err, "count unit references")
			}
			if n > 0 {
				return models.Errorf(models.EConflict, "单位「%s」还有 %d 个%s，不能删除", u.Name, n, ref.what)
			}
		}
		if err := tx.Delete(u).Error; err != nil {
			return internal(err, "delete unit")
		}
		return a.audit(tx, actor, "unit.delete", "unit", u.ID, &u.ID, u, nil)
	})
}

// AssetTotals sums one unit's register: cards, pieces and original value, and how much of it
// stands idle.
type AssetTotals struct {
	Cards        int64        `json:"cards"`
	Quantity     int64        `json:"quantity"`
	Value        models.Money `json:"original_value"`
	IdleCards    int64        `json:"idle_cards"`
	IdleQuantity int64        `json:"idle_quantity"`
	IdleValue    models.Money `json:"idle_value"`
}

// AssetTotalsByUnit returns the register totals of every unit that has asset cards, by unit
// id, in one grouped query; units without cards are absent.
func (a *App) AssetTotalsByUnit(ctx context.Context) (map[uint]AssetTotals, error) {
	return a.assetTotals(ctx, nil)
}

// UnitAssetTotals returns the register totals of one unit (zero when it has no cards).
func (a *App) UnitAssetTotals(ctx context.Context, unitID uint) (AssetTotals, error) {
	m, err := a.assetTotals(ctx, &unitID)
	return m[unitID], err
}

func (a *App) assetTotals(ctx context.Context, unitID *uint) (map[uint]AssetTotals, error) {
	var rows []struct {
		UnitID uint
		AssetTotals
	}
	q := a.read.WithContext(ctx).Model(&models.Asset{}).Select(`unit_id,
		COUNT(*) AS cards,
		COALESCE(SUM(quantity), 0) AS quantity,
		COALESCE(SUM(original_value), 0) AS value,
		COALESCE(SUM(CASE WHEN usage_status = ? THEN 1 ELSE 0 END), 0) AS idle_cards,
		COALESCE(SUM(CASE WHEN usage_status = ? THEN quantity ELSE 0 END), 0) AS idle_quantity,
		COALESCE(SUM(CASE WHEN usage_status = ? THEN original_value ELSE 0 END), 0) AS idle_value`,
		models.UsageIdle, models.UsageIdle, models.UsageIdle).Group("unit_id")
	if unitID != nil {
		q = q.Where("unit_id = ?", *unitID)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, internal(err, "sum assets by unit")
	}
	out := make(map[uint]AssetTotals, len(rows))
	for _, r := range rows {
		out[r.UnitID] = r.AssetTotals
	}
	return out, nil
}
