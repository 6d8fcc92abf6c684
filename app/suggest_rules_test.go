package app_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"qcode"
	"qcode/app"
)

// demoProject makes the demo's project: the whole sample with its case
// attributes, coded by the rules of the default codebook, with amina's and
// ben's codings.
func demoProject(t *testing.T) *app.Project {
	t.Helper()
	ctx := context.Background()
	p, sample := emptyProject(t)
	if _, err := p.Import(ctx, app.ImportOptions{Files: sample.Files, Attributes: sample.Cases}, nil); err != nil {
		t.Fatal(err)
	}
	for _, coder := range sample.Coders {
		if _, err := p.ImportCodings(ctx, sample.Codings[coder], coder); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSuggestRulesRaiseF1 is issue 16's target: rules proposed from one
// coder's codings raise the rules' F1 against the other coder, sentence by
// sentence, as qcode validate --gold measures it; both ways round.
func TestSuggestRulesRaiseF1(t *testing.T) {
	for _, c := range []struct{ from, against string }{{"amina", "ben"}, {"ben", "amina"}} {
		t.Run(c.from, func(t *testing.T) {
			ctx := context.Background()
			p := demoProject(t)
			measure := func() (p_, r, f1 float64) {
				t.Helper()
				v, err := p.Validate(ctx, app.ValidateOptions{Gold: c.against, Candidate: "rules", Unit: "sentence"})
				if err != nil {
					t.Fatal(err)
				}
				return v.Micro.Precision.Value, v.Micro.Recall.Value, v.Micro.F1.Value
			}
			p0, r0, f0 := measure()
			res, err := p.SuggestRules(ctx, app.SuggestRulesOptions{Coder: c.from, MinPrecision: 0.75, Apply: true})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Applied || res.Sentences == 0 {
				t.Fatalf("learnt from %d sentences, applied %v", res.Sentences, res.Applied)
			}
			if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
				t.Fatal(err)
			}
			p1, r1, f1 := measure()
			t.Logf("rules against %s, micro: before P %.3f R %.3f F1 %.3f; with %s's suggestions P %.3f R %.3f F1 %.3f", c.against, p0, r0, f0, c.from, p1, r1, f1)
			if f1 <= f0 {
				t.Errorf("F1 against %s %.3f → %.3f: the suggestions did not raise it", c.against, f0, f1)
			}
			// The README gives these figures; they must be the ones measured.
			readme, err := os.ReadFile("../README.md")
			if err != nil {
				t.Fatal(err)
			}
			said := fmt.Sprintf("learnt from %s's codings raise the default rules' micro F1 against %s from %.2f to %.2f", title(c.from), title(c.against), f0, f1)
			if c.from == "ben" {
				said = fmt.Sprintf("learnt from %s's against %s from %.2f to %.2f", title(c.from), title(c.against), f0, f1)
			}
			if !strings.Contains(strings.Join(strings.Fields(string(readme)), " "), said) {
				t.Errorf("README.md does not say %q", said)
			}
		})
	}
}

// TestSuggestRulesTerms checks what is proposed from amina's codings and
// written into the codebook.
func TestSuggestRulesTerms(t *testing.T) {
	ctx := context.Background()
	p := demoProject(t)
	res, err := p.SuggestRules(ctx, app.SuggestRulesOptions{Coder: "amina", MinPrecision: 0.75, Apply: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sources != 4 {
		t.Errorf("learnt from %d sources, want amina's four interviews", res.Sources)
	}
	// The terms are what amina's sentences say, each measured as a rule:
	// "guideline" and "guidelines" are one family.
	var risk *app.CodeSuggestions
	for i := range res.Codes {
		if res.Codes[i].Code == "risk_aversion" {
			risk = &res.Codes[i]
		}
	}
	if risk == nil {
		t.Fatal("no suggestions for risk_aversion, which amina coded 19 times")
	}
	i := slices.IndexFunc(risk.Terms, func(x app.TermSuggestion) bool { return x.Term == "guideline*" })
	if i < 0 {
		t.Fatalf("risk_aversion's terms %+v: want guideline*", risk.Terms)
	}
	g := risk.Terms[i]
	if !slices.Equal(g.Words, []string{"guideline", "guidelines"}) || g.Precision.Value != 1 || g.Z < 1.96 || g.Adds == 0 {
		t.Errorf("guideline*: %+v, want the family guideline(s), precision 1, z ≥ 1.96, adding a sentence", g)
	}
	if risk.After.F1.Value <= risk.Before.F1.Value || !strings.HasSuffix(risk.NewRule, " OR guideline*") {
		t.Errorf("risk_aversion's rule %q: F1 on amina's codings %.3f → %.3f", risk.NewRule, risk.Before.F1.Value, risk.After.F1.Value)
	}

	// Codes coded by people get no rule, though amina applied some.
	for _, c := range res.Codes {
		if c.Code == "learning_only_cultural" || c.Code == "system_innovation" {
			t.Errorf("%s is coded by people, yet the rules were offered terms for it: %+v", c.Code, c)
		}
	}

	// The codebook keeps its comments and gets the new rule.
	data, err := os.ReadFile(p.Dir + "/codebook.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The rule is folded over lines, so compare it with its spaces and line
	// breaks made one space.
	if !strings.HasPrefix(string(data), "# The default qcode codebook") || !strings.Contains(strings.Join(strings.Fields(string(data)), " "), " OR guideline*") {
		t.Errorf("codebook.yaml lost its comments or lacks the new rule:\n%.400s", data)
	}
	cb, err := p.Codebook()
	if err != nil {
		t.Fatal(err)
	}
	if got := cb.Code("risk_aversion").Rule; got != risk.NewRule {
		t.Errorf("risk_aversion's rule reads back as %q, want %q", got, risk.NewRule)
	}
}

// TestSuggestRulesOptions: one code, without writing; a coder with no
// codings, or the rules, is refused.
func TestSuggestRulesOptions(t *testing.T) {
	ctx := context.Background()
	p := demoProject(t)
	before, err := os.ReadFile(p.Dir + "/codebook.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.SuggestRules(ctx, app.SuggestRulesOptions{Coder: "ben", Code: "Humility", Top: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Codes) != 1 || res.Codes[0].Code != "humility" || len(res.Codes[0].Terms) > 2 || res.Applied {
		t.Errorf("suggestions %+v: want humility's alone, at most 2 terms, nothing applied", res.Codes)
	}
	after, _ := os.ReadFile(p.Dir + "/codebook.yaml")
	if string(after) != string(before) {
		t.Error("the codebook changed without Apply")
	}
	for _, c := range []struct {
		o    app.SuggestRulesOptions
		code string
		want string
	}{
		{app.SuggestRulesOptions{Coder: "amna"}, qcode.ENOTFOUND, "did you mean amina?"},
		{app.SuggestRulesOptions{Coder: "rules"}, qcode.EINVALID, "is the rules engine"},
		{app.SuggestRulesOptions{Code: "humilty"}, qcode.ENOTFOUND, "humility"},
		{app.SuggestRulesOptions{MinPrecision: 1.5}, qcode.EINVALID, "must be from 0 to 1"},
		{app.SuggestRulesOptions{Code: "learning_only_cultural"}, qcode.EINVALID, "is coded by people"},
	} {
		_, err := p.SuggestRules(ctx, c.o)
		if qcode.ErrorCode(err) != c.code || !strings.Contains(app.Phrase(err, nil), c.want) {
			t.Errorf("%+v: err %v (%s), want %s with %q", c.o, err, qcode.ErrorCode(err), c.code, c.want)
		}
	}
}

// title is a coder's name as the README writes it.
func title(name string) string { return strings.ToUpper(name[:1]) + name[1:] }
