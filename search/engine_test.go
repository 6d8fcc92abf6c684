package search

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"qcode"
	"qcode/coding"
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
	_, err := e.UpdateProgress(stop, false, func(p IndexProgress) {
		if p.Sources == 5 {
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
	res, err := e.UpdateProgress(context.Background(), false, func(p IndexProgress) {
		if p.Total != 12 {
			t.Errorf("told %d of %d sources", p.Sources, p.Total)
		}
		told = append(told, p.Sources)
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

// longSource returns a transcript of turns sentences a turn, turns turns,
// whose sentence n (from 1) says "number n", with humility in every
// seventh: a source of more sentences than a batch holds.
func longSource(turns, sentences int) (text string, humble int) {
	var b strings.Builder
	n := 0
	for i := range turns {
		b.WriteString([]string{"Amina: ", "Ben: "}[i%2])
		for range sentences {
			n++
			word := "patience"
			if n%7 == 0 {
				word, humble = "humility", humble+1
			}
			fmt.Fprintf(&b, "We learnt %s on the ward, number %d of them. ", word, n)
		}
		b.WriteString("\n")
	}
	return b.String(), humble
}

// TestUpdateLongSource indexes one source of 12,000 sentences, more than
// two batches: it is indexed a batch at a time, telling its sentences as
// it goes, and searches find what a source indexed whole gives; an update
// stopped inside it leaves nothing behind.
func TestUpdateLongSource(t *testing.T) {
	p := mustOpen(t)
	text, humble := longSource(4000, 3)
	mustImport(t, p, "long.txt", text, false)
	e := newEngine(t, p)

	stop, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := e.UpdateProgress(stop, false, func(s IndexProgress) {
		if s.Sentences >= batchSize {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("an update stopped inside a source: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(e.path, "*")); len(left) > 0 {
		t.Errorf("a stopped update left %v", left)
	}

	var told []IndexProgress
	res, err := e.UpdateProgress(context.Background(), false, func(s IndexProgress) { told = append(told, s) })
	if err != nil || res.Added != 1 || res.Docs != 12000 {
		t.Fatalf("the update: %+v, %v", res, err)
	}
	want := []IndexProgress{{Total: 1}, {Total: 1, Sentences: 5000}, {Total: 1, Sentences: 10000}, {Sources: 1, Total: 1, Sentences: 12000}}
	if !slices.Equal(told, want) {
		t.Errorf("told %v, want %v", told, want)
	}
	got := mustSearch(t, e, Request{Query: "humility"})
	if got.Total != humble || len(got.Hits) != humble {
		t.Fatalf("humility found in %d sentences (%d hits), want %d", got.Total, len(got.Hits), humble)
	}
	// The last, from the last batch, in its place and turn.
	if last := got.Hits[len(got.Hits)-1]; last.Segment != "long:s11998" || !strings.Contains(last.Speaker, "Ben") {
		t.Errorf("the last hit: %+v", last)
	}
	got = mustSearch(t, e, Request{Query: "humility", Unit: coding.UnitTurn})
	if n := len(got.Hits); n == 0 || got.Hits[n-1].Segment != "long:t4000" {
		t.Errorf("by turn: %d hits, the last %+v", n, got.Hits[n-1:])
	}
}
