package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"qcode/app"
	"qcode/codebook"
)

// testEnv returns an env writing to buffers, for a project in dir.
func testEnv(dir string) (*env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	e := newEnv(strings.NewReader(""), &out, &errb)
	e.projectDir = dir
	return e, &out, &errb
}

func TestCodebookExportArgs(t *testing.T) {
	tests := []struct {
		args []string
		want codebookExportOptions
	}{
		{[]string{}, codebookExportOptions{}},
		{[]string{"--format", "qdc"}, codebookExportOptions{format: "qdc"}},
		{[]string{"-f", "csv", "-o", "codes.csv"}, codebookExportOptions{format: "csv", out: "codes.csv"}},
	}
	for _, tt := range tests {
		var got codebookExportOptions
		cmd := newCodebookExportCmd(&env{})
		cmd.RunE = nil
		cmd.Run = func(c *cobra.Command, _ []string) {
			got.format, _ = c.Flags().GetString("format")
			got.out, _ = c.Flags().GetString("out")
		}
		cmd.SetArgs(tt.args)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%q: %+v, want %+v", tt.args, got, tt.want)
		}
	}
}

func TestCodebookExport(t *testing.T) {
	dir := t.TempDir()
	path := write(t, dir, "codebook.yaml", string(codebook.DefaultYAML()))
	def := codebook.Default()
	for _, format := range []string{"qdc", "csv", "yaml"} {
		e, out, _ := testEnv(dir)
		e.codebookPath = path
		if err := runCodebookExport(e, codebookExportOptions{format: format}); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		back, err := codebook.LoadAny("default."+format, out.Bytes())
		if err != nil {
			t.Fatalf("%s: the export does not read back: %v", format, err)
		}
		if app.CountCodes(back) != app.CountCodes(def) {
			t.Errorf("%s: %d codes, want %d", format, app.CountCodes(back), app.CountCodes(def))
		}
	}
	// --out picks the format from its extension and writes the file.
	e, _, _ := testEnv(dir)
	e.codebookPath = path
	xlsx := filepath.Join(dir, "codes.xlsx")
	if err := runCodebookExport(e, codebookExportOptions{out: xlsx}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	if back, err := codebook.ReadTable(xlsx, data); err != nil || app.CountCodes(back) != app.CountCodes(def) {
		t.Errorf("xlsx: %v", err)
	}
}

// TestCodebookExportConverts exports a dictionary given with --codebook.
func TestCodebookExportConverts(t *testing.T) {
	dir := t.TempDir()
	e, out, _ := testEnv(dir)
	e.codebookPath = write(t, dir, "mini.dic", "%\n1\tposemo\n2\tnegemo\n%\nhumbl*\t1\nworr*\t2\nlack of\t2\n")
	if err := runCodebookExport(e, codebookExportOptions{format: "yaml"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"name: mini\n", "  - id: negemo\n    name: negemo\n", `    rule: 'worr* OR "lack of"'`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
}

func TestCodebookExportBad(t *testing.T) {
	dir := t.TempDir()
	path := write(t, dir, "codebook.yaml", string(codebook.DefaultYAML()))
	tests := []struct {
		name string
		o    codebookExportOptions
		tty  bool
		want string
		code int
	}{
		{"unknown format", codebookExportOptions{format: "qdx"}, false, "--format qdx: no such codebook format; choose one of qdc, csv, xlsx, yaml; did you mean qdc?", exitInvalid},
		{"format not known from --out", codebookExportOptions{out: "codes.ods"}, false, "--format: cannot tell the format from the file name codes.ods; choose one of qdc, csv, xlsx, yaml", exitInvalid},
		{"xlsx to a terminal", codebookExportOptions{format: "xlsx"}, true, "an xlsx workbook is binary", exitInvalid},
		{"no such codebook", codebookExportOptions{format: "qdc"}, false, "no codebook", exitNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _, _ := testEnv(dir)
			e.codebookPath = path
			if tt.code == exitNotFound {
				e.codebookPath = filepath.Join(dir, "missing.yaml")
			}
			e.outTTY = tt.tty
			err := runCodebookExport(e, tt.o)
			if err == nil || !strings.Contains(phrased(err), tt.want) || exitCode(err) != tt.code {
				t.Errorf("error %v (exit %d), want %q (exit %d)", err, exitCode(err), tt.want, tt.code)
			}
		})
	}
}

const healthDic = `%
1	partnership
2	barriers
3	enablers
%
partner*	1
twinning	1
governance	2
litigat*	2
overcrowd*	2
debrief*	3
humil*	3
`

func TestCodebookImport(t *testing.T) {
	dir, in := newProject(t)
	target := filepath.Join(dir, "codebook.yaml")
	dic := write(t, in, "health.dic", healthDic)
	defaults := app.CountCodes(codebook.Default())

	// Without --replace or --merge an existing codebook is a conflict.
	e, _, _ := testEnv(dir)
	err := runCodebookImport(e, codebookImportOptions{file: dic})
	if err == nil || exitCode(err) != exitConflict || !strings.HasSuffix(err.Error(), "codebook.yaml already has "+strconv.Itoa(defaults)+" codes; replace it, or merge the new codes into it (--replace, --merge)") {
		t.Fatalf("no flag: %v", err)
	}

	// --merge adds the new codes and skips those whose id is taken.
	csv := write(t, in, "more.csv", "path,id,description,rule\n"+
		"Partnership aspects > Barriers > Rota gaps,rota_gaps,Shifts nobody covers,rota* NEAR/3 gap*\n"+
		"Humility,humility,Already there,humbl*\n"+
		"New top,,A code whose parent is new,novel*\n")
	e, out, _ := testEnv(dir)
	if err := runCodebookImport(e, codebookImportOptions{file: csv, merge: true}); err != nil {
		t.Fatal(err)
	}
	merged := loadFile(t, target)
	if app.CountCodes(merged) != defaults+2 {
		t.Errorf("merged %d codes, want %d\n%s", app.CountCodes(merged), defaults+2, out)
	}
	if !strings.Contains(out.String(), "Added 2 codes from ") || !strings.Contains(out.String(), "Skipped 3 codes whose ids "+app.ShownPath(target)+" already has: partnership_aspects, barriers, humility") {
		t.Errorf("merge report:\n%s", out)
	}
	if c := merged.Code("rota_gaps"); c == nil || c.Parent == nil || c.Parent.ID != "barriers" {
		t.Errorf("rota_gaps did not land under barriers: %+v", c)
	}
	// The merge leaves the rest of the file as it was, comments included.
	text, _ := os.ReadFile(target)
	got := strings.Split(string(text), "\n")
	j := 0
	for _, l := range strings.Split(string(codebook.DefaultYAML()), "\n") {
		for j < len(got) && got[j] != l {
			j++
		}
		if j == len(got) {
			t.Fatalf("the merge lost the line %q", l)
		}
		j++
	}
	e, out, _ = testEnv(dir)
	if err := runCodebookImport(e, codebookImportOptions{file: csv, merge: true}); err != nil || !strings.HasPrefix(out.String(), "Nothing to add: ") {
		t.Errorf("second merge: %v %q", err, out)
	}
	if again, _ := os.ReadFile(target); !bytes.Equal(again, text) {
		t.Error("a merge that adds nothing changed the file")
	}

	// --replace writes the imported codebook.
	e, out, _ = testEnv(dir)
	if err := runCodebookImport(e, codebookImportOptions{file: dic, replace: true}); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.HasPrefix(got, "Replaced the "+strconv.Itoa(defaults+2)+" codes of ") || !strings.HasSuffix(got, "with the 3 codes of "+app.ShownPath(dic)+"\n") {
		t.Errorf("replace report: %q", got)
	}
	replaced := loadFile(t, target)
	if replaced.Code("barriers").Rule != "governance OR litigat* OR overcrowd*" {
		t.Errorf("replaced: %+v", replaced.Code("barriers"))
	}
	entries, _ := os.ReadDir(dir)
	for _, ent := range entries {
		if strings.HasSuffix(ent.Name(), ".tmp") {
			t.Errorf("left a temporary file: %s", ent.Name())
		}
	}
}

func TestCodebookImportNew(t *testing.T) {
	dir := t.TempDir()
	e, out, _ := testEnv(dir)
	e.codebookPath = filepath.Join(dir, "book.yaml")
	qdc := write(t, dir, "atlas.qdc", `<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="ATLAS.ti">
  <Codes>
    <Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" name="Humility" isCodable="true" color="#59A14F"><Description>Being humble.</Description></Code>
  </Codes>
</CodeBook>`)
	if err := runCodebookImport(e, codebookImportOptions{file: qdc}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "Imported 1 codes from ") {
		t.Errorf("report %q", out)
	}
	cb := loadFile(t, e.codebookPath)
	if c := cb.Code("humility"); c == nil || c.Color != "#59A14F" || c.Description != "Being humble." {
		t.Errorf("imported %+v", c)
	}
}

// TestCodebookImportBad checks that bad input leaves the codebook as it was.
func TestCodebookImportBad(t *testing.T) {
	dir, in := newProject(t)
	target := filepath.Join(dir, "codebook.yaml")
	before, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, content string
		o                   codebookImportOptions
		want                string
		code                int
		stderr              string
	}{
		{"undefined category", "bad.dic", "%\n1\tx\n%\na\t1\t7\nb\t8\n", codebookImportOptions{replace: true},
			"does not import: see the problems listed above; nothing was written", exitInvalid,
			"bad.dic:4: category 7 is not defined in the % header\n"},
		{"one problem", "bad.dic", "%\n1\tx\n%\na\t12\n", codebookImportOptions{replace: true},
			"bad.dic:4: category 12 is not defined in the % header", exitInvalid, ""},
		{"XML bomb", "bomb.qdc", "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"aaaa\">]>\n<CodeBook/>", codebookImportOptions{replace: true},
			"bomb.qdc:2: DTDs and entities are not allowed in a .qdc file", exitInvalid, ""},
		{"not REFI-QDA", "x.qdc", "<project/>", codebookImportOptions{replace: true},
			"not a REFI-QDA codebook: root element is <project>", exitInvalid, ""},
		{"CSV without path column", "codes.csv", "heading,memo\nA,b\n", codebookImportOptions{merge: true},
			"codes.csv:1: no code path column", exitInvalid, ""},
		{"unknown extension", "codes.ods", "x", codebookImportOptions{replace: true},
			"cannot read a codebook from this kind of file", exitInvalid, ""},
		{"both flags", "x.dic", healthDic, codebookImportOptions{replace: true, merge: true},
			"say --replace or --merge, not both", exitInvalid, ""},
		{"merge whose rules reuse an existing code", "reuse.yaml", "codes:\n  - id: humility\n    name: H\n    rule: 'humbl*'\n  - id: other\n    name: O\n    rule: '#humility OR x'\n",
			codebookImportOptions{merge: true}, "", exitOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := write(t, in, tt.file, tt.content)
			tt.o.file = file
			e, _, errb := testEnv(dir)
			err := runCodebookImport(e, tt.o)
			if tt.code == exitOK {
				if err != nil {
					t.Fatal(err)
				}
				os.WriteFile(target, before, 0o644)
				return
			}
			if err == nil || !strings.Contains(phrased(err), tt.want) || exitCode(err) != tt.code {
				t.Errorf("error %v (exit %d), want %q (exit %d)", err, exitCode(err), tt.want, tt.code)
			}
			if !strings.Contains(errb.String(), tt.stderr) {
				t.Errorf("stderr %q, want %q", errb, tt.stderr)
			}
			if after, _ := os.ReadFile(target); !bytes.Equal(after, before) {
				t.Error("the codebook changed")
			}
		})
	}
	e, _, _ := testEnv(dir)
	if err := runCodebookImport(e, codebookImportOptions{file: filepath.Join(in, "missing.dic")}); exitCode(err) != exitNotFound {
		t.Errorf("missing file: %v", err)
	}
}

func loadFile(t *testing.T, path string) *codebook.Codebook {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := codebook.Load(path, data)
	if err != nil {
		t.Fatal(err)
	}
	return cb
}
