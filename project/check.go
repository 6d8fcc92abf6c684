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

// CheckImport reports, without writing, the error Import would give for docs:
// a name clash with different content (unless replace), a replacement that
// would lose codings made by people, or a source with no turns.
func (p *Project) CheckImport(ctx context.Context, docs []*corpus.Document, replace bool) error {
	for _, d := range docs {
		var hash, path, at string
		err := p.db.QueryRowContext(ctx, `SELECT hash, path, imported_at FROM sources WHERE name = ?`, d.Name).Scan(&hash, &path, &at)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case hash == d.Hash():
			continue
		case !replace:
			return qcode.Errorf(qcode.ECONFLICT, "%s: a different source named %s is already in the project (from %s, imported %s); say --replace to replace it, or rename the file", d.Path, d.Name, path, at[:10])
		default:
			if err := refuseReplace(ctx, p.db, d.Path, d.Name); err != nil {
				return err
			}
		}
		if len(d.Turns) == 0 {
			return qcode.Errorf(qcode.EINVALID, "%s: source %s has no turns to import; it holds no answers or speech", d.Path, d.Name)
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
	known := map[string]bool{}
	for _, c := range extra {
		known[c] = true
	}
	rows, err := p.db.QueryContext(ctx, `SELECT name FROM cases`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		known[n] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var all []string
	for n := range known {
		all = append(all, n)
	}
	sort.Strings(all)
	for _, r := range t.Rows {
		if !known[r.Case] {
			return qcode.Errorf(qcode.ENOTFOUND, "%s:%d: no case or source named %q in the project%s; import its transcript first or fix the name", t.Path, r.Line, r.Case, qcode.DidYouMean(r.Case, all))
		}
	}
	types, err := p.attributeTypes(ctx)
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

func (p *Project) attributeTypes(ctx context.Context) (map[string]corpus.AttrType, error) {
	rows, err := p.db.QueryContext(ctx, `SELECT name, type FROM attributes`)
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
// after checking t as CheckAttributes does. An empty cell leaves the case's
// value as it was.
func (p *Project) SetAttributes(ctx context.Context, t *corpus.AttributeTable) (*AttributeResult, error) {
	if err := p.CheckAttributes(ctx, t, nil); err != nil {
		return nil, err
	}
	res := &AttributeResult{}
	for _, c := range t.Columns {
		res.Attributes = append(res.Attributes, c.Name)
	}
	err := p.tx(ctx, func(tx *sql.Tx) error {
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
	rows, err := p.db.QueryContext(ctx, `SELECT name FROM attributes ORDER BY rowid`)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, nil, err
		}
		attrs = append(attrs, n)
	}
	rows.Close()
	byCase, err := p.AttributesByCase(ctx)
	if err != nil {
		return nil, nil, err
	}
	rows, err = p.db.QueryContext(ctx, `SELECT c.id, c.name, COALESCE(GROUP_CONCAT(s.name, ', '), '') FROM cases c LEFT JOIN sources s ON s.case_id = c.id GROUP BY c.id ORDER BY c.name`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c CaseInfo
		var sources string
		if err := rows.Scan(&id, &c.Name, &sources); err != nil {
			return nil, nil, err
		}
		if sources != "" {
			c.Sources = strings.Split(sources, ", ")
		}
		c.Attributes = byCase[id]
		cases = append(cases, c)
	}
	return attrs, cases, rows.Err()
}

// CaseInfo is one case with its sources and attribute values.
type CaseInfo struct {
	Name       string             `json:"case"`
	Sources    []string           `json:"sources"`
	Attributes []corpus.Attribute `json:"attributes"`
}
