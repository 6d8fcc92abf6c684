package main

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"qcode/app"
	"qcode/coding"
)

type codingListOptions struct {
	code, coder, source, origin string
	json, rejected              bool
}

func newCodingListCmd(e *env) *cobra.Command {
	var o codingListOptions
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List codings, by the rules and by people",
		Long: `List codings by source and position: source, segment, code (its path in the
codebook), coder, origin (rules, manual, import, search or suggested), the
coded text and the memo. --code, --coder, --source and --origin choose
which. --json
prints an array of {source, segment, unit, start, end, code, path,
coder, origin, created_at, memo, text, codebook_hash, model_hash (origin
suggested: the hash of the model that suggested it), negated, matches:
[{tokens: [{start, end, text}], negated}]}; start and end are characters.

Rules codings people rejected ('qcode coding reject') are not codings and
are left out. --rejected lists them instead, with who rejected them and
when (--coder then chooses who rejected); --json then prints an array of
{source, segment, unit, start, end, code, path, text, rejected_by,
rejected_at}.` + exitStatusHelp,
		Example: `  qcode coding list --code humility
  qcode coding list --coder amina --source P03
  qcode coding list --origin rules --json | jq -r '.[].segment'
  qcode coding list --rejected`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.run(o, func() error { return runCodingList(cmd.Context(), e, o) })
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.code, "code", "", "only this code (an id)")
	f.StringVar(&o.coder, "coder", "", "only this coder ('rules' for the rules)")
	f.StringVarP(&o.source, "source", "s", "", "only this source")
	f.StringVar(&o.origin, "origin", "", "only codings of this origin: rules, manual, import, search or suggested")
	f.BoolVar(&o.rejected, "rejected", false, "list the rules codings people rejected instead")
	f.BoolVar(&o.json, "json", false, "print JSON")
	return cmd
}

func runCodingList(ctx context.Context, e *env, o codingListOptions) error {
	lo := app.ListOptions{Source: o.source, Code: o.code, Coder: o.coder, Origin: o.origin, Rejected: o.rejected}
	if err := lo.Check(); err != nil {
		return err
	}
	p, err := e.open(ctx, readOnly, "coding list")
	if err != nil {
		return err
	}
	defer p.Close()
	l, err := p.ListCodings(ctx, lo)
	if err != nil {
		return err
	}
	cs, path := l.Codings, l.Path
	if o.rejected {
		return printRejections(e, l.Rejections, path, o.json)
	}
	if o.json {
		return writeJSON(e.stdout, codingsJSON(cs, path))
	}
	t := newTable(e.stdout, e.outTTY, "source", "segment", "code", "coder", "origin", "text", "memo")
	for _, c := range cs {
		t.add(c.Source, shortSegment(c), path(c.Code), c.Coder, string(c.Origin), strings.Join(strings.Fields(c.Text), " "), c.Memo)
	}
	if err := t.print(); err != nil {
		return err
	}
	if e.outTTY {
		e.printf("%s\n", plural(len(cs), "coding"))
	}
	return nil
}

// shortSegment names c's segment within its source.
func shortSegment(c coding.Coding) string {
	if c.Unit == coding.UnitSource {
		return "(source)"
	}
	return strings.TrimPrefix(c.Segment(), c.Source+":")
}

// rejectionJSON is one rejected coding as `coding list --rejected --json`
// prints it.
type rejectionJSON struct {
	spanJSON
	Text       string    `json:"text"`
	RejectedBy string    `json:"rejected_by"`
	RejectedAt time.Time `json:"rejected_at"`
}

// printRejections prints the rejected rules codings as `coding list
// --rejected` does.
func printRejections(e *env, rs []app.Rejection, path func(id string) string, asJSON bool) error {
	if asJSON {
		out := make([]rejectionJSON, 0, len(rs))
		for _, r := range rs {
			out = append(out, rejectionJSON{spanJSON: spanOf(r.Coding, path), Text: r.Text, RejectedBy: r.RejectedBy, RejectedAt: r.RejectedAt})
		}
		return writeJSON(e.stdout, out)
	}
	t := newTable(e.stdout, e.outTTY, "source", "segment", "code", "rejected by", "rejected at", "text")
	for _, r := range rs {
		t.add(r.Source, shortSegment(r.Coding), path(r.Code), r.RejectedBy, r.RejectedAt.Format(time.RFC3339), strings.Join(strings.Fields(r.Text), " "))
	}
	if err := t.print(); err != nil {
		return err
	}
	if e.outTTY {
		e.printf("%s\n", plural(len(rs), "rejected coding"))
	}
	return nil
}

// spanJSON is where a coding stands and its code, as the listings of
// codings print them.
type spanJSON struct {
	Source   string      `json:"source"`
	Segment  string      `json:"segment"`
	Unit     coding.Unit `json:"unit"`
	Start    int         `json:"start"`
	End      int         `json:"end"`
	Code     string      `json:"code"`
	CodePath string      `json:"path"` // the code's path in the codebook, as in every other listing
}

func spanOf(c coding.Coding, path func(id string) string) spanJSON {
	return spanJSON{Source: c.Source, Segment: c.Segment(), Unit: c.Unit, Start: c.Start, End: c.End, Code: c.Code, CodePath: path(c.Code)}
}

// codingJSON is one coding as `coding list --json` prints it.
type codingJSON struct {
	spanJSON
	Coder        string             `json:"coder"`
	Origin       coding.Origin      `json:"origin"`
	CreatedAt    time.Time          `json:"created_at"`
	Memo         string             `json:"memo"`
	Text         string             `json:"text"`
	CodebookHash string             `json:"codebook_hash,omitempty"`
	ModelHash    string             `json:"model_hash,omitempty"` // origin suggested
	Negated      bool               `json:"negated"`
	Matches      []coding.RuleMatch `json:"matches,omitempty"`
}

// codingsJSON returns codings as `coding list --json` prints them; path
// gives a code's path in the codebook.
func codingsJSON(cs []coding.Coding, path func(id string) string) []codingJSON {
	out := make([]codingJSON, 0, len(cs))
	for _, c := range cs {
		out = append(out, codingJSON{spanJSON: spanOf(c, path), Coder: c.Coder, Origin: c.Origin, CreatedAt: c.CreatedAt, Memo: c.Memo,
			Text: c.Text, CodebookHash: c.CodebookHash, ModelHash: c.ModelHash, Negated: c.Negated, Matches: c.Matches})
	}
	return out
}
