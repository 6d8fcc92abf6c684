package project

import (
	"context"
	"database/sql"
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
	Total    int        `json:"total"`  // rules codings in the project after the run
	People   int        `json:"people"` // codings by people in the sources coded, never touched
}

// CodeRules runs the rules over every segment of the chosen sources and
// replaces those sources' earlier rules codings with what they make, in one
// transaction: a failure or a kill leaves every earlier coding as it was.
// Codings made by people are never touched. With run.DryRun it writes
// nothing and reports what would change; it then works on a project open
// for reading too.
func (p *Project) CodeRules(ctx context.Context, run RulesRun, coder SegmentCoder) (*RulesResult, error) {
	switch run.Unit {
	case coding.UnitSentence, coding.UnitParagraph, coding.UnitTurn, coding.UnitSource:
	default:
		return nil, qcode.Errorf(qcode.EINVALID, "cannot code by %q; say sentence, paragraph, turn or source", run.Unit)
	}
	var res *RulesResult
	work := func(tx *sql.Tx) error {
		r, err := newRulesRunner(ctx, tx, run, coder)
		if err != nil {
			return err
		}
		defer r.close()
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
	json    []byte
	old     map[codingKey]oldCoding
	adds    []int   // indices into codings of those to insert
	gone    []int64 // ids of the codings to delete
	args    []any

	inserts map[insertKey]*sql.Stmt // INSERTs, prepared on first use
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
	r := &rulesRunner{ctx: ctx, tx: tx, run: run, coder: coder, diffs: map[string]*CodeDiff{}, old: map[codingKey]oldCoding{}, inserts: map[insertKey]*sql.Stmt{}}
	return r, nil
}

func (r *rulesRunner) close() {
	for _, st := range r.inserts {
		st.Close()
	}
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
	type src struct {
		id   int64
		name string
	}
	var srcs []src
	if len(r.run.Sources) == 0 {
		rows, err := r.tx.QueryContext(r.ctx, `SELECT id, name FROM sources ORDER BY name`)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var s src
			if err := rows.Scan(&s.id, &s.name); err != nil {
				rows.Close()
				return nil, err
			}
			srcs = append(srcs, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	} else {
		cache := newSourceCache(r.ctx, r.tx)
		for _, name := range r.run.Sources {
			s, err := cache.get(name)
			if err != nil {
				return nil, err
			}
			if !slices.ContainsFunc(srcs, func(x src) bool { return x.id == s.id }) {
				srcs = append(srcs, src{s.id, s.name})
			}
		}
	}
	// Totals before the run, for the totals after it.
	rows, err := r.tx.QueryContext(r.ctx, `SELECT code, count(*) FROM codings WHERE origin = 'rules' GROUP BY code`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			rows.Close()
			return nil, err
		}
		r.diff(code).Total = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
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
// ones and, unless this is a dry run, makes the old into the new: it
// deletes the codings that are gone, inserts the new ones, updates those
// whose matches changed, and stamps the rest with the codebook's hash, so
// that a run that changes little writes little. A kept coding keeps its
// created_at: when the rules first made it.
func (r *rulesRunner) replace(id int64) error {
	clear(r.old)
	rows, err := r.tx.QueryContext(r.ctx, `SELECT id, code, unit, start, end, matched, negated FROM codings WHERE source_id = ? AND origin = 'rules'`, id)
	if err != nil {
		return err
	}
	var start, end int64
	var code, unit string
	var matched sql.RawBytes
	for rows.Next() {
		var o oldCoding
		if err := rows.Scan(&o.id, &code, &unit, &start, &end, &matched, &o.negated); err != nil {
			rows.Close()
			return err
		}
		o.matched = hashBytes(matched)
		r.old[codingKey{code, coding.Unit(unit), int(start), int(end)}] = o
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var people int
	if err := r.tx.QueryRowContext(r.ctx, `SELECT count(*) FROM codings WHERE source_id = ? AND origin != 'rules'`, id).Scan(&people); err != nil {
		return err
	}
	r.res.People += people

	r.adds = r.adds[:0]
	for i := range r.codings {
		c := &r.codings[i]
		k := codingKey{c.Code, c.Unit, c.Start, c.End}
		o, was := r.old[k]
		if was && o.seen {
			continue // the same code on the same span twice: once is enough
		}
		o.seen = true
		if !was {
			o.id = -1 // made by this run
			r.diff(c.Code).Added++
		}
		r.old[k] = o
		if r.run.DryRun {
			continue
		}
		start := len(r.json)
		r.json = appendMatches(r.json, c.Matches)
		matched := r.json[start:]
		switch {
		case !was:
			r.adds = append(r.adds, i)
		case o.matched != hashBytes(matched) || o.negated != c.Negated:
			if _, err := r.tx.ExecContext(r.ctx, `UPDATE codings SET matched = ?, negated = ?, codebook_hash = ? WHERE id = ?`, string(matched), c.Negated, c.CodebookHash, o.id); err != nil {
				return err
			}
		}
		r.json = r.json[:start]
	}
	r.gone = r.gone[:0]
	for k, o := range r.old {
		if !o.seen {
			r.diff(k.code).Removed++
			r.gone = append(r.gone, o.id)
		}
	}
	if r.run.DryRun {
		return nil
	}
	if err := r.deleteCodings(id); err != nil {
		return err
	}
	if err := r.insertCodings(id); err != nil {
		return err
	}
	if len(r.codings) > len(r.adds) { // some were kept: they are this codebook's now
		h := r.codings[0].CodebookHash
		_, err := r.tx.ExecContext(r.ctx, `UPDATE codings SET codebook_hash = ? WHERE source_id = ? AND origin = 'rules' AND codebook_hash != ?`, h, id, h)
		return err
	}
	return nil
}

// oldCoding is a rules coding already in the store.
type oldCoding struct {
	id      int64
	matched uint64 // hashBytes of its matched column
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

// batchRows is how many codings one INSERT writes: far fewer statements
// than rows, well under SQLite's limit of 32,766 parameters.
const batchRows = 128

// runConsts are the columns the codings of a run share. They are written
// into the INSERT as literals rather than bound to every row: binding is
// much of what a row costs.
type runConsts struct {
	coder, origin, unit, created, memo, hash string
}

// insertCodings inserts the codings r.adds points at, batchRows a statement.
func (r *rulesRunner) insertCodings(sourceID int64) error {
	var cur runConsts
	var at time.Time
	args := r.args[:0]
	n := 0
	// flush writes the n rows in args with statements of batchRows rows
	// or fewer, each size a power of two: a handful of statements, each
	// prepared once a run, whatever the numbers of codings.
	flush := func() error {
		for rest := args; n > 0; {
			size := batchRows
			for size > n {
				size /= 2
			}
			key := insertKey{cur, size}
			st := r.inserts[key]
			if st == nil {
				var err error
				if st, err = r.tx.PrepareContext(r.ctx, insertRowsSQL(cur, size)); err != nil {
					return err
				}
				r.inserts[key] = st
			}
			if _, err := st.ExecContext(r.ctx, rest[:size*insertParams]...); err != nil {
				return err
			}
			rest, n = rest[size*insertParams:], n-size
		}
		args = args[:0]
		return nil
	}
	for _, i := range r.adds {
		c := &r.codings[i]
		if !c.CreatedAt.Equal(at) {
			at = c.CreatedAt
			cur.created = "" // formatted below, once per distinct time
		}
		k := runConsts{c.Coder, string(c.Origin), string(c.Unit), cur.created, c.Memo, c.CodebookHash}
		if k.created == "" {
			k.created = at.UTC().Format(time.RFC3339)
		}
		if k != cur {
			if err := flush(); err != nil {
				return err
			}
			cur = k
		}
		start := len(r.json)
		r.json = appendMatches(r.json, c.Matches)
		args = append(args, sourceID, c.Start, c.End, c.ByteStart, c.ByteEnd, c.Code, c.Ord, string(r.json[start:]), c.Negated)
		r.json = r.json[:start]
		if n++; n == batchRows {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	err := flush()
	r.args = args[:0]
	return err
}

// insertKey names a prepared INSERT: of rows codings sharing consts.
type insertKey struct {
	consts runConsts
	rows   int
}

// insertParams is the number of values bound to each row of an INSERT.
const insertParams = 9

// insertRowsSQL returns an INSERT of n codings sharing k.
func insertRowsSQL(k runConsts, n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO codings (source_id, start, end, byte_start, byte_end, code, ord, matched, negated, coder, origin, unit, created_at, memo, codebook_hash) VALUES `)
	row := "(?,?,?,?,?,?,?,?,?," + strings.Join([]string{sqlString(k.coder), sqlString(k.origin), sqlString(k.unit), sqlString(k.created), sqlString(k.memo), sqlString(k.hash)}, ",") + ")"
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}

// sqlString quotes s as an SQL string literal.
func sqlString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// deleteCodings deletes the codings whose ids are in r.gone: all of the
// source's rules codings in one statement when none was kept.
func (r *rulesRunner) deleteCodings(sourceID int64) error {
	if len(r.gone) == 0 {
		return nil
	}
	if len(r.gone) == len(r.old) {
		_, err := r.tx.ExecContext(r.ctx, `DELETE FROM codings WHERE source_id = ? AND origin = 'rules'`, sourceID)
		return err
	}
	for ids := range slices.Chunk(r.gone, 500) {
		args := r.args[:0]
		for _, id := range ids {
			args = append(args, id)
		}
		q := `DELETE FROM codings WHERE id IN (?` + strings.Repeat(",?", len(ids)-1) + `)`
		if _, err := r.tx.ExecContext(r.ctx, q, args...); err != nil {
			return err
		}
		r.args = args[:0]
	}
	return nil
}
