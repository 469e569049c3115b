package app

import "context"

// PhotoRef names one photo of an asset and where the UI loads it from.
type PhotoRef struct {
	ID  uint   `json:"id"`
	URL string `json:"url"`
}

// photoRefs returns the photos of the given assets by asset id.
func (a *App) photoRefs(ctx context.Context, ids []uint) (map[uint][]PhotoRef, error) {
	return map[uint][]PhotoRef{}, nil
}
