package handlers

import (
	"github.com/gofiber/fiber/v2"

	"assetpool/app"
	"assetpool/models"
)

func (s *server) listUsers(c *fiber.Ctx) error {
	users, err := s.app.ListUsers(c.UserContext())
	if err != nil {
		return err
	}
	items := make([]userJSON, len(users))
	for i := range users {
		items[i] = toUserJSON(&users[i])
	}
	return c.JSON(fiber.Map{"items": items, "total": len(items)})
}

func (s *server) getUser(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	u, err := s.app.User(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(toUserJSON(u))
}

func (s *server) createUser(c *fiber.Ctx) error {
	var in struct {
		Username    string      `json:"username"`
		DisplayName string      `json:"display_name"`
		Role        models.Role `json:"role"`
		UnitID      *uint       `json:"unit_id"`
		Password    string      `json:"password"`
		Active      *bool       `json:"active"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u := &models.User{Username: in.Username, DisplayName: in.DisplayName, Role: in.Role, UnitID: in.UnitID, Active: in.Active == nil || *in.Active}
	if u.UnitID != nil && *u.UnitID == 0 {
		u.UnitID = nil
	}
	if err := s.app.CreateUser(c.UserContext(), currentUser(c), u, in.Password); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toUserJSON(u))
}

func (s *server) updateUser(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var p app.UserPatch
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	u, err := s.app.UpdateUser(c.UserContext(), currentUser(c), id, p)
	if err != nil {
		return err
	}
	return c.JSON(toUserJSON(u))
}

func (s *server) deleteUser(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.app.DeleteUser(c.UserContext(), currentUser(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
