package app

import (
	"context"
	"strings"

	"qcode"
	"qcode/coding"
	"qcode/project"
)

// Memo is a memo on a source, a code, a coding or the project, as the
// store keeps it.
type Memo = coding.Memo

// MemoOptions name a memo to add: what it describes, who writes it and
// its text. What it describes follows from the fields given: Segment and
// Code a coding, Code alone a code, Source alone a source, Project the
// whole project.
type MemoOptions struct {
	Source  string // a source's name, for a memo on the source
	Segment string // the coding's segment or span (P03:s41, P03:120-188), for a memo on a coding
	Code    string // the code (id, name or path), for a memo on it or on its coding of Segment
	// Of is the coding's coder, for a memo on a coding; "" when only one
	// coder has that coding.
	Of    string
	Coder string // who writes; "" for CoderName's default
	Text  string
	// Project makes the memo one on the whole project (the study's
	// design, the team's decisions); it names nothing else.
	Project bool
}

// Check checks the options without the project, so that a front end can
// refuse them before it opens one.
func (o MemoOptions) Check() error {
	_, _, err := o.target()
	return err
}

// target works out what the memo describes, and names its writer.
func (o MemoOptions) target() (coding.MemoKind, string, error) {
	if strings.TrimSpace(o.Text) == "" {
		return "", "", qcode.Errorf(qcode.EINVALID, "the memo is empty; say what it notes")
	}
	var kind coding.MemoKind
	switch {
	case o.Project:
		for _, f := range []struct{ name, value string }{{"source", o.Source}, {"segment", o.Segment}, {"code", o.Code}, {"coding_coder", o.Of}} {
			if f.value != "" {
				return "", "", qcode.FieldError(f.name, f.value, "a memo on the project describes nothing else; leave this out, or write the memo on it instead")
			}
		}
		kind = coding.MemoProject
	case o.Segment != "":
		if o.Source != "" {
			return "", "", qcode.FieldError("source", o.Source, "give the segment of the coding the memo describes, or a source, not both")
		}
		if strings.TrimSpace(o.Code) == "" {
			return "", "", qcode.FieldError("code", "", "missing; say which code's coding of "+o.Segment+" the memo describes")
		}
		if _, err := coding.ParseRef(o.Segment); err != nil {
			return "", "", err
		}
		kind = coding.MemoCoding
	case o.Of != "":
		return "", "", qcode.FieldError("coding_coder", o.Of, "names a coding's coder; give the coding's segment and code too")
	case o.Code != "":
		if o.Source != "" {
			return "", "", qcode.FieldError("source", o.Source, "a memo describes a source, a code or a coding; give the coding's segment with the code, or one of them")
		}
		kind = coding.MemoCode
	case o.Source != "":
		kind = coding.MemoSource
	default:
		return "", "", qcode.Errorf(qcode.EINVALID, "say what the memo describes: a source, a code, a coding or the project")
	}
	coder, err := CoderName(o.Coder)
	return kind, coder, err
}

// AddMemo writes a memo on a source, a code, a coding or the project,
// after checking
// that it exists: a source in the project, a code in the codebook (by id,
// name or path, as AddCoding takes it), a coding of any origin (manual,
// rules, import or search) in the project.
func (p *Project) AddMemo(ctx context.Context, o MemoOptions) (*Memo, error) {
	kind, coder, err := o.target()
	if err != nil {
		return nil, err
	}
	req := project.MemoRequest{Kind: kind, Source: o.Source, Code: o.Code, CodingCoder: o.Of, Coder: coder, Text: o.Text}
	switch kind {
	case coding.MemoCode:
		if req.Code, err = p.codeID(o.Code, true); err != nil {
			return nil, err
		}
	case coding.MemoCoding:
		if req.Ref, err = coding.ParseRef(o.Segment); err != nil {
			return nil, err
		}
		// A coding's code may have left the codebook since (imported
		// codings, an edited codebook): the coding itself is the check.
		if req.Code, err = p.codeID(o.Code, false); err != nil {
			return nil, err
		}
	}
	m, err := p.Project.AddMemo(ctx, req, p.opts.Command)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// codeID resolves a code given by id, name or path to its id in the
// codebook. Unless strict, a code the codebook lacks (or a codebook that
// does not load) leaves the code as given.
func (p *Project) codeID(given string, strict bool) (string, error) {
	cb, err := p.Codebook()
	if err != nil {
		if strict {
			return "", err
		}
		return strings.TrimSpace(given), nil
	}
	id, err := cb.Find(given, "code")
	if err != nil && !strict {
		return strings.TrimSpace(given), nil
	}
	return id, err
}

// EditMemo replaces memo id's text, for coder ("" for CoderName's
// default); the audit log keeps the old text. An unknown id is a
// qcode.ENOTFOUND error naming it.
func (p *Project) EditMemo(ctx context.Context, id int64, coder, text string) (*Memo, error) {
	if strings.TrimSpace(text) == "" {
		return nil, qcode.Errorf(qcode.EINVALID, "the memo is empty; say what it notes, or remove the memo")
	}
	coder, err := CoderName(coder)
	if err != nil {
		return nil, err
	}
	m, err := p.Project.EditMemo(ctx, id, coder, text, p.opts.Command)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// DeleteMemo removes memo id, for coder ("" for CoderName's default), and
// returns it; the audit log keeps its text. An unknown id is a
// qcode.ENOTFOUND error naming it.
func (p *Project) DeleteMemo(ctx context.Context, id int64, coder string) (*Memo, error) {
	coder, err := CoderName(coder)
	if err != nil {
		return nil, err
	}
	m, err := p.Project.DeleteMemo(ctx, id, coder, p.opts.Command)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// MemoFilter chooses memos to list; empty fields choose all. Source
// chooses the memos on a source and on its codings, Code those on a code
// (id, name or path) and on its codings.
type MemoFilter struct {
	Source, Code string
	Kind         string // source, code, coding or project
}

// Check checks the filter without the project.
func (f MemoFilter) Check() error {
	switch coding.MemoKind(f.Kind) {
	case "", coding.MemoSource, coding.MemoCode, coding.MemoCoding, coding.MemoProject:
		return nil
	}
	return qcode.FieldError("kind", f.Kind, "no such kind of memo", string(coding.MemoSource), string(coding.MemoCode), string(coding.MemoCoding), string(coding.MemoProject))
}

// ListMemos returns the memos f chooses, by source (memos on codes
// first), oldest first. An unknown source is a qcode.ENOTFOUND error.
func (p *Project) ListMemos(ctx context.Context, f MemoFilter) ([]Memo, error) {
	if err := f.Check(); err != nil {
		return nil, err
	}
	code := f.Code
	if code != "" {
		code, _ = p.codeID(code, false)
	}
	return p.Memos(ctx, project.MemoFilter{Source: f.Source, Code: code, Kind: coding.MemoKind(f.Kind)})
}
