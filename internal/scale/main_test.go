package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestMeasureTinyCorpus runs the whole measurement on a corpus of a few
// thousand words, building qcode as a run by hand does, so that the
// script keeps up with the commands it runs.
func TestMeasureTinyCorpus(t *testing.T) {
	dir := t.TempDir()
	steps, err := measure(config{words: []int{4000}, dir: dir, runs: 3, query: "humility", seed: 1, stdout: io.Discard})
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

	// -only measures the steps it names on the project kept in dir,
	// writing and importing nothing again.
	only, err := parseOnly("report,search")
	if err != nil {
		t.Fatal(err)
	}
	stamp := func() time.Time {
		st, err := os.Stat(filepath.Join(dir, "w4000", "records.ndjson"))
		if err != nil {
			t.Fatal(err)
		}
		return st.ModTime()
	}
	before := stamp()
	steps, err = measure(config{words: []int{4000}, dir: dir, qcode: filepath.Join(dir, "qcode"), runs: 1, query: "humility", seed: 1, only: only, stdout: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 2 || steps[0].name != "search humility" || steps[1].name != "report freq" {
		t.Errorf("-only report,search measured %+v, want the search then the report", steps)
	}
	if !stamp().Equal(before) {
		t.Error("-only without import wrote the corpus again")
	}
	// Without a kept project there is nothing to measure.
	if _, err := measure(config{words: []int{5000}, dir: dir, qcode: filepath.Join(dir, "qcode"), runs: 1, query: "humility", only: only, stdout: io.Discard}); err == nil || !strings.Contains(err.Error(), "no project of 5000 words") {
		t.Errorf("-only on a size never imported: %v, want an error naming it", err)
	}
}

// TestParseOnly takes the steps' keys and refuses anything else by name.
func TestParseOnly(t *testing.T) {
	if got, err := parseOnly("search, export"); err != nil || !slices.Equal(got, []string{"search", "export"}) {
		t.Errorf("parseOnly = %q, %v", got, err)
	}
	if _, err := parseOnly("search,serch"); err == nil || !strings.Contains(err.Error(), `"serch" is not a step`) {
		t.Errorf("parseOnly of a misspelt step: %v", err)
	}
}

// TestMedian takes the middle run's time and the highest peak of all.
func TestMedian(t *testing.T) {
	got := median([]step{{wall: 30 * time.Millisecond, rss: 5}, {wall: 10 * time.Millisecond, rss: 9}, {wall: 20 * time.Millisecond, rss: 7}})
	if got.wall != 20*time.Millisecond || got.rss != 9 || got.runs != 3 {
		t.Errorf("median = %+v, want 20ms, peak 9, 3 runs", got)
	}
}
