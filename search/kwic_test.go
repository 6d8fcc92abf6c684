package search

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"qcode/coding"
)

// TestContextStaysInTurn searches the sample interviews, whose turns begin
// with speakers' labels and timecodes, and checks that every hit's context
// is cut from its own turn: issue 19 saw "on paper. I 00:18:45 You've
// touched on [humility]", the end of the turn before and the label of the
// hit's own.
func TestContextStaysInTurn(t *testing.T) {
	ctx := context.Background()
	p := sampleProject(t)
	e := newEngine(t, p)
	timecode := regexp.MustCompile(`\d\d:\d\d:\d\d`)
	for _, unit := range []coding.Unit{coding.UnitSentence, coding.UnitTurn} {
		res := mustSearch(t, e, Request{Query: "humil* OR paper OR learn*", Unit: unit, Width: 60})
		if len(res.Hits) < 20 {
			t.Fatalf("unit %s: %d hits, want 20 or more", unit, len(res.Hits))
		}
		sawP03 := false
		for _, h := range res.Hits {
			src, err := p.Source(ctx, h.Source)
			if err != nil {
				t.Fatal(err)
			}
			var turn string
			first := false // the hit is the turn's first sentence, or the turn
			for _, tn := range src.Turns {
				if tn.Start <= h.Start && h.End <= tn.End {
					turn, first = oneLine(tn.Text), h.Start == tn.Start
				}
			}
			if turn == "" {
				t.Fatalf("%s (%d–%d) is in no turn of %s", h.Segment, h.Start, h.End, h.Source)
			}
			shown := strings.TrimSpace(h.Left + " " + h.Match + " " + h.Right)
			if !strings.Contains(turn, h.Left) || !strings.Contains(turn, h.Right) || !strings.Contains(turn, h.Match) ||
				!strings.Contains(strings.Join(strings.Fields(turn), ""), strings.Join(strings.Fields(shown), "")) {
				t.Errorf("unit %s: %s: context %q [%q] %q is not all of its turn %q", unit, h.Segment, h.Left, h.Match, h.Right, turn)
			}
			if timecode.MatchString(h.Left) || timecode.MatchString(h.Right) {
				t.Errorf("unit %s: %s: a timecode in the context %q [%q] %q", unit, h.Segment, h.Left, h.Match, h.Right)
			}
			if h.Source == "P03" && first && strings.HasPrefix(turn, "You’ve touched on humility") {
				sawP03 = true
				// The turn begins three words before the match.
				if h.Left != "You’ve touched on" {
					t.Errorf("unit %s: P03's question on humility has left context %q, want the turn's first words %q", unit, h.Left, "You’ve touched on")
				}
			}
		}
		if !sawP03 {
			t.Errorf("unit %s: no hit on P03's question on humility", unit)
		}
	}
}
