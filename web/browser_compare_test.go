package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserHidesCoderAndCompares drives a real browser over X01, which
// amina, ben and carla coded: unticking amina on the source page takes the
// tint and stripe off her codings (not their text, which ben's codings
// share) and her rows out of the table, and leaves the others' alone; the
// choice outlives a reload. The compare view then marks the sentence only
// amina coded, and its link in the list lands on the mark.
func TestBrowserHidesCoderAndCompares(t *testing.T) {
	exe := chromium(t)
	s, p := compareServer(t)
	bctx, stop := browse(t, s, exe)
	defer stop()

	// How each coder's spans and rows look, and the text a reader sees.
	const look = `(() => {
		const out = {};
		for (const coder of ["amina", "ben", "carla"]) {
			const spans = [...document.querySelectorAll('.text .coded[data-coder="' + coder + '"]')];
			const rows = [...document.querySelectorAll('tr[data-coder="' + coder + '"]')];
			out[coder] = {
				spans: spans.length,
				tinted: spans.filter(el => { const st = getComputedStyle(el); return st.backgroundColor !== "rgba(0, 0, 0, 0)" && st.borderBottomColor !== "rgba(0, 0, 0, 0)"; }).length,
				rows: rows.filter(r => r.offsetParent !== null).length,
			};
		}
		out.text = document.querySelector("main.turns").innerText;
		out.checked = [...document.querySelectorAll("input.coder")].filter(b => b.checked).map(b => b.value).join(",");
		return out;
	})()`
	type coderLook struct{ Spans, Tinted, Rows int }
	type pageLook struct {
		Amina, Ben, Carla coderLook
		Text, Checked     string
	}
	err := chromedp.Do(bctx,
		chromedp.Navigate(s.URL()),
		chromedp.WaitVisible(chromedp.CSS("table.sources")),
		chromedp.Navigate("http://"+s.Addr()+"/sources/X01"),
		chromedp.WaitVisible(chromedp.ID("coders")),
	)
	if err != nil {
		t.Fatal(err)
	}
	before, err := chromedp.Run(bctx, chromedp.Evaluate[pageLook](look))
	if err != nil {
		t.Fatal(err)
	}
	if before.Amina.Spans == 0 || before.Amina.Tinted != before.Amina.Spans || before.Amina.Rows != 2 || before.Ben.Rows != 3 || before.Checked != "ben,amina,carla" {
		t.Fatalf("before hiding: %+v", before)
	}
	err = chromedp.Do(bctx, chromedp.Click(chromedp.CSS(`input.coder[value="amina"]`), chromedp.NodeVisible))
	if err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		after, err := chromedp.Run(bctx, chromedp.Evaluate[pageLook](look))
		if err != nil {
			t.Fatal(err)
		}
		if after.Amina.Spans != before.Amina.Spans || after.Amina.Tinted != 0 || after.Amina.Rows != 0 {
			t.Errorf("%s, amina's codings: %+v; want %d spans, none tinted, no rows", when, after.Amina, before.Amina.Spans)
		}
		if after.Ben != before.Ben || after.Carla != before.Carla {
			t.Errorf("%s, the others' codings changed: ben %+v carla %+v, were %+v %+v", when, after.Ben, after.Carla, before.Ben, before.Carla)
		}
		for _, phrase := range []string{"we learned from each other, every single day.", "into the notes & nobody minded."} {
			if !strings.Contains(after.Text, phrase) {
				t.Errorf("%s, the text lost %q:\n%s", when, phrase, after.Text)
			}
		}
		if after.Checked != "ben,carla" {
			t.Errorf("%s, coders ticked: %s", when, after.Checked)
		}
	}
	check("with amina hidden")
	err = chromedp.Do(bctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("coders")))
	if err != nil {
		t.Fatal(err)
	}
	check("after a reload")

	start, _ := spanOf(t, p, "X01", "I typed")
	mark := fmt.Sprintf("d-%d", start)
	err = chromedp.Do(bctx,
		chromedp.Click(chromedp.ID("compare"), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(".compare")),
		chromedp.Click(chromedp.CSS(`a.unit[href="#`+mark+`"]`), chromedp.NodeVisible),
		chromedp.Poll[chromedp.Void](`document.querySelector(".disagree:target") !== null`),
	)
	if err != nil {
		t.Fatal(err)
	}
	target, err := chromedp.Run(bctx, chromedp.Evaluate[map[string]string](`(() => {
		const el = document.querySelector(":target");
		const st = getComputedStyle(el);
		return {id: el.id, text: el.textContent, title: el.title, outline: st.outlineStyle, left: el.closest(".compare-row").querySelector(".text") === el.parentElement ? "yes" : "no"};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if target["id"] != mark || target["text"] != "I typed <script>alert(1)</script> into the notes & nobody minded." ||
		target["outline"] != "dashed" || target["left"] != "yes" || !strings.Contains(target["title"], "Humility: amina, not ben") {
		t.Errorf("the disagreement's link lands on %v, want the dashed mark %s on amina's side", target, mark)
	}
}
