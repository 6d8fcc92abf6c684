package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

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
	cs, err := p.editSources(ctx, edits, o)
	if err != nil {
		return nil, err
	}
	if _, err := p.UpdateIndex(ctx, false); err != nil {
		return cs, err
	}
	return cs, nil
}

// editSources is EditSources without its update of the search index, for
// a caller that makes the index anew right after (pseudonymising purges):
// the update would index every edited source once for nothing.
func (p *Project) editSources(ctx context.Context, edits []SourceEdits, o EditOptions) ([]Correction, error) {
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
	return p.Project.EditSources(ctx, reqs, p.editOptions(coder, o))
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

// EditTurnOptions name a turn of a source and the text it should have.
type EditTurnOptions struct {
	Source string
	Turn   int    // the turn's number, from 1 (P03:t12 is 12)
	Text   string // the turn's new text
	Hash   string // the source's hash the text was edited against; a stale one is ECONFLICT
	Coder  string
	// DropLost and Replace are as EditOptions'.
	DropLost, Replace bool
}

// TurnEdit is what editing a turn's text did: the correction, and where the
// turn is now, in characters, so that a page can refresh what follows it.
type TurnEdit struct {
	Correction
	Turn     int `json:"turn"`
	Start    int `json:"start"`     // the turn's start, the same before and after
	OldEnd   int `json:"old_end"`   // its end before
	End      int `json:"end"`       // and now
	Turns    int `json:"turns"`     // the source's turns now
	OldTurns int `json:"old_turns"` // and before
}

// EditTurn replaces the text of one turn of a source, as EditSources
// corrects it: the words that stay keep their codings. The new text is
// taken as typed, with CR LF and CR made LF and the text NFC, as import
// makes a file's; an empty text is EINVALID (remove the words of a turn
// by correcting the file, where the turn's label goes too).
func (p *Project) EditTurn(ctx context.Context, o EditTurnOptions) (*TurnEdit, error) {
	text := norm.NFC.String(strings.ReplaceAll(strings.ReplaceAll(o.Text, "\r\n", "\n"), "\r", "\n"))
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, qcode.FieldError("text", "", "empty; a turn keeps some words (correct the file and import it again to remove a turn)")
	}
	src, err := p.SourceTurns(ctx, o.Source)
	if err != nil {
		return nil, err
	}
	if o.Hash != "" && o.Hash != src.Hash {
		return nil, &qcode.Error{Code: qcode.ECONFLICT, Field: "hash", Value: o.Hash,
			Message: fmt.Sprintf("%s changed since the page was loaded (it was imported or edited again); load it again and redo the edit", o.Source)}
	}
	if o.Turn < 1 || o.Turn > len(src.Turns) {
		return nil, qcode.FieldError("turn", strconv.Itoa(o.Turn), fmt.Sprintf("no such turn: %s has turns 1 to %d", o.Source, len(src.Turns)))
	}
	t := src.Turns[o.Turn-1]
	bs := corpus.ByteOffset(src.Text, t.Start)
	edits := corpus.Diff(t.Text, text)
	for i := range edits {
		edits[i].Start += bs
		edits[i].End += bs
	}
	res := &TurnEdit{Turn: o.Turn, Start: t.Start, OldEnd: t.End, OldTurns: len(src.Turns)}
	cs, err := p.EditSources(ctx, []SourceEdits{{Name: o.Source, Edits: edits, Hash: src.Hash}}, EditOptions{Coder: o.Coder, DropLost: o.DropLost, Replace: o.Replace})
	if len(cs) == 1 {
		res.Correction = cs[0]
	}
	if err != nil {
		return res, err
	}
	after, err := p.SourceTurns(ctx, o.Source)
	if err != nil {
		return res, err
	}
	res.Turns = len(after.Turns)
	if o.Turn <= len(after.Turns) {
		res.End = after.Turns[o.Turn-1].End
	}
	return res, nil
}
