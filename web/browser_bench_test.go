package web

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// pageTimes are a page's navigation timings in a real browser, in
// milliseconds from the start of its navigation (the Performance API's
// PerformanceNavigationTiming), and, after coding, from the click that
// submitted the coding to the reloaded page's load event.
type pageTimes struct {
	Response float64 `json:"response"` // the last byte of the HTML received
	DOM      float64 `json:"dom"`      // domContentLoadedEventEnd
	Load     float64 `json:"load"`     // loadEventEnd
	Coding   float64 `json:"coding"`   // click to reloaded page, after coding
}

// navigationTimes reads the page's navigation timings once it has loaded,
// and how long since the coding submitted before it, if one was.
const navigationTimes = `new Promise(resolve => {
	const read = () => {
		const n = performance.getEntriesByType("navigation")[0];
		if (!n || n.loadEventEnd === 0) { setTimeout(read, 10); return; }
		const t0 = Number(sessionStorage.getItem("bench.t0") || 0);
		sessionStorage.removeItem("bench.t0");
		resolve({response: n.responseEnd, dom: n.domContentLoadedEventEnd, load: n.loadEventEnd,
			coding: t0 ? performance.timeOrigin + n.loadEventEnd - t0 : 0});
	};
	read();
})`

// selectAndCode selects 30 characters of plain (uncoded) text in the %d-th
// turn or the next that has them, as a person would.
const selectAndCode = `(() => {
	const texts = document.querySelectorAll(".text");
	for (let k = 0; k < texts.length; k++) {
		const walk = document.createTreeWalker(texts[(%d + k) %% texts.length], NodeFilter.SHOW_TEXT);
		for (let node = walk.nextNode(); node; node = walk.nextNode()) {
			if (node.data.length < 40) continue;
			const range = document.createRange();
			range.setStart(node, 5);
			range.setEnd(node, 35);
			const sel = window.getSelection();
			sel.removeAllRanges();
			sel.addRange(range);
			return sel.toString();
		}
	}
	return "";
})()`

// reloaded waits for the page that replaces the one coded in (it shows no
// selection yet) to load, and returns its timings. Scripts sent while the
// browser navigates fail; they are sent again.
func reloaded(ctx context.Context) (pageTimes, error) {
	var err error
	for range 3000 {
		var ok bool
		ok, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && document.getElementById("selection").textContent === "" && sessionStorage.getItem("bench.t0") !== null`))
		if err == nil && ok {
			return chromedp.Run(ctx, chromedp.Evaluate[pageTimes](navigationTimes, chromedp.EvalAwaitPromise))
		}
		time.Sleep(10 * time.Millisecond)
	}
	return pageTimes{}, fmt.Errorf("the page did not reload after coding (%v)", err)
}

// BenchmarkBrowserSourcePage opens the 300,000-character transcript's page
// in headless Chromium, then codes a selection in it over and over: each
// coding reloads the page (source.js). It reports the page's first load
// and, per coding, the reloaded page's timings and the time from the
// click to its load event, in ms; ns/op is the whole round as the test
// drives it.
//
//	go test -run '^$' -bench BrowserSourcePage -benchtime 10x ./web
func BenchmarkBrowserSourcePage(b *testing.B) {
	exe := chromium(b)
	s := benchServer(b, sourceBench.copyOf(b, makeSourceBench))
	bctx, stop := browse(b, s, exe)
	defer stop()
	page := "http://" + s.Addr() + "/sources/T01"
	err := chromedp.Do(bctx,
		chromedp.Navigate(s.URL()),
		chromedp.WaitVisible(chromedp.CSS("table.sources")),
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.ID("picker")),
	)
	if err != nil {
		b.Fatal(err)
	}
	first, err := chromedp.Run(bctx, chromedp.Evaluate[pageTimes](navigationTimes, chromedp.EvalAwaitPromise))
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("first load of %s: response %.0f ms, DOMContentLoaded %.0f ms, load %.0f ms", page, first.Response, first.DOM, first.Load)
	var sum pageTimes
	i := 0
	for b.Loop() {
		i++
		// The coder and code are set on every page: the reload clears the
		// code (the coder stays in localStorage).
		err := chromedp.Do(bctx,
			chromedp.SetValue(chromedp.ID("code"), "humility"),
			chromedp.SetValue(chromedp.ID("coder"), "bench"),
		)
		if err != nil {
			b.Fatal(err)
		}
		selected, err := chromedp.Run(bctx, chromedp.Evaluate[string](fmt.Sprintf(selectAndCode, 7*i)))
		if err != nil {
			b.Fatal(err)
		}
		err = chromedp.Do(bctx,
			chromedp.Poll[chromedp.Void](`document.getElementById("selection").textContent !== ""`),
			chromedp.Evaluate[chromedp.Void](`sessionStorage.setItem("bench.t0", String(performance.timeOrigin + performance.now())); document.getElementById("apply").click()`),
		)
		if err != nil {
			b.Fatal(err)
		}
		t, err := reloaded(bctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(selected) < 10 || t.Coding == 0 {
			b.Fatalf("coding %d: selected %q, timings %+v", i, selected, t)
		}
		sum.Response += t.Response
		sum.DOM += t.DOM
		sum.Load += t.Load
		sum.Coding += t.Coding
	}
	n := float64(i)
	b.ReportMetric(first.Load, "first-load-ms")
	b.ReportMetric(sum.DOM/n, "reload-dom-ms")
	b.ReportMetric(sum.Load/n, "reload-load-ms")
	b.ReportMetric(sum.Coding/n, "click-to-loaded-ms")
	b.Logf("after %d codings, the reloaded page on average: response %.0f ms, DOMContentLoaded %.0f ms, load %.0f ms; click to loaded %.0f ms",
		i, sum.Response/n, sum.DOM/n, sum.Load/n, sum.Coding/n)
}
