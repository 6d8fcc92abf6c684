package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"qcode/app"
	"qcode/codebook"
	"qcode/coding/report"
)

// writeJSON prints v as indented JSON.
func writeJSON(out io.Writer, v any) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func (p *progress) update(format string, args ...any) {
	if !p.on {
		return
	}
	fmt.Fprintf(p.out, "\r\033[K"+format, args...)
	p.shown = true
}

func (e *env) printf(format string, args ...any) { fmt.Fprintf(e.stdout, format, args...) }

// plural formats a count with its noun: "1 code", "29 codes".
func plural(n int, noun string) string { return app.Plural(n, noun) }

// printListing prints rows, a header and one row per item, as CSV or as a
// table; a table on a terminal is followed by the count of items, each
// called noun.
func printListing(e *env, rows [][]string, asCSV bool, noun string) error {
	if asCSV {
		return app.WriteRowsCSV(e.stdout, rows)
	}
	if err := printRows(e, e.outTTY, rows); err != nil {
		return err
	}
	if e.outTTY {
		e.printf("%s\n", plural(len(rows)-1, noun))
	}
	return nil
}

// printRows prints rows as a table, the first row its header.
func printRows(e *env, tty bool, rows [][]string) error {
	t := newTable(e.stdout, tty, rows[0]...)
	for _, r := range rows[1:] {
		t.add(r...)
	}
	return t.print()
}

// printReport prints a table aligned on a terminal, where codes are
// indented by their depth in the codebook in place of their path and
// numbers have thousands separators, fitting the terminal unless wide, and
// as TSV on a pipe. A matrix's headers are values (sources, codes).
func printReport(e *env, t *report.Table, cb *codebook.Codebook, matrix, wide bool) error {
	code, path := t.Column("code"), t.Column("path")
	tidy := e.outTTY && code >= 0 && path >= 0
	var header []string
	for i, h := range t.Header() {
		if tidy && i == path {
			continue
		}
		header = append(header, h)
	}
	depths := map[string]int{}
	if cb != nil {
		cb.Walk(func(c *codebook.Code) { depths[c.ID] = c.Depth() })
	}
	out := newTable(e.stdout, e.outTTY, header...)
	out.values = matrix
	if wide {
		out.width = 0
	}
	err := t.Each(func(row []report.Cell) error {
		cells := make([]string, 0, len(row))
		for i, c := range row {
			switch {
			case tidy && i == path:
				continue
			case tidy && i == code:
				cells = append(cells, strings.Repeat("  ", max(depths[c.Text], 1)-1)+c.Text)
			case e.outTTY && c.Kind == report.Int:
				cells = append(cells, report.Thousands(int(c.Num)))
			default:
				cells = append(cells, t.Shown(i, c))
			}
		}
		out.add(cells...)
		return nil
	})
	if err != nil {
		return err
	}
	if err := out.print(); err != nil {
		return err
	}
	// A pipe has the rows alone, for programs; a terminal has the notes,
	// in lines as wide as it (whole with --wide).
	if e.outTTY {
		width := termWidth(e.stdout)
		if wide {
			width = 0
		}
		for _, n := range t.Notes {
			e.printf("%s\n", wrapWords(n, width))
		}
	}
	return nil
}

// wrapWords breaks s into lines of at most width characters at its
// spaces (a longer word keeps a line of its own); width 0 keeps one line.
func wrapWords(s string, width int) string {
	if width <= 0 {
		return s
	}
	var b strings.Builder
	n := 0
	for i, w := range strings.Fields(s) {
		l := utf8.RuneCountInString(w)
		switch {
		case i == 0:
		case n+1+l > width:
			b.WriteByte('\n')
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += l
	}
	return b.String()
}
