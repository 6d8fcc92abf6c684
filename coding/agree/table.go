package agree

// This file is the CSV adapter: reliability data kept in a spreadsheet.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"qcode"
)

// ReadTable reads reliability data from a CSV file (tab-separated when
// path ends in .tsv): a header row, then one row per unit. The first column
// holds the unit's id; every other column holds one coder's values and is
// headed by the coder's name. An empty cell is a missing value. Values that
// are all numbers are read as numbers; otherwise every value is a category,
// which nominal statistics accept and interval, ratio and ordinal alpha
// refuse, naming the first such cell. Blank rows are skipped.
//
// Bad input gives one line naming the file, line and (byte) column:
// ragged rows, an empty or repeated coder name, no coder columns, an empty
// or repeated unit id.
func ReadTable(path string, data []byte) (*Data, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, tableErr(path, 0, 0, "file is empty; write a header row (unit, then one column per coder) and one row per unit")
	}
	if !utf8.Valid(data) {
		return nil, tableErr(path, 0, 0, "not UTF-8 text; save the file as CSV UTF-8")
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	if strings.EqualFold(filepath.Ext(path), ".tsv") {
		r.Comma = '\t'
	}

	var (
		header []string
		units  []string
		values [][]string
		src    = &source{path: path}
		seen   = map[string]int{} // unit id → its line
	)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, tableErr(path, pe.Line, pe.Column, "%v; check the quotes on that line", pe.Err)
			}
			return nil, tableErr(path, 0, 0, "%v", err)
		}
		line, _ := r.FieldPos(0)
		if header == nil {
			if header, err = readHeader(path, r, rec, line); err != nil {
				return nil, err
			}
			continue
		}
		if blank(rec) {
			continue
		}
		if len(rec) > len(header) {
			_, col := r.FieldPos(len(header))
			return nil, tableErr(path, line, col, "row has %d cells but the header has %d columns (the unit and %d coders); remove the extra cells or name their coders in the header", len(rec), len(header), len(header)-1)
		}
		if len(rec) < len(header) {
			return nil, tableErr(path, line, 0, "row has %d cells but the header has %d columns (the unit and %d coders); give every coder a cell, empty where they gave no value", len(rec), len(header), len(header)-1)
		}
		id := strings.TrimSpace(rec[0])
		if id == "" {
			_, col := r.FieldPos(0)
			return nil, tableErr(path, line, col, "empty unit id; give every row an id in the first column")
		}
		if prev, dup := seen[id]; dup {
			_, col := r.FieldPos(0)
			return nil, tableErr(path, line, col, "lines %d and %d both have unit %s; unit ids must be unique", prev, line, id)
		}
		seen[id] = line
		units = append(units, id)
		values = append(values, rec[1:])
		src.lines = append(src.lines, line)
		for c := 1; c < len(rec); c++ {
			_, col := r.FieldPos(c)
			src.cols = append(src.cols, int32(col))
		}
	}
	if len(units) == 0 {
		return nil, qcode.Errorf(qcode.EINVALID, "%s: no rows after the header; add one row per unit: its id, then each coder's value", path)
	}
	return fromStrings(header[1:], units, values, nil, src)
}

// readHeader checks the header row: a unit column and one uniquely named
// column per coder.
func readHeader(path string, r *csv.Reader, rec []string, line int) ([]string, error) {
	header := make([]string, len(rec))
	for i, h := range rec {
		header[i] = strings.TrimSpace(h)
	}
	if len(header) < 2 {
		hint := ""
		if strings.ContainsAny(header[0], ";\t") {
			hint = " (is it separated by semicolons or tabs? save it with commas, or name it .tsv)"
		}
		return nil, tableErr(path, line, 0, "no coder columns%s; after the unit column, give each coder a column headed with their name", hint)
	}
	first := map[string]int{}
	for c := 1; c < len(header); c++ {
		_, col := r.FieldPos(c)
		name := header[c]
		if name == "" {
			return nil, tableErr(path, line, col, "column %d has no coder name; write the coder's name in the header", c+1)
		}
		if prev, dup := first[name]; dup {
			return nil, tableErr(path, line, col, "coder %q heads columns %d and %d; give each coder one column", name, prev+1, c+1)
		}
		first[name] = c
	}
	return header, nil
}

func blank(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// tableErr formats a message as path:line:col: msg, leaving out a line or
// column of 0.
func tableErr(path string, line, col int, format string, args ...any) error {
	where := path
	if line > 0 {
		where += fmt.Sprintf(":%d", line)
		if col > 0 {
			where += fmt.Sprintf(":%d", col)
		}
	}
	return qcode.Errorf(qcode.EINVALID, "%s: %s", where, fmt.Sprintf(format, args...))
}
