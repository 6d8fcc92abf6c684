package main

import (
	"context"
	"slices"
	"strings"

	"qcode/app"
	"qcode/coding/report"
	"qcode/corpus"

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
	cmd.AddCommand(newSourcesRmCmd(e), newSourcesPurgeCmd(e))
	return cmd
}

type sourcesRmOptions struct {
	names []string
	coder string
	purge bool
}

func newSourcesRmCmd(e *env) *cobra.Command {
	var o sourcesRmOptions
	cmd := &cobra.Command{
		Use:   "rm NAME...",
		Short: "Remove sources from the project, as when a participant withdraws",
		Long: `Remove each named source from the project: its text, turns and segments,
every coding of it (people's and the rules'), rejected rules codings, memos
on it and on its codings, its case with the case's attributes and its
speakers when no other source has them, and its entries in the search
index. The log records who removed which source and when, never its text;
its earlier entries (memo texts among them) stay.

Removed text lingers in the project's files until the space is reused;
--purge overwrites it, compacts the database and makes the search index
anew, so that no file in the project folder holds it.

Every name is checked before any source is removed.` + exitStatusHelp,
		Example: `  qcode sources rm P12
  qcode sources rm P10 P11 --purge --coder amina`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.names = args
			for _, n := range args {
				if err := (app.RemoveSourceOptions{Name: n, Coder: o.coder}).Check(); err != nil {
					return err
				}
			}
			return e.run(o, func() error { return runSourcesRm(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().StringVar(&o.coder, "coder", "", "who removes (default: $QCODE_CODER, else your user name)")
	cmd.Flags().BoolVar(&o.purge, "purge", false, "overwrite the removed text in the project's files")
	return cmd
}

func runSourcesRm(ctx context.Context, e *env, o sourcesRmOptions) error {
	p, err := e.open(ctx, readWrite, "sources rm")
	if err != nil {
		return err
	}
	defer p.Close()
	have, err := p.SourceNames(ctx)
	if err != nil {
		return err
	}
	names := slices.Compact(slices.Sorted(slices.Values(o.names)))
	for _, n := range names {
		if !slices.Contains(have, n) {
			// The use case refuses it, naming the sources there are,
			// before anything is removed.
			_, err := p.RemoveSource(ctx, app.RemoveSourceOptions{Name: n, Coder: o.coder, Purge: o.purge})
			return err
		}
	}
	for _, n := range names {
		r, err := p.RemoveSource(ctx, app.RemoveSourceOptions{Name: n, Coder: o.coder, Purge: o.purge})
		if err != nil {
			return err
		}
		detail := []string{plural(r.Codings, "coding"), plural(r.Memos, "memo")}
		if r.Case != "" {
			detail = append(detail, "case "+r.Case)
		}
		if len(r.Speakers) > 0 {
			detail = append(detail, "speakers "+strings.Join(r.Speakers, ", "))
		}
		if r.Purged {
			detail = append(detail, "purged")
		}
		e.printf("removed %s: %s\n", safe(r.Name), safe(strings.Join(detail, "; ")))
	}
	return nil
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
		speakers := strings.Join(s.Speakers, ", ")
		if s.Document {
			speakers = corpus.DocumentLabel
		}
		t.add(s.Name, s.Format, speakers, report.Thousands(s.Turns), report.Thousands(s.Sentences), report.Thousands(s.Words), report.Thousands(s.Codings), strings.Join(attrs, "; "))
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

type sourcesPurgeOptions struct{}

func newSourcesPurgeCmd(e *env) *cobra.Command {
	var o sourcesPurgeOptions
	cmd := &cobra.Command{
		Use:   "purge",
		Short: "Overwrite what removed sources left in the project's files",
		Long: `Make sure no file in the project folder holds the text of sources removed
without --purge, or whose purge another qcode kept from finishing: the
database is rewritten without the freed space, its log emptied, and the
search index made anew. Close other qcode commands on the project (qcode
serve among them) first: while one has it open, the purge cannot finish and
says so.` + exitStatusHelp,
		Example: `  qcode sources rm P12
  qcode sources purge`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.run(o, func() error { return runSourcesPurge(cmd.Context(), e) })
		},
	}
	return cmd
}

func runSourcesPurge(ctx context.Context, e *env) error {
	p, err := e.open(ctx, readWrite, "sources purge")
	if err != nil {
		return err
	}
	defer p.Close()
	if err := p.Purge(ctx); err != nil {
		return err
	}
	e.printf("purged: no file of the project holds the text of removed sources\n")
	return nil
}
