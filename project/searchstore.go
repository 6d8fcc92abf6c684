package project

// The reads the search engine makes of the store (search.Store, which
// Project implements): the sources to index, and the names, cases,
// attributes, speakers and codings a search filters, counts and shows by.

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strconv"
	"strings"

	"qcode"
	"qcode/coding"
	"qcode/corpus"
)

// IndexDir is the folder of the search index inside Dirname.
const IndexDir = "index"

// IndexPath returns the folder of the project's search index. The store
// never reads it: the index is derived from the store and made again from
// it, by package search.
func (p *Project) IndexPath() string { return filepath.Join(p.Dir, Dirname, IndexDir) }

// SourceStamps returns every source's id and a stamp that changes whenever
// its text is imported again, and a digest of them all: one string, read
// with one row, that a search compares before anything else.
func (p *Project) SourceStamps(ctx context.Context) (map[int64]string, string, error) {
	var digest string
	err := p.db.QueryRowContext(ctx, `SELECT coalesce(group_concat(id || ' ' || hash || ' ' || imported_at || ' ' || sentences, ';'), '')
		FROM (SELECT id, hash, imported_at, sentences FROM sources INDEXED BY source_listing ORDER BY id)`).Scan(&digest)
	if err != nil {
		return nil, "", err
	}
	out := map[int64]string{}
	for _, row := range strings.Split(digest, ";") {
		if row == "" {
			continue
		}
		id, stamp, _ := strings.Cut(row, " ")
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || strings.Count(stamp, " ") != 2 {
			return nil, "", qcode.Errorf(qcode.EINTERNAL, "source %q has a hash or import time with a space or semicolon; the store is damaged", id)
		}
		out[n] = stamp
	}
	return out, digest, nil
}

// IndexSource reads a source as the search index takes it, in one read
// transaction: turn is called with each of its turns, with its text, and
// sentence with each of its sentences, in order, the sentence with its text, its tokens
// (byte spans) and each token's start and end in characters. The tokens
// are good only during the call. A source the store lacks (imported again
// since its id was read) is a qcode.ENOTFOUND error.
func (p *Project) IndexSource(ctx context.Context, id int64,
	turn func(ord int, speaker int64, chars, bytes corpus.Span, begin corpus.Time, text string) error,
	sentence func(ord, turn int, chars, bytes corpus.Span, text string, tokens []corpus.Token, tokenChars []int) error) error {
	return p.readTx(ctx, func(tx *sql.Tx) error {
		var text string
		err := tx.QueryRowContext(ctx, `SELECT text FROM sources WHERE id = ?`, id).Scan(&text)
		if errors.Is(err, sql.ErrNoRows) {
			return qcode.Errorf(qcode.ENOTFOUND, "the project has no source %d", id)
		}
		if err != nil {
			return err
		}
		trows, err := tx.QueryContext(ctx, `SELECT ord, speaker_id, start, end, byte_start, byte_end, time_start FROM turns WHERE source_id = ? ORDER BY ord`, id)
		if err != nil {
			return err
		}
		for trows.Next() {
			var ord int
			var speaker int64
			var chars, bytes corpus.Span
			var ts sql.NullInt64
			if err := trows.Scan(&ord, &speaker, &chars.Start, &chars.End, &bytes.Start, &bytes.End, &ts); err != nil {
				trows.Close()
				return err
			}
			begin := corpus.NoTime
			if ts.Valid {
				begin = corpus.Time(ts.Int64)
			}
			if bytes.Start < 0 || bytes.End > len(text) || bytes.Start > bytes.End {
				trows.Close()
				return qcode.Errorf(qcode.EINTERNAL, "source %d: turn %d is out of place; the store is damaged", id, ord)
			}
			if err := turn(ord, speaker, chars, bytes, begin, text[bytes.Start:bytes.End]); err != nil {
				trows.Close()
				return err
			}
		}
		trows.Close()
		if err := trows.Err(); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT ord, turn, start, end, byte_start, byte_end, tokens FROM segments WHERE source_id = ? AND kind = 'sentence' ORDER BY ord`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		var toks []corpus.Token
		var chars []int
		for rows.Next() {
			var ord, turn int
			var cs, bs corpus.Span
			var blob sql.RawBytes
			if err := rows.Scan(&ord, &turn, &cs.Start, &cs.End, &bs.Start, &bs.End, &blob); err != nil {
				return err
			}
			if bs.Start < 0 || bs.End > len(text) || bs.Start > bs.End {
				return qcode.Errorf(qcode.EINTERNAL, "source %d: sentence %d is out of place; the store is damaged", id, ord)
			}
			if toks, err = DecodeTokens(toks[:0], text, bs.Start, blob); err != nil {
				return qcode.Errorf(qcode.EINTERNAL, "source %d: sentence %d: %v", id, ord, err)
			}
			chars = tokenChars(chars[:0], text, bs.Start, cs.Start, toks)
			if err := sentence(ord, turn, cs, bs, text[bs.Start:bs.End], toks, chars); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// SourceCases calls fn with each source's id and name and its case's id
// and name, by source name.
func (p *Project) SourceCases(ctx context.Context, fn func(id int64, name string, caseID int64, caseName string) error) error {
	rows, err := p.db.QueryContext(ctx, `SELECT s.id, s.name, s.case_id, c.name FROM sources s INDEXED BY source_listing JOIN cases c ON c.id = s.case_id ORDER BY s.name`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, caseID int64
		var name, caseName string
		if err := rows.Scan(&id, &name, &caseID, &caseName); err != nil {
			return err
		}
		if err := fn(id, name, caseID, caseName); err != nil {
			return err
		}
	}
	return rows.Err()
}

// SpeakerRoles calls fn with each speaker's id, name and role as marked
// ("" to go by the name).
func (p *Project) SpeakerRoles(ctx context.Context, fn func(id int64, name, role string) error) error {
	rows, err := p.db.QueryContext(ctx, `SELECT id, name, role FROM speakers`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name, role string
		if err := rows.Scan(&id, &name, &role); err != nil {
			return err
		}
		if err := fn(id, name, role); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CodedSpans calls fn with each coding, by people and by the rules, of the
// sources ids: its source, span in characters, code and coder; only those
// of code and of coder when they are not "". It reads in one transaction.
func (p *Project) CodedSpans(ctx context.Context, ids []int64, code, coder string, fn func(source int64, start, end int, code, coder string) error) error {
	return p.readTx(ctx, func(tx *sql.Tx) error {
		if coder != coding.RulesCoder {
			q := `SELECT source_id, start, end, code, coder FROM codings WHERE source_id IN (SELECT value FROM json_each(?))`
			args := []any{int64sJSON(ids)}
			for _, w := range []struct{ col, v string }{{"code", code}, {"coder", coder}} {
				if w.v != "" {
					q += ` AND ` + w.col + ` = ?`
					args = append(args, w.v)
				}
			}
			rows, err := tx.QueryContext(ctx, q, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id int64
				var start, end int
				var code, coder string
				if err := rows.Scan(&id, &start, &end, &code, &coder); err != nil {
					return err
				}
				if err := fn(id, start, end, code, coder); err != nil {
					return err
				}
			}
			if err := rows.Err(); err != nil {
				return err
			}
		}
		if coder != "" && coder != coding.RulesCoder {
			return nil
		}
		return eachRulesBlob(ctx, tx, ids, func(id int64, blob []byte) error {
			return decodeRulesBlob(blob, "", "", "", skipMatches, func(d *decodedCoding) error {
				if code == "" || d.Code == code {
					return fn(id, d.Start, d.End, d.Code, coding.RulesCoder)
				}
				return nil
			})
		})
	})
}

// SourceTexts returns the texts of the sources ids that the store has.
func (p *Project) SourceTexts(ctx context.Context, ids []int64) (map[int64]string, error) {
	texts := make(map[int64]string, len(ids))
	rows, err := p.db.QueryContext(ctx, `SELECT id, text FROM sources WHERE id IN (SELECT value FROM json_each(?))`, int64sJSON(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			return nil, err
		}
		texts[id] = text
	}
	return texts, rows.Err()
}

// int64sJSON writes numbers as a JSON array, for json_each.
func int64sJSON(ids []int64) string {
	b := []byte{'['}
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}
