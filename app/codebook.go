package app

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
)

// Codebook is a codebook as a use case has it: checked, with where it came
// from and the hash of the very bytes read, which every rules coding
// records.
type Codebook struct {
	*codebook.Codebook
	Path  string // the file read
	Shown string // the path as the user knows it: relative to the working folder when inside it
	Hash  string // coding.CodebookHash of Data
	Data  []byte

	matcher *codebook.Matcher
	// compiled is the Matcher that loading the codebook compiled, shared
	// by the copies Project.Codebook hands out, each matching with a
	// clone of it.
	compiled *codebook.Matcher
}

// CodebookPath returns the codebook a front end with opts works with:
// opts.Codebook, else the project's codebook.yaml.
func CodebookPath(opts Options) (string, error) {
	if opts.Codebook != "" {
		return opts.Codebook, nil
	}
	root, err := FindProject(opts.Dir)
	if err != nil {
		return "", err
	}
	return filepath.Join(root, CodebookFile), nil
}

// OpenCodebook reads and checks the codebook of opts, in any format
// codebook.LoadAny reads. A codebook with problems is an error that
// codebook.AsProblems lists.
func OpenCodebook(opts Options) (*Codebook, error) {
	path, err := CodebookPath(opts)
	if err != nil {
		return nil, err
	}
	return ReadCodebook(path)
}

// ReadCodebook reads and checks the codebook in the file at path.
func ReadCodebook(path string) (*Codebook, error) {
	cb := &Codebook{Path: path, Shown: ShownPath(path)}
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return cb, qcode.Errorf(qcode.ENOTFOUND, "%s: no codebook; write one, or import one (qcode codebook import FILE)", path)
		}
		return cb, qcode.Errorf(qcode.EINVALID, "%s: cannot read: %v", path, err)
	}
	return loadCodebook(cb, data)
}

// loadCodebook reads and checks the codebook data into cb.
func loadCodebook(cb *Codebook, data []byte) (*Codebook, error) {
	var err error
	cb.Data, cb.Hash = data, coding.CodebookHash(data)
	cb.Codebook, cb.compiled, err = codebook.LoadAnyCompiled(cb.Shown, data)
	return cb, err
}

// Codebook returns the codebook this project's front end works with, read
// afresh, so that an edit to the file counts at once. A codebook read
// before with the same bytes is not parsed again (a page of the browser
// workspace asks for it several times): the caller gets its own copy of
// the Codebook, sharing the code tree, which nobody changes.
func (p *Project) Codebook() (*Codebook, error) {
	opts := p.opts
	opts.Dir = p.Dir
	path, err := CodebookPath(opts)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return ReadCodebook(path)
	}
	p.cbMu.Lock()
	last := p.codebook
	p.cbMu.Unlock()
	if last != nil && last.Path == path && bytes.Equal(last.Data, data) {
		cb := *last
		return &cb, nil
	}
	cb, err := loadCodebook(&Codebook{Path: path, Shown: ShownPath(path)}, data)
	if err != nil {
		return cb, err
	}
	kept := *cb
	p.cbMu.Lock()
	p.codebook = &kept
	p.cbMu.Unlock()
	return cb, nil
}

// searchBook is the codebook a search works with, read on another
// goroutine while the search opens the store and the index, and its rules
// checked on yet another (codebook.LoadChecking) while the search finds
// its candidates. A codebook read before is taken as it is.
type searchBook struct {
	p        *Project
	read     chan struct{} // closed once cb, qs and err are set
	cb       *Codebook
	qs       *codebook.Queries // what the query compiles against
	checking *codebook.Checking
	err      error
	once     sync.Once
	checkErr error
}

// readSearchBook starts reading the codebook of a search.
func (p *Project) readSearchBook() *searchBook {
	b := &searchBook{p: p, read: make(chan struct{})}
	go func() {
		defer close(b.read)
		b.cb, b.qs, b.checking, b.err = p.searchCodebook()
	}()
	return b
}

// searchCodebook reads the codebook of a search: with checking when its
// rules are being checked still, nil when they are checked already.
func (p *Project) searchCodebook() (*Codebook, *codebook.Queries, *codebook.Checking, error) {
	opts := p.opts
	opts.Dir = p.Dir
	path, err := CodebookPath(opts)
	if err != nil {
		return nil, nil, nil, err
	}
	data, err := os.ReadFile(path)
	p.cbMu.Lock()
	last := p.codebook
	p.cbMu.Unlock()
	if err == nil && (last == nil || last.Path != path || !bytes.Equal(last.Data, data)) {
		cb := &Codebook{Path: path, Shown: ShownPath(path), Data: data, Hash: coding.CodebookHash(data)}
		var qs *codebook.Queries
		var checking *codebook.Checking
		if cb.Codebook, qs, checking, err = codebook.LoadAnyChecking(cb.Shown, data); err != nil {
			return nil, nil, nil, err
		}
		if checking != nil {
			return cb, qs, checking, nil
		} // else another format, whose rules are checked as they compile
		m, err := cb.Matcher()
		if err != nil {
			return nil, nil, nil, err
		}
		return cb, m.Queries(), nil, nil
	}
	cb, err := p.Codebook()
	if err != nil {
		return nil, nil, nil, err
	}
	m, err := cb.Matcher()
	if err != nil {
		return nil, nil, nil, err
	}
	return cb, m.Queries(), nil, nil
}

// codebook waits for the codebook to be read.
func (b *searchBook) codebook() (*Codebook, error) {
	<-b.read
	return b.cb, b.err
}

// rules waits for the codebook to be read and returns what the query
// compiles against.
func (b *searchBook) rules() (*codebook.Queries, error) {
	<-b.read
	return b.qs, b.err
}

// checked waits for the codebook to be read and checked, and returns the
// error Codebook would have returned. A codebook that passes is kept as
// Codebook keeps it.
func (b *searchBook) checked() error {
	<-b.read
	if b.err != nil || b.checking == nil {
		return b.err
	}
	b.once.Do(func() {
		var m *codebook.Matcher
		if m, b.checkErr = b.checking.Wait(); b.checkErr == nil {
			kept := *b.cb
			kept.compiled = m
			b.p.cbMu.Lock()
			b.p.codebook = &kept
			b.p.cbMu.Unlock()
		}
	})
	return b.checkErr
}

// Matcher returns the codebook's rules compiled, compiling them once.
func (c *Codebook) Matcher() (*codebook.Matcher, error) {
	if c.matcher == nil && c.compiled != nil {
		c.matcher = c.compiled.Clone()
	}
	if c.matcher == nil {
		m, err := codebook.NewMatcher(c.Codebook)
		if err != nil {
			return nil, qcode.Errorf(qcode.EINVALID, "%s: %v", c.Shown, err)
		}
		c.matcher = m
	}
	return c.matcher, nil
}

// IDs returns every code's id in codebook order.
func (c *Codebook) IDs() []string { return CodeIDs(c.Codebook) }

// CodeIDs returns every code's id in cb, in codebook order.
func CodeIDs(cb *codebook.Codebook) []string {
	var ids []string
	cb.Walk(func(c *codebook.Code) { ids = append(ids, c.ID) })
	return ids
}

// CountCodes returns how many codes cb has, at every depth.
func CountCodes(cb *codebook.Codebook) int {
	n := 0
	cb.Walk(func(*codebook.Code) { n++ })
	return n
}

// Resolve returns the id of the code that given names: its id, or else its
// name or path when one code alone has it (any case). Anything else is
// returned as it is, for CheckCode to judge.
func (c *Codebook) Resolve(given string) (string, error) {
	given = strings.TrimSpace(given)
	if given == "" {
		return "", qcode.FieldError("code", "", "missing; choose a code")
	}
	if c.Code(given) != nil {
		return given, nil
	}
	var found []string
	c.Walk(func(x *codebook.Code) {
		if strings.EqualFold(x.Name, given) || strings.EqualFold(x.Path(), given) {
			found = append(found, x.ID)
		}
	})
	if len(found) > 1 {
		return "", &qcode.Error{Code: qcode.EINVALID, Field: "code", Value: given, Near: found, Message: "names more than one code; choose one by its id"}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	return given, nil
}

// Find returns the id of the code given (an id, a name or a path), or an
// error naming field, the option it came from: missing, ambiguous, or a
// qcode.ENOTFOUND error with the ids the user may have meant.
func (c *Codebook) Find(given, field string) (string, error) {
	id, err := c.Resolve(given)
	if err == nil {
		err = c.CheckCode(id)
	}
	var e *qcode.Error
	if errors.As(err, &e) && field != e.Field {
		named := *e
		named.Field = field
		return "", &named
	}
	return id, err
}

// CheckCode returns a qcode.ENOTFOUND error, with the ids the user may
// have meant, unless the codebook has a code with the given id.
func (c *Codebook) CheckCode(id string) error {
	if c.Code(id) != nil {
		return nil
	}
	return &qcode.Error{Code: qcode.ENOTFOUND, Field: "code", Value: id,
		Message: "no such code in " + c.Shown + " (see its codes with 'qcode codebook show')", Near: c.IDs()}
}

// Test runs every code's examples and counterexamples through its rule,
// tokenised as transcripts are.
func (c *Codebook) Test() ([]codebook.TestResult, error) {
	m, err := c.Matcher()
	if err != nil {
		return nil, err
	}
	return codebook.Test(c.Codebook, m, coding.Passage), nil
}

// ShownPath shortens path to be relative to the working folder when it is
// inside it, as a user would write it.
func ShownPath(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(wd, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}
