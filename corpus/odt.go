package corpus

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"

	"qcode/textfile"
)

// Odt reads OpenDocument text (.odt) transcripts, as LibreOffice, Google
// Docs and Word save them. The body's text becomes plain text the way a
// .docx's does (one paragraph or heading to a paragraph of the source,
// table rows as lines with " | " between cells) and turns are found in it as
// in a plain-text transcript, so the same transcript reads the same from
// either format. Footnotes, endnotes and comments are left out, as they are
// from a .docx: they are not what was said. Text a tracked change deleted is
// left out; inserted text is read.
type Odt struct{}

// The OpenDocument namespaces the reader acts on.
const (
	nsOdfText   = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	nsOdfTable  = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
	nsOdfOffice = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
)

// odtPackage is how an .odt names itself in messages. The limits on the
// archive and on content.xml are the .docx reader's.
var odtPackage = zipDoc{
	part: "content.xml", ext: ".odt", kind: "OpenDocument text", a: "an",
	file: "an OpenDocument .odt file", save: "save it as .odt from LibreOffice or Word", app: "LibreOffice",
}

// Read reads one .odt transcript.
func (Odt) Read(in Input) ([]*Source, error) {
	text, err := odtText(in.Path, in.Data)
	if err != nil {
		return nil, err
	}
	return documentSource(in, "odt", "the OpenDocument text", text)
}

// odtText checks that data is an OpenDocument text and returns the text of
// its body, laid out as docxText lays out a Word document's.
func odtText(path string, data []byte) (string, error) {
	if bytes.HasPrefix(data, oleMagic) {
		return "", inputErr(path, 0, "file is an old binary (OLE) document, not an .odt; save it as .odt from LibreOffice or Word")
	}
	zr, part, err := odtPackage.open(path, data)
	if err != nil {
		return "", err
	}
	for _, f := range zr.File {
		switch f.Name {
		case "mimetype":
			// A spreadsheet or a presentation is a zip with a
			// content.xml too; its mimetype entry says which it is.
			mt := strings.TrimSpace(string(smallPart(f, 100)))
			if strings.HasPrefix(mt, "application/vnd.oasis.opendocument.") && !strings.HasPrefix(mt, "application/vnd.oasis.opendocument.text") {
				return "", inputErr(path, 0, "is an OpenDocument file of type %s, not text; save the transcript as .odt", strings.TrimPrefix(mt, "application/vnd.oasis.opendocument."))
			}
		case "META-INF/manifest.xml":
			// A password-protected .odt lists how each part is
			// encrypted; its content.xml would read as a damaged zip.
			if bytes.Contains(smallPart(f, 1<<20), []byte("encryption-data")) {
				return "", inputErr(path, 0, "file is password-protected; remove the password in LibreOffice (File > Properties) and save it again")
			}
		}
	}
	return odtPackage.read(path, part, extractOdtText)
}

// odtExtractor turns the token stream of content.xml into text. Paragraphs
// nest in table cells, list items and (in frames) in other paragraphs, and
// tables in cells, so it keeps a stack of each; the table and paragraph
// bookkeeping is the .docx extractor's.
type odtExtractor struct {
	docxExtractor
	// space is whether the last character data written to the innermost
	// paragraph ended in white space: OpenDocument collapses a run of
	// spaces, tabs and newlines in character data to one space, and spells
	// the spaces it means with text:s.
	space []bool
}

// odtSkip lists text elements whose whole content is left out: notes
// (footnotes and endnotes, with their citation mark), the deleted text kept
// in tracked changes, ruby readings, and the templates and titles of
// generated indexes, which are layout, not text.
var odtSkip = map[string]bool{
	"note": true, "tracked-changes": true, "ruby-text": true,
	"sequence-decls": true, "variable-decls": true, "user-field-decls": true,
	"table-of-content-source": true, "illustration-index-source": true, "table-index-source": true,
	"object-index-source": true, "user-index-source": true, "alphabetical-index-source": true,
	"bibliography-source": true,
}

func extractOdtText(r io.Reader) (string, error) {
	x := &odtExtractor{}
	err := walkXML(r, func(d *xml.Decoder, tok xml.Token) error {
		switch t := tok.(type) {
		case xml.Directive:
			// encoding/xml expands no entities, but a DTD has no place
			// in content.xml: refuse it rather than half-read the file.
			if dir := strings.TrimSpace(string(t)); strings.HasPrefix(dir, "DOCTYPE") || strings.HasPrefix(dir, "ENTITY") {
				return errDoctype
			}
		case xml.StartElement:
			if odtSkipped(t.Name) {
				return d.Skip()
			}
			x.open(t)
		case xml.EndElement:
			x.close(t.Name)
		case xml.CharData:
			x.chars(string(t))
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return textfile.Clean(strings.Join(x.out, "\n\n")), nil
}

// odtSkipped reports whether the element named n is left out whole: the
// text elements in odtSkip, comments, forms, the styles and fonts before
// the body, and the cells a merged cell covers (LibreOffice leaves their
// old text there, hidden).
func odtSkipped(n xml.Name) bool {
	switch n.Space {
	case nsOdfText:
		return odtSkip[n.Local]
	case nsOdfOffice:
		switch n.Local {
		case "annotation", "forms", "automatic-styles", "font-face-decls", "scripts":
			return true
		}
	case nsOdfTable:
		return n.Local == "covered-table-cell"
	}
	return false
}

func (x *odtExtractor) open(t xml.StartElement) {
	switch t.Name.Space {
	case nsOdfText:
		switch t.Name.Local {
		case "p", "h":
			x.start(xml.StartElement{Name: xml.Name{Local: "p"}})
			x.space = append(x.space, true) // leading white space goes
		case "s":
			n := 1
			if c := attr(t, "c"); c != "" {
				n = 0
				for _, r := range c {
					if r < '0' || r > '9' || n > 1000 {
						n = 1
						break
					}
					n = n*10 + int(r-'0')
				}
			}
			x.literal(strings.Repeat(" ", max(n, 1)))
		case "tab":
			x.literal("\t")
		case "line-break":
			x.literal("\n")
		}
	case nsOdfTable:
		switch t.Name.Local {
		case "table":
			x.start(xml.StartElement{Name: xml.Name{Local: "tbl"}})
		case "table-row":
			x.start(xml.StartElement{Name: xml.Name{Local: "tr"}})
		case "table-cell":
			x.start(xml.StartElement{Name: xml.Name{Local: "tc"}})
		}
	}
}

func (x *odtExtractor) close(name xml.Name) {
	switch name.Space {
	case nsOdfText:
		if name.Local == "p" || name.Local == "h" {
			x.end("p")
			if n := len(x.space); n > 0 {
				x.space = x.space[:n-1]
			}
		}
	case nsOdfTable:
		switch name.Local {
		case "table":
			x.end("tbl")
		case "table-row":
			x.end("tr")
		case "table-cell":
			x.end("tc")
		}
	}
}

// literal writes text that OpenDocument spells out (text:s, text:tab,
// text:line-break), which white space after it does not collapse into.
func (x *odtExtractor) literal(s string) {
	x.write(s)
	if n := len(x.space); n > 0 {
		x.space[n-1] = false
	}
}

// chars writes character data with its white space collapsed.
func (x *odtExtractor) chars(s string) {
	n := len(x.space)
	if n == 0 {
		return // outside any paragraph: layout white space, or invalid
	}
	var b strings.Builder
	space := x.space[n-1]
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		b.WriteRune(r)
		space = false
	}
	x.space[n-1] = space
	x.write(b.String())
}

// smallPart returns the first limit bytes of a zip entry, or none when it is
// larger than limit or cannot be read: what is read from it is a hint, and
// content.xml's own checks decide.
func smallPart(f *zip.File, limit uint64) []byte {
	if f.UncompressedSize64 > limit {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, int64(limit)))
	return b
}
