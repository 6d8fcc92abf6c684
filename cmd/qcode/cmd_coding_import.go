package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"qcode/app"
	"qcode/coding/report"
)

type codingImportOptions struct {
	file, coder string
	// shown, when set, turns the file's path into what the report shows,
	// as for importOptions.
	shown func(path string) string
}

func newCodingImportCmd(e *env) *cobra.Command {
	var o codingImportOptions
	cmd := &cobra.Command{
		Use:   "import FILE.csv|FILE.xlsx",
		Short: "Import codings entered in a spreadsheet",
		Long: `Import codings from a CSV or XLSX table, for teams that code in Excel. The
table names what each row codes with a "segment" column (P03:s41, P03:t12,
P03:p5, P03:1200-1388, or P03), or with "source" and "quote" columns: the
quote is found in the source (or in the segment, if one is named) and must
stand there exactly once. The codes are either in a "code" column (an id,
or several separated by ";"), or in one column per code, headed by the
code's id, holding 1 where it applies (the wide layout). A "memo" column
gives each coding a memo, a "coder" column each row's coder (--coder then
names only the rows without one), and a "created_at" column when it was
made. A quote matches the text whatever its line breaks and indentation,
so a passage copied from 'qcode show' finds its place; the coding spans the
text as stored.

qcode's own codings.csv and Codings sheet ('qcode export') import as they
were written: their other columns (text, origin, negated, codebook_hash…)
are recognised and left alone, and rows by the rules are skipped, as
'qcode code' makes them again.

Every row is checked first: an unknown source, segment or code, or a quote
that is not in its source or is there twice, is an error naming the row,
and nothing is imported. Codings the coder already has are left as they
are.` + exitStatusHelp,
		Example: `  qcode coding import coded.xlsx --coder team-b
  qcode coding import quotes.csv --coder amina
  qcode export csv results/
  qcode coding import results/codings.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.file = args[0]
			return e.run(o, func() error { return runCodingImport(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().StringVar(&o.coder, "coder", "", "who coded the rows that name no coder (default: $QCODE_CODER, else your user name)")
	return cmd
}

func runCodingImport(ctx context.Context, e *env, o codingImportOptions) error {
	e = e.withSafeOut() // the confirmation names what users and files gave
	p, err := e.open(ctx, readWrite, "coding import")
	if err != nil {
		return err
	}
	defer p.Close()
	res, err := p.ImportCodings(ctx, o.file, o.coder)
	if err != nil {
		return err
	}
	printCodingImport(e, res, o.file)
	return nil
}

// printCodingImport says what an import of codings from file did.
func printCodingImport(e *env, res *app.ImportCodingsResult, file string) {
	if res.Encoding != "" {
		e.printf("%s: not UTF-8; read as %s\n", safe(file), res.Encoding)
	}
	msg := fmt.Sprintf("%s: imported %s by %s", file, plural(res.Added, "coding"), res.Coder)
	if res.Existing > 0 {
		msg += fmt.Sprintf(" (%s already there, left as they were)", report.Thousands(res.Existing))
	}
	if res.Rules > 0 {
		msg += fmt.Sprintf("; skipped %s by the rules, which 'qcode code' makes again", plural(res.Rules, "row"))
	}
	e.printf("%s\n", msg)
}
