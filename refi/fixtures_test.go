package refi

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qcode/coding"
	"qcode/corpus"
	"qcode/exchange"
)

// zipDir packs a fixture folder (project.qde and sources/) as a .qdpx.
func zipDir(t *testing.T, dir string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), filepath.Base(dir)+".qdpx")
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// readBoth reads a fixture as a .qde beside its sources folder and as a
// .qdpx, and checks both give the same project.
func readBoth(t *testing.T, dir string) (*exchange.Project, []string) {
	t.Helper()
	p, notes, err := ReadFile(filepath.Join(dir, "project.qde"))
	if err != nil {
		t.Fatal(err)
	}
	z, znotes, err := ReadFile(zipDir(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	if len(z.Codings) != len(p.Codings) || len(z.Sources) != len(p.Sources) || strings.Join(znotes, "|") != strings.Join(notes, "|") {
		t.Errorf("the .qdpx reads otherwise than the .qde with its folder")
	}
	for i := range p.Sources {
		if z.Sources[i].Text != p.Sources[i].Text {
			t.Errorf("source %s reads otherwise from the zip", p.Sources[i].Name)
		}
	}
	return p, notes
}

func spanText(t *testing.T, p *exchange.Project, c exchange.Coding) string {
	t.Helper()
	for _, s := range p.Sources {
		if s.Name == c.Source {
			return string([]rune(s.Text)[c.Start:c.End])
		}
	}
	t.Fatalf("coding on unknown source %s", c.Source)
	return ""
}

// MAXQDA's shape: byte order marks on the XML and the texts, CRLF line
// ends in the XML, users with ids, nested codes with short colours and an
// uncodable parent, positions in UTF-16 units, a span counting a newline
// the text lacks, a newline MAXQDA added at the end of a text, document
// variables on the sources, a Boolean variable.
func TestMAXQDAShape(t *testing.T) {
	p, notes := readBoth(t, filepath.Join("testdata", "maxqda"))
	if p.Name != "Ghana twinning" || len(p.Users) != 2 || p.Users[0].Name != "Akosua Mensah" {
		t.Errorf("project %q users %+v", p.Name, p.Users)
	}
	if strings.HasSuffix(p.Sources[1].Text, "\n") || !strings.HasSuffix(p.Sources[1].Text, "professors.") {
		t.Errorf("Efua's text ends %q", p.Sources[1].Text[len(p.Sources[1].Text)-12:])
	}
	if strings.HasPrefix(p.Sources[0].Text, "\uFEFF") || !strings.HasPrefix(p.Sources[0].Text, "Interviewer: Tell me") {
		t.Errorf("the byte order mark stayed: %q", p.Sources[0].Text[:12])
	}
	want := map[string]string{
		"surprise":         "nobody at the hospital expected us",
		"everyday_rituals": "The ward sister gave us tea and a timetable",
		"hospitality":      "The ward sister gave us tea and a timetable",
		"funding_delays":   "Money came later, in small grants 💷, and always late.",
		"length_of_stay":   "Two weeks is tourism 🙂.",
		"who_travels":      "send the nurses, not only the professors",
	}
	if len(p.Codings) != len(want) {
		t.Errorf("%d codings, want %d", len(p.Codings), len(want))
	}
	for _, c := range p.Codings {
		if got := spanText(t, p, c); got != want[c.Code] {
			t.Errorf("%s codes %q, want %q", c.Code, got, want[c.Code])
		}
	}
	if c := p.Codings[2]; c.Coder != "Akosua Mensah" || c.Code != "hospitality" || c.Origin != coding.OriginManual || c.CreatedAt.Hour() != 11 {
		t.Errorf("second coding of a selection: %+v", c)
	}
	cb := p.Codebook
	if r := cb.Code("everyday_rituals"); r == nil || r.Parent.ID != "hospitality" || r.Color != "#ff8800" || r.Description != "Tea, timetables, small courtesies." {
		t.Errorf("everyday rituals: %+v", r)
	}
	if cb.Code("resources") == nil || cb.Code("funding_delays").Parent != cb.Code("resources") {
		t.Errorf("an uncodable parent code was lost")
	}
	wantAttrs := []corpus.Attribute{
		{Name: "Role", Type: corpus.AttrText, Value: "ward manager"},
		{Name: "Visits", Type: corpus.AttrNumber, Value: "4"},
		{Name: "Interview date", Type: corpus.AttrDate, Value: "2024-10-28"},
		{Name: "Consent", Type: corpus.AttrText, Value: "true"},
	}
	if !attrsEqual(p.Sources[0].Attributes, wantAttrs) || p.Sources[0].Case != "" {
		t.Errorf("attributes %+v case %q", p.Sources[0].Attributes, p.Sources[0].Case)
	}
	joined := strings.Join(notes, "\n")
	for _, w := range []string{
		"Kofi (Kumasi): positions counted in UTF-16 units, as the selected text shows",
		"Efua (Tamale): positions counted in UTF-16 units",
		"Kofi (Kumasi): a trailing newline the exporting tool counted but did not write was dropped",
		"Efua (Tamale): a trailing newline MAXQDA added was dropped",
	} {
		if !strings.Contains(joined, w) {
			t.Errorf("notes lack %q:\n%s", w, joined)
		}
	}
}

// ATLAS.ti's shape: attributes in any order, upper-case GUIDs, a rich
// text beside the plain one, codes named Parent::Child, a quotation with a
// comment and two codes, a UTF-16 text file, cases holding a PDF qcode
// skips, notes on a source, a code and a quotation, a free note, links
// and sets.
func TestATLASShape(t *testing.T) {
	p, notes := readBoth(t, filepath.Join("testdata", "atlas"))
	if len(p.Sources) != 2 || p.Sources[1].Text[:2] != "Q:" {
		t.Fatalf("sources %+v", p.Sources)
	}
	for _, s := range p.Sources {
		if s.Case != "Mbarara Regional Referral Hospital" || len(s.Attributes) != 3 || s.Attributes[1].Value != "47.5" || s.Attributes[2].Value != "2019-09-01" {
			t.Errorf("%s: case %q attributes %+v", s.Name, s.Case, s.Attributes)
		}
	}
	c := p.Codings[0]
	if c.Code != "power_agenda_setting" || c.Memo != "Classic agenda setting from the north." || c.Coder != "Rosa Kintu" ||
		spanText(t, p, c) != "The committee in London 🇬🇧 decided, and we were told afterwards." {
		t.Errorf("first quotation: %+v %q", c, spanText(t, p, c))
	}
	if got := spanText(t, p, p.Codings[1]); got != "Since 2021 we co-chair the board. Decisions take longer but they stick 👍." || p.Codings[2].Code != "sustainability" {
		t.Errorf("second quotation: %q, %+v", got, p.Codings[2])
	}
	if got := spanText(t, p, p.Codings[3]); got != "Improvisation. Réutiliser, réparer" {
		t.Errorf("the UTF-16 text's quotation: %q", got)
	}
	kinds := map[string]coding.Memo{}
	for _, m := range p.Memos {
		kinds[m.Text] = m.Memo
	}
	if m := kinds["Recorded by phone; the line dropped twice.\n"]; m.Kind != coding.MemoSource || m.Source != "Nakato interview.docx" || m.Coder != "Rosa Kintu" || m.UpdatedAt.Minute() != 30 {
		t.Errorf("source memo %+v", m)
	}
	if m := kinds["Compare with the 2017 minutes."]; m.Kind != coding.MemoCoding || m.Code != "power_shared_governance" || m.CodingCoder != "Ben Okello" || m.Start != p.Codings[1].Start {
		t.Errorf("coding memo %+v", m)
	}
	if m := kinds["Maybe merge with priority setting."]; m.Kind != coding.MemoCode || m.Code != "power_agenda_setting" {
		t.Errorf("code memo %+v", m)
	}
	if m := kinds["Day one: ethics approval arrived."]; m.Kind != "project" {
		t.Errorf("free note %+v", m)
	}
	joined := strings.Join(notes, "\n")
	for _, w := range []string{"PDFSource MoU 2019.pdf", "which has 2 codings; qcode keeps it on the first", "Research diary"} {
		if !strings.Contains(joined, w) {
			t.Errorf("notes lack %q:\n%s", w, joined)
		}
	}
	if strings.Contains(joined, "UTF-16 units") {
		t.Errorf("positions in code points were taken for UTF-16 units:\n%s", joined)
	}
}

// A project with no sources at all, as a tool exports a bare codebook.
func TestEmptySources(t *testing.T) {
	qde := `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Codes only" origin="QualCoder 3.5">
  <CodeBook><Codes><Code guid="b0c1d2e3-f405-4617-8829-3a4b5c6d7e8f" name="Trust" isCodable="true"/></Codes></CodeBook>
  <Sources/>
</Project>`
	path := writeZip(t, map[string]string{"project.qde": qde})
	p, notes, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Sources) != 0 || len(notes) != 0 || p.Codebook.Code("trust") == nil || p.Codebook.Code("trust").GUID != "b0c1d2e3-f405-4617-8829-3a4b5c6d7e8f" {
		t.Errorf("project %+v notes %q", p, notes)
	}
}
