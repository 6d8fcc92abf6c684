package project

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qcode/internal/treetest"

	"qcode"
)

// readOnlyProject makes a project holding P03, closes it, leaves its
// -wal and -shm files or removes them as a last writer's close does, and
// takes write permission away from everything in it, as chmod -R a-w does.
// It gives the permission back when the test ends, so the folder can go.
func readOnlyProject(t *testing.T, keepWAL bool) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	p, err := Init(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Import(ctx, mustRead(t, "in/P03.txt", p03), false); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{"-wal", "-shm"} {
		name := filepath.Join(dir, Dirname, DBName+ext)
		if keepWAL {
			if err := os.WriteFile(name, nil, 0o644); err != nil && ext == "-wal" {
				t.Fatal(err)
			}
		} else if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
	treetest.ReadOnly(t, dir, -1)
	return dir
}

// A project no one may write to opens for reading, whether or not the
// last writer left its -wal and -shm files, and writes nothing while it
// is read; opened to write, it says it is read-only. Root may write
// anywhere, so the test holds for root too: qcode goes by the folder's
// mode, not by whether a write would succeed.
func TestReadOnlyProject(t *testing.T) {
	for _, keepWAL := range []bool{false, true} {
		t.Run(map[bool]string{false: "closed", true: "wal-left"}[keepWAL], func(t *testing.T) {
			ctx := context.Background()
			dir := readOnlyProject(t, keepWAL)
			before := treetest.List(t, dir)
			p, err := Open(ctx, dir, ReadOnly)
			if err != nil {
				t.Fatalf("open to read: %v", err)
			}
			src, err := p.Source(ctx, "P03")
			if err != nil {
				t.Fatal(err)
			}
			if src.Header != "Interview P03, Lusaka" {
				t.Errorf("header = %q", src.Header)
			}
			if err := p.Close(); err != nil {
				t.Fatal(err)
			}
			if after := treetest.List(t, dir); after != before {
				t.Errorf("reading changed the folder:\nbefore %s\nafter  %s", before, after)
			}
			_, err = Open(ctx, dir, ReadWrite)
			if qcode.ErrorCode(err) != qcode.EINVALID || !strings.Contains(err.Error(), "read-only") || !strings.Contains(err.Error(), dir) {
				t.Fatalf("open to write: err = %v, want read-only naming %s", err, dir)
			}
		})
	}
}

// A project whose database file alone is read-only is refused for writing
// at open, in one line naming the file, rather than at its first write.
func TestReadOnlyDatabaseFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p, err := Init(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	db := filepath.Join(dir, Dirname, DBName)
	if err := os.Chmod(db, 0o444); err != nil {
		t.Fatal(err)
	}
	_, err = Open(ctx, dir, ReadWrite)
	if qcode.ErrorCode(err) != qcode.EINVALID || !strings.Contains(err.Error(), db+" is read-only") {
		t.Fatalf("err = %v, want %s read-only", err, db)
	}
	p, err = Open(ctx, dir, ReadOnly)
	if err != nil {
		t.Fatalf("open to read: %v", err)
	}
	p.Close()
}

// The way a reading command opens the store: immutable only where no one
// may write.
func TestReadOnlyOpenMode(t *testing.T) {
	dir := readOnlyProject(t, false)
	if got, err := readOnlyOpen(dir); err != nil || got != "&mode=ro&immutable=1" {
		t.Errorf("folder no one may write, no -wal: %q, %v", got, err)
	}
	treetest.Writable(t, dir)
	if got, err := readOnlyOpen(dir); err != nil || got != "&mode=ro" {
		t.Errorf("writable folder: %q, %v", got, err)
	}
}
