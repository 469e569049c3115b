package models

import (
	"strings"
	"time"
)

// IdleReason is why the "worth checking" list (值得核实) proposes that a card registered as in
// use may in fact stand idle.
type IdleReason string

// The rules of the worth-checking list. Each looks only at the card and its category's minimum
// life, so that the list needs no data the register does not already hold.
const (
	// ReasonNoCustodian: in use, but nobody is registered as using it (一物一卡 assigns every
	// item to a person, 财资〔2020〕97号).
	ReasonNoCustodian IdleReason = "no_custodian"
	// ReasonStoreRoom: in use, but kept in a store room.
	ReasonStoreRoom IdleReason = "store_room"
	// ReasonReportedUnused: uploads in a row listed the card unchanged while its own remarks
	// say it is not used: the unit's spreadsheet says so, its status column does not.
	ReasonReportedUnused IdleReason = "reported_unused"
	// ReasonPastLife: fully depreciated over the category's minimum useful life and still in
	// use. Age alone never makes an item idle or unfit (an item that still works must stay in
	// use), so this only asks the clerk to look.
	ReasonPastLife IdleReason = "past_life"
)

// IdleReasons lists every rule in the order the list shows them.
var IdleReasons = []IdleReason{ReasonNoCustodian, ReasonStoreRoom, ReasonReportedUnused, ReasonPastLife}

var idleReasonLabels = map[IdleReason]string{
	ReasonNoCustodian:    "在用但没有登记使用人",
	ReasonStoreRoom:      "在用但存放在库房/仓库/储藏室",
	ReasonReportedUnused: "连续多次导入未变化且备注写明未使用",
	ReasonPastLife:       "已超过最低使用年限仍登记为在用",
}

// Label returns the reason as the UI shows it.
func (r IdleReason) Label() string {
	if l, ok := idleReasonLabels[r]; ok {
		return l
	}
	return string(r)
}

// StoreRoomWords mark a location as a store room. 储物间 is how several units name theirs.
var StoreRoomWords = []string{"库房", "仓库", "储藏室", "储物间"}

// UnusedRemarkWords in a card's remarks say the item is not used.
var UnusedRemarkWords = []string{"未使用", "未用", "不用", "闲置", "停用", "空置", "未启用"}

// UnchangedImportsToCheck is how many uploads in a row must list a card unchanged before its
// remarks count as the unit reporting it unused: one upload may simply be out of date.
const UnchangedImportsToCheck = 2

// CheckIdle returns the rules a card matches, in the order of IdleReasons; none for a card
// that is not in use. lifeYears is the category's minimum useful life (0: not depreciated).
func CheckIdle(a *Asset, lifeYears int, today Date) []IdleReason {
	if a.UsageStatus != UsageInUse {
		return nil
	}
	var out []IdleReason
	if strings.TrimSpace(a.Custodian) == "" {
		out = append(out, ReasonNoCustodian)
	}
	if containsAny(a.Location, StoreRoomWords) {
		out = append(out, ReasonStoreRoom)
	}
	if a.UnchangedImports >= UnchangedImportsToCheck && containsAny(a.Remarks, UnusedRemarkWords) {
		out = append(out, ReasonReportedUnused)
	}
	// Past life counts from the item's first acquisition, not from a transfer.
	if PastLife(a.Acquired(), lifeYears, today) {
		out = append(out, ReasonPastLife)
	}
	return out
}

// PastLife reports whether an item acquired on acquired is fully depreciated over lifeYears
// by today, as Depreciate counts.
func PastLife(acquired Date, lifeYears int, today Date) bool {
	return lifeYears > 0 && !acquired.IsZero() && acquired.Before(PastLifeBefore(lifeYears, today))
}

// PastLifeBefore returns the day before which an item must have been acquired to be fully
// depreciated over lifeYears by today, so that a query can compare acquisition dates with it.
func PastLifeBefore(lifeYears int, today Date) Date {
	// Depreciate counts the month of acquisition as the first: an item is fully depreciated
	// once (today's month − its month) + 1 ≥ life·12, so its month is at most today's month −
	// life·12 + 1, and it was acquired before the first day of the month after that.
	m := today.Year*12 + int(today.Month) - 1 - lifeYears*12 + 2
	return Date{Year: m / 12, Month: time.Month(m%12 + 1), Day: 1}
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// JoinIdleReasons writes reasons as an IdleCheck stores them: codes joined by commas.
func JoinIdleReasons(rs []IdleReason) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

// IdleDecision is what a clerk decided about a card the worth-checking list proposed.
type IdleDecision string

// Decisions. A confirmed card was marked idle; a dismissed one is in use after all. Either
// way the list does not propose the card again.
const (
	IdleConfirmed IdleDecision = "confirmed"
	IdleDismissed IdleDecision = "dismissed"
)

// IdleCheck remembers a clerk's decision on one card of the worth-checking list, with the
// reasons the list gave at the time, so that a dismissed card is not proposed again.
type IdleCheck struct {
	ID      uint   `gorm:"primaryKey" json:"id"`
	AssetID uint   `gorm:"not null;uniqueIndex" json:"asset_id"`
	Asset   *Asset `gorm:"constraint:OnDelete:CASCADE" json:"-"`
	// UnitID is the unit that decided: a card moved to another unit is checked afresh there.
	UnitID   uint         `gorm:"not null;index" json:"unit_id"`
	Decision IdleDecision `gorm:"size:16;not null" json:"decision"`
	// Reasons are the reason codes at decision time, comma-joined.
	Reasons     string    `gorm:"size:200" json:"reasons"`
	DecidedByID *uint     `json:"decided_by_id"`
	DecidedAt   time.Time `gorm:"not null" json:"decided_at"`
}
