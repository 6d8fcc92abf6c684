package codebook

import (
	"fmt"
	"strings"
	"testing"
)

// A chain of codes that each refer to the next twice doubles at every link.
// It must be refused with a clear error, quickly, not compiled for hours.
func TestReferenceBlowupRefused(t *testing.T) {
	for _, rule := range []string{"#c%d OR #c%d", "x AND NOT #c%d AND NOT #c%d"} {
		var b strings.Builder
		b.WriteString("name: T\ncodes:\n")
		const n = 40
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "  - id: c%d\n    name: C%d\n    rule: '"+rule+"'\n", i, i, i+1, i+1)
		}
		fmt.Fprintf(&b, "  - id: c%d\n    name: C%d\n    rule: 'debrief'\n", n, n)
		_, err := Load("x.yaml", []byte(b.String()))
		if err == nil || !strings.Contains(err.Error(), "grows past 50000 terms") {
			t.Errorf("%s: err = %v, want the rule-size error", rule, err)
		}
	}
	// A short chain is fine and matches.
	cb, err := Load("x.yaml", []byte("name: T\ncodes:\n  - id: a\n    name: A\n    rule: '#b OR #b'\n  - id: b\n    name: B\n    rule: 'debrief*'\n"))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := NewMatcher(cb)
	if hits := m.Match(Passage{Tokens: []string{"we", "debriefed"}}, nil); len(hits) != 2 {
		t.Errorf("hits = %v, want a and b", hits)
	}
}
