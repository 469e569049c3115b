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
// the clerk of a unit that is both (its own idle item for its own request), finance, or none of
// them.
type Side string

// Sides.
const (
	SideRequester Side = "requester"
	SideSource    Side = "source"
	SideOwn       Side = "own"
	SideFinance   Side = "finance"
	SideNone      Side = ""
)

// Flow is the procedure a proposal follows, fixed by its two units.
type Flow string

// Flows.
const (
	// FlowReassign moves an item from one unit to another (调剂): the requesting clerk
	// accepts, finance approves (reassignment across units needs its approval), the source
	// hands the item over and the requester receives it.
	FlowReassign Flow = "reassign"
	// FlowOwnUnit puts a unit's own idle item back in use for the unit's own request. Nothing
	// changes hands: no hand-over, no transfer order from a unit to itself, and no approval,
	// which the rules require for reassignment across units and not for a unit using its own
	// stock. The clerk's confirmation (确认再利用) returns the item to use and ends the
	// proposal received. An objection against oneself has no sense: the clerk declines or
	// cancels instead.
	FlowOwnUnit Flow = "own_unit"
)

// Flow is the procedure p follows: own-unit when its item belongs to the unit that asked.
func (p *Proposal) Flow() Flow {
	if p.SourceUnitID == p.RequestUnitID {
		return FlowOwnUnit
	}
	return FlowReassign
}

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

// transitions are the legal moves of each flow; an action a flow does not list is nobody's.
var transitions = map[Flow]map[ProposalAction]transition{
	FlowReassign: {
		ActionAccept:   {[]Side{SideRequester}, []ProposalStatus{ProposalProposed}, ProposalAccepted, "", "确认接收"},
		ActionDecline:  {[]Side{SideRequester}, []ProposalStatus{ProposalProposed}, ProposalDeclined, "谢绝理由", "谢绝"},
		ActionObject:   {[]Side{SideSource}, []ProposalStatus{ProposalProposed, ProposalAccepted}, "", "异议理由", "提出异议"},
		ActionApprove:  {[]Side{SideFinance}, []ProposalStatus{ProposalAccepted}, ProposalApproved, "", "批准调剂"},
		ActionReject:   {[]Side{SideFinance}, []ProposalStatus{ProposalAccepted}, ProposalRejected, "驳回意见", "驳回"},
		ActionHandover: {[]Side{SideSource}, []ProposalStatus{ProposalApproved}, ProposalHandedOver, "", "确认移交"},
		ActionReceive:  {[]Side{SideRequester}, []ProposalStatus{ProposalHandedOver}, ProposalReceived, "", "确认接收入账"},
		ActionCancel:   {[]Side{SideRequester, SideSource}, []ProposalStatus{ProposalProposed, ProposalAccepted}, ProposalCancelled, "", "取消"},
	},
	FlowOwnUnit: {
		ActionAccept:  {[]Side{SideOwn}, []ProposalStatus{ProposalProposed}, ProposalReceived, "", "确认再利用"},
		ActionDecline: {[]Side{SideOwn}, []ProposalStatus{ProposalProposed}, ProposalDeclined, "谢绝理由", "谢绝"},
		ActionCancel:  {[]Side{SideOwn}, []ProposalStatus{ProposalProposed, ProposalAccepted}, ProposalCancelled, "", "取消"},
		// Own-unit proposals accepted before this flow existed wait for finance: its approval
		// returns the item to use, as the clerk's confirmation now does.
		ActionApprove: {[]Side{SideFinance}, []ProposalStatus{ProposalAccepted}, ProposalReceived, "", "批准再利用"},
		ActionReject:  {[]Side{SideFinance}, []ProposalStatus{ProposalAccepted}, ProposalRejected, "驳回意见", "驳回"},
		// Own-unit proposals approved before it stand 已批准·待移交 with their card already
		// back in use; the clerk's confirmation closes them.
		ActionReceive: {[]Side{SideOwn}, []ProposalStatus{ProposalApproved}, ProposalReceived, "", "确认再利用"},
	},
}

// Label returns the action as the UI shows it in this flow.
func (f Flow) Label(a ProposalAction) string {
	if t, ok := transitions[f][a]; ok {
		return t.label
	}
	if t, ok := transitions[FlowReassign][a]; ok {
		return t.label
	}
	return string(a)
}

// NeedsReason names the reason an action requires in this flow ("" when none).
func (f Flow) NeedsReason(a ProposalAction) string { return transitions[f][a].reason }

// Transition checks whether a user on side may take action on a proposal of flow in status
// from, and returns the status it leaves the proposal in (the same status for an objection).
// The errors are EInvalid for an unknown action, EForbidden for the wrong side (or an action
// the flow does not have) and EConflict for the wrong state, each with a message in Chinese.
func Transition(flow Flow, action ProposalAction, side Side, from ProposalStatus) (ProposalStatus, error) {
	if _, ok := transitions[FlowReassign][action]; !ok {
		return "", Errorf(EInvalid, "未知的操作 %q", string(action))
	}
	t, ok := transitions[flow][action]
	if !ok {
		return "", Errorf(EForbidden, "本单位的闲置资产用于本单位的需求，不需要“%s”", flow.Label(action))
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

// TransferBooks are the figures approving a reassignment books for the pieces it moves, the
// same on the approval dialog and on the transfer order (调拨单). They are the source's books —
// the unit's own figures, rolled forward (Asset.Books) — at the end of last month: the source
// stops depreciating the item in the month it leaves (当月减少当月不提), and that book value is
// what it writes off and what the receiver books (政府会计准则第3号 第十条: 无偿调入 cost = 调出方账面价值
// + 相关税费、运输费等). The receiver depreciates it over the life remaining, from this month
// (当月增加当月计提); a fully depreciated item is booked at its original value with equal
// accumulated depreciation, and an item of a class that is not depreciated at its original
// value.
type TransferBooks struct {
	Quantity int `json:"quantity"`
	// Date is the day of the transfer; AsOf the end of the month before it, the last month
	// the source depreciates.
	Date          Date  `json:"date"`
	AsOf          Date  `json:"as_of"`
	OriginalValue Money `json:"original_value"`
	Accumulated   Money `json:"accumulated_depreciation"`
	NetValue      Money `json:"net_value"`
	// ScheduleAccumulated and ScheduleNet are the schedule's figures (the check) on AsOf;
	// Disagrees is set when the books differ from them by more than a month's charge, which an
	// approver must acknowledge.
	Stated              bool  `json:"stated"`
	ScheduleAccumulated Money `json:"schedule_accumulated_depreciation"`
	ScheduleNet         Money `json:"schedule_net_value"`
	Difference          Money `json:"difference"`
	Disagrees           bool  `json:"disagrees"`
	// BookedValue and BookedDepreciation are what the receiver books; LifeMonths the life it
	// depreciates the rest over (0: nothing left to depreciate, not depreciated, or 年限未定).
	BookedValue        Money `json:"booked_value"`
	BookedDepreciation Money `json:"booked_depreciation"`
	LifeMonths         int   `json:"life_months"`
	// Part is the moved pieces as a card of their own and Rest what stays with the source
	// (zero Rest when the whole card moves): their figures add up to the card's.
	Part Asset `json:"-"`
	Rest Asset `json:"-"`
}

// BooksOfTransfer computes the TransferBooks of quantity pieces of card for a transfer on
// today under the card's class life. Every figure a reassignment books comes from here.
func BooksOfTransfer(card *Asset, quantity int, cl ClassLife, today Date) TransferBooks {
	asOf := PrevMonthEnd(today)
	part := *card
	var rest Asset
	if quantity < card.Quantity {
		part, rest = card.Split(quantity, cl)
	}
	bk := part.Books(cl, asOf)
	b := TransferBooks{Quantity: quantity, Date: today, AsOf: asOf, OriginalValue: part.OriginalValue,
		Accumulated: bk.Accumulated, NetValue: bk.Net, Stated: bk.Stated,
		ScheduleAccumulated: bk.Schedule.Accumulated, ScheduleNet: bk.Schedule.Net, Difference: bk.Difference, Disagrees: bk.Disagrees,
		BookedValue: bk.Net, LifeMonths: bk.RemainingMonths, Part: part, Rest: rest}
	switch {
	case !bk.Applies:
		b.BookedValue, b.LifeMonths = part.OriginalValue, 0
	case bk.Undetermined:
		b.LifeMonths = 0
	case bk.Net == 0:
		b.BookedValue, b.BookedDepreciation, b.LifeMonths = part.OriginalValue, part.OriginalValue, 0
	}
	return b
}

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
	// FirstAcquiredOn is when the item was first acquired, which its new card keeps.
	FirstAcquiredOn Date `json:"first_acquired_on"`
	// The source's books for the moved pieces at the end of the month before the transfer:
	// what it writes off and the receiver books.
	OriginalValue Money `json:"original_value"`
	Accumulated   Money `json:"accumulated_depreciation"`
	NetValue      Money `json:"net_value"`
	// BooksStated is set when those books are the unit's stated figures rolled forward;
	// ScheduleAccumulated and ScheduleNet are the schedule's (the check). Where the two
	// disagreed (BooksDisagree), the approver acknowledged the difference (BooksAcknowledged).
	BooksStated         bool  `json:"books_stated"`
	ScheduleAccumulated Money `json:"schedule_accumulated_depreciation"`
	ScheduleNet         Money `json:"schedule_net_value"`
	BooksDisagree       bool  `json:"books_disagree"`
	BooksAcknowledged   bool  `json:"books_acknowledged"`
	// CostCapitalised is what moving the item cost the receiver, added to its card's original
	// value on receipt (准则第3号 第十条); CostExpensed is such a cost for an item booked fully
	// depreciated, which the receiver expenses (其他费用) instead.
	CostCapitalised Money `json:"cost_capitalised"`
	CostExpensed    Money `json:"cost_expensed"`
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

// Saving is what reuse saved: the purchase avoided, less what moving the item cost. A received
// transfer writes one; so does a unit's own idle item put back in use for its own request,
// which avoids the purchase as well, without a transfer (TransferID nil, no cost).
type Saving struct {
	ID         uint  `gorm:"primaryKey" json:"id"`
	TransferID *uint `gorm:"uniqueIndex" json:"transfer_id"`
	ProposalID uint  `gorm:"not null;default:0;index" json:"proposal_id"`
	RequestID  uint  `gorm:"not null;index" json:"request_id"`
	UnitID     uint  `gorm:"not null;index" json:"unit_id"`
	Quantity   int   `json:"quantity"`
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
