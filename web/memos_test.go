package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"qcode/app"
	"qcode/coding"
)

// memoCount is how many memos the project holds.
func memoCount(t *testing.T, p *app.Project) int {
	t.Helper()
	ms, err := p.ListMemos(context.Background(), app.MemoFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(ms)
}

func TestMemoHandlers(t *testing.T) {
	s, p := testServer(t)
	ctx := context.Background()
	start, end := spanOf(t, p, "X01", "we learned from each other")
	if _, err := p.AddCoding(ctx, app.CodingOptions{Segment: "X01:" + itoa(start) + "-" + itoa(end), Code: "humility", Coder: "amina"}); err != nil {
		t.Fatal(err)
	}
	segment := "X01:" + itoa(start) + "-" + itoa(end)

	// Refused: without the CSRF token, without a coder, and on what is not
	// there. Nothing is written.
	for name, c := range map[string]struct {
		body   map[string]any
		noCSRF bool
		status int
		says   string
	}{
		"no CSRF token":  {map[string]any{"source": "X01", "coder": "amina", "text": "x"}, true, http.StatusForbidden, "CSRF"},
		"no coder":       {map[string]any{"source": "X01", "coder": " ", "text": "x"}, false, http.StatusBadRequest, "your name (coder)"},
		"unknown source": {map[string]any{"source": "X09", "coder": "amina", "text": "x"}, false, http.StatusNotFound, "the source X09"},
		"unknown code":   {map[string]any{"code": "humilty", "coder": "amina", "text": "x"}, false, http.StatusNotFound, "did you mean humility"},
		"no such coding": {map[string]any{"segment": segment, "code": "cost", "coder": "amina", "text": "x"}, false, http.StatusNotFound, "no coding of " + segment + " as cost"},
		"another coder's coding": {map[string]any{"segment": segment, "code": "humility", "of": "ben", "coder": "amina", "text": "x"},
			false, http.StatusNotFound, "the coding's coder ben"},
		"empty memo":    {map[string]any{"source": "X01", "coder": "amina", "text": "  "}, false, http.StatusBadRequest, "the memo is empty"},
		"unknown field": {map[string]any{"source": "X01", "coder": "amina", "text": "x", "kind": "source"}, false, http.StatusBadRequest, "not the JSON expected"},
	} {
		w := s.do(t, request{method: http.MethodPost, path: "/api/memos", body: codingJSON(t, c.body), noCSRF: c.noCSRF})
		if w.Code != c.status || !strings.Contains(w.Body.String(), c.says) {
			t.Errorf("%s: status %d: %s; want %d saying %q", name, w.Code, w.Body, c.status, c.says)
		}
	}
	if n := memoCount(t, p); n != 0 {
		t.Fatalf("%d memos written by refused requests", n)
	}

	add := func(body map[string]any) app.Memo {
		t.Helper()
		w := s.do(t, request{method: http.MethodPost, path: "/api/memos", body: codingJSON(t, body)})
		var m app.Memo
		if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &m) != nil {
			t.Fatalf("add %v: status %d: %s", body, w.Code, w.Body)
		}
		return m
	}
	onSource := add(map[string]any{"source": "X01", "coder": "amina", "text": "Ana typed <script>alert(2)</script> & laughed"})
	onCode := add(map[string]any{"code": "Humility", "coder": "ben", "text": "modesty <b>about</b> one's own system"})
	onCoding := add(map[string]any{"segment": segment, "code": "humility", "of": "amina", "coder": "ben", "text": "is this <i>humility</i>?"})
	if onSource.Kind != coding.MemoSource || onCode.Kind != coding.MemoCode || onCode.Code != "humility" ||
		onCoding.Kind != coding.MemoCoding || onCoding.Start != start || onCoding.End != end || onCoding.CodingCoder != "amina" {
		t.Errorf("memos added: %+v, %+v, %+v", onSource, onCode, onCoding)
	}

	// Every page shows them escaped: the source page its own and its
	// codings', the retrieval page the code's, /memos all, each linked.
	page := s.do(t, request{path: "/sources/X01"}).Body.String()
	for _, want := range []string{
		"Ana typed &lt;script&gt;alert(2)&lt;/script&gt; &amp; laughed",
		`<span class="memo-text">is this &lt;i&gt;humility&lt;/i&gt;?</span>`,
		`<button type="button" class="memo-coding" data-segment="` + segment + `" data-code="humility" data-of="amina"`,
		`<script src="/static/memos.js" defer></script>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the source page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "<script>alert(2)") || strings.Contains(page, "<i>humility") {
		t.Errorf("a memo's markup reached the source page unescaped")
	}
	page = s.do(t, request{path: "/codes/humility"}).Body.String()
	if !strings.Contains(page, "modesty &lt;b&gt;about&lt;/b&gt; one&#39;s own system") || !strings.Contains(page, `href="/sources/X01#c-`+itoa(start)+`"`) {
		t.Errorf("the retrieval page lacks the code's memos:\n%s", page)
	}
	all := s.do(t, request{path: "/memos"}).Body.String()
	for _, want := range []string{`href="/sources/X01"`, `href="/codes/humility"`, `href="/sources/X01#c-` + itoa(start) + `"`, "&lt;script&gt;alert(2)"} {
		if !strings.Contains(all, want) {
			t.Errorf("/memos lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "<script>alert(2)") {
		t.Errorf("a memo's markup reached /memos unescaped")
	}
	onCodePage := s.do(t, request{path: "/memos?code=humility"}).Body.String()
	if strings.Contains(onCodePage, "Ana typed") || !strings.Contains(onCodePage, "modesty") {
		t.Errorf("/memos?code=humility:\n%s", onCodePage)
	}
	if w := s.do(t, request{path: "/memos?source=X09"}); w.Code != http.StatusNotFound {
		t.Errorf("/memos?source=X09: status %d", w.Code)
	}
	if list := s.do(t, request{path: "/"}).Body.String(); !strings.Contains(list, `<a href="/memos">Memos</a>`) {
		t.Errorf("the sources page does not link the memos:\n%s", list)
	}

	// Edit and remove, by id; an unknown id is named.
	edit := map[string]any{"id": onCoding.ID, "coder": "amina", "text": "humility, surely"}
	if w := s.do(t, request{method: http.MethodPost, path: "/api/memos/edit", body: codingJSON(t, edit), noCSRF: true}); w.Code != http.StatusForbidden {
		t.Errorf("edit without the CSRF token: status %d", w.Code)
	}
	if w := s.do(t, request{method: http.MethodPost, path: "/api/memos/edit", body: codingJSON(t, map[string]any{"id": 999, "coder": "amina", "text": "x"})}); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "memo 999") {
		t.Errorf("editing memo 999: status %d: %s", w.Code, w.Body)
	}
	if w := s.do(t, request{method: http.MethodPost, path: "/api/memos/edit", body: codingJSON(t, edit)}); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"text":"humility, surely"`) {
		t.Errorf("edit: status %d: %s", w.Code, w.Body)
	}
	if w := s.do(t, request{method: http.MethodPost, path: "/api/memos/remove", body: codingJSON(t, map[string]any{"id": 999, "coder": "amina"})}); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "memo 999") {
		t.Errorf("removing memo 999: status %d: %s", w.Code, w.Body)
	}
	if w := s.do(t, request{method: http.MethodPost, path: "/api/memos/remove", body: codingJSON(t, map[string]any{"id": onSource.ID, "coder": "ben"})}); w.Code != http.StatusOK {
		t.Errorf("remove: status %d: %s", w.Code, w.Body)
	}
	ms, err := p.ListMemos(ctx, app.MemoFilter{})
	if err != nil || len(ms) != 2 || ms[0].ID != onCode.ID || ms[1].Text != "humility, surely" {
		t.Errorf("memos after an edit and a removal: %+v, %v", ms, err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// A memo on the project is added from /memos, which lists it and offers
// the form; a filtered /memos offers none, and a memo on the project that
// also names a source is refused.
func TestProjectMemo(t *testing.T) {
	s, p := testServer(t)
	all := s.do(t, request{path: "/memos"}).Body.String()
	if !strings.Contains(all, `data-project="1"`) || !strings.Contains(all, "New memo on the project") {
		t.Fatalf("/memos offers no form for a memo on the project:\n%s", all)
	}
	if page := s.do(t, request{path: "/memos?source=X01"}).Body.String(); strings.Contains(page, "New memo on the project") {
		t.Errorf("/memos?source=X01 offers a memo on the project")
	}
	w := s.do(t, request{method: http.MethodPost, path: "/api/memos", body: codingJSON(t, map[string]any{"project": true, "source": "X01", "coder": "amina", "text": "x"})})
	if w.Code != http.StatusBadRequest || memoCount(t, p) != 0 {
		t.Fatalf("a project memo naming a source: status %d: %s", w.Code, w.Body)
	}
	w = s.do(t, request{method: http.MethodPost, path: "/api/memos", body: codingJSON(t, map[string]any{"project": true, "coder": "amina", "text": "We code interviewers' turns only when they lead."})})
	var m app.Memo
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &m) != nil || m.Kind != coding.MemoProject || m.Source != "" || m.Code != "" {
		t.Fatalf("add a project memo: status %d: %s", w.Code, w.Body)
	}
	all = s.do(t, request{path: "/memos"}).Body.String()
	if !strings.Contains(all, `<a href="/memos">the project</a> · amina`) || !strings.Contains(all, "We code interviewers&#39; turns only when they lead.") {
		t.Errorf("/memos does not list the project memo:\n%s", all)
	}
}
