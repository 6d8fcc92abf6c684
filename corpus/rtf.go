package corpus

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf16"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"qcode/textfile"
)

// Rtf reads Rich Text Format (.rtf) transcripts, as Word, WordPad,
// LibreOffice and TextEdit save them. No maintained Go library reads RTF,
// so this is a small parser of its own, guarded against crafted files: the
// body's text becomes plain text the way a .docx's does (one paragraph to a
// paragraph of the source, table rows as lines with " | " between cells),
// and turns are found in it as in a plain-text transcript, so the same
// transcript reads the same from either format. Headers, footers,
// footnotes, comments, pictures, embedded objects, field instructions and
// text a tracked change deleted are left out, as they are from a .docx;
// a field's result (the text it shows) is kept.
type Rtf struct{}

// Limits on what an RTF file may ask of the parser. Word nests groups a
// few dozen deep; a file that nests thousands deep, or declares a \bin run
// longer than itself, was made to exhaust a reader.
const (
	rtfMaxSize  = 64 << 20 // bytes of RTF, as for a .docx's document.xml
	rtfMaxDepth = 1000     // groups open at once
)

// Read reads one .rtf transcript.
func (Rtf) Read(in Input) ([]*Source, error) {
	text, err := rtfText(in.Path, in.Data)
	if err != nil {
		return nil, err
	}
	return documentSource(in, "rtf", "the RTF document", text)
}

// rtfText checks that data is an RTF document and returns the text of its
// body, laid out as docxText lays out a Word document's.
func rtfText(path string, data []byte) (string, error) {
	start := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if !bytes.HasPrefix(start, []byte(`{\rtf`)) {
		return "", inputErr(path, 0, `not an RTF file (it does not start with {\rtf); save it as .rtf from Word or LibreOffice`)
	}
	if len(data) > rtfMaxSize {
		return "", inputErr(path, 0, "file is %d MB, more than the %d MB of RTF qcode reads; split the document", len(data)>>20, rtfMaxSize>>20)
	}
	p := &rtfParser{data: data, pos: len(data) - len(start), enc: charmap.Windows1252, state: rtfState{uc: 1, font: -1}}
	if err := p.parse(); err != nil {
		line := bytes.Count(data[:min(p.pos, len(data))], []byte("\n")) + 1
		return "", inputErr(path, line, "%s", err.Error())
	}
	return textfile.Clean(strings.Join(p.out, "\n\n")), nil
}

// rtfError is a problem with an RTF file; rtfText adds the file and line.
type rtfError string

func (e rtfError) Error() string { return string(e) }

// rtfState is what a group sets and its end restores.
type rtfState struct {
	skip    bool // inside a destination whose text is not the body's
	uc      int  // characters of fallback after a \u to skip (\ucN)
	deleted bool // text a tracked change deleted (\deleted)
	fonttbl bool // inside the font table
	font    int  // the font of the text (\fN), -1 for none
}

// rtfParser walks an RTF document once, writing the body's text into
// paragraphs and table rows.
type rtfParser struct {
	data []byte
	pos  int
	enc  encoding.Encoding // the document's code page, for \'hh and 8-bit bytes
	// fonts holds the code page of each font whose character set says
	// one (\fcharset in the font table): WordPad writes Greek or Cyrillic
	// text as \'hh in the font's code page, not the document's.
	fonts   map[int]encoding.Encoding
	fontNum int // the font the font table is describing
	state   rtfState
	stack   []rtfState
	// pending holds bytes in the code page not yet decoded: a double-byte
	// code page spells one character in two \'hh escapes.
	pending []byte
	// high holds the first half of a UTF-16 surrogate pair given by \u.
	high rune
	// skipFallback counts the characters after a \u still to be skipped.
	skipFallback int
	// first is set until the first control word of a group is seen: an
	// ignorable destination starts with \*, and a destination is named by
	// a group's first control word.
	first bool
	star  bool // the group began with \*

	para   strings.Builder // the open paragraph
	out    []string        // finished paragraphs and table rows
	cell   []string        // paragraphs of the open table cell
	row    []string        // cells of the open table row
	inCell bool            // the open paragraph is in a table cell (\intbl)
}

// rtfSkip lists the destinations whose text is not the document's body:
// tables of fonts, colours, styles, lists and revisions; document
// information; pictures and objects' data; headers, footers, footnotes and
// comments (left out of a .docx too); the numbers and bullets Word writes
// as text before list items (a .docx gives none); and field instructions,
// bookmarks and index entries.
var rtfSkip = map[string]bool{
	"fonttbl": true, "colortbl": true, "stylesheet": true, "info": true, "listtable": true,
	"listoverridetable": true, "revtbl": true, "rsidtbl": true, "filetbl": true, "generator": true,
	"pict": true, "objdata": true, "objclass": true, "objname": true, "shppict": true, "nonshppict": true,
	"header": true, "headerl": true, "headerr": true, "headerf": true,
	"footer": true, "footerl": true, "footerr": true, "footerf": true,
	"footnote": true, "annotation": true, "atnid": true, "atnauthor": true, "atndate": true,
	"listtext": true, "pntext": true, "pntxta": true, "pntxtb": true,
	"fldinst": true, "bkmkstart": true, "bkmkend": true, "xe": true, "tc": true, "tcn": true,
	"template": true, "themedata": true, "colorschememapping": true, "datastore": true,
	"latentstyles": true, "xmlnstbl": true, "mmathPr": true, "sp": true, "sn": true, "sv": true,
	"txe": true, "userprops": true, "docvar": true, "private": true, "fchars": true, "lchars": true,
}

// rtfSymbols are control words that stand for a character.
var rtfSymbols = map[string]string{
	"tab": "\t", "line": "\n", "emdash": "—", "endash": "–", "lquote": "‘", "rquote": "’",
	"ldblquote": "“", "rdblquote": "”", "bullet": "•", "emspace": " ", "enspace": " ", "qmspace": " ",
}

func (p *rtfParser) parse() error {
	depth := 0
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch c {
		case '{':
			p.pos++
			p.flush() // pending bytes are in the code page of the group they came in
			p.skipFallback = 0
			depth++
			if depth > rtfMaxDepth {
				return rtfError("groups nest more than " + strconv.Itoa(rtfMaxDepth) + " deep, which no RTF document does; refusing a possible RTF bomb")
			}
			p.stack = append(p.stack, p.state)
			p.first, p.star = true, false
		case '}':
			p.pos++
			p.flush()
			p.skipFallback = 0
			p.first = false
			if depth == 0 {
				return rtfError("a } closes a group that was never opened; the file is damaged: open it in Word or LibreOffice and save it again")
			}
			depth--
			p.state = p.stack[len(p.stack)-1]
			p.stack = p.stack[:len(p.stack)-1]
			if depth == 0 {
				p.flush()
				p.endParagraph()
				p.endRow()
				return nil // what follows the document's group is not RTF
			}
		case '\\':
			if err := p.control(); err != nil {
				return err
			}
		case '\r', '\n':
			p.pos++ // line breaks in RTF source are not text
		default:
			p.pos++
			p.first = false
			if p.skipFallback > 0 {
				p.skipFallback--
				continue
			}
			if c < 0x80 {
				p.text(string(rune(c)))
			} else {
				p.byteText(c)
			}
		}
	}
	return rtfError("the file ends inside a group (" + strconv.Itoa(depth) + " left open): it is truncated or damaged; save it again as .rtf")
}

// control reads the control word or symbol at p.pos (a backslash) and acts
// on it.
func (p *rtfParser) control() error {
	p.pos++ // the backslash
	if p.pos >= len(p.data) {
		return nil
	}
	c := p.data[p.pos]
	if !isASCIILetter(c) {
		p.pos++
		return p.symbol(c)
	}
	start := p.pos
	for p.pos < len(p.data) && isASCIILetter(p.data[p.pos]) && p.pos-start < 32 {
		p.pos++
	}
	word := string(p.data[start:p.pos])
	param, hasParam := 0, false
	if p.pos < len(p.data) && (p.data[p.pos] == '-' || isASCIIDigit(p.data[p.pos])) {
		neg := p.data[p.pos] == '-'
		if neg {
			p.pos++
		}
		digits := p.pos
		for p.pos < len(p.data) && isASCIIDigit(p.data[p.pos]) && p.pos-digits < 10 {
			param = param*10 + int(p.data[p.pos]-'0')
			p.pos++
		}
		hasParam = p.pos > digits
		if neg {
			param = -param
		}
	}
	if p.pos < len(p.data) && p.data[p.pos] == ' ' {
		p.pos++ // the space that ends a control word is part of it
	}
	return p.word(word, param, hasParam)
}

// symbol acts on a control symbol: a backslash and one character that is
// not a letter.
func (p *rtfParser) symbol(c byte) error {
	if c == '*' {
		p.star = true
		return nil
	}
	p.first = false
	if p.skipFallback > 0 && c != '\r' && c != '\n' {
		p.skipFallback--
		if c == '\'' {
			p.pos = min(p.pos+2, len(p.data))
		}
		return nil
	}
	switch c {
	case '\\', '{', '}':
		p.text(string(rune(c)))
	case '~':
		p.text("\u00a0")
	case '_':
		p.text("-") // a non-breaking hyphen, as the .docx reader writes it
	case '-':
		// An optional hyphen: shown only where a line wraps.
	case '\r', '\n':
		p.par() // \ followed by a line break is \par
	case '\'':
		if p.pos+2 > len(p.data) {
			return nil
		}
		b, err := strconv.ParseUint(string(p.data[p.pos:p.pos+2]), 16, 8)
		if err != nil {
			return rtfError(`\'` + string(p.data[p.pos:p.pos+2]) + ` is not a character in hexadecimal; the file is damaged`)
		}
		p.pos += 2
		p.byteText(byte(b))
	}
	return nil
}

// word acts on a control word.
func (p *rtfParser) word(w string, param int, hasParam bool) error {
	first, star := p.first, p.star
	p.first = false
	if w == "bin" {
		// \binN: N bytes of binary data follow, which may hold braces
		// and backslashes; they are never text.
		if param < 0 || param > len(p.data)-p.pos {
			return rtfError(`\bin declares ` + strconv.Itoa(param) + " bytes of data, more than the file holds; it is damaged or made to exhaust a reader")
		}
		p.pos += param
		return nil
	}
	if p.skipFallback > 0 {
		p.skipFallback--
		return nil
	}
	if first && (star || rtfSkip[w]) {
		// A destination qcode does not read: an ignorable one ({\*\…})
		// or one listed. Its text is skipped to the group's end.
		p.state.skip = true
		p.state.fonttbl = w == "fonttbl"
		return nil
	}
	if p.state.fonttbl {
		switch w {
		case "f":
			p.fontNum = param
		case "fcharset":
			if e := charsetEncoding(param); e != nil {
				if p.fonts == nil {
					p.fonts = map[int]encoding.Encoding{}
				}
				p.fonts[p.fontNum] = e
			}
		}
		return nil
	}
	switch w {
	case "ansicpg":
		if e := codePage(param); e != nil {
			p.enc = e
		}
	case "mac":
		p.enc = charmap.Macintosh
	case "pc":
		p.enc = charmap.CodePage437
	case "pca":
		p.enc = charmap.CodePage850
	case "f", "deff":
		p.flush()
		p.state.font = param
	case "uc":
		if hasParam && param >= 0 && param <= 10 {
			p.state.uc = param
		}
	case "u":
		r := rune(param)
		if r < 0 {
			r += 65536
		}
		p.unicode(r)
		p.skipFallback = p.state.uc
	case "par", "sect":
		p.par()
	case "page", "column":
		p.text("\n")
	}
	if p.state.skip {
		return nil // the structure of a skipped destination is not the body's
	}
	switch w {
	case "cell", "nestcell":
		p.flush()
		p.endCell()
	case "row", "nestrow":
		p.flush()
		p.endRow()
	case "intbl":
		p.inCell = true
	case "pard":
		p.flush()
		p.inCell = false
	case "deleted":
		p.state.deleted = !hasParam || param != 0
	case "plain":
		p.state.deleted = false
	default:
		if s, ok := rtfSymbols[w]; ok {
			p.text(s)
		}
	}
	return nil
}

// codePage returns the encoding of a Windows code page RTF names, or nil
// for one qcode does not know (the text is then read as Windows-1252).
func codePage(cp int) encoding.Encoding {
	switch cp {
	case 437:
		return charmap.CodePage437
	case 850:
		return charmap.CodePage850
	case 852:
		return charmap.CodePage852
	case 866:
		return charmap.CodePage866
	case 874:
		return charmap.Windows874
	case 932:
		return japanese.ShiftJIS
	case 936:
		return simplifiedchinese.GBK
	case 949:
		return korean.EUCKR
	case 950:
		return traditionalchinese.Big5
	case 1250:
		return charmap.Windows1250
	case 1251:
		return charmap.Windows1251
	case 1252:
		return charmap.Windows1252
	case 1253:
		return charmap.Windows1253
	case 1254:
		return charmap.Windows1254
	case 1255:
		return charmap.Windows1255
	case 1256:
		return charmap.Windows1256
	case 1257:
		return charmap.Windows1257
	case 1258:
		return charmap.Windows1258
	case 10000:
		return charmap.Macintosh
	}
	return nil
}

// charsetEncoding returns the encoding of a font's character set
// (\fcharsetN), or nil for the ANSI set (the document's code page) and
// those qcode does not know.
func charsetEncoding(cs int) encoding.Encoding {
	switch cs {
	case 77:
		return charmap.Macintosh
	case 128:
		return codePage(932)
	case 129:
		return codePage(949)
	case 134:
		return codePage(936)
	case 136:
		return codePage(950)
	case 161:
		return codePage(1253)
	case 162:
		return codePage(1254)
	case 163:
		return codePage(1258)
	case 177:
		return codePage(1255)
	case 178:
		return codePage(1256)
	case 186:
		return codePage(1257)
	case 204:
		return codePage(1251)
	case 222:
		return codePage(874)
	case 238:
		return codePage(1250)
	}
	return nil
}

// visible reports whether text written now is the body's.
func (p *rtfParser) visible() bool { return !p.state.skip && !p.state.deleted }

// byteText adds a byte in the document's code page.
func (p *rtfParser) byteText(b byte) {
	if p.visible() {
		p.pending = append(p.pending, b)
	}
}

// flush decodes the pending code-page bytes into the paragraph.
func (p *rtfParser) flush() {
	if len(p.pending) == 0 {
		return
	}
	enc := p.enc
	if e, ok := p.fonts[p.state.font]; ok {
		enc = e
	}
	s, err := enc.NewDecoder().Bytes(p.pending)
	if err != nil {
		s = []byte(strings.Repeat("\uFFFD", len(p.pending)))
	}
	p.pending = p.pending[:0]
	p.para.Write(s)
}

// unicode adds a character given by \u, joining a surrogate pair.
func (p *rtfParser) unicode(r rune) {
	switch {
	case utf16.IsSurrogate(r) && r < 0xDC00:
		p.high = r
		return
	case utf16.IsSurrogate(r):
		if p.high != 0 {
			r = utf16.DecodeRune(p.high, r)
		} else {
			r = '\uFFFD'
		}
	}
	p.high = 0
	p.text(string(r))
}

// text adds text to the open paragraph, when it is the body's.
func (p *rtfParser) text(s string) {
	if !p.visible() {
		return
	}
	p.flush()
	p.para.WriteString(s)
}

// par ends a paragraph (\par), in a table cell or on the page.
func (p *rtfParser) par() {
	if p.state.skip {
		return
	}
	p.flush()
	p.endParagraph()
}

// endParagraph ends the open paragraph: into the open cell's paragraphs
// inside a table, else onto the page. Empty paragraphs are dropped.
func (p *rtfParser) endParagraph() {
	s := tidyParagraph(textfile.Clean(p.para.String()))
	p.para.Reset()
	if s == "" {
		return
	}
	if p.inCell {
		p.cell = append(p.cell, s)
		return
	}
	p.out = append(p.out, s)
}

// endCell ends a table cell: its paragraphs become one cell of the row.
func (p *rtfParser) endCell() {
	if p.state.skip {
		return
	}
	p.inCell = true
	p.endParagraph()
	p.row = append(p.row, strings.Join(p.cell, " "))
	p.cell = nil
}

// endRow writes the row's cells as one line, as the .docx reader does.
func (p *rtfParser) endRow() {
	if p.state.skip {
		return
	}
	if len(p.cell) > 0 || p.para.Len() > 0 {
		p.endCell()
	}
	if strings.TrimSpace(strings.Join(p.row, "")) != "" {
		p.out = append(p.out, strings.TrimSpace(strings.Join(p.row, " | ")))
	}
	p.row = nil
	p.inCell = false
}

func isASCIIDigit(c byte) bool { return c >= '0' && c <= '9' }
