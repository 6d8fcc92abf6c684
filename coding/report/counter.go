package report

import (
	"qcode"
	"qcode/coding"
)

// FrequencyCounter makes the Frequencies table source by source, holding
// one source's sentences and codings at a time rather than the corpus's,
// so that its memory stays that of the largest source however large the
// project grows. Its counts are those of Analysis.Frequencies: every count
// of a code adds up over sources but its cases, which are gathered as a
// set.
type FrequencyCounter struct {
	head  *Data // codebook, attributes, cases and sources
	coder string
	o     FrequencyOptions

	total   int // words in the corpus
	counted int // codings chosen
	coders  map[string]bool
	origins map[coding.Origin]bool // of the chosen codings
	codes   map[string]bool        // of the chosen codings
	sums    map[freqKey]*freqSum
}

// freqKey names one cell of counts: a code, a split column ("" without a
// split) and whether it counts the code's own codings alone.
type freqKey struct {
	code, split string
	own         bool
}

// freqSum is a cell's counts summed over sources, with its cases.
type freqSum struct {
	stats
	cases map[int]bool
}

// NewFrequencyCounter prepares to count coder's codings ("" for every
// coder) into the Frequencies table o asks for. head holds the codebook,
// the attributes, the cases and every source, and no sentences nor
// codings: Add brings those a source at a time.
func NewFrequencyCounter(head *Data, coder string, o FrequencyOptions) (*FrequencyCounter, error) {
	switch o.Split {
	case "", "coder", "origin":
	default:
		return nil, qcode.FieldError("split", o.Split, "cannot split the counts by that", "coder", "origin")
	}
	for _, s := range head.Sources {
		if s.Case < 0 || s.Case >= len(head.Cases) {
			return nil, qcode.Errorf(qcode.EINTERNAL, "report: source %s has no case", s.Name)
		}
	}
	return &FrequencyCounter{head: head, coder: coder, o: o, coders: map[string]bool{},
		origins: map[coding.Origin]bool{}, codes: map[string]bool{}, sums: map[freqKey]*freqSum{}}, nil
}

// Add counts source src (an index into the head's Sources): its sentences,
// in text order, and its codings by any coder. It sets each sentence's
// Source to 0 and keeps neither slice.
func (f *FrequencyCounter) Add(src int, sents []Sentence, codings []*coding.Coding) error {
	if src < 0 || src >= len(f.head.Sources) {
		return qcode.Errorf(qcode.EINTERNAL, "report: source %d of %d", src, len(f.head.Sources))
	}
	for i := range sents {
		sents[i].Source = 0
	}
	for _, c := range codings {
		if c.Source != f.head.Sources[src].Name {
			return qcode.Errorf(qcode.EINTERNAL, "report: coding %s names a source the data lacks", c.String())
		}
	}
	d := &Data{Codebook: f.head.Codebook, Attributes: f.head.Attributes, Cases: f.head.Cases,
		Sources: f.head.Sources[src : src+1], Sentences: sents, Codings: codings}
	a, err := New(d, "")
	if err != nil {
		return err
	}
	f.total += a.total
	for _, c := range a.coders {
		f.coders[c] = true
	}
	// The codings of the coder counted, in this source's own numbering
	// of coders and origins.
	chosen := func(i int32) bool { return f.coder == "" || a.coders[a.cs[i].coder] == f.coder }
	for i := range a.cs {
		if chosen(int32(i)) {
			f.counted++
			f.origins[a.origins[a.cs[i].origin]] = true
			f.codes[a.codes[a.cs[i].code].id] = true
		}
	}
	var names []string
	key := func(i int32) int {
		if !chosen(i) {
			return -1
		}
		return 0
	}
	switch f.o.Split {
	case "coder":
		names = a.coders
		key = func(i int32) int {
			if !chosen(i) {
				return -1
			}
			return int(a.cs[i].coder)
		}
	case "origin":
		for _, o := range a.origins {
			names = append(names, string(o))
		}
		key = func(i int32) int {
			if !chosen(i) {
				return -1
			}
			return int(a.cs[i].origin)
		}
	default:
		names = []string{""}
	}
	caseOf := f.head.Sources[src].Case
	for r := range a.codes {
		for _, own := range []bool{false, true} {
			if own && !f.o.Own {
				continue
			}
			list := a.list(r, !own)
			if len(list) == 0 {
				continue
			}
			for k, s := range a.tally(list, len(names), key, false) {
				if s.codings == 0 {
					continue
				}
				fk := freqKey{a.codes[r].id, names[k], own}
				sum := f.sums[fk]
				if sum == nil {
					sum = &freqSum{cases: map[int]bool{}}
					f.sums[fk] = sum
				}
				sum.codings += s.codings
				sum.segments += s.segments
				sum.sources += s.sources
				sum.words += s.words
				if s.cases > 0 {
					sum.cases[caseOf] = true
				}
			}
		}
	}
	return nil
}

// Table returns the Frequencies table of everything added, and the
// analysis it is a table of, which tells the codings counted, the coders
// and the words (CodingCount, Coders, Words) and holds no codings. A coder
// with no codings is the qcode.ENOTFOUND error New gives.
func (f *FrequencyCounter) Table() (*Table, *Analysis, error) {
	a := &Analysis{data: f.head, coder: f.coder, byID: map[string]int{}, total: f.total, counted: f.counted}
	var err error
	if a.coders, err = chooseCoders(f.coders, f.coder); err != nil {
		return nil, nil, err
	}
	a.origins = orderOrigins(f.origins)
	codes := sortedKeys(f.codes)
	a.indexCodes(len(codes), func(i int) string { return codes[i] })
	t, err := a.frequencies(f.o, func(r int, own bool, split []string) []stats {
		if split == nil {
			split = []string{""}
		}
		out := make([]stats, len(split))
		for k, name := range split {
			if sum := f.sums[freqKey{a.codes[r].id, name, own}]; sum != nil {
				out[k] = sum.stats
				out[k].cases = len(sum.cases)
			}
		}
		return out
	})
	if err != nil {
		return nil, nil, err
	}
	return t, a, nil
}
