package corpus

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"qcode"
)

// docxHead and docxTail wrap a test's body XML into a word/document.xml
// with the namespaces Word declares.
const (
	docxHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml">
<w:body>`
	docxTail = `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>`
)

// makeDocx builds a minimal .docx in memory whose body is bodyXML.
func makeDocx(tb testing.TB, bodyXML string) []byte {
	tb.Helper()
	return makeZip(tb, zip.Deflate, map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml":   docxHead + bodyXML + docxTail,
	})
}

// makeZip builds a zip archive of files, in name order so it is the same
// every time.
func makeZip(tb testing.TB, method uint16, files map[string]string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := io.WriteString(w, files[name]); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// para is a paragraph of one plain run.
func para(text string) string {
	return `<w:p><w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

func TestDocxText(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{
			name: "runs split mid-word",
			body: `<w:p w:rsidR="00DE733D"><w:r><w:t>Inter</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t>viewer: How did the</w:t></w:r>` +
				`<w:r><w:t xml:space="preserve"> link with Mbarara start?</w:t></w:r></w:p>`,
			want: "Interviewer: How did the link with Mbarara start?",
		},
		{
			name: "bold label and paragraphs",
			body: `<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>Dr Okafor:</w:t></w:r>` +
				`<w:r><w:t xml:space="preserve"> We began in 2019, with two midwives from Leeds.</w:t></w:r></w:p>` +
				para("It was slow at first."),
			want: "Dr Okafor: We began in 2019, with two midwives from Leeds.\n\nIt was slow at first.",
		},
		{
			name: "tab and line breaks",
			body: `<w:p><w:r><w:t>I</w:t><w:tab/><w:t>Tell me about the ward.</w:t><w:br/><w:t>And the staffing?</w:t><w:cr/><w:t>Rota too.</w:t></w:r></w:p>`,
			want: "I\tTell me about the ward.\nAnd the staffing?\nRota too.",
		},
		{
			name: "tab stops in properties are not text",
			body: `<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:t>Ward 7</w:t></w:r></w:p>`,
			want: "Ward 7",
		},
		{
			name: "empty paragraphs dropped and lines trimmed",
			body: `<w:p/>` + para("   Interviewer: Shall we begin?  ") + `<w:p><w:r><w:t xml:space="preserve">   </w:t></w:r></w:p><w:p></w:p>` +
				`<w:p><w:r><w:t xml:space="preserve">Nurse Banda: Yes. </w:t><w:br/><w:t xml:space="preserve">  Go ahead.</w:t><w:br/></w:r></w:p>`,
			want: "Interviewer: Shall we begin?\n\nNurse Banda: Yes.\nGo ahead.",
		},
		{
			name: "table rows become lines",
			body: para("Before the table.") +
				`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="6000"/></w:tblGrid>` +
				`<w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:tcPr><w:tcW w:w="2000"/></w:tcPr>` + para("Speaker") + `</w:tc><w:tc>` + para("Text") + `</w:tc></w:tr>` +
				`<w:tr><w:tc>` + para("Interviewer") + `</w:tc><w:tc>` + para("What changed on the ward?") + para("Take your time.") + `</w:tc></w:tr>` +
				`<w:tr><w:tc><w:p/></w:tc><w:tc>` + para("(pause)") + `</w:tc></w:tr>` +
				`<w:tr><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>` +
				`</w:tbl>` + para("After the table."),
			want: "Before the table.\n\nSpeaker | Text\n\nInterviewer | What changed on the ward? Take your time.\n\n| (pause)\n\nAfter the table.",
		},
		{
			name: "nested table stays in its cell",
			body: `<w:tbl><w:tr><w:tc>` + para("Site") + `</w:tc><w:tc>` +
				`<w:tbl><w:tr><w:tc>` + para("Gulu") + `</w:tc><w:tc>` + para("Lira") + `</w:tc></w:tr></w:tbl>` + `<w:p/>` +
				`</w:tc></w:tr></w:tbl>`,
			want: "Site | Gulu | Lira",
		},
		{
			name: "tracked changes: deletions out, insertions in",
			body: `<w:p><w:r><w:t xml:space="preserve">The clinic opened in </w:t></w:r>` +
				`<w:del w:id="1" w:author="Amina" w:date="2024-03-01T10:00:00Z"><w:r><w:delText>2018</w:delText></w:r></w:del>` +
				`<w:ins w:id="2" w:author="Amina" w:date="2024-03-01T10:00:00Z"><w:r><w:t>2019</w:t></w:r></w:ins><w:r><w:t>.</w:t></w:r>` +
				`<w:moveFrom w:id="3" w:author="Amina"><w:r><w:t>Moved away.</w:t></w:r></w:moveFrom></w:p>`,
			want: "The clinic opened in 2019.",
		},
		{
			name: "curly quotes, emoji, entities",
			body: para(`“It’s been a lifeline,” she said 🙏 — A&amp;E &lt;Kampala&gt;`),
			want: `“It’s been a lifeline,” she said 🙏 — A&E <Kampala>`,
		},
		{
			name: "decomposed accents are composed",
			body: para("Ngozi: The re\u0301sume\u0301 of the project."),
			want: "Ngozi: The r\u00e9sum\u00e9 of the project.",
		},
		{
			name: "fields keep their result, not their code",
			body: `<w:p><w:r><w:t xml:space="preserve">Page </w:t></w:r>` +
				`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE \* MERGEFORMAT </w:instrText></w:r>` +
				`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
				`<w:r><w:t xml:space="preserve">, see </w:t></w:r><w:fldSimple w:instr=" REF _Ref1 \h "><w:r><w:t>Table 2</w:t></w:r></w:fldSimple></w:p>`,
			want: "Page 3, see Table 2",
		},
		{
			name: "field without a result and a stray end",
			body: `<w:p><w:r><w:fldChar w:fldCharType="end"/><w:t>Before</w:t><w:fldChar w:fldCharType="begin"/><w:t>code</w:t><w:fldChar w:fldCharType="end"/><w:t xml:space="preserve"> after</w:t></w:r></w:p>`,
			want: "Before after",
		},
		{
			name: "hyphens and symbols",
			body: `<w:p><w:r><w:t>Co</w:t><w:noBreakHyphen/><w:t>ordinator</w:t><w:softHyphen/><w:sym w:font="Wingdings" w:char="F04A"/><w:t xml:space="preserve"> Mrs Achieng</w:t></w:r></w:p>`,
			want: "Co-ordinator Mrs Achieng",
		},
		{
			name: "text box once, not twice",
			body: `<w:p><w:r><w:t xml:space="preserve">Main text. </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>` +
				para("Box text") + `</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>` +
				para("Box text") + `</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>`,
			want: "Box text\n\nMain text.",
		},
		{
			name: "hyperlinks, smart tags and content controls",
			body: `<w:sdt><w:sdtPr><w:alias w:val="Title"/><w:placeholder><w:docPart w:val="x"/></w:placeholder></w:sdtPr><w:sdtContent>` +
				`<w:p><w:hyperlink r:id="rId4" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:r><w:t>NHS England</w:t></w:r></w:hyperlink>` +
				`<w:smartTag w:element="place"><w:r><w:t xml:space="preserve"> and Zambia</w:t></w:r></w:smartTag></w:p></w:sdtContent></w:sdt>`,
			want: "NHS England and Zambia",
		},
		{
			name: "no text",
			body: `<w:p/><w:p><w:pPr/></w:p>`,
			want: "",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := docxText("t.docx", makeDocx(t, tc.body))
			if err != nil {
				t.Fatalf("docxText: %v", err)
			}
			if got != tc.want {
				t.Errorf("text:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestDocxStrictNamespace(t *testing.T) {
	doc := `<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body>` + para("Strict Open XML text.") + `</w:body></w:document>`
	data := makeZip(t, zip.Deflate, map[string]string{"word/document.xml": doc})
	got, err := docxText("strict.docx", data)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Strict Open XML text."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDocxTurns(t *testing.T) {
	body := para("Interviewer: How did the partnership with Kisumu County start?") +
		para("Dr Okafor: Through a Health Education England fellowship, in 2019.") +
		para("Interviewer: And what did the first visit look like?") +
		para("Dr Okafor: Mostly listening. We spent a week on the maternity ward.")
	docs, err := Docx{}.Read(Input{Path: "interviews/okafor.docx", Data: makeDocx(t, body)})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if len(docs) != 1 {
		t.Fatalf("got %d documents, want 1", len(docs))
	}
	d := docs[0]
	if d.Name != "okafor" || d.Format != "docx" {
		t.Errorf("Name, Format = %q, %q; want okafor, docx", d.Name, d.Format)
	}
	names, turns := d.Speakers()
	if len(names) != 2 || names[0] != "Interviewer" || names[1] != "Dr Okafor" {
		t.Fatalf("speakers %q, want [Interviewer Dr Okafor]", names)
	}
	if turns["Interviewer"] != 2 || turns["Dr Okafor"] != 2 {
		t.Errorf("turns per speaker %v, want 2 each", turns)
	}
	if got, want := d.Text[d.Turns[3].Start:d.Turns[3].End], "Mostly listening. We spent a week on the maternity ward."; got != want {
		t.Errorf("last turn %q, want %q", got, want)
	}
	checkTurnSpans(t, d)
}

// checkTurnSpans asserts that d's turns are in order, inside its text,
// non-empty and trimmed.
func checkTurnSpans(tb testing.TB, d *Source) {
	tb.Helper()
	prev := d.Header.End
	for i, tu := range d.Turns {
		if tu.Start < prev || tu.Start >= tu.End || tu.End > len(d.Text) {
			tb.Fatalf("turn %d span %v out of order or outside text of %d bytes (previous end %d)", i+1, tu.Span, len(d.Text), prev)
		}
		if s := d.Text[tu.Start:tu.End]; strings.TrimSpace(s) != s {
			tb.Fatalf("turn %d %q is not trimmed", i+1, s)
		}
		prev = tu.End
	}
}

// bombOnce holds a deflate stream of 80 MB of repeated XML, made once and
// shared: it is about 80 kB but takes a moment to compress.
var bombOnce = sync.OnceValues(func() ([]byte, uint32) {
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	crc := crc32.NewIEEE()
	w := io.MultiWriter(fw, crc)
	io.WriteString(w, docxHead)
	chunk := []byte(strings.Repeat(para("All work and no play makes Jack a dull boy."), 1000))
	for n := len(docxHead); n < 80<<20; n += len(chunk) {
		w.Write(chunk)
	}
	io.WriteString(w, docxTail)
	fw.Close()
	return buf.Bytes(), crc.Sum32()
})

// rawDocx builds a .docx whose document.xml entry is the given deflate
// stream with the sizes its header declares, true or not.
func rawDocx(tb testing.TB, deflated []byte, crc uint32, declaredSize uint64) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: "word/document.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(deflated)), UncompressedSize64: declaredSize,
	})
	if err != nil {
		tb.Fatal(err)
	}
	w.Write(deflated)
	zw.Close()
	return buf.Bytes()
}

func TestDocxErrors(t *testing.T) {
	// The bomb takes about a second to compress; -short leaves it out.
	bomb, crc := []byte("short"), uint32(0)
	if !testing.Short() {
		bomb, crc = bombOnce()
	}
	manyFiles := map[string]string{"word/document.xml": docxHead + para("x") + docxTail}
	for i := range docxMaxEntries + 1 {
		manyFiles["word/media/image"+strconv.Itoa(i)+".png"] = ""
	}
	var small bytes.Buffer // 2 MB of one byte: over 100:1 and over 1 MB
	fw, _ := flate.NewWriter(&small, flate.BestCompression)
	fw.Write(bytes.Repeat([]byte(" "), 2<<20))
	fw.Close()

	tests := []badFile{
		{"plain text", []byte("Interviewer: hello\nDr Okafor: hi\n"), "not a zip archive"},
		{"empty file", nil, "not a zip archive"},
		{"encrypted or .doc", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...), "password-protected or an old .doc"},
		{"zip without document.xml", makeZip(t, zip.Deflate, map[string]string{"xl/workbook.xml": "<workbook/>"}), "no word/document.xml"},
		{"truncated zip", makeDocx(t, para("x"))[:60], "not a zip archive"},
		{"corrupt XML", makeDocx(t, para("ok")+"\n<w:p><w:r><w:t>broken</w:r></w:p>"), "word/document.xml is damaged at line 4"},
		{"unclosed document", makeZip(t, zip.Deflate, map[string]string{"word/document.xml": docxHead + para("cut off")}), "word/document.xml is damaged at line 3"},
		{"too many entries", makeZip(t, zip.Store, manyFiles), "more than the 10000"},
		{"zip bomb, honest header", rawDocx(t, bomb, crc, 80<<20+uint64(len(docxHead)+len(docxTail))), "inflates to 80 MB"},
		{"zip bomb, lying header", rawDocx(t, bomb, crc, 60<<20), "compressed more than 100:1"},
		{"zip bomb, size hidden", rawDocx(t, bomb, crc, 1000), "word/document.xml"},
		{"ratio over 100:1", rawDocx(t, small.Bytes(), crc32.ChecksumIEEE(bytes.Repeat([]byte(" "), 2<<20)), 2<<20), "compressed more than 100:1"},
		{"no text", makeDocx(t, "<w:p/>"), "no text"},
	}
	checkReadErrors(t, Docx{}, "bad.docx", tests)
}

// badFile is a file a reader must refuse with an error containing want.
type badFile struct {
	name string
	data []byte
	want string
}

// checkReadErrors reads each bad file as path with r and checks the error:
// one line naming the file, containing the case's words. Zip bombs (cases
// named so) take a moment to build and are left out with -short.
func checkReadErrors(t *testing.T, r Reader, path string, tests []badFile) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if testing.Short() && strings.HasPrefix(tc.name, "zip bomb") {
				t.Skip("-short")
			}
			_, err := r.Read(Input{Path: path, Data: tc.data})
			if err == nil {
				t.Fatalf("no error, want one containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			// An error a speaker pattern would mend names that field first
			// (see qcode.Error.Phrase); its message names the file.
			var e *qcode.Error
			if !errors.As(err, &e) || !strings.HasPrefix(e.Message, path) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q should be one line naming the file", err)
			}
		})
	}
}

// TestDocxLimitedReader checks the limits the reader enforces on inflated
// bytes, whatever the zip directory declared.
func TestDocxLimitedReader(t *testing.T) {
	tests := []struct {
		name   string
		size   int64
		packed uint64
		want   error
	}{
		{"at the limit", docxMaxXML, docxMaxXML, nil},
		{"over the limit", docxMaxXML + 1, docxMaxXML, errTooLarge},
		{"small and well compressed", docxRatioFrom, 1, nil},
		{"big and too well compressed", docxRatioFrom + 1, docxRatioFrom / 200, errTooCompressed},
		{"big and compressed 50:1", 10 << 20, 10 << 20 / 50, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lr := &limitedReader{r: io.LimitReader(io.LimitReader(zeros{}, tc.size), docxMaxXML+1), packed: tc.packed}
			_, err := io.Copy(io.Discard, lr)
			if err != tc.want {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func FuzzDocx(f *testing.F) {
	bodies := []string{
		para("Interviewer: How did it start?") + para("Dr Okafor: In 2019.") + para("Interviewer: And then?") + para("Dr Okafor: We grew."),
		`<w:tbl><w:tr><w:tc>` + para("Interviewer") + `</w:tc><w:tc>` + para("Hello") + `</w:tc></w:tr></w:tbl>`,
		`<w:p><w:r><w:t>A</w:t><w:tab/><w:br/><w:fldChar w:fldCharType="begin"/><w:instrText>PAGE</w:instrText><w:fldChar w:fldCharType="separate"/><w:t>1</w:t><w:fldChar w:fldCharType="end"/></w:r><w:del><w:r><w:delText>x</w:delText></w:r></w:del></w:p>`,
		`<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent>` + para("box") + `</w:txbxContent></mc:Choice><mc:Fallback>` + para("box") + `</mc:Fallback></mc:AlternateContent></w:r></w:p>`,
	}
	for _, b := range bodies {
		f.Add(makeDocx(f, b))
		// Stored, not deflated, so mutations reach the XML parser.
		f.Add(makeZip(f, zip.Store, map[string]string{"word/document.xml": docxHead + b + docxTail}))
	}
	f.Add([]byte("PK\x03\x04 junk"))
	f.Add([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	f.Add([]byte("Interviewer: hi\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFuzzedDocument(t, Docx{}, "f.docx", data, docxText)
	})
}

// FuzzDocxBody fuzzes the body XML alone, which reaches the extractor far
// more often than mutating zip bytes does.
func FuzzDocxBody(f *testing.F) {
	f.Add(para("Interviewer: x") + para("R: y"))
	f.Add(`<w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc>` + para("a") + `</w:tc></w:tr></w:tbl></w:tc><w:tc>` + para("b") + `</w:tc></w:tr></w:tbl>`)
	f.Add(`<w:p><w:r><w:t>a</w:t><w:fldChar w:fldCharType="begin"/><w:t>b</w:t><w:fldChar w:fldCharType="separate"/><w:t>c</w:t></w:r></w:p><w:p><w:r><w:fldChar w:fldCharType="end"/><w:t>d</w:t></w:r></w:p>`)
	f.Add(`<w:p><w:r><w:t>a</w:t><w:drawing><w:txbxContent><w:p><w:r><w:t>b</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r></w:p>`)
	f.Fuzz(func(t *testing.T, body string) {
		text, err := extractDocxText(strings.NewReader(docxHead + body + docxTail))
		checkExtracted(t, text, err)
	})
}

// checkExtracted checks the text an extractor made of a fuzzed body, when
// it made any: trimmed valid UTF-8 with no empty paragraph or line.
func checkExtracted(t *testing.T, text string, err error) {
	if err != nil {
		return
	}
	if !utf8.ValidString(text) || strings.TrimSpace(text) != text {
		t.Fatalf("text %q is not trimmed valid UTF-8", text)
	}
	if strings.Contains(text, "\n\n\n") {
		t.Fatalf("text %q has an empty paragraph or line", text)
	}
}

// A transcript laid out as a two-column table (speaker, words) reads as turns.
func TestDocxTableTranscript(t *testing.T) {
	row := func(speaker, words string) string {
		return `<w:tr><w:tc><w:p><w:r><w:t>` + speaker + `</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>` + words + `</w:t></w:r></w:p></w:tc></w:tr>`
	}
	body := para("Interview P05") + `<w:tbl>` +
		row("Interviewer", "What did you bring back from Kumasi?") +
		row("Dr Whitfield", "Their triage board. We use it now.") +
		row("Interviewer", "Did anyone debrief you?") +
		row("Dr Whitfield", "No, never.") + `</w:tbl>`
	docs, err := Docx{}.Read(Input{Path: "P05.docx", Data: makeDocx(t, body)})
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	var got []string
	for _, tu := range d.Turns {
		got = append(got, tu.Speaker+": "+d.Text[tu.Start:tu.End])
	}
	want := []string{"Interviewer: What did you bring back from Kumasi?", "Dr Whitfield: Their triage board. We use it now.", "Interviewer: Did anyone debrief you?", "Dr Whitfield: No, never."}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("turns:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if h := d.Text[d.Header.Start:d.Header.End]; h != "Interview P05" {
		t.Errorf("header %q", h)
	}
}
