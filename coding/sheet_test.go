package coding_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"qcode/app"
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
			if !reflect.DeepEqual(got.Codings, want) || got.Rules != 0 {
				t.Errorf("read\n %+v\nwant\n %+v", got, want)
			}
		})
	}
}

// qcode's own codings.csv reads back as written: its coder and created_at
// columns are the codings', the columns that describe a coding (text,
// negated, codebook_hash, cat1…, a 0/1 attribute of the case) are left
// alone, and the rules' rows are counted and skipped.
func TestReadSheetOwnCodings(t *testing.T) {
	codes := []string{"humility", "cost"}
	data := "source,case,urban,speaker,time_start,time_end,segment,start,end,text,code,cat1,cat2,coder,origin,matched,negated,memo,codebook_hash,created_at\n" +
		"P01,P01,1,Dr Marsh,,,P01:s3,120,188,It was humbling.,humility,Attitudes,Humility,amina,manual,,,'=first,,2026-03-14T09:30:00Z\n" +
		"P01,P01,1,Dr Marsh,,,P01:s3,120,188,It was humbling.,humility,Attitudes,Humility,rules,rules,humbling,0,,3f2a9c1b7d0e,2026-03-14T09:31:00Z\n" +
		"P02,P02,0,Nurse,,,P02:40-52,40,52,the fees,cost,Money,,,import,,,,,2026-03-15 10:00\n"
	got, err := coding.ReadSheet("codings.csv", []byte(data), codes)
	if err != nil {
		t.Fatal(err)
	}
	want := []coding.SheetCoding{
		{Line: 2, Ref: coding.Ref{Source: "P01", Unit: coding.UnitSentence, Ord: 3}, Code: "humility", Memo: "=first", Coder: "amina", CreatedAt: time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)},
		{Line: 4, Ref: coding.Ref{Source: "P02", Unit: coding.UnitSpan, Start: 40, End: 52}, Code: "cost", CreatedAt: time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC)},
	}
	if !reflect.DeepEqual(got.Codings, want) || got.Rules != 1 {
		t.Errorf("read\n %+v (%d rules rows)\nwant\n %+v (1)", got.Codings, got.Rules, want)
	}
	for _, tt := range []struct{ data, err string }{
		{"segment,code,coder\nP01:s3,humility,\"amina\tx\"\n", "own.csv:2: coder: the name \"amina\\tx\" holds control characters"},
		{"segment,code,created_at\nP01:s3,humility,last week\n", "own.csv:2: created_at \"last week\" is not a time"},
		{"segment,urban,negated\nP01:s3,1,0\n", "own.csv:1: column \"urban\" holds 0/1 values like a code column"},
	} {
		_, err := coding.ReadSheet("own.csv", []byte(tt.data), codes)
		if err == nil || !strings.Contains(app.Phrase(err, nil), tt.err) {
			t.Errorf("%q: err = %v, want %q", tt.data, err, tt.err)
		}
	}
}
