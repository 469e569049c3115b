package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"assetpool/app"
	"assetpool/models"
)

func importFlags(fs *flag.FlagSet) {
	fs.String("unit", "", "导入到哪个单位（单位代码，必填）")
	fs.Bool("dry-run", false, "只检查并显示差异，不写入台账")
	fs.Bool("json", false, "以 JSON 输出结果（与 API 返回的对象相同）")
	fs.Bool("skip-invalid", false, "文件有错误时仍导入无错误的行")
	fs.Bool("blank-clears", false, "空白单元格清除台账中的原值（默认保留原值）")
}

func flagBool(fs *flag.FlagSet, name string) bool { return fs.Lookup(name).Value.String() == "true" }

// runImport imports an inventory file for a unit from the command line: one pass that reads,
// checks, compares and (unless --dry-run) commits all or nothing.
func runImport(ctx context.Context, in *invocation) error {
	unit := flagString(in.fs, "unit")
	if unit == "" {
		fmt.Fprintln(in.stderr, "assetpool import: 请用 --unit 指定单位代码")
		in.fs.Usage()
		return errUsage
	}
	path := in.args[0]
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	if st.Size() > in.cfg.UploadLimit {
		return models.Errorf(models.ETooLarge, "文件 %.1f MB，超过上传上限 %d MB（--upload-limit-mb）", float64(st.Size())/(1<<20), in.cfg.UploadLimit>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	asJSON := flagBool(in.fs, "json")
	var progress app.ImportProgressFunc
	var bar *progressBar
	if isTerminal(in.stderr) && !asJSON {
		bar = &progressBar{w: in.stderr, start: time.Now()}
		progress = bar.update
	}
	opts := app.ImportOptions{SkipInvalid: flagBool(in.fs, "skip-invalid"), BlankClears: flagBool(in.fs, "blank-clears")}
	dry := flagBool(in.fs, "dry-run")
	v, err := in.app.ImportInventory(ctx, nil, unit, filepath.Base(path), data, opts, dry, progress)
	if bar != nil {
		bar.done()
	}
	if v == nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(in.stdout)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(v); jerr != nil {
			return jerr
		}
	} else {
		printImport(in.stdout, v, dry)
	}
	return err
}

// printImport prints an import's summary, its errors and what happened.
func printImport(w io.Writer, v *app.ImportView, dry bool) {
	if v.Sheet != "" {
		fmt.Fprintf(w, "文件 %s（%s），工作表「%s」，表头在第 %d 行\n", v.FileName, v.Format, v.Sheet, v.HeaderRow)
	} else { // a CSV file has no sheets
		fmt.Fprintf(w, "文件 %s（%s），表头在第 %d 行\n", v.FileName, v.Format, v.HeaderRow)
	}
	s := v.Summary
	fmt.Fprintf(w, "数据行 %d：新增 %d，变更 %d，未变 %d；台账中本次未列出 %d；错误 %d 处（%d 行）\n",
		s.Rows, s.New, s.Changed, s.Unchanged, s.Missing, s.Errors, s.InvalidRows)
	var unmapped []string
	for _, c := range v.Columns {
		if c.Field == "" && !c.RowNumber {
			unmapped = append(unmapped, c.Letter+"「"+c.Header+"」")
		}
	}
	if len(unmapped) > 0 {
		fmt.Fprintf(w, "未导入的列：%s\n", strings.Join(unmapped, "、"))
	}
	if len(v.Errors) > 0 {
		fmt.Fprintln(w, "\n错误：")
		for _, e := range v.Errors {
			fmt.Fprintln(w, "  "+e.String())
		}
		if v.ErrorsTruncated {
			fmt.Fprintf(w, "  ……只列出前 %d 处\n", len(v.Errors))
		}
	}
	fmt.Fprintln(w)
	switch {
	case v.Status == models.ImportCommitted:
		fmt.Fprintf(w, "已导入（导入记录 #%d）。\n", v.ID)
	case dry:
		fmt.Fprintf(w, "预演（--dry-run）：台账没有改变（导入记录 #%d）。\n", v.ID)
	default:
		fmt.Fprintf(w, "没有导入任何数据：请修正错误后重试，或加 --skip-invalid 只导入无错误的行（导入记录 #%d）。\n", v.ID)
	}
}

// isTerminal reports whether w is a character device, where a progress bar makes sense.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressBar redraws one line on a terminal: rows read, percentage and rows per second.
type progressBar struct {
	w     io.Writer
	start time.Time
	drawn bool
}

func (b *progressBar) update(read int64, total int) {
	pct := 0.0
	if total > 0 {
		pct = min(100, 100*float64(read)/float64(total))
	}
	const width = 30
	filled := int(pct / 100 * width)
	rate := float64(read) / max(time.Since(b.start).Seconds(), 0.001)
	fmt.Fprintf(b.w, "\r[%s%s] %5.1f%%  %d 行  %.0f 行/秒 ", strings.Repeat("█", filled), strings.Repeat("░", width-filled), pct, read, rate)
	b.drawn = true
}

func (b *progressBar) done() {
	if b.drawn {
		fmt.Fprintln(b.w)
	}
}

func benchImportFlags(fs *flag.FlagSet) {
	fs.Int("rows", 100000, "生成的清查表行数")
	fs.Bool("json", false, "以 JSON 输出一个结果对象")
	fs.String("dir", "", "放生成文件和数据库的目录（默认临时目录，结束后删除）")
}

// benchDir is the --dir of a benchmark, or a temporary directory removed by cleanup.
func benchDir(in *invocation) (dir string, cleanup func(), err error) {
	if dir = flagString(in.fs, "dir"); dir != "" {
		return dir, func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "assetpool-bench-")
	if err != nil {
		return "", nil, fmt.Errorf("create bench directory: %w", err)
	}
	return tmp, func() { os.RemoveAll(tmp) }, nil
}

// openBenchApp opens a fresh database file named name in the bench directory (refusing one
// that exists: a benchmark needs an empty database) and returns the app and what to run when
// done.
func openBenchApp(ctx context.Context, in *invocation, name string) (*app.App, func(), error) {
	dir, cleanup, err := benchDir(in)
	if err != nil {
		return nil, nil, err
	}
	cfg := app.DefaultConfig()
	cfg.DB = filepath.Join(dir, name)
	if _, err := os.Stat(cfg.DB); err == nil {
		cleanup()
		return nil, nil, models.Errorf(models.EConflict, "%s 已存在：基准测试需要一个新的数据库", cfg.DB)
	}
	a, err := app.Open(ctx, cfg)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return a, func() { a.Close(); cleanup() }, nil
}

// runBenchImport measures the import against excelize's bare read loop on the same file.
func runBenchImport(ctx context.Context, in *invocation) error {
	var n int
	if _, err := fmt.Sscan(flagString(in.fs, "rows"), &n); err != nil || n < 1 {
		return models.Errorf(models.EInvalid, "--rows 应为正整数")
	}
	dir, cleanup, err := benchDir(in)
	if err != nil {
		return err
	}
	defer cleanup()
	res, err := app.BenchImport(ctx, n, dir)
	if err != nil {
		return err
	}
	if flagBool(in.fs, "json") {
		return json.NewEncoder(in.stdout).Encode(res)
	}
	rows := [][]string{
		{"", "耗时（秒）", "峰值内存（MB）"},
		{"excelize Rows()+Columns() 纯读取", fmt.Sprintf("%.3f", res.ReadSeconds), fmt.Sprintf("%.1f", res.ReadPeakMB)},
		{"完整导入（解析、校验、比对、写入、提交）", fmt.Sprintf("%.3f", res.ImportSeconds), fmt.Sprintf("%.1f", res.ImportPeakMB)},
	}
	fmt.Fprintf(in.stdout, "%d 行 × 15 列，文件 %.2f MB\n\n", res.Rows, res.FileMB)
	if err := printTable(in.stdout, rows); err != nil {
		return err
	}
	fmt.Fprintf(in.stdout, "\n导入 ÷ 读取 = %.2f；%.0f 行/秒；内存 %s\n", res.Ratio, res.RowsPerSecond, map[string]string{"rss": "按进程常驻内存峰值（VmHWM）", "heap": "按 Go 堆采样"}[res.PeakMethod])
	return nil
}
