package project

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"qcode"
	"qcode/coding"
	"qcode/coding/report"
	"qcode/corpus"
)

// ReportData reads what reports need: the sources with their cases and
// attributes, every sentence with its turn's speaker and times and its
// number of words, and every coding with its text. A sentence that a
// coding starts or ends inside has the character spans of its words too
// (read from its stored tokens), which counting the words coded needs
// there alone. The codebook is the caller's to add. It reads the corpus in
// one read transaction, and the codings with EachCoding (as Codings does).
func (p *Project) ReportData(ctx context.Context) (*report.Data, error) {
	d := &report.Data{}
	// Codings are kept in blocks, never moved: growing one slice of large
	// structs would copy them over and over.
	var block []coding.Coding
	err := p.EachCoding(ctx, CodingFilter{}, func(c *coding.Coding) error {
		if len(block) == cap(block) {
			block = make([]coding.Coding, 0, 4096)
		}
		block = append(block, *c)
		d.Codings = append(d.Codings, &block[len(block)-1])
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Where codings start and end, by source: the sentences whose words
	// are read.
	bounds := map[string][]int{}
	for _, c := range d.Codings {
		bounds[c.Source] = append(bounds[c.Source], c.Start, c.End)
	}
	for _, b := range bounds {
		slices.Sort(b)
	}
	var srcs map[int64]*reportSource
	err = p.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		if srcs, err = reportSources(ctx, tx, d); err != nil {
			return err
		}
		for _, src := range srcs {
			src.bounds = bounds[d.Sources[src.index].Name]
		}
		return reportSentences(ctx, tx, d, srcs)
	})
	if err != nil {
		return nil, err
	}
	// The codings were read in a transaction of their own: a source
	// replaced in between would leave a coding without its source. Their
	// texts are pointed into the sources' texts read here, so that the
	// copy EachCoding read can go.
	texts := make(map[string]string, len(d.Sources))
	for _, src := range srcs {
		texts[d.Sources[src.index].Name] = src.text
	}
	for _, c := range d.Codings {
		text, ok := texts[c.Source]
		if !ok || c.ByteStart < 0 || c.ByteEnd > len(text) || c.ByteStart > c.ByteEnd || text[c.ByteStart:c.ByteEnd] != c.Text {
			return nil, qcode.Errorf(qcode.ECONFLICT, "the project changed while it was read (source %s); run the command again", c.Source)
		}
		c.Text = text[c.ByteStart:c.ByteEnd]
		for i := range c.Matches {
			for j := range c.Matches[i].Tokens {
				t := &c.Matches[i].Tokens[j]
				t.Text = strings.Clone(t.Text)
			}
		}
	}
	return d, nil
}

// reportSource is what reading sentences needs of a source.
type reportSource struct {
	index  int // in Data.Sources
	text   string
	bounds []int // where its codings start and end, sorted
}

// inside reports whether a coding starts or ends inside [start, end).
func (s *reportSource) inside(start, end int) bool {
	i, _ := slices.BinarySearch(s.bounds, start+1)
	return i < len(s.bounds) && s.bounds[i] < end
}

// reportSources reads the attributes, the cases that have sources, and the
// sources by name, into d; it returns the sources by id.
func reportSources(ctx context.Context, tx *sql.Tx, d *report.Data) (map[int64]*reportSource, error) {
	return reportSourcesText(ctx, tx, d, true)
}

// reportSourcesText is reportSources, reading the sources' texts only
// with text (from the listing index, which holds none, without).
func reportSourcesText(ctx context.Context, tx *sql.Tx, d *report.Data, text bool) (map[int64]*reportSource, error) {
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

	query := `SELECT s.id, s.name, s.text, c.id, c.name FROM sources s JOIN cases c ON c.id = s.case_id ORDER BY s.name`
	if !text {
		query = `SELECT s.id, s.name, '', c.id, c.name FROM sources s INDEXED BY source_listing JOIN cases c ON c.id = s.case_id ORDER BY s.name`
	}
	rows, err = tx.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	srcs := map[int64]*reportSource{}
	caseNames := map[int64]string{}
	var srcCase []int64
	for rows.Next() {
		var id, caseID int64
		var name, text, caseName string
		if err := rows.Scan(&id, &name, &text, &caseID, &caseName); err != nil {
			rows.Close()
			return nil, err
		}
		caseNames[caseID] = caseName
		srcs[id] = &reportSource{index: len(d.Sources), text: text}
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
	return srcs, rows.Err()
}

// reportSentences reads every sentence with its turn and words, in one
// query.
func reportSentences(ctx context.Context, tx *sql.Tx, d *report.Data, srcs map[int64]*reportSource) error {
	// The turns first, on their own: joining them to each sentence costs
	// SQLite two lookups a sentence.
	type turnKey struct {
		src int64
		ord int
	}
	type turnInfo struct {
		speaker    string
		start, end corpus.Time
	}
	speakers, err := speakerNames(ctx, tx)
	if err != nil {
		return err
	}
	turns := map[turnKey]turnInfo{}
	rows, err := tx.QueryContext(ctx, `SELECT source_id, ord, speaker_id, time_start, time_end FROM turns`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k turnKey
		var speaker int64
		var ts, te sql.NullInt64
		if err := rows.Scan(&k.src, &k.ord, &speaker, &ts, &te); err != nil {
			rows.Close()
			return err
		}
		t := turnInfo{speakers[speaker], corpus.NoTime, corpus.NoTime}
		if ts.Valid {
			t.start = corpus.Time(ts.Int64)
		}
		if te.Valid {
			t.end = corpus.Time(te.Int64)
		}
		turns[k] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM segments WHERE kind = 'sentence'`).Scan(&n); err != nil {
		return err
	}
	d.Sentences = make([]report.Sentence, 0, n)
	rows, err = tx.QueryContext(ctx, `SELECT source_id, ord, turn, start, end, byte_start, byte_end, words
		FROM segments WHERE kind = 'sentence' ORDER BY source_id, ord`)
	if err != nil {
		return err
	}
	type wordsOf struct {
		src      int64
		bs       int
		sentence int // in d.Sentences
	}
	var read []wordsOf // the sentences whose words are read
	for rows.Next() {
		var srcID int64
		var s report.Sentence
		var bs, be int
		if err := rows.Scan(&srcID, &s.Ord, &s.Turn, &s.Start, &s.End, &bs, &be, &s.WordCount); err != nil {
			rows.Close()
			return err
		}
		src := srcs[srcID]
		t, ok := turns[turnKey{srcID, s.Turn}]
		if src == nil || !ok || bs < 0 || be > len(src.text) || bs > be {
			rows.Close()
			return qcode.Errorf(qcode.EINTERNAL, "sentence %d of source %d is out of place; the store is damaged", s.Ord, srcID)
		}
		s.Source, s.Speaker, s.Text = src.index, t.speaker, src.text[bs:be]
		s.TimeStart, s.TimeEnd = t.start, t.end
		if src.inside(s.Start, s.End) {
			read = append(read, wordsOf{srcID, bs, len(d.Sentences)})
		}
		d.Sentences = append(d.Sentences, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(read) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `SELECT tokens FROM segments WHERE source_id = ? AND kind = 'sentence' AND ord = ?`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	var toks []corpus.Token
	var chars []int // each token's start and end, in characters
	for _, w := range read {
		s := &d.Sentences[w.sentence]
		src := srcs[w.src]
		var blob []byte
		if err := stmt.QueryRowContext(ctx, w.src, s.Ord).Scan(&blob); err != nil {
			return err
		}
		if toks, err = DecodeTokens(toks[:0], src.text, w.bs, blob); err != nil {
			return qcode.Errorf(qcode.EINTERNAL, "sentence %d of source %d: %v; the store is damaged", s.Ord, w.src, err)
		}
		chars = tokenChars(chars[:0], src.text, w.bs, s.Start, toks)
		s.Words = make([]report.Word, 0, s.WordCount)
		for i, tok := range toks {
			if tok.IsWord() {
				s.Words = append(s.Words, report.Word{Start: int32(chars[2*i]), End: int32(chars[2*i+1])})
			}
		}
		if len(s.Words) != s.WordCount {
			return qcode.Errorf(qcode.EINTERNAL, "sentence %d of source %d has %d words, its tokens %d; the store is damaged", s.Ord, w.src, s.WordCount, len(s.Words))
		}
	}
	return nil
}

// EachReportSource reads what counting reports need source by source, in
// one read transaction, so that a report of any size holds one source's
// sentences and codings at a time (report.FrequencyCounter). start is
// given the attributes, the cases that have sources and every source by
// name: a Data with no sentences nor codings. each is then given each
// source in that order, by its index there, with its sentences in text
// order and its codings by any coder, ordered as Codings orders them. The
// sentences and codings carry no text and the codings no matches; a
// sentence that a coding starts or ends inside has its words' spans, as
// ReportData gives them. The slices are reused for the next source.
func (p *Project) EachReportSource(ctx context.Context, start func(*report.Data) error, each func(src int, sents []report.Sentence, codings []*coding.Coding) error) error {
	return p.readTx(ctx, func(tx *sql.Tx) error {
		d := &report.Data{}
		srcs, err := reportSourcesText(ctx, tx, d, false)
		if err != nil {
			return err
		}
		if err := start(d); err != nil {
			return err
		}
		ids := make([]int64, len(d.Sources))
		for id, src := range srcs {
			ids[src.index] = id
		}
		speakers, err := speakerNames(ctx, tx)
		if err != nil {
			return err
		}
		r := &sourceReader{ctx: ctx, tx: tx, speakers: speakers}
		defer r.close()
		for i, id := range ids {
			if err := r.read(runSource{id, d.Sources[i].Name}); err != nil {
				return err
			}
			if err := each(i, r.sents, r.ptrs); err != nil {
				return err
			}
		}
		return nil
	})
}

// sourceReader reads one source at a time for EachReportSource, reusing
// its statements and slices.
type sourceReader struct {
	ctx      context.Context
	tx       *sql.Tx
	speakers map[int64]string

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

// read reads src's turns, sentences and codings.
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
	clear(r.turns)
	rows, err := r.turnsStmt.QueryContext(ctx, src.id)
	if err != nil {
		return err
	}
	for rows.Next() {
		var ord int
		var speaker int64
		var ts, te sql.NullInt64
		if err := rows.Scan(&ord, &speaker, &ts, &te); err != nil {
			rows.Close()
			return err
		}
		t := reportTurn{r.speakers[speaker], corpus.NoTime, corpus.NoTime}
		if ts.Valid {
			t.start = corpus.Time(ts.Int64)
		}
		if te.Valid {
			t.end = corpus.Time(te.Int64)
		}
		r.turns[ord] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	r.codings = r.codings[:0]
	if r.codings, err = peopleCodings(ctx, tx, src, CodingFilter{}, r.codings); err != nil {
		return err
	}
	if r.codings, err = rulesCodingsWith(ctx, tx, src, "", skipMatches, r.codings); err != nil {
		return err
	}
	slices.SortFunc(r.codings, compareCodings)
	r.ptrs, r.bounds = r.ptrs[:0], r.bounds[:0]
	for i := range r.codings {
		c := &r.codings[i]
		r.ptrs = append(r.ptrs, c)
		r.bounds = append(r.bounds, c.Start, c.End)
	}
	slices.Sort(r.bounds)
	inside := (&reportSource{bounds: r.bounds}).inside

	r.sents, r.bytes = r.sents[:0], r.bytes[:0]
	rows, err = r.sentsStmt.QueryContext(ctx, src.id)
	if err != nil {
		return err
	}
	var words []int // the sentences whose words are read
	for rows.Next() {
		var s report.Sentence
		var bs, be int
		if err := rows.Scan(&s.Ord, &s.Turn, &s.Start, &s.End, &bs, &be, &s.WordCount); err != nil {
			rows.Close()
			return err
		}
		t, ok := r.turns[s.Turn]
		if !ok || bs < 0 || bs > be {
			rows.Close()
			return qcode.Errorf(qcode.EINTERNAL, "sentence %d of source %d is out of place; the store is damaged", s.Ord, src.id)
		}
		s.Speaker, s.TimeStart, s.TimeEnd = t.speaker, t.start, t.end
		if inside(s.Start, s.End) {
			words = append(words, len(r.sents))
		}
		r.sents = append(r.sents, s)
		r.bytes = append(r.bytes, [2]int{bs, be})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(words) == 0 {
		return nil
	}
	// The text is read only for the words of the sentences a coding
	// starts or ends inside, and let go with the source.
	var text string
	if err := tx.QueryRowContext(ctx, `SELECT text FROM sources WHERE id = ?`, src.id).Scan(&text); err != nil {
		return err
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
