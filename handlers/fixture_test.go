package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gofiber/fiber/v2"

	"assetpool/app"
	"assetpool/models"
)

// testPassword is the password of every fixture account.
const testPassword = "correct-horse-1"

// fixture is a running server on a fresh SQLite file with two units and one account per role:
// clerkA of unit A, clerkB of unit B, finance and admin.
type fixture struct {
	t      *testing.T
	app    *app.App
	srv    *fiber.App
	dbPath string // the SQLite file, for tests that must write what the API cannot yet
	unitA  *models.Unit
	unitB  *models.Unit
	users  map[string]*models.User // by username: clerkA, clerkB, finance, admin
	tokens map[string]string       // bearer tokens by username
	cookie map[string]*http.Cookie // session cookies by username, from logging in once
	csrf   map[string]string       // CSRF tokens by username
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	cfg := app.DefaultConfig()
	cfg.DB = filepath.Join(t.TempDir(), "test.db")
	a, err := app.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open app: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	f := &fixture{t: t, app: a, srv: New(a, slog.New(slog.DiscardHandler)), dbPath: cfg.DB,
		users: map[string]*models.User{}, tokens: map[string]string{}, cookie: map[string]*http.Cookie{}, csrf: map[string]string{}}
	f.unitA = &models.Unit{Code: "UA", Name: "经济发展局", Area: "管委会机关", Staff: 30}
	f.unitB = &models.Unit{Code: "UB", Name: "兴仁街道", Area: "兴仁街道", Staff: 50}
	for _, u := range []*models.Unit{f.unitA, f.unitB} {
		if err := a.CreateUnit(ctx, nil, u); err != nil {
			t.Fatalf("create unit: %v", err)
		}
	}
	for _, u := range []*models.User{
		{Username: "clerkA", DisplayName: "张会计", Role: models.RoleClerk, UnitID: &f.unitA.ID, Active: true},
		{Username: "clerkB", DisplayName: "李会计", Role: models.RoleClerk, UnitID: &f.unitB.ID, Active: true},
		{Username: "finance", DisplayName: "王科长", Role: models.RoleFinance, Active: true},
		{Username: "admin", DisplayName: "系统管理员", Role: models.RoleAdmin, Active: true},
	} {
		if err := a.CreateUser(ctx, nil, u, testPassword); err != nil {
			t.Fatalf("create user %s: %v", u.Username, err)
		}
		f.users[u.Username] = u
		tok, _, err := a.CreateAPIToken(ctx, u.Username, "test")
		if err != nil {
			t.Fatalf("create token: %v", err)
		}
		f.tokens[u.Username] = tok
	}
	return f
}

// request is one HTTP request for the fixture's server.
type request struct {
	method string
	path   string
	body   any    // JSON-encoded unless it is []byte or io.Reader
	as     string // "" anonymous, or a username; authenticates with its bearer token
	// cookie authenticates as the user through a logged-in session instead of the token,
	// sending the CSRF token unless noCSRF.
	cookie      bool
	noCSRF      bool
	contentType string
}

// do sends r through srv.Test and returns the response with its body read.
func (f *fixture) do(r request) (*http.Response, []byte) {
	f.t.Helper()
	var body io.Reader
	ctype := r.contentType
	switch b := r.body.(type) {
	case nil:
	case []byte:
		body = bytes.NewReader(b)
	case io.Reader:
		body = b
	default:
		js, err := json.Marshal(b)
		if err != nil {
			f.t.Fatalf("encode body: %v", err)
		}
		body = bytes.NewReader(js)
		if ctype == "" {
			ctype = "application/json"
		}
	}
	req := httptest.NewRequest(r.method, r.path, body)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if r.as != "" {
		if r.cookie {
			f.login(r.as)
			req.AddCookie(f.cookie[r.as])
			if !r.noCSRF {
				req.Header.Set("X-CSRF-Token", f.csrf[r.as])
			}
		} else {
			req.Header.Set("Authorization", "Bearer "+f.tokens[r.as])
		}
	}
	resp, err := f.srv.Test(req, -1)
	if err != nil {
		f.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatalf("read body: %v", err)
	}
	return resp, out
}

// login signs username in through the API once and keeps the session cookie and CSRF token.
func (f *fixture) login(username string) {
	f.t.Helper()
	if f.cookie[username] != nil {
		return
	}
	resp, body := f.do(request{method: "POST", path: "/api/v1/login", body: map[string]string{"username": username, "password": testPassword}})
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("login %s: %d %s", username, resp.StatusCode, body)
	}
	var out struct {
		CSRF string `json:"csrf_token"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.CSRF == "" {
		f.t.Fatalf("login %s: no csrf token in %s", username, body)
	}
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			f.cookie[username] = c
		}
	}
	if f.cookie[username] == nil {
		f.t.Fatalf("login %s: no session cookie", username)
	}
	f.csrf[username] = out.CSRF
}

// decode unmarshals a JSON body or fails the test.
func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return v
}

// errorCode returns the error code of an error response body.
func errorCode(t *testing.T, body []byte) string {
	t.Helper()
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("not an error body: %s", body)
	}
	return e.Error.Code
}

func itoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }
