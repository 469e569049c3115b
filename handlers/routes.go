// Package handlers is assetpool's HTTP face: one route table, one error handler and one file per
// resource. It is the only package that imports Fiber; all product logic lives in package app.
package handlers

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/etag"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"assetpool/app"
	"assetpool/models"
	"assetpool/static"
)

// server carries what every handler needs.
type server struct {
	app *app.App
	log *slog.Logger
}

// route is one line of the route table: who may call it is part of the route, so that no
// handler can be registered without saying which roles reach it.
type route struct {
	method string
	path   string // below /api/v1
	// roles that may call the route; nil means anyone, signed in or not.
	roles  []models.Role
	handle fiber.Handler
}

var (
	anyone      []models.Role
	signedIn    = models.Roles
	adminOnly   = []models.Role{models.RoleAdmin}
	financeOnly = []models.Role{models.RoleFinance}
)

// routes is the API, top to bottom. Handlers still check which unit a user may touch.
func (s *server) routes() []route {
	return []route{
		{"GET", "/health", anyone, s.health},
		{"GET", "/openapi.json", anyone, s.openAPI},
		{"POST", "/login", anyone, s.login},
		{"POST", "/logout", signedIn, s.logout},
		{"GET", "/me", signedIn, s.me},
		{"POST", "/me/password", signedIn, s.changeOwnPassword},

		{"GET", "/units", signedIn, s.listUnits},
		{"POST", "/units", adminOnly, s.createUnit},
		{"GET", "/units/:id", signedIn, s.getUnit},
		{"PATCH", "/units/:id", adminOnly, s.updateUnit},
		{"DELETE", "/units/:id", adminOnly, s.deleteUnit},

		{"GET", "/users", adminOnly, s.listUsers},
		{"POST", "/users", adminOnly, s.createUser},
		{"GET", "/users/:id", adminOnly, s.getUser},
		{"PATCH", "/users/:id", adminOnly, s.updateUser},
		{"DELETE", "/users/:id", adminOnly, s.deleteUser},

		{"GET", "/categories", signedIn, s.listCategories},
		{"POST", "/categories/import", adminOnly, s.importCategories},
		{"GET", "/standards", signedIn, s.listStandards},
		{"POST", "/standards/import", adminOnly, s.importStandards},

		{"GET", "/imports", signedIn, s.listImports},
		{"POST", "/imports", signedIn, s.createImport},
		{"GET", "/imports/:id", signedIn, s.getImport},
		{"PATCH", "/imports/:id", signedIn, s.updateImport},
		{"DELETE", "/imports/:id", signedIn, s.discardImport},
		{"POST", "/imports/:id/commit", signedIn, s.commitImport},
		{"GET", "/imports/:id/errors.xlsx", signedIn, s.importErrors},
		{"GET", "/templates/assets.xlsx", signedIn, s.assetTemplate},
		{"GET", "/templates/requests.xlsx", signedIn, s.requestTemplate},
		{"GET", "/units/:code/assets.xlsx", signedIn, s.unitRegister},

		{"GET", "/assets", signedIn, s.listAssets},
		{"GET", "/assets/totals", signedIn, s.assetTotals},
		{"POST", "/assets", signedIn, s.createAsset},
		{"POST", "/assets/mark", signedIn, s.markAssets},
		{"GET", "/checks", signedIn, s.listIdleChecks},
		{"POST", "/checks/:id", signedIn, s.decideIdleCheck},
		{"GET", "/assets/:id", signedIn, s.getAsset},
		{"PATCH", "/assets/:id", signedIn, s.updateAsset},
		{"GET", "/assets/:id/history", signedIn, s.assetHistory},
		{"POST", "/assets/:id/books", signedIn, s.correctBooks},
		{"GET", "/pool", signedIn, s.listPool},
		{"GET", "/pool/totals", signedIn, s.poolTotals},
		{"GET", "/pool/:id", signedIn, s.getPoolItem},
		{"GET", "/requests", signedIn, s.listRequests},
		{"POST", "/requests", signedIn, s.createRequest},
		{"POST", "/requests/import", signedIn, s.importRequests},
		{"GET", "/requests/:id", signedIn, s.getRequest},
		{"PATCH", "/requests/:id", signedIn, s.updateRequest},
		{"POST", "/requests/:id/submit", signedIn, s.submitRequest},
		{"POST", "/requests/:id/withdraw", signedIn, s.withdrawRequest},
		{"GET", "/requests/:id/proposals", signedIn, s.requestProposals},
		{"GET", "/proposals", signedIn, s.listProposals},
		{"GET", "/proposals/:id", signedIn, s.getProposal},
		{"POST", "/proposals/:id/accept", signedIn, s.proposalAction(models.ActionAccept)},
		{"POST", "/proposals/:id/decline", signedIn, s.proposalAction(models.ActionDecline)},
		{"POST", "/proposals/:id/object", signedIn, s.proposalAction(models.ActionObject)},
		{"POST", "/proposals/:id/approve", financeOnly, s.proposalAction(models.ActionApprove)},
		{"POST", "/proposals/:id/reject", financeOnly, s.proposalAction(models.ActionReject)},
		{"POST", "/proposals/:id/handover", signedIn, s.proposalAction(models.ActionHandover)},
		{"POST", "/proposals/:id/receive", signedIn, s.proposalAction(models.ActionReceive)},
		{"POST", "/proposals/:id/cancel", signedIn, s.proposalAction(models.ActionCancel)},
		{"POST", "/requests/:id/purchase", financeOnly, s.decidePurchase},
		{"GET", "/inbox", signedIn, s.inbox},
		{"GET", "/savings", signedIn, s.listSavings},
		{"GET", "/audit", []models.Role{models.RoleFinance, models.RoleAdmin}, s.auditLog},
		{"POST", "/matching/run", financeOnly, s.runMatching},
		{"GET", "/matching/runs", []models.Role{models.RoleFinance, models.RoleAdmin}, s.matchRuns},
		{"GET", "/assets.xlsx", signedIn, s.exportAssets},
		{"GET", "/pool.xlsx", signedIn, s.exportPool},
		{"POST", "/assets/:id/photos", signedIn, s.addPhoto},
		{"GET", "/assets/:id/photos/:photo", signedIn, s.getPhoto},
		{"DELETE", "/assets/:id/photos/:photo", signedIn, s.deletePhoto},
		{"GET", "/labels.html", signedIn, s.labelSheet},
		// Transfer documents; handover.html before :id, which would take it for an id.
		{"GET", "/transfers", signedIn, s.listTransfers},
		{"GET", "/transfers/handover.html", signedIn, s.handoverList},
		{"GET", "/transfers/:id", signedIn, s.getTransfer},
		{"GET", "/transfers/:id/order.xlsx", signedIn, s.transferOrderXLSX},
		{"GET", "/transfers/:id/order.html", signedIn, s.transferOrderHTML},
	}
}

// New builds the web server: the API under /api/v1 and the embedded web UI at /.
func New(a *app.App, log *slog.Logger) *fiber.App {
	s := &server{app: a, log: log}
	srv := fiber.New(fiber.Config{
		AppName:      "assetpool",
		ErrorHandler: s.handleError,
		// Room above the upload limit for the multipart envelope, so that a file just over
		// the limit gets our own message rather than Fiber's.
		BodyLimit:             int(a.UploadLimit()) + 4<<20,
		ReadTimeout:           2 * time.Minute,
		WriteTimeout:          10 * time.Minute,
		IdleTimeout:           2 * time.Minute,
		DisableStartupMessage: true,
	})
	srv.Use(recover.New(recover.Config{EnableStackTrace: true}))
	srv.Use(s.logRequests, securityHeaders)
	for _, r := range s.routes() {
		srv.Add(r.method, "/api/v1"+r.path, s.authorize(r.roles), r.handle)
	}
	srv.All("/api/*", func(c *fiber.Ctx) error {
		return fiber.NewError(fiber.StatusNotFound, "接口不存在："+c.Method()+" "+c.Path())
	})
	// The UI is revalidated on every load (no-cache plus an ETag): after an upgrade a browser
	// must never mix old and new modules, and the files are small.
	srv.Use("/", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "no-cache")
		return c.Next()
	}, etag.New(), filesystem.New(filesystem.Config{
		Root:               http.FS(static.Files),
		Index:              "index.html",
		NotFoundFile:       "index.html",
		ContentTypeCharset: "utf-8",
	}))
	return srv
}

// securityHeaders keeps the UI from being framed, sniffed or made to load foreign scripts.
func securityHeaders(c *fiber.Ctx) error {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
	if strings.HasPrefix(c.Path(), "/api/") {
		c.Set("Cache-Control", "no-store")
	}
	return c.Next()
}

// logRequests logs every request once it is answered.
func (s *server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		// Render the error now so that the logged status is the one the client gets.
		if herr := s.handleError(c, err); herr != nil {
			return herr
		}
	}
	attrs := []any{"method", c.Method(), "path", c.Path(), "status", c.Response().StatusCode(),
		"duration_ms", time.Since(start).Milliseconds(), "ip", c.IP()}
	if u, ok := c.Locals(userKey).(*models.User); ok {
		attrs = append(attrs, "user", u.Username)
	}
	s.log.Info("request", attrs...)
	return nil
}

// allows reports whether a role is in the list; nil allows everyone.
func allows(roles []models.Role, r models.Role) bool {
	return roles == nil || slices.Contains(roles, r)
}
