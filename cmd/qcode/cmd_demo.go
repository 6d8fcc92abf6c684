package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"qcode"
	"qcode/app"
	"qcode/coding"
)

type demoOptions struct {
	out string
	dir string
}

func newDemoCmd(e *env) *cobra.Command {
	var o demoOptions
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Build a project from the bundled sample corpus, end to end",
		Long: `Build a project from the sample corpus that ships inside qcode: twelve
interviews with NHS and partner staff about global health partnerships in
every format qcode reads, a survey, and their case attributes. It imports
them, codes them with the rules of the default codebook (written to the
project as codebook.yaml), imports two people's codings of three interviews
(one of them also coded a little of a fourth) and shows how far they agree,
lists the sources and, with --out, writes the results workbook ('qcode
export xlsx', with Agreement and Disagreements sheets).

By default the project is made in a temporary folder and removed afterwards;
--dir keeps it, so you can try the other commands on it.` + exitStatusHelp,
		Example: `  qcode demo --out demo.xlsx
  qcode demo --dir demo-project && qcode -C demo-project show P03 --sentences`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.run(o, func() error { return runDemo(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().StringVarP(&o.out, "out", "o", "", "write the results workbook (.xlsx) here")
	cmd.Flags().StringVar(&o.dir, "dir", "", "build the demo project in this folder and keep it")
	return cmd
}

func runDemo(ctx context.Context, e *env, o demoOptions) error {
	if o.out != "" {
		if !strings.EqualFold(filepath.Ext(o.out), ".xlsx") {
			return qcode.FieldError("out", o.out, "the demo writes an Excel workbook; name it with .xlsx")
		}
		if err := app.CheckExportPath("xlsx", o.out); err != nil {
			return err
		}
	}
	work, err := os.MkdirTemp("", "qcode-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	// The sample is written out and imported like any user's files, so the
	// demo runs the very path users do.
	sample, err := app.WriteSample(filepath.Join(work, "sample"))
	if err != nil {
		return err
	}
	dir := o.dir
	if dir == "" {
		dir = filepath.Join(work, "project")
	}
	if !app.IsProject(dir) {
		if _, err := app.Init(ctx, dir); err != nil {
			return err
		}
	}
	// The demo codes with the default codebook, as a project made by
	// 'qcode init' would, unless the folder has a codebook of its own.
	if _, err := app.WriteDefaultCodebook(dir); err != nil {
		return err
	}
	de := *e
	de.projectDir, de.codebookPath = dir, ""
	p, err := de.open(ctx, readWrite, "demo")
	if err != nil {
		return err
	}
	defer p.Close()

	e.printf("== Importing the sample corpus (%d files)\n", len(sample.Files))
	prog := &progress{out: e.stderr, on: e.errTTY}
	rep, err := p.Import(ctx, app.ImportOptions{Files: sample.Files, Attributes: sample.Cases}, prog)
	if err != nil {
		return err
	}
	for i := range rep.Files {
		rep.Files[i].File = filepath.Base(rep.Files[i].File) // not the temporary folder
	}
	printImport(&de, rep, filepath.Base(sample.Cases))
	de.outTTY = true // the demo is read by a person, even through a pipe

	e.printf("\n== Coding with the rules of %s\n", app.CodebookFile)
	coded, err := p.Code(ctx, app.CodeOptions{})
	if err != nil {
		return err
	}
	coded.Codebook = filepath.Base(coded.Codebook)
	if err := printCodeReport(&de, coded); err != nil {
		return err
	}
	// Two people coded part of the sample by hand: their codings come in
	// as a team's spreadsheets would, and the demo shows how far they agree.
	for _, coder := range sample.Coders {
		e.printf("\n== Importing %s's codings\n", coder)
		res, err := p.ImportCodings(ctx, sample.Codings[coder], coder)
		if err != nil {
			return err
		}
		printCodingImport(e, res, filepath.Join("codings", filepath.Base(res.File)))
	}
	e.printf("\n== How far %s agree, sentence by sentence\n", strings.Join(sample.Coders, " and "))
	ao := agreeOptions{coders: sample.Coders, unit: string(coding.UnitSentence), level: "nominal", bootstrap: 1000, seed: 1}
	agreement, err := p.Agreement(ctx, app.AgreementOptions{Unit: ao.unit, Coders: ao.coders, Level: ao.level, Bootstrap: ao.bootstrap, Seed: ao.seed})
	if err != nil {
		return err
	}
	if err := printAgreement(&de, agreement, ao); err != nil {
		return err
	}
	e.printf("\n== Sources\n")
	srcs, err := p.Sources(ctx)
	if err != nil {
		return err
	}
	if err := printSources(&de, srcs); err != nil {
		return err
	}
	if o.out != "" {
		if _, err := p.Export(ctx, app.ExportOptions{Format: "xlsx", Path: o.out}); err != nil {
			return err
		}
		e.printf("\nWrote %s\n", o.out)
	}
	if o.dir != "" {
		e.printf("\nThe demo project is in %s; try: qcode -C %s show P03 --sentences\n", o.dir, o.dir)
	}
	return p.Close()
}
