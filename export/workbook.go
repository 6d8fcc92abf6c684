package export

import (
	"context"

	"qcode/coding/report"
)

// Workbook returns the sheets of the results workbook: the report's tables
// in order, with the Codebook's colours as swatches, a bar chart of the
// top-level themes below Frequencies (coded segments, rolled up, in each
// theme's colour), colour scales on the matrices, and the first column
// kept in view where rows are long.
func Workbook(w *report.Workbook) []Sheet {
	colors := map[string]string{}
	if cb := w.Codebook; cb != nil {
		code, color := cb.Column("code"), cb.Column("color")
		cb.Each(func(row []report.Cell) error {
			colors[row[code].Text] = row[color].Text
			return nil
		})
	}
	var sheets []Sheet
	for _, t := range w.Tables() {
		s := Sheet{Table: t}
		switch t {
		case w.About:
			s.NoFilter = true
		case w.Codebook:
			s.Swatch = "color"
			s.FreezeCols = 1
		case w.Frequencies:
			s.FreezeCols = 1
			s.Chart = themesChart(t, colors)
		case w.Segments:
			s.FreezeCols = 1
		case w.Framework:
			s.FreezeCols = 1
			if rows := w.FrameworkQuoteRows; rows != nil && w.FrameworkQuotes != nil {
				// A case's cell links to its first quote. The themes' cells
				// link to nothing: LibreOffice shows a linked cell on one
				// line, however it is set to wrap.
				s.LinkTo = w.FrameworkQuotes
				s.Links = func(r, c int) int {
					first := -1
					if r < len(rows) && c == 0 {
						for _, k := range rows[r] {
							if k >= 0 && (first < 0 || k < first) {
								first = k
							}
						}
					}
					return first
				}
			}
		case w.Memos, w.FrameworkQuotes:
			// A row per memo or quote: the header row frozen and
			// filtered, as every sheet's, is all it needs.
		case w.Codings:
			// On paper, the list of quotes: who said what, coded how, by
			// whom; the columns for re-import and pivots stay on screen.
			s.PrintCols = t.Column("origin") + 1
		default: // the matrices and co-occurrence
			s.Heatmap = true
			s.FreezeCols = 1
		}
		sheets = append(sheets, s)
	}
	return sheets
}

// themesChart charts the top-level codes of a Frequencies table by their
// coded segments, rolled up.
func themesChart(t *report.Table, colors map[string]string) *BarChart {
	level, code, value := t.Column("level"), t.Column("code"), t.Column(report.ColCodedSegments)
	if level < 0 || code < 0 || value < 0 {
		return nil
	}
	c := &BarChart{Title: "Coded segments per theme", Label: t.Column("path"), Value: value}
	i := 0
	t.Each(func(row []report.Cell) error {
		if row[level].Kind == report.Int && row[level].Num == 1 {
			c.Rows = append(c.Rows, i)
			c.Colors = append(c.Colors, colors[row[code].Text])
		}
		i++
		return nil
	})
	return c
}

// WriteWorkbook writes the results workbook to path (see Workbook and
// WriteXLSX), stopping when ctx is done.
func WriteWorkbook(ctx context.Context, path string, w *report.Workbook) error {
	return WriteXLSX(ctx, path, Workbook(w))
}
