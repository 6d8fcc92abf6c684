package search

// Benchmarks of indexing and searching a corpus from corpusgen, imported
// once per test binary into a project coded with the default codebook:
//
//	QCODE_BENCH_WORDS=1000000 go test -run '^$' -bench Search -benchtime 100x ./search
//
// BenchmarkIndex builds the search index from the store (the indexing part
// of an import) and reports its size on disk as a multiple of the text.
// BenchmarkSearch times one search with keyword in context, as `qcode
// search` runs it once the project is open: the index opened, candidates
// found, each decided by the rule over its stored tokens, 20 hits put in
// context, with the index held open from the search before (as an engine
// keeps it) and opened afresh (as a new process does). It reports the
// median and the hits found.

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"qcode/codebook"
	"qcode/coding"
	"qcode/internal/corpusgen"
	"qcode/project"
)

// benchWordsDefault keeps `go test -bench . ./search` to seconds.
const benchWordsDefault = 200000

var bench struct {
	once    sync.Once
	tmp     string // the corpus and the project, removed by TestMain
	p       *project.Project
	e       *Engine
	words   int
	files   []string // the corpus's files, to import again
	indexed bool
	err     error
}

// TestMain removes the benchmark project after every test and benchmark
// ran.
func TestMain(m *testing.M) {
	code := m.Run()
	if bench.e != nil {
		bench.e.Close()
	}
	if bench.p != nil {
		bench.p.Close()
	}
	if bench.tmp != "" {
		os.RemoveAll(bench.tmp)
	}
	os.Exit(code)
}

// benchProject writes a corpus of QCODE_BENCH_WORDS words, imports it into
// a new project file by file, as qcode import does, and codes it with the
// default codebook, as the demo does, so that the code facet has codings
// to count; once.
func benchProject(b *testing.B) (*project.Project, *Engine, int) {
	b.Helper()
	c := &bench
	c.once.Do(func() {
		words := benchWordsDefault
		if s := os.Getenv("QCODE_BENCH_WORDS"); s != "" {
			if words, c.err = strconv.Atoi(s); c.err != nil || words <= 0 {
				c.err = fmt.Errorf("QCODE_BENCH_WORDS=%q: want a positive number of words", s)
				return
			}
		}
		if c.tmp, c.err = os.MkdirTemp("", "qcode-search-bench-"); c.err != nil {
			return
		}
		files, err := corpusgen.Write(filepath.Join(c.tmp, "corpus"), words, 1)
		if err != nil {
			c.err = err
			return
		}
		c.files = files
		ctx := context.Background()
		if c.p, c.err = project.Init(ctx, filepath.Join(c.tmp, "project")); c.err != nil {
			return
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err == nil {
				err = importFile(ctx, c.p, f, data, false)
			}
			if err != nil {
				c.err = err
				return
			}
		}
		sources, err := c.p.Sources(ctx)
		if err != nil {
			c.err = err
			return
		}
		for _, s := range sources {
			c.words += s.Words
		}
		m, err := codebook.NewMatcher(codebook.Default())
		if err != nil {
			c.err = err
			return
		}
		run := project.RulesRun{Codebook: "default", CodebookHash: "default", Unit: coding.UnitSentence}
		if _, c.err = c.p.CodeRules(ctx, run, coding.NewApplier(m, "default", time.Now())); c.err != nil {
			return
		}
		c.e = NewEngine(c.p.IndexPath(), c.p)
	})
	if c.err != nil {
		b.Fatalf("making the benchmark project: %v", c.err)
	}
	return c.p, c.e, c.words
}

func BenchmarkIndex(b *testing.B) {
	ctx := context.Background()
	p, e, words := benchProject(b)
	stamps, _, err := p.SourceStamps(ctx)
	if err != nil {
		b.Fatal(err)
	}
	texts, err := p.SourceTexts(ctx, slices.Collect(maps.Keys(stamps)))
	if err != nil {
		b.Fatal(err)
	}
	var textBytes int64
	for _, t := range texts {
		textBytes += int64(len(t))
	}
	var res IndexResult
	b.ResetTimer()
	for range b.N {
		if res, err = e.Update(ctx, true); err != nil {
			b.Fatal(err)
		}
	}
	bench.indexed = true
	b.ReportMetric(float64(words)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
	b.ReportMetric(float64(res.Bytes)/float64(textBytes), "x-text-size")
	b.ReportMetric(float64(res.Docs), "sentences")
}

func BenchmarkUpdate(b *testing.B) {
	ctx := context.Background()
	p, e, _ := benchProject(b)
	if _, err := e.Update(ctx, !bench.indexed); err != nil {
		b.Fatal(err)
	}
	bench.indexed = true
	file := bench.files[0]
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	changed := bytes.Replace(orig, []byte(" the "), []byte(" a "), 1)
	var res IndexResult
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		data := changed
		if i%2 == 1 {
			data = orig
		}
		if err := importFile(ctx, p, file, data, true); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if res, err = e.Update(ctx, false); err != nil {
			b.Fatal(err)
		}
		if res.Added != 1 || res.Removed != 1 {
			b.Fatalf("update: %+v", res)
		}
	}
	b.StopTimer()
	// Leave the file's text as the other benchmarks found it.
	if b.N%2 == 1 {
		if err := importFile(ctx, p, file, orig, true); err != nil {
			b.Fatal(err)
		}
		if _, err := e.Update(ctx, false); err != nil {
			b.Fatal(err)
		}
	}
}

// searchBench returns the benchmark project's engine, its index made,
// and the default codebook's matcher.
func searchBench(b *testing.B) (*Engine, *codebook.Matcher) {
	b.Helper()
	_, e, _ := benchProject(b)
	if !bench.indexed {
		if _, err := e.Update(context.Background(), true); err != nil {
			b.Fatal(err)
		}
		bench.indexed = true
	}
	m, err := codebook.NewMatcher(codebook.Default())
	if err != nil {
		b.Fatal(err)
	}
	return e, m
}

func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	e, m := searchBench(b)
	for _, bc := range []struct {
		name string
		req  Request
	}{
		{"word", Request{Query: "humility"}},
		{"word-by-relevance", Request{Query: "humility", Sort: "relevance"}},
		{"wildcard", Request{Query: "debrief*"}},
		{"wildcard-no-interviewers", Request{Query: "debrief*", SkipInterviewers: true}},
		{"phrase", Request{Query: `"mandatory training"`}},
		{"near", Request{Query: "debrief* NEAR/5 (team OR everyone)"}},
		{"turn", Request{Query: "learn* AND teach*", Unit: "turn"}},
		{"facets", Request{Query: "learn*", Facets: []string{"speaker", "source", "case", "code"}}},
	} {
		// held: the index stays open from one search to the next, as an
		// engine keeps it; cold: each search opens it, as the one search
		// of a new 'qcode search' process does.
		for _, cold := range []bool{false, true} {
			name := bc.name + "/index=held"
			if cold {
				name = bc.name + "/index=cold"
			}
			b.Run(name, func(b *testing.B) {
				req := bc.req
				req.Rules, req.Limit, req.Width = m.Queries(), 20, 40
				var times []time.Duration
				var res *Result
				for range b.N {
					if cold {
						b.StopTimer()
						if err := e.Close(); err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
					}
					start := time.Now()
					var err error
					if res, err = e.Search(ctx, req); err != nil {
						b.Fatal(err)
					}
					times = append(times, time.Since(start))
				}
				slices.Sort(times)
				b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
				b.ReportMetric(float64(res.Total), "hits")
				b.ReportMetric(float64(res.Candidates), "candidates")
			})
		}
	}
}

// BenchmarkSearchAll times a search that shows every hit, as `qcode
// search WORD | ...` does: the hits taken all at once (Result.Hits, as
// --json and the workspace take them), streamed one at a time (as the
// command line prints them on a pipe), and streamed without their matches
// (the command line's lines show only the context). The index is held
// open; with QCODE_BENCH_WORDS=10000000 the word has some 20,000 hits.
func BenchmarkSearchAll(b *testing.B) {
	ctx := context.Background()
	e, m := searchBench(b)
	for _, how := range []string{"collected", "streamed", "streamed-no-matches"} {
		b.Run(how, func(b *testing.B) {
			req := Request{Query: "humility", Rules: m.Queries(), Width: 40, SkipInterviewers: true, NoMatches: how == "streamed-no-matches"}
			var shown, bytes int
			if how != "collected" {
				req.Stream = func(res *Result, hits iter.Seq2[Hit, error]) error {
					for h, err := range hits {
						if err != nil {
							return err
						}
						shown++
						bytes += len(h.Left) + len(h.Match) + len(h.Right) + len(h.Segment)
					}
					return nil
				}
			}
			var times []time.Duration
			b.ReportAllocs()
			cpu0 := cpuTime()
			for range b.N {
				start := time.Now()
				res, err := e.Search(ctx, req)
				if err != nil {
					b.Fatal(err)
				}
				for _, h := range res.Hits {
					shown++
					bytes += len(h.Left) + len(h.Match) + len(h.Right) + len(h.Segment)
				}
				times = append(times, time.Since(start))
			}
			// CPU time, user and system, of every thread: on a shared
			// machine wall time says more of the load than of the search.
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
			b.ReportMetric(float64(shown)/float64(b.N), "hits")
			b.ReportMetric(float64(bytes)/float64(b.N), "context-bytes")
		})
	}
}

// cpuTime is the process's CPU time so far, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
