package export_test

import (
	"os"

	"qcode/coding/report"
	"qcode/export"
)

func ExampleWriteTableCSV() {
	t := report.NewTable("Codings", report.Column{Name: "segment"}, report.Column{Name: "words", Kind: report.Int}, report.Column{Name: "text"})
	t.Add(report.T("P03:s41"), report.I(9), report.T("We never had a debrief, not a formal one."))
	t.Add(report.T("P03:s42"), report.I(4), report.T("=SUM(A1:A3) was it."))
	export.WriteTableCSV(os.Stdout, t)
	// Output:
	// segment,words,text
	// P03:s41,9,"We never had a debrief, not a formal one."
	// P03:s42,4,'=SUM(A1:A3) was it.
}
