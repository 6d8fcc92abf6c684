package app

import (
	"context"
	"errors"
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
	// (CodeHits does it), checked before the search.
	CodeAs string
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
	if err := checkCodeAs(cb, o.CodeAs); err != nil {
		return err
	}
	_, err = CoderName(o.Coder)
	return err
}

// checkCodeAs checks the code a search is to code its hits with.
func checkCodeAs(cb *Codebook, code string) error {
	var e *qcode.Error
	if err := cb.CheckCode(code); errors.As(err, &e) {
		named := *e
		named.Field = "code_as"
		return &named
	}
	return nil
}

// request checks o and makes the engine's request.
func (o SearchOptions) request() (search.Request, error) {
	req := search.Request{Query: o.Query, Sources: o.Sources, Speakers: o.Speakers, NotSpeakers: o.NotSpeakers,
		Code: o.Code, Facets: o.Facets, Sort: o.Sort, Limit: o.Limit, Width: o.Width, Unit: coding.Unit(o.Unit)}
	if req.Unit == "" {
		req.Unit = coding.UnitSentence
	}
	if o.CodeAs == "" {
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

// CloseIndex lets go of the search index, so that another process may
// write it; the next search opens it again.
func (p *Project) CloseIndex() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.eng == nil {
		return nil
	}
	err := p.eng.Close()
	p.eng = nil
	return err
}

// UpdateIndex brings the search index up to date with the store, or makes
// it anew.
func (p *Project) UpdateIndex(ctx context.Context, rebuild bool) (search.IndexResult, error) {
	return p.engine().Update(ctx, rebuild)
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
	res := &SearchResult{codeAs: o.CodeAs}
	if o.CodeAs != "" {
		if err := checkCodeAs(cb, o.CodeAs); err != nil {
			return nil, err
		}
		if res.coder, err = CoderName(o.Coder); err != nil {
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

// CodeHits codes every hit of a search made with CodeAs (all of them, not
// only those shown) in one transaction, and says how many were coded and
// how many already had the code. A source imported again since the search
// is refused, and nothing is coded.
func (p *Project) CodeHits(ctx context.Context, res *SearchResult) (added, existing int, err error) {
	if res.codeAs == "" {
		return 0, 0, qcode.FieldError("code_as", "", "the search named no code to code its hits with")
	}
	refs := res.Refs()
	reqs := make([]project.CodingRequest, len(refs))
	for i, ref := range refs {
		reqs[i] = project.CodingRequest{Ref: ref, Code: res.codeAs, Coder: res.coder, Origin: coding.OriginSearch,
			Memo: "search: " + res.Query, Hash: res.hashes[ref.Source]}
	}
	return p.AddCodings(ctx, reqs, "search "+res.Query)
}

// CodeAs is the code CodeHits codes the hits with.
func (r *SearchResult) CodeAs() string { return r.codeAs }
