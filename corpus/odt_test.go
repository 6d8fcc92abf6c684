package corpus

import (
	"archive/zip"
	"bytes"
	"flag"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// odtHead and odtTail wrap a test's body XML into a content.xml with the
// namespaces LibreOffice declares and the parts around the body it writes.
const (
	odtHead = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3">
<office:font-face-decls><style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/></office:font-face-decls>
<office:automatic-styles><style:style style:name="P1" style:family="paragraph"><style:text-properties fo:font-weight="bold" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"/></style:style></office:automatic-styles>
<office:body><office:text><text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Table"/></text:sequence-decls>`
	odtTail = `</office:text></office:body></office:document-content>`
)

// makeOdt builds an .odt in memory whose body is bodyXML, laid out as
// LibreOffice lays one out: the mimetype first and stored, then the
// manifest and content.xml.
func makeOdt(tb testing.TB, method uint16, bodyXML string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range [][2]string{
		{"mimetype", "application/vnd.oasis.opendocument.text"},
		{"META-INF/manifest.xml", `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`},
		{"content.xml", odtHead + bodyXML + odtTail},
	} {
		m := method
		if f[0] == "mimetype" {
			m = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f[0], Method: m})
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write([]byte(f[1])); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// op is an OpenDocument paragraph of text.
func op(text string) string {
	return `<text:p text:style-name="Standard">` + text + `</text:p>`
}

func TestOdtText(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{
			name: "spans split mid-word and a bold label",
			body: `<text:p text:style-name="P1"><text:span text:style-name="T1">Inter</text:span>viewer: How did the link with <text:span text:style-name="T2">Mbarara</text:span> start?</text:p>`,
			want: "Interviewer: How did the link with Mbarara start?",
		},
		{
			name: "headings and paragraphs",
			body: `<text:h text:outline-level="1">Interview P13, Kisumu</text:h>` + op("Dr Otieno: We began in 2019.") + op("It was slow at first."),
			want: "Interview P13, Kisumu\n\nDr Otieno: We began in 2019.\n\nIt was slow at first.",
		},
		{
			name: "spaces, tabs and line breaks",
			body: op(`I<text:tab/>Tell me about the ward.<text:line-break/>And the<text:s/> staffing?<text:s text:c="3"/>Rota too.`),
			want: "I\tTell me about the ward.\nAnd the  staffing?   Rota too.",
		},
		{
			name: "white space in character data collapses",
			body: "<text:p>\n   Nurse   Achieng:\n\tYes,\n   <text:span> of   course. </text:span> </text:p>",
			want: "Nurse Achieng: Yes, of course.",
		},
		{
			name: "a bad space count is one space",
			body: op(`a<text:s text:c="x"/>b<text:s text:c="99999999999"/>c<text:s text:c="0"/>d`),
			want: "a b c d",
		},
		{
			name: "lists keep one paragraph per item",
			body: op("Interviewer: What did the team bring back?") +
				`<text:list text:style-name="L1"><text:list-item>` + op("A triage board.") + `</text:list-item><text:list-item>` + op("A rota for night shifts.") +
				`<text:list><text:list-item>` + op("Two nurses each night.") + `</text:list-item></text:list></text:list-item></text:list>`,
			want: "Interviewer: What did the team bring back?\n\nA triage board.\n\nA rota for night shifts.\n\nTwo nurses each night.",
		},
		{
			name: "table rows become lines",
			body: op("Before the table.") +
				`<table:table table:name="Table1"><table:table-column table:number-columns-repeated="2"/>` +
				`<table:table-header-rows><table:table-row><table:table-cell office:value-type="string">` + op("Speaker") + `</table:table-cell><table:table-cell>` + op("Text") + `</table:table-cell></table:table-row></table:table-header-rows>` +
				`<table:table-row><table:table-cell>` + op("Interviewer") + `</table:table-cell><table:table-cell>` + op("What changed on the ward?") + op("Take your time.") + `</table:table-cell></table:table-row>` +
				`<table:table-row><table:table-cell>` + op("") + `</table:table-cell><table:table-cell>` + op("(pause)") + `</table:table-cell></table:table-row>` +
				`<table:table-row><table:table-cell table:number-columns-spanned="2">` + op("Merged") + `</table:table-cell><table:covered-table-cell>` + op("hidden") + `</table:covered-table-cell></table:table-row>` +
				`</table:table>` + op("After the table."),
			want: "Before the table.\n\nSpeaker | Text\n\nInterviewer | What changed on the ward? Take your time.\n\n| (pause)\n\nMerged\n\nAfter the table.",
		},
		{
			name: "footnotes and comments are left out",
			body: op(`The clinic opened in 2019.<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body>` + op("Ministry of Health records.") + `</text:note-body></text:note>` +
				`<office:annotation><dc:creator>Amina</dc:creator>` + op("Check the date") + `</office:annotation> Staff came later.`),
			want: "The clinic opened in 2019. Staff came later.",
		},
		{
			name: "tracked changes: deletions out, insertions in",
			body: `<text:tracked-changes text:track-changes="true"><text:changed-region xml:id="ct1" text:id="ct1"><text:deletion><office:change-info><dc:creator>Amina</dc:creator></office:change-info>` +
				op("2018") + `</text:deletion></text:changed-region><text:changed-region text:id="ct2"><text:insertion><office:change-info><dc:creator>Amina</dc:creator></office:change-info></text:insertion></text:changed-region></text:tracked-changes>` +
				op(`The clinic opened in <text:change text:change-id="ct1"/><text:change-start text:change-id="ct2"/>2019<text:change-end text:change-id="ct2"/>.`),
			want: "The clinic opened in 2019.",
		},
		{
			name: "soft page breaks, bookmarks and links",
			body: op(`Dr Otieno: The <text:a xlink:href="https://www.nhs.uk" xmlns:xlink="http://www.w3.org/1999/xlink">NHS</text:a> link<text:bookmark text:name="b1"/> helped.`) +
				`<text:soft-page-break/>` + op(`<text:soft-page-break/>Interviewer: Thank you.`),
			want: "Dr Otieno: The NHS link helped.\n\nInterviewer: Thank you.",
		},
		{
			name: "text in a frame is read once, before its paragraph",
			body: op(`Main text. <draw:frame draw:name="Frame1"><draw:text-box>` + op("Box text") + `</draw:text-box></draw:frame>`),
			want: "Box text\n\nMain text.",
		},
		{
			name: "generated index keeps its entries, not its template",
			body: `<text:table-of-content text:name="TOC"><text:table-of-content-source><text:index-title-template>Contents</text:index-title-template></text:table-of-content-source>` +
				`<text:index-body>` + op("Kisumu visit") + `</text:index-body></text:table-of-content>`,
			want: "Kisumu visit",
		},
		{
			name: "curly quotes, emoji, entities, decomposed accents",
			body: op(`“It’s been a lifeline,” she said 🙏 — A&amp;E &lt;Kampala&gt; re` + "\u0301" + `sume` + "\u0301"),
			want: "“It’s been a lifeline,” she said 🙏 — A&E <Kampala> r\u00e9sum\u00e9",
		},
		{
			name: "no text",
			body: `<text:p/><text:p text:style-name="P1"> </text:p>`,
			want: "",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := odtText("t.odt", makeOdt(t, zip.Deflate, tc.body))
			if err != nil {
				t.Fatalf("odtText: %v", err)
			}
			if got != tc.want {
				t.Errorf("text:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// kisumu is an interview about a health partnership in both formats'
// markup: the same paragraphs, labels, timestamps and a table, so the two
// readers can be held to the same text and turns.
var kisumu = []struct{ odt, docx string }{
	{`<text:h text:outline-level="1">Interview P13: Kisumu maternity partnership</text:h>`, para("Interview P13: Kisumu maternity partnership")},
	{op(`Recorded 14 March 2024, <text:span>Kisumu County Referral Hospital</text:span>.`), para("Recorded 14 March 2024, Kisumu County Referral Hospital.")},
	{op(`[00:00:05] Interviewer: How did the partnership with Leeds begin?`), para("[00:00:05] Interviewer: How did the partnership with Leeds begin?")},
	{op(`[00:00:12] Grace Atieno: Two midwives came out in 2019.<text:line-break/>They stayed six weeks.`),
		`<w:p><w:r><w:t>[00:00:12] Grace Atieno: Two midwives came out in 2019.</w:t><w:br/><w:t>They stayed six weeks.</w:t></w:r></w:p>`},
	{op(`We <text:span text:style-name="T1">argued</text:span> about the partograph at first.`), para("We argued about the partograph at first.")},
	{op(`[00:01:40] Interviewer: What did you<text:s/> change?`), para("[00:01:40] Interviewer: What did you  change?")},
	{op(`[00:01:47] Grace Atieno:<text:tab/>The handover. We write it down now.`), `<w:p><w:r><w:t>[00:01:47] Grace Atieno:</w:t><w:tab/><w:t>The handover. We write it down now.</w:t></w:r></w:p>`},
	{`<table:table><table:table-row><table:table-cell>` + op("Shift") + `</table:table-cell><table:table-cell>` + op("Midwives") + `</table:table-cell></table:table-row></table:table>`,
		`<w:tbl><w:tr><w:tc>` + para("Shift") + `</w:tc><w:tc>` + para("Midwives") + `</w:tc></w:tr></w:tbl>`},
	{op(`[00:02:30] Interviewer: And the Leeds side?`), para("[00:02:30] Interviewer: And the Leeds side?")},
	{op(`[00:02:36] Grace Atieno: They learned to work with less. <text:span>That was the surprise.</text:span>`), para("[00:02:36] Grace Atieno: They learned to work with less. That was the surprise.")},
}

func kisumuBodies() (odt, docx string) {
	var o, d strings.Builder
	for _, p := range kisumu {
		o.WriteString(p.odt)
		d.WriteString(p.docx)
	}
	return o.String(), d.String()
}

// turnsOf lists d's turns as speaker, timestamp and text, for comparing.
func turnsOf(d *Source) []string {
	var out []string
	for _, tu := range d.Turns {
		out = append(out, tu.Speaker+" @"+strconv.Itoa(int(tu.Begin)/1000)+": "+d.Text[tu.Start:tu.End])
	}
	return out
}

// An interview reads to the same text, header and turns from .odt as from
// .docx.
func TestOdtSameAsDocx(t *testing.T) {
	ob, db := kisumuBodies()
	odocs, err := Odt{}.Read(Input{Path: "interviews/P13.odt", Data: makeOdt(t, zip.Deflate, ob)})
	if err != nil {
		t.Fatal(err)
	}
	ddocs, err := Docx{}.Read(Input{Path: "interviews/P13.docx", Data: makeDocx(t, db)})
	if err != nil {
		t.Fatal(err)
	}
	o, d := odocs[0], ddocs[0]
	if o.Name != "P13" || o.Format != "odt" {
		t.Errorf("Name, Format = %q, %q; want P13, odt", o.Name, o.Format)
	}
	if o.Text != d.Text {
		t.Fatalf("text differs:\n odt %q\ndocx %q", o.Text, d.Text)
	}
	if o.Header != d.Header {
		t.Errorf("header %v, docx's %v", o.Header, d.Header)
	}
	got, want := turnsOf(o), turnsOf(d)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("turns:\n%s\ndocx's:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantTurns := []string{
		"Interviewer @5: How did the partnership with Leeds begin?",
		"Grace Atieno @12: Two midwives came out in 2019.\nThey stayed six weeks.\n\nWe argued about the partograph at first.",
		"Interviewer @100: What did you  change?",
		"Grace Atieno @107: The handover. We write it down now.\n\nShift | Midwives",
		"Interviewer @150: And the Leeds side?",
		"Grace Atieno @156: They learned to work with less. That was the surprise.",
	}
	if strings.Join(got, "\n") != strings.Join(wantTurns, "\n") {
		t.Errorf("turns:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantTurns, "\n"))
	}
	checkTurnSpans(t, o)
	if h := o.Text[o.Header.Start:o.Header.End]; !strings.HasPrefix(h, "Interview P13") || !strings.HasSuffix(h, "Hospital.") {
		t.Errorf("header %q", h)
	}
}

func TestOdtErrors(t *testing.T) {
	bomb, crc := []byte("short"), uint32(0)
	if !testing.Short() {
		bomb, crc = bombOnce()
	}
	rawOdt := func(declared uint64) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "content.xml", Method: zip.Deflate, CRC32: crc, CompressedSize64: uint64(len(bomb)), UncompressedSize64: declared})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(bomb)
		zw.Close()
		return buf.Bytes()
	}
	manyFiles := map[string]string{"content.xml": odtHead + op("x") + odtTail}
	for i := range docxMaxEntries + 1 {
		manyFiles["Pictures/image"+strconv.Itoa(i)+".png"] = ""
	}
	spreadsheet := makeZip(t, zip.Store, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": odtHead + op("x") + odtTail})

	tests := []badFile{
		{"plain text", []byte("Interviewer: hello\nDr Otieno: hi\n"), "not an OpenDocument .odt file (not a zip archive)"},
		{"empty file", nil, "not a zip archive"},
		{"old binary document", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...), "old binary (OLE) document"},
		{"a .docx named .odt", makeDocx(t, para("x")), "not an OpenDocument text (no content.xml)"},
		{"a spreadsheet", spreadsheet, "of type spreadsheet, not text"},
		{"password-protected", makeZip(t, zip.Store, map[string]string{
			"META-INF/manifest.xml": `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"><manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k"/></manifest:file-entry></manifest:manifest>`,
			"content.xml":           "\x8f\x12 encrypted bytes",
		}), "password-protected"},
		{"truncated zip", makeOdt(t, zip.Deflate, op("x"))[:60], "not a zip archive"},
		{"broken XML", makeOdt(t, zip.Store, op("ok")+"\n<text:p>broken</text:span>"), "content.xml is damaged at line 6"},
		{"undefined entity", makeOdt(t, zip.Store, op("Tom &amp; &jerry;")), "content.xml is damaged"},
		{"DTD", makeZip(t, zip.Store, map[string]string{"content.xml": `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY lol "lol">]>` + strings.TrimPrefix(odtHead, `<?xml version="1.0" encoding="UTF-8"?>`) + op("&lol;") + odtTail}), "declares a DTD"},
		{"too many entries", makeZip(t, zip.Store, manyFiles), "more than the 10000 an OpenDocument text could"},
		{"zip bomb, honest header", rawOdt(80 << 20), "content.xml inflates to 80 MB"},
		{"zip bomb, lying header", rawOdt(60 << 20), "compressed more than 100:1, which no OpenDocument text is"},
		{"no text", makeOdt(t, zip.Deflate, "<text:p/>"), "no text"},
	}
	checkReadErrors(t, Odt{}, "bad.odt", tests)
}

// The .odt is read when its extension says so, and by format name.
func TestOdtFormat(t *testing.T) {
	ob, _ := kisumuBodies()
	checkFormat(t, makeOdt(t, zip.Deflate, ob), "P13", "odt", 6)
}

var updateOdt = flag.Bool("update-odt", false, "rewrite the .odt fixture the CLI's scripts import")

// odtFixture is the .odt that cmd/qcode's scripts import. It is built
// here, stored (not deflated) so its bytes do not depend on the Go
// version's compressor, and the test checks the committed file is what
// this code builds: go test ./corpus -run OdtFixture -update-odt rewrites it.
const odtFixture = "../cmd/qcode/testdata/inputs/P13.odt"

func TestOdtFixture(t *testing.T) {
	ob, _ := kisumuBodies()
	checkFixture(t, odtFixture, makeOdt(t, zip.Store, ob), *updateOdt, "OdtFixture -update-odt")
}

// When LibreOffice is installed, a .docx it converts to .odt reads to the
// same text and turns as the .docx.
func TestOdtFromLibreOffice(t *testing.T) {
	checkSameAsConverted(t, Odt{}, "odt")
}

func FuzzOdt(f *testing.F) {
	ob, _ := kisumuBodies()
	bodies := []string{
		ob,
		`<table:table><table:table-row><table:table-cell>` + op("Interviewer") + `</table:table-cell><table:table-cell>` + op("Hello") + `</table:table-cell></table:table-row></table:table>`,
		op(`A<text:s text:c="2"/>b<text:tab/><text:line-break/><text:note><text:note-body>`+op("n")+`</text:note-body></text:note>`) + `<text:tracked-changes><text:changed-region><text:deletion>` + op("x") + `</text:deletion></text:changed-region></text:tracked-changes>`,
		op(`<draw:frame><draw:text-box>` + op("box") + `</draw:text-box></draw:frame>`),
	}
	for _, b := range bodies {
		f.Add(makeOdt(f, zip.Deflate, b))
		// Stored, not deflated, so mutations reach the XML parser.
		f.Add(makeOdt(f, zip.Store, b))
	}
	f.Add([]byte("PK\x03\x04 junk"))
	f.Add([]byte("Interviewer: hi\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFuzzedDocument(t, Odt{}, "f.odt", data, odtText)
	})
}

// checkFuzzedDocument checks what a document reader makes of fuzzed data:
// text (from textOf, the reader's text alone) that is trimmed NFC UTF-8
// with no empty paragraph, and, when the reader finds turns in it, the
// same text with its turns in order inside it.
func checkFuzzedDocument(t *testing.T, r Reader, path string, data []byte, textOf func(string, []byte) (string, error)) {
	text, err := textOf(path, data)
	if err != nil {
		return
	}
	if !utf8.ValidString(text) || !norm.NFC.IsNormalString(text) {
		t.Fatalf("text %q is not valid NFC UTF-8", text)
	}
	if strings.TrimSpace(text) != text || strings.Contains(text, "\n\n\n") {
		t.Fatalf("text %q is not trimmed, or has an empty paragraph", text)
	}
	docs, err := r.Read(Input{Path: path, Data: data})
	if err != nil {
		return
	}
	for _, d := range docs {
		if d.Text != text {
			t.Fatalf("Read's text %q differs from the text alone, %q", d.Text, text)
		}
		checkTurnSpans(t, d)
	}
}

// FuzzOdtBody fuzzes the body XML alone, which reaches the extractor far
// more often than mutating zip bytes does.
func FuzzOdtBody(f *testing.F) {
	ob, _ := kisumuBodies()
	f.Add(ob)
	f.Add(op(`a<text:s text:c="3"/><text:span> b  </text:span>`) + `<text:list><text:list-item>` + op("c") + `</text:list-item></text:list>`)
	f.Add(`<table:table><table:table-row><table:table-cell><table:table><table:table-row><table:table-cell>` + op("a") + `</table:table-cell></table:table-row></table:table></table:table-cell></table:table-row></table:table>`)
	f.Fuzz(func(t *testing.T, body string) {
		text, err := extractOdtText(strings.NewReader(odtHead + body + odtTail))
		checkExtracted(t, text, err)
	})
}
