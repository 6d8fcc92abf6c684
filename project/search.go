package project

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
	"qcode/search"
)

// IndexDir is the folder of the search index inside Dirname.
const IndexDir = "index"

// IndexResult says what bringing the search index up to date did.
type IndexResult struct {
	Reason  string `json:"reason,omitempty"` // why it was rebuilt or updated: "missing", "out of date", "asked"
	Added   int    `json:"added"`            // sources indexed
	Removed int    `json:"removed"`          // sources taken out
	Docs    int    `json:"documents"`        // sentences indexed
	Bytes   int64  `json:"bytes"`            // the index's size on disk
}

// Changed reports whether the index was changed.
func (r IndexResult) Changed() bool { return r.Added > 0 || r.Removed > 0 || r.Reason == "asked" }

func (p *Project) indexPath() string { return filepath.Join(p.Dir, Dirname, IndexDir) }

// sourceStamps returns every source's id and a stamp that changes whenever
// its text is imported again.
func (p *Project) sourceStamps(ctx context.Context) (map[int64]string, error) {
	rows, err := p.db.QueryContext(ctx, `SELECT id, hash, imported_at, sentences FROM sources`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var hash, at string
		var n int
		if err := rows.Scan(&id, &hash, &at, &n); err != nil {
			return nil, err
		}
		out[id] = hash + " " + at + " " + strconv.Itoa(n)
	}
	return out, rows.Err()
}

// UpdateIndex brings the search index up to date with the store: it takes
// out the sources that are gone or were imported again and indexes those it
// lacks, or with rebuild makes the index anew. It makes the index when
// there is none. The store is the truth; the index can always be made
// again from it.
func (p *Project) UpdateIndex(ctx context.Context, rebuild bool) (IndexResult, error) {
	want, err := p.sourceStamps(ctx)
	if err != nil {
		return IndexResult{}, err
	}
	return p.updateIndex(ctx, want, rebuild)
}

// updateIndex brings the index up to date with want, the store's source
// stamps.
func (p *Project) updateIndex(ctx context.Context, want map[int64]string, rebuild bool) (IndexResult, error) {
	var res IndexResult
	var ix *search.Index
	var err error
	if !rebuild {
		ix, err = search.Open(p.indexPath(), true)
		switch {
		case errors.Is(err, search.ErrMissing):
			res.Reason = "missing"
		case err != nil:
			return res, err
		}
	} else {
		res.Reason = "asked"
	}
	if ix == nil {
		if ix, err = search.Create(p.indexPath()); err != nil {
			return res, qcode.Errorf(qcode.EINTERNAL, "%v", err)
		}
	}
	defer ix.Close()
	have, err := ix.Sources()
	if err != nil {
		return res, err
	}
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
	var docs []search.Doc
	for _, id := range ids {
		if docs, err = p.indexDocs(ctx, id, docs[:0]); err != nil {
			return res, err
		}
		if err := ix.Add(ctx, docs); err != nil {
			return res, err
		}
		res.Added++
		res.Docs += len(docs)
		have[id] = want[id]
	}
	if res.Reason == "" && (res.Added > 0 || res.Removed > 0) {
		res.Reason = "out of date"
	}
	if res.Changed() || res.Reason != "" {
		if err := ix.SetSources(have); err != nil {
			return res, err
		}
	}
	res.Bytes, err = ix.Size()
	return res, err
}

// indexDocs appends a source's sentences, as the index takes them.
func (p *Project) indexDocs(ctx context.Context, id int64, docs []search.Doc) ([]search.Doc, error) {
	var text string
	if err := p.db.QueryRowContext(ctx, `SELECT text FROM sources WHERE id = ?`, id).Scan(&text); err != nil {
		return docs, err
	}
	rows, err := p.db.QueryContext(ctx, `SELECT ord, turn, start, end, byte_start, byte_end, tokens FROM segments WHERE source_id = ? AND kind = 'sentence' ORDER BY ord`, id)
	if err != nil {
		return docs, err
	}
	defer rows.Close()
	var toks []corpus.Token
	var chars []int
	for rows.Next() {
		var ord, turn, start, end, bs, be int
		var blob sql.RawBytes
		if err := rows.Scan(&ord, &turn, &start, &end, &bs, &be, &blob); err != nil {
			return docs, err
		}
		if bs < 0 || be > len(text) || bs > be {
			return docs, qcode.Errorf(qcode.EINTERNAL, "source %d: sentence %d is out of place; the store is damaged", id, ord)
		}
		if toks, err = DecodeTokens(toks[:0], text, bs, blob); err != nil {
			return docs, qcode.Errorf(qcode.EINTERNAL, "source %d: sentence %d: %v", id, ord, err)
		}
		d := search.Doc{Source: id, Text: text[bs:be], Sentence: search.Sentence{Ord: ord, Turn: turn, Start: start, End: end, ByteStart: bs, ByteEnd: be}}
		chars = tokenChars(chars[:0], text, bs, start, toks)
		d.Sentence.Tokens = make([]search.Token, len(toks))
		for i, t := range toks {
			d.Sentence.Tokens[i] = search.Token{Text: t.Text, Start: chars[2*i], End: chars[2*i+1]}
			if t.IsWord() {
				d.Words = append(d.Words, t.Text)
			}
		}
		docs = append(docs, d)
	}
	return docs, rows.Err()
}

// tokenChars appends the character offsets of each token's start and end,
// counting from the sentence at byte bs, character start, of text.
func tokenChars(out []int, text string, bs, start int, toks []corpus.Token) []int {
	at, c := bs, start
	for _, t := range toks {
		if t.Start < at { // not in text order: count again from the sentence's start
			at, c = bs, start
		}
		c += utf8.RuneCountInString(text[at:t.Start])
		s := c
		c += utf8.RuneCountInString(text[t.Start:t.End])
		at = t.End
		out = append(out, s, c)
	}
	return out
}

// SearchRequest is a search of the project.
type SearchRequest struct {
	Query    string
	Bleve    bool              // Query is a raw bleve query string, not a rule
	Matcher  *codebook.Matcher // the project's codebook, for #refs, match mode and negation cues
	Negation codebook.NegationMode
	Unit     coding.Unit // sentence or turn

	Sources     []string            // only these sources
	Speakers    []string            // only turns of these speakers (a name, or the role interviewer or participant)
	NotSpeakers []string            // no turns of these
	Attrs       map[string][]string // case attributes: every key must have one of its values
	Code        string              // only segments with a coding of this code (overlapping them)
	Coder       string              // … by this coder

	Facets []string // code, speaker, source, case, attr:NAME
	Sort   string   // document (default) or relevance
	Limit  int      // hits to return in full; 0 for all
	Width  int      // characters of context on each side of a match
}

// SearchResult is what a search found.
type SearchResult struct {
	Query      string       `json:"query"` // as understood, in canonical form
	Unit       coding.Unit  `json:"unit"`
	Total      int          `json:"total"`      // segments found
	Candidates int          `json:"candidates"` // segments the index proposed
	BySource   []FacetCount `json:"by_source"`
	Hits       []SearchHit  `json:"hits"` // the first Limit, in the order asked for
	Facets     []Facet      `json:"facets,omitempty"`
	Index      *IndexResult `json:"index,omitempty"` // when the search had to update the index first

	all []string // every hit's segment id, in order, Limit or not
}

// AllSegments returns the segment id of every hit, in the order asked
// for, however many Limit showed.
func (r *SearchResult) AllSegments() []string { return r.all }

// SearchHit is one segment a search found.
type SearchHit struct {
	Source  string         `json:"source"`
	Case    string         `json:"case"`
	Segment string         `json:"segment"` // P03:s41 or P03:t12
	Speaker string         `json:"speaker"`
	Time    *int64         `json:"time_ms,omitempty"` // the turn's start
	Start   int            `json:"start"`             // the segment's span, in characters
	End     int            `json:"end"`
	Text    string         `json:"text"`
	Matches []coding.Match `json:"matches"`
	Left    string         `json:"left"` // context before the first match, up to Width characters
	Match   string         `json:"match"`
	Right   string         `json:"right"`
	Score   float64        `json:"score"`

	sourceID  int64
	caseID    int64
	ord, turn int
	byteStart int
	byteEnd   int
}

// FacetCount is one value of a facet and its number of hits.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Facet counts the hits by one field.
type Facet struct {
	Field  string       `json:"field"`
	Values []FacetCount `json:"values"`
}

// Search finds the segments a rule (or a raw bleve query) matches, with the
// filters and facets req asks for. The index proposes candidate sentences
// and the rule's compiled matcher decides each one over the tokens stored
// at import, exactly as `qcode code` would, so a search finds the segments
// the rule would code. A missing or stale index is brought up to date first
// (res.Index says so); that needs the index free to write.
func (p *Project) Search(ctx context.Context, req SearchRequest) (*SearchResult, error) {
	if req.Unit == "" {
		req.Unit = coding.UnitSentence
	}
	if req.Unit != coding.UnitSentence && req.Unit != coding.UnitTurn {
		return nil, qcode.Errorf(qcode.EINVALID, "--unit %s: search finds sentences or turns; say sentence or turn", req.Unit)
	}
	res := &SearchResult{Unit: req.Unit, Query: req.Query, BySource: []FacetCount{}, Hits: []SearchHit{}}
	var q *codebook.Query
	if !req.Bleve {
		var err error
		if q, err = req.Matcher.Query(req.Query, req.Negation); err != nil {
			return nil, qcode.Errorf(qcode.EINVALID, "query %q: %v", req.Query, err)
		}
		res.Query = q.String()
	}
	f, err := p.searchFilters(ctx, req)
	if err != nil {
		return nil, err
	}
	ix, upd, err := p.openIndex(ctx)
	if err != nil {
		return nil, err
	}
	res.Index = upd
	defer ix.Close()
	var cands []search.Hit
	if req.Bleve {
		cands, err = ix.Raw(ctx, req.Query)
	} else {
		cands, err = ix.Candidates(ctx, q.Plan(req.Unit == coding.UnitTurn))
	}
	if err != nil {
		return nil, err
	}
	res.Candidates = len(cands)

	bySource := map[int64][]search.Hit{}
	for _, c := range cands {
		bySource[c.Source] = append(bySource[c.Source], c)
	}
	var hits []SearchHit
	err = p.readTx(ctx, func(tx *sql.Tx) error {
		s := &searcher{ctx: ctx, tx: tx, req: &req, q: q, f: f, ix: ix}
		hits, err = s.run(bySource)
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(hits, func(a, b SearchHit) int {
		if req.Sort == "relevance" {
			if c := cmp.Compare(b.Score, a.Score); c != 0 {
				return c
			}
		}
		return cmp.Or(strings.Compare(a.Source, b.Source), cmp.Compare(a.Start, b.Start))
	})
	res.Total = len(hits)
	counts := map[string]int{}
	for _, h := range hits {
		counts[h.Source]++
	}
	res.BySource = sortedCounts(counts, false)
	res.Facets = f.facets(req.Facets, hits)
	res.all = make([]string, len(hits))
	for i := range hits {
		res.all[i] = hits[i].Segment
	}
	if req.Limit > 0 && len(hits) > req.Limit {
		hits = hits[:req.Limit]
	}
	err = p.readTx(ctx, func(tx *sql.Tx) error {
		return (&searcher{ctx: ctx, tx: tx, req: &req, q: q, f: f}).fillShown(hits)
	})
	if err != nil {
		return nil, err
	}
	res.Hits = hits
	return res, nil
}

// openIndex opens the index to read, bringing it up to date first when it
// is missing or stale.
func (p *Project) openIndex(ctx context.Context) (*search.Index, *IndexResult, error) {
	want, err := p.sourceStamps(ctx)
	if err != nil {
		return nil, nil, err
	}
	ix, err := search.Open(p.indexPath(), false)
	if err == nil {
		have, err := ix.Sources()
		if err == nil && maps.Equal(have, want) {
			return ix, nil, nil
		}
		ix.Close()
	} else if !errors.Is(err, search.ErrMissing) {
		return nil, nil, err
	}
	upd, err := p.updateIndex(ctx, want, false)
	if err != nil {
		return nil, nil, err
	}
	ix, err = search.Open(p.indexPath(), false)
	return ix, &upd, err
}

// searchFilters is what a search's filters and facets need from the
// store, read once.
type searchFilters struct {
	sources  map[int64]bool // nil for all
	speakers map[string]bool
	notSpk   map[string]bool
	roles    map[string]bool // interviewer, participant
	notRoles map[string]bool
	cases    map[int64][]corpus.Attribute
	codings  map[int64][]coding.Coding
	attrs    map[string][]string
	code     string
	coder    string
}

func (p *Project) searchFilters(ctx context.Context, req SearchRequest) (*searchFilters, error) {
	f := &searchFilters{codings: map[int64][]coding.Coding{}, attrs: req.Attrs, code: req.Code, coder: req.Coder}
	if len(req.Sources) > 0 {
		f.sources = map[int64]bool{}
		cache := newSourceCache(ctx, p.db)
		for _, name := range req.Sources {
			s, err := cache.get(name)
			if err != nil {
				return nil, err
			}
			f.sources[s.id] = true
		}
	}
	if len(req.Speakers)+len(req.NotSpeakers) > 0 {
		var names []string
		rows, err := p.db.QueryContext(ctx, `SELECT name FROM speakers ORDER BY name`)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return nil, err
			}
			names = append(names, n)
		}
		rows.Close()
		for _, set := range []struct {
			flag  string
			vals  []string
			names *map[string]bool
			roles *map[string]bool
		}{{"--speaker", req.Speakers, &f.speakers, &f.roles}, {"--speaker-not", req.NotSpeakers, &f.notSpk, &f.notRoles}} {
			for _, v := range set.vals {
				switch {
				case v == coding.RoleInterviewer || v == coding.RoleParticipant:
					setAdd(set.roles, v)
				case slices.Contains(names, v):
					setAdd(set.names, v)
				default:
					return nil, qcode.Errorf(qcode.ENOTFOUND, "%s %s: no such speaker%s; say a speaker's name (see 'qcode speakers list') or the role interviewer or participant",
						set.flag, v, qcode.DidYouMean(v, append(names, coding.RoleInterviewer, coding.RoleParticipant)))
				}
			}
		}
	}
	var err error
	if f.cases, err = p.attributesByCase(ctx); err != nil {
		return nil, err
	}
	// Every attribute's values among the cases, for hints.
	values := map[string][]string{}
	for _, as := range f.cases {
		for _, a := range as {
			if !slices.Contains(values[a.Name], a.Value) {
				values[a.Name] = append(values[a.Name], a.Value)
			}
		}
	}
	if len(req.Attrs) > 0 {
		for key, vals := range req.Attrs {
			have, ok := values[key]
			if !ok {
				return nil, qcode.Errorf(qcode.ENOTFOUND, "--attr %s: no case has the attribute %s%s (see 'qcode attributes list')", key, key, qcode.DidYouMean(key, slices.Sorted(maps.Keys(values))))
			}
			for _, v := range vals {
				if !slices.Contains(have, v) {
					return nil, qcode.Errorf(qcode.ENOTFOUND, "--attr %s=%s: no case has %s %s%s; it takes %s", key, v, key, v, qcode.DidYouMean(v, have), strings.Join(slices.Sorted(slices.Values(have)), ", "))
				}
			}
		}
	}
	for _, field := range req.Facets {
		switch {
		case field == "code" || field == "speaker" || field == "source" || field == "case":
		case strings.HasPrefix(field, "attr:"):
			if name := strings.TrimPrefix(field, "attr:"); values[name] == nil {
				return nil, qcode.Errorf(qcode.ENOTFOUND, "--facet %s: no case has the attribute %s%s (see 'qcode attributes list')", field, name, qcode.DidYouMean(name, slices.Sorted(maps.Keys(values))))
			}
		default:
			return nil, qcode.Errorf(qcode.EINVALID, "--facet %s: cannot count by that%s; say code, speaker, source, case or attr:NAME", field, qcode.DidYouMean(field, []string{"code", "speaker", "source", "case"}))
		}
	}
	if req.Code != "" || req.Coder != "" {
		codes, coders, err := p.CodingNames(ctx)
		if err != nil {
			return nil, err
		}
		if req.Code != "" && !slices.Contains(codes, req.Code) {
			var book []string
			if req.Matcher != nil {
				book = req.Matcher.CodeIDs()
			}
			if !slices.Contains(book, req.Code) {
				return nil, qcode.Errorf(qcode.ENOTFOUND, "--code %s: no such code%s (see 'qcode codebook show')", req.Code, qcode.DidYouMean(req.Code, append(codes, book...)))
			}
		}
		if req.Coder != "" && !slices.Contains(coders, req.Coder) {
			return nil, qcode.Errorf(qcode.ENOTFOUND, "--coder %s: no codings by %s%s", req.Coder, req.Coder, qcode.DidYouMean(req.Coder, coders))
		}
	}
	return f, nil
}

func setAdd(m *map[string]bool, v string) {
	if *m == nil {
		*m = map[string]bool{}
	}
	(*m)[v] = true
}

// speakerOK reports whether a turn's speaker passes the speaker filters.
func (f *searchFilters) speakerOK(name, role string) bool {
	r := coding.RoleParticipant
	if coding.IsInterviewer(name, role) {
		r = coding.RoleInterviewer
	}
	if f.notSpk[name] || f.notRoles[r] {
		return false
	}
	if f.speakers == nil && f.roles == nil {
		return true
	}
	return f.speakers[name] || f.roles[r]
}

// caseOK reports whether a case passes the attribute filters.
func (f *searchFilters) caseOK(caseID int64) bool {
	for key, vals := range f.attrs {
		ok := false
		for _, a := range f.cases[caseID] {
			if a.Name == key && slices.Contains(vals, a.Value) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// searcher decides the candidates of one search, source by source.
type searcher struct {
	ctx    context.Context
	tx     *sql.Tx
	req    *SearchRequest
	q      *codebook.Query
	f      *searchFilters
	ix     *search.Index
	raw    []string
	sent   []int32
	tokens []search.Token

	speakers map[int64][2]string // id → name, role
}

type searchTurn struct {
	speaker, role string
	time          *int64
	start, end    int
	bs, be        int
}

// run decides the candidates, found in the sources of bySource, and
// returns the hits. It reads the candidates' sentences from the files
// kept beside the index, and the store only for what filters need.
func (s *searcher) run(bySource map[int64][]search.Hit) ([]SearchHit, error) {
	f := s.f
	type meta struct {
		name, caseName string
		caseID         int64
	}
	metas := map[int64]meta{}
	rows, err := s.tx.QueryContext(s.ctx, `SELECT s.id, s.name, s.case_id, c.name FROM sources s JOIN cases c ON c.id = s.case_id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var m meta
		if err := rows.Scan(&id, &m.name, &m.caseID, &m.caseName); err != nil {
			rows.Close()
			return nil, err
		}
		metas[id] = m
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var hits []SearchHit
	for id, cs := range bySource {
		m, ok := metas[id]
		if !ok || f.sources != nil && !f.sources[id] || !f.caseOK(m.caseID) {
			continue // imported again since the index was read, or filtered out
		}
		n0 := len(hits)
		if hits, err = s.source(id, cs, hits); err != nil {
			return nil, err
		}
		for i := n0; i < len(hits); i++ {
			h := &hits[i]
			h.Source, h.Case, h.sourceID, h.caseID = m.name, m.caseName, id, m.caseID
			h.Segment = coding.Ref{Source: m.name, Unit: s.req.Unit, Ord: h.ord}.String()
		}
	}
	if s.needTurns() {
		if hits, err = s.speakerFilter(hits); err != nil {
			return nil, err
		}
	}
	if f.code != "" || f.coder != "" || slices.Contains(s.req.Facets, "code") {
		kept := hits[:0]
		for _, h := range hits {
			cods, ok := f.codings[h.sourceID]
			if !ok {
				if cods, err = s.codings(h.sourceID, h.Source); err != nil {
					return nil, err
				}
				f.codings[h.sourceID] = cods
			}
			if s.codedOK(cods, h.Start, h.End) {
				kept = append(kept, h)
			}
		}
		hits = kept
	}
	return hits, nil
}

// source decides the candidates of one source, from its sentence file.
func (s *searcher) source(id int64, cs []search.Hit, hits []SearchHit) ([]SearchHit, error) {
	sf, err := s.ix.Sentences(id)
	if err != nil {
		return hits, err
	}
	defer sf.Close()
	// Sentences are numbered from 1, so sentence ord is record ord−1
	// (checked as each is read).
	score := map[int]float64{}
	idx := make([]int, 0, len(cs))
	for _, c := range cs {
		if c.Ord < 1 || c.Ord > sf.Len() {
			return hits, qcode.Errorf(qcode.EINTERNAL, "the search index's sentences of source %d lack sentence %d; rebuild it with 'qcode index --rebuild'", id, c.Ord)
		}
		idx = append(idx, c.Ord-1)
		score[c.Ord-1] = c.Score
	}
	if len(cs) >= 8 || s.req.Unit == coding.UnitTurn {
		if err := sf.Load(); err != nil {
			return hits, err
		}
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	read := func(i int) (search.Sentence, error) {
		var x search.Sentence
		err := sf.At(i, &x)
		if err == nil && x.Ord != i+1 {
			err = fmt.Errorf("sentence %d is not numbered %d", x.Ord, i+1)
		}
		if err != nil {
			return x, qcode.Errorf(qcode.EINTERNAL, "the search index's sentences of source %d: %v; rebuild it with 'qcode index --rebuild'", id, err)
		}
		return x, nil
	}
	var group []search.Sentence
	done := -1 // the last sentence decided, for turns
	for _, i := range idx {
		if i <= done {
			continue
		}
		x, err := read(i)
		if err != nil {
			return hits, err
		}
		group = append(group[:0], x)
		best := score[i]
		if s.req.Unit == coding.UnitTurn { // every sentence of the turn
			a, b := i, i
			for a > 0 {
				y, err := read(a - 1)
				if err != nil {
					return hits, err
				}
				if y.Turn != x.Turn {
					break
				}
				group = append([]search.Sentence{y}, group...)
				a--
			}
			for b+1 < sf.Len() {
				y, err := read(b + 1)
				if err != nil {
					return hits, err
				}
				if y.Turn != x.Turn {
					break
				}
				group = append(group, y)
				b++
			}
			for k := a; k <= b; k++ {
				best = max(best, score[k])
			}
			done = b
		}
		if h, ok := s.decide(group); ok {
			h.Score = best
			hits = append(hits, h)
		}
	}
	return hits, nil
}

// speakerFilter gives every hit its turn (its span, for unit turn) and
// speaker, and keeps those whose speaker passes the filters.
func (s *searcher) speakerFilter(hits []SearchHit) ([]SearchHit, error) {
	keys := make([][2]int64, len(hits))
	for i, h := range hits {
		keys[i] = [2]int64{h.sourceID, int64(h.turn)}
	}
	turns, err := s.turns(keys)
	if err != nil {
		return nil, err
	}
	kept := hits[:0]
	for i, h := range hits {
		t, ok := turns[keys[i]]
		if !ok {
			return nil, qcode.Errorf(qcode.EINTERNAL, "%s is in no turn; the store is damaged", h.Segment)
		}
		if !s.f.speakerOK(t.speaker, t.role) {
			continue
		}
		h.Speaker, h.Time = t.speaker, t.time
		if s.req.Unit == coding.UnitTurn {
			h.Start, h.End, h.byteStart, h.byteEnd = t.start, t.end, t.bs, t.be
		}
		kept = append(kept, h)
	}
	return kept, nil
}

// needTurns reports whether every candidate needs its turn: for its span
// (unit turn) or its speaker (a speaker filter or facet).
func (s *searcher) needTurns() bool {
	f := s.f
	return s.req.Unit == coding.UnitTurn || f.speakers != nil || f.roles != nil || f.notSpk != nil || f.notRoles != nil ||
		slices.Contains(s.req.Facets, "speaker")
}

// fillShown gives the hits to be shown their speakers and times (when run
// did not), their texts and their context.
func (s *searcher) fillShown(hits []SearchHit) error {
	if len(hits) == 0 {
		return nil
	}
	if !s.needTurns() {
		keys := make([][2]int64, len(hits))
		for i, h := range hits {
			keys[i] = [2]int64{h.sourceID, int64(h.turn)}
		}
		turns, err := s.turns(keys)
		if err != nil {
			return err
		}
		for i := range hits {
			t, ok := turns[keys[i]]
			if !ok {
				return qcode.Errorf(qcode.EINTERNAL, "%s is in no turn; the store is damaged", hits[i].Segment)
			}
			hits[i].Speaker, hits[i].Time = t.speaker, t.time
		}
	}
	st, err := s.tx.PrepareContext(s.ctx, `SELECT text FROM sources WHERE id = ?`)
	if err != nil {
		return err
	}
	defer st.Close()
	texts := map[int64]string{}
	for i := range hits {
		h := &hits[i]
		text, ok := texts[h.sourceID]
		if !ok {
			if err := st.QueryRowContext(s.ctx, h.sourceID).Scan(&text); err != nil {
				return err
			}
			texts[h.sourceID] = text
		}
		if h.byteStart < 0 || h.byteEnd > len(text) || h.byteStart > h.byteEnd {
			return qcode.Errorf(qcode.EINTERNAL, "%s does not fit its source's text; rebuild the index with 'qcode index --rebuild'", h.Segment)
		}
		h.Text = text[h.byteStart:h.byteEnd]
		h.kwic(text, s.req.Width)
	}
	return nil
}

// pairsJSON writes pairs of numbers as a JSON array of arrays, for
// json_each.
func pairsJSON(keys [][2]int64) string {
	b := make([]byte, 0, 16*len(keys))
	b = append(b, '[')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, k[0], 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, k[1], 10)
		b = append(b, ']')
	}
	return string(append(b, ']'))
}

// turns reads the turns named by keys (source id, turn), with their
// speakers.
func (s *searcher) turns(keys [][2]int64) (map[[2]int64]searchTurn, error) {
	if s.speakers == nil {
		s.speakers = map[int64][2]string{}
		rows, err := s.tx.QueryContext(s.ctx, `SELECT id, name, role FROM speakers`)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var name, role string
			if err := rows.Scan(&id, &name, &role); err != nil {
				rows.Close()
				return nil, err
			}
			s.speakers[id] = [2]string{name, role}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	// Speakers are looked up in Go: joined in SQL, the planner walks
	// speakers first and scans the turns of each.
	rows, err := s.tx.QueryContext(s.ctx, `SELECT t.source_id, t.ord, t.start, t.end, t.byte_start, t.byte_end, t.time_start, t.speaker_id
		FROM json_each(?) j JOIN turns t ON t.source_id = j.value->>0 AND t.ord = j.value->>1`, pairsJSON(keys))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[[2]int64]searchTurn{}
	for rows.Next() {
		var ord [2]int64
		var t searchTurn
		var ts sql.NullInt64
		var spk int64
		if err := rows.Scan(&ord[0], &ord[1], &t.start, &t.end, &t.bs, &t.be, &ts, &spk); err != nil {
			return nil, err
		}
		if ts.Valid {
			t.time = &ts.Int64
		}
		k := s.speakers[spk]
		t.speaker, t.role = k[0], k[1]
		out[ord] = t
	}
	return out, rows.Err()
}

// codings reads the codings of a source, of the code and coder asked for
// when facets do not need them all.
func (s *searcher) codings(id int64, name string) ([]coding.Coding, error) {
	src := runSource{id, name}
	filter := CodingFilter{}
	if !slices.Contains(s.req.Facets, "code") {
		filter.Code, filter.Coder = s.f.code, s.f.coder
	}
	var out []coding.Coding
	var err error
	if filter.Coder != coding.RulesCoder {
		if out, err = peopleCodings(s.ctx, s.tx, src, filter, out); err != nil {
			return nil, err
		}
	}
	if filter.Coder == "" || filter.Coder == coding.RulesCoder {
		out, err = rulesCodings(s.ctx, s.tx, src, filter.Code, out)
	}
	return out, err
}

// codedOK reports whether the span [start, end) passes the --code and
// --coder filters: a coding of theirs overlaps it.
func (s *searcher) codedOK(cods []coding.Coding, start, end int) bool {
	if s.f.code == "" && s.f.coder == "" {
		return true
	}
	for i := range cods {
		c := &cods[i]
		if c.Start < end && start < c.End && (s.f.code == "" || c.Code == s.f.code) && (s.f.coder == "" || c.Coder == s.f.coder) {
			return true
		}
	}
	return false
}

// decide runs the query over one segment (a sentence, or a turn's
// sentences) and makes its hit.
func (s *searcher) decide(sents []search.Sentence) (SearchHit, bool) {
	first, last := sents[0], sents[len(sents)-1]
	h := SearchHit{ord: first.Ord, turn: first.Turn, Start: first.Start, End: last.End, byteStart: first.ByteStart, byteEnd: last.ByteEnd}
	if s.req.Unit == coding.UnitTurn {
		h.ord = first.Turn
	}
	if s.q == nil { // a raw bleve query: every candidate is a hit, the whole sentence its match
		h.Matches = []coding.Match{}
		return h, true
	}
	s.raw, s.sent, s.tokens = s.raw[:0], s.sent[:0], s.tokens[:0]
	for k, x := range sents {
		for _, t := range x.Tokens {
			s.raw = append(s.raw, t.Text)
			s.sent = append(s.sent, int32(k))
			s.tokens = append(s.tokens, t)
		}
	}
	u := codebook.Unit{Tokens: s.raw}
	if s.req.Unit == coding.UnitTurn {
		u.Sentence = s.sent
	}
	ms := s.q.Match(u)
	if len(ms) == 0 {
		return h, false
	}
	h.Matches = make([]coding.Match, len(ms))
	for i, m := range ms {
		cm := coding.Match{Negated: m.Negated, Tokens: make([]coding.MatchedToken, len(m.Tokens))}
		for j, k := range m.Tokens {
			t := s.tokens[k]
			cm.Tokens[j] = coding.MatchedToken{Start: t.Start, End: t.End, Text: t.Text}
		}
		h.Matches[i] = cm
	}
	return h, true
}

// kwic fills the hit's context: the first match (or, with none, the whole
// segment) and up to width characters on each side of it from the
// source's text, cut at word boundaries, on one line.
func (h *SearchHit) kwic(text string, width int) {
	ms, me := h.byteStart, h.byteEnd
	if len(h.Matches) > 0 && len(h.Matches[0].Tokens) > 0 {
		toks := h.Matches[0].Tokens
		ms = byteAt(text, h.byteStart, h.Start, toks[0].Start)
		me = byteAt(text, ms, toks[0].Start, toks[len(toks)-1].End)
	}
	h.Match = oneLine(text[ms:me])
	h.Left = oneLine(leftContext(text[:ms], width))
	h.Right = oneLine(rightContext(text[me:], width))
}

// byteAt returns the byte offset of character offset char, counting from
// byte from, which is at character at.
func byteAt(text string, from, at, char int) int {
	for from < len(text) && at < char {
		_, n := utf8.DecodeRuneInString(text[from:])
		from += n
		at++
	}
	return from
}

// leftContext returns the last width characters of s, starting at a word.
func leftContext(s string, width int) string {
	if width <= 0 {
		return ""
	}
	i, n := len(s), 0
	for i > 0 && n < width {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
		n++
	}
	if i > 0 { // cut inside a word: start after it
		if j := strings.IndexAny(s[i:], " \n\t"); j >= 0 && !isSpaceByte(s[i-1]) {
			i += j
		}
	}
	return strings.TrimLeft(s[i:], " \n\t")
}

// rightContext returns the first width characters of s, ending at a word.
func rightContext(s string, width int) string {
	if width <= 0 {
		return ""
	}
	i, n := 0, 0
	for i < len(s) && n < width {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	if i < len(s) && !isSpaceByte(s[i]) {
		if j := strings.LastIndexAny(s[:i], " \n\t"); j >= 0 {
			i = j
		}
	}
	return strings.TrimRight(s[:i], " \n\t")
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\n' || c == '\t' }

// oneLine puts s on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// facets counts the hits by each field asked for.
func (f *searchFilters) facets(fields []string, hits []SearchHit) []Facet {
	var out []Facet
	for _, field := range fields {
		counts := map[string]int{}
		for i := range hits {
			h := &hits[i]
			switch {
			case field == "speaker":
				counts[h.Speaker]++
			case field == "source":
				counts[h.Source]++
			case field == "case":
				counts[h.Case]++
			case field == "code":
				seen := map[string]bool{}
				for _, c := range f.codings[h.sourceID] {
					if c.Start < h.End && h.Start < c.End && !seen[c.Code] {
						seen[c.Code] = true
						counts[c.Code]++
					}
				}
			case strings.HasPrefix(field, "attr:"):
				name := strings.TrimPrefix(field, "attr:")
				v := "(none)"
				for _, a := range f.cases[h.caseID] {
					if a.Name == name {
						v = a.Value
					}
				}
				counts[v]++
			}
		}
		out = append(out, Facet{Field: field, Values: sortedCounts(counts, true)})
	}
	return out
}

// sortedCounts returns counts by value, or by count (highest first) with
// byCount.
func sortedCounts(counts map[string]int, byCount bool) []FacetCount {
	out := make([]FacetCount, 0, len(counts))
	for v, n := range counts {
		out = append(out, FacetCount{v, n})
	}
	slices.SortFunc(out, func(a, b FacetCount) int {
		if byCount && a.Count != b.Count {
			return cmp.Compare(b.Count, a.Count)
		}
		return strings.Compare(a.Value, b.Value)
	})
	return out
}
