package agree

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"qcode"
)

// Profile is one kind of unit in binary reliability data over several
// codes, and how many units are of that kind: on each of Count units, code
// Codes[i] was applied by Ones[i] of the coders (1 or more), and every other
// code by none. Units nobody coded make a Profile with no codes.
//
// A corpus of a million sentences, or of fifty million characters, has
// few kinds of unit: most units have no code at all, and the rest repeat a
// few patterns. Profiles keep them compact for BootstrapBinary.
type Profile struct {
	Count int64
	Codes []int32 // indexes of codes, 0 … codes−1, each at most once
	Ones  []int32 // Ones[i]: how many coders applied Codes[i]
}

// ProfileCounts returns, for each of codes codes, its Binary data over the
// units the profiles describe.
func ProfileCounts(coders, codes int, ps []Profile) ([]Binary, error) {
	if coders < 1 {
		return nil, qcode.Errorf(qcode.EINVALID, "binary data with %d coders; give one coder or more", coders)
	}
	var units int64
	out := make([]Binary, codes)
	for c := range out {
		out[c] = Binary{Coders: coders, Ones: make([]int64, coders+1)}
	}
	for i, p := range ps {
		if err := p.check(i, coders, codes); err != nil {
			return nil, err
		}
		units += p.Count
		for j, c := range p.Codes {
			out[c].Ones[p.Ones[j]] += p.Count
		}
	}
	for c := range out {
		var coded int64
		for _, n := range out[c].Ones[1:] {
			coded += n
		}
		out[c].Ones[0] = units - coded
	}
	return out, nil
}

func (p Profile) check(i, coders, codes int) error {
	if p.Count < 0 {
		return qcode.Errorf(qcode.EINVALID, "profile %d counts %d units; counts cannot be negative", i+1, p.Count)
	}
	if len(p.Codes) != len(p.Ones) {
		return qcode.Errorf(qcode.EINVALID, "profile %d has %d codes but %d counts of coders; give one count per code", i+1, len(p.Codes), len(p.Ones))
	}
	for j, c := range p.Codes {
		if c < 0 || int(c) >= codes {
			return qcode.Errorf(qcode.EINVALID, "profile %d names code %d of %d; codes are numbered from 0", i+1, c, codes)
		}
		if k := p.Ones[j]; k < 1 || int(k) > coders {
			return qcode.Errorf(qcode.EINVALID, "profile %d has code %d applied by %d of %d coders; say 1 to %d", i+1, c, k, coders, coders)
		}
		if slices.Contains(p.Codes[:j], c) {
			return qcode.Errorf(qcode.EINVALID, "profile %d names code %d twice; name each code once", i+1, c)
		}
	}
	return nil
}

// BootstrapBinary returns nominal Krippendorff's alpha for each code and
// pooled over the codes (see PoolAlpha), each with a percentile bootstrap
// 95% interval from the same n resamples of the units, drawn from a PCG
// generator seeded with (seed, 0).
//
// Each resample draws, uniformly and with replacement, as many units as
// there are from the units the profiles describe, as Bootstrap does: the
// number of units drawn of each profile follows the multinomial
// distribution with the profiles' shares, and is drawn as such (one
// binomial draw per profile), so that a resample of fifty million
// characters costs one step per profile, not per character. Each code's
// alpha, and the pooled alpha, is computed over the resample; a resample
// in which a code's values are all the same has no alpha for that code and
// is counted in its Skipped. Low and High are the 2.5th and 97.5th
// percentiles of the rest (R's quantile type 7).
//
// The intervals follow the same distribution as Bootstrap's on the same
// data, but not the same random draws: the same seed gives different
// bounds.
func BootstrapBinary(coders, codes int, ps []Profile, n int, seed uint64) ([]AlphaInterval, AlphaInterval, error) {
	if n < 1 {
		return nil, AlphaInterval{}, qcode.Errorf(qcode.EINVALID, "the bootstrap needs 1 or more resamples, not %d; say 1000", n)
	}
	bins, err := ProfileCounts(coders, codes, ps)
	if err != nil {
		return nil, AlphaInterval{}, err
	}
	per := make([]AlphaInterval, codes)
	alphas := make([]Alpha, codes)
	for c, b := range bins {
		if alphas[c], err = b.Alpha(); err != nil {
			return nil, AlphaInterval{}, err
		}
		per[c] = AlphaInterval{Alpha: alphas[c], Resamples: n, Seed: seed}
	}
	pooled := AlphaInterval{Alpha: PoolAlpha(alphas), Resamples: n, Seed: seed}
	if codes == 0 {
		pooled.Undefined, pooled.Skipped = true, n
		return per, pooled, nil
	}
	if alphas[0].Units == 0 {
		// One coder, or no units: nothing to resample.
		for c := range per {
			per[c].Undefined, per[c].Skipped = true, n
		}
		pooled.Undefined, pooled.Skipped = true, n
		return per, pooled, nil
	}

	// The largest profiles first: once they are drawn, few units are left
	// for the rest, whose binomial draws are then cheap.
	order := make([]int, len(ps))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(ps[b].Count, ps[a].Count) })
	counts := make([]int64, len(ps))
	var units int64
	for i, j := range order {
		counts[i] = ps[j].Count
		units += ps[j].Count
	}

	rng := rand.New(rand.NewPCG(seed, 0))
	drawn := make([]int64, len(ps))
	ones := make([][]int64, codes)
	for c := range ones {
		ones[c] = make([]int64, coders+1)
	}
	samples := make([][]float64, codes)
	var pooledSamples []float64
	for range n {
		multinomial(rng, units, counts, drawn)
		for c := range ones {
			clear(ones[c])
		}
		for i, j := range order {
			w := drawn[i]
			if w == 0 {
				continue
			}
			p := &ps[j]
			for t, c := range p.Codes {
				ones[c][p.Ones[t]] += w
			}
		}
		var dosum, desum float64
		for c := range ones {
			var coded int64
			for _, k := range ones[c][1:] {
				coded += k
			}
			ones[c][0] = units - coded
			do, de, undefined := binaryAlpha(coders, ones[c])
			if undefined {
				per[c].Skipped++
				continue
			}
			dosum += do
			desum += de
			samples[c] = append(samples[c], alphaOf(do, de))
		}
		if desum <= 0 {
			pooled.Skipped++
			continue
		}
		pooledSamples = append(pooledSamples, alphaOf(dosum, desum))
	}
	for c := range per {
		per[c].Low, per[c].High, per[c].Undefined = percentiles(samples[c])
	}
	pooled.Low, pooled.High, pooled.Undefined = percentiles(pooledSamples)
	return per, pooled, nil
}

// percentiles returns the 2.5th and 97.5th percentiles of x, or
// undefined when x is empty. It sorts x.
func percentiles(x []float64) (low, high float64, undefined bool) {
	if len(x) == 0 {
		return 0, 0, true
	}
	slices.Sort(x)
	return quantile(x, 0.025), quantile(x, 0.975), false
}

// multinomial draws how many of n draws, with replacement, fall on each
// of the items whose weights are w (summing to total), into out: one
// binomial draw per item, each conditional on the draws before it.
func multinomial(r *rand.Rand, n int64, w []int64, out []int64) {
	var rest int64
	for _, x := range w {
		rest += x
	}
	left := n
	for i, x := range w {
		switch {
		case left == 0 || x == 0:
			out[i] = 0
		case x >= rest:
			out[i] = left
		default:
			out[i] = binomial(r, left, float64(x)/float64(rest))
		}
		left -= out[i]
		rest -= x
	}
}

// binomial draws from the binomial distribution of n trials with
// probability p. It is exact up to floating point: while n·p is large it
// halves n with Knuth's beta split (The Art of Computer Programming,
// vol. 2, 3.4.1: the a-th smallest of n uniform numbers is Beta(a, n+1−a);
// the trials below it succeed with p/X, those above with (p−X)/(1−X)),
// then inverts the distribution function, so each draw costs O(log n)
// gamma draws and at most about 20 steps of inversion.
func binomial(r *rand.Rand, n int64, p float64) int64 {
	var got int64
	for {
		switch {
		case n <= 0 || p <= 0:
			return got
		case p >= 1:
			return got + n
		case p > 0.5:
			return got + n - binomial(r, n, 1-p)
		case float64(n)*p < 16:
			return got + invertBinomial(r, n, p)
		}
		a := n/2 + 1
		b := n + 1 - a
		x := beta(r, float64(a), float64(b))
		if x >= p {
			n, p = a-1, p/x
		} else {
			got += a
			n, p = b-1, (p-x)/(1-x)
		}
	}
}

// invertBinomial draws from the binomial distribution by inverting its
// distribution function, for p ≤ 0.5 and n·p small.
func invertBinomial(r *rand.Rand, n int64, p float64) int64 {
	q := 1 - p
	s := p / q
	f := math.Exp(float64(n) * math.Log1p(-p)) // P(X = 0)
	u := r.Float64()
	var k int64
	for u >= f && k < n {
		u -= f
		k++
		f *= s * float64(n-k+1) / float64(k)
		if f == 0 {
			break // only rounding is left
		}
	}
	return k
}

// beta draws from the beta distribution with shapes a, b ≥ 1.
func beta(r *rand.Rand, a, b float64) float64 {
	x := gamma(r, a)
	y := gamma(r, b)
	return x / (x + y)
}

// gamma draws from the gamma distribution with shape a ≥ 1 and scale 1,
// by Marsaglia and Tsang's (2000) method.
func gamma(r *rand.Rand, a float64) float64 {
	d := a - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		x2 := x * x
		if u < 1-0.0331*x2*x2 || math.Log(u) < 0.5*x2+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}
