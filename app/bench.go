package app

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"

	"assetpool/models"
)

// ImportBenchResult is what `assetpool bench import` measures: a bare excelize read loop over a
// generated inventory and the full import of the same file into a fresh database, in one run.
type ImportBenchResult struct {
	Rows          int     `json:"rows"`
	FileMB        float64 `json:"file_mb"`
	ReadSeconds   float64 `json:"read_seconds"`
	ImportSeconds float64 `json:"import_seconds"`
	// Ratio is import time ÷ read time.
	Ratio         float64 `json:"ratio"`
	RowsPerSecond float64 `json:"rows_per_second"`
	ReadPeakMB    float64 `json:"read_peak_mb"`
	ImportPeakMB  float64 `json:"import_peak_mb"`
	// PeakMethod says how peaks were measured: the process's resident-set high-water mark
	// (Linux, reset before each phase) or, elsewhere, the Go heap sampled every 5 ms.
	PeakMethod string `json:"peak_method"`
}

// BenchImport generates an n-row, 15-column inventory workbook in dir, times a bare excelize
// Rows()+Columns() loop over it, then imports it into a fresh database in dir and times that.
func BenchImport(ctx context.Context, n int, dir string) (*ImportBenchResult, error) {
	if n < 1 {
		return nil, models.Errorf(models.EInvalid, "--rows 必须大于 0")
	}
	path := filepath.Join(dir, "bench-inventory.xlsx")
	if err := writeBenchWorkbook(path, n); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read bench workbook: %w", err)
	}
	res := &ImportBenchResult{Rows: n, FileMB: round2(float64(len(data)) / (1 << 20))}
	// The file is read from memory in both phases, as an upload is.
	var readErr error
	res.ReadSeconds, res.ReadPeakMB, res.PeakMethod = measure(func() { readErr = bareReadLoop(data) })
	if readErr != nil {
		return nil, readErr
	}

	cfg := DefaultConfig()
	cfg.DB = filepath.Join(dir, "bench.db")
	cfg.UploadLimit = 1 << 30
	cfg.ImportMaxRows = max(n, cfg.ImportMaxRows)
	a, err := Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer a.Close()
	if err := a.CreateUnit(ctx, nil, &models.Unit{Code: "BENCH", Name: "基准测试单位"}); err != nil {
		return nil, err
	}
	var v *ImportView
	var impErr error
	res.ImportSeconds, res.ImportPeakMB, _ = measure(func() {
		v, impErr = a.ImportInventory(ctx, nil, "BENCH", "bench-inventory.xlsx", data, ImportOptions{}, false, nil)
	})
	if impErr != nil {
		return nil, impErr
	}
	if v.Summary.New != n || v.Status != models.ImportCommitted {
		return nil, fmt.Errorf("bench import: %s, %d new of %d rows, %d errors", v.Status, v.Summary.New, n, v.Summary.Errors)
	}
	res.ReadSeconds, res.ImportSeconds = round3(res.ReadSeconds), round3(res.ImportSeconds)
	res.Ratio = round2(res.ImportSeconds / res.ReadSeconds)
	res.RowsPerSecond = float64(int(float64(n) / res.ImportSeconds))
	return res, nil
}

// bareReadLoop is the baseline: excelize's streaming reader and nothing else.
func bareReadLoop(data []byte) error {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
	if err != nil {
		return fmt.Errorf("bench read: %w", err)
	}
	defer f.Close()
	rows, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		return fmt.Errorf("bench read: %w", err)
	}
	defer rows.Close()
	cells := 0
	for rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			return fmt.Errorf("bench read: %w", err)
		}
		cells += len(cols)
	}
	if cells == 0 {
		return fmt.Errorf("bench read: no cells")
	}
	return rows.Error()
}

// measure runs fn and returns its wall time and peak memory in MB.
func measure(fn func()) (seconds, peakMB float64, method string) {
	runtime.GC()
	debug.FreeOSMemory()
	// Writing 5 to clear_refs resets VmHWM to the current RSS (Linux ≥ 4.0).
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err == nil {
		start := time.Now()
		fn()
		seconds = time.Since(start).Seconds()
		if hwm, ok := readVmHWM(); ok {
			return seconds, round2(hwm), "rss"
		}
	}
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse+ms.StackInuse)
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	start := time.Now()
	fn()
	seconds = time.Since(start).Seconds()
	close(stop)
	wg.Wait()
	return seconds, round2(float64(peak) / (1 << 20)), "heap"
}

func readVmHWM() (float64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024, err == nil
		}
	}
	return 0, false
}

func round2(v float64) float64 { return float64(int(v*100+0.5)) / 100 }
func round3(v float64) float64 { return float64(int(v*1000+0.5)) / 1000 }

// benchCategories are the seed codes the generated inventory uses.
var benchCategories = []string{"A02010105 台式计算机", "A02010108 便携式计算机", "A02021004 A4彩色打印机", "A05010301 办公椅", "A05010502 文件柜", "A02061804 空调机"}

// writeBenchWorkbook writes an n-row inventory with the 15 columns clerks' sheets typically
// have, as excelize's stream writer produces it (shared strings off, numbers as numbers).
func writeBenchWorkbook(path string, n int) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return fmt.Errorf("bench workbook: %w", err)
	}
	header := []any{"资产编号", "资产名称", "资产分类", "规格型号", "品牌", "数量", "计量单位", "原值（元）", "取得日期", "使用状况", "完好程度", "使用部门", "使用人", "存放地点", "备注"}
	if err := sw.SetRow("A1", header); err != nil {
		return fmt.Errorf("bench workbook: %w", err)
	}
	rng := rand.New(rand.NewPCG(42, 1))
	names := []string{"台式计算机", "笔记本电脑", "彩色打印机", "办公椅", "文件柜", "空调"}
	statuses := []string{"在用", "在用", "在用", "闲置", "出借"}
	depts := []string{"办公室", "财务科", "规划科", "综合科", "信息中心"}
	row := make([]any, 15)
	for i := 0; i < n; i++ {
		k := rng.IntN(len(names))
		row[0] = fmt.Sprintf("ZC-%08d", i+1)
		row[1] = names[k]
		row[2] = benchCategories[k]
		row[3] = fmt.Sprintf("型号-%d", rng.IntN(500))
		row[4] = "联想"
		row[5] = 1 + rng.IntN(3)
		row[6] = "台"
		row[7] = float64(100000+rng.IntN(900000)) / 100
		row[8] = 40000 + rng.IntN(6000) // an Excel date serial: 2009–2025
		row[9] = statuses[rng.IntN(len(statuses))]
		row[10] = "完好"
		row[11] = depts[rng.IntN(len(depts))]
		row[12] = fmt.Sprintf("职工%d", rng.IntN(300))
		row[13] = fmt.Sprintf("%d室", 100+rng.IntN(400))
		row[14] = ""
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return fmt.Errorf("bench workbook: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("bench workbook: %w", err)
	}
	if err := f.SaveAs(path); err != nil {
		return fmt.Errorf("bench workbook: %w", err)
	}
	return nil
}
