package main

import (
	"context"
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"qcode/app"
	"qcode/coding"
	"qcode/coding/report"
)

func newSpeakersCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "speakers",
		Short: "List speakers and mark interviewers",
		Long: `Speakers are the names that label turns, across every source. The rules
leave interviewers' turns alone ('qcode code --include-interviewer' codes
them): a speaker marked interviewer is one; an unmarked speaker is one when
named Interviewer…, Researcher…, Moderator…, Facilitator…, I or Q.` + exitStatusHelp,
	}
	cmd.AddCommand(newSpeakersListCmd(e), newSpeakersMarkCmd(e))
	return cmd
}

func newSpeakersListCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List speakers with their roles, sources and turns",
		Long: `List every speaker: name, role (as marked, or as the name implies, "by
name"), the sources it speaks in and its number of turns. --json prints an
array of {name, role, interviewer, sources, turns}; role is "" when unmarked.` + exitStatusHelp,
		Example: `  qcode speakers list`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.run(asJSON, func() error { return runSpeakersList(cmd.Context(), e, asJSON) })
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func runSpeakersList(ctx context.Context, e *env, asJSON bool) error {
	p, err := e.open(ctx, readOnly, "speakers list")
	if err != nil {
		return err
	}
	defer p.Close()
	sp, err := p.Speakers(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		if sp == nil {
			sp = []app.SpeakerInfo{}
		}
		return writeJSON(e.stdout, sp)
	}
	t := newTable(e.stdout, e.outTTY, "speaker", "role", "turns", "sources")
	for _, s := range sp {
		t.add(s.Name, coding.DescribeRole(s.Name, s.Role), report.Thousands(s.Turns), strings.Join(s.Sources, ", "))
	}
	return t.print()
}

type speakersMarkOptions struct {
	name, role string
}

func newSpeakersMarkCmd(e *env) *cobra.Command {
	var o speakersMarkOptions
	cmd := &cobra.Command{
		Use:   "mark NAME --role interviewer|participant|''",
		Short: "Mark a speaker as interviewer or participant",
		Long: `Set a speaker's role: interviewer (the rules leave its turns alone),
participant (the rules code them), or '' to go by its name again.` + exitStatusHelp,
		Example: `  qcode speakers mark JW --role interviewer
  qcode speakers mark Interviewer --role participant
  qcode speakers mark Q --role ''`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.name = args[0]
			if !cmd.Flags().Changed("role") {
				return &usageError{errors.New("say --role interviewer, participant or ''")}
			}
			return e.run(o, func() error { return runSpeakersMark(cmd.Context(), e, o) })
		},
	}
	cmd.Flags().StringVar(&o.role, "role", "", "interviewer, participant, or '' to go by the name")
	cmd.RegisterFlagCompletionFunc("role", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{coding.RoleInterviewer, coding.RoleParticipant}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func runSpeakersMark(ctx context.Context, e *env, o speakersMarkOptions) error {
	e = e.withSafeOut() // the confirmation names what users and files gave
	p, err := e.open(ctx, readWrite, "speakers mark")
	if err != nil {
		return err
	}
	defer p.Close()
	if err := p.MarkSpeaker(ctx, o.name, o.role); err != nil {
		return err
	}
	role := coding.DescribeRole(o.name, o.role)
	what := "the rules code its turns"
	if coding.IsInterviewer(o.name, o.role) {
		what = "the rules leave its turns alone"
	}
	e.printf("%s: %s; %s (run 'qcode code' to apply)\n", o.name, role, what)
	return nil
}
