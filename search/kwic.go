package search

import (
	"strings"
	"unicode/utf8"
)

// kwic fills the hit's context: the first match (or, with none, the whole
// segment, whose bytes are [byteStart, byteEnd) of text) and up to width
// characters on each side of it from text, the hit's turn, cut at word
// boundaries, on one line. The context never leaves the turn, so no other
// turn's speaker label or timecode shows in it.
func (h *Hit) kwic(text string, byteStart, byteEnd, width int) {
	ms, me := byteStart, byteEnd
	if len(h.Matches) > 0 && len(h.Matches[0].Tokens) > 0 {
		toks := h.Matches[0].Tokens
		ms = byteAt(text, byteStart, h.Start, toks[0].Start)
		me = byteAt(text, ms, toks[0].Start, toks[len(toks)-1].End)
	}
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

// oneLine puts s on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
