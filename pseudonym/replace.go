package pseudonym

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"qcode"
)

// Item is one identifying original and what replaces it.
type Item struct {
	Original    string   `json:"original"`
	Replacement string   `json:"replacement"` // "" leaves the original as it is
	Kind        Kind     `json:"kind"`
	Count       int      `json:"count"`   // occurrences in the sources, speaker labels among them
	Sources     []string `json:"sources"` // the sources it occurs in, in the order given
}

// Match is one occurrence of an item in a text: its byte span and the
// item's index in the Replacer's items.
type Match struct {
	Start, End int
	Item       int
}

// Replacer finds the originals of a list of items in texts: whole words
// only (never "Tom" in "Tomorrow"), the longest original where two start
// at one word, names only where they are written with a capital (an item
// of no kind is a name when it starts with a capital, else matched as
// written; emails ignoring case).
type Replacer struct {
	items []Item
	// byWord maps the lower-cased first word of each original to the
	// items that start with it, longest first.
	byWord map[string][]int
	// prefix holds the bytes before an original's first word ("+" of a
	// phone number).
	prefix []int
}

// NewReplacer checks items and makes a Replacer of those with a
// replacement. Every item must have an original; no original may appear
// twice with two replacements (names compared ignoring case), and no
// replacement may be an original, since replacing would then undo itself.
// A fault is a qcode.EINVALID error naming the item.
func NewReplacer(items []Item) (*Replacer, error) {
	r := &Replacer{byWord: map[string][]int{}}
	seen := map[string]int{}
	for i, it := range items {
		if strings.TrimSpace(it.Original) == "" {
			return nil, qcode.Errorf(qcode.EINVALID, "item %d has a blank original; write what to replace, or delete the row", i+1)
		}
		if it.Original != strings.TrimSpace(it.Original) {
			it.Original = strings.TrimSpace(it.Original)
		}
		key := foldKey(it)
		if j, ok := seen[key]; ok {
			if items[j].Replacement != it.Replacement {
				return nil, qcode.Errorf(qcode.EINVALID, "%q is listed twice, to be replaced by %q and by %q; keep one", it.Original, items[j].Replacement, it.Replacement)
			}
			continue
		}
		seen[key] = i
	}
	for _, it := range items {
		if it.Replacement == "" {
			continue
		}
		for _, key := range []string{strings.ToLower(it.Replacement), it.Replacement} {
			if j, ok := seen[key]; ok && items[j].Replacement != "" {
				return nil, qcode.Errorf(qcode.EINVALID, "%q replaces %q but is itself an original to replace; give it another replacement", it.Replacement, it.Original)
			}
		}
	}
	for i, it := range items {
		if seen[foldKey(it)] != i || it.Replacement == "" {
			continue
		}
		it.Original = strings.TrimSpace(it.Original)
		first, pre, ok := firstWord(it.Original)
		if !ok {
			return nil, qcode.Errorf(qcode.EINVALID, "%q holds no letter or digit to find it by", it.Original)
		}
		n := len(r.items)
		r.items = append(r.items, it)
		r.prefix = append(r.prefix, pre)
		r.byWord[strings.ToLower(first)] = append(r.byWord[strings.ToLower(first)], n)
	}
	for _, list := range r.byWord {
		slices.SortFunc(list, func(a, b int) int {
			return cmp.Compare(len(r.items[b].Original), len(r.items[a].Original))
		})
	}
	return r, nil
}

// foldKey is what makes two items the same original: names ignoring case,
// anything else as written.
func foldKey(it Item) string {
	o := strings.TrimSpace(it.Original)
	if it.Kind == "" || it.Kind.isName() || it.Kind == Email {
		return strings.ToLower(o)
	}
	return o
}

// Items returns the items the Replacer replaces, in the order given.
func (r *Replacer) Items() []Item { return r.items }

// firstWord returns the first run of letters and digits of s and the
// number of bytes before it.
func firstWord(s string) (word string, prefix int, ok bool) {
	start := -1
	for i, c := range s {
		if isWordRune(c) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			return s[start:i], start, true
		}
	}
	if start < 0 {
		return "", 0, false
	}
	return s[start:], start, true
}

func isWordRune(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) || unicode.IsMark(c) }

// Find calls fn for each occurrence of an item in text, in order, none
// overlapping.
func (r *Replacer) Find(text string, fn func(Match)) {
	var buf []byte
	prevWord := false
	for i := 0; i < len(text); {
		c, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(c) {
			prevWord = false
			i += size
			continue
		}
		if prevWord {
			i += size
			continue
		}
		// i starts a word.
		j := i + size
		for j < len(text) {
			c, size := utf8.DecodeRuneInString(text[j:])
			if !isWordRune(c) {
				break
			}
			j += size
		}
		buf = appendLower(buf[:0], text[i:j])
		if m, ok := r.matchAt(text, i, r.byWord[string(buf)]); ok {
			fn(m)
			i = m.End
			prevWord = false
			if i < len(text) {
				c, _ := utf8.DecodeRuneInString(text[i:])
				prevWord = isWordRune(c)
			}
			continue
		}
		i = j
		prevWord = true
	}
}

func (r *Replacer) matchAt(text string, word int, cands []int) (Match, bool) {
	for _, k := range cands {
		it := &r.items[k]
		start := word - r.prefix[k]
		end := start + len(it.Original)
		if start < 0 || end > len(text) {
			continue
		}
		if start > 0 {
			c, _ := utf8.DecodeLastRuneInString(text[:start])
			if isWordRune(c) {
				continue
			}
		}
		if end < len(text) {
			c, _ := utf8.DecodeRuneInString(text[end:])
			if isWordRune(c) {
				continue
			}
		}
		got := text[start:end]
		if it.Kind.isName() || it.Kind == "" && unicode.IsUpper(firstRune(it.Original)) {
			if !strings.EqualFold(got, it.Original) {
				continue
			}
			c, _ := utf8.DecodeRuneInString(text[word:])
			if !unicode.IsUpper(c) && !unicode.IsDigit(c) {
				continue
			}
		} else if got != it.Original && !((it.Kind == Email || strings.Contains(it.Original, "@")) && strings.EqualFold(got, it.Original)) {
			continue
		}
		return Match{Start: start, End: end, Item: k}, true
	}
	return Match{}, false
}

// appendLower appends s in lower case to b.
func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return append(b[:0], strings.ToLower(s)...)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// Matches returns every occurrence of an item in text.
func (r *Replacer) Matches(text string) []Match {
	var ms []Match
	r.Find(text, func(m Match) { ms = append(ms, m) })
	return ms
}

// Replace returns s with every item replaced, for short texts such as
// speaker names and attribute values.
func (r *Replacer) Replace(s string) string {
	var b strings.Builder
	at := 0
	r.Find(s, func(m Match) {
		b.WriteString(s[at:m.Start])
		b.WriteString(r.items[m.Item].Replacement)
		at = m.End
	})
	if at == 0 {
		return s
	}
	b.WriteString(s[at:])
	return b.String()
}
