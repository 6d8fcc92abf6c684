// Package fit lays a table out for a terminal of a given width: columns
// aligned, numbers to the right, and, when the table is wider than the
// terminal, long headers wrapped over lines, the headers of narrow columns
// given letters explained in a key below the table, long text cut with
// "…", and what is still too wide split into blocks of columns, each
// repeating the columns that name the rows. A width of 0 lays the table
// out whole, nothing cut.
//
// A table enters as its header and rows of strings, and leaves as the
// lines to print; it knows nothing of what the cells mean.
package fit

import (
	"strings"
	"unicode/utf8"
)

// Table is a table to lay out.
type Table struct {
	Header []string
	Rows   [][]string
	// Keys is how many leading columns name a row (a code, a case): they
	// begin every block of a split table.
	Keys int
	// Values says the headers past Keys are values (codes, sources,
	// attribute values), as a matrix's are, not the names of measures:
	// long ones may be given letters, with a key below the table.
	Values bool
}

// MaxCell is the most characters a cell shows on a terminal of a given
// width, whatever room there is: longer text is cut with "…".
const MaxCell = 60

// minText is the narrowest a column of text is made before the table is
// split into blocks instead.
const minText = 12

// maxSplit is the widest a column of text is made in a table split into
// blocks.
const maxSplit = 40

// gap is the space between two columns.
const gap = 2

// number reports whether a cell reads as a number (-1,234.5 or 12%), to
// be right-aligned.
func number(s string) bool {
	s = strings.TrimPrefix(s, "-")
	s = strings.TrimSuffix(s, "%")
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || whole[0] < '0' || whole[0] > '9' || dot && frac == "" {
		return false
	}
	for _, r := range whole {
		if (r < '0' || r > '9') && r != ',' {
			return false
		}
	}
	for _, r := range frac {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// column is one column as laid out.
type column struct {
	head    []string // the header's lines
	cells   []string
	content int // the widest cell
	width   int // as laid out
	right   bool
	key     bool   // a column that names rows
	letter  string // the header's letter in the key, "" for none
	name    string // the header as given
	text    bool   // holds text that may be cut
}

// Lines lays t out in lines of at most width characters (as far as the
// columns that name the rows allow), or whole when width is 0. Headers are
// shown in capitals; the key of lettered headers, if any, follows the
// table after an empty line.
func Lines(t Table, width int) []string {
	cols := columns(t, width)
	if width <= 0 {
		return render(cols, nil)
	}
	if total(cols) > width {
		wrapHeaders(cols)
	}
	if total(cols) > width && t.Values {
		letter(cols)
	}
	if total(cols) > width {
		shrink(cols, width)
	}
	var out []string
	blocks := split(cols, width)
	for i, b := range blocks {
		if i > 0 {
			out = append(out, "")
		}
		out = append(out, render(cols, b)...)
	}
	return append(out, legend(cols, width)...)
}

// columns reads t's columns, cells cut at MaxCell unless width is 0.
func columns(t Table, width int) []*column {
	cols := make([]*column, len(t.Header))
	for i, h := range t.Header {
		c := &column{name: h, head: []string{strings.ToUpper(h)}, key: i < t.Keys, right: true}
		numbers := 0
		for _, r := range t.Rows {
			cell := ""
			if i < len(r) {
				cell = r[i]
			}
			if width > 0 {
				cell = Cut(cell, MaxCell)
			}
			c.cells = append(c.cells, cell)
			c.content = max(c.content, utf8.RuneCountInString(cell))
			switch {
			case cell == "":
			case number(cell):
				numbers++
			default:
				c.right = false
			}
		}
		c.right = c.right && numbers > 0 && !c.key
		c.text = !c.right && !c.key
		c.width = max(c.content, headWidth(c.head))
		cols[i] = c
	}
	return cols
}

// total is the width of the columns side by side.
func total(cols []*column) int {
	n := 0
	for _, c := range cols {
		n += c.width
	}
	return n + gap*max(len(cols)-1, 0)
}

func headWidth(lines []string) int {
	w := 0
	for _, l := range lines {
		w = max(w, utf8.RuneCountInString(l))
	}
	return w
}

// wrapHeaders wraps each header wider than its column's cells over lines,
// broken after a space, "_" or "-", no narrower than its longest word.
func wrapHeaders(cols []*column) {
	for _, c := range cols {
		if headWidth(c.head) <= c.content {
			continue
		}
		c.head = wrap(strings.ToUpper(c.name), c.content)
		c.width = max(c.content, headWidth(c.head))
	}
}

// wrap breaks s into lines of at most width characters after its spaces,
// underscores and hyphens, dropping a space or underscore at a break; a
// word longer than width has a line of its own.
func wrap(s string, width int) []string {
	var words []string
	start := 0
	for i, r := range s {
		if r == ' ' || r == '_' || r == '-' {
			words = append(words, s[start:i+1])
			start = i + 1
		}
	}
	if start < len(s) {
		words = append(words, s[start:])
	}
	var lines []string
	line := ""
	// A line ends without the space or underscore it broke at.
	trim := func(l string) string { return strings.TrimRight(l, " _") }
	for _, w := range words {
		if line != "" && utf8.RuneCountInString(trim(line+w)) > width {
			lines = append(lines, trim(line))
			line = ""
		}
		line += w
	}
	if line = trim(line); line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// letter gives a letter, explained in the key, to every header still wider
// than its column's cells (and than a short name such as P01), when that is
// more than one.
func letter(cols []*column) {
	var wide []*column
	for _, c := range cols {
		if !c.key && c.content > 0 && headWidth(c.head) > max(c.content, 4) {
			wide = append(wide, c)
		}
	}
	if len(wide) < 2 {
		return
	}
	for i, c := range wide {
		c.letter = letters(i)
		c.head = []string{c.letter}
		c.width = max(c.content, len(c.letter))
	}
}

// letters names the i-th lettered column: A … Z, AA, AB …
func letters(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// shrink narrows the columns of text so that the table fits width, the
// widest first, down to minText each; when even that would not fit, the
// table is to be split, and each is narrowed only to maxSplit, so that a
// block shows more of each cell. The columns that name the rows are cut
// to half the width at most. Headers wider than their columns wrap again.
func shrink(cols []*column, width int) {
	keys, least := 0, 0
	for _, c := range cols {
		if c.key && c.width > width/2 {
			c.width = max(width/2, minText)
		}
		switch {
		case c.key:
			keys += c.width + gap
			least += c.width + gap
		case c.text:
			least += min(c.width, minText) + gap
		default:
			least += c.width + gap
		}
	}
	if least-gap > width {
		most := max(minText, min(maxSplit, width-keys))
		for _, c := range cols {
			if c.text {
				c.width = min(c.width, most)
			}
		}
	}
	for least-gap <= width && total(cols) > width {
		var widest *column
		for _, c := range cols {
			if c.text && c.width > minText && (widest == nil || c.width > widest.width) {
				widest = c
			}
		}
		if widest == nil {
			break
		}
		widest.width = max(minText, widest.width-(total(cols)-width))
		// The next widest may now be wider; the loop takes it next.
	}
	for _, c := range cols {
		if c.letter == "" && headWidth(c.head) > c.width {
			c.head = wrap(strings.ToUpper(c.name), c.width)
		}
	}
}

// split shares the columns out into blocks no wider than width, each
// beginning with the columns that name the rows; one block when they fit.
func split(cols []*column, width int) [][]int {
	var keys, rest []int
	for i, c := range cols {
		if c.key {
			keys = append(keys, i)
		} else {
			rest = append(rest, i)
		}
	}
	if total(cols) <= width || len(rest) == 0 {
		all := make([]int, len(cols))
		for i := range all {
			all[i] = i
		}
		return [][]int{all}
	}
	used := 0
	for _, k := range keys {
		used += cols[k].width + gap
	}
	// As many columns to a block as fit in limit.
	share := func(limit int) [][]int {
		var blocks [][]int
		block, w := append([]int(nil), keys...), used
		for _, i := range rest {
			if len(block) > len(keys) && w+cols[i].width > limit {
				blocks = append(blocks, block)
				block, w = append([]int(nil), keys...), used
			}
			block = append(block, i)
			w += cols[i].width + gap
		}
		return append(blocks, block)
	}
	// As few blocks as the width allows, made as even as they can be: a
	// last block of three columns under one of eighteen reads badly.
	n := len(share(width))
	for limit := used; limit < width; limit++ {
		if blocks := share(limit); len(blocks) <= n {
			return blocks
		}
	}
	return share(width)
}

// render prints the columns in order (every one when order is nil): the
// header's lines, then a line per row.
func render(cols []*column, order []int) []string {
	if order == nil {
		for i := range cols {
			order = append(order, i)
		}
	}
	heads := 0
	for _, i := range order {
		heads = max(heads, len(cols[i].head))
	}
	rows := 0
	if len(cols) > 0 {
		rows = len(cols[0].cells)
	}
	var out []string
	var b strings.Builder
	line := func(cell func(c *column) string) {
		b.Reset()
		for k, i := range order {
			c := cols[i]
			if k > 0 {
				b.WriteString(strings.Repeat(" ", gap))
			}
			s := Cut(cell(c), c.width)
			pad := strings.Repeat(" ", c.width-utf8.RuneCountInString(s))
			if c.right {
				b.WriteString(pad + s)
			} else {
				b.WriteString(s + pad)
			}
		}
		out = append(out, strings.TrimRight(b.String(), " "))
	}
	for h := range heads {
		line(func(c *column) string {
			// A header of fewer lines sits on the last ones.
			if k := h - (heads - len(c.head)); k >= 0 {
				return c.head[k]
			}
			return ""
		})
	}
	for r := range rows {
		line(func(c *column) string { return c.cells[r] })
	}
	return out
}

// legend is the key to the lettered headers, as many to a line as fit.
func legend(cols []*column, width int) []string {
	var entries []string
	for _, c := range cols {
		if c.letter != "" {
			entries = append(entries, c.letter+" "+c.name)
		}
	}
	if len(entries) == 0 {
		return nil
	}
	out := []string{""}
	line := ""
	for _, e := range entries {
		if line != "" && utf8.RuneCountInString(line)+3+utf8.RuneCountInString(e) > width {
			out = append(out, line)
			line = ""
		}
		if line != "" {
			line += "   "
		}
		line += e
	}
	return append(out, line)
}

// Cut shortens s to n characters, its last "…", if it is longer.
func Cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
