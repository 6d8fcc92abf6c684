package corpus

import (
	"errors"
	"strings"

	"qcode/table"
)

// AttributeTable is a file of case attributes: one row per case (the first
// column names the case or its source), one typed column per attribute.
type AttributeTable struct {
	Path    string
	Columns []AttributeColumn
	Rows    []AttributeRow
	// Encoding is the encoding the file was read as when it is not UTF-8
	// ("Windows-1252"), for the caller that read it to set and show.
	Encoding string
}

// AttributeColumn is one attribute of an AttributeTable.
type AttributeColumn struct {
	Name string
	Type AttrType
}

// AttributeRow is one case's values, in the table's column order, already
// normalised to their type; "" means no value.
type AttributeRow struct {
	Case   string
	Line   int // 1-based line (CSV) or row (XLSX) in the file
	Values []string
}

// ReadAttributes reads a table of case attributes (CSV, TSV or XLSX, read
// by table.Read): the first column names the case, every other column is
// an attribute whose type comes from its header ("years:number") or is
// inferred from its values. Values are checked and normalised; an empty
// cell means no value.
func ReadAttributes(path string, data []byte) (*AttributeTable, error) {
	tab, err := table.Read(path, data, table.Options{Layout: "a header row (case, then one column per attribute) and one row per case"})
	if err != nil {
		return nil, err
	}
	header, rows := tab.Header, tab.Rows
	if len(header) < 2 {
		return nil, inputErr(path, tab.Line, "needs a case column and at least one attribute column, e.g. \"case,role,country\"")
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
