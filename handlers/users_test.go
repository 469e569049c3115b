package handlers

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"assetpool/app"
	"assetpool/models"
)

// userList is the body of GET /api/v1/users.
type userList struct {
	Items []userJSON `json:"items"`
	Total int        `json:"total"`
}

// createUserAPI creates a user as admin through the API and returns it.
func createUserAPI(t *testing.T, f *fixture, body map[string]any) userJSON {
	t.Helper()
	resp, out := f.do(request{method: "POST", path: "/api/v1/users", as: "admin", body: body})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create user %v: %d %s", body["username"], resp.StatusCode, out)
	}
	return decode[userJSON](t, out)
}

func TestUserCreateListGetUpdateDelete(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u := createUserAPI(t, f, map[string]any{"username": "zhao", "display_name": " 赵会计 ", "role": "clerk", "unit_id": f.unitB.ID, "password": "zhao-password-1"})
	if u.ID == 0 || u.Username != "zhao" || u.DisplayName != "赵会计" || u.Role != models.RoleClerk || u.RoleLabel != "单位资产管理员" ||
		!u.Active || u.UnitID == nil || *u.UnitID != f.unitB.ID || u.Unit == nil || u.Unit.Code != "UB" || u.Unit.Name != "兴仁街道" {
		t.Fatalf("created user = %+v", u)
	}
	// The new account works.
	resp, body := f.do(request{method: "POST", path: "/api/v1/login", body: map[string]string{"username": "zhao", "password": "zhao-password-1"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("new user logs in: %d %s", resp.StatusCode, body)
	}

	resp, body = f.do(request{method: "GET", path: "/api/v1/users", as: "admin"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("list: %d %s", resp.StatusCode, body)
	}
	list := decode[userList](t, body)
	var names []string
	for _, it := range list.Items {
		names = append(names, it.Username)
	}
	if list.Total != 5 || strings.Join(names, ",") != "admin,clerkA,clerkB,finance,zhao" {
		t.Fatalf("list = %v (total %d), want 5 users ordered by username", names, list.Total)
	}
	if it := list.Items[1]; it.Unit == nil || it.Unit.Name != "经济发展局" {
		t.Errorf("clerkA in the list has unit %+v", it.Unit)
	}

	resp, body = f.do(request{method: "GET", path: "/api/v1/users/" + itoa(u.ID), as: "admin"})
	if got := decode[userJSON](t, body); resp.StatusCode != http.StatusOK || got.Username != "zhao" || got.Unit == nil || got.Unit.Code != "UB" {
		t.Fatalf("get: %d %s", resp.StatusCode, body)
	}

	// Moving the clerk to unit A and renaming them; the rest stays.
	resp, body = f.do(request{method: "PATCH", path: "/api/v1/users/" + itoa(u.ID), as: "admin", body: map[string]any{"display_name": "赵科员", "unit_id": f.unitA.ID}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("patch: %d %s", resp.StatusCode, body)
	}
	if got := decode[userJSON](t, body); got.DisplayName != "赵科员" || got.Unit == nil || got.Unit.Code != "UA" || got.Role != models.RoleClerk || !got.Active {
		t.Fatalf("patched user = %+v", got)
	}

	// A clerk who becomes finance must leave their unit (unit_id 0).
	resp, body = f.do(request{method: "PATCH", path: "/api/v1/users/" + itoa(u.ID), as: "admin", body: map[string]any{"role": "finance"}})
	wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, "只有单位资产管理员可以指定所属单位")
	resp, body = f.do(request{method: "PATCH", path: "/api/v1/users/" + itoa(u.ID), as: "admin", body: map[string]any{"role": "finance", "unit_id": 0}})
	if got := decode[userJSON](t, body); resp.StatusCode != http.StatusOK || got.Role != models.RoleFinance || got.UnitID != nil || got.Unit != nil {
		t.Fatalf("clerk to finance: %d %s", resp.StatusCode, body)
	}

	resp, body = f.do(request{method: "DELETE", path: "/api/v1/users/" + itoa(u.ID), as: "admin"})
	if resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("delete: %d %s", resp.StatusCode, body)
	}
	resp, body = f.do(request{method: "GET", path: "/api/v1/users/" + itoa(u.ID), as: "admin"})
	wantError(t, resp, body, http.StatusNotFound, models.ENotFound, "不存在")
	resp, body = f.do(request{method: "DELETE", path: "/api/v1/users/" + itoa(u.ID), as: "admin"})
	wantError(t, resp, body, http.StatusNotFound, models.ENotFound, "不存在")
	resp, _ = f.do(request{method: "POST", path: "/api/v1/login", body: map[string]string{"username": "zhao", "password": "zhao-password-1"}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("deleted user logs in: %d", resp.StatusCode)
	}
}

func TestUserInvalidInputIsBadRequest(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tc := range []struct {
		name    string
		body    map[string]any
		message string
	}{
		{"clerk without unit", map[string]any{"username": "u1", "role": "clerk", "password": testPassword}, "单位资产管理员必须指定所属单位"},
		{"clerk with unit 0", map[string]any{"username": "u1", "role": "clerk", "unit_id": 0, "password": testPassword}, "单位资产管理员必须指定所属单位"},
		{"finance with unit", map[string]any{"username": "u1", "role": "finance", "unit_id": f.unitA.ID, "password": testPassword}, "只有单位资产管理员可以指定所属单位"},
		{"unknown unit", map[string]any{"username": "u1", "role": "clerk", "unit_id": 99999, "password": testPassword}, "所属单位 99999 不存在"},
		{"unknown role", map[string]any{"username": "u1", "role": "boss", "password": testPassword}, "角色无效"},
		{"bad username", map[string]any{"username": "张三", "role": "finance", "password": testPassword}, "用户名须为 2–64 位字母"},
		{"short password", map[string]any{"username": "u1", "role": "finance", "password": "short"}, "密码至少 8 位"},
		{"no password", map[string]any{"username": "u1", "role": "finance"}, "密码至少 8 位"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ft := *f
			ft.t = t
			resp, body := ft.do(request{method: "POST", path: "/api/v1/users", as: "admin", body: tc.body})
			wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, tc.message)
		})
	}
	if us, _ := f.app.ListUsers(context.Background()); len(us) != 4 {
		t.Fatalf("rejected requests created users: %d users", len(us))
	}
	resp, body := f.do(request{method: "PATCH", path: "/api/v1/users/" + itoa(f.users["clerkA"].ID), as: "admin", body: map[string]any{"unit_id": 0}})
	wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, "单位资产管理员必须指定所属单位")
	resp, body = f.do(request{method: "PATCH", path: "/api/v1/users/" + itoa(f.users["clerkA"].ID), as: "admin", body: map[string]any{"password": "short"}})
	wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, "密码至少 8 位")
	resp, body = f.do(request{method: "GET", path: "/api/v1/users/x1", as: "admin"})
	wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, "无效")
}

func TestUserDuplicateUsernameIsConflict(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	resp, body := f.do(request{method: "POST", path: "/api/v1/users", as: "admin",
		body: map[string]any{"username": " clerkA ", "role": "clerk", "unit_id": f.unitB.ID, "password": testPassword}})
	wantError(t, resp, body, http.StatusConflict, models.EConflict, "用户名 clerkA 已存在")
	// The existing account is untouched.
	if u, _ := f.app.UserByUsername(context.Background(), "clerkA"); u.UnitID == nil || *u.UnitID != f.unitA.ID {
		t.Fatalf("clerkA after the refused duplicate: %+v", u)
	}
}

func TestUserPasswordNeverInResponses(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const pw, pw2 = "Secret-Password-77", "Other-Secret-88"
	bodies := map[string]string{}
	record := func(what string, want int, resp *http.Response, body []byte) {
		t.Helper()
		if resp.StatusCode != want {
			t.Fatalf("%s: %d %s", what, resp.StatusCode, body)
		}
		bodies[what] = string(body)
	}
	resp, body := f.do(request{method: "POST", path: "/api/v1/users", as: "admin", body: map[string]any{"username": "qian", "role": "finance", "password": pw}})
	record("create", http.StatusCreated, resp, body)
	id := itoa(decode[userJSON](t, body).ID)
	resp, body = f.do(request{method: "GET", path: "/api/v1/users", as: "admin"})
	record("list", http.StatusOK, resp, body)
	resp, body = f.do(request{method: "GET", path: "/api/v1/users/" + id, as: "admin"})
	record("get", http.StatusOK, resp, body)
	resp, body = f.do(request{method: "PATCH", path: "/api/v1/users/" + id, as: "admin", body: map[string]any{"password": pw2}})
	record("reset password", http.StatusOK, resp, body)
	resp, body = f.do(request{method: "POST", path: "/api/v1/login", body: map[string]string{"username": "qian", "password": pw2}})
	record("login", http.StatusOK, resp, body)
	resp, body = f.do(request{method: "GET", path: "/api/v1/me", as: "admin"})
	record("me", http.StatusOK, resp, body)
	resp, body = f.do(request{method: "POST", path: "/api/v1/users", as: "admin", body: map[string]any{"username": "qian", "role": "finance", "password": pw}})
	record("duplicate", http.StatusConflict, resp, body)

	for what, b := range bodies {
		for _, secret := range []string{pw, pw2, "password", "$2a$", "$2b$"} {
			if strings.Contains(strings.ToLower(b), strings.ToLower(secret)) {
				t.Errorf("%s: response contains %q: %s", what, secret, b)
			}
		}
	}
	// The reset took effect: the old password no longer works.
	resp, _ = f.do(request{method: "POST", path: "/api/v1/login", body: map[string]string{"username": "qian", "password": pw}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("old password after reset: %d", resp.StatusCode)
	}
}

func TestUserDeactivationEndsSessionsAndTokens(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := itoa(f.users["clerkB"].ID)
	resp, _ := f.do(request{method: "GET", path: "/api/v1/me", as: "clerkB", cookie: true})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("session before: %d", resp.StatusCode)
	}
	resp, body := f.do(request{method: "PATCH", path: "/api/v1/users/" + id, as: "admin", body: map[string]any{"active": false}})
	if resp.StatusCode != http.StatusOK || decode[userJSON](t, body).Active {
		t.Fatalf("deactivate: %d %s", resp.StatusCode, body)
	}
	for _, cookie := range []bool{true, false} {
		resp, body = f.do(request{method: "GET", path: "/api/v1/me", as: "clerkB", cookie: cookie})
		wantError(t, resp, body, http.StatusUnauthorized, models.EUnauthorized, "")
	}
	// Reactivating does not bring the old session back, but the user can sign in again.
	resp, body = f.do(request{method: "PATCH", path: "/api/v1/users/" + id, as: "admin", body: map[string]any{"active": true}})
	if resp.StatusCode != http.StatusOK || !decode[userJSON](t, body).Active {
		t.Fatalf("reactivate: %d %s", resp.StatusCode, body)
	}
	resp, body = f.do(request{method: "GET", path: "/api/v1/me", as: "clerkB", cookie: true})
	wantError(t, resp, body, http.StatusUnauthorized, models.EUnauthorized, "登录已失效")
	delete(f.cookie, "clerkB")
	resp, _ = f.do(request{method: "GET", path: "/api/v1/me", as: "clerkB", cookie: true})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("new session after reactivation: %d", resp.StatusCode)
	}

	// An administrator's password reset ends the sessions too.
	resp, body = f.do(request{method: "PATCH", path: "/api/v1/users/" + id, as: "admin", body: map[string]any{"password": "reset-by-admin-1"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("reset password: %d %s", resp.StatusCode, body)
	}
	resp, _ = f.do(request{method: "GET", path: "/api/v1/me", as: "clerkB", cookie: true})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("session after password reset: %d", resp.StatusCode)
	}
}

func TestUserAdministratorsCannotLockThemselvesOut(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	self := itoa(f.users["admin"].ID)
	// The only administrator cannot deactivate, demote or delete their own account.
	resp, body := f.do(request{method: "PATCH", path: "/api/v1/users/" + self, as: "admin", body: map[string]any{"active": false}})
	wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, "不能停用自己的账号")
	resp, body = f.do(request{method: "PATCH", path: "/api/v1/users/" + self, as: "admin", body: map[string]any{"role": "finance"}})
	wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, "更改自己的角色")
	resp, body = f.do(request{method: "DELETE", path: "/api/v1/users/" + self, as: "admin"})
	wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, "不能删除自己的账号")
	resp, body = f.do(request{method: "GET", path: "/api/v1/users/" + self, as: "admin"})
	if got := decode[userJSON](t, body); resp.StatusCode != http.StatusOK || !got.Active || got.Role != models.RoleAdmin {
		t.Fatalf("admin after refused changes: %d %s", resp.StatusCode, body)
	}

	// A second administrator can be deactivated and deleted by the first…
	other := createUserAPI(t, f, map[string]any{"username": "admin2", "role": "admin", "password": testPassword})
	resp, body = f.do(request{method: "PATCH", path: "/api/v1/users/" + itoa(other.ID), as: "admin", body: map[string]any{"active": false}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("deactivate admin2: %d %s", resp.StatusCode, body)
	}
	// …and the first, now the last active one, still cannot remove themselves.
	resp, body = f.do(request{method: "DELETE", path: "/api/v1/users/" + self, as: "admin"})
	wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, "不能删除自己的账号")
	resp, _ = f.do(request{method: "DELETE", path: "/api/v1/users/" + itoa(other.ID), as: "admin"})
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete inactive admin2: %d", resp.StatusCode)
	}
}

// TestUserLastActiveAdministratorIsKept covers the last-administrator rule, which the API can
// only reach through the self rule (the caller is always another active administrator), so it
// is checked where it can trigger: the command line acts without a signed-in user.
func TestUserLastActiveAdministratorIsKept(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	adminID := f.users["admin"].ID
	inactive := false
	finance := models.RoleFinance
	if _, err := f.app.UpdateUser(ctx, nil, adminID, app.UserPatch{Active: &inactive}); models.ErrorCode(err) != models.EConflict ||
		!strings.Contains(models.ErrorMessage(err), "最后一个可用的系统管理员") {
		t.Fatalf("deactivate the last admin: %v", err)
	}
	if _, err := f.app.UpdateUser(ctx, nil, adminID, app.UserPatch{Role: &finance}); models.ErrorCode(err) != models.EConflict {
		t.Fatalf("demote the last admin: %v", err)
	}
	if err := f.app.DeleteUser(ctx, nil, adminID); models.ErrorCode(err) != models.EConflict {
		t.Fatalf("delete the last admin: %v", err)
	}
	// The account still works through the API.
	resp, body := f.do(request{method: "GET", path: "/api/v1/users", as: "admin"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("admin after refused changes: %d %s", resp.StatusCode, body)
	}
	// With a second active administrator, the first may go.
	createUserAPI(t, f, map[string]any{"username": "admin2", "role": "admin", "password": testPassword})
	if err := f.app.DeleteUser(ctx, nil, adminID); err != nil {
		t.Fatalf("delete one of two admins: %v", err)
	}
}
