package handlers

// Browser tests drive the embedded web UI in a real headless Chromium against the real server
// on a fresh database. They are skipped when no Chromium is installed (Debian: apt-get install
// chromium). Set ASSETPOOL_SCREENSHOTS to a folder to keep screenshots of the pages visited.

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// browserTimeout bounds one browser test from its first page to its last check.
const browserTimeout = 60 * time.Second

// chromiumPath returns the browser to drive: $CHROME_BIN, or the first of the usual names.
func chromiumPath() string {
	candidates := []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}
	if env := os.Getenv("CHROME_BIN"); env != "" {
		candidates = append([]string{env}, candidates...)
	}
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	return ""
}

// browser is one headless Chromium tab pointed at a running assetpool server.
type browser struct {
	t    *testing.T
	f    *fixture
	ctx  context.Context // carries the test's deadline
	base string          // http://127.0.0.1:port

	mu       sync.Mutex
	problems []string // console errors, uncaught exceptions, CSP violations
}

// newBrowser serves f on a free local port and opens Chromium on it. The page's console is
// watched for the whole test: any error, uncaught exception or CSP violation fails the test.
func newBrowser(t *testing.T, f *fixture) *browser {
	t.Helper()
	bin := chromiumPath()
	if bin == "" {
		// CI installs Chromium and sets this, so that a broken install fails instead of skipping.
		if os.Getenv("ASSETPOOL_REQUIRE_BROWSER") != "" {
			t.Fatal("ASSETPOOL_REQUIRE_BROWSER is set but no Chromium binary was found")
		}
		t.Skip("browser tests skipped: no Chromium binary found (install Debian package chromium)")
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	go func() { _ = f.srv.Listener(ln) }()
	t.Cleanup(func() { _ = f.srv.ShutdownWithTimeout(5 * time.Second) })

	// Chromium's helper processes can still be writing the profile when the browser is told
	// to stop, so t.TempDir's strict cleanup would fail the test now and then: the profile
	// lives in a directory of its own, removed with a few retries once the browser is gone
	// (cleanups run last-in, first-out, so this one runs after the cancels below).
	profile, err := os.MkdirTemp("", "assetpool-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1366, 768),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	b := &browser{t: t, f: f, base: "http://" + ln.Addr().String()}

	// The first Run starts the browser and binds its life to tabCtx, so it has no deadline;
	// the test's deadline goes on the derived context that every later action uses.
	messages := chromedp.Console(tabCtx)
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.note(m)
		}
	}()
	// Report CSP violations on the console too; a DevTools script is not bound by the CSP.
	_, err = chromedp.Call(tabCtx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `document.addEventListener('securitypolicyviolation', (e) =>
			console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
				' at ' + e.sourceFile + ':' + e.lineNumber));`,
	})
	if err != nil {
		t.Fatalf("install CSP watcher: %v", err)
	}

	ctx, cancel := context.WithTimeout(tabCtx, browserTimeout)
	t.Cleanup(cancel)
	b.ctx = ctx
	t.Cleanup(b.checkConsole) // runs first: cleanups run last-in, first-out
	return b
}

// note records a console message that means something went wrong in the page.
func (b *browser) note(m chromedp.ConsoleMessage) {
	bad := m.IsException() || m.Type == chromedp.ConsoleError
	// The browser logs every API answer of 4xx as a failed resource: a 401 from GET /me before
	// login or a 400 for a bad form is how the API reports to the UI, not a fault of the page.
	if m.Source == "network" && strings.Contains(m.URL, "/api/") {
		bad = false
	}
	if !bad {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, fmt.Sprintf("%s %s (%s:%d)", m.Type, m.Text, m.URL, m.Line+1))
}

// checkConsole fails the test if the page wrote an error to its console.
func (b *browser) checkConsole() {
	time.Sleep(150 * time.Millisecond) // let the last events arrive
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Errorf("browser console: %s", p)
	}
}

// do runs actions, failing the test with what the page shows when one fails.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.fatalf("%s: %v", what, err)
	}
}

// fatalf stops the test and shows the visible text of the page, to see what went wrong.
func (b *browser) fatalf(format string, args ...any) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(b.ctx), 3*time.Second)
	defer cancel()
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ''`))
	if err != nil {
		text = "(page text unavailable: " + err.Error() + ")"
	}
	b.shot("failure-" + b.t.Name())
	b.t.Fatalf(format+"\n--- page text ---\n%s", append(args, text)...)
}

// open loads a path of the UI, e.g. "/" or "/#/settings/units".
func (b *browser) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path))
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// waitText waits until the visible text of the first element matching sel contains text.
func (b *browser) waitText(sel, text string) {
	b.t.Helper()
	expr := fmt.Sprintf(`(() => { const el = document.querySelector(%s); return !!el && el.innerText.includes(%s); })()`, js(sel), js(text))
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		b.fatalf("waiting for %q in %s: %v", text, sel, err)
	}
}

// waitVisible waits until an element matching sel is shown.
func (b *browser) waitVisible(sel string) {
	b.t.Helper()
	b.do("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// waitGone waits until no element matches sel (a dialog closed, a row deleted).
func (b *browser) waitGone(sel string) {
	b.t.Helper()
	expr := fmt.Sprintf(`document.querySelector(%s) === null`, js(sel))
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		b.fatalf("waiting for %s to go away: %v", sel, err)
	}
}

// click clicks the first visible element matching sel.
func (b *browser) click(sel string) {
	b.t.Helper()
	// A list that reloads after a change replaces its rows: a node found a moment before the
	// click may be gone by then, so the click looks the selector up again.
	for attempt := 0; ; attempt++ {
		err := chromedp.Do(b.ctx, chromedp.Click(chromedp.CSS(sel)))
		if err == nil {
			return
		}
		if attempt == 4 || !strings.Contains(err.Error(), "Could not find node") {
			b.fatalf("click %s: %v", sel, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// fill empties the input matching sel and types value into it.
func (b *browser) fill(sel, value string) {
	b.t.Helper()
	clear := fmt.Sprintf(`(() => { const el = document.querySelector(%s); if (el) el.value = ''; return !!el; })()`, js(sel))
	b.do("fill "+sel,
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool](clear)(ctx, t)
			return err
		}),
		chromedp.SendKeys(chromedp.CSS(sel), value))
}

// choose picks the option with value in the select matching sel, as a user would (with a
// change event).
func (b *browser) choose(sel, value string) {
	b.t.Helper()
	expr := fmt.Sprintf(`(() => { const el = document.querySelector(%s); if (!el) return false;
		el.value = %s; el.dispatchEvent(new Event('change', {bubbles: true})); return el.value === %s; })()`, js(sel), js(value), js(value))
	ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](expr))
	if err != nil || !ok {
		b.fatalf("choose %q in %s: ok=%v err=%v", value, sel, ok, err)
	}
}

// chooseLabel picks the option whose text contains label in the select matching sel.
func (b *browser) chooseLabel(sel, label string) {
	b.t.Helper()
	expr := fmt.Sprintf(`(() => { const el = document.querySelector(%s); if (!el) return '';
		const o = [...el.options].find((o) => o.text.includes(%s)); return o ? o.value : ''; })()`, js(sel), js(label))
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr))
	if err != nil || v == "" {
		b.fatalf("no option %q in %s: %v", label, sel, err)
	}
	b.choose(sel, v)
}

// upload puts the file at path into the file input matching sel (which may be hidden behind
// a styled label, as the UI's file pickers are).
func (b *browser) upload(sel, path string) {
	b.t.Helper()
	b.do("upload "+path, chromedp.SetUploadFiles(chromedp.CSS(sel), []string{path}))
}

// text returns the visible text of the first element matching sel.
func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%s) || {}).innerText || ''`, js(sel))))
	if err != nil {
		b.fatalf("read %s: %v", sel, err)
	}
	return s
}

// login signs in through the login form and waits for the signed-in layout.
func (b *browser) login(username, password string) {
	b.t.Helper()
	b.open("/")
	b.waitVisible("#login-form")
	b.fill(`#login-form input[name="username"]`, username)
	b.fill(`#login-form input[name="password"]`, password)
	b.click(`#login-form button[type="submit"]`)
	b.waitVisible("header.topbar")
}

// shot saves a full-page screenshot as name.png into $ASSETPOOL_SCREENSHOTS, when it is set.
func (b *browser) shot(name string) {
	dir := os.Getenv("ASSETPOOL_SCREENSHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(b.ctx), 5*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	name = strings.NewReplacer("/", "-", " ", "-").Replace(name)
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
	}
}

func TestBrowserLoginPage(t *testing.T) {
	b := newBrowser(t, newFixture(t))
	b.open("/")
	b.waitVisible("#login-form")
	b.waitText(".login-page", "公物仓 · 资产调剂平台")
	b.waitText(".login-card", "用户登录")
	title, err := chromedp.Run(b.ctx, chromedp.Title())
	if err != nil || !strings.Contains(title, "公物仓") {
		t.Errorf("title = %q, %v; want the product name", title, err)
	}
	for _, sel := range []string{`input[name="username"]`, `input[name="password"][type="password"]`, `button[type="submit"]`} {
		b.waitVisible("#login-form " + sel)
	}
	b.shot("login")
}

func TestBrowserClerkSeesOwnUnit(t *testing.T) {
	f := newFixture(t)
	b := newBrowser(t, f)
	b.login("clerkA", testPassword)
	b.waitText("header.topbar", "张会计")
	b.waitText("header.topbar", "经济发展局")
	b.waitText("header.topbar", "单位资产管理员")
	b.waitText("#page", "经济发展局")
	b.waitText("#page", "还没有导入资产台账")
	b.waitText("#page .deflist", "UA")
	if nav := b.text("#sidenav"); !strings.Contains(nav, "本单位概况") || strings.Contains(nav, "系统设置") || strings.Contains(nav, "审批工作台") {
		t.Errorf("clerk navigation = %q; want only 本单位概况", nav)
	}
	b.shot("clerk-overview")

	// Reloading keeps the session: GET /me finds it.
	b.open("/#/overview")
	b.waitText("#page", "还没有导入资产台账")

	// A clerk who types an administrator's address lands on their own page.
	b.open("/#/settings/users")
	b.waitText("#page h1", "本单位概况")
	b.waitText("#page .page-subtitle", "经济发展局")

	b.click(`button[data-action="logout"]`)
	b.waitVisible("#login-form")
	b.waitText(".login-card", "您已安全退出")
}

func TestBrowserLoginFailureShowsMessage(t *testing.T) {
	b := newBrowser(t, newFixture(t))
	b.open("/")
	b.waitVisible("#login-form")
	b.fill(`#login-form input[name="username"]`, "clerkA")
	b.fill(`#login-form input[name="password"]`, "wrong-password")
	b.click(`#login-form button[type="submit"]`)
	b.waitText("#login-form .form-error", "用户名或密码错误")
	b.shot("login-failed")

	// An empty form is refused before anything is sent.
	b.fill(`#login-form input[name="username"]`, "")
	b.click(`#login-form button[type="submit"]`)
	b.waitText("#login-form .form-error", "请输入用户名和密码")
}

func TestBrowserFinanceWorkbench(t *testing.T) {
	b := newBrowser(t, newFixture(t))
	b.login("finance", testPassword)
	b.waitText("#page h1", "审批工作台")
	b.waitText("#page", "暂无待审批事项")
	b.waitText("#page table", "经济发展局")
	b.waitText("#page table", "兴仁街道")
	b.waitText("#page .table-footer", "共 2 个单位")
	b.fill(`#page input[type="search"]`, "UB")
	b.waitText("#page .table-footer", "共 1 个单位")
	if s := b.text("#page table tbody"); strings.Contains(s, "经济发展局") {
		t.Errorf("filter by UB still lists 经济发展局: %q", s)
	}
	b.shot("finance-workbench")
}

func TestBrowserChangeOwnPassword(t *testing.T) {
	f := newFixture(t)
	b := newBrowser(t, f)
	b.login("clerkB", testPassword)
	b.click(`button[data-action="change-password"]`)
	b.waitVisible(`form[data-form="password"]`)
	b.fill(`form[data-form="password"] input[name="old_password"]`, "not-my-password")
	b.fill(`form[data-form="password"] input[name="new_password"]`, "brand-new-pass-9")
	b.fill(`form[data-form="password"] input[name="new_password_again"]`, "brand-new-pass-9")
	b.click(`form[data-form="password"] button[type="submit"]`)
	b.waitText(`form[data-form="password"] .form-error`, "原密码不正确")

	b.fill(`form[data-form="password"] input[name="old_password"]`, testPassword)
	b.click(`form[data-form="password"] button[type="submit"]`)
	b.waitVisible("#login-form")
	b.waitText(".login-card", "密码已修改")

	b.login("clerkB", "brand-new-pass-9")
	b.waitText("header.topbar", "兴仁街道")
}

func TestBrowserPhoneMenu(t *testing.T) {
	b := newBrowser(t, newFixture(t))
	b.do("phone screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.login("admin", testPassword)
	b.waitText("#page h1", "系统设置")
	visible := func(sel string) bool {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const el = document.querySelector(%s); return !!el && el.offsetParent !== null; })()`, js(sel))))
		if err != nil {
			b.fatalf("visible %s: %v", sel, err)
		}
		return ok
	}
	if visible("#sidenav") {
		t.Errorf("navigation shown on a phone before the menu is opened")
	}
	b.shot("phone-settings")
	b.click("button.menu-toggle")
	b.waitVisible(`#sidenav a[data-page="settings"]`)
	b.shot("phone-menu")
	b.click(`#sidenav a[data-page="settings"]`)
	b.waitGone(".menu-open")
}

// TestBrowserDemoDistrict is `assetpool demo` followed by signing in: the clerk sees the totals
// of their register and finance sees every unit of the district with theirs.
func TestBrowserDemoDistrict(t *testing.T) {
	f := newFixture(t)
	demo, err := f.app.LoadDemo(context.Background())
	if err != nil {
		t.Fatalf("load demo: %v", err)
	}
	totals, err := f.app.AssetTotalsByUnit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	jfj, err := f.app.UnitByCode(context.Background(), "GXQ-JFJ")
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, f)
	b.login("jingfa", demo.Password)
	b.waitText("header.topbar", "经济发展局")
	b.waitText("#page .stats", fmt.Sprintf("%d 张", totals[jfj.ID].Cards))
	b.waitText("#page .stats", "闲置率")
	if s := b.text("#page"); strings.Contains(s, "还没有导入资产台账") {
		t.Errorf("clerk with a register sees the empty state: %q", s)
	}
	b.shot("demo-clerk-overview")
	b.click(`button[data-action="logout"]`)
	b.waitVisible("#login-form")

	b.login("caizheng", demo.Password)
	b.waitText("#page table", "张范街道")
	b.waitText("#page table", "社会事务综合服务中心")
	b.waitText("#page .table-footer", fmt.Sprintf("资产卡片 %s 张", groupThousands(demo.Assets)))
	b.shot("demo-finance-workbench")
}

// groupThousands writes 2981 as 2,981, as the UI does.
func groupThousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
