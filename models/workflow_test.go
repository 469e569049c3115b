package models

import "testing"

// TestProposalTransitionTable checks every flow × state × action × side against the procedure:
// only the listed moves are allowed, the wrong side is forbidden, the wrong state a conflict,
// and an action a flow does not have is nobody's.
func TestProposalTransitionTable(t *testing.T) {
	type move struct {
		action ProposalAction
		from   ProposalStatus
	}
	type rule struct {
		sides []Side
		to    ProposalStatus
	}
	flows := map[Flow]map[move]rule{
		FlowReassign: {
			{ActionAccept, ProposalProposed}:    {[]Side{SideRequester}, ProposalAccepted},
			{ActionDecline, ProposalProposed}:   {[]Side{SideRequester}, ProposalDeclined},
			{ActionObject, ProposalProposed}:    {[]Side{SideSource}, ProposalProposed},
			{ActionObject, ProposalAccepted}:    {[]Side{SideSource}, ProposalAccepted},
			{ActionApprove, ProposalAccepted}:   {[]Side{SideFinance}, ProposalApproved},
			{ActionReject, ProposalAccepted}:    {[]Side{SideFinance}, ProposalRejected},
			{ActionHandover, ProposalApproved}:  {[]Side{SideSource}, ProposalHandedOver},
			{ActionReceive, ProposalHandedOver}: {[]Side{SideRequester}, ProposalReceived},
			{ActionCancel, ProposalProposed}:    {[]Side{SideRequester, SideSource}, ProposalCancelled},
			{ActionCancel, ProposalAccepted}:    {[]Side{SideRequester, SideSource}, ProposalCancelled},
		},
		// A unit's own idle item for its own request: the clerk's confirmation puts it back in
		// use (received); no objection, no hand-over. Finance approves or rejects only what
		// was accepted under the old flow; the clerk closes what was approved under it.
		FlowOwnUnit: {
			{ActionAccept, ProposalProposed}:  {[]Side{SideOwn}, ProposalReceived},
			{ActionDecline, ProposalProposed}: {[]Side{SideOwn}, ProposalDeclined},
			{ActionCancel, ProposalProposed}:  {[]Side{SideOwn}, ProposalCancelled},
			{ActionCancel, ProposalAccepted}:  {[]Side{SideOwn}, ProposalCancelled},
			{ActionApprove, ProposalAccepted}: {[]Side{SideFinance}, ProposalReceived},
			{ActionReject, ProposalAccepted}:  {[]Side{SideFinance}, ProposalRejected},
			{ActionReceive, ProposalApproved}: {[]Side{SideOwn}, ProposalReceived},
		},
	}
	sides := []Side{SideRequester, SideSource, SideOwn, SideFinance, SideNone}
	for flow, legal := range flows {
		for _, act := range ProposalActions {
			allowedSomewhere := map[Side]bool{}
			for m, l := range legal {
				if m.action == act {
					for _, s := range l.sides {
						allowedSomewhere[s] = true
					}
				}
			}
			for _, from := range ProposalStatuses {
				for _, side := range sides {
					to, err := Transition(flow, act, side, from)
					l, ok := legal[move{act, from}]
					sideOK := false
					for _, s := range l.sides {
						sideOK = sideOK || s == side
					}
					switch {
					case ok && sideOK:
						if err != nil || to != l.to {
							t.Errorf("%s: %s by %q from %s: got %s, %v; want %s", flow, act, side, from, to, err, l.to)
						}
					case !allowedSomewhere[side]:
						if ErrorCode(err) != EForbidden {
							t.Errorf("%s: %s by %q from %s: got %s, %v; want forbidden", flow, act, side, from, to, err)
						}
					default:
						if ErrorCode(err) != EConflict {
							t.Errorf("%s: %s by %q from %s: got %s, %v; want conflict", flow, act, side, from, to, err)
						}
					}
				}
			}
		}
	}
	if _, err := Transition(FlowReassign, "fly", SideFinance, ProposalProposed); ErrorCode(err) != EInvalid {
		t.Errorf("unknown action: %v", err)
	}
	if _, err := Transition(FlowOwnUnit, ActionHandover, SideOwn, ProposalApproved); ErrorCode(err) != EForbidden {
		t.Errorf("a hand-over from a unit to itself: %v", err)
	}
	if got := FlowOwnUnit.Label(ActionAccept); got != "确认再利用" {
		t.Errorf("own-unit accept is labelled %q", got)
	}
}

// TestProposalFlow: the flow follows the units, not the self-match flag (which marks only the
// very item asked for).
func TestProposalFlow(t *testing.T) {
	for _, c := range []struct {
		p    Proposal
		want Flow
	}{
		{Proposal{SourceUnitID: 3, RequestUnitID: 3}, FlowOwnUnit},
		{Proposal{SourceUnitID: 3, RequestUnitID: 3, SelfMatch: false}, FlowOwnUnit},
		{Proposal{SourceUnitID: 2, RequestUnitID: 3}, FlowReassign},
	} {
		if got := c.p.Flow(); got != c.want {
			t.Errorf("%+v: flow %s, want %s", c.p, got, c.want)
		}
	}
}

// TestBooksOfTransfer: the figures an approval books, as of the end of last month, worked
// out by hand: the charge is fixed (6,000.00 ÷ 72 → 83.33; 8,000.00 ÷ 180 → 44.44, of which 4
// of 10 chairs carry 17.77, rounded down).
func TestBooksOfTransfer(t *testing.T) {
	today := Date{Year: 2026, Month: 11, Day: 29}
	for _, c := range []struct {
		name  string
		card  Asset
		qty   int
		years int
		want  TransferBooks
	}{
		// 42 of 72 months charged by the end of October: 42 × 8333 = 3,499.86; 30 months left.
		{"mid-life desktop", Asset{Quantity: 1, OriginalValue: 600000, AcquiredOn: Date{Year: 2023, Month: 5, Day: 15}}, 1, 6,
			TransferBooks{OriginalValue: 600000, Accumulated: 349986, NetValue: 250014, BookedValue: 250014, LifeMonths: 30}},
		// 4 of 10 chairs: the share 3,200.00, 82 of 180 months at 17.77: 1,457.14.
		{"part of a quantity card", Asset{Quantity: 10, OriginalValue: 800000, AcquiredOn: Date{Year: 2020, Month: 1, Day: 1}}, 4, 15,
			TransferBooks{OriginalValue: 320000, Accumulated: 145714, NetValue: 174286, BookedValue: 174286, LifeMonths: 98}},
		{"fully depreciated", Asset{Quantity: 1, OriginalValue: 450000, AcquiredOn: Date{Year: 2015, Month: 3, Day: 1}}, 1, 6,
			TransferBooks{OriginalValue: 450000, Accumulated: 450000, NetValue: 0, BookedValue: 450000, BookedDepreciation: 450000}},
	} {
		got := BooksOfTransfer(&c.card, c.qty, ClassLife{Depreciated: true, Years: c.years}, today)
		w := c.want
		if got.Quantity != c.qty || got.Date != today || got.AsOf != (Date{Year: 2026, Month: 10, Day: 31}) ||
			got.OriginalValue != w.OriginalValue || got.Accumulated != w.Accumulated || got.NetValue != w.NetValue ||
			got.BookedValue != w.BookedValue || got.BookedDepreciation != w.BookedDepreciation || got.LifeMonths != w.LifeMonths ||
			got.Disagrees || got.Stated || got.ScheduleAccumulated != w.Accumulated {
			t.Errorf("%s: got %+v\nwant %+v", c.name, got, w)
		}
	}
}

func TestEveryMatchTriggerHasAChineseLabel(t *testing.T) {
	for _, tr := range MatchTriggers {
		l := tr.Label()
		if l == "" || l == "其他" || l == string(tr) {
			t.Errorf("trigger %q is labelled %q", tr, l)
		}
		for _, r := range l {
			if r < 0x80 && r != '/' {
				t.Errorf("trigger %q label %q is not all Chinese", tr, l)
				break
			}
		}
	}
	if MatchTrigger("nightly").Label() != "其他" {
		t.Error("an unknown trigger should read 其他, not its code")
	}
}
