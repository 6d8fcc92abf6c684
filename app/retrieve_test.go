package app_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"qcode"
	"qcode/app"
	"qcode/coding"
	"qcode/coding/report"
	"qcode/corpus"
)

// codedProject makes a project of the whole sample with its case
// attributes, amina's and ben's codings and the rules', one of which is
// rejected.
func codedProject(t *testing.T) *app.Project {
	t.Helper()
	ctx := context.Background()
	p := demoProject(t)
	rules, err := p.ListCodings(ctx, app.ListOptions{Coder: coding.RulesCoder})
	if err != nil || len(rules.Codings) == 0 {
		t.Fatalf("the rules coded nothing (%v)", err)
	}
	c := rules.Codings[0]
	if _, err := p.RejectCoding(ctx, app.CodingOptions{Segment: c.Segment(), Code: c.Code, Coder: "amina"}); err != nil {
		t.Fatal(err)
	}
	return p
}

// frequencies returns each code's codings alone and rolled up, as 'report
// freq --rollup' counts those of coder (app.AllCoders for everyone's).
func frequencies(t *testing.T, p *app.Project, coder string) (own, total map[string]int) {
	t.Helper()
	a, err := p.Analysis(context.Background(), coder)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := a.Report(app.ReportOptions{Kind: "freq", Frequency: report.FrequencyOptions{Own: true}})
	if err != nil {
		t.Fatal(err)
	}
	code, alone, rolled := tab.Column("code"), tab.Column("codings_own"), tab.Column("codings")
	own, total = map[string]int{}, map[string]int{}
	tab.Each(func(row []report.Cell) error {
		own[row[code].Text], total[row[code].Text] = int(row[alone].Num), int(row[rolled].Num)
		return nil
	})
	return own, total
}

func TestCodeTreeCountsAsReports(t *testing.T) {
	p := codedProject(t)
	ctx := context.Background()
	for _, coder := range []string{"", "amina", coding.RulesCoder} {
		tree, err := p.CodeTree(ctx, app.TreeOptions{Coder: coder})
		if err != nil {
			t.Fatal(err)
		}
		cb, err := p.Codebook()
		if err != nil {
			t.Fatal(err)
		}
		if ids := cb.IDs(); len(tree) != len(ids) {
			t.Fatalf("the tree has %d codes, the codebook %d", len(tree), len(ids))
		}
		who := coder
		if who == "" {
			who = app.AllCoders
		}
		own, total := frequencies(t, p, who)
		counted := 0
		for i, c := range tree {
			if c.ID != cb.IDs()[i] {
				t.Errorf("the tree's code %d is %s, the codebook's %s", i, c.ID, cb.IDs()[i])
			}
			if c.Depth != c.Code.Depth()-1 {
				t.Errorf("%s is at depth %d, want %d", c.ID, c.Depth, c.Code.Depth()-1)
			}
			if c.Own != own[c.ID] || c.Total != total[c.ID] {
				t.Errorf("coder %q: %s counts %d alone and %d rolled up; report freq --rollup counts %d and %d",
					coder, c.ID, c.Own, c.Total, own[c.ID], total[c.ID])
			}
			counted += c.Own
		}
		if counted == 0 {
			t.Errorf("coder %q: the tree counts no codings", coder)
		}
	}

	// One source's tree counts what its listing has.
	list, err := p.ListCodings(ctx, app.ListOptions{Source: "P02"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, c := range list.Codings {
		want[c.Code]++
	}
	tree, err := p.CodeTree(ctx, app.TreeOptions{Source: "P02"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range tree {
		if c.Own != want[c.ID] {
			t.Errorf("P02: %s counts %d codings, its listing has %d", c.ID, c.Own, want[c.ID])
		}
	}
	if _, err := p.CodeTree(ctx, app.TreeOptions{Source: "P2"}); qcode.ErrorCode(err) != qcode.ENOTFOUND || !strings.Contains(app.Phrase(err, nil), "P02") {
		t.Errorf("an unknown source: %v", err)
	}
}

// segments lists the segments of codings.
func segments(cs []coding.Coding) []string {
	var out []string
	for i := range cs {
		out = append(out, cs[i].Segment())
	}
	return out
}

// passageSegments lists the segments of passages.
func passageSegments(ps []app.Passage) []string {
	var out []string
	for i := range ps {
		out = append(out, ps[i].Segment())
	}
	return out
}

func TestRetrieve(t *testing.T) {
	p := codedProject(t)
	ctx := context.Background()
	list, err := p.ListCodings(ctx, app.ListOptions{Code: "humility"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Retrieve(ctx, app.RetrieveOptions{Code: "humility"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := passageSegments(res.Passages), segments(list.Codings); len(want) == 0 || !slices.Equal(got, want) {
		t.Fatalf("humility retrieves %v, its listing has %v", got, want)
	}
	if res.Code == nil || res.Code.ID != "humility" || !slices.Equal(res.Coders, []string{"amina", "ben", coding.RulesCoder}) {
		t.Errorf("humility's retrieval has code %v and coders %v", res.Code, res.Coders)
	}
	srcs, err := p.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(res.Attrs, "country=Uganda") || !slices.Contains(res.Attrs, "role=NHS") || !slices.IsSorted(res.Attrs) {
		t.Errorf("the attribute choices are %v", res.Attrs)
	}
	// Every passage says who speaks where it starts and what its case is.
	for _, ps := range res.Passages {
		src, err := p.Source(ctx, ps.Source)
		if err != nil {
			t.Fatal(err)
		}
		var speaker string
		for _, turn := range src.Turns {
			if turn.Start <= ps.Start && ps.Start < turn.End {
				speaker = turn.Speaker
			}
		}
		if ps.Speaker == "" || ps.Speaker != speaker {
			t.Errorf("%s: speaker %q, want %q", ps.Segment(), ps.Speaker, speaker)
		}
		if !strings.Contains(src.Text, ps.Text) || ps.Path != "Partnership aspects > Enablers > Humility" && !strings.HasSuffix(ps.Path, "Humility") {
			t.Errorf("%s: text %q, path %q", ps.Segment(), ps.Text, ps.Path)
		}
		i := slices.IndexFunc(srcs, func(s app.SourceInfo) bool { return s.Name == ps.Source })
		if len(ps.Attributes) == 0 || !slices.Equal(ps.Attributes, srcs[i].Attributes) {
			t.Errorf("%s: attributes %v, its source has %v", ps.Segment(), ps.Attributes, srcs[i].Attributes)
		}
	}

	// By coder.
	byAmina, err := p.ListCodings(ctx, app.ListOptions{Code: "humility", Coder: "amina"})
	if err != nil {
		t.Fatal(err)
	}
	res, err = p.Retrieve(ctx, app.RetrieveOptions{Code: "humility", Coder: "amina"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := passageSegments(res.Passages), segments(byAmina.Codings); len(want) == 0 || len(want) == len(list.Codings) || !slices.Equal(got, want) {
		t.Errorf("humility by amina retrieves %v, want %v", got, want)
	}

	// By attributes: every one must hold.
	for _, attrs := range [][]string{{"country=Uganda"}, {"country=UK", "role=NHS"}} {
		keep := map[string]bool{}
		for _, src := range srcs {
			all := true
			for _, a := range attrs {
				name, value, _ := strings.Cut(a, "=")
				all = all && slices.ContainsFunc(src.Attributes, func(x corpus.Attribute) bool { return x.Name == name && x.Value == value })
			}
			keep[src.Name] = all
		}
		var want []string
		for _, c := range list.Codings {
			if keep[c.Source] {
				want = append(want, c.Segment())
			}
		}
		res, err := p.Retrieve(ctx, app.RetrieveOptions{Code: "humility", Attrs: attrs})
		if err != nil {
			t.Fatal(err)
		}
		if got := passageSegments(res.Passages); len(want) == 0 || len(want) == len(list.Codings) || !slices.Equal(got, want) {
			t.Errorf("humility in %v retrieves %v, want %v", attrs, got, want)
		}
	}

	// Rolled up, a parent retrieves its sub-codes' passages, as many as
	// report freq --rollup counts; alone, only its own.
	_, total := frequencies(t, p, app.AllCoders)
	for _, rollup := range []bool{false, true} {
		res, err := p.Retrieve(ctx, app.RetrieveOptions{Code: "enablers", Rollup: rollup})
		if err != nil {
			t.Fatal(err)
		}
		own, _ := p.ListCodings(ctx, app.ListOptions{Code: "enablers"})
		want := len(own.Codings)
		if rollup {
			want = total["enablers"]
		}
		if len(res.Passages) != want || rollup && want <= len(own.Codings) {
			t.Errorf("enablers (rollup %v) retrieves %d passages, want %d", rollup, len(res.Passages), want)
		}
	}

	// A code the codebook no longer has keeps its passages, under its id.
	path := filepath.Join(p.Dir, app.CodebookFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), "id: humility", "id: modesty", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = p.Retrieve(ctx, app.RetrieveOptions{Code: "humility", Rollup: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Code != nil || len(res.Passages) != len(list.Codings) || res.Passages[0].Path != "humility" {
		t.Errorf("humility, gone from the codebook, retrieves %d passages (want %d) with code %v", len(res.Passages), len(list.Codings), res.Code)
	}

	for _, bad := range []struct {
		o    app.RetrieveOptions
		code string
		near string
	}{
		{app.RetrieveOptions{Code: "humilty"}, qcode.ENOTFOUND, "did you mean humility"},
		{app.RetrieveOptions{Code: "humility", Coder: "amna"}, qcode.ENOTFOUND, "did you mean amina"},
		{app.RetrieveOptions{Code: "humility", Attrs: []string{"country"}}, qcode.EINVALID, "name=value"},
		{app.RetrieveOptions{}, qcode.EINVALID, "choose a code"},
	} {
		_, err := p.Retrieve(ctx, bad.o)
		if qcode.ErrorCode(err) != bad.code || !strings.Contains(app.Phrase(err, nil), bad.near) {
			t.Errorf("%+v: %v (%s), want %s saying %q", bad.o, err, qcode.ErrorCode(err), bad.code, bad.near)
		}
	}
}

// TestSourceAsListed: one source read alone (its page's read, which costs
// what the source does, not the project) is as the project's list has it,
// and its turns without their sentences are its turns.
func TestSourceAsListed(t *testing.T) {
	p := codedProject(t)
	ctx := context.Background()
	srcs, err := p.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, info := range srcs {
		src, err := p.Source(ctx, info.Name)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(src.SourceInfo, info) || len(info.Attributes) == 0 || info.Codings == 0 || len(info.Speakers) == 0 {
			t.Errorf("%s alone is %+v, listed %+v", info.Name, src.SourceInfo, info)
		}
		turns, err := p.SourceTurns(ctx, info.Name)
		if err != nil {
			t.Fatal(err)
		}
		for i := range src.Turns {
			src.Turns[i].Sentences = nil
		}
		if !reflect.DeepEqual(turns, src) {
			t.Errorf("%s: its turns alone differ from its turns", info.Name)
		}
	}
	if _, err := p.SourceTurns(ctx, "P1"); qcode.ErrorCode(err) != qcode.ENOTFOUND || !strings.Contains(app.Phrase(err, nil), "P01") {
		t.Errorf("an unknown source: %v", err)
	}
}
