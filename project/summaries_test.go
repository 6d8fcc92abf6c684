package project

import (
	"context"
	"slices"
	"strings"
	"testing"

	"qcode"
)

// Writing, rewriting and clearing a Framework summary is logged with its
// case, theme and text: a rewrite keeps the text it replaced, a clearing
// the text removed; the first author stays the summary's.
func TestSummaryAuditLog(t *testing.T) {
	ctx := context.Background()
	p := mustP03(t)
	s, changed, err := p.SetSummary(ctx, "P03", "humility", "amina", "Mortified at first (P03:s35)", "framework set")
	if err != nil || !changed || s.Coder != "amina" || s.Case != "P03" || s.Theme != "humility" {
		t.Fatalf("set: %+v, %v, %v", s, changed, err)
	}
	// The same text again changes nothing and logs nothing.
	if _, changed, err := p.SetSummary(ctx, "P03", "humility", "ben", "Mortified at first (P03:s35)", "framework set"); err != nil || changed {
		t.Fatalf("the same text: changed %v, %v", changed, err)
	}
	s, changed, err = p.SetSummary(ctx, "P03", "humility", "ben", "Mortified, then curious", "framework set")
	if err != nil || !changed || s.Coder != "amina" || s.Text != "Mortified, then curious" || s.UpdatedAt.Before(s.CreatedAt) {
		t.Fatalf("rewrite: %+v, %v, %v", s, changed, err)
	}
	if _, _, err := p.SetSummary(ctx, "P03", "risk", "ben", "Cautious", "framework set"); err != nil {
		t.Fatal(err)
	}
	all, err := p.Summaries(ctx)
	if err != nil || len(all) != 2 || all[0].Theme != "humility" || all[1].Theme != "risk" {
		t.Fatalf("summaries: %+v, %v", all, err)
	}
	if _, err := p.ClearSummary(ctx, "P03", "risk", "amina", "framework set"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ClearSummary(ctx, "P03", "risk", "amina", "framework set"); qcode.ErrorCode(err) != qcode.ENOTFOUND {
		t.Errorf("clearing it twice: %v", err)
	}
	// An unknown case is named, with the cases meant.
	_, _, err = p.SetSummary(ctx, "P3", "humility", "amina", "x", "framework set")
	if qcode.ErrorCode(err) != qcode.ENOTFOUND || !slices.Contains(qcode.Suggestions(err), "P03") {
		t.Errorf("unknown case: %v (%v)", err, qcode.Suggestions(err))
	}
	if _, err := p.ClearSummary(ctx, "P3", "humility", "amina", "framework set"); qcode.ErrorCode(err) != qcode.ENOTFOUND || !strings.Contains(err.Error(), "no such case") {
		t.Errorf("clearing on an unknown case: %v", err)
	}
	log, err := p.Log(ctx, LogFilter{What: "summary"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		got = append(got, strings.Join([]string{e.Action, e.Coder, e.Case, e.Code, e.Text, e.OldText}, "|"))
	}
	want := []string{ // newest first
		"remove|amina|P03|risk|Cautious|",
		"add|ben|P03|risk|Cautious|",
		"edit|ben|P03|humility|Mortified, then curious|Mortified at first (P03:s35)",
		"add|amina|P03|humility|Mortified at first (P03:s35)|",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("log:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestMigrateSummaries opens a project of schema 8: the audit log keeps
// its rows and takes summaries.
func TestMigrateSummaries(t *testing.T) {
	ctx := context.Background()
	p := openAfter(t, []string{
		`DROP TABLE framework_summaries`,
		`DROP TABLE audit`,
		`CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, coder TEXT NOT NULL, command TEXT NOT NULL,
			action TEXT NOT NULL CHECK (action IN ('add', 'remove', 'reject', 'accept', 'edit', 'move')),
			what TEXT NOT NULL CHECK (what IN ('coding', 'memo', 'source', 'rejection')),
			source TEXT NOT NULL, start INTEGER, end INTEGER, code TEXT, origin TEXT, text TEXT NOT NULL DEFAULT '',
			memo_id INTEGER, old_text TEXT, old_start INTEGER, old_end INTEGER)`,
		`INSERT INTO audit (at, coder, command, action, what, source, start, end, code, origin, text, old_start, old_end) VALUES ('2026-03-01T10:00:00Z', 'amina', 'coding add', 'move', 'coding', 'P03', 10, 20, 'chart', 'manual', '', 12, 22)`,
		`PRAGMA user_version = 8`,
	})
	if _, _, err := p.SetSummary(ctx, "P03", "chart", "amina", "Charts as proof", "framework set"); err != nil {
		t.Fatal(err)
	}
	log, err := p.Log(ctx, LogFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var whats []string
	for _, e := range log {
		whats = append(whats, e.What+":"+e.Action)
		if e.What == "coding" && (e.OldStart == nil || *e.OldStart != 12) {
			t.Errorf("the old row lost its span before: %+v", e)
		}
	}
	if got := strings.Join(whats, ","); got != "summary:add,import:import,coding:move" && got != "import:import,summary:add,coding:move" {
		t.Errorf("log after the migration: %s", got)
	}
}
