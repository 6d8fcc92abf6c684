package project

import (
	"context"
	"database/sql"
	"encoding/json"

	"qcode/coding"
)

// CodingCounts returns how many codings f chooses each code has (f.Code is
// ignored). It reads no coding: people's are counted by the store, the
// rules' from the header of each source's blob, so counting a project of
// many codings costs about what listing its sources does. An unknown
// source is a qcode.ENOTFOUND error that suggests the nearest names.
func (p *Project) CodingCounts(ctx context.Context, f CodingFilter) (map[string]int, error) {
	people := f.Origin != coding.OriginRules && f.Coder != coding.RulesCoder
	rules := (f.Origin == "" || f.Origin == coding.OriginRules) && (f.Coder == "" || f.Coder == coding.RulesCoder)
	out := map[string]int{}
	err := p.readTx(ctx, func(tx *sql.Tx) error {
		var ids []int64 // nil for every source
		q := `SELECT code, count(*) FROM codings WHERE 1`
		var args []any
		if f.Source != "" {
			src, err := newSourceCache(ctx, tx).get(f.Source)
			if err != nil {
				return err
			}
			ids = []int64{src.id}
			q += ` AND source_id = ?`
			args = append(args, src.id)
		}
		for _, w := range []struct{ col, v string }{{"coder", f.Coder}, {"origin", string(f.Origin)}} {
			if w.v != "" {
				q += ` AND ` + w.col + ` = ?`
				args = append(args, w.v)
			}
		}
		if people {
			rows, err := tx.QueryContext(ctx, q+` GROUP BY code`, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var code string
				var n int
				if err := rows.Scan(&code, &n); err != nil {
					return err
				}
				out[code] += n
			}
			if err := rows.Err(); err != nil {
				return err
			}
		}
		if !rules {
			return nil
		}
		return eachRulesBlob(ctx, tx, ids, func(_ int64, blob []byte) error {
			r := &blobReader{buf: blob}
			codes, counts := r.header()
			for i, code := range codes {
				out[code] += counts[i]
			}
			return r.err
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SpeakerTurn is where a turn stands in its source, in characters, and who
// speaks it.
type SpeakerTurn struct {
	Start, End int
	Speaker    string
}

// SpeakerTurns returns the turns of the named sources (of every source
// when names is nil) by source name, each source's in order, without their
// text: what shows who speaks where a coding starts.
func (p *Project) SpeakerTurns(ctx context.Context, names []string) (map[string][]SpeakerTurn, error) {
	q := `SELECT s.name, t.start, t.end, k.name FROM turns t JOIN sources s ON s.id = t.source_id
		JOIN speakers k ON k.id = t.speaker_id`
	var args []any
	if names != nil {
		q += ` WHERE s.name IN (SELECT value FROM json_each(?))`
		args = append(args, stringsJSON(names))
	}
	out := map[string][]SpeakerTurn{}
	err := p.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, q+` ORDER BY t.source_id, t.ord`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var name string
			var t SpeakerTurn
			if err := rows.Scan(&name, &t.Start, &t.End, &t.Speaker); err != nil {
				return err
			}
			out[name] = append(out[name], t)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// stringsJSON writes names as a JSON array, for json_each.
func stringsJSON(names []string) string {
	b, _ := json.Marshal(names)
	return string(b)
}
