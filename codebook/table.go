package codebook

// This file is the table adapter: codebooks as CSV and XLSX in the layouts
// other tools exchange (a code path or level columns, a description column).

import (
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"qcode"
	"qcode/table"
)

// TableHeader is the columns WriteTable writes, in order.
var TableHeader = []string{"path", "id", "name", "description", "include", "exclude", "rule", "negation", "color", "examples", "counterexamples"}

// PathSeparator joins the names of a code path in tables: Barriers > Risk aversion.
const PathSeparator = " > "

// maxCellChars is the most characters an Excel cell holds.
const maxCellChars = 32767

// WriteTable writes cb as a table, one row per code in tree order, parents
// first, with the columns of TableHeader: path (the names from the top,
// joined with " > "), id, name, description, include, exclude, rule
// ("coded by people" for a code with ByPeople), negation, color, examples and counterexamples (each joined with " | ",
// a | or \ inside one written \| or \\). format is "csv" (UTF-8, comma
// separated) or "xlsx" (one sheet, Codes). ReadTable reads both back; a
// table has no place for the codebook's own name, match mode and negation
// settings, so those come back as the defaults.
func WriteTable(w io.Writer, cb *Codebook, format string) error {
	var rows [][]string
	cb.Walk(func(c *Code) {
		rule := c.Rule
		if c.ByPeople {
			rule = CodedByPeople
		}
		rows = append(rows, []string{c.Path(), c.ID, c.Name, c.Description, c.Include, c.Exclude, rule,
			string(c.Negation), c.Color, joinList(c.Examples), joinList(c.Counterexamples)})
	})
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(TableHeader); err != nil {
			return err
		}
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
		return cw.Error()
	case "xlsx":
		return writeXLSX(w, rows)
	}
	return qcode.FieldError("format", format, "not a format for a codebook table", "csv", "xlsx")
}

func writeXLSX(w io.Writer, rows [][]string) error {
	for _, r := range rows {
		for i, cell := range r {
			if n := utf8.RuneCountInString(cell); n > maxCellChars {
				return qcode.Errorf(qcode.EINVALID, "code %s: its %s has %d characters, more than an Excel cell holds (%d); export as csv or yaml instead", r[1], TableHeader[i], n, maxCellChars)
			}
		}
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Codes"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	widths := []float64{36, 20, 24, 50, 40, 40, 40, 10, 10, 50, 50}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(TableHeader))
	for i, h := range TableHeader {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for n, r := range rows {
		cells := make([]any, len(r))
		for i, v := range r {
			cells[i] = excelize.Cell{StyleID: wrap, Value: v}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// joinList joins passages with " | ", escaping | and \ inside them.
func joinList(ps []string) string {
	esc := strings.NewReplacer(`\`, `\\`, `|`, `\|`)
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = esc.Replace(p)
	}
	return strings.Join(parts, " | ")
}

// splitList undoes joinList: it splits at each | not escaped by \, and
// reads \| and \\ as | and \; other backslashes stay as they are.
func splitList(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if p := strings.TrimSpace(b.String()); p != "" {
			out = append(out, p)
		}
		b.Reset()
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s) && (s[i+1] == '|' || s[i+1] == '\\'):
			b.WriteByte(s[i+1])
			i++
		case c == '|':
			flush()
		default:
			b.WriteByte(c)
		}
	}
	flush()
	return out
}

// Table columns ReadTable knows, by their header, compared in lower case
// with _ and - read as spaces.
const (
	colPath = iota
	colCodeName
	colID
	colDescription
	colInclude
	colExclude
	colRule
	colNegation
	colColor
	colExamples
	colCounterexamples
	numCols
)

var tableColumns = map[string]int{
	"path": colPath, "code": colPath, "category": colPath, "code path": colPath, "codepath": colPath,
	"name": colCodeName, "code name": colCodeName, "label": colCodeName,
	"id": colID, "code id": colID,
	"description": colDescription, "memo": colDescription, "definition": colDescription,
	"code description": colDescription, "code memo": colDescription, "code definition": colDescription,
	"include": colInclude, "inclusion": colInclude, "inclusion criteria": colInclude, "when to use": colInclude,
	"exclude": colExclude, "exclusion": colExclude, "exclusion criteria": colExclude, "when not to use": colExclude,
	"rule": colRule, "query": colRule, "negation": colNegation, "color": colColor, "colour": colColor,
	"examples": colExamples, "example": colExamples,
	"counterexamples": colCounterexamples, "counterexample": colCounterexamples,
	"counter examples": colCounterexamples, "counter example": colCounterexamples,
}

// levelColumnRE matches level columns: CAT1, Category 2, level 3, Lvl_4.
var levelColumnRE = regexp.MustCompile(`^(?:cat|category|level|lvl|code level)\s*(\d{1,2})$`)

// pathSepRE splits a code path: >, >> or ::, with any spaces around.
var pathSepRE = regexp.MustCompile(`\s*(?:>>|>|::)\s*`)

// ReadTable reads a table of codes, read by table.Read: CSV (comma,
// semicolon or tab separated, any of the encodings Excel saves) or an XLSX
// workbook's sheet named Codes or Codebook, else its first sheet with a
// value. The first row names the columns, in any case and order:
//
//   - where each code sits: a path column ("path", "code", "category" or
//     "code path") with the names from the top joined by >, >> or ::
//     ("Barriers > Risk aversion"), or level columns ("CAT1", "CAT2"… or
//     "level 1"…; a blank level is taken from the row above, so outlines
//     work), or only a "name" column for a flat list;
//   - optionally "name", "id", "description" (or "memo", "definition"),
//     "include", "exclude", "rule", "negation", "color" (or "colour"),
//     "examples" and "counterexamples" (passages joined with |).
//
// Other columns are ignored. A parent named only in paths is created. Codes
// without an id get one made from their name. Errors about codes name the
// row and the column, and every one is reported; table.Read's errors about
// the table's shape come first, one at a time.
func ReadTable(path string, data []byte) (*Codebook, error) {
	tab, err := table.Read(path, data, table.Options{Sheets: []string{"codes", "codebook"}, Layout: "a header row and a row per code"})
	if err != nil {
		return nil, err
	}
	t := &tableReader{path: path, ps: &problems{path: path}, byPath: map[string]*Code{}, defined: map[*Code]int{}}
	if err := t.header(tab); err != nil {
		return nil, err
	}
	cb := &Codebook{Name: baseName(path), Match: MatchExact, Negation: Negation{Window: DefaultNegationWindow}}
	t.cb = cb
	for _, r := range tab.Rows {
		t.row(r)
	}
	if err := t.ps.err(); err != nil {
		return nil, err
	}
	if len(cb.Codes) == 0 {
		return nil, inputError(path, Pos{Line: tab.Line}, "the table has a header but no codes")
	}
	t.assignIDs()
	if err := t.ps.err(); err != nil {
		return nil, err
	}
	if err := checkRules(path, cb); err != nil {
		return nil, err
	}
	return cb, nil
}

type tableReader struct {
	tab    *table.Table
	path   string
	ps     *problems
	cb     *Codebook
	col    [numCols]int // index of each known column, -1 when absent
	levels []int        // indices of level columns, in level order
	prev   []string     // the previous row's levels, for outlines

	byPath  map[string]*Code // codes by Path(), for paths whose names hold a separator
	defined map[*Code]int    // codes a row defined, and that row's line
	order   []*Code          // every code, in the order rows made them
}

func (t *tableReader) header(tab *table.Table) error {
	for i := range t.col {
		t.col[i] = -1
	}
	t.tab = tab
	levels := map[int]int{}
	for i, h := range tab.Header {
		key := strings.Join(strings.Fields(strings.NewReplacer("_", " ", "-", " ").Replace(strings.ToLower(h))), " ")
		if k, ok := tableColumns[key]; ok {
			if t.col[k] >= 0 {
				return inputError(t.path, Pos{Line: tab.Line}, "columns %s and %s both give the %s; keep one", t.tab.Letter(t.col[k]), t.tab.Letter(i), colTitles[k])
			}
			t.col[k] = i
			continue
		}
		if m := levelColumnRE.FindStringSubmatch(key); m != nil {
			n, _ := strconv.Atoi(m[1])
			if _, dup := levels[n]; dup || n < 1 {
				return inputError(t.path, Pos{Line: tab.Line}, "column %s: level %d is given twice", t.tab.Letter(i), n)
			}
			levels[n] = i
		}
	}
	for n := 1; n <= len(levels); n++ {
		i, ok := levels[n]
		if !ok {
			return inputError(t.path, Pos{Line: tab.Line}, "the level columns skip level %d; number them 1, 2, 3…", n)
		}
		t.levels = append(t.levels, i)
	}
	if t.col[colPath] < 0 && len(t.levels) == 0 && t.col[colCodeName] < 0 {
		return inputError(t.path, Pos{Line: tab.Line}, "no code path column; name one column \"path\" (names joined with \" > \": Barriers > Risk aversion), or give level columns \"level 1\", \"level 2\"…, or a \"name\" column for a flat list")
	}
	return nil
}

// colTitles names the known columns in messages.
var colTitles = [numCols]string{"path", "name", "id", "description", "include", "exclude", "rule", "negation", "color", "examples", "counterexamples"}

// cell returns a row's cell in a known column, trimmed, "" when absent.
func (t *tableReader) cell(r table.Row, k int) string {
	i := t.col[k]
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(r.Cells[i])
}

// problem reports a problem in one cell of a row.
func (t *tableReader) problem(r table.Row, i int, format string, args ...any) {
	t.ps.add(Pos{Line: r.Line}, "column %s (%s): %s", t.tab.Letter(i), t.tab.Header[i], fmt.Sprintf(format, args...))
}

func (t *tableReader) row(r table.Row) {
	name, parent, where, ok := t.place(r)
	if !ok {
		return
	}
	c := t.child(parent, name)
	if c == nil {
		c = t.add(parent, name, r.Line)
	} else if line, ok := t.defined[c]; ok {
		t.problem(r, where, "code %q is already on line %d; give each code one row", c.Path(), line)
		return
	}
	t.defined[c] = r.Line
	c.Pos = Pos{Line: r.Line}
	t.fill(r, c)
}

// place reads where a row's code sits: its name and its parent (made when
// missing), from the path, level or name columns; where is the column to
// blame. A path or level list that ends with the name column's name
// includes the code; one that does not is its parent's.
func (t *tableReader) place(r table.Row) (name string, parent *Code, where int, ok bool) {
	name = t.cell(r, colCodeName)
	switch {
	case t.col[colPath] >= 0:
		where = t.col[colPath]
		raw := t.cell(r, colPath)
		switch {
		case raw == "":
			t.problem(r, where, "no code path; write the code's names from the top, e.g. Barriers > Risk aversion")
			return "", nil, 0, false
		case raw == name:
			return name, nil, where, true
		case name != "" && strings.HasSuffix(raw, name):
			// Cut the name off the path as written, so that names holding
			// a separator ("Barriers > obstacles") still work.
			prefix := strings.TrimRightFunc(strings.TrimSuffix(raw, name), unicode.IsSpace)
			if loc := pathSepRE.FindAllStringIndex(prefix, -1); len(loc) > 0 && loc[len(loc)-1][1] == len(prefix) {
				prefix = strings.TrimSpace(prefix[:loc[len(loc)-1][0]])
				parent, ok = t.parentAt(r, where, prefix)
				return name, parent, where, ok
			}
		}
		if name != "" {
			parent, ok = t.parentAt(r, where, raw)
			return name, parent, where, ok
		}
		segs, ok := t.split(r, where, raw)
		if !ok {
			return "", nil, 0, false
		}
		parent = t.ensure(segs[:len(segs)-1], r.Line)
		return segs[len(segs)-1], parent, where, true
	case len(t.levels) > 0:
		where = t.levels[0]
		segs, ok := t.levelPath(r)
		if !ok {
			return "", nil, 0, false
		}
		if name == "" || name == segs[len(segs)-1] {
			return segs[len(segs)-1], t.ensure(segs[:len(segs)-1], r.Line), where, true
		}
		return name, t.ensure(segs, r.Line), where, true
	}
	where = t.col[colCodeName]
	if name == "" {
		t.problem(r, where, "no code name")
		return "", nil, 0, false
	}
	return name, nil, where, true
}

// parentAt finds or makes the code at a path as written.
func (t *tableReader) parentAt(r table.Row, where int, path string) (*Code, bool) {
	if p, ok := t.byPath[path]; ok {
		return p, true
	}
	segs, ok := t.split(r, where, path)
	if !ok {
		return nil, false
	}
	return t.ensure(segs, r.Line), true
}

// split splits a code path, refusing empty levels.
func (t *tableReader) split(r table.Row, where int, path string) ([]string, bool) {
	segs := splitPath(path)
	for _, s := range segs {
		if s == "" {
			t.problem(r, where, "%q has an empty level; write names between the separators", path)
			return nil, false
		}
	}
	return segs, true
}

// levelPath reads a row's level columns, taking blank leading levels from
// the row above.
func (t *tableReader) levelPath(r table.Row) ([]string, bool) {
	cells := make([]string, len(t.levels))
	first, last := -1, -1
	for n, i := range t.levels {
		cells[n] = strings.TrimSpace(r.Cells[i])
		if cells[n] != "" {
			if first < 0 {
				first = n
			}
			last = n
		}
	}
	if first < 0 {
		t.problem(r, t.levels[0], "no code in the level columns; fill in at least one level")
		return nil, false
	}
	for n := first; n <= last; n++ {
		if cells[n] == "" {
			t.problem(r, t.levels[n], "level %d is empty but level %d is not; fill in every level down to the code", n+1, last+1)
			return nil, false
		}
	}
	if first > 0 {
		if len(t.prev) < first {
			t.problem(r, t.levels[0], "level %d is empty and no row above gives it", len(t.prev)+1)
			return nil, false
		}
		copy(cells, t.prev[:first])
	}
	segs := cells[:last+1]
	t.prev = append(t.prev[:0], segs...)
	return segs, true
}

func splitPath(p string) []string {
	segs := pathSepRE.Split(strings.TrimSpace(p), -1)
	for i := range segs {
		segs[i] = strings.TrimSpace(segs[i])
	}
	return segs
}

// ensure returns the code at a path of names, creating the missing ones.
func (t *tableReader) ensure(segs []string, line int) *Code {
	var parent *Code
	for _, s := range segs {
		c := t.child(parent, s)
		if c == nil {
			c = t.add(parent, s, line)
		}
		parent = c
	}
	return parent
}

// child finds a code by name among parent's children (nil: the top level).
func (t *tableReader) child(parent *Code, name string) *Code {
	list := t.cb.Codes
	if parent != nil {
		list = parent.Codes
	}
	for _, c := range list {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (t *tableReader) add(parent *Code, name string, line int) *Code {
	c := &Code{Name: name, Negation: NegationSkip, Parent: parent, Pos: Pos{Line: line}}
	if parent == nil {
		t.cb.Codes = append(t.cb.Codes, c)
	} else {
		parent.Codes = append(parent.Codes, c)
	}
	t.byPath[c.Path()] = c
	t.order = append(t.order, c)
	return c
}

// fill sets a code's fields from its row.
func (t *tableReader) fill(r table.Row, c *Code) {
	if id := t.cell(r, colID); id != "" {
		if !idRE.MatchString(id) {
			t.problem(r, t.col[colID], "id %q must be a slug: lower-case letters, digits and underscores, starting with a letter (e.g. %s)", id, IDFromName(id))
		} else {
			c.ID = id
		}
	}
	c.Description = t.cell(r, colDescription)
	c.Include = t.cell(r, colInclude)
	c.Exclude = t.cell(r, colExclude)
	c.Rule = t.cell(r, colRule)
	// A code coded by people is written with that phrase in place of a
	// rule, which is no rule anyone would write.
	if strings.EqualFold(c.Rule, CodedByPeople) {
		c.Rule, c.ByPeople = "", true
	}
	if c.Rule != "" {
		c.RulePos = Pos{Line: r.Line}
	}
	switch m := NegationMode(strings.ToLower(t.cell(r, colNegation))); m {
	case "":
	case NegationSkip, NegationKeep, NegationOnly:
		c.Negation = m
	default:
		t.problem(r, t.col[colNegation], "negation must be skip, keep or only, not %q", t.cell(r, colNegation))
	}
	if s := t.cell(r, colColor); s != "" {
		if !strings.HasPrefix(s, "#") {
			s = "#" + s
		}
		color, ok := qdcColor(s)
		if !ok {
			t.problem(r, t.col[colColor], "%q is not a colour like #4E79A7 (# and six hex digits)", t.cell(r, colColor))
		}
		c.Color = color
	}
	c.Examples = splitList(t.cell(r, colExamples))
	c.Counterexamples = splitList(t.cell(r, colCounterexamples))
}

// assignIDs checks the ids rows gave and makes the others from names.
func (t *tableReader) assignIDs() {
	a := newIDs()
	first := map[string]*Code{}
	for _, c := range t.order {
		if c.ID == "" {
			continue
		}
		if prev, ok := first[c.ID]; ok {
			t.problem(table.Row{Line: c.Pos.Line}, t.col[colID], "id %q is already used on line %d; ids must be unique", c.ID, prev.Pos.Line)
			continue
		}
		first[c.ID] = c
		a.reserve(c.ID)
	}
	t.cb.Walk(func(c *Code) {
		if c.ID == "" {
			c.ID = a.fromName(c.Name)
		}
	})
}
