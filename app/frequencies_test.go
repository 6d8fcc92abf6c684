package app_test

import (
	"context"
	"reflect"
	"testing"

	"qcode"
	"qcode/app"
	"qcode/coding/report"
)

// TestFrequenciesBySource makes report freq source by source and gets the
// table, codings, coders and words of the whole analysis, on sample
// interviews coded by the rules and by two people: whole turns, a source,
// and spans that start and end inside sentences, so that words are
// counted from sentences' word spans there.
func TestFrequenciesBySource(t *testing.T) {
	p, _ := sampleProject(t, 4)
	ctx := context.Background()
	if _, err := p.Code(ctx, app.CodeOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []app.CodingOptions{
		{Segment: "P01:t3", Code: "humility", Coder: "amina"},
		{Segment: "P01:305-611", Code: "humility", Coder: "amina", Snap: true},
		{Segment: "P01:400-700", Code: "humility", Coder: "bo", Snap: true},
		{Segment: "P02:57-98", Code: "everyone_contributes", Coder: "bo", Snap: true},
		{Segment: "P03", Code: "overcrowded_system", Coder: "amina"},
	} {
		if _, err := p.AddCoding(ctx, c); err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
	}
	for _, coder := range []string{app.AllCoders, "amina", "bo", "rules"} {
		for _, o := range []report.FrequencyOptions{{}, {Own: true}, {Split: "coder"}, {Split: "origin", Own: true}} {
			whole, err := p.Analysis(ctx, coder)
			if err != nil {
				t.Fatal(err)
			}
			want, err := whole.Report(app.ReportOptions{Kind: "freq", Frequency: o})
			if err != nil {
				t.Fatal(err)
			}
			a, got, err := p.Frequencies(ctx, coder, o)
			if err != nil {
				t.Fatalf("coder %s, %+v: %v", coder, o, err)
			}
			if !reflect.DeepEqual(rowsOf(want), rowsOf(got)) {
				t.Errorf("coder %s, %+v: source by source\n%q\nwant\n%q", coder, o, rowsOf(got), rowsOf(want))
			}
			if a.CodingCount() != whole.CodingCount() || a.Words() != whole.Words() || !reflect.DeepEqual(a.Coders(), whole.Coders()) {
				t.Errorf("coder %s: %d codings, %d words, coders %q; want %d, %d, %q", coder, a.CodingCount(), a.Words(), a.Coders(),
					whole.CodingCount(), whole.Words(), whole.Coders())
			}
			if a.CodingCount() == 0 {
				t.Errorf("coder %s: no codings counted; the test needs some", coder)
			}
		}
	}
	if _, _, err := p.Frequencies(ctx, "nobody", report.FrequencyOptions{}); qcode.ErrorCode(err) != qcode.ENOTFOUND {
		t.Errorf("coder nobody: %v, want not found", err)
	}
}

// rowsOf returns a table's header and rows as text.
func rowsOf(t *report.Table) [][]string {
	out := [][]string{t.Header()}
	t.Each(func(row []report.Cell) error {
		r := make([]string, len(row))
		for i, c := range row {
			r[i] = c.String()
		}
		out = append(out, r)
		return nil
	})
	return out
}
