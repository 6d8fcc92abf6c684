package report

import (
	"qcode"
)

// FrequencyOptions choose the columns and rows of Frequencies.
type FrequencyOptions struct {
	// Own adds, after the counts, the same counts of each code's own
	// codings alone, without its sub-codes, in columns ending OwnSuffix.
	Own bool
	// Split gives a row per code and coder ("coder") or per code and
	// origin ("origin") instead of one per code.
	Split string
}

// Names of the Frequencies columns that count, the same in every format.
const (
	ColCodings       = "codings"
	ColCodedSegments = "coded_segments"
	ColCases         = "cases"
	ColIncludesSub   = "includes_sub_codes"
	OwnSuffix        = "_own"
)

// Frequencies returns a row per code, in codebook order: its level in the
// tree, whether its counts include its sub-codes (includes_sub_codes: yes
// for a code that has sub-codes, whose counts are rolled up, so that a
// theme with no codings of its own shows those of its sub-codes), and the
// number of codings, coded segments (distinct spans), sources and cases,
// the percentage of all cases, the words coded and the percentage of the
// corpus's words they are. A word is coded when a coded span covers any of
// it, and counts once however many codings cover it. With Own the same
// counts follow for the code's own codings alone.
func (a *Analysis) Frequencies(o FrequencyOptions) (*Table, error) {
	if o.Split != a.o.Split {
		return nil, qcode.Errorf(qcode.EINTERNAL, "report: frequencies split by %q of an analysis counted split by %q", o.Split, a.o.Split)
	}
	return a.g.frequencies(o, a.frequencyCounts(o))
}

// frequencies makes the Frequencies table with the stats count gives of
// code row r (its own codings alone with own), a column per split name
// (nil for none).
func (a *part) frequencies(o FrequencyOptions, count func(r int, own bool, split []string) []stats) (*Table, error) {
	var splitNames []string
	switch o.Split {
	case "":
	case "coder":
		splitNames = a.coders
	case "origin":
		for _, o := range a.origins {
			splitNames = append(splitNames, string(o))
		}
	default:
		return nil, qcode.FieldError("split", o.Split, "cannot split the counts by that", "coder", "origin")
	}
	cols := []Column{{Name: "code", Kind: Text, Width: 26}, {Name: "path", Kind: Text, Width: 50}, {Name: "level", Kind: Int, Width: 6}}
	if o.Split != "" {
		cols = append(cols, Column{Name: o.Split, Kind: Text, Width: 12})
	}
	cols = append(cols, Column{Name: ColIncludesSub, Kind: Text, Width: 10})
	measures := func(suffix string) {
		for _, m := range []string{ColCodings, ColCodedSegments, "sources", ColCases} {
			cols = append(cols, Column{Name: m + suffix, Kind: Int, Width: 9})
		}
		cols = append(cols, Column{Name: "cases_pct" + suffix, Kind: Percent, Width: 9},
			Column{Name: "words" + suffix, Kind: Int, Width: 9}, Column{Name: "coverage_pct" + suffix, Kind: Percent, Width: 11})
	}
	measures("")
	if o.Own {
		measures(OwnSuffix)
	}
	t := NewTable("Frequencies", cols...)
	ncases := len(a.data.Cases)
	nsplit := 1
	if o.Split != "" {
		nsplit = len(splitNames)
	}
	for r := range a.codes {
		cr := &a.codes[r]
		sets := [][]stats{count(r, false, splitNames)}
		if o.Own {
			sets = append(sets, count(r, true, splitNames))
		}
		sub := "no"
		if len(cr.children) > 0 {
			sub = "yes"
		}
		for k := range nsplit {
			row := make([]Cell, 0, len(cols))
			row = append(row, T(cr.id), T(cr.path), I(cr.level))
			if o.Split != "" {
				row = append(row, T(splitNames[k]))
			}
			row = append(row, T(sub))
			for _, set := range sets {
				s := set[k]
				row = append(row, I(s.codings), I(s.segments), I(s.sources), I(s.cases), P(s.cases, ncases), I(s.words), P(s.words, a.total))
			}
			t.Add(row...)
		}
	}
	return t, nil
}
