package main

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"syscall"
	"testing"

	"qcode/internal/corpusgen"
)

// TestImportMemoryBound holds qcode import to issue 18's bound: a
// transcript of QCODE_BIG_SOURCE_MB megabytes (.ci/run: 50), imported by
// qcode in its own process, reading, storing and indexing it, peaks at no
// more than ten times the file's size in resident memory, read from the
// child's rusage. Three shapes of one generated interview: a labelled
// transcript a line a turn, the same on one line (labels inside it), and
// its paragraphs with no labels. It takes a few minutes on two
// cores, so it runs only when the variable is set; it has no time limit.
// A qcode import of a few kilobytes already takes about 100 MB, so the
// bound means something from about 20 MB up.
func TestImportMemoryBound(t *testing.T) {
	mb, _ := strconv.Atoi(os.Getenv("QCODE_BIG_SOURCE_MB"))
	if mb <= 0 {
		t.Skip("set QCODE_BIG_SOURCE_MB=50 to import a 50 MB transcript and bound its memory")
	}
	if runtime.GOOS != "linux" {
		t.Skip("peak memory is read from a child's rusage as Linux counts it (KiB)")
	}
	// One interview of about mb megabytes (corpusgen's words average
	// under 6 bytes with their spaces), its wrapped lines joined.
	var gen bytes.Buffer
	if err := corpusgen.Interview(&gen, "txt", mb*1000*1000/5, rand.New(rand.NewPCG(18, 50))); err != nil {
		t.Fatal(err)
	}
	turns := bytes.ReplaceAll(gen.Bytes(), []byte("\n  "), []byte(" "))
	gen = bytes.Buffer{}
	label := regexp.MustCompile(`(?m)^[^:\n]{1,40}: `)
	for _, tc := range []struct {
		name string
		text func() []byte
		want string // the source's kind, as qcode sources --json says
	}{
		{"a line a turn", func() []byte { return turns }, "transcript"},
		// A label that opens one line only names no speaker: the line
		// is a document's one paragraph, as big as the file.
		{"one line", func() []byte { return bytes.ReplaceAll(turns, []byte("\n"), []byte(" ")) }, "document"},
		{"paragraphs", func() []byte {
			return bytes.ReplaceAll(label.ReplaceAll(turns, nil), []byte("\n"), []byte("\n\n"))
		}, "document"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := write(t, dir, "big.txt", string(tc.text()))
			info, err := os.Stat(file)
			if err != nil {
				t.Fatal(err)
			}
			if info.Size() < int64(mb)<<20*9/10 {
				t.Fatalf("the transcript made is %d bytes, short of %d MB", info.Size(), mb)
			}
			study := filepath.Join(dir, "study")
			if code, _, stderr := qcodeRun(t, "", "init", study); code != 0 {
				t.Fatalf("init: %s", stderr)
			}
			cmd := qcodeCmd(study, "import", "--max-size", strconv.Itoa(2*mb+1), file)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("import: %v: %s", err, stderr.Bytes())
			}
			ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
			if !ok {
				t.Fatal("no rusage of the child")
			}
			peak := ru.Maxrss << 10 // KiB
			t.Logf("%s: %d bytes imported in %.1f s of processor time, peak RSS %d MB (%.1f× the file)", tc.name, info.Size(),
				float64(ru.Utime.Nano()+ru.Stime.Nano())/1e9, peak>>20, float64(peak)/float64(info.Size()))
			if peak > 10*info.Size() {
				t.Errorf("importing %d bytes peaked at %d bytes resident, over ten times the file", info.Size(), peak)
			}
			// It was imported whole, in the shape given, and indexed.
			p := qcodeProc(study, "sources", "--json")
			var srcs []struct {
				Name      string `json:"name"`
				Document  bool   `json:"document"`
				Sentences int    `json:"sentences"`
			}
			if p.code != 0 || json.Unmarshal([]byte(p.stdout), &srcs) != nil || len(srcs) != 1 {
				t.Fatalf("sources: exit %d: %s%s", p.code, p.stdout, p.stderr)
			}
			if kind := map[bool]string{true: "document", false: "transcript"}[srcs[0].Document]; kind != tc.want {
				t.Errorf("imported as a %s, want a %s", kind, tc.want)
			}
			if p := qcodeProc(study, "search", "humility", "--limit", "1"); p.code != 0 || !bytes.Contains([]byte(p.stdout), []byte("big:")) {
				t.Errorf("search: exit %d: %s%s", p.code, p.stdout, p.stderr)
			}
		})
	}
}
