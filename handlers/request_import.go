package handlers

import (
	"bytes"
	"strings"

	"github.com/gofiber/fiber/v2"

	"assetpool/models"
)

// importRequests files the purchase requests of an uploaded spreadsheet: multipart field
// "file", the unit's code in ?unit= (or the form field "unit"; the clerk's own unit when
// absent), ?dry_run=1 for a preview and ?submit=1 to submit them too. The answer is the same
// object whatever happened; a file with errors that was meant to be saved answers 422.
func (s *server) importRequests(c *fiber.Ctx) error {
	fh, data, err := s.uploadedSheet(c, "购置需求表")
	if err != nil {
		return err
	}
	unit := c.Query("unit")
	if unit == "" {
		unit = c.FormValue("unit")
	}
	dryRun := queryFlag(c, "dry_run")
	res, err := s.app.ImportRequests(c.UserContext(), currentUser(c), strings.Clone(unit), strings.Clone(fh.Filename), data, dryRun, queryFlag(c, "submit"))
	if err != nil {
		return err
	}
	if len(res.Errors) > 0 && !dryRun {
		return c.Status(statusOf[models.EUnprocessable]).JSON(res)
	}
	return c.JSON(res)
}

// queryFlag reads a yes/no query parameter: 1, true, yes or on is yes.
func queryFlag(c *fiber.Ctx, key string) bool {
	switch strings.ToLower(c.Query(key)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// requestTemplate sends the empty request template with its example row.
func (s *server) requestTemplate(c *fiber.Ctx) error {
	var buf bytes.Buffer
	if err := s.app.WriteRequestTemplate(c.UserContext(), &buf); err != nil {
		return err
	}
	return sendXLSX(c, "购置需求导入模板.xlsx", buf.Bytes())
}
