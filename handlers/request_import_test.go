package handlers

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"assetpool/app"
	"assetpool/models"
)

// requestImportBody is the JSON of POST /requests/import.
type requestImportBody struct {
	Rows   int `json:"rows"`
	Errors []struct {
		Row     int    `json:"row"`
		Column  string `json:"column"`
		Message string `json:"message"`
	} `json:"errors"`
	Requests []struct {
		Row int `json:"row"`
		app.RequestView
	} `json:"requests"`
	Saved     bool `json:"saved"`
	Submitted bool `json:"submitted"`
}

// requestSheet is a sheet of requests under a title row, with a 合计 row.
func requestSheet(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	all := append([][]any{{"经济发展局购置需求表"}, {"序号", "资产分类代码", "品名", "需求说明", "购置数量", "单价（元）", "需求日期", "理由", "最低可接受成色"}}, rows...)
	all = append(all, []any{"合计"})
	for r, row := range all {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", r+1), &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func (f *fixture) importRequests(as, query string, data []byte) (int, requestImportBody, []byte) {
	f.t.Helper()
	body, ctype := multipartFile(f.t, "file", "需求.xlsx", data)
	resp, out := f.do(request{method: "POST", path: "/api/v1/requests/import" + query, body: body, contentType: ctype, as: as})
	var res requestImportBody
	if resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusUnprocessableEntity {
		res = decode[requestImportBody](f.t, out)
	}
	return resp.StatusCode, res, out
}

func (f *fixture) requestCount() int {
	f.t.Helper()
	resp, body := f.do(request{method: "GET", path: "/api/v1/requests?unit=UA", as: "finance"})
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("list requests: %d %s", resp.StatusCode, body)
	}
	return int(decode[struct {
		Total int64 `json:"total"`
	}](f.t, body).Total)
}

func TestRequestImportPreviewThenSave(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	data := requestSheet(t,
		[]any{1, "A02010105", "台式计算机", "i5/16G", 2, "4,800.00", "2027-03-01", "新增编制", "完好"},
		[]any{2, "A05010301", "办公椅", "", 5, 650, "", "", "全新"},
	)
	status, res, body := f.importRequests("clerkA", "?unit=UA&dry_run=1", data)
	if status != http.StatusOK || res.Saved || res.Rows != 2 || len(res.Errors) != 0 || len(res.Requests) != 2 {
		t.Fatalf("preview: %d %s", status, body)
	}
	if r := res.Requests[0]; r.Row != 3 || r.ID != 0 || r.UnitPrice != 480000 || r.Quantity != 2 || r.Standards == nil {
		t.Errorf("preview row 3: %+v", r)
	}
	if n := f.requestCount(); n != 0 {
		t.Fatalf("a preview saved %d requests", n)
	}
	// The clerk's own unit without ?unit=, submitted at once.
	status, res, body = f.importRequests("clerkA", "?submit=1", data)
	if status != http.StatusOK || !res.Saved || !res.Submitted || len(res.Requests) != 2 {
		t.Fatalf("save: %d %s", status, body)
	}
	for _, r := range res.Requests {
		if r.ID == 0 || r.Status == models.RequestDraft || r.UnitCode != "UA" {
			t.Errorf("saved row %d: %+v", r.Row, r.RequestView)
		}
	}
	if n := f.requestCount(); n != 2 {
		t.Errorf("%d requests after saving", n)
	}
}

// TestRequestImportErrorsAnswer422: the errors name the row and the column as the file shows
// them; a dry run answers 200 with the same body; nothing is saved.
func TestRequestImportErrorsAnswer422(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	data := requestSheet(t,
		[]any{1, "A02010105", "台式计算机", "", 2, 4800, "", "", ""},
		[]any{2, "A05010301", "办公椅", "", "五把", 650, "明年", "", "报废"},
	)
	for _, c := range []struct {
		query  string
		status int
	}{{"?unit=UA", http.StatusUnprocessableEntity}, {"?unit=UA&dry_run=true", http.StatusOK}} {
		status, res, body := f.importRequests("clerkA", c.query, data)
		if status != c.status || res.Saved || len(res.Errors) != 3 {
			t.Fatalf("%s: %d %s", c.query, status, body)
		}
		for i, want := range []string{"购置数量", "需求日期", "最低可接受成色"} {
			if e := res.Errors[i]; e.Row != 4 || e.Column != want || e.Message == "" {
				t.Errorf("%s: error %d = %+v, want row 4 column %s", c.query, i, e, want)
			}
		}
		if len(res.Requests) != 1 || res.Requests[0].Row != 3 {
			t.Errorf("%s: preview %+v", c.query, res.Requests)
		}
	}
	if n := f.requestCount(); n != 0 {
		t.Errorf("%d requests saved from a file with errors", n)
	}
}

func TestRequestImportScoping(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	data := requestSheet(t, []any{1, "A02010105", "台式计算机", "", 1, 4800})
	for _, c := range []struct {
		as, query string
		status    int
	}{
		{"clerkB", "?unit=UA", http.StatusForbidden},
		{"clerkB", "?unit=UA&dry_run=1", http.StatusForbidden},
		{"finance", "?unit=UA&dry_run=1", http.StatusForbidden},
		{"admin", "?unit=UA", http.StatusForbidden},
		{"clerkA", "?unit=NOPE", http.StatusNotFound},
		{"", "?unit=UA", http.StatusUnauthorized},
	} {
		status, _, body := f.importRequests(c.as, c.query, data)
		if status != c.status || !strings.Contains(string(body), `"error"`) {
			t.Errorf("%s %s: %d %s, want %d", c.as, c.query, status, body, c.status)
		}
	}
	// No file, or a file that is no sheet of requests.
	body, ctype := multipartForm(t, map[string]string{"unit": "UA"}, "file", "", nil)
	if resp, out := f.do(request{method: "POST", path: "/api/v1/requests/import", body: body, contentType: ctype, as: "clerkA"}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("no file: %d %s", resp.StatusCode, out)
	}
	if status, _, out := f.importRequests("clerkA", "", []byte("资产编号,资产名称\nA-1,桌子\n")); status != http.StatusBadRequest || !strings.Contains(string(out), "购置需求的表头") {
		t.Errorf("an inventory: %d %s", status, out)
	}
	if n := f.requestCount(); n != 0 {
		t.Errorf("%d requests saved", n)
	}
}

// TestRequestTemplateDownloadAndImport: the template downloads, and filled in it imports.
func TestRequestTemplateDownloadAndImport(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	resp, data := f.do(request{method: "GET", path: "/api/v1/templates/requests.xlsx", as: "clerkA"})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != xlsxType ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
		t.Fatalf("template: %d %v", resp.StatusCode, resp.Header)
	}
	book, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	sheet := book.GetSheetName(0)
	rows, err := book.GetRows(sheet)
	if err != nil || len(rows) != 2 || rows[0][1] != "分类代码" || rows[1][0] != "示例" {
		t.Fatalf("template rows: %q %v", rows, err)
	}
	row := []any{1, "A05010502 文件柜", "文件柜", "五层", 3, 900, "2027-06-30", "档案增加", "完好", ""}
	if err := book.SetSheetRow(sheet, "A3", &row); err != nil {
		t.Fatal(err)
	}
	var filled bytes.Buffer
	if err := book.Write(&filled); err != nil {
		t.Fatal(err)
	}
	status, res, body := f.importRequests("clerkA", "?unit=UA", filled.Bytes())
	if status != http.StatusOK || !res.Saved || res.Rows != 1 || len(res.Requests) != 1 {
		t.Fatalf("filled template: %d %s", status, body)
	}
	if r := res.Requests[0]; r.CategoryCode != "A05010502" || r.Quantity != 3 || r.UnitPrice != 90000 || r.NeededBy.String() != "2027-06-30" || r.Status != models.RequestDraft {
		t.Errorf("imported: %+v", r.RequestView)
	}
	// Replaced cards are the unit's own, by number.
	card, err := f.app.CreateAsset(context.Background(), nil, f.unitA.ID, models.Asset{AssetNo: "UA-2001", Name: "文件柜", CategoryCode: "A05010502",
		OriginalValue: 90000, AcquiredOn: models.Date{Year: 2001, Month: 1, Day: 1}})
	if err != nil {
		t.Fatal(err)
	}
	row[9] = "UA-2001"
	if err := book.SetSheetRow(sheet, "A3", &row); err != nil {
		t.Fatal(err)
	}
	filled.Reset()
	if err := book.Write(&filled); err != nil {
		t.Fatal(err)
	}
	status, res, body = f.importRequests("clerkA", "?unit=UA&dry_run=1", filled.Bytes())
	if status != http.StatusOK || len(res.Requests) != 1 || len(res.Requests[0].Replaces) != 1 || res.Requests[0].Replaces[0] != card.ID {
		t.Errorf("replacing: %d %s", status, body)
	}
}
