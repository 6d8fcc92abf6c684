package main

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"qcode/app"

	"github.com/spf13/cobra"
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
the top-level themes), Code x Source (coded segments), Code x <attribute>
(cases) (one per text attribute with 2 to 12 values, or those named with
--attrs), Co-occurrence,
Codings (one row per coding), Segments (one row per sentence, a 0/1 column
per code), Framework (cases × themes with quotes, and a summary column
per theme to fill in), Agreement and Disagreements (when two or more people
coded) and Memos (every memo: what it is on, who wrote it, when, and when
it was last edited). The Codings sheet, or codings.csv, imports into
another project of the same sources with 'qcode coding import'.

--coder NAME exports only that coder's codings ('rules' for the rules);
--coder all (the default) exports everyone's. Text is always written as
text: a quote starting with = or + never becomes a formula. Files are
written whole or not at all.` + exitStatusHelp,
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&o.coder, "coder", "all", "whose codings: a coder's name, 'rules', or 'all'")
	pf.StringVar(&o.attrs, "attrs", "", "case attributes to give a Code x <attribute> sheet, separated by commas (default: text attributes with 2 to 12 values)")
	pf.StringVar(&o.themes, "themes", "top", "the Framework sheet's themes: top, or code ids separated by commas")
	// The workbook's errors name the code or attribute at fault; these
	// flags are where the user gave it.
	fields := map[string]string{fieldFlag + "code": "themes", fieldFlag + "attribute": "attrs"}
	cmd.AddCommand(&cobra.Command{
		Annotations: fields,
		Use:         "xlsx FILE.xlsx",
		Short:       "Write the results workbook",
		Long: `Write the results workbook to FILE.xlsx (see 'qcode export --help' for its
sheets). The file is written to a temporary name and renamed into place.` + exitStatusHelp,
		Example: `  qcode export xlsx results.xlsx
  qcode export xlsx rules-only.xlsx --coder rules
  qcode export xlsx results.xlsx --attrs role,country --themes barriers,enablers`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.format, o.path = "xlsx", args[0]
			return e.run(o, func() error { return runExport(cmd.Context(), e, o) })
		},
	}, &cobra.Command{
		Annotations: fields,
		Use:         "csv DIR",
		Short:       "Write each table of the workbook as a CSV file",
		Long: `Write each sheet of the results workbook as a CSV file in DIR (made if its
parent exists): about.csv, codebook.csv, frequencies.csv,
code_x_source_coded_segments.csv, code_x_<attribute>_cases.csv, co_occurrence.csv, codings.csv, segments.csv,
framework.csv and memos.csv (and agreement.csv and disagreements.csv when
two or more people coded), with the same columns as the sheets. Text that a spreadsheet
would take for a formula (starting with =, +, -, @, a tab or a carriage
return) is written with a leading apostrophe.` + exitStatusHelp,
		Example: `  qcode export csv results/
  Rscript -e 'd <- read.csv("results/codings.csv"); table(d$cat1, d$role)'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.format, o.path = "csv", args[0]
			return e.run(o, func() error { return runExport(cmd.Context(), e, o) })
		},
	}, &cobra.Command{
		Use:   "qdpx FILE.qdpx",
		Short: "Write the whole project as a REFI-QDA project for NVivo, ATLAS.ti or MAXQDA",
		Long: `Write the whole project to FILE.qdpx, the REFI-QDA project exchange format that
NVivo, ATLAS.ti, MAXQDA and QualCoder import: every source's text (as
sources/<GUID>.txt, exactly as stored, so positions hold), the codebook,
a user for every coder (the rules engine as "qcode rules"), every coding,
people's and the rules', memos as notes, and cases with their attributes as
variables. GUIDs stay the same from one export to the next: two exports of
the same project differ only in the export time ($SOURCE_DATE_EPOCH, when
set). 'qcode import FILE.qdpx' or 'qcode merge FILE.qdpx' reads it back.
The file is written whole or not at all.` + exitStatusHelp,
		Example: `  qcode export qdpx team.qdpx`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.format, o.path = "qdpx", args[0]
			return e.run(o, func() error { return runExportQDPX(cmd.Context(), e, o) })
		},
	})
	return cmd
}

// runExportQDPX writes the project as a REFI-QDA project.
func runExportQDPX(ctx context.Context, e *env, o exportOptions) error {
	// The whole project travels: the workbook's choices do not apply.
	if o.coder != "all" || o.attrs != "" || o.themes != "top" {
		return fmt.Errorf("export qdpx writes the whole project, every coder's codings: it takes no --coder, --attrs or --themes")
	}
	// The project's texts and codings, and the XML made of them, are held
	// at once: collecting more often keeps the peak near 1.4 times what is
	// live rather than twice, for a few percent more time. The setting is
	// the process's, so the front end that owns the process makes it.
	defer debug.SetGCPercent(debug.SetGCPercent(40))
	p, err := e.open(ctx, readOnly, "export qdpx")
	if err != nil {
		return err
	}
	defer p.Close()
	res, err := p.ExportQDPX(ctx, o.path, time.Time{})
	if err != nil {
		return err
	}
	e.printf("wrote %s: %s, %s, %s, %s, %s\n", res.Path, plural(res.Sources, "source"), plural(res.Codes, "code"),
		plural(res.Users, "user"), plural(res.Codings, "coding"), plural(res.Memos, "memo"))
	return nil
}

func runExport(ctx context.Context, e *env, o exportOptions) error {
	// The path first: a mistake in it should not wait for the project.
	if err := app.CheckExportPath(o.format, o.path); err != nil {
		return err
	}
	// The workbook is made reading the project source by source, so what
	// is live stays small and the default GOGC keeps its peak flat (1M
	// and 10M words: 58 and 78 MB); GOGC=40, which bounded the peak when
	// the whole project was held, saved 5–12 MB for a fifth more CPU.
	p, err := e.open(ctx, readOnly, "export "+o.format)
	if err != nil {
		return err
	}
	defer p.Close()
	res, err := p.Export(ctx, app.ExportOptions{Format: o.format, Path: o.path, Coder: o.coder, Attrs: app.SplitList(o.attrs), Themes: o.themes})
	if err != nil {
		return err
	}
	switch o.format {
	case "xlsx":
		e.printf("wrote %s: %s, %s\n", res.Path, plural(res.Sheets, "sheet"), plural(res.Codings, "coding"))
	case "csv":
		e.printf("wrote %s to %s (%s): %s\n", plural(len(res.Files), "CSV file"), res.Path, plural(res.Codings, "coding"), strings.Join(baseNames(res.Files), " "))
	}
	return nil
}

func baseNames(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = filepath.Base(p)
	}
	return out
}
