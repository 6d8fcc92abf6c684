// Package treetest helps tests of read-only and damaged projects: it
// takes write permission away from a folder tree, as chmod -R a-w does,
// lists a tree so that a test can tell that nothing in it changed, and
// damages a store's pages as a failing disk does.
package treetest

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ReadOnly takes write permission away from everything under dir, after
// giving it to the user owner when owner is not negative, and gives the
// owner's back when the test ends, so that the folder can be removed.
func ReadOnly(tb testing.TB, dir string, owner int) {
	tb.Helper()
	walk(tb, dir, func(path string, st fs.FileInfo) error {
		if owner >= 0 {
			if err := os.Lchown(path, owner, owner); err != nil {
				return err
			}
		}
		return os.Chmod(path, st.Mode().Perm()&^0o222)
	})
	tb.Cleanup(func() { Writable(tb, dir) })
}

// Writable gives the owner write permission to everything under dir.
func Writable(tb testing.TB, dir string) {
	tb.Helper()
	walk(tb, dir, func(path string, st fs.FileInfo) error { return os.Chmod(path, st.Mode().Perm()|0o200) })
}

// walk calls fn with each file and folder under dir, not following links.
func walk(tb testing.TB, dir string, fn func(path string, st fs.FileInfo) error) {
	tb.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		st, err := os.Lstat(path)
		if err != nil {
			return err
		}
		return fn(path, st)
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// List lists the files and folders under dir, each with its mode, size and
// time of change.
func List(tb testing.TB, dir string) string {
	tb.Helper()
	var b strings.Builder
	walk(tb, dir, func(path string, st fs.FileInfo) error {
		rel, _ := filepath.Rel(dir, path)
		fmt.Fprintf(&b, "%s %s %d %s; ", rel, st.Mode(), st.Size(), st.ModTime())
		return nil
	})
	return b.String()
}

// DamagePages overwrites the second half of the SQLite file at path, page
// by page, with a pattern no page holds: a store damaged where SQLite finds
// it only when a statement reads those pages.
func DamagePages(tb testing.TB, path string) {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	const page = 4096
	for at := len(data) / page / 2 * page; at+page <= len(data); at += page {
		copy(data[at:at+page], strings.Repeat("\xde\xad\xbe\xef", page/4))
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		tb.Fatal(err)
	}
}
