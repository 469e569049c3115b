package handlers

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"assetpool/app"
	"assetpool/models"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// uploadedSheet reads the spreadsheet uploaded in the multipart field "file", refusing one
// above the upload limit; what names the file the user is asked for when there is none.
func (s *server) uploadedSheet(c *fiber.Ctx, what string) (*multipart.FileHeader, []byte, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, nil, models.Errorf(models.EInvalid, "请选择要上传的%s（.xlsx、.xls 或 .csv）", what)
	}
	if limit := s.app.UploadLimit(); fh.Size > limit {
		return nil, nil, models.Errorf(models.ETooLarge, "文件 %.1f MB，超过上传上限 %d MB：请拆分后分别上传", float64(fh.Size)/(1<<20), limit>>20)
	}
	f, err := fh.Open()
	if err != nil {
		return nil, nil, models.Errorf(models.EInvalid, "无法读取上传的文件")
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, nil, models.Errorf(models.EInvalid, "无法读取上传的文件")
	}
	return fh, data, nil
}

// createImport previews an uploaded inventory for a unit: multipart fields "file" and "unit"
// (the unit's code). Nothing changes in the register until the preview is committed.
func (s *server) createImport(c *fiber.Ctx) error {
	fh, data, err := s.uploadedSheet(c, "清查表文件")
	if err != nil {
		return err
	}
	// Form values live in Fiber's reused buffers; copies may outlive the request in a job.
	unit := strings.Clone(c.FormValue("unit"))
	v, err := s.app.CreateImport(c.UserContext(), currentUser(c), unit, strings.Clone(fh.Filename), data)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

func (s *server) listImports(c *fiber.Ctx) error {
	items, err := s.app.ListImports(c.UserContext(), currentUser(c), c.Query("unit"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": items, "total": len(items)})
}

func (s *server) getImport(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	v, err := s.app.Import(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// updateImport re-reads a preview with another sheet, column mapping or blank-cell rule.
func (s *server) updateImport(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var p app.ImportPatch
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	v, err := s.app.UpdateImport(c.UserContext(), currentUser(c), id, p)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// commitImport applies a preview: 200 when done, 202 while a big file is committed in the
// background.
func (s *server) commitImport(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var opts app.ImportOptions
	if len(bytes.TrimSpace(c.Body())) > 0 {
		if err := decodeJSON(c, &opts); err != nil {
			return err
		}
	}
	v, err := s.app.CommitImport(c.UserContext(), currentUser(c), id, opts)
	if err != nil {
		return err
	}
	if v.Status == models.ImportRunning {
		return c.Status(fiber.StatusAccepted).JSON(v)
	}
	return c.JSON(v)
}

func (s *server) discardImport(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.app.DiscardImport(c.UserContext(), currentUser(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// importErrors sends the upload back with its errors marked.
func (s *server) importErrors(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.app.ImportErrorWorkbook(c.UserContext(), currentUser(c), id, &buf); err != nil {
		return err
	}
	return sendXLSX(c, "错误标注-"+strconv.FormatUint(uint64(id), 10)+".xlsx", buf.Bytes())
}

func (s *server) assetTemplate(c *fiber.Ctx) error {
	var buf bytes.Buffer
	if err := s.app.WriteTemplate(c.UserContext(), &buf); err != nil {
		return err
	}
	return sendXLSX(c, "资产清单导入模板.xlsx", buf.Bytes())
}

// unitRegister streams a unit's register in the template layout. Access is checked before
// the first byte; the rows are written as they are read so that a big register never sits in
// memory.
func (s *server) unitRegister(c *fiber.Ctx) error {
	e, err := s.app.AssetRegisterExport(c.UserContext(), currentUser(c), app.AssetFilter{UnitCode: strings.Clone(c.Params("code"))})
	if err != nil {
		return err
	}
	return s.streamExport(c, e)
}

func sendXLSX(c *fiber.Ctx, name string, data []byte) error {
	setAttachment(c, name)
	c.Set(fiber.HeaderContentType, xlsxType)
	return c.Send(data)
}

// setAttachment names a download; the UTF-8 form keeps Chinese names, the ASCII one is for
// old clients.
func setAttachment(c *fiber.Ctx, name string) {
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="export.xlsx"; filename*=UTF-8''`+url.PathEscape(name))
}
