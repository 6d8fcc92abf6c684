package refi

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
	"qcode/exchange"
	"qcode/internal/qdaxml"
	"qcode/textfile"
)

// Limits on what ReadFile takes in. Real projects hold hundreds of sources
// and tens of megabytes of text; beyond these a file is a mistake or an
// attack (a zip bomb, an XML bomb).
const (
	MaxEntries   = 20000     // entries in a .qdpx
	MaxTotalSize = 2 << 30   // uncompressed bytes of the entries ReadFile reads
	MaxQDESize   = 256 << 20 // bytes of project.qde: some 400,000 codings
	MaxDepth     = 100       // how deeply codes may nest
)

// ReadFile reads a .qdpx, or a .qde with its sources folder beside it,
// checking everything before returning; notes say what it assumed (e.g.
// "positions counted in UTF-16 units, as the selected text shows", "a
// trailing newline MAXQDA added was dropped").
func ReadFile(filePath string) (p *exchange.Project, notes []string, err error) {
	name := filepath.Base(filePath)
	f, err := os.Open(filePath)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, qcode.Errorf(qcode.ENOTFOUND, "%s: no such file", filePath)
		}
		return nil, nil, qcode.Errorf(qcode.EINVALID, "cannot read %s: %v", filePath, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, qcode.Errorf(qcode.EINVALID, "cannot read %s: %v", filePath, err)
	}
	if st.IsDir() {
		return nil, nil, qcode.Errorf(qcode.EINVALID, "%s is a folder; give the project's .qdpx file, or the .qde file beside its sources folder", filePath)
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	var files fileSet
	var qde []byte
	var z *zipFiles        // a .qdpx's
	var qdeEntry *zip.File // its project.qde
	if strings.EqualFold(filepath.Ext(filePath), ".qde") || !bytes.HasPrefix(head, []byte("PK")) && bytes.Contains(head, []byte("<")) {
		if st.Size() > MaxQDESize {
			return nil, nil, inputErr(qcode.EINVALID, name, "the file is %d MB; qcode reads project files of at most %d MB", st.Size()>>20, MaxQDESize>>20)
		}
		if qde, err = os.ReadFile(filePath); err != nil {
			return nil, nil, qcode.Errorf(qcode.EINVALID, "cannot read %s: %v", filePath, err)
		}
		files = &dirFiles{dir: filepath.Dir(filePath), name: name}
	} else {
		zf, q, err := openZip(name, f, st.Size())
		if err != nil {
			return nil, nil, err
		}
		files, z, qdeEntry = zf, zf, q
	}
	r := &reader{name: name, files: files}
	if z != nil {
		p, err = r.readEntry(z, qdeEntry)
	} else {
		p, err = r.read(qde)
	}
	if err != nil {
		return nil, nil, err
	}
	p.From = filePath
	return p, r.notes, nil
}

// inputErr is the one-line error about the file named name. Line breaks
// inside values quoted from the file are written as \n, to keep it one line.
func inputErr(code, name, format string, args ...any) error {
	msg := oneLine.Replace(name + ": " + fmt.Sprintf(format, args...))
	return &qcode.Error{Code: code, Message: msg}
}

var oneLine = strings.NewReplacer("\r\n", `\n`, "\n", `\n`, "\r", `\n`)

// fileSet gives the project's source files by the path a plainTextPath
// names.
type fileSet interface {
	// open returns the file's bytes; what names the element asking.
	open(ref, what string) ([]byte, error)
}

// zipFiles is a .qdpx's entries.
type zipFiles struct {
	name    string
	entries map[string]*zip.File
	read    int64 // uncompressed bytes read so far
}

// openZip opens a .qdpx, checks its entries and returns its project.qde.
func openZip(name string, ra io.ReaderAt, size int64) (*zipFiles, *zip.File, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, nil, inputErr(qcode.EINVALID, name, "not a REFI-QDA project: not a zip file (%v); a .qdpx is a zip holding project.qde", err)
	}
	if len(zr.File) > MaxEntries {
		return nil, nil, inputErr(qcode.EINVALID, name, "the zip holds %d entries; qcode reads at most %d", len(zr.File), MaxEntries)
	}
	z := &zipFiles{name: name, entries: map[string]*zip.File{}}
	var declared uint64
	var qdes []*zip.File
	for _, f := range zr.File {
		n := f.Name
		if strings.Contains(n, `\`) || strings.HasPrefix(n, "/") || filepath.IsAbs(n) || hasDotDot(n) {
			return nil, nil, inputErr(qcode.EINVALID, name, "entry %q points outside the archive; refusing it", n)
		}
		declared += f.UncompressedSize64
		if declared > MaxTotalSize {
			return nil, nil, inputErr(qcode.EINVALID, name, "its entries unpack to more than %d MB; qcode reads at most that", MaxTotalSize>>20)
		}
		if strings.HasSuffix(n, "/") {
			continue
		}
		if ext := strings.ToLower(path.Ext(n)); ext == ".qdpx" || ext == ".zip" {
			return nil, nil, inputErr(qcode.EINVALID, name, "entry %s is an archive inside the archive; a .qdpx holds project.qde and its sources, not other archives", n)
		}
		if strings.EqualFold(path.Ext(n), ".qde") {
			qdes = append(qdes, f)
		}
		if _, dup := z.entries[n]; dup {
			return nil, nil, inputErr(qcode.EINVALID, name, "entry %s appears twice", n)
		}
		z.entries[n] = f
	}
	switch len(qdes) {
	case 0:
		return nil, nil, inputErr(qcode.EINVALID, name, "the zip holds no project.qde; it is not a REFI-QDA project")
	case 1:
	default:
		return nil, nil, inputErr(qcode.EINVALID, name, "the zip holds %d project files (%s, %s); a REFI-QDA project has one project.qde", len(qdes), qdes[0].Name, qdes[1].Name)
	}
	return z, qdes[0], nil
}

// readEntry reads the project from its project.qde entry f as it unpacks,
// never holding the whole XML: a large project's runs to tens of
// megabytes.
func (r *reader) readEntry(z *zipFiles, f *zip.File) (*exchange.Project, error) {
	// project.qde is the first entry read, so MaxTotalSize is far off.
	x, n, err := readQDEEntry(z, f, func(in io.Reader) (*xProject, error) {
		if x, ok := scanQDE(in); ok {
			return x, nil
		}
		return nil, errFallback
	})
	if err == errFallback {
		// The walker reads it again from the start, and says what is
		// wrong with it, if anything is.
		x, n, err = readQDEEntry(z, f, func(in io.Reader) (*xProject, error) { return decodeQDEFrom(r.name, in) })
	}
	z.read += n
	if err != nil {
		return nil, err
	}
	return r.readProject(x)
}

// readQDEEntry reads the entry f by read, returning the bytes it took.
func readQDEEntry(z *zipFiles, f *zip.File, read func(io.Reader) (*xProject, error)) (*xProject, int64, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, 0, inputErr(qcode.EINVALID, z.name, "entry %s: %v", f.Name, err)
	}
	defer rc.Close()
	in := &entryReader{r: rc, z: z, f: f, limit: MaxQDESize}
	ahead := newAheadReader(in)
	x, err := read(ahead)
	ahead.Close()
	return x, in.n, err
}

// entryReader reads an entry up to limit bytes, whatever its header
// claims, and says what went wrong as entry does.
type entryReader struct {
	r     io.Reader
	z     *zipFiles
	f     *zip.File
	limit int64
	n     int64 // bytes read
}

func (e *entryReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	e.n += int64(n)
	if e.n > e.limit {
		return n, inputErr(qcode.EINVALID, e.z.name, "entry %s unpacks to more than %d MB; qcode reads at most that", e.f.Name, e.limit>>20)
	}
	if err != nil && err != io.EOF {
		return n, inputErr(qcode.EINVALID, e.z.name, "entry %s is damaged: %v", e.f.Name, err)
	}
	return n, err
}

func hasDotDot(n string) bool {
	for _, part := range strings.Split(n, "/") {
		if part == ".." {
			return true
		}
	}
	return false
}

// entry reads one entry, at most limit bytes, whatever its header claims.
func (z *zipFiles) entry(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, inputErr(qcode.EINVALID, z.name, "entry %s: %v", f.Name, err)
	}
	defer rc.Close()
	left := MaxTotalSize - z.read
	// Read into a buffer of the size the header gives (within the
	// limits, and a size a bomb's header cannot inflate past what the
	// read itself would hold): io.ReadAll would double and copy its way
	// up to a large project.qde.
	var buf bytes.Buffer
	buf.Grow(int(min(int64(f.UncompressedSize64), limit, left, MaxQDESize)) + bytes.MinRead)
	_, err = buf.ReadFrom(io.LimitReader(rc, min(limit, left)+1))
	b := buf.Bytes()
	if err != nil {
		return nil, inputErr(qcode.EINVALID, z.name, "entry %s is damaged: %v", f.Name, err)
	}
	if int64(len(b)) > limit {
		return nil, inputErr(qcode.EINVALID, z.name, "entry %s unpacks to more than %d MB; qcode reads at most that", f.Name, limit>>20)
	}
	if int64(len(b)) > left {
		return nil, inputErr(qcode.EINVALID, z.name, "its entries unpack to more than %d MB; qcode reads at most that", MaxTotalSize>>20)
	}
	z.read += int64(len(b))
	return b, nil
}

func (z *zipFiles) open(ref, what string) ([]byte, error) {
	rel, ok := internalPath(ref)
	if !ok {
		return nil, inputErr(qcode.EINVALID, z.name, "%s: plainTextPath %q is outside the project; a .qdpx names its sources as internal://<file>", what, ref)
	}
	f := z.entries["sources/"+rel]
	if f == nil {
		for n, e := range z.entries {
			if strings.EqualFold(n, "sources/"+rel) {
				f = e
			}
		}
	}
	if f == nil {
		return nil, inputErr(qcode.ENOTFOUND, z.name, "%s: its text sources/%s is missing from the zip", what, rel)
	}
	return z.entry(f, MaxTotalSize)
}

// internalPath turns internal://X and relative:///X into X, refusing paths
// that leave the sources folder.
func internalPath(ref string) (string, bool) {
	var rel string
	switch {
	case strings.HasPrefix(ref, "internal://"):
		rel = strings.TrimPrefix(ref, "internal://")
	case strings.HasPrefix(ref, "relative://"):
		rel = strings.TrimLeft(strings.TrimPrefix(ref, "relative://"), "/")
	case !strings.Contains(ref, ":"):
		rel = ref
	default:
		return "", false
	}
	rel = strings.ReplaceAll(rel, `\`, "/")
	if rel == "" || strings.HasPrefix(rel, "/") || hasDotDot(rel) {
		return "", false
	}
	return rel, true
}

// dirFiles is a .qde's sources folder beside it.
type dirFiles struct {
	dir, name string
	read      int64
}

func (d *dirFiles) open(ref, what string) ([]byte, error) {
	rel, ok := internalPath(ref)
	if !ok {
		return nil, inputErr(qcode.EINVALID, d.name, "%s: plainTextPath %q is outside the project's folder", what, ref)
	}
	p := filepath.Join(d.dir, "sources", filepath.FromSlash(rel))
	if strings.HasPrefix(ref, "relative://") || !strings.Contains(ref, ":") {
		if _, err := os.Stat(p); err != nil {
			p = filepath.Join(d.dir, filepath.FromSlash(rel))
		}
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, inputErr(qcode.ENOTFOUND, d.name, "%s: its text %s is missing", what, p)
	}
	defer f.Close()
	left := MaxTotalSize - d.read
	b, err := io.ReadAll(io.LimitReader(f, left+1))
	if err != nil {
		return nil, inputErr(qcode.EINVALID, d.name, "%s: cannot read %s: %v", what, p, err)
	}
	if int64(len(b)) > left {
		return nil, inputErr(qcode.EINVALID, d.name, "its sources hold more than %d MB of text; qcode reads at most that", MaxTotalSize>>20)
	}
	d.read += int64(len(b))
	return b, nil
}

// The XML, as far as qcode reads it.
type xProject struct {
	XMLName   xml.Name    `xml:"Project"`
	Name      string      `xml:"name,attr"`
	Origin    string      `xml:"origin,attr"`
	Creator   string      `xml:"creatingUserGUID,attr"`
	Users     []xUser     `xml:"Users>User"`
	CodeBook  *xCodeBook  `xml:"CodeBook"`
	Variables []xVariable `xml:"Variables>Variable"`
	Cases     []xCase     `xml:"Cases>Case"`
	Sources   xSources    `xml:"Sources"`
	Notes     []xText     `xml:"Notes>Note"`
	NoteRefs  []xRef      `xml:"NoteRef"`
}

type xUser struct {
	GUID string `xml:"guid,attr"`
	Name string `xml:"name,attr"`
	ID   string `xml:"id,attr"`
}

type xCodeBook struct {
	Comments string  `xml:",comment"`
	Codes    []xCode `xml:"Codes>Code"`
}

type xCode struct {
	GUID        string  `xml:"guid,attr"`
	Name        string  `xml:"name,attr"`
	Color       string  `xml:"color,attr"`
	Description string  `xml:"Description"`
	NoteRefs    []xRef  `xml:"NoteRef"`
	Codes       []xCode `xml:"Code"`
}

type xRef struct {
	Target string `xml:"targetGUID,attr"`
}

type xVariable struct {
	GUID string `xml:"guid,attr"`
	Name string `xml:"name,attr"`
	Type string `xml:"typeOfVariable,attr"`
}

type xValue struct {
	Ref      xRef    `xml:"VariableRef"`
	Text     *string `xml:"TextValue"`
	Boolean  *string `xml:"BooleanValue"`
	Integer  *string `xml:"IntegerValue"`
	Float    *string `xml:"FloatValue"`
	Date     *string `xml:"DateValue"`
	DateTime *string `xml:"DateTimeValue"`
}

type xCase struct {
	GUID       string   `xml:"guid,attr"`
	Name       string   `xml:"name,attr"`
	Values     []xValue `xml:"VariableValue"`
	SourceRefs []xRef   `xml:"SourceRef"`
}

type xSources struct {
	Text  []xText  `xml:"TextSource"`
	Other []xOther `xml:",any"`
}

type xOther struct {
	XMLName xml.Name
	GUID    string `xml:"guid,attr"`
	Name    string `xml:"name,attr"`
}

// xText is a TextSource or a Note (both TextSourceType).
type xText struct {
	GUID         string       `xml:"guid,attr"`
	Name         string       `xml:"name,attr"`
	RichTextPath string       `xml:"richTextPath,attr"`
	PlainPath    string       `xml:"plainTextPath,attr"`
	Creator      string       `xml:"creatingUser,attr"`
	Created      string       `xml:"creationDateTime,attr"`
	Modified     string       `xml:"modifiedDateTime,attr"`
	Comments     string       `xml:",comment"`
	Content      *string      `xml:"PlainTextContent"`
	Selections   []xSelection `xml:"PlainTextSelection"`
	Codings      []xCoding    `xml:"Coding"`
	NoteRefs     []xRef       `xml:"NoteRef"`
	Values       []xValue     `xml:"VariableValue"`
}

type xSelection struct {
	GUID        string    `xml:"guid,attr"`
	Name        string    `xml:"name,attr"`
	Start       string    `xml:"startPosition,attr"`
	End         string    `xml:"endPosition,attr"`
	Creator     string    `xml:"creatingUser,attr"`
	Created     string    `xml:"creationDateTime,attr"`
	Comments    string    `xml:",comment"`
	Description *string   `xml:"Description"`
	Codings     []xCoding `xml:"Coding"`
	NoteRefs    []xRef    `xml:"NoteRef"`
}

type xCoding struct {
	GUID    string `xml:"guid,attr"`
	Creator string `xml:"creatingUser,attr"`
	Created string `xml:"creationDateTime,attr"`
	CodeRef *xRef  `xml:"CodeRef"`
}

type reader struct {
	name  string
	files fileSet
	notes []string

	creator  string             // the project's creatingUserGUID
	origin   string             // the tool that wrote the project
	guids    map[guidKey]string // GUID → the element that has it
	users    map[string]string  // GUID → name
	codes    map[string]string  // GUID → code id
	noteKind map[string]string  // note GUID → where its first NoteRef stands

	// users and codes by the GUIDs as spelt: a hundred thousand codings
	// name a few users and codes, and key costs a copy each time.
	usersAsSpelt, codesAsSpelt map[string]string
}

func (r *reader) note(format string, args ...any) {
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

func (r *reader) errorf(code, format string, args ...any) error {
	return inputErr(code, r.name, format, args...)
}

// claim records a GUID, refusing a second element with it.
func (r *reader) claim(guid, element string) error {
	if strings.TrimSpace(guid) == "" {
		return r.errorf(qcode.EINVALID, "a %s has no guid", element)
	}
	trimmed := strings.TrimSpace(guid)
	if !qdaxml.ValidGUID(trimmed) {
		return r.errorf(qcode.EINVALID, "%s %q: the guid is not a GUID like 7a1c0f3e-2b4d-4e5f-8a6b-9c0d1e2f3a4b", element, guid)
	}
	g := guidBytes(strings.Trim(trimmed, "{}"))
	if prev, ok := r.guids[g]; ok {
		return r.errorf(qcode.EINVALID, "%s %s: the GUID is already the %s's; GUIDs must be unique", element, guid, prev)
	}
	r.guids[g] = element
	return nil
}

// lookup returns m[key(guid)], remembering it in *spelt by guid as it is
// spelt.
func lookup(m map[string]string, spelt *map[string]string, guid string) (string, bool) {
	if v, ok := (*spelt)[guid]; ok {
		return v, true
	}
	v, ok := m[key(guid)]
	if ok {
		if *spelt == nil {
			*spelt = map[string]string{}
		}
		if len(*spelt) < 4096 {
			(*spelt)[guid] = v
		}
	}
	return v, ok
}

// key is a GUID as compared: tools differ in case and braces.
func key(guid string) string { return strings.ToUpper(strings.Trim(strings.TrimSpace(guid), "{}")) }

// guidKey is a GUID's 16 bytes: the reader keeps every element's, a
// hundred thousand and more in a large project, as compactly as it can.
type guidKey [16]byte

// parseGUID returns the bytes of the GUID guid is as key compares it;
// false when it is not one.
func parseGUID(guid string) (guidKey, bool) {
	var g guidKey
	s := strings.Trim(strings.TrimSpace(guid), "{}")
	if len(s) != 36 || !qdaxml.ValidGUID(s) {
		return g, false
	}
	return guidBytes(s), true
}

// guidBytes returns the bytes of s, a GUID without braces that
// qdaxml.ValidGUID takes: a project's import claims every element's, and
// checks each once.
func guidBytes(s string) guidKey {
	var g guidKey
	j := 0
	for i := 0; i < len(s); i += 2 {
		if s[i] == '-' {
			i--
			continue
		}
		g[j] = hexDigit(s[i])<<4 | hexDigit(s[i+1])
		j++
	}
	return g
}

func hexDigit(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// decodeQDE checks the XML the way codebook.ReadQDC does (size, encoding,
// no DTD or entity, the root in Namespace) and decodes it.
func decodeQDE(name string, data []byte) (*xProject, error) {
	if len(data) > MaxQDESize {
		return nil, inputErr(qcode.EINVALID, name, "project.qde is %d MB; qcode reads at most %d MB", len(data)>>20, MaxQDESize>>20)
	}
	if x, ok := scanQDE(bytes.NewReader(data)); ok {
		return x, nil
	}
	return decodeQDEFrom(name, bytes.NewReader(data))
}

// decodeQDEFrom is decodeQDE reading from in. A *qcode.Error from in (a
// limit passed, a damaged entry) is returned as it is.
func decodeQDEFrom(name string, in io.Reader) (*xProject, error) {
	br := bufio.NewReaderSize(in, 64<<10)
	head, _ := br.Peek(3)
	var src io.Reader = br
	if bytes.HasPrefix(head, []byte{0xFE, 0xFF}) || bytes.HasPrefix(head, []byte{0xFF, 0xFE}) {
		// UTF-16 is turned into UTF-8 whole; no tool writes a large
		// project in it.
		data, err := io.ReadAll(br)
		if err != nil {
			return nil, readError(name, err)
		}
		if data, err = qdaxml.UTF8(data); err != nil {
			return nil, inputErr(qcode.EINVALID, name, "%v", err)
		}
		src = bytes.NewReader(data)
	} else if bytes.Equal(head, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	// One pass: the tokens before the root element are checked (a DTD,
	// and its entities, come there), the root is decoded where it stands,
	// and what follows it is checked too. The decoder never expands a
	// DTD's entities; a directive inside the root is skipped unread.
	d := xml.NewDecoder(src)
	d.Strict = true
	d.CharsetReader = qdaxml.Charset
	var p *xProject
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, readError(name, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, inputErr(qcode.EINVALID, name, "DTDs and entities are not allowed in a REFI-QDA project")
		case xml.StartElement:
			if p != nil {
				return nil, inputErr(qcode.EINVALID, name, "not well-formed XML: a second root element <%s> after the project", t.Name.Local)
			}
			if t.Name.Local != "Project" || t.Name.Space != Namespace {
				ns := t.Name.Space
				if ns == "" {
					ns = "no namespace"
				}
				if t.Name.Local == "CodeBook" {
					return nil, inputErr(qcode.EINVALID, name, "not a REFI-QDA project: root element is <CodeBook>, a codebook; import it as a codebook (.qdc)")
				}
				return nil, inputErr(qcode.EINVALID, name, "not a REFI-QDA project: root element is <%s> in %s, not <Project> in %s", t.Name.Local, ns, Namespace)
			}
			p = new(xProject)
			if err := walkProject(d, t, p); err != nil {
				var se *xml.SyntaxError
				var qe *qcode.Error
				if errors.As(err, &se) || errors.As(err, &qe) {
					return nil, readError(name, err)
				}
				return nil, inputErr(qcode.EINVALID, name, "cannot read the project: %v", xmlMessage(err))
			}
		}
	}
	if p == nil {
		return nil, inputErr(qcode.EINVALID, name, "not a REFI-QDA project: project.qde holds no XML element")
	}
	return p, nil
}

// readError is the error reading the XML met: the reader's own, or the
// XML's not being well-formed.
func readError(name string, err error) error {
	var qe *qcode.Error
	if errors.As(err, &qe) {
		return err
	}
	return inputErr(qcode.EINVALID, name, "not well-formed XML: %v; export the project again from the program that made it", xmlMessage(err))
}

func xmlMessage(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("line %d: %s", se.Line, se.Msg)
	}
	return strings.ReplaceAll(err.Error(), "\n", " ")
}

func (r *reader) read(qde []byte) (*exchange.Project, error) {
	x, err := decodeQDE(r.name, qde)
	if err != nil {
		return nil, err
	}
	return r.readProject(x)
}

// readProject checks the project x and turns it into an exchange.Project.
func (r *reader) readProject(x *xProject) (*exchange.Project, error) {
	n := 0
	for _, ts := range x.Sources.Text {
		n += len(ts.Selections)
		for _, sel := range ts.Selections {
			n += len(sel.Codings)
		}
	}
	r.guids = make(map[guidKey]string, n+len(x.Sources.Text)+len(x.Notes))
	codings := 0
	for _, ts := range x.Sources.Text {
		for _, sel := range ts.Selections {
			codings += len(sel.Codings)
		}
	}
	r.users = map[string]string{}
	r.codes = map[string]string{}
	p := &exchange.Project{Name: x.Name, Codings: make([]exchange.Coding, 0, codings)}
	r.creator, r.origin = x.Creator, x.Origin
	if err := r.readUsers(x, p); err != nil {
		return nil, err
	}
	if err := r.readCodes(x, p); err != nil {
		return nil, err
	}
	noteTargets := map[string]coding.Memo{} // note GUID → what it describes
	var refs []string                       // every NoteRef's target, in order
	target := func(ref xRef, m coding.Memo, where string) {
		k := key(ref.Target)
		refs = append(refs, ref.Target)
		if _, ok := noteTargets[k]; ok {
			r.note("note %s is referred to from more than one place; qcode keeps it where it is first referred to, not on %s", ref.Target, where)
			return
		}
		noteTargets[k] = m
	}
	var walkCodes func([]xCode)
	walkCodes = func(cs []xCode) {
		for _, c := range cs {
			for _, n := range c.NoteRefs {
				target(n, coding.Memo{Kind: coding.MemoCode, Code: r.codes[key(c.GUID)]}, "code "+c.Name)
			}
			walkCodes(c.Codes)
		}
	}
	if x.CodeBook != nil {
		walkCodes(x.CodeBook.Codes)
	}
	sourceByGUID := map[string]int{}
	for _, o := range x.Sources.Other {
		if o.XMLName.Local == "TextSource" {
			continue
		}
		r.note("%s %s (%s) has no plain text qcode can code; skipped", o.XMLName.Local, o.Name, o.GUID)
	}
	for _, ts := range x.Sources.Text {
		s, codings, err := r.readSource(ts)
		if err != nil {
			return nil, err
		}
		if s == nil {
			continue
		}
		for _, other := range p.Sources {
			if other.Name == s.Name {
				return nil, r.errorf(qcode.EINVALID, "TextSource %s: another source is already named %s; source names must be unique", ts.GUID, s.Name)
			}
		}
		sourceByGUID[key(ts.GUID)] = len(p.Sources)
		p.Sources = append(p.Sources, *s)
		for _, n := range ts.NoteRefs {
			target(n, coding.Memo{Kind: coding.MemoSource, Source: s.Name}, "source "+s.Name)
		}
		for i, sel := range ts.Selections {
			for _, n := range sel.NoteRefs {
				cs := codings[i]
				if len(cs) == 0 {
					r.note("note %s is on PlainTextSelection %s, which has no coding; qcode keeps it on source %s", n.Target, sel.GUID, s.Name)
					target(n, coding.Memo{Kind: coding.MemoSource, Source: s.Name}, "source "+s.Name)
					continue
				}
				if len(cs) > 1 {
					r.note("note %s is on PlainTextSelection %s, which has %d codings; qcode keeps it on the first", n.Target, sel.GUID, len(cs))
				}
				c := cs[0]
				m := coding.Memo{Kind: coding.MemoCoding, Source: c.Source, Code: c.Code, Start: c.Start, End: c.End, CodingCoder: c.Coder}
				target(n, m, "a coding")
			}
			p.Codings = append(p.Codings, codings[i]...)
		}
	}
	if err := r.readCases(x, p, sourceByGUID); err != nil {
		return nil, err
	}
	for _, n := range x.NoteRefs {
		target(n, coding.Memo{Kind: coding.MemoProject}, "the project")
	}
	notes := map[string]bool{}
	for _, n := range x.Notes {
		if err := r.claim(n.GUID, "Note"); err != nil {
			return nil, err
		}
		notes[key(n.GUID)] = true
		m, ok := noteTargets[key(n.GUID)]
		if cs, isSummary := qcodeComment(n.Comments, "summary"); isSummary && m.Kind == coding.MemoProject {
			// A Framework summary qcode wrote: its case and theme.
			sm, err := r.summary(n, cs)
			if err != nil {
				return nil, err
			}
			p.Summaries = append(p.Summaries, sm)
			continue
		}
		if !ok {
			m = coding.Memo{Kind: coding.MemoProject}
			r.note("note %s (%s) describes nothing in particular; qcode keeps it as a memo on the project", n.Name, n.GUID)
		}
		if kind, ok := qcodeComment(n.Comments, "memo"); ok && m.Kind == coding.MemoProject {
			// The kind qcode gave a memo on the whole project.
			m.Kind = coding.MemoKind(kind)
		}
		coder, err := r.user(n.Creator, "Note", n.GUID)
		if err != nil {
			return nil, err
		}
		m.Coder = coder
		if m.CreatedAt, err = r.time(n.Created, "Note", n.GUID, "creationDateTime"); err != nil {
			return nil, err
		}
		if m.UpdatedAt, err = r.time(n.Modified, "Note", n.GUID, "modifiedDateTime"); err != nil {
			return nil, err
		}
		switch {
		case n.Content != nil:
			m.Text = *n.Content
		case n.PlainPath != "":
			text, err := r.text(n.PlainPath, "Note "+n.GUID)
			if err != nil {
				return nil, err
			}
			m.Text = text
		}
		p.Memos = append(p.Memos, exchange.Memo{GUID: n.GUID, Memo: m})
	}
	for _, g := range refs {
		if !notes[key(g)] {
			return nil, r.errorf(qcode.EINVALID, "NoteRef %s: no Note has that GUID", g)
		}
	}
	return p, nil
}

func (r *reader) readUsers(x *xProject, p *exchange.Project) error {
	for _, u := range x.Users {
		if err := r.claim(u.GUID, "User"); err != nil {
			return err
		}
		name := strings.TrimSpace(u.Name)
		if name == "" {
			name = strings.TrimSpace(u.ID)
		}
		if name == "" {
			name = u.GUID
		}
		xu := exchange.User{GUID: u.GUID, Name: name}
		if name == RulesUser {
			xu.Name, xu.Rules = coding.RulesCoder, true
		}
		r.users[key(u.GUID)] = xu.Name
		p.Users = append(p.Users, xu)
	}
	return nil
}

// user returns the name of the user with the given GUID, "" when guid is
// empty.
func (r *reader) user(guid, element, elemGUID string) (string, error) {
	if strings.TrimSpace(guid) == "" {
		return "", nil
	}
	name, ok := lookup(r.users, &r.usersAsSpelt, guid)
	if !ok {
		return "", r.errorf(qcode.EINVALID, "%s %s: creatingUser %s is not one of the project's users", element, elemGUID, guid)
	}
	return name, nil
}

func (r *reader) time(s, element, guid, attr string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		// Some tools leave the time zone out; read it as UTC.
		t, err = time.Parse("2006-01-02T15:04:05.999999999", s)
	}
	if err != nil {
		return time.Time{}, r.errorf(qcode.EINVALID, "%s %s: %s %q is not a date and time like 2024-03-05T14:30:00Z", element, guid, attr, s)
	}
	return t.UTC(), nil
}

func (r *reader) readCodes(x *xProject, p *exchange.Project) error {
	if x.CodeBook == nil {
		return nil
	}
	settings := ""
	if codebook.QDCSettingsComment(x.CodeBook.Comments) {
		settings = x.CodeBook.Comments
	}
	var conv func([]xCode, int) ([]codebook.QDCCode, error)
	conv = func(cs []xCode, depth int) ([]codebook.QDCCode, error) {
		if depth > MaxDepth {
			return nil, r.errorf(qcode.EINVALID, "codes nest more than %d levels deep", MaxDepth)
		}
		var out []codebook.QDCCode
		for _, c := range cs {
			if err := r.claim(c.GUID, "Code"); err != nil {
				return nil, err
			}
			kids, err := conv(c.Codes, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, codebook.QDCCode{GUID: c.GUID, Name: c.Name, Color: c.Color, Description: c.Description, Codes: kids})
		}
		return out, nil
	}
	codes, err := conv(x.CodeBook.Codes, 1)
	if err != nil {
		return err
	}
	cb, err := codebook.CodebookFromQDC(r.name, x.Name, codes, settings)
	if err != nil {
		return err
	}
	p.Codebook = cb
	cb.Walk(func(c *codebook.Code) { r.codes[key(c.QDCGUID())] = c.ID })
	return nil
}

// text reads a source file: UTF-8 or UTF-16 with a byte order mark, the
// mark dropped.
func (r *reader) text(ref, what string) (string, error) {
	b, err := r.files.open(ref, what)
	if err != nil {
		return "", err
	}
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		return "", r.errorf(qcode.EINVALID, "%s: %s is an archive, not plain text", what, ref)
	}
	if bytes.HasPrefix(b, []byte{0xFE, 0xFF}) || bytes.HasPrefix(b, []byte{0xFF, 0xFE}) {
		s, ok := textfile.UTF16(b)
		if !ok {
			return "", r.errorf(qcode.EINVALID, "%s: %s is UTF-16 cut short", what, ref)
		}
		return s, nil
	}
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(b) {
		return "", r.errorf(qcode.EINVALID, "%s: %s is not UTF-8 text", what, ref)
	}
	return string(b), nil
}

// readSource reads a TextSource and its codings, one list per selection;
// a source with no plain text is noted and skipped (nil).
func (r *reader) readSource(ts xText) (*exchange.Source, [][]exchange.Coding, error) {
	if err := r.claim(ts.GUID, "TextSource"); err != nil {
		return nil, nil, err
	}
	what := "TextSource " + ts.GUID
	s := &exchange.Source{GUID: ts.GUID, Name: strings.TrimSpace(ts.Name)}
	if s.Name == "" {
		s.Name = ts.GUID
	}
	switch {
	case ts.PlainPath != "":
		text, err := r.text(ts.PlainPath, what)
		if err != nil {
			return nil, nil, err
		}
		s.Text = text
	case ts.Content != nil:
		s.Text = *ts.Content
	default:
		r.note("TextSource %s (%s) has only rich text (%s) and no plain text; skipped", s.Name, ts.GUID, ts.RichTextPath)
		return nil, nil, nil
	}
	var err error
	if s.CreatedAt, err = r.time(ts.Created, "TextSource", ts.GUID, "creationDateTime"); err != nil {
		return nil, nil, err
	}
	if v, ok := qcodeComment(ts.Comments, "format"); ok {
		s.Format = v
	}
	spans, err := r.positions(s, ts.Selections)
	if err != nil {
		return nil, nil, err
	}
	r.dropAddedNewline(s, spans)
	out := make([][]exchange.Coding, len(ts.Selections))
	for i, sel := range ts.Selections {
		if err := r.claim(sel.GUID, "PlainTextSelection"); err != nil {
			return nil, nil, err
		}
		selCoder, err := r.user(sel.Creator, "PlainTextSelection", sel.GUID)
		if err != nil {
			return nil, nil, err
		}
		selTime, err := r.time(sel.Created, "PlainTextSelection", sel.GUID, "creationDateTime")
		if err != nil {
			return nil, nil, err
		}
		origin := coding.Origin("")
		if v, ok := qcodeComment(sel.Comments, "origin"); ok {
			origin = coding.Origin(v)
		}
		memo := ""
		if sel.Description != nil {
			memo = *sel.Description
		}
		if len(sel.Codings) == 0 && memo != "" {
			r.note("PlainTextSelection %s on %s has a description but no code; qcode has no coding to keep it on, so it was left out", sel.GUID, s.Name)
		}
		for _, xc := range sel.Codings {
			if err := r.claim(xc.GUID, "Coding"); err != nil {
				return nil, nil, err
			}
			if xc.CodeRef == nil {
				return nil, nil, r.errorf(qcode.EINVALID, "Coding %s has no CodeRef", xc.GUID)
			}
			id, ok := lookup(r.codes, &r.codesAsSpelt, xc.CodeRef.Target)
			if !ok {
				return nil, nil, r.errorf(qcode.EINVALID, "Coding %s: CodeRef %s names no code of the codebook", xc.GUID, xc.CodeRef.Target)
			}
			c := exchange.Coding{GUID: xc.GUID, Source: s.Name, Start: spans[i][0], End: spans[i][1], Code: id, Memo: memo}
			if c.Coder, err = r.user(xc.Creator, "Coding", xc.GUID); err != nil {
				return nil, nil, err
			}
			if c.Coder == "" {
				c.Coder = selCoder
			}
			if c.Coder == "" && r.creator != "" {
				// Some tools name the coder once, for the whole project.
				if c.Coder, err = r.user(r.creator, "Project", "creatingUserGUID"); err != nil {
					return nil, nil, err
				}
			}
			if c.Coder == "" {
				return nil, nil, r.errorf(qcode.EINVALID, "Coding %s names no creatingUser, nor do its selection and the project; qcode needs to know who coded", xc.GUID)
			}
			if c.CreatedAt, err = r.time(xc.Created, "Coding", xc.GUID, "creationDateTime"); err != nil {
				return nil, nil, err
			}
			if c.CreatedAt.IsZero() {
				c.CreatedAt = selTime
			}
			c.Origin = origin
			if c.Origin == "" {
				c.Origin = coding.OriginManual
				if c.Coder == coding.RulesCoder {
					c.Origin = coding.OriginRules
				}
			}
			out[i] = append(out[i], c)
		}
	}
	if len(ts.Codings) > 0 {
		r.note("TextSource %s codes the whole source %d times; qcode codes spans, so those codings were left out", s.Name, len(ts.Codings))
	}
	return s, out, nil
}

// dropAddedNewline drops the line break MAXQDA ends every exported text
// with, so the source reads as it was imported there, unless a span
// reaches into it.
func (r *reader) dropAddedNewline(s *exchange.Source, spans [][2]int) {
	if !strings.Contains(r.origin, "MAXQDA") {
		return
	}
	nl := "\n"
	if strings.HasSuffix(s.Text, "\r\n") {
		nl = "\r\n"
	} else if !strings.HasSuffix(s.Text, nl) {
		return
	}
	n := utf8.RuneCountInString(s.Text) - len(nl)
	for _, sp := range spans {
		if sp[1] > n {
			return
		}
	}
	s.Text = strings.TrimSuffix(s.Text, nl)
	r.note("%s: a trailing newline MAXQDA added was dropped", s.Name)
}

// summary reads a Note qcode wrote of a Framework summary of case cs.
func (r *reader) summary(n xText, cs string) (coding.Summary, error) {
	theme, ok := qcodeComment(n.Comments, "theme")
	if !ok || cs == "" || theme == "" {
		return coding.Summary{}, r.errorf(qcode.EINVALID, "Note %s: a Framework summary names no case or no theme", n.GUID)
	}
	sm := coding.Summary{Case: cs, Theme: theme}
	var err error
	if sm.Coder, err = r.user(n.Creator, "Note", n.GUID); err != nil {
		return sm, err
	}
	if sm.CreatedAt, err = r.time(n.Created, "Note", n.GUID, "creationDateTime"); err != nil {
		return sm, err
	}
	if sm.UpdatedAt, err = r.time(n.Modified, "Note", n.GUID, "modifiedDateTime"); err != nil {
		return sm, err
	}
	if n.Content != nil {
		sm.Text = *n.Content
	}
	return sm, nil
}

// qcodeComment reads a "qcode field: value" comment the writer left;
// comments is an element's comments run together, as encoding/xml gives
// them.
func qcodeComment(comments, field string) (string, bool) {
	_, rest, ok := strings.Cut(comments, "qcode "+field+": ")
	if !ok {
		return "", false
	}
	q, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return "", false
	}
	v, err := strconv.Unquote(q)
	return v, err == nil
}

// positions returns each selection's span in code points. Positions count
// code points unless the selections' texts show they count UTF-16 units
// (as tools written in Java and C# do); a span ending just past the end of
// a text that lost its trailing newline is cut to the end.
func (r *reader) positions(s *exchange.Source, sels []xSelection) ([][2]int, error) {
	runes := []rune(s.Text)
	n := len(runes)
	u16 := utf16Len(runes)
	raw := make([][2]int, len(sels))
	for i, sel := range sels {
		start, err1 := strconv.Atoi(strings.TrimSpace(sel.Start))
		end, err2 := strconv.Atoi(strings.TrimSpace(sel.End))
		if err1 != nil {
			return nil, r.errorf(qcode.EINVALID, "PlainTextSelection %s: startPosition %q is not a whole number", sel.GUID, sel.Start)
		}
		if err2 != nil {
			return nil, r.errorf(qcode.EINVALID, "PlainTextSelection %s: endPosition %q is not a whole number", sel.GUID, sel.End)
		}
		if start < 0 {
			return nil, r.errorf(qcode.EINVALID, "PlainTextSelection %s: startPosition %d is negative", sel.GUID, start)
		}
		if start > end {
			return nil, r.errorf(qcode.EINVALID, "PlainTextSelection %s: startPosition %d is after endPosition %d", sel.GUID, start, end)
		}
		raw[i] = [2]int{start, end}
	}
	useU16 := false
	if u16 != n {
		cp, units := 0, 0
		for i, sel := range sels {
			for _, hint := range selectionHints(sel) {
				if fits(runes, raw[i], hint) {
					cp++
				}
				if conv, ok := fromUTF16(runes, raw[i]); ok && fits(runes, conv, hint) {
					units++
				}
			}
		}
		useU16 = units > cp
		if useU16 {
			r.note("%s: positions counted in UTF-16 units, as the selected text shows; converted to characters", s.Name)
		} else if units == cp {
			// Nothing tells by the text: a span that only UTF-16 units
			// keep inside the text does.
			beyond, all := false, true
			for _, sp := range raw {
				beyond = beyond || sp[1] > n
				_, ok := fromUTF16(runes, sp)
				all = all && ok
			}
			if useU16 = beyond && all; useU16 {
				r.note("%s: positions counted in UTF-16 units, as only they keep every selection inside the text; converted to characters", s.Name)
			}
		}
	}
	out := make([][2]int, len(sels))
	trimmed := false
	for i, sel := range sels {
		span := raw[i]
		limit := n
		if useU16 {
			limit = u16
		}
		if span[1] > limit && span[1] <= limit+2 && !strings.HasSuffix(s.Text, "\n") && span[0] <= limit {
			// The exporting tool counted a trailing newline it did not write.
			span[1] = limit
			trimmed = true
		}
		if span[1] > limit {
			return nil, r.errorf(qcode.EINVALID, "PlainTextSelection %s: endPosition %d is beyond the source's %d characters", sel.GUID, span[1], limit)
		}
		if useU16 {
			conv, ok := fromUTF16(runes, span)
			if !ok {
				return nil, r.errorf(qcode.EINVALID, "PlainTextSelection %s: position %d-%d splits a character in two", sel.GUID, span[0], span[1])
			}
			span = conv
		}
		out[i] = span
	}
	if trimmed {
		r.note("%s: a trailing newline the exporting tool counted but did not write was dropped from the spans that reached it", s.Name)
	}
	return out, nil
}

// selectionHints are what a selection may say its text is: its name
// (ATLAS.ti and qcode write the selected text there, cut with "…") and its
// description (where some tools quote it).
func selectionHints(sel xSelection) []string {
	var hs []string
	if strings.TrimSpace(sel.Name) != "" {
		hs = append(hs, sel.Name)
	}
	if sel.Description != nil && strings.TrimSpace(*sel.Description) != "" {
		hs = append(hs, *sel.Description)
	}
	return hs
}

// fits reports whether span of runes holds the text hint shows: the whole
// of it, or its start when hint ends in "…".
func fits(runes []rune, span [2]int, hint string) bool {
	if span[0] < 0 || span[1] > len(runes) || span[0] > span[1] {
		return false
	}
	got := string(runes[span[0]:span[1]])
	if h, cut := strings.CutSuffix(hint, "…"); cut {
		return strings.HasPrefix(got, h)
	}
	return got == hint || strings.TrimSpace(got) == strings.TrimSpace(hint)
}

func utf16Len(runes []rune) int {
	n := 0
	for _, r := range runes {
		n += utf16.RuneLen(r)
	}
	return n
}

// fromUTF16 turns a span in UTF-16 units into one in code points; false
// when it splits a surrogate pair or leaves the text.
func fromUTF16(runes []rune, span [2]int) ([2]int, bool) {
	var out [2]int
	found := [2]bool{}
	u := 0
	for i := 0; i <= len(runes); i++ {
		for k := 0; k < 2; k++ {
			if !found[k] && span[k] == u {
				out[k], found[k] = i, true
			}
		}
		if i == len(runes) {
			break
		}
		u += utf16.RuneLen(runes[i])
	}
	return out, found[0] && found[1]
}

// readCases gives sources their case and attributes.
func (r *reader) readCases(x *xProject, p *exchange.Project, sourceByGUID map[string]int) error {
	vars := map[string]xVariable{}
	for _, v := range x.Variables {
		if err := r.claim(v.GUID, "Variable"); err != nil {
			return err
		}
		vars[key(v.GUID)] = v
	}
	values := func(vs []xValue, element, guid string) ([]corpus.Attribute, error) {
		var out []corpus.Attribute
		for _, xv := range vs {
			v, ok := vars[key(xv.Ref.Target)]
			if !ok {
				return nil, r.errorf(qcode.EINVALID, "%s %s: VariableRef %s names no variable", element, guid, xv.Ref.Target)
			}
			a, err := r.attribute(v, xv, element, guid)
			if err != nil {
				return nil, err
			}
			out = append(out, a)
		}
		return out, nil
	}
	inCase := map[int]bool{}
	for _, c := range x.Cases {
		if err := r.claim(c.GUID, "Case"); err != nil {
			return err
		}
		attrs, err := values(c.Values, "Case", c.GUID)
		if err != nil {
			return err
		}
		for _, ref := range c.SourceRefs {
			i, ok := sourceByGUID[key(ref.Target)]
			if !ok {
				if g, ok := parseGUID(ref.Target); ok && r.guids[g] != "" {
					continue // a source qcode skipped
				}
				if r.skipped(x, ref.Target) {
					continue
				}
				return r.errorf(qcode.EINVALID, "Case %s: SourceRef %s names no source", c.GUID, ref.Target)
			}
			if inCase[i] {
				r.note("source %s belongs to more than one case; qcode keeps the first", p.Sources[i].Name)
				continue
			}
			inCase[i] = true
			s := &p.Sources[i]
			if c.Name != s.Name {
				s.Case = strings.TrimSpace(c.Name)
			}
			s.Attributes = append([]corpus.Attribute(nil), attrs...)
		}
	}
	for _, ts := range x.Sources.Text {
		i, ok := sourceByGUID[key(ts.GUID)]
		if !ok || len(ts.Values) == 0 {
			continue
		}
		own, err := values(ts.Values, "TextSource", ts.GUID)
		if err != nil {
			return err
		}
		p.Sources[i].Attributes = own
	}
	return nil
}

// skipped reports whether guid is a source qcode left out (PDF, picture…).
func (r *reader) skipped(x *xProject, guid string) bool {
	for _, o := range x.Sources.Other {
		if key(o.GUID) == key(guid) {
			return true
		}
	}
	return false
}

func (r *reader) attribute(v xVariable, xv xValue, element, guid string) (corpus.Attribute, error) {
	a := corpus.Attribute{Name: strings.TrimSpace(v.Name), Type: corpus.AttrText}
	var raw *string
	for _, p := range []*string{xv.Text, xv.Boolean, xv.Integer, xv.Float, xv.Date, xv.DateTime} {
		if p != nil {
			raw = p
		}
	}
	switch v.Type {
	case "Integer", "Float":
		a.Type = corpus.AttrNumber
	case "Date":
		a.Type = corpus.AttrDate
	}
	if raw == nil {
		return a, nil
	}
	s := strings.TrimSpace(*raw)
	if a.Type == corpus.AttrDate && len(s) > 10 && strings.ContainsRune("Z+-", rune(s[10])) {
		s = s[:10] // xsd:date allows a time zone after the date
	}
	val, err := corpus.NormalizeValue(a.Type, s)
	if err != nil {
		return a, r.errorf(qcode.EINVALID, "%s %s: variable %s: %v", element, guid, v.Name, err)
	}
	a.Value = val
	return a, nil
}
