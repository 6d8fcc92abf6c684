package app

import (
	"context"
	"strings"

	"qcode"
	"qcode/project"
)

// RemovedSource is what removing a source took out of the project.
type RemovedSource = project.RemovedSource

// RemoveSourceOptions name a source to withdraw from the project.
type RemoveSourceOptions struct {
	Name  string // the source's name
	Coder string // who removes it, for the audit log; "" for CoderName's default
	// Purge overwrites the removed text in the project's files (the
	// database, its log and the search index) rather than leaving it in
	// freed space until it is reused.
	Purge bool
}

// Check checks the options without the project, so that a front end can
// refuse them before it opens one.
func (o RemoveSourceOptions) Check() error {
	if strings.TrimSpace(o.Name) == "" {
		return qcode.FieldError("source", o.Name, "missing; say which source to remove (see 'qcode sources')")
	}
	_, err := CoderName(o.Coder)
	return err
}

// RemoveSource withdraws a source from the project, as when a participant
// withdraws consent: its text, segments, codings, rejections and memos,
// its case and speakers when no other source has them, and its entries in
// the search index. The audit log records who removed it and when. An
// unknown name is a qcode.ENOTFOUND error naming the sources there are.
func (p *Project) RemoveSource(ctx context.Context, o RemoveSourceOptions) (*RemovedSource, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	coder, err := CoderName(o.Coder)
	if err != nil {
		return nil, err
	}
	r, err := p.Project.RemoveSource(ctx, o.Name, coder, p.opts.Command, o.Purge)
	if err != nil {
		return nil, err
	}
	// The index follows the store. A purge makes it anew, so that no
	// segment file or numbered token text of the old one is left.
	if _, err := p.UpdateIndex(ctx, o.Purge); err != nil {
		return nil, err
	}
	return &r, nil
}

// Purge makes sure that no file of the project holds the text of sources
// removed before without purging: the database is rewritten, its log
// emptied and the search index made anew. Another qcode holding the
// project open is a qcode.EBUSY error; purge again once it has closed.
func (p *Project) Purge(ctx context.Context) error {
	if err := p.Project.Purge(ctx); err != nil {
		return err
	}
	_, err := p.UpdateIndex(ctx, true)
	return err
}
