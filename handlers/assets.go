package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"assetpool/app"
	"assetpool/models"
)

// assetFilter reads the register's filter from the query string. Values are cloned because
// Fiber reuses its buffers after the handler returns, and exports stream after that.
func assetFilter(c *fiber.Ctx) (app.AssetFilter, error) {
	return app.ParseAssetFilter(func(k string) string { return strings.Clone(c.Query(k)) })
}

// nextCursor is the JSON of a next-page cursor: null on the last page.
func nextCursor(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// listAssets is the register: a clerk's own unit, every unit for finance and admin.
func (s *server) listAssets(c *fiber.Ctx) error {
	f, err := assetFilter(c)
	if err != nil {
		return err
	}
	page, err := s.app.ListAssets(c.UserContext(), currentUser(c), f)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": page.Items, "total": page.Total, "next": nextCursor(page.Next)})
}

// assetTotals sums the register's filter: cards, pieces and value. The page asks for them
// beside the list, so that its rows need not wait for every selected card to be read.
func (s *server) assetTotals(c *fiber.Ctx) error {
	f, err := assetFilter(c)
	if err != nil {
		return err
	}
	t, err := s.app.CountAssets(c.UserContext(), currentUser(c), f)
	if err != nil {
		return err
	}
	return c.JSON(t)
}

func (s *server) getAsset(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var asOf models.Date
	if v := c.Query("as_of"); v != "" {
		if asOf, err = models.ParseDate(v); err != nil {
			return models.Errorf(models.EInvalid, "折旧计算日期 %q 应为 YYYY-MM-DD", v)
		}
	}
	card, err := s.app.Asset(c.UserContext(), currentUser(c), id, asOf)
	if err != nil {
		return err
	}
	return c.JSON(card)
}

// updateAsset edits a card; the body carries the version the clerk saw (409 when stale).
func (s *server) updateAsset(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var p app.AssetPatch
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	if p.Version == 0 {
		return models.Errorf(models.EInvalid, "缺少版本号 version：请先读取资产卡片再修改")
	}
	card, err := s.app.UpdateAsset(c.UserContext(), currentUser(c), id, p)
	if err != nil {
		return err
	}
	return c.JSON(card)
}

// correctBooks records a correction of a card's books (账务调整): {"version":3,"mode":"stated",
// "accumulated_depreciation":1200,"as_of":"2026-10-31","reason":"…"} or mode "schedule".
func (s *server) correctBooks(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in app.BooksCorrection
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	card, err := s.app.CorrectBooks(c.UserContext(), currentUser(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(card)
}

func (s *server) assetHistory(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	evs, err := s.app.AssetHistory(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": evs, "total": len(evs)})
}

// markAssets sets the usage status of several cards at once: {"ids":[…],"usage_status":"idle"}.
func (s *server) markAssets(c *fiber.Ctx) error {
	var body struct {
		IDs         []uint             `json:"ids"`
		UsageStatus models.UsageStatus `json:"usage_status"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	n, err := s.app.MarkAssets(c.UserContext(), currentUser(c), body.IDs, body.UsageStatus)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"updated": n})
}

// listPool is the idle pool of every unit, open to every signed-in user.
func (s *server) listPool(c *fiber.Ctx) error {
	f, err := assetFilter(c)
	if err != nil {
		return err
	}
	page, err := s.app.ListPool(c.UserContext(), currentUser(c), f)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": page.Items, "total": page.Total, "next": nextCursor(page.Next)})
}

// poolTotals sums the pool's filter, as assetTotals does the register's.
func (s *server) poolTotals(c *fiber.Ctx) error {
	f, err := assetFilter(c)
	if err != nil {
		return err
	}
	t, err := s.app.PoolTotals(c.UserContext(), currentUser(c), f)
	if err != nil {
		return err
	}
	return c.JSON(t)
}

func (s *server) getPoolItem(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	it, err := s.app.PoolAsset(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(it)
}

// createAsset adds a card by hand to the clerk's own unit: the card's fields plus "unit", the
// unit's code (optional for a clerk).
func (s *server) createAsset(c *fiber.Ctx) error {
	var body struct {
		models.Asset
		Unit string `json:"unit"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	u := currentUser(c)
	var unitID uint
	switch {
	case body.Unit != "":
		unit, err := s.app.UnitByCode(c.UserContext(), body.Unit)
		if err != nil {
			return err
		}
		unitID = unit.ID
	case u.UnitID != nil:
		unitID = *u.UnitID
	default:
		return models.Errorf(models.EInvalid, "请指定单位代码 unit")
	}
	card, err := s.app.CreateAsset(c.UserContext(), u, unitID, body.Asset)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(card)
}
