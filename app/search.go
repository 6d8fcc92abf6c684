package app

import (
	"context"
	"fmt"
	"iter"
	"runtime/debug"
	"slices"
	"strings"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
	"qcode/project"
	"qcode/search"
)

// SearchOptions are a search as a front end takes it.
type SearchOptions struct {
	Query       string
	Syntax      string // rules (the codebook's rule language, ""), or bleve
	Negation    string // negated mentions: skip (""), keep or only
	Unit        string // what a hit is: sentence ("") or turn
	Sources     []string
	Speakers    []string // a speaker's name, or the role interviewer or participant
	NotSpeakers []string
	// IncludeInterviewer searches interviewers' turns too; without it they
	// are left out, as coding leaves them out, unless Speakers names whom
	// to search, and the result counts the hits left out.
	IncludeInterviewer bool
	Attrs              []string // KEY=VALUE: every key must have one of its values
	Code               string   // only segments with a coding of this code
	Coder              string   // only segments coded by this coder; with CodeAs, who codes
	Facets             []string // code, speaker, source, case, attr:NAME
	Sort               string   // document ("") or relevance
	Limit              int      // hits shown in full; 0 for all
	Width              int      // characters of context either side of a match
	// NoMatches leaves the hits' Matches empty, for a front end that
	// shows each hit's context but not its matches one by one; the
	// context is the same.
	NoMatches bool
	// CodeAs, when set, is a code every hit is to be coded with by Coder
	// (CodeHits does it), checked before the search: its id, name or path.
	CodeAs string
	// CodeBy, when set with CodeAs, is who codes the hits, and Coder stays
	// a filter; "" leaves Coder both, as the command line's one flag is.
	CodeBy string
	// Stream, when set, is called with the result (all of it but Hits,
	// which stays empty) and the hits to show, in order, each made as the
	// loop over them asks for it, so that a front end printing every hit
	// holds a few at a time and prints the first before the last is made;
	// Search returns once Stream has, with its error. The result's counts
	// (Total, BySource, InterviewerHits, Facets) are complete once the
	// loop has ended: without CodeAs, a search in document order with no
	// Limit, facets or code filter decides its hits as the loop takes
	// them (search.Request.AsFound), and Stream is called once the first
	// is found. A search that found nothing calls it with no hits, once
	// Narrowed says why.
	Stream func(res *SearchResult, hits iter.Seq2[Hit, error]) error
	// CodeAll, when set with CodeAs, is asked once the hits are shown
	// (after Stream) whether to code every hit; yes codes them all, as
	// CodeHits does, and Coded says how it went. A front end that lets
	// its user pick hits leaves it nil and calls CodeHits.
	CodeAll func(res *SearchResult) bool
}

// Hit is one segment a search found, in context.
type Hit = search.Hit

// SearchResult is what a search found, and what coding its hits needs.
type SearchResult struct {
	*search.Result
	// Narrowed, when the search found nothing but its query alone matches
	// segments, says which filter left none (Nothing phrases it).
	Narrowed []Narrowing `json:"-"`
	// Coded, when CodeAll was asked, is what coding every hit did.
	Coded         *CodedHits `json:"-"`
	codeAs, coder string
	hashes        map[string]string // the sources' hashes before the search
}

// CodedHits is what coding every hit of a search did: Declined when the
// user said no, else how many hits were coded and how many already had
// the code.
type CodedHits struct {
	Declined        bool
	Added, Existing int
}

// Coder is who codes the hits with CodeHits.
func (r *SearchResult) Coder() string { return r.coder }

// Check checks the options without the project: the request, and with
// CodeAs the code, in the codebook of opts, and the coder's name.
func (o SearchOptions) Check(opts Options) error {
	if _, err := o.request(); err != nil {
		return err
	}
	if o.CodeAs == "" {
		return nil
	}
	cb, err := OpenCodebook(opts)
	if err != nil {
		return err
	}
	if _, err := cb.Find(o.CodeAs, "code_as"); err != nil {
		return err
	}
	_, err = CoderName(o.codeBy())
	return err
}

// codeBy is who codes the hits with CodeAs.
func (o SearchOptions) codeBy() string {
	if o.CodeBy != "" {
		return o.CodeBy
	}
	return o.Coder
}

// request checks o and makes the engine's request.
func (o SearchOptions) request() (search.Request, error) {
	req := search.Request{Query: o.Query, Sources: o.Sources, Speakers: o.Speakers, NotSpeakers: o.NotSpeakers,
		Code: o.Code, Facets: o.Facets, Sort: o.Sort, Limit: o.Limit, Width: o.Width, Unit: coding.Unit(o.Unit), NoMatches: o.NoMatches,
		SkipInterviewers: !o.IncludeInterviewer && len(o.Speakers) == 0}
	if req.Unit == "" {
		req.Unit = coding.UnitSentence
	}
	if o.CodeAs == "" || o.CodeBy != "" {
		req.Coder = o.Coder
	}
	switch o.Syntax {
	case "", "rules":
	case "bleve":
		req.Bleve = true
	default:
		return req, qcode.FieldError("syntax", o.Syntax, "no such query syntax", "rules", "bleve")
	}
	switch o.Sort {
	case "", "document", "relevance":
	default:
		return req, qcode.FieldError("sort", o.Sort, "no such order", "document", "relevance")
	}
	if o.Limit < 0 {
		return req, qcode.FieldError("limit", fmt.Sprint(o.Limit), "give a number of hits, 0 or more")
	}
	if o.Width < 0 {
		return req, qcode.FieldError("width", fmt.Sprint(o.Width), "give a number of characters, 0 or more")
	}
	if strings.TrimSpace(o.Query) == "" {
		return req, qcode.FieldError("query", "", "the query is empty; give what to search for, e.g. 'debrief*'")
	}
	switch mode := codebook.NegationMode(o.Negation); mode {
	case "", codebook.NegationSkip, codebook.NegationKeep, codebook.NegationOnly:
		req.Negation = mode
	default:
		return req, qcode.FieldError("negation", o.Negation, "no such way with negated mentions", "skip", "keep", "only")
	}
	if len(o.Attrs) > 0 {
		req.Attrs = map[string][]string{}
		for _, kv := range o.Attrs {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" || v == "" {
				return req, qcode.FieldError("attr", kv, "give KEY=VALUE, e.g. role=NHS")
			}
			req.Attrs[k] = append(req.Attrs[k], v)
		}
	}
	return req, nil
}

// engine returns the project's search engine, made on first use and held
// until Close, so that a long-running front end keeps the index open from
// one search to the next.
func (p *Project) engine() *search.Engine {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.eng == nil {
		p.eng = search.NewEngine(p.IndexPath(), p.Project)
	}
	return p.eng
}

// CloseIndex lets go of the search index, so that an update of it (here or
// in another process) may remove the generation it held; the next search
// opens the live one again. A front end serving many
// requests calls it after each search: the engine stays, since a search
// under way on another goroutine would otherwise reopen the index in an
// engine no one closes.
func (p *Project) CloseIndex() error {
	p.mu.Lock()
	eng := p.eng
	p.mu.Unlock()
	if eng == nil {
		return nil
	}
	return eng.Close()
}

// UpdateIndex brings the search index up to date with the store, or makes
// it anew.
func (p *Project) UpdateIndex(ctx context.Context, rebuild bool) (search.IndexResult, error) {
	defer p.limitIndexMemory()()
	return p.engine().Update(ctx, rebuild)
}

// updateIndex is UpdateIndex, telling prog of the sources and sentences
// indexed as the stage StageIndex.
func (p *Project) updateIndex(ctx context.Context, rebuild bool, prog Progress) (search.IndexResult, error) {
	defer p.limitIndexMemory()()
	return p.engine().UpdateProgress(ctx, rebuild, func(s search.IndexProgress) {
		prog.Step(Step{Stage: StageIndex, N: s.Sources, Total: s.Total, Sentences: s.Sentences})
	})
}

// SetIndexMemory sets a soft limit, in bytes, on the memory of the whole
// process (debug.SetMemoryLimit) while Import and UpdateIndex write the
// search index, put back as it was when they are done; 0, the default,
// leaves the Go runtime's limit alone. It is for a front end that is the
// process's only work, a command: the limit is the process's, not the
// project's. While indexing, the heap holds a batch of sentences being
// analysed and scorch's merge beside it, the same whatever the sources'
// size (a source is indexed as the store reads it), and more as the
// index's segments grow: some 25 MB live at 1M words and 45 MB at 10M.
// Left to itself, Go's collector lets the heap grow to twice what is
// live before it runs, so that growth counted twice and import and
// index --rebuild peaked 1.7 times as high at 10M words as at 1M. Under
// a limit the collector runs as often as it would by default until the
// heap nears the limit, then more often. Importing is not limited:
// reading and storing a source of tens of MB keeps several times its
// size live, which a limit would only make the collector chase.
func (p *Project) SetIndexMemory(bytes int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.indexMemory = bytes
}

// limitIndexMemory applies the limit SetIndexMemory set, if any, and
// returns what puts the process's limit back.
func (p *Project) limitIndexMemory() (restore func()) {
	p.mu.Lock()
	limit := p.indexMemory
	p.mu.Unlock()
	if limit <= 0 {
		return func() {}
	}
	was := debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(was) }
}

// Search finds the segments a rule (or a bleve query) matches, with
// keyword in context, filters and facets: exactly what the rule would code.
func (p *Project) Search(ctx context.Context, o SearchOptions) (*SearchResult, error) {
	req, err := o.request()
	if err != nil {
		return nil, err
	}
	// The codebook is read while the search opens the store and the
	// index (search.Request.RulesLater), and checked while it finds its
	// candidates; its problems come first, as when it is read.
	book := p.readSearchBook()
	req.RulesLater = book.rules
	// Coding every hit needs them all (Result.Refs): they are not
	// streamed as they are found.
	req.AsFound = o.Stream != nil && o.CodeAs == ""
	res, err := p.search(ctx, o, req, book)
	if cerr := book.checked(); cerr != nil {
		return nil, cerr
	}
	return res, err
}

// search is Search with the codebook being read and checked: nothing is
// shown or coded before the check has passed.
func (p *Project) search(ctx context.Context, o SearchOptions, req search.Request, book *searchBook) (*SearchResult, error) {
	var err error
	res := &SearchResult{}
	if o.CodeAs != "" {
		cb, err := book.codebook()
		if err != nil {
			return nil, err
		}
		if res.codeAs, err = cb.Find(o.CodeAs, "code_as"); err != nil {
			return nil, err
		}
		if res.coder, err = CoderName(o.codeBy()); err != nil {
			return nil, err
		}
		// The sources as they were before the search: coding its hits
		// refuses any that another process imports again meanwhile.
		if res.hashes, err = p.SourceHashes(ctx); err != nil {
			return nil, err
		}
	}
	streamed := false
	if o.Stream != nil {
		req.Stream = func(r *search.Result, hits iter.Seq2[Hit, error]) error {
			if r.Total == 0 {
				return nil // streamed below, with why
			}
			if err := book.checked(); err != nil {
				return err
			}
			res.Result, streamed = r, true
			return o.Stream(res, hits)
		}
	}
	if res.Result, err = p.engine().Search(ctx, req); err != nil {
		return nil, err
	}
	if err := book.checked(); err != nil {
		return nil, err
	}
	if res.Total == 0 {
		if res.Narrowed, err = p.narrowed(ctx, req); err != nil {
			return nil, err
		}
	}
	if o.Stream != nil && !streamed {
		if err := o.Stream(res, func(func(Hit, error) bool) {}); err != nil {
			return nil, err
		}
	}
	if o.CodeAll != nil && o.CodeAs != "" && res.Total > 0 {
		res.Coded = &CodedHits{Declined: !o.CodeAll(res)}
		if !res.Coded.Declined {
			if res.Coded.Added, res.Coded.Existing, err = p.CodeHits(ctx, res, CodeHitsOptions{}); err != nil {
				return nil, err
			}
		}
	}
	return res, nil
}

// CodeHitsOptions say which of a search's hits CodeHits codes.
type CodeHitsOptions struct {
	// Only, when not nil, are the hits to code, as a front end showed
	// them; nil codes every hit.
	Only []HitRef
}

// HitRef names a hit as a front end showed it: its segment (P03:s41) and
// the segment's span in characters, which tell a hit from the text that
// stands there after the source is imported again.
type HitRef struct {
	Segment    string
	Start, End int
}

// CodeHits codes the hits of a search made with CodeAs (all of them, not
// only those shown, unless o names some) in one transaction, and says how
// many were coded and how many already had the code. A hit named in o that
// the search did not find, or found with another span, means the project
// changed since the hits were shown; so does a source imported again since
// the search: either is refused, and nothing is coded.
func (p *Project) CodeHits(ctx context.Context, res *SearchResult, o CodeHitsOptions) (added, existing int, err error) {
	if res.codeAs == "" {
		return 0, 0, qcode.FieldError("code_as", "", "the search named no code to code its hits with")
	}
	refs, err := res.chosen(o.Only)
	if err != nil {
		return 0, 0, err
	}
	reqs := make([]project.CodingRequest, len(refs))
	for i, ref := range refs {
		reqs[i] = project.CodingRequest{Ref: ref, Code: res.codeAs, Coder: res.coder, Origin: coding.OriginSearch,
			Memo: "search: " + res.Query, Hash: res.hashes[ref.Source]}
	}
	return p.AddCodings(ctx, reqs, "search "+res.Query)
}

// chosen returns the segments of the hits only names, in the search's
// order, or of every hit when only is nil.
func (r *SearchResult) chosen(only []HitRef) ([]coding.Ref, error) {
	refs := r.Refs()
	if only == nil {
		return refs, nil
	}
	want := make(map[string]HitRef, len(only))
	for _, h := range only {
		want[h.Segment] = h
	}
	spans := r.Spans()
	var out []coding.Ref
	for i, ref := range refs {
		h, ok := want[ref.String()]
		if !ok {
			continue
		}
		if h.Start != spans[i][0] || h.End != spans[i][1] {
			return nil, staleHit(h)
		}
		delete(want, h.Segment)
		out = append(out, ref)
	}
	for _, h := range only {
		if _, left := want[h.Segment]; left {
			return nil, staleHit(h)
		}
	}
	return out, nil
}

// staleHit is the error for a hit a search no longer finds where it was.
func staleHit(h HitRef) error {
	return &qcode.Error{Code: qcode.ECONFLICT, Field: "hit", Value: h.Segment,
		Message: "the search no longer finds it there, so the project changed since the hits were shown; search again (nothing was coded)"}
}

// CodeAs is the code CodeHits codes the hits with.
func (r *SearchResult) CodeAs() string { return r.codeAs }

// Narrowing is one step from a query alone to a search with all its
// filters: the filter added (Fields, as SearchOptions' flags are named:
// source, speaker, speaker-not, attr, code, coder, include-interviewer),
// what it asks of a hit, and how many hits are left with it and every
// step before. The first step is the query alone (no Fields).
type Narrowing struct {
	Fields []string
	What   string // "coded humility", "in P01"; for a filter that leaves out, what it leaves out
	Out    bool   // the filter leaves out hits that are What (speaker-not, interviewers)
	Left   int
}

// narrowed explains a search, req, that found nothing: the query alone,
// then its filters one by one until none is left. It is nil when the query
// alone finds nothing.
func (p *Project) narrowed(ctx context.Context, req search.Request) ([]Narrowing, error) {
	type step struct {
		Narrowing
		add func(r *search.Request)
	}
	var steps []step
	add := func(given bool, what string, out bool, add func(r *search.Request), fields ...string) {
		if given {
			steps = append(steps, step{Narrowing{Fields: fields, What: what, Out: out}, add})
		}
	}
	add(true, "", false, func(*search.Request) {})
	add(len(req.Sources) > 0, "in "+orList(req.Sources), false, func(r *search.Request) { r.Sources = req.Sources }, "source")
	add(len(req.Speakers) > 0, "said by "+orList(req.Speakers), false, func(r *search.Request) { r.Speakers = req.Speakers }, "speaker")
	add(len(req.NotSpeakers) > 0, "said by "+orList(req.NotSpeakers), true, func(r *search.Request) { r.NotSpeakers = req.NotSpeakers }, "speaker-not")
	var attrs []string
	for k, vs := range req.Attrs {
		attrs = append(attrs, k+"="+strings.Join(vs, " or "))
	}
	slices.Sort(attrs)
	add(len(attrs) > 0, "of a case with "+strings.Join(attrs, " and "), false, func(r *search.Request) { r.Attrs = req.Attrs }, "attr")
	coded := func(r *search.Request) { r.Code, r.Coder = req.Code, req.Coder }
	switch {
	case req.Code != "" && req.Coder != "":
		add(true, "coded "+req.Code+" by "+req.Coder, false, coded, "code", "coder")
	case req.Code != "":
		add(true, "coded "+req.Code, false, coded, "code")
	case req.Coder != "":
		add(true, "coded by "+req.Coder, false, coded, "coder")
	}
	add(req.SkipInterviewers, "said by interviewers", true, func(r *search.Request) { r.SkipInterviewers = true }, "include-interviewer")
	// The query with none of the filters, adding one at a time; the
	// hits are not shown, only counted.
	r := req
	r.Sources, r.Speakers, r.NotSpeakers, r.Attrs, r.Code, r.Coder, r.SkipInterviewers = nil, nil, nil, nil, "", "", false
	r.Facets, r.Limit, r.Width, r.Stream = nil, 1, 0, nil
	var out []Narrowing
	for _, s := range steps {
		s.add(&r)
		res, err := p.engine().Search(ctx, r)
		if err != nil {
			return nil, err
		}
		s.Left = res.Total
		out = append(out, s.Narrowing)
		if s.Left == 0 {
			break
		}
	}
	if out[0].Left == 0 {
		return nil, nil
	}
	return out, nil
}

// orList joins names with "or": "P01", "P01 or P02", "P01, P02 or P03".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Nothing says why a search found nothing, its filters named by flag
// (a front end's name for a field, "--code" or "coded with"): "no
// sentences match risk*", or "40 sentences match risk*, but none is coded
// humility (--code)", with the filters that left some on the way.
func (r *SearchResult) Nothing(flag func(field string) string) string {
	unit := string(r.Unit)
	if len(r.Narrowed) == 0 {
		return "no " + unit + "s match " + r.Query
	}
	flags := func(n Narrowing) string {
		var fs []string
		for _, f := range n.Fields {
			fs = append(fs, flag(f))
		}
		return strings.Join(fs, ", ")
	}
	var b strings.Builder
	b.WriteString(Plural(r.Narrowed[0].Left, unit) + " " + countVerb(r.Narrowed[0].Left, "matches", "match") + " " + r.Query)
	last := r.Narrowed[len(r.Narrowed)-1]
	for _, n := range r.Narrowed[1 : len(r.Narrowed)-1] {
		not := ""
		if n.Out {
			not = "not "
		}
		fmt.Fprintf(&b, "; %d of them %s %s%s (%s)", n.Left, countVerb(n.Left, "is", "are"), not, n.What, flags(n))
	}
	if last.Left != 0 { // the filters together left none, no one of them
		return b.String()
	}
	switch {
	case last.Fields[0] == "include-interviewer":
		fmt.Fprintf(&b, ", but all are %s, left out as in coding (%s shows them)", last.What, flag(last.Fields[0]))
	case last.Out:
		fmt.Fprintf(&b, ", but all are %s (%s)", last.What, flags(last))
	default:
		fmt.Fprintf(&b, ", but none is %s (%s)", last.What, flags(last))
	}
	return b.String()
}

// countVerb chooses the verb for a count: one or many.
func countVerb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// LeftOut says how many hits were left out as interviewers', "" when none
// was: "3 sentences by interviewers left out, as coding leaves them out;
// --include-interviewer shows them", the option named by flag.
func (r *SearchResult) LeftOut(flag func(field string) string) string {
	if r.InterviewerHits == 0 {
		return ""
	}
	return fmt.Sprintf("%s by interviewers left out, as coding leaves them out; %s shows them", Plural(r.InterviewerHits, string(r.Unit)), flag("include-interviewer"))
}
