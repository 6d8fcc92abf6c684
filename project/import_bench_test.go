package project

// Benchmarks of import, stage by stage, over a corpus from corpusgen:
//
//	go test -run '^$' -bench . ./project
//	QCODE_BENCH_WORDS=1000000 go test -run '^$' -bench . -benchtime 1x -count 3 ./project
//
// Each reports words/s, the words being those qcode counts in the corpus.
// The corpus is written once per test binary into a temporary folder;
// every benchmark streams it file by file, as qcode import does, so memory
// stays that of one file whatever QCODE_BENCH_WORDS is.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"qcode/corpus"
	"qcode/internal/corpusgen"
)

// benchWordsDefault keeps `go test -bench . ./project` to seconds.
const benchWordsDefault = 200000

var benchCorpus struct {
	once    sync.Once
	dir     string
	files   []string // files qcode reads
	skipped []string // files that failed to parse, with the error
	err     error

	countOnce sync.Once
	words     int // the files' words, as Counts counts them
}

// TestMain removes the benchmark corpus after every test and benchmark ran.
// Started as a child of a test of two processes, it plays the child's part.
func TestMain(m *testing.M) {
	if part := os.Getenv(childEnv); part != "" {
		os.Exit(runChild(part))
	}
	code := m.Run()
	if benchCorpus.dir != "" {
		os.RemoveAll(benchCorpus.dir)
	}
	os.Exit(code)
}

// loadBenchCorpus writes the corpus on first use and returns its files. A
// file that does not parse (its reader still in the making) is left out
// and logged, so that the other formats can still be measured.
func loadBenchCorpus(b *testing.B) []string {
	b.Helper()
	c := &benchCorpus
	c.once.Do(func() {
		words := benchWordsDefault
		if s := os.Getenv("QCODE_BENCH_WORDS"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n <= 0 {
				c.err = fmt.Errorf("QCODE_BENCH_WORDS=%q: want a positive number of words", s)
				return
			}
			words = n
		}
		if c.dir, c.err = os.MkdirTemp("", "qcode-bench-"); c.err != nil {
			return
		}
		files, err := corpusgen.Write(filepath.Join(c.dir, "corpus"), words, 1)
		if err != nil {
			c.err = err
			return
		}
		for _, f := range files {
			if _, err := parseBenchFile(f); err != nil {
				c.skipped = append(c.skipped, err.Error())
				continue
			}
			c.files = append(c.files, f)
		}
	})
	if c.err != nil {
		b.Fatalf("writing the benchmark corpus: %v", c.err)
	}
	if len(c.skipped) > 0 {
		b.Logf("left out %d files that do not parse, e.g. %s", len(c.skipped), c.skipped[0])
	}
	if len(c.files) == 0 {
		b.Fatal("no file of the benchmark corpus parses")
	}
	return c.files
}

// corpusWords returns the words of the benchmark corpus, reading it all the
// first time (outside any timing) unless an import already counted them.
func corpusWords(b *testing.B) int {
	b.Helper()
	c := &benchCorpus
	c.countOnce.Do(func() {
		for _, f := range c.files {
			docs, err := readBenchFile(f)
			if err != nil {
				b.Fatal(err)
			}
			for _, d := range docs {
				c.words += d.Counts().Words
			}
		}
	})
	return c.words
}

// noteWords records the words an import counted, sparing corpusWords a
// reading of the corpus (and a CPU profile of Import its samples).
func noteWords(words int) {
	benchCorpus.countOnce.Do(func() { benchCorpus.words = words })
}

func parseBenchFile(path string) ([]*corpus.Source, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return corpus.Parse(corpus.Input{Path: path, Data: data}, "")
}

func readBenchFile(path string) ([]*corpus.Source, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return corpus.Read(corpus.Input{Path: path, Data: data}, "")
}

func reportWords(b *testing.B, words int) {
	b.ReportMetric(float64(words)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
}

// BenchmarkParse reads each file and finds its turns.
func BenchmarkParse(b *testing.B) {
	files := loadBenchCorpus(b)
	words := corpusWords(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			if _, err := parseBenchFile(f); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportWords(b, words)
}

// BenchmarkSegment splits parsed documents into paragraphs, sentences and
// tokens; parsing is not timed.
func BenchmarkSegment(b *testing.B) {
	files := loadBenchCorpus(b)
	words := corpusWords(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			b.StopTimer()
			docs, err := parseBenchFile(f)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			for _, d := range docs {
				corpus.Segment(d)
			}
		}
	}
	reportWords(b, words)
}

// BenchmarkStore imports segmented documents into a new project, one
// transaction per file, and closes it; reading and segmenting are not
// timed, nor is creating the project.
func BenchmarkStore(b *testing.B) { benchImport(b, false) }

// BenchmarkImport does all of it, file by file as qcode import does: read
// the file, parse and segment it, store it; then close the project.
func BenchmarkImport(b *testing.B) { benchImport(b, true) }

// benchImport imports the benchmark corpus into a new project and closes
// it, timing the reading and segmenting of each file too when timeRead.
func benchImport(b *testing.B, timeRead bool) {
	files := loadBenchCorpus(b)
	ctx := context.Background()
	words := -1 // counted by the first iteration
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		p, dir := initBenchProject(b)
		n := 0
		b.StartTimer()
		for _, f := range files {
			if !timeRead {
				b.StopTimer()
			}
			docs, err := readBenchFile(f)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			res, err := p.Import(ctx, docs, false)
			if err != nil {
				b.Fatal(err)
			}
			n += importedWords(res)
		}
		if err := p.Close(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		os.RemoveAll(dir)
		words = checkWords(b, words, n)
		b.StartTimer()
	}
	reportWords(b, words)
}

func importedWords(res []ImportResult) int {
	n := 0
	for _, r := range res {
		n += r.Counts.Words
	}
	return n
}

// checkWords returns the words one iteration imported, failing if an
// earlier iteration imported another number.
func checkWords(b *testing.B, before, now int) int {
	if before >= 0 && before != now {
		b.Fatalf("imported %d words, then %d", before, now)
	}
	noteWords(now)
	return now
}

// initBenchProject makes a new project in a folder of its own, removed by
// the caller once the iteration is done, so that disk use stays that of one
// project however many iterations run.
func initBenchProject(b *testing.B) (*Project, string) {
	b.Helper()
	dir, err := os.MkdirTemp(b.TempDir(), "project-")
	if err != nil {
		b.Fatal(err)
	}
	p, err := Init(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	return p, dir
}
