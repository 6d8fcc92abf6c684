package main

import (
	"context"
	"strings"

	"qcode/app"
	"qcode/coding/report"

	"github.com/spf13/cobra"
)

func newSourcesCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "sources",
		Short: "List the project's sources",
		Long: `List the project's sources: name, format, speakers, turns, sentences, words,
codings (by the rules and by people) and the attributes of each source's
case. On a pipe the table is tab-separated; --json prints an array of
objects with the fields name, format, path, case, speakers, turns,
paragraphs, sentences, words, chars (characters), codings, attributes
[{name, type, value}] and imported_at.` + exitStatusHelp,
		Example: `  qcode sources
  qcode sources --json | jq '.[] | select(.words > 2000) | .name'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.run(asJSON, func() error { return runSources(cmd.Context(), e, asJSON) })
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func runSources(ctx context.Context, e *env, asJSON bool) error {
	p, err := e.open(ctx, readOnly, "sources")
	if err != nil {
		return err
	}
	defer p.Close()
	srcs, err := p.Sources(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		if srcs == nil {
			srcs = []app.SourceInfo{}
		}
		return writeJSON(e.stdout, srcs)
	}
	return printSources(e, srcs)
}

// printSources prints the sources as a table, with the total of their
// words on a terminal.
func printSources(e *env, srcs []app.SourceInfo) error {
	t := newTable(e.stdout, e.outTTY, "name", "format", "speakers", "turns", "sentences", "words", "codings", "attributes")
	total := 0
	for _, s := range srcs {
		var attrs []string
		for _, a := range s.Attributes {
			attrs = append(attrs, a.Name+"="+a.Value)
		}
		t.add(s.Name, s.Format, strings.Join(s.Speakers, ", "), report.Thousands(s.Turns), report.Thousands(s.Sentences), report.Thousands(s.Words), report.Thousands(s.Codings), strings.Join(attrs, "; "))
		total += s.Words
	}
	if err := t.print(); err != nil {
		return err
	}
	if e.outTTY {
		e.printf("%d sources, %s words\n", len(srcs), report.Thousands(total))
	}
	return nil
}
