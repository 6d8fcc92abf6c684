package web

import (
	"context"
	"html"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"qcode/app"
	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
)

// codedServer serves the sample project with its case attributes,
// amina's codings imported from the sample's table and the rules'
// codings, and a description of humility that holds markup.
func codedServer(t *testing.T) (*Server, *app.Project) {
	t.Helper()
	ctx := context.Background()
	_, sample, dir := newStudy(t)
	yaml := filepath.Join(dir, app.CodebookFile)
	data, err := os.ReadFile(yaml)
	if err != nil {
		t.Fatal(err)
	}
	marked := strings.Replace(string(data), "partner: readiness to accept", "partner: <b>readiness</b> to accept", 1)
	if marked == string(data) {
		t.Fatal("the default codebook no longer describes humility as the test expects")
	}
	if err := os.WriteFile(yaml, []byte(marked), 0o644); err != nil {
		t.Fatal(err)
	}
	p := openStudy(t, dir)
	if _, err := p.Import(ctx, app.ImportOptions{Files: sample.Files, Attributes: sample.Cases}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ImportCodings(ctx, sample.Codings["amina"], "amina"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
		t.Fatal(err)
	}
	return listen(t, p), p
}

// rolledCount counts the codings of code and of all its sub-codes, as
// 'report freq --rollup' does.
func rolledCount(t *testing.T, p *app.Project, id string) int {
	t.Helper()
	cb, err := p.Codebook()
	if err != nil {
		t.Fatal(err)
	}
	ids := subtree(cb.Code(id))
	list, err := p.ListCodings(context.Background(), app.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range list.Codings {
		if ids[c.Code] {
			n++
		}
	}
	return n
}

var treeCount = regexp.MustCompile(`data-code="([^"]+)" data-count="(\d+)"`)

func TestCodebookTreeCounts(t *testing.T) {
	s, p := codedServer(t)
	for _, path := range []string{"/codes", "/sources/P01"} {
		w := s.do(t, request{path: path})
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", path, w.Code, w.Body)
		}
		body := w.Body.String()
		shown := map[string]int{}
		for _, m := range treeCount.FindAllStringSubmatch(body, -1) {
			shown[m[1]], _ = strconv.Atoi(m[2])
		}
		for _, id := range []string{"bidirectional_learning", "partnership_aspects", "enablers", "humility", "learning_type"} {
			want := rolledCount(t, p, id)
			if got, ok := shown[id]; !ok || got != want {
				t.Errorf("%s shows %s with %d codings (listed: %v), want %d", path, id, got, ok, want)
			}
		}
		if shown["partnership_aspects"] == 0 {
			t.Errorf("%s: the sample's codings leave partnership_aspects uncounted", path)
		}
		if !strings.Contains(body, "partner: &lt;b&gt;readiness&lt;/b&gt; to accept") || strings.Contains(body, "<b>readiness") {
			t.Errorf("%s does not escape humility's description", path)
		}
	}
}

var passageLink = regexp.MustCompile(`<a class="passage" href="([^"]+)" target="reader">([^<]+)</a>`)

// retrieved returns the segments the retrieval page at path lists, and
// their links.
func retrieved(t *testing.T, s *Server, path string) (segs, links []string) {
	t.Helper()
	w := s.do(t, request{path: path})
	if w.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", path, w.Code, w.Body)
	}
	for _, m := range passageLink.FindAllStringSubmatch(w.Body.String(), -1) {
		links = append(links, html.UnescapeString(m[1]))
		segs = append(segs, html.UnescapeString(m[2]))
	}
	return segs, links
}

func segmentsOf(cs []coding.Coding) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Segment())
	}
	return out
}

func TestRetrieval(t *testing.T) {
	s, p := codedServer(t)
	ctx := context.Background()
	list, err := p.ListCodings(ctx, app.ListOptions{Code: "humility"})
	if err != nil {
		t.Fatal(err)
	}
	segs, links := retrieved(t, s, "/codes/humility")
	if want := segmentsOf(list.Codings); len(want) == 0 || strings.Join(segs, " ") != strings.Join(want, " ") {
		t.Fatalf("/codes/humility lists %v, want %v", segs, want)
	}

	byAmina, err := p.ListCodings(ctx, app.ListOptions{Code: "humility", Coder: "amina"})
	if err != nil {
		t.Fatal(err)
	}
	segs, _ = retrieved(t, s, "/codes/humility?coder=amina")
	if want := segmentsOf(byAmina.Codings); len(want) == 0 || len(want) == len(list.Codings) || strings.Join(segs, " ") != strings.Join(want, " ") {
		t.Errorf("filtered by coder, /codes/humility lists %v, want %v", segs, want)
	}

	// One attribute=value of the sources: only their passages stay.
	srcs, err := p.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a := srcs[0].Attributes[0]
	keep := map[string]bool{}
	for _, src := range srcs {
		if hasAttr(src.Attributes, a.Name, a.Value) {
			keep[src.Name] = true
		}
	}
	var want []string
	for _, c := range list.Codings {
		if keep[c.Source] {
			want = append(want, c.Segment())
		}
	}
	segs, _ = retrieved(t, s, "/codes/humility?attr="+url.QueryEscape(a.Name+"="+a.Value))
	if len(want) == len(list.Codings) || strings.Join(segs, " ") != strings.Join(want, " ") {
		t.Errorf("filtered by %s=%s, /codes/humility lists %v, want %v", a.Name, a.Value, segs, want)
	}

	// Rolled up, a parent lists its sub-codes' passages too.
	segs, _ = retrieved(t, s, "/codes/enablers?rollup=1")
	if n := rolledCount(t, p, "enablers"); len(segs) != n {
		t.Errorf("/codes/enablers?rollup=1 lists %d passages, want %d", len(segs), n)
	}

	// Every link's anchor is in its source's page, on a coded span.
	for _, link := range links {
		page, frag, _ := strings.Cut(link, "#")
		w := s.do(t, request{path: page})
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `<span class="coded" id="`+frag+`"`) {
			t.Errorf("%s: no coded span with id %q (%d)", page, frag, w.Code)
		}
	}

	for _, bad := range []struct {
		path string
		want int
	}{
		{"/codes/humilty", http.StatusNotFound},
		{"/codes/humility?coder=nobody", http.StatusNotFound},
		{"/codes/humility?attr=novalue", http.StatusBadRequest},
	} {
		if w := s.do(t, request{path: bad.path}); w.Code != bad.want {
			t.Errorf("%s: %d, want %d", bad.path, w.Code, bad.want)
		}
	}
}

// subtree returns the ids of c and of all its sub-codes.
func subtree(c *codebook.Code) map[string]bool {
	ids := map[string]bool{c.ID: true}
	for _, sub := range c.Codes {
		maps.Copy(ids, subtree(sub))
	}
	return ids
}

func hasAttr(attrs []corpus.Attribute, name, value string) bool {
	return slices.ContainsFunc(attrs, func(a corpus.Attribute) bool { return a.Name == name && a.Value == value })
}
