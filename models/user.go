package models

import (
	"regexp"
	"time"
)

// Role says what a user may do.
type Role string

// The three roles of assetpool.
const (
	RoleClerk   Role = "clerk"   // 单位资产管理员: one unit's register and requests
	RoleFinance Role = "finance" // 财政审批人: reads every unit, approves
	RoleAdmin   Role = "admin"   // 系统管理员: units, users, categories, settings
)

// Roles lists every role in display order.
var Roles = []Role{RoleClerk, RoleFinance, RoleAdmin}

// Label returns the role's name as the UI shows it.
func (r Role) Label() string {
	switch r {
	case RoleClerk:
		return "单位资产管理员"
	case RoleFinance:
		return "财政审批人"
	case RoleAdmin:
		return "系统管理员"
	}
	return string(r)
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return r == RoleClerk || r == RoleFinance || r == RoleAdmin
}

// User is a person who signs in.
type User struct {
	ID          uint   `gorm:"primaryKey" json:"id"`
	Username    string `gorm:"size:64;not null;uniqueIndex" json:"username"`
	DisplayName string `gorm:"size:100" json:"display_name"`
	Role        Role   `gorm:"size:16;not null" json:"role"`
	// UnitID is the clerk's unit; finance and admin users have none.
	UnitID       *uint     `gorm:"index" json:"unit_id"`
	Unit         *Unit     `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	PasswordHash string    `gorm:"size:100;not null" json:"-"`
	Active       bool      `gorm:"not null" json:"active"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$`)

// Validate checks the fields a user supplies (not the password, which is never stored in clear).
func (u *User) Validate() error {
	switch {
	case !usernamePattern.MatchString(u.Username):
		return Errorf(EInvalid, "用户名须为 2–64 位字母、数字、点、下划线或连字符，并以字母或数字开头")
	case !u.Role.Valid():
		return Errorf(EInvalid, "角色无效：%q（可选 clerk、finance、admin）", string(u.Role))
	case u.Role == RoleClerk && u.UnitID == nil:
		return Errorf(EInvalid, "单位资产管理员必须指定所属单位")
	case u.Role != RoleClerk && u.UnitID != nil:
		return Errorf(EInvalid, "只有单位资产管理员可以指定所属单位")
	case len([]rune(u.DisplayName)) > 100:
		return Errorf(EInvalid, "姓名过长（最多 100 个字）")
	}
	return nil
}

// ValidatePassword checks a new password's strength.
func ValidatePassword(pw string) error {
	if len(pw) < 8 {
		return Errorf(EInvalid, "密码至少 8 位")
	}
	if len(pw) > 72 {
		return Errorf(EInvalid, "密码最多 72 个字节")
	}
	return nil
}

// CanReadUnit reports whether u may read the register and data of the unit with id unitID:
// finance and admin read every unit, a clerk only their own.
func (u *User) CanReadUnit(unitID uint) bool {
	switch u.Role {
	case RoleFinance, RoleAdmin:
		return true
	case RoleClerk:
		return u.UnitID != nil && *u.UnitID == unitID
	}
	return false
}

// CanImportUnit reports whether u may upload an inventory for the unit with id unitID: its own
// clerk, and the finance bureau and administrators for any unit (they take over registers of
// units without a clerk).
func (u *User) CanImportUnit(unitID uint) bool {
	return u.Role == RoleFinance || u.Role == RoleAdmin || u.CanWriteUnit(unitID)
}

// CanWriteUnit reports whether u may change the register of the unit with id unitID:
// only that unit's own clerk may.
func (u *User) CanWriteUnit(unitID uint) bool {
	return u.Role == RoleClerk && u.UnitID != nil && *u.UnitID == unitID
}
