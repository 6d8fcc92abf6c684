package project

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"qcode"
	"qcode/coding"
	"qcode/corpus"
)

// A correction rewrites a stored source's text in place (its row and id
// stay, so everything that points at it holds) and moves what people made
// on it through the edits: their codings, the memos on codings and the
// rejected rules codings. A coding whose text is unchanged moves with it;
// one whose text changed is kept, adjusted and listed for review; one whose
// text was all deleted stops the correction unless the caller lets it go,
// when it is removed, logged and listed. The rules' codings are made again
// by the codebook that made them when the caller has it (EditOptions.Rules),
// else dropped, and the result says so.

// SourceEdit is one source's correction: edits to its stored text, or (New)
// the source as read from a file imported again.
type SourceEdit struct {
	Name  string
	Edits []corpus.Edit // in bytes of the stored text; with New, found by corpus.Diff
	Hash  string        // optional: the hash the edits were made against; another is ECONFLICT
	// New is the source as read and segmented from a file imported again
	// under its name; nil for edits.
	New *corpus.Source
}

// EditOptions say who corrects and what a correction may do.
type EditOptions struct {
	Coder, Command string
	// DropLost lets a correction delete all the text of a person's
	// coding: the coding is removed (logged and listed) rather than the
	// correction refused.
	DropLost bool
	// Replace lets a correction change who speaks a turn, or lose or
	// gain a speaker.
	Replace bool
	// Rules makes the rules' codings of a corrected source again, when
	// they were made by its codebook; nil drops them.
	Rules *RulesRerun
}

// RulesRerun is the codebook a correction runs again over a corrected
// source whose rules codings it made.
type RulesRerun struct {
	Codebook     string // as named, for the record of the run
	CodebookHash string
	Coder        SegmentCoder
}

// Correction says what a correction did to one source.
type Correction struct {
	Source string `json:"source"`
	// Moved counts people's codings whose text is unchanged, moved with it.
	Moved int `json:"moved"`
	// Changed are people's codings whose text changed: kept, adjusted, to
	// review.
	Changed []CodingChange `json:"changed"`
	// Removed are people's codings whose text was all deleted, removed
	// because the caller allowed it.
	Removed []CodingChange `json:"removed"`
	// MemosMoved counts memos on codings moved with them; MemosOnSource
	// those whose coding's text was all deleted, which now describe the
	// source, their text kept.
	MemosMoved    int `json:"memos_moved"`
	MemosOnSource int `json:"memos_on_source"`
	// RejectionsMoved counts rejected rules codings moved with their text;
	// RejectionsDropped those whose text was deleted, which no rules run
	// can make again.
	RejectionsMoved   int `json:"rejections_moved"`
	RejectionsDropped int `json:"rejections_dropped"`
	// RulesCodings counts the rules' codings the source had; RulesRemade
	// says whether the rules ran again over it, and RulesAfter how many
	// codings they made; otherwise they were dropped.
	RulesCodings int  `json:"rules_codings"`
	RulesRemade  bool `json:"rules_remade"`
	RulesAfter   int  `json:"rules_after"`
	// Kept is the share of the old text's characters the new text keeps.
	Kept float64 `json:"kept"`
	// Hash is the source's content hash after the correction.
	Hash string `json:"hash"`
}

// CodingChange is one coding a correction changed or removed: where it was
// and what it held, and where it is now and what it holds.
type CodingChange struct {
	Ref     string        `json:"ref"` // its segment now (before, for a removed one)
	Code    string        `json:"code"`
	Coder   string        `json:"coder"`
	Origin  coding.Origin `json:"origin"`
	Start   int           `json:"start"` // characters, now
	End     int           `json:"end"`
	Text    string        `json:"text"`
	OldRef  string        `json:"old_ref"`
	OldFrom int           `json:"old_start"`
	OldTo   int           `json:"old_end"`
	OldText string        `json:"old_text"`
}

// MinKept is the share of a source's characters a file imported again under
// its name must keep for it to count as a correction of that source, and
// not as another text under a name that is taken.
const MinKept = 0.5

// Kept returns the share of old's characters that edits keep.
func Kept(old string, edits []corpus.Edit) float64 {
	if old == "" {
		return 1
	}
	gone := 0
	for _, e := range edits {
		gone += corpusChars(old[e.Start:e.End])
	}
	total := corpusChars(old)
	return float64(total-gone) / float64(total)
}

func corpusChars(s string) int { return corpus.NewRunes(s).Offset(len(s)) }

// EditSources applies each source's correction in one transaction: nothing
// is written if any fails.
func (p *Project) EditSources(ctx context.Context, reqs []SourceEdit, o EditOptions) ([]Correction, error) {
	var out []Correction
	err := p.tx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		var cs []*Correction
		w, err := newWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		seen := map[string]bool{}
		for _, r := range reqs {
			if seen[r.Name] {
				return qcode.Errorf(qcode.EINVALID, "source %s is corrected twice in one request; give its edits together", r.Name)
			}
			seen[r.Name] = true
			t, err := loadStored(ctx, tx, r.Name)
			if err != nil {
				return err
			}
			if r.Hash != "" && r.Hash != t.hash {
				return &qcode.Error{Code: qcode.ECONFLICT, Field: "hash", Value: r.Hash,
					Message: fmt.Sprintf("%s changed since these edits were made (it was imported or corrected again); load it again and redo them", r.Name)}
			}
			c, err := w.correct(t, r.Edits, r.New, o)
			if err != nil {
				return err
			}
			cs = append(cs, c)
		}
		if err := w.finishCorrections(); err != nil {
			return err
		}
		for _, c := range cs {
			out = append(out, *c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// storedSource is a stored source as a correction reads it.
type storedSource struct {
	id         int64
	hash, path string
	doc        *corpus.Source
	ords       map[int]int // turn index in doc.Turns → the turn's ord
}

// loadStored reads the source name as a corpus.Source (no segments): its
// text, header, turns and case.
func loadStored(ctx context.Context, q queryer, name string) (*storedSource, error) {
	s := &storedSource{doc: &corpus.Source{Name: name}}
	var hs, he int
	err := q.QueryRowContext(ctx, `SELECT s.id, s.hash, s.format, s.path, s.text, s.header_start, s.header_end, c.name FROM sources s JOIN cases c ON c.id = s.case_id WHERE s.name = ?`, name).
		Scan(&s.id, &s.hash, &s.doc.Format, &s.doc.Path, &s.doc.Text, &hs, &he, &s.doc.Case)
	if errors.Is(err, sql.ErrNoRows) {
		names, err := sourceNames(ctx, q)
		if err != nil {
			return nil, err
		}
		return nil, unknownSource(name, names)
	}
	if err != nil {
		return nil, err
	}
	s.path = s.doc.Path
	if s.doc.Case == name {
		s.doc.Case = ""
	}
	if he > hs {
		s.doc.Header = corpus.Span{Start: corpus.ByteOffset(s.doc.Text, hs), End: corpus.ByteOffset(s.doc.Text, he)}
	}
	s.ords = map[int]int{}
	err = eachRow(ctx, q, `SELECT t.ord, k.name, t.byte_start, t.byte_end, t.time_start, t.time_end, t.line FROM turns t JOIN speakers k ON k.id = t.speaker_id WHERE t.source_id = ? ORDER BY t.ord`, []any{s.id}, func(rows *sql.Rows) error {
		var t corpus.Turn
		var ord int
		var ts, te sql.NullInt64
		if err := rows.Scan(&ord, &t.Speaker, &t.Start, &t.End, &ts, &te, &t.Line); err != nil {
			return err
		}
		t.Begin, t.Finish = corpus.NoTime, corpus.NoTime
		if ts.Valid {
			t.Begin = corpus.Time(ts.Int64)
		}
		if te.Valid {
			t.Finish = corpus.Time(te.Int64)
		}
		s.ords[len(s.doc.Turns)] = ord
		s.doc.Turns = append(s.doc.Turns, t)
		return nil
	})
	return s, err
}

// segIndex finds a source's segments of each kind by byte span.
type segIndex struct {
	spans map[coding.Unit][]corpus.Span // in text order; a segment's ord is its index + 1
}

func newSegIndex(d *corpus.Source) *segIndex {
	x := &segIndex{spans: map[coding.Unit][]corpus.Span{}}
	for _, t := range d.Turns {
		x.spans[coding.UnitTurn] = append(x.spans[coding.UnitTurn], t.Span)
		for _, p := range t.Paragraphs {
			x.spans[coding.UnitParagraph] = append(x.spans[coding.UnitParagraph], p.Span)
			for _, s := range p.Sentences {
				x.spans[coding.UnitSentence] = append(x.spans[coding.UnitSentence], s.Span)
			}
		}
	}
	return x
}

// place returns where a coding of unit on the segment that [s, e) was
// stands now. A sentence or paragraph coding stays one when its words are
// still exactly a sentence or paragraph; a turn's coding grows with its
// turn (it takes the words added at the turn's ends), as does a source's;
// any other becomes a coding of its span (a sentence was split or joined
// to another), which never takes in words it did not hold. grow false
// keeps the span even for a turn. ord is 0 for a span.
func (x *segIndex) place(unit coding.Unit, s, e, textLen int, grow bool) (coding.Unit, int, int, int) {
	if unit == coding.UnitSource && grow {
		return unit, 0, 0, textLen
	}
	spans, ok := x.spans[unit]
	if !ok {
		return coding.UnitSpan, 0, s, e
	}
	i, _ := slices.BinarySearchFunc(spans, s, func(sp corpus.Span, s int) int {
		if sp.End <= s {
			return -1
		}
		return 1
	})
	if i < len(spans) && spans[i].Start == s && spans[i].End == e {
		return unit, i + 1, s, e
	}
	if grow && unit == coding.UnitTurn && i < len(spans) && spans[i].Start <= s && e <= spans[i].End {
		return unit, i + 1, spans[i].Start, spans[i].End
	}
	return coding.UnitSpan, 0, s, e
}

// correct corrects the stored source t to the text edits make of it (or to
// nd, a file imported again) and moves what was made on it.
func (w *writer) correct(t *storedSource, edits []corpus.Edit, nd *corpus.Source, o EditOptions) (*Correction, error) {
	old := t.doc
	reimport := nd != nil
	var err error
	switch {
	case reimport && edits == nil:
		edits = corpus.Diff(old.Text, nd.Text)
	case !reimport:
		if nd, err = old.Edit(edits); err != nil {
			return nil, fmt.Errorf("source %s: %w", old.Name, err)
		}
	}
	res := &Correction{Source: old.Name, Kept: Kept(old.Text, edits), Changed: []CodingChange{}, Removed: []CodingChange{}}
	m := corpus.NewSpanMap(edits)
	if !o.Replace {
		if err := speakersKept(t, nd, m, reimport); err != nil {
			return nil, err
		}
	}
	if len(nd.Turns) == 0 {
		return nil, qcode.Errorf(qcode.EINVALID, "source %s: the correction leaves no turn; remove the source instead", old.Name)
	}
	segs := newSegIndex(nd)
	newChars := corpus.NewRunes(nd.Text)
	at := now().Format(time.RFC3339)
	// move maps the span [bs, be) of the old text, where a coding of ref
	// was, to the new text, trimmed of white space at its ends if an
	// edit touched it, and places it on its segment (see segIndex.place).
	type moved struct {
		bs, be, s, e   int
		changed, lost  bool
		merged         bool // lost because another coding holds the same words now
		unit           coding.Unit
		ord            int
		oldRef, newRef string
	}
	move := func(ref coding.Ref, bs, be int, grow bool) moved {
		ns, ne, changed, lost := m.Map(bs, be)
		if changed && !lost {
			sp := trimmed(nd.Text, ns, ne)
			ns, ne, lost = sp.Start, sp.End, sp.Len() == 0
		}
		mv := moved{bs: ns, be: ne, changed: changed, lost: lost, oldRef: ref.String()}
		if lost {
			return mv
		}
		unit, ord, ps, pe := segs.place(ref.Unit, ns, ne, len(nd.Text), grow)
		if ps != ns || pe != ne {
			mv.changed = true
		}
		mv.bs, mv.be, mv.unit, mv.ord = ps, pe, unit, ord
		mv.s, mv.e = newChars.Offset(ps), newChars.Offset(pe)
		mv.newRef = coding.Ref{Source: old.Name, Unit: unit, Ord: ord, Start: mv.s, End: mv.e}.String()
		return mv
	}

	// People's codings.
	type personCoding struct {
		id              int64
		c               coding.Coding
		created, memo   string
		mv              moved
		oldStart, oldEn int
	}
	var pcs []personCoding
	err = eachRow(w.ctx, w.tx, `SELECT id, start, end, byte_start, byte_end, code, coder, origin, unit, ord, created_at, memo FROM codings WHERE source_id = ? ORDER BY byte_start, byte_end, id`, []any{t.id}, func(rows *sql.Rows) error {
		var pc personCoding
		var origin, unit string
		if err := rows.Scan(&pc.id, &pc.c.Start, &pc.c.End, &pc.c.ByteStart, &pc.c.ByteEnd, &pc.c.Code, &pc.c.Coder, &origin, &unit, &pc.c.Ord, &pc.created, &pc.memo); err != nil {
			return err
		}
		pc.c.Source, pc.c.Origin, pc.c.Unit = old.Name, coding.Origin(origin), coding.Unit(unit)
		pcs = append(pcs, pc)
		return nil
	})
	if err != nil {
		return nil, err
	}
	type key struct {
		s, e        int
		code, coder string
	}
	taken := map[key]bool{}
	byOld := map[key]*moved{} // a memo on a coding follows it
	for i := range pcs {
		pc := &pcs[i]
		ref := coding.Ref{Source: old.Name, Unit: pc.c.Unit, Ord: pc.c.Ord, Start: pc.c.Start, End: pc.c.End}
		pc.mv = move(ref, pc.c.ByteStart, pc.c.ByteEnd, true)
		byOld[key{pc.c.Start, pc.c.End, pc.c.Code, pc.c.Coder}] = &pc.mv
		if pc.mv.lost && !o.DropLost {
			return nil, lostCoding(ref, pc.c.Coder, pc.c.Code, old.Text[pc.c.ByteStart:pc.c.ByteEnd])
		}
		if pc.mv.lost {
			continue
		}
		if taken[key{pc.mv.s, pc.mv.e, pc.c.Code, pc.c.Coder}] {
			// Two turns became one: the second coding keeps its own words.
			pc.mv = move(ref, pc.c.ByteStart, pc.c.ByteEnd, false)
		}
		k := key{pc.mv.s, pc.mv.e, pc.c.Code, pc.c.Coder}
		if taken[k] {
			// Two of a coder's codings of a code now cover the very same
			// words (what told them apart was deleted): one stays, the
			// other goes, listed.
			pc.mv.lost, pc.mv.merged = true, true
		}
		taken[k] = true
	}

	// Rewrite the source, its turns and segments.
	hash := nd.Hash()
	counts := nd.Counts()
	hs, he := newChars.Offset(nd.Header.Start), newChars.Offset(nd.Header.End)
	chars := newChars.Offset(len(nd.Text))
	q := `UPDATE sources SET text = ?, hash = ?, chars = ?, header_start = ?, header_end = ?, turns = ?, paragraphs = ?, sentences = ?, words = ?`
	args := []any{nd.Text, hash, chars, hs, he, counts.Turns, counts.Paragraphs, counts.Sentences, counts.Words}
	if reimport {
		q += `, path = ?, format = ?, imported_at = ?`
		args = append(args, nd.Path, nd.Format, at)
	}
	if _, err := w.tx.ExecContext(w.ctx, q+` WHERE id = ?`, append(args, t.id)...); err != nil {
		return nil, err
	}
	if nd.Case != old.Case || len(nd.Attributes) > 0 {
		caseName := nd.Case
		if caseName == "" {
			caseName = nd.Name
		}
		caseID, err := w.caseID(caseName)
		if err != nil {
			return nil, err
		}
		if err := w.setAttributes(nd.Path, caseID, nd.Attributes); err != nil {
			return nil, err
		}
		if _, err := w.tx.ExecContext(w.ctx, `UPDATE sources SET case_id = ? WHERE id = ?`, caseID, t.id); err != nil {
			return nil, err
		}
	}
	for _, q := range []string{`DELETE FROM turns WHERE source_id = ?`, `DELETE FROM segments WHERE source_id = ?`} {
		if _, err := w.tx.ExecContext(w.ctx, q, t.id); err != nil {
			return nil, err
		}
	}
	if _, err := w.writeTurns(t.id, nd, corpus.NewRunes(nd.Text)); err != nil {
		return nil, err
	}
	if _, err := w.tx.ExecContext(w.ctx, `DELETE FROM speakers WHERE NOT EXISTS (SELECT 1 FROM turns WHERE speaker_id = speakers.id)`); err != nil {
		return nil, err
	}

	// People's codings, moved: deleted and written again with their ids.
	if _, err := w.tx.ExecContext(w.ctx, `DELETE FROM codings WHERE source_id = ?`, t.id); err != nil {
		return nil, err
	}
	const auditMove = `INSERT INTO audit (at, coder, command, action, what, source, start, end, code, origin, text, memo_id, old_start, old_end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`
	logMove := func(action, what string, s, e any, code, origin any, text string, memoID any, os, oe int) error {
		_, err := w.tx.ExecContext(w.ctx, auditMove, at, o.Coder, o.Command, action, what, old.Name, s, e, code, origin, text, memoID, os, oe)
		return err
	}
	for _, pc := range pcs {
		mv := pc.mv
		ch := CodingChange{Ref: mv.newRef, Code: pc.c.Code, Coder: pc.c.Coder, Origin: pc.c.Origin, Start: mv.s, End: mv.e,
			OldRef: mv.oldRef, OldFrom: pc.c.Start, OldTo: pc.c.End, OldText: old.Text[pc.c.ByteStart:pc.c.ByteEnd]}
		if mv.lost {
			ch.Ref, ch.Start, ch.End = mv.oldRef, pc.c.Start, pc.c.End
			res.Removed = append(res.Removed, ch)
			if err := logMove("remove", "coding", pc.c.Start, pc.c.End, pc.c.Code, string(pc.c.Origin), pc.memo, nil, pc.c.Start, pc.c.End); err != nil {
				return nil, err
			}
			continue
		}
		if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO codings (id, source_id, start, end, byte_start, byte_end, code, coder, origin, unit, ord, created_at, memo) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			pc.id, t.id, mv.s, mv.e, mv.bs, mv.be, pc.c.Code, pc.c.Coder, string(pc.c.Origin), string(mv.unit), mv.ord, pc.created, pc.memo); err != nil {
			return nil, err
		}
		action := "move"
		if mv.changed {
			action = "edit"
			ch.Text = nd.Text[mv.bs:mv.be]
			res.Changed = append(res.Changed, ch)
		} else {
			res.Moved++
		}
		if action == "move" && mv.s == pc.c.Start && mv.e == pc.c.End {
			continue // before the first edit: not moved, not logged
		}
		if err := logMove(action, "coding", mv.s, mv.e, pc.c.Code, string(pc.c.Origin), "", nil, pc.c.Start, pc.c.End); err != nil {
			return nil, err
		}
	}

	// Memos on codings: they name the coding's span in characters.
	type memo struct {
		id                int64
		start, end        int
		code, coder, text string
	}
	var rulesUnit, cbHash string
	err = w.tx.QueryRowContext(w.ctx, `SELECT unit, codebook_hash, codings FROM rules_codings WHERE source_id = ?`, t.id).Scan(&rulesUnit, &cbHash, &res.RulesCodings)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	hadRules := err == nil
	var memos []memo
	err = eachRow(w.ctx, w.tx, `SELECT id, start, end, code, coding_coder, text FROM memos WHERE kind = 'coding' AND source = ? ORDER BY start, end, id`, []any{old.Name}, func(rows *sql.Rows) error {
		var mm memo
		if err := rows.Scan(&mm.id, &mm.start, &mm.end, &mm.code, &mm.coder, &mm.text); err != nil {
			return err
		}
		memos = append(memos, mm)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, mm := range memos {
		bs, be := corpus.ByteOffset(old.Text, mm.start), corpus.ByteOffset(old.Text, mm.end)
		if bs < 0 || be < bs {
			return nil, qcode.Errorf(qcode.EINTERNAL, "memo %d of %s: its span [%d,%d) does not fit the text; the store is damaged", mm.id, old.Name, mm.start, mm.end)
		}
		var mv moved
		if pm := byOld[key{mm.start, mm.end, mm.code, mm.coder}]; pm != nil && mm.coder != coding.RulesCoder {
			mv = *pm
			mv.lost = mv.lost && !mv.merged // on the coding that holds its words now
		} else {
			unit := coding.UnitSpan
			if mm.coder == coding.RulesCoder && rulesUnit != "" {
				unit = coding.Unit(rulesUnit)
			}
			mv = move(coding.Ref{Source: old.Name, Unit: unit, Start: mm.start, End: mm.end}, bs, be, true)
		}
		if mv.lost {
			// The coding's words are gone; what was written about them
			// is not: the memo describes the source now.
			if _, err := w.tx.ExecContext(w.ctx, `UPDATE memos SET kind = 'source', code = '', start = NULL, end = NULL, coding_coder = NULL WHERE id = ?`, mm.id); err != nil {
				return nil, err
			}
			res.MemosOnSource++
			if err := logMove("edit", "memo", nil, nil, mm.code, nil, mm.text, mm.id, mm.start, mm.end); err != nil {
				return nil, err
			}
			continue
		}
		if _, err := w.tx.ExecContext(w.ctx, `UPDATE memos SET start = ?, end = ? WHERE id = ?`, mv.s, mv.e, mm.id); err != nil {
			return nil, err
		}
		res.MemosMoved++
		if mv.s == mm.start && mv.e == mm.end {
			continue
		}
		if err := logMove("move", "memo", mv.s, mv.e, mm.code, nil, "", mm.id, mm.start, mm.end); err != nil {
			return nil, err
		}
	}

	// Rejected rules codings.
	type rejection struct {
		code, unit, coder, created string
		start, end, bs, be         int
		ord                        int
	}
	var rjs []rejection
	err = eachRow(w.ctx, w.tx, `SELECT code, start, end, byte_start, byte_end, unit, ord, coder, created_at FROM rejections WHERE source_id = ? ORDER BY byte_start`, []any{t.id}, func(rows *sql.Rows) error {
		var r rejection
		if err := rows.Scan(&r.code, &r.start, &r.end, &r.bs, &r.be, &r.unit, &r.ord, &r.coder, &r.created); err != nil {
			return err
		}
		rjs = append(rjs, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if _, err := w.tx.ExecContext(w.ctx, `DELETE FROM rejections WHERE source_id = ?`, t.id); err != nil {
		return nil, err
	}
	// Suggestions are remade by the next run; a rejected one whose
	// sentence moved may be suggested again, at its new place.
	for _, q := range []string{`DELETE FROM suggestions WHERE source_id = ?`, `DELETE FROM suggestion_rejections WHERE source_id = ?`} {
		if _, err := w.tx.ExecContext(w.ctx, q, t.id); err != nil {
			return nil, err
		}
	}
	type rjKey struct {
		code string
		s, e int
	}
	rjTaken := map[rjKey]bool{}
	for _, r := range rjs {
		mv := move(coding.Ref{Source: old.Name, Unit: coding.Unit(r.unit), Ord: r.ord, Start: r.start, End: r.end}, r.bs, r.be, true)
		if mv.lost || rjTaken[rjKey{r.code, mv.s, mv.e}] {
			res.RejectionsDropped++
			if err := logMove("remove", "rejection", nil, nil, r.code, string(coding.OriginRules), "", nil, r.start, r.end); err != nil {
				return nil, err
			}
			continue
		}
		rjTaken[rjKey{r.code, mv.s, mv.e}] = true
		if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO rejections (source_id, code, start, end, byte_start, byte_end, unit, ord, coder, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)`,
			t.id, r.code, mv.s, mv.e, mv.bs, mv.be, string(mv.unit), mv.ord, r.coder, r.created); err != nil {
			return nil, err
		}
		res.RejectionsMoved++
		if mv.s == r.start && mv.e == r.end {
			continue
		}
		if err := logMove("move", "rejection", mv.s, mv.e, r.code, string(coding.OriginRules), "", nil, r.start, r.end); err != nil {
			return nil, err
		}
	}

	// The rules' codings: made again by the codebook that made them, or
	// dropped.
	if hadRules {
		unit := rulesUnit
		if _, err := w.tx.ExecContext(w.ctx, `DELETE FROM rules_codings WHERE source_id = ?`, t.id); err != nil {
			return nil, err
		}
		if o.Rules != nil && o.Rules.CodebookHash == cbHash {
			var interviewer bool
			if err := w.tx.QueryRowContext(w.ctx, `SELECT COALESCE((SELECT interviewer FROM rules_runs WHERE codebook_hash = ? AND unit = ? ORDER BY id DESC LIMIT 1), 0)`, cbHash, unit).Scan(&interviewer); err != nil {
				return nil, err
			}
			res.RulesRemade = true
			w.done = append(w.done, corrected{res: res, id: t.id, at: at, o: o,
				run: RulesRun{Codebook: o.Rules.Codebook, CodebookHash: cbHash, Unit: coding.Unit(unit), Interviewer: interviewer}})
			res.Hash = hash
			return res, nil
		}
	}
	w.done = append(w.done, corrected{res: res, id: t.id, at: at, o: o})
	res.Hash = hash
	return res, nil
}

// corrected is a source corrected in a writer's transaction, for
// finishCorrections.
type corrected struct {
	res *Correction
	id  int64
	at  string
	o   EditOptions
	run RulesRun // Sources unset; CodebookHash "" when the rules run not again
}

// finishCorrections runs the rules again over the sources corrected in the
// transaction whose rules codings the codebook made, one run for each
// unit, as 'qcode code --source' would (one record of it in rules_runs),
// and logs what each correction did.
func (w *writer) finishCorrections() error {
	type group struct {
		run   RulesRun
		coder SegmentCoder
	}
	type key struct {
		hash        string
		unit        coding.Unit
		interviewer bool
	}
	var groups []*group
	byRun := map[key]*group{}
	names := map[int64]string{}
	for _, c := range w.done {
		names[c.id] = c.res.Source
		if c.run.CodebookHash == "" {
			continue
		}
		k := key{c.run.CodebookHash, c.run.Unit, c.run.Interviewer}
		g := byRun[k]
		if g == nil {
			g = &group{run: c.run, coder: c.o.Rules.Coder}
			byRun[k] = g
			groups = append(groups, g)
		}
		g.run.Sources = append(g.run.Sources, c.res.Source)
	}
	for _, g := range groups {
		r, err := newRulesRunner(w.ctx, w.tx, g.run, g.coder)
		if err != nil {
			return err
		}
		if _, err := r.runAll(); err != nil {
			return err
		}
	}
	for _, c := range w.done {
		if c.res.RulesRemade {
			if err := w.tx.QueryRowContext(w.ctx, `SELECT COALESCE((SELECT codings FROM rules_codings WHERE source_id = ?), 0)`, c.id).Scan(&c.res.RulesAfter); err != nil {
				return err
			}
		}
		summary := fmt.Sprintf("corrected: %d codings moved, %d changed, %d removed; %d memos moved; rules codings %s",
			c.res.Moved, len(c.res.Changed), len(c.res.Removed), c.res.MemosMoved, rulesSummary(c.res))
		if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO audit (at, coder, command, action, what, source, text) VALUES (?,?,?,'edit','source',?,?)`,
			c.at, c.o.Coder, c.o.Command, c.res.Source, summary); err != nil {
			return err
		}
	}
	w.done = w.done[:0]
	return nil
}

// lostCoding is the conflict of a correction that deletes all the words of
// coder's coding of code on ref; the option "drop_lost" lets it.
func lostCoding(ref coding.Ref, coder, code, quote string) error {
	return &qcode.Error{Code: qcode.ECONFLICT, Field: "drop_lost",
		Message: fmt.Sprintf("needed: the correction deletes all the words of %s's coding %s on %s (%q); keep some of them, remove the coding first, or let the correction remove it",
			coder, code, ref, clip(quote))}
}

// checkCorrection reports, without writing, the error correcting t to the
// text edits make of it (nd, as read) would give: a speaker changed, or a
// person's coding whose words are all deleted.
func checkCorrection(ctx context.Context, q queryer, t *storedSource, edits []corpus.Edit, nd *corpus.Source, o EditOptions) error {
	m := corpus.NewSpanMap(edits)
	if !o.Replace {
		if err := speakersKept(t, nd, m, true); err != nil {
			return err
		}
	}
	if o.DropLost {
		return nil
	}
	return eachRow(ctx, q, `SELECT start, end, byte_start, byte_end, code, coder, unit, ord FROM codings WHERE source_id = ? ORDER BY byte_start, byte_end, id`, []any{t.id}, func(rows *sql.Rows) error {
		var ref coding.Ref
		var bs, be int
		var code, coder, unit string
		if err := rows.Scan(&ref.Start, &ref.End, &bs, &be, &code, &coder, &unit, &ref.Ord); err != nil {
			return err
		}
		ref.Source, ref.Unit = t.doc.Name, coding.Unit(unit)
		ns, ne, changed, lost := m.Map(bs, be)
		if changed && !lost {
			lost = trimmed(nd.Text, ns, ne).Len() == 0
		}
		if lost {
			return lostCoding(ref, coder, code, t.doc.Text[bs:be])
		}
		return nil
	})
}

func rulesSummary(c *Correction) string {
	switch {
	case c.RulesCodings == 0 && !c.RulesRemade:
		return "none"
	case c.RulesRemade:
		return fmt.Sprintf("made again (%d, were %d)", c.RulesAfter, c.RulesCodings)
	}
	return fmt.Sprintf("dropped (%d)", c.RulesCodings)
}

// trimmed returns [s, e) of text without white space at its ends.
func trimmed(text string, s, e int) corpus.Span {
	for s < e && strings.ContainsRune(" \t\n\r\f", rune(text[s])) {
		s++
	}
	for e > s && strings.ContainsRune(" \t\n\r\f", rune(text[e-1])) {
		e--
	}
	return corpus.Span{Start: s, End: e}
}

// clip shortens a quote for a message.
func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "…"
	}
	return s
}

// speakersKept checks that the corrected source nd gives every turn of the
// stored one that keeps any words the same speaker, and has the same
// speakers: a re-import that changes who speaks is not a correction of the
// words, and needs the option "replace".
func speakersKept(t *storedSource, nd *corpus.Source, m *corpus.SpanMap, reimport bool) error {
	old := t.doc
	what := old.Name
	if reimport {
		what = nd.Path
	}
	conflict := func(msg string) error {
		return &qcode.Error{Code: qcode.ECONFLICT, Field: "replace",
			Message: fmt.Sprintf("needed to correct %s: %s; codings are carried across either way", what, msg)}
	}
	j := 0
	for i, ot := range old.Turns {
		ns, ne, _, lost := m.Map(ot.Start, ot.End)
		if lost {
			continue
		}
		// The new turn that holds most of the old one's words.
		for j < len(nd.Turns) && nd.Turns[j].End <= ns {
			j++
		}
		best, bestN := -1, 0
		for k := j; k < len(nd.Turns) && nd.Turns[k].Start < ne; k++ {
			if n := min(ne, nd.Turns[k].End) - max(ns, nd.Turns[k].Start); n > bestN {
				best, bestN = k, n
			}
		}
		if best >= 0 && nd.Turns[best].Speaker != ot.Speaker {
			return conflict(fmt.Sprintf("turn %s:t%d of %s (%q) is %s's in the new text", old.Name, t.ords[i], speakerName(ot.Speaker), clip(old.Text[ot.Start:ot.End]), speakerName(nd.Turns[best].Speaker)))
		}
	}
	oldNames, _ := old.Speakers()
	newNames, _ := nd.Speakers()
	for i, ot := range old.Turns {
		if !slices.Contains(newNames, ot.Speaker) {
			return conflict(fmt.Sprintf("%s, who speaks turn %s:t%d, is no speaker of the new text", speakerName(ot.Speaker), old.Name, t.ords[i]))
		}
	}
	for k, nt := range nd.Turns {
		if !slices.Contains(oldNames, nt.Speaker) {
			return conflict(fmt.Sprintf("%s, who speaks turn %d of the new text (%q), was no speaker of it", speakerName(nt.Speaker), k+1, clip(nd.Text[nt.Start:nt.End])))
		}
	}
	return nil
}

// speakerName names a speaker in a message; a document's turns have none.
func speakerName(s string) string {
	if s == "" {
		return "no speaker"
	}
	return s
}
