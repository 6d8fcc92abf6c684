package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"qcode/project"
)

// TestDemo runs the demo end to end on the bundled sample corpus and checks
// what a researcher would: every interview and survey respondent is there
// with its speakers and case attributes, every span slices the text, and the
// workbook opens with its sheets.
func TestDemo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	out := filepath.Join(t.TempDir(), "demo.xlsx")
	code, stdout, errs := qcodeRun(t, "", "demo", "--dir", dir, "--out", out)
	if code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errs)
	}
	for _, want := range []string{"P01.txt: imported P01", "survey.csv: 18 sources", "cases.csv: set", "== Coding with the rules of codebook.yaml", "humility", "rules codings in the project"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}

	code, stdout, errs = qcodeRun(t, dir, "sources", "--json")
	if code != 0 {
		t.Fatal(errs)
	}
	var srcs []project.SourceInfo
	if err := json.Unmarshal([]byte(stdout), &srcs); err != nil {
		t.Fatal(err)
	}
	interviews, respondents := 0, 0
	formats := map[string]bool{}
	for _, s := range srcs {
		formats[s.Format] = true
		attrs := map[string]string{}
		for _, a := range s.Attributes {
			attrs[a.Name] = a.Value
		}
		if strings.HasPrefix(s.Name, "P") {
			interviews++
			if len(s.Speakers) != 2 && len(s.Speakers) != 3 {
				t.Errorf("%s: speakers %v, want the interviewer(s) and the participant", s.Name, s.Speakers)
			}
			if s.Words < 1500 || s.Words > 4000 {
				t.Errorf("%s: %d words, want 1,500–4,000", s.Name, s.Words)
			}
			if attrs["role"] != "NHS" && attrs["role"] != "partner" {
				t.Errorf("%s: role %q", s.Name, attrs["role"])
			}
			if attrs["country"] == "" || attrs["partnership"] == "" {
				t.Errorf("%s: attributes %v lack country or partnership", s.Name, attrs)
			}
		} else {
			respondents++
			if attrs["role"] == "" {
				t.Errorf("respondent %s has no role", s.Name)
			}
		}
	}
	if interviews != 12 || respondents != 18 {
		t.Errorf("%d interviews and %d respondents, want 12 and 18", interviews, respondents)
	}
	for _, f := range []string{"txt", "md", "docx", "vtt", "srt", "csv"} {
		if !formats[f] {
			t.Errorf("no source of format %s", f)
		}
	}

	// Character spans in `show --json` slice the stored text exactly.
	for _, name := range []string{"P02", "P05", "P07", "P09", "S03"} {
		code, stdout, errs = qcodeRun(t, dir, "show", name, "--sentences", "--json")
		if code != 0 {
			t.Fatal(errs)
		}
		var src struct {
			Turns []struct {
				Text      string `json:"text"`
				Start     int    `json:"start"`
				Sentences []struct {
					Start, End int
					Text       string
				} `json:"sentences"`
			} `json:"turns"`
		}
		if err := json.Unmarshal([]byte(stdout), &src); err != nil {
			t.Fatal(err)
		}
		for _, tu := range src.Turns {
			runes := []rune(tu.Text)
			for _, s := range tu.Sentences {
				if got := string(runes[s.Start-tu.Start : s.End-tu.Start]); got != s.Text {
					t.Errorf("%s: sentence [%d,%d) slices %q, says %q", name, s.Start, s.End, got, s.Text)
				}
			}
		}
	}

	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The results workbook (checked in depth in export_test.go).
	if got := strings.Join(f.GetSheetList(), ","); got != "About,Codebook,Frequencies,Code x Source (coded segments),Code x role (cases),Code x country (cases),Code x partnership (cases),Code x site (cases),Co-occurrence,Codings,Segments,Framework,Framework quotes,Agreement,Disagreements,Memos" {
		t.Errorf("sheets %s", got)
	}
	rows, err := f.GetRows("Framework")
	if err != nil || len(rows) != len(srcs)+1 {
		t.Errorf("Framework sheet has %d rows, want a row per case and the header (%d)", len(rows), len(srcs)+1)
	}

	// Running the demo again on the same folder changes nothing.
	code, stdout, errs = qcodeRun(t, "", "demo", "--dir", dir)
	if code != 0 || strings.Contains(stdout, ": imported P") || !strings.Contains(stdout, "unchanged") || !strings.Contains(stdout, "imported 0 codings by amina (268 already there") {
		t.Errorf("second demo run: exit %d, output %q %q", code, stdout, errs)
	}
}
