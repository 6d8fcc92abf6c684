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

	rows, err = tx.QueryContext(ctx, `SELECT s.id, s.name, s.text, c.id, c.name FROM sources s JOIN cases c ON c.id = s.case_id ORDER BY s.name`)
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
	speakers := map[int64]string{}
	rows, err := tx.QueryContext(ctx, `SELECT id, name FROM speakers`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return err
		}
		speakers[id] = name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	turns := map[turnKey]turnInfo{}
	rows, err = tx.QueryContext(ctx, `SELECT source_id, ord, speaker_id, time_start, time_end FROM turns`)
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
