package main

import (
	"context"
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"qcode/app"
	"qcode/coding"
	"qcode/coding/report"
)

type validateOptions struct {
	gold, candidate string
	unit            string
	codes           []string
	errors          bool
	json, csv       bool
}

func newValidateCmd(e *env) *cobra.Command {
	var o validateOptions
	cmd := &cobra.Command{
		Use:   "validate --gold CODER",
		Short: "Measure the rules (or any coder) against a person's coding",
		Long: `Measure a candidate coder, the rules by default, against a gold-standard
coder, a person, code by code: on each unit (a sentence by default; --unit
paragraph, turn, source or char), a true positive is coded by both, a false
positive by the candidate only, a false negative by the gold coder only.

For each code it gives precision TP/(TP+FP) (of what the candidate coded,
the share the person coded too), recall TP/(TP+FN) (of what the person
coded, the share the candidate found), F1 2TP/(2TP+FP+FN) and Cohen's
kappa; then micro averages (the same formulas on the counts summed over
the codes) and macro averages (the mean of each code's figure, over the
codes where it is defined). A figure with nothing to divide by (precision
of a code the candidate never applied) is shown as –. Units are used, and
dropped, as in 'qcode agree': only sources both coders have seen count.

--errors lists each false positive and false negative instead, with the
unit's id and text, so you can see what to change in a rule. --json prints
{unit, gold, candidate, units, dropped, sources, codes: [{code, gold,
candidate, true_positives, false_positives, false_negatives,
true_negatives, precision, recall, f1, kappa}], micro, macro, kappa,
errors: [{code, kind, segment, source, start, end, text}]}; precision,
recall and f1 are {value, undefined}, and macro ones say how many codes
they average.` + exitStatusHelp,
		Example: `  qcode validate --gold amina
  qcode validate --gold amina --codes humility,risk_aversion --errors
  qcode validate --gold amina --candidate ben --unit turn --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.run(o, func() error { return runValidate(cmd.Context(), e, o) })
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.gold, "gold", "", "the coder taken as right (required)")
	f.StringVar(&o.candidate, "candidate", coding.RulesCoder, "the coder measured")
	f.StringVar(&o.unit, "unit", "sentence", "the unit judged: sentence, paragraph, turn, source or char")
	f.StringSliceVar(&o.codes, "codes", nil, "only these codes (default: every code either coder applied)")
	f.BoolVar(&o.errors, "errors", false, "list each false positive and false negative, with its text")
	f.BoolVar(&o.json, "json", false, "print JSON")
	f.BoolVar(&o.csv, "csv", false, "print CSV")
	return cmd
}

func runValidate(ctx context.Context, e *env, o validateOptions) error {
	if o.json && o.csv {
		return &usageError{errors.New("--json and --csv: say one")}
	}
	vo := app.ValidateOptions{Gold: o.gold, Candidate: o.candidate, Unit: o.unit, Codes: o.codes, Errors: o.errors || o.json}
	if _, err := vo.Check(); err != nil {
		return err
	}
	p, err := e.open(ctx, readOnly, "validate")
	if err != nil {
		return err
	}
	defer p.Close()
	rep, err := p.Validate(ctx, vo)
	if err != nil {
		return err
	}
	switch {
	case o.json:
		return writeJSON(e.stdout, rep)
	case o.errors:
		return printValidationErrors(e, rep.Errors, o.csv)
	}
	tty := e.outTTY && !o.csv
	rows := [][]string{{"code", "gold", "candidate", "tp", "fp", "fn", "precision", "recall", "f1", "kappa"}}
	var tp, fp, fn, gold, cand int64
	for _, v := range rep.Codes {
		rows = append(rows, []string{v.Code, report.Count(v.Gold, tty), report.Count(v.Candidate, tty), report.Count(v.TruePositives, tty), report.Count(v.FalsePositives, tty), report.Count(v.FalseNegatives, tty),
			score(v.Precision, tty), score(v.Recall, tty), score(v.F1, tty), report.Figure(v.Kappa.Value, v.Kappa.Undefined, tty)})
		tp, fp, fn = tp+v.TruePositives, fp+v.FalsePositives, fn+v.FalseNegatives
		gold, cand = gold+v.Gold, cand+v.Candidate
	}
	rows = append(rows,
		[]string{"(micro)", report.Count(gold, tty), report.Count(cand, tty), report.Count(tp, tty), report.Count(fp, tty), report.Count(fn, tty),
			score(rep.Micro.Precision, tty), score(rep.Micro.Recall, tty), score(rep.Micro.F1, tty), report.Figure(rep.Kappa.Value, rep.Kappa.Undefined, tty)},
		[]string{"(macro)", "", "", "", "", "", score(rep.Macro.Precision, tty), score(rep.Macro.Recall, tty), score(rep.Macro.F1, tty), ""})
	if o.csv {
		return app.WriteRowsCSV(e.stdout, rows)
	}
	if tty {
		e.printf("%s\n", usedUnits(rep.Unit, rep.Candidate+" against "+rep.Gold+" (gold)", rep.Units, rep.Dropped, rep.Sources))
	}
	if err := printRows(e, tty, rows); err != nil {
		return err
	}
	if tty {
		e.printf("kappa is Cohen's (micro: pooled over the codes); – cannot be computed. %s and %s: list them with --errors\n",
			plural(int(fp), "false positive"), plural(int(fn), "false negative"))
	}
	return nil
}

// score formats a precision, recall or F1 as figure does.
func score(s coding.Score, tty bool) string { return report.Figure(s.Value, s.Undefined, tty) }

// printValidationErrors lists each false positive and false negative.
func printValidationErrors(e *env, errs []coding.ValidationError, asCSV bool) error {
	rows := [][]string{{"code", "kind", "segment", "text"}}
	for _, v := range errs {
		kind := v.Kind
		if e.outTTY && !asCSV {
			kind = strings.ReplaceAll(kind, "_", " ")
		}
		rows = append(rows, []string{v.Code, kind, v.Segment, strings.Join(strings.Fields(v.Text), " ")})
	}
	return printListing(e, rows, asCSV, "error")
}
