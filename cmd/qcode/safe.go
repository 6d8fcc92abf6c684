package main

import (
	"fmt"
	"io"
	"strings"
	"unicode"
)

// safe returns s, a name or message that holds what a file or a user gave
// (a file's name, a source's), with what a terminal would obey rather than
// show escaped as Go writes it: control characters ("\x1b" starts a
// sequence that can recolour, move the cursor or retitle the window;
// "\r" overwrites the line), and the marks that reverse the direction of
// the text after them. Tab and newline stay; tables and messages deal with
// them as they must.
func safe(s string) string {
	if strings.IndexFunc(s, unsafeRune) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !unsafeRune(r):
			b.WriteRune(r)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case unicode.IsControl(r): // C0, DEL and C1
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true // bidirectional embeddings, overrides, isolates and marks
	}
	return false
}

// safeWriter writes each string it is given made safe: for lines written
// whole (fmt.Fprintf), which name files and sources.
type safeWriter struct{ w io.Writer }

func (s safeWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(s.w, safe(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// withSafeOut returns a copy of e whose standard output is a safeWriter.
func (e *env) withSafeOut() *env {
	c := *e
	c.stdout = safeWriter{e.stdout}
	return &c
}
