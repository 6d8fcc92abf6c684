package main

import (
	"context"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"qcode/app"
	"qcode/coding/report"
)

type codebookSuggestOptions struct {
	coder, code  string
	top          int
	minPrecision float64
	apply, json  bool
}

func newCodebookSuggestCmd(e *env) *cobra.Command {
	var o codebookSuggestOptions
	cmd := &cobra.Command{
		Use:   "suggest",
		Short: "Propose rule terms for each code from the codings people made",
		Long: `Read the sentences people coded (--coder: one person's codings only) and
propose, for each code, the words and two-word phrases that mark its
sentences apart from all the others, as terms its rule could add.

Terms are ranked by z, the z-score of their weighted log-odds ratio with an
informative Dirichlet prior (Monroe, Colaresi and Quinn 2008, "Fightin'
Words", Political Analysis 16(4)): the log-odds of the term in the code's
sentences against the rest, shrunk towards the whole corpus's rate (the
prior is the corpus's counts scaled to 1,000), over its standard error; only
terms used twice or more with z of 1.96 or more are considered, the
corpus's 100 commonest words alone are not, and words of one family among
the top ones (guideline, guidelines) become one wildcard (guideline*). Each
term is tried as a rule on the same codings: precision (of the sentences it
matches, the share people gave the code), recall (of the sentences people
coded, the share it matches), and adds (coded sentences the code's rule
misses that it matches). A term is kept when it adds some, its precision is
at least --min-precision, and the rule with it has a higher F1 on these
codings than without; of the 5 × --top best candidates, the --top best
kept are listed. Words are compared
as rules compare them: the tokens of import, lower case. Interviewers'
turns are left out, as the rules leave them, and only sources the people
coded are read.

--apply writes the terms into codebook.yaml, as text, comments kept: each
code's rule becomes "RULE OR term OR term", or the terms alone for a code
with no rule. Run 'qcode code' then, and 'qcode validate --gold' to see
what they do against another coder. These figures are on the codings the
terms were learnt from, so they flatter: measure on codings kept apart.

The first table lists the terms (code, term, count, z, precision, recall,
adds, words for a wildcard); the second each code's rule on these codings
now and with the terms. --json prints {coder, codebook, sources, sentences,
alpha0, applied, codes: [{code, path, sentences, rule, before, terms:
[{term, words, count, log_odds, z, matched, precision, recall, f1, adds}],
new_rule, after}]}; before and after are {matched, precision, recall, f1},
each figure {value, undefined}.` + exitStatusHelp,
		Example: `  qcode codebook suggest --coder amina
  qcode codebook suggest --coder amina --code risk_aversion --top 3
  qcode codebook suggest --coder ben --min-precision 0.9 --apply`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.run(o, func() error { return runCodebookSuggest(cmd.Context(), e, o) })
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.coder, "coder", "", "learn from this person's codings only (default: every person's)")
	f.StringVar(&o.code, "code", "", "only this code (id, name or path)")
	f.IntVar(&o.top, "top", app.DefaultSuggestTop, "terms proposed per code, at most")
	f.Float64Var(&o.minPrecision, "min-precision", 0.75, "leave out terms whose precision as a rule is lower (0 to 1)")
	f.BoolVar(&o.apply, "apply", false, "write the terms into the codes' rules in codebook.yaml")
	f.BoolVar(&o.json, "json", false, "print JSON")
	return cmd
}

func runCodebookSuggest(ctx context.Context, e *env, o codebookSuggestOptions) error {
	so := app.SuggestRulesOptions{Coder: o.coder, Code: o.code, Top: o.top, MinPrecision: o.minPrecision, Apply: o.apply}
	if err := so.Check(); err != nil {
		return err
	}
	p, err := e.open(ctx, !o.apply, "codebook suggest")
	if err != nil {
		return err
	}
	defer p.Close()
	res, err := p.SuggestRules(ctx, so)
	if err != nil {
		return err
	}
	if o.json {
		return writeJSON(e.stdout, res)
	}
	tty := e.outTTY
	if tty {
		whose := "people's"
		if res.Coder != "" {
			whose = res.Coder + "'s"
		}
		e.printf("Learnt from %s codings: %s of %s\n", whose, plural(res.Sentences, "sentence"), plural(res.Sources, "source"))
	}
	terms := [][]string{{"code", "term", "count", "z", "precision", "recall", "adds", "words"}}
	rules := [][]string{{"code", "sentences", "precision", "recall", "f1", "new precision", "new recall", "new f1"}}
	n := 0
	for _, c := range res.Codes {
		for i, t := range c.Terms {
			code := c.Code
			if tty && i > 0 {
				code = ""
			}
			terms = append(terms, []string{code, t.Term, strconv.Itoa(t.Count), strconv.FormatFloat(t.Z, 'f', 2, 64),
				score(t.Precision, tty), score(t.Recall, tty), strconv.Itoa(t.Adds), strings.Join(t.Words, " ")})
			n++
		}
		rules = append(rules, []string{c.Code, report.Count(int64(c.Sentences), tty), score(c.Before.Precision, tty), score(c.Before.Recall, tty),
			score(c.Before.F1, tty), score(c.After.Precision, tty), score(c.After.Recall, tty), score(c.After.F1, tty)})
	}
	if err := printRows(e, tty, terms); err != nil {
		return err
	}
	e.printf("\n")
	if err := printRows(e, tty, rules); err != nil {
		return err
	}
	if tty {
		switch {
		case res.Applied && n > 0:
			e.printf("wrote %s into %s; run qcode code to code with them\n", plural(n, "term"), res.Codebook)
		case n > 0:
			e.printf("%s proposed; --apply writes them into %s\n", plural(n, "term"), res.Codebook)
		default:
			e.printf("no term proposed: none marks a code's sentences apart and raises its rule's F1 on these codings\n")
		}
	}
	return nil
}
