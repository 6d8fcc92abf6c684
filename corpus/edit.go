package corpus

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"qcode"
)

// Edit replaces the bytes [Start, End) of a text with Text.
type Edit struct {
	Start, End int
	Text       string
}

// Diff returns the edits that turn old into new, found at character level
// (sorted, non-overlapping, never splitting a UTF-8 sequence).
//
// It works in three passes so that a long transcript with scattered
// corrections costs little and two unrelated texts stay bounded: the common
// prefix and suffix are set aside, the rest is aligned line by line, and only
// the lines that differ are aligned character by character. Each alignment
// is Myers' (linear space, middle snake) with a limit on the differences it
// explores: past it, the stretch is one replacement, which is what it is.
func Diff(old, new string) []Edit {
	pre := commonPrefix(old, new)
	suf := commonSuffix(old[pre:], new[pre:])
	a, b := old[pre:len(old)-suf], new[pre:len(new)-suf]
	if a == "" && b == "" {
		return nil
	}
	var out []Edit
	for _, h := range diffLines(a, b) {
		out = append(out, diffChars(old, new, pre+h.a0, pre+h.a1, pre+h.b0, pre+h.b1)...)
	}
	for i := range out {
		out[i] = tighten(old, out[i])
	}
	slide(old, out)
	return out
}

// tighten leaves out of a replacement what its old and new text share at
// either end: merging changes that a letter or two kept apart ("we
// learned" becoming "we truly learned" is found as "tru", an "l" kept,
// "y l") can give "l" replaced by "truly l", which is an insertion.
func tighten(old string, e Edit) Edit {
	o := old[e.Start:e.End]
	pre := commonPrefix(o, e.Text)
	suf := commonSuffix(o[pre:], e.Text[pre:])
	return Edit{Start: e.Start + pre, End: e.End - suf, Text: e.Text[pre : len(e.Text)-suf]}
}

// slide moves each insertion and deletion to where it reads best among the
// places it could equally be: deleting "the second\n" from "a line\nthe
// second\nthird" is found as deleting "e second\nth" after the common
// prefix "a line\nth", which would cut into the "third" a coding holds. It
// prefers the ends of lines, then spaces, then punctuation, as
// diff-match-patch's lossless cleanup does.
func slide(old string, edits []Edit) {
	for k := range edits {
		e := &edits[k]
		if (e.Start == e.End) == (e.Text == "") {
			continue // a replacement stays where it is
		}
		lo, hi := 0, len(old)
		if k > 0 {
			lo = edits[k-1].End
		}
		if k+1 < len(edits) {
			hi = edits[k+1].Start
		}
		x := e.Text
		if x == "" {
			x = old[e.Start:e.End]
		}
		s := e.Start
		// As far left as it goes...
		for s > lo {
			r, size := utf8.DecodeLastRuneInString(old[lo:s])
			l, lsize := utf8.DecodeLastRuneInString(x)
			if r != l || size != lsize {
				break
			}
			s -= size
			x = x[len(x)-size:] + x[:len(x)-size]
		}
		// ...then right, keeping the best place.
		end := func(s int) int {
			if e.Text == "" {
				return s + len(x)
			}
			return s
		}
		best, bestS, bestX := -1, s, x
		for {
			if sc := seamScore(old[:s], x) + seamScore(x, old[end(s):]); sc >= best {
				best, bestS, bestX = sc, s, x
			}
			if end(s) >= hi {
				break
			}
			r, size := utf8.DecodeRuneInString(old[end(s):hi])
			f, fsize := utf8.DecodeRuneInString(x)
			if r != f || size != fsize {
				break
			}
			s += size
			x = x[size:] + x[:size]
		}
		if e.Text == "" {
			e.Start, e.End = bestS, bestS+len(bestX)
		} else {
			e.Start, e.End, e.Text = bestS, bestS, bestX
		}
	}
}

// commonPrefix returns the length in bytes of the longest common prefix of
// a and b that ends on a character boundary.
func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	for i > 0 && i < len(a) && !utf8.RuneStart(a[i]) {
		i--
	}
	for i > 0 && i < len(b) && !utf8.RuneStart(b[i]) {
		i--
	}
	return i
}

// commonSuffix returns the length in bytes of the longest common suffix of
// a and b that starts on a character boundary.
func commonSuffix(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[len(a)-1-i] == b[len(b)-1-i] {
		i++
	}
	for i > 0 && !utf8.RuneStart(a[len(a)-i]) {
		i--
	}
	return i
}

// hunk is a stretch that differs: a[a0:a1] became b[b0:b1], in the units
// of the pass that found it.
type hunk struct{ a0, a1, b0, b1 int }

// maxLineD and maxCharD limit the differences an alignment explores: an
// alignment costs about (n+m)·D, so these keep a pass over two unrelated
// 60,000-character texts to a fraction of a second.
const (
	maxLineD = 4000
	maxCharD = 600
)

// diffLines aligns a and b by lines and returns the stretches that differ,
// in bytes.
func diffLines(a, b string) []hunk {
	ids := map[string]int32{}
	la, oa := lineIDs(a, ids)
	lb, ob := lineIDs(b, ids)
	var out []hunk
	for _, h := range myers(la, lb, maxLineD) {
		out = append(out, hunk{oa[h.a0], oa[h.a1], ob[h.b0], ob[h.b1]})
	}
	return out
}

// lineIDs numbers the lines of s (each with its newline) by content and
// returns the numbers and the byte offset of each line's start, with len(s)
// at the end.
func lineIDs(s string, ids map[string]int32) ([]int32, []int) {
	var seq []int32
	offs := []int{0}
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '\n')
		end := len(s)
		if j >= 0 {
			end = i + j + 1
		}
		line := s[i:end]
		id, ok := ids[line]
		if !ok {
			id = int32(len(ids))
			ids[line] = id
		}
		seq = append(seq, id)
		offs = append(offs, end)
		i = end
	}
	return seq, offs
}

// diffChars aligns old[a0:a1] with new[b0:b1] by characters and returns the
// edits, in bytes of old.
func diffChars(old, new string, a0, a1, b0, b1 int) []Edit {
	a, b := old[a0:a1], new[b0:b1]
	if a == "" || b == "" {
		return []Edit{{Start: a0, End: a1, Text: b}}
	}
	// Lines that share their ends are trimmed again: the line pass leaves
	// whole lines, of which usually a few characters changed.
	pre := commonPrefix(a, b)
	suf := commonSuffix(a[pre:], b[pre:])
	a, b = a[pre:len(a)-suf], b[pre:len(b)-suf]
	a0, b0 = a0+pre, b0+pre
	if a == "" || b == "" {
		return []Edit{{Start: a0, End: a0 + len(a), Text: b}}
	}
	ra, oa := runesOf(a)
	rb, ob := runesOf(b)
	hs := cleanup(myers(ra, rb, maxCharD))
	out := make([]Edit, 0, len(hs))
	for _, h := range hs {
		out = append(out, Edit{Start: a0 + oa[h.a0], End: a0 + oa[h.a1], Text: b[ob[h.b0]:ob[h.b1]]})
	}
	return out
}

// runesOf returns the characters of s and the byte offset of each, with
// len(s) at the end.
func runesOf(s string) ([]int32, []int) {
	rs := make([]int32, 0, len(s))
	offs := make([]int, 0, len(s)+1)
	for i, r := range s {
		rs = append(rs, r)
		offs = append(offs, i)
	}
	return rs, append(offs, len(s))
}

// cleanup merges two changes that a short stretch of equal characters keeps
// apart, as diff-match-patch's semantic cleanup does: "Sarah" becoming
// "[Participant 3]" shares an "a" and an "r" by chance, and one replacement
// says what happened where three do not.
func cleanup(hs []hunk) []hunk {
	size := func(h hunk) int { return max(h.a1-h.a0, h.b1-h.b0) }
	out := hs[:0]
	for _, h := range hs {
		if n := len(out); n > 0 {
			p := &out[n-1]
			if gap := h.a0 - p.a1; gap <= size(*p) && gap <= size(h) {
				p.a1, p.b1 = h.a1, h.b1
				continue
			}
		}
		out = append(out, h)
	}
	return out
}

// myers returns the stretches where a and b differ, aligning them with
// Myers' algorithm in linear space; a stretch whose alignment would need
// more than maxD differences is one hunk.
func myers(a, b []int32, maxD int) []hunk {
	var out []hunk
	var rec func(a0, a1, b0, b1 int)
	rec = func(a0, a1, b0, b1 int) {
		for a0 < a1 && b0 < b1 && a[a0] == b[b0] {
			a0, b0 = a0+1, b0+1
		}
		for a0 < a1 && b0 < b1 && a[a1-1] == b[b1-1] {
			a1, b1 = a1-1, b1-1
		}
		if a0 == a1 && b0 == b1 {
			return
		}
		if a0 == a1 || b0 == b1 {
			out = append(out, hunk{a0, a1, b0, b1})
			return
		}
		x, y, ok := bisect(a[a0:a1], b[b0:b1], maxD)
		if !ok {
			out = append(out, hunk{a0, a1, b0, b1})
			return
		}
		rec(a0, a0+x, b0, b0+y)
		rec(a0+x, a1, b0+y, b1)
	}
	rec(0, len(a), 0, len(b))
	// Hunks the recursion left side by side are one.
	merged := out[:0]
	for _, h := range out {
		if n := len(merged); n > 0 && merged[n-1].a1 == h.a0 && merged[n-1].b1 == h.b0 {
			merged[n-1].a1, merged[n-1].b1 = h.a1, h.b1
			continue
		}
		merged = append(merged, h)
	}
	return merged
}

// bisect finds the middle snake of an alignment of a and b (which share no
// first or last element) and returns where to split them; ok is false when
// no alignment within maxD differences was found, or when the two share
// nothing.
func bisect(a, b []int32, maxD int) (x, y int, ok bool) {
	n, m := len(a), len(b)
	dmax := min((n+m+1)/2, maxD)
	off := dmax + 1
	size := 2*off + 1
	v1 := make([]int, size)
	v2 := make([]int, size)
	for i := range v1 {
		v1[i], v2[i] = -1, -1
	}
	v1[off+1], v2[off+1] = 0, 0
	delta := n - m
	front := delta%2 != 0
	var k1start, k1end, k2start, k2end int
	for d := 0; d < dmax; d++ {
		for k1 := -d + k1start; k1 <= d-k1end; k1 += 2 {
			i := off + k1
			var x1 int
			if k1 == -d || (k1 != d && v1[i-1] < v1[i+1]) {
				x1 = v1[i+1]
			} else {
				x1 = v1[i-1] + 1
			}
			y1 := x1 - k1
			for x1 < n && y1 < m && a[x1] == b[y1] {
				x1, y1 = x1+1, y1+1
			}
			v1[i] = x1
			switch {
			case x1 > n:
				k1end += 2
			case y1 > m:
				k1start += 2
			case front:
				j := off + delta - k1
				if j >= 0 && j < size && v2[j] != -1 && x1 >= n-v2[j] {
					return x1, y1, true
				}
			}
		}
		for k2 := -d + k2start; k2 <= d-k2end; k2 += 2 {
			i := off + k2
			var x2 int
			if k2 == -d || (k2 != d && v2[i-1] < v2[i+1]) {
				x2 = v2[i+1]
			} else {
				x2 = v2[i-1] + 1
			}
			y2 := x2 - k2
			for x2 < n && y2 < m && a[n-x2-1] == b[m-y2-1] {
				x2, y2 = x2+1, y2+1
			}
			v2[i] = x2
			switch {
			case x2 > n:
				k2end += 2
			case y2 > m:
				k2start += 2
			case !front:
				j := off + delta - k2
				if j >= 0 && j < size && v1[j] != -1 {
					x1 := v1[j]
					y1 := x1 - (j - off)
					if x1 >= n-x2 {
						return x1, y1, true
					}
				}
			}
		}
	}
	return 0, 0, false
}

// seamScore says how well a change reads where text a meets text b: best at
// the text's ends and at line breaks, then at spaces, then at punctuation.
func seamScore(a, b string) int {
	if a == "" || b == "" {
		return 6
	}
	l, _ := utf8.DecodeLastRuneInString(a)
	r, _ := utf8.DecodeRuneInString(b)
	switch {
	case l == '\n' || r == '\n':
		return 5
	case unicode.IsSpace(l) || unicode.IsSpace(r):
		return 3
	case !isWordRune(l) || !isWordRune(r):
		return 2
	}
	return 0
}

// ApplyEdits returns text with edits applied; edits must be sorted and not
// overlap (a qcode.EINVALID error otherwise, naming the first bad edit).
func ApplyEdits(text string, edits []Edit) (string, error) {
	if err := checkEdits(text, edits); err != nil {
		return "", err
	}
	var b strings.Builder
	grow := len(text)
	for _, e := range edits {
		grow += len(e.Text) - (e.End - e.Start)
	}
	b.Grow(max(grow, 0))
	at := 0
	for _, e := range edits {
		b.WriteString(text[at:e.Start])
		b.WriteString(e.Text)
		at = e.End
	}
	b.WriteString(text[at:])
	return b.String(), nil
}

// checkEdits checks that edits are sorted, do not overlap, lie inside text
// and cut it only between characters.
func checkEdits(text string, edits []Edit) error {
	at := 0
	for i, e := range edits {
		bad := func(why string) error {
			return qcode.Errorf(qcode.EINVALID, "edit %d [%d, %d): %s", i+1, e.Start, e.End, why)
		}
		switch {
		case e.Start < 0 || e.End < e.Start || e.End > len(text):
			return bad("not a span of the text")
		case e.Start < at:
			return bad("overlaps or comes before the edit before it")
		case !boundary(text, e.Start) || !boundary(text, e.End):
			return bad("cuts a character in two")
		case !utf8.ValidString(e.Text):
			return bad("its text is not UTF-8")
		}
		at = e.End
	}
	return nil
}

func boundary(text string, i int) bool { return i == len(text) || utf8.RuneStart(text[i]) }

// MapSpan maps the byte span [start, end) of the old text into the text after
// edits. changed reports whether any edit falls inside it or changes its ends;
// lost reports that all of its text was deleted.
//
// Text inserted exactly at either end falls outside the span: a coding of
// "clinic" stays on "clinic" when "the " is written before it. MapSpan scans
// the edits; SpanMap maps many spans through the same edits faster.
func MapSpan(edits []Edit, start, end int) (ns, ne int, changed, lost bool) {
	return NewSpanMap(edits).Map(start, end)
}

// SpanMap maps spans of a text through one set of edits, each in time
// logarithmic in the number of edits.
type SpanMap struct {
	edits []Edit
	shift []int // shift[i]: how far the edits before edits[i] moved the text
}

// NewSpanMap returns a SpanMap for edits, which must be sorted and not
// overlap (as Diff returns them and ApplyEdits takes them).
func NewSpanMap(edits []Edit) *SpanMap {
	shift := make([]int, len(edits)+1)
	for i, e := range edits {
		shift[i+1] = shift[i] + len(e.Text) - (e.End - e.Start)
	}
	return &SpanMap{edits: edits, shift: shift}
}

// before maps offset p of the old text to the new one, before any text
// inserted at p; a p inside replaced text maps to the replacement's start.
func (m *SpanMap) before(p int) int {
	es := m.edits
	i := sort.Search(len(es), func(k int) bool { return es[k].End > p || es[k].Start >= p })
	if i < len(es) && es[i].Start < p {
		return es[i].Start + m.shift[i]
	}
	return p + m.shift[i]
}

// after maps offset p of the old text to the new one, after any text
// inserted at p; a p inside replaced text maps to the replacement's end.
func (m *SpanMap) after(p int) int {
	es := m.edits
	i := sort.Search(len(es), func(k int) bool { return es[k].End > p })
	if i < len(es) && es[i].Start <= p {
		return es[i].Start + m.shift[i] + len(es[i].Text)
	}
	return p + m.shift[i]
}

// Map maps [start, end) as MapSpan does.
func (m *SpanMap) Map(start, end int) (ns, ne int, changed, lost bool) {
	es := m.edits
	// i: the first edit that reaches into the span; j: the first past it.
	i := sort.Search(len(es), func(k int) bool { return es[k].End > start })
	j := sort.Search(len(es), func(k int) bool { return es[k].Start >= end })
	if j <= i {
		return start + m.shift[i], end + m.shift[i], false, start >= end
	}
	first, last := es[i], es[j-1]
	ns = start + m.shift[i]
	if first.Start < start {
		ns = first.Start + m.shift[i]
	}
	ne = end + m.shift[j]
	if last.End > end {
		ne = last.Start + m.shift[j-1] + len(last.Text)
	}
	return ns, max(ne, ns), true, ne <= ns
}

// Edit returns a copy of d with edits applied to its Text: Header and turn spans
// mapped, speakers kept, and the turns segmented again (corpus.Segment).
//
// Words written at either end of a turn belong to it; a turn whose words
// were all deleted is left out, which a caller that cares who speaks
// compares (see Source.Speakers). Turns keep their times; their lines follow
// the lines added or removed before them, except in captions and surveys,
// where a turn's line is its cue or row.
func (d *Source) Edit(edits []Edit) (*Source, error) {
	text, err := ApplyEdits(d.Text, edits)
	if err != nil {
		return nil, err
	}
	out := &Source{
		Name: d.Name, Format: d.Format, Path: d.Path, Text: text,
		Case: d.Case, Attributes: append([]Attribute(nil), d.Attributes...),
	}
	m := NewSpanMap(edits)
	if d.Header.Len() > 0 {
		ns, ne := m.before(d.Header.Start), m.before(d.Header.End)
		if h := trimSpan(text, Span{ns, max(ns, ne)}); h.Len() > 0 {
			out.Header = h
		}
	}
	lines := d.Format != "vtt" && d.Format != "srt" && d.Format != "csv" && d.Format != "xlsx"
	oldNL, newNL := newlines{text: d.Text}, newlines{text: text}
	out.Turns = make([]Turn, 0, len(d.Turns))
	for k, t := range d.Turns {
		ns, ne := m.before(t.Start), m.after(t.End)
		if k+1 < len(d.Turns) && d.Turns[k+1].Start <= t.End {
			ne = m.before(t.End) // what is written between two turns that touch goes to the second
		}
		s := trimSpan(text, Span{ns, max(ns, ne)})
		if s.Len() == 0 {
			continue
		}
		nt := Turn{Speaker: t.Speaker, Span: s, Begin: t.Begin, Finish: t.Finish, Line: t.Line}
		if lines {
			nt.Line += newNL.before(s.Start) - oldNL.before(t.Start)
		}
		out.Turns = append(out.Turns, nt)
	}
	Segment(out)
	return out, nil
}

// newlines counts the newlines before ascending offsets of a text in one
// pass over it.
type newlines struct {
	text   string
	at, nl int
}

func (c *newlines) before(p int) int {
	if p < c.at {
		c.at, c.nl = 0, 0
	}
	c.nl += strings.Count(c.text[c.at:p], "\n")
	c.at = p
	return c.nl
}
