package app_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"qcode/app"
)

// BenchmarkPseudonymise pseudonymises the benchmark project (a corpusgen
// corpus of QCODE_BENCH_WORDS words, 1,000,000 by default, imported and
// coded by the rules; see reportBenchProject): "find" is the detection
// alone, "all" the whole use case, detection, the key, the texts edited
// with their codings moved and rules codings made again, the speakers and
// attributes renamed, the database compacted and the index made anew, on
// a fresh copy of the project each time (the copy is not timed).
//
//	go test -run '^$' -bench Pseudonymise -benchtime 3x ./app
func BenchmarkPseudonymise(b *testing.B) {
	ctx := context.Background()
	base := reportBenchProject(b)
	b.Run("find", func(b *testing.B) {
		p := benchProject(b)
		var items []app.PseudonymItem
		cpu0 := cpuTime()
		for b.Loop() {
			var err error
			if items, err = p.FindIdentifiers(ctx); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(items)), "items")
		b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	})
	b.Run("all", func(b *testing.B) {
		var res *app.PseudonymiseResult
		var spent, cpu time.Duration
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			tmp := b.TempDir()
			dir := filepath.Join(tmp, "project")
			if err := os.CopyFS(dir, os.DirFS(base)); err != nil {
				b.Fatal(err)
			}
			p, err := app.Open(ctx, app.Options{Dir: dir, Command: "bench"})
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			start, cpu0 := time.Now(), cpuTime()
			res, err = p.Pseudonymise(ctx, app.PseudonymiseOptions{Key: filepath.Join(tmp, "study.key"), Coder: "bench"})
			spent, cpu = spent+time.Since(start), cpu+cpuTime()-cpu0
			b.StopTimer()
			p.Close()
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(res.Replacements), "replacements")
		b.ReportMetric(float64(len(res.Items)), "items")
		b.ReportMetric(spent.Seconds()/float64(b.N), "s/op")
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	})
}

// cpuTime is the processor time the process has used, in user and system
// mode: steadier than the time on the clock on a shared machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
