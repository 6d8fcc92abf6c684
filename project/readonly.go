package project

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"qcode"
)

// readOnlyOpen says how a reading command opens the store: "mode=ro", and
// with "immutable=1" added when SQLite could not otherwise open it.
//
// The store is in WAL mode, and SQLite reads a WAL database only through
// its -shm file: it opens read-only when the -shm and -wal files exist or
// can be made. In a folder no one may write to, with no -wal file (the
// last qcode to close the store removed it), neither holds. There the
// store is opened immutable, which reads the database file alone, without
// locking; so it is also wherever the -wal file is empty, holding nothing
// the database file lacks. Immutable is safe only where no writer can
// exist, so it is chosen only when the folder has no write permission for
// anyone or lies on a read-only file system; root, whom permissions do not
// stop, then writes nothing either, not even the -shm file. A folder that
// someone else may write to gets no immutable open: a writer could change
// the file under the reader.
func readOnlyOpen(dir string) (string, error) {
	qdir := filepath.Join(dir, Dirname)
	if st, err := os.Stat(filepath.Join(qdir, DBName+"-wal")); !errors.Is(err, fs.ErrNotExist) && (err != nil || st.Size() > 0) {
		return "&mode=ro", nil
	}
	if noOneWrites(qdir) || readOnlyFS(qdir) {
		return "&mode=ro&immutable=1", nil
	}
	if unix.Access(qdir, unix.W_OK) == nil {
		return "&mode=ro", nil
	}
	return "", qcode.Errorf(qcode.EINVALID, "cannot read the project in %s: you may not write to %s, and another person who may could be changing it; work on a copy, or ask its owner to make it read-only for all (chmod -R a-w)", dir, qdir)
}

// noOneWrites reports whether dir's mode lets no one write to it. Root
// may write all the same, but qcode refuses to write to such a folder
// (see checkWritable), so no qcode does.
func noOneWrites(dir string) bool {
	st, err := os.Stat(dir)
	return err == nil && st.Mode().Perm()&0o222 == 0
}

// readOnlyFS reports whether path lies on a file system mounted read-only,
// where no one, root included, can write.
func readOnlyFS(path string) bool {
	var st unix.Statfs_t
	return unix.Statfs(path, &st) == nil && st.Flags&unix.ST_RDONLY != 0
}
