package codebook

import (
	"strings"
	"testing"
)

const setRuleYAML = `# Our pilot codebook.
name: Pilot
codes:
  - id: enablers
    name: Enablers
    codes:
      - id: humility
        name: Humility  # kept as the team wrote it
        rule: >-
          humility OR humble
          OR "learn from them"
        examples:
          - "We came back humbled."
      - id: debriefs
        name: Active debriefs
  - rule: litigation
    id: risk_aversion
    name: Risk aversion
`

func TestSetRule(t *testing.T) {
	for _, c := range []struct {
		name, id, rule string
		want           string // the lines that change, old → new
	}{
		{"a folded rule replaced", "humility", `humility OR humble OR "learn from them" OR humbl*`,
			"        rule: >-\n          humility OR humble\n          OR \"learn from them\"\n→        rule: 'humility OR humble OR \"learn from them\" OR humbl*'\n"},
		{"a rule added after the id", "debriefs", "debrief*",
			"      - id: debriefs\n→      - id: debriefs\n        rule: 'debrief*'\n"},
		{"a rule that is the first field", "risk_aversion", `litigation OR "risk averse"`,
			"  - rule: litigation\n→  - rule: 'litigation OR \"risk averse\"'\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := SetRule([]byte(setRuleYAML), c.id, c.rule)
			if err != nil {
				t.Fatal(err)
			}
			old, neu, _ := strings.Cut(c.want, "→")
			if want := strings.Replace(setRuleYAML, old, neu, 1); string(out) != want {
				t.Errorf("got:\n%s\nwant:\n%s", out, want)
			}
			cb, err := Load("codebook.yaml", out)
			if err != nil {
				t.Fatal(err)
			}
			if got := cb.Code(c.id).Rule; got != c.rule {
				t.Errorf("rule reads back as %q, want %q", got, c.rule)
			}
		})
	}
	if _, err := SetRule([]byte(setRuleYAML), "nosuch", "x"); err == nil {
		t.Error("a code the codebook lacks: no error")
	}
}
