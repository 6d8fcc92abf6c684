package search

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// bleve maps each segment of the index into memory and reads a hit's id
// from the segment's stored fields. A search with hits in every few hundred
// sentences touches nearly every page of those, and every page of a map a
// process touches counts in its resident memory until the map goes: some
// 20 MB of a 10M-word index for one common word, more the larger the
// corpus. As the sentence file lets its blocks go (SentenceFile.release),
// the index lets the pages of its segments go every releaseHits hits; a
// page read again is read from the system's file cache.

// releaseHits is how many hits the index reads before it lets the pages
// of its segments go.
const releaseHits = 4096

// releaseSegments lets the system take back the pages this process maps
// from the index's segment files (read-only, shared maps of the files in
// its store folder). It reads the process's maps from /proc, so it does
// nothing where there is none; it is advice only, and a failure leaves
// the pages resident, no worse.
func (ix *Index) releaseSegments() {
	if ix.storeDir == "" {
		dir, err := filepath.Abs(filepath.Join(ix.path, "store"))
		if err == nil {
			dir, err = filepath.EvalSymlinks(dir)
		}
		if err != nil {
			return
		}
		ix.storeDir = dir + string(filepath.Separator)
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(maps))
	for sc.Scan() {
		// start-end perms offset dev inode path
		f := bytes.Fields(sc.Bytes())
		if len(f) < 6 || string(f[1]) != "r--s" || !bytes.HasPrefix(f[5], []byte(ix.storeDir)) || !bytes.HasSuffix(f[5], []byte(".zap")) {
			continue
		}
		lo, hi, ok := bytes.Cut(f[0], []byte("-"))
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(string(lo), 16, 64)
		end, err2 := strconv.ParseUint(string(hi), 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), syscall.MADV_DONTNEED)
	}
}
