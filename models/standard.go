package models

import (
	"strings"
	"time"
)

// Standard is one configuration standard (配置标准) of one jurisdiction for one item: a price
// cap, a minimum service life and a quantity cap measured against the unit's staff. Standards
// are data the administrator loads; each load of an item adds a version, and a request is
// checked against the newest version in force.
type Standard struct {
	ID uint `gorm:"primaryKey" json:"id"`
	// Jurisdiction is whose standard this is: 中央 or a province or city.
	Jurisdiction string `gorm:"size:64;not null;uniqueIndex:idx_standard_version" json:"jurisdiction"`
	// CategoryCode is a category code; a class code ("A02021000") covers its whole branch.
	CategoryCode string `gorm:"size:32;not null;uniqueIndex:idx_standard_version" json:"category_code"`
	ItemName     string `gorm:"size:200;not null" json:"item_name"`
	Version      int    `gorm:"not null;uniqueIndex:idx_standard_version" json:"version"`
	// PriceCap is the highest unit price (0: none).
	PriceCap Money `gorm:"not null;default:0" json:"price_cap"`
	// MinYears is the minimum service life before replacement (0: the category's life).
	MinYears int `gorm:"not null;default:0" json:"min_years"`
	// StaffPercent caps the unit's stock at this share of its staff (100 = one per person).
	StaffPercent int `gorm:"not null;default:0" json:"staff_percent"`
	// StaffPerItem caps the stock at one item per this many staff (20 = one per 20 staff).
	StaffPerItem  int       `gorm:"not null;default:0" json:"staff_per_item"`
	EffectiveFrom Date      `json:"effective_from"`
	Source        string    `gorm:"size:200" json:"source"`
	Note          string    `gorm:"size:500" json:"note"`
	CreatedAt     time.Time `json:"created_at"`
}

// Validate checks a standard as loaded.
func (s *Standard) Validate() error {
	s.Jurisdiction = strings.TrimSpace(s.Jurisdiction)
	s.CategoryCode = strings.TrimSpace(s.CategoryCode)
	s.ItemName = strings.TrimSpace(s.ItemName)
	switch {
	case s.Jurisdiction == "":
		return Errorf(EInvalid, "适用地区不能为空")
	case s.CategoryCode == "":
		return Errorf(EInvalid, "资产分类代码不能为空")
	case s.ItemName == "":
		return Errorf(EInvalid, "品目名称不能为空")
	case s.PriceCap < 0 || s.MinYears < 0 || s.StaffPercent < 0 || s.StaffPerItem < 0:
		return Errorf(EInvalid, "价格上限、最低使用年限和数量上限不能为负数")
	case s.StaffPercent > 0 && s.StaffPerItem > 0:
		return Errorf(EInvalid, "数量上限只能按编制人数比例或每若干人一台中的一种填写")
	}
	return nil
}

// QuantityCap is the most items a unit of staff people may hold under s, and whether s caps
// quantity at all.
func (s *Standard) QuantityCap(staff int) (int, bool) {
	switch {
	case s.StaffPercent > 0:
		return staff * s.StaffPercent / 100, true
	case s.StaffPerItem > 0:
		return staff / s.StaffPerItem, true
	}
	return 0, false
}
