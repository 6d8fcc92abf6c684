package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"qcode/app"
)

// TestEditTurn corrects the text of Ana's first turn through the page's
// endpoint: her coding on words that stay moves with them, the one on
// words that changed is kept, adjusted and listed, the reply says where
// the turn is now, and the page's parts follow the new text. A stale hash
// is a 409, an empty text a 400, and deleting every word of a coding is
// refused until the page says to remove it.
func TestEditTurn(t *testing.T) {
	s, p := testServer(t)
	ctx := context.Background()
	for _, phrase := range []string{"learned from each other", "every single day"} {
		start, end := spanOf(t, p, "X01", phrase)
		if _, err := p.AddCoding(ctx, app.CodingOptions{Segment: "X01:" + itoa(start) + "-" + itoa(end), Code: "humility", Coder: "amina"}); err != nil {
			t.Fatal(err)
		}
	}
	src, err := p.SourceTurns(ctx, "X01")
	if err != nil {
		t.Fatal(err)
	}
	post := func(body map[string]any) (int, map[string]any) {
		t.Helper()
		w := s.do(t, request{method: http.MethodPost, path: "/api/sources/X01/edit", body: codingJSON(t, body)})
		var reply map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &reply); err != nil {
			t.Fatalf("reply %q: %v", w.Body, err)
		}
		return w.Code, reply
	}
	edited := "Café naïve 🙂 talk: we truly learned from each other, every day."
	code, reply := post(map[string]any{"turn": 2, "text": edited, "hash": src.Hash, "coder": "amina"})
	if code != http.StatusOK {
		t.Fatalf("edit: %d %v", code, reply)
	}
	changed, _ := reply["changed"].([]any)
	if reply["moved"] != 1.0 || len(changed) != 1 || changed[0].(map[string]any)["text"] != "every day" || changed[0].(map[string]any)["old_text"] != "every single day" {
		t.Errorf("reply: %v", reply)
	}
	if reply["start"] != float64(src.Turns[1].Start) || reply["end"] != float64(src.Turns[1].Start+len([]rune(edited))) || reply["hash"] == src.Hash {
		t.Errorf("the turn's place: %v", reply)
	}
	list, err := p.ListCodings(ctx, app.ListOptions{Source: "X01", Coder: "amina"})
	if err != nil || len(list.Codings) != 2 || list.Codings[0].Text != "learned from each other" || list.Codings[1].Text != "every day" {
		t.Fatalf("codings after: %+v %v", list, err)
	}
	parts := s.do(t, request{path: "/api/sources/X01/parts?start=" + itoa(src.Turns[1].Start) + "&end=9007199254740991"})
	var got struct {
		Hash  string
		Turns []struct{ HTML string }
	}
	if err := json.Unmarshal(parts.Body.Bytes(), &got); err != nil || got.Hash != reply["hash"] || len(got.Turns) != 3 || !strings.Contains(got.Turns[0].HTML, "talk: we truly <span") {
		t.Errorf("parts after: %d %+v %v", parts.Code, got, err)
	}

	if code, reply := post(map[string]any{"turn": 2, "text": "Something else.", "hash": src.Hash, "coder": "amina"}); code != http.StatusConflict {
		t.Errorf("a stale hash: %d %v", code, reply)
	}
	hash := reply["hash"].(string)
	if code, reply := post(map[string]any{"turn": 2, "text": "  \n", "hash": hash, "coder": "amina"}); code != http.StatusBadRequest || !strings.Contains(reply["error"].(string), "the turn's text") {
		t.Errorf("an empty text: %d %v", code, reply)
	}
	gone := "Café naïve 🙂 talk: every day."
	code, reply = post(map[string]any{"turn": 2, "text": gone, "hash": hash, "coder": "amina"})
	if code != http.StatusConflict || !strings.Contains(reply["error"].(string), "remove codings whose words I delete") || !strings.Contains(reply["error"].(string), "learned from each other") {
		t.Errorf("deleting a coding's words: %d %v", code, reply)
	}
	code, reply = post(map[string]any{"turn": 2, "text": gone, "hash": hash, "coder": "amina", "drop_lost": true})
	if removed, _ := reply["removed"].([]any); code != http.StatusOK || len(removed) != 1 {
		t.Errorf("deleting with drop_lost: %d %v", code, reply)
	}
}
