package app

import (
	"context"
	"slices"
	"strconv"
	"time"

	"qcode"
	"qcode/project"
)

// LogEntry is one thing done in the project: a coding or memo changed, a
// rules coding rejected or accepted, a rules run, a source imported.
type LogEntry = project.LogEntry

// LogWhats are the kinds of thing the log always knows; the audit table
// may hold others (its What values), which filter as well.
var LogWhats = []string{"coding", "memo", "summary", project.LogImport, project.LogRules}

// LogOptions choose log entries; empty fields choose all.
type LogOptions struct {
	Coder  string // who did it ("rules" for the rules runs)
	Source string // what it was done to, or in
	What   string // coding, memo, summary, import, rules, or another kind the audit table holds
	// Since is a date (2026-03-14, from local midnight) or a time
	// (2026-03-14T09:30:00Z): the entries at or after it.
	Since string
	Limit int // the newest Limit entries; 0 for all
}

// Check checks the options without the project.
func (o LogOptions) Check() error {
	if _, err := o.since(); err != nil {
		return err
	}
	if o.Limit < 0 {
		return qcode.FieldError("limit", strconv.Itoa(o.Limit), "is negative; give how many entries to show, or 0 for all")
	}
	return nil
}

func (o LogOptions) since() (time.Time, error) {
	if o.Since == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", o.Since, time.Local); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, o.Since); err == nil {
		return t, nil
	}
	return time.Time{}, qcode.FieldError("since", o.Since, "is not a date; write it as 2026-03-14, or a time as 2026-03-14T09:30:00Z")
}

// Log returns who did what when in the project, newest first: codings
// added, removed, rejected and accepted, memos added, edited and removed
// (from the audit log, with whatever else it logs), rules runs and
// imports (each source's last). A coder, source or kind the log has never
// seen is a qcode.ENOTFOUND error with the names it has.
func (p *Project) Log(ctx context.Context, o LogOptions) ([]LogEntry, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	since, _ := o.since()
	if o.Coder != "" || o.Source != "" || o.What != "" {
		coders, sources, logged, err := p.LogNames(ctx)
		if err != nil {
			return nil, err
		}
		whats := slices.Clone(LogWhats)
		for _, w := range logged {
			if !slices.Contains(whats, w) {
				whats = append(whats, w)
			}
		}
		for _, c := range []struct {
			field, value, msg string
			names             []string
		}{
			{"coder", o.Coder, "no one of this name has done anything in the project", coders},
			{"source", o.Source, "no such source in the project or its log", sources},
			{"what", o.What, "no such kind of entry in the log", whats},
		} {
			if c.value != "" && !slices.Contains(c.names, c.value) {
				if c.field == "what" {
					return nil, qcode.FieldError(c.field, c.value, c.msg, c.names...)
				}
				return nil, &qcode.Error{Code: qcode.ENOTFOUND, Field: c.field, Value: c.value, Near: c.names, Message: c.msg}
			}
		}
	}
	out, err := p.Project.Log(ctx, project.LogFilter{Coder: o.Coder, Source: o.Source, What: o.What, Since: since, Limit: o.Limit})
	if out == nil && err == nil {
		out = []LogEntry{}
	}
	return out, err
}
