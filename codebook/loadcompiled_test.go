package codebook

import (
	"reflect"
	"testing"
)

// TestLoadCompiled returns with the codebook the Matcher its loading
// compiled, which codes a passage as a Matcher made afresh does; a
// quanteda dictionary, compiled from what it becomes, comes without one.
func TestLoadCompiled(t *testing.T) {
	const yaml = `name: t
codes:
  - id: debrief
    name: Debrief
    rule: debrief* NEAR/3 (shift OR ward)
  - id: learning
    name: Learning
    rule: '#debrief OR "learnt a lot"'
`
	cb, m, err := LoadAnyCompiled("codebook.yaml", []byte(yaml))
	if err != nil || m == nil {
		t.Fatalf("LoadAnyCompiled: %v, matcher %v", err, m)
	}
	fresh, err := NewMatcher(cb)
	if err != nil {
		t.Fatal(err)
	}
	u := mtUnit("We debriefed after the shift and I learnt a lot.")
	got, want := mtHits(m.Match(u, nil)), mtHits(fresh.Match(u, nil))
	if len(want) != 2 || !reflect.DeepEqual(got, want) {
		t.Errorf("the loaded matcher codes %v, a fresh one %v; want both codes", got, want)
	}
	if _, m, err := LoadAnyCompiled("dict.yml", []byte(quantedaDict)); err != nil || m != nil {
		t.Errorf("a quanteda dictionary: matcher %v, %v; want none, no error", m, err)
	}
	if _, _, err := LoadCompiled("codebook.yaml", []byte("codes:\n  - id: x\n    name: X\n    rule: (a OR\n")); err == nil {
		t.Error("a rule that does not parse loaded")
	}
}

// TestTopCodesKey tells a qcode codebook by a line that begins codes:,
// as IsQuantedaYAML would from the whole document.
func TestTopCodesKey(t *testing.T) {
	for _, tc := range []struct {
		yaml string
		want bool
	}{
		{"codes:\n  - id: a\n", true},
		{"name: t\ncodes:\n  - id: a\n", true},
		{"partnership:\n  - codes\n", false},
		{"name: t\n  codes: nested\n", false},
		{quantedaDict, false},
	} {
		if got := topCodesKey([]byte(tc.yaml)); got != tc.want {
			t.Errorf("topCodesKey(%q) = %v, want %v", tc.yaml, got, tc.want)
		}
		if tc.want && IsQuantedaYAML([]byte(tc.yaml)) {
			t.Errorf("%q: a codes: line, yet IsQuantedaYAML says quanteda", tc.yaml)
		}
	}
}

// mtHits returns the codes of hits, in order.
func mtHits(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Code.ID)
	}
	return out
}
