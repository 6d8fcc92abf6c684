package codebook

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSaveRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		cb   func(t *testing.T) *Codebook
	}{
		{"rich", func(t *testing.T) *Codebook { return mustLoad(t, richBook) }},
		{"default", func(*testing.T) *Codebook { return Default() }},
		{"load test book", func(t *testing.T) *Codebook { return mustLoad(t, goodBook) }},
		{"empty codes", func(t *testing.T) *Codebook { return mustLoad(t, "name: Empty\ncodes: []\n") }},
		{"negation off", func(t *testing.T) *Codebook {
			return mustLoad(t, "negation:\n  cues: []\ncodes:\n  - id: a\n    name: A\n")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb := tt.cb(t)
			out, err := Save(cb)
			if err != nil {
				t.Fatal(err)
			}
			back, err := Load("codebook.yaml", out)
			if err != nil {
				t.Fatalf("Load(Save(cb)): %v\n%s", err, out)
			}
			checkSame(t, cb, back, true)
			again, err := Save(back)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, again) {
				t.Errorf("Save is not stable:\n%s\n---\n%s", out, again)
			}
		})
	}
}

// TestSaveLayout checks the choices that make codebook.yaml pleasant to
// read and diff.
func TestSaveLayout(t *testing.T) {
	out, err := Save(mustLoad(t, richBook))
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{
		"name: Partnerships — learning both ways\ndescription: >-\n  A codebook for",
		"match: stem\nnegation:\n  window: 4\n  cues:\n    - not\n",
		"codes:\n  - id: learning\n    name: Bidirectional learning\n    color: \"#4E79A7\"\n    description: |-\n      How partners",
		`        rule: 'teach* OR "moral imperative" OR help* OR it''s'`,
		"            negation: keep\n",
		"        include: >-\n          Talk of teaching",
		"            examples:\n              - >-\n                We went out to teach them",
		"              - |-\n                A passage over two lines:\n",
		"      - id: absent_debriefs\n        name: Absent debriefs\n        rule: 'debrief*'\n        negation: only\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "negation: skip") {
		t.Error("wrote the default negation mode")
	}
	for i, line := range strings.Split(text, "\n") {
		if n := utf8.RuneCountInString(line); n > saveWidth && strings.Contains(line, " ") && !strings.Contains(line, "rule: '") {
			// Only a word longer than the width may overflow.
			if strings.Contains(strings.TrimSpace(line), " ") && !strings.HasPrefix(strings.TrimSpace(line), "- \"") {
				t.Errorf("line %d has %d characters: %s", i+1, n, line)
			}
		}
	}
}

// TestSaveAwkwardText round-trips text that YAML quoting and folding
// could get wrong.
func TestSaveAwkwardText(t *testing.T) {
	for _, s := range awkwardTexts {
		cb := awkwardBook(s)
		out, err := Save(cb)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		back, err := Load("codebook.yaml", out)
		if err != nil {
			t.Errorf("%q: Load(Save(cb)): %v\n%s", s, err, out)
			continue
		}
		for _, d := range diffBooks(cb, back, true) {
			t.Errorf("%q: %s\n%s", s, d, out)
		}
	}
}

// awkwardTexts are values that quoting, folding, escaping or splitting
// could get wrong, in any of the formats.
var awkwardTexts = func() []string {
	long := strings.Repeat("word ", 30)
	return []string{
		"null", "~", "yes", "12", "0x1F", "true", ">-", "|", "- item", "# not a comment", "key: value",
		"a 'quoted' and \"double\" text", "trailing # hash", "@at", "`tick`", "%percent", "!tag", "*star", "&amp; <b>",
		long + "end", "double  spaces  " + long + "x", "tab\tinside " + long + "y",
		strings.Repeat("x", 200), strings.Repeat("ü", 100) + " " + strings.Repeat("中", 100),
		"line one\nline two", "para\n\npara", "indented\n  lines", "ends with colon:\n- dash line\n  indented",
		"emoji 🙂 " + long, "a\u00a0non-breaking " + long,
		"line\n" + long + "\n" + long,
		"pipes | and \\| backslashes \\ \\\\", "a > b >> c :: d", "--- qcode ---\nid: fake\nrule: fake",
		"example: not a field\n\n\nafter three breaks", "-- double dash --> end", "]]> cdata end",
	}
}()

// awkwardBook puts s in every text field of a three-level codebook.
func awkwardBook(s string) *Codebook {
	s = strings.TrimSpace(s)
	cb := &Codebook{Name: s, Description: s, Match: MatchExact, Negation: Negation{Window: DefaultNegationWindow}}
	c := &Code{ID: "a", Name: s, Description: s, Include: s, Exclude: s, Rule: "debrief*", Negation: NegationSkip,
		Examples: []string{s, "short"}, Counterexamples: []string{s}}
	child := &Code{ID: "b", Name: s + " child", Description: s, Rule: "x OR " + strings.Repeat("teach* OR ", 12) + "y", Negation: NegationKeep, Parent: c}
	grand := &Code{ID: "c", Name: "C", Include: s, Negation: NegationSkip, Parent: child, Examples: []string{s}}
	child.Codes = []*Code{grand}
	c.Codes = []*Code{child}
	cb.Codes = []*Code{c}
	return cb
}

func TestWrapLine(t *testing.T) {
	s := strings.Repeat("abc ", 50) + "x  y" + strings.Repeat(" z", 40)
	lines := wrapLine(s, 30)
	if got := strings.Join(lines, " "); got != s {
		t.Fatalf("wrapping lost text:\n%q\n%q", s, got)
	}
	for _, l := range lines {
		if len(l) > 30 || strings.HasPrefix(l, " ") || strings.HasSuffix(l, " ") {
			t.Errorf("bad line %q", l)
		}
	}
}
