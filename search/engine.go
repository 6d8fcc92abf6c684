package search

import (
	"context"
	"errors"
	"maps"
	"os"
	"slices"
	"sync"

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

	mu       sync.Mutex          // one search, or one change to the index, at a time
	held     *heldIndex          // the index, open to read, between searches
	progress func(IndexProgress) // told how far an update has got, in UpdateProgress
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
	gen    string      // the generation, to tell when another is made live
	file   os.FileInfo // the sentence file's, to tell when it is lost
}

// close closes the index and its sentence file.
func (h *heldIndex) close() error {
	err := h.sf.Close()
	if cerr := h.ix.Close(); err == nil {
		err = cerr
	}
	return err
}

// Close lets go of the index held open from a search, so that the next
// update (here or in another process) may remove its generation once a
// newer one is live; a later search opens the live one again.
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
	return h.close()
}

// IndexResult says what bringing the search index up to date did.
type IndexResult struct {
	Reason  string `json:"reason,omitempty"` // why it was rebuilt or updated: "missing", "out of date", "asked", "made by another version of qcode"
	Added   int    `json:"added"`            // sources indexed
	Removed int    `json:"removed"`          // sources taken out
	Docs    int    `json:"documents"`        // sentences indexed
	Bytes   int64  `json:"bytes"`            // the index's size on disk
	// Stale is true when a search found the index out of date while
	// another process was bringing it up to date, and searched it as it
	// was rather than wait longer.
	Stale bool `json:"stale,omitempty"`
}

// Changed reports whether the index was changed.
func (r IndexResult) Changed() bool { return r.Added > 0 || r.Removed > 0 || r.Reason == "asked" }

// Update brings the search index up to date with the store: it takes out
// the sources that are gone or were imported again and indexes those it
// lacks, or with rebuild makes the index anew. It makes the index when
// there is none. The store is the truth; the index can always be made
// again from it. Update leaves the index closed.
func (e *Engine) Update(ctx context.Context, rebuild bool) (IndexResult, error) {
	return e.UpdateProgress(ctx, rebuild, nil)
}

// IndexProgress is how far an update has got: the sources it has indexed
// of those it indexes, and the sentences it has indexed, counted as a
// source goes as well as after it.
type IndexProgress struct {
	Sources, Total int
	Sentences      int
}

// UpdateProgress is Update, telling progress (when not nil) how far it has
// got: before the first source, after each, and every few thousand
// sentences within one.
func (e *Engine) UpdateProgress(ctx context.Context, rebuild bool, progress func(IndexProgress)) (IndexResult, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.drop(); err != nil {
		return IndexResult{}, err
	}
	e.progress = progress
	defer func() { e.progress = nil }()
	res, _, err := e.update(ctx, rebuild, "")
	return res, err
}

// update brings the index up to date with the store's source stamps, read
// once the write lock is held, and returns their digest. It makes a new
// generation of the index, from the live one when that is sound and
// rebuild is false, and makes it live; broken names a generation a reader
// found damaged, which is made anew if it is still the live one. Call it
// with mu held.
func (e *Engine) update(ctx context.Context, rebuild bool, broken string) (res IndexResult, digest string, err error) {
	lock, err := e.lockWrite(ctx)
	if err != nil {
		return res, "", err
	}
	defer lock.Close() // closing the descriptor drops the flock
	want, digest, err := e.store.SourceStamps(ctx)
	if err != nil {
		return res, "", err
	}
	live, have, res, err := e.liveState(rebuild, broken)
	if err != nil {
		return res, "", err
	}
	if have != nil && maps.Equal(have, want) { // another process brought it up to date
		res.Bytes, err = dirSize(e.genPath(live))
		return res, digest, err
	}
	ix, next, have, err := e.makeNext(live, have)
	if err != nil {
		return res, "", err
	}
	res, err = e.fill(ctx, ix, res, have, want)
	if res, err = e.finish(ix, next, res, err); err != nil {
		return res, "", err
	}
	return res, digest, nil
}

// liveState returns the live generation and the sources it holds, or no
// sources when the next generation must be made anew, and the reason to
// give for that in res. Call it with the write lock held.
func (e *Engine) liveState(rebuild bool, broken string) (live string, have map[int64]string, res IndexResult, err error) {
	live, err = e.live()
	switch {
	case errors.Is(err, ErrDamaged):
		res.Reason = "damaged"
	case err != nil:
		return "", nil, res, err
	case rebuild:
		res.Reason = "asked"
	case live != "" && live == broken:
		res.Reason = "damaged"
	case live == "" && e.hasLegacy():
		res.Reason = "made by another version of qcode"
	case live == "":
		res.Reason = "missing"
	default:
		have, err = e.liveSources(live)
		switch {
		case err == nil:
		case errors.Is(err, ErrMissing):
			res.Reason = "missing"
		case errors.Is(err, ErrFormat):
			res.Reason = "made by another version of qcode"
		case errors.Is(err, ErrDamaged):
			res.Reason = "damaged"
		default:
			return "", nil, res, err
		}
	}
	return live, have, res, nil
}

// makeNext makes the next generation, from the live one's files when it
// holds the sources have (not nil), else anew, and opens it to write. It
// returns the sources it holds. Call it with the write lock held.
func (e *Engine) makeNext(live string, have map[int64]string) (*Index, string, map[int64]string, error) {
	next, err := e.nextGen()
	if err != nil {
		return nil, "", nil, err
	}
	var ix *Index
	if have != nil {
		err := e.cloneGen(live, next)
		if err == nil {
			ix, err = Open(e.genPath(next), true)
		}
		if err != nil { // a folder that takes no hard links: make it whole
			ix, have = nil, nil
		}
	}
	if ix == nil {
		have = map[int64]string{}
		if ix, err = Create(e.genPath(next)); err != nil {
			os.RemoveAll(e.genPath(next))
			return nil, "", nil, writeFailed(e.genPath(next), err)
		}
	}
	return ix, next, have, nil
}

// finish closes the generation next, open as ix and filled (err being
// what filling it returned), and makes it live, or removes it if anything
// failed. Call it with the write lock held.
func (e *Engine) finish(ix *Index, next string, res IndexResult, err error) (IndexResult, error) {
	if err == nil {
		res.Bytes, err = ix.Size()
	}
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = e.publish(next)
	}
	if err != nil {
		os.RemoveAll(e.genPath(next))
		return res, writeFailed(e.genPath(next), err)
	}
	e.removeOld(next)
	return res, nil
}

// liveSources returns the sources the live generation holds, having
// checked that it opens and that its sentence file reads.
func (e *Engine) liveSources(live string) (map[int64]string, error) {
	ix, err := Open(e.genPath(live), false)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	sf, err := ix.OpenSentences()
	if err != nil {
		return nil, openDamage(ix.path, err)
	}
	sf.Close()
	have, err := ix.Sources()
	return have, openDamage(ix.path, err)
}

// fill brings ix, which holds the sources have, to hold the sources want:
// it takes out the sources that are gone or were imported again and
// indexes those it lacks, then commits it. It leaves the segments as
// scorch's merger has them (a few dozen at most: sentences go in batches
// of thousands) rather than forcing them into one, which redid merging
// work at every update for searches that were no quicker to notice.
func (e *Engine) fill(ctx context.Context, ix *Index, res IndexResult, have, want map[int64]string) (IndexResult, error) {
	for id, stamp := range have {
		if want[id] != stamp {
			if err := ix.DeleteSource(ctx, id); err != nil {
				return res, err
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
	tell := func(IndexProgress) {}
	if e.progress != nil {
		tell = e.progress
	}
	step := IndexProgress{Total: len(ids)}
	tell(step)
	for _, id := range ids {
		n, err := e.indexSource(ctx, ix, id, func(n int) {
			tell(IndexProgress{Sources: step.Sources, Total: step.Total, Sentences: step.Sentences + n})
		})
		step.Sources++
		step.Sentences += n
		if qcode.ErrorCode(err) == qcode.ENOTFOUND {
			tell(step)
			continue // imported again since the stamps were read: the next update indexes it
		}
		if err != nil {
			return res, err
		}
		res.Added++
		res.Docs += n
		have[id] = want[id]
		tell(step)
	}
	if res.Reason == "" && (res.Added > 0 || res.Removed > 0) {
		res.Reason = "out of date"
	}
	return res, ix.Commit(have)
}

// indexSource adds a source to ix as the store reads it, a sentence at a
// time, telling progress the sentences added so far every batchSize of
// them, and returns how many it added. Only a batch of the source's
// sentences is held at once, so a source of 50 MB indexes in the memory a
// small one does. A source the store lacks is a qcode.ENOTFOUND error and
// adds nothing.
func (e *Engine) indexSource(ctx context.Context, ix *Index, id int64, progress func(sentences int)) (int, error) {
	return indexFrom(ctx, ix, id, func(turn TurnFunc, sentence SentenceFunc) error {
		return e.store.IndexSource(ctx, id, turn, sentence)
	}, progress)
}

// TurnFunc and SentenceFunc take a source's turns and sentences as
// Store.IndexSource gives them.
type (
	TurnFunc     = func(ord int, speaker int64, chars, bytes corpus.Span, begin corpus.Time, text string) error
	SentenceFunc = func(ord, turn int, chars, bytes corpus.Span, text string, tokens []corpus.Token, tokenChars []int) error
)

// SourceReader gives a source's turns and then its sentences, in order, as
// Store.IndexSource does.
type SourceReader func(turn TurnFunc, sentence SentenceFunc) error

// indexFrom adds the source id, as read gives it, to ix; see indexSource.
func indexFrom(ctx context.Context, ix *Index, id int64, read SourceReader, progress func(sentences int)) (int, error) {
	a, err := ix.AddSource(id)
	if err != nil {
		return 0, err
	}
	var d Doc
	err = read(
		func(ord int, speaker int64, chars, bytes corpus.Span, begin corpus.Time, text string) error {
			return a.Turn(Turn{Ord: ord, Speaker: speaker, Start: chars.Start, End: chars.End, ByteStart: bytes.Start, ByteEnd: bytes.End,
				Time: int64(begin), HasTime: begin != corpus.NoTime, Text: text})
		},
		func(ord, turn int, chars, bytes corpus.Span, _ string, toks []corpus.Token, tokChars []int) error {
			d.Sentence = Sentence{Ord: ord, Turn: turn, Start: chars.Start, End: chars.End, ByteStart: bytes.Start, ByteEnd: bytes.End,
				Tokens: d.Sentence.Tokens[:0]}
			d.Words = d.Words[:0]
			for i, t := range toks {
				d.Sentence.Tokens = append(d.Sentence.Tokens, Token{Text: t.Text, Start: tokChars[2*i], End: tokChars[2*i+1]})
				if t.IsWord() {
					d.Words = append(d.Words, t.Text)
				}
			}
			if err := a.Sentence(ctx, &d); err != nil {
				return err
			}
			if n := a.Sentences(); n%batchSize == 0 {
				progress(n)
			}
			return nil
		})
	if err != nil {
		if aerr := a.Abort(ctx); aerr != nil && qcode.ErrorCode(err) == qcode.ENOTFOUND {
			err = aerr // the source's sentences could not be taken out again
		}
		return 0, err
	}
	return a.Sentences(), a.Done()
}

// open returns the index open to read, bringing it up to date first when
// it is missing, stale or damaged, and what the update did (nil when there
// was none). When another process is updating a stale index for longer
// than an update waits, it searches the index as it was, and says so. Call
// it with mu held.
func (e *Engine) open(ctx context.Context) (*heldIndex, *IndexResult, error) {
	want, digest, err := e.store.SourceStamps(ctx)
	if err != nil {
		return nil, nil, err
	}
	if e.held != nil && e.held.digest == digest {
		gen, err := e.live()
		fi, serr := os.Stat(e.held.ix.SentencesPath())
		if err == nil && gen == e.held.gen && serr == nil && os.SameFile(fi, e.held.file) {
			return e.held, nil, nil
		}
	}
	if err := e.drop(); err != nil {
		return nil, nil, err
	}
	var stale *heldIndex // the live generation, open, when the store has moved on
	broken := ""
	h, err := e.openGen()
	switch {
	case err == nil:
		have, err := h.ix.Sources()
		switch {
		case err != nil:
			h.close()
			broken = h.gen
		case maps.Equal(have, want):
			h.digest = digest
			e.held = h
			return h, nil, nil
		default:
			stale = h
		}
	case errors.Is(err, ErrMissing), errors.Is(err, ErrFormat):
	case errors.Is(err, ErrDamaged):
		broken = h.gen
	default:
		return nil, nil, err
	}
	res, indexed, err := e.update(ctx, false, broken)
	if err != nil {
		if stale != nil && qcode.ErrorCode(err) == qcode.EBUSY {
			e.held = stale // its digest is none: the next search looks again
			return stale, &IndexResult{Reason: "being brought up to date by another qcode", Stale: true}, nil
		}
		if stale != nil {
			stale.close()
		}
		return nil, nil, err
	}
	if stale != nil {
		stale.close()
	}
	var upd *IndexResult
	if res.Changed() || res.Reason != "" { // else another process brought it up to date
		upd = &res
	}
	if h, err = e.openGen(); err != nil {
		return nil, nil, err
	}
	h.digest = indexed
	e.held = h
	return h, upd, nil
}

// openGen opens the live generation and its sentence file. A generation
// that does not open is an ErrDamaged error, with the generation's name in
// the heldIndex returned.
func (e *Engine) openGen() (*heldIndex, error) {
	ix, gen, err := e.openLive()
	if err != nil {
		return &heldIndex{gen: gen}, err
	}
	fi, err := os.Stat(ix.SentencesPath())
	var sf *SentenceFile
	if err == nil {
		sf, err = ix.OpenSentences()
	}
	if err != nil {
		ix.Close()
		return &heldIndex{gen: gen}, openDamage(ix.path, err)
	}
	return &heldIndex{ix: ix, sf: sf, gen: gen, file: fi}, nil
}
