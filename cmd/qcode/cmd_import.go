package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"qcode/app"
	"qcode/coding/report"
	"qcode/corpus"
)

type importOptions struct {
	app.ImportOptions
	json    bool
	maxSize int64 // --max-size, in MB
}

func newImportCmd(e *env) *cobra.Command {
	var o importOptions
	cmd := &cobra.Command{
		Use:   "import FILE|DIR…|PROJECT.qdpx",
		Short: "Import transcripts and surveys into the project",
		Long: `Import transcripts (.txt, .md, .docx, .odt, .rtf, .pdf, .vtt, .srt) and
surveys (.csv, .xlsx) into the project. A folder imports every file in it
that qcode reads. A PDF must have text (a scan needs OCR first).

Turns are found from speaker labels at the start of lines ("Name:", "[Name]",
or a short label such as I or R followed by a tab), with timestamps before
or after the label; captions give their cues' voices. A survey gives one
source per respondent, each open-ended answer a turn labelled by its
question, and every other column an attribute of the respondent's case.

Every file is checked before anything is written, then each good file is
stored in one transaction. A file that cannot be imported (of a format qcode
does not read, no speaker labels, a name clash), whether named or found in a
folder, gets one line saying why, and the exit status is that of its error
once the others are imported; files in a folder of formats qcode does not
read (.doc, pictures) are listed as skipped. --all-or-nothing imports nothing if
any file fails. A text file that is not UTF-8 is read as UTF-16 (when it
starts with a byte order mark) or Windows-1252, and the import says which.
Importing the same content again changes nothing. A file with the name of a
source already there and text that keeps at least half of the source's
characters corrects it: the text is aligned with the old (a diff at
character level), and every coding, memo on a coding and rejected rules
coding moves with its words; codings whose words changed are kept, adjusted
and listed for review ("corrected P03: 12 codings moved, 2 changed (review:
P03:s41 humility by amina, …)"). A correction that changes who speaks a
turn, or loses or gains a speaker, is refused unless you say --replace (the
codings are carried across either way); one that deletes every word of a
person's coding is refused, naming it, unless you say --drop-lost, which
removes and lists it. The rules' codings of a corrected source are made
again when codebook.yaml is the file that made them, else dropped until you
run 'qcode code' again. A file with a taken name and a text that keeps less
than half of the source's is refused unless you say --replace, which
replaces a source no person has coded.

A REFI-QDA project exported by NVivo, ATLAS.ti, MAXQDA or qcode (.qdpx, or
.qde with its sources folder beside it) imports on its own, as 'qcode merge'
brings it in: its sources (speakers found as in a text file), codes (added
to codebook.yaml), codings with their users as coders, notes as memos, and
cases' variables as attributes; --json then prints what 'qcode merge --json'
does.

--json prints {files: [{file, encoding, sources: [{name, status, counts:
{turns, paragraphs, sentences, tokens, words}, speakers, speaker_turns}]}],
failed: [{file, code, error}], skipped: [file], attributes: {attributes,
cases}}: files are those imported, encoding is there when a file is not
UTF-8, status is imported, unchanged, replaced or corrected, speaker_turns
gives each speaker's turns, and attributes is there with --attributes. A
corrected source has correction: {source, moved, changed: [{ref, code,
coder, origin, start, end, text, old_ref, old_start, old_end, old_text}],
removed: [same], memos_moved, memos_on_source, rejections_moved,
rejections_dropped, rules_codings, rules_remade, rules_after, kept, hash}.` + exitStatusHelp,
		Example: `  qcode import interviews/*.docx interviews/P07.vtt
  qcode import survey.csv --id-column respondent_id --text-columns q1_what_learned,q2_barriers,q3_what_would_you_change
  qcode import focus-group.txt --speaker-pattern '^(?P<speaker>[A-Z]{2,}) -'
  qcode import interviews/ --attributes cases.csv
  qcode import team.qdpx
  qcode import --coder amina interviews/P03.txt
  qcode import --max-size 100 survey.csv`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Files = args
			o.MaxFileSize = o.maxSize << 20
			return e.run(o, func() error { return runImport(cmd.Context(), e, o, cmd) })
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Format, "format", "", "read every file as this format: "+strings.Join(corpus.FormatNames(), ", "))
	f.BoolVar(&o.Replace, "replace", false, "replace sources whose name is taken by different content")
	f.StringVar(&o.Attributes, "attributes", "", "after importing, read case attributes from this CSV or XLSX file")
	f.StringVar(&o.SpeakerPattern, "speaker-pattern", "", "regular expression that starts a turn; group \"speaker\" (or the first group) is the speaker, group \"time\" the timestamp")
	f.StringVar(&o.IDColumn, "id-column", "", "survey column that names each respondent (default: the first)")
	f.StringSliceVar(&o.TextColumns, "text-columns", nil, "survey columns holding open-ended answers (default: columns of long text)")
	f.BoolVar(&o.json, "json", false, "print what was imported as JSON")
	f.BoolVar(&o.AllOrNothing, "all-or-nothing", false, "import nothing if any file cannot be imported")
	f.BoolVar(&o.DropLost, "drop-lost", false, "let a correction remove codings whose words it deletes entirely (they are listed)")
	f.StringVar(&o.Coder, "coder", "", "who corrects sources, for the audit log (default $QCODE_CODER, else your user name)")
	f.Int64Var(&o.maxSize, "max-size", 0, fmt.Sprintf("largest file to read, in MB (default %d, at most %d)", app.DefaultMaxFileSize>>20, corpus.MaxFileSize>>20))
	cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return corpus.FormatNames(), cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func runImport(ctx context.Context, e *env, o importOptions, cmd *cobra.Command) error {
	file, err := o.ProjectFile()
	if err != nil {
		return err
	}
	if file != "" {
		// A REFI-QDA project imports by merging it.
		return runMergeFrom(ctx, e, "import", file, app.MergeOptions{}, o.json)
	}
	if err := o.Check(); err != nil {
		return err
	}
	p, err := e.open(ctx, readWrite, "import")
	if err != nil {
		return err
	}
	defer p.Close()
	p.SetIndexMemory(indexMemoryLimit(importIndexMemory))
	prog := &progress{out: e.stderr, on: e.errTTY && (len(o.Files) > 1 || isDir(o.Files[0]))}
	// With some files failed, the report of the others comes with the
	// error, which sets the exit status after it is printed.
	rep, err := p.Import(ctx, o.ImportOptions, prog)
	if rep == nil {
		return err
	}
	if o.json {
		if werr := writeJSON(e.stdout, rep); werr != nil {
			return werr
		}
		return err
	}
	printImport(e, rep, o.Attributes)
	// One failure is the error itself; several, or one beside an
	// attribute error, get a line each before the error.
	if len(rep.Failed) > 1 || len(rep.Failed) == 1 && err != rep.Failed[0].Err {
		for _, f := range rep.Failed {
			fmt.Fprintln(e.stderr, "qcode: "+phrase(f.Err, cmd))
		}
	}
	return err
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// printImport prints what each file gave, the files skipped, then the
// attributes set.
func printImport(e *env, rep *app.ImportReport, attributes string) {
	e = e.withSafeOut()
	for _, f := range rep.Files {
		if f.Encoding != "" {
			fmt.Fprintf(e.stdout, "%s: not UTF-8; read as %s\n", f.File, f.Encoding)
		}
		printImported(e, f)
	}
	if n := len(rep.Skipped); n > 0 {
		fmt.Fprintf(e.stdout, "skipped %s qcode does not read: %s\n", plural(n, "file"), strings.Join(rep.Skipped, ", "))
	}
	if a := rep.Attributes; a != nil {
		fmt.Fprintf(e.stdout, "%s: set %d attributes (%s) on %d cases\n", attributes, len(a.Attributes), strings.Join(a.Attributes, ", "), a.Cases)
	}
}

func printImported(e *env, f app.ImportedFile) {
	defer func() {
		for _, r := range f.Sources {
			if r.Correction != nil {
				fmt.Fprintln(e.stdout, app.DescribeCorrection(r.Correction))
			}
		}
	}()
	if len(f.Sources) == 1 {
		r := f.Sources[0]
		if r.Document {
			fmt.Fprintf(e.stdout, "%s: %s %s: a document (no speaker labels): %s, %s, %s\n",
				f.File, r.Status, r.Name, plural(r.Counts.Turns, "paragraph"), plural(r.Counts.Sentences, "sentence"), plural(r.Counts.Words, "word"))
			return
		}
		var spk []string
		for _, s := range r.Speakers {
			spk = append(spk, fmt.Sprintf("%s (%d)", corpus.SpeakerLabel(s), r.Turns[s]))
		}
		fmt.Fprintf(e.stdout, "%s: %s %s: %d speakers: %s; %s turns, %s sentences, %s words\n",
			f.File, r.Status, r.Name, len(r.Speakers), strings.Join(spk, ", "),
			report.Thousands(r.Counts.Turns), report.Thousands(r.Counts.Sentences), report.Thousands(r.Counts.Words))
		return
	}
	sum := f.Summary()
	var parts []string
	for _, st := range sum.Statuses {
		parts = append(parts, fmt.Sprintf("%d %s", st.N, st.Status))
	}
	fmt.Fprintf(e.stdout, "%s: %d sources (%s … %s): %s; %s answers, %s sentences, %s words\n",
		f.File, len(f.Sources), sum.First, sum.Last, strings.Join(parts, ", "),
		report.Thousands(sum.Counts.Turns), report.Thousands(sum.Counts.Sentences), report.Thousands(sum.Counts.Words))
}
