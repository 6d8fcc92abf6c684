package project

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"qcode"
)

// TurnSpeaker names the speaker of one turn (numbered from 1) of a source.
type TurnSpeaker struct {
	Source  string
	Turn    int
	Speaker string
}

// CaseValue is the value of one attribute of a case.
type CaseValue struct {
	Case, Attribute, Value string
}

// Rename sets the speakers of turns and the values of case attributes in
// one transaction, as pseudonymising a project (and undoing it) does once
// the texts are edited: a speaker the project lacks is made with the role
// of the one it replaces, and a speaker no turn is left with goes. Each
// source whose speakers change gets an audit row (action 'edit', what
// 'source') whose text says what was done, naming no speaker. An unknown
// turn, case or attribute is a qcode.ENOTFOUND error and nothing is
// written.
func (p *Project) Rename(ctx context.Context, turns []TurnSpeaker, values []CaseValue, coder, command, note string) error {
	return p.tx(ctx, func(tx *sql.Tx) error {
		ids := map[string]int64{}
		sourceID := func(name string) (int64, error) {
			if id, ok := ids[name]; ok {
				return id, nil
			}
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM sources WHERE name = ?`, name).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				names, err := sourceNames(ctx, tx)
				if err != nil {
					return 0, err
				}
				return 0, unknownSource(name, names)
			}
			ids[name] = id
			return id, err
		}
		left := map[int64]bool{} // speakers turns were taken from
		renamed := map[string]int{}
		for _, t := range turns {
			src, err := sourceID(t.Source)
			if err != nil {
				return err
			}
			var old int64
			var role string
			err = tx.QueryRowContext(ctx, `SELECT k.id, k.role FROM turns t JOIN speakers k ON k.id = t.speaker_id WHERE t.source_id = ? AND t.ord = ?`, src, t.Turn).Scan(&old, &role)
			if errors.Is(err, sql.ErrNoRows) {
				return qcode.Errorf(qcode.ENOTFOUND, "source %s has no turn %d", t.Source, t.Turn)
			}
			if err != nil {
				return err
			}
			var id int64
			err = tx.QueryRowContext(ctx, `SELECT id FROM speakers WHERE name = ?`, t.Speaker).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				res, err := tx.ExecContext(ctx, `INSERT INTO speakers (name, role) VALUES (?, ?)`, t.Speaker, role)
				if err != nil {
					return err
				}
				id, err = res.LastInsertId()
				if err != nil {
					return err
				}
			} else if err != nil {
				return err
			}
			if id == old {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE turns SET speaker_id = ? WHERE source_id = ? AND ord = ?`, id, src, t.Turn); err != nil {
				return err
			}
			left[old] = true
			renamed[t.Source]++
		}
		for id := range left {
			if _, err := tx.ExecContext(ctx, `DELETE FROM speakers WHERE id = ? AND NOT EXISTS (SELECT 1 FROM turns WHERE speaker_id = ?)`, id, id); err != nil {
				return err
			}
		}
		for _, v := range values {
			res, err := tx.ExecContext(ctx, `UPDATE case_attributes SET value = ? WHERE attribute = ? AND case_id = (SELECT id FROM cases WHERE name = ?)`, v.Value, v.Attribute, v.Case)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				if err == nil {
					err = qcode.Errorf(qcode.ENOTFOUND, "case %s has no attribute %s", v.Case, v.Attribute)
				}
				return err
			}
		}
		at := now().Format(time.RFC3339)
		for name, n := range renamed {
			if _, err := tx.ExecContext(ctx, `INSERT INTO audit (at, coder, command, action, what, source, text) VALUES (?, ?, ?, 'edit', 'source', ?, ?)`,
				at, coder, command, name, fmt.Sprintf("%s: speakers of %d turns renamed", note, n)); err != nil {
				return err
			}
		}
		if len(values) > 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO audit (at, coder, command, action, what, source, text) VALUES (?, ?, ?, 'edit', 'source', '', ?)`,
				at, coder, command, fmt.Sprintf("%s: %d case attribute values changed", note, len(values))); err != nil {
				return err
			}
		}
		return nil
	})
}
