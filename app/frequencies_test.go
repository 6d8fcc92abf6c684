package app_test

import (
	"context"
	"fmt"
	"testing"

	"qcode"
	"qcode/app"
	"qcode/coding/report"
)

// TestFrequenciesBySource makes report freq, counted source by source, on
// sample interviews coded by the rules and by two people (whole turns, a
// source, and spans that start and end inside sentences), and checks each
// code's own codings, coded segments, sources and cases, alone and split
// by coder and origin, against a count of the codings the project lists.
func TestFrequenciesBySource(t *testing.T) {
	p, _ := sampleProject(t, 4)
	ctx := context.Background()
	if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []app.CodingOptions{
		{Segment: "P01:t3", Code: "humility", Coder: "amina"},
		{Segment: "P01:305-611", Code: "humility", Coder: "amina", Snap: true},
		{Segment: "P01:400-700", Code: "humility", Coder: "bo", Snap: true},
		{Segment: "P02:57-98", Code: "everyone_contributes", Coder: "bo", Snap: true},
		{Segment: "P03", Code: "overcrowded_system", Coder: "amina"},
	} {
		if _, err := p.AddCoding(ctx, c); err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
	}
	list, err := p.ListCodings(ctx, app.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The expected own counts, by code and split: codings, distinct
	// spans, sources and cases (each source is its own case here).
	type key struct{ code, split string }
	type want struct {
		codings int
		spans   map[string]bool
		sources map[string]bool
	}
	for _, coder := range []string{app.AllCoders, "amina", "bo", "rules"} {
		for _, split := range []string{"", "coder", "origin"} {
			expect := map[key]*want{}
			for _, c := range list.Codings {
				if coder != app.AllCoders && c.Coder != coder {
					continue
				}
				k := key{c.Code, ""}
				switch split {
				case "coder":
					k.split = c.Coder
				case "origin":
					k.split = string(c.Origin)
				}
				w := expect[k]
				if w == nil {
					w = &want{spans: map[string]bool{}, sources: map[string]bool{}}
					expect[k] = w
				}
				w.codings++
				w.spans[fmt.Sprintf("%s:%d-%d", c.Source, c.Start, c.End)] = true
				w.sources[c.Source] = true
			}
			a, got, err := p.Frequencies(ctx, coder, report.FrequencyOptions{Own: true, Split: split})
			if err != nil {
				t.Fatalf("coder %s, split %q: %v", coder, split, err)
			}
			rows := rowsOf(got)
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			seen, total := 0, 0
			for _, r := range rows[1:] {
				k := key{r[col["code"]], ""}
				if split != "" {
					k.split = r[col[split]]
				}
				w := expect[k]
				if w == nil {
					w = &want{}
				} else {
					seen++
				}
				total += w.codings
				gotOwn := r[col["codings_own"]] + " " + r[col["coded_segments_own"]] + " " + r[col["sources_own"]] + " " + r[col["cases_own"]]
				wantOwn := fmt.Sprintf("%d %d %d %d", w.codings, len(w.spans), len(w.sources), len(w.sources))
				if gotOwn != wantOwn {
					t.Errorf("coder %s, split %q, %v: own codings, segments, sources, cases %s, want %s", coder, split, k, gotOwn, wantOwn)
				}
			}
			if seen != len(expect) || total == 0 || a.CodingCount() != total {
				t.Errorf("coder %s, split %q: %d of %d codes and splits in the table, %d codings counted, %d listed", coder, split, seen, len(expect), a.CodingCount(), total)
			}
		}
	}
	if _, _, err := p.Frequencies(ctx, "nobody", report.FrequencyOptions{}); qcode.ErrorCode(err) != qcode.ENOTFOUND {
		t.Errorf("coder nobody: %v, want not found", err)
	}
}

// rowsOf returns a table's header and rows as text.
func rowsOf(t *report.Table) [][]string {
	out := [][]string{t.Header()}
	t.Each(func(row []report.Cell) error {
		r := make([]string, len(row))
		for i, c := range row {
			r[i] = c.String()
		}
		out = append(out, r)
		return nil
	})
	return out
}
