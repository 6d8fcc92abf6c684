package corpus_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"qcode/corpus"
	"qcode/internal/corpusgen"
)

// sameTokens checks that AppendTokens gives the tokens AppendWords gives.
func sameTokens(t *testing.T, name, text string) int {
	t.Helper()
	want, _, _ := corpus.AppendWords(nil, nil, text, 0)
	got := corpus.AppendTokens([]corpus.Token{{Text: "kept", Start: 0, End: 4}}, text)
	if len(got) == 0 || got[0].Text != "kept" {
		t.Fatalf("%s: AppendTokens did not append to the tokens it was given", name)
	}
	got = got[1:]
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Fatalf("%s: token %d: AppendTokens gives %q [%d,%d), AppendWords %q [%d,%d)",
				name, i, got[i].Text, got[i].Start, got[i].End, want[i].Text, want[i].Start, want[i].End)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%s: AppendTokens gives %d tokens, AppendWords %d", name, len(got), len(want))
	}
	return len(want)
}

func TestAppendTokensMatchesAppendWords(t *testing.T) {
	n := 0
	for name, text := range sampleTexts(t) {
		n += sameTokens(t, name, text)
	}
	for i, format := range corpusgen.Formats {
		var buf bytes.Buffer
		if err := corpusgen.Interview(&buf, format, 10000, rand.New(rand.NewPCG(23, uint64(i)))); err != nil {
			t.Fatal(err)
		}
		n += sameTokens(t, format, buf.String())
	}
	for i, s := range wordsSeeds {
		n += sameTokens(t, fmt.Sprintf("seed %d", i), s)
	}
	// A paragraph too long for the one-pass path, which goes to prose.
	long := strings.Repeat("We learnt humility from the nurses. Dr. Okafor said so. ", 1500)
	n += sameTokens(t, "long paragraph", long)
	t.Logf("%d tokens agree", n)
}

func FuzzAppendTokens(f *testing.F) {
	for _, s := range wordsSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		sameTokens(t, "fuzz", text)
	})
}
