package web

import (
	"net/http"
	"net/url"

	"qcode/app"
)

// frameworkView is what the Framework page shows: the matrix, the
// filters that chose it, and each cell's summary and quotes.
type frameworkView struct {
	CSRF                  string
	Themes, Attrs, Coder  string // the filters as given
	Matrix                frameworkMatrix
	Summarised, CellCount int
}

type frameworkMatrix struct {
	Themes     []frameworkTheme
	Attributes []string
	Cases      []frameworkRow
}

type frameworkTheme struct{ Code, Path string }

type frameworkRow struct {
	Case       string
	Attributes []string
	Cells      []frameworkCell
}

// frameworkCell is a cell: its summary (with who wrote it and when) and
// its quotes, the first few shown and the rest folded.
type frameworkCell struct {
	Case, Theme, ThemePath string
	Summary, By, Updated   string
	Shown, More            []quoteLink
}

// quoteLink is a quote's reference, linking to its passage on its
// source's page, with its text as the link's title.
type quoteLink struct{ Ref, Link, Text string }

// cellQuotes is how many of a cell's quotes the page lists before
// folding the rest.
const cellQuotes = 12

// frameworkPage shows the Framework matrix: a row per case, a column per
// theme (?themes=top or ids), then ?attrs=, the quotes from ?coder='s
// codings; each cell's summary editable in place.
func (s *Server) frameworkPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := frameworkView{CSRF: s.csrf, Themes: q.Get("themes"), Attrs: q.Get("attrs"), Coder: q.Get("coder")}
	m, err := s.p.Framework(r.Context(), app.FrameworkOptions{Coder: v.Coder, Themes: v.Themes, Attrs: app.SplitList(v.Attrs)})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	v.CellCount, v.Summarised, _ = m.Count()
	v.Matrix.Attributes = m.Attributes
	for _, th := range m.Themes {
		v.Matrix.Themes = append(v.Matrix.Themes, frameworkTheme{th.Code, th.Path})
	}
	for _, fc := range m.Cases {
		row := frameworkRow{Case: fc.Case, Attributes: fc.Attributes}
		for k, cell := range fc.Cells {
			c := frameworkCell{Case: fc.Case, Theme: m.Themes[k].Code, ThemePath: m.Themes[k].Path}
			if sm := cell.Summary; sm != nil {
				c.Summary, c.By, c.Updated = sm.Text, sm.Coder, sm.UpdatedAt.Local().Format("2006-01-02 15:04")
			}
			for i, qt := range cell.Quotes {
				l := quoteLink{Ref: qt.Ref, Link: "/sources/" + url.PathEscape(qt.Source) + "#" + anchor(qt.Start), Text: qt.Text}
				if i < cellQuotes {
					c.Shown = append(c.Shown, l)
				} else {
					c.More = append(c.More, l)
				}
			}
			row.Cells = append(row.Cells, c)
		}
		v.Matrix.Cases = append(v.Matrix.Cases, row)
	}
	s.render(w, "framework.html", v)
}

// summaryRequest is what the Framework page POSTs to
// /api/framework/summary: the cell, who writes, and its new text, or
// Clear to remove it.
type summaryRequest struct {
	Case  string `json:"case"`
	Theme string `json:"theme"`
	Coder string `json:"coder"`
	Text  string `json:"text"`
	Clear bool   `json:"clear"`
}

// setSummary writes or clears a cell's summary through app, and answers
// with what it did.
func (s *Server) setSummary(w http.ResponseWriter, r *http.Request) {
	var req summaryRequest
	if err := decode(w, r, &req, &req.Coder); err != nil {
		s.failErr(w, r, err)
		return
	}
	res, err := s.p.SetSummary(r.Context(), app.SummaryOptions{Case: req.Case, Theme: req.Theme, Coder: req.Coder, Text: req.Text, Clear: req.Clear})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"summary": res.Summary, "changed": res.Changed, "cleared": res.Cleared, "message": res.String()})
}
