package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"assetpool/models"
)

// App is the core of assetpool: both database pools, the clock and the logger. Every operation
// of the product is a method on it.
type App struct {
	// db is the write pool: exactly one connection. SQLite admits one writer at a time anyway;
	// queueing writers on a Go mutex-like pool is fairer and cheaper than letting several
	// connections spin on SQLITE_BUSY, and _txlock=immediate takes the write lock at BEGIN so
	// that a transaction which reads and then writes never fails half-way with SQLITE_BUSY.
	db *gorm.DB
	// read is the read pool: several query-only connections. In WAL mode readers see the last
	// committed snapshot and never wait for the writer, so a long import does not make the
	// register page fail with "database is locked".
	read *gorm.DB

	cfg   Config
	log   *slog.Logger
	now   func() time.Time
	login *loginLimiter
	// dummy is the bcrypt hash an unknown user's password is checked against (see dummyHash).
	dummyOnce sync.Once
	dummy     []byte

	// Background import jobs: they outlive the request that started them, stop when the App
	// closes, and report progress through jobs.
	bgCtx  context.Context
	stopBg context.CancelFunc
	bg     sync.WaitGroup
	jobsMu sync.Mutex
	jobs   map[uint]*importJob

	// cats caches the category table (see categoryTable and categoryCache).
	cats atomic.Pointer[categoryCache]
	// catsRead, when set (by tests), runs after a load of the category table has read it and
	// before the load stores it.
	catsRead func()
	// commitWrote, when set (by tests), runs inside an import's commit transaction after each
	// batch of rows it wrote.
	commitWrote func(ctx context.Context)
}

// Option changes how Open builds the App.
type Option func(*App)

// WithClock replaces the wall clock, so that tests can fix "today" (depreciation, holds, expiry).
func WithClock(now func() time.Time) Option { return func(a *App) { a.now = now } }

// WithLogger sets the logger; the default discards.
func WithLogger(l *slog.Logger) Option { return func(a *App) { a.log = l } }

// Open opens (creating if needed) and migrates the database named by cfg.DB.
func Open(ctx context.Context, cfg Config, opts ...Option) (*App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, log: slog.New(slog.DiscardHandler), now: time.Now, login: newLoginLimiter(), jobs: map[uint]*importJob{}}
	a.bgCtx, a.stopBg = context.WithCancel(context.Background())
	for _, o := range opts {
		o(a)
	}
	if dir := filepath.Dir(cfg.DB); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	gcfg := &gorm.Config{Logger: logger.Discard, TranslateError: true, NowFunc: func() time.Time { return a.now().UTC() }}
	var err error
	registerSQLite()
	a.db, err = gorm.Open(sqlite.New(sqlite.Config{DriverName: sqliteDriver, DSN: sqliteDSN(cfg.DB, false)}), gcfg)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", cfg.DB, err)
	}
	w, err := a.db.DB()
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", cfg.DB, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := a.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	// The read pool opens after migration so that the file, its WAL and schema exist.
	a.read, err = gorm.Open(sqlite.New(sqlite.Config{DriverName: sqliteReadDriver, DSN: sqliteDSN(cfg.DB, true)}), gcfg)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s for reading: %w", cfg.DB, err)
	}
	r, err := a.read.DB()
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s for reading: %w", cfg.DB, err)
	}
	r.SetMaxOpenConns(max(4, runtime.NumCPU()))
	r.SetMaxIdleConns(max(4, runtime.NumCPU()))
	return a, nil
}

// sqliteDSN builds the connection string. Busy timeout comes first so that it applies while
// the other pragmas run; foreign keys are per connection in SQLite and must be on for every one.
func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_busy_timeout", "10000")
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "NORMAL")
	q.Set("_foreign_keys", "on")
	if readOnly {
		// 8 MB of page cache per reader (SQLite's default is 2 MB). With the file memory-mapped
		// SQLite reads most pages in place, so its own cache matters less, and a pool as wide as
		// the CPUs stays small.
		q.Set("_cache_size", "-8192")
		q.Set("_query_only", "true")
		q.Set("_txlock", "deferred")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Close stops background imports (their transactions roll back) and closes both pools.
func (a *App) Close() error {
	a.stopBg()
	a.bg.Wait()
	var errs []error
	for _, g := range []*gorm.DB{a.read, a.db} {
		if g == nil {
			continue
		}
		if s, err := g.DB(); err == nil {
			errs = append(errs, s.Close())
		}
	}
	return errors.Join(errs...)
}

// Now returns the current time of the app's clock.
func (a *App) Now() time.Time { return a.now() }

// Today returns the current calendar day in the app's clock's location.
func (a *App) Today() models.Date { return models.DateOf(a.now()) }

// Ping checks that the database answers.
func (a *App) Ping(ctx context.Context) error {
	var one int
	if err := a.read.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error; err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	return nil
}

// migrate creates and updates the schema. AutoMigrate only adds what is missing, so running it
// on every start and before every command is safe.
func (a *App) migrate(ctx context.Context) error {
	db := a.db.WithContext(ctx)
	err := db.AutoMigrate(
		&models.Unit{}, &models.User{}, &models.Session{}, &models.APIToken{},
		&models.Category{}, &models.Asset{}, &models.AuditEvent{},
		&models.Import{}, &models.ImportFile{}, &models.ColumnMapping{},
		&models.AssetPhoto{},
		&models.IdleCheck{},
		&models.PurchaseRequest{}, &models.Standard{}, &models.Proposal{}, &models.MatchRun{}, &models.NoMatchRecord{},
		&models.Transfer{}, &models.Saving{},
	)
	if err != nil {
		return fmt.Errorf("migrate database: %w", err)
	}
	// Savings written before own-unit reuse (a saving without a transfer) name their proposal
	// through their transfer.
	if err := db.Exec("UPDATE savings SET proposal_id = (SELECT proposal_id FROM transfers WHERE transfers.id = savings.transfer_id) " +
		"WHERE proposal_id = 0 AND transfer_id IS NOT NULL").Error; err != nil {
		return fmt.Errorf("migrate database: %w", err)
	}
	if err := a.dateStatedBooks(db); err != nil {
		return fmt.Errorf("migrate database: %w", err)
	}
	// Usernames are unique regardless of case, so that "ZhangSan" cannot stand beside
	// "zhangsan"; sign-in accepts either spelling.
	if err := db.Exec("CREATE UNIQUE INDEX IF NOT EXISTS idx_users_username_ci ON users (lower(username))").Error; err != nil {
		return fmt.Errorf("migrate database: %w", err)
	}
	// Totals of a list (count, pieces, value) read these three columns of every card they
	// select; from this narrow index instead of the wide rows they read a tenth of the pages.
	// Cards get ids in ascending order, so the index only ever grows at its end.
	if err := db.Exec("CREATE INDEX IF NOT EXISTS idx_assets_sums ON assets (id, quantity, original_value)").Error; err != nil {
		return fmt.Errorf("migrate database: %w", err)
	}
	if err := migrateSearch(db); err != nil {
		return err
	}
	if err := a.seedCategories(ctx); err != nil {
		return fmt.Errorf("seed categories: %w", err)
	}
	if err := a.seedStandards(ctx); err != nil {
		return err
	}
	a.refreshStats(ctx)
	return nil
}

// refreshStats lets SQLite update the statistics its query planner works from (PRAGMA
// optimize over every table: sampled, cheap, a no-op when little changed) — at start and
// after every committed import, which is when the register changes by more than a few
// cards. Without statistics the planner does not know that the narrow totals index is
// cheaper than the table.
func (a *App) refreshStats(ctx context.Context) {
	if err := a.db.WithContext(ctx).Exec("PRAGMA optimize = 0x10002").Error; err != nil {
		a.log.Warn("refresh query planner statistics", "err", err)
	}
}

// internal wraps an unexpected error (a database failure) with context. Users see a generic
// message; the cause is logged by whoever reports it.
func internal(err error, what string) error {
	if err == nil {
		return nil
	}
	var de *models.Error
	if errors.As(err, &de) {
		return err
	}
	return &models.Error{Code: models.EInternal, Message: "系统内部错误，请稍后重试或联系管理员", Err: fmt.Errorf("%s: %w", what, err)}
}

// Backup writes a consistent copy of the whole database to path (which must not exist) while
// the app keeps running: SQLite's VACUUM INTO copies one snapshot, so nothing is half-copied.
// It runs on the write connection (query_only forbids it on the read pool), so writers wait
// for the copy while readers go on.
func (a *App) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return models.Errorf(models.EConflict, "备份文件 %s 已存在，请换一个文件名", path)
	}
	if err := a.db.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("back up database to %s: %w", path, err)
	}
	return nil
}

// dateStatedBooks gives the stated book figures of cards imported before they carried a date
// the date an import gives them by default: the end of the month before the card was loaded.
// It runs once per month of such cards, and on a database without them costs one query.
func (a *App) dateStatedBooks(db *gorm.DB) error {
	undated := db.Model(&models.Asset{}).Where("book_date IS NULL AND (book_depreciation IS NOT NULL OR book_net_value IS NOT NULL)")
	var first models.Asset
	if err := undated.Select("id, created_at").Order("created_at").Limit(1).Find(&first).Error; err != nil || first.ID == 0 {
		return err
	}
	for m := time.Date(first.CreatedAt.Year(), first.CreatedAt.Month(), 1, 0, 0, 0, 0, time.UTC); m.Before(a.now().UTC().AddDate(0, 1, 0)); m = m.AddDate(0, 1, 0) {
		err := db.Model(&models.Asset{}).Where("book_date IS NULL AND (book_depreciation IS NOT NULL OR book_net_value IS NOT NULL) AND created_at >= ? AND created_at < ?",
			m, m.AddDate(0, 1, 0)).Update("book_date", models.PrevMonthEnd(models.DateOf(m))).Error
		if err != nil {
			return err
		}
	}
	return nil
}
