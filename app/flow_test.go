package app

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// flowArc is an arc as the tests see it, kept apart from flowGraph so the
// reference solvers below share nothing with the solver under test.
type flowArc struct {
	from, to  int
	cap, cost int64
}

// flowInstance is a min-cost flow problem in plain form.
type flowInstance struct {
	nodes  int
	supply []int64
	arcs   []flowArc
}

// graph builds a flowGraph for the instance, adding arcs in order.
func (in *flowInstance) graph() *flowGraph {
	g := newFlowGraph(in.nodes)
	for i, a := range in.arcs {
		if got := g.addArc(a.from, a.to, a.cap, a.cost); got != i {
			panic("addArc returned a wrong index")
		}
	}
	for u, s := range in.supply {
		g.setSupply(u, s)
	}
	return g
}

// flowTransportation builds the allocation-shaped instance: super source
// (node 0) -> supply nodes (cap stock, cost 0) -> demand nodes (cost -score)
// -> sink (cap demand, cost 0), plus a zero-cost bypass source->sink so
// that demand may go unmet. arcsPer arcs leave for each demand node, from
// distinct random supply nodes. Scores are big*score + tie-break, like the
// scaled scores the allocator uses; negative scores make some arcs costly.
func flowTransportation(rng *rand.Rand, nSupply, nDemand, arcsPer int, maxStock, maxDemand, maxScore, big int64) *flowInstance {
	source, sink := 0, nSupply+nDemand+1
	in := &flowInstance{nodes: nSupply + nDemand + 2}
	in.supply = make([]int64, in.nodes)
	var total int64
	stock := make([]int64, nSupply)
	for i := range stock {
		stock[i] = 1 + rng.Int64N(maxStock)
		total += stock[i]
		in.arcs = append(in.arcs, flowArc{source, 1 + i, stock[i], 0})
	}
	perm := make([]int, nSupply)
	for j := range nDemand {
		d := 1 + rng.Int64N(maxDemand)
		req := 1 + nSupply + j
		for i := range perm {
			perm[i] = i
		}
		for a := range min(arcsPer, nSupply) {
			k := a + rng.IntN(nSupply-a)
			perm[a], perm[k] = perm[k], perm[a]
			s := perm[a]
			c := min(stock[s], d)
			if rng.IntN(4) == 0 {
				c = total
			}
			score := rng.Int64N(2*maxScore+1) - maxScore/4
			tie := rng.Int64N(big/1000 + 1)
			in.arcs = append(in.arcs, flowArc{1 + s, req, c, -(score*big + tie)})
		}
		in.arcs = append(in.arcs, flowArc{req, sink, d, 0})
	}
	in.arcs = append(in.arcs, flowArc{source, sink, total, 0})
	in.supply[source] = total
	in.supply[sink] = -total
	return in
}

// flowRandomGeneral builds an arbitrary directed graph (self-loops,
// parallel arcs, negative cycles allowed) with balanced random supplies;
// it is often infeasible.
func flowRandomGeneral(rng *rand.Rand, nodes, arcs int, maxCap, maxCost, maxSupply int64) *flowInstance {
	in := &flowInstance{nodes: nodes, supply: make([]int64, nodes)}
	for range arcs {
		in.arcs = append(in.arcs, flowArc{
			rng.IntN(nodes), rng.IntN(nodes),
			rng.Int64N(maxCap + 1), rng.Int64N(2*maxCost+1) - maxCost,
		})
	}
	for range nodes / 2 {
		s := rng.Int64N(maxSupply + 1)
		in.supply[rng.IntN(nodes)] += s
		in.supply[rng.IntN(nodes)] -= s
	}
	return in
}

// flowCheck verifies the solver's flows: within capacity, conserving every
// supply, and costing exactly what minCostFlow returned.
func flowCheck(t testing.TB, in *flowInstance, g *flowGraph, cost int64) {
	t.Helper()
	net := make([]int64, in.nodes)
	var total int64
	for i, a := range in.arcs {
		f := g.flow(i)
		if f < 0 || f > a.cap {
			t.Fatalf("arc %d (%d->%d cap %d): flow %d out of bounds", i, a.from, a.to, a.cap, f)
		}
		net[a.from] += f
		net[a.to] -= f
		total += f * a.cost
	}
	for u := range net {
		if net[u] != in.supply[u] {
			t.Fatalf("node %d: net outflow %d, supply %d", u, net[u], in.supply[u])
		}
	}
	if total != cost {
		t.Fatalf("flows cost %d, minCostFlow returned %d", total, cost)
	}
}

// flowCycleCancel is the reference: start from a feasible flow on a copy
// of the graph extended by an artificial hub carrying every supply at a
// prohibitive cost, then cancel negative residual cycles found by
// Bellman-Ford until none is left. Any flow left on the hub means the
// instance is infeasible.
func flowCycleCancel(in *flowInstance) (int64, bool) {
	n := in.nodes + 1
	hub := in.nodes
	type rarc struct {
		to        int
		cap, cost int64 // residual capacity
	}
	var res []rarc // arc 2k forward, 2k+1 its reverse
	from := []int{}
	add := func(u, v int, c, w int64) {
		res = append(res, rarc{v, c, w}, rarc{u, 0, -w})
		from = append(from, u, v)
	}
	var maxAbs int64
	for _, a := range in.arcs {
		add(a.from, a.to, a.cap, a.cost)
		maxAbs = max(maxAbs, a.cost, -a.cost)
	}
	bigM := (maxAbs + 1) * int64(n+1)
	firstArt := len(res)
	for u, s := range in.supply {
		// Each artificial arc starts saturated: its s units can only be
		// sent back, so it has residual capacity on the reverse side only.
		switch {
		case s > 0:
			add(u, hub, 0, bigM)
			res[len(res)-1].cap = s
		case s < 0:
			add(hub, u, 0, bigM)
			res[len(res)-1].cap = -s
		}
	}
	dist := make([]int64, n)
	predArc := make([]int, n)
	for {
		for i := range dist {
			dist[i] = 0
			predArc[i] = -1
		}
		changed := -1
		for range n {
			changed = -1
			for e, r := range res {
				if r.cap > 0 && dist[from[e]]+r.cost < dist[r.to] {
					dist[r.to] = dist[from[e]] + r.cost
					predArc[r.to] = e
					changed = r.to
				}
			}
			if changed < 0 {
				break
			}
		}
		if changed < 0 {
			break
		}
		// Still relaxing after n rounds: walking back n steps lands on a
		// negative cycle.
		x := changed
		for range n {
			x = from[predArc[x]]
		}
		delta := int64(math.MaxInt64)
		for v := x; ; {
			e := predArc[v]
			delta = min(delta, res[e].cap)
			v = from[e]
			if v == x {
				break
			}
		}
		for v := x; ; {
			e := predArc[v]
			res[e].cap -= delta
			res[e^1].cap += delta
			v = from[e]
			if v == x {
				break
			}
		}
	}
	for e := firstArt; e < len(res); e += 2 {
		// An artificial arc's reverse residual capacity is its flow.
		if res[e+1].cap != 0 {
			return 0, false
		}
	}
	var cost int64
	for i, a := range in.arcs {
		cost += res[2*i+1].cap * a.cost
	}
	return cost, true
}

// flowBruteForce enumerates every integer flow of a tiny instance.
func flowBruteForce(in *flowInstance) (int64, bool) {
	best, found := int64(0), false
	f := make([]int64, len(in.arcs))
	net := make([]int64, in.nodes)
	var rec func(i int)
	rec = func(i int) {
		if i == len(in.arcs) {
			clear(net)
			var c int64
			for k, a := range in.arcs {
				net[a.from] += f[k]
				net[a.to] -= f[k]
				c += f[k] * a.cost
			}
			for u := range net {
				if net[u] != in.supply[u] {
					return
				}
			}
			if !found || c < best {
				best, found = c, true
			}
			return
		}
		for x := int64(0); x <= in.arcs[i].cap; x++ {
			f[i] = x
			rec(i + 1)
		}
	}
	rec(0)
	return best, found
}

// flowResidualOptimal certifies optimality without a second solver: a
// feasible flow is optimal iff its residual graph has no negative cycle.
func flowResidualOptimal(t testing.TB, in *flowInstance, g *flowGraph) {
	t.Helper()
	type rarc struct {
		from, to int32
		cost     int64
	}
	var res []rarc
	for i, a := range in.arcs {
		f := g.flow(i)
		if f < a.cap {
			res = append(res, rarc{int32(a.from), int32(a.to), a.cost})
		}
		if f > 0 {
			res = append(res, rarc{int32(a.to), int32(a.from), -a.cost})
		}
	}
	dist := make([]int64, in.nodes)
	for round := 0; ; round++ {
		changed := false
		for _, r := range res {
			if d := dist[r.from] + r.cost; d < dist[r.to] {
				dist[r.to] = d
				changed = true
			}
		}
		if !changed {
			return
		}
		if round >= in.nodes {
			t.Fatalf("residual graph has a negative cycle: flow is not optimal")
		}
	}
}

func TestFlowTransportationRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for it := range 400 {
		in := flowTransportation(rng, 1+rng.IntN(5), 1+rng.IntN(6), 1+rng.IntN(5),
			1+rng.Int64N(6), 1+rng.Int64N(8), 1+rng.Int64N(20), []int64{1, 10, 1_000_000}[it%3])
		g := in.graph()
		got, err := g.minCostFlow()
		if err != nil {
			t.Fatalf("instance %d: %v", it, err)
		}
		flowCheck(t, in, g, got)
		want, ok := flowCycleCancel(in)
		if !ok || got != want {
			t.Fatalf("instance %d: cost %d, cycle cancelling says %d (feasible %v)", it, got, want, ok)
		}
	}
}

func TestFlowBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	feasible := 0
	for it := range 600 {
		var in *flowInstance
		if it%2 == 0 {
			in = flowTransportation(rng, 1+rng.IntN(2), 1+rng.IntN(2), 1+rng.IntN(2), 2, 2, 5, 1)
		} else {
			in = flowRandomGeneral(rng, 2+rng.IntN(3), 1+rng.IntN(6), 3, 6, 3)
		}
		if len(in.arcs) > 8 {
			continue
		}
		want, ok := flowBruteForce(in)
		g := in.graph()
		got, err := g.minCostFlow()
		if !ok {
			if err == nil {
				t.Fatalf("instance %d: brute force finds no feasible flow, solver returned cost %d", it, got)
			}
			continue
		}
		feasible++
		if err != nil {
			t.Fatalf("instance %d: %v, brute force cost %d", it, err, want)
		}
		flowCheck(t, in, g, got)
		if got != want {
			t.Fatalf("instance %d: cost %d, brute force %d", it, got, want)
		}
	}
	if feasible < 200 {
		t.Fatalf("only %d feasible instances: generator too strict", feasible)
	}
}

func TestFlowGeneralRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	feasible, infeasible := 0, 0
	for it := range 400 {
		n := 2 + rng.IntN(12)
		in := flowRandomGeneral(rng, n, rng.IntN(5*n), 1+rng.Int64N(10), 1+rng.Int64N(50), 1+rng.Int64N(6))
		g := in.graph()
		got, err := g.minCostFlow()
		want, ok := flowCycleCancel(in)
		if !ok {
			infeasible++
			if err == nil {
				t.Fatalf("instance %d: infeasible by cycle cancelling, solver returned %d", it, got)
			}
			continue
		}
		feasible++
		if err != nil {
			t.Fatalf("instance %d: %v, cycle cancelling cost %d", it, err, want)
		}
		flowCheck(t, in, g, got)
		if got != want {
			t.Fatalf("instance %d: cost %d, cycle cancelling %d", it, got, want)
		}
	}
	if feasible < 50 || infeasible < 50 {
		t.Fatalf("unbalanced mix: %d feasible, %d infeasible", feasible, infeasible)
	}
}

// TestFlowSingleSourceSink exercises the initial pivots along a path of
// arcs wide enough for all the flow, which only run with exactly one
// supply and one demand node.
func TestFlowSingleSourceSink(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	withPath := 0
	for it := range 300 {
		n := 2 + rng.IntN(8)
		total := 1 + rng.Int64N(6)
		in := &flowInstance{nodes: n, supply: make([]int64, n)}
		in.supply[0], in.supply[n-1] = total, -total
		for range rng.IntN(4 * n) {
			c := rng.Int64N(total + 1)
			if rng.IntN(2) == 0 {
				c = total + rng.Int64N(3)
			}
			in.arcs = append(in.arcs, flowArc{rng.IntN(n), rng.IntN(n), c, rng.Int64N(41) - 20})
		}
		if it%3 == 0 {
			// A wide path 0 -> ... -> n-1 through shuffled middle nodes.
			prev := 0
			for _, v := range rng.Perm(n - 2) {
				if rng.IntN(2) == 0 {
					in.arcs = append(in.arcs, flowArc{prev, v + 1, total, rng.Int64N(41) - 20})
					prev = v + 1
				}
			}
			in.arcs = append(in.arcs, flowArc{prev, n - 1, total + 1, rng.Int64N(41) - 20})
			withPath++
		}
		g := in.graph()
		got, err := g.minCostFlow()
		want, ok := flowCycleCancel(in)
		if !ok {
			if err == nil {
				t.Fatalf("instance %d: infeasible by cycle cancelling, solver returned %d", it, got)
			}
			continue
		}
		if err != nil {
			t.Fatalf("instance %d: %v, cycle cancelling cost %d", it, err, want)
		}
		flowCheck(t, in, g, got)
		if got != want {
			t.Fatalf("instance %d: cost %d, cycle cancelling %d", it, got, want)
		}
	}
	if withPath == 0 {
		t.Fatal("no instance with a wide path")
	}
}

// TestFlowMixArcs checks that the interleaved layout used while solving
// is a permutation with the intended stride and is undone exactly.
func TestFlowMixArcs(t *testing.T) {
	for _, c := range []struct{ m, n int }{{1, 1}, {2, 5}, {7, 2}, {10, 3}, {100, 7}, {1000, 30}, {999, 1000}, {12345, 101}} {
		g := newFlowGraph(c.n)
		for e := range c.m {
			g.addArc(e%c.n, (e*7)%c.n, int64(e), int64(-e))
		}
		g.flw = flowGrow(g.flw, c.m)
		for e := range c.m {
			g.flw[e] = int64(3 * e)
		}
		k := flowMixStride(c.m, c.n)
		if k < 1 || (c.m >= 3 && k > (c.m+2)/3) {
			t.Fatalf("m=%d n=%d: stride %d", c.m, c.n, k)
		}
		g.mixArcs(k, false)
		p := 0
		for j := range k {
			for e := j; e < c.m; e += k {
				if g.capa[p] != int64(e) || g.cost[p] != int64(-e) || g.src[p] != int32(e%c.n) || g.dst[p] != int32((e*7)%c.n) {
					t.Fatalf("m=%d n=%d: position %d holds arc %d, want %d", c.m, c.n, p, g.capa[p], e)
				}
				g.flw[p] = int64(3 * e) // the solver leaves flows in its own order
				p++
			}
		}
		g.mixArcs(k, true)
		for e := range c.m {
			if g.capa[e] != int64(e) || g.cost[e] != int64(-e) || g.src[e] != int32(e%c.n) || g.dst[e] != int32((e*7)%c.n) || g.flw[e] != int64(3*e) {
				t.Fatalf("m=%d n=%d: arc %d not restored", c.m, c.n, e)
			}
		}
	}
}

// TestFlowMediumOptimal covers sizes where degenerate pivots and deep trees
// occur, with realistic scaled costs, and certifies optimality directly.
func TestFlowMediumOptimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for it := range 6 {
		in := flowTransportation(rng, 300+rng.IntN(300), 50+rng.IntN(100), 40, 5, 20, 1000, 1_000_000_000)
		if it%2 == 1 {
			// Ties everywhere: many equal costs make most pivots degenerate.
			for i := range in.arcs {
				if in.arcs[i].cost != 0 {
					in.arcs[i].cost = -int64(1 + i%3)
				}
			}
		}
		g := in.graph()
		got, err := g.minCostFlow()
		if err != nil {
			t.Fatalf("instance %d: %v", it, err)
		}
		flowCheck(t, in, g, got)
		flowResidualOptimal(t, in, g)
	}
	for it := range 4 {
		in := flowRandomGeneral(rng, 400, 4000, 20, 1_000_000_000_000, 0)
		// A spanning supply pattern that is always feasible: every node
		// can ship to the next through a dedicated wide arc.
		for u := range in.nodes {
			in.arcs = append(in.arcs, flowArc{u, (u + 1) % in.nodes, 1000, 1_000_000_000_000})
			in.supply[u] = int64(rng.IntN(21) - 10)
		}
		var sum int64
		for _, s := range in.supply {
			sum += s
		}
		in.supply[0] -= sum
		g := in.graph()
		got, err := g.minCostFlow()
		if err != nil {
			t.Fatalf("general instance %d: %v", it, err)
		}
		flowCheck(t, in, g, got)
		flowResidualOptimal(t, in, g)
	}
}

func TestFlowDeterminism(t *testing.T) {
	build := func() (*flowInstance, *flowGraph) {
		in := flowTransportation(rand.New(rand.NewPCG(9, 10)), 2000, 300, 60, 5, 20, 1000, 1_000_000)
		return in, in.graph()
	}
	in, g1 := build()
	_, g2 := build()
	c1, err1 := g1.minCostFlow()
	c2, err2 := g2.minCostFlow()
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	first := make([]int64, len(in.arcs))
	for i := range first {
		first[i] = g1.flow(i)
	}
	// Solving an already solved graph again must start from scratch.
	c3, err3 := g1.minCostFlow()
	if err3 != nil {
		t.Fatal(err3)
	}
	if c1 != c2 || c1 != c3 {
		t.Fatalf("costs differ: %d %d %d", c1, c2, c3)
	}
	for i := range first {
		if first[i] != g2.flow(i) || first[i] != g1.flow(i) {
			t.Fatalf("arc %d: flows %d, %d, %d differ between identical solves", i, first[i], g2.flow(i), g1.flow(i))
		}
	}
}

func TestFlowInfeasible(t *testing.T) {
	cases := map[string]func() *flowGraph{
		"no arc": func() *flowGraph {
			g := newFlowGraph(2)
			g.setSupply(0, 1)
			g.setSupply(1, -1)
			return g
		},
		"too little capacity": func() *flowGraph {
			g := newFlowGraph(3)
			g.addArc(0, 1, 5, -1)
			g.addArc(1, 2, 4, -1)
			g.setSupply(0, 5)
			g.setSupply(2, -5)
			return g
		},
		"wrong direction": func() *flowGraph {
			g := newFlowGraph(2)
			g.addArc(1, 0, 9, 0)
			g.setSupply(0, 1)
			g.setSupply(1, -1)
			return g
		},
		"transportation without bypass": func() *flowGraph {
			// 3 units of stock, 4 units requested, no way to leave demand unmet.
			g := newFlowGraph(4)
			g.addArc(0, 1, 3, 0)
			g.addArc(1, 2, 3, -10)
			g.addArc(2, 3, 4, 0)
			g.setSupply(0, 4)
			g.setSupply(3, -4)
			return g
		},
	}
	for name, build := range cases {
		g := build()
		if c, err := g.minCostFlow(); err == nil {
			t.Errorf("%s: cost %d, want an error", name, c)
		} else if len(g.cost) > 0 && g.flow(0) != 0 {
			t.Errorf("%s: flow reported after a failed solve", name)
		}
	}
}

func TestFlowRangeErrors(t *testing.T) {
	expectErr := func(name string, g *flowGraph, sub string) {
		t.Helper()
		_, err := g.minCostFlow()
		if err == nil || !strings.Contains(err.Error(), sub) {
			t.Errorf("%s: error %v, want one containing %q", name, err, sub)
		}
	}
	g := newFlowGraph(2)
	g.addArc(0, 1, 1, 0)
	g.setSupply(0, 2)
	g.setSupply(1, -1)
	expectErr("unbalanced", g, "sum")

	g = newFlowGraph(2)
	g.addArc(0, 1, -1, 0)
	expectErr("negative capacity", g, "negative capacity")

	g = newFlowGraph(100_000)
	g.addArc(0, 1, 1, 2_000_000_000_000_000)
	expectErr("cost too large", g, "supported range")

	g = newFlowGraph(2)
	g.addArc(0, 1, 1, math.MinInt64)
	expectErr("MinInt64 cost", g, "supported range")

	g = newFlowGraph(2)
	g.setSupply(0, math.MaxInt64)
	g.setSupply(1, math.MaxInt64)
	expectErr("supply overflow", g, "overflow")

	// Within the cost range but the optimal total is not representable.
	g = newFlowGraph(2)
	g.addArc(0, 1, math.MaxInt64/4, -1_000_000)
	g.addArc(1, 0, math.MaxInt64/4, 0)
	expectErr("total cost overflow", g, "overflow")

	// A negative cycle of capacity MaxInt64 has no bottleneck.
	g = newFlowGraph(2)
	g.addArc(0, 1, math.MaxInt64, -1)
	g.addArc(1, 0, math.MaxInt64, 0)
	expectErr("unbounded", g, "unbounded")

	// The largest supported costs still give exact answers.
	n := 1000
	limit := int64(math.MaxInt64/8)/int64(n+1) - 1
	g = newFlowGraph(n)
	for u := 0; u+1 < n; u++ {
		g.addArc(u, u+1, 2, -limit)
		g.addArc(u, u+1, 2, limit)
	}
	g.setSupply(0, 3)
	g.setSupply(n-1, -3)
	c, err := g.minCostFlow()
	if err != nil {
		t.Fatalf("at the cost limit: %v", err)
	}
	if want := int64(n-1) * (-2*limit + limit); c != want {
		t.Fatalf("at the cost limit: cost %d, want %d", c, want)
	}
}

func TestFlowEdgeCases(t *testing.T) {
	g := newFlowGraph(0)
	if c, err := g.minCostFlow(); c != 0 || err != nil {
		t.Fatalf("empty graph: %d, %v", c, err)
	}
	// A negative self-loop and a negative 2-cycle are saturated even with
	// no supply at all.
	g = newFlowGraph(2)
	g.addArc(0, 0, 3, -2)
	g.addArc(0, 1, 4, -1)
	g.addArc(1, 0, 2, 0)
	g.addArc(1, 0, 5, 3)
	c, err := g.minCostFlow()
	if err != nil || c != -8 {
		t.Fatalf("circulation: cost %d, %v; want -8", c, err)
	}
	if g.flow(0) != 3 || g.flow(1) != 2 || g.flow(2) != 2 || g.flow(3) != 0 {
		t.Fatalf("circulation flows %d %d %d %d", g.flow(0), g.flow(1), g.flow(2), g.flow(3))
	}
	// Arcs added after a solve take part in the next one.
	g = newFlowGraph(3)
	g.addArc(0, 2, 5, 10)
	g.setSupply(0, 5)
	g.setSupply(2, -5)
	if c, err := g.minCostFlow(); err != nil || c != 50 {
		t.Fatalf("first solve: %d, %v", c, err)
	}
	i := g.addArc(0, 1, 5, 1)
	g.addArc(1, 2, 3, 1)
	if g.flow(i) != 0 {
		t.Fatalf("flow on an arc added after the solve")
	}
	if c, err := g.minCostFlow(); err != nil || c != 6+20 {
		t.Fatalf("second solve: %d, %v; want 26", c, err)
	}
}

// FuzzFlow decodes small instances from bytes and compares the solver
// with cycle cancelling.
func FuzzFlow(f *testing.F) {
	f.Add([]byte{3, 0, 1, 2, 5, 1, 2, 2, 3, 7, 0, 9, 2})
	f.Add([]byte{5, 0, 1, 9, 200, 1, 2, 9, 100, 2, 0, 1, 30, 3, 4, 4, 4, 5, 250, 7})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 || len(data) > 80 {
			return
		}
		n := 2 + int(data[0])%6
		data = data[1:]
		in := &flowInstance{nodes: n, supply: make([]int64, n)}
		// Supplies: the first n-1 bytes, the last node balances.
		for u := 0; u < n-1 && len(data) > 0; u++ {
			in.supply[u] = int64(data[0]%9) - 4
			in.supply[n-1] -= in.supply[u]
			data = data[1:]
		}
		for len(data) >= 4 {
			in.arcs = append(in.arcs, flowArc{
				int(data[0]) % n, int(data[1]) % n,
				int64(data[2] % 8), int64(int8(data[3])),
			})
			data = data[4:]
		}
		g := in.graph()
		got, err := g.minCostFlow()
		want, ok := flowCycleCancel(in)
		if !ok {
			if err == nil {
				t.Fatalf("infeasible by cycle cancelling, solver returned %d", got)
			}
			return
		}
		if err != nil {
			t.Fatalf("%v, cycle cancelling cost %d", err, want)
		}
		flowCheck(t, in, g, got)
		if got != want {
			t.Fatalf("cost %d, cycle cancelling %d", got, want)
		}
	})
}

// BenchmarkFlowTransportation solves an allocation at production scale:
// 20,000 supply nodes (stock 1-5), 3,000 demand nodes (1-20 units), 300
// arcs per demand node, scores scaled by 1e9 plus a tie-break. Building
// the graph is not timed; each iteration solves it from scratch.
func BenchmarkFlowTransportation(b *testing.B) {
	in := flowTransportation(rand.New(rand.NewPCG(11, 12)), 20_000, 3_000, 300, 5, 20, 1000, 1_000_000_000)
	g := in.graph()
	b.ReportMetric(float64(len(in.arcs)), "arcs")
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		cost, err := g.minCostFlow()
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%d nodes, %d arcs: cost %d in %v", in.nodes, len(in.arcs), cost, time.Since(start))
	}
}
