package corpus

import (
	"runtime"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Segment fills the paragraphs, sentences and tokens of every turn of d.
// Paragraphs are the stretches of a turn between blank lines; sentences are
// found inside paragraphs (so never across a turn or paragraph), and tokens
// inside sentences. It is safe to call again: it replaces what was there.
//
// Turns are independent, so a long source's turns are segmented on every
// processor at once.
func Segment(d *Source) {
	workers := runtime.GOMAXPROCS(0)
	if workers > len(d.Turns)/16 {
		workers = max(1, len(d.Turns)/16)
	}
	if workers == 1 {
		segmentTurns(d.Text, d.Turns)
		return
	}
	var wg sync.WaitGroup
	per := (len(d.Turns) + workers - 1) / workers
	for from := 0; from < len(d.Turns); from += per {
		to := min(from+per, len(d.Turns))
		wg.Add(1)
		go func() {
			defer wg.Done()
			segmentTurns(d.Text, d.Turns[from:to])
		}()
	}
	wg.Wait()
}

func segmentTurns(text string, turns []Turn) {
	for i := range turns {
		t := &turns[i]
		t.Paragraphs = t.Paragraphs[:0]
		for _, p := range paragraphs(text, t.Span) {
			t.Paragraphs = append(t.Paragraphs, Paragraph{Span: p, Sentences: Sentences(text, p)})
		}
	}
}

// ParagraphSpans returns the paragraphs of the turn at span of text, as
// Segment finds them, without their sentences: with EachSentence, what a
// caller that segments a long source piece by piece needs.
func ParagraphSpans(text string, span Span) []Span { return paragraphs(text, span) }

// paragraphs splits span at blank lines.
func paragraphs(text string, span Span) []Span { return appendParagraphs(nil, text, span) }

// appendParagraphs appends the paragraphs of span to out, so that a caller
// can give a buffer on its stack.
func appendParagraphs(out []Span, text string, span Span) []Span {
	start := span.Start
	for i := span.Start; i < span.End; {
		j := strings.IndexByte(text[i:span.End], '\n')
		if j < 0 {
			break
		}
		nl := i + j
		// Is the next line blank?
		k := nl + 1
		for k < span.End && (text[k] == ' ' || text[k] == '\t' || text[k] == '\f') {
			k++
		}
		if k < span.End && text[k] == '\n' {
			if p := trimSpan(text, Span{start, nl}); p.Len() > 0 {
				out = append(out, p)
			}
			for k < span.End && isSpaceByte(text[k]) {
				k++
			}
			start = k
			i = k
			continue
		}
		i = nl + 1
	}
	if p := trimSpan(text, Span{start, span.End}); p.Len() > 0 {
		out = append(out, p)
	}
	return out
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' }

// Sentences splits the paragraph at span of text into sentences with their
// tokens. Punkt finds the sentences and prose the tokens; then qcode mends
// what they get wrong in transcripts:
//   - an abbreviation such as "Dr." or "e.g." never ends a sentence;
//   - a short answer such as "No." or "Mm." before a capital does end one
//     (Punkt takes "no" for an abbreviation);
//   - a trailing period is its own token ("Yes." is "Yes" and "."), but for
//     titles such as "Dr." and "Mrs.";
//   - dashes, ellipses and brackets inside a word are tokens of their own
//     ("honestly…", "o'clock—no", "(laughs)I"), and "..." is one token;
//   - an opening ‘ is split from its word.
func Sentences(text string, span Span) []Sentence {
	var out []Sentence
	EachSentence(text, span, func(s Sentence) bool {
		out = append(out, s)
		return true
	})
	return out
}

// EachSentence calls yield with each sentence of the paragraph at span of
// text, as Sentences finds them, in order, until yield returns false. It
// holds only a window of the paragraph's sentences at a time, so a caller
// that keeps nothing of a sentence after yield returns segments a paragraph
// of any length in bounded memory.
func EachSentence(text string, span Span, yield func(Sentence) bool) {
	para := text[span.Start:span.End]
	emit := func(s Span) bool {
		s = trimSpan(para, s)
		if s.Len() == 0 {
			return true
		}
		toks := fixTokens(para, proseTokens(para[s.Start:s.End]), s.Start)
		for _, out := range splitShortAnswers(para, s, toks) {
			// Shift to offsets in the whole text.
			out.Start += span.Start
			out.End += span.Start
			for j := range out.Tokens {
				out.Tokens[j].Start += span.Start
				out.Tokens[j].End += span.Start
			}
			if !yield(out) {
				return false
			}
		}
		return true
	}
	// A sentence is held back until the next is known: Punkt ends
	// sentences at abbreviations, and such a sentence is merged with the
	// one after it.
	var pending Span
	held := false
	whole := eachProseSentence(para, func(s Span) bool {
		if held && endsWithAbbrev(para[pending.Start:pending.End]) {
			pending.End = s.End
			return true
		}
		if held && !emit(pending) {
			return false
		}
		pending, held = s, true
		return true
	})
	if whole && held {
		emit(pending)
	}
}

// abbrevs are words whose period does not end a sentence, in lower case
// without the period.
var abbrevs = map[string]bool{
	"dr": true, "mr": true, "mrs": true, "ms": true, "prof": true, "st": true,
	"e.g": true, "i.e": true, "vs": true, "cf": true, "approx": true, "jr": true,
	"sr": true, "fr": true, "rev": true, "sgt": true, "eg": true, "ie": true,
	"dept": true, "univ": true, "mt": true,
}

func endsWithAbbrev(s string) bool {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	if !strings.HasSuffix(s, ".") {
		return false
	}
	s = s[:len(s)-1]
	i := strings.LastIndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '(' || r == '"' || r == '“' })
	word := s[i+1:]
	if i >= 0 {
		_, size := utf8.DecodeRuneInString(s[i:])
		word = s[i+size:]
	}
	return abbrevs[strings.ToLower(word)]
}

// fixTokens mends prose's tokens (see Sentences) and shifts them by off.
func fixTokens(para string, toks []Token, off int) []Token {
	out := make([]Token, 0, len(toks)+4)
	add := func(start, end int) {
		if end > start {
			out = append(out, Token{Text: para[off+start : off+end], Start: off + start, End: off + end})
		}
	}
	for _, t := range toks {
		s := t.Text
		// Trailing period on a short capitalised word: prose keeps it.
		if len(s) >= 3 && strings.HasSuffix(s, ".") && strings.Count(s, ".") == 1 && !abbrevs[strings.ToLower(s[:len(s)-1])] {
			add(t.Start, t.End-1)
			add(t.End-1, t.End)
			continue
		}
		// Split at dashes, ellipses, brackets and ‘ inside a token.
		start := 0
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			n := 0
			switch {
			case r == '—' || r == '–' || r == '…' || r == '‘' || r == '―':
				n = size
			case (r == '(' || r == ')' || r == '[' || r == ']') && len(s) > 1:
				n = size
			case r == ':' && i > 0 && i+1 < len(s) && isLetterAt(s, i+1) && isAlnumBefore(s, i):
				n = size
			case r == '.' && strings.HasPrefix(s[i:], "...") && (i > 0 || len(s) > 3):
				n = 3
			}
			if n > 0 {
				add(t.Start+start, t.Start+i)
				add(t.Start+i, t.Start+i+n)
				i += n
				start = i
				continue
			}
			i += size
		}
		if start > 0 {
			add(t.Start+start, t.End)
			continue
		}
		out = append(out, Token{Text: para[off+t.Start : off+t.End], Start: off + t.Start, End: off + t.End})
	}
	// prose splits "well..." into three "." tokens: join adjacent dots.
	joined := out[:0]
	for _, t := range out {
		if n := len(joined); n > 0 && t.Text == "." && joined[n-1].End == t.Start && strings.Trim(joined[n-1].Text, ".") == "" {
			joined[n-1].End = t.End
			joined[n-1].Text = para[joined[n-1].Start:t.End]
			continue
		}
		joined = append(joined, t)
	}
	return joined
}

func isLetterAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

func isAlnumBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return isWordRune(r)
}

// scanTokens splits text[from:to] into words (letters and digits, with
// apostrophes and hyphens inside) and single other characters, skipping
// space. It backs up prose where prose loses text.
func scanTokens(text string, from, to int) []Token {
	var out []Token
	for i := from; i < to; {
		r, size := utf8.DecodeRuneInString(text[i:to])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		j := i + size
		if isWordRune(r) || r == '\'' || r == '’' {
			for j < to {
				r2, s2 := utf8.DecodeRuneInString(text[j:to])
				if isWordRune(r2) || (r2 == '\'' || r2 == '’' || r2 == '-') && j+s2 < to && isLetterAt(text[:to], j+s2) {
					j += s2
					continue
				}
				break
			}
		}
		out = append(out, Token{Text: text[i:j], Start: i, End: j})
		i = j
	}
	return out
}

// splitShortAnswers splits a sentence after a lone "." that follows a short
// capitalised word that is not an abbreviation ("No. Mm. We did.") when a
// capitalised token comes next. toks are offsets into para.
func splitShortAnswers(para string, s Span, toks []Token) []Sentence {
	var out []Sentence
	from := 0
	for i := 1; i+1 < len(toks); i++ {
		if toks[i].Text != "." || toks[i-1].End != toks[i].Start {
			continue
		}
		w := toks[i-1].Text
		first, _ := utf8.DecodeRuneInString(w)
		next, _ := utf8.DecodeRuneInString(toks[i+1].Text)
		if utf8.RuneCountInString(w) <= 4 && unicode.IsUpper(first) && !abbrevs[strings.ToLower(w)] && unicode.IsUpper(next) && isWord(w) {
			out = append(out, Sentence{Span: Span{toks[from].Start, toks[i].End}, Tokens: toks[from : i+1]})
			from = i + 1
		}
	}
	if from == 0 {
		return []Sentence{{Span: s, Tokens: toks}}
	}
	return append(out, Sentence{Span: Span{toks[from].Start, s.End}, Tokens: toks[from:]})
}

func isWord(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}
