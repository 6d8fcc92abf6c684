package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"qcode/project"
)

func newInitCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "init DIR",
		Short: "Create a new project folder",
		Long: `Create a project in DIR (made if missing): a .qcode folder holding the
project's database. Everything qcode makes lives there; the index and
exports can always be made again from it.` + exitStatusHelp,
		Example: `  qcode init interviews`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInit(cmd.Context(), e, args[0])
		},
	}
}

func runInit(ctx context.Context, e *env, dir string) error {
	p, err := project.Init(ctx, dir)
	if err != nil {
		return err
	}
	if err := p.Close(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Created a qcode project in %s\nNext: cd %s && qcode import FILE…\n", dir, dir)
	return nil
}
