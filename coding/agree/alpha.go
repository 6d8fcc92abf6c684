package agree

import (
	"math"
	"slices"
)

// Alpha is Krippendorff's alpha at one level of measurement, with the
// counts behind it.
type Alpha struct {
	Level     Level   `json:"level"`
	Value     float64 `json:"value"`     // 1 − Observed/Expected: at most 1, below 0 for systematic disagreement; 0 when Undefined
	Undefined bool    `json:"undefined"` // no pairable values, or all of them the same, so no disagreement is expected
	Observed  float64 `json:"observed"`  // Do: the disagreement observed
	Expected  float64 `json:"expected"`  // De: the disagreement expected by chance
	Units     int     `json:"units"`     // units used: those with two or more values
	Dropped   int     `json:"dropped"`   // units left out: fewer than two values
	Coders    int     `json:"coders"`
	Values    int     `json:"values"` // n: the pairable values, those in the units used
}

// KrippendorffAlpha returns Krippendorff's alpha at the given level of
// measurement, for any number of coders, with missing values allowed.
// Units with fewer than two values are dropped and counted. Interval and
// ratio alpha need numbers (ratio: 0 or more); ordinal alpha needs numbers
// or Labels in a known order.
func KrippendorffAlpha(d *Data, level Level) (Alpha, error) {
	e, r, err := newEstimator(d, level)
	if err != nil {
		return Alpha{}, err
	}
	if r.Units == 0 {
		r.Undefined = true
		return r, nil
	}
	e.point(&r)
	return r, nil
}

// point fills in r's alpha over all the units.
func (e *estimator) point(r *Alpha) {
	do, de, undefined := e.eval(nil)
	r.Observed, r.Expected = e.unscale(do), e.unscale(max(de, 0))
	if undefined {
		r.Undefined = true
		return
	}
	r.Value = alphaOf(do, de)
}

// unscale returns an interval disagreement in the data's own units (as
// near as a float64 can hold it).
func (e *estimator) unscale(x float64) float64 {
	return min(math.Ldexp(x, 2*e.exp), math.MaxFloat64)
}

func alphaOf(do, de float64) float64 {
	if do == 0 {
		return 1
	}
	return 1 - do/de
}

// estimator holds what alpha needs of each unit, computed once, so that
// alpha over any multiset of units (a bootstrap resample) costs one pass
// over the units, with no sorting.
type estimator struct {
	level Level
	m     []float64 // per unit: its number of values
	do    []float64 // per unit: Σ over ordered pairs of its values of δ², / (m − 1); not ordinal

	// Nominal, ordinal, ratio: each unit's distinct values, as indexes into
	// cats, and how often each occurs: unit u's are cat[start[u]:start[u+1]].
	start []int32
	cat   []int32
	cnt   []float64
	cats  []float64 // distinct values; ascending for ordinal

	// Interval: per unit Σy and Σy², y = value·2^−exp − shift. Interval
	// alpha does not change when values are scaled; scaling by a power of
	// two is exact and keeps squares and sums of huge or tiny values in
	// range. Do and De are scaled back by 2^2exp.
	s1, s2 []float64
	exp    int

	nc   []float64 // scratch: n_c, the values of each category
	rank []float64 // scratch, ordinal: each category's mid-rank
	used []int32   // scratch, ratio: categories with n_c > 0
}

// newEstimator checks d against level and tallies its units. The Alpha it
// returns has the counts filled in.
func newEstimator(d *Data, level Level) (*estimator, Alpha, error) {
	coders, err := d.shape()
	if err != nil {
		return nil, Alpha{}, err
	}
	if err := d.checkLevel(level); err != nil {
		return nil, Alpha{}, err
	}
	r := Alpha{Level: level, Coders: coders}
	units := len(d.Values)
	e := &estimator{level: level, m: make([]float64, 0, units), do: make([]float64, 0, units)}
	var index map[float64]int32 // value → its index in cats
	if level != Interval {
		index = map[float64]int32{}
		e.start = make([]int32, 1, units+1)
		e.cat, e.cnt = make([]int32, 0, units*2), make([]float64, 0, units*2)
	} else {
		e.s1, e.s2 = make([]float64, 0, units), make([]float64, 0, units)
		var big float64
		for _, row := range d.Values {
			for _, v := range row {
				if !IsMissing(v) {
					big = max(big, math.Abs(v))
				}
			}
		}
		if big > 0 {
			_, e.exp = math.Frexp(big)
		}
	}
	buf := make([]float64, 0, coders)
	var shift float64
	shifted := false
	for _, row := range d.Values {
		vals := present(row, buf)
		m := len(vals)
		if m < 2 {
			r.Dropped++
			continue
		}
		r.Units++
		r.Values += m
		fm := float64(m)
		e.m = append(e.m, fm)
		if level == Interval {
			for i, v := range vals {
				vals[i] = math.Ldexp(v, -e.exp)
			}
			if !shifted {
				// A value from the data, so that data whose values are all
				// the same sum to exactly 0.
				shift, shifted = vals[0], true
			}
			var s1, s2, z1, z2 float64
			for _, v := range vals {
				y, z := v-shift, v-vals[0]
				s1 += y
				s2 += y * y
				z1 += z
				z2 += z * z
			}
			e.s1 = append(e.s1, s1)
			e.s2 = append(e.s2, s2)
			// Σ_{i≠j} (x_i − x_j)² = 2m Σz² − 2(Σz)², for any shift of z.
			e.do = append(e.do, max(2*(fm*z2-z1*z1), 0)/(fm-1))
			continue
		}
		sortSmall(vals)
		first := len(e.cat)
		for i := 0; i < m; {
			j := i + 1
			for j < m && vals[j] == vals[i] {
				j++
			}
			c, ok := index[vals[i]]
			if !ok {
				c = int32(len(e.cats))
				index[vals[i]] = c
				e.cats = append(e.cats, vals[i])
			}
			e.cat = append(e.cat, c)
			e.cnt = append(e.cnt, float64(j-i))
			i = j
		}
		e.start = append(e.start, int32(len(e.cat)))
		switch level {
		case Nominal:
			var sq float64
			for _, k := range e.cnt[first:] {
				sq += k * k
			}
			e.do = append(e.do, (fm*fm-sq)/(fm-1))
		case Ratio:
			var s float64
			for a := first; a < len(e.cat); a++ {
				for b := a + 1; b < len(e.cat); b++ {
					s += e.cnt[a] * e.cnt[b] * ratioDelta(e.cats[e.cat[a]], e.cats[e.cat[b]])
				}
			}
			e.do = append(e.do, 2*s/(fm-1))
		}
	}
	if level == Ordinal {
		// Number the categories in ascending order of value, for ranks.
		order := make([]int32, len(e.cats))
		for i := range order {
			order[i] = int32(i)
		}
		slices.SortFunc(order, func(a, b int32) int {
			switch x, y := e.cats[a], e.cats[b]; {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		})
		newIndex := make([]int32, len(e.cats))
		sorted := make([]float64, len(e.cats))
		for i, old := range order {
			newIndex[old] = int32(i)
			sorted[i] = e.cats[old]
		}
		for i, c := range e.cat {
			e.cat[i] = newIndex[c]
		}
		e.cats = sorted
		e.rank = make([]float64, len(e.cats))
	}
	e.nc = make([]float64, len(e.cats))
	return e, r, nil
}

// ratioDelta is the ratio metric δ² = ((c − k)/(c + k))², for c, k ≥ 0,
// computed from the ratio of the smaller to the larger so that no sum
// overflows.
func ratioDelta(c, k float64) float64 {
	lo, hi := min(c, k), max(c, k)
	if hi == 0 {
		return 0
	}
	r := lo / hi
	x := (1 - r) / (1 + r)
	return x * x
}

// eval returns the observed and expected disagreement over the units, each
// counted w[u] times (once each when w is nil), and whether alpha is
// undefined: fewer than two distinct values, so nothing is expected.
func (e *estimator) eval(w []int32) (do, de float64, undefined bool) {
	var n float64
	if e.level == Interval {
		var s1, s2, dsum float64
		for u := range e.m {
			wu := weight(w, u)
			if wu == 0 {
				continue
			}
			k := float64(wu)
			n += k * e.m[u]
			s1 += k * e.s1[u]
			s2 += k * e.s2[u]
			dsum += k * e.do[u]
		}
		de = 2 * (n*s2 - s1*s1) / (n * (n - 1))
		if de <= 0 {
			return 0, 0, true
		}
		return dsum / n, de, false
	}

	clear(e.nc)
	var dsum float64
	for u := range e.m {
		wu := weight(w, u)
		if wu == 0 {
			continue
		}
		k := float64(wu)
		n += k * e.m[u]
		if e.level != Ordinal {
			dsum += k * e.do[u]
		}
		for j := e.start[u]; j < e.start[u+1]; j++ {
			e.nc[e.cat[j]] += k * e.cnt[j]
		}
	}
	distinct := 0
	for _, c := range e.nc {
		if c > 0 {
			distinct++
		}
	}
	if distinct < 2 {
		return 0, 0, true
	}

	switch e.level {
	case Nominal:
		var sq float64
		for _, c := range e.nc {
			sq += c * c
		}
		de = (n*n - sq) / (n * (n - 1))
	case Ratio:
		e.used = e.used[:0]
		for c, k := range e.nc {
			if k > 0 {
				e.used = append(e.used, int32(c))
			}
		}
		var s float64
		for i, a := range e.used {
			for _, b := range e.used[i+1:] {
				s += e.nc[a] * e.nc[b] * ratioDelta(e.cats[a], e.cats[b])
			}
		}
		de = 2 * s / (n * (n - 1))
	case Ordinal:
		// δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k)/2)² = (r_k − r_c)², where
		// r_c = n_1 + … + n_{c−1} + n_c/2 is category c's mid-rank (less
		// one half): ordinal alpha is interval alpha on mid-ranks.
		var below, mean float64
		for c, k := range e.nc {
			e.rank[c] = below + k/2
			below += k
			mean += k * e.rank[c]
		}
		mean /= n
		var ss float64
		for c, k := range e.nc {
			x := e.rank[c] - mean
			ss += k * x * x
		}
		de = 2 * ss / (n - 1)
		for u := range e.m {
			wu := weight(w, u)
			if wu == 0 {
				continue
			}
			k := float64(wu)
			lo, hi := e.start[u], e.start[u+1]
			var s float64
			for a := lo; a < hi; a++ {
				for b := a + 1; b < hi; b++ {
					x := e.rank[e.cat[a]] - e.rank[e.cat[b]]
					s += e.cnt[a] * e.cnt[b] * x * x
				}
			}
			dsum += k * 2 * s / (e.m[u] - 1)
		}
	}
	if de <= 0 {
		return 0, 0, true
	}
	return dsum / n, de, false
}

// weight is how many times unit u counts: w[u], or once when w is nil.
func weight(w []int32, u int) int32 {
	if w == nil {
		return 1
	}
	return w[u]
}

// sortSmall sorts a unit's few values: insertion sort beats the general
// sort for the two to a dozen values a unit usually has.
func sortSmall(v []float64) {
	if len(v) > 16 {
		slices.Sort(v)
		return
	}
	for i := 1; i < len(v); i++ {
		x := v[i]
		j := i
		for j > 0 && v[j-1] > x {
			v[j] = v[j-1]
			j--
		}
		v[j] = x
	}
}
