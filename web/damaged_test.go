package web

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"qcode/app"
	"qcode/internal/treetest"
)

// A store found damaged while the workspace serves it is named, with how
// to get it back, in the page and in the script's answers, as the command
// line names it; not as SQLite's bare message.
func TestDamagedStorePhrased(t *testing.T) {
	_, sample, dir := newStudy(t)
	first := openStudy(t, dir)
	if _, err := first.Import(context.Background(), app.ImportOptions{Files: sample.Files}, nil); err != nil {
		t.Fatal(err)
	}
	first.Close()
	db := filepath.Join(dir, ".qcode", "project.db")
	treetest.DamagePages(t, db)
	p, err := app.Open(context.Background(), app.Options{Dir: dir, ReadOnly: true, Command: "serve test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	s := listen(t, p)
	want := db + " is damaged (database disk image is malformed (11)); restore it from a backup"
	for _, path := range []string{"/"} {
		w := s.do(t, request{path: path})
		if w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), want) {
			t.Errorf("GET %s: %d\n%s\nwant 500 saying %s…", path, w.Code, w.Body.String(), want)
		}
	}
}
