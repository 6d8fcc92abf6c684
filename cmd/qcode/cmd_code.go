package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
	"qcode/project"
)

type codeOptions struct {
	dryRun      bool
	unit        string
	sources     []string
	interviewer bool
	json        bool
	// stdin codes the records on standard input, with stream's options,
	// instead of the project (cmd_code_stdin.go).
	stdin  bool
	stream codeStdinOptions
	// shown, when set, turns the codebook's path into what reports show
	// (the demo shows codebook.yaml, not the temporary folder it is in).
	shown func(path string) string
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
removed, total, people, codes: [{code, added, removed, total}]}.` + stdinHelp + exitStatusHelp,
		Example: `  qcode code
  qcode code --dry-run
  qcode code --unit turn --source P03 --source P07
  qcode code --codebook draft.yaml --dry-run` + stdinExample,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f := cmd.Flags().Lookup("codebook"); f != nil && f.Changed {
				e.codebookPath = f.Value.String()
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
				return runCodeStdin(cmd.Context(), e, o.stream)
			}
			return runCode(cmd.Context(), e, o)
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&o.dryRun, "dry-run", "n", false, "print what would change and write nothing")
	f.StringVar(&o.unit, "unit", "sentence", "the segment coded: sentence, paragraph, turn or source; with --stdin, record (its default), sentence or paragraph")
	f.StringArrayVarP(&o.sources, "source", "s", nil, "code only this source (repeat for more)")
	f.BoolVar(&o.interviewer, "include-interviewer", false, "code interviewers' turns too")
	f.BoolVar(&o.json, "json", false, "print the report as JSON")
	f.BoolVar(&o.stdin, "stdin", false, "code NDJSON records from standard input and write them with their codes, with no project")
	f.StringVar(&o.stream.textField, "text-field", "text", "with --stdin: the field that holds the text to code")
	f.BoolVar(&o.stream.keepGoing, "keep-going", false, "with --stdin: skip malformed lines, and count them, instead of stopping")
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

// codeReport is what `qcode code` reports.
type codeReport struct {
	Codebook     string             `json:"codebook"`
	CodebookHash string             `json:"codebook_hash"`
	Unit         coding.Unit        `json:"unit"`
	DryRun       bool               `json:"dry_run"`
	Sources      int                `json:"sources"`
	Segments     int                `json:"segments"`
	Skipped      int                `json:"skipped"`
	Added        int                `json:"added"`
	Removed      int                `json:"removed"`
	Total        int                `json:"total"`
	People       int                `json:"people"`
	Codes        []project.CodeDiff `json:"codes"`
}

func runCode(ctx context.Context, e *env, o codeOptions) error {
	unit, err := coding.ParseUnit(o.unit)
	if err != nil {
		return err
	}
	// The codebook first: a codebook that does not compile codes nothing
	// and never opens the project.
	cb, path, hash, err := e.loadCodebookHashed()
	if err != nil {
		return err
	}
	m, err := codebook.NewMatcher(cb)
	if err != nil {
		return qcode.Errorf(qcode.EINVALID, "%s: %v", displayPath(path), err)
	}
	mode := project.ReadWrite
	if o.dryRun {
		mode = project.ReadOnly
	}
	p, err := e.open(ctx, mode, "code")
	if err != nil {
		return err
	}
	defer p.Close()
	shown := displayPath
	if o.shown != nil {
		shown = o.shown
	}
	run := project.RulesRun{Codebook: shown(path), CodebookHash: hash, Unit: unit, Sources: o.sources, Interviewer: o.interviewer, DryRun: o.dryRun}
	res, err := p.CodeRules(ctx, run, coding.NewApplier(m, hash, time.Now().UTC()))
	if err != nil {
		return err
	}
	if err := p.Close(); err != nil {
		return err
	}
	rep := codeReport{Codebook: run.Codebook, CodebookHash: hash, Unit: unit, DryRun: o.dryRun,
		Sources: res.Sources, Segments: res.Segments, Skipped: res.Skipped, Added: res.Added, Removed: res.Removed,
		Total: res.Total, People: res.People, Codes: codebookOrder(cb, res.Codes)}
	if o.json {
		return writeJSON(e.stdout, rep)
	}
	return printCodeReport(e, rep)
}

// codebookOrder returns the diffs in codebook order, with a zero row for
// every code with a rule that coded nothing, and last the codes no longer
// in the codebook.
func codebookOrder(cb *codebook.Codebook, diffs []project.CodeDiff) []project.CodeDiff {
	byCode := map[string]project.CodeDiff{}
	for _, d := range diffs {
		byCode[d.Code] = d
	}
	out := []project.CodeDiff{}
	cb.Walk(func(c *codebook.Code) {
		d, ok := byCode[c.ID]
		if !ok && strings.TrimSpace(c.Rule) == "" {
			return
		}
		d.Code = c.ID
		out = append(out, d)
		delete(byCode, c.ID)
	})
	for _, d := range diffs {
		if _, ok := byCode[d.Code]; ok {
			out = append(out, d)
		}
	}
	return out
}

func printCodeReport(e *env, r codeReport) error {
	t := newTable(e.stdout, e.outTTY, "code", "added", "removed", "total")
	for _, d := range r.Codes {
		t.add(d.Code, fmt.Sprintf("+%d", d.Added), fmt.Sprintf("-%d", d.Removed), thousands(d.Total))
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
	verb, what := "coded", fmt.Sprintf("+%s -%s: %s rules codings in the project", thousands(r.Added), thousands(r.Removed), thousands(r.Total))
	if r.DryRun {
		verb, what = "dry run: would code", fmt.Sprintf("+%s -%s, leaving %s rules codings; nothing written", thousands(r.Added), thousands(r.Removed), thousands(r.Total))
	}
	fmt.Fprintf(out, "%s %s %ss of %s with %s (%s): %s\n", verb, thousands(r.Segments), r.Unit, plural(r.Sources, "source"), r.Codebook, coding.ShortHash(r.CodebookHash), what)
	var notes []string
	if r.Skipped > 0 {
		notes = append(notes, fmt.Sprintf("%s interviewer sentences left alone (--include-interviewer codes them)", thousands(r.Skipped)))
	}
	if r.People > 0 {
		notes = append(notes, plural(r.People, "coding")+" by people kept as they were")
	}
	if len(notes) > 0 {
		fmt.Fprintln(out, strings.Join(notes, "; "))
	}
	return nil
}

// loadCodebookHashed loads the codebook as loadCodebook does, and also
// returns the hash of the very bytes it loaded, which every rules coding
// records.
func (e *env) loadCodebookHashed() (*codebook.Codebook, string, string, error) {
	cb, path, data, err := e.readCodebook()
	return cb, path, coding.CodebookHash(data), err
}
