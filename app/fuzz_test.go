package app

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"assetpool/models"
)

// Seed inputs live in testdata/fuzz/<FuzzName>/ (run by every `go test`); the f.Add calls
// below only add the plainest cases.

// fuzzCheckError fails unless err is the blank sentinel or a user-facing invalid error.
func fuzzCheckError(t *testing.T, in string, err error) {
	t.Helper()
	if errors.Is(err, errBlankCell) {
		if normCell(in) != "" {
			t.Fatalf("%q: blank-cell error for a cell with content", in)
		}
		return
	}
	var e *models.Error
	if !errors.As(err, &e) || e.Code != models.EInvalid || e.Message == "" {
		t.Fatalf("%q: error %#v is not an invalid *models.Error", in, err)
	}
}

func FuzzParseDateCell(f *testing.F) {
	for _, s := range []string{"43586", "2019-05-01", "2019年5月1日", "201905", "2019.1", "2023-01-08T16:00:00.000Z"} {
		f.Add(s, false)
	}
	f.Add("42124", true)
	f.Fuzz(func(t *testing.T, s string, date1904 bool) {
		d, err := parseDateCell(s, date1904)
		if err != nil {
			fuzzCheckError(t, s, err)
			return
		}
		if d.IsZero() || d.Year < normMinYear || d.Year > normMaxYear || models.DateOf(d.Time()) != d {
			t.Fatalf("%q: invalid date %+v", s, d)
		}
		back, err := parseDateCell(d.String(), date1904)
		if err != nil || back != d {
			t.Fatalf("%q: %s parses back as %v, %v", s, d, back, err)
		}
		if p, err := models.ParseDate(d.String()); err != nil || p != d {
			t.Fatalf("%q: models.ParseDate(%s) = %v, %v", s, d, p, err)
		}
	})
}

func FuzzParseMoneyCell(f *testing.F) {
	for _, s := range []string{"4999.00", "(1,234.50)", "1.2万元", "4.99999E3", "-"} {
		f.Add(s, false)
	}
	f.Add("1.2", true)
	f.Fuzz(func(t *testing.T, s string, wan bool) {
		scale := int64(1)
		if wan {
			scale = 10000
		}
		m, err := parseMoneyCell(s, scale)
		if err != nil {
			fuzzCheckError(t, s, err)
			return
		}
		if m > normMaxFen || m < -normMaxFen {
			t.Fatalf("%q: %d fen beyond the limit", s, m)
		}
		for _, text := range []string{m.Yuan(), m.String()} {
			back, err := parseMoneyCell(text, 1)
			if err != nil || back != m {
				t.Fatalf("%q: %d fen formatted as %q parses back as %d, %v", s, m, text, back, err)
			}
		}
	})
}

func FuzzParseQuantityCell(f *testing.F) {
	for _, s := range []string{"20", "20.0", "20台", "1.5", "-3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseQuantityCell(s)
		if err != nil {
			fuzzCheckError(t, s, err)
			return
		}
		if n < 1 || n > normMaxQuantity {
			t.Fatalf("%q: quantity %d", s, n)
		}
		if back, err := parseQuantityCell(strconv.Itoa(n)); err != nil || back != n {
			t.Fatalf("%q: %d parses back as %d, %v", s, n, back, err)
		}
	})
}

func FuzzNormalizeHeader(f *testing.F) {
	for _, s := range []string{"原值\n（元）", "价值(万元)", "数量(台/套)", "资产原值（单位：万元）"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		bare, scale := normalizeHeader(s)
		if scale != 0 && scale != 1 && scale != 10000 {
			t.Fatalf("%q: scale %d", s, scale)
		}
		if strings.ContainsFunc(bare, normIsSpace) {
			t.Fatalf("%q: bare %q keeps white space", s, bare)
		}
		// The remembered mapping is keyed by bare headers: they must be stable.
		if again, _ := normalizeHeader(bare); again != bare {
			t.Fatalf("%q: bare %q normalises again to %q", s, bare, again)
		}
	})
}

// fuzzRows splits a fuzz input into sheet rows: lines are rows, tabs separate cells.
func fuzzRows(s string) [][]string {
	var rows [][]string
	for _, line := range strings.Split(s, "\n") {
		rows = append(rows, strings.Split(line, "\t"))
	}
	return rows
}

func FuzzFindTable(f *testing.F) {
	f.Add("XX局固定资产清查明细表\n序号\t资产编号\t资产名称\t原值（元）\n1\tA-1\t台式计算机\t4999\n合计\t\t\t4999")
	f.Fuzz(func(t *testing.T, s string) {
		rows := fuzzRows(s)
		nums := make([]int, len(rows))
		for i := range nums {
			nums[i] = 2*i + 1 // gaps, as when blank rows are not passed
		}
		remembered := map[string]importField{"放在哪": fieldLocation, "备注": ""}
		l, ok := findTable(rows, nums, remembered)
		if !ok {
			if l.Score != 0 {
				t.Fatalf("no table but score %d", l.Score)
			}
			return
		}
		if !slices.Contains(nums, l.HeaderRow) || l.Score <= 0 {
			t.Fatalf("header row %d not among the rows, score %d", l.HeaderRow, l.Score)
		}
		header := rows[slices.Index(nums, l.HeaderRow)]
		fuzzCheckColumns(t, l, header)
		if l.Scale != 1 && l.Scale != 10000 {
			t.Fatalf("layout scale %d", l.Scale)
		}
		for _, r := range rows {
			l.skipRow(r)
		}
		m := map[int]importField{}
		for i, c := range l.Columns {
			m[c.Index] = importFields[i%len(importFields)].Key
		}
		fuzzCheckColumns(t, l.withMapping(m), header)
	})
}

// fuzzCheckColumns checks the invariants of a layout's columns against its header row.
func fuzzCheckColumns(t *testing.T, l tableLayout, header []string) {
	t.Helper()
	fields := map[importField]bool{}
	last := -1
	for _, c := range l.Columns {
		if c.Index <= last || c.Index >= len(header) {
			t.Fatalf("column index %d after %d, header has %d cells", c.Index, last, len(header))
		}
		last = c.Index
		if c.Header == "" || c.Header != cleanText(header[c.Index]) {
			t.Fatalf("column %d header %q from cell %q", c.Index, c.Header, header[c.Index])
		}
		if c.Scale != 1 && c.Scale != 10000 {
			t.Fatalf("column %d scale %d", c.Index, c.Scale)
		}
		if c.Field == "" {
			continue
		}
		if _, ok := fieldByKey(c.Field); !ok || fields[c.Field] || c.RowNumber {
			t.Fatalf("column %d field %q (twice: %v, row number: %v)", c.Index, c.Field, fields[c.Field], c.RowNumber)
		}
		fields[c.Field] = true
	}
}
