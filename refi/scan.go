package refi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// The fast reader of project.qde. encoding/xml tokenises a byte at a time
// and allocates for every name, attribute and text; on a project of a
// hundred thousand codings that was most of an import's time. scanQDE
// reads the XML the tools write (UTF-8, elements in the project's default
// namespace, attribute values with the usual character references) a
// buffer at a time into the same xProject the walker (walk.go) makes, and
// gives up on anything else, or anything that is not well-formed: then
// the walker reads the file from its start, and its checks and one-line
// errors are the only ones a user meets. So scanQDE need only be right on
// what it accepts, which FuzzScanProject checks against the walker.

// errFallback says scanQDE gave up.
var errFallback = errors.New("refi: the fast reader gives the file to encoding/xml")

// errMore says the buffer ends inside a token.
var errMore = errors.New("refi: more input needed")

// scanQDE reads project.qde from in; false when the walker must read it.
func scanQDE(in io.Reader) (*xProject, bool) {
	s := &scanner{r: in, buf: make([]byte, 256<<10), mark: -1,
		w: &walker{same: map[string]string{}}, names: map[string]string{}}
	p, err := s.document()
	if err != nil {
		return nil, false
	}
	return p, true
}

type tokKind int

const (
	tokText tokKind = iota
	tokStart
	tokEnd
	tokComment
)

// attr is an attribute of the start tag just read: its local name (as
// encoding/xml splits a name at its colon) and its value with character
// references replaced, valid until the next token.
type attr struct {
	local string
	value []byte
}

type scanner struct {
	r        io.Reader
	buf      []byte
	pos, end int  // the next byte to read; the end of what was read in
	eof      bool // r has no more
	failed   bool // r failed
	mark     int  // the start of an element kept whole in buf (capture), or -1
	w        *walker
	names    map[string]string // one copy of each element and attribute name
	stack    []string          // the names of the open elements
	closing  bool              // the start tag just read closed itself
	decl     bool              // the XML declaration was read
	rooted   bool              // the root element was opened

	// The token just read.
	kind     tokKind
	name     string // a start or end tag's
	attrs    []attr // a start tag's
	empty    bool   // a start tag's />
	data     []byte // a text's, references replaced; a comment's
	tokStart int    // where in buf the token starts
	scratch  []byte // where values with references are spelt out
}

// lookahead is how many bytes the scanner keeps ahead of a token it reads,
// so that most tokens are read without running out of buffer.
const lookahead = 64 << 10

// more reads more of the input into buf, keeping what from pos (or mark)
// on is unread; false when the input ended or failed.
func (s *scanner) more() bool {
	if s.eof {
		return false
	}
	keep := s.pos
	if s.mark >= 0 && s.mark < keep {
		keep = s.mark
	}
	if keep > 0 {
		copy(s.buf, s.buf[keep:s.end])
		s.end -= keep
		s.pos -= keep
		if s.mark >= 0 {
			s.mark -= keep
		}
	}
	if s.end == len(s.buf) {
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	read := false
	for s.end < len(s.buf) {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		read = read || n > 0
		if err == io.EOF {
			s.eof = true
			return read
		}
		if err != nil {
			// The walker meets the error again and says it its way.
			s.eof, s.failed = true, true
			return false
		}
	}
	return true
}

// next reads the next token; io.EOF at the end of the input.
func (s *scanner) next() error {
	if s.closing {
		s.closing = false
		s.kind, s.name = tokEnd, s.stack[len(s.stack)-1]
		s.stack = s.stack[:len(s.stack)-1]
		return nil
	}
	if s.end-s.pos < lookahead {
		s.more()
	}
	for {
		if s.pos == s.end && s.eof {
			return io.EOF
		}
		n, err := s.token(s.buf[s.pos:s.end])
		if err == errMore {
			if !s.more() {
				return errFallback
			}
			continue
		}
		if err != nil {
			return err
		}
		s.tokStart = s.pos
		s.pos += n
		switch s.kind {
		case tokStart:
			s.stack = append(s.stack, s.name)
			s.closing = s.empty
		case tokEnd:
			if len(s.stack) == 0 || s.stack[len(s.stack)-1] != s.name {
				return errFallback
			}
			s.stack = s.stack[:len(s.stack)-1]
		}
		return nil
	}
}

// token reads the token b starts with, returning its length.
func (s *scanner) token(b []byte) (int, error) {
	if b[0] != '<' {
		n := bytes.IndexByte(b, '<')
		if n < 0 {
			if !s.eof {
				return 0, errMore
			}
			n = len(b)
		}
		data, ok := s.text(b[:n], true)
		if !ok {
			return 0, errFallback
		}
		s.kind, s.data = tokText, data
		return n, nil
	}
	if len(b) < 4 {
		return 0, errMore
	}
	switch b[1] {
	case '/':
		name, n, err := s.readName(b, 2, false)
		if err != nil {
			return 0, err
		}
		n = skipSpace(b, n)
		if n >= len(b) {
			return 0, errMore
		}
		if b[n] != '>' {
			return 0, errFallback
		}
		s.kind, s.name = tokEnd, name
		return n + 1, nil
	case '!':
		if b[2] != '-' || b[3] != '-' {
			return 0, errFallback // CDATA, a DTD
		}
		i := bytes.Index(b[4:], []byte("--"))
		if i < 0 || 4+i+2 >= len(b) {
			return 0, errMore
		}
		if b[4+i+2] != '>' {
			return 0, errFallback
		}
		s.kind, s.data = tokComment, b[4:4+i]
		return 4 + i + 3, nil
	case '?':
		return s.declaration(b)
	}
	return s.startTag(b)
}

// startTag reads a start tag.
func (s *scanner) startTag(b []byte) (int, error) {
	name, n, err := s.readName(b, 1, false)
	if err != nil {
		return 0, err
	}
	s.attrs, s.scratch = s.attrs[:0], s.scratch[:0]
	for {
		n = skipSpace(b, n)
		if n+1 >= len(b) {
			return 0, errMore
		}
		switch b[n] {
		case '>':
			s.kind, s.name, s.empty = tokStart, name, false
			return n + 1, nil
		case '/':
			if b[n+1] != '>' {
				return 0, errFallback
			}
			s.kind, s.name, s.empty = tokStart, name, true
			return n + 2, nil
		}
		var a attr
		from := n
		if a.local, n, err = s.readName(b, n, true); err != nil {
			return 0, err
		}
		if s.rooted || len(s.stack) > 0 {
			// A namespace declared below the root would change what
			// elements' names mean; the walker reads those.
			if raw := b[from:n]; string(raw) == "xmlns" || bytes.HasPrefix(raw, []byte("xmlns:")) {
				return 0, errFallback
			}
		}
		n = skipSpace(b, n)
		if n >= len(b) {
			return 0, errMore
		}
		if b[n] != '=' {
			return 0, errFallback
		}
		n = skipSpace(b, n+1)
		if n >= len(b) {
			return 0, errMore
		}
		q := b[n]
		if q != '"' && q != '\'' {
			return 0, errFallback
		}
		end := bytes.IndexByte(b[n+1:], q)
		if end < 0 {
			return 0, errMore
		}
		raw := b[n+1 : n+1+end]
		if bytes.IndexByte(raw, '<') >= 0 {
			return 0, errFallback
		}
		var ok bool
		if a.value, ok = s.text(raw, false); !ok {
			return 0, errFallback
		}
		s.attrs = append(s.attrs, a)
		n += end + 2
	}
}

// readName reads the name at b[i:]: letters, digits, _ . - in ASCII, and,
// in an attribute's name, a colon, after which its local part begins as
// encoding/xml takes it. An element's prefix or a name beyond ASCII is the
// walker's.
func (s *scanner) readName(b []byte, i int, isAttr bool) (string, int, error) {
	from := i
	colon := -1
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '_':
		case '0' <= c && c <= '9', c == '.', c == '-':
			if i == from {
				return "", 0, errFallback
			}
		case c == ':' && isAttr:
			if colon >= 0 {
				return "", 0, errFallback
			}
			colon = i
		case c >= utf8.RuneSelf || c == ':':
			return "", 0, errFallback
		default:
			if i == from {
				return "", 0, errFallback
			}
			name := b[from:i]
			if colon > from && colon < i-1 {
				name = b[colon+1 : i]
			}
			return s.intern(name), i, nil
		}
	}
	return "", 0, errMore
}

func (s *scanner) intern(b []byte) string {
	if n, ok := s.names[string(b)]; ok {
		return n
	}
	n := string(b)
	if len(s.names) < 4096 {
		s.names[n] = n
	}
	return n
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	return i
}

// declaration reads <?xml version="1.0" encoding="UTF-8"?> before the
// root; any other processing instruction, version or encoding is the
// walker's.
func (s *scanner) declaration(b []byte) (int, error) {
	end := bytes.Index(b, []byte("?>"))
	if end < 0 {
		return 0, errMore
	}
	if s.decl || s.rooted || len(s.stack) > 0 || !bytes.HasPrefix(b, []byte("<?xml")) {
		return 0, errFallback
	}
	body := b[5:end]
	if len(body) == 0 || !isSpace(body[0]) {
		return 0, errFallback
	}
	seen := map[string]bool{}
	for i := skipSpace(body, 0); i < len(body); i = skipSpace(body, i) {
		eq := bytes.IndexByte(body[i:], '=')
		if eq <= 0 || i+eq+1 >= len(body) {
			return 0, errFallback
		}
		key := string(body[i : i+eq])
		q := body[i+eq+1]
		if q != '"' && q != '\'' {
			return 0, errFallback
		}
		vEnd := bytes.IndexByte(body[i+eq+2:], q)
		if vEnd < 0 {
			return 0, errFallback
		}
		v := string(body[i+eq+2 : i+eq+2+vEnd])
		for _, c := range []byte(v) {
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
				return 0, errFallback
			}
		}
		switch {
		case seen[key]:
			return 0, errFallback
		case key == "version" && v == "1.0":
		case key == "encoding" && (v == "utf-8" || v == "UTF-8" || bytes.EqualFold([]byte(v), []byte("utf-8"))):
		case key == "standalone":
		default:
			return 0, errFallback
		}
		seen[key] = true
		i += eq + 2 + vEnd + 1
		if i < len(body) && !isSpace(body[i]) {
			return 0, errFallback
		}
	}
	s.decl = true
	s.kind, s.data = tokComment, nil // nothing the reader looks at
	return end + 2, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// text checks raw, a text (or an attribute's value), is what encoding/xml
// reads without complaint and returns it with its references replaced;
// false for anything it would complain of, and for a reference beyond the
// usual.
func (s *scanner) text(raw []byte, isText bool) ([]byte, bool) {
	plain := true
	for i, c := range raw {
		if c >= 0x20 && c < 0x7F && c != '&' || c == '\n' || c == '\t' {
			if c == '>' && isText && i >= 2 && raw[i-1] == ']' && raw[i-2] == ']' {
				return nil, false // ]]> outside CDATA
			}
			continue
		}
		plain = false
		break
	}
	if plain {
		return raw, true
	}
	from := len(s.scratch)
	out := s.scratch
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '&':
			semi := bytes.IndexByte(raw[i:], ';')
			if semi < 0 {
				return nil, false
			}
			ent := raw[i+1 : i+semi]
			switch string(ent) {
			case "lt":
				out = append(out, '<')
			case "gt":
				out = append(out, '>')
			case "amp":
				out = append(out, '&')
			case "apos":
				out = append(out, '\'')
			case "quot":
				out = append(out, '"')
			default:
				r, ok := charRef(ent)
				if !ok {
					return nil, false
				}
				out = utf8.AppendRune(out, r)
			}
			i += semi + 1
		case c >= 0x20 && c < 0x7F || c == '\n' || c == '\t':
			if c == '>' && isText && i >= 2 && raw[i-1] == ']' && raw[i-2] == ']' {
				return nil, false
			}
			out = append(out, c)
			i++
		case c == '\r':
			// A line break \r\n, or \r alone, reads as \n.
			out = append(out, '\n')
			i++
			if i < len(raw) && raw[i] == '\n' {
				i++
			}
		case c < 0x80:
			return nil, false // a control character
		default:
			r, size := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && size == 1 || !inCharRange(r) {
				return nil, false
			}
			out = append(out, raw[i:i+size]...)
			i += size
		}
	}
	s.scratch = out
	return out[from:len(out):len(out)], true
}

// charRef reads a character reference's #65 or #x41.
func charRef(ent []byte) (rune, bool) {
	if len(ent) < 2 || ent[0] != '#' {
		return 0, false
	}
	digits, base := ent[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 || len(digits) > 8 {
		return 0, false
	}
	for _, c := range digits {
		if !('0' <= c && c <= '9' || base == 16 && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F')) {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(string(digits), base, 32)
	if err != nil || n > utf8.MaxRune || 0xD800 <= n && n <= 0xDFFF || !inCharRange(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// inCharRange is XML's Char production, as encoding/xml checks it.
func inCharRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// document reads the whole input: what comes before the root, the root,
// and what follows it.
func (s *scanner) document() (*xProject, error) {
	if s.more(); s.end-s.pos >= 2 && (s.buf[0] == 0xFE && s.buf[1] == 0xFF || s.buf[0] == 0xFF && s.buf[1] == 0xFE) {
		return nil, errFallback // UTF-16
	}
	if bytes.HasPrefix(s.buf[s.pos:s.end], []byte{0xEF, 0xBB, 0xBF}) {
		s.pos += 3
	}
	var p *xProject
	for {
		err := s.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch s.kind {
		case tokText:
			if len(bytes.TrimLeft(s.data, " \t\n")) > 0 {
				return nil, errFallback
			}
		case tokStart:
			if p != nil || s.name != "Project" {
				return nil, errFallback
			}
			ns := ""
			for _, a := range s.attrs {
				if a.local == "xmlns" {
					ns = string(a.value)
				}
			}
			if ns != Namespace || !s.defaultNS() {
				return nil, errFallback
			}
			s.rooted = true
			p = new(xProject)
			if err := s.project(p); err != nil {
				return nil, err
			}
		case tokEnd:
			return nil, errFallback
		}
	}
	if p == nil || s.failed {
		return nil, errFallback
	}
	return p, nil
}

// defaultNS reports whether the root's xmlns attributes are unprefixed,
// which attr does not tell apart from xmlns:xmlns.
func (s *scanner) defaultNS() bool {
	tag := s.buf[s.tokStart:s.pos]
	return !bytes.Contains(tag, []byte(":xmlns"))
}

// each reads what is inside the element just opened, to its end: elem is
// called for each element directly inside, and must read it whole; text
// and comment (nil: dropped) for its texts and comments.
func (s *scanner) each(elem func() error, text func([]byte), comment func([]byte)) error {
	for {
		if err := s.next(); err != nil {
			if err == io.EOF {
				return errFallback
			}
			return err
		}
		switch s.kind {
		case tokStart:
			if err := elem(); err != nil {
				return err
			}
		case tokEnd:
			return nil
		case tokText:
			if text != nil {
				text(s.data)
			}
		case tokComment:
			if comment != nil {
				comment(s.data)
			}
		}
	}
}

// skip reads the element just opened to its end.
func (s *scanner) skip() error {
	depth := len(s.stack)
	if s.closing {
		return s.next()
	}
	for len(s.stack) >= depth {
		if err := s.next(); err != nil {
			if err == io.EOF {
				return errFallback
			}
			return err
		}
	}
	return nil
}

// capture reads the element just opened whole and hands it to decode, as
// encoding/xml reads it.
func (s *scanner) capture(decode func(*xml.Decoder, *xml.StartElement) error) error {
	s.mark = s.tokStart
	if err := s.skip(); err != nil {
		return err
	}
	elem := s.buf[s.mark:s.pos]
	s.mark = -1
	d := xml.NewDecoder(bytes.NewReader(elem))
	d.Strict = true
	tok, err := d.Token()
	t, ok := tok.(xml.StartElement)
	if err != nil || !ok {
		return errFallback
	}
	if err := decode(d, &t); err != nil {
		return errFallback
	}
	return nil
}

// chardata reads the text directly inside the element just opened, as
// the walker's chardata does.
func (s *scanner) chardata(p **string) error {
	var b []byte
	err := s.each(s.skip, func(t []byte) { b = append(b, t...) }, nil)
	if *p == nil {
		*p = new(string)
	}
	**p = string(b)
	return err
}

// ref reads a NoteRef or CodeRef's target into r, keeping what the tag
// does not set.
func (s *scanner) ref(r *xRef) {
	for _, a := range s.attrs {
		if a.local == "targetGUID" {
			r.Target = string(a.value)
		}
	}
}

func (s *scanner) project(p *xProject) error {
	p.XMLName = xml.Name{Space: Namespace, Local: "Project"}
	for _, a := range s.attrs {
		switch a.local {
		case "name":
			p.Name = string(a.value)
		case "origin":
			p.Origin = string(a.value)
		case "creatingUserGUID":
			p.Creator = string(a.value)
		}
	}
	part := func(d *xml.Decoder, t *xml.StartElement) error { return decodePart(d, t, p) }
	return s.each(func() error {
		switch s.name {
		case "Users", "CodeBook", "Variables", "Cases":
			return s.capture(part)
		case "Sources":
			return s.each(func() error {
				if s.name == "TextSource" {
					p.Sources.Text = append(p.Sources.Text, xText{})
					return s.textSource(&p.Sources.Text[len(p.Sources.Text)-1])
				}
				o := xOther{XMLName: xml.Name{Space: Namespace, Local: s.name}}
				for _, a := range s.attrs {
					switch a.local {
					case "guid":
						o.GUID = string(a.value)
					case "name":
						o.Name = string(a.value)
					}
				}
				p.Sources.Other = append(p.Sources.Other, o)
				return s.skip()
			}, nil, nil)
		case "Notes":
			return s.each(func() error {
				if s.name != "Note" {
					return s.skip()
				}
				p.Notes = append(p.Notes, xText{})
				return s.textSource(&p.Notes[len(p.Notes)-1])
			}, nil, nil)
		case "NoteRef":
			var r xRef
			s.ref(&r)
			p.NoteRefs = append(p.NoteRefs, r)
			return s.skip()
		}
		return s.skip()
	}, nil, nil)
}

// textSource reads a TextSource or a Note.
func (s *scanner) textSource(x *xText) error {
	for _, a := range s.attrs {
		switch a.local {
		case "guid":
			x.GUID = string(a.value)
		case "name":
			x.Name = string(a.value)
		case "richTextPath":
			x.RichTextPath = string(a.value)
		case "plainTextPath":
			x.PlainPath = string(a.value)
		case "creatingUser":
			x.Creator = string(a.value)
		case "creationDateTime":
			x.Created = string(a.value)
		case "modifiedDateTime":
			x.Modified = string(a.value)
		}
	}
	value := func(d *xml.Decoder, t *xml.StartElement) error { return decodeValue(d, t, x) }
	return s.each(func() error {
		switch s.name {
		case "PlainTextContent":
			return s.chardata(&x.Content)
		case "PlainTextSelection":
			x.Selections = append(x.Selections, xSelection{})
			return s.selection(&x.Selections[len(x.Selections)-1])
		case "Coding":
			x.Codings = append(x.Codings, xCoding{})
			return s.coding(&x.Codings[len(x.Codings)-1])
		case "NoteRef":
			var r xRef
			s.ref(&r)
			x.NoteRefs = append(x.NoteRefs, r)
			return s.skip()
		case "VariableValue":
			return s.capture(value)
		}
		return s.skip()
	}, nil, func(c []byte) { x.Comments += string(c) })
}

// one is the walker's one for a value still in the buffer: no copy is
// made of a value seen before.
func (s *scanner) one(b []byte) string {
	if t, ok := s.w.same[string(b)]; ok {
		return t
	}
	return s.w.one(string(b))
}

func (s *scanner) selection(sel *xSelection) error {
	for _, a := range s.attrs {
		switch a.local {
		case "guid":
			sel.GUID = string(a.value)
		case "name":
			sel.Name = string(a.value)
		case "startPosition":
			sel.Start = string(a.value)
		case "endPosition":
			sel.End = string(a.value)
		case "creatingUser":
			sel.Creator = s.one(a.value)
		case "creationDateTime":
			sel.Created = s.one(a.value)
		}
	}
	return s.each(func() error {
		switch s.name {
		case "Description":
			return s.chardata(&sel.Description)
		case "Coding":
			sel.Codings = append(sel.Codings, xCoding{})
			return s.coding(&sel.Codings[len(sel.Codings)-1])
		case "NoteRef":
			var r xRef
			s.ref(&r)
			sel.NoteRefs = append(sel.NoteRefs, r)
			return s.skip()
		}
		return s.skip()
	}, nil, func(c []byte) { sel.Comments = s.w.one(sel.Comments + string(c)) })
}

func (s *scanner) coding(c *xCoding) error {
	for _, a := range s.attrs {
		switch a.local {
		case "guid":
			c.GUID = string(a.value)
		case "creatingUser":
			c.Creator = s.one(a.value)
		case "creationDateTime":
			c.Created = s.one(a.value)
		}
	}
	return s.each(func() error {
		if s.name == "CodeRef" {
			if c.CodeRef == nil {
				c.CodeRef = new(xRef)
			}
			for _, a := range s.attrs {
				if a.local == "targetGUID" {
					c.CodeRef.Target = s.one(a.value)
				}
			}
		}
		return s.skip()
	}, nil, nil)
}
