package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"qcode/app"
)

// compareServer serves testServer's project with X01 coded by three
// people: ben (3 codings), amina (2) and carla (1). amina and ben agree on
// bidirectional_learning in Ana's first turn, only ben codes the first
// question with moral_imperative and only amina Ana's last sentence, the
// one with markup in it, with humility. P01 is amina's alone; in P02 amina
// and ben agree.
func compareServer(t *testing.T) (*Server, *app.Project) {
	t.Helper()
	s, p := testServer(t)
	for _, c := range []struct{ source, phrase, code, coder string }{
		{"X01", "learned from each other", "bidirectional_learning", "amina"},
		{"X01", "nobody minded", "humility", "amina"},
		{"X01", "each other, every single day", "bidirectional_learning", "ben"},
		{"X01", "how the partnership began", "moral_imperative", "ben"},
		{"X01", "And the notes?", "bidirectional_learning", "ben"},
		{"X01", "every single day", "humility", "carla"},
		{"P01", "partnership", "humility", "amina"},
		{"P02", "partnership", "humility", "amina"},
		{"P02", "partnership", "humility", "ben"},
	} {
		start, end := spanOf(t, p, c.source, c.phrase)
		seg := fmt.Sprintf("%s:%d-%d", c.source, start, end)
		if _, err := p.AddCoding(context.Background(), app.CodingOptions{Segment: seg, Code: c.code, Coder: c.coder}); err != nil {
			t.Fatal(err)
		}
	}
	return s, p
}

// column returns the compare view's text on side (0 for A, 1 for B) of
// the turn that holds phrase, markup and all.
func column(t *testing.T, page, phrase string, side int) string {
	t.Helper()
	for _, row := range strings.Split(page, `<div class="compare-row">`)[1:] {
		cols := strings.Split(row, `<div class="text">`)
		if len(cols) == 3 && strings.Contains(html.UnescapeString(stripTags(cols[1])), phrase) {
			return cols[1+side]
		}
	}
	t.Fatalf("no turn of the compare view holds %q:\n%s", phrase, page)
	return ""
}

var tag = regexp.MustCompile(`<[^>]*>`)

func stripTags(s string) string { return tag.ReplaceAllString(s, "") }

func TestComparePage(t *testing.T) {
	s, p := compareServer(t)
	w := s.do(t, request{path: "/sources/X01/compare"})
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	page := w.Body.String()
	// By default the two coders with most codings of X01: ben, then amina.
	if !strings.Contains(page, "<div>A: ben</div><div>B: amina</div>") {
		t.Errorf("the compare view does not put ben beside amina:\n%s", page)
	}
	// Each side shows its coder's codings, and only theirs.
	left, right := column(t, page, "learned from each other", 0), column(t, page, "learned from each other", 1)
	if !strings.Contains(left, `data-coder="ben"`) || strings.Contains(left, `data-coder="amina"`) ||
		!strings.Contains(right, `data-coder="amina"`) || strings.Contains(right, `data-coder="ben"`) || strings.Contains(page, `data-coder="carla"`) {
		t.Errorf("the sides of Ana's first turn:\nA %s\nB %s", left, right)
	}
	// The sentence only amina coded, with humility, is marked on both
	// sides, and listed with a link to its mark.
	start, _ := spanOf(t, p, "X01", "I typed")
	mark := fmt.Sprintf(`<span class="disagree" id="d-%d" title="X01:`, start)
	if !strings.Contains(column(t, page, "nobody minded", 0), mark) || !strings.Contains(column(t, page, "nobody minded", 1), `<span class="disagree" title="X01:`) {
		t.Errorf("the sentence amina alone coded is not marked %s on both sides:\n%s", mark, page)
	}
	row := regexp.MustCompile(fmt.Sprintf(`<tr><td><a class="unit" href="#d-%d">X01:s\d+</a></td><td><span class="swatch"[^>]*></span>[^<]*Humility</td><td>amina</td><td>ben</td>`, start))
	if !row.MatchString(page) {
		t.Errorf("the disagreements do not list amina's humility on %q, linked to d-%d:\n%s", "nobody minded", start, page)
	}
	// ben's moral_imperative on the question is another; their shared
	// bidirectional_learning is none.
	q, _ := spanOf(t, p, "X01", "Could you")
	if !strings.Contains(page, fmt.Sprintf(`href="#d-%d"`, q)) || !strings.Contains(page, "3 disagreements of ben and amina by sentence") {
		t.Errorf("the disagreements are not those of the question, the notes and the markup:\n%s", page)
	}
	// The text is escaped, in the turns and in the list.
	if strings.Contains(page, "<script>alert") || !strings.Contains(page, "I typed &lt;script&gt;alert(1)&lt;/script&gt; into the notes &amp; nobody minded.") {
		t.Errorf("the transcript's markup reached the page unescaped, or its text is missing:\n%s", page)
	}
	// The agreement tables hold 'qcode agree's figures, on X01 and in the
	// project, where P02 adds sentences they agree on.
	for _, c := range []struct {
		section string
		sources []string
	}{{"agreement-source", []string{"X01"}}, {"agreement-project", nil}} {
		rep, err := p.Agreement(context.Background(), app.AgreementOptions{Unit: "sentence", Coders: []string{"ben", "amina"}, Sources: c.sources, Bootstrap: compareResamples, Seed: compareSeed})
		if err != nil {
			t.Fatal(err)
		}
		section := page[strings.Index(page, `<section id="`+c.section+`">`):]
		section = section[:strings.Index(section, "</section>")]
		want := fmt.Sprintf("<p class=\"found\">On %d sentences.</p>", rep.Units)
		if !strings.Contains(section, want) {
			t.Errorf("%s does not say %q:\n%s", c.section, want, section)
		}
		for _, ca := range rep.Codes {
			cells := fmt.Sprintf(`<tr><td>%s</td><td class="n">%d</td><td class="n">%d</td><td class="n">%d</td><td class="n">%d</td><td class="n">%.3f</td>`, ca.Code, ca.Units, ca.All, ca.Some, ca.None, ca.Agreement.Value)
			if !strings.Contains(section, cells) {
				t.Errorf("%s lacks the row %s:\n%s", c.section, cells, section)
			}
		}
	}

	// By turn, the mark covers amina's whole last turn.
	page = s.do(t, request{path: "/sources/X01/compare?a=amina&b=ben&unit=turn"}).Body.String()
	if !strings.Contains(page, "<div>A: amina</div><div>B: ben</div>") || !strings.Contains(page, fmt.Sprintf(`href="#d-%d">X01:t4</a>`, start)) {
		t.Errorf("the comparison by turn does not mark X01:t4:\n%s", page)
	}
}

func TestComparePageErrors(t *testing.T) {
	s, _ := compareServer(t)
	for _, c := range []struct {
		name, path string
		status     int
		msg        string
	}{
		{"unknown coder", "/sources/X01/compare?a=amna", http.StatusNotFound,
			"coder A amna: no codings of X01 by this coder (its coders are ben, amina, carla); did you mean amina?"},
		{"a coder of another source", "/sources/P01/compare?a=amina&b=ben", http.StatusNotFound, "coder B ben: no codings of P01 by this coder (its coders are amina)"},
		{"the same coder twice", "/sources/X01/compare?a=ben&b=ben", http.StatusBadRequest, "coder B ben: the same coder as coder A"},
		{"a unit that marks nothing", "/sources/X01/compare?unit=char", http.StatusBadRequest, "unit char: not a unit the comparison marks; choose one of sentence, paragraph, turn"},
		{"unknown source", "/sources/X99/compare", http.StatusNotFound, "X99"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := s.do(t, request{path: c.path})
			body := w.Body.String()
			msg := regexp.MustCompile(`<p class="message error">([^\n]*)</p>`).FindStringSubmatch(body)
			if w.Code != c.status || msg == nil || !strings.Contains(html.UnescapeString(msg[1]), c.msg) {
				t.Errorf("status %d, want %d with the one line %q:\n%s", w.Code, c.status, c.msg, body)
			}
		})
	}
	// A source one coder coded: the page says so, and offers no link.
	page := s.do(t, request{path: "/sources/P01/compare"}).Body.String()
	if !strings.Contains(page, "Only amina has coded P01: there is no other coder to compare with.") {
		t.Errorf("P01's compare view:\n%s", page)
	}
	if src := s.do(t, request{path: "/sources/P01"}).Body.String(); strings.Contains(src, `id="compare"`) {
		t.Errorf("P01's page links to a comparison of one coder")
	}
	// A source nobody coded: the page says so, and a coder named is
	// refused as having no codings there.
	fresh, _ := testServer(t)
	if page := fresh.do(t, request{path: "/sources/X01/compare"}).Body.String(); !strings.Contains(page, "Nobody has coded X01 yet: there is nothing to compare.") {
		t.Errorf("the compare view of a source nobody coded:\n%s", page)
	}
	if w := fresh.do(t, request{path: "/sources/X01/compare?a=amina&b=ben"}); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "coder A amina: no codings of X01 by this coder (nobody has coded it yet)") {
		t.Errorf("a coder of a source nobody coded: %d\n%s", w.Code, w.Body)
	}
}

// TestSourcePageCoders lists the coders of a source with their counts,
// most first, marks each coding with its coder in the text and the table,
// and links to the compare view.
func TestSourcePageCoders(t *testing.T) {
	s, _ := compareServer(t)
	page := s.do(t, request{path: "/sources/X01"}).Body.String()
	for _, want := range []string{
		`value="ben" checked> ben (3)</label> <label><input type="checkbox" class="coder" value="amina" checked> amina (2)</label> <label><input type="checkbox" class="coder" value="carla" checked> carla (1)</label>`,
		`<a id="compare" href="/sources/X01/compare">compare coders</a>`,
		`data-coder="carla" style="--c:`,
		`<tr data-coder="carla" data-start="`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the source page lacks %s:\n%s", want, page)
		}
	}
	if n := strings.Count(page, `class="coded"`); n != strings.Count(page, `data-coder=`)-strings.Count(page, `<tr data-coder=`)-strings.Count(page, `button class="remove"`)-strings.Count(page, `button class="change"`)-strings.Count(page, `class="stripe"`) {
		t.Errorf("not every one of the %d coded spans names its coder", n)
	}
}
