package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"qcode"
	"qcode/app"
)

// withdrawn is a sentence of P01 that no other sample source has.
const withdrawn = "my daughter was doing her"

// withdrawalProject makes a project of the whole sample, coded by the
// rules and by amina, with the cases' attributes, a memo on P01, a memo on
// one of its codings and a rejected rules coding of it.
func withdrawalProject(t *testing.T) (*app.Project, *app.Sample) {
	t.Helper()
	ctx := context.Background()
	p, sample := emptyProject(t)
	if _, err := p.Import(ctx, app.ImportOptions{Files: sample.Files, Attributes: sample.Cases}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Code(ctx, app.CodeOptions{Sources: []string{"P01"}, Unit: "paragraph"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ImportCodings(ctx, sample.Codings["amina"], "amina"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.AddMemo(ctx, app.MemoOptions{Source: "P01", Coder: "amina", Text: "Consent form signed on the day."}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.AddMemo(ctx, app.MemoOptions{Segment: "P01:s11", Code: "moral_imperative", Coder: "ben", Text: "Guilt as much as duty?"}); err != nil {
		t.Fatal(err)
	}
	l, err := p.ListCodings(ctx, app.ListOptions{Source: "P01", Origin: "rules"})
	if err != nil || len(l.Codings) == 0 {
		t.Fatalf("the rules coded nothing in P01: %v", err)
	}
	first := l.Codings[0]
	if _, err := p.RejectCoding(ctx, app.CodingOptions{Segment: first.Segment(), Code: first.Code, Coder: "amina"}); err != nil {
		t.Fatal(err)
	}
	return p, sample
}

// TestRemoveSource withdraws P01: no row of any table names it or points
// at it but the audit row of its removal and earlier audit rows, the
// index finds nothing of it, reports and exports leave it out, and the
// log shows who removed it.
func TestRemoveSource(t *testing.T) {
	ctx := context.Background()
	p, _ := withdrawalProject(t)
	if err := (app.RemoveSourceOptions{Name: " "}).Check(); qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("Check of no name: %v", err)
	}
	_, err := p.RemoveSource(ctx, app.RemoveSourceOptions{Name: "P1", Coder: "amina"})
	var qe *qcode.Error
	if qcode.ErrorCode(err) != qcode.ENOTFOUND || !errors.As(err, &qe) || len(qe.Near) == 0 || qe.Near[0] != "P01" {
		t.Fatalf("removing an unknown source: %#v", err)
	}
	db := openDB(t, p.Dir)
	var id, caseID int64
	if err := db.QueryRow(`SELECT id, case_id FROM sources WHERE name = 'P01'`).Scan(&id, &caseID); err != nil {
		t.Fatal(err)
	}
	if n := rowsNaming(t, db, id, caseID); len(n) < 8 {
		t.Fatalf("before the removal only %v name P01; the test sets up too little", n)
	}
	r, err := p.RemoveSource(ctx, app.RemoveSourceOptions{Name: "P01", Coder: "amina"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != "P01" || r.Case != "P01" || r.Memos != 2 || r.Codings == 0 || strings.Join(r.Speakers, ",") != "Dr Marsh" || r.Purged {
		t.Errorf("removed %+v", r)
	}
	if n := rowsNaming(t, db, id, caseID); len(n) != 0 {
		t.Errorf("after the removal rows still name P01: %v", n)
	}
	var speakers int
	if err := db.QueryRow(`SELECT count(*) FROM speakers WHERE name = 'Interviewer'`).Scan(&speakers); err != nil || speakers != 1 {
		t.Errorf("the interviewer, whom other sources have, is gone: %d, %v", speakers, err)
	}

	searchFindsNoP01(t, p)
	a, err := p.Analysis(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := a.Report(app.ReportOptions{Kind: "framework"})
	if err != nil {
		t.Fatal(err)
	}
	if js, _ := json.Marshal(tab.Strings(false)); bytes.Contains(js, []byte(`"P01`)) || !bytes.Contains(js, []byte(`"P02`)) {
		t.Errorf("the framework report still names P01, or lost P02: %s", js)
	}
	out := filepath.Join(t.TempDir(), "csv")
	if _, err := p.Export(ctx, app.ExportOptions{Format: "csv", Path: out}); err != nil {
		t.Fatal(err)
	}
	if files := filesHolding(t, out, "P01"); len(files) != 0 {
		t.Errorf("the export still names P01 in %v", files)
	}
	log, err := p.Log(ctx, app.LogOptions{Source: "P01"})
	if err != nil || len(log) == 0 || log[0].Action != "remove" || log[0].What != "source" || log[0].Coder != "amina" || log[0].Text != "" {
		t.Fatalf("the log of P01 begins %+v, %v", log, err)
	}
	if _, err := p.RemoveSource(ctx, app.RemoveSourceOptions{Name: "P01", Coder: "amina"}); qcode.ErrorCode(err) != qcode.ENOTFOUND {
		t.Errorf("removing P01 again: %v", err)
	}
}

// TestRemoveSourcePurge withdraws P01 with purge: none of the project's
// files, the database, its log and the search index among them, holds
// a sentence of it after.
func TestRemoveSourcePurge(t *testing.T) {
	ctx := context.Background()
	p, _ := withdrawalProject(t)
	if _, err := p.Search(ctx, app.SearchOptions{Query: `"daughter"`}); err != nil {
		t.Fatal(err)
	}
	if files := filesHolding(t, p.Dir, withdrawn); len(files) == 0 {
		t.Fatalf("no file of the project holds %q before the removal", withdrawn)
	}
	if files := filesHolding(t, filepath.Join(p.Dir, ".qcode"), "GCSE"); len(files) == 0 {
		t.Fatalf("the search index does not hold the word GCSEs before the removal")
	}
	r, err := p.RemoveSource(ctx, app.RemoveSourceOptions{Name: "P01", Coder: "amina", Purge: true})
	if err != nil || !r.Purged {
		t.Fatalf("%+v, %v", r, err)
	}
	// A word only P01 has: the index and the sentence file keep words,
	// not sentences.
	for _, s := range []string{withdrawn, "GCSE", "gcse"} {
		if files := filesHolding(t, p.Dir, s); len(files) != 0 {
			t.Errorf("after the purge %v still hold %q", files, s)
		}
	}
	searchFindsNoP01(t, p)
	if n, err := p.Sources(ctx); err != nil || len(n) == 0 || n[0].Name == "P01" {
		t.Errorf("sources after the purge: %v", err)
	}
}

// searchFindsNoP01 searches for a word of P01 and fails t if a hit is in
// it.
func searchFindsNoP01(t *testing.T, p *app.Project) {
	t.Helper()
	res, err := p.Search(context.Background(), app.SearchOptions{Query: `"daughter"`})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if h.Source == "P01" {
			t.Errorf("the index still finds P01: %+v", h)
		}
	}
}

// openDB opens the project's database to read, for the test to look at
// every table.
func openDB(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, ".qcode", "project.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// rowsNaming returns "table.column" for each row of every table, but the
// audit log, that names P01 or points at its source or case row.
func rowsNaming(t *testing.T, db *sql.DB, id, caseID int64) []string {
	t.Helper()
	tables := queryColumn(t, db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'audit'`)
	var found []string
	for _, table := range tables {
		for _, col := range queryColumn(t, db, `SELECT name FROM pragma_table_info(?)`, table) {
			q := `SELECT count(*) FROM "` + table + `" WHERE CAST("` + col + `" AS TEXT) LIKE '%P01%'`
			args := []any{}
			switch {
			case col == "source_id" || table == "sources" && col == "id":
				q += ` OR "` + col + `" = ?`
				args = append(args, id)
			case col == "case_id" || table == "cases" && col == "id":
				q += ` OR "` + col + `" = ?`
				args = append(args, caseID)
			}
			var n int
			if err := db.QueryRow(q, args...).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if n > 0 {
				found = append(found, table+"."+col)
			}
		}
	}
	return found
}

func queryColumn(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// filesHolding returns the files under dir whose bytes hold s.
func filesHolding(t *testing.T, dir, s string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(s)) {
			found = append(found, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestPurgeLater removes P01 without purging, so that its text lingers in
// the project's files, and purges afterwards: first while another
// connection reads the project, which keeps the purge from finishing and
// says so, then once it has closed.
func TestPurgeLater(t *testing.T) {
	ctx := context.Background()
	p, _ := withdrawalProject(t)
	if _, err := p.Search(ctx, app.SearchOptions{Query: `"daughter"`}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.RemoveSource(ctx, app.RemoveSourceOptions{Name: "P01", Coder: "amina"}); err != nil {
		t.Fatal(err)
	}
	if files := filesHolding(t, p.Dir, withdrawn); len(files) == 0 {
		t.Fatalf("no file holds %q after a removal without purge: the test would prove nothing", withdrawn)
	}
	db := openDB(t, p.Dir)
	reader, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := reader.QueryRowContext(ctx, `SELECT count(*) FROM sources`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if err := p.Purge(ctx); qcode.ErrorCode(err) != qcode.EBUSY || !strings.Contains(err.Error(), "qcode sources purge") {
		t.Errorf("a purge while another connection reads: %v", err)
	}
	reader.Rollback()
	if err := p.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{withdrawn, "GCSE", "gcse"} {
		if files := filesHolding(t, p.Dir, s); len(files) != 0 {
			t.Errorf("after the purge %v still hold %q", files, s)
		}
	}
	searchFindsNoP01(t, p)
}
