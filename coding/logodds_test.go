package coding

import (
	"fmt"
	"math"
	"testing"
)

// TestWeightedLogOdds checks the scores against a case worked by hand.
// Sentences coded "learning" hold "learn" 4 times and "the" 6 (n_i = 10);
// the rest hold "learn" once and "the" 19 times (n_j = 20); α0 = 3, n = 30.
//
//	learn: α = 3·5/30 = 0.5; δ = ln(4.5/8.5) − ln(1.5/21.5) = ln(96.75/12.75) = ln 7.588235 = 2.026599
//	       σ² = 1/4.5 + 1/1.5 = 0.888889; z = 2.026599/0.942809 = 2.149533
//	the:   α = 3·25/30 = 2.5; δ = ln(8.5/4.5) − ln(21.5/1.5) = −2.026599
//	       σ² = 1/8.5 + 1/21.5 = 0.164159; z = −2.026599/0.405165 = −5.001910
func TestWeightedLogOdds(t *testing.T) {
	got := WeightedLogOdds(map[string]int{"learn": 4, "the": 6}, map[string]int{"learn": 1, "the": 19}, 3)
	want := map[string]LogOdds{
		"learn": {Delta: 2.026599, Variance: 0.888889, Z: 2.149533},
		"the":   {Delta: -2.026599, Variance: 0.164159, Z: -5.001910},
	}
	if len(got) != len(want) {
		t.Fatalf("scored %d terms, want %d: %v", len(got), len(want), got)
	}
	for w, x := range want {
		g := got[w]
		if math.Abs(g.Delta-x.Delta) > 1e-5 || math.Abs(g.Variance-x.Variance) > 1e-5 || math.Abs(g.Z-x.Z) > 1e-5 {
			t.Errorf("%s: got %+v, want %+v", w, g, x)
		}
	}
}

// TestWeightedLogOddsOneSide scores a term met in the rest only, which the
// prior keeps finite.
func TestWeightedLogOddsOneSide(t *testing.T) {
	got := WeightedLogOdds(map[string]int{"humility": 3}, map[string]int{"visa": 2, "humility": 1}, 1)
	v := got["visa"]
	if v.Z >= 0 || math.IsInf(v.Z, 0) || math.IsNaN(v.Z) {
		t.Errorf("visa, only in the rest: z = %v, want a finite negative", v.Z)
	}
	if h := got["humility"]; h.Z <= 0 {
		t.Errorf("humility, mostly in the group: z = %v, want positive", h.Z)
	}
}

// The words that mark the sentences coded humility apart from the rest of
// the interviews, the strongest first.
func ExampleWeightedLogOdds() {
	humility := map[string]int{"humbled": 3, "learn": 4, "we": 6, "the": 5}
	rest := map[string]int{"humbled": 1, "learn": 2, "we": 40, "the": 60, "rota": 5}
	scores := WeightedLogOdds(humility, rest, 10)
	for _, w := range []string{"learn", "humbled", "we", "rota", "the"} {
		fmt.Printf("%-8s z = %5.2f\n", w, scores[w].Z)
	}
	// Output:
	// learn    z =  2.76
	// humbled  z =  2.41
	// we       z = -0.31
	// rota     z = -0.73
	// the      z = -2.29
}
