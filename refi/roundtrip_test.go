package refi

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
	"qcode/exchange"
	"qcode/internal/testenv"
)

// at is a time on the day of the interviews.
func at(hh, mm int) time.Time { return time.Date(2025, 3, 14, hh, mm, 0, 0, time.UTC) }

const interviewA = "Interviewer: How did the partnership with the district hospital start?\n" +
	"Amara: It started over coffee ☕ with the médecin-chef. We had no memorandum, only trust.\n" +
	"Amara: Later the ministry wanted everything signed 📝 and governance slowed us down.\n"

const interviewB = "Interviewer: What made the exchange work?\n" +
	"José: Humility. The visiting surgeons listened before they taught 🙏.\n" +
	"José: Funding was the weak point; every grant ended after eighteen months.\n"

// healthProject is a small project about health partnerships with every
// kind of thing a project exchanges: nested codes, two coders and the
// rules, memos of every kind, typed attributes, emoji and accents.
func healthProject() *exchange.Project {
	trust := &codebook.Code{ID: "trust", Name: "Trust", Description: "Relationships that rest on personal trust.", Color: "#4E79A7", Negation: codebook.NegationSkip, Rule: "trust OR coffee"}
	governance := &codebook.Code{ID: "governance", Name: "Governance", Description: "Formal approval, signatures, committees.", Negation: codebook.NegationSkip, Rule: "governance OR signed", Include: "Paperwork that slows a change.", Examples: []string{"Governance would never sign it off."}}
	barriers := &codebook.Code{ID: "barriers", Name: "Barriers", Color: "#E15759", Negation: codebook.NegationSkip, Codes: []*codebook.Code{governance}}
	governance.Parent = barriers
	funding := &codebook.Code{ID: "funding", Name: "Funding gaps", Negation: codebook.NegationSkip, GUID: "7A1C0F3E-2B4D-4E5F-8A6B-9C0D1E2F3A4B", Parent: barriers}
	barriers.Codes = append(barriers.Codes, funding)
	humility := &codebook.Code{ID: "humility", Name: "Humilité", Description: "Listening before teaching — «écouter».", Negation: codebook.NegationSkip}
	cb := &codebook.Codebook{Name: "Partnerships", Description: "Codes for the twinning interviews.", Match: codebook.MatchExact,
		Negation: codebook.Negation{Window: codebook.DefaultNegationWindow}, Codes: []*codebook.Code{trust, barriers, humility}}

	span := func(text, s string) (int, int) {
		i := strings.Index(text, s)
		start := len([]rune(text[:i]))
		return start, start + len([]rune(s))
	}
	a1, a2 := span(interviewA, "It started over coffee ☕ with the médecin-chef")
	a3, a4 := span(interviewA, "the ministry wanted everything signed 📝 and governance slowed us down")
	b1, b2 := span(interviewB, "The visiting surgeons listened before they taught 🙏.")
	b3, b4 := span(interviewB, "Funding was the weak point")
	return &exchange.Project{
		Name:     "Health partnerships 2025",
		Codebook: cb,
		Users: []exchange.User{
			{GUID: "0B6E6C43-8F0A-4F3C-9E55-3D2C1B0A9F8E", Name: "amelie"},
			{Name: "tomas"},
			{Name: coding.RulesCoder, Rules: true},
		},
		Sources: []exchange.Source{
			{Name: "P01", Text: interviewA, Format: "docx", Case: "Amara", CreatedAt: at(9, 0), Attributes: []corpus.Attribute{
				{Name: "role", Type: corpus.AttrText, Value: "nurse manager"},
				{Name: "years", Type: corpus.AttrNumber, Value: "12"},
				{Name: "interviewed", Type: corpus.AttrDate, Value: "2025-02-03"},
				{Name: "share", Type: corpus.AttrNumber, Value: "0.75"},
			}},
			{Name: "P02", Text: interviewB, Format: "txt", Attributes: []corpus.Attribute{
				{Name: "role", Type: corpus.AttrText, Value: "surgeon"},
				{Name: "years", Type: corpus.AttrNumber, Value: "3"},
				{Name: "interviewed", Type: corpus.AttrDate, Value: ""},
				{Name: "share", Type: corpus.AttrNumber, Value: "1"},
			}},
			{Name: "P03 notes", Text: "Field notes, no codes yet.\r\nSecond line.", CreatedAt: at(11, 30)},
			// Amara again, a year on: the same case, attributes of its own.
			{Name: "P01 follow-up", Text: "Amara: The memorandum is signed now. Nothing moves faster.\n", Format: "txt", Case: "Amara", Attributes: []corpus.Attribute{
				{Name: "role", Type: corpus.AttrText, Value: "matron"},
				{Name: "years", Type: corpus.AttrNumber, Value: "13"},
			}},
		},
		Codings: []exchange.Coding{
			{Source: "P01", Start: a1, End: a2, Code: "trust", Coder: "amelie", Origin: coding.OriginManual, CreatedAt: at(10, 1), Memo: "Informal start."},
			{Source: "P01", Start: a1, End: a2, Code: "trust", Coder: coding.RulesCoder, Origin: coding.OriginRules, CreatedAt: at(10, 0)},
			{Source: "P01", Start: a3, End: a4, Code: "governance", Coder: "tomas", Origin: coding.OriginSearch, CreatedAt: at(10, 5)},
			{GUID: "5D4C3B2A-1F0E-4D9C-8B7A-6F5E4D3C2B1A", Source: "P02", Start: b1, End: b2, Code: "humility", Coder: "tomas", Origin: coding.OriginImport, CreatedAt: at(10, 7)},
			{Source: "P02", Start: b3, End: b4, Code: "funding", Coder: "amelie", Origin: coding.OriginManual, CreatedAt: at(10, 9)},
		},
		Memos: []exchange.Memo{
			{Memo: coding.Memo{Kind: coding.MemoSource, Source: "P01", Coder: "amelie", CreatedAt: at(12, 0), UpdatedAt: at(12, 5), Text: "Recorded in the hospital canteen; noisy."}},
			{GUID: "9E8D7C6B-5A4F-4E3D-8C2B-1A0F9E8D7C6B", Memo: coding.Memo{Kind: coding.MemoCode, Code: "governance", Coder: "tomas", CreatedAt: at(12, 10), UpdatedAt: at(12, 10), Text: "Split into ministry & hospital?"}},
			{Memo: coding.Memo{Kind: coding.MemoCoding, Source: "P01", Code: "trust", Start: a1, End: a2, CodingCoder: "amelie", Coder: "amelie", CreatedAt: at(12, 20), UpdatedAt: at(12, 20), Text: "Coffee ☕ as method.\nSecond line <b>not markup</b>."}},
			{Memo: coding.Memo{Kind: "project", Coder: "amelie", CreatedAt: at(13, 0), UpdatedAt: at(13, 0), Text: "Twinning study, first round."}},
		},
		// Framework summaries: Notes on the project, read back as
		// summaries; one by a coder who wrote nothing else.
		Summaries: []coding.Summary{
			{Case: "Amara", Theme: "barriers", Coder: "amelie", CreatedAt: at(14, 0), UpdatedAt: at(14, 30), Text: "Trust first, then paperwork — «signed» (P01:40-110) -- slowed it."},
			{Case: "José", Theme: "humility", Coder: "zoé", CreatedAt: at(14, 5), UpdatedAt: at(14, 5), Text: "Listening <before> teaching 🙏"},
		},
	}
}

// wantRead is what reading p back gives: every GUID filled in, From set.
func wantRead(t *testing.T, p *exchange.Project, path string, data []byte) *exchange.Project {
	t.Helper()
	pl, err := plan(p)
	if err != nil {
		t.Fatal(err)
	}
	w := *p
	w.From = path
	w.Users = pl.users
	w.Sources = append([]exchange.Source(nil), p.Sources...)
	for i := range w.Sources {
		w.Sources[i].GUID = pl.sourceGUID[i]
	}
	w.Codings = append([]exchange.Coding(nil), p.Codings...)
	for i := range w.Codings {
		w.Codings[i].GUID = pl.codingGUID[i]
	}
	w.Memos = append([]exchange.Memo(nil), p.Memos...)
	for i := range w.Memos {
		w.Memos[i].GUID = pl.memoGUID[i]
	}
	return &w
}

func TestRoundTrip(t *testing.T) {
	p := healthProject()
	path := filepath.Join(t.TempDir(), "health.qdpx")
	if err := WriteFile(path, p, at(18, 0)); err != nil {
		t.Fatal(err)
	}
	got, notes, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 0 {
		t.Errorf("notes on qcode's own export: %q", notes)
	}
	want := wantRead(t, p, path, nil)
	if !reflect.DeepEqual(got.Codebook, want.Codebook) {
		var g, w bytes.Buffer
		codebook.WriteQDC(&g, got.Codebook)
		codebook.WriteQDC(&w, want.Codebook)
		t.Errorf("codebook differs:\n%s\nwant\n%s", g.String(), w.String())
	}
	got.Codebook, want.Codebook = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", got, want)
	}
}

func TestExportIsStable(t *testing.T) {
	var a, b, c bytes.Buffer
	if err := Write(&a, healthProject(), at(18, 0)); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b, healthProject(), at(18, 0)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two exports at the same time differ")
	}
	if err := Write(&c, healthProject(), at(19, 30)); err != nil {
		t.Fatal(err)
	}
	ea, ec := entries(t, a.Bytes()), entries(t, c.Bytes())
	if len(ea) != len(ec) {
		t.Fatalf("entries %d and %d", len(ea), len(ec))
	}
	for name, data := range ea {
		other := ec[name]
		if name == projectQDE {
			data = bytes.Replace(data, []byte("2025-03-14T18:00:00Z"), []byte("T"), 1)
			other = bytes.Replace(other, []byte("2025-03-14T19:30:00Z"), []byte("T"), 1)
		}
		if !bytes.Equal(data, other) {
			t.Errorf("%s differs apart from the export time", name)
		}
	}
}

func entries(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = b
	}
	return out
}

// TestExportValidates checks project.qde against the standard's schema
// with xmllint; in CI xmllint must be there.
func TestExportValidates(t *testing.T) {
	xsd := filepath.Join("..", "..", "shared", "refi-qda", "Project-mrt2019.xsd")
	_, err := exec.LookPath("xmllint")
	testenv.Need(t, err, "xmllint", "apt-get install libxml2-utils")
	_, err = os.Stat(xsd)
	testenv.Need(t, err, "the REFI-QDA schema", "put ../shared beside the checkout")
	projects := map[string]*exchange.Project{"health": healthProject()}
	for _, dir := range []string{"maxqda", "atlas"} {
		p, _, err := ReadFile(filepath.Join("testdata", dir, "project.qde"))
		if err != nil {
			t.Fatal(err)
		}
		projects[dir] = p
	}
	for name, p := range projects {
		var buf bytes.Buffer
		if err := Write(&buf, p, at(18, 0)); err != nil {
			t.Fatal(err)
		}
		qde := filepath.Join(t.TempDir(), projectQDE)
		if err := os.WriteFile(qde, entries(t, buf.Bytes())[projectQDE], 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("xmllint", "--noout", "--schema", xsd, qde).CombinedOutput()
		if err != nil {
			t.Errorf("%s: project.qde does not validate: %v\n%s", name, err, out)
		}
	}
}

// Projects from other tools come back from qcode's export as they were
// read, GUIDs and all.
func TestForeignRoundTrip(t *testing.T) {
	for _, dir := range []string{"maxqda", "atlas"} {
		p, _, err := ReadFile(filepath.Join("testdata", dir, "project.qde"))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), dir+".qdpx")
		if err := WriteFile(path, p, at(18, 0)); err != nil {
			t.Fatal(err)
		}
		back, notes, err := ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(notes) != 0 {
			t.Errorf("%s: notes on the way back: %q", dir, notes)
		}
		back.From = p.From
		if !reflect.DeepEqual(back.Codebook, p.Codebook) {
			t.Errorf("%s: the codebook changed", dir)
		}
		back.Codebook, p.Codebook = nil, nil
		if !reflect.DeepEqual(back, p) {
			t.Errorf("%s: round trip differs:\n got %+v\nwant %+v", dir, back, p)
		}
	}
}

// A project that cannot be written leaves the file it would replace as it
// was, and no temporary file beside it.
func TestWriteFileWholeOrNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "health.qdpx")
	if err := WriteFile(path, healthProject(), at(18, 0)); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	bad := healthProject()
	bad.Codings[0].End = 10_000
	err := WriteFile(path, bad, at(19, 0))
	if err == nil || err.Error() != "a coding of trust on P01 spans 78-10000, outside the source's 244 characters" {
		t.Errorf("err = %v", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("a failed export changed the file")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("files beside the export: %v", ents)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", st.Mode())
	}
}

func TestWriteRefuses(t *testing.T) {
	cases := []struct {
		name string
		edit func(p *exchange.Project)
		want string
	}{
		{"unknown code", func(p *exchange.Project) { p.Codings[0].Code = "hope" }, "a coding on P01:78-124 names code hope, which the codebook lacks"},
		{"unknown source", func(p *exchange.Project) { p.Codings[0].Source = "P09" }, "a coding of trust names source P09, which the project does not hold"},
		{"two sources alike", func(p *exchange.Project) { p.Sources[1].Name = "P01" }, "two sources are named P01; source names must be unique"},
		{"memo on a coding the project lacks", func(p *exchange.Project) { p.Memos[2].CodingCoder = "tomas" }, "a memo describes the coding trust on P01:78-124 by tomas, which the project does not hold"},
		{"control character", func(p *exchange.Project) { p.Memos[0].Text = "bell \a" }, "memo on P01 holds the character U+0007, which XML cannot carry; remove it"},
		{"attribute of two types", func(p *exchange.Project) { p.Sources[1].Attributes[1].Type = corpus.AttrText }, "attribute years is number on one source and text on P02; give it one type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := healthProject()
			tc.edit(p)
			err := Write(io.Discard, p, at(18, 0))
			if err == nil || err.Error() != tc.want {
				t.Errorf("err = %v\nwant %s", err, tc.want)
			}
		})
	}
}
