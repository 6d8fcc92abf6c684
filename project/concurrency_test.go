package project

// Tests of several processes on one project at once: a long-running
// workspace holds it open while the command line works on it. Writes take
// turns through SQLite's write lock; readers never wait.

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"qcode"
	"qcode/coding"
	"qcode/corpus"
)

// childEnv puts the test binary in a child's part (see runChild): a second
// process on the project named by childDirEnv. SQLite keeps the connections
// of one process apart partly in memory and processes apart by file locks
// alone, so what must hold between processes is tested with two.
const (
	childEnv    = "QCODE_PROJECT_CHILD"
	childDirEnv = "QCODE_PROJECT_CHILD_DIR"
)

// runChild plays a child's part and returns its exit status: "write"
// prints "ready" and, given a line, does a session's writes (writeSession,
// as "child"); "hold" stops in the middle of importing H01, prints "held",
// and commits once its stdin closes.
func runChild(part string) int {
	ctx := context.Background()
	p, err := Open(ctx, os.Getenv(childDirEnv), ReadWrite)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer p.Close()
	switch part {
	case "write":
		fmt.Println("ready")
		if _, err = bufio.NewReader(os.Stdin).ReadString('\n'); err == nil {
			err = writeSession(ctx, p, "child", sessionSources)
		}
	case "hold":
		docs, derr := corpus.Read(corpus.Input{Path: "H01.txt", Data: []byte(interviewText("H01"))}, "")
		if derr != nil {
			err = derr
			break
		}
		err = holdImport(ctx, p, docs, false, func() {
			fmt.Println("held")
			io.Copy(io.Discard, os.Stdin)
		})
	default:
		err = fmt.Errorf("no child part %q", part)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// startChild starts this test binary as a child playing part on the
// project in dir.
func startChild(t *testing.T, part, dir string) (cmd *exec.Cmd, stdin io.WriteCloser, stdout *bufio.Reader, stderr *bytes.Buffer) {
	t.Helper()
	cmd = exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+part, childDirEnv+"="+dir)
	stderr = &bytes.Buffer{}
	cmd.Stderr = stderr
	var err error
	if stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	return cmd, stdin, bufio.NewReader(out), stderr
}

// interviewText is a short interview whose text is its name's own.
func interviewText(name string) string {
	return fmt.Sprintf("Interviewer: What did %s bring home?\n\nNurse: A debrief after every shift.\n\nInterviewer: And the chart?\n\nNurse: The warning chart, for the handover at %s.\n", name, name)
}

func mustInterview(tb testing.TB, name string) []*corpus.Source {
	tb.Helper()
	return mustRead(tb, name+".txt", interviewText(name))
}

// holdImport imports docs in one transaction and, with them written but
// not committed, calls held: the transaction holds the write lock as long
// as held runs, as a long import does while it stores a large file.
func holdImport(ctx context.Context, p *Project, docs []*corpus.Source, replace bool, held func()) error {
	return p.tx(ctx, func(tx *sql.Tx) error {
		w, err := newWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		for _, d := range docs {
			if _, err := w.importDoc(d, ImportOptions{Replace: replace, keep: true}); err != nil {
				return err
			}
		}
		held()
		return nil
	})
}

// midImport starts holdImport in the background and returns once its
// transaction holds the write lock, with a function that lets it commit
// and returns its error.
func midImport(t *testing.T, p *Project, docs []*corpus.Source, replace bool) (finish func() error) {
	t.Helper()
	held, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- holdImport(context.Background(), p, docs, replace, func() {
			close(held)
			<-release
		})
	}()
	select {
	case <-held:
	case err := <-done:
		t.Fatalf("the held import failed: %v", err)
	}
	var once sync.Once
	var err error
	finish = func() error {
		once.Do(func() {
			close(release)
			err = <-done
		})
		return err
	}
	t.Cleanup(func() { finish() })
	return finish
}

// sessionSources is how many sources a session imports, codes and writes
// memos on: enough writes that two sessions begun together overlap.
const sessionSources = 15

// writeSession does, write by write, what one person's session does: it
// imports n sources named coder-1 to coder-n, codes each by hand, codes
// P03's fourth sentence, and writes a memo on each source. Every write is
// a transaction of its own, as the command line and the workspace make
// them.
func writeSession(ctx context.Context, p *Project, coder string, n int) error {
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("%s-%d", coder, i)
		docs, err := corpus.Read(corpus.Input{Path: name + ".txt", Data: []byte(interviewText(name))}, "")
		if err != nil {
			return err
		}
		if _, err := p.Import(ctx, docs, false); err != nil {
			return fmt.Errorf("import %s: %w", name, err)
		}
		req := CodingRequest{Ref: coding.Ref{Source: name, Unit: coding.UnitSentence, Ord: 2}, Code: "debrief", Coder: coder, Origin: coding.OriginManual}
		if _, _, err := p.AddCoding(ctx, req, "coding add"); err != nil {
			return fmt.Errorf("coding %s: %w", name, err)
		}
		if _, err := p.AddMemo(ctx, MemoRequest{Kind: coding.MemoSource, Source: name, Coder: coder, Text: "memo by " + coder}, "memo add"); err != nil {
			return fmt.Errorf("memo on %s: %w", name, err)
		}
	}
	req := CodingRequest{Ref: coding.Ref{Source: "P03", Unit: coding.UnitSentence, Ord: 4}, Code: "chart", Coder: coder, Origin: coding.OriginManual}
	_, _, err := p.AddCoding(ctx, req, "coding add")
	return err
}

// checkSession checks that every write of writeSession(coder, n) landed.
func checkSession(t *testing.T, p *Project, coder string, n int) {
	t.Helper()
	ctx := context.Background()
	cs := mustCodings(t, p, CodingFilter{Coder: coder})
	if len(cs) != n+1 {
		t.Errorf("%s has %d codings, want %d: %s", coder, len(cs), n+1, segments(cs))
	}
	memos, err := p.Memos(ctx, MemoFilter{})
	if err != nil {
		t.Fatal(err)
	}
	names, err := p.SourceNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("%s-%d", coder, i)
		if !slices.Contains(names, name) {
			t.Errorf("source %s is missing", name)
		}
		if !slices.ContainsFunc(memos, func(m coding.Memo) bool { return m.Source == name && m.Coder == coder }) {
			t.Errorf("the memo on %s is missing", name)
		}
	}
}

// shortBusy makes the projects a test opens give up on another's write
// after a few milliseconds, not seconds.
func shortBusy(t *testing.T) {
	old := BusyTimeout
	BusyTimeout = 20 * time.Millisecond
	t.Cleanup(func() { BusyTimeout = old })
}

// openTwice opens the project in dir a second time, as another process
// (a workspace, a command) holds it open besides the first.
func openTwice(t *testing.T, dir string, mode Mode) *Project {
	t.Helper()
	p, err := Open(context.Background(), dir, mode)
	if err != nil {
		t.Fatalf("opening the project a second time: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// wantBusy checks that err is the busy error a front end shows.
func wantBusy(t *testing.T, what string, err error) {
	t.Helper()
	if qcode.ErrorCode(err) != qcode.EBUSY {
		t.Fatalf("%s while another writes: %v, want busy", what, err)
	}
	if msg := err.Error(); msg != "another qcode is writing to the project; try again when it has finished" {
		t.Errorf("%s: busy error %q", what, msg)
	}
}

// TestTwoWriters has two projects open for writing on one folder, as a
// workspace and a command hold it, import, code and write memos at once
// while a rules run codes the project again and again: every write lands.
func TestTwoWriters(t *testing.T) {
	ctx := context.Background()
	a := mustP03(t)
	b := openTwice(t, a.Dir, ReadWrite)
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	wg.Go(func() { errs <- writeSession(ctx, a, "amina", sessionSources) })
	wg.Go(func() { errs <- writeSession(ctx, b, "bo", sessionSources) })
	applier := mustApplier(t, testCodebook)
	wg.Go(func() {
		for range 5 {
			if _, err := b.CodeRules(ctx, RulesRun{Unit: coding.UnitSentence}, applier); err != nil {
				errs <- err
				return
			}
		}
		errs <- nil
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	checkSession(t, a, "amina", sessionSources)
	checkSession(t, b, "bo", sessionSources)
	// A last run codes every source: its codings stand beside people's.
	res, err := a.CodeRules(ctx, RulesRun{Unit: coding.UnitSentence}, applier)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sources != 2*sessionSources+1 || res.People != 2*sessionSources+2 {
		t.Errorf("the last rules run: %+v; want %d sources and %d codings by people", res, 2*sessionSources+1, 2*sessionSources+2)
	}
}

// TestTwoWriterProcesses is TestTwoWriters with the second writer in a
// process of its own.
func TestTwoWriterProcesses(t *testing.T) {
	ctx := context.Background()
	p := mustP03(t)
	cmd, stdin, stdout, stderr := startChild(t, "write", p.Dir)
	if line, err := stdout.ReadString('\n'); line != "ready\n" {
		t.Fatalf("the child is not ready: %q, %v: %s", line, err, stderr)
	}
	// Both begin together.
	if _, err := io.WriteString(stdin, "go\n"); err != nil {
		t.Fatal(err)
	}
	if err := writeSession(ctx, p, "amina", sessionSources); err != nil {
		t.Fatal(err)
	}
	if _, err := p.CodeRules(ctx, RulesRun{Unit: coding.UnitSentence}, mustApplier(t, testCodebook)); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the child writer: %v: %s", err, stderr)
	}
	checkSession(t, p, "amina", sessionSources)
	checkSession(t, p, "child", sessionSources)
}

// TestBusyWriter meets a write held open past the (shortened) busy wait:
// opening and reading go on, every write is refused as busy and leaves no
// trace, and once the other write commits, writing works again.
func TestBusyWriter(t *testing.T) {
	shortBusy(t)
	p := mustP03(t)
	finish := midImport(t, p, mustInterview(t, "H01"), false)
	w := openTwice(t, p.Dir, ReadWrite)
	r := openTwice(t, p.Dir, ReadOnly)
	checkBusy(t, w, r)
	if err := finish(); err != nil {
		t.Fatalf("the held import: %v", err)
	}
	checkAfterBusy(t, w)
}

// TestBusyWriterProcess is TestBusyWriter with the held write in another
// process.
func TestBusyWriterProcess(t *testing.T) {
	shortBusy(t)
	p := mustP03(t)
	cmd, stdin, stdout, stderr := startChild(t, "hold", p.Dir)
	if line, err := stdout.ReadString('\n'); line != "held\n" {
		t.Fatalf("the child did not hold its import: %q, %v: %s", line, err, stderr)
	}
	r := openTwice(t, p.Dir, ReadOnly)
	checkBusy(t, p, r)
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the child: %v: %s", err, stderr)
	}
	checkAfterBusy(t, p)
}

// checkBusy tries every kind of write on w and reads on r while another
// writer holds H01's import open.
func checkBusy(t *testing.T, w, r *Project) {
	t.Helper()
	ctx := context.Background()
	_, err := w.Import(ctx, mustInterview(t, "P05"), false)
	wantBusy(t, "import", err)
	s4 := coding.Ref{Source: "P03", Unit: coding.UnitSentence, Ord: 4}
	_, _, err = w.AddCoding(ctx, CodingRequest{Ref: s4, Code: "chart", Coder: "amina", Origin: coding.OriginManual}, "coding add")
	wantBusy(t, "coding add", err)
	_, err = w.AddMemo(ctx, MemoRequest{Kind: coding.MemoSource, Source: "P03", Coder: "amina", Text: "a note"}, "memo add")
	wantBusy(t, "memo add", err)
	_, err = w.SetAttributes(ctx, &corpus.AttributeTable{Path: "cases.csv", Columns: []corpus.AttributeColumn{{Name: "site", Type: corpus.AttrText}}, Rows: []corpus.AttributeRow{{Case: "P03", Line: 2, Values: []string{"Lusaka"}}}})
	wantBusy(t, "attributes import", err)
	_, err = w.CodeRules(ctx, RulesRun{Unit: coding.UnitSentence}, mustApplier(t, testCodebook))
	wantBusy(t, "code", err)
	wantBusy(t, "speakers mark", w.MarkSpeaker(ctx, "Sarah", "participant"))

	// Readers, and the dry run of the rules, go on: they see the project
	// as it was before the held import.
	for _, q := range []*Project{w, r} {
		names, err := q.SourceNames(ctx)
		if err != nil || !reflect.DeepEqual(names, []string{"P03"}) {
			t.Errorf("sources while another writes: %v, %v", names, err)
		}
		if _, err := q.Source(ctx, "P03"); err != nil {
			t.Errorf("reading P03 while another writes: %v", err)
		}
		res, err := q.CodeRules(ctx, RulesRun{Unit: coding.UnitSentence, DryRun: true}, mustApplier(t, testCodebook))
		if err != nil || res.Sources != 1 {
			t.Errorf("a dry run while another writes: %+v, %v", res, err)
		}
	}
}

// checkAfterBusy checks, once the held import of H01 committed, that the
// writes refused while it was held left nothing behind, and that they now
// land.
func checkAfterBusy(t *testing.T, w *Project) {
	t.Helper()
	ctx := context.Background()
	names, err := w.SourceNames(ctx)
	if err != nil || !reflect.DeepEqual(names, []string{"H01", "P03"}) {
		t.Fatalf("after the held import: %v, %v; want H01 and P03 only", names, err)
	}
	if cs := mustCodings(t, w, CodingFilter{}); len(cs) != 0 {
		t.Errorf("refused writes left codings: %s", segments(cs))
	}
	if ms, err := w.Memos(ctx, MemoFilter{}); err != nil || len(ms) != 0 {
		t.Errorf("refused writes left memos: %v, %v", ms, err)
	}
	if attrs, _, err := w.CaseAttributes(ctx); err != nil || len(attrs) != 0 {
		t.Errorf("refused writes left attributes: %v, %v", attrs, err)
	}
	var turns, counted int
	if err := w.db.QueryRow(`SELECT (SELECT count(*) FROM turns), (SELECT sum(turns) FROM sources)`).Scan(&turns, &counted); err != nil || turns != counted {
		t.Errorf("%d turns stored for the sources' %d (%v)", turns, counted, err)
	}
	if _, err := w.Import(ctx, mustInterview(t, "P05"), false); err != nil {
		t.Fatalf("import once the other write ended: %v", err)
	}
	s4 := coding.Ref{Source: "P03", Unit: coding.UnitSentence, Ord: 4}
	if _, _, err := w.AddCoding(ctx, CodingRequest{Ref: s4, Code: "chart", Coder: "amina", Origin: coding.OriginManual}, "coding add"); err != nil {
		t.Fatalf("coding once the other write ended: %v", err)
	}
}

// TestReaderDuringWrite reads while another project replaces P03 and adds
// P05 in one long transaction: the reader is not kept waiting (its busy
// wait is shortened, so waiting would fail), sees the project as it stood
// before, and a read that spans the writer's commit sees one state from
// its start to its end.
func TestReaderDuringWrite(t *testing.T) {
	shortBusy(t)
	ctx := context.Background()
	w := mustP03(t)
	before, err := w.Source(ctx, "P03")
	if err != nil {
		t.Fatal(err)
	}
	var sentences []string
	for _, tu := range before.Turns {
		for _, s := range tu.Sentences {
			sentences = append(sentences, s.Text)
		}
	}
	r := openTwice(t, w.Dir, ReadOnly)
	changed := mustRead(t, "P03.txt", strings.Replace(p03, "handover", "ward round", 1))
	finish := midImport(t, w, append(changed, mustInterview(t, "P05")...), true)

	got, err := r.Source(ctx, "P03")
	if err != nil {
		t.Fatalf("reading during the write: %v", err)
	}
	if !reflect.DeepEqual(got, before) {
		t.Errorf("P03 read during the write is not P03 as it was:\n%+v\nwant\n%+v", got, before)
	}
	if srcs, err := r.Sources(ctx); err != nil || len(srcs) != 1 {
		t.Errorf("sources during the write: %+v, %v; want P03 alone", srcs, err)
	}

	n := 0
	err = r.EachSentence(ctx, func(s SentenceRow) error {
		if n == 0 {
			if err := finish(); err != nil {
				return fmt.Errorf("the writer's commit: %w", err)
			}
		}
		if s.Source != "P03" || n >= len(sentences) || s.Text != sentences[n] {
			return fmt.Errorf("sentence %d read across the commit: %s %q; want P03's old %q", n+1, s.Source, s.Text, sentences[min(n, len(sentences)-1)])
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(sentences) {
		t.Errorf("read %d sentences across the commit, want %d", n, len(sentences))
	}

	after, err := r.Source(ctx, "P03")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(after.Text, "ward round") {
		t.Error("the reader does not see the committed replacement")
	}
	if names, err := r.SourceNames(ctx); err != nil || !reflect.DeepEqual(names, []string{"P03", "P05"}) {
		t.Errorf("sources after the commit: %v, %v", names, err)
	}
}

// TestMigrationRace opens a schema 2 project for writing twice at once,
// as two processes started on an old project do, both having read the old
// version before either upgrades it: one upgrades, the other finds it done,
// and the project has one correct schema.
func TestMigrationRace(t *testing.T) {
	ctx := context.Background()
	dir, want, run := schema2Project(t)
	var both sync.WaitGroup
	both.Add(2)
	beforeMigration = func() {
		both.Done()
		both.Wait()
	}
	t.Cleanup(func() { beforeMigration = func() {} })
	ps := make([]*Project, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range ps {
		wg.Go(func() { ps[i], errs[i] = Open(ctx, dir, ReadWrite) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("opener %d: %v", i, err)
		}
		defer ps[i].Close()
	}
	for i, p := range ps {
		if got := mustCodings(t, p, CodingFilter{}); !reflect.DeepEqual(got, want) {
			t.Errorf("opener %d after the migration:\n%+v\nwant\n%+v", i, got, want)
		}
	}
	p := ps[0]
	var version, rows, runs int
	if err := p.db.QueryRow(`SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM codings WHERE origin = 'rules'), (SELECT count(*) FROM rules_codings)`).Scan(&version, &rows, &runs); err != nil {
		t.Fatal(err)
	}
	if version != SchemaVersion() || rows != 0 || runs != 1 {
		t.Errorf("schema %d, %d rules codings as rows, %d rules_codings rows; want %d, 0, 1", version, rows, runs, SchemaVersion())
	}
	res, err := ps[1].CodeRules(ctx, run, mustApplier(t, testCodebook))
	if err != nil || res.Added != 0 || res.Removed != 0 {
		t.Errorf("rerun after the migration: %+v, %v", res, err)
	}
}

// TestImportRechecksCodings: one project checks a replacement of P03
// while P03 has no codings by people, another codes P03, then the first
// imports: the import finds the coding in its transaction and refuses, so
// the person's coding is not lost.
func TestImportRechecksCodings(t *testing.T) {
	ctx := context.Background()
	a := mustP03(t)
	b := openTwice(t, a.Dir, ReadWrite)
	changed := mustRead(t, "P03.txt", strings.Replace(p03, "handover", "ward round", 1))
	if err := a.CheckImport(ctx, changed, true); err != nil {
		t.Fatalf("checking the replacement: %v", err)
	}
	s4 := coding.Ref{Source: "P03", Unit: coding.UnitSentence, Ord: 4}
	if _, _, err := b.AddCoding(ctx, CodingRequest{Ref: s4, Code: "chart", Coder: "bo", Origin: coding.OriginManual}, "coding add"); err != nil {
		t.Fatal(err)
	}
	_, err := a.Import(ctx, changed, true)
	if qcode.ErrorCode(err) != qcode.ECONFLICT || !strings.Contains(err.Error(), "1 coding made by hand") {
		t.Fatalf("replacing a source coded since the check: %v, want the conflict", err)
	}
	if cs := mustCodings(t, a, CodingFilter{Coder: "bo"}); len(cs) != 1 || !strings.Contains(cs[0].Text, "warning chart") {
		t.Errorf("bo's coding after the refused replacement: %+v", cs)
	}
}

// TestSetAttributesRechecks: one project checks an attributes table,
// another declares one of its attributes with another type, then the first
// sets the table: the transaction meets the clash and writes nothing.
func TestSetAttributesRechecks(t *testing.T) {
	ctx := context.Background()
	a := mustP03(t)
	b := openTwice(t, a.Dir, ReadWrite)
	years := &corpus.AttributeTable{Path: "cases.csv",
		Columns: []corpus.AttributeColumn{{Name: "site", Type: corpus.AttrText}, {Name: "years", Type: corpus.AttrNumber}},
		Rows:    []corpus.AttributeRow{{Case: "P03", Line: 2, Values: []string{"Lusaka", "4"}}}}
	if err := a.CheckAttributes(ctx, years, nil); err != nil {
		t.Fatalf("checking the table: %v", err)
	}
	text := &corpus.AttributeTable{Path: "other.csv",
		Columns: []corpus.AttributeColumn{{Name: "years", Type: corpus.AttrText}},
		Rows:    []corpus.AttributeRow{{Case: "P03", Line: 2, Values: []string{"four"}}}}
	if _, err := b.SetAttributes(ctx, text); err != nil {
		t.Fatal(err)
	}
	_, err := a.SetAttributes(ctx, years)
	if qcode.ErrorCode(err) != qcode.EINVALID || !strings.Contains(err.Error(), `column "years" holds number values`) {
		t.Fatalf("setting the checked table: %v, want the type clash", err)
	}
	attrs, cases, err := a.CaseAttributes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(attrs, []string{"years"}) || len(cases) != 1 || !reflect.DeepEqual(cases[0].Attributes, []corpus.Attribute{{Name: "years", Type: corpus.AttrText, Value: "four"}}) {
		t.Errorf("after the refused table: %v, %+v", attrs, cases)
	}
}

// TestCodingRefusesReimportedSource: hits found in P03 are coded after
// another project replaced P03's text. Requests that carry the hash P03
// had when the hits were found are refused, all of them; without it a
// request codes the text as it now stands.
func TestCodingRefusesReimportedSource(t *testing.T) {
	ctx := context.Background()
	a := mustP03(t)
	b := openTwice(t, a.Dir, ReadWrite)
	hashes, err := a.SourceHashes(ctx)
	if err != nil || hashes["P03"] == "" {
		t.Fatalf("hashes: %v, %v", hashes, err)
	}
	changed := mustRead(t, "P03.txt", strings.Replace(p03, "Nobody asked.", "Everybody asked, and we talked for an hour.", 1))
	if _, err := b.Import(ctx, changed, true); err != nil {
		t.Fatal(err)
	}
	var reqs []CodingRequest
	for _, ord := range []int{2, 4} {
		reqs = append(reqs, CodingRequest{Ref: coding.Ref{Source: "P03", Unit: coding.UnitSentence, Ord: ord}, Code: "chart", Coder: "amina", Origin: coding.OriginSearch, Hash: hashes["P03"]})
	}
	_, _, err = a.AddCodings(ctx, reqs, "search")
	if qcode.ErrorCode(err) != qcode.ECONFLICT || !strings.Contains(err.Error(), "P03 was imported again") {
		t.Fatalf("coding a replaced source: %v, want a conflict", err)
	}
	if cs := mustCodings(t, a, CodingFilter{}); len(cs) != 0 {
		t.Errorf("the refused codings left %s", segments(cs))
	}
	now, err := a.SourceHashes(ctx)
	if err != nil || now["P03"] == hashes["P03"] {
		t.Fatalf("hashes after the replacement: %v, %v", now, err)
	}
	for i := range reqs {
		reqs[i].Hash = now["P03"]
	}
	if added, _, err := a.AddCodings(ctx, reqs, "search"); err != nil || added != 2 {
		t.Errorf("coding with the new hash: %d, %v", added, err)
	}
}
