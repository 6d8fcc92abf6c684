package project

import (
	"context"
	"database/sql"
	"slices"

	"qcode"
	"qcode/corpus"
)

// SourceInfo describes one stored source.
type SourceInfo struct {
	Name       string             `json:"name"`
	Format     string             `json:"format"`
	Path       string             `json:"path"`
	Case       string             `json:"case"`
	Speakers   []string           `json:"speakers"`
	Turns      int                `json:"turns"`
	Paragraphs int                `json:"paragraphs"`
	Sentences  int                `json:"sentences"`
	Words      int                `json:"words"`
	Chars      int                `json:"chars"`
	Codings    int                `json:"codings"` // by the rules and by people
	Attributes []corpus.Attribute `json:"attributes"`
	ImportedAt string             `json:"imported_at"`
	// Document is set for a text without speaker labels, whose turns are
	// its paragraphs and have no speaker (and Speakers is empty).
	Document bool `json:"document,omitempty"`
}

// Sources lists the project's sources by name.
func (p *Project) Sources(ctx context.Context) ([]SourceInfo, error) {
	var out []SourceInfo
	err := p.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = sources(ctx, tx, "")
		return err
	})
	return out, err
}

// sources lists the sources by name, with what Sources tells of each: all
// of them, or only the one named (none when there is none), which costs
// what that source's size does, not the project's.
func sources(ctx context.Context, q queryer, name string) ([]SourceInfo, error) {
	query, args := `SELECT s.id, s.name, s.format, s.path, c.id, c.name, s.turns, s.paragraphs, s.sentences, s.words, s.chars, s.imported_at
		FROM sources s INDEXED BY source_listing JOIN cases c ON c.id = s.case_id`, []any(nil)
	if name != "" {
		query += ` WHERE s.name = ?`
		args = append(args, name)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY s.name`, args...)
	if err != nil {
		return nil, err
	}
	var out []SourceInfo
	var ids, caseIDs []int64
	for rows.Next() {
		var s SourceInfo
		var id, caseID int64
		if err := rows.Scan(&id, &s.Name, &s.Format, &s.Path, &caseID, &s.Case, &s.Turns, &s.Paragraphs, &s.Sentences, &s.Words, &s.Chars, &s.ImportedAt); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, s)
		ids = append(ids, id)
		caseIDs = append(caseIDs, caseID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var one, oneCase []int64 // the named source's and its case's ids, for the counts
	if name != "" {
		if len(ids) == 0 {
			return nil, nil
		}
		one, oneCase = ids, caseIDs
	}
	speakers, err := speakersBySource(ctx, q, one...)
	if err != nil {
		return nil, err
	}
	attrs, err := attributeValues(ctx, q, oneCase...)
	if err != nil {
		return nil, err
	}
	codings, err := codingsBySource(ctx, q, one...)
	if err != nil {
		return nil, err
	}
	for i := range out {
		// The turns of a document's paragraphs have no speaker, and
		// neither have a transcript's turns before anyone is named (a
		// caption before the first voice): no speaker is listed for them.
		sp := speakers[ids[i]]
		if k := slices.Index(sp, ""); k >= 0 {
			out[i].Document = len(sp) == 1
			sp = slices.Delete(sp, k, k+1)
		}
		out[i].Speakers = sp
		out[i].Attributes = attrs[caseIDs[i]]
		out[i].Codings = codings[ids[i]]
	}
	return out, nil
}

// codingsBySource counts the codings of each source, or of the source of
// id only.
func codingsBySource(ctx context.Context, q queryer, id ...int64) (map[int64]int, error) {
	where, args := onlyID("source_id", id)
	rows, err := q.QueryContext(ctx, `SELECT source_id, sum(n) FROM (
		SELECT source_id, count(*) AS n FROM codings`+where+` GROUP BY source_id
		UNION ALL SELECT source_id, codings FROM rules_codings`+where+`) GROUP BY source_id`, append(args, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// speakersBySource names the speakers of each source, or of the source of
// id only, in the order they first speak.
func speakersBySource(ctx context.Context, q queryer, id ...int64) (map[int64][]string, error) {
	where, args := onlyID("t.source_id", id)
	rows, err := q.QueryContext(ctx, `SELECT t.source_id, k.name FROM turns t JOIN speakers k ON k.id = t.speaker_id`+where+`
		GROUP BY t.source_id, k.id ORDER BY t.source_id, MIN(t.ord)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = append(out[id], name)
	}
	return out, rows.Err()
}

// AttributesByCase returns each case's attributes, by case id, in the
// order the attributes were made.
func (p *Project) AttributesByCase(ctx context.Context) (map[int64][]corpus.Attribute, error) {
	return attributeValues(ctx, p.db)
}

// attributeValues returns every case's attribute values by case id (or
// the values of the case of id only), in the order the attributes were
// declared.
func attributeValues(ctx context.Context, q queryer, id ...int64) (map[int64][]corpus.Attribute, error) {
	where, args := onlyID("ca.case_id", id)
	rows, err := q.QueryContext(ctx, `SELECT ca.case_id, a.name, a.type, ca.value FROM case_attributes ca
		JOIN attributes a ON a.name = ca.attribute`+where+` ORDER BY ca.case_id, a.rowid`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]corpus.Attribute{}
	for rows.Next() {
		var id int64
		var a corpus.Attribute
		if err := rows.Scan(&id, &a.Name, &a.Type, &a.Value); err != nil {
			return nil, err
		}
		out[id] = append(out[id], a)
	}
	return out, rows.Err()
}

// Source is a source with its text, turns and sentences, as stored.
type Source struct {
	SourceInfo
	Text   string `json:"-"`
	Header string `json:"header"`
	// Hash is the content hash of the text as imported: a page or a tool
	// that found offsets in the text gives it back with a change, so that
	// a re-import meanwhile is caught (see CodingRequest.Hash).
	Hash  string `json:"-"`
	Turns []Turn `json:"turns"`
}

// Turn is one turn of a stored source. Start and End are character
// offsets into the source's text.
type Turn struct {
	Ord       int        `json:"turn"`
	Speaker   string     `json:"speaker"`
	Start     int        `json:"start"`
	End       int        `json:"end"`
	Begin     *int64     `json:"time_start,omitempty"` // milliseconds
	Finish    *int64     `json:"time_end,omitempty"`
	Line      int        `json:"line"`
	Text      string     `json:"text"`
	Sentences []Sentence `json:"sentences,omitempty"`
}

// Sentence is one sentence of a stored turn.
type Sentence struct {
	Ord    int            `json:"sentence"`
	Start  int            `json:"start"`
	End    int            `json:"end"`
	Words  int            `json:"words"`
	Text   string         `json:"text"`
	Tokens []corpus.Token `json:"-"` // byte spans in the source's text
}

// Source returns one source with its turns and sentences (with tokens),
// read in one transaction, so that they agree with its text whatever
// another process imports meanwhile. An unknown name is a qcode.ENOTFOUND
// error that suggests the nearest names.
func (p *Project) Source(ctx context.Context, name string) (*Source, error) {
	return p.readSource(ctx, name, true)
}

// SourceTurns returns one source with its text and turns but not their
// sentences, as Source does: what a page showing the source, or a span
// snapped to its words, needs, without decoding every sentence's tokens.
func (p *Project) SourceTurns(ctx context.Context, name string) (*Source, error) {
	return p.readSource(ctx, name, false)
}

func (p *Project) readSource(ctx context.Context, name string, sentences bool) (*Source, error) {
	var src *Source
	err := p.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		src, err = source(ctx, tx, name, sentences)
		return err
	})
	return src, err
}

func source(ctx context.Context, q queryer, name string, sentences bool) (*Source, error) {
	one, err := sources(ctx, q, name)
	if err != nil {
		return nil, err
	}
	if len(one) == 0 || name == "" {
		names, err := sourceNames(ctx, q)
		if err != nil {
			return nil, err
		}
		return nil, unknownSource(name, names)
	}
	src := &Source{SourceInfo: one[0]}
	var id int64
	var hs, he int
	if err := q.QueryRowContext(ctx, `SELECT id, text, hash, header_start, header_end FROM sources WHERE name = ?`, name).Scan(&id, &src.Text, &src.Hash, &hs, &he); err != nil {
		return nil, err
	}
	if he > hs {
		src.Header = sliceChars(src.Text, hs, he)
	}
	rows, err := q.QueryContext(ctx, `SELECT t.ord, k.name, t.start, t.end, t.byte_start, t.byte_end, t.time_start, t.time_end, t.line
		FROM turns t JOIN speakers k ON k.id = t.speaker_id WHERE t.source_id = ? ORDER BY t.ord`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var t Turn
		var bs, be int
		var ts, te sql.NullInt64
		if err := rows.Scan(&t.Ord, &t.Speaker, &t.Start, &t.End, &bs, &be, &ts, &te, &t.Line); err != nil {
			rows.Close()
			return nil, err
		}
		if ts.Valid {
			t.Begin = &ts.Int64
		}
		if te.Valid {
			t.Finish = &te.Int64
		}
		t.Text = src.Text[bs:be]
		src.Turns = append(src.Turns, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !sentences {
		return src, nil
	}
	rows, err = q.QueryContext(ctx, `SELECT ord, turn, start, end, byte_start, byte_end, words, tokens FROM segments
		WHERE source_id = ? AND kind = 'sentence' ORDER BY ord`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var s Sentence
		var turn, bs, be int
		var blob []byte
		if err := rows.Scan(&s.Ord, &turn, &s.Start, &s.End, &bs, &be, &s.Words, &blob); err != nil {
			return nil, err
		}
		if turn < 1 || turn > len(src.Turns) || be > len(src.Text) || bs > be {
			return nil, qcode.Errorf(qcode.EINTERNAL, "source %s: sentence %d is out of place; the store is damaged", name, s.Ord)
		}
		s.Text = src.Text[bs:be]
		if s.Tokens, err = DecodeTokens(nil, src.Text, bs, blob); err != nil {
			return nil, qcode.Errorf(qcode.EINTERNAL, "source %s: sentence %d: %v", name, s.Ord, err)
		}
		src.Turns[turn-1].Sentences = append(src.Turns[turn-1].Sentences, s)
	}
	return src, rows.Err()
}

// sliceChars returns text's characters [start, end).
func sliceChars(text string, start, end int) string {
	b := corpus.ByteOffset(text, start)
	e := corpus.ByteOffset(text, end)
	if b < 0 || e < b {
		return ""
	}
	return text[b:e]
}

// SourceNames returns the names of all sources.
func (p *Project) SourceNames(ctx context.Context) ([]string, error) {
	return sourceNames(ctx, p.db)
}

// queryStrings returns the one column of text that query selects, in its
// order; none is an empty list.
func queryStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SentenceRow is one sentence with where it stands: its source, case,
// speaker and turn. Start and End are character offsets.
type SentenceRow struct {
	Source   string
	Case     string
	Speaker  string
	Turn     int
	Sentence int
	Start    int
	End      int
	Begin    *int64 // the turn's time in milliseconds, nil when unknown
	Words    int
	Text     string
}

// EachSentence calls fn for every sentence of every source, in source and
// text order, holding one source's text in memory at a time. It reads in
// one transaction, so fn sees the project as it stood when the call began;
// fn must not call the project's other methods, which would wait for it.
func (p *Project) EachSentence(ctx context.Context, fn func(SentenceRow) error) error {
	return p.readTx(ctx, func(tx *sql.Tx) error {
		names, err := sourceNames(ctx, tx)
		if err != nil {
			return err
		}
		for _, name := range names {
			var id int64
			var text, caseName string
			if err := tx.QueryRowContext(ctx, `SELECT s.id, s.text, c.name FROM sources s JOIN cases c ON c.id = s.case_id WHERE s.name = ?`, name).Scan(&id, &text, &caseName); err != nil {
				return err
			}
			rows, err := tx.QueryContext(ctx, `SELECT g.ord, g.turn, g.start, g.end, g.byte_start, g.byte_end, g.words, k.name, t.time_start
			FROM segments g JOIN turns t ON t.source_id = g.source_id AND t.ord = g.turn JOIN speakers k ON k.id = t.speaker_id
			WHERE g.source_id = ? AND g.kind = 'sentence' ORDER BY g.ord`, id)
			if err != nil {
				return err
			}
			for rows.Next() {
				r := SentenceRow{Source: name, Case: caseName}
				var bs, be int
				var ts sql.NullInt64
				if err := rows.Scan(&r.Sentence, &r.Turn, &r.Start, &r.End, &bs, &be, &r.Words, &r.Speaker, &ts); err != nil {
					rows.Close()
					return err
				}
				if ts.Valid {
					r.Begin = &ts.Int64
				}
				r.Text = text[bs:be]
				if err := fn(r); err != nil {
					rows.Close()
					return err
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
}

// onlyID is a WHERE clause keeping the rows whose col is id's one value,
// and its argument; none for no id.
func onlyID(col string, id []int64) (string, []any) {
	if len(id) == 0 {
		return "", nil
	}
	return ` WHERE ` + col + ` = ?`, []any{id[0]}
}
