package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"qcode/app"
	"qcode/coding"
)

func newCodingCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "coding",
		Short: "Add, remove, list and import codings made by people",
		Long: `A coding is a code applied to a segment or span of a source by a coder.
The rules make theirs with 'qcode code'; these commands are for people's.

A segment is named by its source and id, as 'qcode show SOURCE --sentences'
prints them: P03:s41 (a sentence), P03:t12 (a turn), P03:p5 (a
paragraph), P03:1200-1388 (the characters [1200, 1388)), or P03 (the whole
source).

The coder is --coder NAME, else $QCODE_CODER, else your user name. Every
addition and removal is logged with who made it and when.` + exitStatusHelp,
	}
	cmd.AddCommand(newCodingAddCmd(e), newCodingRmCmd(e), newCodingListCmd(e), newCodingImportCmd(e))
	return cmd
}

type codingAddOptions struct {
	segment, code string
	coder, memo   string
}

func newCodingAddCmd(e *env) *cobra.Command {
	var o codingAddOptions
	cmd := &cobra.Command{
		Use:   "add SEGMENT CODE",
		Short: "Code a segment or a span by hand",
		Long: `Apply CODE (a code id from the codebook) to SEGMENT: P03:s41, P03:t12,
P03:p5, P03:1200-1388 or P03. Adding a coding the coder already has changes
nothing and says so.` + exitStatusHelp,
		Example: `  qcode coding add P03:s35 humility --coder amina --memo "mortified to be shown a better way"
  qcode coding add P03:6956-7025 risk_aversion --coder amina`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.segment, o.code = args[0], args[1]
			return e.run(o, func() error { return runCodingAdd(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().StringVar(&o.coder, "coder", "", "who codes (default: $QCODE_CODER, else your user name)")
	cmd.Flags().StringVarP(&o.memo, "memo", "m", "", "a note on the coding")
	return cmd
}

func runCodingAdd(ctx context.Context, e *env, o codingAddOptions) error {
	p, err := e.open(ctx, readWrite, "coding add")
	if err != nil {
		return err
	}
	defer p.Close()
	res, err := p.AddCoding(ctx, app.CodingOptions{Segment: o.segment, Code: o.code, Coder: o.coder, Memo: o.memo})
	if err != nil {
		return err
	}
	c := res.Coding
	if !res.Changed {
		e.printf("%s already has %s by %s; nothing changed\n", c.Segment(), c.Code, c.Coder)
		return nil
	}
	e.printf("coded %s %s (by %s): %s\n", c.Segment(), c.Code, c.Coder, excerpt(c.Text, 70))
	return nil
}

// excerpt quotes the start of text on one line.
func excerpt(text string, n int) string {
	return "“" + truncate(strings.Join(strings.Fields(text), " "), n) + "”"
}

type codingRmOptions struct {
	segment, code, coder string
}

func newCodingRmCmd(e *env) *cobra.Command {
	var o codingRmOptions
	cmd := &cobra.Command{
		Use:   "rm SEGMENT CODE",
		Short: "Remove a coding made by hand",
		Long: `Remove the coder's coding of CODE on SEGMENT. Codings made by the rules are
not removed by hand: change the codebook and run 'qcode code' again.` + exitStatusHelp,
		Example: `  qcode coding rm P03:s37 humility --coder amina`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.segment, o.code = args[0], args[1]
			return e.run(o, func() error { return runCodingRm(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().StringVar(&o.coder, "coder", "", "whose coding (default: $QCODE_CODER, else your user name)")
	return cmd
}

func runCodingRm(ctx context.Context, e *env, o codingRmOptions) error {
	p, err := e.open(ctx, readWrite, "coding rm")
	if err != nil {
		return err
	}
	defer p.Close()
	res, err := p.RemoveCoding(ctx, app.CodingOptions{Segment: o.segment, Code: o.code, Coder: o.coder})
	if err != nil {
		return err
	}
	e.printf("removed %s from %s (by %s)\n", o.code, res.Coding.Segment(), res.Coding.Coder)
	return nil
}

type codingListOptions struct {
	code, coder, source, origin string
	json                        bool
}

func newCodingListCmd(e *env) *cobra.Command {
	var o codingListOptions
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List codings, by the rules and by people",
		Long: `List codings by source and position: source, segment, code (its path in the
codebook), coder, origin (rules, manual, import or search), the coded text
and the memo. --code, --coder, --source and --origin choose which. --json
prints an array of {source, segment, unit, start, end, code, path,
coder, origin, created_at, memo, text, codebook_hash, negated, matches:
[{tokens: [{start, end, text}], negated}]}; start and end are characters.` + exitStatusHelp,
		Example: `  qcode coding list --code humility
  qcode coding list --coder amina --source P03
  qcode coding list --origin rules --json | jq -r '.[].segment'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.run(o, func() error { return runCodingList(cmd.Context(), e, o) })
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.code, "code", "", "only this code (an id)")
	f.StringVar(&o.coder, "coder", "", "only this coder ('rules' for the rules)")
	f.StringVarP(&o.source, "source", "s", "", "only this source")
	f.StringVar(&o.origin, "origin", "", "only codings of this origin: rules, manual, import or search")
	f.BoolVar(&o.json, "json", false, "print JSON")
	return cmd
}

// codingJSON is one coding as `coding list --json` prints it.
type codingJSON struct {
	Source       string         `json:"source"`
	Segment      string         `json:"segment"`
	Unit         coding.Unit    `json:"unit"`
	Start        int            `json:"start"`
	End          int            `json:"end"`
	Code         string         `json:"code"`
	CodePath     string         `json:"path"` // the code's path in the codebook, as in every other listing
	Coder        string         `json:"coder"`
	Origin       coding.Origin  `json:"origin"`
	CreatedAt    time.Time      `json:"created_at"`
	Memo         string         `json:"memo"`
	Text         string         `json:"text"`
	CodebookHash string         `json:"codebook_hash,omitempty"`
	Negated      bool           `json:"negated"`
	Matches      []coding.Match `json:"matches,omitempty"`
}

// codingsJSON returns codings as `coding list --json` prints them; path
// gives a code's path in the codebook.
func codingsJSON(cs []coding.Coding, path func(id string) string) []codingJSON {
	out := make([]codingJSON, 0, len(cs))
	for _, c := range cs {
		out = append(out, codingJSON{Source: c.Source, Segment: c.Segment(), Unit: c.Unit, Start: c.Start, End: c.End,
			Code: c.Code, CodePath: path(c.Code), Coder: c.Coder, Origin: c.Origin, CreatedAt: c.CreatedAt, Memo: c.Memo,
			Text: c.Text, CodebookHash: c.CodebookHash, Negated: c.Negated, Matches: c.Matches})
	}
	return out
}

// codePaths returns a function giving a code's path in the codebook, or
// its id when the codebook does not load or lacks it.
func (e *env) codePaths() func(id string) string {
	cb, err := e.codebook()
	return func(id string) string {
		if err == nil {
			if c := cb.Code(id); c != nil {
				return c.Path()
			}
		}
		return id
	}
}

func runCodingList(ctx context.Context, e *env, o codingListOptions) error {
	p, err := e.open(ctx, readOnly, "coding list")
	if err != nil {
		return err
	}
	defer p.Close()
	l, err := p.ListCodings(ctx, app.ListOptions{Source: o.source, Code: o.code, Coder: o.coder, Origin: o.origin})
	if err != nil {
		return err
	}
	cs, path := l.Codings, l.Path
	if o.json {
		return writeJSON(e.stdout, codingsJSON(cs, path))
	}
	t := newTable(e.stdout, e.outTTY, "source", "segment", "code", "coder", "origin", "text", "memo")
	for _, c := range cs {
		seg := strings.TrimPrefix(c.Segment(), c.Source+":")
		if c.Unit == coding.UnitSource {
			seg = "(source)"
		}
		t.add(c.Source, seg, path(c.Code), c.Coder, string(c.Origin), strings.Join(strings.Fields(c.Text), " "), c.Memo)
	}
	if err := t.print(); err != nil {
		return err
	}
	if e.outTTY {
		e.printf("%s\n", plural(len(cs), "coding"))
	}
	return nil
}

type codingImportOptions struct {
	file, coder string
	// shown, when set, turns the file's path into what the report shows,
	// as for importOptions.
	shown func(path string) string
}

func newCodingImportCmd(e *env) *cobra.Command {
	var o codingImportOptions
	cmd := &cobra.Command{
		Use:   "import FILE.csv|FILE.xlsx",
		Short: "Import codings entered in a spreadsheet",
		Long: `Import codings from a CSV or XLSX table, for teams that code in Excel. The
table names what each row codes with a "segment" column (P03:s41, P03:t12,
P03:p5, P03:1200-1388, or P03), or with "source" and "quote" columns: the
quote is found in the source (or in the segment, if one is named) and must
stand there exactly once. The codes are either in a "code" column (an id,
or several separated by ";"), or in one column per code, headed by the
code's id, holding 1 where it applies (the wide layout). A "memo" column
gives each coding a memo.

Every row is checked first: an unknown source, segment or code, or a quote
that is not in its source or is there twice, is an error naming the row,
and nothing is imported. Codings the coder already has are left as they
are.` + exitStatusHelp,
		Example: `  qcode coding import coded.xlsx --coder team-b
  qcode coding import quotes.csv --coder amina`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.file = args[0]
			return e.run(o, func() error { return runCodingImport(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().StringVar(&o.coder, "coder", "", "who coded the spreadsheet (default: $QCODE_CODER, else your user name)")
	return cmd
}

func runCodingImport(ctx context.Context, e *env, o codingImportOptions) error {
	p, err := e.open(ctx, readWrite, "coding import")
	if err != nil {
		return err
	}
	defer p.Close()
	res, err := p.ImportCodings(ctx, o.file, o.coder)
	if err != nil {
		return err
	}
	printCodingImport(e, res, o.file)
	return nil
}

// printCodingImport says what an import of codings from file did.
func printCodingImport(e *env, res *app.ImportCodingsResult, file string) {
	msg := fmt.Sprintf("%s: imported %s by %s", file, plural(res.Added, "coding"), res.Coder)
	if res.Existing > 0 {
		msg += fmt.Sprintf(" (%s already there, left as they were)", thousands(res.Existing))
	}
	e.printf("%s\n", msg)
}
