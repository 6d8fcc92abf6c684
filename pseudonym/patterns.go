package pseudonym

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"qcode/corpus"
)

// Patterns for the identifiers that have a form of their own. Each is
// checked further in code (digits counted, NHS numbers' check digit).
var (
	emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	// UK numbers (01…, 02…, 03…, 07…, 08…, with +44 for the 0) and
	// international ones (+ and a country code), written with spaces,
	// hyphens or brackets between groups of digits.
	phoneRE = regexp.MustCompile(`(?:\+\d{1,3}[ \-]?(?:\(0\)[ \-]?)?\(?\d{1,5}\)?|\(?0\d{2,5}\)?)(?:[ \-]?\d{2,4}){1,4}`)
	// NHS numbers: ten digits, as 3-3-4 or run together.
	nhsRE = regexp.MustCompile(`\d{3}[ \-]?\d{3}[ \-]?\d{4}`)
	// UK postcodes in capitals, with or without the space.
	postcodeRE = regexp.MustCompile(`[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2}`)
	// A date: 12/03/1961, 12-03-61, 1961-03-12, 12 March 1961, 12th of
	// March 1961, March 12, 1961.
	dateRE = regexp.MustCompile(`(?i)\b(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|\d{1,2}(?:st|nd|rd|th)?(?: of)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*,? \d{4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]* \d{1,2}(?:st|nd|rd|th)?,? \d{4})\b`)
)

// nhsValid reports whether ten digits pass the NHS number's modulus-11
// check: weights 10 to 2 on the first nine, the check digit is 11 minus
// the sum's remainder (11 is 0; 10 never valid).
func nhsValid(s string) bool {
	var d []int
	for _, c := range s {
		if c >= '0' && c <= '9' {
			d = append(d, int(c-'0'))
		}
	}
	if len(d) != 10 {
		return false
	}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += d[i] * (10 - i)
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == d[9]
}

// digits counts the digits in s.
func digits(s string) int {
	n := 0
	for _, c := range s {
		if c >= '0' && c <= '9' {
			n++
		}
	}
	return n
}

// patternItem is one identifier found by form.
type patternItem struct {
	start, end int
	kind       Kind
}

// findPatterns returns the emails, NHS numbers, phone numbers, dates of
// birth and postcodes in text, none overlapping, in order of kind first
// (an NHS number is not also a phone number).
func findPatterns(text string) []patternItem {
	var out []patternItem
	taken := func(s, e int) bool {
		for _, p := range out {
			if s < p.end && p.start < e {
				return true
			}
		}
		return false
	}
	bounded := func(s, e int) bool { return boundary(text, s, e) }
	// The patterns run only where their text can be: Go's regexp reads a
	// few tens of megabytes a second, and a corpus is mostly words.
	for _, w := range windows(text, '@', 64) {
		for _, m := range emailRE.FindAllStringIndex(text[w.Start:w.End], -1) {
			if s, e := w.Start+m[0], w.Start+m[1]; !taken(s, e) {
				out = append(out, patternItem{s, e, Email})
			}
		}
	}
	numbers := digitRuns(text)
	for _, w := range numbers {
		for _, m := range nhsRE.FindAllStringIndex(text[w.Start:w.End], -1) {
			if s, e := w.Start+m[0], w.Start+m[1]; bounded(s, e) && nhsValid(text[s:e]) && !taken(s, e) {
				out = append(out, patternItem{s, e, NHSNumber})
			}
		}
	}
	// The first date after a word that speaks of birth, close to it.
	for _, b := range birthWords(text) {
		m := dateRE.FindStringIndex(text[b:min(len(text), b+60)])
		if m == nil || m[0] > 40 {
			continue
		}
		if s, e := b+m[0], b+m[1]; !taken(s, e) {
			out = append(out, patternItem{s, e, DateOfBirth})
		}
	}
	for _, w := range numbers {
		for _, m := range phoneRE.FindAllStringIndex(text[w.Start:w.End], -1) {
			s, e := w.Start+m[0], w.Start+m[1]
			if n := digits(text[s:e]); n < 9 || n > 15 || !bounded(s, e) || taken(s, e) {
				continue
			}
			out = append(out, patternItem{s, e, Phone})
		}
	}
	for _, w := range postcodeWindows(text) {
		for _, m := range postcodeRE.FindAllStringIndex(text[w.Start:w.End], -1) {
			if s, e := w.Start+m[0], w.Start+m[1]; bounded(s, e) && !taken(s, e) {
				out = append(out, patternItem{s, e, Postcode})
			}
		}
	}
	return out
}

// boundary reports whether text[s:e] starts and ends at word boundaries.
func boundary(text string, s, e int) bool {
	if s > 0 {
		if c, _ := utf8.DecodeLastRuneInString(text[:s]); isWordRune(c) {
			return false
		}
	}
	if e < len(text) {
		if c, _ := utf8.DecodeRuneInString(text[e:]); isWordRune(c) {
			return false
		}
	}
	return true
}

// windows returns the stretches of text around each c, reaching width
// bytes either way, merged where they overlap.
func windows(text string, c byte, width int) []corpus.Span {
	var out []corpus.Span
	for at := 0; ; {
		i := strings.IndexByte(text[at:], c)
		if i < 0 {
			return out
		}
		i += at
		out = addWindow(out, text, max(0, i-width), min(len(text), i+width))
		at = i + 1
	}
}

// addWindow adds [s, e) to spans, merging it with the last when they
// touch, its ends moved to rune boundaries.
func addWindow(spans []corpus.Span, text string, s, e int) []corpus.Span {
	for s > 0 && !utf8.RuneStart(text[s]) {
		s--
	}
	for e < len(text) && !utf8.RuneStart(text[e]) {
		e++
	}
	if n := len(spans); n > 0 && s <= spans[n-1].End {
		spans[n-1].End = max(spans[n-1].End, e)
		return spans
	}
	return append(spans, corpus.Span{Start: s, End: e})
}

// digitRuns returns the stretches of text that may hold a phone or NHS
// number: digits with spaces, hyphens, brackets and a plus between them,
// nine digits or more. Timestamps (00:01:05) are not, as colons break them.
func digitRuns(text string) []corpus.Span {
	var out []corpus.Span
	for i := 0; i < len(text); {
		if text[i] < '0' || text[i] > '9' {
			i++
			continue
		}
		s, n, j := i, 0, i
		for j < len(text) {
			c := text[j]
			if c >= '0' && c <= '9' {
				n++
			} else if c != ' ' && c != '-' && c != '(' && c != ')' {
				break
			}
			j++
		}
		if n >= 9 {
			out = addWindow(out, text, max(0, s-4), j)
		}
		i = j + 1
	}
	return out
}

// birthWords returns where each word that says a date of birth follows
// ends: born, DOB, D.O.B., date of birth, birth date, birthday.
func birthWords(text string) []int {
	var out []int
	words(text, 0, len(text), func(s, e int) {
		w := text[s:e]
		switch {
		case strings.EqualFold(w, "born"), strings.EqualFold(w, "birthday"), strings.EqualFold(w, "dob"):
			out = append(out, e)
		case strings.EqualFold(w, "birth"):
			// "date of birth", "birth date"
			out = append(out, e)
		case strings.EqualFold(w, "d") && strings.HasPrefix(text[e:], ".o.b"), strings.EqualFold(w, "D") && strings.HasPrefix(text[e:], ".O.B"):
			out = append(out, min(len(text), e+5))
		}
	})
	return out
}

// postcodeWindows returns the stretches of text where a capital letter is
// followed by a digit within two bytes, as every postcode starts.
func postcodeWindows(text string) []corpus.Span {
	var out []corpus.Span
	for i := 0; i+1 < len(text); i++ {
		if c := text[i]; c < 'A' || c > 'Z' {
			continue
		}
		if d := text[i+1]; d >= '0' && d <= '9' || i+2 < len(text) && text[i+2] >= '0' && text[i+2] <= '9' && text[i+1] >= 'A' && text[i+1] <= 'Z' {
			out = addWindow(out, text, max(0, i-1), min(len(text), i+10))
		}
	}
	return out
}
