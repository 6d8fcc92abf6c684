package report

import (
	"math"
	"strconv"
)

// Kind is the type of a cell's value.
type Kind uint8

// Kinds of cells.
const (
	Empty   Kind = iota // no value
	Text                // a string
	Int                 // a whole number
	Float               // a number with a fraction, such as a Jaccard index
	Percent             // a percentage from 0 to 100, rounded to one decimal
)

// Cell is one typed value of a table. Numbers are kept in Num (whole
// numbers exactly, up to 2^53), text in Text.
type Cell struct {
	Kind Kind
	Text string
	Num  float64
}

// T returns a text cell.
func T(s string) Cell { return Cell{Kind: Text, Text: s} }

// I returns a whole-number cell.
func I(n int) Cell { return Cell{Kind: Int, Num: float64(n)} }

// F returns a number cell rounded to three decimals.
func F(x float64) Cell { return Cell{Kind: Float, Num: math.Round(x*1000) / 1000} }

// P returns the percentage part/whole×100, rounded to one decimal, or an
// empty cell when whole is zero.
func P(part, whole int) Cell {
	if whole == 0 {
		return Cell{}
	}
	return Cell{Kind: Percent, Num: math.Round(float64(part)*1000/float64(whole)) / 10}
}

// String formats the cell plainly, as TSV and CSV write it: numbers with
// no thousands separators, an empty cell as "".
func (c Cell) String() string {
	switch c.Kind {
	case Text:
		return c.Text
	case Int:
		return strconv.FormatInt(int64(c.Num), 10)
	case Float, Percent:
		return strconv.FormatFloat(c.Num, 'f', -1, 64)
	}
	return ""
}

// Column is one column of a table: its name (the header in every format,
// and the field in JSON), the kind of its cells, and hints for writers that
// lay text out (a spreadsheet): a width in characters (0 for a default) and
// whether its text wraps.
type Column struct {
	Name  string
	Kind  Kind
	Width float64
	Wrap  bool
	// Blank is what an empty text cell of the column says where people
	// read it (the workbook, CSV, a terminal): "document" for the speaker
	// of a document's paragraph. JSON keeps the cell empty.
	Blank string
}

// Block is a rectangle of a table's body: rows [Row0, Row1) and columns
// [Col0, Col1), counted from 0 without the header.
type Block struct {
	Row0, Row1, Col0, Col1 int
}

// Table is a report as plain data: a header of columns and rows of typed
// cells, which every writer (terminal, TSV, JSON, CSV, xlsx) can take.
// Small tables hold their rows; large ones make each row when it is asked
// for (the Framework's quotes of one case), or make their rows in order as
// they are read, reading the project source by source (a row per coding or
// per segment), so that writing them costs the memory of one row, or of
// one source.
type Table struct {
	// Name names the table: a sheet's name, a CSV file's stem.
	Name    string
	Columns []Column
	// Heat is the block of comparable counts (a matrix's body), which a
	// spreadsheet may shade as a heat map; nil for none.
	Heat *Block
	// Notes say, in sentences under the table, what a reader must know
	// to read its figures: why a total is not the sum of its column. The
	// terminal prints them below the table, CSV as its last rows, the
	// workbook under the sheet's rows; JSON, an array of rows, leaves
	// them out.
	Notes []string

	rows [][]Cell
	n    int
	row  func(i int, buf []Cell) []Cell
	// each, for a streamed table, calls fn with each of its n rows in
	// order; a row is valid only during the call.
	each func(fn func(row []Cell) error) error
	// pass, when not nil, makes the table's rows with other tables'.
	pass *Pass
}

// NewTable returns an empty table with the given columns.
func NewTable(name string, cols ...Column) *Table {
	return &Table{Name: name, Columns: cols}
}

// newLazyTable returns a table of n rows that makes row i with fn when it
// is asked for.
func newLazyTable(name string, cols []Column, n int, fn func(i int, buf []Cell) []Cell) *Table {
	return &Table{Name: name, Columns: cols, n: n, row: fn}
}

// newStreamTable returns a table of n rows that each makes in order, each
// time the table is read: Each and Part read it, Row may not.
func newStreamTable(name string, cols []Column, n int, each func(fn func(row []Cell) error) error) *Table {
	return &Table{Name: name, Columns: cols, n: n, each: each}
}

// Add appends a row. It panics on a lazy table or a row of the wrong length,
// both programming errors.
func (t *Table) Add(cells ...Cell) {
	if t.row != nil || t.each != nil {
		panic("report: Add on a lazy table")
	}
	if len(cells) != len(t.Columns) {
		panic("report: row of " + strconv.Itoa(len(cells)) + " cells in a table of " + strconv.Itoa(len(t.Columns)) + " columns")
	}
	t.rows = append(t.rows, cells)
}

// Len returns the number of rows.
func (t *Table) Len() int {
	if t.row != nil || t.each != nil {
		return t.n
	}
	return len(t.rows)
}

// Row returns row i. A lazy table makes it into buf's storage, so the
// result is valid only until the next call with the same buf. A streamed
// table reads the project again up to the row, so that Each is the way to
// read all of it; where that read fails, Row returns nil.
func (t *Table) Row(i int, buf []Cell) []Cell {
	if t.each != nil {
		var out []Cell
		k := 0
		err := t.each(func(row []Cell) error {
			if k == i {
				out = append(buf[:0], row...)
				return errStop
			}
			k++
			return nil
		})
		if err != nil && err != errStop {
			return nil
		}
		return out
	}
	if t.row != nil {
		return t.row(i, buf[:0])
	}
	return t.rows[i]
}

// Header returns the columns' names.
func (t *Table) Header() []string {
	h := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		h[i] = c.Name
	}
	return h
}

// Each calls fn with every row in order, stopping at the first error. A
// row is valid only during the call. A streamed table reads the project
// again: the project changed since it was counted is a qcode.ECONFLICT
// error.
func (t *Table) Each(fn func(row []Cell) error) error {
	if t.each != nil {
		n := 0
		err := t.each(func(row []Cell) error {
			n++
			return fn(row)
		})
		if err == nil && n != t.n {
			err = errChanged
		}
		return err
	}
	var buf []Cell
	for i := range t.Len() {
		row := t.Row(i, buf)
		if err := fn(row); err != nil {
			return err
		}
		buf = row
	}
	return nil
}

// Part returns the rows [lo, hi) of t as a table of their own, named name,
// for a writer that cannot hold all of t in one piece (a sheet has at most
// 1,048,576 rows).
func (t *Table) Part(name string, lo, hi int) *Table {
	lo, hi = max(lo, 0), min(hi, t.Len())
	if t.each != nil {
		return newStreamTable(name, t.Columns, max(hi-lo, 0), func(fn func(row []Cell) error) error {
			i := 0
			err := t.each(func(row []Cell) error {
				i++
				if i <= lo {
					return nil
				}
				if i > hi {
					return errStop
				}
				return fn(row)
			})
			if err == errStop {
				err = nil
			}
			return err
		})
	}
	p := newLazyTable(name, t.Columns, max(hi-lo, 0), func(i int, buf []Cell) []Cell { return t.Row(lo+i, buf) })
	if h := t.Heat; h != nil && h.Row0 < hi && h.Row1 > lo {
		p.Heat = &Block{Row0: max(h.Row0, lo) - lo, Row1: min(h.Row1, hi) - lo, Col0: h.Col0, Col1: h.Col1}
	}
	return p
}

// Shown returns the cell c of column i as people read it: c.String(), or
// the column's Blank when c is empty text.
func (t *Table) Shown(i int, c Cell) string {
	if c.Kind == Text && c.Text == "" && i < len(t.Columns) {
		return t.Columns[i].Blank
	}
	return c.String()
}

// Column returns the index of the named column, or -1.
func (t *Table) Column(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Pass is one read of the project that makes the rows of several streamed
// tables at once (the Codings and Segments sheets, in source order; the
// Framework matrix and its quotes, case by case), so that a writer that
// can take their rows side by side (the workbook, the CSV files) reads the
// project once for all of them. Each of its tables can still be read
// alone, by a pass of its own.
type Pass struct {
	tables []*Table
	each   func(fn func(t int, row []Cell) error) error
}

// newPass returns the pass that makes tables, each a streamed table, with
// each: it calls fn with every row of every table, each table's rows in
// order, tables[t]'s with t.
func newPass(tables []*Table, each func(fn func(t int, row []Cell) error) error) *Pass {
	p := &Pass{tables: tables, each: each}
	for _, t := range tables {
		t.pass = p
	}
	return p
}

// Pass returns the pass that makes t with other tables, or nil when t is
// read alone.
func (t *Table) Pass() *Pass { return t.pass }

// Tables returns the tables the pass makes.
func (p *Pass) Tables() []*Table { return p.tables }

// Each reads the project once and calls fn with every row of every table
// of the pass, each table's rows in order (t is its place in Tables), and
// stops at the first error. A row is valid only during the call. The
// project changed since it was counted is a qcode.ECONFLICT error, as it
// is for Table.Each.
func (p *Pass) Each(fn func(t int, row []Cell) error) error {
	n := make([]int, len(p.tables))
	err := p.each(func(t int, row []Cell) error {
		n[t]++
		return fn(t, row)
	})
	if err != nil {
		return err
	}
	for t, tb := range p.tables {
		if n[t] != tb.n {
			return errChanged
		}
	}
	return nil
}

// Together groups tables for a writer that can write several side by
// side: each group is one table, or the tables among them that one Pass
// makes, as indexes into tables, in the order the tables come. Read each
// group with EachOf.
func Together(tables []*Table) [][]int {
	var groups [][]int
	at := map[*Pass]int{} // each pass's group
	for i, t := range tables {
		if k, ok := at[t.pass]; ok && t.pass != nil {
			groups[k] = append(groups[k], i)
			continue
		}
		if t.pass != nil {
			at[t.pass] = len(groups)
		}
		groups = append(groups, []int{i})
	}
	return groups
}

// EachOf reads a group of tables (indexes into tables, as Together makes
// them) once and calls fn with every row of each, with the table's index,
// each table's rows in order; rows of the pass's other tables are not
// given.
func EachOf(tables []*Table, group []int, fn func(i int, row []Cell) error) error {
	if len(group) == 1 {
		i := group[0]
		return tables[i].Each(func(row []Cell) error { return fn(i, row) })
	}
	p := tables[group[0]].pass
	of := make([]int, len(p.tables)) // each of the pass's tables' index in tables, or -1
	for k, t := range p.tables {
		of[k] = -1
		for _, i := range group {
			if tables[i] == t {
				of[k] = i
			}
		}
	}
	return p.Each(func(k int, row []Cell) error {
		if of[k] < 0 {
			return nil
		}
		return fn(of[k], row)
	})
}
