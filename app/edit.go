package app

import (
	"context"
	"strings"
	"time"

	"qcode"
	"qcode/coding"
	"qcode/corpus"
	"qcode/project"
)

// SourceEdits is one source's edits, in bytes of its stored text.
type SourceEdits struct {
	Name  string
	Edits []corpus.Edit
	Hash  string // optional: the source's hash the edits were made against; a stale one is ECONFLICT
}

// EditOptions say who corrects sources and what a correction may do.
type EditOptions struct {
	Coder   string // who made the edit, for the audit; "" for CoderName's default
	Command string // e.g. "qcode pseudonymise", "qcode serve"; "" for the project's
	// DropLost lets an edit delete all the text of a person's coding: the
	// coding is removed, logged and listed (Correction.Removed), where
	// otherwise the edit is refused (qcode.ECONFLICT, field "drop_lost").
	DropLost bool
	// Replace lets an edit change who speaks a turn, or lose a speaker
	// (qcode.ECONFLICT, field "replace", otherwise).
	Replace bool
}

// Correction says what an edit or a re-import did to one source's codings,
// memos, rejections and rules codings.
type Correction = project.Correction

// CodingChange is a coding a correction changed (kept, adjusted, to
// review) or removed.
type CodingChange = project.CodingChange

// MinKept is the share of a source's characters a file imported again
// under its name must keep to count as a correction of it.
const MinKept = project.MinKept

// EditSources applies every source's edits in one transaction: the stored text,
// turns and segments are rewritten, people's codings, coding memos and rejections
// are moved through the edits (byte and character offsets), codings whose text
// changed are kept, adjusted and listed; the search index is updated for those
// sources; nothing is written if any source fails.
//
// The rules' codings of an edited source are made again in the same
// transaction when the project's codebook is the very file (same hash) that
// made them; otherwise they are dropped (Correction.RulesRemade is false)
// until the rules run again.
func (p *Project) EditSources(ctx context.Context, edits []SourceEdits, o EditOptions) ([]Correction, error) {
	coder, err := CoderName(o.Coder)
	if err != nil {
		return nil, err
	}
	reqs := make([]project.SourceEdit, 0, len(edits))
	for _, e := range edits {
		if strings.TrimSpace(e.Name) == "" {
			return nil, qcode.FieldError("source", e.Name, "missing; say which source to edit (see 'qcode sources')")
		}
		reqs = append(reqs, project.SourceEdit{Name: e.Name, Edits: e.Edits, Hash: e.Hash})
	}
	cs, err := p.Project.EditSources(ctx, reqs, p.editOptions(coder, o))
	if err != nil {
		return nil, err
	}
	if _, err := p.UpdateIndex(ctx, false); err != nil {
		return cs, err
	}
	return cs, nil
}

// editOptions are the store's options of a correction by coder.
func (p *Project) editOptions(coder string, o EditOptions) project.EditOptions {
	command := o.Command
	if command == "" {
		command = p.opts.Command
	}
	return project.EditOptions{Coder: coder, Command: command, DropLost: o.DropLost, Replace: o.Replace, Rules: p.rulesRerun()}
}

// rulesRerun is the project's codebook, to make again the rules codings it
// made of a corrected source; nil when there is none that compiles.
func (p *Project) rulesRerun() *project.RulesRerun {
	cb, err := p.Codebook()
	if err != nil {
		return nil
	}
	m, err := cb.Matcher()
	if err != nil {
		return nil
	}
	return &project.RulesRerun{Codebook: cb.Shown, CodebookHash: cb.Hash, Coder: coding.NewApplier(m, cb.Hash, time.Now().UTC())}
}
