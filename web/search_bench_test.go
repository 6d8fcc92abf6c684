package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"qcode/app"
	"qcode/internal/corpusgen"
)

// BenchmarkSearchPage serves the search page for learn* over a generated
// corpus of 200,000 words (20 interviews), the index opened and let go
// in every request as the workspace does, and the first 500 hits of
// some thousands rendered in context.
func BenchmarkSearchPage(b *testing.B) {
	ctx := context.Background()
	tmp := b.TempDir()
	files, err := corpusgen.Write(filepath.Join(tmp, "corpus"), 200_000, 1)
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(tmp, "study")
	if _, err := app.Init(ctx, dir); err != nil {
		b.Fatal(err)
	}
	p, err := app.Open(ctx, app.Options{Dir: dir, Command: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Import(ctx, app.ImportOptions{Files: files}, nil); err != nil {
		b.Fatal(err)
	}
	s, err := Listen(p, Options{Token: testToken})
	if err != nil {
		b.Fatal(err)
	}
	defer s.ln.Close()
	get := func() *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "/search?q=learn%2A", nil)
		r.Host = s.Addr()
		r.AddCookie(&http.Cookie{Name: tokenCookie, Value: testToken})
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, r)
		return w
	}
	if w := get(); w.Code != http.StatusOK {
		b.Fatalf("status %d", w.Code)
	}
	res, err := p.Search(ctx, app.SearchOptions{Query: "learn*", Limit: 1})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		get()
	}
	b.ReportMetric(float64(res.Total), "hits")
}
