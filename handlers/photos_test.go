package handlers

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"assetpool/app"
	"assetpool/models"
)

// testImage is a w×h image filled with c.
func testImage(w, h int, c color.Color) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	return img
}

func pngPhoto(t *testing.T, c color.Color) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, testImage(24, 16, c)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jpegPhoto(t *testing.T, c color.Color) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testImage(32, 24, c), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// insertCard creates a card of unit with the given usage status (in use is not in the pool).
func insertCard(t *testing.T, f *fixture, unitID uint, assetNo string, status models.UsageStatus) uint {
	t.Helper()
	acq, _ := models.ParseDate("2021-09-01")
	c, err := f.app.CreateAsset(context.Background(), nil, unitID, models.Asset{AssetNo: assetNo, Name: "办公椅", Model: "网布转椅",
		CategoryCode: scratchCategory(f), Quantity: 1, OriginalValue: 60000, AcquiredOn: acq, UsageStatus: status, Condition: models.ConditionUsable})
	if err != nil {
		t.Fatalf("insert card: %v", err)
	}
	return c.ID
}

// seedPhoto creates a card of unit A (in use, so not in the pool) with one photo added by
// clerk A, for routes that act on a photo.
func seedPhoto(t *testing.T, f *fixture) (assetID uint, ref *app.PhotoRef) {
	t.Helper()
	id := insertCard(t, f, f.unitA.ID, "PH-"+strconv.FormatInt(scratchSeq.Add(1), 10), models.UsageInUse)
	ref, err := f.app.AddPhoto(context.Background(), f.users["clerkA"], id, pngPhoto(t, color.RGBA{10, 120, 60, 255}))
	if err != nil {
		t.Fatalf("seed photo: %v", err)
	}
	return id, ref
}

// uploadPhoto posts data as the multipart field "file" named filename.
func uploadPhoto(f *fixture, as string, assetID uint, filename string, data []byte) (*http.Response, []byte) {
	f.t.Helper()
	body, ctype := multipartFile(f.t, "file", filename, data)
	return f.do(request{method: "POST", path: "/api/v1/assets/" + itoa(assetID) + "/photos", as: as, body: body, contentType: ctype})
}

func photoPath(assetID, photoID uint) string {
	return "/api/v1/assets/" + itoa(assetID) + "/photos/" + itoa(photoID)
}

func TestPhotoUploadViewAndDelete(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := insertCard(t, f, f.unitA.ID, "YZ-001", models.UsageInUse)
	pngData, jpgData := pngPhoto(t, color.RGBA{200, 0, 0, 255}), jpegPhoto(t, color.RGBA{0, 0, 200, 255})

	// The file's name says nothing: a PNG named .jpg is stored and served as a PNG.
	resp, body := uploadPhoto(f, "clerkA", id, "椅子.jpg", pngData)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload PNG: %d %s", resp.StatusCode, body)
	}
	p1 := decode[app.PhotoRef](t, body)
	resp, body = uploadPhoto(f, "clerkA", id, "IMG_0001.JPG", jpgData)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload JPEG: %d %s", resp.StatusCode, body)
	}
	p2 := decode[app.PhotoRef](t, body)
	if p1.URL != photoPath(id, p1.ID) || p2.URL != photoPath(id, p2.ID) {
		t.Errorf("photo URLs %q %q", p1.URL, p2.URL)
	}

	for _, c := range []struct {
		ref  app.PhotoRef
		ct   string
		data []byte
	}{{p1, "image/png", pngData}, {p2, "image/jpeg", jpgData}} {
		for _, who := range []string{"clerkA", "finance", "admin"} {
			resp, body := f.do(request{method: "GET", path: c.ref.URL, as: who})
			if resp.StatusCode != http.StatusOK || !bytes.Equal(body, c.data) {
				t.Fatalf("GET %s as %s: %d, %d bytes, want %d", c.ref.URL, who, resp.StatusCode, len(body), len(c.data))
			}
			h := resp.Header
			if h.Get("Content-Type") != c.ct || h.Get("Cache-Control") != "private, max-age=3600" ||
				!strings.HasPrefix(h.Get("Content-Disposition"), "inline") || h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("GET %s headers: %v", c.ref.URL, h)
			}
		}
	}

	resp, body = f.do(request{method: "GET", path: "/api/v1/assets/" + itoa(id), as: "clerkA"})
	card := decode[app.AssetCard](t, body)
	if resp.StatusCode != http.StatusOK || len(card.Photos) != 2 || card.Photos[0] != p1 || card.Photos[1] != p2 {
		t.Fatalf("card photos: %d %+v", resp.StatusCode, card.Photos)
	}

	resp, body = f.do(request{method: "DELETE", path: p1.URL, as: "clerkA"})
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.do(request{method: "GET", path: p1.URL, as: "clerkA"}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("deleted photo: %d, want 404", resp.StatusCode)
	}
	_, body = f.do(request{method: "GET", path: "/api/v1/assets/" + itoa(id), as: "clerkA"})
	if card := decode[app.AssetCard](t, body); len(card.Photos) != 1 || card.Photos[0] != p2 {
		t.Errorf("card after delete: %+v", card.Photos)
	}
	// The same photo id under another card is not found.
	other := insertCard(t, f, f.unitA.ID, "YZ-002", models.UsageInUse)
	if resp, _ := f.do(request{method: "GET", path: photoPath(other, p2.ID), as: "clerkA"}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("photo through another card: %d, want 404", resp.StatusCode)
	}
}

func TestPhotoUploadRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := insertCard(t, f, f.unitA.ID, "YZ-010", models.UsageInUse)
	var gifData bytes.Buffer
	if err := gif.Encode(&gifData, testImage(8, 8, color.Black), nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what, name string
		data       []byte
		status     int
		msg        string
	}{
		{"a text file named .jpg", "照片.jpg", []byte("资产编号,名称\nJF-1,办公椅\n"), http.StatusBadRequest, "JPEG 或 PNG"},
		{"a GIF", "动图.gif", gifData.Bytes(), http.StatusBadRequest, "GIF"},
		{"an oversize photo", "大图.png", append(pngPhoto(t, color.White), make([]byte, 5<<20)...), http.StatusRequestEntityTooLarge, "5 MB"},
	} {
		resp, body := uploadPhoto(f, "clerkA", id, c.name, c.data)
		if resp.StatusCode != c.status || !strings.Contains(string(body), c.msg) {
			t.Errorf("%s: %d %s, want %d saying %q", c.what, resp.StatusCode, body, c.status, c.msg)
		}
	}
	resp, body := f.do(request{method: "POST", path: "/api/v1/assets/" + itoa(id) + "/photos", as: "clerkA", body: []byte("{}"), contentType: "application/json"})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "请选择") {
		t.Errorf("no file: %d %s", resp.StatusCode, body)
	}

	for i := range models.MaxPhotosPerAsset {
		if resp, body := uploadPhoto(f, "clerkA", id, "p.png", pngPhoto(t, color.RGBA{uint8(30 * i), 50, 50, 255})); resp.StatusCode != http.StatusCreated {
			t.Fatalf("photo %d: %d %s", i+1, resp.StatusCode, body)
		}
	}
	resp, body = uploadPhoto(f, "clerkA", id, "p.png", pngPhoto(t, color.RGBA{250, 250, 0, 255}))
	if resp.StatusCode != http.StatusConflict || !strings.Contains(string(body), "最多 5 张") {
		t.Errorf("sixth photo: %d %s, want 409 saying 最多 5 张", resp.StatusCode, body)
	}
}

func TestPhotoAccessAcrossUnits(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	inUse := insertCard(t, f, f.unitA.ID, "YZ-020", models.UsageInUse)
	pooled := insertAsset(t, f, f.unitA.ID, "YZ-021", "A02010105") // idle and usable: in the pool
	var refs []app.PhotoRef
	for i, id := range []uint{inUse, pooled} {
		resp, body := uploadPhoto(f, "clerkA", id, "p.png", pngPhoto(t, color.RGBA{uint8(90 * i), 90, 0, 255}))
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("upload: %d %s", resp.StatusCode, body)
		}
		refs = append(refs, decode[app.PhotoRef](t, body))
	}

	for _, c := range []struct {
		what, method, path, as string
		want                   int
	}{
		{"clerk B uploads to unit A's card", "POST", "", "clerkB", http.StatusNotFound},
		{"finance uploads", "POST", "", "finance", http.StatusForbidden},
		{"clerk B deletes unit A's photo", "DELETE", refs[0].URL, "clerkB", http.StatusNotFound},
		{"admin deletes", "DELETE", refs[0].URL, "admin", http.StatusForbidden},
		{"clerk B views a photo of a card outside the pool", "GET", refs[0].URL, "clerkB", http.StatusNotFound},
		{"clerk B views a photo of a pool item", "GET", refs[1].URL, "clerkB", http.StatusOK},
		{"finance views", "GET", refs[0].URL, "finance", http.StatusOK},
		{"anonymous views a pool item's photo", "GET", refs[1].URL, "", http.StatusUnauthorized},
	} {
		var resp *http.Response
		var body []byte
		if c.method == "POST" {
			resp, body = uploadPhoto(f, c.as, inUse, "p.png", pngPhoto(t, color.Black))
		} else {
			resp, body = f.do(request{method: c.method, path: c.path, as: c.as})
		}
		if resp.StatusCode != c.want {
			t.Errorf("%s: %d %s, want %d", c.what, resp.StatusCode, body, c.want)
		}
	}

	// The pool lists the photos of its items to every unit.
	resp, body := f.do(request{method: "GET", path: "/api/v1/pool", as: "clerkB"})
	pool := decode[struct {
		Items []app.PoolItem `json:"items"`
	}](t, body)
	if resp.StatusCode != http.StatusOK || len(pool.Items) != 1 || pool.Items[0].ID != pooled ||
		len(pool.Items[0].Photos) != 1 || pool.Items[0].Photos[0] != refs[1] {
		t.Fatalf("pool as clerk B: %d %s", resp.StatusCode, body)
	}
	resp, body = f.do(request{method: "GET", path: "/api/v1/pool/" + itoa(pooled), as: "clerkB"})
	if it := decode[app.PoolItem](t, body); resp.StatusCode != http.StatusOK || len(it.Photos) != 1 || it.Photos[0] != refs[1] {
		t.Errorf("pool item as clerk B: %d %s", resp.StatusCode, body)
	}
	// Once the item leaves the pool, its photo is the owning unit's again.
	card := decode[app.AssetCard](t, mustGet(t, f, "/api/v1/assets/"+itoa(pooled), "clerkA"))
	resp, body = f.do(request{method: "PATCH", path: "/api/v1/assets/" + itoa(pooled), as: "clerkA",
		body: map[string]any{"version": card.Version, "usage_status": "in_use"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("take back into use: %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.do(request{method: "GET", path: refs[1].URL, as: "clerkB"}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("photo of an item taken out of the pool, as clerk B: %d, want 404", resp.StatusCode)
	}
}

// mustGet sends a GET as who and returns the body of a 200 answer.
func mustGet(t *testing.T, f *fixture, path, who string) []byte {
	t.Helper()
	resp, body := f.do(request{method: "GET", path: path, as: who})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s as %s: %d %s", path, who, resp.StatusCode, body)
	}
	return body
}
