package web

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"qcode/app"
)

// TestBrowserRejectsRulesCoding drives a real browser: on a source page it
// rejects a coding the rules made, and the next rules run leaves it out.
func TestBrowserRejectsRulesCoding(t *testing.T) {
	exe := chromium(t)
	s, p := testServer(t)
	ctx := context.Background()
	if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
		t.Fatal(err)
	}
	before, err := p.ListCodings(ctx, app.ListOptions{Source: "P01", Origin: "rules"})
	if err != nil || len(before.Codings) == 0 {
		t.Fatalf("the rules coded nothing in P01: %v", err)
	}
	bctx, stop := browse(t, s, exe)
	defer stop()

	first := before.Codings[0]
	button := `button.reject[data-segment="` + first.Segment() + `"][data-code="` + first.Code + `"]`
	err = chromedp.Do(bctx,
		chromedp.Navigate(s.URL()),
		chromedp.WaitVisible(chromedp.CSS("table.sources")),
		chromedp.Navigate("http://"+s.Addr()+"/sources/P01"),
		chromedp.WaitVisible(chromedp.CSS(button)),
		chromedp.SetValue(chromedp.ID("coder"), "amina"),
		chromedp.Click(chromedp.CSS(button), chromedp.NodeVisible),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The page reloads without the coding.
	if err := chromedp.Do(bctx, chromedp.WaitNotPresent(chromedp.CSS(button)), chromedp.WaitVisible(chromedp.ID("picker"))); err != nil {
		t.Fatal(err)
	}
	rejected, err := p.ListCodings(ctx, app.ListOptions{Rejected: true})
	if err != nil || len(rejected.Rejections) != 1 {
		t.Fatalf("rejections: %+v, %v", rejected, err)
	}
	if r := rejected.Rejections[0]; r.Segment() != first.Segment() || r.Code != first.Code || r.RejectedBy != "amina" {
		t.Errorf("rejected %s %s by %s, want %s %s by amina", r.Segment(), r.Code, r.RejectedBy, first.Segment(), first.Code)
	}
	if run, err := p.Code(ctx, app.CodeOptions{}); err != nil || run.Rejected != 1 || run.Added != 0 {
		t.Errorf("the rules run after the rejection: %+v, %v", run, err)
	}
	// The page lists the rejection, and accepting it undoes it: the next
	// rules run codes the passage again.
	accept := `#rejected button.accept[data-segment="` + first.Segment() + `"][data-code="` + first.Code + `"]`
	err = chromedp.Do(bctx,
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID("picker")),
		chromedp.SetValue(chromedp.ID("coder"), "amina"),
		chromedp.Click(chromedp.CSS(accept), chromedp.NodeVisible),
		chromedp.WaitNotPresent(chromedp.CSS(accept)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if rejected, err := p.ListCodings(ctx, app.ListOptions{Rejected: true}); err != nil || len(rejected.Rejections) != 0 {
		t.Fatalf("rejections after accepting: %+v, %v", rejected, err)
	}
	if run, err := p.Code(ctx, app.CodeOptions{}); err != nil || run.Rejected != 0 || run.Added != 1 {
		t.Errorf("the rules run after accepting: %+v, %v", run, err)
	}
}
