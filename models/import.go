package models

import "time"

// ImportStatus is where an inventory upload stands.
type ImportStatus string

// Import statuses: an upload is previewed (nothing stored in the register), then committed in
// one transaction or discarded. Big files are read in the background while "running".
const (
	ImportPreview   ImportStatus = "preview"
	ImportRunning   ImportStatus = "running"
	ImportFailed    ImportStatus = "failed"
	ImportCommitted ImportStatus = "committed"
	ImportDiscarded ImportStatus = "discarded"
)

var importStatusLabels = map[ImportStatus]string{
	ImportPreview: "预览中", ImportRunning: "处理中", ImportFailed: "失败",
	ImportCommitted: "已导入", ImportDiscarded: "已放弃",
}

// Label returns the status as the UI shows it.
func (s ImportStatus) Label() string {
	if l, ok := importStatusLabels[s]; ok {
		return l
	}
	return string(s)
}

// ImportSummary counts what an upload holds compared with the unit's register.
type ImportSummary struct {
	// Rows is the number of data rows read (title, header, total and signature rows excluded).
	Rows      int `json:"rows"`
	New       int `json:"new"`
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
	// Missing counts cards in the register that the file does not list.
	Missing int `json:"missing"`
	// Errors counts problems; InvalidRows the rows that have at least one.
	Errors      int `json:"errors"`
	InvalidRows int `json:"invalid_rows"`
}

// Import is one inventory upload of a unit: its file, how it was read and what it found.
// The lists of a preview are kept as JSON (capped), the file itself in ImportFile.
type Import struct {
	ID     uint  `gorm:"primaryKey" json:"id"`
	UnitID uint  `gorm:"not null;index" json:"unit_id"`
	Unit   *Unit `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	// CreatedByID is nil for an import run from the command line.
	CreatedByID *uint        `json:"-"`
	CreatedBy   *User        `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	FileName    string       `gorm:"size:255;not null" json:"file_name"`
	SHA256      string       `gorm:"size:64;not null;index" json:"sha256"`
	Size        int64        `gorm:"not null" json:"size"`
	Format      string       `gorm:"size:8;not null" json:"format"`
	Status      ImportStatus `gorm:"size:16;not null;index" json:"status"`
	// Phase is what a running job does: "preview" or "commit".
	Phase   string `gorm:"size:16" json:"phase"`
	Failure string `gorm:"size:1000" json:"failure,omitempty"`
	// Sheet, HeaderRow and Mapping say how the file was read; Mapping is the clerk's own column
	// choices as JSON {"3":"name"}, empty when the automatic mapping was kept.
	Sheet       string        `gorm:"size:64" json:"sheet"`
	HeaderRow   int           `json:"header_row"`
	Mapping     string        `gorm:"type:text" json:"-"`
	BlankClears bool          `gorm:"not null" json:"-"`
	SkipInvalid bool          `gorm:"not null" json:"-"`
	Summary     ImportSummary `gorm:"embedded;embeddedPrefix:sum_" json:"summary"`
	// Preview holds the capped lists (errors, new, changed, unchanged, missing, columns) as JSON.
	Preview     string     `gorm:"type:text" json:"-"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	CommittedAt *time.Time `json:"committed_at"`
}

// ImportFile is the uploaded file, kept so that a preview can be re-read with another mapping
// and the error workbook can be built; stored in the database so no path ever comes from a name.
type ImportFile struct {
	ImportID uint   `gorm:"primaryKey;autoIncrement:false"`
	Data     []byte `gorm:"not null"`
}

// ColumnMapping remembers a unit's manual choice for a header: the next upload of the unit maps
// a column with the same (normalised) header the same way. Field "" means "do not import".
type ColumnMapping struct {
	UnitID    uint   `gorm:"primaryKey;autoIncrement:false"`
	Header    string `gorm:"primaryKey;size:200"`
	Field     string `gorm:"size:32;not null"`
	UpdatedAt time.Time
}
