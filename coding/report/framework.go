package report

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"qcode/coding"
	"qcode/corpus"
)

// FrameworkOptions choose the Framework matrix's themes and attributes,
// and give the analysts' summaries of its cells.
type FrameworkOptions struct {
	Themes []string // code ids; nil for the codebook's top-level codes
	Attrs  []string // attributes shown for each case; nil for every one
	// Summaries are the analysts' summaries, in any order; those of
	// cases or themes the matrix does not show are left out.
	Summaries []coding.Summary
}

// Framework is the Framework Method matrix (Gale et al. 2013): a row per
// case, a column per theme, each cell the analyst's summary of what the
// case says on the theme, with the case's quotes coded with the theme or
// one of its sub-codes.
type Framework struct {
	Themes     []FrameworkTheme `json:"themes"`
	Attributes []string         `json:"attributes"` // the case attributes shown, in order
	Cases      []FrameworkCase  `json:"cases"`

	a     *part
	attrs []int
}

// FrameworkTheme is one theme of the matrix: a code.
type FrameworkTheme struct {
	Code string `json:"code"` // its id
	Path string `json:"path"` // its names from the top, as a column's header
}

// FrameworkCase is one case's row of the matrix.
type FrameworkCase struct {
	Case string `json:"case"`
	// Attributes are its values of Framework.Attributes ("" for none).
	Attributes []string `json:"attributes"`
	// Cells are its cells, one per theme in Framework.Themes's order.
	Cells []FrameworkCell `json:"cells"`
}

// FrameworkCell is the cell of a case and a theme.
type FrameworkCell struct {
	Summary *coding.Summary  `json:"summary"` // nil until an analyst writes one
	Quotes  []FrameworkQuote `json:"quotes"`
}

// FrameworkQuote is a passage of a case coded with a theme (or one of
// its sub-codes); a passage inside another shown is left out.
type FrameworkQuote struct {
	Ref    string `json:"ref"` // the segment or span, as P03:s41
	Source string `json:"source"`
	// Start and End are its span in the source, in characters.
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Speaker string `json:"speaker"` // who speaks in it, each once, joined by ", "
	Text    string `json:"text"`
}

// MaxFrameworkCell is the most characters a cell of the matrix's table
// holds: the summary, then as many quotes' references as fit, then how
// many more there are. A spreadsheet shows little more at once.
const MaxFrameworkCell = 1000

// FrameworkQuotesName names the table of the matrix's quotes, which each
// cell's count of further quotes points to.
const FrameworkQuotesName = "Framework quotes"

// frameworkMatrix returns the Framework Method matrix of the part: a row
// per case, a column per theme (the top-level codes, or o.Themes), each
// cell with its summary (from o.Summaries) and its quotes (the theme's
// codings and its descendants', a passage inside another coded one shown
// once).
func (a *part) frameworkMatrix(o FrameworkOptions) (*Framework, error) {
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
	m := &Framework{Themes: make([]FrameworkTheme, len(themes)), Attributes: make([]string, len(attrs)), Cases: make([]FrameworkCase, len(a.data.Cases)), a: a, attrs: attrs}
	themeOf := map[string]int{}
	for k, r := range themes {
		m.Themes[k] = FrameworkTheme{Code: a.codes[r].id, Path: a.codes[r].path}
		themeOf[a.codes[r].id] = k
	}
	for k, at := range attrs {
		m.Attributes[k] = a.data.Attributes[at].Name
	}
	caseOf := map[string]int{}
	for ci, cs := range a.data.Cases {
		fc := &m.Cases[ci]
		fc.Case, fc.Attributes, fc.Cells = cs.Name, make([]string, len(attrs)), make([]FrameworkCell, len(themes))
		for k, at := range attrs {
			fc.Attributes[k] = cs.Values[at]
		}
		for k := range fc.Cells {
			fc.Cells[k].Quotes = []FrameworkQuote{}
		}
		caseOf[cs.Name] = ci
	}
	for _, s := range o.Summaries {
		ci, ok := caseOf[s.Case]
		k, ok2 := themeOf[s.Theme]
		if ok && ok2 {
			m.Cases[ci].Cells[k].Summary = &s
		}
	}
	for k, r := range themes {
		a.themeQuotes(r, func(i int32) {
			c, s := &a.cs[i], a.src[i]
			who, _, _ := a.speakers(s, c.Start, c.End)
			cell := &m.Cases[a.data.Sources[s].Case].Cells[k]
			cell.Quotes = append(cell.Quotes, FrameworkQuote{Ref: a.segment(i), Source: a.data.Sources[s].Name, Start: c.Start, End: c.End, Speaker: who, Text: strings.TrimSpace(c.text)})
		})
	}
	return m, nil
}

// themeQuotes calls fn with each coding that is a quote of theme r: the
// codings of r and its descendants in order, but a passage that another
// shown before holds (the same span, or one inside it).
func (a *part) themeQuotes(r int, fn func(i int32)) {
	lastSrc, lastEnd := int32(-1), 0
	for _, i := range a.list(r, true) {
		c, s := &a.cs[i], a.src[i]
		if s == lastSrc && c.End <= lastEnd {
			continue // the same passage, or one inside the last shown
		}
		lastSrc, lastEnd = s, c.End
		fn(i)
	}
}

// Table returns the matrix as a table named Framework: the case, a column
// per theme (its path), then the case's attributes, so that the themes
// start on the first screen. Each cell holds the summary, then the quotes'
// references, up to MaxFrameworkCell characters with how many more quotes
// there are on the Framework quotes table.
func (m *Framework) Table() *Table {
	cols := []Column{{Name: "case", Kind: Text, Width: 10}}
	for _, th := range m.Themes {
		cols = append(cols, Column{Name: th.Path, Kind: Text, Width: 50, Wrap: true})
	}
	for _, at := range m.attrs {
		cols = append(cols, m.a.attrColumn(at))
	}
	return newLazyTable("Framework", cols, len(m.Cases), func(ci int, row []Cell) []Cell {
		fc := &m.Cases[ci]
		row = append(row, T(fc.Case))
		for k := range fc.Cells {
			row = append(row, T(fc.Cells[k].Text()))
		}
		for k, at := range m.attrs {
			row = append(row, m.a.attrCell(at, fc.Attributes[k]))
		}
		return row
	})
}

// Text returns the cell as a spreadsheet shows it: the summary, a blank
// line, then the quotes' references separated by commas, as many as keep
// it within MaxFrameworkCell characters, the rest counted: "… and 53 more
// quotes (Framework quotes)". A summary is at most coding.MaxSummary
// characters, which leaves room for the count at least.
func (c *FrameworkCell) Text() string {
	var b strings.Builder
	n := 0 // characters written
	if c.Summary != nil {
		b.WriteString(c.Summary.Text)
		n = utf8.RuneCountInString(c.Summary.Text)
	}
	sep := ""
	if b.Len() > 0 {
		sep = "\n\n"
	}
	// When every reference fits, none is counted instead.
	all := n
	for i, q := range c.Quotes {
		all += utf8.RuneCountInString(q.Ref) + 2
		if i == 0 && sep == "" {
			all -= 2
		}
	}
	for i, q := range c.Quotes {
		tail := ""
		if rest := len(c.Quotes) - i - 1; rest > 0 && all > MaxFrameworkCell {
			tail = " " + moreQuotes(rest)
		}
		add := sep + q.Ref
		if n+utf8.RuneCountInString(add+tail) > MaxFrameworkCell {
			// The step before made room for this.
			if i == 0 {
				b.WriteString(sep + strconv.Itoa(len(c.Quotes)) + " quotes (" + FrameworkQuotesName + ")")
			} else {
				b.WriteString(" " + moreQuotes(len(c.Quotes)-i))
			}
			break
		}
		b.WriteString(add)
		n += utf8.RuneCountInString(add)
		sep = ", "
	}
	return b.String()
}

// moreQuotes says that n more quotes are on the quotes table.
func moreQuotes(n int) string {
	if n == 1 {
		return "… and 1 more quote (" + FrameworkQuotesName + ")"
	}
	return "… and " + strconv.Itoa(n) + " more quotes (" + FrameworkQuotesName + ")"
}

// Count returns how many cells the matrix has, how many of them hold a
// summary, and how many quotes it shows.
func (m *Framework) Count() (cells, summarised, quotes int) {
	for _, fc := range m.Cases {
		for _, cell := range fc.Cells {
			cells++
			if cell.Summary != nil {
				summarised++
			}
			quotes += len(cell.Quotes)
		}
	}
	return cells, summarised, quotes
}

// QuotesTable returns the matrix's quotes as a table named Framework
// quotes, a row per quote: case, theme (its code id), ref, speaker,
// quote, by case then theme, so that each cell's quotes are rows side by
// side (see QuoteRows).
func (m *Framework) QuotesTable() *Table {
	type at struct{ ci, k, q int }
	var all []at
	for ci := range m.Cases {
		for k, cell := range m.Cases[ci].Cells {
			for q := range cell.Quotes {
				all = append(all, at{ci, k, q})
			}
		}
	}
	cols := []Column{{Name: "case", Kind: Text, Width: 10}, {Name: "theme", Kind: Text, Width: 20}, {Name: "ref", Kind: Text, Width: 14},
		{Name: "speaker", Kind: Text, Width: 14}, {Name: "quote", Kind: Text, Width: 90, Wrap: true}}
	return newLazyTable(FrameworkQuotesName, cols, len(all), func(i int, row []Cell) []Cell {
		p := all[i]
		q := &m.Cases[p.ci].Cells[p.k].Quotes[p.q]
		return append(row, T(m.Cases[p.ci].Case), T(m.Themes[p.k].Code), T(q.Ref), T(q.Speaker), T(q.Text))
	})
}

// QuoteRows returns, for each case and theme, the row of the quotes table
// (from 0) of the cell's first quote, or -1 for a cell without quotes.
func (m *Framework) QuoteRows() [][]int {
	out := make([][]int, len(m.Cases))
	n := 0
	for ci := range m.Cases {
		out[ci] = make([]int, len(m.Themes))
		for k, cell := range m.Cases[ci].Cells {
			out[ci][k] = -1
			if len(cell.Quotes) > 0 {
				out[ci][k] = n
			}
			n += len(cell.Quotes)
		}
	}
	return out
}

// attrList returns the positions of the named attributes, or of all when
// names is nil.
func (a *part) attrList(names []string) ([]int, error) {
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
func (a *part) attrColumn(at int) Column {
	kind := Text
	if a.data.Attributes[at].Type == corpus.AttrNumber {
		kind = Float
	}
	return Column{Name: a.data.Attributes[at].Name, Kind: kind, Width: 12}
}

// attrCell returns the cell of value v of attribute at.
func (a *part) attrCell(at int, v string) Cell {
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
func (a *part) speakers(s int32, start, end int) (string, corpus.Time, corpus.Time) {
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
