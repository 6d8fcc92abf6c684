package main

import (
	"context"
	"strconv"

	"github.com/spf13/cobra"

	"qcode"
)

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
	e = e.withSafeOut() // the confirmation names what users and files gave
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
	e = e.withSafeOut() // the confirmation names what users and files gave
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
