package main

import (
	"context"
	"fmt"

	"qcode/app"

	"github.com/spf13/cobra"
)

func newInitCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "init DIR",
		Short: "Create a new project folder",
		Long: `Create a project in DIR (made if missing): a .qcode folder holding the
project's database, and codebook.yaml, the default codebook (unless the folder
has one already). Everything qcode makes lives there; the index and exports
can always be made again from it.` + exitStatusHelp,
		Example: `  qcode init partnership-study`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.run(args[0], func() error { return runInit(cmd.Context(), e, args[0]) })
		},
	}
}

func runInit(ctx context.Context, e *env, dir string) error {
	res, err := app.Init(ctx, dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Created a qcode project in %s\n", dir)
	if res.Codebook != "" {
		fmt.Fprintf(e.stdout, "Wrote the default codebook (bidirectional learning in global health partnerships) to %s\n", res.Codebook)
	}
	fmt.Fprintf(e.stdout, "Next: cd %s && qcode import FILE…\n", dir)
	return nil
}
