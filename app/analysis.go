package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"qcode"
	"qcode/coding"
	"qcode/coding/agree"
	"qcode/coding/report"
)

// AllCoders is the coder that stands for everyone's codings in an analysis.
const AllCoders = "all"

// Analysis is the project's codings of one coder, or of all, ready for
// reports, with where they came from.
type Analysis struct {
	*report.Analysis
	Project  string    // the project folder's name
	Codebook *Codebook // the codebook that orders the codes
	// CodebookPath is the codebook as a reader of the results knows it: by
	// its place in the project, wherever the front end runs.
	CodebookPath string
	Coder        string // the coder analysed, or AllCoders
	// Summaries are the analysts' summaries of the Framework matrix's
	// cells, whoever's codings are analysed.
	Summaries []coding.Summary
}

// Analysis reads the codebook and counts coder's codings (AllCoders, or
// "", for everyone's) for reports, reading the project source by source
// (report.Analyse), so that its memory is that of the counts and of the
// largest source, not of the corpus. Its tables of a row per coding,
// segment or quote, and the Framework's, read the project again as they
// are written: the project must stay open until they are.
func (p *Project) Analysis(ctx context.Context, coder string) (*Analysis, error) {
	return p.analysis(ctx, coder, report.CountOptions{})
}

// Report counts coder's codings (AllCoders, or "", for everyone's) as
// Analysis does, for the report o asks for, and makes it. A Framework
// report reads the project again, case by case, as its table is written.
func (p *Project) Report(ctx context.Context, coder string, o ReportOptions) (*Analysis, *report.Table, error) {
	a, err := p.analysis(ctx, coder, report.CountOptions{Split: o.Frequency.Split, Cooccurrence: o.Cooccur})
	if err != nil {
		return nil, nil, err
	}
	t, err := a.Report(o)
	if err != nil {
		return nil, nil, err
	}
	return a, t, nil
}

// Frequencies makes the Frequencies report of coder's codings (AllCoders,
// or "", for everyone's): Report's for "freq".
func (p *Project) Frequencies(ctx context.Context, coder string, o report.FrequencyOptions) (*Analysis, *report.Table, error) {
	return p.Report(ctx, coder, ReportOptions{Kind: "freq", Frequency: o})
}

// analysis counts coder's codings with o.
func (p *Project) analysis(ctx context.Context, coder string, o report.CountOptions) (*Analysis, error) {
	cb, err := p.Codebook()
	if err != nil {
		return nil, err
	}
	if coder == "" {
		coder = AllCoders
	}
	a := p.analysisOf(cb, coder)
	if a.Summaries, err = p.Summaries(ctx); err != nil {
		return nil, err
	}
	only := coder
	if only == AllCoders {
		only = ""
	}
	if a.Analysis, err = report.Analyse(reportSources{ctx, p, cb}, only, o); err != nil {
		return nil, err
	}
	return a, nil
}

// reportSources are the project's sources as reports read them, one at a
// time, each pass in a read transaction of its own.
type reportSources struct {
	ctx context.Context
	p   *Project
	cb  *Codebook
}

func (s reportSources) Each(r report.Read, start func(*report.Data) ([]int, error), each func(int, []report.Sentence, []*coding.Coding) error) error {
	return s.p.EachReportSource(s.ctx, r, func(d *report.Data) ([]int, error) {
		d.Codebook = s.cb.Codebook
		return start(d)
	}, each)
}

// analysisOf starts the Analysis of coder's codings with the codebook cb.
func (p *Project) analysisOf(cb *Codebook, coder string) *Analysis {
	a := &Analysis{Project: filepath.Base(p.Dir), Codebook: cb, CodebookPath: cb.Shown, Coder: coder}
	if abs, err := filepath.Abs(p.Dir); err == nil {
		if path, err := filepath.Abs(cb.Path); err == nil {
			if rel, err := filepath.Rel(abs, path); err == nil && !strings.HasPrefix(rel, "..") {
				a.CodebookPath = rel
			}
		}
	}
	return a
}

// ReportOptions choose one report.
type ReportOptions struct {
	Kind        string // freq, matrix, cooccur or framework
	Frequency   report.FrequencyOptions
	Matrix      report.MatrixOptions
	Cooccur     report.CooccurrenceOptions
	Framework   report.FrameworkOptions
	ThemesGiven string // the Framework's themes as the user gave them: top, or ids separated by commas
}

// Reports are the kinds of report Report makes.
var Reports = []string{"freq", "matrix", "cooccur", "framework"}

// Report makes one report of an analysis.
func (a *Analysis) Report(o ReportOptions) (*report.Table, error) {
	switch o.Kind {
	case "freq":
		return a.Frequencies(o.Frequency)
	case "matrix":
		return a.Matrix(o.Matrix)
	case "cooccur":
		return a.Cooccurrence(o.Cooccur)
	case "framework":
		if o.Framework.Summaries == nil {
			o.Framework.Summaries = a.Summaries
		}
		return a.Framework(o.Framework)
	}
	return nil, qcode.FieldError("report", o.Kind, "no such report", Reports...)
}

// ParseThemes reads a Framework's themes: "top" (nil: the top-level codes)
// or code ids separated by commas.
func ParseThemes(s string) ([]string, error) {
	if s == "top" {
		return nil, nil
	}
	themes := SplitList(s)
	if themes == nil {
		return nil, qcode.FieldError("themes", fmt.Sprintf("%q", s), "give top, or code ids separated by commas")
	}
	return themes, nil
}

// SplitList splits a comma-separated list; "" gives nil.
func SplitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// AgreementOptions say whose agreement to measure and how.
type AgreementOptions struct {
	Unit          string   // sentence, paragraph, turn, source or char
	Coders        []string // two or more, each once
	Codes         []string // only these codes; none for every code the coders applied
	Level         string   // the level of measurement: a project's codings are nominal
	Bootstrap     int      // resamples for alpha's interval; 0 for none
	Seed          uint64   // the bootstrap's seed
	Disagreements bool     // list the units the coders split on
	Sources       []string // only these sources' units; none for every source
}

// Check checks the options without the project, so that a front end can
// refuse them before it opens one.
func (o AgreementOptions) Check() (coding.Unit, error) {
	if o.Bootstrap < 0 {
		return "", qcode.FieldError("bootstrap", fmt.Sprint(o.Bootstrap), "give how many resamples, 0 or more (1000 is usual)")
	}
	unit, err := coding.ParseAgreementUnit(o.Unit)
	if err != nil {
		return "", err
	}
	if o.Level != "" {
		level, err := agree.ParseLevel(o.Level)
		if err != nil {
			return "", err
		}
		if level != agree.Nominal {
			return "", qcode.FieldError("level", level.String(), "a code is present or absent on a unit, which is nominal; other levels are for reliability tables")
		}
	}
	return unit, CheckCoderList(o.Coders)
}

// Agreement measures how far coders agree on the project's codings.
func (p *Project) Agreement(ctx context.Context, o AgreementOptions) (*coding.AgreementReport, error) {
	unit, err := o.Check()
	if err != nil {
		return nil, err
	}
	rel, err := p.Reliability(ctx, coding.AgreementSpec{Unit: unit, Coders: o.Coders, Codes: o.Codes, Disagreements: o.Disagreements, Sources: o.Sources})
	if err != nil {
		return nil, err
	}
	rep, err := rel.Agreement(o.Bootstrap, o.Seed)
	if err != nil {
		return nil, err
	}
	return &rep, nil
}

// CheckCoderList checks the coders of an agreement: two or more, each once.
func CheckCoderList(coders []string) error {
	if len(coders) < 2 {
		return qcode.FieldError("coders", "", fmt.Sprintf("agreement compares two coders or more, given %d; name them separated by commas, e.g. amina,ben", len(coders)))
	}
	for i, c := range coders {
		if c == "" {
			return qcode.FieldError("coders", "", "an empty name (a stray comma?); name the coders separated by commas, e.g. amina,ben")
		}
		if slices.Contains(coders[:i], c) {
			return qcode.FieldError("coders", "", fmt.Sprintf("%q is named twice; name each coder once", c))
		}
	}
	return nil
}

// Reliability checks spec's coders and codes against the project, orders
// the codes as the codebook does, and builds the coders' reliability data.
func (p *Project) Reliability(ctx context.Context, spec coding.AgreementSpec) (*coding.Reliability, error) {
	codes, coders, err := p.CodingNames(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range spec.Coders {
		if !slices.Contains(coders, c) {
			if len(coders) == 0 {
				return nil, &qcode.Error{Code: qcode.ENOTFOUND, Field: "coders", Value: c, Message: "no codings by this coder: the project has no codings yet (import some with qcode coding import)"}
			}
			return nil, &qcode.Error{Code: qcode.ENOTFOUND, Field: "coders", Value: c, Near: coders,
				Message: fmt.Sprintf("no codings by this coder in the project (the coders are %s)", strings.Join(coders, ", "))}
		}
	}
	// The codebook orders the codes; without one, the codings' codes do.
	if cb, err := p.Codebook(); err == nil {
		spec.Order = cb.IDs()
		for _, id := range spec.Order {
			if !slices.Contains(codes, id) {
				codes = append(codes, id)
			}
		}
	}
	for _, c := range spec.Codes {
		if !slices.Contains(codes, c) {
			return nil, &qcode.Error{Code: qcode.ENOTFOUND, Field: "codes", Value: c, Near: codes,
				Message: "no such code in the codebook or the project's codings (see 'qcode codebook show')"}
		}
	}
	if len(spec.Sources) > 0 {
		names, err := p.SourceNames(ctx)
		if err != nil {
			return nil, err
		}
		for _, s := range spec.Sources {
			if !slices.Contains(names, s) {
				return nil, &qcode.Error{Code: qcode.ENOTFOUND, Field: "source", Value: s, Near: names, Message: "no such source in the project (see 'qcode sources')"}
			}
		}
	}
	return p.Project.Reliability(ctx, spec)
}

// ValidateOptions say which coder's codings to measure against whose.
type ValidateOptions struct {
	Gold      string   // the coder taken as right
	Candidate string   // the coder measured (the rules, usually)
	Unit      string   // sentence, paragraph, turn, source or char
	Codes     []string // only these codes; none for every code either applied
	Errors    bool     // list each false positive and false negative
}

// Check checks the options without the project.
func (o ValidateOptions) Check() (coding.Unit, error) {
	if o.Gold == "" {
		return "", qcode.FieldError("gold", "", "name the coder whose coding is taken as right, e.g. amina")
	}
	if o.Gold == o.Candidate {
		return "", qcode.FieldError("candidate", o.Candidate, "the same coder as the gold; measure one coder against another")
	}
	return coding.ParseAgreementUnit(o.Unit)
}

// Validate measures a candidate coder (the rules) against a gold one.
func (p *Project) Validate(ctx context.Context, o ValidateOptions) (*coding.ValidationReport, error) {
	unit, err := o.Check()
	if err != nil {
		return nil, err
	}
	rel, err := p.Reliability(ctx, coding.AgreementSpec{Unit: unit, Coders: []string{o.Gold, o.Candidate}, Codes: o.Codes, Disagreements: o.Errors})
	var e *qcode.Error
	if errors.As(err, &e) && e.Field == "coders" {
		// Here the coders are given one by one, as the gold and the candidate.
		named := *e
		named.Field = "candidate"
		if e.Value == o.Gold {
			named.Field = "gold"
		}
		return nil, &named
	}
	if err != nil {
		return nil, err
	}
	rep, err := rel.Validate()
	if err != nil {
		return nil, err
	}
	return &rep, nil
}
