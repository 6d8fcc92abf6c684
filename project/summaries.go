package project

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"qcode"
	"qcode/coding"
)

// SetSummary writes the summary of case cs on theme (a code id), by coder,
// and logs it in one transaction: an add when the cell had none, an edit
// keeping the text before when it had one (its first author kept), nothing
// when the text is the same. The case must be in the project; the theme is
// the caller's to check against the codebook. It returns the summary as
// stored and whether it changed.
func (p *Project) SetSummary(ctx context.Context, cs, theme, coder, text, command string) (coding.Summary, bool, error) {
	var s coding.Summary
	changed := false
	err := p.tx(ctx, func(tx *sql.Tx) error {
		if err := caseExists(ctx, tx, cs); err != nil {
			return err
		}
		old, err := summaryOf(ctx, tx, cs, theme)
		at := now()
		switch {
		case errors.Is(err, sql.ErrNoRows):
			s = coding.Summary{Case: cs, Theme: theme, Coder: coder, CreatedAt: at, UpdatedAt: at, Text: text}
			if _, err := tx.ExecContext(ctx, `INSERT INTO framework_summaries (case_name, theme, coder, created_at, updated_at, text) VALUES (?,?,?,?,?,?)`,
				cs, theme, coder, at.Format(time.RFC3339), at.Format(time.RFC3339), text); err != nil {
				return err
			}
			changed = true
			return auditSummary(ctx, tx, coder, command, "add", s, nil)
		case err != nil:
			return err
		case old.Text == text:
			s = old
			return nil
		}
		s = old
		s.Text, s.UpdatedAt = text, at
		if _, err := tx.ExecContext(ctx, `UPDATE framework_summaries SET text = ?, updated_at = ? WHERE case_name = ? AND theme = ?`,
			text, at.Format(time.RFC3339), cs, theme); err != nil {
			return err
		}
		changed = true
		return auditSummary(ctx, tx, coder, command, "edit", s, old.Text)
	})
	return s, changed, err
}

// ClearSummary removes the summary of case cs on theme and logs it with
// its text, in one transaction, and returns what it removed. A cell with
// no summary is a qcode.ENOTFOUND error.
func (p *Project) ClearSummary(ctx context.Context, cs, theme, coder, command string) (coding.Summary, error) {
	var s coding.Summary
	err := p.tx(ctx, func(tx *sql.Tx) error {
		var err error
		s, err = summaryOf(ctx, tx, cs, theme)
		if errors.Is(err, sql.ErrNoRows) {
			if err := caseExists(ctx, tx, cs); err != nil {
				return err
			}
			return &qcode.Error{Code: qcode.ENOTFOUND, Message: fmt.Sprintf("case %s has no summary on theme %s to clear", cs, theme)}
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM framework_summaries WHERE case_name = ? AND theme = ?`, cs, theme); err != nil {
			return err
		}
		return auditSummary(ctx, tx, coder, command, "remove", s, nil)
	})
	return s, err
}

// Summaries returns every Framework summary, by case, then theme.
func (p *Project) Summaries(ctx context.Context) ([]coding.Summary, error) {
	var out []coding.Summary
	err := eachRow(ctx, p.db, `SELECT `+summaryColumns+` FROM framework_summaries ORDER BY case_name, theme`, nil, func(rows *sql.Rows) error {
		s, err := scanSummary(rows)
		out = append(out, s)
		return err
	})
	return out, err
}

// CaseNames returns the names of the project's cases, in order.
func (p *Project) CaseNames(ctx context.Context) ([]string, error) {
	return queryStrings(ctx, p.db, `SELECT name FROM cases ORDER BY name`)
}

// caseExists returns nil if the project has case cs, else a
// qcode.ENOTFOUND error naming the cases it has.
func caseExists(ctx context.Context, tx *sql.Tx, cs string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases WHERE name = ?`, cs).Scan(&n); err != nil || n > 0 {
		return err
	}
	names, err := queryStrings(ctx, tx, `SELECT name FROM cases ORDER BY name`)
	if err != nil {
		return err
	}
	return &qcode.Error{Code: qcode.ENOTFOUND, Field: "case", Value: cs, Near: names, Message: "no such case in the project (see 'qcode attributes')"}
}

const summaryColumns = `case_name, theme, coder, created_at, updated_at, text`

func scanSummary(row interface{ Scan(...any) error }) (coding.Summary, error) {
	var s coding.Summary
	var created, updated string
	err := row.Scan(&s.Case, &s.Theme, &s.Coder, &created, &updated, &s.Text)
	s.CreatedAt, _ = time.Parse(time.RFC3339, created)
	s.UpdatedAt, _ = time.Parse(time.RFC3339, updated)
	return s, err
}

// summaryOf reads the summary of case cs on theme; none is sql.ErrNoRows.
func summaryOf(ctx context.Context, q queryer, cs, theme string) (coding.Summary, error) {
	return scanSummary(q.QueryRowContext(ctx, `SELECT `+summaryColumns+` FROM framework_summaries WHERE case_name = ? AND theme = ?`, cs, theme))
}

// auditSummary logs what a person did to summary s; old is an edit's old
// text.
func auditSummary(ctx context.Context, tx *sql.Tx, coder, command, action string, s coding.Summary, old any) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit (at, coder, command, action, what, source, code, text, old_text, case_name) VALUES (?,?,?,?,'summary','',?,?,?,?)`,
		now().Format(time.RFC3339), coder, command, action, s.Theme, s.Text, old, s.Case)
	return err
}
