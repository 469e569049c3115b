package handlers

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"assetpool/app"
	"assetpool/models"
)

// unitList is the body of GET /api/v1/units.
type unitList struct {
	Items []models.Unit `json:"items"`
	Total int           `json:"total"`
}

// createUnitAPI creates a unit as admin through the API and returns it.
func createUnitAPI(t *testing.T, f *fixture, body map[string]any) models.Unit {
	t.Helper()
	resp, out := f.do(request{method: "POST", path: "/api/v1/units", as: "admin", body: body})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create unit %v: %d %s", body, resp.StatusCode, out)
	}
	return decode[models.Unit](t, out)
}

// wantError checks an error response: its status, its code and a piece of its Chinese message.
func wantError(t *testing.T, resp *http.Response, body []byte, status int, code, message string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d: %s", resp.StatusCode, status, body)
	}
	if got := errorCode(t, body); got != code {
		t.Errorf("error code %q, want %q: %s", got, code, body)
	}
	if !strings.Contains(string(body), message) {
		t.Errorf("error message does not contain %q: %s", message, body)
	}
}

func TestUnitCreateListGetUpdateDelete(t *testing.T) {
	t.Parallel()
	f := newFixture(t)

	created := createUnitAPI(t, f, map[string]any{"code": " TZJ ", "name": " 投资促进局 ", "area": "管委会机关", "staff": 12, "parent_id": f.unitA.ID})
	if created.ID == 0 || created.Code != "TZJ" || created.Name != "投资促进局" || created.Staff != 12 ||
		created.ParentID == nil || *created.ParentID != f.unitA.ID || created.CreatedAt.IsZero() {
		t.Fatalf("created unit = %+v", created)
	}

	resp, body := f.do(request{method: "GET", path: "/api/v1/units", as: "admin"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("list: %d %s", resp.StatusCode, body)
	}
	list := decode[unitList](t, body)
	var codes []string
	for _, u := range list.Items {
		codes = append(codes, u.Code)
	}
	if list.Total != 3 || strings.Join(codes, ",") != "TZJ,UA,UB" {
		t.Fatalf("list = %v (total %d), want TZJ,UA,UB ordered by code", codes, list.Total)
	}

	resp, body = f.do(request{method: "GET", path: "/api/v1/units/" + itoa(created.ID), as: "finance"})
	if resp.StatusCode != http.StatusOK || decode[models.Unit](t, body).Name != "投资促进局" {
		t.Fatalf("get: %d %s", resp.StatusCode, body)
	}

	// PATCH changes only the fields given.
	resp, body = f.do(request{method: "PATCH", path: "/api/v1/units/" + itoa(created.ID), as: "admin", body: map[string]any{"name": "投资促进中心", "staff": 15}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("patch: %d %s", resp.StatusCode, body)
	}
	updated := decode[models.Unit](t, body)
	if updated.Name != "投资促进中心" || updated.Staff != 15 || updated.Code != "TZJ" || updated.Area != "管委会机关" ||
		updated.ParentID == nil || *updated.ParentID != f.unitA.ID || !updated.CreatedAt.Equal(created.CreatedAt) {
		t.Fatalf("updated unit = %+v", updated)
	}
	stored, err := f.app.Unit(context.Background(), created.ID)
	if err != nil || stored.Name != "投资促进中心" || stored.Staff != 15 {
		t.Fatalf("stored after patch = %+v, %v", stored, err)
	}

	resp, body = f.do(request{method: "DELETE", path: "/api/v1/units/" + itoa(created.ID), as: "admin"})
	if resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("delete: %d %s", resp.StatusCode, body)
	}
	resp, body = f.do(request{method: "GET", path: "/api/v1/units/" + itoa(created.ID), as: "admin"})
	wantError(t, resp, body, http.StatusNotFound, models.ENotFound, "不存在")

	// Every change is in the audit log under the administrator's name.
	evs, err := f.app.ListAudit(context.Background(), app.AuditFilter{Entity: "unit", EntityID: itoa(created.ID)})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, ev := range evs {
		actions = append(actions, ev.Action+" by "+ev.Actor)
	}
	if strings.Join(actions, "; ") != "unit.delete by admin; unit.update by admin; unit.create by admin" {
		t.Fatalf("audit = %v", actions)
	}
}

func TestUnitDuplicateCodeIsConflictInChinese(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	resp, body := f.do(request{method: "POST", path: "/api/v1/units", as: "admin", body: map[string]any{"code": "UA", "name": "另一个单位"}})
	wantError(t, resp, body, http.StatusConflict, models.EConflict, "单位代码 UA 已存在")

	resp, body = f.do(request{method: "PATCH", path: "/api/v1/units/" + itoa(f.unitB.ID), as: "admin", body: map[string]any{"code": "UA"}})
	wantError(t, resp, body, http.StatusConflict, models.EConflict, "单位代码 UA 已存在")
	if u, _ := f.app.Unit(context.Background(), f.unitB.ID); u.Code != "UB" {
		t.Fatalf("unit B's code changed to %s", u.Code)
	}
}

func TestUnitInvalidInputIsBadRequest(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tc := range []struct {
		name    string
		method  string
		path    string
		body    any
		message string
	}{
		{"no name", "POST", "/api/v1/units", map[string]any{"code": "X1"}, "单位名称不能为空"},
		{"no code", "POST", "/api/v1/units", map[string]any{"name": "某局"}, "单位代码不能为空"},
		{"negative staff", "POST", "/api/v1/units", map[string]any{"code": "X1", "name": "某局", "staff": -1}, "编制人数不能为负数"},
		{"unknown parent", "POST", "/api/v1/units", map[string]any{"code": "X1", "name": "某局", "parent_id": 99999}, "上级单位 99999 不存在"},
		{"staff not a number", "POST", "/api/v1/units", []byte(`{"code":"X1","name":"某局","staff":"多"}`), "字段 staff 的类型不正确"},
		{"not JSON", "POST", "/api/v1/units", []byte(`{"code":`), "请求内容不是有效的 JSON"},
		{"empty name", "PATCH", "/api/v1/units/" + itoa(f.unitA.ID), map[string]any{"name": "  "}, "单位名称不能为空"},
		{"bad id", "PATCH", "/api/v1/units/abc", map[string]any{"name": "某局"}, `编号 \"abc\" 无效`},
		{"id zero", "GET", "/api/v1/units/0", nil, `编号 \"0\" 无效`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ft := *f
			ft.t = t
			resp, body := ft.do(request{method: tc.method, path: tc.path, as: "admin", body: tc.body, contentType: "application/json"})
			wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, tc.message)
		})
	}
	if units, _ := f.app.ListUnits(context.Background()); len(units) != 2 {
		t.Fatalf("rejected requests created units: %+v", units)
	}
}

func TestUnitParentCycleIsRefusedAndParentCanBeCleared(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// A ← C ← D: C's parent is A, D's parent is C.
	c := createUnitAPI(t, f, map[string]any{"code": "UC", "name": "科技局", "parent_id": f.unitA.ID})
	d := createUnitAPI(t, f, map[string]any{"code": "UD", "name": "科技服务中心", "parent_id": c.ID})

	resp, body := f.do(request{method: "PATCH", path: "/api/v1/units/" + itoa(f.unitA.ID), as: "admin", body: map[string]any{"parent_id": d.ID}})
	wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, "上级单位形成了循环")
	resp, body = f.do(request{method: "PATCH", path: "/api/v1/units/" + itoa(c.ID), as: "admin", body: map[string]any{"parent_id": c.ID}})
	wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, "上级单位不能是本单位")
	if a, _ := f.app.Unit(context.Background(), f.unitA.ID); a.ParentID != nil {
		t.Fatalf("unit A got parent %d despite the refusal", *a.ParentID)
	}

	// parent_id 0 removes the parent; the rest of the unit stays.
	resp, body = f.do(request{method: "PATCH", path: "/api/v1/units/" + itoa(d.ID), as: "admin", body: map[string]any{"parent_id": 0}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("clear parent: %d %s", resp.StatusCode, body)
	}
	if !strings.Contains(string(body), `"parent_id":null`) {
		t.Fatalf("parent_id after clearing: %s", body)
	}
	if got, _ := f.app.Unit(context.Background(), d.ID); got.ParentID != nil || got.Name != "科技服务中心" {
		t.Fatalf("stored unit D = %+v", got)
	}
	// Now A may hang below D: the chain no longer loops.
	resp, body = f.do(request{method: "PATCH", path: "/api/v1/units/" + itoa(f.unitA.ID), as: "admin", body: map[string]any{"parent_id": d.ID}})
	if resp.StatusCode != http.StatusOK || decode[models.Unit](t, body).ParentID == nil {
		t.Fatalf("A below D: %d %s", resp.StatusCode, body)
	}
}

func TestUnitStillInUseCannotBeDeleted(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// Unit A has clerkA.
	resp, body := f.do(request{method: "DELETE", path: "/api/v1/units/" + itoa(f.unitA.ID), as: "admin"})
	wantError(t, resp, body, http.StatusConflict, models.EConflict, "单位「经济发展局」还有 1 个用户，不能删除")

	// A unit with a subordinate unit.
	parent := createUnitAPI(t, f, map[string]any{"code": "UP", "name": "财政局"})
	createUnitAPI(t, f, map[string]any{"code": "UQ", "name": "国库支付中心", "parent_id": parent.ID})
	resp, body = f.do(request{method: "DELETE", path: "/api/v1/units/" + itoa(parent.ID), as: "admin"})
	wantError(t, resp, body, http.StatusConflict, models.EConflict, "下级单位")

	// A unit with an asset card.
	withAsset := createUnitAPI(t, f, map[string]any{"code": "UR", "name": "统计局"})
	insertAsset(t, f, withAsset.ID, "R-0001", "A02010105")
	resp, body = f.do(request{method: "DELETE", path: "/api/v1/units/" + itoa(withAsset.ID), as: "admin"})
	wantError(t, resp, body, http.StatusConflict, models.EConflict, "还有 1 个资产卡片")

	for _, id := range []uint{f.unitA.ID, parent.ID, withAsset.ID} {
		if _, err := f.app.Unit(context.Background(), id); err != nil {
			t.Errorf("unit %d is gone after a refused delete: %v", id, err)
		}
	}
	resp, body = f.do(request{method: "DELETE", path: "/api/v1/units/99999", as: "admin"})
	wantError(t, resp, body, http.StatusNotFound, models.ENotFound, "单位 99999 不存在")
}

// TestUnitCreateIgnoresServerFields: id and timestamps are the server's to set.
func TestUnitCreateIgnoresServerFields(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u := createUnitAPI(t, f, map[string]any{"id": 77, "code": "UX", "name": "某局"})
	if u.ID == 77 {
		t.Fatalf("client chose the id: %+v", u)
	}
	t.Run("timestamps", func(t *testing.T) {
		ft := *f
		ft.t = t
		u := createUnitAPI(t, &ft, map[string]any{"code": "UY", "name": "某局", "created_at": "2001-01-01T00:00:00Z"})
		if u.CreatedAt.Year() == 2001 {
			t.Fatalf("client chose created_at: %+v", u)
		}
	})
	t.Run("parent_id 0 means none", func(t *testing.T) {
		ft := *f
		ft.t = t
		if u := createUnitAPI(t, &ft, map[string]any{"code": "UZ", "name": "某局", "parent_id": 0}); u.ParentID != nil {
			t.Fatalf("parent_id = %d", *u.ParentID)
		}
	})
}

// TestUnitsCarryRegisterTotals: the overview and workbench pages read a unit's totals from
// the unit itself.
func TestUnitsCarryRegisterTotals(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	insertAsset(t, f, f.unitA.ID, "JF-1", "A02010105")
	insertAsset(t, f, f.unitA.ID, "JF-2", "A02010105")
	resp, body := f.do(request{method: "GET", path: "/api/v1/units/" + itoa(f.unitA.ID), as: "clerkA"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("get: %d %s", resp.StatusCode, body)
	}
	got := decode[struct {
		Code   string `json:"code"`
		Assets struct {
			Cards     int     `json:"cards"`
			Value     float64 `json:"original_value"`
			IdleCards int     `json:"idle_cards"`
		} `json:"assets"`
	}](t, body)
	if got.Code != "UA" || got.Assets.Cards != 2 || got.Assets.Value != 10000 || got.Assets.IdleCards != 2 {
		t.Fatalf("unit A = %+v (%s)", got, body)
	}
	_, body = f.do(request{method: "GET", path: "/api/v1/units", as: "finance"})
	if !strings.Contains(string(body), `"assets":{"cards":0,`) || !strings.Contains(string(body), `"original_value":10000.00`) {
		t.Fatalf("list lacks totals: %s", body)
	}
}
