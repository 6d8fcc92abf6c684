package project

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"qcode"
	"qcode/coding"
	"qcode/corpus"
)

// queryer is what a transaction and the database both offer, so that reads
// can run inside a writer's transaction or on their own.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// readTx runs fn in a read-only transaction, for one consistent view.
func (p *Project) readTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := p.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// cachedSource is what resolving a segment needs of a source.
type cachedSource struct {
	id    int64
	name  string
	chars int
	text  string
	hash  string // of the content, as imported; "" where not read
}

// sourceCache looks sources up by name, once each.
type sourceCache struct {
	ctx   context.Context
	q     queryer
	byKey map[string]*cachedSource
	names []string // every source's name, for hints, loaded on first need
}

func newSourceCache(ctx context.Context, q queryer) *sourceCache {
	return &sourceCache{ctx: ctx, q: q, byKey: map[string]*cachedSource{}}
}

// get returns the named source, or a qcode.ENOTFOUND error that suggests
// the nearest names.
func (c *sourceCache) get(name string) (*cachedSource, error) {
	if s, ok := c.byKey[name]; ok {
		return s, nil
	}
	s := &cachedSource{name: name}
	err := c.q.QueryRowContext(c.ctx, `SELECT id, chars, text, hash FROM sources WHERE name = ?`, name).Scan(&s.id, &s.chars, &s.text, &s.hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, c.unknown(name)
	}
	if err != nil {
		return nil, err
	}
	c.byKey[name] = s
	return s, nil
}

func (c *sourceCache) unknown(name string) error {
	if c.names == nil {
		names, err := sourceNames(c.ctx, c.q)
		if err != nil {
			return err
		}
		c.names = names
	}
	return unknownSource(name, c.names)
}

// unknownSource is the error for a source name that is not one of names,
// the project's sources.
func unknownSource(name string, names []string) error {
	if len(names) == 0 {
		return &qcode.Error{Code: qcode.ENOTFOUND, Field: "source", Value: name, Message: "the project has no sources yet; run 'qcode import FILE…'"}
	}
	return &qcode.Error{Code: qcode.ENOTFOUND, Field: "source", Value: name, Message: "no such source in the project (see 'qcode sources')", Near: names}
}

func sourceNames(ctx context.Context, q queryer) ([]string, error) {
	return queryStrings(ctx, q, `SELECT name FROM sources ORDER BY name`)
}

// unitNames are a segment kind's name in messages and its letter in ids.
var unitNames = map[coding.Unit]struct{ plural, letter string }{
	coding.UnitSentence:  {"sentences", "s"},
	coding.UnitParagraph: {"paragraphs", "p"},
	coding.UnitTurn:      {"turns", "t"},
}

// resolve returns the span a ref names as a coding (source, unit, ord and
// spans filled in) and the source it is in. An unknown source or segment,
// or a span outside the text, is an error that says what there is.
func (c *sourceCache) resolve(ref coding.Ref) (coding.Coding, *cachedSource, error) {
	out := coding.Coding{Source: ref.Source, Unit: ref.Unit, Ord: ref.Ord}
	src, err := c.get(ref.Source)
	if err != nil {
		return out, nil, err
	}
	switch ref.Unit {
	case coding.UnitSource:
		out.Start, out.End, out.ByteStart, out.ByteEnd = 0, src.chars, 0, len(src.text)
		if src.chars == 0 {
			return out, src, qcode.Errorf(qcode.EINVALID, "%s: the source has no text to code", ref)
		}
	case coding.UnitSpan:
		if ref.End > src.chars {
			return out, src, &qcode.Error{Code: qcode.EINVALID, Help: qcode.HelpSegments, HelpOn: src.name,
				Message: fmt.Sprintf("%s: the span ends at character %d, past the end of %s's text (%d characters)", ref, ref.End, src.name, src.chars)}
		}
		out.Start, out.End = ref.Start, ref.End
		out.ByteStart = corpus.ByteOffset(src.text, ref.Start)
		out.ByteEnd = out.ByteStart + len(charsPrefix(src.text[out.ByteStart:], ref.End-ref.Start))
	case coding.UnitSentence, coding.UnitParagraph, coding.UnitTurn:
		var err error
		if ref.Unit == coding.UnitTurn {
			err = c.q.QueryRowContext(c.ctx, `SELECT start, end, byte_start, byte_end FROM turns WHERE source_id = ? AND ord = ?`, src.id, ref.Ord).
				Scan(&out.Start, &out.End, &out.ByteStart, &out.ByteEnd)
		} else {
			err = c.q.QueryRowContext(c.ctx, `SELECT start, end, byte_start, byte_end FROM segments WHERE source_id = ? AND kind = ? AND ord = ?`, src.id, string(ref.Unit), ref.Ord).
				Scan(&out.Start, &out.End, &out.ByteStart, &out.ByteEnd)
		}
		if errors.Is(err, sql.ErrNoRows) {
			return out, src, c.noSegment(ref, src)
		}
		if err != nil {
			return out, src, err
		}
	default:
		return out, src, qcode.Errorf(qcode.EINTERNAL, "%s: cannot resolve a %s", ref, ref.Unit)
	}
	if out.ByteStart < 0 || out.ByteEnd > len(src.text) || out.ByteStart >= out.ByteEnd {
		return out, src, qcode.Errorf(qcode.EINTERNAL, "%s: the stored span [%d,%d) does not fit the text; the store is damaged", ref, out.Start, out.End)
	}
	return out, src, nil
}

// noSegment says that ref names a segment its source does not have, and
// which it has.
func (c *sourceCache) noSegment(ref coding.Ref, src *cachedSource) error {
	u := unitNames[ref.Unit]
	var n int
	var err error
	if ref.Unit == coding.UnitTurn {
		err = c.q.QueryRowContext(c.ctx, `SELECT count(*) FROM turns WHERE source_id = ?`, src.id).Scan(&n)
	} else {
		err = c.q.QueryRowContext(c.ctx, `SELECT count(*) FROM segments WHERE source_id = ? AND kind = ?`, src.id, string(ref.Unit)).Scan(&n)
	}
	if err != nil {
		return err
	}
	return &qcode.Error{Code: qcode.ENOTFOUND, Help: qcode.HelpSegments, HelpOn: src.name,
		Message: fmt.Sprintf("no %s %s%d in %s: it has %s %s1 to %s%d", ref.Unit, u.letter, ref.Ord, src.name, u.plural, u.letter, u.letter, n)}
}

// charsPrefix returns the first n characters of s.
func charsPrefix(s string, n int) string {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

// CodingRequest is a coding a person asks for: a code on a segment or span,
// or on the one place a quote stands in it.
type CodingRequest struct {
	Ref    coding.Ref
	Quote  string // "" for the whole of Ref
	Code   string // the code's id, checked against the codebook by the caller
	Coder  string // checked with coding.CheckCoderName by the caller
	Memo   string
	Origin coding.Origin // manual or import
	// Hash is the source's content hash when the caller found Ref (see
	// SourceHashes), or "" to code the source as it now stands. A source
	// imported again since then is a qcode.ECONFLICT error: its segment
	// numbers and offsets may now name other text.
	Hash string
	// CreatedAt is when the coding was made, when it was made elsewhere
	// first (a spreadsheet qcode wrote); zero for now.
	CreatedAt time.Time
}

// AddCoding adds a person's coding and logs it in the audit table, in one
// transaction. It returns the coding with its span, and false when the
// coder already has that code on that span, in which case nothing changes.
func (p *Project) AddCoding(ctx context.Context, req CodingRequest, command string) (coding.Coding, bool, error) {
	var c coding.Coding
	var added bool
	err := p.tx(ctx, func(tx *sql.Tx) error {
		cache := newSourceCache(ctx, tx)
		var src *cachedSource
		var err error
		c, src, err = cache.resolveRequest(req)
		if err != nil {
			return err
		}
		added, err = insertPersonCoding(ctx, tx, src.id, &c, command)
		return err
	})
	return c, added, err
}

// AddCodings adds many codings by people, all or none, in one transaction,
// logging each addition. It returns how many were added and how many the
// coder had already (left as they were).
func (p *Project) AddCodings(ctx context.Context, reqs []CodingRequest, command string) (added, existing int, err error) {
	err = p.tx(ctx, func(tx *sql.Tx) error {
		cache := newSourceCache(ctx, tx)
		added, existing = 0, 0
		for _, req := range reqs {
			c, src, err := cache.resolveRequest(req)
			if err != nil {
				return err
			}
			ok, err := insertPersonCoding(ctx, tx, src.id, &c, command)
			if err != nil {
				return err
			}
			if ok {
				added++
			} else {
				existing++
			}
		}
		return nil
	})
	return added, existing, err
}

// resolveRequest resolves req's segment (and quote) to a coding.
func (c *sourceCache) resolveRequest(req CodingRequest) (coding.Coding, *cachedSource, error) {
	cd, src, err := c.resolve(req.Ref)
	if err != nil {
		return cd, src, err
	}
	if req.Hash != "" && req.Hash != src.hash {
		return cd, src, qcode.Errorf(qcode.ECONFLICT, "%s: source %s was imported again since the segment was found, so it may now hold other text; nothing was coded: find the segment again", req.Ref, src.name)
	}
	if req.Quote != "" {
		if cd, err = findQuote(cd, src, req.Quote); err != nil {
			return cd, src, err
		}
	}
	cd.Code, cd.Coder, cd.Memo, cd.Origin = req.Code, req.Coder, req.Memo, req.Origin
	cd.CreatedAt = req.CreatedAt
	if cd.CreatedAt.IsZero() {
		cd.CreatedAt = now()
	}
	cd.Text = src.text[cd.ByteStart:cd.ByteEnd]
	return cd, src, nil
}

// findQuote narrows in, a segment of src, to the one place quote stands in
// it: exactly, or else with its white space loosened, so that a quote
// copied from 'qcode show' across a wrapped, re-indented line still
// finds its passage. The coding spans the stored text, never the quote's
// own spacing. A quote that is not there, or there more than once, is an
// error: qcode never guesses which place was meant.
func findQuote(in coding.Coding, src *cachedSource, quote string) (coding.Coding, error) {
	hay := src.text[in.ByteStart:in.ByteEnd]
	at := quoteAt(hay, quote)
	where := in.Source
	if in.Unit != coding.UnitSource {
		where = in.Segment()
	}
	short := quote
	if utf8.RuneCountInString(short) > 40 {
		short = string([]rune(short)[:39]) + "…"
	}
	span := func(b [2]int) (int, int) {
		s := in.Start + utf8.RuneCountInString(hay[:b[0]])
		return s, s + utf8.RuneCountInString(hay[b[0]:b[1]])
	}
	switch len(at) {
	case 0:
		return in, qcode.Errorf(qcode.ENOTFOUND, "quote %q is not in %s; copy it exactly from the text (see 'qcode show %s')", short, where, in.Source)
	case 1:
	default:
		s1, e1 := span(at[0])
		s2, e2 := span(at[1])
		return in, qcode.Errorf(qcode.EINVALID, "quote %q occurs %d times in %s (at %d-%d and %d-%d); quote more of the passage, or name its segment, so that it occurs once", short, len(at), where, s1, e1, s2, e2)
	}
	out := in
	out.Unit, out.Ord = coding.UnitSpan, 0
	out.Start, out.End = span(at[0])
	out.ByteStart = in.ByteStart + at[0][0]
	out.ByteEnd = in.ByteStart + at[0][1]
	return out, nil
}

// quoteAt returns the byte spans where quote stands in hay: its exact
// occurrences (overlapping ones too) or, when there are none, those with
// every run of white space in the quote matching any run in hay.
func quoteAt(hay, quote string) [][2]int {
	var at [][2]int
	for i := 0; i+len(quote) <= len(hay); {
		j := strings.Index(hay[i:], quote)
		if j < 0 {
			break
		}
		at = append(at, [2]int{i + j, i + j + len(quote)})
		_, size := utf8.DecodeRuneInString(hay[i+j:])
		i += j + size
	}
	words := strings.Fields(quote)
	if len(at) > 0 || len(words) == 0 {
		return at
	}
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	for _, m := range regexp.MustCompile(strings.Join(words, `\s+`)).FindAllStringIndex(hay, -1) {
		at = append(at, [2]int{m[0], m[1]})
	}
	return at
}

const insertCodingSQL = `INSERT INTO codings (source_id, start, end, byte_start, byte_end, code, coder, origin, unit, ord, created_at, memo, codebook_hash, matched, negated)
	VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`

// insertPersonCoding inserts c unless its coder has it already, and logs
// the addition.
func insertPersonCoding(ctx context.Context, tx *sql.Tx, sourceID int64, c *coding.Coding, command string) (bool, error) {
	res, err := tx.ExecContext(ctx, insertCodingSQL+` ON CONFLICT (source_id, start, end, code, coder) DO NOTHING`,
		sourceID, c.Start, c.End, c.ByteStart, c.ByteEnd, c.Code, c.Coder, string(c.Origin), string(c.Unit), c.Ord,
		c.CreatedAt.Format(time.RFC3339), c.Memo, "", nil, 0)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	return true, audit(ctx, tx, c.Coder, command, "add", "coding", c.Source, c.Start, c.End, c.Code, c.Origin, c.Memo)
}

const auditSQL = `INSERT INTO audit (at, coder, command, action, what, source, start, end, code, origin, text) VALUES (?,?,?,?,?,?,?,?,?,?,?)`

func audit(ctx context.Context, tx *sql.Tx, coder, command, action, what, source string, start, end int, code string, origin coding.Origin, text string) error {
	var s, e, cd, o any
	if what == "coding" {
		s, e, cd, o = start, end, code, string(origin)
	}
	_, err := tx.ExecContext(ctx, auditSQL, now().Format(time.RFC3339), coder, command, action, what, source, s, e, cd, o, text)
	return err
}

// RemoveCoding removes a person's coding of code on a segment and logs it,
// in one transaction, and returns what it removed. A coding that is not
// there is a qcode.ENOTFOUND error naming what the segment does have.
func (p *Project) RemoveCoding(ctx context.Context, ref coding.Ref, code, coder, command string) (coding.Coding, error) {
	var c coding.Coding
	err := p.tx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = deletePersonCoding(ctx, tx, newSourceCache(ctx, tx), ref, code, coder, command, "remove")
		return err
	})
	return c, err
}

// ChangeCoding re-codes or re-spans a person's coding of code on ref, in
// one transaction: the coding leaves and to, which keeps its memo, takes
// its place, both logged. The changed coding is the person's own now
// (origin manual), whoever's tool made it first. A coding the coder
// already has at to's place is a qcode.ECONFLICT error, so that no memo is
// dropped by merging two codings into one.
func (p *Project) ChangeCoding(ctx context.Context, ref coding.Ref, code, coder string, to CodingRequest, command string) (old, changed coding.Coding, err error) {
	err = p.tx(ctx, func(tx *sql.Tx) error {
		cache := newSourceCache(ctx, tx)
		var err error
		if old, err = deletePersonCoding(ctx, tx, cache, ref, code, coder, command, "change"); err != nil {
			return err
		}
		to.Coder, to.Origin, to.Memo = coder, coding.OriginManual, old.Memo
		var src *cachedSource
		if changed, src, err = cache.resolveRequest(to); err != nil {
			return err
		}
		if changed.Source != old.Source {
			return qcode.Errorf(qcode.EINVALID, "%s is in %s, not %s; a coding stays in its source", to.Ref, changed.Source, old.Source)
		}
		added, err := insertPersonCoding(ctx, tx, src.id, &changed, command)
		if err == nil && !added {
			err = qcode.Errorf(qcode.ECONFLICT, "%s already has %s by %s; remove this coding instead", changed.Segment(), changed.Code, coder)
		}
		return err
	})
	return old, changed, err
}

// deletePersonCoding deletes a person's coding and logs it, and returns
// what it deleted; verb says what was being done, for the error when
// there is no such coding.
func deletePersonCoding(ctx context.Context, tx *sql.Tx, cache *sourceCache, ref coding.Ref, code, coder, command, verb string) (coding.Coding, error) {
	c, src, err := cache.resolve(ref)
	if err != nil {
		return c, err
	}
	var id int64
	var origin, created string
	err = tx.QueryRowContext(ctx, `SELECT id, origin, memo, created_at FROM codings WHERE source_id = ? AND start = ? AND end = ? AND code = ? AND coder = ?`,
		src.id, c.Start, c.End, code, coder).Scan(&id, &origin, &c.Memo, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return c, noCoding(ctx, tx, src, c, code, coder, verb)
	}
	if err != nil {
		return c, err
	}
	c.Code, c.Coder, c.Origin = code, coder, coding.Origin(origin)
	c.CreatedAt, _ = time.Parse(time.RFC3339, created)
	c.Text = src.text[c.ByteStart:c.ByteEnd]
	if _, err := tx.ExecContext(ctx, `DELETE FROM codings WHERE id = ?`, id); err != nil {
		return c, err
	}
	return c, audit(ctx, tx, coder, command, "remove", "coding", c.Source, c.Start, c.End, code, c.Origin, c.Memo)
}

// noCoding says that the segment c has no coding of code by coder, and what
// it has; verb is what was to be done with the coding.
func noCoding(ctx context.Context, tx *sql.Tx, src *cachedSource, c coding.Coding, code, coder, verb string) error {
	var have []string
	cs, err := peopleCodings(ctx, tx, runSource{src.id, src.name}, CodingFilter{}, nil)
	if err == nil {
		cs, err = rulesCodings(ctx, tx, runSource{src.id, src.name}, "", cs)
	}
	if err != nil {
		return err
	}
	for _, o := range cs {
		if o.Start == c.Start && o.End == c.End {
			have = append(have, o.Code+" by "+o.Coder)
		}
	}
	if len(have) == 0 {
		return &qcode.Error{Code: qcode.ENOTFOUND, Help: qcode.HelpCodings, HelpOn: c.Source,
			Message: fmt.Sprintf("%s has no codings; nothing to %s", c.Segment(), verb)}
	}
	slices.Sort(have)
	return qcode.Errorf(qcode.ENOTFOUND, "%s has no coding %s by %s; it has %s", c.Segment(), code, coder, strings.Join(slices.Compact(have), ", "))
}

// ImportCodingsResult says what ImportCodings did.
type ImportCodingsResult struct {
	Added    int `json:"added"`
	Existing int `json:"existing"` // already there for the coder: left as they were
}

// ImportCodings adds the codings of a spreadsheet (see coding.ReadSheet),
// each by its row's coder or else by coder, all or none, in one transaction. Every row is resolved first:
// an unknown source or segment, a span outside the text, or a quote that is
// not in its source or is there more than once is an error naming the
// file and row, and nothing is written.
func (p *Project) ImportCodings(ctx context.Context, path string, rows []coding.SheetCoding, coder, command string) (ImportCodingsResult, error) {
	var res ImportCodingsResult
	err := p.tx(ctx, func(tx *sql.Tx) error {
		cache := newSourceCache(ctx, tx)
		type resolved struct {
			c     coding.Coding
			srcID int64
		}
		all := make([]resolved, 0, len(rows))
		for _, r := range rows {
			who := r.Coder
			if who == "" {
				who = coder
			}
			c, src, err := cache.resolveRequest(CodingRequest{Ref: r.Ref, Quote: r.Quote, Code: r.Code, Coder: who, Memo: r.Memo, Origin: coding.OriginImport, CreatedAt: r.CreatedAt})
			if err != nil {
				return &qcode.Error{Code: qcode.ErrorCode(err), Message: fmt.Sprintf("%s:%d: %s", path, r.Line, err.Error()), Err: err}
			}
			all = append(all, resolved{c, src.id})
		}
		for i := range all {
			added, err := insertPersonCoding(ctx, tx, all[i].srcID, &all[i].c, command)
			if err != nil {
				return err
			}
			if added {
				res.Added++
			} else {
				res.Existing++
			}
		}
		return nil
	})
	return res, err
}

// SourceHashes returns every source's content hash by name. A caller that
// finds segments in one read and codes them in a later write reads these
// before it finds them and gives each request its source's Hash, so that
// a source another process imports again in between is not coded where
// its new text happens to stand.
func (p *Project) SourceHashes(ctx context.Context) (map[string]string, error) {
	rows, err := p.db.QueryContext(ctx, `SELECT name, hash FROM sources`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, hash string
		if err := rows.Scan(&name, &hash); err != nil {
			return nil, err
		}
		out[name] = hash
	}
	return out, rows.Err()
}

// CodingFilter chooses codings; empty fields choose all.
type CodingFilter struct {
	Source string
	Code   string
	Coder  string
	Origin coding.Origin
}

// Codings returns the codings f chooses, with their text, by source and
// position. An unknown source is a qcode.ENOTFOUND error that suggests the
// nearest names.
func (p *Project) Codings(ctx context.Context, f CodingFilter) ([]coding.Coding, error) {
	var out []coding.Coding
	err := p.EachCoding(ctx, f, func(c *coding.Coding) error {
		out = append(out, *c)
		return nil
	})
	return out, err
}

// EachCoding calls fn with each coding f chooses, with its text, in the
// order of Codings: by source name, then start, longest span first, code
// and coder. It holds one source's codings at a time; fn must not keep the
// pointer. Codings by people and by the rules come alike.
func (p *Project) EachCoding(ctx context.Context, f CodingFilter, fn func(*coding.Coding) error) error {
	people := f.Origin != coding.OriginRules && f.Coder != coding.RulesCoder
	rules := (f.Origin == "" || f.Origin == coding.OriginRules) && (f.Coder == "" || f.Coder == coding.RulesCoder)
	return p.readTx(ctx, func(tx *sql.Tx) error {
		var srcs []runSource
		if f.Source != "" {
			src, err := newSourceCache(ctx, tx).get(f.Source)
			if err != nil {
				return err
			}
			srcs = append(srcs, runSource{src.id, src.name})
		} else {
			var err error
			if srcs, err = listSources(ctx, tx, `SELECT id, name FROM sources ORDER BY name`); err != nil {
				return err
			}
		}
		var buf []coding.Coding
		for _, src := range srcs {
			buf = buf[:0]
			var err error
			if people {
				if buf, err = peopleCodings(ctx, tx, src, f, buf); err != nil {
					return err
				}
			}
			if rules {
				if buf, err = rulesCodings(ctx, tx, src, f.Code, buf); err != nil {
					return err
				}
			}
			if len(buf) == 0 {
				continue
			}
			var text string
			if err := tx.QueryRowContext(ctx, `SELECT text FROM sources WHERE id = ?`, src.id).Scan(&text); err != nil {
				return err
			}
			slices.SortFunc(buf, compareCodings)
			for i := range buf {
				c := &buf[i]
				if c.ByteStart < 0 || c.ByteEnd > len(text) || c.ByteStart > c.ByteEnd {
					return qcode.Errorf(qcode.EINTERNAL, "coding %s does not fit its source's text; the store is damaged", c.String())
				}
				c.Text = text[c.ByteStart:c.ByteEnd]
				if err := fn(c); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// listSources returns the sources a query of their id and name gives.
func listSources(ctx context.Context, q queryer, query string, args ...any) ([]runSource, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []runSource
	for rows.Next() {
		var s runSource
		if err := rows.Scan(&s.id, &s.name); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// compareCodings orders codings by start, longest span first, code and
// coder (all of one source).
func compareCodings(a, b coding.Coding) int {
	return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End), strings.Compare(a.Code, b.Code), strings.Compare(a.Coder, b.Coder))
}

// peopleCodings appends the codings by people of src that f chooses.
func peopleCodings(ctx context.Context, tx *sql.Tx, src runSource, f CodingFilter, out []coding.Coding) ([]coding.Coding, error) {
	return peopleCodingsOf(ctx, tx, src, f, false, out)
}

// peopleCodingsOf is peopleCodings; when counting, it reads only what
// counts need (no byte range, time of coding nor model hash), a third
// fewer columns, each a call into SQLite.
func peopleCodingsOf(ctx context.Context, tx *sql.Tx, src runSource, f CodingFilter, counting bool, out []coding.Coding) ([]coding.Coding, error) {
	q := `SELECT unit, ord, start, end, byte_start, byte_end, code, coder, origin, created_at, memo, model_hash FROM codings WHERE source_id = ?`
	if counting {
		q = `SELECT unit, ord, start, end, code, coder, origin, memo FROM codings WHERE source_id = ?`
	}
	args := []any{src.id}
	for _, w := range []struct{ col, v string }{{"code", f.Code}, {"coder", f.Coder}, {"origin", string(f.Origin)}} {
		if w.v != "" {
			q += ` AND ` + w.col + ` = ?`
			args = append(args, w.v)
		}
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		c := coding.Coding{Source: src.name}
		var unit, origin, created string
		// int64s: database/sql fills an int through text.
		var ord, start, end, bs, be int64
		if counting {
			err = rows.Scan(&unit, &ord, &start, &end, &c.Code, &c.Coder, &origin, &c.Memo)
		} else {
			err = rows.Scan(&unit, &ord, &start, &end, &bs, &be, &c.Code, &c.Coder, &origin, &created, &c.Memo, &c.ModelHash)
		}
		if err != nil {
			return out, err
		}
		c.Ord, c.Start, c.End, c.ByteStart, c.ByteEnd = int(ord), int(start), int(end), int(bs), int(be)
		c.Unit, c.Origin = coding.Unit(unit), coding.Origin(origin)
		if !counting {
			c.CreatedAt, _ = time.Parse(time.RFC3339, created)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// rulesCodings appends the rules codings of src, of code or of every code.
func rulesCodings(ctx context.Context, tx *sql.Tx, src runSource, code string, out []coding.Coding) ([]coding.Coding, error) {
	return rulesCodingsWith(ctx, tx, src, code, keepMatches, out)
}

// rulesCodingsWith is rulesCodings, doing with each coding's matches what
// matches says.
func rulesCodingsWith(ctx context.Context, tx *sql.Tx, src runSource, code string, matches blobMatches, out []coding.Coding) ([]coding.Coding, error) {
	var unit, hash string
	var blob []byte
	err := tx.QueryRowContext(ctx, `SELECT unit, codebook_hash, blob FROM rules_codings WHERE source_id = ?`, src.id).Scan(&unit, &hash, &blob)
	if errors.Is(err, sql.ErrNoRows) {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	err = decodeRulesBlob(blob, src.name, coding.Unit(unit), hash, matches, func(d *decodedCoding) error {
		if code == "" || d.Code == code {
			out = append(out, d.Coding)
		}
		return nil
	})
	if err != nil {
		return out, qcode.Errorf(qcode.EINTERNAL, "the rules codings of %s: %v; the store is damaged", src.name, err)
	}
	return out, nil
}

// CodingNames returns the codes and coders of the project's codings, each
// sorted, for hints.
func (p *Project) CodingNames(ctx context.Context) (codes, coders []string, err error) {
	err = p.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT code, coder FROM codings`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var code, coder string
			if err := rows.Scan(&code, &coder); err != nil {
				rows.Close()
				return err
			}
			codes = append(codes, code)
			coders = append(coders, coder)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return eachBlobHeader(ctx, tx, func(_ int64, names []string, _ []int) {
			codes = append(codes, names...)
			coders = append(coders, coding.RulesCoder)
		})
	})
	slices.Sort(codes)
	slices.Sort(coders)
	return slices.Compact(codes), slices.Compact(coders), err
}

// refuseReplace returns a qcode.ECONFLICT error when the named source has
// codings made by people: replacing its text would lose them. Rules codings
// are not counted; `qcode code` makes them again.
func refuseReplace(ctx context.Context, q queryer, path, name string) error {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM codings c JOIN sources s ON s.id = c.source_id WHERE s.name = ? AND c.origin != 'rules'`, name).Scan(&n)
	if err != nil || n == 0 {
		return err
	}
	codings := "codings"
	if n == 1 {
		codings = "coding"
	}
	return qcode.Errorf(qcode.ECONFLICT, "%s: %s has %d %s made by hand; replacing its text would lose them. Export them first or remove them with 'qcode coding rm'", path, name, n, codings)
}

// SpeakerInfo is one speaker with its role and where it speaks.
type SpeakerInfo struct {
	Name        string   `json:"name"`
	Role        string   `json:"role"`        // as marked; "" to go by the name
	Interviewer bool     `json:"interviewer"` // whether the rules leave its turns alone
	Sources     []string `json:"sources"`
	Turns       int      `json:"turns"`
}

// Speakers lists every speaker by name. A document's paragraphs have no
// speaker, and no row here.
func (p *Project) Speakers(ctx context.Context) ([]SpeakerInfo, error) {
	rows, err := p.db.QueryContext(ctx, `SELECT k.name, k.role, count(t.ord), COALESCE(GROUP_CONCAT(DISTINCT s.name), '')
		FROM speakers k LEFT JOIN turns t ON t.speaker_id = k.id LEFT JOIN sources s ON s.id = t.source_id
		WHERE k.name <> '' GROUP BY k.id ORDER BY k.name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SpeakerInfo
	for rows.Next() {
		var s SpeakerInfo
		var srcs string
		if err := rows.Scan(&s.Name, &s.Role, &s.Turns, &srcs); err != nil {
			return nil, err
		}
		s.Sources = []string{}
		if srcs != "" {
			s.Sources = strings.Split(srcs, ",")
		}
		s.Interviewer = coding.IsInterviewer(s.Name, s.Role)
		out = append(out, s)
	}
	return out, rows.Err()
}

// MarkSpeaker sets a speaker's role: interviewer, participant, or "" to go
// by its name. An unknown speaker is a qcode.ENOTFOUND error that suggests
// the nearest names.
func (p *Project) MarkSpeaker(ctx context.Context, name, role string) error {
	if err := coding.CheckRole(role); err != nil {
		return err
	}
	return p.tx(ctx, func(tx *sql.Tx) error {
		// The nameless speaker of documents' paragraphs is no one to mark.
		res, err := tx.ExecContext(ctx, `UPDATE speakers SET role = ? WHERE name = ? AND name <> ''`, role, name)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT name FROM speakers WHERE name <> '' ORDER BY name`)
		if err != nil {
			return err
		}
		defer rows.Close()
		var names []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				return err
			}
			names = append(names, n)
		}
		return &qcode.Error{Code: qcode.ENOTFOUND, Field: "speaker", Value: name, Message: "no such speaker in the project (see 'qcode speakers list')", Near: names}
	})
}
