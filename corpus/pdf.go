package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/ledongthuc/pdf"

	"qcode/textfile"
)

// Pdf reads the text of born-digital PDFs (saved or printed to PDF from a
// word processor), with github.com/ledongthuc/pdf parsing the file and
// this reader laying out its text: glyphs in the order the page draws
// them, grouped into lines by their baseline, words parted where the gap
// between glyphs is wider than a fifth of the font size, and lines joined
// into paragraphs.
//
// PDF has no paragraphs, only positioned glyphs, so they are inferred:
//   - a vertical gap wider than the document's usual line spacing, a change
//     of font size, or a first-line indent ends a paragraph;
//   - a line that ends short of the right margin by more than the next
//     line's first word needs was broken by hand: it ends a paragraph, or,
//     in a document whose paragraphs are set apart by gaps, it is a line
//     break within one (as a .docx's soft line break reads);
//   - any other line wrapped, and is joined to the next with a space. A
//     hyphen at the end of a wrapped line is dropped only when the joined
//     word occurs elsewhere in the document unhyphenated (so "partner-" and
//     "ship" make "partnership" where the text has "partnership", and
//     "evidence-" and "based" stay "evidence-based"); a soft hyphen
//     (U+00AD) is always dropped.
//
// The page number at the top or bottom of a page, and a header or footer
// line repeated on every page, are left out. Turns are then found in the
// text as in a plain-text transcript. A PDF with no text (a scan) needs
// OCR first, and an encrypted one its password removed: each is a
// one-line error. Text in table cells reads as one line with the cells
// parted by spaces: a PDF does not mark cells.
type Pdf struct{}

// Limits on what a PDF may ask of the reader. A 300-page transcript draws
// a few million glyphs with a few hundred thousand operators.
const (
	pdfMaxPages  = 5000
	pdfMaxOps    = 50_000_000 // content stream operators in the document
	pdfMaxGlyphs = 20_000_000
	pdfMaxDepth  = 64 // depth of the page tree
	// pdfMaxContent bounds the content streams' bytes once inflated,
	// measured before they are interpreted: the library keeps every
	// operand up to the next operator, so a stream of numbers inflated
	// from a few kilobytes would otherwise fill memory. A 300-page
	// transcript's streams come to a few MB.
	pdfMaxContent = 32 << 20
)

// Read reads one PDF.
func (Pdf) Read(in Input) ([]*Source, error) {
	text, err := pdfText(in.Path, in.Data)
	if err != nil {
		return nil, err
	}
	return documentSource(in, "pdf", "the PDF", text)
}

var (
	errPdfTooMuch  = errors.New("too much content")
	errPdfTooDeep  = errors.New("page tree too deep or cyclic")
	errPdfTooLarge = errors.New("too many pages")
	errPdfXref     = errors.New("an object stream inside an object stream")
	errPdfSizes    = errors.New("its cross-reference table gives sizes larger than the file")
)

// pdfPanic is the error a panic in the library (or in the reader's own
// limits) stands for.
func pdfPanic(x any) error {
	if err, ok := x.(error); ok && errors.Is(err, errPdfTooMuch) {
		return errPdfTooMuch
	}
	return fmt.Errorf("%v", x)
}

// pdfTooMuch is the error of a PDF past the reader's limits on content.
func pdfTooMuch(path string) error {
	return inputErr(path, 0, "the PDF draws more than %d MB of content, %d glyphs or %d operators, more than qcode reads; split it", pdfMaxContent>>20, pdfMaxGlyphs, pdfMaxOps)
}

// pdfText checks that data is a PDF with text and returns its text laid
// out in paragraphs, as docxText lays out a Word document's.
func pdfText(path string, data []byte) (text string, err error) {
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		return "", inputErr(path, 0, "not a PDF file (it does not start with %%PDF-); save or print it to PDF again")
	}
	encrypted := false
	damaged := func(err error) error {
		if encrypted {
			// Opened without a password, yet not readable: the
			// library does not decrypt every kind of protection.
			return inputErr(path, 0, "the PDF is encrypted in a way qcode cannot read (%s); remove its protection (or print it to a new PDF) and import that", pdfReason(err))
		}
		return pdfDamaged(path, err)
	}
	defer func() {
		// The PDF library reports some damage by panicking.
		if x := recover(); x != nil {
			if err = pdfPanic(x); errors.Is(err, errPdfTooMuch) {
				text, err = "", pdfTooMuch(path)
				return
			}
			text, err = "", damaged(err)
		}
	}()
	r, err := pdfOpen(data)
	if err != nil {
		if errors.Is(err, errPdfTooMuch) {
			return "", pdfTooMuch(path)
		}
		if errors.Is(err, pdf.ErrInvalidPassword) {
			return "", inputErr(path, 0, "the PDF is encrypted with a password; open it, remove the password (or print it to a new PDF) and import that")
		}
		if strings.Contains(err.Error(), "encrypt") {
			encrypted = true
		}
		return "", damaged(err)
	}
	encrypted = !r.Trailer().Key("Encrypt").IsNull()
	x := &pdfExtractor{}
	var pages []pdfPage
	budget := 4 * pdfMaxPages // page tree nodes visited, so a cyclic tree ends
	err = walkPages(r.Trailer().Key("Root").Key("Pages"), pdf.Value{}, pdf.Value{}, 0, &budget, &pages)
	switch {
	case errors.Is(err, errPdfTooLarge):
		return "", inputErr(path, 0, "the PDF has more than %d pages, more than qcode reads; split it", pdfMaxPages)
	case err != nil:
		return "", damaged(err)
	case len(pages) == 0:
		return "", damaged(errors.New("no pages"))
	}
	var all [][]pdfLine
	for _, pg := range pages {
		lines, err := x.page(pg)
		if errors.Is(err, errPdfTooMuch) {
			return "", pdfTooMuch(path)
		}
		if err != nil {
			return "", damaged(err)
		}
		all = append(all, lines)
	}
	text = textfile.Clean(layoutPdf(all, pages))
	if text == "" {
		return "", inputErr(path, 0, "the PDF has no text layer (it is a scan, pages of images); run OCR on it first (for example with ocrmypdf) and import the PDF that makes")
	}
	return text, nil
}

// pdfDamaged is the error of a PDF the library cannot read: its reason,
// cut to one short line.
func pdfDamaged(path string, err error) error {
	return inputErr(path, 0, "cannot be read as a PDF (%s); it is damaged: open it in a PDF reader and save or print it to a new PDF", pdfReason(err))
}

// pdfReason is the library's reason for an error, on one short line.
func pdfReason(err error) string {
	why := strings.Join(strings.Fields(err.Error()), " ")
	if len(why) > 80 {
		why = strings.ToValidUTF8(why[:80], "") + "…"
	}
	return why
}

// pdfFile is a PDF's bytes as the library reads them. It gives a PDF 2.0
// file's header as 1.7 (the library refuses a version it does not know,
// and reads what 2.0 files hold as it reads 1.7); it can hide the file's
// encryption, so that its cross-reference table can be checked before the
// library resolves anything (see pdfOpen); and it counts what is read,
// so that a crafted file that sends the library round a loop (an object
// stream that extends itself) ends in an error. A sound PDF is read about
// ten times over (objects are read in blocks, content twice); the limit
// is 32 times, and 8 MB more for small files.
type pdfFile struct {
	data    []byte
	hide    []int // offsets of "/Encrypt" to read as "/Encrypx"
	read    int64
	maxRead int64
}

func newPdfFile(data []byte) *pdfFile {
	return &pdfFile{data: data, maxRead: 32*int64(len(data)) + 8<<20}
}

func (f *pdfFile) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= int64(len(f.data)) {
		return 0, io.EOF
	}
	n := copy(p, f.data[off:])
	if f.read += int64(n); f.read > f.maxRead {
		panic(errPdfTooMuch)
	}
	if off < 8 && bytes.HasPrefix(f.data, []byte("%PDF-2.")) {
		for i := off; i < 8 && i-off < int64(n); i++ {
			p[i-off] = "%PDF-1.7"[i]
		}
	}
	for _, h := range f.hide {
		if at := int64(h+len("/Encryp")) - off; at >= 0 && at < int64(n) {
			p[at] = 'x'
		}
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// pdfOpen opens a PDF with the library, after checking its cross-reference
// table: the library follows an object in an object stream to that stream
// without a limit, so a stream said to be in an object stream itself (a
// cycle, or what the format forbids) would recurse until the process dies.
// The library resolves an encrypted file's encryption dictionary as it
// opens it, so such a file is first opened with its encryption hidden.
func pdfOpen(data []byte) (*pdf.Reader, error) {
	if err := pdfSizesSound(data); err != nil {
		return nil, err
	}
	if bytes.Contains(data, []byte("/Encrypt")) {
		f := newPdfFile(data)
		for i := 0; ; {
			j := bytes.Index(data[i:], []byte("/Encrypt"))
			if j < 0 {
				break
			}
			f.hide = append(f.hide, i+j)
			i += j + len("/Encrypt")
		}
		if r, err := pdf.NewReader(f, int64(len(data))); err == nil && !pdfXrefSound(r) {
			return nil, errPdfXref
		}
	}
	r, err := pdf.NewReader(newPdfFile(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	if !pdfXrefSound(r) {
		return nil, errPdfXref
	}
	return r, nil
}

// The numbers that size what the library allocates as it reads a file's
// cross-reference tables: an object number or count (in a table, a
// stream's /Size or /Index), and the byte widths of a stream's entries.
var (
	pdfSizeNum  = regexp.MustCompile(`/Size\s+(\d+)`)
	pdfIndexArr = regexp.MustCompile(`/Index\s*\[([\d\s]*)\]`)
	pdfWidthArr = regexp.MustCompile(`/W\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s*\]`)
	pdfDigits   = regexp.MustCompile(`\d+`)
)

// pdfSizesSound checks the numbers in data that the library allocates by,
// before it reads them: it makes a table as long as the largest object
// number it is told of, so a crafted "xref 1099511627776 1" would ask for
// terabytes and end the process. No object number or count in a sound
// PDF exceeds its size in bytes (every object takes a byte at least), and
// no entry of a cross-reference stream is wider than a few bytes.
func pdfSizesSound(data []byte) error {
	limit := uint64(len(data)) + 1<<16
	tooBig := func(b []byte) bool {
		n, err := strconv.ParseUint(string(b), 10, 64)
		return err != nil || n > limit
	}
	// Cross-reference tables: every number from "xref" to "trailer".
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("xref"))
		if j < 0 {
			break
		}
		j += i
		i = j + len("xref")
		if j >= 5 && string(data[j-5:j]) == "start" {
			continue
		}
		// The table is numbers, white space and the letters f and n,
		// up to "trailer"; "xref" met elsewhere (in a stream's bytes)
		// ends at once.
		end := i
		for end < len(data) && (isASCIIDigit(data[end]) || data[end] == 'f' || data[end] == 'n' || isPdfSpace(data[end])) {
			end++
		}
		for _, d := range pdfDigits.FindAll(data[i:end], -1) {
			if tooBig(d) {
				return errPdfSizes
			}
		}
	}
	for _, m := range pdfSizeNum.FindAllSubmatch(data, -1) {
		if tooBig(m[1]) {
			return errPdfSizes
		}
	}
	for _, m := range pdfIndexArr.FindAllSubmatch(data, -1) {
		for _, d := range pdfDigits.FindAll(m[1], -1) {
			if tooBig(d) {
				return errPdfSizes
			}
		}
	}
	for _, m := range pdfWidthArr.FindAllSubmatch(data, -1) {
		for _, d := range m[1:] {
			if n, err := strconv.Atoi(string(d)); err != nil || n > 1<<20 {
				return errPdfSizes
			}
		}
	}
	return nil
}

// isPdfSpace reports whether c is white space in PDF syntax.
func isPdfSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

// pdfXrefSound reports whether no object of r's cross-reference table is
// in an object stream that is itself in an object stream. The table is
// not exported, so it is read by reflection; should the library's layout
// change, there is nothing to check (and TestPdfErrors's crafted file
// would end the tests).
func pdfXrefSound(r *pdf.Reader) bool {
	v := reflect.ValueOf(r).Elem().FieldByName("xref")
	if !v.IsValid() || v.Kind() != reflect.Slice {
		return true
	}
	e := v.Type().Elem()
	in, ok1 := e.FieldByName("inStream")
	st, ok2 := e.FieldByName("stream")
	if !ok1 || !ok2 || in.Type.Kind() != reflect.Bool || st.Type.Kind() != reflect.Struct {
		return true
	}
	id, ok := st.Type.FieldByName("id")
	if !ok || id.Type.Kind() != reflect.Uint32 {
		return true
	}
	n := v.Len()
	for i := range n {
		x := v.Index(i)
		if !x.FieldByIndex(in.Index).Bool() {
			continue
		}
		s := x.FieldByIndex(st.Index).FieldByIndex(id.Index).Uint()
		if s < uint64(n) && v.Index(int(s)).FieldByIndex(in.Index).Bool() {
			return false
		}
	}
	return true
}

// pdfPage is a page with what it inherits from the page tree.
type pdfPage struct {
	v, res pdf.Value
	width  float64 // of its media box, 0 when not given
}

// walkPages lists the pages under node in order, passing down the
// resources and media box they inherit. The tree is walked here, not by
// the library, so that a crafted tree (cyclic, or deep) costs a bounded
// number of steps.
func walkPages(node, res, box pdf.Value, depth int, budget *int, out *[]pdfPage) error {
	*budget--
	if depth > pdfMaxDepth || *budget < 0 {
		return errPdfTooDeep
	}
	if r := node.Key("Resources"); r.Kind() == pdf.Dict {
		res = r
	}
	if b := node.Key("MediaBox"); b.Kind() == pdf.Array && b.Len() == 4 {
		box = b
	}
	kids := node.Key("Kids")
	if node.Key("Type").Name() == "Pages" || kids.Kind() == pdf.Array {
		for i := 0; i < kids.Len(); i++ {
			if err := walkPages(kids.Index(i), res, box, depth+1, budget, out); err != nil {
				return err
			}
		}
		return nil
	}
	if node.Kind() != pdf.Dict {
		return nil
	}
	if len(*out) >= pdfMaxPages {
		return errPdfTooLarge
	}
	w := 0.0
	if box.Len() == 4 {
		w = math.Abs(box.Index(2).Float64() - box.Index(0).Float64())
	}
	*out = append(*out, pdfPage{v: node, res: res, width: w})
	return nil
}

// pdfGlyph is one glyph drawn: where its baseline starts, its advance and
// font size in points, and the text it stands for.
type pdfGlyph struct {
	x, y, w, size float64
	s             string
}

// pdfLine is the glyphs of one baseline, as text.
type pdfLine struct {
	x0, x1, y, size float64
	first           float64 // width of its first word
	text            string
}

// pdfMatrix is a PDF transformation matrix [a b c d e f].
type pdfMatrix [6]float64

var pdfIdentity = pdfMatrix{1, 0, 0, 1, 0, 0}

func (m pdfMatrix) mul(n pdfMatrix) pdfMatrix {
	return pdfMatrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

// pdfState is the graphics and text state the reader follows.
type pdfState struct {
	ctm, tm, tlm              pdfMatrix
	tc, tw, th, tl, tfs, rise float64
	font                      *pdfFont
}

// pdfExtractor draws a document's pages into glyphs, counting operators
// and glyphs across the document against the limits.
type pdfExtractor struct {
	ops, glyphs int
	content     int64 // bytes of content streams inflated so far
}

// measure inflates the page's content streams, counting their bytes
// against pdfMaxContent, and fails once they pass it.
func (x *pdfExtractor) measure(contents pdf.Value) error {
	streams := []pdf.Value{contents}
	if contents.Kind() == pdf.Array {
		streams = streams[:0]
		for i := 0; i < contents.Len(); i++ {
			streams = append(streams, contents.Index(i))
		}
	}
	for _, s := range streams {
		rc := s.Reader()
		n, _ := io.Copy(io.Discard, io.LimitReader(rc, pdfMaxContent-x.content+1))
		rc.Close()
		x.content += n
		if x.content > pdfMaxContent {
			return errPdfTooMuch
		}
	}
	return nil
}

// page returns a page's lines, in the order the page draws them.
func (x *pdfExtractor) page(pg pdfPage) (lines []pdfLine, err error) {
	defer func() {
		if e := recover(); e != nil {
			err = pdfPanic(e)
		}
	}()
	contents := pg.v.Key("Contents")
	if contents.IsNull() {
		return nil, nil
	}
	if err := x.measure(contents); err != nil {
		return nil, err
	}
	fonts := map[string]*pdfFont{}
	g := pdfState{ctm: pdfIdentity, tm: pdfIdentity, tlm: pdfIdentity, th: 1}
	var saved []pdfState
	var glyphs []pdfGlyph
	var args []pdf.Value
	num := func(i int) float64 {
		if i < len(args) {
			return args[i].Float64()
		}
		return 0
	}
	matrix := func() pdfMatrix {
		var m pdfMatrix
		for i := range m {
			m[i] = num(i)
		}
		return m
	}
	nextLine := func(tx, ty float64) {
		g.tlm = pdfMatrix{1, 0, 0, 1, tx, ty}.mul(g.tlm)
		g.tm = g.tlm
	}
	show := func(s string) {
		f := g.font
		if f == nil {
			return
		}
		step := 1
		if f.twoByte {
			step = 2
		}
		for i := 0; i+step <= len(s); i += step {
			code := s[i : i+step]
			c := int(code[0])
			if step == 2 {
				c = c<<8 | int(code[1])
			}
			w0 := f.width(c)
			adv := w0/1000*g.tfs + g.tc
			if step == 1 && c == ' ' {
				adv += g.tw
			}
			adv *= g.th
			m := g.tm.mul(g.ctm)
			trm := pdfMatrix{g.tfs * g.th, 0, 0, g.tfs, 0, g.rise}.mul(m)
			size := math.Hypot(trm[2], trm[3])
			x.glyphs++
			if x.glyphs > pdfMaxGlyphs {
				panic(errPdfTooMuch)
			}
			glyphs = append(glyphs, pdfGlyph{x: trm[4], y: trm[5], w: adv * math.Hypot(m[0], m[1]), size: size, s: f.enc.Decode(code)})
			g.tm = pdfMatrix{1, 0, 0, 1, adv, 0}.mul(g.tm)
		}
	}
	pdf.Interpret(contents, func(stk *pdf.Stack, op string) {
		x.ops++
		if x.ops > pdfMaxOps {
			panic(errPdfTooMuch)
		}
		args = args[:0]
		for n := stk.Len(); n > 0; n-- {
			args = append(args, pdf.Value{})
		}
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		switch op {
		case "q":
			if len(saved) < 1000 {
				saved = append(saved, g)
			}
		case "Q":
			if n := len(saved); n > 0 {
				g, saved = saved[n-1], saved[:n-1]
			}
		case "cm":
			g.ctm = matrix().mul(g.ctm)
		case "BT":
			g.tm, g.tlm = pdfIdentity, pdfIdentity
		case "Tc":
			g.tc = num(0)
		case "Tw":
			g.tw = num(0)
		case "Tz":
			g.th = num(0) / 100
		case "TL":
			g.tl = num(0)
		case "Ts":
			g.rise = num(0)
		case "Tf":
			if len(args) == 2 {
				name := args[0].Name()
				f, ok := fonts[name]
				if !ok {
					f = newPdfFont(pg.res.Key("Font").Key(name))
					fonts[name] = f
				}
				g.font, g.tfs = f, num(1)
			}
		case "Td":
			nextLine(num(0), num(1))
		case "TD":
			g.tl = -num(1)
			nextLine(num(0), num(1))
		case "Tm":
			g.tm = matrix()
			g.tlm = g.tm
		case "T*":
			nextLine(0, -g.tl)
		case "Tj":
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "'":
			nextLine(0, -g.tl)
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "\"":
			if len(args) == 3 {
				g.tw, g.tc = num(0), num(1)
				nextLine(0, -g.tl)
				show(args[2].RawString())
			}
		case "TJ":
			if len(args) == 1 {
				a := args[0]
				for i := 0; i < a.Len(); i++ {
					v := a.Index(i)
					if v.Kind() == pdf.String {
						show(v.RawString())
						continue
					}
					g.tm = pdfMatrix{1, 0, 0, 1, -v.Float64() / 1000 * g.tfs * g.th, 0}.mul(g.tm)
				}
			}
		}
	})
	return pdfLines(glyphs), nil
}
