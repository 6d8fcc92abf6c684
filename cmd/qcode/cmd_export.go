package main

import (
	"context"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"qcode"
	"qcode/coding"
	"qcode/coding/report"
	"qcode/export"
	"qcode/project"
)

// exportOptions are the flags of the export commands.
type exportOptions struct {
	format string // xlsx or csv
	path   string // the workbook, or the folder of CSV files
	coder  string
	attrs  string // attributes given a Code x <attribute> sheet
	themes string // the Framework sheet's themes
}

func newExportCmd(e *env) *cobra.Command {
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the results workbook (xlsx) or its tables as CSV files",
		Long: `Write every report at once: a workbook for Excel or LibreOffice, or one CSV
file per sheet with the same columns, for R, SPSS or Python.

The workbook's sheets: About (the project, its corpus and codebook, the
coders, and how to read each sheet), Codebook, Frequencies (with a chart of
the top-level themes), Code x Source, Code x <attribute> (one per text
attribute with 2 to 12 values, or those named with --attrs), Co-occurrence,
Codings (one row per coding), Segments (one row per sentence, a 0/1 column
per code) and Framework (cases × themes with quotes, and a summary column
per theme to fill in).

--coder NAME exports only that coder's codings ('rules' for the rules);
--coder all (the default) exports everyone's. Text is always written as
text: a quote starting with = or + never becomes a formula. Files are
written whole or not at all.` + exitStatusHelp,
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&o.coder, "coder", "all", "whose codings: a coder's name, 'rules', or 'all'")
	pf.StringVar(&o.attrs, "attrs", "", "case attributes to give a Code x <attribute> sheet, separated by commas (default: text attributes with 2 to 12 values)")
	pf.StringVar(&o.themes, "themes", "top", "the Framework sheet's themes: top, or code ids separated by commas")
	cmd.AddCommand(&cobra.Command{
		Use:   "xlsx FILE.xlsx",
		Short: "Write the results workbook",
		Long: `Write the results workbook to FILE.xlsx (see 'qcode export --help' for its
sheets). The file is written to a temporary name and renamed into place.` + exitStatusHelp,
		Example: `  qcode export xlsx results.xlsx
  qcode export xlsx rules-only.xlsx --coder rules
  qcode export xlsx results.xlsx --attrs role,country --themes barriers,enablers`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.format, o.path = "xlsx", args[0]
			return runExport(cmd.Context(), e, o)
		},
	}, &cobra.Command{
		Use:   "csv DIR",
		Short: "Write each table of the workbook as a CSV file",
		Long: `Write each sheet of the results workbook as a CSV file in DIR (made if its
parent exists): about.csv, codebook.csv, frequencies.csv, code_x_source.csv,
code_x_<attribute>.csv, co_occurrence.csv, codings.csv, segments.csv and
framework.csv, with the same columns as the sheets. Text that a spreadsheet
would take for a formula (starting with =, +, -, @, a tab or a carriage
return) is written with a leading apostrophe.` + exitStatusHelp,
		Example: `  qcode export csv results/
  Rscript -e 'd <- read.csv("results/codings.csv"); table(d$cat1, d$role)'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.format, o.path = "csv", args[0]
			return runExport(cmd.Context(), e, o)
		},
	})
	return cmd
}

func runExport(ctx context.Context, e *env, o exportOptions) error {
	// The path first: a mistake in it should not wait for the project.
	switch o.format {
	case "xlsx":
		if !strings.EqualFold(filepath.Ext(o.path), ".xlsx") {
			return qcode.Errorf(qcode.EINVALID, "%s: the workbook is an Excel file; name it with .xlsx", o.path)
		}
		if err := export.CheckFolder(o.path); err != nil {
			return err
		}
		if st, err := os.Stat(o.path); err == nil && st.IsDir() {
			return qcode.Errorf(qcode.EINVALID, "%s is a folder; name the workbook file, e.g. %s", o.path, filepath.Join(o.path, "results.xlsx"))
		}
	case "csv":
		if err := export.CheckCSVFolder(o.path); err != nil {
			return err
		}
	}
	themes, err := parseThemes(o.themes)
	if err != nil {
		return err
	}
	a, info, err := e.loadAnalysis(ctx, o.coder, "export "+o.format)
	if err != nil {
		return err
	}
	written := time.Now()
	if sec, ok := sourceDateEpoch(os.Getenv); ok {
		written = time.Unix(sec, 0).UTC()
	}
	wo := report.WorkbookOptions{
		About:     report.AboutInfo{Project: info.project, Written: written, CodebookPath: info.codebookPath, CodebookHash: info.codebookHash},
		Attrs:     splitList(o.attrs),
		Framework: report.FrameworkOptions{Themes: themes},
	}
	// People's agreement, when the workbook holds every coder's codings
	// and two or more people coded.
	people := slices.DeleteFunc(slices.Clone(a.Coders()), func(c string) bool { return c == coding.RulesCoder })
	if o.coder == "all" && len(people) >= 2 {
		if wo.Agreement, err = e.peopleAgreement(ctx, people); err != nil {
			return err
		}
	}
	w, err := a.Workbook(wo)
	if err != nil {
		return err
	}
	// Writing a workbook makes much short-lived garbage (excelize makes a
	// few small objects per cell) on top of a project held in memory:
	// collecting more often keeps the peak near 1.4 times what is live
	// rather than twice, for a few percent more time (a project of 100,000
	// codings: 185 MB rather than 250).
	defer debug.SetGCPercent(debug.SetGCPercent(40))
	// What is said at the end is counted now, so that the analysis can go
	// while the file is being packed.
	sheets, codings := len(w.Tables()), plural(a.CodingCount(), "coding")
	switch o.format {
	case "xlsx":
		if err := export.WriteWorkbook(o.path, w); err != nil {
			return err
		}
		e.printf("wrote %s: %s, %s\n", o.path, plural(sheets, "sheet"), codings)
	case "csv":
		files, err := export.WriteCSV(o.path, w.Tables())
		if err != nil {
			return err
		}
		e.printf("wrote %s to %s (%s): %s\n", plural(len(files), "CSV file"), o.path, codings, strings.Join(baseNames(files), " "))
	}
	return nil
}

// peopleAgreement returns how far people agree, sentence by sentence,
// with a bootstrap interval and their disagreements.
func (e *env) peopleAgreement(ctx context.Context, people []string) (*coding.AgreementReport, error) {
	p, err := e.open(ctx, project.ReadOnly, "export")
	if err != nil {
		return nil, err
	}
	defer p.Close()
	rel, err := e.reliability(ctx, p, coding.AgreementSpec{Unit: coding.UnitSentence, Coders: people, Disagreements: true})
	if err != nil {
		return nil, err
	}
	rep, err := rel.Agreement(exportResamples, 1)
	if err != nil {
		return nil, err
	}
	return &rep, nil
}

// exportResamples is the bootstrap's number of resamples for the
// workbook's Agreement sheet, with seed 1, so that the workbook is the
// same each time it is written.
const exportResamples = 1000

func baseNames(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = filepath.Base(p)
	}
	return out
}
