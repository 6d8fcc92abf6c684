package codebook

// This file reads quanteda dictionaries saved as YAML.

import (
	"fmt"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"qcode/textfile"
)

// ReadQuantedaYAML reads a quanteda-style dictionary in YAML (as
// quanteda's as.yaml writes it, and as people write them by hand): every
// mapping key is a code, nested keys are child codes, and a key's list of
// words (or single word) becomes its rule, the OR of the words, with the
// globs * and ? kept and an entry of several words read as a phrase. A key
// "__" beside child keys holds the words of the key above. Every word is
// kept; repeats are dropped. A word no rule can hold is an error at its
// line and column; every one is reported.
func ReadQuantedaYAML(path string, data []byte) (*Codebook, error) {
	text, err := textfile.Decode(path, data)
	if err != nil {
		return nil, err
	}
	l := &loader{path: path}
	if line := tabIndentedLine([]byte(text)); line > 0 {
		return nil, inputError(path, Pos{Line: line, Col: 1}, "indented with a tab; YAML needs spaces for indentation")
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		p := yamlProblem(path, err)
		return nil, inputError(path, p.Pos, "%s", p.Msg)
	}
	if len(doc.Content) == 0 {
		return nil, inputError(path, Pos{}, "the dictionary is empty; write one key per category with its list of words")
	}
	root := doc.Content[0]
	if !l.noAliases(root) {
		return nil, (&problems{path: path, list: l.problems}).err()
	}
	if root.Kind != yaml.MappingNode {
		return nil, inputError(path, Pos{root.Line, root.Column}, "a quanteda dictionary is a mapping of category names to lists of words, not a %s", kindName(root))
	}
	q := &quantedaReader{ps: &problems{path: path}, names: newIDs()}
	cb := &Codebook{Name: baseName(path), Match: MatchExact, Negation: Negation{Window: DefaultNegationWindow}}
	cb.Codes = q.mapping(root, nil)
	if err := q.ps.err(); err != nil {
		return nil, err
	}
	if len(cb.Codes) == 0 {
		return nil, inputError(path, Pos{root.Line, root.Column}, "the dictionary has no categories")
	}
	cb.Description = fmt.Sprintf("Imported from the quanteda dictionary %s: %d categories, %d entries.", filepath.Base(path), q.categories, q.entries)
	if err := checkRules(path, cb); err != nil {
		return nil, err
	}
	return cb, nil
}

type quantedaReader struct {
	ps         *problems
	names      *ids
	categories int
	entries    int
}

// mapping reads the codes of one level.
func (q *quantedaReader) mapping(m *yaml.Node, parent *Code) []*Code {
	var out []*Code
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Value == "" {
			q.ps.add(Pos{k.Line, k.Column}, "a category name must be text")
			continue
		}
		if k.Value == "__" {
			continue // the parent's own words, read by words
		}
		c := &Code{Name: k.Value, ID: q.names.fromName(k.Value), Negation: NegationSkip, Parent: parent, Pos: Pos{k.Line, k.Column}}
		q.categories++
		var terms []string
		switch v.Kind {
		case yaml.MappingNode:
			c.Codes = q.mapping(v, c)
			for j := 0; j+1 < len(v.Content); j += 2 {
				if v.Content[j].Value == "__" {
					terms = q.words(v.Content[j+1], terms)
				}
			}
		default:
			terms = q.words(v, terms)
		}
		c.Rule = orRule(dedupe(terms))
		if c.Rule != "" {
			c.RulePos = Pos{Line: v.Line}
		}
		out = append(out, c)
	}
	return out
}

// words appends the rule terms of a word list (or a single word) to terms.
func (q *quantedaReader) words(v *yaml.Node, terms []string) []string {
	var items []*yaml.Node
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag == "!!null" {
			return terms
		}
		items = []*yaml.Node{v}
	case yaml.SequenceNode:
		items = v.Content
	default:
		q.ps.add(Pos{v.Line, v.Column}, "a category holds a list of words or further categories, not a %s", kindName(v))
		return terms
	}
	for _, it := range items {
		if it.Kind != yaml.ScalarNode {
			q.ps.add(Pos{it.Line, it.Column}, "each entry of a word list must be a word or phrase, not a %s", kindName(it))
			continue
		}
		if it.Tag == "!!null" {
			q.ps.add(Pos{it.Line, it.Column}, "an entry of the word list is empty")
			continue
		}
		t, err := ruleTerm(it.Value)
		if err != nil {
			q.ps.add(Pos{it.Line, it.Column}, "%v", err)
			continue
		}
		q.entries++
		terms = append(terms, t)
	}
	return terms
}

// dedupe drops repeated terms, keeping the first.
func dedupe(terms []string) []string {
	seen := make(map[string]bool, len(terms))
	out := terms[:0]
	for _, t := range terms {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}
