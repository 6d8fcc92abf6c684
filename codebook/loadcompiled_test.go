package codebook

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// twoCodes is a codebook whose second code's rule refers to the first.
const twoCodes = `name: t
codes:
  - id: debrief
    name: Debrief
    rule: debrief* NEAR/3 (shift OR ward)
  - id: learning
    name: Learning
    rule: '#debrief OR "learnt a lot"'
`

// TestLoadCompiled returns with the codebook the Matcher its loading
// compiled, which codes a passage as a Matcher made afresh does; a
// quanteda dictionary, compiled from what it becomes, comes without one.
func TestLoadCompiled(t *testing.T) {
	cb, m, err := LoadAnyCompiled("codebook.yaml", []byte(twoCodes))
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

// TestLoadChecking gives, while the rules are checked, Queries that
// compile a query as the compiled codebook's do, and once checked what
// LoadCompiled gives: the same Matcher, or the same error, whether the
// problem is found before compiling (a rule that does not parse, a
// setting) or only by compiling (an unknown #ref, a cycle, a rule too big
// once written out).
func TestLoadChecking(t *testing.T) {
	cb, qs, checking, err := LoadChecking("codebook.yaml", []byte(twoCodes))
	if err != nil {
		t.Fatal(err)
	}
	q, err := qs.Query("#learning", "")
	if err != nil {
		t.Fatalf("a query referring to a code, compiled while checking: %v", err)
	}
	u := mtUnit("We debriefed after the shift and I learnt a lot.")
	if first, last, ok := q.First(u); !ok || first != 1 || last != 4 {
		t.Errorf("the query found tokens %d to %d (%v), want 1 (debriefed) to 4 (shift)", first, last, ok)
	}
	m, err := checking.Wait()
	if err != nil || m == nil {
		t.Fatalf("Wait: %v, matcher %v", err, m)
	}
	if got := mtHits(m.Match(u, nil)); !reflect.DeepEqual(got, []string{"debrief", "learning"}) {
		t.Errorf("the checked matcher codes %v, want debrief and learning", got)
	}
	if !reflect.DeepEqual(qs.CodeIDs(), []string{"debrief", "learning"}) || cb.Code("learning") == nil {
		t.Errorf("the codebook read while checking has codes %v", qs.CodeIDs())
	}

	bad := map[string]string{
		"unknown ref":  "codes:\n  - id: a\n    name: A\n    rule: ward\n  - id: b\n    name: B\n    rule: '#nosuch OR shift'\n",
		"cycle":        "codes:\n  - id: a\n    name: A\n    rule: '#b OR ward'\n  - id: b\n    name: B\n    rule: '#a'\n",
		"too big":      "codes:\n  - id: a\n    name: A\n    rule: ward OR shift OR team OR rota\n" + doublingChain(14),
		"parse":        "codes:\n  - id: a\n    name: A\n    rule: (ward OR\n  - id: b\n    name: B\n    rule: '#nosuch'\n",
		"setting":      "match: fuzzy\ncodes:\n  - id: a\n    name: A\n    rule: ward\n",
		"no codes":     "name: t\n",
		"two problems": "codes:\n  - id: a\n    name: A\n    rule: '#x'\n  - id: b\n    name: B\n    rule: '#y AND #a'\n",
	}
	for name, yaml := range bad {
		_, _, want := LoadCompiled("codebook.yaml", []byte(yaml))
		if want == nil {
			t.Fatalf("%s: LoadCompiled found nothing wrong", name)
		}
		_, qs, checking, err := LoadChecking("codebook.yaml", []byte(yaml))
		if err == nil {
			if qs == nil {
				t.Fatalf("%s: no error and no Queries", name)
			}
			_, err = checking.Wait()
		}
		if err == nil || err.Error() != want.Error() {
			t.Errorf("%s: LoadChecking says %v\nLoadCompiled says %v", name, err, want)
		}
		if _, ok := AsProblems(err); !ok {
			t.Errorf("%s: %v holds no Problems", name, err)
		}
	}
}

// doublingChain returns codes c1…cn of YAML, each referring twice to the
// one before (c1 to the code a), so that cn written out grows past
// maxRuleTerms when n is big enough.
func doublingChain(n int) string {
	var b strings.Builder
	prev := "a"
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  - id: c%d\n    name: C%d\n    rule: '#%s OR (#%s AND ward)'\n", i, i, prev, prev)
		prev = fmt.Sprintf("c%d", i)
	}
	return b.String()
}
