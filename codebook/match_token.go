package codebook

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// normWord folds a token or rule word for comparison: lower case, and every
// apostrophe (’ ‘ ʼ) straight. Plain lower-case ASCII is returned as is.
func normWord(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch r {
		case '’', '‘', 'ʼ':
			r = '\''
		default:
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// stemWord returns the English Snowball stem of a normalised word.
func stemWord(norm string) string {
	return english.Stem(norm, true)
}

func hasWordRune(s string) bool {
	for _, r := range s {
		if isWordRune(r) {
			return true
		}
	}
	return false
}

func hasWildcard(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '*' || s[i] == '?' {
			return true
		}
	}
	return false
}

// globMatch reports whether s matches pat, where * stands for any run of
// characters and ? for one character.
func globMatch(pat, s string) bool {
	px, sx := 0, 0
	starPx, starSx := -1, 0
	for sx < len(s) {
		if px < len(pat) {
			switch c := pat[px]; c {
			case '*':
				starPx, starSx = px, sx
				px++
				continue
			case '?':
				_, n := utf8.DecodeRuneInString(s[sx:])
				px++
				sx += n
				continue
			default:
				if s[sx] == c {
					px++
					sx++
					continue
				}
			}
		}
		if starPx >= 0 && starSx < len(s) {
			_, n := utf8.DecodeRuneInString(s[starSx:])
			starSx += n
			px, sx = starPx+1, starSx
			continue
		}
		return false
	}
	for px < len(pat) && pat[px] == '*' {
		px++
	}
	return px == len(pat)
}

// tokenType is what the matcher knows about one distinct token text: it is
// worked out once, on first sight, and memoised.
type tokenType struct {
	norm      string
	word      bool    // holds a letter or digit
	pats      []int32 // ids of the rule word patterns it matches, ascending
	cue       bool    // a one-word negation cue
	cueStarts []int32 // multi-word cues that begin with it
}

var punctType = &tokenType{}

// patternIndex finds, for a token type, every rule word pattern it matches:
// exact words (or stems) in a hash map, prefixes (humil*) in a hash map
// probed at each prefix of the type, and other wildcard patterns by trying
// each. Only the last grows with the patterns, and only on first sight of a
// type.
type patternIndex struct {
	stem   bool
	exact  map[string]int32 // normalised word, or its stem in stem mode
	prefix map[string]int32 // prefix without its *
	minPre int              // shortest prefix in bytes
	globs  map[string]int32
	globPs []string // the other wildcard patterns, their ids in globID
	globID []int32
	n      int32 // patterns so far

	cues      map[string]bool // one-word cues
	clitics   []string        // cues such as n't that also end words
	multiCues [][]string      // cues of several words
	cueFirst  map[string][]int32

	names map[int32]Pattern // what each pattern is, made by Plan on first need
}

// newPatternIndex makes an empty index; words is a guess at how many rule
// words it will hold.
func newPatternIndex(stem bool, cues []string, words int) *patternIndex {
	x := &patternIndex{
		stem:   stem,
		exact:  make(map[string]int32, words),
		prefix: make(map[string]int32, words/2),
		globs:  map[string]int32{},
		cues:   map[string]bool{},

		cueFirst: map[string][]int32{},
	}
	for _, c := range cues {
		ws := strings.Fields(normWord(c))
		switch len(ws) {
		case 0:
		case 1:
			x.cues[ws[0]] = true
			if strings.HasPrefix(ws[0], "n'") {
				x.clitics = append(x.clitics, ws[0])
			}
		default:
			x.cueFirst[ws[0]] = append(x.cueFirst[ws[0]], int32(len(x.multiCues)))
			x.multiCues = append(x.multiCues, ws)
		}
	}
	return x
}

// intern returns the id of the pattern for a normalised rule word, adding
// it if new.
func (x *patternIndex) intern(norm string) int32 {
	switch {
	case !hasWildcard(norm):
		key := norm
		if x.stem {
			key = stemWord(norm)
		}
		return x.add(x.exact, key)
	case strings.IndexAny(norm, "*?") == len(norm)-1 && norm[len(norm)-1] == '*':
		key := norm[:len(norm)-1]
		if _, ok := x.prefix[key]; !ok && (len(x.prefix) == 0 || len(key) < x.minPre) {
			x.minPre = len(key)
		}
		return x.add(x.prefix, key)
	}
	if id, ok := x.globs[norm]; ok {
		return id
	}
	id := x.add(x.globs, norm)
	x.globPs = append(x.globPs, norm)
	x.globID = append(x.globID, id)
	return id
}

func (x *patternIndex) add(m map[string]int32, key string) int32 {
	if id, ok := m[key]; ok {
		return id
	}
	id := x.n
	x.n++
	m[key] = id
	return id
}

// resolve works out a token type.
func (x *patternIndex) resolve(raw string) *tokenType {
	norm := normWord(raw)
	if !hasWordRune(norm) {
		return punctType
	}
	t := &tokenType{norm: norm, word: true}
	key := norm
	if x.stem && len(x.exact) > 0 {
		key = stemWord(norm)
	}
	if id, ok := x.exact[key]; ok {
		t.pats = append(t.pats, id)
	}
	if len(x.prefix) > 0 {
		for i := x.minPre; i <= len(norm); i++ {
			if i < len(norm) && !utf8.RuneStart(norm[i]) {
				continue
			}
			if id, ok := x.prefix[norm[:i]]; ok {
				t.pats = append(t.pats, id)
			}
		}
	}
	for i, g := range x.globPs {
		if globMatch(g, norm) {
			t.pats = append(t.pats, x.globID[i])
		}
	}
	slices.Sort(t.pats)
	t.pats = slices.Compact(t.pats)
	t.cue = x.cues[norm]
	for _, c := range x.clitics {
		if !t.cue && strings.HasSuffix(norm, c) {
			t.cue = true
		}
	}
	t.cueStarts = x.cueFirst[norm]
	return t
}

// hasPat reports whether the type matches pattern p.
func (t *tokenType) hasPat(p int32) bool {
	_, ok := slices.BinarySearch(t.pats, p)
	return ok
}
