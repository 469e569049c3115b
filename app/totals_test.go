package app

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"assetpool/models"
)

// Every list that shows totals must show the sums of its own rows. These tests read each list
// row by row, add the rows up and compare with the totals the list shows.

// poolTotalsFixture is a register with idle quantity cards offered in part, whose offered share
// of the value falls between two fen, beside cards offered whole and cards not in the pool.
func poolTotalsFixture(t *testing.T) *registerFixture {
	t.Helper()
	fx := newRegisterFixture(t)
	idle := func(unit *models.Unit, no, name, cat string, qty, offered int, value models.Money) {
		fx.card(t, unit, models.Asset{AssetNo: no, Name: name, CategoryCode: cat, Quantity: qty, OfferedQuantity: offered,
			OriginalValue: value, UsageStatus: models.UsageIdle, Condition: models.ConditionUsable})
	}
	// 3 of 7 chairs worth ¥1,000.00: ¥428.5714… offered, ¥428.57 in the row.
	idle(fx.unitA, "A-CHAIRS", "办公椅", "A05010301", 7, 3, 100000)
	idle(fx.unitA, "A-DESKS", "会议桌", "A05010301", 3, 2, 100001) // 2/3 of ¥1,000.01
	idle(fx.unitA, "A-CAB", "文件柜", "A05010502", 20, 0, 1600000) // 0 offers the whole card
	idle(fx.unitA, "A-ALL", "文件柜", "A05010502", 6, 6, 99999)    // every piece offered
	idle(fx.unitA, "A-PC", "台式计算机", "A02010105", 1, 0, 500000)
	idle(fx.unitB, "B-STOOLS", "凳子", "A05010301", 9, 5, 1000) // 5/9 of ¥10.00
	idle(fx.unitB, "B-SOFA", "沙发", "A05010301", 11, 10, 123457)
	// Not in the pool: in use, and idle but repairable.
	fx.card(t, fx.unitA, models.Asset{AssetNo: "A-USE", Name: "办公椅", CategoryCode: "A05010301", Quantity: 4, OriginalValue: 40000, UsageStatus: models.UsageInUse})
	fx.card(t, fx.unitB, models.Asset{AssetNo: "B-REP", Name: "办公椅", CategoryCode: "A05010301", Quantity: 5, OriginalValue: 50000,
		UsageStatus: models.UsageIdle, Condition: models.ConditionRepairable})
	return fx
}

func TestPoolTotalsEqualTheSumOfItsRows(t *testing.T) {
	t.Parallel()
	fx := poolTotalsFixture(t)
	ctx := context.Background()
	filters := []AssetFilter{{}, {UnitCode: "JF"}, {Category: "A05"}, {Q: "文件柜"}, {Q: "椅"}, {ValueMax: ptr(models.Money(200000))}}
	for _, who := range []*models.User{fx.clerkA, fx.clerkB, fx.finance} {
		for _, f := range filters {
			var rows FilterTotals
			f.Limit = 2 // several pages
			for {
				p, err := fx.a.ListPool(ctx, who, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range p.Items {
					rows.Cards++
					rows.Quantity += int64(it.Quantity)
					rows.Value += it.OriginalValue
				}
				if p.Next == "" {
					break
				}
				f.After = p.Next
			}
			f.After = ""
			sums, err := fx.a.PoolTotals(ctx, who, f)
			if err != nil {
				t.Fatal(err)
			}
			if sums != rows {
				t.Errorf("%s, pool filter %+v: totals %+v, rows add up to %+v", who.Username, f, sums, rows)
			}
		}
	}
	// The whole pool by hand: 3 + 2 + 20 + 6 + 1 + 5 + 10 pieces; 428.57 + 666.67 + 16,000.00
	// + 999.99 + 5,000.00 + 5.55 + 1,122.33 yuan (each share rounded down to the fen).
	want := FilterTotals{Cards: 7, Quantity: 47, Value: 42857 + 66667 + 1600000 + 99999 + 500000 + 555 + 112233}
	if sums, err := fx.a.PoolTotals(ctx, fx.finance, AssetFilter{}); err != nil || sums != want {
		t.Errorf("pool totals %+v, %v; want %+v", sums, err, want)
	}
}

// TestPoolRegisterTotalRowEqualsItsRows: the 合计 row of pool.xlsx adds up its rows, and
// agrees with the pool's totals for the same filter.
func TestPoolRegisterTotalRowEqualsItsRows(t *testing.T) {
	t.Parallel()
	fx := poolTotalsFixture(t)
	ctx := context.Background()
	for _, f := range []AssetFilter{{}, {UnitCode: "XR"}, {Category: "A05"}} {
		e, err := fx.a.PoolRegisterExport(ctx, fx.finance, f)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := e.Stream(ctx, &buf); err != nil {
			t.Fatal(err)
		}
		rows := wbRows(t, wbOpen(t, buf.Bytes()), poolSheet)
		col := map[string]int{}
		for i, h := range rows[poolHeaderRow] {
			col[h] = i
		}
		cell := func(row []string, header string) string {
			if i := col[header]; i < len(row) {
				return row[i]
			}
			return ""
		}
		fen := func(s string) models.Money {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("amount %q: %v", s, err)
			}
			return models.Money(math.Round(v * 100))
		}
		var sum FilterTotals
		var total []string
		for r := poolHeaderRow + 1; r <= len(rows); r++ {
			row := rows[r]
			if row[0] == "合计" {
				total = row
				break
			}
			sum.Cards++
			n, err := strconv.Atoi(cell(row, "可调剂数量"))
			if err != nil {
				t.Fatal(err)
			}
			sum.Quantity += int64(n)
			sum.Value += fen(cell(row, "原值（元）"))
		}
		if total == nil {
			t.Fatalf("filter %+v: no 合计 row", f)
		}
		n, _ := strconv.ParseInt(cell(total, "可调剂数量"), 10, 64)
		shown := FilterTotals{Cards: sum.Cards, Quantity: n, Value: fen(cell(total, "原值（元）"))}
		if cell(total, "单位") != fmt.Sprintf("共 %d 项", sum.Cards) || shown != sum {
			t.Errorf("filter %+v: 合计 row %q, rows add up to %+v", f, total, sum)
		}
		if api, err := fx.a.PoolTotals(ctx, fx.finance, f); err != nil || api != sum {
			t.Errorf("filter %+v: pool totals %+v (%v), pool.xlsx rows add up to %+v", f, api, err, sum)
		}
	}
}

func TestRegisterTotalsEqualTheSumOfItsRows(t *testing.T) {
	t.Parallel()
	fx := poolTotalsFixture(t)
	ctx := context.Background()
	filters := []AssetFilter{{}, {UnitCode: "JF"}, {Category: "A05"}, {Q: "椅"}, {Statuses: []models.UsageStatus{models.UsageIdle}}, {Pool: true}}
	for _, who := range []*models.User{fx.clerkA, fx.finance} {
		for _, f := range filters {
			var rows FilterTotals
			var idle AssetTotals
			f.Limit = 3
			for {
				p, err := fx.a.ListAssets(ctx, who, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range p.Items {
					rows.Cards++
					rows.Quantity += int64(it.Quantity)
					rows.Value += it.OriginalValue
					if it.UsageStatus == models.UsageIdle {
						idle.IdleCards++
						idle.IdleQuantity += int64(it.Quantity)
						idle.IdleValue += it.OriginalValue
					}
				}
				if p.Next == "" {
					break
				}
				f.After = p.Next
			}
			f.After = ""
			sums, err := fx.a.CountAssets(ctx, who, f)
			if err != nil {
				t.Fatal(err)
			}
			if sums != rows {
				t.Errorf("%s, register filter %+v: totals %+v, rows add up to %+v", who.Username, f, sums, rows)
			}
			// A unit's register totals (本单位概况, 审批工作台) are those of its whole register.
			if f.Category == "" && f.Q == "" && len(f.Statuses) == 0 && !f.Pool && (f.UnitCode == "JF" || who == fx.clerkA) {
				u, err := fx.a.UnitByCode(ctx, "JF")
				if err != nil {
					t.Fatal(err)
				}
				ut, err := fx.a.UnitAssetTotals(ctx, u.ID)
				if err != nil {
					t.Fatal(err)
				}
				idle.Cards, idle.Quantity, idle.Value = rows.Cards, rows.Quantity, rows.Value
				if ut != idle {
					t.Errorf("%s: unit JF's totals %+v, its register's rows add up to %+v", who.Username, ut, idle)
				}
			}
		}
	}
}

func TestSavingsTotalsEqualTheSumOfTheirRows(t *testing.T) {
	t.Parallel()
	fx := newRegisterFixture(t)
	ctx := context.Background()
	for i, s := range []models.Saving{
		{UnitID: fx.unitA.ID, Quantity: 1, UnitPrice: 550000, Cap: 500000, Avoided: 500000, TransferCost: 20000, Amount: 480000},
		{UnitID: fx.unitA.ID, Quantity: 3, UnitPrice: 80001, Avoided: 240003, Amount: 240003},
		{UnitID: fx.unitB.ID, Quantity: 2, UnitPrice: 150000, Cap: 150000, Avoided: 300000, TransferCost: 12345, Amount: 287655},
	} {
		id := uint(i + 1)
		s.TransferID, s.RequestID, s.Method = &id, id, "预算单价"
		if err := fx.a.db.Create(&s).Error; err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		who  *models.User
		unit string
		n    int
	}{{fx.finance, "", 3}, {fx.finance, "XR", 1}, {fx.clerkA, "", 2}} {
		sv, err := fx.a.ListSavings(ctx, c.who, c.unit)
		if err != nil {
			t.Fatal(err)
		}
		var amount models.Money
		var qty int
		for _, s := range sv.Items {
			amount += s.Amount
			qty += s.Quantity
		}
		if len(sv.Items) != c.n || sv.TotalAmount != amount || sv.TotalQuantity != qty {
			t.Errorf("%s unit %q: %d rows adding up to %s and %d pieces; totals %s and %d", c.who.Username, c.unit, len(sv.Items), amount, qty, sv.TotalAmount, sv.TotalQuantity)
		}
	}
}

// TestHandoverTotalsEqualTheSumOfTheirRows: each receiving unit's 合计 on the hand-over list
// adds up that unit's rows.
func TestHandoverTotalsEqualTheSumOfTheirRows(t *testing.T) {
	t.Parallel()
	fx := newTransferFixture(t)
	ctx := context.Background()
	fx.addTransfer(t, fx.jf, fx.xr, nil)
	fx.addTransfer(t, fx.jf, fx.xr, func(tr *models.Transfer) {
		tr.Quantity, tr.OriginalValue, tr.Accumulated, tr.NetValue, tr.BookedValue = 3, 300001, 100000, 200001, 200001
	})
	fx.addTransfer(t, fx.jf, fx.ss, nil)
	var buf bytes.Buffer
	if err := fx.a.WriteHandoverListHTML(ctx, fx.finance, "JF", &buf); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	// XR: 1 + 3 pieces; ¥12,345.67 + ¥3,000.01, ¥5,678.90 + ¥1,000.00, ¥6,666.77 + ¥2,000.01.
	i := strings.Index(page, "合计（共 2 项）")
	if i < 0 {
		t.Fatalf("no 合计 row of two items:\n%s", page)
	}
	row := page[i : i+strings.Index(page[i:], "</tr>")]
	for _, want := range []string{`<td class="num">4</td>`, "¥15,345.68", "¥6,678.90", "¥8,666.78"} {
		if !strings.Contains(row, want) {
			t.Errorf("XR's 合计 row lacks %q:\n%s", want, row)
		}
	}
}
