package search

import (
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
)

// FuzzSpaceTokenizer holds qcode's tokenizer of the words field to
// bleve's whitespace tokenizer, which indexes made before it use, token
// for token: the same text must give the same terms at the same places
// in either.
func FuzzSpaceTokenizer(f *testing.F) {
	for _, s := range []string{"", " ", "one", "nurses said  they\tleft\n", " lead  ", "zoë’s 🙂 idea",
		"no\u00a0break", "word\u2060joined", "bad \xff byte after", "stops \ufffd here", "x"} {
		f.Add([]byte(s))
	}
	theirs, err := whitespace.TokenizerConstructor(nil, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, input []byte) {
		want := theirs.Tokenize(input)
		got := spaceTokenizer{}.Tokenize(input)
		if len(want) == 0 && len(got) == 0 {
			return
		}
		if w, g := deref(want), deref(got); !slices.EqualFunc(w, g, sameToken) {
			t.Errorf("%q: bleve's whitespace tokenizer gives\n%+v\nours\n%+v", input, w, g)
		}
	})
}

func sameToken(a, b analysis.Token) bool {
	return string(a.Term) == string(b.Term) && a.Start == b.Start && a.End == b.End && a.Position == b.Position && a.Type == b.Type && a.KeyWord == b.KeyWord
}

func deref(ts analysis.TokenStream) []analysis.Token {
	out := make([]analysis.Token, len(ts))
	for i, t := range ts {
		out[i] = *t
	}
	return out
}
