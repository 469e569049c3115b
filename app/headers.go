package app

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// hdrScanRows is how far down a sheet the header row is looked for: registers put a few title
// and note rows above it, never pages of them.
const hdrScanRows = 30

// How well a header cell names a field. The highest wins when two columns claim one field.
const (
	hdrRankWeak       = 5    // "编号" alone: an asset number unless a better column exists
	hdrRankContains   = 10   // the header contains a known name: "固定资产卡片编号"
	hdrRankVariant    = 20   // a variant seen in real registers: "卡片编号"
	hdrRankStandard   = 30   // the header our template writes: "资产编号"
	hdrRankRemembered = 1000 // the unit's own earlier choice
	// Category columns: a code identifies a category exactly, a name may be shared.
	hdrBonusCode    = 100
	hdrBonusNeutral = 50
)

// hdrRowNumberWords are the headers of a row-number column (序号), which is not imported.
var hdrRowNumberWords = []string{"序号", "行号", "序", "NO", "NO.", "#"}

// normalizeHeader reduces a header cell to its bare words and the money unit it states: removes
// all whitespace (incl. line breaks and U+3000), maps full-width forms to ASCII, strips bracketed
// annotations ("(元)", "（万元）", "(台/套)", "[必填]") and unit suffixes ("单位:元", "/万元"), upper-cases
// Latin letters. scale is 10000 when the header states 万元, 1 when it states 元, 0 otherwise.
func normalizeHeader(s string) (bare string, scale int64) {
	t := strings.Map(func(r rune) rune {
		r = normWidthRune(r)
		if normIsSpace(r) || unicode.IsControl(r) || r == '*' {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
	var b strings.Builder
	for i := 0; i < len(t); {
		c := t[i]
		if c != '(' && c != '[' {
			b.WriteByte(c)
			i++
			continue
		}
		closing := byte(')')
		if c == '[' {
			closing = ']'
		}
		inner := t[i+1:]
		if j := strings.IndexByte(inner, closing); j >= 0 {
			inner = inner[:j]
			i += j + 2
		} else {
			i = len(t)
		}
		if sc := hdrUnit(inner); sc != 0 {
			scale = sc
		}
	}
	bare = b.String()
	// Strip unit suffixes until none is left, so that a bare header normalises to itself.
	for {
		var sc int64
		bare, sc = hdrCutUnitSuffix(strings.TrimRight(bare, ":"))
		if sc == 0 {
			return bare, scale
		}
		scale = sc
	}
}

// hdrCutUnitSuffix removes a unit written after the words: "原值单位:元", "原值/万元", "价值万元".
func hdrCutUnitSuffix(bare string) (string, int64) {
	for _, suf := range []string{"金额单位:", "单位:", "单位", "/", ":", "-", "_", ""} {
		for _, u := range []struct {
			word  string
			scale int64
		}{{"万元", 10000}, {"元", 1}} {
			if suf == "" && u.word == "元" {
				continue // a bare trailing 元 is part of words like 单元
			}
			if w := suf + u.word; strings.HasSuffix(bare, w) && len(bare) > len(w) {
				return strings.TrimSuffix(bare, w), u.scale
			}
		}
	}
	return bare, 0
}

// hdrUnit reads the money unit of a bracketed annotation: "元", "万元", "单位:万元", "人民币元",
// "元/台"; 0 when it names none.
func hdrUnit(inner string) int64 {
	for _, p := range []string{"金额单位", "单位", ":", "人民币"} {
		inner = strings.TrimPrefix(inner, p)
	}
	switch {
	case strings.HasPrefix(inner, "万元"):
		return 10000
	case strings.HasPrefix(inner, "元"):
		return 1
	}
	return 0
}

// column is one column of the sheet as the import maps it.
type column struct {
	Index     int         // 0-based column index in the sheet
	Header    string      // the header exactly as the file shows it (cleanText'ed only), for messages
	Field     importField // "" when it maps to nothing (shown in the preview, never silently dropped)
	Scale     int64       // money unit of this column: 1 (元) or 10000 (万元)
	RowNumber bool        // a 序号 column: skipped
}

// tableLayout is where the inventory table sits in a sheet.
type tableLayout struct {
	HeaderRow int      // 1-based row number of the header row
	Columns   []column // every non-empty header cell, in sheet order
	Scale     int64    // money unit stated in a title row ("金额单位：万元" → 10000), default 1
	Score     int      // how well it fits, to choose among sheets; 0 = not an inventory
}

// hdrName is one name a field is known by.
type hdrName struct {
	bare  string
	field importField
	rank  int
}

// hdrMatcher maps header cells to the fields of one kind of sheet.
type hdrMatcher struct {
	fields     []fieldDef
	exact      map[string]hdrName
	contains   []hdrName // names of three characters or more, longest first
	remembered map[string]importField
}

// newHdrMatcher indexes the field names of importFields and a unit's remembered choices.
func newHdrMatcher(remembered map[string]importField) *hdrMatcher {
	return newFieldMatcher(importFields, remembered)
}

// newFieldMatcher indexes the names of the fields of one kind of sheet (an inventory, a list of
// purchase requests) and remembered choices.
func newFieldMatcher(fields []fieldDef, remembered map[string]importField) *hdrMatcher {
	m := &hdrMatcher{fields: fields, exact: map[string]hdrName{}, remembered: remembered}
	add := func(name string, f importField, rank int) {
		bare, _ := normalizeHeader(name)
		if bare == "" {
			return
		}
		if old, ok := m.exact[bare]; !ok || old.rank < rank {
			m.exact[bare] = hdrName{bare, f, rank}
		}
		if utf8.RuneCountInString(bare) >= 3 {
			m.contains = append(m.contains, hdrName{bare, f, hdrRankContains})
		}
	}
	for _, f := range fields {
		add(f.Header, f.Key, hdrRankStandard)
		for _, v := range f.Variants {
			add(v, f.Key, hdrRankVariant)
		}
	}
	slices.SortStableFunc(m.contains, func(a, b hdrName) int { return len(b.bare) - len(a.bare) })
	return m
}

// match returns the field a bare header names (rank 0: none) and whether it is a row-number
// column.
func (m *hdrMatcher) match(bare string) (f importField, rank int, rowNumber bool) {
	rowNumber = slices.Contains(hdrRowNumberWords, bare)
	if rf, ok := m.remembered[bare]; ok {
		if _, known := fieldIn(m.fields, rf); known {
			return rf, hdrRankRemembered, false
		}
		if rf == "" {
			return "", 0, rowNumber
		}
	}
	if rowNumber || bare == "" {
		return "", 0, rowNumber
	}
	if n, ok := m.exact[bare]; ok {
		return n.field, n.rank, false
	}
	if _, inventory := fieldIn(m.fields, fieldAssetNo); inventory && bare == "编号" {
		return fieldAssetNo, hdrRankWeak, false
	}
	// The longest known name inside the header decides, unless another field has a name as
	// long: "资产名称/规格型号" is left to the clerk.
	var found []hdrName
	for _, n := range m.contains {
		if len(found) > 0 && len(n.bare) < len(found[0].bare) {
			break
		}
		if strings.Contains(bare, n.bare) {
			found = append(found, n)
		}
	}
	for _, n := range found {
		if n.field != found[0].field {
			return "", 0, false
		}
	}
	if len(found) > 0 {
		return found[0].field, hdrRankContains, false
	}
	return "", 0, false
}

// hdrRank orders two columns claiming the same field.
func hdrRank(f importField, bare string, rank int) int {
	if f != fieldCategory || rank >= hdrRankRemembered {
		return rank
	}
	switch {
	case strings.Contains(bare, "代码") || strings.Contains(bare, "编码") || strings.Contains(bare, "编号") || strings.HasSuffix(bare, "码"):
		return rank + hdrBonusCode
	case strings.Contains(bare, "名称"):
		return rank
	}
	return rank + hdrBonusNeutral
}

// headerRow maps one candidate header row: its columns, with each field kept on its best column,
// and the row's score. groups, when not nil, are the titles of the merged groups above the
// cells of a two-row header (see hdrTwoRows): a sub-column without a money unit of its own
// takes its group's ("价值（万元）" over 原值).
func (m *hdrMatcher) headerRow(cells, groups []string) ([]column, int) {
	var cols []column
	var ranks []int
	best := map[importField]int{} // field → position in cols of its best column
	for i, cell := range cells {
		h := cleanText(cell)
		if h == "" {
			continue
		}
		bare, scale := normalizeHeader(h)
		if scale == 0 && i < len(groups) && groups[i] != "" {
			_, scale = normalizeHeader(groups[i])
		}
		f, rank, rowNumber := m.match(bare)
		cols = append(cols, column{Index: i, Header: h, Field: f, Scale: scale, RowNumber: rowNumber})
		r := hdrRank(f, bare, rank)
		ranks = append(ranks, r)
		if f == "" {
			continue
		}
		if j, ok := best[f]; !ok || ranks[j] < r {
			if ok {
				cols[j].Field = ""
			}
			best[f] = len(cols) - 1
		} else {
			cols[len(cols)-1].Field = ""
		}
	}
	return cols, hdrScore(m.fields, cols)
}

// hdrScore rates a header row: each recognised field counts, required ones three times; a row
// without an asset number or name column, or with fewer than two fields, is no header.
func hdrScore(fields []fieldDef, cols []column) int {
	score, named, key := 0, 0, false
	for _, c := range cols {
		if c.Field == "" {
			continue
		}
		def, _ := fieldIn(fields, c.Field)
		named++
		score++
		if def.Required {
			score += 2
		}
		key = key || c.Field == fieldAssetNo || c.Field == fieldName
	}
	if named < 2 || !key {
		return 0
	}
	return score
}

// fieldIn returns the definition of key k among fields, or false when they have none.
func fieldIn(fields []fieldDef, k importField) (fieldDef, bool) {
	for _, f := range fields {
		if f.Key == k {
			return f, true
		}
	}
	return fieldDef{}, false
}

// findTable looks for the header row among the first 30 rows: the row whose cells name the
// most fields (by standard header, variant, a header containing one, or the unit's remembered
// choice). rows[i] is sheet row nums[i] (1-based; nil nums means i+1). remembered maps
// normalizeHeader(header) → field; a remembered "" means "deliberately not imported".
func findTable(rows [][]string, nums []int, remembered map[string]importField) (tableLayout, bool) {
	return newHdrMatcher(remembered).findTable(rows, nums)
}

// findTable looks for the header row of m's kind of sheet among the first 30 rows, as the
// function findTable does for inventories. A header may take two rows, merged group titles
// above their sub-columns (see hdrTwoRows); HeaderRow is then the lower one, and the data
// starts below it.
func (m *hdrMatcher) findTable(rows [][]string, nums []int) (tableLayout, bool) {
	n := min(len(rows), hdrScanRows)
	scores := make([]int, n)
	bestRow, bestScore, top := -1, 0, -1
	var bestCols []column
	for i := range n {
		cols, score := m.headerRow(rows[i], nil)
		scores[i] = score
		if score > bestScore {
			bestRow, bestScore, bestCols, top = i, score, cols, i
		}
	}
	for i := 0; i+1 < n; i++ {
		if i+1 < len(nums) && nums[i+1] != nums[i]+1 || !hdrWordsOnly(rows[i+1]) || hdrHasNote(rows[i]) {
			continue
		}
		// Only when the two rows together name more than either alone: a title row above a
		// one-row header adds nothing, nor does a header above its first data row.
		cells, groups := hdrTwoRows(rows[i], rows[i+1])
		cols, score := m.headerRow(cells, groups)
		if score > max(scores[i], scores[i+1]) && score > bestScore {
			bestRow, bestScore, bestCols, top = i+1, score, cols, i
		}
	}
	if bestRow < 0 {
		return tableLayout{}, false
	}
	t := tableLayout{HeaderRow: bestRow + 1, Columns: bestCols, Scale: hdrTitleScale(rows[:top]), Score: bestScore}
	if bestRow < len(nums) {
		t.HeaderRow = nums[bestRow]
	}
	for i := range t.Columns {
		if t.Columns[i].Scale == 0 {
			t.Columns[i].Scale = t.Scale
		}
	}
	return t, true
}

// hdrTwoRows reads a header written on two rows: group titles merged across the top of their
// sub-columns (使用信息 over 使用部门 and 使用人, 价值（元） over 原值, 累计折旧 and 净值), and
// the other headers merged down both rows or written in the top row only. Spreadsheets keep
// a merged title in its first cell and leave the others empty, so a column's header is the
// lower row's cell where it has one, else the top row's; groups[i] is the title of the group
// over column i ("" outside any).
func hdrTwoRows(top, bottom []string) (cells, groups []string) {
	n := max(len(top), len(bottom))
	cells, groups = make([]string, n), make([]string, n)
	at := func(row []string, i int) string {
		if i < len(row) {
			return cleanText(row[i])
		}
		return ""
	}
	group := "" // the title over the run of sub-columns so far
	for i := range n {
		t, b := at(top, i), at(bottom, i)
		switch {
		case b == "": // one header over both rows
			cells[i], group = t, ""
		case t != "": // a group title starts over its first sub-column
			cells[i], groups[i], group = b, t, t
		default: // a further sub-column under the same title
			cells[i], groups[i] = b, group
		}
	}
	return cells, groups
}

// hdrWordsOnly reports a row that can be the lower row of a header: at least one cell, and no
// digits, which data rows nearly always have (amounts, dates, asset numbers).
func hdrWordsOnly(cells []string) bool {
	filled := false
	for _, c := range cells {
		if strings.ContainsAny(c, "0123456789") {
			return false
		}
		filled = filled || strings.TrimSpace(c) != ""
	}
	return filled
}

// hdrHasNote reports a row holding a note of the title lines, such as 填报单位：经济发展局 or
// 单位：元: a colon outside brackets, which header words do not have ("原值（单位：元）" does
// only inside its brackets). Such a row is no top row of a header.
func hdrHasNote(cells []string) bool {
	for _, c := range cells {
		depth := 0
		for _, r := range normWord(c) {
			switch r {
			case '(', '[':
				depth++
			case ')', ']':
				depth = max(0, depth-1)
			case ':':
				if depth == 0 {
					return true
				}
			}
		}
	}
	return false
}

// hdrTitleScale reads the money unit a title row states ("金额单位：万元", "单位：元",
// "…明细表（万元）"); the row nearest the header wins. Default 1.
func hdrTitleScale(rows [][]string) int64 {
	for i := len(rows) - 1; i >= 0; i-- {
		for _, cell := range rows[i] {
			t := normWord(cell)
			if !strings.Contains(t, "元") {
				continue
			}
			for _, p := range []string{"单位:", "单位", "单位:人民币", "单位人民币", "("} {
				if strings.Contains(t, p+"万元") {
					return 10000
				}
			}
			for _, p := range []string{"单位:", "单位", "单位:人民币", "单位人民币"} {
				if strings.Contains(t, p+"元") {
					return 1
				}
			}
		}
	}
	return 1
}

// withMapping returns the layout with the given columns remapped by the clerk (index → field,
// "" = not imported), keeping each field on at most one column: the manual choice wins and a
// column that loses its field becomes "". Keys must be checked by the caller: an unknown field
// is treated as "", an index without a header is ignored. When two manual choices name the
// same field, the leftmost column keeps it.
func (t tableLayout) withMapping(m map[int]importField) tableLayout {
	cols := slices.Clone(t.Columns)
	manual := map[importField]bool{}
	for i := range cols {
		f, ok := m[cols[i].Index]
		if !ok {
			continue
		}
		if _, known := fieldByKey(f); !known || manual[f] {
			f = ""
		}
		cols[i].Field = f
		if f != "" {
			manual[f] = true
			cols[i].RowNumber = false
		}
	}
	for i := range cols {
		if _, chosen := m[cols[i].Index]; !chosen && manual[cols[i].Field] {
			cols[i].Field = ""
		}
	}
	t.Columns = cols
	t.Score = hdrScore(importFields, cols)
	return t
}

// hdrTotalWords mark a total row; hdrTotalPrefixes may come before them ("本页合计").
var (
	hdrTotalWords    = []string{"总合计", "合计", "小计", "总计", "累计", "共计"}
	hdrTotalPrefixes = []string{"", "本页", "本表", "以上", "全部", "本单位", "总"}
)

// hdrFooterWords start the signature and note lines below a table.
var hdrFooterWords = []string{
	"填表人", "制表人", "审核人", "复核人", "单位负责人", "财务负责人", "部门负责人", "负责人", "经办人",
	"审批人", "分管领导", "主管领导", "填表日期", "制表日期", "填报日期", "报送日期", "审核日期",
	"盖章", "单位盖章", "单位(盖章)", "(盖章)", "单位公章", "签字", "签章", "以下空白", "以下无",
	"注:", "说明:", "备注:",
}

// skipRow reports whether a data row is not an asset: empty (no cell of a mapped column holds
// anything), a total row (合计/小计/总计/累计 in one of the first cells or in the row-number
// column), a signature or note line (填表人：张三, 审核人, 盖章 …), a repeated header row (printed
// page headers), a sub-header row or a column-number row (栏次 1 2 3 …). A row that carries an
// asset number in the asset number column is never taken for a total or footer line.
func (t tableLayout) skipRow(cells []string) bool {
	if t.hdrNoData(cells) {
		return true
	}
	noIdx, noHeader, first := -1, "", 0
	if len(t.Columns) > 0 {
		first = t.Columns[0].Index
	}
	for _, c := range t.Columns {
		if c.Field == fieldAssetNo {
			noIdx, noHeader = c.Index, c.Header
		}
	}
	assetNo := ""
	if noIdx >= 0 && noIdx < len(cells) {
		assetNo = normWord(cells[noIdx])
	}
	if noIdx >= 0 && assetNo != "" {
		// A row with an asset number is an asset whatever its other cells say (a remark may
		// well start with 负责人), unless the number cell itself holds the word or a header.
		if hdrIsTotal(assetNo) || hdrIsFooter(assetNo) {
			return true
		}
		if assetNo == normWord(noHeader) && t.hdrRepeatedHeader(cells) {
			return true
		}
		return hdrIsColumnNumbers(cells)
	}
	for i, c := range cells {
		k := normWord(c)
		if k == "" {
			continue
		}
		if (i < first+4 || t.hdrIsRowNumber(i)) && hdrIsTotal(k) || hdrIsFooter(k) {
			return true
		}
	}
	return t.hdrRepeatedHeader(cells) || hdrIsColumnNumbers(cells) || hdrIsSubHeader(cells)
}

// hdrIsRowNumber reports whether column i is a row-number (序号) column.
func (t tableLayout) hdrIsRowNumber(i int) bool {
	for _, c := range t.Columns {
		if c.Index == i {
			return c.RowNumber
		}
	}
	return false
}

// hdrNoData reports a row with nothing in any mapped column (or nothing at all when no column
// is mapped yet): a blank line, or a template's pre-numbered empty row.
func (t tableLayout) hdrNoData(cells []string) bool {
	mapped := false
	for _, c := range t.Columns {
		if c.Field == "" {
			continue
		}
		mapped = true
		if c.Index < len(cells) && cleanText(cells[c.Index]) != "" {
			return false
		}
	}
	if mapped {
		return true
	}
	for _, c := range cells {
		if cleanText(c) != "" {
			return false
		}
	}
	return true
}

// hdrIsTotal reports "合计", "本页小计", "合计：", "合 计（25项）" but not "累计流量计".
func hdrIsTotal(k string) bool {
	for _, p := range hdrTotalPrefixes {
		if !strings.HasPrefix(k, p) {
			continue
		}
		rest := k[len(p):]
		for _, w := range hdrTotalWords {
			if !strings.HasPrefix(rest, w) {
				continue
			}
			next, _ := utf8.DecodeRuneInString(rest[len(w):])
			if next == utf8.RuneError || !unicode.IsLetter(next) {
				return true
			}
		}
	}
	return false
}

// hdrIsFooter reports a signature or note cell.
func hdrIsFooter(k string) bool {
	for _, w := range hdrFooterWords {
		if strings.HasPrefix(k, w) {
			return true
		}
	}
	return false
}

// hdrRepeatedHeader reports a row that repeats the header, as printed page headers do: at least
// two cells equal to their column's header, and they make at least half of the row.
func (t tableLayout) hdrRepeatedHeader(cells []string) bool {
	same, filled := 0, 0
	for _, c := range cells {
		if normWord(c) != "" {
			filled++
		}
	}
	for _, c := range t.Columns {
		if c.Index < len(cells) && normWord(cells[c.Index]) != "" && normWord(cells[c.Index]) == normWord(c.Header) {
			same++
		}
	}
	return same >= 2 && same*2 >= filled
}

// hdrIsSubHeader reports a row of header words only, such as the second line of a two-line
// header ("数量", "金额" under a merged "原值").
func hdrIsSubHeader(cells []string) bool {
	// Testing for digits first spares building a matcher for data rows.
	if !hdrWordsOnly(cells) {
		return false
	}
	filled := 0
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			filled++
		}
	}
	if filled < 2 {
		return false
	}
	m := newHdrMatcher(nil)
	n := 0
	for _, c := range cells {
		bare, _ := normalizeHeader(c)
		if bare == "" {
			continue
		}
		f, rank, rowNumber := m.match(bare)
		if f == "" && !rowNumber || rank == hdrRankContains || rank == hdrRankWeak {
			return false
		}
		n++
	}
	return n >= 2
}

// hdrIsColumnNumbers reports the column-number row of official forms (栏次: 甲 乙 1 2 3 …).
func hdrIsColumnNumbers(cells []string) bool {
	nums, last := 0, 0
	for _, c := range cells {
		k := normWord(c)
		switch {
		case k == "":
		case normDigits(k) && len(k) <= 3:
			n := normAtoi(k)
			if nums > 0 && n != last+1 {
				return false
			}
			nums, last = nums+1, n
		case len([]rune(k)) == 1 && strings.Contains("甲乙丙丁戊己庚辛", k), k == "栏次", k == "行次":
		default:
			return false
		}
	}
	return nums >= 3
}
