package agree

import (
	"qcode"
)

// Percent is percent agreement: the mean, over units, of the share of pairs
// of a unit's values that match. For two coders it is the share of units on
// which they agree.
type Percent struct {
	Value     float64 `json:"value"`     // 0 to 1; 0 when Undefined
	Undefined bool    `json:"undefined"` // no unit has two values
	Units     int     `json:"units"`     // units used: those with two or more values
	Dropped   int     `json:"dropped"`   // units left out: fewer than two values
	Coders    int     `json:"coders"`
	Values    int     `json:"values"` // values in the units used
}

// Kappa is a chance-corrected agreement coefficient of the form
// (Observed − Expected) / (1 − Expected): Cohen's, Fleiss' or
// Brennan–Prediger's.
type Kappa struct {
	Value      float64 `json:"value"`       // at most 1; 0 when Undefined
	Undefined  bool    `json:"undefined"`   // no units used, or Expected is 1 (every value the same)
	Observed   float64 `json:"observed"`    // Po: the agreement observed
	Expected   float64 `json:"expected"`    // Pe: the agreement expected by chance
	Units      int     `json:"units"`       // units used
	Dropped    int     `json:"dropped"`     // units left out for missing values
	Coders     int     `json:"coders"`      // coders in the data
	Categories int     `json:"categories"`  // distinct values in the units used
	Q          int     `json:"q,omitempty"` // Brennan–Prediger only: the number of categories chance chooses among
}

// PercentAgreement returns the mean, over units with two or more values,
// of the share of pairs of the unit's values that match. Units with fewer
// than two values are dropped and counted.
func PercentAgreement(d *Data) (Percent, error) {
	coders, err := d.shape()
	if err != nil {
		return Percent{}, err
	}
	r := Percent{Coders: coders}
	buf := make([]float64, 0, coders)
	var sum float64
	for _, row := range d.Values {
		vals := present(row, buf)
		m := len(vals)
		if m < 2 {
			r.Dropped++
			continue
		}
		sum += float64(matchingPairs(vals)) / float64(m*(m-1)/2)
		r.Units++
		r.Values += m
	}
	if r.Units == 0 {
		r.Undefined = true
		return r, nil
	}
	r.Value = min(sum/float64(r.Units), 1)
	return r, nil
}

// CohenKappa returns Cohen's kappa for exactly two coders. Units where
// either coder gave no value are dropped and counted.
func CohenKappa(d *Data) (Kappa, error) {
	coders, err := d.shape()
	if err != nil {
		return Kappa{}, err
	}
	if coders != 2 {
		return Kappa{}, qcode.Errorf(qcode.EINVALID, "Cohen's kappa compares two coders, but the data has %d; choose two coders, or use Fleiss' kappa or Krippendorff's alpha", coders)
	}
	r := Kappa{Coders: 2}
	a, b := map[float64]int64{}, map[float64]int64{}
	var agree int64
	for _, row := range d.Values {
		x, y := row[0], row[1]
		if IsMissing(x) || IsMissing(y) {
			r.Dropped++
			continue
		}
		r.Units++
		if x == y {
			agree++
		}
		a[x]++
		b[y]++
	}
	if r.Units == 0 {
		r.Undefined = true
		return r, nil
	}
	r.Categories = len(a)
	var chance int64 // Σ_c a_c·b_c, so that Pe = chance / N²
	for c, ka := range a {
		chance += ka * b[c]
	}
	for c := range b {
		if _, ok := a[c]; !ok {
			r.Categories++
		}
	}
	n := int64(r.Units)
	r.Observed = float64(agree) / float64(n)
	r.Expected = float64(chance) / float64(n*n)
	if chance == n*n {
		r.Undefined = true
		return r, nil
	}
	// In whole numbers, so that perfect agreement gives exactly 1.
	r.Value = float64(n*agree-chance) / float64(n*n-chance)
	return r, nil
}

// FleissKappa returns Fleiss' kappa for any number of coders. Fleiss' kappa
// needs the same number of ratings for every unit, so only units that every
// coder rated are used; the others are dropped and counted. Fleiss' design
// does not tie ratings to coders: the columns may as well be "first
// rating", "second rating" and so on.
func FleissKappa(d *Data) (Kappa, error) {
	coders, err := d.shape()
	if err != nil {
		return Kappa{}, err
	}
	r := Kappa{Coders: coders}
	totals := map[float64]int64{}
	var same int64 // Σ_i Σ_j n_ij (n_ij − 1)
	buf := make([]float64, 0, coders)
	for _, row := range d.Values {
		vals := present(row, buf)
		if coders < 2 || len(vals) < coders {
			r.Dropped++
			continue
		}
		r.Units++
		sortSmall(vals)
		for i := 0; i < len(vals); {
			j := i + 1
			for j < len(vals) && vals[j] == vals[i] {
				j++
			}
			k := int64(j - i)
			same += k * (k - 1)
			totals[vals[i]] += k
			i = j
		}
	}
	if r.Units == 0 {
		r.Undefined = true
		return r, nil
	}
	r.Categories = len(totals)
	m, n := int64(coders), int64(r.Units)
	all := n * m
	var squares int64
	for _, t := range totals {
		squares += t * t
	}
	r.Observed = float64(same) / float64(n*m*(m-1))
	r.Expected = float64(squares) / (float64(all) * float64(all))
	if squares == all*all {
		r.Undefined = true
		return r, nil
	}
	if same == n*m*(m-1) {
		r.Value = 1 // exactly, not 0.9999…
		return r, nil
	}
	r.Value = (r.Observed - r.Expected) / (1 - r.Expected)
	return r, nil
}

// BrennanPrediger returns Brennan and Prediger's free-marginal kappa,
// (Po − 1/q) / (1 − 1/q), where Po is percent agreement (see
// PercentAgreement, whose units it uses) and chance picks uniformly among q
// categories. q is the number of categories the coders could choose from;
// 0 means the number of distinct values in the data, and q is at least 2.
// For many coders this is Randolph's free-marginal multirater kappa.
func BrennanPrediger(d *Data, q int) (Kappa, error) {
	p, err := PercentAgreement(d)
	if err != nil {
		return Kappa{}, err
	}
	distinct := map[float64]bool{}
	for _, row := range d.Values {
		for _, v := range row {
			if !IsMissing(v) {
				distinct[v] = true
			}
		}
	}
	switch {
	case q < 0:
		return Kappa{}, qcode.Errorf(qcode.EINVALID, "q is %d; say the number of categories (2 or more), or 0 for the number in the data", q)
	case q == 0:
		q = max(len(distinct), 2)
	case q < 2:
		return Kappa{}, qcode.Errorf(qcode.EINVALID, "q is %d, but chance needs 2 or more categories to choose among; say 2 or more, or 0 for the number in the data", q)
	case q < len(distinct):
		return Kappa{}, qcode.Errorf(qcode.EINVALID, "q is %d, but the data has %d categories; say %d or more, or 0 for the number in the data", q, len(distinct), len(distinct))
	}
	r := Kappa{
		Undefined: p.Undefined,
		Observed:  p.Value,
		Expected:  1 / float64(q),
		Units:     p.Units,
		Dropped:   p.Dropped,
		Coders:    p.Coders,
		Q:         q,
	}
	r.Categories = categoriesUsed(d)
	if r.Undefined {
		return r, nil
	}
	r.Value = (r.Observed - r.Expected) / (1 - r.Expected)
	if p.Value == 1 {
		r.Value = 1
	}
	return r, nil
}

// categoriesUsed counts the distinct values in units with two or more
// values.
func categoriesUsed(d *Data) int {
	seen := map[float64]bool{}
	buf := make([]float64, 0, len(d.Coders))
	for _, row := range d.Values {
		vals := present(row, buf)
		if len(vals) < 2 {
			continue
		}
		for _, v := range vals {
			seen[v] = true
		}
	}
	return len(seen)
}

// present returns row's values that are not missing, in buf.
func present(row []float64, buf []float64) []float64 {
	buf = buf[:0]
	for _, v := range row {
		if !IsMissing(v) {
			buf = append(buf, v)
		}
	}
	return buf
}

// matchingPairs sorts vals and returns how many unordered pairs of them are
// equal.
func matchingPairs(vals []float64) int {
	sortSmall(vals)
	same := 0
	for i := 0; i < len(vals); {
		j := i + 1
		for j < len(vals) && vals[j] == vals[i] {
			j++
		}
		k := j - i
		same += k * (k - 1) / 2
		i = j
	}
	return same
}
