package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"qcode/app"
	"qcode/coding"
)

// memoRequest is what the page POSTs to /api/memos: what the memo
// describes (a source; a code; a coding by its segment, code and coder,
// Of; or the project), who writes it and its text, as app.MemoOptions
// takes them.
type memoRequest struct {
	Source  string `json:"source"`
	Segment string `json:"segment"`
	Code    string `json:"code"`
	Of      string `json:"of"`
	Project bool   `json:"project"`
	Coder   string `json:"coder"`
	Text    string `json:"text"`
}

// memoChange is what the page POSTs to /api/memos/edit (with Text) and
// /api/memos/remove (without).
type memoChange struct {
	ID    int64  `json:"id"`
	Coder string `json:"coder"`
	Text  string `json:"text"`
}

func (s *Server) addMemo(w http.ResponseWriter, r *http.Request) {
	var req memoRequest
	if err := decode(w, r, &req, &req.Coder); err != nil {
		s.failErr(w, r, err)
		return
	}
	m, err := s.p.AddMemo(r.Context(), app.MemoOptions{Source: req.Source, Segment: req.Segment, Code: req.Code, Of: req.Of, Project: req.Project, Coder: req.Coder, Text: req.Text})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) editMemo(w http.ResponseWriter, r *http.Request) {
	s.changeMemo(w, r, func(ctx context.Context, req memoChange) (*app.Memo, error) {
		return s.p.EditMemo(ctx, req.ID, req.Coder, req.Text)
	})
}

func (s *Server) removeMemo(w http.ResponseWriter, r *http.Request) {
	s.changeMemo(w, r, func(ctx context.Context, req memoChange) (*app.Memo, error) {
		return s.p.DeleteMemo(ctx, req.ID, req.Coder)
	})
}

// changeMemo does to the memo a memoChange names what change does, and
// answers with the memo.
func (s *Server) changeMemo(w http.ResponseWriter, r *http.Request, change func(context.Context, memoChange) (*app.Memo, error)) {
	var req memoChange
	if err := decode(w, r, &req, &req.Coder); err != nil {
		s.failErr(w, r, err)
		return
	}
	m, err := change(r.Context(), req)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

// memoView is a memo as the pages show it, with a link to what it
// describes.
type memoView struct {
	ID                            int64
	Kind, Target, Link            string
	Coder, Created, Updated, Text string
}

// memoPanel is the memos a page shows in its panel, and what a memo added
// there describes (Source, Code, or the project on the memos page).
type memoPanel struct {
	CSRF         string
	Title        string
	Source, Code string
	Project      bool
	// AskCoder shows a coder field: the source page has one of its own.
	AskCoder bool
	Memos    []memoView
}

func (s *Server) viewMemo(m app.Memo, path func(string) string) memoView {
	v := memoView{ID: m.ID, Kind: string(m.Kind), Target: m.Target(), Coder: m.Coder, Text: m.Text,
		Created: m.CreatedAt.Local().Format("2006-01-02 15:04")}
	if !m.UpdatedAt.Equal(m.CreatedAt) {
		v.Updated = m.UpdatedAt.Local().Format("2006-01-02 15:04")
	}
	switch m.Kind {
	case coding.MemoSource:
		v.Link = "/sources/" + url.PathEscape(m.Source)
	case coding.MemoCode:
		v.Target, v.Link = "code "+path(m.Code), "/codes/"+url.PathEscape(m.Code)
	case coding.MemoCoding:
		v.Target = fmt.Sprintf("%s on %s:%d-%d by %s", path(m.Code), m.Source, m.Start, m.End, m.CodingCoder)
		v.Link = "/sources/" + url.PathEscape(m.Source) + "#" + anchor(m.Start)
	case coding.MemoProject:
		v.Link = "/memos"
	}
	return v
}

// codePath gives a code's path in the codebook, or its id.
func (s *Server) codePath() func(string) string {
	cb, err := s.p.Codebook()
	return func(id string) string {
		if err == nil {
			if c := cb.Code(id); c != nil {
				return c.Path()
			}
		}
		return id
	}
}

// codingKey names a coding as a coding memo names it.
func codingKey(start, end int, code, coder string) string {
	return strconv.Itoa(start) + "-" + strconv.Itoa(end) + " " + code + " " + coder
}

// sourceMemos returns the panel of a source's memos, and the memos on its
// codings by codingKey.
func (s *Server) sourceMemos(ctx context.Context, source string) (memoPanel, map[string][]memoView, error) {
	panel := memoPanel{CSRF: s.csrf, Title: "Memos on " + source, Source: source}
	ms, err := s.p.ListMemos(ctx, app.MemoFilter{Source: source})
	if err != nil {
		return panel, nil, err
	}
	path := s.codePath()
	byCoding := map[string][]memoView{}
	for _, m := range ms {
		v := s.viewMemo(m, path)
		if m.Kind == coding.MemoCoding {
			k := codingKey(m.Start, m.End, m.Code, m.CodingCoder)
			byCoding[k] = append(byCoding[k], v)
			continue
		}
		panel.Memos = append(panel.Memos, v)
	}
	return panel, byCoding, nil
}

// codeMemos returns the panel of the memos on a code and its codings.
func (s *Server) codeMemos(ctx context.Context, id, path string) (memoPanel, error) {
	panel := memoPanel{CSRF: s.csrf, Title: "Memos on " + path, Code: id, AskCoder: true}
	ms, err := s.p.ListMemos(ctx, app.MemoFilter{Code: id})
	if err != nil {
		return panel, err
	}
	paths := s.codePath()
	for _, m := range ms {
		panel.Memos = append(panel.Memos, s.viewMemo(m, paths))
	}
	return panel, nil
}

// memosPage lists every memo, or those on ?source= and its codings, or
// on ?code= and its codings, each linked to what it describes.
func (s *Server) memosPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := app.MemoFilter{Source: q.Get("source"), Code: q.Get("code")}
	ms, err := s.p.ListMemos(r.Context(), f)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	// Unfiltered, the page is the project's own: a memo added there is
	// on the project.
	panel := memoPanel{CSRF: s.csrf, Title: "Memos", AskCoder: true, Project: f.Source == "" && f.Code == ""}
	path := s.codePath()
	for _, m := range ms {
		panel.Memos = append(panel.Memos, s.viewMemo(m, path))
	}
	s.render(w, "memos.html", map[string]any{"Filter": f, "Memos": panel})
}
