package project

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"qcode/coding"
	"qcode/coding/report"
	"qcode/corpus"
)

// p04 has curly quotes, an emoji and accents before its words, so that
// character and byte offsets differ.
const p04 = "Interviewer: What did you bring back?\n\n" +
	"Chanda: “Zoë’s chart” 🙂 — we use it on every shift. Café staff too.\n\n" +
	"Interviewer: Anything else?\n\nChanda: No.\n"

const reportCodebook = `codes:
  - id: debrief
    name: Debrief
    rule: debrief*
    negation: keep
  - id: chart
    name: Early warning
    rule: chart OR handover
  - id: humility
    name: Humility
`

// mustReportProject is P03 and P04 with attributes, rules codings by
// sentence, and two codings by a person: a whole turn, and a span that
// ends inside a sentence.
func mustReportProject(t *testing.T) *Project {
	t.Helper()
	ctx := context.Background()
	p := mustP03(t)
	if _, err := p.Import(ctx, mustRead(t, "P04.txt", p04), false); err != nil {
		t.Fatal(err)
	}
	attrs, err := corpus.ReadAttributes("cases.csv", []byte("case,role,years\nP04,partner,6\nP03,NHS,\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.SetAttributes(ctx, attrs); err != nil {
		t.Fatal(err)
	}
	run := RulesRun{Codebook: "codebook.yaml", CodebookHash: "h", Unit: coding.UnitSentence}
	if _, err := p.CodeRules(ctx, run, mustApplier(t, reportCodebook)); err != nil {
		t.Fatal(err)
	}
	for _, req := range []CodingRequest{
		{Ref: coding.Ref{Source: "P04", Unit: coding.UnitTurn, Ord: 2}, Code: "humility", Coder: "amina", Memo: "whole turn", Origin: coding.OriginManual},
		{Ref: coding.Ref{Source: "P04", Unit: coding.UnitSpan, Start: 40, End: 52}, Code: "chart", Coder: "amina", Origin: coding.OriginManual},
	} {
		if _, _, err := p.AddCoding(ctx, req, "test"); err != nil {
			t.Fatal(err)
		}
	}

	return p
}

// reportData gathers what EachReportSource gives with the texts, source
// by source, into one Data.
func reportData(t *testing.T, p *Project, order []int) *report.Data {
	t.Helper()
	d := &report.Data{}
	err := p.EachReportSource(context.Background(), report.Read{Text: true, Matches: true}, func(h *report.Data) ([]int, error) {
		*d = *h
		return order, nil
	}, func(src int, sents []report.Sentence, codings []*coding.Coding) error {
		for _, s := range sents {
			s.Source = src
			d.Sentences = append(d.Sentences, s)
		}
		for _, c := range codings {
			k := *c
			d.Codings = append(d.Codings, &k)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestEachReportSourceText reads every source with its texts.
func TestEachReportSourceText(t *testing.T) {
	ctx := context.Background()
	p := mustReportProject(t)
	d := reportData(t, p, nil)
	if len(d.Sources) != 2 || d.Sources[0].Name != "P03" || d.Sources[1].Name != "P04" {
		t.Fatalf("sources %+v", d.Sources)
	}
	if len(d.Cases) != 2 || d.Cases[d.Sources[1].Case].Name != "P04" {
		t.Fatalf("cases %+v", d.Cases)
	}
	if len(d.Attributes) != 2 || d.Attributes[0].Name != "role" || d.Attributes[1].Type != corpus.AttrNumber {
		t.Errorf("attributes %+v", d.Attributes)
	}
	if got := strings.Join(d.Cases[d.Sources[1].Case].Values, ","); got != "partner,6" {
		t.Errorf("P04's values %q", got)
	}
	if got := strings.Join(d.Cases[d.Sources[0].Case].Values, ","); got != "NHS," {
		t.Errorf("P03's values %q", got)
	}

	// Every sentence, with its turn, and its count of words, which add up
	// to the sources' counts; its words, where the stored tokens say, only
	// where a coding starts or ends inside it: P04's manual span
	// [40, 52) ends inside P04:s2, and P03 has sentence codings alone.
	srcs, err := p.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	words := map[int]int{}
	for _, s := range d.Sentences {
		src, err := p.Source(ctx, d.Sources[s.Source].Name)
		if err != nil {
			t.Fatal(err)
		}
		text := []rune(src.Text)
		if string(text[s.Start:s.End]) != s.Text {
			t.Errorf("%s:s%d [%d,%d) slices %q, says %q", d.Sources[s.Source].Name, s.Ord, s.Start, s.End, string(text[s.Start:s.End]), s.Text)
		}
		if tu := src.Turns[s.Turn-1]; tu.Speaker != s.Speaker || tu.Start > s.Start || tu.End < s.End {
			t.Errorf("%s:s%d is not in turn %d of %s", d.Sources[s.Source].Name, s.Ord, s.Turn, s.Speaker)
		}
		for _, w := range s.Words {
			word := string(text[w.Start:w.End])
			if !strings.ContainsFunc(word, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) || w.Start < int32(s.Start) || w.End > int32(s.End) {
				t.Errorf("%s:s%d: word [%d,%d) is %q", d.Sources[s.Source].Name, s.Ord, w.Start, w.End, word)
			}
		}
		if s.Words != nil && len(s.Words) != s.WordCount {
			t.Errorf("%s:s%d: %d words, counts %d", d.Sources[s.Source].Name, s.Ord, len(s.Words), s.WordCount)
		}
		if s.Words != nil && d.Sources[s.Source].Name == "P03" {
			t.Errorf("P03:s%d has its words read, though no coding starts or ends inside it", s.Ord)
		}
		words[s.Source] += s.WordCount
	}
	for i, s := range srcs {
		if words[i] != s.Words {
			t.Errorf("%s: %d words in its sentences, %d in the store", s.Name, words[i], s.Words)
		}
	}
	// P04:s2 is “Zoë’s chart” 🙂 — we use it on every shift.: Zoë, ’s,
	// chart, we, use, it, on, every, shift (by hand), at their characters.
	for _, s := range d.Sentences {
		if d.Sources[s.Source].Name == "P04" && s.Ord == 2 {
			text := []rune(s.Text)
			var got []string
			for _, w := range s.Words {
				got = append(got, string(text[int(w.Start)-s.Start:int(w.End)-s.Start]))
			}
			if strings.Join(got, " ") != "Zoë ’s chart we use it on every shift" {
				t.Errorf("P04:s2 words %q", got)
			}
		}
	}

	// The codings, by the rules and by people, with their texts, as
	// Codings gives them.
	want := mustCodings(t, p, CodingFilter{})
	if len(d.Codings) != len(want) || len(want) < 4 {
		t.Fatalf("%d codings, want %d", len(d.Codings), len(want))
	}
	for i, c := range d.Codings {
		w := want[i]
		if c.Segment() != w.Segment() || c.Code != w.Code || c.Coder != w.Coder || c.Text != w.Text || c.Memo != w.Memo || len(c.Matches) != len(w.Matches) {
			t.Errorf("coding %d: %s %q, want %s %q", i, c.String(), c.Text, w.String(), w.Text)
		}
	}
}

// counted returns c as a read without texts gives it: without its text
// nor matches and, for a coding by a person, without its byte range, time
// and model hash, which counts need not.
func counted(c coding.Coding) coding.Coding {
	c.Text, c.Matches = "", nil
	if c.Origin != coding.OriginRules {
		c.ByteStart, c.ByteEnd, c.CreatedAt, c.ModelHash = 0, 0, time.Time{}, ""
	}
	return c
}

// TestEachReportSource gives without the texts what it gives with them,
// but the texts, the rules codings' matches and what counts need not of
// people's codings (see counted); and the sources in the order asked for.
func TestEachReportSource(t *testing.T) {
	ctx := context.Background()
	p := mustReportProject(t)
	d := reportData(t, p, nil)
	if back := reportData(t, p, []int{1, 0}); !reflect.DeepEqual(back.Sentences, append(slices.Clone(d.Sentences[len(d.Sentences)-countOf(d, 1):]), d.Sentences[:len(d.Sentences)-countOf(d, 1)]...)) {
		t.Errorf("the sources in the order 1, 0 gave their sentences:\n%+v\nwant:\n%+v", back.Sentences, d.Sentences)
	}
	// Codings only: the same codings, no sentence.
	var only []coding.Coding
	err := p.EachReportSource(ctx, report.Read{CodingsOnly: true}, func(*report.Data) ([]int, error) { return nil, nil }, func(src int, sents []report.Sentence, codings []*coding.Coding) error {
		if len(sents) != 0 {
			t.Errorf("source %d: %d sentences read for codings only", src, len(sents))
		}
		for _, c := range codings {
			only = append(only, *c)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(only) != len(d.Codings) || len(only) == 0 {
		t.Fatalf("codings only: %d codings, want %d", len(only), len(d.Codings))
	}
	for i, c := range only {
		w := counted(*d.Codings[i])
		if !reflect.DeepEqual(c, w) {
			t.Errorf("codings only: %+v, want %+v", c, w)
		}
	}
	var head *report.Data
	seen := 0
	err = p.EachReportSource(ctx, report.Read{}, func(h *report.Data) ([]int, error) {
		head = h
		return nil, nil
	}, func(src int, sents []report.Sentence, codings []*coding.Coding) error {
		if src != seen {
			t.Errorf("source %d given as %d", seen, src)
		}
		seen++
		var want []report.Sentence
		for _, s := range d.Sentences {
			if s.Source == src {
				s.Text = ""
				want = append(want, s)
			}
		}
		got := slices.Clone(sents)
		for i := range got {
			got[i].Source = src
		}
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%s's sentences:\n%+v\nwant, as read with their texts:\n%+v", head.Sources[src].Name, got, want)
		}
		var wantC, gotC []coding.Coding
		for _, c := range d.Codings {
			if c.Source == head.Sources[src].Name {
				wantC = append(wantC, counted(*c))
			}
		}
		for _, c := range codings {
			gotC = append(gotC, *c)
		}
		if len(wantC) == 0 {
			t.Errorf("%s has no codings; the test needs some", head.Sources[src].Name)
		}
		if !reflect.DeepEqual(wantC, gotC) {
			t.Errorf("%s's codings:\n%+v\nwant, as read with their texts:\n%+v", head.Sources[src].Name, gotC, wantC)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != len(d.Sources) || !reflect.DeepEqual(head.Sources, d.Sources) || !reflect.DeepEqual(head.Cases, d.Cases) || !reflect.DeepEqual(head.Attributes, d.Attributes) {
		t.Errorf("%d sources read; head %+v, want the sources, cases and attributes of %+v", seen, head, d)
	}
}

// countOf counts the sentences of source src in d.
func countOf(d *report.Data, src int) int {
	n := 0
	for _, s := range d.Sentences {
		if s.Source == src {
			n++
		}
	}
	return n
}

// TestReadersReadSideBySide reads a project opened to read in two passes
// at once, the second begun while the first is between two sources, as
// the workbook reads its sheets; each pass reads every source. A project
// opened to write keeps to one connection, which would wait here for
// ever, so the project is opened to read.
func TestReadersReadSideBySide(t *testing.T) {
	ctx := context.Background()
	dir := mustReportProject(t).Dir
	p, err := Open(ctx, dir, ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	all := func(*report.Data) ([]int, error) { return nil, nil }
	outer, inner := 0, 0
	err = p.EachReportSource(ctx, report.Read{Text: true}, all, func(int, []report.Sentence, []*coding.Coding) error {
		outer++
		if outer > 1 {
			return nil
		}
		return p.EachReportSource(ctx, report.Read{}, all, func(int, []report.Sentence, []*coding.Coding) error {
			inner++
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if outer != 2 || inner != 2 {
		t.Errorf("the passes read %d and %d sources, want 2 each", outer, inner)
	}
}
