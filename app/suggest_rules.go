package app

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
	"qcode/coding/agree"
	"qcode/corpus"
	"qcode/project"
)

// SuggestRulesOptions say whose codings to learn rules from, and which
// terms to keep.
type SuggestRulesOptions struct {
	Coder string // only this person's codings; "" for every person's
	Code  string // only this code (id, name or path); "" for every code people applied
	Top   int    // terms proposed per code; 0 for DefaultSuggestTop
	// MinPrecision leaves out a term whose precision as a rule, on the
	// codings learnt from, would be below it (0 to 1).
	MinPrecision float64
	// Alpha0 is the weight of the prior, the whole corpus's counts scaled
	// to sum to it (see coding.WeightedLogOdds); 0 for DefaultAlpha0.
	Alpha0 float64
	// Apply writes the terms proposed into codebook.yaml: each becomes the
	// code's rule, or is added to it with OR.
	Apply bool
}

// Defaults of SuggestRulesOptions.
const (
	DefaultSuggestTop = 10
	DefaultAlpha0     = 1000
	// suggestMinZ is the least z-score of a term proposed: marked apart at
	// the 5% level.
	suggestMinZ = 1.96
	// triedPerTerm is how many candidates are tried as rules, at most, for
	// each term wanted.
	triedPerTerm = 5
)

// Check checks the options without the project.
func (o SuggestRulesOptions) Check() error {
	if o.Top < 0 {
		return qcode.FieldError("top", fmt.Sprint(o.Top), "must be 1 or more (or 0 for the default)")
	}
	if o.MinPrecision < 0 || o.MinPrecision > 1 {
		return qcode.FieldError("min_precision", fmt.Sprint(o.MinPrecision), "must be from 0 to 1")
	}
	if o.Alpha0 < 0 {
		return qcode.FieldError("alpha0", fmt.Sprint(o.Alpha0), "must be positive (or 0 for the default)")
	}
	return nil
}

// RuleSuggestions are the terms proposed for each code from people's
// codings of sentences.
type RuleSuggestions struct {
	Coder     string            `json:"coder"` // "" for every person
	Codebook  string            `json:"codebook"`
	Sources   int               `json:"sources"`   // sources the codings are in
	Sentences int               `json:"sentences"` // their sentences, interviewers' left out
	Alpha0    float64           `json:"alpha0"`
	Codes     []CodeSuggestions `json:"codes"`
	Applied   bool              `json:"applied"` // the rules were written into the codebook
}

// CodeSuggestions are the terms proposed for one code, and how its rule
// does on the codings before and after they are added.
type CodeSuggestions struct {
	Code      string           `json:"code"`
	Path      string           `json:"path"`
	Sentences int              `json:"sentences"` // sentences people coded with it
	Rule      string           `json:"rule"`      // as it stands
	Before    RuleFigures      `json:"before"`
	Terms     []TermSuggestion `json:"terms"`
	NewRule   string           `json:"new_rule"` // the rule with the terms added; "" when none is
	After     RuleFigures      `json:"after"`
}

// RuleFigures are how a rule would code the sentences learnt from.
type RuleFigures struct {
	Matched   int          `json:"matched"` // sentences it matches
	Precision coding.Score `json:"precision"`
	Recall    coding.Score `json:"recall"`
	F1        coding.Score `json:"f1"`
}

// TermSuggestion is one term proposed for a code's rule.
type TermSuggestion struct {
	Term  string   `json:"term"`            // as a rule writes it: learn*, "two way", humility
	Words []string `json:"words,omitempty"` // for a wildcard, the marking words it stands for
	Count int      `json:"count"`           // uses in the code's sentences
	Delta float64  `json:"log_odds"`        // the log-odds ratio against the other sentences
	Z     float64  `json:"z"`
	RuleFigures
	Adds int `json:"adds"` // coded sentences it matches that the rule does not
}

// learnSentence is one sentence learnt from: its passage, its words as the
// rules compare them, and the codes people gave it.
type learnSentence struct {
	passage     codebook.Passage
	words       []string // normalised; "" for a punctuation mark, which breaks a phrase
	codes       []string
	source      string
	ord         int  // the sentence's number: P03:s41
	turn        int  // the number of its turn in the source
	personCoded bool // by any person, chosen or not
	// question is the words of the interviewer's turn before the
	// sentence's turn (nil when none came before it in the source), the
	// question the sentence answers.
	question []string
}

// SuggestRules proposes, for each code people applied to sentences, the
// words and two-word phrases that mark its sentences apart from the
// others: ranked by the z-score of their weighted log-odds ratio with an
// informative Dirichlet prior (Monroe, Colaresi and Quinn 2008; see
// coding.WeightedLogOdds), words that share a stem of five letters or more
// joined into one wildcard (learn*), each with the precision and recall it
// would have as a rule on those codings. Only sources the people coded are
// read, and interviewers' turns are left out, as the rules leave them. With
// Apply the terms are written into codebook.yaml, its comments kept.
func (p *Project) SuggestRules(ctx context.Context, o SuggestRulesOptions) (*RuleSuggestions, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	if o.Top == 0 {
		o.Top = DefaultSuggestTop
	}
	if o.Alpha0 == 0 {
		o.Alpha0 = DefaultAlpha0
	}
	if o.Apply {
		codebookWrites.Lock()
		defer codebookWrites.Unlock()
	}
	cb, err := p.Codebook()
	if err != nil {
		return nil, err
	}
	m, err := cb.Matcher()
	if err != nil {
		return nil, err
	}
	only := ""
	if o.Code != "" {
		if only, err = cb.Find(o.Code, "code"); err != nil {
			return nil, err
		}
		if cb.Code(only).ByPeople {
			return nil, qcode.FieldError("code", o.Code, "is coded by people (auto: false), so the rules never code it; remove its auto line first to give it a rule")
		}
	}
	if err := p.checkLearnCoder(ctx, o.Coder, "the rules"); err != nil {
		return nil, err
	}

	sents, sources, err := p.learnSentences(ctx, o.Coder)
	if err != nil {
		return nil, err
	}
	res := &RuleSuggestions{Coder: o.Coder, Codebook: cb.Shown, Sources: sources, Sentences: len(sents), Alpha0: o.Alpha0, Codes: []CodeSuggestions{}}
	applied := map[string]bool{}
	for _, s := range sents {
		for _, c := range s.codes {
			applied[c] = true
		}
	}
	// What each code's rule matches now, by sentence.
	ruled := make([]map[string]bool, len(sents))
	var hits []codebook.Hit
	for i, s := range sents {
		hits = m.Match(s.passage, hits[:0])
		ruled[i] = map[string]bool{}
		for _, h := range hits {
			ruled[i][h.Code.ID] = true
		}
	}
	uni, bi := map[string]int{}, map[string]int{}
	for _, s := range sents {
		countTerms(s.words, uni, bi)
	}
	common := commonWords(uni, commonTop)
	var codes []*codebook.Code
	cb.Walk(func(c *codebook.Code) {
		// A code coded by people takes no rule (the codebook refuses one).
		if applied[c.ID] && !c.ByPeople && (only == "" || c.ID == only) {
			codes = append(codes, c)
		}
	})
	for _, c := range codes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res.Codes = append(res.Codes, suggestFor(c, sents, ruled, uni, bi, common, m, o))
	}
	if o.Apply {
		if err := writeRules(ctx, cb, res.Codes); err != nil {
			return nil, err
		}
		res.Applied = true
	}
	return res, nil
}

// checkLearnCoder checks the person (or "" for every person) whose
// codings learner learns from: a person who coded in the project.
func (p *Project) checkLearnCoder(ctx context.Context, coder, learner string) error {
	_, coders, err := p.CodingNames(ctx)
	if err != nil {
		return err
	}
	people := slices.DeleteFunc(slices.Clone(coders), func(c string) bool { return c == coding.RulesCoder })
	switch {
	case coder == coding.RulesCoder:
		return qcode.FieldError("coder", coder, "is the rules engine; name a person, whose codings "+learner+" learn from")
	case coder != "" && !slices.Contains(people, coder):
		return &qcode.Error{Code: qcode.ENOTFOUND, Field: "coder", Value: coder, Near: people,
			Message: "no codings by this person in the project"}
	case len(people) == 0:
		return qcode.Errorf(qcode.ENOTFOUND, "the project has no codings by people to learn from (import some with qcode coding import)")
	}
	return nil
}

// learnSentences reads the sentences of the sources coder (every person
// when "") coded, interviewers' turns left out, each with the codes
// people gave it: a coding gives its code to every sentence it shares a
// character with. It returns them and the number of sources.
func (p *Project) learnSentences(ctx context.Context, coder string) ([]learnSentence, int, error) {
	return p.readSentences(ctx, coder, false)
}

// readSentences is learnSentences, reading every source when all is set;
// a sentence's codes are then coder's (every person's when ""), and
// personCoded says whether any person coded it.
func (p *Project) readSentences(ctx context.Context, coder string, all bool) ([]learnSentence, int, error) {
	type personCoding struct {
		start, end int
		code       string
		chosen     bool // by coder
	}
	bySource := map[string][]personCoding{}
	chosen := map[string]bool{} // sources coder coded
	err := p.EachCoding(ctx, project.CodingFilter{}, func(c *coding.Coding) error {
		if c.Coder != coding.RulesCoder {
			mine := coder == "" || c.Coder == coder
			if mine {
				chosen[c.Source] = true
			}
			bySource[c.Source] = append(bySource[c.Source], personCoding{c.Start, c.End, c.Code, mine})
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	speakers, err := p.Speakers(ctx)
	if err != nil {
		return nil, 0, err
	}
	interviewer := map[string]bool{}
	for _, s := range speakers {
		interviewer[s.Name] = s.Interviewer
	}
	var out []learnSentence
	// The interviewer's last turn in the source being read, and its words.
	var qSource string
	var qTurn int
	var question []string
	err = p.EachSentence(ctx, func(r project.SentenceRow) error {
		if r.Source != qSource {
			qSource, qTurn, question = r.Source, -1, nil
		}
		if interviewer[r.Speaker] {
			if qTurn != r.Turn {
				// A new question: a fresh slice, as sentences hold the last.
				qTurn, question = r.Turn, nil
			}
			toks, _ := corpus.Words(r.Text)
			for _, t := range toks {
				w := ""
				if t.IsWord() {
					w = codebook.NormWord(t.Text)
				}
				question = append(question, w)
			}
			return nil
		}
		if !all && !chosen[r.Source] {
			return nil
		}
		// Tokenised as import tokenises, so the words are those the rules see.
		toks, sent := corpus.Words(r.Text)
		s := learnSentence{words: make([]string, len(toks)), source: r.Source, ord: r.Sentence, turn: r.Turn, question: question}
		coding.SetPassage(&s.passage, toks, sent)
		for i, t := range toks {
			if t.IsWord() {
				s.words[i] = codebook.NormWord(t.Text)
			}
		}
		for _, c := range bySource[r.Source] {
			if c.start < r.End && r.Start < c.end {
				s.personCoded = true
				if c.chosen && !slices.Contains(s.codes, c.code) {
					s.codes = append(s.codes, c.code)
				}
			}
		}
		out = append(out, s)
		return nil
	})
	return out, len(chosen), err
}

// countTerms adds the words of one sentence to uni and its two-word
// phrases (words side by side, no punctuation between) to bi.
func countTerms(words []string, uni, bi map[string]int) {
	for i, w := range words {
		if !ruleWord(w) {
			continue
		}
		uni[w]++
		if i+1 < len(words) && ruleWord(words[i+1]) {
			bi[w+" "+words[i+1]]++
		}
	}
}

// ruleWord reports whether a normalised token can be proposed as a rule
// word: letters, digits, and apostrophes or hyphens inside; not a clitic
// such as 's or n't, which marks nothing.
func ruleWord(w string) bool {
	if w == "" || strings.HasPrefix(w, "'") || strings.Contains(w, "n't") {
		return false
	}
	letters := 0
	for _, r := range w {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r), r == '\'', r == '-':
		default:
			return false
		}
	}
	return letters > 0
}

// suggestFor proposes the terms for code c.
func suggestFor(c *codebook.Code, sents []learnSentence, ruled []map[string]bool, uni, bi map[string]int, common map[string]bool, m *codebook.Matcher, o SuggestRulesOptions) CodeSuggestions {
	cs := CodeSuggestions{Code: c.ID, Path: c.Path(), Rule: c.Rule, Terms: []TermSuggestion{}}
	coded := make([]bool, len(sents))
	gUni, gBi := map[string]int{}, map[string]int{}
	rUni, rBi := map[string]int{}, map[string]int{}
	var before []bool
	for i, s := range sents {
		coded[i] = slices.Contains(s.codes, c.ID)
		before = append(before, ruled[i][c.ID])
		if coded[i] {
			cs.Sentences++
			countTerms(s.words, gUni, gBi)
		}
	}
	for w, n := range uni {
		if d := n - gUni[w]; d > 0 {
			rUni[w] = d
		}
	}
	for w, n := range bi {
		if d := n - gBi[w]; d > 0 {
			rBi[w] = d
		}
	}
	cs.Before = figures(before, coded)

	type cand struct {
		term  string
		words []string
		count int
		lo    coding.LogOdds
	}
	var cands []cand
	scoreUni := coding.WeightedLogOdds(gUni, rUni, o.Alpha0)
	var top []cand
	for w, n := range gUni {
		if lo := scoreUni[w]; n >= 2 && lo.Z >= suggestMinZ && !common[w] {
			top = append(top, cand{term: w, count: n, lo: lo})
		}
	}
	slices.SortFunc(top, func(a, b cand) int { return cmp.Or(cmp.Compare(b.lo.Z, a.lo.Z), strings.Compare(a.term, b.term)) })
	// Words of one family among the top ones become one wildcard, scored
	// on every word it matches.
	top = top[:min(len(top), 3*o.Top)]
	used := make([]bool, len(top))
	for i := range top {
		if used[i] {
			continue
		}
		stem, family := top[i].term, []string{top[i].term}
		for j := i + 1; j < len(top); j++ {
			if p := commonPrefix(top[i].term, top[j].term); !used[j] && len([]rune(p)) >= 5 {
				stem = commonPrefix(stem, top[j].term)
				family = append(family, top[j].term)
				used[j] = true
			}
		}
		if len(family) == 1 {
			cands = append(cands, top[i])
			continue
		}
		g, r := map[string]int{}, map[string]int{}
		for w, n := range gUni {
			if strings.HasPrefix(w, stem) {
				g[stem] += n
			}
		}
		for w, n := range rUni {
			if strings.HasPrefix(w, stem) {
				r[stem] += n
			}
		}
		// The family's counts against the corpus's other words.
		for w, n := range gUni {
			if !strings.HasPrefix(w, stem) {
				g[w] = n
			}
		}
		for w, n := range rUni {
			if !strings.HasPrefix(w, stem) {
				r[w] = n
			}
		}
		slices.Sort(family)
		cands = append(cands, cand{term: stem + "*", words: family, count: g[stem], lo: coding.WeightedLogOdds(g, r, o.Alpha0)[stem]})
	}
	scoreBi := coding.WeightedLogOdds(gBi, rBi, o.Alpha0)
	for w, n := range gBi {
		a, b, _ := strings.Cut(w, " ")
		if lo := scoreBi[w]; n >= 2 && lo.Z >= suggestMinZ && !(common[a] && common[b]) {
			cands = append(cands, cand{term: `"` + w + `"`, count: n, lo: lo})
		}
	}
	slices.SortFunc(cands, func(a, b cand) int { return cmp.Or(cmp.Compare(b.lo.Z, a.lo.Z), strings.Compare(a.term, b.term)) })

	mode := c.Negation
	if mode == "" {
		mode = codebook.NegationSkip
	}
	after := slices.Clone(before)
	var terms []string
	// Each term tried is matched against every sentence: trying only the
	// best few times as many as are wanted bounds the cost on a large
	// project, and a term far down the ranking marks the code little.
	for _, k := range cands[:min(len(cands), triedPerTerm*o.Top)] {
		if len(cs.Terms) == o.Top {
			break
		}
		term := k.term
		if !strings.HasPrefix(term, `"`) && strings.ContainsAny(term, "-'") {
			term = `"` + term + `"`
		}
		q, err := m.Query(term, mode)
		if err != nil {
			continue // a token the rule language cannot write as a word
		}
		matched := make([]bool, len(sents))
		adds := 0
		for i, s := range sents {
			matched[i] = q.Test(s.passage)
			if matched[i] && coded[i] && !after[i] {
				adds++
			}
		}
		f := figures(matched, coded)
		if adds == 0 || f.Precision.Undefined || f.Precision.Value < o.MinPrecision {
			continue
		}
		// A term is kept only if the rule with it codes the sentences
		// learnt from better (a higher F1) than the rule without it.
		with := slices.Clone(after)
		for i := range with {
			with[i] = with[i] || matched[i]
		}
		if figures(with, coded).F1.Value <= figures(after, coded).F1.Value {
			continue
		}
		after = with
		cs.Terms = append(cs.Terms, TermSuggestion{Term: term, Words: k.words, Count: k.count, Delta: k.lo.Delta, Z: k.lo.Z, RuleFigures: f, Adds: adds})
		terms = append(terms, term)
	}
	cs.After = cs.Before
	if len(terms) > 0 {
		cs.NewRule = strings.Join(terms, " OR ")
		if c.Rule != "" {
			cs.NewRule = strings.TrimSpace(c.Rule) + " OR " + cs.NewRule
		}
		cs.After = figures(after, coded)
	}
	return cs
}

// figures measures a rule that matched the sentences marked in matched
// against the coded ones.
func figures(matched, coded []bool) RuleFigures {
	var p agree.Presence
	for i := range matched {
		switch {
		case matched[i] && coded[i]:
			p.Both++
		case matched[i]:
			p.OnlyB++
		case coded[i]:
			p.OnlyA++
		default:
			p.Neither++
		}
	}
	v, _ := coding.MeasureCode("", p)
	return RuleFigures{Matched: p.Both + p.OnlyB, Precision: v.Precision, Recall: v.Recall, F1: v.F1}
}

// writeRules writes the codes' new rules into the codebook's file, as
// text, and checks that it loads and compiles before writing it.
func writeRules(ctx context.Context, cb *Codebook, codes []CodeSuggestions) error {
	if ext := strings.ToLower(filepath.Ext(cb.Path)); ext != ".yaml" && ext != ".yml" {
		return qcode.FieldError("codebook", cb.Shown, "rules are written into a codebook.yaml; this codebook is another format (import it: qcode codebook import)")
	}
	out := cb.Data
	changed := false
	for _, c := range codes {
		if c.NewRule == "" {
			continue
		}
		var err error
		if out, err = codebook.SetRule(out, c.Code, c.NewRule); err != nil {
			return fmt.Errorf("%s: cannot write the rule of %s into it as text (%v); nothing was written", cb.Shown, c.Code, err)
		}
		changed = true
	}
	if !changed {
		return nil
	}
	back, err := codebook.Load(cb.Shown, out)
	if err != nil {
		return fmt.Errorf("internal error: the codebook with the new rules does not load back (%v); nothing was written", err)
	}
	if _, err := codebook.NewMatcher(back); err != nil {
		return fmt.Errorf("internal error: the codebook with the new rules does not compile (%v); nothing was written", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return WriteFile(cb.Path, out)
}

// commonTop is how many of the corpus's most frequent words are too
// common to mark a code alone (the, we, did, too): a rule of them would
// code sentences for their grammar, not what they say.
const commonTop = 100

// commonWords returns the n most frequent words of counts.
func commonWords(counts map[string]int, n int) map[string]bool {
	words := make([]string, 0, len(counts))
	for w := range counts {
		words = append(words, w)
	}
	slices.SortFunc(words, func(a, b string) int { return cmp.Or(cmp.Compare(counts[b], counts[a]), strings.Compare(a, b)) })
	out := map[string]bool{}
	for _, w := range words[:min(n, len(words))] {
		out[w] = true
	}
	return out
}

func commonPrefix(a, b string) string {
	ra, rb := []rune(a), []rune(b)
	n := 0
	for n < len(ra) && n < len(rb) && ra[n] == rb[n] {
		n++
	}
	return string(ra[:n])
}
