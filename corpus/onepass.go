package corpus

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"gopkg.in/neurosnap/sentences.v1"
)

// This file is the one-pass tokenizer behind Words: it reads a text once,
// from its first byte to its last, and yields the tokens and sentences that
// Sentences yields for each of its paragraphs, at a fraction of the cost.
// It rests on two facts about the prose path, which the differential tests
// and FuzzWords hold it to:
//
//   - Every token lies inside one chunk (a stretch without white space) and
//     depends on that chunk alone: prose splits at white space first, and
//     Punkt puts its boundaries at white space, so the tokens of a sentence
//     are the tokens of its chunks. chunkWords gives them, by hand for the
//     commonest shapes of chunk and from a cache of the prose path's answer
//     for the rest.
//   - Punkt decides whether a chunk that holds '.', '?' or '!' ends a
//     sentence from that chunk, the chunk after it and, in two rare cases,
//     the one after that or the one before. punktBreak decides the
//     common shapes itself from Punkt's English model; any other candidate
//     is handed to Punkt's own annotators with just those neighbours
//     ("keep prose where it is needed").
//
// A paragraph longer than punktWindow goes to the prose path whole, as
// that path feeds Punkt such a paragraph in windows.

// AppendWords appends the tokens of text to tokens and the sentence number
// of each to sentence, as Words does, numbering sentences on from first, so
// that a caller can reuse its buffers between texts. It returns the
// extended slices and the number of sentences it found.
func AppendWords(tokens []Token, sentence []int32, text string, first int32) ([]Token, []int32, int32) {
	n := first
	var buf [8]Span // most texts have fewer paragraphs
	for _, p := range appendParagraphs(buf[:0], text, Span{0, len(text)}) {
		if p.Len() > punktWindow {
			for _, s := range Sentences(text, p) {
				for _, t := range s.Tokens {
					tokens = append(tokens, t)
					sentence = append(sentence, n)
				}
				n++
			}
			continue
		}
		tokens, sentence, n = appendParagraph(tokens, sentence, text, p, n)
	}
	return tokens, sentence, n - first
}

// AppendTokens appends the tokens of text to tokens, the same tokens
// AppendWords appends, without finding where sentences end: for a caller
// that needs the sentences of only some texts (the stream, which needs
// them only where a rule has a word). It costs about two thirds of
// AppendWords.
func AppendTokens(tokens []Token, text string) []Token {
	var buf [8]Span
	for _, p := range appendParagraphs(buf[:0], text, Span{0, len(text)}) {
		if p.Len() > punktWindow {
			for _, s := range Sentences(text, p) {
				tokens = append(tokens, s.Tokens...)
			}
			continue
		}
		// appendParagraph's walk over the chunks, without its decisions
		// on sentences, which leave the tokens as they are.
		para := text[p.Start:p.End]
		for i := 0; ; {
			for i < len(para) && para[i] < utf8.RuneSelf && asciiSpace[para[i]] {
				i++
			}
			// A chunk of ASCII letters between ASCII white space, the
			// commonest, is one token (see chunkWords), read in one go.
			j := i
			for j < len(para) && isASCIILetter(para[j]) {
				j++
			}
			if j > i && j-i <= 0xFFFF && (j == len(para) || para[j] < utf8.RuneSelf && asciiSpace[para[j]]) {
				s, e := p.Start+i, p.Start+j
				tokens = append(tokens, Token{Text: text[s:e], Start: s, End: e})
				i = j
				continue
			}
			c, ok := nextChunk(para, i)
			if !ok {
				break
			}
			tokens = chunkWords(tokens, para[c.start:c.end], p.Start+c.start, text)
			i = c.end
		}
	}
	return tokens
}

// chunkAt is one white-space-free stretch of a paragraph.
type chunkAt struct{ start, end int }

// appendParagraph tokenises the paragraph at p of text in one pass.
func appendParagraph(tokens []Token, sentence []int32, text string, p Span, n int32) ([]Token, []int32, int32) {
	para := text[p.Start:p.End]
	// The chunk before, the one being read and the next are enough to
	// decide a boundary; the one after the next is looked at on demand.
	sentStart := len(tokens) // the first token of the open sentence
	open := false            // a chunk has been read since the last boundary
	var prev chunkAt
	havePrev := false
	cur, ok := nextChunk(para, 0)
	for ok {
		word := para[cur.start:cur.end]
		tokens = chunkWords(tokens, word, p.Start+cur.start, text)
		open = true
		nxt, more := nextChunk(para, cur.end)
		if more && hasSentencePunct(word) {
			var y, w string
			yOK := punktSees(para, nxt)
			if yOK {
				y = para[nxt.start:nxt.end]
			}
			if havePrev {
				w = para[prev.start:prev.end]
			}
			if punktBreak(w, word, y, yOK, para, nxt.end) && !endsWithAbbrev(word) {
				sentence, n = closeSentence(tokens, sentence, sentStart, n)
				sentStart, open = len(tokens), false
			}
		}
		prev, havePrev = cur, true
		cur, ok = nxt, more
	}
	if open {
		sentence, n = closeSentence(tokens, sentence, sentStart, n)
	}
	return tokens, sentence, n
}

// asciiSpace is unicode.IsSpace for the ASCII characters.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// nextChunk returns the first chunk of para at or after from.
func nextChunk(para string, from int) (chunkAt, bool) {
	for from < len(para) {
		c := para[from]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				from++
				continue
			}
			break
		}
		r, size := utf8.DecodeRuneInString(para[from:])
		if !unicode.IsSpace(r) {
			break
		}
		from += size
	}
	if from >= len(para) {
		return chunkAt{}, false
	}
	to := from
	for to < len(para) {
		c := para[to]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				break
			}
			to++
			continue
		}
		r, size := utf8.DecodeRuneInString(para[to:])
		if unicode.IsSpace(r) {
			break
		}
		to += size
	}
	return chunkAt{from, to}, true
}

// punktSees reports whether Punkt's word tokenizer sees the chunk c of
// para: it never sees the last chunk of a text that ends in a character of
// more than one byte, as it takes a word's end from a white space or from
// the text's last byte.
func punktSees(para string, c chunkAt) bool {
	if c.end < len(para) {
		return true
	}
	last := c.start
	for i := c.start; i < c.end; {
		_, size := utf8.DecodeRuneInString(para[i:])
		last = i
		i += size
	}
	return last == len(para)-1
}

// closeSentence numbers the tokens from sentStart on, which make one
// Punkt sentence, splitting off short answers as splitShortAnswers does. A
// sentence counts even with no tokens (a chunk too long for prose), as in
// Sentences.
func closeSentence(tokens []Token, sentence []int32, sentStart int, n int32) ([]int32, int32) {
	toks := tokens[sentStart:]
	for i := range toks {
		sentence = append(sentence, n)
		// A lone "." after a short capitalised word, with a capitalised
		// token after it in the same sentence, ends a sentence.
		if i >= 1 && i+1 < len(toks) && toks[i].Text == "." && toks[i-1].End == toks[i].Start && shortAnswer(toks[i-1].Text, toks[i+1].Text) {
			n++
		}
	}
	return sentence, n + 1
}

func shortAnswer(w, next string) bool {
	first, _ := utf8.DecodeRuneInString(w)
	nr, _ := utf8.DecodeRuneInString(next)
	return unicode.IsUpper(first) && unicode.IsUpper(nr) && utf8.RuneCountInString(w) <= 4 && isWord(w) && !abbrevs[strings.ToLower(w)]
}

func hasSentencePunct(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '.' || c == '?' || c == '!' {
			return true
		}
	}
	return false
}

// chunkWords appends the tokens of chunk, which starts at off in text.
func chunkWords(tokens []Token, chunk string, off int, text string) []Token {
	k := 0
	for k < len(chunk) && isASCIILetter(chunk[k]) {
		k++
	}
	switch {
	case len(chunk) > 0xFFFF:
		// Too long for prose's spans: see proseChunk.
	case k == len(chunk):
		// A plain word: prose keeps it whole.
		return append(tokens, Token{Text: text[off : off+k], Start: off, End: off + k})
	case k > 0 && k == len(chunk)-1:
		switch chunk[k] {
		case ',', ';', ':', '?', '!':
			// prose splits one closing mark off a word.
			return append(tokens,
				Token{Text: text[off : off+k], Start: off, End: off + k},
				Token{Text: text[off+k : off+k+1], Start: off + k, End: off + k + 1})
		case '.':
			// prose keeps "Mr." whole (and "Yes.", which fixTokens
			// splits); only an abbreviation stays whole.
			if k <= 3 && isUpperASCII(chunk[0]) && allLowerASCII(chunk[1:k]) && k >= 2 && abbrevs[strings.ToLower(chunk[:k])] {
				return append(tokens, Token{Text: text[off : off+k+1], Start: off, End: off + k + 1})
			}
			return append(tokens,
				Token{Text: text[off : off+k], Start: off, End: off + k},
				Token{Text: text[off+k : off+k+1], Start: off + k, End: off + k + 1})
		}
	}
	for _, sp := range fixedChunkTokens(chunk) {
		s, e := off+int(sp.start), off+int(sp.end)
		tokens = append(tokens, Token{Text: text[s:e], Start: s, End: e})
	}
	return tokens
}

func isUpperASCII(c byte) bool { return c >= 'A' && c <= 'Z' }
func isLowerASCII(c byte) bool { return c >= 'a' && c <= 'z' }
func allLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// fixedCache maps a chunk to its tokens after fixTokens, as chunkCache
// maps it to prose's.
var fixedCache = newSpanCache()

// fixedChunkTokens returns the spans of the tokens the prose path gives
// chunk: prose's, mended by fixTokens.
func fixedChunkTokens(chunk string) []chunkSpan { return fixedCache.get(chunk, fixChunk) }

// fixChunk mends prose's tokens of chunk by fixTokens.
func fixChunk(chunk string) []chunkSpan {
	raw := chunkTokens(chunk)
	toks := make([]Token, len(raw))
	for i, sp := range raw {
		toks[i] = Token{Text: chunk[sp.start:sp.end], Start: int(sp.start), End: int(sp.end)}
	}
	toks = fixTokens(chunk, toks, 0)
	spans := make([]chunkSpan, len(toks))
	for i, t := range toks {
		spans[i] = chunkSpan{uint16(t.Start), uint16(t.End)}
	}
	return spans
}

// punktBreak reports whether Punkt ends a sentence after x, a chunk that
// holds '.', '?' or '!'. w is the chunk before x ("" at the paragraph's
// start), y the chunk after it when Punkt sees one (yOK); the chunk after
// y is looked for in para from afterY.
func punktBreak(w, x, y string, yOK bool, para string, afterY int) bool {
	k := 0
	for k < len(x) && isASCIILetter(x[k]) {
		k++
	}
	if k > 0 && k == len(x)-1 {
		switch x[k] {
		case '?', '!':
			// Always a break: the mark ends the sentence and no
			// abbreviation rule looks at a word without a period.
			return true
		case '.':
			if !yOK {
				return !isPunktAbbrev(x[:k])
			}
			if yt, upper, lower, ok := simpleNext(y); ok {
				return wordPeriodBreak(x[:k], yt, upper, lower)
			}
		}
	}
	return punktDecides(w, x, y, yOK, para, afterY)
}

// wordPeriodBreak is Punkt's decision for a word of ASCII letters and a
// period, followed by a word whose type (Punkt's lower-case form) is
// nextTyp: its type-based pass, then its collocation, orthographic and
// sentence-starter heuristics (the multi-period rule does not apply to a
// word with one period).
func wordPeriodBreak(word, nextTyp string, upper, lower bool) bool {
	st := sentenceTokenizer().Storage
	var buf [64]byte
	typ := appendLower(buf[:0], word)
	abbr := st.AbbrevTypes[string(typ)] != 0
	key := append(append(typ, ','), nextTyp...)
	if st.Collocations[string(key)] != 0 {
		return false
	}
	initial := len(word) == 1
	if abbr && !initial {
		if orthoHeuristic(st, nextTyp, upper, lower) == 1 {
			return true
		}
		if upper && st.SentStarters[nextTyp] != 0 {
			return true
		}
	}
	if initial {
		h := orthoHeuristic(st, nextTyp, upper, lower)
		if h == 0 {
			return false
		}
		if h == -1 && upper && st.OrthoContext[nextTyp]&orthoLc == 0 {
			return false
		}
	}
	return !abbr
}

// Punkt's orthographic context flags (sentences.v1's ortho.go).
const (
	orthoBegUc = 1 << 1
	orthoMidUc = 1 << 2
	orthoUnkUc = 1 << 3
	orthoBegLc = 1 << 4
	orthoMidLc = 1 << 5
	orthoUnkLc = 1 << 6
	orthoUc    = orthoBegUc + orthoMidUc + orthoUnkUc
	orthoLc    = orthoBegLc + orthoMidLc + orthoUnkLc
)

// orthoHeuristic is Punkt's orthographic evidence that a word of type typ
// starts a sentence: 1 yes, 0 no, -1 unknown.
func orthoHeuristic(st *sentences.Storage, typ string, upper, lower bool) int {
	ctx := st.OrthoContext[typ]
	if upper && ctx&orthoLc > 0 && ctx&orthoMidUc == 0 {
		return 1
	}
	if lower && (ctx&orthoUc > 0 || ctx&orthoBegLc == 0) {
		return 0
	}
	return -1
}

func isPunktAbbrev(word string) bool {
	var buf [64]byte
	return sentenceTokenizer().Storage.AbbrevTypes[string(appendLower(buf[:0], word))] != 0
}

func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// simpleNext returns, for a chunk y of ASCII letters with at most one of
// ",;:.?!" after them, or one that Punkt's first pass cannot make a
// sentence break (it holds no '.', '?' or '!') nor a number (no digit),
// Punkt's type of y as it stands after its first pass (lower case, without
// commas, without the period of a break) and whether its first character
// is upper or lower case. A lone ';', ':' or ',' is left to
// Punkt, whose orthographic rule treats it apart.
func simpleNext(y string) (typ string, upper, lower, ok bool) {
	k := 0
	for k < len(y) && isASCIILetter(y[k]) {
		k++
	}
	if k > 0 && k >= len(y)-1 {
		// The common case, without allocating: a word of ASCII letters,
		// maybe with one mark after it.
		upper = isUpperASCII(y[0])
		lower = !upper
		if k == len(y) {
			return lowerString(y), upper, lower, true
		}
		switch y[k] {
		case ',':
			return lowerString(y[:k]), upper, lower, true
		case ';', ':', '?', '!':
			// '?' and '!' make y a break, but Punkt drops only a period
			// from a break's type.
			return lowerString(y), upper, lower, true
		case '.':
			// A period makes y a break, and so is dropped from its type,
			// unless y is an abbreviation.
			if isPunktAbbrev(y[:k]) {
				return lowerString(y), upper, lower, true
			}
			return lowerString(y[:k]), upper, lower, true
		}
	}
	ascii := true
	for i := 0; i < len(y); i++ {
		switch c := y[i]; {
		case c == '.' || c == '?' || c == '!' || c >= '0' && c <= '9':
			return "", false, false, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	if len(y) == 1 && (y[0] == ';' || y[0] == ':' || y[0] == ',') {
		return "", false, false, false
	}
	if ascii && len(y) > 1 {
		typ = strings.ReplaceAll(lowerString(y), ",", "")
		return typ, isUpperASCII(y[0]), isLowerASCII(y[0]), true
	}
	for _, r := range y {
		// Punkt's ToLower works on code points but its numbers are
		// found by a regular expression over \d, which takes ASCII
		// digits only: other digits are letters to it.
		upper, lower = unicode.IsUpper(r), unicode.IsLower(r)
		break
	}
	typ = strings.ToLower(y)
	if len(typ) > 1 {
		typ = strings.ReplaceAll(typ, ",", "")
	}
	return typ, upper, lower, true
}

// lowerString lowers ASCII s, allocating only when s has a capital.
func lowerString(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return string(appendLower(make([]byte, 0, len(s)), s))
		}
	}
	return s
}

// punktDecides runs Punkt's own annotators over the tokens its word
// tokenizer would make around x, which are all it looks at to decide x:
// the chunk before when both are lone periods (a spaced ellipsis), x, the
// chunk after and, when that one too holds sentence punctuation, the one
// after it. Decisions are cached: the same few shapes ("e.g.", a number
// before a closing quote) recur.
func punktDecides(w, x, y string, yOK bool, para string, afterY int) bool {
	var key punktKey
	key.x = x
	if x == "." && w == "." {
		key.w = w
	}
	if yOK {
		key.y, key.yOK = y, true
		if hasSentencePunct(y) {
			if zc, ok := nextChunk(para, afterY); ok && punktSees(para, zc) {
				key.z, key.zOK = para[zc.start:zc.end], true
			}
		}
	}
	punktMu.RLock()
	brk, ok := punktCache[key]
	punktMu.RUnlock()
	if ok {
		return brk
	}

	pt := sentenceTokenizer()
	toks := make([]*sentences.Token, 0, 4)
	if key.w != "" {
		toks = append(toks, sentences.NewToken(key.w))
	}
	tx := sentences.NewToken(x)
	toks = append(toks, tx)
	if key.yOK {
		toks = append(toks, sentences.NewToken(key.y))
	}
	if key.zOK {
		toks = append(toks, sentences.NewToken(key.z))
	}
	pt.AnnotateTokens(toks, pt.Annotations...)

	key.x, key.y, key.z = strings.Clone(key.x), strings.Clone(key.y), strings.Clone(key.z)
	punktMu.Lock()
	if len(punktCache) >= chunkCacheMax {
		clear(punktCache)
	}
	punktCache[key] = tx.SentBreak
	punktMu.Unlock()
	return tx.SentBreak
}

// punktKey is what Punkt's decision at a chunk x depends on.
type punktKey struct {
	w, x, y, z string
	yOK, zOK   bool
}

var (
	punktMu    sync.RWMutex
	punktCache = map[punktKey]bool{}
)
