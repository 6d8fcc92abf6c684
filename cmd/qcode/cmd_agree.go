package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"qcode/app"
	"qcode/coding"
	"qcode/coding/report"
)

type agreeOptions struct {
	coders        []string
	unit          string
	codes         []string
	sources       []string
	level         string
	bootstrap     int
	seed          uint64
	disagreements bool
	json, csv     bool
	table         string   // --table: a CSV of reliability data, no project
	projectFlags  []string // flags given that only a project's codings take
}

// agreeProjectFlags are the flags of `qcode agree` that --table refuses.
var agreeProjectFlags = []string{"unit", "codes", "source", "disagreements"}

func newAgreeCmd(e *env) *cobra.Command {
	var o agreeOptions
	cmd := &cobra.Command{
		Use:   "agree --coders A,B[,C…]",
		Short: "Inter-coder agreement: kappa, alpha and percent agreement per code",
		Long: `Measure how far coders agree on the project's codes. Each code is a
present/absent judgement on each unit: a sentence (the default), paragraph,
turn or whole source (--unit), or every character (--unit char, as NVivo's
coding comparison does). A coding marks a unit it shares a character with.

Only the units of sources every coder has seen count, and a coder has seen a
source when they have at least one coding in it (the rules, when 'qcode
code' ran over it): a coder who never opened a source is missing there, not
"absent". The report says how many units were used and dropped.

For each code, and pooled over the codes (De Vries et al. 2008: observed and
chance agreement averaged over the codes, each keeping its own chance
term), it gives percent agreement, Cohen's kappa (two coders), Fleiss'
kappa, Krippendorff's alpha (nominal) with a bootstrap 95% interval
(--bootstrap resamples of the units, --seed), and Brennan–Prediger kappa,
with the counts behind them: the units every coder (all), some but not
all (some) and no coder (none) applied the code to. A figure that cannot
be computed (a code nobody applied has no kappa) is shown as –, and is
"undefined": true in JSON. --codes limits the codes; by default they are
those the coders applied. --source limits the units to one source's (repeat
it for more), to see how two coders read one interview; the browser's
compare view shows the same figures. docs/agreement.md gives every formula.

--disagreements lists each unit the coders split on instead: its id, the
code, who applied it and who did not, and its text.

--table FILE.csv reads any reliability data instead of the project: the
unit id in the first column, one column per coder headed by their name, an
empty cell where a coder gave no value (the layout of Krippendorff's
examples and R's irr). --level says what the values are: nominal
(categories; the kappas are given too), ordinal, interval or ratio.
--coders picks columns.

--json prints {unit, coders, units, dropped, sources: [{source, units,
used, unseen_by}], resamples, seed, codes: [{code, units, coders, all,
some, none, by_coder, agreement, cohen, fleiss, brennan_prediger, alpha,
alpha_interval}], pooled, disagreements}, each statistic with its value,
undefined, observed and expected agreement and counts. --csv prints the
table as CSV.` + exitStatusHelp,
		Example: `  qcode agree --coders amina,ben
  qcode agree --coders amina,ben,rules --unit turn --codes humility,risk_aversion
  qcode agree --coders amina,ben --unit char
  qcode agree --coders amina,ben --disagreements
  qcode agree --coders amina,ben --source P03 --disagreements
  qcode agree --table ratings.csv --level ordinal`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, name := range agreeProjectFlags {
				if cmd.Flags().Changed(name) {
					o.projectFlags = append(o.projectFlags, name)
				}
			}
			return e.run(o, func() error { return runAgree(cmd.Context(), e, o) })
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.coders, "coders", nil, "the coders to compare, two or more (a,b,c); with --table, default every column")
	f.StringVar(&o.unit, "unit", "sentence", "the unit judged: sentence, paragraph, turn, source or char")
	f.StringSliceVar(&o.codes, "codes", nil, "only these codes (default: every code the coders applied)")
	f.StringArrayVarP(&o.sources, "source", "s", nil, "only this source's units (repeat for more)")
	f.StringVar(&o.level, "level", "nominal", "level of measurement: nominal; with --table also ordinal, interval or ratio")
	f.IntVar(&o.bootstrap, "bootstrap", 1000, "resamples for alpha's 95% interval; 0 for none")
	f.Uint64Var(&o.seed, "seed", 1, "seed of the bootstrap, so that a run can be repeated")
	f.BoolVar(&o.disagreements, "disagreements", false, "list each unit the coders split on, with its text")
	f.BoolVar(&o.json, "json", false, "print JSON")
	f.BoolVar(&o.csv, "csv", false, "print CSV")
	f.StringVar(&o.table, "table", "", "read reliability data from this CSV file instead of the project")
	cmd.RegisterFlagCompletionFunc("unit", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"sentence", "paragraph", "turn", "source", "char"}, cobra.ShellCompDirectiveNoFileComp
	})
	cmd.RegisterFlagCompletionFunc("source", func(cmd *cobra.Command, _ []string, s string) ([]string, cobra.ShellCompDirective) {
		return e.completeSources(cmd, nil, s)
	})
	return cmd
}

func runAgree(ctx context.Context, e *env, o agreeOptions) error {
	if o.json && o.csv {
		return &usageError{errors.New("--json and --csv: say one")}
	}
	if o.table != "" {
		if len(o.projectFlags) > 0 {
			return &usageError{fmt.Errorf("--%s works on a project's codings, not with --table", o.projectFlags[0])}
		}
		return e.run(o, func() error { return runAgreeTable(e, o) })
	}
	resamples := o.bootstrap
	if o.disagreements && !o.json && resamples > 0 {
		resamples = 0 // only the disagreements are printed
	}
	ao := app.AgreementOptions{Unit: o.unit, Coders: o.coders, Codes: o.codes, Sources: o.sources, Level: o.level,
		Bootstrap: resamples, Seed: o.seed, Disagreements: o.disagreements}
	if _, err := ao.Check(); err != nil {
		return err
	}
	p, err := e.open(ctx, readOnly, "agree")
	if err != nil {
		return err
	}
	defer p.Close()
	rep, err := p.Agreement(ctx, ao)
	if err != nil {
		return err
	}
	return printAgreement(e, rep, o)
}

// printAgreement prints an agreement as o asks: JSON, the disagreements,
// CSV, or a table for a person.
func printAgreement(e *env, rep *coding.AgreementReport, o agreeOptions) error {
	switch {
	case o.json:
		if !o.disagreements {
			rep.Disagreements = nil
		} else if rep.Disagreements == nil {
			rep.Disagreements = []coding.Disagreement{}
		}
		return writeJSON(e.stdout, rep)
	case o.disagreements:
		return printDisagreements(e, rep, o.csv)
	case o.csv:
		return app.WriteRowsCSV(e.stdout, agreementTable(rep).Strings(false))
	}
	if e.outTTY {
		e.printf("%s\n", usedUnits(rep.Unit, strings.Join(rep.Coders, ", "), rep.Units, rep.Dropped, rep.Sources))
	}
	if err := printRows(e, e.outTTY, agreementTable(rep).Strings(e.outTTY)); err != nil {
		return err
	}
	if e.outTTY {
		note := "alpha is nominal Krippendorff's alpha"
		if rep.Resamples > 0 {
			note += fmt.Sprintf(", alpha_low–alpha_high its bootstrap 95%% interval (%s resamples, seed %d)", report.Thousands(rep.Resamples), rep.Seed)
		}
		e.printf("%s; – cannot be computed (no variation). See docs/agreement.md\n", note)
	}
	return nil
}

// usedUnits says how many units an agreement used and dropped, and why.
func usedUnits(unit coding.Unit, who string, used, dropped int64, sources []coding.SourceUse) string {
	noun := string(unit)
	if unit == coding.UnitChar {
		noun = "character"
	}
	var in, out []string
	for _, s := range sources {
		if s.Used {
			in = append(in, s.Source)
		} else {
			out = append(out, s.Source)
		}
	}
	msg := fmt.Sprintf("%s: %s used, in %s", who, plural(int(used), noun), plural(len(in), "source"))
	if len(in) > 0 && len(in) <= 6 {
		msg += " (" + strings.Join(in, ", ") + ")"
	}
	if dropped > 0 || len(out) > 0 {
		msg += fmt.Sprintf("; %s dropped, in %s not coded by every coder", report.Thousands(int(dropped)), plural(len(out), "source"))
	}
	if len(in) == 0 {
		msg += "; no source was coded by every coder, so nothing can be compared"
	}
	return msg
}

// printDisagreements lists each unit and code the coders split on:
// segment, code, the coders who applied it and those who did not, and the
// unit's text on one line.
func printDisagreements(e *env, rep *coding.AgreementReport, asCSV bool) error {
	_, t := report.AgreementTables(rep, true)
	return printListing(e, t.Strings(false), asCSV, "disagreement")
}

func agreementTable(rep *coding.AgreementReport) *report.Table {
	t, _ := report.AgreementTables(rep, true)
	return t
}
