package agree

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"qcode"
	"qcode/table"
)

// Missing marks a value a coder did not give. It is NaN, so test for it with
// IsMissing, never with ==.
var Missing = math.NaN()

// IsMissing reports whether v is Missing.
func IsMissing(v float64) bool { return v != v }

// Data is reliability data: Values[u][c] is coder c's value for unit u, or
// Missing where the coder gave none.
//
// A value is a number, or, when Labels is set, a category: the index of its
// label in Labels (0, 1, …). Nominal statistics only ask whether two values
// are equal, so any numbers will do as category codes; ordinal alpha ranks
// categories in the order of Labels, so list them from lowest to highest.
type Data struct {
	Coders []string    // one name per column of Values
	Units  []string    // one id per row of Values; may be nil
	Values [][]float64 // Values[u][c]
	Labels []string    // the categories, when values are indexes into it

	// unordered says the order of Labels was guessed (first appearance),
	// so ordinal alpha must refuse it.
	unordered bool
	src       *source
}

// source is where each value was read from, for messages: unit u's value
// of coder c is the cell of row u in column cols[c] of tab.
type source struct {
	tab  *table.Table
	cols []int
}

// FromStrings builds Data from text values: values[u][c] is coder c's value
// for unit u, and an empty (or blank) string is missing.
//
// With order nil, values that are all numbers are kept as numbers; otherwise
// every value is a category, with Labels in order of first appearance (unit
// by unit, coder by coder), and ordinal alpha refuses them because that
// order means nothing. With order given, the categories are exactly order,
// lowest first, and every value must be one of them.
func FromStrings(coders, units []string, values [][]string, order []string) (*Data, error) {
	return fromStrings(coders, units, values, order, nil)
}

func fromStrings(coders, units []string, values [][]string, order []string, src *source) (*Data, error) {
	d := &Data{Coders: coders, Units: units, src: src}
	for i, name := range coders {
		for _, prev := range coders[:i] {
			if prev == name {
				return nil, qcode.Errorf(qcode.EINVALID, "coder %q is named twice; give each coder one column", name)
			}
		}
	}
	if units != nil && len(units) != len(values) {
		return nil, qcode.Errorf(qcode.EINVALID, "%d unit ids for %d rows of values; give one id per unit", len(units), len(values))
	}
	for u, row := range values {
		if len(row) != len(coders) {
			return nil, qcode.Errorf(qcode.EINVALID, "%s has %d values but there are %d coders; give one value per coder, empty where there is none", d.unitName(u), len(row), len(coders))
		}
	}
	d.Values = make([][]float64, len(values))
	flat := make([]float64, len(values)*len(coders))
	for u := range values {
		d.Values[u] = flat[u*len(coders) : (u+1)*len(coders) : (u+1)*len(coders)]
	}

	if order != nil {
		index := make(map[string]int, len(order))
		for i, o := range order {
			o = strings.TrimSpace(o)
			if o == "" {
				return nil, qcode.Errorf(qcode.EINVALID, "category %d of the order is empty; an empty value means missing, so leave it out of the order", i+1)
			}
			if j, dup := index[o]; dup {
				return nil, qcode.Errorf(qcode.EINVALID, "category %q is in the order twice (%d and %d); list each category once", o, j+1, i+1)
			}
			index[o] = i
		}
		d.Labels = make([]string, len(order))
		for i, o := range order {
			d.Labels[i] = strings.TrimSpace(o)
		}
		err := d.fill(values, func(u, c int, s string) (float64, error) {
			i, ok := index[s]
			if !ok {
				return 0, qcode.Errorf(qcode.EINVALID, "%s%q is not one of the categories (%s); correct the value or add it to the order", d.where(u, c), s, strings.Join(d.Labels, ", "))
			}
			return float64(i), nil
		})
		if err != nil {
			return nil, err
		}
		return d, nil
	}

	err := d.fill(values, func(_, _ int, s string) (float64, error) {
		if v, ok := parseNumber(s); ok {
			return v, nil
		}
		return 0, errNotNumber
	})
	if err == nil {
		return d, nil
	}
	index := map[string]int{}
	d.unordered = true
	d.fill(values, func(_, _ int, s string) (float64, error) {
		i, ok := index[s]
		if !ok {
			i = len(d.Labels)
			index[s] = i
			d.Labels = append(d.Labels, s)
		}
		return float64(i), nil
	})
	return d, nil
}

// errNotNumber stops fill at the first value that is not a number.
var errNotNumber = errors.New("not a number")

// fill sets d.Values from values: Missing where a value is blank, else
// what parse returns for the trimmed value. It stops at parse's first
// error and returns it.
func (d *Data) fill(values [][]string, parse func(u, c int, s string) (float64, error)) error {
	for u, row := range values {
		for c, s := range row {
			s = strings.TrimSpace(s)
			if s == "" {
				d.Values[u][c] = Missing
				continue
			}
			v, err := parse(u, c, s)
			if err != nil {
				return err
			}
			d.Values[u][c] = v
		}
	}
	return nil
}

// parseNumber reads a finite number. "NaN" and "Inf" are not numbers here:
// they are text a coder wrote.
func parseNumber(s string) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// Select returns the data of the named coders only, in the order named: to
// compare two of several coders with Cohen's kappa, say.
func (d *Data) Select(coders ...string) (*Data, error) {
	if _, err := d.shape(); err != nil {
		return nil, err
	}
	cols := make([]int, len(coders))
	for i, name := range coders {
		cols[i] = -1
		for c, have := range d.Coders {
			if have == name {
				cols[i] = c
				break
			}
		}
		if cols[i] < 0 {
			return nil, qcode.FieldError("coders", name, "no such coder in the data", d.Coders...)
		}
		for j := range i {
			if cols[j] == cols[i] {
				return nil, qcode.Errorf(qcode.EINVALID, "coder %q is named twice; name each coder once", name)
			}
		}
	}
	out := &Data{Coders: append([]string(nil), coders...), Units: d.Units, Labels: d.Labels, unordered: d.unordered}
	out.Values = make([][]float64, len(d.Values))
	flat := make([]float64, len(d.Values)*len(cols))
	for u, row := range d.Values {
		out.Values[u] = flat[u*len(cols) : (u+1)*len(cols) : (u+1)*len(cols)]
		for i, c := range cols {
			out.Values[u][i] = row[c]
		}
	}
	if d.src != nil && len(d.src.cols) == len(d.Coders) {
		src := &source{tab: d.src.tab, cols: make([]int, len(cols))}
		for i, c := range cols {
			src.cols[i] = d.src.cols[c]
		}
		out.src = src
	}
	return out, nil
}

// shape checks that d is well formed: one row per unit id, one value per
// coder in every row, every value finite or Missing, and every category a
// valid index into Labels. It returns the number of coders.
func (d *Data) shape() (coders int, err error) {
	if d == nil {
		return 0, qcode.Errorf(qcode.EINVALID, "no reliability data; give a table of units by coders")
	}
	if d.Units != nil && len(d.Units) != len(d.Values) {
		return 0, qcode.Errorf(qcode.EINVALID, "%d unit ids for %d rows of values; give one id per unit", len(d.Units), len(d.Values))
	}
	coders = len(d.Coders)
	if d.Coders == nil && len(d.Values) > 0 {
		coders = len(d.Values[0])
	}
	for u, row := range d.Values {
		if len(row) != coders {
			return 0, qcode.Errorf(qcode.EINVALID, "%s has %d values but there are %d coders; give one value per coder, Missing where there is none", d.unitName(u), len(row), coders)
		}
		for c, v := range row {
			switch {
			case IsMissing(v):
			case math.IsInf(v, 0):
				return 0, qcode.Errorf(qcode.EINVALID, "%sthe value is infinite; give a finite number or Missing", d.where(u, c))
			case d.Labels != nil && (v != math.Trunc(v) || v < 0 || v >= float64(len(d.Labels))):
				return 0, qcode.Errorf(qcode.EINVALID, "%sthe value %g is not a category: with Labels, a value is the index of its label, 0 to %d", d.where(u, c), v, len(d.Labels)-1)
			}
		}
	}
	return coders, nil
}

// checkLevel reports why d's values cannot be measured at level: text
// categories have no distances (interval, ratio) and, in an order guessed
// from first appearance, no ranks (ordinal); ratio values must not be
// negative.
func (d *Data) checkLevel(level Level) error {
	switch level {
	case Nominal:
		return nil
	case Ordinal:
		if d.Labels == nil || !d.unordered {
			return nil
		}
	case Interval, Ratio:
		if d.Labels == nil {
			if level == Interval {
				return nil
			}
			for u, row := range d.Values {
				for c, v := range row {
					if v < 0 {
						return qcode.Errorf(qcode.EINVALID, "%sthe value %g is negative, but ratio alpha needs values of 0 or more; correct it, or say the level is interval", d.where(u, c), v)
					}
				}
			}
			return nil
		}
	default:
		return qcode.Errorf(qcode.EINVALID, "unknown level %d; say nominal, ordinal, interval or ratio", int(level))
	}
	for u, row := range d.Values {
		for c, v := range row {
			if IsMissing(v) {
				continue
			}
			if level == Ordinal {
				return qcode.Errorf(qcode.EINVALID, "%s%q is not a number, and ordinal alpha needs the categories' order; write them as numbers (1 for the lowest), or say the level is nominal", d.where(u, c), d.Labels[int(v)])
			}
			return qcode.Errorf(qcode.EINVALID, "%s%q is not a number, but %s alpha needs numbers; write numbers, or say the level is nominal", d.where(u, c), d.Labels[int(v)], level)
		}
	}
	return nil
}

// where names a cell for a message, with a trailing ": ": its file, line
// and column when it was read from a file, else its unit and coder.
func (d *Data) where(u, c int) string {
	if d.src != nil && u < len(d.src.tab.Rows) && c < len(d.src.cols) {
		return fmt.Sprintf("%s: %s, coder %s: ", d.src.tab.Where(&d.src.tab.Rows[u], d.src.cols[c]), d.unitName(u), d.coderName(c))
	}
	return fmt.Sprintf("%s, coder %s: ", d.unitName(u), d.coderName(c))
}

func (d *Data) unitName(u int) string {
	if u < len(d.Units) && d.Units[u] != "" {
		return "unit " + d.Units[u]
	}
	return fmt.Sprintf("unit %d", u+1)
}

func (d *Data) coderName(c int) string {
	if c < len(d.Coders) && d.Coders[c] != "" {
		return d.Coders[c]
	}
	return strconv.Itoa(c + 1)
}
