package main

import (
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"qcode/app"
	"qcode/coding"
	"qcode/coding/agree"
	"qcode/internal/sample"
)

// sampleCodedProject makes a project of the sample interviews P01–P04 and
// imports the two sample coders' codings, as the demo does: Amina coded
// P01–P03 and a little of P04, Ben P01–P03.
func sampleCodedProject(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "study")
	in := t.TempDir()
	if err := os.CopyFS(in, sample.FS()); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "", "init", dir)
	var files []string
	for _, name := range []string{"P01.txt", "P02.txt", "P03.txt", "P04.txt"} {
		files = append(files, filepath.Join(in, name))
	}
	mustRun(t, dir, append([]string{"import"}, files...)...)
	mustRun(t, dir, "coding", "import", filepath.Join(in, "codings", "amina.csv"), "--coder", "amina")
	mustRun(t, dir, "coding", "import", filepath.Join(in, "codings", "ben.csv"), "--coder", "ben")
	return dir
}

func agreeJSON(t *testing.T, dir string, args ...string) coding.AgreementReport {
	t.Helper()
	out := mustRun(t, dir, append([]string{"agree", "--json"}, args...)...)
	var rep coding.AgreementReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return rep
}

func codeAgreement(t *testing.T, rep coding.AgreementReport, code string) coding.CodeAgreement {
	t.Helper()
	for _, c := range rep.Codes {
		if c.Code == code {
			return c
		}
	}
	t.Fatalf("no code %s in %+v", code, rep.Codes)
	return coding.CodeAgreement{}
}

func nearly(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %.9f, want %.9f", what, got, want)
	}
}

// The sample coders, compared sentence by sentence. The numbers for
// risk_aversion were counted by hand from internal/sample/corpus/codings:
//
//	Amina: P01 s135 s136 s138 s139 s162; P02 s108 s109 s111 s112 s221 s222
//	       s228; P03 s98 s100 s101 s102 (16)
//	Ben:   P01 s135 s136 s138 s139 s160 s162; P02 s109 s111 s221 s222 s228;
//	       P03 s100 s101 s102 s103 (15)
//
// Both 13; Amina only 3 (P02 s108 s112, P03 s98); Ben only 2 (P01 s160,
// P03 s103); neither 681 − 18 = 663, of the 237 + 245 + 199 = 681 sentences
// of P01–P03 (P04, which Ben never coded, is left out).
//
// Cohen: Po = 676/681; Pe = (16·15 + 665·666)/681² = 443130/463761;
// κ = (676·681 − 443130)/(681² − 443130) = 17226/20631 = 0.83496.
// Alpha: n = 1362 values, 31 of them 1; Do = 2·5/1362,
// De = 2·31·1331/(1362·1361); α = 1 − 5·1361/(31·1331) = 1 − 6805/41261
// = 0.83508.
func TestAgreeSample(t *testing.T) {
	dir := sampleCodedProject(t)
	rep := agreeJSON(t, dir, "--coders", "amina,ben", "--bootstrap", "300")
	if rep.Units != 681 || rep.Dropped != 233 {
		t.Errorf("units %d, dropped %d; want 681 (P01–P03) and 233 (P04)", rep.Units, rep.Dropped)
	}
	for _, s := range rep.Sources {
		if used := s.Source != "P04"; s.Used != used || (!used && !slices.Equal(s.Unseen, []string{"ben"})) {
			t.Errorf("source %+v", s)
		}
	}
	if len(rep.Codes) != 19 {
		t.Errorf("%d codes, want the 19 the coders used", len(rep.Codes))
	}
	r := codeAgreement(t, rep, "risk_aversion")
	if r.Units != 681 || r.All != 13 || r.Some != 5 || r.None != 663 || r.ByCoder["amina"] != 16 || r.ByCoder["ben"] != 15 {
		t.Errorf("risk_aversion counts: %+v", r)
	}
	nearly(t, "Cohen's kappa", r.Cohen.Value, 17226.0/20631)
	nearly(t, "percent agreement", r.Agreement.Value, 676.0/681)
	nearly(t, "alpha", r.Alpha.Value, 1-6805.0/41261)
	nearly(t, "Brennan–Prediger", r.BrennanPrediger.Value, 2*676.0/681-1)
	if iv := r.AlphaInterval; iv == nil || iv.Resamples != 300 || !(iv.Low < r.Alpha.Value && r.Alpha.Value < iv.High) {
		t.Errorf("alpha interval %+v around %v", iv, r.Alpha.Value)
	}
	if rep.Pooled.Units != 681*19 || rep.Pooled.Cohen == nil || rep.Pooled.Alpha.Undefined {
		t.Errorf("pooled %+v", rep.Pooled)
	}
	if rep.Disagreements != nil {
		t.Error("disagreements listed without --disagreements")
	}

	// The same seed gives the same interval; the table agrees with JSON.
	again := agreeJSON(t, dir, "--coders", "amina,ben", "--bootstrap", "300")
	if *codeAgreement(t, again, "risk_aversion").AlphaInterval != *r.AlphaInterval {
		t.Error("the same seed gave another interval")
	}
	out := mustRun(t, dir, "agree", "--coders", "amina,ben", "--codes", "risk_aversion,humility", "--bootstrap", "0")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || lines[0] != "code\tunits\tall\tsome\tnone\tagreement\tcohen_kappa\tfleiss_kappa\talpha\talpha_low\talpha_high\tbrennan_prediger" ||
		!strings.HasPrefix(lines[1], "risk_aversion\t681\t13\t5\t663\t") || !strings.HasPrefix(lines[3], "(pooled)\t1362\t") {
		t.Errorf("table:\n%s", out)
	}
	cells := strings.Split(lines[1], "\t")
	if cells[9] != "" || cells[10] != "" {
		t.Errorf("no bootstrap, yet an interval: %q", lines[1])
	}
	// For programs the figures keep their full precision, as in JSON.
	if want := strconv.FormatFloat(r.Agreement.Value, 'g', -1, 64); cells[5] != want {
		t.Errorf("agreement %s piped, %s in JSON", cells[5], want)
	}

	// Each disagreement, by source and position, with who coded it.
	out = mustRun(t, dir, "agree", "--coders", "amina,ben", "--codes", "risk_aversion", "--disagreements", "--csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range rows[1:] {
		got = append(got, row[0]+" "+row[2])
	}
	want := []string{"P01:s160 ben", "P02:s108 amina", "P02:s112 amina", "P03:s98 amina", "P03:s103 ben"}
	if !slices.Equal(got, want) {
		t.Errorf("disagreements %v, want %v", got, want)
	}
	if !strings.HasPrefix(rows[1][4], "Yes, but I want to be careful") {
		t.Errorf("text %q", rows[1][4])
	}

	// One source: its sentences alone, and its disagreements.
	one := agreeJSON(t, dir, "--coders", "amina,ben", "--source", "P03", "--codes", "risk_aversion", "--bootstrap", "0", "--disagreements")
	var split []string
	for _, d := range one.Disagreements {
		split = append(split, d.Segment+" "+strings.Join(d.Codes[0].By, ","))
	}
	if one.Units != 199 || one.Dropped != 0 || len(one.Sources) != 1 || !slices.Equal(split, want[3:]) {
		t.Errorf("P03 alone: %d units, %d dropped, sources %+v, disagreements %v; want P03's 199 sentences and %v", one.Units, one.Dropped, one.Sources, split, want[3:])
	}
}

// Every character a unit: two codings by one coder cover their union, and
// the counts are the characters each coder covered.
func TestAgreeChar(t *testing.T) {
	dir, _ := newProject(t)
	mustRun(t, dir, "coding", "add", "P01:100-140", "humility", "--coder", "amina")
	mustRun(t, dir, "coding", "add", "P01:120-160", "humility", "--coder", "amina")
	mustRun(t, dir, "coding", "add", "P01:130-200", "humility", "--coder", "bo")
	// P01 holds 291 characters. Amina covers 100–160 (60), Bo 130–200
	// (70): both 130–160 (30), Amina only 100–130 (30), Bo only 160–200
	// (40), neither 291 − 100 = 191.
	// Cohen: Po = 221/291; Pe = (60·70 + 231·221)/291² = 55251/84681;
	// κ = (221·291 − 55251)/(84681 − 55251) = 9060/29430 = 0.30785.
	rep := agreeJSON(t, dir, "--coders", "amina,bo", "--unit", "char", "--disagreements")
	h := codeAgreement(t, rep, "humility")
	if rep.Units != 291 || h.All != 30 || h.Some != 70 || h.None != 191 || h.ByCoder["amina"] != 60 || h.ByCoder["bo"] != 70 {
		t.Errorf("units %d, humility %+v", rep.Units, h)
	}
	nearly(t, "Cohen's kappa", h.Cohen.Value, 9060.0/29430)
	var got []string
	for _, d := range rep.Disagreements {
		got = append(got, d.Segment+" "+strings.Join(d.Codes[0].By, ","))
	}
	if want := []string{"P01:100-130 amina", "P01:160-200 bo"}; !slices.Equal(got, want) {
		t.Errorf("disagreements %v, want %v", got, want)
	}
	if d := rep.Disagreements[0]; d.Text != "y? I wanted to help. I thought" || d.Start != 100 || d.End != 130 {
		t.Errorf("first disagreement %+v", d)
	}
}

// A coder who has no coding in a source has not seen it: its units are
// left out, and named; a coding of any code counts as having seen it.
func TestAgreeMissingCoder(t *testing.T) {
	dir, in := newProject(t)
	mustRun(t, dir, "import", write(t, in, "P02.txt", "Interviewer: How was it?\nAma: Hard. We learned a lot.\nInterviewer: Why?\nAma: They were patient.\n"))
	mustRun(t, dir, "coding", "add", "P01:s3", "humility", "--coder", "amina")
	mustRun(t, dir, "coding", "add", "P01:s3", "humility", "--coder", "bo")
	mustRun(t, dir, "coding", "add", "P02:s4", "humility", "--coder", "amina")
	rep := agreeJSON(t, dir, "--coders", "amina,bo")
	if rep.Units != 7 || rep.Dropped != 5 {
		t.Errorf("units %d dropped %d; want P01's 7 sentences used, P02's 5 dropped", rep.Units, rep.Dropped)
	}
	if s := rep.Sources[1]; s.Source != "P02" || s.Used || !slices.Equal(s.Unseen, []string{"bo"}) {
		t.Errorf("P02: %+v", s)
	}
	if h := codeAgreement(t, rep, "humility"); h.All != 1 || h.None != 6 || h.Cohen.Value != 1 {
		t.Errorf("humility %+v", h)
	}
	// Bo codes P02 with another code: now Bo has seen it, and did not
	// find humility there.
	mustRun(t, dir, "coding", "add", "P02:s2", "technical_learning", "--coder", "bo")
	rep = agreeJSON(t, dir, "--coders", "amina,bo", "--codes", "humility")
	if h := codeAgreement(t, rep, "humility"); rep.Units != 12 || rep.Dropped != 0 || h.All != 1 || h.Some != 1 || h.None != 10 {
		t.Errorf("units %d dropped %d, humility %+v", rep.Units, rep.Dropped, h)
	}

	// The rules have seen every source 'qcode code' went over, though it
	// coded nothing there; not one imported after it. Times are stored to
	// the second, and a source imported in the second of a run counts as
	// seen, so P03 waits for the next second.
	mustRun(t, dir, "code")
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second)))
	mustRun(t, dir, "import", write(t, in, "P03.txt", "Interviewer: And then?\nKofi: We went home.\nInterviewer: Sure?\nKofi: Yes.\n"))
	mustRun(t, dir, "coding", "add", "P03:s2", "humility", "--coder", "amina")
	out := mustRun(t, dir, "validate", "--gold", "amina", "--json")
	var v coding.ValidationReport
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	var used []string
	for _, s := range v.Sources {
		if s.Used {
			used = append(used, s.Source)
		} else if !slices.Equal(s.Unseen, []string{"rules"}) {
			t.Errorf("%s unseen by %v", s.Source, s.Unseen)
		}
	}
	if !slices.Equal(used, []string{"P01", "P02"}) || v.Candidate != "rules" {
		t.Errorf("sources used %v (candidate %s), want P01 and P02", used, v.Candidate)
	}
}

// krippendorffCSV is the reliability data of Krippendorff (2011),
// "Computing Krippendorff's Alpha-Reliability" (4 observers × 12 units),
// as coding/agree's tests and example use it.
const krippendorffCSV = `unit,A,B,C,D
u1,1,1,,1
u2,2,2,3,2
u3,3,3,3,3
u4,3,3,3,3
u5,2,2,2,2
u6,1,2,3,4
u7,4,4,4,4
u8,1,1,2,1
u9,2,2,2,2
u10,,5,5,5
u11,,,1,1
u12,,3,,
`

// Krippendorff (2011) gives α = 0.743 (nominal), 0.815 (ordinal), 0.849
// (interval) and 0.797 (ratio) for this data, from 40 pairable values.
func TestAgreeTable(t *testing.T) {
	path := write(t, t.TempDir(), "ratings.csv", krippendorffCSV)
	for _, tc := range []struct {
		level string
		want  float64
	}{{"nominal", 0.743}, {"ordinal", 0.815}, {"interval", 0.849}, {"ratio", 0.797}} {
		code, out, errs := qcodeRun(t, "", "agree", "--table", path, "--level", tc.level, "--json")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.level, code, errs)
		}
		var rep app.TableAgreement
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		if math.Abs(rep.Alpha.Value-tc.want) > 0.0005 || rep.Alpha.Values != 40 || rep.Alpha.Units != 11 || rep.Alpha.Dropped != 1 {
			t.Errorf("%s: alpha %+v, want %.3f from 40 values in 11 units", tc.level, rep.Alpha, tc.want)
		}
		if iv := rep.AlphaInterval; iv == nil || iv.Resamples != 1000 || iv.Low > rep.Alpha.Value || iv.High < rep.Alpha.Value {
			t.Errorf("%s: interval %+v", tc.level, iv)
		}
		if nominal := tc.level == "nominal"; (rep.Fleiss != nil) != nominal || rep.Cohen != nil {
			t.Errorf("%s: fleiss %v cohen %v", tc.level, rep.Fleiss, rep.Cohen)
		}
	}

	// Two columns: Cohen's kappa too, as package agree computes it.
	out := mustRun(t, "", "agree", "--table", path, "--coders", "A,B", "--json", "--bootstrap", "0")
	var rep app.TableAgreement
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	d, _ := agree.ReadTable(path, []byte(krippendorffCSV))
	d, _ = d.Select("A", "B")
	want, _ := agree.CohenKappa(d)
	if rep.Cohen == nil || rep.Cohen.Value != want.Value || rep.AlphaInterval != nil {
		t.Errorf("cohen %+v, want %v; interval %v", rep.Cohen, want.Value, rep.AlphaInterval)
	}
	out = mustRun(t, "", "agree", "--table", path, "--level", "interval", "--csv")
	if !strings.HasPrefix(out, "level,units,dropped,coders,values,agreement,") || !strings.Contains(out, "\ninterval,11,1,4,40,") {
		t.Errorf("csv:\n%s", out)
	}
}

// Validation on a small project, counted by hand. P01's 7 sentences:
//
//	gold amina: s2 humility, s3 moral_imperative, s4 top_down_teaching,
//	            s7 learning_from_partner, s7 technical_learning
//	bo:         s3 moral_imperative, s4 moral_imperative,
//	            s4 top_down_teaching, s6 humility, s7 technical_learning
//
// humility TP 0 FP 1 FN 1 (P 0, R 0, F1 0); moral_imperative TP 1 FP 1
// (P 1/2, R 1, F1 2/3); top_down_teaching and technical_learning TP 1
// (1, 1, 1); learning_from_partner FN 1 (P undefined, R 0, F1 0).
// Micro: TP 3, FP 2, FN 2: P = R = F1 = 3/5. Macro: P over the 4 codes
// with one, (0 + 1/2 + 1 + 1)/4 = 0.625; R (0+1+1+0+1)/5 = 0.6;
// F1 (0 + 2/3 + 1 + 0 + 1)/5 = 8/15. Cohen's kappa of moral_imperative:
// Po = 6/7, Pe = (1·2 + 6·5)/49 = 32/49, κ = (42 − 32)/(49 − 32) = 10/17.
func TestValidate(t *testing.T) {
	dir, _ := newProject(t)
	for _, c := range [][3]string{
		{"P01:s2", "humility", "amina"}, {"P01:s3", "moral_imperative", "amina"}, {"P01:s4", "top_down_teaching", "amina"},
		{"P01:s7", "learning_from_partner", "amina"}, {"P01:s7", "technical_learning", "amina"},
		{"P01:s3", "moral_imperative", "bo"}, {"P01:s4", "moral_imperative", "bo"}, {"P01:s4", "top_down_teaching", "bo"},
		{"P01:s6", "humility", "bo"}, {"P01:s7", "technical_learning", "bo"},
	} {
		mustRun(t, dir, "coding", "add", c[0], c[1], "--coder", c[2])
	}
	out := mustRun(t, dir, "validate", "--gold", "amina", "--candidate", "bo", "--json")
	var v coding.ValidationReport
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	byCode := map[string]coding.CodeValidation{}
	var codes []string
	for _, c := range v.Codes {
		byCode[c.Code] = c
		codes = append(codes, c.Code)
	}
	// In the codebook's order.
	if want := []string{"moral_imperative", "top_down_teaching", "learning_from_partner", "technical_learning", "humility"}; !slices.Equal(codes, want) {
		t.Errorf("codes %v, want %v", codes, want)
	}
	h, m, l := byCode["humility"], byCode["moral_imperative"], byCode["learning_from_partner"]
	if h.TruePositives != 0 || h.FalsePositives != 1 || h.FalseNegatives != 1 || h.Precision.Value != 0 || h.Recall.Value != 0 || h.F1.Value != 0 {
		t.Errorf("humility %+v", h)
	}
	if m.Precision.Value != 0.5 || m.Recall.Value != 1 || math.Abs(m.F1.Value-2.0/3) > 1e-12 {
		t.Errorf("moral_imperative %+v", m)
	}
	nearly(t, "moral_imperative kappa", m.Kappa.Value, 10.0/17)
	if !l.Precision.Undefined || l.Recall.Value != 0 || l.F1.Value != 0 {
		t.Errorf("learning_from_partner %+v", l)
	}
	nearly(t, "micro precision", v.Micro.Precision.Value, 0.6)
	nearly(t, "micro recall", v.Micro.Recall.Value, 0.6)
	nearly(t, "micro F1", v.Micro.F1.Value, 0.6)
	nearly(t, "macro precision", v.Macro.Precision.Value, 0.625)
	nearly(t, "macro recall", v.Macro.Recall.Value, 0.6)
	nearly(t, "macro F1", v.Macro.F1.Value, 8.0/15)
	if v.Macro.Precision.Codes != 4 || v.Macro.F1.Codes != 5 {
		t.Errorf("macro averages over %d and %d codes, want 4 and 5", v.Macro.Precision.Codes, v.Macro.F1.Codes)
	}

	out = mustRun(t, dir, "validate", "--gold", "amina", "--candidate", "bo", "--errors")
	want := "code\tkind\tsegment\ttext\n" +
		"moral_imperative\tfalse_positive\tP01:s4\tI thought we had so much to teach.\n" +
		"learning_from_partner\tfalse_negative\tP01:s7\tTheir triage was better than ours — we never had a debrief about it, though.\n" +
		"humility\tfalse_negative\tP01:s2\tHonestly?\n" +
		"humility\tfalse_positive\tP01:s6\tYes.\n"
	if out != want {
		t.Errorf("errors:\n%s\nwant\n%s", out, want)
	}
	out = mustRun(t, dir, "validate", "--gold", "amina", "--candidate", "bo", "--csv")
	if !strings.Contains(out, "\n(micro),5,5,3,2,2,0.6,0.6,0.6,") {
		t.Errorf("csv:\n%s", out)
	}
}

// TestAgreeBadInput checks that each bad input to agree and validate gives
// a one-line error saying what is wrong, the right exit code, and a
// project exactly as it was.
func TestAgreeBadInput(t *testing.T) {
	dir, in := newProject(t)
	mustRun(t, dir, "coding", "add", "P01:s3", "humility", "--coder", "amina")
	mustRun(t, dir, "coding", "add", "P01:s3", "humility", "--coder", "ben")
	before := dump(t, dir)
	ragged := write(t, in, "ratings.csv", "unit,A,B\nu1,1,2\nu2,1\nu3,2,2\n")
	tests := []badInput{
		{"unknown coder", []string{"agree", "--coders", "amina,bem"}, exitNotFound, []string{"--coders bem: no codings by this coder", "did you mean ben?"}},
		{"one coder", []string{"agree", "--coders", "amina"}, exitInvalid, []string{"--coders", "two coders or more"}},
		{"no coders", []string{"agree"}, exitInvalid, []string{"--coders"}},
		{"a coder twice", []string{"agree", "--coders", "amina,amina"}, exitInvalid, []string{`"amina" is named twice`}},
		{"unknown code", []string{"agree", "--coders", "amina,ben", "--codes", "humilty"}, exitNotFound, []string{"--codes humilty: no such code", "did you mean humility?"}},
		{"bad --unit", []string{"agree", "--coders", "amina,ben", "--unit", "word"}, exitInvalid, []string{"--unit word", "char"}},
		{"bad --level", []string{"agree", "--coders", "amina,ben", "--level", "ordnial"}, exitInvalid, []string{"--level ordnial"}},
		{"a level codings cannot have", []string{"agree", "--coders", "amina,ben", "--level", "interval"}, exitInvalid, []string{"--level interval", "nominal"}},
		{"negative --bootstrap", []string{"agree", "--coders", "amina,ben", "--bootstrap", "-5"}, exitInvalid, []string{"--bootstrap -5"}},
		{"--json and --csv", []string{"agree", "--coders", "amina,ben", "--json", "--csv"}, exitInvalid, []string{"--json and --csv"}},
		{"ragged table", []string{"agree", "--table", ragged}, exitInvalid, []string{"ratings.csv:3", "2 cells"}},
		{"table of no units", []string{"agree", "--table", write(t, in, "empty.csv", "unit,A,B\n")}, exitInvalid, []string{"empty.csv: no rows after the header"}},
		{"a stray comma", []string{"agree", "--coders", "amina,ben,"}, exitInvalid, []string{"an empty name (a stray comma?)"}},
		{"missing table", []string{"agree", "--table", filepath.Join(in, "nope.csv")}, exitNotFound, []string{"nope.csv", "no such file"}},
		{"table and --unit", []string{"agree", "--table", ragged, "--unit", "turn"}, exitInvalid, []string{"--unit", "--table"}},
		{"table and --source", []string{"agree", "--table", ragged, "--source", "P01"}, exitInvalid, []string{"--source", "--table"}},
		{"unknown source", []string{"agree", "--coders", "amina,ben", "--source", "P1"}, exitNotFound, []string{"--source P1: no such source", "did you mean P01?"}},
		{"table with an unknown coder", []string{"agree", "--table", write(t, in, "ok.csv", "unit,A,B\nu1,1,2\n"), "--coders", "A,C"}, exitInvalid, []string{`--coders C: no such coder`}},
		{"text at the interval level", []string{"agree", "--table", write(t, in, "words.csv", "unit,A,B\nu1,low,high\n"), "--level", "interval"}, exitInvalid, []string{"words.csv:2", `"low"`}},
		{"validate without --gold", []string{"validate"}, exitInvalid, []string{"--gold"}},
		{"validate an unknown gold coder", []string{"validate", "--gold", "amnia"}, exitNotFound, []string{"did you mean amina?"}},
		{"validate a coder against itself", []string{"validate", "--gold", "amina", "--candidate", "amina"}, exitInvalid, []string{"--candidate amina: the same coder as the gold"}},
		{"validate with no rules codings", []string{"validate", "--gold", "amina"}, exitNotFound, []string{"--candidate rules: no codings by this coder"}},
		{"validate an unknown code", []string{"validate", "--gold", "amina", "--candidate", "ben", "--codes", "risk"}, exitNotFound, []string{"--codes risk: no such code"}},
		{"validate with a bad --unit", []string{"validate", "--gold", "amina", "--candidate", "ben", "--unit", "chars"}, exitInvalid, []string{"--unit chars"}},
	}
	checkBadInputs(t, dir, before, tests)
}

// The sample's coding files are in the embedded sample, where the demo
// finds them (TestAgreeSample imports them).
func TestSampleCodings(t *testing.T) {
	for _, name := range []string{"codings/amina.csv", "codings/ben.csv"} {
		data, err := fs.ReadFile(sample.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(data), "segment,code\n") {
			t.Errorf("%s starts %q", name, string(data)[:20])
		}
	}
}
