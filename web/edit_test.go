package web

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qcode/app"
)

// TestChangeCoding re-codes a coding and moves it through the page's
// endpoint: the store holds the new code and span, with the memo kept.
func TestChangeCoding(t *testing.T) {
	s, p := testServer(t)
	ctx := context.Background()
	src, err := p.Source(ctx, "X01")
	if err != nil {
		t.Fatal(err)
	}
	start, end := spanOf(t, p, "X01", "learned from each other")
	if _, err := p.AddCoding(ctx, app.CodingOptions{Segment: "X01:" + itoa(start) + "-" + itoa(end), Code: "humility", Coder: "amina", Memo: "said warmly"}); err != nil {
		t.Fatal(err)
	}
	seg := "X01:" + itoa(start) + "-" + itoa(end)
	w := s.do(t, request{method: http.MethodPost, path: "/api/codings/change", body: codingJSON(t, map[string]any{
		"segment": seg, "code": "humility", "coder": "amina", "new_code": "Bidirectional learning", "hash": src.Hash})})
	if w.Code != http.StatusOK {
		t.Fatalf("re-code: status %d: %s", w.Code, w.Body)
	}
	// Move it to "every single day", selected from inside "every" to inside
	// "day": snapped to whole words.
	ns, ne := spanOf(t, p, "X01", "every single day")
	w = s.do(t, request{method: http.MethodPost, path: "/api/codings/change", body: codingJSON(t, map[string]any{
		"segment": seg, "code": "bidirectional_learning", "coder": "amina", "start": ns + 2, "end": ne - 1, "hash": src.Hash})})
	if w.Code != http.StatusOK {
		t.Fatalf("move: status %d: %s", w.Code, w.Body)
	}
	list, err := p.ListCodings(ctx, app.ListOptions{Source: "X01", Coder: "amina"})
	if err != nil || len(list.Codings) != 1 {
		t.Fatalf("amina's codings: %v, %v", list, err)
	}
	c := list.Codings[0]
	if c.Code != "bidirectional_learning" || c.Start != ns || c.End != ne || c.Text != "every single day" || c.Memo != "said warmly" {
		t.Errorf("after the changes: %s [%d,%d) %q memo %q", c.Code, c.Start, c.End, c.Text, c.Memo)
	}
	bad := []struct {
		name string
		body map[string]any
		code int
		says string
	}{
		{"no such coding", map[string]any{"segment": seg, "code": "humility", "coder": "amina", "new_code": "risk_aversion"}, http.StatusNotFound, "has no codings; nothing to change"},
		{"unknown new code", map[string]any{"segment": c.Segment(), "code": c.Code, "coder": "amina", "new_code": "humilty"}, http.StatusNotFound, "did you mean humility"},
		{"start without end", map[string]any{"segment": c.Segment(), "code": c.Code, "coder": "amina", "start": 3}, http.StatusBadRequest, "both its start and its end"},
		{"nothing to change", map[string]any{"segment": c.Segment(), "code": c.Code, "coder": "amina"}, http.StatusBadRequest, "nothing to change"},
		{"stale page", map[string]any{"segment": c.Segment(), "code": c.Code, "coder": "amina", "new_code": "humility", "hash": "feedface"}, http.StatusConflict, "imported again"},
		{"span outside the text", map[string]any{"segment": c.Segment(), "code": c.Code, "coder": "amina", "start": 5, "end": 99999}, http.StatusBadRequest, "X01"},
	}
	for _, b := range bad {
		w := s.do(t, request{method: http.MethodPost, path: "/api/codings/change", body: codingJSON(t, b.body)})
		if w.Code != b.code || !strings.Contains(w.Body.String(), b.says) {
			t.Errorf("%s: status %d %s, want %d saying %q", b.name, w.Code, w.Body, b.code, b.says)
		}
	}
	after, err := p.ListCodings(ctx, app.ListOptions{Source: "X01", Coder: "amina"})
	if err != nil || len(after.Codings) != 1 || after.Codings[0].Code != c.Code || after.Codings[0].Start != c.Start || after.Codings[0].End != c.End {
		t.Errorf("a refused change changed the codings: %+v", after.Codings)
	}
}

// TestStaleAdd: a page loaded before the source was imported again
// cannot code it: its offsets may now name other words.
func TestStaleAdd(t *testing.T) {
	s, p := testServer(t)
	src, err := p.Source(context.Background(), "X01")
	if err != nil {
		t.Fatal(err)
	}
	start, end := spanOf(t, p, "X01", "learned from each other")
	body := map[string]any{"source": "X01", "start": start, "end": end, "code": "humility", "coder": "amina", "hash": src.Hash}
	if w := s.do(t, request{method: http.MethodPost, path: "/api/codings", body: codingJSON(t, body)}); w.Code != http.StatusOK {
		t.Fatalf("fresh page: status %d: %s", w.Code, w.Body)
	}
	body["hash"] = strings.Repeat("0", len(src.Hash))
	body["code"] = "risk_aversion"
	w := s.do(t, request{method: http.MethodPost, path: "/api/codings", body: codingJSON(t, body)})
	if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "imported again") {
		t.Errorf("stale page: status %d: %s", w.Code, w.Body)
	}
	// The page carries the hash it was made from.
	if page := s.do(t, request{path: "/sources/X01"}).Body.String(); !strings.Contains(page, `data-hash="`+src.Hash+`"`) {
		t.Error("the source page does not carry its source's hash")
	}
}

// TestNewCode makes a code from the picker's dialog: it lands in
// codebook.yaml with the file's other lines kept, and the page lists it.
func TestNewCode(t *testing.T) {
	s, p := testServer(t)
	path := filepath.Join(p.Dir, app.CodebookFile)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	w := s.do(t, request{method: http.MethodPost, path: "/api/codes", body: codingJSON(t, map[string]any{
		"name": "Interpreters", "parent": "Enablers", "color": "#117733", "description": "Working through an interpreter.", "coder": "amina"})})
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"id":"interpreters"`) {
		t.Fatalf("new code: status %d: %s", w.Code, w.Body)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(after), string(before[:strings.Index(string(before), "codes:")])) || !strings.Contains(string(after), "name: Interpreters") {
		t.Errorf("codebook.yaml lost its head or lacks the code:\n%s", after)
	}
	page := s.do(t, request{path: "/sources/X01"}).Body.String()
	if !strings.Contains(page, `<option value="interpreters" label="Aspects of the partnership &gt; Enablers &gt; Interpreters"`) {
		t.Error("the picker does not offer the new code")
	}
	for _, bad := range []struct {
		body map[string]any
		code int
		says string
	}{
		{map[string]any{"name": "Interpreters", "parent": "enablers", "coder": "amina"}, http.StatusConflict, "already has a code so named"},
		{map[string]any{"name": "", "coder": "amina"}, http.StatusBadRequest, "the new code's name"},
		{map[string]any{"name": "Notes", "color": "green", "coder": "amina"}, http.StatusBadRequest, "the new code's colour"},
		{map[string]any{"name": "Notes", "parent": "enablerz", "coder": "amina"}, http.StatusNotFound, "enablers"},
	} {
		w := s.do(t, request{method: http.MethodPost, path: "/api/codes", body: codingJSON(t, bad.body)})
		if w.Code != bad.code || !strings.Contains(w.Body.String(), bad.says) {
			t.Errorf("%v: status %d %s, want %d saying %q", bad.body, w.Code, w.Body, bad.code, bad.says)
		}
	}
	if final, _ := os.ReadFile(path); string(final) != string(after) {
		t.Error("a refused new code changed codebook.yaml")
	}
}

// TestSourcesFilter narrows the sources list by words and attributes.
func TestSourcesFilter(t *testing.T) {
	s, p := testServer(t)
	cases := filepath.Join(t.TempDir(), "cases.csv")
	if err := os.WriteFile(cases, []byte("case,role,country\nP01,NHS,UK\nP02,partner,Uganda\nX01,partner,Malawi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := p.SetAttributesFrom(context.Background(), cases); err != nil {
		t.Fatal(err)
	}
	srcs, err := p.Sources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var role string
	for _, a := range srcs[0].Attributes {
		if a.Name == "role" {
			role = a.Value
		}
	}
	if role == "" {
		t.Fatalf("%s has no role attribute: %+v", srcs[0].Name, srcs[0].Attributes)
	}
	want := 0
	for _, src := range srcs {
		for _, a := range src.Attributes {
			if a.Name == "role" && a.Value == role {
				want++
			}
		}
	}
	page := s.do(t, request{path: "/?attr=role=" + strings.ReplaceAll(role, " ", "+")}).Body.String()
	if n := strings.Count(page, `<tr><td><a href="/sources/`); n != want || !strings.Contains(page, itoa(want)+" of "+itoa(len(srcs))+" sources") {
		t.Errorf("role=%s lists %d sources, want %d", role, n, want)
	}
	if want < 2 && role == "partner" || want != 1 && role == "NHS" {
		t.Fatalf("role %s: %d sources", role, want)
	}
	page = s.do(t, request{path: "/?q=ana"}).Body.String()
	if !strings.Contains(page, `href="/sources/X01"`) || strings.Contains(page, `href="/sources/P01"`) {
		t.Errorf("q=ana (X01's speaker) lists:\n%s", page)
	}
	page = s.do(t, request{path: "/?q=nobody+here"}).Body.String()
	if !strings.Contains(page, "No source matches the filter") {
		t.Errorf("a filter that matches nothing:\n%s", page)
	}
}

// TestParts: after a change, the page asks for the turns and rows a span
// touches and the codebook's counts, rendered as the page renders them.
func TestParts(t *testing.T) {
	s, p := testServer(t)
	start, end := spanOf(t, p, "X01", "learned from each other")
	if _, err := p.AddCoding(context.Background(), app.CodingOptions{Segment: "X01:" + itoa(start) + "-" + itoa(end), Code: "humility", Coder: "amina"}); err != nil {
		t.Fatal(err)
	}
	w := s.do(t, request{path: "/api/sources/X01/parts?start=" + itoa(start) + "&end=" + itoa(end)})
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var got parts
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	page := s.do(t, request{path: "/sources/X01"}).Body.String()
	if len(got.Turns) != 1 || !strings.Contains(page, got.Turns[0].HTML) || !strings.Contains(got.Turns[0].HTML, ">learned from each other</span>") {
		t.Errorf("turns: %+v", got.Turns)
	}
	if len(got.Rows) != 1 || got.Rows[0].Start != start || !strings.Contains(page, got.Rows[0].HTML) {
		t.Errorf("rows: %+v", got.Rows)
	}
	if !strings.Contains(page, got.Tree) || !strings.Contains(got.Tree, `data-code="humility" data-count="1"`) {
		t.Errorf("the tree is not the page's, or does not count the coding:\n%s", got.Tree)
	}
	src, _ := p.Source(context.Background(), "X01")
	if got.Hash != src.Hash {
		t.Errorf("hash %q, want %q", got.Hash, src.Hash)
	}
	for path, code := range map[string]int{"/api/sources/X01/parts?start=9&end=2": 400, "/api/sources/X01/parts": 400, "/api/sources/X09/parts?start=0&end=1": 404} {
		if w := s.do(t, request{path: path}); w.Code != code || !strings.Contains(w.Body.String(), `"error"`) {
			t.Errorf("%s: status %d %s, want %d", path, w.Code, w.Body, code)
		}
	}
}
