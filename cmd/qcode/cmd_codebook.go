package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
	"qcode/project"
)

// codebookFile is the codebook's name in a project folder.
const codebookFile = "codebook.yaml"

func newCodebookCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "codebook",
		Short: "Show, check, test, export and import the codebook",
		Long: `The codebook is codebook.yaml in the project folder: a tree of codes, each
with a description, include and exclude criteria, examples, counterexamples,
a colour and a rule that codes text automatically. Edit it with any text
editor and keep it under version control; these commands check it.

--codebook FILE uses another file instead of the project's.` + exitStatusHelp,
	}
	cmd.PersistentFlags().StringVar(&e.codebookPath, "codebook", "", "codebook file to use instead of the project's codebook.yaml")
	cmd.AddCommand(newCodebookShowCmd(e), newCodebookValidateCmd(e), newCodebookTestCmd(e), newCodebookExportCmd(e), newCodebookImportCmd(e))
	return cmd
}

// codebookLocation returns the path of the codebook a command uses.
func (e *env) codebookLocation() (string, error) {
	if e.codebookPath != "" {
		return e.codebookPath, nil
	}
	dir := e.projectDir
	if dir == "" {
		dir = "."
	}
	root, err := project.Find(dir)
	if err != nil {
		return "", err
	}
	return filepath.Join(root, codebookFile), nil
}

// loadCodebook reads and checks the codebook a command uses.
func (e *env) loadCodebook() (*codebook.Codebook, string, error) {
	cb, path, _, err := e.readCodebook()
	return cb, path, err
}

// readCodebook reads and checks the codebook a command uses, in any format
// codebook.LoadAny reads, and returns the bytes it read too.
func (e *env) readCodebook() (*codebook.Codebook, string, []byte, error) {
	path, err := e.codebookLocation()
	if err != nil {
		return nil, "", nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, path, nil, qcode.Errorf(qcode.ENOTFOUND, "%s: no codebook; write one, or run 'qcode codebook import FILE'", path)
		}
		return nil, path, nil, qcode.Errorf(qcode.EINVALID, "%s: cannot read: %v", path, err)
	}
	cb, err := codebook.LoadAny(displayPath(path), data)
	return cb, path, data, err
}

// displayPath shortens path relative to the working folder when it can.
func displayPath(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}

func newCodebookShowCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Print the code tree: id, name, rule",
		Long: `Print the codebook as a tree. --json prints the codes as a nested array of
{id, name, path, description, include, exclude, color, rule, negation,
examples, counterexamples, codes}.` + exitStatusHelp,
		Example: `  qcode codebook show
  qcode codebook show --json | jq -r '.. | .id? // empty'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCodebookShow(e, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

type codeJSON struct {
	ID              string     `json:"id"`
	Name            string     `json:"name"`
	Path            string     `json:"path"`
	Description     string     `json:"description,omitempty"`
	Include         string     `json:"include,omitempty"`
	Exclude         string     `json:"exclude,omitempty"`
	Color           string     `json:"color,omitempty"`
	Rule            string     `json:"rule,omitempty"`
	Negation        string     `json:"negation"`
	Examples        []string   `json:"examples,omitempty"`
	Counterexamples []string   `json:"counterexamples,omitempty"`
	Codes           []codeJSON `json:"codes,omitempty"`
}

func toJSON(codes []*codebook.Code) []codeJSON {
	out := []codeJSON{}
	for _, c := range codes {
		out = append(out, codeJSON{c.ID, c.Name, c.Path(), c.Description, c.Include, c.Exclude, c.Color, c.Rule,
			string(c.Negation), c.Examples, c.Counterexamples, toJSON(c.Codes)})
	}
	return out
}

func runCodebookShow(e *env, asJSON bool) error {
	cb, _, err := e.loadCodebook()
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(e.stdout, toJSON(cb.Codes))
	}
	t := newTable(e.stdout, e.outTTY, "id", "code", "rule")
	cb.Walk(func(c *codebook.Code) {
		name := c.Name
		if e.outTTY {
			name = strings.Repeat("  ", c.Depth()-1) + name
		} else {
			name = c.Path()
		}
		rule := c.Rule
		if c.Negation != codebook.NegationSkip {
			rule += "   [negation: " + string(c.Negation) + "]"
		}
		t.add(c.ID, name, rule)
	})
	if err := t.print(); err != nil {
		return err
	}
	if e.outTTY {
		n := 0
		cb.Walk(func(*codebook.Code) { n++ })
		e.printf("%s, match: %s\n", plural(n, "code"), cb.Match)
	}
	return nil
}

func newCodebookValidateCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "validate",
		Short: "Check the codebook: YAML, fields, ids, colours and every rule",
		Long: `Parse and check the whole codebook and print every problem as
FILE:LINE:COL: message, then exit 2 if there were any.` + exitStatusHelp,
		Example: `  qcode codebook validate
  qcode codebook validate --codebook draft.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCodebookValidate(e)
		},
	}
}

func runCodebookValidate(e *env) error {
	cb, path, err := e.loadCodebook()
	if ps, ok := codebook.AsProblems(err); ok {
		for _, p := range ps {
			fmt.Fprintln(e.stdout, p.Error())
		}
		return qcode.Errorf(qcode.EINVALID, "%s: %d problems", displayPath(path), len(ps))
	}
	if err != nil {
		return err
	}
	n := 0
	cb.Walk(func(*codebook.Code) { n++ })
	e.printf("%s: %s, all rules compile\n", displayPath(path), plural(n, "code"))
	return nil
}

func newCodebookTestCmd(e *env) *cobra.Command {
	var verbose bool
	cmd := &cobra.Command{
		Use:   "test",
		Short: "Check every code's examples match its rule and counterexamples do not",
		Long: `Run each code's examples (which its rule must code) and counterexamples
(which it must not) through the rule, tokenised as transcripts are, and
report like a test runner: for each failure the code, the passage, what was
expected, what happened and the tokens that matched. Exits 1 on any
failure.` + exitStatusHelp,
		Example: `  qcode codebook test
  qcode codebook test -v`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCodebookTest(e, verbose)
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "print passing checks too")
	return cmd
}

// errTestsFailed reports failed codebook tests: exit 1, like a test runner.
var errTestsFailed = errors.New("codebook tests failed")

func runCodebookTest(e *env, verbose bool) error {
	cb, path, err := e.loadCodebook()
	if err != nil {
		return err
	}
	m, err := codebook.NewMatcher(cb)
	if err != nil {
		return err
	}
	results := codebook.Test(cb, m, coding.PassageUnit)
	failed := 0
	for _, r := range results {
		if r.Pass() && !verbose {
			continue
		}
		status := "ok  "
		if !r.Pass() {
			status = "FAIL"
			failed++
		}
		want := "match"
		if !r.Want {
			want = "no match"
		}
		got := "no match"
		if r.Got {
			got = "match " + strings.Join(r.Matched, " ")
			if r.Negated {
				got += " (negated)"
			}
		}
		e.printf("%s %s: %q\n     expected %s, got %s\n", status, r.Code.ID, r.Passage, want, got)
	}
	e.printf("%s: %d passed, %d failed\n", displayPath(path), len(results)-failed, failed)
	if failed > 0 {
		return &qcode.Error{Code: qcode.EINTERNAL, Message: fmt.Sprintf("%d of %d codebook checks failed", failed, len(results)), Err: errTestsFailed}
	}
	return nil
}
