package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"assetpool/models"
)

// benchRows is the size of the generated inventory for the Go benchmarks; the README's
// figures at 100,000 and 1,000,000 rows come from `assetpool bench import`.
const benchRows = 20000

func benchWorkbook(b *testing.B) []byte {
	b.Helper()
	path := filepath.Join(b.TempDir(), "bench.xlsx")
	if err := writeBenchWorkbook(path, benchRows); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkReadLoop is the baseline: excelize's Rows()+Columns() over the inventory.
func BenchmarkReadLoop(b *testing.B) {
	data := benchWorkbook(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := bareReadLoop(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkImport is the full import of the same inventory into a fresh database per run.
func BenchmarkImport(b *testing.B) {
	data := benchWorkbook(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		b.StopTimer()
		cfg := DefaultConfig()
		cfg.DB = filepath.Join(b.TempDir(), fmt.Sprintf("bench-%d.db", i))
		i++
		a, err := Open(ctx, cfg)
		if err != nil {
			b.Fatal(err)
		}
		if err := a.CreateUnit(ctx, nil, &models.Unit{Code: "B", Name: "基准"}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		v, err := a.ImportInventory(ctx, nil, "B", "bench.xlsx", data, ImportOptions{}, false, nil)
		if err != nil || v.Summary.New != benchRows {
			b.Fatalf("import: %v %+v", err, v)
		}
		b.StopTimer()
		a.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
