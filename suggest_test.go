package qcode

import (
	"slices"
	"testing"
)

func TestNearest(t *testing.T) {
	for _, tc := range []struct {
		name       string
		candidates []string
		want       []string
	}{
		{"humilty", []string{"humility", "hierarchy", "humility"}, []string{"humility"}}, // named twice, offered once
		{"P3", []string{"P03", "P08", "Q99"}, []string{"P03"}},
		{"zzz", []string{"humility"}, nil},
	} {
		if got := Nearest(tc.name, tc.candidates); !slices.Equal(got, tc.want) {
			t.Errorf("Nearest(%q, %q) = %q, want %q", tc.name, tc.candidates, got, tc.want)
		}
	}
	if got, want := DidYouMean("humilty", []string{"humility", "humility"}), "; did you mean humility?"; got != want {
		t.Errorf("DidYouMean = %q, want %q", got, want)
	}
}
