package app

import (
	"context"
	"io"
	"strings"
	"time"

	"qcode"

	"qcode/codebook"
	"qcode/coding"
	"qcode/project"
)

// CodeOptions say how to code a project with its codebook's rules.
type CodeOptions struct {
	Unit        string   // the segment coded: sentence (""), paragraph, turn or source
	Sources     []string // the sources to code; none for all
	Interviewer bool     // code interviewers' turns too
	DryRun      bool     // work out what would change and write nothing
}

// Check checks the options without the project.
func (o CodeOptions) Check() error {
	if o.Unit == "" {
		return nil
	}
	_, err := coding.ParseUnit(o.Unit)
	return err
}

// CodeReport is what a rules run did, or would do.
type CodeReport struct {
	Codebook     string             `json:"codebook"`
	CodebookHash string             `json:"codebook_hash"`
	Unit         coding.Unit        `json:"unit"`
	DryRun       bool               `json:"dry_run"`
	Sources      int                `json:"sources"`
	Segments     int                `json:"segments"`
	Skipped      int                `json:"skipped"`
	Added        int                `json:"added"`
	Removed      int                `json:"removed"`
	Total        int                `json:"total"`
	People       int                `json:"people"`
	Rejected     int                `json:"rejected"` // made by the rules, rejected by people: left out
	Codes        []project.CodeDiff `json:"codes"`
	// ByPeople lists the ids of the codes coded by people (auto: false),
	// which the rules never code, so a run can say so.
	ByPeople []string `json:"by_people,omitempty"`
}

// Code applies the codebook's rules to the project's segments and stores
// what they code, replacing the last rules run's codings of those sources
// in one transaction. People's codings are never touched.
func (p *Project) Code(ctx context.Context, o CodeOptions) (*CodeReport, error) {
	if o.Unit == "" {
		o.Unit = string(coding.UnitSentence)
	}
	unit, err := coding.ParseUnit(o.Unit)
	if err != nil {
		return nil, err
	}
	// The codebook first: a codebook that does not compile codes nothing.
	cb, err := p.Codebook()
	if err != nil {
		return nil, err
	}
	m, err := cb.Matcher()
	if err != nil {
		return nil, err
	}
	run := project.RulesRun{Codebook: cb.Shown, CodebookHash: cb.Hash, Unit: unit, Sources: o.Sources, Interviewer: o.Interviewer, DryRun: o.DryRun}
	res, err := p.CodeRules(ctx, run, coding.NewApplier(m, cb.Hash, time.Now().UTC()))
	if err != nil {
		return nil, err
	}
	return &CodeReport{Codebook: run.Codebook, CodebookHash: cb.Hash, Unit: unit, DryRun: o.DryRun,
		Sources: res.Sources, Segments: res.Segments, Skipped: res.Skipped, Added: res.Added, Removed: res.Removed,
		Total: res.Total, People: res.People, Rejected: res.Rejected, Codes: codebookOrder(cb.Codebook, res.Codes),
		ByPeople: codeIDs(cb.ByPeople())}, nil
}

// codebookOrder returns the diffs in codebook order, with a zero row for
// every code with a rule that coded nothing, and last the codes no longer
// in the codebook.
func codebookOrder(cb *codebook.Codebook, diffs []project.CodeDiff) []project.CodeDiff {
	byCode := map[string]project.CodeDiff{}
	for _, d := range diffs {
		byCode[d.Code] = d
	}
	out := []project.CodeDiff{}
	cb.Walk(func(c *codebook.Code) {
		d, ok := byCode[c.ID]
		if !ok && strings.TrimSpace(c.Rule) == "" {
			return
		}
		d.Code = c.ID
		out = append(out, d)
		delete(byCode, c.ID)
	})
	for _, d := range diffs {
		if _, ok := byCode[d.Code]; ok {
			out = append(out, d)
		}
	}
	return out
}

// CodeStream codes NDJSON records from in to out with the codebook of
// opts (opts.Codebook, else the project's), with no project: for a data
// pipeline.
func CodeStream(ctx context.Context, opts Options, in io.Reader, out io.Writer, so coding.StreamOptions) (coding.StreamStats, error) {
	if strings.TrimSpace(so.TextField) == "" {
		return coding.StreamStats{}, qcode.FieldError("text_field", "", "empty: name the field that holds the text")
	}
	if opts.Codebook == "" {
		if _, err := CodebookPath(opts); qcode.ErrorCode(err) == qcode.ENOTFOUND {
			return coding.StreamStats{}, qcode.FieldError("codebook", "", "coding records outside a project needs a codebook file")
		}
	}
	cb, err := OpenCodebook(opts)
	if err != nil {
		return coding.StreamStats{}, err
	}
	m, err := cb.Matcher()
	if err != nil {
		return coding.StreamStats{}, err
	}
	return coding.Stream(ctx, in, out, m, so)
}

// codeIDs returns the ids of codes, in their order.
func codeIDs(cs []*codebook.Code) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}
