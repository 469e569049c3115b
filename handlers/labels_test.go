package handlers

import (
	"net/http"
	"strings"
	"testing"

	"assetpool/app"
	"assetpool/models"
)

func TestLabelSheet(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a1 := insertCard(t, f, f.unitA.ID, "BQ-001", models.UsageInUse)
	a2 := insertAsset(t, f, f.unitA.ID, "BQ-002", "A02010105")
	b1 := insertCard(t, f, f.unitB.ID, "BQ-B01", models.UsageInUse)
	path := "/api/v1/labels.html?ids=" + itoa(a1) + "," + itoa(a2)

	resp, body := f.do(request{method: "GET", path: path, as: "clerkA"})
	page := string(body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("labels: %d %q %.300s", resp.StatusCode, resp.Header.Get("Content-Type"), page)
	}
	for _, want := range []string{"经济发展局", "BQ-001", "BQ-002", "办公椅", "台式计算机", "网布转椅", "打印标签", `href="/labels.css"`} {
		if !strings.Contains(page, want) {
			t.Errorf("sheet lacks %q", want)
		}
	}
	if n := strings.Count(page, "<svg "); n != 2 {
		t.Errorf("%d QR codes, want one per label (2)", n)
	}
	// Each QR code leads to its card at the address the browser used (httptest's example.com).
	for _, id := range []uint{a1, a2} {
		svg, err := app.QRCodeSVG(app.CardURL("http://example.com", id))
		if err != nil || !strings.Contains(page, svg) {
			t.Errorf("no QR code for %s (%v)", app.CardURL("http://example.com", id), err)
		}
	}

	// Scoped: clerk A asking for unit B's card gets a sheet without it, saying so.
	resp, body = f.do(request{method: "GET", path: "/api/v1/labels.html?ids=" + itoa(b1), as: "clerkA"})
	if page := string(body); resp.StatusCode != http.StatusOK || strings.Contains(page, "BQ-B01") || strings.Contains(page, "<svg") ||
		!strings.Contains(page, "没有可打印的标签") {
		t.Errorf("another unit's card: %d %s", resp.StatusCode, page)
	}
	// Mixed: only the own unit's labels.
	_, body = f.do(request{method: "GET", path: path + "," + itoa(b1), as: "clerkA"})
	if page := string(body); strings.Count(page, "<svg ") != 2 || strings.Contains(page, "BQ-B01") {
		t.Errorf("mixed selection: %d labels", strings.Count(page, "<svg "))
	}
	// Finance prints any unit's; the register's filter works as well as ids.
	_, body = f.do(request{method: "GET", path: "/api/v1/labels.html?unit=UB", as: "finance"})
	if page := string(body); strings.Count(page, "<svg ") != 1 || !strings.Contains(page, "BQ-B01") || !strings.Contains(page, "兴仁街道") {
		t.Errorf("finance, unit B: %d labels", strings.Count(page, "<svg "))
	}

	// What cannot be printed is explained on a page, with the error's status.
	for _, c := range []struct {
		query string
		want  int
		msg   string
	}{
		{"", http.StatusBadRequest, "请先在资产台账中勾选"},
		{"?ids=1,abc", http.StatusBadRequest, "abc"},
		{"?unit=UB", http.StatusForbidden, "本单位"},
	} {
		resp, body := f.do(request{method: "GET", path: "/api/v1/labels.html" + c.query, as: "clerkA"})
		if resp.StatusCode != c.want || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(body), c.msg) {
			t.Errorf("labels.html%s: %d %q %s, want %d saying %q", c.query, resp.StatusCode, resp.Header.Get("Content-Type"), body, c.want, c.msg)
		}
	}
}

func TestLabelSheetAssetsAreServed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for path, ctype := range map[string]string{"/labels.css": "text/css", "/js/labels-print.js": "javascript"} {
		resp, body := f.do(request{method: "GET", path: path})
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), ctype) || len(body) == 0 {
			t.Errorf("GET %s: %d %q", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	resp, body := f.do(request{method: "GET", path: "/labels.css"})
	if css := string(body); resp.StatusCode == http.StatusOK && (!strings.Contains(css, "size: A4") || !strings.Contains(css, "70mm") || !strings.Contains(css, "37mm")) {
		t.Error("labels.css does not lay out A4 sheets of 70×37 mm labels")
	}
}
