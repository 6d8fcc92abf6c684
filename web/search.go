package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"qcode"
	"qcode/app"
	"qcode/coding"
	"qcode/corpus"
)

// hitsShown bounds the hits a search page lists: ticking goes hit by hit,
// and "code all" codes every hit, listed or not.
const hitsShown = 500

// kwicWidth is how many characters of context a hit shows either side of
// its matched words; the rest of a long segment (a turn) is elided.
const kwicWidth = 90

// choice is one option of a select or datalist, as the page offers it.
type choice struct {
	Value, Label string
	Selected     bool
}

// kwicPiece is a stretch of a hit's text, a matched word or not.
type kwicPiece struct {
	Text string
	Mark bool
}

// hitView is a hit as the search page lists it.
type hitView struct {
	Segment, Source, Speaker, Time, Attrs, Link string
	Start, End                                  int
	Pieces                                      []kwicPiece
}

// searchView is what the search page shows: the form as submitted, what
// its fields offer, and the hits.
type searchView struct {
	Query, Syntax, Unit, Negation, Speaker, NotSpeaker string
	Interviewer                                        bool // interviewers' turns searched too
	Sources, Attrs, Codes, Coders, Speakers            []choice
	CodeList                                           []codeInfo // for the code picker
	Error                                              string
	// Search is the query and its filters as the address gives them, for
	// the page's script to send back with the hits to code.
	Search   string
	Result   *app.SearchResult
	Hits     []hitView
	Speaking string // the hits counted by speaker
	// Nothing says why a search found nothing; LeftOut how many hits were
	// interviewers' and left out.
	Nothing, LeftOut string
	CSRF             string
}

// searchOptions reads a search from the page's form, a GET so that a
// search is a link: the same fields as 'qcode search' has flags.
func searchOptions(q url.Values, limit int) app.SearchOptions {
	return app.SearchOptions{Query: q.Get("q"), Syntax: q.Get("syntax"), Unit: q.Get("unit"), Negation: q.Get("negation"),
		Sources: given(q["source"]), Speakers: listed(q.Get("speaker")), NotSpeakers: listed(q.Get("speaker_not")),
		Attrs: given(q["attr"]), Code: q.Get("code"), Coder: q.Get("coder"), Facets: []string{"speaker"}, Limit: limit,
		IncludeInterviewer: q.Get("interviewer") != ""}
}

// given drops a form's empty values: an "any" option.
func given(vs []string) []string {
	return slices.DeleteFunc(slices.Clone(vs), func(v string) bool { return strings.TrimSpace(v) == "" })
}

// listed splits a field of names separated by commas, as the command
// line's repeatable flags take them.
func listed(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// searchLabel names an error's field as the search page's form does.
func searchLabel(field string) string {
	switch field {
	case "query":
		return "the query"
	case "code":
		return "coded with"
	case "coder":
		return "coded by"
	case "code_as":
		return "the code"
	case "speaker-not":
		return "not speaker"
	case "include-interviewer":
		return "with interviewers"
	case "attr":
		return "case attribute"
	}
	return fieldLabel(field)
}

// searchPage searches the project as GET /search?q=… asks, with the
// filters of 'qcode search', and lists the hits in context, each with a
// box to tick for coding. A bad query or filter is one line above the
// form, with a 4xx.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	o := searchOptions(q, hitsShown)
	v := searchView{Query: o.Query, Syntax: o.Syntax, Unit: o.Unit, Negation: o.Negation, Speaker: q.Get("speaker"),
		NotSpeaker: q.Get("speaker_not"), Interviewer: o.IncludeInterviewer, Search: r.URL.RawQuery, CSRF: s.csrf, CodeList: s.codes()}
	srcs, err := s.p.Sources(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	_, coders, err := s.p.CodingNames(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	v.offer(srcs, coders, o)
	code := http.StatusOK
	if q.Has("q") {
		res, err := s.p.Search(ctx, o)
		// A workspace runs for hours: holding the index open would keep
		// its generation on disk after another qcode's import or index
		// has replaced it, and the next search would read the old one.
		if cerr := s.p.CloseIndex(); err == nil {
			err = cerr
		}
		if err != nil {
			code, v.Error = status(err), s.phrase(err, searchLabel)
		} else {
			v.show(res, srcs)
		}
	}
	var b strings.Builder
	if err := pages().ExecuteTemplate(&b, "search.html", v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write([]byte(b.String()))
}

// offer fills the form's choices from the project, marking those o chose.
func (v *searchView) offer(srcs []app.SourceInfo, coders []string, o app.SearchOptions) {
	attrs, speakers := map[string]bool{}, map[string]bool{"interviewer": true, "participant": true}
	for _, src := range srcs {
		v.Sources = append(v.Sources, choice{Value: src.Name, Label: src.Name, Selected: slices.Contains(o.Sources, src.Name)})
		for _, a := range src.Attributes {
			attrs[a.Name+"="+a.Value] = true
		}
		for _, sp := range src.Speakers {
			speakers[sp] = true
		}
	}
	for _, a := range sortedKeys(attrs) {
		v.Attrs = append(v.Attrs, choice{Value: a, Label: a, Selected: slices.Contains(o.Attrs, a)})
	}
	for _, sp := range sortedKeys(speakers) {
		v.Speakers = append(v.Speakers, choice{Value: sp, Label: sp})
	}
	for _, c := range v.CodeList {
		v.Codes = append(v.Codes, choice{Value: c.ID, Label: c.Path, Selected: c.ID == o.Code})
	}
	for _, c := range slices.Compact(slices.Sorted(slices.Values(coders))) {
		v.Coders = append(v.Coders, choice{Value: c, Label: c, Selected: c == o.Coder})
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// show lists res's hits in context, each linked to its place in its
// source, and counts them by speaker.
func (v *searchView) show(res *app.SearchResult, srcs []app.SourceInfo) {
	v.Result = res
	label := func(field string) string { return "“" + searchLabel(field) + "”" }
	if res.Total == 0 {
		v.Nothing = res.Nothing(label)
	}
	v.LeftOut = res.LeftOut(label)
	attrs := map[string][]corpus.Attribute{}
	for _, src := range srcs {
		attrs[src.Name] = src.Attributes
	}
	for _, h := range res.Hits {
		hv := hitView{Segment: h.Segment, Source: h.Source, Speaker: corpus.SpeakerLabel(h.Speaker), Attrs: attrList(attrs[h.Source]),
			Start: h.Start, End: h.End, Pieces: kwic(h.Text, h.Start, h.Matches),
			Link: "/sources/" + url.PathEscape(h.Source) + "?at=" + strconv.Itoa(h.Start) + "#hit"}
		hv.Time = clock(h.Time)
		v.Hits = append(v.Hits, hv)
	}
	for _, f := range res.Facets {
		var parts []string
		for _, c := range f.Values {
			parts = append(parts, corpus.SpeakerLabel(c.Value)+" "+strconv.Itoa(c.Count))
		}
		v.Speaking = strings.Join(parts, ", ")
	}
}

// kwic cuts a hit's text (which starts at character start of its source)
// into its matched words, marked, and the context between them, keeping
// kwicWidth characters of context either side of them. A hit with no
// matched words (a bleve query's) shows its start.
func kwic(text string, start int, matches []coding.RuleMatch) []kwicPiece {
	runes := []rune(text)
	var marks [][2]int
	for _, m := range matches {
		for _, t := range m.Tokens {
			a, b := max(t.Start-start, 0), min(t.End-start, len(runes))
			if a < b {
				marks = append(marks, [2]int{a, b})
			}
		}
	}
	slices.SortFunc(marks, func(x, y [2]int) int { return x[0] - y[0] })
	var out []kwicPiece
	at := 0
	for _, m := range marks {
		if m[0] < at { // overlaps a word marked already
			m[0] = at
		}
		if m[0] >= m[1] {
			continue
		}
		gap := string(runes[at:m[0]])
		switch {
		case at == 0:
			gap = before(gap)
		case m[0]-at > 2*kwicWidth:
			gap = strings.TrimSuffix(after(gap, kwicWidth), "…") + " … " + strings.TrimPrefix(before(gap), "…")
		}
		out = append(out, kwicPiece{Text: gap}, kwicPiece{Text: string(runes[m[0]:m[1]]), Mark: true})
		at = m[1]
	}
	if at < len(runes) {
		width := kwicWidth
		if at == 0 { // nothing marked: the context is the whole hit
			width = 2 * kwicWidth
		}
		out = append(out, kwicPiece{Text: after(string(runes[at:]), width)})
	}
	return out
}

// before keeps the last kwicWidth characters of s, from a word's start.
func before(s string) string {
	r := []rune(s)
	if len(r) <= kwicWidth {
		return s
	}
	s = string(r[len(r)-kwicWidth:])
	if i := strings.IndexAny(s, " \n\t"); i >= 0 {
		s = s[i:]
	}
	return "…" + strings.TrimLeft(s, " \n\t")
}

// after keeps the first width characters of s, up to a word's end.
func after(s string, width int) string {
	r := []rune(s)
	if len(r) <= width {
		return s
	}
	s = string(r[:width])
	if i := strings.LastIndexAny(s, " \n\t"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimRight(s, " \n\t") + "…"
}

// codeHitsRequest is what the search page POSTs to /api/search/code: the
// search as its address gave it, the code, the coder, and either All or
// the ticked hits, each as the page showed it.
type codeHitsRequest struct {
	Search string   `json:"search"`
	Code   string   `json:"code"`
	Coder  string   `json:"coder"`
	All    bool     `json:"all"`
	Hits   []hitRef `json:"hits"`
}

type hitRef struct {
	Segment string `json:"segment"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

// codeHitsReply says what coding the hits did.
type codeHitsReply struct {
	Added    int    `json:"added"`
	Existing int    `json:"existing"`
	Code     string `json:"code"`
	Coder    string `json:"coder"`
	Unit     string `json:"unit"`
}

// codeHits runs the page's search again, as the command line's --code-as
// does, and codes its hits, all or the ticked ones, with origin search
// and the query as memo. A ticked hit the search no longer finds where
// the page showed it means the page is stale: 409, nothing coded.
func (s *Server) codeHits(w http.ResponseWriter, r *http.Request) {
	var req codeHitsRequest
	label := func(field string) string {
		if field == "coder" {
			return fieldLabel(field)
		}
		return searchLabel(field)
	}
	fail := func(err error) {
		var e *qcode.Error
		if errors.As(err, &e) && e.Field == "hit" {
			s.fail(w, r, http.StatusConflict, "the project changed since this page was loaded (the ticked hit "+e.Value+" is no longer found there); search again: nothing was coded")
			return
		}
		s.fail(w, r, status(err), s.phrase(err, label))
	}
	if err := decode(w, r, &req, &req.Coder); err != nil {
		fail(err)
		return
	}
	q, err := url.ParseQuery(req.Search)
	if err != nil {
		fail(qcode.FieldError("search", req.Search, "not a search's address; search again"))
		return
	}
	var only []app.HitRef
	switch {
	case strings.TrimSpace(req.Code) == "":
		err = qcode.FieldError("code_as", "", "missing; choose a code")
	case !req.All && len(req.Hits) == 0:
		err = qcode.FieldError("hits", "", "none ticked; tick the hits to code, or code them all")
	case !req.All:
		only = make([]app.HitRef, len(req.Hits))
		for i, h := range req.Hits {
			only[i] = app.HitRef{Segment: h.Segment, Start: h.Start, End: h.End}
		}
	}
	if err != nil {
		fail(err)
		return
	}
	// One hit in full is enough: coding takes every hit's segment.
	o := searchOptions(q, 1)
	o.Facets, o.CodeAs, o.CodeBy = nil, req.Code, req.Coder
	res, err := s.p.Search(r.Context(), o)
	if cerr := s.p.CloseIndex(); err == nil {
		err = cerr
	}
	if err != nil {
		fail(err)
		return
	}
	added, existing, err := s.p.CodeHits(r.Context(), res, app.CodeHitsOptions{Only: only})
	if err != nil {
		fail(err)
		return
	}
	writeJSON(w, http.StatusOK, codeHitsReply{Added: added, Existing: existing, Code: res.CodeAs(), Coder: res.Coder(), Unit: string(res.Unit)})
}
