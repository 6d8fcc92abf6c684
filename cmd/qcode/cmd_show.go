package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"qcode/corpus"
	"qcode/project"
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
coding and exports use. --json prints the source with its turns and
sentences.` + exitStatusHelp,
		Example: `  qcode show P03
  qcode show P03 --sentences
  qcode show P03 --json | jq '.turns[] | select(.speaker == "Interviewer") | .text'`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: e.completeSources,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.source = args[0]
			return runShow(cmd.Context(), e, o)
		},
	}
	cmd.Flags().BoolVar(&o.sentences, "sentences", false, "print each sentence with its id and span")
	cmd.Flags().BoolVar(&o.json, "json", false, "print JSON")
	return cmd
}

func runShow(ctx context.Context, e *env, o showOptions) error {
	p, err := e.open(ctx, project.ReadOnly, "show")
	if err != nil {
		return err
	}
	defer p.Close()
	src, err := p.Source(ctx, o.source)
	if err != nil {
		return err
	}
	if o.json {
		if !o.sentences {
			for i := range src.Turns {
				src.Turns[i].Sentences = nil
			}
		}
		return writeJSON(e.stdout, src)
	}
	var attrs []string
	for _, a := range src.Attributes {
		attrs = append(attrs, a.Name+"="+a.Value)
	}
	e.printf("%s (%s, %s): %d turns, %d sentences, %s words\n", src.Name, src.Format, src.Path, src.SourceInfo.Turns, src.SourceInfo.Sentences, thousands(src.Words))
	if len(attrs) > 0 {
		e.printf("case %s: %s\n", src.Case, strings.Join(attrs, "; "))
	}
	if src.Header != "" {
		e.printf("\n%s\n", indent(src.Header, "  | "))
	}
	for _, t := range src.Turns {
		when := ""
		if t.Begin != nil {
			when = " [" + corpus.Time(*t.Begin).String() + "]"
		}
		e.printf("\n%s:t%d%s %s:\n", src.Name, t.Ord, when, t.Speaker)
		if !o.sentences {
			e.printf("%s\n", indent(t.Text, "    "))
			continue
		}
		for _, s := range t.Sentences {
			id := fmt.Sprintf("s%d", s.Ord)
			e.printf("  %-6s %s  [%d,%d)\n", id, strings.ReplaceAll(s.Text, "\n", " "), s.Start, s.End)
		}
	}
	return nil
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
