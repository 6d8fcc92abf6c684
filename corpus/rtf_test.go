package corpus

import (
	"archive/zip"
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"qcode"
	"qcode/internal/testenv"
)

// rtfHead is what Word writes before the body of a document: the code
// page, the font, colour and style tables, the document's information, a
// generator and an ignorable destination qcode does not know.
const rtfHead = `{\rtf1\adeflang1025\ansi\ansicpg1252\uc1\adeff31507\deff0\stshfdbch31505\deflang2057\deflangfe2057
{\fonttbl{\f0\fbidi \froman\fcharset0\fprq2{\*\panose 02020603050405020304}Times New Roman;}{\f1\fswiss\fcharset0 Calibri{\*\falt Arial};}}
{\colortbl;\red0\green0\blue0;\red0\green0\blue255;}
{\*\defchp \fs22\lang2057\langfe1033 }
{\stylesheet{\ql \li0\ri0\sa160\sl259\slmult1 \f1\fs22 \snext0 \sqformat \spriority0 Normal;}{\*\cs10 \additive \ssemihidden Default Paragraph Font;}}
{\*\rsidtbl \rsid1330434\rsid2511322}
{\*\generator Microsoft Word 16.0;}{\info{\title Interview P13}{\author Amina Yusuf}{\operator Amina Yusuf}{\creatim\yr2024\mo3\dy14\hr10\min2}}
{\*\xmlnstbl {\xmlns1 http://schemas.microsoft.com/office/word/2003/wordml}}
\paperw11906\paperh16838\margl1440\margr1440\margt1440\margb1440\gutter0\ltrsect
{\header \ltrpar \pard\plain \ql \f1\fs22 Kisumu partnership evaluation \u8211\'96 confidential\par }
{\footer \pard\plain \qc {\field{\*\fldinst {PAGE}}{\fldrslt {1}}}\par }
`

// kisumuRtf is the kisumu interview as Word saves it in RTF: the same
// paragraphs, labels, timestamps and table as the .docx and .odt bodies,
// with what a real file holds around them (a picture, a footnote, a
// comment, a hyperlink field, tracked changes, smart quotes as \u with a
// fallback and as \'hh).
var kisumuRtf = rtfHead + `\pard\plain \ltrpar\s1\ql \b\f1\fs32 Interview P13: Kisumu maternity partnership\par
\pard\plain \ql \f1\fs22 Recorded 14 March 2024, {\field{\*\fldinst {\rtlch HYPERLINK "https://example.org/kcrh" }}{\fldrslt {\ul\cf2 Kisumu County Referral Hospital}}}.\par
{\*\bkmkstart _Toc1}[00:00:05] Interviewer: How did the partnership with Leeds begin?{\*\bkmkend _Toc1}\par
[00:00:12] Grace Atieno: Two midwives came out in 2019.\line They stayed six weeks.{\cs15\super\chftn {\footnote \pard\plain \s16\ql {\cs15\super\chftn } Both from the Leeds General Infirmary.\par }}\par
We {\i argued} about the parto{\*\atrfstart 1}graph{\*\atrfend 1}{\*\atnid AY}{\*\atnauthor Amina Yusuf}\chatn {\*\annotation\pard\plain check the spelling\par } at first.{\deleted\revauth1 They never agreed.}\par
{\*\shppict{\pict\picscalex50\pngblip\bin10 {}{}\\{}\\}}{\nonshppict{\pict\wmetafile8 0a0b0c0d}}[00:01:40] Interviewer: What did you  change?\par
[00:01:47] Grace Atieno:\tab The handover. We write it down now.\par
\trowd \irow0\irowband0\ts11\trgaph108\cellx4513\cellx9026\pard\plain \intbl Shift\cell Midwives\cell \row
\pard\plain [00:02:30] Interviewer: And the Leeds side?\par
[00:02:36] Grace Atieno: They learned to work with less. {\rtlch That was the surprise.}\par
}`

// An interview reads to the same text, header and turns from .rtf as from
// .docx.
func TestRtfSameAsDocx(t *testing.T) {
	_, db := kisumuBodies()
	rdocs, err := Rtf{}.Read(Input{Path: "interviews/P13.rtf", Data: []byte(kisumuRtf)})
	if err != nil {
		t.Fatal(err)
	}
	ddocs, err := Docx{}.Read(Input{Path: "interviews/P13.docx", Data: makeDocx(t, db)})
	if err != nil {
		t.Fatal(err)
	}
	r, d := rdocs[0], ddocs[0]
	if r.Name != "P13" || r.Format != "rtf" {
		t.Errorf("Name, Format = %q, %q; want P13, rtf", r.Name, r.Format)
	}
	if r.Text != d.Text {
		t.Fatalf("text differs:\n rtf %q\ndocx %q", r.Text, d.Text)
	}
	if r.Header != d.Header {
		t.Errorf("header %v, docx's %v", r.Header, d.Header)
	}
	if got, want := turnsOf(r), turnsOf(d); strings.Join(got, "\n") != strings.Join(want, "\n") || len(got) != 6 {
		t.Errorf("turns:\n%s\ndocx's:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	checkTurnSpans(t, r)
}

func TestRtfText(t *testing.T) {
	doc := func(body string) string { return `{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Calibri;}}` + body + `}` }
	tests := []struct{ name, rtf, want string }{
		{"paragraphs and a line break", doc(`\pard Interviewer: Hello.\par Dr Otieno: Hi.\line Again.\par`), "Interviewer: Hello.\n\nDr Otieno: Hi.\nAgain."},
		{"a last paragraph without \\par", doc(`\pard one\par two`), "one\n\ntwo"},
		{"code page escapes", doc(`Caf\'e9, \'a3400 \'96 \'93twinning\'94`), "Café, £400 – “twinning”"},
		{"Cyrillic code page", `{\rtf1\ansi\ansicpg1251 \'cf\'f0\'e8\'e2\'e5\'f2}`, "Привет"},
		{"Shift-JIS: two escapes a character", `{\rtf1\ansi\ansicpg932 \'93\'fa\'96\'7b}`, "日本"},
		{"Mac Roman", `{\rtf1\mac \'8e}`, "é"},
		{"fonts' character sets", `{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fcharset0 Calibri;}{\f1\fcharset161 Arial Greek;}{\f2\fcharset204 Arial Cyr;}}\f1 \'e1\'e2\f0  caf\'e9 {\f2 \'cf\'f0\'e8}\'e9}`, "αβ café Приé"},
		{"\\u with the default fallback skipped", doc(`Ama\u8217?s turn`), "Ama’s turn"},
		{"\\uc2 skips two fallback characters", doc(`{\uc2 \u8220\'93?quoted\u8221\'94?}`), "“quoted”"},
		{"\\uc0: no fallback", doc(`\uc0\u233 t\u233`), "été"},
		{"a fallback that is an escape", doc(`na\u239\'efve`), "naïve"},
		{"a negative \\u", doc(`\u-3913?`), "\uf0b7"},
		{"a surrogate pair", doc(`\uc1\u-10179?\u-8694? smiles`), "😊 smiles"},
		{"the fallback stops at a group's end", doc(`{\uc3\u233 a}b`), "éb"},
		{"escaped braces and backslash", doc(`a \{b\} c\\d`), "a {b} c\\d"},
		{"symbols", doc(`\lquote a\rquote  \ldblquote b\rdblquote  c\emdash d\endash e\~f\_g\-h \bullet`), "‘a’ “b” c—d–e\u00a0f-gh •"},
		{"tabs and spacing", doc(`I\tab  So tell me.`), "I\t So tell me."},
		{"ignorable destinations", doc(`a{\*\unknowndest secret}b{\*\fldinst x}c`), "abc"},
		{"fields keep their result", doc(`see {\field{\*\fldinst HYPERLINK "x"}{\fldrslt the report}} now`), "see the report now"},
		{"binary data holding braces", doc(`a{\pict\bin5 }{\\{}b`), "ab"},
		{"a picture in hexadecimal", doc(`a{\pict\pngblip 89504e47}b`), "ab"},
		{"headers, footers and footnotes", doc(`{\header H}{\footerr F}body{\footnote N}`), "body"},
		{"list numbers Word writes as text", doc(`{\listtext 1.\tab}First\par {\pntext\'b7\tab}Second`), "First\n\nSecond"},
		{"tracked deletions", doc(`kept{\deleted gone} {\deleted1 gone}{\deleted0 back}`), "kept back"},
		{"a table row", doc(`\trowd\cellx1\cellx2\pard\intbl Interviewer\cell What happened?\cell\row\pard after`), "Interviewer | What happened?\n\nafter"},
		{"a cell of two paragraphs", doc(`\trowd\pard\intbl a\par b\cell c\cell\row`), "a b | c"},
		{"empty paragraphs dropped", doc(`\par\par a\par\par\par b\par`), "a\n\nb"},
		{"source line breaks are not text", doc("one\r\ntwo\\\nthree"), "onetwo\n\nthree"},
		{"a byte order mark and leading space", "\xef\xbb\xbf\n" + doc(`x`), "x"},
		{"text after the document is ignored", doc(`a`) + `{b}c`, "a"},
		{"no text", doc(`\par`), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := rtfText("t.rtf", []byte(tc.rtf))
			if err != nil {
				t.Fatalf("rtfText: %v", err)
			}
			if got != tc.want {
				t.Errorf("text:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestRtfErrors(t *testing.T) {
	deep := `{\rtf1 ` + strings.Repeat("{", rtfMaxDepth+1) + strings.Repeat("}", rtfMaxDepth+2)
	tests := []badFile{
		{"plain text", []byte("Interviewer: hello\nDr Otieno: hi\n"), `not an RTF file (it does not start with {\rtf)`},
		{"empty file", nil, "not an RTF file"},
		{"a .docx named .rtf", makeDocx(t, para("x")), "not an RTF file"},
		{"RTF bomb: groups nested deep", []byte(deep), "groups nest more than 1000 deep"},
		{"RTF bomb: a huge \\bin", []byte(`{\rtf1 a{\pict\bin2000000000 xx}}`), `\bin declares 2000000000 bytes`},
		{"a negative \\bin", []byte(`{\rtf1 a\bin-5 x}`), `\bin declares -5 bytes`},
		{"truncated", []byte(`{\rtf1\ansi{\fonttbl{\f0 Arial;}}` + "\nInterviewer: hello\\par\nDr Otieno: hi"), "t.rtf:3: the file ends inside a group (1 left open)"},
		{"an unmatched brace", []byte(`{\rtf1 a}}` + "\n"), ""},
		{"a bad escape", []byte("{\\rtf1 a\n\\'zz}"), `t.rtf:2: \'zz is not a character in hexadecimal`},
		{"too large", append([]byte(`{\rtf1 `), make([]byte, rtfMaxSize)...), "more than the 64 MB of RTF qcode reads"},
		{"no text", []byte(`{\rtf1\ansi{\fonttbl{\f0 Arial;}}\par}`), "the RTF document has no text in its body"},
	}
	// The document's closing brace ends it; a stray one after it is not
	// read, so "an unmatched brace" is no error: it is checked apart.
	if _, err := rtfText("t.rtf", tests[7].data); err != nil {
		t.Errorf("a brace after the document's end: %v", err)
	}
	tests = append(tests[:7], tests[8:]...)
	checkReadErrors(t, Rtf{}, "t.rtf", tests)

	// Notes without speaker labels are no error: a document of paragraphs.
	docs, err := Rtf{}.Read(Input{Path: "notes.rtf", Data: []byte(`{\rtf1 Theatre lists ran late all week.\par Note: ask about the rota.\par The debrief was open.\par}`)})
	if err != nil || !docs[0].IsDocument() || len(docs[0].Turns) != 3 {
		t.Errorf("notes without labels: %+v, %v; want a document of 3 paragraphs", docs, err)
	}
	var e *qcode.Error
	if _, err := rtfText("t.rtf", []byte(`{\rtf1 }}`)); err != nil && !errors.As(err, &e) {
		t.Errorf("error %v is not a *qcode.Error", err)
	}
}

// The .rtf is read when its extension says so, and by format name.
func TestRtfFormat(t *testing.T) {
	checkFormat(t, []byte(kisumuRtf), "P13", "rtf", 6)
}

// checkFormat reads data as name with format's extension, in lower and
// upper case, and as name with format given, and checks each gives a
// source of that format with turns turns.
func checkFormat(t *testing.T, data []byte, name, format string, turns int) {
	t.Helper()
	for _, in := range []struct{ path, format string }{{name + "." + format, ""}, {name + "." + strings.ToUpper(format), ""}, {name, format}} {
		docs, err := Read(Input{Path: in.path, Data: data}, in.format)
		if err != nil {
			t.Fatalf("%s as %q: %v", in.path, in.format, err)
		}
		if docs[0].Format != format || len(docs[0].Turns) != turns {
			t.Errorf("%s as %q: format %q, %d turns; want %s, %d", in.path, in.format, docs[0].Format, len(docs[0].Turns), format, turns)
		}
	}
}

var updateRtf = flag.Bool("update-rtf", false, "rewrite the .rtf fixture the CLI's scripts import")

// rtfFixture is the .rtf that cmd/qcode's scripts import; the test checks
// the committed file is kisumuRtf: go test ./corpus -run RtfFixture
// -update-rtf rewrites it.
const rtfFixture = "../cmd/qcode/testdata/inputs/P13.rtf"

func TestRtfFixture(t *testing.T) {
	checkFixture(t, rtfFixture, []byte(kisumuRtf), *updateRtf, "RtfFixture -update-rtf")
}

// checkFixture checks that the committed fixture at path holds want, after
// writing it there when update is set; run names the test and its flag,
// for the message.
func checkFixture(t *testing.T, path string, want []byte, update bool, run string) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is not what the test builds; run go test ./corpus -run %s", path, run)
	}
}

// When LibreOffice is installed, a .docx it saves as .rtf reads to the
// same text and turns as the .docx: the parser reads what a real writer
// writes, not only what the tests write.
func TestRtfFromLibreOffice(t *testing.T) {
	checkSameAsConverted(t, Rtf{}, "rtf")
}

// checkSameAsConverted has LibreOffice convert the kisumu .docx to format
// and checks that r reads the result to the same text and turns as the
// .docx reads to.
func checkSameAsConverted(t *testing.T, r Reader, format string) {
	t.Helper()
	converted, docx := convertKisumuDocx(t, format)
	cdocs, err := r.Read(Input{Path: "P13." + format, Data: converted})
	if err != nil {
		t.Fatal(err)
	}
	ddocs, err := Docx{}.Read(Input{Path: "P13.docx", Data: docx})
	if err != nil {
		t.Fatal(err)
	}
	if cdocs[0].Text != ddocs[0].Text {
		t.Fatalf("text differs:\n%s %q\ndocx %q", format, cdocs[0].Text, ddocs[0].Text)
	}
	if got, want := turnsOf(cdocs[0]), turnsOf(ddocs[0]); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("turns:\n%s\ndocx's:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// convertKisumuDocx writes the kisumu interview as a .docx, has LibreOffice
// Writer convert it to format, and returns the converted file and the
// .docx. It needs LibreOffice Writer (see testenv.Need).
func convertKisumuDocx(t *testing.T, format string) (converted, docx []byte) {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err == nil {
		// LibreOffice converts text documents only with Writer
		// (libreoffice-writer), which an install may lack.
		if real, err2 := filepath.EvalSymlinks(soffice); err2 == nil {
			_, err = os.Stat(filepath.Join(filepath.Dir(real), "libswlo.so"))
		}
	}
	testenv.Need(t, err, "LibreOffice Writer", "apt-get install libreoffice-writer")
	_, db := kisumuBodies()
	dir := t.TempDir()
	docxPath := filepath.Join(dir, "P13.docx")
	docx = officeDocx(t, db)
	if err := os.WriteFile(docxPath, docx, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")), "--headless", "--convert-to", format, "--outdir", dir, docxPath)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	converted, err = os.ReadFile(filepath.Join(dir, "P13."+format))
	if err != nil {
		t.Fatal(err)
	}
	return converted, docx
}

func FuzzRtf(f *testing.F) {
	f.Add([]byte(kisumuRtf))
	f.Add([]byte(`{\rtf1\ansi\ansicpg932 \'93\'fa{\uc2\u26412\'96\'7b}\par\trowd\pard\intbl a\cell b\cell\row}`))
	f.Add([]byte(`{\rtf1 a{\pict\bin3 {}}{\*\x{\y}}\u-10179?\u-8694?{\field{\*\fldinst x}{\fldrslt y}}}`))
	f.Add([]byte(`{\rtf1{{{{{{}}}}}}\'`))
	f.Add([]byte("Interviewer: hi\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFuzzedDocument(t, Rtf{}, "f.rtf", data, rtfText)
	})
}

// BenchmarkRtf measures reading a 10,000-word interview saved as RTF, to
// its text and turns (not segmented).
func BenchmarkRtf(b *testing.B) {
	var body bytes.Buffer
	body.WriteString(rtfHead)
	words := 0
	for i := 0; words < 10000; i++ {
		q, a := benchTurn(i)
		body.WriteString(`\pard\plain \ql\sa160 Interviewer: ` + q + `\par` + "\n")
		body.WriteString(`\pard\plain \ql\sa160 Grace Atieno: ` + strings.ReplaceAll(a, "’", `\u8217\'92`) + `\par` + "\n")
		words += len(strings.Fields(q)) + len(strings.Fields(a)) + 4
	}
	body.WriteString("}")
	data := body.Bytes()
	docs, err := Rtf{}.Read(Input{Path: "P13.rtf", Data: data})
	if err != nil || len(docs[0].Turns) < 100 {
		b.Fatalf("%v", err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := (Rtf{}).Read(Input{Path: "P13.rtf", Data: data}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(words)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
}

// benchTurn returns the i-th question and answer of a long interview
// about a health partnership, for the readers' benchmarks.
func benchTurn(i int) (q, a string) {
	qs := []string{
		"How did the partnership with Leeds begin?",
		"What did the visiting midwives change on the ward?",
		"Who decided what the grant would pay for?",
		"What was hard about working across the two hospitals?",
	}
	as := []string{
		"Two midwives came out in 2019 and stayed six weeks. We argued about the partograph at first, because our charts were kept differently, but by the end we had one way of doing it that both sides trusted.",
		"The handover mostly. We write it down now, at the bedside, and the night staff read it back. Before that it was in people’s heads, and when someone went off sick it was lost.",
		"The steering group in Leeds held the money, and we learned to ask early. The second year we wrote the plan together, which made a difference to what we bought and to who owned it.",
		"Time, and the internet. Calls dropped, emails went unanswered for weeks, and people moved on. The partnership lived in a few people, and when they left it nearly stopped.",
	}
	return qs[i%len(qs)], as[i%len(as)]
}

// officeDocx builds a .docx of bodyXML with the package parts Word writes,
// which LibreOffice wants and the reader does without, and Word's default
// paragraph spacing (8 pt after, lines at 1.08), so that what LibreOffice
// makes of it is laid out as a Word document is.
func officeDocx(tb testing.TB, bodyXML string) []byte {
	tb.Helper()
	return makeZip(tb, zip.Deflate, map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`,
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/_rels/document.xml.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
		"word/styles.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="22"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults></w:styles>`,
		"word/document.xml": docxHead + bodyXML + docxTail,
	})
}
