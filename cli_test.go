package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"assetpool/app"
)

// cli runs the command line in-process against dbPath and returns its exit code and output.
type cli struct {
	t   *testing.T
	db  string
	env map[string]string
}

func newCLI(t *testing.T) *cli {
	return &cli{t: t, db: filepath.Join(t.TempDir(), "cli.db"), env: map[string]string{}}
}

func (c *cli) run(stdin string, args ...string) (int, string, string) {
	c.t.Helper()
	var out, errOut bytes.Buffer
	env := func(k string) string {
		if k == "ASSETPOOL_DB" {
			if v, ok := c.env[k]; ok {
				return v
			}
			return c.db
		}
		return c.env[k]
	}
	code := run(context.Background(), args, env, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func (c *cli) must(stdin string, args ...string) string {
	c.t.Helper()
	code, out, errOut := c.run(stdin, args...)
	if code != 0 {
		c.t.Fatalf("assetpool %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func TestCLIUnitsAndUsers(t *testing.T) {
	c := newCLI(t)
	c.must("", "unit", "add", "--code", "GXQ", "--name", "高新区管委会", "--staff", "80")
	// Flags may come before the command, and --db works on every command.
	other := filepath.Join(t.TempDir(), "other.db")
	c.must("", "--db", other, "unit", "add", "--code", "X", "--name", "别的库")
	c.must("", "unit", "add", "--code", "JFJ", "--name", "经济发展局", "--parent", "GXQ", "--area", "管委会机关", "--staff", "35")
	out := c.must("", "unit", "list")
	if !strings.Contains(out, "经济发展局") || !strings.Contains(out, "GXQ") || strings.Contains(out, "别的库") {
		t.Fatalf("unit list:\n%s", out)
	}
	if out := c.must("", "unit", "list", "--db", other); !strings.Contains(out, "别的库") {
		t.Fatalf("--db after the command was ignored:\n%s", out)
	}

	c.must("secret-pass-1\n", "user", "add", "--username", "zhang", "--name", "张三", "--role", "clerk", "--unit", "JFJ", "--password-stdin")
	c.must("secret-pass-2\n", "user", "add", "--username", "cz", "--role", "finance", "--password-stdin")
	out = c.must("", "user", "list")
	if !strings.Contains(out, "zhang") || !strings.Contains(out, "经济发展局") || !strings.Contains(out, "finance") {
		t.Fatalf("user list:\n%s", out)
	}
	// The positional argument may come before or after the flag.
	c.must("new-pass-123\n", "user", "passwd", "zhang", "--password-stdin")
	c.must("new-pass-456\n", "user", "passwd", "--password-stdin", "zhang")
	a := openDB(t, c.db)
	if _, _, err := a.Login(context.Background(), "zhang", "new-pass-456", "127.0.0.1", ""); err != nil {
		t.Fatalf("login with the new password: %v", err)
	}
	a.Close()
}

func TestCLIErrors(t *testing.T) {
	c := newCLI(t)
	cases := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"unknown command", "", []string{"frobnicate"}, 2, "未知的命令"},
		{"unknown subcommand", "", []string{"unit", "nuke"}, 2, "未知的子命令"},
		{"unknown flag", "", []string{"unit", "list", "--bogus"}, 2, "bogus"},
		{"missing argument", "", []string{"user", "passwd", "--password-stdin"}, 2, "需要 1 个参数"},
		{"password not from stdin", "", []string{"user", "add", "--username", "u1", "--role", "admin"}, 1, "--password-stdin"},
		{"empty password", "", []string{"user", "add", "--username", "u1", "--role", "admin", "--password-stdin"}, 1, "没有密码"},
		{"weak password", "short\n", []string{"user", "add", "--username", "u1", "--role", "admin", "--password-stdin"}, 1, "至少 8 位"},
		{"bad role", "password-1\n", []string{"user", "add", "--username", "u1", "--role", "boss", "--password-stdin"}, 1, "角色无效"},
		{"clerk without unit", "password-1\n", []string{"user", "add", "--username", "u1", "--role", "clerk", "--password-stdin"}, 1, "必须指定所属单位"},
		{"unknown unit", "password-1\n", []string{"user", "add", "--username", "u1", "--role", "clerk", "--unit", "NOPE", "--password-stdin"}, 1, "NOPE"},
		{"unit without name", "", []string{"unit", "add", "--code", "A"}, 1, "单位名称不能为空"},
		{"postgres", "", []string{"unit", "list", "--db", "postgres://u:pw@localhost/test"}, 1, "not supported yet"},
		{"missing file", "", []string{"category", "import", "/nonexistent.csv"}, 1, "nonexistent.csv"},
		{"token for nobody", "", []string{"token", "create", "--username", "ghost"}, 1, "ghost"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := c.run(tc.stdin, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stderr to contain %q", code, tc.code, out, errOut, tc.want)
			}
		})
	}
}

func TestCLIHelpEverywhere(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{{"--help"}, {"-h"}, {"unit", "--help"}, {"unit", "add", "--help"}, {"user", "add", "-h"}, {"serve", "--help"}, {"token", "create", "--help"}, {"category", "import", "--help"}, {"demo", "--help"}} {
		code, out, errOut := c.run("", args...)
		if code != 0 || !strings.Contains(out, "用法") {
			t.Errorf("%v: exit %d\nstdout: %s\nstderr: %s", args, code, out, errOut)
		}
	}
	_, out, _ := c.run("", "unit", "add", "--help")
	if !strings.Contains(out, "--staff") && !strings.Contains(out, "-staff") {
		t.Errorf("unit add --help does not list --staff:\n%s", out)
	}
}

// TestCLIHelpListsOnlyTheCommandsOwnFlags: each command's --help lists the flags it uses and
// no other (no --addr outside serve, no --db for the benchmarks, which make their own
// database), and a flag a command does not take is refused.
func TestCLIHelpListsOnlyTheCommandsOwnFlags(t *testing.T) {
	c := newCLI(t)
	want := map[string]string{
		"serve":           "addr db hold-days jurisdiction match-weights pool-repairable upload-limit-mb",
		"unit add":        "area code db name parent staff",
		"unit list":       "db",
		"user add":        "db name password-stdin role unit username",
		"user passwd":     "db password-stdin",
		"user list":       "db",
		"token create":    "db name username",
		"token list":      "db username",
		"token revoke":    "db",
		"category import": "db",
		"backup":          "db",
		"demo":            "db",
		"import":          "blank-clears db dry-run json skip-invalid unit upload-limit-mb",
		"bench import":    "dir json rows",
		"bench api":       "assets dir json samples",
		"match":           "db hold-days json jurisdiction match-weights",
		"bench match":     "dir items json requests",
	}
	flagLine := regexp.MustCompile(`(?m)^\s+-([a-z][a-z-]*)`)
	for _, cmd := range commands() {
		code, out, errOut := c.run("", append(strings.Fields(cmd.name), "--help")...)
		if code != 0 {
			t.Errorf("%s --help: exit %d\n%s", cmd.name, code, errOut)
			continue
		}
		var got []string
		for _, m := range flagLine.FindAllStringSubmatch(out, -1) {
			got = append(got, m[1])
		}
		slices.Sort(got)
		if w, ok := want[cmd.name]; !ok || strings.Join(got, " ") != w {
			t.Errorf("%s --help lists %q, want %q:\n%s", cmd.name, strings.Join(got, " "), w, out)
		}
	}
	if code, _, errOut := c.run("", "unit", "list", "--addr", ":9999"); code != 2 || !strings.Contains(errOut, "addr") {
		t.Errorf("unit list --addr: exit %d\n%s", code, errOut)
	}
}

func TestCLITokenCreateListRevoke(t *testing.T) {
	c := newCLI(t)
	c.must("password-123\n", "user", "add", "--username", "bot", "--role", "finance", "--password-stdin")
	token := strings.TrimSpace(c.must("", "token", "create", "--username", "bot", "--name", "报表"))
	a := openDB(t, c.db)
	if u, err := a.UserByAPIToken(context.Background(), token); err != nil || u.Username != "bot" {
		t.Fatalf("printed token does not work: %q %v", token, err)
	}
	a.Close()
	out := c.must("", "token", "list")
	if !strings.Contains(out, "报表") || !strings.Contains(out, "有效") {
		t.Fatalf("token list:\n%s", out)
	}
	id := regexp.MustCompile(`(?m)^(\d+)\s+bot`).FindStringSubmatch(out)
	if id == nil {
		t.Fatalf("no id in:\n%s", out)
	}
	c.must("", "token", "revoke", id[1])
	a = openDB(t, c.db)
	defer a.Close()
	if _, err := a.UserByAPIToken(context.Background(), token); err == nil {
		t.Fatal("revoked token still works")
	}
}

func TestCLICategoryImport(t *testing.T) {
	c := newCLI(t)
	out := c.must("", "category", "import", filepath.Join("app", "testdata", "categories_gbk.csv"))
	if !strings.Contains(out, "分类表已更新") {
		t.Fatalf("output: %s", out)
	}
	a := openDB(t, c.db)
	defer a.Close()
	cats, _ := a.ListCategories(context.Background())
	if len(cats) != 8 {
		t.Fatalf("%d categories after import", len(cats))
	}
}

func TestServeCreatesAdminAndShutsDownGracefully(t *testing.T) {
	c := newCLI(t)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var errOut bytes.Buffer
	done := make(chan int, 1)
	env := func(k string) string {
		switch k {
		case "ASSETPOOL_DB":
			return c.db
		case "ASSETPOOL_ADDR":
			return "127.0.0.1:0"
		}
		return ""
	}
	go func() { done <- run(ctx, nil, env, strings.NewReader(""), pw, &errOut); pw.Close() }()
	var printed strings.Builder
	buf := make([]byte, 4096)
	var url string
	deadline := time.Now().Add(20 * time.Second)
	for url == "" && time.Now().Before(deadline) {
		n, err := pr.Read(buf)
		printed.Write(buf[:n])
		if m := regexp.MustCompile(`http://\S+`).FindString(printed.String()); m != "" {
			url = m
		}
		if err != nil {
			break
		}
	}
	go io.Copy(io.Discard, pr)
	pwMatch := regexp.MustCompile(`密码：\s*(\S+)`).FindStringSubmatch(printed.String())
	if url == "" || pwMatch == nil {
		t.Fatalf("serve printed:\n%s\nstderr: %s", printed.String(), errOut.String())
	}
	resp, err := http.Post(url+"/api/v1/login", "application/json", strings.NewReader(`{"username":"admin","password":"`+pwMatch[1]+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("admin login with the printed password: %d", resp.StatusCode)
	}
	page, err := http.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	page.Body.Close()
	if page.StatusCode != http.StatusOK || !strings.HasPrefix(page.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %d %s", page.StatusCode, page.Header.Get("Content-Type"))
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d: %s", code, errOut.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not shut down")
	}
	if !strings.Contains(errOut.String(), "shutting down") {
		t.Errorf("no shutdown log:\n%s", errOut.String())
	}
}

func openDB(t *testing.T, path string) *app.App {
	t.Helper()
	cfg := app.DefaultConfig()
	cfg.DB = path
	a, err := app.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestCLIBackup(t *testing.T) {
	c := newCLI(t)
	c.must("", "unit", "add", "--code", "A", "--name", "甲局")
	dst := filepath.Join(t.TempDir(), "copy.db")
	c.must("", "backup", dst)
	if out := c.must("", "unit", "list", "--db", dst); !strings.Contains(out, "甲局") {
		t.Fatalf("backup lacks the unit:\n%s", out)
	}
	if code, _, errOut := c.run("", "backup", dst); code != 1 || !strings.Contains(errOut, "已存在") {
		t.Fatalf("second backup to the same file: %d %s", code, errOut)
	}
}
