package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"qcode/app"
	"qcode/coding/report"
)

// frameworkOptions are the flags of 'qcode framework'.
type frameworkOptions struct {
	coder, themes, attrs string
	quotes               bool // the quotes, a row each, instead of the matrix
	wide                 bool // on a terminal, every column whole
	json, csv            bool
}

func newFrameworkCmd(e *env) *cobra.Command {
	var o frameworkOptions
	cmd := &cobra.Command{
		Use:   "framework",
		Short: "The Framework Method matrix: cases × themes, each cell summarised",
		Long: `Show the Framework Method matrix (Gale et al. 2013): a row per case, a
column per theme, then the case's attributes. Each cell holds the team's
summary of what the case says on the theme (write it with 'qcode framework
set'), then the references of the case's quotes coded with the theme or
one of its sub-codes (P03:s41, as 'qcode show' and 'qcode coding list'
name segments), as many as fit in 1,000 characters and then how many more.

--themes top (the default) takes the codebook's top-level codes as the
themes; --themes ID,ID… names them. --attrs role,country shows only those
attributes. --quotes lists the quotes instead, one row each: case, theme,
ref, speaker, quote. --coder NAME takes only that coder's codings as
quotes ('rules' for the rules); the summaries are everyone's.

The matrix prints aligned on a terminal (long cells cut short),
tab-separated on a pipe, and as CSV with --csv. --json prints
{themes: [{code, path}], attributes: [...], cases: [{case, attributes,
cells: [{summary: {case, theme, coder, created_at, updated_at, text} or
null, quotes: [{ref, source, start, end, speaker, text}]}]}]}, a cell per
theme in order (start and end in characters).
'qcode export xlsx' puts the matrix on its Framework sheet and the quotes
on the Framework quotes sheet, each case linked to its first quote.` + exitStatusHelp,
		Example: `  qcode framework
  qcode framework --themes partnership_aspects,learning_type --attrs role --csv > framework.csv
  qcode framework --quotes --themes bidirectional_learning
  qcode framework --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.run(o, func() error { return runFramework(cmd.Context(), e, o) })
		},
		// The matrix's errors name the code or attribute at fault; these
		// flags are where the user gave it.
		Annotations: map[string]string{fieldFlag + "code": "themes", fieldFlag + "attribute": "attrs"},
	}
	f := cmd.Flags()
	f.StringVar(&o.coder, "coder", "all", "whose codings give the quotes: a coder's name, 'rules', or 'all'")
	f.StringVar(&o.themes, "themes", "top", "the themes: top (the top-level codes), or code ids separated by commas")
	f.StringVar(&o.attrs, "attrs", "", "the case attributes to show, separated by commas (default: all)")
	f.BoolVar(&o.quotes, "quotes", false, "list the quotes, one row each, instead of the matrix")
	f.BoolVar(&o.wide, "wide", false, "on a terminal, print every column whole instead of fitting the width")
	f.BoolVar(&o.json, "json", false, "print JSON")
	f.BoolVar(&o.csv, "csv", false, "print CSV")
	cmd.AddCommand(newFrameworkSetCmd(e))
	return cmd
}

func runFramework(ctx context.Context, e *env, o frameworkOptions) error {
	e = e.withSafeOut() // summaries and quotes are what people wrote and said
	if o.json && o.csv {
		return &usageError{errors.New("--json and --csv: say one")}
	}
	p, err := e.open(ctx, readOnly, "framework")
	if err != nil {
		return err
	}
	defer p.Close()
	m, err := p.Framework(ctx, app.FrameworkOptions{Coder: o.coder, Themes: o.themes, Attrs: app.SplitList(o.attrs)})
	if err != nil {
		return err
	}
	if o.json {
		return writeJSON(e.stdout, m)
	}
	t := m.Table()
	if o.quotes {
		t = m.QuotesTable()
	}
	if o.csv {
		return app.WriteTable(e.stdout, t, "csv")
	}
	if err := printReport(e, t, nil, false, o.wide); err != nil {
		return err
	}
	if e.outTTY {
		cells, summarised, quotes := m.Count()
		e.printf("%s × %s; %s of %s summarised; %s\n", plural(len(m.Cases), "case"), plural(len(m.Themes), "theme"),
			report.Thousands(summarised), plural(cells, "cell"), plural(quotes, "quote"))
	}
	return nil
}
