package search

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"qcode"
	"qcode/coding"
	"qcode/corpus"
)

// filters is what a search's filters and facets need from the store, read
// once.
type filters struct {
	sources  map[int64]bool // nil for all
	speakers map[string]bool
	notSpk   map[string]bool
	roles    map[string]bool // interviewer, participant
	notRoles map[string]bool
	cases    map[int64][]corpus.Attribute
	attrs    map[string][]string
	code     string
	coder    string
}

// FacetCount is one value of a facet and its number of hits.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Facet counts the hits by one field.
type Facet struct {
	Field  string       `json:"field"`
	Values []FacetCount `json:"values"`
}

// facetFields are the fields a search counts by, besides attr:NAME.
var facetFields = []string{"code", "speaker", "source", "case"}

// filters reads what the request's filters and facets need, once s has the
// sources and speakers, and checks every name they give. An error names
// the request's field in Field ("source", "speaker", "speaker-not", "attr",
// "facet", "code", "coder"), what was given in Value, and what the store
// has, written as Value is, in Near, for a front end's "did you mean".
func (s *searcher) filters() (*filters, error) {
	req := s.req
	f := &filters{attrs: req.Attrs, code: req.Code, coder: req.Coder}
	if len(req.Sources) > 0 {
		f.sources = map[int64]bool{}
		byName := make(map[string]int64, len(s.metas))
		names := make([]string, len(s.metas))
		for id, r := range s.rank {
			byName[s.metas[r].name] = id
			names[r] = s.metas[r].name
		}
		for _, name := range req.Sources {
			id, ok := byName[name]
			if !ok {
				msg := "no such source (see 'qcode sources')"
				if len(names) == 0 {
					msg = "the project has no sources yet"
				}
				return nil, &qcode.Error{Code: qcode.ENOTFOUND, Field: "source", Value: name, Message: msg, Near: names}
			}
			f.sources[id] = true
		}
	}
	if len(req.Speakers)+len(req.NotSpeakers) > 0 {
		names := make([]string, 0, len(s.speakers))
		for _, spk := range s.speakers {
			names = append(names, spk[0])
		}
		slices.Sort(names)
		for _, set := range []struct {
			field string
			vals  []string
			names *map[string]bool
			roles *map[string]bool
		}{{"speaker", req.Speakers, &f.speakers, &f.roles}, {"speaker-not", req.NotSpeakers, &f.notSpk, &f.notRoles}} {
			for _, v := range set.vals {
				switch {
				case v == coding.RoleInterviewer || v == coding.RoleParticipant:
					setAdd(set.roles, v)
				case slices.Contains(names, v):
					setAdd(set.names, v)
				default:
					return nil, &qcode.Error{Code: qcode.ENOTFOUND, Field: set.field, Value: v,
						Message: "no such speaker; name a speaker (see 'qcode speakers list') or the role interviewer or participant",
						Near:    slices.Concat(names, []string{coding.RoleInterviewer, coding.RoleParticipant})}
				}
			}
		}
	}
	needAttrs := len(req.Attrs) > 0
	for _, field := range req.Facets {
		needAttrs = needAttrs || !slices.Contains(facetFields, field)
	}
	if !needAttrs {
		return f, s.checkCodeFilters()
	}
	var err error
	if f.cases, err = s.store.AttributesByCase(s.ctx); err != nil {
		return nil, err
	}
	// Every attribute's values among the cases, for hints.
	values := map[string][]string{}
	for _, as := range f.cases {
		for _, a := range as {
			if !slices.Contains(values[a.Name], a.Value) {
				values[a.Name] = append(values[a.Name], a.Value)
			}
		}
	}
	// prefixed writes names as a field's value is written: "role" for
	// attr, "attr:role" for facet, "role=NHS" for a value of attr.
	prefixed := func(prefix string, names []string) []string {
		out := make([]string, len(names))
		for i, n := range names {
			out[i] = prefix + n
		}
		return out
	}
	attrNames := slices.Sorted(maps.Keys(values))
	noAttribute := func(field, prefix, name string) error {
		return &qcode.Error{Code: qcode.ENOTFOUND, Field: field, Value: prefix + name,
			Message: "no case has the attribute " + name + " (see 'qcode attributes list')", Near: prefixed(prefix, attrNames)}
	}
	for key, vals := range req.Attrs {
		have, ok := values[key]
		if !ok {
			return nil, noAttribute("attr", "", key)
		}
		for _, v := range vals {
			if !slices.Contains(have, v) {
				have := slices.Sorted(slices.Values(have))
				return nil, &qcode.Error{Code: qcode.ENOTFOUND, Field: "attr", Value: key + "=" + v,
					Message: "no case has " + key + " " + v, Allowed: have, Near: prefixed(key+"=", have)}
			}
		}
	}
	for _, field := range req.Facets {
		switch {
		case slices.Contains(facetFields, field):
		case strings.HasPrefix(field, "attr:"):
			if name := strings.TrimPrefix(field, "attr:"); values[name] == nil {
				return nil, noAttribute("facet", "attr:", name)
			}
		default:
			e := qcode.FieldError("facet", field, "cannot count by that", append(slices.Clone(facetFields), "attr:NAME")...)
			e.Near = facetFields
			return nil, e
		}
	}
	return f, s.checkCodeFilters()
}

// checkCodeFilters checks that the code and coder the request filters by
// are known: a code of the codings or of the codebook, a coder of the
// codings.
func (s *searcher) checkCodeFilters() error {
	req := s.req
	if req.Code == "" && req.Coder == "" {
		return nil
	}
	codes, coders, err := s.store.CodingNames(s.ctx)
	if err != nil {
		return err
	}
	if req.Code != "" && !slices.Contains(codes, req.Code) {
		var book []string
		if req.Rules != nil {
			book = req.Rules.CodeIDs()
		}
		if !slices.Contains(book, req.Code) {
			return &qcode.Error{Code: qcode.ENOTFOUND, Field: "code", Value: req.Code, Message: "no such code (see 'qcode codebook show')",
				Near: slices.Concat(codes, book)}
		}
	}
	if req.Coder != "" && !slices.Contains(coders, req.Coder) {
		if len(coders) == 0 {
			return &qcode.Error{Code: qcode.ENOTFOUND, Field: "coder", Value: req.Coder,
				Message: "the project has no codings yet (see 'qcode code' and 'qcode coding import')"}
		}
		return &qcode.Error{Code: qcode.ENOTFOUND, Field: "coder", Value: req.Coder, Message: "no codings by " + req.Coder,
			Allowed: coders, Near: coders}
	}
	return nil
}

func setAdd(m *map[string]bool, v string) {
	if *m == nil {
		*m = map[string]bool{}
	}
	(*m)[v] = true
}

// speakerOK reports whether a turn's speaker passes the speaker filters.
func (f *filters) speakerOK(name, role string) bool {
	if len(f.notSpk) == 0 && len(f.notRoles) == 0 && f.speakers == nil && f.roles == nil {
		return true
	}
	r := coding.RoleParticipant
	if coding.IsInterviewer(name, role) {
		r = coding.RoleInterviewer
	}
	if f.notSpk[name] || f.notRoles[r] {
		return false
	}
	if f.speakers == nil && f.roles == nil {
		return true
	}
	return f.speakers[name] || f.roles[r]
}

// caseOK reports whether a case passes the attribute filters.
func (f *filters) caseOK(caseID int64) bool {
	for key, vals := range f.attrs {
		ok := false
		for _, a := range f.cases[caseID] {
			if a.Name == key && slices.Contains(vals, a.Value) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// sourceSpans are a source's codings, by start, and the longest one's
// length, so that those overlapping a span are found without reading all.
type sourceSpans struct {
	list   []codedSpan
	maxLen int
}

// overlapping calls fn with each coding that overlaps [start, end) until
// fn returns false.
func (ss *sourceSpans) overlapping(start, end int, fn func(*codedSpan) bool) {
	if ss == nil {
		return
	}
	from, _ := slices.BinarySearchFunc(ss.list, start-ss.maxLen, func(c codedSpan, at int) int { return cmp.Compare(c.start, at) })
	for i := from; i < len(ss.list) && ss.list[i].start < end; i++ {
		if c := &ss.list[i]; start < c.end && !fn(c) {
			return
		}
	}
}

// codedSpan is a coding as the code filter and the code facet need it.
type codedSpan struct {
	start, end  int
	code, coder string
}

// loadSpans reads the codings of the sources of hits that the code and
// coder filters and the code facet need: of the code and coder asked for,
// or of every code for the facet.
func (s *searcher) loadSpans(hits []found) error {
	code, coder := s.f.code, s.f.coder
	if slices.Contains(s.req.Facets, "code") {
		code, coder = "", ""
	}
	var ids []int64
	for i := range hits {
		if len(ids) == 0 || ids[len(ids)-1] != hits[i].source { // hits are by source
			ids = append(ids, hits[i].source)
		}
	}
	spans := map[int64][]codedSpan{}
	err := s.store.CodedSpans(s.ctx, ids, code, coder, func(id int64, start, end int, code, coder string) error {
		spans[id] = append(spans[id], codedSpan{start, end, code, coder})
		return nil
	})
	if err != nil {
		return err
	}
	s.spans = map[int64]*sourceSpans{}
	for id, list := range spans {
		ss := &sourceSpans{list: list}
		slices.SortFunc(list, func(a, b codedSpan) int { return cmp.Compare(a.start, b.start) })
		for _, c := range list {
			ss.maxLen = max(ss.maxLen, c.end-c.start)
		}
		s.spans[id] = ss
	}
	return nil
}

// codedOK reports whether the span [start, end) of a source passes the
// code and coder filters: a coding of theirs overlaps it.
func (s *searcher) codedOK(id int64, start, end int) bool {
	if s.f.code == "" && s.f.coder == "" {
		return true
	}
	ok := false
	s.spans[id].overlapping(start, end, func(c *codedSpan) bool {
		ok = (s.f.code == "" || c.code == s.f.code) && (s.f.coder == "" || c.coder == s.f.coder)
		return !ok
	})
	return ok
}

// facets counts the hits by each field asked for.
func (s *searcher) facets(fields []string, hits []found) []Facet {
	f := s.f
	var out []Facet
	seen := map[string]bool{}
	for _, field := range fields {
		counts := map[string]int{}
		for i := range hits {
			h := &hits[i]
			switch {
			case field == "speaker":
				counts[s.speakers[h.speaker][0]]++
			case field == "source":
				counts[s.metas[h.rank].name]++
			case field == "case":
				counts[s.metas[h.rank].caseName]++
			case field == "code":
				clear(seen)
				s.spans[h.source].overlapping(h.start, h.end, func(c *codedSpan) bool {
					if !seen[c.code] {
						seen[c.code] = true
						counts[c.code]++
					}
					return true
				})
			case strings.HasPrefix(field, "attr:"):
				name := strings.TrimPrefix(field, "attr:")
				v := "(none)"
				for _, a := range f.cases[s.metas[h.rank].caseID] {
					if a.Name == name {
						v = a.Value
					}
				}
				counts[v]++
			}
		}
		out = append(out, Facet{Field: field, Values: sortedCounts(counts, true)})
	}
	return out
}

// sortedCounts returns counts by value, or by count (highest first) with
// byCount.
func sortedCounts(counts map[string]int, byCount bool) []FacetCount {
	out := make([]FacetCount, 0, len(counts))
	for v, n := range counts {
		out = append(out, FacetCount{v, n})
	}
	slices.SortFunc(out, func(a, b FacetCount) int {
		if byCount && a.Count != b.Count {
			return cmp.Compare(b.Count, a.Count)
		}
		return strings.Compare(a.Value, b.Value)
	})
	return out
}
