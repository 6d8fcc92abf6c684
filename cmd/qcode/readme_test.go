package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// The README is run by testdata/script/readme.txtar ("readme $README"):
// every fenced block, in order, in one project, so that what the README
// says qcode prints is what qcode prints. Its author keeps to these rules:
//
//   - A block's info string says what it is. sh: command lines, each run
//     with sh and each bound to succeed; what they print is not checked (a
//     # comment may say what it is). console: "$ command" lines, each
//     followed by what it prints, stdout and stderr together, which must be
//     what it prints. yaml: a codebook, which 'qcode codebook test' must
//     pass. text: not run. A block without one of these is an error, so
//     that nothing new in the README goes unchecked.
//   - An output line matches when it differs at most in spaces (a run of
//     spaces or tabs is one space, so a column may be aligned), and a line
//     holding only "…" stands for any lines left out.
//   - "qcode" is the command under test, and so is "go run ./cmd/qcode";
//     "go test" and "go install" are how one gets here and are not run.
//   - "cd DIR" changes the folder for the commands after it.
//   - Commands print as they do into a pipe: a console block shows no table
//     of the kind a terminal aligns.
//   - A pipe into a program that is not installed (jq, sort) is cut down to
//     its qcode commands, and their output is not compared.
//   - The worked example uses the sample corpus where a clone of the
//     repository has it, testdata/corpus (a link to internal/sample/corpus,
//     which qcode embeds). The files the reference sections
//     name that the sample has not (focus-group.txt, visit-notes.txt, ratings.csv,
//     comments.ndjson) are in testdata/inputs, which readme.txtar puts in
//     the worked example's project folder.

// readmeStep is one thing the README shows: a command (with what it
// prints, for a console block) or a codebook.
type readmeStep struct {
	line int      // where it stands in the README, from 1
	kind string   // sh, console or yaml
	text string   // the command line, or the codebook
	want []string // for console, what the command prints
}

// readmeSteps reads the README's fenced blocks into steps.
func readmeSteps(readme string) ([]readmeStep, error) {
	var steps []readmeStep
	lines := strings.Split(readme, "\n")
	for i := 0; i < len(lines); i++ {
		info, ok := strings.CutPrefix(lines[i], "```")
		if !ok {
			continue
		}
		open := i + 1
		var body []string
		for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			body = append(body, lines[i])
		}
		if i == len(lines) {
			return nil, fmt.Errorf("README.md:%d: the block is not closed", open)
		}
		switch info = strings.TrimSpace(info); info {
		case "text":
		case "yaml":
			steps = append(steps, readmeStep{line: open + 1, kind: info, text: strings.Join(body, "\n") + "\n"})
		case "sh":
			for k, l := range body {
				if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
					steps = append(steps, readmeStep{line: open + 1 + k, kind: info, text: l})
				}
			}
		case "console":
			for k, l := range body {
				if cmd, ok := strings.CutPrefix(l, "$ "); ok {
					steps = append(steps, readmeStep{line: open + 1 + k, kind: info, text: cmd})
					continue
				}
				if len(steps) == 0 || steps[len(steps)-1].line <= open {
					return nil, fmt.Errorf("README.md:%d: a console block starts with \"$ command\"", open+1+k)
				}
				steps[len(steps)-1].want = append(steps[len(steps)-1].want, l)
			}
		default:
			return nil, fmt.Errorf("README.md:%d: say what the block is: ```sh (commands to run), ```console ($ commands and what they print), ```yaml (a codebook) or ```text (not run)", open)
		}
	}
	return steps, nil
}

// cmdReadme runs the README's steps:
//
//	readme FILE
func cmdReadme(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: readme FILE")
	}
	data, err := os.ReadFile(args[0])
	ts.Check(err)
	steps, err := readmeSteps(string(data))
	ts.Check(err)
	var wrong []string
	for _, s := range steps {
		where := fmt.Sprintf("README.md:%d", s.line)
		if s.kind == "yaml" {
			name := fmt.Sprintf("readme-%d.yaml", s.line)
			ts.Check(os.WriteFile(ts.MkAbs(name), []byte(s.text), 0o644))
			if err := ts.Exec("qcode", "codebook", "test", "--codebook", name); err != nil {
				ts.Fatalf("%s: the codebook fails 'qcode codebook test': %v\n%s", where, err, ts.ReadFile("stdout")+ts.ReadFile("stderr"))
			}
			ts.Check(os.Remove(ts.MkAbs(name)))
			continue
		}
		cmd := s.text
		if rest, ok := strings.CutPrefix(cmd, "go run ./cmd/qcode "); ok {
			cmd = "qcode " + rest
		} else if strings.HasPrefix(cmd, "go test") || strings.HasPrefix(cmd, "go install") {
			continue
		}
		run, err := runShell(ts, cmd)
		if err != nil {
			ts.Fatalf("%s: %s: %v\n%s", where, s.text, err, run.out)
		}
		if s.kind == "console" && !run.partial {
			if diff := outputDiff(s.want, run.out); diff != "" {
				wrong = append(wrong, fmt.Sprintf("%s: %s\n%s", where, s.text, diff))
			}
		}
	}
	if len(wrong) > 0 {
		ts.Fatalf("%s of %s print other than it says:\n\n%s", plural(len(wrong), "command"), filepath.Base(args[0]), strings.Join(wrong, "\n"))
	}
}

// outputDiff returns "" when a command's output matches the lines the
// README shows, and otherwise both.
func outputDiff(want []string, out string) string {
	var got []string
	if out = strings.TrimRight(out, "\n"); out != "" {
		got = strings.Split(out, "\n")
	}
	for len(want) > 0 && strings.TrimSpace(want[len(want)-1]) == "" {
		want = want[:len(want)-1]
	}
	if linesMatch(want, got) {
		return ""
	}
	return "the README shows:\n\t" + strings.Join(want, "\n\t") + "\nqcode prints:\n\t" + strings.Join(got, "\n\t") + "\n"
}

// linesMatch reports whether got matches want line by line, a "…" line in
// want matching any lines.
func linesMatch(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if strings.TrimSpace(want[0]) == "…" {
		for k := 0; k <= len(got); k++ {
			if linesMatch(want[1:], got[k:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && spaced(want[0]) == spaced(got[0]) && linesMatch(want[1:], got[1:])
}

// spaced folds every run of spaces and tabs into one space.
func spaced(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestReadmeProse checks the commands the README names in its prose, such
// as `qcode speakers mark NAME --role interviewer`: each must name a
// command qcode has, with flags that command takes. They are not run, since
// they stand for a command (NAME, "…", a choice such as bash|zsh).
func TestReadmeProse(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	root := newRootCmd(newEnv(strings.NewReader(""), io.Discard, io.Discard))
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	spans := regexp.MustCompile("`(qcode [^`]+)`").FindAllStringSubmatch(string(data), -1)
	if len(spans) < 10 {
		t.Fatalf("found %d commands in the README's prose; is the pattern right?", len(spans))
	}
	for _, m := range spans {
		words := strings.Fields(m[1])[1:]
		cmd, _, err := root.Find(words)
		if err != nil {
			t.Errorf("README: `%s`: %v", m[1], err)
			continue
		}
		for _, w := range words {
			if !strings.HasPrefix(w, "-") || w == "--help" || w == "-h" {
				continue
			}
			name, _, _ := strings.Cut(strings.TrimLeft(w, "-"), "=")
			known := cmd.Flag(name) != nil
			if !strings.HasPrefix(w, "--") {
				known = cmd.Flags().ShorthandLookup(name) != nil || cmd.InheritedFlags().ShorthandLookup(name) != nil
			}
			if !known {
				t.Errorf("README: `%s`: '%s' takes no %s", m[1], cmd.CommandPath(), w)
			}
		}
	}
}
