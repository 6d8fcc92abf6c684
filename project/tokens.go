package project

import (
	"encoding/binary"
	"errors"
	"unicode/utf8"

	"qcode/corpus"
)

// Tokens are stored per sentence as a blob of unsigned varints: for each
// token, the gap from the previous token's end (or the sentence's start) and
// its length, in bytes. A sentence of 15 tokens takes about 30 bytes, and
// reading tokens back needs no tokenizer.

// EncodeTokens packs toks, whose spans are byte offsets in the source text,
// relative to the sentence starting at base.
func EncodeTokens(buf []byte, base int, toks []corpus.Token) []byte {
	return AppendTokens(buf[:0], base, toks)
}

// AppendTokens is EncodeTokens appending to buf.
func AppendTokens(buf []byte, base int, toks []corpus.Token) []byte {
	prev := base
	for _, t := range toks {
		buf = binary.AppendUvarint(buf, uint64(t.Start-prev))
		buf = binary.AppendUvarint(buf, uint64(t.End-t.Start))
		prev = t.End
	}
	return buf
}

// DecodeTokens unpacks a blob made by EncodeTokens for the sentence starting
// at byte base of text, appending to toks.
func DecodeTokens(toks []corpus.Token, text string, base int, blob []byte) ([]corpus.Token, error) {
	prev := base
	for len(blob) > 0 {
		gap, n := binary.Uvarint(blob)
		if n <= 0 {
			return toks, errors.New("corrupt token blob")
		}
		blob = blob[n:]
		size, n := binary.Uvarint(blob)
		if n <= 0 {
			return toks, errors.New("corrupt token blob")
		}
		blob = blob[n:]
		start := prev + int(gap)
		end := start + int(size)
		if end > len(text) {
			return toks, errors.New("token blob points past the text")
		}
		toks = append(toks, corpus.Token{Text: text[start:end], Start: start, End: end})
		prev = end
	}
	return toks, nil
}

// tokenChars appends the character offsets of each token's start and end,
// counting from the sentence at byte bs, character start, of text.
func tokenChars(out []int, text string, bs, start int, toks []corpus.Token) []int {
	at, c := bs, start
	for _, t := range toks {
		if t.Start < at { // not in text order: count again from the sentence's start
			at, c = bs, start
		}
		c += utf8.RuneCountInString(text[at:t.Start])
		s := c
		c += utf8.RuneCountInString(text[t.Start:t.End])
		at = t.End
		out = append(out, s, c)
	}
	return out
}
