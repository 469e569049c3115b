package app

import (
	"context"
	"fmt"
	"time"

	"assetpool/models"
)

// demoRequest is one purchase request of the demo, filed by a unit's clerk.
type demoRequest struct {
	clerk string
	in    RequestInput
	// draft requests are saved but not submitted.
	draft bool
}

// demoRequestList is what the demo's units want to buy: some met from the unit's own idle
// items, some from other units' (laptops, meeting chairs, new colour printers), one only in
// part (new televisions, with its search record), one over its configuration standard, one
// still a draft.
func demoRequestList(today models.Date) []demoRequest {
	in := func(days int) models.Date { return models.DateOf(today.Time().AddDate(0, 0, days)) }
	return []demoRequest{
		{clerk: "jingfa", in: RequestInput{CategoryCode: "A02010105", Name: "台式计算机", Quantity: 3, UnitPrice: 500000,
			Requirements: "i5 处理器 16G 内存 512G 固态硬盘", NeededBy: in(30), Reason: "新招录 3 名工作人员，需配备办公电脑", MinCondition: models.ConditionUsable}},
		{clerk: "yingji", in: RequestInput{CategoryCode: "A05010301", Name: "办公椅", Quantity: 6, UnitPrice: 80000,
			NeededBy: in(20), Reason: "应急值班室启用", MinCondition: models.ConditionUsable}},
		{clerk: "zhangfan", in: RequestInput{CategoryCode: "A05010303", Name: "会议椅", Quantity: 10, UnitPrice: 45000,
			NeededBy: in(25), Reason: "街道新会议室", MinCondition: models.ConditionUsable}},
		{clerk: "kechuang", in: RequestInput{CategoryCode: "A02010108", Name: "便携式计算机", Quantity: 2, UnitPrice: 650000,
			Requirements: "14 寸 轻薄", NeededBy: in(60), Reason: "外出调研使用", MinCondition: models.ConditionUsable}},
		{clerk: "xingren", in: RequestInput{CategoryCode: "A05010502", Name: "文件柜", Quantity: 4, UnitPrice: 100000,
			Requirements: "钢制 四门", NeededBy: in(45), Reason: "社区档案室扩容", MinCondition: models.ConditionUsable}},
		{clerk: "shenpi", in: RequestInput{CategoryCode: "A02021004", Name: "A4彩色打印机", Quantity: 2, UnitPrice: 260000,
			Requirements: "彩色激光 双面打印", NeededBy: in(30), Reason: "窗口打印证照", MinCondition: models.ConditionNew}},
		{clerk: "zhifa", in: RequestInput{CategoryCode: "A02091001", Name: "电视机", Quantity: 2, UnitPrice: 380000,
			Requirements: "65 寸", NeededBy: in(40), Reason: "指挥中心大屏备用", MinCondition: models.ConditionNew}},
		{clerk: "guotu", in: RequestInput{CategoryCode: "A02010105", Name: "台式计算机", Quantity: 1, UnitPrice: 680000,
			Requirements: "图形工作站 独立显卡", NeededBy: in(40), Reason: "规划制图", MinCondition: models.ConditionUsable}},
		{clerk: "touchu", in: RequestInput{CategoryCode: "A02061804", Name: "空调机", Quantity: 2, UnitPrice: 420000,
			Reason: "会议室空调老化", MinCondition: models.ConditionUsable}, draft: true},
	}
}

// loadDemoRequests files and submits the demo's purchase requests as their units' clerks,
// which checks them against the standards and matches them against the pool as in real use.
// It returns how many requests it filed.
func (a *App) loadDemoRequests(ctx context.Context) (int, error) {
	list := demoRequestList(a.Today())
	for _, d := range list {
		var u models.User
		if err := a.db.WithContext(ctx).Where("username = ?", d.clerk).First(&u).Error; err != nil {
			return 0, internal(err, "find demo clerk "+d.clerk)
		}
		if _, err := a.CreateRequests(ctx, &u, *u.UnitID, []models.PurchaseRequest{d.in.request()}, !d.draft); err != nil {
			return 0, fmt.Errorf("demo request of %s: %w", d.clerk, err)
		}
		// Requests filed a moment apart keep their order under the tie-break.
		time.Sleep(time.Millisecond)
	}
	if err := a.demoWorkflow(ctx); err != nil {
		return 0, err
	}
	return len(list), nil
}

// demoWorkflow moves some of the demo's proposals along, so that every stage can be seen:
// the office chairs of 应急管理局 come from five units and end received, handed over,
// approved, accepted and declined; the meeting chairs are accepted and objected to by their
// unit; a laptop is cancelled by its unit. Of the units' own idle items proposed for their own
// requests, 经济发展局 puts one desktop back in use and 兴仁街道 four of its file cabinets
// (确认再利用, no transfer); the others wait for their clerks.
func (a *App) demoWorkflow(ctx context.Context) error {
	user := func(q string, args ...any) (*models.User, error) {
		var u models.User
		if err := a.db.WithContext(ctx).Where(q, args...).First(&u).Error; err != nil {
			return nil, internal(err, "find demo user")
		}
		return &u, nil
	}
	finance, err := user("username = ?", demoFinanceUser)
	if err != nil {
		return err
	}
	clerkOf := func(unitID uint) (*models.User, error) {
		return user("role = ? AND unit_id = ?", models.RoleClerk, unitID)
	}
	proposalsOf := func(clerk string) ([]models.Proposal, *models.User, error) {
		u, err := user("username = ?", clerk)
		if err != nil {
			return nil, nil, err
		}
		var ps []models.Proposal
		err = a.db.WithContext(ctx).Where("request_unit_id = ? AND source_unit_id <> ? AND status = ?", *u.UnitID, *u.UnitID, models.ProposalProposed).
			Order("id").Find(&ps).Error
		return ps, u, internal(err, "demo proposals")
	}
	type step struct {
		who    string // requester, source or finance
		action models.ProposalAction
		in     ProposalInput
	}
	accept := step{"requester", models.ActionAccept, ProposalInput{}}
	approve := step{"finance", models.ActionApprove, ProposalInput{Comment: "同意调剂，请双方尽快办理移交"}}
	handover := step{"source", models.ActionHandover, ProposalInput{}}
	receive := step{"requester", models.ActionReceive, ProposalInput{TransferCost: 5000}}
	plans := []struct {
		clerk string
		paths [][]step
	}{
		{"yingji", [][]step{
			{accept, approve, handover, receive},
			{accept, approve, handover},
			{accept, approve},
			{accept},
			{{"requester", models.ActionDecline, ProposalInput{Reason: "椅子扶手损坏，不适合值班使用"}}},
		}},
		{"zhangfan", [][]step{{accept, {"source", models.ActionObject, ProposalInput{Reason: "这批会议椅下月培训要用，建议调剂其他单位的"}}}}},
		{"kechuang", [][]step{{{"source", models.ActionCancel, ProposalInput{Reason: "该笔记本已分配给新同事"}}}, {accept, approve, handover, receive}}},
		{"shenpi", [][]step{{accept, {"finance", models.ActionReject, ProposalInput{Comment: "该打印机已列入兴城街道窗口配置计划，请等待下一项建议"}}}}},
	}
	for _, plan := range plans {
		ps, requester, err := proposalsOf(plan.clerk)
		if err != nil {
			return err
		}
		for i, path := range plan.paths {
			if i >= len(ps) {
				break
			}
			source, err := clerkOf(ps[i].SourceUnitID)
			if err != nil {
				return err
			}
			for _, st := range path {
				who := map[string]*models.User{"requester": requester, "source": source, "finance": finance}[st.who]
				if _, err := a.ActOnProposal(ctx, who, ps[i].ID, st.action, st.in); err != nil {
					return fmt.Errorf("demo %s of proposal %d: %w", st.action, ps[i].ID, err)
				}
			}
		}
	}
	for _, clerk := range []string{"jingfa", "xingren"} {
		u, err := user("username = ?", clerk)
		if err != nil {
			return err
		}
		var p models.Proposal
		err = a.db.WithContext(ctx).Where("request_unit_id = ? AND source_unit_id = ? AND status = ?", *u.UnitID, *u.UnitID, models.ProposalProposed).
			Order("id").First(&p).Error
		if err != nil {
			return internal(err, "demo own-unit proposal of "+clerk)
		}
		if _, err := a.ActOnProposal(ctx, u, p.ID, models.ActionAccept, ProposalInput{}); err != nil {
			return fmt.Errorf("demo reuse of proposal %d: %w", p.ID, err)
		}
	}
	a.WaitBackground()
	// One hold ran out unanswered: the television proposed to 综合执法局 expired and was
	// offered again by the next run.
	zhifa, err := user("username = ?", "zhifa")
	if err != nil {
		return err
	}
	res := a.db.WithContext(ctx).Model(&models.Proposal{}).Where("request_unit_id = ? AND status = ?", *zhifa.UnitID, models.ProposalProposed).
		Update("hold_until", a.now().UTC().Add(-time.Hour))
	if res.Error != nil {
		return internal(res.Error, "age a demo hold")
	}
	if _, err := a.ReleaseExpiredHolds(ctx); err != nil {
		return err
	}
	a.WaitBackground()
	return nil
}
