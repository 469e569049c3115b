package app

import (
	"context"
	"encoding/json"
	"fmt"

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
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	var evs []models.AuditEvent
	return evs, internal(q.Limit(limit).Find(&evs).Error, "list audit events")
}
