package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"qcode"
	"qcode/app"
)

func TestChangeCodingKeepsItsMemo(t *testing.T) {
	p, _ := sampleProject(t, 1)
	ctx := context.Background()
	src, err := p.Source(ctx, "P01")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.AddCoding(ctx, app.CodingOptions{Segment: "P01:s3", Code: "humility", Coder: "amina", Memo: "modest"}); err != nil {
		t.Fatal(err)
	}
	o := app.ChangeOptions{CodingOptions: app.CodingOptions{Segment: "P01:s3", Code: "humility", Coder: "amina", Hash: src.Hash}, NewCode: "Risk aversion"}
	res, err := p.ChangeCoding(ctx, o)
	if err != nil || res.Coding.Code != "risk_aversion" || res.Coding.Memo != "modest" {
		t.Fatalf("re-code: %+v, %v", res, err)
	}
	// The coding moved: changing it again as it was is "no such coding",
	// naming what the segment has now.
	if _, err := p.ChangeCoding(ctx, o); qcode.ErrorCode(err) != qcode.ENOTFOUND || !strings.Contains(err.Error(), "risk_aversion by amina") {
		t.Errorf("changing a coding no longer there: %v", err)
	}
	// Re-span to part of a long turn, from inside its second word to
	// inside its fifth: snapped to those words whole.
	var turn struct{ start, end int }
	for _, tn := range src.Turns {
		if len(strings.Fields(tn.Text)) > 10 && !strings.ContainsAny(tn.Text[:40], "\n-’'") {
			turn.start, turn.end = tn.Start, tn.End
			break
		}
	}
	runes := []rune(src.Text)
	words := strings.Fields(string(runes[turn.start:turn.end]))
	second := turn.start + len([]rune(words[0])) + 1
	want := strings.TrimRight(strings.Join(words[1:5], " "), ",.;:!?") // snapping leaves out a word's trailing punctuation
	fifthEnd := second + len([]rune(want))
	span := "P01:" + strconv.Itoa(second+1) + "-" + strconv.Itoa(fifthEnd-1)
	moved, err := p.ChangeCoding(ctx, app.ChangeOptions{CodingOptions: app.CodingOptions{Segment: res.Coding.Segment(), Code: "risk_aversion", Coder: "amina", Snap: true}, NewSegment: span})
	if err != nil {
		t.Fatal(err)
	}
	c := moved.Coding
	if c.Start != second || c.End != fifthEnd || c.Memo != "modest" || c.Text != want {
		t.Errorf("re-span %s snapped to %d-%d %q (memo %q), want %d-%d %q", span, c.Start, c.End, c.Text, c.Memo, second, fifthEnd, want)
	}
	// A change onto a coding the coder already has is refused, and the
	// coding stays as it was.
	if _, err := p.AddCoding(ctx, app.CodingOptions{Segment: "P01:s3", Code: "humility", Coder: "amina"}); err != nil {
		t.Fatal(err)
	}
	_, err = p.ChangeCoding(ctx, app.ChangeOptions{CodingOptions: app.CodingOptions{Segment: c.Segment(), Code: "risk_aversion", Coder: "amina"}, NewSegment: "P01:s3", NewCode: "humility"})
	if qcode.ErrorCode(err) != qcode.ECONFLICT {
		t.Errorf("changing onto an existing coding: %v", err)
	}
	l, err := p.ListCodings(ctx, app.ListOptions{Coder: "amina"})
	if err != nil || len(l.Codings) != 2 {
		t.Fatalf("after the refused change amina has %d codings (%v), want 2", len(l.Codings), err)
	}
	// A page loaded before a re-import gives the old hash: refused.
	stale := app.ChangeOptions{CodingOptions: app.CodingOptions{Segment: c.Segment(), Code: "risk_aversion", Coder: "amina", Hash: "0123"}, NewCode: "humility"}
	if _, err := p.ChangeCoding(ctx, stale); qcode.ErrorCode(err) != qcode.ECONFLICT || !strings.Contains(err.Error(), "imported again") {
		t.Errorf("stale change: %v", err)
	}
	if _, err := p.AddCoding(ctx, app.CodingOptions{Segment: "P01:s4", Code: "humility", Coder: "amina", Hash: "0123"}); qcode.ErrorCode(err) != qcode.ECONFLICT {
		t.Errorf("stale add: %v", err)
	}
	if err := (app.ChangeOptions{CodingOptions: app.CodingOptions{Segment: "P01:s3", Code: "humility", Coder: "amina"}}).Check(); qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("a change that changes nothing: %v", err)
	}
}

func TestAddCodeKeepsTheFile(t *testing.T) {
	p, _ := sampleProject(t, 1)
	ctx := context.Background()
	path := filepath.Join(p.Dir, app.CodebookFile)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.AddCode(ctx, app.NewCodeOptions{Name: "Language barriers", Parent: "Risk aversion", Color: "#AA3377", Description: "Interpreting, jargon, accents."})
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != "language_barriers" || c.Parent == nil || c.Parent.ID != "risk_aversion" || c.Color != "#AA3377" {
		t.Fatalf("added %+v", c)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Every line of the file is still there, in order: the code went in as
	// text, comments kept.
	old := strings.Split(string(before), "\n")
	at := 0
	for _, l := range strings.Split(string(after), "\n") {
		if at < len(old) && l == old[at] {
			at++
		}
	}
	if at != len(old) || !strings.Contains(string(before), "#") {
		t.Errorf("the codebook lost or reordered lines (%d of %d kept)", at, len(old))
	}
	cb, err := p.Codebook()
	if err != nil || cb.Code("language_barriers") == nil || cb.Code("language_barriers").Path() != cb.Code("risk_aversion").Path()+" > Language barriers" {
		t.Fatalf("reloaded codebook: %v", err)
	}
	// The new code codes by hand at once.
	if _, err := p.AddCoding(ctx, app.CodingOptions{Segment: "P01:s3", Code: "Language barriers", Coder: "amina"}); err != nil {
		t.Fatal(err)
	}
	// The same name under the same parent is refused; an id made from a
	// name is made unique.
	if _, err := p.AddCode(ctx, app.NewCodeOptions{Name: "language barriers", Parent: "risk_aversion"}); qcode.ErrorCode(err) != qcode.ECONFLICT {
		t.Errorf("a sibling's name again: %v", err)
	}
	again, err := p.AddCode(ctx, app.NewCodeOptions{Name: "Language barriers"})
	if err != nil || again.ID != "language_barriers_2" || again.Parent != nil {
		t.Errorf("the name at the top level: %+v, %v", again, err)
	}
	for _, bad := range []app.NewCodeOptions{{Name: ""}, {Name: "x", Color: "red"}, {Name: "x", ID: "X y"}, {Name: "a > b"}, {Name: "x", Parent: "no_such"}} {
		if _, err := p.AddCode(ctx, bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
	final, _ := os.ReadFile(path)
	if n := strings.Count(string(final), "name: Language barriers"); n != 2 {
		t.Errorf("the codebook names the new codes %d times, want 2:\n%s", n, final)
	}
}
