package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
	"qcode/project"
	"qcode/search"
)

type searchOptions struct {
	query       string
	syntax      string
	negation    string
	unit        string
	sources     []string
	speakers    []string
	notSpeakers []string
	attrs       []string
	code, coder string
	facets      []string
	sort        string
	limit       int
	width       int
	json        bool
	codeAs      string
	yes         bool
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
too and --negation only finds only them. Unlike 'qcode code', a search
includes interviewers' turns unless you say --speaker-not interviewer.

Each hit is shown as keyword in context: source, segment id, speaker, time,
then --width characters either side of the first match. Piped, the lines are
tab-separated; --json gives every match with its character span. The totals
go to the end (to stderr when piped).

--syntax bleve passes QUERY to bleve's query string syntax instead (fuzzy
word~1, boosts word^2, +must -mustnot), over a stemmed field; its hits are
whole sentences.

--code-as CODE codes every hit (not only those shown) by --coder as codings
of origin "search", with the query as their memo, after asking (or --yes).

The search index lives in .qcode/index; it follows imports, and a missing or
stale index is rebuilt first, with a message.` + exitStatusHelp,
		Example: `  qcode search 'debrief* NEAR/5 (team OR together)'
  qcode search '"something to learn"' --attr role=NHS --speaker-not interviewer --width 60
  qcode search 'risk*' --code humility
  qcode search 'humil*' --facet attr:role --facet code --facet source
  qcode search 'humil*' --json | jq .
  qcode search 'lesson* NEAR/3 learn*' --code-as learning_from_lmic --coder amina`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.query = args[0]
			return runSearch(cmd.Context(), e, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.syntax, "syntax", "rules", "query syntax: rules (the codebook's rule language) or bleve")
	f.StringVar(&o.negation, "negation", "", "negated mentions: skip, keep or only (default: skip)")
	f.StringVar(&o.unit, "unit", "sentence", "what a hit is: sentence or turn")
	f.StringSliceVar(&o.sources, "source", nil, "only these sources (repeatable)")
	f.StringSliceVar(&o.speakers, "speaker", nil, "only turns of this speaker, or of the role interviewer or participant (repeatable)")
	f.StringSliceVar(&o.notSpeakers, "speaker-not", nil, "leave out turns of this speaker or role (repeatable)")
	f.StringArrayVar(&o.attrs, "attr", nil, "only cases with attribute KEY=VALUE (repeatable: AND across keys, OR within one)")
	f.StringVar(&o.code, "code", "", "only segments with a coding of this code")
	f.StringVar(&o.coder, "coder", "", "only segments coded by this coder; with --code-as, who codes")
	f.StringArrayVar(&o.facets, "facet", nil, "count hits by code, speaker, source, case or attr:NAME (repeatable)")
	f.StringVar(&o.sort, "sort", "document", "order of hits: document or relevance")
	f.IntVar(&o.limit, "limit", 0, "show at most this many hits (default: all; totals count all)")
	f.IntVar(&o.width, "width", 40, "characters of context either side of the match")
	f.BoolVar(&o.json, "json", false, "print JSON")
	f.StringVar(&o.codeAs, "code-as", "", "code every hit with this code (by --coder)")
	f.BoolVarP(&o.yes, "yes", "y", false, "with --code-as, code without asking")
	cmd.ValidArgsFunction = cobra.NoFileCompletions
	return cmd
}

func runSearch(ctx context.Context, e *env, o searchOptions) error {
	req := search.Request{Query: o.query, Sources: o.sources, Speakers: o.speakers, NotSpeakers: o.notSpeakers,
		Code: o.code, Facets: o.facets, Sort: o.sort, Limit: o.limit, Width: o.width, Unit: coding.Unit(o.unit)}
	if o.codeAs == "" {
		req.Coder = o.coder
	}
	switch o.syntax {
	case "rules":
	case "bleve":
		req.Bleve = true
	default:
		return qcode.Errorf(qcode.EINVALID, "--syntax %s: say rules or bleve", o.syntax)
	}
	switch o.sort {
	case "document", "relevance":
	default:
		return qcode.Errorf(qcode.EINVALID, "--sort %s: say document or relevance", o.sort)
	}
	if o.limit < 0 || o.width < 0 {
		return qcode.Errorf(qcode.EINVALID, "--limit and --width take a number of 0 or more")
	}
	if strings.TrimSpace(o.query) == "" {
		return qcode.Errorf(qcode.EINVALID, "the query is empty; say what to search for, e.g. 'debrief*'")
	}
	switch mode := codebook.NegationMode(o.negation); mode {
	case "", codebook.NegationSkip, codebook.NegationKeep, codebook.NegationOnly:
		req.Negation = mode
	default:
		return qcode.Errorf(qcode.EINVALID, "--negation %s: say skip, keep or only", o.negation)
	}
	if len(o.attrs) > 0 {
		req.Attrs = map[string][]string{}
		for _, kv := range o.attrs {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" || v == "" {
				return qcode.Errorf(qcode.EINVALID, "--attr %s: say KEY=VALUE, e.g. --attr role=NHS", kv)
			}
			req.Attrs[k] = append(req.Attrs[k], v)
		}
	}
	cb, path, err := e.loadCodebook()
	if err != nil {
		return err
	}
	if req.Matcher, err = codebook.NewMatcher(cb); err != nil {
		return err
	}
	var coder string
	mode := project.ReadOnly
	if o.codeAs != "" {
		if err := checkCode(cb, path, o.codeAs); err != nil {
			return err
		}
		if coder, err = coderName(o.coder); err != nil {
			return err
		}
		if f, ok := e.stdin.(*os.File); !o.yes && (!ok || !term.IsTerminal(int(f.Fd()))) {
			return qcode.Errorf(qcode.EINVALID, "--code-as %s codes every hit; say --yes to code them without being asked", o.codeAs)
		}
		mode = project.ReadWrite
	}
	p, err := e.open(ctx, mode, "search")
	if err != nil {
		return err
	}
	defer p.Close()
	eng := search.NewEngine(p.IndexPath(), p)
	defer eng.Close()
	res, err := eng.Search(ctx, req)
	if err != nil {
		return err
	}
	// One search a run: let go of the index at once, so that another
	// qcode may write it while this one prints or asks.
	if err := eng.Close(); err != nil {
		return err
	}
	if res.Index != nil {
		fmt.Fprintf(e.stderr, "the search index was %s; indexed %s (%s)\n", res.Index.Reason, plural(res.Index.Added, "source"), plural(res.Index.Docs, "sentence"))
	}
	if o.json {
		if err := writeJSON(e.stdout, res); err != nil {
			return err
		}
	} else if err := printSearch(e, res); err != nil {
		return err
	}
	if o.codeAs != "" && res.Total > 0 {
		return codeHits(ctx, e, p, res, o.codeAs, coder, o.yes)
	}
	return nil
}

// printSearch prints the hits in context, then the totals and facets.
func printSearch(e *env, res *search.Result) error {
	if res.Total == 0 {
		fmt.Fprintf(e.stdout, "no %ss match %s\n", res.Unit, res.Query)
		return nil
	}
	if e.outTTY {
		// Keyword in context: the match lines up, the left context is
		// right-aligned up to it.
		width := 0
		for _, h := range res.Hits {
			width = max(width, utf8.RuneCountInString(h.Left))
		}
		for _, h := range res.Hits {
			pad := strings.Repeat(" ", width-utf8.RuneCountInString(h.Left))
			match := "\x1b[1m" + h.Match + "\x1b[0m"
			fmt.Fprintf(e.stdout, "%-12s %-14s %8s  %s%s %s %s\n", h.Segment, truncate(h.Speaker, 14), clock(h.Time), pad, h.Left, match, h.Right)
		}
	} else {
		t := newTable(e.stdout, false, "segment", "speaker", "time", "left", "match", "right")
		for _, h := range res.Hits {
			t.add(h.Segment, h.Speaker, clock(h.Time), h.Left, h.Match, h.Right)
		}
		if err := t.print(); err != nil {
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
		per = append(per, fmt.Sprintf("%s %d", c.Value, c.Count))
	}
	shown := ""
	if len(res.Hits) < res.Total {
		shown = fmt.Sprintf(" (%d shown)", len(res.Hits))
	}
	fmt.Fprintf(out, "%s%s in %s: %s\n", plural(res.Total, string(res.Unit)), shown, plural(len(res.BySource), "source"), strings.Join(per, ", "))
	for _, f := range res.Facets {
		var vs []string
		for _, v := range f.Values {
			vs = append(vs, fmt.Sprintf("%s %d", v.Value, v.Count))
		}
		fmt.Fprintf(out, "by %s: %s\n", f.Field, strings.Join(vs, ", "))
	}
	return nil
}

// maxSourcesListed is how many sources the totals line names.
const maxSourcesListed = 12

// clock prints a turn's time as the transcripts do (hh:mm:ss), or nothing.
func clock(ms *int64) string {
	if ms == nil {
		return ""
	}
	return corpus.Time(*ms).String()
}

// codeHits codes every hit of a search with code, after asking.
func codeHits(ctx context.Context, e *env, p *project.Project, res *search.Result, code, coder string, yes bool) error {
	if !yes {
		fmt.Fprintf(e.stderr, "Code %s as %s by %s? [y/N] ", plural(res.Total, string(res.Unit)), code, coder)
		line, _ := bufio.NewReader(e.stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
			fmt.Fprintln(e.stderr, "nothing coded")
			return nil
		}
	}
	// Every hit, not only those shown.
	refs := res.Refs()
	reqs := make([]project.CodingRequest, len(refs))
	for i, ref := range refs {
		reqs[i] = project.CodingRequest{Ref: ref, Code: code, Coder: coder, Origin: coding.OriginSearch, Memo: "search: " + res.Query}
	}
	added, existing, err := p.AddCodings(ctx, reqs, "search "+res.Query)
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
