package app_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"qcode"
	"qcode/app"
	"qcode/coding"
)

// A summary is written on a case and a theme named as people name them,
// shows in its cell of the matrix beside the case's quotes, and the
// mistakes a person makes are refused with what they meant.
func TestFrameworkSummaries(t *testing.T) {
	p, _ := sampleProject(t, 2)
	ctx := context.Background()
	if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
		t.Fatal(err)
	}
	r, err := p.SetSummary(ctx, app.SummaryOptions{Case: "P01", Theme: "Bidirectional learning", Coder: "amina", Text: "Went out to teach; came back taught (P01:s22)"})
	if err != nil || !r.Changed || r.Summary.Theme != "bidirectional_learning" || r.Summary.Coder != "amina" {
		t.Fatalf("set by the theme's name: %+v, %v", r, err)
	}
	m, err := p.Framework(ctx, app.FrameworkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Cases) != 2 || m.Themes[0].Code != "bidirectional_learning" {
		t.Fatalf("matrix of %d cases, themes %+v", len(m.Cases), m.Themes)
	}
	cell := m.Cases[0].Cells[0]
	if m.Cases[0].Case != "P01" || cell.Summary == nil || cell.Summary.Text != r.Summary.Text {
		t.Fatalf("P01's cell: %+v", cell)
	}
	// The quotes are the case's codings of the theme or its sub-codes, as
	// the codings list has them.
	l, err := p.ListCodings(ctx, app.ListOptions{Source: "P01"})
	if err != nil {
		t.Fatal(err)
	}
	under := map[string]bool{}
	for _, c := range l.Codings {
		if strings.HasPrefix(pathOf(t, p, c.Code), "Bidirectional learning") {
			under[c.Segment()] = true
		}
	}
	if len(cell.Quotes) == 0 {
		t.Fatal("P01 has no quotes on its first theme")
	}
	for _, q := range cell.Quotes {
		if !under[q.Ref] || q.Text == "" || q.Speaker == "" {
			t.Errorf("quote %+v is no coding of the theme in P01", q)
		}
	}
	if !strings.HasPrefix(m.Table().Row(0, nil)[1].Text, r.Summary.Text+"\n\n"+cell.Quotes[0].Ref) {
		t.Errorf("the cell does not lead with the summary, then the references: %q", m.Table().Row(0, nil)[1].Text)
	}
	// The report of the same name is the same matrix.
	a, err := p.Analysis(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	tb, err := a.Report(app.ReportOptions{Kind: "framework"})
	if err != nil || tb.Row(0, nil)[1].Text != m.Table().Row(0, nil)[1].Text {
		t.Errorf("report framework differs: %v", err)
	}

	for name, c := range map[string]struct {
		o            app.SummaryOptions
		code, near   string
		field, words string
	}{
		"unknown case":     {app.SummaryOptions{Case: "P1", Theme: "bidirectional_learning", Text: "x"}, qcode.ENOTFOUND, "P01", "case", "no such case"},
		"unknown theme":    {app.SummaryOptions{Case: "P01", Theme: "bidirectional_lerning", Text: "x"}, qcode.ENOTFOUND, "bidirectional_learning", "theme", "no such code"},
		"empty":            {app.SummaryOptions{Case: "P01", Theme: "bidirectional_learning", Text: " "}, qcode.EINVALID, "", "", "empty"},
		"too long":         {app.SummaryOptions{Case: "P01", Theme: "bidirectional_learning", Text: strings.Repeat("a", coding.MaxSummary+1)}, qcode.EINVALID, "", "", "801 characters"},
		"clear with text":  {app.SummaryOptions{Case: "P01", Theme: "bidirectional_learning", Text: "x", Clear: true}, qcode.EINVALID, "", "", "takes no text"},
		"no case":          {app.SummaryOptions{Theme: "bidirectional_learning", Text: "x"}, qcode.EINVALID, "", "case", "missing"},
		"nothing to clear": {app.SummaryOptions{Case: "P02", Theme: "bidirectional_learning", Clear: true}, qcode.ENOTFOUND, "", "", "no summary"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := p.SetSummary(ctx, c.o)
			var e *qcode.Error
			if qcode.ErrorCode(err) != c.code || !strings.Contains(err.Error(), c.words) {
				t.Fatalf("%v, want %s saying %q", err, c.code, c.words)
			}
			if c.field != "" && (!errors.As(err, &e) || e.Field != c.field) {
				t.Errorf("%v names field %q, want %q", err, e.Field, c.field)
			}
			if c.near != "" && !slices.Contains(qcode.Suggestions(err), c.near) {
				t.Errorf("%v suggests %v, want %s", err, qcode.Suggestions(err), c.near)
			}
		})
	}
	// None of the mistakes changed the cell.
	if m, _ := p.Framework(ctx, app.FrameworkOptions{}); m.Cases[0].Cells[0].Summary.Text != r.Summary.Text {
		t.Errorf("a refused summary changed the cell: %+v", m.Cases[0].Cells[0].Summary)
	}
	if r, err := p.SetSummary(ctx, app.SummaryOptions{Case: "P01", Theme: "bidirectional_learning", Clear: true}); err != nil || !r.Cleared {
		t.Fatalf("clear: %+v, %v", r, err)
	}
	if m, _ := p.Framework(ctx, app.FrameworkOptions{}); m.Cases[0].Cells[0].Summary != nil {
		t.Errorf("a cleared summary is still shown")
	}
	log, err := p.Log(ctx, app.LogOptions{What: "summary"})
	if err != nil || len(log) != 2 || log[0].Action != "remove" || log[0].Text != r.Summary.Text || log[0].Case != "P01" {
		t.Errorf("log of summaries: %+v, %v", log, err)
	}
}

// pathOf returns the path of code id in the project's codebook.
func pathOf(t *testing.T, p *app.Project, id string) string {
	t.Helper()
	cb, err := p.Codebook()
	if err != nil {
		t.Fatal(err)
	}
	return cb.Code(id).Path()
}
