package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
)

// gcSettings reads the collector's GOGC and memory limit without
// changing them.
func gcSettings() (gogc, limit int64) {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64()), int64(s[1].Value.Uint64())
}

// TestHeapFloor: the collector is off below the floor until it first
// runs, then back as it was; with GOGC set, nothing changes.
func TestHeapFloor(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	// A search run in this process before may have set a floor that
	// waits for a collection: let it go first.
	settled := false
	for range 1000 {
		runtime.GC()
		runtime.Gosched()
		floorMu.Lock()
		settled = !floorSet
		floorMu.Unlock()
		if settled {
			break
		}
	}
	if !settled {
		t.Fatal("a floor set before the test was not let go after the collector ran")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	heapFloor(64 << 20)
	if gogc, limit := gcSettings(); gogc != -1 || limit != 64<<20 {
		t.Errorf("under the floor GOGC is %d and the limit %d, want -1 (off) and %d", gogc, limit, 64<<20)
	}
	// The first collection puts the collector back as it was; its
	// finalizer runs on a goroutine of its own, soon after.
	back := false
	for range 1000 {
		runtime.GC()
		runtime.Gosched()
		if gogc, _ := gcSettings(); gogc == 100 {
			back = true
			break
		}
	}
	if !back {
		t.Fatal("GOGC was not put back after the collector ran")
	}
	if _, limit := gcSettings(); limit != math.MaxInt64 {
		t.Errorf("the limit after the first collection is %d, want none", limit)
	}

	// A second floor while one waits changes nothing, and what the
	// first puts back is what was there before it.
	heapFloor(64 << 20)
	heapFloor(32 << 20)
	if gogc, limit := gcSettings(); gogc != -1 || limit != 64<<20 {
		t.Errorf("two floors at once: GOGC %d and limit %d, want -1 and the first's %d", gogc, limit, 64<<20)
	}
	back = false
	for range 1000 {
		runtime.GC()
		runtime.Gosched()
		if gogc, limit := gcSettings(); gogc == 100 && limit == math.MaxInt64 {
			back = true
			break
		}
	}
	if !back {
		t.Fatal("after two floors, GOGC and the limit were not put back as they were")
	}

	t.Setenv("GOGC", "50")
	heapFloor(64 << 20)
	if gogc, limit := gcSettings(); gogc != 100 || limit != math.MaxInt64 {
		t.Errorf("with GOGC set, heapFloor changed GOGC to %d and the limit to %d", gogc, limit)
	}
}
