package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"qcode/internal/sample"
	"qcode/project"
)

// The concurrency matrix of issue 18: real qcode processes (this test
// binary standing in for qcode, see TestMain) racing on one project. Each
// race runs concurrencyRuns times: a few in go test, and as many as
// QCODE_CONCURRENCY_RUNS says for a longer run, e.g.
//
//	QCODE_CONCURRENCY_RUNS=30 go test -run Concurrent -v ./cmd/qcode
//
// which logs each race's tally. No test here has a time limit of its own:
// a hang is caught by go test's -timeout.

func concurrencyRuns(t *testing.T) int {
	s := os.Getenv("QCODE_CONCURRENCY_RUNS")
	if s == "" {
		return 2
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		t.Fatalf("QCODE_CONCURRENCY_RUNS=%q: want a positive number", s)
	}
	return n
}

// proc is what one qcode process did.
type proc struct {
	args           []string
	code           int
	stdout, stderr string
}

// qcodeCmd is qcode in its own process on the project in dir.
func qcodeCmd(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], append([]string{"--project", dir}, args...)...)
	cmd.Env = append(os.Environ(), "QCODE_TEST_MAIN=1")
	return cmd
}

// qcodeProc runs qcode in its own process on the project in dir.
func qcodeProc(dir string, args ...string) proc {
	cmd := qcodeCmd(dir, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	p := proc{args: args, stdout: out.String(), stderr: errb.String()}
	if err != nil {
		p.code = -1
		if ee, ok := err.(*exec.ExitError); ok {
			p.code = ee.ExitCode()
		}
	}
	return p
}

// together runs each command line in its own process at once and returns
// what each did, in order.
func together(dir string, cmds ...[]string) []proc {
	out := make([]proc, len(cmds))
	var wg sync.WaitGroup
	for i, args := range cmds {
		wg.Go(func() { out[i] = qcodeProc(dir, args...) })
	}
	wg.Wait()
	return out
}

// concurrencyProject makes a project of four interviews of the sample
// corpus, and returns its folder and a folder of more interviews to import.
func concurrencyProject(t *testing.T) (dir, more string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "study")
	in, more := t.TempDir(), t.TempDir()
	for _, name := range []string{"P01.txt", "P02.txt", "P03.txt", "P04.txt", "P10.txt", "P12.txt"} {
		data, err := fs.ReadFile(sample.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		to := in
		if name >= "P10" {
			to = more
		}
		write(t, to, name, string(data))
	}
	mustRun(t, "", "init", dir)
	mustRun(t, dir, "import", in)
	return dir, more
}

// moreInterviews returns a folder of the interviews in more under new
// names for the run, so that each run's import adds sources.
func moreInterviews(t *testing.T, more string, run int) string {
	t.Helper()
	dir := filepath.Join(more, fmt.Sprintf("run%d", run))
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"P10.txt", "P12.txt"} {
		data, err := os.ReadFile(filepath.Join(more, name))
		if err != nil {
			t.Fatal(err)
		}
		write(t, dir, fmt.Sprintf("R%d-%s", run, name), string(data))
	}
	return dir
}

// tally checks the searches of a run and returns how many were right.
func tally(t *testing.T, run int, what string, ps []proc, lo, hi int) int {
	t.Helper()
	ok := 0
	for _, p := range ps {
		if msg := checkSearch(p, lo, hi); msg != "" {
			t.Errorf("run %d: a search %s: %s", run, what, msg)
		} else {
			ok++
		}
	}
	return ok
}

// searchTotal runs the search in this process and returns its total.
func searchTotal(t *testing.T, dir, query string) int {
	t.Helper()
	out := mustRun(t, dir, "search", query, "--json")
	var res struct{ Total int }
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("search --json: %v: %s", err, out)
	}
	return res.Total
}

// checkSearch says what is wrong with a search process: it must succeed
// with between lo and hi hits, saying at most one line about the index.
func checkSearch(p proc, lo, hi int) string {
	if p.code != 0 {
		return fmt.Sprintf("exit %d: %q", p.code, p.stderr)
	}
	var res struct{ Total int }
	if err := json.Unmarshal([]byte(p.stdout), &res); err != nil {
		return fmt.Sprintf("%v: %q", err, p.stdout)
	}
	if res.Total < lo || res.Total > hi {
		return fmt.Sprintf("%d hits, want %d to %d", res.Total, lo, hi)
	}
	if msg := strings.TrimSuffix(p.stderr, "\n"); msg != "" && (strings.Contains(msg, "\n") ||
		!strings.HasPrefix(msg, "the search index was ") && !strings.HasPrefix(msg, "another qcode is bringing the search index up to date")) {
		return fmt.Sprintf("stderr %q", p.stderr)
	}
	return ""
}

// checkWriter says what is wrong with a writing process: it must succeed,
// or give up as busy in one line after its bounded wait.
func checkWriter(p proc) string {
	if p.code == 0 {
		return ""
	}
	msg := strings.TrimSuffix(p.stderr, "\n")
	if p.code == exitBusy && !strings.Contains(msg, "\n") && strings.HasPrefix(msg, "qcode: another qcode is ") {
		return ""
	}
	return fmt.Sprintf("exit %d: %q", p.code, p.stderr)
}

// checkIndexOpens checks that the index is sound after a race: plain
// 'qcode index' finds it up to date.
func checkIndexOpens(t *testing.T, dir string, run int) {
	t.Helper()
	if p := qcodeProc(dir, "index"); p.code != 0 || !strings.HasPrefix(p.stdout, "the search index is up to date") {
		t.Errorf("run %d: the index after the race: exit %d, %q %q", run, p.code, p.stdout, p.stderr)
	}
}

// TestConcurrentSearchesBuildIndex is issue 18's repro: with the index
// missing, three searches at once. Each must find every hit, one of them
// building the index while the others wait for it, and the index must
// open afterwards.
func TestConcurrentSearchesBuildIndex(t *testing.T) {
	dir, _ := concurrencyProject(t)
	want := searchTotal(t, dir, "learn*")
	runs, ok := concurrencyRuns(t), 0
	for run := range runs {
		if err := os.RemoveAll(filepath.Join(dir, project.Dirname, project.IndexDir)); err != nil {
			t.Fatal(err)
		}
		search := []string{"search", "learn*", "--limit", "1", "--json"}
		ok += tally(t, run, "of a missing index", together(dir, search, search, search), want, want)
		checkIndexOpens(t, dir, run)
	}
	t.Logf("index missing, 3 searches at once: %d/%d searches correct", ok, 3*runs)
}

// TestConcurrentRebuildAndSearch runs 'index --rebuild' beside searches:
// the searches use the index as it was, never wait for the rebuild, and
// find every hit.
func TestConcurrentRebuildAndSearch(t *testing.T) {
	dir, _ := concurrencyProject(t)
	want := searchTotal(t, dir, "learn*")
	runs, ok := concurrencyRuns(t), 0
	for run := range runs {
		search := []string{"search", "learn*", "--limit", "1", "--json"}
		ps := together(dir, []string{"index", "--rebuild"}, search, search, search)
		if msg := checkWriter(ps[0]); msg != "" || ps[0].code != 0 {
			t.Errorf("run %d: index --rebuild: %s (exit %d)", run, msg, ps[0].code)
		}
		ok += tally(t, run, "beside a rebuild", ps[1:], want, want)
		checkIndexOpens(t, dir, run)
	}
	t.Logf("index --rebuild beside 3 searches: %d/%d searches correct", ok, 3*runs)
}

// TestConcurrentImportAndSearch imports interviews while searches run:
// every search succeeds, finding what was there before the import at
// least, and what the import adds at most.
func TestConcurrentImportAndSearch(t *testing.T) {
	dir, more := concurrencyProject(t)
	lo := searchTotal(t, dir, "learn*")
	runs, ok := concurrencyRuns(t), 0
	for run := range runs {
		search := []string{"search", "learn*", "--json"}
		ps := together(dir, []string{"import", moreInterviews(t, more, run)}, search, search, search, search)
		if ps[0].code != 0 {
			t.Fatalf("run %d: import beside searches: exit %d: %q", run, ps[0].code, ps[0].stderr)
		}
		hi := searchTotal(t, dir, "learn*")
		ok += tally(t, run, "beside an import", ps[1:], lo, hi)
		lo = hi
		checkIndexOpens(t, dir, run)
	}
	t.Logf("import beside 4 searches: %d/%d searches correct", ok, 4*runs)
}

// TestConcurrentCodeAndCodingAdd runs the rules beside people's codings:
// a coding waits for the rules run and is written, or after its bounded
// wait says the project is busy, in one line; nothing fails otherwise.
func TestConcurrentCodeAndCodingAdd(t *testing.T) {
	dir, _ := concurrencyProject(t)
	runs, written, busy := concurrencyRuns(t), 0, 0
	for run := range runs {
		cmds := [][]string{{"code"}}
		for i := range 3 {
			cmds = append(cmds, []string{"coding", "add", fmt.Sprintf("P02:s%d", 3*run+i+2), "humility", "--coder", "amina"})
		}
		ps := together(dir, cmds...)
		for _, p := range ps {
			if msg := checkWriter(p); msg != "" {
				t.Errorf("run %d: %s beside a rules run: %s", run, strings.Join(p.args, " "), msg)
			}
		}
		for _, p := range ps[1:] {
			if p.code == 0 {
				written++
			} else if p.code == exitBusy {
				busy++
			}
		}
	}
	t.Logf("code beside 3 coding adds: %d written, %d busy of %d", written, busy, 3*runs)
}

// TestConcurrentExportAndImport exports while an import writes: the export
// reads a committed state and is written whole.
func TestConcurrentExportAndImport(t *testing.T) {
	dir, more := concurrencyProject(t)
	out := t.TempDir()
	runs, ok := concurrencyRuns(t), 0
	for run := range runs {
		xlsx := filepath.Join(out, fmt.Sprintf("run%d.xlsx", run))
		csvDir := filepath.Join(out, fmt.Sprintf("run%d", run))
		ps := together(dir, []string{"import", moreInterviews(t, more, run)}, []string{"export", "xlsx", xlsx}, []string{"export", "csv", csvDir})
		if ps[0].code != 0 {
			t.Fatalf("run %d: import beside exports: exit %d: %q", run, ps[0].code, ps[0].stderr)
		}
		for _, p := range ps[1:] {
			if p.code != 0 {
				t.Errorf("run %d: %s beside an import: exit %d: %q", run, strings.Join(p.args, " "), p.code, p.stderr)
				continue
			}
			ok++
		}
		if st, err := os.Stat(xlsx); err != nil || st.Size() == 0 {
			t.Errorf("run %d: the workbook: %v", run, err)
		}
	}
	t.Logf("export beside import: %d/%d exports correct", ok, 2*runs)
}

// TestLinkedLocks shows that a lock file replaced by a symbolic link is
// refused in one line, leaving what it points to as it was: the index's
// lock, and .qcode/lock, which no qcode writes any more (issue 18 found
// an earlier one writing through it).
func TestLinkedLocks(t *testing.T) {
	dir, _ := concurrencyProject(t)
	victim := write(t, t.TempDir(), "victim.txt", "my notes\n")
	for _, name := range []string{"lock", "index.lock"} {
		lock := filepath.Join(dir, project.Dirname, name)
		os.Remove(lock)
		if err := os.Symlink(victim, lock); err != nil {
			t.Fatal(err)
		}
	}
	mustRun(t, dir, "memo", "add", "P01", "the first interview")
	code, _, errs := qcodeRun(t, dir, "index", "--rebuild")
	want := "qcode: " + filepath.Join(dir, project.Dirname, "index.lock") + " is a symbolic link, not qcode's lock file; remove it (qcode makes it anew)\n"
	if code != exitInvalid || errs != want {
		t.Errorf("index --rebuild with a linked lock: exit %d, stderr %q, want %q", code, errs, want)
	}
	if got, _ := os.ReadFile(victim); string(got) != "my notes\n" {
		t.Errorf("the file a lock links to became %q", got)
	}
}

// TestKillDuringIndex kills 'index --rebuild' at moments through its work:
// the index left behind is the last whole one, which searches use with
// every hit, and the next update clears what the killed one left.
func TestKillDuringIndex(t *testing.T) {
	dir, _ := concurrencyProject(t)
	want := searchTotal(t, dir, "learn*")
	for round, delay := range []time.Duration{20 * time.Millisecond, 80 * time.Millisecond, 200 * time.Millisecond} {
		cmd := qcodeCmd(dir, "index", "--rebuild")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Kill()
		cmd.Wait()
		if msg := checkSearch(qcodeProc(dir, "search", "learn*", "--json"), want, want); msg != "" {
			t.Errorf("round %d: a search after a killed rebuild: %s", round, msg)
		}
		checkIndexOpens(t, dir, round)
	}
	mustRun(t, dir, "index", "--rebuild")
	ents, err := os.ReadDir(filepath.Join(dir, project.Dirname, project.IndexDir))
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 2 {
		t.Errorf("the index folder after the kills and a rebuild holds %d entries, want current and one generation", len(ents))
	}
}
