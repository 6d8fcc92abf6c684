package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"qcode/app"
	"qcode/coding"
	"qcode/coding/report"
)

type codeOptions struct {
	app.CodeOptions
	unit string // as given: a project's segment, or with --stdin a record's
	json bool
	// stdin codes the records on standard input, with stream's options,
	// instead of the project (cmd_code_stdin.go).
	stdin  bool
	stream codeStdinOptions
	// suggest trains the suggestion model instead (cmd_code_suggest.go).
	suggest  bool
	suggests codeSuggestOptions
}

func newCodeCmd(e *env) *cobra.Command {
	var o codeOptions
	cmd := &cobra.Command{
		Use:   "code",
		Short: "Apply the codebook's rules to every segment",
		Long: `Apply every code's rule in the codebook to every segment of the project, or
of the sources named with --source, and store a coding for each segment and
code whose rule matches: one coding per segment and code however many
matches there are, with every match's tokens and whether it was negated.
The coder is "rules", and every coding records the hash of the codebook that
made it (its first 12 characters are shown).

The segment is a sentence by default; --unit paragraph, turn or source codes
bigger units. Turns by interviewers are left alone, since questions use the
very words the rules look for: a speaker is an interviewer when marked so
with 'qcode speakers mark', or, unmarked, when named Interviewer…,
Researcher…, Moderator…, Facilitator…, I or Q. --include-interviewer codes
their turns too.

The codings of the last rules run on those sources are replaced in one
transaction: an interrupted run changes nothing. Codings made by people
(qcode coding add, qcode coding import) are never touched. The report lists
each code with the codings added and removed and the total after the run;
--dry-run prints the same report and writes nothing. --json prints
{codebook, codebook_hash, unit, dry_run, sources, segments, skipped, added,
removed, total, people, rejected, codes: [{code, added, removed, total}]};
rejected counts codings the rules made again that people had rejected
('qcode coding reject'): they are left out.` + stdinHelp + suggestHelp + exitStatusHelp,
		Example: `  qcode code
  qcode code --dry-run
  qcode code --unit turn --source P03 --source P07
  qcode code --codebook draft.yaml --dry-run` + stdinExample + suggestExample,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f := cmd.Flags().Lookup("codebook"); f != nil && f.Changed {
				e.codebookPath = f.Value.String()
			}
			if err := checkSuggestMode(cmd, o.suggest); err != nil {
				return err
			}
			if o.suggest {
				o.suggests.json = o.json
				return e.run(o.suggests, func() error { return runCodeSuggest(cmd.Context(), e, o.suggests) })
			}
			if err := checkCodeMode(cmd, o.stdin); err != nil {
				return err
			}
			if o.stdin {
				// Only a --unit the user gave carries over: a project's
				// segment is a sentence by default, a record's the record.
				if cmd.Flags().Changed("unit") {
					o.stream.unit = o.unit
				}
				return e.run(o.stream, func() error { return runCodeStdin(cmd.Context(), e, o.stream) })
			}
			return e.run(o, func() error { return runCode(cmd.Context(), e, o) })
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&o.DryRun, "dry-run", "n", false, "print what would change and write nothing")
	f.StringVar(&o.unit, "unit", "sentence", "the segment coded: sentence, paragraph, turn or source; with --stdin, record (its default), sentence or paragraph")
	f.StringArrayVarP(&o.Sources, "source", "s", nil, "code only this source (repeat for more)")
	f.BoolVar(&o.Interviewer, "include-interviewer", false, "code interviewers' turns too")
	f.BoolVar(&o.json, "json", false, "print the report as JSON")
	f.BoolVar(&o.stdin, "stdin", false, "code NDJSON records from standard input and write them with their codes, with no project")
	f.StringVar(&o.stream.textField, "text-field", "text", "with --stdin: the field that holds the text to code")
	f.BoolVar(&o.stream.keepGoing, "keep-going", false, "with --stdin: skip malformed lines, and count them, instead of stopping")
	f.IntVar(&o.stream.maxRecord, "max-record", 0, fmt.Sprintf("with --stdin: longest line to read, in MB (default %d)", coding.DefaultMaxLine>>20))
	f.IntVar(&o.stream.memory, "memory", 0, fmt.Sprintf("with --stdin: soft memory limit, in MB (default %d, or GOMEMLIMIT)", defaultStreamMemory))
	f.BoolVar(&o.suggest, "suggest", false, "suggest codes for the sentences no person coded, learnt from people's codings, instead of running the rules")
	f.StringVar(&o.suggests.Coder, "coder", "", "with --suggest: learn from this person's codings only (default: every person's)")
	f.IntVar(&o.suggests.Top, "top", 0, fmt.Sprintf("with --suggest: codes suggested for each sentence (default %d)", app.DefaultSuggestCodes))
	f.IntVar(&o.suggests.MinExamples, "min-examples", 0, fmt.Sprintf("with --suggest: sentences people must have coded with a code before it is suggested (default %d)", coding.DefaultMinExamples))
	if f.Lookup("codebook") == nil {
		f.StringVar(&e.codebookPath, "codebook", "", "codebook file to use instead of the project's codebook.yaml")
	}
	cmd.RegisterFlagCompletionFunc("unit", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"sentence", "paragraph", "turn", "source"}, cobra.ShellCompDirectiveNoFileComp
	})
	cmd.RegisterFlagCompletionFunc("source", func(cmd *cobra.Command, _ []string, s string) ([]string, cobra.ShellCompDirective) {
		return e.completeSources(cmd, nil, s)
	})
	return cmd
}

func runCode(ctx context.Context, e *env, o codeOptions) error {
	o.Unit = o.unit
	if err := o.Check(); err != nil {
		return err
	}
	// A dry run only reads: it may run beside any writer.
	p, err := e.open(ctx, o.DryRun, "code")
	if err != nil {
		return err
	}
	defer p.Close()
	rep, err := p.Code(ctx, o.CodeOptions)
	if err != nil {
		return err
	}
	if err := p.Close(); err != nil {
		return err
	}
	if o.json {
		return writeJSON(e.stdout, rep)
	}
	return printCodeReport(e, rep)
}

func printCodeReport(e *env, r *app.CodeReport) error {
	t := newTable(e.stdout, e.outTTY, "code", "added", "removed", "total")
	for _, d := range r.Codes {
		t.add(d.Code, fmt.Sprintf("+%d", d.Added), fmt.Sprintf("-%d", d.Removed), report.Thousands(d.Total))
	}
	if err := t.print(); err != nil {
		return err
	}
	// The summary is for a person: under the table on a terminal, on
	// stderr when stdout is a pipe, so that the table stays a table.
	out := e.stdout
	if !e.outTTY {
		out = e.stderr
	}
	verb, what := "coded", fmt.Sprintf("+%s -%s: %s rules codings in the project", report.Thousands(r.Added), report.Thousands(r.Removed), report.Thousands(r.Total))
	if r.DryRun {
		verb, what = "dry run: would code", fmt.Sprintf("+%s -%s, leaving %s rules codings; nothing written", report.Thousands(r.Added), report.Thousands(r.Removed), report.Thousands(r.Total))
	}
	fmt.Fprintf(out, "%s %s %ss of %s with %s (%s): %s\n", verb, report.Thousands(r.Segments), r.Unit, plural(r.Sources, "source"), r.Codebook, coding.ShortHash(r.CodebookHash), what)
	var notes []string
	if r.Skipped > 0 {
		notes = append(notes, fmt.Sprintf("%s interviewer sentences left alone (--include-interviewer codes them)", report.Thousands(r.Skipped)))
	}
	if r.People > 0 {
		notes = append(notes, plural(r.People, "coding")+" by people kept as they were")
	}
	if r.Rejected > 0 {
		notes = append(notes, plural(r.Rejected, "coding")+" rejected by people left out")
	}
	if len(notes) > 0 {
		fmt.Fprintln(out, strings.Join(notes, "; "))
	}
	if n := len(r.ByPeople); n > 0 {
		are := "are"
		if n == 1 {
			are = "is"
		}
		fmt.Fprintf(out, "%s %s coded by people, not by the rules: %s\n", plural(n, "code"), are, strings.Join(r.ByPeople, ", "))
	}
	return nil
}
