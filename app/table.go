package app

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"assetpool/models"
)

// Limits on uploaded spreadsheets: excelize would otherwise unzip up to ~16 GB (a zip bomb).
const (
	maxUploadBytes   = 64 << 20
	maxUnzippedBytes = 512 << 20
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

// readTable reads the first sheet of an .xlsx file or a CSV file into rows of trimmed cells.
func readTable(r io.Reader) ([][]string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxUploadBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if len(data) > maxUploadBytes {
		return nil, models.Errorf(models.EInvalid, "文件超过 %d MB，请拆分后再上传", maxUploadBytes>>20)
	}
	switch sniffFormat(data) {
	case formatXLSX:
		return readXLSX(data)
	case formatXLS:
		return nil, models.Errorf(models.EInvalid, "暂不支持 Excel 97-2003 (.xls) 文件，请另存为 .xlsx 或 CSV 后上传")
	}
	return readCSV(data)
}

func readXLSX(data []byte) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzippedBytes, UnzipXMLSizeLimit: maxUnzippedBytes})
	if err != nil {
		return nil, models.Errorf(models.EInvalid, "无法读取 Excel 文件：文件可能已损坏或不是 .xlsx 格式")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, models.Errorf(models.EInvalid, "Excel 文件中没有工作表")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, models.Errorf(models.EInvalid, "无法读取工作表「%s」", sheets[0])
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			return nil, models.Errorf(models.EInvalid, "读取工作表「%s」第 %d 行时出错", sheets[0], len(out)+1)
		}
		for i := range cols {
			cols[i] = strings.TrimSpace(cols[i])
		}
		out = append(out, cols)
	}
	return out, nil
}

// decodeText returns data as UTF-8: without a byte-order mark when it has one, or decoded from
// GB18030 (a superset of GBK, what Chinese Excel saves CSV in) when it is not valid UTF-8.
func decodeText(data []byte) ([]byte, error) {
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

// sniffDelimiter picks comma, semicolon or tab: whichever the first non-empty line has most of.
func sniffDelimiter(text []byte) rune {
	line := text
	for len(line) > 0 {
		var rest []byte
		line, rest, _ = bytes.Cut(line, []byte("\n"))
		if len(bytes.TrimSpace(line)) > 0 {
			break
		}
		line = rest
	}
	best, n := ',', bytes.Count(line, []byte(","))
	for _, d := range []rune{';', '\t'} {
		if c := bytes.Count(line, []byte(string(d))); c > n {
			best, n = d, c
		}
	}
	return best
}

func readCSV(data []byte) ([][]string, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = sniffDelimiter(text)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var out [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, models.Errorf(models.EInvalid, "CSV 文件第 %d 行格式错误", pe.Line)
			}
			return nil, fmt.Errorf("read csv: %w", err)
		}
		// encoding/csv skips blank lines; pad them back so that row numbers in messages are
		// the line numbers the user sees in their editor.
		if line, _ := r.FieldPos(0); line > len(out)+1 {
			out = append(out, make([][]string, line-1-len(out))...)
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		out = append(out, rec)
	}
}
