package corpus

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"qcode/textfile"
)

// Docx reads Word .docx transcripts. The body's text becomes plain text, one
// Word paragraph to a paragraph of the source, and turns are found in it as
// in a plain-text transcript (see detectTurns). Headers, footers, footnotes
// and comments are left out: they are not what was said.
type Docx struct{}

// Limits on the zip archive, so a crafted file cannot make qcode inflate
// gigabytes. Word documents are far below them: a 300-page transcript's
// document.xml is a few MB and compresses about 10:1.
const (
	docxMaxXML     = 64 << 20 // bytes of word/document.xml once inflated
	docxMaxRatio   = 100      // inflated:compressed, checked above docxRatioFrom
	docxRatioFrom  = 1 << 20  // small files may compress very well
	docxMaxEntries = 10000    // a real .docx has a few dozen parts
)

// oleMagic starts an OLE compound file: an old binary .doc, or a .docx that
// Word encrypted with a password (Word wraps the encrypted zip in OLE).
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// The WordprocessingML namespaces: transitional (what Word writes) and
// strict (what "Strict Open XML" saves write).
const (
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	nsMC      = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// Read reads one .docx transcript.
func (Docx) Read(in Input) ([]*Source, error) {
	text, err := docxText(in.Path, in.Data)
	if err != nil {
		return nil, err
	}
	return documentSource(in, "docx", "the Word document", text)
}

// documentSource finds the turns in the text of a document in format and
// returns it as the one source of in; what names the document for the
// message a document with no text gets.
func documentSource(in Input, format, what, text string) ([]*Source, error) {
	if text == "" {
		return nil, inputErr(in.Path, 0, "%s has no text in its body; nothing to import", what)
	}
	header, turns, err := detectTurns(in, text)
	if err != nil {
		return nil, err
	}
	return []*Source{{Name: SourceName(in.Path), Format: format, Text: text, Header: header, Turns: turns}}, nil
}

// docxText checks that data is a Word document and returns the text of its
// body: paragraphs separated by a blank line, table rows as one line with
// " | " between cells, cleaned by textfile.Clean.
func docxText(path string, data []byte) (string, error) {
	if bytes.HasPrefix(data, oleMagic) {
		return "", inputErr(path, 0, "file is password-protected or an old .doc file; remove the password, or save it as .docx from Word")
	}
	_, part, err := docxPackage.open(path, data)
	if err != nil {
		return "", err
	}
	return docxPackage.read(path, part, extractDocxText)
}

// docxPackage is how a .docx names itself in messages.
var docxPackage = zipDoc{
	part: "word/document.xml", ext: ".docx", kind: "Word document", a: "a",
	file: "a Word .docx file", save: "save it as .docx from Word", app: "Word",
}

// zipDoc describes an office format that is a zip archive around one XML
// part holding the text (.docx, .odt), for the checks and messages that
// open and readPart share.
type zipDoc struct {
	part string // the XML part with the text: word/document.xml
	ext  string // .docx
	kind string // Word document
	a    string // the article kind takes: a, an
	file string // a Word .docx file
	save string // how to make a file qcode reads: save it as .docx from Word
	app  string // what to open and save a damaged file again in: Word
}

// open checks that data is a zip archive of a sensible number of files and
// finds the text part in it. Nothing is ever written from the archive, so
// entry names (absolute, or with "..") cannot place files anywhere: a name
// is only compared with z.part.
func (z zipDoc) open(path string, data []byte) (*zip.Reader, *zip.File, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, nil, inputErr(path, 0, "not %s (not a zip archive); %s", z.file, z.save)
	}
	if len(zr.File) > docxMaxEntries {
		return nil, nil, inputErr(path, 0, "zip archive holds %d files, more than the %d %s %s could; it is not a %s qcode reads", len(zr.File), docxMaxEntries, z.a, z.kind, z.ext)
	}
	for _, f := range zr.File {
		if f.Name == z.part {
			return zr, f, nil
		}
	}
	return nil, nil, inputErr(path, 0, "not %s %s (no %s); %s", z.a, z.kind, z.part, z.save)
}

// read inflates part, within the size and ratio limits, and hands its
// bytes to extract; every failure is one line naming the file.
func (z zipDoc) read(path string, part *zip.File, extract func(io.Reader) (string, error)) (string, error) {
	size, packed := part.UncompressedSize64, part.CompressedSize64
	if size > docxMaxXML {
		return "", inputErr(path, 0, "%s inflates to %d MB, more than the %d MB qcode reads; split the document", z.part, size>>20, docxMaxXML>>20)
	}
	if size > docxRatioFrom && size > docxMaxRatio*packed {
		return "", inputErr(path, 0, "%s is compressed more than %d:1, which no %s is; refusing a possible zip bomb", z.part, docxMaxRatio, z.kind)
	}
	rc, err := part.Open()
	if err != nil {
		return "", inputErr(path, 0, "cannot open %s (%v); save the document again as %s", z.part, err, z.ext)
	}
	defer rc.Close()
	// The sizes above come from the archive's directory, which a crafted
	// file can fill with lies; the reader enforces the same limits on the
	// bytes that actually come out.
	lr := &limitedReader{r: io.LimitReader(rc, docxMaxXML+1), packed: packed}
	text, err := extract(lr)
	if err != nil {
		var se *xml.SyntaxError
		switch {
		case errors.Is(err, errTooLarge):
			return "", inputErr(path, 0, "%s inflates to more than %d MB; split the document", z.part, docxMaxXML>>20)
		case errors.Is(err, errTooCompressed):
			return "", inputErr(path, 0, "%s is compressed more than %d:1, which no %s is; refusing a possible zip bomb", z.part, docxMaxRatio, z.kind)
		case errors.Is(err, errDoctype):
			return "", inputErr(path, 0, "%s declares a DTD (<!DOCTYPE …>), which no %s does; refusing it", z.part, z.kind)
		case errors.As(err, &se):
			return "", inputErr(path, 0, "%s is damaged at line %d (%s); open the document in %s and save it again", z.part, se.Line, se.Msg, z.app)
		}
		return "", inputErr(path, 0, "%s cannot be read (%v); open the document in %s and save it again", z.part, err, z.app)
	}
	return text, nil
}

var (
	errTooLarge      = errors.New("inflated part too large")
	errTooCompressed = errors.New("inflated part compressed too well")
	errDoctype       = errors.New("XML part declares a DTD")
)

// limitedReader counts the bytes that come out of r and fails once more
// than docxMaxXML have, or more than docxRatioFrom at a ratio above
// docxMaxRatio to the compressed size. r is an io.LimitReader that stops one
// byte past docxMaxXML, which is what tells "at the limit" from "over it"
// and keeps a lying archive from inflating further.
type limitedReader struct {
	r      io.Reader
	packed uint64 // compressed size; the zip reader reads no more than this
	n      uint64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += uint64(n)
	if l.n > docxMaxXML {
		return n, errTooLarge
	}
	if l.n > docxRatioFrom && l.n > docxMaxRatio*l.packed {
		return n, errTooCompressed
	}
	return n, err
}

// docxExtractor turns the token stream of word/document.xml into text. Word
// nests paragraphs in table cells and (in text boxes) in other paragraphs,
// and tables in cells, so it keeps a stack of each.
type docxExtractor struct {
	out    []string           // finished paragraphs and table rows
	paras  []*strings.Builder // open paragraphs, innermost last
	tables []*docxTable       // open tables, innermost last
	// fields holds, for each open complex field, whether its result has
	// started (after fldChar "separate"). Text in a field's instruction part
	// is code such as "PAGE \* MERGEFORMAT", not prose.
	fields []bool
	inText bool // inside <w:t>
}

type docxTable struct {
	row    []string // the cells of the open row
	cell   []string // the paragraphs of the open cell
	inCell bool
}

// docxSkip lists elements whose whole content is left out: properties
// (which hold look-alikes such as the w:tab of a tab stop), deleted and
// moved-away text, field codes, and symbols.
var docxSkip = map[string]bool{
	"pPr": true, "rPr": true, "sectPr": true, "tblPr": true, "tblPrEx": true,
	"tblGrid": true, "trPr": true, "tcPr": true, "sdtPr": true, "sdtEndPr": true,
	"del": true, "moveFrom": true, "instrText": true, "delInstrText": true,
	"delText": true, "sym": true, "rt": true, // rt: the reading above ruby text
}

func extractDocxText(r io.Reader) (string, error) {
	x := &docxExtractor{}
	err := walkXML(r, func(d *xml.Decoder, tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space == nsMC && t.Name.Local == "Fallback" {
				// A text box is written twice, as DrawingML in
				// mc:Choice and as VML in mc:Fallback; keep one.
				return d.Skip()
			}
			if !isW(t.Name.Space) {
				return nil
			}
			if docxSkip[t.Name.Local] {
				return d.Skip()
			}
			x.start(t)
		case xml.EndElement:
			if isW(t.Name.Space) {
				x.end(t.Name.Local)
			}
		case xml.CharData:
			if x.inText {
				x.write(string(t))
			}
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return textfile.Clean(strings.Join(x.out, "\n\n")), nil
}

// walkXML decodes r and hands each token to visit, which may skip the rest
// of the element a start token opens with d.Skip; it stops at the first
// error.
func walkXML(r io.Reader, visit func(d *xml.Decoder, tok xml.Token) error) error {
	d := xml.NewDecoder(r)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := visit(d, tok); err != nil {
			return err
		}
	}
}

// isW reports whether space is WordprocessingML's namespace. A bare "w" is
// a prefix the file never declared; taking it keeps hand-made files readable.
func isW(space string) bool {
	return space == nsW || space == nsWStrict || space == "w"
}

func (x *docxExtractor) start(t xml.StartElement) {
	switch t.Name.Local {
	case "p":
		x.paras = append(x.paras, &strings.Builder{})
	case "t":
		x.inText = true
	case "tab", "ptab":
		x.write("\t")
	case "br", "cr":
		x.write("\n")
	case "noBreakHyphen":
		x.write("-")
	case "fldChar":
		switch attr(t, "fldCharType") {
		case "begin":
			x.fields = append(x.fields, false)
		case "separate":
			if n := len(x.fields); n > 0 {
				x.fields[n-1] = true
			}
		case "end":
			if n := len(x.fields); n > 0 {
				x.fields = x.fields[:n-1]
			}
		}
	case "tbl":
		x.tables = append(x.tables, &docxTable{})
	case "tr":
		if tb := x.table(); tb != nil {
			tb.row = tb.row[:0]
		}
	case "tc":
		if tb := x.table(); tb != nil {
			tb.cell, tb.inCell = nil, true
		}
	}
}

func (x *docxExtractor) end(local string) {
	switch local {
	case "t":
		x.inText = false
	case "p":
		n := len(x.paras)
		if n == 0 {
			return
		}
		p := x.paras[n-1]
		x.paras = x.paras[:n-1]
		x.emit(len(x.tables), tidyParagraph(p.String()))
	case "tc":
		if tb := x.table(); tb != nil && tb.inCell {
			tb.row = append(tb.row, strings.Join(tb.cell, " "))
			tb.inCell = false
		}
	case "tr":
		if tb := x.table(); tb != nil {
			// A row's line goes where the table sits: the page, or
			// the cell of an outer table.
			if strings.TrimSpace(strings.Join(tb.row, "")) != "" {
				x.emit(len(x.tables)-1, strings.TrimSpace(strings.Join(tb.row, " | ")))
			}
			tb.row = tb.row[:0]
		}
	case "tbl":
		if n := len(x.tables); n > 0 {
			x.tables = x.tables[:n-1]
		}
	}
}

// emit adds a finished paragraph or row to the open cell of the table at
// depth level (the number of tables it sits in), or to the output at depth
// 0; empty paragraphs are dropped.
func (x *docxExtractor) emit(level int, s string) {
	if s == "" {
		return
	}
	if level > 0 && level <= len(x.tables) {
		if tb := x.tables[level-1]; tb.inCell {
			tb.cell = append(tb.cell, s)
			return
		}
	}
	x.out = append(x.out, s)
}

func (x *docxExtractor) table() *docxTable {
	if n := len(x.tables); n > 0 {
		return x.tables[n-1]
	}
	return nil
}

// visible reports whether text is shown: it is not inside the instruction
// part of any open field.
func (x *docxExtractor) visible() bool {
	for _, result := range x.fields {
		if !result {
			return false
		}
	}
	return true
}

// write adds text to the innermost open paragraph. Text outside any
// paragraph is not valid WordprocessingML and is dropped.
func (x *docxExtractor) write(s string) {
	if x.visible() && len(x.paras) > 0 {
		x.paras[len(x.paras)-1].WriteString(s)
	}
}

// tidyParagraph trims each line of a paragraph, so that a label after an
// indent or a soft line break still starts its line, and keeps at most one
// blank line in a row (line breaks typed to space text out), so a
// paragraph never looks like more than one paragraph break.
func tidyParagraph(s string) string {
	if !strings.Contains(s, "\n") {
		return strings.TrimSpace(s)
	}
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, l)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n")
}

// attr returns the value of t's attribute named local, in any namespace.
func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
