package corpus

import (
	"unicode"
	"unicode/utf8"
)

// Runes converts byte offsets into one text to code point offsets, walking
// from the last offset it was asked for, so converting the spans of a
// document in text order costs about one pass over it.
type Runes struct {
	text        string
	ascii       bool
	byteAt, run int
}

// NewRunes returns a converter for text.
func NewRunes(text string) *Runes {
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	return &Runes{text: text, ascii: ascii}
}

// Offset returns the code point offset of byte offset b.
func (r *Runes) Offset(b int) int {
	if r.ascii {
		return b
	}
	// Walk from the last offset, backwards too: restarting from 0 would make
	// converting a source's nested spans cost the square of its length.
	if b < r.byteAt {
		r.run -= utf8.RuneCountInString(r.text[b:r.byteAt])
	} else {
		r.run += utf8.RuneCountInString(r.text[r.byteAt:b])
	}
	r.byteAt = b
	return r.run
}

// ByteOffset returns the byte offset of code point offset c, or -1 when c is
// past the end of the text.
func ByteOffset(text string, c int) int {
	if c < 0 {
		return -1
	}
	n := 0
	for i := range text {
		if n == c {
			return i
		}
		n++
	}
	if n == c {
		return len(text)
	}
	return -1
}

// trimSpan shrinks s so it starts and ends on non-space characters of text.
func trimSpan(text string, s Span) Span {
	for s.Start < s.End {
		r, size := utf8.DecodeRuneInString(text[s.Start:s.End])
		if !unicode.IsSpace(r) {
			break
		}
		s.Start += size
	}
	for s.End > s.Start {
		r, size := utf8.DecodeLastRuneInString(text[s.Start:s.End])
		if !unicode.IsSpace(r) {
			break
		}
		s.End -= size
	}
	return s
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
