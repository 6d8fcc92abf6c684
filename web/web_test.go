package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"qcode"

	"qcode/app"
	"qcode/coding"
)

// interview is a transcript with markup in it and characters beyond
// ASCII before the spans the tests code, so that offsets in code points,
// bytes and UTF-16 units all differ.
const interview = `Interviewer: Could you say how the partnership began?

Ana: Café naïve 🙂 talk: we learned from each other, every single day.

Interviewer: And the notes?

Ana: I typed <script>alert(1)</script> into the notes & nobody minded.
`

const testToken = "test-token"

// testServer serves a project of two sample interviews and the one
// above (X01), open for writing.
func testServer(t *testing.T) (*Server, *app.Project) {
	t.Helper()
	tmp, sample, dir := newStudy(t)
	x := filepath.Join(tmp, "X01.txt")
	if err := os.WriteFile(x, []byte(interview), 0o644); err != nil {
		t.Fatal(err)
	}
	p := openStudy(t, dir)
	if _, err := p.Import(context.Background(), app.ImportOptions{Files: append(sample.Files[:2:2], x)}, nil); err != nil {
		t.Fatal(err)
	}
	return listen(t, p), p
}

// newStudy writes the sample in a temporary folder and makes an empty
// project (its folder dir) beside it.
func newStudy(t *testing.T) (tmp string, sample *app.Sample, dir string) {
	t.Helper()
	tmp = t.TempDir()
	sample, err := app.WriteSample(filepath.Join(tmp, "sample"))
	if err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(tmp, "study")
	if _, err := app.Init(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	return tmp, sample, dir
}

// openStudy opens the project in dir for the test.
func openStudy(t testing.TB, dir string) *app.Project {
	t.Helper()
	p, err := app.Open(context.Background(), app.Options{Dir: dir, Command: "serve test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// listen makes the workspace of p with the test's token.
func listen(t *testing.T, p *app.Project) *Server {
	t.Helper()
	s, err := Listen(p, Options{Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.ln.Close() })
	return s
}

// request is one request to s, with the token in the cookie and the CSRF
// token in the header unless the test leaves them out.
type request struct {
	method, path, body string
	host               string // "" for s.Addr()
	noToken, noCSRF    bool
}

func (s *Server) do(t *testing.T, q request) *httptest.ResponseRecorder {
	t.Helper()
	if q.method == "" {
		q.method = http.MethodGet
	}
	var body io.Reader
	if q.body != "" {
		body = strings.NewReader(q.body)
	}
	r := httptest.NewRequest(q.method, q.path, body)
	r.Host = s.Addr()
	if q.host != "" {
		r.Host = q.host
	}
	if !q.noToken {
		r.AddCookie(&http.Cookie{Name: tokenCookie, Value: testToken})
	}
	if q.method == http.MethodPost {
		r.Header.Set("Content-Type", "application/json")
		if !q.noCSRF {
			r.Header.Set(csrfHeader, s.csrf)
		}
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	return w
}

// spanOf returns where phrase stands in source name's text, in characters.
func spanOf(t *testing.T, p *app.Project, name, phrase string) (int, int) {
	t.Helper()
	src, err := p.Source(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(src.Text, phrase)
	if i < 0 {
		t.Fatalf("%q is not in %s", phrase, name)
	}
	start := len([]rune(src.Text[:i]))
	return start, start + len([]rune(phrase))
}

func codingJSON(t *testing.T, v map[string]any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestGuard(t *testing.T) {
	s, _ := testServer(t)
	add := codingJSON(t, map[string]any{"source": "X01", "start": 70, "end": 80, "code": "bidirectional_learning", "coder": "amina", "exact": true})
	tests := []struct {
		name string
		q    request
		want int
	}{
		{"with the token", request{path: "/"}, http.StatusOK},
		{"no token", request{path: "/", noToken: true}, http.StatusForbidden},
		{"no token, a static file", request{path: "/static/style.css", noToken: true}, http.StatusForbidden},
		{"a wrong token in the query", request{path: "/?token=guess", noToken: true}, http.StatusForbidden},
		{"the token in the query", request{path: "/sources/P01?token=" + testToken, noToken: true}, http.StatusSeeOther},
		{"localhost", request{path: "/", host: strings.Replace(s.Addr(), "127.0.0.1", "localhost", 1)}, http.StatusOK},
		{"another host name (DNS rebinding)", request{path: "/", host: strings.Replace(s.Addr(), "127.0.0.1", "evil.example", 1)}, http.StatusForbidden},
		{"another port", request{path: "/", host: "127.0.0.1:1"}, http.StatusForbidden},
		{"POST without the CSRF token", request{method: http.MethodPost, path: "/api/codings", body: add, noCSRF: true}, http.StatusForbidden},
		{"POST without the token", request{method: http.MethodPost, path: "/api/codings", body: add, noToken: true}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := s.do(t, tt.q)
			if w.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.want, w.Body)
			}
		})
	}
	// Showing the token in the address keeps it in a cookie only the
	// server reads, and takes it out of the address.
	w := s.do(t, request{path: "/sources/P01?token=" + testToken, noToken: true})
	if loc := w.Header().Get("Location"); loc != "/sources/P01" {
		t.Errorf("redirected to %q, want /sources/P01", loc)
	}
	c := w.Result().Cookies()
	if len(c) != 1 || c[0].Value != testToken || !c[0].HttpOnly || c[0].SameSite != http.SameSiteStrictMode {
		t.Errorf("cookies set: %v", c)
	}
	// Refused requests coded nothing.
	list, err := s.p.ListCodings(context.Background(), app.ListOptions{Source: "X01"})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Codings) != 0 {
		t.Errorf("refused requests stored codings: %v", list.Codings)
	}
}

func TestAddCoding(t *testing.T) {
	tests := []struct {
		name     string
		selected string // the text selected in X01
		exact    bool
		want     string // the coded text
	}{
		{"exact", "learned from each other", true, "learned from each other"},
		{"exact keeps part words", "arned from each ot", true, "arned from each ot"},
		{"snapped to words", "arned from each ot", false, "learned from each other"},
		{"snapped, spaces trimmed", " we learned ", false, "we learned"},
		{"snapped past non-ASCII", "fé naï", false, "Café naïve"},
		{"snapped keeps punctuation outside", "every single day.", false, "every single day."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, p := testServer(t)
			start, end := spanOf(t, p, "X01", tt.selected)
			w := s.do(t, request{method: http.MethodPost, path: "/api/codings", body: codingJSON(t, map[string]any{
				"source": "X01", "start": start, "end": end, "code": "bidirectional_learning", "coder": "amina", "exact": tt.exact})})
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			list, err := p.ListCodings(context.Background(), app.ListOptions{Source: "X01", Coder: "amina"})
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Codings) != 1 {
				t.Fatalf("codings stored: %v", list.Codings)
			}
			c := list.Codings[0]
			wantStart, wantEnd := spanOf(t, p, "X01", tt.want)
			if c.Start != wantStart || c.End != wantEnd || c.Text != tt.want || c.Code != "bidirectional_learning" {
				t.Errorf("stored %s [%d,%d) %q, want [%d,%d) %q", c.Code, c.Start, c.End, c.Text, wantStart, wantEnd, tt.want)
			}
			// The page shows it, tinted, with the code's name on hover.
			page := s.do(t, request{path: "/sources/X01"}).Body.String()
			if !strings.Contains(page, `class="coded"`) || !strings.Contains(page, "Bidirectional learning (amina)") {
				t.Errorf("the source page does not show the coding:\n%s", page)
			}
			// And it can be removed.
			w = s.do(t, request{method: http.MethodPost, path: "/api/codings/remove", body: codingJSON(t, map[string]any{
				"segment": c.Segment(), "code": c.Code, "coder": "amina"})})
			if w.Code != http.StatusOK {
				t.Fatalf("remove: status %d: %s", w.Code, w.Body)
			}
			list, err = p.ListCodings(context.Background(), app.ListOptions{Source: "X01", Coder: "amina"})
			if err == nil && len(list.Codings) != 0 {
				t.Errorf("codings after removal: %v", list.Codings)
			}
		})
	}
}

func TestAddCodingErrors(t *testing.T) {
	s, _ := testServer(t)
	tests := []struct {
		name string
		req  map[string]any
		want int
		msg  string // in the one-line error
	}{
		{"unknown code", map[string]any{"source": "X01", "start": 70, "end": 80, "code": "bidirectional_lerning", "coder": "amina"},
			http.StatusNotFound, "the code bidirectional_lerning: no such code"},
		{"unknown source", map[string]any{"source": "X99", "start": 0, "end": 5, "code": "bidirectional_learning", "coder": "amina"},
			http.StatusNotFound, "X99"},
		{"span past the text", map[string]any{"source": "X01", "start": 10, "end": 5000, "code": "bidirectional_learning", "coder": "amina", "exact": true},
			http.StatusBadRequest, "past the end"},
		{"no coder", map[string]any{"source": "X01", "start": 70, "end": 80, "code": "bidirectional_learning"},
			http.StatusBadRequest, "your name (coder): missing; say who"},
		{"no code", map[string]any{"source": "X01", "start": 70, "end": 80, "coder": "amina"},
			http.StatusBadRequest, "the code: missing; choose"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := s.do(t, request{method: http.MethodPost, path: "/api/codings", body: codingJSON(t, tt.req)})
			var reply struct{ Error string }
			if err := json.Unmarshal(w.Body.Bytes(), &reply); err != nil {
				t.Fatalf("reply %q: %v", w.Body, err)
			}
			if w.Code != tt.want || !strings.Contains(reply.Error, tt.msg) || strings.Contains(reply.Error, "\n") || strings.Contains(reply.Error, "--") {
				t.Errorf("status %d, error %q; want %d and %q in one line naming no flag", w.Code, reply.Error, tt.want, tt.msg)
			}
		})
	}
	// An unknown source's page says so in the page.
	w := s.do(t, request{path: "/sources/X99"})
	if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), `class="message error"`) {
		t.Errorf("unknown source page: %d\n%s", w.Code, w.Body)
	}
}

func TestPagesEscapeText(t *testing.T) {
	s, p := testServer(t)
	// A coding across the markup cuts it into pieces: each is escaped.
	start, end := spanOf(t, p, "X01", "<script>alert(1)</script> into")
	w := s.do(t, request{method: http.MethodPost, path: "/api/codings", body: codingJSON(t, map[string]any{
		"source": "X01", "start": start + 3, "end": end, "code": "bidirectional_learning", "coder": "amina", "exact": true})})
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	page := s.do(t, request{path: "/sources/X01"}).Body.String()
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "ipt>alert") {
		t.Errorf("the transcript's markup reached the page unescaped:\n%s", page)
	}
	if !strings.Contains(page, "&lt;sc<span") || !strings.Contains(page, "ipt&gt;alert(1)&lt;/script&gt;") || !strings.Contains(page, "notes &amp; nobody") {
		t.Errorf("the transcript's text is not on the page, escaped:\n%s", page)
	}
	list := s.do(t, request{path: "/"}).Body.String()
	for _, want := range []string{`href="/sources/P01"`, `href="/sources/X01"`, "Interviewer, Ana"} {
		if !strings.Contains(list, want) {
			t.Errorf("the sources page lacks %q:\n%s", want, list)
		}
	}
}

func TestCutNests(t *testing.T) {
	turns := []app.Turn{{Start: 10, Text: "ab cd ef"}, {Start: 18, Text: "gh ij"}}
	list := &app.Listing{Path: func(id string) string { return id }}
	list.Codings = append(list.Codings,
		coding.Coding{Start: 2, End: 10, Code: "before"}, // ends where the turn starts
		coding.Coding{Start: 13, End: 20, Code: "outer"}, // "cd ef" and into the next turn
		coding.Coding{Start: 13, End: 15, Code: "inner"},
		coding.Coding{Start: 16, End: 22, Code: "across"}, // "ef", then "gh i"
	)
	var b strings.Builder
	for _, pieces := range cut(turns, list, nil) {
		for _, p := range pieces {
			b.WriteString("[")
			for _, c := range p.Codings {
				b.WriteString(c.Code + " ")
			}
			b.WriteString(p.Text + "]")
		}
		b.WriteString("|")
	}
	if want := "[ab ][outer inner cd][outer  ][outer across ef]|[outer across gh][across  i][j]|"; b.String() != want {
		t.Errorf("cut: %s, want %s", b.String(), want)
	}
}

// TestServe answers a browser that opens the printed address over the
// network, and stops cleanly when its context ends (Ctrl-C).
func TestServe(t *testing.T) {
	s, _ := testServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx) }()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Jar: jar}
	res, err := client.Get(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Request.URL.RawQuery != "" || !strings.Contains(string(body), `href="/sources/X01"`) {
		t.Errorf("opening %s: %d at %s\n%s", s.URL(), res.StatusCode, res.Request.URL, body)
	}
	cancel()
	if err := <-served; err != nil {
		t.Errorf("serve: %v", err)
	}
	if _, err := client.Get("http://" + s.Addr() + "/"); err == nil {
		t.Error("the server still answers after its context ended")
	}
}

// TestRejectCoding rejects a rules coding from the source page: the page
// offers a reject button on it, the API refuses a request without the CSRF
// token or with a code the rules did not make, and the rejected coding
// leaves the page and stays out of the next rules run.
func TestRejectCoding(t *testing.T) {
	s, p := testServer(t)
	ctx := context.Background()
	if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
		t.Fatal(err)
	}
	list, err := p.ListCodings(ctx, app.ListOptions{Source: "P01", Origin: "rules"})
	if err != nil || len(list.Codings) == 0 {
		t.Fatalf("the rules coded nothing in P01: %v", err)
	}
	c := list.Codings[0]
	page := s.do(t, request{path: "/sources/P01"}).Body.String()
	if !strings.Contains(page, `<button class="reject" data-segment="`+c.Segment()+`" data-code="`+c.Code+`" data-start="`+strconv.Itoa(c.Start)+`" data-end="`+strconv.Itoa(c.End)+`" aria-label="reject the rules' `) {
		t.Errorf("the source page offers no reject button for %s %s:\n%s", c.Segment(), c.Code, page)
	}
	body := codingJSON(t, map[string]any{"segment": c.Segment(), "code": c.Code, "coder": "amina"})
	if w := s.do(t, request{method: http.MethodPost, path: "/api/codings/reject", body: body, noCSRF: true}); w.Code != http.StatusForbidden {
		t.Errorf("reject without the CSRF token: status %d", w.Code)
	}
	w := s.do(t, request{method: http.MethodPost, path: "/api/codings/reject", body: codingJSON(t, map[string]any{"segment": c.Segment(), "code": "no_such_code", "coder": "amina"})})
	if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "has no coding no_such_code by rules") {
		t.Errorf("rejecting what the rules did not code: status %d: %s", w.Code, w.Body)
	}
	w = s.do(t, request{method: http.MethodPost, path: "/api/codings/reject", body: codingJSON(t, map[string]any{"segment": c.Segment(), "code": c.Code, "coder": ""})})
	if w.Code != http.StatusBadRequest {
		t.Errorf("rejecting without a coder: status %d: %s", w.Code, w.Body)
	}
	w = s.do(t, request{method: http.MethodPost, path: "/api/codings/reject", body: body})
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"changed":true`) {
		t.Fatalf("reject: status %d: %s", w.Code, w.Body)
	}
	rejected, err := p.ListCodings(ctx, app.ListOptions{Rejected: true})
	if err != nil || len(rejected.Rejections) != 1 || rejected.Rejections[0].RejectedBy != "amina" || rejected.Rejections[0].Segment() != c.Segment() {
		t.Errorf("rejections: %+v, %v", rejected, err)
	}
	page = s.do(t, request{path: "/sources/P01"}).Body.String()
	if strings.Contains(page, `<button class="reject" data-segment="`+c.Segment()+`" data-code="`+c.Code+`"`) {
		t.Errorf("the rejected coding is still among the codings")
	}
	if !strings.Contains(page, `<button class="accept" data-segment="`+c.Segment()+`" data-code="`+c.Code+`"`) {
		t.Errorf("the page does not list the rejected coding to accept it again")
	}
	if run, err := p.Code(ctx, app.CodeOptions{}); err != nil || run.Rejected != 1 || run.Added != 0 {
		t.Errorf("the rules run after the rejection: %+v, %v", run, err)
	}
	if w := s.do(t, request{method: http.MethodPost, path: "/api/codings/accept", body: body}); w.Code != http.StatusOK {
		t.Fatalf("accept: status %d: %s", w.Code, w.Body)
	}
	if w := s.do(t, request{method: http.MethodPost, path: "/api/codings/accept", body: body}); w.Code != http.StatusNotFound {
		t.Errorf("accepting a coding not rejected: status %d: %s", w.Code, w.Body)
	}
	if page = s.do(t, request{path: "/sources/P01"}).Body.String(); strings.Contains(page, `<button class="accept"`) {
		t.Errorf("the accepted coding is still listed as rejected")
	}
}

// A port that is no port, or one in use, is the user's to mend, named as
// the option it came from.
func TestListenBadPort(t *testing.T) {
	s, p := testServer(t)
	_, port, _ := net.SplitHostPort(s.Addr())
	taken, _ := strconv.Atoi(port)
	for _, c := range []struct {
		port int
		code string
	}{{99999, qcode.EINVALID}, {-1, qcode.EINVALID}, {taken, qcode.ECONFLICT}} {
		_, err := Listen(p, Options{Port: c.port})
		var e *qcode.Error
		if !errors.As(err, &e) || e.Code != c.code || e.Field != "port" || strings.Contains(err.Error(), "\n") {
			t.Errorf("port %d: %#v", c.port, err)
		}
	}
}
