package app

import "qcode"

// DidYouMean formats the names of candidates nearest to name (see
// qcode.Nearest) as a hint: "; did you mean P03 or P08?", or "" when
// nothing is near.
func DidYouMean(name string, candidates []string) string {
	return didYouMean(qcode.Nearest(name, candidates))
}

// didYouMean formats names as a hint, or "" when there are none.
func didYouMean(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return "; did you mean " + qcode.OrList(names) + "?"
}
