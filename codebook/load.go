package codebook

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"qcode/internal/qdaxml"

	"gopkg.in/yaml.v3"

	"qcode"
)

// Problem is one thing wrong in a codebook file, at a position.
type Problem struct {
	Path string
	Pos  Pos
	Msg  string
	Near []string // what a mistyped name in the file may have meant, nearest first
}

// Error reads "codebook.yaml:5:20: unknown operator "NAER" (did you mean NEAR?)".
func (p *Problem) Error() string {
	msg := p.Msg + didYouMean(p.Near)
	switch {
	case p.Pos.Line > 0 && p.Pos.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", p.Path, p.Pos.Line, p.Pos.Col, msg)
	case p.Pos.Line > 0:
		return fmt.Sprintf("%s:%d: %s", p.Path, p.Pos.Line, msg)
	}
	return fmt.Sprintf("%s: %s", p.Path, msg)
}

// didYouMean phrases the names a mistyped name may have meant (see
// qcode.Nearest) as the hint a problem ends with: " (did you mean NEAR?)".
// A problem in a file is the same whoever reads it, so it carries its hint
// rather than leave it to a front end.
func didYouMean(near []string) string {
	if len(near) == 0 {
		return ""
	}
	return " (did you mean " + qcode.OrList(near) + "?)"
}

// Problems is every problem found in a codebook, in file order. As an error
// it reads as its first problem and a count of the others, which keeps it to
// the one line commands print; `qcode codebook validate` lists them all.
type Problems []*Problem

func (ps Problems) Error() string {
	if len(ps) == 1 {
		return ps[0].Error()
	}
	return fmt.Sprintf("%s (and %d more problems; run 'qcode codebook validate' to see them all)", ps[0].Error(), len(ps)-1)
}

// AsProblems returns the problems in err, if it holds any.
func AsProblems(err error) (Problems, bool) {
	var ps Problems
	if errors.As(err, &ps) {
		return ps, true
	}
	return nil, false
}

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML returns the text of the default codebook, the
// bidirectional-learning framework, as `qcode init` writes it.
func DefaultYAML() []byte { return bytes.Clone(defaultYAML) }

// Default returns the default codebook, loaded.
func Default() *Codebook {
	cb, err := Load("codebook.yaml", defaultYAML)
	if err != nil {
		panic("codebook: the embedded default codebook does not load: " + err.Error())
	}
	return cb
}

var (
	idRE    = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	colorRE = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)
)

// Load parses and checks a codebook file, and compiles its rules to check
// them too. It reports every problem it finds, each at its line and column,
// as Problems (wrapped in a qcode.EINVALID error).
func Load(path string, data []byte) (*Codebook, error) {
	cb, _, err := LoadCompiled(path, data)
	return cb, err
}

// LoadCompiled is Load that also returns the Matcher it compiled the rules
// into to check them, so that a caller about to match does not compile
// them a second time (a search's process start). The Matcher is made of
// the Codebook as returned; it no longer fits once the Codebook changes.
func LoadCompiled(path string, data []byte) (*Codebook, *Matcher, error) {
	l := &loader{path: path}
	cb := l.load(data)
	m := l.compile(cb, nil)
	if err := l.err(); err != nil {
		return nil, nil, err
	}
	return cb, m, nil
}

// Checking is the check of a codebook's rules that LoadChecking leaves
// running.
type Checking struct {
	done chan struct{}
	m    *Matcher
	err  error
}

// Wait waits for the check and returns the codebook's rules compiled, or
// the error LoadCompiled would have returned.
func (c *Checking) Wait() (*Matcher, error) {
	<-c.done
	return c.m, c.err
}

// LoadChecking is LoadCompiled for a caller that first needs only to
// compile queries against the codebook (a search): it parses the file and
// every rule, gives the Queries compiled against them, and compiles the
// rules on another goroutine, whose outcome Wait gives. A search then
// finds its candidates while the codebook it refers to is checked, and
// says nothing before the check is done. A codebook with a problem found
// before compiling is compiled there and then, so that the error returned
// is the one LoadCompiled returns.
func LoadChecking(path string, data []byte) (*Codebook, *Queries, *Checking, error) {
	l := &loader{path: path}
	cb := l.load(data)
	if len(l.problems) == 0 {
		pr := parseRules(cb)
		if len(pr.errs) == 0 {
			c := &Checking{done: make(chan struct{})}
			go func() {
				defer close(c.done)
				m := l.compile(cb, pr)
				if c.err = l.err(); c.err == nil {
					c.m = m
				}
			}()
			return cb, &Queries{pr.sh}, c, nil
		}
		l.compile(cb, pr)
	}
	return nil, nil, nil, l.err()
}

// compile compiles the rules of cb, parsed already by parseRules (pr) or
// not (nil), when the file had no problem, and records the rules'
// problems.
func (l *loader) compile(cb *Codebook, pr *parsedRules) *Matcher {
	if len(l.problems) > 0 {
		return nil
	}
	if pr == nil {
		pr = parseRules(cb)
	}
	m, err := pr.compile()
	if err != nil {
		l.ruleProblems(cb, err)
	}
	return m
}

// err returns the problems recorded, sorted, as an EINVALID error; nil
// when there is none.
func (l *loader) err() error {
	if len(l.problems) == 0 {
		return nil
	}
	sortProblems(l.problems)
	return &qcode.Error{Code: qcode.EINVALID, Message: l.problems.Error(), Err: l.problems}
}

type loader struct {
	path     string
	problems Problems
}

// add records a problem at n and returns it, for the caller to add the
// names a mistyped one may have meant.
func (l *loader) add(n *yaml.Node, format string, args ...any) *Problem {
	p := &Problem{Path: l.path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		p.Pos = Pos{n.Line, n.Column}
	}
	l.problems = append(l.problems, p)
	return p
}

func (l *loader) load(data []byte) *Codebook {
	cb := &Codebook{Match: MatchExact, Negation: Negation{Window: DefaultNegationWindow}}
	if len(bytes.TrimSpace(data)) == 0 {
		l.add(nil, "the codebook is empty; it needs at least a 'codes:' list")
		return cb
	}
	if line := tabIndentedLine(data); line > 0 {
		l.problems = append(l.problems, &Problem{Path: l.path, Pos: Pos{line, 1}, Msg: "indented with a tab; YAML needs spaces for indentation"})
		return cb
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		l.problems = append(l.problems, yamlProblem(l.path, err))
		return cb
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		l.add(nil, "the codebook is empty; it needs at least a 'codes:' list")
		return cb
	}
	root := doc.Content[0]
	if !l.noAliases(root) {
		return cb
	}
	if root.Kind != yaml.MappingNode {
		l.add(root, "the codebook must be a mapping with 'name:' and 'codes:', not a %s", kindName(root))
		return cb
	}
	var codes *yaml.Node
	l.fields(root, "codebook", map[string]func(*yaml.Node){
		"name":        func(v *yaml.Node) { cb.Name = l.str(v, "name") },
		"description": func(v *yaml.Node) { cb.Description = l.str(v, "description") },
		"match": func(v *yaml.Node) {
			switch m := MatchMode(l.str(v, "match")); m {
			case MatchExact, MatchStem:
				cb.Match = m
			default:
				l.add(v, "match must be exact or stem, not %q", v.Value)
			}
		},
		"negation": func(v *yaml.Node) { l.negation(v, &cb.Negation) },
		"codes":    func(v *yaml.Node) { codes = v },
	})
	if codes == nil {
		l.add(root, "the codebook has no 'codes:' list")
		return cb
	}
	cb.Codes = l.codes(codes, nil)
	l.checkIDs(cb)
	return cb
}

func (l *loader) negation(v *yaml.Node, n *Negation) {
	if v.Kind != yaml.MappingNode {
		l.add(v, "negation must be a mapping with 'window:' and 'cues:'")
		return
	}
	l.fields(v, "negation", map[string]func(*yaml.Node){
		"window": func(w *yaml.Node) {
			i, err := strconv.Atoi(w.Value)
			if w.Kind != yaml.ScalarNode || err != nil || i < 1 || i > 20 {
				l.add(w, "negation window must be a whole number from 1 to 20, not %q", w.Value)
				return
			}
			n.Window = i
		},
		"cues": func(c *yaml.Node) {
			n.Cues = l.strs(c, "negation cues")
			for i, cue := range n.Cues {
				if strings.TrimSpace(cue) == "" {
					l.add(c.Content[i], "a negation cue is empty")
				}
			}
		},
	})
}

// codes reads a list of codes.
func (l *loader) codes(v *yaml.Node, parent *Code) []*Code {
	if v.Kind != yaml.SequenceNode {
		l.add(v, "codes must be a list (each item starting with '- id:'), not a %s", kindName(v))
		return nil
	}
	var out []*Code
	for _, item := range v.Content {
		if item.Kind != yaml.MappingNode {
			l.add(item, "each code must be a mapping with id, name and the rest, not a %s", kindName(item))
			continue
		}
		c := &Code{Parent: parent, Pos: Pos{item.Line, item.Column}}
		var children *yaml.Node
		l.fields(item, "code", map[string]func(*yaml.Node){
			"id":          func(n *yaml.Node) { c.ID = l.str(n, "id") },
			"name":        func(n *yaml.Node) { c.Name = l.str(n, "name") },
			"description": func(n *yaml.Node) { c.Description = l.str(n, "description") },
			"include":     func(n *yaml.Node) { c.Include = l.str(n, "include") },
			"exclude":     func(n *yaml.Node) { c.Exclude = l.str(n, "exclude") },
			"examples":    func(n *yaml.Node) { c.Examples = l.strs(n, "examples") },
			"counterexamples": func(n *yaml.Node) {
				c.Counterexamples = l.strs(n, "counterexamples")
			},
			"color": func(n *yaml.Node) {
				c.Color = l.str(n, "color")
				if c.Color != "" && !colorRE.MatchString(c.Color) {
					l.add(n, "color %q is not a colour like \"#4E79A7\" (# and six hex digits; quote it in YAML)", c.Color)
				}
			},
			"guid": func(n *yaml.Node) {
				c.GUID = l.str(n, "guid")
				if !qdaxml.ValidGUID(c.GUID) {
					l.add(n, "guid %q is not a GUID like 7a1c0f3e-2b4d-4e5f-8a6b-9c0d1e2f3a4b; it is the code's GUID in other QDA software, kept from an import", c.GUID)
				}
			},
			"rule": func(n *yaml.Node) {
				c.Rule = l.str(n, "rule")
				c.RulePos = rulePos(n)
				if c.Rule == "" {
					l.add(n, "rule is empty; write a rule, or remove the line to code %s by hand only", c.ID)
				}
			},
			"auto": func(n *yaml.Node) {
				switch v := l.str(n, "auto"); v {
				case "true":
				case "false":
					c.ByPeople = true
				default:
					l.add(n, "auto must be true or false (false: the code is coded by people and has no rule), not %q", v)
				}
			},
			"negation": func(n *yaml.Node) {
				switch m := NegationMode(l.str(n, "negation")); m {
				case NegationSkip, NegationKeep, NegationOnly:
					c.Negation = m
				default:
					l.add(n, "negation must be skip, keep or only, not %q", n.Value)
				}
			},
			"codes": func(n *yaml.Node) { children = n },
		})
		switch {
		case c.ID == "":
			l.add(item, "code has no id; give it a short slug such as risk_aversion")
		case !idRE.MatchString(c.ID):
			l.add(item, "id %q must be a slug: lower-case letters, digits and underscores, starting with a letter (e.g. %s)", c.ID, slug(c.ID))
		}
		if strings.TrimSpace(c.Name) == "" {
			l.add(item, "code %s has no name; add 'name:' with the label people see", c.ID)
		}
		if c.ByPeople && c.Rule != "" {
			l.add(item, "code %s is coded by people (auto: false), so it cannot have a rule; remove the rule or the auto line", c.ID)
		}
		if c.Negation == "" {
			c.Negation = NegationSkip
		}
		if children != nil {
			c.Codes = l.codes(children, c)
		}
		out = append(out, c)
	}
	return out
}

// fields calls set for each key of a mapping and reports unknown and
// repeated keys.
func (l *loader) fields(m *yaml.Node, what string, set map[string]func(*yaml.Node)) {
	known := make([]string, 0, len(set))
	for k := range set {
		known = append(known, k)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		fn, ok := set[k.Value]
		if !ok {
			l.add(k, "unknown %s field %q", what, k.Value).Near = qcode.Nearest(k.Value, known)
			continue
		}
		if seen[k.Value] {
			l.add(k, "field %q is given twice", k.Value)
			continue
		}
		seen[k.Value] = true
		fn(v)
	}
}

func (l *loader) str(n *yaml.Node, field string) string {
	if n.Kind != yaml.ScalarNode {
		l.add(n, "%s must be text, not a %s", field, kindName(n))
		return ""
	}
	if n.Tag == "!!null" {
		return ""
	}
	return strings.TrimSpace(n.Value)
}

func (l *loader) strs(n *yaml.Node, field string) []string {
	if n.Kind != yaml.SequenceNode {
		l.add(n, "%s must be a list of passages (each line starting with '- '), not a %s", field, kindName(n))
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, item := range n.Content {
		out = append(out, l.str(item, field))
	}
	return out
}

// noAliases refuses YAML anchors and aliases: a codebook has no use for
// them, and they are how a small file expands into a huge one.
func (l *loader) noAliases(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		l.add(n, "anchors and aliases (& and *) are not allowed in a codebook; write the text out")
		return false
	}
	for _, c := range n.Content {
		if !l.noAliases(c) {
			return false
		}
	}
	return true
}

// checkIDs reports ids used twice.
func (l *loader) checkIDs(cb *Codebook) {
	first := map[string]*Code{}
	cb.Walk(func(c *Code) {
		if c.ID == "" {
			return
		}
		if prev, ok := first[c.ID]; ok {
			l.problems = append(l.problems, &Problem{Path: l.path, Pos: c.Pos,
				Msg: fmt.Sprintf("id %q is already used by the code at line %d; ids must be unique across the tree", c.ID, prev.Pos.Line)})
			return
		}
		first[c.ID] = c
	})
}

// ruleProblems turns the matcher's rule errors into positioned problems.
func (l *loader) ruleProblems(cb *Codebook, err error) {
	var list ErrorList
	if !errors.As(err, &list) {
		l.problems = append(l.problems, &Problem{Path: l.path, Msg: err.Error()})
		return
	}
	for _, re := range list {
		p := &Problem{Path: l.path, Msg: re.message(), Near: re.Near}
		if c := cb.Code(re.CodeID); c != nil {
			p.Pos = c.RulePos
			if c.RulePos.Col > 0 && re.Col > 0 {
				p.Pos.Col += re.Col - 1
			}
		}
		l.problems = append(l.problems, p)
	}
}

// rulePos is where a rule's first character stands in the file: after the
// opening quote of a quoted scalar; the line after the indicator of a block
// scalar, whose column is not known.
func rulePos(n *yaml.Node) Pos {
	switch n.Style {
	case yaml.SingleQuotedStyle, yaml.DoubleQuotedStyle:
		if strings.Contains(n.Value, "\n") || n.Style == yaml.DoubleQuotedStyle && strings.Contains(n.Value, `\`) {
			return Pos{n.Line, 0}
		}
		return Pos{n.Line, n.Column + 1}
	case yaml.LiteralStyle, yaml.FoldedStyle:
		return Pos{n.Line + 1, 0}
	}
	if strings.Contains(n.Value, "\n") {
		return Pos{n.Line, 0}
	}
	return Pos{n.Line, n.Column}
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlProblem turns a yaml.v3 syntax error into a positioned problem.
func yamlProblem(path string, err error) *Problem {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Problem{Path: path, Pos: Pos{line, 0}, Msg: "YAML syntax: " + m[2] + "; check the indentation and quotes"}
	}
	return &Problem{Path: path, Msg: "YAML syntax: " + strings.TrimPrefix(msg, "yaml: ")}
}

// tabIndentedLine returns the first line indented with a tab, or 0.
func tabIndentedLine(data []byte) int {
	for i, line := range bytes.Split(data, []byte("\n")) {
		trimmed := bytes.TrimLeft(line, " ")
		if len(trimmed) > 0 && trimmed[0] == '\t' && len(bytes.TrimSpace(line)) > 0 {
			return i + 1
		}
	}
	return 0
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	case yaml.AliasNode:
		return "alias"
	}
	return "document"
}

// slug suggests an id for s.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	out := strings.Trim(b.String(), "_")
	if out == "" || out[0] < 'a' {
		out = "code_" + out
	}
	return out
}

func sortProblems(ps Problems) {
	// Stable by position; problems without a line go last.
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && less(ps[j], ps[j-1]); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

func less(a, b *Problem) bool {
	if (a.Pos.Line == 0) != (b.Pos.Line == 0) {
		return b.Pos.Line == 0
	}
	if a.Pos.Line != b.Pos.Line {
		return a.Pos.Line < b.Pos.Line
	}
	return a.Pos.Col < b.Pos.Col
}

// ValidID reports whether id is a code id a codebook can hold: a slug of
// lower-case letters, digits and underscores, starting with a letter.
func ValidID(id string) bool { return idRE.MatchString(id) }

// ValidColor reports whether s is a colour a codebook can hold: # and six
// hex digits.
func ValidColor(s string) bool { return colorRE.MatchString(s) }
