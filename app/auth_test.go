package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"assetpool/models"
)

func addUser(t *testing.T, a *App, username string, role models.Role, unitID *uint) *models.User {
	t.Helper()
	u := &models.User{Username: username, DisplayName: username, Role: role, UnitID: unitID, Active: true}
	if err := a.CreateUser(context.Background(), nil, u, "password-123"); err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	return u
}

func TestSessionLifecycle(t *testing.T) {
	a, clk := openTest(t)
	ctx := context.Background()
	addUser(t, a, "fin", models.RoleFinance, nil)
	u, token, err := a.Login(ctx, "fin", "password-123", "10.0.0.1", "test")
	if err != nil || u.Username != "fin" {
		t.Fatalf("login: %v", err)
	}
	var stored models.Session
	a.read.First(&stored)
	if stored.TokenHash == token || strings.Contains(stored.TokenHash, token) {
		t.Fatal("session token stored in clear")
	}
	if got, err := a.UserBySession(ctx, token); err != nil || got.ID != u.ID {
		t.Fatalf("session lookup: %v", err)
	}
	// Use keeps the session alive past its original expiry.
	clk.advance(10 * time.Hour)
	if _, err := a.UserBySession(ctx, token); err != nil {
		t.Fatalf("after 10h: %v", err)
	}
	clk.advance(10 * time.Hour)
	if _, err := a.UserBySession(ctx, token); err != nil {
		t.Fatalf("used session expired: %v", err)
	}
	// Idle beyond the lifetime ends it.
	clk.advance(13 * time.Hour)
	if _, err := a.UserBySession(ctx, token); models.ErrorCode(err) != models.EUnauthorized {
		t.Fatalf("idle session: %v", err)
	}
	if n, err := a.PurgeExpiredSessions(ctx); err != nil || n != 1 {
		t.Fatalf("purge = %d, %v", n, err)
	}
	_, token, _ = a.Login(ctx, "fin", "password-123", "10.0.0.1", "test")
	if err := a.Logout(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, err := a.UserBySession(ctx, token); models.ErrorCode(err) != models.EUnauthorized {
		t.Fatalf("after logout: %v", err)
	}
	if _, err := a.UserBySession(ctx, "garbage"); models.ErrorCode(err) != models.EUnauthorized {
		t.Fatalf("garbage token: %v", err)
	}
}

func TestAPITokensAreHashedAndRevocable(t *testing.T) {
	a, _ := openTest(t)
	ctx := context.Background()
	addUser(t, a, "fin", models.RoleFinance, nil)
	token, rec, err := a.CreateAPIToken(ctx, "fin", "报表脚本")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(token, "apt_") || rec.TokenHash == token || !strings.HasPrefix(token, rec.Prefix) {
		t.Fatalf("token %q record %+v", token, rec)
	}
	if u, err := a.UserByAPIToken(ctx, token); err != nil || u.Username != "fin" {
		t.Fatalf("lookup: %v", err)
	}
	if _, err := a.UserByAPIToken(ctx, token+"x"); models.ErrorCode(err) != models.EUnauthorized {
		t.Fatalf("wrong token: %v", err)
	}
	if err := a.RevokeAPIToken(ctx, rec.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.UserByAPIToken(ctx, token); models.ErrorCode(err) != models.EUnauthorized {
		t.Fatalf("revoked token: %v", err)
	}
	ts, _ := a.ListAPITokens(ctx, "fin")
	if len(ts) != 1 || ts[0].RevokedAt == nil {
		t.Fatalf("tokens = %+v", ts)
	}
	if _, _, err := a.CreateAPIToken(ctx, "nobody", ""); models.ErrorCode(err) != models.ENotFound {
		t.Fatalf("token for unknown user: %v", err)
	}
	evs, _ := a.ListAudit(ctx, AuditFilter{Entity: "api_token"})
	if len(evs) != 2 || evs[0].Action != "token.revoke" || strings.Contains(evs[1].After, token) {
		t.Fatalf("audit = %+v", evs)
	}
}

func TestLoginLimiterWindows(t *testing.T) {
	a, clk := openTest(t)
	ctx := context.Background()
	addUser(t, a, "fin", models.RoleFinance, nil)
	for i := 0; i < maxFailsPair; i++ {
		if _, _, err := a.Login(ctx, "fin", "nope-nope", "1.1.1.1", ""); models.ErrorCode(err) != models.EUnauthorized {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if _, _, err := a.Login(ctx, "fin", "password-123", "1.1.1.1", ""); models.ErrorCode(err) != models.ETooMany {
		t.Fatalf("blocked pair: %v", err)
	}
	// The same user from another address still gets in: one attacker cannot lock a user out.
	if _, _, err := a.Login(ctx, "fin", "password-123", "2.2.2.2", ""); err != nil {
		t.Fatalf("other address: %v", err)
	}
	clk.advance(loginWindow)
	if _, _, err := a.Login(ctx, "fin", "password-123", "1.1.1.1", ""); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	// An address spraying many usernames is stopped too.
	for i := 0; i < maxFailsAddress; i++ {
		a.Login(ctx, "user"+string(rune('a'+i)), "x-password", "3.3.3.3", "")
	}
	if _, _, err := a.Login(ctx, "fin", "password-123", "3.3.3.3", ""); models.ErrorCode(err) != models.ETooMany {
		t.Fatalf("spraying address: %v", err)
	}
}

func TestEnsureAdminOnlyWithoutAnAdministrator(t *testing.T) {
	a, _ := openTest(t)
	ctx := context.Background()
	// Other users (as after `assetpool demo` on a new database) do not count as an administrator.
	addUser(t, a, "fin", models.RoleFinance, nil)
	pw, err := a.EnsureAdmin(ctx)
	if err != nil || len(pw) < 12 {
		t.Fatalf("first: %q %v", pw, err)
	}
	if _, _, err := a.Login(ctx, "admin", pw, "127.0.0.1", ""); err != nil {
		t.Fatalf("admin login: %v", err)
	}
	pw2, err := a.EnsureAdmin(ctx)
	if err != nil || pw2 != "" {
		t.Fatalf("second: %q %v", pw2, err)
	}
}

func TestUserRules(t *testing.T) {
	a, _ := openTest(t)
	ctx := context.Background()
	unit := &models.Unit{Code: "A", Name: "甲局"}
	if err := a.CreateUnit(ctx, nil, unit); err != nil {
		t.Fatal(err)
	}
	admin := addUser(t, a, "root", models.RoleAdmin, nil)
	clerk := addUser(t, a, "clerk", models.RoleClerk, &unit.ID)
	if err := a.CreateUser(ctx, nil, &models.User{Username: "clerk", Role: models.RoleAdmin, Active: true}, "password-123"); models.ErrorCode(err) != models.EConflict {
		t.Fatalf("duplicate username: %v", err)
	}
	bad := uint(999)
	if err := a.CreateUser(ctx, nil, &models.User{Username: "c2", Role: models.RoleClerk, UnitID: &bad, Active: true}, "password-123"); models.ErrorCode(err) != models.EInvalid {
		t.Fatalf("unknown unit: %v", err)
	}
	inactive := &models.User{Username: "off", Role: models.RoleFinance, Active: false}
	if err := a.CreateUser(ctx, nil, inactive, "password-123"); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.User(ctx, inactive.ID); got.Active {
		t.Fatal("user created inactive came back active")
	}
	off := false
	if _, err := a.UpdateUser(ctx, admin, admin.ID, UserPatch{Active: &off}); models.ErrorCode(err) != models.EInvalid {
		t.Fatalf("deactivate self: %v", err)
	}
	if _, err := a.UpdateUser(ctx, nil, admin.ID, UserPatch{Active: &off}); models.ErrorCode(err) != models.EConflict {
		t.Fatalf("deactivate last admin: %v", err)
	}
	if err := a.DeleteUser(ctx, nil, admin.ID); models.ErrorCode(err) != models.EConflict {
		t.Fatalf("delete last admin: %v", err)
	}
	_, token, err := a.Login(ctx, "clerk", "password-123", "1.1.1.1", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetPassword(ctx, admin, "clerk", "new-password-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.UserBySession(ctx, token); models.ErrorCode(err) != models.EUnauthorized {
		t.Fatalf("session survived password change: %v", err)
	}
	if err := a.DeleteUnit(ctx, admin, unit.ID); models.ErrorCode(err) != models.EConflict {
		t.Fatalf("delete unit with users: %v", err)
	}
	if err := a.DeleteUser(ctx, admin, clerk.ID); err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteUnit(ctx, admin, unit.ID); err != nil {
		t.Fatalf("delete empty unit: %v", err)
	}
	evs, _ := a.ListAudit(ctx, AuditFilter{Entity: "user"})
	for _, ev := range evs {
		if strings.Contains(ev.Before+ev.After, "$2a$") {
			t.Fatalf("password hash in audit log: %+v", ev)
		}
	}
}

func TestUnitParentCycle(t *testing.T) {
	a, _ := openTest(t)
	ctx := context.Background()
	top := &models.Unit{Code: "TOP", Name: "管委会"}
	a.CreateUnit(ctx, nil, top)
	mid := &models.Unit{Code: "MID", Name: "局", ParentID: &top.ID}
	if err := a.CreateUnit(ctx, nil, mid); err != nil {
		t.Fatal(err)
	}
	if _, err := a.UpdateUnit(ctx, nil, top.ID, UnitPatch{ParentID: &mid.ID}); models.ErrorCode(err) != models.EInvalid {
		t.Fatalf("cycle: %v", err)
	}
	zero := uint(0)
	u, err := a.UpdateUnit(ctx, nil, mid.ID, UnitPatch{ParentID: &zero})
	if err != nil || u.ParentID != nil {
		t.Fatalf("clear parent: %v %v", u, err)
	}
	missing := uint(42)
	if err := a.CreateUnit(ctx, nil, &models.Unit{Code: "X", Name: "x", ParentID: &missing}); models.ErrorCode(err) != models.EInvalid {
		t.Fatalf("missing parent: %v", err)
	}
}

func TestUsernamesAreCaseInsensitive(t *testing.T) {
	a, _ := openTest(t)
	ctx := context.Background()
	addUser(t, a, "ZhangSan", models.RoleFinance, nil)
	err := a.CreateUser(ctx, nil, &models.User{Username: "zhangsan", Role: models.RoleFinance, Active: true}, "password-123")
	if models.ErrorCode(err) != models.EConflict {
		t.Fatalf("second spelling: %v", err)
	}
	if _, _, err := a.Login(ctx, "zhangsan", "password-123", "1.1.1.1", ""); err != nil {
		t.Fatalf("login with other case: %v", err)
	}
	if u, err := a.UserByUsername(ctx, "ZHANGSAN"); err != nil || u.Username != "ZhangSan" {
		t.Fatalf("lookup: %v %v", u, err)
	}
}

// TestDummyHashIsMadeByTheFirstLogin: opening the database and what a command line run does
// (add a user, list users) make no hash for unknown users; the first login makes it, whatever
// the username, and an unknown user's password is then checked against a hash as costly as a
// real user's.
func TestDummyHashIsMadeByTheFirstLogin(t *testing.T) {
	a, _ := openTest(t)
	ctx := context.Background()
	addUser(t, a, "fin", models.RoleFinance, nil)
	if _, err := a.ListUsers(ctx); err != nil {
		t.Fatal(err)
	}
	if a.dummy != nil {
		t.Fatal("the unknown-user hash was made before any login")
	}
	if _, _, err := a.Login(ctx, "fin", "password-123", "10.0.0.1", "test"); err != nil {
		t.Fatal(err)
	}
	if a.dummy == nil {
		t.Fatal("the first login did not make the unknown-user hash")
	}
	if _, _, err := a.Login(ctx, "nobody", "password-123", "10.0.0.1", "test"); err != errBadLogin {
		t.Fatalf("unknown user: %v", err)
	}
	var u models.User
	if err := a.read.Where("username = ?", "fin").First(&u).Error; err != nil {
		t.Fatal(err)
	}
	real, err := bcrypt.Cost([]byte(u.PasswordHash))
	if err != nil {
		t.Fatal(err)
	}
	if cost, err := bcrypt.Cost(a.dummy); err != nil || cost != real {
		t.Errorf("the unknown-user hash costs %d (%v), a user's %d", cost, err, real)
	}
}
