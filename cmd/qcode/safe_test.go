package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file whose name holds terminal escapes (here: red text, a window
// title and a right-to-left override) is imported, and every line that
// names it (the import's, the sources table on a pipe, an error, the
// removal) shows the escapes written out, never the raw bytes.
func TestNamesWithEscapesPrintedSafely(t *testing.T) {
	dir, in := newProject(t)
	name := "P02\x1b[31mred\x1b]0;pwned\x07\u202egnp"
	path := write(t, in, name+".txt", otherInterview)
	shown := `P02\x1b[31mred\x1b]0;pwned\x07\u202egnp`
	check := func(what, text, want string) {
		t.Helper()
		if strings.ContainsAny(text, "\x1b\x07\u202e") || !strings.Contains(text, want) {
			t.Errorf("%s: got %q, want it to hold %q and no raw escape", what, text, want)
		}
	}
	code, out, errs := qcodeRun(t, dir, "import", path)
	if code != 0 {
		t.Fatal(errs)
	}
	check("import", out, filepath.Join(in, shown)+".txt: imported "+shown+": 2 speakers")
	_, out, _ = qcodeRun(t, dir, "sources")
	check("sources", out, "\n"+shown+"\ttxt\t")
	_, _, errs = qcodeRun(t, dir, "memo", "add", name+"x", "a note")
	check("error", errs, "qcode: ")
	_, _, errs = qcodeRun(t, dir, "import", path, "--format", "xyz"+name)
	check("error naming a flag's value", errs, `--format xyz`+shown)
	_, out, _ = qcodeRun(t, dir, "show", name)
	check("show", out, shown+" (txt, ")
	_, out, _ = qcodeRun(t, dir, "search", "midwives")
	check("search", out, shown+":s")
	_, out, _ = qcodeRun(t, dir, "log")
	check("log", out, "\t"+shown+"\t")
	// The confirmations of writing commands name it the same way.
	_, out, _ = qcodeRun(t, dir, "memo", "add", name, "a note")
	check("memo add", out, "added memo 1 on "+shown+",")
	_, out, _ = qcodeRun(t, dir, "memo", "edit", "1", "a longer note")
	check("memo edit", out, "edited memo 1 on "+shown+"\n")
	_, out, _ = qcodeRun(t, dir, "memo", "rm", "1")
	check("memo rm", out, "removed memo 1 on "+shown+":")
	_, out, _ = qcodeRun(t, dir, "coding", "add", name+":s2", "type_technical", "--coder", "amina")
	check("coding add", out, "coded "+shown+":s2 type_technical (by amina)")
	_, out, _ = qcodeRun(t, dir, "coding", "change", name+":s2", "type_technical", "--to", name+":s3", "--coder", "amina")
	check("coding change", out, "to "+shown+":s3 type_technical")
	_, out, _ = qcodeRun(t, dir, "coding", "rm", name+":s3", "type_technical", "--coder", "amina")
	check("coding rm", out, "removed type_technical from "+shown+":s3 (by amina)")
	_, out, _ = qcodeRun(t, dir, "sources", "rm", name)
	check("sources rm", out, "removed "+shown+": ")
	if _, err := os.Stat(filepath.Join(dir, ".qcode")); err != nil {
		t.Fatal(err)
	}
}

func TestSafe(t *testing.T) {
	for in, want := range map[string]string{
		"P01":                 "P01",
		"Zoë\tNdlovu\n":       "Zoë\tNdlovu\n",
		"a\rb":                `a\x0db`,
		"\x1b[2J":             `\x1b[2J`,
		"x\u0085y\u202ez\x7f": `x\u0085y\u202ez\x7f`,
	} {
		if got := safe(in); got != want {
			t.Errorf("safe(%q) = %q, want %q", in, got, want)
		}
	}
}

// A TSV cell written in one pass is the cell cleaned and made safe, as a
// table on a pipe prints it.
func FuzzTSVCell(f *testing.F) {
	for _, s := range []string{"", "plain", "tab\there", "line\nbreak", "bell\a", "del\x7f", "c1\u0085", "bidi\u202e", "it’s", "\xff\t\x01", "zoë\u00a0x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendTSVCell([]byte("x\t"), s)), "x\t"+safe(tsvCell.Replace(s)); got != want {
			t.Errorf("cell %q: %q, want %q", s, got, want)
		}
	})
}
