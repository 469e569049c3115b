package handlers

import (
	"bytes"
	"strings"

	"github.com/gofiber/fiber/v2"

	"assetpool/app"
)

// listTransfers is a page of approved transfers (调拨), newest first: ?unit=CODE for those the
// unit gives or receives; a clerk sees only their own unit's.
func (s *server) listTransfers(c *fiber.Ctx) error {
	f := app.TransferFilter{UnitCode: strings.Clone(c.Query("unit")), Limit: c.QueryInt("limit")}
	after, err := queryID(c, "after")
	if err != nil {
		return err
	}
	f.After = after
	page, err := s.app.ListTransfers(c.UserContext(), currentUser(c), f)
	if err != nil {
		return err
	}
	return c.JSON(page)
}

// getTransfer is one transfer with both units by name.
func (s *server) getTransfer(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	v, err := s.app.Transfer(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// transferOrderXLSX downloads the transfer order (资产调拨单) as .xlsx. An order is a few
// kilobytes, so it is written whole before the headers go out: an error is still an error.
func (s *server) transferOrderXLSX(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	name, err := s.app.WriteTransferOrderXLSX(c.UserContext(), currentUser(c), id, &buf)
	if err != nil {
		return err
	}
	return sendXLSX(c, name, buf.Bytes())
}

// transferOrderHTML is the transfer order as a page that prints on A4.
func (s *server) transferOrderHTML(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.app.WriteTransferOrderHTML(c.UserContext(), currentUser(c), id, &buf); err != nil {
		return err
	}
	return sendTransferDoc(c, buf.Bytes())
}

// handoverList is the source unit's hand-over list (移交资产清单), ?unit=CODE (a clerk's own
// unit when absent), as a page that prints on A4.
func (s *server) handoverList(c *fiber.Ctx) error {
	var buf bytes.Buffer
	if err := s.app.WriteHandoverListHTML(c.UserContext(), currentUser(c), strings.Clone(c.Query("unit")), &buf); err != nil {
		return err
	}
	return sendTransferDoc(c, buf.Bytes())
}

// sendTransferDoc sends a rendered document page.
func sendTransferDoc(c *fiber.Ctx, page []byte) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(page)
}
