package main

import (
	"bufio"
	"context"
	"fmt"
	"iter"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"qcode"
	"qcode/app"
	"qcode/corpus"
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
	// On a pipe the hits are printed as the search makes them, one at a
	// time, however many there are; a terminal's lines are aligned on the
	// widest left context, so they wait for every hit.
	stream := !o.json && !e.outTTY
	o.NoMatches = !o.json // the lines show each hit's context, not its matches
	if stream {
		o.Stream = func(res *app.SearchResult, hits iter.Seq2[app.Hit, error]) error {
			indexNote(e, res)
			return printSearch(e, res, hits)
		}
	}
	res, err := p.Search(ctx, o.SearchOptions)
	if err != nil {
		return err
	}
	// One search a run: let go of the index at once, so that another
	// qcode's update may remove its generation while this one prints or
	// asks.
	if err := p.CloseIndex(); err != nil {
		return err
	}
	switch {
	case stream:
	case o.json:
		indexNote(e, res)
		if err := writeJSON(e.stdout, res.Result); err != nil {
			return err
		}
	default:
		indexNote(e, res)
		if err := printSearch(e, res, listed(res.Hits)); err != nil {
			return err
		}
	}
	if o.CodeAs != "" && res.Total > 0 {
		return codeHits(ctx, e, p, res, o.yes)
	}
	return nil
}

// listed gives hits already made as printSearch takes them.
func listed(hits []app.Hit) iter.Seq2[app.Hit, error] {
	return func(yield func(app.Hit, error) bool) {
		for _, h := range hits {
			if !yield(h, nil) {
				return
			}
		}
	}
}

// indexNote says, on stderr, when the search had to bring the index up
// to date first, or searched it as it was.
func indexNote(e *env, res *app.SearchResult) {
	switch {
	case res.Index != nil && res.Index.Stale:
		fmt.Fprintln(e.stderr, "another qcode is bringing the search index up to date; searched it as it was (search again for the latest sources)")
	case res.Index != nil:
		fmt.Fprintf(e.stderr, "the search index was %s; indexed %s (%s)\n", res.Index.Reason, plural(res.Index.Added, "source"), plural(res.Index.Docs, "sentence"))
	}
}

// printSearch prints the hits in context, in order, then the totals and
// facets: on a pipe each hit as it comes, buffered, on a terminal all of
// them aligned.
func printSearch(e *env, res *app.SearchResult, hits iter.Seq2[app.Hit, error]) error {
	n := 0 // the hits shown
	if res.Total == 0 {
		fmt.Fprintln(e.stdout, safe(res.Nothing(flagName)))
		return nil
	}
	if e.outTTY {
		// Keyword in context: the match lines up, the left context is
		// right-aligned up to it.
		var all []app.Hit
		width := 0
		for h, err := range hits {
			if err != nil {
				return err
			}
			width = max(width, utf8.RuneCountInString(h.Left))
			all = append(all, h)
		}
		n = len(all)
		for _, h := range all {
			pad := strings.Repeat(" ", width-utf8.RuneCountInString(h.Left))
			match := "\x1b[1m" + h.Match + "\x1b[0m"
			fmt.Fprintf(e.stdout, "%-12s %-14s %8s  %s%s %s %s\n", safe(h.Segment), safe(truncate(corpus.SpeakerLabel(h.Speaker), 14)), clock(h.Time), pad, h.Left, match, h.Right)
		}
	} else {
		w := bufio.NewWriterSize(e.stdout, 64<<10)
		if err := writeTSV(w, "segment", "speaker", "time", "left", "match", "right"); err != nil {
			return err
		}
		for h, err := range hits {
			if err != nil {
				return err
			}
			if err := writeTSV(w, h.Segment, corpus.SpeakerLabel(h.Speaker), clock(h.Time), h.Left, h.Match, h.Right); err != nil {
				return err
			}
			n++
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	out := e.stdout
	if !e.outTTY {
		out = e.stderr
	}
	var per []string
	for i, c := range res.BySource {
		if i == maxSourcesListed && len(res.BySource) > i+1 {
			per = append(per, fmt.Sprintf("and %d more (--json lists all)", len(res.BySource)-i))
			break
		}
		per = append(per, fmt.Sprintf("%s %d", safe(c.Value), c.Count))
	}
	shown := ""
	if n < res.Total {
		shown = fmt.Sprintf(" (%d shown)", n)
	}
	fmt.Fprintf(out, "%s%s in %s: %s\n", plural(res.Total, string(res.Unit)), shown, plural(len(res.BySource), "source"), strings.Join(per, ", "))
	for _, f := range res.Facets {
		var vs []string
		for _, v := range f.Values {
			if f.Field == "speaker" {
				v.Value = corpus.SpeakerLabel(v.Value)
			}
			vs = append(vs, fmt.Sprintf("%s %d", safe(v.Value), v.Count))
		}
		fmt.Fprintf(out, "by %s: %s\n", f.Field, strings.Join(vs, ", "))
	}
	if s := res.LeftOut(flagName); s != "" {
		fmt.Fprintln(out, s)
	}
	return nil
}

// flagName names a search option as the command line's flag.
func flagName(field string) string { return "--" + field }

// maxSourcesListed is how many sources the totals line names.
const maxSourcesListed = 12

// clock prints a turn's time as hh:mm:ss, as show and the workbook do, or
// nothing.
func clock(ms *int64) string {
	if ms == nil {
		return ""
	}
	return corpus.Time(*ms).Clock()
}

// codeHits codes every hit of a search with its code, after asking.
func codeHits(ctx context.Context, e *env, p *app.Project, res *app.SearchResult, yes bool) error {
	code, coder := res.CodeAs(), res.Coder()
	if !yes {
		fmt.Fprintf(e.stderr, "Code %s as %s by %s? [y/N] ", plural(res.Total, string(res.Unit)), code, coder)
		line, _ := bufio.NewReader(e.stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
			fmt.Fprintln(e.stderr, "nothing coded")
			return nil
		}
	}
	added, existing, err := p.CodeHits(ctx, res, app.CodeHitsOptions{})
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("coded %s as %s by %s", plural(added, string(res.Unit)), code, coder)
	if existing > 0 {
		msg += fmt.Sprintf("; %d already had it", existing)
	}
	fmt.Fprintln(e.stderr, msg)
	return nil
}
