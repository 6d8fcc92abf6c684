package web

import (
	"net/http"
	"net/url"
	"strconv"

	"qcode/app"
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
	q := r.URL.Query()
	v := retrieval{Rollup: q.Get("rollup") == "1", Coder: q.Get("coder"), Attr: q.Get("attr")}
	o := app.RetrieveOptions{Code: r.PathValue("id"), Rollup: v.Rollup, Coder: v.Coder}
	if v.Attr != "" {
		o.Attrs = []string{v.Attr}
	}
	res, err := s.p.Retrieve(r.Context(), o)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	colors := colorMap(s.codes())
	v.Code = codeNode{codeInfo: codeInfo{ID: o.Code, Name: o.Code, Path: o.Code}}
	if c := res.Code; c != nil {
		v.Found = true
		v.Code = codeNode{codeInfo: codeInfo{ID: c.ID, Name: c.Name, Path: c.Path(), Color: colorIn(colors, c.ID)},
			Description: c.Description, Include: c.Include, Exclude: c.Exclude, Examples: c.Examples}
	}
	v.Coders, v.Attrs = res.Coders, res.Attrs
	for _, ps := range res.Passages {
		v.Passages = append(v.Passages, passage{Source: ps.Source, Segment: ps.Segment(), Speaker: corpus.SpeakerLabel(ps.Speaker),
			Coder: ps.Coder, Path: ps.Path, Color: colorIn(colors, ps.Code), Text: ps.Text, Attrs: attrList(ps.Attributes),
			Link: "/sources/" + url.PathEscape(ps.Source) + "#" + anchor(ps.Start)})
	}
	if v.Memos, err = s.codeMemos(r.Context(), o.Code, v.Code.Path); err != nil {
		s.failErr(w, r, err)
		return
	}
	s.render(w, "retrieve.html", v)
}

// anchor is the id of the place in a source page where codings starting
// at character start begin.
func anchor(start int) string { return "c-" + strconv.Itoa(start) }
