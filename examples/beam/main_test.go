package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	"qcode/codebook"
	"qcode/internal/sample"
)

// TestMain parses Beam's flags, lets a test binary be a Beam worker, and
// removes the qcode binary the tests built.
func TestMain(m *testing.M) {
	code := ptest.MainRetWithDefault(m, "direct")
	if cliPath != "" {
		os.RemoveAll(filepath.Dir(cliPath))
	}
	os.Exit(code)
}

// sampleRecords returns NDJSON records made from the sample corpus, as a
// survey export or a transcript store would hand them over: each block of
// each text interview (a speaker's turn, often over several lines; every
// fifth joined to the next by a blank line, so records hold paragraphs),
// each answer of the survey, and the stream's own test records, with a
// blank line, a CRLF line ending and a record that already has "codes".
func sampleRecords(t *testing.T) []string {
	t.Helper()
	var recs []string
	add := func(v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, string(b))
	}
	type turn struct {
		ID     string `json:"id"`
		Source string `json:"source"`
		Block  int    `json:"block"`
		Text   string `json:"text"`
	}
	for _, name := range []string{"P01.txt", "P02.txt", "P03.txt", "P04.txt", "P10.txt", "P11.md", "P12.txt"} {
		data, err := fs.ReadFile(sample.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		blocks := strings.Split(string(data), "\n\n")
		for i := 0; i < len(blocks); i++ {
			text := blocks[i]
			if i%5 == 4 && i+1 < len(blocks) {
				i++
				text += "\n\n" + blocks[i]
			}
			add(turn{fmt.Sprintf("%s-%d", strings.TrimSuffix(name, filepath.Ext(name)), i), name, i, text})
		}
	}
	f, err := sample.FS().Open("survey.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		for q := 5; q < len(row); q++ {
			add(map[string]any{"respondent_id": row[0], "role": row[1], "country": row[2], "profession": row[3],
				"question": rows[0][q], "text": row[q]})
		}
	}
	survey, err := os.ReadFile(filepath.Join("..", "..", "coding", "testdata", "stream_survey.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(survey)) {
		recs = append(recs, strings.TrimSuffix(line, "\n"))
	}
	recs = append(recs, "", `{"id":"crlf","text":"I learnt humility there.\u2028Real humility."}`+"\r",
		`{"codes":["stale"],"id":"old","text":"Nobody asked; there was no debrief."}`)
	if len(recs) < 300 {
		t.Fatalf("only %d records", len(recs))
	}
	return recs
}

// writeParts writes recs to n files in dir, part-0.ndjson …, and returns
// their glob.
func writeParts(t *testing.T, dir string, recs []string, n int) string {
	t.Helper()
	for i := range n {
		var b strings.Builder
		for j := i; j < len(recs); j += n {
			b.WriteString(recs[j] + "\n")
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("part-%d.ndjson", i)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "part-*.ndjson")
}

var (
	cliOnce sync.Once
	cliPath string
	cliErr  error
)

// qcodeCLI builds the qcode command from the main module, once.
func qcodeCLI(t *testing.T) string {
	t.Helper()
	cliOnce.Do(func() {
		dir, err := os.MkdirTemp("", "qcode-beam-cli")
		if err != nil {
			cliErr = err
			return
		}
		cliPath = filepath.Join(dir, "qcode")
		cmd := exec.Command("go", "build", "-o", cliPath, "./cmd/qcode")
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			cliErr = fmt.Errorf("go build ./cmd/qcode: %v\n%s", err, out)
		}
	})
	if cliErr != nil {
		t.Fatal(cliErr)
	}
	return cliPath
}

// codeWithCLI runs `qcode code --stdin` over recs and returns its output
// lines.
func codeWithCLI(t *testing.T, recs []string, args ...string) []string {
	t.Helper()
	cmd := exec.Command(qcodeCLI(t), append([]string{"code", "--stdin"}, args...)...)
	cmd.Stdin = strings.NewReader(strings.Join(recs, "\n") + "\n")
	cmd.Dir = t.TempDir()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("qcode code --stdin %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
}

// readLines returns the lines of the files matching glob.
func readLines(t *testing.T, glob string) []string {
	t.Helper()
	names, err := filepath.Glob(glob)
	if err != nil || len(names) == 0 {
		t.Fatalf("no files %s (%v)", glob, err)
	}
	var lines []string
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(data)) {
			lines = append(lines, strings.TrimSuffix(line, "\n"))
		}
	}
	return lines
}

// countCodes counts the elements of the codes arrays of coded records, by
// code.
func countCodes(t *testing.T, lines []string) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, line := range lines {
		ids, err := codeIDs([]byte(line))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			n[id]++
		}
	}
	return n
}

// TestSameCodingsAsCLI runs the pipeline on Beam's local runners and checks
// that it writes exactly the records `qcode code --stdin` writes for the
// same input (in another order: the runner's), and that its counts per code
// are those of the CLI's output.
func TestSameCodingsAsCLI(t *testing.T) {
	recs := sampleRecords(t)
	dic, err := filepath.Abs(filepath.Join("..", "..", "cmd", "qcode", "testdata", "inputs", "liwc.dic"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		runner   string
		unit     string
		codebook string // "" for the default codebook
		shards   int
	}{
		{"direct record", "direct", "record", "", 1},
		{"prism sentence sharded", "prism", "sentence", "", 3},
		{"direct paragraph dic", "direct", "paragraph", dic, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cb := tc.codebook
			if cb == "" { // the CLI outside a project needs the file
				cb = filepath.Join(dir, "default.yaml")
				if err := os.WriteFile(cb, codebook.DefaultYAML(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want := codeWithCLI(t, recs, "--codebook", cb, "--unit", tc.unit)

			in := t.TempDir()
			cfg := config{
				Input:     writeParts(t, in, recs, 3),
				Output:    filepath.Join(dir, "coded.ndjson"),
				Codebook:  tc.codebook,
				Unit:      tc.unit,
				TextField: "text",
				Shards:    tc.shards,
				Runner:    tc.runner,
			}
			st, err := run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			glob := cfg.Output
			if tc.shards > 1 {
				glob += "-*-of-*"
			}
			got := readLines(t, glob)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%d records from the pipeline, %d from the CLI; first difference:\n%s", len(got), len(want), firstDiff(got, want))
			}

			wantN := countCodes(t, want)
			total := 0
			for _, n := range wantN {
				total += n
			}
			if len(wantN) < 2 || total < 20 {
				t.Fatalf("the CLI coded only %d codings of %d codes: too few to compare", total, len(wantN))
			}
			gotN := map[string]int{}
			for _, line := range readLines(t, filepath.Join(dir, "coded.counts.ndjson")) {
				var c struct {
					Code    string `json:"code"`
					Codings int    `json:"codings"`
				}
				if err := json.Unmarshal([]byte(line), &c); err != nil {
					t.Fatalf("counts line %q: %v", line, err)
				}
				gotN[c.Code] += c.Codings
			}
			if fmt.Sprint(gotN) != fmt.Sprint(wantN) {
				t.Errorf("counts per code:\n got %v\nwant %v", gotN, wantN)
			}
			if st.metrics && (st.Records != int64(len(want)) || st.Codings != int64(total)) {
				t.Errorf("the run says %s; the CLI coded %d records, %d codings", st, len(want), total)
			}
		})
	}
}

// TestMalformedRecord checks that a malformed record fails the run with
// the input and the problem named, and that --keep-going skips it as the
// CLI's --keep-going does.
func TestMalformedRecord(t *testing.T) {
	recs := sampleRecords(t)[:40]
	recs = append(recs[:20:20], append([]string{`{"id":"bad","text":7}`}, recs[20:]...)...)
	in := t.TempDir()
	dir := t.TempDir()
	cfg := config{Input: writeParts(t, in, recs, 2), Output: filepath.Join(dir, "coded.ndjson"), Unit: "record", TextField: "text", Shards: 1}
	_, err := run(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), cfg.Input+`: "text" is a number, not a string`) ||
		!strings.Contains(err.Error(), `the record begins "{\"id\":\"bad\"`) {
		t.Fatalf("got %v, want the input and the problem named", err)
	}

	cfg.KeepGoing = true
	st, err := run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	cb := filepath.Join(dir, "default.yaml")
	if err := os.WriteFile(cb, codebook.DefaultYAML(), 0o644); err != nil {
		t.Fatal(err)
	}
	want := codeWithCLI(t, recs, "--codebook", cb, "--keep-going")
	got := readLines(t, cfg.Output)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("keep going: %d records, the CLI %d; first difference:\n%s", len(got), len(want), firstDiff(got, want))
	}
	if !st.metrics || st.Skipped != 1 || st.Records != int64(len(want)) {
		t.Errorf("the run says %q; want %d records and 1 skipped", st, len(want))
	}
}

// TestBadFlags checks that mistakes in the flags and the codebook are
// reported before anything runs, with qcode's own messages.
func TestBadFlags(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "codebook.yaml")
	if err := os.WriteFile(bad, []byte("codes:\n  - id: humility\n    name: Humility\n    rule: (humil* OR pride\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ok := config{Input: "in.ndjson", Output: filepath.Join(dir, "out.ndjson"), Unit: "record", TextField: "text", Shards: 1}
	for _, tc := range []struct {
		name string
		edit func(*config)
		msg  string
	}{
		{"no input", func(c *config) { c.Input = "" }, "say --input FILE"},
		{"no shards", func(c *config) { c.Shards = 0 }, "--shards 0"},
		{"unit", func(c *config) { c.Unit = "turn" }, "turn"},
		{"text field", func(c *config) { c.TextField = "codes" }, `cannot be in "codes"`},
		{"no codebook", func(c *config) { c.Codebook = filepath.Join(dir, "nope.yaml") }, "nope.yaml: no such file"},
		{"bad rule", func(c *config) { c.Codebook = bad }, "codebook.yaml:4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := ok
			tc.edit(&cfg)
			_, err := build(cfg)
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got %v, want an error with %q", err, tc.msg)
			}
		})
	}
}

// firstDiff shows the first line where two sorted lists differ.
func firstDiff(got, want []string) string {
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			return fmt.Sprintf(" got %.300s\nwant %.300s", g, w)
		}
	}
	return ""
}
