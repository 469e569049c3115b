package app

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// This file holds an exact min-cost flow solver: a primal network simplex
// with block-search pivoting over a strongly feasible spanning tree. It is
// written for transportation-shaped problems (idle assets to purchase
// requests) with up to a few million arcs, so all per-node and per-arc data
// lives in flat slices; a solve allocates a few arrays up front and nothing
// per arc or per pivot.
//
// Supported range, checked by minCostFlow:
//   - capacities are >= 0; supplies sum to zero and their positive part fits
//     in int64;
//   - (max|cost| + 1) * (nodes + 1) <= MaxInt64/8, which keeps every node
//     potential and reduced cost (bounded by a few times that product) inside
//     int64; for 100,000 nodes that allows |cost| up to about 1.1e13;
//   - the total cost of the optimal flow fits in int64 (checked exactly).

// Arc states. A non-tree arc sits at its lower bound (flow 0) or its upper
// bound (flow = capacity). The values are chosen so that
// state*reducedCost < 0 exactly when moving the arc off its bound pays.
const (
	flowUpper int8 = -1
	flowTree  int8 = 0
	flowLower int8 = 1
)

// Direction of a node's tree arc relative to the node: up means the arc
// runs from the node to its parent. Used as a ±1 multiplier.
const (
	flowUp   int8 = 1
	flowDown int8 = -1
)

// flowInf is the capacity of the artificial arcs; no real capacity can make
// them a bottleneck before the flow itself would overflow.
const flowInf = math.MaxInt64

// flowBlockFactor scales the block-search block, sqrt(m) arcs in LEMON.
// Every pivot scans at least one block, and on allocation graphs smaller
// blocks cost fewer scanned arcs than they add in pivots: 0.25 was best or
// near best on graphs of 1-3M arcs, 1.0 up to twice as slow.
const flowBlockFactor = 0.25

// flowPotentialLimit bounds (max|cost|+1)*(nodes+1). Node potentials stay
// below twice that and reduced costs below five times that, so /8 leaves
// headroom for every intermediate sum.
const flowPotentialLimit = math.MaxInt64 / 8

// flowGraph is a directed graph with arc capacities and per-unit costs,
// plus node supplies, solved by minCostFlow.
//
// Arcs 0..m-1 are the caller's. During a solve they are interleaved (see
// mixArcs) and one artificial arc per node, joining it to an extra root
// node, is appended to the same slices so that the hot loops index a single
// array; both are undone before minCostFlow returns.
type flowGraph struct {
	nodes  int
	supply []int64

	src, dst []int32
	capa     []int64
	cost     []int64
	flw      []int64
	state    []int8

	// err records the first invalid addArc so that building stays
	// chainable and minCostFlow reports it.
	err    error
	solved bool

	// Spanning tree, rooted at the artificial node `nodes`. thread is a
	// cyclic preorder walk of the tree and revThread its inverse; a node's
	// subtree is the thread segment from the node to lastSucc, succNum
	// nodes long.
	pi        []int64
	parent    []int32
	pred      []int32
	predDir   []int8
	thread    []int32
	revThread []int32
	succNum   []int32
	lastSucc  []int32

	// Scratch for re-rooting the moved subtree, kept to avoid allocating
	// on every pivot.
	stem      []int32
	stemLast  []int32
	stemRev   []int32
	stemAfter []int32

	// Pivot state.
	searchArcs int
	blockSize  int
	nextArc    int
	inArc      int
	join       int32
	uIn, vIn   int32
	uOut       int32
	delta      int64
}

// newFlowGraph returns an empty graph on nodes 0..nodes-1 with zero supplies.
func newFlowGraph(nodes int) *flowGraph {
	if nodes < 0 || nodes >= math.MaxInt32-1 {
		panic(fmt.Sprintf("flow: node count %d out of range", nodes))
	}
	return &flowGraph{nodes: nodes, supply: make([]int64, nodes)}
}

// addArc adds an arc and returns its index (0,1,2,… in the order added).
// A negative capacity is reported by minCostFlow; a node out of range is a
// programming error and panics.
func (g *flowGraph) addArc(from, to int, capacity, cost int64) int {
	if from < 0 || from >= g.nodes || to < 0 || to >= g.nodes {
		panic(fmt.Sprintf("flow: arc %d->%d outside nodes 0..%d", from, to, g.nodes-1))
	}
	i := len(g.cost)
	if capacity < 0 && g.err == nil {
		g.err = fmt.Errorf("flow: arc %d has negative capacity %d", i, capacity)
	}
	g.src = append(g.src, int32(from))
	g.dst = append(g.dst, int32(to))
	g.capa = append(g.capa, capacity)
	g.cost = append(g.cost, cost)
	g.solved = false
	return i
}

// setSupply sets a node's supply (>0) or demand (<0); supplies must sum to zero.
func (g *flowGraph) setSupply(node int, supply int64) {
	g.supply[node] = supply
	g.solved = false
}

// flow returns the flow on arc i after a successful minCostFlow, 0 otherwise.
func (g *flowGraph) flow(i int) int64 {
	if i < 0 || i >= len(g.cost) {
		panic(fmt.Sprintf("flow: arc %d out of range", i))
	}
	if !g.solved {
		return 0
	}
	return g.flw[i]
}

// Errors of minCostFlow that do not depend on the input's details.
var (
	errFlowInfeasible = errors.New("flow: no feasible flow meets every supply and demand")
	errFlowUnbounded  = errors.New("flow: a negative-cost cycle has unbounded capacity")
)

// minCostFlow finds a feasible flow meeting every supply and demand at least
// total cost, and returns that cost. Error if infeasible or if costs are out
// of the supported range (see the top of this file).
func (g *flowGraph) minCostFlow() (int64, error) {
	g.solved = false
	if g.err != nil {
		return 0, g.err
	}
	n, m := g.nodes, len(g.cost)
	if int64(m)+int64(n)+1 >= math.MaxInt32 {
		return 0, fmt.Errorf("flow: %d arcs and %d nodes exceed the int32 index range", m, n)
	}
	art, err := g.checkRange()
	if err != nil {
		return 0, err
	}
	if n == 0 {
		g.flw = g.flw[:0]
		g.solved = true
		return 0, nil
	}
	// Block search only sees a block's worth of arcs per pivot; when the
	// caller adds arcs grouped by node (as a transportation problem does),
	// a block covers a handful of nodes and most pivots are degenerate.
	// Interleaving the arcs spreads every block over the whole graph: on
	// the allocation benchmark it cuts pivots by 5x and arcs scanned by 9x.
	// Moving the arcs themselves, rather than scanning with a stride,
	// keeps the scan sequential, which halves its cost again.
	k := flowMixStride(m, n)
	g.flw = flowGrow(g.flw, m)
	g.mixArcs(k, false)
	err = g.simplex(art)
	g.truncate(m)
	g.mixArcs(k, true)
	if err != nil {
		return 0, err
	}
	total, err := g.totalCost()
	if err != nil {
		return 0, err
	}
	g.solved = true
	return total, nil
}

// simplex runs the network simplex to optimality on the arcs as laid out,
// leaving the artificial arcs appended for the caller to truncate.
func (g *flowGraph) simplex(art int64) error {
	m := len(g.cost)
	g.initTree(art)
	if !g.widePathPivots() {
		return errFlowUnbounded
	}
	for g.findEntering() {
		if !g.pivot() {
			return errFlowUnbounded
		}
	}
	// With the artificial cost above any simple path's cost, an optimal
	// solution routes flow through the root only when nothing else can.
	for e := m; e < m+g.nodes; e++ {
		if g.flw[e] != 0 {
			return errFlowInfeasible
		}
	}
	return nil
}

// pivot brings g.inArc into the tree. It reports false if the cycle it
// closes has no bottleneck.
func (g *flowGraph) pivot() bool {
	if !g.findLeaving() {
		return false
	}
	g.changeFlow()
	if g.uOut >= 0 {
		g.updateTree()
	}
	return true
}

// widePathPivots helps the common single-source, single-sink shape (a
// super source and sink around a transportation problem). The starting
// tree sends all the flow source->root->sink at the artificial cost, and
// left alone the simplex spends many degenerate pivots draining it. If a
// path of arcs each wide enough for the whole flow joins source to sink,
// such as a bypass arc, pivoting those arcs in first moves the flow off the
// artificial arcs at once; on a 3M-arc allocation this saves 20-40% of the
// pivots. The path is found by a breadth-first search back from the sink
// over the wide arcs only. It reports false on an unbounded cycle.
func (g *flowGraph) widePathPivots() bool {
	s, t := -1, -1
	for u, b := range g.supply {
		switch {
		case b > 0 && s < 0:
			s = u
		case b > 0:
			return true
		case b < 0 && t < 0:
			t = u
		case b < 0:
			return true
		}
	}
	if s < 0 || t < 0 {
		return true
	}
	total := g.supply[s]
	m, n := g.searchArcs, g.nodes
	src, dst, capa := g.src[:m], g.dst[:m], g.capa[:m]
	// Wide arcs grouped by head node, counting-sort style: the ones into v
	// are in[first[v]:first[v+1]].
	first := make([]int32, n+1)
	wide := 0
	for e := range m {
		if capa[e] >= total {
			first[dst[e]]++
			wide++
		}
	}
	if wide == 0 {
		return true
	}
	for u, c := 0, int32(0); u <= n; u++ {
		first[u], c = c, c+first[u]
	}
	in := make([]int32, wide)
	via := make([]int32, n)
	copy(via, first[:n])
	for e := range m {
		if capa[e] >= total {
			v := dst[e]
			in[via[v]] = int32(e)
			via[v]++
		}
	}
	// via[u] becomes the wide arc leaving u towards t, -1 while unreached.
	for u := range via {
		via[u] = -1
	}
	via[t] = int32(m) // reached; never followed
	queue := []int32{int32(t)}
	for len(queue) > 0 && via[s] < 0 {
		v := queue[0]
		queue = queue[1:]
		for _, e := range in[first[v]:first[v+1]] {
			if u := src[e]; via[u] < 0 {
				via[u] = e
				queue = append(queue, u)
			}
		}
	}
	if via[s] < 0 {
		return true
	}
	pi, state, cost := g.pi, g.state, g.cost
	for u := int32(s); u != int32(t); {
		e := via[u]
		if int64(state[e])*(cost[e]+pi[src[e]]-pi[dst[e]]) < 0 {
			g.inArc = int(e)
			if !g.pivot() {
				return false
			}
		}
		u = dst[e]
	}
	return true
}

// flowMixStride picks the interleaving stride k: the solver lays out the
// caller's arcs j, j+k, j+2k, … for j = 0..k-1. As in LEMON's arc mixing,
// k is about the number of nodes, so a block rarely holds two arcs of one
// node, but at most m/3 so that small graphs are interleaved too.
func flowMixStride(m, n int) int {
	if m == 0 || n == 0 {
		return 1
	}
	perNode := max(m/n, 3)
	return max((m+perNode-1)/perNode, 1)
}

// mixArcs moves the m caller arcs into the interleaved order with stride k
// (back = false), or back into the caller's order carrying the flows
// (back = true). Copying through a transient buffer is much faster than
// following the permutation's cycles in place.
func (g *flowGraph) mixArcs(k int, back bool) {
	m := len(g.cost)
	if k <= 1 || m == 0 {
		return
	}
	buf32 := make([]int32, m)
	flowMixSlice(g.src[:m], buf32, k, back)
	flowMixSlice(g.dst[:m], buf32, k, back)
	buf64 := make([]int64, m)
	flowMixSlice(g.capa[:m], buf64, k, back)
	flowMixSlice(g.cost[:m], buf64, k, back)
	if back {
		flowMixSlice(g.flw[:m], buf64, k, back)
	}
}

// flowMixSlice applies mixArcs' permutation to one array, using buf.
func flowMixSlice[T int32 | int64](a, buf []T, k int, back bool) {
	m, p := len(a), 0
	for j := range k {
		for e := j; e < m; e += k {
			if back {
				buf[e] = a[p]
			} else {
				buf[p] = a[e]
			}
			p++
		}
	}
	copy(a, buf)
}

// checkRange validates supplies and costs and returns the artificial arc
// cost: larger than any simple path's cost, small enough that potentials
// cannot overflow.
func (g *flowGraph) checkRange() (int64, error) {
	var pos, neg int64
	for u, s := range g.supply {
		if s > 0 {
			if pos > math.MaxInt64-s {
				return 0, fmt.Errorf("flow: total supply overflows int64 at node %d", u)
			}
			pos += s
		} else if s < 0 {
			if s == math.MinInt64 || neg > math.MaxInt64+s {
				return 0, fmt.Errorf("flow: total demand overflows int64 at node %d", u)
			}
			neg -= s
		}
	}
	if pos != neg {
		return 0, fmt.Errorf("flow: supplies sum to %d, demands to %d", pos, neg)
	}
	var maxAbs uint64
	for _, c := range g.cost {
		a := uint64(c)
		if c < 0 {
			a = -a
		}
		maxAbs = max(maxAbs, a)
	}
	nodes := uint64(g.nodes) + 1
	if maxAbs+1 > flowPotentialLimit/nodes {
		return 0, fmt.Errorf("flow: max |cost| %d with %d nodes exceeds the supported range (|cost|+1)*(nodes+1) <= %d",
			maxAbs, g.nodes, int64(flowPotentialLimit))
	}
	return int64((maxAbs + 1) * nodes), nil
}

// flowGrow returns s resized to n, keeping its contents and reusing its
// backing array when it can. It allocates exactly n rather than letting
// append round up, which on million-arc arrays would waste a quarter.
func flowGrow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	t := make([]T, n)
	copy(t, s)
	return t
}

// initTree builds the starting strongly feasible tree: every node hangs off
// the root by an artificial arc carrying its supply, pointing to the root
// for supply nodes (cost 0) and away from it for demand nodes (cost art), so
// every zero-flow tree arc points up and flow can always reach the root.
func (g *flowGraph) initTree(art int64) {
	n, m := g.nodes, len(g.cost)
	all := m + n
	root := int32(n)
	g.src = flowGrow(g.src, all)
	g.dst = flowGrow(g.dst, all)
	g.capa = flowGrow(g.capa, all)
	g.cost = flowGrow(g.cost, all)
	g.flw = flowGrow(g.flw, all)
	g.state = flowGrow(g.state, all)
	for e := range m {
		g.flw[e] = 0
		g.state[e] = flowLower
	}
	g.pi = flowGrow(g.pi, n+1)
	g.parent = flowGrow(g.parent, n+1)
	g.pred = flowGrow(g.pred, n+1)
	g.predDir = flowGrow(g.predDir, n+1)
	g.thread = flowGrow(g.thread, n+1)
	g.revThread = flowGrow(g.revThread, n+1)
	g.succNum = flowGrow(g.succNum, n+1)
	g.lastSucc = flowGrow(g.lastSucc, n+1)
	g.stem = flowGrow(g.stem, n+1)
	g.stemLast = flowGrow(g.stemLast, n+1)
	g.stemRev = flowGrow(g.stemRev, n+1)
	g.stemAfter = flowGrow(g.stemAfter, n+1)

	for u := range n {
		e := m + u
		g.parent[u] = root
		g.pred[u] = int32(e)
		g.thread[u] = int32(u + 1)
		g.revThread[u+1] = int32(u)
		g.succNum[u] = 1
		g.lastSucc[u] = int32(u)
		g.capa[e] = flowInf
		g.state[e] = flowTree
		if s := g.supply[u]; s >= 0 {
			g.predDir[u] = flowUp
			g.pi[u] = 0
			g.src[e], g.dst[e] = int32(u), root
			g.flw[e] = s
			g.cost[e] = 0
		} else {
			g.predDir[u] = flowDown
			g.pi[u] = art
			g.src[e], g.dst[e] = root, int32(u)
			g.flw[e] = -s
			g.cost[e] = art
		}
	}
	g.parent[root] = -1
	g.pred[root] = -1
	g.predDir[root] = 0
	g.pi[root] = 0
	g.thread[root] = 0
	g.revThread[0] = root
	g.succNum[root] = root + 1
	g.lastSucc[root] = root - 1

	// Only real arcs are searched: an artificial arc that has left the tree
	// must never come back.
	g.searchArcs = m
	g.blockSize = max(int(math.Ceil(flowBlockFactor*math.Sqrt(float64(m)))), 10)
	g.blockSize = min(g.blockSize, max(m, 1))
	g.nextArc = 0
}

// truncate drops the artificial arcs appended by initTree.
func (g *flowGraph) truncate(m int) {
	g.src = g.src[:m]
	g.dst = g.dst[:m]
	g.capa = g.capa[:m]
	g.cost = g.cost[:m]
	g.flw = g.flw[:m]
	g.state = g.state[:m]
}

// totalCost sums flow*cost over the real arcs, failing rather than wrapping
// if the result leaves int64.
func (g *flowGraph) totalCost() (int64, error) {
	var total int64
	for e, f := range g.flw {
		c := g.cost[e]
		if f == 0 || c == 0 {
			continue
		}
		ac := uint64(c)
		if c < 0 {
			ac = -ac
		}
		hi, lo := bits.Mul64(uint64(f), ac)
		if hi != 0 || lo > math.MaxInt64 {
			return 0, fmt.Errorf("flow: cost of arc %d (%d x %d) overflows int64", e, f, c)
		}
		t := int64(lo)
		if c < 0 {
			t = -t
		}
		s := total + t
		if (t > 0 && s < total) || (t < 0 && s > total) {
			return 0, errors.New("flow: total cost overflows int64")
		}
		total = s
	}
	return total, nil
}

// findEntering picks the entering arc by block search: scan arcs
// cyclically from where the last search stopped, and after each block take
// the most violating arc seen so far, if any. It reports false when no arc
// violates optimality.
func (g *flowGraph) findEntering() bool {
	m := g.searchArcs
	cost, src, dst, state := g.cost[:m], g.src[:m], g.dst[:m], g.state[:m]
	var best int64
	bestArc := -1
	// Blocks stop at the end of the arcs rather than wrap, so each is one
	// plain range loop; a full round may rescan a few arcs, which is
	// harmless.
	e := g.nextArc
	for scanned := 0; scanned < m; {
		end := min(e+g.blockSize, m)
		best, bestArc = flowScan(cost[e:end], src[e:end], dst[e:end], state[e:end], g.pi, e, best, bestArc)
		scanned += end - e
		e = end
		if e == m {
			e = 0
		}
		if bestArc >= 0 {
			g.inArc = bestArc
			g.nextArc = e
			return true
		}
	}
	return false
}

// flowScan returns the most violating arc of one block, starting from the
// best found so far; arc i of the slices is arc base+i. Separate so that
// the equal slice lengths let the compiler drop the bounds checks.
func flowScan(cost []int64, src, dst []int32, state []int8, pi []int64, base int, best int64, bestArc int) (int64, int) {
	src, dst, state = src[:len(cost)], dst[:len(cost)], state[:len(cost)]
	for i, c := range cost {
		if r := int64(state[i]) * (c + pi[src[i]] - pi[dst[i]]); r < best {
			best, bestArc = r, base+i
		}
	}
	return best, bestArc
}

// findLeaving finds the cycle the entering arc closes in the tree, its
// bottleneck delta and the leaving arc. Among tied bottlenecks it takes the
// last one met walking the cycle in the flow's direction from the join
// node; that choice keeps the tree strongly feasible, which rules out
// cycling. uOut is -1 when the entering arc itself is the bottleneck.
// It reports false if the cycle has no bottleneck (unbounded).
func (g *flowGraph) findLeaving() bool {
	in := g.inArc
	succNum, parent := g.succNum, g.parent
	u, v := g.src[in], g.dst[in]
	// A node with the smaller subtree cannot be the other's ancestor.
	for u != v {
		if succNum[u] < succNum[v] {
			u = parent[u]
		} else {
			v = parent[v]
		}
	}
	join := u

	// Flow moves along the entering arc from first to second.
	first, second := g.src[in], g.dst[in]
	if g.state[in] == flowUpper {
		first, second = second, first
	}
	flw, capa, pred, predDir := g.flw, g.capa, g.pred, g.predDir
	delta := capa[in]
	side := 0
	uOut := int32(-1)
	// From join the cycle runs down to first: flow goes parent->child, so
	// an up arc loses flow and a down arc gains it. The walk meets these
	// arcs in reverse cycle order, hence the strict comparison.
	for u := first; u != join; u = parent[u] {
		e := pred[u]
		d := flw[e]
		if predDir[u] == flowDown {
			d = capa[e] - d
		}
		if d < delta {
			delta = d
			uOut = u
			side = 1
		}
	}
	// From second the cycle climbs to join in cycle order: ties go to the
	// later arc.
	for u := second; u != join; u = parent[u] {
		e := pred[u]
		d := flw[e]
		if predDir[u] == flowUp {
			d = capa[e] - d
		}
		if d <= delta {
			delta = d
			uOut = u
			side = 2
		}
	}
	if delta == flowInf {
		return false
	}
	g.join = join
	g.delta = delta
	g.uOut = uOut
	switch side {
	case 1:
		g.uIn, g.vIn = first, second
	case 2:
		g.uIn, g.vIn = second, first
	}
	return true
}

// changeFlow pushes delta around the cycle and updates arc states.
func (g *flowGraph) changeFlow() {
	in := g.inArc
	if d := g.delta; d != 0 {
		val := int64(g.state[in]) * d
		g.flw[in] += val
		flw, pred, predDir, parent := g.flw, g.pred, g.predDir, g.parent
		join := g.join
		for u := g.src[in]; u != join; u = parent[u] {
			flw[pred[u]] -= int64(predDir[u]) * val
		}
		for u := g.dst[in]; u != join; u = parent[u] {
			flw[pred[u]] += int64(predDir[u]) * val
		}
	}
	if g.uOut < 0 {
		g.state[in] = -g.state[in]
		return
	}
	g.state[in] = flowTree
	out := g.pred[g.uOut]
	if g.flw[out] == 0 {
		g.state[out] = flowLower
	} else {
		g.state[out] = flowUpper
	}
}

// updateTree replaces the leaving arc by the entering one. The subtree S
// below the leaving arc is cut off, re-rooted at uIn (reversing the stem
// path uIn..uOut) and hung under vIn; thread, subtree sizes and last
// successors are patched only along the stem and the two paths to the join
// node, and potentials shift only inside S.
func (g *flowGraph) updateTree() {
	thread, revThread := g.thread, g.revThread
	parent, pred, predDir := g.parent, g.pred, g.predDir
	succNum, lastSucc := g.succNum, g.lastSucc
	uIn, vIn, uOut, join := g.uIn, g.vIn, g.uOut, g.join

	// Stem w0=uIn .. wk=uOut, with the thread facts about each stem node
	// read before anything is rewritten.
	stem := g.stem[:0]
	for u := uIn; ; u = parent[u] {
		stem = append(stem, u)
		if u == uOut {
			break
		}
	}
	k := len(stem) - 1
	last, rev, after := g.stemLast[:k+1], g.stemRev[:k+1], g.stemAfter[:k+1]
	for i, w := range stem {
		last[i] = lastSucc[w]
		rev[i] = revThread[w]
		after[i] = thread[last[i]]
	}
	size := succNum[uOut]
	oldUp := parent[uOut]
	oldLastS := last[k]
	before := rev[k] // node preceding S in the thread

	// Cut S out of the thread.
	thread[before] = after[k]
	revThread[after[k]] = before

	// Re-thread S in its new preorder: w0's whole old subtree, then each
	// wi followed by its old subtree minus w(i-1)'s, which is the thread
	// segment wi..rev(w(i-1)) plus, if anything follows w(i-1)'s subtree
	// inside wi's, the segment after(i-1)..last(i).
	tail := last[0]
	for i := 1; i <= k; i++ {
		w := stem[i]
		thread[tail] = w
		revThread[w] = tail
		b := rev[i-1]
		if last[i-1] != last[i] {
			c := after[i-1]
			thread[b] = c
			revThread[c] = b
			tail = last[i]
		} else {
			tail = b
		}
	}
	newLastS := tail

	// Splice S in right after vIn, as its first child.
	next := thread[vIn]
	thread[vIn] = uIn
	revThread[uIn] = vIn
	thread[newLastS] = next
	revThread[next] = newLastS

	// Reverse the stem: each wi now hangs from w(i-1) through w(i-1)'s old
	// tree arc, seen from the other end. Walking top-down keeps the old
	// values of w(i-1) readable.
	for i := k; i >= 1; i-- {
		w, below := stem[i], stem[i-1]
		parent[w] = below
		pred[w] = pred[below]
		predDir[w] = -predDir[below]
		succNum[w] = size - succNum[below]
		lastSucc[w] = newLastS
	}
	in := g.inArc
	parent[uIn] = vIn
	pred[uIn] = int32(in)
	if g.src[in] == uIn {
		predDir[uIn] = flowUp
	} else {
		predDir[uIn] = flowDown
	}
	succNum[uIn] = size
	lastSucc[uIn] = newLastS

	// Subtree sizes change only below the join node: above it S is still
	// inside the subtree.
	for u := oldUp; u != join; u = parent[u] {
		succNum[u] -= size
	}
	for u := vIn; u != join; u = parent[u] {
		succNum[u] += size
	}
	// Ancestors whose subtree ended with S now end before it; then
	// ancestors whose subtree ended at vIn now end with S. The chains stop
	// at the first ancestor that does not match, as all above it differ too.
	for u := oldUp; u >= 0 && lastSucc[u] == oldLastS; u = parent[u] {
		lastSucc[u] = before
	}
	for u := vIn; u >= 0 && lastSucc[u] == vIn; u = parent[u] {
		lastSucc[u] = newLastS
	}

	// Shift S's potentials so the entering arc has zero reduced cost.
	pi := g.pi
	sigma := pi[vIn] - pi[uIn] - int64(predDir[uIn])*g.cost[in]
	u := uIn
	for range size {
		pi[u] += sigma
		u = thread[u]
	}
	g.stem = stem
}
