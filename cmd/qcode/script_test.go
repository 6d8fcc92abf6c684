package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"qcode/internal/sample"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/xuri/excelize/v2"
)

// TestScripts runs the scripts in testdata/script, each in a folder of its
// own with qcode on its PATH (the test binary, registered in TestMain):
// readme.txtar runs the README, examples.txtar every Example of every
// command's --help, json.txtar checks the keys of every --json.
func TestScripts(t *testing.T) {
	readme, err := filepath.Abs(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("README", readme)
			// The coder is whoever a command names; a run must not depend
			// on who runs the tests.
			env.Setenv("QCODE_CODER", "tester")
			return nil
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"sample":   cmdSample,
			"inputs":   cmdInputs,
			"fixture":  cmdFixture,
			"csv2xlsx": cmdCSV2XLSX,
			"jsonkeys": cmdJSONKeys,
			"readme":   cmdReadme,
			"examples": cmdExamples,
			"replace":  cmdReplace,
		},
	})
}

// cmdSample copies the bundled sample corpus into a folder:
//
//	sample [-interviews SUBDIR] DIR
//
// With -interviews the interviews (P01…P12) go into DIR/SUBDIR, apart from
// the survey, the cases and the codings, as a researcher's folder would
// hold them.
func cmdSample(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! sample")
	}
	sub := ""
	if len(args) == 3 && args[0] == "-interviews" {
		sub, args = args[1], args[2:]
	}
	if len(args) != 1 {
		ts.Fatalf("usage: sample [-interviews SUBDIR] DIR")
	}
	dir := ts.MkAbs(args[0])
	ts.Check(os.CopyFS(dir, sample.FS()))
	if sub == "" {
		return
	}
	ts.Check(os.MkdirAll(filepath.Join(dir, sub), 0o755))
	names, err := fs.Glob(sample.FS(), "P*")
	ts.Check(err)
	for _, name := range names {
		ts.Check(os.Rename(filepath.Join(dir, name), filepath.Join(dir, sub, name)))
	}
}

// cmdInputs copies testdata/inputs into a folder: the files the README and
// the examples name that the sample corpus has not.
//
//	inputs DIR
func cmdInputs(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: inputs DIR")
	}
	// The tests run in the package's folder, whatever the script's.
	ts.Check(os.CopyFS(ts.MkAbs(args[0]), os.DirFS(filepath.Join("testdata", "inputs"))))
}

// cmdFixture copies a folder of the repository's testdata into the same
// place in the script's folder, where a clone has it: testdata/suggest,
// the interviews and coding on which the README measures suggestions, or
// testdata/devset, the published quotes on which it measures the default
// codebook:
//
//	fixture testdata/NAME
func cmdFixture(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 || !strings.HasPrefix(args[0], "testdata/") || strings.Contains(args[0], "..") {
		ts.Fatalf("usage: fixture testdata/NAME")
	}
	// The tests run in the package's folder, whatever the script's.
	ts.Check(os.CopyFS(ts.MkAbs(args[0]), os.DirFS(filepath.Join("..", "..", filepath.FromSlash(args[0])))))
}

// cmdCSV2XLSX writes a CSV file's rows as a workbook of one sheet, for the
// examples that read spreadsheets:
//
//	csv2xlsx FILE.csv FILE.xlsx
func cmdCSV2XLSX(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: csv2xlsx FILE.csv FILE.xlsx")
	}
	recs, err := csv.NewReader(strings.NewReader(ts.ReadFile(args[0]))).ReadAll()
	ts.Check(err)
	rows := make([][]any, len(recs))
	for i, rec := range recs {
		for _, cell := range rec {
			rows[i] = append(rows[i], cell)
		}
	}
	ts.Check(writeXLSX(ts.MkAbs(args[1]), rows))
}

// writeXLSX writes rows as a workbook of one sheet.
func writeXLSX(path string, rows [][]any) error {
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			return err
		}
	}
	return f.SaveAs(path)
}

// snakeCase is what every JSON key qcode prints looks like.
var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// cmdJSONKeys checks that every key of the JSON in a file (stdout, say) is
// snake_case, as the help promises, so that no Go field name leaks out:
//
//	jsonkeys [-data KEY]… FILE
//
// The keys of an object held by a -data KEY are data (speakers' names, say)
// and are not checked.
func cmdJSONKeys(ts *testscript.TestScript, neg bool, args []string) {
	data := map[string]bool{}
	for len(args) > 1 && args[0] == "-data" {
		data[args[1]] = true
		args = args[2:]
	}
	if neg || len(args) != 1 {
		ts.Fatalf("usage: jsonkeys [-data KEY]… FILE")
	}
	var v any
	if err := json.Unmarshal([]byte(ts.ReadFile(args[0])), &v); err != nil {
		ts.Fatalf("%s is not JSON: %v", args[0], err)
	}
	var bad []string
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if !snakeCase.MatchString(k) {
					bad = append(bad, path+"."+k)
				}
				if !data[k] {
					walk(x, path+"."+k)
				}
			}
		case []any:
			for _, x := range v {
				walk(x, path+"[]")
			}
		}
	}
	walk(v, "")
	if len(bad) > 0 {
		slices.Sort(bad)
		ts.Fatalf("keys that are not snake_case: %s", strings.Join(slices.Compact(bad), ", "))
	}
}

// shellCommand is one simple command of a shell command line: its words,
// unquoted, each with where it starts in the line, the command's text in the
// line, and the operator that ends it ("|", "&&", "||", ";" or "").
type shellCommand struct {
	words      []string
	at         []int
	start, end int
	op         string
}

// splitShell splits a command line as the shell would into simple
// commands, keeping quoted text whole, and stops at a comment. It knows
// what the README and the examples use; a background & is refused.
func splitShell(line string) ([]shellCommand, error) {
	var cmds []shellCommand
	cur := shellCommand{}
	var word strings.Builder
	inWord := false
	endWord := func() {
		if inWord {
			cur.words = append(cur.words, word.String())
			word.Reset()
			inWord = false
		}
	}
	startWord := func(i int) {
		if !inWord {
			cur.at = append(cur.at, i)
			inWord = true
		}
	}
	endCommand := func(i int, op string) {
		endWord()
		cur.end = i
		cur.op = op
		cmds = append(cmds, cur)
		cur = shellCommand{start: i + len(op)}
	}
	i := 0
	for i < len(line) {
		c := line[i]
		switch {
		case c == '\'':
			startWord(i)
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("a quote ' is not closed")
			}
			word.WriteString(line[i+1 : i+1+j])
			i += j + 2
			continue
		case c == '"':
			startWord(i)
			i++
			for i < len(line) && line[i] != '"' {
				if line[i] == '\\' && i+1 < len(line) && strings.IndexByte(`"\$`+"`", line[i+1]) >= 0 {
					i++
				}
				word.WriteByte(line[i])
				i++
			}
			if i == len(line) {
				return nil, errors.New(`a quote " is not closed`)
			}
			i++
			continue
		case c == '\\' && i+1 < len(line):
			startWord(i)
			word.WriteByte(line[i+1])
			i += 2
			continue
		case c == ' ' || c == '\t':
			endWord()
		case c == '#' && !inWord:
			endCommand(i, "")
			return trimShell(cmds), nil
		case c == '&' || c == '|' || c == ';':
			op := string(c)
			if i+1 < len(line) && line[i+1] == c && c != ';' {
				op += string(c)
			}
			if op == "&" {
				if inWord && strings.HasSuffix(word.String(), ">") { // 2>&1
					word.WriteByte(c)
					break
				}
				return nil, errors.New("a command run in the background (&) cannot be checked")
			}
			endCommand(i, op)
			i += len(op)
			continue
		default:
			startWord(i)
			word.WriteByte(c)
		}
		i++
	}
	endCommand(len(line), "")
	return trimShell(cmds), nil
}

// trimShell drops a last command that holds no words (after a comment or a
// trailing space).
func trimShell(cmds []shellCommand) []shellCommand {
	if n := len(cmds); n > 0 && len(cmds[n-1].words) == 0 && cmds[n-1].op == "" {
		cmds = cmds[:n-1]
	}
	return cmds
}

// program returns the program a command runs: its first word after any
// VAR=value assignments.
func (c shellCommand) program() string {
	for _, w := range c.words {
		if !strings.Contains(w, "=") {
			return w
		}
	}
	return ""
}

// shellRun is how a command line of the README or of an example ran.
type shellRun struct {
	out     string // stdout and stderr together, as a terminal shows them
	partial bool   // a program other than qcode is not installed, so only qcode ran
}

// runShell runs a command line in the script's folder with sh, qcode being
// the test binary: a "cd DIR" in it (alone, or between &&) changes the
// script's folder for what follows; pipes into programs that are not
// installed (jq, Rscript, parallel) are cut down to the qcode commands in
// them, whose success is then all that is checked.
func runShell(ts *testscript.TestScript, line string) (shellRun, error) {
	cmds, err := splitShell(line)
	if err != nil {
		return shellRun{}, err
	}
	var run shellRun
	// The commands between the cds run as one shell text.
	var text []string
	flush := func() error {
		if len(text) == 0 {
			return nil
		}
		sh := strings.Join(text, " && ")
		text = nil
		err := ts.Exec("sh", "-c", "exec 2>&1\n"+sh)
		run.out += ts.ReadFile("stdout")
		return err
	}
	for i := 0; i < len(cmds); {
		// A list element: a pipeline of commands ending in "&&" or at the
		// line's end.
		j := i
		for j < len(cmds) && cmds[j].op == "|" {
			j++
		}
		if j == len(cmds) {
			return run, errors.New("a pipe (|) leads nowhere")
		}
		if op := cmds[j].op; op != "&&" && op != "" {
			return run, fmt.Errorf("%q between commands: write them as separate lines or with &&", op)
		}
		pipeline := cmds[i : j+1]
		if pipeline[0].program() == "cd" && len(pipeline) == 1 {
			if len(pipeline[0].words) != 2 {
				return run, errors.New("cd takes one folder")
			}
			if err := flush(); err != nil {
				return run, err
			}
			if err := ts.Chdir(pipeline[0].words[1]); err != nil {
				return run, err
			}
		} else {
			sh, partial := runnable(ts, line, pipeline)
			run.partial = run.partial || partial
			if sh != "" {
				text = append(text, sh)
			}
		}
		i = j + 1
	}
	return run, flush()
}

// runnable returns the shell text of a pipeline, or, when a program in it
// other than qcode is not installed, the text of the qcode commands it
// holds (those a wrapper such as parallel runs too) and true.
func runnable(ts *testscript.TestScript, line string, pipeline []shellCommand) (string, bool) {
	whole := strings.TrimSpace(line[pipeline[0].start:pipeline[len(pipeline)-1].end])
	missing := false
	for _, c := range pipeline {
		if prog := c.program(); prog != "qcode" && !onPath(ts, prog) {
			ts.Logf("%s is not installed: only the qcode commands of %q run", prog, whole)
			missing = true
		}
	}
	if !missing {
		return whole, false
	}
	var qcodes []string
	for _, c := range pipeline {
		for k, w := range c.words {
			if w == "qcode" {
				qcodes = append(qcodes, strings.TrimSpace(line[c.at[k]:c.end]))
				break
			}
		}
	}
	return strings.Join(qcodes, " && "), true
}

// onPath reports whether a program is on the script's PATH.
func onPath(ts *testscript.TestScript, prog string) bool {
	for _, dir := range filepath.SplitList(ts.Getenv("PATH")) {
		if st, err := os.Stat(filepath.Join(dir, prog)); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return true
		}
	}
	return false
}

// cmdReplace edits a file as a transcriber would, replacing the first OLD
// with NEW (\t and \n in either stand for a tab and a newline):
//
//	replace FILE OLD NEW
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace FILE OLD NEW")
	}
	esc := strings.NewReplacer(`\t`, "\t", `\n`, "\n")
	path := ts.MkAbs(args[0])
	data, err := os.ReadFile(path)
	ts.Check(err)
	old, new := esc.Replace(args[1]), esc.Replace(args[2])
	if !strings.Contains(string(data), old) {
		ts.Fatalf("%s does not hold %q", args[0], old)
	}
	ts.Check(os.WriteFile(path, []byte(strings.Replace(string(data), old, new, 1)), 0o644))
}
