package handlers

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"assetpool/app"
	"assetpool/models"
)

// categoryList is the body of GET /api/v1/categories.
type categoryList struct {
	Items []models.Category `json:"items"`
	Total int               `json:"total"`
}

// multipartFile returns a multipart form body with one file field, and its content type.
func multipartFile(t *testing.T, field, filename string, data []byte) ([]byte, string) {
	t.Helper()
	return multipartForm(t, nil, field, filename, data)
}

// multipartForm builds a multipart body with the given fields and, unless data is nil, a file.
func multipartForm(t *testing.T, fields map[string]string, fileField, filename string, data []byte) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if data != nil {
		part, err := w.CreateFormFile(fileField, filename)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := part.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w.FormDataContentType()
}

// importCategoriesAPI uploads data as the multipart field "file" as admin.
func importCategoriesAPI(f *fixture, filename string, data []byte) (*http.Response, []byte) {
	f.t.Helper()
	body, ctype := multipartFile(f.t, "file", filename, data)
	return f.do(request{method: "POST", path: "/api/v1/categories/import", as: "admin", body: body, contentType: ctype})
}

// listCategoriesAPI returns the category table as clerkA sees it, keyed by code, and in order.
func listCategoriesAPI(t *testing.T, f *fixture) (map[string]models.Category, []string) {
	t.Helper()
	resp, body := f.do(request{method: "GET", path: "/api/v1/categories", as: "clerkA"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("list categories: %d %s", resp.StatusCode, body)
	}
	list := decode[categoryList](t, body)
	if list.Total != len(list.Items) {
		t.Fatalf("total %d but %d items", list.Total, len(list.Items))
	}
	byCode := map[string]models.Category{}
	var codes []string
	for _, c := range list.Items {
		byCode[c.Code] = c
		codes = append(codes, c.Code)
	}
	return byCode, codes
}

// insertAsset adds an idle, usable desktop computer card to a unit through the app.
func insertAsset(t *testing.T, f *fixture, unitID uint, assetNo, categoryCode string) uint {
	t.Helper()
	acq, _ := models.ParseDate("2020-03-01")
	c, err := f.app.CreateAsset(context.Background(), nil, unitID, models.Asset{AssetNo: assetNo, Name: "台式计算机",
		CategoryCode: categoryCode, Quantity: 1, OriginalValue: 500000, AcquiredOn: acq,
		UsageStatus: models.UsageIdle, Condition: models.ConditionUsable})
	if err != nil {
		t.Fatalf("insert asset: %v", err)
	}
	return c.ID
}

func TestCategoriesListTheSeededTable(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cats, codes := listCategoriesAPI(t, f)
	if !slices.IsSorted(codes) {
		t.Errorf("categories are not ordered by code: %v", codes)
	}
	if len(codes) < 20 {
		t.Errorf("only %d seeded categories: %v", len(codes), codes)
	}
	if c := cats["A02010105"]; c.Name != "台式计算机" || c.MinYears != 6 || c.Level != 4 || c.ParentCode != "A02010100" {
		t.Errorf("A02010105 = %+v, want 台式计算机, min_years 6, level 4 below A02010100", c)
	}
	if c := cats["A05010301"]; c.Name != "办公椅" || c.MinYears != 15 || c.Level != 3 {
		t.Errorf("A05010301 = %+v, want 办公椅, min_years 15, level 3", c)
	}
	if c := cats["A02000000"]; c.Name != "设备" || c.Level != 1 || c.ParentCode != "" {
		t.Errorf("A02000000 = %+v, want the top class 设备", c)
	}
	for _, c := range cats {
		if c.ParentCode != "" && cats[c.ParentCode].Code == "" {
			t.Errorf("%s names parent %s, which is not in the table", c.Code, c.ParentCode)
		}
	}
}

func TestCategoriesImportCSVReplacesTheTable(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, seed := listCategoriesAPI(t, f)
	csv := "code,name,parent,min_years,note\n" +
		"A02000000,设备,,,门类\n" + // as seeded
		"A02010000,信息化设备,A02000000,6,\n" + // as seeded
		"A02010100,计算机,A02010000,6,\n" + // as seeded
		"A02010105,台式计算机,A02010100,8,\n" + // min_years 6 → 8
		"A02010199,其他计算机,A02010100,6,新增\n" // new
	resp, body := importCategoriesAPI(f, "categories.csv", []byte(csv))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("import: %d %s", resp.StatusCode, body)
	}
	want := app.CategoryImport{Added: 1, Updated: 1, Unchanged: 3, Removed: len(seed) - 4}
	if got := decode[app.CategoryImport](t, body); got != want {
		t.Fatalf("result = %+v, want %+v", got, want)
	}
	cats, codes := listCategoriesAPI(t, f)
	if strings.Join(codes, ",") != "A02000000,A02010000,A02010100,A02010105,A02010199" {
		t.Fatalf("table after import: %v", codes)
	}
	if c := cats["A02010199"]; c.Name != "其他计算机" || c.Level != 4 || c.MinYears != 6 || c.Note != "新增" {
		t.Errorf("A02010199 = %+v", c)
	}
	if c := cats["A02010105"]; c.MinYears != 8 {
		t.Errorf("A02010105 = %+v, want min_years 8", c)
	}

	// The raw file as the request body works too; the same file again changes nothing.
	resp, body = f.do(request{method: "POST", path: "/api/v1/categories/import", as: "admin", body: []byte(csv), contentType: "text/csv"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("raw body import: %d %s", resp.StatusCode, body)
	}
	if got := decode[app.CategoryImport](t, body); got != (app.CategoryImport{Unchanged: 5}) {
		t.Fatalf("second import = %+v, want 5 unchanged", got)
	}
}

func TestCategoriesImportGBKWithChineseHeaders(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, seed := listCategoriesAPI(t, f)
	// What Excel on a Chinese Windows saves as "CSV": GBK, CRLF line ends, Chinese headers.
	text := "分类代码,名称,上级代码,最低使用年限\r\n" +
		"A05000000,家具和用具,,\r\n" +
		"A05010000,家具,A05000000,15\r\n" +
		"A05010301,办公椅,A05010000,15\r\n" +
		"A05010303,会议椅,A05010000,15\r\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if utf8.Valid(gbk) {
		t.Fatal("the encoded file is valid UTF-8: the test would not exercise GBK")
	}
	resp, body := importCategoriesAPI(f, "分类表.csv", gbk)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("import GBK: %d %s", resp.StatusCode, body)
	}
	// The seed has notes on A05000000 and A05010000 that this file drops.
	want := app.CategoryImport{Updated: 2, Unchanged: 2, Removed: len(seed) - 4}
	if got := decode[app.CategoryImport](t, body); got != want {
		t.Fatalf("result = %+v, want %+v", got, want)
	}
	cats, codes := listCategoriesAPI(t, f)
	if len(codes) != 4 {
		t.Fatalf("table after import: %v", codes)
	}
	for code, name := range map[string]string{"A05000000": "家具和用具", "A05010000": "家具", "A05010301": "办公椅", "A05010303": "会议椅"} {
		if cats[code].Name != name {
			t.Errorf("%s is named %q, want %q", code, cats[code].Name, name)
		}
	}
	if c := cats["A05010303"]; c.Level != 3 || c.MinYears != 15 || c.ParentCode != "A05010000" {
		t.Errorf("A05010303 = %+v", c)
	}
}

// TestCategoriesImportXLSX uploads testdata/categories.xlsx: one sheet 分类表 with the headers
// 分类代码, 分类名称, 上级分类, 使用年限, 备注 and three rows that hang 台式计算机 directly below
// 信息化设备 (level 3 instead of the seed's 4).
func TestCategoriesImportXLSX(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, seed := listCategoriesAPI(t, f)
	data, err := os.ReadFile(filepath.Join("testdata", "categories.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	resp, body := importCategoriesAPI(f, "categories.xlsx", data)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("import xlsx: %d %s", resp.StatusCode, body)
	}
	want := app.CategoryImport{Updated: 2, Unchanged: 1, Removed: len(seed) - 3}
	if got := decode[app.CategoryImport](t, body); got != want {
		t.Fatalf("result = %+v, want %+v", got, want)
	}
	cats, codes := listCategoriesAPI(t, f)
	if strings.Join(codes, ",") != "A02000000,A02010000,A02010105" {
		t.Fatalf("table after import: %v", codes)
	}
	if c := cats["A02010105"]; c.Name != "台式计算机" || c.Level != 3 || c.ParentCode != "A02010000" || c.MinYears != 6 || c.Note != "直接挂在信息化设备下" {
		t.Errorf("A02010105 = %+v", c)
	}
}

func TestCategoriesImportRejectsBadFilesWholeAndNamesTheRow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, before := listCategoriesAPI(t, f)
	for _, tc := range []struct {
		name    string
		data    []byte
		message string
	}{
		{"parent missing",
			[]byte("code,name,parent\nA1,门类,\nA11,大类,A1\nA111,小类,A19\n"),
			"第 4 行：上级分类 A19 不在文件中"},
		{"duplicate code",
			[]byte("code,name,parent\nA1,门类,\nA11,大类,A1\nA1,又一个门类,\n"),
			"第 4 行：分类代码 A1 与第 2 行重复"},
		{"min_years not a number",
			[]byte("分类代码,名称,上级代码,最低使用年限\nA1,门类,,\nA11,大类,A1,六年\n"),
			"第 3 行“最低使用年限”列"},
		{"name missing",
			[]byte("code,name\nA1,门类\nA2,\n"),
			"第 3 行：分类 A2 缺少名称"},
		{"no header",
			[]byte("A1,门类\nA11,大类\n"),
			"分类表缺少表头"},
		{"header only",
			[]byte("code,name,parent\n"),
			"分类表中没有数据行"},
		{"truncated xls",
			append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...),
			"文件已损坏"},
		{"broken xlsx",
			[]byte("PK\x03\x04 not really a zip"),
			"无法读取 Excel 文件"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ft := *f
			ft.t = t
			resp, body := importCategoriesAPI(&ft, "bad.csv", tc.data)
			wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, tc.message)
		})
	}
	t.Run("empty body", func(t *testing.T) {
		ft := *f
		ft.t = t
		resp, body := ft.do(request{method: "POST", path: "/api/v1/categories/import", as: "admin", body: []byte{}, contentType: "text/csv"})
		wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, "请选择要上传的文件")
	})
	t.Run("form without file field", func(t *testing.T) {
		ft := *f
		ft.t = t
		body, ctype := multipartFile(t, "upload", "categories.csv", []byte("code,name\nZ1,门类\n"))
		resp, out := ft.do(request{method: "POST", path: "/api/v1/categories/import", as: "admin", body: body, contentType: ctype})
		wantError(t, resp, out, http.StatusBadRequest, models.EInvalid, "请选择要上传的文件")
	})
	// All or nothing: the table is as it was.
	if _, after := listCategoriesAPI(t, f); !slices.Equal(after, before) {
		t.Fatalf("a rejected import changed the table: %d → %d categories", len(before), len(after))
	}
}

func TestCategoriesImportKeepsCategoriesInUse(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	insertAsset(t, f, f.unitA.ID, "JF-2020-001", "A02010105")
	_, before := listCategoriesAPI(t, f)

	resp, body := importCategoriesAPI(f, "categories.csv", []byte("code,name,parent\nA05000000,家具和用具,\nA05010000,家具,A05000000\n"))
	wantError(t, resp, body, http.StatusConflict, models.EConflict, "新分类表缺少仍被资产卡片使用的分类：A02010105")
	if _, after := listCategoriesAPI(t, f); !slices.Equal(after, before) {
		t.Fatalf("a refused import changed the table: %d → %d categories", len(before), len(after))
	}

	// A file that keeps the category (with its parents) is accepted.
	resp, body = importCategoriesAPI(f, "categories.csv", []byte("code,name,parent,min_years\n"+
		"A02000000,设备,,\nA02010000,信息化设备,A02000000,6\nA02010100,计算机,A02010000,6\nA02010105,台式计算机,A02010100,6\n"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("import keeping A02010105: %d %s", resp.StatusCode, body)
	}
	if got := decode[app.CategoryImport](t, body); got.Removed != len(before)-4 {
		t.Fatalf("result = %+v, want %d removed", got, len(before)-4)
	}
	if cats, _ := listCategoriesAPI(t, f); cats["A02010105"].Name != "台式计算机" {
		t.Fatalf("A02010105 is gone: %v", cats)
	}
}

func TestCategoriesImportRowNumbersCountBlankLines(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// Line 6 names a missing parent; lines 2 and 4 are empty.
	resp, body := importCategoriesAPI(f, "categories.csv", []byte("code,name,parent\n\nA1,门类,\n\nA11,大类,A1\nA111,小类,A19\n"))
	wantError(t, resp, body, http.StatusBadRequest, models.EInvalid, "第 6 行")
}
