package report_test

import (
	"fmt"

	"qcode/codebook"
	"qcode/coding"
	"qcode/coding/report"
)

// oneSource is a project of one source, read as a store reads one: the
// head, then the source.
type oneSource struct {
	head    *report.Data
	sents   []report.Sentence
	codings []*coding.Coding
}

func (o oneSource) Each(r report.Read, start func(*report.Data) ([]int, error), each func(int, []report.Sentence, []*coding.Coding) error) error {
	if _, err := start(o.head); err != nil {
		return err
	}
	return each(0, o.sents, o.codings)
}

func ExampleAnalyse() {
	text := "We never had a debrief. It was humbling."
	cb := &codebook.Codebook{Codes: []*codebook.Code{{ID: "absent_debriefs", Name: "Absent debriefs"}, {ID: "humility", Name: "Humility"}}}
	src := oneSource{
		head: &report.Data{Codebook: cb, Cases: []report.Case{{Name: "P01"}}, Sources: []report.Source{{Name: "P01", Case: 0}}},
		sents: []report.Sentence{
			{Source: 0, Ord: 1, Turn: 1, Speaker: "Dr Marsh", Start: 0, End: 23, Text: text[:23],
				Words: []report.Word{{Start: 0, End: 2}, {Start: 3, End: 8}, {Start: 9, End: 12}, {Start: 13, End: 14}, {Start: 15, End: 22}}},
			{Source: 0, Ord: 2, Turn: 1, Speaker: "Dr Marsh", Start: 24, End: 40, Text: text[24:],
				Words: []report.Word{{Start: 24, End: 26}, {Start: 27, End: 30}, {Start: 31, End: 39}}},
		},
		codings: []*coding.Coding{
			{Source: "P01", Unit: coding.UnitSentence, Ord: 1, Start: 0, End: 23, Code: "absent_debriefs", Coder: "rules", Origin: coding.OriginRules, Text: text[:23]},
			{Source: "P01", Unit: coding.UnitSentence, Ord: 2, Start: 24, End: 40, Code: "humility", Coder: "amina", Origin: coding.OriginManual, Text: text[24:]},
		},
	}
	a, err := report.Analyse(src, "", report.CountOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	t, _ := a.Frequencies(report.FrequencyOptions{})
	fmt.Println(t.Header())
	t.Each(func(row []report.Cell) error {
		fmt.Println(row)
		return nil
	})
	// Output:
	// [code path level includes_sub_codes codings coded_segments sources cases cases_pct words coverage_pct]
	// [absent_debriefs Absent debriefs 1 no 1 1 1 1 100 5 62.5]
	// [humility Humility 1 no 1 1 1 1 100 3 37.5]
}
