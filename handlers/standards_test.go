package handlers

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"assetpool/app"
)

func TestStandardsListAndImport(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	list := func() app.StandardList {
		t.Helper()
		resp, body := f.do(request{method: "GET", path: "/api/v1/standards", as: "clerkA"})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("list: %d %s", resp.StatusCode, body)
		}
		return decode[app.StandardList](t, body)
	}
	l := list()
	if l.Jurisdiction != "中央" || l.Total != 5 || !l.Items[0].InForce || l.Items[0].StatusLabel != "现行" {
		t.Fatalf("seeded standards: %+v", l)
	}

	csv := "适用地区,分类代码,品目名称,价格上限（元）,最低使用年限,数量上限（占编制人数%）,执行日期,依据\n" +
		"中央,A02010105,台式计算机,5500,6,100,2026-01-01,某文件\n"
	body, ctype := multipartFile(t, "file", "标准.csv", []byte(csv))
	resp, out := f.do(request{method: "POST", path: "/api/v1/standards/import", body: body, contentType: ctype, as: "admin", cookie: true})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("import: %d %s", resp.StatusCode, out)
	}
	res := decode[app.StandardImport](t, out)
	if res.Added != 1 || res.Items[0].Version != 2 || res.Items[0].PriceCap != 550000 {
		t.Errorf("import result: %+v", res)
	}
	l = list()
	if l.Total != 6 || l.Items[0].Version != 2 || !l.Items[0].InForce || l.Items[1].Version != 1 || l.Items[1].Status != app.StandardSuperseded {
		t.Errorf("after import: %+v", l.Items[:2])
	}

	// A bad file: 400 naming rows and columns, nothing added. The raw body works as well.
	bad := "jurisdiction,category_code,item_name,price_cap\n中央,A02010105,台式计算机,abc\n中央,NOPE,未知,1\n"
	resp, out = f.do(request{method: "POST", path: "/api/v1/standards/import", body: []byte(bad), contentType: "text/csv", as: "admin"})
	if resp.StatusCode != http.StatusBadRequest || errorCode(t, out) != "invalid" ||
		!strings.Contains(string(out), "第 2 行“price_cap”列") || !strings.Contains(string(out), "第 3 行“category_code”列") {
		t.Errorf("bad file: %d %s", resp.StatusCode, out)
	}
	if l := list(); l.Total != 6 {
		t.Errorf("%d standards after a bad file", l.Total)
	}
	// Only the administrator loads standards.
	for _, who := range []string{"clerkA", "finance"} {
		body, ctype := multipartFile(t, "file", "标准.csv", []byte(csv))
		if resp, out := f.do(request{method: "POST", path: "/api/v1/standards/import", body: body, contentType: ctype, as: who}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d %s", who, resp.StatusCode, out)
		}
	}
}

func TestBrowserAdminStandards(t *testing.T) {
	f := newFixture(t)
	b := newBrowser(t, f)
	b.login("admin", testPassword)
	b.open("/#/settings/standards")
	b.waitText(`#page table`, "台式计算机")
	b.waitText(`#page .table-footer`, "现行 5 项")
	b.waitText(`#page`, "按“中央”的现行标准核对")
	b.waitText(`#page tr[data-key="中央-A02010105-1"]`, "编制人数的 100%")
	b.waitText(`#page tr[data-key="中央-A02010105-1"]`, "¥5,000.00")
	b.click(`button[data-action="upload-standards"]`)
	b.waitText(`#standard-upload .form-error`, "请先选择")

	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	good := filepath.Join(dir, "good.csv")
	writeFile(t, bad, "适用地区,分类代码,品目名称,价格上限（元）\n中央,A02010105,台式计算机,五千\n")
	writeFile(t, good, "适用地区,分类代码,品目名称,价格上限（元）,数量上限（每N人一台）\n中央,A02010105,台式计算机,5500,1\n")

	b.upload("#standard-file", bad)
	b.click(`button[data-action="upload-standards"]`)
	b.waitVisible(`form[data-form="confirm"]`)
	b.click(`form[data-form="confirm"] button[type="submit"]`)
	b.waitText(`#standard-upload .form-error`, "第 2 行“价格上限（元）”列")

	b.upload("#standard-file", good)
	b.click(`button[data-action="upload-standards"]`)
	b.waitVisible(`form[data-form="confirm"]`)
	b.click(`form[data-form="confirm"] button[type="submit"]`)
	b.waitText(`#standard-upload .alert-success`, "新增 1 个版本")
	b.waitText(`#page tr[data-key="中央-A02010105-2"]`, "每 1 人 1 件")
	b.waitText(`#page tr[data-key="中央-A02010105-2"]`, "现行")
	b.waitGone(`#page tr[data-key="中央-A02010105-1"]`)
	// Older versions on request.
	b.click(`input[data-action="toggle-history"]`)
	b.waitText(`#page tr[data-key="中央-A02010105-1"]`, "已替代")
	b.shot("admin-standards")
}
