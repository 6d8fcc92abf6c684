package corpus_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"path"
	"strings"
	"testing"

	"qcode/corpus"
	"qcode/internal/corpusgen"
	"qcode/internal/sample"
)

// sameWords fails t unless Words gives text exactly the tokens (text and
// byte offsets) and sentence numbers of the prose path, and returns how
// many tokens and sentence boundaries it compared.
func sameWords(t *testing.T, name, text string) (tokens, boundaries int) {
	t.Helper()
	got, gotSent := corpus.Words(text)
	want, wantSent := corpus.WordsProse(text)
	n := min(len(got), len(want))
	for i := range n {
		if got[i] != want[i] || gotSent[i] != wantSent[i] {
			lo, hi := max(0, want[i].Start-60), min(len(text), want[i].End+60)
			t.Fatalf("%s: token %d: one pass gives %q [%d,%d) in sentence %d, prose %q [%d,%d) in sentence %d\nnear %q",
				name, i, got[i].Text, got[i].Start, got[i].End, gotSent[i], want[i].Text, want[i].Start, want[i].End, wantSent[i], text[lo:hi])
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%s: one pass gives %d tokens, prose %d", name, len(got), len(want))
	}
	for i := 1; i < len(want); i++ {
		if wantSent[i] != wantSent[i-1] {
			boundaries++
		}
	}
	return len(want), boundaries
}

// sampleTexts returns every source text and every turn's text of the
// sample corpus's transcripts and survey, by name.
func sampleTexts(t testing.TB) map[string]string {
	texts := map[string]string{}
	err := fs.WalkDir(sample.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		format, err := corpus.FormatOf(p, "")
		if err != nil {
			return nil // not a document (the codings)
		}
		data, err := fs.ReadFile(sample.FS(), p)
		if err != nil {
			return err
		}
		srcs, err := corpus.Parse(corpus.Input{Path: p, Data: data}, format)
		if err != nil {
			return nil // the cases file is no source
		}
		for i, s := range srcs {
			texts[fmt.Sprintf("%s#%d", p, i)] = s.Text
			for j, turn := range s.Turns {
				texts[fmt.Sprintf("%s#%d turn %d", p, i, j)] = s.Text[turn.Start:turn.End]
			}
		}
		texts[p+" raw"] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) < 20 {
		t.Fatalf("only %d texts in the sample corpus", len(texts))
	}
	return texts
}

func TestWordsMatchesProseOnTheSampleCorpus(t *testing.T) {
	toks, bounds := 0, 0
	for name, text := range sampleTexts(t) {
		n, b := sameWords(t, name, text)
		toks, bounds = toks+n, bounds+b
	}
	t.Logf("%d tokens and %d sentence boundaries agree", toks, bounds)
}

func TestWordsMatchesProseOnGeneratedTranscripts(t *testing.T) {
	words := 60000
	if testing.Short() {
		words = 10000
	}
	toks, bounds := 0, 0
	for i, format := range corpusgen.Formats {
		if format == "docx" {
			continue // a zip: its text is the same generator's as the others
		}
		var buf bytes.Buffer
		if err := corpusgen.Interview(&buf, format, words/len(corpusgen.Formats), rand.New(rand.NewPCG(17, uint64(i)))); err != nil {
			t.Fatal(err)
		}
		text := buf.String()
		n, b := sameWords(t, format, text)
		toks, bounds = toks+n, bounds+b
		srcs, err := corpus.Parse(corpus.Input{Path: "g" + corpusgen.Ext(format), Data: buf.Bytes()}, strings.TrimPrefix(path.Ext("g"+corpusgen.Ext(format)), "."))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range srcs {
			for j, turn := range s.Turns {
				n, b := sameWords(t, fmt.Sprintf("%s turn %d", format, j), s.Text[turn.Start:turn.End])
				toks, bounds = toks+n, bounds+b
			}
		}
	}
	t.Logf("%d tokens and %d sentence boundaries agree", toks, bounds)
}

// wordsSeeds are texts that reach each of the one-pass tokenizer's cases
// and the quirks of Punkt it must copy.
var wordsSeeds = []string{
	"We learnt humility. It was hard! Was it? Yes.",
	"Dr. Smith saw Mrs. Jones at 3 p.m. on Main St. yesterday. Then we left.",
	"No. Mm. We did. OK. Right.",
	"e.g. the U.S.A. and i.e. the U.K. were there. And then.",
	"Well... I don't know. . . maybe. It's 3.5 miles, or 4. Then 1990. After.",
	"J. S. Bach wrote it. A. Then B.",
	"He said “yes.” Then she said 'no.' (laughs) It was [inaudible]. Okay?) Sure!”",
	"It's fine. café. Naïve. Ends with é",
	"It ended.\n\nNew paragraph. Here.\n \nAnd another… one—with dashes–here. o'clock—no",
	"Sgt. Pepper. Gov. Brown. No. 5 is here. no. not that.",
	"word.Next word?Next! !! ?? .. ... .... . . .",
	"I am Mr. Brown. Mr. Brown is me. Prof. X. St. Louis. approx. 5.",
	"They'll say we're done; can't stop: won't stop. $100. (Well) [sic].",
	"Q: what? A: nothing. INT: Okay. P01: Yes.",
	"tab\tseparated. words\u00a0nbsp. U+2028\u2028line. \u3000ideographic. End",
	"A sentence.\r\n\r\nCRLF paragraphs.\r\nNext line. Done.",
	"ends with a multi-byte word. Café",
	"ends with a period. And a quote.”",
	"3. Items. 2. More. iv. Roman. a. lower. Z. upper.",
	"\xff\xfe bad. bytes\xc3. here.",
	"Yes.No.Maybe. Dr.Who. e.g.this",
	"...",
	"",
	"   ",
	"a",
}

func TestWordsMatchesProseOnSeeds(t *testing.T) {
	for i, s := range wordsSeeds {
		sameWords(t, fmt.Sprintf("seed %d", i), s)
	}
}

// FuzzWords compares the one-pass tokenizer with the prose path on any
// text of up to a kilobyte (prose's splitter takes time quadratic in a
// chunk's length, so longer inputs only slow the search down).
func FuzzWords(f *testing.F) {
	for _, s := range wordsSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 1024 {
			t.Skip()
		}
		sameWords(t, "fuzz", text)
	})
}

// BenchmarkWords tokenises a generated transcript of 20,000 words one
// pass and the prose way.
func BenchmarkWords(b *testing.B) {
	var buf bytes.Buffer
	if err := corpusgen.Interview(&buf, "txt", 20000, rand.New(rand.NewPCG(5, 6))); err != nil {
		b.Fatal(err)
	}
	text := buf.String()
	corpus.Words(text) // fill the caches both paths share, so neither pays for them
	for _, bc := range []struct {
		name  string
		words func(string) ([]corpus.Token, []int32)
	}{{"one-pass", corpus.Words}, {"prose", corpus.WordsProse}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				bc.words(text)
			}
		})
	}
}
