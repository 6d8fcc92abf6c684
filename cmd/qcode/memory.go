package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"sync"
)

// Soft memory limits, in MB, that import and index keep to while they
// write the search index (app.Project.SetIndexMemory), unless the
// GOMEMLIMIT variable sets the process's own. Indexing keeps some 25 MB
// live at 1M words and 45 MB at 10M, where scorch merges bigger segments,
// and Go's collector by default lets the heap grow to twice what is live
// before it runs. Measured at 10M words on 2 cores (peak RSS, processor
// time; before → after): index --rebuild 168 → 141 MiB for the same
// processor time; import 181 → 151 MiB for some 6% more. An import writes
// the index with more live (what storing the files left), so it gets more
// room: under 64 MB it peaked at 139 MiB but took a third more processor
// time, the collector running all the while.
const (
	indexMemory       = 64 // qcode index
	importIndexMemory = 80 // qcode import
)

// indexMemoryLimit is mb megabytes in bytes, the limit import or index
// sets, or none (0) when GOMEMLIMIT gives the process one.
func indexMemoryLimit(mb int64) int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return 0
	}
	return mb << 20
}

// searchHeapFloor is the heap, in bytes, that a search lets grow before
// its first collection (see heapFloor). A search of 1M words holds 1–3 MB
// live and, left to the default, collected three times in its first 30
// ms: a tenth of its processor time.
const searchHeapFloor = 32 << 20

// heapFloor lets the heap grow to floor bytes before the collector first
// runs, and from then on leaves the collector as it was (GOGC, and no
// limit): a short command whose heap stays small spends nothing on
// collecting, and one whose heap grows past floor is collected as usual,
// never held under floor. It does nothing when GOGC or GOMEMLIMIT is set,
// or while a floor it set is still waiting for that first collection (a
// process running commands one after another, as the tests do). A
// command that sets limits of its own must not call it.
func heapFloor(floor int64) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	floorMu.Lock()
	defer floorMu.Unlock()
	if floorSet {
		return
	}
	floorSet = true
	gogc := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(floor)
	// Nothing holds the sentinel, so its finalizer runs after the
	// collector's first cycle, which the limit sets off.
	runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) {
		floorMu.Lock()
		defer floorMu.Unlock()
		debug.SetGCPercent(gogc)
		debug.SetMemoryLimit(limit)
		floorSet = false
	})
}

var (
	floorMu  sync.Mutex
	floorSet bool // a floor waits for the first collection; guarded by floorMu
)

// gcSentinel is an object whose finalizer says that the collector ran.
// It holds a pointer: the finalizer of a tiny object without pointers
// may never run.
type gcSentinel struct {
	_ *int
	_ [16]byte
}
