package search

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"qcode"
)

// TestIndexOneWriter shows that two engines on one project, as two
// processes would have, update the index one at a time: an update waits for
// the other's to finish, and is told the index is busy if it does not
// finish in time; a search never waits for the lock.
func TestIndexOneWriter(t *testing.T) {
	ctx := context.Background()
	p := mustP03(t)
	a, b := newEngine(t, p), newEngine(t, p)
	if _, err := a.Update(ctx, false); err != nil {
		t.Fatal(err)
	}
	mustSearch(t, a, Request{Query: "handover"}) // a holds the index open
	defer func(d time.Duration) { writeLockWait = d }(writeLockWait)
	writeLockWait = 10 * time.Millisecond

	// a is updating the index: it holds the lock while it writes.
	lock, err := a.lockWrite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Update(ctx, true)
	if qcode.ErrorCode(err) != qcode.EBUSY || !strings.Contains(err.Error(), "another qcode is updating the search index") {
		t.Errorf("an update while another writes the index: %v", err)
	}
	// b searches meanwhile: the index is up to date, and readers never
	// take the lock.
	if res := mustSearch(t, b, Request{Query: "handover"}); res.Total != 1 || res.Index != nil {
		t.Errorf("a search while another writes the index: %+v", res)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	// An update given up on leaves when asked to.
	stop, cancel := context.WithCancel(ctx)
	cancel()
	writeLockWait = time.Hour
	if _, err := b.Update(stop, true); !errors.Is(err, context.Canceled) {
		t.Errorf("an update cancelled while it waits: %v", err)
	}
	// An update waits for the other to finish, then writes.
	done := make(chan error)
	go func() {
		res, err := b.Update(ctx, true)
		if err == nil && (res.Added != 1 || res.Reason != "asked") {
			err = errors.New("it did not rebuild the index")
		}
		done <- err
	}()
	time.Sleep(20 * time.Millisecond) // b is most likely waiting by now; if not, it finds the lock free
	lock.Close()
	if err := <-done; err != nil {
		t.Errorf("an update once the other has finished: %v", err)
	}
	// a, which held the index open all along, sees b's at its next search.
	if res := mustSearch(t, a, Request{Query: "handover"}); res.Total != 1 || res.Index != nil {
		t.Errorf("a search after another rebuilt the index: %+v", res)
	}
}

// TestUpdateStoppedMidway stops an update of the twelve sample interviews
// after it has indexed five: nothing of it is left (no generation, no
// working file of sentences), a search sees the index as missing, and the
// next update indexes every source, telling each as it goes.
func TestUpdateStoppedMidway(t *testing.T) {
	p := sampleProject(t)
	e := newEngine(t, p)
	stop, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := e.UpdateProgress(stop, false, func(done, total int) {
		if done == 5 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("an update stopped after five sources: %v", err)
	}
	files := func(keep func(name string) bool) []string {
		var out []string
		filepath.WalkDir(e.path, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && keep(d.Name()) {
				out = append(out, path)
			}
			return nil
		})
		return out
	}
	if left := files(func(string) bool { return true }); len(left) > 0 {
		t.Errorf("a stopped update left %v", left)
	}
	var told []int
	res, err := e.UpdateProgress(context.Background(), false, func(done, total int) {
		if total != 12 {
			t.Errorf("told %d of %d sources", done, total)
		}
		told = append(told, done)
	})
	if err != nil || res.Reason != "missing" || res.Added != 12 {
		t.Fatalf("the update after: %+v, %v", res, err)
	}
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}; !slices.Equal(told, want) {
		t.Errorf("told %v, want %v", told, want)
	}
	working := func(name string) bool { return strings.HasPrefix(name, ".tmp-") }
	if left := files(working); len(left) > 0 {
		t.Errorf("an update left its working files: %v", left)
	}
	if res := mustSearch(t, e, Request{Query: "debrief*"}); res.Total == 0 || res.Index != nil {
		t.Errorf("a search after: %+v", res)
	}
}
