package coding

import "math"

// LogOdds is how strongly a term marks one group of texts apart from
// another: the weighted log-odds ratio with an informative Dirichlet prior
// of Monroe, Colaresi and Quinn ("Fightin' Words", Political Analysis 16(4),
// 2008).
type LogOdds struct {
	Delta    float64 // the log-odds ratio of the term in the group against the rest
	Variance float64 // its approximate variance
	Z        float64 // Delta over its standard deviation: above 1.96, marked at the 5% level
}

// WeightedLogOdds scores every term counted in group or rest. The prior of
// a term is its share of the whole corpus (group and rest together), scaled
// by alpha0, so a word common everywhere (the, and) is shrunk towards no
// difference and a rare one is not taken for a marker on one or two uses:
//
//	α_w = α0·y_w/n    δ_w = log((y_wi+α_w)/(n_i+α0−y_wi−α_w)) − log((y_wj+α_w)/(n_j+α0−y_wj−α_w))
//	σ²_w ≈ 1/(y_wi+α_w) + 1/(y_wj+α_w)    z_w = δ_w/σ_w
//
// where y_wi is the term's count in the group, y_wj in the rest, and n_i,
// n_j the groups' totals. alpha0 must be positive.
func WeightedLogOdds(group, rest map[string]int, alpha0 float64) map[string]LogOdds {
	var ni, nj float64
	for _, c := range group {
		ni += float64(c)
	}
	for _, c := range rest {
		nj += float64(c)
	}
	n := ni + nj
	out := make(map[string]LogOdds, len(group)+len(rest))
	score := func(w string) {
		if _, done := out[w]; done {
			return
		}
		yi, yj := float64(group[w]), float64(rest[w])
		a := alpha0 * (yi + yj) / n
		d := math.Log((yi+a)/(ni+alpha0-yi-a)) - math.Log((yj+a)/(nj+alpha0-yj-a))
		v := 1/(yi+a) + 1/(yj+a)
		out[w] = LogOdds{Delta: d, Variance: v, Z: d / math.Sqrt(v)}
	}
	for w := range group {
		score(w)
	}
	for w := range rest {
		score(w)
	}
	return out
}
