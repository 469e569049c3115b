package app

import (
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"
)

// Text search over asset number, name, model, brand and location must find Chinese
// substrings ("打印" in "A4彩色打印机"), which no word tokenizer does, and must not scan the
// table, which LIKE '%…%' does. So every card is indexed in an FTS4 table by its character
// bigrams: "打印机" becomes the terms 打印 印机 机 (each run also ends with its last character
// alone, so that one-character queries and run ends are found). A query of two or more
// characters is the phrase of its bigrams, which matches exactly where the characters stand
// next to each other; a one-character query is a prefix query. The bigrams are made by
// ap_grams, a Go function registered on every connection, and triggers on assets keep the index
// in step with every write — imports, edits and transfers alike — inside the writer's own
// transaction.

// sqliteDriver is database/sql's name for SQLite with assetpool's functions registered.
const sqliteDriver = "sqlite3_assetpool"

var registerDriver sync.Once

// registerSQLite registers sqliteDriver once per process.
func registerSQLite() {
	registerDriver.Do(func() {
		sql.Register(sqliteDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
			return c.RegisterFunc("ap_grams", searchGrams, true)
		}})
	})
}

// searchColumns are the card's columns the search covers, in the order ap_grams takes them.
const searchColumns = "asset_no, name, model, brand, location"

// searchSchema is created after AutoMigrate. The index reads its content through a view, so
// that deleting a card's old terms (before an update or delete) recomputes them from the row
// as it still stands instead of storing every term twice.
var searchSchema = []string{
	`CREATE VIEW IF NOT EXISTS asset_search_src AS SELECT id AS rowid, ap_grams(` + searchColumns + `) AS g FROM assets`,
	`CREATE VIRTUAL TABLE IF NOT EXISTS asset_search USING fts4(content="asset_search_src", g, tokenize=simple)`,
	`CREATE TRIGGER IF NOT EXISTS asset_search_ai AFTER INSERT ON assets BEGIN
		INSERT INTO asset_search(docid, g) VALUES (new.id, ap_grams(new.asset_no, new.name, new.model, new.brand, new.location));
	END`,
	`CREATE TRIGGER IF NOT EXISTS asset_search_bu BEFORE UPDATE OF ` + searchColumns + ` ON assets BEGIN
		DELETE FROM asset_search WHERE docid = old.id;
	END`,
	`CREATE TRIGGER IF NOT EXISTS asset_search_au AFTER UPDATE OF ` + searchColumns + ` ON assets BEGIN
		INSERT INTO asset_search(docid, g) VALUES (new.id, ap_grams(new.asset_no, new.name, new.model, new.brand, new.location));
	END`,
	`CREATE TRIGGER IF NOT EXISTS asset_search_bd BEFORE DELETE ON assets BEGIN
		DELETE FROM asset_search WHERE docid = old.id;
	END`,
}

// migrateSearch creates the search index, and fills it from the cards already stored when it
// is new (a database from before search existed).
func migrateSearch(db *gorm.DB) error {
	var n int64
	if err := db.Raw("SELECT COUNT(*) FROM sqlite_master WHERE name = 'asset_search'").Scan(&n).Error; err != nil {
		return fmt.Errorf("look for the search index: %w", err)
	}
	for _, s := range searchSchema {
		if err := db.Exec(s).Error; err != nil {
			return fmt.Errorf("create the search index: %w", err)
		}
	}
	if n > 0 {
		return nil
	}
	// Merging segments as they accumulate keeps queries fast after many small writes.
	for _, s := range []string{
		`INSERT INTO asset_search(asset_search) VALUES ('automerge=8')`,
		`INSERT INTO asset_search(asset_search) VALUES ('rebuild')`,
	} {
		if err := db.Exec(s).Error; err != nil {
			return fmt.Errorf("build the search index: %w", err)
		}
	}
	return nil
}

// searchRuns splits text into runs of letters and digits, folded to lower case and half
// width, so that "ＨＰ-M404" and "hp m404" index and search alike.
func searchRuns(s string, out [][]rune) [][]rune {
	var cur []rune
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII
			r -= 0xFEE0
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			cur = append(cur, unicode.ToLower(r))
			continue
		}
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// searchGrams is ap_grams: the index terms of a card's searchable columns.
func searchGrams(parts ...any) string {
	var runs [][]rune
	for _, p := range parts {
		switch v := p.(type) {
		case string:
			runs = searchRuns(v, runs)
		case []byte:
			runs = searchRuns(string(v), runs)
		}
	}
	var b strings.Builder
	for _, run := range runs {
		for i := range run {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(run[i])
			if i+1 < len(run) {
				b.WriteRune(run[i+1])
			}
		}
	}
	return b.String()
}

// searchMatch turns what a user typed into an FTS4 MATCH expression, or "" when it holds no
// letter or digit. Every run must match (AND); a run of two or more characters matches where
// its characters stand together, a single character wherever it occurs.
func searchMatch(q string) string {
	var terms []string
	for _, run := range searchRuns(q, nil) {
		if len(run) == 1 {
			terms = append(terms, string(run)+"*")
			continue
		}
		grams := make([]string, 0, len(run)-1)
		for i := 0; i+1 < len(run); i++ {
			grams = append(grams, string(run[i:i+2]))
		}
		terms = append(terms, `"`+strings.Join(grams, " ")+`"`)
	}
	return strings.Join(terms, " ")
}
