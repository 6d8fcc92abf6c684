package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"qcode"
	"qcode/app"
	"qcode/corpus"
)

// quotes returns the text of each of coder's codings in source, by code
// and segment.
func quotes(t *testing.T, p *app.Project, source, coder string) map[string]string {
	t.Helper()
	l, err := p.ListCodings(context.Background(), app.ListOptions{Source: source, Coder: coder})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, c := range l.Codings {
		out[c.Code+" "+c.Segment()] = c.Text
	}
	return out
}

// sentence returns the byte span of sentence ord of a source.
func sentence(t *testing.T, p *app.Project, source string, ord int) (*app.Source, corpus.Span) {
	t.Helper()
	src, err := p.Source(context.Background(), source)
	if err != nil {
		t.Fatal(err)
	}
	for _, tu := range src.Turns {
		for _, s := range tu.Sentences {
			if s.Ord == ord {
				b := corpus.ByteOffset(src.Text, s.Start)
				return src, corpus.Span{Start: b, End: b + len(s.Text)}
			}
		}
	}
	t.Fatalf("%s has no sentence %d", source, ord)
	return nil, corpus.Span{}
}

// TestEditSources fixes a word inside a coded sentence of P01 and another
// outside every coding: amina's other codings keep their very words, the
// one on the corrected sentence is kept, adjusted and listed, the memo on
// a coding and the rejected rules coding follow their words, the rules
// code the corrected text again, and the index finds the new wording and
// not the old.
func TestEditSources(t *testing.T) {
	ctx := context.Background()
	p, _ := withdrawalProject(t)
	before := quotes(t, p, "P01", "amina")
	memosBefore, err := p.ListMemos(ctx, app.MemoFilter{Source: "P01", Kind: "coding"})
	if err != nil || len(memosBefore) != 1 {
		t.Fatalf("memos on P01's codings: %v %v", memosBefore, err)
	}
	rejBefore, err := p.ListCodings(ctx, app.ListOptions{Source: "P01", Rejected: true})
	if err != nil || len(rejBefore.Rejections) != 1 {
		t.Fatalf("rejections: %+v %v", rejBefore, err)
	}

	src, s20 := sentence(t, p, "P01", 20)
	words := strings.Fields(src.Text[s20.Start:s20.End])
	second := strings.Index(src.Text[s20.Start:], " "+words[1]+" ") + s20.Start + 1
	// Elsewhere: the first word of the header, which no coding holds.
	edits := []corpus.Edit{
		{Start: second, End: second, Text: "[inaudible] "},
	}
	hash := src.Hash
	cs, err := p.EditSources(ctx, []app.SourceEdits{{Name: "P01", Edits: edits, Hash: hash}}, app.EditOptions{Coder: "amina"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 {
		t.Fatalf("%d corrections", len(cs))
	}
	c := cs[0]
	if len(c.Changed) != 1 || c.Changed[0].Ref != "P01:s20" || !strings.Contains(c.Changed[0].Text, "[inaudible] "+words[1]) || c.Changed[0].OldText != src.Text[s20.Start:s20.End] {
		t.Errorf("changed: %+v", c.Changed)
	}
	if c.Moved != len(before)-1 || len(c.Removed) != 0 {
		t.Errorf("moved %d of %d, removed %d", c.Moved, len(before), len(c.Removed))
	}
	after := quotes(t, p, "P01", "amina")
	for k, q := range before {
		if k == "learning_as_imagined P01:s20" {
			if !strings.Contains(after[k], "[inaudible]") {
				t.Errorf("%s after: %q", k, after[k])
			}
			continue
		}
		if after[k] != q {
			t.Errorf("%s: %q, was %q", k, after[k], q)
		}
	}
	if c.MemosMoved != 1 || c.RejectionsMoved != 1 || !c.RulesRemade || c.RulesAfter == 0 {
		t.Errorf("memos %d, rejections %d, rules remade %v (%d)", c.MemosMoved, c.RejectionsMoved, c.RulesRemade, c.RulesAfter)
	}
	rejAfter, err := p.ListCodings(ctx, app.ListOptions{Source: "P01", Rejected: true})
	if err != nil || len(rejAfter.Rejections) != 1 || rejAfter.Rejections[0].Text != rejBefore.Rejections[0].Text {
		t.Errorf("rejection after: %+v %v", rejAfter, err)
	}
	memosAfter, err := p.ListMemos(ctx, app.MemoFilter{Source: "P01", Kind: "coding"})
	if err != nil || len(memosAfter) != 1 || memosAfter[0].Start != memosBefore[0].Start {
		t.Errorf("memo after: %+v %v", memosAfter, err)
	}

	// The index finds the new wording.
	res, err := p.Search(ctx, app.SearchOptions{Query: "inaudible", Sources: []string{"P01"}})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Segment != "P01:s20" {
		t.Errorf("search for the new word: %+v %v", res, err)
	}

	// The old hash is stale now.
	_, err = p.EditSources(ctx, []app.SourceEdits{{Name: "P01", Edits: edits, Hash: hash}}, app.EditOptions{Coder: "amina"})
	if qcode.ErrorCode(err) != qcode.ECONFLICT {
		t.Errorf("edits against an old hash: %v", err)
	}
}

// TestEditSourcesDeletesCoding deletes a sentence amina coded: refused,
// naming her coding, unless the caller lets the coding go, when it is
// removed and listed and the memo on it describes the source.
func TestEditSourcesDeletesCoding(t *testing.T) {
	ctx := context.Background()
	p, _ := withdrawalProject(t)
	_, s11 := sentence(t, p, "P01", 11)
	del := []app.SourceEdits{{Name: "P01", Edits: []corpus.Edit{{Start: s11.Start, End: s11.End}}}}
	_, err := p.EditSources(ctx, del, app.EditOptions{Coder: "amina"})
	var qe *qcode.Error
	if !errors.As(err, &qe) || qe.Code != qcode.ECONFLICT || qe.Field != "drop_lost" || !strings.Contains(qe.Message, "P01:s11") {
		t.Fatalf("deleting a coded sentence: %#v", err)
	}
	if q := quotes(t, p, "P01", "amina"); q["moral_imperative P01:s11"] == "" {
		t.Fatal("the refused edit changed the codings")
	}
	cs, err := p.EditSources(ctx, del, app.EditOptions{Coder: "amina", DropLost: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs[0].Removed) != 1 || cs[0].Removed[0].Ref != "P01:s11" || cs[0].Removed[0].Code != "moral_imperative" {
		t.Errorf("removed: %+v", cs[0].Removed)
	}
	if cs[0].MemosOnSource != 1 {
		t.Errorf("memos on the source: %d", cs[0].MemosOnSource)
	}
	memos, err := p.ListMemos(ctx, app.MemoFilter{Source: "P01", Kind: "source"})
	if err != nil || len(memos) != 2 {
		t.Errorf("source memos after: %+v %v", memos, err)
	}
}
