package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"qcode"
	"qcode/codebook"
	"qcode/export"
)

// exportFormats are the formats codebook export writes.
var exportFormats = []string{"qdc", "csv", "xlsx", "yaml"}

type codebookExportOptions struct {
	format string
	out    string // "" for standard output
}

func newCodebookExportCmd(e *env) *cobra.Command {
	var o codebookExportOptions
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the codebook as REFI-QDA (.qdc), CSV, XLSX or YAML",
		Long: `Write the codebook for other tools, to standard output or to --out FILE:

  qdc   a REFI-QDA codebook, which NVivo, ATLAS.ti, MAXQDA and QualCoder
        import: the code tree with names, descriptions and colours. What
        REFI-QDA has no place for (id, rule, negation, include, exclude,
        examples, counterexamples) is kept at the end of each code's
        description in a "--- qcode ---" block, so 'qcode codebook import'
        gets the whole codebook back.
  csv   one row per code: path (names joined with " > "), id, name,
        description, include, exclude, rule, negation, color, examples and
        counterexamples (passages joined with " | ").
  xlsx  the same table as an Excel workbook.
  yaml  the codebook as codebook.yaml, in the layout qcode writes.

--format defaults to the extension of --out, else yaml. --codebook FILE
exports another codebook, in any format 'qcode codebook import' reads: this
converts between formats.` + exitStatusHelp,
		Example: `  qcode codebook export --format qdc > codebook.qdc
  qcode codebook export --out codebook.xlsx
  qcode codebook export --codebook liwc.dic --format yaml > liwc.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCodebookExport(e, o)
		},
	}
	cmd.Flags().StringVarP(&o.format, "format", "f", "", "qdc, csv, xlsx or yaml (default: from --out's extension, else yaml)")
	cmd.Flags().StringVarP(&o.out, "out", "o", "", "write to FILE instead of standard output")
	return cmd
}

func runCodebookExport(e *env, o codebookExportOptions) error {
	format := strings.ToLower(strings.TrimPrefix(o.format, "."))
	if format == "" {
		format = strings.ToLower(strings.TrimPrefix(filepath.Ext(o.out), "."))
		if format == "yml" {
			format = "yaml"
		}
		if format == "" {
			format = "yaml"
		}
	}
	if !contains(exportFormats, format) {
		if o.format == "" {
			return &usageError{fmt.Errorf("cannot tell the format from --out %s; say --format %s", o.out, strings.Join(exportFormats, ", "))}
		}
		return &usageError{fmt.Errorf("unknown --format %q; say %s%s", o.format, strings.Join(exportFormats, ", "), qcode.DidYouMean(format, exportFormats))}
	}
	if format == "xlsx" && o.out == "" && e.outTTY {
		return &usageError{errors.New("an xlsx workbook is binary; write it to a file with --out FILE or > FILE")}
	}
	cb, _, err := e.loadCodebook()
	if err != nil {
		return err
	}
	// The whole export is made before anything is written, so a failure
	// leaves no half-written file.
	var buf bytes.Buffer
	switch format {
	case "qdc":
		err = codebook.WriteQDC(&buf, cb)
	case "csv", "xlsx":
		err = codebook.WriteTable(&buf, cb, format)
	case "yaml":
		var data []byte
		data, err = codebook.Save(cb)
		buf.Write(data)
	}
	if err != nil {
		return err
	}
	if o.out == "" {
		_, err := e.stdout.Write(buf.Bytes())
		return err
	}
	if err := writeFileAtomic(o.out, buf.Bytes()); err != nil {
		return err
	}
	if e.outTTY {
		e.printf("Wrote %s\n", o.out)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// maxInput bounds the files codebook import reads: a codebook or
// dictionary is at most a few megabytes.
const maxInput = 64 << 20

// readInput reads a file of at most maxInput bytes.
func readInput(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, qcode.Errorf(qcode.EINVALID, "%s: cannot read: %v", path, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, qcode.Errorf(qcode.EINVALID, "%s is a folder; name a codebook file", path)
	} else if err == nil && st.Size() > maxInput {
		return nil, qcode.Errorf(qcode.EINVALID, "%s: the file is %d MB; a codebook or dictionary is at most %d MB", path, st.Size()>>20, maxInput>>20)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(f); err != nil {
		return nil, qcode.Errorf(qcode.EINVALID, "%s: cannot read: %v", path, err)
	}
	return buf.Bytes(), nil
}

type codebookImportOptions struct {
	file    string
	replace bool
	merge   bool
}

func newCodebookImportCmd(e *env) *cobra.Command {
	var o codebookImportOptions
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Make the codebook from a .qdc, .dic, .csv, .xlsx or YAML file",
		Long: `Read a codebook made elsewhere and write it as the project's codebook.yaml:

  .qdc         a REFI-QDA codebook exported by NVivo, ATLAS.ti, MAXQDA or
               QualCoder (or by 'qcode codebook export'); codes without a
               "--- qcode ---" block get ids made from their names and no
               rule, so they are coded by hand
  .dic         a LIWC-style dictionary: each category becomes a code whose
               rule is the OR of its words (word* stays a prefix)
  .csv, .xlsx  a table of codes with a path column ("Barriers > Risk
               aversion"; > >> and :: all work) or level columns (CAT1,
               CAT2… or "level 1"…), and optional name, id, description (or
               memo), include, exclude, rule, negation, color and examples
               columns
  .yaml, .yml  a qcode codebook, or a quanteda dictionary (nested keys are
               codes, word lists become rules) when it has no codes: key

Everything is checked (ids, colours, every rule compiles) before anything is
written; the file is then replaced in one step. When the project already has
a codebook, say --replace to replace it, or --merge to add the codes whose
ids it does not have (under their parent when it has the parent's id, else
at the top level; codes whose ids it has are skipped and listed).` + exitStatusHelp,
		Example: `  qcode codebook import nvivo-export.qdc --replace
  qcode codebook import liwc.dic --merge
  qcode codebook import codes.xlsx --replace && qcode codebook test`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.file = args[0]
			return runCodebookImport(e, o)
		},
	}
	cmd.Flags().BoolVar(&o.replace, "replace", false, "replace the project's codebook")
	cmd.Flags().BoolVar(&o.merge, "merge", false, "add the codes whose ids the project's codebook does not have")
	return cmd
}

func runCodebookImport(e *env, o codebookImportOptions) error {
	if o.replace && o.merge {
		return &usageError{errors.New("say --replace or --merge, not both")}
	}
	data, err := readInput(o.file)
	if errors.Is(err, fs.ErrNotExist) {
		return qcode.Errorf(qcode.ENOTFOUND, "%s: no such file", o.file)
	}
	if err != nil {
		return err
	}
	src := displayPath(o.file)
	in, err := codebook.LoadAny(src, data)
	if err != nil {
		return e.listProblems(src, err)
	}
	target, err := e.codebookLocation()
	if err != nil {
		return err
	}
	if ext := strings.ToLower(filepath.Ext(target)); ext != ".yaml" && ext != ".yml" {
		return qcode.Errorf(qcode.EINVALID, "%s: import writes a codebook.yaml; name a .yaml file with --codebook", target)
	}
	shown := displayPath(target)
	result := in
	var old *codebook.Codebook
	var added, skipped []*codebook.Code
	current, err := os.ReadFile(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return qcode.Errorf(qcode.EINVALID, "%s: cannot read: %v", shown, err)
	case o.replace:
		old, _ = codebook.Load(shown, current) // only to say how many codes it had
	case o.merge:
		old, err = codebook.Load(shown, current)
		if err != nil {
			return fmt.Errorf("%w; mend it (qcode codebook validate) or say --replace", err)
		}
		added, skipped = codebook.Merge(old, in)
		result = old
	default:
		cb, err := codebook.Load(shown, current)
		if err != nil {
			return qcode.Errorf(qcode.ECONFLICT, "%s already exists (and does not load); say --replace to replace it", shown)
		}
		return qcode.Errorf(qcode.ECONFLICT, "%s already has %d codes; say --replace to replace it or --merge to add the new codes", shown, countCodes(cb))
	}
	// A merge can join rules that each compiled alone into one that does
	// not (a #ref to a skipped code that has no rule here), so the result is
	// checked again, and so is what Save makes of it.
	if _, err := codebook.NewMatcher(result); err != nil {
		return qcode.Errorf(qcode.EINVALID, "%s: after the merge: %v; nothing was written", src, oneLine(err.Error()))
	}
	if o.merge && old != nil && len(added) == 0 {
		e.printf("Nothing to add: %s already has the ids of all %d codes of %s\n", shown, len(skipped), src)
		return nil
	}
	var out []byte
	if o.merge && old != nil {
		// The new codes go into the file as text; the rest of it, comments
		// included, stays as it was.
		out, err = codebook.SaveMerged(current, result, added)
	} else {
		out, err = codebook.Save(result)
	}
	if err != nil {
		return err
	}
	if _, err := codebook.Load(shown, out); err != nil {
		return fmt.Errorf("internal error: the imported codebook does not load back (%v); nothing was written", err)
	}
	if err := writeFileAtomic(target, out); err != nil {
		return err
	}
	switch {
	case o.merge && old != nil:
		e.printf("Added %d codes from %s to %s (now %d codes)\n", len(added), src, shown, countCodes(result))
		if len(skipped) > 0 {
			e.printf("Skipped %d codes whose ids %s already has: %s\n", len(skipped), shown, idList(skipped, 10))
		}
	case old != nil:
		e.printf("Replaced the %d codes of %s with the %d codes of %s\n", countCodes(old), shown, countCodes(result), src)
	default:
		e.printf("Imported %d codes from %s into %s\n", countCodes(result), src, shown)
	}
	return nil
}

// listProblems prints every problem of a file that did not import, one a
// line on stderr, when there are several, and returns the error to exit
// with.
func (e *env) listProblems(src string, err error) error {
	ps, ok := codebook.AsProblems(err)
	if !ok || len(ps) < 2 {
		return err
	}
	for _, p := range ps {
		fmt.Fprintln(e.stderr, p.Error())
	}
	return qcode.Errorf(qcode.EINVALID, "%s does not import: see the problems listed above; nothing was written", src)
}

func countCodes(cb *codebook.Codebook) int {
	n := 0
	cb.Walk(func(*codebook.Code) { n++ })
	return n
}

// idList lists up to max codes' ids, then how many more.
func idList(cs []*codebook.Code, max int) string {
	ids := make([]string, 0, max)
	for i, c := range cs {
		if i == max {
			return strings.Join(ids, ", ") + fmt.Sprintf(" and %d more", len(cs)-max)
		}
		ids = append(ids, c.ID)
	}
	return strings.Join(ids, ", ")
}

// writeFileAtomic writes data over path as export.WriteFileAtomic does.
func writeFileAtomic(path string, data []byte) error {
	return export.WriteFileAtomic(path, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}
