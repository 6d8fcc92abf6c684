package web

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"qcode/app"
)

// visitNotes are field notes with no speaker labels: a document.
const visitNotes = "Notes from the partnership visit to Mbarara, March\n\n" +
	"We arrived on Monday and went straight to the neonatal unit. The nurses showed us the resuscitation corner they set up after the course.\n\n" +
	"Note: the debrief forms are in English only, and the midwives would rather talk than write.\n\n" +
	"The debrief on Thursday was open. The Ugandan team asked that next year's topics be chosen in Mbarara, not in Leeds.\n\n" +
	"We left on Friday with a list of three things to do before the next visit.\n"

// A document's paragraphs show no speaker: no blank speaker column on its
// page, "document" where a list has a speaker column, and no nameless
// speaker to search by.
func TestDocumentPages(t *testing.T) {
	tmp, sample, dir := newStudy(t)
	notes := filepath.Join(tmp, "visit-notes.txt")
	if err := os.WriteFile(notes, []byte(visitNotes), 0o644); err != nil {
		t.Fatal(err)
	}
	p := openStudy(t, dir)
	ctx := context.Background()
	if _, err := p.Import(ctx, app.ImportOptions{Files: []string{sample.Files[0], notes}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
		t.Fatal(err)
	}
	s := listen(t, p)

	row := regexp.MustCompile(`<tr><td><a href="/sources/visit-notes">visit-notes</a></td><td>txt</td><td>document</td>`)
	for _, path := range []string{"/", "/?q=document"} {
		if list := s.do(t, request{path: path}).Body.String(); !row.MatchString(list) {
			t.Errorf("%s: the notes are not listed as a document:\n%s", path, list)
		}
	}
	page := s.do(t, request{path: "/sources/visit-notes"}).Body.String()
	if !strings.Contains(page, `visit-notes</span> (document)`) || strings.Contains(page, `class="who"`) ||
		strings.Count(page, `<div class="turn"`) != 5 || !strings.Contains(page, `aria-label="turn 3"`) {
		t.Errorf("the document's page:\n%s", page)
	}
	if page := s.do(t, request{path: "/sources/P01"}).Body.String(); !strings.Contains(page, `<div class="who">Dr Marsh`) {
		t.Errorf("a transcript's page lost its speakers")
	}

	found := s.do(t, request{path: "/search?q=debrief*"}).Body.String()
	if !regexp.MustCompile(`href="/sources/visit-notes\?at=\d+#hit">visit-notes:s\d+</a></td><td>document</td>`).MatchString(found) ||
		!regexp.MustCompile(`by speaker: [^<]*document \d`).MatchString(found) || strings.Contains(found, `<option value=""></option>`) {
		t.Errorf("the search page:\n%s", found)
	}
	passages := s.do(t, request{path: "/codes/active_debriefs"}).Body.String()
	if !regexp.MustCompile(`<td>visit-notes</td><td><a class="passage" href="[^"]+" target="reader">visit-notes:s\d+</a></td><td>document</td>`).MatchString(passages) {
		t.Errorf("the retrieval page:\n%s", passages)
	}
}
