package handlers

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"assetpool/app"
	"assetpool/models"
)

// checkList is the JSON of GET /checks.
type checkList struct {
	Items []app.IdleCandidate `json:"items"`
	Total int                 `json:"total"`
}

// scratchCandidate creates an in-use card of unit A that nobody is registered as using, so
// that the worth-checking list proposes it.
func scratchCandidate(t *testing.T, f *fixture, caller string) uint {
	t.Helper()
	acq, _ := models.ParseDate("2024-01-15")
	c, err := f.app.CreateAsset(context.Background(), nil, f.unitA.ID, models.Asset{
		AssetNo: "CHK-" + caller + "-" + strconv.FormatInt(scratchSeq.Add(1), 10), Name: "会议椅", CategoryCode: scratchCategory(f),
		Quantity: 10, OriginalValue: 300000, AcquiredOn: acq, UsageStatus: models.UsageInUse, Department: "办公室", Location: "2楼会议室"})
	if err != nil {
		t.Fatalf("create scratch candidate: %v", err)
	}
	return c.ID
}

// unitCodeOf returns the code of a fixture unit.
func unitCodeOf(f *fixture, id uint) string {
	for _, u := range []*models.Unit{f.unitA, f.unitB} {
		if u.ID == id {
			return u.Code
		}
	}
	return ""
}

func TestIdleChecksListAndDecide(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	card := func(unit *models.Unit, no, custodian, location, acquired string) uint {
		t.Helper()
		d, _ := models.ParseDate(acquired)
		c, err := f.app.CreateAsset(ctx, nil, unit.ID, models.Asset{AssetNo: no, Name: "台式计算机", CategoryCode: "A02010105",
			OriginalValue: 499900, AcquiredOn: d, Custodian: custodian, Location: location, Department: "综合科"})
		if err != nil {
			t.Fatalf("create %s: %v", no, err)
		}
		return c.ID
	}
	recent := time.Now().AddDate(-1, 0, 0).Format(time.DateOnly)
	nobody := card(f.unitA, "A-1", "", "302室", recent)
	stored := card(f.unitA, "A-2", "张三", "1楼库房", recent)
	old := card(f.unitA, "A-3", "李四", "303室", "2012-03-01")
	card(f.unitA, "A-4", "王五", "304室", recent)
	card(f.unitB, "B-1", "", "办公室", recent)

	list := func(as, query string, want int) checkList {
		t.Helper()
		resp, body := f.do(request{method: "GET", path: "/api/v1/checks" + query, as: as})
		if resp.StatusCode != want {
			t.Fatalf("GET /checks%s as %s: %d %s", query, as, resp.StatusCode, body)
		}
		if want != http.StatusOK {
			return checkList{}
		}
		return decode[checkList](t, body)
	}
	l := list("clerkA", "", http.StatusOK)
	if l.Total != 3 || len(l.Items) != 3 {
		t.Fatalf("clerk A's list: %+v", l)
	}
	reasons := map[uint]models.IdleReason{}
	for _, it := range l.Items {
		if len(it.Reasons) != 1 || it.Reasons[0].Label == "" || it.UnitCode != "UA" || it.CategoryName != "台式计算机" {
			t.Errorf("item %+v", it)
			continue
		}
		reasons[it.AssetID] = it.Reasons[0].Code
	}
	if reasons[nobody] != models.ReasonNoCustodian || reasons[stored] != models.ReasonStoreRoom || reasons[old] != models.ReasonPastLife {
		t.Errorf("reasons %v", reasons)
	}
	if l := list("clerkA", "?limit=1", http.StatusOK); len(l.Items) != 1 || l.Total != 3 {
		t.Errorf("limit 1: %+v", l)
	}
	list("clerkA", "?limit=abc", http.StatusBadRequest)
	list("clerkA", "?unit=UB", http.StatusForbidden)
	list("finance", "?unit=NOPE", http.StatusNotFound)
	if l := list("finance", "?unit=UB", http.StatusOK); l.Total != 1 || l.Items[0].AssetNo != "B-1" {
		t.Errorf("finance for UB: %+v", l)
	}
	if l := list("admin", "", http.StatusOK); l.Total != 4 {
		t.Errorf("admin for the district: %+v", l)
	}

	decide := func(as string, id uint, decision string, want int) {
		t.Helper()
		resp, body := f.do(request{method: "POST", path: "/api/v1/checks/" + itoa(id), as: as, body: map[string]string{"decision": decision}})
		if resp.StatusCode != want {
			t.Fatalf("decide %s on %d as %s: %d %s", decision, id, as, resp.StatusCode, body)
		}
		if want == http.StatusOK {
			out := decode[struct {
				AssetID  uint   `json:"asset_id"`
				Decision string `json:"decision"`
			}](t, body)
			if out.AssetID != id || out.Decision != decision+"ed" {
				t.Errorf("decide answer: %s", body)
			}
		}
	}
	decide("clerkA", nobody, "maybe", http.StatusBadRequest)
	decide("clerkB", nobody, "dismiss", http.StatusNotFound)
	decide("finance", nobody, "dismiss", http.StatusForbidden)
	decide("clerkA", 999999, "dismiss", http.StatusNotFound)
	decide("clerkA", nobody, "dismiss", http.StatusOK)
	decide("clerkA", stored, "confirm", http.StatusOK)
	if l := list("clerkA", "", http.StatusOK); l.Total != 1 || l.Items[0].AssetID != old {
		t.Errorf("after deciding: %+v", l)
	}
	resp, body := f.do(request{method: "GET", path: "/api/v1/assets/" + itoa(stored), as: "clerkA"})
	card2 := decode[app.AssetCard](t, body)
	if resp.StatusCode != http.StatusOK || card2.UsageStatus != models.UsageIdle || card2.IdleSince != f.app.Today() {
		t.Errorf("confirmed card: %d %s idle since %s", resp.StatusCode, card2.UsageStatus, card2.IdleSince)
	}
}
