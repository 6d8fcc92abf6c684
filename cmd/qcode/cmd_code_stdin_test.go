package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"qcode/app"
)

const stdinBook = `name: partnership
codes:
  - id: learning
    name: Learning
    codes:
      - id: humility
        name: Humility
        rule: 'humil* NOT humiliat*'
      - id: mutual
        name: Mutual learning
        rule: 'mutual* OR "learn from each other"'
  - id: debrief
    name: Absent debriefs
    rule: debrief*
    negation: only
  - id: visits
    name: Visits
    rule: visit*
    negation: keep
`

// stdinInput has a record with two codes in two sentences; one with two
// negated matches of a code (and one unnegated, which negation: only
// drops); one with nothing to code; and one with a negated and an
// unnegated match of a code, in two sentences.
const stdinInput = `{"id":"S01","trust":"Northbridge","text":"It taught me humility. We learn from each other now."}

{"id":"S02","text":"There was no debrief when we came home 😩, and no debriefing since; the debrief at Easter was good."}
{"id":"S03","text":"The flights were late."}
{"id":"S04","text":"Not every visit went well. The visits in May did."}
`

// stdinEnv returns an env that reads input, with --codebook set to a file
// holding book (none if book is "").
func stdinEnv(t *testing.T, input, book string) (*env, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	var out, errb bytes.Buffer
	e := newEnv(strings.NewReader(input), &out, &errb)
	if book != "" {
		e.codebookPath = write(t, t.TempDir(), "book.yaml", book)
	}
	return e, &out, &errb
}

type streamedRecord struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	Codes []struct {
		Code    string `json:"code"`
		Path    string `json:"path"`
		Start   int    `json:"start"`
		End     int    `json:"end"`
		Matches []struct {
			Tokens []struct {
				Start int    `json:"start"`
				End   int    `json:"end"`
				Text  string `json:"text"`
			} `json:"tokens"`
			Negated bool `json:"negated"`
		} `json:"matches"`
		Negated bool `json:"negated"`
	} `json:"codes"`
}

// codesOf returns, per record, its id and each of its codes as
// code[span]{match|match}: span is "all" when it is the whole text, a
// match is its tokens' text, and "!" marks a negated code or match. It
// fails the test when a token's span does not slice its text from the
// record or lies outside the code's span, or when a code's negation is not
// that of all its matches.
func codesOf(t *testing.T, out string) []string {
	t.Helper()
	var got []string
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var r streamedRecord
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		text := []rune(r.Text)
		var cs []string
		for _, c := range r.Codes {
			span := string(text[c.Start:c.End])
			if c.Start == 0 && c.End == len(text) {
				span = "all"
			}
			var ms []string
			negated := true
			for _, m := range c.Matches {
				var ws []string
				for _, tok := range m.Tokens {
					if tok.Start < c.Start || tok.End > c.End || string(text[tok.Start:tok.End]) != tok.Text {
						t.Fatalf("%s: %s: token %q at [%d, %d) is not that span of the text in [%d, %d)", r.ID, c.Code, tok.Text, tok.Start, tok.End, c.Start, c.End)
					}
					ws = append(ws, tok.Text)
				}
				ms = append(ms, not(m.Negated)+strings.Join(ws, " "))
				negated = negated && m.Negated
			}
			if c.Negated != negated {
				t.Fatalf("%s: %s: negated %v, but its matches say %v", r.ID, c.Code, c.Negated, negated)
			}
			cs = append(cs, not(c.Negated)+c.Code+"["+span+"]{"+strings.Join(ms, "|")+"}")
		}
		got = append(got, r.ID+" "+strings.Join(cs, ", "))
	}
	return got
}

func not(negated bool) string {
	if negated {
		return "!"
	}
	return ""
}

func TestRunCodeStdin(t *testing.T) {
	byRecord := []string{
		"S01 humility[all]{humility}, mutual[all]{learn from each other}",
		"S02 !debrief[all]{!debrief|!debriefing}",
		"S03 ",
		"S04 visits[all]{!visit|visits}",
	}
	for _, tc := range []struct {
		name string
		o    codeStdinOptions
		want []string
	}{
		{"record", codeStdinOptions{textField: "text"}, byRecord},
		{"sentence", codeStdinOptions{textField: "text", unit: "sentence"}, []string{
			"S01 humility[It taught me humility.]{humility}, mutual[We learn from each other now.]{learn from each other}",
			"S02 !debrief[all]{!debrief|!debriefing}",
			"S03 ",
			"S04 !visits[Not every visit went well.]{!visit}, visits[The visits in May did.]{visits}",
		}},
		{"source is a record", codeStdinOptions{textField: "text", unit: "source"}, byRecord},
		{"turn is a record", codeStdinOptions{textField: "text", unit: "turn"}, byRecord},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, out, errb := stdinEnv(t, stdinInput, stdinBook)
			if err := runCodeStdin(context.Background(), e, tc.o); err != nil {
				t.Fatal(err)
			}
			if got := codesOf(t, out.String()); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if !strings.HasPrefix(out.String(), `{"id":"S01","trust":"Northbridge","text":"It taught me humility. We learn from each other now.","codes":[{"code":"humility","path":"Learning > Humility",`) {
				t.Errorf("fields not kept: %s", out)
			}
			if errb.Len() > 0 {
				t.Errorf("wrote to stderr, which is not a terminal: %s", errb)
			}
		})
	}
}

// TestRunCodeStdinShape checks a coded record byte for byte: the shape
// every consumer of the stream reads.
func TestRunCodeStdinShape(t *testing.T) {
	e, out, _ := stdinEnv(t, `{"id":"S04","text":"Not every visit went well, but the visits in May did."}`, stdinBook)
	if err := runCodeStdin(context.Background(), e, codeStdinOptions{textField: "text"}); err != nil {
		t.Fatal(err)
	}
	want := `{"id":"S04","text":"Not every visit went well, but the visits in May did.","codes":[` +
		`{"code":"visits","path":"Visits","start":0,"end":53,"matches":[` +
		`{"tokens":[{"start":10,"end":15,"text":"visit"}],"negated":true},` +
		`{"tokens":[{"start":35,"end":41,"text":"visits"}],"negated":false}` +
		`],"negated":false}]}` + "\n"
	if out.String() != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
}

func TestRunCodeStdinReport(t *testing.T) {
	e, out, errb := stdinEnv(t, stdinInput+"not json\n", stdinBook)
	if err := runCodeStdin(context.Background(), e, codeStdinOptions{textField: "text", keepGoing: true}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != 4 {
		t.Errorf("wrote %d records, want 4", n)
	}
	if want := "coded 4 records, 4 codings; skipped 1 malformed line\n"; errb.String() != want {
		t.Errorf("stderr %q, want %q", errb, want)
	}

	e, _, errb = stdinEnv(t, stdinInput, stdinBook)
	e.errTTY = true
	if err := runCodeStdin(context.Background(), e, codeStdinOptions{textField: "text"}); err != nil {
		t.Fatal(err)
	}
	if want := "coded 4 records, 4 codings\n"; errb.String() != want {
		t.Errorf("stderr on a terminal %q, want %q", errb, want)
	}

	// A record saved as Windows-1252 is coded, and the user told, even
	// on a pipe.
	e, out, errb = stdinEnv(t, stdinInput+"{\"id\":\"S05\",\"text\":\"The caf\xe9 debriefs taught us humility.\"}\n", stdinBook)
	if err := runCodeStdin(context.Background(), e, codeStdinOptions{textField: "text"}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != 5 {
		t.Errorf("wrote %d records, want 5", n)
	}
	if want := "coded 5 records, 5 codings; 1 record held bytes that are not UTF-8, coded as U+FFFD: convert the input to UTF-8 (iconv -f WINDOWS-1252 -t UTF-8)\n"; errb.String() != want {
		t.Errorf("stderr %q, want %q", errb, want)
	}
}

func TestRunCodeStdinErrors(t *testing.T) {
	t.Chdir(t.TempDir()) // no project here or above
	for _, tc := range []struct {
		name, input, book string
		o                 codeStdinOptions
		code              int
		msg               string
		records           int // written before the error
	}{
		{"malformed line", stdinInput + "{\"id\":\"S04\",\"text\":\n", stdinBook, codeStdinOptions{textField: "text"}, exitInvalid,
			`stdin:6: not valid JSON (at byte 19: unexpected end of JSON input); each line must be one JSON object such as {"id": 1, "text": "…"}; --keep-going skips bad lines`, 4},
		{"no text field", `{"id":"S01","comment":"humility"}`, stdinBook, codeStdinOptions{textField: "text"}, exitInvalid,
			`stdin:1: no "text" field; each object needs the text to code, as a string, in "text" (or say --text-field NAME); --keep-going skips bad lines`, 0},
		{"text not a string", `{"id":"S01","text":42}`, stdinBook, codeStdinOptions{textField: "text"}, exitInvalid,
			`stdin:1: "text" is a number, not a string; the text to code must be a JSON string; --keep-going skips bad lines`, 0},
		{"no codebook", stdinInput, "", codeStdinOptions{textField: "text"}, exitInvalid,
			"--codebook: coding records outside a project needs a codebook file", 0},
		{"rule does not compile", stdinInput, "codes:\n  - id: humility\n    name: Humility\n    rule: 'humil* NAER/3 learn'\n", codeStdinOptions{textField: "text"}, exitInvalid,
			"book.yaml:4:", 0},
		{"unknown unit", stdinInput, stdinBook, codeStdinOptions{textField: "text", unit: "word"}, exitInvalid,
			"--unit word: with --stdin say sentence, paragraph or record (the default)", 0},
		{"empty text field", stdinInput, stdinBook, codeStdinOptions{textField: " "}, exitInvalid,
			"--text-field: empty: name the field that holds the text", 0},
		{"record over the limit", stdinInput + `{"id":"S05","text":"` + strings.Repeat("We learnt humility from the nurses. ", 30000) + "\"}\n", stdinBook, codeStdinOptions{textField: "text", maxRecord: 1}, exitInvalid,
			"stdin:6: line longer than 1 MiB, the longest record that is read; split the record, or raise the limit with --max-record MB; --keep-going skips bad lines", 4},
		{"record limit out of range", stdinInput, stdinBook, codeStdinOptions{textField: "text", maxRecord: -1}, exitInvalid,
			"--max-record -1: say a number of megabytes from 1 to 1024", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, out, _ := stdinEnv(t, tc.input, tc.book)
			err := runCodeStdin(context.Background(), e, tc.o)
			if err == nil {
				t.Fatal("no error")
			}
			if got := exitCode(err); got != tc.code {
				t.Errorf("exit %d, want %d (%v)", got, tc.code, err)
			}
			if msg := phrased(err); !strings.Contains(msg, tc.msg) || strings.Contains(msg, "\n") {
				t.Errorf("got  %s\nwant %s", msg, tc.msg)
			}
			if n := strings.Count(out.String(), "\n"); n != tc.records {
				t.Errorf("wrote %d records, want %d", n, tc.records)
			}
		})
	}
}

// TestRunCodeStdinProject checks that without --codebook a project's
// codebook is used, and the project is left alone.
func TestRunCodeStdinProject(t *testing.T) {
	dir, _ := newProject(t)
	before := dump(t, dir)
	e, out, _ := stdinEnv(t, stdinInput, "")
	e.projectDir = dir
	if err := runCodeStdin(context.Background(), e, codeStdinOptions{textField: "text"}); err != nil {
		t.Fatal(err)
	}
	if got := codesOf(t, out.String()); !strings.Contains(got[0], "humility[all]{humility}") {
		t.Errorf("the project's default codebook did not code humility: %q", got)
	}
	if dump(t, dir) != before {
		t.Error("the project changed")
	}
}

// TestCodeStdinFlags runs `qcode code` with --stdin flags: arguments to
// options to output.
func TestCodeStdinFlags(t *testing.T) {
	t.Chdir(t.TempDir())
	book := write(t, t.TempDir(), "book.yaml", stdinBook)
	input := `{"id":"S01","comment":"It taught me humility. We learn from each other now."}` + "\nnot json\n"
	humility := func(start, end int) string {
		return `"codes":[{"code":"humility","path":"Learning > Humility","start":` + fmt.Sprint(start) + `,"end":` + fmt.Sprint(end) +
			`,"matches":[{"tokens":[{"start":13,"end":21,"text":"humility"}],"negated":false}],"negated":false},`
	}
	for _, tc := range []struct {
		name string
		args []string
		want string // in stdout, or the error
		err  bool
	}{
		// Without --unit a record is coded whole, not by sentence as a project is.
		{"stdin", []string{"--stdin", "--codebook", book, "--text-field", "comment", "--keep-going"}, humility(0, 52), false},
		{"stdin=true", []string{"--stdin=true", "--codebook", book, "--text-field", "comment", "--keep-going"}, humility(0, 52), false},
		{"stdin by sentence", []string{"--stdin", "--codebook", book, "--text-field", "comment", "--keep-going", "--unit", "sentence"}, humility(0, 22), false},
		{"stdin by paragraph", []string{"--unit", "paragraph", "--stdin", "--codebook", book, "--text-field", "comment", "--keep-going"}, humility(0, 52), false},
		{"stdin by turn", []string{"--stdin", "--codebook", book, "--text-field", "comment", "--keep-going", "--unit", "turn"}, humility(0, 52), false},
		{"stdin by word", []string{"--stdin", "--codebook", book, "--unit", "word"}, "--unit word: with --stdin say sentence, paragraph or record", true},
		{"stdin with dry-run", []string{"--stdin", "--codebook", book, "--dry-run"}, "--stdin cannot be used with --dry-run", true},
		{"stdin with -n", []string{"--stdin", "--codebook", book, "-n"}, "--stdin cannot be used with --dry-run", true},
		{"stdin with source", []string{"--stdin", "--codebook", book, "--source", "P01"}, "--stdin cannot be used with --source", true},
		{"stdin with include-interviewer", []string{"--stdin", "--codebook", book, "--include-interviewer"}, "--stdin cannot be used with --include-interviewer", true},
		{"stdin with json", []string{"--stdin", "--codebook", book, "--json"}, "--stdin cannot be used with --json", true},
		{"keep-going without stdin", []string{"--keep-going"}, "--keep-going works only with --stdin", true},
		{"suggest with stdin", []string{"--suggest", "--stdin"}, "--suggest cannot be used with --stdin", true},
		{"suggest with unit", []string{"--suggest", "--unit", "turn"}, "--suggest cannot be used with --unit", true},
		{"top without suggest", []string{"--top", "2"}, "--top works only with --suggest", true},
		{"coder without suggest", []string{"--stdin", "--coder", "amina"}, "--coder works only with --suggest", true},
		{"text-field without stdin", []string{"--text-field", "comment"}, "--text-field works only with --stdin", true},
		{"keep-going with stdin=false", []string{"--stdin=false", "--keep-going"}, "--keep-going works only with --stdin", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			e := newEnv(strings.NewReader(input), &out, &errb)
			cmd := newCodeCmd(e)
			cmd.SetArgs(tc.args)
			cmd.SetOut(&out)
			cmd.SetErr(&errb)
			err := cmd.ExecuteContext(context.Background())
			if tc.err {
				if err == nil || !strings.Contains(err.Error(), tc.want) || exitCode(err) != exitInvalid {
					t.Errorf("got %v, want exit 2 and %q", err, tc.want)
				}
				if strings.Contains(out.String(), `"codes"`) {
					t.Errorf("coded records: %s", out.String())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), tc.want) {
				t.Errorf("got %s\nwant %s", out.String(), tc.want)
			}
			if !strings.Contains(errb.String(), "skipped 1 malformed line") {
				t.Errorf("stderr %q", errb.String())
			}
		})
	}
}

// TestCodeStdinFalse checks that --stdin=false codes the project, with the
// project's flags and its default unit, and reads nothing.
func TestCodeStdinFalse(t *testing.T) {
	dir, _ := newProject(t)
	code, out, errs := qcodeRun(t, dir, "code", "--stdin=false", "--dry-run", "--json", "--source", "P01")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep app.CodeReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if rep.Unit != "sentence" || !rep.DryRun || rep.Sources != 1 || rep.Added == 0 {
		t.Errorf("report %+v, want a dry run over the sentences of one source", rep)
	}
}
