// Command scale measures qcode at a corpus size: it writes a real-shaped
// corpus with internal/corpusgen, runs the qcode binary through a
// researcher's commands on it, and prints each command's wall time, CPU
// time (user and system) and peak resident memory, read from the child's
// rusage. It is run by hand, not by go test:
//
//	go run ./internal/scale -words 1000000
//	go run ./internal/scale -words 1000000 -words 10000000 -runs 9
//
// Each size gets its own project in a temporary folder (or under -dir,
// kept), made by qcode init; the search is run -runs times and its median
// shown, process start included, as a user at a terminal meets it. Without
// -qcode it builds qcode from this module first.
//
// -only measures some of the steps (import, index, code, search, sources,
// report, export, stdin; comma-separated): without import among them, the
// corpus and project an earlier run kept under -dir are used as they are,
// so that one command can be measured again on a large corpus without
// writing and importing it anew:
//
//	go run ./internal/scale -words 10000000 -dir /tmp/scale -only search,report -runs 9
//
// Exit status 0 on success, 1 when a command fails (its output is shown),
// 2 on bad flags.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"qcode/internal/corpusgen"
)

// sizes is a flag that may be given more than once.
type sizes []int

func (s *sizes) String() string { return fmt.Sprint(*s) }

func (s *sizes) Set(v string) error {
	n, err := strconv.Atoi(strings.ReplaceAll(v, "_", ""))
	if err != nil || n <= 0 {
		return fmt.Errorf("%q is not a number of words above 0", v)
	}
	*s = append(*s, n)
	return nil
}

// config is what one measuring run is told.
type config struct {
	words  []int  // corpus sizes, one project each
	qcode  string // the binary measured
	dir    string // where the corpora and projects go
	runs   int    // searches, for the median
	query  string // the search
	seed   uint64
	only   []string  // the steps measured, by key (see steps); nil for all
	stdout io.Writer // progress, as each step ends
}

// stepKeys name the steps for -only, in the order they run.
var stepKeys = []string{"import", "index", "code", "search", "sources", "report", "export", "stdin"}

// parseOnly reads -only's list of step keys.
func parseOnly(v string) ([]string, error) {
	var keys []string
	for k := range strings.SplitSeq(v, ",") {
		k = strings.TrimSpace(k)
		if !slices.Contains(stepKeys, k) {
			return nil, fmt.Errorf("-only: %q is not a step; the steps are %s", k, strings.Join(stepKeys, ", "))
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// measures reports whether the step key is measured.
func (c config) measures(key string) bool { return c.only == nil || slices.Contains(c.only, key) }

// step is one command measured.
type step struct {
	words int
	name  string
	runs  int
	wall  time.Duration // the median's, for searches
	cpu   time.Duration // user + system
	rss   int64         // peak resident memory, bytes
}

func main() {
	var cfg config
	flag.Var((*sizes)(&cfg.words), "words", "corpus size in words (may be given more than once; default 1000000)")
	flag.StringVar(&cfg.qcode, "qcode", "", "the qcode binary to measure (default: build this module's ./cmd/qcode)")
	flag.StringVar(&cfg.dir, "dir", "", "folder for the corpora and projects, kept afterwards (default: a temporary folder, removed)")
	flag.IntVar(&cfg.runs, "runs", 5, "searches to take the median of")
	flag.StringVar(&cfg.query, "query", "humility", "the search measured")
	flag.Uint64Var(&cfg.seed, "seed", 1, "the corpus's random seed")
	only := flag.String("only", "", "the steps to measure, comma-separated: "+strings.Join(stepKeys, ", ")+"; without import, the project kept under -dir is used")
	flag.Parse()
	if flag.NArg() > 0 || cfg.runs < 1 {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/scale [-words N]… [-runs N] [-query Q] [-qcode BIN] [-dir DIR] [-only STEP,…]")
		os.Exit(2)
	}
	if *only != "" {
		var err error
		if cfg.only, err = parseOnly(*only); err != nil {
			fmt.Fprintln(os.Stderr, "scale:", err)
			os.Exit(2)
		}
		if !cfg.measures("import") && cfg.dir == "" {
			fmt.Fprintln(os.Stderr, "scale: -only without import measures a project kept by an earlier run; name its folder with -dir")
			os.Exit(2)
		}
	}
	if len(cfg.words) == 0 {
		cfg.words = []int{1000000}
	}
	cfg.stdout = os.Stderr
	steps, err := measure(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "scale:", err)
		os.Exit(1)
	}
	printTable(os.Stdout, steps)
}

// measure runs every size and returns its steps, in order.
func measure(cfg config) ([]step, error) {
	if cfg.dir == "" {
		tmp, err := os.MkdirTemp("", "qcode-scale-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		cfg.dir = tmp
	} else if err := os.MkdirAll(cfg.dir, 0o755); err != nil {
		return nil, err
	}
	if cfg.qcode == "" {
		bin := filepath.Join(cfg.dir, "qcode")
		fmt.Fprintln(cfg.stdout, "building qcode …")
		build := exec.Command("go", "build", "-o", bin, "qcode/cmd/qcode")
		if out, err := build.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go build: %v\n%s", err, out)
		}
		cfg.qcode = bin
	}
	var all []step
	for _, words := range cfg.words {
		steps, err := measureSize(cfg, words)
		all = append(all, steps...)
		if err != nil {
			return all, err
		}
	}
	return all, nil
}

// measureSize writes a corpus of words words and measures the commands on
// a new project of it.
func measureSize(cfg config, words int) ([]step, error) {
	base := filepath.Join(cfg.dir, fmt.Sprintf("w%d", words))
	files := filepath.Join(base, "corpus")
	records := filepath.Join(base, "records.ndjson")
	proj := filepath.Join(base, "project")
	if cfg.measures("import") {
		if err := os.RemoveAll(base); err != nil {
			return nil, err
		}
		fmt.Fprintf(cfg.stdout, "writing %d words …\n", words)
		paths, err := corpusgen.Write(files, words, cfg.seed)
		if err != nil {
			return nil, err
		}
		if err := writeRecords(records, paths); err != nil {
			return nil, err
		}
		if _, err := run(cfg.qcode, "", nil, "init", proj); err != nil {
			return nil, err
		}
	} else if _, err := os.Stat(filepath.Join(proj, ".qcode")); err != nil {
		return nil, fmt.Errorf("no project of %d words kept in %s to measure; run once with import first", words, cfg.dir)
	}
	out := filepath.Join(base, "results.xlsx")
	cmds := []struct {
		key   string
		name  string
		stdin string
		args  []string
	}{
		{"import", "import", "", []string{"import", files}},
		{"index", "index --rebuild", "", []string{"index", "--rebuild"}},
		{"code", "code", "", []string{"code"}},
		{"search", "search " + cfg.query, "", []string{"search", cfg.query}},
		{"sources", "sources", "", []string{"sources"}},
		{"report", "report freq", "", []string{"report", "freq"}},
		{"export", "export xlsx", "", []string{"export", "xlsx", out}},
		{"stdin", "code --stdin", records, []string{"code", "--stdin", "--codebook", filepath.Join(proj, "codebook.yaml")}},
	}
	var steps []step
	for _, c := range cmds {
		if !cfg.measures(c.key) {
			continue
		}
		n := 1
		if strings.HasPrefix(c.name, "search") {
			n = cfg.runs
		}
		var got []step
		for range n {
			s, err := run(cfg.qcode, c.stdin, []string{"-C", proj}, c.args...)
			if err != nil {
				return steps, err
			}
			s.words, s.name = words, c.name
			got = append(got, s)
		}
		s := median(got)
		fmt.Fprintf(cfg.stdout, "%d words: %s: %s\n", words, s.name, s.wall.Round(time.Millisecond))
		steps = append(steps, s)
	}
	return steps, nil
}

// median returns the step of the median wall time, with the runs counted
// and the highest peak memory of them all.
func median(got []step) step {
	slices.SortFunc(got, func(a, b step) int { return int(a.wall - b.wall) })
	s := got[len(got)/2]
	s.runs = len(got)
	for _, g := range got {
		s.rss = max(s.rss, g.rss)
	}
	return s
}

// run runs the qcode binary with global flags and args, its standard
// input from the file stdin when not "", and measures it. Its output is
// discarded, but for an error's.
func run(bin, stdin string, global []string, args ...string) (step, error) {
	cmd := exec.Command(bin, append(slices.Clone(global), args...)...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	if stdin != "" {
		f, err := os.Open(stdin)
		if err != nil {
			return step{}, err
		}
		defer f.Close()
		cmd.Stdin = f
	}
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return step{}, fmt.Errorf("qcode %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	s := step{wall: wall}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		s.rss = ru.Maxrss * 1024 // Linux counts KiB
	} else {
		return step{}, errors.New("this system gives no rusage of a child process")
	}
	return s, nil
}

// writeRecords writes the paragraphs of the plain-text files among paths
// as NDJSON records, {"id": N, "text": "…"}, for code --stdin.
func writeRecords(path string, paths []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	n := 0
	for _, p := range paths {
		if filepath.Ext(p) != ".txt" {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Close()
			return err
		}
		for line := range strings.Lines(string(b)) {
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			n++
			if err := enc.Encode(struct {
				ID   int    `json:"id"`
				Text string `json:"text"`
			}{n, line}); err != nil {
				f.Close()
				return err
			}
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// printTable prints the steps, one line each.
func printTable(w io.Writer, steps []step) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "words\tcommand\truns\twall ms\tcpu ms\tpeak MiB\t")
	for _, s := range steps {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%d\t%.1f\t\n", s.words, s.name, s.runs,
			s.wall.Milliseconds(), s.cpu.Milliseconds(), float64(s.rss)/(1<<20))
	}
	tw.Flush()
}
