package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"slices"
	"strings"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
	"qcode/project"
)

// CoderName returns the person coding: given, else $QCODE_CODER, else the
// name of the user running qcode; checked as a coder's name.
func CoderName(given string) (string, error) {
	name := given
	if name == "" {
		name = os.Getenv("QCODE_CODER")
	}
	if name == "" {
		if u, err := user.Current(); err == nil {
			name = u.Username
		}
	}
	if err := coding.CheckCoderName(name); err != nil {
		if name == "" {
			return "", fmt.Errorf("%w, or set QCODE_CODER", err)
		}
		return "", err
	}
	return name, nil
}

// CodingOptions name one coding a person adds, removes, rejects or
// accepts.
type CodingOptions struct {
	Segment string // P03:s41, P03:t12, P03:p5, P03:1200-1388 or P03
	Code    string // the code's id
	Coder   string // "" for CoderName's default
	Memo    string // a note on the coding, when adding
	// Snap grows a span (P03:START-END) to whole words and trims the
	// spaces at its ends, as a selection with a mouse needs, when adding.
	Snap bool
	// Hash is the source's content hash as the caller saw it (a page
	// loaded before), or "" for the source as it now stands. A source
	// imported again since is a qcode.ECONFLICT error when adding or
	// changing: its offsets may now name other text.
	Hash string
}

// Check checks the options without the project, so that a front end can
// refuse them before it opens one.
func (o CodingOptions) Check() error {
	_, _, err := o.refAndCoder()
	return err
}

// refAndCoder reads the segment and names the coder.
func (o CodingOptions) refAndCoder() (coding.Ref, string, error) {
	ref, err := coding.ParseRef(o.Segment)
	if err != nil {
		return coding.Ref{}, "", err
	}
	coder, err := CoderName(o.Coder)
	return ref, coder, err
}

// CodingResult is a coding added or removed.
type CodingResult struct {
	Coding coding.Coding
	// Changed is false when the coder already had the coding (adding
	// changes nothing then).
	Changed bool
}

// AddCoding codes a segment or span by hand, after checking the code
// against the codebook. Adding a coding the coder already has changes
// nothing.
func (p *Project) AddCoding(ctx context.Context, o CodingOptions) (*CodingResult, error) {
	ref, coder, err := o.refAndCoder()
	if err != nil {
		return nil, err
	}
	cb, err := p.Codebook()
	if err != nil {
		return nil, err
	}
	code, err := cb.Find(o.Code, "code")
	if err != nil {
		return nil, err
	}
	if ref, err = p.snapped(ctx, ref, o.Snap); err != nil {
		return nil, err
	}
	req := project.CodingRequest{Ref: ref, Code: code, Coder: coder, Memo: o.Memo, Origin: coding.OriginManual, Hash: o.Hash}
	c, added, err := p.Project.AddCoding(ctx, req, p.opts.Command)
	if err != nil {
		return nil, err
	}
	return &CodingResult{Coding: c, Changed: added}, nil
}

// snapped grows a span to whole words when asked to.
func (p *Project) snapped(ctx context.Context, ref coding.Ref, asked bool) (coding.Ref, error) {
	if !asked || ref.Unit != coding.UnitSpan {
		return ref, nil
	}
	src, err := p.SourceTurns(ctx, ref.Source)
	if err != nil {
		return ref, err
	}
	ref.Start, ref.End = snap([]rune(src.Text), ref.Start, ref.End)
	return ref, nil
}

// ChangeOptions name a person's coding and what it becomes: another code,
// another span of its source, or both.
type ChangeOptions struct {
	// CodingOptions name the coding as it is. Snap applies to NewSegment,
	// Hash to the source as the caller saw it.
	CodingOptions
	NewCode    string // the code's id, name or path; "" keeps the code
	NewSegment string // a segment or span of the same source; "" keeps the place
}

// Check checks the options without the project.
func (o ChangeOptions) Check() error {
	if err := o.CodingOptions.Check(); err != nil {
		return err
	}
	if o.NewCode == "" && o.NewSegment == "" {
		return qcode.FieldError("new_code", "", "missing, and so is a new place: nothing to change; give the code it becomes, a new place for it, or both")
	}
	if o.NewSegment != "" {
		if _, err := coding.ParseRef(o.NewSegment); err != nil {
			var e *qcode.Error
			if errors.As(err, &e) {
				named := *e
				named.Field = "new_segment"
				return &named
			}
			return err
		}
	}
	return nil
}

// ChangeCoding re-codes or re-spans a person's own coding in one step,
// keeping its memo: the old coding and the new one are both in the audit
// log. The rules' codings are not changed this way: reject one, and code
// the passage as it should be.
func (p *Project) ChangeCoding(ctx context.Context, o ChangeOptions) (*CodingResult, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	ref, coder, err := o.refAndCoder()
	if err != nil {
		return nil, err
	}
	cb, err := p.Codebook()
	if err != nil {
		return nil, err
	}
	code, err := cb.Resolve(o.Code)
	if err != nil {
		return nil, err
	}
	newCode := code
	if o.NewCode != "" {
		if newCode, err = cb.Find(o.NewCode, "new_code"); err != nil {
			return nil, err
		}
	}
	to := ref
	if o.NewSegment != "" {
		if to, err = coding.ParseRef(o.NewSegment); err != nil {
			return nil, err
		}
		if to, err = p.snapped(ctx, to, o.Snap); err != nil {
			return nil, err
		}
	}
	_, c, err := p.Project.ChangeCoding(ctx, ref, code, coder, project.CodingRequest{Ref: to, Code: newCode, Hash: o.Hash}, p.opts.Command)
	if err != nil {
		return nil, err
	}
	return &CodingResult{Coding: c, Changed: true}, nil
}

// RemoveCoding removes a coder's coding made by hand.
func (p *Project) RemoveCoding(ctx context.Context, o CodingOptions) (*CodingResult, error) {
	ref, coder, err := o.refAndCoder()
	if err != nil {
		return nil, err
	}
	c, err := p.Project.RemoveCoding(ctx, ref, o.Code, coder, p.opts.Command)
	if err != nil {
		return nil, err
	}
	return &CodingResult{Coding: c, Changed: true}, nil
}

// RejectCoding rejects the rules coding of o.Code on o.Segment as a false
// positive, for o.Coder: it leaves the rules codings, reports and exports,
// and later rules runs do not make it again. Rejecting a coding already
// rejected changes nothing (Changed is false). A coding the rules did not
// make is a qcode.ENOTFOUND error naming what the segment has.
func (p *Project) RejectCoding(ctx context.Context, o CodingOptions) (*CodingResult, error) {
	ref, coder, err := o.refAndCoder()
	if err != nil {
		return nil, err
	}
	rj, changed, err := p.Project.RejectCoding(ctx, ref, o.Code, coder, p.opts.Command)
	if err != nil {
		return nil, err
	}
	return &CodingResult{Coding: rj.Coding, Changed: changed}, nil
}

// AcceptCoding undoes the rejection of the rules coding of o.Code on
// o.Segment, for o.Coder: the next rules run makes the coding again. A
// coding that is not rejected is a qcode.ENOTFOUND error.
func (p *Project) AcceptCoding(ctx context.Context, o CodingOptions) (*CodingResult, error) {
	ref, coder, err := o.refAndCoder()
	if err != nil {
		return nil, err
	}
	rj, err := p.Project.AcceptCoding(ctx, ref, o.Code, coder, p.opts.Command)
	if err != nil {
		return nil, err
	}
	return &CodingResult{Coding: rj.Coding, Changed: true}, nil
}

// ImportCodingsResult is what an import of codings did.
type ImportCodingsResult struct {
	File string `json:"file"`
	// Coder is who the rows without a coder were imported for, or the
	// coders the file names, joined by ", ".
	Coder string `json:"coder"`
	// Coders are the coders of the codings imported, sorted.
	Coders []string `json:"coders"`
	// Rules counts the rows by the rules engine, skipped: 'qcode code'
	// makes them again.
	Rules int `json:"rules"`
	// Encoding is the encoding a text file was read as when it is not
	// UTF-8 ("Windows-1252" is a guess a front end should show), else "".
	Encoding string `json:"encoding,omitempty"`
	project.ImportCodingsResult
}

// ImportCodings imports codings entered in a CSV or XLSX table. A row's
// coder is the file's coder column, else coder ("" for CoderName's
// default); rows by the rules are skipped and counted. Every row is
// checked first; a bad row imports nothing.
func (p *Project) ImportCodings(ctx context.Context, file, coder string) (*ImportCodingsResult, error) {
	if coder != "" {
		if err := coding.CheckCoderName(coder); err != nil {
			return nil, err
		}
	}
	data, err := readInput(file, DefaultMaxFileSize, "")
	if err != nil {
		return nil, err
	}
	cb, err := p.Codebook()
	if err != nil {
		return nil, err
	}
	sheet, err := coding.ReadSheet(file, data, cb.IDs())
	if err != nil {
		return nil, err
	}
	var coders []string
	for _, r := range sheet.Codings {
		who := r.Coder
		if who == "" {
			// The default is needed only for rows that name no one.
			if coder, err = CoderName(coder); err != nil {
				return nil, err
			}
			who = coder
		}
		if !slices.Contains(coders, who) {
			coders = append(coders, who)
		}
	}
	slices.Sort(coders)
	res, err := p.Project.ImportCodings(ctx, file, sheet.Codings, coder, p.opts.Command+" "+file)
	if err != nil {
		return nil, err
	}
	who := strings.Join(coders, ", ")
	if who == "" {
		if who, err = CoderName(coder); err != nil {
			return nil, err
		}
	}
	return &ImportCodingsResult{File: file, Coder: who, Coders: coders, Rules: sheet.Rules, Encoding: encodingOf(data), ImportCodingsResult: res}, nil
}

// ListOptions choose codings to list; empty fields choose all.
type ListOptions struct {
	Source, Code, Coder, Origin string
	// Rejected lists the rules codings people rejected instead; Coder is
	// then who rejected them.
	Rejected bool
}

// Check checks the options without the project.
func (o ListOptions) Check() error {
	if o.Origin != "" && !slices.Contains(coding.Origins, coding.Origin(o.Origin)) {
		var origins []string
		for _, x := range coding.Origins {
			origins = append(origins, string(x))
		}
		return qcode.FieldError("origin", o.Origin, "no such origin", origins...)
	}
	return nil
}

// Listing is codings with the codebook paths of their codes.
type Listing struct {
	Codings    []coding.Coding
	Rejections []Rejection // with ListOptions.Rejected, instead of Codings
	// Path gives a code's path in the codebook, or its id when the
	// codebook lacks it or does not load.
	Path func(code string) string
}

// ListCodings returns the codings o chooses, by source and position. A
// code or coder the project has never seen is an error with the names it
// has.
func (p *Project) ListCodings(ctx context.Context, o ListOptions) (*Listing, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	cb, cbErr := p.Codebook()
	// A source's page lists its codings often: the project's names are
	// read only when there is a name to check.
	if o.Code != "" || o.Coder != "" {
		if _, err := p.checkNames(ctx, cb, cbErr, o); err != nil {
			return nil, err
		}
	}
	path := codePaths(cb, cbErr)
	f := project.CodingFilter{Source: o.Source, Code: o.Code, Coder: o.Coder, Origin: coding.Origin(o.Origin)}
	if o.Rejected {
		rs, err := p.Rejections(ctx, f)
		if err != nil {
			return nil, err
		}
		return &Listing{Rejections: rs, Path: path}, nil
	}
	cs, err := p.Codings(ctx, f)
	if err != nil {
		return nil, err
	}
	return &Listing{Codings: cs, Path: path}, nil
}

// checkNames checks the code and coder o names against the project's
// codings and the codebook (cb, unless it failed to load with cbErr), and
// returns the project's coders.
func (p *Project) checkNames(ctx context.Context, cb *Codebook, cbErr error, o ListOptions) ([]string, error) {
	codes, coders, err := p.CodingNames(ctx)
	if err != nil {
		return nil, err
	}
	if cbErr == nil {
		for _, id := range cb.IDs() {
			if !slices.Contains(codes, id) {
				codes = append(codes, id)
			}
		}
	}
	// Rejected codings are in neither list: they are no longer codings.
	if o.Code != "" && !o.Rejected && !slices.Contains(codes, o.Code) {
		return nil, &qcode.Error{Code: qcode.ENOTFOUND, Field: "code", Value: o.Code, Near: codes, Message: "no such code in the codebook or the project's codings"}
	}
	if o.Coder != "" && !o.Rejected && !slices.Contains(coders, o.Coder) {
		return nil, &qcode.Error{Code: qcode.ENOTFOUND, Field: "coder", Value: o.Coder, Near: coders, Message: "no codings by this coder in the project"}
	}
	return coders, nil
}

// codePaths gives the paths of codes: a code's path in the codebook (cb,
// unless it failed to load with cbErr), or its id when the codebook lacks
// it or does not load.
func codePaths(cb *Codebook, cbErr error) func(string) string {
	paths := map[string]string{}
	if cbErr == nil {
		cb.Walk(func(c *codebook.Code) {
			if _, ok := paths[c.ID]; !ok {
				paths[c.ID] = c.Path()
			}
		})
	}
	return func(id string) string {
		if p, ok := paths[id]; ok {
			return p
		}
		return id
	}
}
