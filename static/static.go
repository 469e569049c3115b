// Package static holds the web UI: plain HTML, CSS and JavaScript modules, embedded into the
// binary so that assetpool runs from one file with nothing fetched from elsewhere.
package static

import "embed"

// Files is the web UI, served at /: index.html, the style sheet, the icon and the ES modules
// under js/ (one module per page in js/pages/), and the print style sheets of the label sheet
// and the transfer documents.
//
//go:embed index.html app.css labels.css transfer.css favicon.svg js
var Files embed.FS
