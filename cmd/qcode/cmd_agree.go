package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"qcode"
	"qcode/coding"
	"qcode/coding/agree"
	"qcode/coding/report"
	"qcode/export"
	"qcode/project"
)

type agreeOptions struct {
	coders        []string
	unit          string
	codes         []string
	level         string
	bootstrap     int
	seed          uint64
	disagreements bool
	json, csv     bool
	table         string   // --table: a CSV of reliability data, no project
	projectFlags  []string // flags given that only a project's codings take
}

// agreeProjectFlags are the flags of `qcode agree` that --table refuses.
var agreeProjectFlags = []string{"unit", "codes", "disagreements"}

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
those the coders applied. docs/agreement.md gives every formula.

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
  qcode agree --table ratings.csv --level ordinal`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, name := range agreeProjectFlags {
				if cmd.Flags().Changed(name) {
					o.projectFlags = append(o.projectFlags, name)
				}
			}
			return runAgree(cmd.Context(), e, o)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.coders, "coders", nil, "the coders to compare, two or more (a,b,c); with --table, default every column")
	f.StringVar(&o.unit, "unit", "sentence", "the unit judged: sentence, paragraph, turn, source or char")
	f.StringSliceVar(&o.codes, "codes", nil, "only these codes (default: every code the coders applied)")
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
	return cmd
}

func runAgree(ctx context.Context, e *env, o agreeOptions) error {
	if o.json && o.csv {
		return &usageError{errors.New("--json and --csv: say one")}
	}
	if o.bootstrap < 0 {
		return qcode.Errorf(qcode.EINVALID, "--bootstrap %d: say how many resamples, 0 or more (1000 is usual)", o.bootstrap)
	}
	level, err := agree.ParseLevel(o.level)
	if err != nil {
		return err
	}
	if o.table != "" {
		if len(o.projectFlags) > 0 {
			return &usageError{fmt.Errorf("--%s works on a project's codings, not with --table", o.projectFlags[0])}
		}
		return runAgreeTable(e, o, level)
	}
	unit, err := coding.ParseAgreementUnit(o.unit)
	if err != nil {
		return err
	}
	if level != agree.Nominal {
		return qcode.Errorf(qcode.EINVALID, "--level %s: a code is present or absent on a unit, which is nominal; --level %s is for --table data", level, level)
	}
	if err := checkCoderList(o.coders); err != nil {
		return err
	}
	p, err := e.open(ctx, project.ReadOnly, "agree")
	if err != nil {
		return err
	}
	defer p.Close()
	spec := coding.AgreementSpec{Unit: unit, Coders: o.coders, Codes: o.codes, Disagreements: o.disagreements}
	rel, err := e.reliability(ctx, p, spec)
	if err != nil {
		return err
	}
	resamples := o.bootstrap
	if o.disagreements && !o.json {
		resamples = 0 // only the disagreements are printed
	}
	rep, err := rel.Agreement(resamples, o.seed)
	if err != nil {
		return err
	}
	switch {
	case o.json:
		if !o.disagreements {
			rep.Disagreements = nil
		} else if rep.Disagreements == nil {
			rep.Disagreements = []coding.Disagreement{}
		}
		return writeJSON(e.stdout, rep)
	case o.disagreements:
		return printDisagreements(e, rep.Disagreements, o.csv)
	case o.csv:
		return writeCSV(e, agreementRows(rep, false))
	}
	if e.outTTY {
		e.printf("%s\n", usedUnits(rep.Unit, strings.Join(rep.Coders, ", "), rep.Units, rep.Dropped, rep.Sources))
	}
	if err := printRows(e, e.outTTY, agreementRows(rep, e.outTTY)); err != nil {
		return err
	}
	if e.outTTY {
		note := "alpha is nominal Krippendorff's alpha"
		if rep.Resamples > 0 {
			note += fmt.Sprintf(", low–high its bootstrap 95%% interval (%s resamples, seed %d)", thousands(rep.Resamples), rep.Seed)
		}
		e.printf("%s; bp is Brennan–Prediger kappa; – cannot be computed (no variation). See docs/agreement.md\n", note)
	}
	return nil
}

// checkCoderList checks --coders: two or more, each once.
func checkCoderList(coders []string) error {
	if len(coders) < 2 {
		return qcode.Errorf(qcode.EINVALID, "--coders: agreement compares two coders or more, given %d; say --coders amina,ben", len(coders))
	}
	for i, c := range coders {
		if c == "" {
			return qcode.Errorf(qcode.EINVALID, "--coders: an empty name (a stray comma?); say --coders amina,ben")
		}
		if slices.Contains(coders[:i], c) {
			return qcode.Errorf(qcode.EINVALID, "--coders: %q is named twice; name each coder once", c)
		}
	}
	return nil
}

// reliability checks spec's coders and codes against the project, orders
// the codes as the codebook does, and builds the coders' reliability data.
func (e *env) reliability(ctx context.Context, p *project.Project, spec coding.AgreementSpec) (*coding.Reliability, error) {
	codes, coders, err := p.CodingNames(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range spec.Coders {
		if !slices.Contains(coders, c) {
			if len(coders) == 0 {
				return nil, qcode.Errorf(qcode.ENOTFOUND, "no codings by %q: the project has no codings yet (see 'qcode coding import')", c)
			}
			return nil, qcode.Errorf(qcode.ENOTFOUND, "no codings by %q in the project%s (the coders are %s)", c, qcode.DidYouMean(c, coders), strings.Join(coders, ", "))
		}
	}
	// The codebook orders the codes; without one, the codings' codes do.
	if cb, _, err := e.loadCodebook(); err == nil {
		spec.Order = codeIDs(cb)
		for _, id := range spec.Order {
			if !slices.Contains(codes, id) {
				codes = append(codes, id)
			}
		}
	}
	for _, c := range spec.Codes {
		if !slices.Contains(codes, c) {
			return nil, qcode.Errorf(qcode.ENOTFOUND, "no code %q in the codebook or the project's codings%s (see 'qcode codebook show')", c, qcode.DidYouMean(c, codes))
		}
	}
	return p.Reliability(ctx, spec)
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
		msg += fmt.Sprintf("; %s dropped, in %s not coded by every coder", thousands(int(dropped)), plural(len(out), "source"))
	}
	if len(in) == 0 {
		msg += "; no source was coded by every coder, so nothing can be compared"
	}
	return msg
}

// agreementRows returns the header and one row per code, then the pooled
// row, for the table and CSV. On a terminal undefined figures show as –,
// elsewhere as empty cells.
func agreementRows(rep coding.AgreementReport, tty bool) [][]string {
	two := len(rep.Coders) == 2
	header := []string{"code", "units", "all", "some", "none", "agreement"}
	if two {
		header = append(header, "cohen")
	}
	header = append(header, "fleiss", "alpha", "low", "high", "bp")
	rows := [][]string{header}
	row := func(name string, ca coding.CodeAgreement) []string {
		r := []string{name, count(ca.Units, tty), count(ca.All, tty), count(ca.Some, tty), count(ca.None, tty),
			figure(ca.Agreement.Value, ca.Agreement.Undefined, tty)}
		if two {
			r = append(r, figure(ca.Cohen.Value, ca.Cohen.Undefined, tty))
		}
		r = append(r, figure(ca.Fleiss.Value, ca.Fleiss.Undefined, tty), figure(ca.Alpha.Value, ca.Alpha.Undefined, tty))
		if iv := ca.AlphaInterval; iv != nil {
			r = append(r, figure(iv.Low, iv.Undefined, tty), figure(iv.High, iv.Undefined, tty))
		} else {
			r = append(r, figure(0, true, tty), figure(0, true, tty))
		}
		return append(r, figure(ca.BrennanPrediger.Value, ca.BrennanPrediger.Undefined, tty))
	}
	for _, ca := range rep.Codes {
		rows = append(rows, row(ca.Code, ca))
	}
	return append(rows, row(report.PooledLabel, rep.Pooled))
}

// figure formats a statistic to three decimals: for people, undefined as
// –; for programs, undefined as an empty cell and full precision.
func figure(v float64, undefined, tty bool) string {
	switch {
	case undefined && tty:
		return "–"
	case undefined:
		return ""
	case tty:
		return strconv.FormatFloat(v, 'f', 3, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// count formats a count, with thousands separators for people.
func count(n int64, tty bool) string {
	if tty {
		return thousands(int(n))
	}
	return strconv.FormatInt(n, 10)
}

// disagreementRows returns the header and one row per unit and code the
// coders split on: segment, code, the coders who applied it and those who
// did not, and the unit's text on one line.
func disagreementRows(ds []coding.Disagreement) [][]string {
	rows := [][]string{{"segment", "code", "by", "not_by", "text"}}
	for _, d := range ds {
		for _, s := range d.Codes {
			rows = append(rows, []string{d.Segment, s.Code, strings.Join(s.By, ", "), strings.Join(s.NotBy, ", "), strings.Join(strings.Fields(d.Text), " ")})
		}
	}
	return rows
}

// printDisagreements lists each unit and code the coders split on.
func printDisagreements(e *env, ds []coding.Disagreement, asCSV bool) error {
	return printListing(e, disagreementRows(ds), asCSV, "disagreement")
}

// printListing prints rows, a header and one row per item, as CSV or as a
// table; a table on a terminal is followed by the count of items, each
// called noun.
func printListing(e *env, rows [][]string, asCSV bool, noun string) error {
	if asCSV {
		return writeCSV(e, rows)
	}
	if err := printRows(e, e.outTTY, rows); err != nil {
		return err
	}
	if e.outTTY {
		e.printf("%s\n", plural(len(rows)-1, noun))
	}
	return nil
}

// printRows prints rows as a table, the first row its header.
func printRows(e *env, tty bool, rows [][]string) error {
	t := newTable(e.stdout, tty, rows[0]...)
	for _, r := range rows[1:] {
		t.add(r...)
	}
	return t.print()
}

// writeCSV writes rows as CSV, guarding cells that a spreadsheet would
// run as a formula.
func writeCSV(e *env, rows [][]string) error {
	w := csv.NewWriter(e.stdout)
	for _, r := range rows {
		for i, c := range r {
			if !isNumber(c) {
				r[i] = export.EscapeFormula(c)
			}
		}
		if err := w.Write(r); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// tableReport is what `qcode agree --table` reports.
type tableReport struct {
	File            string           `json:"file"`
	Coders          []string         `json:"coders"`
	Level           agree.Level      `json:"level"`
	Units           int              `json:"units"` // rows of the table
	Agreement       agree.Percent    `json:"agreement"`
	Cohen           *agree.Kappa     `json:"cohen"`            // nominal, two coders
	Fleiss          *agree.Kappa     `json:"fleiss"`           // nominal
	BrennanPrediger *agree.Kappa     `json:"brennan_prediger"` // nominal
	Alpha           agree.Alpha      `json:"alpha"`
	AlphaInterval   *coding.Interval `json:"alpha_interval"`
}

// runAgreeTable measures the agreement in a CSV file of reliability data.
func runAgreeTable(e *env, o agreeOptions, level agree.Level) error {
	data, err := os.ReadFile(o.table)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return qcode.Errorf(qcode.ENOTFOUND, "%s: no such file; check the path", o.table)
		}
		return qcode.Errorf(qcode.EINVALID, "%s: cannot read: %v", o.table, err)
	}
	d, err := agree.ReadTable(o.table, data)
	if err != nil {
		return err
	}
	if len(o.coders) > 0 {
		if err := checkCoderList(o.coders); err != nil {
			return err
		}
		if d, err = d.Select(o.coders...); err != nil {
			return err
		}
	}
	if len(d.Coders) < 2 {
		return qcode.Errorf(qcode.EINVALID, "%s: %s, but agreement needs two coders or more; add a column per coder", o.table, plural(len(d.Coders), "coder column"))
	}
	rep := tableReport{File: o.table, Coders: d.Coders, Level: level, Units: len(d.Values)}
	if rep.Agreement, err = agree.PercentAgreement(d); err != nil {
		return err
	}
	if rep.Alpha, err = agree.KrippendorffAlpha(d, level); err != nil {
		return err
	}
	if o.bootstrap > 0 {
		iv, err := agree.Bootstrap(d, level, o.bootstrap, o.seed)
		if err != nil {
			return err
		}
		rep.AlphaInterval = coding.IntervalOf(iv)
	}
	if level == agree.Nominal {
		if len(d.Coders) == 2 {
			k, err := agree.CohenKappa(d)
			if err != nil {
				return err
			}
			rep.Cohen = &k
		}
		k, err := agree.FleissKappa(d)
		if err != nil {
			return err
		}
		rep.Fleiss = &k
		bp, err := agree.BrennanPrediger(d, 0)
		if err != nil {
			return err
		}
		rep.BrennanPrediger = &bp
	}
	if o.json {
		return writeJSON(e.stdout, rep)
	}
	tty := e.outTTY && !o.csv
	kappa := func(k *agree.Kappa) string {
		if k == nil {
			return figure(0, true, tty)
		}
		return figure(k.Value, k.Undefined, tty)
	}
	low, high := figure(0, true, tty), figure(0, true, tty)
	if iv := rep.AlphaInterval; iv != nil {
		low, high = figure(iv.Low, iv.Undefined, tty), figure(iv.High, iv.Undefined, tty)
	}
	rows := [][]string{
		{"level", "units", "dropped", "coders", "values", "agreement", "cohen", "fleiss", "alpha", "low", "high", "bp"},
		{level.String(), count(int64(rep.Alpha.Units), tty), count(int64(rep.Alpha.Dropped), tty), strconv.Itoa(len(d.Coders)), count(int64(rep.Alpha.Values), tty),
			figure(rep.Agreement.Value, rep.Agreement.Undefined, tty), kappa(rep.Cohen), kappa(rep.Fleiss),
			figure(rep.Alpha.Value, rep.Alpha.Undefined, tty), low, high, kappa(rep.BrennanPrediger)},
	}
	if o.csv {
		return writeCSV(e, rows)
	}
	if tty {
		e.printf("%s: %s (%s), %s\n", o.table, plural(len(d.Coders), "coder"), strings.Join(d.Coders, ", "), plural(len(d.Values), "unit"))
	}
	if err := printRows(e, tty, rows); err != nil {
		return err
	}
	if tty {
		e.printf("units, dropped and values are alpha's: units with two values or more, and the values in them; the kappas are for nominal data only\n")
	}
	return nil
}
