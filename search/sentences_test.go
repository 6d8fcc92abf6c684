package search

import (
	"cmp"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"qcode"
	"qcode/codebook"
)

func testDocs() []Doc {
	tok := func(text string, start int) Token {
		return Token{Text: text, Start: start, End: start + len([]rune(text))}
	}
	return []Doc{
		{Source: 3, Words: []string{"We", "learnt", "humility"}, Text: "We learnt humility.",
			Sentence: Sentence{Ord: 1, Turn: 1, Start: 10, End: 29, ByteStart: 10, ByteEnd: 29,
				Tokens: []Token{tok("We", 10), tok("learnt", 13), tok("humility", 20), tok(".", 28)}}},
		{Source: 3, Words: []string{"Zoë’s", "débrief", "helped"}, Text: "Zoë’s débrief helped.",
			Sentence: Sentence{Ord: 2, Turn: 1, Start: 30, End: 51, ByteStart: 30, ByteEnd: 55,
				Tokens: []Token{tok("Zoë’s", 30), tok("débrief", 36), tok("helped", 44), tok(".", 50)}}},
		{Source: 4, Words: []string{"Humility", "again"}, Text: "Humility again.",
			Sentence: Sentence{Ord: 1, Turn: 2, Start: 0, End: 15, ByteStart: 0, ByteEnd: 15,
				Tokens: []Token{tok("Humility", 0), tok("again", 9), tok(".", 14)}}},
	}
}

func TestIndexAndSentences(t *testing.T) {
	ctx := context.Background()
	ix, err := Create(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	docs := testDocs()
	if err := ix.Add(ctx, docs); err != nil {
		t.Fatal(err)
	}
	// Sentences come back as they went in.
	sf, err := ix.Sentences(3)
	if err != nil {
		t.Fatal(err)
	}
	if sf.Len() != 2 {
		t.Errorf("len %d", sf.Len())
	}
	var got Sentence
	if err := sf.At(1, &got); err != nil || !reflect.DeepEqual(got, docs[1].Sentence) {
		t.Errorf("At(1) = %+v, %v", got, err)
	}
	// The same when read whole.
	if err := sf.Load(); err != nil {
		t.Fatal(err)
	}
	got = Sentence{}
	if err := sf.At(1, &got); err != nil || !reflect.DeepEqual(got, docs[1].Sentence) {
		t.Errorf("At(1) after Load = %+v, %v", got, err)
	}
	sf.Close()

	// Words are folded as the matcher folds them: case, apostrophes, and
	// prefixes found without analysis.
	for _, tc := range []struct {
		p    codebook.Pattern
		want []Hit
	}{
		{codebook.Pattern{Kind: codebook.PatternExact, Text: "humility"}, []Hit{{Source: 3, Ord: 1}, {Source: 4, Ord: 1}}},
		{codebook.Pattern{Kind: codebook.PatternExact, Text: "zoë's"}, []Hit{{Source: 3, Ord: 2}}},
		{codebook.Pattern{Kind: codebook.PatternPrefix, Text: "débr"}, []Hit{{Source: 3, Ord: 2}}},
		{codebook.Pattern{Kind: codebook.PatternGlob, Text: "hel?ed"}, []Hit{{Source: 3, Ord: 2}}},
		{codebook.Pattern{Kind: codebook.PatternStem, Text: "learnt"}, []Hit{{Source: 3, Ord: 1}}},
	} {
		hits, err := ix.Candidates(ctx, codebook.Plan{Op: codebook.PlanWord, Word: tc.p})
		if err != nil {
			t.Fatal(err)
		}
		for i := range hits {
			hits[i].Score = 0
		}
		sortHits(hits)
		if !reflect.DeepEqual(hits, tc.want) {
			t.Errorf("%+v: %+v, want %+v", tc.p, hits, tc.want)
		}
	}

	// A source taken out is gone from both.
	if err := ix.DeleteSource(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Sentences(3); qcode.ErrorCode(err) != qcode.ENOTFOUND {
		t.Errorf("sentences of a deleted source: %v", err)
	}
	hits, err := ix.Candidates(ctx, codebook.Plan{Op: codebook.PlanWord, Word: codebook.Pattern{Kind: codebook.PatternExact, Text: "humility"}})
	if err != nil || len(hits) != 1 || hits[0].Source != 4 {
		t.Errorf("after delete: %+v, %v", hits, err)
	}

	// A damaged file is an error, never a panic.
	path := ix.sentencesPath(4)
	data, _ := os.ReadFile(path)
	for _, bad := range [][]byte{data[:2], append(data[:8:8], 0xff, 0xff, 0xff, 0xff), data[:len(data)-3]} {
		if err := os.WriteFile(path, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		sf, err := ix.Sentences(4)
		if err != nil {
			continue
		}
		var x Sentence
		if err := sf.At(0, &x); err == nil {
			t.Errorf("a damaged file of %d bytes read as %+v", len(bad), x)
		}
		sf.Close()
	}
}

func sortHits(hits []Hit) {
	slices.SortFunc(hits, func(a, b Hit) int { return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Ord, b.Ord)) })
}
