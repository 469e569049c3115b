package handlers

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"assetpool/models"
)

// openAPIDocument is the part of an OpenAPI 3 document the tests look at.
type openAPIDocument struct {
	OpenAPI string `json:"openapi"`
	Info    struct {
		Title   string `json:"title"`
		Version string `json:"version"`
	} `json:"info"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		SecuritySchemes map[string]struct {
			Type   string `json:"type"`
			Scheme string `json:"scheme"`
			In     string `json:"in"`
			Name   string `json:"name"`
		} `json:"securitySchemes"`
		Schemas map[string]json.RawMessage `json:"schemas"`
	} `json:"components"`
}

// openAPIOperation is the part of one operation the tests look at.
type openAPIOperation struct {
	Summary    string                            `json:"summary"`
	Security   *[]map[string][]string            `json:"security"`
	Parameters []map[string]any                  `json:"parameters"`
	Responses  map[string]json.RawMessage        `json:"responses"`
	Body       *struct{ Content map[string]any } `json:"requestBody"`
}

// openAPIMethods are the keys of a path item that are operations.
var openAPIMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func parseOpenAPI(t *testing.T, data []byte) openAPIDocument {
	t.Helper()
	var doc openAPIDocument
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	return doc
}

// openAPIPath turns a Fiber path (/api/v1/units/:id) into an OpenAPI one (/api/v1/units/{id}).
var fiberParam = regexp.MustCompile(`:([A-Za-z0-9_]+)\??`)

func openAPIPath(fiberPath string) string { return fiberParam.ReplaceAllString(fiberPath, "{$1}") }

// documentedOperations returns "METHOD /path" for every operation in the document.
func documentedOperations(doc openAPIDocument) map[string]json.RawMessage {
	ops := map[string]json.RawMessage{}
	for p, item := range doc.Paths {
		for m, raw := range item {
			if slices.Contains(openAPIMethods, m) {
				ops[strings.ToUpper(m)+" "+p] = raw
			}
		}
	}
	return ops
}

func TestOpenAPIDocumentIsOpenAPI3WithInfoPathsAndSchemas(t *testing.T) {
	t.Parallel()
	doc := parseOpenAPI(t, openAPIDoc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi = %q, want 3.x", doc.OpenAPI)
	}
	if doc.Info.Title == "" || doc.Info.Version == "" {
		t.Errorf("info = %+v, want title and version", doc.Info)
	}
	if len(doc.Paths) == 0 {
		t.Fatal("document has no paths")
	}
	for p := range doc.Paths {
		if !strings.HasPrefix(p, "/api/v1/") {
			t.Errorf("path %s is not under /api/v1", p)
		}
		if strings.Contains(p, ":") {
			t.Errorf("path %s uses Fiber's :param syntax; OpenAPI writes {param}", p)
		}
	}
	for _, name := range []string{"User", "Unit", "Category", "CategoryImport", "Error"} {
		if _, ok := doc.Components.Schemas[name]; !ok {
			t.Errorf("components/schemas has no %s", name)
		}
	}
	var errSchema struct {
		Properties struct {
			Error struct {
				Required []string `json:"required"`
			} `json:"error"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(doc.Components.Schemas["Error"], &errSchema); err != nil ||
		!slices.Contains(errSchema.Properties.Error.Required, "code") || !slices.Contains(errSchema.Properties.Error.Required, "message") {
		t.Errorf("Error schema is not {\"error\":{\"code\",\"message\"}}: %s", doc.Components.Schemas["Error"])
	}
	bearer, cookie, csrf := doc.Components.SecuritySchemes["bearerAuth"], doc.Components.SecuritySchemes["cookieAuth"], doc.Components.SecuritySchemes["csrfToken"]
	if bearer.Type != "http" || bearer.Scheme != "bearer" {
		t.Errorf("bearerAuth = %+v", bearer)
	}
	if cookie.Type != "apiKey" || cookie.In != "cookie" || cookie.Name != sessionCookie {
		t.Errorf("cookieAuth = %+v, want apiKey in cookie %s", cookie, sessionCookie)
	}
	if csrf.Type != "apiKey" || csrf.In != "header" || csrf.Name != csrfHeader {
		t.Errorf("csrfToken = %+v, want apiKey in header %s", csrf, csrfHeader)
	}
	checkRefs(t, doc, openAPIDoc)
}

// checkRefs fails for every local $ref that points nowhere.
func checkRefs(t *testing.T, doc openAPIDocument, data []byte) {
	t.Helper()
	var tree any
	if err := json.Unmarshal(data, &tree); err != nil {
		t.Fatal(err)
	}
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				if !resolves(tree, ref) {
					t.Errorf("%s: $ref %s does not resolve", at, ref)
				}
			}
			for k, c := range x {
				walk(c, at+"/"+k)
			}
		case []any:
			for _, c := range x {
				walk(c, at+"/[]")
			}
		}
	}
	walk(tree, "#")
}

func resolves(tree any, ref string) bool {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return false
	}
	cur := tree
	for _, part := range strings.Split(rest, "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[part]; !ok {
			return false
		}
	}
	return true
}

// TestOpenAPIDescribesEveryRoute compares the document with the routes the server really has,
// both ways, and checks that each operation says who may call it and what errors it gives.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	doc := parseOpenAPI(t, openAPIDoc)
	documented := documentedOperations(doc)

	served := map[string]bool{}
	for _, r := range f.srv.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Method == fiber.MethodHead {
			continue // the web UI, the catch-all /api/* and Fiber's automatic HEAD routes
		}
		key := r.Method + " " + openAPIPath(r.Path)
		served[key] = true
		if _, ok := documented[key]; !ok {
			t.Errorf("route %s %s is not described in handlers/openapi.json (want paths[%q][%q])",
				r.Method, r.Path, openAPIPath(r.Path), strings.ToLower(r.Method))
		}
	}
	if len(served) < len((&server{}).routes()) {
		t.Fatalf("the server has %d API routes, the route table %d", len(served), len((&server{}).routes()))
	}
	for key := range documented {
		if !served[key] {
			t.Errorf("handlers/openapi.json describes %s, which the server does not have", key)
		}
	}

	// What the route table says about access must show in the document.
	for _, r := range (&server{}).routes() {
		key := r.method + " " + openAPIPath("/api/v1"+r.path)
		raw, ok := documented[key]
		if !ok {
			continue // reported above
		}
		var op openAPIOperation
		if err := json.Unmarshal(raw, &op); err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		if op.Summary == "" || !containsHan(op.Summary) {
			t.Errorf("%s: summary %q should be in Chinese", key, op.Summary)
		}
		if op.Security == nil {
			t.Errorf("%s: no security requirement (want [] for public routes)", key)
			continue
		}
		public := r.roles == nil
		if public && len(*op.Security) != 0 {
			t.Errorf("%s is public but the document demands %v", key, *op.Security)
		}
		if !public {
			schemes := map[string]bool{}
			for _, req := range *op.Security {
				for name := range req {
					schemes[name] = true
				}
				if !safeMethod(r.method) && req["cookieAuth"] != nil && req["csrfToken"] == nil {
					t.Errorf("%s changes state but its cookie requirement lacks csrfToken", key)
				}
			}
			if !schemes["bearerAuth"] || !schemes["cookieAuth"] {
				t.Errorf("%s: security %v, want bearerAuth or cookieAuth", key, *op.Security)
			}
			if _, ok := op.Responses["401"]; !ok {
				t.Errorf("%s needs a signed-in caller but documents no 401", key)
			}
		}
		restricted := r.roles != nil && len(r.roles) < len(models.Roles)
		if _, ok := op.Responses["403"]; !ok && (restricted || (!public && !safeMethod(r.method))) {
			t.Errorf("%s can answer 403 (role or CSRF) but documents no 403", key)
		}
		if strings.Contains(r.path, ":id") {
			if _, ok := op.Responses["404"]; !ok {
				t.Errorf("%s takes an id but documents no 404", key)
			}
			if len(op.Parameters) == 0 {
				t.Errorf("%s takes an id but declares no parameter", key)
			}
		}
		if (r.method == "POST" || r.method == "PATCH") && r.path != "/logout" && op.Body == nil {
			t.Errorf("%s takes a body but documents no requestBody", key)
		}
		hasSuccess := false
		for status := range op.Responses {
			hasSuccess = hasSuccess || strings.HasPrefix(status, "2")
		}
		if !hasSuccess {
			t.Errorf("%s documents no 2xx response", key)
		}
	}
	if t.Failed() {
		keys := make([]string, 0, len(served))
		for k := range served {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		t.Logf("routes served:\n%s", strings.Join(keys, "\n"))
	}
}

func containsHan(s string) bool {
	for _, r := range s {
		if r >= 0x4E00 && r <= 0x9FFF {
			return true
		}
	}
	return false
}

func TestOpenAPIIsServedAnonymously(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	resp, body := f.do(request{method: "GET", path: "/api/v1/openapi.json"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json: %d %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	if !bytes.Equal(body, openAPIDoc) {
		t.Errorf("served document differs from the embedded handlers/openapi.json (%d vs %d bytes)", len(body), len(openAPIDoc))
	}
	if doc := parseOpenAPI(t, body); !strings.HasPrefix(doc.OpenAPI, "3.") || len(doc.Paths) == 0 {
		t.Errorf("served document: openapi %q with %d paths", doc.OpenAPI, len(doc.Paths))
	}
}

// TestOpenAPIPathConversion pins the :param → {param} rule the comparison relies on.
func TestOpenAPIPathConversion(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/api/v1/units/:id":             "/api/v1/units/{id}",
		"/api/v1/units":                 "/api/v1/units",
		"/api/v1/units/:unit/assets/:n": "/api/v1/units/{unit}/assets/{n}",
		"/api/v1/files/:name?":          "/api/v1/files/{name}",
	} {
		if got := openAPIPath(in); got != want {
			t.Errorf("openAPIPath(%q) = %q, want %q", in, got, want)
		}
	}
}
