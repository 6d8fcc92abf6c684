package corpus

// This is the only file that knows prose and its sentence tokenizer. It
// hands back byte spans relative to the text it was given; no prose type
// leaves it.

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jdkato/prose/v2"
	"gopkg.in/neurosnap/sentences.v1"
	"gopkg.in/neurosnap/sentences.v1/english"
)

// The Punkt model takes ~15 ms to load, so it is loaded once per process.
// DefaultSentenceTokenizer keeps no state between calls and is safe to share.
var (
	punktOnce sync.Once
	punkt     *sentences.DefaultSentenceTokenizer
)

func sentenceTokenizer() *sentences.DefaultSentenceTokenizer {
	punktOnce.Do(func() {
		var err error
		punkt, err = english.NewSentenceTokenizer(nil)
		if err != nil {
			panic("corpus: loading the embedded English sentence model: " + err.Error())
		}
	})
	return punkt
}

// proseSentences returns the byte spans of the sentences Punkt finds in text.
func proseSentences(text string) []Span {
	var spans []Span
	for _, s := range sentenceTokenizer().Tokenize(text) {
		spans = append(spans, Span{s.Start, s.End})
	}
	return spans
}

// proseTokens returns the tokens prose finds in text, with their byte spans in
// text. prose returns only token strings, after rewriting curly quotes to
// straight ones, so each is found again in text from a moving cursor, letting
// a straight quote in the token match a curly one in the text.
func proseTokens(text string) []Token {
	doc, err := prose.NewDocument(text,
		prose.WithSegmentation(false), prose.WithTagging(false), prose.WithExtraction(false))
	if err != nil {
		return nil
	}
	ptoks := doc.Tokens()
	toks := make([]Token, 0, len(ptoks))
	cur := 0
	for _, pt := range ptoks {
		start, end, ok := align(text, cur, pt.Text)
		if !ok {
			// prose dropped or changed a character (prose issue #35): leave
			// the token out rather than give it a wrong span.
			continue
		}
		toks = fillGap(toks, text, cur, start)
		toks = append(toks, Token{Text: text[start:end], Start: start, End: end})
		cur = end
	}
	return fillGap(toks, text, cur, len(text))
}

// fillGap tokenises text[from:to] with scanTokens when prose left words
// there untokenised. prose's splitter drops the rest of a word in some cases
// ("can't." gives only "ca"), and qcode never loses words.
func fillGap(toks []Token, text string, from, to int) []Token {
	if from >= to || strings.TrimSpace(text[from:to]) == "" {
		return toks
	}
	return append(toks, scanTokens(text, from, to)...)
}

// align finds tok in text at or after from, skipping only white space, and
// returns its span there.
func align(text string, from int, tok string) (int, int, bool) {
	for i := from; i < len(text); {
		if end, ok := matchAt(text, i, tok); ok {
			return i, end, true
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if r != ' ' && r != '\t' && r != '\n' && r != '\u00a0' && r != '\f' && r != '\u2009' && r != '\u202f' {
			// Something other than space stands before the token: prose
			// skipped it. Look a little further before giving up.
			if i-from > 16 {
				return 0, 0, false
			}
		}
		i += size
	}
	return 0, 0, false
}

// matchAt matches tok at text[i:], where tok may hold the straight quotes
// prose's sanitizer wrote for curly ones (and for &rsquo;).
func matchAt(text string, i int, tok string) (int, bool) {
	for _, q := range tok {
		if i >= len(text) {
			return 0, false
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == q:
		case q == '"' && (r == '“' || r == '”'):
		case q == '\'' && (r == '‘' || r == '’'):
		case q == '\'' && strings.HasPrefix(text[i:], "&rsquo;"):
			size = len("&rsquo;")
		default:
			return 0, false
		}
		i += size
	}
	return i, true
}
