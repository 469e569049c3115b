package app

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"assetpool/models"
)

// Limits on what an .xlsx may unpack to, on top of maxUnzippedBytes in total.
const (
	// sheetXMLMemLimit is the largest part excelize keeps in memory: bigger worksheets and
	// shared-string tables go to a temp file and are streamed from there.
	sheetXMLMemLimit = 16 << 20
	// sheetMaxToken bounds the bytes between two '<' in a part: encoding/xml holds a whole
	// token in memory, and a real cell holds at most 32,767 characters.
	sheetMaxToken = 1 << 20
	// sheetEstimateBytes is how much of a worksheet EstimateRows reads when the sheet states
	// no dimension.
	sheetEstimateBytes = 256 << 10
)

// csvSheetName is the one sheet of a CSV file.
const csvSheetName = "CSV"

// spreadsheet is an uploaded file opened for reading, whatever its format (decided from content).
// Several passes over a sheet may run one after another; Close must come last.
type spreadsheet struct {
	format fileFormat
	sheets []string // offered to the user: visible worksheets
	all    []string // every worksheet, hidden ones too
	// date1904 is set for a workbook in the 1904 date system (older Mac Excel): its date
	// serial numbers count from 1904-01-01, and only the date parser can tell which numbers
	// are dates.
	date1904 bool

	xlsx      *excelize.File
	xlsxParts map[string]*zip.File // worksheet name → its part, for EstimateRows
	// xlsxBools are the worksheets that may hold Boolean cells (see xlsxRows).
	xlsxBools map[string]bool

	xls *xlsBook

	csvText  []byte
	csvComma rune
}

// sheetRows streams the rows of one sheet. Rows without any cell are skipped.
type sheetRows struct {
	src   sheetSource
	row   int
	cells []string
	err   error
	done  bool
}

// sheetSource is one format's row iterator; next returns row 0 at the end.
type sheetSource interface {
	next() (row int, cells []string, err error)
	close() error
}

// sheetError is a user-facing error about the file that keeps its cause for the log.
func sheetError(cause error, format string, args ...any) error {
	return &models.Error{Code: models.EInvalid, Message: fmt.Sprintf(format, args...), Err: cause}
}

// openSpreadsheet opens an uploaded .xlsx, .xls or CSV file, telling the format from content.
// It keeps no reference to data, which the caller may reuse. The caller bounds the size.
func openSpreadsheet(data []byte) (*spreadsheet, error) {
	if len(data) == 0 {
		return nil, models.Errorf(models.EInvalid, "文件是空的")
	}
	switch sniffFormat(data) {
	case formatXLSX:
		return xlsxOpen(data)
	case formatXLS:
		return xlsOpenSpreadsheet(data)
	}
	return csvOpen(data)
}

// Format is the format told from the content.
func (s *spreadsheet) Format() fileFormat { return s.format }

// Date1904 reports whether the workbook's date serial numbers are in the 1904 date system.
func (s *spreadsheet) Date1904() bool { return s.date1904 }

// Sheets lists the sheets to offer, in workbook order: hidden sheets and chart sheets are
// left out unless nothing else is left.
func (s *spreadsheet) Sheets() []string { return slices.Clone(s.sheets) }

// EstimateRows is a cheap estimate of a sheet's rows (the last row number), to decide whether
// to parse in the background and to show progress. It never reads a big sheet through:
// .xlsx trusts the sheet's stated dimension or extrapolates from its first 256 KB; .xls is
// exact (its records are in memory); CSV counts lines.
func (s *spreadsheet) EstimateRows(sheet string) int {
	switch s.format {
	case formatXLSX:
		if part := s.xlsxParts[sheet]; part != nil {
			return xlsxEstimateRows(part)
		}
	case formatXLS:
		if sh := s.xls.sheet(sheet); sh != nil {
			return sh.rows
		}
	case formatCSV:
		n := bytes.Count(s.csvText, []byte("\n"))
		if len(s.csvText) > 0 && s.csvText[len(s.csvText)-1] != '\n' {
			n++
		}
		return n
	}
	return 0
}

// Rows starts a pass over a sheet's rows. It may be called again for another pass.
func (s *spreadsheet) Rows(sheet string) (*sheetRows, error) {
	found := false
	for _, name := range s.all {
		found = found || name == sheet
	}
	if !found {
		return nil, models.Errorf(models.EInvalid, "文件中没有名为「%s」的工作表", sheet)
	}
	switch s.format {
	case formatXLSX:
		if s.xlsx == nil {
			return nil, errors.New("spreadsheet: Rows after Close")
		}
		rows, err := s.xlsx.Rows(sheet)
		if err != nil {
			if rows != nil {
				rows.Close()
			}
			return nil, sheetError(err, "无法读取工作表「%s」：文件可能已损坏", sheet)
		}
		src := &xlsxRows{rows: rows, sheet: sheet}
		if s.xlsxBools[sheet] {
			if src.shown, err = s.xlsx.Rows(sheet); err != nil {
				if src.shown != nil {
					src.shown.Close()
				}
				rows.Close()
				return nil, sheetError(err, "无法读取工作表「%s」：文件可能已损坏", sheet)
			}
		}
		return &sheetRows{src: src}, nil
	case formatXLS:
		rows, err := s.xls.rows(s.xls.sheet(sheet))
		if err != nil {
			return nil, sheetError(err, "无法读取工作表「%s」：文件已损坏或不完整", sheet)
		}
		return &sheetRows{src: &xlsSheetRows{rows: rows, sheet: sheet}}, nil
	}
	r := csv.NewReader(bytes.NewReader(s.csvText))
	r.Comma = s.csvComma
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	return &sheetRows{src: &csvRows{r: r}}, nil
}

// Close releases the file; for .xlsx it removes every temp file excelize made.
func (s *spreadsheet) Close() error {
	if s.xlsx == nil {
		return nil
	}
	err := s.xlsx.Close()
	s.xlsx = nil
	return err
}

// Next moves to the next row that has at least one cell.
func (r *sheetRows) Next() bool {
	if r.done {
		return false
	}
	row, cells, err := r.src.next()
	if err != nil || row == 0 {
		r.done, r.err, r.row, r.cells = true, err, 0, nil
		return false
	}
	r.row, r.cells = row, cells
	return true
}

// Row is the 1-based row number as Excel or WPS shows it (for CSV: the line the record starts on).
func (r *sheetRows) Row() int { return r.row }

// Cells are the current row's cell texts, untrimmed, indexed by column; the slice is the
// caller's to keep. It may be shorter than other rows.
func (r *sheetRows) Cells() []string { return r.cells }

// Err is the error that ended the pass, if any (a user-facing *models.Error).
func (r *sheetRows) Err() error { return r.err }

// Close ends the pass.
func (r *sheetRows) Close() error {
	r.done = true
	return r.src.close()
}

// ---- .xlsx ----

// xlsxOpen opens an .xlsx after checking that it cannot unpack beyond our limits.
// parallelCheckBytes is the stated unpacked size up to which the zip check runs beside
// excelize's own unzipping (a 100,000-row inventory states about 60 MB).
const parallelCheckBytes = 96 << 20

func xlsxOpen(data []byte) (s *spreadsheet, err error) {
	defer func() { // excelize is not known to panic on bad input, but an upload must never crash us
		if p := recover(); p != nil {
			s, err = nil, sheetError(fmt.Errorf("excelize panic: %v", p), "无法读取 Excel 文件：文件可能已损坏")
		}
	}()
	data = bytes.Clone(data) // EstimateRows reads parts later; the caller may reuse data
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, sheetError(err, "无法读取 Excel 文件：文件不完整或已损坏（不是有效的 .xlsx 压缩包）")
	}
	for _, f := range zr.File {
		if f.Name == "mimetype" && f.UncompressedSize64 < 100 {
			if b, err := xlsxReadPart(f, 100); err == nil && bytes.Contains(b, []byte("opendocument")) {
				return nil, models.Errorf(models.EInvalid, "无法读取 Excel 文件：这是 OpenDocument (.ods) 文件，请用 WPS 或 LibreOffice 另存为 .xlsx 后上传")
			}
		}
	}
	// For an archive that states a modest unpacked size the check inflates every part while
	// excelize unzips the same archive on the other core: excelize reads no further than the
	// stated sizes, so its memory stays bounded by them, and no sheet is parsed before the
	// check has passed. A bigger archive is checked first, because excelize's unzipping takes
	// about three times the stated size in memory.
	var stated uint64
	for _, f := range zr.File {
		stated += f.UncompressedSize64
	}
	type zipCheck struct {
		bools map[string]bool
		err   error
	}
	checked := make(chan zipCheck, 1)
	if stated <= parallelCheckBytes {
		go func() {
			bools, err := xlsxCheckZip(zr)
			checked <- zipCheck{bools, err}
		}()
	} else if bools, err := xlsxCheckZip(zr); err != nil {
		return nil, err
	} else {
		checked <- zipCheck{bools, nil}
	}
	// Raw values keep date serial numbers and every digit of long numbers, which formatting by
	// the cells' number formats would not.
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    maxUnzippedBytes,
		UnzipXMLSizeLimit: sheetXMLMemLimit,
	})
	check := <-checked
	if check.err != nil {
		if f != nil {
			f.Close()
		}
		return nil, check.err
	}
	if err != nil {
		if f != nil {
			f.Close() // it may have unzipped sheets to temp files already
		}
		return nil, sheetError(err, "无法读取 Excel 文件：文件可能已损坏或不是 .xlsx 格式")
	}
	s = &spreadsheet{format: formatXLSX, xlsx: f, xlsxParts: map[string]*zip.File{}, xlsxBools: map[string]bool{}}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		s.date1904 = *props.Date1904
	}
	infos := xlsxSheetInfos(zr)
	var hidden []string
	for _, name := range f.GetSheetList() {
		info, ok := infos[name]
		if !ok { // our reading of the workbook failed: trust excelize
			info.worksheet = true
			visible, _ := f.GetSheetVisible(name)
			info.hidden = !visible
		}
		if !info.worksheet {
			continue
		}
		s.all = append(s.all, name)
		if info.part != nil {
			s.xlsxParts[name] = info.part
		}
		// A sheet whose part is not known may hold Booleans as well.
		s.xlsxBools[name] = info.part == nil || check.bools[info.part.Name]
		if info.hidden {
			hidden = append(hidden, name)
		} else {
			s.sheets = append(s.sheets, name)
		}
	}
	if len(s.sheets) == 0 {
		s.sheets = hidden
	}
	if len(s.sheets) == 0 {
		f.Close()
		return nil, models.Errorf(models.EInvalid, "无法读取 Excel 文件：文件中没有工作表")
	}
	return s, nil
}

// xlsxCheckZip refuses an archive that would unpack past our limits, before excelize sees it.
// excelize trusts the sizes in the zip directory, ignores read errors of the parts it loads
// into memory (a damaged part or a size that lies leaves it a silently truncated sheet), and
// its XML decoder holds a whole token in memory. So every part is inflated once here: about
// 3 % of the time excelize then takes to read a big sheet. It returns the names of the XML
// parts that hold Boolean cells (t="b"), which that same pass finds.
func xlsxCheckZip(zr *zip.Reader) (bools map[string]bool, err error) {
	bomb := models.Errorf(models.EInvalid, "无法读取 Excel 文件：解压后超过 %d MB，文件异常或过大，请拆分后再上传", maxUnzippedBytes>>20)
	var total uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		total += size
		if size > maxUnzippedBytes || total > maxUnzippedBytes {
			return nil, bomb
		}
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		streamed := strings.HasPrefix(name, "xl/worksheets/sheet") || name == "xl/sharedstrings.xml"
		// Parts other than worksheets and shared strings are loaded into memory whole. An
		// embedded picture is about as big unpacked as packed; XML that big is not.
		if !streamed && size > sheetXMLMemLimit && size/max(f.CompressedSize64, 1) > 2 {
			return nil, bomb
		}
		if size > sheetXMLMemLimit && size/max(f.CompressedSize64, 1) > maxInflation {
			return nil, models.Errorf(models.EInvalid, "无法读取 Excel 文件：压缩比异常（%s 解压后是压缩前的 %d 倍），疑似压缩炸弹；请用 Excel 或 WPS 重新保存后上传", f.Name, size/max(f.CompressedSize64, 1))
		}
		isXML := strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") || strings.HasSuffix(name, ".vml")
		hasBool, err := xlsxCheckPart(f, isXML)
		if err != nil {
			return nil, err
		}
		if hasBool {
			if bools == nil {
				bools = map[string]bool{}
			}
			bools[f.Name] = true
		}
	}
	return bools, nil
}

// xlsxCheckPart inflates a part: it must match its CRC and stated size, and an XML part must
// have no stretch longer than sheetMaxToken without a '<' (no token, text or tag, is longer).
// hasBool reports an XML part that has the attribute of a Boolean cell, t="b".
func xlsxCheckPart(f *zip.File, isXML bool) (hasBool bool, err error) {
	rc, err := f.Open()
	if err != nil {
		return false, sheetError(err, "无法读取 Excel 文件：文件已损坏（%s）", f.Name)
	}
	defer rc.Close()
	// An attribute may be split between two reads: the last bytes of a read are kept in front
	// of the next, in buf[:keep].
	const keep = len(`t="b"`) - 1
	buf := make([]byte, keep+64<<10)
	held := 0
	run := 0
	for {
		n, err := rc.Read(buf[keep:])
		if isXML && !hasBool {
			seen := buf[keep-held : keep+n]
			hasBool = xlsxBoolAttr(seen)
			held = min(len(seen), keep)
			copy(buf[keep-held:keep], seen[len(seen)-held:])
		}
		for b := buf[keep : keep+n]; isXML; {
			i := bytes.IndexByte(b, '<')
			if i < 0 {
				run += len(b)
				break
			}
			if run+i > sheetMaxToken {
				run += i
				break
			}
			run, b = 0, b[i+1:]
		}
		if run > sheetMaxToken {
			return false, models.Errorf(models.EInvalid, "无法读取 Excel 文件：文件内容异常（%s 中有超长数据）", f.Name)
		}
		if errors.Is(err, io.EOF) {
			return hasBool, nil
		}
		if err != nil {
			return false, sheetError(err, "无法读取 Excel 文件：文件已损坏（%s）", f.Name)
		}
	}
}

// xlsxBoolAttr reports the type attribute of a Boolean cell in b.
func xlsxBoolAttr(b []byte) bool {
	return bytes.Contains(b, []byte(`t="b"`)) || bytes.Contains(b, []byte(`t='b'`))
}

// xlsxReadPart reads a small part whole.
func xlsxReadPart(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, limit))
}

// xlsxSheetInfo is what excelize does not tell without loading a sheet: whether a sheet is a
// worksheet (not a chart sheet), whether it is hidden, and which part holds it.
type xlsxSheetInfo struct {
	worksheet bool
	hidden    bool
	part      *zip.File
}

// xlsxSheetInfos reads the workbook and its relationships; nil when they cannot be read.
func xlsxSheetInfos(zr *zip.Reader) map[string]xlsxSheetInfo {
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(f.Name, "\\", "/"), "/"))] = f
	}
	type rel struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	}
	readRels := func(name string) []rel {
		var doc struct {
			Rels []rel `xml:"Relationship"`
		}
		if f := parts[strings.ToLower(name)]; f != nil {
			if b, err := xlsxReadPart(f, sheetXMLMemLimit); err == nil {
				_ = xml.Unmarshal(b, &doc)
			}
		}
		return doc.Rels
	}
	resolve := func(dir, target string) string {
		if strings.HasPrefix(target, "/") {
			return strings.TrimPrefix(target, "/")
		}
		return path.Join(dir, target)
	}
	book := "xl/workbook.xml"
	for _, r := range readRels("_rels/.rels") {
		if strings.HasSuffix(r.Type, "/officeDocument") {
			book = resolve("", r.Target)
		}
	}
	dir := path.Dir(book)
	targets := map[string]rel{}
	for _, r := range readRels(path.Join(dir, "_rels", path.Base(book)+".rels")) {
		targets[r.ID] = r
	}
	f := parts[strings.ToLower(book)]
	if f == nil || len(targets) == 0 {
		return nil
	}
	b, err := xlsxReadPart(f, sheetXMLMemLimit)
	if err != nil {
		return nil
	}
	var wb struct {
		Sheets []struct {
			Name  string     `xml:"name,attr"`
			State string     `xml:"state,attr"`
			Attrs []xml.Attr `xml:",any,attr"`
		} `xml:"sheets>sheet"`
	}
	if xml.Unmarshal(b, &wb) != nil {
		return nil
	}
	infos := map[string]xlsxSheetInfo{}
	for _, sh := range wb.Sheets {
		var id string
		for _, a := range sh.Attrs {
			if a.Name.Local == "id" && strings.Contains(a.Name.Space, "relationships") {
				id = a.Value
			}
		}
		r, ok := targets[id]
		if !ok {
			return nil
		}
		infos[sh.Name] = xlsxSheetInfo{
			worksheet: strings.HasSuffix(r.Type, "/worksheet"),
			hidden:    sh.State == "hidden" || sh.State == "veryHidden",
			part:      parts[strings.ToLower(resolve(dir, r.Target))],
		}
	}
	return infos
}

var (
	xlsxDimensionRef = regexp.MustCompile(`<(?:\w+:)?dimension\s[^>]*?ref="[A-Za-z$]*\d*:[A-Za-z$]*(\d+)"`)
	xlsxRowNumber    = regexp.MustCompile(`<(?:\w+:)?row\s[^>]*?\br="(\d+)"`)
)

// xlsxEstimateRows reads the head of a worksheet part: its dimension (A1:N17 → 17) when it
// states a range, else the last row number in the head, extrapolated by the part's size.
func xlsxEstimateRows(part *zip.File) int {
	rc, err := part.Open()
	if err != nil {
		return 0
	}
	defer rc.Close()
	head := make([]byte, sheetEstimateBytes)
	n, _ := io.ReadFull(rc, head)
	head = head[:n]
	if m := xlsxDimensionRef.FindSubmatch(head); m != nil {
		if rows, err := strconv.Atoi(string(m[1])); err == nil && rows > 1 {
			return rows
		}
	}
	last := 0
	for _, m := range xlsxRowNumber.FindAllSubmatch(head, -1) {
		if r, err := strconv.Atoi(string(m[1])); err == nil {
			last = max(last, r)
		}
	}
	if n < sheetEstimateBytes || n == 0 {
		return last
	}
	return int(float64(last) * float64(part.UncompressedSize64) / float64(n))
}

// xlsxRows adapts excelize's row iterator: it yields every row number, empty rows as no cells.
//
// The values are raw (see xlsxOpen), and the raw value of a Boolean cell is its stored 1 or 0,
// which would pass for a quantity of 1. excelize tells no cell's type, but formats a Boolean as
// TRUE or FALSE, as Excel and WPS show it and as the .xls reader and Excel's CSV give it. So a
// sheet that holds Booleans is read a second time in step, formatted (shown), and a raw 1 or 0
// whose shown value is TRUE or FALSE is taken as shown. Sheets without Booleans, nearly all,
// are read once.
type xlsxRows struct {
	rows  *excelize.Rows
	shown *excelize.Rows // nil when the sheet holds no Booleans
	sheet string
	n     int
}

func (x *xlsxRows) next() (row int, cells []string, err error) {
	defer func() {
		if p := recover(); p != nil {
			row, cells, err = 0, nil, sheetError(fmt.Errorf("excelize panic: %v", p), "读取工作表「%s」时出错：文件可能已损坏", x.sheet)
		}
	}()
	for x.rows.Next() {
		x.n++
		cells, err := x.rows.Columns()
		if err != nil {
			return 0, nil, sheetError(err, "读取工作表「%s」第 %d 行时出错：文件可能已损坏", x.sheet, x.n)
		}
		if x.shown != nil && x.shown.Next() {
			shown, err := x.shown.Columns(excelize.Options{RawCellValue: false})
			if err != nil {
				return 0, nil, sheetError(err, "读取工作表「%s」第 %d 行时出错：文件可能已损坏", x.sheet, x.n)
			}
			for i, c := range cells {
				if (c == "1" || c == "0") && i < len(shown) && (shown[i] == "TRUE" || shown[i] == "FALSE") {
					cells[i] = shown[i]
				}
			}
		}
		if len(cells) > 0 {
			return x.n, cells, nil
		}
	}
	if err := x.rows.Error(); err != nil {
		return 0, nil, sheetError(err, "读取工作表「%s」时出错：行数超过 Excel 的上限", x.sheet)
	}
	return 0, nil, nil
}

func (x *xlsxRows) close() error {
	if x.shown != nil {
		x.shown.Close()
	}
	return x.rows.Close()
}

// ---- .xls ----

// xlsOpenSpreadsheet opens a legacy .xls workbook (see xls.go).
func xlsOpenSpreadsheet(data []byte) (*spreadsheet, error) {
	book, err := xlsOpen(data)
	switch {
	case errors.Is(err, errXLSEncrypted):
		return nil, sheetError(err, "无法读取 Excel 文件：文件设置了打开密码，请取消密码后另存再上传")
	case errors.Is(err, errXLSVersion):
		return nil, sheetError(err, "无法读取 Excel 文件：这是 Excel 95 或更早版本的文件，请另存为 .xlsx 后上传")
	case errors.Is(err, errXLSNotBook):
		return nil, sheetError(err, "无法读取 Excel 文件：文件中没有工作簿（可能是 Word 文档等其他 Office 文件）")
	case err != nil:
		return nil, sheetError(err, "无法读取 Excel 文件：文件已损坏或不完整")
	}
	s := &spreadsheet{format: formatXLS, xls: book, date1904: book.date1904}
	// .xls has no chart sheets once LibreOffice has saved one: it turns them into worksheets
	// without cells, so those are offered only when nothing else is.
	var empty, hidden []string
	for _, sh := range book.sheets {
		s.all = append(s.all, sh.name)
		switch {
		case sh.hidden:
			hidden = append(hidden, sh.name)
		case sh.rows == 0:
			empty = append(empty, sh.name)
		default:
			s.sheets = append(s.sheets, sh.name)
		}
	}
	if len(s.sheets) == 0 {
		s.sheets = empty
	}
	if len(s.sheets) == 0 {
		s.sheets = hidden
	}
	if len(s.sheets) == 0 {
		return nil, models.Errorf(models.EInvalid, "无法读取 Excel 文件：文件中没有工作表")
	}
	return s, nil
}

// xlsSheetRows turns the BIFF reader's errors into messages for the user.
type xlsSheetRows struct {
	rows  *xlsRows
	sheet string
}

func (x *xlsSheetRows) next() (row int, cells []string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: panic: %v", errXLSCorrupt, p)
		}
		if err != nil {
			err = sheetError(err, "读取工作表「%s」时出错：文件已损坏或不完整", x.sheet)
		}
	}()
	return x.rows.next()
}

func (x *xlsSheetRows) close() error { return x.rows.close() }

// ---- CSV ----

// csvOpen decodes a delimited text file whole (it is no larger than the upload).
func csvOpen(data []byte) (*spreadsheet, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	if len(text) > 0 && &text[len(text)-1] == &data[len(data)-1] {
		// decodeText hands UTF-8 back as is: copy it, the caller may reuse data (Fiber does).
		text = bytes.Clone(text)
	}
	if csvLooksBinary(text) {
		return nil, models.Errorf(models.EInvalid, "无法读取文件：既不是 Excel 文件（.xlsx/.xls），也不是 CSV 文本文件")
	}
	return &spreadsheet{format: formatCSV, sheets: []string{csvSheetName}, all: []string{csvSheetName},
		csvText: text, csvComma: sniffDelimiter(text)}, nil
}

// csvLooksBinary tells garbage (a PDF, an image, a damaged upload) from text: GB18030 decodes
// nearly any bytes, so look at what came out of it in the first 64 KB.
func csvLooksBinary(text []byte) bool {
	head := text[:min(len(text), 64<<10)]
	odd, n := 0, 0
	for len(head) > 0 {
		r, size := utf8.DecodeRune(head)
		head = head[size:]
		if size == 1 && r == utf8.RuneError && len(head) < 3 { // a character cut at 64 KB
			break
		}
		n++
		if r == 0 || r == utf8.RuneError || (unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' && r != '\f') {
			odd++
		}
	}
	return n > 0 && odd*100 > n // more than 1 % control characters
}

// csvRows yields CSV records; blank lines are skipped but still counted in row numbers.
type csvRows struct{ r *csv.Reader }

func (c *csvRows) next() (int, []string, error) {
	rec, err := c.r.Read()
	if errors.Is(err, io.EOF) {
		return 0, nil, nil
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return 0, nil, sheetError(err, "CSV 文件第 %d 行格式错误", pe.StartLine)
		}
		return 0, nil, sheetError(err, "无法读取 CSV 文件")
	}
	line, _ := c.r.FieldPos(0)
	return line, rec, nil
}

func (c *csvRows) close() error { return nil }
