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
// table, which LIKE '%…%' does. So every card is indexed in an FTS4 table by the character
// bigrams of its Chinese text: "打印机" becomes the terms 打印 印机 机 (each run also ends with
// its last character alone, so that one-character queries and run ends are found), while
// Latin letters and digits are indexed by word. A Chinese query of two or more characters is
// the phrase of its bigrams, which matches exactly where the characters stand next to each
// other; a single character or a Latin word is a prefix query. The bigrams are made by
// ap_grams, a Go function registered on every connection, and triggers on assets keep the index
// in step with every write — imports, edits and transfers alike — inside the writer's own
// transaction.

// sqliteDriver and sqliteReadDriver are database/sql's names for SQLite with assetpool's
// functions registered, for the write pool and for the read pool.
const (
	sqliteDriver     = "sqlite3_assetpool"
	sqliteReadDriver = "sqlite3_assetpool_read"
)

var registerDriver sync.Once

// registerSQLite registers both drivers once per process.
func registerSQLite() {
	registerDriver.Do(func() {
		sql.Register(sqliteDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
			return c.RegisterFunc("ap_grams", searchGrams, true)
		}})
		sql.Register(sqliteReadDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
			// Lists and searches read cards by rowid all over the file; through the memory map
			// a page already in the OS cache costs no system call, which makes such reads
			// several times faster once the register outgrows SQLite's own page cache. Only
			// readers map the file: the writer gains little, and its imports are measured by
			// their resident memory.
			if _, err := c.Exec("PRAGMA mmap_size = 4294967296", nil); err != nil {
				return fmt.Errorf("set mmap_size: %w", err)
			}
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
	if err := db.Exec(`INSERT INTO asset_search(asset_search) VALUES ('rebuild')`).Error; err != nil {
		return fmt.Errorf("build the search index: %w", err)
	}
	return nil
}

// Character kinds for search: a Chinese (ideographic or syllabic) character is searched by
// bigrams, a letter or digit of an alphabetic script by word, anything else separates.
const (
	kindNone = iota
	kindWord
	kindCJK
)

// searchRune folds r to lower case and half width and says what kind of character it is.
func searchRune(r rune) (rune, int) {
	if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII
		r -= 0xFEE0
	}
	switch {
	case r < 0x80:
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A', kindWord
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r, kindWord
		}
		return r, kindNone
	case !unicode.IsLetter(r) && !unicode.IsDigit(r):
		return r, kindNone
	case r >= 0x2E80 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Yi):
		return r, kindCJK
	}
	return unicode.ToLower(r), kindWord
}

// searchRun is a run of characters of one kind.
type searchRun struct {
	text []rune
	cjk  bool
}

// searchRuns splits a query into runs of one kind: "A4彩色打印机" is "a4" and "彩色打印机",
// "ＨＰ-M404" is "hp" and "m404".
func searchRuns(s string) []searchRun {
	var out []searchRun
	var cur searchRun
	for _, r := range s {
		r, kind := searchRune(r)
		if kind == kindNone || (len(cur.text) > 0 && cur.cjk != (kind == kindCJK)) {
			if len(cur.text) > 0 {
				out = append(out, cur)
			}
			cur = searchRun{}
		}
		if kind != kindNone {
			cur.cjk = kind == kindCJK
			cur.text = append(cur.text, r)
		}
	}
	if len(cur.text) > 0 {
		out = append(out, cur)
	}
	return out
}

// searchGrams is ap_grams: the index terms of a card's searchable columns. A Chinese run gives
// its bigrams and its last character alone (打印机 → 打印 印机 机); a run of letters and digits
// is one term (m454dn), found by its beginning: model and asset numbers are typed from their
// start, and a term per word keeps the index — and every import, which runs this for each new
// card — much lighter than bigrams of every Latin character would. It is written in one pass
// without intermediate slices for the same reason.
func searchGrams(parts ...any) string {
	size := 0
	for _, p := range parts {
		if v, ok := p.(string); ok {
			size += 2 * len(v)
		}
	}
	var b strings.Builder
	b.Grow(size)
	sep := func() {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
	}
	for _, p := range parts {
		var s string
		switch v := p.(type) {
		case string:
			s = v
		case []byte:
			s = string(v)
		}
		var prev rune
		prevKind := kindNone
		for _, r := range s {
			r, kind := searchRune(r)
			if prevKind == kindCJK && kind != kindCJK {
				sep()
				b.WriteRune(prev) // the last character of a Chinese run, alone
			}
			switch kind {
			case kindCJK:
				if prevKind == kindCJK {
					sep()
					b.WriteRune(prev)
					b.WriteRune(r)
				}
				prev = r
			case kindWord:
				if prevKind != kindWord {
					sep()
				}
				b.WriteRune(r)
			}
			prevKind = kind
		}
		if prevKind == kindCJK {
			sep()
			b.WriteRune(prev)
		}
	}
	return b.String()
}

// searchMatch turns what a user typed into an FTS4 MATCH expression, or "" when it holds no
// letter or digit. Every run must match (AND): a Chinese run of two or more characters where
// its characters stand together (the phrase of its bigrams), a single Chinese character
// wherever it occurs, a run of letters and digits at the start of a word.
func searchMatch(q string) string {
	var terms []string
	for _, run := range searchRuns(q) {
		if !run.cjk || len(run.text) == 1 {
			terms = append(terms, string(run.text)+"*")
			continue
		}
		grams := make([]string, 0, len(run.text)-1)
		for i := 0; i+1 < len(run.text); i++ {
			grams = append(grams, string(run.text[i:i+2]))
		}
		terms = append(terms, `"`+strings.Join(grams, " ")+`"`)
	}
	return strings.Join(terms, " ")
}
