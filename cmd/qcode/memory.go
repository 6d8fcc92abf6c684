package main

import "os"

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
