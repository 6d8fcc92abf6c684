package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"qcode"
	"qcode/corpus"
	"qcode/project"
	"qcode/search"
)

type importOptions struct {
	files          []string
	format         string
	replace        bool
	attributes     string
	speakerPattern string
	idColumn       string
	textColumns    []string
	json           bool
	// shown, when set, turns a file's path into what reports show (the demo
	// shows the sample's file names, not the temporary folder they sit in).
	shown func(path string) string
}

func newImportCmd(e *env) *cobra.Command {
	var o importOptions
	cmd := &cobra.Command{
		Use:   "import FILE|DIR…",
		Short: "Import transcripts and surveys into the project",
		Long: `Import transcripts (.txt, .md, .docx, .vtt, .srt) and surveys (.csv, .xlsx)
into the project. A folder imports every file in it that qcode reads.

Turns are found from speaker labels at the start of lines ("Name:", "[Name]",
or a short label such as I or R followed by a tab), with timestamps before
or after the label; captions give their cues' voices. A survey gives one
source per respondent, each open-ended answer a turn labelled by its
question, and every other column an attribute of the respondent's case.

Every file is checked before anything is written. Each file is then stored in
one transaction. Importing the same content again changes nothing; a
different file with the name of a source already there is refused unless you
say --replace.` + exitStatusHelp,
		Example: `  qcode import interviews/*.docx focus-group.vtt
  qcode import survey.csv --id-column respondent_id --text-columns q1,q2,q3
  qcode import notes.txt --speaker-pattern '^(?P<speaker>[A-Z]{2,}) -'
  qcode import transcripts/ --attributes cases.csv`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.files = args
			return runImport(cmd.Context(), e, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "", "read every file as this format: "+strings.Join(corpus.FormatNames(), ", "))
	f.BoolVar(&o.replace, "replace", false, "replace sources whose name is taken by different content")
	f.StringVar(&o.attributes, "attributes", "", "after importing, read case attributes from this CSV or XLSX file")
	f.StringVar(&o.speakerPattern, "speaker-pattern", "", "regular expression that starts a turn; group \"speaker\" (or the first group) is the speaker, group \"time\" the timestamp")
	f.StringVar(&o.idColumn, "id-column", "", "survey column that names each respondent (default: the first)")
	f.StringSliceVar(&o.textColumns, "text-columns", nil, "survey columns holding open-ended answers (default: columns of long text)")
	f.BoolVar(&o.json, "json", false, "print what was imported as JSON")
	cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return corpus.FormatNames(), cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// importedFile is what the import command reports for one file.
type importedFile struct {
	File    string                 `json:"file"`
	Sources []project.ImportResult `json:"sources"`
}

func runImport(ctx context.Context, e *env, o importOptions) error {
	in := corpus.Input{Options: corpus.Options{IDColumn: o.idColumn, TextColumns: o.textColumns}}
	if o.speakerPattern != "" {
		pat := o.speakerPattern
		if !strings.HasPrefix(pat, "^") {
			pat = "^" + pat
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			return qcode.Errorf(qcode.EINVALID, "--speaker-pattern: %v; write a Go regular expression such as '^(?P<speaker>[A-Z][a-z]+):'", err)
		}
		in.SpeakerPattern = re
	}
	if o.format != "" {
		if _, err := corpus.FormatOf("", o.format); err != nil {
			return qcode.Errorf(qcode.EINVALID, "--format %s: unknown format; qcode reads %s", o.format, strings.Join(corpus.FormatNames(), ", "))
		}
	}
	files, err := expandFiles(o.files, o.format)
	if err != nil {
		return err
	}
	var attrs *corpus.AttributeTable
	if o.attributes != "" {
		if attrs, err = readAttributeFile(o.attributes); err != nil {
			return err
		}
	}
	p, err := e.open(ctx, project.ReadWrite, "import")
	if err != nil {
		return err
	}
	defer p.Close()

	// First pass: read every file and check it, so that one bad file among
	// many writes nothing.
	prog := &progress{out: e.stderr, on: e.errTTY && len(files) > 1}
	names := map[string]string{} // source name -> file
	var cases []string
	for i, path := range files {
		prog.update("checking %d/%d %s", i+1, len(files), filepath.Base(path))
		docs, err := parseFile(path, o.format, in)
		if err != nil {
			prog.done()
			return err
		}
		for _, d := range docs {
			if other, ok := names[d.Name]; ok {
				prog.done()
				return qcode.Errorf(qcode.ECONFLICT, "%s and %s both give a source named %s; rename one of them", other, path, d.Name)
			}
			names[d.Name] = path
			cases = append(cases, caseOf(d))
		}
		if err := p.CheckImport(ctx, docs, o.replace); err != nil {
			prog.done()
			return err
		}
	}
	if attrs != nil {
		if err := p.CheckAttributes(ctx, attrs, cases); err != nil {
			prog.done()
			return err
		}
	}

	// Second pass: segment and store each file in its own transaction.
	// Segmenting the next file overlaps with storing this one, so both
	// processors work; at most two files are held in memory.
	var report []importedFile
	words := 0
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading() // an early return stops the reader goroutine
	for r := range readAhead(readCtx, files, o.format, in) {
		prog.update("importing %d/%d %s (%s words so far)", len(report)+1, len(files), filepath.Base(r.path), thousands(words))
		if r.err != nil {
			prog.done()
			return r.err
		}
		results, err := p.Import(ctx, r.docs, o.replace)
		if err != nil {
			prog.done()
			return fmt.Errorf("%w (files before it were imported)", err)
		}
		for _, res := range results {
			words += res.Counts.Words
		}
		report = append(report, importedFile{File: r.path, Sources: results})
	}
	if err := ctx.Err(); err != nil {
		prog.done()
		return err
	}
	// The search index follows the store in the same run, so a search
	// right after sees what was imported.
	prog.update("indexing for search")
	if _, err := search.NewEngine(p.IndexPath(), p).Update(ctx, false); err != nil {
		prog.done()
		return fmt.Errorf("%w (the sources were imported; 'qcode index --rebuild' makes the index again)", err)
	}
	prog.done()
	var attrResult *project.AttributeResult
	if attrs != nil {
		if attrResult, err = p.SetAttributes(ctx, attrs); err != nil {
			return err
		}
	}
	if o.json {
		return writeJSON(e.stdout, struct {
			Files      []importedFile           `json:"files"`
			Attributes *project.AttributeResult `json:"attributes,omitempty"`
		}{report, attrResult})
	}
	shown := o.shown
	if shown == nil {
		shown = func(p string) string { return p }
	}
	for _, f := range report {
		f.File = shown(f.File)
		printImported(e, f)
	}
	if attrResult != nil {
		fmt.Fprintf(e.stdout, "%s: set %d attributes (%s) on %d cases\n", shown(o.attributes), len(attrResult.Attributes), strings.Join(attrResult.Attributes, ", "), attrResult.Cases)
	}
	return nil
}

func caseOf(d *corpus.Document) string {
	if d.Case != "" {
		return d.Case
	}
	return d.Name
}

func printImported(e *env, f importedFile) {
	if len(f.Sources) == 1 {
		r := f.Sources[0]
		var spk []string
		for _, s := range r.Speakers {
			spk = append(spk, fmt.Sprintf("%s (%d)", s, r.Turns[s]))
		}
		fmt.Fprintf(e.stdout, "%s: %s %s: %d speakers: %s; %s turns, %s sentences, %s words\n",
			f.File, r.Status, r.Name, len(r.Speakers), strings.Join(spk, ", "),
			thousands(r.Counts.Turns), thousands(r.Counts.Sentences), thousands(r.Counts.Words))
		return
	}
	status := map[string]int{}
	var c corpus.Counts
	for _, r := range f.Sources {
		status[r.Status]++
		c.Turns += r.Counts.Turns
		c.Sentences += r.Counts.Sentences
		c.Words += r.Counts.Words
	}
	var parts []string
	for _, s := range []string{project.Imported, project.Replaced, project.Unchanged} {
		if status[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", status[s], s))
		}
	}
	fmt.Fprintf(e.stdout, "%s: %d sources (%s … %s): %s; %s answers, %s sentences, %s words\n",
		f.File, len(f.Sources), f.Sources[0].Name, f.Sources[len(f.Sources)-1].Name, strings.Join(parts, ", "),
		thousands(c.Turns), thousands(c.Sentences), thousands(c.Words))
}

// expandFiles checks that every argument exists and replaces folders by the
// files in them that qcode reads.
func expandFiles(args []string, format string) ([]string, error) {
	var files []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, qcode.Errorf(qcode.ENOTFOUND, "%s: no such file or folder; check the path", a)
			}
			return nil, qcode.Errorf(qcode.EINVALID, "%s: %v", a, err)
		}
		if !st.IsDir() {
			files = append(files, a)
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, qcode.Errorf(qcode.EINVALID, "%s: %v", a, err)
		}
		var found []string
		for _, ent := range entries {
			if ent.IsDir() || strings.HasPrefix(ent.Name(), ".") || strings.HasPrefix(ent.Name(), "~$") {
				continue
			}
			if _, err := corpus.FormatOf(ent.Name(), format); err == nil {
				found = append(found, filepath.Join(a, ent.Name()))
			}
		}
		if len(found) == 0 {
			return nil, qcode.Errorf(qcode.EINVALID, "%s: folder holds no file qcode reads (%s); name the files or say --format", a, strings.Join(corpus.FormatNames(), ", "))
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, nil
}

func loadInput(path string, in corpus.Input) (corpus.Input, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return in, qcode.Errorf(qcode.EINVALID, "%s: cannot read: %v", path, err)
	}
	in.Path, in.Data = path, data
	return in, nil
}

func parseFile(path, format string, in corpus.Input) ([]*corpus.Document, error) {
	in, err := loadInput(path, in)
	if err != nil {
		return nil, err
	}
	return corpus.Parse(in, format)
}

// readResult is one file read and segmented ahead of being stored.
type readResult struct {
	path string
	docs []*corpus.Document
	err  error
}

// readAhead reads and segments files in order on its own goroutine, one
// file ahead of the consumer. It stops after the first error or when ctx is
// done; the consumer must drain the channel.
func readAhead(ctx context.Context, files []string, format string, in corpus.Input) <-chan readResult {
	out := make(chan readResult, 1)
	go func() {
		defer close(out)
		for _, path := range files {
			if ctx.Err() != nil {
				return
			}
			docs, err := readFile(path, format, in)
			select {
			case out <- readResult{path, docs, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return out
}

func readFile(path, format string, in corpus.Input) ([]*corpus.Document, error) {
	in, err := loadInput(path, in)
	if err != nil {
		return nil, err
	}
	return corpus.Read(in, format)
}

func readAttributeFile(path string) (*corpus.AttributeTable, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, qcode.Errorf(qcode.ENOTFOUND, "%s: no such file; check the path", path)
		}
		return nil, qcode.Errorf(qcode.EINVALID, "%s: cannot read: %v", path, err)
	}
	return corpus.ReadAttributes(path, data)
}
