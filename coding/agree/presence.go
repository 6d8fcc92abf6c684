package agree

import (
	"qcode"
)

// Presence counts how two coders, A and B, applied one code to the same
// units: the units both coded with it, those only A or only B did, and
// those neither did.
type Presence struct {
	Both    int `json:"both"`
	OnlyA   int `json:"only_a"`
	OnlyB   int `json:"only_b"`
	Neither int `json:"neither"`
}

// CountPresence counts, unit by unit, whether coder A (a[u]) and coder B
// (b[u]) applied the code.
func CountPresence(a, b []bool) (Presence, error) {
	if len(a) != len(b) {
		return Presence{}, qcode.Errorf(qcode.EINVALID, "coder A has %d units and coder B %d; give both coders the same units", len(a), len(b))
	}
	var p Presence
	for u := range a {
		switch {
		case a[u] && b[u]:
			p.Both++
		case a[u]:
			p.OnlyA++
		case b[u]:
			p.OnlyB++
		default:
			p.Neither++
		}
	}
	return p, nil
}

// Units returns the number of units counted.
func (p Presence) Units() int { return p.Both + p.OnlyA + p.OnlyB + p.Neither }

// Data returns the counts as reliability data: coders "A" and "B", one
// unit per count, 1 where the coder applied the code and 0 where not.
func (p Presence) Data() *Data {
	d := &Data{Coders: []string{"A", "B"}}
	add := func(k int, a, b float64) {
		for range k {
			d.Values = append(d.Values, []float64{a, b})
		}
	}
	add(p.Both, 1, 1)
	add(p.OnlyA, 1, 0)
	add(p.OnlyB, 0, 1)
	add(p.Neither, 0, 0)
	return d
}

// PresenceStats are the agreement statistics of one code between two
// coders, from its presence counts.
type PresenceStats struct {
	Presence
	Units     int     `json:"units"`
	Agreement Percent `json:"agreement"` // (Both + Neither) / Units
	// Positive is positive (specific) agreement, 2·Both / (2·Both + OnlyA
	// + OnlyB): of the codings either coder made, the share the other
	// matched. It ignores the units neither coded, which dominate for a
	// rare code. 0 when PositiveUndefined: neither coder applied the code.
	Positive          float64 `json:"positive"`
	PositiveUndefined bool    `json:"positive_undefined"`
	Cohen             Kappa   `json:"cohen"`
	Alpha             Alpha   `json:"alpha"`            // nominal
	BrennanPrediger   Kappa   `json:"brennan_prediger"` // q = 2
}

// Stats returns percent agreement, positive agreement, Cohen's kappa,
// nominal Krippendorff's alpha and Brennan–Prediger kappa (q = 2) from the
// counts, in closed form: the same values the general functions give on
// p.Data(), without building it.
//
// A code neither coder ever applied has agreement 1 and Brennan–Prediger
// kappa 1, but Cohen's kappa and alpha are Undefined (0), and so is
// positive agreement: agreeing on a code nobody used shows nothing.
func (p Presence) Stats() (PresenceStats, error) {
	if p.Both < 0 || p.OnlyA < 0 || p.OnlyB < 0 || p.Neither < 0 {
		return PresenceStats{}, qcode.Errorf(qcode.EINVALID, "presence counts cannot be negative (both %d, only A %d, only B %d, neither %d); count units", p.Both, p.OnlyA, p.OnlyB, p.Neither)
	}
	n := int64(p.Units())
	agree := int64(p.Both + p.Neither)
	differ := int64(p.OnlyA + p.OnlyB)
	s := PresenceStats{
		Presence:        p,
		Units:           int(n),
		Agreement:       Percent{Units: int(n), Coders: 2, Values: int(2 * n)},
		Cohen:           Kappa{Units: int(n), Coders: 2},
		Alpha:           Alpha{Level: Nominal, Units: int(n), Coders: 2, Values: int(2 * n)},
		BrennanPrediger: Kappa{Units: int(n), Coders: 2, Q: 2, Expected: 0.5},
	}
	if p.Both+p.OnlyA+p.OnlyB == 0 {
		s.PositiveUndefined = true
	} else {
		s.Positive = float64(2*p.Both) / float64(2*p.Both+p.OnlyA+p.OnlyB)
	}
	if n == 0 {
		s.Agreement.Undefined = true
		s.Cohen.Undefined = true
		s.Alpha.Undefined = true
		s.BrennanPrediger.Undefined = true
		return s, nil
	}
	po := float64(agree) / float64(n)
	s.Agreement.Value = po

	a1, b1 := int64(p.Both+p.OnlyA), int64(p.Both+p.OnlyB)
	a0, b0 := n-a1, n-b1
	cats := 0
	if a1+b1 > 0 {
		cats++
	}
	if a0+b0 > 0 {
		cats++
	}
	chance := a1*b1 + a0*b0
	s.Cohen.Observed = po
	s.Cohen.Expected = float64(chance) / float64(n*n)
	s.Cohen.Categories = cats
	if chance == n*n {
		s.Cohen.Undefined = true
	} else {
		s.Cohen.Value = float64(n*agree-chance) / float64(n*n-chance)
	}

	// Two values per unit: o_01 = o_10 = OnlyA + OnlyB, n = 2N.
	nv := float64(2 * n)
	n1 := float64(a1 + b1)
	n0 := nv - n1
	s.Alpha.Observed = 2 * float64(differ) / nv
	s.Alpha.Expected = 2 * n0 * n1 / (nv * (nv - 1))
	if n0*n1 == 0 {
		s.Alpha.Undefined = true
		s.Alpha.Observed, s.Alpha.Expected = 0, 0
	} else {
		s.Alpha.Value = alphaOf(s.Alpha.Observed, s.Alpha.Expected)
	}

	s.BrennanPrediger.Observed = po
	s.BrennanPrediger.Categories = cats
	s.BrennanPrediger.Value = 2*po - 1
	return s, nil
}
