package app_test

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"qcode/app"
	"qcode/coding"
	"qcode/exchange"
)

// THE ROUND TRIP: the sample corpus coded by the rules and by both sample
// coders, with memos of every kind and the cases' attributes, goes out as
// a .qdpx and into a new project, and comes back the same: sources (names,
// text, cases, attributes, import times), people's codings (span, code,
// coder, created time, memo) and memos. The rules' codings travel too, and
// are left for the next rules run to make.
func TestRoundTripThroughQDPX(t *testing.T) {
	ctx := context.Background()
	tmp := t.TempDir()
	sample, err := app.WriteSample(filepath.Join(tmp, "sample"))
	if err != nil {
		t.Fatal(err)
	}
	p := newProject(t, filepath.Join(tmp, "study"))
	if _, err := p.Import(ctx, app.ImportOptions{Files: sample.Files, Attributes: sample.Cases}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, coder := range sample.Coders {
		if _, err := p.ImportCodings(ctx, sample.Codings[coder], coder); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.AddCoding(ctx, app.CodingOptions{Segment: "P03:40-95", Code: "humility", Coder: "amina", Memo: "said with a laugh"}); err != nil {
		t.Fatal(err)
	}
	for _, m := range []app.MemoOptions{
		{Source: "P02", Coder: "ben", Text: "recorded on a ward; noisy in places"},
		{Code: "humility", Coder: "amina", Text: "also modesty about one's own system"},
		{Segment: "P01:s11", Code: "moral_imperative", Of: "ben", Coder: "amina", Text: "ben and I agree here"},
		{Project: true, Coder: "amina", Text: "second coder joined in March; codebook v2 from then"},
	} {
		if _, err := p.AddMemo(ctx, m); err != nil {
			t.Fatal(err)
		}
	}

	file := filepath.Join(tmp, "team.qdpx")
	res, err := p.ExportQDPX(ctx, file, time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if res.Sources != len(mustSources(t, p)) || res.Codings == 0 || res.Memos != 4 {
		t.Errorf("exported %+v", res)
	}

	q := newProject(t, filepath.Join(tmp, "copy"))
	rep, err := q.MergeFrom(ctx, file, app.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.SourcesAdded) != res.Sources || rep.CodingsRulesLeftOut == 0 || len(rep.SourcesConflicting) != 0 {
		t.Errorf("import: %d sources added of %d, %d rules codings left out", len(rep.SourcesAdded), res.Sources, rep.CodingsRulesLeftOut)
	}
	want, got := exchangeOf(t, p), exchangeOf(t, q)
	if !slices.ContainsFunc(want.Sources, func(s exchange.Source) bool { return len(s.Attributes) > 2 && !s.CreatedAt.IsZero() }) ||
		len(peopleCodings(want)) < 400 || len(want.Memos) != 4 {
		t.Fatalf("the sample sent lacks attributes, codings or memos: %d codings, %d memos", len(peopleCodings(want)), len(want.Memos))
	}
	sameList(t, "sources", want.Sources, got.Sources)
	sameList(t, "codings", peopleCodings(want), peopleCodings(got))
	sameList(t, "memos", memoTargets(want), memoTargets(got))

	// Again: nothing changes.
	again, err := q.MergeFrom(ctx, file, app.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if again.CodingsAdded != 0 || again.MemosAdded != 0 || again.AttributesSet != 0 || len(again.SourcesMatched) != res.Sources {
		t.Errorf("importing twice: %+v", again.MergeResult)
	}
}

func mustSources(t *testing.T, p *app.Project) []app.SourceInfo {
	t.Helper()
	s, err := p.Sources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// peopleCodings returns x's codings by people as a round trip keeps them:
// origin becomes import.
func peopleCodings(x *exchange.Project) []exchange.Coding {
	var out []exchange.Coding
	for _, c := range x.Codings {
		if c.Coder == coding.RulesCoder {
			continue
		}
		c.GUID, c.Origin = "", coding.OriginImport
		out = append(out, c)
	}
	return out
}

// memoTargets returns x's memos without their ids, in a stable order.
func memoTargets(x *exchange.Project) []coding.Memo {
	var out []coding.Memo
	for _, m := range x.Memos {
		m.ID = 0
		out = append(out, m.Memo)
	}
	slices.SortFunc(out, func(a, b coding.Memo) int {
		if a.Target() != b.Target() {
			if a.Target() < b.Target() {
				return -1
			}
			return 1
		}
		return a.CreatedAt.Compare(b.CreatedAt)
	})
	return out
}

// sameList reports the first of want and got that differ.
func sameList[T any](t *testing.T, what string, want, got []T) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%s: %d sent, %d back", what, len(want), len(got))
	}
	for i := range min(len(want), len(got)) {
		if !reflect.DeepEqual(want[i], got[i]) {
			t.Errorf("%s: %d of %d differs:\nsent %+v\nback %+v", what, i+1, len(want), want[i], got[i])
			return
		}
	}
}

// Projects in the shapes MAXQDA and ATLAS.ti export (refi's fixtures)
// import into a new project, what was assumed said in notes, and import
// again to no change.
func TestImportOtherToolsProjects(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		tool          string
		sources, cods int
		note          string
	}{
		{"maxqda", 2, 6, "positions counted in UTF-16 units"},
		{"atlas", 2, 5, "qcode keeps it as a memo on the project"},
	} {
		t.Run(c.tool, func(t *testing.T) {
			p := newProject(t, filepath.Join(t.TempDir(), "study"))
			file := filepath.Join("..", "refi", "testdata", c.tool, "project.qde")
			rep, err := p.MergeFrom(ctx, file, app.MergeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.SourcesAdded) != c.sources || rep.CodingsAdded != c.cods || len(rep.CodesAdded) == 0 || rep.AttributesSet == 0 ||
				!slices.ContainsFunc(rep.Notes, func(n string) bool { return strings.Contains(n, c.note) }) {
				t.Errorf("%s: %+v, codes %v", c.tool, rep.MergeResult, rep.CodesAdded)
			}
			again, err := p.MergeFrom(ctx, file, app.MergeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if again.CodingsAdded != 0 || again.MemosAdded != 0 || len(again.CodesAdded) != 0 || len(again.SourcesMatched) != c.sources {
				t.Errorf("%s again: %+v", c.tool, again.MergeResult)
			}
		})
	}
}
