package app

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"assetpool/models"
)

// Matching proposes idle pool items for open purchase requests: every open request against
// the whole free pool at once, choosing the allocation with the greatest total score — a
// transportation problem solved exactly as a min-cost flow, not a greedy pick per request.
//
// The pool can hold a hundred thousand cards, so cards that every request would score alike
// are pooled into supply classes: same category, condition, remaining years of life, net
// value band and name/brand/model. A score also depends on distance (same unit, same area,
// same district), which the flow network expresses in layers rather than by splitting
// classes by unit: each class has a node per unit that holds it, those feed a node per area,
// those feed the class's district node, and a request group draws from its own unit's node,
// its area's node or the district node, each arc carrying that level's score. Requests that
// score every class alike (same category, unit, lowest condition, requirements and price) are
// grouped too, and reach the sink by one arc each, whose small bonus encodes the tie-break.
//
// Tie-break between allocations of equal score, written here and in the README: the request
// that would otherwise buy new first (one with a budgeted price), then the earlier needed-by
// date (none counts as latest), then the earlier request. Arc costs are score × B plus that
// bonus, with B larger than any possible sum of bonuses, so the bonus can only decide among
// allocations whose scores sum to the same total: the optimum is lexicographic, and the
// solver's determinism makes it the same for the same inputs.

// Score scale: a score is out of 100 with one decimal, kept as an integer of tenths.
const (
	scoreScale = 1000
	// selfBonus puts a unit's own idle items of the very item asked for before any other
	// unit's (own items of a neighbouring class only score for being near): it is added to the
	// objective (not to the score shown) of an own-unit allocation and exceeds any score.
	selfBonus = scoreScale + 1
)

// Match levels: how near the source is to the requesting unit.
const (
	levelDistrict = iota
	levelArea
	levelUnit
)

// matchCard is a pool card as matching sees it.
type matchCard struct {
	id, unitID       uint
	assetNo, name    string
	brand, model     string
	category         string
	condition        models.Condition
	acquired         models.Date
	originalPerPiece models.Money
	netPerPiece      models.Money
	remainingYears   int
	lifeYears        int
	free             int // offered pieces not held by a live proposal
	heldBy           []uint
	class            int
}

// supplyClass is a set of cards every request scores alike.
type supplyClass struct {
	category  string
	condition models.Condition
	remaining int // whole years of life left
	life      int // years of minimum life (0: not depreciated)
	netBand   int // index into netBands
	text      string
	tokens    []string
	stock     int
	// units holds the class's cards by unit, in card id order; unitStock and areaStock count
	// their free pieces by unit and by area.
	units     map[uint][]int
	unitStock map[uint]int
	areaStock map[string]int
	// refusedBy lists the requests that refused the class's cards (sorted).
	refusedBy []uint
	// unitOrder lists the units holding the class, in id order.
	unitOrder []uint
}

// netBands are the bands of a piece's net value (yuan) that scores compare with a request's
// budget; a class holds one band, so all its cards score the same.
var netBands = []int64{0, 200, 500, 1000, 2000, 3000, 5000, 8000, 12000, 20000, 50000}

func netBand(net models.Money) int {
	yuan := int64(net) / 100
	i, _ := slices.BinarySearch(netBands, yuan+1)
	return max(0, i-1)
}

// matchRequest is an open request with what it still lacks.
type matchRequest struct {
	r    *models.PurchaseRequest
	want int
	// reopened is the quantity of its proposals the run may change, counted in want.
	reopened int
	group    int
	rank     int // 0 is served first on ties
}

// requestType is what a request asks for, which is all a score looks at besides distance:
// category, lowest condition, budget and requirements.
type requestType struct {
	category     string
	minCondition models.Condition
	price        models.Money
	tokens       []string
	// refuser is the request itself when it has refused items, which are then no candidates
	// for it; such a request is a type of its own.
	refuser uint
	groups  []int
	// areas lists the areas of the type's groups, in first-seen order.
	areas []string
}

// requestGroup is the requests of one type from one unit: every class scores them alike at
// every level.
type requestGroup struct {
	typ     int
	unitID  uint
	area    string
	members []int // indices into requests, best rank first
	want    int
}

// matchInput is everything one run reads, loaded inside its transaction.
type matchInput struct {
	today    models.Date
	cats     map[string]categoryInfo
	units    map[uint]*models.Unit
	cards    []matchCard
	classes  []supplyClass
	requests []matchRequest
	// refused are (request, card) pairs a request declined or finance rejected; their pieces
	// are left out of that request's proposals.
	refused map[[2]uint]bool
	// reopt are the proposals a full run may change (nobody has acted on them yet); keeps
	// lists them by request index, for the network's keep arcs.
	reopt     []reoptProposal
	keeps     map[int][]int // request index → indices into reopt
	types     []requestType
	groups    []requestGroup
	poolItems int
	poolQty   int
	weights   MatchWeights
}

// reoptProposal is a proposal still 待确认 with no objection: a full run puts its pieces back
// with the free pool and its quantity back into its request's demand, and keeps it when the
// optimum gives the request the same pieces (see keepBonus).
type reoptProposal struct {
	id, requestID, assetID uint
	qty, version           int
	request, card          int // indices into requests and cards, once built
}

// allocation is part of a card given to a request.
type allocation struct {
	request int // index into requests
	card    int // index into cards
	qty     int
	level   int
	score   int // tenths of a point, without the self bonus
	own     bool
}

// majorOf is the major class (大类) prefix of a category code: the letter, the top class and
// the major class digits ("A0201" of "A02010105"). Codes of other shapes are their own class.
func majorOf(code string) string {
	if len(code) == 9 {
		return code[:5]
	}
	return code
}

// closeness says how near an item's category is to a request's: 3 the same item (or under the
// class the request names), 2 the same minor class, 1 the same major class, 0 not a candidate.
func closeness(req, item string) int {
	if p, err := categoryPrefix(req); err == nil && strings.HasPrefix(item, p) {
		return 3
	}
	if len(req) != 9 || len(item) != 9 {
		return 0
	}
	switch {
	case req[:7] == item[:7]:
		return 2
	case req[:5] == item[:5]:
		return 1
	}
	return 0
}

var closenessPart = [4]float64{0, 0.3, 0.6, 1}

func conditionPart(c models.Condition) float64 {
	switch c {
	case models.ConditionNew:
		return 1
	case models.ConditionUsable:
		return 0.75
	case models.ConditionRepairable:
		return 0.4
	}
	return 0
}

var distancePart = [3]float64{levelDistrict: 0, levelArea: 0.5, levelUnit: 1}

// matchTokens are the terms matching compares: the search index's bigrams and words.
func matchTokens(parts ...string) []string {
	args := make([]any, len(parts))
	for i, p := range parts {
		args[i] = p
	}
	toks := strings.Fields(searchGrams(args...))
	slices.Sort(toks)
	return slices.Compact(toks)
}

// overlap counts the request tokens found among the item tokens (both sorted).
func overlap(req, item []string) (hits []string) {
	i, j := 0, 0
	for i < len(req) && j < len(item) {
		switch strings.Compare(req[i], item[j]) {
		case 0:
			hits = append(hits, req[i])
			i++
			j++
		case -1:
			i++
		default:
			j++
		}
	}
	return hits
}

// parts are a score's components, each between 0 and 1, in weight order.
type parts struct {
	category, condition, life, text, distance, value float64
	closeness                                        int
	hits                                             []string
}

func (in *matchInput) parts(g *requestType, c *supplyClass, level int) parts {
	p := parts{closeness: closeness(g.category, c.category), condition: conditionPart(c.condition), distance: distancePart[level]}
	p.category = closenessPart[p.closeness]
	if c.life > 0 {
		p.life = min(1, float64(c.remaining)/float64(c.life))
	} else {
		p.life = 1
	}
	if len(g.tokens) == 0 {
		p.text = 1
	} else {
		p.hits = overlap(g.tokens, c.tokens)
		p.text = float64(len(p.hits)) / float64(len(g.tokens))
	}
	// Value is the spending a piece avoids, against the budget; a request without a budget
	// avoids none.
	if g.price > 0 {
		p.value = min(1, float64(netBands[c.netBand]*100)/float64(g.price))
	}
	return p
}

// score is a total out of scoreScale.
func (w MatchWeights) score(p parts) int {
	sum := float64(w.Category)*p.category + float64(w.Condition)*p.condition + float64(w.Life)*p.life +
		float64(w.Text)*p.text + float64(w.Distance)*p.distance + float64(w.Value)*p.value
	total := w.Category + w.Condition + w.Life + w.Text + w.Distance + w.Value
	return int(math.Round(sum * scoreScale / float64(total)))
}

// candidate reports whether a class may meet a request type at all.
func candidate(g *requestType, c *supplyClass) bool {
	if g.refuser != 0 && slices.Contains(c.refusedBy, g.refuser) {
		return false
	}
	return c.condition.Rank() <= g.minCondition.Rank() && closeness(g.category, c.category) > 0
}

// loadMatchInput reads the free pool and the open requests of the given major classes (all
// when prefixes is empty) inside tx. With reopt, the proposals nobody has acted on yet are
// read as part of the pool and of their requests' demand, for the run to improve.
func (a *App) loadMatchInput(tx *gorm.DB, prefixes []string, reopt bool) (*matchInput, error) {
	ctx := tx.Statement.Context
	in := &matchInput{today: a.Today(), weights: a.cfg.Weights}
	var err error
	if in.cats, err = a.categoryTable(ctx); err != nil {
		return nil, err
	}
	var units []models.Unit
	if err := tx.Find(&units).Error; err != nil {
		return nil, internal(err, "load units")
	}
	in.units = make(map[uint]*models.Unit, len(units))
	for i := range units {
		in.units[units[i].ID] = &units[i]
	}
	scope := func(q *gorm.DB, col string) *gorm.DB {
		if len(prefixes) == 0 {
			return q
		}
		conds := make([]string, len(prefixes))
		args := make([]any, len(prefixes))
		for i, p := range prefixes {
			conds[i] = col + " GLOB ?"
			args[i] = p + "*"
		}
		return q.Where("("+strings.Join(conds, " OR ")+")", args...)
	}

	// The free pool: offered pieces of pool cards minus those live proposals hold.
	var held []struct {
		ID, AssetID, RequestID uint
		Quantity, Version      int
		Status                 models.ProposalStatus
		Objection              string
	}
	if err := tx.Model(&models.Proposal{}).Select("id, asset_id, request_id, quantity, version, status, objection").
		Where("status IN ?", models.LiveProposalStatuses).Order("asset_id, id").Scan(&held).Error; err != nil {
		return nil, internal(err, "load holds")
	}
	var candidates []reoptProposal
	for _, h := range held {
		if reopt && h.Status == models.ProposalProposed && h.Objection == "" {
			candidates = append(candidates, reoptProposal{id: h.ID, requestID: h.RequestID, assetID: h.AssetID, qty: h.Quantity, version: h.Version})
		}
	}
	// A run reads the whole pool and every open request; scanning the few columns it needs
	// straight from the rows is several times faster than filling whole models through GORM.
	var rows []poolRow
	q := tx.Model(&models.Asset{}).Select("id, unit_id, asset_no, name, brand, model, category_code, condition, acquired_on, original_value, quantity, offered_quantity, life_months, opening_depreciation, monthly_charge, book_depreciation, book_net_value, book_date").
		Where("usage_status = ? AND condition IN ?", models.UsageIdle, a.poolConditions())
	cur, err := scope(q, "category_code").Order("id").Rows()
	if err != nil {
		return nil, internal(err, "load pool")
	}
	for cur.Next() {
		var as poolRow
		if err := cur.Scan(&as.ID, &as.UnitID, &as.AssetNo, &as.Name, &as.Brand, &as.Model, &as.CategoryCode, &as.Condition,
			&as.AcquiredOn, &as.OriginalValue, &as.Quantity, &as.OfferedQuantity, &as.LifeMonths, &as.OpeningDepreciation,
			&as.MonthlyCharge, &as.BookDepreciation, &as.BookNetValue, &as.BookDate); err != nil {
			cur.Close()
			return nil, internal(err, "read pool")
		}
		rows = append(rows, as)
	}
	if err := errors.Join(cur.Err(), cur.Close()); err != nil {
		return nil, internal(err, "read pool")
	}
	// The open requests, with what they still lack.
	var rs []models.PurchaseRequest
	q = tx.Model(&models.PurchaseRequest{}).Select("id, unit_id, category_code, name, requirements, quantity, unit_price, needed_by, min_condition, status, proposed_quantity, fulfilled_quantity").
		Where("status IN ?", []models.RequestStatus{models.RequestSubmitted, models.RequestPartlyMatched, models.RequestMatched})
	if cur, err = scope(q, "category_code").Order("id").Rows(); err != nil {
		return nil, internal(err, "load requests")
	}
	for cur.Next() {
		var r models.PurchaseRequest
		if err := cur.Scan(&r.ID, &r.UnitID, &r.CategoryCode, &r.Name, &r.Requirements, &r.Quantity, &r.UnitPrice, &r.NeededBy,
			&r.MinCondition, &r.Status, &r.ProposedQuantity, &r.FulfilledQuantity); err != nil {
			cur.Close()
			return nil, internal(err, "read requests")
		}
		rs = append(rs, r)
	}
	if err := errors.Join(cur.Err(), cur.Close()); err != nil {
		return nil, internal(err, "read requests")
	}
	// A request never gets back an item it declined or finance rejected for it.
	var refused []struct{ RequestID, AssetID uint }
	if err := tx.Model(&models.Proposal{}).Select("request_id, asset_id").
		Where("status IN ?", []models.ProposalStatus{models.ProposalDeclined, models.ProposalRejected}).Scan(&refused).Error; err != nil {
		return nil, internal(err, "load refusals")
	}
	in.refused = map[[2]uint]bool{}
	for _, r := range refused {
		in.refused[[2]uint{r.RequestID, r.AssetID}] = true
	}
	// A proposal is open to change only when both its card and its request are read here;
	// any other holds its pieces as every live proposal does.
	inPool := make(map[uint]bool, len(rows))
	for i := range rows {
		inPool[rows[i].ID] = true
	}
	open := make(map[uint]bool, len(rs))
	for i := range rs {
		open[rs[i].ID] = true
	}
	reopened := map[uint]bool{}
	for _, p := range candidates {
		if inPool[p.assetID] && open[p.requestID] {
			in.reopt = append(in.reopt, p)
			reopened[p.id] = true
		}
	}
	heldQty := map[uint]int{}
	heldBy := map[uint][]uint{}
	for _, h := range held {
		if !reopened[h.ID] {
			heldQty[h.AssetID] += h.Quantity
			heldBy[h.AssetID] = append(heldBy[h.AssetID], h.RequestID)
		}
	}
	in.build(rows, heldQty, heldBy, rs)
	return in, nil
}

// poolRow is the part of a pool card a run reads.
type poolRow struct {
	ID, UnitID                                uint
	AssetNo, Name, Brand, Model, CategoryCode string
	Condition                                 models.Condition
	AcquiredOn                                models.Date
	OriginalValue, OpeningDepreciation        models.Money
	Quantity, OfferedQuantity, LifeMonths     int
	MonthlyCharge                             models.Money
	BookDepreciation, BookNetValue            *models.Money
	BookDate                                  models.Date
}

// piece is one piece of the row's card as a card of its own, with its share of the books.
func (r *poolRow) piece(cl models.ClassLife) models.Asset {
	c := models.Asset{OriginalValue: r.OriginalValue, OpeningDepreciation: r.OpeningDepreciation, AcquiredOn: r.AcquiredOn,
		LifeMonths: r.LifeMonths, MonthlyCharge: r.MonthlyCharge, Quantity: max(1, r.Quantity),
		BookDepreciation: r.BookDepreciation, BookNetValue: r.BookNetValue, BookDate: r.BookDate}
	if c.Quantity == 1 {
		return c
	}
	p, _ := c.Split(1, cl)
	return p
}

// offered is Asset.Offered for a row.
func (r *poolRow) offered() int {
	a := models.Asset{Quantity: r.Quantity, OfferedQuantity: r.OfferedQuantity}
	return a.Offered()
}

// build pools the open requests into types and groups, ranked by the tie-break, and the free
// cards into supply classes.
//
// The proposals in in.reopt are no holds here: their pieces are free and their quantities are
// wanted again by their requests.
func (in *matchInput) build(rows []poolRow, heldQty map[uint]int, heldBy map[uint][]uint, rs []models.PurchaseRequest) {
	reopened := map[uint]int{}
	for _, p := range in.reopt {
		reopened[p.requestID] += p.qty
	}
	reqIdx := map[uint]int{}
	for i := range rs {
		r := &rs[i]
		if w := max(0, r.Quantity-r.FulfilledQuantity-r.ProposedQuantity+reopened[r.ID]); w > 0 {
			reqIdx[r.ID] = len(in.requests)
			in.requests = append(in.requests, matchRequest{r: r, want: w, reopened: reopened[r.ID]})
		}
	}
	order := make([]int, len(in.requests))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return compareRequests(in.requests[x].r, in.requests[y].r) })
	type typeKey struct {
		category string
		min      models.Condition
		price    models.Money
		text     string
		refuser  uint
	}
	refusers := map[uint][]uint{} // card id → requests that refused it
	hasRefused := map[uint]bool{}
	for k := range in.refused {
		refusers[k[1]] = append(refusers[k[1]], k[0])
		hasRefused[k[0]] = true
	}
	type groupKey struct {
		typ  int
		unit uint
	}
	typeIdx := map[typeKey]int{}
	groupIdx := map[groupKey]int{}
	// Only the terms some request asks for can change a score: a class keeps just those of
	// its cards' terms, so cards that differ only in words nobody asked for pool together.
	asked := map[string]bool{}
	for rank, i := range order {
		r := in.requests[i].r
		in.requests[i].rank = rank
		toks := matchTokens(r.Requirements)
		for _, t := range toks {
			asked[t] = true
		}
		tk := typeKey{r.CategoryCode, r.MinCondition, r.UnitPrice, strings.Join(toks, " "), 0}
		if hasRefused[r.ID] {
			tk.refuser = r.ID
		}
		ti, ok := typeIdx[tk]
		if !ok {
			ti = len(in.types)
			typeIdx[tk] = ti
			in.types = append(in.types, requestType{category: r.CategoryCode, minCondition: r.MinCondition, price: r.UnitPrice, tokens: toks, refuser: tk.refuser})
		}
		gk := groupKey{ti, r.UnitID}
		gi, ok := groupIdx[gk]
		if !ok {
			gi = len(in.groups)
			groupIdx[gk] = gi
			area := in.areaOf(r.UnitID)
			in.groups = append(in.groups, requestGroup{typ: ti, unitID: r.UnitID, area: area})
			t := &in.types[ti]
			t.groups = append(t.groups, gi)
			if area != "" && !slices.Contains(t.areas, area) {
				t.areas = append(t.areas, area)
			}
		}
		in.requests[i].group = gi
		in.groups[gi].members = append(in.groups[gi].members, i)
		in.groups[gi].want += in.requests[i].want
	}

	type classKey struct {
		category  string
		condition models.Condition
		remaining int
		band      int
		text      string
		refusedBy string
	}
	classIdx := map[classKey]int{}
	for i := range rows {
		as := &rows[i]
		free := as.offered() - heldQty[as.ID]
		in.poolItems++
		in.poolQty += max(0, free)
		if free <= 0 {
			in.cards = append(in.cards, matchCard{id: as.ID, unitID: as.UnitID, assetNo: as.AssetNo, name: as.Name, category: as.CategoryCode,
				condition: as.Condition, heldBy: heldBy[as.ID], class: -1})
			continue
		}
		clife := in.cats[as.CategoryCode].life()
		life := clife.Years
		pc := as.piece(clife)
		per := pc.OriginalValue
		d := pc.Books(clife, in.today).Depreciation
		if d.LifeMonths > 0 {
			life = (d.LifeMonths + 11) / 12
		}
		c := matchCard{id: as.ID, unitID: as.UnitID, assetNo: as.AssetNo, name: as.Name, brand: as.Brand, model: as.Model,
			category: as.CategoryCode, condition: as.Condition, acquired: as.AcquiredOn, originalPerPiece: per,
			netPerPiece: d.Net, remainingYears: d.RemainingMonths / 12, lifeYears: life, free: free, heldBy: heldBy[as.ID]}
		if !d.Applies {
			c.lifeYears = 0
		}
		var toks []string
		for _, t := range matchTokens(c.name, c.brand, c.model) {
			if asked[t] {
				toks = append(toks, t)
			}
		}
		rs := refusers[as.ID]
		slices.Sort(rs)
		k := classKey{c.category, c.condition, c.remainingYears, netBand(c.netPerPiece), strings.Join(toks, " "), fmt.Sprint(rs)}
		ci, ok := classIdx[k]
		if !ok {
			ci = len(in.classes)
			classIdx[k] = ci
			in.classes = append(in.classes, supplyClass{category: k.category, condition: k.condition, remaining: k.remaining,
				life: c.lifeYears, netBand: k.band, text: k.text, tokens: toks, refusedBy: rs,
				units: map[uint][]int{}, unitStock: map[uint]int{}, areaStock: map[string]int{}})
		}
		c.class = ci
		cl := &in.classes[ci]
		if _, ok := cl.units[c.unitID]; !ok {
			cl.unitOrder = append(cl.unitOrder, c.unitID)
		}
		cl.units[c.unitID] = append(cl.units[c.unitID], len(in.cards))
		cl.stock += free
		cl.unitStock[c.unitID] += free
		if area := in.areaOf(c.unitID); area != "" {
			cl.areaStock[area] += free
		}
		in.cards = append(in.cards, c)
	}
	for i := range in.classes {
		slices.Sort(in.classes[i].unitOrder)
	}
	cardIdx := make(map[uint]int, len(in.cards))
	for k := range in.cards {
		cardIdx[in.cards[k].id] = k
	}
	in.keeps = map[int][]int{}
	for pi := range in.reopt {
		p := &in.reopt[pi]
		ri, ok := reqIdx[p.requestID]
		k, found := cardIdx[p.assetID]
		if !ok || !found {
			// Only a request that no longer lacks anything gets here: the proposal is let go.
			p.request, p.card = -1, -1
			continue
		}
		p.request, p.card = ri, k
		in.keeps[ri] = append(in.keeps[ri], pi)
	}
}

// compareRequests orders requests by the tie-break: a budgeted purchase first, then the
// earlier needed-by date, then the earlier request.
func compareRequests(x, y *models.PurchaseRequest) int {
	if bx, by := x.UnitPrice > 0, y.UnitPrice > 0; bx != by {
		if bx {
			return -1
		}
		return 1
	}
	if !x.NeededBy.IsZero() || !y.NeededBy.IsZero() {
		switch {
		case y.NeededBy.IsZero():
			return -1
		case x.NeededBy.IsZero():
			return 1
		case x.NeededBy.Before(y.NeededBy):
			return -1
		case y.NeededBy.Before(x.NeededBy):
			return 1
		}
	}
	return cmp.Compare(x.ID, y.ID)
}

// option is one way to draw from a class: at a level, with a score; own is set when the
// draw earns the self bonus (the unit's own idle items of the very item asked for).
type option struct {
	class, level, score int
	own                 bool
}

// areaOf is a unit's area ("" when unknown: such a unit is only ever near itself).
func (in *matchInput) areaOf(unitID uint) string {
	if u := in.units[unitID]; u != nil {
		return u.Area
	}
	return ""
}

// levelOf is how near a unit is to a group's unit.
func (in *matchInput) levelOf(g *requestGroup, unit uint) int {
	switch {
	case unit == g.unitID:
		return levelUnit
	case g.area != "" && in.areaOf(unit) == g.area:
		return levelArea
	}
	return levelDistrict
}

// matchOptions are what the network offers: for each request type its district options and
// its options in each of its groups' areas, for each group its own unit's options.
type matchOptions struct {
	district [][]option
	area     []map[string][]option
	unit     [][]option
}

// options lists what may be drawn, pruned without losing the optimum: at each level the
// candidate classes are taken best first — by what a piece adds to the objective at that
// level, the self bonus included — until their stock at that level reaches the total demand
// of the request's major class. An allocation that used a class left out could take the same
// pieces, at the same level, from a kept class adding no less instead: the kept classes hold
// more pieces than every request of the major class could take together, so one of them still
// has a piece free (see the README). Ordering by the district score alone would be wrong at
// the unit level, where the self bonus outweighs any score: a unit's plentiful idle stock of a
// neighbouring item would fill the quota and push its own stock of the very item out.
func (in *matchInput) options() *matchOptions {
	byMajor := map[string][]int{}
	demand := map[string]int{}
	for ci := range in.classes {
		m := majorOf(in.classes[ci].category)
		byMajor[m] = append(byMajor[m], ci)
	}
	for gi := range in.groups {
		demand[majorOf(in.types[in.groups[gi].typ].category)] += in.groups[gi].want
	}
	o := &matchOptions{district: make([][]option, len(in.types)), area: make([]map[string][]option, len(in.types)), unit: make([][]option, len(in.groups))}
	cands := make([][]int, len(in.types))
	for ti := range in.types {
		t := &in.types[ti]
		for _, ci := range byMajor[majorOf(t.category)] {
			if candidate(t, &in.classes[ci]) {
				cands[ti] = append(cands[ti], ci)
			}
		}
	}
	keep := func(ti, level int, stock func(c *supplyClass) int) []option {
		t := &in.types[ti]
		var all []option
		for _, ci := range cands[ti] {
			if c := &in.classes[ci]; stock(c) > 0 {
				all = append(all, option{ci, level, in.weights.score(in.parts(t, c, level)), ownBonus(t, c, level)})
			}
		}
		slices.SortStableFunc(all, func(x, y option) int { return cmp.Compare(y.objective(), x.objective()) })
		need, got := demand[majorOf(t.category)], 0
		for i, o := range all {
			if got >= need {
				return all[:i]
			}
			got += stock(&in.classes[o.class])
		}
		return all
	}
	for ti := range in.types {
		o.district[ti] = keep(ti, levelDistrict, func(c *supplyClass) int { return c.stock })
		o.area[ti] = map[string][]option{}
		for _, area := range in.types[ti].areas {
			o.area[ti][area] = keep(ti, levelArea, func(c *supplyClass) int { return c.areaStock[area] })
		}
	}
	for gi := range in.groups {
		g := &in.groups[gi]
		o.unit[gi] = keep(g.typ, levelUnit, func(c *supplyClass) int { return c.unitStock[g.unitID] })
	}
	return o
}

// ownBonus reports whether drawing class c at level earns the self bonus for type t.
func ownBonus(t *requestType, c *supplyClass, level int) bool {
	return level == levelUnit && closeness(t.category, c.category) == 3
}

// keepArc is what a request's open proposals hold of one class in one unit, and what a piece
// of it scores for the request.
type keepArc struct {
	opt  option
	unit uint
	qty  int
}

// keepArcs lists, for request m, the pieces its open proposals hold, by class and unit, in
// the order of its proposals. A piece that is no longer a candidate (its card changed) has
// none: the run may only let it go.
func (in *matchInput) keepArcs(m int) []keepArc {
	grp := &in.groups[in.requests[m].group]
	t := &in.types[grp.typ]
	var out []keepArc
	for _, pi := range in.keeps[m] {
		card := &in.cards[in.reopt[pi].card]
		if card.class < 0 || !candidate(t, &in.classes[card.class]) {
			continue
		}
		i := slices.IndexFunc(out, func(k keepArc) bool { return k.opt.class == card.class && k.unit == card.unitID })
		if i < 0 {
			c := &in.classes[card.class]
			level := in.levelOf(grp, card.unitID)
			out = append(out, keepArc{opt: option{card.class, level, in.weights.score(in.parts(t, c, level)), ownBonus(t, c, level)}, unit: card.unitID})
			i = len(out) - 1
		}
		out[i].qty += in.reopt[pi].qty
	}
	return out
}

// objective is what one piece adds: its score, and the self bonus when it has one.
func objective(score int, own bool) int64 {
	v := int64(score)
	if own {
		v += selfBonus
	}
	return v
}

func (o option) objective() int64 { return objective(o.score, o.own) }

// piece is part of a card drawn for a type or a group, before it is given to a request.
type piece struct {
	card, qty int
}

// allocate solves the run exactly, as a min-cost flow over a layered network:
//
//	source → class×unit → class×area → class → type → group → sink (one arc per request)
//	                      class×area → type×area → group
//	         class×unit → group (the group's own unit)
//
// Types and type×area nodes let every group of a type share the arcs whose score does not
// depend on the unit, which keeps the network small when thousands of requests ask for the
// same few things.
func (in *matchInput) allocate() ([]allocation, error) {
	opts := in.options()
	g := &netBuilder{}
	src, sink := g.node(), g.node()
	total := 0
	classAll := make([]int, len(in.classes))
	areaNode := make([]map[string]int, len(in.classes))
	unitNode := make([]map[uint]int, len(in.classes))
	type upArc struct {
		arc  int
		unit uint
	}
	unitUp := make([][]upArc, len(in.classes))
	for ci := range in.classes {
		c := &in.classes[ci]
		classAll[ci] = g.node()
		areaNode[ci] = map[string]int{}
		unitNode[ci] = map[uint]int{}
		var areas []string
		for _, u := range c.unitOrder {
			stock := c.unitStock[u]
			n := g.node()
			unitNode[ci][u] = n
			g.arc(src, n, int64(stock), 0)
			total += stock
			to := classAll[ci]
			if area := in.areaOf(u); area != "" {
				an, ok := areaNode[ci][area]
				if !ok {
					an = g.node()
					areaNode[ci][area] = an
					areas = append(areas, area)
				}
				to = an
			}
			unitUp[ci] = append(unitUp[ci], upArc{g.arc(n, to, int64(stock), 0), u})
		}
		for _, area := range areas {
			g.arc(areaNode[ci][area], classAll[ci], int64(c.areaStock[area]), 0)
		}
	}
	totalWant := 0
	for _, r := range in.requests {
		totalWant += r.want
	}
	// Below the score, a piece earns a tie-break: its request's rank bonus (bonusMax − rank)
	// and, where a proposal already holds it for that request, keepBonus, which exceeds any
	// difference of two rank bonuses, so an equally good allocation never moves a held piece
	// for the tie-break alone. B exceeds the largest possible sum of tie-breaks.
	bonusMax := int64(len(in.requests))
	keepBonus := bonusMax
	B := int64(min(total, totalWant))*(bonusMax+keepBonus) + 1
	if maxObj := int64(scoreScale + selfBonus); B > math.MaxInt64/4/maxObj/int64(max(1, g.nodes)) {
		return nil, fmt.Errorf("matching instance too large for exact integer costs: %d pieces, %d requests", total, len(in.requests))
	}
	type drawArc struct {
		arc int
		opt option
	}
	typeWant := make([]int, len(in.types))
	for gi := range in.groups {
		typeWant[in.groups[gi].typ] += in.groups[gi].want
	}
	groupNode := make([]int, len(in.groups))
	for gi := range in.groups {
		groupNode[gi] = g.node()
	}
	typeNode := make([]int, len(in.types))
	typeDraws := make([][]drawArc, len(in.types))
	typeToGroup := make([][]int, len(in.types)) // arc per group of the type, in t.groups order
	typeAreaNode := make([]map[string]int, len(in.types))
	areaDraws := make([]map[string][]drawArc, len(in.types))
	areaToGroup := make([]map[string][]int, len(in.types))
	for ti := range in.types {
		t := &in.types[ti]
		typeNode[ti] = g.node()
		for _, o := range opts.district[ti] {
			cp := int64(min(typeWant[ti], in.classes[o.class].stock))
			typeDraws[ti] = append(typeDraws[ti], drawArc{g.arc(classAll[o.class], typeNode[ti], cp, -o.objective()*B), o})
		}
		for _, gi := range t.groups {
			typeToGroup[ti] = append(typeToGroup[ti], g.arc(typeNode[ti], groupNode[gi], int64(in.groups[gi].want), 0))
		}
		typeAreaNode[ti], areaDraws[ti], areaToGroup[ti] = map[string]int{}, map[string][]drawArc{}, map[string][]int{}
		for _, area := range t.areas {
			n := g.node()
			typeAreaNode[ti][area] = n
			areaWant := 0
			for _, gi := range t.groups {
				if in.groups[gi].area == area {
					areaWant += in.groups[gi].want
					areaToGroup[ti][area] = append(areaToGroup[ti][area], g.arc(n, groupNode[gi], int64(in.groups[gi].want), 0))
				}
			}
			for _, o := range opts.area[ti][area] {
				cp := int64(min(areaWant, in.classes[o.class].areaStock[area]))
				areaDraws[ti][area] = append(areaDraws[ti][area], drawArc{g.arc(areaNode[o.class][area], n, cp, -o.objective()*B), o})
			}
		}
	}
	unitDraws := make([][]drawArc, len(in.groups))
	memberArcs := make([][]int, len(in.groups))
	type keepDraw struct {
		arc, request int
		keepArc
	}
	var keepDraws []keepDraw
	for gi := range in.groups {
		grp := &in.groups[gi]
		for _, o := range opts.unit[gi] {
			cp := int64(min(grp.want, in.classes[o.class].unitStock[grp.unitID]))
			unitDraws[gi] = append(unitDraws[gi], drawArc{g.arc(unitNode[o.class][grp.unitID], groupNode[gi], cp, -o.objective()*B), o})
		}
		for _, m := range grp.members {
			r := &in.requests[m]
			rank := -(bonusMax - int64(r.rank))
			if len(in.keeps[m]) == 0 {
				memberArcs[gi] = append(memberArcs[gi], g.arc(groupNode[gi], sink, int64(r.want), rank))
				continue
			}
			// A request with proposals open to change has a node of its own, so that the pieces
			// it holds can reach it directly, by keep arcs that carry the keep bonus.
			n := g.node()
			memberArcs[gi] = append(memberArcs[gi], g.arc(groupNode[gi], n, int64(r.want), 0))
			g.arc(n, sink, int64(r.want), rank)
			for _, ka := range in.keepArcs(m) {
				o := ka.opt
				cost := -(o.objective()*B + keepBonus)
				keepDraws = append(keepDraws, keepDraw{g.arc(unitNode[o.class][ka.unit], n, int64(ka.qty), cost), m, ka})
			}
		}
	}
	g.arc(src, sink, int64(total), 0)
	flow, err := g.solve(src, sink, int64(total))
	if err != nil {
		return nil, err
	}

	// Decompose the flow into pieces of cards, following it class by class: a unit's own
	// groups take its pieces first, then the area nodes what the area's units sent up, then
	// the type nodes what reached the class node.
	type draw struct {
		level, typ, group int
		area              string
		qty               int
	}
	perClass := make([][]draw, len(in.classes))
	for ti := range in.types {
		for _, d := range typeDraws[ti] {
			if f := flow[d.arc]; f > 0 {
				perClass[d.opt.class] = append(perClass[d.opt.class], draw{levelDistrict, ti, -1, "", int(f)})
			}
		}
		for _, area := range in.types[ti].areas {
			for _, d := range areaDraws[ti][area] {
				if f := flow[d.arc]; f > 0 {
					perClass[d.opt.class] = append(perClass[d.opt.class], draw{levelArea, ti, -1, area, int(f)})
				}
			}
		}
	}
	for gi := range in.groups {
		for _, d := range unitDraws[gi] {
			if f := flow[d.arc]; f > 0 {
				perClass[d.opt.class] = append(perClass[d.opt.class], draw{levelUnit, in.groups[gi].typ, gi, "", int(f)})
			}
		}
	}
	left := make([]int, len(in.cards))
	for k := range in.cards {
		left[k] = in.cards[k].free
	}
	// Pieces that kept their proposal are those very pieces, taken before anything else of
	// their class and unit.
	var out []allocation
	for _, kd := range keepDraws {
		n := int(flow[kd.arc])
		for _, pi := range in.keeps[kd.request] {
			p := &in.reopt[pi]
			if n == 0 || in.cards[p.card].class != kd.opt.class || in.cards[p.card].unitID != kd.unit {
				continue
			}
			t := min(n, p.qty, left[p.card])
			if t > 0 {
				left[p.card] -= t
				n -= t
				out = append(out, allocation{request: kd.request, card: p.card, qty: t, level: kd.opt.level, score: kd.opt.score, own: kd.opt.own})
			}
		}
		// Should a card offer fewer pieces than its proposals held, any piece of the class in
		// that unit scores the same.
		for _, k := range in.classes[kd.opt.class].units[kd.unit] {
			if t := min(n, left[k]); t > 0 {
				left[k] -= t
				n -= t
				out = append(out, allocation{request: kd.request, card: k, qty: t, level: kd.opt.level, score: kd.opt.score, own: kd.opt.own})
			}
		}
		if n > 0 {
			return nil, fmt.Errorf("decompose flow: class %d lacks %d pieces in unit %d", kd.opt.class, n, kd.unit)
		}
	}
	groupPieces := make([][]piece, len(in.groups))
	typePieces := make([][]piece, len(in.types))
	typeAreaPieces := make([]map[string][]piece, len(in.types))
	for ti := range typeAreaPieces {
		typeAreaPieces[ti] = map[string][]piece{}
	}
	for ci := range in.classes {
		c := &in.classes[ci]
		if len(perClass[ci]) == 0 {
			continue
		}
		sentUp := map[uint]int{}
		for _, ua := range unitUp[ci] {
			sentUp[ua.unit] = int(flow[ua.arc])
		}
		take := func(units []uint, budget map[uint]int, n int, into *[]piece) int {
			for _, u := range units {
				for _, k := range c.units[u] {
					t := min(n, left[k])
					if budget != nil {
						t = min(t, budget[u])
					}
					if t <= 0 {
						continue
					}
					left[k] -= t
					n -= t
					if budget != nil {
						budget[u] -= t
					}
					*into = append(*into, piece{k, t})
				}
			}
			return n
		}
		for _, lv := range []int{levelUnit, levelArea, levelDistrict} {
			for _, d := range perClass[ci] {
				if d.level != lv {
					continue
				}
				var rest int
				switch lv {
				case levelUnit:
					rest = take([]uint{in.groups[d.group].unitID}, nil, d.qty, &groupPieces[d.group])
				case levelArea:
					var from []uint
					for _, u := range c.unitOrder {
						if in.areaOf(u) == d.area {
							from = append(from, u)
						}
					}
					into := typeAreaPieces[d.typ][d.area]
					rest = take(from, sentUp, d.qty, &into)
					typeAreaPieces[d.typ][d.area] = into
				default:
					rest = take(c.unitOrder, sentUp, d.qty, &typePieces[d.typ])
				}
				if rest > 0 {
					return nil, fmt.Errorf("decompose flow: class %d lacks %d pieces", ci, rest)
				}
			}
		}
	}
	// A type's pieces are alike to all its groups (per area for area pieces): hand them out
	// as the flow from the type and type×area nodes to each group says.
	hand := func(pieces []piece, arcs []int, groups []int) error {
		pi := 0
		for i, gi := range groups {
			n := int(flow[arcs[i]])
			for n > 0 {
				if pi == len(pieces) {
					return fmt.Errorf("decompose flow: a type node lacks %d pieces", n)
				}
				t := min(n, pieces[pi].qty)
				groupPieces[gi] = append(groupPieces[gi], piece{pieces[pi].card, t})
				pieces[pi].qty -= t
				n -= t
				if pieces[pi].qty == 0 {
					pi++
				}
			}
		}
		return nil
	}
	for ti := range in.types {
		t := &in.types[ti]
		if err := hand(typePieces[ti], typeToGroup[ti], t.groups); err != nil {
			return nil, err
		}
		for _, area := range t.areas {
			var groups []int
			for _, gi := range t.groups {
				if in.groups[gi].area == area {
					groups = append(groups, gi)
				}
			}
			if err := hand(typeAreaPieces[ti][area], areaToGroup[ti][area], groups); err != nil {
				return nil, err
			}
		}
	}
	// Within a group, the best pieces go to the best-ranked member, as far as the flow gave
	// each member pieces. A piece's level is where it really comes from.
	for gi := range in.groups {
		grp := &in.groups[gi]
		t := &in.types[grp.typ]
		allocs := make([]allocation, 0, len(groupPieces[gi]))
		for _, p := range groupPieces[gi] {
			card := &in.cards[p.card]
			level := in.levelOf(grp, card.unitID)
			c := &in.classes[card.class]
			allocs = append(allocs, allocation{card: p.card, qty: p.qty, level: level, score: in.weights.score(in.parts(t, c, level)), own: ownBonus(t, c, level)})
		}
		slices.SortStableFunc(allocs, func(x, y allocation) int {
			return cmp.Compare(objective(y.score, y.own), objective(x.score, x.own))
		})
		ai := 0
		for mi, m := range grp.members {
			n := int(flow[memberArcs[gi][mi]])
			for n > 0 && ai < len(allocs) {
				t := min(n, allocs[ai].qty)
				a := allocs[ai]
				a.request, a.qty = m, t
				out = append(out, a)
				allocs[ai].qty -= t
				n -= t
				if allocs[ai].qty == 0 {
					ai++
				}
			}
		}
	}
	return out, nil
}

// netBuilder collects a flow network's arcs before the solver sees them.
type netBuilder struct {
	nodes int
	arcs  []netArc
}

type netArc struct {
	from, to       int
	capacity, cost int64
}

func (b *netBuilder) node() int { b.nodes++; return b.nodes - 1 }

func (b *netBuilder) arc(from, to int, capacity, cost int64) int {
	b.arcs = append(b.arcs, netArc{from, to, capacity, cost})
	return len(b.arcs) - 1
}

// solve sends amount from src to sink at least cost and returns each arc's flow.
func (b *netBuilder) solve(src, sink int, amount int64) ([]int64, error) {
	g := newFlowGraph(b.nodes)
	for _, a := range b.arcs {
		g.addArc(a.from, a.to, a.capacity, a.cost)
	}
	g.setSupply(src, amount)
	g.setSupply(sink, -amount)
	if _, err := g.minCostFlow(); err != nil {
		return nil, fmt.Errorf("solve matching: %w", err)
	}
	flow := make([]int64, len(b.arcs))
	for i := range flow {
		flow[i] = g.flow(i)
	}
	return flow, nil
}

// greedy is the baseline the benchmark compares with: each request in tie-break order takes
// the best options still free (its own unit's, its area's, the district's), one request at a
// time.
func (in *matchInput) greedy() []allocation {
	opts := in.options()
	left := make([]int, len(in.cards))
	for i := range in.cards {
		left[i] = in.cards[i].free
	}
	order := make([]int, len(in.requests))
	for i := range in.requests {
		order[in.requests[i].rank] = i
	}
	sorted := make([][]option, len(in.groups))
	for gi := range in.groups {
		grp := &in.groups[gi]
		s := slices.Concat(opts.unit[gi], opts.area[grp.typ][grp.area], opts.district[grp.typ])
		slices.SortStableFunc(s, func(x, y option) int { return cmp.Compare(y.objective(), x.objective()) })
		sorted[gi] = s
	}
	var out []allocation
	for _, ri := range order {
		r := &in.requests[ri]
		grp := &in.groups[r.group]
		n := r.want
		// What its proposals held comes first, as far as it is still there.
		for _, ka := range in.keepArcs(ri) {
			for _, pi := range in.keeps[ri] {
				p := &in.reopt[pi]
				if c := &in.cards[p.card]; c.class == ka.opt.class && c.unitID == ka.unit {
					if t := min(n, p.qty, left[p.card]); t > 0 {
						left[p.card] -= t
						n -= t
						out = append(out, allocation{request: ri, card: p.card, qty: t, level: ka.opt.level, score: ka.opt.score, own: ka.opt.own})
					}
				}
			}
		}
		for _, o := range sorted[r.group] {
			if n == 0 {
				break
			}
			c := &in.classes[o.class]
			for _, u := range c.unitOrder {
				if o.level == levelUnit && u != grp.unitID || o.level == levelArea && in.areaOf(u) != grp.area {
					continue
				}
				for _, k := range c.units[u] {
					if t := min(n, left[k]); t > 0 {
						left[k] -= t
						n -= t
						out = append(out, allocation{request: ri, card: k, qty: t, level: o.level, score: o.score, own: o.own})
					}
				}
			}
		}
	}
	return out
}

// objectiveOf is what the allocation maximises, in tenths of a point times pieces: each
// piece's score, and the self bonus for a piece of the very item from the requester's own
// unit (own idle items come first).
func objectiveOf(allocs []allocation) int64 {
	var s int64
	for _, a := range allocs {
		s += objective(a.score, a.own) * int64(a.qty)
	}
	return s
}

// MatchResult is what a run did.
type MatchResult struct {
	RunID           uint    `json:"run_id"`
	Proposals       int     `json:"proposals"`
	RequestsMatched int     `json:"requests_matched"`
	Objective       float64 `json:"objective"`
	Expired         int     `json:"expired"`
	PoolItems       int     `json:"pool_items"`
	OpenRequests    int     `json:"open_requests"`
	Seconds         float64 `json:"seconds"`
}

// RunMatching matches every open request against the whole pool (finance's 运行匹配, the CLI).
// Expired holds are released first.
func (a *App) RunMatching(ctx context.Context, actor *models.User, trigger models.MatchTrigger) (*MatchResult, error) {
	if actor != nil && actor.Role != models.RoleFinance {
		return nil, models.Errorf(models.EForbidden, "只有财政审批人可以运行匹配")
	}
	return a.runMatching(ctx, actor, trigger, nil, false)
}

// runMatching runs one match in one write transaction over the major classes prefixes (all
// when empty): it expires holds, reads the free pool and open requests, allocates (exactly,
// or greedily for the benchmark's baseline) and stores proposals, request states, no-match
// records and the run.
func (a *App) runMatching(ctx context.Context, actor *models.User, trigger models.MatchTrigger, prefixes []string, greedy bool) (*MatchResult, error) {
	start := time.Now()
	res := &MatchResult{}
	err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := a.now().UTC()
		expired, err := a.expireHolds(tx, now)
		if err != nil {
			return err
		}
		in, err := a.loadMatchInput(tx, prefixes, len(prefixes) == 0)
		if err != nil {
			return err
		}
		var allocs []allocation
		if greedy {
			allocs = in.greedy()
		} else if allocs, err = in.allocate(); err != nil {
			return internal(err, "allocate")
		}
		run := models.MatchRun{Trigger: trigger, Scope: strings.Join(prefixes, ","), StartedAt: now, PoolItems: in.poolItems,
			PoolQuantity: in.poolQty, OpenRequests: len(in.requests), Expired: expired, Objective: objectiveOf(allocs)}
		if actor != nil {
			run.ActorID = &actor.ID
		}
		if err := tx.Create(&run).Error; err != nil {
			return internal(err, "create run")
		}
		matched, stored, err := a.storeAllocations(tx, in, allocs, run.ID, now)
		if err != nil {
			return err
		}
		run.Proposals, run.RequestsMatched, run.FinishedAt = stored, matched, a.now().UTC()
		if err := tx.Model(&run).Select("proposals", "requests_matched", "finished_at").Updates(&run).Error; err != nil {
			return internal(err, "finish run")
		}
		*res = MatchResult{RunID: run.ID, Proposals: run.Proposals, RequestsMatched: matched, Objective: float64(run.Objective) / 10,
			Expired: expired, PoolItems: in.poolItems, OpenRequests: len(in.requests)}
		return a.audit(tx, actor, "matching.run", "match_run", run.ID, nil, nil, &run)
	})
	if err != nil {
		return nil, err
	}
	res.Seconds = math.Round(time.Since(start).Seconds()*1000) / 1000
	return res, nil
}

// expireHolds ends the proposals whose hold ran out before finance approved them, freeing
// their items, and returns how many.
func (a *App) expireHolds(tx *gorm.DB, now time.Time) (int, error) {
	var ps []models.Proposal
	if err := tx.Where("status IN ? AND hold_until < ?", []models.ProposalStatus{models.ProposalProposed, models.ProposalAccepted}, now).
		Order("id").Find(&ps).Error; err != nil {
		return 0, internal(err, "find expired holds")
	}
	for i := range ps {
		if err := a.endProposal(tx, nil, &ps[i], models.ProposalExpired, "保留期已过"); err != nil {
			return 0, err
		}
	}
	return len(ps), nil
}

// storeAllocations writes one proposal per allocation, updates the requests' proposed
// quantities and states, and records what was searched for requests left short. The
// proposals a full run reopened are kept where the run gives their request the same pieces,
// and otherwise reduced or cancelled with the reason in their history. It returns how many
// requests got a proposal and how many proposals it stored.
func (a *App) storeAllocations(tx *gorm.DB, in *matchInput, allocs []allocation, runID uint, now time.Time) (matched, stored int, err error) {
	hold := now.Add(time.Duration(a.cfg.HoldDays) * 24 * time.Hour)
	got := make([]int, len(in.requests))
	kept, err := a.settleReopened(tx, in, allocs, got)
	if err != nil {
		return 0, 0, err
	}
	// Tens of thousands of proposals go in as multi-row INSERTs on the transaction itself:
	// GORM's per-row reflection would cost more than the whole allocation.
	const cols = "request_id, asset_id, source_unit_id, request_unit_id, quantity, score, breakdown, reasons, self_match, status, hold_until, run_id, version, created_at, updated_at, objection, reason, comment"
	const perRow = 18
	const batch = 500
	ctx := tx.Statement.Context
	conn := tx.Statement.ConnPool
	args := make([]any, 0, batch*perRow)
	flush := func(n int) error {
		if n == 0 {
			return nil
		}
		row := "(" + strings.TrimSuffix(strings.Repeat("?, ", perRow), ", ") + ")"
		stmt := "INSERT INTO proposals (" + cols + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
		if _, err := conn.ExecContext(ctx, stmt, args...); err != nil {
			return internal(err, "store proposals")
		}
		args = args[:0]
		return nil
	}
	n := 0
	for _, al := range allocs {
		r := &in.requests[al.request]
		card := &in.cards[al.card]
		if in.refused[[2]uint{r.r.ID, card.id}] {
			// Refused cards are no candidates of their refuser (see build); this only guards
			// that rule where the flow's pieces would break it.
			continue
		}
		// Pieces a kept proposal already holds need no new one.
		k := [2]int{al.request, al.card}
		if use := min(al.qty, kept[k]); use > 0 {
			kept[k] -= use
			if al.qty -= use; al.qty == 0 {
				continue
			}
		}
		grp := &in.groups[r.group]
		cl := &in.classes[card.class]
		bd, reasons := in.explain(grp, cl, card, al.level)
		js, err := json.Marshal(bd)
		if err != nil {
			return 0, 0, internal(err, "encode breakdown")
		}
		args = append(args, r.r.ID, card.id, card.unitID, r.r.UnitID, al.qty, float64(al.score)/10, string(js), reasons,
			al.own, models.ProposalProposed, hold, runID, 1, now, now, "", "", "")
		got[al.request] += al.qty
		stored++
		if n++; n == batch {
			if err := flush(n); err != nil {
				return 0, 0, err
			}
			n = 0
		}
	}
	if err := flush(n); err != nil {
		return 0, 0, err
	}
	var idx *searchIndex
	for i := range in.requests {
		r := &in.requests[i]
		if got[i] > 0 {
			matched++
		}
		if proposed := r.r.ProposedQuantity - r.reopened + got[i]; proposed != r.r.ProposedQuantity || r.reopened > 0 {
			r.r.ProposedQuantity = proposed
			if _, err := conn.ExecContext(ctx, "UPDATE purchase_requests SET proposed_quantity = ?, status = ?, version = version + 1, updated_at = ? WHERE id = ?",
				r.r.ProposedQuantity, requestState(r.r), now, r.r.ID); err != nil {
				return 0, 0, internal(err, "update request")
			}
		}
		if got[i] < r.want {
			if idx == nil {
				idx = in.searchIndex(allocs)
			}
			rec := in.noMatch(i, got[i], idx, runID)
			if err := tx.Create(rec).Error; err != nil {
				return 0, 0, internal(err, "store search record")
			}
		}
	}
	return matched, stored, nil
}

// settleReopened decides each reopened proposal against the run's allocations: a proposal
// whose request gets the same pieces of its card again stands as it is; one whose request
// gets fewer of them is reduced, and one that gets none is cancelled, each with the reason
// ("全局匹配调整：……") in its history. It adds what stands to got and returns, per
// (request, card), the pieces kept proposals hold, which need no new proposal.
func (a *App) settleReopened(tx *gorm.DB, in *matchInput, allocs []allocation, got []int) (map[[2]int]int, error) {
	kept := map[[2]int]int{}
	if len(in.reopt) == 0 {
		return kept, nil
	}
	given := map[[2]int]int{}
	byRequest := map[int][]allocation{}
	byCard := map[int][]int{}
	for _, al := range allocs {
		given[[2]int{al.request, al.card}] += al.qty
		byRequest[al.request] = append(byRequest[al.request], al)
		byCard[al.card] = append(byCard[al.card], al.request)
	}
	for i := range in.reopt {
		p := &in.reopt[i]
		n := 0
		k := [2]int{p.request, p.card}
		if p.request >= 0 {
			n = min(p.qty, given[k]-kept[k])
			kept[k] += n
			got[p.request] += n
		}
		if n == p.qty {
			continue
		}
		var prop models.Proposal
		if err := tx.First(&prop, p.id).Error; err != nil {
			return nil, internal(err, "load proposal")
		}
		why := rematchPrefix + in.rematchReason(p, n, byRequest, byCard)
		if n == 0 {
			if err := a.endProposal(tx, nil, &prop, models.ProposalCancelled, why); err != nil {
				return nil, err
			}
			continue
		}
		before := prop
		res := tx.Model(&models.Proposal{}).Where("id = ? AND version = ?", prop.ID, prop.Version).
			Updates(map[string]any{"quantity": n, "reason": why, "version": prop.Version + 1, "updated_at": a.now().UTC()})
		if res.Error != nil {
			return nil, internal(res.Error, "adjust proposal")
		}
		if res.RowsAffected != 1 {
			return nil, models.Errorf(models.EConflict, "调剂建议 %d 已被他人处理，请稍后再运行匹配", prop.ID)
		}
		if err := a.audit(tx, nil, "proposal.adjusted", "proposal", prop.ID, &prop.RequestUnitID, &before,
			map[string]any{"quantity": n, "reason": why}); err != nil {
			return nil, err
		}
	}
	return kept, nil
}

// rematchPrefix opens the reason of every proposal a full run changed.
const rematchPrefix = "全局匹配调整："

// rematchReason says why a full run gave a reopened proposal only n of its pieces: where the
// rest went, and what its request gets instead.
func (in *matchInput) rematchReason(p *reoptProposal, n int, byRequest map[int][]allocation, byCard map[int][]int) string {
	var parts []string
	if n > 0 {
		parts = append(parts, fmt.Sprintf("数量由 %d 件调整为 %d 件", p.qty, n))
	}
	if p.request < 0 {
		return strings.Join(append(parts, "需求已无缺口"), "；")
	}
	var others []string
	for _, ri := range byCard[p.card] {
		if ri == p.request {
			continue
		}
		r := in.requests[ri].r
		name := fmt.Sprintf("需求 #%d", r.ID)
		if u := in.units[r.UnitID]; u != nil {
			name += "（" + u.Name + "）"
		}
		if !slices.Contains(others, name) {
			others = append(others, name)
		}
	}
	switch {
	case len(others) > 0:
		parts = append(parts, "该资产改为调剂给"+strings.Join(others, "、")+"，全区调剂总分更高")
	case in.cards[p.card].class < 0:
		parts = append(parts, "该资产已无可调剂数量")
	default:
		parts = append(parts, "该资产已不符合本需求的条件")
	}
	// What the request gets instead: pieces of cards none of its reopened proposals held.
	held := map[int]bool{}
	for _, pi := range in.keeps[p.request] {
		held[in.reopt[pi].card] = true
	}
	var instead []string
	pieces := 0
	for _, al := range byRequest[p.request] {
		if c := &in.cards[al.card]; !held[al.card] {
			pieces += al.qty
			if name := c.assetNo + " " + c.name; len(instead) < 3 && !slices.Contains(instead, name) {
				instead = append(instead, name)
			}
		}
	}
	if pieces > 0 {
		parts = append(parts, fmt.Sprintf("本需求改为推荐 %s（共 %d 件）", strings.Join(instead, "、"), pieces))
	} else if n == 0 {
		parts = append(parts, "本需求暂无其他可调剂资产")
	}
	return strings.Join(parts, "；")
}

// requestState is the status an open request's quantities give it.
func requestState(r *models.PurchaseRequest) models.RequestStatus {
	switch {
	case r.ProposedQuantity+r.FulfilledQuantity >= r.Quantity:
		return models.RequestMatched
	case r.ProposedQuantity > 0:
		return models.RequestPartlyMatched
	}
	return models.RequestSubmitted
}

var conditionWords = map[models.Condition]string{models.ConditionNew: "全新", models.ConditionUsable: "完好", models.ConditionRepairable: "需维修"}

// explain writes a proposal's score breakdown and its reasons in one sentence.
func (in *matchInput) explain(g *requestGroup, c *supplyClass, card *matchCard, level int) ([]models.ScorePart, string) {
	t := &in.types[g.typ]
	p := in.parts(t, c, level)
	w := in.weights
	total := float64(w.Category + w.Condition + w.Life + w.Text + w.Distance + w.Value)
	pts := func(weight int, part float64) float64 {
		return math.Round(float64(weight)*part*1000/total) / 10
	}
	wt := func(weight int) float64 { return math.Round(float64(weight)*1000/total) / 10 }
	catName := in.cats[card.category].Name
	var catText string
	switch p.closeness {
	case 3:
		catText = "同类：" + catName
	case 2:
		catText = in.classPhrase(card.category, 7) + catName
	default:
		catText = in.classPhrase(card.category, 5) + catName
	}
	lifeText := "不计折旧"
	if c.life > 0 {
		if c.remaining > 0 {
			lifeText = fmt.Sprintf("剩余使用年限约 %d 年", c.remaining)
		} else {
			lifeText = "已满最低使用年限（仍可使用）"
		}
	}
	textText := "未提具体配置要求"
	if len(t.tokens) > 0 {
		if len(p.hits) > 0 {
			textText = fmt.Sprintf("型号规格吻合 %d/%d 项（%s）", len(p.hits), len(t.tokens), strings.Join(p.hits, "、"))
		} else {
			textText = "型号规格与要求无共同项"
		}
	}
	src := in.units[card.unitID]
	var distText string
	switch level {
	case levelUnit:
		distText = "本单位闲置"
		if p.closeness == 3 {
			distText = "本单位已有闲置同类资产"
		}
	case levelArea:
		distText = "同在" + g.area
	default:
		distText = "区内调剂"
		if src != nil {
			distText = "区内调剂（" + src.Name + "）"
		}
	}
	valueText := "净值 " + card.netPerPiece.String() + "，未填预算单价"
	if t.price > 0 {
		valueText = "净值 " + card.netPerPiece.String()
		valueText += fmt.Sprintf("，约为预算单价的 %d%%", int64(card.netPerPiece)*100/int64(t.price))
	}
	bd := []models.ScorePart{
		{Key: "category", Label: "分类", Points: pts(w.Category, p.category), Weight: wt(w.Category), Text: catText},
		{Key: "condition", Label: "成色", Points: pts(w.Condition, p.condition), Weight: wt(w.Condition), Text: "成色：" + conditionWords[c.condition]},
		{Key: "life", Label: "剩余年限", Points: pts(w.Life, p.life), Weight: wt(w.Life), Text: lifeText},
		{Key: "text", Label: "型号规格", Points: pts(w.Text, p.text), Weight: wt(w.Text), Text: textText},
		{Key: "distance", Label: "距离", Points: pts(w.Distance, p.distance), Weight: wt(w.Distance), Text: distText},
		{Key: "value", Label: "价值", Points: pts(w.Value, p.value), Weight: wt(w.Value), Text: valueText},
	}
	reasons := strings.Join([]string{catText, "成色：" + conditionWords[c.condition], lifeText, distText}, "；")
	return bd, reasons
}

// classPhrase names the class a code shares with a request at prefix length n ("同属计算机："),
// falling back to the enclosing class the category table names, or to "相近品目：".
func (in *matchInput) classPhrase(code string, n int) string {
	for ; n >= 5; n -= 2 {
		if c, ok := in.cats[code[:n]+strings.Repeat("0", 9-n)]; ok && c.Name != "" {
			return "同属" + c.Name + "："
		}
	}
	return "相近品目："
}

// maxSearchRecord is how many candidates a no-match record lists; it counts them all.
const maxSearchRecord = 200

// searchIndex is what no-match records look up: the pool cards by major class and which
// requests a run gave each card to.
type searchIndex struct {
	byMajor map[string][]int
	takenBy map[int][]int
}

func (in *matchInput) searchIndex(allocs []allocation) *searchIndex {
	idx := &searchIndex{byMajor: map[string][]int{}, takenBy: map[int][]int{}}
	for k := range in.cards {
		m := majorOf(in.cards[k].category)
		idx.byMajor[m] = append(idx.byMajor[m], k)
	}
	for _, al := range allocs {
		idx.takenBy[al.card] = append(idx.takenBy[al.card], al.request)
	}
	return idx
}

// noMatch records what a run searched for request i, which it left short by want − got:
// every pool card of the request's major class, best first, and why it was not proposed.
func (in *matchInput) noMatch(i, got int, idx *searchIndex, runID uint) *models.NoMatchRecord {
	r := &in.requests[i]
	g := &in.groups[r.group]
	t := &in.types[g.typ]
	type cand struct {
		c     models.NoMatchCandidate
		score int
	}
	var cands []cand
	rejected, taken, proposed := 0, 0, 0
	for _, k := range idx.byMajor[majorOf(t.category)] {
		card := &in.cards[k]
		if closeness(t.category, card.category) == 0 {
			continue
		}
		unitName := ""
		if u := in.units[card.unitID]; u != nil {
			unitName = u.Name
		}
		nc := models.NoMatchCandidate{AssetID: card.id, AssetNo: card.assetNo, Name: card.name, UnitName: unitName, Quantity: card.free}
		score := -1
		switch {
		case card.condition.Rank() > t.minCondition.Rank():
			nc.Outcome, nc.Reason = "rejected", fmt.Sprintf("成色为%s，低于要求的%s", card.condition.Label(), t.minCondition.Label())
			rejected++
		case card.class < 0 && slices.Contains(card.heldBy, r.r.ID):
			nc.Outcome, nc.Reason = "proposed", "已为本需求保留"
			proposed++
		case card.class < 0:
			nc.Outcome, nc.Reason = "taken", fmt.Sprintf("已为其他购置需求保留（需求 #%d）", card.heldBy[0])
			taken++
		default:
			score = in.weights.score(in.parts(t, &in.classes[card.class], in.levelOf(g, card.unitID)))
			nc.Score = float64(score) / 10
			nc.Outcome, nc.Reason = "taken", "本次匹配已全部分给得分更高或按规则优先的其他需求"
			if slices.Contains(idx.takenBy[k], i) {
				nc.Outcome, nc.Reason = "proposed", "已为本需求提出调剂建议"
			}
			for _, other := range idx.takenBy[k] {
				if other != i && nc.Outcome != "proposed" {
					nc.Reason = fmt.Sprintf("本次匹配分给了需求 #%d（总分更高或按规则优先）", in.requests[other].r.ID)
					break
				}
			}
			if nc.Outcome == "proposed" {
				proposed++
			} else {
				taken++
			}
		}
		cands = append(cands, cand{nc, score})
	}
	slices.SortStableFunc(cands, func(x, y cand) int { return cmp.Compare(y.score, x.score) })
	rec := &models.NoMatchRecord{RequestID: r.r.ID, RunID: runID, PoolItems: in.poolItems, PoolQuantity: in.poolQty,
		Wanted: r.want, Proposed: got, Considered: len(cands), Candidates: []models.NoMatchCandidate{}}
	for _, c := range cands[:min(len(cands), maxSearchRecord)] {
		rec.Candidates = append(rec.Candidates, c.c)
	}
	switch {
	case len(cands) == 0:
		rec.Summary = fmt.Sprintf("闲置资产库现有 %d 项（%d 件），其中没有与“%s”同类（同品目、同中类或同大类）的资产。", in.poolItems, in.poolQty, r.r.Name)
	default:
		rec.Summary = fmt.Sprintf("闲置资产库现有 %d 项（%d 件），同类候选 %d 项：成色不符 %d 项，已分配或保留给其他需求 %d 项，为本需求提出建议 %d 项；本次找到 %d 件，仍缺 %d 件。",
			in.poolItems, in.poolQty, len(cands), rejected, taken, proposed, got, r.want-got)
	}
	return rec
}
