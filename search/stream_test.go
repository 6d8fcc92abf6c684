package search

import (
	"context"
	"errors"
	"iter"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
	"qcode/project"
)

// TestStreamSameHits checks, over random rules on the sample interviews,
// by sentence and by turn, with every negation mode, widths and limits,
// that the three ways of taking a search's hits agree: all of them in
// Result.Hits, streamed one at a time (Request.Stream), and streamed
// without their matches (NoMatches); and that every hit's context is what
// the search cut before the turns' texts were in the index: cut from the
// turn's text as the store holds it, around the first of the hit's
// matches, put on one line by strings.Fields.
func TestStreamSameHits(t *testing.T) {
	p := sampleProject(t)
	e := newEngine(t, p)
	g := newRuleGen(t, p, 11)
	turns := storeTurns(t, p)
	defer func(run, par int) { showRun, parallelShow = run, par }(showRun, parallelShow)
	modes := []codebook.NegationMode{codebook.NegationSkip, codebook.NegationKeep, codebook.NegationOnly}
	n, many := 60, 0
	if testing.Short() {
		n = 20
	}
	for i := range n {
		req := Request{Query: g.rule(), Negation: modes[i%3], Width: []int{40, 0, 7, 60}[i%4]}
		if i%10 == 0 {
			req.Query = "humil* OR learn* OR team" // hundreds of hits
		}
		if i%3 == 2 {
			req.Unit = coding.UnitTurn
		}
		if i%7 == 3 {
			req.Limit = 5
		}
		if i%11 == 5 {
			req.Sort = "relevance"
		}
		req.Facets = []string{"speaker"}
		// The hits made one after another, in one goroutine, are the
		// reference; every other search streams them made on several
		// cores, in runs of a few hits, however few they are.
		showRun, parallelShow = 256, 1<<30
		want := mustSearch(t, e, req)
		if len(want.Hits) > 100 {
			many++
		}
		if req.Sort == "" {
			for k := 1; k < len(want.Hits); k++ {
				a, b := want.Hits[k-1], want.Hits[k]
				if a.Source > b.Source || a.Source == b.Source && a.Start >= b.Start {
					t.Fatalf("%q: %s before %s, out of the document's order", req.Query, a.Segment, b.Segment)
				}
			}
		}
		if i%2 == 1 {
			showRun, parallelShow = 1+i%5, 1
		}
		got := streamed(t, e, req)
		if !reflect.DeepEqual(got.Hits, want.Hits) {
			t.Fatalf("%q: streamed %d hits, not the %d hits of the result: %s", req.Query, len(got.Hits), len(want.Hits), firstDiff(got.Hits, want.Hits))
		}
		got.Hits, want.all, got.all, want.Index, got.Index = want.Hits, nil, nil, nil, nil
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: streamed result %+v, want %+v", req.Query, got, want)
		}
		req.NoMatches = true
		bare := streamed(t, e, req)
		for k := range want.Hits {
			h := want.Hits[k]
			h.Matches = []coding.RuleMatch{}
			if k >= len(bare.Hits) || !reflect.DeepEqual(bare.Hits[k], h) {
				t.Fatalf("%q: hit %d without matches %+v, want %+v", req.Query, k, bare.Hits[k], h)
			}
		}
		for _, h := range want.Hits {
			left, match, right := oldContext(t, turns, h, req.Width)
			if h.Left != left || h.Match != match || h.Right != right {
				t.Errorf("%q: %s: context %q [%q] %q, cut from the store's turn %q [%q] %q", req.Query, h.Segment, h.Left, h.Match, h.Right, left, match, right)
			}
		}
	}
	if many < 3 {
		t.Errorf("only %d searches had more than 100 hits; too few to try the runs", many)
	}
}

// streamed searches with req.Stream and returns the result with the hits
// streamed in Hits.
func streamed(t *testing.T, e *Engine, req Request) *Result {
	t.Helper()
	res, _ := streamedAt(t, e, req)
	return res
}

// streamedAt is streamed that also returns the result's total as Stream
// was given it, before the loop over the hits.
func streamedAt(t *testing.T, e *Engine, req Request) (*Result, int) {
	t.Helper()
	m, err := searchMatcher()
	if err != nil {
		t.Fatal(err)
	}
	req.Rules = m.Queries()
	var got []Hit
	var given *Result
	atStart := -1
	req.Stream = func(res *Result, hits iter.Seq2[Hit, error]) error {
		given, atStart = res, res.Total
		for h, err := range hits {
			if err != nil {
				return err
			}
			got = append(got, h)
		}
		return nil
	}
	res, err := e.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res != given || len(res.Hits) != 0 {
		t.Fatalf("%q: Search returned another result than it streamed, or with hits", req.Query)
	}
	res.Hits = got
	if got == nil {
		res.Hits = []Hit{}
	}
	return res, atStart
}

func firstDiff(got, want []Hit) string {
	for i := range min(len(got), len(want)) {
		if !reflect.DeepEqual(got[i], want[i]) {
			return "first at " + got[i].Segment + " / " + want[i].Segment
		}
	}
	return "one is longer"
}

// storeTurn is a turn as the store holds it.
type storeTurn struct {
	start, end int // characters
	text       string
}

func storeTurns(t *testing.T, p *project.Project) map[string][]storeTurn {
	ctx := context.Background()
	infos, err := p.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]storeTurn{}
	for _, info := range infos {
		src, err := p.Source(ctx, info.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, tn := range src.Turns {
			out[info.Name] = append(out[info.Name], storeTurn{tn.Start, tn.End, tn.Text})
		}
	}
	return out
}

// oldContext cuts a hit's context as the search did when it read the
// turns' texts from the store: from the hit's turn, around its first
// match (or its whole segment), put on one line by strings.Fields.
func oldContext(t *testing.T, turns map[string][]storeTurn, h Hit, width int) (left, match, right string) {
	t.Helper()
	var turn *storeTurn
	for i, tn := range turns[h.Source] {
		if tn.start <= h.Start && h.End <= tn.end {
			turn = &turns[h.Source][i]
		}
	}
	if turn == nil {
		t.Fatalf("%s is in no turn of the store", h.Segment)
	}
	byteOf := func(char int) int {
		n := turn.start
		for i := range turn.text {
			if n == char {
				return i
			}
			n++
		}
		return len(turn.text)
	}
	ms, me := byteOf(h.Start), byteOf(h.End)
	if len(h.Matches) > 0 && len(h.Matches[0].Tokens) > 0 {
		toks := h.Matches[0].Tokens
		ms, me = byteOf(toks[0].Start), byteOf(toks[len(toks)-1].End)
	}
	line := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	return line(oldLeft(turn.text[:ms], width)), line(turn.text[ms:me]), line(oldRight(turn.text[me:], width))
}

// oldLeft and oldRight are leftContext and rightContext as they were,
// rune by rune.
func oldLeft(s string, width int) string {
	if width <= 0 {
		return ""
	}
	i, n := len(s), 0
	for i > 0 && n < width {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
		n++
	}
	if i > 0 {
		if j := strings.IndexAny(s[i:], " \n\t"); j >= 0 && !isSpaceByte(s[i-1]) {
			i += j
		}
	}
	return strings.TrimLeft(s[i:], " \n\t")
}

func oldRight(s string, width int) string {
	if width <= 0 {
		return ""
	}
	i, n := 0, 0
	for i < len(s) && n < width {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	if i < len(s) && !isSpaceByte(s[i]) {
		if j := strings.LastIndexAny(s[:i], " \n\t"); j >= 0 {
			i = j
		}
	}
	return strings.TrimRight(s[:i], " \n\t")
}

// The context is cut as it was on any text, valid UTF-8 or not.
func FuzzContext(f *testing.F) {
	f.Add("Well —\n  we learnt humility, you know, on the ward", 12)
	f.Add("zoë’s débrief\xff helped", 3)
	f.Fuzz(func(t *testing.T, s string, width int) {
		width %= 100
		if got, want := leftContext(s, width), oldLeft(s, width); got != want {
			t.Errorf("leftContext(%q, %d) = %q, want %q", s, width, got, want)
		}
		if got, want := rightContext(s, width), oldRight(s, width); got != want {
			t.Errorf("rightContext(%q, %d) = %q, want %q", s, width, got, want)
		}
		for char := range 5 {
			want := 0
			for n := 0; want < len(s) && n < char; n++ {
				_, size := utf8.DecodeRuneInString(s[want:])
				want += size
			}
			if got := byteAt(s, 0, 0, char); got != want {
				t.Errorf("byteAt(%q, %d) = %d, want %d", s, char, got, want)
			}
		}
	})
}

// A loop that stops early, or a Stream that fails, ends the search with
// the hits' makers stopped: nothing is made after, and the error is the
// Stream's; hits streamed as found (AsFound) too, whose totals are all
// counted once every hit is taken.
func TestStreamStops(t *testing.T) {
	p := sampleProject(t)
	e := newEngine(t, p)
	m, err := searchMatcher()
	if err != nil {
		t.Fatal(err)
	}
	defer func(run, par int) { showRun, parallelShow = run, par }(showRun, parallelShow)
	showRun, parallelShow = 4, 1
	all := mustSearch(t, e, Request{Query: "humil* OR learn* OR team"})
	if len(all.Hits) < 100 {
		t.Fatalf("%d hits; the test wants many", len(all.Hits))
	}
	for _, asFound := range []bool{false, true} {
		for _, stop := range []int{0, 1, 5, 37, len(all.Hits) - 1, len(all.Hits)} {
			var got []Hit
			res, err := e.Search(context.Background(), Request{Query: "humil* OR learn* OR team", Rules: m.Queries(), AsFound: asFound,
				Stream: func(res *Result, hits iter.Seq2[Hit, error]) error {
					for h, err := range hits {
						if err != nil {
							return err
						}
						if len(got) == stop {
							break
						}
						got = append(got, h)
					}
					return nil
				}})
			if err != nil || len(got) != stop || (stop > 0 && !reflect.DeepEqual(got, all.Hits[:stop])) {
				t.Errorf("as found %v, stopped after %d: %d hits, %v", asFound, stop, len(got), err)
			}
			if (!asFound || stop == len(all.Hits)) && (res.Total != all.Total || !reflect.DeepEqual(res.BySource, all.BySource)) {
				t.Errorf("as found %v, stopped after %d: total %d by source %v, want %d %v", asFound, stop, res.Total, res.BySource, all.Total, all.BySource)
			}
		}
		bad := errors.New("the pipe is closed")
		_, err = e.Search(context.Background(), Request{Query: "humil* OR learn* OR team", Rules: m.Queries(), AsFound: asFound,
			Stream: func(*Result, iter.Seq2[Hit, error]) error { return bad }})
		if !errors.Is(err, bad) {
			t.Errorf("as found %v, a Stream's error: %v", asFound, err)
		}
	}
}

// oneLine puts text on one line exactly as strings.Fields and Join do.
func TestOneLine(t *testing.T) {
	for _, s := range []string{"", " ", "a", " a ", "a  b", "a\n  b\tc", "\u00a0a\u2028b\u0085", "é  ü", "a\xffb  c", "\t\n", "well —\n  no"} {
		if got, want := oneLine(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzOneLine(f *testing.F) {
	for _, s := range []string{"a  b", "a\n  b", " x\u00a0y ", "\xff \xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, want := oneLine(s), strings.Join(strings.Fields(s), " ")
		if got != want {
			t.Errorf("oneLine(%q) = %q, want %q", s, got, want)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Errorf("oneLine(%q) = %q is not UTF-8", s, got)
		}
	})
}

// TestStreamAsFound checks, over random rules on the sample interviews,
// that hits streamed as they are decided (Request.AsFound) are the hits of
// the result, in its order, and that once the loop has ended the result
// counts what the result counts: with interviewers left out or not, filters
// on speakers, sources and attributes, by sentence and by turn, in runs of a few
// candidates or of many. Stream is called once a hit is found (a total of
// one or more), or with none; a search that needs every hit first (facets)
// is streamed as before, with its counts at the start.
func TestStreamAsFound(t *testing.T) {
	p := sampleProject(t)
	e := newEngine(t, p)
	attrs, err := corpus.ReadAttributes("cases.csv", mustSample(t, "cases.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.SetAttributes(context.Background(), attrs); err != nil {
		t.Fatal(err)
	}
	g := newRuleGen(t, p, 17)
	defer func(run int) { showRun = run }(showRun)
	n, many, none := 60, 0, 0
	if testing.Short() {
		n = 20
	}
	for i := range n {
		req := Request{Query: g.rule(), Width: 30, SkipInterviewers: i%2 == 0, NoMatches: i%3 == 1}
		switch {
		case i%10 == 0:
			req.Query = "humil* OR learn* OR team" // hundreds of hits
		case i%10 == 5:
			req.Query = "zzyzx OR qwertyuiop" // none
		}
		if i%3 == 2 {
			req.Unit = coding.UnitTurn
		}
		if i%4 == 1 {
			req.Speakers = []string{"participant"}
		}
		if i%5 == 3 {
			req.Sources = []string{"P02", "P04", "P01"}
		}
		if i%7 == 2 {
			req.Attrs = map[string][]string{"role": {"NHS"}}
		}
		if i%9 == 4 {
			req.Facets = []string{"speaker"} // needs every hit first
		}
		showRun = 256
		want := mustSearch(t, e, req)
		if len(want.Hits) > 100 {
			many++
		}
		if want.Total == 0 {
			none++
		}
		showRun = []int{256, 1, 3, 7}[i%4]
		req.AsFound = true
		res, atStart := streamedAt(t, e, req)
		if atStart < 0 || atStart == 0 && want.Total > 0 {
			t.Fatalf("%q: %d hits to find; Stream given a total of %d", req.Query, want.Total, atStart)
		}
		got := res.Hits
		if !reflect.DeepEqual(got, want.Hits) {
			t.Fatalf("%q: streamed %d hits as found, not the %d hits of the result: %s", req.Query, len(got), len(want.Hits), firstDiff(got, want.Hits))
		}
		if req.Facets != nil && atStart != want.Total {
			t.Errorf("%q with facets: Stream saw a total of %d at the start, want %d", req.Query, atStart, want.Total)
		}
		if req.Facets == nil && len(res.Refs()) != 0 {
			t.Errorf("%q: streamed as found, yet Refs has %d hits", req.Query, len(res.Refs()))
		}
		res.Hits, want.all, res.all, want.sources, res.sources, want.Index, res.Index = want.Hits, nil, nil, nil, nil, nil, nil
		if !reflect.DeepEqual(res, want) {
			t.Errorf("%q: streamed as found, the result is %+v, want %+v", req.Query, res, want)
		}
	}
	if many < 3 || none < 3 {
		t.Errorf("%d searches had more than 100 hits and %d none; too few to try the runs", many, none)
	}
}
