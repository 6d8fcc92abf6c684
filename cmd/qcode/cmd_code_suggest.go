package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"qcode/app"
	"qcode/coding"
)

const suggestHelp = `

With --suggest, qcode code does not run the rules: it trains a model on the
sentences people coded (every person's codings, or --coder's), and stores,
for each sentence no person coded, the --top codes (3) it finds likeliest,
with their scores: each code's share of the model's odds among the codes
it suggests. The model is a naive Bayes that weighs each code against the
others, over a sentence's words, two-word phrases and five-letter stems,
the words of the sentences beside it in its turn, the interviewer's
question before the turn, and the codebook's rules that match it. A code
is suggested only once people have coded --min-examples sentences (10)
with it. Suggestions are not codings: no report, workbook, agreement
figure or export counts them until a person accepts them ('qcode
suggestions accept'), which makes a coding by that person with origin
"suggested" that names the model's hash (a hash of the codings it learnt
from and of the codebook). A run replaces the last run's suggestions and
leaves out those people rejected.

It prints how often the model ranks a right code first (top-1) and among
its first three (top-3), by 5-fold cross-validation by source: each
source's coded sentences are ranked by a model trained on the other
sources, so the figures say how it does on a source nobody coded. --json
prints {coder, model_hash, min_examples, top, sources, coded, uncoded,
suggested, folds, overall: {examples, on, tested, top1, top3}, codes:
[{code, examples, on, tested, top1, top3}], unknown}.`

const suggestExample = `
  qcode code --suggest
  qcode code --suggest --coder amina --min-examples 20 --top 2`

// Flags of `qcode code` that only --suggest takes, and those it refuses.
var (
	suggestOnlyFlags = []string{"coder", "top", "min-examples"}
	notSuggestFlags  = []string{"dry-run", "unit", "source", "include-interviewer", "stdin"}
)

type codeSuggestOptions struct {
	app.SuggestCodesOptions
	json bool
}

// checkSuggestMode refuses, as a usage error, a flag --suggest does not
// take, or a flag only --suggest takes given without it.
func checkSuggestMode(cmd *cobra.Command, suggest bool) error {
	names, why := suggestOnlyFlags, " works only with --suggest"
	if suggest {
		names, why = notSuggestFlags, ": --suggest trains on people's codings and runs no rules"
	}
	for _, name := range names {
		if f := cmd.Flags().Lookup(name); f != nil && f.Changed {
			if suggest {
				return &usageError{errors.New("--suggest cannot be used with --" + name + why)}
			}
			return &usageError{errors.New("--" + name + why)}
		}
	}
	return nil
}

// runCodeSuggest trains the suggestion model, stores its suggestions and
// prints its cross-validation.
func runCodeSuggest(ctx context.Context, e *env, o codeSuggestOptions) error {
	if err := o.Check(); err != nil {
		return err
	}
	p, err := e.open(ctx, readWrite, "code --suggest")
	if err != nil {
		return err
	}
	defer p.Close()
	res, err := p.SuggestCodes(ctx, o.SuggestCodesOptions)
	if err != nil {
		return err
	}
	if err := p.Close(); err != nil {
		return err
	}
	if o.json {
		return writeJSON(e.stdout, res)
	}
	t := newTable(e.stdout, e.outTTY, "code", "examples", "suggested", "tested", "top-1", "top-3")
	var off []string
	for _, c := range res.Codes {
		if !c.On {
			off = append(off, fmt.Sprintf("%s (%d)", c.Code, c.Examples))
			continue
		}
		t.add(c.Code, fmt.Sprint(c.Examples), "yes", fmt.Sprint(c.Tested), rate(c.Top1, c.Tested), rate(c.Top3, c.Tested))
	}
	ov := res.Overall
	t.add("(any right code)", fmt.Sprint(ov.Examples), "", fmt.Sprint(ov.Tested), rate(ov.Top1, ov.Tested), rate(ov.Top3, ov.Tested))
	if err := t.print(); err != nil {
		return err
	}
	out := e.stdout
	if !e.outTTY {
		out = e.stderr
	}
	if res.Folds == 0 {
		fmt.Fprintln(out, "no cross-validation: people coded fewer than 2 sources, and a source's sentences are never split between training and testing")
	} else {
		fmt.Fprintf(out, "cross-validation: %d folds by source (%s coded by people)\n", res.Folds, plural(res.Sources, "source"))
	}
	if len(off) > 0 {
		fmt.Fprintf(out, "not suggested, fewer than %d examples: %s\n", res.MinExamples, strings.Join(off, ", "))
	}
	if len(res.Unknown) > 0 {
		fmt.Fprintf(out, "not learnt, not in the codebook: %s\n", strings.Join(res.Unknown, ", "))
	}
	fmt.Fprintf(out, "stored %s for %s no person coded (model %s); review them with qcode suggestions\n",
		plural(res.Suggested, "suggestion"), plural(res.Uncoded, "sentence"), coding.ShortHash(res.ModelHash))
	return nil
}

// rate prints a fraction of n tested as a percentage, or "-" when none was.
func rate(v float64, n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*v)
}
