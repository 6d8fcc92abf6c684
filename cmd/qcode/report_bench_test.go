package main

// Benchmarks of reports and the results workbook, each the whole command
// once the process has started: read the codebook and the project, prepare
// the codings, make the table, write it.
//
//	go test -run '^$' -bench 'Report|Export' -benchtime 3x ./cmd/qcode
//	QCODE_BENCH_WORDS=200000 go test -run '^$' -bench 'Report|Export' ./cmd/qcode
//	QCODE_BENCH_PROJECT=DIR go test -run '^$' -bench 'Report|Export' ./cmd/qcode
//
// The project is made once per test binary from a corpusgen corpus of
// QCODE_BENCH_WORDS words (1,000,000 by default), imported and coded with
// the default codebook plus four broad codes (we/us, they/them, learning
// words, articles), which give about 100,000 codings per million words:
// the size the workbook must write in under 3 s. QCODE_BENCH_PROJECT
// measures a project of your own, as it is. Peak memory is the process's:
// measure it on the command line, e.g. /usr/bin/time -v qcode export xlsx.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"qcode/codebook"
	"qcode/coding/report"
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
		var errb bytes.Buffer
		for _, args := range [][]string{{"init", r.dir}, {"-C", r.dir, "import", in}} {
			if code := run(context.Background(), args, strings.NewReader(""), io.Discard, &errb); code != 0 {
				r.err = fmt.Errorf("qcode %s: %s", strings.Join(args, " "), errb.String())
				return
			}
		}
		if r.err = os.WriteFile(filepath.Join(r.dir, codebookFile), []byte(benchCodebook), 0o644); r.err != nil {
			return
		}
		if code := run(context.Background(), []string{"-C", r.dir, "code"}, strings.NewReader(""), io.Discard, &errb); code != 0 {
			r.err = fmt.Errorf("qcode code: %s", errb.String())
		}
	})
	if r.err != nil {
		b.Fatal(r.err)
	}
	return r.dir
}

// benchAnalysis returns an env for the benchmark project that prints
// nothing, and the project's analysis of every coder's codings.
func benchAnalysis(b *testing.B) (*env, *report.Analysis) {
	b.Helper()
	e := newEnv(strings.NewReader(""), io.Discard, io.Discard)
	e.projectDir = reportBenchProject(b)
	a, _, err := e.loadAnalysis(context.Background(), "all", "bench")
	if err != nil {
		b.Fatal(err)
	}
	return e, a
}

// BenchmarkReport runs each report on the benchmark project, printing its
// table as TSV (load is reading and preparing alone).
func BenchmarkReport(b *testing.B) {
	e, a := benchAnalysis(b)
	ctx := context.Background()
	words, codings := a.Words(), a.CodingCount()
	b.Run("load", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := e.loadAnalysis(ctx, "all", "bench"); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(words), "words")
		b.ReportMetric(float64(codings), "codings")
	})
	for _, o := range []reportOptions{
		{kind: "freq"},
		{kind: "freq", rollup: true, split: "coder"},
		{kind: "matrix", by: "source", count: "segments"},
		{kind: "matrix", by: "case", count: "words", percent: "column", rollup: true},
		{kind: "cooccur"},
		{kind: "cooccur", overlap: true, jaccard: true},
		{kind: "framework", themes: "top"},
	} {
		o.coder = "all"
		name := o.kind
		switch {
		case o.by != "":
			name += "/by=" + o.by
		case o.overlap:
			name += "/overlap"
		case o.split != "":
			name += "/rollup-split"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := runReport(ctx, e, o); err != nil {
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
	e, a := benchAnalysis(b)
	ctx := context.Background()
	out := b.TempDir()
	for _, format := range []string{"xlsx", "csv"} {
		b.Run("format="+format, func(b *testing.B) {
			path := filepath.Join(out, "results")
			if format == "xlsx" {
				path += ".xlsx"
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := runExport(ctx, e, exportOptions{format: format, path: path, coder: "all", themes: "top"}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(a.CodingCount()), "codings")
			if st, err := os.Stat(path); err == nil && !st.IsDir() {
				b.ReportMetric(float64(st.Size())/1e6, "MB")
			}
		})
	}
}
