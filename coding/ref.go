package coding

import (
	"strconv"
	"strings"

	"qcode"
)

// Ref names a segment or a span of a source as users write it:
//
//	P03:s41         sentence 41 of source P03
//	P03:t12         turn 12
//	P03:p5          paragraph 5
//	P03:1200-1388   characters [1200, 1388)
//	P03             the whole source
type Ref struct {
	Source     string
	Unit       Unit
	Ord        int // sentence, paragraph or turn number, from 1
	Start, End int // a span's characters
}

// refLetters maps a segment id's letter to its unit.
var refLetters = map[byte]Unit{'s': UnitSentence, 't': UnitTurn, 'p': UnitParagraph}

// ParseRef parses a segment id (see Ref). It checks the form only; whether
// the source and segment exist is for the store to say.
func ParseRef(s string) (Ref, error) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		if strings.TrimSpace(s) == "" {
			return Ref{}, refError(s, "it is empty")
		}
		return Ref{Source: s, Unit: UnitSource}, nil
	}
	r := Ref{Source: s[:i]}
	seg := s[i+1:]
	if r.Source == "" {
		return r, refError(s, "it names no source")
	}
	if len(seg) >= 2 {
		if u, ok := refLetters[seg[0]|0x20]; ok && isDigits(seg[1:]) {
			n, err := strconv.Atoi(seg[1:])
			if err != nil || n < 1 {
				return r, refError(s, "segments are numbered from 1")
			}
			r.Unit, r.Ord = u, n
			return r, nil
		}
	}
	a, b, ok := strings.Cut(seg, "-")
	if !ok || !isDigits(a) || !isDigits(b) {
		return r, refError(s, "unknown segment "+strconv.Quote(seg))
	}
	var err1, err2 error
	r.Unit = UnitSpan
	r.Start, err1 = strconv.Atoi(a)
	r.End, err2 = strconv.Atoi(b)
	switch {
	case err1 != nil || err2 != nil:
		return r, qcode.Errorf(qcode.EINVALID, "%s: the span's numbers are too large; a span is START-END in characters", s)
	case r.End < r.Start:
		return r, qcode.Errorf(qcode.EINVALID, "%s: the span ends (%d) before it starts (%d); write START-END with START before END", s, r.End, r.Start)
	case r.End == r.Start:
		return r, qcode.Errorf(qcode.EINVALID, "%s: the span is empty; write START-END with END after START (END is the first character not coded)", s)
	}
	return r, nil
}

func refError(s, why string) error {
	return qcode.Errorf(qcode.EINVALID, "segment %q: %s; write SOURCE:s41 (a sentence), SOURCE:t12 (a turn), SOURCE:p5 (a paragraph), SOURCE:1200-1388 (characters) or SOURCE", s, why)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String returns the ref as users write it.
func (r Ref) String() string {
	switch r.Unit {
	case UnitSentence:
		return r.Source + ":s" + strconv.Itoa(r.Ord)
	case UnitTurn:
		return r.Source + ":t" + strconv.Itoa(r.Ord)
	case UnitParagraph:
		return r.Source + ":p" + strconv.Itoa(r.Ord)
	case UnitSpan:
		return r.Source + ":" + strconv.Itoa(r.Start) + "-" + strconv.Itoa(r.End)
	}
	return r.Source
}
