package coding

// This file turns codings into reliability data: for chosen coders and
// codes, whether each coder applied each code to each unit. The statistics
// are in agreement_stats.go and package agree.

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"qcode"
	"qcode/coding/agree"
)

// UnitChar is the unit of a character-level comparison: every character of
// a source's text is a unit, as in NVivo's coding comparison.
const UnitChar Unit = "char"

// AgreementUnits are the units agreement is measured on, the values of
// the field "unit" of qcode agree.
var AgreementUnits = []Unit{UnitSentence, UnitParagraph, UnitTurn, UnitSource, UnitChar}

// ParseAgreementUnit returns the agreement unit named s (see
// AgreementUnits).
func ParseAgreementUnit(s string) (Unit, error) {
	return parseUnit(s, AgreementUnits)
}

// AgreementUnit is one unit of an agreement: a sentence, paragraph or
// turn, or a whole source. For UnitChar each source is given whole, and
// every character of it is a unit.
type AgreementUnit struct {
	Ref        Ref    // P03:s41, P03:p5, P03:t12, or P03 for a whole source
	Start, End int    // its characters in the source's text
	Text       string // its text
}

// AgreementSpec says what to compare.
type AgreementSpec struct {
	Unit   Unit
	Coders []string // two or more, each once
	// Codes are the codes compared. Empty means every code one of the
	// coders applied to a unit used, in the order of Order and then by id.
	Codes []string
	Order []string // the codebook's codes, in its order, for Codes' default
	// Seen names, by coder, sources the coder saw besides those the coder
	// has codings in: the sources the rules ran over, say.
	Seen map[string][]string
	// Disagreements asks for each unit (for UnitChar, each stretch of
	// characters) on which the coders differ, with its text.
	Disagreements bool
	// Sources limits the units to these sources' (one interview, say);
	// none for every source.
	Sources []string
}

// Reliability is binary reliability data built from codings: for each code,
// on how many units each number of coders applied it. Every coder judged
// every unit, so no value is missing: units of sources a coder had not seen
// are left out (see BuildReliability).
type Reliability struct {
	Unit    Unit
	Coders  []string
	Codes   []string
	Sources []SourceUse
	Units   int64 // units used: in sources every coder saw (characters, for UnitChar)
	Dropped int64 // units left out: in sources some coder had not seen

	// Ones[c][k]: units on which exactly k coders applied code c.
	Ones [][]int64
	// Applied[c][i]: units to which coder i applied code c.
	Applied [][]int64
	// Profiles: the kinds of unit, for the bootstrap (agree.BootstrapBinary).
	Profiles []agree.Profile
	// Disagreements, when asked for, in source order and by position.
	Disagreements []Disagreement
}

// SourceUse says whether a source's units were used, and if not, which
// coders had not seen it.
type SourceUse struct {
	Source string   `json:"source"`
	Units  int64    `json:"units"`
	Used   bool     `json:"used"`
	Unseen []string `json:"unseen_by,omitempty"` // coders with no coding in it
}

// Disagreement is a unit (for UnitChar, a stretch of characters) on which
// the coders did not all do the same with some code.
type Disagreement struct {
	Ref     Ref     `json:"-"`
	Segment string  `json:"segment"` // P03:s41, or P03:1200-1388 for characters
	Source  string  `json:"source"`
	Start   int     `json:"start"`
	End     int     `json:"end"`
	Text    string  `json:"text"`
	Codes   []Split `json:"codes"`
}

// Split is how the coders split on one code of a Disagreement.
type Split struct {
	Code  string   `json:"code"`
	By    []string `json:"by"`     // coders who applied it
	NotBy []string `json:"not_by"` // coders who did not
}

// mark is one coder's code on a piece of text.
type mark struct{ code, coder int32 }

// piece is a unit, or for UnitChar a stretch of characters, that some
// coder coded with a compared code.
type piece struct {
	unit       int // index into the units: the unit, or for UnitChar its source
	start, end int // characters
	weight     int64
	marks      []mark // sorted, each once
}

// BuildReliability builds, from the coders' codings, their reliability
// data over the units, one present/absent judgement per unit and code.
//
// A coding covers a sentence, paragraph, turn or source when its span
// shares one character or more with the unit's span, as NVivo treats
// sentences and paragraphs: a sentence coded on three of its words is
// coded, and a turn coded whole codes each of its sentences. For UnitChar a
// coding covers exactly the characters of its span.
//
// A coder has seen a source when the coder has at least one coding in it,
// of any code (or spec.Seen says so). Only the units of sources every
// coder saw are used: a coder who never coded a source did not judge it,
// so is missing there, not absent, and counting those units as "not coded"
// would score agreement on work that was never done. The other sources'
// units are counted in Dropped and named in Sources.
//
// units lists every unit of every source, in source order and by position
// within a source; codings may hold other coders' codings too, which are
// ignored.
func BuildReliability(spec AgreementSpec, units []AgreementUnit, codings []Coding) (*Reliability, error) {
	if err := spec.check(); err != nil {
		return nil, err
	}
	if len(spec.Sources) > 0 {
		units = slices.DeleteFunc(slices.Clone(units), func(u AgreementUnit) bool { return !slices.Contains(spec.Sources, u.Ref.Source) })
	}
	m := len(spec.Coders)
	coderIx := make(map[string]int32, m)
	for i, c := range spec.Coders {
		coderIx[c] = int32(i)
	}

	// Sources, in the order of the units, and who saw each.
	type srcInfo struct {
		name  string
		units []int // indexes into units
		seen  []bool
	}
	var srcs []*srcInfo
	bySrc := map[string]*srcInfo{}
	for i, u := range units {
		s := bySrc[u.Ref.Source]
		if s == nil {
			s = &srcInfo{name: u.Ref.Source, seen: make([]bool, m)}
			bySrc[s.name] = s
			srcs = append(srcs, s)
		}
		s.units = append(s.units, i)
	}
	for coder, names := range spec.Seen {
		if c, ok := coderIx[coder]; ok {
			for _, n := range names {
				if s := bySrc[n]; s != nil {
					s.seen[c] = true
				}
			}
		}
	}
	for i := range codings {
		if c, ok := coderIx[codings[i].Coder]; ok {
			if s := bySrc[codings[i].Source]; s != nil {
				s.seen[c] = true
			}
		}
	}

	r := &Reliability{Unit: spec.Unit, Coders: slices.Clone(spec.Coders)}
	used := map[string]bool{}
	for _, s := range srcs {
		use := SourceUse{Source: s.name, Used: true}
		for _, i := range s.units {
			if spec.Unit == UnitChar {
				use.Units += int64(units[i].End - units[i].Start)
			} else {
				use.Units++
			}
		}
		for c, ok := range s.seen {
			if !ok {
				use.Used = false
				use.Unseen = append(use.Unseen, spec.Coders[c])
			}
		}
		if use.Used {
			r.Units += use.Units
			used[s.name] = true
		} else {
			r.Dropped += use.Units
		}
		r.Sources = append(r.Sources, use)
	}

	// The codes: those asked for, else every code the coders applied in
	// the sources used (those that cover no unit are dropped below).
	codeIx := map[string]int32{}
	codes := spec.Codes
	if len(codes) == 0 {
		for i := range codings {
			c := &codings[i]
			if _, ok := coderIx[c.Coder]; ok && used[c.Source] {
				if _, ok := codeIx[c.Code]; !ok {
					codeIx[c.Code] = int32(len(codes))
					codes = append(codes, c.Code)
				}
			}
		}
	} else {
		for i, c := range codes {
			codeIx[c] = int32(i)
		}
	}

	// The compared codings of each source used.
	perSrc := map[string][]*Coding{}
	for i := range codings {
		c := &codings[i]
		_, okCoder := coderIx[c.Coder]
		_, okCode := codeIx[c.Code]
		if okCoder && okCode && used[c.Source] && c.End > c.Start {
			perSrc[c.Source] = append(perSrc[c.Source], c)
		}
	}
	var pieces []piece
	for _, s := range srcs {
		if !used[s.name] || len(perSrc[s.name]) == 0 {
			continue
		}
		if spec.Unit == UnitChar {
			pieces = charPieces(pieces, units, s.units, perSrc[s.name], codeIx, coderIx)
		} else {
			pieces = segmentPieces(pieces, units, s.units, perSrc[s.name], codeIx, coderIx)
		}
	}

	if len(spec.Codes) == 0 {
		codes = keepMarked(codes, spec.Order, pieces)
	}
	r.Codes = slices.Clone(codes)
	if err := r.aggregate(pieces, units, spec.Disagreements); err != nil {
		return nil, err
	}
	return r, nil
}

func (spec AgreementSpec) check() error {
	if _, err := ParseAgreementUnit(string(spec.Unit)); err != nil {
		return err
	}
	if len(spec.Coders) < 2 {
		return qcode.FieldError("coders", strings.Join(spec.Coders, ","), fmt.Sprintf("agreement compares two coders or more, not %d; name another", len(spec.Coders)))
	}
	for i, c := range spec.Coders {
		if slices.Contains(spec.Coders[:i], c) {
			return qcode.Errorf(qcode.EINVALID, "coder %q is named twice; name each coder once", c)
		}
	}
	for i, c := range spec.Codes {
		if slices.Contains(spec.Codes[:i], c) {
			return qcode.Errorf(qcode.EINVALID, "code %q is named twice; name each code once", c)
		}
	}
	return nil
}

// segmentPieces appends a piece for each unit of a source (unitIdx, by
// position) that some compared coding overlaps.
func segmentPieces(out []piece, units []AgreementUnit, unitIdx []int, cs []*Coding, codeIx map[string]int32, coderIx map[string]int32) []piece {
	order := slices.Clone(unitIdx)
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(units[a].Start, units[b].Start) })
	// ends[i] is the furthest end among the first i+1 units, so that the
	// first unit that can overlap a span is found by binary search even
	// if units nest (they do not, but a source unit may be given whole).
	ends := make([]int, len(order))
	for i, u := range order {
		ends[i] = units[u].End
		if i > 0 {
			ends[i] = max(ends[i], ends[i-1])
		}
	}
	type hit struct {
		pos int // position in order
		mark
	}
	var hits []hit
	for _, c := range cs {
		mk := mark{codeIx[c.Code], coderIx[c.Coder]}
		first, _ := slices.BinarySearchFunc(ends, c.Start+1, cmp.Compare[int])
		for i := first; i < len(order) && units[order[i]].Start < c.End; i++ {
			if u := units[order[i]]; u.End > c.Start && u.Start < c.End {
				hits = append(hits, hit{i, mk})
			}
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(a.pos, b.pos), cmp.Compare(a.code, b.code), cmp.Compare(a.coder, b.coder))
	})
	hits = slices.Compact(hits)
	for i := 0; i < len(hits); {
		j := i
		p := piece{unit: order[hits[i].pos], weight: 1}
		p.start, p.end = units[p.unit].Start, units[p.unit].End
		for ; j < len(hits) && hits[j].pos == hits[i].pos; j++ {
			p.marks = append(p.marks, hits[j].mark)
		}
		out = append(out, p)
		i = j
	}
	return out
}

// charPieces appends the stretches of a source's characters on which some
// compared coding lies, each with the codings over it: the source is cut
// at every coding's start and end, and neighbouring stretches with the
// same codings are joined. It works on the codings' boundaries, never
// character by character.
func charPieces(out []piece, units []AgreementUnit, unitIdx []int, cs []*Coding, codeIx map[string]int32, coderIx map[string]int32) []piece {
	for _, ui := range unitIdx {
		u := units[ui]
		type event struct {
			pos   int
			delta int
			mark
		}
		var ev []event
		for _, c := range cs {
			s, e := max(c.Start, u.Start), min(c.End, u.End)
			if s >= e {
				continue
			}
			mk := mark{codeIx[c.Code], coderIx[c.Coder]}
			ev = append(ev, event{s, 1, mk}, event{e, -1, mk})
		}
		slices.SortFunc(ev, func(a, b event) int { return cmp.Compare(a.pos, b.pos) })
		active := map[mark]int{}
		first := len(out)
		for i := 0; i < len(ev); {
			pos := ev[i].pos
			for ; i < len(ev) && ev[i].pos == pos; i++ {
				active[ev[i].mark] += ev[i].delta
				if active[ev[i].mark] == 0 {
					delete(active, ev[i].mark)
				}
			}
			if len(active) == 0 || i == len(ev) {
				continue
			}
			next := ev[i].pos
			marks := make([]mark, 0, len(active))
			for mk := range active {
				marks = append(marks, mk)
			}
			slices.SortFunc(marks, compareMarks)
			if n := len(out); n > first && out[n-1].end == pos && slices.Equal(out[n-1].marks, marks) {
				out[n-1].end = next
				out[n-1].weight += int64(next - pos)
				continue
			}
			out = append(out, piece{unit: ui, start: pos, end: next, weight: int64(next - pos), marks: marks})
		}
	}
	return out
}

func compareMarks(a, b mark) int {
	return cmp.Or(cmp.Compare(a.code, b.code), cmp.Compare(a.coder, b.coder))
}

// keepMarked returns the codes that mark some piece, ordered as in order
// and then by id, and renumbers the pieces' marks to match.
func keepMarked(codes, order []string, pieces []piece) []string {
	marked := make([]bool, len(codes))
	for _, p := range pieces {
		for _, mk := range p.marks {
			marked[mk.code] = true
		}
	}
	rank := make(map[string]int, len(order))
	for i, c := range order {
		if _, dup := rank[c]; !dup {
			rank[c] = i
		}
	}
	var kept []int
	for i, ok := range marked {
		if ok {
			kept = append(kept, i)
		}
	}
	slices.SortFunc(kept, func(a, b int) int {
		ra, oka := rank[codes[a]]
		rb, okb := rank[codes[b]]
		switch {
		case oka && okb:
			return cmp.Compare(ra, rb)
		case oka:
			return -1
		case okb:
			return 1
		}
		return strings.Compare(codes[a], codes[b])
	})
	renumber := make([]int32, len(codes))
	out := make([]string, len(kept))
	for i, old := range kept {
		renumber[old] = int32(i)
		out[i] = codes[old]
	}
	for pi := range pieces {
		for mi := range pieces[pi].marks {
			pieces[pi].marks[mi].code = renumber[pieces[pi].marks[mi].code]
		}
		slices.SortFunc(pieces[pi].marks, compareMarks)
	}
	return out
}

// aggregate counts, code by code, how many coders applied the code to each
// piece, and gathers the pieces into profiles and disagreements. Units on
// no piece were coded by no one. Ones is counted from the profiles.
func (r *Reliability) aggregate(pieces []piece, units []AgreementUnit, disagreements bool) error {
	m := len(r.Coders)
	r.Applied = make([][]int64, len(r.Codes))
	for c := range r.Codes {
		r.Applied[c] = make([]int64, m)
	}
	profileIx := map[string]int{}
	var key []byte
	var covered int64
	var text textCursor
	for _, p := range pieces {
		key = key[:0]
		var pc, po []int32
		var splits []Split
		for i := 0; i < len(p.marks); {
			j := i
			for j < len(p.marks) && p.marks[j].code == p.marks[i].code {
				j++
			}
			code := p.marks[i].code
			k := j - i
			for _, mk := range p.marks[i:j] {
				r.Applied[code][mk.coder] += p.weight
			}
			pc = append(pc, code)
			po = append(po, int32(k))
			key = binary.AppendUvarint(key, uint64(code))
			key = binary.AppendUvarint(key, uint64(k))
			if disagreements && k < m {
				s := Split{Code: r.Codes[code]}
				by := make([]bool, m)
				for _, mk := range p.marks[i:j] {
					by[mk.coder] = true
				}
				for c, ok := range by {
					if ok {
						s.By = append(s.By, r.Coders[c])
					} else {
						s.NotBy = append(s.NotBy, r.Coders[c])
					}
				}
				splits = append(splits, s)
			}
			i = j
		}
		if len(pc) == 0 {
			continue
		}
		covered += p.weight
		if ix, ok := profileIx[string(key)]; ok {
			r.Profiles[ix].Count += p.weight
		} else {
			profileIx[string(key)] = len(r.Profiles)
			r.Profiles = append(r.Profiles, agree.Profile{Count: p.weight, Codes: pc, Ones: po})
		}
		if len(splits) > 0 {
			r.Disagreements = append(r.Disagreements, r.disagreement(p, units, splits, &text))
		}
	}
	if empty := r.Units - covered; empty > 0 {
		r.Profiles = append(r.Profiles, agree.Profile{Count: empty})
	}
	bins, err := agree.ProfileCounts(m, len(r.Codes), r.Profiles)
	if err != nil {
		return err
	}
	r.Ones = make([][]int64, len(bins))
	for c, b := range bins {
		r.Ones[c] = b.Ones
	}
	return nil
}

// disagreement describes a piece the coders split on.
func (r *Reliability) disagreement(p piece, units []AgreementUnit, splits []Split, text *textCursor) Disagreement {
	u := units[p.unit]
	d := Disagreement{Ref: u.Ref, Source: u.Ref.Source, Start: p.start, End: p.end, Codes: splits}
	if r.Unit == UnitChar {
		d.Ref = Ref{Source: u.Ref.Source, Unit: UnitSpan, Start: p.start, End: p.end}
		d.Text = text.slice(p.unit, u, p.start, p.end)
	} else {
		d.Text = u.Text
	}
	d.Segment = d.Ref.String()
	return d
}

// textCursor slices a unit's text by characters, walking forward from the
// last slice so that the stretches of a source, taken in order, cost one
// pass over its text.
type textCursor struct {
	unit       int
	char, byte int // a character offset into the unit's text and its byte offset
	ok         bool
}

func (t *textCursor) slice(unit int, u AgreementUnit, start, end int) string {
	if !t.ok || t.unit != unit || start < u.Start+t.char {
		*t = textCursor{unit: unit, ok: true}
	}
	b := t.advance(u.Text, start-u.Start)
	e := t.advance(u.Text, end-u.Start)
	t.char, t.byte = start-u.Start, b
	return u.Text[b:e]
}

// advance returns the byte offset of character c of text, at or after
// the cursor, and moves the cursor there.
func (t *textCursor) advance(text string, c int) int {
	for t.char < c && t.byte < len(text) {
		_, size := utf8.DecodeRuneInString(text[t.byte:])
		t.byte += size
		t.char++
	}
	return t.byte
}
