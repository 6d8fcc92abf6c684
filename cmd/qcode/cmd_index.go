package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

type indexOptions struct {
	rebuild bool
	json    bool
}

func newIndexCmd(e *env) *cobra.Command {
	var o indexOptions
	cmd := &cobra.Command{
		Use:   "index",
		Short: "Bring the search index up to date, or rebuild it",
		Long: `The search index (.qcode/index) is made from the project's store and can
always be made again from it: losing it loses nothing. 'qcode import' keeps
it up to date and 'qcode search' brings it up to date when it is missing or
stale, so this command is rarely needed. Without flags it indexes what the
index lacks; --rebuild makes it anew. It prints the index's size on disk.` + exitStatusHelp,
		Example: `  qcode index --rebuild`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.run(o, func() error { return runIndex(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().BoolVar(&o.rebuild, "rebuild", false, "make the index anew from the store")
	cmd.Flags().BoolVar(&o.json, "json", false, "print JSON")
	return cmd
}

func runIndex(ctx context.Context, e *env, o indexOptions) error {
	// The index keeps other writers of it away itself; the store is only
	// read.
	p, err := e.open(ctx, readOnly, "index")
	if err != nil {
		return err
	}
	defer p.Close()
	p.SetIndexMemory(indexMemoryLimit(indexMemory))
	res, err := p.UpdateIndex(ctx, o.rebuild)
	if err != nil {
		return err
	}
	if o.json {
		return writeJSON(e.stdout, res)
	}
	if !res.Changed() {
		fmt.Fprintf(e.stdout, "the search index is up to date (%.1f MB)\n", float64(res.Bytes)/1e6)
		return nil
	}
	fmt.Fprintf(e.stdout, "indexed %s (%s), took out %s; the index takes %.1f MB\n",
		plural(res.Added, "source"), plural(res.Docs, "sentence"), plural(res.Removed, "source"), float64(res.Bytes)/1e6)
	return nil
}
