package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"qcode/app"
	"qcode/coding"
)

// suggestingServer is testServer with amina's codings of P01 and P02 and
// the codes a model learnt from them suggested for the other sentences.
func suggestingServer(t *testing.T) (*Server, *app.Project) {
	t.Helper()
	s, p := testServer(t)
	ctx := context.Background()
	data, err := os.ReadFile(filepath.Join(filepath.Dir(p.Dir), "sample", "codings", "amina.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var keep []string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if strings.HasPrefix(line, "segment,") || strings.HasPrefix(line, "P01:") || strings.HasPrefix(line, "P02:") {
			keep = append(keep, line)
		}
	}
	sheet := filepath.Join(t.TempDir(), "amina.csv")
	if err := os.WriteFile(sheet, []byte(strings.Join(keep, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ImportCodings(ctx, sheet, "amina"); err != nil {
		t.Fatal(err)
	}
	if res, err := p.SuggestCodes(ctx, app.SuggestCodesOptions{MinExamples: 3}); err != nil || res.Suggested == 0 {
		t.Fatalf("suggested %+v, %v", res, err)
	}
	return s, p
}

// TestSourcePageShowsSuggestions: a source's page outlines suggested codes
// on their sentences, lists them apart from the codings, and gives the
// suggestions no stripe (they are not codings).
func TestSourcePageShowsSuggestions(t *testing.T) {
	s, p := suggestingServer(t)
	ss, err := p.Suggestions(context.Background(), app.SuggestionsOptions{Source: "X01"})
	if err != nil || len(ss) == 0 {
		t.Fatalf("suggestions in X01: %d, %v", len(ss), err)
	}
	page := s.do(t, request{path: "/sources/X01"}).Body.String()
	if n := strings.Count(page, `<span class="suggested"`); n < len(ss) {
		t.Errorf("%d suggested marks in the text, want one or more for each of %d suggestions", n, len(ss))
	}
	if strings.Contains(page, `class="stripe" data-coder=""`) {
		t.Error("a suggestion has a stripe, as a coding has")
	}
	for _, g := range ss[:min(3, len(ss))] {
		if !strings.Contains(page, fmt.Sprintf(`<tr data-suggestion="%d"><td>%s</td>`, g.ID, g.Segment())) {
			t.Errorf("suggestion %d (%s %s) is not listed", g.ID, g.Segment(), g.Code)
		}
	}
}

// TestBrowserAcceptsAndRejectsSuggestions drives a real browser: on a
// source page it accepts one suggested code, which becomes the person's
// coding with origin suggested, and rejects another, which the next run
// does not suggest again.
func TestBrowserAcceptsAndRejectsSuggestions(t *testing.T) {
	exe := chromium(t)
	s, p := suggestingServer(t)
	ctx := context.Background()
	ss, err := p.Suggestions(ctx, app.SuggestionsOptions{Source: "X01"})
	if err != nil || len(ss) < 2 {
		t.Fatalf("suggestions in X01: %d, %v", len(ss), err)
	}
	bctx, stop := browse(t, s, exe)
	defer stop()
	accept := fmt.Sprintf(`button.accept-suggestion[data-id="%d"]`, ss[0].ID)
	reject := fmt.Sprintf(`button.reject-suggestion[data-id="%d"]`, ss[1].ID)
	err = chromedp.Do(bctx,
		chromedp.Navigate(s.URL()),
		chromedp.WaitVisible(chromedp.CSS("table.sources")),
		chromedp.Navigate("http://"+s.Addr()+"/sources/X01"),
		chromedp.WaitVisible(chromedp.CSS(accept)),
		chromedp.WaitVisible(chromedp.CSS("span.suggested")),
		chromedp.SetValue(chromedp.ID("coder"), "ben"),
		chromedp.Click(chromedp.CSS(accept), chromedp.NodeVisible),
		chromedp.WaitNotPresent(chromedp.CSS(accept)),
		chromedp.WaitVisible(chromedp.CSS(reject)),
		chromedp.SetValue(chromedp.ID("coder"), "ben"),
		chromedp.Click(chromedp.CSS(reject), chromedp.NodeVisible),
		chromedp.WaitNotPresent(chromedp.CSS(reject)),
	)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.ListCodings(ctx, app.ListOptions{Origin: string(coding.OriginSuggested)})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Codings) != 1 || got.Codings[0].Coder != "ben" || got.Codings[0].Segment() != ss[0].Segment() || got.Codings[0].Code != ss[0].Code || got.Codings[0].ModelHash != ss[0].ModelHash {
		t.Fatalf("accepted codings %+v, want %s %s by ben", got.Codings, ss[0].Segment(), ss[0].Code)
	}
	// The API refuses a suggestion no longer there.
	if w := s.do(t, request{method: "POST", path: "/api/suggestions/accept", body: fmt.Sprintf(`{"id": %d, "coder": "ben"}`, ss[1].ID)}); w.Code != 404 || !strings.Contains(w.Body.String(), "no such suggestion") {
		t.Errorf("accepting a rejected suggestion: %d %s", w.Code, w.Body.String())
	}
	if _, err := p.SuggestCodes(ctx, app.SuggestCodesOptions{MinExamples: 3}); err != nil {
		t.Fatal(err)
	}
	again, err := p.Suggestions(ctx, app.SuggestionsOptions{Source: "X01"})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range again {
		if g.Segment() == ss[0].Segment() || g.Segment() == ss[1].Segment() && g.Code == ss[1].Code {
			t.Errorf("suggested again after accepting or rejecting: %s %s", g.Segment(), g.Code)
		}
	}
}
