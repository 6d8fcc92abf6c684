package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"qcode"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/spf13/cobra"

	"qcode/app"
	"qcode/project"
)

// TestMain lets the test binary stand in for qcode in tests that need a
// second process: with QCODE_TEST_MAIN=1 it runs main instead of the tests,
// with QCODE_TEST_HOLD=DIR it holds a write to the project in DIR open
// (see holdWrite), with QCODE_TEST_HOLD_TEMP=1 as well it stops for good
// at the first temporary file it writes (see holdTempFiles), and testscript puts it on the scripts' PATH as qcode
// (TestScripts).
func TestMain(m *testing.M) {
	if os.Getenv("QCODE_TEST_MAIN") == "1" {
		if os.Getenv("QCODE_TEST_HOLD_TEMP") == "1" {
			holdTempFiles()
		}
		main()
		return
	}
	if dir := os.Getenv("QCODE_TEST_HOLD"); dir != "" {
		os.Exit(holdWriteChild(dir))
	}
	testscript.Main(cleanup{m}, map[string]func(){"qcode": main})
}

// cleanup runs the tests, then removes what the benchmarks built.
type cleanup struct{ m *testing.M }

func (c cleanup) Run() int {
	code := c.m.Run()
	if bigProject.dir != "" {
		os.RemoveAll(bigProject.dir)
	}
	return code
}

// qcodeRun runs the command line in-process and returns its exit code and
// output.
func qcodeRun(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	if dir != "" {
		args = append([]string{"--project", dir}, args...)
	}
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

const interview = `Interview P01, Northbridge–Gulu

Interviewer: What made you join the partnership?

Dr Marsh: Honestly? I wanted to help. I thought we had so much to teach.

Interviewer: And did you learn anything?

Dr Marsh: Yes. Their triage was better than ours — we never had a debrief about it, though.
`

// otherInterview is another text named P01: too little of interview's
// text is in it for it to correct that source (app.MinKept).
const otherInterview = `Interview P01, a second recording

Interviewer: Tell me about the visit to Gulu.

Nurse Okello: We went in March. The wards were full and the staff were tired.

Interviewer: What stayed with you?

Nurse Okello: The way the midwives ran handover at night, every night, without fail.
`

const cases = "case,role,country,years_involved\nP01,NHS,UK,4\nP02,partner,Uganda,6\n"

// newProject makes a project holding P01 (from a file) and returns its
// folder and the folder of input files.
func newProject(t *testing.T) (dir, in string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "study")
	in = t.TempDir()
	write(t, in, "P01.txt", interview)
	if code, _, errs := qcodeRun(t, "", "init", dir); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	if code, _, errs := qcodeRun(t, dir, "import", filepath.Join(in, "P01.txt")); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	return dir, in
}

func write(t testing.TB, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// dump returns every row of every table of the project's store.
func dump(t *testing.T, dir string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, project.Dirname, project.DBName)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b strings.Builder
	for _, table := range []string{"sources", "turns", "segments", "speakers", "cases", "attributes", "case_attributes", "codings", "rules_codings", "memos", "audit", "rules_runs"} {
		rows, err := db.Query("SELECT * FROM " + table + " ORDER BY 1, 2")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			rows.Scan(ptrs...)
			fmt.Fprintf(&b, "%s %v\n", table, vals)
		}
		rows.Close()
	}
	return b.String()
}

// zipBomb returns a .docx whose document.xml inflates to 200 MB of spaces
// from a few hundred kilobytes.
func zipBomb(t testing.TB) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>`))
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for i := 0; i < 200; i++ {
		w.Write(chunk)
	}
	w.Write([]byte(`</w:t></w:r></w:p></w:body></w:document>`))
	zw.Close()
	return buf.Bytes()
}

// TestBadInput checks that each bad input gives a one-line error naming
// where the problem is, the right exit code, and a project exactly as it
// was before.
func TestBadInput(t *testing.T) {
	dir, in := newProject(t)
	before := dump(t, dir)
	// Each file gets a folder of its own, so cases can use the same names.
	n := 0
	binFile := func(name string, content []byte) string {
		n++
		d := filepath.Join(in, fmt.Sprint(n))
		os.MkdirAll(d, 0o755)
		path := filepath.Join(d, name)
		os.WriteFile(path, content, 0o644)
		return path
	}
	file := func(name, content string) string { return binFile(name, []byte(content)) }
	emptyDir := filepath.Join(in, "empty")
	os.MkdirAll(emptyDir, 0o755)
	write(t, emptyDir, "notes.jpg", "\xff\xd8\xff\xe0 JFIF")
	otherP01 := filepath.Join(t.TempDir(), "P01.txt")
	os.WriteFile(otherP01, []byte(otherInterview), 0o644)
	sameName := filepath.Join(t.TempDir(), "P02.md")
	os.WriteFile(sameName, []byte("Interviewer: a\nAma: b\nInterviewer: c\nAma: d\n"), 0o644)

	tests := []badInput{
		{"empty file", []string{"import", file("P02.txt", "")}, exitInvalid, []string{"P02.txt", "empty"}},
		{"binary file", []string{"import", binFile("P02.txt", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))}, exitInvalid, []string{"P02.txt:", "binary"}},
		{"invalid UTF-8", []string{"import", file("P02.txt", "Interviewer: café?\nAma: caf\xe9\nInterviewer: ok\nAma: ok\n")}, exitInvalid, []string{"P02.txt:2:", "UTF-8"}},
		{"unknown extension", []string{"import", file("P02.jpg", "\xff\xd8\xff\xe0 JFIF")}, exitInvalid, []string{"P02.jpg", "unknown format", "--format"}},
		{"RTF bomb", []string{"import", file("P05.rtf", `{\rtf1 `+strings.Repeat("{", 5000))}, exitInvalid, []string{"P05.rtf:1:", "RTF bomb"}},
		{"damaged PDF", []string{"import", file("P05.pdf", "%PDF-1.4\n1 0 obj\n")}, exitInvalid, []string{"P05.pdf:", "cannot be read as a PDF", "damaged"}},
		{"unknown --format", []string{"import", "--format", "doc", file("P02.txt", interview)}, exitInvalid, []string{"--format doc"}},
		{"corrupt docx", []string{"import", binFile("P05.docx", []byte("PK\x03\x04 this is not really a zip"))}, exitInvalid, []string{"P05.docx"}},
		{"docx zip bomb", []string{"import", binFile("P05.docx", zipBomb(t))}, exitInvalid, []string{"P05.docx"}},
		{"encrypted docx", []string{"import", binFile("P05.docx", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...))}, exitInvalid, []string{"P05.docx", "password"}},
		{"vtt broken timestamp", []string{"import", file("P07.vtt", "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Ama>Hello.</v>\n\n2\n00:00:0x.000 --> 00:00:09.000\n<v Ama>Again.</v>\n")}, exitInvalid, []string{"P07.vtt:8"}},
		{"srt broken timestamp", []string{"import", file("P09.srt", "1\n00:00:01,000 --> 00:00:04,000\nInterviewer: Hello.\n\n2\n00:00:05,000 -> 00:00:09,000\nDr Asante: Hi.\n")}, exitInvalid, []string{"P09.srt:6"}},
		{"survey without the id column", []string{"import", "--id-column", "respondent", file("survey.csv", "id,role,q1\nS01,NHS,We learned a great deal about triage from our colleagues in Gulu.\n")}, exitInvalid, []string{"survey.csv", "--id-column respondent: no such column"}},
		{"survey with duplicate ids", []string{"import", file("survey.csv", "id,role,q1\nS01,NHS,We learned a great deal about triage from our colleagues in Gulu.\nS02,partner,They listened to us more than we expected at the start of it all.\nS01,NHS,\"Nothing much to add here, it was a good experience for all of us.\"\n")}, exitInvalid, []string{"survey.csv", "S01"}},
		{"attributes naming an unknown case", []string{"attributes", "import", file("cases.csv", "case,role\nP01,NHS\nP13,partner\n")}, exitNotFound, []string{"cases.csv:3", "P13"}},
		{"attributes mixing types in a column", []string{"attributes", "import", file("cases.csv", "case,years\nP01,4\nP02,6\nP03,five\n")}, exitInvalid, []string{"cases.csv:4", "five"}},
		{"import with attributes naming an unknown case", []string{"import", file("P02.txt", "Interviewer: a\nAma: b\nInterviewer: c\nAma: d\n"), "--attributes", file("cases.csv", "case,role\nP02,partner\nP99,NHS\n")}, exitNotFound, []string{"cases.csv:3", "P99"}},
		{"missing file", []string{"import", filepath.Join(in, "nope.txt")}, exitNotFound, []string{"nope.txt", "no such file"}},
		{"folder with nothing importable", []string{"import", emptyDir}, exitInvalid, []string{"empty", "holds no file"}},
		// Without labels it is a document; a pattern says it is a transcript.
		{"header only, a pattern finding no turns", []string{"import", "--speaker-pattern", "^(?P<speaker>[A-Z]+) -", file("P02.txt", "Interview P02\nDate: 3 May 2025\n\nThe recording failed; no transcript.\n")}, exitInvalid, []string{"--speaker-pattern", "matched no line of", "P02.txt"}},
		{"name clash", []string{"import", otherP01}, exitConflict, []string{"P01", "--replace"}},
		{"two files give one name", []string{"import", file("P02.txt", "Interviewer: a\nAma: b\nInterviewer: c\nAma: d\n"), sameName, "--all-or-nothing"}, exitConflict, []string{"P02.md", "P02"}},
		{"one bad file among good ones writes nothing", []string{"import", file("P02.txt", "Interviewer: a\nAma: b\nInterviewer: c\nAma: d\n"), file("P03.txt", ""), "--all-or-nothing"}, exitInvalid, []string{"P03.txt", "empty"}},
		{"bad --speaker-pattern", []string{"import", "--speaker-pattern", "([A-Z]", file("P02.txt", interview)}, exitInvalid, []string{"--speaker-pattern"}},
		{"unknown source", []string{"show", "P10"}, exitNotFound, []string{"qcode: source P10: no such source", "did you mean P01?"}},
		{"wrong number of arguments", []string{"show"}, exitInvalid, []string{"arg"}},
		{"unknown command", []string{"frobnicate"}, exitInvalid, []string{`qcode: no command "frobnicate"; say one of agree, attributes, code,`}},
		{"unknown command near one", []string{"sourcse", "P01"}, exitInvalid, []string{`no command "sourcse"; did you mean sources?`}},
	}
	checkBadInputs(t, dir, before, tests)
}

func TestFlagLabel(t *testing.T) {
	cmd := &cobra.Command{Use: "import"}
	cmd.Flags().String("id-column", "", "")
	cmd.PersistentFlags().String("coder", "", "")
	sub := &cobra.Command{Use: "sub"}
	cmd.AddCommand(sub)
	for _, tc := range []struct {
		cmd          *cobra.Command
		field, label string
	}{
		{cmd, "id_column", "--id-column"},
		{cmd, "text_columns", "text columns"},
		{sub, "coder", "--coder"}, // inherited
		{sub, "id_column", "id column"},
		{nil, "coder", "coder"},
	} {
		if got := flagLabel(tc.cmd)(tc.field); got != tc.label {
			t.Errorf("flagLabel(%v)(%q) = %q, want %q", tc.cmd != nil, tc.field, got, tc.label)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, errs := qcodeRun(t, "", "--version")
	info, _ := debug.ReadBuildInfo()
	if want := "qcode " + versionOf(info, project.SchemaVersion()) + "\n"; code != exitOK || out != want || errs != "" {
		t.Errorf("--version: exit %d, stdout %q, stderr %q; want %q", code, out, errs, want)
	}
	if !strings.Contains(out, fmt.Sprintf("project schema %d", project.SchemaVersion())) {
		t.Errorf("--version %q does not name the store's schema, version %d", out, project.SchemaVersion())
	}
	for _, tc := range []struct {
		info *debug.BuildInfo
		want string
	}{
		{nil, "(devel), project schema 3"},
		{&debug.BuildInfo{Main: debug.Module{Path: "qcode", Version: "(devel)"}}, "(devel), project schema 3"},
		{&debug.BuildInfo{Main: debug.Module{Path: "qcode", Version: "v1.2.0"}, Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "713dea11b4713bc2b053d84fddbb672585f05de9"}, {Key: "vcs.modified", Value: "false"},
		}}, "v1.2.0 (revision 713dea11b471), project schema 3"},
		{&debug.BuildInfo{Main: debug.Module{Path: "qcode", Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "713dea11b4713bc2b053d84fddbb672585f05de9"}, {Key: "vcs.modified", Value: "true"},
		}}, "(devel) (revision 713dea11b471, modified), project schema 3"},
	} {
		if got := versionOf(tc.info, 3); got != tc.want {
			t.Errorf("versionOf(%+v) = %q, want %q", tc.info, got, tc.want)
		}
	}
}

// badInput is a command line that must fail without changing the project.
type badInput struct {
	name string
	args []string
	code int
	want []string // substrings of the error
}

// checkBadInputs runs each bad input against the project in dir and checks
// that it exits with its code and one 'qcode: …' line holding every wanted
// substring, and that the store still dumps to before.
func checkBadInputs(t *testing.T, dir, before string, tests []badInput) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := qcodeRun(t, dir, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tt.code, errs)
			}
			msg := strings.TrimSuffix(errs, "\n")
			if strings.Count(errs, "\n") != 1 || !strings.HasPrefix(msg, "qcode: ") {
				t.Errorf("stderr is not one 'qcode: …' line: %q", errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			if after := dump(t, dir); after != before {
				t.Errorf("the project changed")
			}
		})
	}
}

func TestNotAProject(t *testing.T) {
	in := t.TempDir()
	path := write(t, in, "P01.txt", interview)
	code, _, errs := qcodeRun(t, in, "import", path)
	if code != exitNotFound || !strings.Contains(errs, "qcode init") {
		t.Errorf("code %d, stderr %q", code, errs)
	}
	if _, err := os.Stat(filepath.Join(in, project.Dirname)); err == nil {
		t.Error("a failed import into a non-project made a .qcode folder")
	}
}

func TestReadOnlyProject(t *testing.T) {
	dir, in := newProject(t)
	before := dump(t, dir)
	os.Chmod(dir, 0o555)
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	code, _, errs := qcodeRun(t, dir, "import", write(t, in, "P02.txt", "Interviewer: a\nAma: b\nInterviewer: c\nAma: d\n"))
	if code != exitInvalid || !strings.Contains(errs, "read-only") {
		t.Errorf("code %d, stderr %q", code, errs)
	}
	if dump(t, dir) != before {
		t.Error("the project changed")
	}
}

// TestBusy holds a write to the project open in a second, real process
// for longer than the (shortened) busy wait: each write here gives up with
// exit 5 and says why, having written nothing, while reading goes on; once
// the other write ends, the import goes through.
func TestBusy(t *testing.T) {
	dir, in := newProject(t)
	before := dump(t, dir)
	old := project.BusyTimeout
	project.BusyTimeout = 20 * time.Millisecond
	t.Cleanup(func() { project.BusyTimeout = old })
	release := holdWrite(t, dir)
	p02 := write(t, in, "P02.txt", "Interviewer: a\nAma: b\nInterviewer: c\nAma: d\n")
	for _, args := range [][]string{{"import", p02}, {"coding", "add", "P01:s3", "humility", "--coder", "amina"}, {"speakers", "mark", "Dr Marsh", "--role", "participant"}} {
		code, _, errs := qcodeRun(t, dir, args...)
		if code != exitBusy {
			t.Fatalf("%s: exit code %d, want %d (stderr %q)", args[0], code, exitBusy, errs)
		}
		if want := "qcode: another qcode is writing to the project; try again when it has finished"; !strings.HasPrefix(errs, want) {
			t.Errorf("%s: stderr %q, want %q", args[0], errs, want)
		}
	}
	if dump(t, dir) != before {
		t.Error("a refused write changed the project")
	}
	// Reading is not blocked by the writer.
	if code, _, errs := qcodeRun(t, dir, "sources"); code != 0 {
		t.Errorf("sources while another writes: %d %s", code, errs)
	}
	release()
	mustRun(t, dir, "import", p02)
}

// holdWrite starts a second process that begins a write transaction on the
// project in dir and holds it, as a long import or rules run holds its own,
// until the function it returns ends it. The transaction writes nothing.
func holdWrite(t *testing.T, dir string) (release func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "QCODE_TEST_HOLD="+dir)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			stdin.Close()
			if err := cmd.Wait(); err != nil {
				t.Errorf("the process holding a write: %v (stderr %q)", err, errb.String())
			}
		})
	}
	t.Cleanup(release)
	if line, err := bufio.NewReader(stdout).ReadString('\n'); line != "held\n" {
		t.Fatalf("the second process holds no write: %q, %v (stderr %q)", line, err, errb.String())
	}
	return release
}

// holdWriteChild is holdWrite's second process: it begins a write
// transaction on the project in dir, says "held", and rolls it back once
// its stdin closes.
func holdWriteChild(dir string) int {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, project.Dirname, project.DBName)+"?_txlock=immediate")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("held")
	io.Copy(io.Discard, os.Stdin)
	if err := tx.Rollback(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// TestKillDuringImport kills a real import process at random moments and
// checks that the project then holds every file it had completely or not at
// all, and that P01 is intact.
func TestKillDuringImport(t *testing.T) {
	dir, in := newProject(t)
	p01 := dump(t, dir)
	big := filepath.Join(in, "big")
	os.MkdirAll(big, 0o755)
	for f := 0; f < 4; f++ {
		var b strings.Builder
		for i := 0; b.Len() < 1<<20; i++ {
			fmt.Fprintf(&b, "Interviewer: Question %d?\nNurse %c: Answer %d. It was humbling, and we debriefed.\n", i, 'A'+f, i)
		}
		write(t, big, fmt.Sprintf("K%d.txt", f), b.String())
	}
	for round, delay := range []time.Duration{150 * time.Millisecond, 400 * time.Millisecond, 900 * time.Millisecond} {
		cmd := exec.Command(os.Args[0], "--project", dir, "import", big)
		cmd.Env = append(os.Environ(), "QCODE_TEST_MAIN=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Kill()
		cmd.Wait()
		ctx := context.Background()
		p, err := project.Open(ctx, dir, project.ReadOnly)
		if err != nil {
			t.Fatalf("round %d: reopening after kill: %v", round, err)
		}
		srcs, err := p.Sources(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range srcs {
			src, err := p.Source(ctx, s.Name)
			if err != nil {
				t.Fatal(err)
			}
			if len(src.Turns) != s.Turns || s.Turns == 0 {
				t.Errorf("round %d: %s has %d of %d turns: a half-written import", round, s.Name, len(src.Turns), s.Turns)
			}
			n := 0
			for _, tu := range src.Turns {
				n += len(tu.Sentences)
			}
			if n != s.Sentences {
				t.Errorf("round %d: %s has %d of %d sentences", round, s.Name, n, s.Sentences)
			}
		}
		p.Close()
		if !strings.HasPrefix(dump(t, dir), strings.SplitN(p01, "\n", 2)[0]) {
			t.Errorf("round %d: P01 changed", round)
		}
	}
}

// phrased is err as the command line shows it, its fields named as flags.
func phrased(err error) string {
	return withHelp(app.Phrase(err, func(field string) string { return "--" + strings.ReplaceAll(field, "_", "-") }), err)
}

// What mends an error is phrased as the command that does it.
func TestErrorHelp(t *testing.T) {
	for _, c := range []struct {
		err  *qcode.Error
		want string
	}{
		{&qcode.Error{Message: "x is not in a qcode project", Help: qcode.HelpProject}, "x is not in a qcode project; run 'qcode init DIR' or say --project DIR"},
		{&qcode.Error{Message: "no sentence s99 in P01", Help: qcode.HelpSegments, HelpOn: "P01"}, "no sentence s99 in P01 (see 'qcode show P01 --sentences')"},
		{&qcode.Error{Message: "P01:s3 has no codings", Help: qcode.HelpCodings, HelpOn: "P01"}, "P01:s3 has no codings (see 'qcode coding list --source P01')"},
		{&qcode.Error{Message: "the index is damaged", Help: qcode.HelpRebuildIndex}, "the index is damaged; rebuild the search index with 'qcode index --rebuild'"},
		{&qcode.Error{Message: "a source named P01 is there; replace it", Help: qcode.HelpOption, HelpOn: "replace"}, "a source named P01 is there; replace it (--replace)"},
		{&qcode.Error{Message: "plain"}, "plain"},
	} {
		if got := phrase(c.err, nil); got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
	}
}

// Bad input is refused as bad input before the project is looked for, so
// that outside a project the user hears what is wrong with what they typed.
func TestBadInputBeforeProject(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"coding", "add", "P03:x1", "humility", "--coder", "amina"},
		{"coding", "add", "P03:s1", "humility", "--coder", "rules"},
		{"coding", "rm", "P03:x1", "humility", "--coder", "amina"},
		{"coding", "list", "--origin", "bogus"},
		{"import", "nope.txt", "--format", "bogus"},
		{"search", "teach*", "--limit", "-1"},
		{"code", "--unit", "chapter"},
	} {
		if code, _, errs := qcodeRun(t, dir, args...); code != exitInvalid || strings.Contains(errs, "not in a qcode project") {
			t.Errorf("qcode %s: exit %d, %s", strings.Join(args, " "), code, errs)
		}
	}
}
