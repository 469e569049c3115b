package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"assetpool/models"
)

// testNow is "today" for every test that does not set its own clock.
var testNow = time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)

// clock is a settable clock for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// openTest opens a fresh database file in t.TempDir() with a settable clock.
func openTest(t *testing.T) (*App, *clock) {
	t.Helper()
	clk := &clock{t: testNow}
	cfg := DefaultConfig()
	cfg.DB = filepath.Join(t.TempDir(), "test.db")
	a, err := Open(context.Background(), cfg, WithClock(clk.now))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return a, clk
}

func TestPragmasOnBothPools(t *testing.T) {
	a, _ := openTest(t)
	for name, db := range map[string]*gorm.DB{"write": a.db, "read": a.read} {
		var mode string
		var fk, sync, busy, queryOnly int
		db.Raw("PRAGMA journal_mode").Scan(&mode)
		db.Raw("PRAGMA foreign_keys").Scan(&fk)
		db.Raw("PRAGMA synchronous").Scan(&sync)
		db.Raw("PRAGMA busy_timeout").Scan(&busy)
		db.Raw("PRAGMA query_only").Scan(&queryOnly)
		if mode != "wal" || fk != 1 || sync != 1 || busy < 5000 {
			t.Errorf("%s pool: journal_mode=%s foreign_keys=%d synchronous=%d busy_timeout=%d", name, mode, fk, sync, busy)
		}
		if (name == "read") != (queryOnly == 1) {
			t.Errorf("%s pool: query_only=%d", name, queryOnly)
		}
	}
	if err := a.read.Exec("INSERT INTO units(code, name, staff) VALUES ('x', 'x', 0)").Error; err == nil {
		t.Error("read pool accepted a write")
	}
}

func TestMigrationIsSafeToRunTwice(t *testing.T) {
	cfg := DefaultConfig()
	cfg.DB = filepath.Join(t.TempDir(), "twice.db")
	ctx := context.Background()
	a, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.CreateUnit(ctx, nil, &models.Unit{Code: "A", Name: "甲局"}); err != nil {
		t.Fatal(err)
	}
	cats, _ := a.ListCategories(ctx)
	a.Close()
	b, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("second open: %v", err)
	}
	defer b.Close()
	if u, err := b.UnitByCode(ctx, "A"); err != nil || u.Name != "甲局" {
		t.Fatalf("unit after reopen: %v %v", u, err)
	}
	again, _ := b.ListCategories(ctx)
	if len(cats) == 0 || len(again) != len(cats) {
		t.Fatalf("categories: %d then %d", len(cats), len(again))
	}
}

func TestPostgresURLIsRecognisedAndRefused(t *testing.T) {
	cfg := DefaultConfig()
	cfg.DB = "postgres://app:secret@db.example/assets"
	_, err := Open(context.Background(), cfg)
	if models.ErrorCode(err) != models.EUnsupported {
		t.Fatalf("error = %v, want unsupported", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "not supported yet") || strings.Contains(msg, "secret") {
		t.Fatalf("message %q should say not supported and hide the password", msg)
	}
}

// A long write transaction must not make readers fail with "database is locked": readers use
// their own pool and WAL gives them the last committed snapshot.
func TestReadersDoNotFailDuringLongWrite(t *testing.T) {
	a, _ := openTest(t)
	ctx := context.Background()
	if err := a.CreateUnit(ctx, nil, &models.Unit{Code: "A", Name: "甲局"}); err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- a.db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Create(&models.Unit{Code: "B", Name: "乙局"}).Error; err != nil {
				return err
			}
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			units, err := a.ListUnits(ctx)
			if err != nil {
				errs <- err
				return
			}
			if len(units) != 1 {
				errs <- fmt.Errorf("reader saw %d units, want the committed 1", len(units))
			}
		}()
	}
	wg.Wait()
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("writer: %v", err)
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Writers queue behind each other rather than failing.
	var wwg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wwg.Add(1)
		go func(i int) {
			defer wwg.Done()
			if err := a.CreateUnit(ctx, nil, &models.Unit{Code: "W" + string(rune('a'+i)), Name: "并发"}); err != nil {
				t.Errorf("concurrent write %d: %v", i, err)
			}
		}(i)
	}
	wwg.Wait()
}

func TestBackupIsACompleteCopy(t *testing.T) {
	a, _ := openTest(t)
	ctx := context.Background()
	if err := a.CreateUnit(ctx, nil, &models.Unit{Code: "A", Name: "甲局"}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := a.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	if err := a.Backup(ctx, path); models.ErrorCode(err) != models.EConflict {
		t.Fatalf("overwriting a backup: %v", err)
	}
	cfg := DefaultConfig()
	cfg.DB = path
	b, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if u, err := b.UnitByCode(ctx, "A"); err != nil || u.Name != "甲局" {
		t.Fatalf("unit in backup: %v %v", u, err)
	}
}
