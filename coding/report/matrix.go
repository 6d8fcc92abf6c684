package report

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"qcode"
	"qcode/corpus"
)

// MatrixOptions choose a matrix's columns and what its cells count.
type MatrixOptions struct {
	// By is what the columns are: "source", "case" or "attr:NAME" (one
	// column per value of the case attribute NAME).
	By string
	// Count is what a cell counts: codings, segments (the default),
	// sources, cases or words; see Frequencies.
	Count string
	// Percent adds a percentage column after the counts for each column:
	// "row" divides by the row's total, "column" by the column's.
	Percent string
	// RollUp counts each code with its descendants.
	RollUp bool
}

// NoValue heads the column of cases that lack the attribute a matrix is by.
const NoValue = "(none)"

// TotalRow is the code cell of a matrix's last row, the column totals.
const TotalRow = "total"

// Matrix returns a code × source, code × case or code × attribute table:
// a row per code, a column per source, case or attribute value, and in each
// cell what the code's codings in that column count. The total column
// counts the code's codings in every column; the last row counts the
// codings of every code in the column, as if all were one code (so that a
// segment two codes share counts once). Row percentages divide by the
// total column, column percentages by the last row. The table is named by
// its columns and what its cells count, "Code x role (cases)", its total
// column "total_cases"; where a total is not the sum of what it totals,
// a note in Table.Notes says why.
func (a *Analysis) Matrix(o MatrixOptions) (*Table, error) {
	return a.g.matrix(o, a.matrixCounts)
}

// matrix makes the table Matrix describes, from counts: given each
// source's column (of ncol), the stats of each code row's codings (rolled
// up with rollUp) in each column and, last, in all; then a last row of the
// stats of every coding.
func (a *part) matrix(o MatrixOptions, counts func(colOf []int, ncol int, rollUp bool) [][]stats) (*Table, error) {
	m := measure(o.Count)
	if o.Count == "" {
		m = countSegments
	}
	if !slices.Contains(Measures, string(m)) {
		return nil, qcode.FieldError("count", o.Count, "unknown measure", Measures...)
	}
	switch o.Percent {
	case "", "row", "column":
	default:
		return nil, qcode.FieldError("percent", o.Percent, "cannot take percentages that way", "row", "column")
	}
	name, values, colOf, err := a.matrixColumns(o.By)
	if err != nil {
		return nil, err
	}
	cols := []Column{{Name: "code", Kind: Text, Width: 26}, {Name: "path", Kind: Text, Width: 50}}
	for _, v := range values {
		cols = append(cols, Column{Name: v, Kind: Int, Width: max(8, float64(len(v))+2)})
	}
	cols = append(cols, Column{Name: TotalColumn(o.Count), Kind: Int, Width: 9})
	if o.Percent != "" {
		for _, v := range values {
			cols = append(cols, Column{Name: v + "_pct", Kind: Percent, Width: max(8, float64(len(v))+6)})
		}
	}
	t := NewTable(name+" ("+MeasureLabel(m)+")", cols...)
	t.Heat = &Block{Row0: 0, Row1: len(a.codes), Col0: 2, Col1: 2 + len(values)}
	// A row's last column is its total.
	rows := counts(colOf, len(values), o.RollUp)
	colTotals := rows[len(a.codes)]
	add := func(id, path string, cells []stats) {
		cells, total := cells[:len(values)], cells[len(values)].get(m)
		row := []Cell{T(id), T(path)}
		for _, s := range cells {
			row = append(row, I(s.get(m)))
		}
		row = append(row, I(total))
		for k, s := range cells {
			switch o.Percent {
			case "row":
				row = append(row, P(s.get(m), total))
			case "column":
				row = append(row, P(s.get(m), colTotals[k].get(m)))
			}
		}
		t.Add(row...)
	}
	for r := range a.codes {
		add(a.codes[r].id, a.codes[r].path, rows[r])
	}
	add(TotalRow, "", colTotals)
	t.Notes = matrixNotes(t, m, len(values), o.RollUp)
	return t, nil
}

// MeasureLabel names what a matrix cell counts as its headers say it:
// "codings", "coded segments", "sources", "cases" or "words coded".
func MeasureLabel(m measure) string {
	switch m {
	case countSegments, "":
		return "coded segments"
	case countWords:
		return "words coded"
	}
	return string(m)
}

// unitNoun is one of what m counts: "segment", "case".
func unitNoun(m measure) string {
	switch m {
	case countSegments, "":
		return "segment"
	case countWords:
		return "word"
	}
	return strings.TrimSuffix(string(m), "s")
}

// TotalColumn returns the name of a matrix's total column when its cells
// count what count names (a measure; "" for coded segments): total_ and
// the measure, as total_coded_segments.
func TotalColumn(count string) string {
	return "total_" + strings.ReplaceAll(MeasureLabel(measure(count)), " ", "_")
}

// matrixNotes says why a matrix's totals are not the sums of what they
// total, where they are not: the total row when codes share what it
// counts (or rows roll sub-codes up), the total column when one thing
// falls in two columns (a case with two sources).
func matrixNotes(t *Table, m measure, ncols int, rolled bool) []string {
	body := t.Len() - 1
	what := MeasureLabel(m)
	var notes []string
	colSums := make([]int, ncols+1)
	rowShort := false
	for i := range body {
		row := t.Row(i, nil)
		sum := 0
		for k := range ncols {
			colSums[k] += int(row[2+k].Num)
			sum += int(row[2+k].Num)
		}
		colSums[ncols] += int(row[2+ncols].Num)
		rowShort = rowShort || int(row[2+ncols].Num) != sum
	}
	last := t.Row(body, nil)
	for k := range ncols + 1 {
		if int(last[2+k].Num) != colSums[k] {
			if m == countCodings {
				notes = append(notes, "The total row counts every coding once; a code's row includes its sub-codes' codings, so the rows add up to more than the total.")
				break
			}
			n := "The total row counts the " + what + " of every code together, each once: a " + unitNoun(m) + " with two codes counts once there"
			if rolled {
				n += ", and a code's row includes its sub-codes"
			}
			notes = append(notes, n+", so the total is less than the sum of the rows above.")
			break
		}
	}
	if rowShort {
		notes = append(notes, "The total column counts each "+unitNoun(m)+" once, though it may fall in more than one column, so it can be less than the sum of the row.")
	}
	return notes
}

// matrixColumns returns a matrix's name, its columns' values, and the
// column of each source.
func (a *part) matrixColumns(by string) (string, []string, []int, error) {
	d := a.data
	colOf := make([]int, len(d.Sources))
	switch {
	case by == "" || by == "source":
		values := make([]string, len(d.Sources))
		for i, s := range d.Sources {
			values[i], colOf[i] = s.Name, i
		}
		return "Code x Source", values, colOf, nil
	case by == "case":
		values := make([]string, len(d.Cases))
		for i, c := range d.Cases {
			values[i] = c.Name
		}
		for i, s := range d.Sources {
			colOf[i] = s.Case
		}
		return "Code x Case", values, colOf, nil
	case strings.HasPrefix(by, "attr:"):
		at, err := a.attribute(strings.TrimPrefix(by, "attr:"))
		if err != nil {
			return "", nil, nil, err
		}
		values, caseCol := a.attributeValues(at)
		for i, s := range d.Sources {
			colOf[i] = caseCol[s.Case]
		}
		return "Code x " + d.Attributes[at].Name, values, colOf, nil
	}
	return "", nil, nil, qcode.FieldError("by", by, "cannot make columns of that (attr:NAME takes one of the case attributes)", "source", "case", "attr:NAME")
}

// attributeValues returns the distinct values of attribute at, numbers in
// numeric order and others in text order, with NoValue last when some case
// lacks it, and each case's value as a position in that list.
func (a *part) attributeValues(at int) ([]string, []int) {
	d := a.data
	seen := map[string]bool{}
	none := false
	var values []string
	for _, c := range d.Cases {
		v := c.Values[at]
		if v == "" {
			none = true
		} else if !seen[v] {
			seen[v] = true
			values = append(values, v)
		}
	}
	if d.Attributes[at].Type == corpus.AttrNumber {
		slices.SortFunc(values, func(x, y string) int {
			fx, ex := strconv.ParseFloat(x, 64)
			fy, ey := strconv.ParseFloat(y, 64)
			if ex != nil || ey != nil {
				return strings.Compare(x, y)
			}
			return cmp.Compare(fx, fy)
		})
	} else {
		slices.Sort(values)
	}
	if none {
		values = append(values, NoValue)
	}
	pos := map[string]int{}
	for i, v := range values {
		pos[v] = i
	}
	caseCol := make([]int, len(d.Cases))
	for i, c := range d.Cases {
		v := c.Values[at]
		if v == "" {
			v = NoValue
		}
		caseCol[i] = pos[v]
	}
	return values, caseCol
}
