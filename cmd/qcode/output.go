package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"qcode/app"
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
