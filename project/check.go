package project

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"qcode"
	"qcode/corpus"
)

// nameTaken is the conflict of importing d when a source of its name, from
// the file oldPath imported at, holds different text; the option "replace"
// mends it.
func nameTaken(d *corpus.Source, oldPath, at string) error {
	return &qcode.Error{Code: qcode.ECONFLICT, Help: qcode.HelpOption, HelpOn: "replace",
		Message: fmt.Sprintf("%s: a different source named %s is already in the project (from %s, imported %s); replace it, or rename the file", d.Path, d.Name, oldPath, at[:10])}
}

// CheckImport reports, without writing, the error Import would give for docs:
// a name clash with different content (unless replace), a replacement that
// would lose codings made by people, or a source with no turns. Import
// checks each again in its transaction, where another process's import or
// coding since cannot slip in between.
func (p *Project) CheckImport(ctx context.Context, docs []*corpus.Source, replace bool) error {
	return p.CheckImportWith(ctx, docs, ImportOptions{Replace: replace, keep: true})
}

// CheckImportWith is CheckImport for ImportWith: a correction is checked as
// it would be made (speakers, codings whose words are all deleted).
func (p *Project) CheckImportWith(ctx context.Context, docs []*corpus.Source, o ImportOptions) error {
	for _, d := range docs {
		var hash, path, at string
		err := p.db.QueryRowContext(ctx, `SELECT hash, path, imported_at FROM sources WHERE name = ?`, d.Name).Scan(&hash, &path, &at)
		if err == nil && hash != d.Hash() && !o.keep {
			t, err := loadStored(ctx, p.db, d.Name)
			if err != nil {
				return err
			}
			if edits := corpus.Diff(t.doc.Text, d.Text); Kept(t.doc.Text, edits) >= MinKept {
				if len(d.Turns) == 0 {
					return noTurns(d)
				}
				if err := checkCorrection(ctx, p.db, t, edits, d, o.edit()); err != nil {
					return err
				}
				continue
			}
		}
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case hash == d.Hash():
			continue
		case !o.Replace:
			return nameTaken(d, path, at)
		default:
			if err := refuseReplace(ctx, p.db, d.Path, d.Name); err != nil {
				return err
			}
		}
		if len(d.Turns) == 0 {
			return noTurns(d)
		}
	}
	return nil
}

// AttributeResult says what SetAttributes did.
type AttributeResult struct {
	Attributes []string `json:"attributes"`
	Cases      int      `json:"cases"`
}

// CheckAttributes reports, without writing, the error SetAttributes would
// give for t, counting extra (cases about to be imported) as known.
func (p *Project) CheckAttributes(ctx context.Context, t *corpus.AttributeTable, extra []string) error {
	return p.readTx(ctx, func(tx *sql.Tx) error { return checkAttributes(ctx, tx, t, extra) })
}

func checkAttributes(ctx context.Context, q queryer, t *corpus.AttributeTable, extra []string) error {
	cases, err := queryStrings(ctx, q, `SELECT name FROM cases`)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, c := range append(cases, extra...) {
		known[c] = true
	}
	var all []string
	for n := range known {
		all = append(all, n)
	}
	sort.Strings(all)
	for _, r := range t.Rows {
		if !known[r.Case] {
			return &qcode.Error{Code: qcode.ENOTFOUND, Message: fmt.Sprintf("%s:%d: no case or source named %q in the project; import its transcript first or fix the name", t.Path, r.Line, r.Case), Value: r.Case, Near: all}
		}
	}
	types, err := attributeTypes(ctx, q)
	if err != nil {
		return err
	}
	for _, c := range t.Columns {
		if old, ok := types[c.Name]; ok && old != c.Type {
			return qcode.Errorf(qcode.EINVALID, "%s: column %q holds %s values but the project's attribute %q is %s; make the values %s, or rename the column", t.Path, c.Name, c.Type, c.Name, old, old)
		}
	}
	return nil
}

func attributeTypes(ctx context.Context, q queryer) (map[string]corpus.AttrType, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, type FROM attributes`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]corpus.AttrType{}
	for rows.Next() {
		var n, t string
		if err := rows.Scan(&n, &t); err != nil {
			return nil, err
		}
		out[n] = corpus.AttrType(t)
	}
	return out, rows.Err()
}

// SetAttributes sets the attribute values of t's cases in one transaction,
// checking t as CheckAttributes does inside it: a case or an attribute's
// type that another process changed since a CheckAttributes is met here,
// and nothing is written. An empty cell leaves the case's value as it was.
func (p *Project) SetAttributes(ctx context.Context, t *corpus.AttributeTable) (*AttributeResult, error) {
	res := &AttributeResult{}
	for _, c := range t.Columns {
		res.Attributes = append(res.Attributes, c.Name)
	}
	err := p.tx(ctx, func(tx *sql.Tx) error {
		if err := checkAttributes(ctx, tx, t, nil); err != nil {
			return err
		}
		for _, c := range t.Columns {
			if err := declareAttribute(ctx, tx, t.Path, c.Name, c.Type); err != nil {
				return err
			}
		}
		for _, r := range t.Rows {
			var caseID int64
			if err := tx.QueryRowContext(ctx, `SELECT id FROM cases WHERE name = ?`, r.Case).Scan(&caseID); err != nil {
				return fmt.Errorf("case %s: %w", r.Case, err)
			}
			for i, v := range r.Values {
				if v == "" {
					continue
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO case_attributes (case_id, attribute, value) VALUES (?,?,?)
					ON CONFLICT (case_id, attribute) DO UPDATE SET value = excluded.value`, caseID, t.Columns[i].Name, v); err != nil {
					return err
				}
			}
			res.Cases++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// CaseAttributes lists every case with its attributes, by case name.
func (p *Project) CaseAttributes(ctx context.Context) (attrs []string, cases []CaseInfo, err error) {
	err = p.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		if attrs, err = queryStrings(ctx, tx, `SELECT name FROM attributes ORDER BY rowid`); err != nil {
			return err
		}
		byCase, err := attributeValues(ctx, tx)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT c.id, c.name, COALESCE(GROUP_CONCAT(s.name, ', '), '') FROM cases c LEFT JOIN sources s ON s.case_id = c.id GROUP BY c.id ORDER BY c.name`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var c CaseInfo
			var sources string
			if err := rows.Scan(&id, &c.Name, &sources); err != nil {
				return err
			}
			if sources != "" {
				c.Sources = strings.Split(sources, ", ")
			}
			c.Attributes = byCase[id]
			cases = append(cases, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, nil, err
	}
	return attrs, cases, nil
}

// CaseInfo is one case with its sources and attribute values.
type CaseInfo struct {
	Name       string             `json:"case"`
	Sources    []string           `json:"sources"`
	Attributes []corpus.Attribute `json:"attributes"`
}
