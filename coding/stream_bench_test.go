package coding_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
	"qcode/internal/corpusgen"
)

// benchWords is how many words BenchmarkStream codes per pass:
// QCODE_BENCH_WORDS, else 100,000.
func benchWords(b *testing.B) int {
	if s := os.Getenv("QCODE_BENCH_WORDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			b.Fatalf("QCODE_BENCH_WORDS=%q: want a positive number", s)
		}
		return n
	}
	return 100000
}

// BenchmarkStream codes NDJSON survey records with the default codebook.
// Run it with -cpu 1,2 to see one core and all of them; the target is at
// least 1,000,000 words/s on one core. The grep sub-benchmark times
//
//	grep -o -w -i -F -f words.txt corpus.txt | wc -l
//
// over the same words, words.txt holding the plain words of the default
// codebook's rules: a floor to compare with (it finds words, not codes).
func BenchmarkStream(b *testing.B) {
	records, words := genRecords(b, benchWords(b))
	var input bytes.Buffer
	for _, r := range records {
		input.Write(r)
		input.WriteByte('\n')
	}
	m, err := codebook.NewMatcher(codebook.Default())
	if err != nil {
		b.Fatal(err)
	}

	b.Run("unit=record", func(b *testing.B) { benchStream(b, input.Bytes(), m, "record") })
	b.Run("unit=sentence", func(b *testing.B) { benchStream(b, input.Bytes(), m, "sentence") })
	b.Run("grep", func(b *testing.B) {
		if _, err := exec.LookPath("grep"); err != nil {
			b.Skip("no grep")
		}
		dir := b.TempDir()
		var txt bytes.Buffer
		for _, r := range records {
			txt.WriteString(recordText(b, r))
			txt.WriteByte('\n')
		}
		corpusPath := filepath.Join(dir, "corpus.txt")
		wordsPath := filepath.Join(dir, "words.txt")
		if err := os.WriteFile(corpusPath, txt.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(wordsPath, []byte(strings.Join(ruleWords(codebook.Default()), "\n")+"\n"), 0o644); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			cmd := exec.Command("sh", "-c", "grep -o -w -i -F -f words.txt corpus.txt | wc -l")
			cmd.Dir = dir
			if out, err := cmd.Output(); err != nil || strings.TrimSpace(string(out)) == "0" {
				b.Fatalf("grep: %v: %s", err, out)
			}
		}
		b.ReportMetric(float64(words)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
	})
}

func benchStream(b *testing.B, input []byte, m *codebook.Matcher, unit string) {
	b.SetBytes(int64(len(input)))
	var st coding.StreamStats
	cpu0, cpuOK := cpuSeconds()
	for b.Loop() {
		var err error
		st, err = coding.Stream(context.Background(), bytes.NewReader(input), io.Discard, m, coding.StreamOptions{Unit: unit})
		if err != nil {
			b.Fatal(err)
		}
	}
	cpu1, _ := cpuSeconds()
	b.ReportMetric(float64(st.Words)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
	if cpuOK && cpu1 > cpu0 {
		// Words per second of CPU time: with -cpu 1, the speed on one core
		// whatever else the machine is running.
		b.ReportMetric(float64(st.Words)*float64(b.N)/(cpu1-cpu0), "words/cpu-s")
	}
	b.ReportMetric(float64(st.Codings)/float64(st.Records), "codes/record")
}

// cpuSeconds returns the CPU time this process has used, from
// /proc/self/stat (Linux; false elsewhere).
func cpuSeconds() (float64, bool) {
	data, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	s := string(data)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:]) // the name may hold spaces
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseFloat(f[11], 64)
	stime, err2 := strconv.ParseFloat(f[12], 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	const ticks = 100 // USER_HZ, 100 on every Linux qcode runs on
	return (utime + stime) / ticks, true
}

// ruleWords returns the plain words of a codebook's rules, lower case, each
// once, with their wildcards dropped: what grep -w -F can look for.
func ruleWords(cb *codebook.Codebook) []string {
	seen := map[string]bool{}
	cb.Walk(func(c *codebook.Code) {
		e, err := codebook.ParseRule(c.Rule)
		if err != nil || e == nil {
			return
		}
		codebook.Inspect(e, func(x codebook.Expr) bool {
			if w, ok := x.(codebook.Word); ok {
				t := strings.ToLower(strings.TrimRight(w.Text, "*"))
				if t != "" && !strings.ContainsAny(t, "*?") {
					seen[t] = true
				}
			}
			return true
		})
	})
	words := make([]string, 0, len(seen))
	for w := range seen {
		words = append(words, w)
	}
	slices.Sort(words)
	return words
}

// recordText returns the text of a generated record.
func recordText(tb testing.TB, rec []byte) string {
	tb.Helper()
	var v struct{ Text string }
	if err := jsonUnmarshal(rec, &v); err != nil {
		tb.Fatal(err)
	}
	return v.Text
}

// countWords counts words as Stream does.
func countWords(text string) int {
	toks, _ := corpus.Words(text)
	n := 0
	for _, t := range toks {
		if t.IsWord() {
			n++
		}
	}
	return n
}

// dictionaryWords is internal/streamcmp's 10-word dictionary: words every
// generated transcript uses.
var dictionaryWords = []string{"pain", "family", "work", "money", "hospital", "worried", "support", "time", "nurse", "home"}

// BenchmarkStreamDictionary codes what internal/streamcmp compares with
// grep -F -w -f: generated transcripts, one paragraph a record as
// {"id":N,"text":"…"}, with a codebook of one code a word of a 10-word
// dictionary. Its CPU time per word is what the comparison turns on.
func BenchmarkStreamDictionary(b *testing.B) {
	var yaml strings.Builder
	yaml.WriteString("codes:\n")
	for _, w := range dictionaryWords {
		fmt.Fprintf(&yaml, "  - id: %s\n    name: %s\n    rule: %s\n    negation: keep\n", w, w, w)
	}
	_, m, err := codebook.LoadCompiled("book.yaml", []byte(yaml.String()))
	if err != nil {
		b.Fatal(err)
	}
	var input bytes.Buffer
	enc := json.NewEncoder(&input)
	words := benchWords(b)
	n := 0
	for i := uint64(0); n < words; i++ {
		var t strings.Builder
		if err := corpusgen.Interview(&t, "txt", corpusgen.InterviewWords, rand.New(rand.NewPCG(1, i))); err != nil {
			b.Fatal(err)
		}
		for line := range strings.Lines(t.String()) {
			line = strings.TrimSpace(line)
			if line == "" || n >= words {
				continue
			}
			n += len(strings.Fields(line))
			if err := enc.Encode(struct {
				ID   int    `json:"id"`
				Text string `json:"text"`
			}{int(i), line}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("unit=record", func(b *testing.B) { benchStream(b, input.Bytes(), m, "record") })
	b.Run("unit=sentence", func(b *testing.B) { benchStream(b, input.Bytes(), m, "sentence") })
}
