package main

import (
	"context"
	"iter"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"qcode"
	"qcode/app"
)

type searchOptions struct {
	app.SearchOptions
	json bool
	yes  bool
}

func newSearchCmd(e *env) *cobra.Command {
	var o searchOptions
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Find passages with a rule, in context, with filters and facets",
		Long: `Search the project's sentences (or turns) with QUERY, written in the rule
language of the codebook ('qcode codebook show' and the README list it:
words, prefix*, "phrases", NEAR/n, BEFORE/n, AND, OR, NOT, #code refs,
negation). A search finds exactly the segments that 'qcode code' would code
with QUERY as a code's rule: the index proposes candidates and the rules
engine decides each one. Negated mentions ("we never had a debrief") are
left out as the codebook's default, skip, says; --negation keep finds them
too and --negation only finds only them. As 'qcode code' does, a search
leaves out interviewers' turns, and says how many hits it left out;
--include-interviewer searches them too, and so does --speaker naming whom
to search.

Each hit is shown as keyword in context: segment id, speaker, the turn's
time (hh:mm:ss), then --width characters either side of the first match. Piped, the lines are
tab-separated; --json gives every match with its character span. The totals
go to the end (to stderr when piped).

--syntax bleve passes QUERY to bleve's query string syntax instead (fuzzy
word~1, boosts word^2, +must -mustnot), over the folded words, a plain word
finding its other forms by stem; no phrases; its hits are whole sentences.

--code-as CODE codes every hit (not only those shown) by --coder as codings
of origin "search", with the query as their memo, after asking (or --yes).

The search index lives in .qcode/index; it follows imports, and a missing,
stale or damaged index is rebuilt first, with a message.` + exitStatusHelp,
		Example: `  qcode search 'debrief* NEAR/5 (team OR together)'
  qcode search '"something to learn"' --attr role=NHS --speaker-not interviewer --width 60
  qcode search 'teach*' --code humility
  qcode search 'risk*' --include-interviewer
  qcode search 'humil*' --facet attr:role --facet code --facet source
  qcode search 'humil*' --json | jq .
  qcode search '"learned from" OR "learnt from"' --code-as learning_from_partner --coder amina --yes`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Query = args[0]
			heapFloor(searchHeapFloor)
			return e.run(o, func() error { return runSearch(cmd.Context(), e, o) })
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Syntax, "syntax", "rules", "query syntax: rules (the codebook's rule language) or bleve")
	f.StringVar(&o.Negation, "negation", "", "negated mentions: skip, keep or only (default: skip)")
	f.StringVar(&o.Unit, "unit", "sentence", "what a hit is: sentence or turn")
	f.StringSliceVar(&o.Sources, "source", nil, "only these sources (repeatable)")
	f.StringSliceVar(&o.Speakers, "speaker", nil, "only turns of this speaker, or of the role interviewer or participant (repeatable)")
	f.StringSliceVar(&o.NotSpeakers, "speaker-not", nil, "leave out turns of this speaker or role (repeatable)")
	f.BoolVar(&o.IncludeInterviewer, "include-interviewer", false, "search interviewers' turns too (left out by default, as coding leaves them out)")
	f.StringArrayVar(&o.Attrs, "attr", nil, "only cases with attribute KEY=VALUE (repeatable: AND across keys, OR within one)")
	f.StringVar(&o.Code, "code", "", "only segments with a coding of this code")
	f.StringVar(&o.Coder, "coder", "", "only segments coded by this coder; with --code-as, who codes")
	f.StringArrayVar(&o.Facets, "facet", nil, "count hits by code, speaker, source, case or attr:NAME (repeatable)")
	f.StringVar(&o.Sort, "sort", "document", "order of hits: document or relevance")
	f.IntVar(&o.Limit, "limit", 0, "show at most this many hits (default: all; totals count all)")
	f.IntVar(&o.Width, "width", 40, "characters of context either side of the match")
	f.BoolVar(&o.json, "json", false, "print JSON")
	f.StringVar(&o.CodeAs, "code-as", "", "code every hit with this code (by --coder)")
	f.BoolVarP(&o.yes, "yes", "y", false, "with --code-as, code without asking")
	cmd.ValidArgsFunction = cobra.NoFileCompletions
	return cmd
}

func runSearch(ctx context.Context, e *env, o searchOptions) error {
	if err := o.Check(e.appOptions(readOnly, "search")); err != nil {
		return err
	}
	if f, ok := e.stdin.(*os.File); o.CodeAs != "" && !o.yes && (!ok || !term.IsTerminal(int(f.Fd()))) {
		return qcode.Errorf(qcode.EINVALID, "--code-as %s codes every hit; say --yes to code them without being asked", o.CodeAs)
	}
	p, err := e.open(ctx, o.CodeAs == "", "search")
	if err != nil {
		return err
	}
	defer p.Close()
	o.NoMatches = !o.json // the lines show each hit's context, not its matches
	o.Stream = func(res *app.SearchResult, hits iter.Seq2[app.Hit, error]) error {
		indexNote(e, res)
		if o.json {
			return printSearchJSON(e, res, hits)
		}
		return printSearch(e, res, hits)
	}
	if o.CodeAs != "" {
		o.CodeAll = func(res *app.SearchResult) bool { return o.yes || askCodeAll(e, res) }
	}
	res, err := p.Search(ctx, o.SearchOptions)
	if err != nil {
		return err
	}
	printCoded(e, res)
	return nil
}
