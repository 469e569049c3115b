package app

import (
	"encoding/binary"
	"errors"
	"math"
	"os"
	"slices"
	"testing"
	"unicode/utf16"
)

// Hand-built BIFF8 Workbook streams for the record cases LibreOffice's files may not show.

func xlsTestRec(typ uint16, parts ...[]byte) []byte {
	var data []byte
	for _, p := range parts {
		data = append(data, p...)
	}
	out := binary.LittleEndian.AppendUint16(nil, typ)
	out = binary.LittleEndian.AppendUint16(out, uint16(len(data)))
	return append(out, data...)
}

func xlsTestU16(vs ...int) []byte {
	var out []byte
	for _, v := range vs {
		out = binary.LittleEndian.AppendUint16(out, uint16(v))
	}
	return out
}

func xlsTestU32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func xlsTestF64(v float64) []byte { return binary.LittleEndian.AppendUint64(nil, math.Float64bits(v)) }

// xlsTestWide is s in UTF-16LE.
func xlsTestWide(s string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		out = binary.LittleEndian.AppendUint16(out, u)
	}
	return out
}

func xlsTestBOF(dt int) []byte {
	return xlsTestRec(xlsBOF, xlsTestU16(0x0600, dt), make([]byte, 12))
}

type xlsTestSheet struct {
	name   string
	hidden byte
	dt     byte // 0 worksheet, 2 chart
	recs   [][]byte
}

// xlsTestStream lays out globals (BOF, globals, one BOUNDSHEET per sheet, EOF) and then each
// sheet's substream, with the BOUNDSHEET offsets pointing at them.
func xlsTestStream(globals [][]byte, sheets ...xlsTestSheet) []byte {
	bound := func(sh xlsTestSheet, off int) []byte {
		name := xlsTestWide(sh.name)
		return xlsTestRec(xlsBoundSheet, xlsTestU32(uint32(off)), []byte{sh.hidden, sh.dt, byte(len(name) / 2), 1}, name)
	}
	size := len(xlsTestBOF(5)) + 4
	for _, g := range globals {
		size += len(g)
	}
	for _, sh := range sheets {
		size += len(bound(sh, 0))
	}
	var subs []byte
	var offs []int
	for _, sh := range sheets {
		offs = append(offs, size+len(subs))
		subs = append(subs, xlsTestBOF(0x10)...)
		for _, r := range sh.recs {
			subs = append(subs, r...)
		}
		subs = append(subs, xlsTestRec(xlsEOF)...)
	}
	out := xlsTestBOF(5)
	for _, g := range globals {
		out = append(out, g...)
	}
	for i, sh := range sheets {
		out = append(out, bound(sh, offs[i])...)
	}
	out = append(out, xlsTestRec(xlsEOF)...)
	return append(out, subs...)
}

// xlsTestSST is a shared string table whose strings cross three CONTINUE records in every
// way the format allows.
func xlsTestSST() [][]byte {
	seg0 := slices.Concat(xlsTestU32(7), xlsTestU32(7),
		xlsTestU16(4), []byte{1}, xlsTestWide("资产编号"),
		// "中文abcd": UTF-16 until the record ends after "中文ab" …
		xlsTestU16(6), []byte{1}, xlsTestWide("中文ab"))
	seg1 := slices.Concat([]byte{0}, []byte("cd"), // … then one byte a character after a flag 0
		// rich text "富文本" with two formatting runs (8 bytes) split 3 + 5 without a flag
		xlsTestU16(3), []byte{0x09}, xlsTestU16(2), xlsTestWide("富文本"), []byte{1, 2, 3})
	seg2 := slices.Concat([]byte{4, 5, 6, 7, 8},
		xlsTestU16(7), []byte{0}, []byte("Latin \xFC"), // one byte a character: Latin-1
		xlsTestU16(2), []byte{0x05}, xlsTestU32(6), xlsTestWide("東京"), []byte{9, 9, 9, 9, 9, 9}, // phonetic data
		xlsTestU16(2), []byte{1}) // header ends the record: the characters start after a flag
	seg3 := slices.Concat([]byte{1}, xlsTestWide("边界"),
		xlsTestU16(2), []byte{1}, xlsTestWide("😀"))
	return [][]byte{xlsTestRec(xlsSST, seg0), xlsTestRec(xlsContinue, seg1), xlsTestRec(xlsContinue, seg2), xlsTestRec(xlsContinue, seg3)}
}

func xlsTestRK(v uint32) []byte { return xlsTestU32(v) }

func xlsTestRows(t *testing.T, book *xlsBook, sheet int) ([]int, map[int][]string) {
	t.Helper()
	rows, err := book.rows(book.sheets[sheet])
	if err != nil {
		t.Fatal(err)
	}
	var order []int
	got := map[int][]string{}
	for {
		row, cells, err := rows.next()
		if err != nil {
			t.Fatal(err)
		}
		if row == 0 {
			return order, got
		}
		order = append(order, row)
		got[row] = cells
	}
}

func xlsTestCellsSheet() xlsTestSheet {
	neg3 := int32(-3) << 2
	return xlsTestSheet{name: "资产", recs: [][]byte{
		xlsTestRec(xlsLabelSST, xlsTestU16(0, 0, 15), xlsTestU32(0)),
		xlsTestRec(xlsLabelSST, xlsTestU16(0, 1, 15), xlsTestU32(1)),
		xlsTestRec(xlsLabelSST, xlsTestU16(0, 2, 15), xlsTestU32(2)),
		xlsTestRec(xlsLabelSST, xlsTestU16(0, 3, 15), xlsTestU32(3)),
		xlsTestRec(xlsLabelSST, xlsTestU16(0, 4, 15), xlsTestU32(4)),
		xlsTestRec(xlsLabelSST, xlsTestU16(0, 5, 15), xlsTestU32(5)),
		xlsTestRec(xlsLabelSST, xlsTestU16(0, 6, 15), xlsTestU32(6)),
		// row 3 (index 2): numbers
		xlsTestRec(xlsNumber, xlsTestU16(2, 0, 15), xlsTestF64(4999.99)),
		xlsTestRec(xlsRK, xlsTestU16(2, 1, 15), xlsTestRK(12800<<2|2)),
		xlsTestRec(xlsRK, xlsTestU16(2, 2, 15), xlsTestRK(1234<<2|3)),
		xlsTestRec(xlsRK, xlsTestU16(2, 3, 15), xlsTestRK(uint32(math.Float64bits(0.5)>>32))),
		xlsTestRec(xlsMulRK, xlsTestU16(2, 4), xlsTestU16(15), xlsTestRK(1<<2|2), xlsTestU16(15),
			xlsTestRK(uint32(math.Float64bits(2.5)>>32)), xlsTestU16(15), xlsTestRK(uint32(neg3)|2), xlsTestU16(6)),
		xlsTestRec(xlsNumber, xlsTestU16(2, 7, 22), xlsTestF64(43586)), // a date: its serial number
		// row 4 (index 3): formulas and the rest
		xlsTestRec(xlsFormula, xlsTestU16(3, 0, 15), xlsTestF64(9999.98), make([]byte, 8)),
		xlsTestRec(xlsFormula, xlsTestU16(3, 1, 15), []byte{0, 0, 0, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 8)),
		xlsTestRec(0x04BC, make([]byte, 10)), // SHRFMLA between a FORMULA and its STRING
		xlsTestRec(xlsString, xlsTestU16(3), []byte{1}, xlsTestWide("编号1")),
		xlsTestRec(xlsFormula, xlsTestU16(3, 2, 15), []byte{1, 0, 1, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 8)),
		xlsTestRec(xlsFormula, xlsTestU16(3, 3, 15), []byte{2, 0, 0x07, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 8)),
		xlsTestRec(xlsFormula, xlsTestU16(3, 4, 15), []byte{3, 0, 0, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 8)),
		xlsTestRec(xlsBoolErr, xlsTestU16(3, 5, 15), []byte{0, 0}),
		xlsTestRec(xlsBoolErr, xlsTestU16(3, 6, 15), []byte{0x2A, 1}),
		xlsTestRec(xlsLabel, xlsTestU16(3, 7, 15), xlsTestU16(4), []byte{0}, []byte("text")),
		xlsTestRec(0x0201, xlsTestU16(3, 8, 15)), // BLANK: no value
		// An embedded chart: its records are not cells of the sheet.
		xlsTestBOF(0x20),
		xlsTestRec(xlsNumber, xlsTestU16(0, 0, 15), xlsTestF64(999)),
		xlsTestRec(xlsEOF),
		xlsTestRec(0x0201, xlsTestU16(9, 0, 15)), // a row of blanks only: not a row
	}}
}

func TestXLSRecords(t *testing.T) {
	stream := xlsTestStream(xlsTestSST(),
		xlsTestCellsSheet(),
		xlsTestSheet{name: "图表", dt: 2},
		xlsTestSheet{name: "隐藏", hidden: 1, recs: [][]byte{xlsTestRec(xlsNumber, xlsTestU16(0, 0, 15), xlsTestF64(1))}},
	)
	book, err := xlsParseBook(stream)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"资产编号", "中文abcd", "富文本", "Latin ü", "東京", "边界", "😀"}; !slices.Equal(book.sst, want) {
		t.Errorf("SST = %q, want %q", book.sst, want)
	}
	var names []string
	for _, sh := range book.sheets {
		names = append(names, sh.name)
	}
	if !slices.Equal(names, []string{"资产", "隐藏"}) || book.sheets[0].hidden || !book.sheets[1].hidden {
		t.Errorf("sheets = %q (chart sheets are left out, 隐藏 is hidden)", names)
	}
	if book.sheets[0].rows != 4 || !book.sheets[0].ordered {
		t.Errorf("scan: rows %d ordered %v, want 4 true", book.sheets[0].rows, book.sheets[0].ordered)
	}
	order, got := xlsTestRows(t, book, 0)
	if !slices.Equal(order, []int{1, 3, 4}) {
		t.Errorf("rows = %v, want [1 3 4]", order)
	}
	want := map[int][]string{
		1: {"资产编号", "中文abcd", "富文本", "Latin ü", "東京", "边界", "😀"},
		3: {"4999.99", "12800", "12.34", "0.5", "1", "2.5", "-3", "43586"},
		4: {"9999.98", "编号1", "TRUE", "#DIV/0!", "", "FALSE", "#N/A", "text"},
	}
	for row, w := range want {
		if !slices.Equal(got[row], w) {
			t.Errorf("row %d = %q, want %q", row, got[row], w)
		}
	}
}

// Cells out of row order (not what Excel writes, but allowed) still come out row by row.
func TestXLSOutOfOrderRows(t *testing.T) {
	stream := xlsTestStream(nil, xlsTestSheet{name: "S", recs: [][]byte{
		xlsTestRec(xlsNumber, xlsTestU16(4, 0, 15), xlsTestF64(5)),
		xlsTestRec(xlsNumber, xlsTestU16(1, 0, 15), xlsTestF64(2)),
		xlsTestRec(xlsNumber, xlsTestU16(4, 2, 15), xlsTestF64(5.2)),
		xlsTestRec(xlsNumber, xlsTestU16(8, 1, 15), xlsTestF64(9.1)),
	}})
	book, err := xlsParseBook(stream)
	if err != nil {
		t.Fatal(err)
	}
	if sh := book.sheets[0]; sh.ordered || sh.rows != 9 {
		t.Errorf("scan: ordered %v rows %d, want false 9", sh.ordered, sh.rows)
	}
	order, got := xlsTestRows(t, book, 0)
	if !slices.Equal(order, []int{2, 5, 9}) || !slices.Equal(got[5], []string{"5", "", "5.2"}) || !slices.Equal(got[9], []string{"", "9.1"}) {
		t.Errorf("rows %v: %v", order, got)
	}
}

func TestXLSRejects(t *testing.T) {
	good := xlsTestStream(xlsTestSST(), xlsTestCellsSheet())
	cases := []struct {
		name   string
		stream []byte
		want   error
	}{
		{"encrypted", xlsTestStream([][]byte{xlsTestRec(xlsFilePass, make([]byte, 54))}, xlsTestCellsSheet()), errXLSEncrypted},
		{"BIFF5", append(xlsTestRec(xlsBOF, xlsTestU16(0x0500, 5), make([]byte, 4)), good[20:]...), errXLSVersion},
		{"no BOF", good[20:], errXLSCorrupt},
		{"SST index out of range", xlsTestStream(nil, xlsTestSheet{name: "S", recs: [][]byte{xlsTestRec(xlsLabelSST, xlsTestU16(0, 0, 15), xlsTestU32(3))}}), errXLSCorrupt},
		{"column 300", xlsTestStream(nil, xlsTestSheet{name: "S", recs: [][]byte{xlsTestRec(xlsNumber, xlsTestU16(0, 300, 15), xlsTestF64(1))}}), errXLSCorrupt},
		{"short NUMBER", xlsTestStream(nil, xlsTestSheet{name: "S", recs: [][]byte{xlsTestRec(xlsNumber, xlsTestU16(0, 1, 15))}}), errXLSCorrupt},
		{"MULRK past column 256", xlsTestStream(nil, xlsTestSheet{name: "S", recs: [][]byte{xlsTestRec(xlsMulRK, xlsTestU16(0, 255), xlsTestU16(15), xlsTestRK(2), xlsTestU16(15), xlsTestRK(2), xlsTestU16(256))}}), errXLSCorrupt},
		{"string longer than its records", xlsTestStream([][]byte{xlsTestRec(xlsSST, xlsTestU32(1), xlsTestU32(1), xlsTestU16(50), []byte{1}, xlsTestWide("短"))}), errXLSCorrupt},
		{"huge phonetic size", xlsTestStream([][]byte{xlsTestRec(xlsSST, xlsTestU32(1), xlsTestU32(1), xlsTestU16(1), []byte{5}, xlsTestU32(0x7FFFFFFF), []byte("a"))}), errXLSCorrupt},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := xlsParseBook(tc.stream); !errors.Is(err, tc.want) {
				t.Errorf("error = %v, want %v", err, tc.want)
			}
		})
	}
	// Every truncation of a good stream is an error (the EOF records are missing), never a panic.
	for n := range len(good) - 1 {
		if _, err := xlsParseBook(good[:n]); err == nil {
			t.Fatalf("stream cut at %d of %d: no error", n, len(good))
		}
	}
}

func TestXLSRKValue(t *testing.T) {
	cases := map[uint32]float64{
		2:                                     0,
		100<<2 | 2:                            100,
		0xFFFFFFE6:                            -7, // int32(-7)<<2 | 2
		1234<<2 | 3:                           12.34,
		uint32(math.Float64bits(1.5) >> 32):   1.5,
		uint32(math.Float64bits(1.5)>>32) | 1: 0.015,
	}
	for rk, want := range cases {
		if got := xlsRKValue(rk); got != want {
			t.Errorf("xlsRKValue(%#x) = %v, want %v", rk, got, want)
		}
	}
}

// FuzzXLSStream fuzzes the BIFF layer under the compound file, which FuzzOpenSpreadsheet's
// mutations seldom get through: any stream parses or fails, never panics.
func FuzzXLSStream(f *testing.F) {
	f.Add(xlsTestStream(xlsTestSST(), xlsTestCellsSheet()))
	for _, name := range []string{"testdata/import/messy_lo.xls", "testdata/import/multisheet_lo.xls"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		stream, err := xlsWorkbookStream(data)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(stream)
	}
	f.Fuzz(func(t *testing.T, stream []byte) {
		book, err := xlsParseBook(stream)
		if err != nil {
			return
		}
		for _, sh := range book.sheets {
			rows, err := book.rows(sh)
			if err != nil {
				continue
			}
			for n := 0; n <= sh.rows; n++ {
				row, _, err := rows.next()
				if err != nil || row == 0 {
					break
				}
				if row > sh.rows {
					t.Fatalf("row %d past the scanned %d", row, sh.rows)
				}
			}
		}
	})
}
