package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"qcode"
	"qcode/app"
	"qcode/codebook"
)

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
			return e.run(o, func() error { return runCodebookExport(e, o) })
		},
	}
	cmd.Flags().StringVarP(&o.format, "format", "f", "", "qdc, csv, xlsx or yaml (default: from --out's extension, else yaml)")
	cmd.Flags().StringVarP(&o.out, "out", "o", "", "write to FILE instead of standard output")
	return cmd
}

func runCodebookExport(e *env, o codebookExportOptions) error {
	format, err := app.CodebookFormat(o.format, o.out)
	if err != nil {
		return &usageError{err}
	}
	if format == "xlsx" && o.out == "" && e.outTTY {
		return &usageError{errors.New("an xlsx workbook is binary; write it to a file with --out FILE or > FILE")}
	}
	cb, err := e.codebook()
	if err != nil {
		return err
	}
	data, err := app.ExportCodebook(cb, format)
	if err != nil {
		return err
	}
	if o.out == "" {
		_, err := e.stdout.Write(data)
		return err
	}
	if err := app.WriteFile(o.out, data); err != nil {
		return err
	}
	if e.outTTY {
		e.printf("Wrote %s\n", o.out)
	}
	return nil
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
			return e.run(o, func() error { return runCodebookImport(e, o) })
		},
	}
	cmd.Flags().BoolVar(&o.replace, "replace", false, "replace the project's codebook")
	cmd.Flags().BoolVar(&o.merge, "merge", false, "add the codes whose ids the project's codebook does not have")
	return cmd
}

func runCodebookImport(e *env, o codebookImportOptions) error {
	policy := app.CodebookKeep
	switch {
	case o.replace && o.merge:
		return &usageError{errors.New("say --replace or --merge, not both")}
	case o.replace:
		policy = app.CodebookReplace
	case o.merge:
		policy = app.CodebookMerge
	}
	res, err := app.ImportCodebook(e.appOptions(readWrite, "codebook import"), o.file, policy)
	if err != nil {
		if qcode.ErrorCode(err) == qcode.ECONFLICT {
			return fmt.Errorf("%w (--replace, --merge)", err)
		}
		return e.listProblems(app.ShownPath(o.file), err)
	}
	switch {
	case policy == app.CodebookMerge && !res.Written:
		e.printf("Nothing to add: %s already has the ids of all %d codes of %s\n", res.Target, len(res.Skipped), res.Source)
	case policy == app.CodebookMerge && res.Replaced == -1 && res.Added == nil:
		e.printf("Imported %d codes from %s into %s\n", res.Codes, res.Source, res.Target)
	case policy == app.CodebookMerge:
		e.printf("Added %d codes from %s to %s (now %d codes)\n", len(res.Added), res.Source, res.Target, res.Codes)
		if len(res.Skipped) > 0 {
			e.printf("Skipped %d codes whose ids %s already has: %s\n", len(res.Skipped), res.Target, idList(res.Skipped, 10))
		}
	case res.Replaced >= 0:
		e.printf("Replaced the %d codes of %s with the %d codes of %s\n", res.Replaced, res.Target, res.Codes, res.Source)
	default:
		e.printf("Imported %d codes from %s into %s\n", res.Codes, res.Source, res.Target)
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
