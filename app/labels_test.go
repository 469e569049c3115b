package app

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/skip2/go-qrcode"

	"assetpool/models"
)

// svgModules reads back the dark modules of a QRCodeSVG drawing: every "Mx yhNv1h-Nz" run.
func svgModules(t *testing.T, svg string) (size int, dark map[[2]int]bool) {
	t.Helper()
	m := regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`).FindStringSubmatch(svg)
	if m == nil || m[1] != m[2] {
		t.Fatalf("no square viewBox in %.200s", svg)
	}
	size, _ = strconv.Atoi(m[1])
	dark = map[[2]int]bool{}
	for _, r := range regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`).FindAllStringSubmatch(svg, -1) {
		x, _ := strconv.Atoi(r[1])
		y, _ := strconv.Atoi(r[2])
		n, _ := strconv.Atoi(r[3])
		if r[4] != r[3] {
			t.Fatalf("run %s does not close", r[0])
		}
		for i := range n {
			dark[[2]int{x + i, y}] = true
		}
	}
	return size, dark
}

func TestQRCodeSVGDrawsTheCodeOfTheCardURL(t *testing.T) {
	url := CardURL("http://assets.example.gov.cn:8080/", 4711)
	if url != "http://assets.example.gov.cn:8080/#/assets/4711" {
		t.Fatalf("CardURL = %q", url)
	}
	svg, err := QRCodeSVG(url)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(svg, "<svg ") || !strings.HasSuffix(svg, "</svg>") || strings.Count(svg, "<path") != 1 {
		t.Fatalf("not one SVG with one path: %.300s", svg)
	}
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	want := q.Bitmap()
	size, dark := svgModules(t, svg)
	if size != len(want) {
		t.Fatalf("SVG is %d modules wide, the code %d", size, len(want))
	}
	for y := range want {
		for x := range want[y] {
			if want[y][x] != dark[[2]int{x, y}] {
				t.Fatalf("module (%d,%d): SVG %v, code %v", x, y, dark[[2]int{x, y}], want[y][x])
			}
		}
	}
	// The quiet zone: four light modules on every side.
	for p := range dark {
		if p[0] < 4 || p[1] < 4 || p[0] >= size-4 || p[1] >= size-4 {
			t.Fatalf("dark module %v inside the quiet zone", p)
		}
	}
}

func TestWriteLabels(t *testing.T) {
	fx := newPhotoFixture(t)
	a, ctx := fx.a, context.Background()
	ids := []uint{fx.card(t, "JF-100", models.UsageInUse), fx.card(t, "JF-101<b>", models.UsageIdle)}
	base := "https://gwc.example.gov.cn"

	var buf bytes.Buffer
	if err := a.WriteLabels(ctx, fx.clerkA, AssetFilter{IDs: ids}, base, &buf); err != nil {
		t.Fatalf("labels: %v", err)
	}
	page := buf.String()
	for _, want := range []string{"<!doctype html>", `href="/labels.css"`, `src="/js/labels-print.js"`, "经济发展局", "JF-100", "JF-101&lt;b&gt;", "办公椅", "人体工学 T1", "共 2 张标签"} {
		if !strings.Contains(page, want) {
			t.Errorf("sheet lacks %q", want)
		}
	}
	if strings.Contains(page, "JF-101<b>") {
		t.Error("asset number not escaped")
	}
	if n := strings.Count(page, "<svg "); n != 2 {
		t.Errorf("%d QR codes, want 2", n)
	}
	for _, id := range ids {
		svg, _ := QRCodeSVG(CardURL(base, id))
		if !strings.Contains(page, svg) {
			t.Errorf("no QR code of %s", CardURL(base, id))
		}
	}
	// The CSP forbids inline styles and scripts: the sheet must not need them.
	if strings.Contains(page, "style=") || strings.Contains(page, "<style") || regexp.MustCompile(`<script[^>]*>[^<]`).MatchString(page) || strings.Contains(page, "onclick") {
		t.Error("sheet uses inline style or script")
	}

	// Another unit's clerk selecting the same cards gets a sheet that says there is nothing.
	buf.Reset()
	if err := a.WriteLabels(ctx, fx.clerkB, AssetFilter{IDs: ids}, base, &buf); err != nil {
		t.Fatalf("labels as clerk B: %v", err)
	}
	if page := buf.String(); strings.Contains(page, "JF-100") || strings.Contains(page, "<svg") || !strings.Contains(page, "没有可打印的标签") {
		t.Errorf("clerk B's sheet: %s", page)
	}

	// The register's filters select too; finance sees every unit.
	buf.Reset()
	if err := a.WriteLabels(ctx, fx.finance, AssetFilter{Statuses: []models.UsageStatus{models.UsageIdle}}, base, &buf); err != nil {
		t.Fatal(err)
	}
	if page := buf.String(); strings.Count(page, "<svg ") != 1 || !strings.Contains(page, "JF-101") {
		t.Errorf("idle filter as finance: %d labels", strings.Count(page, "<svg "))
	}

	err := a.WriteLabels(ctx, fx.clerkA, AssetFilter{}, base, &buf)
	wantCode(t, "no selection", err, models.EInvalid, "勾选")
	err = a.WriteLabels(ctx, fx.clerkA, AssetFilter{Pool: true, Q: "椅"}, base, &buf)
	wantCode(t, "pool filter", err, models.EInvalid)
}

func TestWriteLabelsPagesAndLimit(t *testing.T) {
	fx := newPhotoFixture(t)
	a, ctx := fx.a, context.Background()
	acq, _ := models.ParseDate("2020-01-01")
	cards := make([]models.Asset, maxLabels+1)
	for i := range cards {
		cards[i] = models.Asset{UnitID: fx.unitA.ID, AssetNo: fmt.Sprintf("P-%04d", i), Name: "文件柜", CategoryCode: "A05010301",
			Quantity: 1, OriginalValue: 100000, AcquiredOn: acq, UsageStatus: models.UsageInUse, Condition: models.ConditionUsable, Version: 1}
	}
	// Written directly: five hundred cards through CreateAsset would only slow the test.
	if err := a.db.CreateInBatches(cards, 200).Error; err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	err := a.WriteLabels(ctx, fx.clerkA, AssetFilter{UnitCode: "UA"}, "http://x", &buf)
	wantCode(t, "501 labels", err, models.EInvalid, "501", "500")
	if buf.Len() != 0 {
		t.Error("a refused sheet wrote something")
	}

	ids := make([]uint, 25)
	for i := range ids {
		ids[i] = cards[i].ID
	}
	if err := a.WriteLabels(ctx, fx.clerkA, AssetFilter{IDs: ids}, "http://x", &buf); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if n := strings.Count(page, `class="sheet"`); n != 2 {
		t.Errorf("25 labels on %d pages, want 2", n)
	}
	if n := strings.Count(page, `class="label"`); n != 25 {
		t.Errorf("%d labels, want 25", n)
	}
	if !strings.Contains(page, "共 25 张标签，2 页") {
		t.Error("sheet does not count its labels and pages")
	}
}

func TestWriteLabelsMessage(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteLabelsMessage(&buf, "请先勾选<资产>"); err != nil {
		t.Fatal(err)
	}
	if s := buf.String(); !strings.Contains(s, "请先勾选&lt;资产&gt;") || strings.Contains(s, `class="sheet"`) || strings.Contains(s, "print-labels") {
		t.Errorf("message page: %s", s)
	}
}
