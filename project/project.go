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
	"time"

	"modernc.org/sqlite" // also registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"

	"qcode"
)

// Dirname is the folder inside a project that holds qcode's files.
const Dirname = ".qcode"

// DBName is the database file inside Dirname.
const DBName = "project.db"

//go:embed migrations/*.sql
var migrations embed.FS

// BusyTimeout is how long a write waits for another process's write to
// the project to finish before giving up with a qcode.EBUSY error. Writes
// are short transactions, so a few seconds covers all but a collision
// with a long one (a large import, a rules run over a large corpus); tests
// shorten it to meet such a collision at once.
var BusyTimeout = 5 * time.Second

// Project is an open project. Any number of processes may hold one project
// open, to read or to write, at once: nothing is locked between calls, and
// each write is one transaction that SQLite keeps apart from the others'.
type Project struct {
	Dir string // the project folder
	db  *sql.DB
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
			return "", &qcode.Error{Code: qcode.ENOTFOUND, Help: qcode.HelpProject,
				Message: fmt.Sprintf("%s is not in a qcode project (no %s folder here or above)", abs, Dirname)}
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
	return Open(ctx, dir, ReadWrite)
}

// ReadConns is how many read transactions a project opened to read may
// have open at once, each on a connection of its own (opened when first
// needed); a project opened to write has one connection.
const ReadConns = 4

// Open opens the project in dir, to read or to write. Opening takes no
// lock: in ReadWrite mode each write is a transaction that waits up to
// BusyTimeout for another process's write to end, and fails with a
// qcode.EBUSY error past that. Readers read a committed state of the
// project and never wait for a writer.
func Open(ctx context.Context, dir string, mode Mode) (*Project, error) {
	dbPath := filepath.Join(dir, Dirname, DBName)
	p := &Project{Dir: dir}
	if mode == ReadWrite {
		if err := checkWritable(dir); err != nil {
			return nil, err
		}
	} else if _, err := os.Stat(dbPath); err != nil {
		return nil, qcode.Errorf(qcode.ENOTFOUND, "%s is not a qcode project (no %s); run 'qcode init %s' first", dir, filepath.Join(Dirname, DBName), dir)
	}
	// busy_timeout is the wait for another process's write (and, for a
	// reader, the short window in which it meets a checkpoint). Writes
	// begin IMMEDIATE, taking the write lock before they read, so that
	// what a write checks cannot change before it commits.
	// Pages are read into SQLite's own cache (2 MB), not through a
	// memory map: every page of a map a command touches stays in its
	// resident memory, so a 64 MiB map made a search or a report of 10M
	// words hold 64 MiB more than one of 1M words, and cost no less
	// processor time than a read call per page (the file's pages are in
	// the system's cache either way).
	dsn := fmt.Sprintf("file:%s?_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=mmap_size(0)&_txlock=immediate",
		dbPath, BusyTimeout.Milliseconds())
	if mode == ReadWrite {
		dsn += "&_pragma=journal_mode(WAL)"
	} else {
		ro, err := readOnlyOpen(dir)
		if err != nil {
			return nil, err
		}
		dsn += ro
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	// A writer keeps to one connection, so that its writes queue in the
	// process rather than in SQLite's busy wait. A reader may read on up
	// to ReadConns connections at once, each in a read transaction of its
	// own: the workbook reads its sheets side by side.
	conns := 1
	if mode != ReadWrite {
		conns = ReadConns
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	p.db = db
	if err := db.PingContext(ctx); err != nil {
		p.Close()
		if busy := storeBusy(err); busy != err {
			return nil, busy
		}
		if damaged := Damaged(dir, err); damaged != err {
			return nil, damaged
		}
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

// Close closes the store.
func (p *Project) Close() error {
	var err error
	if p.db != nil {
		err = p.db.Close()
	}
	return err
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
		if readOnlyFS(d) {
			return qcode.Errorf(qcode.EINVALID, "project folder %s is read-only (its file system is mounted read-only); work on a copy", d)
		}
		if st.Mode().Perm()&0o200 == 0 {
			return qcode.Errorf(qcode.EINVALID, "project folder %s is read-only; make it writable (chmod u+w %s) or work on a copy", d, d)
		}
	}
	db := filepath.Join(dir, Dirname, DBName)
	if st, err := os.Stat(db); err == nil && st.Mode().Perm()&0o200 == 0 {
		return qcode.Errorf(qcode.EINVALID, "project file %s is read-only; make it writable (chmod u+w %s) or work on a copy", db, db)
	}
	return nil
}

// migrate applies the embedded migrations the database has not seen, each
// in its own transaction, recording the schema version in user_version.
// Another process may be upgrading the same project at the same moment:
// each transaction reads the version again once it holds the write lock,
// and applies the next migration only if it is still missing.
func (p *Project) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	version, err := schemaVersion(ctx, p.db)
	if err != nil {
		return err
	}
	if version < len(names) {
		beforeMigration()
	}
	for version < len(names) {
		err := p.tx(ctx, func(tx *sql.Tx) error {
			v, err := schemaVersion(ctx, tx)
			if version = v; err != nil || version >= len(names) {
				return err
			}
			name := names[version]
			script, err := migrations.ReadFile(name)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(script)); err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
			if step := migrationSteps[path.Base(name)]; step != nil {
				if err := step(ctx, tx); err != nil {
					return fmt.Errorf("migration %s: %w", name, err)
				}
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version+1)); err != nil {
				return err
			}
			version++
			return nil
		})
		if err != nil {
			return err
		}
	}
	if version > len(names) {
		return p.newer(version, len(names))
	}
	return nil
}

// newer is the error for a store whose schema version is past the one
// this qcode knows: a newer qcode made it, and upgrading qcode, not the
// project, mends that.
func (p *Project) newer(version, known int) error {
	return qcode.Errorf(qcode.EINVALID, "%s was made by a newer qcode (schema version %d; this one reads up to %d); upgrade qcode to open it",
		filepath.Join(p.Dir, Dirname, DBName), version, known)
}

// beforeMigration runs between reading an old schema version and
// upgrading it: where two processes opening an old project meet. Tests
// hold both there.
var beforeMigration = func() {}

func schemaVersion(ctx context.Context, q queryer) (int, error) {
	var version int
	err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version)
	return version, err
}

// migrationSteps are the steps of migrations that SQL alone cannot take,
// run after the migration's script in its transaction.
var migrationSteps = map[string]func(context.Context, *sql.Tx) error{
	"0003_rules_codings.sql": migrateRulesCodings,
}

func (p *Project) checkVersion(ctx context.Context) error {
	version, err := schemaVersion(ctx, p.db)
	if err != nil {
		return err
	}
	if want := SchemaVersion(); version > want {
		return p.newer(version, want)
	} else if version != want {
		return qcode.Errorf(qcode.EINVALID, "project schema is at version %d, this qcode expects %d; run a command that writes (e.g. 'qcode import') to upgrade it", version, want)
	}
	return nil
}

// SchemaVersion returns the version of the store's schema this qcode reads
// and writes: the number of migrations embedded in it, which opening a
// project for writing applies and records as the database's user_version.
func SchemaVersion() int {
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	return len(names)
}

// tx runs fn in one write transaction, committing if it returns nil. The
// transaction holds the store's write lock from its start, so what fn reads
// no other writer changes before it commits: a write checks what it relies
// on inside fn. Another process's write past BusyTimeout is a qcode.EBUSY
// error, and nothing is written.
func (p *Project) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := p.db.BeginTx(ctx, nil)
	if err != nil {
		return storeBusy(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return storeBusy(err)
	}
	return storeBusy(tx.Commit())
}

// storeBusy turns SQLite's busy and locked results, which a statement gets
// when another connection held what it needed for longer than the busy
// wait, into a qcode.EBUSY error; it returns any other error as it is.
func storeBusy(err error) error {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code() & 0xff { // the primary result code of an extended one
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return &qcode.Error{Code: qcode.EBUSY, Message: "another qcode is writing to the project; try again when it has finished", Err: err}
	}
	return err
}

// now is the clock, replaced in tests.
var now = func() time.Time { return time.Now().UTC() }
