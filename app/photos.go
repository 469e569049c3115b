package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // registers the JPEG header reader for image.DecodeConfig
	_ "image/png"  // registers the PNG header reader for image.DecodeConfig

	"gorm.io/gorm"

	"assetpool/models"
)

// Photo dimensions above these are refused before anything decodes the pixels: a small file
// can declare a huge image (a decompression bomb), and a browser showing the pool would try
// to allocate it. Phone cameras stay well below (a 48-megapixel phone writes 8000×6000).
const (
	maxPhotoSide   = 12000
	maxPhotoPixels = 50_000_000
)

// PhotoRef names one photo of an asset and where the UI loads it from.
type PhotoRef struct {
	ID  uint   `json:"id"`
	URL string `json:"url"`
}

// PhotoLimit is the largest photo accepted, in bytes.
func (a *App) PhotoLimit() int64 { return a.cfg.PhotoLimit }

func photoRef(assetID, photoID uint) PhotoRef {
	return PhotoRef{ID: photoID, URL: fmt.Sprintf("/api/v1/assets/%d/photos/%d", assetID, photoID)}
}

// photoFormats are the accepted formats as image.DecodeConfig names them, with their types.
var photoFormats = map[string]string{"jpeg": "image/jpeg", "png": "image/png"}

// otherImageKinds recognises formats people often have at hand but that are refused, so that
// the message can say what the file is (an iPhone's HEIC, a GIF) rather than "not a photo".
var otherImageKinds = []struct {
	name  string
	match func([]byte) bool
}{
	{"GIF", func(b []byte) bool {
		return bytes.HasPrefix(b, []byte("GIF87a")) || bytes.HasPrefix(b, []byte("GIF89a"))
	}},
	{"WebP", func(b []byte) bool { return len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP" }},
	{"HEIC", func(b []byte) bool {
		return len(b) >= 12 && string(b[4:8]) == "ftyp" && bytes.Contains([]byte("heic heix hevc mif1 msf1 avif"), b[8:12])
	}},
	{"BMP", func(b []byte) bool { return bytes.HasPrefix(b, []byte("BM")) && len(b) > 26 }},
	{"TIFF", func(b []byte) bool {
		return bytes.HasPrefix(b, []byte("II*\x00")) || bytes.HasPrefix(b, []byte("MM\x00*"))
	}},
}

// checkPhoto reads the type and dimensions of an uploaded photo from its content. Only the
// header is read: the checks need no pixels, and decoding a large photo costs hundreds of MB.
func (a *App) checkPhoto(data []byte) (contentType string, width, height int, err error) {
	if len(data) == 0 {
		return "", 0, 0, models.Errorf(models.EInvalid, "上传的照片是空文件，请重新选择照片")
	}
	if limit := a.cfg.PhotoLimit; int64(len(data)) > limit {
		return "", 0, 0, models.Errorf(models.ETooLarge, "照片 %.1f MB，超过上限 %d MB：请压缩或用手机的“较小尺寸”重新拍摄后上传",
			float64(len(data))/(1<<20), limit>>20)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	ct, ok := photoFormats[format]
	if err != nil || !ok {
		for _, k := range otherImageKinds {
			if k.match(data) {
				return "", 0, 0, models.Errorf(models.EInvalid, "只能上传 JPEG 或 PNG 格式的照片，这个文件是 %s 格式：请另存为 JPEG 后再上传", k.name)
			}
		}
		return "", 0, 0, models.Errorf(models.EInvalid, "这个文件不是 JPEG 或 PNG 照片（按文件内容判断，与文件名无关）：请选择用相机或手机拍摄的照片")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return "", 0, 0, models.Errorf(models.EInvalid, "照片的尺寸无效，文件可能已损坏：请重新拍摄或导出后上传")
	}
	if cfg.Width > maxPhotoSide || cfg.Height > maxPhotoSide || int64(cfg.Width)*int64(cfg.Height) > maxPhotoPixels {
		return "", 0, 0, models.Errorf(models.EInvalid, "照片尺寸 %d×%d 像素过大（每边最多 %d 像素、总计不超过 5000 万像素）：请缩小后上传",
			cfg.Width, cfg.Height, maxPhotoSide)
	}
	return ct, cfg.Width, cfg.Height, nil
}

// AddPhoto attaches a photo to a card of the actor's own unit. The type comes from the
// content (JPEG or PNG only); the photo is stored in the database, never under a name taken
// from the upload.
func (a *App) AddPhoto(ctx context.Context, actor *models.User, assetID uint, data []byte) (*PhotoRef, error) {
	if _, err := a.assetFor(ctx, actor, assetID, true); err != nil {
		return nil, err
	}
	ct, w, h, err := a.checkPhoto(data)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	p := models.AssetPhoto{AssetID: assetID, ContentType: ct, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]),
		Width: w, Height: h, CreatedByID: &actor.ID, Data: data}
	err = a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// The card is read again inside the transaction: it may have moved to another unit
		// since the check above, and the count below must see every committed photo.
		as, err := loadAsset(tx, assetID)
		if err != nil {
			return err
		}
		if !actor.CanWriteUnit(as.UnitID) {
			return models.Errorf(models.EForbidden, "只有本单位的资产管理员可以修改这张资产卡片")
		}
		var n int64
		if err := tx.Model(&models.AssetPhoto{}).Where("asset_id = ?", assetID).Count(&n).Error; err != nil {
			return internal(err, "count photos")
		}
		if n >= models.MaxPhotosPerAsset {
			return models.Errorf(models.EConflict, "每张资产卡片最多 %d 张照片：请先删除不需要的照片再上传", models.MaxPhotosPerAsset)
		}
		var dup int64
		if err := tx.Model(&models.AssetPhoto{}).Where("asset_id = ? AND sha256 = ?", assetID, p.SHA256).Count(&dup).Error; err != nil {
			return internal(err, "check duplicate photo")
		}
		if dup > 0 {
			return models.Errorf(models.EConflict, "这张照片已经上传过了")
		}
		if err := tx.Create(&p).Error; err != nil {
			return internal(err, "store photo")
		}
		return a.audit(tx, actor, "asset.photo_add", "asset", assetID, &as.UnitID, nil, &p)
	})
	if err != nil {
		return nil, err
	}
	ref := photoRef(assetID, p.ID)
	return &ref, nil
}

// Photo returns one photo of a card. Whoever may read the card may see it, and so may every
// signed-in user while the card stands in the pool: a unit deciding whether to take a used
// chair wants to see it. Anyone else is told the photo does not exist.
func (a *App) Photo(ctx context.Context, actor *models.User, assetID, photoID uint) (contentType string, data []byte, err error) {
	if _, err := a.assetFor(ctx, actor, assetID, false); err != nil {
		if models.ErrorCode(err) != models.ENotFound {
			return "", nil, err
		}
		as, lerr := loadAsset(a.read.WithContext(ctx), assetID)
		if lerr != nil || !as.InPool(a.cfg.PoolRepairable) {
			return "", nil, err
		}
	}
	var p models.AssetPhoto
	err = a.read.WithContext(ctx).Where("id = ? AND asset_id = ?", photoID, assetID).First(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", nil, models.Errorf(models.ENotFound, "照片 %d 不存在或已被删除", photoID)
	}
	if err != nil {
		return "", nil, internal(err, "load photo")
	}
	return p.ContentType, p.Data, nil
}

// DeletePhoto removes a photo from a card of the actor's own unit.
func (a *App) DeletePhoto(ctx context.Context, actor *models.User, assetID, photoID uint) error {
	if _, err := a.assetFor(ctx, actor, assetID, true); err != nil {
		return err
	}
	return a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		as, err := loadAsset(tx, assetID)
		if err != nil {
			return err
		}
		if !actor.CanWriteUnit(as.UnitID) {
			return models.Errorf(models.EForbidden, "只有本单位的资产管理员可以修改这张资产卡片")
		}
		var p models.AssetPhoto
		err = tx.Omit("data").Where("id = ? AND asset_id = ?", photoID, assetID).First(&p).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return models.Errorf(models.ENotFound, "照片 %d 不存在或已被删除", photoID)
		}
		if err != nil {
			return internal(err, "load photo")
		}
		if err := tx.Delete(&models.AssetPhoto{}, p.ID).Error; err != nil {
			return internal(err, "delete photo")
		}
		return a.audit(tx, actor, "asset.photo_delete", "asset", assetID, &as.UnitID, &p, nil)
	})
}

// photoRefs returns the photos of the given assets by asset id, oldest first. It reads only
// the ids: lists never load the images themselves.
func (a *App) photoRefs(ctx context.Context, ids []uint) (map[uint][]PhotoRef, error) {
	out := map[uint][]PhotoRef{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID      uint
		AssetID uint
	}
	err := a.read.WithContext(ctx).Model(&models.AssetPhoto{}).Select("id, asset_id").
		Where("asset_id IN ?", ids).Order("id").Scan(&rows).Error
	if err != nil {
		return nil, internal(err, "list photos")
	}
	for _, r := range rows {
		out[r.AssetID] = append(out[r.AssetID], photoRef(r.AssetID, r.ID))
	}
	return out, nil
}
