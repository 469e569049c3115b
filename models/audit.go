package models

import "time"

// AuditEvent records who changed what and when, with the entity before and after as JSON.
// Nothing in assetpool edits or deletes audit events.
type AuditEvent struct {
	// ID orders events as they happened; lists page by it. At, ActorID and Action carry no
	// index: an import writes one event per card, and every index is paid for on each.
	ID uint      `gorm:"primaryKey" json:"id"`
	At time.Time `gorm:"not null" json:"at"`
	// ActorID is nil for the command line and the system itself; Actor names them anyway.
	ActorID *uint  `json:"actor_id"`
	Actor   string `gorm:"size:64" json:"actor"`
	Action  string `gorm:"size:64;not null" json:"action"`
	// Entity and EntityID name what changed, e.g. "asset" and "42".
	Entity   string `gorm:"size:32;not null;index:idx_audit_entity" json:"entity"`
	EntityID string `gorm:"size:64;index:idx_audit_entity" json:"entity_id"`
	// UnitID is the unit the change concerns, so that a unit's history can be listed.
	UnitID *uint  `gorm:"index" json:"unit_id"`
	Before string `gorm:"type:text" json:"before,omitempty"`
	After  string `gorm:"type:text" json:"after,omitempty"`
}
