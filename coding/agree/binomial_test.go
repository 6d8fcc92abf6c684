package agree

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The binomial draws have the binomial distribution's mean and variance,
// by inversion (small n·p) and by the beta split (large n·p), and fit its
// probabilities (a chi-square test).
func TestBinomial(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct {
		n int64
		p float64
	}{
		{1, 0.5}, {10, 0.3}, {40, 0.3}, {200, 0.5}, {1000, 0.3}, {1000, 0.93},
		{1_000_000, 0.001}, {1_000_000, 0.5}, {50_000_000, 0.37}, {3_000_000_000, 1e-9},
	} {
		const draws = 100_000
		var sum, sq float64
		for range draws {
			x := float64(binomial(r, tc.n, tc.p))
			if x < 0 || x > float64(tc.n) {
				t.Fatalf("n %d p %g: drew %v", tc.n, tc.p, x)
			}
			sum += x
			sq += x * x
		}
		mean := sum / draws
		variance := sq/draws - mean*mean
		wantMean := float64(tc.n) * tc.p
		wantVar := wantMean * (1 - tc.p)
		if se := math.Sqrt(wantVar / draws); math.Abs(mean-wantMean) > 5*se {
			t.Errorf("n %d p %g: mean %v, want %v ± %v", tc.n, tc.p, mean, wantMean, 5*se)
		}
		if math.Abs(variance-wantVar) > 0.05*wantVar {
			t.Errorf("n %d p %g: variance %v, want %v", tc.n, tc.p, variance, wantVar)
		}
	}

	// Chi-square against the probabilities, by each method.
	for _, tc := range []struct {
		n int64
		p float64
	}{{30, 0.2}, {120, 0.4}} {
		const draws = 200_000
		counts := make([]float64, tc.n+1)
		for range draws {
			counts[binomial(r, tc.n, tc.p)]++
		}
		var chi2 float64
		bins := 0
		for k := int64(0); k <= tc.n; k++ {
			lg1, _ := math.Lgamma(float64(tc.n + 1))
			lg2, _ := math.Lgamma(float64(k + 1))
			lg3, _ := math.Lgamma(float64(tc.n - k + 1))
			e := draws * math.Exp(lg1-lg2-lg3+float64(k)*math.Log(tc.p)+float64(tc.n-k)*math.Log1p(-tc.p))
			if e < 20 {
				continue
			}
			d := counts[k] - e
			chi2 += d * d / e
			bins++
		}
		// The 99.9th percentile of chi-square with bins−1 degrees of
		// freedom is below df + 5·sqrt(2·df) for these sizes.
		df := float64(bins - 1)
		if chi2 > df+5*math.Sqrt(2*df) {
			t.Errorf("n %d p %g: chi-square %.1f over %d bins", tc.n, tc.p, chi2, bins)
		}
	}
}

// A multinomial draw spreads exactly n draws, in proportion to the weights.
func TestMultinomial(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	w := []int64{500, 0, 300, 150, 50}
	out := make([]int64, len(w))
	sums := make([]float64, len(w))
	const rounds = 20_000
	for range rounds {
		multinomial(r, 1000, w, out)
		var total int64
		for i, x := range out {
			total += x
			sums[i] += float64(x)
		}
		if total != 1000 || out[1] != 0 {
			t.Fatalf("drew %v", out)
		}
	}
	for i, x := range w {
		if got, want := sums[i]/rounds, float64(x); math.Abs(got-want) > 1 {
			t.Errorf("item %d: mean %v, want %v", i, got, want)
		}
	}
}
