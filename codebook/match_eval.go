package codebook

import (
	"cmp"
	"slices"
	"strings"
)

// ruleRunner runs a ruleProgram over passages. It owns the memo of token types
// and every per-passage buffer, so one runner serves one goroutine.
type ruleRunner struct {
	prog *ruleProgram

	// memo maps a token's text to its type: an index into typeList and
	// flags, so that a token that matches nothing costs one map lookup and
	// no further memory fetch.
	memo     map[string]uint32
	typeList []*tokenType
	idMemo   []uint32 // memo values + 1 by Passage.IDs, 0 for a number not yet seen

	// Per passage, by token.
	tids []uint32 // memo values
	wpos []int32  // word position, or -1 for punctuation

	// Per passage, by word position.
	wtok   []int32 // token index
	wsent  []int32 // sentence
	neg    []bool  // a hit starting here is negated
	cueEnd []bool

	// Occurrences of patterns: a list per pattern, threaded through occTok
	// and occNext, valid when patGen[p] == gen.
	gen     uint32
	patGen  []uint32
	patHead []int32
	occTok  []int32
	occNext []int32

	seen    []int32 // the patterns that occur in the passage
	codeGen []uint32
	cands   []int32   // codes to evaluate, ascending
	kidTrig []trigger // terms of long root ORs to evaluate, by code and term
	kidKeys []uint64  // kidTrig as numbers, to sort

	ms   []mref  // a stack of matches being built
	toks []int32 // their tokens

	out     []mref  // finished matches of the passage
	outToks []int32 // their tokens
	outHits []int32 // per code hit: its index in prog.codes, then how many of out are its
}

// mref is a match under construction: its tokens are toks[off:off+n] and
// first and last are the word positions of its first and last token.
type mref struct {
	off, n      int32
	first, last int32
	neg         bool
}

func newRuleRunner(p *ruleProgram) ruleRunner {
	return ruleRunner{
		prog:    p,
		memo:    map[string]uint32{},
		patGen:  make([]uint32, p.x.n),
		patHead: make([]int32, p.x.n),
		codeGen: make([]uint32, len(p.codes)),
	}
}

// Flags of a memo value; the type's index in typeList is above them.
const (
	tfWord  = 1 << iota // the token is a word
	tfPats              // it matches a rule word
	tfCue               // it is or begins a negation cue
	tfShift = iota
)

func (r *ruleRunner) typeOf(tok string) uint32 {
	if v, ok := r.memo[tok]; ok {
		return v
	}
	tok = strings.Clone(tok) // it may point into a whole document, or a mapped file
	t := r.prog.x.resolve(tok)
	v := uint32(len(r.typeList)) << tfShift
	if t.word {
		v |= tfWord
	}
	if len(t.pats) > 0 {
		v |= tfPats
	}
	if t.cue || len(t.cueStarts) > 0 {
		v |= tfCue
	}
	r.typeList = append(r.typeList, t)
	r.memo[tok] = v
	return v
}

// typeAt returns the type of token i of the loaded passage.
func (r *ruleRunner) typeAt(i int32) *tokenType { return r.typeList[r.tids[i]>>tfShift] }

// load takes in a passage: it looks up each token's type, lists where each
// pattern occurs, and finds the codes worth evaluating. It reports whether
// there are any; if so it has also worked out negation.
func (r *ruleRunner) load(u Passage) bool {
	n := len(u.Tokens)
	r.gen++
	if r.gen == 0 { // wrapped: forget every stamp
		clear(r.patGen)
		clear(r.codeGen)
		r.gen = 1
	}
	r.tids = grow(r.tids, n)
	r.wpos = grow(r.wpos, n)
	r.occTok = r.occTok[:0]
	r.occNext = r.occNext[:0]
	r.cands = r.cands[:0]
	r.seen = r.seen[:0]
	r.kidTrig = r.kidTrig[:0]
	for i := n - 1; i >= 0; i-- { // backwards, so that each list ends up in token order
		var v uint32
		if u.IDs == nil {
			v = r.typeOf(u.Tokens[i])
		} else if id := int(u.IDs[i]); id < len(r.idMemo) && r.idMemo[id] != 0 {
			v = r.idMemo[id] - 1
		} else {
			v = r.typeOf(u.Tokens[i])
			if id >= len(r.idMemo) {
				r.idMemo = append(r.idMemo, make([]uint32, id+1-len(r.idMemo))...)
			}
			r.idMemo[id] = v + 1
		}
		r.tids[i] = v
		if v&tfPats == 0 {
			continue
		}
		for _, p := range r.typeList[v>>tfShift].pats {
			if r.patGen[p] != r.gen {
				r.patGen[p] = r.gen
				r.patHead[p] = -1
				r.seen = append(r.seen, p)
				for _, t := range r.prog.patTrig[p] {
					if r.codeGen[t.code] != r.gen {
						r.codeGen[t.code] = r.gen
						r.cands = append(r.cands, t.code)
					}
					if t.kid >= 0 {
						r.kidTrig = append(r.kidTrig, t)
					}
				}
			}
			r.occTok = append(r.occTok, int32(i))
			r.occNext = append(r.occNext, r.patHead[p])
			r.patHead[p] = int32(len(r.occTok) - 1)
		}
	}
	if len(r.cands) == 0 {
		return false
	}
	slices.Sort(r.cands)
	if len(r.kidTrig) > 1 {
		// Sorted as one number each (code, then term): a dictionary of
		// phrases and windows triggers hundreds of terms a passage, and a
		// comparison of two fields was most of the time a passage took.
		keys := r.kidKeys[:0]
		for _, t := range r.kidTrig {
			keys = append(keys, uint64(uint32(t.code))<<32|uint64(uint32(t.kid)))
		}
		slices.Sort(keys)
		keys = slices.Compact(keys)
		r.kidTrig = r.kidTrig[:0]
		for _, k := range keys {
			r.kidTrig = append(r.kidTrig, trigger{code: int32(k >> 32), kid: int32(uint32(k))})
		}
		r.kidKeys = keys
	}

	nw := 0
	for _, v := range r.tids[:n] {
		nw += int(v & tfWord)
	}
	r.wtok = grow(r.wtok, nw)
	r.wsent = grow(r.wsent, nw)
	k := int32(0)
	for i := range n {
		if r.tids[i]&tfWord == 0 {
			r.wpos[i] = -1
			continue
		}
		r.wpos[i] = k
		r.wtok[k] = int32(i)
		if i < len(u.Sentence) {
			r.wsent[k] = u.Sentence[i]
		} else {
			r.wsent[k] = 0
		}
		k++
	}
	r.negate(nw)
	return true
}

// negate marks the word positions a negation cue stands close enough before.
func (r *ruleRunner) negate(nw int) {
	r.neg = grow(r.neg, nw)
	r.cueEnd = grow(r.cueEnd, nw)
	clear(r.neg)
	clear(r.cueEnd)
	x := r.prog.x
	if len(x.cues) == 0 && len(x.multiCues) == 0 {
		return
	}
	found := false
	for k := range nw {
		if r.tids[r.wtok[k]]&tfCue == 0 {
			continue
		}
		t := r.typeAt(r.wtok[k])
		if t.cue {
			r.cueEnd[k] = true
			found = true
		}
		for _, c := range t.cueStarts {
			words := x.multiCues[c]
			if end := r.phraseAt(k, len(words), func(j int, t *tokenType) bool { return t.norm == words[j] }); end >= 0 {
				r.cueEnd[end] = true
				found = true
			}
		}
	}
	if !found {
		return
	}
	last := -1
	for k := range nw {
		if last >= 0 && k-last <= r.prog.window && r.wsent[last] == r.wsent[k] {
			r.neg[k] = true
		}
		if r.cueEnd[k] {
			last = k
		}
	}
}

// phraseAt checks that the words from word position k on are n words in a
// row, with no punctuation between them and in one sentence, each passing
// ok. It returns the word position of the last, or -1.
func (r *ruleRunner) phraseAt(k, n int, ok func(j int, t *tokenType) bool) int {
	if k+n > len(r.wtok) {
		return -1
	}
	first := r.wtok[k]
	for j := 1; j < n; j++ {
		if r.wtok[k+j] != first+int32(j) || r.wsent[k+j] != r.wsent[k] || !ok(j, r.typeAt(first+int32(j))) {
			return -1
		}
	}
	return k + n - 1
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/2)
	}
	return s[:n]
}

func keepHit(mode NegationMode, neg bool) bool {
	switch mode {
	case NegationKeep:
		return true
	case NegationOnly:
		return neg
	}
	return !neg
}

// collect runs a compiled rule over the loaded passage and adds its matches,
// in token order, to r.out. It returns how many it added. When the rule is
// a long OR, only its terms in kids are evaluated (see trigger).
func (r *ruleRunner) collect(root *cnode, mode NegationMode, kids []trigger) int {
	r.ms = r.ms[:0]
	r.toks = r.toks[:0]
	if root.index != nil {
		for _, t := range kids {
			r.eval(root.kids[t.kid], mode)
		}
	} else {
		r.eval(root, mode)
	}
	r.sortDedupe(0)
	for _, m := range r.ms {
		off := int32(len(r.outToks))
		r.outToks = append(r.outToks, r.toks[m.off:m.off+m.n]...)
		r.out = append(r.out, mref{off: off, n: m.n, neg: m.neg})
	}
	return len(r.ms)
}

// matches turns what collect gathered into Matches, with two allocations
// in all, and empties r.out.
func (r *ruleRunner) matches() []Match {
	if len(r.out) == 0 {
		return nil
	}
	toks := make([]int, len(r.outToks))
	for i, t := range r.outToks {
		toks[i] = int(t)
	}
	out := make([]Match, len(r.out))
	for i, m := range r.out {
		out[i] = Match{Tokens: toks[m.off : m.off+m.n : m.off+m.n], Negated: m.neg}
	}
	r.out = r.out[:0]
	r.outToks = r.outToks[:0]
	return out
}

// eval pushes n's matches onto r.ms.
func (r *ruleRunner) eval(n *cnode, mode NegationMode) {
	start := len(r.ms)
	switch n.op {
	case opWord:
		p := n.pat
		if r.patGen[p] != r.gen {
			return
		}
		for o := r.patHead[p]; o >= 0; o = r.occNext[o] {
			i := r.occTok[o]
			w := r.wpos[i]
			if keepHit(mode, r.neg[w]) {
				r.push(i, 1, w, w, r.neg[w])
			}
		}
	case opPhrase:
		p := n.pat
		if r.patGen[p] != r.gen {
			return
		}
		for _, q := range n.pats[1:] {
			if r.patGen[q] != r.gen {
				return
			}
		}
		for o := r.patHead[p]; o >= 0; o = r.occNext[o] {
			i := r.occTok[o]
			w := r.wpos[i]
			if !keepHit(mode, r.neg[w]) {
				continue
			}
			end := r.phraseAt(int(w), len(n.pats), func(j int, t *tokenType) bool { return t.hasPat(n.pats[j]) })
			if end >= 0 {
				r.push(i, int32(len(n.pats)), w, int32(end), r.neg[w])
			}
		}
	case opOr:
		if n.index != nil && len(r.seen) < len(n.kids) {
			for _, p := range r.seen {
				i, _ := slices.BinarySearchFunc(n.index, p, func(e orEntry, p int32) int { return cmp.Compare(e.pat, p) })
				for ; i < len(n.index) && n.index[i].pat == p; i++ {
					r.eval(n.kids[n.index[i].kid], mode) // a kid met twice only repeats its matches
				}
			}
		} else {
			for _, k := range n.kids {
				r.eval(k, mode)
			}
		}
		r.sortDedupe(start)
	case opAnd:
		for _, k := range n.kids {
			if k.op == opNot {
				// Terms under NOT use every hit, negated or not.
				s := len(r.ms)
				r.eval(k.kids[0], NegationKeep)
				found := len(r.ms) > s
				r.ms = r.ms[:s]
				if found {
					r.ms = r.ms[:start]
					return
				}
				continue
			}
			s := len(r.ms)
			r.eval(k, mode)
			if len(r.ms) == s {
				r.ms = r.ms[:start]
				return
			}
		}
		r.sortDedupe(start)
	case opNear:
		r.eval(n.kids[0], mode)
		mid := len(r.ms)
		if mid == start {
			return
		}
		r.eval(n.kids[1], mode)
		end := len(r.ms)
		if end == mid {
			r.ms = r.ms[:start]
			return
		}
		// Pair every hit with its nearest partner in reach, from both
		// sides: every hit that has a partner shows in a match, and a long
		// passage full of hits makes matches in proportion, not squared.
		spanL, spanR := r.maxSpan(start, mid), r.maxSpan(mid, end)
		for a := start; a < mid; a++ {
			if b := r.nearest(r.ms[a], mid, end, spanR, n.n, !n.ordered, true); b >= 0 {
				r.pairUp(a, b)
			}
		}
		for b := mid; b < end; b++ {
			if a := r.nearest(r.ms[b], start, mid, spanL, n.n, true, !n.ordered); a >= 0 {
				r.pairUp(a, b)
			}
		}
		k := copy(r.ms[start:], r.ms[end:])
		r.ms = r.ms[:start+k]
		r.sortDedupe(start)
	}
}

// maxSpan returns the most words any of r.ms[lo:hi] spans, less one.
func (r *ruleRunner) maxSpan(lo, hi int) int32 {
	span := int32(0)
	for _, m := range r.ms[lo:hi] {
		span = max(span, m.last-m.first)
	}
	return span
}

// nearest returns the index of the hit in r.ms[lo:hi] (in token order, none
// spanning more than span+1 words) nearest to x and at most n words from it,
// looking left and right of x as told; a tie goes left. It returns -1 if
// there is none.
func (r *ruleRunner) nearest(x mref, lo, hi int, span, n int32, left, right bool) int {
	hits := r.ms[lo:hi]
	best, limit := -1, n+1 // limit: a better partner is nearer than this
	if left {
		// Hits starting at or after x cannot end before it.
		j, _ := slices.BinarySearchFunc(hits, x.first, func(m mref, t int32) int { return cmp.Compare(m.first, t) })
		for k := j - 1; k >= 0; k-- {
			b := hits[k]
			if x.first-(b.first+span) >= limit {
				break // neither b nor any hit before it can end nearer
			}
			if b.last < x.first && x.first-b.last < limit {
				best, limit = lo+k, x.first-b.last
			}
		}
	}
	if right {
		j, _ := slices.BinarySearchFunc(hits, x.last+1, func(m mref, t int32) int { return cmp.Compare(m.first, t) })
		if j < len(hits) && hits[j].first-x.last < limit {
			best = lo + j
		}
	}
	return best
}

// pairUp adds the match made of hits r.ms[i] and r.ms[j], which do not overlap.
func (r *ruleRunner) pairUp(i, j int) {
	x, y := r.ms[i], r.ms[j]
	if y.last < x.first {
		x, y = y, x
	}
	r.pair(x, y)
}

// push adds a match of n consecutive tokens from token i.
func (r *ruleRunner) push(i, n, first, last int32, neg bool) {
	off := int32(len(r.toks))
	for j := range n {
		r.toks = append(r.toks, i+j)
	}
	r.ms = append(r.ms, mref{off: off, n: n, first: first, last: last, neg: neg})
}

// pair adds the match made of x and the later y.
func (r *ruleRunner) pair(x, y mref) {
	off := int32(len(r.toks))
	r.toks = append(r.toks, r.toks[x.off:x.off+x.n]...)
	r.toks = append(r.toks, r.toks[y.off:y.off+y.n]...)
	r.ms = append(r.ms, mref{off: off, n: x.n + y.n, first: x.first, last: y.last, neg: x.neg || y.neg})
}

// sortDedupe puts r.ms[start:] in token order and drops repeats.
func (r *ruleRunner) sortDedupe(start int) {
	ms := r.ms[start:]
	if len(ms) < 2 {
		return
	}
	slices.SortFunc(ms, r.compare)
	ms = slices.CompactFunc(ms, func(a, b mref) bool { return r.compare(a, b) == 0 })
	r.ms = r.ms[:start+len(ms)]
}

func (r *ruleRunner) compare(a, b mref) int {
	return cmp.Or(
		slices.Compare(r.toks[a.off:a.off+a.n], r.toks[b.off:b.off+b.n]),
		// Equal tokens give equal negation; this only makes the order total.
		boolCompare(a.neg, b.neg),
	)
}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
