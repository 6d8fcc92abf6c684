package codebook

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// richBook exercises everything a codebook can hold: three levels,
// unicode, colours, text with line breaks, colons and quotes, every
// negation mode, references, and long text that Save folds.
const richBook = `name: Partnerships — learning both ways
description: >-
  A codebook for interviews with staff of health partnerships between the NHS
  and hospitals in Uganda, Zambia and Myanmar; it tells learning that flows
  both ways from learning that only looks like it.
match: stem
negation:
  window: 4
  cues: [not, never, "lack of", "n't"]
codes:
  - id: learning
    name: Bidirectional learning
    color: "#4E79A7"
    description: |-
      How partners learn from each other.
      Note: this line has a colon, 'single' and "double" quotes.

      A second paragraph, after a blank line.
        An indented line; and a line that looks like a field:
      rule: not really a rule
    codes:
      - id: pseudo_learning
        name: Pseudo — apprentissage à sens unique
        color: "#f28e2b"
        include: Talk of teaching the partner, of giving or helping, framed as a moral duty of the high-income side, including when it is phrased as "capacity building".
        exclude: Reflections on what the speaker learned themselves (code learning_from_partner).
        rule: 'teach* OR "moral imperative" OR help* OR it''s'
        examples:
          - "I wanted to help. I thought we had so much to teach."
        codes:
          - id: top_down_teaching
            name: Top-down teaching (上から教える)
            rule: '"we trained them" OR "teach them" OR lectur* OR "show them how" OR instruct* OR "train the trainers"'
            negation: keep
            examples:
              - "We went out to teach them the NHS way — and it's hard: they're busy."
              - |-
                A passage over two lines:
                we trained them in triage.
            counterexamples:
              - "Nobody lectured anybody | we just talked."
      - id: learning_from_partner
        name: Learning from the partner
        description: What NHS staff took home.
        rule: 'learn* NEAR/5 (partner* OR uganda* OR zambia*) OR #pseudo_learning'
  - id: barriers
    name: Barriers > obstacles
    color: "#E15759"
    codes:
      - id: absent_debriefs
        name: Absent debriefs
        negation: only
        rule: 'debrief*'
        examples:
          - "We never had a debrief about it."
  - id: by_hand
    name: Coded by hand
    description: No rule; a coder applies it.
`

func mustLoad(t testing.TB, text string) *Codebook {
	t.Helper()
	cb, err := Load("codebook.yaml", []byte(text))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return cb
}

// diffBooks lists the differences between two codebooks, ignoring file
// positions. settings says whether to compare the codebook's own name,
// description, match mode and negation settings too.
func diffBooks(want, got *Codebook, settings bool) []string {
	var diffs []string
	d := func(what string, w, g any) {
		diffs = append(diffs, fmt.Sprintf("%s: want %q, got %q", what, w, g))
	}
	if settings {
		if want.Name != got.Name {
			d("name", want.Name, got.Name)
		}
		if want.Description != got.Description {
			d("description", want.Description, got.Description)
		}
		if want.Match != got.Match {
			d("match", want.Match, got.Match)
		}
		if want.Negation.Window != got.Negation.Window {
			d("negation window", want.Negation.Window, got.Negation.Window)
		}
		if (want.Negation.Cues == nil) != (got.Negation.Cues == nil) || !slices.Equal(want.Negation.Cues, got.Negation.Cues) {
			d("negation cues", want.Negation.Cues, got.Negation.Cues)
		}
	}
	var codes func(path string, w, g []*Code, wp, gp *Code)
	codes = func(path string, w, g []*Code, wp, gp *Code) {
		if len(w) != len(g) {
			d(path+" codes", codeIDs(w), codeIDs(g))
			return
		}
		for i := range w {
			a, b := w[i], g[i]
			at := path + "/" + a.ID
			if (a.Parent == nil) != (wp == nil) || a.Parent != nil && a.Parent != wp {
				diffs = append(diffs, at+": want's parent link is wrong")
			}
			if (b.Parent == nil) != (gp == nil) || b.Parent != nil && b.Parent != gp {
				diffs = append(diffs, at+": got's parent link is wrong")
			}
			for _, f := range []struct {
				name string
				w, g string
			}{
				{"id", a.ID, b.ID}, {"name", a.Name, b.Name}, {"description", a.Description, b.Description},
				{"include", a.Include, b.Include}, {"exclude", a.Exclude, b.Exclude}, {"color", a.Color, b.Color},
				{"rule", a.Rule, b.Rule}, {"negation", string(a.Negation), string(b.Negation)},
			} {
				if f.w != f.g {
					d(at+" "+f.name, f.w, f.g)
				}
			}
			if !slices.Equal(a.Examples, b.Examples) {
				d(at+" examples", a.Examples, b.Examples)
			}
			if !slices.Equal(a.Counterexamples, b.Counterexamples) {
				d(at+" counterexamples", a.Counterexamples, b.Counterexamples)
			}
			codes(at, a.Codes, b.Codes, a, b)
		}
	}
	codes("", want.Codes, got.Codes, nil, nil)
	return diffs
}

func codeIDs(cs []*Code) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func checkSame(t *testing.T, want, got *Codebook, settings bool) {
	t.Helper()
	for _, d := range diffBooks(want, got, settings) {
		t.Error(d)
	}
}

// allIDs lists every code's id in tree order, indented by depth.
func allIDs(cb *Codebook) string {
	var b strings.Builder
	cb.Walk(func(c *Code) {
		b.WriteString(strings.Repeat("  ", c.Depth()-1) + c.ID + "\n")
	})
	return b.String()
}
