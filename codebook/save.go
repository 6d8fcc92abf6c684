package codebook

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// saveWidth is the line width Save folds long text to.
const saveWidth = 80

// Save writes cb as codebook.yaml text, in the layout Load reads and people
// edit: the codebook's name, description, match mode and (when not the
// default) negation settings, then the tree of codes, each with its fields in
// a fixed order and empty fields left out. Long text is folded (>-) at 80
// columns, text with line breaks is kept as a literal block (|-), rules are
// single-quoted when they fit on their line and colours are quoted, so the
// same codebook always gives the same bytes and a change shows as a small
// diff.
//
// Load(Save(cb)) gives back a codebook equal to cb, for any cb that Load could
// have made (text trimmed of surrounding space, as Load trims it).
func Save(cb *Codebook) ([]byte, error) {
	root := &yaml.Node{Kind: yaml.MappingNode}
	if cb.Name != "" {
		addField(root, "name", plainNode(cb.Name))
	}
	if cb.Description != "" {
		addField(root, "description", textNode(cb.Description, 0, "description"))
	}
	if cb.Match != "" {
		addField(root, "match", plainNode(string(cb.Match)))
	}
	if neg := negationNode(cb.Negation); neg != nil {
		addField(root, "negation", neg)
	}
	addField(root, "codes", codesNode(cb.Codes, 2))

	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("codebook: writing YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("codebook: writing YAML: %w", err)
	}
	return foldBlocks(buf.Bytes()), nil
}

// negationNode writes the codebook's negation settings, or nil when they
// are the defaults Load assumes.
func negationNode(n Negation) *yaml.Node {
	if (n.Window == 0 || n.Window == DefaultNegationWindow) && n.Cues == nil {
		return nil
	}
	m := &yaml.Node{Kind: yaml.MappingNode}
	w := n.Window
	if w == 0 {
		w = DefaultNegationWindow
	}
	addField(m, "window", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(w)})
	if n.Cues != nil {
		cues := &yaml.Node{Kind: yaml.SequenceNode}
		for _, c := range n.Cues {
			cues.Content = append(cues.Content, plainNode(c))
		}
		if len(n.Cues) == 0 {
			cues.Style = yaml.FlowStyle // cues: [] turns negation off
		}
		addField(m, "cues", cues)
	}
	return m
}

// codesNode writes a list of codes whose "- " stands at column indent-2, so
// their fields start at column indent.
func codesNode(codes []*Code, indent int) *yaml.Node {
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	if len(codes) == 0 {
		seq.Style = yaml.FlowStyle
	}
	for _, c := range codes {
		m := &yaml.Node{Kind: yaml.MappingNode}
		addField(m, "id", plainNode(c.ID))
		addField(m, "name", plainNode(c.Name))
		if c.Color != "" {
			addField(m, "color", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: c.Color, Style: yaml.DoubleQuotedStyle})
		}
		if c.GUID != "" {
			addField(m, "guid", plainNode(c.GUID))
		}
		if c.Description != "" {
			addField(m, "description", textNode(c.Description, indent, "description"))
		}
		if c.Include != "" {
			addField(m, "include", textNode(c.Include, indent, "include"))
		}
		if c.Exclude != "" {
			addField(m, "exclude", textNode(c.Exclude, indent, "exclude"))
		}
		if c.ByPeople {
			addField(m, "auto", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "false"})
		}
		if c.Rule != "" {
			addField(m, "rule", ruleNode(c.Rule, indent))
		}
		if c.Negation != "" && c.Negation != NegationSkip {
			addField(m, "negation", plainNode(string(c.Negation)))
		}
		if len(c.Examples) > 0 {
			addField(m, "examples", passagesNode(c.Examples, indent+2))
		}
		if len(c.Counterexamples) > 0 {
			addField(m, "counterexamples", passagesNode(c.Counterexamples, indent+2))
		}
		if len(c.Codes) > 0 {
			addField(m, "codes", codesNode(c.Codes, indent+4))
		}
		seq.Content = append(seq.Content, m)
	}
	return seq
}

// passagesNode writes examples or counterexamples, one double-quoted item
// each, folded when long; indent is the column of the item's "- ".
func passagesNode(ps []string, indent int) *yaml.Node {
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	for _, p := range ps {
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: p, Style: yaml.DoubleQuotedStyle}
		switch {
		case strings.Contains(p, "\n"):
			n.Style = yaml.LiteralStyle
		case indent+2+quotedLen(p) > saveWidth:
			n.Style = yaml.FoldedStyle
		}
		seq.Content = append(seq.Content, n)
	}
	return seq
}

// textNode writes free text: plain when it fits on its key's line, folded
// when it is long, literal when it holds line breaks (folding would turn
// each into a blank line, which reads badly).
func textNode(s string, indent int, key string) *yaml.Node {
	n := plainNode(s)
	switch {
	case strings.Contains(s, "\n"):
		n.Style = yaml.LiteralStyle
	case indent+len(key)+2+utf8.RuneCountInString(s) > saveWidth:
		n.Style = yaml.FoldedStyle
	}
	return n
}

// ruleNode writes a rule single-quoted when it fits on its line, so that
// rule errors can point at its columns, and folded otherwise.
func ruleNode(rule string, indent int) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: rule, Style: yaml.SingleQuotedStyle}
	switch {
	case strings.Contains(rule, "\n"):
		n.Style = yaml.LiteralStyle
	case indent+len("rule: ")+quotedLen(rule) > saveWidth:
		n.Style = yaml.FoldedStyle
	}
	return n
}

// quotedLen is the width of s once quoted, roughly: quotes doubled or escaped.
func quotedLen(s string) int {
	return utf8.RuneCountInString(s) + 2 + strings.Count(s, `'`) + strings.Count(s, `"`)
}

func plainNode(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

func addField(m *yaml.Node, key string, v *yaml.Node) {
	m.Content = append(m.Content, plainNode(key), v)
}

// blockHeaderRE matches a line that opens a block scalar: "key: >-",
// "- |-", "- key: |", with an optional indentation indicator.
var blockHeaderRE = regexp.MustCompile(`^( *)(- )?([a-z]+: )?([|>][0-9]?[+-]?)$`)

// foldBlocks wraps the one long line of each folded (>-) scalar the encoder
// wrote at saveWidth columns. yaml.v3 never wraps, and folding by hand is
// safe here: a line break between two words that a single space separated
// folds back to that space. Other block scalars are copied as they are.
func foldBlocks(out []byte) []byte {
	lines := strings.Split(string(out), "\n")
	folded := make([]string, 0, len(lines)+len(lines)/8)
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		folded = append(folded, line)
		m := blockHeaderRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		// The header's own indentation: that of its key, or of its "- ".
		head := len(m[1])
		if m[2] != "" && m[3] != "" {
			head += 2
		}
		// The block's content is every following line that is blank or
		// indented further than the header; trailing blank lines belong to
		// what follows.
		j := i + 1
		for j < len(lines) && (strings.TrimSpace(lines[j]) == "" || indentOf(lines[j]) > head) {
			j++
		}
		for j > i+1 && strings.TrimSpace(lines[j-1]) == "" {
			j--
		}
		content := lines[i+1 : j]
		if m[4] == ">-" && len(content) == 1 {
			ind := indentOf(content[0])
			for _, l := range wrapLine(content[0][ind:], saveWidth-ind) {
				folded = append(folded, content[0][:ind]+l)
			}
		} else {
			folded = append(folded, content...)
		}
		i = j - 1
	}
	return []byte(strings.Join(folded, "\n"))
}

func indentOf(line string) int { return len(line) - len(strings.TrimLeft(line, " ")) }

// wrapLine breaks s into lines of at most width runes where it can, only at
// a single space between two non-blank characters, so that YAML folding
// gives s back exactly. A word longer than width stays whole.
func wrapLine(s string, width int) []string {
	if width < 20 {
		width = 20
	}
	var lines []string
	for utf8.RuneCountInString(s) > width {
		cut := -1
		runes := 0
		for i, r := range s {
			if runes > width && cut >= 0 {
				break
			}
			if r == ' ' && i > 0 && i+1 < len(s) && !isBlank(s[i-1]) && !isBlank(s[i+1]) {
				cut = i
			}
			runes++
		}
		if cut < 0 {
			break
		}
		lines = append(lines, s[:cut])
		s = s[cut+1:]
	}
	return append(lines, s)
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }
