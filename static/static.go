// Package static holds the web UI: plain HTML, CSS and JavaScript, embedded into the binary so
// that assetpool runs from one file with nothing fetched from elsewhere.
package static

import "embed"

// Files is the web UI, served at /.
//
//go:embed *.html *.css *.js
var Files embed.FS
