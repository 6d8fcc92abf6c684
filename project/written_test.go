package project

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"qcode/corpus"
	"qcode/exchange"
)

// indexRead is what a source gives the search index, one line a turn or
// sentence, as Store.IndexSource and WrittenSource.Read give it.
type indexRead []string

func (r *indexRead) turn(ord int, speaker int64, chars, bytes corpus.Span, begin corpus.Time, text string) error {
	*r = append(*r, fmt.Sprintf("turn %d speaker %d chars %v bytes %v begin %d %q", ord, speaker, chars, bytes, begin, text))
	return nil
}

func (r *indexRead) sentence(ord, turn int, chars, bytes corpus.Span, text string, toks []corpus.Token, tokChars []int) error {
	*r = append(*r, fmt.Sprintf("sentence %d turn %d chars %v bytes %v %q tokens %v at %v", ord, turn, chars, bytes, text, toks, tokChars))
	return nil
}

// mergeInputOf makes a merge of texts (name → text) as app.Merge makes
// one: each text read as plain text, segmented when segment is set.
func mergeInputOf(tb testing.TB, segment bool, texts ...string) MergeInput {
	tb.Helper()
	in := MergeInput{From: "other.qdpx", Command: "test"}
	for i := 0; i < len(texts); i += 2 {
		docs, err := corpus.Parse(corpus.Input{Path: texts[i] + ".txt", Data: []byte(texts[i+1])}, "txt")
		if err != nil {
			tb.Fatal(err)
		}
		d := docs[0]
		if segment {
			corpus.Segment(d)
		}
		in.Sources = append(in.Sources, MergeSource{Source: exchange.Source{Name: texts[i], Text: texts[i+1],
			CreatedAt: time.Date(2025, 4, 1, 10, 0, 0, 0, time.UTC)}, Doc: d})
	}
	return in
}

// The search index is made from the sources a merge writes while it
// writes them, from the sources in memory: what they give it must be what
// the store gives back once committed, turn for turn, sentence for
// sentence, token for token, with the stamp the store will show, or a
// search would find other places than the store's.
func TestWrittenSourceReadsAsStored(t *testing.T) {
	ctx := context.Background()
	texts := []string{
		"P03", p03,
		"notes", "A paragraph with no speaker. It has two sentences — and a dash.\n\nA second paragraph: Zoë’s, with 🙂 in it.\n",
		"P04", "[00:00:05] Interviewer: Where did you train?\n\n[00:00:09] Amaka: In Enugu. Then Leeds, for two years.\nThen home.\n",
	}
	for _, segment := range []bool{true, false} {
		t.Run(fmt.Sprintf("segmented=%v", segment), func(t *testing.T) {
			p := MustOpen(t)
			in := mergeInputOf(t, segment, texts...)
			var written []*WrittenSource
			in.Written = func(s *WrittenSource) error {
				written = append(written, s)
				return nil
			}
			if _, err := p.Merge(ctx, in); err != nil {
				t.Fatal(err)
			}
			stamps, _, err := p.SourceStamps(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(written) != 3 || len(stamps) != 3 {
				t.Fatalf("%d sources written, %d stored; want 3", len(written), len(stamps))
			}
			for _, s := range written {
				if stamps[s.ID] != s.Stamp {
					t.Errorf("source %d: stamp %q, the store's %q", s.ID, s.Stamp, stamps[s.ID])
				}
				var got, want indexRead
				if err := s.Read(got.turn, got.sentence); err != nil {
					t.Fatal(err)
				}
				if err := p.IndexSource(ctx, s.ID, want.turn, want.sentence); err != nil {
					t.Fatal(err)
				}
				if len(want) < 3 || !slices.Equal(got, want) {
					t.Errorf("source %d as written:\n%q\nas stored:\n%q", s.ID, got, want)
				}
			}
		})
	}
}

// An error of what takes the written sources in, as each is written or
// before the transaction commits, undoes the whole merge: the store is as
// it was, so the index and the store cannot disagree.
func TestMergeUndoneByTheIndex(t *testing.T) {
	ctx := context.Background()
	broken := errors.New("the index failed")
	for _, when := range []string{"written", "ready"} {
		t.Run(when, func(t *testing.T) {
			p := mustP03(t)
			before, digest, err := p.SourceStamps(ctx)
			if err != nil {
				t.Fatal(err)
			}
			in := mergeInputOf(t, true, "notes", "One paragraph. Two sentences.\n", "more", "Another text entirely.\n")
			n := 0
			in.Written = func(*WrittenSource) error {
				if n++; when == "written" && n == 2 {
					return broken
				}
				return nil
			}
			if when == "ready" {
				in.Ready = func() error { return broken }
			}
			if _, err := p.Merge(ctx, in); !errors.Is(err, broken) {
				t.Fatalf("merge: %v, want the index's error", err)
			}
			after, again, err := p.SourceStamps(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if again != digest || len(after) != len(before) {
				t.Errorf("the store changed: %q, was %q", again, digest)
			}
		})
	}
}
