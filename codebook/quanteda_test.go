package codebook

import (
	"strings"
	"testing"
)

// quantedaDict is a dictionary as quanteda's as.yaml writes it (sequences
// not indented under their keys) mixed with hand-written forms: nested
// categories, a single word, an empty category, globs, phrases, words the
// rule language would read as operators, and a "__" list for a parent.
const quantedaDict = `partnership:
  learning:
    mutual:
    - learn* from each other
    - two-way
    - bidirectional*
    - mutual* learn*
    one_way:
    - teach them
    - capacity building
    - "NOT"
    - or
  __:
  - partner*
  - twinning
barriers:
  risk aversion:
    - governance
    - litigat*
    - risk-averse
    - risk averse
    - governance
  overcrowding: overcrowd*
  unequal knowledge: ~
"Économie": [cost*, budget*, "£100"]
`

func TestReadQuantedaYAML(t *testing.T) {
	if !IsQuantedaYAML([]byte(quantedaDict)) {
		t.Fatal("not recognised as a quanteda dictionary")
	}
	cb, err := LoadAny("health.yml", []byte(quantedaDict))
	if err != nil {
		t.Fatal(err)
	}
	want := `partnership
  learning
    mutual
    one_way
barriers
  risk_aversion
  overcrowding
  unequal_knowledge
economie
`
	if got := allIDs(cb); got != want {
		t.Errorf("ids:\n%s\nwant:\n%s", got, want)
	}
	for id, rule := range map[string]string{
		"partnership":       `partner* OR twinning`,
		"learning":          ``,
		"mutual":            `"learn* from each other" OR two-way OR bidirectional* OR "mutual* learn*"`,
		"one_way":           `"teach them" OR "capacity building" OR "NOT" OR or`,
		"risk_aversion":     `governance OR litigat* OR risk-averse OR "risk averse"`,
		"overcrowding":      `overcrowd*`,
		"unequal_knowledge": ``,
		"economie":          `cost* OR budget* OR £100`,
	} {
		if c := cb.Code(id); c == nil || c.Rule != rule {
			t.Errorf("%s: rule %q, want %q", id, c.Rule, rule)
		}
	}
	if c := cb.Code("risk_aversion"); c.Name != "risk aversion" || c.Path() != "barriers > risk aversion" {
		t.Errorf("risk aversion: %q %q", c.Name, c.Path())
	}
	if cb.Name != "health" || !strings.Contains(cb.Description, "9 categories, 19 entries") {
		t.Errorf("codebook %q %q", cb.Name, cb.Description)
	}
	roundTripYAML(t, cb)
}

func TestReadQuantedaKeepsEveryWord(t *testing.T) {
	words := dictionaryWords()
	var b strings.Builder
	b.WriteString("all:\n")
	for _, w := range words {
		b.WriteString("  - '" + strings.ReplaceAll(w, "'", "''") + "'\n")
	}
	cb, err := ReadQuantedaYAML("big.yml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	checkEveryWord(t, cb.Code("all"), words)
}

func TestReadQuantedaBad(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"punctuation", "emoticons:\n  - ':)'\n  - smil*\n", `dict.yml:2:5: ":)" has no letter or digit`},
		{"quote", "x:\n  - 'say \"hi\"'\n", `dict.yml:2:5: "say \"hi\"" holds a double quote`},
		{"nested list", "x:\n  - [a, b]\n", "dict.yml:2:5: each entry of a word list must be a word or phrase, not a list"},
		{"empty entry", "x:\n  - \n  - a\n", "dict.yml:2:4: an entry of the word list is empty"},
		{"not a mapping", "- a\n- b\n", "dict.yml:1:1: a quanteda dictionary is a mapping of category names to lists of words, not a list"},
		{"tab", "x:\n\t- a\n", "dict.yml:2:1: indented with a tab"},
		{"syntax", "x: [a, b\n", "dict.yml:"},
		{"alias", "x: &a [a]\ny: *a\n", "anchors and aliases"},
		{"empty", "", "dict.yml: the dictionary is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadQuantedaYAML("dict.yml", []byte(tt.yaml))
			if err == nil {
				t.Fatal("read without error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

func TestIsQuantedaYAML(t *testing.T) {
	for text, want := range map[string]bool{
		quantedaDict:                       true,
		richBook:                           false,
		"name: x\ncode:\n  - id: a\n":      false, // a codebook with a typo stays one
		"positive: [good]\nname: [nom*]\n": true,
		"not: [valid\n":                    false,
		"- a\n":                            false,
	} {
		if got := IsQuantedaYAML([]byte(text)); got != want {
			t.Errorf("IsQuantedaYAML(%q) = %v", text, got)
		}
	}
}
