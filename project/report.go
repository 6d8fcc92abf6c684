package project

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"

	"qcode"
	"qcode/coding"
	"qcode/coding/report"
	"qcode/corpus"
)

// inside reports whether a coding starts or ends inside [start, end),
// given where codings start and end, sorted.
func inside(bounds []int, start, end int) bool {
	i, _ := slices.BinarySearch(bounds, start+1)
	return i < len(bounds) && bounds[i] < end
}

// reportHead reads the attributes, the cases that have sources, and the
// sources by name (from the listing index, without their texts), into d;
// it returns the sources' ids, by their index in d.Sources.
func reportHead(ctx context.Context, tx *sql.Tx, d *report.Data) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name, type FROM attributes ORDER BY rowid`)
	if err != nil {
		return nil, err
	}
	attrPos := map[string]int{}
	for rows.Next() {
		var a report.Attribute
		if err := rows.Scan(&a.Name, &a.Type); err != nil {
			rows.Close()
			return nil, err
		}
		attrPos[a.Name] = len(d.Attributes)
		d.Attributes = append(d.Attributes, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	rows, err = tx.QueryContext(ctx, `SELECT s.id, s.name, c.id, c.name FROM sources s INDEXED BY source_listing JOIN cases c ON c.id = s.case_id ORDER BY s.name`)
	if err != nil {
		return nil, err
	}
	var ids []int64
	caseNames := map[int64]string{}
	var srcCase []int64
	for rows.Next() {
		var id, caseID int64
		var name, caseName string
		if err := rows.Scan(&id, &name, &caseID, &caseName); err != nil {
			rows.Close()
			return nil, err
		}
		caseNames[caseID] = caseName
		ids = append(ids, id)
		d.Sources = append(d.Sources, report.Source{Name: name})
		srcCase = append(srcCase, caseID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The cases that have sources, by name.
	caseIDs := make([]int64, 0, len(caseNames))
	for id := range caseNames {
		caseIDs = append(caseIDs, id)
	}
	slices.SortFunc(caseIDs, func(x, y int64) int { return strings.Compare(caseNames[x], caseNames[y]) })
	casePos := make(map[int64]int, len(caseIDs))
	for i, id := range caseIDs {
		casePos[id] = i
		d.Cases = append(d.Cases, report.Case{Name: caseNames[id], Values: make([]string, len(d.Attributes))})
	}
	for i := range d.Sources {
		d.Sources[i].Case = casePos[srcCase[i]]
	}

	rows, err = tx.QueryContext(ctx, `SELECT case_id, attribute, value FROM case_attributes`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var caseID int64
		var attr, value string
		if err := rows.Scan(&caseID, &attr, &value); err != nil {
			return nil, err
		}
		c, ok := casePos[caseID]
		a, known := attrPos[attr]
		if ok && known {
			d.Cases[c].Values[a] = value
		}
	}
	return ids, rows.Err()
}

// EachReportSource reads what reports need source by source, in one read
// transaction, so that a report of any size holds one source's sentences
// and codings at a time (report.Sources). start is given the attributes,
// the cases that have sources and every source by name: a Data with no
// sentences nor codings; it returns the sources to read, in order, by
// their index there (nil for every source in order). each is then given
// each of those sources, by its index in start's Data, with
// its sentences in text order and its codings by any coder, ordered as
// Codings orders them. A sentence that a coding starts or ends inside has
// its words' spans. With r.Text, the sentences and codings carry their
// text; with r.Matches, the rules codings their matches; with
// r.CodingsOnly, no sentences are read. The slices are reused for the next
// source.
func (p *Project) EachReportSource(ctx context.Context, r report.Read, start func(*report.Data) ([]int, error), each func(src int, sents []report.Sentence, codings []*coding.Coding) error) error {
	return p.readTx(ctx, func(tx *sql.Tx) error {
		d := &report.Data{}
		ids, err := reportHead(ctx, tx, d)
		if err != nil {
			return err
		}
		order, err := start(d)
		if err != nil {
			return err
		}
		speakers, err := speakerNames(ctx, tx)
		if err != nil {
			return err
		}
		if order == nil {
			order = make([]int, len(ids))
			for i := range order {
				order[i] = i
			}
		}
		sr := &sourceReader{ctx: ctx, tx: tx, speakers: speakers, text: r.Text, matches: r.Matches, codingsOnly: r.CodingsOnly}
		defer sr.close()
		for _, i := range order {
			if i < 0 || i >= len(ids) {
				return qcode.Errorf(qcode.EINTERNAL, "report: source %d of %d", i, len(ids))
			}
			if err := sr.read(runSource{ids[i], d.Sources[i].Name}); err != nil {
				return err
			}
			if err := each(i, sr.sents, sr.ptrs); err != nil {
				return err
			}
		}
		return nil
	})
}

// sourceReader reads one source at a time for EachReportSource, reusing
// its statements and slices.
type sourceReader struct {
	ctx         context.Context
	tx          *sql.Tx
	speakers    map[int64]string
	text        bool // the texts of sentences and codings
	matches     bool // the rules codings' matches
	codingsOnly bool // no turns nor sentences

	turnsStmt, sentsStmt, tokensStmt *sql.Stmt

	turns   map[int]reportTurn
	sents   []report.Sentence
	bytes   [][2]int // each sentence's byte span
	codings []coding.Coding
	ptrs    []*coding.Coding
	bounds  []int
	toks    []corpus.Token
	chars   []int
}

type reportTurn struct {
	speaker    string
	start, end corpus.Time
}

func (r *sourceReader) close() {
	for _, st := range []*sql.Stmt{r.turnsStmt, r.sentsStmt, r.tokensStmt} {
		if st != nil {
			st.Close()
		}
	}
}

// read reads src's codings, and its turns and sentences unless the
// reader reads codings only.
func (r *sourceReader) read(src runSource) error {
	ctx, tx := r.ctx, r.tx
	var err error
	if r.turnsStmt == nil {
		if r.turnsStmt, err = tx.PrepareContext(ctx, `SELECT ord, speaker_id, time_start, time_end FROM turns WHERE source_id = ?`); err != nil {
			return err
		}
		if r.sentsStmt, err = tx.PrepareContext(ctx, `SELECT ord, turn, start, end, byte_start, byte_end, words
			FROM segments WHERE source_id = ? AND kind = 'sentence' ORDER BY ord`); err != nil {
			return err
		}
		if r.tokensStmt, err = tx.PrepareContext(ctx, `SELECT tokens FROM segments WHERE source_id = ? AND kind = 'sentence' AND ord = ?`); err != nil {
			return err
		}
		r.turns = map[int]reportTurn{}
	}
	r.sents, r.bytes = r.sents[:0], r.bytes[:0]
	if err := r.readCodings(src); err != nil {
		return err
	}
	var words []int // the sentences whose words are read
	if !r.codingsOnly {
		if err := r.readTurns(src); err != nil {
			return err
		}
		if words, err = r.readSentences(src); err != nil {
			return err
		}
	}
	if len(words) == 0 && !r.text {
		return nil
	}
	// The text is read only for the words of the sentences a coding
	// starts or ends inside, or when asked for, and let go with the
	// source.
	var text string
	if err := tx.QueryRowContext(ctx, `SELECT text FROM sources WHERE id = ?`, src.id).Scan(&text); err != nil {
		return err
	}
	if r.text {
		for k := range r.sents {
			bs, be := r.bytes[k][0], r.bytes[k][1]
			if be > len(text) {
				return qcode.Errorf(qcode.EINTERNAL, "sentence %d of source %d is out of place; the store is damaged", r.sents[k].Ord, src.id)
			}
			r.sents[k].Text = text[bs:be]
		}
		for _, c := range r.ptrs {
			if c.ByteStart < 0 || c.ByteEnd > len(text) || c.ByteStart > c.ByteEnd {
				return qcode.Errorf(qcode.EINTERNAL, "coding %s does not fit its source's text; the store is damaged", c.String())
			}
			c.Text = text[c.ByteStart:c.ByteEnd]
		}
	}
	for _, k := range words {
		s := &r.sents[k]
		bs, be := r.bytes[k][0], r.bytes[k][1]
		if be > len(text) {
			return qcode.Errorf(qcode.EINTERNAL, "sentence %d of source %d is out of place; the store is damaged", s.Ord, src.id)
		}
		var blob []byte
		if err := r.tokensStmt.QueryRowContext(ctx, src.id, s.Ord).Scan(&blob); err != nil {
			return err
		}
		if r.toks, err = DecodeTokens(r.toks[:0], text, bs, blob); err != nil {
			return qcode.Errorf(qcode.EINTERNAL, "sentence %d of source %d: %v; the store is damaged", s.Ord, src.id, err)
		}
		r.chars = tokenChars(r.chars[:0], text, bs, s.Start, r.toks)
		s.Words = make([]report.Word, 0, s.WordCount)
		for i, tok := range r.toks {
			if tok.IsWord() {
				s.Words = append(s.Words, report.Word{Start: int32(r.chars[2*i]), End: int32(r.chars[2*i+1])})
			}
		}
		if len(s.Words) != s.WordCount {
			return qcode.Errorf(qcode.EINTERNAL, "sentence %d of source %d has %d words, its tokens %d; the store is damaged", s.Ord, src.id, s.WordCount, len(s.Words))
		}
	}
	return nil
}

// readTurns reads src's turns, with their speakers and times.
func (r *sourceReader) readTurns(src runSource) error {
	clear(r.turns)
	rows, err := r.turnsStmt.QueryContext(r.ctx, src.id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ord, speaker int64
		var ts, te sql.NullInt64
		if err := rows.Scan(&ord, &speaker, &ts, &te); err != nil {
			return err
		}
		t := reportTurn{r.speakers[speaker], corpus.NoTime, corpus.NoTime}
		if ts.Valid {
			t.start = corpus.Time(ts.Int64)
		}
		if te.Valid {
			t.end = corpus.Time(te.Int64)
		}
		r.turns[int(ord)] = t
	}
	return rows.Err()
}

// readCodings reads src's codings, by people and by the rules, in order.
func (r *sourceReader) readCodings(src runSource) error {
	var err error
	r.codings = r.codings[:0]
	// Without their text, the codings are being counted.
	if r.codings, err = peopleCodingsOf(r.ctx, r.tx, src, CodingFilter{}, !r.text, r.codings); err != nil {
		return err
	}
	matches := skipMatches
	if r.matches {
		matches = keepMatches
	}
	if r.codings, err = rulesCodingsWith(r.ctx, r.tx, src, "", matches, r.codings); err != nil {
		return err
	}
	// The codings are sorted as pointers, in compareCodings' order:
	// moving the structs themselves was a fifth of a report's reading.
	r.ptrs, r.bounds = r.ptrs[:0], r.bounds[:0]
	for i := range r.codings {
		c := &r.codings[i]
		r.ptrs = append(r.ptrs, c)
		r.bounds = append(r.bounds, c.Start, c.End)
	}
	slices.SortFunc(r.ptrs, func(a, b *coding.Coding) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End), strings.Compare(a.Code, b.Code), strings.Compare(a.Coder, b.Coder))
	})
	slices.Sort(r.bounds)
	return nil
}

// readSentences reads src's sentences with their turns' speakers and
// times (readTurns first), and returns those a coding starts or ends
// inside, whose words are read.
func (r *sourceReader) readSentences(src runSource) ([]int, error) {
	rows, err := r.sentsStmt.QueryContext(r.ctx, src.id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var words []int
	// Scanned into int64s: database/sql fills an int by formatting the
	// column's int64 as text and parsing it back.
	var col [7]int64
	for rows.Next() {
		if err := rows.Scan(&col[0], &col[1], &col[2], &col[3], &col[4], &col[5], &col[6]); err != nil {
			return nil, err
		}
		s := report.Sentence{Ord: int(col[0]), Turn: int(col[1]), Start: int(col[2]), End: int(col[3]), WordCount: int(col[6])}
		bs, be := int(col[4]), int(col[5])
		t, ok := r.turns[s.Turn]
		if !ok || bs < 0 || bs > be {
			return nil, qcode.Errorf(qcode.EINTERNAL, "sentence %d of source %d is out of place; the store is damaged", s.Ord, src.id)
		}
		s.Speaker, s.TimeStart, s.TimeEnd = t.speaker, t.start, t.end
		if inside(r.bounds, s.Start, s.End) {
			words = append(words, len(r.sents))
		}
		r.sents = append(r.sents, s)
		r.bytes = append(r.bytes, [2]int{bs, be})
	}
	return words, rows.Err()
}

// speakerNames reads every speaker's name by id.
func speakerNames(ctx context.Context, tx *sql.Tx) (map[int64]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, name FROM speakers`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	speakers := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		speakers[id] = name
	}
	return speakers, rows.Err()
}
