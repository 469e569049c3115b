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
	return len(list), nil
}
