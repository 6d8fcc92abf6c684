package codebook

import (
	"bytes"
	"errors"
	"strings"

	"gopkg.in/yaml.v3"
)

// SetRule writes rule as the rule of the code with id into the
// codebook.yaml text original, as text: the rule's lines are replaced (or
// a rule: line is added after the code's id), so the rest of the file
// (comments, order, quoting) stays byte for byte as it was. It fails when
// the file has no such code or its layout leaves no clear place (a code
// written in flow style, {id: a}).
func SetRule(original []byte, id, rule string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(original, &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errNoPlace
	}
	code := codeNodes(mapValue(doc.Content[0], "codes"))[id]
	if code == nil {
		return nil, errors.New("codebook: no code " + id)
	}
	if code.Style&yaml.FlowStyle != 0 {
		return nil, errNoPlace
	}
	lines := strings.SplitAfter(string(original), "\n")
	if !bytes.HasSuffix(original, []byte("\n")) {
		lines[len(lines)-1] += "\n"
	}
	var key *yaml.Node // the rule's key, else the id's
	for i := 0; i+1 < len(code.Content); i += 2 {
		if k := code.Content[i]; k.Value == "rule" || (k.Value == "id" && key == nil) {
			key = k
		}
	}
	col := key.Column - 1
	text, err := renderRule(rule, col)
	if err != nil {
		return nil, err
	}
	at := key.Line - 1
	var out []string
	if key.Value == "rule" {
		// The key's line keeps what comes before the key ("- " when the
		// rule is the code's first field); its value's lines go.
		end := endOfBlock(lines, key.Line, col)
		out = append(out, lines[:at]...)
		out = append(out, lines[at][:col]+strings.TrimLeft(text, " "))
		out = append(out, lines[end:]...)
	} else {
		if code.Content[1].Line != key.Line { // a multi-line id: no clear place
			return nil, errNoPlace
		}
		out = append(out, lines[:at+1]...)
		out = append(out, text)
		out = append(out, lines[at+1:]...)
	}
	return []byte(strings.Join(out, "")), nil
}

// renderRule writes `rule: …` with its key at column col, as Save would.
func renderRule(rule string, col int) (string, error) {
	m := &yaml.Node{Kind: yaml.MappingNode}
	addField(m, "rule", ruleNode(rule, col))
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return "", err
	}
	if err := enc.Close(); err != nil {
		return "", err
	}
	return indentLines(string(foldBlocks(buf.Bytes())), col), nil
}
