package main

import (
	"context"
	"errors"
	"strconv"

	"github.com/spf13/cobra"

	"qcode"
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

type memoEditOptions struct {
	id          int64
	text, coder string
}

func newMemoEditCmd(e *env) *cobra.Command {
	var o memoEditOptions
	cmd := &cobra.Command{
		Use:   "edit ID TEXT",
		Short: "Replace a memo's text",
		Long: `Replace the text of memo ID (as 'qcode memo list' prints it) with TEXT. The
memo keeps its author; the audit log records who edited it, and the text
it had.` + exitStatusHelp,
		Example: `  qcode memo add P03 "Interview cut short"
  qcode memo edit 1 "Interview cut short by a ward round; see notes"`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := memoID(args[0])
			if err != nil {
				return err
			}
			o.id, o.text = id, args[1]
			return e.run(o, func() error { return runMemoEdit(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().StringVar(&o.coder, "coder", "", "who edits (default: $QCODE_CODER, else your user name)")
	return cmd
}

// memoID reads a memo's id from the command line.
func memoID(arg string) (int64, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return 0, qcode.Errorf(qcode.EINVALID, "memo %q: not a memo's id; give the number 'qcode memo list' prints", arg)
	}
	return id, nil
}

func runMemoEdit(ctx context.Context, e *env, o memoEditOptions) error {
	p, err := e.open(ctx, readWrite, "memo edit")
	if err != nil {
		return err
	}
	defer p.Close()
	m, err := p.EditMemo(ctx, o.id, o.coder, o.text)
	if err != nil {
		return err
	}
	e.printf("edited memo %d on %s\n", m.ID, m.Target())
	return nil
}

type memoRmOptions struct {
	id    int64
	coder string
}

func newMemoRmCmd(e *env) *cobra.Command {
	var o memoRmOptions
	cmd := &cobra.Command{
		Use:   "rm ID",
		Short: "Remove a memo",
		Long: `Remove memo ID (as 'qcode memo list' prints it). The audit log keeps its
text, and who removed it.` + exitStatusHelp,
		Example: `  qcode memo add P03 "Interview cut short"
  qcode memo rm 1`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := memoID(args[0])
			if err != nil {
				return err
			}
			o.id = id
			return e.run(o, func() error { return runMemoRm(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().StringVar(&o.coder, "coder", "", "who removes (default: $QCODE_CODER, else your user name)")
	return cmd
}

func runMemoRm(ctx context.Context, e *env, o memoRmOptions) error {
	p, err := e.open(ctx, readWrite, "memo rm")
	if err != nil {
		return err
	}
	defer p.Close()
	m, err := p.DeleteMemo(ctx, o.id, o.coder)
	if err != nil {
		return err
	}
	e.printf("removed memo %d on %s: %s\n", m.ID, m.Target(), excerpt(m.Text, 60))
	return nil
}

type memoListOptions struct {
	app.MemoFilter
	json bool
}

func newMemoListCmd(e *env) *cobra.Command {
	var o memoListOptions
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List memos",
		Long: `List memos, by source (memos on codes and the project first), oldest first:
every memo, or those on --source's text and codings, or on --code and its
codings, or of one --kind (source, code, coding or project). Each shows its
id, what it describes, its coder, when it was written and last edited, and
its text.

--json prints an array of {id, kind, source, code, start, end,
coding_coder, coder, created_at, updated_at, text}: source for memos on a
source or a coding, code for memos on a code or a coding, and for a coding
its span in characters (start, end; 0 on other memos) and coding_coder.` + exitStatusHelp,
		Example: `  qcode memo list
  qcode memo list --source P03 --json
  qcode memo list --code humility --kind coding`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.run(o, func() error { return runMemoList(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().StringVarP(&o.Source, "source", "s", "", "only memos on this source and its codings")
	cmd.Flags().StringVar(&o.Code, "code", "", "only memos on this code and its codings")
	cmd.Flags().StringVar(&o.Kind, "kind", "", "only memos on a source, a code, a coding or the project")
	cmd.Flags().BoolVar(&o.json, "json", false, "print JSON")
	return cmd
}

func runMemoList(ctx context.Context, e *env, o memoListOptions) error {
	if err := o.Check(); err != nil {
		return err
	}
	p, err := e.open(ctx, readOnly, "memo list")
	if err != nil {
		return err
	}
	defer p.Close()
	ms, err := p.ListMemos(ctx, o.MemoFilter)
	if err != nil {
		return err
	}
	if o.json {
		if ms == nil {
			ms = []app.Memo{}
		}
		return writeJSON(e.stdout, ms)
	}
	t := newTable(e.stdout, e.outTTY, "id", "on", "coder", "created", "edited", "memo")
	for _, m := range ms {
		edited := ""
		if !m.UpdatedAt.Equal(m.CreatedAt) {
			edited = m.UpdatedAt.Local().Format("2006-01-02 15:04")
		}
		t.add(strconv.FormatInt(m.ID, 10), m.Target(), m.Coder, m.CreatedAt.Local().Format("2006-01-02 15:04"), edited, m.Text)
	}
	return t.print()
}
