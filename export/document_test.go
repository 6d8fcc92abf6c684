package export

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"qcode/coding/report"
)

// A speaker column's empty cells (a document's paragraphs) say "document"
// in the workbook and in CSV, and stay empty in JSON.
func TestBlankSpeakerSaysDocument(t *testing.T) {
	tb := report.NewTable("Codings", report.Column{Name: "segment"}, report.Column{Name: "speaker", Blank: "document"}, report.Column{Name: "memo"})
	tb.Add(report.T("P01:s4"), report.T("Dr Marsh"), report.T(""))
	tb.Add(report.T("visit-notes:s3"), report.T(""), report.T(""))

	f := workbookOf(t, tb)
	for cell, want := range map[string]string{"B2": "Dr Marsh", "B3": "document", "C3": ""} {
		if v, _ := f.GetCellValue("Codings", cell); v != want {
			t.Errorf("workbook %s = %q, want %q", cell, v, want)
		}
	}

	var csv, js bytes.Buffer
	if err := WriteTableCSV(&csv, tb); err != nil {
		t.Fatal(err)
	}
	if want := "segment,speaker,memo\nP01:s4,Dr Marsh,\nvisit-notes:s3,document,\n"; csv.String() != want {
		t.Errorf("CSV:\n%s\nwant\n%s", csv.String(), want)
	}
	if err := WriteTableJSON(&js, tb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(js.String(), `"segment": "visit-notes:s3",
    "speaker": "",`) {
		t.Errorf("JSON:\n%s", js.String())
	}
}

// workbookOf writes tb as a workbook of one sheet and opens it, closed when
// the test ends.
func workbookOf(t *testing.T, tb *report.Table) *excelize.File {
	t.Helper()
	path := filepath.Join(t.TempDir(), "w.xlsx")
	if err := WriteXLSX(context.Background(), path, []Sheet{{Table: tb}}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
