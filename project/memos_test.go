package project

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"qcode"
	"qcode/coding"
)

// Adding, editing and removing memos is logged with the text: an edit
// keeps the text it replaced, a removal the text removed.
func TestMemoAuditLog(t *testing.T) {
	ctx := context.Background()
	p := mustP03(t)
	ref := coding.Ref{Source: "P03", Unit: coding.UnitSentence, Ord: 2}
	if _, _, err := p.AddCoding(ctx, CodingRequest{Ref: ref, Code: "chart", Coder: "amina", Origin: coding.OriginManual}, "test"); err != nil {
		t.Fatal(err)
	}
	m, err := p.AddMemo(ctx, MemoRequest{Kind: coding.MemoCoding, Ref: ref, Code: "chart", Coder: "ben", Text: "the <b>chart</b> again"}, "memo add")
	if err != nil || m.CodingCoder != "amina" {
		t.Fatalf("add: %+v, %v", m, err)
	}
	if _, err := p.EditMemo(ctx, m.ID, "amina", "the chart, again", "memo edit"); err != nil {
		t.Fatal(err)
	}
	// The same text again changes nothing and logs nothing.
	if _, err := p.EditMemo(ctx, m.ID, "amina", "the chart, again", "memo edit"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.DeleteMemo(ctx, m.ID, "ben", "memo rm"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.DeleteMemo(ctx, m.ID, "ben", "memo rm"); qcode.ErrorCode(err) != qcode.ENOTFOUND {
		t.Errorf("removing it twice: %v", err)
	}
	rows, err := p.db.Query(`SELECT action, coder, command, source, start, end, code, text, COALESCE(old_text, '-'), memo_id FROM audit WHERE what = 'memo' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var action, coder, command, source, code, text, old string
		var start, end, id int64
		if err := rows.Scan(&action, &coder, &command, &source, &start, &end, &code, &text, &old, &id); err != nil {
			t.Fatal(err)
		}
		if id != m.ID || start != int64(m.Start) || end != int64(m.End) {
			t.Errorf("%s row names memo %d [%d,%d), want %d [%d,%d)", action, id, start, end, m.ID, m.Start, m.End)
		}
		got = append(got, strings.Join([]string{action, coder, command, source, code, text, old}, "|"))
	}
	want := []string{
		"add|ben|memo add|P03|chart|the <b>chart</b> again|-",
		"edit|amina|memo edit|P03|chart|the chart, again|the <b>chart</b> again",
		"remove|ben|memo rm|P03|chart|the chart, again|-",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestMigrateMemoTargets opens a project of schema 4: its memos become
// memos on their sources, and the audit log keeps its rows.
func TestMigrateMemoTargets(t *testing.T) {
	ctx := context.Background()
	p := openAfter(t, []string{
		`DROP TABLE memos`,
		`CREATE TABLE memos (id INTEGER PRIMARY KEY, source TEXT NOT NULL, coder TEXT NOT NULL, created_at TEXT NOT NULL, text TEXT NOT NULL)`,
		`INSERT INTO memos VALUES (7, 'P03', 'amina', '2026-03-01T10:00:00Z', 'cut short')`,
		`DROP TABLE audit`,
		`CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, coder TEXT NOT NULL, command TEXT NOT NULL,
			action TEXT NOT NULL CHECK (action IN ('add', 'remove', 'reject', 'accept')), what TEXT NOT NULL CHECK (what IN ('coding', 'memo')),
			source TEXT NOT NULL, start INTEGER, end INTEGER, code TEXT, origin TEXT, text TEXT NOT NULL DEFAULT '')`,
		`INSERT INTO audit (at, coder, command, action, what, source, text) VALUES ('2026-03-01T10:00:00Z', 'amina', 'memo add', 'add', 'memo', 'P03', 'cut short')`,
		`PRAGMA user_version = 4`,
	})
	ms, err := p.Memos(ctx, MemoFilter{Kind: coding.MemoSource})
	if err != nil || len(ms) != 1 {
		t.Fatalf("memos after the migration: %+v, %v", ms, err)
	}
	if m := ms[0]; m.ID != 7 || m.Source != "P03" || m.Coder != "amina" || m.Text != "cut short" || !m.UpdatedAt.Equal(m.CreatedAt) || m.CreatedAt.IsZero() {
		t.Errorf("the memo after the migration: %+v", m)
	}
	if _, err := p.EditMemo(ctx, 7, "ben", "cut short by a ward round", "memo edit"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := p.db.QueryRow(`SELECT count(*) FROM audit WHERE what = 'memo' AND (action = 'add' AND text = 'cut short' OR action = 'edit' AND old_text = 'cut short')`).Scan(&n); err != nil || n != 2 {
		t.Errorf("%d audit rows of the memo, want 2 (%v)", n, err)
	}
}

// TestMigrateProjectMemos opens a project of schema 5: its memos keep
// their ids and targets, and a memo on the project can then be added,
// edited and listed by its kind. The store refuses a project memo that
// names a source.
func TestMigrateProjectMemos(t *testing.T) {
	ctx := context.Background()
	p := openAfter(t, []string{
		`DROP TABLE memos`,
		`CREATE TABLE memos (id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('source', 'code', 'coding')),
			source TEXT NOT NULL DEFAULT '', code TEXT NOT NULL DEFAULT '', start INTEGER, end INTEGER, coding_coder TEXT,
			coder TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, text TEXT NOT NULL)`,
		`INSERT INTO memos VALUES (3, 'source', 'P03', '', NULL, NULL, NULL, 'amina', '2026-03-01T10:00:00Z', '2026-03-01T10:00:00Z', 'cut short')`,
		`INSERT INTO memos VALUES (5, 'code', '', 'chart', NULL, NULL, NULL, 'ben', '2026-03-01T10:00:00Z', '2026-03-02T10:00:00Z', 'the chart')`,
		`INSERT INTO memos VALUES (8, 'coding', 'P03', 'chart', 12, 40, 'rules', 'ben', '2026-03-01T10:00:00Z', '2026-03-01T10:00:00Z', 'why?')`,
		`PRAGMA user_version = 5`,
	})
	ms, err := p.Memos(ctx, MemoFilter{})
	if err != nil || len(ms) != 3 {
		t.Fatalf("memos after the migration: %+v, %v", ms, err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, strings.Join([]string{strconv.FormatInt(m.ID, 10), m.Target(), m.Coder, m.Text, m.UpdatedAt.Format("01-02")}, "|"))
	}
	if want := "5|code chart|ben|the chart|03-02; 3|P03|amina|cut short|03-01; 8|chart on P03:12-40 by rules|ben|why?|03-01"; strings.Join(got, "; ") != want {
		t.Errorf("memos after the migration:\n%s\nwant\n%s", strings.Join(got, "; "), want)
	}

	m, err := p.AddMemo(ctx, MemoRequest{Kind: coding.MemoProject, Source: "P03", Code: "chart", Coder: "amina", Text: "We code interviewers' turns only when they lead."}, "memo add")
	if err != nil || m.Kind != coding.MemoProject || m.Source != "" || m.Code != "" || m.ID != 9 {
		t.Fatalf("a memo on the project: %+v, %v", m, err)
	}
	if _, err := p.EditMemo(ctx, m.ID, "ben", "We code interviewers' turns when they lead or summarise.", "memo edit"); err != nil {
		t.Fatal(err)
	}
	ms, err = p.Memos(ctx, MemoFilter{Kind: coding.MemoProject})
	if err != nil || len(ms) != 1 || ms[0].Text != "We code interviewers' turns when they lead or summarise." || ms[0].Coder != "amina" {
		t.Errorf("project memos: %+v, %v", ms, err)
	}
	if _, err := p.db.Exec(`INSERT INTO memos (kind, source, coder, created_at, updated_at, text) VALUES ('project', 'P03', 'amina', '', '', 'x')`); err == nil {
		t.Errorf("the store took a memo on the project that names a source")
	}
}

// openAfter makes a project of P03, runs the statements on its database
// (to take it back to an older schema, setting user_version last), and
// opens it for writing, which migrates it.
func openAfter(t *testing.T, statements []string) *Project {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	p, err := Init(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Import(ctx, mustRead(t, "P03.txt", p03), false); err != nil {
		t.Fatal(err)
	}
	p.Close()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, Dirname, DBName))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range statements {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	if p, err = Open(ctx, dir, ReadWrite); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}
