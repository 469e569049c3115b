package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-runewidth"

	"assetpool/app"
	"assetpool/handlers"
	"assetpool/models"
)

// errUsage marks a command line that could not be understood; its usage has been printed.
var errUsage = errors.New("usage")

// env is how the CLI reads the environment, so tests can give their own.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one leaf of the command tree.
type command struct {
	name    string // "unit add"
	args    string // positional arguments, for the usage line
	summary string
	flags   func(fs *flag.FlagSet) // defines the command's own flags
	run     func(ctx context.Context, in *invocation) error
	// noDB marks a command that does not use the configured database (it makes its own).
	noDB bool
}

// invocation is what a command runs with: its parsed flags and arguments and the opened database.
type invocation struct {
	env
	cfg  app.Config
	fs   *flag.FlagSet
	args []string
	app  *app.App
	log  *slog.Logger
}

func commands() []command {
	return []command{
		{"serve", "", "启动 Web 服务（默认命令）", nil, runServe, false},
		{"unit add", "", "新增单位", unitAddFlags, runUnitAdd, false},
		{"unit list", "", "列出单位", nil, runUnitList, false},
		{"user add", "", "新增用户（密码从标准输入读取）", userAddFlags, runUserAdd, false},
		{"user passwd", "USERNAME", "重设用户密码（密码从标准输入读取）", passwordFlags, runUserPasswd, false},
		{"user list", "", "列出用户", nil, runUserList, false},
		{"token create", "", "为用户创建 API 令牌（只显示一次）", tokenCreateFlags, runTokenCreate, false},
		{"token list", "", "列出 API 令牌", tokenListFlags, runTokenList, false},
		{"token revoke", "ID", "吊销 API 令牌", nil, runTokenRevoke, false},
		{"category import", "FILE", "用 CSV 或 .xlsx 文件替换资产分类表", nil, runCategoryImport, false},
		{"backup", "FILE", "在服务运行时把数据库完整备份到新文件", nil, runBackup, false},
		{"demo", "", "载入演示数据：一个高新区的单位、账号和资产", nil, runDemo, false},
		{"import", "FILE", "导入单位的资产清查表（.xlsx、.xls、.csv）：先检查，全部无误才写入", importFlags, runImport, false},
		{"bench import", "", "导入性能基准：生成清查表，比较纯读取与完整导入的耗时和内存", benchImportFlags, runBenchImport, true},
		{"bench api", "", "台账接口性能基准：生成资产卡片，比较 API 与直接 SQL、深页与首页、检索与 LIKE 扫描", benchAPIFlags, runBenchAPI, true},
		{"match", "", "运行匹配：为全部开放的购置需求在闲置资产库中求最优调剂方案", matchFlags, runMatch, false},
		{"bench match", "", "匹配性能基准：生成闲置资产和购置需求，比较逐项贪心与全局最优的耗时和目标值", benchMatchFlags, runBenchMatch, true},
	}
}

// run executes the command line args and returns the process exit code:
// 0 on success, 1 when the command failed, 2 when the command line was wrong.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	err := dispatch(ctx, e, args)
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintln(stderr, "assetpool: "+describe(err))
	return 1
}

// describe turns an error into one line for the terminal: a domain error's message, and the
// cause of an internal one, which the operator at the console may see.
func describe(err error) string {
	var de *models.Error
	if errors.As(err, &de) {
		if de.Code == models.EInternal && de.Err != nil {
			return de.Err.Error()
		}
		return de.Message
	}
	return err.Error()
}

func dispatch(ctx context.Context, e env, args []string) error {
	// Global flags may stand before the command; they are handed on to it.
	var global []string
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		a := args[0]
		if a == "-h" || a == "--help" || a == "-help" {
			printUsage(e.stdout)
			return flag.ErrHelp
		}
		global = append(global, a)
		args = args[1:]
		if !strings.Contains(a, "=") && len(args) > 0 && takesValue(a) {
			global = append(global, args[0])
			args = args[1:]
		}
	}
	if len(args) == 0 {
		args = []string{"serve"}
	}
	cmds := commands()
	for _, c := range cmds {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return runCommand(ctx, e, c, append(global, args[len(words):]...))
		}
	}
	// A group word alone ("unit") or with --help lists its subcommands.
	var group []command
	for _, c := range cmds {
		if strings.HasPrefix(c.name, args[0]+" ") {
			group = append(group, c)
		}
	}
	if len(group) > 0 {
		wantHelp := len(args) > 1 && (args[1] == "-h" || args[1] == "--help")
		w := e.stderr
		if wantHelp {
			w = e.stdout
		} else if len(args) > 1 {
			fmt.Fprintf(w, "assetpool: 未知的子命令 %q\n\n", strings.Join(args[:2], " "))
		}
		fmt.Fprintf(w, "用法: assetpool %s <子命令> [参数]\n\n子命令:\n", args[0])
		for _, c := range group {
			fmt.Fprintf(w, "  %-18s %s\n", c.name, c.summary)
		}
		if wantHelp {
			return flag.ErrHelp
		}
		return errUsage
	}
	fmt.Fprintf(e.stderr, "assetpool: 未知的命令 %q\n\n", args[0])
	printUsage(e.stderr)
	return errUsage
}

// takesValue reports whether a global flag is followed by a value.
func takesValue(flagArg string) bool {
	name := strings.TrimLeft(flagArg, "-")
	return name == "db" || name == "addr"
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `assetpool — 公物仓：行政事业单位资产台账、闲置资产库与调剂

用法: assetpool [命令] [参数]      （不带命令时等同于 assetpool serve）

命令:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-18s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
除性能基准（bench …，自建临时数据库）外，每个命令都接受 --db（环境变量 ASSETPOOL_DB，
默认 ./assetpool.db），并在执行前自动迁移数据库。
查看某个命令的参数：assetpool <命令> --help
`)
}

// runCommand parses the command's flags, which may stand before, between or after its
// positional arguments, opens the database and runs it.
func runCommand(ctx context.Context, e env, c command, args []string) error {
	fs := flag.NewFlagSet("assetpool "+c.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg := app.DefaultConfig()
	if v := e.getenv("ASSETPOOL_DB"); v != "" {
		cfg.DB = v
	}
	if v := e.getenv("ASSETPOOL_ADDR"); v != "" {
		cfg.Addr = v
	}
	uploadMB := cfg.UploadLimit >> 20
	if v := e.getenv("ASSETPOOL_UPLOAD_LIMIT_MB"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return models.Errorf(models.EInvalid, "环境变量 ASSETPOOL_UPLOAD_LIMIT_MB 应为整数（MB）")
		}
		uploadMB = n
	}
	if v := e.getenv("ASSETPOOL_POOL_REPAIRABLE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return models.Errorf(models.EInvalid, "环境变量 ASSETPOOL_POOL_REPAIRABLE 应为 1 或 0")
		}
		cfg.PoolRepairable = b
	}
	if v := e.getenv("ASSETPOOL_HOLD_DAYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return models.Errorf(models.EInvalid, "环境变量 ASSETPOOL_HOLD_DAYS 应为整数（天）")
		}
		cfg.HoldDays = n
	}
	if v := e.getenv("ASSETPOOL_JURISDICTION"); v != "" {
		cfg.Jurisdiction = v
	}
	weights := cfg.Weights.String()
	if v := e.getenv("ASSETPOOL_MATCH_WEIGHTS"); v != "" {
		weights = v
	}
	// A command defines only the flags it uses, so that its --help lists nothing else.
	if !c.noDB {
		fs.StringVar(&cfg.DB, "db", cfg.DB, "SQLite 数据库文件 (环境变量 ASSETPOOL_DB)")
	}
	if c.flags != nil {
		c.flags(fs)
	}
	if c.name == "serve" || c.name == "import" {
		fs.Int64Var(&uploadMB, "upload-limit-mb", uploadMB, "上传文件大小上限，MB (环境变量 ASSETPOOL_UPLOAD_LIMIT_MB)")
	}
	if c.name == "serve" || c.name == "match" {
		fs.IntVar(&cfg.HoldDays, "hold-days", cfg.HoldDays, "调剂建议保留资产的天数，过期未批准即释放 (环境变量 ASSETPOOL_HOLD_DAYS)")
		fs.StringVar(&cfg.Jurisdiction, "jurisdiction", cfg.Jurisdiction, "核对购置需求所用配置标准的适用地区 (环境变量 ASSETPOOL_JURISDICTION)")
		fs.StringVar(&weights, "match-weights", weights, "匹配得分权重 (环境变量 ASSETPOOL_MATCH_WEIGHTS)")
	}
	if c.name == "serve" {
		fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "监听地址 (环境变量 ASSETPOOL_ADDR)")
		fs.BoolVar(&cfg.PoolRepairable, "pool-repairable", cfg.PoolRepairable, "闲置资产库也收录“需维修”的闲置资产 (环境变量 ASSETPOOL_POOL_REPAIRABLE=1)")
	}
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "用法: assetpool %s [参数] %s\n%s\n\n参数:\n", c.name, c.args, c.summary)
		fs.PrintDefaults()
	}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(e.stdout)
				fs.Usage()
				return flag.ErrHelp
			}
			return errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	cfg.UploadLimit = uploadMB << 20
	w, err := app.ParseWeights(weights)
	if err != nil {
		return err
	}
	cfg.Weights = w
	if want := len(strings.Fields(c.args)); len(positional) != want {
		fmt.Fprintf(e.stderr, "assetpool %s: 需要 %d 个参数 %s，实际给了 %d 个\n", c.name, want, c.args, len(positional))
		fs.Usage()
		return errUsage
	}
	level := slog.LevelWarn
	if c.name == "serve" {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	if c.noDB {
		return c.run(ctx, &invocation{env: e, cfg: cfg, fs: fs, args: positional, log: log})
	}
	// Every command opens, and so migrates, the database before it does anything else.
	a, err := app.Open(ctx, cfg, app.WithLogger(log))
	if err != nil {
		return err
	}
	defer a.Close()
	return c.run(ctx, &invocation{env: e, cfg: cfg, fs: fs, args: positional, app: a, log: log})
}

func runServe(ctx context.Context, in *invocation) error {
	if err := in.app.RecoverImports(ctx); err != nil {
		return err
	}
	pw, err := in.app.EnsureAdmin(ctx)
	if models.ErrorCode(err) == models.EConflict {
		// No administrator and the name "admin" taken: serve anyway, the operator can add one.
		in.log.Warn(models.ErrorMessage(err))
	} else if err != nil {
		return err
	}
	if pw != "" {
		fmt.Fprintf(in.stdout, `
================================================================
数据库中还没有系统管理员，已自动创建：
  用户名：admin
  密码：  %s
此密码只显示这一次。登录后请在页面右上角「修改密码」中更改，
或运行：assetpool user passwd admin --password-stdin
================================================================

`, pw)
	}
	ln, err := net.Listen("tcp", in.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", in.cfg.Addr, err)
	}
	srv := handlers.New(in.app, in.log)
	go housekeep(ctx, in.app, in.log)
	errc := make(chan error, 1)
	go func() { errc <- srv.Listener(ln) }()
	in.log.Info("assetpool listening", "addr", ln.Addr().String(), "db", in.cfg.DB)
	fmt.Fprintf(in.stdout, "assetpool 已启动：http://%s\n", displayAddr(ln.Addr()))
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	in.log.Info("shutting down")
	if err := srv.ShutdownWithTimeout(15 * time.Second); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// displayAddr turns a listen address into one a browser can open.
func displayAddr(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// housekeep purges expired sessions and releases expired holds every hour while serve runs.
func housekeep(ctx context.Context, a *app.App, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := a.PurgeExpiredSessions(ctx); err != nil {
			log.Warn("purge expired sessions", "err", err)
		} else if n > 0 {
			log.Info("purged expired sessions", "count", n)
		}
		if n, err := a.ReleaseExpiredHolds(ctx); err != nil {
			log.Warn("release expired holds", "err", err)
		} else if n > 0 {
			log.Info("released expired holds", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func unitAddFlags(fs *flag.FlagSet) {
	fs.String("code", "", "单位代码（必填）")
	fs.String("name", "", "单位名称（必填）")
	fs.String("parent", "", "上级单位（主管部门）的代码")
	fs.String("area", "", "所在街道/片区")
	fs.Int("staff", 0, "编制人数")
}

func flagString(fs *flag.FlagSet, name string) string { return fs.Lookup(name).Value.String() }

func runUnitAdd(ctx context.Context, in *invocation) error {
	staff, _ := strconv.Atoi(flagString(in.fs, "staff"))
	u := &models.Unit{Code: flagString(in.fs, "code"), Name: flagString(in.fs, "name"), Area: flagString(in.fs, "area"), Staff: staff}
	if p := flagString(in.fs, "parent"); p != "" {
		parent, err := in.app.UnitByCode(ctx, p)
		if err != nil {
			return err
		}
		u.ParentID = &parent.ID
	}
	if err := in.app.CreateUnit(ctx, nil, u); err != nil {
		return err
	}
	fmt.Fprintf(in.stdout, "已新增单位 %s %s（编号 %d）\n", u.Code, u.Name, u.ID)
	return nil
}

func runUnitList(ctx context.Context, in *invocation) error {
	units, err := in.app.ListUnits(ctx)
	if err != nil {
		return err
	}
	codes := map[uint]string{}
	for _, u := range units {
		codes[u.ID] = u.Code
	}
	rows := [][]string{{"ID", "代码", "名称", "上级", "街道/片区", "编制人数"}}
	for _, u := range units {
		parent := ""
		if u.ParentID != nil {
			parent = codes[*u.ParentID]
		}
		rows = append(rows, []string{fmt.Sprint(u.ID), u.Code, u.Name, parent, u.Area, fmt.Sprint(u.Staff)})
	}
	return printTable(in.stdout, rows)
}

func userAddFlags(fs *flag.FlagSet) {
	fs.String("username", "", "用户名（必填）")
	fs.String("name", "", "姓名")
	fs.String("role", "", "角色：clerk（单位资产管理员）、finance（财政审批人）、admin（系统管理员）")
	fs.String("unit", "", "所属单位代码（clerk 必填）")
	passwordFlags(fs)
}

func passwordFlags(fs *flag.FlagSet) {
	fs.Bool("password-stdin", false, "从标准输入读取密码（必需：密码不应出现在命令行或 shell 历史中）")
}

// readPassword reads the password from the first line of standard input.
func readPassword(in *invocation) (string, error) {
	if flagString(in.fs, "password-stdin") != "true" {
		return "", models.Errorf(models.EInvalid, "请使用 --password-stdin 并从标准输入提供密码，例如：echo '新密码' | assetpool user passwd admin --password-stdin")
	}
	line, err := bufio.NewReader(in.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", models.Errorf(models.EInvalid, "标准输入中没有密码")
	}
	return pw, nil
}

func runUserAdd(ctx context.Context, in *invocation) error {
	pw, err := readPassword(in)
	if err != nil {
		return err
	}
	u := &models.User{Username: flagString(in.fs, "username"), DisplayName: flagString(in.fs, "name"),
		Role: models.Role(flagString(in.fs, "role")), Active: true}
	if code := flagString(in.fs, "unit"); code != "" {
		unit, err := in.app.UnitByCode(ctx, code)
		if err != nil {
			return err
		}
		u.UnitID = &unit.ID
	}
	if err := in.app.CreateUser(ctx, nil, u, pw); err != nil {
		return err
	}
	fmt.Fprintf(in.stdout, "已新增用户 %s（%s）\n", u.Username, u.Role.Label())
	return nil
}

func runUserPasswd(ctx context.Context, in *invocation) error {
	pw, err := readPassword(in)
	if err != nil {
		return err
	}
	if err := in.app.SetPassword(ctx, nil, in.args[0], pw); err != nil {
		return err
	}
	fmt.Fprintf(in.stdout, "已重设用户 %s 的密码，其现有登录已全部退出\n", in.args[0])
	return nil
}

func runUserList(ctx context.Context, in *invocation) error {
	users, err := in.app.ListUsers(ctx)
	if err != nil {
		return err
	}
	rows := [][]string{{"ID", "用户名", "姓名", "角色", "单位", "状态"}}
	for _, u := range users {
		unit, state := "", "启用"
		if u.Unit != nil {
			unit = u.Unit.Code + " " + u.Unit.Name
		}
		if !u.Active {
			state = "停用"
		}
		rows = append(rows, []string{fmt.Sprint(u.ID), u.Username, u.DisplayName, string(u.Role), unit, state})
	}
	return printTable(in.stdout, rows)
}

func tokenCreateFlags(fs *flag.FlagSet) {
	fs.String("username", "", "令牌所属用户（必填）")
	fs.String("name", "", "令牌名称，便于识别用途")
}

func runTokenCreate(ctx context.Context, in *invocation) error {
	username := flagString(in.fs, "username")
	if username == "" {
		return models.Errorf(models.EInvalid, "请用 --username 指定令牌所属用户")
	}
	token, t, err := in.app.CreateAPIToken(ctx, username, flagString(in.fs, "name"))
	if err != nil {
		return err
	}
	fmt.Fprintln(in.stdout, token)
	fmt.Fprintf(in.stderr, "已为 %s 创建 API 令牌（编号 %d，名称 %s）。令牌只显示这一次，请妥善保存；\n使用方式：Authorization: Bearer <令牌>\n", username, t.ID, t.Name)
	return nil
}

func tokenListFlags(fs *flag.FlagSet) {
	fs.String("username", "", "只列出此用户的令牌")
}

func runTokenList(ctx context.Context, in *invocation) error {
	ts, err := in.app.ListAPITokens(ctx, flagString(in.fs, "username"))
	if err != nil {
		return err
	}
	rows := [][]string{{"ID", "用户", "名称", "前缀", "创建时间", "最近使用", "状态"}}
	for _, t := range ts {
		user, used, state := "", "-", "有效"
		if t.User != nil {
			user = t.User.Username
		}
		if t.LastUsedAt != nil {
			used = t.LastUsedAt.Local().Format("2006-01-02 15:04")
		}
		if t.RevokedAt != nil {
			state = "已吊销"
		}
		rows = append(rows, []string{fmt.Sprint(t.ID), user, t.Name, t.Prefix + "…", t.CreatedAt.Local().Format("2006-01-02 15:04"), used, state})
	}
	return printTable(in.stdout, rows)
}

func runTokenRevoke(ctx context.Context, in *invocation) error {
	id, err := strconv.ParseUint(in.args[0], 10, 64)
	if err != nil || id == 0 {
		return models.Errorf(models.EInvalid, "令牌编号 %q 无效", in.args[0])
	}
	if err := in.app.RevokeAPIToken(ctx, uint(id)); err != nil {
		return err
	}
	fmt.Fprintf(in.stdout, "已吊销令牌 %d\n", id)
	return nil
}

func runCategoryImport(ctx context.Context, in *invocation) error {
	f, err := os.Open(in.args[0])
	if err != nil {
		return fmt.Errorf("open %s: %w", in.args[0], err)
	}
	defer f.Close()
	res, err := in.app.ImportCategories(ctx, nil, f)
	if err != nil {
		return err
	}
	fmt.Fprintf(in.stdout, "分类表已更新：新增 %d，修改 %d，未变 %d，删除 %d\n", res.Added, res.Updated, res.Unchanged, res.Removed)
	return nil
}

func runBackup(ctx context.Context, in *invocation) error {
	if err := in.app.Backup(ctx, in.args[0]); err != nil {
		return err
	}
	fmt.Fprintf(in.stdout, "已备份到 %s\n", in.args[0])
	return nil
}

func runDemo(ctx context.Context, in *invocation) error {
	res, err := in.app.LoadDemo(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(in.stdout, "演示数据已载入：%d 个单位，%d 张资产卡片（其中闲置 %d 张），%d 项购置需求\n\n演示账号（密码均为 %s）：\n", res.Units, res.Assets, res.IdleAssets, res.Requests, res.Password)
	rows := [][]string{{"用户名", "角色", "单位"}}
	for _, acc := range res.Accounts {
		rows = append(rows, []string{acc.Username, acc.Role.Label(), acc.Unit})
	}
	if err := printTable(in.stdout, rows); err != nil {
		return err
	}
	fmt.Fprintln(in.stdout, "\n运行 assetpool serve（或 go run .）后用以上账号登录。")
	return nil
}

// printTable prints rows as aligned columns. Chinese characters take two columns in a terminal,
// which text/tabwriter does not know, so widths are measured with runewidth.
func printTable(w io.Writer, rows [][]string) error {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], runewidth.StringWidth(cell))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, cell := range row {
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-runewidth.StringWidth(cell)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
