package coding_test

import (
	"reflect"
	"testing"

	"qcode/coding"
	"qcode/table/tabletest"
)

// TestReadSheetEverySpreadsheet reads one sheet of codings saved every way
// a spreadsheet saves it (comma, semicolon or tab separated; UTF-8, UTF-16
// or Windows-1252; a workbook) and gets the same codings each time.
func TestReadSheetEverySpreadsheet(t *testing.T) {
	rows := [][]string{
		{"segment", "source", "quote", "code", "memo"},
		{"P01:s3", "", "", "humility", "Zoë – “we learned more than we taught”"},
		{"", "P02", "a €2 spacer, made on the ward", "frugal_innovation; humility", "José’s example"},
		{"P03:t4", "P03", "", "cost", "fees of £1,200"},
	}
	codes := []string{"humility", "frugal_innovation", "cost"}
	want := []coding.SheetCoding{
		{Line: 2, Ref: coding.Ref{Source: "P01", Unit: coding.UnitSentence, Ord: 3}, Code: "humility", Memo: "Zoë – “we learned more than we taught”"},
		{Line: 3, Ref: coding.Ref{Source: "P02", Unit: coding.UnitSource}, Quote: "a €2 spacer, made on the ward", Code: "frugal_innovation", Memo: "José’s example"},
		{Line: 3, Ref: coding.Ref{Source: "P02", Unit: coding.UnitSource}, Quote: "a €2 spacer, made on the ward", Code: "humility", Memo: "José’s example"},
		{Line: 4, Ref: coding.Ref{Source: "P03", Unit: coding.UnitTurn, Ord: 4}, Code: "cost", Memo: "fees of £1,200"},
	}
	for _, v := range tabletest.Variants(t, "codings", rows) {
		t.Run(v.Name, func(t *testing.T) {
			got, err := coding.ReadSheet(v.Path, v.Data, codes)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("read\n %+v\nwant\n %+v", got, want)
			}
		})
	}
}
