package handlers

import (
	"github.com/gofiber/fiber/v2"

	"assetpool/app"
	"assetpool/models"
)

// unitJSON is a unit with the totals of its register.
type unitJSON struct {
	models.Unit
	Assets app.AssetTotals `json:"assets"`
}

// listUnits returns every unit to finance and admin, and only their own unit to a clerk.
func (s *server) listUnits(c *fiber.Ctx) error {
	units, err := s.app.ListUnits(c.UserContext())
	if err != nil {
		return err
	}
	totals, err := s.app.AssetTotalsByUnit(c.UserContext())
	if err != nil {
		return err
	}
	u := currentUser(c)
	items := make([]unitJSON, 0, len(units))
	for _, unit := range units {
		if u.CanReadUnit(unit.ID) {
			items = append(items, unitJSON{unit, totals[unit.ID]})
		}
	}
	return c.JSON(fiber.Map{"items": items, "total": len(items)})
}

func (s *server) getUnit(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if !currentUser(c).CanReadUnit(id) {
		return models.Errorf(models.EForbidden, "您只能查看本单位的信息")
	}
	unit, err := s.app.Unit(c.UserContext(), id)
	if err != nil {
		return err
	}
	totals, err := s.app.UnitAssetTotals(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(unitJSON{*unit, totals})
}

func (s *server) createUnit(c *fiber.Ctx) error {
	var in models.Unit
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.app.CreateUnit(c.UserContext(), currentUser(c), &in); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(in)
}

func (s *server) updateUnit(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var p app.UnitPatch
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	unit, err := s.app.UpdateUnit(c.UserContext(), currentUser(c), id, p)
	if err != nil {
		return err
	}
	return c.JSON(unit)
}

func (s *server) deleteUnit(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.app.DeleteUnit(c.UserContext(), currentUser(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
