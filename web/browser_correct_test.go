package web

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"qcode/app"
)

// TestBrowserEditTurn corrects a turn's text from the keyboard: Tab to
// the turn's "Edit text", change the words in the box and save. The
// coding on words that stay keeps them, the one on words that changed is
// listed for review with a link to it, and the turn and the one after it
// show the new text and offsets without the page being loaded again.
func TestBrowserEditTurn(t *testing.T) {
	exe := chromium(t)
	s, p := testServer(t)
	ctx := context.Background()
	for _, phrase := range []string{"learned from each other", "every single day", "nobody minded"} {
		start, end := spanOf(t, p, "X01", phrase)
		if _, err := p.AddCoding(ctx, app.CodingOptions{Segment: "X01:" + itoa(start) + "-" + itoa(end), Code: "humility", Coder: "amina"}); err != nil {
			t.Fatal(err)
		}
	}
	bctx, stop := browse(t, s, exe)
	defer stop()

	err := chromedp.Do(bctx,
		openSource(s, "X01"),
		chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`),
		chromedp.Focus(chromedp.CSS(`.text[aria-label="turn 2, Ana"]`)),
		chromedp.KeyEvent(kb.Tab),
		chromedp.Poll[chromedp.Void](`document.activeElement.matches('button.edit-text[data-turn="2"]')`),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS("form.turn-edit textarea")),
		chromedp.Poll[chromedp.Void](`document.activeElement.matches("form.turn-edit textarea")`),
		chromedp.SetValue(chromedp.CSS("form.turn-edit textarea"), "Café naïve 🙂 talk: we truly learned from each other, every day."),
		chromedp.Click(chromedp.CSS("form.turn-edit .save-text")),
		chromedp.WaitVisible(chromedp.ID("review")),
		// The turn and those after it are swapped in once the page has them.
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("form.turn-edit").length === 0`),
	)
	if err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(bctx, chromedp.Evaluate[map[string]any](`(() => ({
		summary: document.getElementById("review-summary").textContent,
		links: [...document.querySelectorAll("#review-list a")].map(a => a.getAttribute("href") + " " + a.textContent),
		item: document.querySelector("#review-list li").textContent,
		turn: document.querySelector('.text[aria-label="turn 2, Ana"]').textContent,
		last: document.querySelector('.text[aria-label="turn 4, Ana"]').dataset.start,
		rows: [...document.querySelectorAll("#codings td.quote")].map(td => td.textContent),
		hash: document.getElementById("source").dataset.hash,
		notReloaded: window.notReloaded === true,
		editing: document.querySelectorAll("form.turn-edit").length,
	}))()`))
	if err != nil {
		t.Fatal(err)
	}
	src, err := p.SourceTurns(ctx, "X01")
	if err != nil {
		t.Fatal(err)
	}
	ev := src.Turns[1].Start + len([]rune("Café naïve 🙂 talk: we truly learned from each other, "))
	want := map[string]any{
		"summary":     "Turn 2 corrected: 2 codings moved with their words, 1 changed.",
		"links":       []any{"#c-" + itoa(ev) + " X01:" + itoa(ev) + "-" + itoa(ev+9) + " humility by amina"},
		"item":        "X01:" + itoa(ev) + "-" + itoa(ev+9) + " humility by amina: “every day” (was “every single day”)",
		"turn":        src.Turns[1].Text,
		"last":        itoa(src.Turns[3].Start),
		"rows":        []any{"learned from each other", "every day", "nobody minded"},
		"hash":        src.Hash,
		"notReloaded": true,
		"editing":     0.0,
	}
	for k, v := range want {
		if g := got[k]; !equalJSON(g, v) {
			t.Errorf("%s = %v, want %v", k, g, v)
		}
	}
	if !strings.Contains(src.Text, "we truly learned") {
		t.Errorf("the store holds %q", src.Turns[1].Text)
	}
}

// equalJSON compares two values as JSON decodes them.
func equalJSON(a, b any) bool {
	as, aok := a.([]any)
	bs, bok := b.([]any)
	if aok != bok {
		return false
	}
	if aok {
		if len(as) != len(bs) {
			return false
		}
		for i := range as {
			if !equalJSON(as[i], bs[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}
