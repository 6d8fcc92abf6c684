// Command beam codes NDJSON records with a qcode codebook inside an Apache
// Beam pipeline: the same coding as `qcode code --stdin`, spread over as
// many workers as the runner gives it.
//
// It reads newline-delimited JSON records from --input (a file or a glob,
// on any file system Beam knows: local, gs://), codes each record's text
// with the codebook's rules through coding.RecordCoder (what the CLI's
// stream runs on each of its workers), writes the coded records to
// --output, and writes how many codings each code made (a CombinePerKey)
// to --counts, one {"code": …, "codings": n} a line.
//
//	go run . --input comments.ndjson --output coded.ndjson
//	go run . --runner prism --input 'in/*.ndjson' --output out/coded --shards 4
//
// The codebook file is read once, where the pipeline is built, and its
// bytes travel inside the pipeline (they are a field of the coding step),
// so workers on other machines need neither the file nor qcode: only this
// binary. See README.md for running it on Flink, Spark or Dataflow.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx" // every runner and file system

	"qcode"
	"qcode/codebook"
	"qcode/coding"
)

// config is what a run is told by its flags.
type config struct {
	Input     string // a file or glob of NDJSON records
	Output    string // where the coded records go (a prefix when Shards > 1)
	Counts    string // where the codings per code go
	Codebook  string // a codebook file; "" for qcode's default codebook
	Unit      string // record, sentence or paragraph
	TextField string // the field that holds the text
	KeepGoing bool   // skip malformed records instead of failing
	Shards    int    // how many files the coded records are written to
	Runner    string // the Beam runner
}

func main() {
	var cfg config
	flag.StringVar(&cfg.Input, "input", "", "NDJSON `file` or glob to code (local, or any file system Beam knows, such as gs://)")
	flag.StringVar(&cfg.Output, "output", "", "`file` for the coded records; with --shards N > 1, the prefix of PREFIX-00000-of-0000N …")
	flag.StringVar(&cfg.Counts, "counts", "", "`file` for the codings per code (default: --output with .counts.ndjson)")
	flag.StringVar(&cfg.Codebook, "codebook", "", "codebook `file` (YAML, .qdc, .dic, CSV; default: qcode's default codebook)")
	flag.StringVar(&cfg.Unit, "unit", "record", "what a code is matched over: record, sentence or paragraph")
	flag.StringVar(&cfg.TextField, "text-field", "text", "the `field` that holds the text to code")
	flag.BoolVar(&cfg.KeepGoing, "keep-going", false, "skip malformed records, and count them, instead of failing")
	flag.IntVar(&cfg.Shards, "shards", 1, "how many files the coded records are written to")
	flag.Parse()
	beam.Init() // a worker started by a runner becomes one here and never returns

	cfg.Runner = *runners.Runner
	st, err := run(context.Background(), cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "beam:", err)
		os.Exit(exitCode(err))
	}
	fmt.Fprintln(os.Stderr, st)
}

// exitCode is qcode's exit code for err: 2 for a mistake in the flags or
// the codebook, 3 for a file that is not there, 1 for the rest (a record
// that fails on a worker comes back from the runner as text).
func exitCode(err error) int {
	switch qcode.ErrorCode(err) {
	case qcode.EINVALID:
		return 2
	case qcode.ENOTFOUND:
		return 3
	}
	return 1
}

// summary is what a run counted, from the pipeline's metrics.
type summary struct {
	Records, Codings, Skipped int64
	metrics                   bool // the runner reported metrics
}

func (s summary) String() string {
	if !s.metrics {
		return "done (the runner reported no counts)"
	}
	msg := "coded " + plural(s.Records, "record") + ", " + plural(s.Codings, "coding")
	if s.Skipped > 0 {
		msg += "; skipped " + plural(s.Skipped, "malformed record")
	}
	return msg
}

func plural(n int64, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// run checks cfg, builds the pipeline and runs it to the end.
func run(ctx context.Context, cfg config) (summary, error) {
	p, err := build(cfg)
	if err != nil {
		return summary{}, err
	}
	runner := cfg.Runner
	if runner == "" {
		runner = "direct"
	}
	res, err := beam.Run(ctx, runner, p)
	if err != nil {
		return summary{}, err
	}
	return summarize(res), nil
}

// build checks cfg, reads and compiles the codebook (so that its mistakes
// are reported here, with their lines, not by a worker), and returns the
// pipeline.
func build(cfg config) (*beam.Pipeline, error) {
	if cfg.Input == "" || cfg.Output == "" {
		return nil, qcode.Errorf(qcode.EINVALID, "say --input FILE (or a glob) and --output FILE")
	}
	if cfg.Shards < 1 {
		return nil, qcode.Errorf(qcode.EINVALID, "--shards %d: say 1 or more", cfg.Shards)
	}
	if cfg.Counts == "" {
		cfg.Counts = strings.TrimSuffix(cfg.Output, ".ndjson") + ".counts.ndjson"
	}
	fn := &codeFn{
		Codebook:     codebook.DefaultYAML(),
		CodebookName: "default.yaml",
		Unit:         cfg.Unit,
		TextField:    cfg.TextField,
		Input:        cfg.Input,
		KeepGoing:    cfg.KeepGoing,
	}
	if cfg.Codebook != "" {
		data, err := os.ReadFile(cfg.Codebook)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, qcode.Errorf(qcode.ENOTFOUND, "--codebook %s: no such file", cfg.Codebook)
			}
			return nil, qcode.Errorf(qcode.EINVALID, "--codebook %s: %v", cfg.Codebook, err)
		}
		fn.Codebook, fn.CodebookName = data, cfg.Codebook
	}
	if err := fn.Setup(); err != nil {
		return nil, err
	}
	fn.coder = nil // workers make their own

	p, s := beam.NewPipelineWithRoot()
	lines := textio.Read(s, cfg.Input)
	coded, codes := beam.ParDo2(s.Scope("code"), fn, lines)
	writeRecords(s.Scope("write records"), cfg.Output, cfg.Shards, coded)
	counts := beam.CombinePerKey(s.Scope("count"), sum, codes)
	textio.Write(s.Scope("write counts"), cfg.Counts, beam.ParDo(s, countJSON, counts))
	return p, nil
}

// codeFn codes records. Its exported fields are what travels to the
// workers with the pipeline: the codebook goes as the file's bytes.
type codeFn struct {
	Codebook     []byte `json:"codebook"`
	CodebookName string `json:"codebook_name"` // says its format, and names it in errors
	Unit         string `json:"unit"`
	TextField    string `json:"text_field"`
	Input        string `json:"input"` // what errors call the input
	KeepGoing    bool   `json:"keep_going"`

	coder   *coding.RecordCoder
	buf     []byte
	records beam.Counter
	codings beam.Counter
	skipped beam.Counter
}

// Setup compiles the codebook once per instance of the step.
func (f *codeFn) Setup() error {
	cb, err := codebook.LoadAny(filepath.Base(f.CodebookName), f.Codebook)
	if err != nil {
		return err
	}
	m, err := codebook.NewMatcher(cb)
	if err != nil {
		return err
	}
	f.coder, err = coding.NewRecordCoder(m, coding.StreamOptions{Unit: f.Unit, TextField: f.TextField, Name: f.Input})
	if err != nil {
		return err
	}
	f.records = beam.NewCounter("qcode", "records")
	f.codings = beam.NewCounter("qcode", "codings")
	f.skipped = beam.NewCounter("qcode", "skipped")
	return nil
}

// ProcessElement codes one line: the coded record goes to the first
// output, and each code it was coded with (once per coding) to the second.
func (f *codeFn) ProcessElement(ctx context.Context, line string, emit func(string), emitCode func(string, int)) error {
	var st coding.StreamStats
	out, err := f.coder.AppendRecord(f.buf[:0], []byte(line), &st)
	f.buf = out
	if err != nil {
		if f.KeepGoing {
			f.skipped.Inc(ctx, 1)
			return nil
		}
		return fmt.Errorf("%w (the record begins %s)", err, begin(line))
	}
	if len(out) == 0 { // a blank line
		return nil
	}
	f.records.Inc(ctx, 1)
	f.codings.Inc(ctx, int64(st.Codings))
	if st.Codings > 0 {
		ids, err := codeIDs(out)
		if err != nil {
			return err
		}
		for _, id := range ids {
			emitCode(id, 1)
		}
	}
	emit(string(out[:len(out)-1])) // textio adds the line break
	return nil
}

// begin returns the start of a line, quoted, to show where a bad record is.
func begin(line string) string {
	const n = 60
	if len(line) <= n {
		return fmt.Sprintf("%q", line)
	}
	r := []rune(line)
	if len(r) > n {
		r = r[:n]
	}
	return fmt.Sprintf("%q…", string(r))
}

func sum(a, b int) int { return a + b }

// countJSON writes one code's count as a line of NDJSON.
func countJSON(code string, n int) string {
	return fmt.Sprintf(`{"code":%q,"codings":%d}`, code, n)
}

// writeRecords writes lines to one file, or, when shards > 1, spreads them
// over that many files written in parallel: textio.Write sends every line
// through one worker.
func writeRecords(s beam.Scope, output string, shards int, lines beam.PCollection) {
	if shards == 1 {
		textio.Write(s, output, lines)
		return
	}
	filesystem.ValidateScheme(output)
	keyed := beam.ParDo(s, &shardFn{Shards: shards}, lines)
	beam.ParDo0(s, &writeShardFn{Prefix: output, Shards: shards}, beam.GroupByKey(s, keyed))
}

// shardFn gives each line a shard by its hash, so a rerun writes each
// record to the same file.
type shardFn struct {
	Shards int `json:"shards"`
}

func (f *shardFn) ProcessElement(line string) (int, string) {
	h := fnv.New32a()
	io.WriteString(h, line)
	return int(h.Sum32() % uint32(f.Shards)), line
}

// writeShardFn writes one shard's lines to PREFIX-00003-of-00008.
type writeShardFn struct {
	Prefix string `json:"prefix"`
	Shards int    `json:"shards"`
}

func (f *writeShardFn) ProcessElement(ctx context.Context, shard int, lines func(*string) bool) error {
	name := fmt.Sprintf("%s-%05d-of-%05d", f.Prefix, shard, f.Shards)
	fs, err := filesystem.New(ctx, name)
	if err != nil {
		return err
	}
	defer fs.Close()
	w, err := fs.OpenWrite(ctx, name)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	var line string
	for lines(&line) {
		bw.WriteString(line)
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// summarize reads the run's counters.
func summarize(res beam.PipelineResult) summary {
	var s summary
	if res == nil {
		return s
	}
	for _, c := range res.Metrics().AllMetrics().Counters() {
		if c.Key.Namespace != "qcode" {
			continue
		}
		s.metrics = true
		switch c.Key.Name {
		case "records":
			s.Records += c.Result()
		case "codings":
			s.Codings += c.Result()
		case "skipped":
			s.Skipped += c.Result()
		}
	}
	return s
}

// codeIDs returns the code of each element of a coded record's codes.
func codeIDs(record []byte) ([]string, error) {
	var r struct {
		Codes []struct {
			Code string `json:"code"`
		} `json:"codes"`
	}
	if err := json.Unmarshal(record, &r); err != nil {
		return nil, fmt.Errorf("reading back a coded record: %w", err)
	}
	ids := make([]string, len(r.Codes))
	for i, c := range r.Codes {
		ids[i] = c.Code
	}
	return ids, nil
}

func init() {
	register.DoFn4x1[context.Context, string, func(string), func(string, int), error](&codeFn{})
	register.Emitter1[string]()
	register.Emitter2[string, int]()
	register.DoFn1x2[string, int, string](&shardFn{})
	register.DoFn3x1[context.Context, int, func(*string) bool, error](&writeShardFn{})
	register.Iter1[string]()
	register.Function2x1(sum)
	register.Function2x1(countJSON)
}
