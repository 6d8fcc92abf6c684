package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"qcode"
	"qcode/project"
)

// env is what every command gets: its streams, whether they are terminals,
// and the --project flag.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	outTTY, errTTY bool
	projectDir     string // --project, "" to search from the working folder
	codebookPath   string // --codebook, "" for the project's codebook.yaml
}

func newEnv(stdin io.Reader, stdout, stderr io.Writer) *env {
	return &env{stdin: stdin, stdout: stdout, stderr: stderr, outTTY: isTerminal(stdout), errTTY: isTerminal(stderr)}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "qcode",
		Short: "Code qualitative interviews and surveys: import, code, search, count, export",
		Long: `qcode is a toolkit for qualitative research coding. It imports interview
transcripts (plain text, Word, WebVTT, SRT) and surveys (CSV, XLSX) into a
project folder, splits them into speaker turns and sentences with exact
character offsets, and keeps everything in one SQLite file in the project.

Every command finds its project from --project DIR, else from the current
folder or its nearest parent that holds one, as git does.` + exitStatusHelp,
		Example: `  qcode init partnership-study && cd partnership-study
  qcode import ~/interviews/ ~/survey.csv --attributes ~/cases.csv
  qcode sources
  qcode show P03 --sentences
  qcode demo --out demo.xlsx`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVarP(&e.projectDir, "project", "C", "", "the project folder (default: this folder or its nearest parent holding a project)")
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	root.AddCommand(
		newInitCmd(e),
		newImportCmd(e),
		newSourcesCmd(e),
		newShowCmd(e),
		newAttributesCmd(e),
		newCodebookCmd(e),
		newCodeCmd(e),
		newCodingCmd(e),
		newMemoCmd(e),
		newSpeakersCmd(e),
		newSearchCmd(e),
		newIndexCmd(e),
		newReportCmd(e),
		newAgreeCmd(e), newValidateCmd(e),
		newExportCmd(e),
		newDemoCmd(e),
	)
	for _, c := range root.Commands() {
		wrapArgs(c)
	}
	return root
}

// wrapArgs marks argument-count errors as usage errors, and makes a group
// of commands (qcode report, qcode coding…) refuse a word that names none
// of them: cobra would print the help and exit 0, which a script takes for
// success.
func wrapArgs(c *cobra.Command) {
	if c.HasSubCommands() && c.Run == nil && c.RunE == nil {
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			var names []string
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() {
					names = append(names, sub.Name())
				}
			}
			return &usageError{fmt.Errorf("%s: no command %q%s; say one of %s", cmd.CommandPath(), args[0], qcode.DidYouMean(args[0], names), strings.Join(names, ", "))}
		}
	}
	if c.Args != nil {
		check := c.Args
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := check(cmd, args); err != nil {
				return &usageError{err}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		wrapArgs(sub)
	}
}

// open finds and opens the project for a command.
func (e *env) open(ctx context.Context, mode project.Mode, command string) (*project.Project, error) {
	dir := e.projectDir
	if dir == "" {
		dir = "."
	}
	found, err := project.Find(dir)
	if err != nil {
		return nil, err
	}
	return project.Open(ctx, found, mode, command)
}

// completeSources offers source names for shell completion.
func (e *env) completeSources(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	p, err := e.open(cmd.Context(), project.ReadOnly, "complete")
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	defer p.Close()
	names, _ := p.SourceNames(cmd.Context())
	return names, cobra.ShellCompDirectiveNoFileComp
}
