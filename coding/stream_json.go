package coding

import (
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"
)

// This file reads a record's JSON in one pass: it checks the line is
// valid, exactly as json.Valid does, and at the same time lists the
// members of the top-level object and notes of each string whether it
// holds escapes or bytes beyond ASCII, so that a text without escapes is
// used where it stands and only one with escapes is decoded. The
// differential test and fuzz test (stream_json_test.go) hold it to
// json.Valid and json.Unmarshal.

// member is a key and its value in the top-level object, as byte offsets:
// the key's quoted form is line[key:keyEnd], its value line[val:end].
type member struct {
	key, keyEnd, colon, val, end int
	keyEsc                       bool  // the key holds an escape
	str                          uint8 // the value's strFlags when it is a string
}

// What a JSON string holds, besides plain ASCII.
const (
	strEscape = 1 << iota // a backslash escape
	strHigh               // a byte of 0x80 or more (UTF-8, or not)
)

// maxDepth is how deeply encoding/json lets arrays and objects nest.
const maxDepth = 10000

// jsonScanner checks one line of JSON.
type jsonScanner struct {
	b     []byte
	depth int
}

// scanLine reports whether line is valid JSON, as json.Valid does, and, if
// it is an object, appends its members to ms and returns the offset of its
// opening and closing braces (open is -1 when line holds some other value,
// whose first byte is then line[close]).
func scanLine(line []byte, ms []member) (_ []member, open, close int, ok bool) {
	s := jsonScanner{b: line}
	i := s.space(0)
	if i >= len(line) {
		return ms, -1, 0, false
	}
	if line[i] != '{' {
		first := i
		if i = s.value(i); i < 0 || s.space(i) != len(line) {
			return ms, -1, 0, false
		}
		return ms, -1, first, true
	}
	open = i
	s.depth = 1
	i = s.space(i + 1)
	if i < len(line) && line[i] == '}' {
		close = i
	} else {
		for {
			if i >= len(line) || line[i] != '"' {
				return ms, 0, 0, false
			}
			var m member
			m.key = i
			var f uint8
			if i, f = s.string(i); i < 0 {
				return ms, 0, 0, false
			}
			m.keyEnd, m.keyEsc = i, f&strEscape != 0
			i = s.space(i)
			if i >= len(line) || line[i] != ':' {
				return ms, 0, 0, false
			}
			m.colon = i
			i = s.space(i + 1)
			m.val = i
			if i < len(line) && line[i] == '"' {
				i, m.str = s.string(i)
			} else {
				i = s.value(i)
			}
			if i < 0 {
				return ms, 0, 0, false
			}
			m.end = i
			ms = append(ms, m)
			i = s.space(i)
			if i >= len(line) {
				return ms, 0, 0, false
			}
			if line[i] == '}' {
				close = i
				break
			}
			if line[i] != ',' {
				return ms, 0, 0, false
			}
			i = s.space(i + 1)
		}
	}
	if s.space(close+1) != len(line) {
		return ms, 0, 0, false
	}
	return ms, open, close, true
}

// space returns the index of the first byte at or after i that is not
// JSON white space.
func (s *jsonScanner) space(i int) int {
	for i < len(s.b) {
		switch s.b[i] {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		}
		break
	}
	return i
}

// value checks the value that starts at b[i] and returns the index just
// past it, or -1.
func (s *jsonScanner) value(i int) int {
	b := s.b
	if i >= len(b) {
		return -1
	}
	switch c := b[i]; {
	case c == '"':
		i, _ = s.string(i)
		return i
	case c == '{' || c == '[':
		return s.container(i)
	case c == '-' || c >= '0' && c <= '9':
		return s.number(i)
	case c == 't':
		return s.literal(i, "true")
	case c == 'f':
		return s.literal(i, "false")
	case c == 'n':
		return s.literal(i, "null")
	}
	return -1
}

func (s *jsonScanner) literal(i int, lit string) int {
	if len(s.b)-i < len(lit) || string(s.b[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}

// container checks the object or array that opens at b[i].
func (s *jsonScanner) container(i int) int {
	b := s.b
	s.depth++
	if s.depth > maxDepth {
		return -1
	}
	obj := b[i] == '{'
	end := byte(']')
	if obj {
		end = '}'
	}
	i = s.space(i + 1)
	if i < len(b) && b[i] == end {
		s.depth--
		return i + 1
	}
	for {
		if obj {
			if i >= len(b) || b[i] != '"' {
				return -1
			}
			if i, _ = s.string(i); i < 0 {
				return -1
			}
			i = s.space(i)
			if i >= len(b) || b[i] != ':' {
				return -1
			}
			i = s.space(i + 1)
		}
		if i = s.value(i); i < 0 {
			return -1
		}
		i = s.space(i)
		if i >= len(b) {
			return -1
		}
		if b[i] == end {
			s.depth--
			return i + 1
		}
		if b[i] != ',' {
			return -1
		}
		i = s.space(i + 1)
	}
}

// number checks the number that starts at b[i]:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *jsonScanner) number(i int) int {
	b := s.b
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		i = digits(b, i)
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		j := digits(b, i+1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(b, i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}

func digits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

// Masks for reading eight bytes of a string at once.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// string checks the string that opens at b[i] and returns the index just
// past its closing quote (or -1) and what it holds.
func (s *jsonScanner) string(i int) (int, uint8) {
	b := s.b
	var f uint8
	i++
	for {
		// Eight bytes at a time while none is a quote, a backslash, a
		// control character or beyond ASCII: most of a text.
		for i+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[i:])
			q := x ^ ('"' * ones)
			bs := x ^ ('\\' * ones)
			special := (x | (q-ones)&^q | (bs-ones)&^bs | (x - 0x20*ones)) & highs
			if special != 0 {
				break
			}
			i += 8
		}
		if i >= len(b) {
			return -1, f
		}
		switch c := b[i]; {
		case c == '"':
			return i + 1, f
		case c == '\\':
			f |= strEscape
			if i+1 >= len(b) {
				return -1, f
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) || !isHex(b[i+5]) {
					return -1, f
				}
				i += 6
			default:
				return -1, f
			}
		case c < 0x20:
			return -1, f
		case c >= utf8.RuneSelf:
			f |= strHigh
			i++
		default:
			i++
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// appendUnquoted appends the decoded content of the JSON string raw, which
// scanLine has checked, as json.Unmarshal decodes it: bytes that are not
// UTF-8, and escaped surrogates that do not pair, become U+FFFD.
func appendUnquoted(out, raw []byte) []byte {
	s := raw[1 : len(raw)-1]
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			switch s[i+1] {
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r := hex4(s[i+2:])
				i += 6
				if utf16.IsSurrogate(r) {
					r2 := rune(-1)
					if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
						r2 = hex4(s[i+2:])
					}
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				out = utf8.AppendRune(out, r)
				continue
			default: // '"', '\\', '/'
				out = append(out, s[i+1])
			}
			i += 2
		case c < utf8.RuneSelf:
			j := i + 1
			for j < len(s) && s[j] != '\\' && s[j] < utf8.RuneSelf {
				j++
			}
			out = append(out, s[i:j]...)
			i = j
		default:
			r, size := utf8.DecodeRune(s[i:])
			out = utf8.AppendRune(out, r) // U+FFFD for a byte that is not UTF-8
			i += size
		}
	}
	return out
}

// hex4 reads four hex digits.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		default:
			c = c - 'A' + 10
		}
		r = r<<4 | rune(c)
	}
	return r
}
