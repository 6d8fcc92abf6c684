package project

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The kinds of LogEntry.What that come from elsewhere than the audit
// table, whose own rows say coding, memo, or what a later migration lets
// them say.
const (
	LogImport = "import" // a source imported: its import time
	LogRules  = "rules"  // a rules run ('qcode code')
)

// LogEntry is one thing done in a project: a row of the audit table (a
// coding added, removed, rejected or accepted; a memo added, edited or
// removed; a Framework summary written, rewritten or cleared; whatever
// else the table logs), a rules run, or a source's
// import.
type LogEntry struct {
	At time.Time `json:"at"`
	// Coder is who did it: a person, "rules" for a rules run, or "" for
	// an import, as qcode does not record who imports.
	Coder string `json:"coder"`
	// Action is what was done: add, remove, edit, reject, accept (or what
	// else the audit table holds), import, or run (the rules).
	Action string `json:"action"`
	// What it was done to: coding, memo (or what else the audit table
	// holds), import, or rules.
	What    string `json:"what"`
	Command string `json:"command,omitempty"` // the command that did it, for audit rows
	Source  string `json:"source,omitempty"`
	// Start and End are a coding's span in characters, or a coding
	// memo's coding's.
	Start *int `json:"start,omitempty"`
	End   *int `json:"end,omitempty"`
	// OldStart and OldEnd are the span a correction moved a coding,
	// memo or rejection from (action move or edit).
	OldStart *int   `json:"old_start,omitempty"`
	OldEnd   *int   `json:"old_end,omitempty"`
	Code     string `json:"code,omitempty"`
	Case     string `json:"case,omitempty"` // a Framework summary's case, whose theme is Code
	Origin   string `json:"origin,omitempty"`
	MemoID   int64  `json:"memo_id,omitempty"`
	// Text is a coding's memo, or a memo's text (an edit's new text);
	// OldText an edit's text before.
	Text    string `json:"text,omitempty"`
	OldText string `json:"old_text,omitempty"`
	// Path, Format and Words describe an import.
	Path   string `json:"path,omitempty"`
	Format string `json:"format,omitempty"`
	Words  int    `json:"words,omitempty"`
	// Rules is a rules run's.
	Rules *LoggedRun `json:"rules,omitempty"`
}

// LoggedRun is what a rules run recorded of itself.
type LoggedRun struct {
	Codebook     string `json:"codebook"`
	CodebookHash string `json:"codebook_hash"`
	Unit         string `json:"unit"`
	Sources      string `json:"sources"` // "" for every source, else names joined by ", "
	Segments     int    `json:"segments"`
	Added        int    `json:"added"`
	Removed      int    `json:"removed"`
	Total        int    `json:"total"`
}

// LogFilter chooses log entries; empty fields choose all.
type LogFilter struct {
	Coder  string
	Source string
	What   string    // coding, memo, import, rules, or another the audit table holds
	Since  time.Time // entries at or after
	Limit  int       // the newest Limit; 0 for all
}

// Log returns the entries f chooses, newest first, read in one
// transaction. Entries of one second keep the order they were written in
// (newest first), audit rows before rules runs before imports, as each
// follows from the one before.
func (p *Project) Log(ctx context.Context, f LogFilter) ([]LogEntry, error) {
	type ranked struct {
		e    LogEntry
		rank int // audit 0, rules 1, import 2
		seq  int64
	}
	var all []ranked
	since := ""
	if !f.Since.IsZero() {
		since = f.Since.UTC().Format(time.RFC3339)
	}
	limit := ""
	if f.Limit > 0 {
		// Each kind's newest Limit hold the newest Limit of all.
		limit = " LIMIT " + strconv.Itoa(f.Limit)
	}
	err := p.readTx(ctx, func(tx *sql.Tx) error {
		if f.What != LogImport && f.What != LogRules {
			q, args := `SELECT id, at, coder, command, action, what, source, start, end, COALESCE(code, ''), COALESCE(origin, ''), COALESCE(memo_id, 0), text, COALESCE(old_text, ''), old_start, old_end, COALESCE(case_name, '') FROM audit WHERE at >= ?`, []any{since}
			for _, c := range []struct{ col, val string }{{"coder", f.Coder}, {"source", f.Source}, {"what", f.What}} {
				if c.val != "" {
					q += ` AND ` + c.col + ` = ?`
					args = append(args, c.val)
				}
			}
			err := eachRow(ctx, tx, q+` ORDER BY at DESC, id DESC`+limit, args, func(rows *sql.Rows) error {
				var r ranked
				var at string
				var start, end, oldStart, oldEnd sql.NullInt64
				e := &r.e
				if err := rows.Scan(&r.seq, &at, &e.Coder, &e.Command, &e.Action, &e.What, &e.Source, &start, &end, &e.Code, &e.Origin, &e.MemoID, &e.Text, &e.OldText, &oldStart, &oldEnd, &e.Case); err != nil {
					return err
				}
				if oldStart.Valid && oldEnd.Valid {
					s, en := int(oldStart.Int64), int(oldEnd.Int64)
					e.OldStart, e.OldEnd = &s, &en
				}
				e.At, _ = time.Parse(time.RFC3339, at)
				if start.Valid && end.Valid {
					s, en := int(start.Int64), int(end.Int64)
					e.Start, e.End = &s, &en
				}
				all = append(all, r)
				return nil
			})
			if err != nil {
				return err
			}
		}
		if (f.What == "" || f.What == LogRules) && (f.Coder == "" || f.Coder == "rules") {
			// Runs are few (one per 'qcode code'), and which ran over a
			// source is known only once read: no limit here.
			err := eachRow(ctx, tx, `SELECT id, at, codebook, codebook_hash, unit, sources, segments, added, removed, total FROM rules_runs WHERE at >= ? ORDER BY at DESC, id DESC`, []any{since}, func(rows *sql.Rows) error {
				var r ranked
				var at string
				run := &LoggedRun{}
				if err := rows.Scan(&r.seq, &at, &run.Codebook, &run.CodebookHash, &run.Unit, &run.Sources, &run.Segments, &run.Added, &run.Removed, &run.Total); err != nil {
					return err
				}
				// A run over every source ran over the one chosen.
				if f.Source != "" && run.Sources != "" && !slices.Contains(strings.Split(run.Sources, ", "), f.Source) {
					return nil
				}
				r.rank = 1
				r.e = LogEntry{Coder: "rules", Action: "run", What: LogRules, Rules: run}
				r.e.At, _ = time.Parse(time.RFC3339, at)
				all = append(all, r)
				return nil
			})
			if err != nil {
				return err
			}
		}
		if (f.What == "" || f.What == LogImport) && f.Coder == "" {
			q, args := `SELECT id, imported_at, name, path, format, words FROM sources WHERE imported_at >= ?`, []any{since}
			if f.Source != "" {
				q += ` AND name = ?`
				args = append(args, f.Source)
			}
			return eachRow(ctx, tx, q+` ORDER BY imported_at DESC, id DESC`+limit, args, func(rows *sql.Rows) error {
				var r ranked
				var at string
				r.rank, r.e.Action, r.e.What = 2, "import", LogImport
				if err := rows.Scan(&r.seq, &at, &r.e.Source, &r.e.Path, &r.e.Format, &r.e.Words); err != nil {
					return err
				}
				r.e.At, _ = time.Parse(time.RFC3339, at)
				all = append(all, r)
				return nil
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(all, func(a, b ranked) int {
		return cmp.Or(b.e.At.Compare(a.e.At), cmp.Compare(a.rank, b.rank), cmp.Compare(b.seq, a.seq))
	})
	if f.Limit > 0 && len(all) > f.Limit {
		all = all[:f.Limit]
	}
	out := make([]LogEntry, len(all))
	for i := range all {
		out[i] = all[i].e
	}
	return out, nil
}

// LogNames returns the names a log can be filtered by: everyone who did
// something (the rules among them once they have run), every source
// imported or named by the audit table, and every kind of thing done.
func (p *Project) LogNames(ctx context.Context) (coders, sources, whats []string, err error) {
	err = p.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		if coders, err = queryStrings(ctx, tx, `SELECT coder FROM audit UNION SELECT 'rules' FROM rules_runs ORDER BY 1`); err != nil {
			return err
		}
		if sources, err = queryStrings(ctx, tx, `SELECT source FROM audit WHERE source != '' UNION SELECT name FROM sources ORDER BY 1`); err != nil {
			return err
		}
		whats, err = queryStrings(ctx, tx, `SELECT DISTINCT what FROM audit ORDER BY 1`)
		return err
	})
	return coders, sources, whats, err
}

// eachRow runs query and calls fn with each row it gives, the rows closed
// before it returns.
func eachRow(ctx context.Context, q queryer, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
