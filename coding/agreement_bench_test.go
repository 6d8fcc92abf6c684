package coding_test

// Benchmarks of building reliability data from codings (what qcode agree
// does once the project's units and codings are read), over interviews made
// by internal/corpusgen, segmented as import segments them:
//
//	go test -run '^$' -bench Reliability ./coding
//	QCODE_BENCH_WORDS=1000000 go test -run '^$' -bench Reliability -benchtime 5x ./coding
//
// Two coders code a tenth of the sentences with one or two of 20 codes,
// agreeing on most; a fifth of their codings are spans of a few words
// rather than whole sentences. Each reports the units and codings.

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"testing"
	"unicode/utf8"

	"qcode/coding"
	"qcode/corpus"
	"qcode/internal/corpusgen"
)

var reliabilityBench struct {
	once      sync.Once
	sentences []coding.AgreementUnit
	sources   []coding.AgreementUnit
	codings   []coding.Coding
	chars     int
	err       error
}

func loadReliabilityBench(b *testing.B) {
	b.Helper()
	rb := &reliabilityBench
	rb.once.Do(func() {
		words := 300_000
		if s := os.Getenv("QCODE_BENCH_WORDS"); s != "" {
			if words, rb.err = strconv.Atoi(s); rb.err != nil {
				return
			}
		}
		rng := rand.New(rand.NewPCG(7, 7))
		codes := make([]string, 20)
		for i := range codes {
			codes[i] = fmt.Sprintf("code%02d", i)
		}
		for i := 0; words > 0; i++ {
			n := min(words, corpusgen.InterviewWords)
			words -= n
			var buf bytes.Buffer
			if rb.err = corpusgen.Interview(&buf, "txt", n, rng); rb.err != nil {
				return
			}
			name := fmt.Sprintf("P%04d", i+1)
			docs, err := corpus.Read(corpus.Input{Path: name + ".txt", Data: buf.Bytes()}, "txt")
			if err != nil {
				rb.err = err
				return
			}
			d := docs[0]
			chars := utf8.RuneCountInString(d.Text)
			rb.chars += chars
			rb.sources = append(rb.sources, coding.AgreementUnit{Ref: coding.Ref{Source: name, Unit: coding.UnitSource}, End: chars, Text: d.Text})
			ord := 0
			for _, t := range d.Turns {
				for _, p := range t.Paragraphs {
					for _, s := range p.Sentences {
						ord++
						start := utf8.RuneCountInString(d.Text[:s.Start])
						end := start + utf8.RuneCountInString(d.Text[s.Start:s.End])
						rb.sentences = append(rb.sentences, coding.AgreementUnit{Ref: coding.Ref{Source: name, Unit: coding.UnitSentence, Ord: ord}, Start: start, End: end, Text: d.Text[s.Start:s.End]})
						if rng.IntN(10) > 0 {
							continue
						}
						for range 1 + rng.IntN(2) {
							code := codes[rng.IntN(len(codes))]
							for _, coder := range []string{"amina", "ben"} {
								if coder == "ben" && rng.IntN(4) == 0 {
									continue // Ben misses a quarter
								}
								s, e := start, end
								if rng.IntN(5) == 0 && end-start > 12 {
									s += rng.IntN((end - start) / 2)
									e = s + 6 + rng.IntN(end-s-6)
								}
								rb.codings = append(rb.codings, coding.Coding{Source: name, Unit: coding.UnitSpan, Start: s, End: e, Code: code, Coder: coder})
							}
						}
					}
				}
			}
		}
	})
	if rb.err != nil {
		b.Fatalf("making the benchmark corpus: %v", rb.err)
	}
}

func BenchmarkBuildReliability(b *testing.B) {
	loadReliabilityBench(b)
	rb := &reliabilityBench
	for _, tc := range []struct {
		unit  coding.Unit
		units []coding.AgreementUnit
		n     int
	}{
		{coding.UnitSentence, rb.sentences, len(rb.sentences)},
		{coding.UnitChar, rb.sources, rb.chars},
	} {
		spec := coding.AgreementSpec{Unit: tc.unit, Coders: []string{"amina", "ben"}, Disagreements: true}
		b.Run(fmt.Sprintf("%s/%d", tc.unit, tc.n), func(b *testing.B) {
			for b.Loop() {
				if _, err := coding.BuildReliability(spec, tc.units, rb.codings); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(tc.n), "units")
			b.ReportMetric(float64(len(rb.codings)), "codings")
		})
		b.Run(fmt.Sprintf("%s/%d/agreement+bootstrap1000", tc.unit, tc.n), func(b *testing.B) {
			r, err := coding.BuildReliability(spec, tc.units, rb.codings)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := r.Agreement(1000, 1); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(r.Profiles)), "profiles")
		})
	}
}
