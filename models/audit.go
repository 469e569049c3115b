package models

import "time"

// AuditEvent records who changed what and when, with the entity before and after as JSON.
// Nothing in assetpool edits or deletes audit events.
type AuditEvent struct {
	ID uint      `gorm:"primaryKey" json:"id"`
	At time.Time `gorm:"not null;index" json:"at"`
	// ActorID is nil for the command line and the system itself; Actor names them anyway.
	ActorID *uint  `gorm:"index" json:"actor_id"`
	Actor   string `gorm:"size:64" json:"actor"`
	Action  string `gorm:"size:64;not null;index" json:"action"`
	// Entity and EntityID name what changed, e.g. "asset" and "42".
	Entity   string `gorm:"size:32;not null;index:idx_audit_entity" json:"entity"`
	EntityID string `gorm:"size:64;index:idx_audit_entity" json:"entity_id"`
	// UnitID is the unit the change concerns, so that a unit's history can be listed.
	UnitID *uint  `gorm:"index" json:"unit_id"`
	Before string `gorm:"type:text" json:"before,omitempty"`
	After  string `gorm:"type:text" json:"after,omitempty"`
}
