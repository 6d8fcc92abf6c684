package app

import (
	"context"
	"fmt"
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
	Attrs       []string // KEY=VALUE: every key must have one of its values
	Code        string   // only segments with a coding of this code
	Coder       string   // only segments coded by this coder; with CodeAs, who codes
	Facets      []string // code, speaker, source, case, attr:NAME
	Sort        string   // document ("") or relevance
	Limit       int      // hits shown in full; 0 for all
	Width       int      // characters of context either side of a match
	// CodeAs, when set, is a code every hit is to be coded with by Coder
	// (CodeHits does it), checked before the search: its id, name or path.
	CodeAs string
	// CodeBy, when set with CodeAs, is who codes the hits, and Coder stays
	// a filter; "" leaves Coder both, as the command line's one flag is.
	CodeBy string
}

// SearchResult is what a search found, and what coding its hits needs.
type SearchResult struct {
	*search.Result
	codeAs, coder string
	hashes        map[string]string // the sources' hashes before the search
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
		Code: o.Code, Facets: o.Facets, Sort: o.Sort, Limit: o.Limit, Width: o.Width, Unit: coding.Unit(o.Unit)}
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
	return p.engine().Update(ctx, rebuild)
}

// updateIndex is UpdateIndex, telling prog of the sources indexed as the
// stage StageIndex.
func (p *Project) updateIndex(ctx context.Context, rebuild bool, prog Progress) (search.IndexResult, error) {
	return p.engine().UpdateProgress(ctx, rebuild, func(done, total int) {
		prog.Step(Step{Stage: StageIndex, N: done, Total: total})
	})
}

// Search finds the segments a rule (or a bleve query) matches, with
// keyword in context, filters and facets: exactly what the rule would code.
func (p *Project) Search(ctx context.Context, o SearchOptions) (*SearchResult, error) {
	req, err := o.request()
	if err != nil {
		return nil, err
	}
	cb, err := p.Codebook()
	if err != nil {
		return nil, err
	}
	if req.Matcher, err = cb.Matcher(); err != nil {
		return nil, err
	}
	res := &SearchResult{}
	if o.CodeAs != "" {
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
	if res.Result, err = p.engine().Search(ctx, req); err != nil {
		return nil, err
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
