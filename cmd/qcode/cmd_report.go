package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"qcode/app"
	"qcode/coding/report"
)

// reportOptions are the flags of the report commands.
type reportOptions struct {
	kind      string // freq, matrix, cooccur or framework
	coder     string
	json, csv bool
	wide      bool // on a terminal, every column and cell whole

	rollup bool   // matrix, cooccur (freq: deprecated, no effect)
	own    bool   // freq
	split  string // freq

	by, count, percent string // matrix

	overlap, jaccard, pairs bool // cooccur

	themes, attrs string // framework
}

func newReportCmd(e *env) *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Count codings: frequencies, matrices, co-occurrence, the Framework matrix",
		Long: `Reports count the project's codings against its codebook (codebook.yaml).
Each prints a table: aligned on a terminal, tab-separated on a pipe, CSV with
--csv, and with --json an array of objects, one per row, whose fields are
the table's columns in order (numbers as numbers, empty cells as null).

On a terminal a table fits its width ($COLUMNS, else the terminal's, else
100 characters): long headers wrap, the columns of a wide matrix are
lettered with a key below it, long text is cut with "…", and what is still
too wide is printed in blocks of columns, each beginning with the codes (or
cases). --wide prints every column and cell whole, however wide; a pipe,
--csv and --json always have everything.

--coder NAME counts only that coder's codings ('rules' for the rules);
--coder all (the default) counts everyone's.

A coded segment is a distinct coded passage: a sentence coded by the rules
and by a person is two codings but one segment. A word is coded when a
coded passage covers any of it, and counts once however many codings cover
it; coverage is coded words over all the corpus's words.` + exitStatusHelp,
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&o.coder, "coder", "all", "whose codings: a coder's name, 'rules', or 'all'")
	pf.BoolVar(&o.json, "json", false, "print JSON")
	pf.BoolVar(&o.csv, "csv", false, "print CSV")
	pf.BoolVar(&o.wide, "wide", false, "on a terminal, print every column and cell whole, however wide")
	sub := func(kind, use, short, long, example string, flags func(*cobra.Command)) *cobra.Command {
		c := &cobra.Command{
			Use: use, Short: short, Long: long + exitStatusHelp, Example: example, Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				o.kind = kind
				return e.run(o, func() error { return runReport(cmd.Context(), e, o) })
			},
		}
		flags(c)
		// The reports' errors name the code or attribute at fault; these
		// flags are where the user gave it.
		switch kind {
		case "framework":
			c.Annotations = map[string]string{fieldFlag + "code": "themes", fieldFlag + "attribute": "attrs"}
		case "matrix":
			c.Annotations = map[string]string{fieldFlag + "attribute": "by"}
		}
		return c
	}
	cmd.AddCommand(
		sub("freq", "freq", "Per code: codings, coded segments, sources, cases, % of cases, words, coverage",
			`Per code, in codebook order: codings, coded segments, sources and cases
with the code, the percentage of all cases, words coded and coverage (the
percentage of the corpus's words). A code with sub-codes is counted with
them (includes_sub_codes: yes), so a theme shows what its sub-codes hold;
--own adds the same counts of each code's own codings alone (columns ending
_own). --split coder or --split origin gives a row per code and coder, or
per code and origin (rules, manual, import).`,
			`  qcode report freq
  qcode report freq --own
  qcode report freq --split coder --json | jq '.[] | select(.coder == "amina")'`,
			func(c *cobra.Command) {
				c.Flags().BoolVar(&o.own, "own", false, "add each code's own codings, without its sub-codes")
				// --rollup was how a code was counted with its sub-codes;
				// that is what every code with sub-codes now shows, so the
				// flag is kept for old scripts, hidden, and changes nothing.
				// (cobra's deprecation notice would go to stdout, into
				// the CSV or JSON a script reads.)
				c.Flags().BoolVar(&o.rollup, "rollup", false, "no effect: a code with sub-codes is counted with them")
				_ = c.Flags().MarkHidden("rollup")
				c.Flags().StringVar(&o.split, "split", "", "a row per code and coder, or per code and origin: coder or origin")
			}),
		sub("matrix", "matrix", "Code × source, case or attribute",
			`A row per code, a column per source (--by source, the default), per case
(--by case), or per value of a case attribute (--by attr:role), with the
code's coded segments in each (--count codings, segments, sources, cases or
words); the total column's header names what the cells count
(total_coded_segments, total_cases). The total column counts the code in
every column; the total row counts every code together in the column, so
that a segment two codes share counts once, and a note under the table says
so when the total is therefore less than the sum. --percent row adds each cell as a percentage of its row's
total, --percent column of its column's total. --rollup counts each code
with its sub-codes.`,
			`  qcode report matrix --by source
  qcode report matrix --by attr:role --percent row
  qcode report matrix --by attr:country --count cases --rollup --csv > by-country.csv`,
			func(c *cobra.Command) {
				c.Flags().StringVar(&o.by, "by", "source", "the columns: source, case, or attr:NAME")
				c.Flags().StringVar(&o.count, "count", "segments", "what a cell counts: codings, segments, sources, cases or words")
				c.Flags().StringVar(&o.percent, "percent", "", "add percentages of the row or the column: row or column")
				c.Flags().BoolVar(&o.rollup, "rollup", false, "count each code with its sub-codes")
			}),
		sub("cooccur", "cooccur", "Code × code: how often codes code the same passages",
			`A code × code table of the codes that have codings. By default a cell
counts the segments coded with both codes (the diagonal: with the code).
--overlap counts stretches of text where both codes' passages overlap, so a
sentence coded A inside a turn coded B counts. --jaccard gives the Jaccard
index instead of counts: both over either, in segments, or with --overlap in
characters. --pairs lists the pairs that co-occur, most first, with count
and Jaccard. --rollup counts each code with its sub-codes.`,
			`  qcode report cooccur
  qcode report cooccur --wide
  qcode report cooccur --overlap --jaccard
  qcode report cooccur --pairs --rollup`,
			func(c *cobra.Command) {
				c.Flags().BoolVar(&o.overlap, "overlap", false, "count overlapping passages, not only the same segment")
				c.Flags().BoolVar(&o.jaccard, "jaccard", false, "give Jaccard indices instead of counts")
				c.Flags().BoolVar(&o.pairs, "pairs", false, "list co-occurring pairs instead of a matrix")
				c.Flags().BoolVar(&o.rollup, "rollup", false, "count each code with its sub-codes")
			}),
		sub("framework", "framework", "The Framework Method matrix: cases × themes, with quotes",
			`One row per case with its attributes (--attrs role,country; default all),
one column per theme (--themes top, the default, for the codebook's top-level
codes, or --themes id,id) holding the case's coded excerpts of that theme and
its sub-codes, each "[P03:s41, Speaker] text", and an empty summary column
per theme for the team to fill in. Best read in the workbook
('qcode export xlsx') or with --csv.`,
			`  qcode report framework --themes top --attrs role,country --csv > framework.csv
  qcode report framework --themes humility,risk_aversion --json`,
			func(c *cobra.Command) {
				c.Flags().StringVar(&o.themes, "themes", "top", "the themes: top, or code ids separated by commas")
				c.Flags().StringVar(&o.attrs, "attrs", "", "the case attributes to show, separated by commas (default: all)")
			}),
	)
	return cmd
}

func runReport(ctx context.Context, e *env, o reportOptions) error {
	if o.json && o.csv {
		return &usageError{errors.New("--json and --csv: say one")}
	}
	ro := app.ReportOptions{Kind: o.kind,
		Frequency: report.FrequencyOptions{Own: o.own, Split: o.split},
		Matrix:    report.MatrixOptions{By: o.by, Count: o.count, Percent: o.percent, RollUp: o.rollup},
		Cooccur:   report.CooccurrenceOptions{Overlap: o.overlap, Jaccard: o.jaccard, RollUp: o.rollup, Pairs: o.pairs},
		Framework: report.FrameworkOptions{Attrs: app.SplitList(o.attrs)},
	}
	if o.kind == "framework" {
		var err error
		if ro.Framework.Themes, err = app.ParseThemes(o.themes); err != nil {
			return err
		}
	}
	p, err := e.open(ctx, readOnly, "report "+o.kind)
	if err != nil {
		return err
	}
	defer p.Close()
	// Counted source by source, holding no more than one; the Framework
	// reads the project again as it is printed.
	a, t, err := p.Report(ctx, o.coder, ro)
	if err != nil {
		return err
	}
	switch {
	case o.json:
		return app.WriteTable(e.stdout, t, "json")
	case o.csv:
		return app.WriteTable(e.stdout, t, "csv")
	}
	if err := printReport(e, t, a.Codebook.Codebook, o.kind == "matrix" || o.kind == "cooccur" && !o.pairs, o.wide); err != nil {
		return err
	}
	if e.outTTY {
		coders := "every coder"
		if o.coder != app.AllCoders {
			coders = o.coder
		}
		e.printf("%s by %s; %s, %s words\n", plural(a.CodingCount(), "coding"), coders, plural(len(a.Coders()), "coder"), report.Thousands(a.Words()))
	}
	return nil
}
