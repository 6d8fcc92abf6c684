package web

import (
	"bytes"
	"context"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"qcode/app"
)

// selectPhrase is a script that selects phrase in the first turn holding
// it, as a mouse would, and returns the selection.
func selectPhrase(phrase string) string {
	return `(() => {
		const phrase = ` + jsString(phrase) + `;
		const text = [...document.querySelectorAll(".text")].find(el => el.textContent.includes(phrase));
		const walk = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
		for (let node = walk.nextNode(); node; node = walk.nextNode()) {
			const at = node.data.indexOf(phrase);
			if (at < 0) continue;
			const range = document.createRange();
			range.setStart(node, at);
			range.setEnd(node, at + phrase.length);
			const sel = window.getSelection();
			sel.removeAllRanges();
			sel.addRange(range);
			return sel.toString();
		}
		return "";
	})()`
}

func jsString(s string) string {
	return "`" + strings.NewReplacer("`", "\\`", "\\", "\\\\", "${", "\\${").Replace(s) + "`"
}

// openSource opens the workspace with its token and then a source's page,
// as amina.
func openSource(s *Server, name string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(s.URL()),
		chromedp.WaitVisible(chromedp.CSS("table.sources")),
		chromedp.Navigate("http://"+s.Addr()+"/sources/"+name),
		chromedp.WaitVisible(chromedp.ID("picker")),
		chromedp.SetValue(chromedp.ID("coder"), "amina"),
	)
}

// TestBrowserKeyboardCoding codes with the keyboard alone: Tab into a
// turn, move and select by word with the arrows, and press 1 for the most
// recent code.
func TestBrowserKeyboardCoding(t *testing.T) {
	exe := chromium(t)
	s, p := testServer(t)
	bctx, stop := browse(t, s, exe)
	defer stop()

	err := chromedp.Do(bctx,
		openSource(s, "X01"),
		chromedp.Evaluate[chromedp.Void](`localStorage.setItem("qcode.recent", JSON.stringify(["humility", "risk_aversion"]))`),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`#recent button[data-code="humility"]`)),
		chromedp.SetValue(chromedp.ID("coder"), "amina"),
		chromedp.Focus(chromedp.CSS(`.text[aria-label="turn 2, Ana"]`)),
		chromedp.KeyEvent(kb.ArrowRight),
		chromedp.KeyEvent(kb.ArrowRight),
		chromedp.KeyEvent(kb.ArrowRight, chromedp.KeyModifiers(chromedp.ModifierShift)),
		chromedp.KeyEvent(kb.ArrowRight, chromedp.KeyModifiers(chromedp.ModifierShift)),
	)
	if err != nil {
		t.Fatal(err)
	}
	selected, err := chromedp.Run(bctx, chromedp.Evaluate[string](`window.getSelection().toString()`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(selected) == "" || !strings.Contains(interview, selected) {
		t.Fatalf("the keys selected %q", selected)
	}
	// selectionchange comes after the keys, in its own task: wait until
	// the page has the whole selection.
	err = chromedp.Do(bctx,
		chromedp.Poll[chromedp.Void](`document.getElementById("selection").textContent.includes("“" + window.getSelection().toString().slice(0, 60) + "”")`),
		chromedp.KeyEvent("1"),
		chromedp.WaitVisible(chromedp.CSS(".text .coded")))
	if err != nil {
		t.Fatal(err)
	}
	list, err := p.ListCodings(context.Background(), app.ListOptions{Source: "X01", Coder: "amina"})
	if err != nil || len(list.Codings) != 1 {
		t.Fatalf("codings stored: %+v, %v", list, err)
	}
	want := strings.TrimSpace(selected)
	if c := list.Codings[0]; c.Code != "humility" || c.Text != want {
		t.Errorf("stored %s %q, want humility %q", c.Code, c.Text, want)
	}
}

// TestBrowserNewCodeAndChange makes a code from the picker for a
// selection, then moves that coding to another phrase and re-codes it.
func TestBrowserNewCodeAndChange(t *testing.T) {
	exe := chromium(t)
	s, p := testServer(t)
	bctx, stop := browse(t, s, exe)
	defer stop()
	ctx := context.Background()

	err := chromedp.Do(bctx,
		openSource(s, "X01"),
		chromedp.Evaluate[chromedp.Void](selectPhrase("learned from each other")),
		chromedp.Poll[chromedp.Void](`document.getElementById("selection").textContent !== ""`),
		chromedp.SetValue(chromedp.ID("code"), "Peer exchange"),
		chromedp.Click(chromedp.ID("apply")),
		chromedp.WaitVisible(chromedp.ID("nc-name")),
		chromedp.SetValue(chromedp.ID("nc-parent"), "enablers"),
		chromedp.Click(chromedp.ID("nc-create")),
		chromedp.WaitVisible(chromedp.CSS("button.change")),
	)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := p.Codebook()
	if err != nil {
		t.Fatal(err)
	}
	if c := cb.Code("peer_exchange"); c == nil || c.Parent == nil || c.Parent.ID != "enablers" {
		t.Fatalf("codebook.yaml lacks the new code under Enablers:\n%s", cb.Data)
	}
	list, err := p.ListCodings(ctx, app.ListOptions{Source: "X01", Coder: "amina"})
	if err != nil || len(list.Codings) != 1 || list.Codings[0].Code != "peer_exchange" || list.Codings[0].Text != "learned from each other" {
		t.Fatalf("after making the code: %+v, %v", list, err)
	}

	err = chromedp.Do(bctx,
		chromedp.Click(chromedp.CSS("button.change"), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.ID("editing")),
		chromedp.Evaluate[chromedp.Void](selectPhrase("single da")),
		chromedp.SetValue(chromedp.ID("code"), "humility"),
		chromedp.Click(chromedp.ID("apply")),
		chromedp.WaitNotVisible(chromedp.ID("editing")),
		chromedp.WaitVisible(chromedp.CSS(".text .coded")),
	)
	if err != nil {
		t.Fatal(err)
	}
	list, err = p.ListCodings(ctx, app.ListOptions{Source: "X01", Coder: "amina"})
	if err != nil || len(list.Codings) != 1 {
		t.Fatalf("after the change: %+v, %v", list, err)
	}
	start, end := spanOf(t, p, "X01", "single day")
	if c := list.Codings[0]; c.Code != "humility" || c.Start != start || c.End != end {
		t.Errorf("changed to %s [%d,%d) %q, want humility [%d,%d) \"single day\"", c.Code, c.Start, c.End, c.Text, start, end)
	}
}

var updateScreenshot = flag.Bool("update-screenshot", false, "write the README's screenshot of the workspace (docs/workspace.png)")

// screenshot is the README's picture of the workspace, taken by
// TestBrowserLaptopScreen with -update-screenshot.
const screenshot = "../docs/workspace.png"

// TestBrowserLaptopScreen opens a coded source on a 1366×768 laptop
// screen: nothing runs off the side, and the picker, the text and the
// codebook are all in view.
func TestBrowserLaptopScreen(t *testing.T) {
	exe := chromium(t)
	s, _ := codedServer(t)
	bctx, stop := browse(t, s, exe)
	defer stop()

	err := chromedp.Do(bctx,
		chromedp.EmulateViewport(1366, 768),
		openSource(s, "P03"),
		chromedp.Evaluate[chromedp.Void](`localStorage.setItem("qcode.recent", JSON.stringify(["humility", "risk_aversion", "active_debriefs"]))`),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`#recent button`)),
		chromedp.SetValue(chromedp.ID("coder"), "amina"),
		chromedp.Evaluate[chromedp.Void](selectPhrase("national guidance")),
		chromedp.Evaluate[chromedp.Void](`window.getSelection().getRangeAt(0).startContainer.parentElement.scrollIntoView({block: "center"})`),
		chromedp.Poll[chromedp.Void](`document.getElementById("selection").textContent !== ""`),
	)
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	fit, err := chromedp.Run(bctx, chromedp.Evaluate[map[string]float64](`(() => {
		const r = (q) => document.querySelector(q).getBoundingClientRect();
		return {scroll: document.documentElement.scrollWidth, apply: r("#apply").right, aside: r("aside.codebook").right,
			asideLeft: r("aside.codebook").left, text: r(".text").width, picker: r("#picker").height};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if fit["scroll"] > 1366 || fit["apply"] > 1366 || fit["aside"] > 1366 || fit["asideLeft"] > 1366-200 {
		t.Errorf("the page does not fit a 1366-pixel screen: %v", fit)
	}
	if fit["text"] < 500 || fit["picker"] > 768/4 {
		t.Errorf("the text is %.0f pixels wide and the picker %.0f high on a 1366×768 screen", fit["text"], fit["picker"])
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil || img.Bounds().Dx() != 1366 || img.Bounds().Dy() != 768 {
		t.Fatalf("screenshot: %v, %v", img.Bounds(), err)
	}
	if *updateScreenshot {
		if err := os.WriteFile(screenshot, shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The README shows the screenshot this test takes.
	old, err := os.ReadFile(screenshot)
	if err != nil {
		t.Fatalf("no screenshot for the README: run go test ./web -run TestBrowserLaptopScreen -update-screenshot (%v)", err)
	}
	if cfg, err := png.DecodeConfig(bytes.NewReader(old)); err != nil || cfg.Width != 1366 || cfg.Height != 768 {
		t.Errorf("%s is not a 1366×768 screenshot: %+v, %v", screenshot, cfg, err)
	}
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil || !bytes.Contains(readme, []byte("](docs/workspace.png)")) {
		t.Errorf("README.md does not show %s", screenshot)
	}
}

// TestBrowserCodesInPlace codes a selection, changes the coding and
// removes it, and the page shows each step without loading itself again:
// the turn, the codings table and the codebook's counts are swapped in.
func TestBrowserCodesInPlace(t *testing.T) {
	exe := chromium(t)
	s, p := testServer(t)
	bctx, stop := browse(t, s, exe)
	defer stop()
	ctx := context.Background()

	shown := func(want string) {
		t.Helper()
		err := chromedp.Do(bctx, chromedp.Poll[chromedp.Void](`(() => {
			const spans = [...document.querySelectorAll('.text .coded[data-coder="amina"]')].map(el => el.textContent).join("|");
			const rows = document.querySelectorAll('#codings tr[data-coder="amina"]').length;
			return spans === `+jsString(want)+` && rows === (spans === "" ? 0 : 1);
		})()`))
		if err != nil {
			got, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`[...document.querySelectorAll('.text .coded[data-coder="amina"]')].map(el => el.textContent).join("|")`))
			t.Fatalf("the page shows amina's codings as %q, want %q: %v", got, want, err)
		}
	}
	err := chromedp.Do(bctx,
		openSource(s, "X01"),
		chromedp.Evaluate[chromedp.Void](`window.__sameDocument = true`),
		chromedp.Evaluate[chromedp.Void](selectPhrase("learned from each other")),
		chromedp.Poll[chromedp.Void](`document.getElementById("selection").textContent.includes("learned from each other")`),
		chromedp.SetValue(chromedp.ID("code"), "humility"),
		chromedp.Click(chromedp.ID("apply")),
	)
	if err != nil {
		t.Fatal(err)
	}
	shown("learned from each other")
	count, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.querySelector('#tree li[data-code="humility"]').dataset.count`))
	if err != nil || count != "1" {
		t.Errorf("the codebook counts humility %q after coding, want 1 (%v)", count, err)
	}
	err = chromedp.Do(bctx,
		chromedp.Click(chromedp.CSS(`button.change[data-coder="amina"]`), chromedp.NodeVisible),
		chromedp.Evaluate[chromedp.Void](selectPhrase("every single day")),
		chromedp.Poll[chromedp.Void](`document.getElementById("selection").textContent.includes("every single day")`),
		chromedp.Click(chromedp.ID("apply")),
	)
	if err != nil {
		t.Fatal(err)
	}
	shown("every single day")
	if err := chromedp.Do(bctx, chromedp.Click(chromedp.CSS(`button.remove[data-coder="amina"]`), chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	shown("")
	same, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`window.__sameDocument === true`))
	if err != nil || !same {
		t.Errorf("the page loaded itself again while coding (%v)", err)
	}
	if l, err := p.ListCodings(ctx, app.ListOptions{Source: "X01", Coder: "amina"}); err == nil && len(l.Codings) != 0 {
		t.Errorf("amina's codings after the removal: %+v", l.Codings)
	}
}
