package search

import (
	"context"
	"errors"
	"maps"
	"os"
	"sync"
)

// A Build brings the index up to date with sources the store is writing
// in a transaction not yet committed, as it writes them, so that indexing
// them costs no time after the store's: a large merge's sources are
// indexed on another goroutine while the store writes the next ones and
// their codings. Everything goes into a new generation, which no reader
// sees until Publish, called once the store has committed, makes it live;
// if the store's transaction fails, or the process dies first, the live
// generation is as it was, so the index never holds what the store does
// not. Begin holds the index's write lock, and the engine, until Publish
// or Abort.
type Build struct {
	e    *Engine
	lock *os.File // the index's write lock
	next string   // the generation being made
	ix   *Index
	have map[int64]string // the sources ix holds, with their stamps
	res  IndexResult

	work   chan buildSource
	cancel context.CancelFunc
	done   chan struct{} // closed when the goroutine indexing work ends
	err    error         // why it ended early, read once done is closed
	mu     sync.Mutex    // one of Add, Publish and Abort at a time
	ended  bool          // Publish or Abort has run
	closed bool          // work is closed
	ready  bool          // Ready has written the sources added into ix
}

// buildSource is a source to index: its id, its stamp, and how to read it.
type buildSource struct {
	id    int64
	stamp string
	read  SourceReader
}

// Begin starts a Build: it takes the index's write lock (waiting for
// another process's update as Update does) and makes the next generation
// from the live one, or anew when there is none or it is damaged.
func (e *Engine) Begin(ctx context.Context) (*Build, error) {
	e.mu.Lock()
	b, err := e.begin(ctx)
	if err != nil {
		e.mu.Unlock()
		return nil, err
	}
	return b, nil
}

func (e *Engine) begin(ctx context.Context) (*Build, error) {
	if err := e.drop(); err != nil {
		return nil, err
	}
	lock, err := e.lockWrite(ctx)
	if err != nil {
		return nil, err
	}
	live, have, res, err := e.liveState(false, "")
	if err == nil {
		var b Build
		b.ix, b.next, b.have, err = e.makeNext(live, have)
		if err == nil {
			wctx, cancel := context.WithCancel(context.Background())
			b.e, b.lock, b.res, b.cancel = e, lock, res, cancel
			b.work, b.done = make(chan buildSource, 1), make(chan struct{})
			go b.index(wctx)
			return &b, nil
		}
	}
	lock.Close()
	return nil, err
}

// index indexes the sources sent on work until it is closed or an error
// stops it.
func (b *Build) index(ctx context.Context) {
	defer close(b.done)
	for s := range b.work {
		n, err := indexFrom(ctx, b.ix, s.id, s.read, func(int) {})
		if err != nil {
			b.err = writeFailed(b.e.genPath(b.next), err)
			return
		}
		b.have[s.id] = s.stamp
		b.res.Added++
		b.res.Docs += n
	}
}

// Add indexes the source id, whose stamp (Store.SourceStamps) will be
// stamp once the store commits it, as read gives its turns and sentences.
// It returns once the source is queued, having handed the source before it
// to the goroutine that indexes them; read is called on that goroutine,
// and its source must stay as it is until Publish or Abort. An error is
// the indexing's, of this source or one before: the Build is then good
// only to Abort.
func (b *Build) Add(ctx context.Context, id int64, stamp string, read SourceReader) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ended {
		return errors.New("search: a source added to a build that has ended")
	}
	select {
	case b.work <- buildSource{id: id, stamp: stamp, read: read}:
		return nil
	case <-b.done:
		return b.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// wait lets the goroutine finish what it was given and returns its error.
func (b *Build) wait() error {
	if !b.closed {
		b.closed = true
		close(b.work)
	}
	<-b.done
	return b.err
}

// Ready waits for the sources added to be indexed and writes them into
// the new generation (which still no reader sees), returning what went
// wrong: called last in the store's transaction, before it commits, it
// lets an error of the index's undo the store's work too, so that a failed
// import leaves both as they were. Publish then has only to make the
// generation live.
func (b *Build) Ready() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ended {
		return errors.New("search: a build that has ended made ready")
	}
	if err := b.wait(); err != nil {
		return err
	}
	if err := b.ix.Commit(b.have); err != nil {
		b.err = writeFailed(b.e.genPath(b.next), err)
		return b.err
	}
	b.ready = true
	return nil
}

// Publish is called once the store has committed: it brings the new
// generation up to date with the store's stamps as they are now (sources
// the store no longer holds, or holds otherwise, taken out; any it holds
// that were not added, indexed from the store), makes it live and lets go
// of the write lock and the engine. With nothing added and nothing to
// change, it leaves the live generation as it is. On an error the live
// generation is left as it was and the error says why: the store is the
// truth, and the next update brings the index up to date.
func (b *Build) Publish(ctx context.Context) (IndexResult, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ended {
		return b.res, nil
	}
	b.ended = true
	e := b.e
	defer e.mu.Unlock()
	defer b.lock.Close()
	defer b.cancel()
	err := b.wait()
	var want map[int64]string
	if err == nil {
		want, _, err = e.store.SourceStamps(ctx)
	}
	if err != nil {
		b.ix.Close()
		os.RemoveAll(e.genPath(b.next))
		return b.res, err
	}
	if b.res.Added == 0 && maps.Equal(b.have, want) && b.res.Reason == "" {
		b.ix.Close()
		os.RemoveAll(e.genPath(b.next))
		return b.res, nil
	}
	res := b.res
	if !b.ready || !maps.Equal(b.have, want) {
		// The store changed otherwise than the build was told, or the
		// build was not made ready: what the store holds now is the
		// truth.
		res.Added, res.Docs = 0, 0
		res, err = e.fill(ctx, b.ix, res, b.have, want)
		res.Added += b.res.Added
		res.Docs += b.res.Docs
	}
	if res.Reason == "" && res.Added > 0 {
		res.Reason = "out of date"
	}
	b.res, err = e.finish(b.ix, b.next, res, err)
	return b.res, err
}

// Abort throws the new generation away, leaving the live one as it was,
// and lets go of the write lock and the engine. After Publish it does
// nothing, so that a caller may defer it.
func (b *Build) Abort() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ended {
		return
	}
	b.ended = true
	b.cancel()
	b.wait()
	b.ix.Close()
	os.RemoveAll(b.e.genPath(b.next))
	b.lock.Close()
	b.e.mu.Unlock()
}
