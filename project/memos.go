package project

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"qcode"
	"qcode/coding"
)

// MemoRequest is a memo to add: what it describes, who writes it and its
// text.
type MemoRequest struct {
	Kind   coding.MemoKind
	Source string     // source memos: the source's name
	Ref    coding.Ref // coding memos: the coding's segment or span
	Code   string     // code and coding memos: the code's id
	// CodingCoder is a coding memo's coding's coder; "" when only one
	// coder has a coding of Code on Ref.
	CodingCoder string
	Coder       string // who writes the memo
	Text        string
}

// AddMemo adds a memo and logs it, in one transaction. A source or coding
// it describes must be in the project (a coding of any origin); a code is
// the caller's to check against the codebook.
func (p *Project) AddMemo(ctx context.Context, req MemoRequest, command string) (coding.Memo, error) {
	at := now()
	m := coding.Memo{Kind: req.Kind, Code: req.Code, Coder: req.Coder, Text: req.Text, CreatedAt: at, UpdatedAt: at}
	err := p.tx(ctx, func(tx *sql.Tx) error {
		cache := newSourceCache(ctx, tx)
		var start, end, codingCoder any
		switch req.Kind {
		case coding.MemoSource:
			if _, err := cache.get(req.Source); err != nil {
				return err
			}
			m.Source, m.Code = req.Source, ""
		case coding.MemoCode:
			if req.Code == "" {
				return qcode.FieldError("code", "", "missing; say which code the memo describes")
			}
		case coding.MemoProject:
			m.Source, m.Code = "", ""
		case coding.MemoCoding:
			c, err := findCoding(ctx, tx, cache, req.Ref, req.Code, req.CodingCoder)
			if err != nil {
				return err
			}
			m.Source, m.Start, m.End, m.CodingCoder = c.Source, c.Start, c.End, c.Coder
			start, end, codingCoder = c.Start, c.End, c.Coder
		default:
			return qcode.Errorf(qcode.EINTERNAL, "a memo of kind %q", req.Kind)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO memos (kind, source, code, start, end, coding_coder, coder, created_at, updated_at, text) VALUES (?,?,?,?,?,?,?,?,?,?)`,
			string(m.Kind), m.Source, m.Code, start, end, codingCoder, m.Coder, at.Format(time.RFC3339), at.Format(time.RFC3339), m.Text)
		if err != nil {
			return err
		}
		if m.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		return auditMemo(ctx, tx, m.Coder, command, "add", m, nil)
	})
	return m, err
}

// findCoding returns the coding of code on ref by coder (any origin), or
// by the one coder who has it when coder is "". None is a qcode.ENOTFOUND
// error, and more than one coder without a choice a qcode.EINVALID error
// naming them.
func findCoding(ctx context.Context, tx *sql.Tx, cache *sourceCache, ref coding.Ref, code, coder string) (coding.Coding, error) {
	c, src, err := cache.resolve(ref)
	if err != nil {
		return c, err
	}
	if code == "" {
		return c, qcode.FieldError("code", "", "missing; say which coding the memo describes")
	}
	coders, err := queryStrings(ctx, tx, `SELECT coder FROM codings WHERE source_id = ? AND start = ? AND end = ? AND code = ? ORDER BY coder`, src.id, c.Start, c.End, code)
	if err != nil {
		return c, err
	}
	rules, err := rulesCodings(ctx, tx, runSource{src.id, src.name}, code, nil)
	if err != nil {
		return c, err
	}
	if slices.ContainsFunc(rules, func(r coding.Coding) bool { return r.Start == c.Start && r.End == c.End }) {
		coders = append(coders, coding.RulesCoder)
	}
	what := fmt.Sprintf("%s on %s", code, ref)
	switch {
	case len(coders) == 0:
		return c, &qcode.Error{Code: qcode.ENOTFOUND, Help: qcode.HelpCodings, HelpOn: src.name,
			Message: fmt.Sprintf("no coding of %s:%d-%d as %s to write a memo on", src.name, c.Start, c.End, code)}
	case coder != "" && !slices.Contains(coders, coder):
		return c, &qcode.Error{Code: qcode.ENOTFOUND, Field: "coding_coder", Value: coder, Allowed: coders,
			Message: fmt.Sprintf("%s has no coding by this coder", what)}
	case coder == "" && len(coders) > 1:
		return c, &qcode.Error{Code: qcode.EINVALID, Field: "coding_coder", Allowed: coders,
			Message: fmt.Sprintf("%s is coded by %s; say whose coding the memo describes", what, strings.Join(coders, ", "))}
	case coder == "":
		coder = coders[0]
	}
	c.Code, c.Coder = code, coder
	return c, nil
}

// EditMemo replaces the text of memo id and logs the change, old text
// and new, in one transaction, so that nothing written is lost. coder is
// who edits; the memo keeps its author. An unknown id is a
// qcode.ENOTFOUND error.
func (p *Project) EditMemo(ctx context.Context, id int64, coder, text, command string) (coding.Memo, error) {
	var m coding.Memo
	err := p.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if m, err = memoByID(ctx, tx, id); err != nil {
			return err
		}
		if m.Text == text {
			return nil
		}
		old := m.Text
		m.Text, m.UpdatedAt = text, now()
		if _, err := tx.ExecContext(ctx, `UPDATE memos SET text = ?, updated_at = ? WHERE id = ?`, text, m.UpdatedAt.Format(time.RFC3339), id); err != nil {
			return err
		}
		return auditMemo(ctx, tx, coder, command, "edit", m, old)
	})
	return m, err
}

// DeleteMemo removes memo id and logs it with its text, in one
// transaction, and returns what it removed. An unknown id is a
// qcode.ENOTFOUND error.
func (p *Project) DeleteMemo(ctx context.Context, id int64, coder, command string) (coding.Memo, error) {
	var m coding.Memo
	err := p.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if m, err = memoByID(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM memos WHERE id = ?`, id); err != nil {
			return err
		}
		return auditMemo(ctx, tx, coder, command, "remove", m, nil)
	})
	return m, err
}

// auditMemo logs what a person did to memo m; old is an edit's old text.
func auditMemo(ctx context.Context, tx *sql.Tx, coder, command, action string, m coding.Memo, old any) error {
	var start, end, code any
	if m.Kind == coding.MemoCoding {
		start, end = m.Start, m.End
	}
	if m.Code != "" {
		code = m.Code
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit (at, coder, command, action, what, source, start, end, code, text, memo_id, old_text) VALUES (?,?,?,?,'memo',?,?,?,?,?,?,?)`,
		now().Format(time.RFC3339), coder, command, action, m.Source, start, end, code, m.Text, m.ID, old)
	return err
}

const memoColumns = `id, kind, source, code, COALESCE(start, 0), COALESCE(end, 0), COALESCE(coding_coder, ''), coder, created_at, updated_at, text`

func scanMemo(row interface{ Scan(...any) error }) (coding.Memo, error) {
	var m coding.Memo
	var kind, created, updated string
	err := row.Scan(&m.ID, &kind, &m.Source, &m.Code, &m.Start, &m.End, &m.CodingCoder, &m.Coder, &created, &updated, &m.Text)
	m.Kind = coding.MemoKind(kind)
	m.CreatedAt, _ = time.Parse(time.RFC3339, created)
	m.UpdatedAt, _ = time.Parse(time.RFC3339, updated)
	return m, err
}

// memoByID reads memo id, or returns a qcode.ENOTFOUND error naming it.
func memoByID(ctx context.Context, q queryer, id int64) (coding.Memo, error) {
	m, err := scanMemo(q.QueryRowContext(ctx, `SELECT `+memoColumns+` FROM memos WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, &qcode.Error{Code: qcode.ENOTFOUND, Field: "memo", Value: fmt.Sprint(id), Message: "no such memo in the project; list them with 'qcode memo list'"}
	}
	return m, err
}

// MemoFilter chooses memos; empty fields choose all. Source chooses the
// memos on a source and on its codings; Code those on a code and on its
// codings.
type MemoFilter struct {
	Source string
	Code   string
	Kind   coding.MemoKind
}

// Memos returns the memos f chooses, by source (memos on codes first),
// then oldest first. An unknown source is a qcode.ENOTFOUND error.
func (p *Project) Memos(ctx context.Context, f MemoFilter) ([]coding.Memo, error) {
	q, args := `SELECT `+memoColumns+` FROM memos WHERE 1`, []any{}
	if f.Source != "" {
		if _, err := newSourceCache(ctx, p.db).get(f.Source); err != nil {
			return nil, err
		}
		q += ` AND source = ?`
		args = append(args, f.Source)
	}
	if f.Code != "" {
		q += ` AND code = ?`
		args = append(args, f.Code)
	}
	if f.Kind != "" {
		q += ` AND kind = ?`
		args = append(args, string(f.Kind))
	}
	rows, err := p.db.QueryContext(ctx, q+` ORDER BY source, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []coding.Memo
	for rows.Next() {
		m, err := scanMemo(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
