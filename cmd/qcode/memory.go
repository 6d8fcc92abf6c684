package main

import "os"

// indexMemory is the soft memory limit, in MB, that import and index keep
// to while they write the search index (app.Project.SetIndexMemory),
// unless the GOMEMLIMIT variable sets the process's own. Indexing keeps
// some 25 MB live at 1M words and 45 MB at 10M; under 64 MB the collector
// runs about as often as by default at 1M words and more often at 10M,
// where the limit took the peak from 184 to 125 MiB (import) and from 172
// to 140 MiB (index --rebuild), for the same processor time. 48 MB took
// another 15 MiB off both at 10M, and 8 MiB at 1M, for some 9% more
// processor time at 10M.
const indexMemory = 64

// indexMemoryLimit is the limit, in bytes, that import and index set:
// none (0) when GOMEMLIMIT gives the process one.
func indexMemoryLimit() int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return 0
	}
	return indexMemory << 20
}
