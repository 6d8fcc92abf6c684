package corpusgen

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// sentence makes one sentence of an answer: a template with its slots
// filled, sometimes with a lead word, a tail, a repeated word or an aside.
func (iv *interview) sentence() string {
	rng := iv.rng
	var s string
	if rng.IntN(10) < 3 {
		a, b := rng.IntN(len(clauses)), rng.IntN(len(clauses)-1)
		if b >= a {
			b++ // two different clauses
		}
		s = upperFirst(iv.fill(clauses[a])) + ", " + pick(rng, connectives) + " " + iv.fill(clauses[b]) + "."
	} else {
		s = iv.fill(iv.fresh(answers))
	}
	if rng.IntN(5) == 0 {
		s = pick(rng, leads) + " " + lowerFirst(s)
	}
	if rng.IntN(8) == 0 && strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "].") {
		s = s[:len(s)-1] + pick(rng, tails) + "."
	}
	if rng.IntN(20) == 0 {
		s = stammer(s, rng.IntN(8))
	}
	if rng.IntN(25) == 0 {
		s += " " + pick(rng, asides)
	}
	return iv.style(s)
}

// fresh picks a template from bank that none of the last few sentences
// used, so that a template does not come back within one answer.
func (iv *interview) fresh(bank []string) string {
	for {
		i := iv.rng.IntN(len(bank))
		if !slices.Contains(iv.recent[:], i) {
			iv.recent[iv.nrecent%len(iv.recent)] = i
			iv.nrecent++
			return bank[i]
		}
	}
}

// fill replaces the slots of template t with their values.
func (iv *interview) fill(t string) string {
	if strings.IndexByte(t, '{') < 0 {
		return t
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			b.WriteString(t)
			return b.String()
		}
		j := strings.IndexByte(t[i:], '}')
		b.WriteString(t[:i])
		key := t[i+1 : i+j]
		t = t[i+j+1:]
		lower := strings.ToLower(key[:1]) + key[1:]
		v, ok := iv.vars[lower]
		if !ok {
			bank := banks[lower]
			if bank == nil {
				panic("corpusgen: no bank for slot {" + key + "}")
			}
			v = pick(iv.rng, bank)
		}
		if key != lower {
			v = upperFirst(v)
		}
		b.WriteString(v)
	}
}

// style writes s in the interview's typography: curly quotes, apostrophes,
// dashes and ellipses as they are, or the straight ones of a typist who
// used none.
func (iv *interview) style(s string) string {
	if iv.curly {
		return s
	}
	return straight.Replace(s)
}

var straight = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`, " — ", " -- ", "…", "...")

// stammer repeats the nth word of s that is a lower-case ASCII word ("the,
// the"), as speech does.
func stammer(s string, n int) string {
	fields := strings.Split(s, " ")
	for i, f := range fields {
		if i == 0 || f == "" || !isLowerASCII(f) {
			continue
		}
		if n == 0 {
			fields[i] = f + ", " + f
			return strings.Join(fields, " ")
		}
		n--
	}
	return s
}

func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// keepCapital are first words that stay capitalised after a lead word.
var keepCapital = map[string]bool{"I": true, "I’d": true, "I’m": true, "I’ve": true, "Dr.": true, "Mr.": true, "Mrs.": true, "Sister": true, "NHS": true}

func lowerFirst(s string) string {
	word, _, _ := strings.Cut(s, " ")
	if keepCapital[word] {
		return s
	}
	for _, name := range [][]string{ukSites, partnerSites, ukFirst, partnerFirst} {
		for _, n := range name {
			if strings.HasPrefix(s, n) {
				return s
			}
		}
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[size:]
}

func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// countWords counts the words of s as qcode's segmenter does: stretches
// holding a letter or digit, split at spaces, dashes, ellipses, brackets and
// quotes, with the contractions 's, 'm, 're, 'll and n't words of their own.
func countWords(s string) int {
	n := 0
	for _, field := range strings.FieldsFunc(s, isBreak) {
		if !strings.ContainsFunc(field, isWordRune) {
			continue
		}
		n++
		lower := strings.ToLower(strings.ReplaceAll(field, "’", "'"))
		lower = strings.TrimRight(lower, ".,;!?'")
		for _, c := range []string{"'s", "'m", "'re", "'ll", "n't"} {
			if i := strings.Index(lower, c); i > 0 && i+len(c) == len(lower) {
				n++
				break
			}
		}
	}
	return n
}

func isBreak(r rune) bool {
	switch r {
	case '—', '–', '…', '(', ')', '[', ']', '“', '”', '"':
		return true
	}
	return unicode.IsSpace(r)
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// wrapLines breaks s into lines of at most width bytes at spaces (a longer
// word gets a line of its own).
func wrapLines(s string, width int) []string {
	var lines []string
	for len(s) > width {
		i := strings.LastIndexByte(s[:width+1], ' ')
		if i <= 0 {
			i = strings.IndexByte(s, ' ')
			if i < 0 {
				break
			}
		}
		lines = append(lines, s[:i])
		s = s[i+1:]
	}
	return append(lines, s)
}
