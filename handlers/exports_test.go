package handlers

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"assetpool/models"
)

// xlsxText returns the text of every part of an .xlsx, to look for what must not be in it.
func xlsxText(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not an .xlsx: %v", err)
	}
	var b strings.Builder
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(&b, rc); err != nil {
			t.Fatal(err)
		}
		rc.Close()
	}
	return b.String()
}

// downloadName is the UTF-8 file name of a download.
func downloadName(t *testing.T, resp *http.Response) string {
	t.Helper()
	_, enc, _ := strings.Cut(resp.Header.Get("Content-Disposition"), "filename*=UTF-8''")
	name, err := url.PathUnescape(enc)
	if err != nil {
		t.Fatal(err)
	}
	return name
}

// columnOf returns the cells of the column with the given header below the header row.
func columnOf(t *testing.T, rows [][]string, headerRow int, header string) []string {
	t.Helper()
	i := slices.Index(rows[headerRow], header)
	if i < 0 {
		t.Fatalf("no column %s in %q", header, rows[headerRow])
	}
	var out []string
	for _, r := range rows[headerRow+1:] {
		if i < len(r) {
			out = append(out, r[i])
		} else {
			out = append(out, "")
		}
	}
	return out
}

func TestExportAssetsXLSX(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	insertAsset(t, f, f.unitA.ID, "A-001", "A02010105")
	insertAsset(t, f, f.unitA.ID, "A-002", "A05010301")
	insertAsset(t, f, f.unitB.ID, "B-001", "A02010105")
	today := f.app.Today().String()

	get := func(as, query string) (*http.Response, []byte) {
		return f.do(request{method: "GET", path: "/api/v1/assets.xlsx" + query, as: as})
	}
	for _, c := range []struct {
		as, query, file string
		want            []string
	}{
		// A clerk's register is their own unit's, whatever the filter leaves open.
		{"clerkA", "", "资产台账-经济发展局-" + today + ".xlsx", []string{"A-001", "A-002"}},
		{"clerkA", "?unit=UA&category=A05", "资产台账-经济发展局-" + today + ".xlsx", []string{"A-002"}},
		{"finance", "", "资产台账-全区-" + today + ".xlsx", []string{"A-001", "A-002", "B-001"}},
		{"admin", "?unit=UB&status=idle", "资产台账-兴仁街道-" + today + ".xlsx", []string{"B-001"}},
		{"clerkB", "?status=in_use", "资产台账-兴仁街道-" + today + ".xlsx", nil},
	} {
		resp, body := get(c.as, c.query)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %d %s", c.as, c.query, resp.StatusCode, body)
		}
		checkDownload(t, resp, "资产台账")
		if name := downloadName(t, resp); name != c.file {
			t.Errorf("%s %s: file %q, want %q", c.as, c.query, name, c.file)
		}
		rows := sheetRows(t, body)
		if got := columnOf(t, rows, 0, "资产编号"); !slices.Equal(got, c.want) {
			t.Errorf("%s %s: cards %q, want %q", c.as, c.query, got, c.want)
		}
		if c.as == "clerkA" {
			for _, u := range columnOf(t, rows, 0, "单位代码") {
				if u != "UA" {
					t.Errorf("clerk A's export lists a card of %s", u)
				}
			}
		}
	}

	// Errors come as JSON before anything is streamed.
	resp, body := get("clerkA", "?unit=UB")
	wantError(t, resp, body, http.StatusForbidden, models.EForbidden, "本单位")
	resp, body = get("finance", "?status="+url.QueryEscape("丢失"))
	wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, "使用状况")
	resp, body = get("finance", "?sort=password")
	wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, "排序")
	resp, body = get("finance", "?unit=NOPE")
	wantError(t, resp, body, http.StatusNotFound, models.ENotFound, "不存在")
}

func TestExportPoolXLSX(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	acq, _ := models.ParseDate("2021-06-15")
	_, err := f.app.CreateAsset(context.Background(), nil, f.unitA.ID, models.Asset{AssetNo: "A-CHAIRS", Name: "会议椅",
		CategoryCode: "A05010303", Quantity: 4, MeasureUnit: "把", OriginalValue: 120000, AcquiredOn: acq,
		UsageStatus: models.UsageIdle, Condition: models.ConditionUsable, Custodian: "赵六", Department: "党政办公室", Location: "三楼会议室"})
	if err != nil {
		t.Fatal(err)
	}
	insertAsset(t, f, f.unitB.ID, "B-001", "A02010105")
	today := f.app.Today().String()

	// Clerk B sees unit A's idle chairs, without who holds them or where.
	resp, body := f.do(request{method: "GET", path: "/api/v1/pool.xlsx", as: "clerkB"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("pool.xlsx: %d %s", resp.StatusCode, body)
	}
	checkDownload(t, resp, "闲置资产登记册")
	if name := downloadName(t, resp); name != "闲置资产登记册-全区-"+today+".xlsx" {
		t.Errorf("file %q", name)
	}
	rows := sheetRows(t, body)
	if rows[0][0] != "闲置资产登记册" || rows[1][0] != "范围：全区" {
		t.Errorf("title rows %q", rows[:2])
	}
	if got := columnOf(t, rows, 2, "资产编号"); !slices.Equal(got, []string{"A-CHAIRS", "B-001", ""}) {
		t.Errorf("pool items %q, want A-CHAIRS, B-001 and the total row", got)
	}
	if got := columnOf(t, rows, 2, "单位"); !slices.Equal(got, []string{"经济发展局", "兴仁街道", "共 2 项"}) {
		t.Errorf("units %q", got)
	}
	if got := columnOf(t, rows, 2, "原值（元）"); !slices.Equal(got, []string{"1,200.00", "5,000.00", "6,200.00"}) {
		t.Errorf("original values %q", got)
	}
	text := xlsxText(t, body)
	for _, secret := range []string{"赵六", "党政办公室", "三楼会议室", "使用人", "存放地点"} {
		if strings.Contains(text, secret) {
			t.Errorf("the idle register shows %q", secret)
		}
	}

	// One unit's register.
	resp, body = f.do(request{method: "GET", path: "/api/v1/pool.xlsx?unit=UA", as: "clerkB"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("pool.xlsx?unit=UA: %d %s", resp.StatusCode, body)
	}
	if name := downloadName(t, resp); name != "闲置资产登记册-经济发展局-"+today+".xlsx" {
		t.Errorf("file %q", name)
	}
	rows = sheetRows(t, body)
	if rows[1][0] != "单位：经济发展局（UA）" || !slices.Equal(columnOf(t, rows, 2, "资产编号"), []string{"A-CHAIRS", ""}) {
		t.Errorf("unit A's idle register: %q", rows)
	}

	resp, body = f.do(request{method: "GET", path: "/api/v1/pool.xlsx?custodian=" + url.QueryEscape("赵"), as: "finance"})
	wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, "使用人")
	resp, body = f.do(request{method: "GET", path: "/api/v1/pool.xlsx"})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous pool.xlsx: %d %s", resp.StatusCode, body)
	}
}
