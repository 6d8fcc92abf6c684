package report

// stats are the counts reports give for a set of codings.
type stats struct {
	codings  int // codings
	segments int // distinct coded spans: two coders on one sentence are one segment
	sources  int // sources with a coding
	cases    int // cases with a coding
	words    int // words in the union of the coded spans
}

// acc gathers stats over codings met in order (by source, then start).
type acc struct {
	stats
	src        int32 // the source being read; -1 before the first
	segS, segE int   // the last coded span
	curS, curE int   // the union of coded spans being built
	wordHi     int   // the words numbered below this are counted
}

// tally returns the stats of the codings at positions idx (ascending),
// split into ncol columns by key; a key of -1 leaves a coding out. With
// total, one more column, after the others, holds the stats of all the
// codings kept, counted as one column in the same pass.
func (a *part) tally(idx []int32, ncol int, key func(i int32) int, total bool) []stats {
	n := ncol
	if total {
		n++
	}
	accs := make([]acc, n)
	for k := range accs {
		accs[k].src = -1
	}
	seenCase := map[caseCol]bool{}
	for _, i := range idx {
		k := key(i)
		if k < 0 {
			continue
		}
		a.add(&accs[k], k, i, seenCase)
		if total {
			a.add(&accs[ncol], ncol, i, seenCase)
		}
	}
	out := make([]stats, n)
	for k := range accs {
		a.flush(&accs[k])
		out[k] = accs[k].stats
	}
	return out
}

// caseCol is a case met in a column of a tally.
type caseCol struct{ col, cas int }

// add counts coding i into x, the accumulator of column k.
func (a *part) add(x *acc, k int, i int32, seenCase map[caseCol]bool) {
	c, s := &a.cs[i], a.src[i]
	x.codings++
	if s != x.src {
		a.flush(x)
		x.src = s
		x.sources++
		cc := caseCol{k, a.data.Sources[s].Case}
		if !seenCase[cc] {
			seenCase[cc] = true
			x.cases++
		}
		x.segments++
		x.segS, x.segE = c.Start, c.End
		x.curS, x.curE = c.Start, c.End
		x.wordHi = 0
		return
	}
	if c.Start != x.segS || c.End != x.segE {
		x.segments++
		x.segS, x.segE = c.Start, c.End
	}
	if c.Start <= x.curE {
		x.curE = max(x.curE, c.End)
	} else {
		a.flush(x)
		x.curS, x.curE = c.Start, c.End
	}
}

// flush counts the words of the span being built. A word is counted once
// however many coded spans it touches.
func (a *part) flush(x *acc) {
	if x.src < 0 || x.curE <= x.curS {
		return
	}
	lo, hi := a.wordsIn(x.src, int32(x.curS), int32(x.curE))
	lo = max(lo, x.wordHi)
	if hi > lo {
		x.words += hi - lo
		x.wordHi = hi
	}
	x.curS, x.curE = 0, 0
}

// one is the key of a single column.
func one(int32) int { return 0 }

// measure names a count a matrix can hold.
type measure string

// Measures of a matrix cell.
const (
	countCodings  measure = "codings"
	countSegments measure = "segments"
	countSources  measure = "sources"
	countCases    measure = "cases"
	countWords    measure = "words"
)

// Measures lists what a matrix can count, for flags and messages.
var Measures = []string{string(countCodings), string(countSegments), string(countSources), string(countCases), string(countWords)}

func (s stats) get(m measure) int {
	switch m {
	case countCodings:
		return s.codings
	case countSources:
		return s.sources
	case countCases:
		return s.cases
	case countWords:
		return s.words
	}
	return s.segments
}
