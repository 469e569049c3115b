package handlers

import (
	"github.com/gofiber/fiber/v2"
)

// listStandards is every version of every configuration standard, with which is in force.
func (s *server) listStandards(c *fiber.Ctx) error {
	list, err := s.app.ListStandards(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(list)
}

// importStandards adds a version of each standard of an uploaded CSV or .xlsx: a multipart
// form field "file", or the raw file as the request body.
func (s *server) importStandards(c *fiber.Ctx) error {
	r, err := uploadedFile(c)
	if err != nil {
		return err
	}
	defer r.Close()
	res, err := s.app.ImportStandards(c.UserContext(), currentUser(c), r)
	if err != nil {
		return err
	}
	return c.JSON(res)
}
