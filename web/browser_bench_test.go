package web

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// pageTimes are a page's navigation timings in a real browser, in
// milliseconds from the start of its navigation (the Performance API's
// PerformanceNavigationTiming).
type pageTimes struct {
	Response float64 `json:"response"` // the last byte of the HTML received
	DOM      float64 `json:"dom"`      // domContentLoadedEventEnd
	Load     float64 `json:"load"`     // loadEventEnd
}

// navigationTimes reads the page's navigation timings once it has loaded.
const navigationTimes = `new Promise(resolve => {
	const read = () => {
		const n = performance.getEntriesByType("navigation")[0];
		if (!n || n.loadEventEnd === 0) { setTimeout(read, 10); return; }
		resolve({response: n.responseEnd, dom: n.domContentLoadedEventEnd, load: n.loadEventEnd});
	};
	read();
})`

// selectAndCode selects 30 characters of plain (uncoded) text in the %d-th
// turn or the next that has them, as a person would, presses the code
// button, and resolves with the milliseconds until the new coding is in
// the text and the codings table and the browser has painted the frame
// after, or with -1 if the page loaded itself again instead.
const selectAndCode = `new Promise(resolve => {
	window.__sameDocument = true;
	const texts = document.querySelectorAll(".text");
	let chosen = "";
	for (let k = 0; k < texts.length && !chosen; k++) {
		const walk = document.createTreeWalker(texts[(%d + k) %% texts.length], NodeFilter.SHOW_TEXT);
		for (let node = walk.nextNode(); node; node = walk.nextNode()) {
			if (node.data.length < 40) continue;
			const range = document.createRange();
			range.setStart(node, 5);
			range.setEnd(node, 35);
			const sel = window.getSelection();
			sel.removeAllRanges();
			sel.addRange(range);
			chosen = sel.toString();
			break;
		}
	}
	const rows = () => document.querySelectorAll('#codings tr[data-coder="bench"]').length;
	const before = rows();
	setTimeout(() => {
		const t0 = performance.now();
		document.getElementById("apply").click();
		const wait = () => {
			if (!window.__sameDocument) { resolve(-1); return; }
			if (rows() === before) { setTimeout(wait, 2); return; }
			requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
		};
		wait();
	}, 0);
})`

// BenchmarkBrowserSourcePage opens the 300,000-character transcript's page
// in headless Chromium, then codes a selection in it over and over, as a
// person would. A coding swaps in the turns and rows it changed
// (source.js refresh) rather than loading the 1.8 MB page again. It
// reports the page's first load and, per coding, the time from the click
// to the coding shown and painted, in ms; ns/op is the whole round as the
// test drives it.
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
		chromedp.SetValue(chromedp.ID("coder"), "bench"),
	)
	if err != nil {
		b.Fatal(err)
	}
	first, err := chromedp.Run(bctx, chromedp.Evaluate[pageTimes](navigationTimes, chromedp.EvalAwaitPromise))
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("first load of %s: response %.0f ms, DOMContentLoaded %.0f ms, load %.0f ms", page, first.Response, first.DOM, first.Load)
	var sum, worst float64
	i := 0
	for b.Loop() {
		i++
		if err := chromedp.Do(bctx, chromedp.SetValue(chromedp.ID("code"), "humility")); err != nil {
			b.Fatal(err)
		}
		ms, err := chromedp.Run(bctx, chromedp.Evaluate[float64](fmt.Sprintf(selectAndCode, 7*i), chromedp.EvalAwaitPromise))
		if err != nil {
			b.Fatal(err)
		}
		if ms < 0 {
			b.Fatalf("coding %d loaded the page again", i)
		}
		sum += ms
		worst = max(worst, ms)
	}
	b.ReportMetric(first.Load, "first-load-ms")
	b.ReportMetric(sum/float64(i), "click-to-shown-ms")
	b.ReportMetric(worst, "worst-ms")
	b.Logf("after %d codings: click to coding shown %.0f ms on average, %.0f at worst", i, sum/float64(i), worst)
}
