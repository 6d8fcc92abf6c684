package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"qcode/app"
)

// env is what every command gets: its streams, whether they are terminals,
// and the --project flag.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	outTTY, errTTY bool
	projectDir     string // --project, "" to search from the working folder
	codebookPath   string // --codebook, "" for the project's codebook.yaml
	// options, when set, is handed each command's options in place of
	// running it (cli_test.go).
	options func(opts any)
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
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("qcode {{.Version}}\n")
	root.Flags().BoolP("version", "v", false, "print qcode's version and the version of the project schema it reads and writes")
	root.PersistentFlags().StringVarP(&e.projectDir, "project", "C", "", "the project folder (default: this folder or its nearest parent holding a project)")
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{flagValueError(err)} })
	root.AddCommand(
		newInitCmd(e),
		newImportCmd(e),
		newSourcesCmd(e),
		newShowCmd(e),
		newAttributesCmd(e),
		newCodebookCmd(e),
		newCodeCmd(e),
		newCodingCmd(e),
		newSuggestionsCmd(e),
		newMemoCmd(e),
		newSpeakersCmd(e),
		newSearchCmd(e),
		newIndexCmd(e),
		newReportCmd(e),
		newFrameworkCmd(e),
		newAgreeCmd(e), newValidateCmd(e),
		newExportCmd(e),
		newDemoCmd(e),
		newServeCmd(e),
		newLogCmd(e),
		newMergeCmd(e),
		newPseudonymiseCmd(e),
	)
	wrapArgs(root)
	return root
}

// version says which qcode this is: its module version ("(devel)" when
// built from a checkout), the commit it was built from if known, and the
// version of the store's schema it reads and writes (see
// project.SchemaVersion).
func version() string {
	info, _ := debug.ReadBuildInfo()
	return versionOf(info, app.SchemaVersion())
}

func versionOf(info *debug.BuildInfo, schema int) string {
	v := "(devel)"
	var rev, modified string
	if info != nil {
		if info.Main.Version != "" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					modified = ", modified"
				}
			}
		}
	}
	if rev != "" {
		v += " (revision " + rev[:min(len(rev), 12)] + modified + ")"
	}
	return fmt.Sprintf("%s, project schema %d", v, schema)
}

// wrapArgs marks argument-count errors as usage errors, and makes qcode and
// a group of commands (qcode report, qcode coding…) refuse a word that
// names none of them as a usage error: cobra would exit 1 for qcode, as for
// an internal error, and print the help and exit 0 for a group, which a
// script takes for success.
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
			where := ""
			if cmd.HasParent() {
				where = cmd.CommandPath() + ": "
			}
			return &usageError{fmt.Errorf("%sno command %q%s; say one of %s", where, args[0], app.DidYouMean(args[0], names), strings.Join(names, ", "))}
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

// Modes of env.open.
const (
	readWrite = false
	readOnly  = true
)

// open finds and opens the project for a command.
func (e *env) open(ctx context.Context, readOnly bool, command string) (*app.Project, error) {
	return app.Open(ctx, e.appOptions(readOnly, command))
}

// appOptions says where the command works.
func (e *env) appOptions(readOnly bool, command string) app.Options {
	return app.Options{Dir: e.projectDir, Codebook: e.codebookPath, ReadOnly: readOnly, Command: command}
}

// completeSources offers source names for shell completion.
func (e *env) completeSources(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	p, err := e.open(cmd.Context(), readOnly, "complete")
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	defer p.Close()
	names, _ := p.SourceNames(cmd.Context())
	return names, cobra.ShellCompDirectiveNoFileComp
}

// run runs a command's use case, fn, whose options are opts; the tests of
// arguments set e.options to see the options instead of running anything.
func (e *env) run(opts any, fn func() error) error {
	if e.options != nil {
		e.options(opts)
		return nil
	}
	return app.Explain(e.projectDir, fn())
}

// flagValueError says what a flag wants when its value does not parse,
// rather than pflag's "invalid argument … strconv.ParseInt: parsing …";
// other errors are kept.
func flagValueError(err error) error {
	var bad *pflag.InvalidValueError
	if !errors.As(err, &bad) {
		return err
	}
	f := bad.GetFlag()
	var want string
	switch t := f.Value.Type(); {
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"):
		want = "a whole number"
	case strings.HasPrefix(t, "float"):
		want = "a number"
	case t == "bool":
		want = "true or false"
	case t == "duration":
		want = "a duration such as 30s or 5m"
	default:
		return err
	}
	return fmt.Errorf("--%s %s: say %s", f.Name, bad.GetValue(), want)
}
