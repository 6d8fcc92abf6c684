package app_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"qcode/app"
	"qcode/exchange"
)

// indexState is what a user, and a reader of the index folder, sees of
// the search index: the live generation, the folder's entries, and a
// search's hits, with whether the search had to update the index first.
type indexState struct {
	live    string
	entries []string
	hits    []string
	updated bool
}

func indexStateOf(t *testing.T, p *app.Project, query string) indexState {
	t.Helper()
	res, err := p.Search(context.Background(), app.SearchOptions{Query: query, IncludeInterviewer: true})
	if err != nil {
		t.Fatal(err)
	}
	var s indexState
	s.updated = res.Index != nil
	for _, h := range res.Hits {
		s.hits = append(s.hits, fmt.Sprintf("%s %d-%d %s", h.Segment, h.Start, h.End, h.Text))
	}
	dir := p.IndexPath()
	live, err := os.ReadFile(filepath.Join(dir, "current"))
	if err != nil {
		t.Fatal(err)
	}
	s.live = strings.TrimSpace(string(live))
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		s.entries = append(s.entries, e.Name())
	}
	return s
}

// A merge's new texts are indexed while the store writes them, into a
// generation of the index that is made live only once the store has
// committed. So a merge that fails after its sources were written and
// indexed leaves the index as it was, as it leaves the store (the index
// holds no source the store lacks, and nothing half-made is left beside
// it); one that succeeds leaves the index up to date with the store, as
// a rebuild from the store would make it, sentence file byte for byte.
func TestMergeIndexFollowsTheStore(t *testing.T) {
	ctx := context.Background()
	amina, _ := coderProject(t, "amina")
	x := exchangeOf(t, amina)
	p, _ := sampleProject(t, 1)
	const query = "because"
	before := indexStateOf(t, p, query) // the import made the index
	if before.updated || len(before.hits) == 0 {
		t.Fatalf("before the merge: updated %v, %d hits", before.updated, len(before.hits))
	}

	// The codings go in after every source is written and indexed: one
	// past the end of the last source's text fails the merge there.
	bad := *x
	bad.Codings = append(slices.Clip(x.Codings), exchange.Coding{Source: "P04", Code: x.Codings[0].Code, Coder: "amina",
		Start: 0, End: 1 << 30, CreatedAt: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)})
	if _, err := p.Merge(ctx, &bad, app.MergeOptions{}); err == nil || !strings.Contains(err.Error(), "outside its text") {
		t.Fatalf("merging a coding outside its text: %v", err)
	}
	after := indexStateOf(t, p, query)
	if after.updated || after.live != before.live || !slices.Equal(after.entries, before.entries) || !slices.Equal(after.hits, before.hits) {
		t.Fatalf("the failed merge changed the index:\nbefore %+v\nafter  %+v", before, after)
	}
	if srcs, err := p.Sources(ctx); err != nil || len(srcs) != 1 {
		t.Fatalf("the failed merge changed the store: %d sources, %v", len(srcs), err)
	}

	rep, err := p.Merge(ctx, x, app.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.SourcesAdded) != 3 {
		t.Fatalf("sources added: %+v", rep.SourcesAdded)
	}
	merged := indexStateOf(t, p, query)
	if merged.updated || merged.live == before.live || len(merged.hits) <= len(before.hits) {
		t.Fatalf("after the merge the index is not up to date with the store: %+v", merged)
	}
	sentences := func(s indexState) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(p.IndexPath(), s.live, "sentences.bin"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	made := sentences(merged)
	if _, err := p.UpdateIndex(ctx, true); err != nil {
		t.Fatal(err)
	}
	rebuilt := indexStateOf(t, p, query)
	if !slices.Equal(rebuilt.hits, merged.hits) {
		t.Errorf("the index made by the merge finds\n%q\nthe rebuilt one\n%q", merged.hits, rebuilt.hits)
	}
	if string(sentences(rebuilt)) != string(made) {
		t.Errorf("the sentence file the merge made differs from a rebuild's")
	}
}
