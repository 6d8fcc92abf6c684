package report

import (
	"qcode"
)

// FrequencyOptions choose the columns and rows of Frequencies.
type FrequencyOptions struct {
	// Alone gives the counts of the code's own codings; RollUp those of
	// the code and all its descendants, in columns named …_rollup. With
	// neither, Alone.
	Alone, RollUp bool
	// Split gives a row per code and coder ("coder") or per code and
	// origin ("origin") instead of one per code.
	Split string
}

// Frequencies returns a row per code, in codebook order: its level in the
// tree, and for its codings the number of codings, coded segments
// (distinct spans), sources and cases, the percentage of all cases, the
// words coded and the percentage of the corpus's words they are. A word is
// coded when a coded span covers any of it, and counts once however many
// codings cover it.
func (a *Analysis) Frequencies(o FrequencyOptions) (*Table, error) {
	if !o.Alone && !o.RollUp {
		o.Alone = true
	}
	var splitNames []string
	var splitKey func(i int32) int
	switch o.Split {
	case "":
	case "coder":
		splitNames = a.coders
		splitKey = func(i int32) int { return int(a.cs[i].coder) }
	case "origin":
		for _, o := range a.origins {
			splitNames = append(splitNames, string(o))
		}
		splitKey = func(i int32) int { return int(a.cs[i].origin) }
	default:
		return nil, qcode.FieldError("split", o.Split, "cannot split the counts by that", "coder", "origin")
	}
	cols := []Column{{Name: "code", Kind: Text, Width: 26}, {Name: "path", Kind: Text, Width: 50}, {Name: "level", Kind: Int, Width: 6}}
	if o.Split != "" {
		cols = append(cols, Column{Name: o.Split, Kind: Text, Width: 12})
	}
	measures := func(suffix string) {
		for _, m := range []string{"codings", "segments", "sources", "cases"} {
			cols = append(cols, Column{Name: m + suffix, Kind: Int, Width: 9})
		}
		cols = append(cols, Column{Name: "cases_pct" + suffix, Kind: Percent, Width: 9},
			Column{Name: "words" + suffix, Kind: Int, Width: 9}, Column{Name: "coverage_pct" + suffix, Kind: Percent, Width: 11})
	}
	if o.Alone {
		measures("")
	}
	if o.RollUp {
		measures("_rollup")
	}
	t := NewTable("Frequencies", cols...)
	ncases := len(a.data.Cases)
	nsplit, key := 1, one
	if o.Split != "" {
		nsplit, key = len(splitNames), splitKey
	}
	for r := range a.codes {
		cr := &a.codes[r]
		var alone, rolled []stats
		if o.Alone {
			alone = a.tally(a.list(r, false), nsplit, key, false)
		}
		if o.RollUp {
			rolled = a.tally(a.list(r, true), nsplit, key, false)
		}
		for k := range nsplit {
			row := []Cell{T(cr.id), T(cr.path), I(cr.level)}
			if o.Split != "" {
				row = append(row, T(splitNames[k]))
			}
			for _, set := range [][]stats{alone, rolled} {
				if set == nil {
					continue
				}
				s := set[k]
				row = append(row, I(s.codings), I(s.segments), I(s.sources), I(s.cases), P(s.cases, ncases), I(s.words), P(s.words, a.total))
			}
			t.Add(row...)
		}
	}
	return t, nil
}
