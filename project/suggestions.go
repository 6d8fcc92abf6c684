package project

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"qcode"
	"qcode/coding"
)

// Suggestion is a code a model suggested for a sentence, kept apart from
// the codings until a person accepts it (see coding.SuggestModel).
type Suggestion struct {
	ID        int64     `json:"id"`
	Source    string    `json:"source"`
	Sentence  int       `json:"sentence"` // the sentence's ord: P03:s41
	Start     int       `json:"start"`
	End       int       `json:"end"`
	Code      string    `json:"code"`
	Score     float64   `json:"score"`
	Rank      int       `json:"rank"`
	ModelHash string    `json:"model_hash"`
	CreatedAt time.Time `json:"created_at"`
	Text      string    `json:"text"`
}

// Segment is the sentence's id as users write it: P03:s41.
func (s Suggestion) Segment() string {
	return coding.Ref{Source: s.Source, Unit: coding.UnitSentence, Ord: s.Sentence}.String()
}

// NewSuggestion is one suggestion a run stores: a code for a sentence of
// a source.
type NewSuggestion struct {
	Source   string
	Sentence int
	Code     string
	Score    float64
	Rank     int
}

// ReplaceSuggestions replaces every stored suggestion with these, made by
// the model whose training-set hash is hash, in one transaction. A
// suggestion a person rejected, or a code a person has given the sentence
// since the model read it, is left out. It returns how many it stored.
func (p *Project) ReplaceSuggestions(ctx context.Context, hash string, ss []NewSuggestion) (int, error) {
	stored := 0
	err := p.tx(ctx, func(tx *sql.Tx) error {
		stored = 0
		if _, err := tx.ExecContext(ctx, `DELETE FROM suggestions`); err != nil {
			return err
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO suggestions (source_id, ord, start, end, byte_start, byte_end, code, score, rank, model_hash, created_at)
			SELECT g.source_id, g.ord, g.start, g.end, g.byte_start, g.byte_end, ?, ?, ?, ?, ?
			FROM segments g JOIN sources s ON s.id = g.source_id
			WHERE s.name = ? AND g.kind = 'sentence' AND g.ord = ?
			AND NOT EXISTS (SELECT 1 FROM suggestion_rejections r WHERE r.source_id = g.source_id AND r.code = ? AND r.start = g.start AND r.end = g.end)
			AND NOT EXISTS (SELECT 1 FROM codings c WHERE c.source_id = g.source_id AND c.code = ? AND c.start < g.end AND g.start < c.end)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		at := now().Format(time.RFC3339)
		for _, s := range ss {
			res, err := ins.ExecContext(ctx, s.Code, s.Score, s.Rank, hash, at, s.Source, s.Sentence, s.Code, s.Code)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			stored += int(n)
		}
		return nil
	})
	return stored, err
}

// SuggestionFilter chooses suggestions: of one source, of one code, with a
// score of at least MinScore, or by id; empty fields choose all.
type SuggestionFilter struct {
	Source   string
	Code     string
	MinScore float64
	IDs      []int64
}

// Suggestions returns the stored suggestions f chooses, with their
// sentences' text, by source, sentence and rank.
func (p *Project) Suggestions(ctx context.Context, f SuggestionFilter) ([]Suggestion, error) {
	var out []Suggestion
	err := p.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = suggestions(ctx, tx, f)
		return err
	})
	return out, err
}

func suggestions(ctx context.Context, q queryer, f SuggestionFilter) ([]Suggestion, error) {
	query := `SELECT g.id, s.name, g.ord, g.start, g.end, g.code, g.score, g.rank, g.model_hash, g.created_at,
		CAST(substr(CAST(s.text AS BLOB), g.byte_start + 1, g.byte_end - g.byte_start) AS TEXT)
		FROM suggestions g JOIN sources s ON s.id = g.source_id WHERE g.score >= ?`
	args := []any{f.MinScore}
	if f.Source != "" {
		query += ` AND s.name = ?`
		args = append(args, f.Source)
	}
	if f.Code != "" {
		query += ` AND g.code = ?`
		args = append(args, f.Code)
	}
	if f.IDs != nil {
		query += ` AND g.id IN (SELECT value FROM json_each(?))`
		ids := "["
		for i, id := range f.IDs {
			if i > 0 {
				ids += ","
			}
			ids += fmt.Sprint(id)
		}
		args = append(args, ids+"]")
	}
	query += ` ORDER BY s.name, g.ord, g.rank`
	out := []Suggestion{}
	err := eachRow(ctx, q, query, args, func(rows *sql.Rows) error {
		var s Suggestion
		var at string
		if err := rows.Scan(&s.ID, &s.Source, &s.Sentence, &s.Start, &s.End, &s.Code, &s.Score, &s.Rank, &s.ModelHash, &at, &s.Text); err != nil {
			return err
		}
		s.CreatedAt, _ = time.Parse(time.RFC3339, at)
		out = append(out, s)
		return nil
	})
	return out, err
}

// AcceptSuggestions makes each suggestion a coding by coder with origin
// suggested, recording the model's hash, and logs it, all in one
// transaction; accepted suggestions leave the list. An id not stored is a
// qcode.ENOTFOUND error, and nothing is accepted. A coding coder already
// has is left as it was. It returns the suggestions accepted and how many
// codings that made.
func (p *Project) AcceptSuggestions(ctx context.Context, ids []int64, coder, command string) ([]Suggestion, int, error) {
	var ss []Suggestion
	made := 0
	err := p.tx(ctx, func(tx *sql.Tx) error {
		made = 0
		var err error
		if ss, err = chosenSuggestions(ctx, tx, ids); err != nil {
			return err
		}
		for _, s := range ss {
			c := coding.Coding{Source: s.Source, Unit: coding.UnitSentence, Ord: s.Sentence, Start: s.Start, End: s.End,
				Code: s.Code, Coder: coder, Origin: coding.OriginSuggested, CreatedAt: now()}
			res, err := tx.ExecContext(ctx, `INSERT INTO codings (source_id, start, end, byte_start, byte_end, code, coder, origin, unit, ord, created_at, model_hash)
				SELECT source_id, start, end, byte_start, byte_end, code, ?, ?, ?, ord, ?, model_hash FROM suggestions WHERE id = ?
				ON CONFLICT (source_id, start, end, code, coder) DO NOTHING`,
				coder, string(c.Origin), string(c.Unit), c.CreatedAt.Format(time.RFC3339), s.ID)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n > 0 {
				if err := audit(ctx, tx, coder, command, "accept", "coding", c.Source, c.Start, c.End, c.Code, c.Origin, ""); err != nil {
					return err
				}
				made++
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM suggestions WHERE id = ?`, s.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return ss, made, err
}

// RejectSuggestions rejects each suggestion for coder and logs it, in one
// transaction: it leaves the list, and later runs do not suggest its code
// for its sentence again while the source's text stays the same. An id
// not stored is a qcode.ENOTFOUND error, and nothing is rejected. It
// returns the suggestions rejected.
func (p *Project) RejectSuggestions(ctx context.Context, ids []int64, coder, command string) ([]Suggestion, error) {
	var ss []Suggestion
	err := p.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if ss, err = chosenSuggestions(ctx, tx, ids); err != nil {
			return err
		}
		at := now().Format(time.RFC3339)
		for _, s := range ss {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO suggestion_rejections (source_id, code, start, end, ord, model_hash, coder, created_at)
				SELECT source_id, code, start, end, ord, model_hash, ?, ? FROM suggestions WHERE id = ?`, coder, at, s.ID); err != nil {
				return err
			}
			if err := audit(ctx, tx, coder, command, "reject", "coding", s.Source, s.Start, s.End, s.Code, coding.OriginSuggested, ""); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM suggestions WHERE id = ?`, s.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return ss, err
}

// chosenSuggestions reads the suggestions of ids, in their order, or
// names the first that is not stored.
func chosenSuggestions(ctx context.Context, tx *sql.Tx, ids []int64) ([]Suggestion, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	ss, err := suggestions(ctx, tx, SuggestionFilter{IDs: ids})
	if err != nil {
		return nil, err
	}
	byID := map[int64]Suggestion{}
	for _, s := range ss {
		byID[s.ID] = s
	}
	out := make([]Suggestion, 0, len(ids))
	for i, id := range ids {
		if slices.Contains(ids[:i], id) {
			continue
		}
		s, ok := byID[id]
		if !ok {
			return nil, &qcode.Error{Code: qcode.ENOTFOUND, Field: "id", Value: fmt.Sprint(id),
				Message: "no such suggestion (accepted, rejected or replaced by a later run?); list them with qcode suggestions"}
		}
		out = append(out, s)
	}
	return out, nil
}
