package codebook

import (
	"bytes"
	"strings"
	"testing"
)

const goodBook = `name: Partnership learning
match: exact
codes:
  - id: barriers
    name: Barriers
    color: "#E15759"
    codes:
      - id: risk_aversion
        name: Risk aversion
        description: Caution about governance and litigation that stops new practice.
        rule: 'governance OR litigation OR (risk NEAR/3 averse)'
        examples:
          - "Governance would never sign it off."
        counterexamples:
          - "There was a risk of bleeding."
      - id: absent_debriefs
        name: Absent debriefs
        negation: only
        rule: 'debrief*'
  - id: humility
    name: Humility
    rule: 'humil* OR humbl* NOT humiliat*'
`

func TestLoad(t *testing.T) {
	cb, err := Load("codebook.yaml", []byte(goodBook))
	if err != nil {
		t.Fatal(err)
	}
	rc := cb.Code("risk_aversion")
	if rc == nil || rc.Path() != "Barriers > Risk aversion" || rc.Depth() != 2 {
		t.Fatalf("risk_aversion = %+v", rc)
	}
	if rc.Negation != NegationSkip || cb.Code("absent_debriefs").Negation != NegationOnly {
		t.Errorf("negation modes %q, %q", rc.Negation, cb.Code("absent_debriefs").Negation)
	}
	if rc.RulePos != (Pos{11, 16}) {
		t.Errorf("rule position %+v, want line 11 col 16", rc.RulePos)
	}
	if len(rc.Examples) != 1 || len(rc.Counterexamples) != 1 {
		t.Errorf("examples %q counterexamples %q", rc.Examples, rc.Counterexamples)
	}
	if cb.Negation.Window != DefaultNegationWindow {
		t.Errorf("negation window %d", cb.Negation.Window)
	}
	var ids []string
	cb.Walk(func(c *Code) { ids = append(ids, c.ID) })
	if got := strings.Join(ids, ","); got != "barriers,risk_aversion,absent_debriefs,humility" {
		t.Errorf("walk order %s", got)
	}
}

// TestLoadProblems feeds malformed codebooks and checks each problem is
// reported at its place, in one line that says how to mend it.
func TestLoadProblems(t *testing.T) {
	code := func(fields string) string {
		return "name: Test\ncodes:\n  - id: humility\n    name: Humility\n" + fields
	}
	tests := []struct {
		name string
		yaml string
		want []string // each a problem, "LINE:COL: text" or "LINE: text"
	}{
		{"empty file", "", []string{"codebook.yaml: the codebook is empty"}},
		{"tab-indented", "name: x\ncodes:\n\t- id: a\n", []string{"codebook.yaml:3:1: indented with a tab"}},
		{"unbalanced quote", code("    rule: '\"active debrief*'\n"), []string{"codebook.yaml:5:12:", "quote"}},
		{"unbalanced parenthesis", code("    rule: '(humil* OR humbl*'\n"), []string{"codebook.yaml:5:12:", "parenthes"}},
		{"unknown operator", code("    rule: 'debrief NAER/5 team'\n"), []string{"codebook.yaml:5:20:", `unknown operator "NAER" (did you mean NEAR?)`}},
		{"NEAR without distance", code("    rule: 'debrief NEAR team'\n"), []string{"codebook.yaml:5:20:", "NEAR needs a distance, e.g. NEAR/5"}},
		{"empty rule", code("    rule: '   '\n"), []string{"codebook.yaml:5:11: rule is empty"}},
		{"rule on a code coded by people", code("    auto: false\n    rule: humil* OR humbl*\n"), []string{"codebook.yaml:3:5: code humility is coded by people (auto: false), so it cannot have a rule"}},
		{"auto neither true nor false", code("    auto: never\n"), []string{"codebook.yaml:5:11: auto must be true or false"}},
		{"duplicate ids", code("  - id: humility\n    name: Humility again\n"), []string{"codebook.yaml:5:5: id \"humility\" is already used by the code at line 3"}},
		{"unknown reference", code("    rule: '#humilty_x OR humble'\n"), []string{"codebook.yaml:5:", "humilty_x"}},
		{"reference cycle", "name: T\ncodes:\n  - id: a\n    name: A\n    rule: '#b'\n  - id: b\n    name: B\n    rule: '#a OR x'\n", []string{"cycle"}},
		{"bad colour", code("    color: red\n"), []string{"codebook.yaml:5:12: color \"red\" is not a colour"}},
		{"unknown field (typo)", code("    descripton: Being humble.\n"), []string{"codebook.yaml:5:5: unknown code field \"descripton\" (did you mean description?)"}},
		{"wrong type: examples as text", code("    examples: I was humbled.\n"), []string{"codebook.yaml:5:15: examples must be a list"}},
		{"wrong type: codes as mapping", "name: T\ncodes:\n  id: a\n", []string{"codebook.yaml:3:3: codes must be a list"}},
		{"bad id", "name: T\ncodes:\n  - id: Risk Aversion\n    name: R\n", []string{"codebook.yaml:3:5:", "slug", "risk_aversion"}},
		{"missing name", "name: T\ncodes:\n  - id: risk\n", []string{"codebook.yaml:3:5: code risk has no name"}},
		{"bad negation mode", code("    negation: sometimes\n"), []string{"codebook.yaml:5:15: negation must be skip, keep or only"}},
		{"bad match mode", "name: T\nmatch: fuzzy\ncodes: []\n", []string{"codebook.yaml:2:8: match must be exact or stem"}},
		{"YAML syntax error", "name: T\ncodes:\n  - id: a\n    name: [unclosed\n", []string{"codebook.yaml:", "YAML syntax"}},
		{"alias bomb", "name: &a T\ncodes:\n  - id: x\n    name: *a\n", []string{"anchors and aliases"}},
		{"several problems at once", "name: T\ncodes:\n  - id: a\n    name: A\n    colour: \"#FFFFFF\"\n  - id: a\n    name: B\n", []string{"5:5: unknown code field \"colour\" (did you mean color?)", "6:5: id \"a\" is already used"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("codebook.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatal("loaded without error")
			}
			ps, ok := AsProblems(err)
			if !ok {
				t.Fatalf("error %v holds no Problems", err)
			}
			var all []string
			for _, p := range ps {
				all = append(all, p.Error())
				if strings.Contains(p.Error(), "\n") {
					t.Errorf("problem is not one line: %q", p.Error())
				}
			}
			text := strings.Join(all, "\n")
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("problems:\n%s\ndo not contain %q", text, w)
				}
			}
		})
	}
}

func FuzzLoad(f *testing.F) {
	f.Add(goodBook)
	f.Add("name: T\ncodes:\n  - id: a\n    name: A\n    rule: '\"x y\" NEAR/2 z'\n")
	f.Add("codes: [{id: a, name: A, codes: [{id: b, name: B, rule: '#a'}]}]")
	f.Fuzz(func(t *testing.T, s string) {
		cb, err := Load("f.yaml", []byte(s))
		if err != nil {
			if _, ok := AsProblems(err); !ok {
				t.Fatalf("error without problems: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		cb.Walk(func(c *Code) {
			if seen[c.ID] || !idRE.MatchString(c.ID) || c.Name == "" {
				t.Fatalf("loaded a bad code %+v", c)
			}
			seen[c.ID] = true
		})
	})
}

// TestLoadByPeople loads a code marked auto: false, which people code, and
// checks that the mark survives a save and a REFI-QDA codebook.
func TestLoadByPeople(t *testing.T) {
	src := "name: T\ncodes:\n  - id: equal_knowledge_brokers\n    name: Equal knowledge brokers\n    auto: false\n" +
		"  - id: humility\n    name: Humility\n    auto: true\n    rule: humil* OR humbl*\n"
	cb, err := Load("codebook.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := cb.ByPeople(); len(got) != 1 || got[0].ID != "equal_knowledge_brokers" || cb.Code("humility").ByPeople {
		t.Fatalf("coded by people: %v", got)
	}
	saved, err := Save(cb)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(saved), "    auto: false\n") {
		t.Errorf("saved codebook lost auto: false:\n%s", saved)
	}
	var qdc bytes.Buffer
	if err := WriteQDC(&qdc, cb); err != nil {
		t.Fatal(err)
	}
	back, err := ReadQDC("codebook.qdc", qdc.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !back.Code("equal_knowledge_brokers").ByPeople || back.Code("humility").ByPeople {
		t.Errorf("after REFI-QDA: %v", back.ByPeople())
	}
}
