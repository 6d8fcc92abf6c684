package textfile

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"qcode"
)

// cp1252 maps the bytes 0x80–0x9F of Windows-1252 to runes; 0 marks the five
// bytes the code page leaves undefined.
var cp1252 = [32]rune{
	'€', 0, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0, 'Ž', 0,
	0, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0, 'ž', 'Ÿ',
}

// Decode turns a file's bytes into qcode's text model: UTF-8 in NFC with LF
// line endings and no byte order mark. UTF-16 with a BOM is converted, and so
// is a file that is not UTF-8 but reads as Windows-1252 (a superset of the
// printable Latin-1). A file with NUL bytes, a mix of UTF-8 and other bytes,
// or bytes undefined in Windows-1252 is refused, naming the line.
func Decode(path string, data []byte) (string, error) {
	var text string
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		s, err := decodeUTF16(path, data)
		if err != nil {
			return "", err
		}
		data = []byte(s)
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return "", Errorf(path, lineAt(data, i), "holds NUL bytes, so it looks like a binary file, not text; export it as plain text (UTF-8)")
	}
	if utf8.Valid(data) {
		text = string(data)
	} else {
		s, err := decode1252(path, data)
		if err != nil {
			return "", err
		}
		text = s
	}
	text = normalizeNewlines(text)
	if !norm.NFC.IsNormalString(text) {
		text = norm.NFC.String(text)
	}
	if i := strings.IndexFunc(text, isBadControl); i >= 0 {
		return "", Errorf(path, lineAt([]byte(text), i), "holds control character %U, so it looks like a binary file, not text; export it as plain text (UTF-8)", []rune(text[i:])[0])
	}
	return text, nil
}

// isBadControl reports control characters that plain text never holds.
func isBadControl(r rune) bool {
	return r < 0x20 && r != '\n' && r != '\t' && r != '\f' || r == 0x7F
}

func decodeUTF16(path string, data []byte) (string, error) {
	s, ok := UTF16(data)
	if !ok {
		return "", Errorf(path, 0, "starts with a UTF-16 byte order mark but has an odd number of bytes; save it again as UTF-8")
	}
	if i := strings.IndexRune(s, utf8.RuneError); i >= 0 {
		return "", Errorf(path, strings.Count(s[:i], "\n")+1, "broken UTF-16 text; save the file again as UTF-8")
	}
	return s, nil
}

// UTF16 converts data that starts with a UTF-16 byte order mark (FF FE
// little-endian, FE FF big-endian) to UTF-8, without the mark; an unpaired
// surrogate becomes U+FFFD. ok is false when data is not whole UTF-16 code
// units.
func UTF16(data []byte) (text string, ok bool) {
	if len(data)%2 != 0 {
		return "", false
	}
	big := data[0] == 0xFE
	u := make([]uint16, 0, len(data)/2-1)
	for i := 2; i+1 < len(data); i += 2 {
		if big {
			u = append(u, uint16(data[i])<<8|uint16(data[i+1]))
		} else {
			u = append(u, uint16(data[i+1])<<8|uint16(data[i]))
		}
	}
	return string(utf16.Decode(u)), true
}

// decode1252 converts Windows-1252 text. A file that holds valid multi-byte
// UTF-8 as well as other high bytes is a damaged UTF-8 file, not 1252: it is
// refused at the first bad byte rather than turned into mojibake.
func decode1252(path string, data []byte) (string, error) {
	bad := firstInvalidUTF8(data)
	if hasMultibyteUTF8(data) {
		return "", Errorf(path, lineAt(data, bad), "invalid UTF-8 (byte 0x%02X) in a file that is otherwise UTF-8; fix or retype that line, or save the file as UTF-8", data[bad])
	}
	var b strings.Builder
	b.Grow(len(data) + len(data)/8)
	for i, c := range data {
		switch {
		case c < 0x80:
			b.WriteByte(c)
		case c < 0xA0:
			r := cp1252[c-0x80]
			if r == 0 {
				return "", Errorf(path, lineAt(data, i), "byte 0x%02X is neither UTF-8 nor Windows-1252 text; save the file as UTF-8", c)
			}
			b.WriteRune(r)
		default:
			b.WriteRune(rune(c)) // Latin-1 and 1252 agree from 0xA0
		}
	}
	return b.String(), nil
}

func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(data)
}

func hasMultibyteUTF8(data []byte) bool {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if size > 1 && r != utf8.RuneError {
			return true
		}
		if size == 0 {
			break
		}
		i += size
	}
	return false
}

// lineAt returns the 1-based line number of byte offset i.
func lineAt(data []byte, i int) int {
	if i > len(data) {
		i = len(data)
	}
	return bytes.Count(data[:i], []byte{'\n'}) + 1
}

// normalizeNewlines turns CRLF and lone CR into LF.
func normalizeNewlines(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// Clean normalises text that comes from a structured format (a .docx run, a
// caption, a spreadsheet cell): NFC, LF line endings, no control characters
// but tab and newline.
func Clean(s string) string {
	s = normalizeNewlines(s)
	if strings.IndexFunc(s, isBadControl) >= 0 {
		s = strings.Map(func(r rune) rune {
			if isBadControl(r) {
				return -1
			}
			return r
		}, s)
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	return s
}

// Errorf returns a qcode.EINVALID error about a file: the path, the line
// when it is positive, and the formatted message, as path:line: message.
func Errorf(path string, line int, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		return qcode.Errorf(qcode.EINVALID, "%s:%d: %s", path, line, msg)
	}
	return qcode.Errorf(qcode.EINVALID, "%s: %s", path, msg)
}

// Encoding names the encoding Decode reads data as: "UTF-8", "UTF-16LE",
// "UTF-16BE" or "Windows-1252", the last a guess that a front end should
// say it made. It does not check that data decodes.
func Encoding(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return "UTF-16LE"
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return "UTF-16BE"
	case utf8.Valid(data):
		return "UTF-8"
	}
	return "Windows-1252"
}
