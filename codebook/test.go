package codebook

// TestResult is one passage of a code checked against the code's rule.
type TestResult struct {
	Code    *Code
	Passage string
	Want    bool     // an example (must match) or a counterexample (must not)
	Got     bool     // whether the rule matched
	Matched []string // the tokens the rule matched
	Negated bool     // whether a match was negated
}

// Pass reports whether the rule did what the passage expects.
func (r TestResult) Pass() bool { return r.Want == r.Got }

// Test runs every code's examples and counterexamples through its compiled
// rule. tokenize turns a passage into the passage rules run over (qcode's
// importer, so passages are tokenised exactly as transcripts are). Codes
// without a rule are coded by hand and are not tested.
func Test(cb *Codebook, m *Matcher, tokenize func(string) Passage) []TestResult {
	var out []TestResult
	var hits []Hit
	cb.Walk(func(c *Code) {
		if c.Rule == "" {
			return
		}
		check := func(passage string, want bool) {
			u := tokenize(passage)
			hits = m.Match(u, hits[:0])
			r := TestResult{Code: c, Passage: passage, Want: want}
			for _, h := range hits {
				if h.Code != c {
					continue
				}
				r.Got = true
				for _, mt := range h.Matches {
					r.Negated = r.Negated || mt.Negated
					for _, i := range mt.Tokens {
						r.Matched = append(r.Matched, u.Tokens[i])
					}
				}
			}
			out = append(out, r)
		}
		for _, e := range c.Examples {
			check(e, true)
		}
		for _, e := range c.Counterexamples {
			check(e, false)
		}
	})
	return out
}
