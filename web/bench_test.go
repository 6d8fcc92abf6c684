package web

// Benchmarks of the workspace's pages and its coding endpoint, each a
// request through the handler as a browser makes it, on projects the size
// issue 13 sets targets for:
//
//	go test -run '^$' -bench '^Benchmark(SourcePage|SmallSourcePage|AddCoding|Retrieve)$' -benchmem ./web
//	go test -run '^$' -bench '^BenchmarkSourcePage$' -benchmem -cpuprofile cpu.out ./web
//
// The projects are made once per test binary: a 300,000-character
// transcript of about 52,000 words with 2,000 codings by four coders,
// nested and overlapping (makeSourceBench), and 400 interviews with 2,000
// passages of humility among 2,000 codings of other codes
// (makeRetrieveBench). Codings come in through app.ImportCodings, one
// transaction per coder.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"qcode/app"
	"qcode/internal/corpusgen"
)

// benchCoders are who coded the benchmark projects.
var benchCoders = []string{"amina", "ben", "chidi", "dana"}

// benchFixture is a project made once per test binary, in its own folder.
type benchFixture struct {
	once sync.Once
	dir  string
	err  error
}

var sourceBench, retrieveBench benchFixture

// benchTemps are the folders the fixtures were made in, removed by
// TestMain.
var benchTemps struct {
	sync.Mutex
	dirs []string
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range benchTemps.dirs {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// get makes the fixture with make on first use and returns its project,
// open for writing until b ends.
func (f *benchFixture) get(b *testing.B, make func(ctx context.Context, tmp string) (string, error)) *app.Project {
	b.Helper()
	f.once.Do(func() {
		tmp, err := os.MkdirTemp("", "qcode-web-bench-")
		if err != nil {
			f.err = err
			return
		}
		benchTemps.Lock()
		benchTemps.dirs = append(benchTemps.dirs, tmp)
		benchTemps.Unlock()
		f.dir, f.err = make(context.Background(), tmp)
	})
	if f.err != nil {
		b.Fatal(f.err)
	}
	return openStudy(b, f.dir)
}

// copyOf makes the fixture and returns a copy of its project, open for
// writing until b ends, for a benchmark that changes it.
func (f *benchFixture) copyOf(b *testing.B, make func(ctx context.Context, tmp string) (string, error)) *app.Project {
	b.Helper()
	f.get(b, make)
	dir := filepath.Join(b.TempDir(), "study")
	if err := os.CopyFS(dir, os.DirFS(f.dir)); err != nil {
		b.Fatal(err)
	}
	return openStudy(b, dir)
}

// newBenchProject makes an empty project with the default codebook in tmp
// and opens it.
func newBenchProject(ctx context.Context, tmp string) (string, *app.Project, error) {
	dir := filepath.Join(tmp, "study")
	if _, err := app.Init(ctx, dir); err != nil {
		return "", nil, err
	}
	p, err := app.Open(ctx, app.Options{Dir: dir, Command: "bench"})
	return dir, p, err
}

// span is a stretch of a source to code, in characters.
type span struct{ start, end int }

// benchCodings are the rows (segment,code) of each coder's table of
// codings, each coding once.
type benchCodings struct {
	rows map[string][]string
	seen map[string]bool
	n    int // how many
}

// add adds a coder's row unless the coder has it already.
func (bc *benchCodings) add(coder, row string) {
	if bc.rows == nil {
		bc.rows, bc.seen = map[string][]string{}, map[string]bool{}
	}
	if !bc.seen[coder+row] {
		bc.seen[coder+row] = true
		bc.rows[coder] = append(bc.rows[coder], row)
		bc.n++
	}
}

// importBenchCodings imports the codings through app.ImportCodings, one
// table per coder.
func importBenchCodings(ctx context.Context, p *app.Project, tmp string, bc *benchCodings) error {
	for _, coder := range benchCoders {
		file := filepath.Join(tmp, coder+".csv")
		if err := os.WriteFile(file, []byte("segment,code\n"+strings.Join(bc.rows[coder], "\n")+"\n"), 0o644); err != nil {
			return err
		}
		if _, err := p.ImportCodings(ctx, file, coder); err != nil {
			return err
		}
	}
	return nil
}

// makeSourceBench makes a project of one generated interview, T01, of about
// 50,000 words and 300,000 characters, with 2,000 codings of assorted codes
// by four coders: sentences, turns, phrases inside sentences (nested in
// them) and stretches across two sentences (overlapping their neighbours).
func makeSourceBench(ctx context.Context, tmp string) (string, error) {
	rng := rand.New(rand.NewPCG(13, 1))
	file := filepath.Join(tmp, "T01.txt")
	f, err := os.Create(file)
	if err != nil {
		return "", err
	}
	if err := corpusgen.Interview(f, "txt", 52000, rng); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	dir, p, err := newBenchProject(ctx, tmp)
	if err != nil {
		return "", err
	}
	defer p.Close()
	if _, err := p.Import(ctx, app.ImportOptions{Files: []string{file}}, nil); err != nil {
		return "", err
	}
	src, err := p.Source(ctx, "T01")
	if err != nil {
		return "", err
	}
	cb, err := p.Codebook()
	if err != nil {
		return "", err
	}
	codes := cb.IDs()
	var sentences []span
	for _, t := range src.Turns {
		for _, s := range t.Sentences {
			sentences = append(sentences, span{s.Start, s.End})
		}
	}
	var bc benchCodings
	for bc.n < 2000 {
		i := rng.IntN(len(sentences))
		sp := sentences[i]
		switch k := rng.IntN(20); {
		case k < 3: // the whole turn
			t := src.Turns[rng.IntN(len(src.Turns))]
			sp = span{t.Start, t.End}
		case k < 10: // a phrase inside the sentence
			if n := sp.end - sp.start; n > 10 {
				a := sp.start + rng.IntN(n/2)
				sp = span{a, a + 5 + rng.IntN(sp.end-a-5)}
			}
		case k < 13 && i+1 < len(sentences): // into the next sentence
			next := sentences[i+1]
			sp = span{sp.start + (sp.end-sp.start)/2, next.start + (next.end-next.start)/2}
		}
		coder, code := benchCoders[rng.IntN(len(benchCoders))], codes[rng.IntN(len(codes))]
		bc.add(coder, fmt.Sprintf("T01:%d-%d,%s", sp.start, sp.end, code))
	}
	return dir, importBenchCodings(ctx, p, tmp, &bc)
}

// makeRetrieveBench makes a project of 400 generated interviews of about
// 1,000 words each, with case attributes (country, role), 2,000 sentences
// coded humility and 2,000 coded with other codes, by four coders.
func makeRetrieveBench(ctx context.Context, tmp string) (string, error) {
	rng := rand.New(rand.NewPCG(13, 2))
	in := filepath.Join(tmp, "corpus")
	if err := os.MkdirAll(in, 0o755); err != nil {
		return "", err
	}
	cases := []string{"case,country,role"}
	countries, roles := []string{"UK", "Uganda", "Ghana", "Malawi", "India"}, []string{"NHS", "partner"}
	var names []string
	for i := range 400 {
		name := fmt.Sprintf("R%03d", i+1)
		var b strings.Builder
		if err := corpusgen.Interview(&b, "txt", 1000, rng); err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(in, name+".txt"), []byte(b.String()), 0o644); err != nil {
			return "", err
		}
		names = append(names, name)
		cases = append(cases, name+","+countries[rng.IntN(len(countries))]+","+roles[rng.IntN(len(roles))])
	}
	attrs := filepath.Join(tmp, "cases.csv")
	if err := os.WriteFile(attrs, []byte(strings.Join(cases, "\n")+"\n"), 0o644); err != nil {
		return "", err
	}
	dir, p, err := newBenchProject(ctx, tmp)
	if err != nil {
		return "", err
	}
	defer p.Close()
	if _, err := p.Import(ctx, app.ImportOptions{Files: []string{in}, Attributes: attrs}, nil); err != nil {
		return "", err
	}
	cb, err := p.Codebook()
	if err != nil {
		return "", err
	}
	var others []string
	for _, id := range cb.IDs() {
		if id != "humility" {
			others = append(others, id)
		}
	}
	var bc benchCodings
	for bc.n < 4000 {
		code := "humility"
		if bc.n%2 == 1 {
			code = others[rng.IntN(len(others))]
		}
		coder := benchCoders[rng.IntN(len(benchCoders))]
		bc.add(coder, fmt.Sprintf("%s:s%d,%s", names[bc.n/10], 1+rng.IntN(40), code))
	}
	return dir, importBenchCodings(ctx, p, tmp, &bc)
}

// benchRequest serves one request through s's handler, as the browser
// makes it, and fails b unless it is answered with 200.
func benchRequest(b *testing.B, s *Server, method, path, body string) *httptest.ResponseRecorder {
	var r *http.Request
	if body == "" {
		r = httptest.NewRequest(method, path, nil)
	} else {
		r = httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set(csrfHeader, s.csrf)
	}
	r.Host = s.Addr()
	r.AddCookie(&http.Cookie{Name: tokenCookie, Value: testToken})
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		b.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body)
	}
	return w
}

// cpuTime is the processor time the process has used, in user and system
// mode: on a machine whose other work varies, it measures a handler's cost
// more steadily than ns/op does.
func cpuTime() time.Duration {
	var u syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// reportCPU reports the processor time per operation since cpu0, as
// cpu-ms/op (the garbage collector's included).
func reportCPU(b *testing.B, cpu0 time.Duration) {
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// benchServer serves p with the test's token until b ends.
func benchServer(b *testing.B, p *app.Project) *Server {
	s, err := Listen(p, Options{Token: testToken})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.ln.Close() })
	return s
}

// BenchmarkSourcePage serves the page of the 300,000-character transcript
// with its 2,000 codings (target: under 300 ms).
func BenchmarkSourcePage(b *testing.B) {
	p := sourceBench.get(b, makeSourceBench)
	s := benchServer(b, p)
	size := benchRequest(b, s, http.MethodGet, "/sources/T01", "").Body.Len()
	srcs, err := p.Sources(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		benchRequest(b, s, http.MethodGet, "/sources/T01", "")
	}
	reportCPU(b, cpu0)
	b.ReportMetric(float64(size), "page-bytes")
	b.ReportMetric(float64(srcs[0].Chars), "chars")
	b.ReportMetric(float64(srcs[0].Words), "words")
	b.ReportMetric(float64(srcs[0].Codings), "codings")
}

// BenchmarkParts answers what the source page asks after a coding: the
// turns and rows a span in the middle of the transcript touches, and the
// codebook's counts.
func BenchmarkParts(b *testing.B) {
	p := sourceBench.get(b, makeSourceBench)
	s := benchServer(b, p)
	src, err := p.SourceTurns(context.Background(), "T01")
	if err != nil {
		b.Fatal(err)
	}
	t := src.Turns[len(src.Turns)/2]
	path := fmt.Sprintf("/api/sources/T01/parts?start=%d&end=%d", t.Start, t.Start+40)
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		benchRequest(b, s, http.MethodGet, path, "")
	}
	reportCPU(b, cpu0)
}

// BenchmarkSmallSourcePage serves the page of one 1,000-word interview of
// the 400 in retrieveBenchProject: what the project's size adds to a
// page of one source, which should be little.
func BenchmarkSmallSourcePage(b *testing.B) {
	s := benchServer(b, retrieveBench.get(b, makeRetrieveBench))
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		benchRequest(b, s, http.MethodGet, "/sources/R001", "")
	}
	reportCPU(b, cpu0)
}

// BenchmarkAddCoding codes a sentence of that transcript through the JSON
// endpoint (target: under 20 ms), a fresh span each time, so that every
// request writes.
func BenchmarkAddCoding(b *testing.B) {
	p := sourceBench.copyOf(b, makeSourceBench)
	s := benchServer(b, p)
	src, err := p.Source(context.Background(), "T01")
	if err != nil {
		b.Fatal(err)
	}
	var spans []span
	for _, t := range src.Turns {
		for _, se := range t.Sentences {
			spans = append(spans, span{se.Start, se.End})
		}
	}
	i := 0
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		sp := spans[i%len(spans)]
		coder := fmt.Sprintf("bench%d", i/len(spans))
		i++
		benchRequest(b, s, http.MethodPost, "/api/codings",
			fmt.Sprintf(`{"source":"T01","start":%d,"end":%d,"code":"humility","coder":%q}`, sp.start, sp.end, coder))
	}
	reportCPU(b, cpu0)
}

// BenchmarkRetrieve retrieves humility's 2,000 passages across 400 sources
// (target: under 200 ms), alone, filtered and rolled up from its parent.
func BenchmarkRetrieve(b *testing.B) {
	s := benchServer(b, retrieveBench.get(b, makeRetrieveBench))
	for _, path := range []string{"/codes/humility", "/codes/humility?coder=amina&attr=country%3DUganda", "/codes/enablers?rollup=1"} {
		b.Run(strings.TrimPrefix(path, "/codes/"), func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				benchRequest(b, s, http.MethodGet, path, "")
			}
			reportCPU(b, cpu0)
		})
	}
}
