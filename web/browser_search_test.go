package web

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserCodesSearchHits drives a real browser: from the sources page
// it opens the search, searches learn*, ticks two hits, picks a code by
// its name and codes the ticked hits; the store holds exactly those two,
// recorded with the query as the command line records them.
func TestBrowserCodesSearchHits(t *testing.T) {
	exe := chromium(t)
	s, p := testServer(t)
	bctx, stop := browse(t, s, exe)
	defer stop()

	tick := func(seg string) chromedp.Action[chromedp.Void] {
		return chromedp.Click(chromedp.CSS(`input.tick[data-segment="`+seg+`"]`), chromedp.NodeVisible)
	}
	err := chromedp.Do(bctx,
		chromedp.Navigate(s.URL()),
		chromedp.Click(chromedp.CSS(`header a[href="/search"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`input[name="q"]`)),
		chromedp.SetValue(chromedp.CSS(`input[name="q"]`), "learn*"),
		chromedp.Submit(chromedp.CSS(`input[name="q"]`)),
		chromedp.WaitVisible(chromedp.CSS("table.hits")),
		tick("P02:s47"),
		tick("X01:s2"),
		chromedp.SetValue(chromedp.ID("code"), "Learning from the LMIC partner"),
		chromedp.SetValue(chromedp.ID("coder"), "amina"),
		chromedp.Click(chromedp.ID("code-ticked")),
		chromedp.Poll[chromedp.Void](`document.getElementById("message").textContent !== ""`),
	)
	if err != nil {
		t.Fatal(err)
	}
	said, err := chromedp.Run(bctx, chromedp.Text(chromedp.ID("message")))
	if err != nil {
		t.Fatal(err)
	}
	if said != "Coded 2 sentences as learning_from_partner by amina." {
		t.Errorf("the page says %q", said)
	}
	marked, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("td.kwic mark")].map(m => m.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(marked) == 0 || slices.ContainsFunc(marked, func(m string) bool { return !strings.HasPrefix(strings.ToLower(m), "learn") }) {
		t.Errorf("the page marks %q; want learn* words only", marked)
	}
	checkSearchCodings(t, p, "amina", "learn*", "P02:s47", "X01:s2")
	// A hit's link lands on its turn in the source, highlighted.
	err = chromedp.Do(bctx,
		chromedp.Click(chromedp.CSS(`a.hit[href^="/sources/X01"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.ID("picker")),
		chromedp.Poll[chromedp.Void](`document.querySelector(".turn:target") !== null`),
	)
	if err != nil {
		t.Fatal(err)
	}
	landed, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(".turn:target .text")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(landed, "we learned from each other") {
		t.Errorf("the hit's link lands on the turn %q", landed)
	}
}
