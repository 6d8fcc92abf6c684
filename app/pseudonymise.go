package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"qcode"
	"qcode/corpus"
	"qcode/internal/atomicfile"
	"qcode/project"
	"qcode/pseudonym"
)

// PseudonymItem is one identifying original, its replacement, kind, count
// and the sources it occurs in.
type PseudonymItem = pseudonym.Item

// FindIdentifiers finds what identifies people in every source of the
// project (see pseudonym.Find): the list a researcher reviews before
// pseudonymising.
func (p *Project) FindIdentifiers(ctx context.Context) ([]PseudonymItem, error) {
	srcs, _, err := p.pseudonymSources(ctx)
	if err != nil {
		return nil, err
	}
	items := pseudonym.Find(srcs)
	if items == nil {
		items = []PseudonymItem{}
	}
	return items, nil
}

// ReadPseudonymList reads a list of items that a researcher reviewed (see
// pseudonym.ReadList) from the file at path.
func ReadPseudonymList(path string) ([]PseudonymItem, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fileError("list", path, err)
	}
	return pseudonym.ReadList(path, data)
}

// fileError is a file that cannot be read, as a one-line error naming the
// option it came from.
func fileError(field, path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return &qcode.Error{Code: qcode.ENOTFOUND, Field: field, Value: path, Message: "no such file"}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return qcode.FieldError(field, path, "cannot be read: "+err.Error())
}

// PseudonymiseOptions say how to pseudonymise a project.
type PseudonymiseOptions struct {
	// Items are the originals to replace, as reviewed; nil replaces what
	// FindIdentifiers finds. An item with no replacement is left alone.
	Items []PseudonymItem
	// Key is the file the key is written to: outside the project folder,
	// and not there yet.
	Key string
	// Passphrase encrypts the key with age when it is not "".
	Passphrase string
	Coder      string // who pseudonymises, for the audit log
}

// PseudonymiseResult says what pseudonymising did.
type PseudonymiseResult struct {
	Key          string          `json:"key"`
	Encrypted    bool            `json:"encrypted"`
	Items        []PseudonymItem `json:"items"` // with their counts
	Replacements int             `json:"replacements"`
	Sources      []string        `json:"sources"`    // the sources whose text changed
	Turns        int             `json:"turns"`      // turns whose speaker was renamed
	Attributes   int             `json:"attributes"` // case attribute values changed
	Corrections  []Correction    `json:"corrections"`
}

// Pseudonymise replaces every item's original in every source's text (the
// codings, memos and rejections staying on the same words), in the
// speakers' names and in case attribute values, and writes the key that
// undoes it (RestorePseudonyms) to o.Key, readable by its owner alone and
// encrypted when there is a passphrase. The key is written first, so that
// no original is lost if the project cannot be written; it is removed
// again if nothing was. Afterwards the project's files hold no original:
// the database is rewritten without its freed pages and the search index
// made anew (see Purge); another qcode holding the project open keeps that
// from finishing, which is a qcode.EBUSY error after the pseudonymisation
// itself succeeded ('qcode sources purge' finishes it).
//
// A key path inside the project folder, an existing key file and a list
// that contradicts itself are qcode.EINVALID or ECONFLICT errors, and
// nothing is written.
func (p *Project) Pseudonymise(ctx context.Context, o PseudonymiseOptions) (*PseudonymiseResult, error) {
	coder, err := CoderName(o.Coder)
	if err != nil {
		return nil, err
	}
	key, err := p.checkKeyPath(o.Key, true)
	if err != nil {
		return nil, err
	}
	srcs, stored, err := p.pseudonymSources(ctx)
	if err != nil {
		return nil, err
	}
	items := o.Items
	if items == nil {
		items = pseudonym.Find(srcs)
	}
	r, err := pseudonym.NewReplacer(items)
	if err != nil {
		return nil, err
	}
	res := &PseudonymiseResult{Key: key, Encrypted: o.Passphrase != ""}
	k := &pseudonym.Key{Created: time.Now().UTC(), Project: filepath.Base(p.Dir)}
	counts := make([]int, len(r.Items()))
	in := make([][]string, len(r.Items()))
	var edits []SourceEdits
	var turns []project.TurnSpeaker
	for i, src := range srcs {
		ks := pseudonym.KeySource{Name: src.Name}
		var es []corpus.Edit
		shift := 0
		r.Find(src.Text, func(m pseudonym.Match) {
			repl := r.Items()[m.Item].Replacement
			es = append(es, corpus.Edit{Start: m.Start, End: m.End, Text: repl})
			ks.Edits = append(ks.Edits, pseudonym.KeyEdit{Start: m.Start + shift, End: m.Start + shift + len(repl), Text: src.Text[m.Start:m.End]})
			shift += len(repl) - (m.End - m.Start)
			counts[m.Item]++
			if l := in[m.Item]; len(l) == 0 || l[len(l)-1] != src.Name {
				in[m.Item] = append(in[m.Item], src.Name)
			}
		})
		text, err := corpus.ApplyEdits(src.Text, es)
		if err != nil {
			return nil, err
		}
		ks.Hash = textHash(text)
		for t, turn := range src.Turns {
			if to := r.Replace(turn.Speaker); to != turn.Speaker {
				ks.Speakers = append(ks.Speakers, pseudonym.KeySpeaker{Turn: t + 1, Original: turn.Speaker, Speaker: to})
				turns = append(turns, project.TurnSpeaker{Source: src.Name, Turn: t + 1, Speaker: to})
			}
		}
		if len(es) == 0 && len(ks.Speakers) == 0 {
			continue
		}
		if len(es) > 0 {
			edits = append(edits, SourceEdits{Name: src.Name, Edits: es, Hash: stored[i]})
			res.Sources = append(res.Sources, src.Name)
			res.Replacements += len(es)
		}
		k.Sources = append(k.Sources, ks)
	}
	values, err := p.pseudonymValues(ctx, r.Replace)
	if err != nil {
		return nil, err
	}
	for _, v := range values {
		k.Attributes = append(k.Attributes, pseudonym.KeyAttribute{Case: v.Case, Attribute: v.Attribute, Original: v.original, Value: v.Value})
	}
	for i, it := range r.Items() {
		it.Count, it.Sources = counts[i], in[i]
		res.Items = append(res.Items, it)
		k.Items = append(k.Items, pseudonym.Item{Original: it.Original, Replacement: it.Replacement, Kind: it.Kind})
	}
	res.Turns, res.Attributes = len(turns), len(values)
	if len(k.Sources) == 0 && len(values) == 0 {
		return nil, qcode.Errorf(qcode.EINVALID, "nothing to replace: no original of the list occurs in the project's sources, speakers or attributes")
	}
	if err := atomicfile.WriteMode(key, 0o600, func(f *os.File) error { return pseudonym.WriteKey(f, k, o.Passphrase) }); err != nil {
		return nil, err
	}
	command := p.command("qcode pseudonymise")
	if res.Corrections, err = p.editSources(ctx, edits, EditOptions{Coder: coder, Command: command}); err != nil {
		os.Remove(key)
		return nil, err
	}
	if err := p.Project.Rename(ctx, turns, caseValues(values), coder, command, "pseudonymised"); err != nil {
		return res, fmt.Errorf("the texts are pseudonymised but the speakers and attributes are not: %w; the key %s undoes it (qcode pseudonymise --reverse)", err, key)
	}
	if err := p.Purge(ctx); err != nil {
		return res, &qcode.Error{Code: qcode.ErrorCode(err), Err: err,
			Message: "pseudonymised, but the originals may remain in the project's files: " + err.Error()}
	}
	return res, nil
}

// RestoreOptions name the key that undoes a pseudonymisation.
type RestoreOptions struct {
	Key        string
	Passphrase string
	Coder      string
}

// RestoreResult says what restoring put back.
type RestoreResult struct {
	Sources     []string     `json:"sources"`
	Restored    int          `json:"restored"` // originals put back in texts
	Turns       int          `json:"turns"`
	Attributes  int          `json:"attributes"`
	Corrections []Correction `json:"corrections"`
}

// RestorePseudonyms undoes Pseudonymise with its key: the originals go
// back into every source's text (codings again on the same words), the
// speakers' names and the case attribute values. The key must have been
// made of this project's sources as they are: a key of another project, or
// a source changed since, is refused and nothing is written.
func (p *Project) RestorePseudonyms(ctx context.Context, o RestoreOptions) (*RestoreResult, error) {
	coder, err := CoderName(o.Coder)
	if err != nil {
		return nil, err
	}
	path, err := p.checkKeyPath(o.Key, false)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fileError("key", o.Key, err)
	}
	k, err := pseudonym.ReadKey(o.Key, data, o.Passphrase)
	if err != nil {
		return nil, err
	}
	texts := map[string]*project.Source{}
	matched := 0
	var changed string
	for _, ks := range k.Sources {
		src, err := p.Project.SourceTurns(ctx, ks.Name)
		if qcode.ErrorCode(err) == qcode.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		if textHash(src.Text) != ks.Hash {
			if changed == "" {
				changed = ks.Name
			}
			continue
		}
		texts[ks.Name] = src
		matched++
	}
	if matched == 0 && len(k.Sources) > 0 {
		return nil, qcode.FieldError("key", o.Key, fmt.Sprintf("was made for another project (%s): none of its %d sources is here as it left it", k.Project, len(k.Sources)))
	}
	if changed != "" || matched < len(k.Sources) {
		if changed == "" {
			for _, ks := range k.Sources {
				if texts[ks.Name] == nil {
					changed = ks.Name
					break
				}
			}
			return nil, &qcode.Error{Code: qcode.ECONFLICT, Field: "key", Value: o.Key, Message: fmt.Sprintf("names source %s, which this project no longer has; nothing was restored", changed)}
		}
		return nil, &qcode.Error{Code: qcode.ECONFLICT, Field: "key", Value: o.Key, Message: fmt.Sprintf("source %s has changed since it was pseudonymised, so the key no longer says where its originals go; nothing was restored", changed)}
	}
	res := &RestoreResult{}
	var edits []SourceEdits
	var turns []project.TurnSpeaker
	for _, ks := range k.Sources {
		src := texts[ks.Name]
		es := make([]corpus.Edit, len(ks.Edits))
		for i, e := range ks.Edits {
			es[i] = corpus.Edit{Start: e.Start, End: e.End, Text: e.Text}
		}
		if len(es) > 0 {
			edits = append(edits, SourceEdits{Name: ks.Name, Edits: es, Hash: src.Hash})
			res.Sources = append(res.Sources, ks.Name)
			res.Restored += len(es)
		}
		for _, s := range ks.Speakers {
			if s.Turn < 1 || s.Turn > len(src.Turns) {
				return nil, qcode.FieldError("key", o.Key, fmt.Sprintf("names turn %d of %s, which has %d", s.Turn, ks.Name, len(src.Turns)))
			}
			turns = append(turns, project.TurnSpeaker{Source: ks.Name, Turn: s.Turn, Speaker: s.Original})
		}
	}
	var values []project.CaseValue
	for _, a := range k.Attributes {
		values = append(values, project.CaseValue{Case: a.Case, Attribute: a.Attribute, Value: a.Original})
	}
	res.Turns, res.Attributes = len(turns), len(values)
	command := p.command("qcode pseudonymise --reverse")
	if res.Corrections, err = p.editSources(ctx, edits, EditOptions{Coder: coder, Command: command}); err != nil {
		return nil, err
	}
	if err := p.Project.Rename(ctx, turns, values, coder, command, "restored"); err != nil {
		return res, err
	}
	// The index is made anew: it holds the texts, and each turn's speaker.
	_, err = p.UpdateIndex(ctx, true)
	return res, err
}

// checkKeyPath returns the key file's absolute path after checking that
// it lies outside the project folder (a key inside it would travel with
// the project, and with it every original) and, for a key to write, that
// no file is there yet and its folder is.
func (p *Project) checkKeyPath(path string, write bool) (string, error) {
	if strings.TrimSpace(path) == "" {
		return "", qcode.FieldError("key", path, "missing; name a file outside the project folder to keep the key in")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", qcode.FieldError("key", path, err.Error())
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return "", &qcode.Error{Code: qcode.ENOTFOUND, Field: "key", Value: path, Message: "its folder does not exist"}
	}
	proj, err := filepath.EvalSymlinks(p.Dir)
	if err != nil {
		proj = p.Dir
	}
	if rel, err := filepath.Rel(proj, dir); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", qcode.FieldError("key", path, "is inside the project folder, where it would travel with the project and give every name away; keep it elsewhere")
	}
	abs = filepath.Join(dir, filepath.Base(abs))
	if write {
		if _, err := os.Lstat(abs); err == nil {
			return "", &qcode.Error{Code: qcode.ECONFLICT, Field: "key", Value: path, Message: "already exists; name a new file, so that no earlier key is lost"}
		}
	}
	return abs, nil
}

// pseudonymSources reads every source with its turns and sentences as
// pseudonym.Find reads them, with the hash each was read at.
func (p *Project) pseudonymSources(ctx context.Context) ([]*corpus.Source, []string, error) {
	names, err := p.Project.SourceNames(ctx)
	if err != nil {
		return nil, nil, err
	}
	srcs := make([]*corpus.Source, 0, len(names))
	hashes := make([]string, 0, len(names))
	for _, name := range names {
		s, err := p.Project.Source(ctx, name)
		if err != nil {
			return nil, nil, err
		}
		d := &corpus.Source{Name: s.Name, Text: s.Text}
		if s.Header != "" && strings.HasPrefix(s.Text, s.Header) {
			d.Header = corpus.Span{Start: 0, End: len(s.Header)}
		}
		for _, t := range s.Turns {
			turn := corpus.Turn{Speaker: t.Speaker}
			var para corpus.Paragraph
			for _, sen := range t.Sentences {
				if len(sen.Tokens) == 0 {
					continue
				}
				span := corpus.Span{Start: sen.Tokens[0].Start, End: sen.Tokens[len(sen.Tokens)-1].End}
				para.Sentences = append(para.Sentences, corpus.Sentence{Span: span, Tokens: sen.Tokens})
			}
			turn.Paragraphs = []corpus.Paragraph{para}
			d.Turns = append(d.Turns, turn)
		}
		srcs = append(srcs, d)
		hashes = append(hashes, s.Hash)
	}
	return srcs, hashes, nil
}

// caseValue is a case attribute's new value with the one it replaces.
type caseValue struct {
	project.CaseValue
	original string
}

// pseudonymValues returns the case attribute values that replace changes.
func (p *Project) pseudonymValues(ctx context.Context, replace func(string) string) ([]caseValue, error) {
	_, cases, err := p.Project.CaseAttributes(ctx)
	if err != nil {
		return nil, err
	}
	var out []caseValue
	for _, c := range cases {
		for _, a := range c.Attributes {
			if v := replace(a.Value); v != a.Value {
				out = append(out, caseValue{project.CaseValue{Case: c.Name, Attribute: a.Name, Value: v}, a.Value})
			}
		}
	}
	return out, nil
}

func caseValues(vs []caseValue) []project.CaseValue {
	out := make([]project.CaseValue, len(vs))
	for i, v := range vs {
		out[i] = v.CaseValue
	}
	return out
}

// textHash is the SHA-256 of a text, in hex: what a key records of each
// text it made, to be used on that text only.
func textHash(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}

// WritePseudonymList writes items to path as the CSV a researcher edits
// (see pseudonym.WriteList), whole or not at all, readable by its owner
// alone: it names everyone in the study.
func WritePseudonymList(path string, items []PseudonymItem) error {
	return atomicfile.WriteMode(path, 0o600, func(f *os.File) error { return pseudonym.WriteList(f, items) })
}
