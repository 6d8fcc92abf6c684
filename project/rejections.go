package project

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"qcode"
	"qcode/coding"
)

// Rejection is a rules coding a person rejected as a false positive.
type Rejection struct {
	coding.Coding           // the rules coding as it was, with its text; no matches
	RejectedBy    string    // the coder who rejected it
	RejectedAt    time.Time // when
}

// rejectionKey is what a rejection holds across rules runs: the code and
// the span, whatever the codebook.
type rejectionKey struct {
	code       string
	start, end int
}

// RejectCoding rejects the rules coding of code on the segment ref names,
// for coder, and logs it, in one transaction: the coding leaves the
// source's rules codings and later rules runs do not make it again. It
// returns the coding, and false when it was rejected already (by whoever),
// in which case nothing changes. A coding the rules did not make is a
// qcode.ENOTFOUND error naming what the segment has.
func (p *Project) RejectCoding(ctx context.Context, ref coding.Ref, code, coder, command string) (Rejection, bool, error) {
	var rj Rejection
	var rejected bool
	err := p.tx(ctx, func(tx *sql.Tx) error {
		cache := newSourceCache(ctx, tx)
		c, src, err := cache.resolve(ref)
		if err != nil {
			return err
		}
		if old, err := rejectionsOf(ctx, tx, runSource{src.id, src.name}, src.text, code, c.Start, c.End); err != nil || len(old) > 0 {
			if len(old) > 0 {
				rj = old[0]
			}
			return err
		}
		var unit, hash string
		var blob []byte
		err = tx.QueryRowContext(ctx, `SELECT unit, codebook_hash, blob FROM rules_codings WHERE source_id = ?`, src.id).Scan(&unit, &hash, &blob)
		var cs []coding.Coding
		at := -1
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		default:
			err := decodeRulesBlob(blob, src.name, coding.Unit(unit), hash, keepMatches, func(d *decodedCoding) error {
				if d.Code == code && d.Start == c.Start && d.End == c.End {
					at = len(cs)
				}
				cs = append(cs, d.Coding)
				return nil
			})
			if err != nil {
				return qcode.Errorf(qcode.EINTERNAL, "the rules codings of %s: %v; the store is damaged", src.name, err)
			}
		}
		if at < 0 {
			return noCoding(ctx, tx, src, c, code, coding.RulesCoder, "reject")
		}
		rj = Rejection{Coding: cs[at], RejectedBy: coder, RejectedAt: now()}
		rj.Matches, rj.Text = nil, src.text[rj.ByteStart:rj.ByteEnd]
		cs = slices.Delete(cs, at, at+1)
		if len(cs) == 0 {
			_, err = tx.ExecContext(ctx, `DELETE FROM rules_codings WHERE source_id = ?`, src.id)
		} else {
			var b rulesBlob
			_, err = tx.ExecContext(ctx, `UPDATE rules_codings SET codings = ?, blob = ? WHERE source_id = ?`, len(cs), b.encode(cs), src.id)
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO rejections (source_id, code, start, end, byte_start, byte_end, unit, ord, coder, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)`,
			src.id, code, rj.Start, rj.End, rj.ByteStart, rj.ByteEnd, string(rj.Unit), rj.Ord, coder, rj.RejectedAt.Format(time.RFC3339))
		if err != nil {
			return err
		}
		rejected = true
		return audit(ctx, tx, coder, command, "reject", "coding", src.name, rj.Start, rj.End, code, coding.OriginRules, "")
	})
	return rj, rejected, err
}

// AcceptCoding undoes the rejection of the rules coding of code on the
// segment ref names, for coder, and logs it, in one transaction: the next
// rules run makes the coding again. It returns the rejection it undid. A
// coding that is not rejected is a qcode.ENOTFOUND error naming the
// segment's rejected codings.
func (p *Project) AcceptCoding(ctx context.Context, ref coding.Ref, code, coder, command string) (Rejection, error) {
	var rj Rejection
	err := p.tx(ctx, func(tx *sql.Tx) error {
		cache := newSourceCache(ctx, tx)
		c, src, err := cache.resolve(ref)
		if err != nil {
			return err
		}
		here, err := rejectionsOf(ctx, tx, runSource{src.id, src.name}, src.text, "", c.Start, c.End)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(here, func(r Rejection) bool { return r.Code == code })
		if i < 0 {
			if len(here) == 0 {
				return qcode.Errorf(qcode.ENOTFOUND, "%s has no rejected codings; nothing to accept", c.Segment())
			}
			var have []string
			for _, r := range here {
				have = append(have, r.Code+" (rejected by "+r.RejectedBy+")")
			}
			return qcode.Errorf(qcode.ENOTFOUND, "%s has no rejected coding %s; it has %s", c.Segment(), code, strings.Join(have, ", "))
		}
		rj = here[i]
		if _, err := tx.ExecContext(ctx, `DELETE FROM rejections WHERE source_id = ? AND code = ? AND start = ? AND end = ?`, src.id, code, rj.Start, rj.End); err != nil {
			return err
		}
		return audit(ctx, tx, coder, command, "accept", "coding", src.name, rj.Start, rj.End, code, coding.OriginRules, "")
	})
	return rj, err
}

// Rejections returns the rejected rules codings f chooses (its Coder is
// who rejected them; its Origin, when given, must be rules), with their
// text, by source and position. An unknown source is a qcode.ENOTFOUND
// error that suggests the nearest names.
func (p *Project) Rejections(ctx context.Context, f CodingFilter) ([]Rejection, error) {
	var out []Rejection
	if f.Origin != "" && f.Origin != coding.OriginRules {
		return out, nil
	}
	err := p.readTx(ctx, func(tx *sql.Tx) error {
		q, args := `SELECT id, name FROM sources WHERE id IN (SELECT source_id FROM rejections)`, []any{}
		if f.Source != "" {
			if _, err := newSourceCache(ctx, tx).get(f.Source); err != nil {
				return err
			}
			q += ` AND name = ?`
			args = append(args, f.Source)
		}
		srcs, err := listSources(ctx, tx, q+` ORDER BY name`, args...)
		if err != nil {
			return err
		}
		for _, s := range srcs {
			var text string
			if err := tx.QueryRowContext(ctx, `SELECT text FROM sources WHERE id = ?`, s.id).Scan(&text); err != nil {
				return err
			}
			rs, err := rejectionsOf(ctx, tx, s, text, f.Code, -1, -1)
			if err != nil {
				return err
			}
			for _, r := range rs {
				if f.Coder == "" || r.RejectedBy == f.Coder {
					out = append(out, r)
				}
			}
		}
		return nil
	})
	return out, err
}

// rejectionsOf returns the rejections of src (whose text is text), of code
// or of every code, on the span [start, end) or, with start -1, anywhere,
// by position.
func rejectionsOf(ctx context.Context, q queryer, src runSource, text, code string, start, end int) ([]Rejection, error) {
	query := `SELECT code, start, end, byte_start, byte_end, unit, ord, coder, created_at FROM rejections WHERE source_id = ?`
	args := []any{src.id}
	if code != "" {
		query += ` AND code = ?`
		args = append(args, code)
	}
	if start >= 0 {
		query += ` AND start = ? AND end = ?`
		args = append(args, start, end)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY start, end DESC, code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Rejection
	for rows.Next() {
		r := Rejection{Coding: coding.Coding{Source: src.name, Coder: coding.RulesCoder, Origin: coding.OriginRules}}
		var unit, created string
		if err := rows.Scan(&r.Code, &r.Start, &r.End, &r.ByteStart, &r.ByteEnd, &unit, &r.Ord, &r.RejectedBy, &created); err != nil {
			return nil, err
		}
		if r.ByteStart < 0 || r.ByteEnd > len(text) || r.ByteStart > r.ByteEnd {
			return nil, qcode.Errorf(qcode.EINTERNAL, "rejected coding %s of %s does not fit its source's text; the store is damaged", r.Code, src.name)
		}
		r.Unit, r.Text = coding.Unit(unit), text[r.ByteStart:r.ByteEnd]
		r.RejectedAt, _ = time.Parse(time.RFC3339, created)
		out = append(out, r)
	}
	return out, rows.Err()
}

// rejectedSpans returns the rejections of a source as keys, for a rules
// run to leave out.
func rejectedSpans(ctx context.Context, q queryer, sourceID int64, into map[rejectionKey]bool) error {
	rows, err := q.QueryContext(ctx, `SELECT code, start, end FROM rejections WHERE source_id = ?`, sourceID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k rejectionKey
		if err := rows.Scan(&k.code, &k.start, &k.end); err != nil {
			return err
		}
		into[k] = false
	}
	return rows.Err()
}
