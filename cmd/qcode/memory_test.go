package main

import "testing"

// TestIndexMemoryLimit checks that import and index limit the memory they
// index in unless GOMEMLIMIT gives the process a limit of its own.
func TestIndexMemoryLimit(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	if got := indexMemoryLimit(); got != indexMemory<<20 {
		t.Errorf("without GOMEMLIMIT: %d bytes, want %d", got, indexMemory<<20)
	}
	t.Setenv("GOMEMLIMIT", "1GiB")
	if got := indexMemoryLimit(); got != 0 {
		t.Errorf("with GOMEMLIMIT=1GiB: %d bytes, want none (0): the variable rules", got)
	}
}
