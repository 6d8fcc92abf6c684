package app

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"qcode"
	"qcode/codebook"
	"qcode/project"
	"qcode/search"
)

// CodebookFile is the codebook's name in a project folder.
const CodebookFile = "codebook.yaml"

// Options say where a front end works.
type Options struct {
	// Dir is the project folder, or any folder inside it; "" is the
	// working folder. The project is found as git finds a repository.
	Dir string
	// Codebook is a codebook file to use instead of the project's
	// codebook.yaml; "" for the project's.
	Codebook string
	// ReadOnly opens the store to read only: reading never waits for a
	// writer, and works in a folder the user may not write to.
	ReadOnly bool
	// Command names what the front end is doing, for the audit log.
	Command string
}

// Project is an open project: its store and where its codebook lives. It
// may be held open for as long as a front end likes (the browser workspace
// holds it for its whole run); each use case writes in short transactions,
// so other processes can work on the same project meanwhile.
type Project struct {
	*project.Project
	opts Options
	mu   sync.Mutex     // guards eng and indexMemory: a front end may search from many goroutines
	eng  *search.Engine // the search engine, made on first use
	// indexMemory is the process's soft memory limit while the index is
	// written (SetIndexMemory); 0 for none.
	indexMemory int64
	// codebook is the codebook last read without error, never handed
	// out (its copies are), so its matcher stays unmade.
	codebook *Codebook
	cbMu     sync.Mutex // guards codebook
}

// Open finds and opens the project that holds opts.Dir.
func Open(ctx context.Context, opts Options) (*Project, error) {
	dir, err := FindProject(opts.Dir)
	if err != nil {
		return nil, err
	}
	mode := project.ReadWrite
	if opts.ReadOnly {
		mode = project.ReadOnly
	}
	p, err := project.Open(ctx, dir, mode)
	if err != nil {
		return nil, project.Damaged(dir, err)
	}
	return &Project{Project: p, opts: opts}, nil
}

// Explain returns err as one line a user can act on when it is the store
// of the project in or above dir found damaged, naming its file and how to
// get the project back; any other err as it is. A front end calls it on
// what a use case returned: SQLite finds a damaged page only when a
// statement reads it, in whichever use case that is.
func Explain(dir string, err error) error {
	if err == nil {
		return nil
	}
	root, ferr := FindProject(dir)
	if ferr != nil {
		return err
	}
	return project.Damaged(root, err)
}

// Close lets go of the search index and closes the store.
func (p *Project) Close() error {
	err := p.CloseIndex()
	if cerr := p.Project.Close(); err == nil {
		err = cerr
	}
	return err
}

// FindProject returns the project folder that holds dir ("" for the
// working folder).
func FindProject(dir string) (string, error) {
	if dir == "" {
		dir = "."
	}
	return project.Find(dir)
}

// InitResult is what Init made.
type InitResult struct {
	Dir      string `json:"dir"`
	Codebook string `json:"codebook,omitempty"` // the default codebook's path, if Init wrote it
}

// Init makes dir a new project, and writes the default codebook into it
// unless the folder already has a codebook.yaml: a team's own is theirs.
func Init(ctx context.Context, dir string) (*InitResult, error) {
	p, err := project.Init(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	res := &InitResult{Dir: dir}
	if wrote, err := WriteDefaultCodebook(dir); err != nil {
		return nil, err
	} else if wrote {
		res.Codebook = filepath.Join(dir, CodebookFile)
	}
	return res, p.Close()
}

// IsProject says whether dir itself (not a parent) is a project folder.
func IsProject(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, project.Dirname, project.DBName))
	return err == nil
}

// WriteDefaultCodebook writes the default codebook to dir's codebook.yaml
// when there is none, and says whether it did.
func WriteDefaultCodebook(dir string) (bool, error) {
	path := filepath.Join(dir, CodebookFile)
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err := os.WriteFile(path, codebook.DefaultYAML(), 0o644); err != nil {
		return false, qcode.Errorf(qcode.EINVALID, "cannot write %s: %v", path, err)
	}
	return true, nil
}
