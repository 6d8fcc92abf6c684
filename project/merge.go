package project

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"qcode"
	"qcode/coding"
	"qcode/corpus"
	"qcode/exchange"
)

// TextHash identifies a source's text alone, whatever its name, format,
// case or turns: Merge takes two sources with one text for one source.
func TextHash(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}

// TextHashes returns the TextHash of every source's text, with the
// source's name, so that a caller of Merge reads and segments only the
// texts the project does not hold.
func (p *Project) TextHashes(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	err := p.readTx(ctx, func(tx *sql.Tx) error {
		return eachSourceText(ctx, tx, func(name, text string) {
			if _, ok := out[TextHash(text)]; !ok {
				out[TextHash(text)] = name
			}
		})
	})
	return out, err
}

func eachSourceText(ctx context.Context, q queryer, fn func(name, text string)) error {
	rows, err := q.QueryContext(ctx, `SELECT name, text FROM sources ORDER BY name`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name, text string
		if err := rows.Scan(&name, &text); err != nil {
			return err
		}
		fn(name, text)
	}
	return rows.Err()
}

// MergeSource is a source of another project as Merge takes it in.
type MergeSource struct {
	exchange.Source
	// Doc is the source read as an import reads it, for a text the
	// project did not hold when the caller looked (TextHashes); nil for
	// a text it held. Merge segments it (corpus.Segment) as it writes
	// it, one source at a time, so the caller need not.
	Doc *corpus.Source
}

// MergeInput is another project's content, ready to merge: its codes
// already named by the project's ids, its rules codings left out.
type MergeInput struct {
	From    string // where it was read from, for messages
	Sources []MergeSource
	Codings []exchange.Coding // people's codings
	Memos   []exchange.Memo
	// Summaries are the Framework summaries, their themes named by the
	// project's code ids.
	Summaries []coding.Summary
	// Rename brings a text in under NAME-2 (NAME-3…) when a source of
	// the project holds another text under its name NAME.
	Rename bool
	// DryRun does it all and rolls it back: the result says what Merge
	// would do, and nothing is written.
	DryRun  bool
	Command string // for the audit log
	// Written, when not nil, is called with each source the merge writes
	// anew, in its transaction, as soon as it is written, so that the
	// search index can take it in meanwhile; an error it returns undoes
	// the merge. What it takes in must not be seen until the merge has
	// returned without error: the transaction may yet be rolled back.
	Written func(*WrittenSource) error
	// AllWritten, when not nil, is called once every source the merge
	// writes anew has been handed to Written (not in a dry run), while
	// the merge goes on to write the codings left and the audit lines:
	// what took the sources in may finish its work meanwhile, for Ready.
	AllWritten func()
	// Ready, when not nil, is called last in the transaction, before it
	// commits (not in a dry run): an error it returns undoes the merge,
	// so that what took the sources Written was given can fail the merge
	// while nothing of it is yet committed.
	Ready func() error
}

// SourceMerge is what became of one source of the other project.
type SourceMerge struct {
	Name string `json:"name"`         // as the other project names it
	As   string `json:"as,omitempty"` // the project's source, when named otherwise
}

// AttributeConflict is an attribute of a case to which the other project
// gives another value than the project's, which is kept.
type AttributeConflict struct {
	Case      string `json:"case"`
	Attribute string `json:"attribute"`
	Value     string `json:"value"` // the project's, kept
	Other     string `json:"other"` // the other project's, left out
}

// MergeResult says what Merge did, or would do.
type MergeResult struct {
	SourcesAdded   []SourceMerge `json:"sources_added"`
	SourcesMatched []SourceMerge `json:"sources_matched"` // the same text was there
	SourcesRenamed []SourceMerge `json:"sources_renamed"`
	// SourcesConflicting hold another text under a name a source of the
	// project has; they, their codings and their memos were left out.
	SourcesConflicting    []SourceMerge       `json:"sources_conflicting"`
	CodingsAdded          int                 `json:"codings_added"`
	CodingsExisting       int                 `json:"codings_existing"` // the coder had them already
	CodingsLeftOut        int                 `json:"codings_left_out"` // on conflicting sources
	MemosAdded            int                 `json:"memos_added"`
	MemosExisting         int                 `json:"memos_existing"`
	AttributesSet         int                 `json:"attributes_set"`
	AttributesConflicting []AttributeConflict `json:"attributes_conflicting"`
	Notes                 []string            `json:"notes"`

	// SummariesAdded and SummariesExisting count the Framework summaries
	// taken in, and those whose cell held the same text already;
	// SummariesConflicting are the cells the project summarises
	// otherwise, whose summary is kept.
	SummariesAdded       int               `json:"summaries_added"`
	SummariesExisting    int               `json:"summaries_existing"`
	SummariesConflicting []SummaryConflict `json:"summaries_conflicting"`
}

// SummaryConflict is a Framework cell the other project summarises
// otherwise than the project, whose summary is kept.
type SummaryConflict struct {
	Case  string `json:"case"`
	Theme string `json:"theme"`
	Text  string `json:"text"`  // the project's, kept
	Other string `json:"other"` // the other project's, left out
}

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("dry run")

// Merge brings another project's content into the project in one
// transaction, all or nothing. A source whose text the project holds,
// under any name, is that source; a new text comes in as a new source,
// unless its name is taken by another text (then it is left out, or comes
// in renamed). Codings keep their coders, created times and memos, with
// origin import; a coding the coder has already changes nothing. Memos
// already there (same target, author, created time and text) are not
// doubled; an attribute already set to another value keeps the project's.
// So merging the same content twice changes nothing. Each coding and memo
// added is logged in the audit table, as an import of codings logs them.
func (p *Project) Merge(ctx context.Context, in MergeInput) (*MergeResult, error) {
	var out *MergeResult
	err := p.tx(ctx, func(tx *sql.Tx) error {
		// Empty lists rather than none, so that JSON shows [] not null.
		res := &MergeResult{SourcesAdded: []SourceMerge{}, SourcesMatched: []SourceMerge{}, SourcesRenamed: []SourceMerge{},
			SourcesConflicting: []SourceMerge{}, AttributesConflicting: []AttributeConflict{}, SummariesConflicting: []SummaryConflict{}, Notes: []string{}}
		m := &merger{ctx: ctx, tx: tx, in: in, res: res, to: map[string]string{},
			byHash: map[string]string{}, names: map[string]bool{}, cache: map[string]*mergeTarget{}}
		if err := m.run(); err != nil {
			return err
		}
		out = m.res
		if in.DryRun {
			return errDryRun
		}
		if in.Ready != nil {
			return in.Ready()
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// merger is one merge's transaction and what it has learnt.
type merger struct {
	ctx    context.Context
	tx     *sql.Tx
	in     MergeInput
	res    *MergeResult
	to     map[string]string // the other project's source name -> the project's ("" when left out)
	byHash map[string]string // TextHash -> the project's source name
	names  map[string]bool   // the project's source names
	cache  map[string]*mergeTarget
}

func (m *merger) run() error {
	err := eachSourceText(m.ctx, m.tx, func(name, text string) {
		m.names[name] = true
		if _, ok := m.byHash[TextHash(text)]; !ok {
			m.byHash[TextHash(text)] = name
		}
	})
	if err != nil {
		return err
	}
	write, err := m.plan()
	if err != nil {
		return err
	}
	cw, err := m.newCodingWriter()
	if err != nil {
		return err
	}
	defer cw.close()
	if err := m.sources(write, cw); err != nil {
		return err
	}
	if err := cw.finish(); err != nil {
		return err
	}
	if err := m.memos(); err != nil {
		return err
	}
	return m.summaries()
}

// plan decides what becomes of every source before anything is written:
// which of the project's sources it is (m.to), and what the result says of
// it. It returns, for each source, the name it is to be written under, or
// "" when it is not written (its text is there, or it is left out). So
// the codings of every source are known to be placed, and the merge can
// write each source's codings as soon as it has written the source.
func (m *merger) plan() ([]string, error) {
	write := make([]string, len(m.in.Sources))
	for i, s := range m.in.Sources {
		if _, seen := m.to[s.Name]; seen {
			return nil, qcode.Errorf(qcode.EINVALID, "%s: two sources are named %s; names must be unique", m.in.From, s.Name)
		}
		h := TextHash(s.Text)
		if have, ok := m.byHash[h]; ok {
			m.to[s.Name] = have
			sm := SourceMerge{Name: s.Name}
			if have != s.Name {
				sm.As = have
			}
			m.res.SourcesMatched = append(m.res.SourcesMatched, sm)
			continue
		}
		name := s.Name
		if m.names[name] {
			if !m.in.Rename {
				m.to[s.Name] = ""
				m.res.SourcesConflicting = append(m.res.SourcesConflicting, SourceMerge{Name: s.Name})
				continue
			}
			for i := 2; m.names[name]; i++ {
				name = fmt.Sprintf("%s-%d", s.Name, i)
			}
		}
		if s.Doc == nil {
			return nil, qcode.Errorf(qcode.ECONFLICT, "%s: source %s changed in the project while the merge was read; merge again", m.in.From, s.Name)
		}
		m.names[name], m.byHash[h], m.to[s.Name] = true, name, name
		write[i] = name
		if name != s.Name {
			m.res.SourcesRenamed = append(m.res.SourcesRenamed, SourceMerge{Name: s.Name, As: name})
		} else {
			m.res.SourcesAdded = append(m.res.SourcesAdded, SourceMerge{Name: s.Name})
		}
	}
	return write, nil
}

// sources writes the new sources, as plan named them, and sets each
// source's case's attributes; the codings of each of the project's sources
// are written (cw) as soon as it holds it, so that the store's work on
// them is done while the search index takes in the sources written.
func (m *merger) sources(write []string, cw *codingWriter) error {
	w, err := newWriter(m.ctx, m.tx)
	if err != nil {
		return err
	}
	defer w.close()
	// The next new texts are segmented while this one is written, by
	// two goroutines a few sources ahead: the store's writes take one
	// core, the search index's another, and segmenting, as long as
	// either, is done by whichever is free. Each source's segments are
	// let go once written: a large project's would otherwise all be
	// held to the end.
	segmented := m.segmentAhead(write)
	defer segmented.stop()
	// The codings of sources left out, or of none, come first: an error
	// among them is met before anything is written.
	if err := cw.upTo(); err != nil {
		return err
	}
	for i, s := range m.in.Sources {
		doc := segmented.next(i)
		name := m.to[s.Name]
		if name == "" {
			continue
		}
		if write[i] != "" {
			d := *doc
			d.Name, d.Case, d.Attributes = name, s.Case, nil
			w.importedAt = s.CreatedAt
			if _, err := w.importDoc(&d, ImportOptions{keep: true}); err != nil {
				return err
			}
			if m.in.Written != nil && w.written != nil && !m.in.DryRun {
				if err := m.in.Written(w.written); err != nil {
					return err
				}
			}
		}
		if err := m.attributes(name, s.Attributes); err != nil {
			return err
		}
		cw.ready[name] = true
		if err := cw.upTo(); err != nil {
			return err
		}
	}
	if m.in.AllWritten != nil && !m.in.DryRun {
		m.in.AllWritten()
	}
	return nil
}

// segmenter segments the sources a merge writes, a few ahead of it.
type segmenter struct {
	docs    []*corpus.Source      // the sources to segment, nil once taken
	results []chan *corpus.Source // each source's, segmented; nil for those not written
	room    chan struct{}         // one for each source segmented ahead of the writer
	done    chan struct{}
}

// segmentAhead segments the sources named in write on two goroutines,
// at most segmentedAhead of them ahead of the writer, which takes each
// by next, in order.
func (m *merger) segmentAhead(write []string) *segmenter {
	g := &segmenter{docs: make([]*corpus.Source, len(write)), results: make([]chan *corpus.Source, len(write)),
		room: make(chan struct{}, segmentedAhead), done: make(chan struct{})}
	for i := range m.in.Sources {
		if write[i] != "" {
			g.docs[i] = m.in.Sources[i].Doc
			g.results[i] = make(chan *corpus.Source, 1)
		}
		m.in.Sources[i].Doc = nil
	}
	jobs := make(chan int)
	go func() {
		defer close(jobs)
		for i := range g.docs {
			if g.results[i] == nil {
				continue
			}
			select {
			case g.room <- struct{}{}:
			case <-g.done:
				return
			}
			select {
			case jobs <- i:
			case <-g.done:
				return
			}
		}
	}()
	for range 2 {
		go func() {
			for i := range jobs {
				d := *g.docs[i]
				g.docs[i] = nil
				corpus.Segment(&d)
				g.results[i] <- &d
			}
		}()
	}
	return g
}

// segmentedAhead is how many sources are segmented ahead of the writer.
const segmentedAhead = 3

// next returns source i segmented, or nil when it is not written.
func (g *segmenter) next(i int) *corpus.Source {
	if g.results[i] == nil {
		return nil
	}
	d := <-g.results[i]
	<-g.room
	return d
}

// stop lets the goroutines end once they have segmented what they took.
func (g *segmenter) stop() { close(g.done) }

// attributes sets the attributes of name's case that the project lacks.
func (m *merger) attributes(name string, attrs []corpus.Attribute) error {
	if len(attrs) == 0 {
		return nil
	}
	var caseID int64
	var caseName string
	err := m.tx.QueryRowContext(m.ctx, `SELECT c.id, c.name FROM sources s JOIN cases c ON c.id = s.case_id WHERE s.name = ?`, name).Scan(&caseID, &caseName)
	if err != nil {
		return err
	}
	for _, a := range attrs {
		var typ string
		err := m.tx.QueryRowContext(m.ctx, `SELECT type FROM attributes WHERE name = ?`, a.Name).Scan(&typ)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if _, err := m.tx.ExecContext(m.ctx, `INSERT INTO attributes (name, type) VALUES (?, ?)`, a.Name, string(a.Type)); err != nil {
				return err
			}
		case err != nil:
			return err
		case typ != string(a.Type):
			m.note(fmt.Sprintf("attribute %s holds %s values in %s but is a %s attribute here; its values were left out", a.Name, a.Type, m.in.From, typ))
			continue
		}
		var value string
		err = m.tx.QueryRowContext(m.ctx, `SELECT value FROM case_attributes WHERE case_id = ? AND attribute = ?`, caseID, a.Name).Scan(&value)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if _, err := m.tx.ExecContext(m.ctx, `INSERT INTO case_attributes (case_id, attribute, value) VALUES (?,?,?)`, caseID, a.Name, a.Value); err != nil {
				return err
			}
			m.res.AttributesSet++
		case err != nil:
			return err
		case value != a.Value:
			c := AttributeConflict{Case: caseName, Attribute: a.Name, Value: value, Other: a.Value}
			if !slices.Contains(m.res.AttributesConflicting, c) {
				m.res.AttributesConflicting = append(m.res.AttributesConflicting, c)
			}
		}
	}
	return nil
}

func (m *merger) note(s string) {
	if !slices.Contains(m.res.Notes, s) {
		m.res.Notes = append(m.res.Notes, s)
	}
}

// mergeTarget is what placing codings in one of the project's sources
// needs: its text's byte offset at every character, and its segments by
// span, so that a coding on a whole sentence, paragraph or turn is stored
// as a coding of that segment, as it would have been made here.
type mergeTarget struct {
	id    int64
	name  string
	text  string
	bytes []int32 // bytes[c] is the byte offset of character c; one past the last too
	units map[[2]int]coding.Ref
}

func (m *merger) target(name string) (*mergeTarget, error) {
	if t, ok := m.cache[name]; ok {
		return t, nil
	}
	t := &mergeTarget{name: name, units: map[[2]int]coding.Ref{}}
	if err := m.tx.QueryRowContext(m.ctx, `SELECT id, text FROM sources WHERE name = ?`, name).Scan(&t.id, &t.text); err != nil {
		return nil, err
	}
	// The last source's offsets are let go: one source at a time.
	for _, old := range m.cache {
		t.bytes = old.bytes[:0]
	}
	for i := range t.text {
		t.bytes = append(t.bytes, int32(i))
	}
	t.bytes = append(t.bytes, int32(len(t.text)))
	// Turns first, then paragraphs, then sentences: the finest unit with
	// a span wins, as coding by sentence is qcode's default.
	for _, q := range []struct {
		unit  coding.Unit
		query string
	}{
		{coding.UnitTurn, `SELECT ord, start, end FROM turns WHERE source_id = ?`},
		{coding.UnitParagraph, `SELECT ord, start, end FROM segments WHERE source_id = ? AND kind = 'paragraph'`},
		{coding.UnitSentence, `SELECT ord, start, end FROM segments WHERE source_id = ? AND kind = 'sentence'`},
	} {
		rows, err := m.tx.QueryContext(m.ctx, q.query, t.id)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var ord, s, e int
			if err := rows.Scan(&ord, &s, &e); err != nil {
				rows.Close()
				return nil, err
			}
			t.units[[2]int{s, e}] = coding.Ref{Source: name, Unit: q.unit, Ord: ord}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	m.cache = map[string]*mergeTarget{name: t} // one source at a time: codings come by source
	return t, nil
}

// codingWriter adds people's codings, by source, as the sources they are
// placed in come to be held by the project.
type codingWriter struct {
	m      *merger
	insert *rowBatch
	order  []int32 // the codings, by the project's source, in their order within each
	next   int     // order[next:] are yet to be written
	// ready holds the project's sources that hold their text: the
	// codings placed in them can be written. "" stands for the sources
	// left out, and any the other project does not hold, whose codings
	// are counted or refused first.
	ready  map[string]bool
	have   map[spanKey]bool // the codings of the source haveOf, as its unique key
	haveOf int64
	// at is the created time of the coding written last, atText as
	// stored: a tool's codings often share one, each formatting it anew.
	at     time.Time
	atText string
	// audited is the id of the last coding whose audit line is written,
	// auditAt the time they are all written at.
	audited int64
	auditAt string
}

// newCodingWriter sorts the codings by the project's source they are
// placed in, which plan has decided.
//
// A project from another tool may bring a hundred thousand codings, each
// a row and a line of the audit log (as insertPersonCoding writes them):
// they go in many rows to a statement, which costs a fraction of a
// statement each, and their audit lines are made from the rows, a
// statement for each batch. A coding the coder has already is told from the
// source's codings, read once, rather than by the insert, which could
// then not say which rows it left out.
func (m *merger) newCodingWriter() (*codingWriter, error) {
	cw := &codingWriter{m: m, ready: map[string]bool{"": true}}
	if err := m.tx.QueryRowContext(m.ctx, `SELECT COALESCE(MAX(id), 0) FROM codings`).Scan(&cw.audited); err != nil {
		return nil, err
	}
	var err error
	cw.insert, err = newRowBatch(m.ctx, m.tx, `INSERT INTO codings (source_id, start, end, byte_start, byte_end, code, coder, origin, unit, ord, created_at, memo) VALUES `,
		`(?,?,?,?,?,?,?,'`+string(coding.OriginImport)+`',?,?,?,?)`, 11, 256)
	if err != nil {
		return nil, err
	}
	// By source, in their order within each: sorted as indexes rather
	// than as a copy of the codings, which may be large.
	cw.order = make([]int32, len(m.in.Codings))
	for i := range cw.order {
		cw.order[i] = int32(i)
	}
	slices.SortStableFunc(cw.order, func(a, b int32) int {
		return strings.Compare(m.to[m.in.Codings[a].Source], m.to[m.in.Codings[b].Source])
	})
	return cw, nil
}

func (cw *codingWriter) close() { cw.insert.close() }

// upTo writes the codings, in order, up to the first placed in a source
// not yet ready.
func (cw *codingWriter) upTo() error {
	m := cw.m
	for ; cw.next < len(cw.order); cw.next++ {
		x := &m.in.Codings[cw.order[cw.next]]
		name, ok := m.to[x.Source]
		if !cw.ready[name] {
			return nil
		}
		if !ok {
			return qcode.Errorf(qcode.EINVALID, "%s: a coding of %s by %s names source %s, which it does not hold", m.in.From, x.Code, x.Coder, x.Source)
		}
		if name == "" {
			m.res.CodingsLeftOut++
			continue
		}
		t, err := m.target(name)
		if err != nil {
			return err
		}
		if cw.have == nil || cw.haveOf != t.id {
			if cw.have, err = codingKeys(m.ctx, m.tx, t.id); err != nil {
				return err
			}
			cw.haveOf = t.id
		}
		chars := len(t.bytes) - 1
		if x.Start < 0 || x.End <= x.Start || x.End > chars {
			return qcode.Errorf(qcode.EINVALID, "%s: the coding of %s by %s at %d-%d in %s lies outside its text (%d characters); nothing was merged", m.in.From, x.Code, x.Coder, x.Start, x.End, x.Source, chars)
		}
		k := spanKey{x.Start, x.End, x.Code, x.Coder}
		if cw.have[k] {
			m.res.CodingsExisting++
			continue
		}
		cw.have[k] = true
		c := coding.Coding{Source: name, Unit: coding.UnitSpan, Start: x.Start, End: x.End,
			ByteStart: int(t.bytes[x.Start]), ByteEnd: int(t.bytes[x.End]),
			Code: x.Code, Coder: x.Coder, Origin: coding.OriginImport, CreatedAt: x.CreatedAt.UTC(), Memo: x.Memo}
		if u, ok := t.units[[2]int{x.Start, x.End}]; ok {
			c.Unit, c.Ord = u.Unit, u.Ord
		}
		if c.CreatedAt.IsZero() {
			c.CreatedAt = now()
		}
		if !c.CreatedAt.Equal(cw.at) || c.CreatedAt.Location() != cw.at.Location() || cw.atText == "" {
			cw.at, cw.atText = c.CreatedAt, c.CreatedAt.Format(time.RFC3339)
		}
		// int64, which database/sql passes on as it is: an int it
		// converts by reflection, into another allocation.
		sent := cw.insert.filling()
		err = cw.insert.add(t.id, int64(c.Start), int64(c.End), int64(c.ByteStart), int64(c.ByteEnd), c.Code, c.Coder, string(c.Unit), int64(c.Ord),
			cw.atText, c.Memo)
		if err != nil {
			return err
		}
		m.res.CodingsAdded++
		if sent {
			if err := cw.audit(); err != nil {
				return err
			}
		}
	}
	return nil
}

// audit writes the audit lines of the codings written since it last did:
// one line for each coding added, in the order they were added, as
// auditSQL writes it, all at one time. They are written a batch at a time,
// while the search index takes in the sources written, rather than all
// at the end, when it has done.
func (cw *codingWriter) audit() error {
	m := cw.m
	if cw.auditAt == "" {
		cw.auditAt = now().Format(time.RFC3339)
	}
	var last int64
	if err := m.tx.QueryRowContext(m.ctx, `SELECT COALESCE(MAX(id), 0) FROM codings`).Scan(&last); err != nil {
		return err
	}
	if last == cw.audited {
		return nil
	}
	_, err := m.tx.ExecContext(m.ctx, `INSERT INTO audit (at, coder, command, action, what, source, start, end, code, origin, text)
		SELECT ?, c.coder, ?, 'add', 'coding', s.name, c.start, c.end, c.code, c.origin, c.memo
		FROM codings c JOIN sources s ON s.id = c.source_id WHERE c.id > ? AND c.id <= ? ORDER BY c.id`, cw.auditAt, m.in.Command, cw.audited, last)
	cw.audited = last
	return err
}

// finish writes the codings left, which every source being ready lets
// it, and their audit lines.
func (cw *codingWriter) finish() error {
	if cw.next < len(cw.order) {
		return fmt.Errorf("internal error: %d codings placed in sources the merge did not reach", len(cw.order)-cw.next)
	}
	if err := cw.insert.flush(); err != nil {
		return err
	}
	return cw.audit()
}

// spanKey is what makes a person's coding unique in its source (the codings
// table's UNIQUE constraint).
type spanKey struct {
	start, end  int
	code, coder string
}

// codingKeys returns the keys of a source's codings.
func codingKeys(ctx context.Context, tx *sql.Tx, sourceID int64) (map[spanKey]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT start, end, code, coder FROM codings WHERE source_id = ?`, sourceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[spanKey]bool{}
	for rows.Next() {
		var k spanKey
		if err := rows.Scan(&k.start, &k.end, &k.code, &k.coder); err != nil {
			return nil, err
		}
		out[k] = true
	}
	return out, rows.Err()
}

// rowBatch inserts rows many to a statement: a statement costs a row's
// insert many times over.
type rowBatch struct {
	ctx    context.Context
	tx     *sql.Tx
	insert string // INSERT INTO … VALUES
	row    string // one row's values, (?,…), with cols placeholders
	cols   int
	full   *sql.Stmt // the statement for a whole batch
	args   []any
}

// newRowBatch prepares insert (INSERT INTO … VALUES) of row ((?,…), with
// cols placeholders) for rows rows at a time.
func newRowBatch(ctx context.Context, tx *sql.Tx, insert, row string, cols, rows int) (*rowBatch, error) {
	b := &rowBatch{ctx: ctx, tx: tx, insert: insert, row: row, cols: cols, args: make([]any, 0, cols*rows)}
	var err error
	b.full, err = tx.PrepareContext(ctx, b.statement(rows))
	return b, err
}

func (b *rowBatch) statement(rows int) string {
	return b.insert + b.row + strings.Repeat(","+b.row, rows-1)
}

// filling reports whether the next row added fills the batch, which add
// then inserts.
func (b *rowBatch) filling() bool { return len(b.args)+b.cols >= cap(b.args) }

// add adds a row of the table's cols values, inserting a full batch.
func (b *rowBatch) add(values ...any) error {
	b.args = append(b.args, values...)
	if len(b.args) < cap(b.args) {
		return nil
	}
	_, err := b.full.ExecContext(b.ctx, b.args...)
	b.args = b.args[:0]
	return err
}

// flush inserts the rows added since the last full batch.
func (b *rowBatch) flush() error {
	n := len(b.args) / b.cols
	if n == 0 {
		return nil
	}
	_, err := b.tx.ExecContext(b.ctx, b.statement(n), b.args...)
	b.args = b.args[:0]
	return err
}

func (b *rowBatch) close() { b.full.Close() }

// memos adds the memos the project lacks.
func (m *merger) memos() error {
	left := 0
	other := map[coding.MemoKind]int{} // memos of kinds the store has no place for
	for _, x := range m.in.Memos {
		mm := x.Memo
		var start, end, codingCoder any
		switch mm.Kind {
		case coding.MemoSource, coding.MemoCoding:
			name, ok := m.to[mm.Source]
			if !ok {
				return qcode.Errorf(qcode.EINVALID, "%s: a memo by %s describes source %s, which it does not hold", m.in.From, mm.Coder, mm.Source)
			}
			if name == "" {
				left++
				continue
			}
			mm.Source = name
			if mm.Kind == coding.MemoSource {
				mm.Code = ""
				break
			}
			var chars int
			if err := m.tx.QueryRowContext(m.ctx, `SELECT chars FROM sources WHERE name = ?`, name).Scan(&chars); err != nil {
				return err
			}
			if mm.Start < 0 || mm.End <= mm.Start || mm.End > chars || mm.Code == "" || mm.CodingCoder == "" {
				return qcode.Errorf(qcode.EINVALID, "%s: a memo by %s describes a coding at %d-%d in %s that cannot be there; nothing was merged", m.in.From, mm.Coder, mm.Start, mm.End, mm.Source)
			}
			start, end, codingCoder = mm.Start, mm.End, mm.CodingCoder
		case coding.MemoCode:
			if mm.Code == "" {
				return qcode.Errorf(qcode.EINVALID, "%s: a memo by %s describes a code but names none", m.in.From, mm.Coder)
			}
			mm.Source = ""
		case coding.MemoProject:
			mm.Source, mm.Code = "", ""
		default:
			other[mm.Kind]++
			continue
		}
		if mm.CreatedAt.IsZero() {
			mm.CreatedAt = now()
		}
		if mm.UpdatedAt.IsZero() {
			mm.UpdatedAt = mm.CreatedAt
		}
		created := mm.CreatedAt.UTC().Format(time.RFC3339)
		var n int
		err := m.tx.QueryRowContext(m.ctx, `SELECT COUNT(*) FROM memos WHERE kind = ? AND source = ? AND code = ? AND start IS ? AND end IS ? AND coding_coder IS ? AND coder = ? AND created_at = ? AND text = ?`,
			string(mm.Kind), mm.Source, mm.Code, start, end, codingCoder, mm.Coder, created, mm.Text).Scan(&n)
		if err != nil {
			return err
		}
		if n > 0 {
			m.res.MemosExisting++
			continue
		}
		r, err := m.tx.ExecContext(m.ctx, `INSERT INTO memos (kind, source, code, start, end, coding_coder, coder, created_at, updated_at, text) VALUES (?,?,?,?,?,?,?,?,?,?)`,
			string(mm.Kind), mm.Source, mm.Code, start, end, codingCoder, mm.Coder, created, mm.UpdatedAt.UTC().Format(time.RFC3339), mm.Text)
		if err != nil {
			return err
		}
		if mm.ID, err = r.LastInsertId(); err != nil {
			return err
		}
		if err := auditMemo(m.ctx, m.tx, mm.Coder, m.in.Command, "add", mm, nil); err != nil {
			return err
		}
		m.res.MemosAdded++
	}
	if left > 0 {
		m.note(fmt.Sprintf("%d memos on the sources left out were left out with them", left))
	}
	for _, kind := range slices.Sorted(maps.Keys(other)) {
		what := fmt.Sprintf("%d memos on the %s were", other[kind], kind)
		if other[kind] == 1 {
			what = fmt.Sprintf("a memo on the %s was", kind)
		}
		m.note(what + " left out: the project keeps memos on sources, codes and codings")
	}
	return nil
}

// summaries adds the Framework summaries of cells the project has none
// of, on cases it has; a cell it summarises otherwise keeps the
// project's summary, and the result says so.
func (m *merger) summaries() error {
	left := 0
	for _, sm := range m.in.Summaries {
		if sm.Case == "" || sm.Theme == "" {
			return qcode.Errorf(qcode.EINVALID, "%s: a Framework summary by %s names no case or no theme", m.in.From, sm.Coder)
		}
		var n int
		if err := m.tx.QueryRowContext(m.ctx, `SELECT COUNT(*) FROM cases WHERE name = ?`, sm.Case).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			left++
			continue
		}
		old, err := summaryOf(m.ctx, m.tx, sm.Case, sm.Theme)
		switch {
		case err == nil && old.Text == sm.Text:
			m.res.SummariesExisting++
			continue
		case err == nil:
			m.res.SummariesConflicting = append(m.res.SummariesConflicting, SummaryConflict{Case: sm.Case, Theme: sm.Theme, Text: old.Text, Other: sm.Text})
			continue
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if sm.CreatedAt.IsZero() {
			sm.CreatedAt = now()
		}
		if sm.UpdatedAt.IsZero() {
			sm.UpdatedAt = sm.CreatedAt
		}
		if _, err := m.tx.ExecContext(m.ctx, `INSERT INTO framework_summaries (case_name, theme, coder, created_at, updated_at, text) VALUES (?,?,?,?,?,?)`,
			sm.Case, sm.Theme, sm.Coder, sm.CreatedAt.UTC().Format(time.RFC3339), sm.UpdatedAt.UTC().Format(time.RFC3339), sm.Text); err != nil {
			return err
		}
		if err := auditSummary(m.ctx, m.tx, sm.Coder, m.in.Command, "add", sm, nil); err != nil {
			return err
		}
		m.res.SummariesAdded++
	}
	if left > 0 {
		m.note(fmt.Sprintf("%d Framework summaries of cases the project does not hold were left out", left))
	}
	return nil
}
