package codebook

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qcode/corpus"
)

// benchVocab returns n distinct made-up words of 4 to 10 letters.
func benchVocab(rng *rand.Rand, n int) []string {
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		b := make([]byte, 4+rng.IntN(7))
		for i := range b {
			b[i] = byte('a' + rng.IntN(26))
		}
		if w := string(b); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// benchDictionary returns a codebook of n codes shaped like an imported
// content-analysis dictionary: `word1* OR word2 OR "two words"`.
func benchDictionary(rng *rand.Rand, vocab []string, n int) *Codebook {
	cb := &Codebook{Name: "dictionary"}
	pick := func() string { return vocab[rng.IntN(len(vocab))] }
	for i := range n {
		rule := fmt.Sprintf(`%s* OR %s OR "%s %s"`, pick()[:4], pick(), pick(), pick())
		cb.Codes = append(cb.Codes, &Code{ID: fmt.Sprintf("c%04d", i), Name: fmt.Sprintf("Category %d", i), Rule: rule})
	}
	return cb
}

// benchUnits returns n units of about 15 tokens: words from vocab, drawn
// with Zipf's law as in real text, with a comma or two and a full stop.
func benchUnits(rng *rand.Rand, vocab []string, n int) ([]Passage, int) {
	zipf := rand.NewZipf(rng, 1.07, 2, uint64(len(vocab)-1))
	units := make([]Passage, n)
	total := 0
	for i := range units {
		k := 12 + rng.IntN(6)
		toks := make([]string, 0, k+2)
		for j := range k {
			w := vocab[zipf.Uint64()]
			if j == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			toks = append(toks, w)
			if rng.IntN(8) == 0 {
				toks = append(toks, ",")
			}
		}
		toks = append(toks, ".")
		units[i] = Passage{Tokens: toks}
		total += len(toks)
	}
	return units, total
}

func BenchmarkCompileDictionary5000(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := benchVocab(rng, 30000)
	cb := benchDictionary(rng, vocab, 5000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewMatcher(cb); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatch runs codebooks over the same 10,000 units. rules=5000 is
// a 5,000-entry dictionary; rules=20 holds the same 15,000 rule words in 20
// codes of 250 ORed entries, so both find the same words and differ only in
// the number of rules: their cost per token should hardly differ.
// rules=20/small is 20 entries of the dictionary, for the cost of a unit
// that matches almost nothing.
func BenchmarkMatch(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	vocab := benchVocab(rng, 30000)
	big := benchDictionary(rng, vocab, 5000)
	grouped := &Codebook{}
	for i := range 20 {
		var rules []string
		for j := i; j < len(big.Codes); j += 20 {
			rules = append(rules, big.Codes[j].Rule)
		}
		grouped.Codes = append(grouped.Codes, &Code{ID: fmt.Sprintf("g%02d", i), Name: fmt.Sprintf("Group %d", i), Rule: strings.Join(rules, " OR ")})
	}
	units, total := benchUnits(rng, vocab, 10000)
	for _, bc := range []struct {
		name string
		cb   *Codebook
	}{
		{"rules=20/small", &Codebook{Codes: big.Codes[:20]}},
		{"rules=20", grouped},
		{"rules=5000", big},
	} {
		b.Run(bc.name, func(b *testing.B) {
			m, err := NewMatcher(bc.cb)
			if err != nil {
				b.Fatal(err)
			}
			var hits []Hit
			matches := 0
			for _, u := range units { // first sight of every type, outside the timing
				hits = m.Match(u, hits[:0])
				for _, h := range hits {
					matches += len(h.Matches)
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				for _, u := range units {
					hits = m.Match(u, hits[:0])
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(total), "ns/token")
			b.ReportMetric(float64(matches)/float64(len(units)), "matches/unit")
		})
	}
}

// BenchmarkMatchDefault matches the default codebook, a concept dictionary
// of phrases and windows in both voices, against every paragraph of the
// sample corpus: what `qcode code` spends most of its time on.
func BenchmarkMatchDefault(b *testing.B) {
	var units []Passage
	files, err := filepath.Glob(filepath.Join("..", "testdata", "corpus", "*.txt"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no sample interviews: %v", err)
	}
	total := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		for _, para := range strings.Split(string(data), "\n") {
			words, _ := corpus.Words(para)
			var toks []string
			for _, t := range words {
				toks = append(toks, para[t.Start:t.End])
			}
			if len(toks) > 0 {
				units = append(units, Passage{Tokens: toks})
				total += len(toks)
			}
		}
	}
	cb := Default()
	m, err := NewMatcher(cb)
	if err != nil {
		b.Fatal(err)
	}
	var hits []Hit
	b.ReportAllocs()
	for b.Loop() {
		for _, u := range units {
			hits = m.Match(u, hits[:0])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(total), "ns/token")
}
