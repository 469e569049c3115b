package handlers

import (
	"bufio"

	"github.com/gofiber/fiber/v2"

	"assetpool/app"
)

// exportAssets streams the register with the list's filters (a clerk's own unit only) as
// .xlsx in the import template's layout.
func (s *server) exportAssets(c *fiber.Ctx) error {
	f, err := assetFilter(c)
	if err != nil {
		return err
	}
	e, err := s.app.AssetRegisterExport(c.UserContext(), currentUser(c), f)
	if err != nil {
		return err
	}
	return s.streamExport(c, e)
}

// exportPool streams the idle asset register (闲置资产登记册): ?unit=CODE for one unit, none
// for the district.
func (s *server) exportPool(c *fiber.Ctx) error {
	f, err := assetFilter(c)
	if err != nil {
		return err
	}
	e, err := s.app.PoolRegisterExport(c.UserContext(), currentUser(c), f)
	if err != nil {
		return err
	}
	return s.streamExport(c, e)
}

// streamExport sends a checked export. The rows are written as they are read, after the
// handler has returned, so a failure midway can only be logged: the status line is gone.
func (s *server) streamExport(c *fiber.Ctx, e *app.Export) error {
	setAttachment(c, e.FileName)
	c.Set(fiber.HeaderContentType, xlsxType)
	ctx, name := c.UserContext(), e.FileName
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		if err := e.Stream(ctx, w); err != nil {
			s.log.Error("export", "file", name, "err", err)
		}
		w.Flush()
	})
	return nil
}
