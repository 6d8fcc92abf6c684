package app_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"qcode/app"
	"qcode/coding"
)

// peopleCodings lists p's codings by people as "source start-end code
// coder created", sorted.
func storedPeopleCodings(t *testing.T, p *app.Project) []string {
	t.Helper()
	l, err := p.ListCodings(context.Background(), app.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range l.Codings {
		if c.Coder == coding.RulesCoder {
			continue
		}
		out = append(out, fmt.Sprintf("%s %d-%d %s %s %s %q", c.Source, c.Start, c.End, c.Code, c.Coder, c.CreatedAt.UTC().Format(time.RFC3339), c.Memo))
	}
	slices.Sort(out)
	return out
}

// Two coders' codings leave as codings.csv and as the workbook's Codings
// sheet, and come back into a fresh project of the same sources as they
// were: span, code, coder, memo and the time each was made. The rules'
// rows are counted and left to 'qcode code'.
func TestCodingsRoundTripThroughSpreadsheets(t *testing.T) {
	ctx := context.Background()
	p, sample := sampleProject(t, 4)
	if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range sample.Coders {
		// The sample's sheets code all twelve sources; keep the rows of
		// the four imported.
		data, err := os.ReadFile(sample.Codings[c])
		if err != nil {
			t.Fatal(err)
		}
		var keep []string
		for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if i == 0 || line[:3] < "P05" {
				keep = append(keep, line)
			}
		}
		file := filepath.Join(t.TempDir(), c+".csv")
		if err := os.WriteFile(file, []byte(strings.Join(keep, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if res, err := p.ImportCodings(ctx, file, c); err != nil || res.Added == 0 {
			t.Fatalf("%s: %+v, %v", c, res, err)
		}
	}
	// A span by hand with a memo whose text a spreadsheet would take for
	// a formula.
	if _, err := p.AddCoding(ctx, app.CodingOptions{Segment: "P02:40-120", Code: "humility", Coder: "ben", Memo: "=not sure; -ask amina"}); err != nil {
		t.Fatal(err)
	}
	want := storedPeopleCodings(t, p)
	if len(want) < 20 {
		t.Fatalf("only %d codings by people to export", len(want))
	}

	out := t.TempDir()
	if _, err := p.Export(ctx, app.ExportOptions{Format: "csv", Path: filepath.Join(out, "csv")}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Export(ctx, app.ExportOptions{Format: "xlsx", Path: filepath.Join(out, "results.xlsx")}); err != nil {
		t.Fatal(err)
	}
	rules := 0
	if l, err := p.ListCodings(ctx, app.ListOptions{Coder: coding.RulesCoder}); err != nil || len(l.Codings) == 0 {
		t.Fatalf("rules codings: %v", err)
	} else {
		rules = len(l.Codings)
	}
	for _, file := range []string{filepath.Join(out, "csv", "codings.csv"), filepath.Join(out, "results.xlsx")} {
		t.Run(filepath.Ext(file), func(t *testing.T) {
			q := newProject(t, filepath.Join(t.TempDir(), "again"))
			if _, err := q.Import(ctx, app.ImportOptions{Files: sample.Files[:4]}, nil); err != nil {
				t.Fatal(err)
			}
			// --coder names only the rows without a coder: here none.
			res, err := q.ImportCodings(ctx, file, "someone-else")
			if err != nil {
				t.Fatal(err)
			}
			if res.Added != len(want) || res.Rules != rules || !slices.Equal(res.Coders, []string{"amina", "ben"}) {
				t.Errorf("imported %+v; want %d codings by amina and ben and %d rules rows skipped", res, len(want), rules)
			}
			if got := storedPeopleCodings(t, q); !slices.Equal(got, want) {
				t.Errorf("codings after the round trip:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			// Importing again changes nothing.
			if res, err := q.ImportCodings(ctx, file, ""); err != nil || res.Added != 0 || res.Existing != len(want) {
				t.Errorf("again: %+v, %v", res, err)
			}
		})
	}
}

// A quote copied from 'qcode show' across a wrapped, re-indented line
// finds its passage; the coding spans the stored text, line break and
// indentation included.
func TestImportCodingsQuoteAcrossLines(t *testing.T) {
	ctx := context.Background()
	p, _ := sampleProject(t, 1)
	src, err := p.Source(ctx, "P01")
	if err != nil {
		t.Fatal(err)
	}
	stored := "I've\n  been a consultant for, um, eleven years now?"
	i := strings.Index(src.Text, stored)
	if i < 0 {
		t.Fatalf("%q is not in P01", stored)
	}
	file := filepath.Join(t.TempDir(), "quotes.csv")
	sheet := "source,quote,code,Reference\nP01,\"I've\n      been a consultant for,  um, eleven years now?\",humility,17\n"
	if err := os.WriteFile(file, []byte(sheet), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := p.ImportCodings(ctx, file, "amina")
	if err != nil || res.Added != 1 || res.Coder != "amina" {
		t.Fatalf("%+v, %v", res, err)
	}
	l, err := p.ListCodings(ctx, app.ListOptions{Coder: "amina"})
	if err != nil || len(l.Codings) != 1 {
		t.Fatalf("%+v, %v", l, err)
	}
	c := l.Codings[0]
	start := len([]rune(src.Text[:i]))
	if c.Text != stored || c.Start != start || c.End != start+len([]rune(stored)) || c.Origin != coding.OriginImport {
		t.Errorf("coding %s %q, want %d-%d %q", c.Segment(), c.Text, start, start+len([]rune(stored)), stored)
	}
}
