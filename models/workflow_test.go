package models

import "testing"

// TestProposalTransitionTable checks every state × action × side against the procedure: only
// the listed moves are allowed, the wrong side is forbidden, the wrong state a conflict.
func TestProposalTransitionTable(t *testing.T) {
	type move struct {
		action ProposalAction
		from   ProposalStatus
	}
	legal := map[move]struct {
		sides []Side
		to    ProposalStatus
	}{
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
	}
	sides := []Side{SideRequester, SideSource, SideFinance, SideNone}
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
				to, err := Transition(act, side, from)
				l, ok := legal[move{act, from}]
				sideOK := false
				for _, s := range l.sides {
					sideOK = sideOK || s == side
				}
				switch {
				case ok && sideOK:
					if err != nil || to != l.to {
						t.Errorf("%s by %q from %s: got %s, %v; want %s", act, side, from, to, err, l.to)
					}
				case !allowedSomewhere[side]:
					if ErrorCode(err) != EForbidden {
						t.Errorf("%s by %q from %s: got %s, %v; want forbidden", act, side, from, to, err)
					}
				default:
					if ErrorCode(err) != EConflict {
						t.Errorf("%s by %q from %s: got %s, %v; want conflict", act, side, from, to, err)
					}
				}
			}
		}
	}
	if _, err := Transition("fly", SideFinance, ProposalProposed); ErrorCode(err) != EInvalid {
		t.Errorf("unknown action: %v", err)
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
