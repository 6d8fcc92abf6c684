package codebook

import (
	"strings"
	"testing"
)

// handBook is a codebook as people write it: comments, sequences not
// indented under their keys, rules broken over lines by hand, a literal
// block whose lines look like comments.
const handBook = `# Our codebook. Keep this comment.
name: Partnership learning
codes:
# Barriers first.
- id: barriers
  name: Barriers
  codes:
  - id: risk_aversion
    name: Risk aversion
    rule: >-
      governance
      OR litigation
  # trailing comment of barriers' children

  - id: overcrowding
    name: Overcrowding
    description: |
      Too many patients.

      # not a comment either

# Enablers next.
- id: enablers   # inline comment
  name: Enablers
  rule: 'help*'
`

func TestSaveMerged(t *testing.T) {
	src := mustLoad(t, `codes:
  - id: barriers
    name: Barriers
    codes:
      - id: rota_gaps
        name: Rota gaps
        rule: 'rota* NEAR/3 gap*'
        codes:
          - id: locums
            name: Locums
      - id: overcrowding
        name: Overcrowding (theirs)
        codes:
          - id: corridor_care
            name: Corridor care
            description: Patients on trolleys in corridors.
  - id: enablers
    name: Enablers
    codes:
      - id: humility
        name: Humility
        rule: 'humil* OR humbl*'
  - id: learning
    name: Learning
    codes:
      - id: technical
        name: Technical learning
`)
	dst := mustLoad(t, handBook)
	added, _ := Merge(dst, src)
	out, err := SaveMerged([]byte(handBook), dst, added)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Load("codebook.yaml", out)
	if err != nil {
		t.Fatalf("the merged file does not load: %v\n%s", err, out)
	}
	checkSame(t, dst, back, true)
	// Every line of the original is still there, in order.
	got := strings.Split(string(out), "\n")
	j := 0
	for _, l := range strings.Split(handBook, "\n") {
		for j < len(got) && got[j] != l {
			j++
		}
		if j == len(got) {
			t.Fatalf("line %q of the original is gone:\n%s", l, out)
		}
		j++
	}
	for _, want := range []string{
		"  - id: overcrowding\n    name: Overcrowding\n    description: |\n      Too many patients.\n\n      # not a comment either\n    codes:\n      - id: corridor_care\n",
		"  # trailing comment of barriers' children\n\n  - id: overcrowding",
		"  - id: rota_gaps\n    name: Rota gaps\n    rule: 'rota* NEAR/3 gap*'\n    codes:\n      - id: locums\n",
		"  rule: 'help*'\n  codes:\n    - id: humility\n",
		"- id: learning\n  name: Learning\n  codes:\n    - id: technical\n",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("merged file lacks %q:\n%s", want, out)
		}
	}
}

func TestSaveMergedFallsBack(t *testing.T) {
	for _, orig := range []string{
		"name: Empty\ncodes: []\n",
		"codes: [{id: a, name: A}]\n",
		"codes:\n  - {id: a, name: A}\n",
	} {
		dst := mustLoad(t, orig)
		src := mustLoad(t, "codes:\n  - id: a\n    name: A\n    codes:\n      - id: b\n        name: B\n  - id: c\n    name: C\n")
		added, _ := Merge(dst, src)
		out, err := SaveMerged([]byte(orig), dst, added)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Load("codebook.yaml", out)
		if err != nil {
			t.Fatalf("%q: %v\n%s", orig, err, out)
		}
		checkSame(t, dst, back, true)
	}
	if out, _ := SaveMerged([]byte(handBook), mustLoad(t, handBook), nil); string(out) != handBook {
		t.Error("nothing added, yet the file changed")
	}
}

func TestMerge(t *testing.T) {
	dst := mustLoad(t, goodBook)
	src := mustLoad(t, `name: Other
match: stem
codes:
  - id: barriers
    name: Barriers (theirs)
    codes:
      - id: overcrowding
        name: Overcrowded system
        rule: 'overcrowd* OR "too busy"'
        codes:
          - id: rota_gaps
            name: Rota gaps
  - id: enablers
    name: Enablers
    codes:
      - id: humility
        name: Humility (theirs)
        rule: 'modest*'
      - id: active_debriefs
        name: Active debriefs
        rule: 'debrief* NOT #humility'
`)
	added, skipped := Merge(dst, src)
	if got := strings.Join(codeIDs(added), ","); got != "overcrowding,rota_gaps,enablers,active_debriefs" {
		t.Errorf("added %s", got)
	}
	if got := strings.Join(codeIDs(skipped), ","); got != "barriers,humility" {
		t.Errorf("skipped %s", got)
	}
	want := "barriers\n  risk_aversion\n  absent_debriefs\n  overcrowding\n    rota_gaps\nhumility\nenablers\n  active_debriefs\n"
	if got := allIDs(dst); got != want {
		t.Errorf("merged:\n%s\nwant:\n%s", got, want)
	}
	if dst.Name != "Partnership learning" || dst.Match != MatchExact || dst.Code("barriers").Name != "Barriers" {
		t.Error("merge changed what dst had")
	}
	if dst.Code("rota_gaps").Path() != "Barriers > Overcrowded system > Rota gaps" {
		t.Errorf("path %q", dst.Code("rota_gaps").Path())
	}
	roundTripYAML(t, dst)
}
