package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"

	"qcode"
	"qcode/app"
	"qcode/coding"
)

// codeStdinOptions are the options of `qcode code --stdin`, the streaming
// mode, which `qcode code` fills from its flags.
type codeStdinOptions struct {
	unit      string // --unit if given; "" codes each record whole
	textField string
	keepGoing bool
	maxRecord int // --max-record, in MB; 0 for coding.DefaultMaxLine
	memory    int // --memory, in MB; 0 for defaultStreamMemory (or GOMEMLIMIT)
}

// defaultStreamMemory is the stream's soft memory limit in MB unless
// --memory or GOMEMLIMIT says otherwise. The stream's live heap is a few
// batches of records and the tokenizer's caches, some 20 MB; under the
// limit the collector runs no more often than the default GOGC makes it,
// and near it, more often, so that memory stays flat whatever the input.
const defaultStreamMemory = 64

// stdinHelp is the streaming mode's part of `qcode code --help`.
const stdinHelp = `

--stdin reads newline-delimited JSON, one object a line such as
{"id": 7, "text": "…"}, and writes each object back to standard output, in
order, with a "codes" array added (replacing any it had): one element per
segment and code that matched, however many matches, as a rules coding is
stored:
  {"code", "path", "start", "end",
   "matches": [{"tokens": [{"start", "end", "text"}], "negated"}], "negated"}
Every start and end counts characters (code points) into the text; a code is
"negated" only when every one of its matches is. No project is needed: say
--codebook FILE. Each record is coded whole, as one segment spanning its
text, unless --unit sentence or paragraph, which code each sentence or
paragraph and give its span. The text is in "text" unless --text-field says
otherwise. Memory use does not grow with the input, and every core is used.
A malformed line stops the run with its line number (exit 2) after the
records before it; --keep-going skips such lines and counts them. A line
longer than --max-record megabytes (8 unless you say more) is malformed:
coding a record takes some 80 times its size in memory. --memory sets a soft
limit on the memory used, in megabytes (64 unless you say otherwise, or
GOMEMLIMIT does): near it the run collects garbage more often, and a record
that needs more still gets it.`

const stdinExample = `
  cat comments.ndjson | qcode code --stdin --codebook codebook.yaml > coded.ndjson
  parallel --pipe -N 10000 --keep-order qcode code --stdin --codebook codebook.yaml < comments.ndjson`

// Flags of `qcode code` that only one of its two modes takes.
var (
	projectOnlyFlags = []string{"dry-run", "source", "include-interviewer", "json"}
	stdinOnlyFlags   = []string{"text-field", "keep-going", "max-record", "memory"}
)

// checkCodeMode refuses, as a usage error, a flag given to `qcode code`
// that its mode (--stdin or the project) does not take.
func checkCodeMode(cmd *cobra.Command, stdin bool) error {
	if stdin {
		for _, name := range projectOnlyFlags {
			if cmd.Flags().Changed(name) {
				return &usageError{errors.New("--stdin cannot be used with --" + name + ": it codes the records it reads and stores nothing")}
			}
		}
		return nil
	}
	for _, name := range stdinOnlyFlags {
		if cmd.Flags().Changed(name) {
			return &usageError{errors.New("--" + name + " works only with --stdin")}
		}
	}
	return nil
}

// streamUnit maps `qcode code --unit` to what a streamed record is coded
// by: a record is a source of one turn, so both mean the whole record.
func streamUnit(unit string) (string, error) {
	switch unit {
	case "", "record", "source", "turn":
		return "record", nil
	case "sentence", "paragraph":
		return unit, nil
	}
	return "", qcode.Errorf(qcode.EINVALID, "--unit %s: with --stdin say sentence, paragraph or record (the default)", unit)
}

// runCodeStdin codes NDJSON records from e.stdin to e.stdout with the
// codebook from --codebook, else the project's, and reports the counts on
// stderr when it is a terminal or when lines were skipped.
func runCodeStdin(ctx context.Context, e *env, o codeStdinOptions) error {
	unit, err := streamUnit(o.unit)
	if err != nil {
		return err
	}
	if o.maxRecord < 0 || o.maxRecord > 1<<10 {
		return qcode.Errorf(qcode.EINVALID, "--max-record %d: say a number of megabytes from 1 to 1024", o.maxRecord)
	}
	if o.memory < 0 || o.memory > 1<<20 {
		return qcode.Errorf(qcode.EINVALID, "--memory %d: say a number of megabytes from 1 to 1048576", o.memory)
	}
	if mb := o.memory; mb > 0 || os.Getenv("GOMEMLIMIT") == "" {
		if mb == 0 {
			mb = defaultStreamMemory
		}
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(mb) << 20))
	}
	st, err := app.CodeStream(ctx, e.appOptions(readOnly, "code --stdin"), e.stdin, e.stdout, coding.StreamOptions{
		Unit:      unit,
		TextField: o.textField,
		KeepGoing: o.keepGoing,
		MaxLine:   o.maxRecord << 20,
	})
	if err != nil {
		return withStdinHint(err)
	}
	if e.errTTY || st.Skipped > 0 || st.NotUTF8 > 0 {
		msg := "coded " + plural(st.Records, "record") + ", " + plural(st.Codings, "coding")
		if st.Skipped > 0 {
			msg += "; skipped " + plural(st.Skipped, "malformed line")
		}
		if st.NotUTF8 > 0 {
			msg += "; " + plural(st.NotUTF8, "record") + " held bytes that are not UTF-8, coded as U+FFFD: convert the input to UTF-8 (iconv -f WINDOWS-1252 -t UTF-8)"
		}
		fmt.Fprintln(e.stderr, msg)
	}
	return nil
}

// withStdinHint adds to a malformed-line error the flags that mend it.
func withStdinHint(err error) error {
	var le *coding.LineError
	if !errors.As(err, &le) {
		return err
	}
	msg := le.Error()
	switch le.Problem {
	case coding.LineNoText:
		msg += " (or say --text-field NAME)"
	case coding.LineTooLong:
		msg += ", or raise the limit with --max-record MB"
	}
	msg += "; --keep-going skips bad lines"
	return &qcode.Error{Code: qcode.EINVALID, Message: msg, Err: err}
}
