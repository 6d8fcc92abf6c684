package main

import (
	"context"
	"strconv"

	"github.com/spf13/cobra"

	"qcode/app"
)

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
	e = e.withSafeOut() // names, paths and memos are what users and files gave
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
