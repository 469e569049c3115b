package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"slices"
	"strings"

	"gorm.io/gorm"

	"assetpool/models"
)

// demoPhotoCount is how many pool items of the demo carry a photo: enough for the pool page to
// show what photos do, few enough to keep the demo small.
const demoPhotoCount = 12

// demoPhotos gives the items most recently put in the pool — those the pool page shows first —
// a drawn picture of what they are (a chair, a cabinet, a screen), stored like an uploaded photo.
func (a *App) demoPhotos(tx *gorm.DB, assets []models.Asset) error {
	var pool []*models.Asset
	for i := range assets {
		if assets[i].InPool(false) {
			pool = append(pool, &assets[i])
		}
	}
	slices.SortStableFunc(pool, func(x, y *models.Asset) int { return y.IdleSince.Time().Compare(x.IdleSince.Time()) })
	for _, as := range pool[:min(len(pool), demoPhotoCount)] {
		data, w, h, err := demoPicture(as.CategoryCode)
		if err != nil {
			return internal(err, "draw demo photo")
		}
		sum := sha256.Sum256(data)
		p := models.AssetPhoto{AssetID: as.ID, ContentType: "image/png", Size: int64(len(data)),
			SHA256: hex.EncodeToString(sum[:]), Width: w, Height: h, CreatedAt: a.now(), Data: data}
		if err := tx.Create(&p).Error; err != nil {
			return internal(err, fmt.Sprintf("store demo photo of %s", as.AssetNo))
		}
	}
	return nil
}

// demoPicture draws a 320×240 picture for a category: furniture to sit on, furniture to keep
// things in, things with a screen, or a plain box.
func demoPicture(category string) ([]byte, int, int, error) {
	const w, h = 320, 240
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.RGBA{236, 239, 243, 255}}, image.Point{}, draw.Src)
	floor := image.Rect(0, 190, w, h)
	draw.Draw(img, floor, &image.Uniform{color.RGBA{214, 219, 226, 255}}, image.Point{}, draw.Src)
	body := &image.Uniform{color.RGBA{62, 86, 120, 255}}
	dark := &image.Uniform{color.RGBA{40, 48, 60, 255}}
	fill := func(u *image.Uniform, x0, y0, x1, y1 int) {
		draw.Draw(img, image.Rect(x0, y0, x1, y1), u, image.Point{}, draw.Src)
	}
	switch {
	case strings.HasPrefix(category, "A050103"): // chairs
		fill(body, 120, 60, 200, 130)  // back
		fill(body, 110, 130, 210, 145) // seat
		fill(dark, 155, 145, 165, 185) // column
		fill(dark, 115, 185, 205, 192) // base
	case strings.HasPrefix(category, "A0501"): // cabinets and desks
		fill(body, 110, 40, 210, 192)
		for y := 70; y < 190; y += 40 {
			fill(dark, 110, y, 210, y+3)
			fill(dark, 150, y-20, 170, y-15) // handle
		}
	case strings.HasPrefix(category, "A0201") || strings.HasPrefix(category, "A0209"): // screens
		fill(dark, 70, 45, 250, 155)
		fill(&image.Uniform{color.RGBA{120, 160, 205, 255}}, 78, 53, 242, 147)
		fill(dark, 150, 155, 170, 180)
		fill(dark, 120, 180, 200, 188)
	default:
		fill(body, 90, 90, 230, 188)
		fill(dark, 90, 90, 230, 100)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, 0, 0, err
	}
	return buf.Bytes(), w, h, nil
}
