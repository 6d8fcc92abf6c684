package app_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"qcode"
	"qcode/app"
	"qcode/coding"
)

// Memos on a source, a code and a coding (one by a person, one by the
// rules) are checked against what they describe, edited, removed, and kept
// through a rules run and a re-import of the same text.
func TestMemosOnSourcesCodesAndCodings(t *testing.T) {
	p, sample := sampleProject(t, 1)
	ctx := context.Background()
	if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
		t.Fatal(err)
	}
	l, err := p.ListCodings(ctx, app.ListOptions{Origin: "rules", Code: "humility"})
	if err != nil || len(l.Codings) == 0 {
		t.Fatalf("the rules coded no humility: %v", err)
	}
	rules := l.Codings[0]
	if _, err := p.AddCoding(ctx, app.CodingOptions{Segment: "P01:s3", Code: "humility", Coder: "amina"}); err != nil {
		t.Fatal(err)
	}

	src, err := p.AddMemo(ctx, app.MemoOptions{Source: "P01", Coder: "amina", Text: "Dr Marsh asked to see the transcript"})
	if err != nil || src.Kind != coding.MemoSource || src.Source != "P01" || src.ID == 0 {
		t.Fatalf("source memo: %+v, %v", src, err)
	}
	code, err := p.AddMemo(ctx, app.MemoOptions{Code: "Humility", Coder: "amina", Text: "also modesty about one's own system"})
	if err != nil || code.Kind != coding.MemoCode || code.Code != "humility" || code.Source != "" {
		t.Fatalf("code memo by name: %+v, %v", code, err)
	}
	manual, err := p.AddMemo(ctx, app.MemoOptions{Segment: "P01:s3", Code: "humility", Coder: "ben", Text: "is this humility or politeness?"})
	if err != nil || manual.Kind != coding.MemoCoding || manual.CodingCoder != "amina" || manual.Start != codingOn(t, p, "P01:s3").Start {
		t.Fatalf("memo on amina's coding: %+v, %v", manual, err)
	}
	onRules, err := p.AddMemo(ctx, app.MemoOptions{Segment: rules.Segment(), Code: "humility", Of: coding.RulesCoder, Coder: "amina", Text: "the rule caught this one well"})
	if err != nil || onRules.CodingCoder != coding.RulesCoder || onRules.Start != rules.Start || onRules.End != rules.End {
		t.Fatalf("memo on a rules coding: %+v, %v", onRules, err)
	}

	for name, c := range map[string]struct {
		o    app.MemoOptions
		code string
	}{
		"unknown source":          {app.MemoOptions{Source: "P09", Text: "x"}, qcode.ENOTFOUND},
		"unknown code":            {app.MemoOptions{Code: "humilty", Text: "x"}, qcode.ENOTFOUND},
		"no such coding":          {app.MemoOptions{Segment: "P01:s3", Code: "cost", Text: "x"}, qcode.ENOTFOUND},
		"another coder's coding":  {app.MemoOptions{Segment: "P01:s3", Code: "humility", Of: "ben", Text: "x"}, qcode.ENOTFOUND},
		"no segment in source":    {app.MemoOptions{Segment: "P01:s9999", Code: "humility", Text: "x"}, qcode.ENOTFOUND},
		"empty text":              {app.MemoOptions{Source: "P01", Text: " \n"}, qcode.EINVALID},
		"nothing described":       {app.MemoOptions{Text: "x"}, qcode.EINVALID},
		"source and code":         {app.MemoOptions{Source: "P01", Code: "humility", Text: "x"}, qcode.EINVALID},
		"coding without its code": {app.MemoOptions{Segment: "P01:s3", Text: "x"}, qcode.EINVALID},
	} {
		c.o.Coder = "amina"
		if _, err := p.AddMemo(ctx, c.o); qcode.ErrorCode(err) != c.code {
			t.Errorf("%s: %v, want %s", name, err, c.code)
		}
	}
	// Two coders with the same coding: the memo must say whose.
	if _, err := p.AddCoding(ctx, app.CodingOptions{Segment: "P01:s3", Code: "humility", Coder: "ben"}); err != nil {
		t.Fatal(err)
	}
	var e *qcode.Error
	if _, err := p.AddMemo(ctx, app.MemoOptions{Segment: "P01:s3", Code: "humility", Coder: "ben", Text: "x"}); !errors.As(err, &e) || e.Field != "coding_coder" || !slices.Equal(e.Allowed, []string{"amina", "ben"}) {
		t.Errorf("a coding two coders have, without saying whose: %v", err)
	}

	edited, err := p.EditMemo(ctx, src.ID, "ben", "Dr Marsh asked to see the transcript before use")
	if err != nil || edited.Coder != "amina" || edited.Text != "Dr Marsh asked to see the transcript before use" || edited.UpdatedAt.Before(edited.CreatedAt) {
		t.Fatalf("edit: %+v, %v", edited, err)
	}
	if _, err := p.EditMemo(ctx, 999, "ben", "x"); !errors.As(err, &e) || e.Code != qcode.ENOTFOUND || e.Value != "999" {
		t.Errorf("editing an unknown memo: %v", err)
	}
	if _, err := p.DeleteMemo(ctx, 999, "ben"); qcode.ErrorCode(err) != qcode.ENOTFOUND || !strings.Contains(app.Phrase(err, nil), "memo 999") {
		t.Errorf("removing an unknown memo: %v", err)
	}
	gone, err := p.DeleteMemo(ctx, code.ID, "ben")
	if err != nil || gone.Text != code.Text {
		t.Fatalf("delete: %+v, %v", gone, err)
	}

	// A rules run rewrites the rules codings, and an import of the same
	// text changes nothing: every memo stays.
	if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Import(ctx, app.ImportOptions{Files: sample.Files[:1], Replace: true}, nil); err != nil {
		t.Fatal(err)
	}
	all, err := p.ListMemos(ctx, app.MemoFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range all {
		got = append(got, m.Target()+": "+m.Text)
	}
	want := []string{
		"P01: Dr Marsh asked to see the transcript before use",
		"humility on " + manual.Source + ":" + strconv.Itoa(manual.Start) + "-" + strconv.Itoa(manual.End) + " by amina: is this humility or politeness?",
		"humility on " + rules.Source + ":" + strconv.Itoa(rules.Start) + "-" + strconv.Itoa(rules.End) + " by rules: the rule caught this one well",
	}
	if !slices.Equal(got, want) {
		t.Errorf("memos after a rules run and a re-import:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	byKind, err := p.ListMemos(ctx, app.MemoFilter{Code: "humility", Kind: "coding"})
	if err != nil || len(byKind) != 2 {
		t.Errorf("coding memos on humility: %+v, %v", byKind, err)
	}
	if _, err := p.ListMemos(ctx, app.MemoFilter{Kind: "theme"}); qcode.ErrorCode(err) != qcode.EINVALID {
		t.Errorf("an unknown kind: %v", err)
	}
}

// codingOn returns the span a segment names, from a coding listed on it.
func codingOn(t *testing.T, p *app.Project, segment string) coding.Coding {
	t.Helper()
	l, err := p.ListCodings(context.Background(), app.ListOptions{Source: "P01", Coder: "amina"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range l.Codings {
		if c.Segment() == segment {
			return c
		}
	}
	t.Fatalf("no coding on %s", segment)
	return coding.Coding{}
}

// A memo on the project names nothing else: options that also name a
// source, a segment or a code are refused before the project is opened.
func TestProjectMemo(t *testing.T) {
	for _, o := range []app.MemoOptions{
		{Project: true, Source: "P01", Coder: "amina", Text: "x"},
		{Project: true, Code: "humility", Coder: "amina", Text: "x"},
		{Project: true, Segment: "P01:s3", Coder: "amina", Text: "x"},
	} {
		var e *qcode.Error
		if err := o.Check(); !errors.As(err, &e) || e.Code != qcode.EINVALID || e.Field == "" {
			t.Errorf("%+v: %v", o, err)
		}
	}
	p, _ := sampleProject(t, 1)
	ctx := context.Background()
	m, err := p.AddMemo(ctx, app.MemoOptions{Project: true, Coder: "amina", Text: "Second coder joins in April."})
	if err != nil || m.Kind != coding.MemoProject || m.Target() != "the project" {
		t.Fatalf("%+v, %v", m, err)
	}
	ms, err := p.ListMemos(ctx, app.MemoFilter{Kind: "project"})
	if err != nil || len(ms) != 1 || ms[0].ID != m.ID {
		t.Errorf("project memos: %+v, %v", ms, err)
	}
	if err := (app.MemoFilter{Kind: "team"}).Check(); err == nil || !strings.Contains(err.Error(), "project") {
		t.Errorf("an unknown kind: %v", err)
	}
}
