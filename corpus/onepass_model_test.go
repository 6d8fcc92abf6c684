package corpus

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestWordsMatchesProseOnPunktsModel puts every abbreviation, collocation
// and frequent sentence starter of Punkt's English model into the
// positions where the one-pass tokenizer decides a boundary from the model
// itself, in lower and upper case, and holds it to the prose path: random
// text seldom hits these words.
func TestWordsMatchesProseOnPunktsModel(t *testing.T) {
	st := sentenceTokenizer().Storage
	var texts []string
	title := func(s string) string {
		r, size := utf8.DecodeRuneInString(s)
		return string(unicode.ToUpper(r)) + s[size:]
	}
	for a := range st.AbbrevTypes {
		texts = append(texts, "It was "+a+". Then we left", "It was "+a+". then we left", title(a)+". The end? Yes. "+a+". x")
	}
	for c := range st.Collocations {
		a, b, _ := strings.Cut(c, ",")
		texts = append(texts, "We saw "+a+". "+b+" again", "We saw "+title(a)+". "+title(b)+", again", a+". "+b+". "+b+"!")
	}
	for s := range st.SentStarters {
		texts = append(texts, "Ask Dr. "+title(s)+" now", "The u.s. "+title(s)+" too", "at 3 p.m. "+s+" and A. "+title(s)+".")
	}
	for w := range st.OrthoContext {
		if len(texts) > 60000 {
			break
		}
		texts = append(texts, "See J. "+title(w)+" and no. "+w+". Mr. "+w+"? e.g. "+title(w)+" ok")
	}
	compared := 0
	for _, text := range texts {
		got, gotSent := Words(text)
		want, wantSent := WordsProse(text)
		if len(got) != len(want) {
			t.Fatalf("%q: one pass gives %d tokens, prose %d", text, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] || gotSent[i] != wantSent[i] {
				t.Fatalf("%q: token %d: one pass gives %q in sentence %d, prose %q in sentence %d", text, i, got[i].Text, gotSent[i], want[i].Text, wantSent[i])
			}
		}
		compared++
	}
	if compared < 1000 {
		t.Fatalf("only %d texts from the model", compared)
	}
}
