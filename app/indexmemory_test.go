package app_test

import (
	"context"
	"runtime/debug"
	"testing"

	"qcode/app"
)

// limits records the process's soft memory limit at each step of an
// import, by stage.
type limits struct{ index, other []int64 }

func (l *limits) Step(s app.Step) {
	now := debug.SetMemoryLimit(-1) // -1 reads the limit without changing it
	if s.Stage == app.StageIndex {
		l.index = append(l.index, now)
	} else {
		l.other = append(l.other, now)
	}
}

func (l *limits) Done() {}

// TestIndexMemoryLimit checks the limit SetIndexMemory sets: held while
// an import writes the search index, not while it reads and stores the
// files (a big source keeps several times its size live, which a limit
// would only make the collector chase), put back when the import is done,
// and none when it is 0.
func TestIndexMemoryLimit(t *testing.T) {
	ctx := context.Background()
	before := debug.SetMemoryLimit(-1)
	p, sample := emptyProject(t)
	const limit = 300 << 20
	p.SetIndexMemory(limit)
	var got limits
	if _, err := p.Import(ctx, app.ImportOptions{Files: sample.Files[:2]}, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.index) < 2 || len(got.other) == 0 {
		t.Fatalf("the import told %d steps of indexing and %d others; the test needs both", len(got.index), len(got.other))
	}
	for _, l := range got.index[1:] { // the first is told before the index is opened
		if l != limit {
			t.Errorf("while indexing the limit was %d, want %d", l, limit)
		}
	}
	for _, l := range got.other {
		if l != before {
			t.Errorf("while storing the files the limit was %d, want the process's own, %d", l, before)
		}
	}
	if now := debug.SetMemoryLimit(-1); now != before {
		t.Errorf("after the import the limit is %d, want it put back to %d", now, before)
	}
	p.SetIndexMemory(0)
	got = limits{}
	if _, err := p.Import(ctx, app.ImportOptions{Files: sample.Files[2:3]}, &got); err != nil {
		t.Fatal(err)
	}
	for _, l := range got.index {
		if l != before {
			t.Errorf("with no index memory set, indexing ran under a limit of %d, want the process's own, %d", l, before)
		}
	}
}
