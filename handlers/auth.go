package handlers

import (
	"crypto/subtle"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"assetpool/app"
	"assetpool/models"
)

const (
	sessionCookie = "assetpool_session"
	csrfHeader    = "X-CSRF-Token"
	userKey       = "user"
	viaCookieKey  = "via_cookie"
)

// authorize finds who is calling (bearer token or session cookie), refuses anonymous callers
// of non-public routes with 401 and callers of the wrong role with 403, and demands the CSRF
// token on cookie-authenticated requests that change state. Bearer requests need no CSRF token:
// a browser never attaches one on its own.
func (s *server) authorize(roles []models.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if roles == nil {
			return c.Next()
		}
		ctx := c.UserContext()
		var (
			u   *models.User
			err error
		)
		if bearer, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer "); ok {
			u, err = s.app.UserByAPIToken(ctx, strings.TrimSpace(bearer))
		} else if token := c.Cookies(sessionCookie); token != "" {
			u, err = s.app.UserBySession(ctx, token)
			if err == nil && !safeMethod(c.Method()) {
				want := app.CSRFToken(token)
				if subtle.ConstantTimeCompare([]byte(c.Get(csrfHeader)), []byte(want)) != 1 {
					return models.Errorf(models.EForbidden, "安全校验失败（CSRF 令牌缺失或无效），请刷新页面后重试")
				}
			}
			c.Locals(viaCookieKey, token)
		} else {
			err = models.Errorf(models.EUnauthorized, "请先登录")
		}
		if err != nil {
			return err
		}
		c.Locals(userKey, u)
		if !allows(roles, u.Role) {
			return models.Errorf(models.EForbidden, "您的角色（%s）无权执行此操作", u.Role.Label())
		}
		return c.Next()
	}
}

func safeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions
}

// currentUser returns the caller that authorize found.
func currentUser(c *fiber.Ctx) *models.User {
	u, _ := c.Locals(userKey).(*models.User)
	return u
}

// userJSON is how a user appears in the API.
type userJSON struct {
	ID          uint        `json:"id"`
	Username    string      `json:"username"`
	DisplayName string      `json:"display_name"`
	Role        models.Role `json:"role"`
	RoleLabel   string      `json:"role_label"`
	UnitID      *uint       `json:"unit_id"`
	Unit        *unitRef    `json:"unit"`
	Active      bool        `json:"active"`
	CreatedAt   time.Time   `json:"created_at"`
}

// unitRef is a unit as other records mention it.
type unitRef struct {
	ID   uint   `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

func toUserJSON(u *models.User) userJSON {
	out := userJSON{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role,
		RoleLabel: u.Role.Label(), UnitID: u.UnitID, Active: u.Active, CreatedAt: u.CreatedAt}
	if u.Unit != nil {
		out.Unit = &unitRef{ID: u.Unit.ID, Code: u.Unit.Code, Name: u.Unit.Name}
	}
	return out
}

func (s *server) login(c *fiber.Ctx) error {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Username) == "" || in.Password == "" {
		return models.Errorf(models.EInvalid, "请输入用户名和密码")
	}
	u, token, err := s.app.Login(c.UserContext(), in.Username, in.Password, c.IP(), c.Get(fiber.HeaderUserAgent))
	if err != nil {
		return err
	}
	// The session's expiry is kept on the server; the cookie lives for the browser session.
	c.Cookie(&fiber.Cookie{
		Name: sessionCookie, Value: token, Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https",
	})
	return c.JSON(fiber.Map{"user": toUserJSON(u), "csrf_token": app.CSRFToken(token)})
}

func (s *server) logout(c *fiber.Ctx) error {
	if token, ok := c.Locals(viaCookieKey).(string); ok {
		if err := s.app.Logout(c.UserContext(), token); err != nil {
			return err
		}
	}
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: "", Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Unix(0, 0), MaxAge: -1})
	return c.JSON(fiber.Map{"ok": true})
}

func (s *server) me(c *fiber.Ctx) error {
	u, err := s.app.User(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	out := fiber.Map{"user": toUserJSON(u)}
	if token, ok := c.Locals(viaCookieKey).(string); ok {
		out["csrf_token"] = app.CSRFToken(token)
	}
	return c.JSON(out)
}

func (s *server) changeOwnPassword(c *fiber.Ctx) error {
	var in struct {
		OldPassword string `json:"old_password"`
		NewPassword string `json:"new_password"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.app.ChangeOwnPassword(c.UserContext(), currentUser(c), in.OldPassword, in.NewPassword); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"ok": true, "message": "密码已修改，请使用新密码重新登录"})
}
