package export

import (
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A sheet's rows below its header are written here as the XML of the
// sheet's data, not through excelize's StreamWriter.SetRow: SetRow costs
// about a dozen allocations a cell (the cell's name, a struct per inline
// string, an escaping buffer, a regular expression over every text) and
// was most of the workbook's time. excelize still writes each sheet's
// frame (columns, panes, header row, autofilter, colour scales, links,
// page setup); the rows are put in before its </sheetData> as the sheet
// passes into the zip (parallelZip). The XML is what SetRow writes, cell
// for cell: inline strings, numbers as excelize formats them, the same
// row and cell styles.

// sheetBody holds the rows of one sheet: in memory up to bodyChunk, then
// in a temporary file in dir (beside the workbook, since they hold the
// transcripts' text).
type sheetBody struct {
	dir string
	buf []byte
	f   *os.File
}

// bodyChunk is how much of a sheet's rows is held in memory before it is
// written to the sheet's temporary file.
const bodyChunk = 1 << 20

// spill writes the rows held in memory to the temporary file once there
// are bodyChunk of them.
func (b *sheetBody) spill() error {
	if len(b.buf) < bodyChunk {
		return nil
	}
	if b.f == nil {
		f, err := os.CreateTemp(b.dir, "rows-*.xml")
		if err != nil {
			return err
		}
		b.f = f
	}
	_, err := b.f.Write(b.buf)
	b.buf = b.buf[:0]
	return err
}

// writeTo writes every row out, in order.
func (b *sheetBody) writeTo(w io.Writer) error {
	if b.f != nil {
		if _, err := b.f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		if _, err := io.Copy(w, onlyReader{b.f}); err != nil {
			return err
		}
	}
	_, err := w.Write(b.buf)
	return err
}

// close removes the temporary file, if any.
func (b *sheetBody) close() {
	if b.f != nil {
		b.f.Close()
		os.Remove(b.f.Name())
		b.f = nil
	}
	b.buf = nil
}

// onlyReader hides a file's WriteTo, so that io.Copy reads it in blocks
// into the writer instead of asking it to copy itself.
type onlyReader struct{ io.Reader }

// appendRowStart appends a row's start tag: its number, then the style and
// height of its options as excelize writes them.
func appendRowStart(b []byte, r, style int, height float64) []byte {
	b = append(b, `<row r="`...)
	b = strconv.AppendInt(b, int64(r), 10)
	b = append(b, '"')
	if style > 0 {
		b = append(b, ` s="`...)
		b = strconv.AppendInt(b, int64(style), 10)
		b = append(b, `" customFormat="1"`...)
	}
	if height > 0 {
		b = append(b, ` ht="`...)
		b = strconv.AppendFloat(b, height, 'f', -1, 64)
		b = append(b, `" customHeight="1"`...)
	}
	return append(b, '>')
}

// appendCellStart appends a cell's start tag up to its type: <c r="B7"
// s="3", the style left out when 0.
func appendCellStart(b []byte, col string, r, style int) []byte {
	b = append(b, `<c r="`...)
	b = append(b, col...)
	b = strconv.AppendInt(b, int64(r), 10)
	b = append(b, '"')
	if style != 0 {
		b = append(b, ` s="`...)
		b = strconv.AppendInt(b, int64(style), 10)
		b = append(b, '"')
	}
	return b
}

// appendTextCell appends an inline string cell holding s.
func appendTextCell(b []byte, col string, r, style int, s string) []byte {
	b = appendCellStart(b, col, r, style)
	b = append(b, ` t="inlineStr"><is><t`...)
	if s != "" && (isSpace(s[0]) || isSpace(s[len(s)-1])) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	b = appendText(b, s)
	return append(b, `</t></is></c>`...)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// appendIntCell appends a number cell holding n.
func appendIntCell(b []byte, col string, r, style int, n int64) []byte {
	b = appendCellStart(b, col, r, style)
	b = append(b, `><v>`...)
	b = strconv.AppendInt(b, n, 10)
	return append(b, `</v></c>`...)
}

// appendFloatCell appends a number cell holding x, with no more than the
// 15 significant digits a spreadsheet keeps; NaN and infinities, which it
// cannot hold as numbers, are written as text, as excelize does.
func appendFloatCell(b []byte, col string, r, style int, x float64) []byte {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return appendTextCell(b, col, r, style, strconv.FormatFloat(x, 'g', -1, 64))
	}
	b = appendCellStart(b, col, r, style)
	b = append(b, `><v>`...)
	b = appendFloat(b, x)
	return append(b, `</v></c>`...)
}

// appendFloat appends x in decimal, cut (not rounded) after 15 significant
// digits: the digits past them in the whole part become zeros, those in
// the fraction are dropped. This is excelize's rule for a float it is
// given, kept so that a cell holds the same value as before.
func appendFloat(b []byte, x float64) []byte {
	start := len(b)
	b = strconv.AppendFloat(b, x, 'f', -1, 64)
	if math.Abs(x) == math.MaxFloat64 {
		return b
	}
	s := b[start:]
	const keep = 15
	point := -1
	for i, c := range s {
		if c == '.' {
			point = i
			break
		}
	}
	significant := 0
	for i, c := range s {
		if c < '0' || c > '9' || significant == 0 && c == '0' {
			continue
		}
		significant++
		if significant <= keep {
			continue
		}
		if point >= 0 && i > point {
			s = s[:i]
			if s[len(s)-1] == '.' {
				s = s[:len(s)-1]
			}
			return b[:start+len(s)]
		}
		whole := len(s)
		if point >= 0 {
			whole = point
		}
		for k := i; k < whole; k++ {
			s[k] = '0'
		}
		return b[:start+whole]
	}
	return b
}

// appendText appends s escaped as the text of an XML element, as excelize
// escapes a cell's text: &, <, > and the quotes as entities; a carriage
// return and a tab as character references, so that readers keep them; a
// character XML may not hold (a control character, invalid UTF-8) as
// U+FFFD; and an _xHHHH_ that is part of the text, which a spreadsheet
// would read as an escaped character, with its underscore escaped as
// _x005F_.
func appendText(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		// Most of a text is copied as it is, a run at a time.
		j := i
		for j < len(s) && plainByte[s[j]] {
			j++
		}
		b = append(b, s[i:j]...)
		if i = j; i == len(s) {
			break
		}
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if (r == utf8.RuneError && size == 1) || !xmlChar(r) {
				b = append(b, "\uFFFD"...)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch {
		case c == '&':
			b = append(b, "&amp;"...)
		case c == '<':
			b = append(b, "&lt;"...)
		case c == '>':
			b = append(b, "&gt;"...)
		case c == '"':
			b = append(b, "&#34;"...)
		case c == '\'':
			b = append(b, "&#39;"...)
		case c == '\t':
			b = append(b, "&#x9;"...)
		case c == '\r':
			b = append(b, "&#xD;"...)
		case c == '\n':
			b = append(b, '\n')
		case c < 0x20:
			b = append(b, "\uFFFD"...)
		case c == '_' && escapedChar(s[i:]):
			b = append(b, "_x005F_"...)
		default:
			b = append(b, c)
		}
		i++
	}
	return b
}

// plainByte tells the bytes appendText copies as they are: ASCII that XML
// holds as text, but for &, <, >, the quotes, a tab, a carriage return and
// the underscore (which may start an _xHHHH_).
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x7F; c++ {
		t[c] = !strings.ContainsRune(`&<>"'_`, rune(c))
	}
	t['\n'] = true
	return t
}()

// escapedChar reports whether s starts with _xHHHH_, four hexadecimal
// digits between _x and _.
func escapedChar(s string) bool {
	if len(s) < 7 || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// xmlChar reports whether XML 1.0 may hold r.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
