package agree_test

import (
	"math"
	"testing"

	"qcode/coding/agree"
)

// These tests check every statistic, and alpha at every level, against
// worked examples whose values were published, to the decimals published
// (three or more). The data are typed in from the sources named.

var na = agree.Missing

// byCoder builds Data from rows that are coders (as Krippendorff prints
// reliability data): rows[c][u] is coder c's value for unit u.
func byCoder(coders []string, rows ...[]float64) *agree.Data {
	d := &agree.Data{Coders: coders}
	for u := range rows[0] {
		row := make([]float64, len(rows))
		for c := range rows {
			row[c] = rows[c][u]
		}
		d.Values = append(d.Values, row)
	}
	return d
}

// fromCounts builds Data from a units × categories table of how many
// ratings each unit got in each category (Fleiss' layout): unit u's ratings
// fill the first columns in category order. Category j is the value j.
func fromCounts(counts [][]int) *agree.Data {
	raters := 0
	for _, row := range counts {
		n := 0
		for _, k := range row {
			n += k
		}
		raters = max(raters, n)
	}
	d := &agree.Data{Coders: make([]string, raters)}
	for c := range d.Coders {
		d.Coders[c] = string(rune('a' + c))
	}
	for _, row := range counts {
		vals := make([]float64, 0, raters)
		for j, k := range row {
			for range k {
				vals = append(vals, float64(j))
			}
		}
		for len(vals) < raters {
			vals = append(vals, na)
		}
		d.Values = append(d.Values, vals)
	}
	return d
}

// fromTable builds two-coder Data from a contingency table: table[i][j]
// units that coder A put in category i and coder B in category j.
func fromTable(table [][]int) *agree.Data {
	d := &agree.Data{Coders: []string{"A", "B"}}
	for i, row := range table {
		for j, k := range row {
			for range k {
				d.Values = append(d.Values, []float64{float64(i), float64(j)})
			}
		}
	}
	return d
}

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.6f, want %.6f (±%g)", what, got, want, tol)
	}
}

// krippendorff2011 is the reliability data of Krippendorff, K. (2011),
// "Computing Krippendorff's Alpha-Reliability", Departmental Papers (ASC)
// 43, University of Pennsylvania: the example "any number of observers,
// missing data" (4 observers × 12 units; "." is missing), reused there for
// the ordinal, interval and ratio examples. It is also in Krippendorff
// (2019), Content Analysis, 4th ed., ch. 12.
func krippendorff2011() *agree.Data {
	return byCoder([]string{"A", "B", "C", "D"},
		[]float64{1, 2, 3, 3, 2, 1, 4, 1, 2, na, na, na},
		[]float64{1, 2, 3, 3, 2, 2, 4, 1, 2, 5, na, 3},
		[]float64{na, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, na},
		[]float64{1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, na},
	)
}

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": the
// 4 observers × 12 units example gives α = 0.743 (nominal), 0.815
// (ordinal), 0.849 (interval) and 0.797 (ratio), from n = 40 pairable
// values (unit 12 has one value and is left out).
func TestAlphaKrippendorff2011(t *testing.T) {
	d := krippendorff2011()
	for _, tc := range []struct {
		level agree.Level
		want  float64
	}{
		{agree.Nominal, 0.743},
		{agree.Ordinal, 0.815},
		{agree.Interval, 0.849},
		{agree.Ratio, 0.797},
	} {
		t.Run(tc.level.String(), func(t *testing.T) {
			a, err := agree.KrippendorffAlpha(d, tc.level)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "alpha", a.Value, tc.want, 0.0005)
			if a.Undefined || a.Units != 11 || a.Dropped != 1 || a.Values != 40 || a.Coders != 4 {
				t.Errorf("counts = %+v, want 11 units, 1 dropped, 40 values, 4 coders", a)
			}
		})
	}
}

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": the
// first example, binary data, two observers, no missing data, 10 units:
// α = 1 − (20 − 1)·4/(14·6) = 0.095.
func TestAlphaKrippendorff2011Binary(t *testing.T) {
	a := []float64{0, 1, 0, 0, 0, 0, 0, 0, 1, 0}
	b := []float64{1, 1, 1, 0, 0, 1, 0, 0, 0, 0}
	got, err := agree.KrippendorffAlpha(byCoder([]string{"A", "B"}, a, b), agree.Nominal)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "alpha", got.Value, 0.095, 0.0005)
	if got.Values != 20 {
		t.Errorf("n = %d, want 20", got.Values)
	}

	// The same data as presence counts of one code.
	p, err := agree.CountPresence(bools(a), bools(b))
	if err != nil {
		t.Fatal(err)
	}
	if want := (agree.Presence{Both: 1, OnlyA: 1, OnlyB: 3, Neither: 5}); p != want {
		t.Fatalf("presence = %+v, want %+v", p, want)
	}
	s, err := p.Stats()
	if err != nil {
		t.Fatal(err)
	}
	near(t, "presence alpha", s.Alpha.Value, 0.095, 0.0005)
}

func bools(v []float64) []bool {
	out := make([]bool, len(v))
	for i, x := range v {
		out[i] = x == 1
	}
	return out
}

// Wikipedia, "Krippendorff's alpha", section "A computational example":
// 3 coders × 15 units with missing values ("*"), nominal α = 0.691.
func TestAlphaWikipediaExample(t *testing.T) {
	d := byCoder([]string{"A", "B", "C"},
		[]float64{na, na, na, na, na, 3, 4, 1, 2, 1, 1, 3, 3, na, 3},
		[]float64{1, na, 2, 1, 3, 3, 4, 3, na, na, na, na, na, na, na},
		[]float64{na, na, 2, 1, 3, 4, 4, na, 2, 1, 1, 3, 3, na, 4},
	)
	a, err := agree.KrippendorffAlpha(d, agree.Nominal)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "alpha", a.Value, 0.691, 0.0005)
}

// Gwet, K. L., irrCAC R package, README/vignette "Calculating
// Chance-corrected Agreement Coefficients (CAC)" (data cac.raw4raters, from
// Gwet 2014, Handbook of Inter-Rater Reliability, 4th ed., p. 120: the
// Krippendorff 2011 data, with unit 12's lone value given by rater 3):
// pa.coeff.raw gives 0.8181818, bp.coeff.raw 0.77273 (pe = 0.2, 5
// categories), krippen.alpha.raw 0.74342.
func TestGwetRaw4Raters(t *testing.T) {
	d := byCoder([]string{"Rater1", "Rater2", "Rater3", "Rater4"},
		[]float64{1, 2, 3, 3, 2, 1, 4, 1, 2, na, na, na},
		[]float64{1, 2, 3, 3, 2, 2, 4, 1, 2, 5, na, na},
		[]float64{na, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3},
		[]float64{1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, na},
	)
	p, err := agree.PercentAgreement(d)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "percent agreement", p.Value, 0.8181818, 5e-7)
	if p.Units != 11 || p.Dropped != 1 || p.Values != 40 {
		t.Errorf("percent counts = %+v, want 11 units, 1 dropped, 40 values", p)
	}
	bp, err := agree.BrennanPrediger(d, 0)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "Brennan–Prediger", bp.Value, 0.77273, 5e-6)
	if bp.Q != 5 || bp.Expected != 0.2 {
		t.Errorf("q = %d, Pe = %g; want 5 and 0.2", bp.Q, bp.Expected)
	}
	a, err := agree.KrippendorffAlpha(d, agree.Nominal)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "alpha", a.Value, 0.74342, 5e-6)
}

// Gwet, K. L., irrCAC R package, README/vignette "Calculating
// Chance-corrected Agreement Coefficients (CAC)": data distrib.6raters,
// 6 psychiatrists classifying 15 patients into 5 diagnoses (from Fleiss,
// J. L. (1971), "Measuring nominal scale agreement among many raters",
// Psychological Bulletin 76(5), 378–382). fleiss.kappa.dist gives
// κ = 0.4139265 (pa = 0.5511111, pe = 0.2340741), bp.coeff.dist 0.4388889
// and krippen.alpha.dist 0.4204384.
func TestGwetFleissSixRaters(t *testing.T) {
	d := fromCounts([][]int{
		// Depression, Personality disorder, Schizophrenia, Neurosis, Other
		{0, 0, 0, 6, 0},
		{0, 3, 0, 0, 3},
		{0, 1, 4, 0, 1},
		{0, 0, 0, 0, 6},
		{0, 3, 0, 3, 0},
		{2, 0, 4, 0, 0},
		{0, 0, 4, 0, 2},
		{2, 0, 3, 1, 0},
		{2, 0, 0, 4, 0},
		{0, 0, 0, 0, 6},
		{1, 0, 0, 5, 0},
		{1, 1, 0, 4, 0},
		{0, 3, 3, 0, 0},
		{1, 0, 0, 5, 0},
		{0, 2, 0, 3, 1},
	})
	k, err := agree.FleissKappa(d)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "Fleiss' kappa", k.Value, 0.4139265, 5e-7)
	near(t, "P̄", k.Observed, 0.5511111, 5e-7)
	near(t, "P̄e", k.Expected, 0.2340741, 5e-7)
	if k.Units != 15 || k.Dropped != 0 || k.Coders != 6 || k.Categories != 5 {
		t.Errorf("counts = %+v, want 15 units, 0 dropped, 6 coders, 5 categories", k)
	}
	bp, err := agree.BrennanPrediger(d, 0)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "Brennan–Prediger", bp.Value, 0.4388889, 5e-7)
	p, err := agree.PercentAgreement(d)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "percent agreement", p.Value, 0.5511111, 5e-7)
	a, err := agree.KrippendorffAlpha(d, agree.Nominal)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "alpha", a.Value, 0.4204384, 5e-7)
}

// Wikipedia, "Fleiss' kappa", section "Worked example": 10 subjects, 14
// raters, 5 categories; P̄ = 0.378, P̄e = 0.213, κ = 0.210.
func TestFleissWikipediaExample(t *testing.T) {
	d := fromCounts([][]int{
		{0, 0, 0, 0, 14},
		{0, 2, 6, 4, 2},
		{0, 0, 3, 5, 6},
		{0, 3, 9, 2, 0},
		{2, 2, 8, 1, 1},
		{7, 7, 0, 0, 0},
		{3, 2, 6, 3, 0},
		{2, 5, 3, 2, 2},
		{6, 5, 2, 1, 0},
		{0, 2, 2, 3, 7},
	})
	k, err := agree.FleissKappa(d)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "kappa", k.Value, 0.210, 0.0005)
	near(t, "P̄", k.Observed, 0.378, 0.0005)
	near(t, "P̄e", k.Expected, 0.213, 0.0005)
	if k.Units != 10 || k.Coders != 14 {
		t.Errorf("counts = %+v, want 10 units, 14 coders", k)
	}
}

// Wikipedia, "Cohen's kappa", section "Simple example": 50 grant proposals
// read by A and B; both yes 20, A yes B no 5, A no B yes 10, both no 15:
// po = 0.7, pe = 0.5, κ = 0.4.
func TestCohenWikipediaExample(t *testing.T) {
	// Rows: A yes, A no; columns: B yes, B no.
	d := fromTable([][]int{{20, 5}, {10, 15}})
	k, err := agree.CohenKappa(d)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "kappa", k.Value, 0.4, 1e-12)
	near(t, "po", k.Observed, 0.7, 1e-12)
	near(t, "pe", k.Expected, 0.5, 1e-12)
	if k.Units != 50 || k.Categories != 2 {
		t.Errorf("counts = %+v, want 50 units, 2 categories", k)
	}

	s, err := agree.Presence{Both: 20, OnlyA: 5, OnlyB: 10, Neither: 15}.Stats()
	if err != nil {
		t.Fatal(err)
	}
	near(t, "presence kappa", s.Cohen.Value, 0.4, 1e-12)
	near(t, "presence agreement", s.Agreement.Value, 0.7, 1e-12)
}

// Gwet, K. L., irrCAC R package, README/vignette "Calculating
// Chance-corrected Agreement Coefficients (CAC)": data cont3x3abstractors,
// 100 pregnancies classified by two abstractors as ectopic, abnormal
// intrauterine (AIU) or normal intrauterine (NIU) (from Gwet 2014,
// Handbook of Inter-Rater Reliability, 4th ed.). kappa2.table gives Cohen's
// κ = 0.7964094, bp2.table 0.835, pa2.table 0.89 and krippen2.table
// α = 0.7972585.
func TestGwetAbstractors(t *testing.T) {
	// Rows: abstractor 1; columns: abstractor 2 (Ectopic, AIU, NIU).
	d := fromTable([][]int{
		{13, 0, 0},
		{0, 20, 7},
		{0, 4, 56},
	})
	k, err := agree.CohenKappa(d)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "Cohen's kappa", k.Value, 0.7964094, 5e-7)
	bp, err := agree.BrennanPrediger(d, 0)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "Brennan–Prediger", bp.Value, 0.835, 5e-7)
	p, err := agree.PercentAgreement(d)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "percent agreement", p.Value, 0.89, 1e-12)
	a, err := agree.KrippendorffAlpha(d, agree.Nominal)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "alpha", a.Value, 0.7972585, 5e-7)
}

// Ordinal alpha ranks text categories in the order given: the Krippendorff
// (2011) data with its values 1–5 written as words gives the same 0.815.
func TestAlphaOrdinalLabels(t *testing.T) {
	words := []string{"", "very low", "low", "mid", "high", "very high"}
	src := krippendorff2011()
	values := make([][]string, len(src.Values))
	for u, row := range src.Values {
		values[u] = make([]string, len(row))
		for c, v := range row {
			if !agree.IsMissing(v) {
				values[u][c] = words[int(v)]
			}
		}
	}
	d, err := agree.FromStrings(src.Coders, nil, values, words[1:])
	if err != nil {
		t.Fatal(err)
	}
	a, err := agree.KrippendorffAlpha(d, agree.Ordinal)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "alpha", a.Value, 0.815, 0.0005)

	// Without the order, ordinal alpha refuses to guess one.
	d, err = agree.FromStrings(src.Coders, nil, values, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := agree.KrippendorffAlpha(d, agree.Ordinal); err == nil {
		t.Error("ordinal alpha on unordered text categories: no error")
	}
	if a, err := agree.KrippendorffAlpha(d, agree.Nominal); err != nil || math.Abs(a.Value-0.743) > 0.0005 {
		t.Errorf("nominal alpha on text categories = %.4f, %v; want 0.743", a.Value, err)
	}
}
