package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
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
`

const stdinInput = `{"id":"S01","trust":"Northbridge","text":"It taught me humility. We learn from each other now."}

{"id":"S02","text":"There was no debrief when we came home 😩, so nothing was shared."}
{"id":"S03","text":"The flights were late."}
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
		Code    string   `json:"code"`
		Path    string   `json:"path"`
		Start   int      `json:"start"`
		End     int      `json:"end"`
		Matched []string `json:"matched"`
		Negated bool     `json:"negated"`
	} `json:"codes"`
}

// codesOf returns, per record, "code:span" for each of its codes.
func codesOf(t *testing.T, out string) []string {
	t.Helper()
	var got []string
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var r streamedRecord
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		var cs []string
		for _, c := range r.Codes {
			cs = append(cs, c.Code+":"+string([]rune(r.Text)[c.Start:c.End]))
		}
		got = append(got, r.ID+" "+strings.Join(cs, ", "))
	}
	return got
}

func TestRunCodeStdin(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    codeStdinOptions
		want []string
	}{
		{"record", codeStdinOptions{textField: "text"}, []string{
			"S01 humility:humility, mutual:learn from each other",
			"S02 debrief:debrief",
			"S03 ",
		}},
		{"sentence", codeStdinOptions{textField: "text", unit: "sentence"}, []string{
			"S01 humility:It taught me humility., mutual:We learn from each other now.",
			"S02 debrief:There was no debrief when we came home 😩, so nothing was shared.",
			"S03 ",
		}},
		{"source is a record", codeStdinOptions{textField: "text", unit: "source"}, []string{
			"S01 humility:humility, mutual:learn from each other",
			"S02 debrief:debrief",
			"S03 ",
		}},
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

func TestRunCodeStdinReport(t *testing.T) {
	e, out, errb := stdinEnv(t, stdinInput+"not json\n", stdinBook)
	if err := runCodeStdin(context.Background(), e, codeStdinOptions{textField: "text", keepGoing: true}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != 3 {
		t.Errorf("wrote %d records, want 3", n)
	}
	if want := "coded 3 records, 3 codings; skipped 1 malformed line\n"; errb.String() != want {
		t.Errorf("stderr %q, want %q", errb, want)
	}

	e, _, errb = stdinEnv(t, stdinInput, stdinBook)
	e.errTTY = true
	if err := runCodeStdin(context.Background(), e, codeStdinOptions{textField: "text"}); err != nil {
		t.Fatal(err)
	}
	if want := "coded 3 records, 3 codings\n"; errb.String() != want {
		t.Errorf("stderr on a terminal %q, want %q", errb, want)
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
			`stdin:5: not valid JSON (at byte 19: unexpected end of JSON input); each line must be one JSON object such as {"id": 1, "text": "…"}; --keep-going skips bad lines`, 3},
		{"no text field", `{"id":"S01","comment":"humility"}`, stdinBook, codeStdinOptions{textField: "text"}, exitInvalid,
			`stdin:1: no "text" field; each object needs the text to code, as a string, in "text" (or say --text-field NAME); --keep-going skips bad lines`, 0},
		{"text not a string", `{"id":"S01","text":42}`, stdinBook, codeStdinOptions{textField: "text"}, exitInvalid,
			`stdin:1: "text" is a number, not a string; the text to code must be a JSON string; --keep-going skips bad lines`, 0},
		{"no codebook", stdinInput, "", codeStdinOptions{textField: "text"}, exitInvalid,
			"--stdin needs a codebook: say --codebook FILE", 0},
		{"rule does not compile", stdinInput, "codes:\n  - id: humility\n    name: Humility\n    rule: 'humil* NAER/3 learn'\n", codeStdinOptions{textField: "text"}, exitInvalid,
			"book.yaml:4:", 0},
		{"unknown unit", stdinInput, stdinBook, codeStdinOptions{textField: "text", unit: "word"}, exitInvalid,
			"--unit word: with --stdin say sentence, paragraph or record (the default)", 0},
		{"empty text field", stdinInput, stdinBook, codeStdinOptions{textField: " "}, exitInvalid,
			"--text-field is empty", 0},
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
			if !strings.Contains(err.Error(), tc.msg) || strings.Contains(err.Error(), "\n") {
				t.Errorf("got  %s\nwant %s", err, tc.msg)
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
	if got := codesOf(t, out.String()); !strings.Contains(got[0], "humility:humility") {
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
	for _, tc := range []struct {
		name string
		args []string
		want string // in stdout, or the error
		err  bool
	}{
		{"stdin", []string{"--stdin", "--codebook", book, "--text-field", "comment", "--keep-going"},
			`"codes":[{"code":"humility","path":"Learning > Humility","start":13,"end":21,"matched":["humility"],"negated":false}`, false},
		{"stdin by sentence", []string{"--stdin", "--codebook", book, "--text-field", "comment", "--keep-going", "--unit", "sentence"},
			`"codes":[{"code":"humility","path":"Learning > Humility","start":0,"end":22,"matched":["humility"],"negated":false}`, false},
		{"stdin with dry-run", []string{"--stdin", "--codebook", book, "--dry-run"}, "--stdin cannot be used with --dry-run", true},
		{"keep-going without stdin", []string{"--keep-going"}, "--keep-going works only with --stdin", true},
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
