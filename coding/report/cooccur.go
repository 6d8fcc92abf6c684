package report

import (
	"cmp"
	"slices"

	"qcode"
)

// CooccurrenceOptions choose how Cooccurrence counts and lays out.
type CooccurrenceOptions struct {
	// Overlap counts codes that cover overlapping spans (a sentence coded A
	// inside a turn coded B); otherwise codes must code the same segment.
	Overlap bool
	// Jaccard puts the Jaccard index in the cells instead of counts.
	Jaccard bool
	// RollUp counts each code with its descendants.
	RollUp bool
	// Pairs gives a row per pair of codes that co-occur (code_a, code_b,
	// count, jaccard) instead of a matrix.
	Pairs bool
	// PairsOver lists the pairs, as Pairs does, when more than this many
	// codes have codings; 0 never does.
	PairsOver int
}

// pairStat is what two codes share: segments or stretches, and characters.
type pairStat struct {
	n     int
	chars int
}

// Cooccurrence returns a code × code table of the codes with codings.
//
// By segment, a cell counts the segments (distinct spans) coded with both
// codes, the diagonal those coded with the code, and the Jaccard index is
// both / either. By overlap, each code's coded spans in a source are merged
// into stretches; a cell counts the stretches where both codes hold, the
// diagonal the code's own stretches, and the Jaccard index is the
// characters both cover over the characters either covers.
//
// Overlap and RollUp must be those the analysis was counted with
// (CountOptions.Cooccurrence); Jaccard, Pairs and PairsOver only lay the
// table out.
func (a *Analysis) Cooccurrence(o CooccurrenceOptions) (*Table, error) {
	if c := a.o.Cooccurrence; o.Overlap != c.Overlap || o.RollUp != c.RollUp {
		return nil, qcode.Errorf(qcode.EINTERNAL, "report: co-occurrence (overlap %v, rolled up %v) of an analysis counted with overlap %v, rolled up %v", o.Overlap, o.RollUp, c.Overlap, c.RollUp)
	}
	stat := map[[2]int]*pairStat{}
	for k, s := range a.pairs {
		x, y := a.rowOf[k[0]], a.rowOf[k[1]]
		stat[[2]int{min(x, y), max(x, y)}] = s
	}
	return a.g.cooccurrence(o, stat), nil
}

// pairStats returns what the part's codes share, as Cooccurrence counts
// it with o's Overlap and RollUp, by pairs of code rows (the lower first).
func (a *part) pairStats(o CooccurrenceOptions) map[[2]int]*pairStat {
	if o.Overlap {
		return a.overlaps(o.RollUp)
	}
	return a.sameSegment(o.RollUp)
}

// cooccurrence lays out the table Cooccurrence describes from stat, what
// each pair of code rows shares.
func (a *part) cooccurrence(o CooccurrenceOptions, stat map[[2]int]*pairStat) *Table {
	var rows []int
	for r := range a.codes {
		if s := stat[[2]int{r, r}]; s != nil && s.n > 0 {
			rows = append(rows, r)
		}
	}
	jaccard := func(x, y int) float64 {
		both := stat[[2]int{min(x, y), max(x, y)}]
		if both == nil {
			return 0
		}
		sx, sy := stat[[2]int{x, x}], stat[[2]int{y, y}]
		if o.Overlap {
			return float64(both.chars) / float64(sx.chars+sy.chars-both.chars)
		}
		return float64(both.n) / float64(sx.n+sy.n-both.n)
	}
	count := func(x, y int) int {
		if s := stat[[2]int{min(x, y), max(x, y)}]; s != nil {
			return s.n
		}
		return 0
	}
	name := "Co-occurrence"
	if o.Pairs || o.PairsOver > 0 && len(rows) > o.PairsOver {
		t := NewTable(name, Column{Name: "code_a", Kind: Text, Width: 26}, Column{Name: "code_b", Kind: Text, Width: 26},
			Column{Name: "count", Kind: Int, Width: 8}, Column{Name: "jaccard", Kind: Float, Width: 8})
		type pair struct{ x, y, n int }
		var pairs []pair
		for i, x := range rows {
			for _, y := range rows[i+1:] {
				if n := count(x, y); n > 0 {
					pairs = append(pairs, pair{x, y, n})
				}
			}
		}
		slices.SortStableFunc(pairs, func(p, q pair) int { return cmp.Compare(q.n, p.n) })
		for _, p := range pairs {
			t.Add(T(a.codes[p.x].id), T(a.codes[p.y].id), I(p.n), F(jaccard(p.x, p.y)))
		}
		return t
	}
	cols := []Column{{Name: "code", Kind: Text, Width: 26}, {Name: "path", Kind: Text, Width: 50}}
	kind := Int
	if o.Jaccard {
		kind = Float
	}
	for _, r := range rows {
		cols = append(cols, Column{Name: a.codes[r].id, Kind: kind, Width: 8})
	}
	t := NewTable(name, cols...)
	t.Heat = &Block{Row0: 0, Row1: len(rows), Col0: 2, Col1: 2 + len(rows)}
	for _, x := range rows {
		row := []Cell{T(a.codes[x].id), T(a.codes[x].path)}
		for _, y := range rows {
			if o.Jaccard {
				row = append(row, F(jaccard(x, y)))
			} else {
				row = append(row, I(count(x, y)))
			}
		}
		t.Add(row...)
	}
	return t
}

// codesOf appends to dst the code rows a coding of code r counts for, and
// returns it.
func (a *part) codesOf(dst []int, r int, rollUp bool) []int {
	for ; r >= 0; r = a.codes[r].parent {
		dst = append(dst, r)
		if !rollUp {
			break
		}
	}
	return dst
}

// sameSegment counts, for each pair of codes (and each code), the segments
// coded with both.
func (a *part) sameSegment(rollUp bool) map[[2]int]*pairStat {
	stat := map[[2]int]*pairStat{}
	var set []int
	for i := 0; i < len(a.cs); {
		// Codings of one span are next to each other.
		j := i
		set = set[:0]
		for ; j < len(a.cs) && a.src[j] == a.src[i] && a.cs[j].Start == a.cs[i].Start && a.cs[j].End == a.cs[i].End; j++ {
			set = a.codesOf(set, int(a.cs[j].code), rollUp)
		}
		slices.Sort(set)
		set = slices.Compact(set)
		for x := range set {
			for y := x; y < len(set); y++ {
				k := [2]int{set[x], set[y]}
				s := stat[k]
				if s == nil {
					s = &pairStat{}
					stat[k] = s
				}
				s.n++
			}
		}
		i = j
	}
	return stat
}

// overlaps merges each code's coded spans in each source into stretches
// and counts, for each pair of codes, the stretches where both hold and
// the characters both cover; for each code, its stretches and characters.
func (a *part) overlaps(rollUp bool) map[[2]int]*pairStat {
	stat := map[[2]int]*pairStat{}
	get := func(x, y int) *pairStat {
		k := [2]int{min(x, y), max(x, y)}
		s := stat[k]
		if s == nil {
			s = &pairStat{}
			stat[k] = s
		}
		return s
	}
	type span struct{ code, start, end int }
	type event struct {
		pos, code int
		open      bool
	}
	var spans []span
	var events []event
	var set []int
	active := map[int]bool{}
	var act []int
	for i := 0; i < len(a.cs); {
		j := i
		spans = spans[:0]
		for ; j < len(a.cs) && a.src[j] == a.src[i]; j++ {
			set = a.codesOf(set[:0], int(a.cs[j].code), rollUp)
			for _, r := range set {
				spans = append(spans, span{r, a.cs[j].Start, a.cs[j].End})
			}
		}
		i = j
		// Merge each code's spans into stretches (touching spans join).
		slices.SortFunc(spans, func(x, y span) int { return cmp.Or(cmp.Compare(x.code, y.code), cmp.Compare(x.start, y.start)) })
		events = events[:0]
		for k := 0; k < len(spans); {
			cur := spans[k]
			k++
			for ; k < len(spans) && spans[k].code == cur.code && spans[k].start <= cur.end; k++ {
				cur.end = max(cur.end, spans[k].end)
			}
			s := get(cur.code, cur.code)
			s.n++
			s.chars += cur.end - cur.start
			events = append(events, event{cur.start, cur.code, true}, event{cur.end, cur.code, false})
		}
		// Sweep the stretches: closings before openings at one position,
		// since a code's stretches never touch.
		slices.SortFunc(events, func(x, y event) int {
			if c := cmp.Compare(x.pos, y.pos); c != 0 {
				return c
			}
			if x.open != y.open {
				if !x.open {
					return -1
				}
				return 1
			}
			return cmp.Compare(x.code, y.code)
		})
		clear(active)
		prev := 0
		for k := 0; k < len(events); {
			pos := events[k].pos
			if pos > prev && len(active) > 1 {
				act = act[:0]
				for c := range active {
					act = append(act, c)
				}
				for x := range act {
					for y := x + 1; y < len(act); y++ {
						get(act[x], act[y]).chars += pos - prev
					}
				}
			}
			prev = pos
			for ; k < len(events) && events[k].pos == pos; k++ {
				e := events[k]
				if !e.open {
					delete(active, e.code)
					continue
				}
				// A new stretch for this code with every code already
				// holding here (including ones opening at pos before it).
				for c := range active {
					get(c, e.code).n++
				}
				active[e.code] = true
			}
		}
	}
	return stat
}
