package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
)

// TestMeasureTinyCorpus runs the whole measurement on a corpus of a few
// thousand words, building qcode as a run by hand does, so that the
// script keeps up with the commands it runs.
func TestMeasureTinyCorpus(t *testing.T) {
	steps, err := measure(config{words: []int{4000}, dir: t.TempDir(), runs: 3, query: "humility", seed: 1, stdout: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"import", "index --rebuild", "code", "search humility", "sources", "report freq", "export xlsx", "code --stdin"}
	if len(steps) != len(want) {
		t.Fatalf("%d steps, want %d: %+v", len(steps), len(want), steps)
	}
	for i, s := range steps {
		if s.name != want[i] || s.words != 4000 {
			t.Errorf("step %d is %q at %d words, want %q at 4000", i, s.name, s.words, want[i])
		}
		// Every command is a process that ran and held memory; the
		// search ran three times.
		if s.wall <= 0 || s.rss < 1<<20 || s.cpu < 0 {
			t.Errorf("%s: wall %v, cpu %v, peak %d bytes; want each measured", s.name, s.wall, s.cpu, s.rss)
		}
		if runs := map[bool]int{true: 3, false: 1}[strings.HasPrefix(s.name, "search")]; s.runs != runs {
			t.Errorf("%s ran %d times, want %d", s.name, s.runs, runs)
		}
	}
	var out bytes.Buffer
	printTable(&out, steps)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != len(want)+1 || !strings.Contains(lines[0], "peak MiB") || !strings.Contains(lines[4], "search humility") {
		t.Errorf("table:\n%s", out.String())
	}
}

// TestMedian takes the middle run's time and the highest peak of all.
func TestMedian(t *testing.T) {
	got := median([]step{{wall: 30 * time.Millisecond, rss: 5}, {wall: 10 * time.Millisecond, rss: 9}, {wall: 20 * time.Millisecond, rss: 7}})
	if got.wall != 20*time.Millisecond || got.rss != 9 || got.runs != 3 {
		t.Errorf("median = %+v, want 20ms, peak 9, 3 runs", got)
	}
}
