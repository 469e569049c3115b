package models

import "time"

// Unit is an administrative or public institution (行政事业单位) that keeps an asset register.
type Unit struct {
	ID uint `gorm:"primaryKey" json:"id"`
	// Code identifies the unit across the district, e.g. its organisation code.
	Code string `gorm:"size:64;not null;uniqueIndex" json:"code"`
	Name string `gorm:"size:200;not null" json:"name"`
	// ParentID is the supervising department (主管部门), if any.
	ParentID *uint `json:"parent_id"`
	Parent   *Unit `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	// Area is the street or area (街道/片区) where the unit sits; matching prefers nearby units.
	Area string `gorm:"size:100" json:"area"`
	// Staff is the authorised headcount (编制人数) that configuration standards are measured against.
	Staff     int       `gorm:"not null;default:0" json:"staff"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks the fields a user supplies.
func (u *Unit) Validate() error {
	switch {
	case u.Code == "":
		return Errorf(EInvalid, "单位代码不能为空")
	case len(u.Code) > 64:
		return Errorf(EInvalid, "单位代码过长（最多 64 个字符）")
	case u.Name == "":
		return Errorf(EInvalid, "单位名称不能为空")
	case u.Staff < 0:
		return Errorf(EInvalid, "编制人数不能为负数")
	case u.ParentID != nil && *u.ParentID == u.ID && u.ID != 0:
		return Errorf(EInvalid, "上级单位不能是本单位")
	}
	return nil
}
