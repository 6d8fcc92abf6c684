package codebook

import (
	"strings"
)

// A Plan is what a query needs of a segment's words, for a search index to
// find the segments worth matching: every segment the query matches meets
// its plan (the converse need not hold, so each candidate is then decided
// by Query.Match). Plans are built from the compiled query, so #refs are
// inlined and words with clitics (don't) already stand for both of their
// spellings.
type Plan struct {
	Op   PlanOp
	Word Pattern // PlanWord
	Kids []Plan  // PlanAll, PlanAny
}

// PlanOp is the operation of a Plan node.
type PlanOp uint8

// Plan operations.
const (
	PlanWord PlanOp = iota // a word matching Word occurs
	PlanAll                // every kid's plan is met
	PlanAny                // some kid's plan is met
)

// Pattern is one rule word as the matcher compares it with tokens (see
// NormWord).
type Pattern struct {
	Kind PatternKind
	// Text is the normalised word for PatternExact, its stem for
	// PatternStem, the prefix without its * for PatternPrefix, and the
	// normalised pattern, with * and ?, for PatternGlob.
	Text string
}

// PatternKind says how a Pattern matches.
type PatternKind uint8

// Pattern kinds.
const (
	PatternExact  PatternKind = iota // the token, normalised, is Text
	PatternStem                      // the token's stem is Text (match: stem)
	PatternPrefix                    // the token, normalised, starts with Text
	PatternGlob                      // the token, normalised, matches Text's wildcards
)

// Matches reports whether a normalised token (NormWord) matches p.
func (p Pattern) Matches(norm string) bool {
	switch p.Kind {
	case PatternExact:
		return norm == p.Text
	case PatternStem:
		return stemWord(norm) == p.Text
	case PatternPrefix:
		return strings.HasPrefix(norm, p.Text)
	}
	return globMatch(p.Text, norm)
}

// NormWord folds a token as the matcher compares it: lower case, with
// every apostrophe straight. A search index that holds tokens folded so
// can be asked for a Pattern's tokens.
func NormWord(token string) string { return normWord(token) }

// Stem returns a token's English Snowball stem as `match: stem` compares
// them: a token matches Pattern{PatternStem, Stem(word)} when its stem is
// the word's.
func Stem(token string) string { return stemWord(normWord(token)) }

// Plan returns what the query needs of a segment's words. With sentences
// false, all that an AND or NEAR needs must occur in one sentence, as when
// the segments searched are sentences; with sentences true they may be in
// different sentences of the segment (turns), and the plan asks only that
// some of them occur in each sentence it finds: a phrase still needs all
// its words in one sentence.
func (q *Query) Plan(sentences bool) Plan {
	return q.prog.x.plan(q.prog.codes[0].root, sentences)
}

func (x *patternIndex) plan(n *cnode, sentences bool) Plan {
	switch n.op {
	case opWord:
		return Plan{Op: PlanWord, Word: x.pattern(n.pat)}
	case opPhrase:
		p := Plan{Op: PlanAll}
		for _, pat := range n.pats {
			p.Kids = append(p.Kids, Plan{Op: PlanWord, Word: x.pattern(pat)})
		}
		return p
	case opOr:
		p := Plan{Op: PlanAny}
		for _, k := range n.kids {
			p.Kids = append(p.Kids, x.plan(k, sentences))
		}
		return p
	}
	// AND and NEAR: their positive terms (NOT needs nothing).
	p := Plan{Op: PlanAll}
	if sentences {
		p.Op = PlanAny
	}
	for _, k := range n.kids {
		if k.op != opNot {
			p.Kids = append(p.Kids, x.plan(k, sentences))
		}
	}
	return p
}

// pattern describes pattern id.
func (x *patternIndex) pattern(id int32) Pattern {
	if x.names == nil {
		x.names = make(map[int32]Pattern, x.n)
		kind := PatternExact
		if x.stem {
			kind = PatternStem
		}
		for k, i := range x.exact {
			x.names[i] = Pattern{kind, k}
		}
		for k, i := range x.prefix {
			x.names[i] = Pattern{PatternPrefix, k}
		}
		for k, i := range x.globs {
			x.names[i] = Pattern{PatternGlob, k}
		}
	}
	return x.names[id]
}

// CodeIDs returns the id of every code of the matcher's codebook, with or
// without a rule, in codebook order.
func (m *Matcher) CodeIDs() []string { return m.Queries().CodeIDs() }
