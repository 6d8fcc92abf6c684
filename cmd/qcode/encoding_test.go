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
