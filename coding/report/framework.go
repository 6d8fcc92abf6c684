package report

import (
	"strconv"
	"strings"

	"qcode/corpus"
)

// FrameworkOptions choose the Framework matrix's themes and attributes.
type FrameworkOptions struct {
	Themes []string // code ids; nil for the codebook's top-level codes
	Attrs  []string // attributes shown for each case; nil for every one
}

// SummarySuffix ends the name of each theme's summary column.
const SummarySuffix = ": summary"

// Framework returns the Framework Method matrix: a row per case with its
// attributes, and per theme a column of the case's coded excerpts (the
// theme's codings and its descendants', each "[P03:s41, Speaker] text", a
// passage inside another coded one shown once) and an empty column for the
// team's summary.
func (a *Analysis) Framework(o FrameworkOptions) (*Table, error) {
	var themes []int
	if o.Themes == nil {
		for r := range a.codes {
			if a.codes[r].level == 1 {
				themes = append(themes, r)
			}
		}
	}
	for _, id := range o.Themes {
		r, err := a.codeRowOf(id)
		if err != nil {
			return nil, err
		}
		themes = append(themes, r)
	}
	attrs, err := a.attrList(o.Attrs)
	if err != nil {
		return nil, err
	}
	cols := []Column{{Name: "case", Kind: Text, Width: 10}}
	for _, at := range attrs {
		cols = append(cols, a.attrColumn(at))
	}
	for _, r := range themes {
		cols = append(cols, Column{Name: a.codes[r].path, Kind: Text, Width: 70, Wrap: true},
			Column{Name: a.codes[r].path + SummarySuffix, Kind: Text, Width: 40, Wrap: true})
	}
	// excerpts[theme][case] are the positions of the codings shown. The
	// cells' text is made row by row as the table is read: it can be most
	// of the corpus.
	excerpts := make([][][]int32, len(themes))
	for k, r := range themes {
		excerpts[k] = make([][]int32, len(a.data.Cases))
		lastSrc, lastEnd := int32(-1), 0
		for _, i := range a.list(r, true) {
			c, s := &a.cs[i], a.src[i]
			if s == lastSrc && c.End <= lastEnd {
				continue // the same passage, or one inside the last shown
			}
			lastSrc, lastEnd = s, c.End
			cs := a.data.Sources[s].Case
			excerpts[k][cs] = append(excerpts[k][cs], i)
		}
	}
	return newLazyTable("Framework", cols, len(a.data.Cases), func(ci int, row []Cell) []Cell {
		var b strings.Builder
		cs := a.data.Cases[ci]
		row = append(row, T(cs.Name))
		for _, at := range attrs {
			row = append(row, a.attrCell(at, cs.Values[at]))
		}
		for k := range themes {
			b.Reset()
			for _, i := range excerpts[k][ci] {
				c := &a.cs[i]
				if b.Len() > 0 {
					b.WriteString("\n\n")
				}
				b.WriteString("[" + a.segment(i))
				if who, _, _ := a.speakers(a.src[i], c.Start, c.End); who != "" {
					b.WriteString(", " + who)
				}
				b.WriteString("] ")
				b.WriteString(strings.TrimSpace(c.text))
			}
			row = append(row, T(b.String()), Cell{})
		}
		return row
	}), nil
}

// attrList returns the positions of the named attributes, or of all when
// names is nil.
func (a *Analysis) attrList(names []string) ([]int, error) {
	if names == nil {
		out := make([]int, len(a.data.Attributes))
		for i := range out {
			out[i] = i
		}
		return out, nil
	}
	out := make([]int, 0, len(names))
	for _, n := range names {
		at, err := a.attribute(n)
		if err != nil {
			return nil, err
		}
		out = append(out, at)
	}
	return out, nil
}

// attrColumn returns the column of attribute at: numbers are numbers,
// dates and text are text.
func (a *Analysis) attrColumn(at int) Column {
	kind := Text
	if a.data.Attributes[at].Type == corpus.AttrNumber {
		kind = Float
	}
	return Column{Name: a.data.Attributes[at].Name, Kind: kind, Width: 12}
}

// attrCell returns the cell of value v of attribute at.
func (a *Analysis) attrCell(at int, v string) Cell {
	if v == "" {
		return Cell{}
	}
	if a.data.Attributes[at].Type == corpus.AttrNumber {
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			if f == float64(int64(f)) {
				return Cell{Kind: Int, Num: f}
			}
			return Cell{Kind: Float, Num: f}
		}
	}
	return T(v)
}

// speakers returns who speaks in the characters [start, end) of source s
// (each speaker once, in order of speaking, joined by ", ") and the times
// of the first and last turns it touches.
func (a *Analysis) speakers(s int32, start, end int) (string, corpus.Time, corpus.Time) {
	lo, hi := a.sentencesIn(s, start, end)
	if lo >= hi {
		return "", corpus.NoTime, corpus.NoTime
	}
	who := a.sents[lo].Speaker
	if a.sents[hi-1].Turn != a.sents[lo].Turn {
		var names []string
		seen := map[string]bool{}
		turn := -1
		for _, st := range a.sents[lo:hi] {
			if st.Turn == turn {
				continue
			}
			turn = st.Turn
			if !seen[st.Speaker] {
				seen[st.Speaker] = true
				names = append(names, st.Speaker)
			}
		}
		who = strings.Join(names, ", ")
	}
	return who, a.sents[lo].TimeStart, a.sents[hi-1].TimeEnd
}
