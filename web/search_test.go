package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"qcode"
	"qcode/app"
	"qcode/coding"
)

var (
	listedHit = regexp.MustCompile(`data-segment="([^"]+)" data-start="(\d+)" data-end="(\d+)"`)
	errorLine = regexp.MustCompile(`<p class="message error" role="alert">([^<]*)</p>`)
)

// hitsListed returns the segments of the hits a search page lists.
func hitsListed(page string) []string {
	var out []string
	for _, m := range listedHit.FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestSearchPageMarksHitsEscaped(t *testing.T) {
	s, _ := testServer(t)
	// Without a query, the form alone.
	w := s.do(t, request{path: "/search"})
	if page := w.Body.String(); w.Code != http.StatusOK || !strings.Contains(page, `<input name="q" value=""`) || strings.Contains(page, `id="found"`) {
		t.Errorf("the empty search page: %d\n%s", w.Code, page)
	}
	w = s.do(t, request{path: "/search?q=" + url.QueryEscape("learn*")})
	page := w.Body.String()
	if w.Code != http.StatusOK {
		t.Fatalf("status %d:\n%s", w.Code, page)
	}
	if hits := hitsListed(page); !slices.Contains(hits, "X01:s2") || !slices.Contains(hits, "P02:s47") {
		t.Errorf("learn* lists %v; want X01:s2 and P02:s47 among them", hits)
	}
	for _, want := range []string{
		`Café naïve 🙂 talk: we <mark>learned</mark> from each other, every single day.`,
		`here to <mark>learn</mark> from you as much as you <mark>learn</mark> from us.`,
		`<a class="hit" href="/sources/X01?at=60#hit">X01:s2</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	// A hit in a sentence holding markup shows it as text.
	page = s.do(t, request{path: "/search?q=typed"}).Body.String()
	if !strings.Contains(page, `I <mark>typed</mark> &lt;script&gt;alert(1)&lt;/script&gt; into the notes &amp; nobody minded.`) || strings.Contains(page, "<script>alert") {
		t.Errorf("the hit's markup is not escaped:\n%s", page)
	}
	// The hit's link lands on its turn.
	src := s.do(t, request{path: "/sources/X01?at=60"}).Body.String()
	if !strings.Contains(src, `<div class="turn" id="hit"><div class="who">Ana</div><div class="text" data-start="60" tabindex="0" aria-label="turn 2, Ana">Café naïve`) || strings.Count(src, `id="hit"`) != 1 {
		t.Errorf("the source page does not mark Ana's first turn as the hit's:\n%s", regexp.MustCompile(`<div class="turn".*`).FindAllString(src, -1))
	}
}

func TestSearchPageFilters(t *testing.T) {
	s, p := codedServer(t)
	ctx := context.Background()
	all, err := p.Search(ctx, app.SearchOptions{Query: "learn*", IncludeInterviewer: true})
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]string{}
	srcs, err := p.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range srcs {
		for _, a := range src.Attributes {
			if a.Name == "role" {
				roles[src.Name] = a.Value
			}
		}
	}
	tests := []struct {
		name    string
		query   string            // beside q=learn*
		o       app.SearchOptions // the same search through app
		each    func(string) bool // true of every hit's segment
		narrows bool
	}{
		{"a source", "source=P02", app.SearchOptions{Sources: []string{"P02"}}, func(seg string) bool { return strings.HasPrefix(seg, "P02:") }, true},
		{"two sources", "source=P02&source=P04", app.SearchOptions{Sources: []string{"P02", "P04"}},
			func(seg string) bool { return strings.HasPrefix(seg, "P02:") || strings.HasPrefix(seg, "P04:") }, true},
		{"a speaker", "speaker=" + url.QueryEscape("Grace Akello"), app.SearchOptions{Speakers: []string{"Grace Akello"}}, nil, true},
		{"not the interviewers", "speaker_not=interviewer&interviewer=1", app.SearchOptions{NotSpeakers: []string{"interviewer"}, IncludeInterviewer: true}, nil, true},
		{"not the interviewers, by default", "", app.SearchOptions{}, nil, true},
		{"with the interviewers", "interviewer=1", app.SearchOptions{IncludeInterviewer: true}, nil, false},
		{"an attribute", "attr=" + url.QueryEscape("role=NHS"), app.SearchOptions{Attrs: []string{"role=NHS"}},
			func(seg string) bool { return roles[seg[:strings.IndexByte(seg, ':')]] == "NHS" }, true},
		{"coded by amina with humility", "code=humility&coder=amina", app.SearchOptions{Code: "humility", Coder: "amina"}, nil, true},
		{"turns", "unit=turn", app.SearchOptions{Unit: "turn"}, func(seg string) bool { return strings.Contains(seg, ":t") }, false},
		{"negated mentions only", "negation=only", app.SearchOptions{Negation: "only"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := s.do(t, request{path: "/search?q=learn%2A&" + tt.query})
			if w.Code != http.StatusOK {
				t.Fatalf("status %d:\n%s", w.Code, w.Body)
			}
			got := hitsListed(w.Body.String())
			tt.o.Query = "learn*"
			want, err := p.Search(ctx, tt.o)
			if err != nil {
				t.Fatal(err)
			}
			var segs []string
			for _, h := range want.Hits {
				segs = append(segs, h.Segment)
			}
			if !slices.Equal(got, segs) {
				t.Errorf("the page lists %v;\n'qcode search' finds %v", got, segs)
			}
			if tt.narrows && len(got) >= all.Total {
				t.Errorf("%d hits of %d: the filter narrows nothing", len(got), all.Total)
			}
			// The box is ticked as asked, and the page says what it
			// left out as 'qcode search' does.
			page := w.Body.String()
			if ticked := strings.Contains(page, `name="interviewer" value="1" checked`); ticked != tt.o.IncludeInterviewer {
				t.Errorf("the box for interviewers is ticked: %v", ticked)
			}
			leftOut := regexp.MustCompile(`<p class="left-out" id="left-out">([^<]*)</p>`).FindStringSubmatch(page)
			if want.InterviewerHits > 0 && (leftOut == nil || !regexp.MustCompile(`^`+strconv.Itoa(want.InterviewerHits)+` (sentence|turn)s? by interviewers left out, as coding leaves them out; “with interviewers” shows them$`).MatchString(leftOut[1])) ||
				want.InterviewerHits == 0 && leftOut != nil {
				t.Errorf("%d hits of interviewers left out; the page says %q", want.InterviewerHits, leftOut)
			}
			for _, seg := range got {
				if tt.each != nil && !tt.each(seg) {
					t.Errorf("%s is not a hit the filter lets through", seg)
				}
			}
		})
	}
}

func TestSearchPageBadInput(t *testing.T) {
	s, _ := codedServer(t)
	tests := []struct {
		name, query string
		want        int
		msg         string
	}{
		{"a misspelt operator", "q=" + url.QueryEscape("learn* NAER/3 team"), http.StatusBadRequest, `unknown operator &#34;NAER&#34; (did you mean NEAR?)`},
		{"an operator with nothing after", "q=" + url.QueryEscape("learn* NEAR/3"), http.StatusBadRequest, "NEAR/3 needs a term on its right"},
		{"an empty query", "q=", http.StatusBadRequest, "the query: the query is empty"},
		{"an unknown syntax", "q=learn&syntax=lucene", http.StatusBadRequest, "choose one of rules, bleve"},
		{"an unknown source", "q=learn&source=P99", http.StatusNotFound, "P99"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := s.do(t, request{path: "/search?" + tt.query})
			m := errorLine.FindStringSubmatch(w.Body.String())
			if w.Code != tt.want || m == nil || !strings.Contains(m[1], tt.msg) || strings.Contains(m[1], "--") {
				t.Errorf("status %d, error line %q; want %d and %q in one line naming no flag\n%s", w.Code, m, tt.want, tt.msg, w.Body)
			}
			if strings.Contains(w.Body.String(), `class="hits"`) {
				t.Error("a refused search lists hits")
			}
		})
	}
}

// codeHits posts the page's request to code hits, and returns the status
// and the reply.
func (s *Server) codeHitsReq(t *testing.T, body map[string]any, noCSRF bool) (int, map[string]any) {
	t.Helper()
	w := s.do(t, request{method: http.MethodPost, path: "/api/search/code", body: codingJSON(t, body), noCSRF: noCSRF})
	var reply map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &reply); err != nil {
		t.Fatalf("reply %q: %v", w.Body, err)
	}
	return w.Code, reply
}

// ticked returns the page's checkbox data for the hits given, as the
// page's script sends them.
func ticked(t *testing.T, page string, segs ...string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, m := range listedHit.FindAllStringSubmatch(page, -1) {
		if slices.Contains(segs, m[1]) {
			out = append(out, map[string]any{"segment": m[1], "start": json.Number(m[2]), "end": json.Number(m[3])})
		}
	}
	if len(out) != len(segs) {
		t.Fatalf("the page lists %d of the hits %v", len(out), segs)
	}
	return out
}

// checkSearchCodings checks that the coder's codings are exactly those of
// the segments want (sorted), each of learning_from_partner, recorded as
// coding a search's hits records them: origin search, the query as memo.
func checkSearchCodings(t *testing.T, p *app.Project, coder, query string, want ...string) {
	t.Helper()
	var got []string
	for _, c := range codingsBy(t, p, coder) {
		got = append(got, c.Segment())
		if c.Code != "learning_from_partner" || c.Origin != coding.OriginSearch || c.Memo != "search: "+query {
			t.Errorf("%s: code %s, origin %s, memo %q; want learning_from_partner, search, the query", c.Segment(), c.Code, c.Origin, c.Memo)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("coded %v, want exactly the ticked %v", got, want)
	}
}

// codingsBy returns the coder's codings, none when there are none.
func codingsBy(t *testing.T, p *app.Project, coder string) []coding.Coding {
	t.Helper()
	list, err := p.ListCodings(context.Background(), app.ListOptions{Coder: coder})
	if qcode.ErrorCode(err) == qcode.ENOTFOUND {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return list.Codings
}

func TestCodeTickedHits(t *testing.T) {
	s, p := testServer(t)
	search := "q=" + url.QueryEscape("learn*")
	page := s.do(t, request{path: "/search?" + search}).Body.String()
	hits := ticked(t, page, "P02:s47", "X01:s2")
	req := map[string]any{"search": search, "code": "Learning from the LMIC partner", "coder": "amina", "hits": hits}

	// Refused requests code nothing.
	if code, _ := s.codeHitsReq(t, req, true); code != http.StatusForbidden {
		t.Errorf("without the CSRF token: %d, want 403", code)
	}
	for _, bad := range []struct {
		name, field string
		value       any
		msg         string
	}{
		{"no coder", "coder", "", "your name (coder): missing"},
		{"no code", "code", "", "the code: missing; choose a code"},
		{"an unknown code", "code", "learning_from_partnr", "the code learning_from_partnr: no such code"},
		{"none ticked", "hits", []any{}, "none ticked"},
	} {
		r := map[string]any{}
		for k, v := range req {
			r[k] = v
		}
		r[bad.field] = bad.value
		code, reply := s.codeHitsReq(t, r, false)
		if msg, _ := reply["error"].(string); code/100 != 4 || !strings.Contains(msg, bad.msg) || strings.Contains(msg, "\n") {
			t.Errorf("%s: %d %q; want a 4xx and %q in one line", bad.name, code, msg, bad.msg)
		}
	}
	if cs := codingsBy(t, p, "amina"); len(cs) != 0 {
		t.Fatalf("refused requests coded %v", cs)
	}

	code, reply := s.codeHitsReq(t, req, false)
	if code != http.StatusOK || reply["added"] != 2.0 || reply["existing"] != 0.0 || reply["code"] != "learning_from_partner" || reply["unit"] != "sentence" {
		t.Fatalf("coding two ticked hits: %d %v", code, reply)
	}
	checkSearchCodings(t, p, "amina", "learn*", "P02:s47", "X01:s2")
	// Again: both had it already.
	if code, reply := s.codeHitsReq(t, req, false); code != http.StatusOK || reply["added"] != 0.0 || reply["existing"] != 2.0 {
		t.Errorf("coding them again: %d %v", code, reply)
	}

	// All the hits of a filtered search, by another coder.
	all := map[string]any{"search": search + "&source=P02&speaker=" + url.QueryEscape("Grace Akello"), "code": "learning_from_partner", "coder": "ben", "all": true}
	code, reply = s.codeHitsReq(t, all, false)
	want, err := p.Search(context.Background(), app.SearchOptions{Query: "learn*", Sources: []string{"P02"}, Speakers: []string{"Grace Akello"}})
	if err != nil {
		t.Fatal(err)
	}
	if code != http.StatusOK || reply["added"] != float64(want.Total) || len(codingsBy(t, p, "ben")) != want.Total {
		t.Errorf("coding all %d of Grace Akello's hits: %d %v", want.Total, code, reply)
	}
}

func TestCodeStaleHits(t *testing.T) {
	s, p := testServer(t)
	search := "q=" + url.QueryEscape("learn*")
	page := s.do(t, request{path: "/search?" + search}).Body.String()
	req := map[string]any{"search": search, "code": "learning_from_partner", "coder": "amina", "hits": ticked(t, page, "P02:s47", "X01:s2")}

	// X01 is imported again with a line before its text, so that the
	// ticked sentence now stands elsewhere.
	x := filepath.Join(t.TempDir(), "X01.txt")
	if err := os.WriteFile(x, []byte("Interviewer: Thank you for coming.\n\n"+interview), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Import(context.Background(), app.ImportOptions{Files: []string{x}, Replace: true}, nil); err != nil {
		t.Fatal(err)
	}
	code, reply := s.codeHitsReq(t, req, false)
	if msg, _ := reply["error"].(string); code != http.StatusConflict || !strings.Contains(msg, "the project changed since this page was loaded") || !strings.Contains(msg, "search again") {
		t.Errorf("a stale tick: %d %q; want 409 saying the page is stale", code, msg)
	}
	if cs := codingsBy(t, p, "amina"); len(cs) != 0 {
		t.Errorf("a stale page coded %v", cs)
	}
}

// TestSearchLetsGoOfIndex checks that a search in the workspace leaves the
// index free for another process's import to update.
func TestSearchLetsGoOfIndex(t *testing.T) {
	s, p := testServer(t)
	if w := s.do(t, request{path: "/search?q=learn%2A"}); w.Code != http.StatusOK {
		t.Fatalf("search: %d", w.Code)
	}
	other := openStudy(t, p.Dir)
	x := filepath.Join(t.TempDir(), "X02.txt")
	if err := os.WriteFile(x, []byte("Interviewer: What did you take home?\n\nBo: We learnt patience from the ward team.\n\nInterviewer: And since?\n\nBo: Nothing new.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Import(context.Background(), app.ImportOptions{Files: []string{x}}, nil); err != nil {
		t.Fatalf("another process's import, after a search in the workspace: %v", err)
	}
	if hits := hitsListed(s.do(t, request{path: "/search?q=learn%2A"}).Body.String()); !slices.Contains(hits, "X02:s2") {
		t.Errorf("the next search lists %v, without the new source's hit X02:s2", hits)
	}
}

func TestKWIC(t *testing.T) {
	long := strings.Repeat("and then we talked about the rota again ", 6) // 240 characters
	tests := []struct {
		name, text string
		words      []string // matched, in order
		want       string   // the pieces, marks in [brackets]
	}{
		{"a sentence whole", "We learned from each other.", []string{"learned"}, "We [learned] from each other."},
		{"two words", "They learn from us and we learn from them.", []string{"learn", "learn"}, "They [learn] from us and we [learn] from them."},
		{"a long turn elided", long + "so we learned " + long + "and learnt " + long, []string{"learned", "learnt"},
			"…and then we talked about the rota again and then we talked about the rota again so we [learned] and then we talked about the rota again and then we talked about the rota again and then … " +
				"and then we talked about the rota again and then we talked about the rota again and [learnt] and then we talked about the rota again and then we talked about the rota again and then…"},
		{"nothing matched (bleve)", long, nil, strings.Repeat("and then we talked about the rota again ", 4) + "and then we talked…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const start = 1000 // where the segment stands in its source
			var m coding.RuleMatch
			from := 0
			for _, w := range tt.words {
				i := from + strings.Index(tt.text[from:], w)
				m.Tokens = append(m.Tokens, coding.MatchedToken{Start: start + i, End: start + i + len(w), Text: w})
				from = i + len(w)
			}
			var b strings.Builder
			for _, p := range kwic(tt.text, start, []coding.RuleMatch{m}) {
				if p.Mark {
					b.WriteString("[" + p.Text + "]")
				} else {
					b.WriteString(p.Text)
				}
			}
			if got := b.String(); got != tt.want {
				t.Errorf("kwic:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
