package search

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// zapResident returns the kilobytes of the index's segment files this
// process has resident in its maps, from /proc/self/smaps.
func zapResident(t *testing.T, ix *Index) int {
	t.Helper()
	dir, err := ix.segmentDir()
	if err != nil {
		t.Fatal(err)
	}
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps to read resident pages from: %v", err)
	}
	kb, ours := 0, false
	sc := bufio.NewScanner(bytes.NewReader(smaps))
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		switch {
		case len(f) >= 5 && bytes.Contains(f[0], []byte("-")) && !bytes.HasSuffix(f[0], []byte(":")):
			// a map's first line: start-end perms offset dev inode [path]
			ours = len(f) >= 6 && bytes.HasPrefix(f[5], []byte(dir)) && bytes.HasSuffix(f[5], []byte(".zap"))
		case ours && len(f) >= 2 && string(f[0]) == "Rss:":
			n, err := strconv.Atoi(string(f[1]))
			if err != nil {
				t.Fatalf("smaps: %q", sc.Text())
			}
			kb += n
		}
	}
	return kb
}

// TestWritingReleasesSegments checks what keeps index --rebuild's memory
// flat: an index open to write lets the pages of its segment files go
// (scorch's merger reads every page of the segments it merges, and at 10M
// words they were 45 MB of its peak), whatever reads them, but only those
// of the segments it holds; an index open to read leaves that to its
// searches, and Close stops it.
func TestWritingReleasesSegments(t *testing.T) {
	ctx := context.Background()
	// Only the releases asked for below: a tick between reading and
	// counting would leave nothing to count.
	defer func(was time.Duration) { releaseInterval = was }(releaseInterval)
	releaseInterval = time.Hour
	path := filepath.Join(t.TempDir(), "index")
	ix, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	defer func() {
		if !closed {
			ix.Close()
		}
	}()
	if ix.releaser == nil {
		if _, err := os.Stat("/proc/self/maps"); err != nil {
			t.Skip("no /proc: nothing is released")
		}
		t.Fatal("an index made to write lets nothing go")
	}
	// Three sources of 5,000 sentences, a batch each: three segments on
	// disk, too few for the merger to merge.
	have := map[int64]string{}
	for src := int64(1); src <= 3; src++ {
		var docs []Doc
		for i := range batchSize {
			words := []string{"we", "learnt", fmt.Sprintf("w%d", i%977), "on", fmt.Sprintf("shift%d", src)}
			var toks []Token
			at := 0
			for _, w := range words {
				toks = append(toks, Token{Text: w, Start: at, End: at + len(w)})
				at += len(w) + 1
			}
			docs = append(docs, Doc{Words: words, Sentence: Sentence{Ord: i + 1, Turn: 1, End: at - 1, ByteEnd: at - 1, Tokens: toks}})
		}
		turns := []Turn{{Ord: 1, Speaker: 1, End: 1, ByteEnd: 1, Text: "x"}}
		if err := ix.Add(ctx, src, turns, docs); err != nil {
			t.Fatal(err)
		}
		have[src] = "a"
	}
	if err := ix.Commit(have); err != nil {
		t.Fatal(err)
	}
	// Every hit's id read from the segments' stored fields, as a merge
	// copies them, touches their pages.
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 3*batchSize, 0, false)
	res, err := ix.b.SearchInContext(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 3*batchSize {
		t.Fatalf("%d hits, want %d", len(res.Hits), 3*batchSize)
	}
	before := zapResident(t, ix)
	if before < 64 {
		t.Fatalf("%d KB of the segments resident after reading every id; the test needs more", before)
	}
	// Only segments of a snapshot held while letting go: none named, none
	// let go.
	dir, err := ix.segmentDir()
	if err != nil {
		t.Fatal(err)
	}
	releaseMapped(dir, nil)
	if still := zapResident(t, ix); still < before {
		t.Errorf("%d KB of the segments resident after letting go of no segment, %d KB before", still, before)
	}
	done := make(chan struct{})
	ix.releaser.now <- done
	<-done
	after := zapResident(t, ix)
	t.Logf("segments resident: %d KB after reading every id, %d KB once let go", before, after)
	if after > before/4 {
		t.Errorf("%d KB of the segments resident after letting them go, %d KB before", after, before)
	}
	r := ix.releaser
	closed = true
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.done:
	default:
		t.Error("the index was closed and still lets its pages go")
	}

	ro, err := Open(path, false)
	if err != nil {
		t.Fatal(err)
	}
	if ro.releaser != nil {
		t.Error("an index open to read lets its pages go on its own; its searches do that")
	}
	if err := ro.Close(); err != nil {
		t.Fatal(err)
	}
	rw, err := Open(path, true)
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Close()
	if rw.releaser == nil {
		t.Error("an index opened to write lets nothing go")
	}
}
