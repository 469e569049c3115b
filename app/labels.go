package app

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/skip2/go-qrcode"

	"assetpool/models"
)

// Label sheets are A4 with 3 columns × 8 rows of 70×37 mm labels, the common 24-up
// self-adhesive sheet sold for asset labels.
const (
	labelsPerPage = 24
	// maxLabels bounds one sheet: 500 labels are 21 pages, more than anyone sticks in one go,
	// and each label carries a QR code drawn on the server.
	maxLabels = 500
)

// CardURL is where a label's QR code leads: the asset's card in the web UI.
func CardURL(baseURL string, id uint) string {
	return strings.TrimRight(baseURL, "/") + "/#/assets/" + strconv.FormatUint(uint64(id), 10)
}

// QRCodeSVG draws text as a QR code in SVG: one path of the dark modules on a white square,
// in module units, with the four-module quiet zone scanners need around the code. It is drawn
// on the server so that the sheet needs no script and prints the same in every browser.
func QRCodeSVG(text string) (string, error) {
	// Medium (15 %) recovery survives a scuffed label and keeps a card URL at version 3–4,
	// whose modules stay large enough to scan on a 27 mm code.
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("draw QR code: %w", err)
	}
	bm := q.Bitmap() // includes the quiet zone
	n := len(bm)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img" aria-label="资产卡片二维码">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range bm {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}

// label is one label as the sheet prints it.
type label struct {
	UnitName, AssetNo, Name, Model string
	QR                             template.HTML
}

// labelSheet is what the sheet template renders: the labels in pages, or a message instead.
type labelSheet struct {
	Count   int
	Pages   [][]label
	Message string
}

// selects reports whether the filter narrows the register at all; a label sheet of "every
// card" is a mistake, not a request.
func (f *AssetFilter) selects() bool {
	return len(f.IDs) > 0 || f.UnitCode != "" || f.Category != "" || len(f.Statuses) > 0 ||
		len(f.Conditions) > 0 || f.Department != "" || f.Location != "" || f.Custodian != "" ||
		f.YearFrom > 0 || f.YearTo > 0 || f.ValueMin != nil || f.ValueMax != nil ||
		!f.IdleFrom.IsZero() || !f.IdleTo.IsZero() || f.Q != ""
}

// WriteLabels writes a printable HTML page of asset labels for the cards the filter selects,
// as far as the actor may see them: unit, asset number, name, model and a QR code that opens
// the card under baseURL. A selection the actor may see none of gives a sheet that says so.
func (a *App) WriteLabels(ctx context.Context, actor *models.User, f AssetFilter, baseURL string, w io.Writer) error {
	if f.Pool {
		// The pool scope spans every unit; labels are for stocktaking one's own register.
		return models.Errorf(models.EInvalid, "标签只能从资产台账打印，不能按闲置资产库筛选")
	}
	if !f.selects() {
		return models.Errorf(models.EInvalid, "请先在资产台账中勾选要打印标签的资产，或设置筛选条件")
	}
	t, err := a.CountAssets(ctx, actor, f)
	if err != nil {
		return err
	}
	if t.Cards > maxLabels {
		return models.Errorf(models.EInvalid, "所选资产有 %d 张卡片，一次最多打印 %d 张标签：请缩小筛选范围后分批打印", t.Cards, maxLabels)
	}
	sheet := labelSheet{}
	var page []label
	err = a.EachAsset(ctx, actor, f, func(it *AssetItem) error {
		if sheet.Count >= maxLabels {
			return models.Errorf(models.EInvalid, "一次最多打印 %d 张标签：请缩小筛选范围后分批打印", maxLabels)
		}
		qr, err := QRCodeSVG(CardURL(baseURL, it.ID))
		if err != nil {
			return internal(err, "draw label")
		}
		// The SVG is trusted markup: drawn above from the code's bitmap, no user text inside.
		page = append(page, label{UnitName: it.UnitName, AssetNo: it.AssetNo, Name: it.Name, Model: it.Model,
			QR: template.HTML(qr)})
		sheet.Count++
		if len(page) == labelsPerPage {
			sheet.Pages, page = append(sheet.Pages, page), nil
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(page) > 0 {
		sheet.Pages = append(sheet.Pages, page)
	}
	if sheet.Count == 0 {
		sheet.Message = "没有可打印的标签：所选资产不存在，或不属于您可以查看的单位。请回到资产台账重新勾选。"
	}
	return writeSheet(w, &sheet)
}

// WriteLabelsMessage writes the label page with only a message, for a request that cannot be
// printed: the page opens in its own tab, where a JSON error would mean nothing to a clerk.
func WriteLabelsMessage(w io.Writer, message string) error {
	return writeSheet(w, &labelSheet{Message: message})
}

// writeSheet renders the whole page before writing it, so that a failure never leaves half a
// sheet in the browser.
func writeSheet(w io.Writer, s *labelSheet) error {
	var buf bytes.Buffer
	if err := labelsTemplate.Execute(&buf, s); err != nil {
		return internal(err, "render labels")
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// labelsTemplate is the sheet. Styles and the print button's script are files of the web UI:
// the server's Content-Security-Policy forbids inline ones.
var labelsTemplate = template.Must(template.New("labels").Parse(`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>资产标签{{if .Count}}（{{.Count}} 张）{{end}} · 公物仓</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/labels.css">
<script type="module" src="/js/labels-print.js"></script>
</head>
<body>
<header class="toolbar">
  <h1>资产标签</h1>
  {{- if .Message}}
  <p class="message" role="alert">{{.Message}}</p>
  {{- else}}
  <p>共 {{.Count}} 张标签，{{len .Pages}} 页。适用 A4 不干胶标签纸，每页 3 列 × 8 行，每张 70 × 37 毫米。</p>
  <p class="hint">打印时请选择纸张 A4、缩放「100%」或「实际大小」（不要选「适合页面」），并关闭「页眉和页脚」。建议先用普通纸试印一页，对着标签纸检查位置。</p>
  <p><button type="button" id="print-labels" class="print-button">打印标签</button></p>
  {{- end}}
</header>
{{- range .Pages}}
<div class="sheet">
  {{- range .}}
  <section class="label">
    <div class="label-text">
      <p class="label-unit">{{.UnitName}}</p>
      <p class="label-no">{{.AssetNo}}</p>
      <p class="label-name">{{.Name}}</p>
      {{- if .Model}}
      <p class="label-model">{{.Model}}</p>
      {{- end}}
    </div>
    {{.QR}}
  </section>
  {{- end}}
</div>
{{- end}}
</body>
</html>
`))
