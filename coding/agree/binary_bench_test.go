package agree_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"qcode/coding/agree"
)

// benchProfiles returns the profiles of units × codes of binary data of
// three coders: each unit has a code with probability 1/5, which each
// coder applies with probability 4/5; units with the same codes and the
// same counts of coders are one profile, as qcode agree makes them.
func benchProfiles(units, codes int) []agree.Profile {
	r := rand.New(rand.NewPCG(2, 2))
	index := map[string]int{}
	var ps []agree.Profile
	for range units {
		var p agree.Profile
		for c := range codes {
			if r.IntN(5*codes/2) != 0 {
				continue
			}
			k := 0
			for range 3 {
				if r.IntN(5) < 4 {
					k++
				}
			}
			if k > 0 {
				p.Codes = append(p.Codes, int32(c))
				p.Ones = append(p.Ones, int32(k))
			}
		}
		key := fmt.Sprint(p.Codes, p.Ones)
		if i, ok := index[key]; ok {
			ps[i].Count++
			continue
		}
		p.Count = 1
		index[key] = len(ps)
		ps = append(ps, p)
	}
	return ps
}

// BootstrapBinary costs one binomial draw per profile per resample, not
// one draw per unit: 100,000 or 10,000,000 units of the same few profiles
// cost much the same.
func BenchmarkBootstrapBinary(b *testing.B) {
	for _, units := range []int{100_000, 10_000_000} {
		ps := benchProfiles(100_000, 20)
		scale := int64(units / 100_000)
		for i := range ps {
			ps[i].Count *= scale
		}
		b.Run(fmt.Sprintf("3x20codes/%d/1000", units), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := agree.BootstrapBinary(3, 20, ps, 1000, 1); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(ps)), "profiles")
		})
	}
}
