package models

import "time"

// ProposalAction is something a user does to a proposal.
type ProposalAction string

// Proposal actions.
const (
	ActionAccept   ProposalAction = "accept"
	ActionDecline  ProposalAction = "decline"
	ActionObject   ProposalAction = "object"
	ActionApprove  ProposalAction = "approve"
	ActionReject   ProposalAction = "reject"
	ActionHandover ProposalAction = "handover"
	ActionReceive  ProposalAction = "receive"
	ActionCancel   ProposalAction = "cancel"
)

// ProposalActions lists every action in the order of a proposal's life.
var ProposalActions = []ProposalAction{ActionAccept, ActionDecline, ActionObject, ActionApprove, ActionReject, ActionHandover, ActionReceive, ActionCancel}

// Side is who a user is to a proposal: the requesting unit's clerk, the source unit's clerk,
// finance, or none of them.
type Side string

// Sides.
const (
	SideRequester Side = "requester"
	SideSource    Side = "source"
	SideFinance   Side = "finance"
	SideNone      Side = ""
)

// transition is one legal move: who may take it, from which states, to which state. An
// objection leaves the state as it is and sends the proposal back to finance's attention.
type transition struct {
	sides []Side
	from  []ProposalStatus
	to    ProposalStatus
	// reason is required (a decline, an objection, a rejection); the label names it.
	reason string
	label  string
}

var transitions = map[ProposalAction]transition{
	ActionAccept:   {[]Side{SideRequester}, []ProposalStatus{ProposalProposed}, ProposalAccepted, "", "确认接收"},
	ActionDecline:  {[]Side{SideRequester}, []ProposalStatus{ProposalProposed}, ProposalDeclined, "谢绝理由", "谢绝"},
	ActionObject:   {[]Side{SideSource}, []ProposalStatus{ProposalProposed, ProposalAccepted}, "", "异议理由", "提出异议"},
	ActionApprove:  {[]Side{SideFinance}, []ProposalStatus{ProposalAccepted}, ProposalApproved, "", "批准调剂"},
	ActionReject:   {[]Side{SideFinance}, []ProposalStatus{ProposalAccepted}, ProposalRejected, "驳回意见", "驳回"},
	ActionHandover: {[]Side{SideSource}, []ProposalStatus{ProposalApproved}, ProposalHandedOver, "", "确认移交"},
	ActionReceive:  {[]Side{SideRequester}, []ProposalStatus{ProposalHandedOver}, ProposalReceived, "", "确认接收入账"},
	ActionCancel:   {[]Side{SideRequester, SideSource}, []ProposalStatus{ProposalProposed, ProposalAccepted}, ProposalCancelled, "", "取消"},
}

// Label returns the action as the UI shows it.
func (a ProposalAction) Label() string {
	if t, ok := transitions[a]; ok {
		return t.label
	}
	return string(a)
}

// Transition checks whether a user on side may take action on a proposal in status from, and
// returns the status it leaves the proposal in (the same status for an objection). The errors
// are EInvalid for an unknown action, EForbidden for the wrong side and EConflict for the wrong
// state, each with a message in Chinese.
func Transition(action ProposalAction, side Side, from ProposalStatus) (ProposalStatus, error) {
	t, ok := transitions[action]
	if !ok {
		return "", Errorf(EInvalid, "未知的操作 %q", string(action))
	}
	allowed := false
	for _, s := range t.sides {
		allowed = allowed || s == side
	}
	if !allowed {
		return "", Errorf(EForbidden, "您不能对这条调剂建议“%s”", t.label)
	}
	for _, f := range t.from {
		if f == from {
			if t.to == "" {
				return from, nil
			}
			return t.to, nil
		}
	}
	return "", Errorf(EConflict, "调剂建议已是“%s”，不能再“%s”", from.Label(), t.label)
}

// NeedsReason names the reason an action requires ("" when none).
func (a ProposalAction) NeedsReason() string { return transitions[a].reason }

// Transfer (调拨) is an approved reassignment: one card, or part of a quantity card, moved
// from a source unit to a receiving unit, with the figures of the transfer order (调拨单).
type Transfer struct {
	ID              uint   `gorm:"primaryKey" json:"id"`
	No              string `gorm:"size:32;not null;uniqueIndex" json:"no"`
	ProposalID      uint   `gorm:"not null;uniqueIndex" json:"proposal_id"`
	RequestID       uint   `gorm:"not null;index" json:"request_id"`
	SourceUnitID    uint   `gorm:"not null;index" json:"source_unit_id"`
	ReceivingUnitID uint   `gorm:"not null;index" json:"receiving_unit_id"`
	// SourceAssetID is the card the item left; AssetID is its card in the receiving unit (the
	// same card when it moved whole).
	SourceAssetID uint   `gorm:"not null" json:"source_asset_id"`
	AssetID       uint   `gorm:"not null" json:"asset_id"`
	AssetNo       string `gorm:"size:64" json:"asset_no"`
	NewAssetNo    string `gorm:"size:64" json:"new_asset_no"`
	Name          string `gorm:"size:200" json:"name"`
	Model         string `gorm:"size:200" json:"model"`
	CategoryCode  string `gorm:"size:32" json:"category_code"`
	MeasureUnit   string `gorm:"size:16" json:"measure_unit"`
	Quantity      int    `json:"quantity"`
	// The source's books for the moved pieces on the day of the transfer.
	OriginalValue Money `json:"original_value"`
	Accumulated   Money `json:"accumulated_depreciation"`
	NetValue      Money `json:"net_value"`
	// BookedValue and BookedDepreciation are what the receiving unit books; LifeMonths the life
	// it depreciates the rest over.
	BookedValue        Money      `json:"booked_value"`
	BookedDepreciation Money      `json:"booked_depreciation"`
	LifeMonths         int        `json:"life_months"`
	Date               Date       `json:"date"`
	ApprovedByID       uint       `json:"approved_by_id"`
	ApproverName       string     `gorm:"size:100" json:"approver_name"`
	Comment            string     `gorm:"size:1000" json:"comment"`
	HandedOverAt       *time.Time `json:"handed_over_at"`
	ReceivedAt         *time.Time `json:"received_at"`
	CreatedAt          time.Time  `json:"created_at"`
}

// Saving is what a received transfer saved: the purchase avoided, less what moving it cost.
type Saving struct {
	ID         uint `gorm:"primaryKey" json:"id"`
	TransferID uint `gorm:"not null;uniqueIndex" json:"transfer_id"`
	RequestID  uint `gorm:"not null;index" json:"request_id"`
	UnitID     uint `gorm:"not null;index" json:"unit_id"`
	Quantity   int  `json:"quantity"`
	// UnitPrice is the request's budgeted price; Cap the configuration standard's price cap
	// when one applied (0: none); Avoided = min(UnitPrice, Cap) × Quantity.
	UnitPrice    Money     `json:"unit_price"`
	Cap          Money     `json:"cap"`
	Avoided      Money     `json:"avoided"`
	TransferCost Money     `json:"transfer_cost"`
	Amount       Money     `json:"amount"`
	Method       string    `gorm:"size:500" json:"method"`
	CreatedAt    time.Time `json:"created_at"`
}

// PurchaseDecision is finance's decision on buying what reassignment could not supply.
type PurchaseDecision struct {
	Approved bool      `json:"approved"`
	Quantity int       `json:"quantity"`
	Comment  string    `json:"comment"`
	ByID     uint      `json:"by_id"`
	ByName   string    `json:"by_name"`
	At       time.Time `json:"at"`
	// RecordID is the 调剂查询记录 finance saw.
	RecordID uint `json:"record_id"`
}
