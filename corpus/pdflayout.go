package corpus

// The layout of a PDF's glyphs into lines and of its lines into
// paragraphs (see Pdf).

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"qcode/textfile"
)

// pdfLines groups glyphs into lines: a glyph starts a new line when its
// baseline is more than half its size from the line's, or when it jumps
// back left of where the line began.
func pdfLines(glyphs []pdfGlyph) []pdfLine {
	var lines []pdfLine
	var b strings.Builder
	var cur *pdfLine
	space, words := true, 0 // last written is a space; words begun
	end := func() {
		if cur == nil {
			return
		}
		cur.text = strings.TrimSpace(b.String())
		if words == 1 {
			cur.first = cur.x1 - cur.x0
		}
		if cur.text != "" {
			lines = append(lines, *cur)
		}
		b.Reset()
		cur = nil
	}
	for _, g := range glyphs {
		if g.s == "" || g.size <= 0 {
			continue
		}
		size := g.size
		if cur != nil && (math.Abs(g.y-cur.y) > size/2 || g.x < cur.x0-size) {
			end()
		}
		if cur == nil {
			cur = &pdfLine{x0: g.x, x1: g.x, y: g.y, size: size}
			space, words = true, 0
		}
		blank := strings.TrimFunc(g.s, unicode.IsSpace) == ""
		if blank {
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		if !space && g.x-cur.x1 > size/5 {
			b.WriteByte(' ')
			space = true
		}
		if space {
			words++
			if words == 2 {
				cur.first = cur.x1 - cur.x0
			}
		}
		if b.Len() == 0 {
			cur.x0 = g.x
		}
		b.WriteString(g.s)
		space = false
		cur.x1 = max(cur.x1, g.x+g.w)
		cur.size = max(cur.size, size)
	}
	end()
	return lines
}

// pageNumber matches a line that is only a page number: "3", "- 3 -",
// "Page 3", "Page 3 of 12", "3/12".
var pageNumber = regexp.MustCompile(`^(?i)(?:page\s+)?[-–—]?\s*(\d{1,5})\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,5})?$`)

// dropFurniture removes each page's page number (the first or last line,
// when it is the page's number) and a header or footer line that every
// page repeats at the same height (its digits aside).
func dropFurniture(pages [][]pdfLine) {
	for i, lines := range pages {
		for len(lines) > 0 && isPageNumber(lines[len(lines)-1].text, i+1) {
			lines = lines[:len(lines)-1]
		}
		for len(lines) > 0 && isPageNumber(lines[0].text, i+1) {
			lines = lines[1:]
		}
		pages[i] = lines
	}
	if len(pages) < 2 {
		return
	}
	key := func(l pdfLine) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) {
				return -1
			}
			return r
		}, l.text) + "@" + strconv.Itoa(int(math.Round(l.y)))
	}
	for _, end := range []bool{false, true} {
		at := func(lines []pdfLine) int {
			if end {
				return len(lines) - 1
			}
			return 0
		}
		count := map[string]int{}
		for _, lines := range pages {
			if len(lines) > 1 {
				count[key(lines[at(lines)])]++
			}
		}
		for i, lines := range pages {
			if len(lines) > 1 && count[key(lines[at(lines)])] == len(pages) {
				if end {
					pages[i] = lines[:len(lines)-1]
				} else {
					pages[i] = lines[1:]
				}
			}
		}
	}
}

func isPageNumber(s string, page int) bool {
	m := pageNumber.FindStringSubmatch(s)
	return m != nil && m[1] == strconv.Itoa(page)
}

// layoutPdf joins the pages' lines into paragraphs (see Pdf).
func layoutPdf(pages [][]pdfLine, meta []pdfPage) string {
	dropFurniture(pages)
	// The usual line spacing, as a multiple of the font size: the
	// smallest that occurs twice, so that a single tight pair does not
	// set it; but where every paragraph is a line or two apart from the
	// next, the spacing that occurs twice is a paragraph's, and a line
	// break within a paragraph, spaced 30% closer or more but at least a
	// font size apart, may be the only one: it sets the usual spacing.
	seen := map[int]int{}
	usual := math.Inf(1)
	var ratios []float64
	for _, lines := range pages {
		for i := 1; i < len(lines); i++ {
			a, b := lines[i-1], lines[i]
			if pitch := a.y - b.y; pitch > a.size/2 && math.Abs(a.size-b.size) < 0.5 {
				r := pitch / a.size
				ratios = append(ratios, r)
				k := int(math.Round(r * 20))
				if seen[k]++; seen[k] == 2 {
					usual = min(usual, float64(k)/20)
				}
			}
		}
	}
	least := math.Inf(1)
	for _, r := range ratios {
		if r >= 0.95 || math.IsInf(usual, 1) {
			least = min(least, r)
		}
	}
	if math.IsInf(usual, 1) || least*1.3 <= usual {
		usual = least
	}
	gapAt := usual*1.15 + 0.1
	gaps := false
	for _, r := range ratios {
		gaps = gaps || r > gapAt
	}
	vocab := map[string]bool{}
	for _, lines := range pages {
		for _, l := range lines {
			for _, w := range strings.FieldsFunc(l.text, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
				vocab[strings.ToLower(w)] = true
			}
		}
	}

	edge := pdfRightEdge(pages, meta)
	var out []byte
	var prev *pdfLine
	for _, lines := range pages {
		left := math.Inf(1)
		for _, l := range lines {
			left = min(left, l.x0)
		}
		for i := range lines {
			l := &lines[i]
			if prev == nil {
				out = append(out, l.text...)
				prev = l
				continue
			}
			hard := prev.x1+prev.size*0.3+l.first <= edge
			sep := ""
			switch {
			case i == 0:
				// A new page: a wrapped line continues its
				// paragraph, any other ended it; where a sentence
				// ends at the page's foot, the line break is kept
				// (see below).
				if hard {
					sep = "\n\n"
				} else if sentenceEnd(prev.text) && sentenceStart(l.text) {
					sep = "\n"
				}
			case prev.y-l.y <= prev.size*0.3, math.Abs(prev.size-l.size) >= 0.5:
				sep = "\n\n" // a new column, or a heading's size
			case (prev.y-l.y)/prev.size > gapAt:
				sep = "\n\n"
			case l.x0 > left+l.size && math.Abs(prev.x0-l.x0) > l.size/2 && (i+1 == len(lines) || math.Abs(lines[i+1].x0-left) < l.size/2):
				sep = "\n\n" // a first-line indent
			case hard && gaps:
				sep = "\n"
			case hard:
				sep = "\n\n"
			case !gaps && sentenceEnd(prev.text) && sentenceStart(l.text):
				// A paragraph whose last line is nearly full looks
				// like one that wrapped; where a sentence ends there,
				// keep the line break, so a label on the next line
				// still starts one.
				sep = "\n"
			}
			if sep != "" {
				out = append(append(out, sep...), l.text...)
			} else {
				out = joinWrapped(out, l.text, vocab)
			}
			prev = l
		}
	}
	var paras []string
	for _, p := range strings.Split(string(out), "\n\n") {
		if p = tidyParagraph(textfile.Clean(p)); p != "" {
			paras = append(paras, p)
		}
	}
	return strings.Join(paras, "\n\n")
}

// sentenceEnd reports whether a line ends a sentence or a label.
func sentenceEnd(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".?!:\"”’)]", r)
}

// sentenceStart reports whether a line starts as a sentence, a timestamp
// or a bracketed label does.
func sentenceStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune("[(#“\"", r)
}

// pdfRightEdge returns where the document's lines wrap: the right end of
// its longest line, when lines that wrapped end near it. When too few do,
// no paragraph may have wrapped at all (a transcript of one-line turns),
// and the longest line tells nothing: the right margin is then taken to
// mirror the left.
func pdfRightEdge(pages [][]pdfLine, meta []pdfPage) float64 {
	edge, left, width := 0.0, math.Inf(1), 0.0
	n := 0
	for p, lines := range pages {
		for _, l := range lines {
			edge, left = max(edge, l.x1), min(left, l.x0)
			n++
		}
		width = max(width, meta[p].width)
	}
	near := 0
	for _, lines := range pages {
		for _, l := range lines {
			if l.x1 > edge-2*l.size {
				near++
			}
		}
	}
	if near < 3 || near*100 < n*15 {
		if width-left > edge {
			return width - left
		}
	}
	return edge
}

// joinWrapped appends next, a line that continues the wrapped line at the
// end of out: after a space, or, after a hyphen ending a word, joined to
// that word. A soft hyphen goes, and so does a hyphen when the joined word
// is one the document has (vocab, in lower case) without it; another
// hyphen stays, as in "evidence-based".
func joinWrapped(out []byte, next string, vocab map[string]bool) []byte {
	if bytes.HasSuffix(out, []byte("\u00ad")) {
		return append(out[:len(out)-len("\u00ad")], next...)
	}
	if !bytes.HasSuffix(out, []byte("-")) {
		return append(append(out, ' '), next...)
	}
	hyphen := len(out) - 1
	start := bytes.LastIndexFunc(out[:hyphen], func(r rune) bool { return !unicode.IsLetter(r) })
	if start >= 0 {
		_, size := utf8.DecodeRune(out[start:])
		start += size
	} else {
		start = 0
	}
	stem := string(out[start:hyphen])
	end := strings.IndexFunc(next, func(r rune) bool { return !unicode.IsLetter(r) })
	if end < 0 {
		end = len(next)
	}
	rest := next[:end]
	if stem == "" || rest == "" {
		return append(append(out, ' '), next...) // a dash, not a hyphen
	}
	if first, _ := utf8.DecodeRuneInString(rest); unicode.IsLower(first) && vocab[strings.ToLower(stem+rest)] {
		return append(out[:hyphen], next...)
	}
	return append(out, next...)
}
