package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
	"qcode/exchange"
	"qcode/project"
	"qcode/search"
)

// MergeOptions say how Merge treats what it cannot simply take in.
type MergeOptions struct {
	// Rename brings a text in under NAME-2 (NAME-3…) when a source of
	// the project holds another text under its name NAME; without it
	// such a source is reported and left out.
	Rename bool
	// DryRun works out and reports what Merge would do, and writes
	// nothing: neither the store nor the codebook.
	DryRun bool
}

// Check checks the options; every combination is one Merge takes.
func (o MergeOptions) Check() error { return nil }

type (
	// SourceMerge is what became of one source of the other project.
	SourceMerge = project.SourceMerge
	// AttributeConflict is an attribute the other project sets otherwise.
	AttributeConflict = project.AttributeConflict
)

// MergeReport says what Merge did, or would do.
type MergeReport struct {
	From   string `json:"from"`
	DryRun bool   `json:"dry_run"`
	// CodesAdded are the codes merged into the codebook, by id.
	CodesAdded []string `json:"codes_added"`
	// CodingsRulesLeftOut counts the rules engine's codings, which are
	// not taken in: the next rules run makes them from the codebook.
	CodingsRulesLeftOut int `json:"codings_rules_left_out"`
	project.MergeResult
}

// Merge brings x, another project's content, into the project: sources by
// content (the same text is the same source, whatever its name), codes by
// id or GUID (new ones merged into codebook.yaml, its comments kept),
// people's codings with their coders, created times and memos, memos of
// every kind, and case attributes the project lacks. Everything is checked
// first and written in one store transaction; merging the same x again
// changes nothing.
func (p *Project) Merge(ctx context.Context, x *exchange.Project, o MergeOptions) (*MergeReport, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	from := x.From
	if from == "" {
		from = x.Name
	}
	rep := &MergeReport{From: from, DryRun: o.DryRun, CodesAdded: []string{}}

	// The codebook: the codes x has and this one lacks, merged into the
	// file's text.
	target, err := CodebookPath(p.opts)
	if err != nil {
		return nil, err
	}
	if p.opts.Codebook == "" {
		target = filepath.Join(p.Dir, CodebookFile)
	}
	current, err := os.ReadFile(target)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, qcode.Errorf(qcode.EINVALID, "%s: cannot read: %v", ShownPath(target), err)
	}
	cb := &codebook.Codebook{}
	if err == nil {
		if cb, err = codebook.LoadAny(ShownPath(target), current); err != nil {
			return nil, fmt.Errorf("%w; mend it (qcode codebook validate) before merging", err)
		}
	}
	ids := mergeCodeIDs(cb, x.Codebook)
	var added []*codebook.Code
	if x.Codebook != nil {
		added, _ = codebook.Merge(cb, renamedCodes(x.Codebook, ids))
	}
	for _, c := range added {
		rep.CodesAdded = append(rep.CodesAdded, c.ID)
	}
	var newCodebook []byte
	if len(added) > 0 {
		if ext := strings.ToLower(filepath.Ext(target)); ext != ".yaml" && ext != ".yml" {
			return nil, qcode.FieldError("codebook", ShownPath(target), "merging adds codes to a codebook.yaml; name a .yaml file")
		}
		if _, err := codebook.NewMatcher(cb); err != nil {
			return nil, qcode.Errorf(qcode.EINVALID, "%s: the codebook after the merge: %v; nothing was written", from, firstLine(err.Error()))
		}
		if current == nil {
			newCodebook, err = codebook.Save(cb)
		} else {
			newCodebook, err = codebook.SaveMerged(current, cb, added)
		}
		if err != nil {
			return nil, err
		}
		if _, err := codebook.Load(ShownPath(target), newCodebook); err != nil {
			return nil, fmt.Errorf("internal error: the merged codebook does not load back (%v); nothing was written", err)
		}
	}
	known := map[string]bool{}
	cb.Walk(func(c *codebook.Code) { known[c.ID] = true })

	in, err := p.mergeInput(ctx, x, from, ids, known, rep)
	if err != nil {
		return nil, err
	}
	in.Rename, in.DryRun, in.Command = o.Rename, o.DryRun, p.command("merge")+" "+from

	// The new texts are indexed as the store writes them, into a
	// generation of the index that is made live only once the store has
	// committed: the index never holds what the store does not, and its
	// work takes no time after the store's. Without the index's write
	// lock (another qcode is updating it) the index is brought up to
	// date after the merge, as an import does.
	var build *search.Build
	if !o.DryRun && slices.ContainsFunc(in.Sources, func(s project.MergeSource) bool { return s.Doc != nil }) {
		if build, err = p.engine().Begin(ctx); err == nil {
			defer build.Abort()
			in.Written = func(s *project.WrittenSource) error { return build.Add(ctx, s.ID, s.Stamp, s.Read) }
			// Once the last source is handed over, the index finishes
			// and writes its sentence file while the store writes the
			// codings left and their audit lines; the store's Ready,
			// last in its transaction, then only waits for it.
			var ready chan error
			in.AllWritten = func() {
				ready = make(chan error, 1)
				go func() { ready <- build.Ready() }()
			}
			in.Ready = func() error {
				if ready == nil {
					return build.Ready()
				}
				return <-ready
			}
		} else {
			build = nil
		}
	}

	// The codebook is written first, and put back if the store refuses:
	// the codings merged never name a code the codebook lacks.
	if newCodebook != nil && !o.DryRun {
		if err := WriteFile(target, newCodebook); err != nil {
			return nil, err
		}
	}
	res, err := p.Project.Merge(ctx, in)
	if err != nil {
		if newCodebook != nil && !o.DryRun {
			rerr := os.Remove(target)
			if current != nil {
				rerr = WriteFile(target, current)
			}
			if rerr != nil {
				return nil, fmt.Errorf("%w (and %s could not be put back: %v)", err, ShownPath(target), rerr)
			}
		}
		return nil, err
	}
	notes := rep.Notes
	rep.MergeResult = *res
	rep.Notes = append(append([]string{}, notes...), res.Notes...)
	if build != nil || (!o.DryRun && len(res.SourcesAdded)+len(res.SourcesRenamed) > 0) {
		update := func() error { _, err := p.UpdateIndex(ctx, false); return err }
		if build != nil {
			update = func() error { _, err := build.Publish(ctx); return err }
		}
		if err := update(); err != nil {
			return nil, &qcode.Error{Code: qcode.ErrorCode(err), Help: qcode.HelpRebuildIndex, Err: err,
				Message: fmt.Sprintf("%s (the merge was written; the search index was not brought up to date)", firstLine(err.Error()))}
		}
	}
	return rep, nil
}

// command is the command to log, name when the front end gave none.
func (p *Project) command(name string) string {
	if p.opts.Command != "" {
		return p.opts.Command
	}
	return name
}

// mergeInput checks x and turns it into what the store merges: its codes
// named by the project's ids, its rules codings counted and left out, its
// new texts read as plain text is on import.
func (p *Project) mergeInput(ctx context.Context, x *exchange.Project, from string, ids map[string]string, known map[string]bool, rep *MergeReport) (project.MergeInput, error) {
	in := project.MergeInput{From: from}
	rules := map[string]bool{coding.RulesCoder: true}
	for _, u := range x.Users {
		if u.Rules {
			rules[u.Name] = true
		}
	}
	held, err := p.TextHashes(ctx)
	if err != nil {
		return in, err
	}
	// The texts the project lacks are read on two goroutines: nothing
	// else is done meanwhile. The first error, in the sources' order, is
	// the one reported.
	docs := make([]*corpus.Source, len(x.Sources))
	errs := make([]error, len(x.Sources))
	var wg sync.WaitGroup
	next := make(chan int)
	for range 2 {
		wg.Go(func() {
			for i := range next {
				docs[i], errs[i] = mergeDoc(from, x.Sources[i])
			}
		})
	}
	for i, s := range x.Sources {
		if _, ok := held[project.TextHash(s.Text)]; !ok {
			next <- i
		}
	}
	close(next)
	wg.Wait()
	for i, s := range x.Sources {
		if errs[i] != nil {
			return in, errs[i]
		}
		in.Sources = append(in.Sources, project.MergeSource{Source: s, Doc: docs[i]})
	}
	code := func(id string) string {
		if to, ok := ids[id]; ok {
			return to
		}
		return id
	}
	var unknown []string
	in.Codings = make([]exchange.Coding, 0, len(x.Codings))
	for _, c := range x.Codings {
		if rules[c.Coder] || c.Origin == coding.OriginRules {
			rep.CodingsRulesLeftOut++
			continue
		}
		if err := coding.CheckCoderName(c.Coder); err != nil {
			return in, qcode.Errorf(qcode.EINVALID, "%s: a coding of %s in %s: %v", from, c.Code, c.Source, err)
		}
		c.Code = code(c.Code)
		if !known[c.Code] {
			unknown = append(unknown, c.Code)
			continue
		}
		in.Codings = append(in.Codings, c)
	}
	if len(unknown) > 0 {
		n := len(unknown)
		slices.Sort(unknown)
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d codings of codes that neither codebook has (%s) were left out", n, strings.Join(slices.Compact(unknown), ", ")))
	}
	for _, m := range x.Memos {
		if m.Code != "" {
			m.Code = code(m.Code)
		}
		in.Memos = append(in.Memos, m)
	}
	unknown = unknown[:0]
	for _, s := range x.Summaries {
		s.Theme = code(s.Theme)
		if !known[s.Theme] {
			unknown = append(unknown, s.Theme)
			continue
		}
		if err := coding.CheckCoderName(s.Coder); err != nil {
			return in, qcode.Errorf(qcode.EINVALID, "%s: a Framework summary of %s: %v", from, s.Case, err)
		}
		in.Summaries = append(in.Summaries, s)
	}
	if len(unknown) > 0 {
		n := len(unknown)
		slices.Sort(unknown)
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d Framework summaries on themes that neither codebook has (%s) were left out", n, strings.Join(slices.Compact(unknown), ", ")))
	}
	return in, nil
}

// mergeDoc reads a source's text as a plain-text import reads it: turns
// where lines carry speaker labels, else a document, its paragraphs turns
// with no speaker. The text must already be in qcode's form, since codings
// count its characters. The turns are left unsegmented: Merge segments each
// as it writes it, so that a large project's sentences and tokens are not
// all held at once.
func mergeDoc(from string, s exchange.Source) (*corpus.Source, error) {
	docs, err := corpus.Parse(corpus.Input{Path: s.Name + ".txt", Data: []byte(s.Text)}, "txt")
	if err != nil {
		return nil, qcode.Errorf(qcode.ErrorCode(err), "%s: source %s: %s", from, s.Name, strings.TrimPrefix(firstLine(err.Error()), s.Name+".txt: "))
	}
	d := docs[0]
	if d.Text != s.Text {
		return nil, qcode.Errorf(qcode.EINVALID, "%s: source %s: its text is not in qcode's form (UTF-8 in NFC with LF line ends), so the places of its codings would shift", from, s.Name)
	}
	d.Name, d.Path, d.Format = s.Name, from, s.Format
	if d.Format == "" {
		d.Format = "txt"
	}
	return d, nil
}

// mergeCodeIDs maps the ids of other's codes to the ids of the codes of cb
// with the same GUID, where they differ; a code of the same id is the same
// code already.
func mergeCodeIDs(cb, other *codebook.Codebook) map[string]string {
	ids := map[string]string{}
	if other == nil {
		return ids
	}
	byGUID := map[string]string{}
	cb.Walk(func(c *codebook.Code) {
		if g := codeGUID(c); g != "" {
			byGUID[g] = c.ID
		}
	})
	have := map[string]bool{}
	cb.Walk(func(c *codebook.Code) { have[c.ID] = true })
	other.Walk(func(c *codebook.Code) {
		if have[c.ID] {
			return
		}
		if to, ok := byGUID[codeGUID(c)]; ok {
			ids[c.ID] = to
		}
	})
	return ids
}

// renamedCodes returns a copy of other in which the codes ids maps are
// named by the project's ids, so that Merge takes them for the codes they
// are and hangs their new children under them.
func renamedCodes(other *codebook.Codebook, ids map[string]string) *codebook.Codebook {
	if len(ids) == 0 {
		return other
	}
	out := *other
	out.Codes = renameCodes(other.Codes, nil, ids)
	return &out
}

func renameCodes(codes []*codebook.Code, parent *codebook.Code, ids map[string]string) []*codebook.Code {
	out := make([]*codebook.Code, 0, len(codes))
	for _, c := range codes {
		cc := *c
		if to, ok := ids[c.ID]; ok {
			cc.ID = to
		}
		cc.Parent = parent
		cc.Codes = renameCodes(c.Codes, &cc, ids)
		out = append(out, &cc)
	}
	return out
}

// codeGUID is a code's GUID: the one another tool gave it, else the one
// its id gives in qcode's exports, lower case without braces.
func codeGUID(c *codebook.Code) string {
	if c.GUID == "" {
		return codebook.CodeGUID(c.ID)
	}
	return strings.ToLower(strings.Trim(strings.TrimSpace(c.GUID), "{}"))
}

// ReadExchange reads another project to merge: a qcode project folder
// (opened to read only), or a REFI-QDA project: a .qdpx, or a .qde with
// its sources beside it. It returns the project and notes on what reading it
// assumed.
func ReadExchange(ctx context.Context, path string) (*exchange.Project, []string, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, qcode.Errorf(qcode.ENOTFOUND, "%s: no such file or folder; check the path", path)
		}
		return nil, nil, qcode.Errorf(qcode.EINVALID, "%s: %v", path, err)
	}
	if !st.IsDir() {
		return readProjectFile(path)
	}
	if !IsProject(path) {
		return nil, nil, qcode.Errorf(qcode.EINVALID, "%s is not a qcode project folder (it has no %s); name the folder of another project, or a .qdpx file", path, filepath.Join(project.Dirname, project.DBName))
	}
	other, err := Open(ctx, Options{Dir: path, ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	defer other.Close()
	x, err := other.Exchange(ctx)
	if err != nil {
		return nil, nil, err
	}
	x.From = path
	return x, nil, nil
}

// MergeFrom reads another project (see ReadExchange) and merges it into
// this one (see Merge). Merging a project into itself is refused.
func (p *Project) MergeFrom(ctx context.Context, other string, o MergeOptions) (*MergeReport, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	if a, err := filepath.Abs(other); err == nil {
		if b, err := filepath.Abs(p.Dir); err == nil && a == b {
			return nil, qcode.Errorf(qcode.EINVALID, "%s is this project; name another project's folder or file", other)
		}
	}
	x, notes, err := ReadExchange(ctx, other)
	if err != nil {
		return nil, err
	}
	rep, err := p.Merge(ctx, x, o)
	if err != nil {
		return nil, err
	}
	rep.Notes = append(append([]string{}, notes...), rep.Notes...)
	return rep, nil
}
