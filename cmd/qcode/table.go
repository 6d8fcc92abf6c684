package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

// table prints rows as aligned columns on a terminal and as tab-separated
// values on a pipe, so that `qcode sources | cut -f1` works.
type table struct {
	out    io.Writer
	tty    bool
	header []string
	rows   [][]string
}

func newTable(out io.Writer, tty bool, header ...string) *table {
	return &table{out: out, tty: tty, header: header}
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) print() error {
	if !t.tty {
		// TSV: tabs and newlines inside cells would break the columns.
		clean := strings.NewReplacer("\t", " ", "\n", " ")
		for _, r := range append([][]string{t.header}, t.rows...) {
			for i := range r {
				r[i] = safe(clean.Replace(r[i]))
			}
			if _, err := fmt.Fprintln(t.out, strings.Join(r, "\t")); err != nil {
				return err
			}
		}
		return nil
	}
	w := tabwriter.NewWriter(t.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, strings.ToUpper(strings.Join(t.header, "\t")))
	for _, r := range t.rows {
		for i := range r {
			r[i] = truncate(safe(strings.ReplaceAll(r[i], "\n", " ")), 60)
		}
		fmt.Fprintln(w, strings.Join(r, "\t"))
	}
	return w.Flush()
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
