package corpus

import (
	"slices"
	"strings"
	"testing"
)

// A chunk longer than maxProseChunk (a pasted link, a row of dots or
// brackets) is never given to prose, whose time grows with the square of a
// run of punctuation: kept whole when it holds a letter or digit, split
// into its characters otherwise, as prose does with the real ones; the
// one-pass and prose paths agree on it.
func TestLongChunkIsScanned(t *testing.T) {
	for _, chunk := range []string{
		strings.Repeat("e.g.", 200),
		strings.Repeat(")", 3000),
		"https://example.org/" + strings.Repeat("partnership-report/", 40) + "final.pdf",
		strings.Repeat(".", 5000) + "a",
		"(" + strings.Repeat("?!", 4000),
	} {
		text := "We read it: " + chunk + " and then we talked."
		toks, _ := Words(text)
		at := strings.Index(text, chunk)
		var got []string
		for _, tk := range toks {
			if tk.Start >= at && tk.End <= at+len(chunk) {
				got = append(got, tk.Text)
			}
		}
		want := []string{chunk}
		if strings.IndexFunc(chunk, isWordRune) < 0 {
			want = nil
			for _, tk := range scanTokens(chunk, 0, len(chunk)) {
				want = append(want, tk.Text)
			}
		}
		if !strings.HasPrefix(chunk, ".") && !slices.Equal(got, want) {
			t.Errorf("%.20q…: %d tokens, want %d", chunk, len(got), len(want))
		}
		if n := proseLongest.Load(); n > 1024 {
			t.Errorf("%.20q…: prose was given a chunk of %d bytes", chunk, n)
		}
		if old, _ := WordsProse(text); !slices.Equal(old, toks) {
			t.Errorf("%.20q…: the one-pass tokens differ from the prose path's", chunk)
		}
	}
}
