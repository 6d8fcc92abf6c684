package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
)

// Request is a search of a project.
type Request struct {
	Query string
	Bleve bool              // Query is a raw bleve query string, not a rule
	Rules *codebook.Queries // the project's codebook, for #refs, match mode and negation cues
	// RulesLater, when Rules is nil, gives them: asked once the store and
	// the index are open, so that a caller may read the codebook
	// meanwhile. Its error ends the search.
	RulesLater func() (*codebook.Queries, error)
	Negation   codebook.NegationMode
	Unit       coding.Unit // sentence or turn

	Sources     []string // only these sources
	Speakers    []string // only turns of these speakers (a name, or the role interviewer or participant)
	NotSpeakers []string // no turns of these
	// SkipInterviewers leaves out interviewers' turns, as coding does, and
	// counts the hits it left out (those every other filter kept) in
	// Result.InterviewerHits.
	SkipInterviewers bool
	Attrs            map[string][]string // case attributes: every key must have one of its values
	Code             string              // only segments with a coding of this code (overlapping them)
	Coder            string              // … by this coder

	Facets []string // code, speaker, source, case, attr:NAME
	Sort   string   // document (default) or relevance
	Limit  int      // hits to return in full; 0 for all
	Width  int      // characters of context on each side of a match
	// NoMatches leaves every Hit's Matches empty, for a front end that
	// shows a hit's context and not its matches one by one: the context
	// is the same, and the hits are not decided again to find them.
	NoMatches bool

	// Stream, when set, is called once every hit is decided and counted
	// (but see AsFound), with the result (all but its Hits) and the hits
	// to show, in order, each made as the loop over them asks for it;
	// Search returns once Stream does, with Stream's error. A front end
	// that prints each hit as it comes holds a few hits at a time and
	// prints the first before the last is made. Result.Hits stays empty.
	// The index is held while Stream runs.
	Stream func(res *Result, hits iter.Seq2[Hit, error]) error
	// AsFound, with Stream, lets the hits be decided as the loop over
	// them asks for them, source by source, when the order is the
	// document's and nothing needs every hit first: no Limit, facets, code
	// or coder filter. Stream is then called once the first hit is found
	// (or every candidate is decided, when none is one), and res counts
	// the hits (Total, BySource, InterviewerHits) once the loop has ended,
	// not before; Result.Refs and Spans are empty. Such a search holds a
	// few hits at a time, not every hit, however many there are, and
	// decides and shows them in one pass.
	AsFound bool
}

// Result is what a search found.
type Result struct {
	Query      string      `json:"query"` // as understood, in canonical form
	Unit       coding.Unit `json:"unit"`
	Total      int         `json:"total"`      // segments found
	Candidates int         `json:"candidates"` // segments the index proposed
	// InterviewerHits counts the hits left out as interviewers' with
	// SkipInterviewers: not in Total, the hits or the facets.
	InterviewerHits int          `json:"interviewer_hits_left_out"`
	BySource        []FacetCount `json:"by_source"`
	Hits            []Hit        `json:"hits"` // the first Limit, in the order asked for
	Facets          []Facet      `json:"facets,omitempty"`
	Index           *IndexResult `json:"index,omitempty"` // when the search had to update the index first

	all     []found      // every hit, in order, Limit or not
	sources []sourceMeta // by rank
}

// Refs returns the segment of every hit, in the order asked for, however
// many Limit showed: what a coding of every hit codes.
func (r *Result) Refs() []coding.Ref {
	out := make([]coding.Ref, len(r.all))
	for i, h := range r.all {
		out[i] = coding.Ref{Source: r.sources[h.rank].name, Unit: r.Unit, Ord: h.ord}
	}
	return out
}

// Spans returns the character span [start, end) of every hit's segment,
// in the order of Refs.
func (r *Result) Spans() [][2]int {
	out := make([][2]int, len(r.all))
	for i, h := range r.all {
		out[i] = [2]int{h.start, h.end}
	}
	return out
}

// Hit is one segment a search found.
type Hit struct {
	Ref     coding.Ref         `json:"-"` // the segment, to code
	Source  string             `json:"source"`
	Case    string             `json:"case"`
	Segment string             `json:"segment"` // P03:s41 or P03:t12: Ref as text
	Speaker string             `json:"speaker"`
	Time    *int64             `json:"time_ms,omitempty"` // the turn's start
	Start   int                `json:"start"`             // the segment's span, in characters
	End     int                `json:"end"`
	Text    string             `json:"text"`
	Matches []coding.RuleMatch `json:"matches"`
	Left    string             `json:"left"` // context before the first match, up to Width characters
	Match   string             `json:"match"`
	Right   string             `json:"right"`
	Score   float64            `json:"score,omitempty"` // the index's, with Sort "relevance"
}

// found is a hit as a search decides and counts it; the few shown are
// made Hits.
type found struct {
	source             int64
	speaker            int64 // the turn's
	score              float64
	time               int64 // the turn's start, when hasTime
	rank               int   // the source's place by name (searcher.metas)
	ord, turn          int   // ord is the segment's: a sentence's or, for unit turn, the turn's
	start, end         int   // characters
	byteStart, byteEnd int
	// matchStart and matchEnd are the characters of the first match's
	// tokens, first to last, when matched (a rule's hit); keyword in
	// context shows them.
	matchStart, matchEnd int
	matched              bool
	hasTime              bool
	interviewer          bool // an interviewer's, to be left out with SkipInterviewers
}

// candidates returns the sentences the index proposes for req. An error
// bleve gives is damage to the index, which making it anew mends: its own
// words say nothing a user could act on.
func candidates(ctx context.Context, ix *Index, req *Request, q *codebook.Query) ([]Candidate, error) {
	var cands []Candidate
	var err error
	if req.Bleve {
		cands, err = ix.Raw(ctx, req.Query, req.Sort == "relevance")
	} else {
		cands, err = ix.Candidates(ctx, q.Plan(req.Unit == coding.UnitTurn), req.Sort == "relevance")
	}
	var qe *qcode.Error
	if err != nil && ctx.Err() == nil && !errors.As(err, &qe) {
		err = damaged(qcode.EINTERNAL, "the search index %s cannot be read", ix.path)
	}
	return cands, err
}

// sourceMeta is a source's name and case.
type sourceMeta struct {
	name, caseName string
	caseID         int64
}

// Search finds the segments a rule (or a raw bleve query) matches, with the
// filters and facets req asks for. The index proposes candidate sentences
// and the rule's compiled matcher decides each one over the tokens stored
// at import, exactly as a rules run would, so a search finds the segments
// the rule would code. A missing or stale index is brought up to date first
// (res.Index says so); that needs the index free to write.
func (e *Engine) Search(ctx context.Context, req Request) (*Result, error) {
	if req.Unit == "" {
		req.Unit = coding.UnitSentence
	}
	if req.Unit != coding.UnitSentence && req.Unit != coding.UnitTurn {
		return nil, qcode.FieldError("unit", string(req.Unit), "a hit is a sentence or turn", string(coding.UnitSentence), string(coding.UnitTurn))
	}
	res := &Result{Unit: req.Unit, Query: req.Query, BySource: []FacetCount{}, Hits: []Hit{}}
	badQuery := func(err error) error {
		return &qcode.Error{Code: qcode.EINVALID, Message: fmt.Sprintf("query %s: %v", shownQuery(req.Query), err), Err: err}
	}
	if !req.Bleve {
		if _, err := codebook.ParseRule(req.Query); err != nil {
			return nil, badQuery(err) // before the index is opened, let alone brought up to date
		}
	}
	rules := func() (err error) {
		if req.Rules == nil && req.RulesLater != nil {
			req.Rules, err = req.RulesLater()
		}
		return err
	}
	if req.Code != "" { // a code of the codebook may be filtered by before anything codes it
		if err := rules(); err != nil {
			return nil, err
		}
	}
	// The store's sources and speakers are read while the index opens,
	// and the codebook (RulesLater) is read meanwhile too.
	s := &searcher{ctx: ctx, store: e.store, req: &req, blocks: map[int64]*Block{}}
	loaded := make(chan error, 1)
	go func() { loaded <- s.load() }()
	e.mu.Lock()
	defer e.mu.Unlock()
	held, upd, err := e.open(ctx)
	if lerr := <-loaded; lerr != nil {
		return nil, lerr
	}
	if err != nil {
		return nil, err
	}
	if !req.Bleve {
		if err := rules(); err != nil {
			return nil, err
		}
		if s.q, err = req.Rules.Query(req.Query, req.Negation); err != nil {
			return nil, badQuery(err)
		}
		res.Query = s.q.String()
	}
	cands, err := candidates(ctx, held.ix, &req, s.q)
	if errors.Is(err, ErrDamaged) {
		// Damage that shows only when a search reads that part of the
		// index: make it anew, once.
		broken := held.gen
		if err := e.drop(); err != nil {
			return nil, err
		}
		r, _, err := e.update(ctx, false, broken)
		if err != nil {
			return nil, err
		}
		if held, _, err = e.open(ctx); err != nil {
			return nil, err
		}
		upd = &r
		cands, err = candidates(ctx, held.ix, &req, s.q)
	}
	if err != nil {
		return nil, err
	}
	res.Index = upd
	res.Candidates = len(cands)
	s.sf = held.sf
	if req.Stream != nil && req.AsFound && req.Sort != "relevance" && req.Limit == 0 && len(req.Facets) == 0 && s.f.code == "" && s.f.coder == "" {
		if err := s.streamAsFound(res, s.groups(cands)); err != nil {
			return nil, err
		}
		return res, nil
	}
	hits, err := s.run(cands)
	if err != nil {
		return nil, err
	}
	if req.SkipInterviewers {
		kept := hits[:0]
		for _, h := range hits {
			if h.interviewer {
				res.InterviewerHits++
			} else {
				kept = append(kept, h)
			}
		}
		hits = kept
	}
	byDoc := func(a, b found) int { return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.start, b.start)) }
	if req.Sort == "relevance" {
		slices.SortStableFunc(hits, func(a, b found) int { return cmp.Or(cmp.Compare(b.score, a.score), byDoc(a, b)) })
	} else if !slices.IsSortedFunc(hits, byDoc) {
		slices.SortFunc(hits, byDoc)
	}
	res.Total = len(hits)
	counts := map[string]int{}
	for i := range hits {
		counts[s.metas[hits[i].rank].name]++
	}
	res.BySource = sortedCounts(counts, false)
	res.Facets = s.facets(req.Facets, hits)
	res.all, res.sources = hits, s.metas
	shown := hits
	if req.Limit > 0 && len(shown) > req.Limit {
		shown = shown[:req.Limit]
	}
	if req.Stream != nil {
		if err := req.Stream(res, s.each(shown)); err != nil {
			return nil, err
		}
		return res, nil
	}
	res.Hits = make([]Hit, 0, len(shown))
	for h, err := range s.each(shown) {
		if err != nil {
			return nil, err
		}
		res.Hits = append(res.Hits, h)
	}
	return res, nil
}

// each returns the hits of shown as an iterator, in order: each hit is
// made as the loop asks for it; an error ends the loop. Many hits are made
// on every core, in runs of showRun hits shared out in turn, a few runs
// ahead of the loop, which takes them in order.
func (s *searcher) each(shown []found) iter.Seq2[Hit, error] {
	return func(yield func(Hit, error) bool) {
		// The blocks are read again, and let go as they are (see block).
		clear(s.blocks)
		workers := min(runtime.GOMAXPROCS(0), 4, (len(shown)+showRun-1)/showRun)
		if len(shown) < parallelShow || workers < 2 {
			stop := errors.New("stop")
			err := s.show(shown, func(h Hit) error {
				if !yield(h, nil) {
					return stop
				}
				return nil
			})
			if err != nil && err != stop {
				yield(Hit{}, err)
			}
			return
		}
		makers := []*searcher{s}
		for len(makers) < workers { // before any starts: fork copies s
			makers = append(makers, s.fork())
		}
		type run struct {
			hits []Hit
			err  error
		}
		runs := (len(shown) + showRun - 1) / showRun
		next, stop := inTurn(workers, runs, func(w, k int) (run, bool) {
			r := run{hits: make([]Hit, 0, showRun)}
			r.err = makers[w].show(shown[k*showRun:min((k+1)*showRun, len(shown))], func(h Hit) error {
				r.hits = append(r.hits, h)
				return nil
			})
			return r, r.err == nil
		})
		// The makers stop, and are waited for, before the loop ends: they
		// read the sentence file, which goes once the search is over.
		defer stop()
		for {
			r, ok := next()
			if !ok {
				return
			}
			if r.err != nil {
				yield(Hit{}, r.err)
				return
			}
			for _, h := range r.hits {
				if !yield(h, nil) {
					return
				}
			}
		}
	}
}

// foundRun is what a worker of streamAsFound decides and shows at a time:
// about showRun candidates, of one source or of several, with the hits they
// made and the count of each source's.
type foundRun struct {
	pieces       [][]Candidate // each of one source, in document order
	hits         []Hit
	counts       []int // per piece, the hits it made
	interviewers int   // hits left out as interviewers'
	err          error
}

// streamAsFound decides the candidates of groups (see Request.AsFound) and
// streams the hits as Stream asks for them: runs of about showRun
// candidates, in document order, shared out in turn among the cores, each
// run decided and shown at once, while the blocks it reads are fresh, a
// few runs ahead of the loop, which takes them in order.
func (s *searcher) streamAsFound(res *Result, groups [][]Candidate) error {
	var runs []*foundRun
	run, n := &foundRun{}, 0
	for _, g := range groups {
		for len(g) > 0 {
			// A turn's candidates make one hit: they stay together.
			k := len(g)
			if s.req.Unit != coding.UnitTurn {
				k = min(k, showRun-n)
			}
			run.pieces, n, g = append(run.pieces, g[:k]), n+k, g[k:]
			if n >= showRun {
				runs, run, n = append(runs, run), &foundRun{}, 0
			}
		}
	}
	if n > 0 {
		runs = append(runs, run)
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), 4, len(runs)))
	makers := []*searcher{s}
	for len(makers) < workers { // before any starts: fork copies s
		makers = append(makers, s.fork())
	}
	// The hits' arrays go round: a run's, once shown, is the next run's.
	free := make(chan []Hit, 3*workers)
	decided := make([][]found, workers)
	take, stopMakers := inTurn(workers, len(runs), func(w, k int) (*foundRun, bool) {
		r := runs[k]
		select {
		case r.hits = <-free:
		default:
		}
		r.err = makers[w].runAsFound(r, &decided[w])
		return r, r.err == nil
	})
	// The makers stop, and are waited for, before the search ends: they
	// read the sentence file, which goes once the search is over.
	defer stopMakers()
	counts := map[string]int{}
	next := func() (*foundRun, bool) {
		r, ok := take()
		if ok {
			if r.err == nil {
				res.InterviewerHits += r.interviewers
				for k, p := range r.pieces {
					if r.counts[k] > 0 {
						res.Total += r.counts[k]
						counts[s.metas[s.rank[p[0].Source]].name] += r.counts[k]
					}
				}
			}
		}
		return r, ok
	}
	var first *foundRun
	for {
		r, ok := next()
		if !ok { // no hit
			res.BySource = sortedCounts(counts, false)
			return s.req.Stream(res, func(func(Hit, error) bool) {})
		}
		if r.err != nil {
			return r.err
		}
		if len(r.hits) > 0 {
			first = r
			break
		}
	}
	var failed error // a run's, which ends the search whatever Stream says
	hits := func(yield func(Hit, error) bool) {
		for r, ok := first, true; ok; r, ok = next() {
			if r.err != nil {
				failed = r.err
				yield(Hit{}, r.err)
				return
			}
			for _, h := range r.hits {
				if !yield(h, nil) {
					return
				}
			}
			clear(r.hits)
			select {
			case free <- r.hits[:0]:
			default:
			}
			r.hits = nil // shown: runs holds every run till the end
		}
		res.BySource = sortedCounts(counts, false)
	}
	if err := s.req.Stream(res, hits); err != nil {
		return err
	}
	return failed
}

// inTurn has workers goroutines do work(w, k) for k from 0 to n-1, worker
// w the ks equal to w modulo workers, each a few ks ahead of the caller,
// who takes what they did in order of k with next, until it says there is
// no more. A worker stops at work that did not go well (ok false), after
// handing it over. stop stops the workers and waits for them.
func inTurn[T any](workers, n int, work func(w, k int) (T, bool)) (next func() (T, bool), stop func()) {
	out := make([]chan T, workers)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := range workers {
		out[w] = make(chan T, 2)
		wg.Go(func() {
			defer close(out[w])
			for k := w; k < n; k += workers {
				t, ok := work(w, k)
				select {
				case out[w] <- t:
				case <-done:
					return
				}
				if !ok {
					return
				}
			}
		})
	}
	k := 0
	next = func() (T, bool) {
		t, ok := <-out[k%workers]
		k++
		return t, ok
	}
	stop = func() {
		close(done)
		wg.Wait()
	}
	return next, stop
}

// runAsFound decides the candidates of r and makes its hits, decided
// being a buffer for the hits as decided.
func (s *searcher) runAsFound(r *foundRun, decided *[]found) error {
	r.counts = make([]int, len(r.pieces))
	n := 0
	for _, cs := range r.pieces {
		n += len(cs)
	}
	r.hits = slices.Grow(r.hits[:0], n) // a candidate makes at most one hit
	for k, cs := range r.pieces {
		id := cs[0].Source
		hits, err := s.source(id, cs, (*decided)[:0])
		*decided = hits
		if err != nil {
			return err
		}
		rank := s.rank[id]
		kept := hits[:0]
		for _, h := range hits {
			if h.interviewer {
				r.interviewers++
				continue
			}
			h.rank = rank
			kept = append(kept, h)
		}
		r.counts[k] = len(kept)
		err = s.show(kept, func(h Hit) error {
			r.hits = append(r.hits, h)
			return nil
		})
		if err != nil {
			return err
		}
		clear(s.blocks)
	}
	return nil
}

// showRun is how many hits a maker makes at a time when many are shown,
// and parallelShow the fewest hits shown worth making on more than one
// core (variables for tests).
var (
	showRun      = 256
	parallelShow = 1024
)

// searcher decides the candidates of one search, source by source, from
// the sentence file, and reads the store only for names, for what it shows
// and for what the code filters and facets need.
type searcher struct {
	ctx    context.Context
	store  Store
	req    *Request
	q      *codebook.Query
	f      *filters
	sf     *SentenceFile
	blocks map[int64]*Block
	// touched is the size of the blocks read since their pages were
	// last let go (see block).
	touched int

	group  []Sentence       // the segment being decided
	u      codebook.Passage // its tokens, as the query takes them
	tokens []Token

	speakers map[int64][2]string // id → name, role
	// interviewers are the speakers whose turns SkipInterviewers leaves
	// out, by id, decided once.
	interviewers map[int64]bool
	// spoken says, by id, whether the speaker filters keep a speaker's
	// turns, decided once.
	spoken map[int64]bool
	metas  []sourceMeta  // every source, by name
	rank   map[int64]int // a source's place in metas, by id
	spans  map[int64]*sourceSpans
}

// load reads the sources, their cases and the speakers from the store, and
// the filters.
func (s *searcher) load() error {
	s.rank = map[int64]int{}
	err := s.store.SourceCases(s.ctx, func(id int64, name string, caseID int64, caseName string) error {
		s.rank[id] = len(s.metas)
		s.metas = append(s.metas, sourceMeta{name: name, caseID: caseID, caseName: caseName})
		return nil
	})
	if err != nil {
		return err
	}
	s.speakers, s.interviewers = map[int64][2]string{}, map[int64]bool{}
	err = s.store.SpeakerRoles(s.ctx, func(id int64, name, role string) error {
		s.speakers[id] = [2]string{name, role}
		if coding.IsInterviewer(name, role) {
			s.interviewers[id] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	if s.f, err = s.filters(); err != nil {
		return err
	}
	s.spoken = make(map[int64]bool, len(s.speakers))
	for id, spk := range s.speakers {
		s.spoken[id] = s.f.speakerOK(spk[0], spk[1])
	}
	return nil
}

// run decides the candidates and returns the hits, with their speakers.
func (s *searcher) run(cands []Candidate) ([]found, error) {
	f := s.f
	groups := s.groups(cands)
	// Decided on every core, the sources shared out in runs of about
	// as many candidates each, and the hits put together in order.
	workers := 1
	if len(cands) >= parallelCandidates {
		workers = max(1, min(runtime.GOMAXPROCS(0), len(groups), 8))
	}
	// A candidate makes at most one hit: each worker puts its hits in the
	// room of its candidates, and they are moved together after.
	room := make([]found, len(cands))
	shares := make([][]found, workers)
	errs := make([]error, workers)
	deciders := []*searcher{s}
	for len(deciders) < workers { // before any starts: fork copies s
		deciders = append(deciders, s.fork())
	}
	var wg sync.WaitGroup
	next, at, per := 0, 0, (len(cands)+workers-1)/max(workers, 1)
	for w, d := range deciders {
		from, n := next, 0
		for ; next < len(groups) && (n < per || w == workers-1); next++ {
			n += len(groups[next])
		}
		mine, hits := groups[from:next], room[at:at:at+n]
		at += n
		wg.Go(func() {
			for _, cs := range mine {
				n0 := len(hits)
				if hits, errs[w] = d.source(cs[0].Source, cs, hits); errs[w] != nil {
					return
				}
				r := s.rank[cs[0].Source]
				for i := n0; i < len(hits); i++ {
					hits[i].rank = r
				}
			}
			shares[w] = hits
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	hits := room[:0]
	for _, sh := range shares {
		hits = append(hits, sh...) // within room, never past the share's own place
	}
	if f.code != "" || f.coder != "" || slices.Contains(s.req.Facets, "code") {
		if err := s.loadSpans(hits); err != nil {
			return nil, err
		}
		kept := hits[:0]
		for _, h := range hits {
			if s.codedOK(h.source, h.start, h.end) {
				kept = append(kept, h)
			}
		}
		hits = kept
	}
	return hits, nil
}

// groups returns the candidates of each source the filters keep, each in
// ord order, the sources in the document's order (by rank): runs of cands,
// which it sorts so in place, a counting sort by the sources' ranks and
// then each source's by ord, since the index gives a source's candidates
// in no order (a batch of bleve's is a map). A source not in s.rank was
// imported again since the sources were read.
func (s *searcher) groups(cands []Candidate) [][]Candidate {
	f := s.f
	out := len(s.metas) // the bucket of the candidates left out
	ranks := make([]int32, len(cands))
	ends := make([]int, out+1)
	for i, c := range cands {
		r, ok := s.rank[c.Source]
		if !ok || f.sources != nil && !f.sources[c.Source] || !f.caseOK(s.metas[r].caseID) {
			r = out
		}
		ranks[i] = int32(r)
		ends[r]++
	}
	next := make([]int, out+1)
	for r, at := 0, 0; r <= out; r++ {
		next[r], at = at, at+ends[r]
		ends[r] = at
	}
	// Each candidate is swapped straight into the next free place of its
	// source's bucket, until every bucket holds its own.
	for r := range out {
		for next[r] < ends[r] {
			i := next[r]
			to := int(ranks[i])
			if to == r {
				next[r]++
				continue
			}
			j := next[to]
			next[to]++
			cands[i], cands[j] = cands[j], cands[i]
			ranks[i], ranks[j] = ranks[j], ranks[i]
		}
	}
	byOrd := func(a, b Candidate) int { return cmp.Compare(a.Ord, b.Ord) }
	var groups [][]Candidate
	for r, at := 0, 0; r < out; r++ {
		if g := cands[at:ends[r]:ends[r]]; len(g) > 0 {
			if !slices.IsSortedFunc(g, byOrd) {
				slices.SortFunc(g, byOrd)
			}
			groups = append(groups, g)
		}
		at = ends[r]
	}
	return groups
}

// parallelCandidates is the fewest candidates worth deciding on more than
// one core (a variable for tests).
var parallelCandidates = 512

// fork returns a searcher to decide candidates beside s, in another
// goroutine: it shares what s only reads, and has its own query and
// buffers.
func (s *searcher) fork() *searcher {
	d := *s
	if s.q != nil {
		d.q = s.q.Clone()
	}
	d.blocks = map[int64]*Block{}
	d.touched = 0
	d.group, d.u, d.tokens = nil, codebook.Passage{}, nil
	return &d
}

// source decides the candidates of one source.
func (s *searcher) source(id int64, cs []Candidate, hits []found) ([]found, error) {
	blk, err := s.block(id)
	if err != nil {
		return hits, err
	}
	turnUnit := s.req.Unit == coding.UnitTurn
	for k := 0; k < len(cs); {
		c := cs[k]
		if c.Ord < 1 || c.Ord > blk.Len() {
			return hits, damaged(qcode.EINTERNAL, "the search index's sentences of source %d lack sentence %d", id, c.Ord)
		}
		h := found{source: id, ord: c.Ord, score: c.Score}
		k++
		if err := s.read(blk, &h); err != nil {
			return hits, err
		}
		if turnUnit { // the turn's other candidates are decided with it
			last := s.group[len(s.group)-1].Ord
			for k < len(cs) && cs[k].Ord <= last {
				h.score = max(h.score, cs[k].Score)
				k++
			}
		}
		if s.q != nil {
			first, last, ok := s.q.First(s.unit())
			if !ok {
				continue
			}
			if first >= 0 {
				h.matchStart, h.matchEnd, h.matched = s.tokens[first].Start, s.tokens[last].End, true
			}
		}
		t, err := blk.Turn(h.turn - 1)
		if err != nil {
			return hits, s.damaged(id, err)
		}
		ok, known := s.spoken[t.Speaker]
		if !known {
			spk := s.speakers[t.Speaker]
			ok = s.f.speakerOK(spk[0], spk[1])
		}
		if !ok {
			continue
		}
		h.speaker, h.time, h.hasTime = t.Speaker, t.Time, t.HasTime
		h.interviewer = s.req.SkipInterviewers && s.interviewers[t.Speaker]
		if turnUnit {
			h.start, h.end, h.byteStart, h.byteEnd = t.Start, t.End, t.ByteStart, t.ByteEnd
		}
		hits = append(hits, h)
	}
	return hits, nil
}

func (s *searcher) block(id int64) (*Block, error) {
	if b, ok := s.blocks[id]; ok {
		return b, nil
	}
	b, err := s.sf.Source(id)
	if err != nil {
		return nil, err
	}
	s.blocks[id] = b
	// The blocks give their pages back now and then, so that a search
	// holds a few MB of the sentence file however many sources its hits
	// are in; a block read again is read from the system's cache.
	if s.touched += len(b.raw); s.touched > releaseEvery {
		s.sf.release()
		s.touched = 0
	}
	return b, nil
}

// releaseEvery is how many bytes of sentence blocks a searcher reads
// before it lets the pages of the blocks go.
const releaseEvery = 4 << 20

func (s *searcher) damaged(id int64, err error) error {
	return damaged(qcode.EINTERNAL, "the search index's sentences of source %d: %v", id, err)
}

// read reads the segment of the hit, whose ord is a sentence's, into
// s.group: the sentence, or every sentence of its turn. It sets the hit's
// span, turn and (for unit turn) ord.
func (s *searcher) read(blk *Block, h *found) error {
	at := func(i int) error {
		if len(s.group) < cap(s.group) {
			s.group = s.group[:len(s.group)+1]
		} else {
			s.group = append(s.group, Sentence{})
		}
		x := &s.group[len(s.group)-1]
		err := blk.At(i, x)
		if err == nil && x.Ord != i+1 {
			err = fmt.Errorf("sentence %d is numbered %d", i+1, x.Ord)
		}
		if err != nil {
			return s.damaged(h.source, err)
		}
		return nil
	}
	s.group = s.group[:0]
	if err := at(h.ord - 1); err != nil {
		return err
	}
	x := s.group[0]
	h.turn, h.start, h.end, h.byteStart, h.byteEnd = x.Turn, x.Start, x.End, x.ByteStart, x.ByteEnd
	if s.req.Unit != coding.UnitTurn {
		return nil
	}
	t, err := blk.Turn(x.Turn - 1)
	if err != nil {
		return s.damaged(h.source, err)
	}
	if h.ord-1 < t.First || h.ord-1 >= t.First+t.Count {
		return s.damaged(h.source, fmt.Errorf("sentence %d is not in its turn %d", h.ord, x.Turn))
	}
	s.group = s.group[:0]
	for i := t.First; i < t.First+t.Count; i++ {
		if err := at(i); err != nil {
			return err
		}
	}
	h.ord = t.Ord
	return nil
}

// match runs the query over s.group.
func (s *searcher) match() []codebook.Match { return s.q.Match(s.unit()) }

// unit makes s.group the unit the query takes.
func (s *searcher) unit() codebook.Passage {
	s.u.Reset()
	s.tokens = s.tokens[:0]
	for k, x := range s.group {
		for _, t := range x.Tokens {
			s.u.AddNumbered(t.Text, int32(k), t.ID)
			s.tokens = append(s.tokens, t)
		}
	}
	return s.u
}

// show makes the hits to be shown, in order, and gives each to yield as
// it is made: with its segment id, speaker, matches, text and context,
// each cut from its turn's text in the sentence file, which holds it
// beside the turn. The hits' strings are their own, not the file's.
func (s *searcher) show(shown []found, yield func(Hit) error) error {
	var times []int64 // the hits' times, in one array
	for i := range shown {
		f := &shown[i]
		meta := s.metas[f.rank]
		ref := coding.Ref{Source: meta.name, Unit: s.req.Unit, Ord: f.ord}
		h := Hit{
			Ref:     ref,
			Source:  meta.name,
			Case:    meta.caseName,
			Segment: ref.String(),
			Speaker: s.speakers[f.speaker][0],
			Start:   f.start,
			End:     f.end,
			Matches: []coding.RuleMatch{},
			Score:   f.score,
		}
		if f.hasTime {
			if times == nil {
				times = make([]int64, 0, len(shown)-i)
			}
			times = append(times, f.time)
			h.Time = &times[len(times)-1]
		}
		blk, err := s.block(f.source)
		if err != nil {
			return err
		}
		t, err := blk.Turn(f.turn - 1)
		if err != nil {
			return s.damaged(f.source, err)
		}
		if f.byteStart < t.ByteStart || f.byteEnd > t.ByteEnd || f.byteStart > f.byteEnd {
			return damaged(qcode.EINTERNAL, "%s does not fit its turn %s:t%d", h.Segment, meta.name, t.Ord)
		}
		bs, be := f.byteStart-t.ByteStart, f.byteEnd-t.ByteStart
		if s.q != nil && !s.req.NoMatches {
			if h.Matches, err = s.matches(*f); err != nil {
				return err
			}
		}
		ms, me := bs, be
		if f.matched {
			ms = byteAt(t.Text, bs, f.start, f.matchStart)
			me = byteAt(t.Text, ms, f.matchStart, f.matchEnd)
		}
		h.kwic(t.Text, bs, be, ms, me, s.req.Width)
		if err := yield(h); err != nil {
			return err
		}
	}
	return nil
}

// matches decides a hit again, for its matches with their tokens.
func (s *searcher) matches(h found) ([]coding.RuleMatch, error) {
	blk, err := s.block(h.source)
	if err != nil {
		return nil, err
	}
	again := found{source: h.source, ord: h.ord}
	if s.req.Unit == coding.UnitTurn {
		t, err := blk.Turn(h.ord - 1)
		if err != nil {
			return nil, s.damaged(h.source, err)
		}
		if t.Count == 0 {
			return []coding.RuleMatch{}, nil
		}
		again.ord = t.First + 1
	}
	if err := s.read(blk, &again); err != nil {
		return nil, err
	}
	out := []coding.RuleMatch{}
	for _, m := range s.match() {
		cm := coding.RuleMatch{Negated: m.Negated, Tokens: make([]coding.MatchedToken, len(m.Tokens))}
		for j, k := range m.Tokens {
			t := s.tokens[k]
			cm.Tokens[j] = coding.MatchedToken{Start: t.Start, End: t.End, Text: strings.Clone(t.Text)}
		}
		out = append(out, cm)
	}
	return out, nil
}

// shownQuery is a query as an error quotes it: escaped, and cut to its
// first 60 characters, so that a query given by mistake (a page of text,
// 50,000 parentheses) does not fill the screen; the error's column says
// where in the query the trouble is.
func shownQuery(q string) string {
	const most = 60
	if utf8.RuneCountInString(q) <= most {
		return strconv.Quote(q)
	}
	n, cut := 0, q
	for i := range q {
		if n == most {
			cut = q[:i]
			break
		}
		n++
	}
	return strconv.Quote(cut) + "…"
}
