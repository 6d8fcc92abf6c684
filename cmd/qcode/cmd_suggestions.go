package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"qcode/app"
	"qcode/coding"
)

type suggestionsOptions struct {
	app.SuggestionsOptions
	json bool
}

// suggestionFlags adds the flags that choose suggestions.
func suggestionFlags(cmd *cobra.Command, o *suggestionsOptions) {
	f := cmd.Flags()
	f.StringVar(&o.Code, "code", "", "only suggestions of this code (its id, name or path)")
	f.StringVarP(&o.Source, "source", "s", "", "only suggestions in this source")
	f.Float64Var(&o.MinScore, "min-score", 0, "only suggestions scored at least this (0 to 1)")
}

func newSuggestionsCmd(e *env) *cobra.Command {
	var o suggestionsOptions
	cmd := &cobra.Command{
		Use:   "suggestions",
		Short: "List the codes suggested for uncoded sentences",
		Long: `List the codes the last 'qcode code --suggest' run suggested for sentences no
person coded, by source and sentence: id, segment, code, rank (1 is the
model's first choice for the sentence), score (the code's share of the
model's odds among the codes it suggests) and the sentence. --code, --source and
--min-score choose which. --json prints an array of {id, source, sentence,
start, end, code, score, rank, model_hash, created_at, text}; start and end
are characters.

Suggestions are not codings until a person accepts them: 'qcode suggestions
accept ID…' makes each a coding by the person accepting, with origin
"suggested"; 'qcode suggestions reject ID…' drops each, and later runs do
not suggest it again.` + exitStatusHelp,
		Example: `  qcode suggestions
  qcode suggestions --code humility --min-score 0.5
  qcode suggestions --json | jq -r '.[].id'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.run(o, func() error { return runSuggestions(cmd.Context(), e, o) })
		},
	}
	suggestionFlags(cmd, &o)
	cmd.Flags().BoolVar(&o.json, "json", false, "print JSON")
	cmd.AddCommand(newSuggestionsDecideCmd(e, true), newSuggestionsDecideCmd(e, false))
	return cmd
}

func runSuggestions(ctx context.Context, e *env, o suggestionsOptions) error {
	if err := o.Check(); err != nil {
		return err
	}
	p, err := e.open(ctx, readOnly, "suggestions")
	if err != nil {
		return err
	}
	defer p.Close()
	ss, err := p.Suggestions(ctx, o.SuggestionsOptions)
	if err != nil {
		return err
	}
	if o.json {
		return writeJSON(e.stdout, ss)
	}
	t := newTable(e.stdout, e.outTTY, "id", "segment", "code", "rank", "score", "text")
	for _, s := range ss {
		t.add(fmt.Sprint(s.ID), s.Segment(), s.Code, fmt.Sprint(s.Rank), fmt.Sprintf("%.2f", s.Score), strings.Join(strings.Fields(s.Text), " "))
	}
	if err := t.print(); err != nil {
		return err
	}
	if e.outTTY {
		e.printf("%s\n", plural(len(ss), "suggestion"))
	}
	return nil
}

func newSuggestionsDecideCmd(e *env, accept bool) *cobra.Command {
	var o suggestionsOptions
	use, short, long, example := "accept [ID…]", "Accept suggested codes: each becomes your coding", `Accept the suggestions named by id, or with no id every suggestion that
--code, --source and --min-score choose: each becomes a coding of its
sentence by the person accepting (--coder), with origin "suggested" and the
hash of the model that suggested it, and leaves the list. All are accepted
or none, and each is logged ('qcode log').`, `  qcode suggestions accept 12 15 --coder amina
  qcode suggestions accept --code humility --min-score 0.8 --coder amina`
	if !accept {
		use, short, long, example = "reject [ID…]", "Reject suggested codes: they are not suggested again", `Reject the suggestions named by id, or with no id every suggestion that
--code, --source and --min-score choose: each leaves the list, and later
'qcode code --suggest' runs do not suggest its code for its sentence again
while the source's text stays the same. All are rejected or none, and each
is logged ('qcode log').`, `  qcode suggestions reject 13 --coder amina
  qcode suggestions reject --code risk_aversion --source P03 --coder amina`
	}
	cmd := &cobra.Command{
		Use:     use,
		Short:   short,
		Long:    long + exitStatusHelp,
		Example: example,
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, a := range args {
				id, err := strconv.ParseInt(a, 10, 64)
				if err != nil || id <= 0 {
					return &usageError{errors.New("suggestion id " + strconv.Quote(a) + " is not a number; 'qcode suggestions' lists them with their ids")}
				}
				o.IDs = append(o.IDs, id)
			}
			return e.run(o, func() error { return runSuggestionsDecide(cmd.Context(), e, o, accept) })
		},
	}
	suggestionFlags(cmd, &o)
	who := "who accepts"
	if !accept {
		who = "who rejects"
	}
	cmd.Flags().StringVar(&o.Coder, "coder", "", who+" (default: $QCODE_CODER, else your user name)")
	return cmd
}

func runSuggestionsDecide(ctx context.Context, e *env, o suggestionsOptions, accept bool) error {
	if err := o.Check(); err != nil {
		return err
	}
	command := "suggestions reject"
	if accept {
		command = "suggestions accept"
	}
	p, err := e.open(ctx, readWrite, command)
	if err != nil {
		return err
	}
	defer p.Close()
	decide, verb := p.RejectSuggestions, "rejected"
	if accept {
		decide, verb = p.AcceptSuggestions, "accepted"
	}
	res, err := decide(ctx, o.SuggestionsOptions)
	if err != nil {
		return err
	}
	for _, s := range res.Suggestions {
		e.printf("%s %s on %s: %s\n", verb, s.Code, s.Segment(), excerpt(s.Text, 60))
	}
	if accept {
		e.printf("%s by %s (origin %s)", plural(res.Codings, "coding"), res.Coder, coding.OriginSuggested)
		if n := len(res.Suggestions) - res.Codings; n > 0 {
			e.printf("; %d %s had already", n, res.Coder)
		}
		e.printf("\n")
	}
	return p.Close()
}
