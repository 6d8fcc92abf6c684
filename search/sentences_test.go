package search

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"qcode"
	"qcode/codebook"
)

// testSources are two sources' turns and sentences.
func testSources() (turns map[int64][]Turn, docs map[int64][]Doc) {
	tok := func(text string, start int) Token {
		return Token{Text: text, Start: start, End: start + len([]rune(text))}
	}
	turns = map[int64][]Turn{
		3: {{Ord: 1, Speaker: 7, Start: 0, End: 9, ByteStart: 0, ByteEnd: 9, Time: 1500, HasTime: true, Text: "Hello all"},
			{Ord: 2, Speaker: 8, Start: 10, End: 51, ByteStart: 10, ByteEnd: 55, Text: "We learnt humility. Zoë’s débrief helped."}},
		4: {{Ord: 1, Speaker: 8, Start: 0, End: 15, ByteStart: 0, ByteEnd: 15, Time: 0, HasTime: true, Text: "Humility again."}},
	}
	docs = map[int64][]Doc{
		3: {
			{Words: []string{"We", "learnt", "humility"},
				Sentence: Sentence{Ord: 1, Turn: 2, Start: 10, End: 29, ByteStart: 10, ByteEnd: 29,
					Tokens: []Token{tok("We", 10), tok("learnt", 13), tok("humility", 20), tok(".", 28)}}},
			{Words: []string{"Zoë’s", "débrief", "helped"},
				Sentence: Sentence{Ord: 2, Turn: 2, Start: 30, End: 51, ByteStart: 30, ByteEnd: 55,
					Tokens: []Token{tok("Zoë’s", 30), tok("débrief", 36), tok("helped", 44), tok(".", 50)}}},
		},
		4: {{Words: []string{"Humility", "again"},
			Sentence: Sentence{Ord: 1, Turn: 1, Start: 0, End: 15, ByteStart: 0, ByteEnd: 15,
				Tokens: []Token{tok("Humility", 0), tok("again", 9), tok(".", 14)}}}},
	}
	return turns, docs
}

func TestIndexAndSentences(t *testing.T) {
	ctx := context.Background()
	ix, err := Create(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	turns, docs := testSources()
	for _, id := range []int64{3, 4} {
		if err := ix.Add(ctx, id, turns[id], docs[id]); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Commit(map[int64]string{3: "a", 4: "b"}); err != nil {
		t.Fatal(err)
	}
	if got, err := ix.Sources(); err != nil || !reflect.DeepEqual(got, map[int64]string{3: "a", 4: "b"}) {
		t.Errorf("sources %v, %v", got, err)
	}
	// Sentences and turns come back as they went in, each turn with its
	// sentences.
	sf, err := ix.OpenSentences()
	if err != nil {
		t.Fatal(err)
	}
	blk, err := sf.Source(3)
	if err != nil {
		t.Fatal(err)
	}
	if blk.Len() != 2 || blk.Turns() != 2 {
		t.Errorf("%d sentences, %d turns", blk.Len(), blk.Turns())
	}
	// Every token is numbered by its text ("." twice over).
	ids := map[string]int32{}
	for _, b := range []int64{3, 4} {
		blk, err := sf.Source(b)
		if err != nil {
			t.Fatal(err)
		}
		for i := range blk.Len() {
			var x Sentence
			if err := blk.At(i, &x); err != nil || !sameSentence(t, ids, x, docs[b][i].Sentence) {
				t.Errorf("source %d sentence %d: %+v, %v", b, i+1, x, err)
			}
		}
	}
	var got Sentence
	if err := blk.At(1, &got); err != nil || !sameSentence(t, ids, got, docs[3][1].Sentence) {
		t.Errorf("At(1) = %+v, %v", got, err)
	}
	want := turns[3]
	want[0].First, want[0].Count = 0, 0
	want[1].First, want[1].Count = 0, 2
	for i := range want {
		if tt, err := blk.Turn(i); err != nil || tt != want[i] {
			t.Errorf("Turn(%d) = %+v, %v; want %+v", i, tt, err, want[i])
		}
	}
	if _, err := blk.Turn(2); err == nil {
		t.Error("a turn past the last read")
	}
	if _, err := sf.Source(5); qcode.ErrorCode(err) != qcode.ENOTFOUND {
		t.Errorf("a source not indexed: %v", err)
	}
	sf.Close()

	// Words are folded as the matcher folds them: case, apostrophes, and
	// prefixes found without analysis.
	for _, tc := range []struct {
		p    codebook.Pattern
		want []Candidate
	}{
		{codebook.Pattern{Kind: codebook.PatternExact, Text: "humility"}, []Candidate{{Source: 3, Ord: 1}, {Source: 4, Ord: 1}}},
		{codebook.Pattern{Kind: codebook.PatternExact, Text: "zoë's"}, []Candidate{{Source: 3, Ord: 2}}},
		{codebook.Pattern{Kind: codebook.PatternPrefix, Text: "débr"}, []Candidate{{Source: 3, Ord: 2}}},
		{codebook.Pattern{Kind: codebook.PatternGlob, Text: "hel?ed"}, []Candidate{{Source: 3, Ord: 2}}},
		{codebook.Pattern{Kind: codebook.PatternStem, Text: "learnt"}, []Candidate{{Source: 3, Ord: 1}}},
	} {
		hits, err := ix.Candidates(ctx, codebook.Plan{Op: codebook.PlanWord, Word: tc.p}, true)
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

	// A source taken out is gone from both; the one kept is as it was.
	if err := ix.DeleteSource(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if err := ix.Commit(map[int64]string{4: "b"}); err != nil {
		t.Fatal(err)
	}
	if sf, err = ix.OpenSentences(); err != nil {
		t.Fatal(err)
	}
	if _, err := sf.Source(3); qcode.ErrorCode(err) != qcode.ENOTFOUND {
		t.Errorf("sentences of a deleted source: %v", err)
	}
	if blk, err = sf.Source(4); err != nil {
		t.Fatal(err)
	}
	if err := blk.At(0, &got); err != nil || !sameSentence(t, ids, got, docs[4][0].Sentence) {
		t.Errorf("the source kept: %+v, %v", got, err)
	}
	sf.Close()
	hits, err := ix.Candidates(ctx, codebook.Plan{Op: codebook.PlanWord, Word: codebook.Pattern{Kind: codebook.PatternExact, Text: "humility"}}, false)
	if err != nil || len(hits) != 1 || hits[0].Source != 4 {
		t.Errorf("after delete: %+v, %v", hits, err)
	}

	// A damaged file is an error, never a panic.
	path := ix.sentencesPath()
	data, _ := os.ReadFile(path)
	for _, bad := range [][]byte{data[:2], data[:14], append(data[:12:12], 4, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0), data[:len(data)-3],
		append(append([]byte{}, data[:len(data)-60]...), bytes.Repeat([]byte{0xff}, 60)...)} {
		if err := os.WriteFile(path, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		sf, err := ix.OpenSentences()
		if err != nil {
			continue
		}
		blk, err := sf.Source(4)
		if err == nil {
			var x Sentence
			err = blk.At(0, &x)
			if err == nil {
				_, err = blk.Turn(0)
			}
			if err == nil {
				t.Errorf("a damaged file of %d bytes read as %+v", len(bad), x)
			}
		}
		sf.Close()
	}
}

// A block's turns must number 1, 2, … and each hold its sentences
// together; anything else is a damaged store, refused.
func TestEncodeBlockRefuses(t *testing.T) {
	turns, docs := testSources()
	ss := func(id int64) []Sentence {
		var out []Sentence
		for _, d := range docs[id] {
			out = append(out, d.Sentence)
		}
		return out
	}
	tx := &texts{}
	if _, err := encodeBlock(3, turns[3], ss(3), tx); err != nil {
		t.Fatalf("a good block: %v", err)
	}
	bad := slices.Clone(turns[3])
	bad[1].Ord = 5
	if _, err := encodeBlock(3, bad, ss(3), tx); err == nil {
		t.Error("turns out of order taken")
	}
	if _, err := encodeBlock(3, turns[3][:1], ss(3), tx); err == nil {
		t.Error("a sentence of a missing turn taken")
	}
	bad = slices.Clone(turns[3])
	bad[1].Text = bad[1].Text[:10]
	if _, err := encodeBlock(3, bad, ss(3), tx); err == nil {
		t.Error("a turn's text shorter than its span taken")
	}
	split := ss(3)
	split = append(split, split[0])
	split[2].Ord = 3
	split[1].Turn = 1 // turn 2 holds the first and the third
	if _, err := encodeBlock(3, turns[3], split, tx); err == nil {
		t.Error("a turn's sentences apart taken")
	}
}

func sortHits(hits []Candidate) {
	slices.SortFunc(hits, func(a, b Candidate) int { return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Ord, b.Ord)) })
}

// sameSentence reports whether got, read back, is want, with its tokens
// numbered by their texts: the same text as ever the same number (ids
// holds those seen), and another text another number.
func sameSentence(t *testing.T, ids map[string]int32, got, want Sentence) bool {
	t.Helper()
	for i, tok := range got.Tokens {
		id, ok := ids[tok.Text]
		if !ok {
			for text, other := range ids {
				if other == tok.ID {
					t.Errorf("%q and %q are both numbered %d", text, tok.Text, tok.ID)
				}
			}
			ids[strings.Clone(tok.Text)] = tok.ID // the text points into the file
		} else if id != tok.ID {
			t.Errorf("%q is numbered %d and %d", tok.Text, id, tok.ID)
		}
		got.Tokens[i].ID = 0
	}
	return reflect.DeepEqual(got, want)
}

// A damaged index says that rebuilding it mends it, as a structured Help
// each front end words its own way, naming no command.
func TestDamagedHelp(t *testing.T) {
	err := errDamaged()
	var e *qcode.Error
	if !errors.As(err, &e) || e.Help != qcode.HelpRebuildIndex || !errors.Is(err, ErrDamaged) || strings.Contains(err.Error(), "qcode ") {
		t.Errorf("%#v", err)
	}
}

// TestReleaseKeepsBlocks lets a block of many pages go and reads it
// again: its sentences and turns are what they were, read back from the
// file.
func TestReleaseKeepsBlocks(t *testing.T) {
	ctx := context.Background()
	ix, err := Create(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var docs []Doc
	var turns []Turn
	var text strings.Builder
	at := 0
	for i := range 3000 {
		words := []string{"we", "learnt", "humility", "on", "shift"}
		s := Sentence{Ord: i + 1, Turn: i/10 + 1, Start: at, ByteStart: at}
		for _, w := range words {
			s.Tokens = append(s.Tokens, Token{Text: w, Start: at, End: at + len(w)})
			at += len(w) + 1
			text.WriteString(w + " ")
		}
		s.End, s.ByteEnd = at-1, at-1
		docs = append(docs, Doc{Words: words, Sentence: s})
		if i%10 == 0 {
			turns = append(turns, Turn{Ord: i/10 + 1, Speaker: 7, Start: s.Start, ByteStart: s.Start})
		}
		turns[len(turns)-1].End, turns[len(turns)-1].ByteEnd = s.End, s.End
	}
	for i, tn := range turns {
		turns[i].Text = text.String()[tn.ByteStart:tn.ByteEnd]
	}
	if err := ix.Add(ctx, 9, turns, docs); err != nil {
		t.Fatal(err)
	}
	if err := ix.Commit(map[int64]string{9: "a"}); err != nil {
		t.Fatal(err)
	}
	sf, err := ix.OpenSentences()
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Close()
	read := func() ([]Sentence, []Turn) {
		blk, err := sf.Source(9)
		if err != nil {
			t.Fatal(err)
		}
		if len(blk.raw) < 4*os.Getpagesize() {
			t.Fatalf("a block of %d bytes; the test needs several pages", len(blk.raw))
		}
		var ss []Sentence
		for i := range blk.Len() {
			var s Sentence
			if err := blk.At(i, &s); err != nil {
				t.Fatal(err)
			}
			ss = append(ss, s)
		}
		var ts []Turn
		for i := range blk.Turns() {
			tu, err := blk.Turn(i)
			if err != nil {
				t.Fatal(err)
			}
			ts = append(ts, tu)
		}
		sf.release()
		return ss, ts
	}
	s1, t1 := read()
	s2, t2 := read()
	if len(s1) != 3000 || !reflect.DeepEqual(s1, s2) || !reflect.DeepEqual(t1, t2) {
		t.Errorf("read again after its pages went: %d sentences, same %v, turns same %v", len(s2), reflect.DeepEqual(s1, s2), reflect.DeepEqual(t1, t2))
	}
}

// A source given in part and aborted leaves nothing: not its sentences in
// the index, nor its block in the sentence file; the index refuses a
// second source while one is being added, and a commit before it is done.
func TestAddSourceAbort(t *testing.T) {
	ctx := context.Background()
	ix, err := Create(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	turns, docs := testSources()
	a, err := ix.AddSource(3)
	if err != nil {
		t.Fatal(err)
	}
	for _, tn := range turns[3] {
		if err := a.Turn(tn); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Sentence(ctx, &docs[3][0]); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.AddSource(4); err == nil {
		t.Error("a second source taken while the first is added")
	}
	if err := ix.Commit(map[int64]string{}); err == nil {
		t.Error("a commit taken while a source is added")
	}
	if err := a.Abort(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(ctx, 4, turns[4], docs[4]); err != nil {
		t.Fatal(err)
	}
	if err := ix.Commit(map[int64]string{4: "b"}); err != nil {
		t.Fatal(err)
	}
	sf, err := ix.OpenSentences()
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Close()
	if _, err := sf.Source(3); qcode.ErrorCode(err) != qcode.ENOTFOUND {
		t.Errorf("the aborted source's sentences: %v", err)
	}
	blk, err := sf.Source(4)
	var got Sentence
	if err != nil || blk.At(0, &got) != nil || !sameSentence(t, map[string]int32{}, got, docs[4][0].Sentence) {
		t.Errorf("the source added after: %+v, %v", got, err)
	}
	hits, err := ix.Candidates(ctx, codebook.Plan{Op: codebook.PlanWord, Word: codebook.Pattern{Kind: codebook.PatternExact, Text: "humility"}}, false)
	if err != nil || len(hits) != 1 || hits[0].Source != 4 {
		t.Errorf("humility after the abort: %+v, %v", hits, err)
	}
}

// A turn's text is written before the records, so every turn comes before
// the first sentence, and with its text: anything else is a damaged
// store, refused.
func TestTurnsBeforeSentences(t *testing.T) {
	ctx := context.Background()
	ix, err := Create(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	turns, docs := testSources()
	a, err := ix.AddSource(3)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Turn(turns[3][0]); err != nil {
		t.Fatal(err)
	}
	short := turns[3][1]
	short.Text = short.Text[1:]
	if err := a.Turn(short); err == nil {
		t.Error("a turn whose text is not its span taken")
	}
	if err := a.Turn(turns[3][1]); err != nil {
		t.Fatal(err)
	}
	if err := a.Sentence(ctx, &docs[3][0]); err != nil {
		t.Fatal(err)
	}
	late := Turn{Ord: 3, Speaker: 7, Start: 60, End: 62, ByteStart: 60, ByteEnd: 62, Text: "Ok"}
	if err := a.Turn(late); err == nil {
		t.Error("a turn after a sentence taken")
	}
	a.Abort(ctx)
}
