package codebook

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"qcode"
)

// ParseRule parses one rule into an expression tree with positions. Its
// errors are *RuleError with CodeID "".
func ParseRule(src string) (Expr, error) {
	e, err := parseRule(src)
	if err != nil {
		return nil, err
	}
	return e, nil
}

// maxNesting bounds how deep parentheses nest, which keeps the recursive
// parser's stack small whatever a query holds.
const maxNesting = 100

// maxDistance bounds NEAR/n and BEFORE/n; a segment is rarely longer.
const maxDistance = 10000

func parseRule(src string) (Expr, *RuleError) {
	return parseRuleBuf(src, nil)
}

// parseRuleBuf is parseRule with a lexeme buffer to reuse, for compiling
// thousands of rules.
func parseRuleBuf(src string, buf *[]ruleLexeme) (Expr, *RuleError) {
	var lx []ruleLexeme
	if buf != nil {
		lx = (*buf)[:0]
	}
	lx, err := lexRule(src, lx)
	if buf != nil {
		*buf = lx
	}
	if err != nil {
		return nil, err
	}
	if err := checkParens(lx); err != nil {
		return nil, err
	}
	p := &ruleParser{lx: lx}
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if e == nil {
		return nil, ruleErrorf(1, "empty rule")
	}
	if err := checkPositive(e); err != nil {
		return nil, err
	}
	return e, nil
}

type lexKind uint8

const (
	lexEOF lexKind = iota
	lexWord
	lexPhrase
	lexRef
	lexLParen
	lexRParen
	lexAnd
	lexOr
	lexNot
	lexNear
)

// ruleLexeme is one token of a rule. For lexNear, text is the operator as
// written ("NEAR/5"), n the distance and ordered true for BEFORE.
type ruleLexeme struct {
	kind    lexKind
	text    string
	col     int
	n       int
	ordered bool
	words   []Word // lexPhrase
}

func isRuleQuote(r rune) bool { return r == '"' || r == '“' || r == '”' }

// isTermEnd reports whether r ends a bare word, #ref or operator.
func isTermEnd(r rune) bool {
	return unicode.IsSpace(r) || r == '(' || r == ')' || isRuleQuote(r)
}

// lexRule appends the lexemes of a rule to out, ending with lexEOF.
func lexRule(src string, out []ruleLexeme) ([]ruleLexeme, *RuleError) {
	col := 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRuneInString(src[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
			col++
		case r == '(':
			out = append(out, ruleLexeme{kind: lexLParen, text: "(", col: col})
			i += size
			col++
		case r == ')':
			out = append(out, ruleLexeme{kind: lexRParen, text: ")", col: col})
			i += size
			col++
		case isRuleQuote(r):
			start := col
			i += size
			col++
			var words []Word
			closed := false
			for i < len(src) {
				r, size := utf8.DecodeRuneInString(src[i:])
				if isRuleQuote(r) {
					i += size
					col++
					closed = true
					break
				}
				if unicode.IsSpace(r) {
					i += size
					col++
					continue
				}
				j, wcol := i, col
				for j < len(src) {
					r, size := utf8.DecodeRuneInString(src[j:])
					if unicode.IsSpace(r) || isRuleQuote(r) {
						break
					}
					j += size
					col++
				}
				w := Word{Text: src[i:j], Col: wcol}
				if err := checkWord(w); err != nil {
					return out, err
				}
				words = append(words, w)
				i = j
			}
			if !closed {
				return out, ruleErrorf(start, `unclosed quote: end the phrase with "`)
			}
			if len(words) == 0 {
				return out, ruleErrorf(start, `empty phrase ""`)
			}
			out = append(out, ruleLexeme{kind: lexPhrase, col: start, words: words})
		default:
			j, start := i, col
			for j < len(src) {
				r, size := utf8.DecodeRuneInString(src[j:])
				if isTermEnd(r) {
					break
				}
				j += size
				col++
			}
			lx, err := classifyTerm(src[i:j], start)
			if err != nil {
				return out, err
			}
			out = append(out, lx)
			i = j
		}
	}
	return append(out, ruleLexeme{kind: lexEOF, col: col}), nil
}

// classifyTerm tells an operator from a word or #ref.
func classifyTerm(t string, col int) (ruleLexeme, *RuleError) {
	switch t {
	case "AND":
		return ruleLexeme{kind: lexAnd, text: t, col: col}, nil
	case "OR":
		return ruleLexeme{kind: lexOr, text: t, col: col}, nil
	case "NOT":
		return ruleLexeme{kind: lexNot, text: t, col: col}, nil
	case "NEAR", "BEFORE":
		return ruleLexeme{}, ruleErrorf(col, "%s needs a distance, e.g. %s/5", t, t)
	}
	if strings.HasPrefix(t, "#") {
		if len(t) == 1 {
			return ruleLexeme{}, ruleErrorf(col, "# needs a code id, e.g. #humility")
		}
		return ruleLexeme{kind: lexRef, text: t[1:], col: col}, nil
	}
	name, dist, slash := strings.Cut(t, "/")
	if slash && isUpperASCII(name) && (isDigits(dist) || name == "NEAR" || name == "BEFORE") {
		switch name {
		case "NEAR", "BEFORE":
			n, err := parseDistance(name, dist, col+len(name)+1)
			if err != nil {
				if dist == "" {
					err.Col = col
				}
				return ruleLexeme{}, err
			}
			return ruleLexeme{kind: lexNear, text: t, col: col, n: n, ordered: name == "BEFORE"}, nil
		case "AND", "OR", "NOT":
			return ruleLexeme{}, ruleErrorf(col, "%s takes no distance; write %s", name, name)
		}
		if near := qcode.Nearest(name, []string{"NEAR", "BEFORE"}); len(near) > 0 {
			e := ruleErrorf(col, "unknown operator %q", name)
			e.Near = near
			return ruleLexeme{}, e
		}
		return ruleLexeme{}, ruleErrorf(col, "unknown operator %q (operators are AND, OR, NOT, NEAR/n and BEFORE/n)", name)
	}
	if slash && isDigits(dist) {
		switch up := strings.ToUpper(name); up {
		case "NEAR", "BEFORE":
			return ruleLexeme{}, ruleErrorf(col, "operators are upper case: write %s/%s", up, dist)
		}
	}
	for _, op := range []string{"NEAR", "BEFORE"} {
		if rest, ok := strings.CutPrefix(t, op); ok && rest != "" && isDigits(rest) {
			return ruleLexeme{}, ruleErrorf(col, "%s needs a slash before its distance: %s/%s", op, op, rest)
		}
	}
	w := Word{Text: t, Col: col}
	if err := checkWord(w); err != nil {
		return ruleLexeme{}, err
	}
	return ruleLexeme{kind: lexWord, text: t, col: col}, nil
}

func parseDistance(op, s string, col int) (int, *RuleError) {
	if s == "" {
		return 0, ruleErrorf(col, "%s needs a distance, e.g. %s/5", op, op)
	}
	if !isDigits(s) {
		return 0, ruleErrorf(col, "%s distance %q is not a whole number, e.g. %s/5", op, s, op)
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > maxDistance {
		return 0, ruleErrorf(col, "%s distance %s is too large; at most %d", op, s, maxDistance)
	}
	if n < 1 {
		return 0, ruleErrorf(col, "%s distance must be at least 1, e.g. %s/5", op, op)
	}
	return n, nil
}

func isUpperASCII(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// checkWord refuses words that could match no word or every word.
func checkWord(w Word) *RuleError {
	wild := false
	for _, r := range w.Text {
		if isWordRune(r) {
			return nil
		}
		if r == '*' || r == '?' {
			wild = true
		}
	}
	if wild {
		return ruleErrorf(w.Col, "%q would match any word; put letters beside a wildcard, e.g. humil*", w.Text)
	}
	return ruleErrorf(w.Col, "%q is not a word: a rule word needs a letter or digit", w.Text)
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// checkParens reports the first parenthesis without a partner: the opening
// one when it is never closed.
func checkParens(lx []ruleLexeme) *RuleError {
	var open []int
	for _, l := range lx {
		switch l.kind {
		case lexLParen:
			open = append(open, l.col)
			if len(open) > maxNesting {
				return ruleErrorf(l.col, "parentheses nest too deep (at most %d)", maxNesting)
			}
		case lexRParen:
			if len(open) == 0 {
				return ruleErrorf(l.col, `")" has no matching "("`)
			}
			open = open[:len(open)-1]
		}
	}
	if len(open) > 0 {
		return ruleErrorf(open[len(open)-1], `unclosed parenthesis: "(" has no matching ")"`)
	}
	return nil
}

// ruleParser is a recursive-descent parser over lexemes, one function per
// precedence level: parseOr (OR and adjacency), parseAnd, parseNot,
// parseNear, parsePrimary.
type ruleParser struct {
	lx []ruleLexeme
	i  int
}

func (p *ruleParser) peek() *ruleLexeme { return &p.lx[p.i] }

func (p *ruleParser) next() *ruleLexeme {
	l := &p.lx[p.i]
	if l.kind != lexEOF {
		p.i++
	}
	return l
}

// startsTerm reports whether the next lexeme can begin an operand.
func (p *ruleParser) startsTerm() bool {
	switch p.peek().kind {
	case lexWord, lexPhrase, lexRef, lexLParen:
		return true
	}
	return false
}

func needSide(op *ruleLexeme, side string) *RuleError {
	return ruleErrorf(op.col, "%s needs a term on its %s", op.text, side)
}

// parseOr returns nil for an empty run (end of rule or a closing parenthesis).
func (p *ruleParser) parseOr() (Expr, *RuleError) {
	var terms []Expr
	for {
		l := p.peek()
		switch l.kind {
		case lexEOF, lexRParen:
			switch len(terms) {
			case 0:
				return nil, nil
			case 1:
				return terms[0], nil
			}
			return Or{Terms: terms}, nil
		case lexOr:
			if len(terms) == 0 {
				return nil, needSide(l, "left")
			}
			p.next()
			if !p.startsTerm() && p.peek().kind != lexNot {
				return nil, needSide(l, "right")
			}
		case lexAnd, lexNear:
			// parseAnd consumes these after a term, so here one starts the rule or group.
			return nil, needSide(l, "left")
		}
		t, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		if o, ok := t.(Or); ok {
			terms = append(terms, o.Terms...)
		} else {
			terms = append(terms, t)
		}
	}
}

func (p *ruleParser) parseAnd() (Expr, *RuleError) {
	t, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	terms := appendAnd(nil, t)
	for p.peek().kind == lexAnd {
		op := p.next()
		if !p.startsTerm() && p.peek().kind != lexNot {
			return nil, needSide(op, "right")
		}
		t, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		terms = appendAnd(terms, t)
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return And{Terms: terms}, nil
}

func appendAnd(terms []Expr, t Expr) []Expr {
	if a, ok := t.(And); ok {
		return append(terms, a.Terms...)
	}
	return append(terms, t)
}

const notExample = "e.g. debrief* NOT humiliat*"

// parseNot reads [NOT] term {NOT term}; A NOT B is A AND NOT B.
func (p *ruleParser) parseNot() (Expr, *RuleError) {
	var first Expr
	if p.peek().kind == lexNot {
		op := p.next()
		if !p.startsTerm() {
			return nil, ruleErrorf(op.col, "NOT needs a term after it, %s", notExample)
		}
		x, err := p.parseNear()
		if err != nil {
			return nil, err
		}
		first = Not{X: x, Col: op.col}
	} else {
		x, err := p.parseNear()
		if err != nil {
			return nil, err
		}
		first = x
	}
	if p.peek().kind != lexNot {
		return first, nil
	}
	terms := appendAnd(nil, first)
	for p.peek().kind == lexNot {
		op := p.next()
		if !p.startsTerm() {
			return nil, ruleErrorf(op.col, "NOT needs a term after it, %s", notExample)
		}
		x, err := p.parseNear()
		if err != nil {
			return nil, err
		}
		terms = append(terms, Not{X: x, Col: op.col})
	}
	return And{Terms: terms}, nil
}

func (p *ruleParser) parseNear() (Expr, *RuleError) {
	left, err := p.parsePrimary()
	if err != nil {
		return nil, err
	}
	for p.peek().kind == lexNear {
		op := p.next()
		if _, ok := left.(Near); ok {
			return nil, ruleErrorf(op.col, "%s cannot join a NEAR or BEFORE pair; join pairs with AND, e.g. a NEAR/3 b AND b NEAR/3 c", op.text)
		}
		if p.peek().kind == lexNot {
			return nil, ruleErrorf(p.peek().col, "NOT cannot stand beside %s; exclude outside the pair, e.g. (a %s b) NOT c", op.text, op.text)
		}
		if !p.startsTerm() {
			return nil, needSide(op, "right")
		}
		right, err := p.parsePrimary()
		if err != nil {
			return nil, err
		}
		for _, side := range []Expr{left, right} {
			if !isNearOperand(side) {
				return nil, ruleErrorf(side.Pos(), `%s can only join words, phrases and (… OR …) groups of them, e.g. (debrief* OR "after action") %s learn*`, op.text, op.text)
			}
		}
		left = Near{Left: left, Right: right, N: op.n, Ordered: op.ordered, Col: op.col}
	}
	return left, nil
}

// isNearOperand reports whether e may stand beside NEAR or BEFORE: a word,
// a phrase, a #ref (checked again when inlined) or an OR of them.
func isNearOperand(e Expr) bool {
	switch e := e.(type) {
	case Word, Phrase, Ref:
		return true
	case Or:
		for _, t := range e.Terms {
			if !isNearOperand(t) {
				return false
			}
		}
		return true
	}
	return false
}

func (p *ruleParser) parsePrimary() (Expr, *RuleError) {
	l := p.next()
	switch l.kind {
	case lexWord:
		return Word{Text: l.text, Col: l.col}, nil
	case lexPhrase:
		return Phrase{Words: l.words, Col: l.col}, nil
	case lexRef:
		return Ref{ID: l.text, Col: l.col}, nil
	case lexLParen:
		if p.peek().kind == lexRParen {
			return nil, ruleErrorf(l.col, "empty parentheses")
		}
		e, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if p.peek().kind != lexRParen { // checkParens makes this unreachable
			return nil, ruleErrorf(l.col, `unclosed parenthesis: "(" has no matching ")"`)
		}
		p.next()
		return e, nil
	case lexEOF:
		return nil, ruleErrorf(l.col, "the rule ends where a term should be")
	}
	return nil, ruleErrorf(l.col, "%s cannot stand here; a term should", l.text)
}

// checkPositive enforces that NOT always excludes from something: every
// AND group has a positive term and every OR branch is positive.
func checkPositive(e Expr) *RuleError {
	switch e := e.(type) {
	case Not:
		return ruleErrorf(e.Col, "NOT needs something to exclude from, %s", notExample)
	case And:
		var firstNot *Not
		positive := false
		for _, t := range e.Terms {
			if n, ok := t.(Not); ok {
				if firstNot == nil {
					firstNot = &n
				}
				if err := checkPositive(n.X); err != nil {
					return err
				}
				continue
			}
			positive = true
			if err := checkPositive(t); err != nil {
				return err
			}
		}
		if !positive {
			return ruleErrorf(firstNot.Col, "NOT needs something to exclude from, %s", notExample)
		}
	case Or:
		for _, t := range e.Terms {
			if err := checkPositive(t); err != nil {
				return err
			}
		}
	}
	return nil
}
