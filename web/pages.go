package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

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

func (s *Server) sourcesPage(w http.ResponseWriter, r *http.Request) {
	srcs, err := s.p.Sources(r.Context())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.render(w, "sources.html", map[string]any{"Sources": srcs})
}

// turnView is a turn cut at every coding boundary.
type turnView struct {
	Speaker string
	Start   int // the character offset of its text in the source
	Time    string
	Pieces  []piece
}

// piece is a stretch of a turn's text with the codings that cover it,
// outermost (longest) first, so that spans nest as the codings do.
type piece struct {
	Text    string
	Codings []codingMark
}

type codingMark struct {
	Code, Path, Coder, Color string
	// ID is the anchor retrieval links to, on the outermost coding that
	// starts where the piece does.
	ID string
}

// codingView is one coding of the source as the page lists it.
type codingView struct {
	Segment, Code, Path, Coder, Origin, Text, Color string
	Start, End                                      int
	Manual, Rules                                   bool
}

func (s *Server) sourcePage(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	src, err := s.p.Source(r.Context(), name)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	list, err := s.p.ListCodings(r.Context(), app.ListOptions{Source: name})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	codes := s.codes()
	var turns []turnView
	for _, t := range src.Turns {
		turns = append(turns, turnView{Speaker: t.Speaker, Start: t.Start, Time: clock(t.Begin), Pieces: cut(t.Text, t.Start, list, codes)})
	}
	var cs []codingView
	for _, c := range list.Codings {
		cs = append(cs, codingView{Segment: c.Segment(), Code: c.Code, Path: list.Path(c.Code), Coder: c.Coder,
			Origin: string(c.Origin), Text: c.Text, Color: colorOf(codes, c.Code), Start: c.Start, End: c.End,
			Manual: c.Origin == coding.OriginManual, Rules: c.Origin == coding.OriginRules})
	}
	tree, err := s.codeTree(r.Context(), codes)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.render(w, "source.html", map[string]any{"Source": src, "Turns": turns, "Codings": cs, "Codes": codes, "Tree": tree, "CSRF": s.csrf})
}

// clock writes a turn's start as h:mm:ss, "" when it has none.
func clock(ms *int64) string {
	if ms == nil {
		return ""
	}
	sec := *ms / 1000
	if sec < 3600 {
		return fmt.Sprintf("%d:%02d", sec/60, sec%60)
	}
	return fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
}

// cut splits a turn's text (which starts at character start of its
// source) at every boundary of the codings that touch it. Offsets are in
// characters (code points), as the store keeps them.
func cut(text string, start int, list *app.Listing, codes []codeInfo) []piece {
	runes := []rune(text)
	end := start + len(runes)
	bounds := map[int]bool{start: true, end: true}
	var inside []coding.Coding
	for _, c := range list.Codings {
		if c.End <= start || c.Start >= end || c.End <= c.Start {
			continue
		}
		inside = append(inside, c)
		bounds[max(c.Start, start)] = true
		bounds[min(c.End, end)] = true
	}
	var at []int
	for b := range bounds {
		at = append(at, b)
	}
	slices.Sort(at)
	var out []piece
	for i := 0; i+1 < len(at); i++ {
		a, b := at[i], at[i+1]
		p := piece{Text: string(runes[a-start : b-start])}
		// Codings come by start, longest first: the outermost first.
		anchored := false
		for _, c := range inside {
			if c.Start <= a && c.End >= b {
				m := codingMark{Code: c.Code, Path: list.Path(c.Code), Coder: c.Coder, Color: colorOf(codes, c.Code)}
				if c.Start == a && !anchored {
					m.ID, anchored = anchor(a), true
				}
				p.Codings = append(p.Codings, m)
			}
		}
		out = append(out, p)
	}
	return out
}

func (s *Server) render(w http.ResponseWriter, page string, data any) {
	var b strings.Builder
	if err := pages.ExecuteTemplate(&b, page, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(b.String()))
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
	s.fail(w, r, status(err), app.Phrase(err, fieldLabel))
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
	pages.ExecuteTemplate(&b, "error.html", map[string]any{"Message": msg})
	w.Write([]byte(b.String()))
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
