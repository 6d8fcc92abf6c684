package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"qcode/app"
	"qcode/coding"
	"qcode/coding/report"
	"qcode/corpus"
)

type showOptions struct {
	source    string
	sentences bool
	json      bool
}

func newShowCmd(e *env) *cobra.Command {
	var o showOptions
	cmd := &cobra.Command{
		Use:   "show SOURCE",
		Short: "Print a source as stored: turns, speakers, timestamps, sentences",
		Long: `Print a source turn by turn, each with its id (P03:t12), speaker and
timestamp. With --sentences every sentence is printed on its own line with
its id (P03:s41) and character span [start, end), the ids and offsets that
coding and exports use. The codes on each turn (or, with --sentences, on each
sentence) follow it with their coders: [humility (rules), risk_aversion
(amina)]. --json prints the source with its turns, sentences and codings (as
'qcode coding list --json' does).` + exitStatusHelp,
		Example: `  qcode show P03
  qcode show P03 --sentences
  qcode show P03 --json | jq '.turns[] | select(.speaker == "Interviewer") | .text'`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: e.completeSources,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.source = args[0]
			return e.run(o, func() error { return runShow(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().BoolVar(&o.sentences, "sentences", false, "print each sentence with its id and span")
	cmd.Flags().BoolVar(&o.json, "json", false, "print JSON")
	return cmd
}

func runShow(ctx context.Context, e *env, o showOptions) error {
	e = e.withSafeOut() // names, paths and memos are what users and files gave
	p, err := e.open(ctx, readOnly, "show")
	if err != nil {
		return err
	}
	defer p.Close()
	src, err := p.Source(ctx, o.source)
	if err != nil {
		return err
	}
	codings, err := p.Codings(ctx, app.CodingFilter{Source: o.source})
	if err != nil {
		return err
	}
	if o.json {
		if !o.sentences {
			for i := range src.Turns {
				src.Turns[i].Sentences = nil
			}
		}
		return writeJSON(e.stdout, struct {
			*app.Source
			Codings []codingJSON `json:"codings"`
		}{src, codingsJSON(codings, e.codePaths())})
	}
	var attrs []string
	for _, a := range src.Attributes {
		attrs = append(attrs, a.Name+"="+a.Value)
	}
	if src.Document {
		e.printf("%s (%s, %s): a document of %s, %s, %s\n", src.Name, src.Format, src.Path, plural(src.SourceInfo.Turns, "paragraph"), plural(src.SourceInfo.Sentences, "sentence"), plural(src.Words, "word"))
	} else {
		e.printf("%s (%s, %s): %d turns, %d sentences, %s words\n", src.Name, src.Format, src.Path, src.SourceInfo.Turns, src.SourceInfo.Sentences, report.Thousands(src.Words))
	}
	if len(attrs) > 0 {
		e.printf("case %s: %s\n", src.Case, strings.Join(attrs, "; "))
	}
	if codes := codeLabels(codings, func(c *coding.Coding) bool { return c.Unit == coding.UnitSource }); codes != "" {
		e.printf("codes: %s\n", codes)
	}
	if src.Header != "" {
		e.printf("\n%s\n", indent(src.Header, "  | "))
	}
	for _, t := range src.Turns {
		when := ""
		if t.Begin != nil {
			when = " [" + corpus.Time(*t.Begin).Clock() + "]"
		}
		inTurn := func(c *coding.Coding) bool { return c.Unit != coding.UnitSource && c.Start < t.End && t.Start < c.End }
		if !o.sentences {
			e.printf("\n%s:t%d%s %s:\n", src.Name, t.Ord, when, corpus.SpeakerLabel(t.Speaker))
			e.printf("%s\n", indent(t.Text, "    "))
			if codes := codeLabels(codings, inTurn); codes != "" {
				e.printf("    %s\n", codes)
			}
			continue
		}
		// With sentences, turn and paragraph codings go on the turn's line,
		// sentence and span codings on each sentence's.
		codes := codeLabels(codings, func(c *coding.Coding) bool {
			return inTurn(c) && (c.Unit == coding.UnitTurn || c.Unit == coding.UnitParagraph)
		})
		if codes != "" {
			codes = "  " + codes
		}
		e.printf("\n%s:t%d%s %s:%s\n", src.Name, t.Ord, when, corpus.SpeakerLabel(t.Speaker), codes)
		for _, s := range t.Sentences {
			id := fmt.Sprintf("s%d", s.Ord)
			codes := codeLabels(codings, func(c *coding.Coding) bool {
				return c.Unit == coding.UnitSentence && c.Ord == s.Ord || c.Unit == coding.UnitSpan && c.Start < s.End && s.Start < c.End
			})
			if codes != "" {
				codes = "  " + codes
			}
			e.printf("  %-6s %s  [%d,%d)%s\n", id, strings.ReplaceAll(s.Text, "\n", " "), s.Start, s.End, codes)
		}
	}
	return nil
}

// codeLabels lists the codes of the codings that keep chooses, once each,
// with their coders: [humility (rules), risk_aversion (amina)].
func codeLabels(cs []coding.Coding, keep func(*coding.Coding) bool) string {
	var labels []string
	for i := range cs {
		if !keep(&cs[i]) {
			continue
		}
		l := cs[i].Code + " (" + cs[i].Coder + ")"
		if !slices.Contains(labels, l) {
			labels = append(labels, l)
		}
	}
	if len(labels) == 0 {
		return ""
	}
	return "[" + strings.Join(labels, ", ") + "]"
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
