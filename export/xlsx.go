package export

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"
)

// MaxCellChars is the most characters Excel keeps in one cell.
const MaxCellChars = 32767

// Sheet is one table of a workbook.
type Sheet struct {
	Name   string
	Header []string
	Widths []float64 // column widths in characters; 0 picks a default
	Wrap   []bool    // columns whose text wraps
	Rows   [][]any   // string, int, float64 or bool cells
}

// WriteXLSX writes sheets to path as one workbook, streaming rows so large
// tables stay small in memory. Headers are bold and frozen, with an
// autofilter. The file is written to a temporary name and renamed into
// place, so a failure leaves no half-written workbook.
func WriteXLSX(path string, sheets []Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(s.Name)
		if err != nil {
			return err
		}
		for c := range s.Header {
			w := 14.0
			if c < len(s.Widths) && s.Widths[c] > 0 {
				w = s.Widths[c]
			}
			if err := sw.SetColWidth(c+1, c+1, w); err != nil {
				return err
			}
		}
		// Panes and the autofilter must be set before Flush: after it
		// excelize drops them without a word.
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		last, _ := excelize.CoordinatesToCellName(max(len(s.Header), 1), len(s.Rows)+1)
		if err := f.AutoFilter(s.Name, "A1:"+last, nil); err != nil {
			return err
		}
		head := make([]any, len(s.Header))
		for c, h := range s.Header {
			head[c] = excelize.Cell{StyleID: bold, Value: h}
		}
		if err := sw.SetRow("A1", head); err != nil {
			return err
		}
		for r, row := range s.Rows {
			cells := make([]any, len(row))
			for c, v := range row {
				if str, ok := v.(string); ok && len(str) > MaxCellChars {
					v = clip(str)
				}
				if c < len(s.Wrap) && s.Wrap[c] {
					cells[c] = excelize.Cell{StyleID: wrap, Value: v}
				} else {
					cells[c] = v
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := sw.SetRow(cell, cells); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".qcode-*.xlsx")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	tmpName := tmp.Name()
	if _, err := f.WriteTo(tmp); err != nil {
		tmp.Close()
		os.Remove(tmpName)
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmpName)
		return err
	}
	return os.Rename(tmpName, path)
}

// clip cuts a string to what a cell holds, on a rune boundary, marking the cut.
func clip(s string) string {
	r := []rune(s)
	if len(r) <= MaxCellChars {
		return s
	}
	return string(r[:MaxCellChars-1]) + "…"
}
