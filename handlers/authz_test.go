package handlers

import (
	"bytes"
	"context"
	"image/color"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"assetpool/app"
	"assetpool/models"
)

// anonymousCaller is the caller name for requests without credentials.
const anonymousCaller = "anonymous"

// authzCallers are the callers every route is tried with.
var authzCallers = []string{anonymousCaller, "clerkA", "clerkB", "finance", "admin"}

// authzCase is what one route of the table expects from each caller.
type authzCase struct {
	// build returns the request caller sends (without credentials). It may create what the
	// request acts on, so that an allowed DELETE removes something of its own.
	build func(t *testing.T, f *fixture, caller string) request
	// want is the status each caller of authzCallers gets.
	want map[string]int
	// check, if set, looks at the body of an allowed call.
	check func(t *testing.T, f *fixture, caller string, body []byte)
}

// publicRoute: everyone gets status, signed in or not.
func publicRoute(status int) map[string]int {
	return map[string]int{anonymousCaller: status, "clerkA": status, "clerkB": status, "finance": status, "admin": status}
}

// signedInRoute: anonymous callers get 401, every role status.
func signedInRoute(status int) map[string]int {
	return map[string]int{anonymousCaller: http.StatusUnauthorized, "clerkA": status, "clerkB": status, "finance": status, "admin": status}
}

// adminRoute: anonymous callers get 401, clerks and finance 403, the administrator status.
func adminRoute(status int) map[string]int {
	return map[string]int{anonymousCaller: http.StatusUnauthorized, "clerkA": http.StatusForbidden, "clerkB": http.StatusForbidden,
		"finance": http.StatusForbidden, "admin": status}
}

func getRequest(path string) func(*testing.T, *fixture, string) request {
	return func(*testing.T, *fixture, string) request { return request{method: "GET", path: path} }
}

// scratchSeq numbers scratch records so that their codes and usernames never collide.
var scratchSeq atomic.Int64

// scratchUnit creates a unit nothing refers to, for a call that changes or deletes it.
func scratchUnit(t *testing.T, f *fixture, caller string) *models.Unit {
	t.Helper()
	u := &models.Unit{Code: "TMP-" + caller + "-" + strconv.FormatInt(scratchSeq.Add(1), 10), Name: "临时单位"}
	if err := f.app.CreateUnit(context.Background(), nil, u); err != nil {
		t.Fatalf("create scratch unit: %v", err)
	}
	return u
}

// scratchUser creates a finance user nothing depends on, for a call that deletes it.
func scratchUser(t *testing.T, f *fixture, caller string) *models.User {
	t.Helper()
	u := &models.User{Username: "tmp-" + strings.ToLower(caller) + "-" + strconv.FormatInt(scratchSeq.Add(1), 10), DisplayName: "临时用户", Role: models.RoleFinance, Active: true}
	if err := f.app.CreateUser(context.Background(), nil, u, testPassword); err != nil {
		t.Fatalf("create scratch user: %v", err)
	}
	return u
}

// authzTable holds an expectation for every route of (&server{}).routes(), keyed by
// "METHOD path" as the route table writes them. A route added to the table without an entry
// here fails TestAuthzEveryRouteAndRole.
func authzTable() map[string]authzCase {
	table := map[string]authzCase{
		"GET /health":       {build: getRequest("/api/v1/health"), want: publicRoute(http.StatusOK)},
		"GET /openapi.json": {build: getRequest("/api/v1/openapi.json"), want: publicRoute(http.StatusOK)},
		"POST /login": {
			build: func(_ *testing.T, _ *fixture, caller string) request {
				who := caller
				if who == anonymousCaller {
					who = "clerkA"
				}
				return request{method: "POST", path: "/api/v1/login", body: map[string]string{"username": who, "password": testPassword}}
			},
			want: publicRoute(http.StatusOK),
		},
		"POST /logout": {
			build: func(*testing.T, *fixture, string) request { return request{method: "POST", path: "/api/v1/logout"} },
			want:  signedInRoute(http.StatusOK),
		},
		"GET /me": {
			build: getRequest("/api/v1/me"),
			want:  signedInRoute(http.StatusOK),
			check: func(t *testing.T, _ *fixture, caller string, body []byte) {
				me := decode[struct {
					User userJSON `json:"user"`
				}](t, body)
				if me.User.Username != caller {
					t.Errorf("/me as %s shows %q", caller, me.User.Username)
				}
			},
		},
		"POST /me/password": {
			// Setting the same password again is a real, successful change.
			build: func(*testing.T, *fixture, string) request {
				return request{method: "POST", path: "/api/v1/me/password",
					body: map[string]string{"old_password": testPassword, "new_password": testPassword}}
			},
			want: signedInRoute(http.StatusOK),
		},

		"GET /units": {build: getRequest("/api/v1/units"), want: signedInRoute(http.StatusOK)},
		"POST /units": {
			build: func(_ *testing.T, _ *fixture, caller string) request {
				return request{method: "POST", path: "/api/v1/units", body: map[string]any{"code": "NEW-" + caller, "name": "新单位"}}
			},
			want: adminRoute(http.StatusCreated),
		},
		"GET /units/:id": {
			build: func(_ *testing.T, f *fixture, _ string) request {
				return request{method: "GET", path: "/api/v1/units/" + itoa(f.unitA.ID)}
			},
			// Unit scoping: a clerk reads only their own unit.
			want: map[string]int{anonymousCaller: http.StatusUnauthorized, "clerkA": http.StatusOK, "clerkB": http.StatusForbidden,
				"finance": http.StatusOK, "admin": http.StatusOK},
			check: func(t *testing.T, f *fixture, caller string, body []byte) {
				if u := decode[models.Unit](t, body); u.ID != f.unitA.ID || u.Code != "UA" {
					t.Errorf("unit A as %s: %s", caller, body)
				}
			},
		},
		"PATCH /units/:id": {
			build: func(t *testing.T, f *fixture, caller string) request {
				u := scratchUnit(t, f, caller)
				return request{method: "PATCH", path: "/api/v1/units/" + itoa(u.ID), body: map[string]any{"name": "改名后的单位"}}
			},
			want: adminRoute(http.StatusOK),
		},
		"DELETE /units/:id": {
			build: func(t *testing.T, f *fixture, caller string) request {
				return request{method: "DELETE", path: "/api/v1/units/" + itoa(scratchUnit(t, f, caller).ID)}
			},
			want: adminRoute(http.StatusNoContent),
		},

		"GET /users": {build: getRequest("/api/v1/users"), want: adminRoute(http.StatusOK)},
		"POST /users": {
			build: func(_ *testing.T, _ *fixture, caller string) request {
				return request{method: "POST", path: "/api/v1/users", body: map[string]any{
					"username": "new-" + strings.ToLower(caller), "display_name": "新用户", "role": "finance", "password": testPassword}}
			},
			want: adminRoute(http.StatusCreated),
		},
		"GET /users/:id": {
			build: func(_ *testing.T, f *fixture, _ string) request {
				return request{method: "GET", path: "/api/v1/users/" + itoa(f.users["clerkB"].ID)}
			},
			want: adminRoute(http.StatusOK),
		},
		"PATCH /users/:id": {
			build: func(_ *testing.T, f *fixture, _ string) request {
				return request{method: "PATCH", path: "/api/v1/users/" + itoa(f.users["clerkB"].ID), body: map[string]any{"display_name": "李会计"}}
			},
			want: adminRoute(http.StatusOK),
		},
		"DELETE /users/:id": {
			build: func(t *testing.T, f *fixture, caller string) request {
				return request{method: "DELETE", path: "/api/v1/users/" + itoa(scratchUser(t, f, caller).ID)}
			},
			want: adminRoute(http.StatusNoContent),
		},

		"GET /categories": {build: getRequest("/api/v1/categories"), want: signedInRoute(http.StatusOK)},
		"POST /categories/import": {
			build: func(t *testing.T, _ *fixture, _ string) request {
				body, ctype := multipartFile(t, "file", "categories.csv", []byte("code,name,parent,min_years\nZ1,测试门类,,\nZ11,测试类,Z1,5\n"))
				return request{method: "POST", path: "/api/v1/categories/import", body: body, contentType: ctype}
			},
			want: adminRoute(http.StatusOK),
		},
		"GET /standards": {build: getRequest("/api/v1/standards"), want: signedInRoute(http.StatusOK)},
		"POST /standards/import": {
			build: func(t *testing.T, f *fixture, _ string) request {
				body, ctype := multipartFile(t, "file", "standards.csv", []byte("jurisdiction,category_code,item_name,price_cap\n中央,"+scratchCategory(f)+",会议椅,800\n"))
				return request{method: "POST", path: "/api/v1/standards/import", body: body, contentType: ctype}
			},
			want: adminRoute(http.StatusOK),
		},

		// Imports: a clerk works on their own unit only, and another unit's import answers 404
		// as if it did not exist; finance and admin work on any unit.
		"GET /imports": {
			build: getRequest("/api/v1/imports"),
			want:  signedInRoute(http.StatusOK),
			check: func(t *testing.T, f *fixture, caller string, body []byte) {
				for _, v := range decode[importList](t, body).Items {
					if own := f.users[caller].UnitID; own != nil && v.UnitID != *own {
						t.Errorf("%s sees import %d of unit %d", caller, v.ID, v.UnitID)
					}
				}
			},
		},
		"POST /imports": {
			build: func(t *testing.T, _ *fixture, _ string) request {
				body, ctype := uploadForm(t, "UA", "清查表.xlsx", inventory(t, importRows...))
				return request{method: "POST", path: "/api/v1/imports", body: body, contentType: ctype}
			},
			want: importRoute(http.StatusCreated, http.StatusForbidden),
			check: func(t *testing.T, _ *fixture, caller string, body []byte) {
				if v := decode[app.ImportView](t, body); v.Unit == nil || v.Unit.Code != "UA" || v.CreatedBy.Username != caller {
					t.Errorf("import by %s: %s", caller, body)
				}
			},
		},
		"GET /imports/:id": {
			build: func(t *testing.T, f *fixture, _ string) request {
				return request{method: "GET", path: importPath(seedImport(t, f), "")}
			},
			want: importRoute(http.StatusOK, http.StatusNotFound),
		},
		"PATCH /imports/:id": {
			build: func(t *testing.T, f *fixture, _ string) request {
				return request{method: "PATCH", path: importPath(seedImport(t, f), ""), body: map[string]any{"blank_clears": true}}
			},
			want: importRoute(http.StatusOK, http.StatusNotFound),
		},
		"DELETE /imports/:id": {
			build: func(t *testing.T, f *fixture, _ string) request {
				return request{method: "DELETE", path: importPath(seedImport(t, f), "")}
			},
			want: importRoute(http.StatusNoContent, http.StatusNotFound),
		},
		"POST /imports/:id/commit": {
			build: func(t *testing.T, f *fixture, _ string) request {
				return request{method: "POST", path: importPath(seedImport(t, f), "/commit"), body: map[string]any{}}
			},
			want: importRoute(http.StatusOK, http.StatusNotFound),
		},
		"GET /imports/:id/errors.xlsx": {
			build: func(t *testing.T, f *fixture, _ string) request {
				return request{method: "GET", path: importPath(seedImport(t, f), "/errors.xlsx")}
			},
			want: importRoute(http.StatusOK, http.StatusNotFound),
		},
		"GET /templates/assets.xlsx":   {build: getRequest("/api/v1/templates/assets.xlsx"), want: signedInRoute(http.StatusOK)},
		"GET /templates/requests.xlsx": {build: getRequest("/api/v1/templates/requests.xlsx"), want: signedInRoute(http.StatusOK)},
		"GET /units/:code/assets.xlsx": {
			build: getRequest("/api/v1/units/UA/assets.xlsx"),
			want:  importRoute(http.StatusOK, http.StatusForbidden),
		},

		// The register: a clerk reads and changes only their own unit's cards (another unit's
		// card is 404, as if it did not exist); finance and admin read every card but only the
		// owning clerk edits. The pool is open to everyone signed in.
		"GET /assets": {
			build: func(t *testing.T, f *fixture, caller string) request {
				scratchAsset(t, f, caller)
				return request{method: "GET", path: "/api/v1/assets"}
			},
			want: signedInRoute(http.StatusOK),
			check: func(t *testing.T, f *fixture, caller string, body []byte) {
				for _, it := range decode[assetList](t, body).Items {
					if own := f.users[caller].UnitID; own != nil && it.UnitID != *own {
						t.Errorf("%s sees card %d of unit %d", caller, it.ID, it.UnitID)
					}
				}
			},
		},
		"GET /assets/totals": {
			build: func(t *testing.T, f *fixture, caller string) request {
				scratchAsset(t, f, caller)
				return request{method: "GET", path: "/api/v1/assets/totals?unit=UA"}
			},
			want: importRoute(http.StatusOK, http.StatusForbidden),
			check: func(t *testing.T, _ *fixture, caller string, body []byte) {
				if decode[app.FilterTotals](t, body).Cards == 0 {
					t.Errorf("unit A's totals for %s count no card: %s", caller, body)
				}
			},
		},
		"POST /assets": {
			build: func(t *testing.T, f *fixture, caller string) request {
				return request{method: "POST", path: "/api/v1/assets", body: map[string]any{"unit": "UA",
					"asset_no": "NEW-" + caller + "-" + strconv.FormatInt(scratchSeq.Add(1), 10), "name": "办公椅",
					"category_code": scratchCategory(f), "original_value": 800, "acquired_on": "2024-05-01"}}
			},
			want: ownerRoute(http.StatusCreated, http.StatusForbidden),
		},
		"POST /assets/mark": {
			build: func(t *testing.T, f *fixture, caller string) request {
				return request{method: "POST", path: "/api/v1/assets/mark", body: map[string]any{"ids": []uint{scratchAsset(t, f, caller)}, "usage_status": "in_use"}}
			},
			want: ownerRoute(http.StatusOK, http.StatusForbidden),
		},
		// The worth-checking list: everyone signed in gets a list (a clerk their own unit's,
		// finance and admin the district's); only the owning clerk decides.
		"GET /checks": {
			build: func(t *testing.T, f *fixture, caller string) request {
				scratchCandidate(t, f, caller)
				return request{method: "GET", path: "/api/v1/checks"}
			},
			want: signedInRoute(http.StatusOK),
			check: func(t *testing.T, f *fixture, caller string, body []byte) {
				list := decode[checkList](t, body)
				for _, it := range list.Items {
					if own := f.users[caller].UnitID; own != nil && it.UnitCode != unitCodeOf(f, *own) {
						t.Errorf("%s sees card %d of unit %s", caller, it.AssetID, it.UnitCode)
					}
				}
				if caller != "clerkB" && list.Total == 0 {
					t.Errorf("%s sees an empty list: %s", caller, body)
				}
			},
		},
		"POST /checks/:id": {
			build: func(t *testing.T, f *fixture, caller string) request {
				return request{method: "POST", path: "/api/v1/checks/" + itoa(scratchCandidate(t, f, caller)), body: map[string]any{"decision": "dismiss"}}
			},
			want: map[string]int{anonymousCaller: http.StatusUnauthorized, "clerkA": http.StatusOK, "clerkB": http.StatusNotFound,
				"finance": http.StatusForbidden, "admin": http.StatusForbidden},
		},
		"GET /assets/:id": {
			build: func(t *testing.T, f *fixture, caller string) request {
				return request{method: "GET", path: "/api/v1/assets/" + itoa(scratchAsset(t, f, caller))}
			},
			want: importRoute(http.StatusOK, http.StatusNotFound),
		},
		"PATCH /assets/:id": {
			build: func(t *testing.T, f *fixture, caller string) request {
				return request{method: "PATCH", path: "/api/v1/assets/" + itoa(scratchAsset(t, f, caller)), body: map[string]any{"version": 1, "location": "3楼库房"}}
			},
			want: map[string]int{anonymousCaller: http.StatusUnauthorized, "clerkA": http.StatusOK, "clerkB": http.StatusNotFound,
				"finance": http.StatusForbidden, "admin": http.StatusForbidden},
		},
		"GET /assets/:id/history": {
			build: func(t *testing.T, f *fixture, caller string) request {
				return request{method: "GET", path: "/api/v1/assets/" + itoa(scratchAsset(t, f, caller)) + "/history"}
			},
			want: importRoute(http.StatusOK, http.StatusNotFound),
		},
		// A correction of the books (账务调整) is the owning clerk's, as an edit is.
		"POST /assets/:id/books": {
			build: func(t *testing.T, f *fixture, caller string) request {
				return request{method: "POST", path: "/api/v1/assets/" + itoa(scratchAsset(t, f, caller)) + "/books",
					body: map[string]any{"version": 1, "mode": "stated", "accumulated_depreciation": 100, "reason": "按单位财务账更正"}}
			},
			want: map[string]int{anonymousCaller: http.StatusUnauthorized, "clerkA": http.StatusOK, "clerkB": http.StatusNotFound,
				"finance": http.StatusForbidden, "admin": http.StatusForbidden},
			check: func(t *testing.T, _ *fixture, caller string, body []byte) {
				if c := decode[app.AssetCard](t, body); !c.Book.Stated || c.BookDepreciation == nil || *c.BookDepreciation != 10000 || c.Version != 2 {
					t.Errorf("books corrected by %s: %s", caller, body)
				}
			},
		},
		"GET /pool": {
			build: func(t *testing.T, f *fixture, caller string) request {
				scratchAsset(t, f, caller)
				return request{method: "GET", path: "/api/v1/pool"}
			},
			want: signedInRoute(http.StatusOK),
			check: func(t *testing.T, _ *fixture, caller string, body []byte) {
				if strings.Contains(string(body), "custodian") || strings.Contains(string(body), "赵六") {
					t.Errorf("the pool shows custodians to %s: %s", caller, body)
				}
			},
		},
		"GET /pool/totals": {
			build: func(t *testing.T, f *fixture, caller string) request {
				scratchAsset(t, f, caller)
				return request{method: "GET", path: "/api/v1/pool/totals"}
			},
			want: signedInRoute(http.StatusOK),
		},
		// Purchase requests: clerks file and act for their own unit only (another unit's request
		// is 404); finance and admin read every request but file none.
		"GET /requests": {
			build: func(t *testing.T, f *fixture, _ string) request {
				scratchRequest(t, f)
				return request{method: "GET", path: "/api/v1/requests"}
			},
			want: signedInRoute(http.StatusOK),
			check: func(t *testing.T, f *fixture, caller string, body []byte) {
				list := decode[struct {
					Items []app.RequestView `json:"items"`
				}](t, body)
				for _, it := range list.Items {
					if own := f.users[caller].UnitID; own != nil && it.UnitID != *own {
						t.Errorf("%s sees request %d of unit %d", caller, it.ID, it.UnitID)
					}
				}
			},
		},
		"POST /requests": {
			build: func(t *testing.T, f *fixture, _ string) request {
				return request{method: "POST", path: "/api/v1/requests", body: map[string]any{"unit": "UA",
					"category_code": scratchCategory(f), "name": "办公椅", "quantity": 2, "unit_price": 800}}
			},
			want: ownerRoute(http.StatusCreated, http.StatusForbidden),
		},
		"POST /requests/import": {
			build: func(t *testing.T, f *fixture, _ string) request {
				body, ctype := multipartFile(t, "file", "requests.csv", []byte("分类代码,品目名称,数量,预算单价\n"+scratchCategory(f)+",会议椅,2,800\n"))
				return request{method: "POST", path: "/api/v1/requests/import?unit=UA", body: body, contentType: ctype}
			},
			want: ownerRoute(http.StatusOK, http.StatusForbidden),
		},
		"GET /requests/:id": {
			build: func(t *testing.T, f *fixture, _ string) request {
				return request{method: "GET", path: "/api/v1/requests/" + itoa(scratchRequest(t, f))}
			},
			want: importRoute(http.StatusOK, http.StatusNotFound),
		},
		"PATCH /requests/:id": {
			build: func(t *testing.T, f *fixture, _ string) request {
				return request{method: "PATCH", path: "/api/v1/requests/" + itoa(scratchRequest(t, f)), body: map[string]any{"version": 1, "quantity": 3}}
			},
			want: requestActionRoute(),
		},
		"POST /requests/:id/submit": {
			build: func(t *testing.T, f *fixture, _ string) request {
				return request{method: "POST", path: "/api/v1/requests/" + itoa(scratchRequest(t, f)) + "/submit"}
			},
			want: requestActionRoute(),
		},
		"POST /requests/:id/withdraw": {
			build: func(t *testing.T, f *fixture, _ string) request {
				return request{method: "POST", path: "/api/v1/requests/" + itoa(scratchRequest(t, f)) + "/withdraw"}
			},
			want: requestActionRoute(),
		},
		"GET /requests/:id/proposals": {
			build: func(t *testing.T, f *fixture, _ string) request {
				return request{method: "GET", path: "/api/v1/requests/" + itoa(scratchRequest(t, f)) + "/proposals"}
			},
			want: importRoute(http.StatusOK, http.StatusNotFound),
		},
		"GET /proposals": {build: getRequest("/api/v1/proposals"), want: signedInRoute(http.StatusOK)},
		"POST /matching/run": {
			build: func(*testing.T, *fixture, string) request {
				return request{method: "POST", path: "/api/v1/matching/run"}
			},
			want: map[string]int{anonymousCaller: http.StatusUnauthorized, "clerkA": http.StatusForbidden, "clerkB": http.StatusForbidden,
				"finance": http.StatusOK, "admin": http.StatusForbidden},
		},
		"GET /matching/runs": {
			build: getRequest("/api/v1/matching/runs"),
			want: map[string]int{anonymousCaller: http.StatusUnauthorized, "clerkA": http.StatusForbidden, "clerkB": http.StatusForbidden,
				"finance": http.StatusOK, "admin": http.StatusOK},
		},
		"GET /pool/:id": {
			build: func(t *testing.T, f *fixture, caller string) request {
				return request{method: "GET", path: "/api/v1/pool/" + itoa(scratchAsset(t, f, caller))}
			},
			want: signedInRoute(http.StatusOK),
		},
		// Exports: the register of unit A as its list is scoped; the idle register to everyone,
		// without custodians.
		"GET /assets.xlsx": {
			build: func(t *testing.T, f *fixture, caller string) request {
				scratchAsset(t, f, caller)
				return request{method: "GET", path: "/api/v1/assets.xlsx?unit=UA"}
			},
			want: importRoute(http.StatusOK, http.StatusForbidden),
			check: func(t *testing.T, _ *fixture, caller string, body []byte) {
				if !strings.Contains(xlsxText(t, body), "SCR-") {
					t.Errorf("unit A's register for %s lists no card", caller)
				}
			},
		},
		"GET /pool.xlsx": {
			build: func(t *testing.T, f *fixture, caller string) request {
				scratchAsset(t, f, caller)
				return request{method: "GET", path: "/api/v1/pool.xlsx"}
			},
			want: signedInRoute(http.StatusOK),
			check: func(t *testing.T, _ *fixture, caller string, body []byte) {
				if text := xlsxText(t, body); !strings.Contains(text, "SCR-") || strings.Contains(text, "赵六") {
					t.Errorf("the idle register for %s lacks unit A's item or shows its custodian", caller)
				}
			},
		},

		// Photos: only the owning clerk adds and deletes; whoever reads the card sees them (and
		// everyone signed in while the card is in the pool, see TestPhotoAccessAcrossUnits).
		"POST /assets/:id/photos": {
			build: func(t *testing.T, f *fixture, caller string) request {
				body, ctype := multipartFile(t, "file", "photo.png", pngPhoto(t, color.RGBA{20, 40, 60, 255}))
				return request{method: "POST", path: "/api/v1/assets/" + itoa(scratchAsset(t, f, caller)) + "/photos", body: body, contentType: ctype}
			},
			want: map[string]int{anonymousCaller: http.StatusUnauthorized, "clerkA": http.StatusCreated, "clerkB": http.StatusNotFound,
				"finance": http.StatusForbidden, "admin": http.StatusForbidden},
		},
		"GET /assets/:id/photos/:photo": {
			build: func(t *testing.T, f *fixture, _ string) request {
				id, ref := seedPhoto(t, f)
				return request{method: "GET", path: photoPath(id, ref.ID)}
			},
			want: importRoute(http.StatusOK, http.StatusNotFound),
			check: func(t *testing.T, _ *fixture, caller string, body []byte) {
				if !bytes.HasPrefix(body, []byte("\x89PNG")) {
					t.Errorf("photo as %s is not the PNG: %.40q", caller, body)
				}
			},
		},
		"DELETE /assets/:id/photos/:photo": {
			build: func(t *testing.T, f *fixture, _ string) request {
				id, ref := seedPhoto(t, f)
				return request{method: "DELETE", path: photoPath(id, ref.ID)}
			},
			want: map[string]int{anonymousCaller: http.StatusUnauthorized, "clerkA": http.StatusNoContent, "clerkB": http.StatusNotFound,
				"finance": http.StatusForbidden, "admin": http.StatusForbidden},
		},
		// The label sheet is scoped like the register: clerk B asking for unit A's card gets a
		// sheet without it.
		"GET /labels.html": {
			build: func(t *testing.T, f *fixture, caller string) request {
				return request{method: "GET", path: "/api/v1/labels.html?ids=" + itoa(scratchAsset(t, f, caller))}
			},
			want: signedInRoute(http.StatusOK),
			check: func(t *testing.T, _ *fixture, caller string, body []byte) {
				if got, want := strings.Count(string(body), "<svg "), map[bool]int{true: 0, false: 1}[caller == "clerkB"]; got != want {
					t.Errorf("labels as %s: %d labels, want %d", caller, got, want)
				}
			},
		},
	}
	addWorkflowCases(table)
	for key, c := range transferAuthz() { // handlers/transfers_test.go
		table[key] = c
	}
	return table
}

// ownerRoute: anonymous callers get 401, clerk A (the owning clerk) status, everyone else
// refused: only a unit's own clerk changes its register.
func ownerRoute(status, refused int) map[string]int {
	return map[string]int{anonymousCaller: http.StatusUnauthorized, "clerkA": status, "clerkB": refused,
		"finance": refused, "admin": refused}
}

// assetList is the JSON of GET /assets.
type assetList struct {
	Items []app.AssetItem `json:"items"`
	Total int             `json:"total"`
	Next  *string         `json:"next"`
}

// scratchCategory is a category code the fixture has: the category import route replaces the
// seeded table with Z1/Z11 in the fixture the route tests share.
func scratchCategory(f *fixture) string {
	if _, err := f.app.Category(context.Background(), "A05010303"); err != nil {
		return "Z11"
	}
	return "A05010303"
}

// scratchAsset creates an idle, usable card of unit A (so in the pool) with custodian 赵六.
func scratchAsset(t *testing.T, f *fixture, caller string) uint {
	t.Helper()
	acq, _ := models.ParseDate("2021-06-15")
	c, err := f.app.CreateAsset(context.Background(), nil, f.unitA.ID, models.Asset{
		AssetNo: "SCR-" + caller + "-" + strconv.FormatInt(scratchSeq.Add(1), 10), Name: "会议椅", CategoryCode: scratchCategory(f),
		Quantity: 4, OriginalValue: 120000, AcquiredOn: acq, UsageStatus: models.UsageIdle, Condition: models.ConditionUsable,
		Custodian: "赵六", Department: "办公室"})
	if err != nil {
		t.Fatalf("create scratch asset: %v", err)
	}
	return c.ID
}

// scratchRequest files a draft purchase request of unit A as its clerk.
func scratchRequest(t *testing.T, f *fixture) uint {
	t.Helper()
	v, err := f.app.CreateRequest(context.Background(), f.users["clerkA"], app.RequestInput{
		CategoryCode: scratchCategory(f), Name: "办公椅", Quantity: 2, UnitPrice: 80000})
	if err != nil {
		t.Fatalf("create scratch request: %v", err)
	}
	return v.ID
}

// requestActionRoute: only unit A's clerk acts on unit A's request; clerk B is told it does
// not exist, finance and admin are refused.
func requestActionRoute() map[string]int {
	return map[string]int{anonymousCaller: http.StatusUnauthorized, "clerkA": http.StatusOK, "clerkB": http.StatusNotFound,
		"finance": http.StatusForbidden, "admin": http.StatusForbidden}
}

// importRoute: anonymous callers get 401, clerk B (of the other unit) refused, and clerk A,
// finance and admin status, for a call on something of unit A.
func importRoute(status, refused int) map[string]int {
	return map[string]int{anonymousCaller: http.StatusUnauthorized, "clerkA": status, "clerkB": refused,
		"finance": status, "admin": status}
}

// routeKey names a route as the route table writes it.
func routeKey(r route) string { return r.method + " " + r.path }

// TestAuthzTableCoversEveryRoute fails with a clear message for a route without an entry in
// authzTable and for an entry whose route is gone.
func TestAuthzTableCoversEveryRoute(t *testing.T) {
	t.Parallel()
	table := authzTable()
	inRoutes := map[string]bool{}
	for _, r := range (&server{}).routes() {
		key := routeKey(r)
		inRoutes[key] = true
		c, ok := table[key]
		if !ok {
			t.Errorf("route %s /api/v1%s has no entry in authzTable (handlers/authz_test.go): add the status each of %v gets", r.method, r.path, authzCallers)
			continue
		}
		for _, caller := range authzCallers {
			if _, ok := c.want[caller]; !ok {
				t.Errorf("authzTable[%q] says nothing about %s", key, caller)
			}
		}
	}
	for key := range table {
		if !inRoutes[key] {
			t.Errorf("authzTable has an entry for %s, which is not in the route table", key)
		}
	}
}

// TestAuthzEveryRouteAndRole calls every route as every caller with bearer tokens and checks
// the status: 401 for anonymous callers of non-public routes, 403 for the wrong role or unit,
// and the route's own success status for allowed callers.
func TestAuthzEveryRouteAndRole(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	table := authzTable()
	for _, r := range (&server{}).routes() {
		c, ok := table[routeKey(r)]
		if !ok {
			t.Errorf("route %s /api/v1%s has no entry in authzTable: every route needs one", r.method, r.path)
			continue
		}
		for _, caller := range authzCallers {
			t.Run(r.method+" /api/v1"+r.path+" as "+caller, func(t *testing.T) {
				ft := *f
				ft.t = t
				req := c.build(t, &ft, caller)
				if req.method != r.method || !matchesRoute(req.path, "/api/v1"+r.path) {
					t.Fatalf("authzTable entry builds %s %s for route %s /api/v1%s", req.method, req.path, r.method, r.path)
				}
				if caller != anonymousCaller {
					req.as = caller
				}
				resp, body := ft.do(req)
				want, ok := c.want[caller]
				if !ok {
					t.Fatalf("authzTable[%q] has no expectation for %s", routeKey(r), caller)
				}
				if resp.StatusCode != want {
					t.Fatalf("status %d, want %d: %s", resp.StatusCode, want, body)
				}
				checkAuthzBody(t, want, body)
				if c.check != nil && want < 300 {
					c.check(t, &ft, caller, body)
				}
				if caller == anonymousCaller && r.roles != nil {
					// A made-up token is no better than none.
					if st := sendWithHeader(t, &ft, req, "Authorization", "Bearer apt_not-a-real-token"); st != http.StatusUnauthorized {
						t.Errorf("with an invalid bearer token: status %d, want 401", st)
					}
				}
			})
		}
	}
}

// checkAuthzBody checks that refusals carry the matching error code.
func checkAuthzBody(t *testing.T, status int, body []byte) {
	t.Helper()
	switch status {
	case http.StatusUnauthorized:
		if code := errorCode(t, body); code != models.EUnauthorized {
			t.Errorf("401 with error code %q: %s", code, body)
		}
	case http.StatusForbidden:
		if code := errorCode(t, body); code != models.EForbidden {
			t.Errorf("403 with error code %q: %s", code, body)
		}
	}
}

// TestAuthzCookieWritesNeedCSRF repeats the state-changing routes with session cookies: without
// the CSRF header every signed-in caller is refused with 403 before anything happens; with it
// they get what their bearer token gets.
func TestAuthzCookieWritesNeedCSRF(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	table := authzTable()
	for _, r := range (&server{}).routes() {
		c, ok := table[routeKey(r)]
		if !ok || r.roles == nil {
			continue // missing entries are reported by TestAuthzTableCoversEveryRoute
		}
		for _, caller := range []string{"clerkA", "finance", "admin"} {
			t.Run(r.method+" /api/v1"+r.path+" as "+caller+" by cookie", func(t *testing.T) {
				ft := *f
				ft.t = t
				if !safeMethod(r.method) {
					req := c.build(t, &ft, caller)
					req.as, req.cookie, req.noCSRF = caller, true, true
					resp, body := ft.do(req)
					if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "CSRF") {
						t.Fatalf("without CSRF token: %d %s, want 403 naming CSRF", resp.StatusCode, body)
					}
					// Logging out or changing the password ends the session: the next call logs in afresh.
					defer delete(f.cookie, caller)
				}
				req := c.build(t, &ft, caller)
				req.as, req.cookie = caller, true
				resp, body := ft.do(req)
				if want := c.want[caller]; resp.StatusCode != want {
					t.Fatalf("with session cookie and CSRF token: status %d, want %d: %s", resp.StatusCode, want, body)
				}
			})
		}
	}
}

func TestAuthzUnitScoping(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	type unitList struct {
		Items []models.Unit `json:"items"`
		Total int           `json:"total"`
	}
	for caller, want := range map[string][]uint{
		"clerkA":  {f.unitA.ID},
		"clerkB":  {f.unitB.ID},
		"finance": {f.unitA.ID, f.unitB.ID},
		"admin":   {f.unitA.ID, f.unitB.ID},
	} {
		t.Run("GET /api/v1/units as "+caller, func(t *testing.T) {
			ft := *f
			ft.t = t
			resp, body := ft.do(request{method: "GET", path: "/api/v1/units", as: caller})
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			list := decode[unitList](t, body)
			var got []uint
			for _, u := range list.Items {
				got = append(got, u.ID)
			}
			if !slices.Equal(got, want) || list.Total != len(want) {
				t.Fatalf("units %v (total %d), want %v", got, list.Total, want)
			}
		})
	}
	for _, tc := range []struct {
		caller string
		unit   *models.Unit
		want   int
	}{
		{"clerkA", f.unitA, http.StatusOK},
		{"clerkA", f.unitB, http.StatusForbidden},
		{"clerkB", f.unitA, http.StatusForbidden},
		{"clerkB", f.unitB, http.StatusOK},
		{"finance", f.unitB, http.StatusOK},
		{"admin", f.unitB, http.StatusOK},
	} {
		t.Run("GET /api/v1/units/"+tc.unit.Code+" as "+tc.caller, func(t *testing.T) {
			ft := *f
			ft.t = t
			resp, body := ft.do(request{method: "GET", path: "/api/v1/units/" + itoa(tc.unit.ID), as: tc.caller})
			if resp.StatusCode != tc.want {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.want, body)
			}
			if tc.want == http.StatusForbidden && !strings.Contains(string(body), "本单位") {
				t.Errorf("refusal does not explain itself: %s", body)
			}
			if tc.want == http.StatusOK && decode[models.Unit](t, body).Name != tc.unit.Name {
				t.Errorf("body %s, want unit %s", body, tc.unit.Name)
			}
		})
	}
}

// matchesRoute reports whether a concrete path, query string aside, fits a route pattern with
// :params.
func matchesRoute(path, pattern string) bool {
	path, _, _ = strings.Cut(path, "?")
	ps, qs := strings.Split(path, "/"), strings.Split(pattern, "/")
	if len(ps) != len(qs) {
		return false
	}
	for i := range ps {
		if !strings.HasPrefix(qs[i], ":") && ps[i] != qs[i] {
			return false
		}
	}
	return true
}

// sendWithHeader sends req anonymously with one extra header and returns the status.
func sendWithHeader(t *testing.T, f *fixture, req request, name, value string) int {
	t.Helper()
	var r *http.Request
	if b, ok := req.body.([]byte); ok {
		r = httptest.NewRequest(req.method, req.path, strings.NewReader(string(b)))
	} else {
		r = httptest.NewRequest(req.method, req.path, nil)
	}
	if req.contentType != "" {
		r.Header.Set("Content-Type", req.contentType)
	}
	r.Header.Set(name, value)
	resp, err := f.srv.Test(r, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", req.method, req.path, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
