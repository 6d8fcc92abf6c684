package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"qcode"
	"qcode/app"
	"qcode/coding"
)

// pilotCodebook is a small team's codebook: two enablers under a grouping
// code, a barrier, and a code with no rule yet.
const pilotCodebook = `name: Pilot
match: exact
codes:
  - id: enablers
    name: Enablers
    codes:
      - id: humility
        name: Humility
        rule: humility OR humble
      - id: debriefs
        name: Active debriefs
        rule: debrief*
  - id: risk_aversion
    name: Risk aversion
    rule: '"risk averse" OR litigation'
  - id: funding
    name: Funding
`

// pilotQuotes are eight quotes a person coded by hand, as a team's pilot
// coding would come: an id, the text and the codes.
var pilotQuotes = []struct{ id, text, codes string }{
	{"q1", "We came back humbled, and a lot more humble about what we knew.", "humility"},
	{"q2", "The debrief after each visit was where the real learning happened.", "debriefs"},
	{"q3", "Nobody sat us down afterwards; it all just faded.", "debriefs"},
	{"q4", "In the NHS everything is about litigation, so we rarely try anything new.", "risk_aversion"},
	{"q5", "Their humility with so little equipment put us to shame.", "funding"},
	{"q6", "We were too risk averse to let the nurses lead the ward round.", "risk_aversion; Humility"},
	{"q7", "The money for flights came from a charity grant.", "funding"},
	{"q8", "We spoke about humility at every meeting, and then flew home.", ""},
}

// writePilot writes the codebook and the quotes as CSV and as JSON lines
// into a folder and returns their paths.
func writePilot(t *testing.T) (cb, csvPath, jsonlPath string) {
	t.Helper()
	dir := t.TempDir()
	cb = filepath.Join(dir, "codebook.yaml")
	if err := os.WriteFile(cb, []byte(pilotCodebook), 0o644); err != nil {
		t.Fatal(err)
	}
	var csv, jsonl strings.Builder
	csv.WriteString("id,text,codes,coder\n")
	for _, q := range pilotQuotes {
		csv.WriteString(q.id + `,"` + q.text + `",` + q.codes + ",amina\n")
		var codes []string
		for _, c := range strings.Split(q.codes, ";") {
			if c = strings.TrimSpace(c); c != "" {
				codes = append(codes, c)
			}
		}
		line, _ := json.Marshal(map[string]any{"id": q.id, "text": q.text, "codes": codes})
		jsonl.Write(line)
		jsonl.WriteString("\n")
	}
	csvPath = filepath.Join(dir, "quotes.csv")
	jsonlPath = filepath.Join(dir, "quotes.jsonl")
	if err := os.WriteFile(csvPath, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(jsonlPath, []byte(jsonl.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return cb, csvPath, jsonlPath
}

// TestValidateOn checks the figures on the pilot quotes, worked by hand.
// Each quote is one segment:
//
//	humility       gold q1 q6, rules q1 q5 q8: TP 1, FP 2, FN 1: P 1/3, R 1/2, F1 2/5
//	debriefs       gold q2 q3, rules q2:       TP 1, FP 0, FN 1: P 1, R 1/2, F1 2/3
//	risk_aversion  gold q4 q6, rules q4 q6:    TP 2:             P 1, R 1, F1 1
//	funding        gold q5 q7, no rule:        TP 0, FN 2:       P –, R 0, F1 0
//	micro          TP 4, FP 2, FN 4:           P 4/6, R 4/8, F1 8/14
//	macro          P (1/3+1+1)/3, R (1/2+1/2+1+0)/4, F1 (2/5+2/3+1+0)/4
//
// "humbled" is not "humble": the rule has no wildcard. The grouping code
// enablers is neither given nor found, so it is not measured.
func TestValidateOn(t *testing.T) {
	cb, csvPath, jsonlPath := writePilot(t)
	for _, file := range []string{csvPath, jsonlPath} {
		t.Run(filepath.Ext(file), func(t *testing.T) {
			v, err := app.ValidateOn(context.Background(), app.Options{Codebook: cb}, app.ValidateOnOptions{File: file})
			if err != nil {
				t.Fatal(err)
			}
			if v.Texts != 8 {
				t.Errorf("texts = %d, want 8", v.Texts)
			}
			type figs struct {
				tp, fp, fn, support int64
				p, r, f1            float64 // -1: undefined
				rule                bool
			}
			want := map[string]figs{
				"humility":      {1, 2, 1, 2, 1.0 / 3, 0.5, 0.4, true},
				"debriefs":      {1, 0, 1, 2, 1, 0.5, 2.0 / 3, true},
				"risk_aversion": {2, 0, 0, 2, 1, 1, 1, true},
				"funding":       {0, 0, 2, 2, -1, 0, 0, false},
			}
			var order []string
			for _, c := range v.Codes {
				order = append(order, c.Code)
				w, ok := want[c.Code]
				if !ok {
					t.Errorf("measured %s, which nobody gave and no rule found", c.Code)
					continue
				}
				if c.TruePositives != w.tp || c.FalsePositives != w.fp || c.FalseNegatives != w.fn || c.Gold != w.support || c.HasRule != w.rule {
					t.Errorf("%s: TP %d FP %d FN %d support %d rule %v, want %+v", c.Code, c.TruePositives, c.FalsePositives, c.FalseNegatives, c.Gold, c.HasRule, w)
				}
				checkScore(t, c.Code+" precision", c.Precision, w.p)
				checkScore(t, c.Code+" recall", c.Recall, w.r)
				checkScore(t, c.Code+" F1", c.F1, w.f1)
			}
			if got := strings.Join(order, " "); got != "humility debriefs risk_aversion funding" {
				t.Errorf("codes in the order %s, want the codebook's", got)
			}
			checkScore(t, "micro precision", v.Micro.Precision, 4.0/6)
			checkScore(t, "micro recall", v.Micro.Recall, 4.0/8)
			checkScore(t, "micro F1", v.Micro.F1, 8.0/14)
			checkScore(t, "macro precision", v.Macro.Precision, (1.0/3+1+1)/3)
			checkScore(t, "macro recall", v.Macro.Recall, (0.5+0.5+1+0)/4)
			checkScore(t, "macro F1", v.Macro.F1, (0.4+2.0/3+1+0)/4)

			var got []string
			for _, e := range v.Errors {
				s := e.ID + " " + e.Code + " " + e.Kind
				if len(e.Matched) > 0 {
					s += " " + strings.Join(e.Matched, "+")
				}
				got = append(got, s)
			}
			wantErrs := []string{
				"q5 humility false_positive humility",
				"q6 humility false_negative",
				"q8 humility false_positive humility",
				"q3 debriefs false_negative",
				"q5 funding false_negative",
				"q7 funding false_negative",
			}
			if strings.Join(got, "\n") != strings.Join(wantErrs, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantErrs, "\n"))
			}
		})
	}
}

// TestValidateOnRollup measures the grouping code on its children's codes
// when asked: enablers is given to q1 q2 q3 q6 (humility or debriefs) and
// found in q1 q2 q5 q8: TP 2, FP 2, FN 2, so P, R and F1 are all 1/2.
func TestValidateOnRollup(t *testing.T) {
	cb, csvPath, _ := writePilot(t)
	v, err := app.ValidateOn(context.Background(), app.Options{Codebook: cb}, app.ValidateOnOptions{File: csvPath, Rollup: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Codes) == 0 || v.Codes[0].Code != "enablers" {
		t.Fatalf("codes %+v: want enablers first", v.Codes)
	}
	e := v.Codes[0]
	if e.TruePositives != 2 || e.FalsePositives != 2 || e.FalseNegatives != 2 || !e.HasRule {
		t.Errorf("enablers rolled up: %+v, want TP 2 FP 2 FN 2, ruled through its children", e)
	}
	checkScore(t, "enablers F1", e.F1, 0.5)
	for _, c := range v.Codes[1:] {
		if c.Code == "humility" && c.TruePositives != 1 {
			t.Errorf("humility rolled up: TP %d, want 1: a leaf has nothing below it", c.TruePositives)
		}
	}
}

// TestValidateOnBadFiles: a code the codebook lacks names the row and the
// nearest id; a file without the columns, or a row without text, is
// refused too.
func TestValidateOnBadFiles(t *testing.T) {
	cb, _, _ := writePilot(t)
	dir := t.TempDir()
	cases := []struct{ name, file, body, want string }{
		{"unknown code", "q.csv", "id,text,codes\nq1,We learnt humility.,humility\nq2,We were afraid of litigation.,risk_aversoin\n",
			`q.csv:3:34: unknown code "risk_aversoin"; did you mean risk_aversion?`},
		{"unknown code in JSON lines", "q.jsonl", `{"id": 1, "text": "We learnt humility.", "codes": ["humilty"]}` + "\n",
			`q.jsonl:1: unknown code "humilty"; did you mean humility?`},
		{"no codes column", "q.csv", "id,text,code\nq1,We learnt humility.,humility\n", "needs the columns text and codes (its header is id, text, code)"},
		{"no text", "q.csv", "id,text,codes\nq1,,humility\n", "q.csv:2:4: no text"},
		{"not JSON", "q.jsonl", "id,text,codes\n", "q.jsonl:1: not a JSON object"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.file)
			if err := os.WriteFile(path, []byte(c.body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := app.ValidateOn(context.Background(), app.Options{Codebook: cb}, app.ValidateOnOptions{File: path})
			if qcode.ErrorCode(err) != qcode.EINVALID {
				t.Fatalf("err = %v, want an invalid-input error", err)
			}
			if msg := app.Phrase(err, nil); !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q, want one line with %q", msg, c.want)
			}
		})
	}
	// A missing file, and a named pipe, which would wait for a writer
	// forever, are refused by name.
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.csv"), 0o600); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{"missing.csv": "missing.csv: no such file; check the path", "pipe.csv": "pipe.csv is a named pipe (FIFO), not a regular file"} {
		_, err := app.ValidateOn(context.Background(), app.Options{Codebook: cb}, app.ValidateOnOptions{File: filepath.Join(dir, file)})
		if err == nil || !strings.Contains(app.Phrase(err, nil), want) {
			t.Errorf("%s: %v, want %q", file, err, want)
		}
	}
}

func checkScore(t *testing.T, what string, got coding.Score, want float64) {
	t.Helper()
	if want < 0 {
		if !got.Undefined {
			t.Errorf("%s = %v, want undefined", what, got.Value)
		}
		return
	}
	if got.Undefined || math.Abs(got.Value-want) > 1e-9 {
		t.Errorf("%s = %+v, want %.4f", what, got, want)
	}
}

// TestValidateOnByPeople: once funding is marked as coded by people, it
// is listed apart instead of measured, and the micro average is that of
// the three codes the rules can give (TP 4, FP 2, FN 2: F1 8/12).
func TestValidateOnByPeople(t *testing.T) {
	cb, csvPath, _ := writePilot(t)
	text, err := os.ReadFile(cb)
	if err != nil {
		t.Fatal(err)
	}
	marked := strings.Replace(string(text), "    name: Funding\n", "    name: Funding\n    auto: false\n", 1)
	if err := os.WriteFile(cb, []byte(marked), 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := app.ValidateOn(context.Background(), app.Options{Codebook: cb}, app.ValidateOnOptions{File: csvPath})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.ByPeople) != 1 || v.ByPeople[0] != "funding" {
		t.Errorf("by people: %v, want [funding]", v.ByPeople)
	}
	for _, c := range v.Codes {
		if c.Code == "funding" {
			t.Errorf("funding was measured: %+v", c)
		}
	}
	checkScore(t, "micro F1", v.Micro.F1, 8.0/12)
}

// TestDefaultCodebookOnDevset holds the default codebook to the targets of
// issue 16 on the development set of published quotes coded blind
// (testdata/devset): micro-F1 at least 0.6, and no code whose rule fires
// with a precision under 0.4. The figures are the lead's targets, not the
// codebook's own output; a rule change that loses them fails here.
func TestDefaultCodebookOnDevset(t *testing.T) {
	v, err := app.ValidateOn(context.Background(), app.Options{Codebook: filepath.Join("..", "codebook", "default.yaml")},
		app.ValidateOnOptions{File: filepath.Join("..", "testdata", "devset", "gold.csv")})
	if err != nil {
		t.Fatal(err)
	}
	if v.Texts < 53 {
		t.Fatalf("%d texts, want the 53 or more quotes of gold.csv", v.Texts)
	}
	if f1 := v.Micro.F1; f1.Undefined || f1.Value < 0.6 {
		t.Errorf("micro F1 %+v, want at least 0.6", f1)
	}
	for _, c := range v.Codes {
		if c.Candidate > 0 && c.Precision.Value < 0.4 {
			t.Errorf("%s: precision %.2f (%d found, %d right), want at least 0.4", c.Code, c.Precision.Value, c.Candidate, c.TruePositives)
		}
	}
}

// TestDefaultCodebookOnUnseenQuotes measures the default codebook on the
// development set's quotes that its rules were never written beside (from
// Q045, the second round, on) and requires both READMEs to give that
// figure as it is: the bar that counts is on quotes the rules have never
// met, so the figure we print must be the one measured.
func TestDefaultCodebookOnUnseenQuotes(t *testing.T) {
	const firstUnseen = 45
	data, err := os.ReadFile(filepath.Join("..", "testdata", "devset", "gold.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(rows[0])
	quotes := 0
	for _, r := range rows[1:] {
		n, err := strconv.Atoi(strings.TrimPrefix(r[0], "Q"))
		if err != nil {
			t.Fatalf("gold.csv: id %q is not Q and a number", r[0])
		}
		if n >= firstUnseen {
			_ = w.Write(r)
			quotes++
		}
	}
	w.Flush()
	unseen := filepath.Join(t.TempDir(), "unseen.csv")
	if err := os.WriteFile(unseen, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := app.ValidateOn(context.Background(), app.Options{Codebook: filepath.Join("..", "codebook", "default.yaml")},
		app.ValidateOnOptions{File: unseen})
	if err != nil {
		t.Fatal(err)
	}
	if v.Texts != quotes || quotes < 13 {
		t.Fatalf("%d texts measured of %d unseen quotes, want the 13 or more from Q%03d on", v.Texts, quotes, firstUnseen)
	}
	var gold, found, right int64
	for _, c := range v.Codes {
		gold += c.Gold
		found += c.Candidate
		right += c.TruePositives
	}
	figure := fmt.Sprintf("%d codings to find, %d found, %d right: micro precision %.2f, recall %.2f, F1 %.2f",
		gold, found, right, v.Micro.Precision.Value, v.Micro.Recall.Value, v.Micro.F1.Value)
	for _, readme := range []string{filepath.Join("..", "README.md"), filepath.Join("..", "testdata", "devset", "README.md")} {
		text, err := os.ReadFile(readme)
		if err != nil {
			t.Fatal(err)
		}
		flat := strings.Join(strings.Fields(strings.ReplaceAll(string(text), "**", "")), " ")
		if !strings.Contains(flat, figure) {
			t.Errorf("%s does not give the figure measured on the %d unseen quotes: %q", readme, quotes, figure)
		}
	}
}
