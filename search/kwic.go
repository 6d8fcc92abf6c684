package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// kwic fills the hit's text, text[bs:be], and its context from text, the
// hit's turn: the match, the bytes [ms, me) of text (the first match's
// tokens, or with none the whole segment), and up to width characters on
// each side of it, cut at word boundaries, on one line. The context never
// leaves the turn, so no other turn's speaker label or timecode shows in
// it. The four strings are copied out of text into one new array.
func (h *Hit) kwic(text string, bs, be, ms, me, width int) {
	left, right := leftContext(text[:ms], width), rightContext(text[me:], width)
	buf := make([]byte, 0, (be-bs)+len(left)+(me-ms)+len(right))
	buf = append(buf, text[bs:be]...)
	n := len(buf)
	buf = appendOneLine(buf, text[ms:me])
	m := len(buf)
	buf = appendOneLine(buf, left)
	l := len(buf)
	buf = appendOneLine(buf, right)
	h.Text, h.Match, h.Left, h.Right = str(buf[:n]), str(buf[n:m]), str(buf[m:l]), str(buf[l:])
}

// str returns b as a string without copying it: b is never changed after.
func str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// byteAt returns the byte offset of character offset char, counting from
// byte from, which is at character at.
func byteAt(text string, from, at, char int) int {
	for from < len(text) && at < char {
		n := 1
		if text[from] >= utf8.RuneSelf {
			_, n = utf8.DecodeRuneInString(text[from:])
		}
		from += n
		at++
	}
	return from
}

// leftContext returns the last width characters of s, starting at a word.
func leftContext(s string, width int) string {
	if width <= 0 {
		return ""
	}
	i, n := len(s), 0
	for i > 0 && n < width {
		size := 1
		if s[i-1] >= utf8.RuneSelf {
			_, size = utf8.DecodeLastRuneInString(s[:i])
		}
		i -= size
		n++
	}
	if i > 0 { // cut inside a word: start after it
		if j := strings.IndexAny(s[i:], " \n\t"); j >= 0 && !isSpaceByte(s[i-1]) {
			i += j
		}
	}
	return strings.TrimLeft(s[i:], " \n\t")
}

// rightContext returns the first width characters of s, ending at a word.
func rightContext(s string, width int) string {
	if width <= 0 {
		return ""
	}
	i, n := 0, 0
	for i < len(s) && n < width {
		size := 1
		if s[i] >= utf8.RuneSelf {
			_, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		n++
	}
	if i < len(s) && !isSpaceByte(s[i]) {
		if j := strings.LastIndexAny(s[:i], " \n\t"); j >= 0 {
			i = j
		}
	}
	return strings.TrimRight(s[:i], " \n\t")
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\n' || c == '\t' }

// oneLine puts s on one line: its words, as strings.Fields splits them,
// with one space between them. The string returned is a copy, never part
// of s.
func oneLine(s string) string { return string(appendOneLine(nil, s)) }

// appendOneLine appends s to b on one line, as oneLine puts it.
func appendOneLine(b []byte, s string) []byte {
	start := len(b)
	space := false // a space to write before the next word
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				space, i = len(b) > start, i+1
				continue
			}
			j := i + 1 // a run of ASCII that is no space, copied at once
			for j < len(s) && s[j] < utf8.RuneSelf && !asciiSpace[s[j]] {
				j++
			}
			if space {
				b, space = append(b, ' '), false
			}
			b, i = append(b, s[i:j]...), j
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			space, i = len(b) > start, i+n
			continue
		}
		if space {
			b, space = append(b, ' '), false
		}
		b, i = append(b, s[i:i+n]...), i+n
	}
	return b
}

// asciiSpace are the ASCII bytes unicode.IsSpace takes for spaces.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
