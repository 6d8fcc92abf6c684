package main

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
	"qcode/export"
	"qcode/project"
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
			return runDemo(cmd.Context(), e, o)
		},
	}
	cmd.Flags().StringVarP(&o.out, "out", "o", "", "write the results workbook (.xlsx) here")
	cmd.Flags().StringVar(&o.dir, "dir", "", "build the demo project in this folder and keep it")
	return cmd
}

func runDemo(ctx context.Context, e *env, o demoOptions) error {
	if o.out != "" && !strings.EqualFold(filepath.Ext(o.out), ".xlsx") {
		return qcode.Errorf(qcode.EINVALID, "--out %s: the demo writes an Excel workbook; name it with .xlsx", o.out)
	}
	if o.out != "" {
		if err := export.CheckFolder(o.out); err != nil {
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
	sampleDir := filepath.Join(work, "sample")
	if err := os.CopyFS(sampleDir, qcode.Sample()); err != nil {
		return err
	}
	dir := o.dir
	if dir == "" {
		dir = filepath.Join(work, "project")
	}
	if _, err := project.Find(dir); err != nil || !isProjectRoot(dir) {
		p, err := project.Init(ctx, dir)
		if err != nil {
			return err
		}
		p.Close()
	}
	de := *e
	de.projectDir = dir
	var files []string
	entries, err := fs.ReadDir(qcode.Sample(), ".")
	if err != nil {
		return err
	}
	for _, ent := range entries {
		name := ent.Name()
		if _, err := corpus.FormatOf(name, ""); err != nil || name == "cases.csv" {
			continue
		}
		files = append(files, filepath.Join(sampleDir, name))
	}
	sort.Strings(files)
	e.printf("== Importing the sample corpus (%d files)\n", len(files))
	opts := importOptions{files: files, attributes: filepath.Join(sampleDir, "cases.csv"), shown: filepath.Base}
	if err := runImport(ctx, &de, opts); err != nil {
		return err
	}
	de.outTTY = true // the demo is read by a person, even through a pipe
	// The demo codes with the default codebook, as a project made by
	// 'qcode init' would, unless the folder has a codebook of its own.
	cbPath := filepath.Join(dir, codebookFile)
	if _, err := os.Stat(cbPath); errors.Is(err, fs.ErrNotExist) {
		if err := os.WriteFile(cbPath, codebook.DefaultYAML(), 0o644); err != nil {
			return qcode.Errorf(qcode.EINVALID, "cannot write %s: %v", cbPath, err)
		}
	}
	de.codebookPath = cbPath
	e.printf("\n== Coding with the rules of %s\n", codebookFile)
	if err := runCode(ctx, &de, codeOptions{unit: string(coding.UnitSentence), shown: filepath.Base}); err != nil {
		return err
	}
	// Two people coded part of the sample by hand: their codings come in
	// as a team's spreadsheets would, and the demo shows how far they agree.
	inSample := func(path string) string {
		rel, err := filepath.Rel(sampleDir, path)
		if err != nil {
			return path
		}
		return filepath.ToSlash(rel)
	}
	for _, coder := range demoCoders {
		e.printf("\n== Importing %s's codings\n", coder)
		file := filepath.Join(sampleDir, "codings", coder+".csv")
		if err := runCodingImport(ctx, &de, codingImportOptions{file: file, coder: coder, shown: inSample}); err != nil {
			return err
		}
	}
	e.printf("\n== How far %s agree, sentence by sentence\n", strings.Join(demoCoders, " and "))
	if err := runAgree(ctx, &de, agreeOptions{coders: demoCoders, unit: string(coding.UnitSentence), level: "nominal", bootstrap: 1000, seed: 1}); err != nil {
		return err
	}
	e.printf("\n== Sources\n")
	if err := runSources(ctx, &de, false); err != nil {
		return err
	}
	if o.out != "" {
		if err := writeDemoWorkbook(ctx, &de, o.out); err != nil {
			return err
		}
		e.printf("\nWrote %s\n", o.out)
	}
	if o.dir != "" {
		e.printf("\nThe demo project is in %s; try: qcode -C %s show P03 --sentences\n", o.dir, o.dir)
	}
	return nil
}

// demoCoders are the people whose codings of the sample ship with it
// (testdata/corpus/codings).
var demoCoders = []string{"amina", "ben"}

func isProjectRoot(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, project.Dirname, project.DBName))
	return err == nil
}

// writeDemoWorkbook writes the results workbook of the demo project, as
// 'qcode export xlsx' does.
func writeDemoWorkbook(ctx context.Context, e *env, path string) error {
	quiet := *e
	quiet.stdout = io.Discard // the demo says where it wrote the workbook
	return runExport(ctx, &quiet, exportOptions{format: "xlsx", path: path, coder: "all", themes: "top"})
}
