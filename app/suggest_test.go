package app

import "testing"

func TestDidYouMean(t *testing.T) {
	if got, want := DidYouMean("humilty", []string{"humility", "humility"}), "; did you mean humility?"; got != want {
		t.Errorf("DidYouMean = %q, want %q", got, want)
	}
	if got, want := DidYouMean("P0", []string{"P01", "P02", "Q99"}), "; did you mean P01 or P02?"; got != want {
		t.Errorf("DidYouMean = %q, want %q", got, want)
	}
	if got := DidYouMean("zzz", []string{"humility"}); got != "" {
		t.Errorf("DidYouMean with nothing near = %q, want none", got)
	}
}
