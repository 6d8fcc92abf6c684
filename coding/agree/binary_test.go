package agree_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"qcode/coding/agree"
)

// randomBinary returns binary counts of coders coders over up to 40 units,
// some counts zero.
func randomBinary(r *rand.Rand, coders int) agree.Binary {
	b := agree.Binary{Coders: coders, Ones: make([]int64, coders+1)}
	for k := range b.Ones {
		if r.IntN(3) > 0 {
			b.Ones[k] = int64(r.IntN(12))
		}
	}
	return b
}

func sameFloat(a, b float64) bool { return math.Abs(a-b) <= 1e-12 }

// Every method of Binary gives what the general function gives on the
// same data written out unit by unit, counts included.
func TestBinaryMatchesGeneral(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cases := []agree.Binary{
		{Coders: 2, Ones: []int64{0, 0, 0}},    // no units
		{Coders: 2, Ones: []int64{7, 0, 0}},    // nobody applied the code
		{Coders: 3, Ones: []int64{0, 0, 0, 5}}, // everybody applied it everywhere
		{Coders: 1, Ones: []int64{3, 4}},       // one coder: nothing to compare
		{Coders: 2, Ones: []int64{0, 10, 0}},   // always exactly one of two
	}
	for range 200 {
		cases = append(cases, randomBinary(r, 2+r.IntN(4)))
	}
	for i, b := range cases {
		d := b.Data()
		p, err := b.Percent()
		if err != nil {
			t.Fatal(err)
		}
		gp, _ := agree.PercentAgreement(d)
		if p.Units != gp.Units || p.Dropped != gp.Dropped || p.Values != gp.Values || p.Coders != gp.Coders || p.Undefined != gp.Undefined || !sameFloat(p.Value, gp.Value) {
			t.Errorf("case %d %v: percent %+v, general %+v", i, b.Ones, p, gp)
		}
		f, _ := b.Fleiss()
		gf, _ := agree.FleissKappa(d)
		checkKappa(t, i, b, "Fleiss", f, gf)
		bp, _ := b.BrennanPrediger()
		gbp, _ := agree.BrennanPrediger(d, 0)
		checkKappa(t, i, b, "Brennan–Prediger", bp, gbp)
		a, _ := b.Alpha()
		ga, _ := agree.KrippendorffAlpha(d, agree.Nominal)
		if a.Units != ga.Units || a.Dropped != ga.Dropped || a.Values != ga.Values || a.Coders != ga.Coders || a.Undefined != ga.Undefined ||
			!sameFloat(a.Value, ga.Value) || !sameFloat(a.Observed, ga.Observed) || !sameFloat(a.Expected, ga.Expected) || a.Level != ga.Level {
			t.Errorf("case %d %v: alpha %+v, general %+v", i, b.Ones, a, ga)
		}
		if b.Coders == 2 {
			s, err := agree.Presence{Both: int(b.Ones[2]), OnlyA: int(b.Ones[1]), Neither: int(b.Ones[0])}.Stats()
			if err != nil {
				t.Fatal(err)
			}
			if !sameFloat(s.Alpha.Value, a.Value) || s.Alpha.Undefined != a.Undefined {
				t.Errorf("case %d %v: alpha %v, from presence %v", i, b.Ones, a.Value, s.Alpha.Value)
			}
		}
	}
}

func checkKappa(t *testing.T, i int, b agree.Binary, what string, got, want agree.Kappa) {
	t.Helper()
	if got.Units != want.Units || got.Dropped != want.Dropped || got.Coders != want.Coders || got.Undefined != want.Undefined ||
		got.Categories != want.Categories || got.Q != want.Q ||
		!sameFloat(got.Value, want.Value) || !sameFloat(got.Observed, want.Observed) || !sameFloat(got.Expected, want.Expected) {
		t.Errorf("case %d %v: %s %+v, general %+v", i, b.Ones, what, got, want)
	}
}

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", first
// example (two observers, ten units; one unit both said 1, one only A,
// three only B, five neither): α = 0.095, now from counts.
func TestBinaryKrippendorff2011(t *testing.T) {
	a, err := agree.Binary{Coders: 2, Ones: []int64{5, 4, 1}}.Alpha()
	if err != nil {
		t.Fatal(err)
	}
	near(t, "alpha", a.Value, 0.095, 0.0005)
	if a.Values != 20 || a.Units != 10 {
		t.Errorf("counts %+v, want 10 units and 20 values", a)
	}
}

func TestBinaryBadCounts(t *testing.T) {
	for _, b := range []agree.Binary{
		{Coders: 0, Ones: []int64{1}},
		{Coders: 2, Ones: []int64{1, 2}},
		{Coders: 2, Ones: []int64{1, -2, 3}},
	} {
		if _, err := b.Alpha(); err == nil {
			t.Errorf("%+v: no error", b)
		}
	}
}

// presence returns the Cohen's kappa of presence counts, for pooling.
func presenceKappa(t *testing.T, p agree.Presence) agree.Kappa {
	t.Helper()
	s, err := p.Stats()
	if err != nil {
		t.Fatal(err)
	}
	return s.Cohen
}

// The pooled kappa of De Vries et al. (2008) averages observed and chance
// agreement separately. Two codes over the same 100 units: code 1 with
// Po = 0.90 and Pe = 0.82 (each coder applied it to 10 units, both to 5),
// code 2 with Po = 0.80 and Pe = 0.50 (each to 50, both to 40). Pooled:
// (0.85 − 0.66)/(1 − 0.66) = 0.19/0.34 = 0.558824, not the mean of the
// kappas (0.4444 and 0.6) nor the kappa of the summed table.
func TestPoolKappaDeVries(t *testing.T) {
	k1 := presenceKappa(t, agree.Presence{Both: 5, OnlyA: 5, OnlyB: 5, Neither: 85})
	k2 := presenceKappa(t, agree.Presence{Both: 40, OnlyA: 10, OnlyB: 10, Neither: 40})
	near(t, "code 1 Po", k1.Observed, 0.90, 1e-12)
	near(t, "code 1 Pe", k1.Expected, 0.82, 1e-12)
	near(t, "code 2 Pe", k2.Expected, 0.50, 1e-12)
	got := agree.PoolKappa([]agree.Kappa{k1, k2})
	near(t, "pooled kappa", got.Value, 0.19/0.34, 1e-12)
	if got.Units != 200 {
		t.Errorf("pooled units %d, want 200 (units × codes)", got.Units)
	}

	// One code pooled is that code; a code nobody applied changes nothing.
	if one := agree.PoolKappa([]agree.Kappa{k2}); !sameFloat(one.Value, k2.Value) {
		t.Errorf("one code pooled: %v, want %v", one.Value, k2.Value)
	}
	unused := presenceKappa(t, agree.Presence{Neither: 100})
	if !unused.Undefined {
		t.Fatalf("a code nobody applied has kappa %+v, want undefined", unused)
	}
	with := agree.PoolKappa([]agree.Kappa{k1, k2, unused})
	near(t, "pooled with an unused code", with.Value, got.Value, 1e-12)

	// Alpha pools the same way.
	b1 := agree.Binary{Coders: 2, Ones: []int64{85, 10, 5}}
	b2 := agree.Binary{Coders: 2, Ones: []int64{40, 20, 40}}
	a1, _ := b1.Alpha()
	a2, _ := b2.Alpha()
	a0, _ := agree.Binary{Coders: 2, Ones: []int64{100, 0, 0}}.Alpha()
	pa := agree.PoolAlpha([]agree.Alpha{a1, a2})
	near(t, "pooled alpha", pa.Value, 1-(a1.Observed+a2.Observed)/(a1.Expected+a2.Expected), 1e-12)
	near(t, "pooled alpha with an unused code", agree.PoolAlpha([]agree.Alpha{a1, a0, a2}).Value, pa.Value, 1e-12)

	// Nothing to pool is undefined, not NaN.
	if e := agree.PoolKappa(nil); !e.Undefined || e.Value != 0 {
		t.Errorf("pooling nothing: %+v", e)
	}
	if e := agree.PoolAlpha([]agree.Alpha{a0}); !e.Undefined || e.Value != 0 {
		t.Errorf("pooling a code nobody applied: %+v", e)
	}
	if e := agree.PoolPercent(nil); !e.Undefined {
		t.Errorf("pooling no percent: %+v", e)
	}
}

// BootstrapBinary resamples units as Bootstrap does: on the same data its
// interval is close to Bootstrap's (the draws differ, the distribution
// does not), one code pooled gives that code's interval, and the same seed
// gives the same answer.
func TestBootstrapBinary(t *testing.T) {
	b := agree.Binary{Coders: 3, Ones: []int64{60, 9, 7, 24}}
	profiles := []agree.Profile{
		{Count: 60},
		{Count: 9, Codes: []int32{0}, Ones: []int32{1}},
		{Count: 7, Codes: []int32{0}, Ones: []int32{2}},
		{Count: 24, Codes: []int32{0}, Ones: []int32{3}},
	}
	per, pooled, err := agree.BootstrapBinary(3, 1, profiles, 4000, 9)
	if err != nil {
		t.Fatal(err)
	}
	want, err := agree.Bootstrap(b.Data(), agree.Nominal, 4000, 9)
	if err != nil {
		t.Fatal(err)
	}
	point, _ := b.Alpha()
	if !sameFloat(per[0].Alpha.Value, point.Value) {
		t.Errorf("point %v, want %v", per[0].Alpha.Value, point.Value)
	}
	if math.Abs(per[0].Low-want.Low) > 0.03 || math.Abs(per[0].High-want.High) > 0.03 {
		t.Errorf("interval [%.3f, %.3f], Bootstrap's [%.3f, %.3f]", per[0].Low, per[0].High, want.Low, want.High)
	}
	if pooled.Low != per[0].Low || pooled.High != per[0].High || !sameFloat(pooled.Alpha.Value, point.Value) {
		t.Errorf("one code pooled: %+v, the code: %+v", pooled, per[0])
	}
	again, _, _ := agree.BootstrapBinary(3, 1, profiles, 4000, 9)
	if again[0] != per[0] {
		t.Errorf("same seed, different answers: %+v, %+v", again[0], per[0])
	}

	// A code nobody applied has no interval; the pooled one ignores it.
	per2, pooled2, err := agree.BootstrapBinary(3, 2, profiles, 500, 9)
	if err != nil {
		t.Fatal(err)
	}
	if !per2[1].Undefined || per2[1].Skipped != 500 || per2[1].Low != 0 || per2[1].High != 0 {
		t.Errorf("unused code: %+v", per2[1])
	}
	if pooled2.Undefined || math.IsNaN(pooled2.Low) {
		t.Errorf("pooled with an unused code: %+v", pooled2)
	}

	for _, bad := range [][]agree.Profile{
		{{Count: -1}},
		{{Count: 1, Codes: []int32{2}, Ones: []int32{1}}},
		{{Count: 1, Codes: []int32{0}, Ones: []int32{4}}},
		{{Count: 1, Codes: []int32{0, 0}, Ones: []int32{1, 1}}},
		{{Count: 1, Codes: []int32{0}}},
	} {
		if _, _, err := agree.BootstrapBinary(3, 1, bad, 10, 1); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
	if _, _, err := agree.BootstrapBinary(3, 1, profiles, 0, 1); err == nil {
		t.Error("0 resamples: no error")
	}
}

// Many units in few profiles: fifty million characters resample as fast
// as fifty.
func TestBootstrapBinaryLarge(t *testing.T) {
	profiles := []agree.Profile{
		{Count: 49_000_000},
		{Count: 600_000, Codes: []int32{0}, Ones: []int32{1}},
		{Count: 400_000, Codes: []int32{0}, Ones: []int32{2}},
	}
	per, _, err := agree.BootstrapBinary(2, 1, profiles, 1000, 1)
	if err != nil {
		t.Fatal(err)
	}
	a := per[0]
	if a.Undefined || !(a.Low < a.Alpha.Value && a.Alpha.Value < a.High) || a.High-a.Low > 0.01 {
		t.Errorf("interval [%v, %v] around %v", a.Low, a.High, a.Alpha.Value)
	}
}
