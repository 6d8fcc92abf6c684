package main

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"qcode/app"
)

func newCodingCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "coding",
		Short: "Add, remove, list and import codings made by people; reject the rules'",
		Long: `A coding is a code applied to a segment or span of a source by a coder.
The rules make theirs with 'qcode code'; these commands are for people's,
and for rejecting a rules coding that is wrong (and undoing that).

A segment is named by its source and id, as 'qcode show SOURCE --sentences'
prints them: P03:s41 (a sentence), P03:t12 (a turn), P03:p5 (a
paragraph), P03:1200-1388 (the characters [1200, 1388)), or P03 (the whole
source).

The coder is --coder NAME, else $QCODE_CODER, else your user name. Every
addition, removal, rejection and acceptance is logged with who made it and
when.` + exitStatusHelp,
	}
	cmd.AddCommand(newCodingAddCmd(e), newCodingRmCmd(e), newCodingListCmd(e), newCodingImportCmd(e),
		newCodingRejectCmd(e), newCodingAcceptCmd(e), newCodingChangeCmd(e))
	return cmd
}

type codingAddOptions struct {
	segment, code string
	coder, memo   string
}

func newCodingAddCmd(e *env) *cobra.Command {
	var o codingAddOptions
	cmd := &cobra.Command{
		Use:   "add SEGMENT CODE",
		Short: "Code a segment or a span by hand",
		Long: `Apply CODE (a code id from the codebook) to SEGMENT: P03:s41, P03:t12,
P03:p5, P03:1200-1388 or P03. Adding a coding the coder already has changes
nothing and says so.` + exitStatusHelp,
		Example: `  qcode coding add P03:s35 humility --coder amina --memo "mortified to be shown a better way"
  qcode coding add P03:6956-7025 risk_aversion --coder amina`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.segment, o.code = args[0], args[1]
			return e.run(o, func() error { return runCodingAdd(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().StringVar(&o.coder, "coder", "", "who codes (default: $QCODE_CODER, else your user name)")
	cmd.Flags().StringVarP(&o.memo, "memo", "m", "", "a note on the coding")
	return cmd
}

func runCodingAdd(ctx context.Context, e *env, o codingAddOptions) error {
	e = e.withSafeOut() // the confirmation names what users and files gave
	co := app.CodingOptions{Segment: o.segment, Code: o.code, Coder: o.coder, Memo: o.memo}
	if err := co.Check(); err != nil {
		return err
	}
	p, err := e.open(ctx, readWrite, "coding add")
	if err != nil {
		return err
	}
	defer p.Close()
	res, err := p.AddCoding(ctx, co)
	if err != nil {
		return err
	}
	c := res.Coding
	if !res.Changed {
		e.printf("%s already has %s by %s; nothing changed\n", c.Segment(), c.Code, c.Coder)
		return nil
	}
	e.printf("coded %s %s (by %s): %s\n", c.Segment(), c.Code, c.Coder, excerpt(c.Text, 70))
	return nil
}

// excerpt quotes the start of text on one line.
func excerpt(text string, n int) string {
	return "“" + truncate(strings.Join(strings.Fields(text), " "), n) + "”"
}

type codingRmOptions struct {
	segment, code, coder string
}

func newCodingRmCmd(e *env) *cobra.Command {
	var o codingRmOptions
	cmd := &cobra.Command{
		Use:   "rm SEGMENT CODE",
		Short: "Remove a coding made by hand",
		Long: `Remove the coder's coding of CODE on SEGMENT. Codings made by the rules are
not removed by hand: reject a wrong one with 'qcode coding reject', or change
the codebook and run 'qcode code' again.` + exitStatusHelp,
		Example: `  qcode coding rm P03:s37 humility --coder amina`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.segment, o.code = args[0], args[1]
			return e.run(o, func() error { return runCodingRm(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().StringVar(&o.coder, "coder", "", "whose coding (default: $QCODE_CODER, else your user name)")
	return cmd
}

func runCodingRm(ctx context.Context, e *env, o codingRmOptions) error {
	e = e.withSafeOut() // the confirmation names what users and files gave
	co := app.CodingOptions{Segment: o.segment, Code: o.code, Coder: o.coder}
	if err := co.Check(); err != nil {
		return err
	}
	p, err := e.open(ctx, readWrite, "coding rm")
	if err != nil {
		return err
	}
	defer p.Close()
	res, err := p.RemoveCoding(ctx, co)
	if err != nil {
		return err
	}
	e.printf("removed %s from %s (by %s)\n", o.code, res.Coding.Segment(), res.Coding.Coder)
	return nil
}

// codePaths returns a function giving a code's path in the codebook, or
// its id when the codebook does not load or lacks it.
func (e *env) codePaths() func(id string) string {
	cb, err := e.codebook()
	return func(id string) string {
		if err == nil {
			if c := cb.Code(id); c != nil {
				return c.Path()
			}
		}
		return id
	}
}
