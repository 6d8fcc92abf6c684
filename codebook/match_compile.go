package codebook

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"qcode"
)

// Operations of compiled rule nodes.
const (
	opWord uint8 = iota
	opPhrase
	opOr
	opAnd
	opNot
	opNear
)

// cnode is a compiled rule: words are pattern ids, #refs are inlined, and
// the terms of an AND come positive first. Nodes are immutable once built
// and shared between the codes that reuse them.
type cnode struct {
	op      uint8
	ordered bool    // opNear: BEFORE
	n       int32   // opNear: distance
	pat     int32   // opWord: the word; opPhrase: its first word
	pats    []int32 // opPhrase: every word
	kids    []*cnode
	index   []orEntry // opOr with many kids: which kids each pattern can set off
}

// orEntry says that pattern pat can set off kid kid of an OR. A long OR
// (a dictionary category of hundreds of words) is evaluated through its
// index, from the patterns a passage holds, so that its cost does not grow
// with its length.
type orEntry struct{ pat, kid int32 }

// orIndexMin is the number of terms from which an OR gets an index.
const orIndexMin = 16

func orIndex(kids []*cnode) []orEntry {
	var idx []orEntry
	var trig []int32
	for i, k := range kids {
		trig = triggers(k, trig[:0])
		slices.Sort(trig)
		for _, p := range slices.Compact(trig) {
			idx = append(idx, orEntry{p, int32(i)})
		}
	}
	slices.SortFunc(idx, func(a, b orEntry) int { return cmp.Or(cmp.Compare(a.pat, b.pat), cmp.Compare(a.kid, b.kid)) })
	return idx
}

// nodeSlab allocates compiled nodes side by side, so that the nodes of one
// rule share cache lines: evaluating a dictionary's code then costs a memory
// fetch or two rather than one per node.
type nodeSlab struct {
	nodes []cnode
	ptrs  []*cnode
	ints  []int32
}

func slabAppend[T any](slab *[]T, xs ...T) []T {
	if len(*slab)+len(xs) > cap(*slab) {
		*slab = make([]T, 0, max(1024, len(xs)))
	}
	start := len(*slab)
	*slab = append(*slab, xs...)
	return (*slab)[start:len(*slab):len(*slab)]
}

func (s *nodeSlab) int32s(xs []int32) []int32 { return slabAppend(&s.ints, xs...) }

func (c *ruleCompiler) node(n cnode) *cnode { return &slabAppend(&c.slab.nodes, n)[0] }

func (c *ruleCompiler) kids(ks ...*cnode) []*cnode { return slabAppend(&c.slab.ptrs, ks...) }

// compiledCode is one code's rule, ready to run.
type compiledCode struct {
	code *Code
	root *cnode
	mode NegationMode
}

// ruleCompiler turns parsed rules into cnodes, inlining #refs.
type ruleCompiler struct {
	x     *patternIndex
	byID  map[string]*Code
	ids   []string        // every code id, for suggestions
	asts  map[string]Expr // parsed rules of codes whose rule parsed
	done  map[string]*cnode
	state map[string]uint8
	sizes map[*cnode]int // expandedSize's memo
	stack []string
	errs  ErrorList
	slab  nodeSlab

	scratch []int32
}

const (
	refVisiting uint8 = iota + 1
	refDone
	refFailed
)

func newRuleCompiler(x *patternIndex, byID map[string]*Code, ids []string, asts map[string]Expr) *ruleCompiler {
	return &ruleCompiler{
		x:     x,
		byID:  byID,
		ids:   ids,
		asts:  asts,
		done:  make(map[string]*cnode, len(asts)),
		state: make(map[string]uint8, len(asts)),
		sizes: map[*cnode]int{},
	}
}

// errorf records a rule error and returns it, for the caller to add the
// names a mistyped one may have meant.
func (c *ruleCompiler) errorf(owner string, col int, format string, args ...any) *RuleError {
	e := &RuleError{CodeID: owner, Col: col, Msg: fmt.Sprintf(format, args...)}
	c.errs = append(c.errs, e)
	return e
}

// maxRuleTerms bounds a rule's size with every #reference written out.
// References share compiled rules, but a chain of codes that each refer to
// the next twice ("#b OR #b") doubles at every link; without a bound a small
// codebook could take hours to compile and match.
const maxRuleTerms = 50000

const tooBig = "the rule grows past %d terms when its #references are written out; refer to fewer codes, or to each code once"

// expandedSize returns the number of nodes of n's tree with every shared
// (referenced) part counted each time it is used, up to maxRuleTerms+1. memo
// makes this cost the size of the shared graph, not of the tree.
func expandedSize(n *cnode, memo map[*cnode]int) int {
	if v, ok := memo[n]; ok {
		return v
	}
	size := 1
	for _, k := range n.kids {
		size += expandedSize(k, memo)
		if size > maxRuleTerms {
			size = maxRuleTerms + 1
			break
		}
	}
	memo[n] = size
	return size
}

// code compiles the rule of the code with the given id, once.
func (c *ruleCompiler) code(id string) (*cnode, bool) {
	switch c.state[id] {
	case refDone:
		return c.done[id], true
	case refFailed:
		return nil, false
	}
	ast, ok := c.asts[id]
	if !ok { // its rule did not parse; that error is reported already
		c.state[id] = refFailed
		return nil, false
	}
	c.state[id] = refVisiting
	c.stack = append(c.stack, id)
	n, ok := c.expr(ast, id)
	c.stack = c.stack[:len(c.stack)-1]
	if !ok {
		c.state[id] = refFailed
		return nil, false
	}
	if expandedSize(n, c.sizes) > maxRuleTerms {
		c.state[id] = refFailed
		c.errorf(id, 0, tooBig, maxRuleTerms)
		return nil, false
	}
	c.state[id] = refDone
	c.done[id] = n
	return n, true
}

// expr compiles e, a part of the rule of owner ("" for a query). It keeps
// going after an error to report every unknown #ref of the rule.
func (c *ruleCompiler) expr(e Expr, owner string) (*cnode, bool) {
	switch e := e.(type) {
	case Word:
		return c.phrase([]Word{e}), true
	case Phrase:
		return c.phrase(e.Words), true
	case Ref:
		return c.ref(e, owner)
	case Not:
		x, ok := c.expr(e.X, owner)
		if !ok {
			return nil, false
		}
		return c.node(cnode{op: opNot, kids: c.kids(x)}), true
	case Near:
		l, okl := c.expr(e.Left, owner)
		r, okr := c.expr(e.Right, owner)
		if !okl || !okr {
			return nil, false
		}
		for _, side := range []struct {
			e Expr
			n *cnode
		}{{e.Left, l}, {e.Right, r}} {
			if !nearOperand(side.n) {
				op := "NEAR/"
				if e.Ordered {
					op = "BEFORE/"
				}
				c.errorf(owner, side.e.Pos(), "%s%d can only join words, phrases and (… OR …) groups of them; the rule of %s is more than that", op, e.N, side.e)
				return nil, false
			}
		}
		return c.node(cnode{op: opNear, kids: c.kids(l, r), n: int32(e.N), ordered: e.Ordered}), true
	case And:
		var pos, neg []*cnode
		ok := true
		for _, t := range e.Terms {
			k, kok := c.expr(t, owner)
			if !kok {
				ok = false
				continue
			}
			switch {
			case k.op == opAnd:
				for _, kk := range k.kids {
					if kk.op == opNot {
						neg = append(neg, kk)
					} else {
						pos = append(pos, kk)
					}
				}
			case k.op == opNot:
				neg = append(neg, k)
			default:
				pos = append(pos, k)
			}
		}
		if !ok {
			return nil, false
		}
		if len(pos)+len(neg) > maxRuleTerms {
			c.errorf(owner, e.Pos(), tooBig, maxRuleTerms)
			return nil, false
		}
		return c.node(cnode{op: opAnd, kids: c.kids(append(pos, neg...)...)}), true
	case Or:
		var kids []*cnode
		ok := true
		for _, t := range e.Terms {
			k, kok := c.expr(t, owner)
			if !kok {
				ok = false
				continue
			}
			if k.op == opOr {
				kids = append(kids, k.kids...)
			} else {
				kids = append(kids, k)
			}
			if len(kids) > maxRuleTerms {
				c.errorf(owner, e.Pos(), tooBig, maxRuleTerms)
				return nil, false
			}
		}
		if !ok {
			return nil, false
		}
		n := cnode{op: opOr, kids: c.kids(kids...)}
		if len(kids) >= orIndexMin {
			n.index = orIndex(kids)
		}
		return c.node(n), true
	}
	panic(fmt.Sprintf("codebook: unknown rule node %T", e))
}

// phrase compiles a word or phrase. Tokenisers split contractions and
// possessives (don't → do n't, Uganda's → Uganda 's) or keep them whole, so
// a rule word with such a clitic matches either way: the phrase becomes an
// OR of its words as written and its words split. Writers join compounds
// with a hyphen, a space or nothing (two-way, two way, twoway), and the
// tokeniser keeps a hyphenated word whole, so each gap of a phrase or
// hyphenated word becomes all three spellings (see joinVariants).
func (c *ruleCompiler) phrase(words []Word) *cnode {
	if len(words) == 1 && strings.IndexByte(words[0].Text, '-') < 0 {
		return c.spelling([]string{normWord(words[0].Text)})
	}
	var kids []*cnode
	for _, v := range joinVariants(words) {
		kids = append(kids, c.spelling(v))
	}
	if len(kids) == 1 {
		return kids[0]
	}
	n := cnode{op: opOr, kids: c.kids(kids...)}
	if len(kids) >= orIndexMin {
		n.index = orIndex(kids)
	}
	return c.node(n)
}

// spelling compiles one spelling of a phrase, normalised words, adding its
// clitic-split form.
func (c *ruleCompiler) spelling(norms []string) *cnode {
	whole := c.scratch[:0]
	clitic := false
	for _, norm := range norms {
		whole = append(whole, c.x.intern(norm))
		if _, _, ok := splitClitic(norm); ok {
			clitic = true
		}
	}
	c.scratch = whole
	n := c.phraseNode(whole)
	if !clitic {
		return n
	}
	var split []int32
	for _, norm := range norms {
		if host, cl, ok := splitClitic(norm); ok {
			split = append(split, c.x.intern(host), c.x.intern(cl))
		} else {
			split = append(split, c.x.intern(norm))
		}
	}
	return c.node(cnode{op: opOr, kids: c.kids(n, c.phraseNode(split))})
}

// Ways a gap between two parts of a compound is written.
const (
	gapSpace  = iota // two way: two tokens
	gapHyphen        // two-way: one token, as the tokeniser keeps it
	gapClosed        // twoway
)

// maxFullGaps is the number of gaps up to which every mix of spellings is
// written out (3^3 = 27 spellings); a longer phrase gets its spelling as
// written and the three uniform ones (all spaced, all hyphenated, all
// closed), so that its cost stays linear.
const maxFullGaps = 3

// joinVariants returns the spellings of a phrase or hyphenated word as
// lists of normalised words: its words are split at inner hyphens into
// parts, and each gap between two parts that hold no wildcard and meet
// letter (or digit) to letter may be written with a space, a hyphen or
// nothing. The spelling as written comes first; none repeats.
func joinVariants(words []Word) [][]string {
	var parts []string
	var gaps []int // gaps[i] is how parts i and i+1 are joined as written
	for i, w := range words {
		norm := normWord(w.Text)
		ps := splitHyphens(norm)
		if i > 0 {
			gaps = append(gaps, gapSpace)
		}
		parts = append(parts, ps[0])
		for _, p := range ps[1:] {
			gaps = append(gaps, gapHyphen)
			parts = append(parts, p)
		}
	}
	var free []int // the gaps that may change
	for i := range gaps {
		l, _ := utf8.DecodeLastRuneInString(parts[i])
		r, _ := utf8.DecodeRuneInString(parts[i+1])
		if isWordRune(l) && isWordRune(r) && !hasWildcard(parts[i]) && !hasWildcard(parts[i+1]) {
			free = append(free, i)
		}
	}
	// Every choice of gaps spells a different list of words, so only the
	// spelling as written, which is one of the choices, would repeat.
	out := [][]string{spell(parts, gaps)}
	g := slices.Clone(gaps)
	add := func() {
		if !slices.Equal(g, gaps) {
			out = append(out, spell(parts, g))
		}
	}
	if len(free) <= maxFullGaps {
		total := 1
		for range free {
			total *= 3
		}
		for k := range total {
			for _, i := range free {
				g[i] = k % 3
				k /= 3
			}
			add()
		}
		return out
	}
	for _, way := range []int{gapSpace, gapHyphen, gapClosed} {
		for _, i := range free {
			g[i] = way
		}
		add()
	}
	return out
}

// splitHyphens splits a normalised word at each hyphen that has a letter,
// digit or wildcard on both sides (two-way → two, way); other hyphens stay.
func splitHyphens(norm string) []string {
	var out []string
	start := 0
	for i := 0; i < len(norm); i++ {
		if norm[i] != '-' || i == start || i+1 >= len(norm) {
			continue
		}
		left, right := norm[start:i], norm[i+1:]
		if !hasWordRune(left) && !hasWildcard(left) || !startsPart(right) {
			continue
		}
		out = append(out, left)
		start = i + 1
	}
	return append(out, norm[start:])
}

func startsPart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isWordRune(r) || r == '*' || r == '?'
}

// spell joins parts by gaps into the words of one spelling.
func spell(parts []string, gaps []int) []string {
	out := []string{parts[0]}
	for i, g := range gaps {
		switch g {
		case gapSpace:
			out = append(out, parts[i+1])
		case gapHyphen:
			out[len(out)-1] += "-" + parts[i+1]
		default:
			out[len(out)-1] += parts[i+1]
		}
	}
	return out
}

func (c *ruleCompiler) phraseNode(pats []int32) *cnode {
	if len(pats) == 1 {
		return c.node(cnode{op: opWord, pat: pats[0]})
	}
	return c.node(cnode{op: opPhrase, pat: pats[0], pats: c.slab.int32s(pats)})
}

// clitics are the endings tokenisers split off English words, as
// normalised (straight apostrophes).
var clitics = []string{"n't", "'s", "'re", "'ve", "'ll", "'d", "'m"}

// splitClitic splits a normalised rule word such as don't into do and n't.
func splitClitic(norm string) (host, clitic string, ok bool) {
	if strings.IndexByte(norm, '\'') < 0 || hasWildcard(norm) {
		return "", "", false
	}
	for _, cl := range clitics {
		if h, found := strings.CutSuffix(norm, cl); found && hasWordRune(h) {
			return h, cl, true
		}
	}
	return "", "", false
}

func (c *ruleCompiler) ref(e Ref, owner string) (*cnode, bool) {
	target, ok := c.byID[e.ID]
	if !ok {
		near := qcode.Nearest(e.ID, c.ids)
		for i := range near {
			near[i] = "#" + near[i]
		}
		c.errorf(owner, e.Col, "unknown code #%s", e.ID).Near = near
		return nil, false
	}
	if strings.TrimSpace(target.Rule) == "" {
		c.errorf(owner, e.Col, "#%s has no rule to reuse; give it one or write the words out", e.ID)
		return nil, false
	}
	if c.state[e.ID] == refVisiting {
		i := slices.Index(c.stack, e.ID)
		cycle := append(slices.Clone(c.stack[i:]), e.ID)
		c.errorf(owner, e.Col, "#%s makes a reference cycle: %s", e.ID, strings.Join(cycle, " → "))
		return nil, false
	}
	return c.code(e.ID)
}

// nearOperand reports whether a compiled node may stand beside NEAR: hits
// of words and phrases are runs of consecutive words, which is what the
// distance is measured between.
func nearOperand(n *cnode) bool {
	switch n.op {
	case opWord, opPhrase:
		return true
	case opOr:
		for _, k := range n.kids {
			if !nearOperand(k) {
				return false
			}
		}
		return true
	}
	return false
}

// triggers adds to dst the patterns a match of n cannot do without at
// least one of: every positive word, and the first word of each phrase.
func triggers(n *cnode, dst []int32) []int32 {
	switch n.op {
	case opWord, opPhrase:
		return append(dst, n.pat)
	case opNot:
		return dst
	}
	for _, k := range n.kids {
		dst = triggers(k, dst)
	}
	return dst
}
