package models

import "time"

// Session is a signed-in browser. Only a hash of its token is stored, so a copy of the
// database does not let anyone sign in; keeping sessions in the database lets several
// app instances share them.
type Session struct {
	ID         uint      `gorm:"primaryKey"`
	TokenHash  string    `gorm:"size:64;not null;uniqueIndex"`
	UserID     uint      `gorm:"not null;index"`
	User       *User     `gorm:"constraint:OnDelete:CASCADE"`
	ExpiresAt  time.Time `gorm:"not null;index"`
	LastSeenAt time.Time
	IP         string `gorm:"size:64"`
	UserAgent  string `gorm:"size:300"`
	CreatedAt  time.Time
}

// APIToken is a named, revocable bearer token for API clients. Only its hash is stored.
type APIToken struct {
	ID        uint   `gorm:"primaryKey" json:"id"`
	Name      string `gorm:"size:100" json:"name"`
	TokenHash string `gorm:"size:64;not null;uniqueIndex" json:"-"`
	// Prefix is the first characters of the token, to tell tokens apart in lists.
	Prefix     string     `gorm:"size:16" json:"prefix"`
	UserID     uint       `gorm:"not null;index" json:"user_id"`
	User       *User      `gorm:"constraint:OnDelete:CASCADE" json:"-"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	CreatedAt  time.Time  `json:"created_at"`
}
