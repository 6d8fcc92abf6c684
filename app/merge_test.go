package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"qcode/app"
	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
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
	// Every coding merged has its line in the audit log, with its span,
	// code and memo, in the order merged (the lines go in batches).
	log, err := ben.Log(ctx, app.LogOptions{Coder: "amina", What: "coding"})
	if err != nil {
		t.Fatal(err)
	}
	logged := map[string]int{}
	for _, e := range log {
		if e.Action == "add" && e.Start != nil && e.End != nil && e.Origin == string(coding.OriginImport) {
			logged[fmt.Sprintf("%s %d-%d %s %s", e.Source, *e.Start, *e.End, e.Code, e.Text)]++
		}
	}
	if len(want) < 130 || len(logged) != rep.CodingsAdded {
		t.Errorf("the log has %d merged codings of amina's, want %d (of %d)", len(logged), rep.CodingsAdded, len(want))
	}
	for _, w := range want {
		if k := fmt.Sprintf("%s %d-%d %s %s", w.Source, w.Start, w.End, w.Code, w.Memo); logged[k] > 1 {
			t.Errorf("logged %d times: %s", logged[k], k)
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

// A source is matched by its text whatever its name; another text under a
// name the project has is left out, or comes in renamed; a text without
// speaker labels comes in as paragraphs with no speaker.
func TestMergeMatchesSourcesByText(t *testing.T) {
	ctx := context.Background()
	amina, _ := coderProject(t, "amina")
	x := exchangeOf(t, amina)

	dir := t.TempDir()
	p := newProject(t, filepath.Join(dir, "study"))
	p01 := x.Sources[0]
	if p01.Name != "P01" {
		t.Fatalf("first source %s", p01.Name)
	}
	files := map[string]string{
		"marsh.txt": p01.Text, // P01's text under another name
		"P02.txt":   "Interviewer: Did the partnership change your practice?\n\nNurse Okello: Not much, honestly.\n\nInterviewer: Why not?\n\nNurse Okello: The visits were short.\n",
	}
	var paths []string
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	slices.Sort(paths)
	if _, err := p.Import(ctx, app.ImportOptions{Files: paths}, nil); err != nil {
		t.Fatal(err)
	}
	notes := exchange.Source{Name: "fieldnotes", Text: "Visited the theatre on Tuesday. The team was short of gloves.\n\nThe debrief after the list was open and warm.",
		Attributes: []corpus.Attribute{{Name: "site", Type: corpus.AttrText, Value: "Gulu"}}}
	x.Sources = append(x.Sources, notes)
	x.Codings = append(x.Codings, exchange.Coding{Source: "fieldnotes", Start: 63, End: 108, Code: "humility", Coder: "amina",
		Origin: coding.OriginManual, CreatedAt: time.Date(2025, 2, 3, 10, 0, 0, 0, time.UTC), Memo: "warmth, not humility?"})
	onP02 := 0
	for _, c := range x.Codings {
		if c.Source == "P02" && c.Coder == "amina" {
			onP02++
		}
	}

	before, err := os.ReadFile(filepath.Join(dir, "study", app.CodebookFile))
	if err != nil {
		t.Fatal(err)
	}
	dry, err := p.Merge(ctx, x, app.MergeOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if names, _ := p.SourceNames(ctx); !slices.Equal(names, []string{"P02", "marsh"}) {
		t.Errorf("a dry run wrote sources: %v", names)
	}
	if n := len(codingsBy(t, p, "")); n != 0 {
		t.Errorf("a dry run wrote %d codings", n)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "study", app.CodebookFile)); string(after) != string(before) {
		t.Error("a dry run changed the codebook")
	}

	rep, err := p.Merge(ctx, x, app.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.SourcesMatched, []app.SourceMerge{{Name: "P01", As: "marsh"}}) ||
		!slices.Equal(rep.SourcesConflicting, []app.SourceMerge{{Name: "P02"}}) ||
		!slices.Equal(rep.SourcesAdded, []app.SourceMerge{{Name: "P03"}, {Name: "P04"}, {Name: "fieldnotes"}}) {
		t.Errorf("sources: matched %v, conflicting %v, added %v", rep.SourcesMatched, rep.SourcesConflicting, rep.SourcesAdded)
	}
	if rep.CodingsLeftOut != onP02 || onP02 == 0 || rep.AttributesSet != 1 {
		t.Errorf("codings left out %d, want %d; attributes set %d", rep.CodingsLeftOut, onP02, rep.AttributesSet)
	}
	dry.DryRun = false
	if !sameJSON(t, dry, rep) {
		t.Errorf("the dry run reported\n%+v\nthe merge\n%+v", dry, rep)
	}
	got, err := p.ListCodings(ctx, app.ListOptions{Source: "marsh", Coder: "amina"})
	if err != nil || len(got.Codings) == 0 || got.Codings[0].Text == "" {
		t.Fatalf("amina's P01 codings on marsh: %v", err)
	}
	src, err := p.Source(ctx, "fieldnotes")
	if err != nil {
		t.Fatal(err)
	}
	// A document: a turn a paragraph, with no speaker.
	if len(src.Turns) != 2 || src.Turns[0].Speaker != "" || src.Turns[1].Speaker != "" || src.Paragraphs != 2 {
		t.Errorf("fieldnotes: %d turns (%+v), %d paragraphs", len(src.Turns), src.Turns, src.Paragraphs)
	}
	fc, err := p.ListCodings(ctx, app.ListOptions{Source: "fieldnotes"})
	if err != nil || len(fc.Codings) != 1 || fc.Codings[0].Text != "The debrief after the list was open and warm." || fc.Codings[0].Unit != coding.UnitSentence ||
		!fc.Codings[0].CreatedAt.Equal(time.Date(2025, 2, 3, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("fieldnotes codings: %+v, %v", fc, err)
	}

	// With Rename, the other P02 comes in as P02-2, with its codings.
	re, err := p.Merge(ctx, x, app.MergeOptions{Rename: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(re.SourcesRenamed, []app.SourceMerge{{Name: "P02", As: "P02-2"}}) || re.CodingsAdded != onP02 || len(re.SourcesAdded) != 0 {
		t.Errorf("renamed: %v, codings added %d, want %d", re.SourcesRenamed, re.CodingsAdded, onP02)
	}
	if n := len(codingsBy(t, p, "amina")); n == 0 {
		t.Error("no codings by amina")
	}
	// A different value for an attribute already set is reported; the
	// project's is kept.
	x.Sources[len(x.Sources)-1].Attributes[0].Value = "Northbridge"
	again, err := p.Merge(ctx, x, app.MergeOptions{Rename: true})
	if err != nil {
		t.Fatal(err)
	}
	if again.CodingsAdded != 0 || len(again.SourcesRenamed) != 0 || len(again.SourcesMatched) != 5 ||
		!slices.Equal(again.AttributesConflicting, []app.AttributeConflict{{Case: "fieldnotes", Attribute: "site", Value: "Gulu", Other: "Northbridge"}}) {
		t.Errorf("merging again: %+v", again.MergeResult)
	}
}

// A code the project lacks is merged into codebook.yaml, the file's
// comments kept, and the codings of it come with it.
func TestMergeAddsCodesKeepingComments(t *testing.T) {
	ctx := context.Background()
	amina, _ := coderProject(t, "amina")
	if _, err := amina.AddCode(ctx, app.NewCodeOptions{Name: "Gloves and supplies", Parent: "barriers", Description: "Shortages of consumables"}); err != nil {
		t.Fatal(err)
	}
	if _, err := amina.AddCoding(ctx, app.CodingOptions{Segment: "P01:s30", Code: "gloves_and_supplies", Coder: "amina"}); err != nil {
		t.Fatal(err)
	}
	ben, _ := coderProject(t, "ben")
	path := filepath.Join(ben.Dir, app.CodebookFile)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := ben.Merge(ctx, exchangeOf(t, amina), app.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.CodesAdded, []string{"gloves_and_supplies"}) {
		t.Errorf("codes added: %v", rep.CodesAdded)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(before), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") && !strings.Contains(string(after), line) {
			t.Errorf("comment lost: %q", line)
		}
	}
	cb, err := ben.Codebook()
	if err != nil {
		t.Fatal(err)
	}
	if c := cb.Code("gloves_and_supplies"); c == nil || c.Parent == nil || c.Parent.ID != "barriers" {
		t.Fatalf("the new code in ben's codebook: %+v", c)
	}
	if l, err := ben.ListCodings(ctx, app.ListOptions{Code: "gloves_and_supplies"}); err != nil || len(l.Codings) != 1 || l.Codings[0].Coder != "amina" {
		t.Errorf("codings of the new code: %+v, %v", l, err)
	}
}

func sameJSON(t *testing.T, a, b any) bool {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(ja) == string(jb)
}

// A code another tool renamed keeps its GUID, and is matched by it: its
// codings come in as codings of the project's code, and no code is added.
func TestMergeMatchesCodesByGUID(t *testing.T) {
	ctx := context.Background()
	p, _ := sampleProject(t, 1)
	x := exchangeOf(t, p)
	x.Codebook = &codebook.Codebook{Name: "From NVivo", Codes: []*codebook.Code{
		{ID: "modesty", Name: "Modesty", GUID: "{" + strings.ToUpper(codebook.CodeGUID("humility")) + "}"},
		{ID: "gloves", Name: "Gloves"},
	}}
	x.Codebook.Codes[1].Codes = []*codebook.Code{{ID: "sterile_gloves", Name: "Sterile gloves", Parent: x.Codebook.Codes[1]}}
	x.Codebook.Codes[0].Codes = []*codebook.Code{{ID: "modest_system", Name: "Modest about the system", Parent: x.Codebook.Codes[0]}}
	at := time.Date(2025, 2, 3, 10, 0, 0, 0, time.UTC)
	x.Codings = []exchange.Coding{
		{Source: "P01", Start: 0, End: 40, Code: "modesty", Coder: "chloe", Origin: coding.OriginImport, CreatedAt: at},
		{Source: "P01", Start: 0, End: 40, Code: "modest_system", Coder: "chloe", Origin: coding.OriginImport, CreatedAt: at},
	}
	rep, err := p.Merge(ctx, x, app.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.CodesAdded, []string{"modest_system", "gloves", "sterile_gloves"}) || rep.CodingsAdded != 2 {
		t.Fatalf("codes added %v, codings added %d", rep.CodesAdded, rep.CodingsAdded)
	}
	cb, err := p.Codebook()
	if err != nil {
		t.Fatal(err)
	}
	if c := cb.Code("modest_system"); c == nil || c.Parent == nil || c.Parent.ID != "humility" {
		t.Errorf("the child of the renamed code: %+v", c)
	}
	if cb.Code("modesty") != nil {
		t.Error("the renamed code was added as a new one")
	}
	got := codingsBy(t, p, "chloe")
	if len(got) != 2 || got[0].Code != "humility" && got[1].Code != "humility" {
		t.Errorf("chloe's codings: %+v", got)
	}
}
