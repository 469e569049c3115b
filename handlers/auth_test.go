package handlers

import (
	"net/http"
	"strings"
	"testing"
)

func TestLoginSetsSecureSessionCookieAndMeShowsUnit(t *testing.T) {
	f := newFixture(t)
	resp, body := f.do(request{method: "POST", path: "/api/v1/login", body: map[string]string{"username": "clerkA", "password": testPassword}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login: %d %s", resp.StatusCode, body)
	}
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure {
		t.Fatalf("session cookie = %+v, want HttpOnly, SameSite=Lax, not Secure over plain HTTP", cookie)
	}
	if !strings.Contains(resp.Header.Get("Set-Cookie"), "HttpOnly") {
		t.Fatalf("Set-Cookie header lacks HttpOnly: %s", resp.Header.Get("Set-Cookie"))
	}
	_, body = f.do(request{method: "GET", path: "/api/v1/me", as: "clerkA", cookie: true})
	me := decode[struct {
		User userJSON `json:"user"`
		CSRF string   `json:"csrf_token"`
	}](t, body)
	if me.User.Unit == nil || me.User.Unit.Name != "经济发展局" || me.User.RoleLabel != "单位资产管理员" || me.CSRF == "" {
		t.Fatalf("me = %+v", me)
	}
}

func TestLoginOverTLSProxyMarksCookieSecure(t *testing.T) {
	f := newFixture(t)
	r, _ := http.NewRequest("POST", "/api/v1/login", strings.NewReader(`{"username":"clerkA","password":"`+testPassword+`"}`))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Forwarded-Proto", "https")
	resp, err := f.srv.Test(r, -1)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie && !c.Secure {
			t.Fatalf("cookie over https is not Secure: %+v", c)
		}
	}
}

func TestWrongPasswordGetsChineseErrorAndIsRateLimited(t *testing.T) {
	f := newFixture(t)
	bad := request{method: "POST", path: "/api/v1/login", body: map[string]string{"username": "clerkA", "password": "wrong-password"}}
	resp, body := f.do(bad)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "用户名或密码错误") {
		t.Fatalf("wrong password: %d %s", resp.StatusCode, body)
	}
	for i := 0; i < 10; i++ {
		resp, body = f.do(bad)
	}
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(string(body), "登录失败次数过多") {
		t.Fatalf("after many failures: %d %s", resp.StatusCode, body)
	}
	// Even the right password is refused while the pair is blocked.
	resp, _ = f.do(request{method: "POST", path: "/api/v1/login", body: map[string]string{"username": "clerkA", "password": testPassword}})
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("right password while blocked: %d", resp.StatusCode)
	}
	// Another user from the same address is not yet blocked.
	resp, body = f.do(request{method: "POST", path: "/api/v1/login", body: map[string]string{"username": "clerkB", "password": testPassword}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("other user: %d %s", resp.StatusCode, body)
	}
}

func TestUnknownUserAndInactiveUser(t *testing.T) {
	f := newFixture(t)
	resp, body := f.do(request{method: "POST", path: "/api/v1/login", body: map[string]string{"username": "nobody", "password": testPassword}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "用户名或密码错误") {
		t.Fatalf("unknown user: %d %s", resp.StatusCode, body)
	}
	f.login("clerkB")
	resp, body = f.do(request{method: "PATCH", path: "/api/v1/users/" + itoa(f.users["clerkB"].ID), as: "admin", body: map[string]bool{"active": false}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("deactivate: %d %s", resp.StatusCode, body)
	}
	resp, _ = f.do(request{method: "GET", path: "/api/v1/me", as: "clerkB", cookie: true})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("session of deactivated user: %d", resp.StatusCode)
	}
	resp, _ = f.do(request{method: "GET", path: "/api/v1/me", as: "clerkB"})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("token of deactivated user: %d", resp.StatusCode)
	}
	resp, body = f.do(request{method: "POST", path: "/api/v1/login", body: map[string]string{"username": "clerkB", "password": testPassword}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "停用") {
		t.Fatalf("login of deactivated user: %d %s", resp.StatusCode, body)
	}
}

func TestCookieRequestsThatChangeStateNeedCSRFToken(t *testing.T) {
	f := newFixture(t)
	unit := map[string]any{"code": "UC", "name": "投资促进局"}
	resp, body := f.do(request{method: "POST", path: "/api/v1/units", as: "admin", cookie: true, noCSRF: true, body: unit})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "CSRF") {
		t.Fatalf("without CSRF: %d %s", resp.StatusCode, body)
	}
	resp, body = f.do(request{method: "POST", path: "/api/v1/units", as: "admin", cookie: true, body: unit})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("with CSRF: %d %s", resp.StatusCode, body)
	}
	// Bearer requests need none.
	resp, body = f.do(request{method: "POST", path: "/api/v1/units", as: "admin", body: map[string]any{"code": "UD", "name": "行政审批局"}})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("bearer: %d %s", resp.StatusCode, body)
	}
	// Reading with a cookie needs no CSRF token.
	resp, _ = f.do(request{method: "GET", path: "/api/v1/units", as: "admin", cookie: true, noCSRF: true})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET with cookie: %d", resp.StatusCode)
	}
}

func TestLogoutEndsSession(t *testing.T) {
	f := newFixture(t)
	resp, _ := f.do(request{method: "POST", path: "/api/v1/logout", as: "finance", cookie: true})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	resp, _ = f.do(request{method: "GET", path: "/api/v1/me", as: "finance", cookie: true})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("me after logout: %d", resp.StatusCode)
	}
}

func TestChangeOwnPassword(t *testing.T) {
	f := newFixture(t)
	resp, body := f.do(request{method: "POST", path: "/api/v1/me/password", as: "clerkA", body: map[string]string{"old_password": "nope", "new_password": "new-password-9"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "原密码不正确") {
		t.Fatalf("wrong old password: %d %s", resp.StatusCode, body)
	}
	resp, body = f.do(request{method: "POST", path: "/api/v1/me/password", as: "clerkA", body: map[string]string{"old_password": testPassword, "new_password": "short"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "至少 8 位") {
		t.Fatalf("short password: %d %s", resp.StatusCode, body)
	}
	resp, body = f.do(request{method: "POST", path: "/api/v1/me/password", as: "clerkA", body: map[string]string{"old_password": testPassword, "new_password": "new-password-9"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("change: %d %s", resp.StatusCode, body)
	}
	resp, _ = f.do(request{method: "POST", path: "/api/v1/login", body: map[string]string{"username": "clerkA", "password": "new-password-9"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login with new password: %d", resp.StatusCode)
	}
}
