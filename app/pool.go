package app

import (
	"context"

	"assetpool/models"
)

// PoolItem is an idle item as every unit sees it in the pool (公物仓): what another unit needs
// to decide whether to ask for it, and nothing of the owning unit's insides (no custodian,
// department, location or remarks). Quantity and values are of the offered part.
type PoolItem struct {
	ID           uint             `json:"id"`
	UnitCode     string           `json:"unit_code"`
	UnitName     string           `json:"unit_name"`
	Area         string           `json:"area"`
	AssetNo      string           `json:"asset_no"`
	Name         string           `json:"name"`
	CategoryCode string           `json:"category_code"`
	CategoryName string           `json:"category_name"`
	Model        string           `json:"model"`
	Brand        string           `json:"brand"`
	Condition    models.Condition `json:"condition"`
	Quantity     int              `json:"quantity"`
	MeasureUnit  string           `json:"measure_unit"`
	AcquiredOn   models.Date      `json:"acquired_on"`
	// AgeMonths is how old the item is; RemainingMonths how much of its minimum life is left
	// (null for categories that are not depreciated).
	AgeMonths       int          `json:"age_months"`
	RemainingMonths *int         `json:"remaining_months"`
	OriginalValue   models.Money `json:"original_value"`
	NetValue        models.Money `json:"net_value"`
	IdleSince       models.Date  `json:"idle_since"`
	Own             bool         `json:"own"`
	Photos          []PhotoRef   `json:"photos"`
}

// poolItem turns a list row into what the pool shows; the offered share of a quantity card
// carries its share of the value.
func poolItem(it *AssetItem, actor *models.User) PoolItem {
	offered := it.Quantity
	if it.OfferedQuantity > 0 && it.OfferedQuantity < it.Quantity {
		offered = it.OfferedQuantity
	}
	share := func(m models.Money) models.Money { return offeredShare(m, offered, it.Quantity) }
	p := PoolItem{ID: it.ID, UnitCode: it.UnitCode, UnitName: it.UnitName, Area: it.unitArea,
		AssetNo: it.AssetNo, Name: it.Name, CategoryCode: it.CategoryCode, CategoryName: it.CategoryName,
		Model: it.Model, Brand: it.Brand, Condition: it.Condition, Quantity: offered,
		MeasureUnit: it.MeasureUnit, AcquiredOn: it.AcquiredOn, AgeMonths: it.ageMonths,
		OriginalValue: share(it.OriginalValue), NetValue: it.offeredNet, IdleSince: it.IdleSince,
		Own: actor.UnitID != nil && *actor.UnitID == it.UnitID, Photos: []PhotoRef{}}
	if it.lifeMonths > 0 {
		r := it.remainingMonths
		p.RemainingMonths = &r
	}
	return p
}

// offeredShare is the value of offered of a card's quantity pieces: rounded down to the fen
// (values are never negative), as poolOfferedValueSQL computes it for the totals, so that the
// rows, pool.xlsx and the totals add up to the same fen.
func offeredShare(m models.Money, offered, quantity int) models.Money {
	if offered == quantity || quantity == 0 {
		return m
	}
	return models.Money(int64(m) * int64(offered) / int64(quantity))
}

// poolOfferedSQL and poolOfferedValueSQL are poolItem's offered pieces and offeredShare of the
// original value over assets aliased a: the pool's totals add what its rows show, not whole
// cards. SQLite's integer division truncates as Go's does.
const (
	poolOfferedSQL      = "CASE WHEN a.offered_quantity > 0 AND a.offered_quantity < a.quantity THEN a.offered_quantity ELSE a.quantity END"
	poolOfferedValueSQL = "CASE WHEN a.offered_quantity > 0 AND a.offered_quantity < a.quantity THEN a.original_value * a.offered_quantity / a.quantity ELSE a.original_value END"
)

// PoolPage is one page of the pool.
type PoolPage struct {
	Items []PoolItem
	Total int64
	Next  string
}

// ListPool returns one page of the idle pool across every unit. Any signed-in user may look.
func (a *App) ListPool(ctx context.Context, actor *models.User, f AssetFilter) (*PoolPage, error) {
	f.Pool, f.poolView = true, true
	if err := a.scope(ctx, actor, &f); err != nil {
		return nil, err
	}
	if f.Sort == "" {
		f.Sort = "-idle_since"
	}
	page, err := a.listPage(ctx, &f, true)
	if err != nil {
		return nil, err
	}
	out := &PoolPage{Items: make([]PoolItem, len(page.Items)), Total: page.Total, Next: page.Next}
	ids := make([]uint, len(page.Items))
	for i := range page.Items {
		out.Items[i] = poolItem(&page.Items[i], actor)
		ids[i] = page.Items[i].ID
	}
	refs, err := a.photoRefs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out.Items {
		if r := refs[out.Items[i].ID]; r != nil {
			out.Items[i].Photos = r
		}
	}
	return out, nil
}

// PoolAsset returns one pool item, for the pool's detail view.
func (a *App) PoolAsset(ctx context.Context, actor *models.User, id uint) (*PoolItem, error) {
	page, err := a.ListPool(ctx, actor, AssetFilter{IDs: []uint{id}})
	if err != nil {
		return nil, err
	}
	if len(page.Items) == 0 {
		return nil, models.Errorf(models.ENotFound, "闲置资产库中没有这件资产（可能已被调剂或重新启用）")
	}
	return &page.Items[0], nil
}

// EachPoolItem calls fn for every pool item the filter selects, a page at a time.
func (a *App) EachPoolItem(ctx context.Context, actor *models.User, f AssetFilter, fn func(*PoolItem) error) error {
	f.Pool, f.poolView = true, true
	if f.Sort == "" {
		f.Sort = "unit"
	}
	return a.EachAsset(ctx, actor, f, func(it *AssetItem) error {
		p := poolItem(it, actor)
		return fn(&p)
	})
}

// PoolTotals returns the totals of a pool filter: cards, and the pieces offered and their share
// of the original value, which is what the pool's rows show.
func (a *App) PoolTotals(ctx context.Context, actor *models.User, f AssetFilter) (FilterTotals, error) {
	f.Pool, f.poolView = true, true
	return a.CountAssets(ctx, actor, f)
}
