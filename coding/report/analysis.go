package report

import (
	"cmp"
	"errors"
	"hash/maphash"
	"slices"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
)

// Sources reads a project's sources for reports, one source at a time, so
// that a report holds one source's sentences and codings, never the
// corpus's. A store implements it (project.Project, each Each in a read
// transaction of its own); FromData reads a Data held whole.
type Sources interface {
	// Each calls start with the head: the codebook, the attributes, the
	// cases that have sources, and every source in order, with no
	// sentences nor codings. start returns the sources to read, in the
	// order to read them (indexes into the head's Sources; nil for every
	// source in order). Each then calls each with those sources, by their
	// index in the head, each with its sentences in text order and its codings by
	// any coder, ordered by start, longest first, code and coder. A
	// sentence that a coding starts or ends inside has its Words. With
	// r.Text the sentences and codings carry their text (without it, the
	// codings by people may lack their byte range, time and model hash,
	// which counts need not), with r.Matches
	// the rules codings their matches; with r.CodingsOnly there are no
	// sentences. each keeps neither slice: they may be reused.
	Each(r Read, start func(head *Data) ([]int, error), each func(src int, sents []Sentence, codings []*coding.Coding) error) error
}

// FromData returns the Sources of a Data held whole, read as a store reads
// a project: the head, then each source asked for, its sentences and
// codings copies, ordered as Each gives them, with their texts and matches
// only when asked.
func FromData(d *Data) Sources { return held{d} }

type held struct{ d *Data }

func (h held) Each(r Read, start func(*Data) ([]int, error), each func(int, []Sentence, []*coding.Coding) error) error {
	d := h.d
	order, err := start(&Data{Codebook: d.Codebook, Attributes: d.Attributes, Cases: d.Cases, Sources: d.Sources})
	if err != nil {
		return err
	}
	if order == nil {
		for s := range d.Sources {
			order = append(order, s)
		}
	}
	for _, s := range order {
		var sents []Sentence
		for _, st := range d.Sentences {
			if st.Source == s && !r.CodingsOnly {
				if !r.Text {
					st.Text = ""
				}
				sents = append(sents, st)
			}
		}
		var codings []*coding.Coding
		for _, c := range d.Codings {
			if c.Source == d.Sources[s].Name {
				cc := *c
				if !r.Text {
					cc.Text = ""
				}
				if !r.Matches {
					cc.Matches = nil
				}
				codings = append(codings, &cc)
			}
		}
		slices.SortStableFunc(codings, func(a, b *coding.Coding) int {
			return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End), cmp.Compare(a.Code, b.Code), cmp.Compare(a.Coder, b.Coder))
		})
		if err := each(s, sents, codings); err != nil {
			return err
		}
	}
	return nil
}

// Read says what Sources.Each reads.
type Read struct {
	Text        bool // the sentences' and codings' text
	Matches     bool // the rules codings' matches
	CodingsOnly bool // no sentences: each is given none
}

// CountOptions choose what Analyse counts besides what every table needs.
type CountOptions struct {
	// Split counts the frequencies by coder or origin too (see
	// FrequencyOptions.Split); Frequencies must then ask for that split.
	Split string
	// Cooccurrence is how code pairs are counted (its Overlap and
	// RollUp); Cooccurrence must then ask for the same.
	Cooccurrence CooccurrenceOptions
}

// Analysis is a project's codings by one coder, or by all, counted source
// by source: every table of reports is made from what it counted
// (frequencies, matrices, co-occurrence, the About sheet's figures) or
// from one more pass over the sources, in order (a row per coding or per
// coded segment), or case by case (the Framework matrix and its quotes).
// It holds no sentence and no coding: its memory is that of the counts,
// by code and source, and of the largest source (or case) read.
type Analysis struct {
	src   Sources
	coder string // "" for every coder
	o     CountOptions

	// g is the project as a part with no sentences nor codings: the head,
	// every code as the tables list them, the coders and origins of the
	// chosen codings, the words of the corpus.
	g *part

	known []string  // codes of the chosen codings not in the codebook, sorted
	ids   numbering // codes met, by id, numbered as met
	rowOf []int     // each numbered code's row in g.codes

	cells  []cell                 // the stats of each code, by source
	pairs  map[[2]int32]*pairStat // by numbered codes
	quotes []quoteCount           // Framework quotes of each code, by source
	splits numbering              // split names (coders or origins), numbered as met

	allCoders map[string]bool
	origins   map[coding.Origin]bool
	perCoder  map[string]int
	hashes    map[string]map[string]int // rules codings by coder and codebook hash

	sentences int         // in the corpus
	words     int         // in the corpus
	codings   int         // chosen
	coded     int         // sentences a chosen coding touches
	fp        [][2]uint64 // each source's fingerprints (codings, sentences), to see a change between passes
	seed      maphash.Seed

	agreement *coding.AgreementReport // for the Agreement sheet's description
}

// cell is the stats of one code's codings (rolled up, or its own; by one
// coder or origin, or all) in one source.
type cell struct {
	src    int32
	code   int32 // numbered as met; -1 for every code together
	split  int32 // in Analysis.split; -1 unsplit
	rolled bool  // with its descendants (only for a code that has them)
	st     stats32
}

// stats32 is stats as a cell keeps it; its cases is 1.
type stats32 struct {
	codings, segments, words int32
}

// quoteCount is how many quotes of a theme a source gives the Framework.
type quoteCount struct {
	src, code int32
	n         int32
}

// errChanged is what a pass says when the project is not what it was when
// counted.
var errChanged = qcode.Errorf(qcode.ECONFLICT, "the project changed while it was read; run the command again")

// errStop stops a pass early, with no error.
var errStop = errors.New("report: stop")

// Analyse reads every source of src once and counts coder's codings ("" for
// every coder), holding one source at a time. A coder with no codings is a
// qcode.ENOTFOUND error that suggests the coders there are; data that does
// not hang together is a qcode.EINTERNAL error.
func Analyse(src Sources, coder string, o CountOptions) (*Analysis, error) {
	switch o.Split {
	case "", "coder", "origin":
	default:
		return nil, qcode.FieldError("split", o.Split, "cannot split the counts by that", "coder", "origin")
	}
	a := &Analysis{src: src, coder: coder, o: o, ids: numbering{of: map[string]int32{}}, pairs: map[[2]int32]*pairStat{},
		splits: numbering{of: map[string]int32{}}, allCoders: map[string]bool{}, origins: map[coding.Origin]bool{},
		perCoder: map[string]int{}, hashes: map[string]map[string]int{}, seed: maphash.MakeSeed()}
	var head *Data
	var chosen []*coding.Coding
	err := src.Each(Read{}, func(h *Data) ([]int, error) {
		if h.Codebook == nil {
			h.Codebook = &codebook.Codebook{}
		}
		if err := checkHead(h); err != nil {
			return nil, err
		}
		head = h
		a.fp = make([][2]uint64, len(h.Sources))
		return nil, nil
	}, func(s int, sents []Sentence, codings []*coding.Coding) error {
		var err error
		chosen, err = a.choose(head, s, codings, chosen[:0], true)
		if err != nil {
			return err
		}
		a.fp[s] = [2]uint64{a.fingerprint(nil, chosen), a.fingerprint(sents, nil)}
		return a.add(head, s, sents, chosen)
	})
	if err != nil {
		return nil, err
	}
	g := &part{data: head, coder: coder, byID: map[string]int{}}
	if g.coders, err = chooseCoders(a.allCoders, coder); err != nil {
		return nil, err
	}
	g.origins = orderOrigins(a.origins)
	for _, id := range a.ids.names {
		if _, ok := codeIn(head.Codebook, id); !ok {
			a.known = append(a.known, id)
		}
	}
	slices.Sort(a.known)
	g.indexCodes(a.known, 0, nil)
	a.rowOf = make([]int, len(a.ids.names))
	for k, id := range a.ids.names {
		a.rowOf[k] = g.byID[id]
	}
	g.srcSents = make([][2]int, len(head.Sources))
	g.total = a.words
	a.g = g
	return a, nil
}

// codeIn finds a code of cb by id.
func codeIn(cb *codebook.Codebook, id string) (*codebook.Code, bool) {
	var found *codebook.Code
	var walk func(cs []*codebook.Code)
	walk = func(cs []*codebook.Code) {
		for _, c := range cs {
			if found != nil {
				return
			}
			if c.ID == id {
				found = c
				return
			}
			walk(c.Codes)
		}
	}
	walk(cb.Codes)
	return found, found != nil
}

// choose appends to dst the codings of source s that the analysis counts,
// noting every coder met while counting. Later passes, which may run side
// by side, change nothing of the analysis.
func (a *Analysis) choose(head *Data, s int, codings []*coding.Coding, dst []*coding.Coding, counting bool) ([]*coding.Coding, error) {
	name := head.Sources[s].Name
	for _, c := range codings {
		if c.Source != name {
			return dst, qcode.Errorf(qcode.EINTERNAL, "report: coding %s names a source the data lacks", c.String())
		}
		if counting {
			a.allCoders[c.Coder] = true
		}
		if a.coder == "" || c.Coder == a.coder {
			dst = append(dst, c)
		}
	}
	return dst, nil
}

// fingerprint sums up what a source's tables are made of, so that a later
// pass can tell that the source is as it was counted.
func (a *Analysis) fingerprint(sents []Sentence, codings []*coding.Coding) uint64 {
	var h maphash.Hash
	h.SetSeed(a.seed)
	num := func(n int) {
		var b [8]byte
		for i := range b {
			b[i] = byte(n >> (8 * i))
		}
		h.Write(b[:])
	}
	num(len(sents))
	for i := range sents {
		num(sents[i].Start)
		num(sents[i].End)
	}
	for _, c := range codings {
		num(c.Start)
		num(c.End)
		h.WriteString(c.Code)
		h.WriteByte(0)
		h.WriteString(c.Coder)
		h.WriteByte(0)
		h.WriteString(c.Memo)
		h.WriteByte(0)
		h.WriteString(string(c.Origin))
		h.WriteByte(0)
	}
	return h.Sum64()
}

// same reports whether source s, read again, is as it was counted: its
// codings, and its sentences unless codingsOnly.
func (a *Analysis) same(s int, sents []Sentence, codings []*coding.Coding, codingsOnly bool) bool {
	return a.fingerprint(nil, codings) == a.fp[s][0] && (codingsOnly || a.fingerprint(sents, nil) == a.fp[s][1])
}

// numbering numbers names in the order they are met.
type numbering struct {
	of    map[string]int32
	names []string // by number
}

// number returns the number of name, numbering it if new.
func (n *numbering) number(name string) int32 {
	k, ok := n.of[name]
	if !ok {
		k = int32(len(n.names))
		n.of[name] = k
		n.names = append(n.names, name)
	}
	return k
}

// onePart makes the part of source s of head: its sentences and the
// chosen codings, its codes numbered with known.
func onePart(head *Data, s int, sents []Sentence, codings []*coding.Coding, known []string) (*part, error) {
	for i := range sents {
		sents[i].Source = 0
	}
	d := &Data{Codebook: head.Codebook, Attributes: head.Attributes, Cases: head.Cases,
		Sources: head.Sources[s : s+1], Sentences: sents, Codings: codings}
	return newPart(d, known)
}

// add counts source s.
func (a *Analysis) add(head *Data, s int, sents []Sentence, chosen []*coding.Coding) error {
	p, err := onePart(head, s, sents, chosen, nil)
	if err != nil {
		return err
	}
	a.sentences += len(sents)
	a.words += p.total
	a.codings += len(p.cs)
	for i := range p.cs {
		c := &p.cs[i]
		coder, origin := p.coders[c.coder], p.origins[c.origin]
		a.perCoder[coder]++
		a.origins[origin] = true
		if origin == coding.OriginRules {
			if a.hashes[coder] == nil {
				a.hashes[coder] = map[string]int{}
			}
			a.hashes[coder][c.hash]++
		}
	}
	a.coded += p.codedSentences()
	src := int32(s)
	put := func(code, split int32, rolled bool, st stats) {
		if st.codings > 0 {
			a.cells = append(a.cells, cell{src, code, split, rolled, stats32{int32(st.codings), int32(st.segments), int32(st.words)}})
		}
	}
	num := make([]int32, len(p.codes))
	for r := range p.codes {
		num[r] = a.ids.number(p.codes[r].id)
	}
	var names []string
	var key func(i int32) int
	switch a.o.Split {
	case "coder":
		names = p.coders
		key = func(i int32) int { return int(p.cs[i].coder) }
	case "origin":
		for _, o := range p.origins {
			names = append(names, string(o))
		}
		key = func(i int32) int { return int(p.cs[i].origin) }
	}
	splitNum := make([]int32, len(names))
	for k, n := range names {
		splitNum[k] = a.splits.number(n)
	}
	for r := range p.codes {
		rolls := []bool{false}
		if len(p.codes[r].children) > 0 {
			rolls = append(rolls, true)
		}
		for _, rolled := range rolls {
			list := p.list(r, rolled)
			if len(list) == 0 {
				continue
			}
			put(num[r], -1, rolled, p.tally(list, 1, one, false)[0])
			if key != nil {
				for k, st := range p.tally(list, len(names), key, false) {
					put(num[r], splitNum[k], rolled, st)
				}
			}
		}
		n := int32(0)
		p.themeQuotes(r, func(int32) { n++ })
		if n > 0 {
			a.quotes = append(a.quotes, quoteCount{src, num[r], n})
		}
	}
	if len(p.cs) > 0 {
		put(-1, -1, false, p.tally(p.all(), 1, one, false)[0])
	}
	for k, st := range p.pairStats(a.o.Cooccurrence) {
		x, y := num[k[0]], num[k[1]]
		pk := [2]int32{min(x, y), max(x, y)}
		sum := a.pairs[pk]
		if sum == nil {
			sum = &pairStat{}
			a.pairs[pk] = sum
		}
		sum.n += st.n
		sum.chars += st.chars
	}
	return nil
}

// codedSentences returns how many of the part's sentences a coding
// touches.
func (a *part) codedSentences() int {
	touched := make([]bool, len(a.sents))
	n := 0
	for i := range a.cs {
		lo, hi := a.sentencesIn(a.src[i], a.cs[i].Start, a.cs[i].End)
		for k := lo; k < hi; k++ {
			if !touched[k] {
				touched[k] = true
				n++
			}
		}
	}
	return n
}

// Coders returns the coders whose codings the analysis counts, sorted.
func (a *Analysis) Coders() []string { return a.g.coders }

// CodingCount returns how many codings the analysis counts.
func (a *Analysis) CodingCount() int { return a.codings }

// Words returns the number of words in the corpus.
func (a *Analysis) Words() int { return a.words }

// Codebook returns the codebook as a table (see part.Codebook).
func (a *Analysis) Codebook() *Table { return a.g.Codebook() }

// frequencyCounts returns what Frequencies counts of code row r, its own
// codings alone with own, a column per split name (nil for none).
func (a *Analysis) frequencyCounts(o FrequencyOptions) func(r int, own bool, split []string) []stats {
	type key struct {
		row   int
		own   bool
		split int32
	}
	type sum struct {
		stats
		cases map[int]bool
	}
	sums := map[key]*sum{}
	for i := range a.cells {
		c := &a.cells[i]
		if c.code < 0 || (o.Split == "") != (c.split < 0) {
			continue
		}
		r := a.rowOf[c.code]
		for _, own := range []bool{false, true} {
			rolled := !own && len(a.g.codes[r].children) > 0
			if c.rolled != rolled {
				continue
			}
			k := key{r, own, c.split}
			s := sums[k]
			if s == nil {
				s = &sum{cases: map[int]bool{}}
				sums[k] = s
			}
			s.add(c)
			s.cases[a.g.data.Sources[c.src].Case] = true
		}
	}
	return func(r int, own bool, split []string) []stats {
		if split == nil {
			split = []string{""}
		}
		out := make([]stats, len(split))
		for k, name := range split {
			n := int32(-1)
			if o.Split != "" {
				var ok bool
				if n, ok = a.splits.of[name]; !ok {
					continue
				}
			}
			if s := sums[key{r, own, n}]; s != nil {
				out[k] = s.stats
				out[k].cases = len(s.cases)
			}
		}
		return out
	}
}

// add adds a cell's stats (not its case) to s.
func (s *stats) add(c *cell) {
	s.codings += int(c.st.codings)
	s.segments += int(c.st.segments)
	s.words += int(c.st.words)
	s.sources++
}

// matrixCounts returns, for each code row (rolled up with rollUp) and
// then every code together, the stats in each of ncol columns, given each
// source's, and in all.
func (a *Analysis) matrixCounts(colOf []int, ncol int, rollUp bool) [][]stats {
	nrow := len(a.g.codes)
	out := make([][]stats, nrow+1)
	for r := range out {
		out[r] = make([]stats, ncol+1)
	}
	type seen struct{ row, col, cas int }
	met := map[seen]bool{}
	for i := range a.cells {
		c := &a.cells[i]
		if c.split >= 0 {
			continue
		}
		r := nrow
		if c.code >= 0 {
			r = a.rowOf[c.code]
			if c.rolled != (rollUp && len(a.g.codes[r].children) > 0) {
				continue
			}
		}
		cs := a.g.data.Sources[c.src].Case
		for _, k := range []int{colOf[c.src], ncol} {
			out[r][k].add(c)
			if m := (seen{r, k, cs}); !met[m] {
				met[m] = true
				out[r][k].cases++
			}
		}
	}
	return out
}

// eachSource reads every source again, with its text (and its codings'
// matches with matches), in order, and calls fn with the part of each:
// its sentences and the chosen codings, its codes those of the tables. A
// source not as it was counted is errChanged.
func (a *Analysis) eachSource(matches bool, fn func(p *part) error) error {
	head := a.g.data
	order := make([]int, len(head.Sources))
	for i := range order {
		order[i] = i
	}
	at := map[int]int{} // the counted index of each source read
	var chosen []*coding.Coding
	return a.src.Each(Read{Text: true, Matches: matches}, a.reread(order, at), func(i int, sents []Sentence, codings []*coding.Coding) error {
		s := at[i]
		var err error
		if chosen, err = a.choose(head, s, codings, chosen[:0], false); err != nil {
			return err
		}
		if !a.same(s, sents, chosen, false) {
			return errChanged
		}
		p, err := onePart(head, s, sents, chosen, a.known)
		if err != nil {
			return err
		}
		return fn(p)
	})
}

// reread returns the start of a later pass over the sources order names
// (indexes into the counted ones): it finds them by name in the head the
// pass reads, and returns them in that order, noting in at each one's
// counted index by its index in the pass. Sources imported since are not
// read; one gone, or whose case or its attributes changed, is errChanged.
func (a *Analysis) reread(order []int, at map[int]int) func(h *Data) ([]int, error) {
	return func(h *Data) ([]int, error) {
		d := a.g.data
		if len(h.Attributes) != len(d.Attributes) {
			return nil, errChanged
		}
		for i := range h.Attributes {
			if h.Attributes[i] != d.Attributes[i] {
				return nil, errChanged
			}
		}
		byName := make(map[string]int, len(h.Sources))
		for i, s := range h.Sources {
			byName[s.Name] = i
		}
		out := make([]int, len(order))
		for k, s := range order {
			i, ok := byName[d.Sources[s].Name]
			if !ok {
				return nil, errChanged
			}
			hc, c := &h.Cases[h.Sources[i].Case], &d.Cases[d.Sources[s].Case]
			if hc.Name != c.Name || !slices.Equal(hc.Values, c.Values) {
				return nil, errChanged
			}
			out[k] = i
			at[i] = s
		}
		return out, nil
	}
}

// Codings returns a row per chosen coding (see part.Codings), read source
// by source as the table is written. It shares its Pass with Segments.
func (a *Analysis) Codings() *Table {
	t, _ := a.sourceTables()
	return t
}

// Segments returns a row per coded sentence (see part.Segments), read
// source by source as the table is written. It shares its Pass with
// Codings.
func (a *Analysis) Segments() *Table {
	_, t := a.sourceTables()
	return t
}

// sourceTables returns the Codings and Segments tables, each read on its
// own or both in one Pass over the sources.
func (a *Analysis) sourceTables() (codings, segments *Table) {
	codings = newStreamTable("Codings", a.g.Codings().Columns, a.codings, func(fn func(row []Cell) error) error {
		return a.eachSource(true, func(p *part) error { return p.Codings().Each(fn) })
	})
	segments = newStreamTable("Segments", a.g.Segments().Columns, a.coded, func(fn func(row []Cell) error) error {
		return a.eachSource(false, func(p *part) error { return p.Segments().Each(fn) })
	})
	newPass([]*Table{codings, segments}, func(fn func(t int, row []Cell) error) error {
		return a.eachSource(true, func(p *part) error {
			if err := p.Codings().Each(func(row []Cell) error { return fn(0, row) }); err != nil {
				return err
			}
			return p.Segments().Each(func(row []Cell) error { return fn(1, row) })
		})
	})
	return codings, segments
}

// caseOrder returns the sources by case: the cases in order, each case's
// sources in order.
func (a *Analysis) caseOrder() []int {
	d := a.g.data
	at := make([]int, len(d.Cases)+1)
	for _, s := range d.Sources {
		at[s.Case+1]++
	}
	for k := range d.Cases {
		at[k+1] += at[k]
	}
	order := make([]int, len(d.Sources))
	for s, src := range d.Sources {
		order[at[src.Case]] = s
		at[src.Case]++
	}
	return order
}

// eachCase reads every source again, case by case, and calls fn with the
// Framework matrix (o) of each case alone, in the order of cases: a matrix
// of one row. Without text its quotes have neither text nor speakers. It holds one case's
// sources at a time. A source not as it was counted is errChanged.
func (a *Analysis) eachCase(o FrameworkOptions, text bool, fn func(ci int, m *Framework) error) error {
	head := a.g.data
	at := map[int]int{} // the counted index of each source read
	var chosen []*coding.Coding
	// The case being gathered, and what it has of its sources so far.
	cur := 0
	var srcs []Source
	var sents []Sentence
	var codings []*coding.Coding
	flush := func() error {
		d := &Data{Codebook: head.Codebook, Attributes: head.Attributes, Cases: head.Cases[cur : cur+1],
			Sources: srcs, Sentences: sents, Codings: codings}
		p, err := newPart(d, a.known)
		if err != nil {
			return err
		}
		m, err := p.frameworkMatrix(o)
		if err != nil {
			return err
		}
		if err := fn(cur, m); err != nil {
			return err
		}
		cur++
		srcs, sents, codings = nil, nil, nil
		return nil
	}
	// Without the quotes' text, no speaker is needed either: the codings
	// alone give the references.
	err := a.src.Each(Read{Text: text, CodingsOnly: !text}, a.reread(a.caseOrder(), at), func(i int, ss []Sentence, cs []*coding.Coding) error {
		s := at[i]
		var err error
		if chosen, err = a.choose(head, s, cs, chosen[:0], false); err != nil {
			return err
		}
		if !a.same(s, ss, chosen, !text) {
			return errChanged
		}
		for cur < head.Sources[s].Case {
			if err := flush(); err != nil {
				return err
			}
		}
		// The reader's slices are its own again with the next source.
		for _, st := range ss {
			st.Source = len(srcs)
			sents = append(sents, st)
		}
		for _, c := range chosen {
			cc := *c
			codings = append(codings, &cc)
		}
		srcs = append(srcs, Source{Name: head.Sources[s].Name})
		return nil
	})
	if err != nil {
		return err
	}
	for cur < len(head.Cases) {
		if err := flush(); err != nil {
			return err
		}
	}
	return nil
}

// FrameworkMatrix returns the Framework Method matrix: a row per case, a
// column per theme (the top-level codes, or o.Themes), each cell with its
// summary (from o.Summaries) and its quotes (the theme's codings and its
// descendants', a passage inside another coded one shown once), read
// case by case. It holds every quote it shows.
func (a *Analysis) FrameworkMatrix(o FrameworkOptions) (*Framework, error) {
	m, err := a.g.frameworkMatrix(o)
	if err != nil {
		return nil, err
	}
	err = a.eachCase(o, true, func(ci int, cm *Framework) error {
		m.Cases[ci] = cm.Cases[0]
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Framework returns the Framework Method matrix as a table (see
// FrameworkMatrix and Framework.Table), read case by case, without the
// texts, as the table is written.
func (a *Analysis) Framework(o FrameworkOptions) (*Table, error) {
	t, _, _, err := a.framework(o)
	return t, err
}

// framework returns the Framework matrix's table and its quotes' (see
// Framework.Table and QuotesTable), each read case by case as it is
// written, and the row of the quotes table where each cell's quotes start
// (see Framework.QuoteRows), from the counts.
func (a *Analysis) framework(o FrameworkOptions) (*Table, *Table, [][]int, error) {
	// The matrix of no quotes gives the columns, and checks the options.
	m, err := a.g.frameworkMatrix(o)
	if err != nil {
		return nil, nil, nil, err
	}
	cells := map[[2]int32]int{} // quotes by source and numbered code
	for _, q := range a.quotes {
		cells[[2]int32{q.src, q.code}] = int(q.n)
	}
	order := a.caseOrder()
	rows := make([][]int, len(m.Cases))
	n, k := 0, 0 // quotes so far; sources of cases so far
	for ci := range m.Cases {
		lo := k
		for k < len(order) && a.g.data.Sources[order[k]].Case == ci {
			k++
		}
		rows[ci] = make([]int, len(m.Themes))
		for th, theme := range m.Themes {
			code, ok := a.ids.of[theme.Code]
			q := 0
			for _, s := range order[lo:k] {
				if ok {
					q += cells[[2]int32{int32(s), code}]
				}
			}
			rows[ci][th] = -1
			if q > 0 {
				rows[ci][th] = n
			}
			n += q
		}
	}
	mt, qt := m.Table(), m.QuotesTable()
	// The matrix shows the quotes' references alone: it reads no text.
	table := newStreamTable(mt.Name, mt.Columns, len(m.Cases), func(fn func(row []Cell) error) error {
		return a.eachCase(o, false, func(_ int, cm *Framework) error { return cm.Table().Each(fn) })
	})
	quotes := newStreamTable(qt.Name, qt.Columns, n, func(fn func(row []Cell) error) error {
		return a.eachCase(o, true, func(_ int, cm *Framework) error { return cm.QuotesTable().Each(fn) })
	})
	// Read with the quotes' text, the matrix is as it is without.
	newPass([]*Table{table, quotes}, func(fn func(t int, row []Cell) error) error {
		return a.eachCase(o, true, func(_ int, cm *Framework) error {
			if err := cm.Table().Each(func(row []Cell) error { return fn(0, row) }); err != nil {
				return err
			}
			return cm.QuotesTable().Each(func(row []Cell) error { return fn(1, row) })
		})
	})
	return table, quotes, rows, nil
}
