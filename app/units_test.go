package app

import (
	"context"
	"testing"

	"assetpool/models"
)

func TestAssetTotalsByUnit(t *testing.T) {
	a, _ := openTest(t)
	ctx := context.Background()
	ua, ub, uc := &models.Unit{Code: "A", Name: "甲"}, &models.Unit{Code: "B", Name: "乙"}, &models.Unit{Code: "C", Name: "丙"}
	for _, u := range []*models.Unit{ua, ub, uc} {
		if err := a.CreateUnit(ctx, nil, u); err != nil {
			t.Fatal(err)
		}
	}
	card := func(unit uint, no string, qty int, fen models.Money, st models.UsageStatus) models.Asset {
		return models.Asset{UnitID: unit, AssetNo: no, Name: "椅子", CategoryCode: "A05010301", Quantity: qty, OriginalValue: fen,
			AcquiredOn: models.Date{Year: 2020, Month: 1, Day: 1}, UsageStatus: st, Condition: models.ConditionUsable}
	}
	assets := []models.Asset{
		card(ua.ID, "1", 20, 1200000, models.UsageInUse),
		card(ua.ID, "2", 5, 300001, models.UsageIdle),
		card(ua.ID, "3", 1, 99, models.UsageIdle),
		card(ub.ID, "1", 1, 450000, models.UsageLent),
	}
	if err := a.db.Create(&assets).Error; err != nil {
		t.Fatal(err)
	}
	all, err := a.AssetTotalsByUnit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := AssetTotals{Cards: 3, Quantity: 26, Value: 1500100, IdleCards: 2, IdleQuantity: 6, IdleValue: 300100}
	if all[ua.ID] != want {
		t.Errorf("unit A = %+v, want %+v", all[ua.ID], want)
	}
	if got := all[ub.ID]; got != (AssetTotals{Cards: 1, Quantity: 1, Value: 450000}) {
		t.Errorf("unit B = %+v", got)
	}
	if _, ok := all[uc.ID]; ok {
		t.Error("unit without cards is listed")
	}
	one, err := a.UnitAssetTotals(ctx, ua.ID)
	if err != nil || one != want {
		t.Errorf("UnitAssetTotals = %+v, %v", one, err)
	}
	if empty, err := a.UnitAssetTotals(ctx, uc.ID); err != nil || empty != (AssetTotals{}) {
		t.Errorf("empty unit = %+v, %v", empty, err)
	}
}
