package agree

import (
	"math"
	"math/rand/v2"

	"qcode"
)

// AlphaInterval is a bootstrap 95% interval for Krippendorff's alpha.
type AlphaInterval struct {
	Alpha     Alpha   `json:"alpha"`     // the point estimate, from all the data
	Low       float64 `json:"low"`       // the 2.5th percentile of the resampled alphas
	High      float64 `json:"high"`      // the 97.5th percentile
	Undefined bool    `json:"undefined"` // no resample gave a defined alpha; Low and High are 0
	Resamples int     `json:"resamples"` // resamples drawn
	Skipped   int     `json:"skipped"`   // resamples left out because their alpha was undefined
	Seed      uint64  `json:"seed"`
}

// Bootstrap returns Krippendorff's alpha at level with a percentile
// bootstrap 95% interval from n resamples, drawn from a PCG generator
// seeded with (seed, 0) so that the same data, level, n and seed give the
// same interval.
//
// Each resample draws, uniformly and with replacement, as many units as
// alpha uses (those with two or more values) from those units, and computes
// alpha over them: a unit drawn k times counts k times in the coincidences
// and in the expected disagreement, whose value frequencies (and, for
// ordinal alpha, ranks) are the resample's own. A resample whose values are
// all the same has no alpha; it is counted in Skipped and left out. Low and
// High are the 2.5th and 97.5th percentiles of the rest, interpolating
// between order statistics as R's quantile type 7 does. Use 1,000 resamples
// or more.
//
// Resampling units keeps each unit's values together, so the interval
// reflects how alpha varies with the sample of units coded; it does not
// follow Hayes and Krippendorff's (2007) resampling of pairs of values.
func Bootstrap(d *Data, level Level, n int, seed uint64) (AlphaInterval, error) {
	if n < 1 {
		return AlphaInterval{}, qcode.Errorf(qcode.EINVALID, "the bootstrap needs 1 or more resamples, not %d; say 1000", n)
	}
	e, point, err := newEstimator(d, level)
	if err != nil {
		return AlphaInterval{}, err
	}
	r := AlphaInterval{Resamples: n, Seed: seed}
	if point.Units == 0 {
		point.Undefined = true
		r.Alpha, r.Undefined, r.Skipped = point, true, n
		return r, nil
	}
	e.point(&point)
	r.Alpha = point

	units := len(e.m)
	rng := rand.New(rand.NewPCG(seed, 0))
	w := make([]int32, units)
	alphas := make([]float64, 0, n)
	for range n {
		clear(w)
		for range units {
			w[rng.IntN(units)]++
		}
		do, de, undefined := e.eval(w)
		if undefined {
			r.Skipped++
			continue
		}
		alphas = append(alphas, alphaOf(do, de))
	}
	r.Low, r.High, r.Undefined = percentiles(alphas)
	return r, nil
}

// quantile returns the p quantile of sorted x, interpolating linearly
// between order statistics (R's type 7).
func quantile(x []float64, p float64) float64 {
	h := float64(len(x)-1) * p
	lo := int(math.Floor(h))
	if lo+1 >= len(x) {
		return x[len(x)-1]
	}
	return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
}
