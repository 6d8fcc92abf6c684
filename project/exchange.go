package project

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"qcode/coding"
	"qcode/exchange"
)

// Exchange reads everything of the project that travels, in one read
// transaction: every source with its stored text, format, case, typed
// attributes and import time; every coding, people's and the rules'; every
// memo; and a user for every coder and every memo's author, the rules
// engine's marked as such. The codebook is not the store's: the caller
// adds it. GUIDs are left "" for the writer to make.
func (p *Project) Exchange(ctx context.Context) (*exchange.Project, error) {
	x := &exchange.Project{}
	err := p.readTx(ctx, func(tx *sql.Tx) error {
		attrs, err := attributeValues(ctx, tx)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT s.id, s.name, s.text, s.format, c.id, c.name, s.imported_at FROM sources s JOIN cases c ON c.id = s.case_id ORDER BY s.name`)
		if err != nil {
			return err
		}
		var srcs []runSource
		for rows.Next() {
			var s exchange.Source
			var id, caseID int64
			var at string
			if err := rows.Scan(&id, &s.Name, &s.Text, &s.Format, &caseID, &s.Case, &at); err != nil {
				rows.Close()
				return err
			}
			if s.Case == s.Name {
				s.Case = ""
			}
			s.Attributes = attrs[caseID]
			s.CreatedAt, _ = time.Parse(time.RFC3339, at)
			x.Sources = append(x.Sources, s)
			srcs = append(srcs, runSource{id, s.Name})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var buf []coding.Coding
		for _, src := range srcs {
			if buf, err = peopleCodings(ctx, tx, src, CodingFilter{}, buf[:0]); err != nil {
				return err
			}
			// The rules' matches do not travel: they are left undecoded.
			if buf, err = rulesCodingsWith(ctx, tx, src, "", skipMatches, buf); err != nil {
				return err
			}
			slices.SortFunc(buf, compareCodings)
			for _, c := range buf {
				x.Codings = append(x.Codings, exchange.Coding{Source: c.Source, Start: c.Start, End: c.End,
					Code: c.Code, Coder: c.Coder, Origin: c.Origin, CreatedAt: c.CreatedAt, Memo: c.Memo})
			}
		}
		mrows, err := tx.QueryContext(ctx, `SELECT `+memoColumns+` FROM memos ORDER BY id`)
		if err != nil {
			return err
		}
		defer mrows.Close()
		for mrows.Next() {
			m, err := scanMemo(mrows)
			if err != nil {
				return err
			}
			x.Memos = append(x.Memos, exchange.Memo{Memo: m})
		}
		if err := mrows.Err(); err != nil {
			return err
		}
		return eachRow(ctx, tx, `SELECT `+summaryColumns+` FROM framework_summaries ORDER BY case_name, theme`, nil, func(rows *sql.Rows) error {
			s, err := scanSummary(rows)
			x.Summaries = append(x.Summaries, s)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	x.Users = exchangeUsers(x)
	return x, nil
}

// exchangeUsers returns a user for every coder of x's codings and every
// author of its memos and summaries, sorted by name.
func exchangeUsers(x *exchange.Project) []exchange.User {
	var names []string
	for _, c := range x.Codings {
		names = append(names, c.Coder)
	}
	for _, m := range x.Memos {
		names = append(names, m.Coder)
		if m.CodingCoder != "" {
			names = append(names, m.CodingCoder)
		}
	}
	for _, s := range x.Summaries {
		names = append(names, s.Coder)
	}
	slices.Sort(names)
	var users []exchange.User
	for _, n := range slices.Compact(names) {
		users = append(users, exchange.User{Name: n, Rules: n == coding.RulesCoder})
	}
	return users
}
