package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"qcode"
	"qcode/corpus"
	"qcode/project"
)

// ImportOptions say what to import and how to read it.
type ImportOptions struct {
	Files          []string // files, and folders whose readable files are imported
	Format         string   // read every file as this format; "" to tell from each name
	Replace        bool     // replace sources whose name is taken by other content
	Attributes     string   // a CSV or XLSX file of case attributes to set afterwards
	SpeakerPattern string   // a regular expression that starts a turn
	IDColumn       string   // a survey's column naming each respondent
	TextColumns    []string // a survey's columns of open-ended answers
}

// ImportedFile is what one file gave.
type ImportedFile struct {
	File    string                 `json:"file"`
	Sources []project.ImportResult `json:"sources"`
}

// ImportReport is what an import did.
type ImportReport struct {
	Files      []ImportedFile           `json:"files"`
	Attributes *project.AttributeResult `json:"attributes,omitempty"`
}

// Import reads every file and checks it, then stores each file's sources in
// a transaction of its own, brings the search index up to date and sets
// the case attributes. One bad file among many writes nothing: every file,
// name and attribute is checked before the first write.
func (p *Project) Import(ctx context.Context, o ImportOptions, prog Progress) (*ImportReport, error) {
	prog = orNone(prog)
	defer prog.Done()
	in, err := o.input()
	if err != nil {
		return nil, err
	}
	files, err := ExpandFiles(o.Files, o.Format)
	if err != nil {
		return nil, err
	}
	var attrs *corpus.AttributeTable
	if o.Attributes != "" {
		if attrs, err = ReadAttributeFile(o.Attributes); err != nil {
			return nil, err
		}
	}

	// First pass: read every file and check it, so that one bad file among
	// many writes nothing.
	names := map[string]string{} // source name -> file
	var cases []string
	for i, path := range files {
		prog.Step(Step{Stage: StageCheck, N: i + 1, Total: len(files), Item: filepath.Base(path)})
		docs, err := parseFile(path, o.Format, in)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			if other, ok := names[d.Name]; ok {
				return nil, qcode.Errorf(qcode.ECONFLICT, "%s and %s both give a source named %s; rename one of them", other, path, d.Name)
			}
			names[d.Name] = path
			cases = append(cases, caseOf(d))
		}
		if err := p.CheckImport(ctx, docs, o.Replace); err != nil {
			return nil, err
		}
	}
	if attrs != nil {
		if err := p.CheckAttributes(ctx, attrs, cases); err != nil {
			return nil, err
		}
	}

	// Second pass: segment and store each file in its own transaction.
	// Segmenting the next file overlaps with storing this one, so both
	// processors work; at most two files are held in memory.
	rep := &ImportReport{}
	words := 0
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading() // an early return stops the reader goroutine
	for r := range readAhead(readCtx, files, o.Format, in) {
		prog.Step(Step{Stage: StageImport, N: len(rep.Files) + 1, Total: len(files), Item: filepath.Base(r.path), Words: words})
		if r.err != nil {
			return nil, r.err
		}
		results, err := p.Project.Import(ctx, r.docs, o.Replace)
		if err != nil {
			return nil, fmt.Errorf("%w (files before it were imported)", err)
		}
		for _, res := range results {
			words += res.Counts.Words
		}
		rep.Files = append(rep.Files, ImportedFile{File: r.path, Sources: results})
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The search index follows the store in the same run, so a search
	// right after sees what was imported.
	prog.Step(Step{Stage: StageIndex})
	if _, err := p.UpdateIndex(ctx, false); err != nil {
		return nil, &qcode.Error{Code: qcode.ErrorCode(err), Help: qcode.HelpRebuildIndex, Err: err,
			Message: fmt.Sprintf("%s (the sources were imported; the search index was not brought up to date)", firstLine(err.Error()))}
	}
	prog.Done()
	if attrs != nil {
		if rep.Attributes, err = p.SetAttributes(ctx, attrs); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// Check checks the options and that every file is there, without the
// project, so that a front end can refuse them before it opens one.
func (o ImportOptions) Check() error {
	if _, err := o.input(); err != nil {
		return err
	}
	_, err := ExpandFiles(o.Files, o.Format)
	return err
}

// ProjectFile returns the REFI-QDA project file (see IsProjectFile) o
// imports, "" when it imports none. Such a project brings its own
// sources, cases and attributes, so it imports alone and as it is.
func (o ImportOptions) ProjectFile() (string, error) {
	i := slices.IndexFunc(o.Files, IsProjectFile)
	if i < 0 {
		return "", nil
	}
	file := o.Files[i]
	if len(o.Files) > 1 {
		return "", qcode.Errorf(qcode.EINVALID, "%s is a REFI-QDA project, which imports on its own; import the other files in a command of their own", file)
	}
	if o.Format != "" || o.Replace || o.Attributes != "" || o.SpeakerPattern != "" || o.IDColumn != "" || len(o.TextColumns) > 0 {
		return "", qcode.Errorf(qcode.EINVALID, "%s is a REFI-QDA project, which brings its own sources, cases and attributes; import it with no other options", file)
	}
	return file, nil
}

func (o ImportOptions) input() (corpus.Input, error) {
	in := corpus.Input{Options: corpus.Options{IDColumn: o.IDColumn, TextColumns: o.TextColumns}}
	if o.SpeakerPattern != "" {
		pat := o.SpeakerPattern
		if !strings.HasPrefix(pat, "^") {
			pat = "^" + pat
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			return in, qcode.FieldError("speaker_pattern", "", fmt.Sprintf("%v; write a Go regular expression such as '^(?P<speaker>[A-Z][a-z]+):'", err))
		}
		in.SpeakerPattern = re
	}
	if o.Format != "" {
		if _, err := corpus.FormatOf("", o.Format); err != nil {
			return in, qcode.FieldError("format", o.Format, "unknown format", corpus.FormatNames()...)
		}
	}
	return in, nil
}

func caseOf(d *corpus.Source) string {
	if d.Case != "" {
		return d.Case
	}
	return d.Name
}

// ExpandFiles checks that every argument exists and replaces folders by
// the files in them that qcode reads (as format, if given).
func ExpandFiles(args []string, format string) ([]string, error) {
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
			return nil, qcode.Errorf(qcode.EINVALID, "%s: folder holds no file qcode reads (%s); name the files, or say which format to read them as", a, strings.Join(corpus.FormatNames(), ", "))
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

func parseFile(path, format string, in corpus.Input) ([]*corpus.Source, error) {
	in, err := loadInput(path, in)
	if err != nil {
		return nil, err
	}
	return corpus.Parse(in, format)
}

// readResult is one file read and segmented ahead of being stored.
type readResult struct {
	path string
	docs []*corpus.Source
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

func readFile(path, format string, in corpus.Input) ([]*corpus.Source, error) {
	in, err := loadInput(path, in)
	if err != nil {
		return nil, err
	}
	return corpus.Read(in, format)
}

// ReadAttributeFile reads a CSV or XLSX file of case attributes.
func ReadAttributeFile(path string) (*corpus.AttributeTable, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, qcode.Errorf(qcode.ENOTFOUND, "%s: no such file; check the path", path)
		}
		return nil, qcode.Errorf(qcode.EINVALID, "%s: cannot read: %v", path, err)
	}
	return corpus.ReadAttributes(path, data)
}

// SetAttributesFrom reads a file of case attributes and sets them.
func (p *Project) SetAttributesFrom(ctx context.Context, path string) (*project.AttributeResult, error) {
	t, err := ReadAttributeFile(path)
	if err != nil {
		return nil, err
	}
	return p.SetAttributes(ctx, t)
}
