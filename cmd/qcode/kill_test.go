package main

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// Kill trials: import (of files and of a .qdpx), code and index --rebuild
// are killed with SIGKILL (no cleanup runs) at random points, and the
// project must then open, list its sources, search and count, showing the
// state before the command or after it, never a mixture. They take a minute or two, so they run when
// QCODE_KILL_TRIALS says how many of each to make (.ci/run makes 10);
// QCODE_KILL_SEED repeats a run's points (its seed is printed).
func TestKillTrials(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("QCODE_KILL_TRIALS"))
	if n <= 0 {
		t.Skip("set QCODE_KILL_TRIALS=10 to kill each writing command at 10 random points")
	}
	seed, err := strconv.ParseUint(os.Getenv("QCODE_KILL_SEED"), 10, 64)
	if err != nil {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("QCODE_KILL_SEED=%d", seed)
	rng := rand.New(rand.NewPCG(seed, 18))

	base, more := concurrencyProject(t)
	codebook := goodCodebook + "  - id: debrief\n    name: Debriefs\n    rule: debrief*\n"
	write(t, base, "codebook.yaml", codebook)
	// The other interviews with a person's codings, as a .qdpx: importing
	// it is a merge, whose new texts are indexed while the store writes
	// them, into a generation of the index made live only once the store
	// has committed. Its codebook is the project's, which the merge then
	// leaves alone.
	other := filepath.Join(t.TempDir(), "other")
	mustRun(t, "", "init", other)
	write(t, other, "codebook.yaml", codebook)
	mustRun(t, other, "import", more)
	for _, seg := range []string{"P10:s3", "P12:s5", "P12:t4"} {
		mustRun(t, other, "coding", "add", seg, "debrief", "--coder", "amina")
	}
	qdpx := filepath.Join(t.TempDir(), "more.qdpx")
	mustRun(t, other, "export", "qdpx", qdpx)
	// state is what a user sees of a project: its sources, the counts of
	// its codings and a search.
	state := func(t *testing.T, dir string) []string {
		t.Helper()
		var out []string
		for _, args := range [][]string{{"sources"}, {"report", "freq"}, {"search", "debrief"}} {
			p := qcodeProc(dir, args...)
			if p.code != 0 {
				t.Fatalf("qcode %v after the kill: exit %d: %s", args, p.code, p.stderr)
			}
			out = append(out, p.stdout)
		}
		return out
	}
	for _, op := range []struct {
		name string
		args []string
	}{
		{"import", []string{"import", filepath.Join(more, "P10.txt")}},
		{"code", []string{"code"}},
		{"index --rebuild", []string{"index", "--rebuild"}},
		{"import .qdpx", []string{"import", qdpx}},
	} {
		t.Run(op.name, func(t *testing.T) {
			// The states a kill may leave: as before, or as after a
			// whole run, which also says how long a run takes.
			dir := copyProject(t, base)
			before := state(t, dir)
			start := time.Now()
			if p := qcodeProc(dir, op.args...); p.code != 0 {
				t.Fatalf("qcode %v: exit %d: %s", op.args, p.code, p.stderr)
			}
			took := time.Since(start)
			after := state(t, dir)
			for i := range n {
				dir := copyProject(t, base)
				at := time.Duration(rng.Int64N(int64(took) + 1))
				cmd := qcodeCmd(dir, op.args...)
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				time.Sleep(at) // the point of the kill, not a limit
				cmd.Process.Kill()
				cmd.Wait()
				got := state(t, dir)
				if !slices.Equal(got, before) && !slices.Equal(got, after) {
					t.Errorf("trial %d, killed after %v: the project shows neither the state before nor after:\n%q\nbefore %q\nafter  %q", i, at, got, before, after)
				}
			}
		})
	}
}
