package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	"qcode"

	"qcode/exchange"
	"qcode/export"
	"qcode/refi"
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
	return refi.ReadFile(path)
}

// QDPXResult is what ExportQDPX wrote.
type QDPXResult struct {
	Path    string `json:"path"`
	Sources int    `json:"sources"`
	Codes   int    `json:"codes"`
	Users   int    `json:"users"`
	Codings int    `json:"codings"`
	Memos   int    `json:"memos"`
}

// ExportQDPX writes the whole project (see Exchange) to path as a REFI-QDA
// project, whole or not at all. at is the export time the file records,
// the only thing in which two exports of the same project differ; zero
// for now, or $SOURCE_DATE_EPOCH when set.
func (p *Project) ExportQDPX(ctx context.Context, path string, at time.Time) (*QDPXResult, error) {
	if !strings.EqualFold(filepath.Ext(path), ".qdpx") {
		return nil, qcode.Errorf(qcode.EINVALID, "%s: a REFI-QDA project is a .qdpx file; name it with .qdpx", path)
	}
	if err := export.CheckFolder(path); err != nil {
		return nil, err
	}
	x, err := p.Exchange(ctx)
	if err != nil {
		return nil, err
	}
	if at.IsZero() {
		at = time.Now().UTC()
		if sec, ok := SourceDateEpoch(os.Getenv); ok {
			at = time.Unix(sec, 0).UTC()
		}
	}
	if err := refi.WriteFile(path, x, at); err != nil {
		return nil, err
	}
	return &QDPXResult{Path: path, Sources: len(x.Sources), Codes: CountCodes(x.Codebook), Users: len(x.Users), Codings: len(x.Codings), Memos: len(x.Memos)}, nil
}
