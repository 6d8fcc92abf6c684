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
// counts, without building p.Data(): the same values the general functions
// give on it.
//
// A code neither coder ever applied has agreement 1 and Brennan–Prediger
// kappa 1, but Cohen's kappa and alpha are Undefined (0), and so is
// positive agreement: agreeing on a code nobody used shows nothing.
func (p Presence) Stats() (PresenceStats, error) {
	if p.Both < 0 || p.OnlyA < 0 || p.OnlyB < 0 || p.Neither < 0 {
		return PresenceStats{}, qcode.Errorf(qcode.EINVALID, "presence counts cannot be negative (both %d, only A %d, only B %d, neither %d); count units", p.Both, p.OnlyA, p.OnlyB, p.Neither)
	}
	// Percent agreement, alpha and Brennan–Prediger are those of two
	// coders' present/absent data; only Cohen's kappa and positive
	// agreement are worked out here.
	b := Binary{Coders: 2, Ones: []int64{int64(p.Neither), int64(p.OnlyA + p.OnlyB), int64(p.Both)}}
	var err error
	s := PresenceStats{Presence: p, Units: p.Units()}
	if s.Agreement, err = b.Percent(); err != nil {
		return s, err
	}
	if s.Alpha, err = b.Alpha(); err != nil {
		return s, err
	}
	if s.BrennanPrediger, err = b.BrennanPrediger(); err != nil {
		return s, err
	}
	if p.Both+p.OnlyA+p.OnlyB == 0 {
		s.PositiveUndefined = true
	} else {
		s.Positive = float64(2*p.Both) / float64(2*p.Both+p.OnlyA+p.OnlyB)
	}
	n := int64(p.Units())
	s.Cohen = Kappa{Units: int(n), Coders: 2}
	if n == 0 {
		s.Cohen.Undefined = true
		return s, nil
	}
	agree := int64(p.Both + p.Neither)
	po := float64(agree) / float64(n)
	a1, b1 := int64(p.Both+p.OnlyA), int64(p.Both+p.OnlyB)
	a0, b0 := n-a1, n-b1
	for _, k := range []int64{a1 + b1, a0 + b0} {
		if k > 0 {
			s.Cohen.Categories++
		}
	}
	chance := a1*b1 + a0*b0
	s.Cohen.Observed = po
	s.Cohen.Expected = float64(chance) / float64(n*n)
	if chance == n*n {
		s.Cohen.Undefined = true
	} else {
		s.Cohen.Value = float64(n*agree-chance) / float64(n*n-chance)
	}
	return s, nil
}
