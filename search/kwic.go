package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// kwic fills the hit's context from text, the hit's turn: the match, the
// bytes [ms, me) of text (the first match's tokens, or with none the
// whole segment), and up to width characters on each side of it, cut at
// word boundaries, on one line. The context never leaves the turn, so no
// other turn's speaker label or timecode shows in it.
func (h *Hit) kwic(text string, ms, me, width int) {
	h.Match = oneLine(text[ms:me])
	h.Left = oneLine(leftContext(text[:ms], width))
	h.Right = oneLine(rightContext(text[me:], width))
}

// byteAt returns the byte offset of character offset char, counting from
// byte from, which is at character at.
func byteAt(text string, from, at, char int) int {
	for from < len(text) && at < char {
		_, n := utf8.DecodeRuneInString(text[from:])
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
		_, size := utf8.DecodeLastRuneInString(s[:i])
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
		_, size := utf8.DecodeRuneInString(s[i:])
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
func oneLine(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space to write before the next word
	for i := 0; i < len(s); {
		c, n, sp := s[i], 1, false
		if c < utf8.RuneSelf {
			sp = asciiSpace[c]
		} else {
			var r rune
			r, n = utf8.DecodeRuneInString(s[i:])
			sp = unicode.IsSpace(r)
		}
		if sp {
			space = b.Len() > 0
		} else {
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// asciiSpace are the ASCII bytes unicode.IsSpace takes for spaces.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
