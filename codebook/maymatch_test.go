package codebook

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// MayMatch is false only where Match finds nothing, with rules of every
// kind (prefixes, phrases, NEAR, NOT, #refs and the default codebook's
// negation), and is false for many passages, so it saves work.
func TestMayMatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	vocab := benchVocab(rng, 3000)
	units, _ := benchUnits(rng, vocab, 3000)
	sentences := []string{
		"We learnt humility from the nurses , and it was not easy .",
		"There was no debrief after the visit ; we were never told why .",
		"The hospital had no money for training , so the partnership paid .",
		"I am not sure it helped , but the mentoring did .",
		"It rained on Tuesday .",
	}
	for _, s := range sentences {
		units = append(units, Passage{Tokens: strings.Fields(s)})
	}
	for _, bc := range []struct {
		name string
		cb   *Codebook
	}{
		{"dictionary", benchDictionary(rng, vocab, 300)},
		{"default", Default()},
	} {
		m, err := NewMatcher(bc.cb)
		if err != nil {
			t.Fatal(err)
		}
		may, hit := 0, 0
		var hits []Hit
		for i, u := range units {
			hits = m.Match(u, hits[:0])
			ok := m.MayMatch(Passage{Tokens: u.Tokens}) // no sentences needed
			if len(hits) > 0 {
				hit++
				if !ok {
					t.Fatalf("%s: passage %d %q: MayMatch is false, Match finds %s", bc.name, i, u.Tokens, hits[0].Code.ID)
				}
			}
			if ok {
				may++
			}
		}
		if hit == 0 || may == len(units) {
			t.Fatalf("%s: %d passages, %d with hits, %d that may match: want some of each", bc.name, len(units), hit, may)
		}
		t.Logf("%s: %d passages, %d may match, %d do", bc.name, len(units), may, hit)
	}
}
