package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	// An index made before spaceTokenizer names bleve's whitespace
	// tokenizer in its mapping, and still opens.
	_ "github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bquery "github.com/blevesearch/bleve/v2/search/query"

	"qcode"
	"qcode/codebook"
)

// Index is an open search index.
type Index struct {
	b     bleve.Index
	path  string
	vocab []string            // the terms of w, read on first need (stems)
	stems map[string][]string // the terms of w by stem, made on first need (raw queries)
	texts *texts              // the sentence file's numbering of token texts, once read
	// The sentence blocks of the sources added since the last Commit, in
	// the spill file (see spillAppend), to be written into the sentence
	// file at Commit.
	blocks   map[int64]spilled
	spill    *os.File
	spillEnd int64
	adding   *SourceAdder // the source being added, if any: one at a time
	// batch holds sentences added and not yet sent to the index: one
	// source's few hundred sentences make a batch too small to pay for
	// itself, so sources share batches of batchSize, the last sent at
	// Commit.
	batch *bleve.Batch
	// storeDir is the folder of the index's segments, as the system
	// names it, once found (see releaseSegments).
	storeDir string
	// releaser lets the pages of the segments go while the index is open
	// to write (see releaseWhileWriting).
	releaser *releaser
}

// Doc is a sentence to index.
type Doc struct {
	Sentence Sentence // its spans and every token (the sentence file gives them back)
	Words    []string // its word tokens
}

// Candidate is a sentence an index query found, with its relevance score.
type Candidate struct {
	Source int64
	Ord    int
	Score  float64
}

const (
	fieldWords  = "w"
	fieldSource = "src"
	analyzerW   = "qcode_words"
	batchSize   = 5000
	// lockWait is how long opening waits for another process that has
	// the index open to write; after it the index is busy.
	lockWait = "1s"
	// sourcesKey holds the sources the index holds, as JSON: id → stamp.
	sourcesKey = "qcode_sources"
	// formatKey holds the version of the index's layout: the fields and
	// the sentence file. An index of another version is made anew.
	formatKey = "qcode_format"
	format    = "5"
)

func newMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	if err := im.AddCustomAnalyzer(analyzerW, map[string]any{"type": custom.Name, "tokenizer": spaceTokenizerName}); err != nil {
		return nil, err
	}
	dm := bleve.NewDocumentStaticMapping()
	w := bleve.NewTextFieldMapping()
	w.Analyzer, w.Store, w.IncludeTermVectors, w.IncludeInAll, w.DocValues = analyzerW, false, false, false, false
	src := bleve.NewKeywordFieldMapping()
	src.Analyzer, src.Store, src.IncludeInAll, src.DocValues = keyword.Name, false, false, false
	dm.AddFieldMappingsAt(fieldWords, w)
	dm.AddFieldMappingsAt(fieldSource, src)
	im.DefaultMapping = dm
	im.DefaultField = fieldWords
	im.DefaultAnalyzer = analyzerW
	im.StoreDynamic, im.IndexDynamic, im.DocValuesDynamic = false, false, false
	return im, nil
}

// Create makes a new, empty index at path, replacing anything there.
func Create(path string) (*Index, error) {
	if err := os.RemoveAll(path); err != nil {
		return nil, err
	}
	im, err := newMapping()
	if err != nil {
		return nil, err
	}
	b, err := bleve.NewUsing(path, im, scorch.Name, scorch.Name, map[string]any{"bolt_timeout": lockWait})
	if err != nil {
		return nil, fmt.Errorf("creating the search index %s: %w", path, err)
	}
	if err := b.SetInternal([]byte(formatKey), []byte(format)); err != nil {
		b.Close()
		return nil, err
	}
	ix := &Index{b: b, path: path}
	ix.releaseWhileWriting()
	return ix, nil
}

// ErrMissing is returned by Open when there is no index at the path (or
// half of one: no sentence file), and ErrFormat when the index there was
// made by another version of qcode.
var (
	ErrMissing = errors.New("no search index")
	ErrFormat  = errors.New("the search index was made by another version of qcode")
)

// Open opens the index at path, to write or only to read. An index another
// process is writing is a qcode.EBUSY error; none at all is ErrMissing; one
// that cannot be read is an error that says it is damaged (ErrDamaged).
func Open(path string, write bool) (ix *Index, err error) {
	for _, name := range []string{"index_meta.json", sentencesName} {
		if _, err := os.Stat(filepath.Join(path, name)); errors.Is(err, os.ErrNotExist) {
			return nil, ErrMissing
		}
	}
	cfg := map[string]any{"bolt_timeout": lockWait}
	if !write {
		cfg["read_only"] = true
	}
	defer func() {
		// bolt and scorch trust their files, and some damage makes them
		// panic rather than fail; the index is derived, so it is damage
		// like any other.
		if r := recover(); r != nil {
			ix, err = nil, openDamage(path, fmt.Errorf("%v", r))
		}
	}()
	b, err := bleve.OpenUsing(path, cfg)
	if err != nil {
		if strings.Contains(err.Error(), "timeout") {
			return nil, qcode.Errorf(qcode.EBUSY, "the search index is busy: another qcode has it open; try again when it has finished")
		}
		return nil, openDamage(path, err)
	}
	if v, err := b.GetInternal([]byte(formatKey)); err != nil || string(v) != format {
		b.Close()
		if err == nil && len(v) > 0 {
			err = ErrFormat
		} else if err == nil { // every index qcode makes says its format: scorch passed over damage
			err = damaged(qcode.EINTERNAL, "the search index %s is damaged", path)
		}
		return nil, openDamage(path, err)
	}
	if !write {
		if err := newestLoaded(b); err != nil {
			b.Close()
			return nil, openDamage(path, err)
		}
	}
	ix = &Index{b: b, path: path}
	if write {
		ix.releaseWhileWriting()
	}
	return ix, nil
}

// newestLoaded checks that the index opened is the one last committed.
// Scorch keeps a few snapshots in its root file until its persister prunes
// the older ones, and when the newest does not load (a segment of it cut
// short) it opens the one before it and says nothing: for qcode that is
// the index as it was before its last commit, often the empty one Create
// made, which a search would take for out of date rather than damaged, and
// an update would copy, unloadable snapshot and all, into the next
// generation. Which snapshots are still there when the index is closed
// depends on how far the persister got, so it must be checked. Only on an
// index open to read: loading a snapshot changes state scorch's persister
// reads, and the only index qcode opens to write is a copy of a generation
// just opened to read (Engine.update).
func newestLoaded(b bleve.Index) error {
	adv, err := b.Advanced()
	if err != nil {
		return err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	epochs, err := s.RootBoltSnapshotEpochs() // newest first
	if err != nil || len(epochs) == 0 {
		return err
	}
	snap, err := s.LoadSnapshot(epochs[0])
	if err != nil {
		return err
	}
	return snap.DecRef()
}

// Close closes the index, dropping the sentences added since the last
// Commit.
func (ix *Index) Close() error {
	ix.stopReleasing()
	err := ix.dropSpill()
	if cerr := ix.b.Close(); err == nil {
		err = cerr
	}
	return err
}

// Sources returns the sources the index holds: each one's id and the stamp
// it was indexed with (see Commit).
func (ix *Index) Sources() (map[int64]string, error) {
	raw, err := ix.b.GetInternal([]byte(sourcesKey))
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	if len(raw) == 0 {
		return out, nil
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("the search index's list of sources does not read: %w", err)
	}
	return out, nil
}

// Commit writes the sentence file with the sources the index now holds
// and records them, each with a stamp that changes when its text does, so
// that a stale index can be told. Call it after adding and deleting.
func (ix *Index) Commit(sources map[int64]string) error {
	if ix.adding != nil {
		return fmt.Errorf("search: source %d is still being added", ix.adding.source)
	}
	if err := ix.flush(); err != nil {
		return err
	}
	if err := ix.writeSentences(slices.Collect(maps.Keys(sources))); err != nil {
		return err
	}
	raw, err := json.Marshal(sources)
	if err != nil {
		return err
	}
	return ix.b.SetInternal([]byte(sourcesKey), raw)
}

// Add indexes the sentences of a source, in ord order, and keeps them and
// the source's turns for the sentence file that Commit writes. It is
// AddSource for a source held whole.
func (ix *Index) Add(ctx context.Context, source int64, turns []Turn, docs []Doc) error {
	a, err := ix.AddSource(source)
	if err != nil {
		return err
	}
	for _, t := range turns {
		if err := a.Turn(t); err != nil {
			a.Abort(ctx)
			return err
		}
	}
	for i := range docs {
		if err := a.Sentence(ctx, &docs[i]); err != nil {
			a.Abort(ctx)
			return err
		}
	}
	return a.Done()
}

// SourceAdder indexes one source's turns and sentences as they come, so
// that a source of any length costs about a batch's memory: each sentence
// goes into the index's batch, sent every batchSize sentences (sources
// share batches, as one source's few hundred sentences make a batch too
// small to pay for itself; the last is sent at Commit), and its record for
// the sentence file goes to the spill file, after its turns' texts; only
// its turns and each sentence's record offset are kept until Done writes
// the block's head.
// Readers see none of it until Commit, and another process none until the
// generation is made live.
type SourceAdder struct {
	ix      *Index
	source  int64
	src     string // the source's id as the index keeps it
	enc     blockEncoder
	textOff int64 // where its turns' texts start in the spill file
	recOff  int64 // where its records start, once the texts are written (recs)
	recs    bool
	sent    int // sentences put in the batch
	words   strings.Builder
}

// spillChunk is how many bytes of records a SourceAdder makes before it
// writes them out.
const spillChunk = 256 << 10

// AddSource starts adding a source; give it its turns, then its sentences,
// each in ord order and numbered from 1, then call Done, or Abort to take
// out what was added. One source is added at a time. A source added before
// and not deleted is replaced.
func (ix *Index) AddSource(source int64) (*SourceAdder, error) {
	if ix.adding != nil {
		return nil, fmt.Errorf("search: source %d is still being added", ix.adding.source)
	}
	ix.vocab, ix.stems = nil, nil
	if ix.texts == nil {
		old, err := ix.OpenSentences()
		if err != nil && qcode.ErrorCode(err) != qcode.ENOTFOUND {
			return nil, err
		}
		err = ix.loadTexts(old)
		if old != nil {
			old.Close()
		}
		if err != nil {
			return nil, err
		}
	}
	at, err := ix.spillAppend(nil)
	if err != nil {
		return nil, err
	}
	a := &SourceAdder{ix: ix, source: source, src: strconv.FormatInt(source, 10), textOff: at,
		enc: blockEncoder{source: source, tx: ix.texts}}
	ix.adding = a
	return a, nil
}

// storeDamaged is what a source that does not make a block says: the
// store gave it so.
func storeDamaged(err error) error {
	return qcode.Errorf(qcode.EINTERNAL, "%v; the store is damaged", err)
}

// Turn adds the source's next turn, with its text (Turn.Text); every turn
// comes before the first sentence. The adder keeps nothing of t.Text.
func (a *SourceAdder) Turn(t Turn) error {
	if err := a.enc.turn(t); err != nil {
		return storeDamaged(err)
	}
	if len(a.enc.text) >= spillChunk {
		if _, err := a.ix.spillAppend(a.enc.takeText()); err != nil {
			return err
		}
	}
	return nil
}

// endTexts writes out the turns' texts not yet written, once: the records
// follow them.
func (a *SourceAdder) endTexts() error {
	if a.recs {
		return nil
	}
	if _, err := a.ix.spillAppend(a.enc.takeText()); err != nil {
		return err
	}
	a.recOff, a.recs = a.ix.spillEnd, true
	return nil
}

// Sentence adds the source's next sentence. The adder keeps nothing of d.
func (a *SourceAdder) Sentence(ctx context.Context, d *Doc) error {
	if err := a.endTexts(); err != nil {
		return err
	}
	if err := a.enc.sentence(&d.Sentence); err != nil {
		return storeDamaged(err)
	}
	if len(a.enc.recs) >= spillChunk {
		if _, err := a.ix.spillAppend(a.enc.take()); err != nil {
			return err
		}
	}
	ix := a.ix
	if ix.batch == nil {
		ix.batch = ix.b.NewBatch()
	}
	b := ix.batch
	a.words.Reset()
	for _, w := range d.Words {
		if a.words.Len() > 0 {
			a.words.WriteByte(' ')
		}
		writeTerm(&a.words, codebook.NormWord(w))
	}
	err := b.Index(docID(a.source, d.Sentence.Ord), map[string]any{
		fieldWords:  a.words.String(),
		fieldSource: a.src,
	})
	if err != nil {
		return err
	}
	a.sent++
	if b.Size() >= batchSize {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := ix.b.Batch(b); err != nil {
			return err
		}
		b.Reset()
	}
	return nil
}

// Sentences returns how many sentences have been added.
func (a *SourceAdder) Sentences() int { return a.sent }

// Done ends the source: its block's head goes to the spill file after its
// records, for Commit to write into the sentence file.
func (a *SourceAdder) Done() error {
	ix := a.ix
	if ix.adding != a {
		return fmt.Errorf("search: source %d was not being added", a.source)
	}
	ix.adding = nil
	if err := a.endTexts(); err != nil {
		return err
	}
	if _, err := ix.spillAppend(a.enc.take()); err != nil {
		return err
	}
	head, err := a.enc.head()
	if err != nil {
		return storeDamaged(err)
	}
	recN := ix.spillEnd - a.recOff
	at, err := ix.spillAppend(head)
	if err != nil {
		return err
	}
	ix.blocks[a.source] = spilled{headOff: at, headN: int64(len(head)), textOff: a.textOff, textN: a.recOff - a.textOff,
		recOff: a.recOff, recN: recN}
	return nil
}

// Abort ends the source without it: the sentences it put in the index are
// taken out again, with any of the source's that were there before, and
// none of its block reaches the sentence file.
func (a *SourceAdder) Abort(ctx context.Context) error {
	ix := a.ix
	if ix.adding != a {
		return nil
	}
	ix.adding = nil
	ix.spillEnd = a.textOff // the texts and records written go unused: the next are written over them
	delete(ix.blocks, a.source)
	if a.sent == 0 {
		return nil
	}
	return ix.DeleteSource(ctx, a.source)
}

// flush sends the sentences added since the last batch to the index.
func (ix *Index) flush() error {
	if ix.batch == nil || ix.batch.Size() == 0 {
		return nil
	}
	err := ix.b.Batch(ix.batch)
	ix.batch.Reset()
	return err
}

// writeTerm writes a folded token as one term: a token never holds a space
// as qcode splits text, but a no-break space inside one would split it in
// two, so any space becomes a word joiner, one character for one, which
// leaves every prefix, wildcard and exact match of the token as it was.
func writeTerm(b *strings.Builder, t string) {
	for _, r := range t {
		if unicode.IsSpace(r) {
			r = '\u2060'
		}
		b.WriteRune(r)
	}
}

// DeleteSource removes every document of a source. Its sentences leave
// the sentence file when Commit is told the sources left.
func (ix *Index) DeleteSource(ctx context.Context, source int64) error {
	if err := ix.flush(); err != nil {
		return err
	}
	delete(ix.blocks, source)
	q := bleve.NewTermQuery(strconv.FormatInt(source, 10))
	q.SetField(fieldSource)
	for {
		req := bleve.NewSearchRequestOptions(q, batchSize, 0, false)
		res, err := ix.b.SearchInContext(ctx, req)
		if err != nil {
			return err
		}
		if len(res.Hits) == 0 {
			ix.vocab, ix.stems = nil, nil
			return nil
		}
		b := ix.b.NewBatch()
		for _, h := range res.Hits {
			b.Delete(h.ID)
		}
		if err := ix.b.Batch(b); err != nil {
			return err
		}
	}
}

func docID(source int64, ord int) string {
	return strconv.FormatInt(source, 10) + ":" + strconv.Itoa(ord)
}

func parseID(id string) (int64, int, error) {
	s, o, ok := strings.Cut(id, ":")
	if ok {
		src, err1 := strconv.ParseInt(s, 10, 64)
		ord, err2 := strconv.Atoi(o)
		if err1 == nil && err2 == nil {
			return src, ord, nil
		}
	}
	return 0, 0, damaged(qcode.EINTERNAL, "search index document %q is not SOURCE:ORD", id)
}

// Candidates returns every sentence that meets plan, with its score when
// score is true (scoring costs a tenth of a search's time; an unscored hit
// scores 0).
func (ix *Index) Candidates(ctx context.Context, plan codebook.Plan, score bool) ([]Candidate, error) {
	q, err := ix.query(plan)
	if err != nil {
		return nil, err
	}
	return ix.all(ctx, q, score)
}

// Raw returns every sentence that a bleve query string matches, searching
// the words (see rawQuery). A syntax error is a qcode.EINVALID error.
// It scores the hits when score is true.
func (ix *Index) Raw(ctx context.Context, queryString string, score bool) ([]Candidate, error) {
	if err := checkRawSyntax(queryString); err != nil {
		return nil, err
	}
	parsed, err := bleve.NewQueryStringQuery(queryString).Parse()
	if err != nil {
		return nil, qcode.Errorf(qcode.EINVALID, "bleve query %s: %v; see https://blevesearch.com/docs/Query-String-Query/", shownQuery(queryString), err)
	}
	q, err := ix.rawQuery(parsed, shownQuery(queryString))
	if err != nil {
		return nil, err
	}
	return ix.all(ctx, q, score)
}

// all returns every hit of q, not only the best, in the index's order.
// It runs bleve's searcher itself rather than a search request: a request
// keeps its hits in a heap ranked by score and ranks them again at the end,
// work for the best ten that is wasted when every hit is wanted.
func (ix *Index) all(ctx context.Context, q bquery.Query, score bool) (hits []Candidate, err error) {
	adv, err := ix.b.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := r.Close(); err == nil {
			err = cerr
		}
	}()
	opts := bsearch.SearcherOptions{Score: "none"}
	if score {
		opts.Score = ""
	}
	s, err := q.Searcher(ctx, r, ix.b.Mapping(), opts)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := s.Close(); err == nil {
			err = cerr
		}
	}()
	sc := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: r}
	if n, err := r.DocCount(); err == nil { // Count is at most the hits, or their sum over terms
		hits = make([]Candidate, 0, min(s.Count(), n))
	}
	defer ix.releaseSegments()
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if n > 0 && n%releaseHits == 0 {
			ix.releaseSegments()
		}
		dm, err := s.Next(sc)
		if err != nil {
			return nil, err
		}
		if dm == nil {
			return hits, nil
		}
		id, err := r.ExternalID(dm.IndexInternalID)
		if err != nil {
			return nil, err
		}
		src, ord, err := parseID(id)
		if err != nil {
			return nil, err
		}
		hits = append(hits, Candidate{Source: src, Ord: ord, Score: dm.Score})
		sc.DocumentMatchPool.Put(dm)
	}
}

// query turns a plan into a bleve query on the w field.
func (ix *Index) query(p codebook.Plan) (bquery.Query, error) {
	switch p.Op {
	case codebook.PlanWord:
		return ix.wordQuery(p.Word)
	case codebook.PlanAll, codebook.PlanAny:
		qs := make([]bquery.Query, 0, len(p.Kids))
		for _, k := range p.Kids {
			q, err := ix.query(k)
			if err != nil {
				return nil, err
			}
			qs = append(qs, q)
		}
		if len(qs) == 1 {
			return qs[0], nil
		}
		if p.Op == codebook.PlanAll {
			return bleve.NewConjunctionQuery(qs...), nil
		}
		return bleve.NewDisjunctionQuery(qs...), nil
	}
	return nil, fmt.Errorf("search: unknown plan op %d", p.Op)
}

func (ix *Index) wordQuery(w codebook.Pattern) (bquery.Query, error) {
	var b strings.Builder
	writeTerm(&b, w.Text)
	text := b.String()
	var q interface {
		bquery.Query
		SetField(string)
	}
	switch w.Kind {
	case codebook.PatternExact:
		q = bleve.NewTermQuery(text)
	case codebook.PatternPrefix:
		q = bleve.NewPrefixQuery(text)
	case codebook.PatternGlob:
		q = bleve.NewWildcardQuery(text)
	case codebook.PatternStem:
		// The terms whose stem is the word's: read from the field's terms.
		vocab, err := ix.vocabulary()
		if err != nil {
			return nil, err
		}
		var qs []bquery.Query
		for _, t := range vocab {
			if w.Matches(t) {
				tq := bleve.NewTermQuery(t)
				tq.SetField(fieldWords)
				qs = append(qs, tq)
			}
		}
		if len(qs) == 0 {
			return bleve.NewMatchNoneQuery(), nil
		}
		return bleve.NewDisjunctionQuery(qs...), nil
	}
	q.SetField(fieldWords)
	return q, nil
}

// vocabulary returns every term of the w field.
func (ix *Index) vocabulary() ([]string, error) {
	if ix.vocab != nil {
		return ix.vocab, nil
	}
	d, err := ix.b.FieldDict(fieldWords)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	vocab := []string{}
	for {
		e, err := d.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		vocab = append(vocab, e.Term)
	}
	ix.vocab = vocab
	return vocab, nil
}

// Size returns the bytes the index takes on disk. The index merges its
// segment files in the background, so a file may go between listing and
// measuring it: such a file is not counted.
func (ix *Index) Size() (int64, error) { return dirSize(ix.path) }

// dirSize returns the bytes the files under dir take.
func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err == nil {
			n += info.Size()
		}
		return err
	})
	return n, err
}
