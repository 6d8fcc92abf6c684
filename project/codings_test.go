package project

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
)

const testCodebook = `name: test
codes:
  - id: debrief
    name: Debrief
    rule: debrief*
    negation: keep
  - id: chart
    name: Early warning
    rule: '"warning chart" OR handover'
  - id: unused
    name: Unused
    rule: ketamine
`

// mustApplier compiles a codebook into the rules engine.
func mustApplier(tb testing.TB, yaml string) *coding.Applier {
	tb.Helper()
	cb, err := codebook.Load("codebook.yaml", []byte(yaml))
	if err != nil {
		tb.Fatal(err)
	}
	m, err := codebook.NewMatcher(cb)
	if err != nil {
		tb.Fatal(err)
	}
	return coding.NewApplier(m, coding.CodebookHash([]byte(yaml)), time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC))
}

func mustP03(tb testing.TB) *Project {
	tb.Helper()
	p := MustOpen(tb)
	if _, err := p.Import(context.Background(), mustRead(tb, "P03.txt", p03), false); err != nil {
		tb.Fatal(err)
	}
	return p
}

func mustCodings(tb testing.TB, p *Project, f CodingFilter) []coding.Coding {
	tb.Helper()
	cs, err := p.Codings(context.Background(), f)
	if err != nil {
		tb.Fatal(err)
	}
	return cs
}

func segments(cs []coding.Coding) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Segment()+" "+c.Code+" "+c.Coder)
	}
	return strings.Join(out, "; ")
}

func TestCodeRules(t *testing.T) {
	ctx := context.Background()
	p := mustP03(t)
	a := mustApplier(t, testCodebook)
	run := RulesRun{Codebook: "codebook.yaml", CodebookHash: "abc", Unit: coding.UnitSentence}

	// A dry run says what would change and writes nothing.
	dry := run
	dry.DryRun = true
	res, err := p.CodeRules(ctx, dry, a)
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 2 || res.Removed != 0 || res.Total != 2 || len(mustCodings(t, p, CodingFilter{})) != 0 {
		t.Fatalf("dry run: %+v, and %d codings stored", res, len(mustCodings(t, p, CodingFilter{})))
	}

	// The interviewer's question about a debrief is left alone.
	res, err = p.CodeRules(ctx, run, a)
	if err != nil {
		t.Fatal(err)
	}
	got := mustCodings(t, p, CodingFilter{})
	if want := "P03:s4 chart rules; P03:s7 chart rules"; segments(got) != want {
		t.Fatalf("codings = %s, want %s", segments(got), want)
	}
	if res.Skipped != 2 || res.Segments != 5 {
		t.Errorf("skipped %d, coded %d segments; want 2 and 5", res.Skipped, res.Segments)
	}
	c := got[0]
	if c.Text != "But I brought back the early warning chart — Zoë’s idea 🙂." || c.Origin != coding.OriginRules || c.CodebookHash != coding.CodebookHash([]byte(testCodebook)) {
		t.Errorf("coding = %+v", c)
	}
	// Matched tokens carry character spans that slice the text.
	src, _ := p.Source(ctx, "P03")
	runes := []rune(src.Text)
	if len(c.Matches) != 1 || len(c.Matches[0].Tokens) != 2 {
		t.Fatalf("matches = %+v", c.Matches)
	}
	for _, tok := range c.Matches[0].Tokens {
		if string(runes[tok.Start:tok.End]) != tok.Text {
			t.Errorf("matched token %+v does not slice the text", tok)
		}
	}

	// A person codes the same sentence and another; a rerun keeps both.
	if _, added, err := p.AddCoding(ctx, CodingRequest{Ref: coding.Ref{Source: "P03", Unit: coding.UnitSentence, Ord: 4}, Code: "chart", Coder: "amina", Origin: coding.OriginManual}, "test"); err != nil || !added {
		t.Fatal(added, err)
	}
	if _, _, err := p.AddCoding(ctx, CodingRequest{Ref: coding.Ref{Source: "P03", Unit: coding.UnitSpan, Start: 40, End: 60}, Code: "debrief", Coder: "amina", Memo: "m", Origin: coding.OriginManual}, "test"); err != nil {
		t.Fatal(err)
	}
	run.Interviewer = true
	res, err = p.CodeRules(ctx, run, a)
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 1 || res.Removed != 0 || res.People != 2 {
		t.Errorf("rerun with the interviewer: %+v", res)
	}
	if want := "P03:s1 debrief rules; P03:40-60 debrief amina; P03:s4 chart amina; P03:s4 chart rules; P03:s7 chart rules"; segments(mustCodings(t, p, CodingFilter{})) != want {
		t.Errorf("codings = %s\nwant %s", segments(mustCodings(t, p, CodingFilter{})), want)
	}

	// By turn: one coding per turn and code, with every match.
	run.Unit = coding.UnitTurn
	res, err = p.CodeRules(ctx, run, a)
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 3 || res.Removed != 3 {
		t.Errorf("by turn: %+v", res)
	}
	if want := "P03:t1 debrief rules; P03:t2 chart rules; P03:t4 chart rules"; segments(mustCodings(t, p, CodingFilter{Coder: "rules"})) != want {
		t.Errorf("by turn: %s", segments(mustCodings(t, p, CodingFilter{Coder: "rules"})))
	}
	// By source: one coding per code.
	run.Unit = coding.UnitSource
	if _, err = p.CodeRules(ctx, run, a); err != nil {
		t.Fatal(err)
	}
	bySource := mustCodings(t, p, CodingFilter{Coder: "rules", Code: "chart"})
	if len(bySource) != 1 || len(bySource[0].Matches) != 2 || bySource[0].Segment() != "P03" {
		t.Errorf("by source: %+v", bySource)
	}
	run.Unit = coding.UnitParagraph
	if _, err = p.CodeRules(ctx, run, a); err != nil {
		t.Fatal(err)
	}
	if want := "P03:p1 debrief rules; P03:p2 chart rules; P03:p4 chart rules"; segments(mustCodings(t, p, CodingFilter{Coder: "rules"})) != want {
		t.Errorf("by paragraph: %s", segments(mustCodings(t, p, CodingFilter{Coder: "rules"})))
	}
}

func TestCodeRulesUnknownSource(t *testing.T) {
	p := mustP03(t)
	_, err := p.CodeRules(context.Background(), RulesRun{Unit: coding.UnitSentence, Sources: []string{"P3"}}, mustApplier(t, testCodebook))
	if qcode.ErrorCode(err) != qcode.ENOTFOUND || !slices.Equal(qcode.Suggestions(err), []string{"P03"}) {
		t.Errorf("err = %v", err)
	}
}

func TestAddRemoveCoding(t *testing.T) {
	ctx := context.Background()
	p := mustP03(t)
	ref := coding.Ref{Source: "P03", Unit: coding.UnitTurn, Ord: 2}
	req := CodingRequest{Ref: ref, Code: "chart", Coder: "amina", Memo: "the chart", Origin: coding.OriginManual}
	c, added, err := p.AddCoding(ctx, req, "coding add")
	if err != nil || !added {
		t.Fatal(added, err)
	}
	if !strings.HasPrefix(c.Text, "No. Nobody asked.") {
		t.Errorf("text = %q", c.Text)
	}
	if _, added, err = p.AddCoding(ctx, req, "coding add"); err != nil || added {
		t.Errorf("adding again: added %v, %v; want a no-op", added, err)
	}
	_, err = p.RemoveCoding(ctx, ref, "chart", "bo", "coding rm")
	if qcode.ErrorCode(err) != qcode.ENOTFOUND || !strings.Contains(err.Error(), "chart by amina") {
		t.Errorf("removing another coder's: %v", err)
	}
	if _, err := p.RemoveCoding(ctx, ref, "chart", "amina", "coding rm"); err != nil {
		t.Fatal(err)
	}
	if n := len(mustCodings(t, p, CodingFilter{})); n != 0 {
		t.Errorf("%d codings after removing", n)
	}
	var n int
	p.db.QueryRow(`SELECT count(*) FROM audit WHERE coder = 'amina' AND what = 'coding'`).Scan(&n)
	if n != 2 {
		t.Errorf("%d audit rows, want an add and a remove", n)
	}

	// The span of a character range is found in bytes too.
	c, _, err = p.AddCoding(ctx, CodingRequest{Ref: coding.Ref{Source: "P03", Unit: coding.UnitSpan, Start: 150, End: 160}, Code: "chart", Coder: "amina", Origin: coding.OriginManual}, "coding add")
	if err != nil || c.Text != "Zoë’s idea" {
		t.Errorf("span: %q, %v", c.Text, err)
	}
}

func TestResolveErrors(t *testing.T) {
	ctx := context.Background()
	p := mustP03(t)
	for _, tt := range []struct {
		ref  coding.Ref
		code string
		want string // in the error, or among its suggestions
	}{
		{coding.Ref{Source: "P3", Unit: coding.UnitSentence, Ord: 1}, qcode.ENOTFOUND, "P03"},
		{coding.Ref{Source: "P03", Unit: coding.UnitSentence, Ord: 99}, qcode.ENOTFOUND, "no sentence s99 in P03: it has sentences s1 to s7"},
		{coding.Ref{Source: "P03", Unit: coding.UnitTurn, Ord: 9}, qcode.ENOTFOUND, "t1 to t4"},
		{coding.Ref{Source: "P03", Unit: coding.UnitParagraph, Ord: 9}, qcode.ENOTFOUND, "p1 to p4"},
		{coding.Ref{Source: "P03", Unit: coding.UnitSpan, Start: 10, End: 9999}, qcode.EINVALID, "past the end"},
	} {
		_, _, err := p.AddCoding(ctx, CodingRequest{Ref: tt.ref, Code: "chart", Coder: "amina", Origin: coding.OriginManual}, "test")
		if qcode.ErrorCode(err) != tt.code || err == nil || !strings.Contains(err.Error(), tt.want) && !slices.Contains(qcode.Suggestions(err), tt.want) {
			t.Errorf("%s: %v (%s), want %s containing %q", tt.ref, err, qcode.ErrorCode(err), tt.code, tt.want)
		}
	}
}

func TestReplaceKeepsPeoplesCodings(t *testing.T) {
	ctx := context.Background()
	p := mustP03(t)
	if _, err := p.CodeRules(ctx, RulesRun{Unit: coding.UnitSentence}, mustApplier(t, testCodebook)); err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(p03, "handover", "ward round", 1)
	// Rules codings alone do not stop a replacement; they go with the text.
	if _, err := p.Import(ctx, mustRead(t, "P03.txt", changed), true); err != nil {
		t.Fatalf("replacing a source with rules codings: %v", err)
	}
	if n := len(mustCodings(t, p, CodingFilter{})); n != 0 {
		t.Errorf("%d codings of the old text left", n)
	}
	if _, _, err := p.AddCoding(ctx, CodingRequest{Ref: coding.Ref{Source: "P03", Unit: coding.UnitSentence, Ord: 2}, Code: "chart", Coder: "amina", Origin: coding.OriginManual}, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.AddMemo(ctx, MemoRequest{Kind: coding.MemoSource, Source: "P03", Coder: "amina", Text: "cut short"}, "test"); err != nil {
		t.Fatal(err)
	}
	docs := mustRead(t, "P03.txt", p03)
	err := p.CheckImport(ctx, docs, true)
	if qcode.ErrorCode(err) != qcode.ECONFLICT || !strings.Contains(err.Error(), "P03 has 1 coding made by hand") {
		t.Errorf("CheckImport: %v", err)
	}
	if _, err := p.Import(ctx, docs, true); qcode.ErrorCode(err) != qcode.ECONFLICT || !strings.Contains(err.Error(), "qcode coding rm") {
		t.Errorf("Import: %v", err)
	}
	if n := len(mustCodings(t, p, CodingFilter{})); n != 1 {
		t.Errorf("%d codings after a refused replace, want 1", n)
	}
	if ms, _ := p.Memos(ctx, MemoFilter{Source: "P03"}); len(ms) != 1 {
		t.Errorf("memos = %+v", ms)
	}
}

func TestImportCodings(t *testing.T) {
	ctx := context.Background()
	p := mustP03(t)
	sheet, err := coding.ReadSheet("coded.csv", []byte("segment,quote,code,memo\nP03:s4,,chart,first\nP03,early warning chart,debrief,\nP03:t4,handover,chart,\n"), []string{"chart", "debrief"})
	if err != nil {
		t.Fatal(err)
	}
	rows := sheet.Codings
	res, err := p.ImportCodings(ctx, "coded.csv", rows, "team-b", "coding import")
	if err != nil || res.Added != 3 {
		t.Fatalf("%+v, %v", res, err)
	}
	got := mustCodings(t, p, CodingFilter{Coder: "team-b"})
	if want := "P03:s4 chart team-b; P03:128-147 debrief team-b; P03:228-236 chart team-b"; segments(got) != want {
		t.Errorf("codings = %s, want %s", segments(got), want)
	}
	if got[1].Text != "early warning chart" || got[2].Text != "handover" || got[0].Memo != "first" || got[0].Origin != coding.OriginImport {
		t.Errorf("codings = %+v", got)
	}
	// Again: nothing new.
	if res, err = p.ImportCodings(ctx, "coded.csv", rows, "team-b", "coding import"); err != nil || res.Existing != 3 || res.Added != 0 {
		t.Errorf("again: %+v, %v", res, err)
	}

	// A quote that occurs twice stops the whole sheet.
	sheet, err = coding.ReadSheet("bad.csv", []byte("source,quote,code\nP03,Nobody asked,chart\nP03,d,chart\n"), []string{"chart"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.ImportCodings(ctx, "bad.csv", sheet.Codings, "team-c", "coding import")
	if qcode.ErrorCode(err) != qcode.EINVALID || !strings.HasPrefix(err.Error(), "bad.csv:3: quote \"d\" occurs") {
		t.Errorf("err = %v", err)
	}
	if n := len(mustCodings(t, p, CodingFilter{Coder: "team-c"})); n != 0 {
		t.Errorf("a failed import left %d codings", n)
	}
}

func TestSpeakers(t *testing.T) {
	ctx := context.Background()
	p := mustP03(t)
	if err := p.MarkSpeaker(ctx, "Sara", "interviewer"); qcode.ErrorCode(err) != qcode.ENOTFOUND || !slices.Equal(qcode.Suggestions(err), []string{"Sarah"}) {
		t.Errorf("unknown speaker: %v", err)
	}
	if err := p.MarkSpeaker(ctx, "Sarah", "boss"); qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("unknown role: %v", err)
	}
	if err := p.MarkSpeaker(ctx, "Interviewer", "participant"); err != nil {
		t.Fatal(err)
	}
	sp, err := p.Speakers(ctx)
	if err != nil || len(sp) != 2 {
		t.Fatal(sp, err)
	}
	if sp[0].Name != "Interviewer" || sp[0].Interviewer || sp[0].Turns != 2 || sp[1].Interviewer {
		t.Errorf("speakers = %+v", sp)
	}
	// Now the rules code the interviewer's question too.
	res, err := p.CodeRules(ctx, RulesRun{Unit: coding.UnitSentence}, mustApplier(t, testCodebook))
	if err != nil || res.Skipped != 0 || res.Added != 3 {
		t.Errorf("%+v, %v", res, err)
	}
}

// TestCodeRulesKeepsUnchanged reruns the rules with an edited codebook that
// codes the same segments: nothing is added or removed, every coding now
// names the new codebook, and a coding whose matches changed records the
// new ones.
func TestCodeRulesKeepsUnchanged(t *testing.T) {
	ctx := context.Background()
	p := mustP03(t)
	run := RulesRun{Unit: coding.UnitSentence}
	if _, err := p.CodeRules(ctx, run, mustApplier(t, testCodebook)); err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(testCodebook, `'"warning chart" OR handover'`, `'chart OR handover'`, 1)
	res, err := p.CodeRules(ctx, run, mustApplier(t, edited))
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 0 || res.Removed != 0 || res.Total != 2 {
		t.Errorf("rerun: %+v", res)
	}
	cs := mustCodings(t, p, CodingFilter{})
	for _, c := range cs {
		if c.CodebookHash != coding.CodebookHash([]byte(edited)) {
			t.Errorf("%s still names codebook %s", c.Segment(), c.CodebookHash)
		}
	}
	if len(cs) != 2 || len(cs[0].Matches) != 1 || len(cs[0].Matches[0].Tokens) != 1 || cs[0].Matches[0].Tokens[0].Text != "chart" {
		t.Errorf("codings = %+v", cs)
	}
}
