package web

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"qcode/app"
)

// summaryOf returns the stored summary of a case on a theme, or "".
func summaryOf(t *testing.T, p *app.Project, cs, theme string) string {
	t.Helper()
	m, err := p.Framework(context.Background(), app.FrameworkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range m.Cases {
		for k, cell := range row.Cells {
			if row.Case == cs && m.Themes[k].Code == theme && cell.Summary != nil {
				return cell.Summary.Text
			}
		}
	}
	return ""
}

// The Framework page shows each cell's quotes linked to their passages,
// and its summary API writes through app, refusing what app refuses and
// any POST without the page's CSRF token.
func TestFrameworkHandlers(t *testing.T) {
	s, p := testServer(t)
	ctx := context.Background()
	if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		body   map[string]any
		noCSRF bool
		status int
		says   string
	}{
		"no CSRF token":    {map[string]any{"case": "P01", "theme": "bidirectional_learning", "coder": "amina", "text": "x"}, true, http.StatusForbidden, "CSRF"},
		"no coder":         {map[string]any{"case": "P01", "theme": "bidirectional_learning", "coder": "", "text": "x"}, false, http.StatusBadRequest, "your name (coder)"},
		"unknown case":     {map[string]any{"case": "P1", "theme": "bidirectional_learning", "coder": "amina", "text": "x"}, false, http.StatusNotFound, "did you mean P01"},
		"unknown theme":    {map[string]any{"case": "P01", "theme": "bidirectional", "coder": "amina", "text": "x"}, false, http.StatusNotFound, "no such code"},
		"empty summary":    {map[string]any{"case": "P01", "theme": "bidirectional_learning", "coder": "amina", "text": " "}, false, http.StatusBadRequest, "the summary is empty"},
		"too long":         {map[string]any{"case": "P01", "theme": "bidirectional_learning", "coder": "amina", "text": strings.Repeat("x", 900)}, false, http.StatusBadRequest, "900 characters"},
		"nothing to clear": {map[string]any{"case": "P01", "theme": "bidirectional_learning", "coder": "amina", "clear": true}, false, http.StatusNotFound, "no summary"},
	} {
		w := s.do(t, request{method: http.MethodPost, path: "/api/framework/summary", body: codingJSON(t, c.body), noCSRF: c.noCSRF})
		if w.Code != c.status || !strings.Contains(w.Body.String(), c.says) {
			t.Errorf("%s: status %d: %s; want %d saying %q", name, w.Code, w.Body, c.status, c.says)
		}
	}
	if got := summaryOf(t, p, "P01", "bidirectional_learning"); got != "" {
		t.Fatalf("a refused request wrote %q", got)
	}
	w := s.do(t, request{method: http.MethodPost, path: "/api/framework/summary",
		body: codingJSON(t, map[string]any{"case": "P01", "theme": "Bidirectional learning", "coder": "amina", "text": "Came to <teach>, stayed to learn"})})
	var reply struct {
		Summary app.Summary `json:"summary"`
		Changed bool        `json:"changed"`
	}
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &reply) != nil || !reply.Changed || reply.Summary.Theme != "bidirectional_learning" {
		t.Fatalf("set: %d %s", w.Code, w.Body)
	}

	page := s.do(t, request{path: "/framework"})
	body := page.Body.String()
	if page.Code != http.StatusOK || !strings.Contains(body, "Came to &lt;teach&gt;, stayed to learn") {
		t.Fatalf("the page does not show the summary, escaped: %d", page.Code)
	}
	// Every quote of P01 on the theme links to its passage's anchor.
	m, err := p.Framework(ctx, app.FrameworkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	quotes := m.Cases[0].Cells[0].Quotes
	if len(quotes) == 0 {
		t.Fatal("P01 has no quotes on its first theme")
	}
	for _, q := range quotes {
		if !strings.Contains(body, `href="/sources/P01#c-`+itoa(q.Start)+`"`) {
			t.Errorf("no link to %s at c-%d", q.Ref, q.Start)
		}
	}
	// Filters go to app: an unknown theme is the page's error.
	if w := s.do(t, request{path: "/framework?themes=humilty"}); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "did you mean humility") {
		t.Errorf("unknown theme: %d %s", w.Code, w.Body)
	}
}

// TestBrowserFrameworkSummary drives a real browser: on the Framework page
// it writes a cell's summary in place, rewrites it and clears another,
// and follows a quote's link to its passage on the source page.
func TestBrowserFrameworkSummary(t *testing.T) {
	exe := chromium(t)
	s, p := testServer(t)
	ctx := context.Background()
	if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.SetSummary(ctx, app.SummaryOptions{Case: "P02", Theme: "partnership_aspects", Coder: "ben", Text: "to be cleared"}); err != nil {
		t.Fatal(err)
	}
	bctx, stop := browse(t, s, exe)
	defer stop()
	cell := func(cs, theme string) string { return `td.cell[data-case="` + cs + `"][data-theme="` + theme + `"] ` }
	p01 := cell("P01", "bidirectional_learning")
	const first, second = "Went out to teach", "Went out to teach; came back taught"
	text := func(sel string) string {
		t.Helper()
		got, err := chromedp.Run(bctx, chromedp.TextContent(chromedp.CSS(sel)))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	err := chromedp.Do(bctx,
		chromedp.Navigate(s.URL()),
		chromedp.WaitVisible(chromedp.CSS("table.sources")),
		chromedp.Click(chromedp.CSS(`header a[href="/framework"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("table.matrix")),
		chromedp.SetValue(chromedp.ID("coder"), "amina"),
		chromedp.Click(chromedp.CSS(p01+"button.summary-edit"), chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS(p01+"form.summary-editor textarea"), first),
		chromedp.Click(chromedp.CSS(p01+`form.summary-editor button[type="submit"]`), chromedp.NodeVisible),
		chromedp.WaitNotPresent(chromedp.CSS(p01+"form.summary-editor")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if shown := text(p01 + ".summary"); shown != first || summaryOf(t, p, "P01", "bidirectional_learning") != first {
		t.Fatalf("after saving: the cell shows %q, the store holds %q", shown, summaryOf(t, p, "P01", "bidirectional_learning"))
	}
	// Rewritten: the editor starts from the text there.
	err = chromedp.Do(bctx,
		chromedp.Click(chromedp.CSS(p01+"button.summary-edit"), chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS(p01+"form.summary-editor textarea"), "; came back taught"),
		chromedp.Click(chromedp.CSS(p01+`form.summary-editor button[type="submit"]`), chromedp.NodeVisible),
		chromedp.WaitNotPresent(chromedp.CSS(p01+"form.summary-editor")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if shown := text(p01 + ".summary"); shown != second || summaryOf(t, p, "P01", "bidirectional_learning") != second {
		t.Fatalf("after rewriting: the cell shows %q, the store holds %q", shown, summaryOf(t, p, "P01", "bidirectional_learning"))
	}
	p02 := cell("P02", "partnership_aspects")
	err = chromedp.Do(bctx,
		chromedp.Click(chromedp.CSS(p02+"button.summary-edit"), chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(p02+"button.summary-clear"), chromedp.NodeVisible),
		chromedp.WaitNotPresent(chromedp.CSS(p02+"form.summary-editor")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if shown := text(p02 + ".summary"); shown != "" || summaryOf(t, p, "P02", "partnership_aspects") != "" {
		t.Errorf("after clearing: the cell shows %q, the store holds %q", shown, summaryOf(t, p, "P02", "partnership_aspects"))
	}
	log, err := p.Log(ctx, app.LogOptions{What: "summary"})
	if err != nil || len(log) != 4 || log[1].Action != "edit" || log[1].OldText != first || log[1].Coder != "amina" {
		t.Errorf("log: %+v, %v", log, err)
	}

	// A quote's reference goes to its passage's anchor on the source page.
	href, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.querySelector('`+p01+`.quotes a').getAttribute("href")`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(bctx, chromedp.Click(chromedp.CSS(p01+".quotes a"), chromedp.NodeVisible), chromedp.WaitVisible(chromedp.CSS("#source"))); err != nil {
		t.Fatal(err)
	}
	target, err := chromedp.Run(bctx, chromedp.Evaluate[string](`location.pathname + location.hash + " " + (document.getElementById(location.hash.slice(1))?.id ?? "none")`))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^/sources/P01#c-\d+ c-\d+$`).MatchString(target) || !strings.HasPrefix(target, href+" ") {
		t.Errorf("the quote's link %s lands on %q, want its anchor on P01's page", href, target)
	}
}
