package search

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"time"

	"qcode"
	"qcode/corpus"
)

// Engine searches a project's sources: it keeps the index at its path
// following the store and holds it open from one search to the next, as a
// search engine keeps its searcher: opening it costs more than a search of
// a few hundred hits. Each search checks the store's source stamps against
// the index first. An Engine is safe for use by several goroutines; it
// runs one search, or one change to the index, at a time. Its owner closes
// it.
type Engine struct {
	path  string // the index's folder; its write lock is path + ".lock"
	store Store

	mu   sync.Mutex // one search, or one change to the index, at a time
	held *heldIndex // the index, open to read, between searches
}

// NewEngine returns an engine for the index at path (a folder, made when
// first needed) of the store's sources. It opens nothing until the first
// search or update.
func NewEngine(path string, store Store) *Engine {
	return &Engine{path: path, store: store}
}

// heldIndex is the search index and its sentence file, open to read, with
// a digest of the source stamps it was found to hold.
type heldIndex struct {
	ix     *Index
	sf     *SentenceFile
	digest string      // of the stamps (Store.SourceStamps)
	file   os.FileInfo // the sentence file's, to tell when the index is made anew
}

// Close lets go of the index held open from a search, so that another
// process may write it; a later search opens it again.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.drop()
}

// drop closes the index held open for searches, if any. Call it with mu
// held.
func (e *Engine) drop() error {
	h := e.held
	if h == nil {
		return nil
	}
	e.held = nil
	err := h.sf.Close()
	if cerr := h.ix.Close(); err == nil {
		err = cerr
	}
	return err
}

// IndexResult says what bringing the search index up to date did.
type IndexResult struct {
	Reason  string `json:"reason,omitempty"` // why it was rebuilt or updated: "missing", "out of date", "asked", "made by another version of qcode"
	Added   int    `json:"added"`            // sources indexed
	Removed int    `json:"removed"`          // sources taken out
	Docs    int    `json:"documents"`        // sentences indexed
	Bytes   int64  `json:"bytes"`            // the index's size on disk
}

// Changed reports whether the index was changed.
func (r IndexResult) Changed() bool { return r.Added > 0 || r.Removed > 0 || r.Reason == "asked" }

// Update brings the search index up to date with the store: it takes out
// the sources that are gone or were imported again and indexes those it
// lacks, or with rebuild makes the index anew. It makes the index when
// there is none. The store is the truth; the index can always be made
// again from it. Update leaves the index closed.
func (e *Engine) Update(ctx context.Context, rebuild bool) (IndexResult, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.drop(); err != nil {
		return IndexResult{}, err
	}
	res, _, err := e.update(ctx, rebuild)
	return res, err
}

// writeLockWait is how long an update waits for another process's update
// of the index to finish (a variable for tests).
var writeLockWait = 5 * time.Second

// lockWrite takes the index's write lock, an exclusive flock on a file
// beside it, waiting up to writeLockWait for another process's update to
// finish. Only an update takes it, and only while it writes: searches
// never do. The kernel drops it when the process dies.
func (e *Engine) lockWrite(ctx context.Context) (*os.File, error) {
	f, err := os.OpenFile(e.path+".lock", os.O_RDWR|os.O_CREATE, 0o644)
	if errors.Is(err, fs.ErrPermission) {
		dir := filepath.Dir(e.path)
		return nil, qcode.Errorf(qcode.EINVALID, "project folder %s is read-only, so its search index cannot be brought up to date; make it writable (chmod u+w %s) or work on a copy", dir, dir)
	}
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(writeLockWait)
	for pause := time.Millisecond; ; pause = min(2*pause, 50*time.Millisecond) {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, err
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, qcode.Errorf(qcode.EBUSY, "another qcode is updating the search index; try again when it has finished")
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(pause):
		}
	}
}

// update brings the index up to date with the store's source stamps, read
// once the write lock is held, and returns their digest. Call it with mu
// held and no index held.
func (e *Engine) update(ctx context.Context, rebuild bool) (res IndexResult, digest string, err error) {
	lock, err := e.lockWrite(ctx)
	if err != nil {
		return res, "", err
	}
	defer lock.Close() // closing the descriptor drops the flock
	want, digest, err := e.store.SourceStamps(ctx)
	if err != nil {
		return res, "", err
	}
	var ix *Index
	if !rebuild {
		ix, err = Open(e.path, true)
		switch {
		case errors.Is(err, ErrMissing):
			res.Reason = "missing"
		case errors.Is(err, ErrFormat):
			res.Reason = "made by another version of qcode"
		case err != nil:
			return res, "", err
		}
	} else {
		res.Reason = "asked"
	}
	if ix == nil {
		if ix, err = Create(e.path); err != nil {
			return res, "", qcode.Errorf(qcode.EINTERNAL, "%v", err)
		}
	}
	defer ix.Close()
	have, err := ix.Sources()
	if err != nil {
		return res, "", err
	}
	for id, stamp := range have {
		if want[id] != stamp {
			if err := ix.DeleteSource(ctx, id); err != nil {
				return res, "", err
			}
			delete(have, id)
			res.Removed++
		}
	}
	var ids []int64
	for id := range want {
		if _, ok := have[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var docs []Doc
	var turns []Turn
	for _, id := range ids {
		turns, docs, err = e.indexDocs(ctx, id, turns[:0], docs[:0])
		if qcode.ErrorCode(err) == qcode.ENOTFOUND {
			continue // imported again since the stamps were read: the next update indexes it
		}
		if err != nil {
			return res, "", err
		}
		if err := ix.Add(ctx, id, turns, docs); err != nil {
			return res, "", err
		}
		res.Added++
		res.Docs += len(docs)
		have[id] = want[id]
	}
	if res.Reason == "" && (res.Added > 0 || res.Removed > 0) {
		res.Reason = "out of date"
	}
	if res.Changed() || res.Reason != "" {
		if err := ix.Commit(have); err != nil {
			return res, "", err
		}
		if err := ix.Compact(ctx); err != nil {
			return res, "", err
		}
	}
	res.Bytes, err = ix.Size()
	return res, digest, err
}

// indexDocs appends a source's turns and sentences, as the index takes
// them.
func (e *Engine) indexDocs(ctx context.Context, id int64, turns []Turn, docs []Doc) ([]Turn, []Doc, error) {
	err := e.store.IndexSource(ctx, id,
		func(ord int, speaker int64, chars, bytes corpus.Span, begin corpus.Time) error {
			turns = append(turns, Turn{Ord: ord, Speaker: speaker, Start: chars.Start, End: chars.End, ByteStart: bytes.Start, ByteEnd: bytes.End,
				Time: int64(begin), HasTime: begin != corpus.NoTime})
			return nil
		},
		func(ord, turn int, chars, bytes corpus.Span, text string, toks []corpus.Token, tokChars []int) error {
			d := Doc{Text: text, Sentence: Sentence{Ord: ord, Turn: turn, Start: chars.Start, End: chars.End, ByteStart: bytes.Start, ByteEnd: bytes.End}}
			d.Sentence.Tokens = make([]Token, len(toks))
			for i, t := range toks {
				d.Sentence.Tokens[i] = Token{Text: t.Text, Start: tokChars[2*i], End: tokChars[2*i+1]}
				if t.IsWord() {
					d.Words = append(d.Words, t.Text)
				}
			}
			docs = append(docs, d)
			return nil
		})
	return turns, docs, err
}

// open returns the index open to read, bringing it up to date first when
// it is missing or stale, and what the update did (nil when there was
// none). Call it with mu held.
func (e *Engine) open(ctx context.Context) (*heldIndex, *IndexResult, error) {
	want, digest, err := e.store.SourceStamps(ctx)
	if err != nil {
		return nil, nil, err
	}
	if e.held != nil && e.held.digest == digest {
		// Every change to the index writes a new sentence file.
		if fi, err := os.Stat(e.held.ix.SentencesPath()); err == nil && os.SameFile(fi, e.held.file) {
			return e.held, nil, nil
		}
	}
	if err := e.drop(); err != nil {
		return nil, nil, err
	}
	var upd *IndexResult
	ix, err := Open(e.path, false)
	if err == nil {
		have, err := ix.Sources()
		if err != nil || !maps.Equal(have, want) {
			ix.Close()
			ix = nil
		}
	} else if !errors.Is(err, ErrMissing) && !errors.Is(err, ErrFormat) {
		return nil, nil, err
	}
	if ix == nil {
		res, indexed, err := e.update(ctx, false)
		if err != nil {
			return nil, nil, err
		}
		if res.Changed() || res.Reason != "" { // else another process brought it up to date
			upd = &res
		}
		digest = indexed
		if ix, err = Open(e.path, false); err != nil {
			return nil, nil, err
		}
	}
	fi, err := os.Stat(ix.SentencesPath())
	var sf *SentenceFile
	if err == nil {
		sf, err = ix.OpenSentences()
	}
	if err != nil {
		ix.Close()
		return nil, nil, err
	}
	e.held = &heldIndex{ix: ix, sf: sf, digest: digest, file: fi}
	return e.held, upd, nil
}
