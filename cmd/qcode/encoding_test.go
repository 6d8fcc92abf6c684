package main

import (
	"strings"
	"testing"
)

// Tables of attributes and of codings saved by an old Windows program are
// read as Windows-1252, and the import says so, as it does for a
// transcript.
func TestTablesSayTheirEncoding(t *testing.T) {
	dir, in := newProject(t)
	for _, c := range []struct {
		args []string
		file string
	}{
		{[]string{"attributes", "import"}, write(t, in, "cases.csv", "case,role,site\nP01,consultant anaesthetist,Caf\xe9 Gulu\n")},
		{[]string{"coding", "import"}, write(t, in, "amina.csv", "segment,code,coder,memo\nP01:s2,humility,amina,na\xefve at first\n")},
	} {
		code, out, errs := qcodeRun(t, dir, append(c.args, c.file)...)
		if code != 0 {
			t.Fatalf("%s: %s", c.args, errs)
		}
		if want := c.file + ": not UTF-8; read as Windows-1252\n"; !strings.HasPrefix(out, want) {
			t.Errorf("%s: got %q, want it to start %q", c.args, out, want)
		}
	}
	_, out, _ := qcodeRun(t, dir, "attributes", "list")
	if !strings.Contains(out, "Café Gulu") {
		t.Errorf("attributes list: %q, want Café Gulu", out)
	}
	// A UTF-8 file gets no such line.
	_, out, _ = qcodeRun(t, dir, "attributes", "import", write(t, in, "cases2.csv", "case,role\nP01,Zoë's ward\n"))
	if strings.Contains(out, "not UTF-8") {
		t.Errorf("a UTF-8 file: %q", out)
	}
}

// A reliability table and a file of labelled quotes saved as Windows-1252
// are read as such, and agree --table and codebook validate-on say so on
// standard error, leaving standard output the table a script reads; --json
// gives it as "encoding".
func TestMeasuresSayTheirEncoding(t *testing.T) {
	dir, in := newProject(t)
	table := write(t, in, "ratings.csv", "unit,Am\xefna,Ben\nu1,yes,yes\nu2,no,yes\nu3,no,no\nu4,yes,yes\n")
	quotes := write(t, in, "quotes.csv", "id,text,codes\nq1,\"We came back humbled, and na\xefve no more.\",type_cultural\nq2,The caf\xe9 was where we talked.,type_technical\n")
	for _, c := range []struct {
		file string
		args []string
		text string // what the file holds, read right
	}{
		{table, []string{"agree", "--table", table, "--bootstrap", "0"}, ""},
		{quotes, []string{"codebook", "validate-on", quotes, "--show-errors", "5"}, "The café was where we talked."},
	} {
		code, out, errs := qcodeRun(t, dir, c.args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.args, code, errs)
		}
		if want := c.file + ": not UTF-8; read as Windows-1252\n"; errs != want {
			t.Errorf("%s: said %q on standard error, want %q", c.args, errs, want)
		}
		if strings.Contains(out, "not UTF-8") || !strings.Contains(out, c.text) {
			t.Errorf("%s: standard output %q; want the table alone, holding %q", c.args, out, c.text)
		}
		code, out, _ = qcodeRun(t, dir, append(c.args, "--json")...)
		if code != 0 || !strings.Contains(out, `"encoding": "Windows-1252"`) {
			t.Errorf("%s --json: exit %d, %s; want \"encoding\": \"Windows-1252\"", c.args, code, out)
		}
	}
	// A UTF-8 file gets no such line.
	_, _, errs := qcodeRun(t, dir, "agree", "--table", write(t, in, "utf8.csv", "unit,Zoë,Ben\nu1,yes,yes\nu2,no,no\n"), "--bootstrap", "0")
	if errs != "" {
		t.Errorf("a UTF-8 table: said %q", errs)
	}
}
