package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"qcode/app"
)

func newMemoCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "memo",
		Short: "Write, edit and read memos on sources, codes, codings and the project",
		Long: `A memo is a note: on a source (how the interview went, what to follow up),
on a code (what it is coming to mean), on one coding (why this passage
has this code), or on the whole project (the study's design, the team's
decisions). A memo names what it describes: a source by its name, a
code by its id, a coding by its source, span, code and coder. Re-importing a
source's text and re-running 'qcode code' keep them. Every memo added,
edited or removed is logged with its coder and its text; an edit keeps the
old text in the log.

The coder is --coder NAME, else $QCODE_CODER, else your user name.` + exitStatusHelp,
	}
	cmd.AddCommand(newMemoAddCmd(e), newMemoEditCmd(e), newMemoRmCmd(e), newMemoListCmd(e))
	return cmd
}

type memoAddOptions struct {
	target, text string // target: the source, or with code the coding's segment
	code, of     string
	coder        string
	project      bool
}

func newMemoAddCmd(e *env) *cobra.Command {
	var o memoAddOptions
	cmd := &cobra.Command{
		Use:   "add [SOURCE | SEGMENT --code CODE [--of CODER] | --code CODE | --on-project] TEXT",
		Short: "Add a memo on a source, a code, a coding or the project",
		Long: `Add a memo:
  on a source:      qcode memo add SOURCE TEXT
  on a code:        qcode memo add --code CODE TEXT
  on a coding:      qcode memo add SEGMENT TEXT --code CODE [--of CODER]
  on the project:   qcode memo add --on-project TEXT

CODE is a code's id, name or path, as 'qcode coding add' takes it; a memo
on a code needs it in the codebook. A coding is named as 'qcode coding rm'
names it: its segment (P03:s41, P03:t12, P03:p5, P03:1200-1388 or P03, as
'qcode coding list' prints it) and code, and --of its coder ("rules" for
the rules' codings) when more than one coder has that coding. The coding
may be of any origin (by hand, the rules, an import or a search). The
memo's id is printed; edit it with 'qcode memo edit ID'.` + exitStatusHelp,
		Example: `  qcode memo add P03 "Interview cut short; see notes"
  qcode memo add --code humility "Also modesty about one's own system"
  qcode memo add P03:s35 "Mortified: the clearest case" --code humility --of ben
  qcode memo add --on-project "Agreed: code interviewers' turns only when they lead"`,
		Args:              cobra.RangeArgs(1, 2),
		ValidArgsFunction: e.completeSources,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.project && len(args) == 2 {
				return &usageError{errors.New("a memo on the project describes nothing else; give --on-project and the memo's text only")}
			}
			if len(args) == 1 && o.code == "" && !o.project {
				return &usageError{errors.New("give the source the memo describes, --code, or --on-project, before its text")}
			}
			if len(args) == 2 {
				o.target = args[0]
			}
			o.text = args[len(args)-1]
			return e.run(o, func() error { return runMemoAdd(cmd.Context(), e, o) })
		},
		Annotations: map[string]string{fieldFlag + "coding_coder": "of"},
	}
	cmd.Flags().StringVar(&o.code, "code", "", "the code the memo describes, or whose coding of SEGMENT it describes")
	cmd.Flags().StringVar(&o.of, "of", "", "the coding's coder, when more than one has it")
	cmd.Flags().BoolVar(&o.project, "on-project", false, "the memo is on the whole project (its design, the team's decisions)")
	cmd.Flags().StringVar(&o.coder, "coder", "", "who writes (default: $QCODE_CODER, else your user name)")
	return cmd
}

// options turns the command line into the use case's: with --code, the
// first argument is a coding's segment; without, a source.
func (o memoAddOptions) options() app.MemoOptions {
	mo := app.MemoOptions{Code: o.code, Of: o.of, Coder: o.coder, Text: o.text, Project: o.project}
	if o.code != "" {
		mo.Segment = o.target
	} else {
		mo.Source = o.target
	}
	return mo
}

func runMemoAdd(ctx context.Context, e *env, o memoAddOptions) error {
	e = e.withSafeOut() // the confirmation names what users and files gave
	mo := o.options()
	if err := mo.Check(); err != nil {
		return err
	}
	p, err := e.open(ctx, readWrite, "memo add")
	if err != nil {
		return err
	}
	defer p.Close()
	m, err := p.AddMemo(ctx, mo)
	if err != nil {
		return err
	}
	e.printf("added memo %d on %s, written by %s\n", m.ID, m.Target(), m.Coder)
	return nil
}
