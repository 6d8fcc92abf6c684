package project

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"qcode"
	"qcode/corpus"
)

// Import statuses.
const (
	Imported  = "imported"
	Unchanged = "unchanged" // same name and content as a source already there
	Replaced  = "replaced"
	Corrected = "corrected" // same name, the text corrected: codings carried across (see Correction)
)

// ImportResult says what importing one source did.
type ImportResult struct {
	Name     string         `json:"name"`
	Status   string         `json:"status"`
	Counts   corpus.Counts  `json:"counts"`
	Speakers []string       `json:"speakers"`
	Turns    map[string]int `json:"speaker_turns"` // turns per speaker
	// Document is set for a text without speaker labels: its turns are
	// its paragraphs, with no speaker, and Speakers is empty.
	Document bool `json:"document,omitempty"`
	// Correction says what a correction did to the source's codings,
	// memos and rejections (Status Corrected).
	Correction *Correction `json:"correction,omitempty"`
}

// ImportOptions say what an import may do with a source whose name is
// taken by other content.
type ImportOptions struct {
	// Replace lets the new file's speakers differ from the stored ones
	// when it corrects the source, and replaces a source whose text it
	// does not keep enough of (MinKept), when no person coded it.
	Replace bool
	// DropLost, Coder, Command and Rules are as a correction's
	// (EditOptions).
	DropLost       bool
	Coder, Command string
	Rules          *RulesRerun
	// keep is Import's way: other content under a taken name is never a
	// correction.
	keep bool
}

func (o ImportOptions) edit() EditOptions {
	return EditOptions{Coder: o.Coder, Command: o.Command, DropLost: o.DropLost, Replace: o.Replace, Rules: o.Rules}
}

// Import stores the sources read from one file in one transaction: all of
// them, or, on any error, none. A document whose name is taken by a source
// with the same content is left alone (Unchanged); one with other content is
// a qcode.ECONFLICT error unless replace is set, and even then when people
// have coded the source: replacing its text would lose their codings.
func (p *Project) Import(ctx context.Context, docs []*corpus.Source, replace bool) ([]ImportResult, error) {
	return p.ImportWith(ctx, docs, ImportOptions{Replace: replace, keep: true})
}

// ImportWith is Import with the options of a correction: a document whose
// name is taken by a source whose text it keeps at least MinKept of is a
// correction of that source (Corrected): its text, turns and segments are
// rewritten in place and what was made on it carried across (see
// EditSources), unless a speaker changed (then o.Replace must be set) or a
// person's coding lost all its words (o.DropLost). Other content under a
// taken name is as Import says.
func (p *Project) ImportWith(ctx context.Context, docs []*corpus.Source, o ImportOptions) ([]ImportResult, error) {
	results := make([]ImportResult, 0, len(docs))
	err := p.tx(ctx, func(tx *sql.Tx) error {
		w, err := newWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		seen := map[string]bool{}
		for _, d := range docs {
			if seen[d.Name] {
				return qcode.Errorf(qcode.EINVALID, "%s: two sources in one file are both named %q; names must be unique", d.Path, d.Name)
			}
			seen[d.Name] = true
			r, err := w.importDoc(d, o)
			if err != nil {
				return err
			}
			results = append(results, r)
		}
		return w.finishCorrections()
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// writer holds the prepared statements of one import transaction.
type writer struct {
	ctx context.Context
	tx  *sql.Tx
	// A source's turns, their texts and its segments go in many rows to
	// a statement: one statement a row cost twice as much as the rows.
	turns, segments *rowBatch
	speakers        map[string]int64
	blobs           []byte  // the token blobs of the segments not yet inserted
	turnSpeakers    []int64 // the speaker's id of each turn of the source last written
	// written is the source importDoc last wrote anew, as the index
	// takes it; nil when it wrote none.
	written *WrittenSource
	done    []corrected // the corrections so far, for finishCorrections
	// importedAt is the import time to record, when it is not now: a
	// source merged from another project keeps its own.
	importedAt time.Time
}

// writerRows is how many rows of turns and segments a writer
// inserts to a statement.
const writerRows = 128

func newWriter(ctx context.Context, tx *sql.Tx) (*writer, error) {
	w := &writer{ctx: ctx, tx: tx, speakers: map[string]int64{}}
	var err error
	if w.turns, err = newRowBatch(ctx, tx, `INSERT INTO turns (source_id, ord, speaker_id, start, end, byte_start, byte_end, time_start, time_end, line) VALUES `,
		`(?,?,?,?,?,?,?,?,?,?)`, 10, writerRows); err != nil {
		return nil, err
	}
	if w.segments, err = newRowBatch(ctx, tx, `INSERT INTO segments (source_id, kind, ord, turn, start, end, byte_start, byte_end, words, tokens) VALUES `,
		`(?,?,?,?,?,?,?,?,?,?)`, 10, writerRows); err != nil {
		w.turns.close()
		return nil, err
	}
	return w, nil
}

func (w *writer) close() {
	w.turns.close()
	w.segments.close()
}

func (w *writer) importDoc(d *corpus.Source, o ImportOptions) (ImportResult, error) {
	r := ImportResult{Name: d.Name, Status: Imported, Counts: d.Counts()}
	r.Speakers, r.Turns = d.Speakers()
	if r.Document = d.IsDocument(); r.Document {
		r.Speakers, r.Turns = []string{}, map[string]int{}
	}
	w.written = nil
	hash := d.Hash()
	var oldID int64
	var oldHash, oldPath, oldAt string
	err := w.tx.QueryRowContext(w.ctx, `SELECT id, hash, path, imported_at FROM sources WHERE name = ?`, d.Name).Scan(&oldID, &oldHash, &oldPath, &oldAt)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return r, err
	case oldHash == hash:
		r.Status = Unchanged
		return r, nil
	}
	if err == nil && !o.keep {
		t, err := loadStored(w.ctx, w.tx, d.Name)
		if err != nil {
			return r, err
		}
		edits := corpus.Diff(t.doc.Text, d.Text)
		if Kept(t.doc.Text, edits) >= MinKept {
			if len(d.Turns) == 0 {
				return r, noTurns(d)
			}
			if !d.Segmented() {
				// A correction places codings on the new segments.
				corpus.Segment(d)
				r.Counts = d.Counts()
			}
			r.Status = Corrected
			r.Correction, err = w.correct(t, edits, d, o.edit())
			return r, err
		}
	}
	switch {
	case err != nil:
	case !o.Replace:
		return r, nameTaken(d, oldPath, oldAt)
	default:
		// Rules codings go with the old text (qcode code makes them again);
		// people's codings would be lost, so they stop the replacement.
		if err := refuseReplace(w.ctx, w.tx, d.Path, d.Name); err != nil {
			return r, err
		}
		if _, err := w.tx.ExecContext(w.ctx, `DELETE FROM sources WHERE id = ?`, oldID); err != nil {
			return r, err
		}
		r.Status = Replaced
	}
	if len(d.Turns) == 0 {
		return r, noTurns(d)
	}
	caseName := d.Case
	if caseName == "" {
		caseName = d.Name
	}
	caseID, err := w.caseID(caseName)
	if err != nil {
		return r, err
	}
	if err := w.setAttributes(d.Path, caseID, d.Attributes); err != nil {
		return r, err
	}
	runes := corpus.NewRunes(d.Text)
	hs, he := runes.Offset(d.Header.Start), runes.Offset(d.Header.End)
	chars := corpus.NewRunes(d.Text).Offset(len(d.Text))
	at := now()
	if !w.importedAt.IsZero() {
		at = w.importedAt.UTC()
	}
	res, err := w.tx.ExecContext(w.ctx, `INSERT INTO sources (name, format, path, hash, case_id, text, chars, header_start, header_end, turns, paragraphs, sentences, words, imported_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		d.Name, d.Format, d.Path, hash, caseID, d.Text, chars, hs, he,
		r.Counts.Turns, r.Counts.Paragraphs, r.Counts.Sentences, r.Counts.Words, at.Format(time.RFC3339))
	if err != nil {
		return r, err
	}
	srcID, err := res.LastInsertId()
	if err != nil {
		return r, err
	}
	counts, err := w.writeTurns(srcID, d, runes)
	if err != nil {
		return r, err
	}
	if counts != r.Counts {
		// The source was segmented as it was written: its counts are
		// known only now.
		r.Counts = counts
		_, err = w.tx.ExecContext(w.ctx, `UPDATE sources SET paragraphs = ?, sentences = ?, words = ? WHERE id = ?`,
			counts.Paragraphs, counts.Sentences, counts.Words, srcID)
		if err != nil {
			return r, err
		}
	}
	w.written = &WrittenSource{ID: srcID, Stamp: sourceStamp(hash, at, counts.Sentences), doc: d, speakers: slices.Clone(w.turnSpeakers)}
	return r, nil
}

// noTurns is the error for a source with nothing to import.
func noTurns(d *corpus.Source) error {
	return qcode.Errorf(qcode.EINVALID, "%s: source %s has no turns to import; it holds no answers or speech", d.Path, d.Name)
}

// writeTurns writes turns, paragraphs and sentences in text order, so one
// forward walk of runes converts every span. It keeps each turn's speaker's
// id, for the source's WrittenSource.
func (w *writer) writeTurns(srcID int64, d *corpus.Source, runes *corpus.Runes) (corpus.Counts, error) {
	c := corpus.Counts{Turns: len(d.Turns)}
	w.turnSpeakers = w.turnSpeakers[:0]
	// A segment's token blob is kept until its row is inserted: they are
	// made into one buffer, let go when the segments' batch is sent.
	segment := func(values ...any) error {
		full := w.segments.filling()
		err := w.segments.add(values...)
		if full {
			w.blobs = w.blobs[:0]
		}
		return err
	}
	err := walkSegments(d,
		func(ord int, t *corpus.Turn) error {
			spk, err := w.speakerID(t.Speaker)
			if err != nil {
				return err
			}
			w.turnSpeakers = append(w.turnSpeakers, spk)
			ts, te := runes.Offset(t.Start), runes.Offset(t.End)
			return w.turns.add(srcID, int64(ord), spk, int64(ts), int64(te), int64(t.Start), int64(t.End), nullTime(t.Begin), nullTime(t.Finish), int64(t.Line))
		},
		func(ord, turn int, s corpus.Sentence) error {
			c.Sentences++
			c.Tokens += len(s.Tokens)
			n := countWords(s.Tokens)
			c.Words += n
			at := len(w.blobs)
			w.blobs = AppendTokens(w.blobs, s.Start, s.Tokens)
			// int64s, which database/sql passes on as they are: ints
			// it converts by reflection, into another allocation.
			return segment(srcID, "sentence", int64(ord), int64(turn), int64(runes.Offset(s.Start)), int64(runes.Offset(s.End)), int64(s.Start), int64(s.End), int64(n), w.blobs[at:len(w.blobs):len(w.blobs)])
		},
		func(ord, turn int, p corpus.Span, sentences func() error) error {
			c.Paragraphs++
			words := c.Words
			ps := runes.Offset(p.Start)
			if err := sentences(); err != nil {
				return err
			}
			return segment(srcID, "paragraph", int64(ord), int64(turn), int64(ps), int64(runes.Offset(p.End)), int64(p.Start), int64(p.End), int64(c.Words-words), nil)
		})
	for _, b := range []*rowBatch{w.turns, w.segments} {
		if err == nil {
			err = b.flush()
		}
	}
	w.blobs = w.blobs[:0]
	return c, err
}

// walkSegments walks a source's turns, paragraphs and sentences in text
// order, numbering each kind from 1 as the store numbers them: turn is
// called with each turn, then paragraph with each of its paragraphs, which
// calls sentences to have sentence called with each of the paragraph's
// sentences. A source not yet segmented is segmented here a sentence at a
// time, each sentence let go once its call returns, so that a long source
// is never held whole as tokens. The store writes what it walks, and
// WrittenSource.Read gives the index what it walks: one walk, so the two
// number alike.
func walkSegments(d *corpus.Source,
	turn func(ord int, t *corpus.Turn) error,
	sentence func(ord, turn int, s corpus.Sentence) error,
	paragraph func(ord, turn int, p corpus.Span, sentences func() error) error) error {
	lazy := !d.Segmented()
	sOrd, pOrd := 0, 0
	for i := range d.Turns {
		t := &d.Turns[i]
		if err := turn(i+1, t); err != nil {
			return err
		}
		var paras []corpus.Paragraph
		if lazy {
			for _, sp := range corpus.ParagraphSpans(d.Text, t.Span) {
				paras = append(paras, corpus.Paragraph{Span: sp})
			}
		} else {
			paras = t.Paragraphs
		}
		for _, p := range paras {
			pOrd++
			err := paragraph(pOrd, i+1, p.Span, func() error {
				var werr error
				each := func(s corpus.Sentence) bool {
					sOrd++
					werr = sentence(sOrd, i+1, s)
					return werr == nil
				}
				if lazy {
					corpus.EachSentence(d.Text, p.Span, each)
				} else {
					for _, s := range p.Sentences {
						if !each(s) {
							break
						}
					}
				}
				return werr
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func countWords(toks []corpus.Token) int {
	n := 0
	for _, t := range toks {
		if t.IsWord() {
			n++
		}
	}
	return n
}

func nullTime(t corpus.Time) any {
	if t == corpus.NoTime {
		return nil
	}
	return int64(t)
}

func (w *writer) speakerID(name string) (int64, error) {
	if id, ok := w.speakers[name]; ok {
		return id, nil
	}
	var id int64
	err := w.tx.QueryRowContext(w.ctx, `INSERT INTO speakers (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id`, name).Scan(&id)
	if err != nil {
		return 0, err
	}
	w.speakers[name] = id
	return id, nil
}

func (w *writer) caseID(name string) (int64, error) {
	var id int64
	err := w.tx.QueryRowContext(w.ctx, `INSERT INTO cases (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id`, name).Scan(&id)
	return id, err
}

// setAttributes records a case's attribute values, declaring each attribute
// with its type the first time it is seen. A value whose type clashes with
// the attribute's declared type is an error.
func (w *writer) setAttributes(path string, caseID int64, attrs []corpus.Attribute) error {
	for _, a := range attrs {
		if err := declareAttribute(w.ctx, w.tx, path, a.Name, a.Type); err != nil {
			return err
		}
		if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO case_attributes (case_id, attribute, value) VALUES (?,?,?)
			ON CONFLICT (case_id, attribute) DO UPDATE SET value = excluded.value`, caseID, a.Name, a.Value); err != nil {
			return err
		}
	}
	return nil
}

func declareAttribute(ctx context.Context, tx *sql.Tx, path, name string, typ corpus.AttrType) error {
	var old string
	err := tx.QueryRowContext(ctx, `SELECT type FROM attributes WHERE name = ?`, name).Scan(&old)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.ExecContext(ctx, `INSERT INTO attributes (name, type) VALUES (?, ?)`, name, string(typ))
		return err
	case err != nil:
		return err
	case old != string(typ):
		return qcode.Errorf(qcode.EINVALID, "%s: attribute %q holds %s values here but is a %s attribute in the project; make the values %ss, or name the column %q to keep it text", path, name, typ, old, old, fmt.Sprintf("%s:text", name))
	}
	return nil
}
