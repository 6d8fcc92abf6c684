package corpus

import (
	"reflect"
	"strings"
	"testing"
)

// onePara returns the sample interviews run together as one paragraph, as
// a transcript written on one line is: tens of kilobytes of turns, titles,
// abbreviations and short answers.
func onePara(tb testing.TB) string {
	var b strings.Builder
	for _, in := range sampleTexts(tb) {
		b.WriteString(strings.Join(strings.Fields(string(in.Data)), " "))
		b.WriteByte(' ')
	}
	return strings.TrimSpace(b.String())
}

func withWindow(tb testing.TB, n int) {
	old := punktWindow
	punktWindow = n
	tb.Cleanup(func() { punktWindow = old })
}

// Punkt given the paragraph in windows finds the sentences and tokens it
// finds given it whole, whatever the window's size, including windows
// smaller than one sentence.
func TestSentencesInWindows(t *testing.T) {
	text := onePara(t)
	span := Span{0, len(text)}
	withWindow(t, len(text)+1)
	whole := Sentences(text, span)
	if len(whole) < 500 {
		t.Fatalf("the sample paragraph has %d sentences; want a long paragraph", len(whole))
	}
	for _, n := range []int{7, 100, 999, 4096, 50000} {
		punktWindow = n
		got := Sentences(text, span)
		if len(got) != len(whole) {
			t.Fatalf("window %d: %d sentences, whole %d", n, len(got), len(whole))
		}
		for i := range got {
			if !reflect.DeepEqual(got[i], whole[i]) {
				t.Fatalf("window %d: sentence %d is %q, whole gives %q", n, i, text[got[i].Start:got[i].End], text[whole[i].Start:whole[i].End])
			}
		}
	}
}

// EachSentence stops when yield says so.
func TestEachSentenceStops(t *testing.T) {
	text := onePara(t)
	withWindow(t, 300)
	n := 0
	EachSentence(text, Span{0, len(text)}, func(s Sentence) bool {
		n++
		return n < 3
	})
	if n != 3 {
		t.Fatalf("yield called %d times after saying stop at 3", n)
	}
}

// The bytes Punkt allocates for a long paragraph grow with the paragraph
// in any case, but what it holds at once is a window: compare allocs/op of
// EachSentence (keeping nothing) with Sentences (keeping everything).
func BenchmarkEachSentenceLongParagraph(b *testing.B) {
	text := onePara(b)
	for len(text) < 4<<20 {
		text = text + " " + text
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		EachSentence(text, Span{0, len(text)}, func(Sentence) bool { return true })
	}
}
