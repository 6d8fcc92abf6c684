package report

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"qcode"
	"qcode/coding"
)

// tables is an Analysis of a Data whose tables are each counted afresh
// with the options they ask for, as a front end counting for one report
// does.
type tables struct {
	*Analysis
	d     *Data
	coder string
}

// newTables counts d's codings by coder ("" for all).
func newTables(d *Data, coder string) (tables, error) {
	a, err := Analyse(FromData(d), coder, CountOptions{})
	return tables{a, d, coder}, err
}

func mustNew(t *testing.T, coder string) tables {
	t.Helper()
	a, err := newTables(testData(t), coder)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (x tables) Frequencies(o FrequencyOptions) (*Table, error) {
	a, err := Analyse(FromData(x.d), x.coder, CountOptions{Split: o.Split})
	if err != nil {
		return nil, err
	}
	return a.Frequencies(o)
}

func (x tables) Cooccurrence(o CooccurrenceOptions) *Table {
	a, err := Analyse(FromData(x.d), x.coder, CountOptions{Cooccurrence: o})
	if err != nil {
		panic(err)
	}
	t, err := a.Cooccurrence(o)
	if err != nil {
		panic(err)
	}
	return t
}

// TestChangedBetweenPasses changes a source's codings after it was
// counted: the sheets that read the sources again refuse to mix the two.
func TestChangedBetweenPasses(t *testing.T) {
	d := testData(t)
	a, err := Analyse(FromData(d), "", CountOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d.Codings = d.Codings[1:]
	for _, tb := range []*Table{a.Codings(), a.Segments()} {
		if err := tb.Each(func([]Cell) error { return nil }); qcode.ErrorCode(err) != qcode.ECONFLICT {
			t.Errorf("%s after a change: %v, want a conflict", tb.Name, err)
		}
	}
	if _, err := a.FrameworkMatrix(FrameworkOptions{}); qcode.ErrorCode(err) != qcode.ECONFLICT {
		t.Errorf("Framework after a change: %v, want a conflict", err)
	}
}

// TestFrameworkCaseOfTwoSources puts A and C, apart in the sources'
// order, in one case: its cells hold the quotes of both, A's first, and
// the quotes table and each cell's first row agree.
func TestFrameworkCaseOfTwoSources(t *testing.T) {
	d := testData(t)
	d.Sources[2].Case = 0
	d.Codings = append(d.Codings, &coding.Coding{Source: "C", Unit: coding.UnitSentence, Ord: 1, Start: 0, End: 10, Code: "z", Coder: "amina", Origin: coding.OriginManual, Text: textC[:10]})
	a, err := Analyse(FromData(d), "", CountOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := a.Workbook(WorkbookOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var quotes []string
	for _, r := range cells(w.FrameworkQuotes)[1:] {
		quotes = append(quotes, r[0]+" "+r[1]+" "+r[2])
	}
	want := []string{"ca t A:s1", "ca t A:s2", "ca z A:35-45", "ca z C:s1", "cb t B"}
	if d := diff(want, quotes); d != "" {
		t.Errorf("quotes (-want +got):\n%s", d)
	}
	if got := fmt.Sprint(w.FrameworkQuoteRows); got != "[[0 2] [4 -1] [-1 -1]]" {
		t.Errorf("first quote rows %s", got)
	}
	if got := cells(w.Framework)[1][2]; got != "A:35-45, C:s1" {
		t.Errorf("ca on z: %q", got)
	}
}

// TestFrameworkTableWithoutText makes the Framework's table reading the
// sources without their texts, and from the whole matrix read with them:
// the same, with a summary or without, in cells of a few quotes and of
// more than fit.
func TestFrameworkTableWithoutText(t *testing.T) {
	d := testData(t)
	// A long name makes long references: 60 passages of A coded z, one
	// starting at each character, are more than a cell shows.
	const long = "A-interview-of-spring-2026"
	for _, c := range d.Codings {
		if c.Source == "A" {
			c.Source = long
		}
	}
	d.Sources[0].Name = long
	for i := range 60 {
		d.Codings = append(d.Codings, &coding.Coding{Source: long, Unit: coding.UnitSpan, Start: i, End: min(i+3, 60), Code: "z", Coder: "c" + fmt.Sprint(i%3), Origin: coding.OriginManual, Text: textA[i:min(i+3, 60)]})
	}
	for i := range 3 {
		d.Codings = append(d.Codings, &coding.Coding{Source: "B", Unit: coding.UnitSpan, Start: 10 * i, End: 10*i + 5, Code: "z", Coder: "amina", Origin: coding.OriginManual, Text: textB[10*i : 10*i+5]})
	}
	for _, sums := range [][]coding.Summary{nil, {{Case: "ca", Theme: "z", Coder: "ben", Text: "Much on z."}, {Case: "cb", Theme: "z", Coder: "ben", Text: "Little."}}} {
		for _, themes := range [][]string{nil, {"z", "x"}} {
			o := FrameworkOptions{Themes: themes, Summaries: sums}
			a, err := Analyse(FromData(d), "", CountOptions{})
			if err != nil {
				t.Fatal(err)
			}
			counted, err := a.Framework(o)
			if err != nil {
				t.Fatal(err)
			}
			m, err := a.FrameworkMatrix(o)
			if err != nil {
				t.Fatal(err)
			}
			if df := diff(cells(m.Table()), cells(counted)); df != "" {
				t.Errorf("themes %q, summaries %d: without the texts (-whole matrix +without):\n%s", themes, len(sums), df)
			}
			if got := cells(counted)[1]; !strings.Contains(strings.Join(got, "|"), "more quotes (Framework quotes)") {
				t.Errorf("themes %q: ca's cells %q; the test needs one too full to show", themes, got)
			}
		}
	}
}

// TestSourceAddedBetweenPasses imports a source, of a new case that comes
// first, after the count: the sheets read again hold what was counted, as
// they would have without it.
func TestSourceAddedBetweenPasses(t *testing.T) {
	want := mustNew(t, "")
	d := testData(t)
	a, err := Analyse(FromData(d), "", CountOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// "AA" sorts between A and B; its case "c0" before every other.
	d.Cases = append([]Case{{"c0", []string{"NHS", "1"}}}, d.Cases...)
	d.Sources = []Source{{"A", 1}, {"AA", 0}, {"B", 2}, {"C", 3}}
	for i := range d.Sentences {
		if d.Sentences[i].Source > 0 {
			d.Sentences[i].Source++
		}
	}
	d.Sentences = append(d.Sentences, Sentence{Source: 1, Ord: 1, Turn: 1, Speaker: "Al", Start: 0, End: 10, Text: textC[:10], WordCount: 2})
	d.Codings = append(d.Codings, &coding.Coding{Source: "AA", Unit: coding.UnitSentence, Ord: 1, Start: 0, End: 10, Code: "z", Coder: "amina", Origin: coding.OriginManual, Text: textC[:10]})
	for _, tb := range [][2]*Table{{want.Codings(), a.Codings()}, {want.Segments(), a.Segments()}} {
		if df := diff(cells(tb[0]), cells(tb[1])); df != "" {
			t.Errorf("%s with a source added since the count (-as counted +read again):\n%s", tb[0].Name, df)
		}
	}
	wm, err := want.FrameworkMatrix(FrameworkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := a.FrameworkMatrix(FrameworkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if df := diff(cells(wm.QuotesTable()), cells(m.QuotesTable())); df != "" {
		t.Errorf("Framework quotes with a source added since the count (-as counted +read again):\n%s", df)
	}
}

// counting is Sources that counts its reads.
type counting struct {
	Sources
	reads *int
}

func (c counting) Each(r Read, start func(*Data) ([]int, error), each func(int, []Sentence, []*coding.Coding) error) error {
	*c.reads++
	return c.Sources.Each(r, start, each)
}

// TestPassesOfTheWorkbook reads the workbook's streamed tables in their
// two passes: each pass reads the sources once and gives each of its
// tables the rows the table gives read alone, in order.
func TestPassesOfTheWorkbook(t *testing.T) {
	d := testData(t)
	reads := 0
	a, err := Analyse(counting{FromData(d), &reads}, "", CountOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := a.Workbook(WorkbookOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]*Table{{w.Codings, w.Segments}, {w.Framework, w.FrameworkQuotes}} {
		p := pair[0].Pass()
		if p == nil || pair[1].Pass() != p || len(p.Tables()) != 2 || p.Tables()[0] != pair[0] || p.Tables()[1] != pair[1] {
			t.Fatalf("%s and %s are not made by one pass", pair[0].Name, pair[1].Name)
		}
		got := [][][]string{{pair[0].Header()}, {pair[1].Header()}}
		reads = 0
		err := p.Each(func(k int, row []Cell) error {
			var line []string
			for _, c := range row {
				line = append(line, c.String())
			}
			got[k] = append(got[k], line)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if reads != 1 {
			t.Errorf("the pass of %s and %s read the sources %d times, want once", pair[0].Name, pair[1].Name, reads)
		}
		for k, tb := range pair {
			if len(got[k]) == 1 {
				t.Errorf("%s: no rows; the test needs some", tb.Name)
			}
			if df := diff(cells(tb), got[k]); df != "" {
				t.Errorf("%s in its pass (-alone +in the pass):\n%s", tb.Name, df)
			}
		}
	}
	// A writer's groups: each table alone, or a pass's tables together,
	// in the order the tables come; a group reads only its own tables.
	tables := []*Table{w.Codebook, w.Codings, w.Framework, w.Segments, w.FrameworkQuotes}
	groups := Together(tables)
	if want := [][]int{{0}, {1, 3}, {2, 4}}; !slices.EqualFunc(groups, want, slices.Equal) {
		t.Errorf("Together gave %v, want %v", groups, want)
	}
	n := map[int]int{}
	if err := EachOf(tables, []int{3}, func(i int, _ []Cell) error { n[i]++; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(n) != 1 || n[3] != w.Segments.Len() {
		t.Errorf("EachOf Segments alone gave rows %v, want %d of table 3", n, w.Segments.Len())
	}
	// A change after the count is a conflict in a pass as it is alone.
	d.Codings = d.Codings[1:]
	for _, tb := range []*Table{w.Codings, w.Framework} {
		if err := tb.Pass().Each(func(int, []Cell) error { return nil }); qcode.ErrorCode(err) != qcode.ECONFLICT {
			t.Errorf("the pass of %s after a change: %v, want a conflict", tb.Name, err)
		}
	}
}

// TestFromData reads a Data held whole as a store reads a project: the
// sources start asks for, in its order; each source's codings ordered by
// start, longest first, code and coder, whatever order the Data holds them
// in; texts and matches only when asked; no sentences with CodingsOnly;
// and copies, so that the Data is never changed.
func TestFromData(t *testing.T) {
	d := &Data{Sources: []Source{{Name: "P01"}, {Name: "P02"}}}
	d.Sentences = []Sentence{{Source: 0, Ord: 1, Text: "We listened."}, {Source: 1, Ord: 1, Text: "They taught us."}}
	for _, c := range []coding.Coding{
		{Source: "P01", Start: 3, End: 12, Code: "listening", Coder: "ben"},
		{Source: "P02", Start: 0, End: 4, Code: "humility", Coder: "amina"},
		{Source: "P01", Start: 0, End: 12, Code: "listening", Coder: "amina"},
		{Source: "P01", Start: 0, End: 12, Code: "humility", Coder: "amina", Text: "We listened.", Matches: []coding.RuleMatch{{}}},
		{Source: "P01", Start: 0, End: 2, Code: "humility", Coder: "amina"},
	} {
		d.Codings = append(d.Codings, &c)
	}
	var got []string
	err := FromData(d).Each(Read{}, func(head *Data) ([]int, error) {
		if len(head.Sentences)+len(head.Codings) != 0 || len(head.Sources) != 2 {
			t.Errorf("the head holds %d sentences, %d codings, %d sources", len(head.Sentences), len(head.Codings), len(head.Sources))
		}
		return []int{1, 0}, nil
	}, func(src int, sents []Sentence, codings []*coding.Coding) error {
		for _, st := range sents {
			got = append(got, fmt.Sprintf("%d s%d %q", src, st.Ord, st.Text))
		}
		for _, c := range codings {
			got = append(got, fmt.Sprintf("%d %d-%d %s %s %q %d", src, c.Start, c.End, c.Code, c.Coder, c.Text, len(c.Matches)))
		}
		return nil
	})
	want := []string{
		`1 s1 ""`, `1 0-4 humility amina "" 0`,
		`0 s1 ""`, `0 0-12 humility amina "" 0`, `0 0-12 listening amina "" 0`, `0 0-2 humility amina "" 0`, `0 3-12 listening ben "" 0`,
	}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("read %v (%v)\nwant %v", got, err, want)
	}
	var texts []string
	err = FromData(d).Each(Read{Text: true, Matches: true, CodingsOnly: true}, func(*Data) ([]int, error) { return nil, nil },
		func(src int, sents []Sentence, codings []*coding.Coding) error {
			if len(sents) != 0 {
				t.Errorf("source %d: %d sentences read with CodingsOnly", src, len(sents))
			}
			for _, c := range codings {
				if c.Text != "" {
					texts = append(texts, fmt.Sprintf("%s %d", c.Text, len(c.Matches)))
				}
			}
			return nil
		})
	if err != nil || !slices.Equal(texts, []string{"We listened. 1"}) || d.Codings[3].Text == "" || d.Sentences[0].Text == "" {
		t.Errorf("with texts and matches: %v (%v); the Data's texts %q %q", texts, err, d.Codings[3].Text, d.Sentences[0].Text)
	}
}
