package models

import (
	"strings"
	"time"
)

// UsageStatus is an asset's usage status (使用状况).
type UsageStatus string

// Usage statuses. Local extras such as 维修中 and 待报废 map onto under_repair and pending_disposal.
const (
	UsageInUse           UsageStatus = "in_use"
	UsageIdle            UsageStatus = "idle"
	UsageLeased          UsageStatus = "leased"
	UsageLent            UsageStatus = "lent"
	UsagePendingDisposal UsageStatus = "pending_disposal"
	UsageUnderRepair     UsageStatus = "under_repair"
	UsageOther           UsageStatus = "other"
)

// UsageStatuses lists every usage status in display order.
var UsageStatuses = []UsageStatus{UsageInUse, UsageIdle, UsageLeased, UsageLent, UsagePendingDisposal, UsageUnderRepair, UsageOther}

var usageLabels = map[UsageStatus]string{
	UsageInUse: "在用", UsageIdle: "闲置", UsageLeased: "出租", UsageLent: "出借",
	UsagePendingDisposal: "待处置", UsageUnderRepair: "维修中", UsageOther: "其他",
}

// usageSynonyms maps words seen in real registers to a status; the labels themselves are added below.
var usageSynonyms = map[string]UsageStatus{
	"自用": UsageInUse, "使用中": UsageInUse, "正常使用": UsageInUse, "使用": UsageInUse, "正常": UsageInUse,
	"空置": UsageIdle, "未使用": UsageIdle, "停用": UsageIdle, "闲置中": UsageIdle,
	"租出": UsageLeased, "借出": UsageLent,
	"待报废": UsagePendingDisposal, "拟处置": UsagePendingDisposal, "待处理": UsagePendingDisposal,
	"维修": UsageUnderRepair, "在修": UsageUnderRepair, "送修": UsageUnderRepair,
}

// Label returns the status as the UI shows it.
func (s UsageStatus) Label() string {
	if l, ok := usageLabels[s]; ok {
		return l
	}
	return string(s)
}

// Valid reports whether s is a known usage status.
func (s UsageStatus) Valid() bool { _, ok := usageLabels[s]; return ok }

// ParseUsageStatus reads a status from its code, its Chinese label or a synonym.
func ParseUsageStatus(s string) (UsageStatus, bool) {
	s = strings.TrimSpace(s)
	if v := UsageStatus(strings.ToLower(s)); v.Valid() {
		return v, true
	}
	for k, l := range usageLabels {
		if l == s {
			return k, true
		}
	}
	v, ok := usageSynonyms[s]
	return v, ok
}

// Condition is how fit an asset is for reuse (完好程度), after the US federal excess-property codes.
type Condition string

// Conditions, best first.
const (
	ConditionNew        Condition = "new"
	ConditionUsable     Condition = "usable"
	ConditionRepairable Condition = "repairable"
	ConditionSalvage    Condition = "salvage"
	ConditionScrap      Condition = "scrap"
)

// Conditions lists every condition, best first.
var Conditions = []Condition{ConditionNew, ConditionUsable, ConditionRepairable, ConditionSalvage, ConditionScrap}

var conditionLabels = map[Condition]string{
	ConditionNew: "全新", ConditionUsable: "完好", ConditionRepairable: "需维修",
	ConditionSalvage: "仅残值", ConditionScrap: "报废",
}

var conditionSynonyms = map[string]Condition{
	"新": ConditionNew, "全新未用": ConditionNew,
	"完好可用": ConditionUsable, "良好": ConditionUsable, "正常": ConditionUsable, "可用": ConditionUsable, "较好": ConditionUsable,
	"待维修": ConditionRepairable, "损坏": ConditionRepairable, "故障": ConditionRepairable, "一般": ConditionRepairable,
	"残值": ConditionSalvage, "已报废": ConditionScrap, "不可用": ConditionScrap,
}

// Label returns the condition as the UI shows it.
func (c Condition) Label() string {
	if l, ok := conditionLabels[c]; ok {
		return l
	}
	return string(c)
}

// Valid reports whether c is a known condition.
func (c Condition) Valid() bool { _, ok := conditionLabels[c]; return ok }

// Rank orders conditions: 0 for new, 4 for scrap, so that "at least usable" is Rank() <= 1.
func (c Condition) Rank() int {
	for i, v := range Conditions {
		if v == c {
			return i
		}
	}
	return len(Conditions)
}

// ParseCondition reads a condition from its code, its Chinese label or a synonym.
func ParseCondition(s string) (Condition, bool) {
	s = strings.TrimSpace(s)
	if v := Condition(strings.ToLower(s)); v.Valid() {
		return v, true
	}
	for k, l := range conditionLabels {
		if l == s {
			return k, true
		}
	}
	v, ok := conditionSynonyms[s]
	return v, ok
}

// Asset is one asset card (一物一卡) of a unit's register. A card may hold several pieces
// (Quantity 20 chairs). Money is in fen.
type Asset struct {
	ID     uint  `gorm:"primaryKey" json:"id"`
	UnitID uint  `gorm:"not null;uniqueIndex:idx_asset_unit_no" json:"unit_id"`
	Unit   *Unit `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	// AssetNo (资产编号) is the key of the card within its unit.
	AssetNo           string `gorm:"size:64;not null;uniqueIndex:idx_asset_unit_no" json:"asset_no"`
	Name              string `gorm:"size:200;not null" json:"name"`
	CategoryCode      string `gorm:"size:32;not null;index" json:"category_code"`
	Quantity          int    `gorm:"not null;default:1" json:"quantity"`
	MeasureUnit       string `gorm:"size:16" json:"measure_unit"` // 计量单位: 台, 套, 件…
	OriginalValue     Money  `gorm:"not null" json:"original_value"`
	AcquiredOn        Date   `gorm:"not null" json:"acquired_on"`
	AcquisitionMethod string `gorm:"size:32" json:"acquisition_method"` // 取得方式: 新购, 调拨…
	// FirstAcquiredOn is the day the item was first acquired, where the card was booked later
	// (received by transfer: AcquiredOn is then the transfer date); zero when the same.
	FirstAcquiredOn Date `json:"first_acquired_on"`
	// BookDepreciation and BookNetValue are the accumulated depreciation and net value the
	// unit's own ledger states for the card (from its spreadsheet or a correction, 账务调整), as
	// of BookDate; nil when it states none. They are the card's books, rolled forward month by
	// month (see Asset.Books); the schedule computed from the acquisition date is the check.
	BookDepreciation *Money `json:"book_depreciation"`
	BookNetValue     *Money `json:"book_net_value"`
	BookDate         Date   `json:"book_date"`
	// LifeMonths is the card's useful life in months (折旧月数; 0: its class's minimum life), and
	// OpeningDepreciation is depreciation already booked when the card was booked: a card
	// received by transfer is booked at the source's net value over the remaining life, or,
	// fully depreciated, at its original value with equal depreciation. MonthlyCharge fixes
	// the monthly charge where a split shared it out (0: computed from the card).
	LifeMonths          int         `gorm:"not null;default:0" json:"life_months"`
	OpeningDepreciation Money       `gorm:"not null;default:0" json:"opening_depreciation"`
	MonthlyCharge       Money       `gorm:"not null;default:0" json:"monthly_charge"`
	UsageStatus         UsageStatus `gorm:"size:24;not null;index" json:"usage_status"`
	Condition           Condition   `gorm:"size:16;not null;default:usable" json:"condition"`
	Department          string      `gorm:"size:100" json:"department"`
	Custodian           string      `gorm:"size:100" json:"custodian"`
	Location            string      `gorm:"size:200" json:"location"`
	Model               string      `gorm:"size:200" json:"model"`
	Brand               string      `gorm:"size:100" json:"brand"`
	SerialNo            string      `gorm:"size:100" json:"serial_no"`
	FundingSource       string      `gorm:"size:100" json:"funding_source"`
	Remarks             string      `gorm:"size:500" json:"remarks"`
	// IdleSince is the day the asset became idle; zero when it is not idle.
	IdleSince Date `json:"idle_since"`
	// OfferedQuantity is how many pieces of an idle card are offered to other units; 0 offers
	// the whole card. A card of 20 chairs may keep 5 and offer 15.
	OfferedQuantity int `gorm:"not null;default:0" json:"offered_quantity"`
	// UnchangedImports counts the uploads in a row that listed the card unchanged; the
	// "worth checking" list uses it to spot items nobody looks at.
	UnchangedImports int `gorm:"not null;default:0" json:"-"`
	// Version increases with every change, for optimistic locking of edits.
	Version   int       `gorm:"not null;default:1" json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks an asset card's own fields; today bounds the acquisition date.
func (a *Asset) Validate(today Date) error {
	switch {
	case strings.TrimSpace(a.AssetNo) == "":
		return Errorf(EInvalid, "资产编号不能为空")
	case strings.TrimSpace(a.Name) == "":
		return Errorf(EInvalid, "资产名称不能为空")
	case a.CategoryCode == "":
		return Errorf(EInvalid, "资产分类不能为空")
	case a.Quantity < 1:
		return Errorf(EInvalid, "数量必须是正整数")
	case a.OriginalValue < 0:
		return Errorf(EInvalid, "原值不能为负数")
	case a.AcquiredOn.IsZero():
		return Errorf(EInvalid, "取得日期不能为空")
	case today.Before(a.AcquiredOn):
		return Errorf(EInvalid, "取得日期 %s 晚于今天", a.AcquiredOn)
	case !a.UsageStatus.Valid():
		return Errorf(EInvalid, "使用状况无效：%q", string(a.UsageStatus))
	case !a.Condition.Valid():
		return Errorf(EInvalid, "完好程度无效：%q", string(a.Condition))
	case a.OfferedQuantity < 0 || a.OfferedQuantity > a.Quantity:
		return Errorf(EInvalid, "可调剂数量应在 0 到 %d 之间", a.Quantity)
	case a.LifeMonths < 0 || a.LifeMonths > 1200:
		return Errorf(EInvalid, "折旧年限应在 0 到 100 年之间")
	case a.BookDepreciation != nil && (*a.BookDepreciation < 0 || *a.BookDepreciation > a.OriginalValue):
		return Errorf(EInvalid, "累计折旧 %s 应在 0 到原值 %s 之间", *a.BookDepreciation, a.OriginalValue)
	case a.BookNetValue != nil && (*a.BookNetValue < 0 || *a.BookNetValue > a.OriginalValue):
		return Errorf(EInvalid, "净值 %s 应在 0 到原值 %s 之间", *a.BookNetValue, a.OriginalValue)
	}
	return nil
}

// PoolConditionOK reports whether an idle item in condition c may be offered to other units:
// new and usable always, repairable only where the district's setting allows it.
func PoolConditionOK(c Condition, includeRepairable bool) bool {
	return c == ConditionNew || c == ConditionUsable || (includeRepairable && c == ConditionRepairable)
}

// InPool reports whether the card stands in the idle pool (公物仓).
func (a *Asset) InPool(includeRepairable bool) bool {
	return a.UsageStatus == UsageIdle && PoolConditionOK(a.Condition, includeRepairable)
}

// Offered is the number of pieces the card offers to other units while it is in the pool.
func (a *Asset) Offered() int {
	if a.OfferedQuantity > 0 && a.OfferedQuantity < a.Quantity {
		return a.OfferedQuantity
	}
	return a.Quantity
}
