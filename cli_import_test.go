package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"assetpool/app"
	"assetpool/models"
)

func TestCLIImport(t *testing.T) {
	c := newCLI(t)
	c.must("", "unit", "add", "--code", "JFJ", "--name", "经济发展局")
	// A GBK CSV written by another program, with title rows, a 序号 column and a total row.
	messy := filepath.Join("app", "testdata", "import", "messy_gbk.csv")

	out := c.must("", "import", "--unit", "JFJ", "--dry-run", messy)
	if !strings.Contains(out, "新增 10") || !strings.Contains(out, "表头在第 4 行") || !strings.Contains(out, "预演") {
		t.Errorf("dry run printed:\n%s", out)
	}
	if strings.Contains(out, "工作表") { // a CSV file has no sheets
		t.Errorf("dry run of a CSV file speaks of sheets:\n%s", out)
	}
	a := openDB(t, c.db)
	if v, _ := a.UnitAssetTotals(t.Context(), unitID(t, a, "JFJ")); v.Cards != 0 {
		t.Fatalf("dry run stored %d cards", v.Cards)
	}
	a.Close()

	out = c.must("", "import", messy, "--unit", "JFJ", "--json")
	var v app.ImportView
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("--json printed %q: %v", out, err)
	}
	if v.Status != models.ImportCommitted || v.Summary.New != 10 || v.SHA256 == "" || v.FileName != "messy_gbk.csv" {
		t.Errorf("committed import: %s %+v", v.Status, v.Summary)
	}
	out = c.must("", "import", "--unit", "JFJ", messy)
	if !strings.Contains(out, "未变 10") || !strings.Contains(out, "已导入") {
		t.Errorf("second import printed:\n%s", out)
	}

	// A file with a bad row stores nothing and exits 1, naming the row and the column.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("资产编号,资产名称,资产分类,原值（元）,取得日期,使用状况\nN-1,椅子,A05010301,100,2019-05-01,在用\nN-2,桌子,A05010301,一百元,2019-05-01,在用\n"), 0o600)
	code, out, errOut := c.run("", "import", "--unit", "JFJ", bad)
	if code != 1 || !strings.Contains(out, "第 3 行「原值（元）」") || !strings.Contains(out, "没有导入任何数据") || !strings.Contains(errOut, "错误") {
		t.Errorf("bad file: exit %d\n%s\n%s", code, out, errOut)
	}
	out = c.must("", "import", "--unit", "JFJ", "--skip-invalid", bad)
	if !strings.Contains(out, "新增 1") || !strings.Contains(out, "已导入") {
		t.Errorf("--skip-invalid printed:\n%s", out)
	}
	if code, _, errOut := c.run("", "import", bad); code != 2 || !strings.Contains(errOut, "--unit") {
		t.Errorf("without --unit: exit %d %s", code, errOut)
	}
	if code, _, errOut := c.run("", "import", "--unit", "NOPE", bad); code != 1 || !strings.Contains(errOut, "不存在") {
		t.Errorf("unknown unit: exit %d %s", code, errOut)
	}
}

func unitID(t *testing.T, a *app.App, code string) uint {
	t.Helper()
	u, err := a.UnitByCode(t.Context(), code)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func TestCLIBenchImport(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	out := c.must("", "bench", "import", "--rows", "300", "--json", "--dir", dir)
	var res app.ImportBenchResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("bench printed %q: %v", out, err)
	}
	if res.Rows != 300 || res.ReadSeconds <= 0 || res.ImportSeconds <= 0 || res.Ratio <= 0 || res.RowsPerSecond <= 0 || res.ImportPeakMB <= 0 {
		t.Errorf("bench result %+v", res)
	}
	// The bench makes its own database; the configured one is never created.
	if _, err := os.Stat(c.db); !os.IsNotExist(err) {
		t.Errorf("bench touched the configured database: %v", err)
	}
	out = c.must("", "bench", "import", "--rows", "50")
	if !strings.Contains(out, "导入 ÷ 读取") {
		t.Errorf("bench table:\n%s", out)
	}
}

func TestCLIBenchAPI(t *testing.T) {
	c := newCLI(t)
	out := c.must("", "bench", "api", "--assets", "3000", "--samples", "10", "--json", "--dir", t.TempDir())
	var res app.APIBenchResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("bench printed %q: %v", out, err)
	}
	// The search and the LIKE scan must have found the same cards for the ratio to mean
	// anything; the bench itself refuses to report otherwise.
	if res.Assets != 3000 || res.SearchMatches == 0 || res.FilterMatches == 0 || res.APIP99 <= 0 || res.SQLP99 <= 0 ||
		res.DeepPage != 60 || res.APISQLP99Ratio <= 0 || res.DeepFirstRatio <= 0 || res.LikeSearchRatio <= 0 {
		t.Errorf("bench result %+v", res)
	}
	if _, err := os.Stat(c.db); !os.IsNotExist(err) {
		t.Errorf("bench touched the configured database: %v", err)
	}
	out = c.must("", "bench", "api", "--assets", "1000", "--samples", "10")
	if !strings.Contains(out, "LIKE ÷ 检索") {
		t.Errorf("bench table:\n%s", out)
	}
}
