package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"qcode"
	"qcode/coding/report"
	"qcode/internal/atomicfile"
	"qcode/table"
)

// WriteTableCSV writes t as CSV (RFC 4180): its header, then its rows.
// Numbers are written plainly (1234, 66.7); a text a spreadsheet would take
// for a formula (starting with =, +, -, @, a tab or a carriage return) is
// escaped with a leading apostrophe, so that opening the file evaluates
// nothing.
func WriteTableCSV(w io.Writer, t *report.Table) error {
	cw := newCSVTable(w, t)
	if err := cw.head(); err != nil {
		return err
	}
	if err := t.Each(cw.row); err != nil {
		return err
	}
	return cw.tail()
}

// csvTable writes one table as CSV, a part at a time, so that the tables
// of one report.Pass are written side by side.
type csvTable struct {
	cw  *csv.Writer
	t   *report.Table
	rec []string
}

func newCSVTable(w io.Writer, t *report.Table) *csvTable {
	return &csvTable{cw: csv.NewWriter(w), t: t}
}

// head writes the header.
func (c *csvTable) head() error {
	// Headers can be data too: a matrix's columns are sources or values.
	header := c.t.Header()
	for i, h := range header {
		header[i] = EscapeFormula(h)
	}
	return c.cw.Write(header)
}

// row writes one row.
func (c *csvTable) row(row []report.Cell) error {
	c.rec = c.rec[:0]
	for i, cell := range row {
		s := c.t.Shown(i, cell)
		if cell.Kind == report.Text {
			s = EscapeFormula(s)
		}
		c.rec = append(c.rec, s)
	}
	return c.cw.Write(c.rec)
}

// tail writes the notes, each a row of its own, and flushes.
func (c *csvTable) tail() error {
	for _, n := range c.t.Notes {
		c.rec = append(c.rec[:0], EscapeFormula(n))
		for len(c.rec) < len(c.t.Columns) {
			c.rec = append(c.rec, "")
		}
		if err := c.cw.Write(c.rec); err != nil {
			return err
		}
	}
	c.cw.Flush()
	return c.cw.Error()
}

// WriteRowsCSV writes rows of text as CSV, guarding every cell that is
// not a number and that a spreadsheet would take for a formula.
func WriteRowsCSV(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	rec := []string{}
	for _, r := range rows {
		rec = rec[:0]
		for _, c := range r {
			if _, err := strconv.ParseFloat(c, 64); err != nil {
				c = EscapeFormula(c)
			}
			rec = append(rec, c)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// EscapeFormula returns s with an apostrophe in front if a spreadsheet
// would read it as a formula: if it starts with =, +, -, @, a tab or a
// carriage return.
func EscapeFormula(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// UnescapeFormula undoes EscapeFormula: it returns s without the
// apostrophe EscapeFormula put in front, and any other s as it is.
func UnescapeFormula(s string) string {
	return table.UnescapeFormula(s)
}

// FileName returns the CSV file name of a table: its name in lower case,
// with every run of other characters than letters and digits made one
// underscore: "Code x Source" gives code_x_source.csv.
func FileName(name string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 && r != '\uFFFD' {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(r)
		} else {
			under = true
		}
	}
	if b.Len() == 0 {
		b.WriteString("table")
	}
	return b.String() + ".csv"
}

// WriteCSV writes each table to a CSV file of its own in dir (see
// FileName; names that clash are numbered), making dir if its parent
// exists, and returns the files' paths. Every file is written to a
// temporary name first; only when all are written are they renamed into
// place, so a failure replaces no file.
func WriteCSV(dir string, tables []*report.Table) ([]string, error) {
	if err := makeDir(dir); err != nil {
		return nil, err
	}
	var done []pending
	cleanup := func() {
		for _, p := range done {
			atomicfile.Remove(p.tmp)
		}
	}
	taken := map[string]bool{}
	for _, t := range tables {
		name := FileName(t.Name)
		for i := 2; taken[name]; i++ {
			name = strings.TrimSuffix(FileName(t.Name), ".csv") + fmt.Sprintf("_%d.csv", i)
		}
		taken[name] = true
		path := filepath.Join(dir, name)
		tmp, err := atomicfile.CreateTemp(path)
		if err != nil {
			cleanup()
			return nil, err
		}
		done = append(done, pending{tmp, path})
	}
	// The tables of one pass are written side by side, from one read of
	// the project, and the groups so made on every processor at once.
	groups := report.Together(tables)
	mode := atomicfile.NewFileMode()
	errs := make([]error, len(groups))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for g, group := range groups {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := writeCSVGroup(tables, group, done); err != nil {
				errs[g] = fmt.Errorf("cannot write %s: %w", done[group[0]].path, err)
				return
			}
			for _, k := range group {
				if err := done[k].tmp.Chmod(mode); err != nil {
					errs[g] = fmt.Errorf("cannot write %s: %w", done[k].path, err)
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			cleanup()
			return nil, err
		}
	}
	// A name already taken by a folder would stop the renames half way.
	for _, p := range done {
		if st, err := os.Stat(p.path); err == nil && st.IsDir() {
			cleanup()
			return nil, qcode.Errorf(qcode.EINVALID, "cannot write %s: a folder of that name is in the way", p.path)
		}
	}
	var paths []string
	for i, p := range done {
		if err := atomicfile.Rename(p.tmp, p.path); err != nil {
			done = done[i+1:]
			cleanup()
			return nil, err
		}
		paths = append(paths, p.path)
	}
	return paths, nil
}

// pending is a CSV file written to a temporary name, to be renamed into
// place.
type pending struct {
	tmp  *os.File
	path string
}

// writeCSVGroup writes the tables group names (places in tables and
// files): one table, or the tables of one pass, from that pass.
func writeCSVGroup(tables []*report.Table, group []int, files []pending) error {
	out := map[int]*csvTable{}
	for _, i := range group {
		out[i] = newCSVTable(files[i].tmp, tables[i])
		if err := out[i].head(); err != nil {
			return err
		}
	}
	if err := report.EachOf(tables, group, func(i int, row []report.Cell) error { return out[i].row(row) }); err != nil {
		return err
	}
	for _, i := range group {
		if err := out[i].tail(); err != nil {
			return err
		}
	}
	return nil
}

// CheckCSVFolder reports a dir that cannot take the CSV files: a file, or
// a folder yet to be made whose parent is missing (see CheckFolder).
func CheckCSVFolder(dir string) error {
	_, err := csvFolder(dir)
	return err
}

// csvFolder checks dir as CheckCSVFolder does, and says whether it is a
// folder already.
func csvFolder(dir string) (exists bool, err error) {
	st, err := os.Stat(dir)
	if err != nil {
		return false, CheckFolder(filepath.Clean(dir))
	}
	if !st.IsDir() {
		return false, qcode.Errorf(qcode.EINVALID, "%s is a file; name a folder for the CSV files", dir)
	}
	return true, nil
}

// makeDir makes dir unless it exists; its parent must exist.
func makeDir(dir string) error {
	exists, err := csvFolder(dir)
	if exists || err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return qcode.Errorf(qcode.EINVALID, "cannot make %s: %v", dir, err)
	}
	return nil
}
