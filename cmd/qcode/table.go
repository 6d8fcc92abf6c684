package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"

	"qcode/internal/fit"
)

// table prints rows as aligned columns on a terminal and as tab-separated
// values on a pipe, so that `qcode sources | cut -f1` works. On a terminal
// the table fits its width (see package fit), unless width is 0.
type table struct {
	out    io.Writer
	tty    bool
	width  int  // the terminal's width; 0 prints every cell whole
	keys   int  // leading columns that name the rows
	values bool // the other headers are values, as a matrix's are (fit.Table)
	header []string
	rows   [][]string
}

func newTable(out io.Writer, tty bool, header ...string) *table {
	t := &table{out: out, tty: tty, keys: 1, header: header}
	if tty {
		t.width = termWidth(out)
	}
	return t
}

// defaultWidth is the width of a terminal that does not say.
const defaultWidth = 100

// termWidth is the width of the terminal w writes to: $COLUMNS when set,
// else what the terminal says, else defaultWidth.
func termWidth(w io.Writer) int {
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	if f, ok := w.(*os.File); ok {
		if n, _, err := term.GetSize(int(f.Fd())); err == nil && n > 0 {
			return n
		}
	}
	return defaultWidth
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) print() error {
	if !t.tty {
		for _, r := range append([][]string{t.header}, t.rows...) {
			if err := writeTSV(t.out, r...); err != nil {
				return err
			}
		}
		return nil
	}
	for _, r := range t.rows {
		for i := range r {
			r[i] = safe(strings.ReplaceAll(r[i], "\n", " "))
		}
	}
	header := make([]string, len(t.header))
	for i, h := range t.header {
		header[i] = safe(h)
	}
	for _, l := range fit.Lines(fit.Table{Header: header, Rows: t.rows, Keys: t.keys, Values: t.values}, t.width) {
		if _, err := fmt.Fprintln(t.out, l); err != nil {
			return err
		}
	}
	return nil
}

func truncate(s string, n int) string { return fit.Cut(s, n) }

// tsvCell cleans a cell of a tab-separated row: tabs and newlines inside
// it would break the columns.
var tsvCell = strings.NewReplacer("\t", " ", "\n", " ")

// writeTSV writes one row of tab-separated values, as a table on a pipe
// prints it; a command that prints rows as they come (search) writes
// them one by one.
func writeTSV(w io.Writer, cells ...string) error {
	var b []byte
	if bw, ok := w.(*bufio.Writer); ok {
		b = bw.AvailableBuffer() // written in place when the line fits
	}
	for i, c := range cells {
		if i > 0 {
			b = append(b, '\t')
		}
		b = appendTSVCell(b, c)
	}
	_, err := w.Write(append(b, '\n'))
	return err
}

// appendTSVCell appends a cell as safe(tsvCell.Replace(c)) would be, in
// one pass over it when it holds nothing safe would escape, as cells
// mostly do.
func appendTSVCell(b []byte, c string) []byte {
	start, from := len(b), 0 // c[from:i] is yet to be appended
	for i := 0; i < len(c); {
		x := c[i]
		switch {
		case x >= 0x20 && x < 0x7f:
			i++
		case x == '\t' || x == '\n':
			b = append(append(b, c[from:i]...), ' ')
			i++
			from = i
		case x < utf8.RuneSelf:
			return append(b[:start], safe(tsvCell.Replace(c))...)
		default:
			r, n := utf8.DecodeRuneInString(c[i:])
			if unsafeRune(r) {
				return append(b[:start], safe(tsvCell.Replace(c))...)
			}
			i += n
		}
	}
	return append(b, c[from:]...)
}
