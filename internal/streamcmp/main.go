// Command streamcmp measures `qcode code --stdin` against its peers on the
// same newline-delimited JSON: `grep -F -w -f words.txt`, the floor for
// finding words, and, when Rscript and the tidytext package are installed,
// R tidytext's unnest_tokens + inner_join, whole process. It is run by
// hand, not by go test:
//
//	go run ./internal/streamcmp -words 1000000
//
// It writes real-shaped transcripts with internal/corpusgen as records of
// one paragraph each, {"id": N, "text": "…"}, until they hold -words words,
// a 10-word dictionary codebook (one code a word, negation kept, as a
// dictionary join keeps it) and the same words in words.txt, then runs
// each tool -runs times and prints its median wall time, CPU time (user
// and system) and peak resident memory from the child's rusage (each
// measure's median on its own), and the ratios to qcode. Without -qcode
// it builds qcode from this module first.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"qcode/internal/corpusgen"
)

// dictionary is the 10-word codebook: words every transcript uses.
var dictionary = []string{"pain", "family", "work", "money", "hospital", "worried", "support", "time", "nurse", "home"}

const tidyScript = `suppressMessages({library(jsonlite); library(dplyr); library(tidytext); library(readr)})
args <- commandArgs(TRUE)
lines <- read_lines(args[1])
recs <- stream_in(textConnection(lines), verbose = FALSE)
dict <- tibble(word = read_lines(args[2]))
hits <- recs %>% unnest_tokens(word, text) %>% inner_join(dict, by = "word")
write_csv(count(hits, id, word), args[3])
`

type result struct {
	name      string
	wall, cpu time.Duration
	rss       int64
}

func main() {
	words := flag.Int("words", 1000000, "words of records to code")
	qcode := flag.String("qcode", "", "the qcode binary (default: build it)")
	dir := flag.String("dir", "", "where the files go (default: a temporary folder, removed)")
	runs := flag.Int("runs", 3, "runs of each tool; the median is shown")
	memory := flag.String("memory", "", "passed to qcode as --memory when set")
	flag.Parse()
	if err := run(*words, *qcode, *dir, *runs, *memory); err != nil {
		fmt.Fprintln(os.Stderr, "streamcmp:", err)
		os.Exit(1)
	}
}

func run(words int, qcode, dir string, runs int, memory string) error {
	if dir == "" {
		d, err := os.MkdirTemp("", "streamcmp")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if qcode == "" {
		qcode = filepath.Join(dir, "qcode")
		build := exec.Command("go", "build", "-o", qcode, "./cmd/qcode")
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("building qcode: %w", err)
		}
	}
	records := filepath.Join(dir, "records.ndjson")
	n, err := writeRecords(records, words)
	if err != nil {
		return err
	}
	book := filepath.Join(dir, "book.yaml")
	wordsTxt := filepath.Join(dir, "words.txt")
	var yaml strings.Builder
	yaml.WriteString("codes:\n")
	for _, w := range dictionary {
		fmt.Fprintf(&yaml, "  - id: %s\n    name: %s\n    rule: %s\n    negation: keep\n", w, w, w)
	}
	if err := os.WriteFile(book, []byte(yaml.String()), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(wordsTxt, []byte(strings.Join(dictionary, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	fmt.Printf("%d records, %d words (by white space), %d-word dictionary\n", n.records, n.words, len(dictionary))

	qargs := []string{"code", "--stdin", "--codebook", book}
	if memory != "" {
		qargs = append(qargs, "--memory", memory)
	}
	tools := []struct {
		name string
		cmd  []string
	}{
		{"qcode code --stdin", append([]string{qcode}, qargs...)},
		{"grep -F -w -f", []string{"grep", "-F", "-w", "-i", "-f", wordsTxt, records}},
	}
	if _, err := exec.LookPath("Rscript"); err == nil {
		script := filepath.Join(dir, "tidy.R")
		if err := os.WriteFile(script, []byte(tidyScript), 0o644); err != nil {
			return err
		}
		tools = append(tools, struct {
			name string
			cmd  []string
		}{"R tidytext", []string{"Rscript", script, records, wordsTxt, filepath.Join(dir, "tidy.csv")}})
	} else {
		fmt.Println("no Rscript: R tidytext not measured")
	}
	var results []result
	for _, t := range tools {
		var rs []result
		for range runs {
			r, err := measure(t.name, t.cmd, records)
			if err != nil {
				return err
			}
			rs = append(rs, r)
		}
		results = append(results, median(rs))
	}
	q := results[0]
	fmt.Printf("%-20s %9s %9s %9s %10s %10s\n", "tool", "wall ms", "cpu ms", "peak MiB", "wall/qcode", "cpu/qcode")
	for _, r := range results {
		fmt.Printf("%-20s %9d %9d %9.1f %10.2f %10.2f\n", r.name, r.wall.Milliseconds(), r.cpu.Milliseconds(),
			float64(r.rss)/(1<<20), float64(r.wall)/float64(q.wall), float64(r.cpu)/float64(q.cpu))
	}
	return nil
}

// median returns the median of each measure of rs on its own: on a busy
// machine the run with the median wall time need not have the median CPU
// time.
func median(rs []result) result {
	m := rs[0]
	wall := make([]time.Duration, len(rs))
	cpu := make([]time.Duration, len(rs))
	rss := make([]int64, len(rs))
	for i, r := range rs {
		wall[i], cpu[i], rss[i] = r.wall, r.cpu, r.rss
	}
	slices.Sort(wall)
	slices.Sort(cpu)
	slices.Sort(rss)
	m.wall, m.cpu, m.rss = wall[len(rs)/2], cpu[len(rs)/2], rss[len(rs)/2]
	return m
}

type counts struct{ records, words int }

// writeRecords writes paragraphs of generated transcripts as records until
// they hold words words.
func writeRecords(path string, words int) (counts, error) {
	f, err := os.Create(path)
	if err != nil {
		return counts{}, err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	enc := json.NewEncoder(w)
	var c counts
	for i := uint64(0); c.words < words; i++ {
		var b strings.Builder
		if err := corpusgen.Interview(&b, "txt", corpusgen.InterviewWords, rand.New(rand.NewPCG(1, i))); err != nil {
			return c, err
		}
		for line := range strings.Lines(b.String()) {
			line = strings.TrimSpace(line)
			if line == "" || c.words >= words {
				continue
			}
			c.records++
			c.words += len(strings.Fields(line))
			if err := enc.Encode(struct {
				ID   int    `json:"id"`
				Text string `json:"text"`
			}{c.records, line}); err != nil {
				return c, err
			}
		}
	}
	if err := w.Flush(); err != nil {
		return c, err
	}
	return c, f.Close()
}

// measure runs cmd with stdin from the file in and its output discarded.
func measure(name string, cmd []string, in string) (result, error) {
	f, err := os.Open(in)
	if err != nil {
		return result{}, err
	}
	defer f.Close()
	c := exec.Command(cmd[0], cmd[1:]...)
	c.Stdin = f
	c.Stdout = io.Discard
	var stderr strings.Builder
	c.Stderr = &stderr
	start := time.Now()
	if err := c.Run(); err != nil {
		return result{}, fmt.Errorf("%s: %v: %s", name, err, stderr.String())
	}
	r := result{name: name, wall: time.Since(start)}
	if u, ok := c.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.cpu = time.Duration(u.Utime.Nano() + u.Stime.Nano())
		r.rss = u.Maxrss << 10
	}
	return r, nil
}
