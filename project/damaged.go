package project

import (
	"errors"
	"fmt"
	"path/filepath"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"qcode"
)

// Damaged returns err, when it is SQLite finding the store of the project
// in dir damaged (a page that is not what it should be, a file that is no
// database), as one line that names the file and says how to get the
// project back; any other err as it is. The store is the truth, so unlike
// the index it cannot be made anew: the user restores or recovers it.
func Damaged(dir string, err error) error {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code() & 0xff {
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
	default:
		return err
	}
	db := filepath.Join(dir, Dirname, DBName)
	return &qcode.Error{Code: qcode.EINTERNAL, Err: err, Message: fmt.Sprintf(
		"%s is damaged (%s); restore it from a backup, or recover what it holds with 'sqlite3 %s .recover | sqlite3 recovered.db' and put recovered.db in its place",
		db, e.Error(), db)}
}
