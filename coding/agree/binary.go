package agree

import (
	"qcode"
)

// Binary is reliability data for one code judged present or absent by the
// same coders on every unit, kept as counts: Ones[k] is the number of
// units on which exactly k of the Coders coders applied the code, for
// k = 0 … Coders. With no value missing and two values only, every
// statistic but Cohen's kappa depends on these counts alone, so a
// character-level comparison of millions of units costs no more than one
// of ten. (Cohen's kappa tells the two coders apart: use Presence.)
//
// Each method gives what the general function gives on b.Data(), counts
// included, up to the rounding of the last bit.
type Binary struct {
	Coders int
	Ones   []int64
}

// check reports why b is not binary reliability data.
func (b Binary) check() error {
	if b.Coders < 1 {
		return qcode.Errorf(qcode.EINVALID, "binary data with %d coders; give one coder or more", b.Coders)
	}
	if len(b.Ones) != b.Coders+1 {
		return qcode.Errorf(qcode.EINVALID, "binary data of %d coders needs %d counts (units coded by 0 … %d coders), not %d", b.Coders, b.Coders+1, b.Coders, len(b.Ones))
	}
	for k, n := range b.Ones {
		if n < 0 {
			return qcode.Errorf(qcode.EINVALID, "%d units coded by %d coders; counts cannot be negative", n, k)
		}
	}
	return nil
}

// tally returns the units, the values equal to 1 (the code applied) and
// the number of ordered pairs of equal values from different coders.
func (b Binary) tally() (units, ones, same int64) {
	m := int64(b.Coders)
	for k, n := range b.Ones {
		k := int64(k)
		units += n
		ones += k * n
		same += n * (k*(k-1) + (m-k)*(m-k-1))
	}
	return units, ones, same
}

// Data returns b as reliability data: one row per unit, the first k
// coders 1 and the others 0 on a unit k coders coded. It is for checking
// and for small data; the methods of Binary never build it.
func (b Binary) Data() *Data {
	d := &Data{Coders: make([]string, b.Coders)}
	for c := range d.Coders {
		d.Coders[c] = string(rune('A' + c%26))
		if c >= 26 {
			d.Coders[c] += string(rune('0' + c/26))
		}
	}
	for k, n := range b.Ones {
		for range n {
			row := make([]float64, b.Coders)
			for c := range k {
				row[c] = 1
			}
			d.Values = append(d.Values, row)
		}
	}
	return d
}

// Percent returns percent agreement: the mean over units of the share of
// pairs of coders who agree on the unit, as PercentAgreement does.
func (b Binary) Percent() (Percent, error) {
	if err := b.check(); err != nil {
		return Percent{}, err
	}
	units, _, same := b.tally()
	r := Percent{Coders: b.Coders}
	if b.Coders < 2 {
		r.Dropped = int(units) // no unit has two values
	}
	if b.Coders < 2 || units == 0 {
		r.Undefined = true
		return r, nil
	}
	m := int64(b.Coders)
	r.Units, r.Values = int(units), int(units*m)
	r.Value = min(float64(same)/(float64(units)*float64(m*(m-1))), 1)
	return r, nil
}

// Fleiss returns Fleiss' kappa, as FleissKappa does.
func (b Binary) Fleiss() (Kappa, error) {
	if err := b.check(); err != nil {
		return Kappa{}, err
	}
	units, ones, same := b.tally()
	r := Kappa{Coders: b.Coders}
	if b.Coders < 2 || units == 0 {
		if b.Coders < 2 {
			r.Dropped = int(units)
		}
		r.Undefined = true
		return r, nil
	}
	m := int64(b.Coders)
	r.Units = int(units)
	all := float64(units * m)
	zeros := units*m - ones
	r.Categories = categories(ones, zeros)
	r.Observed = float64(same) / (float64(units) * float64(m*(m-1)))
	r.Expected = (float64(ones)*float64(ones) + float64(zeros)*float64(zeros)) / (all * all)
	switch {
	case ones == 0 || zeros == 0:
		r.Undefined = true
	case same == units*m*(m-1):
		r.Value = 1
	default:
		r.Value = (r.Observed - r.Expected) / (1 - r.Expected)
	}
	return r, nil
}

// BrennanPrediger returns Brennan and Prediger's kappa with two categories
// (q = 2), as BrennanPrediger(b.Data(), 0) does.
func (b Binary) BrennanPrediger() (Kappa, error) {
	p, err := b.Percent()
	if err != nil {
		return Kappa{}, err
	}
	r := Kappa{
		Undefined: p.Undefined,
		Observed:  p.Value,
		Expected:  0.5,
		Units:     p.Units,
		Dropped:   p.Dropped,
		Coders:    p.Coders,
		Q:         2,
	}
	if p.Units > 0 {
		_, ones, _ := b.tally()
		r.Categories = categories(ones, int64(p.Values)-ones)
	}
	if r.Undefined {
		return r, nil
	}
	r.Value = 2*p.Value - 1
	return r, nil
}

// Alpha returns nominal Krippendorff's alpha, as KrippendorffAlpha does.
func (b Binary) Alpha() (Alpha, error) {
	if err := b.check(); err != nil {
		return Alpha{}, err
	}
	units, _, _ := b.tally()
	r := Alpha{Level: Nominal, Coders: b.Coders}
	if b.Coders < 2 {
		r.Dropped = int(units)
	}
	if b.Coders < 2 || units == 0 {
		r.Undefined = true
		return r, nil
	}
	r.Units, r.Values = int(units), int(units)*b.Coders
	do, de, undefined := binaryAlpha(b.Coders, b.Ones)
	if undefined {
		r.Undefined = true
		return r, nil
	}
	r.Observed, r.Expected = do, de
	r.Value = alphaOf(do, de)
	return r, nil
}

// binaryAlpha returns the observed and expected disagreement of binary
// data of m ≥ 2 coders with no value missing, from its counts, and whether
// alpha is undefined (every value the same). A unit with k ones adds
// k(m − k) ordered pairs (0, 1) and as many (1, 0), each weighing
// 1/(m − 1); n = N·m values.
func binaryAlpha(m int, ones []int64) (do, de float64, undefined bool) {
	var units, n1 int64
	var dsum float64
	fm := float64(m)
	for k, n := range ones {
		units += n
		n1 += int64(k) * n
		dsum += float64(n) * 2 * float64(k) * (fm - float64(k)) / (fm - 1)
	}
	n := float64(units) * fm
	n0 := n - float64(n1)
	if n1 == 0 || n0 == 0 {
		return 0, 0, true
	}
	return dsum / n, 2 * n0 * float64(n1) / (n * (n - 1)), false
}

func categories(ones, zeros int64) int {
	c := 0
	if ones > 0 {
		c++
	}
	if zeros > 0 {
		c++
	}
	return c
}
