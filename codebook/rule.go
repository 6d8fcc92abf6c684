// # The rule language
//
// A code's rule says which segments it codes. Rules run over the tokens a
// segment was split into at import (see Passage): words, numbers and punctuation
// marks. Only tokens with a letter or digit are words; punctuation is never
// matched and never counted as a word.
//
// Terms:
//
//	debrief            a word: matches the token "debrief", "Debrief", "DEBRIEF"
//	debrief*           a prefix: debrief, debriefs, debriefing, debriefed
//	*learning          * anywhere stands for any run of characters (also none)
//	organi?ation       ? stands for exactly one character: organisation, organization
//	don't              apostrophes are normalised: ' ’ ‘ and ʼ match alike, in rules and text
//	"active debrief*"  a phrase: consecutive words, wildcards allowed in each
//	#humility          the rule of the code with id humility, inlined
//
// A word needs a letter or digit: "*" alone or "--" is an error. Words are
// compared case-insensitively after apostrophes are normalised. When the
// codebook says `match: stem`, a word without wildcards matches every token
// with the same English (Snowball) stem: "learned" matches learning, learns,
// learn. A word with wildcards still matches the lower-case surface form, so
// `learn*` means the same in both modes. Phrases use the same comparison for
// each of their words. Tokenisers split contractions and possessives
// (don't → do n't, Uganda's → Uganda 's) or keep them whole, so a rule word
// with such an ending (n't 's 're 've 'll 'd 'm) matches both ways.
//
// A phrase matches words that follow each other directly in one sentence: a
// punctuation mark between them or a sentence end breaks it, so
// "active debrief*" matches "an active debrief" but not "active, debriefs"
// or "…was active. Debriefs…". A word is a one-word phrase.
//
// Operators are upper case; lower-case and, or, not, near and before are
// ordinary words (so `near` finds the word near). Tightest first:
//
//	A NEAR/n B     a hit of A and a hit of B at most n words apart, in either order
//	A BEFORE/n B   a hit of A ending before a hit of B starts, at most n words apart
//	NOT A          A must not occur (only beside a positive term, see below)
//	A NOT B        A, and B must not occur: the same as A AND NOT B
//	A AND B        both occur somewhere in the segment
//	A OR B, A B    either occurs: terms side by side without an operator mean OR,
//	               as in NVivo's text search
//
// so `debrief* humility NOT humiliat*` reads as
// `debrief* OR (humility AND NOT humiliat*)`; use parentheses to group
// otherwise: `(debrief* OR humility) NOT humiliat*`. AND, OR and adjacency
// group left to right and may be chained: `a OR b OR c`.
//
// NEAR and BEFORE count distance in words, from the last word of the earlier
// hit to the first word of the later one, so neighbours are at distance 1:
// `learn* NEAR/1 partner*` matches "learning partners" and "partners
// learning", and NEAR/2 also "learning from partners". Punctuation does not
// count ("learning, partners" is at distance 1), sentence ends do not stop
// NEAR within the segment, and the two hits may not share a token. NEAR and
// BEFORE join words, phrases and parenthesised OR-groups of them:
//
//	(debrief* OR "after action review") NEAR/5 learn*
//	"risk averse" BEFORE/10 (governance OR litigation)
//
// anything else on either side (AND, NOT, another NEAR) is an error: join
// pairs with AND, as in `a NEAR/3 b AND c NEAR/3 d`. A #ref may stand beside
// NEAR if the rule it names is a word, phrase or OR-group.
//
// A rule, and every AND group, needs at least one positive term: NOT only
// excludes from something (`NOT humiliat*` alone, or `a OR NOT b`, is an
// error). Parentheses may nest.
//
// A #ref inlines the other code's rule, evaluated with the referring code's
// negation setting. An unknown id, a code without a rule and a chain of
// references that comes back to itself (a → b → a) are errors.
//
// # Negation
//
// A hit of a word or phrase is negated when a negation cue stands at most
// Negation.Window words (default 3) before the hit's first word, in the same
// sentence, measured as for NEAR: in "we never had a debrief", never is 3
// words before debrief, so the hit is negated; in "nobody said that we had a
// debrief" it is not (6 words), nor in "Not yet. A debrief followed" (another
// sentence). The cues are Codebook.Negation.Cues (DefaultNegationCues when
// nil, none when empty), compared with the words as written (never stemmed)
// but ignoring case and apostrophe style; a cue of several words ("lack of")
// is a phrase, and the clitic cue "n't" also marks a word that ends in it
// (didn't, can't), for tokenisers that keep such words whole.
//
// What negated hits do depends on the code's negation mode, applied to the
// hits of its positive terms before the rule is evaluated:
//
//	skip (default)  negated hits are dropped: `debrief*` codes "we had a debrief"
//	                but not "we never had a debrief" nor "a lack of debriefing"
//	keep            every hit counts
//	only            only negated hits count: "no debriefs" as a barrier of its own
//
// Terms under NOT use every hit, negated or not: `teach* NOT learn*` leaves out
// "we teach but do not learn". With only, every positive term must have a
// negated hit: `debrief* NEAR/5 staff` needs both negated. A Match is Negated
// when any hit in it is.
//
// # What a match is
//
// A word or phrase hit is a match. NEAR and BEFORE pair hits into matches:
// each hit with its nearest partner in reach (a tie goes to the earlier), so
// every hit that has a partner shows in some match, and a passage full of hits
// makes matches in proportion to them rather than one per possible pair. OR
// and AND list the matches of their terms (AND only when all its positive
// terms match and none of its NOT terms does). Match.Tokens holds the
// indices of every token a match used, ascending; matches come in token
// order, each once.
package codebook

import (
	"strconv"
	"strings"
)

// Expr is a parsed rule: one of Word, Phrase, Ref, Near, Not, And and Or.
// String prints it in a canonical form that parses back to the same String.
type Expr interface {
	// Pos returns the 1-based rune column in the rule where the expression
	// starts: its first term, or its operator for Not.
	Pos() int
	String() string
	expr()
}

// Word is a word of a rule, as written (wildcards * and ? included).
type Word struct {
	Text string
	Col  int
}

// Phrase is a quoted run of words that must follow each other.
type Phrase struct {
	Words []Word
	Col   int // of the opening quote
}

// Ref is a #code_id reference to another code's rule.
type Ref struct {
	ID  string
	Col int // of the #
}

// Near is A NEAR/n B, or A BEFORE/n B when Ordered.
type Near struct {
	Left, Right Expr
	N           int
	Ordered     bool
	Col         int // of the operator
}

// Not is NOT X; it stands only among the Terms of an And.
type Not struct {
	X   Expr
	Col int // of the NOT
}

// And holds terms that must all match (Not terms: must not).
type And struct {
	Terms []Expr
}

// Or holds terms of which at least one must match.
type Or struct {
	Terms []Expr
}

func (Word) expr()   {}
func (Phrase) expr() {}
func (Ref) expr()    {}
func (Near) expr()   {}
func (Not) expr()    {}
func (And) expr()    {}
func (Or) expr()     {}

func (w Word) Pos() int   { return w.Col }
func (p Phrase) Pos() int { return p.Col }
func (r Ref) Pos() int    { return r.Col }
func (n Near) Pos() int   { return exprPos(n.Left) }
func (n Not) Pos() int    { return n.Col }
func (a And) Pos() int    { return termsPos(a.Terms) }
func (o Or) Pos() int     { return termsPos(o.Terms) }

func exprPos(e Expr) int {
	if e == nil {
		return 0
	}
	return e.Pos()
}

func termsPos(ts []Expr) int {
	if len(ts) == 0 {
		return 0
	}
	return exprPos(ts[0])
}

// Operator precedence, loosest first, for printing parentheses.
const (
	precOr = iota + 1
	precAnd
	precNot
	precNear
	precTerm
)

func precOf(e Expr) int {
	switch e.(type) {
	case Or:
		return precOr
	case And:
		return precAnd
	case Not:
		return precNot
	case Near:
		return precNear
	}
	return precTerm
}

func (w Word) String() string { return w.Text }

func (p Phrase) String() string {
	var b strings.Builder
	b.WriteByte('"')
	for i, w := range p.Words {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w.Text)
	}
	b.WriteByte('"')
	return b.String()
}

func (r Ref) String() string { return "#" + r.ID }

func (n Near) String() string {
	op := "NEAR/"
	if n.Ordered {
		op = "BEFORE/"
	}
	return wrapExpr(n.Left, precTerm) + " " + op + strconv.Itoa(n.N) + " " + wrapExpr(n.Right, precTerm)
}

func (n Not) String() string { return "NOT " + wrapExpr(n.X, precNear) }

func (a And) String() string { return joinExprs(a.Terms, " AND ", precNot) }

func (o Or) String() string { return joinExprs(o.Terms, " OR ", precAnd) }

// wrapExpr prints e, in parentheses unless it binds at least as tightly as min.
func wrapExpr(e Expr, min int) string {
	if e == nil {
		return "()"
	}
	if precOf(e) < min {
		return "(" + e.String() + ")"
	}
	return e.String()
}

func joinExprs(ts []Expr, sep string, min int) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = wrapExpr(t, min)
	}
	return strings.Join(parts, sep)
}

// Inspect walks e depth-first, calling fn for e and then for its children
// while fn returns true (like go/ast.Inspect). Search uses it to find the
// words of a query.
func Inspect(e Expr, fn func(Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	switch e := e.(type) {
	case Phrase:
		for _, w := range e.Words {
			Inspect(w, fn)
		}
	case Near:
		Inspect(e.Left, fn)
		Inspect(e.Right, fn)
	case Not:
		Inspect(e.X, fn)
	case And:
		for _, t := range e.Terms {
			Inspect(t, fn)
		}
	case Or:
		for _, t := range e.Terms {
			Inspect(t, fn)
		}
	}
}
