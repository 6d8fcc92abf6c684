package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"qcode/internal/testenv"
	"qcode/internal/treetest"
)

// Reading commands on a project, and writing commands that should be
// refused there, for TestReadOnlyStudy.
var (
	readingCommands = [][]string{
		{"sources"}, {"show", "P01"}, {"search", "learn*", "--limit", "1"}, {"report"},
		{"coding", "list"}, {"agree", "--coders", "amina,rules", "--bootstrap", "0"}, {"log"}, {"memo", "list"},
		{"export", "xlsx", "OUT/codings.xlsx"}, {"export", "csv", "OUT/csv"}, {"export", "qdpx", "OUT/study.qdpx"},
	}
	writingCommands = [][]string{
		{"memo", "add", "P01", "asked about the debrief"}, {"code"}, {"coding", "add", "P01:s2", "humility", "--coder", "ben"},
		{"index", "--rebuild"}, {"serve", "--port", "0"},
	}
)

// readOnlyStudy makes a project of sample interviews, coded by the rules
// and by amina, with its search index made, and takes away write
// permission from all of it, as chmod -R a-w does; it gives it back when
// the test ends. With closed, the store is as its last writer leaves it
// on closing, without -wal and -shm files.
func readOnlyStudy(t *testing.T, owner int, closed bool) string {
	t.Helper()
	dir, _ := concurrencyProject(t)
	mustRun(t, dir, "code")
	mustRun(t, dir, "coding", "add", "P01:s2", "humility", "--coder", "amina")
	mustRun(t, dir, "search", "learn*")
	if closed {
		// As the last qcode to close the store leaves it: its -wal file
		// copied into the database and removed, with the -shm file.
		db := filepath.Join(dir, ".qcode", "project.db")
		if st, err := os.Stat(db + "-wal"); err != nil || st.Size() != 0 {
			t.Fatalf("the -wal file: %v, want it empty", err)
		}
		for _, ext := range []string{"-wal", "-shm"} {
			if err := os.Remove(db + ext); err != nil {
				t.Fatal(err)
			}
		}
	}
	treetest.ReadOnly(t, dir, owner)
	return dir
}

// checkReadOnly runs each command through qcode, a function returning its
// exit code and standard error, and checks that reading commands work and
// writing ones are refused in one line naming the folder, with the project
// unchanged.
func checkReadOnly(t *testing.T, dir, out string, qcode func(args ...string) (int, string)) {
	t.Helper()
	before := treetest.List(t, dir)
	for _, args := range readingCommands {
		args = slices.Clone(args)
		for i := range args {
			args[i] = strings.Replace(args[i], "OUT", out, 1)
		}
		if code, stderr := qcode(args...); code != 0 {
			t.Errorf("%s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
	}
	for _, args := range writingCommands {
		code, stderr := qcode(args...)
		if code != exitInvalid || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "read-only") || !strings.Contains(stderr, dir) {
			t.Errorf("%s: exit %d, said %q; want exit %d and one line: read-only, naming %s", strings.Join(args, " "), code, stderr, exitInvalid, dir)
		}
	}
	if after := treetest.List(t, dir); after != before {
		t.Errorf("the project changed:\nbefore %s\nafter  %s", before, after)
	}
	for _, name := range []string{"codings.xlsx", "csv", "study.qdpx"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("export: %v", err)
		}
	}
}

// A project folder no one may write to opens for every reading command,
// which writes nothing to it; writing commands say in one line that it is
// read-only. This runs in qcode's own process, so it holds whoever runs
// the tests, root included: qcode goes by the folder's permissions.
func TestReadOnlyStudy(t *testing.T) {
	for _, closed := range []bool{false, true} {
		dir := readOnlyStudy(t, -1, closed)
		checkReadOnly(t, dir, t.TempDir(), func(args ...string) (int, string) {
			code, _, stderr := qcodeRun(t, dir, args...)
			return code, stderr
		})
	}
}

// The same as another user, whom the system itself stops from writing:
// the tests' own user when it is not root, else nobody (by setpriv).
func TestReadOnlyStudyPermissions(t *testing.T) {
	var prefix []string
	owner := -1
	bin := os.Args[0]
	out := t.TempDir()
	if os.Geteuid() == 0 {
		setpriv, err := exec.LookPath("setpriv")
		testenv.Need(t, err, "setpriv", "install util-linux")
		const nobody = 65534
		owner = nobody
		prefix = []string{setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"}
		// nobody must reach the test binary and the output folder, which
		// the go command and t.TempDir keep to root.
		shared, err := os.MkdirTemp("", "qcode-ro-")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(shared) })
		bin = filepath.Join(shared, "qcode")
		copyFile(t, os.Args[0], bin)
		out = filepath.Join(shared, "out")
		for _, d := range []string{shared, out} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(d, 0o777); err != nil {
				t.Fatal(err)
			}
		}
	}
	dir := readOnlyStudy(t, owner, false)
	if owner >= 0 {
		// nobody must reach the project too.
		for d := filepath.Dir(dir); d != "/" && d != os.TempDir(); d = filepath.Dir(d) {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	qcode := func(dir string, args ...string) (int, string) {
		argv := append(append(append([]string{}, prefix...), bin, "--project", dir), args...)
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Env = append(os.Environ(), "QCODE_TEST_MAIN=1", "HOME="+out)
		var errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = io.Discard, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, errb.String()
	}
	checkReadOnly(t, dir, out, func(args ...string) (int, string) { return qcode(dir, args...) })
	if owner < 0 {
		return
	}
	// A project its owner may write to and nobody may not, closed: SQLite
	// cannot read it without making a -shm file, and reading it immutable
	// could meet the owner writing, so it is refused in one line.
	owned, _ := concurrencyProject(t)
	for _, ext := range []string{"-wal", "-shm"} {
		if err := os.Remove(filepath.Join(owned, ".qcode", "project.db"+ext)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
	for d := owned; d != "/" && d != os.TempDir(); d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	before := treetest.List(t, owned)
	code, stderr := qcode(owned, "sources")
	if code != exitInvalid || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "cannot read the project in "+owned) {
		t.Errorf("sources on a project another may write: exit %d, said %q", code, stderr)
	}
	if treetest.List(t, owned) != before {
		t.Error("the project changed")
	}
}

// copyFile copies the file from to to, executable.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o755); err != nil {
		t.Fatal(err)
	}
}
