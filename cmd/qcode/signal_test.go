package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"qcode/internal/atomicfile"
	"qcode/internal/corpusgen"
	"qcode/project"
)

// holdTempFiles makes qcode, run by the test binary, say on its standard
// error which temporary file it has made and wait there for a signal, as
// a long export does while it packs the workbook.
func holdTempFiles() {
	atomicfile.Created = func(name string) {
		os.Stderr.WriteString("holding " + name + "\n")
		select {}
	}
}

// A signal during an export stops qcode with exit status 130 and one line
// saying it was interrupted, leaving no file behind: neither the workbook,
// nor its temporary file beside it, nor excelize's in the system's
// temporary folder.
func TestInterruptedExport(t *testing.T) {
	dir, _ := concurrencyProject(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			out, sysTmp := t.TempDir(), t.TempDir()
			cmd := qcodeCmd(dir, "export", "xlsx", filepath.Join(out, "codings.xlsx"))
			cmd.Env = append(cmd.Env, "QCODE_TEST_HOLD_TEMP=1", "TMPDIR="+sysTmp)
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := bufio.NewScanner(stderr)
			if !lines.Scan() || !strings.HasPrefix(lines.Text(), "holding "+filepath.Join(out, ".codings.xlsx.")) {
				t.Fatalf("first line %q, want the temporary file held", lines.Text())
			}
			held := strings.TrimPrefix(lines.Text(), "holding ")
			if _, err := os.Stat(held); err != nil {
				t.Fatalf("the held file: %v", err)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			var rest []string
			for lines.Scan() {
				rest = append(rest, lines.Text())
			}
			cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
				t.Errorf("exit %d, want %d", code, exitInterrupted)
			}
			if len(rest) != 1 || rest[0] != "qcode: interrupted" {
				t.Errorf("then said %q, want one line: qcode: interrupted", rest)
			}
			for _, d := range []string{out, sysTmp} {
				if names := dirNames(t, d); len(names) > 0 {
					t.Errorf("%s holds %v after the interruption, want nothing", d, names)
				}
			}
		})
	}
}

// A command whose context is cancelled before it is done says it was
// interrupted, in one line, and exits 130; nothing is written.
func TestInterruptedCommand(t *testing.T) {
	dir, _ := concurrencyProject(t)
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr strings.Builder
	code := run(ctx, []string{"-C", dir, "export", "xlsx", filepath.Join(out, "codings.xlsx")}, strings.NewReader(""), &stdout, &stderr)
	if code != exitInterrupted || stderr.String() != "qcode: interrupted\n" {
		t.Errorf("exit %d, said %q; want %d, qcode: interrupted", code, stderr.String(), exitInterrupted)
	}
	if names := dirNames(t, out); len(names) > 0 {
		t.Errorf("wrote %v", names)
	}
}

// dirNames lists the names in dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// A signal while an import is storing a long transcript stops qcode with
// exit status 130 and one line, and the store is as it was: the
// transaction is rolled back, no source is half there, and the project
// lists, searches and counts as before.
func TestInterruptedImport(t *testing.T) {
	dir, _ := concurrencyProject(t)
	var big bytes.Buffer
	if err := corpusgen.Interview(&big, "txt", 1_000_000, rand.New(rand.NewPCG(18, 3))); err != nil {
		t.Fatal(err)
	}
	file := write(t, t.TempDir(), "P99.txt", big.String())
	wal := filepath.Join(dir, project.Dirname, project.DBName+"-wal")
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			before := dump(t, dir)
			sources := mustRun(t, dir, "sources")
			walBefore := fileSize(wal)
			cmd := qcodeCmd(dir, "import", file)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			// The store's write-ahead log growing by a megabyte is the
			// import's transaction under way.
			storing := false
			for !storing {
				select {
				case <-exited:
					t.Fatalf("the import ended (%s) before it was seen storing; make the transcript longer", stderr.String())
				default:
				}
				storing = fileSize(wal) > walBefore+1<<20
				time.Sleep(10 * time.Millisecond) // a pause between looks, not a limit
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			<-exited
			if code := cmd.ProcessState.ExitCode(); code != exitInterrupted || stderr.String() != "qcode: interrupted\n" {
				t.Errorf("exit %d, said %q; want %d, qcode: interrupted", code, stderr.String(), exitInterrupted)
			}
			if after := dump(t, dir); after != before {
				t.Errorf("the store changed:\n%s", firstChange(before, after))
			}
			if got := mustRun(t, dir, "sources"); got != sources {
				t.Errorf("sources after the interruption:\n%s\nwant\n%s", got, sources)
			}
			if out := mustRun(t, dir, "search", "debrief"); !strings.Contains(out, "debrief") {
				t.Errorf("search after the interruption found nothing:\n%s", out)
			}
		})
	}
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// firstChange returns the first line where two dumps differ.
func firstChange(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "was: " + al[i] + "\nnow: " + bl[i]
		}
	}
	return fmt.Sprintf("was %d lines, now %d", len(al), len(bl))
}
