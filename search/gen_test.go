package search

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"qcode"
)

// TestDamagedIndexRebuilt damages the index in each of the ways a disk, a
// crash or a hand can (a segment cut short, bleve's root file cut short or
// emptied, the sentence file cut short, the name of the live generation
// garbled) and shows that the next search makes it anew from the store,
// says so in one word, and finds what it found before.
func TestDamagedIndexRebuilt(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, gen string)
	}{
		{"segment cut short", func(t *testing.T, gen string) {
			zaps, _ := filepath.Glob(filepath.Join(gen, "store", "*.zap"))
			if len(zaps) == 0 {
				t.Fatal("no segment")
			}
			truncateHalf(t, zaps[0])
		}},
		{"segment overwritten", func(t *testing.T, gen string) {
			zaps, _ := filepath.Glob(filepath.Join(gen, "store", "*.zap"))
			if len(zaps) == 0 {
				t.Fatal("no segment")
			}
			overwriteMiddle(t, zaps[0])
		}},
		{"root cut short", func(t *testing.T, gen string) { truncateTo(t, filepath.Join(gen, "store", "root.bolt"), 1000) }},
		{"root emptied", func(t *testing.T, gen string) { truncateTo(t, filepath.Join(gen, "store", "root.bolt"), 0) }},
		{"sentence file cut short", func(t *testing.T, gen string) { truncateHalf(t, filepath.Join(gen, sentencesName)) }},
		{"metadata garbled", func(t *testing.T, gen string) {
			writeFile(t, filepath.Join(gen, "index_meta.json"), "{\"storage\":")
		}},
		{"current garbled", func(t *testing.T, gen string) {
			writeFile(t, filepath.Join(filepath.Dir(gen), currentName), "../../elsewhere\n")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := mustP03(t)
			e := newEngine(t, p)
			want := mustSearch(t, e, Request{Query: "rota OR handover"}).Total
			if err := e.Close(); err != nil {
				t.Fatal(err)
			}
			tc.damage(t, livePath(t, e))
			res := mustSearch(t, e, Request{Query: "rota OR handover"})
			if res.Index == nil || res.Index.Reason != "damaged" || res.Index.Added != 1 || res.Total != want {
				t.Errorf("search of a damaged index: %+v, %d hits, want %d", res.Index, res.Total, want)
			}
			// And the one made anew opens.
			e.Close()
			if res := mustSearch(t, e, Request{Query: "rota OR handover"}); res.Index != nil || res.Total != want {
				t.Errorf("search after the repair: %+v, %d hits", res.Index, res.Total)
			}
		})
	}
}

// TestOlderSnapshotNotOpened shows that a generation whose newest bleve
// snapshot does not load is damaged, though its root file still holds an
// older snapshot that does: scorch would open that one and say nothing, and
// until its persister prunes it (how far it gets before the index is closed
// depends on the machine's load) an older snapshot is there. The older one
// here is the generation as the engine made it; after a batch written with
// every snapshot kept, the segment only the newest has is cut short.
func TestOlderSnapshotNotOpened(t *testing.T) {
	p := mustP03(t)
	e := newEngine(t, p)
	want := mustSearch(t, e, Request{Query: "rota OR handover"}).Total
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	gen := livePath(t, e)
	before, _ := filepath.Glob(filepath.Join(gen, "store", "*.zap"))
	b, err := bleve.OpenUsing(gen, map[string]any{"numSnapshotsToKeep": 1000})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Index("99:0", map[string]any{fieldWords: "the rota changed after the handover meeting"}); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	after, _ := filepath.Glob(filepath.Join(gen, "store", "*.zap"))
	cut := 0
	for _, z := range after {
		if !slices.Contains(before, z) {
			truncateHalf(t, z)
			cut++
		}
	}
	if cut == 0 {
		t.Fatal("the batch wrote no segment")
	}
	if _, err := Open(gen, false); !errors.Is(err, ErrDamaged) {
		t.Errorf("open of a generation whose newest snapshot does not load: %v", err)
	}
	res := mustSearch(t, e, Request{Query: "rota OR handover"})
	if res.Index == nil || res.Index.Reason != "damaged" || res.Total != want {
		t.Errorf("search: %+v, %d hits, want %d", res.Index, res.Total, want)
	}
}

// TestDamagedIndexUpdate shows that an update (qcode index, or the one
// after an import) mends a damaged index too, rather than failing on it.
func TestDamagedIndexUpdate(t *testing.T) {
	p := mustP03(t)
	e := newEngine(t, p)
	if _, err := e.Update(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	truncateHalf(t, filepath.Join(livePath(t, e), sentencesName))
	res, err := e.Update(context.Background(), false)
	if err != nil || res.Reason != "damaged" || res.Added != 1 {
		t.Errorf("update of a damaged index: %+v, %v", res, err)
	}
}

// TestGenerations shows what the index folder holds after updates: the
// live generation and the file naming it; the generations before it are
// removed once no reader has them open, and one a reader has open stays
// until it lets go; an index made before generations is made anew and
// removed.
func TestGenerations(t *testing.T) {
	ctx := context.Background()
	p := mustP03(t)
	e := newEngine(t, p)
	// An index as an earlier qcode left it, in the index folder itself.
	old, err := Create(p.IndexPath())
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Commit(map[int64]string{}); err != nil {
		t.Fatal(err)
	}
	old.Close()
	res := mustSearch(t, e, Request{Query: "handover"})
	if res.Index == nil || res.Index.Reason != "made by another version of qcode" || res.Total != 1 {
		t.Errorf("search of an index of an earlier qcode: %+v %+v", res.Index, res)
	}
	e.Close()
	if got := listIndex(t, p.IndexPath()); got != "current gen-1" {
		t.Errorf("after the first update: %s", got)
	}
	reader := newEngine(t, p)
	mustSearch(t, reader, Request{Query: "handover"}) // holds gen-1 open
	for range 2 {
		if _, err := e.Update(ctx, true); err != nil {
			t.Fatal(err)
		}
	}
	if got := listIndex(t, p.IndexPath()); got != "current gen-1 gen-3" {
		t.Errorf("after two rebuilds, gen-1 held open: %s", got)
	}
	if res := mustSearch(t, reader, Request{Query: "handover"}); res.Total != 1 {
		t.Errorf("the reader's search: %+v", res)
	}
	reader.Close()
	// A writer that died left a generation half made.
	if err := os.MkdirAll(filepath.Join(p.IndexPath(), "gen-4", "store"), 0o755); err != nil {
		t.Fatal(err)
	}
	mustImport(t, p, "P04.txt", "Interviewer: And the handover?\n\nAmina: The handover was new to us.\n\nInterviewer: Thank you.\n\nAmina: Thanks.\n", false)
	if r, err := e.Update(ctx, false); err != nil || r.Added != 1 || r.Reason != "out of date" {
		t.Errorf("update: %+v, %v", r, err)
	}
	if got := listIndex(t, p.IndexPath()); got != "current gen-5" {
		t.Errorf("after an update: %s", got)
	}
	// The files of a segment are shared by hard links, not copied.
	if res := mustSearch(t, e, Request{Query: "handover"}); res.Total != 3 {
		t.Errorf("after the update: %+v", res)
	}
}

// TestLockNotFollowed shows that a lock file replaced by a symbolic link,
// or by something that is not a file, is refused with one line, and that
// what the link points to is left as it was.
func TestLockNotFollowed(t *testing.T) {
	p := mustP03(t)
	e := newEngine(t, p)
	victim := filepath.Join(t.TempDir(), "notes.txt")
	writeFile(t, victim, "my notes\n")
	lock := p.IndexPath() + ".lock"
	os.Remove(lock)
	if err := os.Symlink(victim, lock); err != nil {
		t.Fatal(err)
	}
	_, err := e.Update(context.Background(), true)
	if qcode.ErrorCode(err) != qcode.EINVALID || !strings.Contains(err.Error(), lock+" is a symbolic link, not qcode's lock file") || strings.Contains(err.Error(), "\n") {
		t.Errorf("update with a linked lock: %v", err)
	}
	if got, _ := os.ReadFile(victim); string(got) != "my notes\n" {
		t.Errorf("the file the lock links to became %q", got)
	}
	os.Remove(lock)
	if err := os.Mkdir(lock, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Update(context.Background(), true); qcode.ErrorCode(err) != qcode.EINVALID || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("update with a folder for a lock: %v", err)
	}
}

func listIndex(t *testing.T, dir string) string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range ents {
		names = append(names, d.Name())
	}
	return strings.Join(names, " ")
}

func truncateHalf(t *testing.T, path string) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	truncateTo(t, path, st.Size()/2)
}

// truncateTo cuts a file of the index short. The file may be a hard link
// of one in another generation: that is the damage a disk does to both.
func truncateTo(t *testing.T, path string, size int64) {
	t.Helper()
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// overwriteMiddle writes zeros over the middle half of a file, as a bad
// disk block would, leaving its size and its ends as they were.
func overwriteMiddle(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(make([]byte, st.Size()/2), st.Size()/4); err != nil {
		t.Fatal(err)
	}
}
