package app_test

import (
	"context"
	"fmt"
	"iter"
	"os"
	"slices"
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

// TestSearchChecksTheCodebook: a search compiles its query while the
// codebook's other rules are checked, yet a codebook with a problem
// anywhere stops it as reading the codebook does, with the same error,
// before a hit is shown or coded; mended, it searches, and broken again it
// stops again (the codebook kept between searches is not a stale one).
func TestSearchChecksTheCodebook(t *testing.T) {
	p, _ := sampleProject(t, 2)
	ctx := context.Background()
	path, err := app.CodebookPath(app.Options{Dir: p.Dir})
	if err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// An unknown #ref in a code the query does not refer to, which only
	// compiling every rule finds.
	broken := append(slices.Clone(good), "  - id: stray\n    name: Stray\n    rule: '#no_such_code OR ward'\n"...)
	shown, asked := 0, 0
	o := app.SearchOptions{Query: "#humility OR learn*", CodeAs: "humility", CodeBy: "amina",
		Stream: func(res *app.SearchResult, hits iter.Seq2[app.Hit, error]) error {
			shown++
			return nil
		},
		CodeAll: func(*app.SearchResult) bool { asked++; return true }}
	for round, data := range [][]byte{broken, good, broken} {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, want := p.Codebook()
		shown, asked = 0, 0
		res, err := p.Search(ctx, o)
		if want != nil {
			if err == nil || err.Error() != want.Error() || shown+asked != 0 {
				t.Errorf("round %d: search said %v after %d streams and %d questions;\nwant %v, nothing shown", round, err, shown, asked, want)
			}
			continue
		}
		if err != nil || res.Total == 0 || shown != 1 || asked != 1 || res.Coded == nil || res.Coded.Added != res.Total {
			t.Fatalf("round %d, the codebook mended: %v, %+v, shown %d, asked %d", round, err, res, shown, asked)
		}
	}
	if !strings.Contains(fmt.Sprint(p.Codebook()), "no_such_code") {
		t.Error("the broken codebook read without the unknown code")
	}
	list, err := p.ListCodings(ctx, app.ListOptions{Coder: "amina"})
	if err != nil || len(list.Codings) == 0 {
		t.Fatalf("the search with the mended codebook coded nothing: %v", err)
	}
}
