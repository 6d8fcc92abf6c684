// Package tabletest writes one table the ways spreadsheets save it, for
// tests that a reader of tables reads them all alike.
package tabletest

import (
	"bytes"
	"encoding/csv"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// Variant is one way of saving a table.
type Variant struct {
	Name string // how it was saved, for test names
	Path string // a file name whose extension says the format
	Data []byte
}

// Variants returns rows (the header first) saved as Excel and its users
// save tables: comma-separated UTF-8; the same with a byte order mark and
// CRLF ("CSV UTF-8"); semicolon-separated UTF-8; tab-separated UTF-8 (.tsv);
// UTF-16 LE with a byte order mark, tab-separated with CRLF ("Unicode
// Text", .txt); semicolon-separated Windows-1252 ("CSV" where the decimal
// mark is a comma); and a workbook (.xlsx). name is the files' base name.
// Every text must be one Windows-1252 can encode.
func Variants(tb testing.TB, name string, rows [][]string) []Variant {
	tb.Helper()
	utf16le := func(s string) []byte {
		b := []byte{0xFF, 0xFE}
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return b
	}
	cp1252, err := charmap.Windows1252.NewEncoder().String(delimited(tb, rows, ';', true))
	if err != nil {
		tb.Fatalf("tabletest: the table holds text Windows-1252 cannot encode: %v", err)
	}
	return []Variant{
		{"comma UTF-8", name + ".csv", []byte(delimited(tb, rows, ',', false))},
		{"comma UTF-8 BOM CRLF", name + ".csv", []byte("\uFEFF" + delimited(tb, rows, ',', true))},
		{"semicolon UTF-8", name + ".csv", []byte(delimited(tb, rows, ';', false))},
		{"tab UTF-8", name + ".tsv", []byte(delimited(tb, rows, '\t', false))},
		{"tab UTF-16LE BOM CRLF", name + ".txt", utf16le(delimited(tb, rows, '\t', true))},
		{"semicolon Windows-1252", name + ".csv", []byte(cp1252)},
		{"workbook", name + ".xlsx", workbook(tb, rows)},
	}
}

func delimited(tb testing.TB, rows [][]string, comma rune, crlf bool) string {
	tb.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma, w.UseCRLF = comma, crlf
	if err := w.WriteAll(rows); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

// workbook writes rows to the first sheet of a workbook, every cell as text.
func workbook(tb testing.TB, rows [][]string) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, c := range r {
			cells[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &cells); err != nil {
			tb.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}
