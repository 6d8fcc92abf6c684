package search

import (
	"context"
	"errors"
	"maps"
	"os"
	"slices"
	"testing"

	"qcode/corpus"
)

// genEntries lists the index folder: the live generation's name and any
// other a build left behind.
func genEntries(tb testing.TB, e *Engine) []string {
	tb.Helper()
	ents, err := os.ReadDir(e.path)
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, d := range ents {
		names = append(names, d.Name())
	}
	return names
}

// A build's generation is seen by no one until Publish: one that fails,
// or is aborted, leaves the live generation as it was and nothing beside
// it; one published after the store changed otherwise than it was told
// holds what the store holds.
func TestBuildSeenOnlyWhenPublished(t *testing.T) {
	ctx := context.Background()
	p := mustP03(t)
	e := newEngine(t, p)
	want := mustSearch(t, e, Request{Query: "rota OR handover"}).Total
	live, entries := livePath(t, e), genEntries(t, e)
	stamps, _, err := p.SourceStamps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for id = range stamps {
	}
	// A source as the store gives it, under another id.
	copyOf := func(turn TurnFunc, sentence SentenceFunc) error { return p.IndexSource(ctx, id, turn, sentence) }
	broken := errors.New("cannot read")

	for _, tc := range []struct {
		name string
		read SourceReader
		end  func(b *Build) error
	}{
		{"read fails", func(turn TurnFunc, sentence SentenceFunc) error {
			if err := turn(1, 1, corpus.Span{End: 5}, corpus.Span{End: 5}, corpus.NoTime, "Hello"); err != nil {
				return err
			}
			return broken
		}, func(b *Build) error { return b.Ready() }},
		{"aborted", copyOf, func(b *Build) error { b.Abort(); return nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := e.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := b.Add(ctx, id+100, "a stamp", tc.read); err != nil {
				t.Fatal(err)
			}
			if err := tc.end(b); tc.name == "read fails" && !errors.Is(err, broken) {
				t.Errorf("Ready: %v, want the reader's error", err)
			}
			b.Abort()
			if got := genEntries(t, e); livePath(t, e) != live || !slices.Equal(got, entries) {
				t.Errorf("the index folder holds %q, live %s; want %q, live %s", got, livePath(t, e), entries, live)
			}
			if res := mustSearch(t, e, Request{Query: "rota OR handover"}); res.Index != nil || res.Total != want {
				t.Errorf("search after the build: %+v, %d hits, want %d", res.Index, res.Total, want)
			}
			e.Close()
		})
	}

	// Published with a source the store does not hold: the store is the
	// truth, so the index holds what the store holds, and a search need
	// not update it.
	b, err := e.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Add(ctx, id+100, "a stamp", copyOf); err != nil {
		t.Fatal(err)
	}
	if err := b.Ready(); err != nil {
		t.Fatal(err)
	}
	res, err := b.Publish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 1 || res.Removed != 1 || livePath(t, e) == live {
		t.Errorf("publish: %+v, live %s", res, livePath(t, e))
	}
	ix, err := Open(livePath(t, e), false)
	if err != nil {
		t.Fatal(err)
	}
	have, err := ix.Sources()
	ix.Close()
	if err != nil || !maps.Equal(have, stamps) {
		t.Errorf("the index holds %v, the store %v (%v)", have, stamps, err)
	}
	if res := mustSearch(t, e, Request{Query: "rota OR handover"}); res.Index != nil || res.Total != want {
		t.Errorf("search after publishing: %+v, %d hits, want %d", res.Index, res.Total, want)
	}
}
