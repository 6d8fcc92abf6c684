package fit

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// widest is the longest line's width in characters.
func widest(lines []string) int {
	w := 0
	for _, l := range lines {
		w = max(w, utf8.RuneCountInString(l))
	}
	return w
}

// same fails t unless got is want, line by line.
func same(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestFitsAsItIs(t *testing.T) {
	got := Lines(Table{Header: []string{"code", "codings", "words"}, Keys: 1, Rows: [][]string{
		{"humility", "41", "1,203"},
		{"  risk_aversion", "7", "88"},
	}}, 80)
	want := []string{
		"CODE             CODINGS  WORDS",
		"humility              41  1,203",
		"  risk_aversion        7     88",
	}
	same(t, got, want)
}

func TestWrapsHeaders(t *testing.T) {
	// A frequency table's measures: headers far wider than their numbers
	// wrap at their underscores, and nothing is lettered (they are not
	// values).
	header := []string{"code", "codings_rollup", "segments_rollup", "cases_pct_rollup", "coverage_pct_rollup"}
	rows := [][]string{{"bidirectional_learning", "518", "326", "90", "17.6"}, {"  humility", "41", "30", "36.7", "0.9"}}
	got := Lines(Table{Header: header, Rows: rows, Keys: 1}, 60)
	want := []string{
		"                                            CASES  COVERAGE",
		"                        CODINGS  SEGMENTS     PCT       PCT",
		"CODE                     ROLLUP    ROLLUP  ROLLUP    ROLLUP",
		"bidirectional_learning      518       326      90      17.6",
		"  humility                   41        30    36.7       0.9",
	}
	same(t, got, want)
}

func TestLettersAMatrix(t *testing.T) {
	codes := []string{"learning_as_imagined", "moral_imperative", "hic_agenda", "top_down_teaching"}
	var rows [][]string
	for i, c := range codes {
		row := []string{c}
		for k := range codes {
			row = append(row, fmt.Sprint((i+1)*(k+1)))
		}
		rows = append(rows, row)
	}
	header := append([]string{"code"}, codes...)
	got := Lines(Table{Header: header, Rows: rows, Keys: 1, Values: true}, 50)
	want := []string{
		"CODE                  A  B   C   D",
		"learning_as_imagined  1  2   3   4",
		"moral_imperative      2  4   6   8",
		"hic_agenda            3  6   9  12",
		"top_down_teaching     4  8  12  16",
		"",
		"A learning_as_imagined   B moral_imperative",
		"C hic_agenda   D top_down_teaching",
	}
	same(t, got, want)
	// Whole, it is as wide as it is.
	if w := widest(Lines(Table{Header: header, Rows: rows, Keys: 1, Values: true}, 0)); w != len("learning_as_imagined  LEARNING_AS_IMAGINED  MORAL_IMPERATIVE  HIC_AGENDA  TOP_DOWN_TEACHING") {
		t.Errorf("width 0: %d characters wide", w)
	}
}

func TestSplitsIntoEvenBlocks(t *testing.T) {
	// Thirty sources, as 'report matrix' has them: too many for 100
	// characters even with short headers, so two blocks of fifteen, each
	// beginning with the codes.
	header := []string{"code"}
	row := []string{"  learning_from_partner"}
	for i := range 30 {
		header = append(header, fmt.Sprintf("P%02d", i+1))
		row = append(row, fmt.Sprint(i*7%40))
	}
	got := Lines(Table{Header: header, Rows: [][]string{row}, Keys: 1, Values: true}, 100)
	if len(got) != 5 || got[2] != "" {
		t.Fatalf("want two blocks of a header and a row:\n%s", strings.Join(got, "\n"))
	}
	for _, l := range got {
		if utf8.RuneCountInString(l) > 100 {
			t.Errorf("%d characters: %s", utf8.RuneCountInString(l), l)
		}
	}
	if !strings.HasPrefix(got[0], "CODE ") || !strings.HasPrefix(got[3], "CODE ") || !strings.HasPrefix(got[4], "  learning_from_partner") {
		t.Errorf("each block begins with the codes:\n%s", strings.Join(got, "\n"))
	}
	first, second := strings.Fields(got[0]), strings.Fields(got[3])
	if len(first) != 16 || len(second) != 16 || first[15] != "P15" || second[1] != "P16" {
		t.Errorf("blocks of %d and %d columns, want 15 sources each:\n%s", len(first)-1, len(second)-1, strings.Join(got, "\n"))
	}
}

func TestCutsText(t *testing.T) {
	long := strings.Repeat("word ", 30) // 150 characters
	tab := Table{Header: []string{"case", "role", "quotes"}, Keys: 1, Rows: [][]string{
		{"P01", "NHS", long},
		{"P02", "partner", "short"},
	}}
	got := Lines(tab, 50)
	if w := widest(got); w != 50 {
		t.Errorf("%d characters wide, want 50:\n%s", w, strings.Join(got, "\n"))
	}
	if !strings.HasSuffix(got[1], "…") || !strings.HasPrefix(got[1], "P01   NHS      word word") {
		t.Errorf("the quote is not cut to fit: %q", got[1])
	}
	// On any terminal a cell shows at most MaxCell characters; whole, all.
	if got := Lines(tab, 1000); utf8.RuneCountInString(strings.Fields(got[1])[2]) > MaxCell && !strings.Contains(got[1], "…") {
		t.Errorf("wide terminal: %q", got[1])
	}
	if got := Lines(tab, 0); !strings.Contains(got[1], strings.TrimSpace(long)) {
		t.Errorf("width 0 cut the quote: %q", got[1])
	}
}

func TestNarrowTerminal(t *testing.T) {
	// Columns that cannot be cut (numbers) in a terminal narrower than
	// two of them: one column a block, never lost.
	tab := Table{Header: []string{"code", "a", "b", "c"}, Keys: 1, Rows: [][]string{{"humility", "1,234,567", "2", "3"}}}
	got := Lines(tab, 12)
	var cells []string
	for _, l := range got {
		if strings.HasPrefix(l, "humility") {
			cells = append(cells, strings.Fields(l)[1:]...)
		}
	}
	if !slices.Equal(cells, []string{"1,234,567", "2", "3"}) {
		t.Errorf("cells %v:\n%s", cells, strings.Join(got, "\n"))
	}
}

func TestWrap(t *testing.T) {
	for _, tt := range []struct {
		in    string
		width int
		want  []string
	}{
		{"CASES_PCT_ROLLUP", 6, []string{"CASES", "PCT", "ROLLUP"}},
		{"CASES_PCT_ROLLUP", 9, []string{"CASES_PCT", "ROLLUP"}},
		{"ASPECTS OF THE PARTNERSHIP: SUMMARY", 14, []string{"ASPECTS OF THE", "PARTNERSHIP:", "SUMMARY"}},
		{"WESSEX-LUSAKA", 8, []string{"WESSEX-", "LUSAKA"}},
		{"P01", 1, []string{"P01"}},
		{"", 4, []string{""}},
	} {
		if got := wrap(tt.in, tt.width); !slices.Equal(got, tt.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}

func TestLetters(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := letters(i); got != want {
			t.Errorf("letters(%d) = %s, want %s", i, got, want)
		}
	}
}

func BenchmarkLines(b *testing.B) {
	// A co-occurrence matrix of 60 codes, split into blocks at 100.
	header := []string{"code"}
	var rows [][]string
	for i := range 60 {
		header = append(header, fmt.Sprintf("code_number_%d", i))
	}
	for i := range 60 {
		row := []string{"  " + header[i+1]}
		for k := range 60 {
			row = append(row, fmt.Sprint((i*k)%97))
		}
		rows = append(rows, row)
	}
	b.ReportAllocs()
	for b.Loop() {
		Lines(Table{Header: header, Rows: rows, Keys: 1, Values: true}, 100)
	}
}

func TestNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, "41": true, "1,203": true, "17.6": true, "-0.25": true, "90%": true, "0.5": true,
		"": false, "-": false, "abc": false, ".5": false, "5.": false, "2025-01-21": false, "P01": false, "1.2.3": false, "12a": false,
	} {
		if got := number(s); got != want {
			t.Errorf("number(%q) = %v", s, got)
		}
	}
}
