package project

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
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
	Reason  string `json:"reason,omitempty"` // why it was rebuilt or updated: "missing", "out of date", "asked", "made by another version of qcode"
	Added   int    `json:"added"`            // sources indexed
	Removed int    `json:"removed"`          // sources taken out
	Docs    int    `json:"documents"`        // sentences indexed
	Bytes   int64  `json:"bytes"`            // the index's size on disk
}

// Changed reports whether the index was changed.
func (r IndexResult) Changed() bool { return r.Added > 0 || r.Removed > 0 || r.Reason == "asked" }

func (p *Project) indexPath() string { return filepath.Join(p.Dir, Dirname, IndexDir) }

// sourceStamps returns every source's id and a stamp that changes whenever
// its text is imported again, and a digest of them all: one string, read
// with one row, that a search compares before anything else.
func (p *Project) sourceStamps(ctx context.Context) (map[int64]string, string, error) {
	var digest string
	err := p.db.QueryRowContext(ctx, `SELECT coalesce(group_concat(id || ' ' || hash || ' ' || imported_at || ' ' || sentences, ';'), '')
		FROM (SELECT id, hash, imported_at, sentences FROM sources ORDER BY id)`).Scan(&digest)
	if err != nil {
		return nil, "", err
	}
	out := map[int64]string{}
	for _, row := range strings.Split(digest, ";") {
		if row == "" {
			continue
		}
		id, stamp, _ := strings.Cut(row, " ")
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || strings.Count(stamp, " ") != 2 {
			return nil, "", qcode.Errorf(qcode.EINTERNAL, "source %q has a hash or import time with a space or semicolon; the store is damaged", id)
		}
		out[n] = stamp
	}
	return out, digest, nil
}

// UpdateIndex brings the search index up to date with the store: it takes
// out the sources that are gone or were imported again and indexes those it
// lacks, or with rebuild makes the index anew. It makes the index when
// there is none. The store is the truth; the index can always be made
// again from it.
func (p *Project) UpdateIndex(ctx context.Context, rebuild bool) (IndexResult, error) {
	p.searchMu.Lock()
	defer p.searchMu.Unlock()
	if err := p.dropIndex(); err != nil {
		return IndexResult{}, err
	}
	want, _, err := p.sourceStamps(ctx)
	if err != nil {
		return IndexResult{}, err
	}
	return p.updateIndex(ctx, want, rebuild)
}

// updateIndex brings the index up to date with want, the store's source
// stamps. Call it with searchMu held and no index held.
func (p *Project) updateIndex(ctx context.Context, want map[int64]string, rebuild bool) (IndexResult, error) {
	var res IndexResult
	var ix *search.Index
	var err error
	if !rebuild {
		ix, err = search.Open(p.indexPath(), true)
		switch {
		case errors.Is(err, search.ErrMissing):
			res.Reason = "missing"
		case errors.Is(err, search.ErrFormat):
			res.Reason = "made by another version of qcode"
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
	var turns []search.Turn
	for _, id := range ids {
		if turns, docs, err = p.indexDocs(ctx, id, turns[:0], docs[:0]); err != nil {
			return res, err
		}
		if err := ix.Add(ctx, id, turns, docs); err != nil {
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
		if err := ix.Commit(have); err != nil {
			return res, err
		}
		if err := ix.Compact(ctx); err != nil {
			return res, err
		}
	}
	res.Bytes, err = ix.Size()
	return res, err
}

// indexDocs appends a source's turns and sentences, as the index takes
// them.
func (p *Project) indexDocs(ctx context.Context, id int64, turns []search.Turn, docs []search.Doc) ([]search.Turn, []search.Doc, error) {
	var text string
	if err := p.db.QueryRowContext(ctx, `SELECT text FROM sources WHERE id = ?`, id).Scan(&text); err != nil {
		return turns, docs, err
	}
	trows, err := p.db.QueryContext(ctx, `SELECT ord, speaker_id, start, end, byte_start, byte_end, time_start FROM turns WHERE source_id = ? ORDER BY ord`, id)
	if err != nil {
		return turns, docs, err
	}
	for trows.Next() {
		var t search.Turn
		var ts sql.NullInt64
		if err := trows.Scan(&t.Ord, &t.Speaker, &t.Start, &t.End, &t.ByteStart, &t.ByteEnd, &ts); err != nil {
			trows.Close()
			return turns, docs, err
		}
		t.Time, t.HasTime = ts.Int64, ts.Valid
		turns = append(turns, t)
	}
	trows.Close()
	if err := trows.Err(); err != nil {
		return turns, docs, err
	}
	rows, err := p.db.QueryContext(ctx, `SELECT ord, turn, start, end, byte_start, byte_end, tokens FROM segments WHERE source_id = ? AND kind = 'sentence' ORDER BY ord`, id)
	if err != nil {
		return turns, docs, err
	}
	defer rows.Close()
	var toks []corpus.Token
	var chars []int
	for rows.Next() {
		var ord, turn, start, end, bs, be int
		var blob sql.RawBytes
		if err := rows.Scan(&ord, &turn, &start, &end, &bs, &be, &blob); err != nil {
			return turns, docs, err
		}
		if bs < 0 || be > len(text) || bs > be {
			return turns, docs, qcode.Errorf(qcode.EINTERNAL, "source %d: sentence %d is out of place; the store is damaged", id, ord)
		}
		if toks, err = DecodeTokens(toks[:0], text, bs, blob); err != nil {
			return turns, docs, qcode.Errorf(qcode.EINTERNAL, "source %d: sentence %d: %v", id, ord, err)
		}
		d := search.Doc{Text: text[bs:be], Sentence: search.Sentence{Ord: ord, Turn: turn, Start: start, End: end, ByteStart: bs, ByteEnd: be}}
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
	return turns, docs, rows.Err()
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

	all     []found      // every hit, in order, Limit or not
	sources []sourceMeta // by rank
}

// AllSegments returns the segment id of every hit, in the order asked
// for, however many Limit showed.
func (r *SearchResult) AllSegments() []string {
	out := make([]string, len(r.all))
	for i, h := range r.all {
		out[i] = coding.Ref{Source: r.sources[h.rank].name, Unit: r.Unit, Ord: h.ord}.String()
	}
	return out
}

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
	Score   float64        `json:"score,omitempty"` // the index's, with Sort "relevance"
}

// found is a hit as a search decides and counts it; the few shown are
// made SearchHits.
type found struct {
	source             int64
	speaker            int64 // the turn's
	score              float64
	time               int64 // the turn's start, when hasTime
	rank               int   // the source's place by name (searcher.metas)
	ord, turn          int   // ord is the segment's: a sentence's or, for unit turn, the turn's
	start, end         int   // characters
	byteStart, byteEnd int
	hasTime            bool
}

// sourceMeta is a source's name and case.
type sourceMeta struct {
	name, caseName string
	caseID         int64
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
	p.searchMu.Lock()
	defer p.searchMu.Unlock()
	held, upd, err := p.openIndex(ctx)
	if err != nil {
		return nil, err
	}
	res.Index = upd
	ix := held.ix
	var cands []search.Hit
	if req.Bleve {
		cands, err = ix.Raw(ctx, req.Query, req.Sort == "relevance")
	} else {
		cands, err = ix.Candidates(ctx, q.Plan(req.Unit == coding.UnitTurn), req.Sort == "relevance")
	}
	if err != nil {
		return nil, err
	}
	res.Candidates = len(cands)
	sf := held.sf
	err = p.readTx(ctx, func(tx *sql.Tx) error {
		s := &searcher{ctx: ctx, tx: tx, req: &req, q: q, f: f, sf: sf, blocks: map[int64]*search.Block{}}
		hits, err := s.run(cands)
		if err != nil {
			return err
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
		res.Hits, err = s.show(shown)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// heldIndex is the search index and its sentence file, open to read, with
// a digest of the source stamps it was found to hold. A project keeps them open from
// one search to the next, as a search engine keeps its searcher: opening
// them costs more than a search of a few hundred hits. Each search checks
// the stamps against the store first.
type heldIndex struct {
	ix     *search.Index
	sf     *search.SentenceFile
	digest string      // of the stamps (sourcesDigest)
	file   os.FileInfo // the sentence file's, to tell when the index is made anew
}

// dropIndex closes the index held open for searches, if any. Call it with
// searchMu held.
func (p *Project) dropIndex() error {
	h := p.held
	if h == nil {
		return nil
	}
	p.held = nil
	err := h.sf.Close()
	if cerr := h.ix.Close(); err == nil {
		err = cerr
	}
	return err
}

// CloseIndex closes the search index if the project holds it open from a
// search, so that another process may write it; the next search opens it
// again.
func (p *Project) CloseIndex() error {
	p.searchMu.Lock()
	defer p.searchMu.Unlock()
	return p.dropIndex()
}

// openIndex returns the index open to read, bringing it up to date first
// when it is missing or stale. Call it with searchMu held.
func (p *Project) openIndex(ctx context.Context) (*heldIndex, *IndexResult, error) {
	want, digest, err := p.sourceStamps(ctx)
	if err != nil {
		return nil, nil, err
	}
	if p.held != nil && p.held.digest == digest {
		// Every change to the index writes a new sentence file.
		if fi, err := os.Stat(p.held.ix.SentencesPath()); err == nil && os.SameFile(fi, p.held.file) {
			return p.held, nil, nil
		}
	}
	if err := p.dropIndex(); err != nil {
		return nil, nil, err
	}
	var upd *IndexResult
	ix, err := search.Open(p.indexPath(), false)
	if err == nil {
		have, err := ix.Sources()
		if err != nil || !maps.Equal(have, want) {
			ix.Close()
			ix = nil
		}
	} else if !errors.Is(err, search.ErrMissing) && !errors.Is(err, search.ErrFormat) {
		return nil, nil, err
	}
	if ix == nil {
		res, err := p.updateIndex(ctx, want, false)
		if err != nil {
			return nil, nil, err
		}
		upd = &res
		if ix, err = search.Open(p.indexPath(), false); err != nil {
			return nil, nil, err
		}
	}
	fi, err := os.Stat(ix.SentencesPath())
	var sf *search.SentenceFile
	if err == nil {
		sf, err = ix.OpenSentences()
	}
	if err != nil {
		ix.Close()
		return nil, nil, err
	}
	p.held = &heldIndex{ix: ix, sf: sf, digest: digest, file: fi}
	return p.held, upd, nil
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
	attrs    map[string][]string
	code     string
	coder    string
}

func (p *Project) searchFilters(ctx context.Context, req SearchRequest) (*searchFilters, error) {
	f := &searchFilters{attrs: req.Attrs, code: req.Code, coder: req.Coder}
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
					return nil, &qcode.Error{Code: qcode.ENOTFOUND, Value: v, Near: append(names, coding.RoleInterviewer, coding.RoleParticipant),
						Message: fmt.Sprintf("%s %s: no such speaker; say a speaker's name (see 'qcode speakers list') or the role interviewer or participant", set.flag, v)}
				}
			}
		}
	}
	needAttrs := len(req.Attrs) > 0
	for _, field := range req.Facets {
		needAttrs = needAttrs || !slices.Contains([]string{"code", "speaker", "source", "case"}, field)
	}
	if !needAttrs {
		return f, p.checkCodeFilters(ctx, req)
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
				return nil, &qcode.Error{Code: qcode.ENOTFOUND, Value: key, Near: slices.Sorted(maps.Keys(values)),
					Message: fmt.Sprintf("--attr %s: no case has the attribute %s (see 'qcode attributes list')", key, key)}
			}
			for _, v := range vals {
				if !slices.Contains(have, v) {
					return nil, &qcode.Error{Code: qcode.ENOTFOUND, Value: v, Near: have,
						Message: fmt.Sprintf("--attr %s=%s: no case has %s %s; it takes %s", key, v, key, v, strings.Join(slices.Sorted(slices.Values(have)), ", "))}
				}
			}
		}
	}
	for _, field := range req.Facets {
		switch {
		case field == "code" || field == "speaker" || field == "source" || field == "case":
		case strings.HasPrefix(field, "attr:"):
			if name := strings.TrimPrefix(field, "attr:"); values[name] == nil {
				return nil, &qcode.Error{Code: qcode.ENOTFOUND, Value: name, Near: slices.Sorted(maps.Keys(values)),
					Message: fmt.Sprintf("--facet %s: no case has the attribute %s (see 'qcode attributes list')", field, name)}
			}
		default:
			return nil, &qcode.Error{Code: qcode.EINVALID, Value: field, Near: []string{"code", "speaker", "source", "case"},
				Message: fmt.Sprintf("--facet %s: cannot count by that; say code, speaker, source, case or attr:NAME", field)}
		}
	}
	return f, p.checkCodeFilters(ctx, req)
}

// checkCodeFilters checks that the code and coder of --code and --coder
// are known.
func (p *Project) checkCodeFilters(ctx context.Context, req SearchRequest) error {
	if req.Code != "" || req.Coder != "" {
		codes, coders, err := p.CodingNames(ctx)
		if err != nil {
			return err
		}
		if req.Code != "" && !slices.Contains(codes, req.Code) {
			var book []string
			if req.Matcher != nil {
				book = req.Matcher.CodeIDs()
			}
			if !slices.Contains(book, req.Code) {
				return &qcode.Error{Code: qcode.ENOTFOUND, Value: req.Code, Near: append(codes, book...),
					Message: fmt.Sprintf("--code %s: no such code (see 'qcode codebook show')", req.Code)}
			}
		}
		if req.Coder != "" && !slices.Contains(coders, req.Coder) {
			if len(coders) == 0 {
				return qcode.Errorf(qcode.ENOTFOUND, "--coder %s: the project has no codings yet (see 'qcode code' and 'qcode coding import')", req.Coder)
			}
			return &qcode.Error{Code: qcode.ENOTFOUND, Value: req.Coder, Near: coders,
				Message: fmt.Sprintf("--coder %s: no codings by %s (the coders are %s)", req.Coder, req.Coder, strings.Join(coders, ", "))}
		}
	}
	return nil
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

// searcher decides the candidates of one search, source by source, from
// the sentence file, and reads the store only for what it shows and what
// the code filters and facets need.
type searcher struct {
	ctx    context.Context
	tx     *sql.Tx
	req    *SearchRequest
	q      *codebook.Query
	f      *searchFilters
	sf     *search.SentenceFile
	blocks map[int64]*search.Block

	group  []search.Sentence // the segment being decided
	raw    []string
	ids    []int32
	sent   []int32
	tokens []search.Token

	speakers map[int64][2]string // id → name, role
	metas    []sourceMeta        // every source, by name
	spans    map[int64]*sourceSpans
}

// sourceSpans are a source's codings, by start, and the longest one's
// length, so that those overlapping a span are found without reading all.
type sourceSpans struct {
	list   []codedSpan
	maxLen int
}

// overlapping calls fn with each coding that overlaps [start, end) until
// fn returns false.
func (ss *sourceSpans) overlapping(start, end int, fn func(*codedSpan) bool) {
	if ss == nil {
		return
	}
	from, _ := slices.BinarySearchFunc(ss.list, start-ss.maxLen, func(c codedSpan, at int) int { return cmp.Compare(c.start, at) })
	for i := from; i < len(ss.list) && ss.list[i].start < end; i++ {
		if c := &ss.list[i]; start < c.end && !fn(c) {
			return
		}
	}
}

// codedSpan is a coding as the --code filter and the code facet need it.
type codedSpan struct {
	start, end  int
	code, coder string
}

// run decides the candidates and returns the hits, with their speakers.
func (s *searcher) run(cands []search.Hit) ([]found, error) {
	f := s.f
	rank := map[int64]int{}
	rows, err := s.tx.QueryContext(s.ctx, `SELECT s.id, s.name, s.case_id, c.name FROM sources s JOIN cases c ON c.id = s.case_id ORDER BY s.name`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var m sourceMeta
		if err := rows.Scan(&id, &m.name, &m.caseID, &m.caseName); err != nil {
			rows.Close()
			return nil, err
		}
		rank[id] = len(s.metas)
		s.metas = append(s.metas, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.loadSpeakers(); err != nil {
		return nil, err
	}
	// The candidates of each source, of the sources the filters keep, in
	// order: the index gives them in its own.
	slot := map[int64]int{}
	var groups [][]search.Hit
	for _, c := range cands {
		i, ok := slot[c.Source]
		if !ok {
			i = -1
			if r, ok := rank[c.Source]; ok && (f.sources == nil || f.sources[c.Source]) && f.caseOK(s.metas[r].caseID) {
				i = len(groups)
				groups = append(groups, nil)
			} // else imported again since the index was read, or filtered out
			slot[c.Source] = i
		}
		if i >= 0 {
			groups[i] = append(groups[i], c)
		}
	}
	slices.SortFunc(groups, func(a, b []search.Hit) int { return cmp.Compare(a[0].Source, b[0].Source) })
	byOrd := func(a, b search.Hit) int { return cmp.Compare(a.Ord, b.Ord) }
	for _, g := range groups {
		if !slices.IsSortedFunc(g, byOrd) {
			slices.SortFunc(g, byOrd)
		}
	}
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
				r := rank[cs[0].Source]
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
	d.blocks = map[int64]*search.Block{}
	d.group, d.raw, d.ids, d.sent, d.tokens = nil, nil, nil, nil, nil
	return &d
}

// source decides the candidates of one source.
func (s *searcher) source(id int64, cs []search.Hit, hits []found) ([]found, error) {
	blk, err := s.block(id)
	if err != nil {
		return hits, err
	}
	turnUnit := s.req.Unit == coding.UnitTurn
	for k := 0; k < len(cs); {
		c := cs[k]
		if c.Ord < 1 || c.Ord > blk.Len() {
			return hits, qcode.Errorf(qcode.EINTERNAL, "the search index's sentences of source %d lack sentence %d; rebuild it with 'qcode index --rebuild'", id, c.Ord)
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
		if s.q != nil && !s.test() {
			continue
		}
		t, err := blk.Turn(h.turn - 1)
		if err != nil {
			return hits, s.damaged(id, err)
		}
		spk := s.speakers[t.Speaker]
		if !s.f.speakerOK(spk[0], spk[1]) {
			continue
		}
		h.speaker, h.time, h.hasTime = t.Speaker, t.Time, t.HasTime
		if turnUnit {
			h.start, h.end, h.byteStart, h.byteEnd = t.Start, t.End, t.ByteStart, t.ByteEnd
		}
		hits = append(hits, h)
	}
	return hits, nil
}

func (s *searcher) block(id int64) (*search.Block, error) {
	if b, ok := s.blocks[id]; ok {
		return b, nil
	}
	b, err := s.sf.Source(id)
	if err != nil {
		return nil, err
	}
	s.blocks[id] = b
	return b, nil
}

func (s *searcher) damaged(id int64, err error) error {
	return qcode.Errorf(qcode.EINTERNAL, "the search index's sentences of source %d: %v; rebuild it with 'qcode index --rebuild'", id, err)
}

// read reads the segment of the hit, whose ord is a sentence's, into
// s.group: the sentence, or every sentence of its turn. It sets the hit's
// span, turn and (for unit turn) ord.
func (s *searcher) read(blk *search.Block, h *found) error {
	at := func(i int) error {
		if len(s.group) < cap(s.group) {
			s.group = s.group[:len(s.group)+1]
		} else {
			s.group = append(s.group, search.Sentence{})
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

// test reports whether the query matches s.group.
func (s *searcher) test() bool { return s.q.Test(s.unit()) }

// match runs the query over s.group.
func (s *searcher) match() []codebook.Match { return s.q.Match(s.unit()) }

// unit makes s.group the unit the query takes.
func (s *searcher) unit() codebook.Unit {
	s.raw, s.ids, s.sent, s.tokens = s.raw[:0], s.ids[:0], s.sent[:0], s.tokens[:0]
	for k, x := range s.group {
		for _, t := range x.Tokens {
			s.raw = append(s.raw, t.Text)
			s.ids = append(s.ids, t.ID)
			s.sent = append(s.sent, int32(k))
			s.tokens = append(s.tokens, t)
		}
	}
	u := codebook.Unit{Tokens: s.raw, IDs: s.ids}
	if s.req.Unit == coding.UnitTurn {
		u.Sentence = s.sent
	}
	return u
}

// loadSpeakers reads every speaker's name and role.
func (s *searcher) loadSpeakers() error {
	s.speakers = map[int64][2]string{}
	rows, err := s.tx.QueryContext(s.ctx, `SELECT id, name, role FROM speakers`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name, role string
		if err := rows.Scan(&id, &name, &role); err != nil {
			return err
		}
		s.speakers[id] = [2]string{name, role}
	}
	return rows.Err()
}

// loadSpans reads the codings of the sources of hits that the --code and
// --coder filters and the code facet need: of the code and coder asked
// for, or of every code for the facet.
func (s *searcher) loadSpans(hits []found) error {
	code, coder := s.f.code, s.f.coder
	if slices.Contains(s.req.Facets, "code") {
		code, coder = "", ""
	}
	var ids []int64
	for i := range hits {
		if len(ids) == 0 || ids[len(ids)-1] != hits[i].source { // hits are by source
			ids = append(ids, hits[i].source)
		}
	}
	spans := map[int64][]codedSpan{}
	if coder != coding.RulesCoder {
		q := `SELECT source_id, start, end, code, coder FROM codings WHERE source_id IN (SELECT value FROM json_each(?))`
		args := []any{int64sJSON(ids)}
		for _, w := range []struct{ col, v string }{{"code", code}, {"coder", coder}} {
			if w.v != "" {
				q += ` AND ` + w.col + ` = ?`
				args = append(args, w.v)
			}
		}
		rows, err := s.tx.QueryContext(s.ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var c codedSpan
			if err := rows.Scan(&id, &c.start, &c.end, &c.code, &c.coder); err != nil {
				return err
			}
			spans[id] = append(spans[id], c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if coder == "" || coder == coding.RulesCoder {
		if err := s.rulesSpans(ids, code, spans); err != nil {
			return err
		}
	}
	s.spans = map[int64]*sourceSpans{}
	for id, list := range spans {
		ss := &sourceSpans{list: list}
		slices.SortFunc(list, func(a, b codedSpan) int { return cmp.Compare(a.start, b.start) })
		for _, c := range list {
			ss.maxLen = max(ss.maxLen, c.end-c.start)
		}
		s.spans[id] = ss
	}
	return nil
}

// rulesSpans adds the rules codings of the sources ids, of code or of
// every code, to spans.
func (s *searcher) rulesSpans(ids []int64, code string, spans map[int64][]codedSpan) error {
	return eachRulesBlob(s.ctx, s.tx, ids, func(id int64, blob []byte) error {
		return decodeRulesBlob(blob, "", "", "", skipMatches, func(d *decodedCoding) error {
			if code == "" || d.Code == code {
				spans[id] = append(spans[id], codedSpan{d.Start, d.End, d.Code, coding.RulesCoder})
			}
			return nil
		})
	})
}

// codedOK reports whether the span [start, end) of a source passes the
// --code and --coder filters: a coding of theirs overlaps it.
func (s *searcher) codedOK(id int64, start, end int) bool {
	if s.f.code == "" && s.f.coder == "" {
		return true
	}
	ok := false
	s.spans[id].overlapping(start, end, func(c *codedSpan) bool {
		ok = (s.f.code == "" || c.code == s.f.code) && (s.f.coder == "" || c.coder == s.f.coder)
		return !ok
	})
	return ok
}

// show makes the hits to be shown: with their segment ids, speakers,
// matches, texts and context.
func (s *searcher) show(shown []found) ([]SearchHit, error) {
	hits := make([]SearchHit, len(shown))
	if len(shown) == 0 {
		return hits, nil
	}
	texts := map[int64]string{}
	var ids []int64
	for _, h := range shown {
		if _, ok := texts[h.source]; !ok {
			texts[h.source] = ""
			ids = append(ids, h.source)
		}
	}
	rows, err := s.tx.QueryContext(s.ctx, `SELECT id, text FROM sources WHERE id IN (SELECT value FROM json_each(?))`, int64sJSON(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			return nil, err
		}
		texts[id] = text
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, f := range shown {
		h := &hits[i]
		*h = SearchHit{
			Source:  s.metas[f.rank].name,
			Case:    s.metas[f.rank].caseName,
			Segment: coding.Ref{Source: s.metas[f.rank].name, Unit: s.req.Unit, Ord: f.ord}.String(),
			Speaker: s.speakers[f.speaker][0],
			Start:   f.start,
			End:     f.end,
			Matches: []coding.Match{},
			Score:   f.score,
		}
		if f.hasTime {
			h.Time = &f.time
		}
		text := texts[f.source]
		if f.byteStart < 0 || f.byteEnd > len(text) || f.byteStart > f.byteEnd {
			return nil, qcode.Errorf(qcode.EINTERNAL, "%s does not fit its source's text; rebuild the index with 'qcode index --rebuild'", h.Segment)
		}
		h.Text = text[f.byteStart:f.byteEnd]
		if s.q != nil {
			if h.Matches, err = s.matches(f); err != nil {
				return nil, err
			}
		}
		h.kwic(text, f.byteStart, f.byteEnd, s.req.Width)
	}
	return hits, nil
}

// matches decides a hit again, for its matches with their tokens.
func (s *searcher) matches(h found) ([]coding.Match, error) {
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
			return []coding.Match{}, nil
		}
		again.ord = t.First + 1
	}
	if err := s.read(blk, &again); err != nil {
		return nil, err
	}
	out := []coding.Match{}
	for _, m := range s.match() {
		cm := coding.Match{Negated: m.Negated, Tokens: make([]coding.MatchedToken, len(m.Tokens))}
		for j, k := range m.Tokens {
			t := s.tokens[k]
			cm.Tokens[j] = coding.MatchedToken{Start: t.Start, End: t.End, Text: strings.Clone(t.Text)}
		}
		out = append(out, cm)
	}
	return out, nil
}

// int64sJSON writes numbers as a JSON array, for json_each.
func int64sJSON(ids []int64) string {
	b := []byte{'['}
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// kwic fills the hit's context: the first match (or, with none, the whole
// segment) and up to width characters on each side of it from the
// source's text, cut at word boundaries, on one line.
func (h *SearchHit) kwic(text string, byteStart, byteEnd, width int) {
	ms, me := byteStart, byteEnd
	if len(h.Matches) > 0 && len(h.Matches[0].Tokens) > 0 {
		toks := h.Matches[0].Tokens
		ms = byteAt(text, byteStart, h.Start, toks[0].Start)
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
func (s *searcher) facets(fields []string, hits []found) []Facet {
	f := s.f
	var out []Facet
	seen := map[string]bool{}
	for _, field := range fields {
		counts := map[string]int{}
		for i := range hits {
			h := &hits[i]
			switch {
			case field == "speaker":
				counts[s.speakers[h.speaker][0]]++
			case field == "source":
				counts[s.metas[h.rank].name]++
			case field == "case":
				counts[s.metas[h.rank].caseName]++
			case field == "code":
				clear(seen)
				s.spans[h.source].overlapping(h.start, h.end, func(c *codedSpan) bool {
					if !seen[c.code] {
						seen[c.code] = true
						counts[c.code]++
					}
					return true
				})
			case strings.HasPrefix(field, "attr:"):
				name := strings.TrimPrefix(field, "attr:")
				v := "(none)"
				for _, a := range f.cases[s.metas[h.rank].caseID] {
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
