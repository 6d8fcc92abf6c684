package corpusgen_test

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qcode/corpus"
	"qcode/internal/corpusgen"
)

// About two cycles through the formats.
const testWords = 2*6*corpusgen.InterviewWords + 3000

func TestWriteIsReproducible(t *testing.T) {
	dirA, dirB := t.TempDir(), t.TempDir()
	a, err := corpusgen.Write(dirA, 30000, 7)
	if err != nil {
		t.Fatal(err)
	}
	b, err := corpusgen.Write(dirB, 30000, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("seed 7 wrote %d files, then %d", len(a), len(b))
	}
	for i := range a {
		if filepath.Base(a[i]) != filepath.Base(b[i]) {
			t.Fatalf("file %d is %s, then %s", i, filepath.Base(a[i]), filepath.Base(b[i]))
		}
		da, db := mustReadFile(t, a[i]), mustReadFile(t, b[i])
		if !bytes.Equal(da, db) {
			t.Errorf("%s differs between two runs with the same seed", filepath.Base(a[i]))
		}
	}
	c, err := corpusgen.Write(t.TempDir(), 30000, 8)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(mustReadFile(t, a[0]), mustReadFile(t, c[0])) {
		t.Errorf("seeds 7 and 8 wrote the same %s", filepath.Base(a[0]))
	}
}

// TestWriteReads reads every file of a generated corpus as qcode import
// does and checks its word count.
func TestWriteReads(t *testing.T) {
	paths, err := corpusgen.Write(t.TempDir(), testWords, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 2*len(corpusgen.Formats) {
		t.Errorf("wrote %d files, want two of each of the %d formats", len(paths), len(corpusgen.Formats))
	}
	words := 0
	for i, path := range paths {
		format := corpusgen.Formats[i%len(corpusgen.Formats)]
		if ext := filepath.Ext(path); ext != corpusgen.Ext(format) {
			t.Errorf("%s: file %d should be %s, a %s file", filepath.Base(path), i+1, format, corpusgen.Ext(format))
		}
		docs, err := corpus.Read(corpus.Input{Path: path, Data: mustReadFile(t, path)}, "")
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(path), err)
			continue
		}
		if len(docs) != 1 {
			t.Errorf("%s: read %d documents, want 1", filepath.Base(path), len(docs))
			continue
		}
		d := docs[0]
		names, _ := d.Speakers()
		if len(names) < 2 || len(names) > 3 {
			t.Errorf("%s: speakers %q, want one or two interviewers and a participant", filepath.Base(path), names)
		}
		words += d.Counts().Words
	}
	checkWords(t, "the corpus", words, testWords)
}

// TestInterviewFormats checks each format on its own: it reads, it has the
// turns of an hour-long interview, and it has the words asked for.
func TestInterviewFormats(t *testing.T) {
	for i, format := range corpusgen.Formats {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			rng := rand.New(rand.NewPCG(3, uint64(i)))
			if err := corpusgen.Interview(&buf, format, corpusgen.InterviewWords, rng); err != nil {
				t.Fatal(err)
			}
			docs, err := corpus.Read(corpus.Input{Path: "P01" + corpusgen.Ext(format), Data: buf.Bytes()}, "")
			if err != nil {
				t.Fatal(err)
			}
			c := docs[0].Counts()
			if c.Turns < 100 || c.Turns > 150 {
				t.Errorf("%d turns, want 100 to 150", c.Turns)
			}
			checkWords(t, format, c.Words, corpusgen.InterviewWords)
		})
	}
}

func TestInterviewUnknownFormat(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	if err := corpusgen.Interview(&bytes.Buffer{}, "rtf", 100, rng); err == nil {
		t.Error("format rtf: no error")
	}
}

func checkWords(t *testing.T, what string, got, want int) {
	t.Helper()
	if d := float64(got-want) / float64(want); d < -0.05 || d > 0.05 {
		t.Errorf("%s has %d words, want %d ± 5%% (off by %+.1f%%)", what, got, want, 100*d)
	} else {
		t.Logf("%s has %d words for %d asked (%+.2f%%)", what, got, want, 100*d)
	}
}

func mustReadFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestCorrect(t *testing.T) {
	text := "So, Sarah, thanks for doing this. Could you start by telling me about the link?"
	got := corpusgen.Correct(text, 3, 2, rand.New(rand.NewPCG(1, 2)))
	if got == text || !strings.HasPrefix(got, "So, Sarah, ") {
		t.Errorf("Correct = %q", got)
	}
	if again := corpusgen.Correct(text, 3, 2, rand.New(rand.NewPCG(1, 2))); again != got {
		t.Errorf("not reproducible: %q, then %q", got, again)
	}
	if corpusgen.Correct("two words", 5, 2, rand.New(rand.NewPCG(1, 2))) != "two words" {
		t.Error("a text of skip words changed")
	}
}
