package handlers

import (
	"bytes"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"assetpool/models"
)

func (s *server) listCategories(c *fiber.Ctx) error {
	cats, err := s.app.ListCategories(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": cats, "total": len(cats)})
}

// importCategories replaces the category table from an uploaded CSV or .xlsx: a multipart
// form field "file", or the raw file as the request body.
func (s *server) importCategories(c *fiber.Ctx) error {
	r, err := uploadedFile(c)
	if err != nil {
		return err
	}
	defer r.Close()
	res, err := s.app.ImportCategories(c.UserContext(), currentUser(c), r)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// uploadedFile returns the file of a multipart upload (field "file") or the raw body.
func uploadedFile(c *fiber.Ctx) (io.ReadCloser, error) {
	if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
		fh, err := c.FormFile("file")
		if err != nil {
			return nil, models.Errorf(models.EInvalid, "请选择要上传的文件")
		}
		f, err := fh.Open()
		if err != nil {
			return nil, models.Errorf(models.EInvalid, "无法读取上传的文件")
		}
		return f, nil
	}
	body := c.Body()
	if len(body) == 0 {
		return nil, models.Errorf(models.EInvalid, "请选择要上传的文件")
	}
	// Fiber reuses the body buffer after the handler returns; the copy keeps it ours.
	return io.NopCloser(bytes.NewReader(bytes.Clone(body))), nil
}
