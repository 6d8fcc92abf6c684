package pseudonym

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"qcode/corpus"
)

// Find returns what identifies people in the sources, each original once
// with its kind, a proposed replacement, how often it occurs and in which
// sources. The sources must be segmented (their turns' sentences are where
// names are looked for; the header, such as "Interviewed by: R. Patel", is
// read line by line). Items are ordered by kind, then by first occurrence.
//
// Names come from four places: the speakers' labels (but not roles such as
// "Interviewer" or ids such as "P03"); capitalised words that do not start
// a sentence and that neither the corpus writes in lower case nor English
// capitalises anyway (months, countries, titles); organisations, a run of
// capitalised words ending in Hospital, Trust, University, Centre, Clinic
// and the like; and prose's named-entity tagger, which only votes on what
// a name is (person, place, organisation), as it is too weak to trust
// alone and too slow to run on every sentence: it reads at most three
// sentences holding each name. A name found anywhere is then found
// everywhere, at the start of a sentence and in speaker labels too.
func Find(sources []*corpus.Source) []Item {
	// The tagger's model takes a third of a second to load: it loads while
	// the words are read.
	go corpus.Entities(nil)
	f := &finder{entries: map[string]*entry{}, lower: map[string]bool{}}
	for _, src := range sources {
		f.vocabulary(src)
	}
	for si, src := range sources {
		f.speakers(si, src)
	}
	for si, src := range sources {
		f.regions(si, src, f.candidates)
	}
	f.tag(sources)
	items := f.items()
	for si, src := range sources {
		for _, p := range findPatterns(src.Text) {
			items = f.addPattern(items, si, src.Text[p.start:p.end], p.kind)
		}
	}
	return renumber(count(items, sources))
}

// replacementRE reads a replacement Find proposed: its stem and number.
var replacementRE = regexp.MustCompile(`^\[(.+) ([0-9]+|[A-Z]+)\]$`)

// renumber numbers the replacements again in the order the items are
// listed, so that those of items that occur nowhere leave no gaps.
func renumber(items []Item) []Item {
	n := numbering{}
	again := map[string]string{}
	for i, it := range items {
		m := replacementRE.FindStringSubmatch(it.Replacement)
		if m == nil {
			continue
		}
		r, ok := again[it.Replacement]
		if !ok {
			letters := m[2][0] >= 'A' && m[2][0] <= 'Z'
			r = n.next(m[1], letters)
			again[it.Replacement] = r
		}
		items[i].Replacement = r
	}
	return items
}

// entry is a name being found: one word, or several words of one name.
type entry struct {
	text                 string // as first written
	kind                 Kind   // Speaker when a speaker's label gives it, else decided by votes
	org                  string // an organisation's replacement stem
	person, place, orgv  int    // votes
	first                pos
	parent               string // the key of the longer name it is part of, if any
	nerSentences         []string
	speakerOrder, titled int
	whole                bool // a speaker's whole name, title aside ("Tom", "Mensah", "Grace Akello")
}

// pos orders first occurrences: source, then offset.
type pos struct{ source, at int }

func (p pos) less(q pos) bool { return p.source < q.source || p.source == q.source && p.at < q.at }

type finder struct {
	entries  map[string]*entry
	lower    map[string]bool // words the corpus writes in lower case
	speakerN int
	patternN numbering
}

// vocabulary notes the words the sources write in lower case.
func (f *finder) vocabulary(src *corpus.Source) {
	text := src.Text
	words(text, 0, len(text), func(s, e int) {
		c, _ := utf8.DecodeRuneInString(text[s:])
		if unicode.IsLower(c) {
			f.lower[strings.ToLower(text[s:e])] = true
		}
	})
}

// common reports whether a capitalised word names no one.
func (f *finder) common(w string) bool {
	l := strings.ToLower(w)
	if commonWords[l] || f.lower[l] || titles[l] || placeWords[l] || f.lower[l+"s"] {
		return true
	}
	// Plurals and possessives of common words: "Interviews", "Thursdays".
	for _, end := range []string{"s", "es", "'s", "’s"} {
		if b, ok := strings.CutSuffix(l, end); ok && (commonWords[b] || f.lower[b]) {
			return true
		}
	}
	return false
}

// speakers makes an entry of each speaker's name and of each word of it.
func (f *finder) speakers(si int, src *corpus.Source) {
	for _, t := range src.Turns {
		name := strings.TrimSpace(t.Speaker)
		if name == "" || f.entries[strings.ToLower(name)] != nil && f.entries[strings.ToLower(name)].kind == Speaker {
			continue
		}
		var parts []string
		words(name, 0, len(name), func(s, e int) {
			w := name[s:e]
			if titles[strings.ToLower(w)] || roles[strings.ToLower(w)] {
				return
			}
			parts = append(parts, w)
		})
		if len(parts) == 0 || isID(name) {
			continue
		}
		// The name without its title: "Dr Marsh" is Marsh.
		first := strings.Index(name, parts[0])
		last := parts[len(parts)-1]
		full := name[first : strings.LastIndex(name, last)+len(last)]
		at := pos{si, strings.Index(src.Text, name)}
		if at.at < 0 {
			at.at = t.Start
		}
		f.speakerN++
		top := f.add(full, at)
		top.kind = Speaker
		top.speakerOrder = f.speakerN
		top.whole = true
		if len(parts) > 1 {
			for _, p := range parts {
				e := f.add(p, at)
				if e.kind != Speaker {
					e.speakerOrder = f.speakerN
				}
				e.kind = Speaker
				if e.parent == "" && e != top {
					e.parent = strings.ToLower(full)
				}
			}
		}
	}
}

// isID reports whether a speaker label is an id (P03, S1, Speaker 2)
// rather than a name.
func isID(name string) bool {
	hasDigit := false
	for _, c := range name {
		if unicode.IsDigit(c) {
			hasDigit = true
		}
	}
	if !hasDigit {
		return false
	}
	n := 0
	words(name, 0, len(name), func(s, e int) {
		if !roles[strings.ToLower(name[s:e])] {
			n++
		}
	})
	return n <= 2 && len(name) <= 16
}

// add returns the entry of name, made if new, noting its first occurrence.
func (f *finder) add(name string, at pos) *entry {
	key := strings.ToLower(name)
	e := f.entries[key]
	if e == nil {
		e = &entry{text: name, first: at}
		f.entries[key] = e
	} else if at.less(e.first) {
		e.first = at
	}
	return e
}

// word is a word of a region with whether it starts a sentence.
type word struct {
	start, end int
	initial    bool
}

// regions calls fn with the words of each sentence of src's turns and
// each line of its header.
func (f *finder) regions(si int, src *corpus.Source, fn func(si int, text string, ws []word, sentence corpus.Span)) {
	text := src.Text
	var ws []word
	if h := src.Header; h.End > h.Start {
		for at := h.Start; at < h.End; {
			end := strings.IndexByte(text[at:h.End], '\n')
			if end < 0 {
				end = h.End
			} else {
				end += at
			}
			ws = regionWords(ws[:0], text, at, end)
			fn(si, text, ws, corpus.Span{Start: at, End: end})
			at = end + 1
		}
	}
	for _, t := range src.Turns {
		for _, p := range t.Paragraphs {
			for _, s := range p.Sentences {
				ws = regionWords(ws[:0], text, s.Start, s.End)
				fn(si, text, ws, s.Span)
			}
		}
	}
}

// regionWords returns the words of text[start:end], marking those that
// start a sentence, a quotation or what follows a colon.
func regionWords(ws []word, text string, start, end int) []word {
	words(text, start, end, func(s, e int) {
		initial := len(ws) == 0
		if !initial {
			prev := strings.TrimRight(text[ws[len(ws)-1].end:s], " \t\n\u00a0")
			if prev != "" {
				c, _ := utf8.DecodeLastRuneInString(prev)
				switch c {
				case '"', '“', '‘', '(', '[', ']', ':', '!', '?', '…':
					initial = true
				case '.':
					// "R. Patel", "Dr. Aceng": an initial's or a title's
					// full stop ends no sentence.
					pw := text[ws[len(ws)-1].start:ws[len(ws)-1].end]
					initial = len(pw) > 1 && !titles[strings.ToLower(pw)]
				}
			}
		}
		ws = append(ws, word{s, e, initial})
	})
	return ws
}

// words calls fn with the span of each word of text[start:end]: a run of
// letters and digits, with an apostrophe after a lone capital (O'Brien).
func words(text string, start, end int, fn func(s, e int)) {
	ws := -1
	for i := start; i < end; {
		c, size := utf8.DecodeRuneInString(text[i:])
		if isWordRune(c) {
			if ws < 0 {
				ws = i
			}
			i += size
			continue
		}
		if ws >= 0 && (c == '\'' || c == '’') && i-ws == 1 && unicode.IsUpper(rune(text[ws])) && i+size < end {
			if n, _ := utf8.DecodeRuneInString(text[i+size:]); unicode.IsUpper(n) {
				i += size
				continue
			}
		}
		if ws >= 0 {
			fn(ws, i)
			ws = -1
		}
		i += size
	}
	if ws >= 0 {
		fn(ws, end)
	}
}

// titleCase reports whether w is written as a name: a capital, then at
// least one small letter, and no digit.
func titleCase(w string) bool {
	first, size := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(first) || len(w) == size {
		return false
	}
	// An acronym with a small letter in it ("MoU", "GCSEs") is no name.
	lower, prevUpper, last := false, true, first
	for _, c := range w[size:] {
		if unicode.IsDigit(c) || unicode.IsUpper(c) && prevUpper {
			return false
		}
		if unicode.IsLower(c) {
			lower = true
		}
		prevUpper, last = unicode.IsUpper(c), c
	}
	return lower && !unicode.IsUpper(last)
}

// candidates finds the names and organisations of one sentence.
func (f *finder) candidates(si int, text string, ws []word, sentence corpus.Span) {
	cand := make([]bool, len(ws))
	for i, w := range ws {
		s := text[w.start:w.end]
		cand[i] = !w.initial && titleCase(s) && !f.common(s)
		// "sub-Saharan": a capital after a hyphen that joins it to a
		// word in lower case starts no name.
		if cand[i] && i > 0 && gap(text, ws[i-1], w) == "-" {
			c, _ := utf8.DecodeRuneInString(text[ws[i-1].start:])
			cand[i] = !unicode.IsLower(c)
		}
	}
	// "Zoë Hartley" at the start of a sentence: a capitalised word that
	// is not a common one, before a name, is part of it.
	for i := len(ws) - 2; i >= 0; i-- {
		if s := text[ws[i].start:ws[i].end]; !cand[i] && cand[i+1] && gap(text, ws[i], ws[i+1]) == " " && titleCase(s) && !f.common(s) && !verbLike(s) {
			cand[i] = true
		}
	}
	titlePhrases(text, ws, cand)
	for i := 0; i < len(ws); i++ {
		if !cand[i] {
			continue
		}
		// A run of names joined by a space or a hyphen is one name.
		j := i + 1
		for j < len(ws) && cand[j] && (gap(text, ws[j-1], ws[j]) == " " || gap(text, ws[j-1], ws[j]) == "-") {
			j++
		}
		full := text[ws[i].start:ws[j-1].end]
		at := pos{si, ws[i].start}
		top := f.add(full, at)
		if len(top.nerSentences) < 3 && top.kind != Speaker {
			top.nerSentences = append(top.nerSentences, text[sentence.Start:sentence.End])
		}
		f.vote(top, text, ws, i, j)
		if j-i > 1 {
			for k := i; k < j; k++ {
				e := f.add(text[ws[k].start:ws[k].end], pos{si, ws[k].start})
				if e.parent == "" && e.kind != Speaker {
					e.parent = strings.ToLower(full)
				}
			}
		}
		i = j - 1
	}
	f.organisations(si, text, ws)
}

// titlePhrases clears the candidates of a run of capitalised words that
// capitalises a little word too, as the names of programmes and titles do
// ("Start Smart Then Focus"), where names do not.
func titlePhrases(text string, ws []word, cand []bool) {
	for i := 0; i < len(ws); {
		j := i
		little := false
		for j < len(ws) && unicode.IsUpper(firstRune(text[ws[j].start:])) && (j == i || gap(text, ws[j-1], ws[j]) == " ") {
			if j > i && littleWords[strings.ToLower(text[ws[j].start:ws[j].end])] {
				little = true
			}
			j++
		}
		if little && j-i >= 3 {
			for k := i; k < j; k++ {
				cand[k] = false
			}
		}
		i = max(j, i+1)
	}
}

func firstRune(s string) rune {
	c, _ := utf8.DecodeRuneInString(s)
	return c
}

// verbLike reports whether a long word ends as verbs and adverbs do
// ("Shadowed Grace, mostly."), which a name rarely does (Ted, Sally).
func verbLike(w string) bool {
	return len(w) > 5 && (strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing") || strings.HasSuffix(w, "ly"))
}

// gap is the text between two words.
func gap(text string, a, b word) string { return text[a.end:b.start] }

// vote adds what the words around a name say about what it names.
func (f *finder) vote(e *entry, text string, ws []word, i, j int) {
	if i > 0 {
		prev := strings.ToLower(text[ws[i-1].start:ws[i-1].end])
		switch {
		case titles[prev]:
			e.person += 3
			e.titled++
		case placeWords[prev]:
			e.place++
		case len(prev) == 1 && gap(text, ws[i-1], ws[i]) == ". ":
			// "R. Patel"
			e.person += 3
			e.titled++
		}
		if g := gap(text, ws[i-1], ws[i]); g == "–" || g == "—" {
			e.place++
		}
	}
	if j < len(ws) {
		if g := gap(text, ws[j-1], ws[j]); g == "–" || g == "—" {
			e.place++
		}
	}
	// ", Helen, you should come": a name said to someone, or of someone.
	if i > 0 && j < len(ws) && strings.HasPrefix(gap(text, ws[i-1], ws[i]), ",") && strings.HasPrefix(gap(text, ws[j-1], ws[j]), ",") {
		e.person += 2
	}
	// "Lucy — she's brilliant", "Abena, said to me": what follows a person.
	for k := j; k < min(j+3, len(ws)); k++ {
		if personWords[strings.ToLower(text[ws[k].start:ws[k].end])] {
			e.person++
			break
		}
	}
}

// organisations finds the organisations of one sentence: capitalised
// words ending in a word such as Hospital ("Kumasi Teaching Hospital",
// "Avon Community Trust"), or "University of" and capitalised words, with
// at least one word that is not a common one.
func (f *finder) organisations(si int, text string, ws []word) {
	for k, w := range ws {
		suffix := text[w.start:w.end]
		stem, ok := orgSuffixes[strings.ToLower(suffix)]
		if !ok || !titleCase(suffix) {
			continue
		}
		start, end := k, k+1
		for start > 0 {
			p := ws[start-1]
			g := gap(text, p, ws[start])
			pw := text[p.start:p.end]
			c, _ := utf8.DecodeRuneInString(pw)
			if pw == "s" && start >= 2 && (gap(text, ws[start-2], p) == "'" || gap(text, ws[start-2], p) == "’") {
				// "Women’s Hospital"
				start--
				continue
			}
			possessive := (g == "'" || g == "’") && text[ws[start].start:ws[start].end] == "s"
			if g != " " && !possessive || titles[strings.ToLower(pw)] {
				break
			}
			if !unicode.IsUpper(c) {
				// "Women and Newborn Hospital"
				if !orgConnectors[pw] || start < 2 || gap(text, ws[start-2], p) != " " || !unicode.IsUpper(firstRune(text[ws[start-2].start:])) {
					break
				}
				start--
			}
			start--
		}
		if (stem == "University" || stem == "College") && end+1 < len(ws) && text[ws[end].start:ws[end].end] == "of" && gap(text, ws[end-1], ws[end]) == " " {
			e := end + 1
			for e < len(ws) && titleCase(text[ws[e].start:ws[e].end]) && gap(text, ws[e-1], ws[e]) == " " {
				e++
			}
			if e > end+1 {
				end = e
			}
		}
		proper := false
		for i := start; i < end; i++ {
			if i != k && !f.common(text[ws[i].start:ws[i].end]) && titleCase(text[ws[i].start:ws[i].end]) {
				proper = true
				f.add(text[ws[i].start:ws[i].end], pos{si, ws[i].start}).place++
			}
		}
		if !proper {
			continue
		}
		e := f.add(text[ws[start].start:ws[end-1].end], pos{si, ws[start].start})
		e.kind = Organisation
		e.org = stem
	}
}

// tag asks prose's tagger about the sentences that hold each name not yet
// known for what it is.
func (f *finder) tag(sources []*corpus.Source) {
	var texts []string
	seen := map[string]bool{}
	for _, e := range f.entries {
		if e.kind != "" || e.titled > 0 {
			continue
		}
		for _, s := range e.nerSentences {
			if !seen[s] {
				seen[s] = true
				texts = append(texts, s)
			}
		}
	}
	slices.Sort(texts)
	for i, ents := range corpus.Entities(texts) {
		for _, en := range ents {
			e := f.entries[strings.ToLower(texts[i][en.Start:en.End])]
			if e == nil || e.kind != "" {
				continue
			}
			switch en.Label {
			case "PERSON":
				e.person += 2
			case "GPE", "GSP", "LOCATION":
				e.place++
			case "ORGANIZATION":
				e.orgv++
			}
		}
	}
}

// items decides each entry's kind and replacement.
func (f *finder) items() []Item {
	keys := make([]string, 0, len(f.entries))
	for k := range f.entries {
		keys = append(keys, k)
	}
	// Speakers first, in the order they first speak, then the rest by
	// first occurrence; the longer name first where two start together.
	order := func(e *entry) int {
		if e.kind == Speaker {
			return e.speakerOrder
		}
		return f.speakerN + 1
	}
	slices.SortFunc(keys, func(a, b string) int {
		ea, eb := f.entries[a], f.entries[b]
		if c := cmp.Compare(order(ea), order(eb)); c != 0 {
			return c
		}
		if ea.first != eb.first {
			if ea.first.less(eb.first) {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(len(b), len(a)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	for k, e := range f.entries {
		if e.kind != "" {
			continue
		}
		// "Tom Reilly" where Tom speaks, "Kwabena Mensah" where Dr Mensah
		// does: the speaker's full name. (Not "Grace Aciro" where Grace
		// Akello speaks.)
		words(k, 0, len(k), func(s, end int) {
			if p := f.entries[k[s:end]]; e.kind == "" && len(k[s:end]) < len(k) && p != nil && p.kind == Speaker && p.whole {
				e.kind, e.parent = Speaker, k[s:end]
			}
		})
	}
	for _, e := range f.entries {
		if e.kind != "" {
			continue
		}
		// A word that is part of a longer name votes for it.
		if p := f.entries[e.parent]; p != nil && p.kind == "" {
			p.person += e.person
			p.place += e.place
			p.orgv += e.orgv
		}
	}
	for _, e := range f.entries {
		if e.kind != "" {
			continue
		}
		switch {
		case e.place > e.person && e.place >= e.orgv:
			e.kind = Place
		case e.orgv > e.person && e.orgv > e.place:
			e.kind, e.org = Organisation, "Organisation"
		default:
			e.kind = Person
		}
	}
	n := numbering{}
	repl := map[string]string{}
	var items []Item
	var resolve func(k string) string
	resolve = func(k string) string {
		if r, ok := repl[k]; ok {
			return r
		}
		e := f.entries[k]
		if p := f.entries[e.parent]; p != nil && p.kind == e.kind || p != nil && e.kind == Speaker {
			repl[k] = resolve(e.parent)
			return repl[k]
		}
		repl[k] = n.next(e.kind.label(e.org))
		return repl[k]
	}
	for _, k := range keys {
		e := f.entries[k]
		items = append(items, Item{Original: e.text, Replacement: resolve(k), Kind: e.kind})
	}
	return items
}

// addPattern adds an identifier found by its form, once per original.
func (f *finder) addPattern(items []Item, si int, original string, kind Kind) []Item {
	for _, it := range items {
		if it.Original == original || kind == Email && strings.EqualFold(it.Original, original) {
			return items
		}
	}
	if f.patternN == nil {
		f.patternN = numbering{}
	}
	return append(items, Item{Original: original, Replacement: f.patternN.next(kind.label("")), Kind: kind})
}

// count counts each item's occurrences in the sources, drops those that
// occur nowhere (a word of a longer name that never stands alone) and
// orders them by kind, keeping their order within one.
func count(items []Item, sources []*corpus.Source) []Item {
	r, err := NewReplacer(items)
	if err != nil {
		return nil
	}
	byOriginal := map[string]int{}
	for i, it := range r.Items() {
		byOriginal[it.Original] = i
	}
	counts := make([]int, len(r.Items()))
	in := make([][]string, len(r.Items()))
	for _, src := range sources {
		r.Find(src.Text, func(m Match) {
			counts[m.Item]++
			if l := in[m.Item]; len(l) == 0 || l[len(l)-1] != src.Name {
				in[m.Item] = append(in[m.Item], src.Name)
			}
		})
	}
	var out []Item
	for _, it := range items {
		i, ok := byOriginal[it.Original]
		if !ok || counts[i] == 0 {
			continue
		}
		it.Count, it.Sources = counts[i], in[i]
		out = append(out, it)
	}
	slices.SortStableFunc(out, func(a, b Item) int {
		return cmp.Compare(slices.Index(Kinds, a.Kind), slices.Index(Kinds, b.Kind))
	})
	return out
}
