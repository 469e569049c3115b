package models

import (
	"strings"
	"time"
	"unicode/utf8"
)

// RequestStatus is where a purchase request (购置需求) stands.
type RequestStatus string

// Request statuses. A request is a draft until its clerk submits it; matching then proposes idle
// items for it (partly_matched, matched); it ends fulfilled by reassignment, with a purchase
// approved or rejected for what reuse could not meet, or withdrawn.
const (
	RequestDraft            RequestStatus = "draft"
	RequestSubmitted        RequestStatus = "submitted"
	RequestPartlyMatched    RequestStatus = "partly_matched"
	RequestMatched          RequestStatus = "matched"
	RequestFulfilled        RequestStatus = "fulfilled"
	RequestPurchaseApproved RequestStatus = "purchase_approved"
	RequestPurchaseRejected RequestStatus = "purchase_rejected"
	RequestWithdrawn        RequestStatus = "withdrawn"
)

// RequestStatuses lists every request status in the order of a request's life.
var RequestStatuses = []RequestStatus{RequestDraft, RequestSubmitted, RequestPartlyMatched, RequestMatched,
	RequestFulfilled, RequestPurchaseApproved, RequestPurchaseRejected, RequestWithdrawn}

var requestLabels = map[RequestStatus]string{
	RequestDraft: "草稿", RequestSubmitted: "已提交", RequestPartlyMatched: "部分匹配", RequestMatched: "已匹配",
	RequestFulfilled: "已调剂满足", RequestPurchaseApproved: "已批准购置", RequestPurchaseRejected: "未批准购置",
	RequestWithdrawn: "已撤回",
}

// Label returns the status as the UI shows it.
func (s RequestStatus) Label() string {
	if l, ok := requestLabels[s]; ok {
		return l
	}
	return string(s)
}

// Valid reports whether s is a known request status.
func (s RequestStatus) Valid() bool { _, ok := requestLabels[s]; return ok }

// Open reports whether matching still looks for items for a request in this status.
func (s RequestStatus) Open() bool {
	return s == RequestSubmitted || s == RequestPartlyMatched || s == RequestMatched
}

// Editable reports whether the clerk may still change the request's fields.
func (s RequestStatus) Editable() bool { return s == RequestDraft }

// Withdrawable reports whether the clerk may still withdraw the request.
func (s RequestStatus) Withdrawable() bool { return s == RequestDraft || s.Open() }

// PurchaseRequest is a unit's request to acquire items (购置需求). Before anything is bought,
// matching looks for idle items of other units (and the unit's own) that can meet it.
type PurchaseRequest struct {
	ID           uint   `gorm:"primaryKey" json:"id"`
	UnitID       uint   `gorm:"not null;index" json:"unit_id"`
	Unit         *Unit  `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	CategoryCode string `gorm:"size:32;not null;index" json:"category_code"`
	Name         string `gorm:"size:200;not null" json:"name"`
	// Requirements is free text: specification, model, minimum configuration.
	Requirements string `gorm:"size:2000" json:"requirements"`
	Quantity     int    `gorm:"not null" json:"quantity"`
	// UnitPrice is the budgeted price of one item.
	UnitPrice Money  `gorm:"not null;default:0" json:"unit_price"`
	NeededBy  Date   `json:"needed_by"`
	Reason    string `gorm:"size:1000" json:"reason"`
	// MinCondition is the worst condition the unit accepts.
	MinCondition Condition `gorm:"size:16;not null" json:"min_condition"`
	// Replaces lists the ids of the unit's cards the new items replace.
	Replaces []uint        `gorm:"serializer:json" json:"replaces"`
	Status   RequestStatus `gorm:"size:24;not null;index" json:"status"`
	// ProposedQuantity is how much live proposals currently offer; FulfilledQuantity how much
	// reassignments have delivered.
	ProposedQuantity  int               `gorm:"not null;default:0" json:"proposed_quantity"`
	FulfilledQuantity int               `gorm:"not null;default:0" json:"fulfilled_quantity"`
	Standards         *StandardsCheck   `gorm:"serializer:json" json:"standards"`
	Purchase          *PurchaseDecision `gorm:"serializer:json" json:"purchase"`
	CreatedByID       *uint             `json:"created_by_id"`
	SubmittedAt       *time.Time        `json:"submitted_at"`
	Version           int               `gorm:"not null;default:1" json:"version"`
	CreatedAt         time.Time         `json:"created_at"`
	UpdatedAt         time.Time         `json:"updated_at"`
}

// Outstanding is how many items the request still lacks: neither delivered nor proposed.
func (r *PurchaseRequest) Outstanding() int {
	return max(0, r.Quantity-r.FulfilledQuantity-r.ProposedQuantity)
}

// Validate checks the fields a clerk supplies.
func (r *PurchaseRequest) Validate() error {
	r.Name = strings.TrimSpace(r.Name)
	switch {
	case r.CategoryCode == "":
		return Errorf(EInvalid, "请选择资产分类")
	case r.Name == "":
		return Errorf(EInvalid, "请填写品目名称")
	case utf8.RuneCountInString(r.Name) > 200:
		return Errorf(EInvalid, "品目名称过长（最多 200 个字符）")
	case utf8.RuneCountInString(r.Requirements) > 2000:
		return Errorf(EInvalid, "配置要求过长（最多 2000 个字符）")
	case utf8.RuneCountInString(r.Reason) > 1000:
		return Errorf(EInvalid, "购置理由过长（最多 1000 个字符）")
	case r.Quantity < 1:
		return Errorf(EInvalid, "数量应为正整数")
	case r.Quantity > 100000:
		return Errorf(EInvalid, "数量过大（最多 100000）")
	case r.UnitPrice < 0:
		return Errorf(EInvalid, "预算单价不能为负数")
	case !r.MinCondition.Valid():
		return Errorf(EInvalid, "最低可接受成色无效")
	case r.MinCondition.Rank() > ConditionRepairable.Rank():
		return Errorf(EInvalid, "最低可接受成色只能是全新、完好或需维修")
	}
	return nil
}

// StandardsCheck is the result of checking a request against the configuration standards
// (配置标准) when it is submitted. It informs the clerk and finance; it never blocks.
type StandardsCheck struct {
	CheckedAt time.Time `json:"checked_at"`
	// Standard is the standard applied, if one covers the request's category.
	Standard *StandardRef `json:"standard"`
	Findings []Finding    `json:"findings"`
	// OK is true when a standard applied and nothing exceeded it.
	OK bool `json:"ok"`
}

// StandardRef names the standard a check applied.
type StandardRef struct {
	ID           uint   `json:"id"`
	Jurisdiction string `json:"jurisdiction"`
	CategoryCode string `json:"category_code"`
	ItemName     string `json:"item_name"`
	Version      int    `json:"version"`
}

// Finding is one thing a standards check found, with a message in Chinese.
type Finding struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Finding codes.
const (
	FindingPriceOverCap    = "price_over_cap"
	FindingQuantityOverCap = "quantity_over_cap"
	FindingReplacesYoung   = "replaces_young"
	FindingNoStaff         = "no_staff"
	FindingNoStandard      = "no_standard"
)
