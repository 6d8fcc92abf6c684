package codebook_test

import (
	"fmt"
	"strings"

	"qcode/codebook"
)

func ExampleNewMatcher() {
	cb := &codebook.Codebook{Codes: []*codebook.Code{
		{ID: "active_debriefs", Name: "Active debriefs", Rule: `"active debrief*" OR debrief* NEAR/3 (learn* OR lesson*)`},
		{ID: "absent_debriefs", Name: "Absent debriefs", Rule: `debrief*`, Negation: codebook.NegationOnly},
		{ID: "humility", Name: "Humility", Rule: `humil* NOT humiliat*`},
	}}
	m, err := codebook.NewMatcher(cb)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Units come from the corpus: the tokens of a segment and their sentences.
	units := []codebook.Passage{
		{Tokens: strings.Fields("We never had a debrief after the visit .")},
		{Tokens: strings.Fields("Now we debrief and share lessons , with humility .")},
	}
	var hits []codebook.Hit
	for _, u := range units {
		hits = m.Match(u, hits[:0])
		for _, h := range hits {
			for _, mt := range h.Matches {
				var words []string
				for _, i := range mt.Tokens {
					words = append(words, u.Tokens[i])
				}
				fmt.Printf("%s: %s (negated: %t)\n", h.Code.ID, strings.Join(words, " "), mt.Negated)
			}
		}
	}
	// Output:
	// absent_debriefs: debrief (negated: true)
	// active_debriefs: debrief lessons (negated: false)
	// humility: humility (negated: false)
}
