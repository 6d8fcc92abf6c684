package app

import (
	"io"

	"qcode"
	"qcode/coding/report"
	"qcode/export"
)

// WriteTable writes a report's table to w as CSV or as JSON (an array of
// objects, one a row), for a front end that hands tables on to programs.
func WriteTable(w io.Writer, t *report.Table, format string) error {
	switch format {
	case "csv":
		return export.WriteTableCSV(w, t)
	case "json":
		return export.WriteTableJSON(w, t)
	}
	return qcode.FieldError("format", format, "no such table format", "csv", "json")
}

// WriteRowsCSV writes rows of text as CSV, a cell a spreadsheet would run
// as a formula guarded, as every CSV file qcode writes is.
func WriteRowsCSV(w io.Writer, rows [][]string) error { return export.WriteRowsCSV(w, rows) }
