package web

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"qcode/app"
	"qcode/coding"
)

// TestBrowserMemoOnCoding drives a real browser: on a source page it adds
// a memo to a coding the rules made, through the row's memo control, then
// edits it, and the store holds the memo on that coding with the new text.
// It adds a memo on the source from the page's panel too, and deletes it.
func TestBrowserMemoOnCoding(t *testing.T) {
	exe := chromium(t)
	s, p := testServer(t)
	ctx := context.Background()
	if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
		t.Fatal(err)
	}
	rules, err := p.ListCodings(ctx, app.ListOptions{Source: "P01", Origin: "rules"})
	if err != nil || len(rules.Codings) == 0 {
		t.Fatalf("the rules coded nothing in P01: %v", err)
	}
	c := rules.Codings[0]
	bctx, stop := browse(t, s, exe)
	defer stop()

	row := `tr:has(button.memo-coding[data-segment="` + c.Segment() + `"][data-code="` + c.Code + `"][data-of="rules"]) `
	const first, second = "The rule caught a <real> case here", "The rule caught a real case; ask Ana"
	err = chromedp.Do(bctx,
		chromedp.Navigate(s.URL()),
		chromedp.WaitVisible(chromedp.CSS("table.sources")),
		chromedp.Navigate("http://"+s.Addr()+"/sources/P01"),
		chromedp.WaitVisible(chromedp.CSS(row+"button.memo-coding")),
		chromedp.SetValue(chromedp.ID("coder"), "amina"),
		chromedp.Click(chromedp.CSS(row+"button.memo-coding"), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(row+"form.memo-editor textarea")),
		chromedp.SendKeys(chromedp.CSS(row+"form.memo-editor textarea"), first),
		chromedp.Click(chromedp.CSS(row+`form.memo-editor button[type="submit"]`), chromedp.NodeVisible),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The page reloads, and the row shows its memo.
	reloadedWith(bctx, `document.querySelector('`+row+`.memo-text')?.textContent === "`+first+`"`)
	err = chromedp.Do(bctx,
		chromedp.Click(chromedp.CSS(row+"button.memo-edit"), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(row+"form.memo-editor textarea")),
		chromedp.SetValue(chromedp.CSS(row+"form.memo-editor textarea"), second),
		chromedp.Click(chromedp.CSS(row+`form.memo-editor button[type="submit"]`), chromedp.NodeVisible),
	)
	if err != nil {
		t.Fatal(err)
	}
	reloadedWith(bctx, `document.querySelector('`+row+`.memo-text')?.textContent === "`+second+`"`)

	// The source's own memo, from the panel: added, then deleted.
	const note = "Dr Marsh asked to see the transcript"
	err = chromedp.Do(bctx,
		chromedp.SendKeys(chromedp.ID("memo-new-text"), note),
		chromedp.Click(chromedp.CSS(`form.memo-new button[type="submit"]`), chromedp.NodeVisible),
	)
	if err != nil {
		t.Fatal(err)
	}
	reloadedWith(bctx, `document.querySelector('.memo-list .memo-text')?.textContent === "`+note+`"`)
	if err := chromedp.Do(bctx, chromedp.Click(chromedp.CSS(".memo-list button.memo-remove"), chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	reloadedWith(bctx, `document.querySelector("section.memos") !== null && document.querySelector(".memo-list") === null`)
	ms, err := p.ListMemos(ctx, app.MemoFilter{})
	if err != nil || len(ms) != 1 {
		t.Fatalf("memos stored: %+v, %v (want the coding's; the source's was deleted)", ms, err)
	}
	m := ms[0]
	if m.Kind != coding.MemoCoding || m.Source != "P01" || m.Start != c.Start || m.End != c.End || m.Code != c.Code || m.CodingCoder != coding.RulesCoder ||
		m.Coder != "amina" || m.Text != second || m.UpdatedAt.Before(m.CreatedAt) {
		t.Errorf("stored %+v, want a memo by amina on %s %s by rules saying %q", m, c.Segment(), c.Code, second)
	}
}

// reloadedWith waits until the page, reloaded after a change, makes the
// script cond true. A script run while the page reloads fails; it is run
// again on the new page. The new page must also have finished loading: a
// node found while the document is still being parsed can be replaced
// before the next action reaches it, which chromedp reports as "Could not
// find node with given id" (seen under load).
func reloadedWith(bctx context.Context, cond string) {
	cond = `document.readyState === "complete" && (` + cond + `)`
	for {
		if ok, err := chromedp.Run(bctx, chromedp.Evaluate[bool](cond)); err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
