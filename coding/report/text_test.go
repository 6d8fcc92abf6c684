package report

import (
	"slices"
	"testing"
)

func TestStrings(t *testing.T) {
	tab := NewTable("Agreement", Column{Name: "code", Kind: Text}, Column{Name: "units", Kind: Int}, Column{Name: "alpha", Kind: Float})
	tab.Add(T("risk_aversion"), I(12681), Cell{Kind: Float, Num: 0.83512})
	tab.Add(T("humility"), I(0), T(""))
	people := tab.Strings(true)
	if !slices.Equal(people[1], []string{"risk_aversion", "12,681", "0.835"}) || !slices.Equal(people[2], []string{"humility", "0", "–"}) {
		t.Errorf("for people: %q", people)
	}
	programs := tab.Strings(false)
	if !slices.Equal(programs[0], []string{"code", "units", "alpha"}) || !slices.Equal(programs[1], []string{"risk_aversion", "12681", "0.83512"}) || programs[2][2] != "" {
		t.Errorf("for programs: %q", programs)
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", -1234567: "-1,234,567"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestFoldLines(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"no break", "I was a guest there.", "I was a guest there."},
		{"one break", "I was a guest\nthere.", "I was a guest there."},
		{"spaces around a break", "I was a guest  \r\n   there.", "I was a guest there."},
		{"blank lines between paragraphs", "First.\n\n\nSecond.", "First. Second."},
		{"breaks at the ends", "\nquoted\n", "quoted"},
		{"spaces inside a line kept", "a  b\nc", "a  b c"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := FoldLines(c.in); got != c.want {
				t.Errorf("FoldLines(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}
