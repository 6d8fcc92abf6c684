package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"qcode/app"
	"qcode/coding/report"
)

type codebookValidateOnOptions struct {
	file       string
	rollup     bool
	json       bool
	showErrors int
}

func newCodebookValidateOnCmd(e *env) *cobra.Command {
	var o codebookValidateOnOptions
	cmd := &cobra.Command{
		Use:   "validate-on FILE",
		Short: "Measure the codebook's rules on texts people coded (a pilot coding)",
		Long: `Run the codebook's rules over a set of texts a person coded by hand and
measure them against that coding, code by code: support (the texts the
person gave the code), found (the texts the rules gave it), true
positives, false positives, false negatives, precision TP/(TP+FP), recall
TP/(TP+FN) and F1 2TP/(2TP+FP+FN), then micro averages (the same formulas
on the counts summed over the codes) and macro averages (the mean of each
code's figure where it is defined; – when nothing divides). Each text is
one segment, coded whole exactly as 'qcode code' codes a sentence or turn:
the same tokens, rules and negation. No project is needed with --codebook.

FILE is CSV, TSV or XLSX with the columns text and codes (code ids, or
names, separated by ; or |) and an optional id; other columns are ignored.
A .jsonl or .ndjson file holds one object a line:
{"id": "q7", "text": "…", "codes": ["humility", "risk_aversion"]}.
A text with no codes is a negative example. A code the codebook lacks stops
the run with the row it is on.

Codes are measured on themselves: a person's humility does not count for
its parent Enablers unless --rollup says so, which then counts a code, the
person's and the rules', for each of its ancestors too. A code with no rule
is measured all the same (its recall is 0) and marked "no rule"; a code
coded by people (auto: false) is not measured, and is listed after the
table.

Then the first --show-errors false positives and negatives (10 unless
told; 0 for none): the text's id, the code, the kind, the text cut short,
and for a false positive the tokens its rule matched. --json prints
{file, codebook, texts, rollup, by_people, codes: [{code, path, has_rule, gold,
candidate, true_positives, false_positives, false_negatives,
true_negatives, precision, recall, f1, kappa}], micro, macro, errors: [{id,
code, kind, text, matched}]}, every error; gold is the support, candidate
what the rules found; precision, recall and f1 are {value, undefined}.` + exitStatusHelp,
		Example: `  qcode codebook validate-on pilot-quotes.csv
  qcode codebook validate-on pilot-quotes.csv --rollup --show-errors 3
  qcode codebook validate-on pilot-quotes.csv --codebook draft.yaml --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.file = args[0]
			return e.run(o, func() error { return runCodebookValidateOn(cmd.Context(), e, o) })
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.rollup, "rollup", false, "count each code for its ancestors too, the person's and the rules'")
	f.BoolVar(&o.json, "json", false, "print JSON")
	f.IntVar(&o.showErrors, "show-errors", 10, "list this many false positives and negatives (0 for none)")
	return cmd
}

func runCodebookValidateOn(ctx context.Context, e *env, o codebookValidateOnOptions) error {
	v, err := app.ValidateOn(ctx, e.appOptions(readOnly, "codebook validate-on"), app.ValidateOnOptions{File: o.file, Rollup: o.rollup})
	if err != nil {
		return err
	}
	if v.Encoding != "" {
		// On standard error: standard output is the table, for a script.
		fmt.Fprintf(e.stderr, "%s: not UTF-8; read as %s\n", safe(v.File), v.Encoding)
	}
	if o.json {
		return writeJSON(e.stdout, v)
	}
	tty := e.outTTY
	if tty {
		rolled := "each code on itself (--rollup counts codes for their parents)"
		if v.Rollup {
			rolled = "codes counted for their parents too"
		}
		e.printf("%s: %s, each coded whole by the rules of %s; %s\n", v.File, plural(v.Texts, "text"), v.Codebook, rolled)
	}
	rows := [][]string{{"code", "support", "found", "tp", "fp", "fn", "precision", "recall", "f1"}}
	var tp, fp, fn, gold, found int64
	for _, c := range v.Codes {
		name := c.Code
		if !c.HasRule && tty {
			name += " (no rule)"
		}
		rows = append(rows, []string{name, report.Count(c.Gold, tty), report.Count(c.Candidate, tty), report.Count(c.TruePositives, tty),
			report.Count(c.FalsePositives, tty), report.Count(c.FalseNegatives, tty), score(c.Precision, tty), score(c.Recall, tty), score(c.F1, tty)})
		tp, fp, fn = tp+c.TruePositives, fp+c.FalsePositives, fn+c.FalseNegatives
		gold, found = gold+c.Gold, found+c.Candidate
	}
	rows = append(rows,
		[]string{"(micro)", report.Count(gold, tty), report.Count(found, tty), report.Count(tp, tty), report.Count(fp, tty), report.Count(fn, tty),
			score(v.Micro.Precision, tty), score(v.Micro.Recall, tty), score(v.Micro.F1, tty)},
		[]string{"(macro)", "", "", "", "", "", score(v.Macro.Precision, tty), score(v.Macro.Recall, tty), score(v.Macro.F1, tty)})
	if err := printRows(e, tty, rows); err != nil {
		return err
	}
	if len(v.ByPeople) > 0 && tty {
		e.printf("not measured, coded by people: %s\n", strings.Join(v.ByPeople, ", "))
	}
	n := min(max(o.showErrors, 0), len(v.Errors))
	if n == 0 {
		return nil
	}
	e.printf("\n")
	if tty {
		more := ""
		if n < len(v.Errors) {
			more = fmt.Sprintf(" (the first %d; --show-errors %d lists them all)", n, len(v.Errors))
		}
		e.printf("%s%s:\n", plural(len(v.Errors), "false positive or negative"), more)
	}
	errs := [][]string{{"id", "code", "kind", "text", "matched"}}
	for _, x := range v.Errors[:n] {
		kind := x.Kind
		text := truncate(strings.Join(strings.Fields(x.Text), " "), 70)
		if tty {
			kind = strings.ReplaceAll(kind, "_", " ")
		}
		errs = append(errs, []string{x.ID, x.Code, kind, text, strings.Join(x.Matched, " ")})
	}
	return printRows(e, tty, errs)
}
