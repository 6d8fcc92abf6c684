package codebook

// This file picks a reader by file extension and holds what the readers of
// other tools' formats share: positioned errors, ids made from names,
// dictionary words made into rule terms, and the final check of the rules.

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"qcode"
)

// Formats lists the extensions LoadAny reads, for messages.
const Formats = ".yaml or .yml (a qcode codebook or a quanteda dictionary), .qdc (REFI-QDA), .dic (LIWC), .csv or .xlsx"

// LoadAny reads a codebook in any format qcode knows, chosen by the file's
// extension: a qcode codebook.yaml (Load), a quanteda dictionary in YAML
// (ReadQuantedaYAML; a .yaml file without a top-level codes: key), a
// REFI-QDA codebook (ReadQDC, .qdc), a LIWC dictionary (ReadDic, .dic) or a
// table of codes (ReadTable, .csv, .tsv, .xlsx). Whatever the format, the
// codebook it returns has unique ids and rules that compile, and Save
// writes it as a codebook.yaml that Load reads back unchanged.
func LoadAny(path string, data []byte) (*Codebook, error) {
	cb, _, err := LoadAnyCompiled(path, data)
	return cb, err
}

// LoadAnyCompiled is LoadAny that also returns the codebook's rules
// compiled when reading it compiled them (a qcode codebook.yaml, see
// LoadCompiled), nil otherwise.
func LoadAnyCompiled(path string, data []byte) (*Codebook, *Matcher, error) {
	if ext := strings.ToLower(filepath.Ext(path)); (ext == ".yaml" || ext == ".yml") && (topCodesKey(data) || !IsQuantedaYAML(data)) {
		return LoadCompiled(path, data)
	}
	cb, err := loadOther(path, data)
	return cb, nil, err
}

// LoadAnyChecking is LoadChecking for a file LoadAny reads: a codebook in
// another format, which has no rules to check as it is read, comes with
// neither Queries nor Checking.
func LoadAnyChecking(path string, data []byte) (*Codebook, *Queries, *Checking, error) {
	if ext := strings.ToLower(filepath.Ext(path)); (ext == ".yaml" || ext == ".yml") && (topCodesKey(data) || !IsQuantedaYAML(data)) {
		return LoadChecking(path, data)
	}
	cb, err := loadOther(path, data)
	return cb, nil, nil, err
}

// loadOther reads a codebook in a format other than qcode's YAML.
func loadOther(path string, data []byte) (*Codebook, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		return ReadQuantedaYAML(path, data)
	case ".qdc":
		return ReadQDC(path, data)
	case ".dic":
		return ReadDic(path, data)
	case ".csv", ".tsv", ".xlsx":
		return ReadTable(path, data)
	}
	return nil, qcode.Errorf(qcode.EINVALID, "%s: cannot read a codebook from this kind of file; qcode reads %s", path, Formats)
}

// topCodesKey reports whether YAML text has a line that begins "codes:",
// the top-level key of a qcode codebook that IsQuantedaYAML looks for: a
// cheap look that spares parsing the YAML twice, once to tell the format
// and once to read it, when a search or a coding loads the codebook.
func topCodesKey(data []byte) bool {
	return bytes.HasPrefix(data, []byte("codes:")) || bytes.Contains(data, []byte("\ncodes:"))
}

// IsQuantedaYAML reports whether YAML text is a quanteda dictionary rather
// than a qcode codebook: a mapping without a top-level codes: key nor a
// name, description or match given as text. Text that is not YAML is left
// to Load, which says what is wrong with it.
func IsQuantedaYAML(data []byte) bool {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 {
		return false
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		switch k, v := root.Content[i].Value, root.Content[i+1]; k {
		case "codes":
			return false
		case "name", "description", "match":
			if v.Kind == yaml.ScalarNode {
				return false
			}
		}
	}
	return true
}

// problems collects positioned problems in a file other than
// codebook.yaml; it keeps the first maxProblems and counts the rest, as a
// broken file can hold thousands and the first few tell what is wrong.
type problems struct {
	path string
	list Problems
	more int
}

const maxProblems = 100

// add records a problem at pos and returns it, or nil when it is one too
// many to list.
func (ps *problems) add(pos Pos, format string, args ...any) *Problem {
	if len(ps.list) >= maxProblems {
		ps.more++
		return nil
	}
	p := &Problem{Path: ps.path, Pos: pos, Msg: fmt.Sprintf(format, args...)}
	ps.list = append(ps.list, p)
	return p
}

// err returns the problems as one EINVALID error, or nil.
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	sortProblems(ps.list)
	msg := ps.list[0].Error()
	if n := len(ps.list) - 1 + ps.more; n > 0 {
		msg += fmt.Sprintf(" (and %d more %s)", n, plural(n, "problem", "problems"))
	}
	list := ps.list
	if ps.more > 0 {
		list = append(list, &Problem{Path: ps.path, Msg: fmt.Sprintf("… and %d more %s not listed", ps.more, plural(ps.more, "problem", "problems"))})
	}
	return &qcode.Error{Code: qcode.EINVALID, Message: msg, Err: list}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// inputError is one positioned problem as an EINVALID error.
func inputError(path string, pos Pos, format string, args ...any) error {
	ps := &problems{path: path}
	ps.add(pos, format, args...)
	return ps.err()
}

// checkRules compiles every rule of a codebook read from another format and
// reports rule errors at the lines of the codes they belong to (the rule's
// own line when the format has one).
func checkRules(path string, cb *Codebook) error {
	_, err := NewMatcher(cb)
	if err == nil {
		return nil
	}
	var list ErrorList
	if !errors.As(err, &list) {
		return err
	}
	ps := &problems{path: path}
	for _, re := range list {
		var pos Pos
		if c := cb.Code(re.CodeID); c != nil {
			pos = c.RulePos
			if pos.Line == 0 {
				pos = c.Pos
			}
			pos.Col = 0
		}
		ps.add(pos, "%s", re.Error())
	}
	return ps.err()
}

// ids hands out code ids: those a file gives are taken as they are
// (reserved first, so a made-up id never takes one), the others are made
// from names and made unique with _2, _3…
type ids struct {
	used map[string]bool
}

func newIDs() *ids { return &ids{used: map[string]bool{}} }

func (a *ids) reserve(id string) { a.used[id] = true }

// fromName returns a new unique id made from a code's name.
func (a *ids) fromName(name string) string {
	base := IDFromName(name)
	id := base
	for n := 2; a.used[id]; n++ {
		id = base + "_" + strconv.Itoa(n)
	}
	a.used[id] = true
	return id
}

// maxIDLen keeps ids made from long names (a question used as a code name)
// short enough to type.
const maxIDLen = 40

// IDFromName makes a slug from a name: lower-case ASCII letters, digits and
// underscores, accents dropped ("Économie" gives economie), starting with a
// letter.
func IDFromName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if f, ok := accentFold[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	id := slug(b.String())
	if id == "code_" {
		return "code"
	}
	if len(id) > maxIDLen {
		id = id[:maxIDLen]
		if i := strings.LastIndexByte(id, '_'); i > maxIDLen/2 {
			id = id[:i]
		}
		id = strings.TrimRight(id, "_")
	}
	return id
}

// accentFold spells common accented Latin letters in ASCII, for ids.
var accentFold = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'æ': "ae", 'ç': "c",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i",
	'ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'œ': "oe",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ý': "y", 'ÿ': "y", 'ß': "ss",
	'ā': "a", 'ă': "a", 'ą': "a", 'ć': "c", 'č': "c", 'ď': "d", 'đ': "d", 'ē': "e",
	'ė': "e", 'ę': "e", 'ě': "e", 'ğ': "g", 'ī': "i", 'į': "i", 'ı': "i", 'ł': "l",
	'ń': "n", 'ň': "n", 'ō': "o", 'ő': "o", 'ř': "r", 'ś': "s", 'ş': "s", 'š': "s",
	'ţ': "t", 'ť': "t", 'ū': "u", 'ů': "u", 'ű': "u", 'ų': "u", 'ź': "z", 'ż': "z",
	'ž': "z", 'þ': "th", 'ð': "d",
}

// ruleTerm turns one entry of a content-analysis dictionary into a rule
// term that means the same: a word as it is ("debrief", "humil*"), several
// words as a phrase ("\"lack of\""), and a word the rule language would
// read as something else (AND, #tag, a word with a parenthesis) as a
// one-word phrase. The wildcards * and ? keep their meaning, as in LIWC and
// quanteda. An entry no rule can hold is refused with the reason.
func ruleTerm(entry string) (string, error) {
	words := strings.Fields(entry)
	if len(words) == 0 {
		return "", errors.New("the entry is empty")
	}
	if strings.ContainsAny(entry, "\"“”") {
		return "", fmt.Errorf("%q holds a double quote, which a rule cannot hold; remove it", entry)
	}
	if strings.IndexFunc(entry, isWordRune) < 0 {
		return "", fmt.Errorf("%q has no letter or digit, so it could never match: rules match words, never punctuation alone", entry)
	}
	for _, w := range words {
		if strings.IndexFunc(w, isWordRune) < 0 {
			return "", fmt.Errorf("%q: the part %q has no letter or digit; rules match words, never punctuation alone", entry, w)
		}
	}
	joined := strings.Join(words, " ")
	if len(words) == 1 {
		if e, err := ParseRule(joined); err == nil {
			if w, ok := e.(Word); ok && w.Text == joined {
				return joined, nil
			}
		}
	}
	quoted := `"` + joined + `"`
	e, err := ParseRule(quoted)
	if err != nil {
		var re *RuleError
		if errors.As(err, &re) {
			return "", fmt.Errorf("%q cannot be a rule term: %s", entry, re.Msg)
		}
		return "", fmt.Errorf("%q cannot be a rule term: %v", entry, err)
	}
	if p, ok := e.(Phrase); !ok || len(p.Words) != len(words) {
		return "", fmt.Errorf("%q cannot be a rule term", entry)
	}
	return quoted, nil
}

// orRule joins rule terms with OR.
func orRule(terms []string) string { return strings.Join(terms, " OR ") }

// baseName is a file's name without folder and extension: a codebook's name
// when the file names none.
func baseName(path string) string {
	b := filepath.Base(path)
	return strings.TrimSuffix(b, filepath.Ext(b))
}

// stripBOM drops a UTF-8 byte order mark.
func stripBOM(data []byte) []byte { return bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF}) }
