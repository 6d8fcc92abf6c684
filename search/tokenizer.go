package search

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// spaceTokenizer splits the words field at spaces, as bleve's whitespace
// tokenizer does, token for token (a rune that does not decode, or U+FFFD,
// ends the text there, as it does there), but it allocates a sentence's
// tokens at their number: bleve's makes room for 1,024 of them for every
// text, 8 KB a sentence, which was a third of what a large import
// allocated, and each token apart.
type spaceTokenizer struct{}

// spaceTokenizerName names spaceTokenizer in an index's mapping.
const spaceTokenizerName = "qcode_space"

func init() {
	err := registry.RegisterTokenizer(spaceTokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return spaceTokenizer{}, nil
	})
	if err != nil {
		panic(err)
	}
}

// Tokenize returns the runs of input that hold no space.
func (spaceTokenizer) Tokenize(input []byte) analysis.TokenStream {
	n := 0
	eachRun(input, func(int, int) { n++ })
	if n == 0 {
		return analysis.TokenStream{}
	}
	toks := make([]analysis.Token, n)
	rv := make(analysis.TokenStream, n)
	i := 0
	eachRun(input, func(start, end int) {
		toks[i] = analysis.Token{Term: input[start:end], Start: start, End: end, Position: i + 1, Type: analysis.AlphaNumeric}
		rv[i] = &toks[i]
		i++
	})
	return rv
}

// eachRun calls fn with the start and end of each run of input's runes
// that are not spaces, up to the first rune that does not decode.
func eachRun(input []byte, fn func(start, end int)) {
	start, end := 0, 0
	for offset := 0; ; {
		r, size := utf8.DecodeRune(input[offset:])
		if r == utf8.RuneError {
			break
		}
		if !unicode.IsSpace(r) {
			end = offset + size
		} else {
			if end > start {
				fn(start, end)
			}
			start = offset + size
			end = start
		}
		offset += size
	}
	if end > start {
		fn(start, end)
	}
}
