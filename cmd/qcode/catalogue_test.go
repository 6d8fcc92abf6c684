package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"qcode/internal/treetest"
)

// refusal is one case of the bad-input catalogue: a command line given
// something wrong, the exit status its kind of error gives (see exitStatusHelp)
// and words its one line must hold.
type refusal struct {
	name  string
	args  []string          // IN/ names a file of files, PROJECT the project
	files map[string]string // files written in IN before the run
	stdin string
	code  int
	say   string // a fragment of the message
}

// zipOf returns a zip archive holding files.
func zipOf(files map[string]string) string {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range files {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	zw.Close()
	return b.String()
}

const goodCodebook = "name: t\ncodes:\n  - id: humility\n    name: Humility\n    rule: humil*\n"

const qdcHead = `<?xml version="1.0" encoding="utf-8"?>` + "\n"

// refusals is the catalogue: every reader and parser a user's file or
// words reach, given what users and other programs really give.
func refusalCases() []refusal {
	long := strings.Repeat("Interviewer: a question?\n\nAna: "+strings.Repeat("word ", 40)+"\n\n", 6000) // ~1.5 MB
	return []refusal{
		// import: each format
		{name: "txt empty", args: []string{"import", "IN/e.txt"}, files: map[string]string{"e.txt": ""}, code: exitInvalid, say: "e.txt"},
		{name: "txt white space only", args: []string{"import", "IN/w.txt"}, files: map[string]string{"w.txt": " \n\t\n \n"}, code: exitInvalid, say: "w.txt"},
		{name: "txt binary", args: []string{"import", "IN/b.txt"}, files: map[string]string{"b.txt": "\x00\x01\x02ELF\x00\x00\xff\xfe\x00"}, code: exitInvalid, say: "b.txt"},
		{name: "txt over --max-size", args: []string{"import", "IN/big.txt", "--max-size", "1"}, files: map[string]string{"big.txt": long}, code: exitInvalid, say: "big.txt"},
		{name: "md empty", args: []string{"import", "IN/e.md"}, files: map[string]string{"e.md": ""}, code: exitInvalid, say: "e.md"},
		{name: "vtt without cues", args: []string{"import", "IN/n.vtt"}, files: map[string]string{"n.vtt": "WEBVTT\n\n"}, code: exitInvalid, say: "n.vtt"},
		{name: "vtt not captions", args: []string{"import", "IN/x.vtt"}, files: map[string]string{"x.vtt": "hello there\nthis is no caption file\n"}, code: exitInvalid, say: "x.vtt"},
		{name: "srt bad timestamps", args: []string{"import", "IN/t.srt"}, files: map[string]string{"t.srt": "1\n00:00:xx,000 --> 00:00:02,000\nAna: hi\n\n"}, code: exitInvalid, say: "t.srt"},
		{name: "srt empty", args: []string{"import", "IN/e.srt"}, files: map[string]string{"e.srt": ""}, code: exitInvalid, say: "e.srt"},
		{name: "docx that is text", args: []string{"import", "IN/t.docx"}, files: map[string]string{"t.docx": "Interviewer: hi\n"}, code: exitInvalid, say: "t.docx"},
		{name: "docx truncated", args: []string{"import", "IN/c.docx"}, files: map[string]string{"c.docx": zipOf(map[string]string{"word/document.xml": "<w:document/>"})[:40]}, code: exitInvalid, say: "c.docx"},
		{name: "docx without document", args: []string{"import", "IN/d.docx"}, files: map[string]string{"d.docx": zipOf(map[string]string{"other.xml": "<x/>"})}, code: exitInvalid, say: "d.docx"},
		{name: "docx document not XML", args: []string{"import", "IN/x.docx"}, files: map[string]string{"x.docx": zipOf(map[string]string{"word/document.xml": "<w:document><w:body><w:p>"})}, code: exitInvalid, say: "x.docx"},
		{name: "odt that is text", args: []string{"import", "IN/t.odt"}, files: map[string]string{"t.odt": "plain words"}, code: exitInvalid, say: "t.odt"},
		{name: "rtf that is not", args: []string{"import", "IN/t.rtf"}, files: map[string]string{"t.rtf": "no braces here"}, code: exitInvalid, say: "t.rtf"},
		{name: "rtf unbalanced", args: []string{"import", "IN/u.rtf"}, files: map[string]string{"u.rtf": `{\rtf1\ansi {\b Ana:} hello`}, code: exitInvalid, say: "u.rtf"},
		{name: "pdf that is not", args: []string{"import", "IN/t.pdf"}, files: map[string]string{"t.pdf": "%PDF-1.4\ngarbage"}, code: exitInvalid, say: "t.pdf"},
		{name: "csv empty", args: []string{"import", "IN/e.csv"}, files: map[string]string{"e.csv": ""}, code: exitInvalid, say: "e.csv"},
		{name: "csv header only", args: []string{"import", "IN/h.csv"}, files: map[string]string{"h.csv": "id,answer\n"}, code: exitInvalid, say: "h.csv"},
		{name: "csv unbalanced quote", args: []string{"import", "IN/q.csv"}, files: map[string]string{"q.csv": "id,answer\nr1,\"never closed\nr2,fine\n"}, code: exitInvalid, say: "q.csv"},
		{name: "csv unknown id column", args: []string{"import", "IN/s.csv", "--id-column", "who"}, files: map[string]string{"s.csv": "id,answer\nr1,We learnt a great deal from the nurses there.\n"}, code: exitInvalid, say: "who"},
		{name: "xlsx that is text", args: []string{"import", "IN/t.xlsx"}, files: map[string]string{"t.xlsx": "id,answer\n"}, code: exitInvalid, say: "t.xlsx"},
		{name: "qdpx that is text", args: []string{"import", "IN/t.qdpx"}, files: map[string]string{"t.qdpx": "not a zip"}, code: exitInvalid, say: "t.qdpx"},
		{name: "qdpx without project.qde", args: []string{"import", "IN/n.qdpx"}, files: map[string]string{"n.qdpx": zipOf(map[string]string{"sources/a.txt": "x"})}, code: exitInvalid, say: "n.qdpx"},
		{name: "qdpx project.qde not XML", args: []string{"import", "IN/x.qdpx"}, files: map[string]string{"x.qdpx": zipOf(map[string]string{"project.qde": "<Project"})}, code: exitInvalid, say: "x.qdpx"},
		{name: "import missing file", args: []string{"import", "IN/nowhere.txt"}, code: exitNotFound, say: "nowhere.txt"},
		{name: "import folder of nothing readable", args: []string{"import", "IN/"}, files: map[string]string{"notes.xyz": "x"}, code: exitInvalid, say: "folder"},
		{name: "import unknown --format", args: []string{"import", "IN/a.txt", "--format", "wav"}, files: map[string]string{"a.txt": interview}, code: exitInvalid, say: "--format"},
		{name: "import bad --speaker-pattern", args: []string{"import", "IN/a.txt", "--speaker-pattern", "([A-Z"}, files: map[string]string{"a.txt": interview}, code: exitInvalid, say: "--speaker-pattern"},
		{name: "import --max-size too large", args: []string{"import", "IN/a.txt", "--max-size", "100000"}, files: map[string]string{"a.txt": interview}, code: exitInvalid, say: "--max-size"},
		{name: "import --attributes missing", args: []string{"import", "IN/a.txt", "--attributes", "IN/none.csv"}, files: map[string]string{"a.txt": interview}, code: exitNotFound, say: "none.csv"},
		{name: "import --attributes of an unknown case", args: []string{"import", "IN/a.txt", "--attributes", "IN/at.csv"}, files: map[string]string{"a.txt": interview, "at.csv": "case,role\nZ99,nurse\n"}, code: exitNotFound, say: "Z99"},
		{name: "import other text under a taken name", args: []string{"import", "IN/P01.txt"}, files: map[string]string{"P01.txt": "Ana: Something else entirely, about budgets and flights.\n"}, code: exitConflict, say: "P01"},

		// codebook YAML
		{name: "codebook YAML syntax", args: []string{"codebook", "validate", "--codebook", "IN/cb.yaml"}, files: map[string]string{"cb.yaml": "name: t\ncodes:\n  - id: a\n   name: A\n"}, code: exitInvalid, say: "cb.yaml:"},
		{name: "codebook unknown field", args: []string{"codebook", "validate", "--codebook", "IN/cb.yaml"}, files: map[string]string{"cb.yaml": "name: t\ncodes:\n  - id: a\n    name: A\n    rulez: x\n"}, code: exitInvalid, say: "cb.yaml: 1 problem\n"},
		{name: "codebook duplicate id", args: []string{"codebook", "validate", "--codebook", "IN/cb.yaml"}, files: map[string]string{"cb.yaml": "name: t\ncodes:\n  - id: a\n    name: A\n  - id: a\n    name: B\n"}, code: exitInvalid, say: "cb.yaml:"},
		{name: "codebook unknown operator", args: []string{"codebook", "validate", "--codebook", "IN/cb.yaml"}, files: map[string]string{"cb.yaml": "name: t\ncodes:\n  - id: a\n    name: A\n    rule: humility NAER/3 modest\n"}, code: exitInvalid, say: "cb.yaml:"},
		{name: "codebook bad colour", args: []string{"codebook", "validate", "--codebook", "IN/cb.yaml"}, files: map[string]string{"cb.yaml": "name: t\ncodes:\n  - id: a\n    name: A\n    color: '#GGHHII'\n"}, code: exitInvalid, say: "cb.yaml:"},
		{name: "codebook empty", args: []string{"codebook", "validate", "--codebook", "IN/cb.yaml"}, files: map[string]string{"cb.yaml": ""}, code: exitInvalid, say: "cb.yaml"},
		{name: "codebook not found", args: []string{"code", "--codebook", "IN/none.yaml"}, code: exitNotFound, say: "none.yaml"},
		{name: "codebook import YAML with a bad rule", args: []string{"codebook", "import", "IN/cb.yaml", "--replace"}, files: map[string]string{"cb.yaml": "name: t\ncodes:\n  - id: a\n    name: A\n    rule: (humility\n"}, code: exitInvalid, say: "cb.yaml"},

		// .qdc
		{name: "qdc not XML", args: []string{"codebook", "import", "IN/c.qdc", "--replace"}, files: map[string]string{"c.qdc": "codes: none"}, code: exitInvalid, say: "c.qdc"},
		{name: "qdc wrong namespace", args: []string{"codebook", "import", "IN/c.qdc", "--replace"}, files: map[string]string{"c.qdc": qdcHead + `<CodeBook xmlns="urn:other"><Codes><Code guid="a1b2c3d4-0000-0000-0000-000000000001" name="A" isCodable="true"/></Codes></CodeBook>`}, code: exitInvalid, say: "c.qdc"},
		{name: "qdc duplicate GUIDs", args: []string{"codebook", "import", "IN/c.qdc", "--replace"}, files: map[string]string{"c.qdc": qdcHead + `<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="a1b2c3d4-0000-0000-0000-000000000001" name="A" isCodable="true"/><Code guid="a1b2c3d4-0000-0000-0000-000000000001" name="B" isCodable="true"/></Codes></CodeBook>`}, code: exitInvalid, say: "c.qdc"},
		{name: "qdc with a DTD", args: []string{"codebook", "import", "IN/c.qdc", "--replace"}, files: map[string]string{"c.qdc": qdcHead + `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="a1b2c3d4-0000-0000-0000-000000000001" name="&e;" isCodable="true"/></Codes></CodeBook>`}, code: exitInvalid, say: "c.qdc"},
		{name: "dic without codes", args: []string{"codebook", "import", "IN/c.dic", "--replace"}, files: map[string]string{"c.dic": "%\n%\nhumil*\n"}, code: exitInvalid, say: "c.dic"},

		// agreement tables
		{name: "agree table empty", args: []string{"agree", "--table", "IN/r.csv"}, files: map[string]string{"r.csv": ""}, code: exitInvalid, say: "r.csv"},
		{name: "agree table one coder", args: []string{"agree", "--table", "IN/r.csv"}, files: map[string]string{"r.csv": "unit,A\nu1,1\nu2,2\n"}, code: exitInvalid, say: "two coders"},
		{name: "agree unknown level", args: []string{"agree", "--table", "IN/r.csv", "--level", "cardinal"}, files: map[string]string{"r.csv": "unit,A,B\nu1,1,1\n"}, code: exitInvalid, say: "cardinal"},
		{name: "agree negative bootstrap", args: []string{"agree", "--table", "IN/r.csv", "--bootstrap", "-1"}, files: map[string]string{"r.csv": "unit,A,B\nu1,1,1\n"}, code: exitInvalid, say: "--bootstrap"},
		{name: "agree table missing", args: []string{"agree", "--table", "IN/none.csv"}, code: exitNotFound, say: "none.csv"},
		{name: "agree xlsx that is text", args: []string{"agree", "--table", "IN/r.xlsx"}, files: map[string]string{"r.xlsx": "unit,A,B\n"}, code: exitInvalid, say: "r.xlsx"},
		{name: "agree unknown coder", args: []string{"agree", "--table", "IN/r.csv", "--coders", "A,Z"}, files: map[string]string{"r.csv": "unit,A,B\nu1,1,1\n"}, code: exitInvalid, say: "Z"},

		// coding import
		{name: "coding import unknown source", args: []string{"coding", "import", "IN/c.csv"}, files: map[string]string{"c.csv": "segment,code,coder\nP99:s2,humility,amina\n"}, code: exitNotFound, say: "P99"},
		{name: "coding import unknown code", args: []string{"coding", "import", "IN/c.csv"}, files: map[string]string{"c.csv": "segment,code,coder\nP01:s2,humilty,amina\n"}, code: exitInvalid, say: "humilty"},
		{name: "coding import without a code column", args: []string{"coding", "import", "IN/c.csv"}, files: map[string]string{"c.csv": "segment,coder\nP01:s2,amina\n"}, code: exitInvalid, say: "c.csv"},
		{name: "coding import empty", args: []string{"coding", "import", "IN/c.csv"}, files: map[string]string{"c.csv": ""}, code: exitInvalid, say: "c.csv"},
		{name: "coding import bad segment", args: []string{"coding", "import", "IN/c.csv"}, files: map[string]string{"c.csv": "segment,code,coder\nP01:zz9,humility,amina\n"}, code: exitInvalid, say: "P01:zz9"},

		// search
		{name: "search unbalanced bracket", args: []string{"search", "(humility OR"}, code: exitInvalid, say: "humility"},
		{name: "search unknown operator", args: []string{"search", "humility NAER/3 modest"}, code: exitInvalid, say: "NEAR"},
		{name: "search empty", args: []string{"search", ""}, code: exitInvalid},
		{name: "search unknown syntax", args: []string{"search", "debrief", "--syntax", "regex"}, code: exitInvalid, say: "--syntax"},
		{name: "search limit not a number", args: []string{"search", "debrief", "--limit", "ten"}, code: exitInvalid, say: "--limit ten: say a whole number"},
		{name: "stdin memory not a number", args: []string{"code", "--stdin", "--memory", "64MB"}, stdin: "", code: exitInvalid, say: "--memory 64MB: say a whole number"},
		{name: "search bleve parentheses", args: []string{"search", "+((", "--syntax", "bleve"}, code: exitInvalid, say: "no parentheses"},
		{name: "search bleve AND", args: []string{"search", "debrief AND humility", "--syntax", "bleve"}, code: exitInvalid, say: "AND is a word to bleve"},
		{name: "search unknown source", args: []string{"search", "debrief", "--source", "P99"}, code: exitNotFound, say: "P99"},

		// code --stdin
		{name: "stdin malformed JSON", args: []string{"code", "--stdin"}, stdin: "{\"id\": \"1\", \"text\": \"we learnt\"}\n{\"id\": 2, \"text\": \n", code: exitInvalid, say: "stdin:2:"},
		{name: "stdin record too long", args: []string{"code", "--stdin", "--max-record", "1"}, stdin: "{\"id\":\"1\",\"text\":\"" + strings.Repeat("humility ", 200000) + "\"}\n", code: exitInvalid, say: "--max-record"},
		{name: "stdin memory out of range", args: []string{"code", "--stdin", "--memory", "-5"}, stdin: "{\"id\":\"1\",\"text\":\"humility\"}\n", code: exitInvalid, say: "--memory -5"},
		{name: "stdin without text", args: []string{"code", "--stdin"}, stdin: "{\"id\":\"1\",\"body\":\"humility\"}\n", code: exitInvalid, say: "text"},

		// the project's own data
		{name: "memo edit unknown", args: []string{"memo", "edit", "999", "x"}, code: exitNotFound, say: "999"},
		{name: "coding add unknown source", args: []string{"coding", "add", "P99:s1", "humility", "--coder", "amina"}, code: exitNotFound, say: "P99"},
		{name: "coding add unknown code", args: []string{"coding", "add", "P01:s2", "humilty", "--coder", "amina"}, code: exitNotFound, say: "humilty"},
		{name: "show unknown source", args: []string{"show", "P99"}, code: exitNotFound, say: "P99"},
		{name: "export to a missing folder", args: []string{"export", "xlsx", "IN/no/such/dir/r.xlsx"}, code: exitNotFound, say: "r.xlsx"},
	}
}

// snapshot returns every file under dir with a digest of its content,
// leaving out SQLite's shared-memory index (rebuilt by whoever opens the
// store).
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		switch {
		case d.IsDir() || strings.HasSuffix(path, "-shm"):
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			to, err := os.Readlink(path)
			out[rel] = "-> " + to
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if len(data) == 0 && strings.HasSuffix(path, "-wal") {
			return nil // an empty log is no log: SQLite makes and removes it as it opens and closes
		}
		sum := sha256.Sum256(data)
		out[rel] = hex.EncodeToString(sum[:8])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// oneLine is what every refusal prints on standard error.
var oneLine = regexp.MustCompile(`^qcode: [^\n]+\n$`)

// checkRefusal runs args on the project in dir and checks the refusal:
// the exit status, one line on standard error naming what is wrong, no
// stack trace, and nothing written: the project's files and the folder of
// inputs as they were.
func checkRefusal(t *testing.T, dir, in string, c refusal) {
	t.Helper()
	args := make([]string, len(c.args))
	for i, a := range c.args {
		args[i] = strings.Replace(a, "IN/", in+string(filepath.Separator), 1)
	}
	beforeProject, beforeIn := snapshot(t, dir), snapshot(t, in)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"--project", dir}, args...), strings.NewReader(c.stdin), &stdout, &stderr)
	msg := stderr.String()
	if code != c.code {
		t.Errorf("exit %d, want %d; said %q", code, c.code, msg)
	}
	if !oneLine.MatchString(msg) || strings.Contains(msg, "goroutine ") || strings.Contains(msg, "panic") {
		t.Errorf("said %q; want one line starting qcode:", msg)
	}
	if !strings.Contains(msg, c.say) {
		t.Errorf("said %q; want it to name %q", msg, c.say)
	}
	if after := snapshot(t, dir); !equalMaps(beforeProject, after) {
		t.Errorf("the project's files changed: %v, were %v", after, beforeProject)
	}
	if after := snapshot(t, in); !equalMaps(beforeIn, after) {
		t.Errorf("the input folder changed: %v, was %v", after, beforeIn)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// The bad-input catalogue: each case is refused with its exit status and
// one line naming what is wrong, and writes nothing.
func TestBadInputCatalogue(t *testing.T) {
	dir, _ := newProject(t)
	write(t, dir, "codebook.yaml", goodCodebook)
	mustRun(t, dir, "code")
	cases := refusalCases()
	if len(cases) < 60 {
		t.Fatalf("%d cases; the catalogue holds 60 or more", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := t.TempDir()
			for name, body := range c.files {
				write(t, in, name, body)
			}
			checkRefusal(t, dir, in, c)
		})
	}
}

// The projects a user may find themselves in: each is refused as the
// catalogue's cases are, with the project's files left as they were.
func TestBadProjectCatalogue(t *testing.T) {
	base, _ := newProject(t)
	db := func(dir string) string { return filepath.Join(dir, ".qcode", "project.db") }
	for _, c := range []struct {
		name  string
		spoil func(t *testing.T, dir string)
		args  []string
		code  int
		say   string
	}{
		{"damaged store", func(t *testing.T, dir string) {
			treetest.DamagePages(t, db(dir))
		}, []string{"sources"}, exitInternal, "is damaged"},
		{"store of a newer qcode", func(t *testing.T, dir string) {
			raw, err := sql.Open("sqlite", db(dir))
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			if _, err := raw.Exec("PRAGMA user_version = 99"); err != nil {
				t.Fatal(err)
			}
		}, []string{"sources"}, exitInvalid, "newer qcode"},
		{"store that is not SQLite", func(t *testing.T, dir string) {
			if err := os.WriteFile(db(dir), []byte(strings.Repeat("not a database ", 400)), 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{"sources"}, exitInternal, "project.db"},
		{"index lock a symbolic link", func(t *testing.T, dir string) {
			lock := filepath.Join(dir, ".qcode", "index.lock")
			os.Remove(lock)
			if err := os.Symlink(filepath.Join(t.TempDir(), "elsewhere"), lock); err != nil {
				t.Fatal(err)
			}
		}, []string{"index", "--rebuild"}, exitInvalid, "symbolic link"},
		{"store a folder", func(t *testing.T, dir string) {
			if err := os.Remove(db(dir)); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(db(dir), 0o755); err != nil {
				t.Fatal(err)
			}
		}, []string{"sources"}, exitInvalid, "project.db"},
		{"no project", func(t *testing.T, dir string) {
			if err := os.RemoveAll(filepath.Join(dir, ".qcode")); err != nil {
				t.Fatal(err)
			}
		}, []string{"sources"}, exitNotFound, "project"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := copyProject(t, base)
			c.spoil(t, dir)
			checkRefusal(t, dir, t.TempDir(), refusal{args: c.args, code: c.code, say: c.say})
		})
	}
}

// copyProject returns a copy of the project in base, for a test to spoil
// or kill a command in.
func copyProject(t *testing.T, base string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "study")
	if err := os.CopyFS(dir, os.DirFS(base)); err != nil {
		t.Fatal(err)
	}
	return dir
}
