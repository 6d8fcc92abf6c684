package qcode

import (
	"errors"
	"slices"
	"sort"
	"strings"
)

// Nearest returns up to three of candidates closest to name by edit distance
// (ignoring case), closest first and each once, for "did you mean" hints. Candidates further
// than half of name's length are left out.
//
// It lives here, below every package, rather than at the edge with the rest
// of the phrasing (app.Phrase, app.DidYouMean), because a positioned problem
// in a file (an operator or #reference in a codebook rule, a key of its YAML)
// is written where it is found, in words that are the same for every front
// end, and its hint is part of it.
func Nearest(name string, candidates []string) []string {
	type scored struct {
		s string
		d int
	}
	var out []scored
	lname := strings.ToLower(name)
	limit := len([]rune(name))/3 + 1
	seen := map[string]bool{}
	for _, c := range candidates {
		if seen[c] { // lists put together may name one thing twice
			continue
		}
		seen[c] = true
		d := editDistance(lname, strings.ToLower(c))
		if strings.HasPrefix(strings.ToLower(c), lname) && d > 1 {
			d = 1 + d/4
		}
		if d <= limit {
			out = append(out, scored{c, d})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].d < out[j].d })
	var names []string
	// Only the closest few: a far second guess misleads more than it helps.
	for i := 0; i < len(out) && i < 3 && out[i].d <= out[0].d+1; i++ {
		names = append(names, out[i].s)
	}
	return names
}

// OrList joins names as a sentence offers a choice: "a", "a or b", "a, b
// or c".
func OrList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Suggestions returns the names a "did you mean" offers for the first
// *Error in err's chain: those of its Near, else of its Allowed, nearest
// its Value (see Nearest); none when Value is one of them, or err holds no
// *Error. A front end phrases them (see app.Phrase), or offers them to
// choose from.
func Suggestions(err error) []string {
	var e *Error
	if !errors.As(err, &e) {
		return nil
	}
	candidates := e.Near
	if len(candidates) == 0 {
		candidates = e.Allowed
	}
	if e.Value == "" || slices.Contains(candidates, e.Value) {
		return nil
	}
	return Nearest(e.Value, candidates)
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
