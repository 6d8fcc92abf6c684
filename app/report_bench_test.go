package app_test

// Benchmarks of reports and the results workbook, each the whole use case
// once a front end has started: read the codebook and the project, prepare
// the codings, make the table, write it.
//
//	go test -run '^$' -bench 'Report|Export' -benchtime 3x ./app
//	QCODE_BENCH_WORDS=200000 go test -run '^$' -bench 'Report|Export' ./app
//	QCODE_BENCH_PROJECT=DIR go test -run '^$' -bench 'Report|Export' ./app
//
// The project is made once per test binary from a corpusgen corpus of
// QCODE_BENCH_WORDS words (1,000,000 by default), imported and coded with
// the default codebook plus four broad codes (we/us, they/them, learning
// words, articles), which give about 100,000 codings per million words:
// the size the workbook must write in under 3 s. QCODE_BENCH_PROJECT
// measures a project of your own, as it is. Peak memory is the process's:
// measure it on the command line, e.g. /usr/bin/time -v qcode export xlsx.

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"qcode/app"
	"qcode/codebook"
	"qcode/coding/report"
	"qcode/export"
	"qcode/internal/corpusgen"
)

// benchCodebook is the default codebook with broad codes added, so that a
// generated corpus gets about one coding per ten words.
var benchCodebook = string(codebook.DefaultYAML()) + `  - id: broad
    name: Broad codes for benchmarks
    codes:
      - id: we_us
        name: We and us
        rule: we OR us OR our
      - id: they_them
        name: They and them
        rule: they OR them OR their
      - id: learning_words
        name: Learning words
        rule: learn* OR taught OR teach*
      - id: articles
        name: Articles
        rule: the OR a
`

var reportBench struct {
	once sync.Once
	dir  string // the project
	tmp  string // what it was made in, removed by TestMain
	err  error
}

// reportBenchProject returns the benchmark project, making it on first use.
func reportBenchProject(b *testing.B) string {
	b.Helper()
	r := &reportBench
	r.once.Do(func() {
		if dir := os.Getenv("QCODE_BENCH_PROJECT"); dir != "" {
			r.dir = dir
			return
		}
		words := 1000000
		if s := os.Getenv("QCODE_BENCH_WORDS"); s != "" {
			if words, r.err = strconv.Atoi(s); r.err != nil || words <= 0 {
				r.err = fmt.Errorf("QCODE_BENCH_WORDS=%q: want a positive number of words", s)
				return
			}
		}
		if r.tmp, r.err = os.MkdirTemp("", "qcode-report-bench-"); r.err != nil {
			return
		}
		in := filepath.Join(r.tmp, "corpus")
		if _, r.err = corpusgen.Write(in, words, 1); r.err != nil {
			return
		}
		r.dir = filepath.Join(r.tmp, "project")
		ctx := context.Background()
		if r.err = os.MkdirAll(r.dir, 0o755); r.err != nil {
			return
		}
		if r.err = os.WriteFile(filepath.Join(r.dir, app.CodebookFile), []byte(benchCodebook), 0o644); r.err != nil {
			return
		}
		if _, r.err = app.Init(ctx, r.dir); r.err != nil {
			return
		}
		p, err := app.Open(ctx, app.Options{Dir: r.dir, Command: "bench"})
		if r.err = err; err != nil {
			return
		}
		defer p.Close()
		if _, r.err = p.Import(ctx, app.ImportOptions{Files: []string{in}}, nil); r.err != nil {
			return
		}
		_, r.err = p.Code(ctx, app.CodeOptions{})
	})
	if r.err != nil {
		b.Fatal(r.err)
	}
	return r.dir
}

// benchProject opens the benchmark project to read, closed when b ends.
func benchProject(b *testing.B) *app.Project {
	b.Helper()
	p, err := app.Open(context.Background(), app.Options{Dir: reportBenchProject(b), ReadOnly: true, Command: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.Close() })
	return p
}

// BenchmarkReport makes each report of the benchmark project and writes
// its table as CSV (load is reading and preparing alone).
func BenchmarkReport(b *testing.B) {
	p := benchProject(b)
	ctx := context.Background()
	a, err := p.Analysis(ctx, app.AllCoders)
	if err != nil {
		b.Fatal(err)
	}
	words, codings := a.Words(), a.CodingCount()
	b.Run("load", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.Analysis(ctx, app.AllCoders); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(words), "words")
		b.ReportMetric(float64(codings), "codings")
	})
	for _, c := range []struct {
		name string
		o    app.ReportOptions
	}{
		{"freq", app.ReportOptions{Kind: "freq", Frequency: report.FrequencyOptions{}}},
		{"freq/own-split", app.ReportOptions{Kind: "freq", Frequency: report.FrequencyOptions{Own: true, Split: "coder"}}},
		{"matrix/by=source", app.ReportOptions{Kind: "matrix", Matrix: report.MatrixOptions{By: "source", Count: "segments"}}},
		{"matrix/by=case", app.ReportOptions{Kind: "matrix", Matrix: report.MatrixOptions{By: "case", Count: "words", Percent: "column", RollUp: true}}},
		{"cooccur", app.ReportOptions{Kind: "cooccur"}},
		{"cooccur/overlap", app.ReportOptions{Kind: "cooccur", Cooccur: report.CooccurrenceOptions{Overlap: true, Jaccard: true}}},
		{"framework", app.ReportOptions{Kind: "framework"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, t, err := p.Report(ctx, app.AllCoders, c.o)
				if err != nil {
					b.Fatal(err)
				}
				if err := export.WriteTableCSV(io.Discard, t); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(words), "words")
		})
	}
}

// BenchmarkExport writes the results workbook, and its CSV files, of the
// benchmark project.
func BenchmarkExport(b *testing.B) {
	p := benchProject(b)
	ctx := context.Background()
	out := b.TempDir()
	for _, format := range []string{"xlsx", "csv"} {
		b.Run("format="+format, func(b *testing.B) {
			path := filepath.Join(out, "results")
			if format == "xlsx" {
				path += ".xlsx"
			}
			b.ReportAllocs()
			var codings int
			for b.Loop() {
				res, err := p.Export(ctx, app.ExportOptions{Format: format, Path: path})
				if err != nil {
					b.Fatal(err)
				}
				codings = res.Codings
			}
			b.ReportMetric(float64(codings), "codings")
			if st, err := os.Stat(path); err == nil && !st.IsDir() {
				b.ReportMetric(float64(st.Size())/1e6, "MB")
			}
		})
	}
}

// TestMain removes the benchmark project made in a temporary folder.
func TestMain(m *testing.M) {
	code := m.Run()
	if reportBench.tmp != "" {
		os.RemoveAll(reportBench.tmp)
	}
	os.Exit(code)
}
