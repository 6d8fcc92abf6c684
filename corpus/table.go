package corpus

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
)

// TableRow is one data row of a CSV or XLSX table with its line (CSV) or row
// number (XLSX), for messages.
type TableRow struct {
	Line  int
	Cells []string
}

// readTable reads a CSV (after Decode) or the first non-blank sheet of an XLSX file
// into its header and data rows, skipping rows with no value at all. Every
// row must have as many cells as the header (XLSX rows are padded).
func ReadTable(path string, data []byte) (header []string, rows []TableRow, err error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, inputErr(path, 0, "file is empty; a table needs a header row and rows below it")
	}
	if strings.EqualFold(filepath.Ext(path), ".xlsx") || bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return readXLSXTable(path, data)
	}
	text, err := Decode(path, data)
	if err != nil {
		return nil, nil, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	first := true
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, nil, inputErr(path, pe.Line, "%v; check the quotes on that line", pe.Err)
			}
			return nil, nil, inputErr(path, 0, "%v", err)
		}
		line, _ := r.FieldPos(0)
		if first {
			header = trimAll(rec)
			first = false
			continue
		}
		if blankRow(rec) {
			continue
		}
		if len(rec) != len(header) {
			return nil, nil, inputErr(path, line, "row has %d cells but the header has %d columns; check for a missing or extra comma", len(rec), len(header))
		}
		rows = append(rows, TableRow{Line: line, Cells: rec})
	}
	return header, rows, checkHeader(path, header)
}

// readXLSXTable reads the header and rows of the first sheet that holds any
// value: exports often put a cover or instructions sheet first and leave it
// empty. It asks excelize for ISO dates, so a date cell in the regional short
// format (which excelize would print mm-dd-yy) reads as YYYY-MM-DD.
func readXLSXTable(path string, data []byte) ([]string, []TableRow, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    256 << 20,
		UnzipXMLSizeLimit: 64 << 20,
		ShortDatePattern:  "yyyy-mm-dd",
	})
	if err != nil {
		return nil, nil, inputErr(path, 0, "not a readable Excel workbook (%v); save it again as .xlsx", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	for _, sheet := range sheets {
		header, rows, err := readSheet(path, f, sheet)
		if err != nil {
			return nil, nil, err
		}
		if header != nil {
			return header, rows, checkHeader(path, header)
		}
	}
	return nil, nil, inputErr(path, 0, "workbook has no sheet with any value in it")
}

// readSheet reads one sheet's header (its first non-blank row) and data
// rows; header is nil when the sheet is blank.
func readSheet(path string, f *excelize.File, sheet string) (header []string, rows []TableRow, err error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, nil, inputErr(path, 0, "sheet %q: %v", sheet, err)
	}
	defer it.Close()
	// The iterator yields blank rows for the gaps in a sheet, so n is the
	// row number Excel shows.
	for n := 1; it.Next(); n++ {
		cells, err := it.Columns()
		if err != nil {
			return nil, nil, inputErr(path, n, "sheet %q row %d: %v", sheet, n, err)
		}
		if blankRow(cells) {
			continue
		}
		if header == nil {
			header = trimAll(cells)
			for i := range header {
				header[i] = Clean(header[i])
			}
			continue
		}
		if len(cells) > len(header) {
			if !blankRow(cells[len(header):]) {
				return nil, nil, inputErr(path, n, "sheet %q row %d has values beyond the header's %d columns; give those columns a header", sheet, n, len(header))
			}
			cells = cells[:len(header)]
		}
		for len(cells) < len(header) {
			cells = append(cells, "")
		}
		for i := range cells {
			cells[i] = Clean(cells[i])
		}
		rows = append(rows, TableRow{Line: n, Cells: cells})
	}
	if err := it.Error(); err != nil {
		return nil, nil, inputErr(path, 0, "sheet %q: %v", sheet, err)
	}
	return header, rows, nil
}

func checkHeader(path string, header []string) error {
	if len(header) == 0 {
		return inputErr(path, 1, "no header row; the first row must name the columns")
	}
	seen := map[string]bool{}
	for i, h := range header {
		if h == "" {
			return inputErr(path, 1, "column %d has no name; name every column in the header row", i+1)
		}
		if seen[h] {
			return inputErr(path, 1, "two columns are named %q; column names must be unique", h)
		}
		seen[h] = true
	}
	return nil
}

func trimAll(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.TrimSpace(c)
	}
	return out
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// ReadAttributes reads a table of case attributes (CSV or XLSX): the first
// column names the case, every other column is an attribute whose type comes
// from its header ("years:number") or is inferred from its values. Values
// are checked and normalised; an empty cell means no value.
func ReadAttributes(path string, data []byte) (*AttributeTable, error) {
	header, rows, err := ReadTable(path, data)
	if err != nil {
		return nil, err
	}
	if len(header) < 2 {
		return nil, inputErr(path, 1, "needs a case column and at least one attribute column, e.g. \"case,role,country\"")
	}
	if len(rows) == 0 {
		return nil, inputErr(path, 0, "has a header but no rows; add one row per case")
	}
	t := &AttributeTable{Path: path}
	seen := map[string]int{}
	for _, r := range rows {
		name := strings.TrimSpace(r.Cells[0])
		if name == "" {
			return nil, inputErr(path, r.Line, "empty %s; every row must name its case in the first column", header[0])
		}
		if prev, ok := seen[name]; ok {
			return nil, inputErr(path, r.Line, "case %s is listed twice (lines %d and %d); keep one row per case", name, prev, r.Line)
		}
		seen[name] = r.Line
		t.Rows = append(t.Rows, AttributeRow{Case: name, Line: r.Line, Values: make([]string, len(header)-1)})
	}
	for c := 1; c < len(header); c++ {
		name, typ, typed := ParseTypedHeader(header[c])
		values := make([]string, len(rows))
		for i, r := range rows {
			values[i] = strings.TrimSpace(r.Cells[c])
		}
		if !typed {
			typ, err = InferType(values)
			if err != nil {
				var te *TypeError
				if errors.As(err, &te) {
					return nil, inputErr(path, rows[te.Index].Line, "column %s: %v", name, err)
				}
				return nil, inputErr(path, 0, "column %s: %v", name, err)
			}
		}
		t.Columns = append(t.Columns, AttributeColumn{Name: name, Type: typ})
		for i, v := range values {
			if v == "" {
				continue
			}
			norm, err := NormalizeValue(typ, v)
			if err != nil {
				return nil, inputErr(path, rows[i].Line, "column %s: %v", header[c], err)
			}
			t.Rows[i].Values[c-1] = norm
		}
	}
	return t, nil
}
