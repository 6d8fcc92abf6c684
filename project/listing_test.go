package project

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestListingsReadNoText breaks the chain of pages that holds one source's
// text in the project file, and lists the sources: the listings (Sources,
// the one source's SourceInfo, SourceStamps, SourceCases) read the
// source_listing index alone, so they still work, while reading the text
// meets the damage, which shows the test breaks what it means to.
func TestListingsReadNoText(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p, err := Init(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	// A long text, past many pages, whose middle is found in the file by
	// a mark no other line has.
	var b strings.Builder
	for i := range 2000 {
		if i == 1000 {
			b.WriteString("Sarah: MARK-IN-THE-MIDDLE-OF-THE-TEXT.\n\n")
			continue
		}
		fmt.Fprintf(&b, "Sarah: We talked about the debrief %d times on the ward.\n\n", i)
	}
	if _, err := p.Import(ctx, mustRead(t, "P01.txt", b.String()), false); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Import(ctx, mustRead(t, "P02.txt", p03), false); err != nil {
		t.Fatal(err)
	}
	var pageSize int
	if err := p.db.QueryRow("PRAGMA page_size").Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}

	// An overflow page begins with the number of the next; make it one
	// past the file's end.
	dbPath := filepath.Join(dir, Dirname, DBName)
	data, err := os.ReadFile(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	// The mark is in the source's text, and may be left in a page freed
	// as the tables grew.
	mark := []byte("MARK-IN-THE-MIDDLE-OF-THE-TEXT")
	if n := bytes.Count(data, mark); n < 1 {
		t.Fatalf("the mark is %d times in the project file, want once or more (checkpointed on close)", n)
	}
	for at, from := 0, 0; ; from = at + len(mark) {
		k := bytes.Index(data[from:], mark)
		if k < 0 {
			break
		}
		at = from + k
		page := at / pageSize * pageSize
		binary.BigEndian.PutUint32(data[page:], uint32(len(data)/pageSize+100))
	}
	if err := os.WriteFile(dbPath, data, 0o644); err != nil {
		t.Fatal(err)
	}

	p, err = Open(ctx, dir, ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Source(ctx, "P01"); err == nil {
		t.Fatal("reading P01's text whose pages are broken succeeded; the test no longer breaks the text")
	}
	infos, err := p.Sources(ctx)
	if err != nil {
		t.Fatalf("Sources read a text: %v", err)
	}
	if len(infos) != 2 || infos[0].Name != "P01" || infos[0].Turns != 2000 || infos[1].Name != "P02" {
		t.Errorf("Sources = %+v, want P01 with 2000 turns and P02", infos)
	}
	one, err := sources(ctx, p.db, "P01")
	if err != nil || len(one) != 1 || one[0].Words == 0 {
		t.Errorf("the one source P01: %+v, %v; want it with its words", one, err)
	}
	stamps, digest, err := p.SourceStamps(ctx)
	if err != nil || len(stamps) != 2 || digest == "" {
		t.Errorf("SourceStamps = %v, %q, %v; want two stamps", stamps, digest, err)
	}
	var names []string
	err = p.SourceCases(ctx, func(id int64, name string, caseID int64, caseName string) error {
		names = append(names, name)
		return nil
	})
	if err != nil || strings.Join(names, " ") != "P01 P02" {
		t.Errorf("SourceCases named %v, %v; want P01 P02", names, err)
	}
}

// TestMigrateSourceListing opens a project of schema 8, made before the
// source_listing index: opening it makes the index, and the listings
// work on the sources it had.
func TestMigrateSourceListing(t *testing.T) {
	ctx := context.Background()
	p := openAfter(t, []string{`DROP INDEX source_listing`, `PRAGMA user_version = 8`})
	var n int
	if err := p.db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'source_listing'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("after migrating, %d indexes named source_listing (%v), want 1", n, err)
	}
	infos, err := p.Sources(ctx)
	if err != nil || len(infos) != 1 || infos[0].Name != "P03" || infos[0].Turns != 4 {
		t.Errorf("Sources = %+v, %v; want P03 with its 4 turns", infos, err)
	}
}

// TestTurnTextsDropped opens a project of schema 11, which kept each
// turn's text in turn_texts: opening it drops the copy, and its sources
// and turns read as before.
func TestTurnTextsDropped(t *testing.T) {
	ctx := context.Background()
	p := openAfter(t, []string{`CREATE TABLE IF NOT EXISTS turn_texts (source_id INTEGER NOT NULL, ord INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (source_id, ord))`,
		`INSERT INTO turn_texts SELECT source_id, ord, 'x' FROM turns`, `PRAGMA user_version = 11`})
	var n int
	if err := p.db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'turn_texts'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("after migrating, %d tables named turn_texts (%v), want none", n, err)
	}
	src, err := p.Source(ctx, "P03")
	if err != nil || len(src.Turns) != 4 || src.Turns[0].Text == "" {
		t.Errorf("P03 after migrating: %v; want its 4 turns with their texts", err)
	}
}
