package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"assetpool/models"
)

// ProposalInput is what an action on a proposal may carry: a reason (decline, objection,
// cancellation), finance's comment (approval, rejection), on an approval that finance has seen
// where the source's books differ from the schedule (BooksAcknowledged), and on receipt what
// moving the item cost the receiving unit.
type ProposalInput struct {
	Reason            string       `json:"reason"`
	Comment           string       `json:"comment"`
	BooksAcknowledged bool         `json:"books_acknowledged"`
	TransferCost      models.Money `json:"transfer_cost"`
}

// ActionOffer is an action the viewer may take on a proposal now; Reason names the text it
// needs ("" when none).
type ActionOffer struct {
	Action models.ProposalAction `json:"action"`
	Label  string                `json:"label"`
	Reason string                `json:"reason,omitempty"`
}

// sideOf is who the actor is to a proposal. The clerk of a unit that both asked for the item
// and owns it is on neither side alone: its own-unit flow has a side of its own.
func sideOf(actor *models.User, p *models.Proposal) models.Side {
	switch {
	case actor.Role == models.RoleFinance:
		return models.SideFinance
	case p.Flow() == models.FlowOwnUnit && actor.CanWriteUnit(p.RequestUnitID):
		return models.SideOwn
	case actor.CanWriteUnit(p.RequestUnitID):
		return models.SideRequester
	case actor.CanWriteUnit(p.SourceUnitID):
		return models.SideSource
	}
	return models.SideNone
}

// offers lists what the actor may do to a proposal in its present state.
func offers(actor *models.User, p *models.Proposal) []ActionOffer {
	out := []ActionOffer{}
	side, flow := sideOf(actor, p), p.Flow()
	for _, act := range models.ProposalActions {
		if _, err := models.Transition(flow, act, side, p.Status); err == nil {
			out = append(out, ActionOffer{Action: act, Label: flow.Label(act), Reason: flow.NeedsReason(act)})
		}
	}
	return out
}

// canSee reports whether the actor may read a proposal: both units' clerks, finance, admin.
func canSee(actor *models.User, p *models.Proposal) bool {
	return actor.CanReadUnit(p.RequestUnitID) || actor.CanReadUnit(p.SourceUnitID)
}

// ProposalDetail is a proposal with what the viewer may do and its history. For finance, a
// reassignment not yet approved carries Books: the figures approving it now would book, which
// the approval dialog shows and the transfer order will carry.
type ProposalDetail struct {
	ProposalView
	Books   *models.TransferBooks `json:"books,omitempty"`
	History []models.AuditEvent   `json:"history"`
}

// Proposal returns one proposal the actor may see, with its history.
func (a *App) Proposal(ctx context.Context, actor *models.User, id uint) (*ProposalDetail, error) {
	var p models.Proposal
	err := a.read.WithContext(ctx).First(&p, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !canSee(actor, &p)) {
		return nil, models.Errorf(models.ENotFound, "调剂建议 %d 不存在", id)
	}
	if err != nil {
		return nil, internal(err, "load proposal")
	}
	views, err := a.proposalViewsFor(ctx, actor, []models.Proposal{p})
	if err != nil {
		return nil, err
	}
	hist, err := a.ListAudit(ctx, AuditFilter{Entity: "proposal", EntityID: fmt.Sprint(id), Limit: 200})
	if err != nil {
		return nil, err
	}
	d := &ProposalDetail{ProposalView: views[0], History: hist}
	if actor.Role == models.RoleFinance && p.Flow() == models.FlowReassign && p.Status.Live() && views[0].books != nil {
		d.Books = views[0].books
	}
	return d, nil
}

// ActOnProposal carries out one step of a proposal's life for the actor, in one transaction:
// the move is checked against models.Transition (who may, in the proposal's flow, from which
// state); an approval moves the card or the pieces to the requesting unit and writes the
// transfer; a receipt writes the saving. In the own-unit flow the confirmation (or an approval
// of a proposal accepted before that flow) puts the unit's item back in use and writes the
// saving, without a transfer. Declines, rejections and cancellations free the item, which the
// next candidate may then be offered.
func (a *App) ActOnProposal(ctx context.Context, actor *models.User, id uint, action models.ProposalAction, in ProposalInput) (*ProposalView, error) {
	in.Reason, in.Comment = strings.TrimSpace(in.Reason), strings.TrimSpace(in.Comment)
	text := in.Reason
	if action == models.ActionApprove || action == models.ActionReject {
		text = in.Comment
		if text == "" {
			text = in.Reason
		}
	}
	if len([]rune(text)) > 1000 {
		return nil, models.Errorf(models.EInvalid, "理由或意见过长（最多 1000 个字）")
	}
	if in.TransferCost < 0 {
		return nil, models.Errorf(models.EInvalid, "调剂费用不能为负数")
	}
	var freed string
	expired := false
	var saved models.Proposal
	err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var p models.Proposal
		err := tx.First(&p, id).Error
		if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !canSee(actor, &p)) {
			return models.Errorf(models.ENotFound, "调剂建议 %d 不存在", id)
		}
		if err != nil {
			return internal(err, "load proposal")
		}
		flow := p.Flow()
		to, err := models.Transition(flow, action, sideOf(actor, &p), p.Status)
		if err != nil {
			return err
		}
		if label := flow.NeedsReason(action); label != "" && text == "" {
			return models.Errorf(models.EInvalid, "请填写%s", label)
		}
		now := a.now().UTC()
		// A hold that ran out before finance approved cancels the proposal, whatever the
		// hourly release has not yet done; that much is kept, and the action is refused.
		if p.Status.Live() && p.HoldUntil.Before(now) && action != models.ActionCancel && action != models.ActionObject {
			if err := a.endProposal(tx, nil, &p, models.ProposalExpired, "保留期已过"); err != nil {
				return err
			}
			expired = true
			freed, err = proposalCategory(tx, &p)
			return err
		}
		event := "proposal." + string(action)
		own := flow == models.FlowOwnUnit
		switch {
		case action == models.ActionDecline || action == models.ActionReject || action == models.ActionCancel:
			if err := a.endProposal(tx, actor, &p, to, text); err != nil {
				return err
			}
			if freed, err = proposalCategory(tx, &p); err != nil {
				return err
			}
		case action == models.ActionObject:
			if err := a.stepProposal(tx, actor, &p, event, map[string]any{"objection": text}); err != nil {
				return err
			}
		case own && (action == models.ActionAccept || action == models.ActionApprove):
			if err := a.reuse(tx, actor, &p, text); err != nil {
				return err
			}
		case action == models.ActionApprove:
			if err := a.approve(tx, actor, &p, text, in.BooksAcknowledged, now); err != nil {
				return err
			}
		case action == models.ActionHandover:
			if err := a.stepProposal(tx, actor, &p, event, map[string]any{"status": to}); err != nil {
				return err
			}
			if err := tx.Model(&models.Transfer{}).Where("proposal_id = ?", p.ID).Update("handed_over_at", now).Error; err != nil {
				return internal(err, "mark handed over")
			}
		case action == models.ActionReceive:
			set := map[string]any{"status": to}
			if own {
				// Approved before the own-unit flow: its card is back in use already, and its
				// transfer (from the unit to itself) closes with nothing handed over.
				event = "proposal.reuse"
				if err := tx.Model(&models.Transfer{}).Where("proposal_id = ? AND handed_over_at IS NULL", p.ID).Update("handed_over_at", now).Error; err != nil {
					return internal(err, "close own transfer")
				}
			}
			if err := a.stepProposal(tx, actor, &p, event, set); err != nil {
				return err
			}
			if err := a.receive(tx, actor, &p, in.TransferCost, now); err != nil {
				return err
			}
		default:
			if err := a.stepProposal(tx, actor, &p, event, map[string]any{"status": to}); err != nil {
				return err
			}
		}
		saved = p
		return nil
	})
	if err != nil {
		return nil, err
	}
	if freed != "" {
		a.matchSoon(models.TriggerPool, freed)
	}
	if expired {
		return nil, models.Errorf(models.EConflict, "这条调剂建议的保留期已过，资产已释放；请刷新后查看新的建议")
	}
	views, err := a.proposalViewsFor(ctx, actor, []models.Proposal{saved})
	if err != nil {
		return nil, err
	}
	return &views[0], nil
}

// proposalCategory is the category of a proposal's card, for matching its class again.
func proposalCategory(tx *gorm.DB, p *models.Proposal) (string, error) {
	var code string
	if err := tx.Model(&models.Asset{}).Where("id = ?", p.AssetID).Select("category_code").Scan(&code).Error; err != nil {
		return "", internal(err, "load category")
	}
	return code, nil
}

// stepProposal applies a change to a proposal whose version is still the one read, and records
// it as the audit event named; a concurrent change makes it a conflict.
func (a *App) stepProposal(tx *gorm.DB, actor *models.User, p *models.Proposal, event string, set map[string]any) error {
	before := *p
	set["version"] = p.Version + 1
	set["updated_at"] = a.now().UTC()
	res := tx.Model(&models.Proposal{}).Where("id = ? AND version = ?", p.ID, p.Version).Updates(set)
	if res.Error != nil {
		return internal(res.Error, "update proposal")
	}
	if res.RowsAffected != 1 {
		return models.Errorf(models.EConflict, "调剂建议 %d 已被他人处理，请刷新后再试", p.ID)
	}
	if err := tx.First(p, p.ID).Error; err != nil {
		return internal(err, "reload proposal")
	}
	return a.audit(tx, actor, event, "proposal", p.ID, &p.RequestUnitID, &before, p)
}

// reuse puts a unit's own idle item back in use for the unit's own request, in the caller's
// transaction, and ends the proposal received. Nothing changes hands, so the unit's ledger does
// not change and neither does its card's register entry (账账相符): the card keeps its number,
// books, custodian and location, and only stops offering the pieces reused — a whole card goes
// back in use; from a quantity card the reused pieces join those the unit kept back, and the
// card goes back in use when no offered piece is left. The request's fulfilled quantity grows,
// and the purchase avoided is a saving, without a transfer.
func (a *App) reuse(tx *gorm.DB, actor *models.User, p *models.Proposal, comment string) error {
	var card models.Asset
	if err := tx.First(&card, p.AssetID).Error; err != nil {
		return internal(err, "load asset")
	}
	if card.UnitID != p.SourceUnitID || !card.InPool(a.cfg.PoolRepairable) || card.Offered() < p.Quantity {
		return models.Errorf(models.EConflict, "资产 %s 已不在闲置资产库中或可调剂数量不足，不能再利用", card.AssetNo)
	}
	before := card
	if left := card.Offered() - p.Quantity; left > 0 {
		card.OfferedQuantity = left
	} else {
		card.UsageStatus, card.IdleSince, card.OfferedQuantity = models.UsageInUse, models.Date{}, 0
	}
	card.Version++
	res := tx.Model(&models.Asset{}).Where("id = ? AND version = ?", card.ID, before.Version).
		Select("usage_status", "idle_since", "offered_quantity", "version", "updated_at").Updates(&card)
	if res.Error != nil {
		return internal(res.Error, "reuse asset")
	}
	if res.RowsAffected != 1 {
		return models.Errorf(models.EConflict, "资产 %s 已被他人修改，请刷新后再试", card.AssetNo)
	}
	if err := a.audit(tx, actor, "asset.reuse", "asset", card.ID, &card.UnitID, &before, &card); err != nil {
		return err
	}
	set := map[string]any{"status": models.ProposalReceived}
	if comment != "" {
		set["comment"] = comment
	}
	if err := a.stepProposal(tx, actor, p, "proposal.reuse", set); err != nil {
		return err
	}
	if err := a.fulfil(tx, p); err != nil {
		return err
	}
	return a.writeSaving(tx, actor, p, nil, 0)
}

// fulfil counts a proposal's pieces as delivered to its request: they no longer wait as a
// proposal, and the request is met (已调剂满足) once every piece it asked for is.
func (a *App) fulfil(tx *gorm.DB, p *models.Proposal) error {
	var req models.PurchaseRequest
	if err := tx.First(&req, p.RequestID).Error; err != nil {
		return internal(err, "load request")
	}
	req.ProposedQuantity = max(0, req.ProposedQuantity-p.Quantity)
	req.FulfilledQuantity += p.Quantity
	status := req.Status
	if req.FulfilledQuantity >= req.Quantity {
		status = models.RequestFulfilled
	} else if status.Open() {
		status = requestState(&req)
	}
	err := tx.Model(&models.PurchaseRequest{}).Where("id = ?", req.ID).Updates(map[string]any{
		"proposed_quantity": req.ProposedQuantity, "fulfilled_quantity": req.FulfilledQuantity, "status": status,
		"version": gorm.Expr("version + 1")}).Error
	return internal(err, "fulfil request")
}

// approve moves the proposal's pieces to the requesting unit and writes the transfer, in the
// caller's transaction, with the figures of models.BooksOfTransfer (the same the approval
// dialog showed): the source's books at the end of last month (当月减少当月不提) are what it
// writes off and what the receiver books, depreciating them over the life remaining from this
// month (当月增加当月计提), or, for a fully depreciated item, booking the original value with
// equal depreciation. Where those books differ from the schedule by more than a month's
// charge, finance must have acknowledged the difference (acknowledged), which the transfer
// records. A card wholly moved keeps its id and photos; part of a quantity card becomes a new
// card, the two sharing the books so that they add up to the fen. Every check is made against
// the rows as they stand in this transaction, so of two approvals of the same pieces only the
// first finds them.
func (a *App) approve(tx *gorm.DB, actor *models.User, p *models.Proposal, comment string, acknowledged bool, now time.Time) error {
	var src models.Asset
	if err := tx.First(&src, p.AssetID).Error; err != nil {
		return internal(err, "load asset")
	}
	if src.UnitID != p.SourceUnitID || !src.InPool(a.cfg.PoolRepairable) || src.Offered() < p.Quantity {
		return models.Errorf(models.EConflict, "资产 %s 已不在闲置资产库中或可调剂数量不足（可能已调拨给其他单位），不能批准", src.AssetNo)
	}
	cats, err := a.categoryTable(tx.Statement.Context)
	if err != nil {
		return err
	}
	today := models.DateOf(now)
	b := models.BooksOfTransfer(&src, p.Quantity, cats[src.CategoryCode].life(), today)
	if b.Disagrees && !acknowledged {
		return models.Errorf(models.EConflict, "资产 %s 的账面累计折旧 %s 与按取得日期计算的 %s 相差 %s（截至 %s），超过一个月的折旧额；请核对两组数字，勾选“已核对账面差异”后再批准",
			src.AssetNo, b.Accumulated, b.ScheduleAccumulated, b.Difference, b.AsOf)
	}
	var recv models.Unit
	if err := tx.First(&recv, p.RequestUnitID).Error; err != nil {
		return internal(err, "load unit")
	}
	var seq int64
	if err := tx.Model(&models.Transfer{}).Where("no LIKE ?", fmt.Sprintf("DB%d-%%", today.Year)).Count(&seq).Error; err != nil {
		return internal(err, "number transfer")
	}
	no := fmt.Sprintf("DB%d-%04d", today.Year, seq+1)
	newNo := src.AssetNo
	var taken int64
	if err := tx.Model(&models.Asset{}).Where("unit_id = ? AND asset_no = ? AND id <> ?", recv.ID, newNo, src.ID).Count(&taken).Error; err != nil {
		return internal(err, "check asset number")
	}
	if taken > 0 {
		newNo = src.AssetNo + "-" + no
	}
	moved := models.Asset{UnitID: recv.ID, AssetNo: newNo, Name: src.Name, CategoryCode: src.CategoryCode, Quantity: p.Quantity,
		MeasureUnit: src.MeasureUnit, OriginalValue: b.BookedValue, OpeningDepreciation: b.BookedDepreciation, LifeMonths: b.LifeMonths,
		AcquiredOn: today, FirstAcquiredOn: src.Acquired(), AcquisitionMethod: "调拨", UsageStatus: models.UsageInUse, Condition: src.Condition,
		Model: src.Model, Brand: src.Brand, SerialNo: src.SerialNo, FundingSource: src.FundingSource,
		Remarks: fmt.Sprintf("由%s调入（调拨单 %s）", a.unitName(tx, src.UnitID), no), Version: 1}
	before := src
	if b.Rest.Quantity == 0 {
		moved.ID, moved.Version, moved.CreatedAt = src.ID, src.Version+1, src.CreatedAt
		res := tx.Model(&models.Asset{}).Where("id = ? AND unit_id = ? AND version = ?", src.ID, src.UnitID, src.Version).
			Select("*").Omit("created_at").Updates(&moved)
		if res.Error != nil {
			return internal(res.Error, "move asset")
		}
		if res.RowsAffected != 1 {
			return models.Errorf(models.EConflict, "资产 %s 已被他人修改，请刷新后再试", src.AssetNo)
		}
	} else {
		rest := b.Rest
		if src.OfferedQuantity > 0 {
			rest.OfferedQuantity = max(0, src.OfferedQuantity-p.Quantity)
			if rest.OfferedQuantity == 0 {
				// Every offered piece is gone; the pieces the unit kept back are the ones it
				// uses, so the card goes back in use rather than offer them all (offered 0).
				rest.UsageStatus = models.UsageInUse
				rest.IdleSince = models.Date{}
			}
		}
		rest.Version++
		res := tx.Model(&models.Asset{}).Where("id = ? AND unit_id = ? AND version = ?", src.ID, src.UnitID, src.Version).
			Select("quantity", "original_value", "opening_depreciation", "monthly_charge", "offered_quantity", "usage_status", "idle_since",
				"book_depreciation", "book_net_value", "version", "updated_at").Updates(&rest)
		if res.Error != nil {
			return internal(res.Error, "split asset")
		}
		if res.RowsAffected != 1 {
			return models.Errorf(models.EConflict, "资产 %s 已被他人修改，请刷新后再试", src.AssetNo)
		}
		if err := tx.Create(&moved).Error; err != nil {
			return internal(err, "create moved card")
		}
		if err := a.audit(tx, actor, "asset.transfer_out", "asset", src.ID, &src.UnitID, &before, &rest); err != nil {
			return err
		}
	}
	t := models.Transfer{No: no, ProposalID: p.ID, RequestID: p.RequestID, SourceUnitID: src.UnitID, ReceivingUnitID: recv.ID,
		SourceAssetID: src.ID, AssetID: moved.ID, AssetNo: src.AssetNo, NewAssetNo: newNo, Name: src.Name, Model: src.Model,
		CategoryCode: src.CategoryCode, MeasureUnit: src.MeasureUnit, Quantity: p.Quantity, FirstAcquiredOn: src.Acquired(),
		OriginalValue: b.OriginalValue, Accumulated: b.Accumulated, NetValue: b.NetValue,
		BooksStated: b.Stated, ScheduleAccumulated: b.ScheduleAccumulated, ScheduleNet: b.ScheduleNet, BooksDisagree: b.Disagrees,
		BooksAcknowledged: b.Disagrees && acknowledged,
		BookedValue:       b.BookedValue, BookedDepreciation: b.BookedDepreciation,
		LifeMonths: b.LifeMonths, Date: today, ApprovedByID: actor.ID, ApproverName: actorName(actor), Comment: comment}
	if err := tx.Create(&t).Error; err != nil {
		return internal(err, "create transfer")
	}
	if b.Rest.Quantity == 0 {
		if err := a.audit(tx, actor, "asset.transfer_out", "asset", src.ID, &src.UnitID, &before, map[string]any{"to": recv.Code, "transfer": no}); err != nil {
			return err
		}
	}
	if err := a.audit(tx, actor, "asset.transfer_in", "asset", moved.ID, &recv.ID, nil, &moved); err != nil {
		return err
	}
	if err := a.audit(tx, actor, "transfer.create", "transfer", t.ID, &recv.ID, nil, &t); err != nil {
		return err
	}
	if err := a.stepProposal(tx, actor, p, "proposal.approve", map[string]any{"status": models.ProposalApproved, "comment": comment, "transfer_id": t.ID}); err != nil {
		return err
	}
	return a.fulfil(tx, p)
}

// actorName is how documents name a user.
func actorName(u *models.User) string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

// unitName is a unit's name, for remarks ("" when it cannot be read).
func (a *App) unitName(tx *gorm.DB, id uint) string {
	var u models.Unit
	if tx.Select("name").First(&u, id).Error != nil {
		return ""
	}
	return u.Name
}

// receive marks a transfer received and writes its saving, less the transfer cost.
func (a *App) receive(tx *gorm.DB, actor *models.User, p *models.Proposal, cost models.Money, now time.Time) error {
	var t models.Transfer
	if err := tx.Where("proposal_id = ?", p.ID).First(&t).Error; err != nil {
		return internal(err, "load transfer")
	}
	if err := tx.Model(&t).Update("received_at", now).Error; err != nil {
		return internal(err, "mark received")
	}
	if err := a.bookCost(tx, actor, &t, cost); err != nil {
		return err
	}
	return a.writeSaving(tx, actor, p, &t.ID, cost)
}

// bookCost books what moving a received item cost the receiver. It is part of the item's cost
// (政府会计准则第3号 第十条: 无偿调入 cost = 调出方账面价值 + 相关税费、运输费等): it raises the new card's
// original value, and with it the monthly charge over the life remaining, from the month the
// item arrived (an item of a class that is not depreciated just costs more). An item whose
// source net value was zero, booked fully depreciated, has nothing to carry it: the cost is an
// expense (其他费用), as it is where the card has left the unit since; the transfer says which.
func (a *App) bookCost(tx *gorm.DB, actor *models.User, t *models.Transfer, cost models.Money) error {
	if cost <= 0 {
		return nil
	}
	var card models.Asset
	if err := tx.First(&card, t.AssetID).Error; err != nil {
		return internal(err, "load received card")
	}
	set := map[string]any{"cost_expensed": cost}
	capitalise := card.UnitID == t.ReceivingUnitID && t.NetValue > 0
	if capitalise {
		set = map[string]any{"cost_capitalised": cost}
		before := card
		res := tx.Model(&models.Asset{}).Where("id = ? AND version = ?", card.ID, card.Version).
			Updates(map[string]any{"original_value": card.OriginalValue + cost, "version": card.Version + 1})
		if res.Error != nil {
			return internal(res.Error, "capitalise transfer cost")
		}
		if res.RowsAffected != 1 {
			return models.Errorf(models.EConflict, "资产 %s 已被他人修改，请刷新后再试", card.AssetNo)
		}
		card.OriginalValue += cost
		card.Version++
		if err := a.audit(tx, actor, "asset.capitalise_cost", "asset", card.ID, &card.UnitID, &before, &card); err != nil {
			return err
		}
	}
	if err := tx.Model(t).Updates(set).Error; err != nil {
		return internal(err, "record transfer cost")
	}
	return nil
}

// writeSaving writes what a proposal's pieces saved the requesting unit: the request's budgeted
// unit price, capped by the configuration standard where one applies, times the pieces, less
// the transfer cost. transferID is nil for a unit's own item put back in use, which avoids the
// purchase without a transfer and says so in the method.
func (a *App) writeSaving(tx *gorm.DB, actor *models.User, p *models.Proposal, transferID *uint, cost models.Money) error {
	var req models.PurchaseRequest
	if err := tx.First(&req, p.RequestID).Error; err != nil {
		return internal(err, "load request")
	}
	std, err := a.standardFor(tx, req.CategoryCode)
	if err != nil {
		return err
	}
	sv := models.Saving{TransferID: transferID, ProposalID: p.ID, RequestID: req.ID, UnitID: p.RequestUnitID, Quantity: p.Quantity,
		UnitPrice: req.UnitPrice, TransferCost: cost}
	per := req.UnitPrice
	method := fmt.Sprintf("预算单价 %s × %d 件", req.UnitPrice, p.Quantity)
	if std != nil && std.PriceCap > 0 {
		sv.Cap = std.PriceCap
		if std.PriceCap < per {
			per = std.PriceCap
			method = fmt.Sprintf("配置标准上限 %s（%s，低于预算单价 %s）× %d 件", std.PriceCap, std.ItemName, req.UnitPrice, p.Quantity)
		}
	}
	sv.Avoided = per * models.Money(p.Quantity)
	sv.Amount = sv.Avoided - cost
	if cost > 0 {
		method += fmt.Sprintf("，减调剂费用 %s", cost)
	}
	if p.Flow() == models.FlowOwnUnit {
		method = "本单位闲置资产再利用，免于购置：" + method
	}
	sv.Method = method
	if err := tx.Create(&sv).Error; err != nil {
		return internal(err, "write saving")
	}
	return a.audit(tx, actor, "saving.create", "saving", sv.ID, &sv.UnitID, nil, &sv)
}

// DecidePurchase records finance's decision on buying what reassignment could not supply, for
// a request still lacking items whose search record finance has seen.
func (a *App) DecidePurchase(ctx context.Context, actor *models.User, id uint, approve bool, comment string) (*RequestView, error) {
	if actor.Role != models.RoleFinance {
		return nil, models.Errorf(models.EForbidden, "只有财政审批人可以决定购置")
	}
	comment = strings.TrimSpace(comment)
	if !approve && comment == "" {
		return nil, models.Errorf(models.EInvalid, "不批准购置时请填写意见")
	}
	var out models.PurchaseRequest
	err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := a.loadRequest(tx, actor, id)
		if err != nil {
			return err
		}
		if !r.Status.Open() || r.Outstanding() == 0 {
			return models.Errorf(models.EConflict, "购置需求已是“%s”，没有待决定购置的数量", r.Status.Label())
		}
		var rec models.NoMatchRecord
		if err := tx.Where("request_id = ?", id).Order("id DESC").First(&rec).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return models.Errorf(models.EConflict, "这项需求还没有调剂查询记录：请先运行匹配，确认闲置资产库中没有可调剂的资产")
		} else if err != nil {
			return internal(err, "load search record")
		}
		before := *r
		r.Purchase = &models.PurchaseDecision{Approved: approve, Quantity: r.Outstanding(), Comment: comment, ByID: actor.ID,
			ByName: actorName(actor), At: a.now().UTC(), RecordID: rec.ID}
		r.Status = models.RequestPurchaseRejected
		if approve {
			r.Status = models.RequestPurchaseApproved
		}
		r.Version++
		if err := tx.Model(r).Select("purchase", "status", "version", "updated_at").Updates(r).Error; err != nil {
			return internal(err, "save decision")
		}
		out = *r
		action := "request.purchase_reject"
		if approve {
			action = "request.purchase_approve"
		}
		return a.audit(tx, actor, action, "request", r.ID, &r.UnitID, &before, r)
	})
	if err != nil {
		return nil, err
	}
	return a.viewOf(ctx, actor, &out)
}

// InboxSection is one kind of thing waiting for the user.
type InboxSection struct {
	Key      string         `json:"key"`
	Title    string         `json:"title"`
	Count    int            `json:"count"`
	Items    []ProposalView `json:"items,omitempty"`
	Requests []RequestView  `json:"requests,omitempty"`
}

// Inbox is what waits for the user: for a clerk, proposals to accept, their items chosen by
// others (to object to if need be), items to hand over and to receive; for finance,
// reassignments to approve, objections, and purchases to decide.
type Inbox struct {
	Role     models.Role    `json:"role"`
	Total    int            `json:"total"`
	Sections []InboxSection `json:"sections"`
}

// adjustedDays is how long 待办 shows a clerk what a full matching run changed.
const adjustedDays = 7

// Inbox returns the actor's inbox.
func (a *App) Inbox(ctx context.Context, actor *models.User) (*Inbox, error) {
	box := &Inbox{Role: actor.Role, Sections: []InboxSection{}}
	db := a.read.WithContext(ctx)
	section := func(key, title string, q *gorm.DB) error {
		var ps []models.Proposal
		if err := q.Order("id").Limit(200).Find(&ps).Error; err != nil {
			return internal(err, "inbox")
		}
		views, err := a.proposalViewsFor(ctx, actor, ps)
		if err != nil {
			return err
		}
		box.Sections = append(box.Sections, InboxSection{Key: key, Title: title, Count: len(views), Items: views})
		box.Total += len(views)
		return nil
	}
	proposals := func() *gorm.DB { return db.Model(&models.Proposal{}) }
	switch actor.Role {
	case models.RoleClerk:
		if actor.UnitID == nil {
			return box, nil
		}
		u := *actor.UnitID
		for _, s := range []struct {
			key, title string
			q          *gorm.DB
		}{
			{"to_accept", "待确认的调剂建议", proposals().Where("request_unit_id = ? AND status = ?", u, models.ProposalProposed)},
			{"chosen", "本单位被选中的闲置资产", proposals().Where("source_unit_id = ? AND request_unit_id <> ? AND status IN ? AND COALESCE(objection, '') = ''", u, u, models.LiveProposalStatuses)},
			// Own-unit proposals approved before the own-unit flow have nothing to hand over:
			// the clerk closes them with 确认再利用, among what waits to be received.
			{"to_hand_over", "待移交", proposals().Where("source_unit_id = ? AND request_unit_id <> ? AND status = ?", u, u, models.ProposalApproved)},
			{"to_receive", "待接收", proposals().Where("request_unit_id = ? AND (status = ? OR (status = ? AND source_unit_id = ?))",
				u, models.ProposalHandedOver, models.ProposalApproved, u)},
		} {
			if err := section(s.key, s.title, s.q); err != nil {
				return nil, err
			}
		}
		// What a full run changed of the unit's proposals this past week: to read, not to do,
		// so it does not add to the count of what waits.
		since := a.now().UTC().Add(-adjustedDays * 24 * time.Hour)
		waiting := box.Total
		if err := section("adjusted", "全局匹配调整的调剂建议", proposals().Where("request_unit_id = ? AND reason LIKE ? AND updated_at >= ?", u, rematchPrefix+"%", since)); err != nil {
			return nil, err
		}
		box.Total = waiting
	case models.RoleFinance:
		if err := section("to_approve", "待审批的调剂", proposals().Where("status = ?", models.ProposalAccepted)); err != nil {
			return nil, err
		}
		if err := section("objections", "资产所属单位的异议", proposals().Where("status IN ? AND COALESCE(objection, '') <> ''", models.LiveProposalStatuses)); err != nil {
			return nil, err
		}
		var rs []models.PurchaseRequest
		err := db.Where("status IN ? AND quantity > fulfilled_quantity + proposed_quantity AND id IN (SELECT request_id FROM no_match_records)",
			[]models.RequestStatus{models.RequestSubmitted, models.RequestPartlyMatched, models.RequestMatched}).Order("id").Limit(200).Find(&rs).Error
		if err != nil {
			return nil, internal(err, "inbox purchases")
		}
		units, err := a.unitsByID(ctx)
		if err != nil {
			return nil, err
		}
		cats, err := a.categoryTable(ctx)
		if err != nil {
			return nil, err
		}
		sec := InboxSection{Key: "purchases", Title: "待决定的购置", Requests: []RequestView{}}
		for i := range rs {
			sec.Requests = append(sec.Requests, a.requestView(&rs[i], units[rs[i].UnitID], cats, actor))
		}
		sec.Count = len(sec.Requests)
		box.Sections = append(box.Sections, sec)
		box.Total += sec.Count
	}
	return box, nil
}

// SavingView is a saving with its unit and request by name.
type SavingView struct {
	models.Saving
	UnitName    string `json:"unit_name"`
	RequestName string `json:"request_name"`
}

// Savings lists what reuse saved, newest first, with totals: a clerk's own unit's, every
// unit's (or one unit's) for finance and the administrator.
type Savings struct {
	Items         []SavingView `json:"items"`
	TotalAmount   models.Money `json:"total_amount"`
	TotalQuantity int          `json:"total_quantity"`
}

// ListSavings returns the savings the actor may see.
func (a *App) ListSavings(ctx context.Context, actor *models.User, unitCode string) (*Savings, error) {
	q := a.read.WithContext(ctx).Model(&models.Saving{})
	if unitCode != "" {
		u, err := a.UnitByCode(ctx, unitCode)
		if err != nil {
			return nil, err
		}
		if !actor.CanReadUnit(u.ID) {
			return nil, models.Errorf(models.EForbidden, "您只能查看本单位的节约")
		}
		q = q.Where("unit_id = ?", u.ID)
	}
	if actor.Role == models.RoleClerk {
		if actor.UnitID == nil {
			return nil, models.Errorf(models.EForbidden, "您的账号还没有指定所属单位")
		}
		q = q.Where("unit_id = ?", *actor.UnitID)
	}
	var ss []models.Saving
	if err := q.Order("id DESC").Limit(1000).Find(&ss).Error; err != nil {
		return nil, internal(err, "list savings")
	}
	units, err := a.unitsByID(ctx)
	if err != nil {
		return nil, err
	}
	out := &Savings{Items: []SavingView{}}
	names := map[uint]string{}
	var ids []uint
	for _, s := range ss {
		ids = append(ids, s.RequestID)
	}
	var rs []models.PurchaseRequest
	if len(ids) > 0 {
		if err := a.read.WithContext(ctx).Select("id, name").Where("id IN ?", ids).Find(&rs).Error; err != nil {
			return nil, internal(err, "load requests")
		}
	}
	for _, r := range rs {
		names[r.ID] = r.Name
	}
	for _, s := range ss {
		v := SavingView{Saving: s, RequestName: names[s.RequestID]}
		if u := units[s.UnitID]; u != nil {
			v.UnitName = u.Name
		}
		out.Items = append(out.Items, v)
		out.TotalAmount += s.Amount
		out.TotalQuantity += s.Quantity
	}
	return out, nil
}
