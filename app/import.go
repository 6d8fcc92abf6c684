package app

import (
	"bytes"
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
	"qcode/textfile"
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
	AllOrNothing   bool     // write nothing if any file cannot be imported
	// DropLost lets a correction (a file imported again under its name,
	// with changes) delete all the words of a person's coding: the coding
	// is removed and listed rather than the file refused.
	DropLost bool
	// Coder is who corrects sources, for the audit log; "" for
	// CoderName's default.
	Coder string
	// MaxFileSize is the largest file read, in bytes (0 is
	// DefaultMaxFileSize, and it is at most corpus.MaxFileSize).
	MaxFileSize int64
}

// ImportedFile is what one file gave.
type ImportedFile struct {
	File string `json:"file"`
	// Encoding is the encoding the file was read as when it is not UTF-8
	// ("Windows-1252" is a guess a front end should show), else "".
	Encoding string                 `json:"encoding,omitempty"`
	Sources  []project.ImportResult `json:"sources"`
}

// FailedFile is a file that was not imported, and why.
type FailedFile struct {
	File  string `json:"file"`
	Code  string `json:"code"`  // Err's code, as qcode.ErrorCode gives it
	Error string `json:"error"` // Err's message
	Err   error  `json:"-"`     // for a front end to phrase in its own words
}

// ImportReport is what an import did: the files imported, those that could
// not be (each with its reason) and those in folders whose format qcode
// does not read.
type ImportReport struct {
	Files      []ImportedFile           `json:"files"`
	Failed     []FailedFile             `json:"failed"`
	Skipped    []string                 `json:"skipped"`
	Attributes *project.AttributeResult `json:"attributes,omitempty"`
}

// Import reads every file and checks it, then stores each good file's
// sources in a transaction of its own, brings the search index up to date
// and sets the case attributes. A file that cannot be imported (unreadable,
// of a format qcode does not read, empty, a source name clash) is the
// same failure whether it was named or found in a folder: it is listed in
// the report with its reason, the others are imported, and the error
// returned with the report is that failure, or when several failed says
// how many, with the first one's code. Files in a folder that qcode does
// not read are skipped, listed, and are no failure. With AllOrNothing one
// failure writes nothing and is the error returned. The attributes are
// checked against the files that import before the first write; an
// attribute error writes nothing and comes with the report of the failed
// files, if any.
func (p *Project) Import(ctx context.Context, o ImportOptions, prog Progress) (*ImportReport, error) {
	prog = orNone(prog)
	defer prog.Done()
	in, err := o.input()
	if err != nil {
		return nil, err
	}
	files, skipped, err := expandFiles(o.Files, o.Format)
	if err != nil {
		return nil, err
	}
	var attrs *corpus.AttributeTable
	if o.Attributes != "" {
		if attrs, err = ReadAttributeFile(o.Attributes); err != nil {
			return nil, err
		}
	}
	rep := &ImportReport{Files: []ImportedFile{}, Failed: []FailedFile{}, Skipped: skipped}
	po, err := p.importOptions(o)
	if err != nil {
		return nil, err
	}

	// First pass: read every file and check it, so that a bad file is
	// known before the first write and, with AllOrNothing, writes nothing.
	names := map[string]string{} // source name -> file
	var cases, good []string
	encodings := map[string]string{}
	for i, path := range files {
		prog.Step(Step{Stage: StageCheck, N: i + 1, Total: len(files), Item: filepath.Base(path)})
		docs, enc, err := p.checkFile(ctx, path, o, po, in, names)
		if err != nil {
			// Only the user's to mend is a file's failure; the store
			// failing or the import stopped ends the import.
			if o.AllOrNothing || ctx.Err() != nil || qcode.ErrorCode(err) == qcode.EINTERNAL {
				return nil, err
			}
			rep.Failed = append(rep.Failed, FailedFile{File: path, Code: qcode.ErrorCode(err), Error: err.Error(), Err: err})
			continue
		}
		for _, d := range docs {
			names[d.Name] = path
			cases = append(cases, caseOf(d))
		}
		good = append(good, path)
		encodings[path] = enc
	}
	if attrs != nil {
		if err := p.CheckAttributes(ctx, attrs, cases); err != nil {
			if len(rep.Failed) > 0 {
				// The attributes may name a failed file's case: the
				// failures, though nothing is imported, say why.
				return rep, err
			}
			return nil, err
		}
	}
	if len(good) == 0 {
		return rep, importFailed(rep.Failed, len(files))
	}

	// Second pass: segment and store each file in its own transaction.
	// Segmenting the next file overlaps with storing this one, so both
	// processors work; at most two files are held in memory.
	words := 0
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading() // an early return stops the reader goroutine
	for r := range readAhead(readCtx, good, o.Format, in, o.maxFileSize()) {
		prog.Step(Step{Stage: StageImport, N: len(rep.Files) + 1, Total: len(good), Item: filepath.Base(r.path), Words: words})
		if r.err != nil {
			return nil, r.err
		}
		results, err := p.Project.ImportWith(ctx, r.docs, po)
		if err != nil {
			return nil, fmt.Errorf("%w (files before it were imported)", err)
		}
		for _, res := range results {
			words += res.Counts.Words
		}
		rep.Files = append(rep.Files, ImportedFile{File: r.path, Encoding: encodings[r.path], Sources: results})
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The search index follows the store in the same run, so a search
	// right after sees what was imported.
	prog.Step(Step{Stage: StageIndex})
	if _, err := p.updateIndex(ctx, false, prog); err != nil {
		return nil, &qcode.Error{Code: qcode.ErrorCode(err), Help: qcode.HelpRebuildIndex, Err: err,
			Message: fmt.Sprintf("%s (the sources were imported; the search index was not brought up to date)", firstLine(err.Error()))}
	}
	prog.Done()
	if attrs != nil {
		if rep.Attributes, err = p.SetAttributes(ctx, attrs); err != nil {
			return nil, err
		}
	}
	if len(rep.Failed) > 0 {
		return rep, importFailed(rep.Failed, len(files))
	}
	return rep, nil
}

// checkFile reads one file and checks its sources against the store and
// the names the files before it gave, returning them and the encoding it
// was read as when that is not UTF-8.
func (p *Project) checkFile(ctx context.Context, path string, o ImportOptions, po project.ImportOptions, in corpus.Input, names map[string]string) ([]*corpus.Source, string, error) {
	in, err := loadInput(path, in, o.maxFileSize())
	if err != nil {
		return nil, "", err
	}
	// The encoding is named before parsing, so that nothing holds the
	// file's bytes once the reader has decoded them.
	enc := encodingOf(in.Data)
	docs, err := corpus.Parse(in, o.Format)
	if err != nil {
		return nil, "", err
	}
	mine := map[string]bool{}
	for _, d := range docs {
		if other, ok := names[d.Name]; ok || mine[d.Name] {
			if !ok {
				other = path
			}
			return nil, "", qcode.Errorf(qcode.ECONFLICT, "%s and %s both give a source named %s; rename one of them", other, path, d.Name)
		}
		mine[d.Name] = true
	}
	if err := p.CheckImportWith(ctx, docs, po); err != nil {
		return nil, "", err
	}
	return docs, enc, nil
}

// importOptions are the store's options of an import: a file whose source
// is there with other text it keeps at least MinKept of corrects it (see
// EditSources), by o.Coder.
func (p *Project) importOptions(o ImportOptions) (project.ImportOptions, error) {
	coder, err := CoderName(o.Coder)
	if err != nil && o.Coder != "" {
		return project.ImportOptions{}, err
	}
	return project.ImportOptions{Replace: o.Replace, DropLost: o.DropLost, Coder: coder, Command: p.opts.Command, Rules: p.rulesRerun()}, nil
}

// encodingOf names the encoding a text file was read as, "" for UTF-8 and
// for the zip containers (DOCX, XLSX, ODT) whose XML says its own.
func encodingOf(data []byte) string {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return ""
	}
	if enc := textfile.Encoding(data); enc != "UTF-8" {
		return enc
	}
	return ""
}

// importFailed is the error of an import some of whose files failed: the
// failure itself when there is one, so that it reads as refusing that file
// alone did, else a count with the first failure's code.
func importFailed(failed []FailedFile, total int) error {
	if len(failed) == 1 {
		return failed[0].Err
	}
	var list []string
	for _, f := range failed {
		list = append(list, f.File)
	}
	return &qcode.Error{Code: failed[0].Code, Err: failed[0].Err,
		Message: fmt.Sprintf("%d of %d files not imported (%s); mend them and import them again", len(failed), total, strings.Join(list, ", "))}
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

func (o ImportOptions) maxFileSize() int64 {
	if o.MaxFileSize <= 0 {
		return DefaultMaxFileSize
	}
	return o.MaxFileSize
}

func (o ImportOptions) input() (corpus.Input, error) {
	if o.MaxFileSize > corpus.MaxFileSize {
		return corpus.Input{}, qcode.FieldError("max_size", megabytes(o.MaxFileSize), fmt.Sprintf("more than the %s qcode reads", megabytes(corpus.MaxFileSize)))
	}
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
	files, _, err := expandFiles(args, format)
	return files, err
}

// expandFiles is ExpandFiles that also returns the files in folders that
// qcode does not read, so that an import can say it skipped them.
func expandFiles(args []string, format string) (files, skipped []string, err error) {
	skipped = []string{}
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, nil, qcode.Errorf(qcode.ENOTFOUND, "%s: no such file or folder; check the path", a)
			}
			return nil, nil, qcode.Errorf(qcode.EINVALID, "%s: %v", a, err)
		}
		if err := checkRegular(a, st); err != nil {
			return nil, nil, err
		}
		if !st.IsDir() {
			files = append(files, a)
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, nil, qcode.Errorf(qcode.EINVALID, "%s: %v", a, err)
		}
		var found []string
		for _, ent := range entries {
			if ent.IsDir() || strings.HasPrefix(ent.Name(), ".") || strings.HasPrefix(ent.Name(), "~$") {
				continue
			}
			if _, err := corpus.FormatOf(ent.Name(), format); err == nil {
				found = append(found, filepath.Join(a, ent.Name()))
			} else {
				skipped = append(skipped, filepath.Join(a, ent.Name()))
			}
		}
		if len(found) == 0 {
			return nil, nil, qcode.Errorf(qcode.EINVALID, "%s: folder holds no file qcode reads (%s); name the files, or say which format to read them as", a, strings.Join(corpus.FormatNames(), ", "))
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, skipped, nil
}

func loadInput(path string, in corpus.Input, max int64) (corpus.Input, error) {
	data, err := readInput(path, max, "max_size")
	if err != nil {
		return in, err
	}
	in.Path, in.Data = path, data
	return in, nil
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
func readAhead(ctx context.Context, files []string, format string, in corpus.Input, max int64) <-chan readResult {
	out := make(chan readResult, 1)
	go func() {
		defer close(out)
		for _, path := range files {
			if ctx.Err() != nil {
				return
			}
			docs, err := readFile(path, format, in, max)
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

// eagerSegment is the most source text of a file segmented as it is read
// ahead (so segmenting it overlaps with storing the file before it). The
// rest is segmented by the store as it writes it, a sentence at a time:
// a source's tokens cost several times its text, and a file of tens of
// megabytes segmented whole would take gigabytes, whether it is one
// source or a survey of a hundred thousand short ones.
const eagerSegment = 4 << 20

func readFile(path, format string, in corpus.Input, max int64) ([]*corpus.Source, error) {
	in, err := loadInput(path, in, max)
	if err != nil {
		return nil, err
	}
	docs, err := corpus.Parse(in, format)
	budget := eagerSegment
	for _, d := range docs {
		if len(d.Text) <= budget {
			corpus.Segment(d)
			budget -= len(d.Text)
		}
	}
	return docs, err
}

// ReadAttributeFile reads a CSV or XLSX file of case attributes.
func ReadAttributeFile(path string) (*corpus.AttributeTable, error) {
	data, err := readInput(path, DefaultMaxFileSize, "")
	if err != nil {
		return nil, err
	}
	t, err := corpus.ReadAttributes(path, data)
	if err != nil {
		return nil, err
	}
	t.Encoding = encodingOf(data)
	return t, nil
}

// SetAttributesFrom reads a file of case attributes and sets them.
func (p *Project) SetAttributesFrom(ctx context.Context, path string) (*project.AttributeResult, error) {
	t, err := ReadAttributeFile(path)
	if err != nil {
		return nil, err
	}
	return p.SetAttributes(ctx, t)
}
