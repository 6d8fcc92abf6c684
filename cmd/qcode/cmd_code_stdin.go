package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
)

// codeStdinOptions are the flags of `qcode code --stdin`, the streaming mode.
type codeStdinOptions struct {
	stdin     bool
	unit      string // from `qcode code --unit`; "" codes each record whole
	textField string
	keepGoing bool
}

// stdinHelp is the streaming mode's part of `qcode code --help`.
const stdinHelp = `

--stdin reads newline-delimited JSON, one object a line such as
{"id": 7, "text": "…"}, and writes each object back to standard output, in
order, with a "codes" array added (replacing any it had):
  {"code", "path", "start", "end", "matched", "negated"}
one element per match, start and end counting characters (code points) into
the text. No project is needed: say --codebook FILE. Each record is coded
whole unless --unit sentence or paragraph, which code each sentence or
paragraph and give its span. The text is in "text" unless --text-field says
otherwise. Memory use does not grow with the input, and every core is used.
A malformed line stops the run with its line number (exit 2) after the
records before it; --keep-going skips such lines and counts them.`

const stdinExample = `
  cat comments.ndjson | qcode code --stdin --codebook book.yaml > coded.ndjson
  parallel --pipe -N 10000 qcode code --stdin --codebook book.yaml < comments.ndjson`

// addStdinFlags declares --stdin, --text-field and --keep-going on `qcode
// code` and adds the streaming mode to its help. `qcode code` declares
// --unit and --codebook itself; the --unit a user gives is taken for the
// streaming mode too (without it each record is coded whole, where the
// project default is a sentence), and the project-only flags are refused
// with --stdin.
func addStdinFlags(cmd *cobra.Command, o *codeStdinOptions) {
	f := cmd.Flags()
	f.BoolVar(&o.stdin, "stdin", false, "code NDJSON records from standard input and write them with their codes, with no project")
	f.StringVar(&o.textField, "text-field", "text", "with --stdin: the field that holds the text to code")
	f.BoolVar(&o.keepGoing, "keep-going", false, "with --stdin: skip malformed lines, and count them, instead of stopping")

	if i := strings.LastIndex(cmd.Long, exitStatusHelp); i >= 0 {
		cmd.Long = cmd.Long[:i] + stdinHelp + cmd.Long[i:]
	} else {
		cmd.Long += stdinHelp
	}
	cmd.Example += stdinExample

	prev := cmd.PreRunE
	cmd.PreRunE = func(c *cobra.Command, args []string) error {
		if o.stdin {
			if u := c.Flags().Lookup("unit"); u != nil && u.Changed {
				o.unit = u.Value.String()
			}
			for _, name := range []string{"dry-run", "source", "include-interviewer", "json"} {
				if fl := c.Flags().Lookup(name); fl != nil && fl.Changed {
					return &usageError{errors.New("--stdin cannot be used with --" + name + ": it codes the records it reads and stores nothing")}
				}
			}
		} else {
			for _, name := range []string{"text-field", "keep-going"} {
				if c.Flags().Changed(name) {
					return &usageError{errors.New("--" + name + " works only with --stdin")}
				}
			}
		}
		if prev != nil {
			return prev(c, args)
		}
		return nil
	}
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
	if strings.TrimSpace(o.textField) == "" {
		return qcode.Errorf(qcode.EINVALID, "--text-field is empty: say the name of the field that holds the text")
	}
	if e.codebookPath == "" {
		if _, err := e.codebookLocation(); qcode.ErrorCode(err) == qcode.ENOTFOUND {
			return qcode.Errorf(qcode.EINVALID, "--stdin needs a codebook: say --codebook FILE")
		}
	}
	cb, _, err := e.loadCodebook()
	if err != nil {
		return err
	}
	m, err := codebook.NewMatcher(cb)
	if err != nil {
		return err
	}
	if os.Getenv("GOGC") == "" {
		// The stream's live heap is small and bounded (a few batches of
		// records and the tokeniser's caches): letting it grow fourfold
		// between collections costs little memory and saves ~7% of the time.
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	st, err := coding.Stream(ctx, e.stdin, e.stdout, m, coding.StreamOptions{
		Unit:      unit,
		TextField: o.textField,
		KeepGoing: o.keepGoing,
	})
	if err != nil {
		return withStdinHint(err)
	}
	if e.errTTY || st.Skipped > 0 {
		msg := "coded " + plural(st.Records, "record") + ", " + plural(st.Codings, "coding")
		if st.Skipped > 0 {
			msg += "; skipped " + plural(st.Skipped, "malformed line")
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
	if le.Problem == coding.LineNoText {
		msg += " (or say --text-field NAME)"
	}
	msg += "; --keep-going skips bad lines"
	return &qcode.Error{Code: qcode.EINVALID, Message: msg, Err: err}
}
