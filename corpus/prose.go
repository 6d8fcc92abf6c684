package corpus

// This is the only file that knows prose and its sentence tokenizer. It
// hands back byte spans relative to the text it was given; no prose type
// leaves it.

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/jdkato/prose/v2"
	"gopkg.in/neurosnap/sentences.v1"
	"gopkg.in/neurosnap/sentences.v1/english"
)

// The Punkt model takes ~2 ms to load (punkt_model.go), once per process.
// DefaultSentenceTokenizer keeps no state between calls and is safe to share.
var (
	punktOnce sync.Once
	punkt     *sentences.DefaultSentenceTokenizer
)

func sentenceTokenizer() *sentences.DefaultSentenceTokenizer {
	punktOnce.Do(func() {
		st, err := punktStorage()
		if err == nil {
			punkt, err = english.NewSentenceTokenizer(st)
		}
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

// punktWindow is how much text Punkt is given at once. Punkt makes a
// structure of about a hundred bytes for every word it is given, so a
// paragraph of 50 MB (a transcript on one line) given whole would cost
// gigabytes; in windows it costs a few megabytes, whatever the paragraph's
// length. A variable so that tests can make it small.
var punktWindow = 64 << 10

// eachProseSentence calls yield with the byte span of each sentence Punkt
// finds in text, in order, giving Punkt at most about punktWindow bytes at
// a time, and reports whether yield asked for them all. A window that does
// not reach the end of text may cut its last sentence short, so that
// sentence is found again at the start of the next window; Punkt decides a
// boundary from the words either side of it, which a window that starts at
// a sentence's start and holds the word after each of its boundaries but
// the last gives it as the whole text would.
func eachProseSentence(text string, yield func(Span) bool) bool {
	for from := 0; from < len(text); {
		window := punktWindow
		for {
			to := len(text)
			if from+window < len(text) {
				to = nextSpace(text, from+window)
			}
			spans := proseSentences(text[from:to])
			if to == len(text) {
				for _, s := range spans {
					if !yield(Span{from + s.Start, from + s.End}) {
						return false
					}
				}
				return true
			}
			if len(spans) >= 2 {
				for _, s := range spans[:len(spans)-1] {
					if !yield(Span{from + s.Start, from + s.End}) {
						return false
					}
				}
				from += spans[len(spans)-1].Start
				break
			}
			// One sentence longer than the window: widen it.
			window *= 2
		}
	}
	return true
}

// nextSpace returns the offset of the first white space at or after i in
// text, or len(text), so that a window never ends inside a word.
func nextSpace(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			return i
		}
		i += size
	}
	return len(text)
}

// proseTokens returns the tokens prose finds in text, with their byte spans in
// text. prose's tokenizer splits text at white space and then splits each
// chunk on its own, so qcode does the white-space split itself and asks
// prose about each distinct chunk once per process (chunkTokens), which gives
// prose's tokens at a fraction of its cost: words repeat.
func proseTokens(text string) []Token {
	toks := make([]Token, 0, len(text)/5)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		j := i + size
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += size
		}
		for _, sp := range chunkTokens(text[i:j]) {
			start, end := i+int(sp.start), i+int(sp.end)
			toks = append(toks, Token{Text: text[start:end], Start: start, End: end})
		}
		i = j
	}
	return toks
}

// chunkSpan is a token's span inside its chunk.
type chunkSpan struct{ start, end uint16 }

// chunkCache maps a white-space-free chunk of text to prose's tokens.
var chunkCache = newSpanCache()

const chunkCacheMax = 200000

// A spanCache maps chunks to their tokens' spans for any number of
// goroutines. It is emptied when it grows past chunkCacheMax entries, which
// bounds memory on corpora with very many distinct chunks.
type spanCache struct {
	mu sync.RWMutex
	m  map[string][]chunkSpan
}

func newSpanCache() *spanCache { return &spanCache{m: map[string][]chunkSpan{}} }

// get returns chunk's spans, made by build and kept the first time.
func (c *spanCache) get(chunk string, build func(string) []chunkSpan) []chunkSpan {
	c.mu.RLock()
	spans, ok := c.m[chunk]
	c.mu.RUnlock()
	if ok {
		return spans
	}
	spans = build(chunk)
	c.mu.Lock()
	if len(c.m) >= chunkCacheMax {
		clear(c.m)
	}
	c.m[strings.Clone(chunk)] = spans
	c.mu.Unlock()
	return spans
}

// chunkTokens returns the spans of prose's tokens in chunk.
func chunkTokens(chunk string) []chunkSpan { return chunkCache.get(chunk, proseChunk) }

// maxProseChunk is the longest chunk (a stretch with no white space) that
// prose's tokenizer is given; a longer one is split by scanTokens.
const maxProseChunk = 512

// proseLongest is the longest chunk given to prose yet, for the tests.
var proseLongest atomic.Int64

// scanSpans splits chunk by scanTokens, as spans.
func scanSpans(chunk string) []chunkSpan {
	var spans []chunkSpan
	for _, t := range scanTokens(chunk, 0, len(chunk)) {
		spans = append(spans, chunkSpan{uint16(t.Start), uint16(t.End)})
	}
	return spans
}

// proseChunk runs prose's tokenizer on one chunk. prose returns only token
// strings, after rewriting curly quotes to straight ones, so each is found
// again in the chunk from a moving cursor, letting a straight quote in the
// token match a curly one in the text.
func proseChunk(chunk string) (spans []chunkSpan) {
	if len(chunk) > 0xFFFF {
		// Longer than a span can say: no real word is; keep it whole.
		return nil
	}
	if len(chunk) > maxProseChunk {
		// prose's time grows with the square of a run of punctuation (32
		// KB of ")" took 23 s), so one crafted line could stall an import
		// for hours. Such a chunk is kept whole when it holds a letter or
		// digit (a pasted link, as prose keeps it) and split into its
		// characters otherwise (as prose splits a row of dots).
		if strings.IndexFunc(chunk, isWordRune) >= 0 {
			return []chunkSpan{{0, uint16(len(chunk))}}
		}
		return scanSpans(chunk)
	}
	if n := int64(len(chunk)); n > proseLongest.Load() {
		proseLongest.Store(n)
	}
	defer func() {
		// prose slices a chunk at offsets found in its lower case, which
		// can be longer ("Ⱥ's", or bytes that are not UTF-8) and panic;
		// such a chunk is split by scanTokens instead.
		if recover() != nil {
			spans = scanSpans(chunk)
		}
	}()
	doc, err := prose.NewDocument(chunk,
		prose.WithSegmentation(false), prose.WithTagging(false), prose.WithExtraction(false))
	if err != nil {
		return []chunkSpan{{0, uint16(len(chunk))}}
	}
	var toks []Token
	cur := 0
	for _, pt := range doc.Tokens() {
		start, end, ok := align(chunk, cur, pt.Text)
		if !ok {
			// prose dropped or changed a character (prose issue #35): leave
			// the token out rather than give it a wrong span; fillGap
			// tokenises what is left.
			continue
		}
		toks = fillGap(toks, chunk, cur, start)
		toks = append(toks, Token{Text: chunk[start:end], Start: start, End: end})
		cur = end
	}
	toks = fillGap(toks, chunk, cur, len(chunk))
	spans = make([]chunkSpan, len(toks))
	for i, t := range toks {
		spans[i] = chunkSpan{uint16(t.Start), uint16(t.End)}
	}
	return spans
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

// Entity is a word that prose's named-entity tagger labels as part of a
// name: its byte span in the text it was found in and the label without
// its B-/I- prefix (PERSON, GPE, ORGANIZATION, …).
type Entity struct {
	Span
	Label string
}

// prose's tagger and entity model take a third of a second to load, so
// they are loaded once per process, and only when a name is looked for.
// prose's Document is not documented as safe for concurrent use, so calls
// take turns.
var (
	nerOnce  sync.Once
	nerModel *prose.Model
	nerMu    sync.Mutex
)

// Entities runs prose's named-entity tagger over each text (a sentence, or
// sentences already split: prose's own segmentation is off, as it costs
// 17 ms a call) and returns, for each, the words it labels with their byte
// spans in that text. The tagger is weak (it labels "Thanks" a place and
// misses many towns), so its labels are votes for a caller to weigh, not
// answers.
func Entities(texts []string) [][]Entity {
	nerOnce.Do(func() { nerModel = prose.ModelFromData("qcode") })
	nerMu.Lock()
	defer nerMu.Unlock()
	out := make([][]Entity, len(texts))
	for i, text := range texts {
		doc, err := prose.NewDocument(text, prose.WithSegmentation(false), prose.UsingModel(nerModel))
		if err != nil {
			continue
		}
		at := 0
		for _, tok := range doc.Tokens() {
			start, end, ok := align(text, at, tok.Text)
			if !ok {
				continue
			}
			at = end
			if tok.Label == "" || tok.Label == "O" {
				continue
			}
			label := tok.Label
			if len(label) > 2 && label[1] == '-' {
				label = label[2:]
			}
			out[i] = append(out[i], Entity{Span{start, end}, label})
		}
	}
	return out
}
