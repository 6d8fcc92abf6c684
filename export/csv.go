package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

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
	cw := csv.NewWriter(w)
	// Headers can be data too: a matrix's columns are sources or values.
	header := t.Header()
	for i, h := range header {
		header[i] = EscapeFormula(h)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	var rec []string
	err := t.Each(func(row []report.Cell) error {
		rec = rec[:0]
		for i, c := range row {
			s := t.Shown(i, c)
			if c.Kind == report.Text {
				s = EscapeFormula(s)
			}
			rec = append(rec, s)
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	// Notes, such as why a total is not a sum, go last, each a row with
	// the note in its first cell, as wide as the others.
	for _, n := range t.Notes {
		rec = append(rec[:0], EscapeFormula(n))
		for len(rec) < len(header) {
			rec = append(rec, "")
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
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
	type pending struct {
		tmp  *os.File
		path string
	}
	var done []pending
	cleanup := func() {
		for _, p := range done {
			atomicfile.Remove(p.tmp)
		}
	}
	taken := map[string]bool{}
	mode := atomicfile.NewFileMode()
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
		err = WriteTableCSV(tmp, t)
		if err == nil {
			err = tmp.Chmod(mode)
		}
		if err != nil {
			cleanup()
			return nil, fmt.Errorf("cannot write %s: %w", path, err)
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
