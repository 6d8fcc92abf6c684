package app_test

import (
	"context"
	"iter"
	"strings"
	"testing"

	"qcode"
	"qcode/app"
	"qcode/coding"
)

// TestCodeHitsOnly codes two of a search's hits, chosen as a page shows
// them, with a code named as people name it: exactly those two are coded,
// as the command line codes hits. A hit the search does not find where it
// was shown codes nothing.
func TestCodeHitsOnly(t *testing.T) {
	p, _ := sampleProject(t, 2)
	ctx := context.Background()
	o := app.SearchOptions{Query: "learn*", CodeAs: "Learning from the LMIC partner", CodeBy: "amina"}
	res, err := p.Search(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total < 3 || len(res.Hits) != res.Total {
		t.Fatalf("learn* finds %d hits (%d shown) in two interviews; the test wants three or more, all shown", res.Total, len(res.Hits))
	}
	var only []app.HitRef
	for _, h := range []int{0, 2} {
		only = append(only, app.HitRef{Segment: res.Hits[h].Segment, Start: res.Hits[h].Start, End: res.Hits[h].End})
	}
	// A stale hit (its span moved) refuses the lot.
	stale := append([]app.HitRef{{Segment: only[1].Segment, Start: only[1].Start + 1, End: only[1].End}}, only[0])
	if _, _, err := p.CodeHits(ctx, res, app.CodeHitsOptions{Only: stale}); qcode.ErrorCode(err) != qcode.ECONFLICT {
		t.Fatalf("a moved hit: %v, want a conflict", err)
	}
	gone := append([]app.HitRef{{Segment: "P01:s9999", Start: 1, End: 2}}, only...)
	if _, _, err := p.CodeHits(ctx, res, app.CodeHitsOptions{Only: gone}); qcode.ErrorCode(err) != qcode.ECONFLICT || !strings.Contains(err.Error(), "P01:s9999") {
		t.Fatalf("a hit not found: %v, want a conflict naming it", err)
	}
	if _, err := p.ListCodings(ctx, app.ListOptions{Coder: "amina"}); qcode.ErrorCode(err) != qcode.ENOTFOUND {
		t.Fatalf("refused requests coded something: %v", err)
	}
	added, existing, err := p.CodeHits(ctx, res, app.CodeHitsOptions{Only: only})
	if err != nil || added != 2 || existing != 0 {
		t.Fatalf("coded %d, %d existing (%v); want 2 new", added, existing, err)
	}
	list, err := p.ListCodings(ctx, app.ListOptions{Coder: "amina"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range list.Codings {
		got = append(got, c.Segment())
		if c.Code != "learning_from_partner" || c.Origin != coding.OriginSearch || c.Memo != "search: "+res.Query {
			t.Errorf("stored %s %s origin %s memo %q; want learning_from_partner, origin search, the query as memo", c.Segment(), c.Code, c.Origin, c.Memo)
		}
	}
	if strings.Join(got, " ") != only[0].Segment+" "+only[1].Segment {
		t.Errorf("coded %v, want %s and %s", got, only[0].Segment, only[1].Segment)
	}
	// CodeBy leaves Coder a filter: amina's codings are exactly the two.
	res, err = p.Search(ctx, app.SearchOptions{Query: "learn*", Coder: "amina", CodeAs: "learning_from_partner", CodeBy: "ben"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 2 || res.Coder() != "ben" || res.CodeAs() != "learning_from_partner" {
		t.Errorf("learn* coded by amina: %d hits, to be coded by %s as %s; want 2, ben, learning_from_partner", res.Total, res.Coder(), res.CodeAs())
	}
}

// TestSearchCodeAll codes every hit of a search once asked, after the
// hits are shown: a no codes nothing, a yes codes every hit (not only
// those shown), and a second yes finds them all coded already.
func TestSearchCodeAll(t *testing.T) {
	p, _ := sampleProject(t, 2)
	ctx := context.Background()
	var order []string
	o := app.SearchOptions{Query: "learn*", CodeAs: "learning_from_partner", CodeBy: "amina", Limit: 1,
		Stream: func(res *app.SearchResult, hits iter.Seq2[app.Hit, error]) error {
			for _, err := range hits {
				if err != nil {
					return err
				}
			}
			order = append(order, "shown")
			return nil
		}}
	answer := false
	o.CodeAll = func(res *app.SearchResult) bool {
		order = append(order, "asked")
		return answer
	}
	res, err := p.Search(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Coded == nil || !res.Coded.Declined || strings.Join(order, " ") != "shown asked" {
		t.Fatalf("declined: coded %+v after %v; want declined, asked after the hits were shown", res.Coded, order)
	}
	if _, err := p.ListCodings(ctx, app.ListOptions{Coder: "amina"}); qcode.ErrorCode(err) != qcode.ENOTFOUND {
		t.Fatalf("a no coded something: %v", err)
	}
	answer = true
	if res, err = p.Search(ctx, o); err != nil {
		t.Fatal(err)
	}
	if res.Total < 3 || res.Coded == nil || res.Coded.Declined || res.Coded.Added != res.Total || res.Coded.Existing != 0 {
		t.Fatalf("%d hits, coded %+v; want every hit coded, not only the one shown", res.Total, res.Coded)
	}
	if res, err = p.Search(ctx, o); err != nil {
		t.Fatal(err)
	}
	if res.Coded.Added != 0 || res.Coded.Existing != res.Total {
		t.Errorf("again: coded %+v of %d; want all already coded", res.Coded, res.Total)
	}
	// Without CodeAll, CodeAs only names the code for CodeHits.
	o.CodeAll, o.CodeBy = nil, "ben"
	if res, err = p.Search(ctx, o); err != nil || res.Coded != nil {
		t.Fatalf("no CodeAll: coded %+v (%v); want nothing asked or coded", res.Coded, err)
	}
}
