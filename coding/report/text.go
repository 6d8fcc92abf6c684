package report

import (
	"fmt"
	"strconv"
)

// Strings returns the table's header and rows as text. For people (a
// terminal, a page) figures have three decimals, counts thousands
// separators and a figure that cannot be computed shows as –; for
// programs figures keep their full precision and an empty cell stays
// empty.
func (t *Table) Strings(forPeople bool) [][]string {
	rows := [][]string{t.Header()}
	t.Each(func(row []Cell) error {
		r := make([]string, len(row))
		for i, c := range row {
			switch {
			case t.Columns[i].Kind == Float:
				r[i] = Figure(c.Num, c.Kind != Float, forPeople)
			case c.Kind == Int:
				r[i] = Count(int64(c.Num), forPeople)
			default:
				r[i] = c.String()
			}
		}
		rows = append(rows, r)
		return nil
	})
	return rows
}

// Figure formats a statistic: for people to three decimals, undefined as
// –; for programs in full precision, undefined as "".
func Figure(v float64, undefined, forPeople bool) string {
	switch {
	case undefined && forPeople:
		return "–"
	case undefined:
		return ""
	case forPeople:
		return strconv.FormatFloat(v, 'f', 3, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Count formats a count, with thousands separators for people.
func Count(n int64, forPeople bool) string {
	if forPeople {
		return Thousands(int(n))
	}
	return strconv.FormatInt(n, 10)
}

// Thousands formats n with thousands separators: 12,345.
func Thousands(n int) string {
	if n < 0 {
		return "-" + Thousands(-n)
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
