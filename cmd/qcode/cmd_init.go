package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"qcode"
	"qcode/codebook"
	"qcode/project"
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
			return runInit(cmd.Context(), e, args[0])
		},
	}
}

func runInit(ctx context.Context, e *env, dir string) error {
	p, err := project.Init(ctx, dir)
	if err != nil {
		return err
	}
	defer p.Close()
	// The default codebook is written only where there is none: a team's
	// own codebook.yaml in the folder is theirs.
	path := filepath.Join(dir, codebookFile)
	wrote := false
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if err := os.WriteFile(path, codebook.DefaultYAML(), 0o644); err != nil {
			return qcode.Errorf(qcode.EINVALID, "cannot write %s: %v", path, err)
		}
		wrote = true
	}
	if err := p.Close(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Created a qcode project in %s\n", dir)
	if wrote {
		fmt.Fprintf(e.stdout, "Wrote the default codebook (bidirectional learning in global health partnerships) to %s\n", path)
	}
	fmt.Fprintf(e.stdout, "Next: cd %s && qcode import FILE…\n", dir)
	return nil
}
