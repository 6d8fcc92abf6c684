package corpus

import (
	"archive/zip"
	"os"
	"strings"
	"testing"
)

// The field notes read as the same document whichever format holds them: a
// text file, a Word document, an OpenDocument text, one paragraph each.
func TestDocumentEveryFormat(t *testing.T) {
	data, err := os.ReadFile("testdata/field-notes.txt")
	if err != nil {
		t.Fatal(err)
	}
	paras := strings.Split(strings.TrimSpace(string(data)), "\n\n")
	var docxBody, odtBody strings.Builder
	for _, p := range paras {
		docxBody.WriteString(para(p))
		odtBody.WriteString(op(p))
	}
	read := func(r Reader, path string, data []byte) *Source {
		t.Helper()
		docs, err := r.Read(Input{Path: path, Data: data})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		checkSpans(t, docs[0])
		return docs[0]
	}
	txt := read(PlainText{}, "field-notes.txt", data)
	for _, d := range []*Source{
		read(Docx{}, "field-notes.docx", makeDocx(t, docxBody.String())),
		read(Odt{}, "field-notes.odt", makeOdt(t, zip.Deflate, odtBody.String())),
	} {
		if !d.IsDocument() || len(d.Turns) != len(paras) {
			t.Errorf("%s: document %v, %d turns, want %d", d.Path, d.IsDocument(), len(d.Turns), len(paras))
			continue
		}
		for i, tu := range d.Turns {
			want := txt.Text[txt.Turns[i].Start:txt.Turns[i].End]
			if got := d.Text[tu.Start:tu.End]; got != want || tu.Speaker != "" {
				t.Errorf("%s: turn %d = %q %q, want %q", d.Path, i+1, tu.Speaker, got, want)
			}
		}
	}
	// One paragraph of notes is a document of one paragraph.
	for _, d := range []*Source{
		read(Docx{}, "notes.docx", makeDocx(t, para("Just one paragraph of notes."))),
		read(Odt{}, "notes.odt", makeOdt(t, zip.Deflate, op("Just one paragraph of notes."))),
	} {
		if !d.IsDocument() || len(d.Turns) != 1 || d.Text[d.Turns[0].Start:d.Turns[0].End] != "Just one paragraph of notes." {
			t.Errorf("%s: %+v", d.Path, d.Turns)
		}
	}
}

// A caption file without voices is stored in qcode's plain form, and that
// text, read back as a text file (as a merge reads it), gives the same
// paragraphs at the same times.
func TestCaptionDocumentReadsBack(t *testing.T) {
	vtt := "WEBVTT\n\n" +
		"00:00:01.000 --> 00:00:04.000\nSo the first thing we noticed on the ward\n\n" +
		"00:00:04.100 --> 00:00:07.000\nwas how few of the charts were in Luo.\n\n" +
		"00:00:09.500 --> 00:00:12.000\nCan I come in there? We did ask for that.\n"
	docs, err := Captions{}.Read(Input{Path: "debrief.vtt", Data: []byte(vtt)})
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	if !d.IsDocument() || len(d.Turns) != 2 {
		t.Fatalf("turns %+v", summarise(d))
	}
	back := readPlain(t, "debrief.txt", d.Text, Options{})
	if back.Text != d.Text || len(back.Turns) != len(d.Turns) {
		t.Fatalf("read back: %+v", summarise(back))
	}
	for i, tu := range back.Turns {
		if tu.Span != d.Turns[i].Span || tu.Begin != d.Turns[i].Begin || tu.Speaker != "" {
			t.Errorf("turn %d read back as %+v, want %+v", i+1, tu, d.Turns[i])
		}
	}
}
