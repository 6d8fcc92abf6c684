package main

import "os"

// indexMemory is the soft memory limit, in MB, that import and index keep
// to while they write the search index (app.Project.SetIndexMemory),
// unless the GOMEMLIMIT variable sets the process's own. Indexing keeps
// some 25 MB live at 1M words and 45 MB at 10M; under 64 MB the collector
// runs as often as by default at 1M words and a little more often at 10M,
// where the limit holds the peak (import 182 → about 145 MiB at 10M
// words) near what it is at 1M.
const indexMemory = 64

// indexMemoryLimit is the limit, in bytes, that import and index set:
// none (0) when GOMEMLIMIT gives the process one.
func indexMemoryLimit() int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return 0
	}
	return indexMemory << 20
}
