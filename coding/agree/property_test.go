package agree_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"qcode"
	"qcode/coding/agree"
)

// all runs every statistic on d and returns their values by name; kappa
// and alpha statistics that need two coders or numbers are left out when d
// does not fit them.
func all(t *testing.T, d *agree.Data) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	p, err := agree.PercentAgreement(d)
	if err != nil {
		t.Fatal(err)
	}
	out["percent"] = p.Value
	if len(d.Coders) == 2 {
		k, err := agree.CohenKappa(d)
		if err != nil {
			t.Fatal(err)
		}
		out["cohen"] = k.Value
	}
	k, err := agree.FleissKappa(d)
	if err != nil {
		t.Fatal(err)
	}
	out["fleiss"] = k.Value
	bp, err := agree.BrennanPrediger(d, 0)
	if err != nil {
		t.Fatal(err)
	}
	out["bp"] = bp.Value
	for _, l := range agree.Levels {
		a, err := agree.KrippendorffAlpha(d, l)
		if err != nil {
			t.Fatal(err)
		}
		out["alpha "+l.String()] = a.Value
	}
	for name, v := range out {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Errorf("%s = %g", name, v)
		}
	}
	return out
}

// random returns reliability data of small whole numbers 1–5 with about
// one value in five missing.
func random(r *rand.Rand, units, coders int) *agree.Data {
	d := &agree.Data{}
	for c := range coders {
		d.Coders = append(d.Coders, string(rune('A'+c)))
	}
	for range units {
		row := make([]float64, coders)
		truth := float64(1 + r.IntN(5))
		for c := range row {
			switch x := r.IntN(10); {
			case x < 2:
				row[c] = agree.Missing
			case x < 7:
				row[c] = truth
			default:
				row[c] = float64(1 + r.IntN(5))
			}
		}
		d.Values = append(d.Values, row)
	}
	return d
}

func TestPerfectAgreement(t *testing.T) {
	for _, coders := range []int{2, 3, 5} {
		d := &agree.Data{Coders: make([]string, coders)}
		for u := range 20 {
			row := make([]float64, coders)
			for c := range row {
				row[c] = float64(u%4 + 1)
			}
			d.Values = append(d.Values, row)
		}
		for name, v := range all(t, d) {
			if v != 1 {
				t.Errorf("%d coders: %s = %v, want exactly 1", coders, name, v)
			}
		}
		iv, err := agree.Bootstrap(d, agree.Interval, 200, 7)
		if err != nil {
			t.Fatal(err)
		}
		if iv.Low != 1 || iv.High != 1 {
			t.Errorf("%d coders: bootstrap interval [%g, %g], want [1, 1]", coders, iv.Low, iv.High)
		}
	}
}

// Permuting the coders (columns) or the units (rows) changes no statistic.
func TestPermutationInvariance(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 20 {
		coders := 2 + trial%3
		d := random(r, 30, coders)
		want := all(t, d)

		perm := r.Perm(coders)
		byCoders := &agree.Data{Coders: make([]string, coders)}
		for _, row := range d.Values {
			p := make([]float64, coders)
			for i, c := range perm {
				p[i] = row[c]
			}
			byCoders.Values = append(byCoders.Values, p)
		}
		byUnits := &agree.Data{Coders: d.Coders}
		for _, u := range r.Perm(len(d.Values)) {
			byUnits.Values = append(byUnits.Values, d.Values[u])
		}
		for _, p := range []*agree.Data{byCoders, byUnits} {
			for name, v := range all(t, p) {
				if math.Abs(v-want[name]) > 1e-12 {
					t.Errorf("trial %d: %s = %v after permuting, %v before", trial, name, v, want[name])
				}
			}
		}
	}
}

// Coders who disagree systematically (one says what the other does not)
// give alpha below 0 at every level.
func TestSystematicDisagreement(t *testing.T) {
	d := &agree.Data{Coders: []string{"A", "B"}}
	for u := range 20 {
		if u%2 == 0 {
			d.Values = append(d.Values, []float64{1, 5})
		} else {
			d.Values = append(d.Values, []float64{5, 1})
		}
	}
	for _, l := range agree.Levels {
		a, err := agree.KrippendorffAlpha(d, l)
		if err != nil {
			t.Fatal(err)
		}
		if a.Undefined || a.Value >= 0 {
			t.Errorf("%s alpha = %v (undefined %v), want below 0", l, a.Value, a.Undefined)
		}
	}
	k, err := agree.CohenKappa(d)
	if err != nil {
		t.Fatal(err)
	}
	if k.Value != -1 {
		t.Errorf("Cohen's kappa = %v, want -1", k.Value)
	}
}

// Percent agreement for two coders is the share of units they agree on.
func TestPercentTwoCoders(t *testing.T) {
	d := &agree.Data{Coders: []string{"A", "B"}, Values: [][]float64{
		{1, 1}, {2, 2}, {1, 2}, {3, 3}, {na, 3}, {2, 1}, {3, 3}, {1, 1},
	}}
	p, err := agree.PercentAgreement(d)
	if err != nil {
		t.Fatal(err)
	}
	if p.Value != 5.0/7 || p.Units != 7 || p.Dropped != 1 || p.Values != 14 {
		t.Errorf("got %+v, want 5/7 over 7 units, 1 dropped, 14 values", p)
	}
}

func TestBootstrap(t *testing.T) {
	d := krippendorff2011()
	for _, l := range agree.Levels {
		a, err := agree.Bootstrap(d, l, 1000, 42)
		if err != nil {
			t.Fatal(err)
		}
		b, err := agree.Bootstrap(d, l, 1000, 42)
		if err != nil {
			t.Fatal(err)
		}
		if a != b {
			t.Errorf("%s: same seed, different answers:\n%+v\n%+v", l, a, b)
		}
		point, _ := agree.KrippendorffAlpha(d, l)
		if a.Alpha != point {
			t.Errorf("%s: bootstrap point estimate %+v, KrippendorffAlpha %+v", l, a.Alpha, point)
		}
		if a.Undefined || !(a.Low <= point.Value && point.Value <= a.High) || a.High > 1 {
			t.Errorf("%s: interval [%.3f, %.3f] does not hold alpha = %.3f", l, a.Low, a.High, point.Value)
		}
		if a.Resamples != 1000 || a.Seed != 42 {
			t.Errorf("%s: resamples %d, seed %d", l, a.Resamples, a.Seed)
		}
		c, err := agree.Bootstrap(d, l, 1000, 43)
		if err != nil {
			t.Fatal(err)
		}
		if c.Low == a.Low && c.High == a.High {
			t.Errorf("%s: seeds 42 and 43 gave the same interval [%v, %v]", l, a.Low, a.High)
		}
	}
	if _, err := agree.Bootstrap(d, agree.Nominal, 0, 1); qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("0 resamples: err = %v, want EINVALID", err)
	}
}

// The presence statistics in closed form equal the general functions on
// the same data.
func TestPresenceClosedForm(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cases := []agree.Presence{
		{}, {Neither: 7}, {Both: 7}, {OnlyA: 3}, {OnlyA: 2, OnlyB: 2}, {Both: 1, Neither: 1},
	}
	for range 200 {
		cases = append(cases, agree.Presence{Both: r.IntN(6), OnlyA: r.IntN(6), OnlyB: r.IntN(6), Neither: r.IntN(30)})
	}
	for _, p := range cases {
		s, err := p.Stats()
		if err != nil {
			t.Fatal(err)
		}
		d := p.Data()
		pa, _ := agree.PercentAgreement(d)
		k, _ := agree.CohenKappa(d)
		a, _ := agree.KrippendorffAlpha(d, agree.Nominal)
		bp, _ := agree.BrennanPrediger(d, 2)
		check := func(what string, got, want float64, gu, wu bool) {
			if math.Abs(got-want) > 1e-12 || gu != wu {
				t.Errorf("%+v: %s = %v (undefined %v), general %v (undefined %v)", p, what, got, gu, want, wu)
			}
		}
		check("agreement", s.Agreement.Value, pa.Value, s.Agreement.Undefined, pa.Undefined)
		check("kappa", s.Cohen.Value, k.Value, s.Cohen.Undefined, k.Undefined)
		check("kappa pe", s.Cohen.Expected, k.Expected, false, false)
		check("alpha", s.Alpha.Value, a.Value, s.Alpha.Undefined, a.Undefined)
		check("alpha do", s.Alpha.Observed, a.Observed, false, false)
		check("alpha de", s.Alpha.Expected, a.Expected, false, false)
		check("Brennan–Prediger", s.BrennanPrediger.Value, bp.Value, s.BrennanPrediger.Undefined, bp.Undefined)
		if s.Cohen.Categories != k.Categories {
			t.Errorf("%+v: categories %d, general %d", p, s.Cohen.Categories, k.Categories)
		}
		if s.Units != p.Units() || s.Units != len(d.Values) {
			t.Errorf("%+v: units %d", p, s.Units)
		}
	}
}

func TestPresencePositive(t *testing.T) {
	s, _ := agree.Presence{Both: 3, OnlyA: 1, OnlyB: 1, Neither: 95}.Stats()
	if s.Positive != 0.75 || s.PositiveUndefined {
		t.Errorf("positive agreement = %v, want 0.75", s.Positive)
	}
	// A code nobody applied: they agree on every unit, which shows nothing.
	s, _ = agree.Presence{Neither: 50}.Stats()
	if s.Agreement.Value != 1 || !s.PositiveUndefined || s.Positive != 0 ||
		!s.Cohen.Undefined || s.Cohen.Value != 0 || !s.Alpha.Undefined || s.Alpha.Value != 0 ||
		s.BrennanPrediger.Value != 1 {
		t.Errorf("code never applied: %+v", s)
	}
	if _, err := agree.CountPresence([]bool{true}, nil); qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("unequal lengths: err = %v", err)
	}
	if _, err := (agree.Presence{Both: -1}).Stats(); qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("negative count: err = %v", err)
	}
}

// Degenerate data get the documented answers: percent agreement 1 when
// every value is the same; kappa and alpha Undefined with value 0 when no
// disagreement can be expected or nothing is pairable; Brennan–Prediger,
// being free-marginal, 1 for one category. Never NaN, never a panic.
func TestDegenerate(t *testing.T) {
	type want struct {
		percent, cohen, fleiss, bp, alpha float64
		pU, cU, fU, bU, aU                bool // undefined
	}
	cases := []struct {
		name string
		d    *agree.Data
		want want
	}{
		{"zero units", &agree.Data{Coders: []string{"A", "B"}},
			want{pU: true, cU: true, fU: true, bU: true, aU: true}},
		{"all missing", &agree.Data{Coders: []string{"A", "B"}, Values: [][]float64{{na, na}, {na, na}}},
			want{pU: true, cU: true, fU: true, bU: true, aU: true}},
		{"one coder", &agree.Data{Coders: []string{"A"}, Values: [][]float64{{1}, {2}, {3}}},
			want{pU: true, cU: true, fU: true, bU: true, aU: true}},
		{"one category", &agree.Data{Coders: []string{"A", "B"}, Values: [][]float64{{2, 2}, {2, 2}, {2, na}}},
			want{percent: 1, bp: 1, cU: true, fU: true, aU: true}},
		{"single unit, agreeing", &agree.Data{Coders: []string{"A", "B"}, Values: [][]float64{{4, 4}}},
			want{percent: 1, bp: 1, cU: true, fU: true, aU: true}},
		{"single unit, disagreeing", &agree.Data{Coders: []string{"A", "B"}, Values: [][]float64{{1, 3}}},
			want{percent: 0, cohen: 0, fleiss: -1, bp: -1, alpha: 0}},
		{"no unit pairable", &agree.Data{Coders: []string{"A", "B"}, Values: [][]float64{{1, na}, {na, 2}}},
			want{pU: true, cU: true, fU: true, bU: true, aU: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.d
			p, err := agree.PercentAgreement(d)
			if err != nil {
				t.Fatal(err)
			}
			expect(t, "percent", p.Value, p.Undefined, tc.want.percent, tc.want.pU)
			if len(d.Coders) == 2 {
				k, err := agree.CohenKappa(d)
				if err != nil {
					t.Fatal(err)
				}
				expect(t, "cohen", k.Value, k.Undefined, tc.want.cohen, tc.want.cU)
			}
			k, err := agree.FleissKappa(d)
			if err != nil {
				t.Fatal(err)
			}
			expect(t, "fleiss", k.Value, k.Undefined, tc.want.fleiss, tc.want.fU)
			bp, err := agree.BrennanPrediger(d, 0)
			if err != nil {
				t.Fatal(err)
			}
			expect(t, "bp", bp.Value, bp.Undefined, tc.want.bp, tc.want.bU)
			for _, l := range agree.Levels {
				a, err := agree.KrippendorffAlpha(d, l)
				if err != nil {
					t.Fatal(err)
				}
				expect(t, "alpha "+l.String(), a.Value, a.Undefined, tc.want.alpha, tc.want.aU)
				iv, err := agree.Bootstrap(d, l, 50, 1)
				if err != nil {
					t.Fatal(err)
				}
				if iv.Undefined != tc.want.aU || math.IsNaN(iv.Low) || math.IsNaN(iv.High) {
					t.Errorf("bootstrap %s: %+v", l, iv)
				}
				if _, err := json.Marshal(iv); err != nil {
					t.Errorf("bootstrap %s: %v", l, err)
				}
			}
		})
	}
}

func expect(t *testing.T, name string, got float64, undefined bool, want float64, wantUndefined bool) {
	t.Helper()
	if got != want || undefined != wantUndefined {
		t.Errorf("%s = %v (undefined %v), want %v (undefined %v)", name, got, undefined, want, wantUndefined)
	}
}

// Interval data whose values are all the same decimal are undefined, not
// alpha = 1 from rounding.
func TestAlphaConstantDecimals(t *testing.T) {
	d := &agree.Data{Coders: []string{"A", "B", "C"}, Values: [][]float64{{0.1, 0.1, 0.1}, {0.1, 0.1, na}, {0.1, 0.1, 0.1}}}
	for _, l := range agree.Levels {
		a, err := agree.KrippendorffAlpha(d, l)
		if err != nil {
			t.Fatal(err)
		}
		if !a.Undefined || a.Value != 0 || a.Observed != 0 || a.Expected != 0 {
			t.Errorf("%s: %+v, want undefined", l, a)
		}
	}
}

func TestErrors(t *testing.T) {
	three := &agree.Data{Coders: []string{"A", "B", "C"}, Values: [][]float64{{1, 2, 3}}}
	text, err := agree.FromStrings([]string{"A", "B"}, []string{"U1", "U2"}, [][]string{{"yes", "no"}, {"", "maybe"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	negative := &agree.Data{Coders: []string{"A", "B"}, Values: [][]float64{{1, -2}}}
	cases := []struct {
		name string
		run  func() error
		want string
	}{
		{"cohen with three coders", func() error { _, err := agree.CohenKappa(three); return err },
			"Cohen's kappa compares two coders, but the data has 3"},
		{"interval on text", func() error { _, err := agree.KrippendorffAlpha(text, agree.Interval); return err },
			`unit U1, coder A: "yes" is not a number, but interval alpha needs numbers`},
		{"ratio on text", func() error { _, err := agree.Bootstrap(text, agree.Ratio, 10, 1); return err },
			"ratio alpha needs numbers"},
		{"ordinal on unordered text", func() error { _, err := agree.KrippendorffAlpha(text, agree.Ordinal); return err },
			"ordinal alpha needs the categories' order"},
		{"ratio with a negative value", func() error { _, err := agree.KrippendorffAlpha(negative, agree.Ratio); return err },
			"unit 1, coder B: the value -2 is negative"},
		{"ragged data", func() error {
			_, err := agree.PercentAgreement(&agree.Data{Coders: []string{"A", "B"}, Values: [][]float64{{1}}})
			return err
		}, "unit 1 has 1 values but there are 2 coders"},
		{"infinite value", func() error {
			_, err := agree.FleissKappa(&agree.Data{Coders: []string{"A", "B"}, Values: [][]float64{{1, math.Inf(1)}}})
			return err
		}, "infinite"},
		{"label out of range", func() error {
			_, err := agree.PercentAgreement(&agree.Data{Coders: []string{"A", "B"}, Labels: []string{"x"}, Values: [][]float64{{0, 1}}})
			return err
		}, "is not a category"},
		{"unit ids", func() error {
			_, err := agree.PercentAgreement(&agree.Data{Coders: []string{"A"}, Units: []string{"U1"}})
			return err
		}, "1 unit ids for 0 rows"},
		{"nil data", func() error { _, err := agree.KrippendorffAlpha(nil, agree.Nominal); return err },
			"no reliability data"},
		{"unknown level", func() error { _, err := agree.KrippendorffAlpha(three, agree.Level(9)); return err },
			"unknown level"},
		{"q of 1", func() error { _, err := agree.BrennanPrediger(three, 1); return err },
			"q is 1"},
		{"q below the categories", func() error { _, err := agree.BrennanPrediger(three, 2); return err },
			"q is 2, but the data has 3 categories; say 3 or more"},
		{"negative q", func() error { _, err := agree.BrennanPrediger(three, -1); return err },
			"q is -1"},
		{"value outside the order", func() error {
			_, err := agree.FromStrings([]string{"A"}, nil, [][]string{{"high"}}, []string{"low", "mid"})
			return err
		}, `unit 1, coder A: "high" is not one of the categories (low, mid)`},
		{"category twice in the order", func() error {
			_, err := agree.FromStrings([]string{"A"}, nil, nil, []string{"low", "low"})
			return err
		}, `category "low" is in the order twice`},
		{"coder named twice", func() error {
			_, err := agree.FromStrings([]string{"A", "A"}, nil, nil, nil)
			return err
		}, `coder "A" is named twice`},
		{"row too short", func() error {
			_, err := agree.FromStrings([]string{"A", "B"}, []string{"s1"}, [][]string{{"1"}}, nil)
			return err
		}, "unit s1 has 1 values but there are 2 coders"},
		{"unknown coder", func() error { _, err := three.Select("A", "D"); return err },
			`coders D: no such coder in the data; choose one of A, B, C`},
		{"unknown level name", func() error { _, err := agree.ParseLevel("ordnial"); return err },
			"level ordnial: unknown level of measurement; choose one of nominal, ordinal, interval, ratio"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if qcode.ErrorCode(err) != qcode.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %q, want it to hold %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %q is not one line", err)
			}
		})
	}
}

func TestSelect(t *testing.T) {
	d := krippendorff2011()
	ab, err := d.Select("B", "D")
	if err != nil {
		t.Fatal(err)
	}
	if len(ab.Coders) != 2 || ab.Values[9][0] != 5 || !agree.IsMissing(ab.Values[11][1]) {
		t.Errorf("Select(B, D) = %+v", ab)
	}
	k, err := agree.CohenKappa(ab)
	if err != nil {
		t.Fatal(err)
	}
	if k.Units != 10 || k.Dropped != 2 {
		t.Errorf("Cohen's kappa of B and D used %d units, dropped %d; want 10 and 2", k.Units, k.Dropped)
	}
}

func TestLevelText(t *testing.T) {
	for _, l := range agree.Levels {
		b, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		var back agree.Level
		if err := json.Unmarshal(b, &back); err != nil || back != l {
			t.Errorf("%s: JSON %s read back as %v, %v", l, b, back, err)
		}
	}
}

// Huge and tiny numbers neither overflow nor vanish: interval alpha does
// not change when every value is scaled.
func TestAlphaExtremeValues(t *testing.T) {
	base := krippendorff2011()
	for _, scale := range []float64{1e300, 1e-300, -1e307} {
		d := &agree.Data{Coders: base.Coders}
		for _, row := range base.Values {
			r := make([]float64, len(row))
			for c, v := range row {
				r[c] = v * scale
			}
			d.Values = append(d.Values, r)
		}
		a, err := agree.KrippendorffAlpha(d, agree.Interval)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(a.Value-0.849107) > 1e-6 || math.IsInf(a.Expected, 0) || math.IsNaN(a.Observed) {
			t.Errorf("scale %g: %+v, want alpha 0.849107", scale, a)
		}
		if scale > 0 {
			a, err := agree.KrippendorffAlpha(d, agree.Ratio)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(a.Value-0.797403) > 1e-6 {
				t.Errorf("scale %g: ratio %+v, want 0.797403", scale, a)
			}
		}
		iv, err := agree.Bootstrap(d, agree.Interval, 100, 1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := json.Marshal(iv); err != nil {
			t.Errorf("scale %g: %v", scale, err)
		}
	}
	d := &agree.Data{Coders: []string{"A", "B"}, Values: [][]float64{{1e308, -1e308}, {-1e308, 1e308}, {1e308, 1e308}}}
	a, err := agree.KrippendorffAlpha(d, agree.Interval)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := json.Marshal(a); err != nil || a.Undefined || a.Value >= 0 {
		t.Errorf("±1e308: %+v, %v", a, err)
	}
}

func TestFromStringsNumbers(t *testing.T) {
	d, err := agree.FromStrings([]string{"A", "B"}, []string{"s1", "s2"}, [][]string{{"1", " 2.5 "}, {"", "-3"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.Labels != nil || d.Values[0][1] != 2.5 || !agree.IsMissing(d.Values[1][0]) || d.Values[1][1] != -3 {
		t.Errorf("got %+v", d)
	}
	// "NaN" is text a coder wrote, not a missing value or a number.
	d, err = agree.FromStrings([]string{"A", "B"}, nil, [][]string{{"1", "NaN"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Labels) != 2 || d.Labels[1] != "NaN" {
		t.Errorf("labels %q, want 1 and NaN", d.Labels)
	}
}
