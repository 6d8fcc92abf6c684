package app

import (
	"context"
	"slices"
	"sort"
	"strings"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
	"qcode/project"
)

// RetrieveOptions choose the passages of a code to retrieve.
type RetrieveOptions struct {
	Code   string // the code's id
	Rollup bool   // with the passages of all its sub-codes
	Coder  string // "" for every coder's
	// Attrs keep the passages of sources whose case has every one of
	// these attribute values, each written name=value.
	Attrs []string
}

// Check checks the options without the project.
func (o RetrieveOptions) Check() error {
	if strings.TrimSpace(o.Code) == "" {
		return qcode.FieldError("code", "", "missing; choose a code")
	}
	for _, a := range o.Attrs {
		if name, _, ok := strings.Cut(a, "="); !ok || name == "" {
			return qcode.FieldError("attribute", a, "write it as name=value")
		}
	}
	return nil
}

// Passage is a coding retrieved, with where it stands.
type Passage struct {
	coding.Coding        // with its text
	Path          string // its code's path in the codebook, or its id when the codebook lacks it
	Speaker       string // who speaks where it starts; "" outside turns
	// Attributes are the attributes of its source's case.
	Attributes []corpus.Attribute
}

// Retrieval is a code's passages across the sources, and the choices its
// filters have.
type Retrieval struct {
	// Code is the code in the codebook; nil when only codings have it (or
	// the codebook does not load).
	Code     *codebook.Code
	Passages []Passage // by source and position, as ListCodings gives them
	Coders   []string  // every coder of the project's codings, sorted
	Attrs    []string  // every name=value of the sources' cases, sorted
}

// Retrieve returns every passage coded with o.Code, with o.Rollup those of
// its sub-codes too, narrowed to a coder and to sources whose case has
// given attribute values. A code or coder the project has never seen is a
// qcode.ENOTFOUND error with the names it has.
func (p *Project) Retrieve(ctx context.Context, o RetrieveOptions) (*Retrieval, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	cb, cbErr := p.Codebook()
	coders, err := p.checkNames(ctx, cb, cbErr, ListOptions{Code: o.Code, Coder: o.Coder})
	if err != nil {
		return nil, err
	}
	path := codePaths(cb, cbErr)
	res := &Retrieval{Coders: coders}
	ids := map[string]bool{o.Code: true}
	if cbErr == nil {
		res.Code = cb.Code(o.Code)
	}
	if o.Rollup && res.Code != nil {
		walk(res.Code, func(c *codebook.Code) { ids[c.ID] = true })
	}
	srcs, err := p.Sources(ctx)
	if err != nil {
		return nil, err
	}
	attrs := map[string][]corpus.Attribute{}
	pairs := map[string]bool{}
	for _, src := range srcs {
		attrs[src.Name] = src.Attributes
		for _, a := range src.Attributes {
			pairs[a.Name+"="+a.Value] = true
		}
	}
	for pair := range pairs {
		res.Attrs = append(res.Attrs, pair)
	}
	slices.Sort(res.Attrs)
	f := project.CodingFilter{Code: o.Code, Coder: o.Coder}
	if len(ids) > 1 {
		f.Code = ""
	}
	var names []string // of the sources with passages
	err = p.EachCoding(ctx, f, func(c *coding.Coding) error {
		if !ids[c.Code] || !hasAttrs(attrs[c.Source], o.Attrs) {
			return nil
		}
		if len(names) == 0 || names[len(names)-1] != c.Source {
			names = append(names, c.Source)
		}
		res.Passages = append(res.Passages, Passage{Coding: *c, Path: path(c.Code), Attributes: attrs[c.Source]})
		return nil
	})
	if err != nil || len(names) == 0 {
		return res, err
	}
	turns, err := p.SpeakerTurns(ctx, names)
	if err != nil {
		return nil, err
	}
	for i := range res.Passages {
		ps := &res.Passages[i]
		ps.Speaker = speakerAt(turns[ps.Source], ps.Start)
	}
	return res, nil
}

// walk calls fn with c and each of its sub-codes, at every depth.
func walk(c *codebook.Code, fn func(*codebook.Code)) {
	fn(c)
	for _, sub := range c.Codes {
		walk(sub, fn)
	}
}

// hasAttrs says whether attrs hold every name=value of want.
func hasAttrs(attrs []corpus.Attribute, want []string) bool {
	for _, w := range want {
		name, value, _ := strings.Cut(w, "=")
		if !slices.ContainsFunc(attrs, func(a corpus.Attribute) bool { return a.Name == name && a.Value == value }) {
			return false
		}
	}
	return true
}

// speakerAt names who speaks at character offset at of a source whose
// turns, in order, are turns; "" outside them.
func speakerAt(turns []project.SpeakerTurn, at int) string {
	i := sort.Search(len(turns), func(i int) bool { return turns[i].End > at })
	if i < len(turns) && turns[i].Start <= at {
		return turns[i].Speaker
	}
	return ""
}

// TreeOptions choose the codings a code tree counts; empty fields choose
// all.
type TreeOptions struct {
	Source, Coder string
}

// Check checks the options without the project.
func (o TreeOptions) Check() error {
	if o.Coder != "" && o.Coder != coding.RulesCoder {
		return coding.CheckCoderName(o.Coder)
	}
	return nil
}

// CodeCount is a code of the codebook with how many codings it has.
type CodeCount struct {
	*codebook.Code
	Depth int // 0 for a top-level code
	Own   int // the codings of the code itself
	// Total adds the codings of all its sub-codes, as 'report freq
	// --rollup' counts them.
	Total int
}

// CodeTree returns the codebook's codes in its order, each with how many
// of the codings o chooses it has, alone and rolled up. It counts without
// reading the codings, so it is cheap enough for every page of a front
// end. A codebook that does not load is its error.
func (p *Project) CodeTree(ctx context.Context, o TreeOptions) ([]CodeCount, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	cb, err := p.Codebook()
	if err != nil {
		return nil, err
	}
	own, err := p.CodingCounts(ctx, project.CodingFilter{Source: o.Source, Coder: o.Coder})
	if err != nil {
		return nil, err
	}
	var out []CodeCount
	var count func(c *codebook.Code, depth int) int
	count = func(c *codebook.Code, depth int) int {
		i := len(out)
		out = append(out, CodeCount{Code: c, Depth: depth, Own: own[c.ID]})
		total := own[c.ID]
		for _, sub := range c.Codes {
			total += count(sub, depth+1)
		}
		out[i].Total = total
		return total
	}
	for _, c := range cb.Codes {
		count(c, 0)
	}
	return out, nil
}
