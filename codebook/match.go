package codebook

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Passage is what rules run over: the tokens of one segment (a sentence,
// paragraph, turn or whole source) as they stand in the text, and the
// sentence each token belongs to.
type Passage struct {
	Tokens   []string // raw token text (the matcher normalises; punctuation tokens are allowed and are not words)
	Sentence []int32  // sentence number of each token (as long as Tokens); nil means all one sentence
	// IDs, when set (as long as Tokens), number the token texts, from 0:
	// one text, one number, in every passage given to one Query or Matcher
	// (or to one of its clones) in all its life. The matcher then
	// remembers a text's type by its number, a slice index, rather than by
	// hashing the text.
	IDs []int32
}

// Reset empties u to gather the next segment, keeping its buffers.
func (u *Passage) Reset() {
	u.Tokens, u.Sentence, u.IDs = u.Tokens[:0], u.Sentence[:0], u.IDs[:0]
}

// Add appends a token: its text as it stands in the text, and the number
// of its sentence within the passage (from 0, never decreasing).
func (u *Passage) Add(text string, sentence int32) {
	u.Tokens = append(u.Tokens, text)
	u.Sentence = append(u.Sentence, sentence)
}

// AddNumbered is Add for a token whose text is numbered id (see IDs). A
// passage's tokens are all numbered or none is.
func (u *Passage) AddNumbered(text string, sentence, id int32) {
	u.Add(text, sentence)
	u.IDs = append(u.IDs, id)
}

// Slice returns the passage of u's tokens a to b (b excluded), sharing u's
// buffers.
func (u Passage) Slice(a, b int) Passage {
	s := Passage{Tokens: u.Tokens[a:b]}
	if u.Sentence != nil {
		s.Sentence = u.Sentence[a:b]
	}
	if u.IDs != nil {
		s.IDs = u.IDs[a:b]
	}
	return s
}

// Match is one way a rule matched a passage.
type Match struct {
	Tokens  []int // indices into Passage.Tokens of every token the match used, ascending
	Negated bool  // a negation cue stood before one of its hits (see the package doc)
}

// Hit is one code that matched a passage, with all its matches.
type Hit struct {
	Code    *Code
	Matches []Match
}

// Matcher holds the compiled rules of a codebook. Compile once, match many.
//
// Matching resolves each distinct token text once, on first sight, to the
// rule words it matches (a hash lookup for words and stems, one per prefix
// length for prefixes, a scan of the few other wildcard patterns) and
// remembers the answer; after that a token costs one map lookup however many
// rules there are, and only the codes with a word in the passage are evaluated.
//
// A Matcher is not safe for concurrent use: it remembers token types and
// reuses its buffers between calls. Give each goroutine its own with Clone,
// which shares the compiled rules.
type Matcher struct {
	sh  *matcherShared
	run ruleRunner
}

// matcherShared is the read-only part of a Matcher, shared by its clones.
type matcherShared struct {
	prog   *ruleProgram
	stem   bool
	cues   []string
	byID   map[string]*Code
	ids    []string
	asts   map[string]Expr
	window int
}

// ruleProgram is a set of compiled rules with the index of their words.
type ruleProgram struct {
	x       *patternIndex
	codes   []compiledCode
	patTrig [][]trigger // pattern id → what it can set off, by code
	window  int
}

// NewMatcher compiles every code's rule (codes with an empty Rule are
// skipped), inlining #refs. It reports every rule error at once, as an
// ErrorList in codebook order.
func NewMatcher(cb *Codebook) (*Matcher, error) {
	return parseRules(cb).compile()
}

// parsedRules is a codebook's rules parsed, with the problems found so
// far, ready to compile.
type parsedRules struct {
	sh     *matcherShared
	ruled  []*Code        // the codes with a rule, in Walk order
	parsed []Expr         // their rules, nil where one did not parse
	words  int            // the rules' lexemes, about as many as their word patterns
	order  map[string]int // a code's place in Walk order, from 1
	errs   ErrorList
}

// parseRules reads the settings of cb and parses every rule, reporting
// what is wrong so far; compile does the rest of NewMatcher.
func parseRules(cb *Codebook) *parsedRules {
	if cb == nil {
		cb = &Codebook{}
	}
	var errs ErrorList
	sh := &matcherShared{
		byID:   map[string]*Code{},
		asts:   map[string]Expr{},
		window: cb.Negation.Window,
		cues:   cb.Negation.Cues,
	}
	switch cb.Match {
	case "", MatchExact:
	case MatchStem:
		sh.stem = true
	default:
		errs = append(errs, &RuleError{Msg: fmt.Sprintf("match must be exact or stem, not %q", cb.Match)})
	}
	if sh.window <= 0 {
		sh.window = DefaultNegationWindow
	}
	if sh.cues == nil {
		sh.cues = DefaultNegationCues
	}

	var ruled []*Code
	order := map[string]int{}
	cb.Walk(func(c *Code) {
		if _, dup := sh.byID[c.ID]; !dup && c.ID != "" {
			sh.byID[c.ID] = c
			sh.ids = append(sh.ids, c.ID)
			order[c.ID] = len(order) + 1
		}
		if strings.TrimSpace(c.Rule) == "" {
			return
		}
		switch c.Negation {
		case "", NegationSkip, NegationKeep, NegationOnly:
		default:
			errs = append(errs, &RuleError{CodeID: c.ID, Msg: fmt.Sprintf("negation must be skip, keep or only, not %q", c.Negation)})
		}
		ruled = append(ruled, c)
	})
	parsed := make([]Expr, len(ruled))
	var lexemes []ruleLexeme
	words := 0
	for i, c := range ruled {
		e, err := parseRuleBuf(c.Rule, &lexemes)
		words += len(lexemes)
		if err != nil {
			err.CodeID = c.ID
			errs = append(errs, err)
			continue
		}
		parsed[i] = e
		if sh.byID[c.ID] == c {
			sh.asts[c.ID] = e
		}
	}
	return &parsedRules{sh: sh, ruled: ruled, parsed: parsed, words: words, order: order, errs: errs}
}

// compile compiles every parsed rule, inlining #refs, and reports every
// problem of the codebook's rules at once, in codebook order. It reads
// pr.sh and sets only its prog, once done, so that queries may be
// compiled against pr.sh meanwhile (see Queries).
func (pr *parsedRules) compile() (*Matcher, error) {
	sh, ruled, parsed, words, order, errs := pr.sh, pr.ruled, pr.parsed, pr.words, pr.order, slices.Clone(pr.errs)

	// The maps of word patterns are made big enough at once: growing
	// them to a dictionary's thousands of words was a tenth of compiling.
	x := newPatternIndex(sh.stem, sh.cues, words)
	comp := newRuleCompiler(x, sh.byID, sh.ids, sh.asts)
	prog := &ruleProgram{x: x, window: sh.window}
	for i, c := range ruled {
		if parsed[i] == nil {
			continue
		}
		var root *cnode
		var ok bool
		if sh.byID[c.ID] == c {
			root, ok = comp.code(c.ID)
		} else { // a duplicate id (the loader reports it): nothing can refer to it
			root, ok = comp.expr(parsed[i], c.ID)
		}
		if ok {
			prog.codes = append(prog.codes, compiledCode{code: c, root: root, mode: c.Negation})
		}
	}
	errs = append(errs, comp.errs...)
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b *RuleError) int {
			return cmp.Or(cmp.Compare(order[a.CodeID], order[b.CodeID]), cmp.Compare(a.Col, b.Col))
		})
		return nil, errs
	}
	prog.index()
	sh.prog = prog
	return &Matcher{sh: sh, run: newRuleRunner(prog)}, nil
}

// trigger says that a word pattern can set off a code: all of its rule when
// kid < 0, or only term kid of the long OR its rule is (a dictionary
// category), so that only the terms whose words occur are evaluated.
type trigger struct{ code, kid int32 }

// index builds patTrig, the map from a word pattern to what it can set off.
func (p *ruleProgram) index() {
	p.patTrig = make([][]trigger, p.x.n)
	var trig []int32
	for i, c := range p.codes {
		if c.root.index != nil {
			for _, e := range c.root.index {
				p.patTrig[e.pat] = append(p.patTrig[e.pat], trigger{int32(i), e.kid})
			}
			continue
		}
		trig = triggers(c.root, trig[:0])
		slices.Sort(trig)
		for _, t := range slices.Compact(trig) {
			p.patTrig[t] = append(p.patTrig[t], trigger{int32(i), -1})
		}
	}
}

// Clone returns a Matcher that shares m's compiled rules but has its own
// memory of token types and buffers, for use in another goroutine.
func (m *Matcher) Clone() *Matcher {
	return &Matcher{sh: m.sh, run: newRuleRunner(m.sh.prog)}
}

// Match appends to hits the codes whose rules match u, in codebook (Walk)
// order, and returns it.
func (m *Matcher) Match(u Passage, hits []Hit) []Hit {
	r := &m.run
	if !r.load(u) {
		return hits
	}
	r.outHits = r.outHits[:0]
	kt := r.kidTrig
	for _, ci := range r.cands {
		c := &r.prog.codes[ci]
		var kids []trigger
		if c.root.index != nil {
			j := 0
			for j < len(kt) && kt[j].code == ci {
				j++
			}
			kids, kt = kt[:j], kt[j:]
		}
		if n := r.collect(c.root, c.mode, kids); n > 0 {
			r.outHits = append(r.outHits, ci, int32(n))
		}
	}
	ms := r.matches()
	for i := 0; i < len(r.outHits); i += 2 {
		n := int(r.outHits[i+1])
		hits = append(hits, Hit{Code: r.prog.codes[r.outHits[i]].code, Matches: ms[:n:n]})
		ms = ms[n:]
	}
	return hits
}

// MayMatch reports whether some rule has a word in u: Match finds nothing
// where it is false. It looks up each token's type, as Match does first,
// and needs nothing else of u (its Sentence may be nil), so a caller can
// skip what only Match needs, such as working out sentences, for the
// passages no rule can match.
func (m *Matcher) MayMatch(u Passage) bool {
	r := &m.run
	for _, tok := range u.Tokens {
		if r.typeOf(tok)&tfPats != 0 {
			return true
		}
	}
	return false
}

// Query is one ad-hoc rule, compiled against a codebook, for search. Like a
// Matcher it is not safe for concurrent use; Clone it.
type Query struct {
	expr Expr
	prog *ruleProgram
	run  ruleRunner
}

// Query compiles one ad-hoc rule against the codebook (for #refs and its
// match and negation settings) with the given negation mode ("" is skip).
// Its errors are *RuleError with CodeID "".
func (m *Matcher) Query(src string, mode NegationMode) (*Query, error) {
	return m.Queries().Query(src, mode)
}

// Queries compiles ad-hoc rules (searches) against a codebook: its match
// and negation settings and the rules its #refs name, as parsed. A
// Matcher gives one (Queries); so does LoadChecking while the codebook's
// own rules are still being checked. It is safe for concurrent use.
type Queries struct{ sh *matcherShared }

// Queries returns the queries compiled against m's codebook.
func (m *Matcher) Queries() *Queries { return &Queries{m.sh} }

// CodeIDs returns the id of every code of the codebook, with or without a
// rule, in codebook order.
func (qs *Queries) CodeIDs() []string { return slices.Clone(qs.sh.ids) }

// Query is Matcher.Query.
func (qs *Queries) Query(src string, mode NegationMode) (*Query, error) {
	switch mode {
	case "", NegationSkip, NegationKeep, NegationOnly:
	default:
		return nil, &RuleError{Msg: fmt.Sprintf("negation must be skip, keep or only, not %q", mode)}
	}
	e, err := parseRule(src)
	if err != nil {
		return nil, err
	}
	x := newPatternIndex(qs.sh.stem, qs.sh.cues, 0)
	comp := newRuleCompiler(x, qs.sh.byID, qs.sh.ids, qs.sh.asts)
	root, ok := comp.expr(e, "")
	if !ok {
		return nil, comp.errs[0]
	}
	if expandedSize(root, comp.sizes) > maxRuleTerms {
		return nil, &RuleError{Msg: fmt.Sprintf(tooBig, maxRuleTerms)}
	}
	prog := &ruleProgram{x: x, window: qs.sh.window, codes: []compiledCode{{root: root, mode: mode}}}
	prog.index()
	return &Query{expr: e, prog: prog, run: newRuleRunner(prog)}, nil
}

// Expr returns the parsed query, to find its words (see Inspect).
func (q *Query) Expr() Expr { return q.expr }

// String returns the query in canonical form.
func (q *Query) String() string { return q.expr.String() }

// Clone returns a copy of q for use in another goroutine.
func (q *Query) Clone() *Query {
	return &Query{expr: q.expr, prog: q.prog, run: newRuleRunner(q.prog)}
}

// Test reports whether the query matches u: whether Match would return a
// match. It does the same work but makes none of the matches.
func (q *Query) Test(u Passage) bool {
	r := &q.run
	if !r.load(u) {
		return false
	}
	c := &q.prog.codes[0]
	r.collect(c.root, c.mode, r.kidTrig)
	ok := len(r.out) > 0
	r.out, r.outToks = r.out[:0], r.outToks[:0]
	return ok
}

// First reports whether the query matches u, as Test does, and gives the
// first and last token (indices into u's tokens) of the first match Match
// would return; first is -1 when that match has no tokens. It makes none
// of the matches: what a keyword in context shows of a hit, found as the
// hit is decided.
func (q *Query) First(u Passage) (first, last int, ok bool) {
	r := &q.run
	if !r.load(u) {
		return -1, -1, false
	}
	c := &q.prog.codes[0]
	r.collect(c.root, c.mode, r.kidTrig)
	first, last, ok = -1, -1, len(r.out) > 0
	if ok && r.out[0].n > 0 {
		m := r.out[0]
		first, last = int(r.outToks[m.off]), int(r.outToks[m.off+m.n-1])
	}
	r.out, r.outToks = r.out[:0], r.outToks[:0]
	return first, last, ok
}

// Match returns the query's matches in u, nil if none.
func (q *Query) Match(u Passage) []Match {
	r := &q.run
	if !r.load(u) {
		return nil
	}
	c := &q.prog.codes[0]
	r.collect(c.root, c.mode, r.kidTrig)
	return r.matches()
}
