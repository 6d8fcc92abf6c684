package app_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"qcode"
	"qcode/app"
	"qcode/coding"
)

// Two short interviews, of eight sentences each (X01's are counted by
// hand in TestAgreementOfOneSource).
var agreeInterviews = map[string]string{
	"X01.txt": `Interviewer: How did the partnership begin? Who asked whom?

Nurse: They asked us first. We learned a great deal from them. I had not expected that.

Interviewer: And the funding?

Nurse: The money came from the north. Decisions did too.
`,
	"X02.txt": `Interviewer: What changed for your team? Anything at all?

Doctor: We changed how we run ward rounds. They taught us that. It was humbling.

Interviewer: Would you go again?

Doctor: Yes, tomorrow. Without a doubt.
`,
}

// codeSpan has coder code phrase in source name with code, as a person
// selecting it with the mouse would.
func codeSpan(t *testing.T, p *app.Project, name, phrase, code, coder string) {
	t.Helper()
	ctx := context.Background()
	src, err := p.Source(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(src.Text, phrase)
	if i < 0 {
		t.Fatalf("%q is not in %s", phrase, name)
	}
	start := len([]rune(src.Text[:i]))
	seg := fmt.Sprintf("%s:%d-%d", name, start, start+len([]rune(phrase)))
	if _, err := p.AddCoding(ctx, app.CodingOptions{Segment: seg, Code: code, Coder: coder}); err != nil {
		t.Fatal(err)
	}
}

// TestAgreementOfOneSource measures agreement on one source, as the
// browser's compare view and 'qcode agree --source' do, and checks it
// against a count by hand; the project's figure pools both sources.
func TestAgreementOfOneSource(t *testing.T) {
	ctx := context.Background()
	tmp := t.TempDir()
	var files []string
	for name, text := range agreeInterviews {
		f := filepath.Join(tmp, name)
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	slices.Sort(files)
	p := newProject(t, filepath.Join(tmp, "study"))
	if _, err := p.Import(ctx, app.ImportOptions{Files: files}, nil); err != nil {
		t.Fatal(err)
	}
	// X01, by sentence: both code s4 with bidirectional_learning, only ben
	// s3; only amina codes s5 with humility.
	codeSpan(t, p, "X01", "We learned a great deal from them", "bidirectional_learning", "amina")
	codeSpan(t, p, "X01", "I had not expected that", "humility", "amina")
	codeSpan(t, p, "X01", "learned a great deal", "bidirectional_learning", "ben")
	codeSpan(t, p, "X01", "They asked us first", "bidirectional_learning", "ben")
	// X02: they agree on both codes of one sentence each.
	codeSpan(t, p, "X02", "They taught us that", "bidirectional_learning", "amina")
	codeSpan(t, p, "X02", "They taught us that", "bidirectional_learning", "ben")
	codeSpan(t, p, "X02", "It was humbling", "humility", "amina")
	codeSpan(t, p, "X02", "It was humbling", "humility", "ben")

	o := app.AgreementOptions{Unit: "sentence", Coders: []string{"amina", "ben"}, Sources: []string{"X01"}, Disagreements: true}
	rep, err := p.Agreement(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Units != 8 || rep.Dropped != 0 || len(rep.Sources) != 1 || rep.Sources[0].Source != "X01" {
		t.Fatalf("units %d, dropped %d, sources %+v; want X01's 8 sentences alone", rep.Units, rep.Dropped, rep.Sources)
	}
	byCode := map[string]coding.CodeAgreement{}
	for _, ca := range rep.Codes {
		byCode[ca.Code] = ca
	}
	// bidirectional_learning: both on 1 sentence, one of them on 1, neither
	// on 6: agreement 7/8; chance (1/8)(2/8) + (7/8)(6/8) = 44/64, so
	// kappa (56/64 - 44/64) / (20/64) = 0.6.
	bl := byCode["bidirectional_learning"]
	if bl.All != 1 || bl.Some != 1 || bl.None != 6 || !near(bl.Agreement.Value, 0.875) || bl.Cohen == nil || !near(bl.Cohen.Value, 0.6) {
		t.Errorf("bidirectional_learning on X01: all %d some %d none %d, agreement %v, kappa %+v; want 1, 1, 6, 0.875, 0.6",
			bl.All, bl.Some, bl.None, bl.Agreement.Value, bl.Cohen)
	}
	// humility: amina alone on 1 sentence: agreement 7/8, and chance is as
	// high, so kappa is 0.
	hu := byCode["humility"]
	if hu.All != 0 || hu.Some != 1 || hu.None != 7 || !near(hu.Agreement.Value, 0.875) || hu.Cohen == nil || !near(hu.Cohen.Value, 0) {
		t.Errorf("humility on X01: all %d some %d none %d, agreement %v, kappa %+v; want 0, 1, 7, 0.875, 0",
			hu.All, hu.Some, hu.None, hu.Agreement.Value, hu.Cohen)
	}
	var split []string
	for _, d := range rep.Disagreements {
		for _, sp := range d.Codes {
			split = append(split, d.Text+" "+sp.Code+" by "+strings.Join(sp.By, ","))
		}
	}
	want := []string{"They asked us first. bidirectional_learning by ben", "I had not expected that. humility by amina"}
	if !slices.Equal(split, want) {
		t.Errorf("disagreements on X01: %q, want %q", split, want)
	}

	// The project's figure counts X02's sentences too, where they agree.
	o.Sources = nil
	all, err := p.Agreement(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if all.Units <= rep.Units || len(all.Disagreements) != 2 {
		t.Errorf("the project: %d units, %d disagreements; want more units than X01's %d and the same 2 disagreements", all.Units, len(all.Disagreements), rep.Units)
	}

	// A source the project lacks is named, with the nearest it has.
	_, err = p.Agreement(ctx, app.AgreementOptions{Unit: "sentence", Coders: []string{"amina", "ben"}, Sources: []string{"X1"}})
	if qcode.ErrorCode(err) != qcode.ENOTFOUND || !strings.Contains(app.Phrase(err, nil), "source X1: no such source") {
		t.Errorf("an unknown source: %v", err)
	}
}

func near(got, want float64) bool { return math.Abs(got-want) < 1e-9 }
