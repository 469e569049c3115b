package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"assetpool/models"
)

// audit appends an audit event inside the caller's transaction, so that the event exists
// exactly when the change does. actor nil means the command line or the system itself.
func (a *App) audit(tx *gorm.DB, actor *models.User, action, entity string, id any, unitID *uint, before, after any) error {
	ev := models.AuditEvent{At: a.now(), Action: action, Entity: entity, EntityID: fmt.Sprint(id), UnitID: unitID, Actor: "system"}
	if actor != nil {
		ev.ActorID, ev.Actor = &actor.ID, actor.Username
	}
	var err error
	if ev.Before, err = auditJSON(before); err != nil {
		return err
	}
	if ev.After, err = auditJSON(after); err != nil {
		return err
	}
	if err := tx.Create(&ev).Error; err != nil {
		return fmt.Errorf("write audit event %s: %w", action, err)
	}
	return nil
}

func auditJSON(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode audit record: %w", err)
	}
	return string(b), nil
}

// AuditFilter selects audit events; zero fields select everything.
type AuditFilter struct {
	Entity   string
	EntityID string
	UnitID   *uint
	// Action matches the start of the action ("proposal." is every proposal step); Actor the
	// username; From and To bound the day of the event; After pages below an event id.
	Action   string
	Actor    string
	From, To models.Date
	After    uint
	Limit    int
}

// ListAudit returns audit events, newest first.
func (a *App) ListAudit(ctx context.Context, f AuditFilter) ([]models.AuditEvent, error) {
	q := a.read.WithContext(ctx).Order("id DESC")
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if f.UnitID != nil {
		q = q.Where("unit_id = ?", *f.UnitID)
	}
	if f.Action != "" {
		q = q.Where("action LIKE ? ESCAPE '\\'", strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(f.Action)+"%")
	}
	if f.Actor != "" {
		q = q.Where("actor = ?", f.Actor)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.Time())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.Time().AddDate(0, 0, 1))
	}
	if f.After > 0 {
		q = q.Where("id < ?", f.After)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	var evs []models.AuditEvent
	return evs, internal(q.Limit(limit).Find(&evs).Error, "list audit events")
}

// AuditLog returns audit events for finance and the administrator; nothing in assetpool edits
// or deletes them.
func (a *App) AuditLog(ctx context.Context, actor *models.User, f AuditFilter) ([]models.AuditEvent, error) {
	if actor.Role != models.RoleFinance && actor.Role != models.RoleAdmin {
		return nil, models.Errorf(models.EForbidden, "只有财政审批人和系统管理员可以查看审计日志")
	}
	return a.ListAudit(ctx, f)
}
