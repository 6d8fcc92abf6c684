package search

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// bleve maps each segment of the index into memory and reads a hit's id
// from the segment's stored fields. A search with hits in every few hundred
// sentences touches nearly every page of those, and every page of a map a
// process touches counts in its resident memory until the map goes: some
// 20 MB of a 10M-word index for one common word, more the larger the
// corpus. As the sentence file lets its blocks go (SentenceFile.release),
// the index lets the pages of its segments go every releaseHits hits; a
// page read again is read from the system's file cache.
//
// Writing the index touches them too: scorch's merger reads every page of
// the segments it merges, in the background, and they stay resident until
// the merged segment replaces them. Its last merges at 10M words read ten
// segments of 4 MB into one of 40 MB, so that rebuilding the index peaked
// some 45 MB higher than at 1M words for pages read once and not again.
// An index open to write lets them go every releaseInterval (see
// releaseWhileWriting), whatever the merger is doing.

// releaseHits is how many hits the index reads before it lets the pages
// of its segments go.
const releaseHits = 4096

// releaseInterval is how often an index open to write lets the pages of its
// segments go. The merger reads some tens of MB a second, so that a page
// is resident for about this long after it is read; one read again is
// a minor fault, from the system's file cache. (A variable for a test
// that asks for each release itself.)
var releaseInterval = 100 * time.Millisecond

// segmentDir returns the folder of the index's segments as the system
// names it in /proc/self/maps, ending in a separator.
func (ix *Index) segmentDir() (string, error) {
	if ix.storeDir == "" {
		dir, err := filepath.Abs(filepath.Join(ix.path, "store"))
		if err == nil {
			dir, err = filepath.EvalSymlinks(dir)
		}
		if err != nil {
			return "", err
		}
		ix.storeDir = dir + string(filepath.Separator)
	}
	return ix.storeDir, nil
}

// releaseSegments lets the system take back the pages this process maps
// from the index's segment files. It is advice only, and a failure leaves
// the pages resident, no worse.
//
// Only the segments of a snapshot it holds, which scorch cannot close
// meanwhile: a map it let go of could be unmapped by the merger between
// reading /proc/self/maps and madvise, and its addresses given to other
// memory, which MADV_DONTNEED would zero.
func (ix *Index) releaseSegments() {
	dir, err := ix.segmentDir()
	if err != nil {
		return
	}
	adv, err := ix.b.Advanced()
	if err != nil {
		return
	}
	r, err := adv.Reader()
	if err != nil {
		return
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return
	}
	held := map[string]bool{}
	for _, ss := range snap.Segments() {
		if p, ok := ss.Segment().(interface{ Path() string }); ok {
			held[filepath.Base(p.Path())] = true
		}
	}
	releaseMapped(dir, held)
}

// releaseMapped lets the system take back the pages this process maps
// from the segment files in dir that held names (read-only, shared maps
// of .zap files). It reads the process's maps from /proc, so it does
// nothing where there is none.
func releaseMapped(dir string, held map[string]bool) {
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(maps))
	for sc.Scan() {
		// start-end perms offset dev inode path
		f := bytes.Fields(sc.Bytes())
		if len(f) < 6 || string(f[1]) != "r--s" || !bytes.HasPrefix(f[5], []byte(dir)) || !held[string(f[5][len(dir):])] {
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

// releaser lets the pages of an index's segments go while it is open to
// write: every tick, and when asked (now, for tests), until stopped.
type releaser struct {
	stop chan struct{}
	now  chan chan struct{} // a release is asked for; the channel sent is closed once it is done
	done chan struct{}
}

// releaseWhileWriting starts letting the pages of the index's segments go
// every releaseInterval until Close. Where there is no /proc, or the
// folder cannot be named, it starts nothing: the pages stay resident, no
// worse.
func (ix *Index) releaseWhileWriting() {
	if _, err := os.Stat("/proc/self/maps"); err != nil {
		return
	}
	if _, err := ix.segmentDir(); err != nil {
		return
	}
	r := &releaser{stop: make(chan struct{}), now: make(chan chan struct{}), done: make(chan struct{})}
	ix.releaser = r
	every := releaseInterval
	go func() {
		defer close(r.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-r.stop:
				return
			case <-t.C:
				ix.releaseSegments()
			case done := <-r.now:
				ix.releaseSegments()
				close(done)
			}
		}
	}()
}

// stopReleasing stops what releaseWhileWriting started, if anything.
func (ix *Index) stopReleasing() {
	if r := ix.releaser; r != nil {
		ix.releaser = nil
		close(r.stop)
		<-r.done
	}
}
