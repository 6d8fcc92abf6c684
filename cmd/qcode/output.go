package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"qcode/app"
	"qcode/codebook"
	"qcode/coding/report"
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
				r[i] = clean.Replace(r[i])
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
			r[i] = truncate(strings.ReplaceAll(r[i], "\n", " "), 60)
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

// writeJSON prints v as indented JSON.
func writeJSON(out io.Writer, v any) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// thousands formats n with thousands separators: 12,345.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// progress draws a one-line progress report on stderr when it is a terminal
// and prints nothing otherwise.
type progress struct {
	out   io.Writer
	on    bool
	shown bool
}

func (p *progress) update(format string, args ...any) {
	if !p.on {
		return
	}
	fmt.Fprintf(p.out, "\r\033[K"+format, args...)
	p.shown = true
}

// Step shows a step of an application's long work (app.Progress).
func (p *progress) Step(s app.Step) {
	switch {
	case s.Stage == app.StageImport:
		p.update("importing %d/%d %s (%s words so far)", s.N, s.Total, s.Item, thousands(s.Words))
	case s.Total > 0:
		p.update("%s %d/%d %s", s.Stage, s.N, s.Total, s.Item)
	case s.Stage == app.StageIndex:
		p.update("indexing for search")
	default:
		p.update("%s", s.Stage)
	}
}

// Done ends the report (app.Progress).
func (p *progress) Done() { p.done() }

func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.out, "\r\033[K")
		p.shown = false
	}
}

func (e *env) printf(format string, args ...any) { fmt.Fprintf(e.stdout, format, args...) }

// plural formats a count with its noun: "1 code", "29 codes".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return thousands(n) + " " + noun + "s"
}

// tableRows returns a report table's header and rows as text: on a
// terminal figures to three decimals with thousands in counts and – for a
// figure that cannot be computed, elsewhere full precision and an empty
// cell.
func tableRows(t *report.Table, tty bool) [][]string {
	rows := [][]string{t.Header()}
	t.Each(func(row []report.Cell) error {
		r := make([]string, len(row))
		for i, c := range row {
			switch {
			case t.Columns[i].Kind == report.Float:
				r[i] = figure(c.Num, c.Kind != report.Float, tty)
			case c.Kind == report.Int:
				r[i] = count(int64(c.Num), tty)
			default:
				r[i] = c.String()
			}
		}
		rows = append(rows, r)
		return nil
	})
	return rows
}

// figure formats a statistic to three decimals: for people, undefined as
// –; for programs, undefined as an empty cell and full precision.
func figure(v float64, undefined, tty bool) string {
	switch {
	case undefined && tty:
		return "–"
	case undefined:
		return ""
	case tty:
		return strconv.FormatFloat(v, 'f', 3, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// count formats a count, with thousands separators for people.
func count(n int64, tty bool) string {
	if tty {
		return thousands(int(n))
	}
	return strconv.FormatInt(n, 10)
}

// printListing prints rows, a header and one row per item, as CSV or as a
// table; a table on a terminal is followed by the count of items, each
// called noun.
func printListing(e *env, rows [][]string, asCSV bool, noun string) error {
	if asCSV {
		return writeCSV(e, rows)
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

// writeCSV writes rows as CSV, guarding cells that a spreadsheet would
// run as a formula.
func writeCSV(e *env, rows [][]string) error {
	w := csv.NewWriter(e.stdout)
	for _, r := range rows {
		for i, c := range r {
			if !isNumber(c) {
				r[i] = app.EscapeFormula(c)
			}
		}
		if err := w.Write(r); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// printReport prints a table aligned on a terminal, where codes are
// indented by their depth in the codebook in place of their path and
// numbers have thousands separators, and as TSV on a pipe.
func printReport(e *env, t *report.Table, cb *codebook.Codebook) error {
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
	cb.Walk(func(c *codebook.Code) { depths[c.ID] = c.Depth() })
	out := newTable(e.stdout, e.outTTY, header...)
	err := t.Each(func(row []report.Cell) error {
		cells := make([]string, 0, len(row))
		for i, c := range row {
			switch {
			case tidy && i == path:
				continue
			case tidy && i == code:
				cells = append(cells, strings.Repeat("  ", max(depths[c.Text], 1)-1)+c.Text)
			case e.outTTY && c.Kind == report.Int:
				cells = append(cells, thousands(int(c.Num)))
			default:
				cells = append(cells, c.String())
			}
		}
		out.add(cells...)
		return nil
	})
	if err != nil {
		return err
	}
	return out.print()
}
