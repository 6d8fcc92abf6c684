package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"qcode"
	"qcode/codebook"
)

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
			return e.run(nil, func() error { return runCodebookValidate(e) })
		},
	}
}

func runCodebookValidate(e *env) error {
	cb, err := e.codebook()
	if ps, ok := codebook.AsProblems(err); ok {
		for _, p := range ps {
			fmt.Fprintln(e.stdout, p.Error())
		}
		return qcode.Errorf(qcode.EINVALID, "%s: %s", cb.Shown, plural(len(ps), "problem"))
	}
	if err != nil {
		return err
	}
	n := 0
	cb.Walk(func(*codebook.Code) { n++ })
	e.printf("%s: %s, all rules compile\n", cb.Shown, plural(n, "code"))
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
			return e.run(verbose, func() error { return runCodebookTest(e, verbose) })
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "print passing checks too")
	return cmd
}

// errTestsFailed reports failed codebook tests: exit 1, like a test runner.
var errTestsFailed = errors.New("codebook tests failed")

func runCodebookTest(e *env, verbose bool) error {
	cb, err := e.codebook()
	if err != nil {
		return err
	}
	results, err := cb.Test()
	if err != nil {
		return err
	}
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
	e.printf("%s: %d passed, %d failed\n", cb.Shown, len(results)-failed, failed)
	if failed > 0 {
		return &qcode.Error{Code: qcode.EINTERNAL, Message: fmt.Sprintf("%d of %d codebook checks failed", failed, len(results)), Err: errTestsFailed}
	}
	return nil
}
