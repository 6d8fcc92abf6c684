package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"qcode/app"
	"qcode/coding"
	"qcode/coding/report"
)

type logOptions struct {
	app.LogOptions
	json bool
}

func newLogCmd(e *env) *cobra.Command {
	var o logOptions
	cmd := &cobra.Command{
		Use:   "log",
		Short: "Show who did what when in the project",
		Long: `Show the project's history, newest first: codings added, removed, rejected
and accepted, memos added, edited (with the text they had) and removed,
Framework summaries written, rewritten and cleared (qcode framework set),
rules runs ('qcode code') and imports, each with when, who and what. An
import shows each source's last; qcode does not record who imported.

--coder, --source, --what (coding, memo, summary, import, rules) and --since (a
date, 2026-03-14, or a time, 2026-03-14T09:30:00Z) choose entries;
--limit N shows the newest N (0 for all).

--json prints an array of {at, coder, action, what, command, source,
start, end, code, case, origin, memo_id, text, old_text, path, format, words,
rules: {codebook, codebook_hash, unit, sources, segments, added, removed,
total}}, each field present where it applies: start and end (characters)
for codings and coding memos, text for a coding's memo or a memo's text,
case and code (the theme) for a summary, old_text for an edit's, path, format and words for imports, rules for
rules runs.` + exitStatusHelp,
		Example: `  qcode log
  qcode log --coder amina --what coding --limit 20
  qcode log --source P03 --since 2026-01-01
  qcode log --what memo --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.run(o, func() error { return runLog(cmd.Context(), e, o) })
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Coder, "coder", "", "only what this coder did ('rules' for the rules runs)")
	f.StringVarP(&o.Source, "source", "s", "", "only what was done to or in this source")
	f.StringVar(&o.What, "what", "", "only entries of this kind: coding, memo, summary, import or rules")
	f.StringVar(&o.Since, "since", "", "only entries at or after this date (2026-03-14) or time")
	f.IntVar(&o.Limit, "limit", 0, "only the newest N entries (0 for all)")
	f.BoolVar(&o.json, "json", false, "print JSON")
	return cmd
}

func runLog(ctx context.Context, e *env, o logOptions) error {
	e = e.withSafeOut() // names, paths and memos are what users and files gave
	if err := o.Check(); err != nil {
		return err
	}
	p, err := e.open(ctx, readOnly, "log")
	if err != nil {
		return err
	}
	defer p.Close()
	es, err := p.Log(ctx, o.LogOptions)
	if err != nil {
		return err
	}
	if o.json {
		return writeJSON(e.stdout, es)
	}
	t := newTable(e.stdout, e.outTTY, "at", "coder", "did", "on", "detail")
	for _, le := range es {
		who := le.Coder
		if who == "" {
			who = "-"
		}
		did, on, detail := logLine(le)
		t.add(le.At.Local().Format("2006-01-02 15:04:05"), who, did, on, detail)
	}
	if err := t.print(); err != nil {
		return err
	}
	if e.outTTY {
		if len(es) == 1 {
			e.printf("1 entry\n")
		} else {
			e.printf("%s entries\n", report.Thousands(len(es)))
		}
	}
	return nil
}

// logLine says what a log entry did, to what, and its detail, for
// people.
func logLine(le app.LogEntry) (did, on, detail string) {
	did = le.Action + " " + le.What
	span := ""
	if le.Start != nil && le.End != nil {
		span = fmt.Sprintf("%s:%d-%d", le.Source, *le.Start, *le.End)
	}
	switch {
	case le.What == "coding":
		on = le.Code + " on " + span
		detail = le.Origin
		if le.Text != "" {
			detail += ", memo " + excerpt(le.Text, 60)
		}
		if le.OldStart != nil {
			detail += fmt.Sprintf(", was %d-%d", *le.OldStart, *le.OldEnd)
		}
	case le.What == "memo":
		did += " " + strconv.FormatInt(le.MemoID, 10)
		switch {
		case span != "":
			on = le.Code + " on " + span
		case le.Source != "":
			on = le.Source
		case le.Code != "":
			on = "code " + le.Code
		default:
			on = "the project"
		}
		detail = excerpt(le.Text, 60)
		if le.OldText != "" {
			detail += " (was " + excerpt(le.OldText, 40) + ")"
		}
	case le.What == "summary":
		on = le.Case + " on " + le.Code
		detail = excerpt(le.Text, 60)
		if le.OldText != "" {
			detail += " (was " + excerpt(le.OldText, 40) + ")"
		}
	case le.What == "import":
		did, on = "import", le.Source
		detail = fmt.Sprintf("%s, %s words, from %s", le.Format, report.Thousands(le.Words), le.Path)
	case le.Rules != nil:
		did, on = "run rules", le.Rules.Sources
		if on == "" {
			on = "every source"
		}
		r := le.Rules
		detail = fmt.Sprintf("%s@%s by %s: %s added, %s removed, %s in all", r.Codebook, coding.ShortHash(r.CodebookHash), r.Unit,
			report.Thousands(r.Added), report.Thousands(r.Removed), report.Thousands(r.Total))
	default:
		// Whatever else the audit table logs, said as it is.
		on = le.Source
		if span != "" {
			on = span
		}
		detail = le.Text
	}
	return did, on, detail
}
