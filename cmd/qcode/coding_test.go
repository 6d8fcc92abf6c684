package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"qcode/app"
	"qcode/coding"
	"qcode/internal/corpusgen"
	"qcode/project"
)

// newCodedProject makes a project holding P01, codes it with the default
// codebook (written by init) and adds one coding by hand.
func newCodedProject(t *testing.T) (dir, in string) {
	t.Helper()
	dir, in = newProject(t)
	mustRun(t, dir, "code")
	mustRun(t, dir, "coding", "add", "P01:s3", "humility", "--coder", "amina", "--memo", "wanted to help")
	return dir, in
}

// mustRun runs a command that must succeed and returns its output.
func mustRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	code, out, errs := qcodeRun(t, dir, args...)
	if code != 0 {
		t.Fatalf("qcode %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	return out
}

// xlsxFile writes a workbook of one sheet holding rows.
func xlsxFile(t *testing.T, path string, rows [][]any) string {
	t.Helper()
	if err := writeXLSX(path, rows); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCodingBadInput checks that each bad input to the coding commands
// gives a one-line error saying what is wrong, the right exit code, and a
// project exactly as it was.
func TestCodingBadInput(t *testing.T) {
	dir, in := newCodedProject(t)
	before := dump(t, dir)
	if !strings.Contains(before, "codings [") || !strings.Contains(before, "amina") {
		t.Fatalf("the project holds no codings to keep:\n%s", before)
	}
	n := 0
	file := func(name, content string) string {
		n++
		d := filepath.Join(in, fmt.Sprint(n))
		os.MkdirAll(d, 0o755)
		return write(t, d, name, content)
	}
	badCodebook := file("bad.yaml", "codes:\n  - id: humility\n    name: Humility\n    rule: humbl* NAER/3 curious\n")
	otherP01 := file("P01.txt", otherInterview)

	tests := []badInput{
		{"unknown code", []string{"coding", "add", "P01:s2", "humilty"}, exitNotFound, []string{"code humilty: no such code in", "did you mean humility?"}},
		{"unknown source", []string{"coding", "add", "P10:s2", "humility"}, exitNotFound, []string{`source P10: no such source`, "did you mean P01?"}},
		{"unknown sentence", []string{"coding", "add", "P01:s99", "humility"}, exitNotFound, []string{"no sentence s99 in P01", "s1 to s7", "(see 'qcode show P01 --sentences')"}},
		{"unknown turn", []string{"coding", "add", "P01:t9", "humility"}, exitNotFound, []string{"no turn t9 in P01", "t1 to t4"}},
		{"unknown paragraph", []string{"coding", "add", "P01:p9", "humility"}, exitNotFound, []string{"no paragraph p9"}},
		{"malformed segment", []string{"coding", "add", "P01:x3", "humility"}, exitInvalid, []string{`unknown segment "x3"`, "SOURCE:s41"}},
		{"span outside the text", []string{"coding", "add", "P01:100-99999", "humility"}, exitInvalid, []string{"P01:100-99999", "past the end", "(see 'qcode show P01 --sentences')"}},
		{"end before start", []string{"coding", "add", "P01:200-100", "humility"}, exitInvalid, []string{"P01:200-100", "before it starts"}},
		{"empty span", []string{"coding", "add", "P01:100-100", "humility"}, exitInvalid, []string{"empty"}},
		{"coder name with control characters", []string{"coding", "add", "P01:s2", "humility", "--coder", "ami\x1b[2Jna"}, exitInvalid, []string{"control characters"}},
		{"coder name with a newline", []string{"coding", "add", "P01:s2", "humility", "--coder", "amina\nroot"}, exitInvalid, []string{"control characters"}},
		{"the rules' name", []string{"coding", "add", "P01:s2", "humility", "--coder", "rules"}, exitInvalid, []string{"rules engine"}},
		{"removing what is not there", []string{"coding", "rm", "P01:s3", "humility", "--coder", "bo"}, exitNotFound, []string{"no coding humility by bo", "humility by amina"}},
		{"removing from an unknown source", []string{"coding", "rm", "P1:s3", "humility", "--coder", "amina"}, exitNotFound, []string{"did you mean P01?"}},
		{"spreadsheet with an unknown segment", []string{"coding", "import", file("coded.csv", "segment,code\nP01:s2,humility\nP01:s99,humility\n"), "--coder", "team-b"}, exitNotFound, []string{"coded.csv:3:", "s99"}},
		{"spreadsheet with an unknown source", []string{"coding", "import", file("coded.csv", "segment,code\nP02:s2,humility\n"), "--coder", "team-b"}, exitNotFound, []string{"coded.csv:2:", "P02"}},
		{"spreadsheet with an unknown code", []string{"coding", "import", file("coded.csv", "segment,code\nP01:s2,humility\nP01:s3,humbleness\n"), "--coder", "team-b"}, exitInvalid, []string{"coded.csv:3:", `"humbleness"`}},
		{"wide spreadsheet with an unknown code column", []string{"coding", "import", file("wide.csv", "segment,humility,risk_aversoin\nP01:s2,1,0\nP01:s3,0,1\n"), "--coder", "team-b"}, exitInvalid, []string{"wide.csv:1:", "risk_aversoin", "did you mean risk_aversion?"}},
		{"xlsx with an unknown segment id", []string{"coding", "import", xlsxFile(t, filepath.Join(in, "coded.xlsx"), [][]any{{"segment", "code"}, {"P01:s2", "humility"}, {"P01:t12", "humility"}}), "--coder", "team-b"}, exitNotFound, []string{"coded.xlsx:3:", "t12"}},
		{"a quote that occurs twice", []string{"coding", "import", file("quotes.csv", "source,quote,code\nP01,Honestly?,humility\nP01,had,humility\n"), "--coder", "team-b"}, exitInvalid, []string{"quotes.csv:3:", `quote "had" occurs 2 times in P01`}},
		{"a quote that is not there", []string{"coding", "import", file("quotes.csv", "source,quote,code\nP01,we had so much to learn,humility\n"), "--coder", "team-b"}, exitNotFound, []string{"quotes.csv:2:", "is not in P01"}},
		{"a codebook that fails to compile", []string{"code", "--codebook", badCodebook}, exitInvalid, []string{"bad.yaml:4:", `unknown operator "NAER" (did you mean NEAR?)`}},
		{"unknown unit", []string{"code", "--unit", "word"}, exitInvalid, []string{"--unit word"}},
		{"unknown source to code", []string{"code", "--source", "P1"}, exitNotFound, []string{"did you mean P01?"}},
		{"memo on an unknown source", []string{"memo", "add", "P10", "cut short"}, exitNotFound, []string{"did you mean P01?"}},
		{"empty memo", []string{"memo", "add", "P01", " "}, exitInvalid, []string{"memo is empty"}},
		{"unknown speaker", []string{"speakers", "mark", "Dr March", "--role", "interviewer"}, exitNotFound, []string{"did you mean Dr Marsh?"}},
		{"unknown role", []string{"speakers", "mark", "Dr Marsh", "--role", "boss"}, exitInvalid, []string{"--role boss"}},
		{"listing an unknown code", []string{"coding", "list", "--code", "humilty"}, exitNotFound, []string{"did you mean humility?"}},
		{"listing an unknown coder", []string{"coding", "list", "--coder", "amna"}, exitNotFound, []string{"did you mean amina?"}},
		{"replacing a source coded by hand", []string{"import", "--replace", otherP01}, exitConflict, []string{"P01 has 1 coding made by hand", "qcode coding rm"}},
	}
	checkBadInputs(t, dir, before, tests)
}

// TestCodeKeepsPeoplesCodings codes by hand and from a spreadsheet, then
// changes the codebook and codes again: every coding made by people is
// still there, and the rules' codings follow the new codebook.
func TestCodeKeepsPeoplesCodings(t *testing.T) {
	dir, in := newCodedProject(t)
	mustRun(t, dir, "coding", "add", "P01:40-60", "risk_aversion", "--coder", "amina")
	mustRun(t, dir, "coding", "add", "P01:t4", "humility", "--coder", "bo")
	mustRun(t, dir, "coding", "add", "P01", "unequal_knowledge", "--coder", "bo")
	mustRun(t, dir, "coding", "import", write(t, in, "team.csv", "segment,humility,technical_learning\nP01:s7,1,1\nP01:s6,0,\n"), "--coder", "team-b")
	out := mustRun(t, dir, "coding", "import", write(t, in, "quotes.csv", "source,quote,code,memo\nP01,triage was better,technical_learning,nice\n"), "--coder", "team-c")
	if !strings.Contains(out, "imported 1 coding by team-c") {
		t.Errorf("import said %q", out)
	}
	people := func() string {
		_, out, _ := qcodeRun(t, dir, "coding", "list", "--json")
		var cs []codingJSON
		if err := json.Unmarshal([]byte(out), &cs); err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, c := range cs {
			if c.Coder != "rules" {
				s = append(s, fmt.Sprintf("%s %s %s %s %q %s", c.Segment, c.Code, c.Coder, c.Origin, c.Text, c.Memo))
			}
		}
		return strings.Join(s, "\n")
	}
	mine := people()
	if strings.Count(mine, "\n") != 6 {
		t.Fatalf("people's codings:\n%s", mine)
	}

	// A codebook that codes every "we" instead: the rules codings change.
	cb := filepath.Join(dir, app.CodebookFile)
	data, _ := os.ReadFile(cb)
	os.WriteFile(cb, append(data, []byte("  - id: we\n    name: We\n    rule: we\n")...), 0o644)
	before := dump(t, dir)
	code, out, errs := qcodeRun(t, dir, "code", "--dry-run")
	if code != 0 || !strings.Contains(out, "we\t+2\t-0\t2") || !strings.Contains(errs, "dry run") {
		t.Errorf("dry run: exit %d, out %q, stderr %q", code, out, errs)
	}
	if dump(t, dir) != before {
		t.Error("a dry run changed the project")
	}
	out = mustRun(t, dir, "code", "--include-interviewer")
	if !strings.Contains(out, "we\t+2\t-0\t2") {
		t.Errorf("code: %q", out)
	}
	if got := people(); got != mine {
		t.Errorf("people's codings changed:\n%s\nwant\n%s", got, mine)
	}
	// Back to the old codebook by turn: still all there.
	os.WriteFile(cb, data, 0o644)
	mustRun(t, dir, "code", "--unit", "turn")
	if got := people(); got != mine {
		t.Errorf("people's codings changed:\n%s\nwant\n%s", got, mine)
	}
	out = mustRun(t, dir, "coding", "list", "--origin", "rules")
	if !strings.Contains(out, "t4\t") {
		t.Errorf("no turn coded by the rules:\n%s", out)
	}
}

func TestCodingAddRemoveList(t *testing.T) {
	dir, _ := newCodedProject(t)
	t.Setenv("QCODE_CODER", "amina")
	out := mustRun(t, dir, "coding", "add", "P01:s3", "humility")
	if !strings.Contains(out, "P01:s3 already has humility by amina; nothing changed") {
		t.Errorf("adding again: %q", out)
	}
	out = mustRun(t, dir, "coding", "list", "--coder", "amina")
	if want := "source\tsegment\tcode\tcoder\torigin\ttext\tmemo\nP01\ts3\tAspects of the partnership > Enablers > Humility\tamina\tmanual\tI wanted to help.\twanted to help\n"; out != want {
		t.Errorf("list:\n%s\nwant\n%s", out, want)
	}
	out = mustRun(t, dir, "show", "P01", "--sentences")
	if !strings.Contains(out, "I wanted to help.  [103,120)  [humility (amina), moral_imperative (rules)]") {
		t.Errorf("show --sentences:\n%s", out)
	}
	out = mustRun(t, dir, "show", "P01")
	if !strings.Contains(out, "    [absent_debriefs (rules)") {
		t.Errorf("show:\n%s", out)
	}
	out = mustRun(t, dir, "sources")
	if !strings.Contains(out, "codings") {
		t.Errorf("sources:\n%s", out)
	}
	out = mustRun(t, dir, "coding", "rm", "P01:s3", "humility")
	if out != "removed humility from P01:s3 (by amina)\n" {
		t.Errorf("rm: %q", out)
	}
	if out := mustRun(t, dir, "coding", "list", "--origin", "manual"); strings.Contains(out, "amina") {
		t.Errorf("still listed after rm:\n%s", out)
	}
	// The audit log has both, with who and when.
	db := openDB(t, dir)
	var n int
	db.QueryRow(`SELECT count(*) FROM audit WHERE coder = 'amina' AND code = 'humility' AND start = 103 AND "end" = 120`).Scan(&n)
	if n != 2 {
		t.Errorf("audit rows: %d, want 2", n)
	}
}

// TestCodingRejectAccept rejects a rules coding, reruns the rules, lists
// what is rejected, and undoes it.
func TestCodingRejectAccept(t *testing.T) {
	dir, _ := newCodedProject(t)
	out := mustRun(t, dir, "coding", "reject", "P01:s3", "moral_imperative", "--coder", "ben")
	if out != "rejected moral_imperative on P01:s3 (rules): “I wanted to help.”\n" {
		t.Errorf("reject: %q", out)
	}
	out = mustRun(t, dir, "coding", "reject", "P01:s3", "moral_imperative", "--coder", "ben")
	if out != "moral_imperative on P01:s3 is rejected already; nothing changed\n" {
		t.Errorf("rejecting again: %q", out)
	}
	code, _, errs := qcodeRun(t, dir, "coding", "reject", "P01:s3", "humility", "--coder", "ben")
	if code != exitNotFound || !strings.Contains(errs, "P01:s3 has no coding humility by rules; it has humility by amina") {
		t.Errorf("rejecting what the rules did not code: exit %d, %q", code, errs)
	}
	if out := mustRun(t, dir, "coding", "list", "--origin", "rules"); strings.Contains(out, "I wanted to help.") {
		t.Errorf("a rejected coding is listed:\n%s", out)
	}
	out = mustRun(t, dir, "coding", "list", "--rejected")
	if !strings.HasPrefix(out, "source\tsegment\tcode\trejected by\trejected at\ttext\nP01\ts3\t") || !strings.HasSuffix(out, "\tI wanted to help.\n") || !strings.Contains(out, "\tben\t") {
		t.Errorf("list --rejected:\n%s", out)
	}
	var run struct{ Rejected, Added int }
	if err := json.Unmarshal([]byte(mustRun(t, dir, "code", "--json")), &run); err != nil || run.Rejected != 1 || run.Added != 0 {
		t.Errorf("code --json after rejecting: %+v, %v", run, err)
	}
	code, _, errs = qcodeRun(t, dir, "code")
	if code != 0 || !strings.Contains(errs, "1 coding rejected by people left out") {
		t.Errorf("code after rejecting: exit %d, %q", code, errs)
	}
	out = mustRun(t, dir, "coding", "accept", "P01:s3", "moral_imperative", "--coder", "ben")
	if out != "accepted moral_imperative on P01:s3: the next 'qcode code' codes it again\n" {
		t.Errorf("accept: %q", out)
	}
	code, _, errs = qcodeRun(t, dir, "coding", "accept", "P01:s3", "moral_imperative", "--coder", "ben")
	if code != exitNotFound || !strings.Contains(errs, "P01:s3 has no rejected codings") {
		t.Errorf("accepting twice: exit %d, %q", code, errs)
	}
	if err := json.Unmarshal([]byte(mustRun(t, dir, "code", "--json")), &run); err != nil || run.Rejected != 0 || run.Added != 1 {
		t.Errorf("code --json after accepting: %+v, %v", run, err)
	}
	var n int
	openDB(t, dir).QueryRow(`SELECT count(*) FROM audit WHERE coder = 'ben' AND code = 'moral_imperative' AND action IN ('reject', 'accept')`).Scan(&n)
	if n != 2 {
		t.Errorf("audit rows: %d, want 2", n)
	}
}

func TestMemosAndSpeakers(t *testing.T) {
	dir, _ := newProject(t)
	mustRun(t, dir, "memo", "add", "P01", "Interview cut short; see notes", "--coder", "amina")
	out := mustRun(t, dir, "memo", "list")
	if !strings.Contains(out, "P01\tamina\t") || !strings.Contains(out, "Interview cut short; see notes") {
		t.Errorf("memo list:\n%s", out)
	}
	out = mustRun(t, dir, "speakers", "list")
	if !strings.Contains(out, "Interviewer\tinterviewer (by name)\t2\tP01") || !strings.Contains(out, "Dr Marsh\tparticipant (by name)\t2\tP01") {
		t.Errorf("speakers list:\n%s", out)
	}
	mustRun(t, dir, "speakers", "mark", "Interviewer", "--role", "participant")
	out = mustRun(t, dir, "code")
	if strings.Contains(out, "interviewer sentences") {
		t.Errorf("the interviewer was left alone though marked a participant:\n%s", out)
	}
	mustRun(t, dir, "speakers", "mark", "Interviewer", "--role", "")
	out = mustRun(t, dir, "speakers", "list", "--json")
	if !strings.Contains(out, `"role": ""`) || !strings.Contains(out, `"interviewer": true`) {
		t.Errorf("speakers list --json:\n%s", out)
	}
}

func openDB(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, project.Dirname, project.DBName)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// bigProject is a project of generated interviews, made once for the tests
// that need a `qcode code` run long enough to interrupt.
var bigProject struct {
	once sync.Once
	dir  string
	err  error
}

// copyBigProject returns a fresh copy of the big project, coded by hand in
// a few places.
func copyBigProject(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("makes a project of 200,000 words")
	}
	b := &bigProject
	b.once.Do(func() {
		b.dir, b.err = os.MkdirTemp("", "qcode-big-")
		if b.err != nil {
			return
		}
		in := filepath.Join(b.dir, "corpus")
		if _, b.err = corpusgen.Write(in, 200000, 7); b.err != nil {
			return
		}
		dir := filepath.Join(b.dir, "project")
		var out, errb bytes.Buffer
		for _, args := range [][]string{{"init", dir}, {"-C", dir, "import", in}} {
			if code := run(context.Background(), args, strings.NewReader(""), &out, &errb); code != 0 {
				b.err = fmt.Errorf("qcode %s: %s", strings.Join(args, " "), errb.String())
				return
			}
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	dir := filepath.Join(t.TempDir(), "project")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(b.dir, "project"))); err != nil {
		t.Fatal(err)
	}
	for _, seg := range []string{"P0001:s5", "P0002:t3", "P0003:100-180", "P0004"} {
		mustRun(t, dir, "coding", "add", seg, "humility", "--coder", "amina", "--memo", "by hand")
	}
	return dir
}

// manyCodesCodebook codes nearly every sentence several times over, so a
// run writes and deletes enough to be caught in the middle.
const manyCodesCodebook = `codes:
  - id: we
    name: We
    rule: we OR us OR our
  - id: they
    name: They
    rule: they OR them OR their
  - id: the
    name: The
    rule: the OR a OR an
  - id: and
    name: And
    rule: and OR but OR so
  - id: learn
    name: Learning
    rule: learn* OR taught OR teach*
`

// childCode starts `qcode code` in a child process.
func childCode(t *testing.T, dir string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"--project", dir, "code"}, args...)...)
	cmd.Env = append(os.Environ(), "QCODE_TEST_MAIN=1")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &errb
}

// rulesState returns the codebook hash of the project's rules codings (one
// hash, or the test fails: a run is all or nothing) and how many there are,
// and the people's codings as text.
func rulesState(t *testing.T, dir string) (hash string, n int, people string) {
	t.Helper()
	db := openDB(t, dir)
	rows, err := db.Query(`SELECT codebook_hash, count(*) FROM codings WHERE origin = 'rules' GROUP BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	groups := 0
	for rows.Next() {
		rows.Scan(&hash, &n)
		groups++
	}
	rows.Close()
	if groups > 1 {
		t.Fatalf("rules codings of %d codebooks: a run was half written", groups)
	}
	var b strings.Builder
	rows, err = db.Query(`SELECT source_id, start, end, code, coder, origin, memo, created_at FROM codings WHERE origin != 'rules' ORDER BY 1, 2, 3`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var a, s, e, cd, cr, o, m, c string
		rows.Scan(&a, &s, &e, &cd, &cr, &o, &m, &c)
		fmt.Fprintln(&b, a, s, e, cd, cr, o, m, c)
	}
	return hash, n, b.String()
}

// TestKillDuringCode kills real `qcode code` processes (kill -9) at
// several moments, some while their transaction is writing, and checks
// that the project then holds all or none of that run's rules codings and
// every coding made by hand.
func TestKillDuringCode(t *testing.T) {
	dir := copyBigProject(t)
	books := map[string]string{"default": filepath.Join(dir, app.CodebookFile), "many": write(t, t.TempDir(), "many.yaml", manyCodesCodebook)}
	// A complete run with each codebook says what "all" is for it.
	want := map[string]int{} // hash → rules codings after a complete run
	names := map[string]string{}
	for _, name := range []string{"many", "default"} {
		var rep app.CodeReport
		if err := json.Unmarshal([]byte(mustRun(t, dir, "code", "--codebook", books[name], "--json")), &rep); err != nil {
			t.Fatal(err)
		}
		want[rep.CodebookHash], names[rep.CodebookHash] = rep.Total, name
	}
	hash, _, people := rulesState(t, dir)
	if strings.Count(people, "\n") != 4 {
		t.Fatalf("people's codings:\n%s", people)
	}
	wal := filepath.Join(dir, project.Dirname, project.DBName+"-wal")
	walStamp := func() string {
		st, err := os.Stat(wal)
		if err != nil {
			return ""
		}
		return fmt.Sprint(st.Size(), st.ModTime().UnixNano())
	}
	// Kill after a time from the start, or after a time from when the
	// run's transaction first wrote to the write-ahead log (its page cache
	// full): the run is then surely in the middle.
	moments := []struct {
		written bool
		after   time.Duration
	}{{true, 0}, {true, 20 * time.Millisecond}, {false, 100 * time.Millisecond}, {true, 100 * time.Millisecond}, {false, 400 * time.Millisecond}, {true, 250 * time.Millisecond}, {false, 900 * time.Millisecond}, {true, 50 * time.Millisecond}}
	interrupted := 0
	for round, m := range moments {
		next := "many"
		if names[hash] == "many" {
			next = "default"
		}
		base := walStamp()
		cmd, errb := childCode(t, dir, "--codebook", books[next])
		start := time.Now()
		var wrote time.Time
		for time.Since(start) < 30*time.Second {
			if m.written && wrote.IsZero() && walStamp() != base {
				wrote = time.Now()
			}
			if !m.written && time.Since(start) >= m.after || m.written && !wrote.IsZero() && time.Since(wrote) >= m.after {
				break
			}
			time.Sleep(200 * time.Microsecond)
		}
		cmd.Process.Kill()
		err := cmd.Wait()
		got, n, gotPeople := rulesState(t, dir)
		if got == hash {
			interrupted++
		}
		t.Logf("round %d (%+v): %v; rules codings of %s: %d (stderr %q)", round, m, err, names[got], n, errb.String())
		if n != want[got] {
			t.Errorf("round %d: %d rules codings of codebook %s, want all %d or none", round, n, names[got], want[got])
		}
		if gotPeople != people {
			t.Errorf("round %d: people's codings changed:\n%s\nwant\n%s", round, gotPeople, people)
		}
		hash = got
	}
	if interrupted == 0 {
		t.Error("every run finished before it was killed: the test proved nothing")
	}
	// The project still works.
	mustRun(t, dir, "code", "--codebook", books["default"])
	if _, _, p := rulesState(t, dir); p != people {
		t.Error("people's codings changed")
	}
}

// TestWriteDuringCode starts `qcode code` in a second process and, while
// its transaction is open, reads and writes here: reading goes on at once;
// the writes wait for the run to commit, and everything lands.
func TestWriteDuringCode(t *testing.T) {
	dir := copyBigProject(t)
	many := write(t, t.TempDir(), "many.yaml", manyCodesCodebook)
	old := project.BusyTimeout
	project.BusyTimeout = time.Hour // as long as the run takes on this machine
	t.Cleanup(func() { project.BusyTimeout = old })
	cmd, errb := childCode(t, dir, "--codebook", many)
	exited := make(chan struct{})
	var runErr error
	go func() {
		runErr = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	waitForWriter(t, dir, exited)
	if code, _, errs := qcodeRun(t, dir, "coding", "list", "--coder", "amina"); code != 0 {
		t.Errorf("coding list while coding: %d %s", code, errs)
	}
	mustRun(t, dir, "coding", "add", "P0001:s9", "humility", "--coder", "bo")
	mustRun(t, dir, "memo", "add", "P0001", "written during a rules run", "--coder", "bo")
	<-exited
	if runErr != nil {
		t.Fatalf("the rules run: %v (stderr %q)", runErr, errb.String())
	}
	data, err := os.ReadFile(many)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p, err := project.Open(ctx, dir, project.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	rules, err := p.Codings(ctx, project.CodingFilter{Origin: coding.OriginRules})
	if err != nil || len(rules) == 0 || rules[0].CodebookHash != coding.CodebookHash(data) {
		t.Errorf("the run's codings: %d, %v", len(rules), err)
	}
	people, err := p.Codings(ctx, project.CodingFilter{Coder: "bo"})
	if err != nil || len(people) != 1 || people[0].Segment() != "P0001:s9" {
		t.Errorf("bo's coding: %+v, %v", people, err)
	}
	memos, err := p.Memos(ctx, project.MemoFilter{Source: "P0001"})
	if err != nil || len(memos) != 1 {
		t.Errorf("bo's memo: %+v, %v", memos, err)
	}
}

// waitForWriter returns once a process other than this one holds the
// project's write lock, found by trying to take it without waiting; it
// fails the test if the process exits first.
func waitForWriter(t *testing.T, dir string, exited <-chan struct{}) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, project.Dirname, project.DBName)+"?_txlock=immediate&_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for {
		select {
		case <-exited:
			t.Fatal("the other process ended before it was seen writing")
		default:
		}
		tx, err := db.Begin()
		var busy *sqlite.Error
		if errors.As(err, &busy) && busy.Code()&0xff == sqlite3.SQLITE_BUSY {
			return // the other holds the lock
		}
		if err != nil {
			t.Fatal(err)
		}
		tx.Rollback()
		time.Sleep(time.Millisecond)
	}
}
