package main

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"qcode"
	"qcode/app"
	"qcode/coding"
)

func newMemoCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "memo",
		Short: "Write and read memos on sources",
		Long: `A memo is a note on a source: how the interview went, what to follow up,
what a passage made you think. Memos are kept with the source's name, so
re-importing its text keeps them. Adding one is logged with its coder.` + exitStatusHelp,
	}
	cmd.AddCommand(newMemoAddCmd(e), newMemoListCmd(e))
	return cmd
}

type memoAddOptions struct {
	source, text, coder string
}

func newMemoAddCmd(e *env) *cobra.Command {
	var o memoAddOptions
	cmd := &cobra.Command{
		Use:   "add SOURCE TEXT",
		Short: "Add a memo on a source",
		Long: `Add a memo on SOURCE. The coder is --coder NAME, else $QCODE_CODER, else
your user name.` + exitStatusHelp,
		Example:           `  qcode memo add P03 "Interview cut short; see notes"`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: e.completeSources,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.source, o.text = args[0], args[1]
			return e.run(o, func() error { return runMemoAdd(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().StringVar(&o.coder, "coder", "", "who writes (default: $QCODE_CODER, else your user name)")
	return cmd
}

func runMemoAdd(ctx context.Context, e *env, o memoAddOptions) error {
	if strings.TrimSpace(o.text) == "" {
		return qcode.Errorf(qcode.EINVALID, "the memo is empty; say what it notes")
	}
	coder, err := app.CoderName(o.coder)
	if err != nil {
		return err
	}
	p, err := e.open(ctx, readWrite, "memo add")
	if err != nil {
		return err
	}
	defer p.Close()
	if _, err := p.AddMemo(ctx, o.source, coder, o.text, "memo add"); err != nil {
		return err
	}
	e.printf("added a memo on %s by %s\n", o.source, coder)
	return nil
}

type memoListOptions struct {
	source string
	json   bool
}

func newMemoListCmd(e *env) *cobra.Command {
	var o memoListOptions
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List memos",
		Long: `List the memos on every source, or on --source's, oldest first. --json
prints an array of {id, source, coder, created_at, text}.` + exitStatusHelp,
		Example: `  qcode memo list
  qcode memo list --source P03 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.run(o, func() error { return runMemoList(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().StringVarP(&o.source, "source", "s", "", "only memos on this source")
	cmd.Flags().BoolVar(&o.json, "json", false, "print JSON")
	return cmd
}

func runMemoList(ctx context.Context, e *env, o memoListOptions) error {
	p, err := e.open(ctx, readOnly, "memo list")
	if err != nil {
		return err
	}
	defer p.Close()
	ms, err := p.Memos(ctx, o.source)
	if err != nil {
		return err
	}
	if o.json {
		if ms == nil {
			ms = []coding.Memo{}
		}
		return writeJSON(e.stdout, ms)
	}
	t := newTable(e.stdout, e.outTTY, "source", "coder", "created", "memo")
	for _, m := range ms {
		t.add(m.Source, m.Coder, m.CreatedAt.Local().Format("2006-01-02 15:04"), m.Text)
	}
	return t.print()
}
