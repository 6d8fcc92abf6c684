package agree

// Pooling over codes. When coders apply several codes to the same units,
// each code is a present/absent judgement of its own, and one figure for
// all of them is wanted. De Vries, Elliott, Kanouse and Teleki (2008) pool
// kappa across items by averaging the observed and the chance agreement
// separately, each item keeping its own chance agreement:
//
//	κ_pooled = (P̄o − P̄e) / (1 − P̄e)
//
// which, unlike the mean of the items' kappas, is defined whenever any
// item shows variation, and weighs each item by how much it can tell.
// The functions here do the same for each coefficient, averaging over the
// codes weighted by their units (with the same units for every code, a
// plain mean); for alpha, whose terms are disagreements,
// α_pooled = 1 − D̄o/D̄e with each code's Do and De weighted by its
// pairable values. A code no coder applied adds Po = Pe = 1 (or
// Do = De = 0) and so changes no pooled coefficient, though it raises
// pooled percent agreement.

// PoolPercent returns percent agreement pooled over codes judged on the
// same units: the share of agreeing pairs of coders over every unit and
// code. Units and Values are summed over the codes (units × codes).
func PoolPercent(ps []Percent) Percent {
	var r Percent
	var sum float64
	for _, p := range ps {
		r.Coders = max(r.Coders, p.Coders)
		r.Dropped += p.Dropped
		if p.Undefined || p.Units == 0 {
			continue
		}
		sum += p.Value * float64(p.Units)
		r.Units += p.Units
		r.Values += p.Values
	}
	if r.Units == 0 {
		r.Undefined = true
		return r
	}
	r.Value = min(sum/float64(r.Units), 1)
	return r
}

// PoolKappa returns the pooled kappa of De Vries et al. (2008) over codes:
// (P̄o − P̄e)/(1 − P̄e), where P̄o and P̄e are the codes' observed and
// chance agreement averaged with their units as weights. It pools Cohen's,
// Fleiss' or Brennan–Prediger's kappas alike (one kind at a time). Units
// are summed over the codes (units × codes); it is Undefined when no code
// has units or every code's chance agreement is 1.
func PoolKappa(ks []Kappa) Kappa {
	var r Kappa
	var po, pe float64
	q := -1
	for _, k := range ks {
		r.Coders = max(r.Coders, k.Coders)
		r.Dropped += k.Dropped
		if q == -1 || q == k.Q {
			q = k.Q
		} else {
			q = 0
		}
		if k.Units == 0 {
			continue
		}
		u := float64(k.Units)
		po += k.Observed * u
		pe += k.Expected * u
		r.Units += k.Units
		r.Categories = max(r.Categories, k.Categories)
	}
	r.Q = max(q, 0)
	if r.Units == 0 {
		r.Undefined = true
		return r
	}
	n := float64(r.Units)
	r.Observed, r.Expected = min(po/n, 1), min(pe/n, 1)
	switch {
	case r.Expected >= 1:
		r.Undefined = true
	case r.Observed >= 1:
		r.Value = 1
	default:
		r.Value = (r.Observed - r.Expected) / (1 - r.Expected)
	}
	return r
}

// PoolAlpha returns Krippendorff's alpha pooled over codes:
// 1 − D̄o/D̄e, where D̄o and D̄e are the codes' observed and expected
// disagreement averaged with their pairable values as weights, each code
// keeping its own expected disagreement. Units and Values are summed over
// the codes; it is Undefined when no code shows any variation. The codes'
// alphas must share one level of measurement: the first one's is used.
func PoolAlpha(as []Alpha) Alpha {
	var r Alpha
	if len(as) > 0 {
		r.Level = as[0].Level
	}
	var do, de float64
	for _, a := range as {
		r.Coders = max(r.Coders, a.Coders)
		r.Dropped += a.Dropped
		if a.Units == 0 {
			continue
		}
		n := float64(a.Values)
		do += a.Observed * n
		de += a.Expected * n
		r.Units += a.Units
		r.Values += a.Values
	}
	if r.Units == 0 || de <= 0 {
		r.Undefined = true
		return r
	}
	n := float64(r.Values)
	r.Observed, r.Expected = do/n, de/n
	r.Value = alphaOf(do, de)
	return r
}
