package app_test

// Benchmarks of a whole project out to a .qdpx and into a new project,
// on the project of report_bench_test.go (a corpusgen corpus of
// QCODE_BENCH_WORDS words, 1,000,000 by default, with about 100,000
// codings by the rules):
//
//	go test -run '^$' -bench 'QDPX' -benchtime 3x ./app
//
// The import takes the rules' codings as a person's, since a merge leaves
// the rules' out: every coding is written. Peak memory is the process's:
// measure it on the command line, e.g. /usr/bin/time -v qcode export qdpx
// and qcode import FILE.qdpx; QCODE_BENCH_QDPX=FILE leaves the .qdpx the
// import benchmark reads at FILE, for that:
//
//	QCODE_BENCH_QDPX=/tmp/team.qdpx go test -run '^$' -bench ImportQDPX -benchtime 1x ./app
//	qcode init /tmp/team && /usr/bin/time -v qcode --project /tmp/team import /tmp/team.qdpx

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"qcode/app"
	"qcode/coding"
	"qcode/refi"
)

var benchExportTime = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func BenchmarkExportQDPX(b *testing.B) {
	p := benchProject(b)
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "team.qdpx")
	var res *app.QDPXResult
	for b.Loop() {
		var err error
		if res, err = p.ExportQDPX(ctx, path, benchExportTime); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Codings), "codings")
}

func BenchmarkImportQDPX(b *testing.B) {
	ctx := context.Background()
	x, err := benchProject(b).Exchange(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for i := range x.Codings {
		if x.Codings[i].Coder == coding.RulesCoder {
			x.Codings[i].Coder, x.Codings[i].Origin = "amina", coding.OriginManual
		}
	}
	tmp := b.TempDir()
	file := filepath.Join(tmp, "team.qdpx")
	if keep := os.Getenv("QCODE_BENCH_QDPX"); keep != "" {
		file = keep
	}
	if err := refi.WriteFile(file, x, benchExportTime); err != nil {
		b.Fatal(err)
	}
	n := 0
	var rep *app.MergeReport
	for b.Loop() {
		b.StopTimer()
		n++
		dir := filepath.Join(tmp, "copy", string(rune('a'+n%26))+time.Now().Format("150405.000000"))
		if _, err := app.Init(ctx, dir); err != nil {
			b.Fatal(err)
		}
		q, err := app.Open(ctx, app.Options{Dir: dir, Command: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if rep, err = q.MergeFrom(ctx, file, app.MergeOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		q.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rep.CodingsAdded), "codings")
	b.ReportMetric(float64(len(rep.SourcesAdded)), "sources")
}
