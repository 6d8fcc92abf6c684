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
)

// RemovedSource is what RemoveSource took out of the project.
type RemovedSource struct {
	Name     string   `json:"name"`
	Case     string   `json:"case,omitempty"` // the source's case, when no other source had it
	Speakers []string `json:"speakers,omitempty"`
	Codings  int      `json:"codings"` // people's and the rules'
	Memos    int      `json:"memos"`   // on the source and on its codings
	Purged   bool     `json:"purged"`
}

// RemoveSource withdraws a source from the project in one transaction:
// its text, turns and segments, every coding of it (people's and the
// rules'), the rejections of rules codings, the memos on it and on its
// codings, its case and the case's attributes and its speakers when no
// other source has them; rules runs over it no longer name it. An audit
// row says who removed the source and when, never its text; earlier
// audit rows stay, memo texts among them. With purge the deleted pages are
// overwritten with zeros, the database is vacuumed and its write-ahead log
// emptied, so that the text is gone from the files. An unknown name is a
// qcode.ENOTFOUND error naming the sources there are.
func (p *Project) RemoveSource(ctx context.Context, name, coder, command string, purge bool) (RemovedSource, error) {
	r := RemovedSource{Name: name, Purged: purge}
	if purge {
		// secure_delete is the connection's, and the pool holds one.
		if _, err := p.db.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
			return r, err
		}
		defer p.db.ExecContext(context.WithoutCancel(ctx), `PRAGMA secure_delete = OFF`)
	}
	err := p.tx(ctx, func(tx *sql.Tx) error {
		var id, caseID int64
		err := tx.QueryRowContext(ctx, `SELECT id, case_id FROM sources WHERE name = ?`, name).Scan(&id, &caseID)
		if errors.Is(err, sql.ErrNoRows) {
			names, err := sourceNames(ctx, tx)
			if err != nil {
				return err
			}
			return unknownSource(name, names)
		}
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM codings WHERE source_id = ?) + COALESCE((SELECT codings FROM rules_codings WHERE source_id = ?), 0)`, id, id).Scan(&r.Codings); err != nil {
			return err
		}
		if r.Speakers, err = queryStrings(ctx, tx, `SELECT k.name FROM speakers k WHERE k.id IN (SELECT speaker_id FROM turns WHERE source_id = ?)
			AND NOT EXISTS (SELECT 1 FROM turns t WHERE t.speaker_id = k.id AND t.source_id != ?) ORDER BY k.name`, id, id); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT name FROM cases WHERE id = ? AND NOT EXISTS (SELECT 1 FROM sources WHERE case_id = ? AND id != ?)`, caseID, caseID, id).Scan(&r.Case); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM memos WHERE kind IN ('source', 'coding') AND source = ?`, name)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		r.Memos = int(n)
		if err := rulesRunsWithout(ctx, tx, name); err != nil {
			return err
		}
		// Turns, segments, codings, rules codings and rejections go with
		// the source (ON DELETE CASCADE); speakers and cases it leaves
		// unused are deleted after it, as turns and sources point at them.
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`DELETE FROM sources WHERE id = ?`, []any{id}},
			{`DELETE FROM speakers WHERE name IN (SELECT value FROM json_each(?))`, []any{stringsJSON(r.Speakers)}},
			{`DELETE FROM cases WHERE name = ? AND NOT EXISTS (SELECT 1 FROM sources WHERE case_id = cases.id)`, []any{r.Case}},
			{`INSERT INTO audit (at, coder, command, action, what, source) VALUES (?, ?, ?, 'remove', 'source', ?)`, []any{now().Format(time.RFC3339), coder, command, name}},
		} {
			if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
				return err
			}
		}
		// A document's paragraphs have no speaker: no one to name.
		r.Speakers = slices.DeleteFunc(r.Speakers, func(s string) bool { return s == "" })
		return nil
	})
	if err != nil || !purge {
		return r, err
	}
	if err := p.Purge(ctx); err != nil {
		return r, &qcode.Error{Code: qcode.ErrorCode(err), Err: err,
			Message: fmt.Sprintf("removed %s, but its text may remain in the project's files: %s", name, err.Error())}
	}
	return r, nil
}

// Purge rewrites the database without the pages removed text left (VACUUM
// copies only live rows) and empties its write-ahead log, which holds old
// pages until a checkpoint. Another process holding the project open can
// keep either from finishing: that is a qcode.EBUSY error, and Purge can
// be run again once it has closed.
func (p *Project) Purge(ctx context.Context) error {
	busy := &qcode.Error{Code: qcode.EBUSY,
		Message: "another qcode has the project open (qcode serve, a search); close it and purge again ('qcode sources purge')"}
	if _, err := p.db.ExecContext(ctx, `VACUUM`); err != nil {
		if qcode.ErrorCode(storeBusy(err)) == qcode.EBUSY {
			busy.Err = err
			return busy
		}
		return err
	}
	var blocked, logged, moved int
	if err := p.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&blocked, &logged, &moved); err != nil {
		if qcode.ErrorCode(storeBusy(err)) == qcode.EBUSY {
			busy.Err = err
			return busy
		}
		return err
	}
	if blocked != 0 {
		return busy
	}
	return nil
}

// rulesRunsWithout takes name out of the sources the rules runs name; a
// run over that source alone goes, as nothing it coded is left.
func rulesRunsWithout(ctx context.Context, tx *sql.Tx, name string) error {
	type run struct {
		id      int64
		sources string
	}
	var runs []run
	err := eachRow(ctx, tx, `SELECT id, sources FROM rules_runs WHERE sources != ''`, nil, func(rows *sql.Rows) error {
		var r run
		if err := rows.Scan(&r.id, &r.sources); err != nil {
			return err
		}
		runs = append(runs, r)
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range runs {
		names := strings.Split(r.sources, ", ")
		if !slices.Contains(names, name) {
			continue
		}
		names = slices.DeleteFunc(names, func(n string) bool { return n == name })
		if len(names) == 0 {
			_, err = tx.ExecContext(ctx, `DELETE FROM rules_runs WHERE id = ?`, r.id)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE rules_runs SET sources = ? WHERE id = ?`, strings.Join(names, ", "), r.id)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
