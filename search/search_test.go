package search

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
	"qcode/internal/sample"
	"qcode/project"
)

// The project's store is the search engine's.
var _ Store = (*project.Project)(nil)

// mustOpen returns a new project in a temporary folder, open for writing.
func mustOpen(tb testing.TB) *project.Project {
	tb.Helper()
	p, err := project.Init(context.Background(), tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { p.Close() })
	return p
}

// newEngine returns an engine for a project's index, closed when the test
// ends.
func newEngine(tb testing.TB, p *project.Project) *Engine {
	e := NewEngine(p.IndexPath(), p)
	tb.Cleanup(func() { e.Close() })
	return e
}

// importFile imports data, read as the file path, into p.
func importFile(ctx context.Context, p *project.Project, path string, data []byte, replace bool) error {
	docs, err := corpus.Read(corpus.Input{Path: path, Data: data}, "")
	if err == nil {
		_, err = p.Import(ctx, docs, replace)
	}
	return err
}

// mustImport imports text, read as the file path, into p.
func mustImport(tb testing.TB, p *project.Project, path, text string, replace bool) {
	tb.Helper()
	if err := importFile(context.Background(), p, path, []byte(text), replace); err != nil {
		tb.Fatal(err)
	}
}

// p03 returns a short interview whose every hit is known.
func p03(tb testing.TB) string {
	data, err := os.ReadFile(filepath.Join("testdata", "P03.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	return string(data)
}

// mustP03 returns a project of the one interview of p03.
func mustP03(tb testing.TB) *project.Project {
	tb.Helper()
	p := mustOpen(tb)
	mustImport(tb, p, "P03.txt", p03(tb), false)
	return p
}

func mustCodings(tb testing.TB, p *project.Project, f project.CodingFilter) []coding.Coding {
	tb.Helper()
	cs, err := p.Codings(context.Background(), f)
	if err != nil {
		tb.Fatal(err)
	}
	return cs
}

// sampleProject imports the twelve sample interviews into a new project.
func sampleProject(tb testing.TB) *project.Project {
	tb.Helper()
	p := mustOpen(tb)
	sample := sample.FS()
	names, err := fs.Glob(sample, "P*")
	if err != nil || len(names) != 12 {
		tb.Fatalf("sample interviews: %v, %v", names, err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(sample, name)
		if err != nil {
			tb.Fatal(err)
		}
		mustImport(tb, p, name, string(data), false)
	}
	return p
}

// ruleGen makes random rules from a corpus's words.
type ruleGen struct {
	r      *rand.Rand
	words  []string   // distinct words, lower case
	bigram [][]string // pairs of words that follow each other in a sentence
}

func newRuleGen(tb testing.TB, p *project.Project, seed uint64) *ruleGen {
	g := &ruleGen{r: rand.New(rand.NewPCG(seed, 1))}
	seen := map[string]bool{}
	err := p.EachSentence(context.Background(), func(s project.SentenceRow) error {
		var prev string
		for _, w := range strings.FieldsFunc(s.Text, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' }) {
			w = strings.Trim(strings.ToLower(w), "'’")
			if len(w) < 3 {
				prev = ""
				continue
			}
			if !seen[w] {
				seen[w] = true
				g.words = append(g.words, w)
			}
			if prev != "" && !strings.ContainsAny(prev+w, "'’") {
				g.bigram = append(g.bigram, []string{prev, w})
			}
			prev = w
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	slices.Sort(g.words)
	return g
}

// atom returns a word, prefix, wildcard or phrase.
func (g *ruleGen) atom() string {
	w := g.words[g.r.IntN(len(g.words))]
	switch g.r.IntN(5) {
	case 0:
		return w
	case 1:
		return w[:min(len(w), 3+g.r.IntN(3))] + "*"
	case 2:
		i := g.r.IntN(len(w))
		if !isASCIILetter(w[i]) {
			return w
		}
		return w[:i] + "?" + w[i+1:]
	case 3:
		b := g.bigram[g.r.IntN(len(g.bigram))]
		return `"` + b[0] + " " + b[1] + `"`
	}
	// A common word, so that compound rules find something.
	common := []string{"learn*", "team", "debrief*", "we", "they", "partner*", "staff", "nhs", "risk*", "humil*", "teach*", "uganda", "back", "train*"}
	return common[g.r.IntN(len(common))]
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' }

// rule returns a random rule of one to three atoms.
func (g *ruleGen) rule() string {
	a, b, c := g.atom(), g.atom(), g.atom()
	n := 1 + g.r.IntN(8)
	switch g.r.IntN(9) {
	case 0:
		return a
	case 1:
		return fmt.Sprintf("%s NEAR/%d %s", a, n, b)
	case 2:
		return fmt.Sprintf("%s BEFORE/%d %s", a, n, b)
	case 3:
		return a + " AND " + b
	case 4:
		return a + " OR " + b
	case 5:
		return a + " NOT " + b
	case 6:
		return fmt.Sprintf("(%s OR %s) NEAR/%d %s", a, b, n, c)
	case 7:
		return a + " AND " + b + " NOT " + c
	}
	return a + " " + b + " " + c
}

// TestSearchIsCoding is the property that makes search trustworthy: over
// hundreds of random rules, every negation mode, by sentence and by turn,
// and in both match modes, `search` finds exactly the segments that `code`
// codes with the same rule.
func TestSearchIsCoding(t *testing.T) {
	ctx := context.Background()
	p := sampleProject(t)
	e := newEngine(t, p)
	g := newRuleGen(t, p, 7)
	n := 120
	if testing.Short() {
		n = 30
	}
	modes := []codebook.NegationMode{codebook.NegationSkip, codebook.NegationKeep, codebook.NegationOnly}
	found := 0
	defer func(n int) { parallelCandidates = n }(parallelCandidates)
	for i := range n {
		// Every other search is decided on several cores, however few
		// its candidates.
		parallelCandidates = 1 + 1000*(i%2)
		rule := g.rule()
		mode := modes[i%3]
		unit := coding.UnitSentence
		if i%4 == 3 {
			unit = coding.UnitTurn
		}
		cb := &codebook.Codebook{Name: "t", Codes: []*codebook.Code{{ID: "q", Name: "q", Rule: rule, Negation: mode}}}
		if i%5 == 4 {
			cb.Match = codebook.MatchStem
		}
		m, err := codebook.NewMatcher(cb)
		if err != nil {
			t.Fatalf("rule %q: %v", rule, err)
		}
		if _, err := p.CodeRules(ctx, project.RulesRun{Unit: unit, Interviewer: true}, coding.NewApplier(m, "h", time.Now())); err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, c := range mustCodings(t, p, project.CodingFilter{Coder: coding.RulesCoder}) {
			want = append(want, c.Segment())
		}
		res, err := e.Search(ctx, Request{Query: rule, Rules: m.Queries(), Negation: mode, Unit: unit})
		if err != nil {
			t.Fatalf("search %q: %v", rule, err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.Segment)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("rule %q (negation %s, by %s, match %q): search found %d segments, code coded %d\nsearch only: %v\ncode only: %v",
				rule, mode, unit, cb.Match, len(got), len(want), minus(got, want), minus(want, got))
		}
		if res.Total != len(got) || res.Candidates < res.Total {
			t.Errorf("rule %q: total %d, %d hits, %d candidates", rule, res.Total, len(got), res.Candidates)
		}
		if len(want) > 0 {
			found++
		}
	}
	// The property means little if the rules found nothing.
	if found < n/3 {
		t.Errorf("only %d of %d rules found anything; the generator is too narrow", found, n)
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

var searchMatcher = sync.OnceValues(func() (*codebook.Matcher, error) { return codebook.NewMatcher(codebook.Default()) })

func mustSearch(tb testing.TB, e *Engine, req Request) *Result {
	tb.Helper()
	if req.Rules == nil {
		m, err := searchMatcher()
		if err != nil {
			tb.Fatal(err)
		}
		req.Rules = m.Queries()
	}
	res, err := e.Search(context.Background(), req)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// TestSearchResults checks a hit's fields, its context and the totals on
// a small project whose every hit is known.
func TestSearchResults(t *testing.T) {
	p := mustP03(t)
	e := newEngine(t, p)
	res := mustSearch(t, e, Request{Query: "chart OR handover", Width: 20})
	if res.Total != 2 || len(res.Hits) != 2 || res.Query != "chart OR handover" {
		t.Fatalf("%+v", res)
	}
	h := res.Hits[0]
	src, _ := p.Source(context.Background(), "P03")
	runes := []rune(src.Text)
	if h.Segment != "P03:s4" || h.Speaker != "Sarah" || h.Case != "P03" || string(runes[h.Start:h.End]) != h.Text {
		t.Errorf("hit = %+v", h)
	}
	if len(h.Matches) != 1 || string(runes[h.Matches[0].Tokens[0].Start:h.Matches[0].Tokens[0].End]) != "chart" {
		t.Errorf("matches = %+v", h.Matches)
	}
	// At most 20 characters each side, whole words only.
	if h.Match != "chart" || h.Left != "the early warning" || h.Right != "— Zoë’s idea 🙂." {
		t.Errorf("context = %q [%q] %q", h.Left, h.Match, h.Right)
	}
	if got := res.BySource; len(got) != 1 || got[0] != (FacetCount{"P03", 2}) {
		t.Errorf("by source = %v", got)
	}
	// Each hit's segment as a value to code, and every hit's however few
	// are shown.
	if want := (coding.Ref{Source: "P03", Unit: coding.UnitSentence, Ord: 4}); h.Ref != want {
		t.Errorf("ref = %+v, want %+v", h.Ref, want)
	}
	one := mustSearch(t, e, Request{Query: "chart OR handover", Limit: 1})
	if refs := one.Refs(); len(one.Hits) != 1 || !slices.Equal(refs, []coding.Ref{res.Hits[0].Ref, res.Hits[1].Ref}) || refs[1].String() != res.Hits[1].Segment {
		t.Errorf("refs of every hit = %+v; the hits were %+v", refs, res.Hits)
	}
	// The interviewer asks about a debrief; Sarah never had one: negated.
	if res := mustSearch(t, e, Request{Query: "debrief*"}); res.Total != 1 || res.Hits[0].Speaker != "Interviewer" {
		t.Errorf("debrief*: %+v", res.Hits)
	}
	if res := mustSearch(t, e, Request{Query: "debrief*", NotSpeakers: []string{"interviewer"}}); res.Total != 0 {
		t.Errorf("debrief* without the interviewer: %+v", res.Hits)
	}
	// Left out as coding leaves interviewers out, and counted; a filter
	// that had already left the hit out leaves nothing to count.
	if res := mustSearch(t, e, Request{Query: "debrief*", SkipInterviewers: true, Facets: []string{"speaker"}}); res.Total != 0 || res.InterviewerHits != 1 || len(res.Facets[0].Values) != 0 || len(res.BySource) != 0 {
		t.Errorf("debrief*, interviewers skipped: %d hits, %d left out, facets %+v", res.Total, res.InterviewerHits, res.Facets)
	}
	if res := mustSearch(t, e, Request{Query: "debrief*", SkipInterviewers: true, NotSpeakers: []string{"Interviewer"}}); res.InterviewerHits != 0 {
		t.Errorf("debrief* without the Interviewer: %d left out", res.InterviewerHits)
	}
	if res := mustSearch(t, e, Request{Query: "chart OR handover", SkipInterviewers: true}); res.Total != 2 || res.InterviewerHits != 0 {
		t.Errorf("chart OR handover, interviewers skipped: %d hits, %d left out", res.Total, res.InterviewerHits)
	}
	if res := mustSearch(t, e, Request{Query: "asked", Negation: codebook.NegationOnly}); res.Total != 1 {
		t.Errorf("asked, negated only: %+v", res.Hits)
	}
	// By turn, Sarah's turns.
	res = mustSearch(t, e, Request{Query: "chart AND idea", Unit: coding.UnitTurn, Speakers: []string{"Sarah"}})
	if res.Total != 1 || res.Hits[0].Segment != "P03:t2" {
		t.Errorf("by turn: %+v", res.Hits)
	}
	// A raw bleve query: stemmed ("changes" finds "changed").
	res = mustSearch(t, e, Request{Query: "changes", Bleve: true})
	if res.Total != 1 || res.Hits[0].Segment != "P03:s7" {
		t.Errorf("bleve: %+v", res.Hits)
	}
}

// TestSearchFiltersAndFacets checks the filters and facets on the sample
// corpus against counts made another way: from the hits themselves and
// from the store.
func TestSearchFiltersAndFacets(t *testing.T) {
	ctx := context.Background()
	p := sampleProject(t)
	e := newEngine(t, p)
	attrs, err := corpus.ReadAttributes("cases.csv", mustSample(t, "cases.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.SetAttributes(ctx, attrs); err != nil {
		t.Fatal(err)
	}
	m, _ := searchMatcher()
	if _, err := p.CodeRules(ctx, project.RulesRun{Unit: coding.UnitSentence}, coding.NewApplier(m, "h", time.Now())); err != nil {
		t.Fatal(err)
	}
	// A person's coding of the whole of P02, the longest span there is:
	// it overlaps every hit in P02.
	if _, _, err := p.AddCoding(ctx, project.CodingRequest{Ref: coding.Ref{Source: "P02", Unit: coding.UnitSource}, Code: "whole_interview", Coder: "amina", Origin: coding.OriginManual}, "test"); err != nil {
		t.Fatal(err)
	}
	all := mustSearch(t, e, Request{Query: "learn*", Facets: []string{"speaker", "source", "case", "attr:role", "code"}})
	if n := facetCount(all.Facets[4], "whole_interview"); n == 0 || n != countSource(all, "P02") {
		t.Errorf("the coding of the whole of P02 is counted on %d hits, want every one of its %d", n, countSource(all, "P02"))
	}
	if all.Total < 20 {
		t.Fatalf("learn* found only %d sentences", all.Total)
	}
	sum := func(f Facet) int {
		n := 0
		for _, v := range f.Values {
			n += v.Count
		}
		return n
	}
	for _, f := range all.Facets[:4] { // each hit has one speaker, source, case and role
		if sum(f) != all.Total {
			t.Errorf("facet %s counts %d of %d hits", f.Field, sum(f), all.Total)
		}
	}
	// --attr gives the hits its facet value counted.
	for _, v := range all.Facets[3].Values {
		res := mustSearch(t, e, Request{Query: "learn*", Attrs: map[string][]string{"role": {v.Value}}})
		if v.Value != "(none)" && res.Total != v.Count {
			t.Errorf("--attr role=%s: %d hits, facet said %d", v.Value, res.Total, v.Count)
		}
	}
	// --code gives the hits its facet value counted, and those are the
	// hits a coding of the code overlaps.
	var codes []FacetCount // of the rules, which code sentences
	for _, v := range all.Facets[4].Values {
		if v.Value != "whole_interview" {
			codes = append(codes, v)
		}
	}
	if len(codes) == 0 {
		t.Fatal("no codes on learn* hits")
	}
	res := mustSearch(t, e, Request{Query: "learn*", Code: codes[0].Value})
	if res.Total != codes[0].Count {
		t.Errorf("--code %s: %d hits, facet said %d", codes[0].Value, res.Total, codes[0].Count)
	}
	coded := map[string]bool{}
	for _, c := range mustCodings(t, p, project.CodingFilter{Code: codes[0].Value}) {
		coded[c.Segment()] = true
	}
	for _, h := range res.Hits {
		if !coded[h.Segment] {
			t.Errorf("%s is not coded %s", h.Segment, codes[0].Value)
		}
	}
	want := 0 // the hits of learn* that are coded so: every one is found
	for _, h := range all.Hits {
		if coded[h.Segment] {
			want++
		}
	}
	if res.Total != want {
		t.Errorf("--code %s: %d hits, but %d of learn*'s hits are coded so", codes[0].Value, res.Total, want)
	}
	if res := mustSearch(t, e, Request{Query: "learn*", Code: "whole_interview", Coder: "amina"}); res.Total != countSource(all, "P02") {
		t.Errorf("--code whole_interview --coder amina: %d hits, want the %d of P02", res.Total, countSource(all, "P02"))
	}
	// By relevance: the same hits, best first, each with its score; by
	// document (the default), none is scored.
	rel := mustSearch(t, e, Request{Query: "learn*", Sort: "relevance"})
	var a, b []string
	for i, h := range rel.Hits {
		a = append(a, h.Segment)
		if h.Score <= 0 || i > 0 && h.Score > rel.Hits[i-1].Score {
			t.Errorf("by relevance, hit %d (%s) scores %v after %v", i, h.Segment, h.Score, rel.Hits[max(i-1, 0)].Score)
		}
	}
	for _, h := range all.Hits {
		b = append(b, h.Segment)
		if h.Score != 0 {
			t.Errorf("%s scored %v in document order", h.Segment, h.Score)
		}
	}
	slices.Sort(a)
	slices.Sort(b)
	if !slices.Equal(a, b) {
		t.Errorf("by relevance the hits are others: %d against %d", len(a), len(b))
	}
	// Filters that leave no source: no hits, however many candidates, on
	// one core or several.
	defer func(n int) { parallelCandidates = n }(parallelCandidates)
	for _, n := range []int{1, parallelCandidates} {
		parallelCandidates = n
		res := mustSearch(t, e, Request{Query: "the OR and", Attrs: map[string][]string{"country": {"UK"}, "role": {"partner"}}})
		if res.Total != 0 || res.Candidates < 512 {
			t.Errorf("no UK partners: %d hits of %d candidates", res.Total, res.Candidates)
		}
	}
	// --source and --limit.
	one := mustSearch(t, e, Request{Query: "learn*", Sources: []string{"P02"}, Limit: 2})
	if one.Total != countSource(all, "P02") || len(one.Hits) != min(2, one.Total) {
		t.Errorf("--source P02: %d hits (%d shown), want %d", one.Total, len(one.Hits), countSource(all, "P02"))
	}
	// Unknown names are errors that name the field, the value given and
	// the names there are, among them the nearest, for a front end's
	// "did you mean"; and no flag of any front end.
	m2, _ := searchMatcher()
	for _, tc := range []struct {
		req                Request
		field, value, near string
	}{
		{Request{Attrs: map[string][]string{"rol": {"NHS"}}}, "attr", "rol", "role"},
		{Request{Attrs: map[string][]string{"role": {"NSH"}}}, "attr", "role=NSH", "role=NHS"},
		{Request{Speakers: []string{"Grace Akelo"}}, "speaker", "Grace Akelo", "Grace Akello"},
		{Request{NotSpeakers: []string{"interviewr"}}, "speaker-not", "interviewr", "interviewer"},
		{Request{Code: "humilty"}, "code", "humilty", "humility"},
		{Request{Coder: "amna"}, "coder", "amna", "amina"}, // amina coded the whole of P02
		{Request{Facets: []string{"attr:contry"}}, "facet", "attr:contry", "attr:country"},
		{Request{Sources: []string{"P99"}}, "source", "P99", "P09"},
	} {
		req := tc.req
		req.Query, req.Rules = "learn*", m2.Queries()
		_, err := e.Search(ctx, req)
		var qe *qcode.Error
		if !errors.As(err, &qe) || qe.Code != qcode.ENOTFOUND || qe.Field != tc.field || qe.Value != tc.value || !slices.Contains(qe.Near, tc.near) || strings.Contains(err.Error(), "--") {
			t.Errorf("%+v: %#v", tc.req, err)
		}
	}
	_, err = e.Search(ctx, Request{Query: "learn*", Coder: "nobody", Rules: m2.Queries()})
	if qcode.ErrorCode(err) != qcode.ENOTFOUND || !strings.Contains(err.Error(), "coder nobody: no codings by nobody; choose one of amina, rules") {
		t.Errorf("an unknown coder, none near: %v", err)
	}
	_, err = e.Search(ctx, Request{Query: "learn*", Facets: []string{"speakers"}, Rules: m2.Queries()})
	if qcode.ErrorCode(err) != qcode.EINVALID || !slices.Contains(err.(*qcode.Error).Near, "speaker") || !strings.Contains(err.Error(), "choose one of code, speaker, source, case, attr:NAME") {
		t.Errorf("an unknown facet: %v", err)
	}
	_, err = e.Search(ctx, Request{Query: "learn*", Unit: coding.UnitParagraph, Rules: m2.Queries()})
	if qcode.ErrorCode(err) != qcode.EINVALID || err.Error() != "unit paragraph: a hit is a sentence or turn; choose one of sentence, turn" {
		t.Errorf("search by paragraph: %v", err)
	}
	if _, err := e.Search(ctx, Request{Query: "learn* AND", Rules: m2.Queries()}); qcode.ErrorCode(err) != qcode.EINVALID || !strings.Contains(err.Error(), "col ") {
		t.Errorf("a syntax error: %v", err)
	}
}

func countSource(res *Result, name string) int {
	for _, c := range res.BySource {
		if c.Value == name {
			return c.Count
		}
	}
	return 0
}

func mustSample(tb testing.TB, name string) []byte {
	data, err := fs.ReadFile(sample.FS(), name)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// TestSearchIndexFollowsStore shows that the index is rebuilt when missing,
// brought up to date when a source is imported or replaced, and searched
// while another writer makes it anew.
func TestSearchIndexFollowsStore(t *testing.T) {
	ctx := context.Background()
	p := mustP03(t)
	e := newEngine(t, p)
	res := mustSearch(t, e, Request{Query: "handover"})
	if res.Index == nil || res.Index.Reason != "missing" || res.Total != 1 {
		t.Fatalf("first search: %+v %+v", res.Index, res)
	}
	if res := mustSearch(t, e, Request{Query: "handover"}); res.Index != nil {
		t.Errorf("second search updated the index: %+v", res.Index)
	}
	// A new source, and P03 again with other words.
	mustImport(t, p, "P04.txt", "Interviewer: And the handover?\n\nAmina: The handover was new to us.\n\nInterviewer: Thank you.\n\nAmina: Thanks.\n", false)
	res = mustSearch(t, e, Request{Query: "handover"})
	if res.Index == nil || res.Index.Reason != "out of date" || res.Total != 3 {
		t.Errorf("after an import: %+v, %d hits", res.Index, res.Total)
	}
	mustImport(t, p, "P03.txt", strings.ReplaceAll(p03(t), "handover", "rota"), true)
	if res := mustSearch(t, e, Request{Query: "handover OR rota"}); res.Total != 3 || res.BySource[0] != (FacetCount{"P03", 1}) {
		t.Errorf("after a replace: %+v", res.BySource)
	}
	if res := mustSearch(t, e, Request{Query: "handover", Sources: []string{"P03"}}); res.Total != 0 {
		t.Errorf("the replaced text is still found: %+v", res.Hits)
	}
	// Lost: made again.
	if err := os.RemoveAll(p.IndexPath()); err != nil {
		t.Fatal(err)
	}
	if res := mustSearch(t, e, Request{Query: "rota"}); res.Index == nil || res.Index.Reason != "missing" || res.Total != 1 {
		t.Errorf("after losing the index: %+v", res)
	}
	// Half lost (the sentence file): made again.
	if err := os.Remove(filepath.Join(livePath(t, e), "sentences.bin")); err != nil {
		t.Fatal(err)
	}
	if res := mustSearch(t, e, Request{Query: "rota"}); res.Index == nil || res.Index.Reason != "missing" || res.Total != 1 {
		t.Errorf("after losing the sentence file: %+v", res)
	}
	// An engine holds the index open between searches, and a writer
	// elsewhere does not wait for it: it makes the next generation beside
	// it, and the engine's next search opens that one.
	held := livePath(t, e)
	other := newEngine(t, p)
	if r, err := other.Update(ctx, true); err != nil || r.Reason != "asked" {
		t.Fatalf("rebuilding the index an engine has open: %+v, %v", r, err)
	}
	if _, err := os.Stat(held); err != nil {
		t.Errorf("the generation an engine has open was removed: %v", err)
	}
	if res := mustSearch(t, e, Request{Query: "rota"}); res.Index != nil || res.Total != 1 {
		t.Errorf("search after another rebuilt the index: %+v", res)
	}
	// A search while another writes the index neither waits nor fails.
	lock, err := other.lockWrite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if res := mustSearch(t, e, Request{Query: "rota"}); res.Index != nil || res.Total != 1 {
		t.Errorf("search while the index is being written: %+v", res)
	}
	// A search that finds the index out of date while another writes it
	// waits a while for the writer, then searches the index as it was.
	mustImport(t, p, "P04.txt", "Interviewer: And the rota?\n\nAmina: The rota was new to us.\n\nInterviewer: Thank you.\n\nAmina: Thanks.\n", true)
	defer func(d time.Duration) { writeLockWait = d }(writeLockWait)
	writeLockWait = 10 * time.Millisecond
	if res := mustSearch(t, e, Request{Query: "rota"}); res.Index == nil || !res.Index.Stale || res.Total != 1 {
		t.Errorf("search of a stale index while another writes it: %+v %+v", res.Index, res)
	}
	lock.Close()
	if res := mustSearch(t, e, Request{Query: "rota"}); res.Index == nil || res.Index.Reason != "out of date" || res.Total != 3 {
		t.Errorf("search once the writer has finished: %+v %+v", res.Index, res)
	}
	// Rebuilt on request.
	r, err := e.Update(ctx, true)
	if err != nil || r.Added != 2 || r.Docs == 0 || r.Bytes == 0 {
		t.Errorf("rebuild: %+v, %v", r, err)
	}
}

func facetCount(f Facet, value string) int {
	for _, v := range f.Values {
		if v.Value == value {
			return v.Count
		}
	}
	return 0
}

// livePath returns the folder of the engine's live generation.
func livePath(tb testing.TB, e *Engine) string {
	tb.Helper()
	gen, err := e.live()
	if err != nil || gen == "" {
		tb.Fatalf("no live generation: %q, %v", gen, err)
	}
	return e.genPath(gen)
}

// TestSearchHyphenVariants checks that a compound written two-way, "two
// way" or as part of a phrase finds the sentences that spell it each of the
// three ways, by sentence and by turn: the index's candidates must not miss
// a spelling the rule accepts.
func TestSearchHyphenVariants(t *testing.T) {
	p := mustOpen(t)
	mustImport(t, p, "H01.txt", "Amina: It was a two-way partnership. We saw two way learning.\n\n"+
		"Joe: It is a twoway street. Two roads, one way. A follow-up visit.\n", false)
	e := newEngine(t, p)
	for _, tc := range []struct {
		query string
		unit  coding.Unit
		want  []string
	}{
		{"two-way", coding.UnitSentence, []string{"H01:s1", "H01:s2", "H01:s3"}},
		{`"two way"`, coding.UnitSentence, []string{"H01:s1", "H01:s2", "H01:s3"}},
		{`"two-way learning"`, coding.UnitSentence, []string{"H01:s2"}},
		{"two-way", coding.UnitTurn, []string{"H01:t1", "H01:t2"}},
		{`"follow up" OR followup`, coding.UnitSentence, []string{"H01:s5"}},
		{"twoway", coding.UnitSentence, []string{"H01:s3"}}, // a closed rule word is not split
	} {
		res := mustSearch(t, e, Request{Query: tc.query, Unit: tc.unit})
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.Segment)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("search %s by %s: %v, want %v", tc.query, tc.unit, got, tc.want)
		}
	}
}

// TestRulesLater: rules given once the store and the index are open
// search as rules given at the start do; their error ends the search; a
// query that does not parse is refused without asking for them, and a code
// filter asks for them first, to know the codebook's codes.
func TestRulesLater(t *testing.T) {
	p := sampleProject(t)
	e := newEngine(t, p)
	ctx := context.Background()
	m, err := searchMatcher()
	if err != nil {
		t.Fatal(err)
	}
	asked := 0
	later := func() (*codebook.Queries, error) { asked++; return m.Queries(), nil }
	for _, q := range []string{"humil* OR learn*", `"mandatory training"`, "#moral_imperative"} {
		want := mustSearch(t, e, Request{Query: q, Rules: m.Queries(), Facets: []string{"speaker"}})
		asked = 0
		got, err := e.Search(ctx, Request{Query: q, RulesLater: later, Facets: []string{"speaker"}})
		if err != nil || asked != 1 {
			t.Fatalf("%q with rules later: %v, asked %d times", q, err, asked)
		}
		want.Index, got.Index = nil, nil
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q with rules later: %d hits, want %d", q, got.Total, want.Total)
		}
	}
	asked = 0
	if _, err := e.Search(ctx, Request{Query: "learn* AND (", RulesLater: later}); qcode.ErrorCode(err) != qcode.EINVALID || asked != 0 {
		t.Errorf("a query that does not parse: %v, rules asked for %d times", err, asked)
	}
	bad := errors.New("the codebook does not read")
	if _, err := e.Search(ctx, Request{Query: "learn*", RulesLater: func() (*codebook.Queries, error) { return nil, bad }}); !errors.Is(err, bad) {
		t.Errorf("rules that fail: %v", err)
	}
	asked = 0
	res, err := e.Search(ctx, Request{Query: "learn*", Code: "no_such_code_anywhere", RulesLater: later})
	if qcode.ErrorCode(err) != qcode.ENOTFOUND || asked != 1 {
		t.Errorf("a code filter: %v, %v, rules asked for %d times", res, err, asked)
	}
}
