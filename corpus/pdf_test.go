package corpus

import (
	"bytes"
	"compress/zlib"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// mbarara is an interview about a surgical partnership, as a transcriber
// types it: a title block, then turns with timestamps and labels, answers
// long enough to wrap, one running over a page, and a turn of two
// paragraphs.
var mbarara = []string{
	"Interview P21: Mbarara–Bristol surgical partnership",
	"Recorded 9 October 2023 at Mbarara Regional Referral Hospital. Transcribed by Amina Yusuf.",
	"[00:00:04] Interviewer: Could you start by telling me how you first became involved in the partnership?",
	"[00:00:11] Dr Kato: I was the registrar on the surgical ward when the first team came from Bristol in 2016. Nobody had told us they were coming, so the first week was awkward: they wanted to see the theatre lists, and we did not keep them the way they expected. By the second visit we had agreed a shared list, and that was the beginning of the partnership as I understand it.",
	"[00:01:02] Interviewer: What did the shared list change?",
	"[00:01:06] Dr Kato: Everything about the mornings. Before, the list was whatever the consultant remembered; now it is written the night before, the anaesthetist sees it, and the nurses can prepare the instruments. It sounds small. It saved us an hour every day.",
	"We still argue about who owns it, mind you.",
	"[00:02:15] Interviewer: And the “twinning” visits, were they worth the cost?",
	"[00:02:20] Dr Kato: For the nurses, yes. Two of them went to Bristol for six weeks and came back with a different idea of what a handover is. For the surgeons it was less clear, because the cases there are not our cases, and the equipment is not our equipment. We learned more when they came here and worked with what we have.",
	"[00:03:41] Interviewer: Is there anything you would change about how the partnership is run?",
	"[00:03:47] Dr Kato: The money. The grant sits in Bristol and we ask for things. It would be better if the budget were decided together at the start of the year, with the hospital management in the room, so that what we buy is what we can maintain. Three times we received equipment we could not service, and it is still in the store.",
	"[00:05:02] Interviewer: Thank you, that is very helpful.",
	"[00:05:05] Dr Kato: You are welcome.",
}

// pdfLayout says how makePdf sets a document.
type pdfLayout struct {
	gap     float64 // space between paragraphs, in mm (0: none)
	furnish bool    // a running header and a page number on every page
	indent  bool    // a first-line indent instead of a gap
	width   float64 // the text's width in mm (0: the page's)
	fixed   bool    // stored uncompressed and dated, so its bytes are the same every time
}

// makePdf sets paragraphs in a born-digital PDF as a word processor would
// print it: A4, 11 pt Helvetica, lines wrapped to the width.
func makePdf(tb testing.TB, paras []string, lay pdfLayout) []byte {
	tb.Helper()
	f := fpdf.New("P", "mm", "A4", "")
	if lay.fixed {
		f.SetCompression(false)
		f.SetCatalogSort(true)
		f.SetCreationDate(time.Date(2023, 10, 9, 14, 0, 0, 0, time.UTC))
		f.SetModificationDate(time.Date(2023, 10, 9, 14, 0, 0, 0, time.UTC))
	}
	f.SetMargins(25, 25, 25)
	f.SetAutoPageBreak(true, 25)
	tr := f.UnicodeTranslatorFromDescriptor("")
	if lay.furnish {
		f.SetHeaderFunc(func() {
			f.SetFont("Helvetica", "I", 9)
			f.CellFormat(0, 10, tr("Mbarara–Bristol partnership evaluation: interviews"), "", 0, "R", false, 0, "")
			f.Ln(12)
		})
		f.SetFooterFunc(func() {
			f.SetY(-18)
			f.SetFont("Helvetica", "", 9)
			f.CellFormat(0, 10, "Page "+strconv.Itoa(f.PageNo()), "", 0, "C", false, 0, "")
		})
	}
	f.AddPage()
	for i, p := range paras {
		size := 11.0
		if i == 0 {
			size = 15
		}
		f.SetFont("Helvetica", "", size)
		if lay.indent && i > 0 {
			f.SetX(f.GetX())
			p = "      " + p
		}
		f.MultiCell(lay.width, size*0.5, tr(p), "", "L", false)
		if lay.gap > 0 {
			f.Ln(lay.gap)
		}
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// A transcript printed to PDF reads to its paragraphs, title block and
// turns, however its paragraphs are set apart, with the running header
// and the page numbers left out.
func TestPdfTranscript(t *testing.T) {
	want := strings.Join(mbarara, "\n\n")
	for _, tc := range []struct {
		name  string
		lay   pdfLayout
		pages int
	}{
		{"gaps between paragraphs, header and page numbers", pdfLayout{gap: 4, furnish: true, width: 100}, 2},
		{"no gaps", pdfLayout{}, 1},
		{"no gaps, narrow, page numbers", pdfLayout{furnish: true, width: 90}, 2},
		{"first-line indents", pdfLayout{indent: true, width: 120}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := makePdf(t, mbarara, tc.lay)
			if n := bytes.Count(data, []byte("/Type /Page\n")); n != tc.pages {
				t.Fatalf("the fixture has %d pages, want %d", n, tc.pages)
			}
			docs, err := Pdf{}.Read(Input{Path: "interviews/P21.pdf", Data: data})
			if err != nil {
				t.Fatal(err)
			}
			d := docs[0]
			if d.Name != "P21" || d.Format != "pdf" {
				t.Errorf("Name, Format = %q, %q; want P21, pdf", d.Name, d.Format)
			}
			// Without gaps, a paragraph whose last line is nearly
			// full may read as a line break: the turns are the
			// same, and so are the words.
			if tc.lay.gap > 0 && d.Text != want {
				t.Fatalf("text:\n got %q\nwant %q", d.Text, want)
			}
			if got := strings.Fields(d.Text); strings.Join(got, " ") != strings.Join(strings.Fields(want), " ") {
				t.Fatalf("words:\n got %q\nwant %q", d.Text, want)
			}
			if h := d.Text[d.Header.Start:d.Header.End]; !strings.HasPrefix(h, "Interview P21") || !strings.HasSuffix(h, "Amina Yusuf.") {
				t.Errorf("header %q", h)
			}
			got := turnsOf(d)
			if len(got) != 10 || got[0] != "Interviewer @4: Could you start by telling me how you first became involved in the partnership?" ||
				!strings.HasPrefix(got[3], "Dr Kato @66: Everything about the mornings.") || !strings.HasSuffix(got[3], "It saved us an hour every day.\n\nWe still argue about who owns it, mind you.") {
				t.Errorf("turns:\n%s", strings.Join(got, "\n"))
			}
			checkTurnSpans(t, d)
		})
	}
}

// A PDF without speaker labels (a report) reads to its paragraphs, as
// the other readers read theirs.
func TestPdfDocument(t *testing.T) {
	report := []string{
		"Annual report of the Gulu–Leeds nursing partnership, 2023",
		"The partnership placed four nurses from Leeds on the medical wards in Gulu for six weeks each, and hosted three nurses from Gulu in Leeds. Both hospitals report that the exchange changed how handovers are done.",
		"Funding came from the health partnership scheme. The steering group met quarterly; attendance from Gulu was lower than planned because calls often dropped.",
		"Recommendations: decide the budget jointly at the start of each year; keep a shared list of equipment that can be maintained locally.",
	}
	data := makePdf(t, report, pdfLayout{gap: 3})
	text, err := pdfText("report.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Join(report, "\n\n"); text != want {
		t.Errorf("text:\n got %q\nwant %q", text, want)
	}
	// Without speaker labels (one "Recommendations:" is no speaker), the
	// report is a document of its paragraphs.
	docs, err := Pdf{}.Read(Input{Path: "report.pdf", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	if d := docs[0]; !d.IsDocument() || len(d.Turns) != len(report) {
		t.Errorf("document %v, %d turns; want a document of %d paragraphs", d.IsDocument(), len(d.Turns), len(report))
	}
}

// Lines join as they wrapped; a hyphen at a line's end goes only when the
// document spells the word without it elsewhere.
func TestPdfJoinWrapped(t *testing.T) {
	vocab := map[string]bool{"partnership": true, "evidence": true, "based": true, "well": true}
	tests := []struct{ line, next, want string }{
		{"the", "partnership", "the partnership"},
		{"the partner-", "ship began", "the partnership began"},
		{"an evidence-", "based plan", "an evidence-based plan"},
		{"the Anglo-", "Saxon", "the Anglo-Saxon"},
		{"soft hyphen partner\u00ad", "ship", "soft hyphen partnership"},
		{"we argued -", "and then", "we argued - and then"},
		{"a well-", "known fact", "a well-known fact"},
		{"twenty-", "5", "twenty- 5"},
	}
	for _, tc := range tests {
		if got := string(joinWrapped([]byte(tc.line), tc.next, vocab)); got != tc.want {
			t.Errorf("%q + %q = %q, want %q", tc.line, tc.next, got, tc.want)
		}
	}
}

// A hyphenated word wrapped in a real layout is joined when the document
// has it whole elsewhere.
func TestPdfHyphenation(t *testing.T) {
	f := fpdf.New("P", "mm", "A4", "")
	f.AddPage()
	f.SetFont("Helvetica", "", 11)
	for _, l := range []string{"[00:00:04] Interviewer: How did the partner-", "ship start, and was the partnership evidence-", "based?", "", "[00:00:09] Dr Kato: Slowly."} {
		if l == "" {
			f.Ln(4)
			continue
		}
		f.CellFormat(0, 5.5, l, "", 1, "L", false, 0, "")
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		t.Fatal(err)
	}
	text, err := pdfText("h.pdf", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	// The lines are broken by hand (each would have fitted more), so
	// they are line breaks; only a full line's hyphen is a wrap.
	if want := "[00:00:04] Interviewer: How did the partner-\nship start, and was the partnership evidence-\nbased?\n\n[00:00:09] Dr Kato: Slowly."; text != want {
		t.Errorf("text:\n got %q\nwant %q", text, want)
	}
}

func TestPdfErrors(t *testing.T) {
	good := makePdf(t, mbarara[:4], pdfLayout{gap: 3})
	encrypted := func(user string) []byte {
		f := fpdf.New("P", "mm", "A4", "")
		f.SetProtection(fpdf.CnProtectPrint, user, "owner-secret")
		f.AddPage()
		f.SetFont("Helvetica", "", 11)
		f.MultiCell(0, 5, "[00:00:04] Interviewer: Hello.\n[00:00:05] Dr Kato: Hello.\n[00:00:06] Interviewer: Bye.\n[00:00:07] Dr Kato: Bye.", "", "L", false)
		var buf bytes.Buffer
		if err := f.Output(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	// A scan: a page that is one picture and no text.
	img := image.NewGray(image.Rect(0, 0, 200, 280))
	for y := 40; y < 240; y += 12 {
		for x := 20; x < 180; x++ {
			img.Set(x, y, color.Gray{Y: 40})
		}
	}
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, img); err != nil {
		t.Fatal(err)
	}
	scan := fpdf.New("P", "mm", "A4", "")
	scan.AddPage()
	scan.RegisterImageOptionsReader("page1", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(pngBuf.Bytes()))
	scan.ImageOptions("page1", 0, 0, 210, 297, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	var scanBuf bytes.Buffer
	if err := scan.Output(&scanBuf); err != nil {
		t.Fatal(err)
	}
	many := fpdf.New("P", "mm", "A4", "")
	many.SetCompression(false)
	for range pdfMaxPages + 1 {
		many.AddPage()
	}
	var manyBuf bytes.Buffer
	if err := many.Output(&manyBuf); err != nil {
		t.Fatal(err)
	}
	cut := good[:len(good)*2/3]
	noEOF := bytes.Replace(good, []byte("%%EOF"), []byte("%%EOX"), 1)
	badXref := bytes.Replace(good, []byte("startxref\n"), []byte("startxref\n9"), 1)

	tests := []badFile{
		{"plain text", []byte("Interviewer: hello\nDr Kato: hi\n"), "not a PDF file (it does not start with %PDF-)"},
		{"empty file", nil, "not a PDF file"},
		{"a .docx named .pdf", makeDocx(t, para("x")), "not a PDF file"},
		{"encrypted", encrypted("participant-07"), "the PDF is encrypted with a password"},
		// Protected against changes only: it opens without a password,
		// but the library cannot decrypt what fpdf writes.
		{"encrypted, owner password only", encrypted(""), "the PDF is encrypted in a way qcode cannot read"},
		{"a scan", scanBuf.Bytes(), "the PDF has no text layer (it is a scan, pages of images); run OCR on it first"},
		{"truncated", cut, "cannot be read as a PDF (not a PDF file: missing %%EOF); it is damaged"},
		{"no %%EOF", noEOF, "cannot be read as a PDF"},
		{"a broken cross-reference", badXref, "cannot be read as a PDF"},
		{"too many pages", manyBuf.Bytes(), "the PDF has more than 5000 pages"},
		{"a content stream bomb", rawPdf("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>", flateStream(t, bytes.Repeat([]byte("1 "), (pdfMaxContent+2)/2))), "the PDF draws more than 32 MB of content"},
		{"an object stream inside itself", objStmPdf(true, false), "cannot be read as a PDF (an object stream inside an object stream)"},
		{"an encrypted object stream inside itself", objStmPdf(true, true), "an object stream inside an object stream"},
		{"an object stream that extends itself", objStmPdf(false, false), "more than qcode reads"},
		{"an object number past the file's size", bytes.Replace(rawPdf("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"), []byte("xref\n0 3"), []byte("xref\n1099511627776 3"), 1), "cannot be read as a PDF (its cross-reference table gives sizes larger than the file)"},
		{"a cross-reference stream's /Size past the file's size", bytes.Replace(objStmPdf(false, false), []byte("/Size 4"), []byte("/Size 1099511627776"), 1), "gives sizes larger than the file"},
		{"a cross-reference stream's /Index past the file's size", bytes.Replace(objStmPdf(false, false), []byte("/Size 4"), []byte("/Size 4 /Index [1099511627776 4]"), 1), "gives sizes larger than the file"},
		{"a cross-reference stream's entries too wide", bytes.Replace(objStmPdf(false, false), []byte("/W [1 4 1]"), []byte("/W [1 4 1099511627776]"), 1), "gives sizes larger than the file"},
		{"a cyclic page tree", rawPdf("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R 2 0 R] /Count 2 >>"), "cannot be read as a PDF (page tree too deep or cyclic)"},
		{"no pages", rawPdf("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"), "cannot be read as a PDF (no pages)"},
	}
	checkReadErrors(t, Pdf{}, "bad.pdf", tests)

	// A PDF 2.0 header is read as 1.7.
	v2 := bytes.Replace(good, []byte("%PDF-1.3"), []byte("%PDF-2.0"), 1)
	if text, err := pdfText("v2.pdf", v2); err != nil || !strings.HasPrefix(text, "Interview P21") {
		t.Errorf("a PDF 2.0 file: %q, %v", text, err)
	}
}

// The .pdf is read when its extension says so, and by format name.
func TestPdfFormat(t *testing.T) {
	checkFormat(t, makePdf(t, mbarara, pdfLayout{gap: 4}), "P21", "pdf", 10)
}

// When LibreOffice is installed, a .docx it prints to PDF reads to the
// same turns, speakers and words as the .docx. The white space differs
// where PDF keeps none: a table's cells read as words parted by spaces,
// and a run of spaces or a tab as one space.
func TestPdfFromLibreOffice(t *testing.T) {
	data, docx := convertKisumuDocx(t, "pdf")
	pdocs, err := Pdf{}.Read(Input{Path: "P13.pdf", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	ddocs, err := Docx{}.Read(Input{Path: "P13.docx", Data: docx})
	if err != nil {
		t.Fatal(err)
	}
	words := func(d *Source) []string {
		var out []string
		for _, tu := range d.Turns {
			w := strings.Fields(strings.ReplaceAll(d.Text[tu.Start:tu.End], " | ", " "))
			out = append(out, tu.Speaker+" @"+strconv.Itoa(int(tu.Begin)/1000)+": "+strings.Join(w, " "))
		}
		return out
	}
	if got, want := words(pdocs[0]), words(ddocs[0]); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("turns:\n%s\ndocx's:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Word's spacing sets paragraphs apart, so the text is the .docx's,
	// paragraphs and line breaks alike, but for that white space (a tab
	// reads as a space too).
	if want := strings.NewReplacer(" | ", " ", "  ", " ", "\t", " ").Replace(ddocs[0].Text); pdocs[0].Text != want {
		t.Errorf("text:\n got %q\nwant %q", pdocs[0].Text, want)
	}
	if pdocs[0].Text[pdocs[0].Header.Start:pdocs[0].Header.End] != ddocs[0].Text[ddocs[0].Header.Start:ddocs[0].Header.End] {
		t.Errorf("header %q, docx's %q", pdocs[0].Text[pdocs[0].Header.Start:pdocs[0].Header.End], ddocs[0].Text[ddocs[0].Header.Start:ddocs[0].Header.End])
	}
	checkTurnSpans(t, pdocs[0])
}

func FuzzPdf(f *testing.F) {
	for _, lay := range []pdfLayout{{gap: 4, furnish: true, width: 100}, {indent: true}} {
		f.Add(makePdf(f, mbarara[:6], lay))
	}
	// Uncompressed, so that mutations reach the content streams.
	plain := fpdf.New("P", "mm", "A4", "")
	plain.SetCompression(false)
	plain.AddPage()
	plain.SetFont("Times", "B", 12)
	plain.MultiCell(0, 6, "[00:00:04] Interviewer: How did it start?\n[00:00:09] Dr Kato: Slowly, with a list.", "", "L", false)
	var buf bytes.Buffer
	if err := plain.Output(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[2 0 R]/Count 1>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n9\n%%EOF\n"))
	f.Add([]byte("%PDF-1.4\n"))
	f.Add(objStmPdf(true, true))
	f.Add(objStmPdf(false, false))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFuzzedDocument(t, Pdf{}, "f.pdf", data, pdfText)
	})
}

// BenchmarkPdf measures reading a 10,000-word interview printed to PDF
// (about 30 pages), to its text and turns (not segmented).
func BenchmarkPdf(b *testing.B) {
	var paras []string
	words := 0
	for i := 0; words < 10000; i++ {
		q, a := benchTurn(i)
		paras = append(paras, "Interviewer: "+q, "Grace Atieno: "+a)
		words += len(strings.Fields(q)) + len(strings.Fields(a)) + 3
	}
	data := makePdf(b, paras, pdfLayout{gap: 3, furnish: true})
	docs, err := Pdf{}.Read(Input{Path: "P13.pdf", Data: data})
	if err != nil || len(docs[0].Turns) != len(paras) {
		b.Fatalf("%d turns of %d: %v", len(docs[0].Turns), len(paras), err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := (Pdf{}).Read(Input{Path: "P13.pdf", Data: data}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(words)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
	b.ReportMetric(float64(bytes.Count(data, []byte("/Type /Page\n"))), "pages")
}

var updatePdf = flag.Bool("update-pdf", false, "rewrite the .pdf fixture the CLI's scripts import")

// pdfFixture is the .pdf that cmd/qcode's scripts import: the mbarara
// interview over two pages with a running header and page numbers. The
// test checks the committed file is what makePdf builds: go test ./corpus
// -run PdfFixture -update-pdf rewrites it.
const pdfFixture = "../cmd/qcode/testdata/inputs/P21.pdf"

func TestPdfFixture(t *testing.T) {
	want := makePdf(t, mbarara, pdfLayout{gap: 4, furnish: true, width: 100, fixed: true})
	checkFixture(t, pdfFixture, want, *updatePdf, "PdfFixture -update-pdf")
	if text, err := pdfText("P21.pdf", want); err != nil || text != strings.Join(mbarara, "\n\n") {
		t.Errorf("the fixture reads as %q, %v", text, err)
	}
}

// flateStream returns a PDF stream object of data, deflated.
func flateStream(tb testing.TB, data []byte) string {
	var b bytes.Buffer
	zw := zlib.NewWriter(&b)
	if _, err := zw.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return "<< /Length " + strconv.Itoa(b.Len()) + " /Filter /FlateDecode >>\nstream\n" + b.String() + "\nendstream"
}

// objStmPdf writes a PDF whose catalog is in object stream 3, with a
// cross-reference stream: a crafted file that sends a reader round a loop.
// When inItself, the cross-reference table puts stream 3 in stream 3;
// else stream 3 does not hold the catalog and says it extends itself.
// encrypted adds an encryption dictionary, which the library resolves as
// it opens the file.
func objStmPdf(inItself, encrypted bool) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n")
	off3 := b.Len()
	body := "5 0 << /Type /Catalog >>"
	b.WriteString("3 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Extends 3 0 R /Length " + strconv.Itoa(len(body)) + " >>\nstream\n" + body + "\nendstream\nendobj\n")
	xoff := b.Len()
	row := func(typ, f2, f3 int) []byte {
		return []byte{byte(typ), byte(f2 >> 24), byte(f2 >> 16), byte(f2 >> 8), byte(f2), byte(f3)}
	}
	rows := append(row(0, 0, 255), row(2, 3, 0)...)
	rows = append(rows, row(1, xoff, 0)...)
	if inItself {
		rows = append(rows, row(2, 3, 1)...)
	} else {
		rows = append(rows, row(1, off3, 0)...)
	}
	enc := ""
	if encrypted {
		enc = " /Encrypt 1 0 R"
	}
	b.WriteString("2 0 obj\n<< /Type /XRef /Size 4 /W [1 4 1] /Root 1 0 R" + enc + " /Length " + strconv.Itoa(len(rows)) + " >>\nstream\n")
	b.Write(rows)
	b.WriteString("\nendstream\nendobj\nstartxref\n" + strconv.Itoa(xoff) + "\n%%EOF\n")
	return b.Bytes()
}

// rawPdf writes a PDF of the objects given, numbered from 1, the first the
// catalog, with a cross-reference table that finds them.
func rawPdf(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offsets []int
	for i, o := range objs {
		offsets = append(offsets, b.Len())
		b.WriteString(strconv.Itoa(i+1) + " 0 obj\n" + o + "\nendobj\n")
	}
	xref := b.Len()
	b.WriteString("xref\n0 " + strconv.Itoa(len(objs)+1) + "\n0000000000 65535 f \n")
	for _, off := range offsets {
		b.WriteString(fmt.Sprintf("%010d 00000 n \n", off))
	}
	b.WriteString("trailer\n<< /Size " + strconv.Itoa(len(objs)+1) + " /Root 1 0 R >>\nstartxref\n" + strconv.Itoa(xref) + "\n%%EOF\n")
	return b.Bytes()
}
