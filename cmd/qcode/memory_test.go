package main

import "testing"

// TestIndexMemoryLimit checks that import and index limit the memory they
// index in unless GOMEMLIMIT gives the process a limit of its own.
func TestIndexMemoryLimit(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	for _, mb := range []int64{indexMemory, importIndexMemory} {
		if got := indexMemoryLimit(mb); got != mb<<20 {
			t.Errorf("%d MB without GOMEMLIMIT: %d bytes, want %d", mb, got, mb<<20)
		}
	}
	t.Setenv("GOMEMLIMIT", "1GiB")
	if got := indexMemoryLimit(indexMemory); got != 0 {
		t.Errorf("with GOMEMLIMIT=1GiB: %d bytes, want none (0): the variable rules", got)
	}
}
