package pseudonym

import (
	"regexp"
	"strings"
	"unicode/utf8"
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
	// What says that the date after it is a date of birth.
	birthRE = regexp.MustCompile(`(?i)\b(?:born|d\.?o\.?b\.?|date of birth|birth ?date|birthday)\b`)
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
	for _, m := range emailRE.FindAllStringIndex(text, -1) {
		out = append(out, patternItem{m[0], m[1], Email})
	}
	for _, m := range nhsRE.FindAllStringIndex(text, -1) {
		if bounded(m[0], m[1]) && nhsValid(text[m[0]:m[1]]) && !taken(m[0], m[1]) {
			out = append(out, patternItem{m[0], m[1], NHSNumber})
		}
	}
	// The first date after a word that speaks of birth, close to it.
	for _, b := range birthRE.FindAllStringIndex(text, -1) {
		m := dateRE.FindStringIndex(text[b[1]:min(len(text), b[1]+60)])
		if m == nil || m[0] > 40 {
			continue
		}
		if s, e := b[1]+m[0], b[1]+m[1]; !taken(s, e) {
			out = append(out, patternItem{s, e, DateOfBirth})
		}
	}
	for _, m := range phoneRE.FindAllStringIndex(text, -1) {
		s, e := m[0], m[1]
		n := digits(text[s:e])
		if n < 9 || n > 15 || !bounded(s, e) || taken(s, e) {
			continue
		}
		// A UK number has ten digits after its 0 (or 44); a number with a
		// space and no + or 0 is not taken for one.
		if p := text[s:e]; !strings.HasPrefix(p, "+") && !strings.HasPrefix(strings.TrimLeft(p, "("), "0") {
			continue
		}
		out = append(out, patternItem{s, e, Phone})
	}
	for _, m := range postcodeRE.FindAllStringIndex(text, -1) {
		if bounded(m[0], m[1]) && !taken(m[0], m[1]) {
			out = append(out, patternItem{m[0], m[1], Postcode})
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
