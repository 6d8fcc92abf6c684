package corpus

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"qcode"
	"qcode/internal/corpusgen"
	"qcode/internal/sample"
)

func sampleText(t testing.TB, name string) string {
	t.Helper()
	data, err := fs.ReadFile(sample.FS(), name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// checkDiff asserts that Diff(old, new) gives sorted, non-overlapping
// edits on character boundaries that ApplyEdits turns into new.
func checkDiff(t testing.TB, old, new string) []Edit {
	t.Helper()
	edits := Diff(old, new)
	if err := checkEdits(old, edits); err != nil {
		t.Fatalf("Diff gave bad edits: %v", err)
	}
	for _, e := range edits {
		if !utf8.ValidString(e.Text) {
			t.Fatalf("edit %+v: text is not UTF-8", e)
		}
		if e.Start == e.End && e.Text == "" {
			t.Fatalf("edit %+v does nothing", e)
		}
	}
	got, err := ApplyEdits(old, edits)
	if err != nil {
		t.Fatal(err)
	}
	if got != new {
		t.Fatalf("ApplyEdits(Diff) differs from new:\n%q\n%q", got, new)
	}
	return edits
}

func TestDiff(t *testing.T) {
	for _, tc := range []struct {
		name, old, new string
		want           []Edit
	}{
		{"same", "Sarah said so.", "Sarah said so.", nil},
		{"typo", "the partnreship was good", "the partnership was good", []Edit{{Start: 9, End: 11, Text: "er"}}},
		{"name", "So, Sarah, thanks.", "So, [Participant 3], thanks.", []Edit{{Start: 4, End: 9, Text: "[Participant 3]"}}},
		{"insert", "I went in 2019.", "I went out in 2019.", []Edit{{Start: 7, End: 7, Text: "out "}}},
		{"delete line", "a line\nthe second\nthird\n", "a line\nthird\n", []Edit{{Start: 7, End: 18, Text: ""}}},
		{"accents", "café au lait", "cafè au lait", []Edit{{Start: 3, End: 5, Text: "è"}}},
		{"from empty", "", "Now there is text.", []Edit{{Start: 0, End: 0, Text: "Now there is text."}}},
		{"to empty", "Text.", "", []Edit{{Start: 0, End: 5, Text: ""}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := checkDiff(t, tc.old, tc.new)
			if len(got) != len(tc.want) {
				t.Fatalf("Diff = %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("Diff = %+v, want %+v", got, tc.want)
				}
			}
		})
	}
}

func TestDiffTranscript(t *testing.T) {
	old := sampleText(t, "P03.txt")
	rng := rand.New(rand.NewPCG(3, 15))
	new := corpusgen.Correct(old, 40, 0, rng)
	edits := checkDiff(t, old, new)
	if len(edits) < 20 || len(edits) > 40 {
		t.Errorf("40 scattered word changes gave %d edits", len(edits))
	}
	changed := 0
	for _, e := range edits {
		changed += e.End - e.Start + len(e.Text)
	}
	if changed > 1200 {
		t.Errorf("40 word changes touch %d bytes: the alignment is not tight", changed)
	}
}

func TestDiffUnrelated(t *testing.T) {
	old, new := sampleText(t, "P03.txt"), sampleText(t, "P01.txt")
	checkDiff(t, old, new)
	checkDiff(t, old, strings.Repeat("x", 5000))
	checkDiff(t, strings.ReplaceAll(old, "\n", " "), strings.ReplaceAll(new, "\n", " "))
}

func TestApplyEditsRefuses(t *testing.T) {
	text := "naïve answer"
	for _, tc := range []struct {
		name  string
		edits []Edit
		want  string
	}{
		{"overlap", []Edit{{Start: 0, End: 5}, {Start: 3, End: 4}}, "edit 2 [3, 4): overlaps"},
		{"unsorted", []Edit{{Start: 6, End: 7}, {Start: 0, End: 1}}, "edit 2 [0, 1): overlaps"},
		{"outside", []Edit{{Start: 10, End: 40}}, "edit 1 [10, 40): not a span"},
		{"backwards", []Edit{{Start: 4, End: 2}}, "edit 1 [4, 2): not a span"},
		{"mid character", []Edit{{Start: 3, End: 4, Text: "i"}}, "edit 1 [3, 4): cuts a character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ApplyEdits(text, tc.edits)
			var qe *qcode.Error
			if !errors.As(err, &qe) || qe.Code != qcode.EINVALID || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ApplyEdits = %v, want EINVALID %q", err, tc.want)
			}
		})
	}
}

func TestMapSpan(t *testing.T) {
	old := "We learnt a lot from the midwives in Lusaka about triage."
	//      0         1         2         3         4         5
	//      0123456789012345678901234567890123456789012345678901234567
	span := func(s string) (int, int) {
		i := strings.Index(old, s)
		return i, i + len(s)
	}
	for _, tc := range []struct {
		name          string
		new, coded    string
		want          string // the coded text after the edit
		changed, lost bool
	}{
		{"edit elsewhere", "We learned a lot from the midwives in Lusaka about triage.", "midwives in Lusaka", "midwives in Lusaka", false, false},
		{"insert before", "We learnt a lot from the senior midwives in Lusaka about triage.", "midwives in Lusaka", "midwives in Lusaka", false, false},
		{"insert after", "We learnt a lot from the midwives in Lusaka, Zambia, about triage.", "midwives in Lusaka", "midwives in Lusaka", false, false},
		{"typo inside", "We learnt a lot from the midwives in Lusakka about triage.", "midwives in Lusaka", "midwives in Lusakka", true, false},
		{"replace end", "We learnt a lot from the midwives in [Town 1] about triage.", "midwives in Lusaka", "midwives in [Town 1]", true, false},
		{"replace whole", "We learnt a lot from the midwives in [Town 1] about triage.", "Lusaka", "[Town 1]", true, false},
		{"delete whole", "We learnt a lot from the midwives about triage.", "in Lusaka", "", true, true},
		{"delete around", "We learnt a lot about triage.", "midwives", "", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			edits := checkDiff(t, old, tc.new)
			s, e := span(tc.coded)
			ns, ne, changed, lost := MapSpan(edits, s, e)
			if got := tc.new[ns:ne]; got != tc.want || changed != tc.changed || lost != tc.lost {
				t.Errorf("MapSpan(%q) = %q changed %v lost %v, want %q %v %v (edits %+v)", tc.coded, got, changed, lost, tc.want, tc.changed, tc.lost, edits)
			}
		})
	}
}

func TestSourceEdit(t *testing.T) {
	d := readPlain(t, "P03.txt", sampleText(t, "P03.txt"), Options{})
	Segment(d)
	// A typo fixed in the third turn, a name taken out of the header and a
	// sentence added at the end of the last turn.
	third := d.Text[d.Turns[2].Start:d.Turns[2].End]
	last := d.Turns[len(d.Turns)-1]
	new := strings.Replace(d.Text, third, strings.Replace(third, "want to go", "want to go out", 1), 1)
	new = strings.Replace(new, "J. Whitfield", "[Interviewer]", 1)
	new = new[:len(new)-(len(d.Text)-last.End)] + " Thanks again." + d.Text[last.End:]
	e, err := d.Edit(Diff(d.Text, new))
	if err != nil {
		t.Fatal(err)
	}
	checkSpans(t, e)
	if e.Text != new {
		t.Fatal("edited text differs")
	}
	if len(e.Turns) != len(d.Turns) {
		t.Fatalf("%d turns, want %d", len(e.Turns), len(d.Turns))
	}
	for i := range d.Turns {
		ot, nt := d.Turns[i], e.Turns[i]
		if ot.Speaker != nt.Speaker || ot.Begin != nt.Begin || ot.Line != nt.Line {
			t.Errorf("turn %d: %s %v line %d, was %s %v line %d", i+1, nt.Speaker, nt.Begin, nt.Line, ot.Speaker, ot.Begin, ot.Line)
		}
	}
	if got := e.Text[e.Turns[2].Start:e.Turns[2].End]; got != "And what made you want to go out?" {
		t.Errorf("third turn = %q", got)
	}
	if got := e.Text[e.Turns[len(e.Turns)-1].Start:e.Turns[len(e.Turns)-1].End]; !strings.HasSuffix(got, " Thanks again.") {
		t.Errorf("last turn does not keep the words added at its end: %q", got)
	}
	if got := e.Text[e.Header.Start:e.Header.End]; !strings.Contains(got, "[Interviewer]") || !strings.HasPrefix(got, "Wessex") {
		t.Errorf("header = %q", got)
	}
	if e.Counts().Words != d.Counts().Words+3 {
		t.Errorf("%d words, want %d", e.Counts().Words, d.Counts().Words+3)
	}

	// A line added before the second turn moves the lines after it.
	second := d.Turns[1].Start
	lineStart := strings.LastIndexByte(d.Text[:second], '\n') + 1
	e, err = d.Edit([]Edit{{Start: lineStart, End: lineStart, Text: "I\t00:00:10\tSorry, go on.\n"}})
	if err != nil {
		t.Fatal(err)
	}
	if e.Turns[1].Line != d.Turns[1].Line+1 || e.Turns[0].Line != d.Turns[0].Line {
		t.Errorf("lines %d, %d; want %d, %d", e.Turns[0].Line, e.Turns[1].Line, d.Turns[0].Line, d.Turns[1].Line+1)
	}

	// A turn whose words are all deleted goes.
	e, err = d.Edit([]Edit{{Start: d.Turns[2].Start, End: d.Turns[2].End}})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Turns) != len(d.Turns)-1 || e.Turns[2].Speaker != d.Turns[3].Speaker {
		t.Errorf("deleting a turn's words left %d turns", len(e.Turns))
	}

	if _, err := d.Edit([]Edit{{Start: 5, End: 2}}); qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("a bad edit: %v", err)
	}
}

func BenchmarkDiff(b *testing.B) {
	// A 60,000-character transcript with 300 scattered corrections.
	old := cut(strings.Repeat(sampleText(b, "P03.txt"), 5), 60000)
	new := corpusgen.Correct(old, 300, 0, rand.New(rand.NewPCG(1, 2)))
	b.Run("edited", func(b *testing.B) {
		for b.Loop() {
			Diff(old, new)
		}
	})
	unrelated := cut(strings.Repeat(sampleText(b, "P01.txt"), 5), 60000)
	b.Run("unrelated", func(b *testing.B) {
		for b.Loop() {
			Diff(old, unrelated)
		}
	})
}

// cut returns the first n bytes of s, less a character cut in two.
func cut(s string, n int) string {
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

func FuzzDiff(f *testing.F) {
	f.Add("So, Sarah, thanks for doing this.", "So, [Participant 3], thanks for this.", 4, 9)
	f.Add("café\nau lait\n", "cafè\nlait\nmore\n", 0, 4)
	f.Add("", "x", 0, 0)
	f.Fuzz(func(t *testing.T, old, new string, start, end int) {
		if !utf8.ValidString(old) || !utf8.ValidString(new) {
			return
		}
		edits := checkDiff(t, old, new)
		// A span no edit touches keeps its text.
		if start < 0 || end > len(old) || start >= end || !boundary(old, start) || !boundary(old, end) {
			return
		}
		ns, ne, changed, lost := MapSpan(edits, start, end)
		if ns < 0 || ne < ns || ne > len(new) {
			t.Fatalf("MapSpan(%d, %d) = [%d, %d) outside the new text", start, end, ns, ne)
		}
		if !changed && (lost || new[ns:ne] != old[start:end]) {
			t.Fatalf("MapSpan(%d, %d) = %q unchanged, was %q", start, end, new[ns:ne], old[start:end])
		}
	})
}
