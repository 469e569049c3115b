package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"assetpool/app"
	"assetpool/models"
)

func (s *server) listProposals(c *fiber.Ctx) error {
	f := app.ProposalFilter{UnitCode: strings.Clone(c.Query("unit")), Limit: c.QueryInt("limit")}
	var err error
	if f.RequestID, err = queryID(c, "request"); err != nil {
		return err
	}
	if f.After, err = queryID(c, "after"); err != nil {
		return err
	}
	for _, st := range queryList(c, "status") {
		f.Statuses = append(f.Statuses, models.ProposalStatus(st))
	}
	page, err := s.app.ListProposals(c.UserContext(), currentUser(c), f)
	if err != nil {
		return err
	}
	return c.JSON(page)
}

// runMatching is finance's 运行匹配: every open request against the whole pool.
func (s *server) runMatching(c *fiber.Ctx) error {
	res, err := s.app.RunMatching(c.UserContext(), currentUser(c), models.TriggerManual)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

func (s *server) matchRuns(c *fiber.Ctx) error {
	runs, err := s.app.MatchRuns(c.UserContext(), currentUser(c), c.QueryInt("limit"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": runs})
}
