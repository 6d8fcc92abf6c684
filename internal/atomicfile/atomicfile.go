// Package atomicfile writes a file whole or not at all, for the packages
// that write files people open (export, refi). The files hold personal
// data (transcripts), so what it writes honours the umask, and its
// temporary files lie beside the file they become, never in the system's
// temporary folder, and do not outlive the process that wrote them: a
// front end removes those in flight when it is interrupted (RemoveInFlight),
// and the next write beside them removes those a killed process left.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"qcode"
)

// Write writes a file through fn into a temporary file beside path, syncs
// it and renames it into place, so that readers see the old file or the
// new one, never half of one; on any failure it removes the temporary file
// and leaves path as it was. The file keeps the mode of the one it
// replaces; a new one gets NewFileMode.
func Write(path string, fn func(*os.File) error) error {
	mode := NewFileMode()
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
	tmp, err := CreateTemp(path)
	if err != nil {
		return err
	}
	err = fn(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if err != nil {
		Remove(tmp)
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return Rename(tmp, path)
}

// NewFileMode is the mode of a new file: 0666 less the process's umask,
// as the shell and every editor make one, so that a user with umask 077
// gets files only they may read.
func NewFileMode() os.FileMode { return 0o666 &^ umask() }

// umask returns the process's umask, read from /proc where it can be
// read without changing it, since setting it, even to put it back, races
// with files being made meanwhile.
func umask() os.FileMode {
	if f, err := os.Open("/proc/self/status"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "Umask:"); ok {
				if m, err := strconv.ParseUint(strings.TrimSpace(v), 8, 32); err == nil {
					return os.FileMode(m)
				}
			}
		}
	}
	old := syscall.Umask(0o022)
	syscall.Umask(old)
	return os.FileMode(old)
}

// inFlight holds the temporary files and folders being written, by name.
var inFlight sync.Map

// tempPattern is the pattern of the temporary names beside path.
func tempPattern(path string) string { return "." + filepath.Base(path) + ".*.tmp" }

// CreateTemp makes a temporary file beside path, readable by its owner
// alone, for Rename to put in place or Remove to drop. It first removes
// what killed processes left beside path (see RemoveStale). The file is
// locked while open, so that another process's RemoveStale leaves it be.
func CreateTemp(path string) (*os.File, error) {
	RemoveStale(path)
	tmp, err := os.CreateTemp(filepath.Dir(path), tempPattern(path))
	if err != nil {
		return nil, qcode.Errorf(qcode.EINVALID, "cannot write %s: %v", path, err)
	}
	if err := syscall.Flock(int(tmp.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		Remove(tmp)
		return nil, fmt.Errorf("cannot write %s: %w", path, err)
	}
	inFlight.Store(tmp.Name(), tmp)
	if Created != nil {
		Created(tmp.Name())
	}
	return tmp, nil
}

// Created, when set, is called with the name of each temporary file
// CreateTemp makes, once it is in flight: the tests of a front end hold a
// write there to interrupt it.
var Created func(name string)

// Rename puts tmp, made by CreateTemp and written, in place as path and
// closes it; on failure it removes it. It renames before closing, so that
// the lock holds until the name is gone.
func Rename(tmp *os.File, path string) error {
	if err := os.Rename(tmp.Name(), path); err != nil {
		Remove(tmp)
		return qcode.Errorf(qcode.EINVALID, "cannot write %s: %v", path, err)
	}
	inFlight.Delete(tmp.Name())
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

// Remove closes and removes tmp, made by CreateTemp.
func Remove(tmp *os.File) {
	tmp.Close()
	os.Remove(tmp.Name())
	inFlight.Delete(tmp.Name())
}

// TempDir makes a folder beside path, open to its owner alone, for the
// temporary files of a library writing path (excelize's stream writer
// keeps each sheet in one until the workbook is packed), and returns it
// with the function that removes it. Like a file of CreateTemp it is
// locked while in use and removed on an interruption.
func TempDir(path string) (string, func(), error) {
	RemoveStale(path)
	dir, err := os.MkdirTemp(filepath.Dir(path), tempPattern(path))
	if err != nil {
		return "", nil, qcode.Errorf(qcode.EINVALID, "cannot write %s: %v", path, err)
	}
	lock, err := os.Open(dir)
	if err == nil {
		err = syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	}
	if err != nil {
		if lock != nil {
			lock.Close()
		}
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("cannot write %s: %w", path, err)
	}
	inFlight.Store(dir, lock)
	return dir, func() {
		os.RemoveAll(dir)
		lock.Close()
		inFlight.Delete(dir)
	}, nil
}

// RemoveStale removes the temporary files and folders beside path that no
// process is writing: those a process killed while writing path left. A
// process writing holds a lock on each of its own, which the kernel drops
// when it dies, so one that can be locked is stale.
func RemoveStale(path string) {
	names, _ := filepath.Glob(filepath.Join(filepath.Dir(path), tempPattern(path)))
	for _, name := range names {
		f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
		if err != nil {
			continue
		}
		if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
			os.RemoveAll(name)
		}
		f.Close()
	}
}

// RemoveInFlight removes every temporary file and folder this process is
// writing. A front end calls it when it is interrupted and cannot wait for
// the writes to stop by themselves; nothing may be written after it.
func RemoveInFlight() {
	inFlight.Range(func(name, _ any) bool {
		if err := os.RemoveAll(name.(string)); err == nil || errors.Is(err, os.ErrNotExist) {
			inFlight.Delete(name)
		}
		return true
	})
}
