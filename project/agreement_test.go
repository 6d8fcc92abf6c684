package project

import (
	"context"
	"testing"
	"unicode/utf8"

	"qcode/coding"
)

// AgreementUnits gives each unit's id, character span and text, by source
// and position, and a whole source for the source and char units.
func TestAgreementUnits(t *testing.T) {
	ctx := context.Background()
	p := MustOpen(t)
	text := "Interviewer: Was it hard?\nAma: Très dur. We learned.\n\nThen we changed.\nInterviewer: Why?\nAma: Time.\n"
	if _, err := p.Import(ctx, mustRead(t, "Q02.txt", text), false); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Import(ctx, mustRead(t, "Q01.txt", "Interviewer: Hello?\nBo: Hi.\nInterviewer: Bye?\nBo: Bye.\n"), false); err != nil {
		t.Fatal(err)
	}
	src, err := p.Source(ctx, "Q02")
	if err != nil {
		t.Fatal(err)
	}
	runes := []rune(src.Text)
	for _, tc := range []struct {
		unit coding.Unit
		want []string // Q02's units
	}{
		{coding.UnitSentence, []string{"Q02:s1 Was it hard?", "Q02:s2 Très dur.", "Q02:s3 We learned.", "Q02:s4 Then we changed.", "Q02:s5 Why?", "Q02:s6 Time."}},
		{coding.UnitParagraph, []string{"Q02:p1 Was it hard?", "Q02:p2 Très dur. We learned.", "Q02:p3 Then we changed.", "Q02:p4 Why?", "Q02:p5 Time."}},
		{coding.UnitTurn, []string{"Q02:t1 Was it hard?", "Q02:t2 Très dur. We learned.\n\nThen we changed.", "Q02:t3 Why?", "Q02:t4 Time."}},
		{coding.UnitSource, []string{"Q02 " + src.Text}},
		{coding.UnitChar, []string{"Q02 " + src.Text}},
	} {
		units, err := p.AgreementUnits(ctx, tc.unit)
		if err != nil {
			t.Fatal(err)
		}
		if units[0].Ref.Source != "Q01" {
			t.Errorf("%s: first unit %s, want Q01's (by source name)", tc.unit, units[0].Ref)
		}
		var got []string
		for _, u := range units {
			if u.Ref.Source != "Q02" {
				continue
			}
			got = append(got, u.Ref.String()+" "+u.Text)
			if string(runes[u.Start:u.End]) != u.Text || utf8.RuneCountInString(u.Text) != u.End-u.Start {
				t.Errorf("%s: %s spans [%d,%d), which is not %q", tc.unit, u.Ref, u.Start, u.End, u.Text)
			}
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: units %q, want %q", tc.unit, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: unit %d is %q, want %q", tc.unit, i, got[i], tc.want[i])
			}
		}
	}
	if _, err := p.AgreementUnits(ctx, "word"); err == nil {
		t.Error("unit word: no error")
	}
}
