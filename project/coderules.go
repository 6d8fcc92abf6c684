package project

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"qcode"
	"qcode/coding"
	"qcode/corpus"
)

// SegmentCoder codes one segment, appending its codings to out: the rules
// engine (coding.Applier).
type SegmentCoder interface {
	Code(seg *coding.Segment, out []coding.Coding) []coding.Coding
}

// RulesRun says what a run of the rules codes, and with what.
type RulesRun struct {
	Codebook     string      // the codebook file, as named, for the record
	CodebookHash string      // its content hash (coding.CodebookHash)
	Unit         coding.Unit // sentence, paragraph, turn or source
	Sources      []string    // the sources to code; none for all
	Interviewer  bool        // code interviewers' turns too
	DryRun       bool        // work out what would change and write nothing
}

// CodeDiff is what a rules run did, or would do, to one code's codings.
type CodeDiff struct {
	Code    string `json:"code"`
	Added   int    `json:"added"`
	Removed int    `json:"removed"`
	Total   int    `json:"total"` // rules codings of the code in the project after the run
}

// RulesResult says what a rules run did, or would do.
type RulesResult struct {
	Sources  int        `json:"sources"`
	Segments int        `json:"segments"` // segments the rules ran over
	Skipped  int        `json:"skipped"`  // interviewers' segments left alone
	Codes    []CodeDiff `json:"codes"`    // every code with rules codings before or after, by id
	Added    int        `json:"added"`
	Removed  int        `json:"removed"`
	Total    int        `json:"total"`    // rules codings in the project after the run
	People   int        `json:"people"`   // codings by people in the sources coded, never touched
	Rejected int        `json:"rejected"` // codings the rules made that people had rejected, left out
}

// CodeRules runs the rules over every segment of the chosen sources and
// replaces those sources' earlier rules codings with what they make, in one
// transaction: a failure or a kill leaves every earlier coding as it was.
// Codings made by people are never touched. With run.DryRun it writes
// nothing and reports what would change; it then works on a project open
// for reading too.
func (p *Project) CodeRules(ctx context.Context, run RulesRun, coder SegmentCoder) (*RulesResult, error) {
	if _, err := coding.ParseUnit(string(run.Unit)); err != nil {
		return nil, err
	}
	var res *RulesResult
	work := func(tx *sql.Tx) error {
		r, err := newRulesRunner(ctx, tx, run, coder)
		if err != nil {
			return err
		}
		res, err = r.runAll()
		return err
	}
	if run.DryRun {
		return res, p.readTx(ctx, work)
	}
	return res, p.tx(ctx, work)
}

// rulesRunner is one rules run inside its transaction.
type rulesRunner struct {
	ctx   context.Context
	tx    *sql.Tx
	run   RulesRun
	coder SegmentCoder
	res   RulesResult
	diffs map[string]*CodeDiff

	// buffers reused from segment to segment and source to source
	codings []coding.Coding
	toks    []corpus.Token
	sent    []int32
	seg     coding.Segment
	turns   []runTurn
	paras   []runPara
	json    []byte // a coding's matches, encoded
	old     map[codingKey]oldCoding
	blob    rulesBlob
	// the source's rejections, true once the run has made (and left out) one
	rejected map[rejectionKey]bool
}

type runTurn struct {
	start, end, byteStart, byteEnd int
	skip                           bool // an interviewer's turn
}

type runPara struct {
	ord, start, end, byteStart, byteEnd int
}

// codingKey is what makes a rules coding the same as another.
type codingKey struct {
	code       string
	unit       coding.Unit
	start, end int
}

func newRulesRunner(ctx context.Context, tx *sql.Tx, run RulesRun, coder SegmentCoder) (*rulesRunner, error) {
	r := &rulesRunner{ctx: ctx, tx: tx, run: run, coder: coder, diffs: map[string]*CodeDiff{}, old: map[codingKey]oldCoding{}, rejected: map[rejectionKey]bool{}}
	return r, nil
}

func (r *rulesRunner) diff(code string) *CodeDiff {
	d := r.diffs[code]
	if d == nil {
		d = &CodeDiff{Code: code}
		r.diffs[code] = d
	}
	return d
}

func (r *rulesRunner) runAll() (*RulesResult, error) {
	var srcs []runSource
	if len(r.run.Sources) == 0 {
		var err error
		if srcs, err = listSources(r.ctx, r.tx, `SELECT id, name FROM sources ORDER BY name`); err != nil {
			return nil, err
		}
	} else {
		cache := newSourceCache(r.ctx, r.tx)
		for _, name := range r.run.Sources {
			s, err := cache.get(name)
			if err != nil {
				return nil, err
			}
			if !slices.ContainsFunc(srcs, func(x runSource) bool { return x.id == s.id }) {
				srcs = append(srcs, runSource{s.id, s.name})
			}
		}
	}
	// The totals before the run: those of the sources it codes are
	// counted as it reads their codings (replace), the others' here.
	if err := r.countOthers(srcs); err != nil {
		return nil, err
	}

	for _, s := range srcs {
		if err := r.ctx.Err(); err != nil {
			return nil, err
		}
		if err := r.codeSource(s.id, s.name); err != nil {
			return nil, err
		}
	}
	r.res.Sources = len(srcs)
	for _, d := range r.diffs {
		d.Total += d.Added - d.Removed
		r.res.Added += d.Added
		r.res.Removed += d.Removed
		r.res.Total += d.Total
		if d.Total > 0 || d.Added > 0 || d.Removed > 0 {
			r.res.Codes = append(r.res.Codes, *d)
		}
	}
	slices.SortFunc(r.res.Codes, func(a, b CodeDiff) int { return strings.Compare(a.Code, b.Code) })
	if !r.run.DryRun {
		names := ""
		if len(r.run.Sources) > 0 {
			var ns []string
			for _, s := range srcs {
				ns = append(ns, s.name)
			}
			names = strings.Join(ns, ", ")
		}
		_, err := r.tx.ExecContext(r.ctx, `INSERT INTO rules_runs (at, codebook, codebook_hash, unit, sources, interviewer, segments, added, removed, total) VALUES (?,?,?,?,?,?,?,?,?,?)`,
			now().Format(time.RFC3339), r.run.Codebook, r.run.CodebookHash, string(r.run.Unit), names, r.run.Interviewer, r.res.Segments, r.res.Added, r.res.Removed, r.res.Total)
		if err != nil {
			return nil, err
		}
	}
	return &r.res, nil
}

// runSource is a source a run codes.
type runSource struct {
	id   int64
	name string
}

// countOthers counts the rules codings of each code in the sources the run
// does not code, into the totals.
func (r *rulesRunner) countOthers(srcs []runSource) error {
	if len(r.run.Sources) == 0 {
		return nil // every source is coded
	}
	coded := map[int64]bool{}
	for _, s := range srcs {
		coded[s.id] = true
	}
	return eachBlobHeader(r.ctx, r.tx, func(id int64, codes []string, counts []int) {
		if !coded[id] {
			for i, code := range codes {
				r.diff(code).Total += counts[i]
			}
		}
	})
}

// codeSource codes one source's segments and replaces its rules codings.
func (r *rulesRunner) codeSource(id int64, name string) error {
	if err := r.loadSource(id); err != nil {
		return err
	}
	r.codings = r.codings[:0]
	var text string
	var chars int
	if err := r.tx.QueryRowContext(r.ctx, `SELECT text, chars FROM sources WHERE id = ?`, id).Scan(&text, &chars); err != nil {
		return err
	}
	rows, err := r.tx.QueryContext(r.ctx, `SELECT ord, turn, start, end, byte_start, byte_end, tokens FROM segments
		WHERE source_id = ? AND kind = 'sentence' ORDER BY ord`, id)
	if err != nil {
		return err
	}
	r.seg = coding.Segment{Source: name, Text: text}
	open := false // whether r.seg is a paragraph, turn or source being gathered
	pi := 0       // the paragraph the sentence is in
	// Scanned into int64s and RawBytes, which database/sql fills without
	// converting or copying: this loop runs once per sentence.
	var ord64, turn64, start64, end64, bs64, be64 int64
	var blob sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&ord64, &turn64, &start64, &end64, &bs64, &be64, &blob); err != nil {
			rows.Close()
			return err
		}
		ord, turn, start, end, bs, be := int(ord64), int(turn64), int(start64), int(end64), int(bs64), int(be64)
		if turn < 1 || turn > len(r.turns) || be > len(text) || bs > be {
			rows.Close()
			return qcode.Errorf(qcode.EINTERNAL, "source %s: sentence %d is out of place; the store is damaged", name, ord)
		}
		if r.turns[turn-1].skip {
			r.res.Skipped++
			continue
		}
		var key, kstart, kend, kbs, kbe int // the segment this sentence belongs to
		switch r.run.Unit {
		case coding.UnitSentence:
			key, kstart, kend, kbs, kbe = ord, start, end, bs, be
		case coding.UnitTurn:
			t := r.turns[turn-1]
			key, kstart, kend, kbs, kbe = turn, t.start, t.end, t.byteStart, t.byteEnd
		case coding.UnitParagraph:
			for pi < len(r.paras)-1 && r.paras[pi].byteEnd <= bs {
				pi++
			}
			if len(r.paras) == 0 {
				rows.Close()
				return qcode.Errorf(qcode.EINTERNAL, "source %s has sentences but no paragraphs; the store is damaged", name)
			}
			p := r.paras[pi]
			key, kstart, kend, kbs, kbe = p.ord, p.start, p.end, p.byteStart, p.byteEnd
		case coding.UnitSource:
			key, kstart, kend, kbs, kbe = 0, 0, chars, 0, len(text)
		}
		if !open || key != r.seg.Ord {
			if open {
				r.codeSegment()
			}
			open = true
			r.seg.Unit, r.seg.Ord = r.run.Unit, key
			r.seg.Start, r.seg.End, r.seg.ByteStart, r.seg.ByteEnd = kstart, kend, kbs, kbe
			r.toks, r.sent = r.toks[:0], r.sent[:0]
		}
		n := len(r.toks)
		if r.toks, err = DecodeTokens(r.toks, text, bs, blob); err != nil {
			rows.Close()
			return qcode.Errorf(qcode.EINTERNAL, "source %s: sentence %d: %v", name, ord, err)
		}
		if r.run.Unit != coding.UnitSentence {
			k := int32(0)
			if n > 0 {
				k = r.sent[n-1] + 1
			}
			for range r.toks[n:] {
				r.sent = append(r.sent, k)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if open {
		r.codeSegment()
	}
	return r.replace(id)
}

// codeSegment runs the rules over the segment gathered in r.seg.
func (r *rulesRunner) codeSegment() {
	r.seg.Tokens = r.toks
	r.seg.Sentence = nil
	if r.run.Unit != coding.UnitSentence {
		r.seg.Sentence = r.sent
	}
	r.res.Segments++
	r.codings = r.coder.Code(&r.seg, r.codings)
}

// loadSource reads a source's turns (marking interviewers') and, to code
// by paragraph, its paragraphs.
func (r *rulesRunner) loadSource(id int64) error {
	r.turns, r.paras = r.turns[:0], r.paras[:0]
	rows, err := r.tx.QueryContext(r.ctx, `SELECT t.start, t.end, t.byte_start, t.byte_end, k.name, k.role
		FROM turns t JOIN speakers k ON k.id = t.speaker_id WHERE t.source_id = ? ORDER BY t.ord`, id)
	if err != nil {
		return err
	}
	for rows.Next() {
		var t runTurn
		var speaker, role string
		if err := rows.Scan(&t.start, &t.end, &t.byteStart, &t.byteEnd, &speaker, &role); err != nil {
			rows.Close()
			return err
		}
		t.skip = !r.run.Interviewer && coding.IsInterviewer(speaker, role)
		r.turns = append(r.turns, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil || r.run.Unit != coding.UnitParagraph {
		return err
	}
	rows, err = r.tx.QueryContext(r.ctx, `SELECT ord, start, end, byte_start, byte_end FROM segments
		WHERE source_id = ? AND kind = 'paragraph' ORDER BY ord`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p runPara
		if err := rows.Scan(&p.ord, &p.start, &p.end, &p.byteStart, &p.byteEnd); err != nil {
			return err
		}
		r.paras = append(r.paras, p)
	}
	return rows.Err()
}

// replace counts how the source's new rules codings differ from its old
// ones and, unless this is a dry run, stores the new in place of the old:
// one row, rewritten only when something changed (a coding added or gone,
// matched differently, or made by another codebook). A kept coding keeps
// its created time: when the rules first made it.
func (r *rulesRunner) replace(id int64) error {
	clear(r.old)
	var unit, hash string
	var blob []byte
	err := r.tx.QueryRowContext(r.ctx, `SELECT unit, codebook_hash, blob FROM rules_codings WHERE source_id = ?`, id).Scan(&unit, &hash, &blob)
	had := err == nil
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	default:
		err := decodeRulesBlob(blob, "", coding.Unit(unit), hash, hashMatches, func(d *decodedCoding) error {
			r.old[codingKey{d.Code, d.Unit, d.Start, d.End}] = oldCoding{created: d.CreatedAt, matched: d.matched, negated: d.Negated}
			r.diff(d.Code).Total++
			return nil
		})
		if err != nil {
			return qcode.Errorf(qcode.EINTERNAL, "source %d: %v; the store is damaged", id, err)
		}
	}
	var people int
	if err := r.tx.QueryRowContext(r.ctx, `SELECT count(*) FROM codings WHERE source_id = ?`, id).Scan(&people); err != nil {
		return err
	}
	r.res.People += people
	clear(r.rejected)
	if err := rejectedSpans(r.ctx, r.tx, id, r.rejected); err != nil {
		return err
	}

	newHash := r.run.CodebookHash // the hash the codings carry, which the coder set
	if len(r.codings) > 0 {
		newHash = r.codings[0].CodebookHash
	}
	changed := len(r.codings) > 0 && hash != newHash
	kept := r.codings[:0]
	for i := range r.codings {
		c := r.codings[i]
		if made, ok := r.rejected[rejectionKey{c.Code, c.Start, c.End}]; ok {
			if !made {
				r.rejected[rejectionKey{c.Code, c.Start, c.End}] = true
				r.res.Rejected++
			}
			continue // a person said the rules are wrong here
		}
		k := codingKey{c.Code, c.Unit, c.Start, c.End}
		o, was := r.old[k]
		if was && o.seen {
			continue // the same code on the same span twice: once is enough
		}
		o.seen = true
		if !was {
			o.created = c.CreatedAt // made by this run
			r.diff(c.Code).Added++
			changed = true
		} else {
			c.CreatedAt = o.created
			r.json = appendMatchesBlob(r.json[:0], &c)
			if o.matched != hashBytes(r.json) || o.negated != c.Negated {
				changed = true
			}
		}
		r.old[k] = o
		kept = append(kept, c)
	}
	r.codings = kept
	for k, o := range r.old {
		if !o.seen {
			r.diff(k.code).Removed++
			changed = true
		}
	}
	switch {
	case r.run.DryRun || !changed:
		return nil
	case len(r.codings) == 0:
		if had {
			_, err = r.tx.ExecContext(r.ctx, `DELETE FROM rules_codings WHERE source_id = ?`, id)
		}
		return err
	}
	_, err = r.tx.ExecContext(r.ctx, `INSERT OR REPLACE INTO rules_codings (source_id, unit, codebook_hash, codings, blob) VALUES (?, ?, ?, ?, ?)`,
		id, string(r.run.Unit), newHash, len(r.codings), r.blob.encode(r.codings))
	return err
}

// oldCoding is a rules coding already in the store.
type oldCoding struct {
	created time.Time
	matched uint64 // hashBytes of its encoded matches
	negated bool
	seen    bool // made again by this run
}

// hashBytes returns the FNV-1a hash of b, to compare stored matches with
// new ones without keeping them.
func hashBytes(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}
