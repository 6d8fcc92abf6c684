package search

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"qcode"
)

// The index folder holds generations of the index, each a complete bleve
// index with its sentence file in a folder gen-N, and the file current,
// which names the live one. A writer never changes a generation a reader
// may have open: it makes the next one beside it, from hard links of the
// live one's files (scorch never changes a segment file once written, and
// the sentence file is replaced by rename), and then replaces current by
// rename, so a reader opens either the old generation whole or the new one
// whole, never a half-made one, and never waits for a writer. Bleve's own
// lock (a flock on root.bolt, shared by readers) tells the writer which old
// generations are still open: it removes the others.
const (
	currentName = "current"
	genPrefix   = "gen-"
	// oldPrefix names a generation being removed: renamed first, so that
	// no reader opens it by its name while its files go.
	oldPrefix = ".old-"
)

// Legacy names: an index made before generations kept its files in the
// index folder itself.
var legacyNames = []string{"index_meta.json", "store", sentencesName}

// genPath returns the folder of the generation gen.
func (e *Engine) genPath(gen string) string { return filepath.Join(e.path, gen) }

// live returns the name of the live generation, or "" when there is none.
// A current file that names no generation is damage, which making the
// index anew mends.
func (e *Engine) live() (string, error) {
	raw, err := os.ReadFile(filepath.Join(e.path, currentName))
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	gen := strings.TrimSpace(string(raw))
	if _, ok := genNumber(gen); !ok {
		return "", damaged(qcode.EINTERNAL, "the search index's file %s names no index", filepath.Join(e.path, currentName))
	}
	return gen, nil
}

// genNumber returns N of a generation's name gen-N.
func genNumber(name string) (int, bool) {
	s, ok := strings.CutPrefix(name, genPrefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0 && strconv.Itoa(n) == s
}

// openLive opens the live generation to read and returns it with its name.
// A writer may replace the live generation and remove the old one between
// reading its name and opening it: then it opens the new one. No index at
// all is ErrMissing.
func (e *Engine) openLive() (*Index, string, error) {
	var lastErr error
	for range 20 {
		gen, err := e.live()
		if err != nil {
			return nil, "", err
		}
		if gen == "" {
			if e.hasLegacy() {
				return nil, "", ErrFormat
			}
			return nil, "", ErrMissing
		}
		ix, err := Open(e.genPath(gen), false)
		if err == nil {
			return ix, gen, nil
		}
		if now, lerr := e.live(); lerr == nil && now == gen {
			return nil, gen, err
		}
		lastErr = err // replaced meanwhile: open the new one
	}
	return nil, "", lastErr
}

// hasLegacy reports whether the index folder holds an index made before
// generations.
func (e *Engine) hasLegacy() bool {
	_, err := os.Lstat(filepath.Join(e.path, "index_meta.json"))
	return err == nil
}

// nextGen returns the name of a generation newer than any in the folder,
// making the folder if need be. Call it with the write lock held.
func (e *Engine) nextGen() (string, error) {
	if err := os.MkdirAll(e.path, 0o755); err != nil {
		return "", err
	}
	ents, err := os.ReadDir(e.path)
	if err != nil {
		return "", err
	}
	top := 0
	for _, d := range ents {
		if n, ok := genNumber(d.Name()); ok && n > top {
			top = n
		}
	}
	return genPrefix + strconv.Itoa(top+1), nil
}

// cloneGen makes the generation to from the files of from: hard links of
// its segment files and its sentence file, which are never changed in
// place, and a copy of the rest (bleve's small root file and metadata),
// which the writer of to changes. It costs a copy of a few kilobytes
// however large the index.
func (e *Engine) cloneGen(from, to string) error {
	src, dst := e.genPath(from), e.genPath(to)
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.Mkdir(target, 0o755)
		case !d.Type().IsRegular() || strings.HasPrefix(d.Name(), ".tmp-"):
			return nil
		case strings.HasSuffix(d.Name(), ".zap") || d.Name() == sentencesName:
			return os.Link(path, target)
		}
		return copyFile(path, target)
	})
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// publish makes gen the live generation: it writes current anew beside
// itself and renames it into place, so that a reader reads the old name or
// the new one.
func (e *Engine) publish(gen string) error {
	tmp, err := os.CreateTemp(e.path, ".tmp-current-")
	if err != nil {
		return err
	}
	err = tmp.Chmod(0o644) // as readable as the sentence file
	if err == nil {
		_, err = tmp.WriteString(gen + "\n")
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(e.path, currentName))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if d, err := os.Open(e.path); err == nil {
		d.Sync() // the rename outlives a crash; without it the old generation stays live, which is no harm
		d.Close()
	}
	return nil
}

// removeOld removes what the index folder holds besides current and the
// generation keep: older generations no reader has open, generations a
// writer that died left half made, an index made before generations, and
// temporary files. A generation a reader still has open stays, for a later
// writer to remove. Call it with the write lock held.
func (e *Engine) removeOld(keep string) {
	ents, err := os.ReadDir(e.path)
	if err != nil {
		return
	}
	legacy := false
	for _, d := range ents {
		name := d.Name()
		switch {
		case name == currentName || name == keep:
		case strings.HasPrefix(name, ".tmp-") || strings.HasPrefix(name, oldPrefix):
			os.RemoveAll(filepath.Join(e.path, name))
		case strings.HasPrefix(name, genPrefix):
			e.removeGen(name)
		default:
			for _, l := range legacyNames {
				legacy = legacy || name == l
			}
		}
	}
	if legacy && !inUse(e.path) {
		for _, l := range legacyNames {
			os.RemoveAll(filepath.Join(e.path, l))
		}
	}
}

// removeGen removes the generation gen unless a reader has it open. It
// renames the folder first, holding bleve's lock meanwhile, so that a
// reader that read its name before it ceased to be live finds nothing
// rather than part of it, and opens the live one instead.
func (e *Engine) removeGen(gen string) {
	path := e.genPath(gen)
	f, err := os.OpenFile(filepath.Join(path, "store", "root.bolt"), os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err == nil {
		defer f.Close()
		if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
			return // open in a reader
		}
	}
	old := filepath.Join(e.path, oldPrefix+gen)
	if os.Rename(path, old) == nil {
		os.RemoveAll(old)
	}
}

// inUse reports whether a reader has the bleve index in dir open.
func inUse(dir string) bool {
	f, err := os.OpenFile(filepath.Join(dir, "store", "root.bolt"), os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil
}

// writeLockWait is how long an update waits for another process's update
// of the index to finish (a variable for tests).
var writeLockWait = 5 * time.Second

// lockWrite takes the index's write lock, an exclusive flock on a file
// beside it, waiting up to writeLockWait for another process's update to
// finish. Only an update takes it, and only while it writes: searches
// never do. The kernel drops it when the process dies. The file is opened
// without following a symbolic link and must be a regular file, so that
// the lock writes and locks nothing it points to.
func (e *Engine) lockWrite(ctx context.Context) (*os.File, error) {
	name := e.path + ".lock"
	var f *os.File
	var err error
	// A folder without write permission is read-only to root too, who
	// could write it: qcode goes by its mode, as the store does.
	if st, serr := os.Stat(filepath.Dir(e.path)); serr == nil && st.Mode().Perm()&0o200 == 0 {
		err = fs.ErrPermission
	} else {
		f, err = os.OpenFile(name, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o644)
	}
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
		dir := filepath.Dir(e.path)
		return nil, qcode.Errorf(qcode.EINVALID, "project folder %s is read-only, so its search index cannot be brought up to date; make it writable (chmod u+w %s) or work on a copy", dir, dir)
	}
	if errors.Is(err, syscall.ELOOP) {
		return nil, notLockFile(name, "a symbolic link")
	}
	if errors.Is(err, syscall.EISDIR) {
		return nil, notLockFile(name, "not a regular file")
	}
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		if err != nil {
			return nil, err
		}
		return nil, notLockFile(name, "not a regular file")
	}
	deadline := time.Now().Add(writeLockWait)
	for pause := time.Millisecond; ; pause = min(2*pause, 50*time.Millisecond) {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, err
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, qcode.Errorf(qcode.EBUSY, "another qcode is updating the search index; try again when it has finished")
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(pause):
		}
	}
}

// notLockFile is the error for a lock file that is not one qcode made.
func notLockFile(name, what string) error {
	return qcode.Errorf(qcode.EINVALID, "%s is %s, not qcode's lock file; remove it (qcode makes it anew)", name, what)
}

// openDamage turns an error opening a generation into one that says the
// index is damaged, unless it says something else a user can act on (the
// index busy, the project unreadable) or is already one.
func openDamage(path string, err error) error {
	if err == nil || errors.Is(err, ErrDamaged) || errors.Is(err, ErrMissing) || errors.Is(err, ErrFormat) ||
		qcode.ErrorCode(err) == qcode.EBUSY || errors.Is(err, fs.ErrPermission) {
		return err
	}
	return &qcode.Error{Code: qcode.EINTERNAL, Message: fmt.Sprintf("the search index %s cannot be read", path),
		Help: qcode.HelpRebuildIndex, Err: fmt.Errorf("%w: %w", ErrDamaged, err)}
}

// writeFailed words an error making the generation at path: bleve's own
// words say nothing a user can act on, the system's (a full disk, a
// folder one may not write) do. The error stays behind the message.
func writeFailed(path string, err error) error {
	var qe *qcode.Error
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &qe) {
		return err
	}
	msg := "cannot write the search index in " + path
	var errno syscall.Errno
	if errors.As(err, &errno) {
		msg += ": " + errno.Error()
	}
	return &qcode.Error{Code: qcode.EINTERNAL, Message: msg, Err: err}
}
