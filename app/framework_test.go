package app_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"qcode"
	"qcode/app"
	"qcode/coding"
	"qcode/exchange"
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

// Framework summaries travel with a merge: a cell the project has none of
// takes the other project's, a cell summarised the same is left, a cell
// summarised otherwise keeps the project's and the report says so, and a
// summary of a case the project lacks stays out. Merging again changes
// nothing.
func TestMergeBringsFrameworkSummaries(t *testing.T) {
	ctx := context.Background()
	amina, _ := coderProject(t, "amina")
	ben, _ := coderProject(t, "ben")
	set := func(p *app.Project, cs, theme, coder, text string) {
		t.Helper()
		if _, err := p.SetSummary(ctx, app.SummaryOptions{Case: cs, Theme: theme, Coder: coder, Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	set(amina, "P01", "bidirectional_learning", "amina", "Went to teach, came back taught")
	set(amina, "P02", "bidirectional_learning", "amina", "Both ways from the start")
	set(amina, "P03", "learning_type", "amina", "Clinical skills mostly")
	set(ben, "P02", "bidirectional_learning", "ben", "Both ways from the start")
	set(ben, "P03", "learning_type", "ben", "Mostly about systems")
	x := exchangeOf(t, amina)
	if len(x.Summaries) != 3 || !slices.ContainsFunc(x.Users, func(u exchange.User) bool { return u.Name == "amina" }) {
		t.Fatalf("exchange: summaries %+v", x.Summaries)
	}
	// A summary of a case ben's project does not hold.
	x.Summaries = append(x.Summaries, app.Summary{Case: "P09", Theme: "learning_type", Coder: "amina", Text: "not here", CreatedAt: time.Now()})

	rep, err := ben.Merge(ctx, x, app.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.SummariesAdded != 1 || rep.SummariesExisting != 1 || len(rep.SummariesConflicting) != 1 {
		t.Fatalf("summaries added %d, existing %d, conflicting %+v", rep.SummariesAdded, rep.SummariesExisting, rep.SummariesConflicting)
	}
	if c := rep.SummariesConflicting[0]; c.Case != "P03" || c.Text != "Mostly about systems" || c.Other != "Clinical skills mostly" {
		t.Errorf("conflict %+v", c)
	}
	if !slices.ContainsFunc(rep.Notes, func(n string) bool {
		return strings.Contains(n, "1 Framework summaries of cases the project does not hold")
	}) {
		t.Errorf("notes %v", rep.Notes)
	}
	m, err := ben.Framework(ctx, app.FrameworkOptions{Themes: "bidirectional_learning,learning_type"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, row := range m.Cases {
		for k, cell := range row.Cells {
			if cell.Summary != nil {
				got[row.Case+" "+m.Themes[k].Code] = cell.Summary.Coder + ": " + cell.Summary.Text
			}
		}
	}
	want := map[string]string{
		"P01 bidirectional_learning": "amina: Went to teach, came back taught",
		"P02 bidirectional_learning": "ben: Both ways from the start",
		"P03 learning_type":          "ben: Mostly about systems",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ben's summaries after the merge:\n%v\nwant\n%v", got, want)
	}
	log, err := ben.Log(ctx, app.LogOptions{What: "summary", Coder: "amina"})
	if err != nil || len(log) != 1 || log[0].Case != "P01" || log[0].Action != "add" || log[0].Text != want["P01 bidirectional_learning"][len("amina: "):] {
		t.Errorf("the merged summary's log: %+v, %v", log, err)
	}
	again, err := ben.Merge(ctx, x, app.MergeOptions{})
	if err != nil || again.SummariesAdded != 0 || again.SummariesExisting != 2 {
		t.Errorf("merging twice: %+v, %v", again, err)
	}
}
