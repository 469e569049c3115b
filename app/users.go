package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"assetpool/models"
)

// UserPatch holds the fields of a user to change; nil fields stay as they are.
type UserPatch struct {
	DisplayName *string      `json:"display_name"`
	Role        *models.Role `json:"role"`
	// UnitID 0 removes the unit (for finance and admin users).
	UnitID   *uint   `json:"unit_id"`
	Active   *bool   `json:"active"`
	Password *string `json:"password"`
}

// ListUsers returns every user with their unit, ordered by username.
func (a *App) ListUsers(ctx context.Context) ([]models.User, error) {
	var us []models.User
	return us, internal(a.read.WithContext(ctx).Preload("Unit").Order("username").Find(&us).Error, "list users")
}

// User returns one user by id, with their unit.
func (a *App) User(ctx context.Context, id uint) (*models.User, error) {
	return findUser(a.read.WithContext(ctx), "id = ?", id)
}

// UserByUsername returns one user by username, with their unit.
func (a *App) UserByUsername(ctx context.Context, username string) (*models.User, error) {
	return findUser(a.read.WithContext(ctx), "lower(username) = lower(?)", strings.TrimSpace(username))
}

func findUser(db *gorm.DB, cond string, arg any) (*models.User, error) {
	var u models.User
	err := db.Preload("Unit").Where(cond, arg).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.Errorf(models.ENotFound, "用户 %v 不存在", arg)
	}
	return &u, internal(err, "load user")
}

// CreateUser adds a user with the given password.
func (a *App) CreateUser(ctx context.Context, actor *models.User, u *models.User, password string) error {
	u.ID, u.CreatedAt, u.UpdatedAt = 0, time.Time{}, time.Time{}
	u.Username, u.DisplayName = strings.TrimSpace(u.Username), strings.TrimSpace(u.DisplayName)
	if err := u.Validate(); err != nil {
		return err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	return a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := checkUserUnit(tx, u); err != nil {
			return err
		}
		if err := tx.Omit("Unit").Create(u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return models.Errorf(models.EConflict, "用户名 %s 已存在", u.Username)
			}
			return internal(err, "create user")
		}
		return a.audit(tx, actor, "user.create", "user", u.ID, u.UnitID, nil, u)
	})
}

func checkUserUnit(tx *gorm.DB, u *models.User) error {
	if u.UnitID == nil {
		u.Unit = nil
		return nil
	}
	unit, err := findUnit(tx, "id = ?", *u.UnitID)
	if models.ErrorCode(err) == models.ENotFound {
		return models.Errorf(models.EInvalid, "所属单位 %d 不存在", *u.UnitID)
	}
	u.Unit = unit
	return err
}

// UpdateUser changes a user. Deactivating a user or changing their password ends their sessions.
func (a *App) UpdateUser(ctx context.Context, actor *models.User, id uint, p UserPatch) (*models.User, error) {
	var out *models.User
	err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := findUser(tx, "id = ?", id)
		if err != nil {
			return err
		}
		before := *u
		if p.DisplayName != nil {
			u.DisplayName = strings.TrimSpace(*p.DisplayName)
		}
		if p.Role != nil {
			u.Role = *p.Role
		}
		if p.UnitID != nil {
			u.UnitID = p.UnitID
			if *p.UnitID == 0 {
				u.UnitID = nil
			}
		}
		if p.Active != nil {
			u.Active = *p.Active
		}
		if err := u.Validate(); err != nil {
			return err
		}
		if err := checkUserUnit(tx, u); err != nil {
			return err
		}
		if actor != nil && actor.ID == u.ID && (!u.Active || u.Role != before.Role) {
			return models.Errorf(models.EInvalid, "不能停用自己的账号或更改自己的角色")
		}
		if before.Role == models.RoleAdmin && before.Active && (!u.Active || u.Role != models.RoleAdmin) {
			if err := ensureAnotherAdmin(tx, u.ID); err != nil {
				return err
			}
		}
		if p.Password != nil {
			if u.PasswordHash, err = hashPassword(*p.Password); err != nil {
				return err
			}
		}
		if err := tx.Select("*").Omit("created_at", "Unit").Save(u).Error; err != nil {
			return internal(err, "update user")
		}
		if p.Password != nil || !u.Active {
			if err := tx.Where("user_id = ?", u.ID).Delete(&models.Session{}).Error; err != nil {
				return internal(err, "end sessions")
			}
		}
		out = u
		action := "user.update"
		if p.Password != nil {
			action = "user.password" // the hash itself is never logged (json:"-")
		}
		return a.audit(tx, actor, action, "user", u.ID, u.UnitID, before, u)
	})
	return out, err
}

// ensureAnotherAdmin refuses a change that would leave no active administrator.
func ensureAnotherAdmin(tx *gorm.DB, exceptID uint) error {
	var n int64
	err := tx.Model(&models.User{}).Where("role = ? AND active = ? AND id <> ?", models.RoleAdmin, true, exceptID).Count(&n).Error
	if err != nil {
		return internal(err, "count admins")
	}
	if n == 0 {
		return models.Errorf(models.EConflict, "这是最后一个可用的系统管理员账号，不能停用、删除或改为其他角色")
	}
	return nil
}

// SetPassword replaces a user's password and ends their sessions.
func (a *App) SetPassword(ctx context.Context, actor *models.User, username, password string) error {
	u, err := a.UserByUsername(ctx, username)
	if err != nil {
		return err
	}
	_, err = a.UpdateUser(ctx, actor, u.ID, UserPatch{Password: &password})
	return err
}

// ChangeOwnPassword lets a signed-in user change their password after proving the old one.
func (a *App) ChangeOwnPassword(ctx context.Context, u *models.User, oldPassword, newPassword string) error {
	var stored models.User
	if err := a.db.WithContext(ctx).First(&stored, u.ID).Error; err != nil {
		return internal(err, "load user")
	}
	if bcrypt.CompareHashAndPassword([]byte(stored.PasswordHash), []byte(oldPassword)) != nil {
		return models.Errorf(models.EInvalid, "原密码不正确")
	}
	_, err := a.UpdateUser(ctx, u, u.ID, UserPatch{Password: &newPassword})
	return err
}

// DeleteUser removes a user and their sessions and tokens. Nobody can delete themselves or
// the last administrator; their audit events keep their name.
func (a *App) DeleteUser(ctx context.Context, actor *models.User, id uint) error {
	return a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := findUser(tx, "id = ?", id)
		if err != nil {
			return err
		}
		if actor != nil && actor.ID == u.ID {
			return models.Errorf(models.EInvalid, "不能删除自己的账号")
		}
		if u.Role == models.RoleAdmin && u.Active {
			if err := ensureAnotherAdmin(tx, u.ID); err != nil {
				return err
			}
		}
		if err := tx.Delete(&models.Session{}, "user_id = ?", u.ID).Error; err != nil {
			return internal(err, "delete sessions")
		}
		if err := tx.Delete(&models.APIToken{}, "user_id = ?", u.ID).Error; err != nil {
			return internal(err, "delete tokens")
		}
		if err := tx.Delete(&models.User{}, u.ID).Error; err != nil {
			return internal(err, "delete user")
		}
		return a.audit(tx, actor, "user.delete", "user", u.ID, u.UnitID, u, nil)
	})
}

// EnsureAdmin creates the account "admin" with a random password when the database has no
// active administrator — on first start, and also after `assetpool demo` ran first, which adds
// clerks and a finance user but no administrator. It returns that password (empty when nothing
// was created).
func (a *App) EnsureAdmin(ctx context.Context) (string, error) {
	var n int64
	err := a.read.WithContext(ctx).Model(&models.User{}).Where("role = ? AND active = ?", models.RoleAdmin, true).Count(&n).Error
	if err != nil || n > 0 {
		return "", internal(err, "count administrators")
	}
	if _, err := a.UserByUsername(ctx, "admin"); err == nil {
		return "", models.Errorf(models.EConflict, "没有可用的系统管理员，而用户名 admin 已被占用：请用 assetpool user add --role admin 新建一个管理员")
	}
	pw := NewPassword()
	u := &models.User{Username: "admin", DisplayName: "系统管理员", Role: models.RoleAdmin, Active: true}
	if err := a.CreateUser(ctx, nil, u, pw); err != nil {
		return "", err
	}
	return pw, nil
}
