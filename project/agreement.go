package project

import (
	"context"
	"database/sql"
	"maps"
	"slices"
	"strings"
	"time"

	"qcode"
	"qcode/coding"
)

// AgreementUnits returns the units of every source for an agreement on
// unit (see coding.AgreementUnits): its sentences, paragraphs or turns, or
// the whole source for coding.UnitSource and coding.UnitChar, with their
// character spans and text, by source name and position.
func (p *Project) AgreementUnits(ctx context.Context, unit coding.Unit) ([]coding.AgreementUnit, error) {
	var out []coding.AgreementUnit
	err := p.readTx(ctx, func(tx *sql.Tx) error {
		srcs, err := agreementSources(ctx, tx)
		if err != nil {
			return err
		}
		out, err = agreementUnits(ctx, tx, unit, srcs)
		return err
	})
	return out, err
}

// agreementSource is what an agreement needs of a source.
type agreementSource struct {
	id    int64
	name  string
	chars int
	text  string
}

// agreementSources returns every source, by name.
func agreementSources(ctx context.Context, tx *sql.Tx) ([]agreementSource, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, name, chars, text FROM sources ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var srcs []agreementSource
	for rows.Next() {
		var s agreementSource
		if err := rows.Scan(&s.id, &s.name, &s.chars, &s.text); err != nil {
			return nil, err
		}
		srcs = append(srcs, s)
	}
	return srcs, rows.Err()
}

// agreementUnits returns the units of srcs (see AgreementUnits).
func agreementUnits(ctx context.Context, tx *sql.Tx, unit coding.Unit, srcs []agreementSource) ([]coding.AgreementUnit, error) {
	var out []coding.AgreementUnit
	var q string
	switch unit {
	case coding.UnitSource, coding.UnitChar:
		for _, s := range srcs {
			out = append(out, coding.AgreementUnit{Ref: coding.Ref{Source: s.name, Unit: coding.UnitSource}, Start: 0, End: s.chars, Text: s.text})
		}
		return out, nil
	case coding.UnitTurn:
		q = `SELECT ord, start, end, byte_start, byte_end FROM turns WHERE source_id = ? ORDER BY ord`
	case coding.UnitSentence, coding.UnitParagraph:
		q = `SELECT ord, start, end, byte_start, byte_end FROM segments WHERE source_id = ? AND kind = '` + string(unit) + `' ORDER BY ord`
	default:
		_, err := coding.ParseAgreementUnit(string(unit)) // not one of them: its error lists them
		return nil, err
	}
	stmt, err := tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	for _, s := range srcs {
		rows, err := stmt.QueryContext(ctx, s.id)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			u := coding.AgreementUnit{Ref: coding.Ref{Source: s.name, Unit: unit}}
			var bs, be int
			if err := rows.Scan(&u.Ref.Ord, &u.Start, &u.End, &bs, &be); err != nil {
				rows.Close()
				return nil, err
			}
			if bs < 0 || be > len(s.text) || bs > be {
				rows.Close()
				return nil, qcode.Errorf(qcode.EINTERNAL, "%s does not fit its source's text; the store is damaged", u.Ref)
			}
			u.Text = s.text[bs:be]
			out = append(out, u)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// RulesSources returns the names of the sources the rules have coded: those
// holding codings by the rules, and those a 'qcode code' run went over
// after they were imported, though it found nothing to code in them. For
// agreement, these are the sources the rules have seen.
func (p *Project) RulesSources(ctx context.Context) ([]string, error) {
	var out []string
	err := p.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = rulesSources(ctx, tx)
		return err
	})
	return out, err
}

func rulesSources(ctx context.Context, tx *sql.Tx) ([]string, error) {
	var out []string
	type run struct {
		at      time.Time
		sources map[string]bool // nil for every source
	}
	var runs []run
	rows, err := tx.QueryContext(ctx, `SELECT at, sources FROM rules_runs`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var at, names string
		if err := rows.Scan(&at, &names); err != nil {
			rows.Close()
			return nil, err
		}
		r := run{}
		if r.at, err = time.Parse(time.RFC3339, at); err != nil {
			continue // a run whose time cannot be read vouches for nothing
		}
		if names != "" {
			r.sources = map[string]bool{}
			for _, n := range strings.Split(names, ", ") {
				r.sources[n] = true
			}
		}
		runs = append(runs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT s.name, s.imported_at, r.source_id IS NOT NULL FROM sources s
		LEFT JOIN rules_codings r ON r.source_id = s.id ORDER BY s.name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name, imported string
		var coded bool
		if err := rows.Scan(&name, &imported, &coded); err != nil {
			return nil, err
		}
		at, err := time.Parse(time.RFC3339, imported)
		seen := coded
		for _, r := range runs {
			// Times are to the second: a run stamped with the second
			// of the import is taken to have followed it.
			if !seen && err == nil && !r.at.Before(at) && (r.sources == nil || r.sources[name]) {
				seen = true
			}
		}
		if seen {
			out = append(out, name)
		}
	}
	return out, rows.Err()
}

// Reliability builds the reliability data of spec's coders over the
// project's units (see coding.BuildReliability): it reads the units of
// spec.Unit, every coding of each coder, and, when the rules are compared,
// the sources they have seen (RulesSources), and adds those to spec.Seen.
// It does not check that the coders and codes exist: a coder with no
// codings has seen nothing, so every unit is dropped.
func (p *Project) Reliability(ctx context.Context, spec coding.AgreementSpec) (*coding.Reliability, error) {
	rules := slices.Contains(spec.Coders, coding.RulesCoder)
	var units []coding.AgreementUnit
	var codings []coding.Coding
	var seen []string
	// One transaction, so that the units, the codings and the rules' runs
	// are of one state of the project.
	err := p.readTx(ctx, func(tx *sql.Tx) error {
		srcs, err := agreementSources(ctx, tx)
		if err != nil {
			return err
		}
		if len(spec.Sources) > 0 {
			// The other sources' units and codings would be read only to
			// be left out.
			srcs = slices.DeleteFunc(srcs, func(s agreementSource) bool { return !slices.Contains(spec.Sources, s.name) })
		}
		if units, err = agreementUnits(ctx, tx, spec.Unit, srcs); err != nil {
			return err
		}
		for _, s := range srcs {
			if codings, err = coderCodings(ctx, tx, s, spec.Coders, codings); err != nil {
				return err
			}
		}
		if rules {
			seen, err = rulesSources(ctx, tx)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if rules {
		all := maps.Clone(spec.Seen)
		if all == nil {
			all = map[string][]string{}
		}
		all[coding.RulesCoder] = append(slices.Clone(all[coding.RulesCoder]), seen...)
		spec.Seen = all
	}
	return coding.BuildReliability(spec, units, codings)
}

// coderCodings appends the codings of src by each of coders, as
// EachCoding gives them but without their matches: agreement needs the
// span only.
func coderCodings(ctx context.Context, tx *sql.Tx, src agreementSource, coders []string, out []coding.Coding) ([]coding.Coding, error) {
	first := len(out)
	rs := runSource{src.id, src.name}
	for _, coder := range coders {
		var err error
		if coder == coding.RulesCoder {
			out, err = rulesCodings(ctx, tx, rs, "", out)
		} else {
			out, err = peopleCodings(ctx, tx, rs, CodingFilter{Coder: coder}, out)
		}
		if err != nil {
			return nil, err
		}
	}
	for i := first; i < len(out); i++ {
		c := &out[i]
		if c.ByteStart < 0 || c.ByteEnd > len(src.text) || c.ByteStart > c.ByteEnd {
			return nil, qcode.Errorf(qcode.EINTERNAL, "coding %s does not fit its source's text; the store is damaged", c.String())
		}
		c.Text = src.text[c.ByteStart:c.ByteEnd]
		c.Matches = nil
	}
	return out, nil
}
