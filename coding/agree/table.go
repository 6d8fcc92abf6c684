package agree

// This file is the table adapter: reliability data kept in a spreadsheet.

import (
	"fmt"
	"strings"

	"qcode"
	"qcode/table"
)

// ReadTable reads reliability data from a table (CSV, TSV or XLSX, read by
// table.Read): a header row, then one row per unit. The first column holds
// the unit's id; every other column holds one coder's values and is headed
// by the coder's name. An empty cell is a missing value. Values that are
// all numbers are read as numbers; otherwise every value is a category,
// which nominal statistics accept and interval, ratio and ordinal alpha
// refuse, naming the first such cell. Blank rows are skipped.
//
// Bad input gives one line naming the file, line and column (a workbook's
// cell): besides what table.Read refuses, no coder columns and an empty or
// repeated unit id.
func ReadTable(path string, data []byte) (*Data, error) {
	tab, err := table.Read(path, data, table.Options{Layout: "a header row (unit, then one column per coder) and one row per unit"})
	if err != nil {
		return nil, err
	}
	if len(tab.Header) < 2 {
		return nil, tableErr(fmt.Sprintf("%s:%d", path, tab.Line), "no coder columns; after the unit column, give each coder a column headed with their name")
	}
	lines := "lines"
	if tab.Format == "xlsx" {
		lines = "rows"
	}
	units := make([]string, len(tab.Rows))
	values := make([][]string, len(tab.Rows))
	seen := map[string]int{} // unit id → its line
	for u := range tab.Rows {
		r := &tab.Rows[u]
		id := strings.TrimSpace(r.Cells[0])
		if id == "" {
			return nil, tableErr(tab.Where(r, 0), "empty unit id; give every row an id in the first column")
		}
		if prev, dup := seen[id]; dup {
			return nil, tableErr(tab.Where(r, 0), "%s %d and %d both have unit %s; unit ids must be unique", lines, prev, r.Line, id)
		}
		seen[id] = r.Line
		units[u], values[u] = id, r.Cells[1:]
	}
	if len(units) == 0 {
		return nil, tableErr(path, "no rows after the header; add one row per unit: its id, then each coder's value")
	}
	src := &source{tab: tab, cols: make([]int, len(tab.Header)-1)}
	for c := range src.cols {
		src.cols[c] = c + 1
	}
	return fromStrings(tab.Header[1:], units, values, nil, src)
}

// tableErr formats a message as where: msg.
func tableErr(where, format string, args ...any) error {
	return qcode.Errorf(qcode.EINVALID, "%s: %s", where, fmt.Sprintf(format, args...))
}
