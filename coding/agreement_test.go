package coding_test

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"

	"qcode/coding"
	"qcode/coding/agree"
)

// sentences makes units of source src from [start, end) pairs, numbered
// s1, s2, …, with text cut from text (ASCII, so bytes are characters).
func sentences(src, text string, spans ...[2]int) []coding.AgreementUnit {
	var out []coding.AgreementUnit
	for i, s := range spans {
		out = append(out, coding.AgreementUnit{Ref: coding.Ref{Source: src, Unit: coding.UnitSentence, Ord: i + 1}, Start: s[0], End: s[1], Text: text[s[0]:s[1]]})
	}
	return out
}

func span(src, code, coder string, start, end int) coding.Coding {
	return coding.Coding{Source: src, Unit: coding.UnitSpan, Start: start, End: end, Code: code, Coder: coder}
}

const textA = "One thing. Two things. Three now."

// A coding covers every unit it shares a character with; units of a
// source one coder never coded are dropped; a code that covers no unit
// (it lies between sentences) is left out of the default codes.
func TestBuildReliabilitySegments(t *testing.T) {
	units := append(sentences("A", textA, [2]int{0, 10}, [2]int{11, 22}, [2]int{23, 33}),
		sentences("B", "Alone here.", [2]int{0, 11})...)
	codings := []coding.Coding{
		span("A", "x", "amina", 5, 15),  // the end of s1 and the start of s2
		span("A", "y", "amina", 23, 33), // s3
		span("A", "x", "ben", 11, 22),   // s2
		span("A", "y", "ben", 23, 33),   // s3
		span("A", "z", "ben", 10, 11),   // the space between s1 and s2: no unit
		span("B", "x", "amina", 0, 11),  // B: ben never coded it
		span("A", "x", "chidi", 0, 33),  // not compared
	}
	r, err := coding.BuildReliability(coding.AgreementSpec{Unit: coding.UnitSentence, Coders: []string{"amina", "ben"}, Order: []string{"y", "x"}, Disagreements: true}, units, codings)
	if err != nil {
		t.Fatal(err)
	}
	if r.Units != 3 || r.Dropped != 1 {
		t.Errorf("units %d, dropped %d; want 3 and 1", r.Units, r.Dropped)
	}
	wantSources := []coding.SourceUse{{Source: "A", Units: 3, Used: true}, {Source: "B", Units: 1, Unseen: []string{"ben"}}}
	same(t, "sources", wantSources, r.Sources)
	if want := []string{"y", "x"}; !slices.Equal(r.Codes, want) {
		t.Errorf("codes %v, want %v (z codes no unit; the order is the codebook's)", r.Codes, want)
	}
	// y: s3 by both; x: s1 amina only, s2 both, s3 neither.
	same(t, "ones", [][]int64{{2, 0, 1}, {1, 1, 1}}, r.Ones)
	same(t, "applied", [][]int64{{1, 1}, {2, 1}}, r.Applied)
	want := []coding.Disagreement{{
		Ref: coding.Ref{Source: "A", Unit: coding.UnitSentence, Ord: 1}, Segment: "A:s1", Source: "A", Start: 0, End: 10, Text: "One thing.",
		Codes: []coding.Split{{Code: "x", By: []string{"amina"}, NotBy: []string{"ben"}}},
	}}
	same(t, "disagreements", want, r.Disagreements)

	// Asked for, z is compared though nobody coded a unit with it.
	r, err = coding.BuildReliability(coding.AgreementSpec{Unit: coding.UnitSentence, Coders: []string{"amina", "ben"}, Codes: []string{"z", "x"}}, units, codings)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "ones with --codes z,x", [][]int64{{3, 0, 0}, {1, 1, 1}}, r.Ones)
	if r.Disagreements != nil {
		t.Errorf("disagreements not asked for: %v", r.Disagreements)
	}

	// A source counts as seen by whom the spec says, codings or not.
	r, err = coding.BuildReliability(coding.AgreementSpec{Unit: coding.UnitSentence, Coders: []string{"amina", "ben"}, Seen: map[string][]string{"ben": {"B"}}}, units, codings)
	if err != nil {
		t.Fatal(err)
	}
	if r.Units != 4 || r.Dropped != 0 {
		t.Errorf("with B seen by ben: units %d, dropped %d; want 4 and 0", r.Units, r.Dropped)
	}

	// One source alone: B's units are neither used nor dropped, and its
	// codes and disagreements stay out.
	r, err = coding.BuildReliability(coding.AgreementSpec{Unit: coding.UnitSentence, Coders: []string{"amina", "ben"}, Seen: map[string][]string{"ben": {"B"}},
		Sources: []string{"B"}, Disagreements: true}, units, codings)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "sources of B alone", []coding.SourceUse{{Source: "B", Units: 1, Used: true}}, r.Sources)
	if r.Units != 1 || r.Dropped != 0 || !slices.Equal(r.Codes, []string{"x"}) || len(r.Disagreements) != 1 || r.Disagreements[0].Segment != "B:s1" {
		t.Errorf("B alone: units %d, dropped %d, codes %v, disagreements %v; want 1, 0, [x] and B:s1", r.Units, r.Dropped, r.Codes, r.Disagreements)
	}
}

// Every character is a unit: a coding covers exactly its characters, two
// overlapping codings of one coder cover their union, and a disagreement
// is a stretch of characters with its text, counted in characters however
// many bytes they take.
func TestBuildReliabilityChar(t *testing.T) {
	text := "Naïve café — déjà vu, really."
	n := len([]rune(text)) // 29
	units := []coding.AgreementUnit{{Ref: coding.Ref{Source: "A", Unit: coding.UnitSource}, Start: 0, End: n, Text: text}}
	codings := []coding.Coding{
		span("A", "x", "amina", 0, 10),  // "Naïve café"
		span("A", "x", "amina", 6, 13),  // "café — ": with the first, 0–13
		span("A", "x", "ben", 6, 20),    // "café — déjà vu"
		span("A", "y", "ben", 22, 29),   // "really."
		span("A", "y", "amina", 22, 29), // the same
	}
	r, err := coding.BuildReliability(coding.AgreementSpec{Unit: coding.UnitChar, Coders: []string{"amina", "ben"}, Disagreements: true}, units, codings)
	if err != nil {
		t.Fatal(err)
	}
	if r.Units != int64(n) || !slices.Equal(r.Codes, []string{"x", "y"}) {
		t.Fatalf("units %d codes %v", r.Units, r.Codes)
	}
	// x: both 6–13 (7), amina only 0–6 (6), ben only 13–20 (7), neither 9.
	same(t, "ones", [][]int64{{9, 13, 7}, {22, 0, 7}}, r.Ones)
	var got []string
	for _, d := range r.Disagreements {
		got = append(got, fmt.Sprintf("%s %q %v/%v", d.Segment, d.Text, d.Codes[0].By, d.Codes[0].NotBy))
	}
	want := []string{`A:0-6 "Naïve " [amina]/[ben]`, `A:13-20 "déjà vu" [ben]/[amina]`}
	same(t, "disagreements", want, got)
	// Four kinds of character: x by one coder (either), x by both, y by
	// both, and nothing: 13, 7, 7 and 2 characters.
	same(t, "profiles", []agree.Profile{
		{Count: 13, Codes: []int32{0}, Ones: []int32{1}},
		{Count: 7, Codes: []int32{0}, Ones: []int32{2}},
		{Count: 7, Codes: []int32{1}, Ones: []int32{2}},
		{Count: 2},
	}, r.Profiles)
}

// The statistics of Agreement are those of package agree on the same
// data written out unit by unit.
func TestAgreementMatchesGeneral(t *testing.T) {
	text := textA + " Four. Five. Six."
	units := sentences("A", text, [2]int{0, 10}, [2]int{11, 22}, [2]int{23, 33}, [2]int{34, 39}, [2]int{40, 45}, [2]int{46, 50})
	codings := []coding.Coding{
		span("A", "x", "a", 0, 10), span("A", "x", "b", 0, 10), span("A", "x", "c", 0, 22),
		span("A", "x", "a", 34, 39), span("A", "x", "c", 40, 45),
		span("A", "y", "b", 23, 33), span("A", "y", "c", 23, 33), span("A", "y", "a", 46, 50),
	}
	for _, coders := range [][]string{{"a", "b"}, {"a", "b", "c"}} {
		r, err := coding.BuildReliability(coding.AgreementSpec{Unit: coding.UnitSentence, Coders: coders}, units, codings)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := r.Agreement(200, 3)
		if err != nil {
			t.Fatal(err)
		}
		for c, code := range r.Codes {
			d := &agree.Data{Coders: coders}
			for _, u := range units {
				row := make([]float64, len(coders))
				for i, coder := range coders {
					for _, cd := range codings {
						if cd.Coder == coder && cd.Code == code && cd.Start < u.End && u.Start < cd.End {
							row[i] = 1
						}
					}
				}
				d.Values = append(d.Values, row)
			}
			ca := rep.Codes[c]
			wantA, _ := agree.KrippendorffAlpha(d, agree.Nominal)
			wantF, _ := agree.FleissKappa(d)
			wantP, _ := agree.PercentAgreement(d)
			if !near(ca.Alpha.Value, wantA.Value) || !near(ca.Fleiss.Value, wantF.Value) || !near(ca.Agreement.Value, wantP.Value) || ca.Alpha.Undefined != wantA.Undefined {
				t.Errorf("%v %s: alpha %v fleiss %v percent %v; want %v %v %v", coders, code, ca.Alpha.Value, ca.Fleiss.Value, ca.Agreement.Value, wantA.Value, wantF.Value, wantP.Value)
			}
			if len(coders) == 2 {
				wantC, _ := agree.CohenKappa(d)
				if !near(ca.Cohen.Value, wantC.Value) {
					t.Errorf("%v %s: Cohen %v, want %v", coders, code, ca.Cohen.Value, wantC.Value)
				}
			} else if ca.Cohen != nil {
				t.Errorf("%v: Cohen's kappa for three coders", coders)
			}
			if ca.AlphaInterval == nil || ca.AlphaInterval.Resamples != 200 {
				t.Errorf("%v %s: interval %+v", coders, code, ca.AlphaInterval)
			}
			if ca.All+ca.Some+ca.None != ca.Units {
				t.Errorf("%v %s: all %d + some %d + none %d ≠ units %d", coders, code, ca.All, ca.Some, ca.None, ca.Units)
			}
		}
		if rep.Pooled.Units != r.Units*int64(len(r.Codes)) {
			t.Errorf("pooled units %d", rep.Pooled.Units)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// Validate counts a unit only the candidate coded as a false positive and
// one only the gold coder coded as a false negative.
func TestValidate(t *testing.T) {
	text := textA + " Four. Five. Six."
	units := sentences("A", text, [2]int{0, 10}, [2]int{11, 22}, [2]int{23, 33}, [2]int{34, 39}, [2]int{40, 45}, [2]int{46, 50})
	codings := []coding.Coding{
		// x: gold s1 s2 s3, candidate s1 s2 s4: TP 2, FP 1, FN 1.
		span("A", "x", "gold", 0, 33), span("A", "x", "cand", 0, 22), span("A", "x", "cand", 34, 39),
		// y: gold s5, candidate never: TP 0, FP 0, FN 1 (no precision).
		span("A", "y", "gold", 40, 45),
	}
	r, err := coding.BuildReliability(coding.AgreementSpec{Unit: coding.UnitSentence, Coders: []string{"gold", "cand"}, Disagreements: true}, units, codings)
	if err != nil {
		t.Fatal(err)
	}
	v, err := r.Validate()
	if err != nil {
		t.Fatal(err)
	}
	x, y := v.Codes[0], v.Codes[1]
	if x.TruePositives != 2 || x.FalsePositives != 1 || x.FalseNegatives != 1 || x.TrueNegatives != 2 {
		t.Errorf("x: %+v", x)
	}
	if x.Precision.Value != 2.0/3 || x.Recall.Value != 2.0/3 || x.F1.Value != 2.0/3 {
		t.Errorf("x: precision %v recall %v f1 %v, want 2/3 each", x.Precision, x.Recall, x.F1)
	}
	if !y.Precision.Undefined || y.Recall.Value != 0 || y.F1.Value != 0 || y.F1.Undefined {
		t.Errorf("y: precision %+v recall %+v f1 %+v", y.Precision, y.Recall, y.F1)
	}
	// Micro: TP 2, FP 1, FN 2. Macro precision over x only.
	if v.Micro.Precision.Value != 2.0/3 || v.Micro.Recall.Value != 0.5 || v.Micro.F1.Value != 4.0/7 {
		t.Errorf("micro %+v", v.Micro)
	}
	if v.Macro.Precision.Value != 2.0/3 || v.Macro.Precision.Codes != 1 || v.Macro.Recall.Value != 1.0/3 || v.Macro.Recall.Codes != 2 {
		t.Errorf("macro %+v", v.Macro)
	}
	var errs []string
	for _, e := range v.Errors {
		errs = append(errs, e.Code+" "+e.Kind+" "+e.Segment)
	}
	want := []string{"x false_negative A:s3", "x false_positive A:s4", "y false_negative A:s5"}
	same(t, "errors", want, errs)
}

func TestBuildReliabilityBadSpec(t *testing.T) {
	for _, spec := range []coding.AgreementSpec{
		{Unit: coding.UnitSentence, Coders: []string{"amina"}},
		{Unit: coding.UnitSentence, Coders: []string{"amina", "amina"}},
		{Unit: "word", Coders: []string{"amina", "ben"}},
		{Unit: coding.UnitSentence, Coders: []string{"amina", "ben"}, Codes: []string{"x", "x"}},
	} {
		if _, err := coding.BuildReliability(spec, nil, nil); err == nil {
			t.Errorf("%+v: no error", spec)
		}
	}
	if _, err := coding.ParseAgreementUnit("char"); err != nil {
		t.Error(err)
	}
}

// No unit seen by every coder: every figure is undefined, none is NaN.
func TestAgreementNothingToCompare(t *testing.T) {
	units := sentences("A", textA, [2]int{0, 10})
	r, err := coding.BuildReliability(coding.AgreementSpec{Unit: coding.UnitSentence, Coders: []string{"a", "b"}, Codes: []string{"x"}},
		units, []coding.Coding{span("A", "x", "a", 0, 10)})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := r.Agreement(100, 1)
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Codes[0]
	if r.Units != 0 || r.Dropped != 1 || !c.Alpha.Undefined || !c.Cohen.Undefined || !c.Agreement.Undefined || !c.AlphaInterval.Undefined || !rep.Pooled.Alpha.Undefined {
		t.Errorf("units %d dropped %d: %+v", r.Units, r.Dropped, c)
	}
}

// same reports whether got is want, deeply, and says what differs.
func same(t *testing.T, what string, want, got any) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func ExampleBuildReliability() {
	text := "We came to teach. They knew more. We listened. It changed us."
	units := sentences("P03", text, [2]int{0, 17}, [2]int{18, 33}, [2]int{34, 46}, [2]int{47, 61})
	codings := []coding.Coding{
		{Source: "P03", Start: 0, End: 17, Code: "top_down_teaching", Coder: "amina"},
		{Source: "P03", Start: 0, End: 33, Code: "top_down_teaching", Coder: "ben"}, // a span over s1 and s2
		{Source: "P03", Start: 18, End: 33, Code: "learning_from_partner", Coder: "amina"},
		{Source: "P03", Start: 18, End: 46, Code: "learning_from_partner", Coder: "ben"},
	}
	// Without Codes and Order, the codes the coders applied, by id.
	spec := coding.AgreementSpec{Unit: coding.UnitSentence, Coders: []string{"amina", "ben"}, Disagreements: true}
	r, err := coding.BuildReliability(spec, units, codings)
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := r.Agreement(0, 1) // no bootstrap
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range append(rep.Codes, rep.Pooled) {
		fmt.Printf("%-21s both %d, one %d, neither %d: agreement %.2f, kappa %.3f, alpha %.3f\n",
			c.Code, c.All, c.Some, c.None, c.Agreement.Value, c.Cohen.Value, c.Alpha.Value)
	}
	for _, d := range rep.Disagreements {
		fmt.Printf("%s %q: %s by %v, not by %v\n", d.Segment, d.Text, d.Codes[0].Code, d.Codes[0].By, d.Codes[0].NotBy)
	}
	// Output:
	// learning_from_partner both 1, one 1, neither 2: agreement 0.75, kappa 0.500, alpha 0.533
	// top_down_teaching     both 1, one 1, neither 2: agreement 0.75, kappa 0.500, alpha 0.533
	//                       both 2, one 2, neither 4: agreement 0.75, kappa 0.500, alpha 0.533
	// P03:s2 "They knew more.": top_down_teaching by [ben], not by [amina]
	// P03:s3 "We listened.": learning_from_partner by [ben], not by [amina]
}
