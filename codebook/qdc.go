package codebook

// This file is the REFI-QDA codebook adapter: .qdc files, the XML that
// NVivo, ATLAS.ti, MAXQDA and QualCoder exchange codebooks in (schema
// Codebook.xsd, namespace urn:QDA-XML:codebook:1.0).

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"qcode"
	"qcode/internal/qdaxml"
)

// QDCNamespace is the XML namespace of REFI-QDA codebooks.
const QDCNamespace = "urn:QDA-XML:codebook:1.0"

// MaxQDCSize is the largest .qdc file ReadQDC reads. Real codebooks are
// kilobytes; a file this large is a mistake or an attack.
const MaxQDCSize = 32 << 20

// maxQDCDepth bounds how deeply codes may nest in a .qdc file.
const maxQDCDepth = 100

// The qcode block: what REFI-QDA has no place for travels at the end of
// each code's description, after a blank line, as
//
//	--- qcode ---
//	id: risk_aversion
//	rule: governance OR litigation OR "risk averse"
//	negation: only
//	include: Caution about governance or litigation that stops a change.
//	exclude: Clinical risk to a patient.
//	example: Governance would never sign it off.
//	example: A first line
//	  and its second line, indented by two spaces.
//	counterexample: There was a risk of bleeding.
//
// One "field: value" line per value, in that order, fields without a value
// left out (negation when it is skip). A value's further lines are indented
// by two spaces, so values may hold line breaks, colons and anything else;
// a blank line inside a value is kept. People reading the code in another
// tool see its definition and its rule; qcode reads the block back exactly.
const qdcBlockHeader = "--- qcode ---"

// qdcSettingsHeader starts the XML comment that keeps the codebook's own
// name, description, match mode and negation settings.
const qdcSettingsHeader = "qcode codebook settings"

// qdcGUIDNamespace is the namespace of the name-based (version 5) UUIDs that
// WriteQDC makes from code ids, so a code keeps its GUID from one export to
// the next.
var qdcGUIDNamespace = [16]byte{0x20, 0xdb, 0x97, 0x34, 0xe4, 0x40, 0x42, 0x04, 0xaf, 0x9c, 0x04, 0x92, 0x85, 0x30, 0x27, 0x89}

// CodeGUID returns the GUID a code with the given id has in a .qdc export:
// a version 5 (SHA-1) UUID of the id, in lower-case 8-4-4-4-12 form.
func CodeGUID(id string) string { return UUIDv5(qdcGUIDNamespace, id) }

// UUIDv5 is RFC 9562's name-based UUID with SHA-1 of name in namespace ns,
// in lower-case 8-4-4-4-12 form.
func UUIDv5(ns [16]byte, name string) string {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC variant
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// WriteQDC writes cb as a REFI-QDA codebook (.qdc) that validates against
// Codebook.xsd: one <Code> per code, nested as in the tree, with its name,
// colour and a GUID made from its id (CodeGUID), every code codable. Each
// code's <Description> holds its description and then the qcode block (see
// qdcBlockHeader) with the fields REFI-QDA lacks; the codebook's own
// settings go in an XML comment. ReadQDC reads all of it back.
func WriteQDC(w io.Writer, cb *Codebook) error {
	if len(cb.Codes) == 0 {
		return qcode.Errorf(qcode.EINVALID, "the codebook has no codes; a REFI-QDA codebook needs at least one")
	}
	if err := CheckQDC(cb); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	bw.WriteString(`<CodeBook xmlns="` + QDCNamespace + `" origin="qcode">` + "\n")
	WriteQDCCodes(bw, cb, "  ", nil)
	bw.WriteString("</CodeBook>\n")
	return bw.Flush()
}

// CheckQDC refuses a codebook whose text XML cannot carry.
func CheckQDC(cb *Codebook) error {
	var bad error
	cb.Walk(func(c *Code) {
		if bad == nil {
			bad = checkXMLText(c)
		}
	})
	return bad
}

// WriteQDCCodes writes the codebook's settings comment and its <Codes>
// element, indented by indent, as a .qdc file and a REFI-QDA project
// (package refi) both hold them: each code with its GUID (QDCGUID), name,
// colour and description with its qcode block. noteRefs, when not nil,
// gives the GUIDs of the notes on a code, written as <NoteRef> elements
// after its description where Project.xsd puts them. Call CheckQDC first.
func WriteQDCCodes(bw *bufio.Writer, cb *Codebook, indent string, noteRefs func(*Code) []string) {
	if s := qdcSettings(cb, indent); s != "" {
		bw.WriteString(indent + "<!-- ")
		bw.WriteString(s)
		bw.WriteString("-->\n")
	}
	bw.WriteString(indent + "<Codes>\n")
	var write func(cs []*Code, indent string)
	write = func(cs []*Code, indent string) {
		for _, c := range cs {
			bw.WriteString(indent)
			bw.WriteString(`<Code guid="` + qdaxml.Attr(c.QDCGUID()) + `" name="`)
			bw.WriteString(qdaxml.Attr(c.Name))
			bw.WriteString(`" isCodable="true"`)
			if c.Color != "" {
				bw.WriteString(` color="` + qdaxml.Attr(c.Color) + `"`)
			}
			bw.WriteString(">\n")
			bw.WriteString(indent + "  <Description>")
			bw.WriteString(qdaxml.Text(qdcDescription(c)))
			bw.WriteString("</Description>\n")
			if noteRefs != nil {
				for _, g := range noteRefs(c) {
					bw.WriteString(indent + `  <NoteRef targetGUID="` + qdaxml.Attr(g) + `"/>` + "\n")
				}
			}
			write(c.Codes, indent+"  ")
			bw.WriteString(indent + "</Code>\n")
		}
	}
	write(cb.Codes, indent+"  ")
	bw.WriteString(indent + "</Codes>\n")
}

// checkXMLText refuses text that XML 1.0 cannot carry at all, not even
// escaped: control characters other than tab and line breaks.
func checkXMLText(c *Code) error {
	fields := []struct{ name, s string }{
		{"id", c.ID}, {"name", c.Name}, {"description", c.Description}, {"include", c.Include},
		{"exclude", c.Exclude}, {"rule", c.Rule}, {"color", c.Color},
	}
	for _, e := range c.Examples {
		fields = append(fields, struct{ name, s string }{"an example", e})
	}
	for _, e := range c.Counterexamples {
		fields = append(fields, struct{ name, s string }{"a counterexample", e})
	}
	for _, f := range fields {
		if r, bad := qdaxml.BadChar(f.s); bad {
			return qcode.Errorf(qcode.EINVALID, "code %s: its %s holds the character %U, which XML cannot carry; remove it", c.ID, f.name, r)
		}
	}
	return nil
}

// qdcDescription is a code's description followed by its qcode block.
func qdcDescription(c *Code) string {
	var b strings.Builder
	if c.Description != "" {
		b.WriteString(c.Description)
		b.WriteString("\n\n")
	}
	b.WriteString(qdcBlockHeader)
	field := func(name, v string) {
		b.WriteString("\n" + name + ": ")
		b.WriteString(strings.ReplaceAll(v, "\n", "\n  "))
	}
	field("id", c.ID)
	if c.ByPeople {
		field("auto", "false")
	}
	if c.Rule != "" {
		field("rule", c.Rule)
	}
	if c.Negation != "" && c.Negation != NegationSkip {
		field("negation", string(c.Negation))
	}
	if c.Include != "" {
		field("include", c.Include)
	}
	if c.Exclude != "" {
		field("exclude", c.Exclude)
	}
	for _, e := range c.Examples {
		field("example", e)
	}
	for _, e := range c.Counterexamples {
		field("counterexample", e)
	}
	return b.String()
}

// qdcSettings is the text of the settings comment, or "" when the codebook
// has nothing to keep. Values are Go-quoted, so "--", which may not stand
// in a comment, is written as -\x2d.
func qdcSettings(cb *Codebook, indent string) string {
	var b strings.Builder
	line := func(key, v string) {
		q := strings.ReplaceAll(strconv.Quote(v), "--", `-\x2d`)
		b.WriteString("\n" + indent + "  " + key + ": " + q)
	}
	if cb.Name != "" {
		line("name", cb.Name)
	}
	if cb.Description != "" {
		line("description", cb.Description)
	}
	if cb.Match != "" && cb.Match != MatchExact {
		line("match", string(cb.Match))
	}
	if cb.Negation.Window != 0 && cb.Negation.Window != DefaultNegationWindow {
		line("negation window", strconv.Itoa(cb.Negation.Window))
	}
	if cb.Negation.Cues != nil {
		if len(cb.Negation.Cues) == 0 {
			line("negation cues", "none")
		}
		for _, c := range cb.Negation.Cues {
			line("negation cue", c)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return qdcSettingsHeader + " (read back by qcode codebook import):" + b.String() + "\n" + indent
}

// ReadQDC reads a REFI-QDA codebook (.qdc): the code tree with names,
// descriptions and colours, and from a description's qcode block (see
// qdcBlockHeader) the fields REFI-QDA lacks. A code without a block gets an
// id made from its name (lower case, underscores, made unique with _2, _3)
// and no rule: it is coded by hand. Sets, GUIDs and isCodable are ignored;
// qcode has no use for them. The rules must compile.
//
// It refuses files over MaxQDCSize, any DTD or entity declaration (the way
// to an XML bomb), a root other than CodeBook in QDCNamespace, a code
// without a name and two codes of one GUID, each error naming the file and
// line.
func ReadQDC(path string, data []byte) (*Codebook, error) {
	if len(data) > MaxQDCSize {
		return nil, inputError(path, Pos{}, "the file is %.0f MB; qcode reads .qdc codebooks of at most %d MB", float64(len(data))/(1<<20), MaxQDCSize>>20)
	}
	data, err := qdaxml.UTF8(data)
	if err != nil {
		return nil, inputError(path, Pos{}, "%v", err)
	}
	r := &qdcReader{path: path, d: xml.NewDecoder(bytes.NewReader(data)), ids: newIDs()}
	r.d.Strict = true
	r.d.CharsetReader = qdaxml.Charset
	cb, err := r.read()
	if err != nil {
		return nil, err
	}
	if err := checkRules(path, cb); err != nil {
		return nil, err
	}
	return cb, nil
}

type qdcReader struct {
	path string
	d    *xml.Decoder
	ids  *ids
	line int // where the token being read starts

	all []*qdcCode // every code in document order
}

// qdcCode is a code as read, before ids are handed out.
type qdcCode struct {
	code  *Code
	block bool // its description held a qcode block
}

func (r *qdcReader) errorf(line int, format string, args ...any) error {
	return inputError(r.path, Pos{Line: line}, format, args...)
}

// token returns the next token, refusing DTDs, and turns syntax errors into
// positioned ones.
func (r *qdcReader) token() (xml.Token, error) {
	r.line, _ = r.d.InputPos()
	tok, err := r.d.Token()
	if err != nil {
		if err == io.EOF {
			return nil, err
		}
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, r.errorf(se.Line, "not well-formed XML: %s", se.Msg)
		}
		return nil, r.errorf(r.line, "cannot read the XML: %v", err)
	}
	if _, ok := tok.(xml.Directive); ok {
		return nil, r.errorf(r.line, "DTDs and entities are not allowed in a .qdc file")
	}
	return tok, nil
}

func (r *qdcReader) read() (*Codebook, error) {
	cb := &Codebook{Name: baseName(r.path), Match: MatchExact, Negation: Negation{Window: DefaultNegationWindow}}
	seenRoot := false
	for {
		tok, err := r.token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if seenRoot {
				return nil, r.errorf(r.line, "a second root element <%s> after </CodeBook>", t.Name.Local)
			}
			seenRoot = true
			if err := r.checkRoot(t); err != nil {
				return nil, err
			}
			if err := r.codeBook(cb); err != nil {
				return nil, err
			}
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return nil, r.errorf(r.line, "text outside the root element")
			}
		}
	}
	if !seenRoot {
		return nil, r.errorf(0, "not a REFI-QDA codebook: the file holds no XML element")
	}
	if len(cb.Codes) == 0 {
		return nil, r.errorf(0, "the codebook has no codes")
	}
	if err := r.assignIDs(); err != nil {
		return nil, err
	}
	return cb, nil
}

func (r *qdcReader) checkRoot(t xml.StartElement) error {
	switch {
	case t.Name.Local == "CodeBook" && t.Name.Space == QDCNamespace:
		return nil
	case t.Name.Local == "Project" && strings.HasPrefix(t.Name.Space, "urn:QDA-XML:project"):
		return r.errorf(r.line, "not a REFI-QDA codebook: root element is <Project>, a whole REFI-QDA project; export the codebook (.qdc) from your QDA software instead")
	case t.Name.Local == "CodeBook":
		// The namespace is the file's to say: quoted and cut, so that a
		// newline or a page of text in it cannot break the line.
		ns := "no namespace"
		if t.Name.Space != "" {
			ns = strconv.Quote(truncateRunes(t.Name.Space, 80))
		}
		return r.errorf(r.line, "not a REFI-QDA codebook: root element is <CodeBook> in %s, not %s", ns, QDCNamespace)
	}
	return r.errorf(r.line, "not a REFI-QDA codebook: root element is <%s>", t.Name.Local)
}

// codeBook reads the root's content up to </CodeBook>.
func (r *qdcReader) codeBook(cb *Codebook) error {
	for {
		tok, err := r.token()
		if err != nil {
			return r.eof(err, "CodeBook")
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space == QDCNamespace && t.Name.Local == "Codes" {
				if err := r.codes(&cb.Codes, nil, 1); err != nil {
					return err
				}
				continue
			}
			// Sets and anything else qcode has no use for.
			if err := r.skip(); err != nil {
				return err
			}
		case xml.Comment:
			if err := r.settings(cb, string(t)); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// eof turns an early end of file into an error naming the open element.
func (r *qdcReader) eof(err error, open string) error {
	if err == io.EOF {
		return r.errorf(r.line, "the file ends inside <%s>; it is cut short", open)
	}
	return err
}

func (r *qdcReader) skip() error {
	line := r.line
	if err := r.d.Skip(); err != nil {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return r.errorf(se.Line, "not well-formed XML: %s", se.Msg)
		}
		return r.errorf(line, "cannot read the XML: %v", err)
	}
	return nil
}

// codes reads <Code> elements up to the end of their container (<Codes> or
// a parent <Code>), appending them to list.
func (r *qdcReader) codes(list *[]*Code, parent *Code, depth int) error {
	for {
		tok, err := r.token()
		if err != nil {
			return r.eof(err, "Codes")
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != QDCNamespace || t.Name.Local != "Code" {
				if err := r.skip(); err != nil {
					return err
				}
				continue
			}
			c, err := r.code(t, parent, depth)
			if err != nil {
				return err
			}
			*list = append(*list, c)
		case xml.EndElement:
			return nil
		}
	}
}

// code reads one <Code> element after its start tag.
func (r *qdcReader) code(start xml.StartElement, parent *Code, depth int) (*Code, error) {
	line := r.line
	if depth > maxQDCDepth {
		return nil, r.errorf(line, "codes nest more than %d levels deep", maxQDCDepth)
	}
	c := &Code{Parent: parent, Negation: NegationSkip, Pos: Pos{Line: line}}
	hasName := false
	for _, a := range start.Attr {
		if a.Name.Space != "" && a.Name.Space != QDCNamespace {
			continue
		}
		switch a.Name.Local {
		case "name":
			c.Name = strings.TrimSpace(a.Value)
			hasName = true
		case "guid":
			c.GUID = strings.TrimSpace(a.Value)
		case "color":
			color, ok := qdcColor(a.Value)
			if !ok {
				return nil, r.errorf(line, "code %q: color %q is not a colour like #4E79A7", c.Name, a.Value)
			}
			c.Color = color
		}
	}
	if !hasName || c.Name == "" {
		return nil, r.errorf(line, "a <Code> has no name; give every code a name attribute")
	}
	qc := &qdcCode{code: c}
	r.all = append(r.all, qc)
	for {
		tok, err := r.token()
		if err != nil {
			return nil, r.eof(err, "Code")
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case t.Name.Space == QDCNamespace && t.Name.Local == "Code":
				child, err := r.code(t, c, depth+1)
				if err != nil {
					return nil, err
				}
				c.Codes = append(c.Codes, child)
			case t.Name.Space == QDCNamespace && t.Name.Local == "Description":
				descLine := r.line
				text, err := r.text()
				if err != nil {
					return nil, err
				}
				if err := r.description(qc, text, descLine); err != nil {
					return nil, err
				}
			default:
				if err := r.skip(); err != nil {
					return nil, err
				}
			}
		case xml.EndElement:
			return c, nil
		}
	}
}

// text reads an element's character data up to its end tag, skipping any
// child elements.
func (r *qdcReader) text() (string, error) {
	var b strings.Builder
	for {
		tok, err := r.token()
		if err != nil {
			return "", r.eof(err, "Description")
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			if err := r.skip(); err != nil {
				return "", err
			}
		case xml.EndElement:
			return b.String(), nil
		}
	}
}

// qdcColor accepts #RRGGBB and #RGB (which the schema allows too) and
// returns #RRGGBB.
func qdcColor(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if colorRE.MatchString(s) {
		return s, true
	}
	if len(s) == 4 && s[0] == '#' {
		if _, err := hex.DecodeString("0" + s[1:2] + "0" + s[2:3] + "0" + s[3:4]); err == nil {
			return "#" + s[1:2] + s[1:2] + s[2:3] + s[2:3] + s[3:4] + s[3:4], true
		}
	}
	return "", false
}

// description splits a code's description into its text and its qcode
// block, the last line that is exactly the block's header.
func (r *qdcReader) description(qc *qdcCode, text string, line int) error {
	c := qc.code
	lines := strings.Split(text, "\n")
	at := -1
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.TrimSpace(lines[i]) == qdcBlockHeader {
			at = i
			break
		}
	}
	if at < 0 {
		c.Description = strings.TrimSpace(text)
		return nil
	}
	c.Description = strings.TrimSpace(strings.Join(lines[:at], "\n"))
	qc.block = true
	return r.block(c, lines[at+1:], line+at+1)
}

// block reads the field lines of a qcode block; first is the line number of
// its first line in the file.
func (r *qdcReader) block(c *Code, lines []string, first int) error {
	type field struct {
		name  string
		value []string
		line  int
	}
	var fields []*field
	var blanks []string // blank lines not yet known to belong to a value
	for i, l := range lines {
		switch {
		case strings.TrimSpace(l) == "":
			blanks = append(blanks, "")
		case strings.HasPrefix(l, "  ") || strings.HasPrefix(l, "\t"):
			if len(fields) == 0 {
				return r.errorf(first+i, "code %q: the qcode block starts with an indented line; each value starts with a field name such as rule:", c.Name)
			}
			f := fields[len(fields)-1]
			f.value = append(f.value, blanks...)
			blanks = nil
			if strings.HasPrefix(l, "  ") {
				l = l[2:]
			} else {
				l = l[1:]
			}
			f.value = append(f.value, l)
		default:
			blanks = nil
			name, v, ok := strings.Cut(l, ":")
			if !ok {
				return r.errorf(first+i, "code %q: qcode block line %q is not \"field: value\"", c.Name, truncateRunes(l, 40))
			}
			fields = append(fields, &field{name: strings.ToLower(strings.TrimSpace(name)), value: []string{strings.TrimPrefix(v, " ")}, line: first + i})
		}
	}
	seen := map[string]bool{}
	known := []string{"id", "auto", "rule", "negation", "include", "exclude", "example", "counterexample"}
	for _, f := range fields {
		v := strings.TrimSpace(strings.Join(f.value, "\n"))
		switch f.name {
		case "example":
			c.Examples = append(c.Examples, v)
			continue
		case "counterexample":
			c.Counterexamples = append(c.Counterexamples, v)
			continue
		}
		if seen[f.name] {
			return r.errorf(f.line, "code %q: the qcode block gives %s twice", c.Name, f.name)
		}
		seen[f.name] = true
		switch f.name {
		case "id":
			if !idRE.MatchString(v) {
				return r.errorf(f.line, "code %q: id %q must be a slug: lower-case letters, digits and underscores, starting with a letter (e.g. %s)", c.Name, v, IDFromName(v))
			}
			c.ID = v
		case "auto":
			if v != "true" && v != "false" {
				return r.errorf(f.line, "code %q: auto must be true or false, not %q", c.Name, v)
			}
			c.ByPeople = v == "false"
		case "rule":
			c.Rule = v
			c.RulePos = Pos{Line: f.line}
		case "negation":
			switch m := NegationMode(v); m {
			case NegationSkip, NegationKeep, NegationOnly:
				c.Negation = m
			default:
				return r.errorf(f.line, "code %q: negation must be skip, keep or only, not %q", c.Name, v)
			}
		case "include":
			c.Include = v
		case "exclude":
			c.Exclude = v
		default:
			ps := &problems{path: r.path}
			ps.add(Pos{Line: f.line}, "code %q: unknown qcode block field %q", c.Name, f.name).Near = qcode.Nearest(f.name, known)
			return ps.err()
		}
	}
	if c.ByPeople && c.Rule != "" {
		return r.errorf(c.RulePos.Line, "code %q is coded by people (auto: false), so it cannot have a rule", c.Name)
	}
	return nil
}

// assignIDs gives every code an id: its block's, checked for repeats, or
// one made from its name.
func (r *qdcReader) assignIDs() error {
	first := map[string]int{}
	for _, qc := range r.all {
		if id := qc.code.ID; id != "" {
			if line, ok := first[id]; ok {
				return r.errorf(qc.code.Pos.Line, "code %q: id %q is already used by the code at line %d; ids must be unique", qc.code.Name, id, line)
			}
			first[id] = qc.code.Pos.Line
			r.ids.reserve(id)
		}
	}
	// Two codes of one GUID are one code to whatever reads the file next
	// (a REFI-QDA project refers to codes by GUID), so the file is wrong.
	guids := map[string]*Code{}
	for _, qc := range r.all {
		g := strings.ToLower(qc.code.GUID)
		if g == "" {
			continue
		}
		if other, ok := guids[g]; ok {
			return r.errorf(qc.code.Pos.Line, "code %q has the GUID of code %q (%q); each code needs a GUID of its own: export the codebook again", qc.code.Name, other.Name, truncateRunes(qc.code.GUID, 40))
		}
		guids[g] = qc.code
	}
	for _, qc := range r.all {
		if qc.code.ID == "" {
			qc.code.ID = r.ids.fromName(qc.code.Name)
		}
		// A GUID qcode would make anyway need not be kept, nor one that is
		// no GUID at all.
		if strings.EqualFold(qc.code.GUID, CodeGUID(qc.code.ID)) || !qdaxml.ValidGUID(qc.code.GUID) {
			qc.code.GUID = ""
		}
	}
	return nil
}

// QDCCode is a <Code> element as a REFI-QDA project holds it, read by the
// project reader (package refi).
type QDCCode struct {
	GUID, Name, Color, Description string
	Codes                          []QDCCode
}

// CodebookFromQDC builds the codebook of a REFI-QDA project from its codes
// and the text of its qcode settings comment ("" for none) as ReadQDC
// builds one from a .qdc file: ids from the qcode blocks or the names,
// GUIDs kept, rules compiled. The codes' positions are unknown and left
// zero. name is the codebook's name unless the settings give one.
func CodebookFromQDC(path, name string, codes []QDCCode, settings string) (*Codebook, error) {
	r := &qdcReader{path: path, ids: newIDs()}
	cb := &Codebook{Name: name, Match: MatchExact, Negation: Negation{Window: DefaultNegationWindow}}
	if err := r.settings(cb, settings); err != nil {
		return nil, err
	}
	var build func(qs []QDCCode, parent *Code, depth int) ([]*Code, error)
	build = func(qs []QDCCode, parent *Code, depth int) ([]*Code, error) {
		var out []*Code
		for _, q := range qs {
			if depth > maxQDCDepth {
				return nil, r.errorf(0, "codes nest more than %d levels deep", maxQDCDepth)
			}
			c := &Code{Parent: parent, Negation: NegationSkip, Name: strings.TrimSpace(q.Name), GUID: strings.TrimSpace(q.GUID)}
			if c.Name == "" {
				return nil, r.errorf(0, "Code %s has no name; give every code a name", c.GUID)
			}
			if q.Color != "" {
				color, ok := qdcColor(q.Color)
				if !ok {
					return nil, r.errorf(0, "code %q: color %q is not a colour like #4E79A7", c.Name, q.Color)
				}
				c.Color = color
			}
			qc := &qdcCode{code: c}
			r.all = append(r.all, qc)
			if err := r.description(qc, q.Description, 0); err != nil {
				return nil, err
			}
			c.RulePos = Pos{}
			kids, err := build(q.Codes, c, depth+1)
			if err != nil {
				return nil, err
			}
			c.Codes = kids
			out = append(out, c)
		}
		return out, nil
	}
	var err error
	if cb.Codes, err = build(codes, nil, 1); err != nil {
		return nil, err
	}
	if err := r.assignIDs(); err != nil {
		return nil, err
	}
	if err := checkRules(path, cb); err != nil {
		return nil, err
	}
	return cb, nil
}

// QDCSettingsComment reports whether an XML comment's text is the qcode
// codebook settings comment that WriteQDCCodes writes.
func QDCSettingsComment(text string) bool {
	return strings.HasPrefix(strings.TrimSpace(text), qdcSettingsHeader)
}

// settings reads the codebook settings comment WriteQDC writes; other
// comments are ignored.
func (r *qdcReader) settings(cb *Codebook, text string) error {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, qdcSettingsHeader) {
		return nil
	}
	// The comment's first line starts where the token did.
	for i, l := range strings.Split(text, "\n")[1:] {
		line := r.line + i + 1
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		key, q, ok := strings.Cut(l, ": ")
		v, err := strconv.Unquote(q)
		if !ok || err != nil {
			return r.errorf(line, "the qcode settings comment line %q is not key: \"value\"", truncateRunes(l, 40))
		}
		switch key {
		case "name":
			cb.Name = strings.TrimSpace(v)
		case "description":
			cb.Description = strings.TrimSpace(v)
		case "match":
			switch m := MatchMode(v); m {
			case MatchExact, MatchStem:
				cb.Match = m
			default:
				return r.errorf(line, "match must be exact or stem, not %q", v)
			}
		case "negation window":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 20 {
				return r.errorf(line, "negation window must be a whole number from 1 to 20, not %q", v)
			}
			cb.Negation.Window = n
		case "negation cues":
			if v == "none" && cb.Negation.Cues == nil {
				cb.Negation.Cues = []string{}
			}
		case "negation cue":
			if strings.TrimSpace(v) == "" {
				return r.errorf(line, "a negation cue is empty")
			}
			cb.Negation.Cues = append(cb.Negation.Cues, strings.TrimSpace(v))
		default:
			return r.errorf(line, "unknown qcode setting %q", key)
		}
	}
	return nil
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
