package handlers

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"assetpool/app"
	"assetpool/models"
)

// listIdleChecks is the worth-checking list (值得核实): in-use cards that are likely idle.
// A clerk gets their own unit; finance and admin name a unit with ?unit=, or get the district.
func (s *server) listIdleChecks(c *fiber.Ctx) error {
	limit := 0
	if v := strings.TrimSpace(c.Query("limit")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return models.Errorf(models.EInvalid, "每页条数 %q 不是有效的数字", v)
		}
		limit = n
	}
	items, total, err := s.app.IdleCandidates(c.UserContext(), currentUser(c), strings.TrimSpace(c.Query("unit")), limit)
	if err != nil {
		return err
	}
	if items == nil {
		items = []app.IdleCandidate{}
	}
	return c.JSON(fiber.Map{"items": items, "total": total})
}

// decideIdleCheck records the clerk's decision on one card of the list:
// {"decision":"confirm"} marks it idle, {"decision":"dismiss"} keeps it in use.
func (s *server) decideIdleCheck(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var body struct {
		Decision string `json:"decision"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	d, err := app.ParseIdleDecision(body.Decision)
	if err != nil {
		return err
	}
	if err := s.app.DecideIdleCheck(c.UserContext(), currentUser(c), id, string(d)); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"asset_id": id, "decision": d})
}
