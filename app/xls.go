package app

// Legacy .xls files (BIFF8: Excel 97–2003, and what WPS and LibreOffice still write).
//
// This is our own reader on top of github.com/richardlehane/mscfb, the OLE2 compound-file
// reader excelize already depends on. The Go modules the proxy serves were tried first on .xls
// files written by LibreOffice 7.4 (the messy inventory in testdata/import, and a 3,000-row,
// three-sheet workbook with long Chinese and mixed-script shared strings, dates and formulas):
//   - github.com/extrame/xls v0.0.1 (2017, the only tag): panics on blank rows, formats every
//     number as a date, loses the shared strings after the first CONTINUE record, and returns
//     no formula results;
//   - github.com/shakinm/xlsReader v0.9.12 (2022): numbers right, but every string after the
//     first string split across an SST CONTINUE record is garbage, formula cells are dropped, and
//     reading the second sheet panics (index out of range);
//   - github.com/pbnjay/grate, github.com/nkiri/xls, github.com/b0r1ssh/go-xls and
//     github.com/augcampos/xls are not served by the module proxy.
// An inventory needs only cell values, which takes a dozen record types: BOF/EOF,
// BOUNDSHEET8, SST+CONTINUE, LABELSST, LABEL, RSTRING, NUMBER, RK, MULRK, FORMULA+STRING and
// BOOLERR, and the 1904 record for the date system. Every read is bounds-checked so that a
// damaged file is an error, never a panic; the recover guards are for the compound-file layer
// underneath.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/richardlehane/mscfb"
)

// BIFF8 record types ([MS-XLS] 2.3).
const (
	xlsBOF        = 0x0809
	xlsEOF        = 0x000A
	xlsFilePass   = 0x002F
	xlsBoundSheet = 0x0085
	xlsSST        = 0x00FC
	xlsContinue   = 0x003C
	xlsLabelSST   = 0x00FD
	xlsLabel      = 0x0204
	xlsRString    = 0x00D6
	xlsNumber     = 0x0203
	xlsRK         = 0x027E
	xlsMulRK      = 0x00BD
	xlsFormula    = 0x0006
	xlsString     = 0x0207
	xlsBoolErr    = 0x0205
	xlsDateMode   = 0x0022 // "1904": the workbook's date system
)

// xlsMaxCols is the width of a BIFF8 sheet; a larger column number means a damaged file.
const xlsMaxCols = 256

var (
	errXLSCorrupt   = errors.New("xls: damaged or truncated record structure")
	errXLSVersion   = errors.New("xls: not BIFF8 (Excel 95 or older)")
	errXLSEncrypted = errors.New("xls: encrypted")
	errXLSNotBook   = errors.New("xls: compound file holds no workbook stream")
)

var xlsLE = binary.LittleEndian

// xlsBook is a BIFF8 workbook: its Workbook stream, kept in memory (it is no larger than the
// upload), the shared strings and the worksheets.
type xlsBook struct {
	stream []byte
	sst    []string
	sheets []*xlsSheet
	// date1904 is the 1904 record's flag: date serial numbers count from 1904-01-01.
	date1904 bool
}

// xlsSheet is a worksheet of an xlsBook.
type xlsSheet struct {
	name   string
	offset int // of the sheet's BOF record in the stream
	hidden bool
	// From the scan at open: one past the last row with a cell, and whether cells come in
	// row order (Excel, WPS and LibreOffice write them so; other writers might not).
	rows    int
	ordered bool
}

// xlsOpen reads the workbook in an OLE2 compound file, checking every worksheet's records.
func xlsOpen(data []byte) (book *xlsBook, err error) {
	defer func() {
		if p := recover(); p != nil {
			book, err = nil, fmt.Errorf("%w: panic: %v", errXLSCorrupt, p)
		}
	}()
	stream, err := xlsWorkbookStream(data)
	if err != nil {
		return nil, err
	}
	return xlsParseBook(stream)
}

// xlsParseBook reads a Workbook stream's globals and scans every worksheet.
func xlsParseBook(stream []byte) (*xlsBook, error) {
	book, err := xlsParseGlobals(stream)
	if err != nil {
		return nil, err
	}
	for _, sh := range book.sheets {
		if err := book.scan(sh); err != nil {
			return nil, err
		}
	}
	return book, nil
}

// xlsWorkbookStream returns the Workbook stream of a compound file.
func xlsWorkbookStream(data []byte) ([]byte, error) {
	doc, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errXLSCorrupt, err)
	}
	var book *mscfb.File
	old, encrypted := false, false
	for entry, err := doc.Next(); err == nil; entry, err = doc.Next() {
		if len(entry.Path) > 0 { // inside a storage, e.g. an embedded object
			continue
		}
		switch {
		case strings.EqualFold(entry.Name, "Workbook"):
			if book == nil {
				book = entry
			}
		case strings.EqualFold(entry.Name, "Book"):
			old = true
		case entry.Name == "EncryptedPackage": // a password-protected .xlsx
			encrypted = true
		}
	}
	switch {
	case encrypted:
		return nil, errXLSEncrypted
	case book == nil && old:
		return nil, errXLSVersion
	case book == nil:
		return nil, errXLSNotBook
	}
	// The stream cannot be longer than the file that holds it, whatever its directory claims.
	stream, err := io.ReadAll(io.LimitReader(book, int64(len(data))))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errXLSCorrupt, err)
	}
	return stream, nil
}

// xlsParseGlobals reads the workbook globals: sheet list and shared strings.
func xlsParseGlobals(stream []byte) (*xlsBook, error) {
	recs := xlsRecords{b: stream}
	typ, data, err := recs.next()
	if err != nil || typ != xlsBOF || len(data) < 4 {
		return nil, errXLSCorrupt
	}
	if xlsLE.Uint16(data) != 0x0600 {
		return nil, errXLSVersion
	}
	book := &xlsBook{stream: stream}
	for {
		typ, data, err := recs.next()
		if err != nil {
			return nil, err
		}
		switch typ {
		case xlsEOF:
			return book, nil
		case xlsFilePass:
			return nil, errXLSEncrypted
		case xlsBoundSheet:
			// lbPlyPos(4) hsState(1) dt(1) ShortXLUnicodeString name
			if len(data) < 8 {
				return nil, errXLSCorrupt
			}
			if data[5] != 0 { // chart, macro or VBA module sheet
				continue
			}
			t := xlsText{segs: [][]byte{data[8:]}}
			name, err := t.chars(int(data[6]), data[7]&1 != 0)
			if err != nil {
				return nil, err
			}
			off := int(xlsLE.Uint32(data))
			if off < 0 || off >= len(stream) {
				return nil, errXLSCorrupt
			}
			book.sheets = append(book.sheets, &xlsSheet{name: name, offset: off, hidden: data[4]&3 != 0})
		case xlsSST:
			if book.sst, err = xlsParseSST(recs.continued(data)); err != nil {
				return nil, err
			}
		case xlsDateMode: // f1904(2)
			book.date1904 = len(data) >= 2 && xlsLE.Uint16(data) == 1
		}
	}
}

// scan walks a worksheet's records once, without decoding values, so that a damaged sheet is
// found at open and EstimateRows is exact.
func (b *xlsBook) scan(sh *xlsSheet) error {
	it := xlsCells{book: b, recs: xlsRecords{b: b.stream, off: sh.offset}}
	sh.ordered = true
	last := -1
	for {
		c, ok, err := it.next()
		if err != nil {
			return err
		}
		if !ok {
			sh.rows = last + 1
			return nil
		}
		if c.row < last {
			sh.ordered = false
		}
		last = max(last, c.row)
	}
}

// xlsRecords walks the records of a BIFF stream.
type xlsRecords struct {
	b   []byte
	off int
}

func (r *xlsRecords) next() (typ uint16, data []byte, err error) {
	if r.off < 0 || r.off+4 > len(r.b) {
		return 0, nil, errXLSCorrupt
	}
	typ, n := xlsLE.Uint16(r.b[r.off:]), int(xlsLE.Uint16(r.b[r.off+2:]))
	start := r.off + 4
	if start+n > len(r.b) {
		return 0, nil, errXLSCorrupt
	}
	r.off = start + n
	return typ, r.b[start : start+n], nil
}

// continued returns first followed by the data of the CONTINUE records after it, which it
// consumes: records are at most 8,224 bytes, and longer ones (shared strings above all) go on
// in CONTINUE records.
func (r *xlsRecords) continued(first []byte) [][]byte {
	segs := [][]byte{first}
	for r.off+4 <= len(r.b) && xlsLE.Uint16(r.b[r.off:]) == xlsContinue {
		_, data, err := r.next()
		if err != nil {
			break
		}
		segs = append(segs, data)
	}
	return segs
}

// xlsText reads strings from a record and its CONTINUE records.
type xlsText struct {
	segs [][]byte
	seg  int
	pos  int
	u16  []uint16
	out  []byte
}

// atEnd reports whether all segments are consumed.
func (t *xlsText) atEnd() bool {
	for t.seg < len(t.segs) && t.pos == len(t.segs[t.seg]) {
		if t.seg == len(t.segs)-1 {
			return true
		}
		t.seg, t.pos = t.seg+1, 0
	}
	return t.seg >= len(t.segs)
}

// uint reads a little-endian integer of n ≤ 4 bytes; string headers and formatting runs run on
// across a CONTINUE boundary without a flag byte.
func (t *xlsText) uint(n int) (uint32, error) {
	var v uint32
	for i := 0; i < n; i++ {
		if t.atEnd() {
			return 0, errXLSCorrupt
		}
		v |= uint32(t.segs[t.seg][t.pos]) << (8 * i)
		t.pos++
	}
	return v, nil
}

// skip passes over n bytes (formatting runs, phonetic data).
func (t *xlsText) skip(n int) error {
	for n > 0 {
		if t.atEnd() {
			return errXLSCorrupt
		}
		k := min(n, len(t.segs[t.seg])-t.pos)
		t.pos += k
		n -= k
	}
	return nil
}

// chars reads cch characters, one byte each (the low byte of UTF-16: Latin-1) or two
// (UTF-16LE). A character array split by a CONTINUE record goes on after a flag byte whose
// bit 0 gives the width of the rest, which may differ from the width before the split.
func (t *xlsText) chars(cch int, high bool) (string, error) {
	t.u16 = t.u16[:0]
	for cch > 0 {
		if t.seg >= len(t.segs) {
			return "", errXLSCorrupt
		}
		seg := t.segs[t.seg]
		if t.pos >= len(seg) {
			t.seg, t.pos = t.seg+1, 0
			if t.seg >= len(t.segs) || len(t.segs[t.seg]) == 0 {
				return "", errXLSCorrupt
			}
			high, t.pos = t.segs[t.seg][0]&1 != 0, 1
			continue
		}
		if high {
			n := min(cch, (len(seg)-t.pos)/2)
			if n == 0 { // half a character before the boundary
				return "", errXLSCorrupt
			}
			for i := 0; i < n; i++ {
				t.u16 = append(t.u16, xlsLE.Uint16(seg[t.pos+2*i:]))
			}
			t.pos += 2 * n
			cch -= n
		} else {
			n := min(cch, len(seg)-t.pos)
			for _, b := range seg[t.pos : t.pos+n] {
				t.u16 = append(t.u16, uint16(b))
			}
			t.pos += n
			cch -= n
		}
	}
	t.out = t.out[:0]
	for i := 0; i < len(t.u16); i++ {
		r := rune(t.u16[i])
		if utf16.IsSurrogate(r) && i+1 < len(t.u16) {
			if d := utf16.DecodeRune(r, rune(t.u16[i+1])); d != utf8.RuneError {
				r = d
				i++
			}
		}
		t.out = utf8.AppendRune(t.out, r)
	}
	return string(t.out), nil
}

// unicodeString reads an XLUnicodeRichExtendedString (SST) or XLUnicodeString (LABEL,
// STRING): cch(2) flags(1) [cRun(2)] [cbExtRst(4)] characters [runs] [phonetic data].
func (t *xlsText) unicodeString() (string, error) {
	cch, err := t.uint(2)
	if err != nil {
		return "", err
	}
	flags, err := t.uint(1)
	if err != nil {
		return "", err
	}
	var runs, ext uint32
	if flags&0x08 != 0 {
		if runs, err = t.uint(2); err != nil {
			return "", err
		}
	}
	if flags&0x04 != 0 {
		if ext, err = t.uint(4); err != nil {
			return "", err
		}
	}
	s, err := t.chars(int(cch), flags&0x01 != 0)
	if err != nil {
		return "", err
	}
	if err := t.skip(4*int(runs) + int(ext)); err != nil {
		return "", err
	}
	return s, nil
}

// xlsParseSST reads the shared string table: cstTotal(4) cstUnique(4) strings.
func xlsParseSST(segs [][]byte) ([]string, error) {
	t := xlsText{segs: segs}
	if _, err := t.uint(4); err != nil {
		return nil, err
	}
	unique, err := t.uint(4)
	if err != nil {
		return nil, err
	}
	size := 0
	for _, s := range segs {
		size += len(s)
	}
	// A string takes at least 3 bytes: never trust the count for the allocation.
	sst := make([]string, 0, min(int(unique), size/3))
	for range unique {
		if t.atEnd() { // some writers overstate the count; a missing string is caught by LABELSST
			break
		}
		s, err := t.unicodeString()
		if err != nil {
			return nil, err
		}
		sst = append(sst, s)
	}
	return sst, nil
}

// xlsCell is a cell with a value; row and col are 0-based.
type xlsCell struct {
	row, col int
	text     string
}

// xlsCells yields the cells of a worksheet in record order.
type xlsCells struct {
	book *xlsBook
	recs xlsRecords
	// text is false for the scan at open, which needs positions only.
	text    bool
	started bool
	depth   int // of BOF–EOF blocks nested in the sheet (embedded charts)
	queue   []xlsCell
	// A FORMULA whose string result is in the STRING record that follows it.
	pending    bool
	pendingRow int
	pendingCol int
}

func (it *xlsCells) next() (xlsCell, bool, error) {
	if len(it.queue) > 0 {
		c := it.queue[0]
		it.queue = it.queue[1:]
		return c, true, nil
	}
	for {
		typ, data, err := it.recs.next()
		if err != nil {
			return xlsCell{}, false, err
		}
		if !it.started {
			if typ != xlsBOF {
				return xlsCell{}, false, errXLSCorrupt
			}
			it.started = true
			continue
		}
		switch typ {
		case xlsBOF:
			it.depth++
			continue
		case xlsEOF:
			if it.depth == 0 {
				return xlsCell{}, false, nil
			}
			it.depth--
			continue
		}
		if it.depth > 0 {
			continue
		}
		c, ok, err := it.cell(typ, data)
		if err != nil || ok {
			return c, ok, err
		}
		if len(it.queue) > 0 {
			return it.next()
		}
	}
}

// cell decodes a cell record; other records give ok == false.
func (it *xlsCells) cell(typ uint16, data []byte) (c xlsCell, ok bool, err error) {
	switch typ {
	case xlsLabelSST, xlsLabel, xlsRString, xlsNumber, xlsRK, xlsFormula, xlsBoolErr, xlsMulRK:
		// rw(2) col(2) ...
		if len(data) < 6 {
			return c, false, errXLSCorrupt
		}
		c.row, c.col = int(xlsLE.Uint16(data)), int(xlsLE.Uint16(data[2:]))
		if c.col >= xlsMaxCols {
			return c, false, errXLSCorrupt
		}
	case xlsString:
		if !it.pending {
			return c, false, nil
		}
		it.pending = false
		c.row, c.col = it.pendingRow, it.pendingCol
		if it.text {
			t := xlsText{segs: it.recs.continued(data)}
			if c.text, err = t.unicodeString(); err != nil {
				return c, false, err
			}
		}
		return c, true, nil
	default:
		return c, false, nil
	}
	switch typ {
	case xlsLabelSST: // ixfe(2) isst(4)
		if len(data) < 10 {
			return c, false, errXLSCorrupt
		}
		i := int(xlsLE.Uint32(data[6:]))
		if i < 0 || i >= len(it.book.sst) {
			return c, false, errXLSCorrupt
		}
		c.text = it.book.sst[i]
	case xlsLabel, xlsRString: // ixfe(2) XLUnicodeString
		if it.text {
			t := xlsText{segs: it.recs.continued(data[6:])}
			if c.text, err = t.unicodeString(); err != nil {
				return c, false, err
			}
		}
	case xlsNumber: // ixfe(2) num(8)
		if len(data) < 14 {
			return c, false, errXLSCorrupt
		}
		c.text = it.number(math.Float64frombits(xlsLE.Uint64(data[6:])))
	case xlsRK: // ixfe(2) RK(4)
		if len(data) < 10 {
			return c, false, errXLSCorrupt
		}
		c.text = it.number(xlsRKValue(xlsLE.Uint32(data[6:])))
	case xlsMulRK: // rw(2) colFirst(2) {ixfe(2) RK(4)}… colLast(2)
		n := (len(data) - 6) / 6
		if n < 1 || c.col+n > xlsMaxCols {
			return c, false, errXLSCorrupt
		}
		for i := 0; i < n; i++ {
			v := xlsRKValue(xlsLE.Uint32(data[4+6*i+2:]))
			it.queue = append(it.queue, xlsCell{row: c.row, col: c.col + i, text: it.number(v)})
		}
		return c, false, nil
	case xlsBoolErr: // ixfe(2) bBoolErr(1) fError(1)
		if len(data) < 8 {
			return c, false, errXLSCorrupt
		}
		c.text = xlsBoolErrText(data[6], data[7] != 0)
	case xlsFormula: // ixfe(2) value(8) grbit(2) chn(4) cce(2) rgce
		if len(data) < 14 {
			return c, false, errXLSCorrupt
		}
		v := data[6:14]
		if v[6] != 0xFF || v[7] != 0xFF {
			c.text = it.number(math.Float64frombits(xlsLE.Uint64(v)))
			break
		}
		switch v[0] {
		case 0: // a string, in the STRING record that follows
			it.pending, it.pendingRow, it.pendingCol = true, c.row, c.col
			return c, false, nil
		case 1:
			c.text = xlsBoolErrText(v[2], false)
		case 2:
			c.text = xlsBoolErrText(v[2], true)
		case 3: // empty string
		}
	}
	return c, true, nil
}

// number formats a cell number as the normalisers expect: the shortest decimal that reads
// back as the same float, never an exponent; dates stay serial numbers.
func (it *xlsCells) number(v float64) string {
	if !it.text {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// xlsRKValue decodes an RK number: a 30-bit integer or the top 30 bits of a double, either
// of them possibly divided by 100.
func xlsRKValue(rk uint32) float64 {
	var v float64
	if rk&0x02 != 0 {
		v = float64(int32(rk) >> 2)
	} else {
		v = math.Float64frombits(uint64(rk&0xFFFFFFFC) << 32)
	}
	if rk&0x01 != 0 {
		v /= 100
	}
	return v
}

// xlsBoolErrText is the text Excel shows for a Boolean or an error value.
func xlsBoolErrText(b byte, isErr bool) string {
	if !isErr {
		if b != 0 {
			return "TRUE"
		}
		return "FALSE"
	}
	switch b {
	case 0x00:
		return "#NULL!"
	case 0x07:
		return "#DIV/0!"
	case 0x0F:
		return "#VALUE!"
	case 0x17:
		return "#REF!"
	case 0x1D:
		return "#NAME?"
	case 0x24:
		return "#NUM!"
	case 0x2A:
		return "#N/A"
	}
	return "#N/A"
}

// sheet returns the worksheet of that name, or nil.
func (b *xlsBook) sheet(name string) *xlsSheet {
	for _, sh := range b.sheets {
		if sh.name == name {
			return sh
		}
	}
	return nil
}

// xlsRows yields the rows of a worksheet, each a fresh slice indexed by column.
type xlsRows struct {
	cells xlsCells
	held  *xlsCell // first cell of the next row, read ahead
	done  bool
	// For a sheet whose cells are out of row order: the whole sheet, sorted.
	sorted  []int
	byRow   map[int][]string
	sortedI int
}

func (b *xlsBook) rows(sh *xlsSheet) (*xlsRows, error) {
	r := &xlsRows{cells: xlsCells{book: b, recs: xlsRecords{b: b.stream, off: sh.offset}, text: true}}
	if sh.ordered {
		return r, nil
	}
	r.byRow = map[int][]string{}
	for {
		c, ok, err := r.cells.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		r.byRow[c.row] = xlsPut(r.byRow[c.row], c)
	}
	for row := range r.byRow {
		r.sorted = append(r.sorted, row)
	}
	slices.Sort(r.sorted)
	return r, nil
}

// xlsPut sets a cell in a row, growing it as needed.
func xlsPut(row []string, c xlsCell) []string {
	if c.col >= len(row) {
		row = append(row, make([]string, c.col+1-len(row))...)
	}
	row[c.col] = c.text
	return row
}

func (r *xlsRows) next() (int, []string, error) {
	if r.byRow != nil {
		if r.sortedI >= len(r.sorted) {
			return 0, nil, nil
		}
		row := r.sorted[r.sortedI]
		r.sortedI++
		return row + 1, r.byRow[row], nil
	}
	if r.done {
		return 0, nil, nil
	}
	var cells []string
	row := -1
	for {
		var c xlsCell
		if r.held != nil {
			c, r.held = *r.held, nil
		} else {
			var ok bool
			var err error
			if c, ok, err = r.cells.next(); err != nil {
				r.done = true
				return 0, nil, err
			} else if !ok {
				r.done = true
				if row < 0 {
					return 0, nil, nil
				}
				return row + 1, cells, nil
			}
		}
		if row >= 0 && c.row != row {
			r.held = &c
			return row + 1, cells, nil
		}
		row = c.row
		cells = xlsPut(cells, c)
	}
}

func (r *xlsRows) close() error {
	r.done, r.byRow, r.sorted = true, nil, nil
	return nil
}
