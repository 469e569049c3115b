package app

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strconv"
	"strings"
	"testing"

	"assetpool/models"
)

// photoPNG encodes a w×h PNG filled with c.
func photoPNG(t *testing.T, w, h int, c color.Color) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// photoJPEG encodes a w×h JPEG filled with c.
func photoJPEG(t *testing.T, w, h int, c color.Color) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// photoPNGHeader is the start of a PNG that claims w×h pixels: a valid signature and IHDR
// chunk with its checksum, which is all image.DecodeConfig reads.
func photoPNGHeader(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

type photoFixture struct {
	a              *App
	unitA, unitB   *models.Unit
	clerkA, clerkB *models.User
	finance        *models.User
}

func newPhotoFixture(t *testing.T) *photoFixture {
	t.Helper()
	a, _ := openTest(t)
	ctx := context.Background()
	fx := &photoFixture{a: a, unitA: &models.Unit{Code: "UA", Name: "经济发展局"}, unitB: &models.Unit{Code: "UB", Name: "兴仁街道"}}
	for _, u := range []*models.Unit{fx.unitA, fx.unitB} {
		if err := a.CreateUnit(ctx, nil, u); err != nil {
			t.Fatal(err)
		}
	}
	fx.clerkA = addUser(t, a, "clerka", models.RoleClerk, &fx.unitA.ID)
	fx.clerkB = addUser(t, a, "clerkb", models.RoleClerk, &fx.unitB.ID)
	fx.finance = addUser(t, a, "fin", models.RoleFinance, nil)
	return fx
}

// card creates a card of unit A with the given usage status.
func (fx *photoFixture) card(t *testing.T, no string, status models.UsageStatus) uint {
	t.Helper()
	acq, _ := models.ParseDate("2021-05-01")
	c, err := fx.a.CreateAsset(context.Background(), nil, fx.unitA.ID, models.Asset{AssetNo: no, Name: "办公椅", Model: "人体工学 T1",
		CategoryCode: "A05010301", Quantity: 1, OriginalValue: 80000, AcquiredOn: acq, UsageStatus: status, Condition: models.ConditionUsable})
	if err != nil {
		t.Fatalf("create card: %v", err)
	}
	return c.ID
}

func wantCode(t *testing.T, what string, err error, code string, msg ...string) {
	t.Helper()
	if models.ErrorCode(err) != code {
		t.Fatalf("%s: error %v, want code %s", what, err, code)
	}
	for _, m := range msg {
		if !strings.Contains(models.ErrorMessage(err), m) {
			t.Errorf("%s: message %q does not say %q", what, models.ErrorMessage(err), m)
		}
	}
}

func TestPhotoAddViewListDelete(t *testing.T) {
	fx := newPhotoFixture(t)
	a, ctx := fx.a, context.Background()
	id := fx.card(t, "JF-001", models.UsageInUse)
	pngData := photoPNG(t, 40, 30, color.RGBA{200, 30, 30, 255})
	jpgData := photoJPEG(t, 64, 48, color.RGBA{30, 30, 200, 255})

	p1, err := a.AddPhoto(ctx, fx.clerkA, id, pngData)
	if err != nil {
		t.Fatalf("add PNG: %v", err)
	}
	p2, err := a.AddPhoto(ctx, fx.clerkA, id, jpgData)
	if err != nil {
		t.Fatalf("add JPEG: %v", err)
	}
	if p1.URL != "/api/v1/assets/"+itoaTest(id)+"/photos/"+itoaTest(p1.ID) || p2.ID <= p1.ID {
		t.Errorf("refs %+v %+v", p1, p2)
	}
	for _, c := range []struct {
		ref  *PhotoRef
		ct   string
		data []byte
	}{{p1, "image/png", pngData}, {p2, "image/jpeg", jpgData}} {
		ct, data, err := a.Photo(ctx, fx.finance, id, c.ref.ID)
		if err != nil || ct != c.ct || !bytes.Equal(data, c.data) {
			t.Errorf("photo %d: %q, %d bytes, %v; want %s, %d bytes", c.ref.ID, ct, len(data), err, c.ct, len(c.data))
		}
	}
	var stored models.AssetPhoto
	a.read.First(&stored, p2.ID)
	if stored.Width != 64 || stored.Height != 48 || stored.Size != int64(len(jpgData)) || len(stored.SHA256) != 64 || stored.CreatedByID == nil || *stored.CreatedByID != fx.clerkA.ID {
		t.Errorf("stored photo %+v", stored)
	}

	card, err := a.Asset(ctx, fx.clerkA, id, models.Date{})
	if err != nil || len(card.Photos) != 2 || card.Photos[0] != *p1 || card.Photos[1] != *p2 {
		t.Fatalf("card photos %+v, %v", card.Photos, err)
	}

	if err := a.DeletePhoto(ctx, fx.clerkA, id, p1.ID); err != nil {
		t.Fatalf("delete: %v", err)
	}
	_, _, err = a.Photo(ctx, fx.clerkA, id, p1.ID)
	wantCode(t, "deleted photo", err, models.ENotFound)
	wantCode(t, "delete again", a.DeletePhoto(ctx, fx.clerkA, id, p1.ID), models.ENotFound)
	card, _ = a.Asset(ctx, fx.clerkA, id, models.Date{})
	if len(card.Photos) != 1 || card.Photos[0] != *p2 {
		t.Errorf("after delete: %+v", card.Photos)
	}

	evs, err := a.ListAudit(ctx, AuditFilter{Entity: "asset", EntityID: itoaTest(id)})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Action)
		if strings.HasPrefix(e.Action, "asset.photo_") && (e.Actor != "clerka" || e.UnitID == nil || *e.UnitID != fx.unitA.ID) {
			t.Errorf("audit %+v", e)
		}
		if strings.Contains(e.After+e.Before, `"data"`) {
			t.Errorf("audit event carries the image: %.200s", e.After+e.Before)
		}
	}
	if got := strings.Join(actions, " "); !strings.Contains(got, "asset.photo_delete asset.photo_add asset.photo_add") {
		t.Errorf("audit actions %q", got)
	}
}

func TestPhotoRefusesWhatIsNotAPhoto(t *testing.T) {
	fx := newPhotoFixture(t)
	a, ctx := fx.a, context.Background()
	id := fx.card(t, "JF-002", models.UsageInUse)
	var gifData bytes.Buffer
	if err := gif.Encode(&gifData, image.NewPaletted(image.Rect(0, 0, 8, 8), []color.Color{color.Black, color.White}), nil); err != nil {
		t.Fatal(err)
	}
	big := append(photoPNG(t, 4, 4, color.White), make([]byte, 5<<20)...)
	for _, c := range []struct {
		what string
		data []byte
		code string
		msg  []string
	}{
		{"empty file", nil, models.EInvalid, []string{"空文件"}},
		{"text file", []byte("这不是照片，只是一个改成 .jpg 的文本文件\n"), models.EInvalid, []string{"JPEG", "PNG"}},
		{"GIF", gifData.Bytes(), models.EInvalid, []string{"GIF"}},
		{"truncated JPEG", photoJPEG(t, 8, 8, color.White)[:4], models.EInvalid, []string{"JPEG"}},
		{"oversize", big, models.ETooLarge, []string{"5 MB"}},
		{"decompression bomb", photoPNGHeader(20000, 20000), models.EInvalid, []string{"20000×20000"}},
		{"too many pixels", photoPNGHeader(10000, 9000), models.EInvalid, []string{"过大"}},
	} {
		_, err := a.AddPhoto(ctx, fx.clerkA, id, c.data)
		wantCode(t, c.what, err, c.code, c.msg...)
	}
	// A large but reasonable header passes the size check (the photo itself is tiny here).
	if _, _, _, err := a.checkPhoto(photoPNGHeader(8000, 6000)); err != nil {
		t.Errorf("8000×6000 refused: %v", err)
	}
	var n int64
	a.read.Model(&models.AssetPhoto{}).Count(&n)
	if n != 0 {
		t.Errorf("%d photos stored from refused uploads", n)
	}
}

func TestPhotoLimitAndDuplicates(t *testing.T) {
	fx := newPhotoFixture(t)
	a, ctx := fx.a, context.Background()
	id := fx.card(t, "JF-003", models.UsageInUse)
	first := photoPNG(t, 10, 10, color.RGBA{0, 0, 0, 255})
	if _, err := a.AddPhoto(ctx, fx.clerkA, id, first); err != nil {
		t.Fatal(err)
	}
	_, err := a.AddPhoto(ctx, fx.clerkA, id, first)
	wantCode(t, "same photo twice", err, models.EConflict, "已经上传过")
	for i := 1; i < models.MaxPhotosPerAsset; i++ {
		if _, err := a.AddPhoto(ctx, fx.clerkA, id, photoPNG(t, 10, 10, color.RGBA{uint8(40 * i), 0, 0, 255})); err != nil {
			t.Fatalf("photo %d: %v", i+1, err)
		}
	}
	_, err = a.AddPhoto(ctx, fx.clerkA, id, photoPNG(t, 10, 10, color.RGBA{0, 250, 0, 255}))
	wantCode(t, "sixth photo", err, models.EConflict, "最多 5 张")
	refs, _ := a.photoRefs(ctx, []uint{id})
	if len(refs[id]) != models.MaxPhotosPerAsset {
		t.Errorf("%d photos, want %d", len(refs[id]), models.MaxPhotosPerAsset)
	}
}

func TestPhotoAccess(t *testing.T) {
	fx := newPhotoFixture(t)
	a, ctx := fx.a, context.Background()
	inUse := fx.card(t, "JF-010", models.UsageInUse)
	idle := fx.card(t, "JF-011", models.UsageIdle)
	data := photoPNG(t, 12, 12, color.White)
	pInUse, err := a.AddPhoto(ctx, fx.clerkA, inUse, data)
	if err != nil {
		t.Fatal(err)
	}
	pIdle, err := a.AddPhoto(ctx, fx.clerkA, idle, data)
	if err != nil {
		t.Fatal(err)
	}

	_, err = a.AddPhoto(ctx, fx.clerkB, inUse, photoPNG(t, 5, 5, color.Black))
	wantCode(t, "other unit's clerk adds", err, models.ENotFound)
	_, err = a.AddPhoto(ctx, fx.finance, inUse, photoPNG(t, 5, 5, color.Black))
	wantCode(t, "finance adds", err, models.EForbidden)
	wantCode(t, "other unit's clerk deletes", a.DeletePhoto(ctx, fx.clerkB, inUse, pInUse.ID), models.ENotFound)
	wantCode(t, "finance deletes", a.DeletePhoto(ctx, fx.finance, inUse, pInUse.ID), models.EForbidden)

	_, _, err = a.Photo(ctx, fx.clerkB, inUse, pInUse.ID)
	wantCode(t, "other unit's clerk views a card outside the pool", err, models.ENotFound)
	if _, _, err := a.Photo(ctx, fx.clerkB, idle, pIdle.ID); err != nil {
		t.Errorf("other unit's clerk views a pool item's photo: %v", err)
	}
	// A photo is reached only through its own card.
	_, _, err = a.Photo(ctx, fx.clerkB, idle, pInUse.ID)
	wantCode(t, "photo of another card through a pool card", err, models.ENotFound)
	_, _, err = a.Photo(ctx, fx.clerkA, 99999, pInUse.ID)
	wantCode(t, "missing card", err, models.ENotFound)

	pool, err := a.ListPool(ctx, fx.clerkB, AssetFilter{})
	if err != nil || len(pool.Items) != 1 || len(pool.Items[0].Photos) != 1 || pool.Items[0].Photos[0] != *pIdle {
		t.Fatalf("pool %+v, %v", pool, err)
	}
}

func TestPhotosGoWithTheirCard(t *testing.T) {
	fx := newPhotoFixture(t)
	a, ctx := fx.a, context.Background()
	id := fx.card(t, "JF-020", models.UsageInUse)
	if _, err := a.AddPhoto(ctx, fx.clerkA, id, photoPNG(t, 5, 5, color.White)); err != nil {
		t.Fatal(err)
	}
	if err := a.db.Exec("DELETE FROM assets WHERE id = ?", id).Error; err != nil {
		t.Fatalf("delete card: %v", err)
	}
	var n int64
	a.read.Model(&models.AssetPhoto{}).Count(&n)
	if n != 0 {
		t.Errorf("%d photos left after their card was deleted", n)
	}
}

func itoaTest(id uint) string { return strconv.FormatUint(uint64(id), 10) }
