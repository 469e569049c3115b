package handlers

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"assetpool/app"
	"assetpool/models"
)

// queryList splits a comma-separated query parameter, dropping blanks.
func queryList(c *fiber.Ctx, key string) []string {
	var out []string
	for _, v := range strings.Split(c.Query(key), ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, strings.Clone(v))
		}
	}
	return out
}

// queryID reads an optional positive id from the query string (0 when absent).
func queryID(c *fiber.Ctx, key string) (uint, error) {
	v := c.Query(key)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil || n == 0 {
		return 0, models.Errorf(models.EInvalid, "参数 %s 应为正整数", key)
	}
	return uint(n), nil
}

func (s *server) listRequests(c *fiber.Ctx) error {
	f := app.RequestFilter{UnitCode: strings.Clone(c.Query("unit")), Limit: c.QueryInt("limit")}
	for _, st := range queryList(c, "status") {
		f.Statuses = append(f.Statuses, models.RequestStatus(st))
	}
	after, err := queryID(c, "after")
	if err != nil {
		return err
	}
	f.After = after
	page, err := s.app.ListRequests(c.UserContext(), currentUser(c), f)
	if err != nil {
		return err
	}
	return c.JSON(page)
}

func (s *server) createRequest(c *fiber.Ctx) error {
	var body struct {
		app.RequestInput
		Submit bool `json:"submit"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	ctx, u := c.UserContext(), currentUser(c)
	v, err := s.app.CreateRequest(ctx, u, body.RequestInput)
	if err != nil {
		return err
	}
	if body.Submit {
		if v, err = s.app.SubmitRequest(ctx, u, v.ID); err != nil {
			return err
		}
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

// getRequest is one request with its latest 调剂查询记录 when it still lacks items.
func (s *server) getRequest(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx, u := c.UserContext(), currentUser(c)
	v, err := s.app.Request(ctx, u, id)
	if err != nil {
		return err
	}
	rec, err := s.app.SearchRecord(ctx, u, id)
	if err != nil {
		return err
	}
	return c.JSON(struct {
		*app.RequestView
		NoMatch *models.NoMatchRecord `json:"no_match"`
	}{v, rec})
}

func (s *server) updateRequest(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var p app.RequestPatch
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	v, err := s.app.UpdateRequest(c.UserContext(), currentUser(c), id, p)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *server) submitRequest(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	v, err := s.app.SubmitRequest(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *server) withdrawRequest(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	v, err := s.app.WithdrawRequest(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *server) requestProposals(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ps, err := s.app.RequestProposals(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": ps})
}
