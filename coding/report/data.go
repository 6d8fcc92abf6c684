package report

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"time"

	"qcode"
	"qcode/codebook"
	"qcode/coding"
	"qcode/corpus"
)

// Data is everything reports are made from, as plain values: the codebook,
// the corpus (sources, their cases and attributes, and their sentences with
// the character spans of their words) and the codings. A store fills it;
// tests can build it by hand.
type Data struct {
	Codebook   *codebook.Codebook
	Attributes []Attribute // in the order the project lists them
	Cases      []Case
	Sources    []Source
	// Sentences of every source, each source's in text order.
	Sentences []Sentence
	// Codings with their text, by any coder. Their Source names one of
	// Sources.
	Codings []*coding.Coding
}

// Attribute is one attribute cases may have.
type Attribute struct {
	Name string
	Type corpus.AttrType
}

// Case is one case (a participant) and its attributes' values.
type Case struct {
	Name string
	// Values[i] is the case's value of Attributes[i], "" when it has none.
	Values []string
}

// Source is one source (an interview, a survey respondent).
type Source struct {
	Name string
	Case int // index into Data.Cases
}

// Sentence is one sentence of a source and the turn it is in. Start and
// End are character offsets into the source's text.
type Sentence struct {
	Source    int // index into Data.Sources
	Ord       int // its number in the source: P03:s41
	Turn      int // its turn's number: P03:t12
	Speaker   string
	TimeStart corpus.Time // the turn's times, corpus.NoTime when unknown
	TimeEnd   corpus.Time
	Start     int
	End       int
	Text      string
	// WordCount is its number of words (tokens holding a letter or digit).
	WordCount int
	// Words are its words, in order, where a coding's start or end falls
	// inside the sentence, the only place a count of words coded needs
	// them; nil elsewhere, when the sentence's WordCount says enough.
	Words []Word
}

// words returns the sentence's number of words: its WordCount, or its
// Words where only they are given.
func (s *Sentence) words() int { return max(s.WordCount, len(s.Words)) }

// Word is the character span of one word in its source's text.
type Word struct {
	Start, End int32
}

// part is a part of a project's Data (one source, or one case's sources)
// made ready for reports: the chosen codings in order, each code's
// codings, and each source's words, so that every count over the part is
// one pass over what it needs. An Analysis adds up parts, source by
// source.
type part struct {
	data  *Data
	coder string // "" for every coder

	agreement *coding.AgreementReport // for the Agreement sheet's description

	cs  []rec   // the chosen codings by source, start, longest first
	src []int32 // each coding's source

	codes    []codeRow
	byID     map[string]int
	maxDepth int

	sents    []*Sentence // by source, then start
	srcSents [][2]int    // each source's sentences: sents[lo:hi]
	// firstWord[k] numbers the first word of sents[k], counting every
	// word of the corpus in order, so that a word is known by a number.
	firstWord []int
	total     int // words in the corpus

	coders  []string // every coder of the chosen codings, sorted
	origins []coding.Origin
	units   []coding.Unit
}

// rec is a chosen coding, as small as reports allow.
type rec struct {
	Start, End int    // characters
	code       int32  // its code's row
	coder      int32  // in part.coders
	ord        int32  // the segment's number
	origin     uint8  // in part.origins
	unit       uint8  // in part.units
	negated    bool   // rules: every match was negated
	text, memo string // the coded text, the memo
	hash       string // rules: the codebook's hash
	matched    string // rules: the words matched, see matched
	created    int64  // Unix seconds; noTime when unknown
}

const noTime = math.MinInt64

func unixOrNone(t time.Time) int64 {
	if t.IsZero() {
		return noTime
	}
	return t.Unix()
}

// unitPos returns the position of u in a.units, adding it if new.
func (a *part) unitPos(u coding.Unit) uint8 {
	for i, v := range a.units {
		if v == u {
			return uint8(i)
		}
	}
	a.units = append(a.units, u)
	return uint8(len(a.units) - 1)
}

// segment returns the id of coding i's segment: P03:s41, P03:t12, P03 or
// P03:1200-1388.
func (a *part) segment(i int32) string {
	c := &a.cs[i]
	return coding.Ref{Source: a.data.Sources[a.src[i]].Name, Unit: a.units[c.unit], Ord: int(c.ord), Start: c.Start, End: c.End}.String()
}

// codeRow is one code as reports list it: a code of the codebook, or a code
// that codings name but the codebook lacks.
type codeRow struct {
	id, name, path string
	code           *codebook.Code // nil when not in the codebook
	level          int
	parent         int
	children       []int
	codings        []int32 // positions in part.cs, ascending
	rolled         []int32 // codings of the code and its descendants, if it has any
}

// newPart prepares d, a part of a project whose head Analyse checked,
// for reports on its codings: the chosen ones, by any coder. It keeps d's
// sources, cases and sentences, which must not change after, and copies
// what it needs of the codings, so that d.Codings may go. Its codes are
// the codebook's, then those of known (the codes not in the codebook that
// the whole project's chosen codings name, sorted), then any other its
// codings name, so that parts made with one known list number their codes
// alike. Data that does not hang together (a coding of an unknown source,
// a sentence of none) is a qcode.EINTERNAL error.
func newPart(d *Data, known []string) (*part, error) {
	if d.Codebook == nil {
		d.Codebook = &codebook.Codebook{}
	}
	a := &part{data: d, byID: map[string]int{}}
	srcIndex := make(map[string]int32, len(d.Sources))
	for i, s := range d.Sources {
		srcIndex[s.Name] = int32(i)
	}

	coders := map[string]bool{}
	for _, c := range d.Codings {
		coders[c.Coder] = true
	}
	a.coders = sortedKeys(coders)
	type keyed struct {
		c   *coding.Coding
		src int32
	}
	chosen := make([]keyed, 0, len(d.Codings))
	origins := map[coding.Origin]bool{}
	for _, c := range d.Codings {
		s, ok := srcIndex[c.Source]
		if !ok {
			return nil, qcode.Errorf(qcode.EINTERNAL, "report: coding %s names a source the data lacks", c.String())
		}
		if c.Start < 0 || c.End <= c.Start {
			return nil, qcode.Errorf(qcode.EINTERNAL, "report: coding %s has an empty span", c.String())
		}
		chosen = append(chosen, keyed{c, s})
		origins[c.Origin] = true
	}
	slices.SortStableFunc(chosen, func(x, y keyed) int {
		return cmp.Or(cmp.Compare(x.src, y.src), cmp.Compare(x.c.Start, y.c.Start), cmp.Compare(y.c.End, x.c.End),
			cmp.Compare(x.c.Code, y.c.Code), cmp.Compare(x.c.Coder, y.c.Coder))
	})
	a.origins = orderOrigins(origins)
	a.indexCodes(known, len(chosen), func(i int) string { return chosen[i].c.Code })
	// The codings are kept in a compact form of their own, so that the
	// data's codings can go once the analysis is made.
	coderPos := map[string]int32{}
	for i, c := range a.coders {
		coderPos[c] = int32(i)
	}
	originPos := map[coding.Origin]uint8{}
	for i, o := range a.origins {
		originPos[o] = uint8(i)
	}
	hashes := map[string]string{}
	a.cs = make([]rec, len(chosen))
	a.src = make([]int32, len(chosen))
	for i, k := range chosen {
		c := k.c
		h, ok := hashes[c.CodebookHash]
		if !ok {
			h = c.CodebookHash
			hashes[h] = h
		}
		a.cs[i] = rec{Start: c.Start, End: c.End, code: int32(a.byID[c.Code]), coder: coderPos[c.Coder], ord: int32(c.Ord),
			origin: originPos[c.Origin], unit: a.unitPos(c.Unit), negated: c.Negated,
			text: c.Text, memo: c.Memo, hash: h, matched: matched(c.Matches), created: unixOrNone(c.CreatedAt)}
		a.src[i] = k.src
		r := &a.codes[a.byID[c.Code]]
		r.codings = append(r.codings, int32(i))
	}
	a.rollUp()
	// The analysis keeps its own codings; the data's can go.
	data := *d
	data.Codings = nil
	a.data = &data

	if err := a.indexSentences(); err != nil {
		return nil, err
	}
	return a, nil
}

// checkHead checks that every source of d has a case and every case a
// value (or "") for every attribute.
func checkHead(d *Data) error {
	for _, s := range d.Sources {
		if s.Case < 0 || s.Case >= len(d.Cases) {
			return qcode.Errorf(qcode.EINTERNAL, "report: source %s has no case", s.Name)
		}
	}
	for i := range d.Cases {
		if len(d.Cases[i].Values) != len(d.Attributes) {
			return qcode.Errorf(qcode.EINTERNAL, "report: case %s has %d attribute values for %d attributes", d.Cases[i].Name, len(d.Cases[i].Values), len(d.Attributes))
		}
	}
	return nil
}

// chooseCoders returns the coders reports are made of: every coder of
// the codings (the keys of all), sorted, or coder alone. A coder with no
// codings is a qcode.ENOTFOUND error that suggests the coders there are.
func chooseCoders(all map[string]bool, coder string) ([]string, error) {
	coders := sortedKeys(all)
	if coder != "" && !all[coder] {
		if len(coders) == 0 {
			return nil, &qcode.Error{Code: qcode.ENOTFOUND, Field: "coder", Value: coder, Message: "the project has no codings yet; run 'qcode code' or 'qcode coding add'"}
		}
		return nil, &qcode.Error{Code: qcode.ENOTFOUND, Field: "coder", Value: coder, Message: "no codings by " + coder + " in the project", Allowed: coders}
	}
	if coder != "" {
		return []string{coder}, nil
	}
	return coders, nil
}

// orderOrigins lists the origins of a set in coding.Origins' order, then
// any other sorted. It empties the set.
func orderOrigins(set map[coding.Origin]bool) []coding.Origin {
	var out []coding.Origin
	for _, o := range coding.Origins {
		if set[o] {
			out = append(out, o)
			delete(set, o)
		}
	}
	return append(out, sortedKeys(set)...)
}

func sortedKeys[K cmp.Ordered](m map[K]bool) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// indexSentences orders the sentences by source and start, and numbers
// their words.
func (a *part) indexSentences() error {
	d := a.data
	a.sents = make([]*Sentence, len(d.Sentences))
	for i := range d.Sentences {
		s := &d.Sentences[i]
		if s.Source < 0 || s.Source >= len(d.Sources) {
			return qcode.Errorf(qcode.EINTERNAL, "report: sentence %d belongs to no source", s.Ord)
		}
		a.sents[i] = s
	}
	slices.SortStableFunc(a.sents, func(x, y *Sentence) int {
		return cmp.Or(cmp.Compare(x.Source, y.Source), cmp.Compare(x.Start, y.Start))
	})
	a.srcSents = make([][2]int, len(d.Sources))
	a.firstWord = make([]int, len(a.sents)+1)
	for k, st := range a.sents {
		a.firstWord[k+1] = a.firstWord[k] + st.words()
	}
	i := 0
	for s := range d.Sources {
		lo := i
		for i < len(a.sents) && a.sents[i].Source == s {
			i++
		}
		a.srcSents[s] = [2]int{lo, i}
	}
	a.total = a.firstWord[len(a.sents)]
	return nil
}

// indexCodes lists the codebook's codes in order, then the known codes
// the codebook lacks (sorted), then any other code codings name that the
// codebook lacks, sorted.
func (a *part) indexCodes(known []string, n int, code func(i int) string) {
	var add func(c *codebook.Code, parent int)
	add = func(c *codebook.Code, parent int) {
		if _, dup := a.byID[c.ID]; dup {
			return
		}
		r := codeRow{id: c.ID, name: c.Name, path: c.Path(), code: c, level: c.Depth(), parent: parent}
		i := len(a.codes)
		a.codes = append(a.codes, r)
		a.byID[c.ID] = i
		if parent >= 0 {
			a.codes[parent].children = append(a.codes[parent].children, i)
		}
		a.maxDepth = max(a.maxDepth, r.level)
		for _, ch := range c.Codes {
			add(ch, i)
		}
	}
	for _, c := range a.data.Codebook.Codes {
		add(c, -1)
	}
	for _, id := range known {
		if _, ok := a.byID[id]; !ok {
			a.byID[id] = len(a.codes)
			a.codes = append(a.codes, codeRow{id: id, name: id, path: id + " (not in the codebook)", level: 1, parent: -1})
			a.maxDepth = max(a.maxDepth, 1)
		}
	}
	var unknown []string
	seen := map[string]bool{}
	for i := range n {
		if id := code(i); !seen[id] {
			seen[id] = true
			if _, ok := a.byID[id]; !ok {
				unknown = append(unknown, id)
			}
		}
	}
	sort.Strings(unknown)
	for _, id := range unknown {
		a.byID[id] = len(a.codes)
		a.codes = append(a.codes, codeRow{id: id, name: id, path: id + " (not in the codebook)", level: 1, parent: -1})
		a.maxDepth = max(a.maxDepth, 1)
	}
}

// list returns code r's codings, alone or with its descendants'.
func (a *part) list(r int, rollUp bool) []int32 {
	row := &a.codes[r]
	if !rollUp || len(row.children) == 0 {
		return row.codings
	}
	return row.rolled
}

// rollUp gives each code with children the codings of its subtree, so
// that reports only read the analysis and may run side by side.
func (a *part) rollUp() {
	for r := range a.codes {
		if len(a.codes[r].children) == 0 {
			continue
		}
		var all []int32
		a.walk(r, func(i int) { all = append(all, a.codes[i].codings...) })
		slices.Sort(all)
		a.codes[r].rolled = slices.Compact(all)
	}
}

// walk calls fn for code r and each of its descendants.
func (a *part) walk(r int, fn func(int)) {
	fn(r)
	for _, ch := range a.codes[r].children {
		a.walk(ch, fn)
	}
}

// all returns the positions of every chosen coding.
func (a *part) all() []int32 {
	out := make([]int32, len(a.cs))
	for i := range out {
		out[i] = int32(i)
	}
	return out
}

// sentencesIn returns the range of sentences of source s that overlap the
// characters [start, end).
func (a *part) sentencesIn(s int32, start, end int) (int, int) {
	r := a.srcSents[s]
	ss := a.sents[r[0]:r[1]]
	lo := sort.Search(len(ss), func(i int) bool { return ss[i].End > start })
	hi := sort.Search(len(ss), func(i int) bool { return ss[i].Start >= end })
	if hi < lo {
		hi = lo
	}
	return r[0] + lo, r[0] + hi
}

// wordsIn returns the numbers [lo, hi) of source s's words that overlap
// [start, end) (see firstWord).
func (a *part) wordsIn(s int32, start, end int32) (int, int) {
	lo, hi := a.sentencesIn(s, int(start), int(end))
	if lo >= hi {
		return a.firstWord[lo], a.firstWord[lo]
	}
	// A sentence wholly inside the span counts all its words; one the
	// span starts or ends inside has its words, to count those inside.
	from, to := a.firstWord[lo], a.firstWord[hi]
	if first := a.sents[lo]; int(start) > first.Start {
		from += sort.Search(len(first.Words), func(i int) bool { return first.Words[i].End > start })
	}
	if last := a.sents[hi-1]; int(end) < last.End {
		to = a.firstWord[hi-1] + sort.Search(len(last.Words), func(i int) bool { return last.Words[i].Start >= end })
	}
	return from, max(from, to)
}

// codeRowOf returns the row of a code id, or an error suggesting the
// nearest ids.
func (a *part) codeRowOf(id string) (int, error) {
	if r, ok := a.byID[id]; ok {
		return r, nil
	}
	ids := make([]string, len(a.codes))
	for i, c := range a.codes {
		ids[i] = c.id
	}
	return -1, &qcode.Error{Code: qcode.ENOTFOUND, Field: "code", Value: id, Message: "no such code in the codebook (see 'qcode codebook show')", Near: ids}
}

// attribute returns the index of the named attribute, or an error that
// suggests the nearest names.
func (a *part) attribute(name string) (int, error) {
	names := make([]string, len(a.data.Attributes))
	for i, at := range a.data.Attributes {
		if at.Name == name {
			return i, nil
		}
		names[i] = at.Name
	}
	if len(names) == 0 {
		return -1, &qcode.Error{Code: qcode.ENOTFOUND, Field: "attribute", Value: name, Message: "the project's cases have no attributes; see 'qcode attributes import'"}
	}
	return -1, &qcode.Error{Code: qcode.ENOTFOUND, Field: "attribute", Value: name, Message: "no such attribute in the project", Allowed: names}
}
