package codebook

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"qcode"
)

func TestParseRule(t *testing.T) {
	tests := []struct {
		name string
		rule string
		want string // canonical String()
	}{
		{"word", "debrief", "debrief"},
		{"case kept as written", "NHS", "NHS"},
		{"prefix", "humil*", "humil*"},
		{"inner wildcards", "organi?ation *learning", "organi?ation OR *learning"},
		{"apostrophe word", "don’t", "don’t"},
		{"phrase", `"active debrief*"`, `"active debrief*"`},
		{"curly quotes", `“lessons learned”`, `"lessons learned"`},
		{"phrase spaces normalised", `"  after   action  review "`, `"after action review"`},
		{"operators inside phrase are words", `"risk AND reward"`, `"risk AND reward"`},
		{"adjacency is OR", `humility "mutual respect" listen*`, `humility OR "mutual respect" OR listen*`},
		{"lower-case operators are words", "near and or not before", "near OR and OR or OR not OR before"},
		{"AND binds tighter than OR", "teach* AND learn* OR partner*", "teach* AND learn* OR partner*"},
		{"OR group in AND", "(teach* OR train*) AND learn*", "(teach* OR train*) AND learn*"},
		{"A NOT B is A AND NOT B", "debrief* NOT humiliat*", "debrief* AND NOT humiliat*"},
		{"NOT tighter than AND", "humil* AND debrief* NOT humiliat*", "humil* AND debrief* AND NOT humiliat*"},
		{"NOT tighter than adjacency", "debrief* humility NOT humiliat*", "debrief* OR humility AND NOT humiliat*"},
		{"NOT before the positive term", "NOT humiliat* AND humil*", "NOT humiliat* AND humil*"},
		{"NOT of a group", "learn* NOT (teach* OR lectur*)", "learn* AND NOT (teach* OR lectur*)"},
		{"NEAR tighter than NOT", "learn* NOT teach* NEAR/3 partner*", "learn* AND NOT teach* NEAR/3 partner*"},
		{"NEAR", "learn* NEAR/5 partner*", "learn* NEAR/5 partner*"},
		{"BEFORE", `"risk averse" BEFORE/10 governance`, `"risk averse" BEFORE/10 governance`},
		{"NEAR with OR groups", `(debrief* OR "after action review") NEAR/5 (learn* OR lesson*)`, `(debrief* OR "after action review") NEAR/5 (learn* OR lesson*)`},
		{"NEAR pairs under AND", "a NEAR/2 b AND c NEAR/2 d", "a NEAR/2 b AND c NEAR/2 d"},
		{"nested groups flatten", "((a OR b) OR (c OR d)) AND (e AND f)", "(a OR b OR c OR d) AND e AND f"},
		{"ref", "#humility OR listen*", "#humility OR listen*"},
		{"ref beside NEAR", "#learning NEAR/3 partner*", "#learning NEAR/3 partner*"},
		{"words touching parentheses", "(humility)debrief", "humility OR debrief"},
		{"acronym with slash", "HIV/AIDS and/or", "HIV/AIDS OR and/or"},
		{"newlines and tabs", "debrief*\n\tOR\thumility", "debrief* OR humility"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := ParseRule(tt.rule)
			if err != nil {
				t.Fatalf("ParseRule(%q): %v", tt.rule, err)
			}
			if got := e.String(); got != tt.want {
				t.Errorf("ParseRule(%q) = %s, want %s", tt.rule, got, tt.want)
			}
			again, err := ParseRule(e.String())
			if err != nil || again.String() != e.String() {
				t.Errorf("String %q does not parse back: %v, %v", e.String(), again, err)
			}
		})
	}
}

func TestParseRulePositions(t *testing.T) {
	e, err := ParseRule(`humil* NOT “humiliat*  people” NEAR/3 #barriers`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	Inspect(e, func(e Expr) bool {
		switch e := e.(type) {
		case Word:
			got = append(got, e.Text+"@"+strconv.Itoa(e.Col))
		case Phrase:
			got = append(got, "phrase@"+strconv.Itoa(e.Col))
		case Ref:
			got = append(got, "#"+e.ID+"@"+strconv.Itoa(e.Col))
		case Near:
			got = append(got, "near@"+strconv.Itoa(e.Col)+"/"+strconv.Itoa(e.N))
		case Not:
			got = append(got, "not@"+strconv.Itoa(e.Col))
		}
		return true
	})
	want := "humil*@1 not@8 near@32/3 phrase@12 humiliat*@13 people@24 #barriers@39"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("positions\n got %s\nwant %s", s, want)
	}
	if e.Pos() != 1 {
		t.Errorf("Pos = %d", e.Pos())
	}
}

func TestParseRuleErrors(t *testing.T) {
	tests := []struct {
		name string
		rule string
		col  int
		msg  string
	}{
		{"unclosed quote", `debrief OR "active debrief`, 12, `unclosed quote: end the phrase with "`},
		{"unclosed parenthesis points at it", `(debrief* OR (humil* NOT humiliat*)`, 1, `unclosed parenthesis: "(" has no matching ")"`},
		{"inner unclosed parenthesis", `debrief* (humil* (respect)`, 10, `unclosed parenthesis: "(" has no matching ")"`},
		{"stray closing parenthesis", `debrief OR humility)`, 20, `")" has no matching "("`},
		{"unknown operator", `risk NAER/5 aversion`, 6, `unknown operator "NAER" (did you mean NEAR?)`},
		{"unknown operator like BEFORE", `risk BEFOR/5 aversion`, 6, `unknown operator "BEFOR" (did you mean BEFORE?)`},
		{"unknown operator, nothing near", `risk WITHIN/5 aversion`, 6, `unknown operator "WITHIN" (operators are AND, OR, NOT, NEAR/n and BEFORE/n)`},
		{"NEAR without distance", `averse risk* NEAR litigation`, 14, `NEAR needs a distance, e.g. NEAR/5`},
		{"NEAR slash without distance", `debrief NEAR/ staff`, 9, `NEAR needs a distance, e.g. NEAR/5`},
		{"BEFORE without distance", `risk BEFORE governance`, 6, `BEFORE needs a distance, e.g. BEFORE/5`},
		{"NEAR zero", `debrief NEAR/0 staff`, 14, `NEAR distance must be at least 1, e.g. NEAR/5`},
		{"BEFORE not a number", `debrief BEFORE/x staff`, 16, `BEFORE distance "x" is not a whole number, e.g. BEFORE/5`},
		{"NEAR too far", `debrief NEAR/99999999999999999999 staff`, 14, `NEAR distance 99999999999999999999 is too large; at most 10000`},
		{"NEAR without slash", `debrief NEAR5 staff`, 9, `NEAR needs a slash before its distance: NEAR/5`},
		{"lower-case NEAR with distance", `debrief near/5 staff`, 9, `operators are upper case: write NEAR/5`},
		{"AND with distance", `debrief AND/2 staff`, 9, `AND takes no distance; write AND`},
		{"empty rule", ``, 1, `empty rule`},
		{"blank rule", "  \t ", 1, `empty rule`},
		{"empty phrase", `debrief ""`, 9, `empty phrase ""`},
		{"blank phrase", `debrief “  ”`, 9, `empty phrase ""`},
		{"empty parentheses", `debrief ()`, 9, `empty parentheses`},
		{"AND with nothing on the right", `debrief AND`, 9, `AND needs a term on its right`},
		{"OR with nothing on the left", `OR humility`, 1, `OR needs a term on its left`},
		{"AND with nothing on the left in group", `debrief (AND humility)`, 10, `AND needs a term on its left`},
		{"OR then AND", `debrief OR AND humility`, 9, `OR needs a term on its right`},
		{"NEAR with nothing on the right", `learn* NEAR/3`, 8, `NEAR/3 needs a term on its right`},
		{"NEAR with nothing on the left", `NEAR/3 learn*`, 1, `NEAR/3 needs a term on its left`},
		{"dangling NOT", `debrief NOT`, 9, `NOT needs a term after it, e.g. debrief* NOT humiliat*`},
		{"NOT NOT", `debrief NOT NOT humiliat*`, 9, `NOT needs a term after it, e.g. debrief* NOT humiliat*`},
		{"NOT alone", `NOT humiliat*`, 1, `NOT needs something to exclude from, e.g. debrief* NOT humiliat*`},
		{"NOT as an OR branch", `humil* OR NOT humiliat*`, 11, `NOT needs something to exclude from, e.g. debrief* NOT humiliat*`},
		{"AND of NOTs", `NOT teach* AND NOT lectur*`, 1, `NOT needs something to exclude from, e.g. debrief* NOT humiliat*`},
		{"NOT of NOT", `learn* NOT (NOT teach*)`, 13, `NOT needs something to exclude from, e.g. debrief* NOT humiliat*`},
		{"wildcard-only word", `debrief OR *`, 12, `"*" would match any word; put letters beside a wildcard, e.g. humil*`},
		{"wildcard-only word in phrase", `"active ?*"`, 9, `"?*" would match any word; put letters beside a wildcard, e.g. humil*`},
		{"punctuation is not a word", `debrief -- staff`, 9, `"--" is not a word: a rule word needs a letter or digit`},
		{"empty ref", `debrief OR #`, 12, `# needs a code id, e.g. #humility`},
		{"NEAR chain", `learn* NEAR/3 partner* NEAR/3 Uganda`, 24, `NEAR/3 cannot join a NEAR or BEFORE pair; join pairs with AND, e.g. a NEAR/3 b AND b NEAR/3 c`},
		{"NEAR of an AND group", `(learn* AND teach*) NEAR/3 partner*`, 2, `NEAR/3 can only join words, phrases and (… OR …) groups of them, e.g. (debrief* OR "after action") NEAR/3 learn*`},
		{"NEAR of a NOT", `learn* NEAR/3 NOT teach*`, 15, `NOT cannot stand beside NEAR/3; exclude outside the pair, e.g. (a NEAR/3 b) NOT c`},
		{"nesting too deep", strings.Repeat("(", 101) + "a" + strings.Repeat(")", 101), 101, "parentheses nest too deep (at most 100)"},
		{"columns count runes", `“équipe” NAER/2 x`, 10, `unknown operator "NAER" (did you mean NEAR?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := ParseRule(tt.rule)
			if err == nil {
				t.Fatalf("ParseRule(%q) = %s, want an error", tt.rule, e)
			}
			var re *RuleError
			if !errors.As(err, &re) {
				t.Fatalf("error %T %v is not a *RuleError", err, err)
			}
			if msg := re.Msg + didYouMean(re.Near); re.Col != tt.col || msg != tt.msg {
				t.Errorf("ParseRule(%q)\n got col %d: %s\nwant col %d: %s", tt.rule, re.Col, msg, tt.col, tt.msg)
			}
			if qcode.ErrorCode(err) != qcode.EINVALID {
				t.Errorf("ErrorCode = %q, want %q", qcode.ErrorCode(err), qcode.EINVALID)
			}
		})
	}
}

func TestRuleErrorText(t *testing.T) {
	e := &RuleError{CodeID: "risk_aversion", Col: 14, Msg: "NEAR needs a distance, e.g. NEAR/5"}
	if got, want := e.Error(), "rule for risk_aversion: col 14: NEAR needs a distance, e.g. NEAR/5"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	e.CodeID = ""
	if got, want := e.Error(), "col 14: NEAR needs a distance, e.g. NEAR/5"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	list := ErrorList{{CodeID: "a", Col: 1, Msg: "x"}, {CodeID: "b", Msg: "y"}}
	if got, want := list.Error(), "rule for a: col 1: x\nrule for b: y"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// FuzzParseRule checks that the parser never panics and that a parsed
// rule's canonical form parses back to itself.
func FuzzParseRule(f *testing.F) {
	for _, s := range []string{
		`debrief`, `humil* NOT humiliat*`, `"active debrief*" OR (learn* NEAR/5 partner*)`,
		`"risk averse" BEFORE/10 (governance OR litigation)`, `#humility OR listen*`,
		`a b c AND d NOT e`, `(a OR b) NEAR/3 "c d"`, `NOT x`, `((a)`, `"unclosed`, `x NAER/3 y`,
		`don’t “lessons learned”`, `organi?ation *learning`, `a AND NOT (b OR c) AND d NEAR/2 e`,
		"debrief*\n\tOR\thumility", `near/5`, `NEAR5`, `A/B`, `##x`, `"(a b"`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := ParseRule(src)
		if err != nil {
			var re *RuleError
			if !errors.As(err, &re) || re.Col < 0 || re.Msg == "" {
				t.Fatalf("ParseRule(%q): bad error %#v", src, err)
			}
			return
		}
		s := e.String()
		e2, err := ParseRule(s)
		if err != nil {
			t.Fatalf("ParseRule(%q) = %s, which does not parse: %v", src, s, err)
		}
		if s2 := e2.String(); s2 != s {
			t.Fatalf("ParseRule(%q) = %s, which parses to %s", src, s, s2)
		}
	})
}
