package app

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"qcode"
	"qcode/coding"
	"qcode/coding/report"
)

// Summary is an analyst's summary of a case on a theme, a cell of the
// Framework matrix, as the store keeps it.
type Summary = coding.Summary

// SummaryOptions name a cell of the Framework matrix and what to write in
// it.
type SummaryOptions struct {
	Case  string // the case's name
	Theme string // the theme: a code's id, name or path
	Coder string // who writes; "" for CoderName's default
	Text  string // the summary; "" with Clear
	// Clear removes the cell's summary instead of writing one.
	Clear bool
}

// Check checks the options without the project, so that a front end can
// refuse them before it opens one.
func (o SummaryOptions) Check() error {
	if strings.TrimSpace(o.Case) == "" {
		return qcode.FieldError("case", "", "missing; say which case the summary is of")
	}
	if strings.TrimSpace(o.Theme) == "" {
		return qcode.FieldError("theme", "", "missing; say which theme (a code) the summary is on")
	}
	switch {
	case o.Clear && o.Text != "":
		return qcode.Errorf(qcode.EINVALID, "clearing a summary takes no text; leave it out, or write the new text without clearing")
	case o.Clear:
	case strings.TrimSpace(o.Text) == "":
		return qcode.Errorf(qcode.EINVALID, "the summary is empty; say what the case says on the theme, or clear the summary")
	case utf8.RuneCountInString(o.Text) > coding.MaxSummary:
		return qcode.Errorf(qcode.EINVALID, "the summary is %d characters, more than a Framework cell holds (%d); shorten it, and put the rest in a memo",
			utf8.RuneCountInString(o.Text), coding.MaxSummary)
	}
	_, err := CoderName(o.Coder)
	return err
}

// SummaryResult is what SetSummary did.
type SummaryResult struct {
	Summary Summary `json:"summary"`
	// Changed is false when the cell held the same text already; then
	// nothing was written or logged.
	Changed bool `json:"changed"`
	Cleared bool `json:"cleared"` // the summary was removed
}

// String says what SetSummary did, for people.
func (r *SummaryResult) String() string {
	s := r.Summary
	switch {
	case r.Cleared:
		return fmt.Sprintf("cleared the summary of %s on %s", s.Case, s.Theme)
	case !r.Changed:
		return fmt.Sprintf("the summary of %s on %s is already this text; nothing changed", s.Case, s.Theme)
	}
	return fmt.Sprintf("set the summary of %s on %s, first written by %s", s.Case, s.Theme, s.Coder)
}

// SetSummary writes the summary of a case on a theme, or clears it with
// o.Clear, and logs it in the audit log with the text it had. The case
// must be in the project and the theme in the codebook (by id, name or
// path); either unknown is a qcode.ENOTFOUND error with the names meant.
// A summary is kept by case name and theme id, whichever themes a matrix
// shows.
func (p *Project) SetSummary(ctx context.Context, o SummaryOptions) (*SummaryResult, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	coder, _ := CoderName(o.Coder)
	cb, err := p.Codebook()
	if err != nil {
		return nil, err
	}
	theme, err := cb.Find(strings.TrimSpace(o.Theme), "theme")
	if err != nil {
		return nil, err
	}
	cs := strings.TrimSpace(o.Case)
	if o.Clear {
		s, err := p.Project.ClearSummary(ctx, cs, theme, coder, p.opts.Command)
		if err != nil {
			return nil, err
		}
		return &SummaryResult{Summary: s, Changed: true, Cleared: true}, nil
	}
	s, changed, err := p.Project.SetSummary(ctx, cs, theme, coder, o.Text, p.opts.Command)
	if err != nil {
		return nil, err
	}
	return &SummaryResult{Summary: s, Changed: changed}, nil
}

// FrameworkOptions choose the Framework matrix.
type FrameworkOptions struct {
	Coder  string   // whose codings give the quotes: a coder, "rules", or AllCoders ("")
	Themes string   // top ("" too), or code ids separated by commas
	Attrs  []string // the case attributes shown; nil for every one
}

// Framework returns the Framework Method matrix: a row per case, a column
// per theme, each cell the analysts' summary and the case's quotes on the
// theme (report.Framework).
func (p *Project) Framework(ctx context.Context, o FrameworkOptions) (*report.Framework, error) {
	themes, a, err := p.themed(ctx, o.Themes, o.Coder)
	if err != nil {
		return nil, err
	}
	return a.FrameworkMatrix(report.FrameworkOptions{Themes: themes, Attrs: o.Attrs, Summaries: a.Summaries})
}

// themed parses a Framework's themes (top by default, or code ids
// separated by commas) and makes the analysis of coder's codings that
// the matrix is cut from.
func (p *Project) themed(ctx context.Context, themes, coder string) ([]string, *Analysis, error) {
	if themes == "" {
		themes = "top"
	}
	ids, err := ParseThemes(themes)
	if err != nil {
		return nil, nil, err
	}
	a, err := p.Analysis(ctx, coder)
	if err != nil {
		return nil, nil, err
	}
	return ids, a, nil
}
