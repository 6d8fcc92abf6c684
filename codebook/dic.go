package codebook

// This file reads LIWC-style content-analysis dictionaries (.dic).

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"qcode/textfile"
)

// ReadDic reads a LIWC-style dictionary (.dic) as a codebook: a header
// fenced by lines holding only %, with one "id<TAB>category" line per
// category (leading tabs nest a category under the one above, as in
// LIWC2015), then one line per entry, "word<TAB>id<TAB>id…". Each category
// becomes a code (id made from its name, the dictionary's number kept in
// its description) whose rule is the OR of its entries: a word as it is,
// with * and ? kept as wildcards, and an entry of several words as a
// phrase. Every entry is kept; repeats are dropped. The dictionary's
// parenthesised conditions (LIWC2007's "(02 134)125/464") are not
// evaluated: such an entry goes to every category named on its line.
//
// An entry whose category is not in the header, or that no rule can hold
// (one without a letter or digit, or with a double quote), is an error at
// its line; every such line is reported.
func ReadDic(path string, data []byte) (*Codebook, error) {
	text, err := textfile.Decode(path, data)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(text, "\n")
	ps := &problems{path: path}

	i := 0
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	if i == len(lines) || strings.TrimSpace(lines[i]) != "%" {
		line := min(i+1, len(lines))
		return nil, inputError(path, Pos{Line: line}, "a .dic file starts with a line holding only %%, then one \"id<TAB>category\" line per category, then another %%")
	}
	open := i + 1
	i++

	type category struct {
		code  *Code
		num   string
		terms []string
		seen  map[string]bool
		depth int
	}
	cats := map[string]*category{}
	var order []*category
	var stack []*category
	names := newIDs()
	cb := &Codebook{Name: baseName(path), Match: MatchExact, Negation: Negation{Window: DefaultNegationWindow}}
	closed := false
	for ; i < len(lines); i++ {
		raw := lines[i]
		l := strings.TrimSpace(raw)
		if l == "" {
			continue
		}
		if l == "%" {
			closed = true
			i++
			break
		}
		depth := len(raw) - len(strings.TrimLeft(raw, "\t"))
		num, name, _ := strings.Cut(strings.Join(strings.Fields(l), " "), " ")
		if name == "" {
			ps.add(Pos{Line: i + 1}, "category %s has no name; write \"%s<TAB>name\"", num, num)
			continue
		}
		key := dicID(num)
		if prev, ok := cats[key]; ok {
			ps.add(Pos{Line: i + 1}, "category %s is defined twice in the %% header (lines %d and %d)", num, prev.code.Pos.Line, i+1)
			continue
		}
		c := &category{code: &Code{Name: name, Negation: NegationSkip, Pos: Pos{Line: i + 1}}, num: num, seen: map[string]bool{}, depth: depth}
		for len(stack) > 0 && stack[len(stack)-1].depth >= depth {
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 {
			p := stack[len(stack)-1].code
			c.code.Parent = p
			p.Codes = append(p.Codes, c.code)
		} else {
			cb.Codes = append(cb.Codes, c.code)
		}
		stack = append(stack, c)
		cats[key] = c
		order = append(order, c)
	}
	if !closed {
		return nil, inputError(path, Pos{Line: open}, "the %% header that starts here is never closed; end the category list with a line holding only %%")
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	if len(order) == 0 {
		return nil, inputError(path, Pos{Line: open}, "the %% header names no categories; write one \"id<TAB>name\" line per category")
	}

	entries := 0
	for ; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" {
			continue
		}
		word, refs := splitDicLine(l, func(s string) bool { return cats[dicID(s)] != nil })
		if len(refs) == 0 {
			ps.add(Pos{Line: i + 1}, "entry %q names no category; write \"word<TAB>id<TAB>id…\"", word)
			continue
		}
		term, err := ruleTerm(word)
		if err != nil {
			ps.add(Pos{Line: i + 1}, "%v", err)
			continue
		}
		entries++
		for _, ref := range refs {
			c := cats[dicID(ref)]
			if c == nil {
				ps.add(Pos{Line: i + 1}, "category %s is not defined in the %% header", ref)
				continue
			}
			if !c.seen[term] {
				c.seen[term] = true
				c.terms = append(c.terms, term)
			}
		}
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	cb.Description = fmt.Sprintf("Imported from the dictionary %s: %d categories, %d entries.", filepath.Base(path), len(order), entries)
	for _, c := range order {
		c.code.ID = names.fromName(c.code.Name)
		c.code.Description = fmt.Sprintf("Category %s of the dictionary %s (%d entries).", c.num, filepath.Base(path), len(c.terms))
		c.code.Rule = orRule(c.terms)
	}
	if err := checkRules(path, cb); err != nil {
		return nil, err
	}
	return cb, nil
}

// dicID is a category id as a lookup key: numbers without leading zeros,
// so 01 and 1 are one category.
func dicID(s string) string {
	t := strings.TrimLeft(s, "0")
	if t == "" || !isDigits(t) {
		if isDigits(s) {
			return "0"
		}
		return s
	}
	return t
}

// dicCondition is a parenthesised or bracketed condition on an entry's
// line, which ReadDic does not evaluate.
var dicCondition = regexp.MustCompile(`\([^)]*\)|\[[^\]]*\]`)

// splitDicLine splits an entry line into its word (or words) and the
// category ids after it: at the first tab when there is one, else before
// the trailing run of ids (isID, or digits).
func splitDicLine(l string, isID func(string) bool) (word string, ids []string) {
	var rest string
	if w, r, ok := strings.Cut(l, "\t"); ok {
		word, rest = strings.TrimSpace(w), r
	} else {
		f := strings.Fields(l)
		n := len(f)
		for n > 1 && (isDigits(f[n-1]) || isID(f[n-1]) || strings.ContainsAny(f[n-1], "()[]/")) {
			n--
		}
		word, rest = strings.Join(f[:n], " "), strings.Join(f[n:], " ")
	}
	rest = dicCondition.ReplaceAllString(rest, " ")
	ids = strings.FieldsFunc(rest, func(r rune) bool { return r == ' ' || r == '\t' || r == '/' })
	return word, ids
}
