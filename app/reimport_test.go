package app_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qcode"
	"qcode/app"
)

// writeFile writes text to dir/name and returns its path.
func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReimportCorrects imports P01 again after a transcriber's checks: a
// word heard better inside a sentence amina coded, and "bruising" that
// was "gruelling". The source is corrected in place: amina's codings on
// unchanged words keep their very words, those whose words changed are
// listed, and the index finds the new wording and not the old. A file
// that gives a turn to another speaker is refused until replace is said,
// and then carries the codings across too; a folder corrects what changed
// and leaves the rest; another text under the name is still refused.
func TestReimportCorrects(t *testing.T) {
	ctx := context.Background()
	p, sample := withdrawalProject(t)
	data, err := os.ReadFile(filepath.Join(sample.Dir, "P01.txt"))
	if err != nil {
		t.Fatal(err)
	}
	before := quotes(t, p, "P01", "amina")
	src, s20 := sentence(t, p, "P01", 20)
	old20 := src.Text[s20.Start:s20.End]
	words := strings.Fields(old20)
	new20 := strings.Replace(old20, " "+words[1]+" ", " [inaudible] "+words[1]+" ", 1)
	text := strings.Replace(string(data), old20, new20, 1)
	if !strings.Contains(text, "bruising") {
		t.Fatal("P01 no longer says bruising")
	}
	text = strings.Replace(text, "bruising", "gruelling", 1)
	edited := writeFile(t, filepath.Join(t.TempDir(), "checked"), "P01.txt", text)

	rep, err := p.Import(ctx, app.ImportOptions{Files: []string{edited}, Coder: "amina"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Files[0].Sources[0]
	if r.Status != app.Corrected || r.Correction == nil {
		t.Fatalf("import again: %+v", r)
	}
	c := r.Correction
	after := quotes(t, p, "P01", "amina")
	changed := map[string]bool{}
	for _, ch := range c.Changed {
		changed[ch.Code+" "+ch.Ref] = true
		if ch.Coder == "amina" && after[ch.Code+" "+ch.Ref] != ch.Text {
			t.Errorf("%s %s: listed as %q, is %q", ch.Code, ch.Ref, ch.Text, after[ch.Code+" "+ch.Ref])
		}
	}
	for k, q := range before {
		touched := strings.Contains(q, "bruising") || q == old20
		switch {
		case touched && !changed[k]:
			t.Errorf("%s (%q) changed but is not listed", k, q)
		case !touched && after[k] != q:
			t.Errorf("%s: %q, was %q", k, after[k], q)
		}
	}
	if len(c.Changed) < 2 || c.Moved+len(c.Changed) != len(before) || c.Kept < 0.99 {
		t.Errorf("moved %d, changed %+v, kept %.3f", c.Moved, c.Changed, c.Kept)
	}
	for _, q := range []struct {
		word string
		hits int
	}{{"gruelling", 1}, {"bruising", 0}, {"inaudible", 1}} {
		res, err := p.Search(ctx, app.SearchOptions{Query: q.word, Sources: []string{"P01"}})
		if err != nil || len(res.Hits) != q.hits {
			t.Errorf("search %s: %d hits, want %d (%v)", q.word, len(res.Hits), q.hits, err)
		}
	}

	// The same file again changes nothing.
	rep, err = p.Import(ctx, app.ImportOptions{Files: []string{edited}}, nil)
	if err != nil || rep.Files[0].Sources[0].Status != app.Unchanged {
		t.Fatalf("the corrected file again: %+v %v", rep, err)
	}

	// A turn of Dr Marsh's given to the interviewer.
	hashBefore := sourceHash(t, p, "P01")
	i := strings.Index(text, "\nDr Marsh: Honestly?")
	swapped := text[:i+1] + "Interviewer:" + text[i+len("\nDr Marsh:"):]
	swappedFile := writeFile(t, filepath.Join(t.TempDir(), "swapped"), "P01.txt", swapped)
	_, err = p.Import(ctx, app.ImportOptions{Files: []string{swappedFile}, Coder: "amina"}, nil)
	var qe *qcode.Error
	if !errors.As(err, &qe) || qe.Code != qcode.ECONFLICT || qe.Field != "replace" || !strings.Contains(qe.Message, "Dr Marsh") || !strings.Contains(qe.Message, "Interviewer's") {
		t.Fatalf("a turn given to another speaker: %#v", err)
	}
	if sourceHash(t, p, "P01") != hashBefore {
		t.Fatal("the refused import changed P01")
	}
	rep, err = p.Import(ctx, app.ImportOptions{Files: []string{swappedFile}, Coder: "amina", Replace: true}, nil)
	if err != nil || rep.Files[0].Sources[0].Status != app.Corrected {
		t.Fatalf("with replace: %+v %v", rep, err)
	}
	if got := quotes(t, p, "P01", "amina"); len(got) != len(before) {
		t.Errorf("%d of amina's codings after replacing the speakers, want %d", len(got), len(before))
	}

	// A folder: P01 corrected again, P02 as it was.
	dir := filepath.Join(t.TempDir(), "again")
	writeFile(t, dir, "P01.txt", strings.Replace(text, "gruelling", "bruising", 1))
	p02, err := os.ReadFile(filepath.Join(sample.Dir, "P02.txt"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "P02.txt", string(p02))
	rep, err = p.Import(ctx, app.ImportOptions{Files: []string{dir}, Coder: "amina", Replace: true}, nil)
	if err != nil || len(rep.Files) != 2 || rep.Files[0].Sources[0].Status != app.Corrected || rep.Files[1].Sources[0].Status != app.Unchanged {
		t.Fatalf("a folder: %+v %v", rep, err)
	}

	// Another interview under the name is no correction.
	other := writeFile(t, filepath.Join(t.TempDir(), "other"), "P01.txt", string(p02))
	_, err = p.Import(ctx, app.ImportOptions{Files: []string{other}}, nil)
	if !errors.As(err, &qe) || qe.Code != qcode.ECONFLICT || qe.HelpOn != "replace" || !strings.Contains(qe.Message, "a different source named P01") {
		t.Fatalf("another text named P01: %#v", err)
	}
}

func sourceHash(t *testing.T, p *app.Project, name string) string {
	t.Helper()
	src, err := p.SourceTurns(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return src.Hash
}
