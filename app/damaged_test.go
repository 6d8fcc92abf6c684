package app_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"qcode"
	"qcode/app"
	"qcode/internal/treetest"
)

// A store with damaged pages is named, with how to get it back, whether
// SQLite finds the damage on opening it or when a listing reads the page.
func TestDamagedStoreNamed(t *testing.T) {
	p, _ := sampleProject(t, 3)
	dir := p.Dir
	p.Close()
	db := filepath.Join(dir, ".qcode", "project.db")
	treetest.DamagePages(t, db)
	ctx := context.Background()
	err := func() error {
		p, err := app.Open(ctx, app.Options{Dir: dir, ReadOnly: true, Command: "test"})
		if err != nil {
			return err
		}
		defer p.Close()
		_, err = p.Sources(ctx)
		return err
	}()
	err = app.Explain(dir, err)
	want := db + " is damaged (database disk image is malformed (11)); restore it from a backup, or recover what it holds with 'sqlite3 " + db + " .recover | sqlite3 recovered.db'"
	if err == nil || !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "\n") {
		t.Errorf("got  %v\nwant %s…", err, want)
	}
}

// A store made by a newer qcode says to upgrade qcode, whether opened to
// read or to write, and is left as it was.
func TestNewerStoreSaysUpgradeQcode(t *testing.T) {
	p, _ := sampleProject(t, 1)
	dir := p.Dir
	p.Close()
	db := filepath.Join(dir, ".qcode", "project.db")
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	for _, ro := range []bool{true, false} {
		_, err := app.Open(context.Background(), app.Options{Dir: dir, ReadOnly: ro, Command: "test"})
		want := db + " was made by a newer qcode (schema version 99; this one reads up to "
		if qcode.ErrorCode(err) != qcode.EINVALID || !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), "); upgrade qcode to open it") {
			t.Errorf("read-only %v: got %v, want %s…; upgrade qcode to open it", ro, err, want)
		}
	}
}
