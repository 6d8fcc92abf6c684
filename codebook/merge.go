package codebook

// This file merges imported codes into a codebook and writes them into
// its codebook.yaml as text.

import (
	"bytes"
	"errors"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Merge adds to dst every code of src whose id dst does not have yet, in
// src's tree order: under the code with its parent's id when dst has one
// (an existing code or one added before it), else at the top level. It
// returns the codes it added (as they now stand in dst) and the codes of
// src it skipped because their id was taken. dst keeps its own settings.
func Merge(dst, src *Codebook) (added, skipped []*Code) {
	byID := map[string]*Code{}
	dst.Walk(func(c *Code) { byID[c.ID] = c })
	src.Walk(func(c *Code) {
		if _, ok := byID[c.ID]; ok {
			skipped = append(skipped, c)
			return
		}
		n := &Code{ID: c.ID, Name: c.Name, Description: c.Description, Include: c.Include, Exclude: c.Exclude,
			Examples: c.Examples, Counterexamples: c.Counterexamples, Color: c.Color, Rule: c.Rule,
			ByPeople: c.ByPeople, Negation: c.Negation, GUID: c.GUID, Pos: c.Pos, RulePos: c.RulePos}
		if c.Parent != nil {
			n.Parent = byID[c.Parent.ID]
		}
		if n.Parent != nil {
			n.Parent.Codes = append(n.Parent.Codes, n)
		} else {
			dst.Codes = append(dst.Codes, n)
		}
		byID[n.ID] = n
		added = append(added, n)
	})
	return added, skipped
}

// SaveMerged writes a codebook that Merge added codes to. original is the
// codebook.yaml text merged was loaded from; the added codes are written
// into it as text, each list of new codes after the last code already at
// that place, so the rest of the file (comments, line breaks, quoting) stays
// byte for byte as it was. When the file's layout leaves no clear place
// (a list written in flow style, [a, b]) it falls back to Save(merged).
func SaveMerged(original []byte, merged *Codebook, added []*Code) ([]byte, error) {
	if len(added) == 0 {
		return original, nil
	}
	if out, err := insertCodes(original, added); err == nil {
		return out, nil
	}
	return Save(merged)
}

var errNoPlace = errors.New("codebook: no place to insert codes as text")

// insertion is text to put before line at (0-based) of the original;
// indent is how deep the block it closes is nested.
type insertion struct {
	at     int
	indent int
	text   string
}

func insertCodes(original []byte, added []*Code) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(original, &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errNoPlace
	}
	lines := strings.SplitAfter(string(original), "\n")
	if !bytes.HasSuffix(original, []byte("\n")) {
		lines[len(lines)-1] += "\n"
	}
	root := doc.Content[0]

	rootCodes := mapValue(root, "codes")
	nodes := codeNodes(rootCodes)

	// The added codes that start a new subtree, grouped by the existing
	// code they go under ("" for the top level), in order.
	isAdded := map[*Code]bool{}
	for _, c := range added {
		isAdded[c] = true
	}
	groups := map[string][]*Code{}
	var order []string
	for _, c := range added {
		if c.Parent != nil && isAdded[c.Parent] {
			continue
		}
		key := ""
		if c.Parent != nil {
			key = c.Parent.ID
		}
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], c)
	}

	var ins []insertion
	for _, key := range order {
		codes := groups[key]
		var seq, owner *yaml.Node
		if key == "" {
			seq, owner = rootCodes, root
		} else {
			owner = nodes[key]
			if owner == nil {
				return nil, errNoPlace
			}
			seq = mapValue(owner, "codes")
		}
		if owner.Style&yaml.FlowStyle != 0 {
			return nil, errNoPlace
		}
		if seq != nil {
			if seq.Kind != yaml.SequenceNode || seq.Style&yaml.FlowStyle != 0 || len(seq.Content) == 0 {
				return nil, errNoPlace
			}
			last := seq.Content[len(seq.Content)-1]
			dash := dashColumn(lines[last.Line-1], last.Column-1)
			if dash < 0 {
				return nil, errNoPlace
			}
			text, err := renderCodes(codes, dash)
			if err != nil {
				return nil, err
			}
			ins = append(ins, insertion{at: endOfBlock(lines, last.Line, dash), indent: dash, text: text})
			continue
		}
		// A code without children yet: give it a codes: key after its
		// last field.
		if key == "" {
			return nil, errNoPlace
		}
		col := owner.Column - 1
		text, err := renderCodes(codes, col+2)
		if err != nil {
			return nil, err
		}
		ins = append(ins, insertion{at: endOfBlock(lines, owner.Line, col-1), indent: col, text: strings.Repeat(" ", col) + "codes:\n" + text})
	}
	// Insert from the bottom up, so earlier line numbers stay right. Where
	// blocks end on one line, the outer one is inserted first, so that the
	// inner one, inserted at the same place, comes before it.
	sort.SliceStable(ins, func(i, j int) bool {
		if ins[i].at != ins[j].at {
			return ins[i].at > ins[j].at
		}
		return ins[i].indent < ins[j].indent
	})
	for _, in := range ins {
		lines = append(lines[:in.at], append([]string{in.text}, lines[in.at:]...)...)
	}
	return []byte(strings.Join(lines, "")), nil
}

// codeNodes maps the id of every code in seq, a codebook's list of codes,
// and in their codes below, to the code's mapping node.
func codeNodes(seq *yaml.Node) map[string]*yaml.Node {
	nodes := map[string]*yaml.Node{}
	var walk func(seq *yaml.Node)
	walk = func(seq *yaml.Node) {
		if seq == nil || seq.Kind != yaml.SequenceNode {
			return
		}
		for _, item := range seq.Content {
			if item.Kind != yaml.MappingNode {
				continue
			}
			if id := mapValue(item, "id"); id != nil {
				nodes[id.Value] = item
			}
			walk(mapValue(item, "codes"))
		}
	}
	walk(seq)
	return nodes
}

// mapValue returns the value of key in a mapping node, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// dashColumn finds the "-" of a sequence item whose mapping starts at
// (0-based) column col of line.
func dashColumn(line string, col int) int {
	if col > len(line) {
		return -1
	}
	i := strings.LastIndexByte(line[:col], '-')
	if i < 0 || strings.TrimSpace(line[i+1:col]) != "" || strings.TrimSpace(line[:i]) != "" {
		return -1
	}
	return i
}

// endOfBlock returns the 0-based index of the line after the block that
// starts on (1-based) line start: the block runs until the first line, not
// blank nor a comment, indented at most indent columns (YAML indents every
// line inside a block further, block scalars included); blank lines and
// comments at the block's indentation or less just before that line belong
// to what follows.
func endOfBlock(lines []string, start, indent int) int {
	end := start // 0-based index of the line after the last line of the block
	for i := start; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t == "" {
			continue
		}
		deeper := indentOf(strings.TrimRight(lines[i], "\n")) > indent
		if strings.HasPrefix(t, "#") {
			// A comment indented into the block (or a line of a block
			// scalar that looks like one) is part of it.
			if deeper {
				end = i + 1
			}
			continue
		}
		if !deeper {
			break
		}
		end = i + 1
	}
	return end
}

// renderCodes writes codes (with their children) as a YAML list whose
// dashes stand at column dash.
func renderCodes(codes []*Code, dash int) (string, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(codesNode(codes, dash+2)); err != nil {
		return "", err
	}
	if err := enc.Close(); err != nil {
		return "", err
	}
	return indentLines(string(foldBlocks(buf.Bytes())), dash), nil
}

// indentLines indents every line of text that is not blank by col spaces.
func indentLines(text string, col int) string {
	pad := strings.Repeat(" ", col)
	var b strings.Builder
	for _, l := range strings.SplitAfter(text, "\n") {
		if strings.TrimSpace(l) != "" {
			b.WriteString(pad)
		}
		b.WriteString(l)
	}
	return b.String()
}
