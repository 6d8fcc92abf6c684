package project

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"qcode"
	"qcode/coding"
)

// Rules codings are stored one row per source (table rules_codings), their
// codings packed into a blob, rather than one row per coding like people's:
// a dictionary codebook makes most sentences' codings, hundreds of
// thousands per million words, and a row costs SQLite several microseconds
// to write where a packed coding costs tens of nanoseconds. Rules codings
// are the rules' output, replaced whole by each run, never edited one by
// one, so nothing needs them as rows. Project.Codings reads them back as
// coding.Coding values beside people's, and every reader goes through it.
//
// The blob, every integer a varint (signed where it is a difference):
//
//	version (1)
//	codes: count, then each code's id (length, bytes) and its number of codings
//	base time: Unix seconds
//	codings: count, then for each, in the order the rules made them:
//	    code index, ord,
//	    byte start − previous coding's byte start, byte length,
//	    start − previous coding's start, length in characters,
//	    created − base time (seconds), flags (1: negated),
//	    matches: count, then each match's tokens×2+negated, then each token's
//	        start − the coding's start (characters), length in characters,
//	        text (length, bytes)
//
// The unit and the codebook hash are the same for every rules coding of a
// source (a run replaces all of a source's rules codings) and are columns
// of the row.

const rulesBlobVersion = 1

// rulesBlob is a source's rules codings, packed, with the code counts of
// its header for the totals a run reports.
type rulesBlob struct {
	buf   []byte
	codes map[string]int // index of each code in the header
	list  []string       // the codes in header order
	count []int          // codings of each code
}

// encode packs cs, which are one source's rules codings, into b.buf.
func (b *rulesBlob) encode(cs []coding.Coding) []byte {
	if b.codes == nil {
		b.codes = map[string]int{}
	}
	clear(b.codes)
	b.list, b.count = b.list[:0], b.count[:0]
	var base int64
	for i := range cs {
		c := &cs[i]
		if _, ok := b.codes[c.Code]; !ok {
			b.codes[c.Code] = len(b.list)
			b.list = append(b.list, c.Code)
			b.count = append(b.count, 0)
		}
		b.count[b.codes[c.Code]]++
		if t := c.CreatedAt.Unix(); i == 0 || t < base {
			base = t
		}
	}
	buf := binary.AppendUvarint(b.buf[:0], rulesBlobVersion)
	buf = binary.AppendUvarint(buf, uint64(len(b.list)))
	for i, code := range b.list {
		buf = appendBytes(buf, code)
		buf = binary.AppendUvarint(buf, uint64(b.count[i]))
	}
	buf = binary.AppendVarint(buf, base)
	buf = binary.AppendUvarint(buf, uint64(len(cs)))
	var prevByte, prevChar int
	for i := range cs {
		c := &cs[i]
		buf = binary.AppendUvarint(buf, uint64(b.codes[c.Code]))
		buf = binary.AppendVarint(buf, int64(c.Ord))
		buf = binary.AppendVarint(buf, int64(c.ByteStart-prevByte))
		buf = binary.AppendUvarint(buf, uint64(c.ByteEnd-c.ByteStart))
		buf = binary.AppendVarint(buf, int64(c.Start-prevChar))
		buf = binary.AppendUvarint(buf, uint64(c.End-c.Start))
		prevByte, prevChar = c.ByteStart, c.Start
		buf = binary.AppendVarint(buf, c.CreatedAt.Unix()-base)
		flags := uint64(0)
		if c.Negated {
			flags |= 1
		}
		buf = binary.AppendUvarint(buf, flags)
		buf = appendMatchesBlob(buf, c)
	}
	b.buf = buf
	return buf
}

// appendMatchesBlob appends the matches of c as the blob holds them.
func appendMatchesBlob(buf []byte, c *coding.Coding) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(c.Matches)))
	for _, m := range c.Matches {
		n := uint64(len(m.Tokens)) << 1
		if m.Negated {
			n |= 1
		}
		buf = binary.AppendUvarint(buf, n)
		for _, t := range m.Tokens {
			buf = binary.AppendVarint(buf, int64(t.Start-c.Start))
			buf = binary.AppendUvarint(buf, uint64(t.End-t.Start))
			buf = appendBytes(buf, t.Text)
		}
	}
	return buf
}

func appendBytes(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

var errBlob = errors.New("rules codings do not read")

// blobReader reads a rules blob.
type blobReader struct {
	buf []byte
	err error
}

func (r *blobReader) uvarint() int {
	v, n := binary.Uvarint(r.buf)
	if n <= 0 || v > 1<<40 {
		r.fail()
		return 0
	}
	r.buf = r.buf[n:]
	return int(v)
}

func (r *blobReader) varint() int64 {
	v, n := binary.Varint(r.buf)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.buf = r.buf[n:]
	return v
}

func (r *blobReader) str() string {
	n := r.uvarint()
	if n > len(r.buf) {
		r.fail()
		return ""
	}
	s := string(r.buf[:n])
	r.buf = r.buf[n:]
	return s
}

func (r *blobReader) fail() {
	if r.err == nil {
		r.err = errBlob
	}
	r.buf = nil
}

// blobHeader reads the version and codes of a blob: each code's id and
// number of codings.
func (r *blobReader) header() (codes []string, counts []int) {
	if v := r.uvarint(); v != rulesBlobVersion {
		r.fail()
		return nil, nil
	}
	n := r.uvarint()
	if n > len(r.buf) {
		r.fail()
		return nil, nil
	}
	codes, counts = make([]string, n), make([]int, n)
	for i := range n {
		codes[i] = r.str()
		counts[i] = r.uvarint()
	}
	return codes, counts
}

// eachBlobHeader calls fn with the codes of every source's rules codings
// and the number of codings of each.
func eachBlobHeader(ctx context.Context, q queryer, fn func(sourceID int64, codes []string, counts []int)) error {
	return eachRulesBlob(ctx, q, nil, func(id int64, blob []byte) error {
		r := &blobReader{buf: blob}
		codes, counts := r.header()
		if r.err == nil {
			fn(id, codes, counts)
		}
		return r.err
	})
}

// eachRulesBlob calls fn with the rules codings blob of each source of ids
// (of every source when ids is nil). The blob is good only during the
// call. An error of fn's is the blob's: the store is damaged.
func eachRulesBlob(ctx context.Context, q queryer, ids []int64, fn func(sourceID int64, blob []byte) error) error {
	query, args := `SELECT source_id, blob FROM rules_codings`, []any(nil)
	if ids != nil {
		query += ` WHERE source_id IN (SELECT value FROM json_each(?))`
		args = append(args, int64sJSON(ids))
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var blob sql.RawBytes
		if err := rows.Scan(&id, &blob); err != nil {
			return err
		}
		if err := fn(id, blob); err != nil {
			return qcode.Errorf(qcode.EINTERNAL, "the rules codings of source %d: %v; the store is damaged", id, err)
		}
	}
	return rows.Err()
}

// decodedCoding is a coding read from a blob, with the hash of its encoded
// matches (when they are not decoded), to tell whether a new run matched it
// the same way.
type decodedCoding struct {
	coding.Coding
	matched uint64 // hashBytes of its encoded matches
}

// decodeRulesBlob calls fn with each coding of a blob: the rules codings of
// source, made by unit with the codebook hash. The Coding passed to fn is
// reused: fn must copy what it keeps (the matches are fresh each time).
// The matches are decoded, hashed (for a rules run's comparison) or
// skipped, as matches says.
func decodeRulesBlob(blob []byte, source string, unit coding.Unit, hash string, matches blobMatches, fn func(*decodedCoding) error) error {
	r := &blobReader{buf: blob}
	codes, _ := r.header()
	base := r.varint()
	n := r.uvarint()
	if r.err != nil {
		return r.err
	}
	var d decodedCoding
	var prevByte, prevChar int
	for range n {
		d.Coding = coding.Coding{Source: source, Unit: unit, Coder: coding.RulesCoder, Origin: coding.OriginRules, CodebookHash: hash}
		k := r.uvarint()
		if k >= len(codes) {
			r.fail()
			return r.err
		}
		d.Code = codes[k]
		d.Ord = int(r.varint())
		d.ByteStart = prevByte + int(r.varint())
		d.ByteEnd = d.ByteStart + r.uvarint()
		d.Start = prevChar + int(r.varint())
		d.End = d.Start + r.uvarint()
		prevByte, prevChar = d.ByteStart, d.Start
		d.CreatedAt = time.Unix(base+r.varint(), 0).UTC()
		d.Negated = r.uvarint()&1 != 0
		before := r.buf
		d.Matches = r.matches(d.Start, matches == keepMatches)
		if r.err != nil {
			return r.err
		}
		if matches == hashMatches { // a rules run compares matches by their hash
			d.matched = hashBytes(before[:len(before)-len(r.buf)])
		}
		if err := fn(&d); err != nil {
			return err
		}
	}
	if len(r.buf) != 0 {
		return errBlob
	}
	return nil
}

// blobMatches says what decodeRulesBlob does with each coding's matches.
type blobMatches int

const (
	keepMatches blobMatches = iota // decode them
	hashMatches                    // hash them, into decodedCoding.matched
	skipMatches                    // neither
)

// matches reads a coding's matches, or skips them when keep is false.
func (r *blobReader) matches(start int, keep bool) []coding.RuleMatch {
	n := r.uvarint()
	if n > len(r.buf) {
		r.fail()
		return nil
	}
	var ms []coding.RuleMatch
	if keep {
		ms = make([]coding.RuleMatch, n)
	}
	for i := range n {
		nt := r.uvarint()
		neg := nt&1 != 0
		nt >>= 1
		if nt > len(r.buf) {
			r.fail()
			return nil
		}
		var toks []coding.MatchedToken
		if keep {
			toks = make([]coding.MatchedToken, nt)
		}
		for j := range nt {
			s := start + int(r.varint())
			e := s + r.uvarint()
			if keep {
				toks[j] = coding.MatchedToken{Start: s, End: e, Text: r.str()}
			} else if l := r.uvarint(); l <= len(r.buf) {
				r.buf = r.buf[l:]
			} else {
				r.fail()
			}
		}
		if keep {
			ms[i] = coding.RuleMatch{Tokens: toks, Negated: neg}
		}
	}
	return ms
}

// migrateRulesCodings moves the rules codings of schema 2, one row each in
// codings, into rules_codings, one packed row per source.
func migrateRulesCodings(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT source_id, unit, ord, start, end, byte_start, byte_end, code, created_at, codebook_hash, matched, negated
		FROM codings WHERE origin = 'rules' ORDER BY source_id, start, end DESC, code`)
	if err != nil {
		return err
	}
	type packed struct {
		id         int64
		unit, hash string
		codings    []coding.Coding
	}
	var all []*packed
	for rows.Next() {
		var id int64
		var c coding.Coding
		var unit, created string
		var matched sql.NullString
		if err := rows.Scan(&id, &unit, &c.Ord, &c.Start, &c.End, &c.ByteStart, &c.ByteEnd, &c.Code, &created, &c.CodebookHash, &matched, &c.Negated); err != nil {
			rows.Close()
			return err
		}
		c.Unit = coding.Unit(unit)
		c.CreatedAt, _ = time.Parse(time.RFC3339, created)
		if matched.Valid {
			if err := json.Unmarshal([]byte(matched.String), &c.Matches); err != nil {
				rows.Close()
				return fmt.Errorf("a rules coding of source %d: stored matches do not read: %v", id, err)
			}
		}
		if len(all) == 0 || all[len(all)-1].id != id {
			all = append(all, &packed{id: id, unit: unit, hash: c.CodebookHash})
		}
		// A run replaced a source's rules codings whole, so they share
		// one unit; any other unit is an earlier run's leftover.
		if p := all[len(all)-1]; c.Unit == coding.Unit(p.unit) {
			p.codings = append(p.codings, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var b rulesBlob
	for _, p := range all {
		if _, err := tx.ExecContext(ctx, `INSERT INTO rules_codings (source_id, unit, codebook_hash, codings, blob) VALUES (?, ?, ?, ?, ?)`,
			p.id, p.unit, p.hash, len(p.codings), b.encode(p.codings)); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM codings WHERE origin = 'rules'`)
	return err
}
