package models

import "time"

// MaxPhotosPerAsset is how many photos one asset card may carry: enough to show an item from
// every side and its defects, few enough that the pool stays light.
const MaxPhotosPerAsset = 5

// AssetPhoto is one photo of an asset card, stored in the database beside the card so that a
// backup holds it and no file path is ever built from an upload. The type is what the content
// is, never what the file name claims.
type AssetPhoto struct {
	ID      uint   `gorm:"primaryKey" json:"id"`
	AssetID uint   `gorm:"not null;index" json:"asset_id"`
	Asset   *Asset `gorm:"constraint:OnDelete:CASCADE" json:"-"`
	// ContentType is image/jpeg or image/png.
	ContentType string    `gorm:"size:32;not null" json:"content_type"`
	Size        int64     `gorm:"not null" json:"size"`
	SHA256      string    `gorm:"column:sha256;size:64;not null" json:"sha256"`
	Width       int       `gorm:"not null" json:"width"`
	Height      int       `gorm:"not null" json:"height"`
	CreatedByID *uint     `json:"created_by_id"`
	CreatedAt   time.Time `json:"created_at"`
	// Data is the image itself; lists never load it.
	Data []byte `gorm:"not null" json:"-"`
}
