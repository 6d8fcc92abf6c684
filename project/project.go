package project

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"qcode"
)

// Dirname is the folder inside a project that holds qcode's files.
const Dirname = ".qcode"

// DBName is the database file inside Dirname.
const DBName = "project.db"

//go:embed migrations/*.sql
var migrations embed.FS

// Project is an open project.
type Project struct {
	Dir  string // the project folder
	db   *sql.DB
	lock *os.File // held while open for writing
}

// Mode says whether a project is opened to read or to write.
type Mode int

// Open modes.
const (
	ReadOnly Mode = iota
	ReadWrite
)

// Find returns the project folder that holds dir: dir itself or its nearest
// parent with a .qcode/project.db.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, Dirname, DBName)); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", qcode.Errorf(qcode.ENOTFOUND, "%s is not in a qcode project (no %s folder here or above); run 'qcode init DIR' or say --project DIR", abs, Dirname)
		}
	}
}

// Init makes dir a new project: it creates the folder if needed and an empty,
// migrated store. A folder that already holds a project is an error.
func Init(ctx context.Context, dir string) (*Project, error) {
	if _, err := os.Stat(filepath.Join(dir, Dirname, DBName)); err == nil {
		return nil, qcode.Errorf(qcode.ECONFLICT, "%s is already a qcode project", dir)
	}
	if err := os.MkdirAll(filepath.Join(dir, Dirname), 0o755); err != nil {
		return nil, qcode.Errorf(qcode.EINVALID, "cannot create project folder: %v", err)
	}
	return Open(ctx, dir, ReadWrite, "init")
}

// Open opens the project in dir. In ReadWrite mode it takes the project's
// write lock first, naming command as the holder, and fails at once with a
// qcode.EBUSY error while another process holds it.
func Open(ctx context.Context, dir string, mode Mode, command string) (*Project, error) {
	dbPath := filepath.Join(dir, Dirname, DBName)
	p := &Project{Dir: dir}
	if mode == ReadWrite {
		if err := checkWritable(dir); err != nil {
			return nil, err
		}
		lock, err := acquireLock(filepath.Join(dir, Dirname, "lock"), command)
		if err != nil {
			return nil, err
		}
		p.lock = lock
	} else if _, err := os.Stat(dbPath); err != nil {
		return nil, qcode.Errorf(qcode.ENOTFOUND, "%s is not a qcode project (no %s); run 'qcode init %s' first", dir, filepath.Join(Dirname, DBName), dir)
	}
	// busy_timeout covers the short window in which a reader meets a
	// checkpoint; writers are kept apart by the lock, not by SQLite.
	// Reads go through a memory map rather than a read call per page:
	// a search reads the texts of many sources at random.
	dsn := "file:" + dbPath + "?_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=mmap_size(1073741824)&_txlock=immediate"
	if mode == ReadWrite {
		dsn += "&_pragma=journal_mode(WAL)"
	} else {
		dsn += "&mode=ro"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		p.release()
		return nil, err
	}
	db.SetMaxOpenConns(1)
	p.db = db
	if err := db.PingContext(ctx); err != nil {
		p.Close()
		return nil, qcode.Errorf(qcode.EINVALID, "cannot open %s: %v; is it a qcode project?", dbPath, err)
	}
	if mode == ReadWrite {
		if err := p.migrate(ctx); err != nil {
			p.Close()
			return nil, err
		}
	} else if err := p.checkVersion(ctx); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// Close closes the store and releases the write lock.
func (p *Project) Close() error {
	var err error
	if p.db != nil {
		err = p.db.Close()
	}
	p.release()
	return err
}

func (p *Project) release() {
	if p.lock != nil {
		p.lock.Close() // closing the descriptor drops the flock
		p.lock = nil
	}
}

// checkWritable refuses a project folder without write permission. It checks
// the mode bits rather than trying to write, so that root, who may write
// anywhere, is told too.
func checkWritable(dir string) error {
	for _, d := range []string{dir, filepath.Join(dir, Dirname)} {
		st, err := os.Stat(d)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return qcode.Errorf(qcode.ENOTFOUND, "%s is not a qcode project; run 'qcode init %s' first", dir, dir)
			}
			return err
		}
		if st.Mode().Perm()&0o200 == 0 {
			return qcode.Errorf(qcode.EINVALID, "project folder %s is read-only; make it writable (chmod u+w %s) or work on a copy", d, d)
		}
	}
	return nil
}

// acquireLock takes an exclusive flock on path without waiting and writes
// the holder's pid and command into it. The kernel drops the lock when the
// process exits, so a killed qcode never leaves a stale lock behind.
func acquireLock(path, command string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, qcode.Errorf(qcode.EINVALID, "cannot open the project's lock file: %v", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		pid, cmd := parseHolder(string(holder))
		return nil, qcode.Errorf(qcode.EBUSY, "project is busy (pid %s, %s): another qcode is writing to it; wait for it to finish and try again", pid, cmd)
	}
	if err := f.Truncate(0); err == nil {
		fmt.Fprintf(f, "%d\nqcode %s\n", os.Getpid(), command)
	}
	return f, nil
}

func parseHolder(s string) (pid, command string) {
	lines := strings.SplitN(strings.TrimSpace(s), "\n", 2)
	pid, command = "unknown", "qcode"
	if len(lines) > 0 {
		if _, err := strconv.Atoi(lines[0]); err == nil {
			pid = lines[0]
		}
	}
	if len(lines) > 1 {
		command = lines[1]
	}
	return pid, command
}

// migrate applies the embedded migrations the database has not seen, each
// in its own transaction, recording the schema version in user_version.
func (p *Project) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	var version int
	if err := p.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version > len(names) {
		return qcode.Errorf(qcode.EINVALID, "project schema version %d is newer than this qcode knows (%d); update qcode", version, len(names))
	}
	for i := version; i < len(names); i++ {
		script, err := migrations.ReadFile(names[i])
		if err != nil {
			return err
		}
		err = p.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(script)); err != nil {
				return fmt.Errorf("migration %s: %w", names[i], err)
			}
			if step := migrationSteps[path.Base(names[i])]; step != nil {
				if err := step(ctx, tx); err != nil {
					return fmt.Errorf("migration %s: %w", names[i], err)
				}
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// migrationSteps are the steps of migrations that SQL alone cannot take,
// run after the migration's script in its transaction.
var migrationSteps = map[string]func(context.Context, *sql.Tx) error{
	"0003_rules_codings.sql": migrateRulesCodings,
}

func (p *Project) checkVersion(ctx context.Context) error {
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	var version int
	if err := p.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version != len(names) {
		return qcode.Errorf(qcode.EINVALID, "project schema is at version %d, this qcode expects %d; run a command that writes (e.g. 'qcode import') to upgrade it", version, len(names))
	}
	return nil
}

// tx runs fn in one transaction, committing if it returns nil.
func (p *Project) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := p.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// now is the clock, replaced in tests.
var now = func() time.Time { return time.Now().UTC() }
