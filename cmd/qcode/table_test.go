package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// ttyRun runs qcode as on a terminal, whose width is $COLUMNS.
func ttyRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	e := newEnv(strings.NewReader(""), &out, &errb)
	e.outTTY = true
	root := newRootCmd(e)
	root.SetArgs(append([]string{"--project", dir}, args...))
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("qcode %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

func widestLine(s string) (int, string) {
	w, line := 0, ""
	for _, l := range strings.Split(s, "\n") {
		if n := utf8.RuneCountInString(l); n > w {
			w, line = n, l
		}
	}
	return w, line
}

func TestReportsFitTheTerminal(t *testing.T) {
	dir, _ := newCodedProject(t)
	mustRun(t, dir, "attributes", "import", write(t, t.TempDir(), "cases.csv", "case,role,partnership,site\nP01,NHS,Northbridge–Gulu Surgical Partnership,Northbridge General Hospital\n"))
	piped := map[string]string{}
	reports := [][]string{{"freq"}, {"freq", "--own"}, {"matrix"}, {"matrix", "--by", "attr:site"}, {"cooccur"}, {"framework"}}
	for _, r := range reports {
		piped[strings.Join(r, " ")] = mustRun(t, dir, append([]string{"report"}, r...)...)
	}
	t.Setenv("COLUMNS", "60")
	for _, r := range reports {
		args := append([]string{"report"}, r...)
		out := ttyRun(t, dir, args...)
		if w, l := widestLine(out); w > 60 {
			t.Errorf("%s: a line of %d characters on a terminal of 60:\n%s", strings.Join(args, " "), w, l)
		}
		wide := ttyRun(t, dir, append(args, "--wide")...)
		if w, _ := widestLine(wide); r[0] != "matrix" && w <= 60 {
			t.Errorf("%s --wide: %d characters wide; want the table whole:\n%s", strings.Join(args, " "), w, wide)
		}
		// A pipe has every cell whole, whatever the terminal's width.
		if got := mustRun(t, dir, args...); got != piped[strings.Join(r, " ")] {
			t.Errorf("%s piped changed with $COLUMNS:\n%s", strings.Join(args, " "), got)
		}
	}
	// The co-occurrence matrix's codes as columns are lettered, with a key.
	out := ttyRun(t, dir, "report", "cooccur")
	for _, want := range []string{"CODE                         A  B  C  D  E  F\n", "\nA moral_imperative   B top_down_teaching"} {
		if !strings.Contains(out, want) {
			t.Errorf("cooccur at 60 lacks %q:\n%s", want, out)
		}
	}
	if wide := ttyRun(t, dir, "report", "cooccur", "--wide"); !strings.Contains(wide, "MORAL_IMPERATIVE") || strings.Contains(wide, "\nA moral_imperative") {
		t.Errorf("cooccur --wide is lettered:\n%s", wide)
	}
	// The framework is cut into blocks of columns that fit, each led by
	// the case, and is whole on a line with --wide.
	out, wide := ttyRun(t, dir, "report", "framework"), ttyRun(t, dir, "report", "framework", "--wide")
	if !strings.Contains(wide, "Northbridge–Gulu Surgical Partnership") || !strings.Contains(wide, "P01:s3, P01:s4, P01:s7") ||
		strings.Count(out, "\nCASE ") < 1 || !strings.Contains(out, "Northbridge–Gulu Surgical Partnership") {
		t.Errorf("framework at 60:\n%s\n--wide:\n%s", out, wide)
	}
}
