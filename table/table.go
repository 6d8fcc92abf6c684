package table

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"qcode"
	"qcode/textfile"
)

// Table is a header and the rows under it.
type Table struct {
	Path   string
	Format string   // "xlsx" for a workbook, else "csv" (delimited text, whatever its separator)
	Comma  rune     // the separator of delimited text; 0 for a workbook
	Sheet  string   // the sheet read from a workbook; "" for text
	Header []string // the column names, trimmed, none blank, no two alike
	Line   int      // the header's line (a workbook's row number)
	Rows   []Row    // the rows below the header that hold a value, in order

	head   Row   // the header as a row, for positions
	sheets int   // the workbook's number of sheets: positions name the sheet when there are several
	cols   []int // each column's index in the file, when dropUnnamed left some out
}

// Row is one row of a table.
type Row struct {
	Line  int      // the line of its first cell (a workbook's row number)
	Cells []string // one per column, as written (untrimmed), in qcode's text model
	at    []pos    // where each cell starts in delimited text; nil in a workbook
}

// pos is where a cell of delimited text starts: its line, and its column
// counted in characters from 1.
type pos struct{ line, col int32 }

// Options tell Read what the caller's table is.
type Options struct {
	// Sheets names the sheets that hold the table in a workbook, most
	// wanted first, compared ignoring case. Read takes the first of them
	// that holds a value, else the workbook's first sheet that does.
	Sheets []string
	// Layout says what the table should hold, to tell the user how to
	// mend an empty file: "a header row (unit, then one column per coder)
	// and one row per unit". Without it Read says "a header row and rows
	// below it".
	Layout string
}

// Size limits for workbooks: an .xlsx is a zip, so a small file can
// inflate to gigabytes (a zip bomb). excelize refuses to unpack more.
const (
	maxUnzipped    = 256 << 20 // the whole workbook, unpacked
	maxUnzippedXML = 64 << 20  // one sheet's XML, unpacked
)

var (
	zipMagic = []byte("PK\x03\x04")
	// oleMagic starts an OLE compound file: an Excel 97–2003 .xls, or an
	// .xlsx that Excel encrypted with a password (it wraps the zip in OLE).
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// Read reads the table in a file: a workbook when path ends in .xlsx or
// data is a zip, else delimited text. It refuses, with a one-line
// qcode.EINVALID error naming the file and the line or cell, a file with no
// value, text it cannot decode or parse, a row of text with more or fewer
// cells than the header, a value beyond the header in a workbook, a column
// with values but no name, and two columns of one name.
func Read(path string, data []byte, opt Options) (*Table, error) {
	var t *Table
	var err error
	switch {
	case bytes.HasPrefix(data, oleMagic):
		return nil, textfile.Errorf(path, 0, "is an Excel 97–2003 workbook (.xls) or a password-protected one; save it as .xlsx without a password, or as CSV")
	case bytes.HasPrefix(data, zipMagic) || strings.EqualFold(filepath.Ext(path), ".xlsx"):
		t, err = readWorkbook(path, data, opt)
	default:
		t, err = readText(path, data, opt)
	}
	if err != nil {
		return nil, err
	}
	if err := t.dropUnnamed(); err != nil {
		return nil, err
	}
	return t, nil
}

// layout is what an empty file's message tells the user to write.
func (o Options) layout() string {
	if o.Layout != "" {
		return o.Layout
	}
	return "a header row and rows below it"
}

func readText(path string, data []byte, opt Options) (*Table, error) {
	text, err := textfile.Decode(path, data)
	if err != nil {
		return nil, err
	}
	t := &Table{Path: path, Format: "csv", Comma: sniff(text, strings.EqualFold(filepath.Ext(path), ".tsv"))}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = t.Comma
	r.FieldsPerRecord = -1
	cols := newColumns(text)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				at := pos{int32(pe.Line), int32(cols.chars(pe.Line, pe.Column))}
				if pe.StartLine != pe.Line {
					return nil, t.errorf(at, "%v in the row that starts on line %d; check its quotes", pe.Err, pe.StartLine)
				}
				return nil, t.errorf(at, "%v; check the quotes on that line", pe.Err)
			}
			return nil, textfile.Errorf(path, 0, "%v", err)
		}
		if blank(rec) {
			continue
		}
		row := Row{Cells: rec, at: make([]pos, len(rec))}
		for i := range rec {
			line, col := r.FieldPos(i)
			row.at[i] = pos{int32(line), int32(cols.chars(line, col))}
		}
		row.Line = int(row.at[0].line)
		if t.Header == nil {
			if err := t.setHeader(row); err != nil {
				return nil, err
			}
			continue
		}
		switch n := len(t.Header); {
		case len(rec) < n:
			return nil, textfile.Errorf(path, row.Line, "row has %d cells but the header has %d columns; give every column a cell, empty where there is no value (is a %s missing?)", len(rec), n, separatorName(t.Comma))
		case len(rec) > n:
			return nil, t.errorf(row.at[n], "row has %d cells but the header has %d columns; remove the extra cells or name their columns in the header", len(rec), n)
		}
		t.Rows = append(t.Rows, row)
	}
	if t.Header == nil {
		return nil, textfile.Errorf(path, 0, "file is empty; write %s", opt.layout())
	}
	return t, nil
}

// sniff returns the separator of delimited text: of comma, semicolon and
// tab, the one its first line with a value (its header) holds most,
// quoted ones not counted. A tie goes to tab in a .tsv file and to comma
// elsewhere.
func sniff(text string, tsv bool) rune {
	seps := []rune{',', ';', '\t'}
	if tsv {
		seps = []rune{'\t', ',', ';'}
	}
	var n [3]int
	quoted, value := false, false
	for _, c := range text {
		switch {
		case c == '"':
			quoted = !quoted
			value = true
		case quoted:
		case c == '\n':
			if value {
				return most(seps, n)
			}
			n = [3]int{}
		case c == seps[0]:
			n[0]++
		case c == seps[1]:
			n[1]++
		case c == seps[2]:
			n[2]++
		case !unicode.IsSpace(c):
			value = true
		}
	}
	return most(seps, n)
}

// most returns the separator counted most, the first on a tie.
func most(seps []rune, n [3]int) rune {
	best := 0
	for i := range n {
		if n[i] > n[best] {
			best = i
		}
	}
	return seps[best]
}

func separatorName(c rune) string {
	switch c {
	case ';':
		return "semicolon"
	case '\t':
		return "tab"
	}
	return "comma"
}

// columns turns the byte columns encoding/csv reports into character
// columns, which are what an editor shows.
type columns struct {
	text   string
	starts []int // byte offset of each line; nil when the text is ASCII
}

func newColumns(text string) *columns {
	c := &columns{text: text}
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			c.starts = append(c.starts, 0)
			for j := range len(text) {
				if text[j] == '\n' {
					c.starts = append(c.starts, j+1)
				}
			}
			break
		}
	}
	return c
}

// chars returns the character column of byte column col (from 1) of line.
func (c *columns) chars(line, col int) int {
	if c.starts == nil || line < 1 || line > len(c.starts) || col < 1 {
		return col
	}
	start := c.starts[line-1]
	end := min(start+col-1, len(c.text))
	return utf8.RuneCountInString(c.text[start:end]) + 1
}

func readWorkbook(path string, data []byte, opt Options) (*Table, error) {
	if err := refuseDTD(path, data); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    maxUnzipped,
		UnzipXMLSizeLimit: maxUnzippedXML,
		// ISO dates: a date cell in the regional short format would
		// otherwise read as mm-dd-yy.
		ShortDatePattern: "yyyy-mm-dd",
	})
	if err != nil {
		return nil, textfile.Errorf(path, 0, "not a readable Excel workbook (%v); save it again as .xlsx", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	var order []string
	for _, want := range opt.Sheets {
		for _, s := range sheets {
			if strings.EqualFold(s, want) {
				order = append(order, s)
			}
		}
	}
	order = append(order, sheets...)
	for _, sheet := range order {
		t := &Table{Path: path, Format: "xlsx", Sheet: sheet, sheets: len(sheets)}
		if err := t.readSheet(f); err != nil {
			return nil, err
		}
		if t.Header != nil {
			return t, nil
		}
	}
	return nil, textfile.Errorf(path, 0, "workbook has no sheet with any value in it; write %s", opt.layout())
}

// refuseDTD refuses a workbook one of whose XML parts declares a DTD or an
// entity: Excel writes none, and excelize, skipping what it does not know,
// would find no cells there and hide what is wrong with the file behind
// what is then missing ("no open-ended text columns"). Only each part's
// prolog is read, where a DTD must stand, and of no part more than 1 MB.
func refuseDTD(path string, data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil // excelize says what is wrong with the zip
	}
	for _, zf := range zr.File {
		if ext := strings.ToLower(filepath.Ext(zf.Name)); ext != ".xml" && ext != ".rels" {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			continue
		}
		dtd := declaresDTD(io.LimitReader(rc, 1<<20))
		rc.Close()
		if dtd {
			return textfile.Errorf(path, 0, "%s declares a DTD (<!DOCTYPE …>), which no Excel workbook does; refusing it: save the sheet again from Excel, or as CSV", zf.Name)
		}
	}
	return nil
}

// declaresDTD reports whether the XML prolog r starts with declares a DTD
// or an entity.
func declaresDTD(r io.Reader) bool {
	d := xml.NewDecoder(r)
	for {
		tok, err := d.RawToken()
		if err != nil {
			return false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return false
		case xml.Directive:
			dir := strings.TrimSpace(string(t))
			if strings.HasPrefix(dir, "DOCTYPE") || strings.HasPrefix(dir, "ENTITY") {
				return true
			}
		}
	}
}

// readSheet reads t.Sheet's header (its first row with a value) and the
// rows below it that hold one; t.Header stays nil when the sheet is blank.
func (t *Table) readSheet(f *excelize.File) error {
	it, err := f.Rows(t.Sheet)
	if err != nil {
		return textfile.Errorf(t.Path, 0, "sheet %q: %v", t.Sheet, err)
	}
	defer it.Close()
	// The iterator yields blank rows for the gaps in a sheet, so n is the
	// row number Excel shows.
	for n := 1; it.Next(); n++ {
		cells, err := it.Columns()
		if err != nil {
			return textfile.Errorf(t.Path, n, "sheet %q row %d: %v", t.Sheet, n, err)
		}
		if blank(cells) {
			continue
		}
		for i := range cells {
			cells[i] = textfile.Clean(cells[i])
		}
		row := Row{Line: n, Cells: cells}
		if t.Header == nil {
			if err := t.setHeader(row); err != nil {
				return err
			}
			continue
		}
		if w := len(t.Header); len(cells) > w {
			for i := w; i < len(cells); i++ {
				if trim(cells[i]) != "" {
					return t.errorAt(&row, i, "a value beyond the header's %d columns; give its column a name in the header, or empty the cell", w)
				}
			}
			row.Cells = cells[:w]
		}
		for len(row.Cells) < len(t.Header) {
			row.Cells = append(row.Cells, "")
		}
		t.Rows = append(t.Rows, row)
	}
	if err := it.Error(); err != nil {
		return textfile.Errorf(t.Path, 0, "sheet %q: %v", t.Sheet, err)
	}
	return nil
}

// setHeader takes row as the header: trimmed names, no two alike. Blank
// names are checked once the rows are read (see dropUnnamed).
func (t *Table) setHeader(row Row) error {
	t.head = row
	t.Line = row.Line
	t.Header = make([]string, len(row.Cells))
	first := map[string]int{}
	for i, c := range row.Cells {
		name := trim(c)
		t.Header[i] = name
		if name == "" {
			continue
		}
		if j, dup := first[name]; dup {
			return t.errorAt(&t.head, i, "columns %d and %d are both named %q; give each column its own name", j+1, i+1, name)
		}
		first[name] = i
	}
	return nil
}

// dropUnnamed leaves out the columns with no name and no value (spreadsheets
// often save a few empty columns after the last) and refuses one with no
// name but a value, which would otherwise be read as nothing.
func (t *Table) dropUnnamed() error {
	var keep []int
	for c, name := range t.Header {
		if name != "" {
			keep = append(keep, c)
			continue
		}
		for i := range t.Rows {
			if trim(t.Rows[i].Cells[c]) != "" {
				return t.errorAt(&t.head, c, "column %d has no name, but %s has a value in it; name every column in the header row", c+1, t.rowName(t.Rows[i].Line))
			}
		}
	}
	if len(keep) == len(t.Header) {
		return nil
	}
	pick := func(r *Row) {
		cells := make([]string, len(keep))
		var at []pos
		if r.at != nil {
			at = make([]pos, len(keep))
		}
		for i, c := range keep {
			cells[i] = r.Cells[c]
			if at != nil {
				at[i] = r.at[c]
			}
		}
		r.Cells, r.at = cells, at
	}
	header := make([]string, len(keep))
	for i, c := range keep {
		header[i] = t.Header[c]
	}
	t.Header, t.cols = header, keep
	pick(&t.head)
	for i := range t.Rows {
		pick(&t.Rows[i])
	}
	return nil
}

// rowName names a row in a message: "line 4" in text, "row 4" in a workbook.
func (t *Table) rowName(line int) string {
	if t.Format == "xlsx" {
		return fmt.Sprintf("row %d", line)
	}
	return fmt.Sprintf("line %d", line)
}

// Where names cell c of row r for a message: path:line:column in
// delimited text (the column counted in characters, as editors count it),
// path:C4 in a workbook (path:Sheet!C4 when it has several sheets).
func (t *Table) Where(r *Row, c int) string {
	if t.Format == "xlsx" {
		cell := cellName(t.fileColumn(c), r.Line)
		if t.sheets > 1 {
			cell = sheetName(t.Sheet) + "!" + cell
		}
		return t.Path + ":" + cell
	}
	if c < 0 || c >= len(r.at) {
		return fmt.Sprintf("%s:%d", t.Path, r.Line)
	}
	return fmt.Sprintf("%s:%d:%d", t.Path, r.at[c].line, r.at[c].col)
}

// Letter returns the spreadsheet letter of column c as the file has it (A
// for the first), counting the empty columns with no name that Read left
// out.
func (t *Table) Letter(c int) string {
	name, err := excelize.ColumnNumberToName(t.fileColumn(c) + 1)
	if err != nil {
		return fmt.Sprintf("%d", c+1)
	}
	return name
}

// fileColumn returns the index in the file of column c.
func (t *Table) fileColumn(c int) int {
	if t.cols != nil && c >= 0 && c < len(t.cols) {
		return t.cols[c]
	}
	return c
}

// HeaderWhere names the header's cell of column c, as Where does.
func (t *Table) HeaderWhere(c int) string { return t.Where(&t.head, c) }

// errorAt returns a qcode.EINVALID error about cell c of row r.
func (t *Table) errorAt(r *Row, c int, format string, args ...any) error {
	return qcode.Errorf(qcode.EINVALID, "%s: %s", t.Where(r, c), fmt.Sprintf(format, args...))
}

// errorf returns a qcode.EINVALID error about a place in delimited text.
func (t *Table) errorf(p pos, format string, args ...any) error {
	return t.errorAt(&Row{Line: int(p.line), at: []pos{p}}, 0, format, args...)
}

// cellName is a cell's name in a workbook: C4 for column index 2, row 4.
func cellName(c, row int) string {
	name, err := excelize.CoordinatesToCellName(c+1, row)
	if err != nil {
		return fmt.Sprintf("row %d column %d", row, c+1)
	}
	return name
}

// sheetName writes a sheet's name as a cell reference does: quoted when it
// holds anything but letters, digits and underscores.
func sheetName(s string) string {
	plain := s != ""
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// blank reports whether a row holds no value.
func blank(cells []string) bool {
	for _, c := range cells {
		if trim(c) != "" {
			return false
		}
	}
	return true
}

// trim trims white space and byte order marks, which are left in a cell by
// a file pasted into a sheet or saved twice.
func trim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' })
}

// UnescapeFormula takes off the apostrophe that qcode's CSV files (and
// other careful writers) put before a text a spreadsheet would take for a
// formula: "'=see P03" gives "=see P03". Any other s comes back as it is.
func UnescapeFormula(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.IndexByte("=+-@\t\r", s[1]) >= 0 {
		return s[1:]
	}
	return s
}
