package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"qcode/app"
)

func newAttributesCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "attributes",
		Short: "Set and list case attributes (role, site, country…)",
		Long: `Cases are the people or groups sources are about; by default each source is
its own case, named like it. Attributes describe cases, typed as text,
number or date, for analysis by role, site or country.` + exitStatusHelp,
	}
	cmd.AddCommand(newAttributesImportCmd(e), newAttributesListCmd(e))
	return cmd
}

func newAttributesImportCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE",
		Short: "Set case attributes from a CSV or XLSX file",
		Long: `Set case attributes from a table whose first column names the case (or its
source) and whose other columns are attributes. Each column's type is
inferred: number if every value is a number, date if every value is a date
(YYYY-MM-DD or DD/MM/YYYY), else text; say it in the header to be sure:
"years:number", "interviewed:date", "site:text". A row naming an unknown case
or a column that mixes types is an error and nothing is written.` + exitStatusHelp,
		Example: `  qcode attributes import cases.csv`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.run(args[0], func() error { return runAttributesImport(cmd.Context(), e, args[0]) })
		},
	}
}

func runAttributesImport(ctx context.Context, e *env, path string) error {
	e = e.withSafeOut() // the confirmation names what users and files gave
	t, err := app.ReadAttributeFile(path)
	if err != nil {
		return err
	}
	p, err := e.open(ctx, readWrite, "attributes import")
	if err != nil {
		return err
	}
	defer p.Close()
	res, err := p.SetAttributes(ctx, t)
	if err != nil {
		return err
	}
	if t.Encoding != "" {
		e.printf("%s: not UTF-8; read as %s\n", safe(path), t.Encoding)
	}
	e.printf("%s: set %d attributes (%s) on %d cases\n", path, len(res.Attributes), strings.Join(res.Attributes, ", "), res.Cases)
	return nil
}

func newAttributesListCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List cases with their sources and attributes",
		Long: `List every case with its sources and attribute values. --json prints an
array of {case, sources, attributes: [{name, type, value}]}.` + exitStatusHelp,
		Example: `  qcode attributes list
  qcode attributes list --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.run(asJSON, func() error { return runAttributesList(cmd.Context(), e, asJSON) })
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func runAttributesList(ctx context.Context, e *env, asJSON bool) error {
	p, err := e.open(ctx, readOnly, "attributes list")
	if err != nil {
		return err
	}
	defer p.Close()
	names, cases, err := p.CaseAttributes(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		if cases == nil {
			cases = []app.CaseInfo{}
		}
		return writeJSON(e.stdout, cases)
	}
	t := newTable(e.stdout, e.outTTY, append([]string{"case", "sources"}, names...)...)
	for _, c := range cases {
		row := []string{c.Name, strings.Join(c.Sources, ", ")}
		vals := map[string]string{}
		for _, a := range c.Attributes {
			vals[a.Name] = a.Value
		}
		for _, n := range names {
			row = append(row, vals[n])
		}
		t.add(row...)
	}
	if err := t.print(); err != nil {
		return err
	}
	if e.outTTY {
		fmt.Fprintf(e.stdout, "%d cases, %d attributes\n", len(cases), len(names))
	}
	return nil
}
