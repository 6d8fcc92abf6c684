package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"qcode/coding/report"
	"qcode/export"
)

// The interview of newProject, sentence by sentence, with its words
// counted by hand (39 in all):
//
//	s1 Interviewer: What made you join the partnership?              6
//	s2 Dr Marsh:    Honestly?                                        1
//	s3              I wanted to help.                                4  moral_imperative (rules), humility (amina)
//	s4              I thought we had so much to teach.               8  top_down_teaching (rules)
//	s5 Interviewer: And did you learn anything?                      5
//	s6 Dr Marsh:    Yes.                                             1
//	s7              Their triage was better than ours — we never    14  learning_from_partner, absent_debriefs,
//	                had a debrief about it, though.                      type_technical (rules)

// tsv returns the rows of a report printed on a pipe, keyed by their first
// cell (and the fourth, for a split report).
func tsv(t *testing.T, out string) (header []string, rows map[string][]string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	header = strings.Split(lines[0], "\t")
	rows = map[string][]string{}
	for _, l := range lines[1:] {
		f := strings.Split(l, "\t")
		if len(f) != len(header) {
			t.Fatalf("row %q has %d cells, the header %d", l, len(f), len(header))
		}
		rows[f[0]] = f
	}
	return header, rows
}

func TestReportCommands(t *testing.T) {
	dir, in := newCodedProject(t)
	mustRun(t, dir, "attributes", "import", write(t, in, "cases.csv", "case,role,years\nP01,NHS,4\n"))

	h, rows := tsv(t, mustRun(t, dir, "report", "freq"))
	if got := strings.Join(h, ","); got != "code,path,level,includes_sub_codes,codings,coded_segments,sources,cases,cases_pct,words,coverage_pct" {
		t.Errorf("freq header %s", got)
	}
	for code, want := range map[string]string{
		"moral_imperative":      "4 no 1 1 1 1 100 4 10.3",  // s3: 4 of 39 words
		"top_down_teaching":     "4 no 1 1 1 1 100 8 20.5",  // s4
		"learning_from_partner": "4 no 1 1 1 1 100 14 35.9", // s7
		"humility":              "3 no 1 1 1 1 100 4 10.3",  // amina's s3
		// Nothing of its own; with its sub-code absent_debriefs, s7.
		"barriers": "2 yes 1 1 1 1 100 14 35.9",
	} {
		if got := strings.Join(rows[code][2:], " "); got != want {
			t.Errorf("freq %s: %s, want %s", code, got, want)
		}
	}
	// Aspects of the partnership: absent_debriefs on s7 and humility on
	// s3, 14 + 4 words; none of its own.
	h, rows = tsv(t, mustRun(t, dir, "report", "freq", "--own"))
	if got := strings.Join(rows["partnership_aspects"][2:], " "); got != "1 yes 2 2 1 1 100 18 46.2 0 0 0 0 0 0 0" {
		t.Errorf("freq --own partnership_aspects: %s", got)
	}
	if got := strings.Join(h[len(h)-7:], ","); got != "codings_own,coded_segments_own,sources_own,cases_own,cases_pct_own,words_own,coverage_pct_own" {
		t.Errorf("freq --own header %v", h)
	}
	out := mustRun(t, dir, "report", "freq", "--split", "coder")
	if !strings.Contains(out, "humility\tAspects of the partnership > Enablers > Humility\t3\tamina\tno\t1\t1\t") ||
		!strings.Contains(out, "humility\tAspects of the partnership > Enablers > Humility\t3\trules\tno\t0\t0\t") {
		t.Errorf("freq --split coder lacks humility by amina and rules:\n%s", out)
	}
	if _, rows = tsv(t, mustRun(t, dir, "report", "freq", "--coder", "amina")); rows["moral_imperative"][4] != "0" || rows["humility"][4] != "1" {
		t.Errorf("freq --coder amina: %v %v", rows["moral_imperative"], rows["humility"])
	}

	// JSON: an array of objects with the columns as fields, in order.
	var objs []map[string]any
	out = mustRun(t, dir, "report", "freq", "--json")
	if err := json.Unmarshal([]byte(out), &objs); err != nil {
		t.Fatal(err)
	}
	if len(objs) != 29 || objs[4]["code"] != "moral_imperative" || objs[4]["words"] != 4.0 || objs[4]["coverage_pct"] != 10.3 {
		t.Errorf("freq --json: %d objects, the fifth %v", len(objs), objs[4])
	}
	if !strings.Contains(out, `"code": "moral_imperative",`+"\n"+`    "path": `) {
		t.Errorf("freq --json does not keep the columns' order:\n%s", out[:300])
	}

	// CSV, with the same columns.
	recs, err := csv.NewReader(strings.NewReader(mustRun(t, dir, "report", "matrix", "--by", "attr:role", "--percent", "row", "--csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "code,path,NHS,total_coded_segments,NHS_pct" {
		t.Errorf("matrix header %s", got)
	}
	// s3, s4 and s7 are coded; s3 twice, but it is one segment: the
	// total is less than the sum, and the last row says why.
	if last := recs[len(recs)-2]; strings.Join(last, ",") != "total,,3,3,100" {
		t.Errorf("matrix total row %v, want the 3 coded segments", last)
	}
	if note := recs[len(recs)-1]; strings.Join(note[1:], "") != "" || !strings.HasPrefix(note[0], "The total row counts the coded segments of every code together, each once: a segment with two codes counts once there") {
		t.Errorf("matrix note %q", note)
	}

	// Co-occurrence: s3 holds moral_imperative and humility, s7
	// learning_from_partner, absent_debriefs and type_technical.
	h, rows = tsv(t, mustRun(t, dir, "report", "cooccur"))
	if got := strings.Join(h[2:], ","); got != "moral_imperative,top_down_teaching,learning_from_partner,absent_debriefs,humility,type_technical" {
		t.Errorf("cooccur codes %s", got)
	}
	if got := strings.Join(rows["humility"][2:], " "); got != "1 0 0 0 1 0" {
		t.Errorf("cooccur humility: %s", got)
	}
	out = mustRun(t, dir, "report", "cooccur", "--pairs", "--rollup")
	for _, want := range []string{
		"code_a\tcode_b\tcount\tjaccard\n",
		// s3 and s7 are the segments of Aspects of the partnership, both
		// of Bidirectional learning's s3 s4 s7: 2 of 3.
		"bidirectional_learning\tpartnership_aspects\t2\t0.667\n",
		"learning_from_partner\tabsent_debriefs\t1\t1\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("cooccur --pairs --rollup lacks %q:\n%s", want, out)
		}
	}
	_, rows = tsv(t, mustRun(t, dir, "report", "cooccur", "--overlap", "--jaccard"))
	if got := rows["moral_imperative"][6]; got != "1" {
		t.Errorf("overlap Jaccard of moral_imperative and humility, which code the same characters: %s", got)
	}

	// The Framework matrix: a summary written on a cell leads it, then
	// the references of the case's quotes on the theme (the same
	// sentences as the codings above), then the attributes.
	mustRun(t, dir, "framework", "set", "P01", "bidirectional_learning", "Helping, then learning (P01:s7)")
	recs, err = csv.NewReader(strings.NewReader(mustRun(t, dir, "report", "framework", "--attrs", "role", "--csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"P01", "Helping, then learning (P01:s7)\n\nP01:s3, P01:s4, P01:s7", "P01:s3, P01:s7", "P01:s7", "NHS"} // s7 is also type_technical: "Their triage…"
	if strings.Join(recs[1], "|") != strings.Join(want, "|") {
		t.Errorf("framework row\n%q\nwant\n%q", recs[1], want)
	}
	// 'qcode framework' is the same matrix; --quotes lists the quotes.
	if got := mustRun(t, dir, "framework", "--attrs", "role", "--csv"); got != mustRun(t, dir, "report", "framework", "--attrs", "role", "--csv") {
		t.Errorf("qcode framework differs from qcode report framework:\n%s", got)
	}
	recs, err = csv.NewReader(strings.NewReader(mustRun(t, dir, "framework", "--quotes", "--csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[1], "|"); got != "P01|bidirectional_learning|P01:s3|Dr Marsh|I wanted to help." {
		t.Errorf("first quote %s", got)
	}

	// On a terminal: codes indented by depth instead of their path, and a
	// summary.
	var buf bytes.Buffer
	e := newEnv(strings.NewReader(""), &buf, &buf)
	e.projectDir, e.outTTY = dir, true
	if err := runReport(context.Background(), e, reportOptions{kind: "freq", coder: "all"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CODE  ", "\n      moral_imperative ", "\n    absent_debriefs ", "6 codings by every coder; 2 coders, 39 words"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("terminal output lacks %q:\n%s", want, buf.String())
		}
	}
	if strings.Contains(buf.String(), "Bidirectional learning >") {
		t.Errorf("terminal output shows paths:\n%s", buf.String())
	}
}

// TestWorkbookText feeds the workbook text a spreadsheet would take for a
// formula, quoted from a transcript and in memos, and an answer longer than
// a cell holds, and checks that the workbook and the CSV files keep every
// character as text.
func TestWorkbookText(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "study")
	in := t.TempDir()
	var long strings.Builder
	for i := 0; long.Len() < 80000; i++ {
		long.WriteString("and then the ward sister 🙂 showed us how the triage board worked on the night shift ")
	}
	answer := strings.TrimSpace(long.String())
	write(t, in, "P01.txt", "Interviewer: What did you type?\nAma: =SUM(A1:A3) was the formula we used.\n"+
		"Interviewer: And the number?\nAma: +44 20 7946 0000 is the ward.\n"+
		"Interviewer: Anything else?\nAma: -5 degrees in the store room. @nurse_lead saw it.\n"+
		"Interviewer: Tell me everything.\nAma: "+answer+"\n")
	mustRun(t, "", "init", dir)
	mustRun(t, dir, "import", filepath.Join(in, "P01.txt"))
	for _, args := range [][]string{
		{"P01:s2", "humility", "--memo", "=1+1"},
		{"P01:s4", "humility", "--memo", "+1"},
		{"P01:s6", "humility", "--memo", "-1"},
		{"P01:s7", "humility", "--memo", "@SUM(1)"},
		{"P01:t2", "risk_aversion", "--memo", "\tindented"},
		{"P01:t8", "risk_aversion", "--memo", "\rreturn"},
		{"P01", "humility"},
	} {
		mustRun(t, dir, append([]string{"coding", "add", "--coder", "amina"}, args...)...)
	}
	xlsx := filepath.Join(t.TempDir(), "r.xlsx")
	mustRun(t, dir, "export", "xlsx", xlsx)
	csvDir := filepath.Join(t.TempDir(), "csv")
	mustRun(t, dir, "export", "csv", csvDir)

	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	quotes := []string{"=SUM(A1:A3) was the formula we used.", "+44 20 7946 0000 is the ward.", "-5 degrees in the store room.", "@nurse_lead saw it."}
	memos := []string{"=1+1", "+1", "-1", "@SUM(1)", "\tindented", "\rreturn"}
	found := map[string]bool{}
	for _, name := range []string{"Codings", "Segments"} {
		rows, err := f.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, _ := f.GetCellFormula(name, cell); formula != "" {
					t.Errorf("%s!%s is the formula %q", name, cell, formula)
				}
				for _, q := range append(quotes, memos...) {
					if v == q {
						found[q] = true
						if typ, _ := f.GetCellType(name, cell); typ != excelize.CellTypeInlineString {
							t.Errorf("%s!%s %q is of type %v, want a string", name, cell, v, typ)
						}
					}
				}
			}
		}
	}
	for _, q := range append(quotes, memos...) {
		if !found[q] {
			t.Errorf("the workbook does not hold %q as it is", q)
		}
	}

	// The answer is one sentence of more than 80,000 characters. In
	// Segments, in the codings of its turn and of the whole source, and in
	// the Framework, it goes on in rows below, marked, and nothing is
	// lost.
	for _, c := range []struct {
		sheet, key, text, id string
		want                 func(string) bool
	}{
		{"Segments", "segment", "text", "P01:s9", func(s string) bool { return s == answer }},
		{"Codings", "segment", "text", "P01:t8", func(s string) bool { return s == answer }},
		{"Codings", "segment", "text", "P01", func(s string) bool {
			return s == report.FoldLines(string(mustReadFile(t, filepath.Join(in, "P01.txt"))))
		}},
		{"Framework quotes", "ref", "quote", "P01", func(s string) bool {
			return s == strings.TrimSpace(string(mustReadFile(t, filepath.Join(in, "P01.txt"))))
		}},
	} {
		text, parts := continued(t, f, c.sheet, c.key, c.text, c.id)
		if parts < 3 {
			t.Errorf("%s %s: the long text is in %d parts, want at least 3", c.sheet, c.id, parts)
		}
		if !c.want(text) {
			t.Errorf("%s %s: the parts join to %d characters that are not the text", c.sheet, c.id, len([]rune(text)))
		}
	}

	// CSV holds text whole, escaped where it starts like a formula.
	data, err := os.ReadFile(filepath.Join(csvDir, "segments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range quotes {
		if !strings.Contains(string(data), "'"+q) {
			t.Errorf("segments.csv lacks %q", "'"+q)
		}
	}
	if !strings.Contains(string(data), answer) {
		t.Errorf("segments.csv does not hold the long answer whole")
	}
	recs, err := csv.NewReader(bytes.NewReader(mustReadFile(t, filepath.Join(csvDir, "codings.csv")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	memo := 0
	for i, h := range recs[0] {
		if h == "memo" {
			memo = i
		}
	}
	var got []string
	for _, r := range recs[1:] {
		if r[memo] != "" {
			got = append(got, r[memo])
		}
	}
	slices.Sort(got)
	if strings.Join(got, "|") != "'\tindented|'\rreturn|'+1|'-1|'=1+1|'@SUM(1)" {
		t.Errorf("codings.csv memos %q", got)
	}
}

// continued returns the text in column text of the row whose column key is
// id, joined with the rows that continue it (marked, with key empty and
// the first column repeated), and how many parts it was in.
func continued(t *testing.T, f *excelize.File, sheetName, key, text, id string) (string, int) {
	t.Helper()
	h, rows := sheet(t, f, sheetName)
	k, c := column(t, h, key), column(t, h, text)
	for i, r := range rows {
		if r[k] != id {
			continue
		}
		whole, parts := r[c], 1
		for _, next := range rows[i+1:] {
			if (k != 0 && next[k] != "") || next[0] != r[0] || !strings.HasPrefix(next[c], export.ContinuedMark) {
				break
			}
			if !strings.HasSuffix(whole, export.ContinuesMark) {
				t.Errorf("%s %s: a part does not end with the mark", sheetName, id)
			}
			whole = strings.TrimSuffix(whole, export.ContinuesMark) + strings.TrimPrefix(next[c], export.ContinuedMark)
			parts++
		}
		for _, r := range rows {
			for _, v := range r {
				if n := len(utf16.Encode([]rune(v))); n > export.MaxCellChars {
					t.Errorf("%s: a cell of %d UTF-16 units", sheetName, n)
				}
			}
		}
		return whole, parts
	}
	t.Errorf("%s: no row %s", sheetName, id)
	return "", 0
}

func mustReadFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCountsNamedAlike: a count has one name, the same on a terminal, in
// CSV and in the workbook, and the workbook's Code x role sheet is the
// matrix 'qcode report matrix' prints with the same options, notes and
// all.
func TestCountsNamedAlike(t *testing.T) {
	dir, in := newCodedProject(t)
	mustRun(t, dir, "attributes", "import", write(t, in, "cases.csv", "case,role\nP01,NHS\n"))
	xlsx := filepath.Join(t.TempDir(), "results.xlsx")
	mustRun(t, dir, "export", "xlsx", xlsx, "--attrs", "role")
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The terminal's header: upper case, without the path column, whole
	// with --wide.
	termHeader := func(out string) string {
		line, _, _ := strings.Cut(out, "\n")
		return strings.Join(strings.Fields(line), ",")
	}
	withoutPath := func(h []string) string {
		return strings.Join(slices.DeleteFunc(slices.Clone(h), func(s string) bool { return s == "path" }), ",")
	}
	for _, c := range []struct {
		sheet string
		args  []string
	}{
		{"Frequencies", []string{"report", "freq", "--own"}},
		{"Code x role (cases)", []string{"report", "matrix", "--by", "attr:role", "--count", "cases", "--rollup", "--percent", "column"}},
	} {
		recs, err := csv.NewReader(strings.NewReader(mustRun(t, dir, append(c.args, "--csv")...))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		h, rows := sheet(t, f, c.sheet)
		if !slices.Equal(recs[0], h) {
			t.Errorf("%s: CSV header %v, sheet header %v", c.sheet, recs[0], h)
		}
		term := ttyRun(t, dir, append(c.args, "--wide")...)
		if got := termHeader(term); !strings.EqualFold(got, withoutPath(h)) {
			t.Errorf("%s: terminal header %s, sheet header %s", c.sheet, got, withoutPath(h))
		}
		// The rows, then the notes: under a blank row in the sheet, last
		// in the CSV, below the table on the terminal.
		body, ns := notes(rows)
		if len(recs) != 1+len(body)+len(ns) {
			t.Fatalf("%s: %d CSV rows, %d sheet rows and %d notes", c.sheet, len(recs), len(body), len(ns))
		}
		for i, r := range body {
			if !slices.Equal(recs[1+i], r) {
				t.Errorf("%s row %d: CSV %v, sheet %v", c.sheet, i, recs[1+i], r)
			}
		}
		for i, n := range ns {
			if recs[1+len(body)+i][0] != n || !strings.Contains(term, "\n"+n+"\n") {
				t.Errorf("%s: note %q is not in the CSV and below the terminal's table:\n%s", c.sheet, n, term)
			}
		}
		if c.sheet != "Frequencies" && len(ns) != 1 {
			t.Errorf("%s: notes %q, want why the total row is less than the sum", c.sheet, ns)
		}
	}
}
