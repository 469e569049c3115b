package app

import (
	"context"

	"assetpool/models"
)

// DemoAccount is one account the demo created.
type DemoAccount struct {
	Username string
	Role     models.Role
	Unit     string
}

// DemoResult reports what LoadDemo created.
type DemoResult struct {
	Units      int
	Assets     int
	IdleAssets int
	Password   string
	Accounts   []DemoAccount
}

// LoadDemo loads the demo district. Not written yet: a helper is writing it.
func (a *App) LoadDemo(ctx context.Context) (*DemoResult, error) {
	return nil, models.Errorf(models.EUnsupported, "demo not written yet")
}
