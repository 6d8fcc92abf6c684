package report

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
)

// The small corpus of these tests, with every count worked out by hand
// from it:
//
//	A (case ca, NHS):     s1 [0,20)  "Wee lamb cried loud."  4 words, Ann, turn 1
//	                      s2 [21,40) "Then they wondered."   3 words, Ann, turn 1
//	                      s3 [41,60) "Okay said Iannaaaa."   3 words, Ian, turn 2
//	B (case cb, partner): s1 [0,22)  "Bo spoke of big trees."  5 words, Bo, turn 1
//	                      s2 [23,37) "Two elephants."          2 words, Ian, turn 2
//	C (case cc, partner): s1 [0,10)  "Quiet day."              2 words, no codings
//
// Codebook: theme t (children x and y) and z.
var textA = "Wee lamb cried loud. Then they wondered. Okay said Iannaaaa."

var textB = "Bo spoke of big trees. Two elephants."

var textC = "Quiet day."

// sentence describes a sentence by source, turn, speaker and its span.
type sentence struct {
	src, turn  int
	speaker    string
	start, end int
}

// words returns the character spans of the words of text[start:end]: runs
// of letters and digits (all these texts are ASCII).
func words(text string, start, end int) []Word {
	var out []Word
	for i := start; i < end; {
		if !isAlnum(text[i]) {
			i++
			continue
		}
		j := i
		for j < end && isAlnum(text[j]) {
			j++
		}
		out = append(out, Word{int32(i), int32(j)})
		i = j
	}
	return out
}

// diff returns the lines of want and got that differ, marked - and +,
// or "" when they are equal.
func diff[T any](want, got []T) string {
	var b strings.Builder
	for i := range max(len(want), len(got)) {
		var w, g string
		if i < len(want) {
			w = fmt.Sprintf("%#v", want[i])
		}
		if i < len(got) {
			g = fmt.Sprintf("%#v", got[i])
		}
		if w != g {
			fmt.Fprintf(&b, "row %d:\n-%s\n+%s\n", i, w, g)
		}
	}
	return b.String()
}

func isAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

func testCodebook() *codebook.Codebook {
	cb := &codebook.Codebook{Name: "test"}
	t := &codebook.Code{ID: "t", Name: "Theme", Color: "#4E79A7"}
	x := &codebook.Code{ID: "x", Name: "Ex", Parent: t, Rule: "lamb"}
	y := &codebook.Code{ID: "y", Name: "Why", Parent: t}
	t.Codes = []*codebook.Code{x, y}
	z := &codebook.Code{ID: "z", Name: "Zed", Description: "=SUM(A1:A9)"}
	cb.Codes = []*codebook.Code{t, z}
	return cb
}

func testData(t *testing.T) *Data {
	t.Helper()
	texts := []string{textA, textB, textC}
	d := &Data{
		Codebook:   testCodebook(),
		Attributes: []Attribute{{"role", corpus.AttrText}, {"years", corpus.AttrNumber}},
		Cases:      []Case{{"ca", []string{"NHS", "4"}}, {"cb", []string{"partner", ""}}, {"cc", []string{"partner", "2.5"}}},
		Sources:    []Source{{"A", 0}, {"B", 1}, {"C", 2}},
	}
	ord := map[int]int{}
	for _, s := range []sentence{
		{0, 1, "Ann", 0, 20}, {0, 1, "Ann", 21, 40}, {0, 2, "Ian", 41, 60},
		{1, 1, "Bo", 0, 22}, {1, 2, "Ian", 23, 37},
		{2, 1, "Cy", 0, 10},
	} {
		ord[s.src]++
		text := texts[s.src]
		d.Sentences = append(d.Sentences, Sentence{Source: s.src, Ord: ord[s.src], Turn: s.turn, Speaker: s.speaker,
			TimeStart: corpus.Time(s.turn * 60000), TimeEnd: corpus.Time(s.turn*60000 + 30000),
			Start: s.start, End: s.end, Text: text[s.start:s.end], Words: words(text, s.start, s.end)})
	}
	add := func(src int, unit coding.Unit, ord, start, end int, code, coder string, origin coding.Origin) {
		c := coding.Coding{Source: d.Sources[src].Name, Unit: unit, Ord: ord, Start: start, End: end, Code: code, Coder: coder, Origin: origin, Text: texts[src][start:end]}
		if origin == coding.OriginRules {
			c.CodebookHash = "abcdef0123456789"
			c.Matches = []coding.RuleMatch{{Tokens: []coding.MatchedToken{{Start: start, End: start + 3, Text: texts[src][start : start+3]}}}}
		}
		d.Codings = append(d.Codings, &c)
	}
	add(0, coding.UnitSentence, 1, 0, 20, "x", "rules", coding.OriginRules)
	add(0, coding.UnitSentence, 1, 0, 20, "x", "amina", coding.OriginManual)
	add(0, coding.UnitSentence, 1, 0, 20, "y", "rules", coding.OriginRules)
	add(0, coding.UnitSentence, 2, 21, 40, "y", "rules", coding.OriginRules)
	add(0, coding.UnitSpan, 0, 35, 45, "z", "amina", coding.OriginManual)
	add(1, coding.UnitSentence, 1, 0, 22, "x", "rules", coding.OriginRules)
	add(1, coding.UnitSource, 0, 0, 37, "y", "bo", coding.OriginImport)
	return d
}

func TestWords(t *testing.T) {
	// The hand count the expectations below rest on.
	d := testData(t)
	got := []int{}
	for _, s := range d.Sentences {
		got = append(got, len(s.Words))
	}
	if d := diff([]int{4, 3, 3, 5, 2, 2}, got); d != "" {
		t.Fatalf("words per sentence (-want +got):\n%s", d)
	}
}

// cells returns the table's rows as strings, header first.
func cells(t *Table) [][]string {
	out := [][]string{t.Header()}
	t.Each(func(row []Cell) error {
		r := make([]string, len(row))
		for i, c := range row {
			r[i] = c.String()
		}
		out = append(out, r)
		return nil
	})
	return out
}

func TestFrequencies(t *testing.T) {
	a := mustNew(t, "")
	tb, err := a.Frequencies(FrequencyOptions{Own: true})
	if err != nil {
		t.Fatal(err)
	}
	// A code with sub-codes is counted with them, and says so; the
	// columns ending _own count its own codings alone.
	want := [][]string{
		{"code", "path", "level", "includes_sub_codes", "codings", "coded_segments", "sources", "cases", "cases_pct", "words", "coverage_pct",
			"codings_own", "coded_segments_own", "sources_own", "cases_own", "cases_pct_own", "words_own", "coverage_pct_own"},
		// t has no codings of its own; with x and y: A s1 (three codings,
		// one segment), A s2, B s1, B whole; words A 4+3, B 7 of 19.
		{"t", "Theme", "1", "yes", "6", "4", "2", "2", "66.7", "14", "73.7", "0", "0", "0", "0", "0", "0", "0"},
		// x: A s1 by two coders (one segment) and B s1: 4 + 5 words.
		{"x", "Theme > Ex", "2", "no", "3", "2", "2", "2", "66.7", "9", "47.4", "3", "2", "2", "2", "66.7", "9", "47.4"},
		// y: A s1, A s2 (4 + 3 words), B whole (all 7 of its words).
		{"y", "Theme > Why", "2", "no", "3", "3", "2", "2", "66.7", "14", "73.7", "3", "3", "2", "2", "66.7", "14", "73.7"},
		// z: A [35,45) touches "wondered" and "Okay".
		{"z", "Zed", "1", "no", "1", "1", "1", "1", "33.3", "2", "10.5", "1", "1", "1", "1", "33.3", "2", "10.5"},
	}
	if d := diff(want, cells(tb)); d != "" {
		t.Errorf("frequencies (-want +got):\n%s", d)
	}
}

func TestFrequenciesSplit(t *testing.T) {
	a := mustNew(t, "")
	tb, err := a.Frequencies(FrequencyOptions{Split: "coder"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range cells(tb)[1:] {
		got[r[0]+"/"+r[3]] = strings.Join(r[5:], " ")
	}
	for key, want := range map[string]string{
		"x/amina": "1 1 1 1 33.3 4 21.1",
		"x/rules": "2 2 2 2 66.7 9 47.4",
		"x/bo":    "0 0 0 0 0 0 0",
		"y/bo":    "1 1 1 1 33.3 7 36.8",
		"y/rules": "2 2 1 1 33.3 7 36.8",
		"z/amina": "1 1 1 1 33.3 2 10.5",
	} {
		if got[key] != want {
			t.Errorf("%s: %q, want %q", key, got[key], want)
		}
	}
	if len(tb.Columns) != 12 || tb.Columns[3].Name != "coder" || tb.Columns[4].Name != ColIncludesSub {
		t.Errorf("columns %v", tb.Header())
	}
	tb, err = a.Frequencies(FrequencyOptions{Split: "origin"})
	if err != nil {
		t.Fatal(err)
	}
	var origins []string
	for _, r := range cells(tb)[1:] {
		if r[0] == "y" {
			origins = append(origins, r[3]+"="+r[5])
		}
	}
	if d := diff([]string{"rules=2", "manual=0", "import=1"}, origins); d != "" {
		t.Errorf("y by origin (-want +got):\n%s", d)
	}
	if _, err := a.Frequencies(FrequencyOptions{Split: "speaker"}); qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("split by speaker: %v", err)
	}
}

func TestCoder(t *testing.T) {
	a := mustNew(t, "rules")
	if a.CodingCount() != 4 {
		t.Errorf("%d rules codings, want 4", a.CodingCount())
	}
	_, err := newTables(testData(t), "amna")
	if qcode.ErrorCode(err) != qcode.ENOTFOUND || !slices.Equal(qcode.Suggestions(err), []string{"amina"}) {
		t.Errorf("unknown coder: %v", err)
	}
}

func TestMatrix(t *testing.T) {
	a := mustNew(t, "")
	tb, err := a.Matrix(MatrixOptions{By: "source", Percent: "row"})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"code", "path", "A", "B", "C", "total_coded_segments", "A_pct", "B_pct", "C_pct"},
		{"t", "Theme", "0", "0", "0", "0", "", "", ""},
		{"x", "Theme > Ex", "1", "1", "0", "2", "50", "50", "0"},
		{"y", "Theme > Why", "2", "1", "0", "3", "66.7", "33.3", "0"},
		{"z", "Zed", "1", "0", "0", "1", "100", "0", "0"},
		// Segments with any code: A s1, A s2, A [35,45); B s1, B whole.
		{"total", "", "3", "2", "0", "5", "60", "40", "0"},
	}
	if d := diff(want, cells(tb)); d != "" {
		t.Errorf("code x source (-want +got):\n%s", d)
	}
	if *tb.Heat != (Block{0, 4, 2, 5}) {
		t.Errorf("heat %+v", *tb.Heat)
	}
	// A s1 is coded x and y: a row each, once in the total row, whose A
	// (3) is less than the sum of its column (4). Each segment is in one
	// source, so the total column is its row's sum.
	if tb.Name != "Code x Source (coded segments)" || len(tb.Notes) != 1 ||
		!strings.HasPrefix(tb.Notes[0], "The total row counts the coded segments of every code together, each once: a segment with two codes counts once there, so") {
		t.Errorf("code x source: name %q, notes %q", tb.Name, tb.Notes)
	}
	// Codings, each of one code: the totals are sums, and nothing needs
	// saying.
	tb, err = a.Matrix(MatrixOptions{By: "source", Count: "codings"})
	if err != nil {
		t.Fatal(err)
	}
	if rows := cells(tb); tb.Name != "Code x Source (codings)" || tb.Columns[5].Name != "total_codings" || len(tb.Notes) != 0 ||
		strings.Join(rows[len(rows)-1], ",") != "total,,5,2,0,7" {
		t.Errorf("code x source in codings: name %q, columns %v, notes %q, total %v", tb.Name, tb.Header(), tb.Notes, rows[len(rows)-1])
	}
	// Rolled up, t's row repeats x's and y's codings: the rows sum to
	// more than the total, and the note says why.
	tb, err = a.Matrix(MatrixOptions{By: "source", Count: "codings", RollUp: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Notes) != 1 || !strings.Contains(tb.Notes[0], "a code's row includes its sub-codes' codings") {
		t.Errorf("code x source in codings, rolled up: notes %q", tb.Notes)
	}

	tb, err = a.Matrix(MatrixOptions{By: "attr:role", Count: "cases", Percent: "column", RollUp: true})
	if err != nil {
		t.Fatal(err)
	}
	want = [][]string{
		{"code", "path", "NHS", "partner", "total_cases", "NHS_pct", "partner_pct"},
		{"t", "Theme", "1", "1", "2", "100", "100"},
		{"x", "Theme > Ex", "1", "1", "2", "100", "100"},
		{"y", "Theme > Why", "1", "1", "2", "100", "100"},
		{"z", "Zed", "1", "0", "1", "100", "0"},
		// C's case (partner) has no codings.
		{"total", "", "1", "1", "2", "100", "100"},
	}
	if d := diff(want, cells(tb)); d != "" {
		t.Errorf("code x role (-want +got):\n%s", d)
	}
	if tb.Name != "Code x role (cases)" || len(tb.Notes) != 1 || !strings.Contains(tb.Notes[0], "a case with two codes counts once there, and a code's row includes its sub-codes") {
		t.Errorf("name %q, notes %q", tb.Name, tb.Notes)
	}

	// Numbers sort as numbers; a case without a value gets (none).
	tb, err = a.Matrix(MatrixOptions{By: "attr:years", Count: "words"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tb.Header(), ","); got != "code,path,2.5,4,(none),total_words_coded" {
		t.Errorf("years columns %s", got)
	}
	if got := strings.Join(cells(tb)[3], ","); got != "y,Theme > Why,0,7,7,14" {
		t.Errorf("y by years, words: %s", got)
	}

	tb, _ = a.Matrix(MatrixOptions{By: "case", Count: "codings"})
	if got := strings.Join(cells(tb)[2], ","); got != "x,Theme > Ex,2,1,0,3" {
		t.Errorf("x by case, codings: %s", got)
	}

	for _, bad := range []struct {
		o       MatrixOptions
		code    string
		want    string
		suggest string // the name a front end's hint offers, if any
	}{
		{MatrixOptions{By: "speaker"}, qcode.EINVALID, "by speaker", ""},
		{MatrixOptions{By: "attr:rol"}, qcode.ENOTFOUND, "attribute rol", "role"},
		{MatrixOptions{Count: "turns"}, qcode.EINVALID, "count turns", ""},
		{MatrixOptions{Percent: "cell"}, qcode.EINVALID, "percent cell", ""},
	} {
		_, err := a.Matrix(bad.o)
		if qcode.ErrorCode(err) != bad.code || !strings.Contains(err.Error(), bad.want) || bad.suggest != "" && !slices.Contains(qcode.Suggestions(err), bad.suggest) {
			t.Errorf("%+v: %v", bad.o, err)
		}
	}
}

func TestCooccurrence(t *testing.T) {
	a := mustNew(t, "")
	same := cells(a.Cooccurrence(CooccurrenceOptions{}))
	want := [][]string{
		{"code", "path", "x", "y", "z"},
		{"x", "Theme > Ex", "2", "1", "0"},
		{"y", "Theme > Why", "1", "3", "0"},
		{"z", "Zed", "0", "0", "1"},
	}
	if d := diff(want, same); d != "" {
		t.Errorf("same segment (-want +got):\n%s", d)
	}
	// x and y share A s1 of x's 2 and y's 3 segments: 1/4.
	if got := cells(a.Cooccurrence(CooccurrenceOptions{Jaccard: true}))[1][3]; got != "0.25" {
		t.Errorf("jaccard x,y %s", got)
	}
	over := cells(a.Cooccurrence(CooccurrenceOptions{Overlap: true}))
	want = [][]string{
		{"code", "path", "x", "y", "z"},
		// x–y: A [0,20) and B [0,22); y–z: A [35,40).
		{"x", "Theme > Ex", "2", "2", "0"},
		{"y", "Theme > Why", "2", "3", "1"},
		{"z", "Zed", "0", "1", "1"},
	}
	if d := diff(want, over); d != "" {
		t.Errorf("overlap (-want +got):\n%s", d)
	}
	// Characters: x 20+22, y 20+19+37, both 20+22: 42/76; y–z 5 of 76+10-5.
	j := cells(a.Cooccurrence(CooccurrenceOptions{Overlap: true, Jaccard: true}))
	if j[1][3] != "0.553" || j[2][4] != "0.062" {
		t.Errorf("overlap jaccard x,y %s, y,z %s", j[1][3], j[2][4])
	}
	rolled := cells(a.Cooccurrence(CooccurrenceOptions{RollUp: true}))
	if got := strings.Join(rolled[0], ","); got != "code,path,t,x,y,z" {
		t.Errorf("rolled up codes %s", got)
	}
	if got := strings.Join(rolled[1], ","); got != "t,Theme,4,2,3,0" {
		t.Errorf("t rolled up: %s", got)
	}
	pairs := cells(a.Cooccurrence(CooccurrenceOptions{Overlap: true, Pairs: true}))
	want = [][]string{{"code_a", "code_b", "count", "jaccard"}, {"x", "y", "2", "0.553"}, {"y", "z", "1", "0.062"}}
	if d := diff(want, pairs); d != "" {
		t.Errorf("pairs (-want +got):\n%s", d)
	}
	// Pairs when more codes have codings than PairsOver (3 here), a
	// matrix when as many or fewer.
	if over := cells(a.Cooccurrence(CooccurrenceOptions{Overlap: true, PairsOver: 2})); diff(want, over) != "" {
		t.Errorf("PairsOver 2 did not list pairs: %v", over[0])
	}
	if m := cells(a.Cooccurrence(CooccurrenceOptions{Overlap: true, PairsOver: 3})); m[0][0] != "code" {
		t.Errorf("PairsOver 3 did not give a matrix: %v", m[0])
	}
}

func TestFramework(t *testing.T) {
	a := mustNew(t, "")
	sums := []coding.Summary{
		{Case: "ca", Theme: "t", Coder: "amina", Text: "Ann sees loss, then wonder (A:s2)."},
		{Case: "cc", Theme: "z", Coder: "ben", Text: "Says nothing on it."},
		// Of a case and a theme the matrix does not show: left out.
		{Case: "gone", Theme: "t", Coder: "ben", Text: "a case renamed since"},
		{Case: "cb", Theme: "y", Coder: "ben", Text: "a sub-code, not a theme here"},
	}
	m, err := a.FrameworkMatrix(FrameworkOptions{Attrs: []string{"role"}, Summaries: sums})
	if err != nil {
		t.Fatal(err)
	}
	// The themes come before the attributes, so that they start on the
	// first screen however many attributes there are.
	want := [][]string{
		{"case", "Theme", "Zed", "role"},
		{"ca", "Ann sees loss, then wonder (A:s2).\n\nA:s1, A:s2", "A:35-45", "NHS"},
		// B s1 lies inside the coding of all of B: shown once.
		{"cb", "B", "", "partner"},
		{"cc", "", "Says nothing on it.", "partner"},
	}
	if d := diff(want, cells(m.Table())); d != "" {
		t.Errorf("framework (-want +got):\n%s", d)
	}
	wantQuotes := [][]string{
		{"case", "theme", "ref", "speaker", "quote"},
		{"ca", "t", "A:s1", "Ann", "Wee lamb cried loud."},
		{"ca", "t", "A:s2", "Ann", "Then they wondered."},
		{"ca", "z", "A:35-45", "Ann, Ian", "ered. Okay"},
		{"cb", "t", "B", "Bo, Ian", textB},
	}
	if d := diff(wantQuotes, cells(m.QuotesTable())); d != "" {
		t.Errorf("framework quotes (-want +got):\n%s", d)
	}
	// Each cell's first quote is the row of the quotes table it links to.
	if got := fmt.Sprint(m.QuoteRows()); got != "[[0 2] [3 -1] [-1 -1]]" {
		t.Errorf("quote rows %s", got)
	}
	if cells, summarised, quotes := m.Count(); cells != 6 || summarised != 2 || quotes != 4 {
		t.Errorf("count: %d cells, %d summarised, %d quotes", cells, summarised, quotes)
	}
	if m.Cases[0].Cells[0].Summary.Coder != "amina" || m.Cases[1].Cells[0].Summary != nil {
		t.Errorf("summaries in the wrong cells: %+v", m.Cases)
	}

	tb, err := a.Framework(FrameworkOptions{Themes: []string{"y"}, Attrs: []string{}, Summaries: sums})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tb.Header(), ","); got != "case,Theme > Why" {
		t.Errorf("named theme: %s", got)
	}
	if got := cells(tb)[2][1]; got != "a sub-code, not a theme here\n\nB" {
		t.Errorf("a named theme's summary: %q", got)
	}
	if _, err := a.Framework(FrameworkOptions{Themes: []string{"zz"}}); qcode.ErrorCode(err) != qcode.ENOTFOUND || !slices.Equal(qcode.Suggestions(err), []string{"z"}) {
		t.Errorf("unknown theme: %v", err)
	}
	if _, err := a.Framework(FrameworkOptions{Attrs: []string{"yaers"}}); qcode.ErrorCode(err) != qcode.ENOTFOUND || !slices.Equal(qcode.Suggestions(err), []string{"years"}) {
		t.Errorf("unknown attribute: %v", err)
	}
}

// A cell holds its summary and as many references as fit in
// MaxFrameworkCell characters, then counts the rest; a summary of the
// most characters allowed leaves room for the count.
func TestFrameworkCellCap(t *testing.T) {
	quotes := func(n int) []FrameworkQuote {
		var q []FrameworkQuote
		for i := range n {
			q = append(q, FrameworkQuote{Ref: fmt.Sprintf("P01:s%d", 100+i)})
		}
		return q
	}
	long := strings.Repeat("é", coding.MaxSummary)
	for _, c := range []struct {
		name           string
		cell           FrameworkCell
		shown, counted int // references shown, and the count of the rest (0 for none)
	}{
		{"few", FrameworkCell{Quotes: quotes(3)}, 3, 0},
		{"many", FrameworkCell{Quotes: quotes(500)}, 0, 0},
		{"summary and many", FrameworkCell{Summary: &coding.Summary{Text: "short"}, Quotes: quotes(500)}, 0, 0},
		{"longest summary and many", FrameworkCell{Summary: &coding.Summary{Text: long}, Quotes: quotes(500)}, 0, 0},
		{"longest summary and one", FrameworkCell{Summary: &coding.Summary{Text: long}, Quotes: quotes(1)}, 1, 0},
		{"exactly full", FrameworkCell{Quotes: quotes(100)}, 100, 0}, // 100 refs of 8 and 99 separators of 2: 998
		{"one more than fits", FrameworkCell{Quotes: quotes(101)}, 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := c.cell.Text()
			if n := utf8.RuneCountInString(text); n > MaxFrameworkCell {
				t.Errorf("%d characters, more than %d", n, MaxFrameworkCell)
			}
			refs := strings.Count(text, "P01:s")
			more := 0
			if _, after, ok := strings.Cut(text, "… and "); ok {
				fmt.Sscanf(after, "%d", &more)
			} else if i := strings.LastIndex(text, "\n\n"); i >= 0 && refs == 0 {
				fmt.Sscanf(text[i+2:], "%d", &more)
			}
			if c.shown > 0 && refs != c.shown {
				t.Errorf("%d references shown, want %d: %q", refs, c.shown, text)
			}
			// Nothing is lost: each quote is shown or counted.
			if refs+more != len(c.cell.Quotes) {
				t.Errorf("%d shown and %d counted of %d quotes: %q", refs, more, len(c.cell.Quotes), text)
			}
			if c.cell.Summary != nil && !strings.HasPrefix(text, c.cell.Summary.Text+"\n\n") {
				t.Errorf("the summary does not lead the cell: %q", text)
			}
			if refs < len(c.cell.Quotes) && !strings.HasSuffix(text, "(Framework quotes)") {
				t.Errorf("the rest are not said to be on the quotes table: %q", text)
			}
		})
	}
}

func TestCodingsAndSegments(t *testing.T) {
	a := mustNew(t, "")
	c := cells(a.Codings())
	if got := strings.Join(c[0], ","); got != "source,speaker,code,path,text,memo,coder,origin,created_at,case,role,years,time_start,time_end,segment,start,end,cat1,cat2,matched,negated,codebook_hash" {
		t.Errorf("codings header %s", got)
	}
	if len(c) != 8 {
		t.Fatalf("%d coding rows, want 7", len(c)-1)
	}
	// Sorted by source and start, the longest first, then code and coder.
	if got := strings.Join(c[1], "|"); got != "A|Ann|x|Theme > Ex|Wee lamb cried loud.||amina|manual||ca|NHS|4|00:01:00|00:01:30|A:s1|0|20|Theme|Ex|||" {
		t.Errorf("first coding %s", got)
	}
	if got := strings.Join(c[2], "|"); got != "A|Ann|x|Theme > Ex|Wee lamb cried loud.||rules|rules||ca|NHS|4|00:01:00|00:01:30|A:s1|0|20|Theme|Ex|Wee|0|abcdef012345" {
		t.Errorf("rules coding %s", got)
	}
	if got := strings.Join(c[5], "|"); got != "A|Ann, Ian|z|Zed|ered. Okay||amina|manual||ca|NHS|4|00:01:00|00:02:30|A:35-45|35|45|Zed||||" {
		t.Errorf("span coding %s", got)
	}
	s := cells(a.Segments())
	if got := strings.Join(s[0], ","); got != "segment,source,case,role,years,speaker,turn,time_start,start,end,words,text,t,x,y,z" {
		t.Errorf("segments header %s", got)
	}
	// t is 1 wherever x or y is; C:s1, which no coding touches, is left
	// out.
	want := []string{"A:s1 1 1 1 0", "A:s2 1 0 1 1", "A:s3 0 0 0 1", "B:s1 1 1 1 0", "B:s2 1 0 1 0"}
	var got []string
	for _, r := range s[1:] {
		got = append(got, r[0]+" "+strings.Join(r[12:], " "))
	}
	if d := diff(want, got); d != "" {
		t.Errorf("segments (-want +got):\n%s", d)
	}
	if got := strings.Join(s[5][:12], "|"); got != "B:s2|B|cb|partner||Ian|2|00:02:00|23|37|2|Two elephants." {
		t.Errorf("B:s2 %s", got)
	}
}

func TestWorkbook(t *testing.T) {
	a := mustNew(t, "")
	w, err := a.Workbook(WorkbookOptions{About: AboutInfo{Project: "study", CodebookPath: "codebook.yaml", CodebookHash: "fedcba9876543210"}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range w.Tables() {
		names = append(names, tb.Name)
	}
	// years is a number: no sheet of its own.
	if got := strings.Join(names, ","); got != "About,Codebook,Frequencies,Code x Source (coded segments),Code x role (cases),Co-occurrence,Codings,Segments,Framework,Framework quotes,Memos" {
		t.Errorf("sheets %s", got)
	}
	about := map[string]string{}
	for _, r := range cells(w.About)[1:] {
		about[r[0]] = r[1]
	}
	for k, want := range map[string]string{
		"codings":     "7",
		"words":       "19",
		"coders":      "all: amina, bo, rules",
		"coder rules": "4 codings (4 with codebook abcdef012345); the codebook has changed since: run 'qcode code' to bring them up to date",
		"coder bo":    "1 coding",
	} {
		if about[k] != want {
			t.Errorf("About %s = %q, want %q", k, about[k], want)
		}
	}
	for _, tb := range w.Tables()[1:] {
		if about[tb.Name] == "" {
			t.Errorf("About does not say what %s is for", tb.Name)
		}
	}
	if got := cells(w.Codebook)[4]; got[0] != "z" || got[4] != "=SUM(A1:A9)" {
		t.Errorf("codebook row %v", got)
	}
}

// TestWordCountedOnce codes two passages of A that leave a gap inside
// "wondered" [31,39): the word is coded once, with "Okay".
func TestWordCountedOnce(t *testing.T) {
	d := testData(t)
	d.Codings = nil
	for _, span := range [][2]int{{35, 37}, {38, 45}} {
		d.Codings = append(d.Codings, &coding.Coding{Source: "A", Unit: coding.UnitSpan, Start: span[0], End: span[1], Code: "z", Coder: "amina", Origin: coding.OriginManual, Text: textA[span[0]:span[1]]})
	}
	a, err := newTables(d, "")
	if err != nil {
		t.Fatal(err)
	}
	tb, _ := a.Frequencies(FrequencyOptions{})
	if got := strings.Join(cells(tb)[4], " "); got != "z Zed 1 no 2 2 1 1 33.3 2 10.5" {
		t.Errorf("z: %s", got)
	}
	// By overlap the two passages are two stretches of 2 and 7 characters.
	over := cells(a.Cooccurrence(CooccurrenceOptions{Overlap: true}))
	if got := strings.Join(over[1], " "); got != "z Zed 2" {
		t.Errorf("z by overlap: %s", got)
	}
}

// TestWordsOnlyAtBounds gives each sentence its count of words, and its
// words only where a coding starts or ends inside it, as
// project.ReportData does: the counts of words coded are those of the
// data with every sentence's words, whose figures TestFrequencies checks
// by hand.
func TestWordsOnlyAtBounds(t *testing.T) {
	full, lean := testData(t), testData(t)
	for i := range lean.Sentences {
		s := &lean.Sentences[i]
		s.WordCount = len(s.Words)
		inside := false
		for _, c := range lean.Codings {
			if lean.Sources[s.Source].Name != c.Source {
				continue
			}
			for _, b := range []int{c.Start, c.End} {
				inside = inside || (s.Start < b && b < s.End)
			}
		}
		if !inside {
			s.Words = nil
		}
	}
	kept := 0
	for _, s := range lean.Sentences {
		if s.Words != nil {
			kept++
		}
	}
	if kept == 0 || kept == len(lean.Sentences) {
		t.Fatalf("%d of %d sentences keep their words; the test needs some, not all", kept, len(lean.Sentences))
	}
	for _, o := range []FrequencyOptions{{Own: true}, {Split: "coder"}, {Split: "origin", Own: true}} {
		var got [2][][]string
		for i, d := range []*Data{full, lean} {
			a, err := newTables(d, "")
			if err != nil {
				t.Fatal(err)
			}
			tb, err := a.Frequencies(o)
			if err != nil {
				t.Fatal(err)
			}
			got[i] = cells(tb)
		}
		if d := diff(got[0], got[1]); d != "" {
			t.Errorf("%+v: frequencies with words at the bounds only (-every sentence's +bounds only):\n%s", o, d)
		}
	}
}

// TestMatrixTotalColumnNote puts sources A and B in one case: x, coded in
// both, is one case in each column and one case in all, so its total is
// less than its row's sum, and a note says why.
func TestMatrixTotalColumnNote(t *testing.T) {
	d := testData(t)
	d.Sources[1].Case = 0
	a, err := newTables(d, "")
	if err != nil {
		t.Fatal(err)
	}
	tb, err := a.Matrix(MatrixOptions{By: "source", Count: "cases"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cells(tb)[2], ","); got != "x,Theme > Ex,1,1,0,1" {
		t.Errorf("x: %s", got)
	}
	if len(tb.Notes) != 2 || !strings.HasPrefix(tb.Notes[1], "The total column counts each case once, though it may fall in more than one column") {
		t.Errorf("notes %q", tb.Notes)
	}
}
