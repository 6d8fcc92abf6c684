package web

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"qcode/app"
	"qcode/internal/testenv"
)

// chromium finds a Chromium to drive. Without one the browser test skips
// on a developer's machine and fails in CI, which installs it (.ci/run):
// see testenv.
func chromium(t testing.TB) string {
	var err error
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		var path string
		if path, err = exec.LookPath(name); err == nil {
			return path
		}
	}
	testenv.Need(t, err, "Chromium", "apt-get install chromium")
	return ""
}

// browse serves s and starts the browser at exe on it. stop closes the
// browser, stops serving and checks that serve ended well.
func browse(t testing.TB, s *Server, exe string) (bctx context.Context, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx) }()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.Headless)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	return bctx, func() {
		bcancel()
		acancel()
		cancel()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	}
}

// TestBrowserCodesSelection drives a real browser: it selects a span of a
// turn as a person would, chooses a code, submits, and the store holds
// exactly that span. The turn has an emoji and accented letters before
// the span, so that counting UTF-16 units or bytes would miss.
func TestBrowserCodesSelection(t *testing.T) {
	exe := chromium(t)
	s, p := testServer(t)
	bctx, stop := browse(t, s, exe)
	defer stop()

	const phrase = "learned from each other"
	err := chromedp.Do(bctx,
		chromedp.Navigate(s.URL()),
		chromedp.WaitVisible(chromedp.CSS("table.sources")),
		chromedp.Navigate("http://"+s.Addr()+"/sources/X01"),
		chromedp.WaitVisible(chromedp.ID("picker")),
	)
	if err != nil {
		t.Fatal(err)
	}
	selected, err := chromedp.Run(bctx, chromedp.Evaluate[string](`(() => {
			const text = [...document.querySelectorAll(".text")].find(el => el.textContent.includes("`+phrase+`"));
			const node = text.firstChild;
			const at = node.data.indexOf("`+phrase+`");
			const range = document.createRange();
			range.setStart(node, at);
			range.setEnd(node, at + "`+phrase+`".length);
			const sel = window.getSelection();
			sel.removeAllRanges();
			sel.addRange(range);
			return sel.toString();
		})()`))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(bctx,
		chromedp.Poll[chromedp.Void](`document.getElementById("selection").textContent !== ""`),
		chromedp.SetValue(chromedp.ID("code"), "bidirectional_learning"),
		chromedp.SetValue(chromedp.ID("coder"), "amina"),
		chromedp.Click(chromedp.ID("apply")),
		// The page reloads and shows the coding.
		chromedp.WaitVisible(chromedp.CSS(".text .coded")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if selected != phrase {
		t.Fatalf("the script selected %q", selected)
	}
	list, err := p.ListCodings(context.Background(), app.ListOptions{Source: "X01"})
	if err != nil {
		t.Fatal(err)
	}
	start, end := spanOf(t, p, "X01", phrase)
	if len(list.Codings) != 1 {
		t.Fatalf("codings stored: %v", list.Codings)
	}
	c := list.Codings[0]
	if c.Start != start || c.End != end || c.Text != phrase || c.Code != "bidirectional_learning" || c.Coder != "amina" {
		t.Errorf("stored %s by %s [%d,%d) %q, want bidirectional_learning by amina [%d,%d) %q", c.Code, c.Coder, c.Start, c.End, c.Text, start, end, phrase)
	}
	shown, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(".text .coded")))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(shown) != phrase {
		t.Errorf("the page tints %q, want %q", shown, phrase)
	}
}

// TestBrowserRetrievesPassage opens a code's passages, follows the first:
// its source opens beside the list, on the coded span, highlighted as the
// link's target, and the list stays open.
func TestBrowserRetrievesPassage(t *testing.T) {
	exe := chromium(t)
	s, p := codedServer(t)
	bctx, stop := browse(t, s, exe)
	defer stop()

	list, err := p.ListCodings(context.Background(), app.ListOptions{Code: "humility"})
	if err != nil {
		t.Fatal(err)
	}
	first := list.Codings[0]
	err = chromedp.Do(bctx,
		chromedp.EmulateViewport(1366, 768),
		chromedp.Navigate(s.URL()),
		chromedp.WaitVisible(chromedp.CSS("table.sources")),
		chromedp.Navigate("http://"+s.Addr()+"/codes/humility"),
		chromedp.Click(chromedp.CSS("a.passage"), chromedp.NodeVisible),
		// WaitVisible does not see :target, nor into the frame; the page's
		// own query does.
		chromedp.Poll[chromedp.Void](`(() => {
			const doc = document.getElementById("reader").contentDocument;
			return doc && doc.readyState === "complete" && doc.querySelector(".coded:target") !== null;
		})()`),
	)
	if err != nil {
		t.Fatal(err)
	}
	target, err := chromedp.Run(bctx, chromedp.Evaluate[map[string]string](`(() => {
			const frame = document.getElementById("reader");
			const doc = frame.contentDocument;
			const el = doc.querySelector(":target");
			const list = document.querySelector("table.passages").getBoundingClientRect();
			return {id: el.id, cls: el.className, text: el.textContent, path: doc.location.pathname,
				outline: frame.contentWindow.getComputedStyle(el).outlineStyle, page: location.pathname,
				listShown: String(list.width > 300 && list.right <= frame.getBoundingClientRect().left + 1)};
		})()`))
	if err != nil {
		t.Fatal(err)
	}
	if target["path"] != "/sources/"+first.Source || target["id"] != anchor(first.Start) || target["cls"] != "coded" || target["outline"] != "solid" {
		t.Errorf("the passage's link lands on %v, want the highlighted coded span %s in /sources/%s", target, anchor(first.Start), first.Source)
	}
	if target["page"] != "/codes/humility" || target["listShown"] != "true" {
		t.Errorf("the list did not stay open beside the source: %v", target)
	}
	if !strings.HasPrefix(first.Text, strings.TrimSpace(target["text"])) || strings.TrimSpace(target["text"]) == "" {
		t.Errorf("the target span holds %q, which does not begin the coded text %q", target["text"], first.Text)
	}
}
