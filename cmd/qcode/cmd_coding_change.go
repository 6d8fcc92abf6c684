package main

import (
	"context"

	"github.com/spf13/cobra"

	"qcode/app"
)

type codingChangeOptions struct {
	segment, code, coder string
	recode, to           string
	snap                 bool
}

func newCodingChangeCmd(e *env) *cobra.Command {
	var o codingChangeOptions
	cmd := &cobra.Command{
		Use:   "change SEGMENT CODE",
		Short: "Re-code a coding made by hand, or move its span",
		Long: `Change the coder's coding of CODE on SEGMENT in one step: --recode NEW gives
it another code (an id, name or path), --to SEGMENT another place in the same
source (P03:s42, P03:t12, P03:1200-1388), or both. The coding keeps its memo;
the old and the new coding are both logged. --snap grows a --to span to whole
words, as the browser does with a selection.

Codings made by the rules are not changed by hand: reject a wrong one with
'qcode coding reject' and code the passage as it should be.` + exitStatusHelp,
		Example: `  qcode coding add P03:s35 humility --coder amina
  qcode coding change P03:s35 humility --recode risk_aversion --coder amina
  qcode coding change P03:s35 risk_aversion --to P03:6950-7030 --snap --coder amina`,
		Args:        cobra.ExactArgs(2),
		Annotations: map[string]string{fieldFlag + "new_code": "recode", fieldFlag + "new_segment": "to"},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.segment, o.code = args[0], args[1]
			return e.run(o, func() error { return runCodingChange(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().StringVar(&o.coder, "coder", "", "whose coding (default: $QCODE_CODER, else your user name)")
	cmd.Flags().StringVar(&o.recode, "recode", "", "the code it becomes")
	cmd.Flags().StringVar(&o.to, "to", "", "the segment or span it moves to, in the same source")
	cmd.Flags().BoolVar(&o.snap, "snap", false, "grow a --to span to whole words")
	return cmd
}

func runCodingChange(ctx context.Context, e *env, o codingChangeOptions) error {
	e = e.withSafeOut() // the confirmation names what users and files gave
	co := app.ChangeOptions{CodingOptions: app.CodingOptions{Segment: o.segment, Code: o.code, Coder: o.coder, Snap: o.snap},
		NewCode: o.recode, NewSegment: o.to}
	if err := co.Check(); err != nil {
		return err
	}
	p, err := e.open(ctx, readWrite, "coding change")
	if err != nil {
		return err
	}
	defer p.Close()
	res, err := p.ChangeCoding(ctx, co)
	if err != nil {
		return err
	}
	c := res.Coding
	e.printf("changed %s %s to %s %s (by %s): %s\n", o.segment, o.code, c.Segment(), c.Code, c.Coder, excerpt(c.Text, 70))
	return nil
}
