// Package atomicfile writes a file whole or not at all, for the packages
// that write files people open (export, refi).
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"

	"qcode"
)

// Write writes a file through fn into a temporary file beside path, syncs
// it and renames it into place, so that readers see the old file or the
// new one, never half of one; on any failure it removes the temporary file
// and leaves path as it was. The file keeps the mode of the one it
// replaces (0644 for a new one).
func Write(path string, fn func(*os.File) error) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	return WriteMode(path, mode, fn)
}

// WriteMode is Write giving the file the mode perm, whatever the file it
// replaces had: 0600 for a file only its owner may read. The temporary
// file is made readable by its owner alone, so the content is never open
// to others, not even while it is written.
func WriteMode(path string, mode os.FileMode, fn func(*os.File) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return qcode.Errorf(qcode.EINVALID, "cannot write %s: %v", path, err)
	}
	name := tmp.Name()
	err = fn(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return qcode.Errorf(qcode.EINVALID, "cannot write %s: %v", path, err)
	}
	return nil
}
