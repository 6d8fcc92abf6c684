package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"qcode/app"
)

type mergeOptions struct {
	other string
	app.MergeOptions
	json bool
}

func newMergeCmd(e *env) *cobra.Command {
	var o mergeOptions
	cmd := &cobra.Command{
		Use:   "merge OTHER",
		Short: "Bring another coder's project (a folder or a .qdpx) into this one",
		Long: `Bring another qcode project, or a REFI-QDA project exported by NVivo,
ATLAS.ti or MAXQDA (.qdpx, or .qde with its sources), into this one. This is
how two coders who worked apart get to 'qcode agree'.

Sources are matched by their text: the same text is the same source, whatever
it is called. A new text comes in as a new source, its turns found as
'qcode import' finds them (a text without speaker labels comes in as
a document of paragraphs). A different text under a name this project already uses is
reported and left out, with its codings and memos, unless you say --rename:
then it comes in as NAME-2. Codes are matched by id (or REFI-QDA GUID); new
ones are added to codebook.yaml, its comments kept. People's codings come
with their coders, created times and memos (origin import); the rules
engine's are left out, since 'qcode code' makes them from the codebook. Memos
and case attributes come along; an attribute set here to another value keeps
this project's value and is reported.

Everything is checked before anything is written, and written at once or not
at all. Merging the same project twice changes nothing; --dry-run says what
would happen and writes nothing.

--json prints {from, dry_run, codes_added, codings_rules_left_out,
sources_added, sources_matched, sources_renamed, sources_conflicting (each
[{name, as}]), codings_added, codings_existing, codings_left_out,
memos_added, memos_existing, attributes_set, attributes_conflicting ([{case,
attribute, value, other}]), notes}.` + exitStatusHelp,
		Example: `  qcode merge amina-study/ --dry-run
  qcode merge amina-study/
  qcode merge team.qdpx --rename --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.other = args[0]
			return e.run(o, func() error { return runMerge(cmd.Context(), e, o) })
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.Rename, "rename", false, "bring a different text under a name already used in as NAME-2")
	f.BoolVar(&o.DryRun, "dry-run", false, "say what the merge would do, and write nothing")
	f.BoolVar(&o.json, "json", false, "print what was merged as JSON")
	return cmd
}

func runMerge(ctx context.Context, e *env, o mergeOptions) error {
	if err := o.Check(); err != nil {
		return err
	}
	return runMergeFrom(ctx, e, "merge", o.other, o.MergeOptions, o.json)
}

// runMergeFrom merges other into the project and says what it did; command
// is what the audit log names ('qcode import FILE.qdpx' merges too).
func runMergeFrom(ctx context.Context, e *env, command, other string, o app.MergeOptions, asJSON bool) error {
	e = e.withSafeOut() // the confirmation names what users and files gave
	// A dry run too opens the store for writing: it merges in a
	// transaction it rolls back, so that it counts what a merge would do.
	p, err := e.open(ctx, readWrite, command)
	if err != nil {
		return err
	}
	defer p.Close()
	rep, err := p.MergeFrom(ctx, other, o)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(e.stdout, rep)
	}
	printMerge(e, rep)
	return nil
}

// printMerge says what a merge did, a line for each kind of thing.
func printMerge(e *env, rep *app.MergeReport) {
	if rep.DryRun {
		e.printf("%s would merge as follows (a dry run: nothing was written)\n", rep.From)
	} else {
		e.printf("merged %s\n", rep.From)
	}
	named := func(ms []app.SourceMerge) string {
		var out []string
		for _, m := range ms {
			if m.As != "" {
				out = append(out, m.Name+" as "+m.As)
			} else {
				out = append(out, m.Name)
			}
		}
		return strings.Join(out, ", ")
	}
	var parts []string
	for _, s := range []struct {
		ms   []app.SourceMerge
		verb string
	}{{rep.SourcesAdded, "added"}, {rep.SourcesMatched, "the same text here"}, {rep.SourcesRenamed, "added under new names"}} {
		if len(s.ms) > 0 {
			parts = append(parts, fmt.Sprintf("%d %s (%s)", len(s.ms), s.verb, named(s.ms)))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "none")
	}
	e.printf("sources: %s\n", strings.Join(parts, "; "))
	if n := len(rep.SourcesConflicting); n > 0 {
		e.printf("left out: %s: this project holds another text under the same name; merge with --rename to bring it in as NAME-2\n", named(rep.SourcesConflicting))
	}
	if len(rep.CodesAdded) > 0 {
		e.printf("codes: %d added to the codebook (%s)\n", len(rep.CodesAdded), strings.Join(rep.CodesAdded, ", "))
	}
	line := fmt.Sprintf("codings: %d added, %d already there", rep.CodingsAdded, rep.CodingsExisting)
	if rep.CodingsRulesLeftOut > 0 {
		line += fmt.Sprintf("; %s by the rules left out ('qcode code' makes them here)", plural(rep.CodingsRulesLeftOut, "coding"))
	}
	if rep.CodingsLeftOut > 0 {
		line += fmt.Sprintf("; %d left out with their sources", rep.CodingsLeftOut)
	}
	e.printf("%s\n", line)
	e.printf("memos: %d added, %d already there\n", rep.MemosAdded, rep.MemosExisting)
	if rep.AttributesSet > 0 || len(rep.AttributesConflicting) > 0 {
		e.printf("attributes: %d set\n", rep.AttributesSet)
	}
	for _, c := range rep.AttributesConflicting {
		e.printf("kept: %s of case %s is %q here, %q there\n", c.Attribute, c.Case, c.Value, c.Other)
	}
	if rep.SummariesAdded+rep.SummariesExisting+len(rep.SummariesConflicting) > 0 {
		e.printf("framework summaries: %d added, %d already there\n", rep.SummariesAdded, rep.SummariesExisting)
	}
	for _, c := range rep.SummariesConflicting {
		e.printf("kept: the summary of %s on %s here; there it says %q\n", c.Case, c.Theme, c.Other)
	}
	for _, n := range rep.Notes {
		e.printf("note: %s\n", n)
	}
}
