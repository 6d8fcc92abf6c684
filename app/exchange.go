package app

import (
	"context"
	"path/filepath"
	"strings"

	"qcode"

	"qcode/exchange"
)

// Exchange returns the project as it travels to another qcode project or
// another tool: every source with its stored text, format, case, typed
// attributes and import time, the codebook as loaded, a user for every
// coder (the rules engine's marked Rules), every coding (people's with
// their origin, coder, created time and memo, and the rules'), and every
// memo. GUIDs are left "": the REFI-QDA writer makes stable ones from
// names and ids.
func (p *Project) Exchange(ctx context.Context) (*exchange.Project, error) {
	cb, err := p.Codebook()
	if err != nil {
		return nil, err
	}
	x, err := p.Project.Exchange(ctx)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(p.Dir)
	if err != nil {
		abs = p.Dir
	}
	x.Name, x.From, x.Codebook = filepath.Base(abs), p.Dir, cb.Codebook
	return x, nil
}

// IsProjectFile says whether path names a REFI-QDA project file (.qdpx,
// or .qde with its sources beside it), which imports by merging rather
// than as a source.
func IsProjectFile(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".qdpx" || ext == ".qde"
}

// readProjectFile reads a REFI-QDA project file.
func readProjectFile(path string) (*exchange.Project, []string, error) {
	if !IsProjectFile(path) {
		return nil, nil, qcode.Errorf(qcode.EINVALID, "%s: cannot merge this file; name another qcode project's folder, or a REFI-QDA project (.qdpx, or .qde with its sources)", path)
	}
	return nil, nil, qcode.Errorf(qcode.EINVALID, "%s: REFI-QDA projects are not read yet", path)
}
