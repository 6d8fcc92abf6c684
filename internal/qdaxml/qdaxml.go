// Package qdaxml holds what the REFI-QDA codebook (.qdc) and project
// (.qde) readers and writers share about XML: escaping text for it, the
// characters it cannot carry, the encodings a file may come in, and the
// GUIDs the standard's schemas allow.
package qdaxml

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"qcode/textfile"
)

// Text escapes character data. A carriage return is written as a
// character reference, as XML parsers turn a literal one into a line feed.
var Text = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;").Replace

// Attr escapes an attribute value; white space other than the space is
// written as character references so parsers do not normalise it away.
var Attr = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;",
	"\t", "&#x9;", "\n", "&#xA;", "\r", "&#xD;").Replace

// IsChar reports whether XML 1.0 can carry r at all, even escaped.
func IsChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// BadChar returns the first character of s that XML cannot carry (a
// control character, or a byte that is not UTF-8 as utf8.RuneError).
func BadChar(s string) (rune, bool) {
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") || !IsChar(r) {
			return r, true
		}
	}
	return 0, false
}

// UTF8 turns UTF-16 (with a byte order mark) into UTF-8 and drops a UTF-8
// byte order mark; the XML declaration's encoding is then to be ignored
// (Charset lets it pass).
func UTF8(data []byte) ([]byte, error) {
	big := bytes.HasPrefix(data, []byte{0xFE, 0xFF})
	if !big && !bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		return bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF}), nil
	}
	s, ok := textfile.UTF16(data)
	if !ok {
		return nil, errors.New("the file is UTF-16 with an odd number of bytes; it is cut short")
	}
	return []byte(s), nil
}

// Charset is an xml.Decoder's CharsetReader: it accepts the encodings a
// declaration may name for text that is already UTF-8 (after UTF8) or that
// ISO-8859-1 maps one to one.
func Charset(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii", "utf-16", "utf16", "utf-16le", "utf-16be":
		return in, nil
	case "iso-8859-1", "latin1", "latin-1", "iso8859-1":
		b, err := io.ReadAll(in)
		if err != nil {
			return nil, err
		}
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return strings.NewReader(string(r)), nil
	}
	return nil, fmt.Errorf("encoding %q is not supported; save the file as UTF-8", label)
}

// ValidGUID reports whether s is a GUID as the REFI-QDA schemas take one:
// 8-4-4-4-12 hex digits, braces allowed. It is checked by hand, not by a
// regular expression, as a project's import checks every element's.
func ValidGUID(s string) bool {
	if len(s) == 38 && s[0] == '{' && s[37] == '}' {
		s = s[1:37]
	}
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
