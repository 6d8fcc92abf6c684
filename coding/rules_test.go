package coding_test

import (
	"slices"
	"testing"

	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
)

// TestRuleUnit turns tokens into the unit the rules run over: a passage
// tokenised as import does, and a segment's stored tokens, one sentence or
// several, in one reused Unit.
func TestRuleUnit(t *testing.T) {
	text := "It was humbling. Their triage – at Mbarara – was better than ours."
	u := coding.Passage(text)
	wantTokens := []string{"It", "was", "humbling", ".", "Their", "triage", "–", "at", "Mbarara", "–", "was", "better", "than", "ours", "."}
	wantSent := []int32{0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	if !slices.Equal(u.Tokens, wantTokens) || !slices.Equal(u.Sentence, wantSent) || u.IDs != nil {
		t.Fatalf("passage unit %q %v", u.Tokens, u.Sentence)
	}

	toks, sent := corpus.Words(text)
	var r codebook.Passage
	coding.SetPassage(&r, toks, sent)
	if !slices.Equal(r.Tokens, u.Tokens) || !slices.Equal(r.Sentence, u.Sentence) {
		t.Errorf("segment unit %q %v", r.Tokens, r.Sentence)
	}
	buf := &r.Tokens[0]
	coding.SetPassage(&r, toks[4:], nil) // one sentence: no numbers given
	if !slices.Equal(r.Tokens, wantTokens[4:]) || !slices.Equal(r.Sentence, make([]int32, len(wantTokens)-4)) {
		t.Errorf("one-sentence unit %q %v", r.Tokens, r.Sentence)
	}
	if &r.Tokens[0] != buf {
		t.Error("RuleUnit did not reuse the unit's buffer")
	}
}
