package handlers

import (
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"assetpool/models"
)

// addPhoto attaches a photo to a card: multipart field "file", JPEG or PNG. The file's name
// and declared type are ignored; the app judges the content.
func (s *server) addPhoto(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return models.Errorf(models.EInvalid, "请选择要上传的照片（JPEG 或 PNG）")
	}
	// Refuse an oversize file before reading it; the app checks the bytes it gets again.
	if limit := s.app.PhotoLimit(); fh.Size > limit {
		return models.Errorf(models.ETooLarge, "照片 %.1f MB，超过上限 %d MB：请压缩后上传", float64(fh.Size)/(1<<20), limit>>20)
	}
	f, err := fh.Open()
	if err != nil {
		return models.Errorf(models.EInvalid, "无法读取上传的照片")
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return models.Errorf(models.EInvalid, "无法读取上传的照片")
	}
	ref, err := s.app.AddPhoto(c.UserContext(), currentUser(c), id, data)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(ref)
}

// photoParams reads the card id and the photo id of a photo's path.
func photoParams(c *fiber.Ctx) (assetID, photoID uint, err error) {
	if assetID, err = idParam(c, "id"); err != nil {
		return 0, 0, err
	}
	if photoID, err = idParam(c, "photo"); err != nil {
		return 0, 0, err
	}
	return assetID, photoID, nil
}

// getPhoto sends a photo's bytes. A photo never changes under its id, so the browser may keep
// it for an hour, privately: it is not for shared caches.
func (s *server) getPhoto(c *fiber.Ctx) error {
	assetID, photoID, err := photoParams(c)
	if err != nil {
		return err
	}
	ctype, data, err := s.app.Photo(c.UserContext(), currentUser(c), assetID, photoID)
	if err != nil {
		return err
	}
	ext := ".jpg"
	if ctype == "image/png" {
		ext = ".png"
	}
	c.Set(fiber.HeaderContentType, ctype)
	// Overrides the no-store that securityHeaders gives every API answer.
	c.Set(fiber.HeaderCacheControl, "private, max-age=3600")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="photo-`+strconv.FormatUint(uint64(photoID), 10)+ext+`"`)
	return c.Send(data)
}

func (s *server) deletePhoto(c *fiber.Ctx) error {
	assetID, photoID, err := photoParams(c)
	if err != nil {
		return err
	}
	if err := s.app.DeletePhoto(c.UserContext(), currentUser(c), assetID, photoID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
