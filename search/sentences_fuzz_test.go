package search

import (
	"context"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"
)

// validSentenceFile returns the bytes of a sentence file made from
// testSources, as Create, Add and Commit write it.
func validSentenceFile(tb testing.TB, dir string) []byte {
	tb.Helper()
	ix, err := Create(filepath.Join(dir, "index"))
	if err != nil {
		tb.Fatal(err)
	}
	defer ix.Close()
	turns, docs := testSources()
	for _, id := range []int64{3, 4} {
		if err := ix.Add(context.Background(), id, turns[id], docs[id]); err != nil {
			tb.Fatal(err)
		}
	}
	if err := ix.Commit(map[int64]string{3: "a", 4: "b"}); err != nil {
		tb.Fatal(err)
	}
	data, err := os.ReadFile(ix.sentencesPath())
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// FuzzSentenceFile feeds the sentence file reader arbitrary bytes: it must
// never panic, only return errors, and whatever it reads must hold
// together.
func FuzzSentenceFile(f *testing.F) {
	valid := validSentenceFile(f, f.TempDir())
	f.Add(valid)
	for _, n := range []int{len(valid) - 1, len(valid) - 7, len(valid) / 2, 40, 16, 13, 12, 11} {
		if n >= 0 && n <= len(valid) {
			f.Add(valid[:n])
		}
	}
	// Flips in the table, the texts' ends, a block's head and the records.
	for _, at := range []int{8, 12, 20, 28, 36, 44, 60, 62, 68, 80, 100, len(valid) - 30, len(valid) - 10, len(valid) - 1} {
		if at < 0 || at >= len(valid) {
			continue
		}
		for _, mask := range []byte{0x01, 0x80, 0xff} {
			b := append([]byte(nil), valid...)
			b[at] ^= mask
			f.Add(b)
		}
	}
	f.Add([]byte{})
	f.Add([]byte(sentencesMagic))
	f.Add(append([]byte(sentencesMagic), 0, 0, 0, 0, 0, 0, 0, 0))

	// One directory for every input, in memory where there is a tmpfs:
	// calls run one at a time in a process, and writing a file on disk
	// for each (a third of a millisecond) would slow fuzzing and
	// minimizing twentyfold.
	dir, err := os.MkdirTemp("/dev/shm", "qcode-fuzz-")
	if err == nil {
		f.Cleanup(func() { os.RemoveAll(dir) })
	} else {
		dir = f.TempDir()
	}
	ix := &Index{path: dir}
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(ix.sentencesPath(), data, 0o644); err != nil {
			t.Fatal(err)
		}
		sf, err := ix.OpenSentences()
		if err != nil {
			if sf != nil {
				t.Fatalf("OpenSentences returned a file and an error: %v", err)
			}
			return
		}
		defer sf.Close()

		// The ids to try: a few fixed ones, and those the table lists,
		// read defensively.
		ids := []int64{-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, math.MinInt64, math.MaxInt64}
		if len(data) >= 12 {
			n := uint64(binary.LittleEndian.Uint32(data[8:]))
			n = min(n, uint64(len(data)-12)/tableEntry, 64)
			for i := range n {
				ids = append(ids, int64(binary.LittleEndian.Uint64(data[12+tableEntry*i:])))
			}
		}
		var texts uintptr
		if len(sf.texts) > 0 {
			texts = uintptr(unsafe.Pointer(unsafe.SliceData(sf.texts)))
		}
		var s Sentence // reused, as a search reuses it
		for _, id := range ids {
			blk, err := sf.Source(id)
			if err != nil {
				if blk != nil {
					t.Fatalf("Source(%d) returned a block and an error: %v", id, err)
				}
				continue
			}
			n, nt := blk.Len(), blk.Turns()
			if n < 0 || nt < 0 {
				t.Fatalf("source %d: %d sentences, %d turns", id, n, nt)
			}
			for _, i := range []int{-1, n, n + 1, math.MinInt, math.MaxInt} {
				if err := blk.At(i, &s); err == nil {
					t.Fatalf("source %d: At(%d) of %d read", id, i, n)
				}
			}
			for i := range n {
				if err := blk.At(i, &s); err != nil {
					continue
				}
				for k, tok := range s.Tokens {
					if tok.End < tok.Start {
						t.Fatalf("source %d sentence %d token %d: ends at %d before its start %d", id, i, k, tok.End, tok.Start)
					}
					if tok.ID < 0 || int(tok.ID) >= len(sf.ends)/4 {
						t.Fatalf("source %d sentence %d token %d: text number %d of %d", id, i, k, tok.ID, len(sf.ends)/4)
					}
					if l := len(tok.Text); l > 0 {
						p := uintptr(unsafe.Pointer(unsafe.StringData(tok.Text)))
						if texts == 0 || p < texts || p+uintptr(l) > texts+uintptr(len(sf.texts)) {
							t.Fatalf("source %d sentence %d token %d: text of %d bytes outside the file's texts", id, i, k, l)
						}
					}
					if c := strings.Clone(tok.Text); len(c) != len(tok.Text) {
						t.Fatalf("source %d sentence %d token %d: a copy of %d bytes for %d", id, i, k, len(c), len(tok.Text))
					}
				}
			}
			for _, i := range []int{-1, nt, nt + 1, math.MinInt, math.MaxInt} {
				if _, err := blk.Turn(i); err == nil {
					t.Fatalf("source %d: Turn(%d) of %d read", id, i, nt)
				}
			}
			for i := range nt {
				tt, err := blk.Turn(i)
				if err != nil {
					continue
				}
				if tt.First < 0 || tt.Count < 0 || tt.First+tt.Count > n {
					t.Fatalf("source %d turn %d: sentences %d+%d of %d", id, i, tt.First, tt.Count, n)
				}
			}
		}
		if err := sf.Close(); err != nil {
			t.Fatal(err)
		}
	})
}
