package main

import (
	"context"

	"github.com/spf13/cobra"

	"qcode/app"
)

type codebookAddOptions struct {
	name, parent, color, description, id string
}

func newCodebookAddCmd(e *env) *cobra.Command {
	var o codebookAddOptions
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Add a code to codebook.yaml, for coding by hand",
		Long: `Add a code named NAME to the project's codebook.yaml, under --parent (an
id, name or path) or at the top level. It goes into the file as text after
the codes already there, so comments and order stay as they were. Its id is
made from the name (made unique with _2, _3…) unless --id gives one. The
code has no rule: code with it by hand, or write it a rule later.` + exitStatusHelp,
		Example: `  qcode codebook add "Language barriers" --parent risk_aversion --color "#AA3377"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.name = args[0]
			return e.run(o, func() error { return runCodebookAdd(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().StringVar(&o.parent, "parent", "", "the code it goes under")
	cmd.Flags().StringVar(&o.color, "color", "", `its colour, as "#RRGGBB"`)
	cmd.Flags().StringVar(&o.description, "description", "", "what it means")
	cmd.Flags().StringVar(&o.id, "id", "", "its id (default: made from the name)")
	return cmd
}

func runCodebookAdd(ctx context.Context, e *env, o codebookAddOptions) error {
	e = e.withSafeOut() // the confirmation names what users and files gave
	no := app.NewCodeOptions{Name: o.name, Parent: o.parent, Color: o.color, Description: o.description, ID: o.id}
	if err := no.Check(); err != nil {
		return err
	}
	p, err := e.open(ctx, readWrite, "codebook add")
	if err != nil {
		return err
	}
	defer p.Close()
	c, err := p.AddCode(ctx, no)
	if err != nil {
		return err
	}
	e.printf("added %s (%s) to the codebook\n", c.Path(), c.ID)
	return nil
}
