package handlers

import (
	"bytes"

	"github.com/gofiber/fiber/v2"

	"assetpool/app"
	"assetpool/models"
)

// labelSheet is the printable A4 sheet of asset labels: ?ids=1,2,3 for the cards ticked in
// the register, or the register's own filter. Each QR code opens the card at this server's
// address as the browser reached it. A request that cannot be printed gets the sheet with a
// message and the error's status: the page opens in a tab of its own, where JSON would mean
// nothing to a clerk.
func (s *server) labelSheet(c *fiber.Ctx) error {
	var buf bytes.Buffer
	f, err := assetFilter(c)
	if err == nil {
		err = s.app.WriteLabels(c.UserContext(), currentUser(c), f, c.BaseURL(), &buf)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	if err != nil {
		code := models.ErrorCode(err)
		if code == models.EInternal {
			return err
		}
		buf.Reset()
		if err := app.WriteLabelsMessage(&buf, models.ErrorMessage(err)); err != nil {
			return err
		}
		c.Status(statusOf[code])
	}
	return c.Send(buf.Bytes())
}
