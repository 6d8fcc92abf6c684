package project

// Benchmarks of auto-coding (qcode code) over the benchmark corpus of
// import_bench_test.go, imported once per test binary:
//
//	go test -run '^$' -bench Code ./project
//	QCODE_BENCH_WORDS=1000000 go test -run '^$' -bench Code -benchtime 3x ./project
//
// Each iteration does what `qcode code` does once the project is open:
// compile the codebook, read every sentence's stored tokens, run the rules
// and replace the previous run's codings, in one transaction. Interviewers'
// turns are coded too, so that every word of the corpus is coded. run=first
// starts each iteration from a project with no codings, so that it writes
// every coding; run=again codes again with the same codebook. Each reports
// words/s and the codings the run leaves.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"qcode/codebook"
	"qcode/coding"
)

var codeBench struct {
	once  sync.Once
	p     *Project
	dir   string
	words int
	err   error
}

// loadCodeBenchProject imports the benchmark corpus into a project, once.
func loadCodeBenchProject(b *testing.B) (*Project, int) {
	b.Helper()
	files := loadBenchCorpus(b)
	c := &codeBench
	c.once.Do(func() {
		ctx := context.Background()
		// Inside the corpus's folder, which TestMain removes.
		if c.dir, c.err = os.MkdirTemp(benchCorpus.dir, "project-"); c.err != nil {
			return
		}
		if c.p, c.err = Init(ctx, c.dir); c.err != nil {
			return
		}
		for _, f := range files {
			docs, err := readBenchFile(f)
			if err != nil {
				c.err = err
				return
			}
			res, err := c.p.Import(ctx, docs, false)
			if err != nil {
				c.err = err
				return
			}
			c.words += importedWords(res)
		}
		noteWords(c.words)
	})
	if c.err != nil {
		b.Fatalf("importing the benchmark corpus: %v", c.err)
	}
	return c.p, c.words
}

// benchDictionary returns a content-analysis dictionary of n entries, as
// 'qcode codebook import' makes of a .dic file: categories of words and
// word* prefixes, each category a code whose rule ORs its entries. Up to
// fromCorpus entries are words of the corpus, drawn from every frequency
// rank (a fifth of those as prefixes); the rest are made-up words that
// never match.
// With as many categories as entries, each entry is a code of its own.
func benchDictionary(tb testing.TB, p *Project, n, categories, fromCorpus int) *codebook.Codebook {
	tb.Helper()
	freq := map[string]int{}
	err := p.EachSentence(context.Background(), func(r SentenceRow) error {
		for _, w := range strings.FieldsFunc(strings.ToLower(r.Text), func(c rune) bool { return !unicode.IsLetter(c) }) {
			if len(w) > 2 {
				freq[w]++
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	vocab := make([]string, 0, len(freq))
	for w := range freq {
		vocab = append(vocab, w)
	}
	sort.Strings(vocab) // map order is random; the dictionary is not
	rng := rand.New(rand.NewPCG(5, 6))
	rng.Shuffle(len(vocab), func(i, j int) { vocab[i], vocab[j] = vocab[j], vocab[i] })
	seen := map[string]bool{}
	var entries []string
	for _, w := range vocab[:min(fromCorpus, len(vocab))] {
		if rng.IntN(5) == 0 && len(w) > 5 {
			w = w[:4] + "*"
		}
		if !seen[w] {
			seen[w] = true
			entries = append(entries, w)
		}
	}
	for len(entries) < n {
		b := make([]byte, 5+rng.IntN(6))
		for i := range b {
			b[i] = byte('a' + rng.IntN(26))
		}
		if w := "zq" + string(b); !seen[w] {
			seen[w] = true
			entries = append(entries, w)
		}
	}
	rng.Shuffle(len(entries), func(i, j int) { entries[i], entries[j] = entries[j], entries[i] })
	rules := make([][]string, categories)
	for i, e := range entries {
		rules[i%categories] = append(rules[i%categories], e)
	}
	cb := &codebook.Codebook{Name: "dictionary"}
	for i, r := range rules {
		cb.Codes = append(cb.Codes, &codebook.Code{ID: fmt.Sprintf("cat%04d", i), Name: fmt.Sprintf("Category %d", i), Rule: strings.Join(r, " OR ")})
	}
	return cb
}

func BenchmarkCode(b *testing.B) {
	p, words := loadCodeBenchProject(b)
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		cb   func() *codebook.Codebook
	}{
		{"codebook=default", codebook.Default},
		// Every word of the corpus (it has fewer than 2,500) is an entry:
		// each sentence gets about ten codings, as with LIWC.
		{"codebook=dic5000/50categories", func() *codebook.Codebook { return benchDictionary(b, p, 5000, 50, 2500) }},
		{"codebook=dic5000/5000codes", func() *codebook.Codebook { return benchDictionary(b, p, 5000, 5000, 2500) }},
		// A topical dictionary: 100 of its entries occur in the corpus.
		{"codebook=dic5000/sparse", func() *codebook.Codebook { return benchDictionary(b, p, 5000, 50, 100) }},
	} {
		cb := bc.cb()
		code := func(b *testing.B) *RulesResult {
			m, err := codebook.NewMatcher(cb)
			if err != nil {
				b.Fatal(err)
			}
			run := RulesRun{Codebook: "bench", CodebookHash: bc.name, Unit: coding.UnitSentence, Interviewer: true}
			res, err := p.CodeRules(ctx, run, coding.NewApplier(m, bc.name, time.Now()))
			if err != nil {
				b.Fatal(err)
			}
			return res
		}
		// A first run writes every coding; a rerun of the same codebook
		// finds them all there and writes next to nothing.
		b.Run(bc.name+"/run=first", func(b *testing.B) {
			var res *RulesResult
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				if _, err := p.db.ExecContext(ctx, `DELETE FROM codings`); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				res = code(b)
			}
			reportWords(b, words)
			b.ReportMetric(float64(res.Total), "codings")
		})
		b.Run(bc.name+"/run=again", func(b *testing.B) {
			code(b)
			var res *RulesResult
			b.ReportAllocs()
			for b.Loop() {
				res = code(b)
			}
			reportWords(b, words)
			b.ReportMetric(float64(res.Total), "codings")
		})
	}
}
