package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"assetpool/app"
	"assetpool/models"
)

// proposalAction answers POST /proposals/:id/<action>: one step of a proposal's life.
func (s *server) proposalAction(action models.ProposalAction) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		var in app.ProposalInput
		if len(c.Body()) > 0 {
			if err := decodeJSON(c, &in); err != nil {
				return err
			}
		}
		v, err := s.app.ActOnProposal(c.UserContext(), currentUser(c), id, action, in)
		if err != nil {
			return err
		}
		return c.JSON(v)
	}
}

func (s *server) getProposal(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	d, err := s.app.Proposal(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(d)
}

func (s *server) inbox(c *fiber.Ctx) error {
	box, err := s.app.Inbox(c.UserContext(), currentUser(c))
	if err != nil {
		return err
	}
	return c.JSON(box)
}

// decidePurchase is finance's decision on buying what reassignment could not supply.
func (s *server) decidePurchase(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var body struct {
		Decision string `json:"decision"`
		Comment  string `json:"comment"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if body.Decision != "approve" && body.Decision != "reject" {
		return models.Errorf(models.EInvalid, "decision 应为 approve（批准购置）或 reject（不批准）")
	}
	v, err := s.app.DecidePurchase(c.UserContext(), currentUser(c), id, body.Decision == "approve", body.Comment)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *server) listSavings(c *fiber.Ctx) error {
	sv, err := s.app.ListSavings(c.UserContext(), currentUser(c), strings.Clone(c.Query("unit")))
	if err != nil {
		return err
	}
	return c.JSON(sv)
}

// auditLog is the audit page's list: finance and the administrator, filtered, newest first.
func (s *server) auditLog(c *fiber.Ctx) error {
	f := app.AuditFilter{Entity: strings.Clone(c.Query("entity")), EntityID: strings.Clone(c.Query("entity_id")),
		Action: strings.Clone(c.Query("action")), Actor: strings.Clone(c.Query("actor")), Limit: c.QueryInt("limit")}
	var err error
	if f.After, err = queryID(c, "after"); err != nil {
		return err
	}
	if code := c.Query("unit"); code != "" {
		u, err := s.app.UnitByCode(c.UserContext(), code)
		if err != nil {
			return err
		}
		f.UnitID = &u.ID
	}
	for key, dst := range map[string]*models.Date{"from": &f.From, "to": &f.To} {
		if v := c.Query(key); v != "" {
			d, err := models.ParseDate(v)
			if err != nil {
				return models.Errorf(models.EInvalid, "日期 %s=%q 无效，应为 YYYY-MM-DD", key, v)
			}
			*dst = d
		}
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	evs, err := s.app.AuditLog(c.UserContext(), currentUser(c), f)
	if err != nil {
		return err
	}
	var next any
	if len(evs) == f.Limit {
		next = evs[len(evs)-1].ID
	}
	if evs == nil {
		evs = []models.AuditEvent{}
	}
	return c.JSON(fiber.Map{"items": evs, "next": next})
}
