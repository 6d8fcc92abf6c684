package project

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"qcode/exchange"
)

// mergeCodingsInput is a merge of three new texts, given out of their
// names' order, and a fourth, "again", whose text the project holds as
// P03; each has a person's codings.
func mergeCodingsInput(tb testing.TB) MergeInput {
	tb.Helper()
	in := mergeInputOf(tb, false,
		"zeta", "Interviewer: Where next?\n\nAmaka: Home, for a while. Then we will see.\n",
		"beta", "A paragraph with no speaker. It has two sentences.\n\nA second paragraph.\n",
		"again", p03,
		"alpha", "Interviewer: Why nursing?\n\nAmaka: My aunt was a nurse. I saw her work.\n")
	at := time.Date(2025, 4, 2, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		source     string
		start, end int
		code       string
	}{
		{"zeta", 0, 11, "debrief"}, {"beta", 2, 11, "support"}, {"again", 0, 9, "support"},
		{"alpha", 13, 25, "debrief"}, {"zeta", 26, 30, "support"}, {"beta", 0, 9, "debrief"},
		{"alpha", 0, 5, "support"}, {"again", 4, 20, "debrief"},
	} {
		in.Codings = append(in.Codings, exchange.Coding{Source: c.source, Start: c.start, End: c.end,
			Code: c.code, Coder: "amina", CreatedAt: at})
	}
	return in
}

// A merge writes each source's codings as soon as the project holds the
// source, beside the search index taking in the sources, yet what it
// writes is as it was when every coding waited for every source: the
// codings, and the audit lines made from them, are in the order of the
// project's sources' names, each source's in the order given; and the
// sources are all handed to Written before AllWritten, itself before
// Ready.
func TestMergeWritesCodingsBySource(t *testing.T) {
	ctx := context.Background()
	p := mustP03(t)
	in := mergeCodingsInput(t)
	var calls []string
	in.Written = func(s *WrittenSource) error {
		calls = append(calls, "written "+s.doc.Name)
		return nil
	}
	in.AllWritten = func() { calls = append(calls, "all written") }
	in.Ready = func() error { calls = append(calls, "ready"); return nil }
	res, err := p.Merge(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"written zeta", "written beta", "written alpha", "all written", "ready"}; !slices.Equal(calls, want) {
		t.Errorf("calls %q, want %q", calls, want)
	}
	if res.CodingsAdded != 8 || len(res.SourcesAdded) != 3 || len(res.SourcesMatched) != 1 || res.SourcesMatched[0].As != "P03" {
		t.Errorf("result %+v", res)
	}
	var got []string
	err = p.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT s.name, c.start, c.end, c.code FROM codings c JOIN sources s ON s.id = c.source_id ORDER BY c.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var name, code string
			var start, end int
			if err := rows.Scan(&name, &start, &end, &code); err != nil {
				return err
			}
			got = append(got, fmt.Sprintf("%s %d-%d %s", name, start, end, code))
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"P03 0-9 support", "P03 4-20 debrief", "alpha 13-25 debrief", "alpha 0-5 support",
		"beta 2-11 support", "beta 0-9 debrief", "zeta 0-11 debrief", "zeta 26-30 support"}
	if !slices.Equal(got, want) {
		t.Errorf("codings in the order\n%q\nwant\n%q", got, want)
	}
	log, err := p.Log(ctx, LogFilter{What: "coding"})
	if err != nil {
		t.Fatal(err)
	}
	var logged []string
	for _, e := range slices.Backward(log) { // Log gives the newest first
		logged = append(logged, fmt.Sprintf("%s %d-%d %s", e.Source, *e.Start, *e.End, e.Code))
	}
	if !slices.Equal(logged, want) {
		t.Errorf("log in the order\n%q\nwant\n%q", logged, want)
	}
}

// A coding the merge cannot place fails it whole, wherever it comes among
// the codings written as their sources are: nothing of the merge stays.
func TestMergeRefusesCodingsItCannotPlace(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		bad  exchange.Coding
		want string
	}{
		{"no such source", exchange.Coding{Source: "gamma", Start: 0, End: 4}, "names source gamma, which it does not hold"},
		{"outside the last source", exchange.Coding{Source: "zeta", Start: 60, End: 900}, "at 60-900 in zeta lies outside its text"},
		{"outside the first source", exchange.Coding{Source: "again", Start: 0, End: 90000}, "in again lies outside its text"},
		{"empty span", exchange.Coding{Source: "beta", Start: 5, End: 5}, "at 5-5 in beta lies outside its text"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := mustP03(t)
			_, digest, err := p.SourceStamps(ctx)
			if err != nil {
				t.Fatal(err)
			}
			in := mergeCodingsInput(t)
			c.bad.Code, c.bad.Coder = "debrief", "amina"
			in.Codings = append(in.Codings, c.bad)
			written := 0
			in.Written = func(*WrittenSource) error { written++; return nil }
			in.Ready = func() error { t.Error("Ready called on a merge that failed"); return nil }
			_, err = p.Merge(ctx, in)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("merge: %v, want an error saying %q", err, c.want)
			}
			if _, again, err := p.SourceStamps(ctx); err != nil || again != digest {
				t.Errorf("the store's sources changed (%v)", err)
			}
			if cs := mustCodings(t, p, CodingFilter{}); len(cs) != 0 {
				t.Errorf("%d codings stayed", len(cs))
			}
			if log, err := p.Log(ctx, LogFilter{What: "coding"}); err != nil || len(log) != 0 {
				t.Errorf("%d audit lines stayed (%v)", len(log), err)
			}
		})
	}
}

// The audit lines of a merge's codings are written a batch of codings at
// a time, as they are: still one line for each coding, in the codings'
// order, all at one time, over many batches.
func TestMergeAuditsEveryCodingOnce(t *testing.T) {
	ctx := context.Background()
	p := mustP03(t)
	in := mergeCodingsInput(t)
	for _, s := range in.Sources {
		for k := 0; k+2 < len([]rune(s.Text)); k++ {
			for _, code := range []string{"debrief", "support"} {
				in.Codings = append(in.Codings, exchange.Coding{Source: s.Name, Start: k, End: k + 2, Code: code, Coder: "tomas"})
			}
		}
	}
	if len(in.Codings) < 3*256 {
		t.Fatalf("only %d codings: too few for several batches", len(in.Codings))
	}
	res, err := p.Merge(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if res.CodingsAdded != len(in.Codings) {
		t.Errorf("%d codings added, want %d", res.CodingsAdded, len(in.Codings))
	}
	log, err := p.Log(ctx, LogFilter{What: "coding"})
	if err != nil {
		t.Fatal(err)
	}
	// The codings' order: by the project's source, each's as given.
	want := slices.Clone(in.Codings)
	slices.SortStableFunc(want, func(a, b exchange.Coding) int {
		name := func(s string) string {
			if s == "again" {
				return "P03"
			}
			return s
		}
		return strings.Compare(name(a.Source), name(b.Source))
	})
	if len(log) != len(want) {
		t.Fatalf("%d audit lines for %d codings merged", len(log), len(want))
	}
	for i, e := range slices.Backward(log) { // Log gives the newest first
		c := want[len(want)-1-i]
		if c.Source == "again" {
			c.Source = "P03"
		}
		if e.Action != "add" || e.Source != c.Source || *e.Start != c.Start || *e.End != c.End || e.Code != c.Code || e.Coder != c.Coder {
			t.Fatalf("audit line %d: %s %s %s %d-%d %s, for the coding %+v", len(want)-1-i, e.Action, e.Coder, e.Source, *e.Start, *e.End, e.Code, c)
		}
		if !e.At.Equal(log[0].At) {
			t.Fatalf("audit line %d at %v, another at %v", i, e.At, log[0].At)
		}
	}
}
