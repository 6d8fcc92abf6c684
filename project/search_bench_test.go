package project

// Benchmarks of search over the benchmark corpus of import_bench_test.go:
//
//	QCODE_BENCH_WORDS=1000000 go test -run '^$' -bench Search -benchtime 50x ./project
//
// BenchmarkIndex builds the search index from the store (the indexing part
// of an import) and reports its size on disk as a multiple of the text.
// BenchmarkSearch times one search with keyword in context, as `qcode
// search` runs it once the project is open: the index opened, candidates
// found, each decided by the rule over its stored tokens, 20 hits put in
// context, with the index held open from the search before (as a project
// keeps it) and opened afresh (as a new process does). It reports the
// median and the hits found.

import (
	"context"
	"slices"
	"testing"
	"time"

	"qcode/codebook"
	"qcode/coding"
)

var searchBenchIndexed bool

func indexBenchProject(b *testing.B) *Project {
	p, _ := loadCodeBenchProject(b)
	if !searchBenchIndexed {
		if _, err := p.UpdateIndex(context.Background(), true); err != nil {
			b.Fatal(err)
		}
		searchBenchIndexed = true
	}
	return p
}

func BenchmarkIndex(b *testing.B) {
	ctx := context.Background()
	p, words := loadCodeBenchProject(b)
	var textBytes int64
	if err := p.db.QueryRowContext(ctx, `SELECT sum(length(CAST(text AS BLOB))) FROM sources`).Scan(&textBytes); err != nil {
		b.Fatal(err)
	}
	var res IndexResult
	b.ResetTimer()
	for range b.N {
		var err error
		if res, err = p.UpdateIndex(ctx, true); err != nil {
			b.Fatal(err)
		}
	}
	searchBenchIndexed = true
	b.ReportMetric(float64(words)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
	b.ReportMetric(float64(res.Bytes)/float64(textBytes), "x-text-size")
	b.ReportMetric(float64(res.Docs), "sentences")
}

func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	p := indexBenchProject(b)
	m, err := codebook.NewMatcher(codebook.Default())
	if err != nil {
		b.Fatal(err)
	}
	// Coded with the default codebook, as in the demo, so that the code
	// facet has codings to count.
	run := RulesRun{Codebook: "default", CodebookHash: "default", Unit: coding.UnitSentence}
	if _, err := p.CodeRules(ctx, run, coding.NewApplier(m, "default", time.Now())); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		req  SearchRequest
	}{
		{"word", SearchRequest{Query: "humility"}},
		{"word-by-relevance", SearchRequest{Query: "humility", Sort: "relevance"}},
		{"wildcard", SearchRequest{Query: "debrief*"}},
		{"phrase", SearchRequest{Query: `"mandatory training"`}},
		{"near", SearchRequest{Query: "debrief* NEAR/5 (team OR everyone)"}},
		{"turn", SearchRequest{Query: "learn* AND teach*", Unit: "turn"}},
		{"facets", SearchRequest{Query: "learn*", Facets: []string{"speaker", "source", "case", "code"}}},
	} {
		// held: the index stays open from one search to the next, as a
		// project keeps it; cold: each search opens it, as the one search
		// of a new 'qcode search' process does.
		for _, cold := range []bool{false, true} {
			name := bc.name + "/index=held"
			if cold {
				name = bc.name + "/index=cold"
			}
			b.Run(name, func(b *testing.B) {
				req := bc.req
				req.Matcher, req.Limit, req.Width = m, 20, 40
				var times []time.Duration
				var res *SearchResult
				for range b.N {
					if cold {
						b.StopTimer()
						if err := p.CloseIndex(); err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
					}
					start := time.Now()
					var err error
					if res, err = p.Search(ctx, req); err != nil {
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
