package corpus

import (
	"io/fs"
	"testing"

	"qcode/internal/sample"
)

// sampleTexts returns the plain-text interviews of the sample corpus.
func sampleTexts(tb testing.TB) []Input {
	tb.Helper()
	var ins []Input
	for _, name := range []string{"P01.txt", "P02.txt", "P03.txt", "P04.txt", "P10.txt", "P11.md", "P12.txt"} {
		data, err := fs.ReadFile(sample.FS(), name)
		if err != nil {
			tb.Fatal(err)
		}
		ins = append(ins, Input{Path: name, Data: data})
	}
	return ins
}

// BenchmarkParse measures decoding and turn detection.
func BenchmarkParse(b *testing.B) {
	ins := sampleTexts(b)
	words := 0
	for _, in := range ins {
		docs, _ := Read(in, "")
		words += docs[0].Counts().Words
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, in := range ins {
			if _, err := Parse(in, ""); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(words)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
}

// BenchmarkSegment measures paragraphs, sentences and tokens.
func BenchmarkSegment(b *testing.B) {
	var docs []*Source
	words := 0
	for _, in := range sampleTexts(b) {
		d, err := Parse(in, "")
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, d...)
		Segment(d[0])
		words += d[0].Counts().Words
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			Segment(d)
		}
	}
	b.ReportMetric(float64(words)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
}
