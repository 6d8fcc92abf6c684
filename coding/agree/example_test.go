package agree_test

import (
	"fmt"

	"qcode/coding/agree"
)

func ExampleKrippendorffAlpha() {
	// Krippendorff's (2011) example: four coders, twelve units, some
	// values missing.
	table := `unit,A,B,C,D
u1,1,1,,1
u2,2,2,3,2
u3,3,3,3,3
u4,3,3,3,3
u5,2,2,2,2
u6,1,2,3,4
u7,4,4,4,4
u8,1,1,2,1
u9,2,2,2,2
u10,,5,5,5
u11,,,1,1
u12,,3,,
`
	d, err := agree.ReadTable("ratings.csv", []byte(table))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, level := range agree.Levels {
		a, err := agree.KrippendorffAlpha(d, level)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-8s alpha %.3f (%d units, %d dropped, %d values)\n", level, a.Value, a.Units, a.Dropped, a.Values)
	}
	iv, err := agree.Bootstrap(d, agree.Nominal, 1000, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("nominal 95%% interval %.2f to %.2f\n", iv.Low, iv.High)
	// Output:
	// nominal  alpha 0.743 (11 units, 1 dropped, 40 values)
	// ordinal  alpha 0.815 (11 units, 1 dropped, 40 values)
	// interval alpha 0.849 (11 units, 1 dropped, 40 values)
	// ratio    alpha 0.797 (11 units, 1 dropped, 40 values)
	// nominal 95% interval 0.39 to 1.00
}

func ExamplePresence_Stats() {
	// One code over 100 segments: both coders applied it to 8, only Amina
	// to 3, only Jo to 2, neither to 87.
	s, err := agree.Presence{Both: 8, OnlyA: 3, OnlyB: 2, Neither: 87}.Stats()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("agreement %.2f, positive agreement %.2f\n", s.Agreement.Value, s.Positive)
	fmt.Printf("Cohen's kappa %.3f, alpha %.3f, Brennan–Prediger %.3f\n", s.Cohen.Value, s.Alpha.Value, s.BrennanPrediger.Value)
	// Output:
	// agreement 0.95, positive agreement 0.76
	// Cohen's kappa 0.734, alpha 0.735, Brennan–Prediger 0.900
}
