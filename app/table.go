package app

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"assetpool/models"
)

// Limits on uploaded spreadsheets: excelize would otherwise unzip up to ~16 GB (a zip bomb).
// A 1,000,000-row, 15-column inventory unpacks to about 700 MB; its worksheet streams from a
// temporary file, so the unpacked total bounds disk, not memory.
const (
	maxUploadBytes   = 64 << 20
	maxUnzippedBytes = 1 << 30
	// maxInflation is the most a big part may expand: real worksheets compress 5–30×, a zip
	// bomb hundreds or thousands of times.
	maxInflation = 200
)

// fileFormat is a spreadsheet format recognised from the content, never from the file name.
type fileFormat string

const (
	formatXLSX fileFormat = "xlsx"
	formatXLS  fileFormat = "xls"
	formatCSV  fileFormat = "csv"
)

// sniffFormat tells the format from the first bytes: a zip archive is .xlsx, an OLE2 compound
// file is legacy .xls, anything else is treated as delimited text.
func sniffFormat(data []byte) fileFormat {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return formatXLSX
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return formatXLS
	}
	return formatCSV
}

// readTable reads the first sheet of an .xlsx, .xls or CSV file into rows of trimmed cells;
// rows[i] is row i+1 of the sheet (blank rows are empty), so indexes give row numbers.
// date1904 tells the workbook's date system, for the date serial numbers among the cells.
func readTable(r io.Reader) (out [][]string, date1904 bool, err error) {
	data, err := io.ReadAll(io.LimitReader(r, maxUploadBytes+1))
	if err != nil {
		return nil, false, fmt.Errorf("read upload: %w", err)
	}
	if len(data) > maxUploadBytes {
		return nil, false, models.Errorf(models.EInvalid, "文件超过 %d MB，请拆分后再上传", maxUploadBytes>>20)
	}
	s, err := openSpreadsheet(data)
	if err != nil {
		return nil, false, err
	}
	defer s.Close()
	rows, err := s.Rows(s.Sheets()[0])
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	for rows.Next() {
		if n := rows.Row(); n > len(out)+1 {
			out = append(out, make([][]string, n-1-len(out))...)
		}
		cells := rows.Cells()
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		out = append(out, cells)
	}
	return out, s.Date1904(), rows.Err()
}

// decodeText returns data as UTF-8: without a byte-order mark when it has one, decoded from
// UTF-16 when it starts with its byte-order mark (Excel's "Unicode text", tab-separated), or
// decoded from GB18030 (a superset of GBK, what Chinese Excel saves CSV in) when it is not
// valid UTF-8.
func decodeText(data []byte) ([]byte, error) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return nil, models.Errorf(models.EInvalid, "无法识别文件的文字编码（应为 UTF-8 或 GBK）")
		}
		return out, nil
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if utf8.Valid(data) {
		return data, nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return nil, models.Errorf(models.EInvalid, "无法识别文件的文字编码（应为 UTF-8 或 GBK）")
	}
	return out, nil
}

// sniffDelimiter picks comma, semicolon or tab: whichever appears most often on one line among
// the first 20 non-empty lines. Not just the first line: clerks' files open with a title row
// that has no delimiter at all.
func sniffDelimiter(text []byte) rune {
	best, most := ',', 0
	counts := map[rune]int{}
	for lines, rest := 0, text; lines < 20 && len(rest) > 0; {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		lines++
		for _, d := range []rune{',', ';', '\t'} {
			counts[d] = max(counts[d], bytes.Count(line, []byte(string(d))))
		}
	}
	for _, d := range []rune{',', ';', '\t'} {
		if counts[d] > most {
			best, most = d, counts[d]
		}
	}
	return best
}
