package app_test

import (
	"context"
	"slices"
	"testing"

	"qcode/app"
	"qcode/coding"
	"qcode/exchange"
)

// coderProject makes a project of the first four sample interviews (the
// ones both sample coders coded) holding coder's codings of them, a memo
// on one of them and a memo on one of the codes.
func coderProject(t *testing.T, coder string) (*app.Project, *app.Sample) {
	t.Helper()
	ctx := context.Background()
	p, sample := sampleProject(t, 4)
	if _, err := p.ImportCodings(ctx, sample.Codings[coder], coder); err != nil {
		t.Fatal(err)
	}
	if _, err := p.AddMemo(ctx, app.MemoOptions{Source: "P02", Coder: coder, Text: coder + " read P02 twice"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.AddMemo(ctx, app.MemoOptions{Segment: "P01:s11", Code: "moral_imperative", Of: coder, Coder: coder, Text: "the clearest case"}); err != nil {
		t.Fatal(err)
	}
	return p, sample
}

func exchangeOf(t *testing.T, p *app.Project) *exchange.Project {
	t.Helper()
	x, err := p.Exchange(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func codingsBy(t *testing.T, p *app.Project, coder string) []coding.Coding {
	t.Helper()
	l, err := p.ListCodings(context.Background(), app.ListOptions{Coder: coder})
	if err != nil {
		t.Fatal(err)
	}
	return l.Codings
}

// Two coders who worked apart: ben's project takes in amina's work, her
// codings keeping their spans, codes, times and memos, and they can then
// be compared. Merging again changes nothing.
func TestMergeBringsInAnotherCodersWork(t *testing.T) {
	ctx := context.Background()
	amina, _ := coderProject(t, "amina")
	ben, _ := coderProject(t, "ben")
	if _, err := amina.Code(ctx, app.CodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := ben.AddCoding(ctx, app.CodingOptions{Segment: "P01:s20", Code: "learning_as_imagined", Coder: "amina", Memo: "ben typed this for amina"}); err != nil {
		t.Fatal(err)
	}
	x := exchangeOf(t, amina)
	if len(x.Sources) != 4 || x.Codebook == nil || !slices.ContainsFunc(x.Users, func(u exchange.User) bool { return u.Name == "rules" && u.Rules }) {
		t.Fatalf("exchange: %d sources, codebook %v, users %+v", len(x.Sources), x.Codebook != nil, x.Users)
	}
	rules := 0
	for _, c := range x.Codings {
		if c.Coder == coding.RulesCoder {
			rules++
		}
	}
	want := codingsBy(t, amina, "amina")

	rep, err := ben.Merge(ctx, x, app.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.SourcesMatched) != 4 || len(rep.SourcesAdded)+len(rep.SourcesConflicting)+len(rep.SourcesRenamed) != 0 {
		t.Errorf("sources: %+v", rep.MergeResult)
	}
	if rep.CodingsAdded != len(want)-1 || rep.CodingsExisting != 1 || rep.CodingsRulesLeftOut != rules || rules == 0 {
		t.Errorf("codings added %d, existing %d, rules left out %d (of %d); want %d, 1, %d", rep.CodingsAdded, rep.CodingsExisting, rep.CodingsRulesLeftOut, len(x.Codings), len(want)-1, rules)
	}
	if rep.MemosAdded != 2 || len(rep.CodesAdded) != 0 {
		t.Errorf("memos added %d, codes added %v", rep.MemosAdded, rep.CodesAdded)
	}
	got := codingsBy(t, ben, "amina")
	if len(got) != len(want) {
		t.Fatalf("amina's codings in ben's project: %d, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Source != w.Source || g.Start != w.Start || g.End != w.End || g.Code != w.Code || g.Coder != "amina" || g.Text != w.Text {
			t.Fatalf("coding %d: %+v, want %+v", i, g, w)
		}
		if g.Source == "P01" && g.Unit == coding.UnitSentence && g.Ord == 20 && g.Code == "learning_as_imagined" {
			if g.Memo != "ben typed this for amina" {
				t.Errorf("a coding already there changed: %+v", g)
			}
			continue
		}
		if !g.CreatedAt.Equal(w.CreatedAt) || g.Memo != w.Memo || g.Origin != coding.OriginImport || g.Unit != w.Unit || g.Ord != w.Ord {
			t.Errorf("coding %d: %+v, want %+v", i, g, w)
		}
	}
	memos, err := ben.ListMemos(ctx, app.MemoFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(memos, func(m app.Memo) bool {
		return m.Kind == coding.MemoCoding && m.Coder == "amina" && m.CodingCoder == "amina" && m.Text == "the clearest case"
	}) {
		t.Errorf("amina's memo on her coding did not come: %+v", memos)
	}
	if _, err := ben.Agreement(ctx, app.AgreementOptions{Unit: "sentence", Coders: []string{"amina", "ben"}}); err != nil {
		t.Fatalf("agreement after the merge: %v", err)
	}

	again, err := ben.Merge(ctx, x, app.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if again.CodingsAdded != 0 || again.CodingsExisting != len(want) || again.MemosAdded != 0 || again.MemosExisting != 2 || again.AttributesSet != 0 {
		t.Errorf("merging twice: %+v", again.MergeResult)
	}
	if n := len(codingsBy(t, ben, "amina")); n != len(want) {
		t.Errorf("merging twice: amina has %d codings, want %d", n, len(want))
	}
}
