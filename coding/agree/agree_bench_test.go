package agree_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"qcode/coding/agree"
)

// Targets: alpha over 3 coders × 100,000 units in under 200 ms (nominal and
// interval); the bootstrap with 1,000 resamples of 3 × 10,000 in under 2 s.
// Run: go test -run '^$' -bench . -benchtime 5x ./coding/agree/

// benchData returns 3 coders × units of reliability data, about one value
// in ten missing: small whole numbers 1–5 for nominal and ordinal data,
// continuous numbers (nearly every value distinct) for interval data.
func benchData(units int, continuous bool) *agree.Data {
	r := rand.New(rand.NewPCG(1, 1))
	d := &agree.Data{Coders: []string{"A", "B", "C"}, Values: make([][]float64, units)}
	for u := range d.Values {
		row := make([]float64, 3)
		truth := float64(1 + r.IntN(5))
		if continuous {
			truth = 50 + 10*r.NormFloat64()
		}
		for c := range row {
			switch {
			case r.IntN(10) == 0:
				row[c] = agree.Missing
			case continuous:
				row[c] = truth + 3*r.NormFloat64()
			case r.IntN(4) == 0:
				row[c] = float64(1 + r.IntN(5))
			default:
				row[c] = truth
			}
		}
		d.Values[u] = row
	}
	return d
}

func BenchmarkAlpha(b *testing.B) {
	for _, tc := range []struct {
		level      agree.Level
		continuous bool
	}{
		{agree.Nominal, false},
		{agree.Ordinal, false},
		{agree.Interval, true},
		{agree.Ratio, false},
	} {
		d := benchData(100_000, tc.continuous)
		b.Run(fmt.Sprintf("%s/3x100000", tc.level), func(b *testing.B) {
			for b.Loop() {
				if _, err := agree.KrippendorffAlpha(d, tc.level); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkBootstrap(b *testing.B) {
	for _, units := range []int{10_000, 100_000} {
		for _, tc := range []struct {
			level      agree.Level
			continuous bool
		}{
			{agree.Nominal, false},
			{agree.Ordinal, false},
			{agree.Interval, true},
			{agree.Ratio, false},
		} {
			d := benchData(units, tc.continuous)
			b.Run(fmt.Sprintf("%s/3x%d/1000", tc.level, units), func(b *testing.B) {
				for b.Loop() {
					if _, err := agree.Bootstrap(d, tc.level, 1000, 1); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkKappa(b *testing.B) {
	d := benchData(100_000, false)
	two, err := d.Select("A", "B")
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		run  func()
	}{
		{"percent/3x100000", func() { agree.PercentAgreement(d) }},
		{"cohen/2x100000", func() { agree.CohenKappa(two) }},
		{"fleiss/3x100000", func() { agree.FleissKappa(d) }},
		{"brennan-prediger/3x100000", func() { agree.BrennanPrediger(d, 0) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				tc.run()
			}
		})
	}
}
