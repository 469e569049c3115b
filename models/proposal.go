package models

import "time"

// ProposalStatus is where a reassignment proposal (调剂建议) stands.
type ProposalStatus string

// Proposal statuses. Matching creates proposals; the requesting clerk accepts or declines,
// finance approves or rejects, the source hands over and the requester receives. A proposal
// whose hold runs out before approval expires and frees the item.
const (
	ProposalProposed   ProposalStatus = "proposed"
	ProposalAccepted   ProposalStatus = "accepted"
	ProposalApproved   ProposalStatus = "approved"
	ProposalHandedOver ProposalStatus = "handed_over"
	ProposalReceived   ProposalStatus = "received"
	ProposalDeclined   ProposalStatus = "declined"
	ProposalRejected   ProposalStatus = "rejected"
	ProposalCancelled  ProposalStatus = "cancelled"
	ProposalExpired    ProposalStatus = "expired"
)

// ProposalStatuses lists every proposal status.
var ProposalStatuses = []ProposalStatus{ProposalProposed, ProposalAccepted, ProposalApproved, ProposalHandedOver,
	ProposalReceived, ProposalDeclined, ProposalRejected, ProposalCancelled, ProposalExpired}

var proposalLabels = map[ProposalStatus]string{
	ProposalProposed: "待确认", ProposalAccepted: "已确认·待审批", ProposalApproved: "已批准·待移交",
	ProposalHandedOver: "已移交·待接收", ProposalReceived: "已接收", ProposalDeclined: "已谢绝",
	ProposalRejected: "已驳回", ProposalCancelled: "已取消", ProposalExpired: "已过期",
}

// Label returns the status as the UI shows it.
func (s ProposalStatus) Label() string {
	if l, ok := proposalLabels[s]; ok {
		return l
	}
	return string(s)
}

// Valid reports whether s is a known proposal status.
func (s ProposalStatus) Valid() bool { _, ok := proposalLabels[s]; return ok }

// Live reports whether a proposal in this status still holds its item for the request: until
// finance approves it, when the item moves to the requesting unit.
func (s ProposalStatus) Live() bool { return s == ProposalProposed || s == ProposalAccepted }

// LiveProposalStatuses are the statuses whose proposals hold their items.
var LiveProposalStatuses = []ProposalStatus{ProposalProposed, ProposalAccepted}

// Proposal offers (part of) one idle card to one purchase request, with the score matching
// gave it and the reasons in words a clerk understands.
type Proposal struct {
	ID        uint `gorm:"primaryKey" json:"id"`
	RequestID uint `gorm:"not null;index" json:"request_id"`
	AssetID   uint `gorm:"not null;index" json:"asset_id"`
	// SourceUnitID owns the card; RequestUnitID filed the request.
	SourceUnitID  uint `gorm:"not null;index" json:"source_unit_id"`
	RequestUnitID uint `gorm:"not null;index" json:"request_unit_id"`
	Quantity      int  `gorm:"not null" json:"quantity"`
	// Score is out of 100 (one decimal); Breakdown says where it came from.
	Score     float64        `gorm:"not null" json:"score"`
	Breakdown []ScorePart    `gorm:"serializer:json" json:"breakdown"`
	Reasons   string         `gorm:"size:1000" json:"reasons"`
	SelfMatch bool           `gorm:"not null;default:false" json:"self_match"`
	Status    ProposalStatus `gorm:"size:24;not null;index" json:"status"`
	// HoldUntil is when the item stops being held for the request unless the proposal moved on.
	HoldUntil time.Time `json:"hold_until"`
	RunID     uint      `gorm:"index" json:"run_id"`
	// Objection is the source unit's clerk's reason against giving the item, sent to finance.
	Objection string `gorm:"size:1000" json:"objection"`
	// Reason is why the proposal was declined, cancelled or rejected; Comment is finance's
	// comment on an approval or rejection.
	Reason     string    `gorm:"size:1000" json:"reason"`
	Comment    string    `gorm:"size:1000" json:"comment"`
	TransferID *uint     `json:"transfer_id"`
	Version    int       `gorm:"not null;default:1" json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// ScorePart is one part of a proposal's score: what it measures, the points it gave out of its
// weight, and a phrase such as "同类：台式计算机".
type ScorePart struct {
	Key    string  `json:"key"`
	Label  string  `json:"label"`
	Points float64 `json:"points"`
	Weight float64 `json:"weight"`
	Text   string  `json:"text"`
}

// MatchTrigger is what started a matching run.
type MatchTrigger string

// Match triggers: finance's 运行匹配, a submitted request, an item entering the pool or being
// freed, holds running out, the command line.
const (
	TriggerManual  MatchTrigger = "manual"
	TriggerRequest MatchTrigger = "request"
	TriggerPool    MatchTrigger = "pool"
	TriggerExpiry  MatchTrigger = "expiry"
	TriggerCLI     MatchTrigger = "cli"
)

var triggerLabels = map[MatchTrigger]string{
	TriggerManual: "手动运行", TriggerRequest: "需求提交", TriggerPool: "新增闲置",
	TriggerExpiry: "保留期到期", TriggerCLI: "定时/命令行",
}

// MatchTriggers lists every trigger.
var MatchTriggers = []MatchTrigger{TriggerManual, TriggerRequest, TriggerPool, TriggerExpiry, TriggerCLI}

// Label returns the trigger as the UI shows it ("其他" for one it does not know).
func (t MatchTrigger) Label() string {
	if l, ok := triggerLabels[t]; ok {
		return l
	}
	return "其他"
}

// MatchRun is one run of the matching engine: who or what started it, what it saw and what it
// proposed.
type MatchRun struct {
	ID      uint         `gorm:"primaryKey" json:"id"`
	Trigger MatchTrigger `gorm:"size:16;not null" json:"trigger"`
	// TriggerLabel is the trigger in words, filled for the API.
	TriggerLabel string    `gorm:"-" json:"trigger_label"`
	Scope        string    `gorm:"size:32" json:"scope"`
	ActorID      *uint     `json:"actor_id"`
	StartedAt    time.Time `json:"started_at"`
	FinishedAt   time.Time `json:"finished_at"`
	// PoolItems and PoolQuantity are the free pool the run saw; OpenRequests the requests
	// still lacking items.
	PoolItems       int `json:"pool_items"`
	PoolQuantity    int `json:"pool_quantity"`
	OpenRequests    int `json:"open_requests"`
	Proposals       int `json:"proposals"`
	RequestsMatched int `json:"requests_matched"`
	Expired         int `json:"expired"`
	// Objective is the sum over new proposals of score × quantity, in tenths of a point.
	Objective int64 `json:"objective"`
}

// NoMatchRecord (调剂查询记录) is what matching searched for a request it could not fully meet:
// the pool at that moment, the candidates it considered and why each was rejected or not
// chosen. Finance reads it before deciding on a purchase.
type NoMatchRecord struct {
	ID        uint `gorm:"primaryKey" json:"id"`
	RequestID uint `gorm:"not null;index" json:"request_id"`
	RunID     uint `gorm:"index" json:"run_id"`
	// PoolItems and PoolQuantity are the whole free pool when the run looked.
	PoolItems    int `json:"pool_items"`
	PoolQuantity int `json:"pool_quantity"`
	// Wanted is what the request lacked before the run; Proposed what the run found.
	Wanted   int `json:"wanted"`
	Proposed int `json:"proposed"`
	// Considered counts the pool items of the request's class; Candidates lists them (the
	// best-scoring first, at most a few hundred), each with its outcome.
	Considered int                `json:"considered"`
	Candidates []NoMatchCandidate `gorm:"serializer:json" json:"candidates"`
	// Summary is the record in one sentence.
	Summary   string    `gorm:"size:1000" json:"summary"`
	CreatedAt time.Time `json:"created_at"`
}

// NoMatchCandidate is one item a run considered for a request and what became of it.
type NoMatchCandidate struct {
	AssetID  uint    `json:"asset_id"`
	AssetNo  string  `json:"asset_no"`
	Name     string  `json:"name"`
	UnitName string  `json:"unit_name"`
	Quantity int     `json:"quantity"`
	Score    float64 `json:"score"`
	// Outcome is rejected (not acceptable for the request), taken (given to another request
	// or held for one) or proposed (this run proposed it for the request).
	Outcome string `json:"outcome"`
	Reason  string `json:"reason"`
}
