package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"qcode/app"
)

// frameworkSetOptions are the arguments and flags of 'qcode framework set'.
type frameworkSetOptions struct {
	app.SummaryOptions
}

func newFrameworkSetCmd(e *env) *cobra.Command {
	var o frameworkSetOptions
	cmd := &cobra.Command{
		Use:   "set CASE THEME [TEXT | --clear]",
		Short: "Write, rewrite or clear the summary of a case on a theme",
		Long: `Write TEXT as the summary of case CASE on theme THEME: the cell of the
Framework matrix, where the analyst says in a sentence or a few what the
case says on the theme, citing quotes by their references (P03:s41) as
'qcode framework' lists them. THEME is a code's id, name or path, a
top-level code or any other. A summary holds at most 800 characters;
longer thoughts belong in a memo.

Setting a cell that has a summary replaces it; --clear removes it. The
summary keeps its first author; the audit log ('qcode log --what summary')
records who wrote, rewrote or cleared it, with the text it had, so nothing
written is lost. The coder is --coder NAME, else $QCODE_CODER, else your
user name.` + exitStatusHelp,
		Example: `  qcode framework set P01 bidirectional_learning "Learning flowed both ways once trust was built (P01:s4, P01:s7)"
  qcode framework set P01 bidirectional_learning "Sees learning as mostly one-way at first, then mutual" --coder ben
  qcode framework set P01 bidirectional_learning --clear`,
		Args: cobra.RangeArgs(2, 3),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Case, o.Theme = args[0], args[1]
			if len(args) == 3 {
				o.Text = args[2]
			} else if !o.Clear {
				return &usageError{errors.New("give the summary's text after CASE and THEME, or --clear to remove it")}
			}
			return e.run(o, func() error { return runFrameworkSet(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().BoolVar(&o.Clear, "clear", false, "remove the cell's summary")
	cmd.Flags().StringVar(&o.Coder, "coder", "", "who writes (default: $QCODE_CODER, else your user name)")
	return cmd
}

func runFrameworkSet(ctx context.Context, e *env, o frameworkSetOptions) error {
	e = e.withSafeOut() // case names are what files gave
	if err := o.Check(); err != nil {
		return err
	}
	p, err := e.open(ctx, readWrite, "framework set")
	if err != nil {
		return err
	}
	defer p.Close()
	r, err := p.SetSummary(ctx, o.SummaryOptions)
	if err != nil {
		return err
	}
	e.printf("%s\n", r)
	return nil
}
