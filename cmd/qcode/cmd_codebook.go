package main

import (
	"strings"

	"github.com/spf13/cobra"

	"qcode/app"
	"qcode/codebook"
)

func newCodebookCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "codebook",
		Short: "Show, check, test, export and import the codebook",
		Long: `The codebook is codebook.yaml in the project folder: a tree of codes, each
with a description, include and exclude criteria, examples, counterexamples,
a colour and a rule that codes text automatically. Edit it with any text
editor and keep it under version control; these commands check it.

--codebook FILE uses another file instead of the project's.` + exitStatusHelp,
	}
	cmd.PersistentFlags().StringVar(&e.codebookPath, "codebook", "", "codebook file to use instead of the project's codebook.yaml")
	cmd.AddCommand(newCodebookShowCmd(e), newCodebookValidateCmd(e), newCodebookTestCmd(e), newCodebookExportCmd(e), newCodebookImportCmd(e), newCodebookAddCmd(e), newCodebookValidateOnCmd(e), newCodebookSuggestCmd(e))
	return cmd
}

// codebook reads and checks the codebook a command uses.
func (e *env) codebook() (*app.Codebook, error) {
	return app.OpenCodebook(e.appOptions(readOnly, ""))
}

func newCodebookShowCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Print the code tree: id, name, rule",
		Long: `Print the codebook as a tree. --json prints the codes as a nested array of
{id, name, path, description, include, exclude, color, rule, negation,
examples, counterexamples, codes}.` + exitStatusHelp,
		Example: `  qcode codebook show
  qcode codebook show --json | jq -r '.. | .id? // empty'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.run(asJSON, func() error { return runCodebookShow(e, asJSON) })
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

type codeJSON struct {
	ID              string     `json:"id"`
	Name            string     `json:"name"`
	Path            string     `json:"path"`
	Description     string     `json:"description,omitempty"`
	Include         string     `json:"include,omitempty"`
	Exclude         string     `json:"exclude,omitempty"`
	Color           string     `json:"color,omitempty"`
	Rule            string     `json:"rule,omitempty"`
	ByPeople        bool       `json:"coded_by_people,omitempty"`
	Negation        string     `json:"negation"`
	Examples        []string   `json:"examples,omitempty"`
	Counterexamples []string   `json:"counterexamples,omitempty"`
	Codes           []codeJSON `json:"codes,omitempty"`
}

func toJSON(codes []*codebook.Code) []codeJSON {
	out := []codeJSON{}
	for _, c := range codes {
		out = append(out, codeJSON{c.ID, c.Name, c.Path(), c.Description, c.Include, c.Exclude, c.Color, c.Rule, c.ByPeople,
			string(c.Negation), c.Examples, c.Counterexamples, toJSON(c.Codes)})
	}
	return out
}

func runCodebookShow(e *env, asJSON bool) error {
	cb, err := e.codebook()
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(e.stdout, toJSON(cb.Codes))
	}
	t := newTable(e.stdout, e.outTTY, "id", "code", "rule")
	cb.Walk(func(c *codebook.Code) {
		name := c.Name
		if e.outTTY {
			name = strings.Repeat("  ", c.Depth()-1) + name
		} else {
			name = c.Path()
		}
		rule := c.Rule
		if c.ByPeople {
			rule = "(" + codebook.CodedByPeople + ")"
		}
		if c.Negation != codebook.NegationSkip {
			rule += "   [negation: " + string(c.Negation) + "]"
		}
		t.add(c.ID, name, rule)
	})
	if err := t.print(); err != nil {
		return err
	}
	if e.outTTY {
		n := 0
		cb.Walk(func(*codebook.Code) { n++ })
		e.printf("%s, match: %s\n", plural(n, "code"), cb.Match)
	}
	return nil
}
