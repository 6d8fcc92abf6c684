package app_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"qcode"
	"qcode/app"
)

// sampleProject makes a project of the first n sample interviews, coded by
// the rules, and returns it open for writing with the sample.
func sampleProject(t *testing.T, n int) (*app.Project, *app.Sample) {
	t.Helper()
	ctx := context.Background()
	p, sample := emptyProject(t)
	if _, err := p.Import(ctx, app.ImportOptions{Files: sample.Files[:n], Attributes: sample.Cases}, nil); err == nil {
		t.Fatal("cases.csv names cases not imported, yet the import went through")
	}
	if _, err := p.Import(ctx, app.ImportOptions{Files: sample.Files[:n]}, nil); err != nil {
		t.Fatal(err)
	}
	return p, sample
}

// emptyProject writes the sample and makes a project beside it, with
// nothing imported, and returns it open for writing with the sample.
func emptyProject(t *testing.T) (*app.Project, *app.Sample) {
	t.Helper()
	tmp := t.TempDir()
	sample, err := app.WriteSample(filepath.Join(tmp, "sample"))
	if err != nil {
		t.Fatal(err)
	}
	return newProject(t, filepath.Join(tmp, "study")), sample
}

// newProject makes an empty project in dir and opens it for writing.
func newProject(t *testing.T, dir string) *app.Project {
	t.Helper()
	ctx := context.Background()
	if _, err := app.Init(ctx, dir); err != nil {
		t.Fatal(err)
	}
	p, err := app.Open(ctx, app.Options{Dir: dir, Command: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func TestImportChecksEveryFileFirst(t *testing.T) {
	p, sample := sampleProject(t, 2)
	ctx := context.Background()
	bad := filepath.Join(t.TempDir(), "P99.txt")
	if err := os.WriteFile(bad, []byte("Interviewer: So how did it start?\nDr Asante: In 2019 — with one visit.\nInterviewer: And then?\nDr Asante: The caf\xe9 meetings.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A good file before a bad one: with AllOrNothing neither is written.
	_, err := p.Import(ctx, app.ImportOptions{Files: []string{sample.Files[2], bad}, AllOrNothing: true}, nil)
	if qcode.ErrorCode(err) != qcode.EINVALID {
		t.Fatalf("import with a bad file: %v", err)
	}
	names, err := p.SourceNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, []string{"P01", "P02"}) {
		t.Errorf("sources after a refused import: %v", names)
	}
}

// TestImportWhatItCan imports a folder of transcripts holding an empty
// file, field notes without speaker labels, a scanned picture and a
// transcript saved as Windows-1252: the good files import (the notes as a
// document), the empty one is reported and the picture skipped.
func TestImportWhatItCan(t *testing.T) {
	p, sample := emptyProject(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "interviews")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range sample.Files[:3] {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		"P99.txt":           "",
		"visit-notes.txt":   "Notes from the Kampala site visit, no speakers at all.\n\nNote: the theatre was short of gloves.\n\nThe debrief was open.\n\nNote: ask about the rota.\n\nWe left the spare suture kits.\n\nThe coordinator will write in March.\n\nNothing else was recorded.\n",
		"consent-forms.jpg": "\xff\xd8\xff\xe0\x00\x10JFIF\x00",
		// Saved by an old Windows editor: curly quotes as 0x93 and 0x94.
		"P07.txt": "Interviewer: What did the partnership pay for?\nDr Okafor: The \x93twinning\x94 visits, \xA3400 each way.\n" +
			"Interviewer: Was that worth it?\nDr Okafor: For the nurses, yes \x96 they still write to each other.\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// All or nothing: the empty file refuses the lot.
	_, err := p.Import(ctx, app.ImportOptions{Files: []string{dir}, AllOrNothing: true}, nil)
	if qcode.ErrorCode(err) != qcode.EINVALID || !strings.Contains(err.Error(), "P99.txt") {
		t.Fatalf("all or nothing with an empty file: %v", err)
	}
	if names, _ := p.SourceNames(ctx); len(names) != 0 {
		t.Fatalf("all or nothing wrote %v", names)
	}

	// Attributes naming cases that do not import write nothing, and the
	// report still says which file failed.
	rep, err := p.Import(ctx, app.ImportOptions{Files: []string{dir}, Attributes: sample.Cases}, nil)
	if err == nil || rep == nil || len(rep.Failed) != 1 || len(rep.Files) != 0 {
		t.Fatalf("attributes naming cases not imported: %+v, %v", rep, err)
	}
	if names, _ := p.SourceNames(ctx); len(names) != 0 {
		t.Fatalf("an attribute error wrote %v", names)
	}

	rep, err = p.Import(ctx, app.ImportOptions{Files: []string{dir}}, nil)
	if qcode.ErrorCode(err) != qcode.EINVALID || !strings.Contains(err.Error(), "P99.txt: file is empty") {
		t.Fatalf("import with an empty file: %v", err)
	}
	if rep == nil {
		t.Fatal("no report with the error")
	}
	var imported []string
	for _, f := range rep.Files {
		imported = append(imported, filepath.Base(f.File)+"="+f.Encoding)
		if r := f.Sources[0]; r.Document != (r.Name == "visit-notes") || r.Document && (len(r.Speakers) != 0 || r.Counts.Turns != 7) {
			t.Errorf("%s: document %v, speakers %q, %d turns", r.Name, r.Document, r.Speakers, r.Counts.Turns)
		}
	}
	if !slices.Equal(imported, []string{"P01.txt=", "P02.txt=", "P03.txt=", "P07.txt=Windows-1252", "visit-notes.txt="}) {
		t.Errorf("imported: %v", imported)
	}
	if len(rep.Failed) != 1 || filepath.Base(rep.Failed[0].File) != "P99.txt" || rep.Failed[0].Code != qcode.EINVALID || !strings.Contains(rep.Failed[0].Error, "P99.txt") {
		t.Errorf("failed: %+v", rep.Failed)
	}
	if len(rep.Skipped) != 1 || filepath.Base(rep.Skipped[0]) != "consent-forms.jpg" {
		t.Errorf("skipped: %v", rep.Skipped)
	}
	names, err := p.SourceNames(ctx)
	if err != nil || !slices.Equal(names, []string{"P01", "P02", "P03", "P07", "visit-notes"}) {
		t.Errorf("sources: %v, %v", names, err)
	}
	seg, err := p.Search(ctx, app.SearchOptions{Query: "twinning"})
	if err != nil || len(seg.Hits) == 0 {
		t.Errorf("the search index does not hold what was imported: %+v, %v", seg, err)
	}

	// A picture named on its own is a failure, as a folder's unreadable file is.
	_, err = p.Import(ctx, app.ImportOptions{Files: []string{filepath.Join(dir, "consent-forms.jpg"), sample.Files[3]}}, nil)
	if qcode.ErrorCode(err) != qcode.EINVALID || !strings.Contains(err.Error(), "consent-forms.jpg") {
		t.Errorf("a named picture: %v", err)
	}
	if names, _ := p.SourceNames(ctx); !slices.Contains(names, "P04") {
		t.Errorf("the good file named beside a picture was not imported: %v", names)
	}
}

func TestAddCodingNamesTheField(t *testing.T) {
	p, _ := sampleProject(t, 1)
	ctx := context.Background()
	_, err := p.AddCoding(ctx, app.CodingOptions{Segment: "P01:s3", Code: "humilty", Coder: "amina"})
	var e *qcode.Error
	if !errors.As(err, &e) || e.Code != qcode.ENOTFOUND || e.Field != "code" || e.Value != "humilty" || !slices.Contains(e.Near, "humility") {
		t.Fatalf("unknown code: %#v", err)
	}
	res, err := p.AddCoding(ctx, app.CodingOptions{Segment: "P01:s3", Code: "humility", Coder: "amina", Memo: "modest about it"})
	if err != nil || !res.Changed || res.Coding.Coder != "amina" || res.Coding.Memo != "modest about it" {
		t.Fatalf("add: %+v, %v", res, err)
	}
	again, err := p.AddCoding(ctx, app.CodingOptions{Segment: "P01:s3", Code: "humility", Coder: "amina"})
	if err != nil || again.Changed {
		t.Fatalf("adding the same coding again: %+v, %v", again, err)
	}
	l, err := p.ListCodings(ctx, app.ListOptions{Coder: "amina"})
	if err != nil || len(l.Codings) != 1 || l.Path("humility") == "humility" {
		t.Fatalf("list: %+v, %v", l, err)
	}
	if _, err := p.RemoveCoding(ctx, app.CodingOptions{Segment: "P01:s3", Code: "humility", Coder: "amina"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ListCodings(ctx, app.ListOptions{Coder: "amina"}); err == nil {
		t.Error("amina has no codings left, yet listing hers is no error")
	}
}

func TestCodeDryRunWritesNothing(t *testing.T) {
	p, _ := sampleProject(t, 2)
	ctx := context.Background()
	dry, err := p.Code(ctx, app.CodeOptions{DryRun: true})
	if err != nil || dry.Added == 0 || !dry.DryRun {
		t.Fatalf("dry run: %+v, %v", dry, err)
	}
	a, err := p.Analysis(ctx, app.AllCoders)
	if err != nil || a.CodingCount() != 0 {
		t.Fatalf("after a dry run: %v codings, %v", a.CodingCount(), err)
	}
	run, err := p.Code(ctx, app.CodeOptions{Unit: "turn"})
	if err != nil || run.Added == 0 || run.Unit != "turn" {
		t.Fatalf("run: %+v, %v", run, err)
	}
	if _, err := p.Code(ctx, app.CodeOptions{Unit: "chapter"}); qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("unknown unit: %v", err)
	}
}

func TestAgreementChecksOptionsFirst(t *testing.T) {
	for _, c := range []struct {
		o     app.AgreementOptions
		field string
	}{
		{app.AgreementOptions{Unit: "sentence", Coders: []string{"amina"}}, "coders"},
		{app.AgreementOptions{Unit: "sentence", Coders: []string{"amina", "amina"}}, "coders"},
		{app.AgreementOptions{Unit: "sentence", Coders: []string{"amina", "ben"}, Bootstrap: -1}, "bootstrap"},
		{app.AgreementOptions{Unit: "sentence", Coders: []string{"amina", "ben"}, Level: "interval"}, "level"},
	} {
		_, err := c.o.Check()
		var e *qcode.Error
		if !errors.As(err, &e) || e.Field != c.field || e.Code != qcode.EINVALID {
			t.Errorf("%+v: %v, want an error about %s", c.o, err, c.field)
		}
	}
}

func TestRejectAndAcceptCoding(t *testing.T) {
	p, _ := sampleProject(t, 1)
	ctx := context.Background()
	if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
		t.Fatal(err)
	}
	l, err := p.ListCodings(ctx, app.ListOptions{Origin: "rules"})
	if err != nil || len(l.Codings) == 0 {
		t.Fatalf("the rules coded nothing: %v", err)
	}
	first := l.Codings[0]
	o := app.CodingOptions{Segment: first.Segment(), Code: first.Code, Coder: "amina"}
	if err := (app.CodingOptions{Segment: "P01:x3", Code: first.Code}).Check(); qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("Check of a bad segment: %v", err)
	}
	if _, err := p.RejectCoding(ctx, app.CodingOptions{Segment: first.Segment(), Code: "no_such_code", Coder: "amina"}); qcode.ErrorCode(err) != qcode.ENOTFOUND {
		t.Errorf("rejecting what the rules did not code: %v", err)
	}
	res, err := p.RejectCoding(ctx, o)
	if err != nil || !res.Changed || res.Coding.Text != first.Text {
		t.Fatalf("reject: %+v, %v", res, err)
	}
	if l, err = p.ListCodings(ctx, app.ListOptions{Source: first.Source, Code: first.Code}); err != nil {
		t.Fatal(err)
	}
	for _, c := range l.Codings {
		if c.Segment() == first.Segment() {
			t.Errorf("the rejected coding is still listed: %+v", c)
		}
	}
	l, err = p.ListCodings(ctx, app.ListOptions{Rejected: true, Coder: "amina"})
	if err != nil || len(l.Rejections) != 1 || l.Rejections[0].Segment() != first.Segment() || l.Rejections[0].RejectedBy != "amina" {
		t.Fatalf("list of rejections: %+v, %v", l, err)
	}
	run, err := p.Code(ctx, app.CodeOptions{})
	if err != nil || run.Rejected != 1 || run.Added != 0 {
		t.Fatalf("rerun: %+v, %v", run, err)
	}
	if _, err := p.AcceptCoding(ctx, o); err != nil {
		t.Fatal(err)
	}
	if run, err = p.Code(ctx, app.CodeOptions{}); err != nil || run.Rejected != 0 || run.Added != 1 {
		t.Fatalf("rerun after accepting: %+v, %v", run, err)
	}
}

// A code may be named by its id, name or path, and a span picked with a
// mouse grows to whole words.
func TestAddCodingByNameSnapped(t *testing.T) {
	p, _ := sampleProject(t, 1)
	ctx := context.Background()
	src, err := p.Source(ctx, "P01")
	if err != nil {
		t.Fatal(err)
	}
	text := []rune(src.Text)
	s := src.Turns[1].Sentences[0]
	// From inside the sentence's first word to inside its last, with no
	// word boundary at either end.
	res, err := p.AddCoding(ctx, app.CodingOptions{Segment: fmt.Sprintf("P01:%d-%d", s.Start+1, s.End-2), Code: "Humility", Coder: "amina", Snap: true})
	if err != nil {
		t.Fatal(err)
	}
	c := res.Coding
	if c.Code != "humility" || c.Start != s.Start || c.Text != string(text[c.Start:c.End]) || strings.TrimRight(s.Text, ".?!…") != c.Text {
		t.Errorf("coded %s [%d,%d) %q; the sentence is [%d,%d) %q", c.Code, c.Start, c.End, c.Text, s.Start, s.End, s.Text)
	}
	if _, err := p.AddCoding(ctx, app.CodingOptions{Segment: "P01:s2", Code: "", Coder: "amina"}); err == nil {
		t.Error("no code, yet coded")
	}
}
