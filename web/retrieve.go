package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"qcode"
	"qcode/app"
	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
)

// passage is one coding as the retrieval page lists it.
type passage struct {
	Source, Segment, Speaker, Coder, Path, Color, Text, Attrs, Link string
}

// retrieval is what the retrieval page shows: the code, its passages and
// the filters that chose them.
type retrieval struct {
	Code        codeNode
	Found       bool // the codebook has the code
	Rollup      bool
	Coder, Attr string
	Coders      []string
	Attrs       []string // every name=value the sources have
	Passages    []passage
	Memos       memoPanel // the memos on the code and its codings
}

// retrievePage lists every passage coded with a code across sources,
// with ?rollup=1 its sub-codes' too, narrowed by ?coder= and by one
// ?attr=name=value of the passage's source. Each passage links to its
// place in its source, in the same tab, so that the browser's back
// button returns to the list.
func (s *Server) retrievePage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	v := retrieval{Rollup: q.Get("rollup") == "1", Coder: q.Get("coder"), Attr: q.Get("attr")}
	id := r.PathValue("id")
	attrName, attrValue, ok := strings.Cut(v.Attr, "=")
	if v.Attr != "" && !ok {
		s.failErr(w, r, qcode.FieldError("attribute", v.Attr, "write it as name=value"))
		return
	}
	list, err := s.p.ListCodings(ctx, app.ListOptions{Code: id, Coder: v.Coder})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	v.Code = codeNode{codeInfo: codeInfo{ID: id, Name: id, Path: id}}
	var codes []codeInfo
	if cb, err := s.p.Codebook(); err == nil {
		codes = codeInfos(cb.Codebook)
		if c := cb.Code(id); c != nil {
			v.Found = true
			v.Code = codeNode{codeInfo: codeInfo{ID: id, Name: c.Name, Path: c.Path(), Color: colorOf(codes, id)},
				Description: c.Description, Include: c.Include, Exclude: c.Exclude, Examples: c.Examples}
			if v.Rollup && len(c.Codes) > 0 {
				if list, err = s.rolledUp(r, c, v.Coder); err != nil {
					s.failErr(w, r, err)
					return
				}
			}
		}
	}
	srcs, err := s.p.Sources(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
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
		v.Attrs = append(v.Attrs, pair)
	}
	slices.Sort(v.Attrs)
	if _, v.Coders, err = s.p.CodingNames(ctx); err != nil {
		s.failErr(w, r, err)
		return
	}
	turns := map[string][]turnSpan{}
	for _, c := range list.Codings {
		if v.Attr != "" && !hasAttr(attrs[c.Source], attrName, attrValue) {
			continue
		}
		if _, ok := turns[c.Source]; !ok {
			src, err := s.p.Source(ctx, c.Source)
			if err != nil {
				s.failErr(w, r, err)
				return
			}
			ts := []turnSpan{}
			for _, t := range src.Turns {
				ts = append(ts, turnSpan{t.Start, t.End, t.Speaker})
			}
			turns[c.Source] = ts
		}
		v.Passages = append(v.Passages, passage{Source: c.Source, Segment: c.Segment(), Speaker: speakerAt(turns[c.Source], c.Start),
			Coder: c.Coder, Path: list.Path(c.Code), Color: colorOf(codes, c.Code), Text: c.Text, Attrs: attrList(attrs[c.Source]),
			Link: "/sources/" + url.PathEscape(c.Source) + "#" + anchor(c.Start)})
	}
	if v.Memos, err = s.codeMemos(ctx, id, v.Code.Path); err != nil {
		s.failErr(w, r, err)
		return
	}
	s.render(w, "retrieve.html", v)
}

// rolledUp lists the codings of code c and of all its sub-codes, by
// source and position as ListCodings gives them.
func (s *Server) rolledUp(r *http.Request, c *codebook.Code, coder string) (*app.Listing, error) {
	ids := subtree(c)
	all, err := s.p.ListCodings(r.Context(), app.ListOptions{Coder: coder})
	if err != nil {
		return nil, err
	}
	all.Codings = slices.DeleteFunc(all.Codings, func(x coding.Coding) bool { return !ids[x.Code] })
	return all, nil
}

func hasAttr(attrs []corpus.Attribute, name, value string) bool {
	for _, a := range attrs {
		if a.Name == name && a.Value == value {
			return true
		}
	}
	return false
}

// turnSpan is where a turn stands in its source, in characters, and who
// speaks it.
type turnSpan struct {
	Start, End int
	Speaker    string
}

// speakerAt names who speaks at character offset at, "" outside turns.
func speakerAt(turns []turnSpan, at int) string {
	for _, t := range turns {
		if t.Start <= at && at < t.End {
			return t.Speaker
		}
	}
	return ""
}

// anchor is the id of the place in a source page where codings starting
// at character start begin.
func anchor(start int) string { return "c-" + strconv.Itoa(start) }

// subtree returns the ids of c and of all its sub-codes.
func subtree(c *codebook.Code) map[string]bool {
	ids := map[string]bool{c.ID: true}
	for _, sub := range c.Codes {
		maps.Copy(ids, subtree(sub))
	}
	return ids
}
