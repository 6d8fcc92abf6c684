package main

import (
	"context"

	"github.com/spf13/cobra"

	"qcode/app"
)

type codingRejectOptions struct {
	segment, code, coder string
}

func newCodingRejectCmd(e *env) *cobra.Command {
	var o codingRejectOptions
	cmd := &cobra.Command{
		Use:   "reject SEGMENT CODE",
		Short: "Reject a coding the rules made (a false positive)",
		Long: `Reject the rules' coding of CODE on SEGMENT: it leaves the project's codings,
reports and exports, and later 'qcode code' runs do not make it again while
the source's text stays the same, whatever the codebook. Who rejected it and
when are logged. 'qcode coding list --rejected' lists rejected codings;
'qcode coding accept' undoes a rejection.` + exitStatusHelp,
		Example: `  qcode coding reject P03:s37 top_down_teaching --coder amina`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.segment, o.code = args[0], args[1]
			return e.run(o, func() error { return runCodingReject(cmd.Context(), e, o, false) })
		},
	}
	cmd.Flags().StringVar(&o.coder, "coder", "", "who rejects (default: $QCODE_CODER, else your user name)")
	return cmd
}

type codingAcceptOptions codingRejectOptions

func newCodingAcceptCmd(e *env) *cobra.Command {
	var o codingAcceptOptions
	cmd := &cobra.Command{
		Use:   "accept SEGMENT CODE",
		Short: "Undo the rejection of a rules coding",
		Long: `Undo the rejection of the rules' coding of CODE on SEGMENT: the next
'qcode code' run makes it again. The acceptance is logged.` + exitStatusHelp,
		Example: `  qcode coding reject P03:s37 top_down_teaching --coder amina
  qcode coding accept P03:s37 top_down_teaching --coder amina`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.segment, o.code = args[0], args[1]
			return e.run(o, func() error { return runCodingReject(cmd.Context(), e, codingRejectOptions(o), true) })
		},
	}
	cmd.Flags().StringVar(&o.coder, "coder", "", "who accepts (default: $QCODE_CODER, else your user name)")
	return cmd
}

// runCodingReject rejects a rules coding, or with accept undoes that.
func runCodingReject(ctx context.Context, e *env, o codingRejectOptions, accept bool) error {
	e = e.withSafeOut() // the confirmation names what users and files gave
	co := app.CodingOptions{Segment: o.segment, Code: o.code, Coder: o.coder}
	if err := co.Check(); err != nil {
		return err
	}
	command := "coding reject"
	if accept {
		command = "coding accept"
	}
	p, err := e.open(ctx, readWrite, command)
	if err != nil {
		return err
	}
	defer p.Close()
	if accept {
		res, err := p.AcceptCoding(ctx, co)
		if err != nil {
			return err
		}
		e.printf("accepted %s on %s: the next 'qcode code' codes it again\n", o.code, res.Coding.Segment())
		return nil
	}
	res, err := p.RejectCoding(ctx, co)
	if err != nil {
		return err
	}
	c := res.Coding
	if !res.Changed {
		e.printf("%s on %s is rejected already; nothing changed\n", c.Code, c.Segment())
		return nil
	}
	e.printf("rejected %s on %s (rules): %s\n", c.Code, c.Segment(), excerpt(c.Text, 70))
	return nil
}
