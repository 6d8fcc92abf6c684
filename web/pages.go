package web

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"qcode"
	"qcode/app"
	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
)

// palette tints the codes the codebook gives no colour (Tableau 10).
var palette = []string{"#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC"}

// codeInfo is what a page shows of a code.
type codeInfo struct {
	ID, Name, Path, Color string
}

// codes lists the codebook's codes in its order, each with a colour; nil
// when the codebook does not load, which leaves pages readable.
func (s *Server) codes() []codeInfo {
	cb, err := s.p.Codebook()
	if err != nil {
		return nil
	}
	return codeInfos(cb.Codebook)
}

// codeInfos lists cb's codes in its order, each with a colour.
func codeInfos(cb *codebook.Codebook) []codeInfo {
	var out []codeInfo
	cb.Walk(func(c *codebook.Code) {
		color := c.Color
		if color == "" {
			color = palette[len(out)%len(palette)]
		}
		out = append(out, codeInfo{ID: c.ID, Name: c.Name, Path: c.Path(), Color: color})
	})
	return out
}

// colorOf gives a code's colour, from the codebook or the palette.
func colorOf(codes []codeInfo, id string) string {
	for _, c := range codes {
		if c.ID == id {
			return c.Color
		}
	}
	return hashColor(id)
}

// colorMap maps each code's id to its colour, for pages that colour many
// codings.
func colorMap(codes []codeInfo) map[string]string {
	m := make(map[string]string, len(codes))
	for _, c := range codes {
		if _, ok := m[c.ID]; !ok {
			m[c.ID] = c.Color
		}
	}
	return m
}

// colorIn gives a code's colour from colorMap's map, or the palette's.
func colorIn(colors map[string]string, id string) string {
	if c, ok := colors[id]; ok {
		return c
	}
	return hashColor(id)
}

// hashColor gives a code the codebook lacks a colour of the palette, the
// same on every page.
func hashColor(id string) string {
	h := 0
	for _, r := range id {
		h = h*31 + int(r)
	}
	return palette[(h%len(palette)+len(palette))%len(palette)]
}

func attrList(as []corpus.Attribute) string {
	var parts []string
	for _, a := range as {
		parts = append(parts, a.Name+"="+a.Value)
	}
	return strings.Join(parts, "; ")
}

// sourcesPage lists the sources, narrowed by ?q= (words in a source's
// name, case, format, speakers or attribute values) and by ?attr=name=value
// pairs, each of which a source must have.
func (s *Server) sourcesPage(w http.ResponseWriter, r *http.Request) {
	srcs, err := s.p.Sources(r.Context())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	q := r.URL.Query()
	text, want := strings.TrimSpace(q.Get("q")), q["attr"]
	var pairs []string
	seen := map[string]bool{}
	for _, src := range srcs {
		for _, a := range src.Attributes {
			if pair := a.Name + "=" + a.Value; !seen[pair] {
				seen[pair] = true
				pairs = append(pairs, pair)
			}
		}
	}
	slices.Sort(pairs)
	shown := srcs[:0:0]
	for _, src := range srcs {
		if matchesText(src, text) && hasAttrs(src.Attributes, want) {
			shown = append(shown, src)
		}
	}
	s.render(w, "sources.html", map[string]any{"Sources": shown, "Total": len(srcs), "Q": text, "Attr": want, "Attrs": pairs})
}

// matchesText says whether every word of text is in the source's name,
// case, format, speakers or attribute values, ignoring case.
func matchesText(src app.SourceInfo, text string) bool {
	hay := []string{src.Name, src.Case, src.Format}
	hay = append(hay, src.Speakers...)
	if src.Document {
		hay = append(hay, corpus.DocumentLabel)
	}
	for _, a := range src.Attributes {
		hay = append(hay, a.Value)
	}
	all := strings.ToLower(strings.Join(hay, "\n"))
	for _, w := range strings.Fields(strings.ToLower(text)) {
		if !strings.Contains(all, w) {
			return false
		}
	}
	return true
}

// hasAttrs says whether as has every name=value pair of want; two values
// of one name are either one.
func hasAttrs(as []corpus.Attribute, want []string) bool {
	byName := map[string][]string{}
	for _, pair := range want {
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		byName[name] = append(byName[name], value)
	}
	for name, values := range byName {
		ok := false
		for _, a := range as {
			if a.Name == name && slices.Contains(values, a.Value) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// turnView is a turn cut at every coding boundary.
type turnView struct {
	N       int // its number in the source, from 1
	Speaker string
	Start   int // the character offset of its text in the source
	Time    string
	Pieces  []piece
	// Hit marks the turn that holds the character ?at= names, where a
	// search's hit links to.
	Hit bool
	// Stripes are the codings that touch the turn, one per code and
	// coder, for the margin's coding stripes.
	Stripes []codingMark
}

// stripes lists the codings of a turn's pieces once per code and coder,
// outermost first, without the anchors.
func stripes(pieces []piece) []codingMark {
	var out []codingMark
	for _, p := range pieces {
		for _, m := range p.Codings {
			m.ID = ""
			if !m.Suggested && !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	return out
}

// piece is a stretch of a turn's text with the codings that cover it,
// outermost (longest) first, so that spans nest as the codings do.
type piece struct {
	Text    string
	Codings []codingMark
}

type codingMark struct {
	Code, Path, Coder, Color string
	// Suggested marks a code suggested for the sentence, not a coding:
	// outlined, never striped, until a person accepts it.
	Suggested bool
	// ID is the anchor retrieval links to, on the outermost coding that
	// starts where the piece does.
	ID string
}

// codingView is one coding of the source as the page lists it.
type codingView struct {
	Segment, Code, Path, Coder, Origin, Text, Color string
	Start, End                                      int
	Manual, Rules                                   bool       // a person's (to change or remove), the rules' (to reject)
	Memos                                           []memoView // the memos on the coding
}

func (s *Server) sourcePage(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	v, err := s.sourceView(r.Context(), name)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if at, err := strconv.Atoi(r.URL.Query().Get("at")); err == nil {
		for i, t := range v.src.Turns {
			v.turns[i].Hit = t.Start <= at && at < t.End
		}
	}
	memos, codingMemos, err := s.sourceMemos(r.Context(), name)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	cs := make([]codingView, 0, len(v.list.Codings))
	for i := range v.list.Codings {
		cs = append(cs, v.row(&v.list.Codings[i], codingMemos))
	}
	s.render(w, "source.html", map[string]any{"Source": v.src, "Turns": v.turns, "Codings": cs, "Codes": v.codes, "Tree": v.tree, "CSRF": s.csrf, "Memos": memos,
		"Coders": sourceCoders(v.list.Codings), "Project": s.projectKey(), "Compare": compareLink(name), "Rejected": v.rejected, "Suggestions": v.suggested})
}

// sourceShown is a source as its page shows it: its turns cut at its
// codings, its codings, and the codebook with its counts.
type sourceShown struct {
	src    *app.Source
	list   *app.Listing
	turns  []turnView
	codes  []codeInfo
	colors map[string]string
	tree   []codeNode
	// rejected are the rules codings people rejected in the source.
	rejected []rejectedView
	// suggested are the codes suggested for the source's sentences.
	suggested []suggestionView
}

// suggestionView is a suggested code as the page lists it, to be
// accepted or rejected.
type suggestionView struct {
	app.Suggestion
	Path, Color, Score string
}

// rejectedView is a rejected rules coding as the page lists it, to be
// accepted again.
type rejectedView struct {
	Segment, Code, Path, Text, By, At string
	Start, End                        int
}

func (s *Server) sourceView(ctx context.Context, name string) (*sourceShown, error) {
	src, err := s.p.SourceTurns(ctx, name)
	if err != nil {
		return nil, err
	}
	list, err := s.p.ListCodings(ctx, app.ListOptions{Source: name})
	if err != nil {
		return nil, err
	}
	v := &sourceShown{src: src, list: list, codes: s.codes()}
	v.colors = colorMap(v.codes)
	ss, err := s.p.Suggestions(ctx, app.SuggestionsOptions{Source: name})
	if err != nil {
		return nil, err
	}
	marked := list // the codings, and the suggestions as marks with no coder
	if len(ss) > 0 {
		marked = &app.Listing{Codings: slices.Clone(list.Codings), Path: list.Path}
		for _, g := range ss {
			marked.Codings = append(marked.Codings, coding.Coding{Source: name, Start: g.Start, End: g.End, Code: g.Code, Origin: coding.OriginSuggested})
			v.suggested = append(v.suggested, suggestionView{Suggestion: g, Path: list.Path(g.Code), Color: colorIn(v.colors, g.Code), Score: fmt.Sprintf("%.2f", g.Score)})
		}
		// cut wants them by start, longest first.
		slices.SortStableFunc(marked.Codings, func(a, b coding.Coding) int { return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End)) })
	}
	v.turns = make([]turnView, len(src.Turns))
	for i, pieces := range cut(src.Turns, marked, v.colors) {
		t := src.Turns[i]
		v.turns[i] = turnView{N: i + 1, Speaker: t.Speaker, Start: t.Start, Time: clock(t.Begin), Pieces: pieces, Stripes: stripes(pieces)}
	}
	if v.tree, err = s.codeTree(ctx, v.codes); err != nil {
		return nil, err
	}
	rj, err := s.p.ListCodings(ctx, app.ListOptions{Source: name, Rejected: true})
	if err != nil {
		return nil, err
	}
	for _, r := range rj.Rejections {
		v.rejected = append(v.rejected, rejectedView{Segment: r.Segment(), Code: r.Code, Path: rj.Path(r.Code), Text: r.Text,
			By: r.RejectedBy, At: r.RejectedAt.Local().Format("2006-01-02 15:04"), Start: r.Start, End: r.End})
	}
	return v, nil
}

// row is a coding as the codings table lists it, with its memos.
func (v *sourceShown) row(c *coding.Coding, memos map[string][]memoView) codingView {
	return codingView{Segment: c.Segment(), Code: c.Code, Path: v.list.Path(c.Code), Coder: c.Coder,
		Origin: string(c.Origin), Text: c.Text, Color: colorIn(v.colors, c.Code), Start: c.Start, End: c.End,
		Manual: c.Coder != coding.RulesCoder, Rules: c.Origin == coding.OriginRules,
		Memos: memos[codingKey(c.Start, c.End, c.Code, c.Coder)]}
}

// parts is what the source page swaps in after a change to its codings,
// rather than loading itself again (a long transcript takes a second or
// more to lay out): the turns and the codings table's rows that touch the
// changed span, and the codebook's counts.
type parts struct {
	Hash  string     `json:"hash"`
	Turns []turnPart `json:"turns"`
	Rows  []rowPart  `json:"rows"`
	Tree  string     `json:"tree"`
	// Rejected is the list of the source's rejected rules codings.
	Rejected string `json:"rejected"`
}

type turnPart struct {
	Start int    `json:"start"` // the turn's text's data-start
	HTML  string `json:"html"`
}

type rowPart struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	HTML  string `json:"html"`
}

// partsOf answers GET /api/sources/{name}/parts?start=S&end=E with the parts
// of the page the span [S, E) touches.
func (s *Server) partsOf(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	start, err1 := strconv.Atoi(q.Get("start"))
	end, err2 := strconv.Atoi(q.Get("end"))
	if err1 != nil || err2 != nil || start < 0 || end < start {
		s.failErr(w, r, qcode.FieldError("span", q.Get("start")+"-"+q.Get("end"), "give start and end as characters, start before end"))
		return
	}
	name := r.PathValue("name")
	v, err := s.sourceView(r.Context(), name)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	_, codingMemos, err := s.sourceMemos(r.Context(), name)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	touches := func(a, b int) bool { return a < end && b > start || a == b && a == start }
	out := parts{Hash: v.src.Hash, Turns: []turnPart{}, Rows: []rowPart{}}
	var b bytes.Buffer
	html := func(name string, data any) (string, error) {
		b.Reset()
		err := pages().ExecuteTemplate(&b, name, data)
		return b.String(), err
	}
	for i, t := range v.src.Turns {
		if !touches(t.Start, t.End) {
			continue
		}
		h, err := html("turn", v.turns[i])
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		out.Turns = append(out.Turns, turnPart{Start: t.Start, HTML: h})
	}
	for i := range v.list.Codings {
		c := &v.list.Codings[i]
		if !touches(c.Start, c.End) {
			continue
		}
		h, err := html("codingrow", v.row(c, codingMemos))
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		out.Rows = append(out.Rows, rowPart{Start: c.Start, End: c.End, HTML: h})
	}
	if out.Tree, err = html("codetree", v.tree); err != nil {
		s.failErr(w, r, err)
		return
	}
	if out.Rejected, err = html("rejected", v.rejected); err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// clock writes a turn's start as hh:mm:ss, as the command line and the
// workbook do, "" when it has none.
func clock(ms *int64) string {
	if ms == nil {
		return ""
	}
	return corpus.Time(*ms).Clock()
}

// cut splits each turn (turns in order, offsets in characters, as the
// store keeps them) at every boundary of the codings that touch it. The
// codings come by start, longest first (as ListCodings gives them), so one
// sweep finds each turn's: those that start before it ends and end after
// it starts.
func cut(turns []app.Turn, list *app.Listing, colors map[string]string) [][]piece {
	out := make([][]piece, len(turns))
	var open []*coding.Coding // started before the turn's end, in order
	next := 0
	for ti, t := range turns {
		runes := []rune(t.Text)
		start, end := t.Start, t.Start+len(runes)
		open = slices.DeleteFunc(open, func(c *coding.Coding) bool { return c.End <= start })
		for ; next < len(list.Codings) && list.Codings[next].Start < end; next++ {
			if c := &list.Codings[next]; c.End > start && c.End > c.Start {
				open = append(open, c)
			}
		}
		at := []int{start, end}
		for _, c := range open {
			at = append(at, max(c.Start, start), min(c.End, end))
		}
		slices.Sort(at)
		at = slices.Compact(at)
		pieces := make([]piece, 0, len(at)-1)
		for i := 0; i+1 < len(at); i++ {
			a, b := at[i], at[i+1]
			p := piece{Text: string(runes[a-start : b-start])}
			// Codings come by start, longest first: the outermost first.
			anchored := false
			for _, c := range open {
				if c.Start <= a && c.End >= b {
					m := codingMark{Code: c.Code, Path: list.Path(c.Code), Coder: c.Coder, Color: colorIn(colors, c.Code)}
					if c.Origin == coding.OriginSuggested && c.Coder == "" {
						m.Suggested = true
					} else if c.Start == a && !anchored {
						m.ID, anchored = anchor(a), true
					}
					p.Codings = append(p.Codings, m)
				}
			}
			pieces = append(pieces, p)
		}
		out[ti] = pieces
	}
	return out
}

// pageBuffers hold pages as they are made: a source's page is megabytes.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes the page whole or, when the template fails, an error
// alone: the page is made in a buffer first.
func (s *Server) render(w http.ResponseWriter, page string, data any) {
	b := pageBuffers.Get().(*bytes.Buffer)
	defer pageBuffers.Put(b)
	b.Reset()
	if err := pages().ExecuteTemplate(b, page, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}

// fieldLabel names an error's field as the page's form does.
func fieldLabel(field string) string {
	switch field {
	case "code":
		return "the code"
	case "coder":
		return "your name (coder)"
	case "source":
		return "the source"
	case "name":
		return "the new code's name"
	case "parent":
		return "the new code's parent"
	case "new_code":
		return "the code it becomes"
	case "new_segment":
		return "the new span"
	case "color":
		return "the new code's colour"
	case "coding_coder":
		return "the coding's coder"
	case "text":
		return "the turn's text"
	case "drop_lost":
		return "“remove codings whose words I delete”"
	}
	return strings.ReplaceAll(field, "_", " ")
}

// status is the HTTP status for an error from app.
func status(err error) int {
	switch qcode.ErrorCode(err) {
	case qcode.EINVALID:
		return http.StatusBadRequest
	case qcode.ENOTFOUND:
		return http.StatusNotFound
	case qcode.ECONFLICT:
		return http.StatusConflict
	case qcode.EBUSY:
		return http.StatusServiceUnavailable
	}
	if errors.Is(err, context.Canceled) {
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func (s *Server) failErr(w http.ResponseWriter, r *http.Request, err error) {
	s.fail(w, r, status(err), s.phrase(err, fieldLabel))
}

// phrase says err as the workspace does, fields by label; a damaged store
// is named with how to get it back (app.Explain), as the command line
// says it.
func (s *Server) phrase(err error, label func(field string) string) string {
	return app.Phrase(app.Explain(s.p.Dir, err), label)
}

// fail answers with one line: as JSON to the page's script, else as a page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, code, map[string]string{"error": msg})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	var b strings.Builder
	pages().ExecuteTemplate(&b, "error.html", map[string]any{"Message": msg})
	w.Write([]byte(b.String()))
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
