package coding

import (
	"time"
	"unicode/utf8"

	"qcode/codebook"
	"qcode/corpus"
)

// Segment is one unit of a source for the rules to code: a sentence, a
// paragraph, a turn or the whole source, with the tokens made at import.
type Segment struct {
	Source     string
	Unit       Unit
	Ord        int // sentence, paragraph or turn number; 0 for the source
	Start, End int // characters
	ByteStart  int
	ByteEnd    int
	Text       string         // the source's whole text: the tokens' spans are bytes into it
	Tokens     []corpus.Token // in text order
	Sentence   []int32        // the sentence of each token, counted within the segment; nil for one sentence
}

// Applier applies a compiled codebook to segments. It makes one coding per
// segment and code whose rule matches it, however many matches there are,
// spanning the whole segment and recording every match. Like the Matcher it
// holds, an Applier reuses its buffers and is not safe for concurrent use.
type Applier struct {
	m     *codebook.Matcher
	coder Coder
	at    time.Time
	unit  codebook.Passage
	hits  []codebook.Hit
	chars []int // character offset of each token's start and end, for the segment being coded
}

// NewApplier returns an Applier that codes with m as the rules engine
// running the codebook whose content hash is codebookHash, dating its
// codings at.
func NewApplier(m *codebook.Matcher, codebookHash string, at time.Time) *Applier {
	return &Applier{m: m, coder: Rules(codebookHash), at: at}
}

// Code appends to out the codings the rules make on seg and returns it.
func (a *Applier) Code(seg *Segment, out []Coding) []Coding {
	if len(seg.Tokens) == 0 {
		return out
	}
	SetPassage(&a.unit, seg.Tokens, seg.Sentence)
	a.hits = a.m.Match(a.unit, a.hits[:0])
	if len(a.hits) == 0 {
		return out
	}
	a.charOffsets(seg)
	for _, h := range a.hits {
		c := Coding{
			Source: seg.Source, Unit: seg.Unit, Ord: seg.Ord,
			Start: seg.Start, End: seg.End, ByteStart: seg.ByteStart, ByteEnd: seg.ByteEnd,
			Code: h.Code.ID, Coder: a.coder.Name, Origin: OriginRules, CreatedAt: a.at,
			CodebookHash: a.coder.CodebookHash, Matches: make([]RuleMatch, len(h.Matches)),
			Negated: true,
		}
		n := 0
		for _, m := range h.Matches {
			n += len(m.Tokens)
		}
		toks := make([]MatchedToken, 0, n) // one allocation for the coding's tokens
		for i, m := range h.Matches {
			start := len(toks)
			for _, k := range m.Tokens {
				toks = append(toks, MatchedToken{Start: a.chars[2*k], End: a.chars[2*k+1], Text: seg.Tokens[k].Text})
			}
			c.Matches[i] = RuleMatch{Tokens: toks[start:len(toks):len(toks)], Negated: m.Negated}
			c.Negated = c.Negated && m.Negated
		}
		out = append(out, c)
	}
	return out
}

// SetPassage makes u the passage the rules run over for a segment's tokens:
// their texts, and the sentence of each from sentence (counted within the
// segment; nil when the tokens are all one sentence). It reuses u's
// buffers, so one Passage serves segment after segment.
func SetPassage(u *codebook.Passage, tokens []corpus.Token, sentence []int32) {
	u.Reset()
	for i, t := range tokens {
		k := int32(0)
		if sentence != nil {
			k = sentence[i]
		}
		u.Add(t.Text, k)
	}
}

// Passage tokenises a passage as import does and returns the unit the
// rules run over, for matching text that is not in a project (a
// codebook's examples, a record coded on the fly).
func Passage(text string) codebook.Passage {
	var u codebook.Passage
	toks, sent := corpus.Words(text)
	SetPassage(&u, toks, sent)
	return u
}

// charOffsets fills a.chars with the character offsets of seg's tokens in
// one forward pass (none at all when the segment is ASCII).
func (a *Applier) charOffsets(seg *Segment) {
	a.chars = a.chars[:0]
	if seg.End-seg.Start == seg.ByteEnd-seg.ByteStart { // as many characters as bytes: ASCII
		for _, t := range seg.Tokens {
			a.chars = append(a.chars, seg.Start+t.Start-seg.ByteStart, seg.Start+t.End-seg.ByteStart)
		}
		return
	}
	at, c := seg.ByteStart, seg.Start
	for _, t := range seg.Tokens {
		if t.Start < at { // not in text order: count again from the segment's start
			at, c = seg.ByteStart, seg.Start
		}
		c += utf8.RuneCountInString(seg.Text[at:t.Start])
		start := c
		c += utf8.RuneCountInString(t.Text)
		at = t.End
		a.chars = append(a.chars, start, c)
	}
}
